/*-------------------------------------------------------------------------
 *
 * test_pgread.c
 *	  Unit tests for reading the neo2pg layout back (src/pg/read.c): props
 *	  and prop_types of every type as jsonb prints them, read into values
 *	  and encoded again; every kind of bad user edit; binary COPY tuples
 *	  made by the encoder, read back.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  test/unit/test_pgread.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "neo2pg/bytes.h"
#include "neo2pg/pgcopy.h"
#include "neo2pg/pgread.h"

/*
 * Read props/types, encode the map again: the text must come back as
 * want_props and want_types (NULL: the same as given).
 */
static void
check_read(const char *props, const char *types, const char *want_props, const char *want_types)
{
	N2pError	err;
	N2pArena	arena;
	N2pValue	v;
	N2pBuf		out,
				tout;
	N2pPgReader *r;

	n2p_error_init(&err);
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	n2p_buf_init(&out, &n2p_libc_allocator);
	n2p_buf_init(&tout, &n2p_libc_allocator);
	r = n2p_pg_reader_new(&n2p_libc_allocator, &err);
	assert_non_null(r);
	if (!n2p_pg_props_parse(r, props, strlen(props), types, types ? strlen(types) : 0, &arena, &v, &err))
		fail_msg("reading %s failed: %s (key %s)", props, err.msg, err.key);
	assert_true(n2p_pg_props_json(&v, &out, &tout, NULL, &err));
	assert_string_equal(out.data, want_props ? want_props : props);
	assert_string_equal(tout.len ? tout.data : "", want_types ? want_types : types ? types : "");
	n2p_pg_reader_free(r);
	n2p_buf_free(&out);
	n2p_buf_free(&tout);
	n2p_arena_destroy(&arena);
}

static void
check_bad(const char *props, const char *types, const char *key, const char *msg)
{
	N2pError	err;
	N2pArena	arena;
	N2pValue	v;
	N2pPgReader *r;

	n2p_error_init(&err);
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	r = n2p_pg_reader_new(&n2p_libc_allocator, &err);
	if (n2p_pg_props_parse(r, props, strlen(props), types, types ? strlen(types) : 0, &arena, &v, &err))
		fail_msg("%s / %s was read", props, types ? types : "NULL");
	if (strstr(err.msg, msg) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, msg);
	if (key)
	{
		assert_true(err.has_key);
		assert_string_equal(err.key, key);
	}
	n2p_pg_reader_free(r);
	n2p_arena_destroy(&arena);
}

static void
test_every_type(void **state)
{
	(void) state;
	check_read("{\"b\": true, \"i\": -9223372036854775808, \"f\": 0.334, \"s\": \"x\\\"y\\u0001\", "
			   "\"l\": [1, 2], \"e\": []}", NULL, NULL, NULL);
	check_read("{\"nan\": \"NaN\", \"inf\": \"-Infinity\", \"neg0\": \"-0.0\", \"big\": \"1e+20\"}",
			   "{\"nan\": \"float\", \"inf\": \"float\", \"neg0\": \"float\", \"big\": \"float\"}", NULL, NULL);
	check_read("{\"d\": \"1999-01-01\", \"t\": \"21:40:32.142+01:00\", \"lt\": \"12:50:35.556\", "
			   "\"dt\": \"2015-06-24T12:50:35.556+01:00[Europe/London]\", \"ldt\": \"2015-07-04T19:32:24\", "
			   "\"dur\": \"P1Y2M10DT2H30M15.5S\", \"y0\": \"-0001-01-01\"}",
			   "{\"d\": \"date\", \"t\": \"time\", \"lt\": \"localtime\", \"dt\": \"datetime\", "
			   "\"ldt\": \"localdatetime\", \"dur\": \"duration\", \"y0\": \"date\"}", NULL, NULL);
	check_read("{\"p\": {\"x\": 56.0, \"y\": 12.0, \"srid\": 4326}, \"q\": {\"x\": 1, \"y\": \"NaN\", "
			   "\"z\": -2.5, \"srid\": 9157}, \"b\": \"\\\\x00ff\", \"e\": \"\\\\x\"}",
			   "{\"p\": \"point\", \"q\": \"point\", \"b\": \"bytes\", \"e\": \"bytes\"}",
			   "{\"p\": {\"srid\": 4326, \"x\": 56.0, \"y\": 12.0}, \"q\": {\"srid\": 9157, \"x\": 1.0, "
			   "\"y\": \"NaN\", \"z\": -2.5}, \"b\": \"\\\\x00ff\", \"e\": \"\\\\x\"}", NULL);
	/* under list<float>, plain numbers are floats too */
	check_read("{\"fs\": [1, 2.5, \"NaN\"], \"ds\": [\"2020-01-01\"], \"ps\": [{\"x\": 1.0, \"y\": 2.0, \"srid\": 7203}]}",
			   "{\"fs\": \"list<float>\", \"ds\": \"list<date>\", \"ps\": \"list<point>\"}",
			   "{\"fs\": [1.0, 2.5, \"NaN\"], \"ds\": [\"2020-01-01\"], \"ps\": [{\"srid\": 7203, \"x\": 1.0, \"y\": 2.0}]}",
			   NULL);
	/* a JSON null prop_types is none; a redundant mark of a plain type is kept out */
	check_read("{\"a\": 1}", "null", NULL, "");
	check_read("{\"a\": 1, \"s\": \"2020-01-01\"}", "{\"s\": \"string\", \"a\": \"integer\"}", NULL, "");
	/* a float marked as such may be a number */
	check_read("{\"f\": 2}", "{\"f\": \"float\"}", "{\"f\": 2.0}", "");
}

