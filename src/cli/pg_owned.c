/*-------------------------------------------------------------------------
 *
 * pg_owned.c
 *	  What a load created in the target schema, and nothing else, is what
 *	  --replace drops.
 *
 * A load records every relation, index, type and function it created in
 * load_info (key "objects", a list of {kind, name[, args]}) and comments
 * each of them "neo2pg load <load_id>", the load's random id, which load_info
 * also records.  A later load trusts an object only when both hold: it is
 * listed by the load_info of that load, and it still carries that load's
 * comment.  Those it drops, by kind (views, tables, functions, types), each
 * statement without CASCADE: PostgreSQL then refuses to take anything that
 * depends on them, and that refusal, which names the dependent objects,
 * becomes the error.  A name the load needs that is held by anything else is
 * not neo2pg's, and the load stops before touching it.
 *
 * Indexes, constraints, row types and the point type's array type go with
 * the object they belong to; they are recorded and marked all the same.
 *
 * Names are never pasted: the schema travels as a parameter, or quoted by
 * PQescapeIdentifier; every DROP and COMMENT is built by the server from
 * catalog OIDs (regclass, regtype, regprocedure) and run as it stands.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/cli/pg_owned.c
 *
 *-------------------------------------------------------------------------
 */
#include "pg_owned.h"
#include "cli.h"
#include "pg_util.h"

#include <stdlib.h>
#include <string.h>

#define MARK_PREFIX "neo2pg load "

/*
 * The names a load needs, by mode: relations and types share a namespace
 * (a table has a row type, a composite type a pg_class row).  Whatever
 * creates a new fixed name in the target schema belongs here.
 */
#define BASE_NAMES "{nodes,relationships,load_info}"
#define TYPED_NAMES "{nodes,relationships,load_info,catalog,neo4j_point}"
#define TYPED_FUNCTIONS "{n2p_try_date,n2p_try_time,n2p_try_timetz,n2p_try_timestamp," \
	"n2p_try_timestamptz,n2p_try_interval}"

/*
 * The objects a list of {kind, name, args} ($2) names in schema $1, with
 * the SQL that identifies each (built by the server from its OID) and its
 * comment.  droppable: what goes by itself (indexes go with their tables,
 * an array type with its element type).
 */
#define RESOLVE_SQL \
	"SELECT o.kind, x.ident, obj_description(x.oid, x.cat) AS comment, x.droppable " \
	"FROM pg_namespace n " \
	"CROSS JOIN LATERAL (SELECT e->>'kind' AS kind, e->>'name' AS name, e->>'args' AS args " \
	"  FROM jsonb_array_elements(CASE jsonb_typeof($2::jsonb) WHEN 'array' THEN $2::jsonb " \
	"  ELSE '[]' END) e WHERE jsonb_typeof(e) = 'object') o " \
	"CROSS JOIN LATERAL (" \
	"  SELECT c.oid, c.oid::regclass::text AS ident, 'pg_class' AS cat, " \
	"    o.kind <> 'index' AS droppable FROM pg_class c " \
	"  WHERE c.relnamespace = n.oid AND c.relname = o.name AND c.relkind = " \
	"    CASE o.kind WHEN 'table' THEN 'r' WHEN 'view' THEN 'v' WHEN 'index' THEN 'i' END " \
	"  UNION ALL SELECT t.oid, t.oid::regtype::text, 'pg_type', t.typelem = 0 FROM pg_type t " \
	"  WHERE o.kind = 'type' AND t.typnamespace = n.oid AND t.typname = o.name " \
	"  UNION ALL SELECT p.oid, p.oid::regprocedure::text, 'pg_proc', true FROM pg_proc p " \
	"  WHERE o.kind = 'function' AND p.pronamespace = n.oid AND p.proname = o.name " \
	"    AND pg_get_function_identity_arguments(p.oid) = coalesce(o.args, '')) x " \
	"WHERE n.nspname = $1"

/* An earlier load's graph: its marker and its list of objects. */
typedef struct Previous
{
	char	   *marker;
	char	   *objects;
} Previous;

static PGresult *
query(PGconn *conn, const char *sql, int nparams, const char *const *params, N2pError *err)
{
	PGresult   *res;

	log_verbose("sql: %s", sql);
	pg_note_sql(sql);
	res = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		return res;
	pg_error(conn, err, "PostgreSQL", res);
	PQclear(res);
	return NULL;
}

