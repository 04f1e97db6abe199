/*-------------------------------------------------------------------------
 *
 * pg_source.c
 *	  The neo2pg layout in PostgreSQL as a source: `neo2pg copy
 *	  postgresql://... TARGET` and `neo2pg inspect postgresql://...`.
 *
 * One transaction, REPEATABLE READ READ ONLY, so that nodes and
 * relationships come from one snapshot; its tables are locked first (a
 * concurrent DROP or ALTER waits for the read to end).  The rows come
 * through COPY ... TO STDOUT (FORMAT binary), one CopyData message, one
 * row, at a time, and src/pg/read.c turns each into a record: memory is
 * one row whatever the table's size.
 *
 * A relationship whose start or end node is missing (users may drop the
 * foreign keys, or write with them disabled) is looked for before any row
 * is sent, by the server, in the same snapshot: an anti-join, with no id
 * set on the client.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/cli/pg_source.c
 *
 *-------------------------------------------------------------------------
 */
#include "cli.h"
#include "neo2pg/json.h"
#include "neo2pg/pgread.h"
#include "pg_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* First key of the advisory lock that marks a source's database ("n2pg"). */
#define SOURCE_LOCK_KEY "1848799079"

typedef enum Phase
{
	PHASE_NODES,
	PHASE_RELS,
	PHASE_DONE
} Phase;

typedef struct PgSource
{
	N2pSource	base;
	PGconn	   *conn;
	char	   *schema;
	char	   *qschema;
	char		origin[2][160];
	bool		element_id[2];
	Phase		phase;
	bool		copying;
	char	   *row;			/* the current row's CopyData, until the next */
	uint64_t	bytes;
	N2pPgReader *reader;
	N2pJsonReader *json;		/* load_info's values */
	N2pArena	row_arena;
	N2pArena	meta_arena;
} PgSource;

bool
pg_is_conninfo(const char *spec)
{
	return strncmp(spec, "postgresql://", 13) == 0 || strncmp(spec, "postgres://", 11) == 0 ||
		strchr(spec, '=') != NULL;
}

static bool
fail(PgSource *s, N2pError *err, const PGresult *res)
{
	return pg_error(s->conn, err, "PostgreSQL", res);
}

/* Exactly one statement, with the quoted schema as every %s. */
static char *
sql_for(PgSource *s, const char *fmt)
{
	N2pBuf		b;

	n2p_buf_init(&b, &n2p_libc_allocator);
	if (!n2p_buf_printf(&b, fmt, s->qschema, s->qschema, s->qschema, s->qschema))
		exit_out_of_memory();
	return b.data;
}

static PGresult *
query(PgSource *s, const char *fmt, int nparams, const char *const *params)
{
	char	   *sql = sql_for(s, fmt);
	PGresult   *res = PQexecParams(s->conn, sql, nparams, NULL, params, NULL, NULL, 0);

	log_verbose("source: %s", sql);
	/* a lock_timeout's message names the statement that waited */
	pg_note_sql(sql);
	free(sql);
	return res;
}

static bool
run(PgSource *s, const char *fmt, N2pError *err)
{
	PGresult   *res = query(s, fmt, 0, NULL);
	bool		ok = PQresultStatus(res) == PGRES_COMMAND_OK ||
		PQresultStatus(res) == PGRES_TUPLES_OK;

	if (!ok)
		fail(s, err, res);
	PQclear(res);
	return ok;
}

/* ------------------------------------------------------------- layout */

typedef struct Column
{
	const char *name;
	const char *type;
} Column;

static const Column node_columns[] = {
	{"id", "bigint"}, {"labels", "text[]"}, {"props", "jsonb"}, {"prop_types", "jsonb"},
	{NULL, NULL}
};
static const Column rel_columns[] = {
	{"id", "bigint"}, {"type", "text"}, {"start_id", "bigint"}, {"end_id", "bigint"},
	{"props", "jsonb"}, {"prop_types", "jsonb"}, {NULL, NULL}
};

