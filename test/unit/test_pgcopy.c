/*-------------------------------------------------------------------------
 *
 * test_pgcopy.c
 *	  Unit tests for the PostgreSQL encoder: the JSON text of props and
 *	  prop_types for every value type, string escaping and U+0000, and the
 *	  binary COPY primitives and rows, byte for byte.
 *
 * Expected bytes are written out literally rather than built with helpers
 * that mirror the encoder, so that a wrong byte order or length shows.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  test/unit/test_pgcopy.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neo2pg/pgcopy.h"

/* ---------------------------------------------------------------- helpers */

/*
 * Encode {key: val} and compare the props text and the prop_types text
 * ("" when types must stay empty).
 */
static void
check_one(const char *key, N2pValue val, const char *want_json,
		  const char *want_types)
{
	N2pStr		k = s_cstr(key);
	N2pValue	map = v_map(&k, &val, 1);
	N2pBuf		out,
				types;
	N2pError	err;
	N2pPgEncodeOpts opts = {0};

	n2p_buf_init(&out, &n2p_libc_allocator);
	n2p_buf_init(&types, &n2p_libc_allocator);
	n2p_error_init(&err);
	if (!n2p_pg_props_json(&map, &out, &types, &opts, &err))
		fail_msg("encoding %s failed: %s", want_json, err.msg);
	assert_int_equal(err.code, N2P_OK);
	assert_non_null(out.data);
	assert_string_equal(out.data, want_json);
	assert_int_equal(out.len, strlen(want_json));
	assert_int_equal(types.len, strlen(want_types));
	if (types.len)
		assert_string_equal(types.data, want_types);
	assert_int_equal(opts.nul_replaced, 0);
	n2p_buf_free(&out);
	n2p_buf_free(&types);
}

/* n2p_json_append_string on its own; want includes the quotes. */
static void
check_string(const char *s, size_t len, const char *want)
{
	N2pBuf		out;
	N2pError	err;

	n2p_buf_init(&out, &n2p_libc_allocator);
	n2p_error_init(&err);
	assert_true(n2p_json_append_string(&out, s, len, NULL, &err));
	assert_int_equal(err.code, N2P_OK);
	assert_int_equal(out.len, strlen(want));
	assert_memory_equal(out.data, want, out.len);
	n2p_buf_free(&out);
}

static void
assert_bytes(const N2pBuf *buf, const char *want, size_t len)
{
	if (buf->len != len)
		fail_msg("encoded %zu bytes, expected %zu", buf->len, len);
	assert_memory_equal(buf->data, want, len);
}

#define ASSERT_BYTES(buf, lit) assert_bytes((buf), (lit), sizeof(lit) - 1)

/*
 * The escape scan looks at eight bytes at a time: every byte that needs
 * escaping, and its neighbours that do not, at every position of a
 * string longer than two words, against a byte-at-a-time escape.
 */
static void
test_string_words(void **state)
{
	static const unsigned char special[] = {0x00, 0x01, 0x1F, '"', '\\'};
	static const unsigned char plain[] = {0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7F, 0x80, 0xC3, 0xFF};
	char		s[19],
				want[19 * 6 + 3];

	(void) state;
	for (size_t k = 0; k < sizeof(special) + sizeof(plain); k++)
		for (size_t pos = 0; pos < sizeof(s); pos++)
		{
			unsigned char c = k < sizeof(special) ? special[k] : plain[k - sizeof(special)];
			size_t		n = 0;

			memset(s, 'a', sizeof(s));
			s[pos] = (char) c;
			want[n++] = '"';
			for (size_t i = 0; i < sizeof(s); i++)
			{
				unsigned char b = (unsigned char) s[i];

				if (b == '"' || b == '\\')
					n += (size_t) sprintf(want + n, "\\%c", b);
				else if (b < 0x20)
					n += (size_t) sprintf(want + n, "\\u%04x", b);
				else
					want[n++] = (char) b;
			}
			want[n++] = '"';
			want[n] = '\0';
			if (c == 0x00)
				continue;		/* U+0000 is refused: test_strings */
			check_string(s, sizeof(s), want);
		}
}

/* ------------------------------------------------------------- scalars */

static void
test_bool_int(void **state)
{
	(void) state;
	check_one("b", v_bool(true), "{\"b\": true}", "");
	check_one("b", v_bool(false), "{\"b\": false}", "");
	check_one("i", v_int(0), "{\"i\": 0}", "");
	check_one("i", v_int(-42), "{\"i\": -42}", "");
	check_one("i", v_int(INT64_MAX), "{\"i\": 9223372036854775807}", "");
	check_one("i", v_int(INT64_MIN), "{\"i\": -9223372036854775808}", "");
}

static void
test_floats(void **state)
{
	(void) state;
	/* plain JSON numbers: no positive exponent */
	check_one("f", v_float(0.334), "{\"f\": 0.334}", "");
	check_one("f", v_float(1e-05), "{\"f\": 1e-05}", "");
	check_one("f", v_float(2.0), "{\"f\": 2.0}", "");
	check_one("f", v_float(0.0), "{\"f\": 0.0}", "");
	check_one("f", v_float(-1.5), "{\"f\": -1.5}", "");
	check_one("f", v_float(1e15), "{\"f\": 1000000000000000.0}", "");
	check_one("f", v_float(5e-324), "{\"f\": 5e-324}", "");
	/* strings, marked */
	check_one("f", v_float(-0.0), "{\"f\": \"-0.0\"}", "{\"f\": \"float\"}");
	check_one("f", v_float(NAN), "{\"f\": \"NaN\"}", "{\"f\": \"float\"}");
	check_one("f", v_float(INFINITY), "{\"f\": \"Infinity\"}", "{\"f\": \"float\"}");
	check_one("f", v_float(-INFINITY), "{\"f\": \"-Infinity\"}", "{\"f\": \"float\"}");
	check_one("f", v_float(1e+20), "{\"f\": \"1e+20\"}", "{\"f\": \"float\"}");
	check_one("f", v_float(1e16), "{\"f\": \"1e+16\"}", "{\"f\": \"float\"}");
	check_one("f", v_float(-1.7976931348623157e+308),
			  "{\"f\": \"-1.7976931348623157e+308\"}", "{\"f\": \"float\"}");
}

/*
 * A token is copied only when float8 reads it back as its double,
 * unmarked; otherwise the double is written as for any float.
 */
