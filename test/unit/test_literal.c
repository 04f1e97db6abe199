/*-------------------------------------------------------------------------
 *
 * test_literal.c
 *	  Unit tests for the literal codec, calendar helpers and float repr.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  test/unit/test_literal.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "neo2pg/literal.h"

#include "float_repr_ref.h"
#include "test_support.h"

#define NS		INT64_C(1000000000)

/* ---------------------------------------------------------------- helpers */

static int
setup_arena(void **state)
{
	N2pArena   *arena = test_malloc(sizeof(N2pArena));

	n2p_arena_init(arena, &n2p_libc_allocator, 0);
	*state = arena;
	return 0;
}

static int
teardown_arena(void **state)
{
	N2pArena   *arena = *state;

	n2p_arena_destroy(arena);
	test_free(arena);
	return 0;
}

static N2pValue
parse_ok(N2pArena *arena, const char *s)
{
	N2pValue	v;
	N2pError	err;

	n2p_error_init(&err);
	memset(&v, 0, sizeof(v));
	if (!n2p_literal_parse(s, strlen(s), &v, arena, &err))
		fail_msg("rejected %s: %s", s, err.msg);
	assert_int_equal(err.code, N2P_OK);
	return v;
}

static void
assert_rejected(N2pArena *arena, const char *s)
{
	N2pValue	v;
	N2pError	err;

	n2p_error_init(&err);
	v.type = N2P_INT;
	v.u.i = 42;
	if (n2p_literal_parse(s, strlen(s), &v, arena, &err))
		fail_msg("accepted %s", s);
	assert_int_equal(err.code, N2P_ERR_SYNTAX);
	assert_memory_equal(err.msg, "invalid ", 8);
	/* The output is left alone on failure. */
	assert_int_equal(v.type, N2P_INT);
	assert_int_equal(v.u.i, 42);
}

static void
assert_iso(const N2pValue *v, const char *expected)
{
	N2pBuf		buf;

	n2p_buf_init(&buf, &n2p_libc_allocator);
	assert_true(n2p_temporal_format_iso(v, &buf));
	assert_string_equal(buf.data, expected);
	n2p_buf_free(&buf);
}

static void
assert_literal(const N2pValue *v, const char *expected)
{
	N2pBuf		buf;

	n2p_buf_init(&buf, &n2p_libc_allocator);
	assert_true(n2p_literal_format(v, &buf));
	assert_string_equal(buf.data, expected);
	n2p_buf_free(&buf);
}

static bool
same_double(double a, double b)
{
	return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof(a)) == 0;
}

static void
assert_same_value(const N2pValue *a, const N2pValue *b)
{
	assert_int_equal(a->type, b->type);
	switch (a->type)
	{
		case N2P_DATE:
			assert_int_equal(a->u.date, b->u.date);
			break;
		case N2P_TIME:
		case N2P_LOCALTIME:
			assert_int_equal(a->u.time.nanos, b->u.time.nanos);
			assert_int_equal(a->u.time.offset, b->u.time.offset);
			break;
		case N2P_DATETIME:
		case N2P_LOCALDATETIME:
			assert_int_equal(a->u.dt.secs, b->u.dt.secs);
			assert_int_equal(a->u.dt.nanos, b->u.dt.nanos);
			assert_int_equal(a->u.dt.offset, b->u.dt.offset);
			break;
		case N2P_DURATION:
			assert_int_equal(a->u.dur.months, b->u.dur.months);
			assert_int_equal(a->u.dur.days, b->u.dur.days);
			assert_int_equal(a->u.dur.secs, b->u.dur.secs);
			assert_int_equal(a->u.dur.nanos, b->u.dur.nanos);
			break;
		case N2P_POINT:
			assert_int_equal(a->u.point.srid, b->u.point.srid);
			assert_true(same_double(a->u.point.x, b->u.point.x));
			assert_true(same_double(a->u.point.y, b->u.point.y));
			assert_true(same_double(a->u.point.z, b->u.point.z));
			break;
		default:
			fail_msg("unexpected type %d", (int) a->type);
	}
}

static N2pValue
parse_iso_ok(N2pArena *arena, N2pType type, const char *s)
{
	N2pValue	v;
	N2pError	err;

	n2p_error_init(&err);
	if (!n2p_temporal_parse_iso(type, s, strlen(s), &v, arena, &err))
		fail_msg("rejected ISO %s: %s", s, err.msg);
	return v;
}

static void
assert_iso_rejected(N2pArena *arena, N2pType type, const char *s)
{
	N2pValue	v;
	N2pError	err;

	n2p_error_init(&err);
	if (n2p_temporal_parse_iso(type, s, strlen(s), &v, arena, &err))
		fail_msg("accepted ISO %s", s);
	assert_int_equal(err.code, N2P_ERR_SYNTAX);
}

static void
assert_double_repr(double d, const char *expected)
{
	char		buf[N2P_DOUBLE_BUFSZ];
	size_t		n = n2p_format_double(d, buf);

	assert_string_equal(buf, expected);
	assert_int_equal(n, strlen(expected));
}

/* ---------------------------------------------------------------- tests */

static void
test_prefix(void **state)
{
	static const char *yes[] = {"$point(", "$date(", "$time(", "$datetime(",
	"$duration(", "$date('x')"};
	static const char *no[] = {"", "$", "$date", "$Date(", "date(", " $date(",
	"$datetime", "$localtime(", "$dates("};

	(void) state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		assert_true(n2p_literal_has_prefix(yes[i], strlen(yes[i])));
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_false(n2p_literal_has_prefix(no[i], strlen(no[i])));
	/* The length bounds the check, not a NUL. */
	assert_false(n2p_literal_has_prefix("$date(", 5));
}

static void
test_date(void **state)
{
	N2pValue	v = parse_ok(*state, "$date('1999-01-01')");

	assert_int_equal(v.type, N2P_DATE);
	assert_int_equal(v.u.date, 10592);
	assert_iso(&v, "1999-01-01");
	assert_literal(&v, "$date('1999-01-01')");
	v = parse_ok(*state, "$date('1970-01-01')");
	assert_int_equal(v.u.date, 0);
	v = parse_ok(*state, "$date('1969-12-31')");
	assert_int_equal(v.u.date, -1);
}

static void
test_date_years(void **state)
{
	N2pValue	v;

	v = parse_ok(*state, "$date('9999-12-31')");
	assert_iso(&v, "9999-12-31");
	v = parse_ok(*state, "$date('+10000-01-01')");
	assert_iso(&v, "10000-01-01");
	assert_literal(&v, "$date('10000-01-01')");
	assert_int_equal(parse_ok(*state, "$date('10000-01-01')").u.date, v.u.date);
	v = parse_ok(*state, "$date('0000-01-01')");
	assert_iso(&v, "0000-01-01");
	assert_int_equal(parse_ok(*state, "$date('-0000-01-01')").u.date, v.u.date);
	assert_int_equal(parse_ok(*state, "$date('+0000-01-01')").u.date, v.u.date);
	v = parse_ok(*state, "$date('-0001-12-31')");
	assert_iso(&v, "-0001-12-31");
	assert_int_equal(v.u.date + 1, parse_ok(*state, "$date('0000-01-01')").u.date);
	v = parse_ok(*state, "$date('0001-01-01')");
	assert_iso(&v, "0001-01-01");
	v = parse_ok(*state, "$date('+999999999-12-31')");
	assert_iso(&v, "999999999-12-31");
	v = parse_ok(*state, "$date('-999999999-01-01')");
	assert_iso(&v, "-999999999-01-01");
	v = parse_ok(*state, "$date('-12345-06-07')");
	assert_iso(&v, "-12345-06-07");
	assert_rejected(*state, "$date('999-01-01')");
	assert_rejected(*state, "$date('+999-01-01')");
	assert_rejected(*state, "$date('+1000000000-01-01')");
	assert_rejected(*state, "$date('1999-1-01')");
	assert_rejected(*state, "$date('1999-01-1')");
}