/* The row of res for table.column, or -1. */
static int
find_column(const PGresult *res, const char *table, const char *column)
{
	int			i;

	for (i = 0; i < PQntuples(res); i++)
		if (strcmp(PQgetvalue(res, i, 0), table) == 0 && strcmp(PQgetvalue(res, i, 1), column) == 0)
			return i;
	return -1;
}

static bool
check_table(PgSource *s, const PGresult *res, const char *table, const Column *cols,
			bool *element_id, N2pError *err)
{
	int			i,
				at;

	for (i = 0; cols[i].name; i++)
	{
		at = find_column(res, table, cols[i].name);
		if (at < 0)
			return n2p_error_set(err, N2P_ERR_DATA,
								 "schema \"%s\" holds no neo2pg layout: %s.%s is missing "
								 "(choose the schema with --source-schema)", s->schema, table,
								 cols[i].name);
		if (strcmp(PQgetvalue(res, at, 2), cols[i].type) != 0)
			return n2p_error_set(err, N2P_ERR_DATA, "%s.%s.%s is %s, not %s as neo2pg made it",
								 s->schema, table, cols[i].name, PQgetvalue(res, at, 2), cols[i].type);
	}
	at = find_column(res, table, "element_id");
	*element_id = at >= 0 && strcmp(PQgetvalue(res, at, 2), "text") == 0;
	return true;
}

static bool
check_layout(PgSource *s, bool *has_load_info, N2pError *err)
{
	const char *params[1] = {s->schema};
	PGresult   *res = PQexecParams(s->conn,
								   "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) "
								   "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
								   "JOIN pg_attribute a ON a.attrelid = c.oid "
								   "WHERE n.nspname = $1 AND c.relname IN ('nodes', 'relationships', 'load_info') "
								   "AND a.attnum > 0 AND NOT a.attisdropped",
								   1, NULL, params, NULL, NULL, 0);
	bool		ok = PQresultStatus(res) == PGRES_TUPLES_OK;

	if (!ok)
		fail(s, err, res);
	ok = ok && check_table(s, res, "nodes", node_columns, &s->element_id[0], err) &&
		check_table(s, res, "relationships", rel_columns, &s->element_id[1], err);
	*has_load_info = ok && find_column(res, "load_info", "key") >= 0 &&
		find_column(res, "load_info", "value") >= 0;
	PQclear(res);
	return ok;
}

/* ---------------------------------------------------------- load_info */

static char *
meta_strdup(PgSource *s, const N2pValue *v, const char *key, N2pError *err)
{
	char	   *p;

	if (v == NULL || v->type == N2P_NULL)
		return NULL;
	if (v->type != N2P_STRING || memchr(v->u.str.ptr, '\0', v->u.str.len))
		return n2p_error_set(err, N2P_ERR_DATA, "load_info: %s holds something other than a "
							 "string without U+0000", key), NULL;
	if ((p = n2p_arena_strndup(&s->meta_arena, v->u.str.ptr, v->u.str.len)) == NULL)
		exit_out_of_memory();
	return p;
}

static bool
meta_strings(PgSource *s, const N2pValue *v, const char *key, char ***out, size_t *n,
			 N2pError *err)
{
	size_t		i;

	if (v->type != N2P_LIST)
		return n2p_error_set(err, N2P_ERR_DATA, "load_info: %s is not a list", key);
	if ((*out = n2p_arena_alloc(&s->meta_arena, (v->u.list.n + 1) * sizeof(char *))) == NULL)
		exit_out_of_memory();
	for (i = 0; i < v->u.list.n; i++)
		if (((*out)[i] = meta_strdup(s, &v->u.list.items[i], key, err)) == NULL)
			return err->code ? false :
				n2p_error_set(err, N2P_ERR_DATA, "load_info: %s holds a null", key);
	*n = v->u.list.n;
	return true;
}

