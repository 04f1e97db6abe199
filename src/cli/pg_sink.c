/*-------------------------------------------------------------------------
 *
 * pg_sink.c
 *	  The PostgreSQL sink: the neo2pg base layout, filled by binary COPY.
 *
 * Everything happens in one transaction, so a failed load leaves the
 * target schema exactly as it was.  Tables are created without keys and
 * filled with COPY ... FREEZE (allowed because they are created in the
 * same transaction); keys, foreign keys and indexes are built afterwards,
 * which is much faster than maintaining them row by row.  Each of those
 * steps runs under a savepoint so that, when it fails, a second query can
 * say which rows are at fault before the whole load is rolled back.
 *
 * Labels, types and keys are never pasted into SQL: identifiers are quoted
 * with PQescapeIdentifier, and the DDL that must embed a label or key (the
 * partial unique indexes) is built by the server's format() from bound
 * parameters.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/cli/pg_sink.c
 *
 *-------------------------------------------------------------------------
 */
#include "cli.h"
#include "neo2pg/catalog.h"
#include "neo2pg/pgcopy.h"
#include "pg_owned.h"
#include "pg_typed.h"
#include "pg_util.h"

#include <jansson.h>
#include <sys/socket.h>
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#define SAMPLE_IDS 10

typedef struct PgSink
{
	N2pSink		base;
	PgSinkOptions opts;
	PGconn	   *conn;
	char	   *qschema;		/* quoted schema name */
	int			copying;		/* N2pRecKind being copied, or -1 */
	N2pBuf		buf;
	N2pBuf		types;
	N2pPgEncodeOpts enc;
	N2pPgKeyFix keyfix;			/* keys with U+0000, before anything reads them */
	const N2pGraphMeta *meta;
	uint64_t	rows[2];
	uint64_t	rejected;
	json_t	   *dangling_sample;
	N2pCatalog *cat;			/* for the typed views; NULL with --typed=none */
	TypedSpills *spill;			/* --typed=tables: the records, for a second pass */
	TypedTablesJob *job;		/* --typed=tables, once the base COPY is done */
	char	   *postgis;		/* quoted schema of PostGIS in the target, or NULL */
	size_t	   *unique_longest; /* per constraint: bound of its values' text */
	bool	   *unique_hash;	/* per constraint: too long for a btree */
	int			watch;			/* interrupt_watch_pg()'s slot */
} PgSink;

/* ------------------------------------------------------------- helpers */

static bool
pg_fail(PgSink *s, N2pError *err, const char *what, const PGresult *res)
{
	return pg_error(s->conn, err, what, res);
}

/*
 * Run a command built from a format with the quoted schema name as its
 * only %s (so no label, key or value is ever pasted), with parameters.
 */
static bool
build_sql(PgSink *s, const char *fmt, char *sql, size_t len)
{
	int			n = snprintf(sql, len, fmt, s->qschema, s->qschema, s->qschema, s->qschema);

	return n >= 0 && (size_t) n < len;
}

/* Send finished SQL; server-built statements come here, never to a format. */
static PGresult *
run_sql(PgSink *s, const char *sql, int nparams, const char *const *params)
{
	/* after a signal: a failure, which pg_error() reports as the interruption */
	if (interrupt_signal() != 0)
		return NULL;
	log_verbose("sql: %s", sql);
	pg_note_sql(sql);
	return PQexecParams(s->conn, sql, nparams, NULL, params, NULL, NULL, 0);
}

static PGresult *
run(PgSink *s, const char *fmt, int nparams, const char *const *params)
{
	char		sql[2048];

	if (!build_sql(s, fmt, sql, sizeof(sql)))
		return NULL;
	return run_sql(s, sql, nparams, params);
}

static bool
run_ok(PgSink *s, const char *fmt, N2pError *err)
{
	PGresult   *res = run(s, fmt, 0, NULL);
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	bool		ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;

	if (!ok)
		pg_fail(s, err, "PostgreSQL", res);
	PQclear(res);
	return ok;
}

/* SQLSTATE of a failed result, "" if none. */
static const char *
sqlstate(const PGresult *res)
{
	const char *st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	return st ? st : "";
}

/* --------------------------------------------------------------- COPY */

static bool
start_copy(PgSink *s, N2pRecKind kind, N2pError *err)
{
	static const char *const sql[2][2] = {
		{"COPY %s.nodes (id, labels, props, prop_types) FROM STDIN (FORMAT binary, FREEZE)",
		"COPY %s.relationships (id, type, start_id, end_id, props, prop_types) "
		"FROM STDIN (FORMAT binary, FREEZE)"},
		{"COPY %s.nodes (id, labels, props, prop_types, element_id) FROM STDIN (FORMAT binary, FREEZE)",
			"COPY %s.relationships (id, type, start_id, end_id, props, prop_types, element_id) "
		"FROM STDIN (FORMAT binary, FREEZE)"}};
	char		copy[1024];

	if (!build_sql(s, sql[s->enc.element_ids][kind], copy, sizeof(copy)))
		return n2p_error_set(err, N2P_ERR_USAGE, "COPY: statement too long");
	log_verbose("sql: %s", copy);
	if (!pg_copy_begin(s->conn, copy, "COPY", err))
		return false;
	s->copying = (int) kind;
	n2p_buf_reset(&s->buf);
	return n2p_copy_header(&s->buf) ||
		n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
}