static void
test_leap_years(void **state)
{
	static const char *ok[] = {"$date('2000-02-29')", "$date('2004-02-29')",
		"$date('1600-02-29')", "$date('0000-02-29')", "$date('-0004-02-29')",
	"$date('-0400-02-29')", "$date('2001-12-31')", "$date('2001-04-30')"};
	static const char *bad[] = {"$date('1900-02-29')", "$date('2001-02-29')",
		"$date('2100-02-29')", "$date('-0100-02-29')", "$date('-0001-02-29')",
	"$date('2000-02-30')", "$date('2000-04-31')", "$date('2000-06-31')"};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
	{
		N2pValue	v = parse_ok(*state, ok[i]);
		N2pBuf		buf;

		n2p_buf_init(&buf, &n2p_libc_allocator);
		assert_true(n2p_literal_format(&v, &buf));
		assert_string_equal(buf.data, ok[i]);
		n2p_buf_free(&buf);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_rejected(*state, bad[i]);
	/* Day after Feb 28 in a non-leap year is March 1st. */
	assert_int_equal(parse_ok(*state, "$date('1900-02-28')").u.date + 1,
					 parse_ok(*state, "$date('1900-03-01')").u.date);
	assert_int_equal(parse_ok(*state, "$date('2000-02-29')").u.date + 1,
					 parse_ok(*state, "$date('2000-03-01')").u.date);
}

static void
test_time(void **state)
{
	N2pValue	v;

	v = parse_ok(*state, "$time('21:40:32.142000000+01:00')");
	assert_int_equal(v.type, N2P_TIME);
	assert_int_equal(v.u.time.nanos, (21 * 3600 + 40 * 60 + 32) * NS + 142000000);
	assert_int_equal(v.u.time.offset, 3600);
	assert_iso(&v, "21:40:32.142+01:00");
	assert_literal(&v, "$time('21:40:32.142000000+01:00')");

	v = parse_ok(*state, "$time('12:50:35.556000000')");
	assert_int_equal(v.type, N2P_LOCALTIME);
	assert_iso(&v, "12:50:35.556");
	assert_literal(&v, "$time('12:50:35.556000000')");

	v = parse_ok(*state, "$time('00:00:00')");
	assert_int_equal(v.type, N2P_LOCALTIME);
	assert_int_equal(v.u.time.nanos, 0);
	assert_iso(&v, "00:00:00");
	assert_literal(&v, "$time('00:00:00.000000000')");

	v = parse_ok(*state, "$time('23:59:59.999999999')");
	assert_int_equal(v.u.time.nanos, 86400 * NS - 1);

	/* Neo4j prints whole minutes without seconds. */
	v = parse_ok(*state, "$time('12:00Z')");
	assert_int_equal(v.type, N2P_TIME);
	assert_iso(&v, "12:00:00+00:00");
}

static void
test_time_24(void **state)
{
	N2pValue	v = parse_ok(*state, "$time('24:00:00')");

	assert_int_equal(v.type, N2P_LOCALTIME);
	assert_int_equal(v.u.time.nanos, 86400 * NS);
	assert_iso(&v, "24:00:00");
	assert_literal(&v, "$time('24:00:00.000000000')");
	v = parse_ok(*state, "$time('24:00:00.000000000+02:00')");
	assert_int_equal(v.type, N2P_TIME);
	assert_iso(&v, "24:00:00+02:00");
	assert_rejected(*state, "$time('24:00:01')");
	assert_rejected(*state, "$time('24:01:00')");
	assert_rejected(*state, "$time('24:00:00.000000001')");
	/* 24:00 on a datetime is midnight of the next day. */
	v = parse_ok(*state, "$datetime('1999-12-31T24:00:00')");
	assert_iso(&v, "2000-01-01T00:00:00");
}

static void
test_offsets(void **state)
{
	N2pValue	v;

	v = parse_ok(*state, "$time('10:00:00Z')");
	assert_int_equal(v.type, N2P_TIME);
	assert_int_equal(v.u.time.offset, 0);
	assert_iso(&v, "10:00:00+00:00");

	v = parse_ok(*state, "$time('10:00:00+00:00')");
	assert_int_equal(v.type, N2P_TIME);
	assert_iso(&v, "10:00:00+00:00");

	v = parse_ok(*state, "$time('10:00:00-00:00')");
	assert_int_equal(v.type, N2P_TIME);
	assert_int_equal(v.u.time.offset, 0);

	v = parse_ok(*state, "$time('10:00:00')");
	assert_int_equal(v.type, N2P_LOCALTIME);

	v = parse_ok(*state, "$time('10:00:00+05:30:15')");
	assert_int_equal(v.u.time.offset, 5 * 3600 + 30 * 60 + 15);
	assert_iso(&v, "10:00:00+05:30:15");
	assert_literal(&v, "$time('10:00:00.000000000+05:30:15')");

	v = parse_ok(*state, "$time('10:00:00-09:30')");
	assert_int_equal(v.u.time.offset, -(9 * 3600 + 30 * 60));
	assert_iso(&v, "10:00:00-09:30");

	v = parse_ok(*state, "$time('10:00:00+18:00')");
	assert_int_equal(v.u.time.offset, 18 * 3600);
	v = parse_ok(*state, "$time('10:00:00-18:00')");
	assert_int_equal(v.u.time.offset, -18 * 3600);

	assert_rejected(*state, "$time('10:00:00+18:01')");
	assert_rejected(*state, "$time('10:00:00+18:00:01')");
	assert_rejected(*state, "$time('10:00:00-19:00')");
	assert_rejected(*state, "$time('10:00:00+01:60')");
	assert_rejected(*state, "$time('10:00:00+01:00:60')");
	assert_rejected(*state, "$time('10:00:00+01')");
	assert_rejected(*state, "$time('10:00:00+0100')");
	assert_rejected(*state, "$time('10:00:00z')");
}

static void
test_fraction_digits(void **state)
{
	static const int64_t expect[] = {0, 100000000, 120000000, 123000000,
		123400000, 123450000, 123456000, 123456700, 123456780, 123456789};
	static const char *iso[] = {"08:09:10", "08:09:10.1", "08:09:10.12",
		"08:09:10.123", "08:09:10.1234", "08:09:10.12345", "08:09:10.123456",
	"08:09:10.1234567", "08:09:10.12345678", "08:09:10.123456789"};
	const char *digits = "123456789";

	for (int n = 0; n <= 9; n++)
	{
		char		lit[64];
		N2pValue	v;

		snprintf(lit, sizeof(lit), "$time('08:09:10%s%.*s')", n ? "." : "", n, digits);
		v = parse_ok(*state, lit);
		assert_int_equal(v.u.time.nanos, (8 * 3600 + 9 * 60 + 10) * NS + expect[n]);
		assert_iso(&v, iso[n]);
		snprintf(lit, sizeof(lit), "$datetime('2020-01-01T08:09:10%s%.*s+01:00')",
				 n ? "." : "", n, digits);
		v = parse_ok(*state, lit);
		assert_int_equal(v.u.dt.nanos, expect[n]);
	}
	assert_rejected(*state, "$time('08:09:10.1234567891')");
	assert_rejected(*state, "$time('08:09:10.')");
	assert_rejected(*state, "$time('08:09.5')");
	assert_rejected(*state, "$datetime('2020-01-01T08:09:10.0000000000')");
	/* Trailing zeros are trimmed, nine digits when all are significant. */
	assert_iso(&(N2pValue) {.type = N2P_LOCALTIME, .u.time.nanos = 1}, "00:00:00.000000001");
	assert_iso(&(N2pValue) {.type = N2P_LOCALTIME, .u.time.nanos = 500000000}, "00:00:00.5");
}

static void
test_time_ranges(void **state)
{
	assert_rejected(*state, "$time('25:00:00')");
	assert_rejected(*state, "$time('23:60:00')");
	assert_rejected(*state, "$time('23:59:60')");
	assert_rejected(*state, "$time('1:00:00')");
	assert_rejected(*state, "$time('01:0:00')");
	assert_rejected(*state, "$time('01:00:0')");
	assert_rejected(*state, "$time('01-00-00')");
	assert_rejected(*state, "$time('')");
	assert_rejected(*state, "$date('1999-00-01')");
	assert_rejected(*state, "$date('1999-01-00')");
	assert_rejected(*state, "$date('1999-01-32')");
	assert_rejected(*state, "$datetime('1999-01-01T25:00:00')");
	assert_rejected(*state, "$datetime('1999-01-01 10:00:00')");
	assert_rejected(*state, "$datetime('1999-01-01')");
}

static void
test_datetime(void **state)
{
	N2pValue	v;

	v = parse_ok(*state, "$datetime('2015-06-24T12:50:35.556000000+01:00')");
	assert_int_equal(v.type, N2P_DATETIME);
	/* Local wall-clock seconds, not UTC. */
	assert_int_equal(v.u.dt.secs, INT64_C(1435150235));
	assert_int_equal(v.u.dt.nanos, 556000000);
	assert_int_equal(v.u.dt.offset, 3600);
	assert_int_equal(v.u.dt.zone.len, 0);
	assert_iso(&v, "2015-06-24T12:50:35.556+01:00");
	assert_literal(&v, "$datetime('2015-06-24T12:50:35.556000000+01:00')");

	v = parse_ok(*state, "$datetime('2015-07-04T19:32:24.000000000')");
	assert_int_equal(v.type, N2P_LOCALDATETIME);
	assert_int_equal(v.u.dt.nanos, 0);
	assert_iso(&v, "2015-07-04T19:32:24");
	assert_literal(&v, "$datetime('2015-07-04T19:32:24.000000000')");

	v = parse_ok(*state, "$datetime('1969-12-31T23:59:59.5Z')");
	assert_int_equal(v.u.dt.secs, -1);
	assert_int_equal(v.u.dt.nanos, 500000000);
	assert_iso(&v, "1969-12-31T23:59:59.5+00:00");

	v = parse_ok(*state, "$datetime('-0001-01-01T00:00:00+00:00:30')");
	assert_iso(&v, "-0001-01-01T00:00:00+00:00:30");

	v = parse_ok(*state, "$datetime('+10000-01-01T00:00:00')");
	assert_iso(&v, "10000-01-01T00:00:00");
}

static void
test_zone_ids(void **state)
{
	char		lit[] = "$datetime('2015-06-24T12:50:35.556+02:00[Europe/Paris]')";
	N2pValue	v = parse_ok(*state, lit);

	assert_int_equal(v.type, N2P_DATETIME);
	assert_int_equal(v.u.dt.offset, 7200);
	assert_true(n2p_str_eq(v.u.dt.zone, "Europe/Paris"));
	/* Copied into the arena: must not point into the input. */
	assert_true(v.u.dt.zone.ptr < lit || v.u.dt.zone.ptr >= lit + sizeof(lit));
	memset(lit, 'x', sizeof(lit) - 1);
	assert_true(n2p_str_eq(v.u.dt.zone, "Europe/Paris"));
	assert_iso(&v, "2015-06-24T12:50:35.556+02:00[Europe/Paris]");
	/* The Python form has no zone. */
	assert_literal(&v, "$datetime('2015-06-24T12:50:35.556000000+02:00')");

	v = parse_ok(*state, "$datetime('2015-06-24T12:50:35Z[UTC]')");
	assert_true(n2p_str_eq(v.u.dt.zone, "UTC"));
	v = parse_ok(*state, "$datetime('2015-06-24T12:50:35-03:00[America/Argentina/Buenos_Aires]')");
	assert_true(n2p_str_eq(v.u.dt.zone, "America/Argentina/Buenos_Aires"));
	v = parse_ok(*state, "$datetime('2015-06-24T12:50:35-01:00[Etc/GMT+1]')");
	assert_true(n2p_str_eq(v.u.dt.zone, "Etc/GMT+1"));

	assert_rejected(*state, "$datetime('2015-06-24T12:50:35[Europe/Paris]')");
	assert_rejected(*state, "$datetime('2015-06-24T12:50:35+02:00[]')");
	assert_rejected(*state, "$datetime('2015-06-24T12:50:35+02:00[Europe/Paris')");
	assert_rejected(*state, "$datetime('2015-06-24T12:50:35+02:00[Europe Paris]')");
	assert_rejected(*state, "$datetime('2015-06-24T12:50:35+02:00[A][B]')");
	assert_rejected(*state, "$time('12:50:35+02:00[Europe/Paris]')");
}

static void
test_duration(void **state)
{
	N2pValue	v;

	v = parse_ok(*state, "$duration('P1Y2M10DT2H30M15.5S')");
	assert_int_equal(v.type, N2P_DURATION);
	assert_int_equal(v.u.dur.months, 14);
	assert_int_equal(v.u.dur.days, 10);
	assert_int_equal(v.u.dur.secs, 2 * 3600 + 30 * 60 + 15);
	assert_int_equal(v.u.dur.nanos, 500000000);
	assert_iso(&v, "P1Y2M10DT2H30M15.5S");
	assert_literal(&v, "$duration('P1Y2M10DT2H30M15.5S')");

	v = parse_ok(*state, "$duration('P5M1DT12H')");
	assert_int_equal(v.u.dur.months, 5);
	assert_int_equal(v.u.dur.days, 1);
	assert_int_equal(v.u.dur.secs, 12 * 3600);
	assert_iso(&v, "P5M1DT12H");

	v = parse_ok(*state, "$duration('PT0S')");
	assert_int_equal(v.u.dur.months, 0);
	assert_int_equal(v.u.dur.secs, 0);
	assert_iso(&v, "PT0S");

	v = parse_ok(*state, "$duration('P2W3D')");
	assert_int_equal(v.u.dur.days, 17);
	assert_iso(&v, "P17D");

	v = parse_ok(*state, "$duration('P14M')");
	assert_iso(&v, "P1Y2M");

	v = parse_ok(*state, "$duration('PT90M')");
	assert_iso(&v, "PT1H30M");

	v = parse_ok(*state, "$duration('PT0.000000001S')");
	assert_int_equal(v.u.dur.nanos, 1);
	assert_iso(&v, "PT0.000000001S");

	v = parse_ok(*state, "$duration('PT1S')");
	assert_iso(&v, "PT1S");
	v = parse_ok(*state, "$duration('P1Y')");
	assert_iso(&v, "P1Y");
	v = parse_ok(*state, "$duration('P0D')");
	assert_iso(&v, "PT0S");
}

static void
test_duration_negative(void **state)
{
	N2pValue	v;

	v = parse_ok(*state, "$duration('P-1M-2DT-3H')");
	assert_int_equal(v.u.dur.months, -1);
	assert_int_equal(v.u.dur.days, -2);
	assert_int_equal(v.u.dur.secs, -3 * 3600);
	assert_int_equal(v.u.dur.nanos, 0);
	assert_iso(&v, "P-1M-2DT-3H");

	v = parse_ok(*state, "$duration('PT-0.5S')");
	assert_int_equal(v.u.dur.secs, -1);
	assert_int_equal(v.u.dur.nanos, 500000000);
	assert_iso(&v, "PT-0.5S");

	v = parse_ok(*state, "$duration('PT-1.25S')");
	assert_int_equal(v.u.dur.secs, -2);
	assert_int_equal(v.u.dur.nanos, 750000000);
	assert_iso(&v, "PT-1.25S");

	v = parse_ok(*state, "$duration('P-1Y-2M')");
	assert_int_equal(v.u.dur.months, -14);
	assert_iso(&v, "P-1Y-2M");

	v = parse_ok(*state, "$duration('PT-1H-1M-1.000000001S')");
	assert_int_equal(v.u.dur.secs, -3662);
	assert_int_equal(v.u.dur.nanos, 999999999);
	assert_iso(&v, "PT-1H-1M-1.000000001S");

	/* Mixed signs collapse into one total. */
	v = parse_ok(*state, "$duration('PT1H-30M')");
	assert_int_equal(v.u.dur.secs, 1800);
	assert_iso(&v, "PT30M");

	v = parse_ok(*state, "$duration('P+1D')");
	assert_int_equal(v.u.dur.days, 1);

	/* Values built elsewhere (Bolt) follow the same rules. */
	v = v_duration(0, 0, -1, 500000000);
	assert_iso(&v, "PT-0.5S");
	v = v_duration(-13, 0, 0, 0);
	assert_iso(&v, "P-1Y-1M");
	v = v_duration(0, 0, -10800, 0);
	assert_iso(&v, "PT-3H");
	v = v_duration(0, 5, 3661, 1);
	assert_iso(&v, "P5DT1H1M1.000000001S");
	v = v_duration(0, 0, -3601, 999999999);
	assert_iso(&v, "PT-1H-0.000000001S");
}

static void
test_duration_extremes(void **state)
{
	N2pValue	v;
	N2pBuf		buf;

	n2p_buf_init(&buf, &n2p_libc_allocator);
	v = v_duration(INT64_MIN, INT64_MIN, INT64_MIN, 999999999);
	assert_true(n2p_temporal_format_iso(&v, &buf));
	n2p_buf_reset(&buf);
	v = v_duration(INT64_MAX, INT64_MAX, INT64_MAX, 999999999);
	assert_true(n2p_temporal_format_iso(&v, &buf));
	n2p_buf_free(&buf);
	v = parse_ok(*state, "$duration('PT9223372036854775807S')");
	assert_int_equal(v.u.dur.secs, INT64_MAX);
	v = parse_ok(*state, "$duration('PT-9223372036854775807.5S')");
	assert_int_equal(v.u.dur.secs, INT64_MIN);
	assert_int_equal(v.u.dur.nanos, 500000000);
	assert_rejected(*state, "$duration('PT-9223372036854775808.5S')");
	assert_rejected(*state, "$duration('PT9223372036854775808S')");
	assert_rejected(*state, "$duration('P768614336404564651Y')");
	assert_rejected(*state, "$duration('PT2562047788015216H')");
	assert_rejected(*state, "$duration('PT9223372036854775807S1S')");
}

static void
test_duration_rejects(void **state)
{
	static const char *bad[] = {
		"$duration('P')", "$duration('PT')", "$duration('P1')",
		"$duration('1Y')", "$duration('P1H')", "$duration('PT1Y')",
		"$duration('PT1D')", "$duration('P1M1Y')", "$duration('P1Y1Y')",
		"$duration('PT1S1M')", "$duration('P1.5M')", "$duration('P1.0Y')",
		"$duration('PT1.5H')", "$duration('PT1.1234567891S')",
		"$duration('PT1.S')", "$duration('P1DT')", "$duration('P1DT1H T1S')",
		"$duration('P1D1H')", "$duration('P--1D')", "$duration('P-D')",
		"$duration('p1d')", "$duration('P1DTT1H')", "$duration('P1D ')",
		"$duration('P99999999999999999999Y')",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_rejected(*state, bad[i]);
}

static void
test_point(void **state)
{
	N2pValue	v;

	v = parse_ok(*state, "$point({x: 3.0, y: 0.0, crs: 'cartesian'})");
	assert_int_equal(v.type, N2P_POINT);
	assert_int_equal(v.u.point.srid, 7203);
	assert_true(v.u.point.x == 3.0 && v.u.point.y == 0.0);
	assert_literal(&v, "$point({x: 3.0, y: 0.0, crs: 'cartesian'})");

	v = parse_ok(*state, "$point({x: 3.0, y: 0.0, z: 2.0, crs: 'cartesian-3d'})");
	assert_int_equal(v.u.point.srid, 9157);
	assert_true(v.u.point.z == 2.0);
	assert_literal(&v, "$point({x: 3.0, y: 0.0, z: 2.0, crs: 'cartesian-3d'})");

	v = parse_ok(*state, "$point({x: 56.0, y: 12.0, crs: 'wgs-84'})");
	assert_int_equal(v.u.point.srid, 4326);
	assert_literal(&v, "$point({x: 56.0, y: 12.0, crs: 'wgs-84'})");

	v = parse_ok(*state, "$point({x: 56.0, y: 12.0, z: 2.0, crs: 'wgs-84-3d'})");
	assert_int_equal(v.u.point.srid, 4979);
	assert_literal(&v, "$point({x: 56.0, y: 12.0, z: 2.0, crs: 'wgs-84-3d'})");

	v = parse_ok(*state, "$point({x: 1, y: -2, z: 2, srid: 9157})");
	assert_int_equal(v.u.point.srid, 9157);
	assert_true(v.u.point.x == 1.0 && v.u.point.y == -2.0 && v.u.point.z == 2.0);

	v = parse_ok(*state, "$point({srid:4326,y:1.5e-3,x:-2E+2})");
	assert_int_equal(v.u.point.srid, 4326);
	assert_true(v.u.point.x == -200.0 && v.u.point.y == 0.0015);
	assert_literal(&v, "$point({x: -200.0, y: 0.0015, crs: 'wgs-84'})");

	v = parse_ok(*state, "$point(  {\n crs : \"WGS-84\" ,\ty : .5 , x : 5.  }  )");
	assert_int_equal(v.u.point.srid, 4326);
	assert_true(v.u.point.x == 5.0 && v.u.point.y == 0.5);

	v = parse_ok(*state, "$point({x: NaN, y: -Inf, z: INFINITY, crs: 'cartesian-3d'})");
	assert_true(isnan(v.u.point.x));
	assert_true(isinf(v.u.point.y) && v.u.point.y < 0);
	assert_true(isinf(v.u.point.z) && v.u.point.z > 0);
	assert_literal(&v, "$point({x: nan, y: -inf, z: inf, crs: 'cartesian-3d'})");

	v = parse_ok(*state, "$point({x: nan, y: inf, crs: 'cartesian', srid: 7203})");
	assert_int_equal(v.u.point.srid, 7203);

	/* As in Cypher, no crs means cartesian. */
	v = parse_ok(*state, "$point({x: 1.0, y: 2.0})");
	assert_int_equal(v.u.point.srid, 7203);
	v = parse_ok(*state, "$point({x: 1.0, y: 2.0, z: 3.0})");
	assert_int_equal(v.u.point.srid, 9157);

	v = parse_ok(*state, "$point({x: 0.1, y: 1e+16, crs: 'cartesian'})");
	assert_literal(&v, "$point({x: 0.1, y: 1e+16, crs: 'cartesian'})");
}

static void
test_point_rejects(void **state)
{
	static const char *bad[] = {
		"$point({x: 3.0, y: 0.0, crs: 'polar'})",
		"$point({x: 3.0, crs: 'cartesian'})",
		"$point({y: 3.0, crs: 'cartesian'})",
		"$point({x: 3.0, y: 0.0, z: 1.0, crs: 'cartesian'})",
		"$point({x: 3.0, y: 0.0, crs: 'wgs-84-3d'})",
		"$point({x: 3.0, y: 0.0, srid: 1234})",
		"$point({x: 3.0, y: 0.0, srid: 99999999999})",
		"$point({x: 3.0, y: 0.0, srid: -7203})",
		"$point({x: 3.0, y: 0.0, crs: 'cartesian', srid: 4326})",
		"$point({x: 3.0, x: 1.0, y: 0.0})",
		"$point({x: 3.0, y: 0.0, crs: 'cartesian', crs: 'cartesian'})",
		"$point({x: 3.0, y: 0.0, w: 1.0})",
		"$point({x: 3.0, y: 0.0,})",
		"$point({x: 3.0, y: 0.0)",
		"$point({x: 3.0 y: 0.0})",
		"$point({x: 3.0, y: })",
		"$point({x: 1.2.3, y: 0.0})",
		"$point({x: 0x10, y: 0.0})",
		"$point({x: 1e, y: 0.0})",
		"$point({x: ., y: 0.0})",
		"$point({x: -, y: 0.0})",
		"$point({x: nan(1), y: 0.0})",
		"$point({x: infinit, y: 0.0})",
		"$point({x: '1', y: 0.0})",
		"$point({x: 1.0, y: 0.0, crs: cartesian})",
		"$point({x: 1.0, y: 0.0, crs: 'cartesian})",
		"$point({})",
		"$point()",
		"$point('{x: 1.0, y: 0.0}')",
		"$point({x: 1.0, y: 0.0}) ",
		"$point({x: 1.0, y: 0.0}",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_rejected(*state, bad[i]);
}

static void
test_literal_rejects(void **state)
{
	static const char *bad[] = {
		"$date('1999-13-01')", "$date('1999-01-01')x", "$date('1999-01-01') ",
		"$date('1999-01-01'", "$date('1999-01", "$date('1999-01-01)",
		"$date(", "$date()", "$date('')", "$date(1999-01-01)",
		"$date('1999-01-01 ')", "$date(' 1999-01-01')", "$date('12:00:00')",
		"$date('1999-01-01')')", "$time('12:00:00", "$datetime('2015-06-24')",
		"$duration('P1D'))", "$dates('1999-01-01')", "date('1999-01-01')",
		"", "$", "$date('1999-01-01T00:00:00')", "$time('1999-01-01')",
		"$datetime('2015-06-24T12:50:35+01:00x')",
	};
	N2pError	err;
	N2pValue	v;
	const char *s;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_rejected(*state, bad[i]);

	/* Embedded NUL: length, not the terminator, ends the input. */
	n2p_error_init(&err);
	assert_false(n2p_literal_parse("$date('1999-01-01')\0", 20, &v, *state, &err));

	/* Whitespace around the quoted argument is allowed. */
	v = parse_ok(*state, "$date( '1999-01-01' )");
	assert_int_equal(v.u.date, 10592);
	v = parse_ok(*state, "$date(\"1999-01-01\")");
	assert_int_equal(v.u.date, 10592);

	s = "$date('1999-13-01')";
	n2p_error_init(&err);
	assert_false(n2p_literal_parse(s, strlen(s), &v, *state, &err));
	assert_string_equal(err.msg, "invalid date literal \"$date('1999-13-01')\"");
	s = "$point({x: 1.0})";
	n2p_error_init(&err);
	assert_false(n2p_literal_parse(s, strlen(s), &v, *state, &err));
	assert_string_equal(err.msg, "invalid point literal \"$point({x: 1.0})\"");
}

static void
test_error_truncation(void **state)
{
	char		s[2000];
	N2pError	err;
	N2pValue	v;
	size_t		len;

	memset(s, '1', sizeof(s));
	memcpy(s, "$duration('P", 12);
	s[500] = '\n';
	n2p_error_init(&err);
	assert_false(n2p_literal_parse(s, sizeof(s), &v, *state, &err));
	assert_int_equal(err.code, N2P_ERR_SYNTAX);
	len = strlen(err.msg);
	assert_true(len < 150);
	assert_string_equal(err.msg + len - 4, "...\"");
	assert_null(strchr(err.msg, '\n'));

	/* Control characters are masked. */
	n2p_error_init(&err);
	assert_false(n2p_literal_parse("$date('\t')", 10, &v, *state, &err));
	assert_string_equal(err.msg, "invalid date literal \"$date('?')\"");
}

static void
test_iso_parse(void **state)
{
	N2pValue	v;
	N2pError	err;

	v = parse_iso_ok(*state, N2P_DATE, "1999-01-01");
	assert_int_equal(v.u.date, 10592);
	v = parse_iso_ok(*state, N2P_DATE, "10000-01-01");
	assert_iso(&v, "10000-01-01");
	v = parse_iso_ok(*state, N2P_TIME, "21:40:32.142+01:00");
	assert_int_equal(v.type, N2P_TIME);
	v = parse_iso_ok(*state, N2P_LOCALTIME, "21:40:32.142");
	assert_int_equal(v.type, N2P_LOCALTIME);
	v = parse_iso_ok(*state, N2P_DATETIME, "2015-06-24T12:50:35.556+01:00[Europe/London]");
	assert_true(n2p_str_eq(v.u.dt.zone, "Europe/London"));
	v = parse_iso_ok(*state, N2P_LOCALDATETIME, "2015-06-24T12:50:35.556");
	assert_int_equal(v.type, N2P_LOCALDATETIME);
	v = parse_iso_ok(*state, N2P_DURATION, "P-1M-2DT-3H");
	assert_int_equal(v.u.dur.months, -1);

	/* The offset decides the type, and it must be the one asked for. */
	assert_iso_rejected(*state, N2P_TIME, "21:40:32");
	assert_iso_rejected(*state, N2P_LOCALTIME, "21:40:32Z");
	assert_iso_rejected(*state, N2P_DATETIME, "2015-06-24T12:50:35");
	assert_iso_rejected(*state, N2P_LOCALDATETIME, "2015-06-24T12:50:35+01:00");
	assert_iso_rejected(*state, N2P_DATE, "$date('1999-01-01')");
	assert_iso_rejected(*state, N2P_DATE, "'1999-01-01'");
	assert_iso_rejected(*state, N2P_DATE, "1999-01-01 ");
	assert_iso_rejected(*state, N2P_DURATION, "");

	n2p_error_init(&err);
	assert_false(n2p_temporal_parse_iso(N2P_POINT, "x", 1, &v, *state, &err));
	assert_int_equal(err.code, N2P_ERR_USAGE);
	n2p_error_init(&err);
	assert_false(n2p_temporal_parse_iso(N2P_TIME, "25:00:00Z", 9, &v, *state, &err));
	assert_string_equal(err.msg, "invalid time value \"25:00:00Z\"");
}

static void
test_round_trips(void **state)
{
	static const char *lits[] = {
		"$date('1999-01-01')", "$date('-0001-01-01')", "$date('0000-02-29')",
		"$date('+10000-12-31')", "$date('-999999999-01-01')",
		"$date('+999999999-12-31')",
		"$time('21:40:32.142000000+01:00')", "$time('12:50:35.556000000')",
		"$time('00:00:00Z')", "$time('24:00:00')", "$time('23:59:59.999999999-18:00')",
		"$time('10:11:12.1+05:30:15')",
		"$datetime('2015-06-24T12:50:35.556000000+01:00')",
		"$datetime('2015-07-04T19:32:24.000000000')",
		"$datetime('2015-06-24T12:50:35+02:00[Europe/Paris]')",
		"$datetime('-0044-03-15T12:00:00.5Z')",
		"$datetime('1969-12-31T23:59:59.999999999')",
		"$duration('P1Y2M10DT2H30M15.5S')", "$duration('PT0S')",
		"$duration('P-1M-2DT-3H')", "$duration('PT-0.5S')",
		"$duration('P3W')", "$duration('PT1H-1S')",
		"$duration('P-11M-1DT-0.000000001S')",
		"$point({x: 3.0, y: 0.0, crs: 'cartesian'})",
		"$point({x: 0.1, y: -1e-300, z: 1.7976931348623157e+308, crs: 'cartesian-3d'})",
		"$point({x: 56.7, y: 12.1, crs: 'wgs-84'})",
		"$point({x: -0.0, y: 5e-324, z: nan, crs: 'wgs-84-3d'})",
	};
	N2pBuf		buf;

	n2p_buf_init(&buf, &n2p_libc_allocator);
	for (size_t i = 0; i < sizeof(lits) / sizeof(lits[0]); i++)
	{
		N2pValue	v = parse_ok(*state, lits[i]);
		N2pValue	w;

		/* value -> literal -> value */
		n2p_buf_reset(&buf);
		assert_true(n2p_literal_format(&v, &buf));
		w = parse_ok(*state, buf.data);
		assert_same_value(&v, &w);
		if (v.type == N2P_POINT)
			continue;
		/* value -> canonical -> value -> canonical */
		n2p_buf_reset(&buf);
		assert_true(n2p_temporal_format_iso(&v, &buf));
		w = parse_iso_ok(*state, v.type, buf.data);
		assert_same_value(&v, &w);
		if (v.type == N2P_DATETIME)
			assert_int_equal(v.u.dt.zone.len, w.u.dt.zone.len);
		assert_iso(&w, buf.data);
	}
	n2p_buf_free(&buf);
}

static void
test_format_types(void **state)
{
	N2pValue	v;
	N2pBuf		buf;

	(void) state;
	n2p_buf_init(&buf, &n2p_libc_allocator);
	memset(&v, 0, sizeof(v));
	v.type = N2P_INT;
	assert_false(n2p_temporal_format_iso(&v, &buf));
	assert_false(n2p_literal_format(&v, &buf));
	v.type = N2P_POINT;
	v.u.point.srid = 1234;
	assert_false(n2p_temporal_format_iso(&v, &buf));
	assert_false(n2p_literal_format(&v, &buf));
	v.type = N2P_LOCALTIME;
	v.u.time.nanos = -1;
	assert_false(n2p_temporal_format_iso(&v, &buf));
	v.u.time.nanos = 86400 * NS + 1;
	assert_false(n2p_temporal_format_iso(&v, &buf));
	v.type = N2P_LOCALDATETIME;
	v.u.dt.nanos = 1000000000;
	assert_false(n2p_temporal_format_iso(&v, &buf));
	v = v_duration(0, 0, 0, -1);
	assert_false(n2p_temporal_format_iso(&v, &buf));
	n2p_buf_free(&buf);

	/* Extreme datetimes are printed, not refused. */
	memset(&v, 0, sizeof(v));
	v.type = N2P_LOCALDATETIME;
	v.u.dt.secs = INT64_MIN;
	n2p_buf_init(&buf, &n2p_libc_allocator);
	assert_true(n2p_temporal_format_iso(&v, &buf));
	n2p_buf_reset(&buf);
	v.u.dt.secs = INT64_MAX;
	v.u.dt.nanos = 999999999;
	assert_true(n2p_temporal_format_iso(&v, &buf));
	n2p_buf_free(&buf);
}

/*
 * Python's repr by its definition, for the comparison below: the fewest
 * digits (from 1) whose correctly rounded %.*e output reads back as d,
 * then Python's choice of notation.
 */
static void
reference_repr(double d, char *out, size_t cap)
{
	char		tmp[40],
				digits[20],
			   *e;
	int			prec,
				n = 0,
				exp10;
	size_t		len = 0;

	for (prec = 1; prec <= 17; prec++)
	{
		snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, fabs(d));
		if (strtod(tmp, NULL) == fabs(d))
			break;
	}
	e = strchr(tmp, 'e');
	for (char *q = tmp; q < e; q++)
		if (*q >= '0' && *q <= '9')
			digits[n++] = *q;
	while (n > 1 && digits[n - 1] == '0')
		n--;
	digits[n] = '\0';
	exp10 = atoi(e + 1);
	if (signbit(d))
		out[len++] = '-';
	if (exp10 < -4 || exp10 >= 16)
		snprintf(out + len, cap - len, "%c%s%s%se%c%02d", digits[0], n > 1 ? "." : "", digits + 1, "",
				 exp10 < 0 ? '-' : '+', abs(exp10));
	else if (exp10 < 0)
		snprintf(out + len, cap - len, "0.%.*s%s", -exp10 - 1, "0000", digits);
	else if (exp10 + 1 >= n)
		snprintf(out + len, cap - len, "%s%.*s.0", digits, exp10 + 1 - n, "0000000000000000");
	else
		snprintf(out + len, cap - len, "%.*s.%s", exp10 + 1, digits, digits + exp10 + 1);
}

/*
 * The fast paths against the definition: random bit patterns, quotients
 * like the benchmark's, the numbers next to powers of ten and of two,
 * where rounding twice could go wrong, and random doubles in the range
 * that integer arithmetic rounds.
 */
static void
test_format_double_search(void **state)
{
	uint64_t	x = 88172645463325252ull;
	long		i,
				checked = 0;
	char		got[N2P_DOUBLE_BUFSZ],
				want[64];

	(void) state;
	for (i = 0; i < 300000; i++)
	{
		double		d;
		uint64_t	bits;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		switch (i % 5)
		{
			case 0:
				bits = x;
				memcpy(&d, &bits, sizeof(d));
				break;
			case 1:
				d = (double) (i / 4) / (double) (3 + x % 97);
				break;
			case 2:
				d = ldexp(1.0, (int) (x % 2000) - 1000);
				d = (x >> 20) & 1 ? nextafter(d, 0) : nextafter(d, INFINITY);
				break;
			case 3:
				d = pow(10.0, (double) ((int) (x % 600) - 300)) * (1.0 + (double) (x >> 40 & 1023) * 1e-15);
				break;
			default:
				/* the range digits17_exact takes: 1e-5 to 2^53 */
				d = ldexp((double) (x >> 11), (int) (x % 72) - 70);
				break;
		}
		if (isnan(d) || isinf(d))
			continue;
		n2p_format_double(d, got);
		reference_repr(d, want, sizeof(want));
		if (strcmp(got, want) != 0)
			fail_msg("%a: %s, by definition %s", d, got, want);
		checked++;
	}
	assert_true(checked > 280000);
}

static void
test_format_double(void **state)
{
	(void) state;
	assert_double_repr(0.334, "0.334");
	assert_double_repr(1e-05, "1e-05");
	assert_double_repr(0.0001, "0.0001");
	assert_double_repr(0.00012345, "0.00012345");
	assert_double_repr(1e16, "1e+16");
	assert_double_repr(9999999999999998.0, "9999999999999998.0");
	assert_double_repr(1234567890123456.0, "1234567890123456.0");
	assert_double_repr(123456789012345.0, "123456789012345.0");
	assert_double_repr(1.7976931348623157e308, "1.7976931348623157e+308");
	assert_double_repr(5e-324, "5e-324");
	assert_double_repr(2.2250738585072014e-308, "2.2250738585072014e-308");
	assert_double_repr(-0.0, "-0.0");
	assert_double_repr(0.0, "0.0");
	assert_double_repr(0.1 + 0.2, "0.30000000000000004");
	assert_double_repr(123.0, "123.0");
	assert_double_repr(1.0, "1.0");
	assert_double_repr(-1.5, "-1.5");
	assert_double_repr(0.1, "0.1");
	assert_double_repr(1.0 / 3.0, "0.3333333333333333");
	assert_double_repr(2.0 / 3.0, "0.6666666666666666");
	assert_double_repr(1e22, "1e+22");
	assert_double_repr(1.5e300, "1.5e+300");
	assert_double_repr(-1.5e-300, "-1.5e-300");
	assert_double_repr(9007199254740993.0, "9007199254740992.0");
	assert_double_repr(1e100, "1e+100");
	assert_double_repr(-123.456, "-123.456");
	assert_double_repr(NAN, "nan");
	assert_double_repr(-NAN, "nan");
	assert_double_repr(INFINITY, "inf");
	assert_double_repr(-INFINITY, "-inf");
	/* Longest possible output still fits. */
	assert_double_repr(-2.2250738585072014e-308, "-2.2250738585072014e-308");
	assert_double_repr(-0.00012345678901234567, "-0.00012345678901234567");
	/*
	 * Powers of two, where the closest 16 digits do not read back and the
	 * next 16 above do: Python's repr, not 17 digits (46 of the 2,098).
	 */
	assert_double_repr(ldexp(1.0, -24), "5.960464477539063e-08");
	assert_double_repr(-ldexp(1.0, -24), "-5.960464477539063e-08");
	assert_double_repr(ldexp(1.0, -44), "5.684341886080802e-14");
	assert_double_repr(ldexp(1.0, -1017), "7.120236347223045e-307");
	assert_double_repr(ldexp(1.0, 89), "6.189700196426902e+26");
	assert_double_repr(ldexp(1.0, 122), "5.316911983139664e+36");
	assert_double_repr(ldexp(1.0, 976), "6.386688990511104e+293");
	assert_double_repr(ldexp(1.0, 1023), "8.98846567431158e+307");
	assert_double_repr(ldexp(1.0, -1074), "5e-324");
	assert_double_repr(ldexp(1.0, -1), "0.5");
}

/* n2p_format_double against its former implementation (float_repr_ref.h). */
static void
assert_same_as_reference(double d)
{
	char		got[N2P_DOUBLE_BUFSZ],
				want[N2P_DOUBLE_BUFSZ];
	size_t		n = n2p_format_double(d, got);

	ref_format_double(d, want);
	if (strcmp(got, want) != 0)
		fail_msg("%a: %s, the former implementation %s", d, got, want);
	assert_int_equal(n, strlen(want));
}

static void
assert_neighbours_as_reference(double d)
{
	assert_same_as_reference(d);
	assert_same_as_reference(-d);
	assert_same_as_reference(nextafter(d, 0));
	assert_same_as_reference(nextafter(d, INFINITY));
	assert_same_as_reference(-nextafter(d, INFINITY));
}

/*
 * Where Schubfach's cases meet: powers of two (the lopsided interval; the
 * smallest normal's is not), the subnormals, the extremes, integers around
 * 2^53 and the shifts where v * 10^-k is an integer, powers of ten.
 */
static void
test_format_double_edges(void **state)
{
	char		text[16];

	(void) state;
	for (int e = -1074; e <= 1023; e++)
		assert_neighbours_as_reference(ldexp(1.0, e));
	for (int e = -325; e <= 308; e++)
	{
		snprintf(text, sizeof(text), "1e%d", e);
		assert_neighbours_as_reference(strtod(text, NULL));
	}
	for (uint64_t c = 1; c < 20000; c++)
	{
		double		d;
		uint64_t	bits = c * 7919 % (UINT64_C(1) << 52);

		memcpy(&d, &c, sizeof(d));
		assert_same_as_reference(d);
		memcpy(&d, &bits, sizeof(d));
		assert_same_as_reference(d);
	}
	assert_neighbours_as_reference(DBL_MIN);
	assert_neighbours_as_reference(DBL_MAX);
	assert_neighbours_as_reference(DBL_TRUE_MIN);
	assert_same_as_reference(0.0);
	assert_same_as_reference(-0.0);
	for (int i = -20000; i <= 20000; i++)
	{
		assert_same_as_reference(9007199254740992.0 + i);
		assert_same_as_reference(ldexp(9007199254740992.0 + i, 1));
		assert_same_as_reference(ldexp(9007199254740992.0 + i, 3));
		assert_same_as_reference(ldexp(4503599627370496.0 + i, -1));
		assert_same_as_reference(i);
		assert_same_as_reference(i / 1e6);
		assert_same_as_reference(i / 1e3 + 1e8);
	}
}

/* A few million random bit patterns, fixed seed: every exponent alike. */
static void
test_format_double_random(void **state)
{
	uint64_t	x = 0x9e3779b97f4a7c15ull;
	long		checked = 0;

	(void) state;
	while (checked < 3000000)
	{
		double		d;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(&d, &x, sizeof(d));
		if (!isfinite(d))
			continue;
		assert_same_as_reference(d);
		checked++;
	}
}

/*
 * Python's own repr, from test/unit/float_repr_python.py (run from the
 * repository's top, as test/check.sh does): powers of two and ten with
 * their neighbours, subnormals, integers near 2^53, random doubles.
 */
static void
test_format_double_python(void **state)
{
	FILE	   *p = popen("python3 test/unit/float_repr_python.py 100000 7", "r");
	char		line[128],
				got[N2P_DOUBLE_BUFSZ],
				want[64];
	long		checked = 0;

	(void) state;
	assert_non_null(p);
	while (fgets(line, sizeof(line), p) != NULL)
	{
		unsigned long long bits;
		double		d;

		assert_int_equal(sscanf(line, "%llx %63s", &bits, want), 2);
		memcpy(&d, &bits, sizeof(d));
		n2p_format_double(d, got);
		if (strcmp(got, want) != 0)
			fail_msg("%a: %s, Python %s", d, got, want);
		checked++;
	}
	if (pclose(p) != 0)
		fail_msg("python3 test/unit/float_repr_python.py failed (run from the repository's top)");
	/* 6,294 powers of two and neighbours, 1,899 of ten, ... (each signed) */
	assert_true(checked > 220000);
}

static void
test_calendar(void **state)
{
	static const struct
	{
		int64_t		y;
		int			m,
					d;
		int64_t		days;
	}			known[] = {
		{1970, 1, 1, 0}, {1969, 12, 31, -1}, {2000, 3, 1, 11017},
		{1999, 1, 1, 10592}, {1, 1, 1, -719162}, {0, 3, 1, -719468},
		{0, 1, 1, -719528}, {-1, 12, 31, -719529}, {9999, 12, 31, 2932896},
		{999999999, 12, 31, INT64_C(365241780471)},
		{-999999999, 1, 1, INT64_C(-365243219162)},
	};

	(void) state;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
	{
		int64_t		y;
		int			m,
					d;

		assert_int_equal(n2p_days_from_civil(known[i].y, known[i].m, known[i].d),
						 known[i].days);
		n2p_civil_from_days(known[i].days, &y, &m, &d);
		assert_int_equal(y, known[i].y);
		assert_int_equal(m, known[i].m);
		assert_int_equal(d, known[i].d);
	}
}

/* Consecutive days map to consecutive calendar dates, across eras. */
static void
test_calendar_sweep(void **state)
{
	static const int64_t starts[] = {-800000, INT64_C(365241780471) - 1000,
	INT64_C(-365243219162)};
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	(void) state;
	for (size_t s = 0; s < sizeof(starts) / sizeof(starts[0]); s++)
	{
		int64_t		n = (s == 0) ? 1600000 : 1001;
		int64_t		py;
		int			pm,
					pd;

		n2p_civil_from_days(starts[s], &py, &pm, &pd);
		for (int64_t k = 1; k < n; k++)
		{
			int64_t		days = starts[s] + k;
			int64_t		y;
			int			m,
						d;
			bool		leap = py % 4 == 0 && (py % 100 != 0 || py % 400 == 0);
			int			last = (pm == 2 && leap) ? 29 : mdays[pm - 1];

			n2p_civil_from_days(days, &y, &m, &d);
			if (pd < last)
				assert_true(y == py && m == pm && d == pd + 1);
			else if (pm < 12)
				assert_true(y == py && m == pm + 1 && d == 1);
			else
				assert_true(y == py + 1 && m == 1 && d == 1);
			assert_int_equal(n2p_days_from_civil(y, m, d), days);
			py = y;
			pm = m;
			pd = d;
		}
	}
}

static void
test_calendar_extremes(void **state)
{
	int64_t		y;
	int			m,
				d;

	(void) state;
	/* No overflow anywhere in the int64 day range. */
	n2p_civil_from_days(INT64_MAX, &y, &m, &d);
	assert_true(m >= 1 && m <= 12 && d >= 1 && d <= 31);
	n2p_civil_from_days(INT64_MIN, &y, &m, &d);
	assert_true(m >= 1 && m <= 12 && d >= 1 && d <= 31);
	for (int64_t year = -999999999; year <= 999999999; year += 99999999)
	{
		for (int mo = 1; mo <= 12; mo++)
		{
			int64_t		days = n2p_days_from_civil(year, mo, 28);

			n2p_civil_from_days(days, &y, &m, &d);
			assert_int_equal(y, year);
			assert_int_equal(m, mo);
			assert_int_equal(d, 28);
		}
	}
}

static void
test_type_names(void **state)
{
	static const char *names[] = {"null", "boolean", "integer", "float",
		"string", "bytes", "list", "map", "date", "time", "localtime",
	"datetime", "localdatetime", "duration", "point"};

	(void) state;
	for (int t = N2P_NULL; t <= N2P_POINT; t++)
		assert_string_equal(n2p_type_name((N2pType) t), names[t]);
}

static void
test_map_get(void **state)
{
	N2pStr		keys[3] = {{"a", 1}, {"bb", 2}, {"b\0c", 3}};
	N2pValue	vals[3];
	N2pValue	map;

	(void) state;
	for (int i = 0; i < 3; i++)
		vals[i] = v_int(i);
	map = v_map(keys, vals, 3);
	assert_ptr_equal(n2p_map_get(&map, "a", 1), &vals[0]);
	assert_ptr_equal(n2p_map_get(&map, "bb", 2), &vals[1]);
	assert_ptr_equal(n2p_map_get(&map, "b\0c", 3), &vals[2]);
	assert_null(n2p_map_get(&map, "b", 1));
	assert_null(n2p_map_get(&map, "", 0));
	assert_null(n2p_map_get(&vals[0], "a", 1));
	map.u.map.n = 0;
	assert_null(n2p_map_get(&map, "a", 1));
}

#define ARENA_TEST(f) cmocka_unit_test_setup_teardown(f, setup_arena, teardown_arena)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix),
		ARENA_TEST(test_date),
		ARENA_TEST(test_date_years),
		ARENA_TEST(test_leap_years),
		ARENA_TEST(test_time),
		ARENA_TEST(test_time_24),
		ARENA_TEST(test_offsets),
		ARENA_TEST(test_fraction_digits),
		ARENA_TEST(test_time_ranges),
		ARENA_TEST(test_datetime),
		ARENA_TEST(test_zone_ids),
		ARENA_TEST(test_duration),
		ARENA_TEST(test_duration_negative),
		ARENA_TEST(test_duration_extremes),
		ARENA_TEST(test_duration_rejects),
		ARENA_TEST(test_point),
		ARENA_TEST(test_point_rejects),
		ARENA_TEST(test_literal_rejects),
		ARENA_TEST(test_error_truncation),
		ARENA_TEST(test_iso_parse),
		ARENA_TEST(test_round_trips),
		cmocka_unit_test(test_format_types),
		cmocka_unit_test(test_format_double),
		cmocka_unit_test(test_format_double_search),
		cmocka_unit_test(test_format_double_edges),
		cmocka_unit_test(test_format_double_random),
		cmocka_unit_test(test_format_double_python),
		cmocka_unit_test(test_calendar),
		cmocka_unit_test(test_calendar_sweep),
		cmocka_unit_test(test_calendar_extremes),
		cmocka_unit_test(test_type_names),
		cmocka_unit_test(test_map_get),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
