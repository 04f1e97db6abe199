/*-------------------------------------------------------------------------
 *
 * fuzz_literal.c
 *	  The backup's literals (src/backup/literal.c) and the ISO temporal
 *	  text the PostgreSQL source reads back (src/core/temporal.c), and the
 *	  float repr (src/core/float_repr.c) the points are written with.
 *
 * Beyond "no crash": a literal that parses is written again, and that
 * text must parse to a value that is written the same way (the writer's
 * output is a fixed point of the reader), since the backup writer's
 * literals are read back by this parser.  The float repr must give what
 * its former implementation (snprintf and strtod, test/unit/float_repr_ref.h)
 * gives, for the points' coordinates and for the input's first 8 bytes read
 * as a double.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  test/fuzz/fuzz_literal.c
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz.h"

#include <string.h>

#include "neo2pg/literal.h"

#include "float_repr_ref.h"

static const N2pType iso_types[] = {
	N2P_DATE, N2P_TIME, N2P_LOCALTIME, N2P_DATETIME, N2P_LOCALDATETIME, N2P_DURATION
};

static void
float_against_reference(double d)
{
	char		got[N2P_DOUBLE_BUFSZ],
				want[N2P_DOUBLE_BUFSZ];

	n2p_format_double(d, got);
	ref_format_double(d, want);
	if (strcmp(got, want) != 0)
	{
		fprintf(stderr, "%a was written %s, by the former implementation %s\n", d, got, want);
		abort();
	}
}

static void
literal_round_trip(const char *s, size_t len, N2pArena *arena)
{
	N2pError	err;
	N2pValue	v,
				again;
	N2pBuf		first,
				second;

	n2p_error_init(&err);
	if (!n2p_literal_parse(s, len, &v, arena, &err))
	{
		fuzz_check_error(&err);
		return;
	}
	if (v.type == N2P_POINT)
	{
		float_against_reference(v.u.point.x);
		float_against_reference(v.u.point.y);
		if (v.u.point.srid == 9157 || v.u.point.srid == 4979)
			float_against_reference(v.u.point.z);
	}
	n2p_buf_init(&first, &n2p_libc_allocator);
	n2p_buf_init(&second, &n2p_libc_allocator);
	/* a value the formatters cannot print faithfully must not parse */
	FUZZ_CHECK(n2p_temporal_in_range(&v));
	FUZZ_CHECK(n2p_literal_format(&v, &first));
	if (!n2p_literal_parse(first.data, first.len, &again, arena, &err))
	{
		fprintf(stderr, "\"%.*s\" was written \"%s\", which does not parse: %s\n",
				(int) len, s, first.data, err.msg);
		abort();
	}
	FUZZ_CHECK(n2p_literal_format(&again, &second));
	if (first.len != second.len || memcmp(first.data, second.data, first.len) != 0)
	{
		fprintf(stderr, "\"%.*s\" was written \"%s\", then \"%s\"\n", (int) len, s,
				first.data, second.data);
		abort();
	}
	n2p_buf_free(&first);
	n2p_buf_free(&second);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *) data;
	N2pArena	arena;
	size_t		i;

	if (size >= sizeof(double))
	{
		double		d;

		memcpy(&d, data, sizeof(d));
		float_against_reference(d);
	}
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	literal_round_trip(s, size, &arena);
	for (i = 0; i < sizeof(iso_types) / sizeof(iso_types[0]); i++)
	{
		N2pError	err;
		N2pValue	v;
		N2pBuf		buf;

		n2p_error_init(&err);
		if (!n2p_temporal_parse_iso(iso_types[i], s, size, &v, &arena, &err))
		{
			fuzz_check_error(&err);
			continue;
		}
		n2p_buf_init(&buf, &n2p_libc_allocator);
		FUZZ_CHECK(n2p_temporal_format_iso(&v, &buf));
		n2p_buf_free(&buf);
	}
	n2p_arena_destroy(&arena);
	return 0;
}