static void
test_float_tokens(void **state)
{
	char		zeros[420],
				tail[20100];

	(void) state;
	/* Python's reprs and other short tokens with a '.' or e-: as they are */
	check_one("f", v_float_text(0.334, "0.334"), "{\"f\": 0.334}", "");
	check_one("f", v_float_text(0.5, "0.50"), "{\"f\": 0.50}", "");
	check_one("f", v_float_text(1e-05, "1e-05"), "{\"f\": 1e-05}", "");
	check_one("f", v_float_text(4.9e-324, "4.9e-324"), "{\"f\": 4.9e-324}", "");
	check_one("f", v_float_text(-2.2250738585072014e-308, "-2.2250738585072014e-308"),
			  "{\"f\": -2.2250738585072014e-308}", "");
	/* underflow to 0: numeric would keep 1e-400, which float8 refuses */
	check_one("f", v_float_text(0.0, "1e-400"), "{\"f\": 0.0}", "");
	snprintf(zeros, sizeof(zeros), "0.%0400d1", 0);
	check_one("f", v_float_text(0.0, zeros), "{\"f\": 0.0}", "");
	check_one("f", v_float_text(-0.0, "-2.5e-330"), "{\"f\": \"-0.0\"}", "{\"f\": \"float\"}");
	check_one("f", v_float_text(0.0, "0.000"), "{\"f\": 0.0}", "");
	/* 1e16 and above are marked strings whatever the token says */
	check_one("f", v_float_text(9223372036854775808.0, "9223372036854775808.0"),
			  "{\"f\": \"9.223372036854776e+18\"}", "{\"f\": \"float\"}");
	check_one("f", v_float_text(1.2345678901234567e+19, "123456789012345678901234567890e-10"),
			  "{\"f\": \"1.2345678901234567e+19\"}", "{\"f\": \"float\"}");
	check_one("f", v_float_text(1e16, "10000000000000000.0"),
			  "{\"f\": \"1e+16\"}", "{\"f\": \"float\"}");
	check_one("f", v_float_text(9999999999999998.0, "9999999999999998.0"),
			  "{\"f\": 9999999999999998.0}", "");
	/* longer than any repr: digits the double lacks, or too many for numeric */
	check_one("f", v_float_text(1e-05, "0.0000100000000000000000000001"), "{\"f\": 1e-05}", "");
	snprintf(tail, sizeof(tail), "0.1%020000d", 0);
	check_one("f", v_float_text(0.1, tail), "{\"f\": 0.1}", "");
	/* no '.' after jsonb: formatted */
	check_one("f", v_float_text(100000.0, "1E5"), "{\"f\": 100000.0}", "");
}

static void
test_strings(void **state)
{
	(void) state;
	check_one("s", v_cstr(""), "{\"s\": \"\"}", "");
	check_one("s", v_cstr("plain text"), "{\"s\": \"plain text\"}", "");
	check_one("s", v_cstr("a\"b\\c"), "{\"s\": \"a\\\"b\\\\c\"}", "");
	check_one("s", v_cstr("\n\r\t"), "{\"s\": \"\\n\\r\\t\"}", "");
	/* other control characters as \u00XX, lower-case hex */
	check_one("s", v_cstr("\x01\b\f\x1f"),
			  "{\"s\": \"\\u0001\\u0008\\u000c\\u001f\"}", "");
	/* DEL and non-ASCII pass through as UTF-8 */
	check_one("s", v_cstr("\x7f" "Zo\xC3\xAB \xF0\x9F\x98\x80"),
			  "{\"s\": \"\x7f" "Zo\xC3\xAB \xF0\x9F\x98\x80\"}", "");
	/* a literal-looking string is just a string here */
	check_one("s", v_cstr("$date('1999-01-01')"),
			  "{\"s\": \"$date('1999-01-01')\"}", "");
	/* keys are escaped the same way */
	check_one("k\"\n\xC3\xA9", v_int(1), "{\"k\\\"\\n\xC3\xA9\": 1}", "");

	check_string("", 0, "\"\"");
	check_string("x\"y", 3, "\"x\\\"y\"");
	check_string("\\", 1, "\"\\\\\"");
	check_string("a\x1b", 2, "\"a\\u001b\"");
	/* escapes at the very start and end, and runs between them */
	check_string("\tab\tcd\t", 7, "\"\\tab\\tcd\\t\"");
}

static void
test_append_string_appends(void **state)
{
	N2pBuf		out;
	N2pError	err;

	(void) state;
	n2p_buf_init(&out, &n2p_libc_allocator);
	n2p_error_init(&err);
	n2p_buf_append(&out, "x=", 2);
	assert_true(n2p_json_append_string(&out, "ab", 2, NULL, &err));
	assert_true(n2p_json_append_string(&out, "c", 1, NULL, &err));
	assert_string_equal(out.data, "x=\"ab\"\"c\"");
	n2p_buf_free(&out);
}

static void
test_nul(void **state)
{
	N2pStr		keys[2] = {s_cstr("first"), s_cstr("name")};
	N2pValue	vals[2] = {v_int(1), v_str("a\0b", 3)};
	N2pValue	map = v_map(keys, vals, 2);
	N2pValue	items[2] = {v_cstr("ok"), v_str("\0\0", 2)};
	N2pBuf		out,
				types;
	N2pError	err;
	N2pPgEncodeOpts opts = {0};

	(void) state;
	n2p_buf_init(&out, &n2p_libc_allocator);
	n2p_buf_init(&types, &n2p_libc_allocator);

	/* default: an error naming the key */
	n2p_error_init(&err);
	assert_false(n2p_pg_props_json(&map, &out, &types, &opts, &err));
	assert_int_equal(err.code, N2P_ERR_DATA);
	assert_string_equal(err.key, "name");
	assert_non_null(strstr(err.msg, "U+0000"));

	/* NULL opts is the same as no replacement */
	n2p_buf_reset(&out);
	n2p_error_init(&err);
	assert_false(n2p_pg_props_json(&map, &out, &types, NULL, &err));
	assert_int_equal(err.code, N2P_ERR_DATA);
	assert_string_equal(err.key, "name");

	/* directly */
	n2p_buf_reset(&out);
	n2p_error_init(&err);
	assert_false(n2p_json_append_string(&out, "\0", 1, NULL, &err));
	assert_int_equal(err.code, N2P_ERR_DATA);

	/* replaced and counted */
	n2p_buf_reset(&out);
	n2p_error_init(&err);
	opts.nul_replacement = "\xEF\xBF\xBD";
	assert_true(n2p_pg_props_json(&map, &out, &types, &opts, &err));
	assert_string_equal(out.data, "{\"first\": 1, \"name\": \"a\xEF\xBF\xBD" "b\"}");
	assert_int_equal(types.len, 0);
	assert_int_equal(opts.nul_replaced, 1);

	/* inside a list: the error names the top-level key */
	vals[1] = v_list(items, 2);
	n2p_buf_reset(&out);
	n2p_error_init(&err);
	assert_false(n2p_pg_props_json(&map, &out, &types, NULL, &err));
	assert_int_equal(err.code, N2P_ERR_DATA);
	assert_string_equal(err.key, "name");

	/* ... and replaced there too, the count accumulating */
	n2p_buf_reset(&out);
	n2p_error_init(&err);
	assert_true(n2p_pg_props_json(&map, &out, &types, &opts, &err));
	assert_string_equal(out.data,
						"{\"first\": 1, \"name\": [\"ok\", \"\xEF\xBF\xBD\xEF\xBF\xBD\"]}");
	assert_int_equal(opts.nul_replaced, 3);

	/* a replacement that itself needs escaping is escaped */
	n2p_buf_reset(&out);
	n2p_error_init(&err);
	opts.nul_replacement = "\"\\";
	opts.nul_replaced = 0;
	assert_true(n2p_json_append_string(&out, "\0", 1, &opts, &err));
	assert_string_equal(out.data, "\"\\\"\\\\\"");
	assert_int_equal(opts.nul_replaced, 1);

	/* an empty replacement deletes */
	n2p_buf_reset(&out);
	opts.nul_replacement = "";
	assert_true(n2p_json_append_string(&out, "a\0b", 3, &opts, &err));
	assert_string_equal(out.data, "\"ab\"");
	assert_int_equal(opts.nul_replaced, 2);

	n2p_buf_free(&out);
	n2p_buf_free(&types);
}