static const N2pValue *
member(const N2pValue *map, const char *name)
{
	return map->type == N2P_MAP ? n2p_map_get(map, name, strlen(name)) : NULL;
}

static bool
meta_constraints(PgSource *s, const N2pValue *v, N2pError *err)
{
	N2pGraphMeta *m = &s->base.meta;
	size_t		i;

	if (v->type != N2P_LIST)
		return n2p_error_set(err, N2P_ERR_DATA, "load_info: uniqueness_constraints is not a list");
	if ((m->constraints = n2p_arena_alloc(&s->meta_arena, (v->u.list.n + 1) * sizeof(N2pConstraint))) == NULL)
		exit_out_of_memory();
	for (i = 0; i < v->u.list.n; i++)
	{
		const N2pValue *c = &v->u.list.items[i];
		N2pConstraint *k = &m->constraints[i];

		k->label = meta_strdup(s, member(c, "node_label"), "uniqueness_constraints", err);
		k->prop = meta_strdup(s, member(c, "node_prop"), "uniqueness_constraints", err);
		k->name = meta_strdup(s, member(c, "constraint_name"), "uniqueness_constraints", err);
		if (k->label == NULL || k->prop == NULL)
			return err->code ? false :
				n2p_error_set(err, N2P_ERR_DATA, "load_info: a uniqueness constraint lacks "
							  "node_label or node_prop");
	}
	m->nconstraints = v->u.list.n;
	return true;
}

/* entity, labels_or_types and properties: absent in loads of older versions */
static bool
meta_schema_parts(PgSource *s, const N2pValue *c, N2pSchemaItem *k, N2pError *err)
{
	const N2pValue *tokens = member(c, "labels_or_types"),
			   *props = member(c, "properties");

	if ((k->entity = meta_strdup(s, member(c, "entity"), "neo4j_schema", err)) == NULL)
		return err->code == N2P_OK;
	if (tokens == NULL || props == NULL)
		return n2p_error_set(err, N2P_ERR_DATA, "load_info: neo4j_schema's item %s has an entity "
							 "but no labels_or_types or properties", k->name);
	return meta_strings(s, tokens, "neo4j_schema", &k->tokens, &k->ntokens, err) &&
		meta_strings(s, props, "neo4j_schema", &k->props, &k->nprops, err);
}

static bool
meta_schema(PgSource *s, const N2pValue *v, N2pError *err)
{
	N2pGraphMeta *m = &s->base.meta;
	size_t		i;

	if (v->type != N2P_LIST)
		return n2p_error_set(err, N2P_ERR_DATA, "load_info: neo4j_schema is not a list");
	if ((m->schema = n2p_arena_alloc(&s->meta_arena, (v->u.list.n + 1) * sizeof(N2pSchemaItem))) == NULL)
		exit_out_of_memory();
	for (i = 0; i < v->u.list.n; i++)
	{
		const N2pValue *c = &v->u.list.items[i];
		N2pSchemaItem *k = &m->schema[i];
		char	   *kind = meta_strdup(s, member(c, "kind"), "neo4j_schema", err);

		k->name = meta_strdup(s, member(c, "name"), "neo4j_schema", err);
		k->type = meta_strdup(s, member(c, "type"), "neo4j_schema", err);
		k->create = meta_strdup(s, member(c, "create"), "neo4j_schema", err);
		if (err->code)
			return false;
		if (kind == NULL || k->name == NULL || k->type == NULL || k->create == NULL ||
			(strcmp(kind, "constraint") != 0 && strcmp(kind, "index") != 0))
			return n2p_error_set(err, N2P_ERR_DATA, "load_info: neo4j_schema holds an item "
								 "other than {\"kind\", \"name\", \"type\", \"create\"}");
		k->kind = strcmp(kind, "index") == 0 ? "index" : "constraint";
		if (!meta_schema_parts(s, c, k, err))
			return false;
	}
	m->nschema = v->u.list.n;
	return true;
}