/* psql's handleCopyIn discipline: end, then drain every result. */
static bool
end_copy(PgSink *s, const char *abort_reason, N2pError *err)
{
	if (s->copying < 0)
		return true;
	s->copying = -1;
	if (!abort_reason && (!n2p_copy_trailer(&s->buf) || !pg_copy_send(s->conn, &s->buf, "COPY", err)))
		abort_reason = "client error";
	return pg_copy_finish(s->conn, abort_reason, "COPY", err);
}

/* --------------------------------------------------------------- begin */

/*
 * A deep send buffer lets the client run ahead of the server while it
 * parses the next chunk, instead of the server waiting on it: a Unix
 * socket's default (about 208 kB) cost 10-20% of the load's COPY time
 * against TCP's auto-tuned 4 MB.  Best effort: the kernel caps it at
 * net.core.wmem_max.
 */
static void
widen_send_buffer(PGconn *conn)
{
	int			size = 4 * 1024 * 1024;
	int			fd = PQsocket(conn);

	if (fd >= 0)
		(void) setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
}

/* Server notices ("schema already exists") are chatter: -v shows them. */
static void
notice_to_log(void *arg, const char *message)
{
	size_t		len = strlen(message);

	(void) arg;
	while (len > 0 && message[len - 1] == '\n')
		len--;
	log_verbose("server: %.*s", (int) len, message);
}

static PGconn *
open_connection(PgSink *s)
{
	const char *keys[] = {"dbname", "fallback_application_name", "client_encoding", NULL};
	const char *vals[] = {s->opts.conninfo, "neo2pg", "UTF8", NULL};
	PGconn	   *conn = PQconnectdbParams(keys, vals, 1);

	if (conn && PQstatus(conn) == CONNECTION_OK)
		widen_send_buffer(conn);
	return conn;
}

static void
notice_ignore(void *arg, const char *message)
{
	(void) arg;
	(void) message;
}

/*
 * The typed tables' second connection.  Without one they are built in the
 * load's transaction, later: slower, never wrong, so no error.
 */
static PGconn *
open_second_connection(PgSink *s)
{
	PGconn	   *conn = open_connection(s);

	if (conn == NULL || PQstatus(conn) != CONNECTION_OK)
	{
		log_verbose("no second connection for the typed tables: %s",
					conn ? PQerrorMessage(conn) : "out of memory");
		PQfinish(conn);
		return NULL;
	}
	/* its thread must not write to the terminal */
	PQsetNoticeProcessor(conn, notice_ignore, NULL);
	return conn;
}

static bool
connect_target(PgSink *s, N2pError *err)
{
	const char *keys[] = {"dbname", NULL};
	const char *vals[] = {s->opts.conninfo, NULL};

	/* nothing libpq would quote from a malformed target reaches a message */
	if (!pg_check_target(keys, vals, true, err))
		return false;
	s->conn = open_connection(s);
	if (s->conn == NULL || PQstatus(s->conn) != CONNECTION_OK)
		return pg_fail(s, err, "could not connect to PostgreSQL", NULL);
	PQsetNoticeProcessor(s->conn, notice_to_log, NULL);
	s->watch = interrupt_watch_pg(s->conn);
	s->qschema = PQescapeIdentifier(s->conn, s->opts.schema, strlen(s->opts.schema));
	if (s->qschema == NULL)
		return pg_fail(s, err, "schema name", NULL);
	log_verbose("connected to database \"%s\" on %s", PQdb(s->conn), PQhost(s->conn));
	return true;
}

/*
 * CREATE SCHEMA IF NOT EXISTS needs the right to create schemas even when
 * the schema exists: a user who owns the schema but may not create one
 * could not load.  So look first.
 */
static bool
create_schema(PgSink *s, N2pError *err)
{
	const char *params[1] = {s->opts.schema};
	PGresult   *res = PQexecParams(s->conn, "SELECT 1 FROM pg_namespace WHERE nspname = $1",
								   1, NULL, params, NULL, NULL, 0);
	int			found = PQresultStatus(res) == PGRES_TUPLES_OK ? PQntuples(res) : -1;

	if (found < 0)
		pg_fail(s, err, "PostgreSQL", res);
	PQclear(res);
	return found > 0 || (found == 0 && run_ok(s, "CREATE SCHEMA %s", err));
}

/*
 * A live Neo4j source adds its element ids as a column of their own, so
 * that props hold only the graph's own properties.
 */
#define CREATE_NODES "CREATE TABLE %s.nodes (id bigint NOT NULL, labels text[] NOT NULL, " \
	"props jsonb NOT NULL, prop_types jsonb"
#define CREATE_RELS "CREATE TABLE %s.relationships (id bigint NOT NULL, type text NOT NULL, " \
	"start_id bigint NOT NULL, end_id bigint NOT NULL, props jsonb NOT NULL, prop_types jsonb"

/*
 * Only what an earlier load recorded and marked is replaced (pg_owned.c):
 * a name the load needs that is held by anything else stops the load.
 */