/*
 * A key holding U+0000 is written to both props and prop_types when its
 * value is marked: with a replacement both must succeed (and the NUL is
 * counted once, as one character of the input).
 */
static void
test_nul_in_marked_key(void **state)
{
	N2pStr		key = {"a\0b", 3};
	N2pValue	val = v_date(1999, 1, 1);
	N2pValue	map = v_map(&key, &val, 1);
	N2pBuf		out,
				types;
	N2pError	err;
	N2pPgEncodeOpts opts = {.nul_replacement = "\xEF\xBF\xBD"};

	(void) state;
	n2p_buf_init(&out, &n2p_libc_allocator);
	n2p_buf_init(&types, &n2p_libc_allocator);
	n2p_error_init(&err);
	if (!n2p_pg_props_json(&map, &out, &types, &opts, &err))
		fail_msg("key with U+0000 and --replace-nul: %s", err.msg);
	assert_string_equal(out.data, "{\"a\xEF\xBF\xBD" "b\": \"1999-01-01\"}");
	assert_string_equal(types.data, "{\"a\xEF\xBF\xBD" "b\": \"date\"}");
	assert_int_equal(opts.nul_replaced, 1);

	/* without a replacement it is an error, as for any other NUL */
	n2p_buf_reset(&out);
	n2p_error_init(&err);
	opts.nul_replacement = NULL;
	assert_false(n2p_pg_props_json(&map, &out, &types, &opts, &err));
	assert_int_equal(err.code, N2P_ERR_DATA);
	n2p_buf_free(&out);
	n2p_buf_free(&types);
}

static void
test_bytes(void **state)
{
	(void) state;
	check_one("b", v_bytes("\x01\x02\xff\x00", 4), "{\"b\": \"\\\\x0102ff00\"}",
			  "{\"b\": \"bytes\"}");
	check_one("b", v_bytes("", 0), "{\"b\": \"\\\\x\"}", "{\"b\": \"bytes\"}");
}

static void
test_temporals(void **state)
{
	(void) state;
	check_one("d", v_date(1999, 1, 1), "{\"d\": \"1999-01-01\"}", "{\"d\": \"date\"}");
	check_one("d", v_date(1970, 1, 1), "{\"d\": \"1970-01-01\"}", "{\"d\": \"date\"}");
	check_one("t", v_localtime(12, 50, 35, 556000000),
			  "{\"t\": \"12:50:35.556\"}", "{\"t\": \"localtime\"}");
	check_one("t", v_localtime(0, 0, 0, 0), "{\"t\": \"00:00:00\"}",
			  "{\"t\": \"localtime\"}");
	check_one("t", v_time(21, 40, 32, 142000000, 3600),
			  "{\"t\": \"21:40:32.142+01:00\"}", "{\"t\": \"time\"}");
	check_one("t", v_time(1, 2, 3, 1, 0),
			  "{\"t\": \"01:02:03.000000001+00:00\"}", "{\"t\": \"time\"}");
	check_one("t", v_time(1, 2, 3, 0, -(5 * 3600 + 30 * 60)),
			  "{\"t\": \"01:02:03-05:30\"}", "{\"t\": \"time\"}");
	check_one("dt", v_datetime(N2P_LOCALDATETIME, 2015, 7, 4, 19, 32, 24, 0, 0, NULL),
			  "{\"dt\": \"2015-07-04T19:32:24\"}", "{\"dt\": \"localdatetime\"}");
	check_one("dt", v_datetime(N2P_DATETIME, 2015, 6, 24, 12, 50, 35, 556000000, 3600, NULL),
			  "{\"dt\": \"2015-06-24T12:50:35.556+01:00\"}", "{\"dt\": \"datetime\"}");
	check_one("dt", v_datetime(N2P_DATETIME, 2015, 6, 24, 12, 50, 35, 0, 7200, "Europe/Paris"),
			  "{\"dt\": \"2015-06-24T12:50:35+02:00[Europe/Paris]\"}",
			  "{\"dt\": \"datetime\"}");
	check_one("du", v_duration(14, 10, 2 * 3600 + 30 * 60 + 15, 500000000),
			  "{\"du\": \"P1Y2M10DT2H30M15.5S\"}", "{\"du\": \"duration\"}");
	check_one("du", v_duration(0, 0, 0, 0), "{\"du\": \"PT0S\"}", "{\"du\": \"duration\"}");
	check_one("du", v_duration(5, 1, 12 * 3600, 0), "{\"du\": \"P5M1DT12H\"}",
			  "{\"du\": \"duration\"}");
}

static void
test_points(void **state)
{
	(void) state;
	check_one("p", v_point(N2P_SRID_WGS84, 56.0, 12.0, 0.0),
			  "{\"p\": {\"srid\": 4326, \"x\": 56.0, \"y\": 12.0}}", "{\"p\": \"point\"}");
	/* z of a 2-D point is not written, whatever it holds */
	check_one("p", v_point(N2P_SRID_CARTESIAN, 3.0, 0.0, 99.0),
			  "{\"p\": {\"srid\": 7203, \"x\": 3.0, \"y\": 0.0}}", "{\"p\": \"point\"}");
	check_one("p", v_point(N2P_SRID_CARTESIAN_3D, 3.0, 0.0, 2.0),
			  "{\"p\": {\"srid\": 9157, \"x\": 3.0, \"y\": 0.0, \"z\": 2.0}}",
			  "{\"p\": \"point\"}");
	check_one("p", v_point(N2P_SRID_WGS84_3D, -0.5, 1e-05, 2.25),
			  "{\"p\": {\"srid\": 4979, \"x\": -0.5, \"y\": 1e-05, \"z\": 2.25}}",
			  "{\"p\": \"point\"}");
}