static bool
meta_entry(PgSource *s, const char *key, const N2pValue *v, N2pError *err)
{
	N2pGraphMeta *m = &s->base.meta;

	if (strcmp(key, "db_id") == 0)
		return (m->db_id = meta_strdup(s, v, key, err)) != NULL || err->code == N2P_OK;
	if (strcmp(key, "unique_prop_key") == 0)
		return (m->unique_prop_key = meta_strdup(s, v, key, err)) != NULL || err->code == N2P_OK;
	if (strcmp(key, "uniqueness_constraints") == 0)
		return meta_constraints(s, v, err);
	if (strcmp(key, "neo4j_schema") == 0)
		return meta_schema(s, v, err);
	if (strcmp(key, "property_keys") == 0)
		return meta_strings(s, v, key, &m->property_keys, &m->nproperty_keys, err);
	if (strcmp(key, "node_labels") == 0)
		return meta_strings(s, v, key, &m->label_sets, &m->nlabel_sets, err);
	if (strcmp(key, "rel_types") == 0)
		return meta_strings(s, v, key, &m->rel_types, &m->nrel_types, err);
	return true;
}

/*
 * What the load recorded about the graph (database id, constraints, Neo4j's
 * schema, the backup's lists), so that a backup or an import keeps it.
 */
static bool
read_load_info(PgSource *s, N2pError *err)
{
	PGresult   *res = query(s, "SELECT key, value FROM %s.load_info WHERE key IN ('db_id', "
							"'unique_prop_key', 'uniqueness_constraints', 'neo4j_schema', "
							"'property_keys', 'node_labels', 'rel_types')", 0, NULL);
	bool		ok = PQresultStatus(res) == PGRES_TUPLES_OK;
	int			i;

	if (!ok)
		fail(s, err, res);
	for (i = 0; ok && i < PQntuples(res); i++)
	{
		N2pValue	v;

		ok = !PQgetisnull(res, i, 1) &&
			n2p_json_parse_mem(s->json, PQgetvalue(res, i, 1), (size_t) PQgetlength(res, i, 1),
							   &s->meta_arena, &v, err) == 1 &&
			meta_entry(s, PQgetvalue(res, i, 0), &v, err);
		if (!ok && err->code == N2P_OK)
			n2p_error_set(err, N2P_ERR_DATA, "load_info: %s is NULL", PQgetvalue(res, i, 0));
	}
	PQclear(res);
	return ok;
}

/* ----------------------------------------------------------- dangling */

/*
 * The server's anti-join, in the read's own snapshot, before any row is
 * sent: a sink never starts on a graph that cannot be whole.  Looking for
 * missing end ids alone lets it merge the endpoint indexes with the
 * primary key, index-only: 78 ms for 400,000 relationships, against
 * 640 ms for a hash join that also returns the relationship (run only
 * when there is one to name).
 */
static bool
any_dangling(PgSource *s, bool *found, N2pError *err)
{
	PGresult   *res;
	bool		ok;

	if (!run(s, "SET LOCAL enable_hashjoin = off", err))
		return false;
	res = query(s, "SELECT r.start_id FROM %s.relationships r WHERE NOT EXISTS "
				"(SELECT 1 FROM %s.nodes n WHERE n.id = r.start_id) UNION ALL "
				"SELECT r.end_id FROM %s.relationships r WHERE NOT EXISTS "
				"(SELECT 1 FROM %s.nodes n WHERE n.id = r.end_id) LIMIT 1", 0, NULL);
	ok = PQresultStatus(res) == PGRES_TUPLES_OK;
	if (!ok)
		fail(s, err, res);
	*found = ok && PQntuples(res) > 0;
	PQclear(res);
	return ok;
}

