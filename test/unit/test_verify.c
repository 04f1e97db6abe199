/*-------------------------------------------------------------------------
 *
 * test_verify.c
 *	  verify's canonical encoding and comparison rules: exact types, bit
 *	  for bit floats, format losses, and the merge of two line streams.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  test/unit/test_verify.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "neo2pg/verify.h"
#include "test_support.h"

#include <math.h>
#include <stdio.h>

/* How a and b compare: 0 equal, 1 different, 2 a format loss. */
static int
cmp(N2pValue a, N2pValue b, const char **what)
{
	N2pBuf		scratch;
	int			r;

	n2p_buf_init(&scratch, &n2p_libc_allocator);
	r = n2p_verify_value_cmp(&a, &b, &scratch, what);
	n2p_buf_free(&scratch);
	return r;
}

/* The canonical encodings of a and b are equal exactly when cmp says so. */
static bool
same_encoding(N2pValue a, N2pValue b)
{
	N2pVerifyEnc enc;
	N2pBuf		x,
				y;
	bool		same;

	n2p_verify_enc_init(&enc, &n2p_libc_allocator);
	n2p_buf_init(&x, &n2p_libc_allocator);
	n2p_buf_init(&y, &n2p_libc_allocator);
	assert_true(n2p_verify_encode_value(&enc, &a, &x));
	assert_true(n2p_verify_encode_value(&enc, &b, &y));
	same = x.len == y.len && memcmp(x.data, y.data, x.len) == 0;
	n2p_buf_free(&x);
	n2p_buf_free(&y);
	n2p_verify_enc_free(&enc);
	return same;
}

static void
expect(N2pValue a, N2pValue b, int want)
{
	const char *what;

	assert_int_equal(cmp(a, b, &what), want);
	assert_int_equal(cmp(b, a, &what), want);
	assert_int_equal(same_encoding(a, b), want == 0);
}

static void
test_exact_types(void **state)
{
	N2pValue	ints[] = {v_int(1), v_int(2)},
				mixed[] = {v_int(1), v_float(2.0)},
				floats[] = {v_float(1.0), v_float(2.0)};

	(void) state;
	expect(v_int(1), v_int(1), 0);
	expect(v_int(1), v_float(1.0), 1);
	expect(v_float(NAN), v_float(NAN), 0);
	expect(v_float(0.0), v_float(-0.0), 1);
	expect(v_float(-0.0), v_float(-0.0), 0);
	expect(v_float(INFINITY), v_float(-INFINITY), 1);
	expect(v_date(2020, 1, 1), v_cstr("2020-01-01"), 1);
	expect(v_date(2020, 1, 1), v_date(2020, 1, 1), 0);
	expect(v_bool(true), v_int(1), 1);
	expect(v_cstr("a"), v_bytes("a", 1), 1);
	/* lists compare their elements' types */
	expect(v_list(ints, 2), v_list(ints, 2), 0);
	expect(v_list(ints, 2), v_list(mixed, 2), 1);
	expect(v_list(mixed, 2), v_list(floats, 2), 1);
	expect(v_list(ints, 2), v_list(ints, 1), 1);
	/* points: the SRID counts, and z only in 3-D */
	expect(v_point(N2P_SRID_CARTESIAN, 1, 2, 0), v_point(N2P_SRID_CARTESIAN, 1, 2, 9), 0);
	expect(v_point(N2P_SRID_CARTESIAN, 1, 2, 0), v_point(N2P_SRID_WGS84, 1, 2, 0), 1);
	expect(v_point(N2P_SRID_CARTESIAN_3D, 1, 2, 0), v_point(N2P_SRID_CARTESIAN_3D, 1, 2, 9), 1);
	expect(v_point(N2P_SRID_CARTESIAN, 0.0, 2, 0), v_point(N2P_SRID_CARTESIAN, -0.0, 2, 0), 1);
	expect(v_time(12, 0, 0, 0, 3600), v_time(12, 0, 0, 0, 0), 1);
	expect(v_time(12, 0, 0, 0, 0), v_localtime(12, 0, 0, 0), 1);
	expect(v_duration(1, 0, 0, 0), v_duration(0, 30, 0, 0), 1);
}

static void
test_losses(void **state)
{
	N2pValue	zoned = v_datetime(N2P_DATETIME, 2015, 6, 24, 12, 50, 35, 556000000, 3600, NULL),
				plain = zoned,
				other = zoned,
				zl[1],
				pl[1];
	const char *what = NULL;

	(void) state;
	zoned.u.dt.zone = s_cstr("Europe/London");
	other.u.dt.zone = s_cstr("Europe/Lisbon");
	assert_int_equal(cmp(zoned, plain, &what), 2);
	assert_string_equal(what, "zone id lost");
	assert_int_equal(cmp(zoned, other, &what), 1);
	zl[0] = zoned;
	pl[0] = plain;
	assert_int_equal(cmp(v_list(zl, 1), v_list(pl, 1), &what), 2);
	/* another instant is a difference, not a loss */
	plain.u.dt.secs++;
	assert_int_equal(cmp(zoned, plain, &what), 1);
	assert_int_equal(cmp(v_bytes("\x00\x01\xfe\xff", 4), v_cstr("b'\\x00\\x01\\xfe\\xff'"), &what), 2);
	assert_string_equal(what, "byte array written as a string");
	assert_int_equal(cmp(v_cstr("b'\\x00'"), v_bytes("\x00", 1), &what), 2);
	assert_int_equal(cmp(v_bytes("\x00", 1), v_cstr("b'\\x01'"), &what), 1);
}