static bool
prepare_schema(PgSink *s, N2pError *err)
{
	return pg_owned_prepare(s->conn, s->opts.schema, s->qschema, s->cat != NULL,
							s->opts.replace, err) &&
		create_schema(s, err) &&
		run_ok(s, s->enc.element_ids ? CREATE_NODES ", element_id text NOT NULL)" : CREATE_NODES ")",
			   err) &&
		run_ok(s, s->enc.element_ids ? CREATE_RELS ", element_id text NOT NULL)" : CREATE_RELS ")",
			   err) &&
		run_ok(s, "CREATE TABLE %s.load_info (key text PRIMARY KEY, value jsonb NOT NULL)", err);
}

/*
 * No wait for another session's lock lasts for ever: without a lock_timeout
 * of the user's (--lock-timeout, else PGOPTIONS), the load's own is this,
 * and the error names the statement that waited.
 */
#define LOCK_WAIT "1min"

/* --lock-timeout wins over PGOPTIONS; else the user's, else LOCK_WAIT */
static bool
set_lock_timeout(PgSink *s, N2pError *err)
{
	char		q[64];

	if (s->opts.lock_timeout_ms < 0)
		return run_ok(s, "SELECT set_config('lock_timeout', '" LOCK_WAIT "', true) "
					  "WHERE current_setting('lock_timeout') = '0'", err);
	/* digits of our own making, no %: a plain statement */
	snprintf(q, sizeof(q), "SET LOCAL lock_timeout = %lld", s->opts.lock_timeout_ms);
	return run_ok(s, q, err);
}

/*
 * Index builds and foreign-key checks sort or hash whole tables: give this
 * transaction more memory for them, as pg_restore users are told to, but
 * never less than the server is already set to give.
 *
 * A foreign key's first check is one anti-join of the referencing table
 * against the node ids.  Without statistics the planner hashes all node
 * ids for it; merging the sorted sides against nodes' primary key is 2 to
 * 3 times faster (1M nodes: 1.6 s against 0.7 s for 2M relationships, and
 * against 0.3 s once relationships' own index exists; bench/run.sh).  The
 * setting is local to this transaction, whose other joins are the
 * dangling-relationship diagnostics, the same anti-join.
 */
static bool
tune_transaction(PgSink *s, N2pError *err)
{
	return run_ok(s, "SELECT set_config(name, v, true) FROM (VALUES "
				  "('maintenance_work_mem', '256MB'), ('work_mem', '64MB')) w(name, v) "
				  "WHERE pg_size_bytes(current_setting(name)) < pg_size_bytes(v)", err) &&
		run_ok(s, "SET LOCAL enable_hashjoin = off", err) && set_lock_timeout(s, err);
}

/*
 * Labels and types longer than their indexes hold fail the load: say so
 * before anything starts when the backup's lists name them (the rows are
 * checked as they are encoded, for backups whose lists are incomplete).
 */
static bool
check_meta_names(const N2pGraphMeta *m, N2pError *err)
{
	size_t		i;

	for (i = 0; i < m->nlabel_sets; i++)
	{
		const char *p = m->label_sets[i];

		/* a set "A:B" lists its labels joined */
		while (true)
		{
			size_t		len = strcspn(p, ":");

			if (!n2p_pg_check_name(true, p, len, err))
				return (snprintf(err->file, sizeof(err->file), "node_labels.json"), false);
			if (p[len] == '\0')
				break;
			p += len + 1;
		}
	}
	for (i = 0; i < m->nrel_types; i++)
		if (!n2p_pg_check_name(false, m->rel_types[i], strlen(m->rel_types[i]), err))
			return (snprintf(err->file, sizeof(err->file), "rel_types.json"), false);
	return true;
}

/*
 * One load into a schema at a time.  Two would not interleave (the second
 * CREATE TABLE waits for the first's commit, then fails on a name), but
 * the second would wait without saying why and then fail obscurely: take a
 * transaction-level advisory lock on the schema's name and, when another
 * load holds it, fail at once naming that load's backend.  (The first key
 * is "n2pl"; a PostgreSQL source's lock is "n2pg".)
 */
#define LOAD_LOCK_KEY "1848799340"
static bool
lock_schema(PgSink *s, N2pError *err)
{
	const char *params[1] = {s->opts.schema};
	PGresult   *res = run_sql(s, "SELECT pg_try_advisory_xact_lock(" LOAD_LOCK_KEY ", hashtext($1))",
							  1, params);
	bool		got;

	if (PQresultStatus(res) != PGRES_TUPLES_OK)
	{
		pg_fail(s, err, "PostgreSQL", res);
		PQclear(res);
		return false;
	}
	got = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (got)
		return true;
	res = run_sql(s, "SELECT a.pid, coalesce(host(a.client_addr), 'a local socket'), "
				  "coalesce(to_char(a.xact_start, 'YYYY-MM-DD HH24:MI:SS TZ'), '?') "
				  "FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
				  "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = " LOAD_LOCK_KEY " "
				  "AND l.objid::bigint = (hashtext($1)::bigint & 4294967295) AND l.objsubid = 2 "
				  "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
				  "LIMIT 1", 1, params);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		n2p_error_set(err, N2P_ERR_IO, "schema \"%s\" is being loaded by another neo2pg (backend pid %s, "
					  "from %s, its transaction started %s): one load into a schema at a time; "
					  "nothing was changed", s->opts.schema, PQgetvalue(res, 0, 0),
					  PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2));
	else
		n2p_error_set(err, N2P_ERR_IO, "schema \"%s\" is being loaded by another neo2pg: one load into a "
					  "schema at a time; nothing was changed", s->opts.schema);
	PQclear(res);
	return false;
}