static void
test_lists(void **state)
{
	N2pValue	ints[3] = {v_int(1), v_int(-2), v_int(INT64_MAX)};
	N2pValue	strs[2] = {v_cstr("a"), v_cstr("b\"")};
	N2pValue	dates[2] = {v_date(1999, 1, 1), v_date(2000, 2, 29)};
	N2pValue	floats[3] = {v_float(1.5), v_float(NAN), v_float(2.0)};
	N2pValue	plainf[2] = {v_float(1.5), v_float(0.25)};
	N2pValue	points[1] = {v_point(N2P_SRID_CARTESIAN, 1.0, 2.0, 0.0)};
	N2pValue	bools[2] = {v_bool(true), v_bool(false)};

	(void) state;
	check_one("l", v_list(ints, 3), "{\"l\": [1, -2, 9223372036854775807]}", "");
	check_one("l", v_list(strs, 2), "{\"l\": [\"a\", \"b\\\"\"]}", "");
	check_one("l", v_list(bools, 2), "{\"l\": [true, false]}", "");
	check_one("l", v_list(plainf, 2), "{\"l\": [1.5, 0.25]}", "");
	check_one("l", v_list(NULL, 0), "{\"l\": []}", "");
	check_one("l", v_list(dates, 2), "{\"l\": [\"1999-01-01\", \"2000-02-29\"]}",
			  "{\"l\": \"list<date>\"}");
	check_one("l", v_list(floats, 3), "{\"l\": [1.5, \"NaN\", 2.0]}",
			  "{\"l\": \"list<float>\"}");
	check_one("l", v_list(points, 1), "{\"l\": [{\"srid\": 7203, \"x\": 1.0, \"y\": 2.0}]}",
			  "{\"l\": \"list<point>\"}");
}

/* Encode {key: val}; it must fail with N2P_ERR_DATA naming key and saying what. */
static void
check_one_fails(const char *key, N2pValue val, const char *what)
{
	N2pStr		k = s_cstr(key);
	N2pValue	map = v_map(&k, &val, 1);
	N2pBuf		out,
				types;
	N2pError	err;

	n2p_buf_init(&out, &n2p_libc_allocator);
	n2p_buf_init(&types, &n2p_libc_allocator);
	n2p_error_init(&err);
	assert_false(n2p_pg_props_json(&map, &out, &types, NULL, &err));
	assert_int_equal(err.code, N2P_ERR_DATA);
	assert_string_equal(err.key, key);
	if (strstr(err.msg, what) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, what);
	n2p_buf_free(&out);
	n2p_buf_free(&types);
}

/*
 * A list's mark comes from all its elements: never the first marked one
 * for a list whose other elements are of another type.
 */
static void
test_list_mark_from_all_elements(void **state)
{
	N2pValue	int_float[2] = {v_int(1), v_float(1e20)};
	N2pValue	float_int[2] = {v_float(NAN), v_int(1)};
	N2pValue	str_date[2] = {v_cstr("x"), v_date(2020, 1, 1)};
	N2pValue	date_time[2] = {v_date(2020, 1, 1), v_localtime(12, 0, 0, 0)};
	N2pValue	lt_time[2] = {v_localtime(12, 0, 0, 0), v_time(12, 0, 0, 0, 3600)};
	N2pValue	int_str[2] = {v_int(1), v_cstr("a")};
	N2pValue	floats[2] = {v_float(1.5), v_float(1e20)};
	N2pValue	srids[2] = {v_point(N2P_SRID_CARTESIAN, 1.0, 2.0, 0.0),
	v_point(N2P_SRID_WGS84, 3.0, 4.0, 0.0)};

	(void) state;
	check_one_fails("l", v_list(int_float, 2), "both integer and float");
	check_one_fails("l", v_list(float_int, 2), "both float and integer");
	check_one_fails("l", v_list(str_date, 2), "both string and date");
	check_one_fails("l", v_list(date_time, 2), "both date and localtime");
	check_one_fails("l", v_list(lt_time, 2), "both localtime and time");
	/* mixed, but nothing to mark: plain JSON, exactly as written */
	check_one("l", v_list(int_str, 2), "{\"l\": [1, \"a\"]}", "");
	/* one type, one element needing the mark: the mark covers the list */
	check_one("l", v_list(floats, 2), "{\"l\": [1.5, \"1e+20\"]}", "{\"l\": \"list<float>\"}");
	/* each point carries its SRID, so the mark is right for both */
	check_one("l", v_list(srids, 2),
			  "{\"l\": [{\"srid\": 7203, \"x\": 1.0, \"y\": 2.0}, "
			  "{\"srid\": 4326, \"x\": 3.0, \"y\": 4.0}]}", "{\"l\": \"list<point>\"}");
}

/* n2p_pg_storable_keys: one text for a key holding U+0000, everywhere. */
static void
test_storable_keys(void **state)
{
	N2pStr		keys[3] = {{"k\0a", 3}, {"k\0b", 3}, {"k", 1}};
	N2pValue	vals[3] = {v_int(1), v_int(2), v_int(3)};
	N2pRecord	rec = {.kind = N2P_REC_NODE, .id = 7};
	const N2pRecord *out;
	N2pPgKeyFix kf;
	N2pPgEncodeOpts opts = {0};
	N2pError	err;
	N2pBuf		json,
				types;

	(void) state;
	n2p_pg_keyfix_init(&kf, &n2p_libc_allocator);
	n2p_buf_init(&json, &n2p_libc_allocator);
	n2p_buf_init(&types, &n2p_libc_allocator);

	/* no NUL: the record itself */
	rec.props = v_map(keys + 2, vals + 2, 1);
	n2p_error_init(&err);
	assert_true(n2p_pg_storable_keys(&kf, &rec, &opts, &out, &err));
	assert_ptr_equal(out, &rec);

	/* without a replacement: an error naming the whole key, escaped */
	rec.props = v_map(keys, vals, 3);
	n2p_error_init(&err);
	assert_false(n2p_pg_storable_keys(&kf, &rec, &opts, &out, &err));
	assert_int_equal(err.code, N2P_ERR_DATA);
	assert_string_equal(err.key, "k\\u0000a");
	assert_non_null(strstr(err.msg, "--replace-nul"));

	/* with one: every key replaced, none merged, each NUL counted */
	opts.nul_replacement = "\xEF\xBF\xBD";
	n2p_error_init(&err);
	assert_true(n2p_pg_storable_keys(&kf, &rec, &opts, &out, &err));
	assert_ptr_not_equal(out, &rec);
	assert_int_equal(out->id, 7);
	assert_int_equal(out->props.u.map.n, 3);
	assert_true(n2p_str_eq(out->props.u.map.keys[0], "k\xEF\xBF\xBD" "a"));
	assert_true(n2p_str_eq(out->props.u.map.keys[1], "k\xEF\xBF\xBD" "b"));
	assert_true(n2p_str_eq(out->props.u.map.keys[2], "k"));
	assert_int_equal(opts.nul_replaced, 2);
	/* the original keys are untouched */
	assert_int_equal(rec.props.u.map.keys[0].len, 3);
	assert_true(n2p_pg_props_json(&out->props, &json, &types, &opts, &err));
	assert_string_equal(json.data, "{\"k\xEF\xBF\xBD" "a\": 1, \"k\xEF\xBF\xBD" "b\": 2, \"k\": 3}");

	/* a replaced key equal to another key: an error naming both */
	keys[1] = s_cstr("k\xEF\xBF\xBD" "a");
	n2p_error_init(&err);
	assert_false(n2p_pg_storable_keys(&kf, &rec, &opts, &out, &err));
	assert_int_equal(err.code, N2P_ERR_DATA);
	assert_string_equal(err.key, "k\xEF\xBF\xBD" "a");
	assert_non_null(strstr(err.msg, "key \"k\\u0000a\""));

	/* an empty replacement merges "k\0" with "k" */
	keys[0] = (N2pStr) {"k\0", 2};
	opts.nul_replacement = "";
	n2p_error_init(&err);
	assert_false(n2p_pg_storable_keys(&kf, &rec, &opts, &out, &err));
	assert_string_equal(err.key, "k");
	assert_non_null(strstr(err.msg, "\"k\\u0000\""));

	n2p_buf_free(&json);
	n2p_buf_free(&types);
	n2p_pg_keyfix_free(&kf);
}

