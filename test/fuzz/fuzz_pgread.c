/*-------------------------------------------------------------------------
 *
 * fuzz_pgread.c
 *	  The PostgreSQL source's COPY parser (src/pg/read.c): binary COPY
 *	  tuples of the nodes or relationships table, their text[] labels and
 *	  their jsonb props and prop_types, as the server's CopyData messages.
 *
 * The first byte's bit 0 reads relationships, bit 1 an element_id
 * column; the rest is messages, each a 2-byte big-endian length and its
 * bytes (the last one takes what remains), read until the trailer or an
 * error, as the CLI does.
 *
 * Beyond "no crash": a record has the kind asked for and a map of
 * properties none of which is null or a map.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  test/fuzz/fuzz_pgread.c
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz.h"

#include "neo2pg/pgread.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data + 1,
			   *end = data + size;
	N2pRecKind	kind;
	bool		element_id;
	N2pError	err;
	N2pArena	arena;
	N2pPgReader *r;

	if (size < 1)
		return 0;
	kind = (data[0] & 1) ? N2P_REC_REL : N2P_REC_NODE;
	element_id = data[0] & 2;
	n2p_error_init(&err);
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	r = n2p_pg_reader_new(&n2p_libc_allocator, &err);
	FUZZ_CHECK(r != NULL);
	while (p < end)
	{
		size_t		len = end - p;
		N2pRecord	rec;
		size_t		i;
		int			rc;

		if (len >= 2)
		{
			len = (size_t) p[0] << 8 | p[1];
			p += 2;
			if (len > (size_t) (end - p))
				len = end - p;
		}
		n2p_arena_reset(&arena);
		rc = n2p_pg_read_tuple(r, kind, element_id, (const char *) p, len, &arena, &rec, &err);
		p += len;
		if (rc <= 0)
		{
			if (rc < 0)
				fuzz_check_error(&err);
			break;
		}
		FUZZ_CHECK(rec.kind == kind);
		FUZZ_CHECK(rec.props.type == N2P_MAP);
		for (i = 0; i < rec.props.u.map.n; i++)
			FUZZ_CHECK(rec.props.u.map.vals[i].type != N2P_NULL &&
					   rec.props.u.map.vals[i].type != N2P_MAP);
	}
	n2p_pg_reader_free(r);
	n2p_arena_destroy(&arena);
	return 0;
}
