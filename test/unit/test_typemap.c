/*-------------------------------------------------------------------------
 *
 * test_typemap.c
 *	  Unit tests of the catalog, the column-type inference, the castability
 *	  rules, the typed text-COPY fields and the spill file.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  test/unit/test_typemap.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "neo2pg/catalog.h"
#include "neo2pg/literal.h"
#include "neo2pg/pgcopy.h"
#include "neo2pg/spill.h"
#include "neo2pg/typemap.h"

#include <math.h>
#include <string.h>

#include "test_support.h"

static N2pArena arena;

static void
assert_column(const char *const *types, size_t n, bool postgis, const char *want)
{
	char		buf[128];

	n2p_column_type_sql(n2p_column_type(types, n), postgis, "s.neo4j_point", buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void
test_column_types(void **state)
{
	static const char *const one[] = {"date"};
	static const char *const list_and_empty[] = {"list", "list<integer>"};
	static const char *const only_empty[] = {"list"};
	static const char *const mixed[] = {"integer", "string"};
	static const char *const points[] = {"point(4326)"};
	static const char *const points3d[] = {"list<point(4979)>"};
	static const char *const srids[] = {"point(4326)", "point(7203)"};
	static const char *const mixed_list[] = {"list<mixed>"};

	(void) state;
	assert_column(one, 1, false, "date");
	assert_column(list_and_empty, 2, false, "bigint[]");
	assert_column(only_empty, 1, false, "jsonb");
	assert_column(mixed, 2, false, "jsonb");
	assert_column(points, 1, true, "geometry(Point,4326)");
	assert_column(points, 1, false, "s.neo4j_point");
	assert_column(points3d, 1, true, "geometry(PointZ,4979)[]");
	assert_column(srids, 2, true, "geometry");
	assert_column(mixed_list, 1, false, "jsonb");
}

/* Every type a key held counts, however many: a 100th conflicting one still makes it jsonb. */
static void
test_key_column_type_uncapped(void **state)
{
	N2pCatalogEntry e[100];
	char		names[100][24];
	size_t		i;
	N2pColumnType t;

	(void) state;
	memset(e, 0, sizeof(e));
	for (i = 0; i < 100; i++)
	{
		snprintf(names[i], sizeof(names[i]), "point(%zu)", 1000 + i);
		e[i] = (N2pCatalogEntry) {N2P_REC_NODE, "L", 1, "k", 1, names[i], 1, 0};
	}
	t = n2p_key_column_type(e, 100);
	assert_int_equal(t.kind, N2P_COL_POINT);
	assert_int_equal(t.srid, 0);
	e[99].type = "string";
	assert_int_equal(n2p_key_column_type(e, 100).kind, N2P_COL_JSONB);
	e[99].type = "list";
	assert_int_equal(n2p_key_column_type(e, 100).kind, N2P_COL_JSONB);
}

static void
test_castable(void **state)
{
	N2pValue	items[2],
				list = v_list(items, 2);

	(void) state;
	items[0] = v_literal(&arena, "$date('2000-01-01')");
	items[1] = v_literal(&arena, "$date('+10000-01-01')");
	assert_true(n2p_pg_castable(&items[0]));
	assert_false(n2p_pg_castable(&items[1]));
	assert_false(n2p_pg_castable(&list));
	items[0] = v_literal(&arena, "$time('10:00:00.000000000+15:59')");
	items[1] = v_literal(&arena, "$time('10:00:00.000000000+16:00')");
	assert_true(n2p_pg_castable(&items[0]));
	assert_false(n2p_pg_castable(&items[1]));
	items[0] = v_literal(&arena, "$time('24:00:00.000000000')");
	assert_true(n2p_pg_castable(&items[0]));
	items[0] = v_literal(&arena, "$duration('P-1M-2DT-3H')");
	assert_true(n2p_pg_castable(&items[0]));
}