static bool
check_dangling(PgSource *s, N2pError *err)
{
	PGresult   *res;
	bool		found;

	if (!any_dangling(s, &found, err) || !found)
		return !err->code;
	res = query(s, "SELECT r.id, r.start_id, r.end_id, a.id IS NULL, b.id IS NULL, "
				"count(*) OVER () FROM %s.relationships r "
				"LEFT JOIN %s.nodes a ON a.id = r.start_id "
				"LEFT JOIN %s.nodes b ON b.id = r.end_id "
				"WHERE a.id IS NULL OR b.id IS NULL ORDER BY r.id LIMIT 1", 0, NULL);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
		fail(s, err, res);
	else
	{
		bool		start = PQgetvalue(res, 0, 3)[0] == 't',
					end = PQgetvalue(res, 0, 4)[0] == 't';
		long long	count = atoll(PQgetvalue(res, 0, 5));

		n2p_error_set_file(err, s->origin[1]);
		err->row_kind = "relationship";
		err->row_id = atoll(PQgetvalue(res, 0, 0));
		if (start && end)
			n2p_error_set(err, N2P_ERR_DATA, "start node %s and end node %s are not in nodes",
						  PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2));
		else
			n2p_error_set(err, N2P_ERR_DATA, "%s node %s is not in nodes", start ? "start" : "end",
						  PQgetvalue(res, 0, start ? 1 : 2));
		if (count > 1)
			snprintf(err->msg + strlen(err->msg), sizeof(err->msg) - strlen(err->msg),
					 " (%lld relationships point to missing nodes)", count);
	}
	PQclear(res);
	return false;
}

/* ------------------------------------------------------------- rows */

static const char *const copy_sql[2][2] = {
	{"COPY (SELECT id, labels, props, prop_types FROM %s.nodes) TO STDOUT (FORMAT binary)",
	"COPY (SELECT id, labels, props, prop_types, element_id FROM %s.nodes) TO STDOUT (FORMAT binary)"},
	{"COPY (SELECT id, type, start_id, end_id, props, prop_types FROM %s.relationships) "
		"TO STDOUT (FORMAT binary)",
		"COPY (SELECT id, type, start_id, end_id, props, prop_types, element_id "
	"FROM %s.relationships) TO STDOUT (FORMAT binary)"}
};

static bool
start_copy(PgSource *s, N2pError *err)
{
	bool		both = s->element_id[0] && s->element_id[1];
	PGresult   *res = query(s, copy_sql[s->phase][both], 0, NULL);
	bool		ok = PQresultStatus(res) == PGRES_COPY_OUT;

	if (!ok)
		fail(s, err, res);
	PQclear(res);
	s->copying = ok;
	s->bytes = 0;
	return ok;
}

/* The COPY ended: its result, then the next phase. */
static bool
end_copy(PgSource *s, N2pError *err)
{
	PGresult   *res;
	bool		ok = true;

	while ((res = PQgetResult(s->conn)) != NULL)
	{
		if (ok && PQresultStatus(res) != PGRES_COMMAND_OK)
			ok = fail(s, err, res);
		PQclear(res);
	}
	s->copying = false;
	/* the pump reports a finished phase's bytes from meta */
	*(s->phase == PHASE_NODES ? &s->base.meta.node_bytes : &s->base.meta.rel_bytes) = s->bytes;
	s->phase++;
	return ok && (s->phase != PHASE_DONE || run(s, "COMMIT", err));
}

