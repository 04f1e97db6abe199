/*-------------------------------------------------------------------------
 *
 * test_pgplan.c
 *	  Unit tests of the typed plan without libpq (src/pg/plan.c): quoting
 *	  of hostile names, cuts to 63 bytes on character boundaries, the
 *	  names and columns chosen, and the DDL text.  The text must be what
 *	  PQescapeIdentifier and PQescapeLiteral gave before; the integration
 *	  tests run it against a server.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  test/unit/test_pgplan.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "neo2pg/pgplan.h"

#include <stdio.h>
#include <string.h>

#include "test_support.h"

static const char *
ident(N2pBuf *b, const char *s, size_t len)
{
	N2pError	err;

	n2p_error_init(&err);
	n2p_buf_reset(b);
	assert_true(n2p_pg_quote_ident(b, s, len, &err));
	return b->data;
}

static const char *
literal(N2pBuf *b, const char *s, size_t len)
{
	N2pError	err;

	n2p_error_init(&err);
	n2p_buf_reset(b);
	assert_true(n2p_pg_quote_literal(b, s, len, &err));
	return b->data;
}

#define IDENT(b, s) ident(b, s, sizeof(s) - 1)
#define LITERAL(b, s) literal(b, s, sizeof(s) - 1)

static void
test_quote_ident(void **state)
{
	N2pBuf		b;

	(void) state;
	n2p_buf_init(&b, &n2p_libc_allocator);
	assert_string_equal(IDENT(&b, "plain"), "\"plain\"");
	assert_string_equal(IDENT(&b, ""), "\"\"");
	assert_string_equal(IDENT(&b, "a\"b"), "\"a\"\"b\"");
	assert_string_equal(IDENT(&b, "\"\""), "\"\"\"\"\"\"");
	/* backslashes and single quotes are nothing special in an identifier */
	assert_string_equal(IDENT(&b, "a\\'b"), "\"a\\'b\"");
	assert_string_equal(IDENT(&b, "x\n; DROP TABLE t; --"), "\"x\n; DROP TABLE t; --\"");
	assert_string_equal(IDENT(&b, "Ünï漢字"), "\"Ünï漢字\"");
	/* counted: only len bytes */
	assert_string_equal(ident(&b, "abc\"def", 4), "\"abc\"\"\"");
	n2p_buf_free(&b);
}

static void
test_quote_literal(void **state)
{
	N2pBuf		b;

	(void) state;
	n2p_buf_init(&b, &n2p_libc_allocator);
	assert_string_equal(LITERAL(&b, "plain"), "'plain'");
	assert_string_equal(LITERAL(&b, ""), "''");
	assert_string_equal(LITERAL(&b, "it's"), "'it''s'");
	assert_string_equal(LITERAL(&b, "''"), "''''''");
	/* double quotes and semicolons stay as they are */
	assert_string_equal(LITERAL(&b, "a\"b; DROP TABLE t; --"), "'a\"b; DROP TABLE t; --'");
	/* a backslash: the E'' form, right whatever standard_conforming_strings */
	assert_string_equal(LITERAL(&b, "a\\b"), " E'a\\\\b'");
	assert_string_equal(LITERAL(&b, "\\'"), " E'\\\\'''");
	assert_string_equal(LITERAL(&b, "'\\"), " E'''\\\\'");
	assert_string_equal(LITERAL(&b, "x\ny\tz"), "'x\ny\tz'");
	assert_string_equal(LITERAL(&b, "É'漢"), "'É''漢'");
	/* appends */
	n2p_buf_reset(&b);
	n2p_buf_printf(&b, "k = ");
	{
		N2pError	err;

		n2p_error_init(&err);
		assert_true(n2p_pg_quote_literal(&b, "q'", 2, &err));
	}
	assert_string_equal(b.data, "k = 'q'''");
	n2p_buf_free(&b);
}

static void
test_quote_nul_refused(void **state)
{
	N2pBuf		b;
	N2pError	err;

	(void) state;
	n2p_buf_init(&b, &n2p_libc_allocator);
	n2p_error_init(&err);
	assert_false(n2p_pg_quote_ident(&b, "a\0b", 3, &err));
	assert_int_equal(err.code, N2P_ERR_SYNTAX);
	assert_non_null(strstr(err.msg, "U+0000"));
	n2p_error_init(&err);
	assert_false(n2p_pg_quote_literal(&b, "a\0'", 3, &err));
	assert_int_equal(err.code, N2P_ERR_SYNTAX);
	n2p_buf_free(&b);
}