static bool
pg_begin(N2pSink *sink, const N2pGraphMeta *meta, N2pError *err)
{
	PgSink	   *s = (PgSink *) sink;

	s->meta = meta;
	s->enc.element_ids = meta->element_ids;
	s->unique_longest = xcalloc(meta->nconstraints + 1, sizeof(size_t));
	s->unique_hash = xcalloc(meta->nconstraints + 1, sizeof(bool));
	return check_meta_names(meta, err) &&
		connect_target(s, err) &&
		run_ok(s, "BEGIN", err) &&
		lock_schema(s, err) &&
		tune_transaction(s, err) &&
		prepare_schema(s, err) &&
		start_copy(s, N2P_REC_NODE, err);
}

/* --------------------------------------------------------------- write */

static const N2pValue *
find_prop(const N2pRecord *rec, const char *key, size_t len)
{
	size_t		i;

	for (i = 0; i < rec->props.u.map.n; i++)
		if (rec->props.u.map.keys[i].len == len && memcmp(rec->props.u.map.keys[i].ptr, key, len) == 0)
			return &rec->props.u.map.vals[i];
	return NULL;
}

static bool
has_label(const N2pRecord *rec, const char *label, size_t len)
{
	size_t		i;

	for (i = 0; i < rec->nlabels; i++)
		if (rec->labels[i].len == len && memcmp(rec->labels[i].ptr, label, len) == 0)
			return true;
	return false;
}

/*
 * The longest value under each uniqueness constraint decides its index: a
 * btree where every value surely fits, else a hash (see add_unique_index).
 */
static void
track_unique(PgSink *s, const N2pRecord *rec)
{
	size_t		i;

	for (i = 0; i < s->meta->nconstraints; i++)
	{
		const N2pConstraint *c = &s->meta->constraints[i];
		const N2pValue *v;
		size_t		bound;

		if (!has_label(rec, c->label, strlen(c->label)) ||
			(v = find_prop(rec, c->prop, strlen(c->prop))) == NULL)
			continue;
		bound = n2p_pg_text_bound(v, &s->enc);
		if (bound > s->unique_longest[i])
			s->unique_longest[i] = bound;
	}
}

static bool
pg_write(N2pSink *sink, const N2pRecord *rec, N2pError *err)
{
	PgSink	   *s = (PgSink *) sink;

	if ((int) rec->kind != s->copying)
	{
		if (!end_copy(s, NULL, err) || !start_copy(s, rec->kind, err))
			return false;
	}
	/* props, prop_types, the catalog and the typed tables: one key text */
	if (!n2p_pg_storable_keys(&s->keyfix, rec, &s->enc, &rec, err) ||
		!n2p_copy_record(&s->buf, rec, &s->types, &s->enc, err))
	{
		err->row_id = rec->id;
		err->row_kind = rec->kind == N2P_REC_NODE ? "node" : "relationship";
		if (rec->origin && !err->file[0])
			snprintf(err->file, sizeof(err->file), "%s", rec->origin);
		return false;
	}
	s->rows[rec->kind]++;
	if (rec->kind == N2P_REC_NODE && rec->nlabels > 0)
		track_unique(s, rec);
	if (s->cat && !n2p_catalog_add(s->cat, rec, err))
		return false;
	if (s->spill && !typed_spills_write(s->spill, rec, err))
		return false;
	return pg_copy_piece(s->conn, &s->buf, "COPY", err);
}

/* ------------------------------------------------- keys and constraints */

/*
 * Run one constraint-building statement (final SQL) under a savepoint.  Returns 1 on
 * success, 0 when it failed with the SQLSTATE `expect` (the savepoint is
 * rolled back so the caller can diagnose), -1 on any other failure, lost
 * connections included.  expect may be NULL: no failure is expected.
 */
static int
guarded_step(PgSink *s, const char *sql, const char *expect, N2pError *err)
{
	PGresult   *res;
	int			rc;

	if (!run_ok(s, "SAVEPOINT neo2pg_step", err))
		return -1;
	res = run_sql(s, sql, 0, NULL);
	if (res && PQresultStatus(res) == PGRES_COMMAND_OK)
		rc = 1;
	else if (expect && res && strcmp(sqlstate(res), expect) == 0)
		rc = 0;
	else
		rc = (pg_fail(s, err, "PostgreSQL", res), -1);
	PQclear(res);
	if (rc == 0 && !run_ok(s, "ROLLBACK TO SAVEPOINT neo2pg_step", err))
		return -1;
	return rc == 1 && !run_ok(s, "RELEASE SAVEPOINT neo2pg_step", err) ? -1 : rc;
}