/* The escape of p[0..n), byte by byte: what n2p_verify_escape must give. */
static size_t
escape_slow(const unsigned char *p, size_t n, unsigned char *out)
{
	size_t		i,
				o = 0;

	for (i = 0; i < n; i++)
	{
		if (p[i] <= 2 || p[i] == '\n')
		{
			out[o++] = 2;
			out[o++] = (unsigned char) (p[i] + 0x40);
		}
		else
			out[o++] = p[i];
	}
	return o;
}

/* The word-at-a-time escape against the byte-by-byte one, at every alignment, near the bytes it looks for. */
static void
test_escape(void **state)
{
	static const unsigned char alphabet[] = {0, 1, 2, 3, 9, '\n', 11, 0x40, 0x41, 0x7f, 0x80, 0x81, 0x8a, 0xfe, 0xff, 'a'};
	unsigned char src[80],
				want[160];
	uint32_t	seed = 12345;
	N2pBuf		out;
	int			round;

	(void) state;
	n2p_buf_init(&out, &n2p_libc_allocator);
	for (round = 0; round < 20000; round++)
	{
		size_t		off = (size_t) round % 8,
					n = (size_t) (round / 8) % 70,
					i,
					w;

		for (i = 0; i < off + n; i++)
		{
			seed = seed * 1103515245u + 12345u;
			/* mostly clean bytes, so that whole words pass */
			src[i] = (seed >> 16) % 5 ? 'a' + (seed >> 20) % 26 : alphabet[(seed >> 24) % 16];
		}
		w = escape_slow(src + off, n, want);
		n2p_buf_reset(&out);
		assert_true(n2p_verify_escape(&out, (const char *) src + off, n));
		assert_int_equal(out.len, w);
		assert_memory_equal(out.data, want, w);
	}
	n2p_buf_free(&out);
}

/* An escaped encoding: no byte below 0x02 or newline, 0x02 only before an escaped byte; unescaped, the raw one. */
static void
test_escaped_encoding(void **state)
{
	N2pValue	items[] = {v_int(0), v_int(-1), v_int(10), v_float(0.0), v_cstr("a\n\x01b"),
		v_bytes("\x00\x02\x0a", 3), v_date(1970, 1, 1), v_time(0, 0, 0, 10, 0), v_bool(true)};
	N2pStr		keys[] = {s_cstr("k\n"), s_cstr("\x01")};
	N2pValue	vals[] = {v_list(items, 9), v_int(2)},
				map = v_map(keys, vals, 2);
	N2pVerifyEnc enc;
	N2pBuf		raw,
				esc;
	size_t		i,
				o = 0;
	char	   *back;

	(void) state;
	n2p_verify_enc_init(&enc, &n2p_libc_allocator);
	n2p_buf_init(&raw, &n2p_libc_allocator);
	n2p_buf_init(&esc, &n2p_libc_allocator);
	assert_true(n2p_verify_encode_value(&enc, &map, &raw));
	enc.escape = true;
	assert_true(n2p_verify_encode_value(&enc, &map, &esc));
	back = malloc(esc.len + 1);
	for (i = 0; i < esc.len; i++)
	{
		unsigned char ch = (unsigned char) esc.data[i];

		assert_true((ch > 2 && ch != '\n') || (ch == 2 && i + 1 < esc.len));
		if (ch == 2)
		{
			ch = (unsigned char) esc.data[++i];
			assert_true(ch == 0x40 || ch == 0x41 || ch == 0x42 || ch == 0x4a);
			ch -= 0x40;
		}
		back[o++] = (char) ch;
	}
	assert_int_equal(o, raw.len);
	assert_memory_equal(back, raw.data, o);
	free(back);
	n2p_buf_free(&raw);
	n2p_buf_free(&esc);
	n2p_verify_enc_free(&enc);
}

