/*-------------------------------------------------------------------------
 *
 * test_pgtyped.c
 *	  Unit tests of the binary COPY fields of typed columns: the byte
 *	  layout of every column kind, the rounding of nanoseconds as
 *	  PostgreSQL 15 rounds the text field, and the values that are lost.
 *
 * The expected temporal bytes are what PostgreSQL 15's send functions
 * return for the text n2p_copy_text_typed writes (time_send('...') and so
 * on); test/typed_equiv.c checks the same against a live server.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  test/unit/test_pgtyped.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "neo2pg/literal.h"
#include "neo2pg/pgcopy.h"
#include "neo2pg/typemap.h"

#include <math.h>
#include <string.h>

#include "test_support.h"

static N2pArena arena;

static N2pColumnType
col(N2pColKind kind)
{
	return (N2pColumnType) {kind, false, 0, false};
}

static N2pColumnType
arr(N2pColKind kind)
{
	return (N2pColumnType) {kind, true, 0, false};
}

static void
to_hex(const N2pBuf *b, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	size_t		i;

	for (i = 0; i < b->len; i++)
	{
		hex[2 * i] = digits[(unsigned char) b->data[i] >> 4];
		hex[2 * i + 1] = digits[(unsigned char) b->data[i] & 15];
	}
	hex[2 * b->len] = '\0';
}

/*
 * The binary field of v must be want (hex, spaces ignored), and it must be
 * lost exactly when the text field is.
 */
static void
expect(N2pTypedEncoder *enc, N2pValue v, N2pColumnType t, const char *want, bool want_lost)
{
	N2pBuf		out,
				text;
	N2pError	err;
	char		hex[512],
				clean[512];
	size_t		n = 0;
	bool		lost,
				text_lost;

	n2p_buf_init(&out, &n2p_libc_allocator);
	n2p_buf_init(&text, &n2p_libc_allocator);
	n2p_error_init(&err);
	assert_true(n2p_copy_binary_typed(enc, &out, &v, t, &lost, &err));
	assert_true(n2p_copy_text_typed(enc, &text, &v, t, &text_lost, &err));
	for (; *want; want++)
		if (*want != ' ')
			clean[n++] = *want;
	clean[n] = '\0';
	to_hex(&out, hex);
	assert_string_equal(hex, clean);
	assert_int_equal(lost, want_lost);
	assert_int_equal(text_lost, want_lost);
	n2p_buf_free(&out);
	n2p_buf_free(&text);
}

/* Encoding v fails with code, and leaves what out held. */
static void
expect_error(N2pTypedEncoder *enc, N2pValue v, N2pColumnType t, N2pErrCode code)
{
	N2pBuf		out;
	N2pError	err;
	bool		lost;

	n2p_buf_init(&out, &n2p_libc_allocator);
	n2p_error_init(&err);
	assert_true(n2p_buf_append(&out, "xy", 2));
	assert_false(n2p_copy_binary_typed(enc, &out, &v, t, &lost, &err));
	assert_int_equal(err.code, code);
	assert_int_equal(out.len, 2);
	assert_string_equal(out.data, "xy");
	n2p_buf_free(&out);
}

/* A value written as a literal, and the field expect() wants of it. */
typedef struct LiteralCase
{
	const char *literal;
	N2pColKind	kind;
	const char *want;			/* hex, spaces ignored */
	bool		lost;
} LiteralCase;

static void
expect_literals(const LiteralCase *cases, size_t n)
{
	N2pTypedEncoder enc;
	size_t		i;

	n2p_typed_encoder_init(&enc, &n2p_libc_allocator, false, NULL);
	for (i = 0; i < n; i++)
		expect(&enc, v_literal(&arena, cases[i].literal), col(cases[i].kind), cases[i].want,
			   cases[i].lost);
	n2p_typed_encoder_free(&enc);
}