/* Keys in error messages: whole, escaped, and a cut is never silent. */
static void
test_error_key_escaped(void **state)
{
	char		buf[64];
	char	   *big;
	size_t		i,
				n;
	N2pError	err;

	(void) state;
	assert_string_equal(n2p_escape_text("k\0a", 3, buf, sizeof(buf)), "k\\u0000a");
	assert_string_equal(n2p_escape_text("\"\\\x1b\x7f\xC3\xA9", 6, buf, sizeof(buf)),
						"\\\"\\\\\\u001b\\u007f\xC3\xA9");
	n2p_error_init(&err);
	n2p_error_set_key(&err, "", 0);
	assert_true(err.has_key);
	assert_string_equal(err.key, "");
	/* the first key stays */
	n2p_error_set_key(&err, "other", 5);
	assert_string_equal(err.key, "");

	/* a key longer than the field: cut on a character boundary, marked */
	n = 3000;
	big = malloc(2 * n);
	for (i = 0; i < n; i++)
		memcpy(big + 2 * i, "\xC3\xA9", 2);
	n2p_error_init(&err);
	n2p_error_set_key(&err, big, 2 * n);
	assert_true(strlen(err.key) < sizeof(err.key));
	assert_non_null(strstr(err.key, "... (6000 bytes)"));
	n = (size_t) (strstr(err.key, "...") - err.key);
	assert_int_equal(n % 2, 0);
	assert_memory_equal(err.key, big, n);
	/* a key that fits is whole, even with NULs in it */
	big[0] = '\0';
	n2p_error_init(&err);
	n2p_error_set_key(&err, big, 200);
	assert_int_equal(strlen(err.key), 6 + 199);
	assert_null(strstr(err.key, "..."));
	free(big);
}

static void
test_whole_map(void **state)
{
	N2pValue	dates[1] = {v_date(2020, 12, 31)};
	N2pStr		keys[6] = {s_cstr("name"), s_cstr("born"), s_cstr("age"), s_cstr("neg"),
	s_cstr("tags"), s_cstr("at")};
	N2pValue	vals[6] = {v_cstr("Zo\xC3\xAB"), v_date(1999, 1, 1), v_int(42),
		v_float(-0.0), v_list(dates, 1),
	v_datetime(N2P_DATETIME, 2015, 6, 24, 12, 50, 35, 556000000, 3600, NULL)};
	N2pValue	map = v_map(keys, vals, 6);
	N2pBuf		out,
				types;
	N2pError	err;

	(void) state;
	n2p_buf_init(&out, &n2p_libc_allocator);
	n2p_buf_init(&types, &n2p_libc_allocator);
	n2p_error_init(&err);
	/* out is appended to; types is reset first */
	n2p_buf_append(&out, "<", 1);
	n2p_buf_append(&types, "stale", 5);
	assert_true(n2p_pg_props_json(&map, &out, &types, NULL, &err));
	assert_string_equal(out.data,
						"<{\"name\": \"Zo\xC3\xAB\", \"born\": \"1999-01-01\", \"age\": 42, "
						"\"neg\": \"-0.0\", \"tags\": [\"2020-12-31\"], "
						"\"at\": \"2015-06-24T12:50:35.556+01:00\"}");
	assert_string_equal(types.data,
						"{\"born\": \"date\", \"neg\": \"float\", \"tags\": \"list<date>\", "
						"\"at\": \"datetime\"}");

	/* no marked key: types stays empty, even after a marked map */
	map.u.map.n = 1;
	n2p_buf_reset(&out);
	assert_true(n2p_pg_props_json(&map, &out, &types, NULL, &err));
	assert_string_equal(out.data, "{\"name\": \"Zo\xC3\xAB\"}");
	assert_int_equal(types.len, 0);

	/* the empty map */
	map.u.map.n = 0;
	n2p_buf_reset(&out);
	assert_true(n2p_pg_props_json(&map, &out, &types, NULL, &err));
	assert_string_equal(out.data, "{}");
	assert_int_equal(types.len, 0);
	assert_int_equal(err.code, N2P_OK);
	n2p_buf_free(&out);
	n2p_buf_free(&types);
}

static void
test_bad_value_types(void **state)
{
	N2pValue	null = v_null();
	N2pValue	inner = v_map(NULL, NULL, 0);
	N2pStr		k = s_cstr("bad");
	N2pValue	map;
	N2pBuf		out,
				types;
	N2pError	err;

	(void) state;
	n2p_buf_init(&out, &n2p_libc_allocator);
	n2p_buf_init(&types, &n2p_libc_allocator);
	map = v_map(&k, &null, 1);
	n2p_error_init(&err);
	assert_false(n2p_pg_props_json(&map, &out, &types, NULL, &err));
	assert_int_equal(err.code, N2P_ERR_DATA);
	assert_string_equal(err.key, "bad");
	map = v_map(&k, &inner, 1);
	n2p_error_init(&err);
	assert_false(n2p_pg_props_json(&map, &out, &types, NULL, &err));
	assert_int_equal(err.code, N2P_ERR_DATA);
	assert_string_equal(err.key, "bad");
	n2p_buf_free(&out);
	n2p_buf_free(&types);
}

/* ------------------------------------------------------------ binary COPY */