static void
test_quote_oom(void **state)
{
	FailingAlloc fa = {0};
	N2pAllocator a = {failing_malloc, failing_realloc, failing_free, &fa};
	int			left;

	(void) state;
	for (left = 0; left < 3; left++)
	{
		N2pBuf		b;
		N2pError	err;
		bool		ok;

		fa.left = left;
		n2p_buf_init(&b, &a);
		n2p_error_init(&err);
		ok = n2p_pg_quote_literal(&b, "a'b\\c", 5, &err);
		if (!ok)
			assert_int_equal(err.code, N2P_ERR_NOMEM);
		else
			assert_string_equal(b.data, " E'a''b\\\\c'");
		n2p_buf_free(&b);
	}
	assert_int_equal(fa.live, 0);
}

static void
test_name_cut(void **state)
{
	char		s[200];

	(void) state;
	/* 62 ASCII bytes then a 2-byte character: it would end at byte 64 */
	memset(s, 'a', 62);
	strcpy(s + 62, "Éz");
	n2p_pg_name_cut(s, 63);
	assert_int_equal(strlen(s), 62);
	/* 3-byte characters: 63 = 21 whole ones */
	s[0] = '\0';
	for (int i = 0; i < 30; i++)
		strcat(s, "漢");
	n2p_pg_name_cut(s, 63);
	assert_int_equal(strlen(s), 63);
	n2p_pg_name_cut(s, 62);
	assert_int_equal(strlen(s), 60);
	/* 4-byte characters */
	s[0] = '\0';
	for (int i = 0; i < 20; i++)
		strcat(s, "😀");
	n2p_pg_name_cut(s, 63);
	assert_int_equal(strlen(s), 60);
	/* short names are left alone */
	strcpy(s, "É");
	n2p_pg_name_cut(s, 63);
	assert_string_equal(s, "É");
}

/* ------------------------------------------------------------ the plan */

typedef struct Fixture
{
	N2pCatalog *cat;
	N2pGraphMeta meta;
	N2pConstraint cons[1];
	N2pPgTarget t;
	N2pNameSet taken;
	N2pPgPlan plan;
} Fixture;

static void
add_node(N2pCatalog *cat, int64_t id, const char *label, N2pStr *keys, N2pValue *vals, size_t n)
{
	N2pStr		l = s_cstr(label);
	N2pRecord	rec = {.kind = N2P_REC_NODE, .id = id, .labels = &l, .nlabels = 1};
	N2pError	err;

	n2p_error_init(&err);
	rec.props = v_map(keys, vals, n);
	assert_true(n2p_catalog_add(cat, &rec, &err));
}

static void
add_rel(N2pCatalog *cat, int64_t id, const char *type, N2pStr *keys, N2pValue *vals, size_t n)
{
	N2pRecord	rec = {.kind = N2P_REC_REL, .id = id, .type = s_cstr(type), .start_id = 1,
	.end_id = 2};
	N2pError	err;

	n2p_error_init(&err);
	rec.props = v_map(keys, vals, n);
	assert_true(n2p_catalog_add(cat, &rec, &err));
}

static const char long_label[] =
	"ÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉ";	/* 40 x 2 bytes */

static void
build(Fixture *f, bool tables)
{
	N2pStr		keys[] = {s_cstr("a'b"), s_cstr("back\\slash"), s_cstr("id"),
	s_cstr("nl\n;x"), s_cstr("q\"q"), s_cstr("uid")};
	N2pValue	vals[] = {v_int(1), v_cstr("s"), v_int(2), v_bool(true), v_float(1.5), v_int(7)};
	N2pStr		rkeys[] = {s_cstr("start_id"), s_cstr("w")};
	N2pValue	rvals[] = {v_int(3), v_date(2020, 1, 2)};
	N2pError	err;

	memset(f, 0, sizeof(*f));
	f->cat = n2p_catalog_new(&n2p_libc_allocator);
	add_node(f->cat, 1, "L'1\\", keys, vals, 6);
	add_node(f->cat, 2, "nodes", keys, vals, 1);
	add_node(f->cat, 3, long_label, keys, vals, 1);
	add_node(f->cat, 4, "T", keys, vals, 1);
	add_rel(f->cat, 5, "T", rkeys, rvals, 2);
	add_rel(f->cat, 6, "R\"; DROP", rkeys, rvals, 1);
	f->cons[0] = (N2pConstraint) {"L'1\\", "uid", NULL};
	f->meta.constraints = f->cons;
	f->meta.nconstraints = 1;
	f->t.qschema = "\"g\"\"s\"";
	f->t.tables = tables;
	f->t.meta = &f->meta;
	snprintf(f->t.point_type, sizeof(f->t.point_type), "%s.neo4j_point", f->t.qschema);
	n2p_name_set_init(&f->taken, &n2p_libc_allocator);
	assert_true(n2p_name_set_add(&f->taken, "T"));	/* a user's table */
	assert_true(n2p_pg_reserve_index_names(&f->taken, &f->meta));
	n2p_error_init(&err);
	assert_true(n2p_pg_plan_build(&f->plan, &n2p_libc_allocator, f->cat, &f->t, &f->taken, &err));
}