static void
test_bad_edits(void **state)
{
	(void) state;
	check_bad("{\"d\": \"1999-13-01\"}", "{\"d\": \"date\"}", "d", "invalid date");
	check_bad("{\"d\": 5}", "{\"d\": \"date\"}", "d", "prop_types says date, but the value is a JSON number");
	check_bad("{\"t\": \"12:00\"}", "{\"t\": \"time\"}", "t", "invalid time");
	check_bad("{\"f\": \"many\"}", "{\"f\": \"float\"}", "f", "prop_types says float, but \"many\"");
	check_bad("{\"f\": \"1e999\"}", "{\"f\": \"float\"}", "f", "does not parse");
	check_bad("{\"f\": \" 1\"}", "{\"f\": \"float\"}", "f", "does not parse");
	check_bad("{\"b\": \"\\\\x0\"}", "{\"b\": \"bytes\"}", "b", "prop_types says bytes");
	check_bad("{\"b\": \"\\\\xzz\"}", "{\"b\": \"bytes\"}", "b", "prop_types says bytes");
	check_bad("{\"p\": {\"x\": 1, \"y\": 2}}", "{\"p\": \"point\"}", "p", "lacks srid");
	check_bad("{\"p\": {\"x\": 1, \"y\": 2, \"srid\": 1}}", "{\"p\": \"point\"}", "p", "not one of Neo4j's");
	check_bad("{\"p\": {\"x\": 1, \"y\": 2, \"srid\": 4979}}", "{\"p\": \"point\"}", "p", "has no z");
	check_bad("{\"p\": {\"x\": 1, \"y\": 2, \"srid\": 4326, \"w\": 1}}", "{\"p\": \"point\"}", "p", "other than");
	check_bad("{\"p\": {\"x\": \"a\", \"y\": 2, \"srid\": 4326}}", "{\"p\": \"point\"}", "p", "says float");
	check_bad("{\"a\": 1}", "{\"b\": \"date\"}", "b", "prop_types has an entry for a key that props does not have");
	check_bad("{\"a\": 1}", "{\"a\": \"dates\"}", "a", "a type that does not exist: \"dates\"");
	check_bad("{\"a\": 1}", "{\"a\": 7}", "a", "its prop_types entry is a JSON number");
	check_bad("{\"a\": [1]}", "{\"a\": \"list<\"}", "a", "does not exist");
	check_bad("{\"a\": \"x\"}", "{\"a\": \"list<date>\"}", "a", "says list<date>, but the value is a JSON string");
	check_bad("{\"a\": [\"2020-01-01\", 1]}", "{\"a\": \"list<date>\"}", "a", "says date, but the value is a JSON number");
	check_bad("{\"a\": [\"2020-01-01\"]}", "{\"a\": \"date\"}", "a", "says date, but the value is a JSON array");
	check_bad("{\"a\": null}", NULL, "a", "the value is a JSON null");
	check_bad("{\"a\": {\"k\": 1}}", NULL, "a", "the value is a JSON object");
	check_bad("{\"a\": [1, null]}", NULL, "a", "a list element is a JSON null");
	check_bad("{\"a\": [[1]]}", NULL, "a", "a list holds a list");
	check_bad("{\"a\": [[\"2020-01-01\"]]}", "{\"a\": \"list<date>\"}", "a", "a list holds a list");
	check_bad("{\"\": 1}", NULL, "", "an empty key");
	check_bad("[1]", NULL, NULL, "props is a JSON array, not an object");
	check_bad("{\"a\": 1}", "[]", NULL, "prop_types is a JSON array, not an object");
	check_bad("{\"a\": 1", NULL, NULL, "(in props)");
	check_bad("{\"a\": 99999999999999999999}", NULL, NULL, "");
}