static void
test_plain_kinds(void **state)
{
	N2pTypedEncoder enc;
	N2pPgEncodeOpts opts = {.nul_replacement = "?"};

	(void) state;
	n2p_typed_encoder_init(&enc, &n2p_libc_allocator, false, &opts);
	expect(&enc, v_int(-2), col(N2P_COL_BIGINT), "00000008 fffffffffffffffe", false);
	expect(&enc, v_bool(true), col(N2P_COL_BOOL), "00000001 01", false);
	expect(&enc, v_bytes("\x00\xff", 2), col(N2P_COL_BYTEA), "00000002 00ff", false);
	/* U+0000 replaced as the text path replaces it, and not counted */
	expect(&enc, v_str("a\0b", 3), col(N2P_COL_TEXT), "00000003 613f62", false);
	assert_int_equal(opts.nul_replaced, 0);
	/* jsonb: version 1, then the JSON text of props */
	expect(&enc, v_str("a\0b", 3), col(N2P_COL_JSONB), "00000006 01 22613f6222", false);
	expect(&enc, v_str("", 0), col(N2P_COL_TEXT), "00000000", false);
	n2p_typed_encoder_free(&enc);
	n2p_typed_encoder_init(&enc, &n2p_libc_allocator, false, NULL);
	expect_error(&enc, v_str("a\0b", 3), col(N2P_COL_TEXT), N2P_ERR_DATA);
	expect_error(&enc, v_str("a\0b", 3), col(N2P_COL_JSONB), N2P_ERR_DATA);
	n2p_typed_encoder_free(&enc);
}

/* The bits of the double; every NaN is float8in's NaN, as "NaN" reads. */
static void
test_floats(void **state)
{
	N2pTypedEncoder enc;

	(void) state;
	n2p_typed_encoder_init(&enc, &n2p_libc_allocator, false, NULL);
	expect(&enc, v_float(1.5), col(N2P_COL_FLOAT8), "00000008 3ff8000000000000", false);
	expect(&enc, v_float(-0.0), col(N2P_COL_FLOAT8), "00000008 8000000000000000", false);
	expect(&enc, v_float(-INFINITY), col(N2P_COL_FLOAT8), "00000008 fff0000000000000", false);
	expect(&enc, v_float(5e-324), col(N2P_COL_FLOAT8), "00000008 0000000000000001", false);
	/* a NaN, negative, with a payload */
	expect(&enc, v_float_bits(UINT64_C(0xfff0000000000123)), col(N2P_COL_FLOAT8),
		   "00000008 7ff8000000000000", false);
	n2p_typed_encoder_free(&enc);
}

/* The text field of v for a float8 column. */
static void
expect_float_text(N2pTypedEncoder *enc, N2pValue v, const char *want)
{
	N2pBuf		text;
	N2pError	err;
	bool		lost;

	n2p_buf_init(&text, &n2p_libc_allocator);
	n2p_error_init(&err);
	assert_true(n2p_copy_text_typed(enc, &text, &v, col(N2P_COL_FLOAT8), &lost, &err));
	assert_false(lost);
	assert_int_equal(text.len, strlen(want));
	assert_memory_equal(text.data, want, text.len);
	n2p_buf_free(&text);
}

/*
 * A float's token is the text float8 reads, unless its double is 0: the
 * token then underflowed (1e-400), which float8in refuses.
 */
static void
test_float_tokens(void **state)
{
	N2pTypedEncoder enc;

	(void) state;
	n2p_typed_encoder_init(&enc, &n2p_libc_allocator, false, NULL);
	expect_float_text(&enc, v_float_text(0.5, "0.50"), "0.50");
	expect_float_text(&enc, v_float_text(4.9e-324, "4.9e-324"), "4.9e-324");
	expect_float_text(&enc, v_float_text(0.0, "1e-400"), "0.0");
	expect_float_text(&enc, v_float_text(-0.0, "-2.5e-330"), "-0.0");
	expect_float_text(&enc, v_float_text(0.0, "0.0"), "0.0");
	n2p_typed_encoder_free(&enc);
}

static void
test_dates(void **state)
{
	static const LiteralCase cases[] = {
		{"$date('2000-01-01')", N2P_COL_DATE, "00000004 00000000", false},
		{"$date('0001-01-01')", N2P_COL_DATE, "00000004 fff4dbf9", false},
		{"$date('+10000-01-01')", N2P_COL_DATE, "ffffffff", true},
		{"$date('0000-12-31')", N2P_COL_DATE, "ffffffff", true},
	};

	(void) state;
	expect_literals(cases, sizeof(cases) / sizeof(cases[0]));
}

/*
 * rint() of the fraction, half to even; 23:59:59.9999995 rounds to 24:00,
 * which time allows.
 */
