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

static N2pValue
lit(const char *s)
{
	N2pValue	v;
	N2pError	err;

	n2p_error_init(&err);
	assert_true(n2p_literal_parse(s, strlen(s), &v, &arena, &err));
	return v;
}

static N2pValue
str(const char *s, size_t len)
{
	N2pValue	v = {.type = N2P_STRING};

	v.u.str.ptr = s;
	v.u.str.len = len;
	return v;
}

static N2pValue
list_of(N2pValue *items, size_t n)
{
	N2pValue	v = {.type = N2P_LIST};

	v.u.list.items = items;
	v.u.list.n = n;
	return v;
}

static N2pValue
dur(int64_t months, int64_t days, int64_t secs, int32_t nanos)
{
	N2pValue	v = {.type = N2P_DURATION};

	v.u.dur.months = months;
	v.u.dur.days = days;
	v.u.dur.secs = secs;
	v.u.dur.nanos = nanos;
	return v;
}

static N2pValue
dbl(uint64_t bits)
{
	N2pValue	v = {.type = N2P_FLOAT};

	memcpy(&v.u.f, &bits, sizeof(v.u.f));
	return v;
}

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
expect(N2pTypedEncoder *enc, const N2pValue *v, N2pColumnType t, const char *want,
	   bool want_lost)
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
	assert_true(n2p_copy_binary_typed(enc, &out, v, t, &lost, &err));
	assert_true(n2p_copy_text_typed(enc, &text, v, t, &text_lost, &err));
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
expect_error(N2pTypedEncoder *enc, const N2pValue *v, N2pColumnType t, N2pErrCode code)
{
	N2pBuf		out;
	N2pError	err;
	bool		lost;

	n2p_buf_init(&out, &n2p_libc_allocator);
	n2p_error_init(&err);
	assert_true(n2p_buf_append(&out, "xy", 2));
	assert_false(n2p_copy_binary_typed(enc, &out, v, t, &lost, &err));
	assert_int_equal(err.code, code);
	assert_int_equal(out.len, 2);
	assert_string_equal(out.data, "xy");
	n2p_buf_free(&out);
}

static void
test_plain_kinds(void **state)
{
	N2pTypedEncoder enc;
	N2pPgEncodeOpts opts = {"?", 0};
	N2pValue	v;

	(void) state;
	n2p_typed_encoder_init(&enc, &n2p_libc_allocator, false, &opts);
	expect(&enc, &(N2pValue) {.type = N2P_INT, .u.i = -2}, col(N2P_COL_BIGINT),
		   "00000008 fffffffffffffffe", false);
	expect(&enc, &(N2pValue) {.type = N2P_BOOL, .u.b = true}, col(N2P_COL_BOOL),
		   "00000001 01", false);
	v = str("\x00\xff", 2);
	v.type = N2P_BYTES;
	expect(&enc, &v, col(N2P_COL_BYTEA), "00000002 00ff", false);
	/* U+0000 replaced as the text path replaces it, and not counted */
	v = str("a\0b", 3);
	expect(&enc, &v, col(N2P_COL_TEXT), "00000003 613f62", false);
	assert_int_equal(opts.nul_replaced, 0);
	/* jsonb: version 1, then the JSON text of props */
	expect(&enc, &v, col(N2P_COL_JSONB), "00000006 01 22613f6222", false);
	v = str("", 0);
	expect(&enc, &v, col(N2P_COL_TEXT), "00000000", false);
	n2p_typed_encoder_free(&enc);
	n2p_typed_encoder_init(&enc, &n2p_libc_allocator, false, NULL);
	v = str("a\0b", 3);
	expect_error(&enc, &v, col(N2P_COL_TEXT), N2P_ERR_DATA);
	expect_error(&enc, &v, col(N2P_COL_JSONB), N2P_ERR_DATA);
	n2p_typed_encoder_free(&enc);
}