/* Lists are typed by every element, points by their SRID. */
static void
test_type_names(void **state)
{
	N2pValue	items[2];
	N2pValue	v;
	char		buf[64];

	(void) state;
	items[0] = v_literal(&arena, "$point({x: 1.0, y: 2.0, crs: 'wgs-84'})");
	items[1] = v_literal(&arena, "$point({x: 1.0, y: 2.0, crs: 'cartesian'})");
	v = v_list(items, 1);
	n2p_value_type_name(&v, buf, sizeof(buf));
	assert_string_equal(buf, "list<point(4326)>");
	v = v_list(items, 2);
	n2p_value_type_name(&v, buf, sizeof(buf));
	assert_string_equal(buf, "list<mixed>");
	items[1] = v_cstr("a");
	n2p_value_type_name(&v, buf, sizeof(buf));
	assert_string_equal(buf, "list<mixed>");
	v = v_list(items, 0);
	n2p_value_type_name(&v, buf, sizeof(buf));
	assert_string_equal(buf, "list");
}

/* Keys are counted: "k\0a", "k\0b" and "k" are three keys, never one. */
static void
test_catalog_counted_keys(void **state)
{
	N2pCatalog *cat = n2p_catalog_new(&n2p_libc_allocator);
	N2pStr		label = {"A", 1};
	N2pStr		keys[3] = {{"k\0b", 3}, {"k", 1}, {"k\0a", 3}};
	N2pValue	vals[3] = {v_int(1), v_cstr("s"), v_float(1.5)};
	N2pRecord	rec = {.kind = N2P_REC_NODE, .labels = &label, .nlabels = 1};
	const N2pCatalogEntry *e;
	N2pError	err;
	size_t		n;

	(void) state;
	n2p_error_init(&err);
	rec.props = v_map(keys, vals, 3);
	assert_true(n2p_catalog_add(cat, &rec, &err));
	e = n2p_catalog_entries(cat, &n);
	assert_int_equal(n, 4);
	assert_null(e[0].key);
	/* "k" sorts before its extensions */
	assert_int_equal(e[1].key_len, 1);
	assert_string_equal(e[1].type, "string");
	assert_int_equal(e[2].key_len, 3);
	assert_memory_equal(e[2].key, "k\0a", 3);
	assert_string_equal(e[2].type, "float");
	assert_int_equal(e[3].key_len, 3);
	assert_memory_equal(e[3].key, "k\0b", 3);
	assert_string_equal(e[3].type, "integer");
	assert_false(n2p_catalog_same_key(&e[1], &e[2]));
	assert_false(n2p_catalog_same_key(&e[2], &e[3]));
	assert_true(n2p_catalog_same_scope(&e[1], &e[3]));
	n2p_catalog_free(cat);
}

static void
test_catalog_counts(void **state)
{
	N2pCatalog *cat = n2p_catalog_new(&n2p_libc_allocator);
	N2pStr		labels[2] = {{"A", 1}, {"B", 1}};
	N2pStr		keys[1] = {{"d", 1}};
	N2pValue	vals[1];
	N2pRecord	rec = {.kind = N2P_REC_NODE, .labels = labels, .nlabels = 2};
	const N2pCatalogEntry *e;
	N2pError	err;
	size_t		n;

	(void) state;
	n2p_error_init(&err);
	rec.props = v_map(keys, vals, 1);
	vals[0] = v_literal(&arena, "$date('2000-01-01')");
	assert_true(n2p_catalog_add(cat, &rec, &err));
	vals[0] = v_literal(&arena, "$date('-0001-01-01')");
	assert_true(n2p_catalog_add(cat, &rec, &err));
	e = n2p_catalog_entries(cat, &n);
	/* per label: the scope row, then d as date */
	assert_int_equal(n, 4);
	assert_string_equal(e[0].scope, "A");
	assert_null(e[0].key);
	assert_int_equal(e[0].count, 2);
	assert_string_equal(e[1].key, "d");
	assert_string_equal(e[1].type, "date");
	assert_int_equal(e[1].count, 2);
	assert_int_equal(e[1].not_castable, 1);
	assert_string_equal(e[2].scope, "B");
	n2p_catalog_free(cat);
}