static void
test_times(void **state)
{
	static const LiteralCase cases[] = {
		{"$time('00:00:00.0000005')", N2P_COL_TIME, "00000008 0000000000000000", false},
		{"$time('00:00:00.0000015')", N2P_COL_TIME, "00000008 0000000000000002", false},
		{"$time('00:00:00.0000025')", N2P_COL_TIME, "00000008 0000000000000002", false},
		{"$time('23:59:59.9999995')", N2P_COL_TIME, "00000008 000000141dd76000", false},
		{"$time('24:00:00')", N2P_COL_TIME, "00000008 000000141dd76000", false},
		/* timetz: the zone in seconds west, so +01:00:30 is -3630 */
		{"$time('12:00:00+01:00:30')", N2P_COL_TIMETZ, "0000000c 0000000a0eebb000 fffff1d2",
		false},
		{"$time('24:00:00-15:59:59')", N2P_COL_TIMETZ, "0000000c 000000141dd76000 0000e0ff",
		false},
		{"$time('12:00:00+16:00')", N2P_COL_TIMETZ, "ffffffff", true},
	};

	(void) state;
	expect_literals(cases, sizeof(cases) / sizeof(cases[0]));
}

/* The rounding carries into the next day; timestamptz is the UTC instant. */
static void
test_timestamps(void **state)
{
	static const LiteralCase cases[] = {
		{"$datetime('1999-12-31T23:59:59.9999995')", N2P_COL_TIMESTAMP,
		"00000008 0000000000000000", false},
		{"$datetime('2000-01-01T00:00:00.0000025')", N2P_COL_TIMESTAMP,
		"00000008 0000000000000002", false},
		{"$datetime('+10000-01-01T00:00:00')", N2P_COL_TIMESTAMP, "ffffffff", true},
		{"$datetime('2000-01-01T01:00:00+01:00')", N2P_COL_TIMESTAMPTZ,
		"00000008 0000000000000000", false},
		{"$datetime('2000-01-01T00:00:00.5-00:00:30')", N2P_COL_TIMESTAMPTZ,
		"00000008 0000000001d164a0", false},
		/* past year 9999 in UTC, but the local date is what must fit */
		{"$datetime('9999-12-31T23:59:59.9999995-15:59:59')", N2P_COL_TIMESTAMPTZ,
		"00000008 0380e718fa667dc0", false},
		{"$datetime('2000-01-01T00:00:00+16:00')", N2P_COL_TIMESTAMPTZ, "ffffffff", true},
	};

	(void) state;
	expect_literals(cases, sizeof(cases) / sizeof(cases[0]));
}

/*
 * Interval: time, days, months.  The seconds go through strtod whole and
 * round away from zero only past one half, unlike times: PT15.0000005S
 * gives 15000001 where 00:00:15.0000005 gives 15000000.
 */
static void
test_intervals(void **state)
{
	N2pTypedEncoder enc;

	(void) state;
	n2p_typed_encoder_init(&enc, &n2p_libc_allocator, false, NULL);
	expect(&enc, v_duration(0, 0, 15, 500), col(N2P_COL_INTERVAL),
		   "00000010 0000000000e4e1c1 00000000 00000000", false);
	expect(&enc, v_duration(0, 0, 0, 500), col(N2P_COL_INTERVAL),
		   "00000010 0000000000000000 00000000 00000000", false);
	/* carries into the next second */
	expect(&enc, v_duration(0, 0, 59, 999999500), col(N2P_COL_INTERVAL),
		   "00000010 0000000003938700 00000000 00000000", false);
	/* PT-0.0000025S */
	expect(&enc, v_duration(0, 0, -1, 999997500), col(N2P_COL_INTERVAL),
		   "00000010 fffffffffffffffe 00000000 00000000", false);
	/* P1Y2M3DT-4H-5M-6.5S: signs apart, as Neo4j keeps them */
	expect(&enc, v_duration(14, 3, -14707, 500000000), col(N2P_COL_INTERVAL),
		   "00000010 fffffffc936c9e60 00000003 0000000e", false);
	expect(&enc, v_duration(INT32_MIN, INT32_MAX, 0, 0), col(N2P_COL_INTERVAL),
		   "00000010 0000000000000000 7fffffff 80000000", false);
	expect(&enc, v_duration((int64_t) INT32_MAX + 1, 0, 0, 0), col(N2P_COL_INTERVAL),
		   "ffffffff", true);
	n2p_typed_encoder_free(&enc);
}