/* Run a diagnostic query returning (count, sample text); -1 on error. */
static long long
diagnose(PgSink *s, const char *fmt, int nparams, const char *const *params,
		 char *sample, size_t len, N2pError *err)
{
	PGresult   *res = run(s, fmt, nparams, params);
	long long	n = -1;

	if (res && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
	{
		n = atoll(PQgetvalue(res, 0, 0));
		snprintf(sample, len, "%s", PQgetvalue(res, 0, 1));
	}
	else
		pg_fail(s, err, "PostgreSQL", res);
	PQclear(res);
	return n;
}

static bool
add_primary_key(PgSink *s, const char *table, const char *what, N2pError *err)
{
	char		fmt[256],
				ddl[512],
				diag[512],
				sample[512];
	long long	n;
	int			rc;

	snprintf(fmt, sizeof(fmt), "ALTER TABLE %%s.%s ADD PRIMARY KEY (id)", table);
	if (!build_sql(s, fmt, ddl, sizeof(ddl)))
		return n2p_error_set(err, N2P_ERR_USAGE, "statement too long");
	progress_step(s->opts.progress, ddl);
	if ((rc = guarded_step(s, ddl, "23505", err)) != 0)
		return rc > 0;
	snprintf(diag, sizeof(diag),
			 "SELECT count(*), coalesce(array_to_string((array_agg(id ORDER BY id))[1:%d], ', '), '') "
			 "FROM (SELECT id FROM %%s.%s GROUP BY id HAVING count(*) > 1) d", SAMPLE_IDS, table);
	if ((n = diagnose(s, diag, 0, NULL, sample, sizeof(sample), err)) < 0)
		return false;
	if (n == 1)
		return n2p_error_set(err, N2P_ERR_DATA, "%s id %s appears more than once in the source",
							 what, sample);
	return n2p_error_set(err, N2P_ERR_DATA, "%lld %s ids appear more than once in the source: %s%s",
						 n, what, sample, n > SAMPLE_IDS ? ", ..." : "");
}

#define DANGLING_WHERE \
	"WHERE NOT EXISTS (SELECT 1 FROM %s.nodes n WHERE n.id = r.start_id) " \
	"OR NOT EXISTS (SELECT 1 FROM %s.nodes n WHERE n.id = r.end_id)"

/*
 * Name the missing end of each of the first dangling relationships, one
 * line each (an error's message could not hold ten), before the summary:
 * errors when the load fails, information with --skip-dangling.
 */
static bool
report_dangling_ends(PgSink *s, N2pError *err)
{
	PGresult   *res = run(s, "SELECT r.id, CASE WHEN a.id IS NULL THEN r.start_id END, "
						   "CASE WHEN b.id IS NULL THEN r.end_id END FROM %s.relationships r "
						   "LEFT JOIN %s.nodes a ON a.id = r.start_id "
						   "LEFT JOIN %s.nodes b ON b.id = r.end_id "
						   "WHERE a.id IS NULL OR b.id IS NULL ORDER BY r.id LIMIT 10", 0, NULL);
	int			i;

	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK)
		return (pg_fail(s, err, "PostgreSQL", res), PQclear(res), false);
	for (i = 0; i < PQntuples(res); i++)
	{
		char		line[160];
		bool		start = !PQgetisnull(res, i, 1),
					end = !PQgetisnull(res, i, 2);

		snprintf(line, sizeof(line), "relationship %s: %s%s%s%s%s %s not in the source",
				 PQgetvalue(res, i, 0), start ? "start node " : "", PQgetvalue(res, i, 1),
				 start && end ? " and " : "", end ? "end node " : "", PQgetvalue(res, i, 2),
				 start && end ? "are" : "is");
		if (s->opts.skip_dangling)
			log_info("%s", line);
		else
			log_error("%s", line);
	}
	PQclear(res);
	return true;
}

/*
 * The foreign keys are tried first: with clean data that is the only
 * scan.  Only when they fail do we look for the dangling relationships.
 */
static bool
add_foreign_keys(PgSink *s, N2pError *err)
{
	char		ddl[1024],
				sample[512];
	long long	n;
	int			rc;

	if (!build_sql(s, "ALTER TABLE %s.relationships "
				   "ADD FOREIGN KEY (start_id) REFERENCES %s.nodes, "
				   "ADD FOREIGN KEY (end_id) REFERENCES %s.nodes", ddl, sizeof(ddl)))
		return n2p_error_set(err, N2P_ERR_USAGE, "statement too long");
	progress_step(s->opts.progress, "foreign keys");
	if ((rc = guarded_step(s, ddl, "23503", err)) != 0)
		return rc > 0;
	n = diagnose(s, "SELECT count(*), coalesce(array_to_string((array_agg(r.id ORDER BY r.id))[1:10], ', '), '') "
				 "FROM %s.relationships r " DANGLING_WHERE, 0, NULL, sample, sizeof(sample), err);
	if (n < 0 || !report_dangling_ends(s, err))
		return false;
	if (!s->opts.skip_dangling)
		return n2p_error_set(err, N2P_ERR_DATA,
							 "%lld relationship%s point%s to nodes that are not in the source "
							 "(relationship ids %s%s); use --skip-dangling to load the rest",
							 n, n == 1 ? "" : "s", n == 1 ? "s" : "", sample, n > 10 ? ", ..." : "");
	log_info("skipping %lld dangling relationship%s (ids %s%s)", n, n == 1 ? "" : "s",
			 sample, n > 10 ? ", ..." : "");
	s->rejected = (uint64_t) n;
	s->dangling_sample = json_string(sample);
	return run_ok(s, "DELETE FROM %s.relationships r " DANGLING_WHERE, err) &&
		guarded_step(s, ddl, NULL, err) > 0;
}