static void
field(N2pTypedEncoder *enc, const N2pValue *v, const char *const *types, const char *want,
	  bool want_lost)
{
	N2pBuf		out;
	N2pError	err;
	bool		lost;

	n2p_buf_init(&out, &n2p_libc_allocator);
	n2p_error_init(&err);
	assert_true(n2p_copy_text_typed(enc, &out, v, n2p_column_type(types, 1), &lost, &err));
	assert_string_equal(out.data, want);
	assert_int_equal(lost, want_lost);
	n2p_buf_free(&out);
}

static void
test_typed_fields(void **state)
{
	static const char *const date_list[] = {"list<date>"};
	static const char *const text[] = {"string"};
	static const char *const pt[] = {"point(4979)"};
	static const char *const flt[] = {"float"};
	N2pTypedEncoder enc;
	N2pValue	items[2],
				v;

	(void) state;
	n2p_typed_encoder_init(&enc, &n2p_libc_allocator, true, NULL);
	items[0] = v_literal(&arena, "$date('2000-01-01')");
	items[1] = v_literal(&arena, "$date('-0001-01-01')");
	v = v_list(items, 2);
	/* the element that does not fit is NULL; the whole list is lost */
	field(&enc, &v, date_list, "{\"2000-01-01\",NULL}", true);
	v = v_cstr("tab\there \\ \"q\"\nline");
	field(&enc, &v, text, "tab\\there \\\\ \"q\"\\nline", false);
	v = v_literal(&arena, "$point({x: 1.5, y: -2.0, z: 3.0, crs: 'wgs-84-3d'})");
	field(&enc, &v, pt, "SRID=4979;POINT Z (1.5 -2.0 3.0)", false);
	v = v_float(NAN);
	field(&enc, &v, flt, "NaN", false);
	v = v_float(-0.0);
	field(&enc, &v, flt, "-0.0", false);
	n2p_typed_encoder_free(&enc);
	n2p_typed_encoder_init(&enc, &n2p_libc_allocator, false, NULL);
	v = v_literal(&arena, "$point({x: 1.5, y: -2.0, crs: 'cartesian'})");
	field(&enc, &v, (const char *const[]) {"point(7203)"}, "(7203,1.5,-2.0,)", false);
	n2p_typed_encoder_free(&enc);
}

/* What goes into the spill file comes back the same. */
static void
test_spill_round_trip(void **state)
{
	N2pSpill   *sp;
	N2pError	err;
	N2pStr		labels[1] = {{"Person", 6}};
	N2pStr		keys[4] = {{"name", 4}, {"when", 4}, {"tags", 4}, {"nul", 3}};
	N2pValue	vals[4],
				tags[2];
	N2pRecord	rec = {.kind = N2P_REC_NODE, .id = 42, .labels = labels, .nlabels = 1},
				back;
	char		a[64],
				b[64];

	(void) state;
	n2p_error_init(&err);
	vals[0] = v_cstr("Zürich");
	vals[1] = v_literal(&arena, "$datetime('2015-06-24T12:50:35.556000000+01:00[Europe/Paris]')");
	tags[0] = v_cstr("x");
	tags[1] = v_cstr("");
	vals[2] = v_list(tags, 2);
	vals[3] = v_str("a\0b", 3);
	rec.props = v_map(keys, vals, 4);
	assert_non_null(sp = n2p_spill_new(&n2p_libc_allocator, &n2p_posix_io, &err));
	assert_true(n2p_spill_write(sp, &rec, &err));
	rec.id = 43;
	assert_true(n2p_spill_write(sp, &rec, &err));
	assert_true(n2p_spill_rewind(sp, &err));
	assert_int_equal(n2p_spill_read(sp, &back, &err), 1);
	assert_int_equal(back.id, 42);
	assert_int_equal(back.nlabels, 1);
	assert_memory_equal(back.labels[0].ptr, "Person", 6);
	assert_int_equal(back.props.u.map.n, 4);
	assert_memory_equal(back.props.u.map.vals[0].u.str.ptr, "Zürich", strlen("Zürich"));
	n2p_value_type_name(&back.props.u.map.vals[1], a, sizeof(a));
	assert_string_equal(a, "datetime");
	assert_memory_equal(back.props.u.map.vals[1].u.dt.zone.ptr, "Europe/Paris", 12);
	n2p_value_type_name(&back.props.u.map.vals[2], b, sizeof(b));
	assert_string_equal(b, "list<string>");
	assert_int_equal(back.props.u.map.vals[3].u.str.len, 3);
	assert_int_equal(n2p_spill_read(sp, &back, &err), 1);
	assert_int_equal(back.id, 43);
	assert_int_equal(n2p_spill_read(sp, &back, &err), 0);
	n2p_spill_free(sp);
}