static void
teardown(Fixture *f)
{
	n2p_pg_plan_free(&f->plan);
	n2p_name_set_free(&f->taken);
	n2p_catalog_free(f->cat);
}

static const N2pPgScopePlan *
scope(const Fixture *f, N2pRecKind kind, const char *name)
{
	size_t		i;

	for (i = 0; i < f->plan.nscopes; i++)
		if (f->plan.scopes[i].kind == kind && strcmp(f->plan.scopes[i].scope, name) == 0)
			return &f->plan.scopes[i];
	fail_msg("no scope %s", name);
	return NULL;
}

static void
test_plan_names(void **state)
{
	Fixture		f;
	const N2pPgScopePlan *sp;

	(void) state;
	build(&f, true);
	assert_int_equal(f.plan.nscopes, 6);
	sp = scope(&f, N2P_REC_NODE, "L'1\\");
	assert_string_equal(sp->relation, "L'1\\");
	assert_string_equal(sp->pkey, "L'1\\_pkey");
	assert_int_equal(sp->nkeys, 6);
	assert_string_equal(sp->keys[0].column, "a'b");
	assert_string_equal(sp->keys[2].column, "id_prop");
	assert_string_equal(sp->keys[3].column, "nl\n;x");
	assert_string_equal(sp->keys[5].column, "uid");
	assert_string_equal(sp->keys[5].ukey, "L'1\\_uid_key");
	assert_string_equal(scope(&f, N2P_REC_NODE, "nodes")->relation, "nodes_label");
	/* cut to 63 bytes on a character boundary: 31 two-byte characters */
	assert_int_equal(strlen(scope(&f, N2P_REC_NODE, long_label)->relation), 62);
	/* the user's table T: the label gets _label, the type _type (then numbered) */
	assert_string_equal(scope(&f, N2P_REC_NODE, "T")->relation, "T_label");
	assert_string_equal(scope(&f, N2P_REC_REL, "T")->relation, "T_type");
	sp = scope(&f, N2P_REC_REL, "R\"; DROP");
	assert_string_equal(sp->relation, "R\"; DROP");
	assert_string_equal(sp->keys[0].column, "start_id_prop");
	teardown(&f);
}

static void
test_plan_view_sql(void **state)
{
	Fixture		f;
	N2pBuf		b;
	N2pError	err;

	(void) state;
	build(&f, false);
	n2p_buf_init(&b, &n2p_libc_allocator);
	n2p_error_init(&err);
	assert_true(n2p_pg_view_sql(&b, scope(&f, N2P_REC_NODE, "L'1\\"), &f.t, &err));
	assert_string_equal(b.data,
						"CREATE VIEW \"g\"\"s\".\"L'1\\\" AS SELECT id, labels,\n"
						"  ((props->>'a''b'))::bigint AS \"a'b\",\n"
						"  (props->> E'back\\\\slash') AS \"back\\slash\",\n"
						"  ((props->>'id'))::bigint AS \"id_prop\",\n"
						"  ((props->>'nl\n;x'))::boolean AS \"nl\n;x\",\n"
						"  ((props->>'q\"q'))::double precision AS \"q\"\"q\",\n"
						"  ((props->>'uid'))::bigint AS \"uid\"\n"
						"FROM \"g\"\"s\".nodes WHERE labels @> ARRAY[ E'L''1\\\\']::text[]");
	assert_true(n2p_pg_view_sql(&b, scope(&f, N2P_REC_REL, "R\"; DROP"), &f.t, &err));
	assert_string_equal(b.data,
						"CREATE VIEW \"g\"\"s\".\"R\"\"; DROP\" AS SELECT id, start_id, end_id,\n"
						"  ((props->>'start_id'))::bigint AS \"start_id_prop\"\n"
						"FROM \"g\"\"s\".relationships WHERE type = 'R\"; DROP'");
	n2p_buf_free(&b);
	teardown(&f);
}

