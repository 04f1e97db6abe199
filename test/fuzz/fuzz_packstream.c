/*-------------------------------------------------------------------------
 *
 * fuzz_packstream.c
 *	  PackStream decoding (src/neo4j/packstream.c), with either DateTime
 *	  convention.
 *
 * Beyond "no crash": a value that decodes and encodes again must decode
 * to a value that encodes to the same bytes (the encoder's output is a
 * fixed point of the decoder), as the import sends what a read gave.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  test/fuzz/fuzz_packstream.c
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz.h"

#include <string.h>

#include "neo2pg/packstream.h"

static void
decode(const uint8_t *data, size_t size, bool utc)
{
	N2pError	err;
	N2pArena	arena;
	N2pValue	v,
				again;
	N2pBuf		first,
				second;
	size_t		used;

	n2p_error_init(&err);
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	if (!n2p_ps_decode(data, size, utc, &arena, &v, &used, &err))
	{
		fuzz_check_error(&err);
		n2p_arena_destroy(&arena);
		return;
	}
	FUZZ_CHECK(used >= 1 && used <= size);
	n2p_buf_init(&first, &n2p_libc_allocator);
	n2p_buf_init(&second, &n2p_libc_allocator);
	if (n2p_ps_put_value(&first, &v, utc, &err))
	{
		FUZZ_CHECK(n2p_ps_decode((const uint8_t *) first.data, first.len, utc, &arena, &again,
								 &used, &err));
		FUZZ_CHECK(used == first.len);
		FUZZ_CHECK(n2p_ps_put_value(&second, &again, utc, &err));
		FUZZ_CHECK(first.len == second.len && memcmp(first.data, second.data, first.len) == 0);
	}
	else
		fuzz_check_error(&err);
	n2p_buf_free(&first);
	n2p_buf_free(&second);
	n2p_arena_destroy(&arena);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	decode(data, size, true);
	decode(data, size, false);
	return 0;
}