/* fmt names <schema>.load_info with %s, once or twice: the quoted schema. */
static PGresult *
query_load_info(PGconn *conn, const char *fmt, const char *qschema, N2pError *err)
{
	N2pBuf		b;
	PGresult   *res = NULL;

	n2p_buf_init(&b, &n2p_libc_allocator);
	if (n2p_buf_printf(&b, fmt, qschema, qschema))
		res = query(conn, b.data, 0, NULL, err);
	else
		n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	n2p_buf_free(&b);
	return res;
}

/*
 * The comment on the schema's table load_info, or NULL: *found says
 * whether there is such a table at all.
 */
static bool
load_info_comment(PGconn *conn, const char *schema, char **comment, bool *found, N2pError *err)
{
	const char *params[1] = {schema};
	PGresult   *res = query(conn, "SELECT obj_description(c.oid, 'pg_class') FROM pg_class c "
							"JOIN pg_namespace n ON n.oid = c.relnamespace "
							"WHERE n.nspname = $1 AND c.relname = 'load_info' AND c.relkind = 'r'",
							1, params, err);

	*comment = NULL;
	*found = false;
	if (res == NULL)
		return false;
	*found = PQntuples(res) == 1;
	if (*found && !PQgetisnull(res, 0, 0))
		*comment = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return true;
}

/*
 * The graph a load of this neo2pg left in the schema: a table load_info
 * whose comment is the marker of the load id it records.  Its rows are
 * read through to_jsonb, which works whatever its columns: a table only
 * looks like ours until this says so.
 */
static bool
find_previous(PGconn *conn, const char *schema, const char *qschema, Previous *prev,
			  bool *unmarked_load_info, N2pError *err)
{
	char	   *comment;
	bool		found;
	PGresult   *res;

	memset(prev, 0, sizeof(*prev));
	if (!load_info_comment(conn, schema, &comment, &found, err))
		return false;
	*unmarked_load_info = found;
	if (comment == NULL || strncmp(comment, MARK_PREFIX, strlen(MARK_PREFIX)) != 0)
		return (free(comment), true);
	res = query_load_info(conn,
						  "SELECT (SELECT to_jsonb(l)->'value' #>> '{}' FROM %s.load_info l "
						  "WHERE to_jsonb(l)->>'key' = 'load_id' LIMIT 1), "
						  "(SELECT (to_jsonb(l)->'value')::text FROM %s.load_info l "
						  "WHERE to_jsonb(l)->>'key' = 'objects' LIMIT 1)", qschema, err);
	if (res == NULL)
		return (free(comment), false);
	if (!PQgetisnull(res, 0, 0) && !PQgetisnull(res, 0, 1) &&
		strcmp(comment + strlen(MARK_PREFIX), PQgetvalue(res, 0, 0)) == 0)
	{
		prev->marker = comment;
		prev->objects = xstrdup(PQgetvalue(res, 0, 1));
		*unmarked_load_info = false;
	}
	else
		free(comment);
	PQclear(res);
	return true;
}

/*
 * DROP ... without CASCADE refuses when an object of the user's depends on
 * one of ours; the server's detail names each ("view g.v depends on table
 * g.nodes").  Those are the user's to decide about.
 */
static bool
drop_refused(const char *schema, const PGresult *res, N2pError *err)
{
	const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	char		list[400];
	size_t		n = 0;

	/* one line per dependent object: one message line, "; " between them */
	for (; detail && *detail && n + 3 < sizeof(list); detail++)
	{
		if (*detail == '\n')
			list[n++] = ';';
		list[n++] = *detail == '\n' ? ' ' : *detail;
	}
	list[n] = '\0';
	return n2p_error_set(err, N2P_ERR_DATA,
						 "cannot replace the graph in schema \"%s\": objects that neo2pg did not "
						 "create depend on it, and neo2pg will not drop them (drop or change them "
						 "yourself, or load into another schema with --schema): %s",
						 schema, list);
}

/* Views, tables, functions, types: each kind after what depends on it. */
static bool
drop_previous(PGconn *conn, const char *schema, const Previous *prev, N2pError *err)
{
	const char *params[3] = {schema, prev->objects, prev->marker};
	PGresult   *res = query(conn, "SELECT format('DROP %s %s', upper(kind), "
							"string_agg(DISTINCT ident, ', ' ORDER BY ident)) FROM (" RESOLVE_SQL ") r "
							"WHERE comment = $3 AND droppable GROUP BY kind "
							"ORDER BY array_position(ARRAY['view', 'table', 'function', 'type'], kind)",
							3, params, err);
	bool		ok = res != NULL;
	int			i;

	for (i = 0; ok && i < PQntuples(res); i++)
	{
		PGresult   *r2;

		log_verbose("sql: %s", PQgetvalue(res, i, 0));
		pg_note_sql(PQgetvalue(res, i, 0));
		r2 = PQexecParams(conn, PQgetvalue(res, i, 0), 0, NULL, NULL, NULL, NULL, 0);
		if (PQresultStatus(r2) != PGRES_COMMAND_OK)
		{
			const char *state = PQresultErrorField(r2, PG_DIAG_SQLSTATE);

			ok = state && strcmp(state, "2BP01") == 0 ? drop_refused(schema, r2, err) :
				pg_error(conn, err, "PostgreSQL", r2);
		}
		PQclear(r2);
	}
	PQclear(res);
	return ok;
}