static void
test_copy_primitives(void **state)
{
	N2pBuf		out;
	N2pError	err;

	(void) state;
	n2p_buf_init(&out, &n2p_libc_allocator);
	n2p_error_init(&err);

	assert_true(n2p_copy_header(&out));
	ASSERT_BYTES(&out, "PGCOPY\n\377\r\n\0" "\0\0\0\0" "\0\0\0\0");
	assert_int_equal(out.len, 19);

	n2p_buf_reset(&out);
	assert_true(n2p_copy_trailer(&out));
	ASSERT_BYTES(&out, "\xff\xff");

	n2p_buf_reset(&out);
	assert_true(n2p_copy_tuple(&out, 4));
	assert_true(n2p_copy_tuple(&out, 0x0102));
	ASSERT_BYTES(&out, "\x00\x04" "\x01\x02");

	n2p_buf_reset(&out);
	assert_true(n2p_copy_null(&out));
	ASSERT_BYTES(&out, "\xff\xff\xff\xff");
	/* a run is the same bytes, after what is there, still terminated */
	assert_true(n2p_copy_nulls(&out, 2));
	assert_true(n2p_copy_nulls(&out, 0));
	ASSERT_BYTES(&out, "\xff\xff\xff\xff" "\xff\xff\xff\xff" "\xff\xff\xff\xff");
	assert_int_equal(out.data[out.len], '\0');

	n2p_buf_reset(&out);
	assert_true(n2p_copy_int8(&out, INT64_C(0x0102030405060708)));
	ASSERT_BYTES(&out, "\0\0\0\x08" "\x01\x02\x03\x04\x05\x06\x07\x08");
	n2p_buf_reset(&out);
	assert_true(n2p_copy_int8(&out, -1));
	ASSERT_BYTES(&out, "\0\0\0\x08" "\xff\xff\xff\xff\xff\xff\xff\xff");
	n2p_buf_reset(&out);
	assert_true(n2p_copy_int8(&out, INT64_MIN));
	ASSERT_BYTES(&out, "\0\0\0\x08" "\x80\0\0\0\0\0\0\0");
	n2p_buf_reset(&out);
	assert_true(n2p_copy_int8(&out, INT64_MAX));
	ASSERT_BYTES(&out, "\0\0\0\x08" "\x7f\xff\xff\xff\xff\xff\xff\xff");

	n2p_buf_reset(&out);
	assert_true(n2p_copy_text(&out, "KNOWS", 5, &err));
	assert_true(n2p_copy_text(&out, "", 0, &err));
	ASSERT_BYTES(&out, "\0\0\0\x05" "KNOWS" "\0\0\0\0");

	n2p_buf_reset(&out);
	assert_false(n2p_copy_text(&out, "A\0B", 3, &err));
	assert_int_equal(err.code, N2P_ERR_DATA);
	n2p_buf_free(&out);
}

static void
test_copy_text_array(void **state)
{
	N2pStr		one[1] = {s_cstr("Person")};
	N2pStr		three[3] = {s_cstr("A"), s_cstr("Bc"), s_cstr("")};
	N2pStr		nul[2] = {s_cstr("A"), {"B\0", 2}};
	N2pBuf		out;
	N2pError	err;

	(void) state;
	n2p_buf_init(&out, &n2p_libc_allocator);
	n2p_error_init(&err);

	/* empty: ndim 0, no dimensions */
	assert_true(n2p_copy_text_array(&out, NULL, 0, &err));
	ASSERT_BYTES(&out,
				 "\0\0\0\x0c"	/* field length 12 */
				 "\0\0\0\0"		/* ndim */
				 "\0\0\0\0"		/* hasnull */
				 "\0\0\0\x19");	/* elemtype 25 */

	n2p_buf_reset(&out);
	assert_true(n2p_copy_text_array(&out, one, 1, &err));
	ASSERT_BYTES(&out,
				 "\0\0\0\x1e"	/* 12 + 8 + 4 + 6 = 30 */
				 "\0\0\0\x01" "\0\0\0\0" "\0\0\0\x19"
				 "\0\0\0\x01" "\0\0\0\x01"	/* dim 1, lbound 1 */
				 "\0\0\0\x06" "Person");

	/* appended after existing bytes: the length covers only the array */
	n2p_buf_reset(&out);
	n2p_buf_append(&out, "xy", 2);
	assert_true(n2p_copy_text_array(&out, three, 3, &err));
	ASSERT_BYTES(&out,
				 "xy"
				 "\0\0\0\x23"	/* 12 + 8 + (4+1) + (4+2) + (4+0) = 35 */
				 "\0\0\0\x01" "\0\0\0\0" "\0\0\0\x19"
				 "\0\0\0\x03" "\0\0\0\x01"
				 "\0\0\0\x01" "A"
				 "\0\0\0\x02" "Bc"
				 "\0\0\0\0");

	n2p_buf_reset(&out);
	assert_false(n2p_copy_text_array(&out, nul, 2, &err));
	assert_int_equal(err.code, N2P_ERR_DATA);
	n2p_buf_free(&out);
}

static void
test_copy_record_node(void **state)
{
	N2pStr		labels[2] = {s_cstr("A"), s_cstr("Person")};
	N2pStr		keys[2] = {s_cstr("k"), s_cstr("d")};
	N2pValue	vals[2] = {v_int(1), v_date(1999, 1, 1)};
	N2pRecord	rec;
	N2pBuf		out,
				types;
	N2pError	err;

	(void) state;
	n2p_buf_init(&out, &n2p_libc_allocator);
	n2p_buf_init(&types, &n2p_libc_allocator);
	n2p_error_init(&err);
	memset(&rec, 0, sizeof(rec));
	rec.kind = N2P_REC_NODE;
	rec.id = 7;
	rec.labels = labels;
	rec.nlabels = 2;
	rec.props = v_map(keys, vals, 1);

	/* no marked key: prop_types is NULL */
	assert_true(n2p_copy_record(&out, &rec, &types, NULL, &err));
	ASSERT_BYTES(&out,
				 "\0\x04"
				 "\0\0\0\x08" "\0\0\0\0\0\0\0\x07"
				 "\0\0\0\x23"	/* 12 + 8 + 5 + 10 = 35 */
				 "\0\0\0\x01" "\0\0\0\0" "\0\0\0\x19" "\0\0\0\x02" "\0\0\0\x01"
				 "\0\0\0\x01" "A"
				 "\0\0\0\x06" "Person"
				 "\0\0\0\x09" "\x01" "{\"k\": 1}"
				 "\xff\xff\xff\xff");

	/* a live source's element id: one more field, last */
	{
		N2pPgEncodeOpts live = {.element_ids = true};

		n2p_buf_reset(&out);
		rec.element_id = s_cstr("4:db:7");
		assert_true(n2p_copy_record(&out, &rec, &types, &live, &err));
		assert_int_equal(out.data[1], 5);
		assert_memory_equal(out.data + out.len - 10, "\0\0\0\x06" "4:db:7", 10);
		rec.element_id = s_cstr("");
	}

	/* a marked key: prop_types is jsonb too */
	n2p_buf_reset(&out);
	rec.nlabels = 0;
	rec.props = v_map(keys, vals, 2);
	assert_true(n2p_copy_record(&out, &rec, &types, NULL, &err));
	ASSERT_BYTES(&out,
				 "\0\x04"
				 "\0\0\0\x08" "\0\0\0\0\0\0\0\x07"
				 "\0\0\0\x0c" "\0\0\0\0" "\0\0\0\0" "\0\0\0\x19"
				 "\0\0\0\x1c" "\x01" "{\"k\": 1, \"d\": \"1999-01-01\"}"
				 "\0\0\0\x0e" "\x01" "{\"d\": \"date\"}");

	/* a label with U+0000 */
	n2p_buf_reset(&out);
	labels[1] = (N2pStr) {"Per\0son", 7};
	rec.nlabels = 2;
	assert_false(n2p_copy_record(&out, &rec, &types, NULL, &err));
	assert_int_equal(err.code, N2P_ERR_DATA);
	n2p_buf_free(&out);
	n2p_buf_free(&types);
}