/* The bits of the double; every NaN is float8in's NaN, as "NaN" reads. */
static void
test_floats(void **state)
{
	N2pTypedEncoder enc;
	N2pValue	v;

	(void) state;
	n2p_typed_encoder_init(&enc, &n2p_libc_allocator, false, NULL);
	expect(&enc, &(N2pValue) {.type = N2P_FLOAT, .u.f = 1.5}, col(N2P_COL_FLOAT8),
		   "00000008 3ff8000000000000", false);
	expect(&enc, &(N2pValue) {.type = N2P_FLOAT, .u.f = -0.0}, col(N2P_COL_FLOAT8),
		   "00000008 8000000000000000", false);
	expect(&enc, &(N2pValue) {.type = N2P_FLOAT, .u.f = -INFINITY}, col(N2P_COL_FLOAT8),
		   "00000008 fff0000000000000", false);
	expect(&enc, &(N2pValue) {.type = N2P_FLOAT, .u.f = 5e-324}, col(N2P_COL_FLOAT8),
		   "00000008 0000000000000001", false);
	v = dbl(UINT64_C(0xfff0000000000123));	/* a NaN, negative, with a payload */
	expect(&enc, &v, col(N2P_COL_FLOAT8), "00000008 7ff8000000000000", false);
	n2p_typed_encoder_free(&enc);
}

static void
test_dates(void **state)
{
	N2pTypedEncoder enc;
	N2pValue	v;

	(void) state;
	n2p_typed_encoder_init(&enc, &n2p_libc_allocator, false, NULL);
	v = lit("$date('2000-01-01')");
	expect(&enc, &v, col(N2P_COL_DATE), "00000004 00000000", false);
	v = lit("$date('0001-01-01')");
	expect(&enc, &v, col(N2P_COL_DATE), "00000004 fff4dbf9", false);
	v = lit("$date('+10000-01-01')");
	expect(&enc, &v, col(N2P_COL_DATE), "ffffffff", true);
	v = lit("$date('0000-12-31')");
	expect(&enc, &v, col(N2P_COL_DATE), "ffffffff", true);
	n2p_typed_encoder_free(&enc);
}

/*
 * rint() of the fraction, half to even; 23:59:59.9999995 rounds to 24:00,
 * which time allows.
 */
static void
test_times(void **state)
{
	N2pTypedEncoder enc;
	N2pValue	v;

	(void) state;
	n2p_typed_encoder_init(&enc, &n2p_libc_allocator, false, NULL);
	v = lit("$time('00:00:00.0000005')");
	expect(&enc, &v, col(N2P_COL_TIME), "00000008 0000000000000000", false);
	v = lit("$time('00:00:00.0000015')");
	expect(&enc, &v, col(N2P_COL_TIME), "00000008 0000000000000002", false);
	v = lit("$time('00:00:00.0000025')");
	expect(&enc, &v, col(N2P_COL_TIME), "00000008 0000000000000002", false);
	v = lit("$time('23:59:59.9999995')");
	expect(&enc, &v, col(N2P_COL_TIME), "00000008 000000141dd76000", false);
	v = lit("$time('24:00:00')");
	expect(&enc, &v, col(N2P_COL_TIME), "00000008 000000141dd76000", false);
	/* timetz: the zone in seconds west, so +01:00:30 is -3630 */
	v = lit("$time('12:00:00+01:00:30')");
	expect(&enc, &v, col(N2P_COL_TIMETZ), "0000000c 0000000a0eebb000 fffff1d2", false);
	v = lit("$time('24:00:00-15:59:59')");
	expect(&enc, &v, col(N2P_COL_TIMETZ), "0000000c 000000141dd76000 0000e0ff", false);
	v = lit("$time('12:00:00+16:00')");
	expect(&enc, &v, col(N2P_COL_TIMETZ), "ffffffff", true);
	n2p_typed_encoder_free(&enc);
}