static void
test_round_trip(void **state)
{
	N2pValue	items[] = {v_int(-5), v_float(NAN), v_cstr("x\ny"), v_bytes("\x00\x01\x02", 3),
		v_date(-1, 12, 31), v_point(N2P_SRID_WGS84_3D, 1, 2, 3), v_duration(-1, 2, -3, 4),
		v_time(23, 59, 59, 999999999, -64800)};
	N2pStr		keys[] = {s_cstr("b"), s_cstr("a")};
	N2pValue	vals[] = {v_list(items, 8), v_bool(false)},
				map = v_map(keys, vals, 2),
				back;
	N2pVerifyEnc enc;
	N2pBuf		raw;
	N2pArena	arena;
	const char *what;

	(void) state;
	n2p_verify_enc_init(&enc, &n2p_libc_allocator);
	n2p_buf_init(&raw, &n2p_libc_allocator);
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	assert_true(n2p_verify_encode_value(&enc, &map, &raw));
	assert_int_equal(n2p_verify_decode_value((const uint8_t *) raw.data, raw.len, &arena, &back), raw.len);
	assert_int_equal(cmp(map, back, &what), 0);
	/* keys come back in byte order */
	assert_memory_equal(back.u.map.keys[0].ptr, "a", 1);
	/* every truncation is refused, never read past the end */
	for (size_t n = 0; n < raw.len; n++)
		assert_int_equal(n2p_verify_decode_value((const uint8_t *) raw.data, n, &arena, &back), 0);
	n2p_arena_destroy(&arena);
	n2p_buf_free(&raw);
	n2p_verify_enc_free(&enc);
}

/* Lines from an array of strings. */
typedef struct Lines
{
	const char **lines;
	int			n;
	int			i;
} Lines;

static int
lines_next(void *ctx, const char **line, size_t *len, N2pError *err)
{
	Lines	   *l = ctx;

	(void) err;
	if (l->i >= l->n)
		return 0;
	*line = l->lines[l->i++];
	*len = strlen(*line);
	return 1;
}

typedef struct Seen
{
	int			n;
	int			losses;
	char		text[8][512];
} Seen;

static void
seen(void *ctx, const N2pVerifyDiff *d)
{
	Seen	   *s = ctx;

	if (s->n < 8)
		snprintf(s->text[s->n], sizeof(s->text[0]), "%s", d->text);
	s->n++;
	s->losses += d->loss;
}

/* A node's by-id line, without its newline (static storage, one per slot). */
static const char *
node_line(int slot, int64_t id, const char *label, const char *key, N2pValue v)
{
	static char lines[8][1024];
	N2pStr		labels[1] = {s_cstr(label)},
				keys[1] = {s_cstr(key)};
	N2pValue	vals[1] = {v};
	N2pRecord	rec = {.kind = N2P_REC_NODE, .id = id, .labels = labels, .nlabels = 1,
	.props = v_map(keys, vals, 1)};
	N2pVerifyEnc enc;
	N2pBuf		out;
	N2pError	err;

	n2p_verify_enc_init(&enc, &n2p_libc_allocator);
	n2p_buf_init(&out, &n2p_libc_allocator);
	assert_true(n2p_verify_record_line(&enc, &rec, &out, &err));
	assert_true(out.len < sizeof(lines[0]) && out.data[out.len - 1] == '\n');
	/* the separators and the newline are the only bytes below 0x02 and newlines */
	assert_null(memchr(out.data, '\n', out.len - 1));
	memcpy(lines[slot], out.data, out.len - 1);
	lines[slot][out.len - 1] = '\0';
	n2p_buf_free(&out);
	n2p_verify_enc_free(&enc);
	return lines[slot];
}

static void
test_compare_nodes(void **state)
{
	const char *a[3],
			   *b[3];
	Lines		la = {a, 3, 0},
				lb = {b, 3, 0};
	N2pLineReader ra = {lines_next, &la},
				rb = {lines_next, &lb};
	Seen		s = {0};
	uint64_t	counts[2];
	N2pError	err;

	(void) state;
	a[0] = node_line(0, 1, "P", "k", v_int(1));
	a[1] = node_line(1, 2, "P", "k", v_date(2020, 1, 1));
	a[2] = node_line(2, 3, "P", "k\n", v_float(NAN));
	b[0] = node_line(3, 1, "P", "k", v_float(1.0));
	b[1] = node_line(4, 2, "P", "k", v_cstr("2020-01-01"));
	b[2] = node_line(5, 4, "P", "k\n", v_float(NAN));
	n2p_error_init(&err);
	assert_true(n2p_verify_compare(N2P_VL_NODE_ID, &ra, &rb, seen, &s, counts, &n2p_libc_allocator, &err));
	assert_int_equal(counts[0], 3);
	assert_int_equal(counts[1], 3);
	assert_int_equal(s.n, 4);
	assert_string_equal(s.text[0], "node 1: key \"k\": type differs: integer 1 in A, float 1.0 in B");
	assert_string_equal(s.text[1], "node 2: key \"k\": type differs: date 2020-01-01 in A, string \"2020-01-01\" in B");
	assert_string_equal(s.text[2], "node 3 only in A: :P {\"k\\u000a\": float nan}");
	assert_string_equal(s.text[3], "node 4 only in B: :P {\"k\\u000a\": float nan}");
	assert_int_equal(s.losses, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_types),
		cmocka_unit_test(test_losses),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_escaped_encoding),
		cmocka_unit_test(test_compare_nodes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