static void
test_copy_record_rel(void **state)
{
	N2pStr		key = s_cstr("f");
	N2pValue	val = v_float(NAN);
	N2pRecord	rec;
	N2pBuf		out,
				types;
	N2pError	err;

	(void) state;
	n2p_buf_init(&out, &n2p_libc_allocator);
	n2p_buf_init(&types, &n2p_libc_allocator);
	n2p_error_init(&err);
	memset(&rec, 0, sizeof(rec));
	rec.kind = N2P_REC_REL;
	rec.id = 3;
	rec.type = s_cstr("KNOWS");
	rec.start_id = 1;
	rec.end_id = -2;
	rec.props = v_map(NULL, NULL, 0);

	assert_true(n2p_copy_record(&out, &rec, &types, NULL, &err));
	ASSERT_BYTES(&out,
				 "\0\x06"
				 "\0\0\0\x08" "\0\0\0\0\0\0\0\x03"
				 "\0\0\0\x05" "KNOWS"
				 "\0\0\0\x08" "\0\0\0\0\0\0\0\x01"
				 "\0\0\0\x08" "\xff\xff\xff\xff\xff\xff\xff\xfe"
				 "\0\0\0\x03" "\x01" "{}"
				 "\xff\xff\xff\xff");

	/* records append: a second one follows the first */
	n2p_buf_reset(&out);
	n2p_buf_append(&out, "#", 1);
	rec.props = v_map(&key, &val, 1);
	assert_true(n2p_copy_record(&out, &rec, &types, NULL, &err));
	ASSERT_BYTES(&out,
				 "#"
				 "\0\x06"
				 "\0\0\0\x08" "\0\0\0\0\0\0\0\x03"
				 "\0\0\0\x05" "KNOWS"
				 "\0\0\0\x08" "\0\0\0\0\0\0\0\x01"
				 "\0\0\0\x08" "\xff\xff\xff\xff\xff\xff\xff\xfe"
				 "\0\0\0\x0d" "\x01" "{\"f\": \"NaN\"}"
				 "\0\0\0\x0f" "\x01" "{\"f\": \"float\"}");

	/* a type with U+0000 */
	n2p_buf_reset(&out);
	rec.type = (N2pStr) {"KN\0WS", 5};
	assert_false(n2p_copy_record(&out, &rec, &types, NULL, &err));
	assert_int_equal(err.code, N2P_ERR_DATA);

	/* a NUL in a property value names the key */
	n2p_buf_reset(&out);
	n2p_error_init(&err);
	rec.type = s_cstr("KNOWS");
	val = v_str("x\0", 2);
	assert_false(n2p_copy_record(&out, &rec, &types, NULL, &err));
	assert_int_equal(err.code, N2P_ERR_DATA);
	assert_string_equal(err.key, "f");
	n2p_buf_free(&out);
	n2p_buf_free(&types);
}

/* ------------------------------------------------------- failing allocator */

/*
 * Encode rec with the n-th allocation failing, for every n up to the
 * number the record needs: each must be false with N2P_ERR_NOMEM, and the
 * first run that succeeds must give the bytes the libc allocator gives.
 */
static void
run_failing(const N2pRecord *rec, N2pPgEncodeOpts *opts)
{
	N2pBuf		ref,
				reftypes;
	N2pError	err;
	int			n;

	n2p_buf_init(&ref, &n2p_libc_allocator);
	n2p_buf_init(&reftypes, &n2p_libc_allocator);
	n2p_error_init(&err);
	assert_true(n2p_copy_record(&ref, rec, &reftypes, opts, &err));

	for (n = 0;; n++)
	{
		FailingAlloc fa = {.left = n};
		N2pAllocator a = {failing_malloc, failing_realloc, failing_free, &fa};
		N2pBuf		out,
					types;
		bool		ok;

		n2p_buf_init(&out, &a);
		n2p_buf_init(&types, &a);
		n2p_error_init(&err);
		ok = n2p_copy_record(&out, rec, &types, opts, &err);
		if (ok)
		{
			assert_int_equal(err.code, N2P_OK);
			assert_int_equal(fa.calls, n);
			assert_bytes(&out, ref.data, ref.len);
		}
		n2p_buf_free(&out);
		n2p_buf_free(&types);
		if (ok)
			break;
		if (err.code != N2P_ERR_NOMEM)
			fail_msg("allocation %d of a %zu-byte record failed with code %d (\"%s\"), expected N2P_ERR_NOMEM",
					 n, ref.len, (int) err.code, err.msg);
		assert_true(n < 100);
	}
	n2p_buf_free(&ref);
	n2p_buf_free(&reftypes);
}

/*
 * Records of every size around the buffer's growth points, so that each
 * field of the row (and the prop_types NULL) is in turn the one whose
 * growth fails.
 */
static void
test_failing_allocator(void **state)
{
	static char pad[700];
	N2pStr		labels[3] = {s_cstr("A"), s_cstr("Person"), s_cstr("")};
	N2pValue	items[2] = {v_float(1.5), v_float(NAN)};
	N2pStr		keys[5] = {s_cstr("pad"), s_cstr("d"), s_cstr("l"), s_cstr("p"), s_cstr("s")};
	N2pValue	vals[5];
	N2pRecord	rec;
	N2pPgEncodeOpts opts = {.nul_replacement = "\xEF\xBF\xBD"};
	size_t		len;
	int			kind;

	(void) state;
	memset(pad, 'x', sizeof(pad));
	vals[1] = v_date(1999, 1, 1);
	vals[2] = v_list(items, 2);
	vals[3] = v_point(N2P_SRID_WGS84_3D, 1.0, 2.0, 3.0);
	vals[4] = v_str("a\0\"b", 4);
	for (kind = 0; kind < 2; kind++)
	{
		memset(&rec, 0, sizeof(rec));
		rec.kind = kind == 0 ? N2P_REC_NODE : N2P_REC_REL;
		rec.id = 12345;
		rec.labels = labels;
		rec.nlabels = 3;
		rec.type = s_cstr("KNOWS");
		rec.start_id = 1;
		rec.end_id = 2;
		for (len = 0; len < sizeof(pad); len++)
		{
			vals[0] = v_str(pad, len);
			/* plain props only: the prop_types NULL ends the row */
			rec.props = v_map(keys, vals, 1);
			run_failing(&rec, NULL);
			/* every kind of value, a NUL replaced */
			if (len % 7 == 0)
			{
				rec.props = v_map(keys, vals, 5);
				run_failing(&rec, &opts);
			}
		}
	}

	/* n2p_json_append_string alone */
	for (len = 0; len < 300; len += 3)
	{
		int			n;

		for (n = 0;; n++)
		{
			FailingAlloc fa = {.left = n};
			N2pAllocator a = {failing_malloc, failing_realloc, failing_free, &fa};
			N2pBuf		out;
			N2pError	err;
			bool		ok;

			n2p_buf_init(&out, &a);
			n2p_error_init(&err);
			/* the prefix itself may be what fails */
			if (!n2p_buf_append(&out, pad, len))
			{
				n2p_buf_free(&out);
				continue;
			}
			ok = n2p_json_append_string(&out, "a\n\x01", 3, NULL, &err);
			if (ok)
				assert_memory_equal(out.data + len, "\"a\\n\\u0001\"", 11);
			else
				assert_int_equal(err.code, N2P_ERR_NOMEM);
			n2p_buf_free(&out);
			if (ok)
				break;
			assert_true(n < 100);
		}
	}
}