static void
test_plan_table_sql(void **state)
{
	Fixture		f;
	N2pBuf		b;
	N2pError	err;
	const N2pPgScopePlan *sp;

	(void) state;
	build(&f, true);
	sp = scope(&f, N2P_REC_NODE, "L'1\\");
	n2p_buf_init(&b, &n2p_libc_allocator);
	n2p_error_init(&err);
	assert_true(n2p_pg_table_sql(&b, sp, &f.t, &err));
	assert_string_equal(b.data,
						"CREATE TABLE \"g\"\"s\".\"L'1\\\" (id bigint NOT NULL, labels text[] NOT NULL, "
						"\"a'b\" bigint, \"back\\slash\" text, \"id_prop\" bigint, \"nl\n;x\" boolean, "
						"\"q\"\"q\" double precision, \"uid\" bigint, props jsonb)");
	assert_true(n2p_pg_table_keys_sql(&b, sp, &f.t, &err));
	assert_string_equal(b.data,
						"ALTER TABLE \"g\"\"s\".\"L'1\\\" ADD CONSTRAINT \"L'1\\_pkey\" PRIMARY KEY (id), "
						"ADD CONSTRAINT \"L'1\\_uid_key\" UNIQUE (\"uid\")");
	assert_true(n2p_pg_table_copy_sql(&b, sp, &f.t, &err));
	assert_string_equal(b.data, "COPY \"g\"\"s\".\"L'1\\\" FROM STDIN (FORMAT binary, FREEZE)");
	sp = scope(&f, N2P_REC_REL, "R\"; DROP");
	assert_true(n2p_pg_table_fkeys_sql(&b, sp, &f.t, &err));
	assert_string_equal(b.data,
						"ALTER TABLE \"g\"\"s\".\"R\"\"; DROP\" ADD FOREIGN KEY (start_id) REFERENCES "
						"\"g\"\"s\".nodes, ADD FOREIGN KEY (end_id) REFERENCES \"g\"\"s\".nodes");
	assert_true(n2p_pg_table_prune_sql(&b, sp, &f.t, &err));
	assert_string_equal(b.data,
						"DELETE FROM \"g\"\"s\".\"R\"\"; DROP\" t WHERE NOT EXISTS "
						"(SELECT 1 FROM \"g\"\"s\".relationships r WHERE r.id = t.id)");
	n2p_buf_free(&b);
	teardown(&f);
}

static void
test_plan_catalog_rows(void **state)
{
	Fixture		f;
	size_t		i,
				cursor = 0,
				with_column = 0;

	(void) state;
	build(&f, false);
	for (i = 0; i < f.plan.nentries; i++)
	{
		N2pPgCatalogRow row;

		n2p_pg_plan_catalog_row(&f.plan, &f.t, i, &cursor, &row);
		assert_non_null(row.relation);
		assert_null(row.note);
		if (row.key && strcmp(row.scope, "L'1\\") == 0 && strcmp(row.key, "q\"q") == 0)
		{
			assert_string_equal(row.kind, "label");
			assert_string_equal(row.column, "q\"q");
			assert_string_equal(row.pg_type, "double precision");
			assert_string_equal(row.neo4j_type, "float");
		}
		with_column += row.column != NULL;
	}
	/* 6 + 1 + 1 + 1 node keys, 2 + 1 relationship keys */
	assert_int_equal(with_column, 12);
	teardown(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quote_ident),
		cmocka_unit_test(test_quote_literal),
		cmocka_unit_test(test_quote_nul_refused),
		cmocka_unit_test(test_quote_oom),
		cmocka_unit_test(test_name_cut),
		cmocka_unit_test(test_plan_names),
		cmocka_unit_test(test_plan_view_sql),
		cmocka_unit_test(test_plan_table_sql),
		cmocka_unit_test(test_plan_catalog_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