/*
 * A table load_info with a neo2pg_version row and no marker: most likely a
 * graph from a neo2pg that did not mark its objects yet.
 */
static bool
looks_unmarked_graph(PGconn *conn, const char *qschema)
{
	N2pError	ignore;
	PGresult   *res;
	bool		yes;

	n2p_error_init(&ignore);
	res = query_load_info(conn, "SELECT EXISTS (SELECT FROM %s.load_info l "
						  "WHERE to_jsonb(l)->>'key' = 'neo2pg_version')", qschema, &ignore);
	yes = res && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	return yes;
}

/*
 * Whatever still holds a name the load needs is not neo2pg's.  The first
 * few are named, relations first: a message has room for a few.
 */
static bool
check_names(PGconn *conn, const char *schema, const char *qschema, bool typed,
			bool unmarked_load_info, N2pError *err)
{
	const char *params[3] = {schema, typed ? TYPED_NAMES : BASE_NAMES, typed ? TYPED_FUNCTIONS : "{}"};
	PGresult   *res = query(conn, "SELECT count(*), string_agg(what, ', ' ORDER BY ord, what) "
							"FILTER (WHERE n <= 3) FROM (SELECT *, row_number() OVER (ORDER BY ord, what) n "
							"FROM (SELECT 1 AS ord, CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' "
							"WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' "
							"WHEN 'i' THEN 'index' WHEN 'I' THEN 'index' WHEN 'S' THEN 'sequence' "
							"WHEN 'f' THEN 'foreign table' WHEN 'c' THEN 'type' ELSE 'relation' END "
							"|| ' ' || format('%I.%I', n.nspname, c.relname) AS what "
							"FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
							"WHERE n.nspname = $1 AND c.relname = ANY ($2::text[]) "
							"UNION SELECT 2, 'type ' || format('%I.%I', n.nspname, t.typname) "
							"FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
							"WHERE n.nspname = $1 AND t.typname = ANY ($2::text[]) AND t.typrelid = 0 "
							"UNION SELECT 3, 'function ' || p.oid::regprocedure::text "
							"FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
							"WHERE n.nspname = $1 AND p.proname = ANY ($3::text[])) taken) numbered",
							3, params, err);
	long		n = res ? atol(PQgetvalue(res, 0, 0)) : -1;

	if (n > 0)
		n2p_error_set(err, N2P_ERR_DATA,
					  "schema \"%s\" holds objects that neo2pg did not create, under names a load "
					  "needs: %s%s%s; neo2pg never drops or replaces what it did not create: "
					  "load into another schema with --schema, or rename or drop them yourself",
					  schema, PQgetvalue(res, 0, 1), n > 3 ? " and others" : "",
					  unmarked_load_info && looks_unmarked_graph(conn, qschema) ?
					  " (a graph loaded by an earlier version of neo2pg, which did not mark what "
					  "it created: drop it yourself to load here)" : "");
	PQclear(res);
	return n == 0;
}

bool
pg_owned_prepare(PGconn *conn, const char *schema, const char *qschema, bool typed,
				 bool replace, N2pError *err)
{
	Previous	prev;
	bool		unmarked,
				ok;

	if (!find_previous(conn, schema, qschema, &prev, &unmarked, err))
		return false;
	if (prev.marker && !replace)
		ok = n2p_error_set(err, N2P_ERR_USAGE,
						   "schema \"%s\" holds a graph that neo2pg loaded; use --replace to replace "
						   "it (that drops only what that load created), or --schema to load into "
						   "another schema", schema);
	else
		ok = (prev.marker == NULL || drop_previous(conn, schema, &prev, err)) &&
			check_names(conn, schema, qschema, typed, unmarked, err);
	free(prev.marker);
	free(prev.objects);
	return ok;
}

/* ------------------------------------------------------------- record */

/*
 * This load's objects: its base tables, its typed relations (the catalog
 * lists them), their indexes, the point type and its array type, the cast
 * functions.  The names were checked free before the load began (or the
 * typed relations' names chosen free), so whatever has them now is ours.
 */