/* A tuple as the server sends it: the encoder's row, the header first. */
static size_t
make_tuple(N2pBuf *b, const N2pRecord *rec, bool header, bool element_id)
{
	N2pBuf		types;
	N2pError	err;
	N2pPgEncodeOpts opts = {.element_ids = element_id};

	n2p_buf_init(&types, &n2p_libc_allocator);
	n2p_error_init(&err);
	n2p_buf_reset(b);
	if (header)
		assert_true(n2p_copy_header(b));
	assert_true(n2p_copy_record(b, rec, &types, &opts, &err));
	n2p_buf_free(&types);
	return b->len;
}

static void
test_tuples(void **state)
{
	N2pStr		labels[2] = {{"A", 1}, {"B:c", 3}};
	N2pStr		key = {"d", 1};
	N2pValue	val = {.type = N2P_DATE, .u.date = 10957};
	N2pRecord	node = {.kind = N2P_REC_NODE, .id = 7, .labels = labels, .nlabels = 2,
		.props = {.type = N2P_MAP, .u.map = {&key, &val, 1}}, .element_id = {"4:x:7", 5}},
				rel = {.kind = N2P_REC_REL, .id = -3, .type = {"KNOWS", 5}, .start_id = 7, .end_id = 8,
		.props = {.type = N2P_MAP, .u.map = {NULL, NULL, 0}}},
				got;
	N2pBuf		b;
	N2pError	err;
	N2pArena	arena;
	N2pPgReader *r;
	size_t		n;

	(void) state;
	n2p_buf_init(&b, &n2p_libc_allocator);
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	n2p_error_init(&err);
	r = n2p_pg_reader_new(&n2p_libc_allocator, &err);
	n = make_tuple(&b, &node, true, true);
	assert_int_equal(n2p_pg_read_tuple(r, N2P_REC_NODE, true, b.data, n, &arena, &got, &err), 1);
	assert_int_equal(got.id, 7);
	assert_int_equal(got.nlabels, 2);
	assert_true(n2p_str_eq(got.labels[1], "B:c"));
	assert_true(n2p_str_eq(got.element_id, "4:x:7"));
	assert_int_equal(got.props.u.map.vals[0].type, N2P_DATE);
	assert_int_equal(got.props.u.map.vals[0].u.date, 10957);
	n = make_tuple(&b, &rel, false, false);
	assert_int_equal(n2p_pg_read_tuple(r, N2P_REC_REL, false, b.data, n, &arena, &got, &err), 1);
	assert_int_equal(got.id, -3);
	assert_true(n2p_str_eq(got.type, "KNOWS"));
	assert_int_equal(got.start_id, 7);
	assert_int_equal(got.end_id, 8);
	assert_int_equal(got.props.u.map.n, 0);
	/* the trailer */
	assert_int_equal(n2p_pg_read_tuple(r, N2P_REC_REL, false, "\377\377", 2, &arena, &got, &err), 0);
	/* a row of the wrong width, a cut row */
	assert_int_equal(n2p_pg_read_tuple(r, N2P_REC_NODE, false, b.data, n, &arena, &got, &err), -1);
	n2p_error_init(&err);
	assert_int_equal(n2p_pg_read_tuple(r, N2P_REC_REL, false, b.data, n - 1, &arena, &got, &err), -1);
	assert_non_null(strstr(err.msg, "not as expected"));
	/* an empty label: the row is named */
	labels[1].len = 0;
	n = make_tuple(&b, &node, false, false);
	n2p_error_init(&err);
	assert_int_equal(n2p_pg_read_tuple(r, N2P_REC_NODE, false, b.data, n, &arena, &got, &err), -1);
	assert_non_null(strstr(err.msg, "labels holds an empty label (element 2)"));
	assert_string_equal(err.row_kind, "node");
	assert_int_equal(err.row_id, 7);
	n2p_pg_reader_free(r);
	n2p_arena_destroy(&arena);
	n2p_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_type),
		cmocka_unit_test(test_bad_edits),
		cmocka_unit_test(test_tuples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