/*
 * A btree entry holds at most N2P_PG_MAX_BTREE_BYTES of text.  Where a
 * value under the constraint may be longer, an exclusion constraint on a
 * hash index keeps Neo4j's exact equality with no size limit (it stores
 * the hash and rechecks the values); it took 4 times as long to build on a
 * 200,000-node graph, so it is only used where the btree might not fit.
 */
static const char *const unique_sql[2] = {
	"SELECT format('CREATE UNIQUE INDEX %s ON %I.nodes ((props->>%L)) "
	"WHERE labels @> ARRAY[%L]::text[]', "
	"CASE WHEN $4::text <> '' AND to_regclass(format('%I.%I', $1::text, $4::text)) IS NULL "
	"THEN quote_ident($4::text) ELSE '' END, $1::text, $2::text, $3::text)",
	"SELECT format('ALTER TABLE %I.nodes ADD %s EXCLUDE USING hash ((props->>%L) WITH =) "
	"WHERE (labels @> ARRAY[%L]::text[])', $1::text, "
	"CASE WHEN $4::text <> '' AND to_regclass(format('%I.%I', $1::text, $4::text)) IS NULL "
	"THEN 'CONSTRAINT ' || quote_ident($4::text) ELSE '' END, $2::text, $3::text)"};

static bool
add_unique_index(PgSink *s, size_t at, N2pError *err)
{
	const N2pConstraint *c = &s->meta->constraints[at];
	bool		hash = s->unique_hash[at];
	char		sample[512];
	const char *params[4];
	PGresult   *res;
	long long	n;
	int			rc;
	bool		ok;

	/*
	 * The index takes the constraint's name when that name is free in the
	 * schema, so that violations name the Neo4j constraint; otherwise the
	 * server picks one (nodes_expr_idx, ...) rather than fail the load.
	 */
	params[0] = s->opts.schema;
	params[1] = c->prop;
	params[2] = c->label;
	params[3] = c->name ? c->name : "";
	if (hash)
		log_verbose("uniqueness constraint %s (:%s).%s: values of up to %zu bytes, more than a "
					"btree holds: an exclusion constraint on a hash index instead",
					c->name ? c->name : "", c->label, c->prop, s->unique_longest[at]);
	/* the server quotes every part (%I, %L); we only pass parameters */
	res = PQexecParams(s->conn, unique_sql[hash], 4, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		return (pg_fail(s, err, "PostgreSQL", res), PQclear(res), false);
	rc = guarded_step(s, PQgetvalue(res, 0, 0), hash ? "23P01" : "23505", err);
	PQclear(res);
	if (rc != 0)
		return rc > 0;
	params[0] = c->prop;
	params[1] = c->label;
	n = diagnose(s, "SELECT count(*), coalesce(string_agg(ids::text, ' ') FILTER (WHERE rn <= 5), '') FROM "
				 "(SELECT array_agg(id ORDER BY id) ids, row_number() OVER () rn FROM %s.nodes "
				 "WHERE labels @> ARRAY[$2::text] AND props ? $1 GROUP BY props->>$1 "
				 "HAVING count(*) > 1) d", 2, params, sample, sizeof(sample), err);
	ok = n >= 0;
	if (ok)
		n2p_error_set(err, N2P_ERR_DATA,
					  "uniqueness constraint %s (:%s).%s does not hold: %lld value%s shared by "
					  "several nodes (node ids %s)", c->name ? c->name : "", c->label, c->prop,
					  n, n == 1 ? " is" : "s are", sample);
	return false;
}

static bool
build_index(PgSink *s, const char *ddl, N2pError *err)
{
	char		sql[512];

	if (!build_sql(s, ddl, sql, sizeof(sql)))
		return n2p_error_set(err, N2P_ERR_USAGE, "statement too long");
	progress_step(s->opts.progress, sql);
	return run_ok(s, ddl, err);
}

/*
 * Before the foreign keys: their check then merges two index-only scans
 * instead of sorting the relationships (2 x 0.3 s against 2 x 0.7 s for
 * 2M relationships).
 */
static bool
build_endpoint_indexes(PgSink *s, N2pError *err)
{
	return build_index(s, "CREATE INDEX ON %s.relationships (start_id)", err) &&
		build_index(s, "CREATE INDEX ON %s.relationships (end_id)", err);
}

/* The typed tables the second connection has committed join the load. */
static bool
adopt_typed(PgSink *s, N2pError *err)
{
	return pg_typed_tables_adopt_ready(s->job, s->conn, s->rejected > 0, err);
}

static bool
build_unique_indexes(PgSink *s, N2pError *err)
{
	size_t		i;

	for (i = 0; i < s->meta->nconstraints; i++)
	{
		progress_step(s->opts.progress, s->meta->constraints[i].name ?
					  s->meta->constraints[i].name : "uniqueness constraint");
		if (!add_unique_index(s, i, err))
			return false;
	}
	return true;
}

/* ---------------------------------------------------------- typed views */

/* PostGIS in the target decides how points are typed. */
static bool
find_postgis(PgSink *s, char **schema, N2pError *err)
{
	PGresult   *res = PQexec(s->conn,
							 "SELECT quote_ident(n.nspname) FROM pg_extension e "
							 "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'postgis'");
	bool		ok = PQresultStatus(res) == PGRES_TUPLES_OK;

	*schema = NULL;
	if (!ok)
		pg_fail(s, err, "PostgreSQL", res);
	else if (PQntuples(res) == 1)
		*schema = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return ok;
}

static TypedTarget
typed_target(PgSink *s)
{
	TypedTarget t = {.pg = {.qschema = s->qschema, .tables = s->spill != NULL, .meta = s->meta,
	.postgis_schema = s->postgis, .unique_hash = s->unique_hash},
	.schema = s->opts.schema, .enc = &s->enc, .progress = s->opts.progress};

	snprintf(t.pg.point_type, sizeof(t.pg.point_type), "%s.neo4j_point", s->qschema);
	return t;
}

/* --typed=tables: begin them as soon as the base COPY is done. */
static bool
start_typed_tables(PgSink *s, N2pError *err)
{
	TypedTarget t;

	if (s->spill == NULL)
		return true;
	if (!find_postgis(s, &s->postgis, err))
		return false;
	t = typed_target(s);
	s->job = pg_typed_tables_start(s->conn, &t, s->cat, s->spill, open_second_connection(s), err);
	return s->job != NULL;
}

static bool
build_typed(PgSink *s, N2pError *err)
{
	TypedTarget t;

	if (s->cat == NULL)
		return true;
	progress_step(s->opts.progress, s->spill ? "typed tables and catalog" : "typed views and catalog");
	if (s->job)
		return pg_typed_tables_finish(s->job, s->conn, s->rejected > 0, err);
	if (!find_postgis(s, &s->postgis, err))
		return false;
	t = typed_target(s);
	return pg_typed_create(s->conn, &t, s->cat, err);
}

/* ------------------------------------------------------------ load_info */

static json_t *
string_list(char **items, size_t n)
{
	json_t	   *a = json_array();
	size_t		i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(items[i]));
	return a;
}