#define OBJECTS_SQL \
	"INSERT INTO %s.load_info SELECT 'objects', coalesce(jsonb_agg(jsonb_strip_nulls(" \
	"jsonb_build_object('kind', kind, 'name', name, 'args', args)) ORDER BY ord, name COLLATE \"C\"), " \
	"'[]') FROM (" \
	"WITH n AS (SELECT oid FROM pg_namespace WHERE nspname = $1), " \
	"rel AS (SELECT c.oid, c.relname, c.relkind FROM pg_class c JOIN n ON c.relnamespace = n.oid " \
	"  WHERE c.relkind IN ('r', 'v') AND (c.relname = ANY ($2::text[]) OR c.relname IN (%s))), " \
	"typ AS (SELECT t.typname, t.typarray FROM pg_type t JOIN n ON t.typnamespace = n.oid " \
	"  JOIN pg_class c ON c.oid = t.typrelid WHERE c.relkind = 'c' AND t.typname = ANY ($2::text[])) " \
	"SELECT 1 AS ord, CASE r.relkind WHEN 'v' THEN 'view' ELSE 'table' END AS kind, " \
	"  r.relname::text AS name, NULL::text AS args FROM rel r " \
	"UNION ALL SELECT 2, 'index', i.relname, NULL FROM pg_index x " \
	"  JOIN pg_class i ON i.oid = x.indexrelid JOIN rel r ON r.oid = x.indrelid " \
	"UNION ALL SELECT 3, 'type', typname, NULL FROM typ " \
	"UNION ALL SELECT 3, 'type', a.typname, NULL FROM typ JOIN pg_type a ON a.oid = typ.typarray " \
	"UNION ALL SELECT 4, 'function', p.proname, pg_get_function_identity_arguments(p.oid) " \
	"  FROM pg_proc p JOIN n ON p.pronamespace = n.oid WHERE p.proname = ANY ($3::text[])) o " \
	"RETURNING value::text"

static char *
record_objects(PGconn *conn, const char *schema, const char *qschema, bool typed, N2pError *err)
{
	const char *params[3] = {schema, typed ? TYPED_NAMES : BASE_NAMES, typed ? TYPED_FUNCTIONS : "{}"};
	char	   *typed_rels = NULL;
	N2pBuf		b;
	PGresult   *res = NULL;
	char	   *objects = NULL;

	n2p_buf_init(&b, &n2p_libc_allocator);
	if (typed)
	{
		typed_rels = xcalloc(1, strlen(qschema) + 64);
		sprintf(typed_rels, "SELECT relation FROM %s.catalog", qschema);
	}
	if (n2p_buf_printf(&b, OBJECTS_SQL, qschema, typed ? typed_rels : "SELECT NULL WHERE false"))
		res = query(conn, b.data, 3, params, err);
	else
		n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	if (res && PQntuples(res) == 1)
		objects = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	n2p_buf_free(&b);
	free(typed_rels);
	return objects;
}

/* A new random id for this load, recorded in load_info; its marker. */
static char *
record_load_id(PGconn *conn, const char *qschema, N2pError *err)
{
	PGresult   *res = query_load_info(conn, "INSERT INTO %s.load_info VALUES ('load_id', "
									  "to_jsonb(gen_random_uuid()::text)) RETURNING value #>> '{}'",
									  qschema, err);
	char	   *marker = NULL;

	if (res && PQntuples(res) == 1)
	{
		marker = xcalloc(1, strlen(MARK_PREFIX) + strlen(PQgetvalue(res, 0, 0)) + 1);
		sprintf(marker, "%s%s", MARK_PREFIX, PQgetvalue(res, 0, 0));
	}
	PQclear(res);
	return marker;
}

static bool
mark_objects(PGconn *conn, const char *schema, const char *objects, const char *marker,
			 N2pError *err)
{
	const char *params[3] = {schema, objects, marker};
	PGresult   *res = query(conn, "SELECT format('COMMENT ON %s %s IS %L', upper(kind), ident, $3::text) "
							"FROM (" RESOLVE_SQL ") r", 3, params, err);
	bool		ok = res != NULL;
	int			i;

	for (i = 0; ok && i < PQntuples(res); i++)
		ok = pg_exec_one(conn, PQgetvalue(res, i, 0), err);
	PQclear(res);
	return ok;
}

bool
pg_owned_record(PGconn *conn, const char *schema, const char *qschema, bool typed, N2pError *err)
{
	char	   *marker = record_load_id(conn, qschema, err);
	char	   *objects = marker ? record_objects(conn, schema, qschema, typed, err) : NULL;
	bool		ok = objects && mark_objects(conn, schema, objects, marker, err);

	free(marker);
	free(objects);
	return ok;
}
