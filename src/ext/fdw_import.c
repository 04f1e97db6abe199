/*-------------------------------------------------------------------------
 *
 * fdw_import.c
 *	  IMPORT FOREIGN SCHEMA neo4j FROM SERVER s INTO local: the load's
 *	  layout as foreign tables.
 *
 * nodes and relationships get the load's columns and types exactly.  The
 * typed tables are the typed views' plan (src/pg/plan.c): the same
 * catalog of every key's types, hence one pass over the whole backup, the
 * same names and collision rules (against what the local schema already
 * holds and what a load's schema would hold), the same column types,
 * PostGIS geometry when PostGIS is installed, else the extension's
 * neo2pg_point composite.  A column's property key is its option key,
 * since a column name may be cut or made unique.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/ext/fdw_import.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/indexing.h"
#include "catalog/pg_class.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "foreign/foreign.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"
#include "access/genam.h"
#include "access/table.h"
#include "utils/fmgroids.h"

#include "backend.h"
#include "fdw.h"
#include "neo2pg/backup.h"
#include "neo2pg/catalog.h"
#include "neo2pg/pgcopy.h"
#include "neo2pg/pgplan.h"

/* The catalog of every key's types: one pass over the whole backup. */
static N2pCatalog *
read_catalog(N2pSource *src, const N2pAllocator *alloc, const char *path)
{
	N2pCatalog *cat = n2p_catalog_new(alloc);
	N2pPgEncodeOpts enc = {0};
	N2pPgKeyFix kf;
	N2pError	err;
	N2pRecord	rec;
	const N2pRecord *stored;
	int			rc;

	if (cat == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	enc.element_ids = src->meta.element_ids;
	n2p_pg_keyfix_init(&kf, alloc);
	n2p_error_init(&err);
	while ((rc = src->ops->next(src, &rec, &err)) == 1)
	{
		CHECK_FOR_INTERRUPTS();
		/* the keys as they are stored, as the load counts them */
		if (!n2p_pg_storable_keys(&kf, &rec, &enc, &stored, &err) ||
			!n2p_catalog_add(cat, stored, &err))
		{
			err.row_id = rec.id;
			err.row_kind = rec.kind == N2P_REC_NODE ? "node" : "relationship";
			if (rec.origin && !err.file[0])
				snprintf(err.file, sizeof(err.file), "%s", rec.origin);
			rc = -1;
			break;
		}
	}
	if (rc < 0)
	{
		if (err.file[0] && err.file[0] != '/')
		{
			char		rel[N2P_ERR_FILE_MAX];

			snprintf(rel, sizeof(rel), "%s", err.file);
			snprintf(err.file, sizeof(err.file), "%s/%s", path, rel);
		}
		n2p_ext_report(&err, NULL);
	}
	n2p_pg_keyfix_free(&kf);
	return cat;
}

static void
add_name(N2pNameSet *set, const char *name)
{
	if (!n2p_name_set_add(set, name))
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
}

/*
 * What a load's schema holds when its typed views are planned (the
 * tables' row and array types, their keys and indexes), and what the
 * local schema already holds, relations and types alike.
 */
static void
taken_names(N2pNameSet *set, Oid nsp, const N2pGraphMeta *meta)
{
	static const char *const load[] = {"_nodes", "_relationships", "_load_info", NULL};
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tup;
	int			i;

	for (i = 0; load[i]; i++)
		add_name(set, load[i]);
	if (!n2p_pg_reserve_index_names(set, meta))
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	rel = table_open(RelationRelationId, AccessShareLock);
	scan = systable_beginscan(rel, InvalidOid, false, NULL, 0, NULL);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
		if (((Form_pg_class) GETSTRUCT(tup))->relnamespace == nsp)
			add_name(set, NameStr(((Form_pg_class) GETSTRUCT(tup))->relname));
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	rel = table_open(TypeRelationId, AccessShareLock);
	scan = systable_beginscan(rel, InvalidOid, false, NULL, 0, NULL);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
		if (((Form_pg_type) GETSTRUCT(tup))->typnamespace == nsp)
			add_name(set, NameStr(((Form_pg_type) GETSTRUCT(tup))->typname));
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
}

static void
must(bool ok, N2pError *err)
{
	if (!ok)
		n2p_ext_report(err, NULL);
}

/* The quoted literal of s, for OPTIONS. */
static const char *
literal(N2pBuf *b, const char *s, size_t len, N2pError *err)
{
	n2p_buf_reset(b);
	must(n2p_pg_quote_literal(b, s, len, err), err);
	return b->data;
}

/* The scope's rows as IMPORT counted them: the planner's estimate. */
static uint64_t
scope_rows(N2pCatalog *cat, const N2pPgScopePlan *sp)
{
	size_t		n,
				i;
	const N2pCatalogEntry *e = n2p_catalog_entries(cat, &n);

	for (i = 0; i < n; i++)
		if (e[i].key == NULL && e[i].kind == sp->kind &&
			n2p_counted_cmp(e[i].scope, e[i].scope_len, sp->scope, sp->scope_len) == 0)
			return e[i].count;
	return 0;
}

static char *
typed_table_sql(const N2pPgScopePlan *sp, uint64_t rows, const char *qschema,
				const char *qserver, const N2pAllocator *alloc)
{
	StringInfoData s;
	N2pBuf		lit;
	N2pError	err;
	size_t		i;

	n2p_error_init(&err);
	n2p_buf_init(&lit, alloc);
	initStringInfo(&s);
	appendStringInfo(&s, "CREATE FOREIGN TABLE %s.%s (id bigint NOT NULL, %s", qschema,
					 quote_identifier(sp->relation),
					 sp->kind == N2P_REC_NODE ? "labels text[] NOT NULL" :
					 "start_id bigint NOT NULL, end_id bigint NOT NULL");
	for (i = 0; i < sp->nkeys; i++)
	{
		const N2pPgKeyPlan *kp = &sp->keys[i];

		appendStringInfo(&s, ", %s %s OPTIONS (key %s)", quote_identifier(kp->column),
						 kp->pg_type_sql, literal(&lit, kp->key, kp->key_len, &err));
	}
	appendStringInfo(&s, ") SERVER %s OPTIONS (%s %s, rows '%llu')", qserver,
					 sp->kind == N2P_REC_NODE ? "label" : "type",
					 literal(&lit, sp->scope, sp->scope_len, &err), (unsigned long long) rows);
	n2p_buf_free(&lit);
	return s.data;
}

/* PostgreSQL 15 keeps its get_extension_schema to itself. */
static Oid
extension_schema(Oid ext)
{
	Relation	rel = table_open(ExtensionRelationId, AccessShareLock);
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;
	Oid			nsp = InvalidOid;

	ScanKeyInit(&key, Anum_pg_extension_oid, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(ext));
	scan = systable_beginscan(rel, ExtensionOidIndexId, true, NULL, 1, &key);
	if (HeapTupleIsValid(tup = systable_getnext(scan)))
		nsp = ((Form_pg_extension) GETSTRUCT(tup))->extnamespace;
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return nsp;
}

/* The schema PostGIS is installed in, quoted, or NULL. */
static const char *
postgis_schema(void)
{
	Oid			ext = get_extension_oid("postgis", true);

	if (!OidIsValid(ext))
		return NULL;
	return quote_identifier(get_namespace_name(extension_schema(ext)));
}

static List *
typed_tables(ImportForeignSchemaStmt *stmt, N2pSource *src, const N2pAllocator *alloc,
			 const char *path, const char *qschema, const char *qserver)
{
	N2pCatalog *cat = read_catalog(src, alloc, path);
	N2pPgTarget t = {0};
	N2pNameSet	taken;
	N2pPgPlan	plan;
	N2pError	err;
	Oid			self = get_extension_oid("neo2pg", false);
	List	   *out = NIL;
	size_t		i;

	n2p_error_init(&err);
	t.qschema = qschema;
	t.postgis_schema = postgis_schema();
	t.meta = &src->meta;
	snprintf(t.point_type, sizeof(t.point_type), "%s.neo2pg_point",
			 quote_identifier(get_namespace_name(extension_schema(self))));
	n2p_name_set_init(&taken, alloc);
	taken_names(&taken, get_namespace_oid(stmt->local_schema, false), &src->meta);
	if (!n2p_pg_plan_build(&plan, alloc, cat, &t, &taken, &err))
		n2p_ext_report(&err, NULL);
	for (i = 0; i < plan.nscopes; i++)
		out = lappend(out, typed_table_sql(&plan.scopes[i], scope_rows(cat, &plan.scopes[i]),
										   qschema, qserver, alloc));
	return out;
}

/* Whether LIMIT TO or EXCEPT leaves any typed table to make. */
static bool
wants_typed(ImportForeignSchemaStmt *stmt)
{
	ListCell   *lc;

	if (stmt->list_type != FDW_IMPORT_SCHEMA_LIMIT_TO)
		return true;
	foreach(lc, stmt->table_list)
	{
		const char *name = ((RangeVar *) lfirst(lc))->relname;

		if (strcmp(name, "nodes") != 0 && strcmp(name, "relationships") != 0)
			return true;
	}
	return false;
}

List *
n2p_fdw_import(ImportForeignSchemaStmt *stmt, Oid serverOid)
{
	ForeignServer *server = GetForeignServer(serverOid);
	const char *path = n2p_fdw_server_path(serverOid);
	const char *qschema = quote_identifier(stmt->local_schema);
	const char *qserver = quote_identifier(server->servername);
	N2pAllocator alloc;
	N2pSource  *src;
	const char *extra;
	List	   *out = NIL;

	if (strcmp(stmt->remote_schema, "neo4j") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_SCHEMA_NOT_FOUND),
				 errmsg("a neo2pg server has one schema, neo4j, not \"%s\"", stmt->remote_schema)));
	src = n2p_fdw_open(path, &alloc);
	/* the load adds element_id when the backup carries Neo4j's element ids */
	extra = src->meta.element_ids ? ", element_id text NOT NULL" : "";
	out = lappend(out, psprintf("CREATE FOREIGN TABLE %s.nodes (id bigint NOT NULL, "
								"labels text[] NOT NULL, props jsonb NOT NULL, prop_types jsonb%s) "
								"SERVER %s OPTIONS (kind 'nodes')", qschema, extra, qserver));
	out = lappend(out, psprintf("CREATE FOREIGN TABLE %s.relationships (id bigint NOT NULL, "
								"type text NOT NULL, start_id bigint NOT NULL, "
								"end_id bigint NOT NULL, props jsonb NOT NULL, prop_types jsonb%s) "
								"SERVER %s OPTIONS (kind 'relationships')", qschema, extra,
								qserver));
	if (wants_typed(stmt))
		out = list_concat(out, typed_tables(stmt, src, &alloc, path, qschema, qserver));
	src->ops->close(src);
	return out;
}