static int
pg_next(N2pSource *src, N2pRecord *rec, N2pError *err)
{
	PgSource   *s = (PgSource *) src;
	bool		both = s->element_id[0] && s->element_id[1];

	for (;;)
	{
		int			n,
					rc;

		if (s->phase == PHASE_DONE)
			return 0;
		if (!s->copying && !start_copy(s, err))
			return -1;
		PQfreemem(s->row);
		s->row = NULL;
		n = PQgetCopyData(s->conn, &s->row, 0);
		if (n == -1)
		{
			if (!end_copy(s, err))
				return -1;
			continue;
		}
		if (n < 0)
			return fail(s, err, NULL), -1;
		s->bytes += (uint64_t) n;
		n2p_arena_reset(&s->row_arena);
		rc = n2p_pg_read_tuple(s->reader, s->phase == PHASE_NODES ? N2P_REC_NODE : N2P_REC_REL,
							   both, s->row, (size_t) n, &s->row_arena, rec, err);
		if (rc < 0)
		{
			n2p_error_set_file(err, s->origin[s->phase]);
			return -1;
		}
		if (rc == 1)
		{
			rec->origin = s->origin[s->phase];
			return 1;
		}
	}
}

static uint64_t
pg_bytes_done(N2pSource *src)
{
	return ((PgSource *) src)->bytes;
}

static void
pg_close(N2pSource *src)
{
	PgSource   *s = (PgSource *) src;

	PQfreemem(s->row);
	PQfreemem(s->qschema);
	PQfinish(s->conn);
	n2p_pg_reader_free(s->reader);
	n2p_json_reader_free(s->json);
	n2p_arena_destroy(&s->row_arena);
	n2p_arena_destroy(&s->meta_arena);
	free(s->schema);
	free(s);
}

static const N2pSourceOps pg_source_ops = {pg_next, pg_bytes_done, pg_close};

/* ------------------------------------------------------------- open */

/* Where the graph came from, without a password: recorded by the sinks. */
static void
set_display(PgSource *s)
{
	N2pBuf		b;

	n2p_buf_init(&b, &n2p_libc_allocator);
	if (!n2p_buf_printf(&b, "postgresql: dbname=%s host=%s port=%s user=%s schema=%s",
						PQdb(s->conn), PQhost(s->conn), PQport(s->conn), PQuser(s->conn), s->schema))
		exit_out_of_memory();
	s->base.meta.source = n2p_arena_strndup(&s->meta_arena, b.data, b.len);
	n2p_buf_free(&b);
	if (s->base.meta.source == NULL)
		exit_out_of_memory();
}

static bool
connect_source(PgSource *s, const char *conninfo, N2pError *err)
{
	const char *keys[] = {"dbname", "fallback_application_name", "client_encoding", NULL};
	const char *vals[] = {conninfo, "neo2pg", "UTF8", NULL};

	/* nothing libpq would quote from a malformed source reaches a message */
	if (!pg_check_target(keys, vals, true, err))
		return false;
	s->conn = PQconnectdbParams(keys, vals, 1);
	if (s->conn == NULL || PQstatus(s->conn) != CONNECTION_OK)
		return pg_error(s->conn, err, "could not connect to PostgreSQL", NULL);
	s->qschema = PQescapeIdentifier(s->conn, s->schema, strlen(s->schema));
	if (s->qschema == NULL)
		return fail(s, err, NULL);
	log_verbose("source: connected to database \"%s\" on %s", PQdb(s->conn), PQhost(s->conn));
	return true;
}

/*
 * The snapshot: the tables are locked before it is taken (LOCK is the
 * first statement, as PostgreSQL's documentation advises for REPEATABLE
 * READ), and a shared advisory lock keyed by this backend marks the
 * database for pg_source_check_target.
 */