/* Labels and types up to their index's limit, not one byte more. */
static void
test_name_limits(void **state)
{
	char	   *name = malloc(3000);
	N2pStr		label;
	N2pBuf		out;
	N2pError	err;

	(void) state;
	memset(name, 'x', 3000);
	n2p_buf_init(&out, &n2p_libc_allocator);
	n2p_error_init(&err);
	assert_true(n2p_pg_check_name(true, name, N2P_PG_MAX_GIN_BYTES, &err));
	assert_true(n2p_pg_check_name(false, name, N2P_PG_MAX_BTREE_BYTES, &err));
	assert_false(n2p_pg_check_name(false, name, N2P_PG_MAX_BTREE_BYTES + 1, &err));
	assert_int_equal(err.code, N2P_ERR_DATA);
	assert_non_null(strstr(err.msg, "relationship type \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...\" "
						   "has 2693 bytes"));
	assert_non_null(strstr(err.msg, "relationships.type holds at most 2692"));
	/* as a row is encoded: the label array and the type field */
	label = (N2pStr) {name, N2P_PG_MAX_GIN_BYTES + 1};
	n2p_error_init(&err);
	assert_false(n2p_copy_text_array(&out, &label, 1, &err));
	assert_non_null(strstr(err.msg, "label \"x"));
	assert_non_null(strstr(err.msg, "has 2701 bytes: PostgreSQL's index on nodes.labels holds at most 2700"));
	n2p_error_init(&err);
	assert_false(n2p_copy_text(&out, name, N2P_PG_MAX_BTREE_BYTES + 1, &err));
	n2p_error_init(&err);
	assert_true(n2p_copy_text(&out, name, N2P_PG_MAX_BTREE_BYTES, &err));
	/* a multibyte character is not cut in the message */
	memcpy(name + 38, "\xE2\x82\xAC", 3);
	n2p_error_init(&err);
	assert_false(n2p_pg_check_name(true, name, 2800, &err));
	assert_non_null(strstr(err.msg, "label \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...\""));
	n2p_buf_free(&out);
	free(name);
}

/*
 * The bound decides whether a unique btree fits: it must never be below
 * the text PostgreSQL indexes (props->>key), and is exact for strings.
 */
static void
test_text_bound(void **state)
{
	N2pPgEncodeOpts plain = {0},
				repl = {.nul_replacement = "XYZ"};
	N2pValue	s = v_str("a\0b\0", 4),
				ctl = v_cstr("\x01\x01"),
				tiny = v_float_text(5e-324, "5e-324"),
				items[3];

	(void) state;
	assert_int_equal(n2p_pg_text_bound(&s, &plain), 4);
	/* each U+0000 becomes the 3 bytes of the replacement */
	assert_true(n2p_pg_text_bound(&s, &repl) >= 2 + 2 * 3);
	assert_int_equal(n2p_pg_text_bound(&s, &repl), 4 + 2 * 3);
	/* jsonb prints 5e-324 as 0.000...5: 326 characters */
	assert_true(n2p_pg_text_bound(&tiny, &plain) >= 326);
	/* in a list a string is quoted and escaped: ["\u0001\u0001"] */
	items[0] = ctl;
	assert_true(n2p_pg_text_bound(&(N2pValue) {.type = N2P_LIST, .u.list = {items, 1}}, &plain) >= 18);
	items[0] = items[1] = items[2] = tiny;
	assert_true(n2p_pg_text_bound(&(N2pValue) {.type = N2P_LIST, .u.list = {items, 3}}, &plain) >= 3 * 326 + 6);
	/* bytes read as \x and two hex digits per byte */
	assert_true(n2p_pg_text_bound(&(N2pValue) {.type = N2P_BYTES, .u.str = {"0123456789", 10}}, &plain) >= 22);
}

static void
test_text_valid(void **state)
{
	static const char *const good[] = {
		"", "\xEF\xBF\xBD", "abc", "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF",
		"\xEE\x80\x80", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF", "\xF0\x9F\x98\x80 ok", NULL};
	static const char *const bad[] = {
		"\x80", "\xC0\x80", "\xC1\xBF", "\xC2", "\xE0\x9F\xBF", "\xED\xA0\x80", "\xED\xBF\xBF",
		"\xF0\x8F\xBF\xBF", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF", "a\xE2\x82",
		"\xE2\x28\xA1", NULL};
	int			i;

	(void) state;
	for (i = 0; good[i]; i++)
		if (!n2p_pg_text_valid(good[i], strlen(good[i])))
			fail_msg("good[%d] refused", i);
	for (i = 0; bad[i]; i++)
		if (n2p_pg_text_valid(bad[i], strlen(bad[i])))
			fail_msg("bad[%d] accepted", i);
	assert_false(n2p_pg_text_valid("a\0b", 3));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bool_int),
		cmocka_unit_test(test_floats),
		cmocka_unit_test(test_float_tokens),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_append_string_appends),
		cmocka_unit_test(test_string_words),
		cmocka_unit_test(test_nul),
		cmocka_unit_test(test_nul_in_marked_key),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_temporals),
		cmocka_unit_test(test_points),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_list_mark_from_all_elements),
		cmocka_unit_test(test_storable_keys),
		cmocka_unit_test(test_error_key_escaped),
		cmocka_unit_test(test_whole_map),
		cmocka_unit_test(test_bad_value_types),
		cmocka_unit_test(test_copy_primitives),
		cmocka_unit_test(test_copy_text_array),
		cmocka_unit_test(test_copy_record_node),
		cmocka_unit_test(test_copy_record_rel),
		cmocka_unit_test(test_failing_allocator),
		cmocka_unit_test(test_name_limits),
		cmocka_unit_test(test_text_valid),
		cmocka_unit_test(test_text_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