static json_t *
constraints_json(const N2pGraphMeta *m)
{
	json_t	   *a = json_array();
	size_t		i;

	for (i = 0; i < m->nconstraints; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s?}", "node_label",
										   m->constraints[i].label, "node_prop",
										   m->constraints[i].prop, "constraint_name",
										   m->constraints[i].name));
	return a;
}

/*
 * A live source's constraints and indexes that the layout does not
 * express, each with the statement that recreates it in Neo4j.
 */
static json_t *
schema_json(const N2pGraphMeta *m)
{
	json_t	   *a = json_array();
	size_t		i;

	for (i = 0; i < m->nschema; i++)
	{
		const N2pSchemaItem *it = &m->schema[i];
		json_t	   *o = json_pack("{s:s, s:s, s:s, s:s}", "kind", it->kind, "name", it->name,
								  "type", it->type, "create", it->create);

		if (o && it->entity)
		{
			json_object_set_new(o, "entity", json_string(it->entity));
			json_object_set_new(o, "labels_or_types", string_list(it->tokens, it->ntokens));
			json_object_set_new(o, "properties", string_list(it->props, it->nprops));
		}
		json_array_append_new(a, o);
	}
	return a;
}

static bool
write_load_info(PgSink *s, N2pError *err)
{
	const N2pGraphMeta *m = s->meta;
	json_t	   *info = json_pack("{s:s, s:s?, s:s?, s:s?, s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:I}",
								 "neo2pg_version", N2P_VERSION,
								 "source", m->source,
								 "db_id", m->db_id,
								 "unique_prop_key", m->unique_prop_key,
								 "uniqueness_constraints", constraints_json(m),
								 "property_keys", string_list(m->property_keys, m->nproperty_keys),
								 "node_labels", string_list(m->label_sets, m->nlabel_sets),
								 "rel_types", string_list(m->rel_types, m->nrel_types),
								 "node_count", (json_int_t) s->rows[N2P_REC_NODE],
								 "relationship_count", (json_int_t) (s->rows[N2P_REC_REL] - s->rejected),
								 "rejected_relationships", (json_int_t) s->rejected,
								 "nul_replaced", (json_int_t) s->enc.nul_replaced);
	const char *key;
	json_t	   *val;
	bool		ok = info != NULL;

	/* jansson refuses strings that are not UTF-8, such as an odd source path */
	if (!ok)
		return n2p_error_set(err, N2P_ERR_DATA,
							 "cannot record the load in load_info: a name or path is not valid UTF-8");
	if (ok && s->dangling_sample)
		json_object_set(info, "dangling_sample", s->dangling_sample);
	if (ok && m->element_ids)
		json_object_set_new(info, "neo4j_schema", schema_json(m));
	json_object_foreach(info, key, val)
	{
		char	   *text = json_dumps(val, JSON_ENCODE_ANY | JSON_COMPACT);
		const char *params[2] = {key, text};
		PGresult   *res = run(s, "INSERT INTO %s.load_info VALUES ($1, $2::jsonb)", 2, params);

		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			ok = ok && pg_fail(s, err, "PostgreSQL", res);
		PQclear(res);
		free(text);
	}
	json_decref(info);
	return ok && run_ok(s, "INSERT INTO %s.load_info VALUES "
						"('started_at', to_jsonb(now())), ('finished_at', to_jsonb(clock_timestamp()))",
						err);
}