/* EWKB, little-endian, with the SRID flag and, in 3-D, the Z flag. */
static void
test_points_postgis(void **state)
{
	N2pTypedEncoder enc;
	N2pValue	v;

	(void) state;
	n2p_typed_encoder_init(&enc, &n2p_libc_allocator, true, NULL);
	v = v_literal(&arena, "$point({x: 1.5, y: -2.0, crs: 'wgs-84'})");
	expect(&enc, v, col(N2P_COL_POINT),
		   "00000019 01 01000020 e6100000 000000000000f83f 00000000000000c0", false);
	v = v_literal(&arena, "$point({x: 1.0, y: 2.0, z: 3.0, crs: 'wgs-84-3d'})");
	expect(&enc, v, col(N2P_COL_POINT),
		   "00000021 01 010000a0 73130000 000000000000f03f 0000000000000040 0000000000000840",
		   false);
	v = v_literal(&arena, "$point({x: 1.0, y: 2.0, z: 3.0, crs: 'wgs-84-3d'})");
	v.u.point.z = NAN;
	expect(&enc, v, col(N2P_COL_POINT), "ffffffff", true);
	n2p_typed_encoder_free(&enc);
}

/* record_recv's format: 4 columns, each OID, length, data; z NULL in 2-D. */
static void
test_points_composite(void **state)
{
	N2pTypedEncoder enc;
	N2pValue	v;

	(void) state;
	n2p_typed_encoder_init(&enc, &n2p_libc_allocator, false, NULL);
	v = v_literal(&arena, "$point({x: 1.5, y: -2.0, crs: 'cartesian'})");
	expect(&enc, v, col(N2P_COL_POINT),
		   "00000038 00000004 00000017 00000004 00001c23 "
		   "000002bd 00000008 3ff8000000000000 000002bd 00000008 c000000000000000 "
		   "000002bd ffffffff", false);
	v = v_literal(&arena, "$point({x: 1.0, y: 2.0, z: -0.0, crs: 'cartesian-3d'})");
	expect(&enc, v, col(N2P_COL_POINT),
		   "00000040 00000004 00000017 00000004 000023c5 "
		   "000002bd 00000008 3ff0000000000000 000002bd 00000008 4000000000000000 "
		   "000002bd 00000008 8000000000000000", false);
	v = v_literal(&arena, "$point({x: 1.5, y: -2.0, crs: 'cartesian'})");
	v.u.point.x = INFINITY;
	expect(&enc, v, col(N2P_COL_POINT), "ffffffff", true);
	n2p_typed_encoder_free(&enc);
}

/* array_recv's format; an element the type cannot hold is a NULL element. */
static void
test_arrays(void **state)
{
	N2pTypedEncoder enc;
	N2pValue	items[2],
				v;

	(void) state;
	n2p_typed_encoder_init(&enc, &n2p_libc_allocator, false, NULL);
	items[0] = v_int(1);
	items[1] = v_int(2);
	v = v_list(items, 2);
	expect(&enc, v, arr(N2P_COL_BIGINT),
		   "0000002c 00000001 00000000 00000014 00000002 00000001 "
		   "00000008 0000000000000001 00000008 0000000000000002", false);
	v = v_list(items, 0);
	expect(&enc, v, arr(N2P_COL_BIGINT), "0000000c 00000000 00000000 00000014", false);
	items[0] = v_literal(&arena, "$date('2000-01-01')");
	items[1] = v_literal(&arena, "$date('+10000-01-01')");
	v = v_list(items, 2);
	expect(&enc, v, arr(N2P_COL_DATE),
		   "00000020 00000001 00000001 0000043a 00000002 00000001 00000004 00000000 ffffffff",
		   true);
	/* not a list: lost, as in the text path */
	expect(&enc, items[0], arr(N2P_COL_DATE), "ffffffff", true);
	/* jsonb holds lists as JSON */
	v = v_list(items, 1);
	expect(&enc, v, col(N2P_COL_JSONB), "0000000f 01 5b22323030302d30312d3031225d", false);
	n2p_typed_encoder_free(&enc);
}