/* The rounding carries into the next day; timestamptz is the UTC instant. */
static void
test_timestamps(void **state)
{
	N2pTypedEncoder enc;
	N2pValue	v;

	(void) state;
	n2p_typed_encoder_init(&enc, &n2p_libc_allocator, false, NULL);
	v = lit("$datetime('1999-12-31T23:59:59.9999995')");
	expect(&enc, &v, col(N2P_COL_TIMESTAMP), "00000008 0000000000000000", false);
	v = lit("$datetime('2000-01-01T00:00:00.0000025')");
	expect(&enc, &v, col(N2P_COL_TIMESTAMP), "00000008 0000000000000002", false);
	v = lit("$datetime('+10000-01-01T00:00:00')");
	expect(&enc, &v, col(N2P_COL_TIMESTAMP), "ffffffff", true);
	v = lit("$datetime('2000-01-01T01:00:00+01:00')");
	expect(&enc, &v, col(N2P_COL_TIMESTAMPTZ), "00000008 0000000000000000", false);
	v = lit("$datetime('2000-01-01T00:00:00.5-00:00:30')");
	expect(&enc, &v, col(N2P_COL_TIMESTAMPTZ), "00000008 0000000001d164a0", false);
	/* past year 9999 in UTC, but the local date is what must fit */
	v = lit("$datetime('9999-12-31T23:59:59.9999995-15:59:59')");
	expect(&enc, &v, col(N2P_COL_TIMESTAMPTZ), "00000008 0380e718fa667dc0", false);
	v = lit("$datetime('2000-01-01T00:00:00+16:00')");
	expect(&enc, &v, col(N2P_COL_TIMESTAMPTZ), "ffffffff", true);
	n2p_typed_encoder_free(&enc);
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
	N2pValue	v;

	(void) state;
	n2p_typed_encoder_init(&enc, &n2p_libc_allocator, false, NULL);
	v = dur(0, 0, 15, 500);
	expect(&enc, &v, col(N2P_COL_INTERVAL), "00000010 0000000000e4e1c1 00000000 00000000",
		   false);
	v = dur(0, 0, 0, 500);
	expect(&enc, &v, col(N2P_COL_INTERVAL), "00000010 0000000000000000 00000000 00000000",
		   false);
	v = dur(0, 0, 59, 999999500);	/* carries into the next second */
	expect(&enc, &v, col(N2P_COL_INTERVAL), "00000010 0000000003938700 00000000 00000000",
		   false);
	v = dur(0, 0, -1, 999997500);	/* PT-0.0000025S */
	expect(&enc, &v, col(N2P_COL_INTERVAL), "00000010 fffffffffffffffe 00000000 00000000",
		   false);
	/* P1Y2M3DT-4H-5M-6.5S: signs apart, as Neo4j keeps them */
	v = dur(14, 3, -14707, 500000000);
	expect(&enc, &v, col(N2P_COL_INTERVAL), "00000010 fffffffc936c9e60 00000003 0000000e",
		   false);
	v = dur(INT32_MIN, INT32_MAX, 0, 0);
	expect(&enc, &v, col(N2P_COL_INTERVAL), "00000010 0000000000000000 7fffffff 80000000",
		   false);
	v = dur((int64_t) INT32_MAX + 1, 0, 0, 0);
	expect(&enc, &v, col(N2P_COL_INTERVAL), "ffffffff", true);
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
	v = lit("$point({x: 1.5, y: -2.0, crs: 'wgs-84'})");
	expect(&enc, &v, col(N2P_COL_POINT),
		   "00000019 01 01000020 e6100000 000000000000f83f 00000000000000c0", false);
	v = lit("$point({x: 1.0, y: 2.0, z: 3.0, crs: 'wgs-84-3d'})");
	expect(&enc, &v, col(N2P_COL_POINT),
		   "00000021 01 010000a0 73130000 000000000000f03f 0000000000000040 0000000000000840",
		   false);
	v = lit("$point({x: 1.0, y: 2.0, z: 3.0, crs: 'wgs-84-3d'})");
	v.u.point.z = NAN;
	expect(&enc, &v, col(N2P_COL_POINT), "ffffffff", true);
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
	v = lit("$point({x: 1.5, y: -2.0, crs: 'cartesian'})");
	expect(&enc, &v, col(N2P_COL_POINT),
		   "00000038 00000004 00000017 00000004 00001c23 "
		   "000002bd 00000008 3ff8000000000000 000002bd 00000008 c000000000000000 "
		   "000002bd ffffffff", false);
	v = lit("$point({x: 1.0, y: 2.0, z: -0.0, crs: 'cartesian-3d'})");
	expect(&enc, &v, col(N2P_COL_POINT),
		   "00000040 00000004 00000017 00000004 000023c5 "
		   "000002bd 00000008 3ff0000000000000 000002bd 00000008 4000000000000000 "
		   "000002bd 00000008 8000000000000000", false);
	v = lit("$point({x: 1.5, y: -2.0, crs: 'cartesian'})");
	v.u.point.x = INFINITY;
	expect(&enc, &v, col(N2P_COL_POINT), "ffffffff", true);
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
	items[0] = (N2pValue) {.type = N2P_INT, .u.i = 1};
	items[1] = (N2pValue) {.type = N2P_INT, .u.i = 2};
	v = list_of(items, 2);
	expect(&enc, &v, arr(N2P_COL_BIGINT),
		   "0000002c 00000001 00000000 00000014 00000002 00000001 "
		   "00000008 0000000000000001 00000008 0000000000000002", false);
	v = list_of(items, 0);
	expect(&enc, &v, arr(N2P_COL_BIGINT), "0000000c 00000000 00000000 00000014", false);
	items[0] = lit("$date('2000-01-01')");
	items[1] = lit("$date('+10000-01-01')");
	v = list_of(items, 2);
	expect(&enc, &v, arr(N2P_COL_DATE),
		   "00000020 00000001 00000001 0000043a 00000002 00000001 00000004 00000000 ffffffff",
		   true);
	/* not a list: lost, as in the text path */
	expect(&enc, &items[0], arr(N2P_COL_DATE), "ffffffff", true);
	/* jsonb holds lists as JSON */
	v = list_of(items, 1);
	expect(&enc, &v, col(N2P_COL_JSONB), "0000000f 01 5b22323030302d30312d3031225d", false);
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
	items[0] = lit("$point({x: 1.5, y: -2.0, crs: 'wgs-84'})");
	v = list_of(items, 1);
	n2p_typed_encoder_init(&enc, &n2p_libc_allocator, true, NULL);
	expect_error(&enc, &v, arr(N2P_COL_POINT), N2P_ERR_USAGE);
	enc.geometry_oid = 0x12345;
	expect(&enc, &v, arr(N2P_COL_POINT),
		   "00000031 00000001 00000000 00012345 00000001 00000001 "
		   "00000019 01 01000020 e6100000 000000000000f83f 00000000000000c0", false);
	n2p_typed_encoder_free(&enc);
	n2p_typed_encoder_init(&enc, &n2p_libc_allocator, false, NULL);
	enc.geometry_oid = 0x12345;
	expect_error(&enc, &v, arr(N2P_COL_POINT), N2P_ERR_USAGE);
	enc.point_oid = 0x3039;
	v = list_of(items, 0);
	expect(&enc, &v, arr(N2P_COL_POINT), "0000000c 00000000 00000000 00003039", false);
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
	v = (N2pValue) {.type = N2P_INT, .u.i = 1};
	expect_error(&enc, &v, col(N2P_COL_DATE), N2P_ERR_USAGE);
	expect_error(&enc, &v, col(N2P_COL_FLOAT8), N2P_ERR_USAGE);
	items[0] = v;
	v = list_of(items, 1);
	expect_error(&enc, &v, arr(N2P_COL_TEXT), N2P_ERR_USAGE);
	v = lit("$time('12:00:00')");
	expect_error(&enc, &v, col(N2P_COL_TIMETZ), N2P_ERR_USAGE);
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
	items[0] = str("some text that needs the buffer to grow more than once: "
				   "0123456789012345678901234567890123456789", 96);
	items[1] = items[0];
	items[2] = items[0];
	v = list_of(items, 3);
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