/* -------------------------------------------------------------- finish */

static bool
pg_finish(N2pSink *sink, N2pError *err)
{
	PgSink	   *s = (PgSink *) sink;
	Progress   *p = s->opts.progress;
	bool		ok;
	size_t		i;

	if (!end_copy(s, NULL, err))
		return false;
	for (i = 0; i < s->meta->nconstraints; i++)
		s->unique_hash[i] = s->unique_longest[i] > N2P_PG_MAX_BTREE_BYTES;
	/* the pump reports a phase when it ends only if the next one starts */
	progress_phase_done(p, (int) p->phase);
	if (p->phase == N2P_REC_NODE)
		progress_phase_done(p, N2P_REC_REL);
	/* 2 primary keys, foreign keys, 4 indexes, the constraints, commit */
	progress_plan_steps(p, 8 + (int) s->meta->nconstraints + (s->cat != NULL));
	/*
	 * The order serves --typed=tables: the typed relationship tables'
	 * foreign keys are checked (on one processor) as soon as the base ones
	 * are, between steps, and the load ends on index builds that can take
	 * both processors once the second connection is done.
	 */
	ok = start_typed_tables(s, err) &&
		(test_point("pg-keys"), true) &&
		add_primary_key(s, "nodes", "node", err) &&
		add_primary_key(s, "relationships", "relationship", err) &&
		build_endpoint_indexes(s, err) &&
		add_foreign_keys(s, err) && adopt_typed(s, err) &&
		build_unique_indexes(s, err) && adopt_typed(s, err) &&
		build_index(s, "CREATE INDEX ON %s.nodes USING gin (labels)", err) && adopt_typed(s, err) &&
		build_index(s, "CREATE INDEX ON %s.relationships (type)", err) &&
		build_typed(s, err) &&
		write_load_info(s, err) &&
		pg_owned_record(s->conn, s->opts.schema, s->qschema, s->cat != NULL, err);
	p->stats[N2P_REC_REL].rejected = s->rejected;
	if (!ok)
		return false;
	progress_step(p, "commit");
	test_point("pg-commit");
	if (!pg_commit(s->conn, "COMMIT failed, nothing was loaded", err))
		return false;
	pg_typed_tables_end(s->job, true);
	s->job = NULL;
	progress_phase_done(p, 2);
	return true;
}

static void
pg_abort(N2pSink *sink)
{
	PgSink	   *s = (PgSink *) sink;
	N2pError	ignore;

	if (s->conn == NULL || PQstatus(s->conn) != CONNECTION_OK)
		return;
	n2p_error_init(&ignore);
	end_copy(s, "neo2pg: load aborted", &ignore);
	PQclear(PQexec(s->conn, "ROLLBACK"));
	pg_typed_tables_end(s->job, false);
	s->job = NULL;
}

static void
pg_close(N2pSink *sink)
{
	PgSink	   *s = (PgSink *) sink;

	if (s->qschema)
		PQfreemem(s->qschema);
	interrupt_unwatch(s->watch);
	if (s->conn)
		PQfinish(s->conn);
	pg_typed_tables_end(s->job, false);
	free(s->postgis);
	free(s->unique_longest);
	free(s->unique_hash);
	json_decref(s->dangling_sample);
	n2p_catalog_free(s->cat);
	typed_spills_free(s->spill);
	n2p_buf_free(&s->buf);
	n2p_buf_free(&s->types);
	n2p_pg_keyfix_free(&s->keyfix);
	free(s);
}

static const N2pSinkOps pg_sink_ops = {pg_begin, pg_write, pg_finish, pg_abort, pg_close};

N2pSink *
pg_sink_open(const PgSinkOptions *opts, N2pError *err)
{
	PgSink	   *s = calloc(1, sizeof(PgSink));

	if (s == NULL)
	{
		n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
		return NULL;
	}
	s->base.ops = &pg_sink_ops;
	s->opts = *opts;
	s->copying = -1;
	s->watch = -1;
	s->enc.nul_replacement = opts->nul_replacement;
	if ((opts->typed != TYPED_NONE && (s->cat = n2p_catalog_new(&n2p_libc_allocator)) == NULL) ||
		(opts->typed == TYPED_TABLES && (s->spill = typed_spills_new(err)) == NULL))
	{
		n2p_catalog_free(s->cat);
		free(s);
		n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
		return NULL;
	}
	n2p_buf_init(&s->buf, &n2p_libc_allocator);
	n2p_buf_init(&s->types, &n2p_libc_allocator);
	n2p_pg_keyfix_init(&s->keyfix, &n2p_libc_allocator);
	return &s->base;
}

uint64_t
pg_sink_rejected(N2pSink *sink)
{
	return ((PgSink *) sink)->rejected;
}