/* Arrays of points name an element OID the caller looked up. */
static void
test_point_arrays(void **state)
{
	N2pTypedEncoder enc;
	N2pValue	items[1],
				v;

	(void) state;
	items[0] = v_literal(&arena, "$point({x: 1.5, y: -2.0, crs: 'wgs-84'})");
	v = v_list(items, 1);
	n2p_typed_encoder_init(&enc, &n2p_libc_allocator, true, NULL);
	expect_error(&enc, v, arr(N2P_COL_POINT), N2P_ERR_USAGE);
	enc.geometry_oid = 0x12345;
	expect(&enc, v, arr(N2P_COL_POINT),
		   "00000031 00000001 00000000 00012345 00000001 00000001 "
		   "00000019 01 01000020 e6100000 000000000000f83f 00000000000000c0", false);
	n2p_typed_encoder_free(&enc);
	n2p_typed_encoder_init(&enc, &n2p_libc_allocator, false, NULL);
	enc.geometry_oid = 0x12345;
	expect_error(&enc, v, arr(N2P_COL_POINT), N2P_ERR_USAGE);
	enc.point_oid = 0x3039;
	v = v_list(items, 0);
	expect(&enc, v, arr(N2P_COL_POINT), "0000000c 00000000 00000000 00003039", false);
	n2p_typed_encoder_free(&enc);
}

/* A value of another type than the column's is the caller's mistake. */
static void
test_wrong_type(void **state)
{
	N2pTypedEncoder enc;
	N2pValue	items[1],
				v;

	(void) state;
	n2p_typed_encoder_init(&enc, &n2p_libc_allocator, false, NULL);
	v = v_int(1);
	expect_error(&enc, v, col(N2P_COL_DATE), N2P_ERR_USAGE);
	expect_error(&enc, v, col(N2P_COL_FLOAT8), N2P_ERR_USAGE);
	items[0] = v;
	v = v_list(items, 1);
	expect_error(&enc, v, arr(N2P_COL_TEXT), N2P_ERR_USAGE);
	v = v_literal(&arena, "$time('12:00:00')");
	expect_error(&enc, v, col(N2P_COL_TIMETZ), N2P_ERR_USAGE);
	n2p_typed_encoder_free(&enc);
}

/* Out of memory at every allocation: an error, out as it was, no leak. */
static void
test_out_of_memory(void **state)
{
	N2pValue	items[3],
				v;
	int			left;

	(void) state;
	items[0] = v_str("some text that needs the buffer to grow more than once: "
					 "0123456789012345678901234567890123456789", 96);
	items[1] = items[0];
	items[2] = items[0];
	v = v_list(items, 3);
	for (left = 0;; left++)
	{
		FailingAlloc fa = {left, 0, 0};
		N2pAllocator alloc = {failing_malloc, failing_realloc, failing_free, &fa};
		N2pTypedEncoder enc;
		N2pBuf		out;
		N2pError	err;
		bool		lost,
					ok;

		n2p_typed_encoder_init(&enc, &alloc, false, NULL);
		n2p_buf_init(&out, &alloc);
		n2p_error_init(&err);
		ok = n2p_copy_binary_typed(&enc, &out, &v, arr(N2P_COL_TEXT), &lost, &err) &&
			n2p_copy_binary_typed(&enc, &out, &v, col(N2P_COL_JSONB), &lost, &err);
		if (!ok)
			assert_int_equal(err.code, N2P_ERR_NOMEM);
		n2p_buf_free(&out);
		n2p_typed_encoder_free(&enc);
		assert_int_equal(fa.live, 0);
		if (ok)
			break;
	}
	assert_true(left > 0);
}

static int
setup(void **state)
{
	(void) state;
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	return 0;
}

static int
teardown(void **state)
{
	(void) state;
	n2p_arena_destroy(&arena);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_kinds),
		cmocka_unit_test(test_floats),
		cmocka_unit_test(test_float_tokens),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_timestamps),
		cmocka_unit_test(test_intervals),
		cmocka_unit_test(test_points_postgis),
		cmocka_unit_test(test_points_composite),
		cmocka_unit_test(test_arrays),
		cmocka_unit_test(test_point_arrays),
		cmocka_unit_test(test_wrong_type),
		cmocka_unit_test(test_out_of_memory),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
