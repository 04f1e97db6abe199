/*-------------------------------------------------------------------------
 *
 * pg_typed.c
 *	  Typed views over the base layout: one per label and one per
 *	  relationship type, one column of a native type per property key, and
 *	  the catalog table that records every choice.
 *
 * The plan (names, column types, the fit) and the DDL text are pure logic
 * in src/pg/plan.c, with neo2pg's own quoting; this file asks the target
 * what names it already uses and runs the statements.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/cli/pg_typed.c
 *
 *-------------------------------------------------------------------------
 */
#include "pg_typed.h"
#include "pg_typed_plan.h"
#include "pg_util.h"

#include <stdlib.h>
#include <string.h>

/* Names the schema already uses: relations, indexes and types share them. */
bool
typed_taken_names(PGconn *conn, const TypedTarget *t, N2pNameSet *out, N2pError *err)
{
	const char *params[1] = {t->schema};
	PGresult   *res = PQexecParams(conn,
								   "SELECT c.relname FROM pg_class c JOIN pg_namespace n "
								   "ON n.oid = c.relnamespace WHERE n.nspname = $1 UNION "
								   "SELECT y.typname FROM pg_type y JOIN pg_namespace n "
								   "ON n.oid = y.typnamespace WHERE n.nspname = $1",
								   1, NULL, params, NULL, NULL, 0);
	bool		ok = PQresultStatus(res) == PGRES_TUPLES_OK;
	int			i;

	n2p_name_set_init(out, &n2p_libc_allocator);
	if (!ok)
		n2p_error_set(err, N2P_ERR_IO, "PostgreSQL: %s", PQresultErrorMessage(res));
	for (i = 0; ok && i < PQntuples(res); i++)
		if (!n2p_name_set_add(out, PQgetvalue(res, i, 0)))
			exit_out_of_memory();
	PQclear(res);
	if (ok && !n2p_pg_reserve_index_names(out, t->pg.meta))
		exit_out_of_memory();
	return ok;
}

/* Once the relations are named: say which lost columns to the limits. */
static void
report_omitted(const N2pPgPlan *p, const TypedTarget *t)
{
	size_t		i;
	bool		tables = t->pg.tables;

	for (i = 0; i < p->nscopes; i++)
	{
		const N2pPgScopePlan *sp = &p->scopes[i];

		if (sp->nomitted == 0)
			continue;
		log_info("typed %s \"%s\": %zu of its %zu keys have a column (PostgreSQL allows %s); "
				 "the other %zu stay in props, and the catalog names them",
				 tables ? "table" : "view", sp->relation, sp->nkeys, sp->nkeys + sp->nomitted,
				 tables ? "1600 columns and 8160 bytes per row" : "1600 columns per view",
				 sp->nomitted);
	}
}

bool
typed_plan_build(N2pPgPlan *p, N2pCatalog *cat, const TypedTarget *t, const N2pNameSet *taken,
				 N2pError *err)
{
	if (!n2p_pg_plan_build(p, &n2p_libc_allocator, cat, &t->pg, taken, err))
	{
		n2p_pg_plan_free(p);
		return false;
	}
	report_omitted(p, t);
	return true;
}

bool
typed_create_helpers(PGconn *conn, const TypedTarget *t, N2pBuf *b, N2pError *err)
{
	size_t		i;

	for (i = 0; i < N2P_PG_TRY_FUNCTIONS; i++)
		if (!n2p_pg_try_function_sql(b, i, &t->pg, err) || !pg_exec_one(conn, b->data, err))
			return false;
	/* typed tables create it where they are built */
	if (t->pg.postgis_schema || t->pg.tables)
		return true;
	return n2p_pg_point_type_sql(b, &t->pg, err) && pg_exec_one(conn, b->data, err);
}

static bool
insert_catalog_row(PGconn *conn, const TypedTarget *t, const N2pPgCatalogRow *row, N2pError *err)
{
	char		count[32],
				bad[32],
				sql[512];
	const char *params[10];
	PGresult   *res;
	bool		ok;

	snprintf(count, sizeof(count), "%llu", (unsigned long long) row->values);
	snprintf(bad, sizeof(bad), "%llu", (unsigned long long) row->not_castable);
	params[0] = row->kind;
	params[1] = row->scope;
	/* text parameters end at a NUL: the sink replaced or refused every key's */
	params[2] = row->key;
	params[3] = row->neo4j_type;
	params[4] = row->pg_type;
	params[5] = count;
	params[6] = bad;
	params[7] = row->relation;
	params[8] = row->column;
	params[9] = row->note;
	snprintf(sql, sizeof(sql), "INSERT INTO %s.catalog VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
			 t->pg.qschema);
	res = PQexecParams(conn, sql, 10, NULL, params, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		n2p_error_set(err, N2P_ERR_IO, "PostgreSQL: %s", PQresultErrorMessage(res));
	PQclear(res);
	return ok;
}

/* Every catalog entry, with the relation and column it ended in. */
bool
typed_write_catalog(PGconn *conn, const TypedTarget *t, const N2pPgPlan *p, N2pError *err)
{
	N2pBuf		b;
	size_t		i,
				cursor = 0;
	bool		ok;

	n2p_buf_init(&b, &n2p_libc_allocator);
	ok = n2p_pg_catalog_table_sql(&b, &t->pg, err) && pg_exec_one(conn, b.data, err);
	n2p_buf_free(&b);
	for (i = 0; ok && i < p->nentries; i++)
	{
		N2pPgCatalogRow row;

		n2p_pg_plan_catalog_row(p, &t->pg, i, &cursor, &row);
		ok = insert_catalog_row(conn, t, &row, err);
	}
	return ok;
}

bool
pg_typed_create(PGconn *conn, const TypedTarget *t, N2pCatalog *cat, N2pError *err)
{
	N2pPgPlan	plan;
	N2pNameSet	taken;
	N2pBuf		b;
	size_t		i;
	bool		ok;

	if (!typed_taken_names(conn, t, &taken, err))
		return false;
	ok = typed_plan_build(&plan, cat, t, &taken, err);
	n2p_name_set_free(&taken);
	if (!ok)
		return false;
	n2p_buf_init(&b, &n2p_libc_allocator);
	ok = typed_create_helpers(conn, t, &b, err) && typed_write_catalog(conn, t, &plan, err);
	for (i = 0; ok && i < plan.nscopes; i++)
		ok = n2p_pg_view_sql(&b, &plan.scopes[i], &t->pg, err) && pg_exec_one(conn, b.data, err);
	n2p_pg_plan_free(&plan);
	n2p_buf_free(&b);
	return ok;
}