static bool
begin_snapshot(PgSource *s, bool load_info, N2pError *err)
{
	char		pid[16];
	const char *params[1] = {pid};
	PGresult   *res;
	bool		ok;

	snprintf(pid, sizeof(pid), "%d", PQbackendPID(s->conn));
	/*
	 * A load's --replace holds its tables' ACCESS EXCLUSIVE lock until it
	 * commits: no wait for it lasts for ever, as for the load's own waits
	 * (pg_sink.c), unless the user set a lock_timeout.  Set before BEGIN,
	 * for the session: a SELECT in the transaction would take its
	 * snapshot before the LOCK.
	 */
	if (!run(s, "SELECT set_config('lock_timeout', '1min', false) "
			 "WHERE current_setting('lock_timeout') = '0'", err) ||
		!run(s, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err) ||
		!run(s, load_info ? "LOCK TABLE %s.nodes, %s.relationships, %s.load_info IN ACCESS SHARE MODE" :
			 "LOCK TABLE %s.nodes, %s.relationships IN ACCESS SHARE MODE", err))
		return false;
	res = PQexecParams(s->conn, "SELECT pg_advisory_xact_lock_shared(" SOURCE_LOCK_KEY ", $1::int)",
					   1, NULL, params, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_TUPLES_OK;
	if (!ok)
		fail(s, err, res);
	PQclear(res);
	return ok;
}

N2pSource  *
pg_source_open(const char *conninfo, const char *schema, N2pError *err)
{
	PgSource   *s = xcalloc(1, sizeof(PgSource));
	bool		load_info = false;

	s->base.ops = &pg_source_ops;
	s->schema = xstrdup(schema ? schema : "neo4j");
	n2p_arena_init(&s->row_arena, &n2p_libc_allocator, 0);
	n2p_arena_init(&s->meta_arena, &n2p_libc_allocator, 0);
	snprintf(s->origin[0], sizeof(s->origin[0]), "%s.nodes", s->schema);
	snprintf(s->origin[1], sizeof(s->origin[1]), "%s.relationships", s->schema);
	if ((s->reader = n2p_pg_reader_new(&n2p_libc_allocator, err)) == NULL ||
		(s->json = n2p_json_reader_new(NULL, &n2p_libc_allocator, err)) == NULL ||
		!connect_source(s, conninfo, err) || !check_layout(s, &load_info, err) ||
		!begin_snapshot(s, load_info, err) || (load_info && !read_load_info(s, err)) ||
		!check_dangling(s, err))
	{
		pg_close(&s->base);
		return NULL;
	}
	set_display(s);
	s->base.meta.element_ids = s->element_id[0] && s->element_id[1];
	s->base.meta.wire_bytes = true;
	/* any DateTime may carry a zone: a live source's did, users may add them */
	s->base.meta.zone_ids = true;
	return &s->base;
}

/*
 * Copying a schema onto itself would make the target's DROP wait for the
 * source's read forever.  The same database is recognised by the source's
 * advisory lock, which only a session of that database can see.
 */
bool
pg_source_check_target(N2pSource *src, const char *conninfo, const char *schema, N2pError *err)
{
	PgSource   *s = (PgSource *) src;
	const char *keys[] = {"dbname", "fallback_application_name", NULL};
	const char *vals[] = {conninfo, "neo2pg", NULL};
	char		pid[16];
	const char *params[1] = {pid};
	PGconn	   *conn;
	PGresult   *res;
	bool		same;
	N2pError	ignored;

	if (src->ops != &pg_source_ops || strcmp(schema, s->schema) != 0)
		return true;
	n2p_error_init(&ignored);
	/* a target that cannot be reached is the sink's to report */
	if (!pg_check_target(keys, vals, true, &ignored))
		return true;
	conn = PQconnectdbParams(keys, vals, 1);
	snprintf(pid, sizeof(pid), "%d", PQbackendPID(s->conn));
	res = PQstatus(conn) == CONNECTION_OK ?
		PQexecParams(conn, "SELECT pg_try_advisory_xact_lock(" SOURCE_LOCK_KEY ", $1::int)",
					 1, NULL, params, NULL, NULL, 0) : NULL;
	same = PQresultStatus(res) == PGRES_TUPLES_OK && PQgetvalue(res, 0, 0)[0] == 'f';
	PQclear(res);
	PQfinish(conn);
	if (same)
		n2p_error_set(err, N2P_ERR_USAGE, "the source and the target are the same schema \"%s\" of "
					  "the same database: choose another target schema with -s", schema);
	return !same;
}
