/*-------------------------------------------------------------------------
 *
 * fuzz_json.c
 *	  The backup's JSON dialect (src/backup/json.c): the input as a chunk
 *	  (a top-level array read element by element, fed in pieces of 7
 *	  bytes so that every token meets a boundary) and as one document in
 *	  memory.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  test/fuzz/fuzz_json.c
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz.h"

#include "neo2pg/json.h"

static void
read_chunk(const uint8_t *data, size_t size)
{
	N2pError	err;
	N2pArena	arena;
	N2pInput   *in;
	N2pJsonReader *r;
	N2pValue	v;
	int			rc;

	n2p_error_init(&err);
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	in = n2p_input_open_mem_chunked(data, size, 7, &n2p_libc_allocator, &err);
	FUZZ_CHECK(in != NULL);
	r = n2p_json_reader_new(in, &n2p_libc_allocator, &err);
	FUZZ_CHECK(r != NULL);
	for (;;)
	{
		n2p_arena_reset(&arena);
		rc = n2p_json_next(r, &arena, &v, &err);
		if (rc == 1)
			continue;
		if (rc == 0)
			break;
		fuzz_check_error(&err);
		/* a name given twice: the element was read whole, go on */
		if (!n2p_json_resumable(r))
			break;
		FUZZ_CHECK(err.code == N2P_ERR_DATA && err.has_key);
		n2p_error_init(&err);
	}
	n2p_json_reader_free(r);
	n2p_input_close(in);
	n2p_arena_destroy(&arena);
}

static void
read_document(const uint8_t *data, size_t size)
{
	N2pError	err;
	N2pArena	arena;
	N2pJsonReader *r;
	N2pValue	v;

	n2p_error_init(&err);
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	r = n2p_json_reader_new(NULL, &n2p_libc_allocator, &err);
	FUZZ_CHECK(r != NULL);
	if (n2p_json_parse_mem(r, (const char *) data, size, &arena, &v, &err) != 1)
		fuzz_check_error(&err);
	n2p_json_reader_free(r);
	n2p_arena_destroy(&arena);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	read_chunk(data, size);
	read_document(data, size);
	return 0;
}