/* The keys that get columns: most values first, then by key, while they fit. */
static void
test_typed_fit(void **state)
{
	enum
	{
		N = 2000
	};
	static N2pKeyFit keys[N];
	static const N2pKeyFit *order[N];
	static bool fits[N];
	static char names[N][8];
	N2pColumnType interval = {.kind = N2P_COL_INTERVAL},
				text = {.kind = N2P_COL_TEXT},
				flag = {.kind = N2P_COL_BOOL};
	size_t		i,
				bytes;

	(void) state;
	assert_int_equal(n2p_column_max_bytes(interval), 23);
	assert_int_equal(n2p_column_max_bytes(flag), 1);
	assert_int_equal(n2p_column_max_bytes(text), 27);
	assert_int_equal(n2p_column_max_bytes((N2pColumnType) {.kind = N2P_COL_BIGINT, .is_array = true}), 31);
	for (i = 0; i < N; i++)
	{
		snprintf(names[i], sizeof(names[i]), "k%04zu", i);
		keys[i] = (N2pKeyFit) {{names[i], strlen(names[i])}, 1, interval};
	}
	/* a view: 1600 columns, id and labels among them, by name */
	assert_int_equal(n2p_typed_fit(keys, N, N2P_REC_NODE, false, order, fits), 1598);
	assert_true(fits[0] && fits[1597] && !fits[1598]);
	assert_int_equal(n2p_typed_fit(keys, N, N2P_REC_REL, false, order, fits), 1597);
	/* the key with the most values comes first */
	keys[1999].values = 5;
	assert_int_equal(n2p_typed_fit(keys, N, N2P_REC_NODE, false, order, fits), 1598);
	assert_true(fits[1999] && !fits[1597]);
	/* a table: a row with every interval set fits in a page */
	bytes = 224 + 15 + 31 + 27 + 341 * 23;
	assert_true(bytes <= N2P_PG_MAX_ROW_BYTES && bytes + 23 > N2P_PG_MAX_ROW_BYTES);
	assert_int_equal(n2p_typed_fit(keys, N, N2P_REC_NODE, true, order, fits), 341);
	/* a key too wide for what is left is passed over, narrower ones still fit */
	keys[0].values = 4;
	keys[0].type = text;
	keys[1].values = 3;
	keys[1].type = flag;
	for (i = 2; i < N; i++)
		keys[i].values = 2;
	keys[1999].values = 5;
	/* 224 + 73 + 27 + 1 + 340 * 23 = 8145; one more interval would pass 8160 */
	assert_int_equal(n2p_typed_fit(keys, N, N2P_REC_NODE, true, order, fits), 342);
	assert_true(fits[1999] && fits[0] && fits[1] && fits[340] && !fits[341]);
	/* few keys: all of them */
	assert_int_equal(n2p_typed_fit(keys, 3, N2P_REC_NODE, true, order, fits), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_column_types),
		cmocka_unit_test(test_key_column_type_uncapped),
		cmocka_unit_test(test_castable),
		cmocka_unit_test(test_type_names),
		cmocka_unit_test(test_catalog_counts),
		cmocka_unit_test(test_catalog_counted_keys),
		cmocka_unit_test(test_typed_fields),
		cmocka_unit_test(test_spill_round_trip),
		cmocka_unit_test(test_typed_fit),
	};
	int			rc;

	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	n2p_arena_destroy(&arena);
	return rc;
}
