/*-------------------------------------------------------------------------
 *
 * sink.c
 *	  A live Neo4j database as a target: nodes, then relationships, as
 *	  native PackStream values in batched, parameterised UNWIND queries,
 *	  each batch a write transaction of its own.
 *
 * Nothing from the data is pasted into Cypher: labels and types travel as
 * parameters (Neo4j 5.26's dynamic labels and types, $(row.l) and
 * $(row.t)), keys as the keys of a parameter map, values as values.  The
 * names neo2pg makes up itself are back-quoted.
 *
 * The import's own nodes carry a temporary label (neo2pg_import_<tag>)
 * and a temporary id property under a uniqueness constraint of the same
 * name, so that relationships find their ends through that index.  A
 * marker node with the same label records the import's state: "loading"
 * until every record is written and the source's constraints exist, then
 * "finishing" while the temporary label and ids are removed in batches.
 * An import that finds another's label (it was killed, or lost its
 * connection) deletes that import's nodes when it was loading, or
 * finishes its cleanup when it was finishing: either way the database
 * ends up as if that import had never run, or had run to the end.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/neo4j/sink.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/neo4j_sink.h"
#include "neo2pg/packstream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_BATCH 10000
/* a batch also ends at this many bytes, so that wide rows keep memory bounded */
#define BATCH_BYTES (16 * 1024 * 1024)
/* rows per transaction when deleting or relabelling */
#define CLEANUP_BATCH 50000
#define LABEL_MAX 128

#define STATE_KEY "neo2pg_import_state"
#define SOURCE_KEY "neo2pg_import_source"

/*
 * Templates: @ stands for the back-quoted temporary label (which is also
 * the constraint's name), # for the back-quoted id key.
 */
static const char NODES_Q[] =
	"UNWIND $rows AS row CREATE (n:$(row.l):@) SET n = row.p RETURN count(n)";
static const char RELS_Q[] =
	"UNWIND $rows AS row MATCH (a:@ {#: row.s}) MATCH (b:@ {#: row.e}) "
	"CREATE (a)-[r:$(row.t)]->(b) SET r = row.p RETURN count(r)";
#define MISSING_ROWS \
	"UNWIND range(0, size($rows) - 1) AS i WITH i, $rows[i] AS row " \
	"OPTIONAL MATCH (a:@ {#: row.s}) OPTIONAL MATCH (b:@ {#: row.e}) " \
	"WITH i, a, b WHERE a IS NULL OR b IS NULL RETURN i, a IS NOT NULL, b IS NOT NULL"
static const char MISSING_Q[] = MISSING_ROWS " LIMIT 1";
static const char MISSING_ALL_Q[] = MISSING_ROWS;
static const char CONSTRAINT_Q[] = "CREATE CONSTRAINT @ FOR (n:@) REQUIRE n.# IS UNIQUE";
static const char MARKER_Q[] =
	"CREATE (:@ {`" STATE_KEY "`: 'loading', `" SOURCE_KEY "`: $source})";
static const char READ_STATE_Q[] =
	"MATCH (m:@) WHERE m.`" STATE_KEY "` IS NOT NULL RETURN m.`" STATE_KEY "`, m.`" SOURCE_KEY "` LIMIT 1";
static const char FINISHING_Q[] =
	"MATCH (m:@) WHERE m.`" STATE_KEY "` IS NOT NULL SET m.`" STATE_KEY "` = 'finishing'";
static const char UNLABEL_Q[] =
	"MATCH (n:@) WHERE n.# IS NOT NULL WITH n LIMIT $k REMOVE n:@, n.# RETURN count(*)";
static const char DELETE_Q[] = "MATCH (n:@) WITH n LIMIT $k DETACH DELETE n RETURN count(*)";
static const char DROP_Q[] = "DROP CONSTRAINT @ IF EXISTS";
static const char DROP_MARKER_Q[] = "MATCH (m:@) DELETE m";
static const char LEFTOVER_LABELS_Q[] =
	"CALL db.labels() YIELD label WHERE label STARTS WITH '" N2P_NEO4J_TMP_PREFIX "' RETURN label";
static const char LEFTOVER_CONSTRAINTS_Q[] =
	"SHOW CONSTRAINTS YIELD name WHERE name STARTS WITH '" N2P_NEO4J_TMP_PREFIX "' RETURN name";
static const char COUNT_Q[] = "MATCH (n) RETURN count(n)";
static const char LOCK_Q[] =
	"CREATE CONSTRAINT @ FOR (n:`" N2P_NEO4J_LOCK_LABEL "`) REQUIRE n.`" N2P_NEO4J_LOCK_LABEL "` IS UNIQUE";
static const char LOCK_HOLDERS_Q[] =
	"SHOW CONSTRAINTS YIELD name, labelsOrTypes WHERE labelsOrTypes = ['" N2P_NEO4J_LOCK_LABEL "'] RETURN name";
static const char CONNECTION_Q[] =
	"CALL dbms.listConnections() YIELD connectionId, connectTime, serverAddress "
	"WHERE connectionId = $id RETURN toString(connectTime), serverAddress";
static const char CONSTRAINT_NAMES_Q[] = "SHOW CONSTRAINTS YIELD name RETURN name";
static const char INDEX_NAMES_Q[] = "SHOW INDEXES YIELD name RETURN name";

typedef struct Neo4jSink
{
	N2pSink		base;
	const N2pAllocator *alloc;
	N2pNeo4jSinkOptions o;
	const N2pGraphMeta *meta;
	char		label[LABEL_MAX];
	char	   *nodes_q;
	char	   *rels_q;
	N2pBuf		rows;			/* the batch's rows, encoded */
	N2pBuf		params;			/* {rows: [...]} */
	size_t		nrows;
	N2pRecKind	kind;
	int64_t    *ids;			/* per row of the batch: id, start, end */
	int64_t    *starts;
	int64_t    *ends;
	uint64_t	nodes;
	uint64_t	rels;
	bool		started;		/* the marker exists */
	bool		indexed;		/* the temporary constraint exists */
	bool		finishing;		/* every record is written */
	bool		rolled_back;
	bool		previous_done;	/* recover() finished this same source's import */
	int64_t    *skipped_ids;	/* the nodes skip_refused skipped */
	size_t		nskipped_ids;
	size_t		skipped_cap;
	bool		skipped_sorted;
	uint64_t	skipped_nodes;
	uint64_t	skipped_rels;
	char		lock[512];		/* the import lock's name: this run */
	bool		locked;
	char		server[128];	/* the server's address, as it lists this connection */
	char	  **created;		/* the source's constraints and indexes this import made */
	bool	   *created_index;	/* each: an index, not a constraint */
	size_t		ncreated;
	N2pArena	arena;
} Neo4jSink;

/* ------------------------------------------------------------- helpers */

static void
put_quoted(N2pBuf *b, const char *name)
{
	n2p_buf_putc(b, '`');
	for (; *name; name++)
	{
		if (*name == '`')
			n2p_buf_putc(b, '`');
		n2p_buf_putc(b, *name);
	}
	n2p_buf_putc(b, '`');
}

/* A template with the label and the id key filled in; NULL on no memory. */
static char *
build(Neo4jSink *s, const char *tmpl, const char *label)
{
	N2pBuf		b;
	char	   *q;

	n2p_buf_init(&b, s->alloc);
	for (; *tmpl; tmpl++)
	{
		if (*tmpl == '@')
			put_quoted(&b, label);
		else if (*tmpl == '#')
			put_quoted(&b, N2P_NEO4J_TMP_ID);
		else
			n2p_buf_putc(&b, *tmpl);
	}
	q = b.oom ? NULL : n2p_arena_alloc(&s->arena, b.len + 1);
	if (q)
		memcpy(q, b.data, b.len + 1);
	n2p_buf_free(&b);
	return q;
}

static bool
nomem(N2pError *err)
{
	return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
}

static void
notice(Neo4jSink *s, const N2pError *n)
{
	if (s->o.notice)
		s->o.notice(s->o.notice_ctx, n);
}

/*
 * One query in a transaction of its own (mode "w" or "r"), with its
 * parameters packed or as a value (or none).  *last gets the first field
 * of the last row when it is an integer.
 */
static bool
tx_run(Neo4jSink *s, const char *mode, const char *q, const N2pBuf *packed, const N2pValue *params,
	   int64_t *last, N2pError *err)
{
	N2pArena	a;
	N2pValue	row;
	bool		ran;
	int			r = -1;

	if (!n2p_bolt_begin(s->o.bolt, mode, s->o.database, err))
		return false;
	ran = packed ? n2p_bolt_run_packed(s->o.bolt, q, packed->data, packed->len, -1, err) :
		n2p_bolt_run(s->o.bolt, q, params, -1, err);
	n2p_arena_init(&a, s->alloc, 0);
	if (ran)
		while ((r = n2p_bolt_next(s->o.bolt, &a, &row, err)) > 0)
		{
			if (last && row.u.list.n > 0 && row.u.list.items[0].type == N2P_INT)
				*last = row.u.list.items[0].u.i;
			n2p_arena_reset(&a);
		}
	n2p_arena_destroy(&a);
	/* a FAILURE has ended the transaction already (RESET) */
	return r == 0 && n2p_bolt_commit(s->o.bolt, err);
}

static bool
tx_simple(Neo4jSink *s, const char *q, int64_t *last, N2pError *err)
{
	return tx_run(s, "w", q, NULL, NULL, last, err);
}

/* {name: value} as a model map. */
static void
one_param(N2pValue *map, N2pStr *key, N2pValue *val, const char *name)
{
	key->ptr = name;
	key->len = strlen(name);
	map->type = N2P_MAP;
	map->u.map.keys = key;
	map->u.map.vals = val;
	map->u.map.n = 1;
}

/* May the run go on at where?  (An interruption stops it there.) */
static bool
go_on(Neo4jSink *s, const char *where, N2pError *err)
{
	return where == NULL || s->o.check == NULL || s->o.check(s->o.step_ctx, where, err);
}

/*
 * Run a label's batched query until it touches no more rows, asking
 * go_on(where) before each batch.
 */
static bool
drain(Neo4jSink *s, const char *tmpl, const char *label, uint64_t *total, const char *where,
	  N2pError *err)
{
	char	   *q = build(s, tmpl, label);
	N2pValue	params,
				k;
	N2pStr		key;
	int64_t		n;

	if (q == NULL)
		return nomem(err);
	memset(&k, 0, sizeof(k));
	k.type = N2P_INT;
	k.u.i = CLEANUP_BATCH;
	one_param(&params, &key, &k, "k");
	do
	{
		n = 0;
		if (!go_on(s, where, err) || !tx_run(s, "w", q, NULL, &params, &n, err))
			return false;
		if (total)
			*total += (uint64_t) n;
	} while (n > 0);
	return true;
}

/* The names a query returns (first field), into the arena. */
static bool
names(Neo4jSink *s, const char *q, char ***out, size_t *n, N2pError *err)
{
	N2pArena	a;
	N2pValue	row;
	int			r;

	*out = NULL;
	*n = 0;
	if (!n2p_bolt_begin(s->o.bolt, "r", s->o.database, err) ||
		!n2p_bolt_run(s->o.bolt, q, NULL, -1, err))
		return false;
	n2p_arena_init(&a, s->alloc, 0);
	while ((r = n2p_bolt_next(s->o.bolt, &a, &row, err)) > 0)
	{
		const N2pValue *f = row.u.list.items;
		char	  **grown;

		if (row.u.list.n < 1 || f[0].type != N2P_STRING)
			continue;
		grown = n2p_arena_alloc(&s->arena, (*n + 1) * sizeof(char *));
		if (grown == NULL || (grown[*n] = n2p_arena_alloc(&s->arena, f[0].u.str.len + 1)) == NULL)
		{
			r = -1;
			nomem(err);
			break;
		}
		if (*n)
			memcpy(grown, *out, *n * sizeof(char *));
		memcpy(grown[*n], f[0].u.str.ptr, f[0].u.str.len);
		grown[*n][f[0].u.str.len] = '\0';
		*out = grown;
		(*n)++;
		n2p_arena_reset(&a);
	}
	n2p_arena_destroy(&a);
	if (r != 0)
	{
		N2pError	ignore;

		n2p_error_init(&ignore);
		n2p_bolt_rollback(s->o.bolt, &ignore);
		return false;
	}
	return n2p_bolt_commit(s->o.bolt, err);
}

static bool
has_name(char **list, size_t n, const char *name)
{
	size_t		i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], name) == 0)
			return true;
	return false;
}

/* ------------------------------------------------------------- cleanup */

/*
 * Drop the constraint, then remove the temporary label and ids, then the
 * marker.  Dropped first, its index is not maintained for every removal;
 * the removal finds the nodes by their label alone.
 */
static bool
finish_cleanup(Neo4jSink *s, const char *label, const char *where, N2pError *err)
{
	char	   *drop = build(s, DROP_Q, label),
			   *marker = build(s, DROP_MARKER_Q, label);

	if (drop == NULL || marker == NULL)
		return nomem(err);
	return tx_simple(s, drop, NULL, err) && drain(s, UNLABEL_Q, label, NULL, where, err) &&
		go_on(s, where, err) && tx_simple(s, marker, NULL, err);
}

/*
 * Delete every node of an unfinished import, then its constraint; where
 * NULL (an abort) goes on whatever happens.
 */
static bool
delete_import(Neo4jSink *s, const char *label, uint64_t *deleted, const char *where, N2pError *err)
{
	char	   *drop = build(s, DROP_Q, label);

	if (drop == NULL)
		return nomem(err);
	return drain(s, DELETE_Q, label, deleted, where, err) && go_on(s, where, err) &&
		tx_simple(s, drop, NULL, err);
}

/* The state and source an import's marker records ("" when none). */
static bool
read_state(Neo4jSink *s, const char *label, char *state, size_t slen, char *source, size_t srclen,
		   N2pError *err)
{
	char	   *q = build(s, READ_STATE_Q, label);
	N2pArena	a;
	N2pValue	row;
	int			r;

	state[0] = source[0] = '\0';
	if (q == NULL)
		return nomem(err);
	if (!n2p_bolt_begin(s->o.bolt, "r", s->o.database, err) || !n2p_bolt_run(s->o.bolt, q, NULL, -1, err))
		return false;
	n2p_arena_init(&a, s->alloc, 0);
	while ((r = n2p_bolt_next(s->o.bolt, &a, &row, err)) > 0)
	{
		const N2pValue *f = row.u.list.items;

		if (row.u.list.n == 2 && f[0].type == N2P_STRING)
			snprintf(state, slen, "%.*s", (int) f[0].u.str.len, f[0].u.str.ptr);
		if (row.u.list.n == 2 && f[1].type == N2P_STRING)
			snprintf(source, srclen, "%.*s", (int) f[1].u.str.len, f[1].u.str.ptr);
	}
	n2p_arena_destroy(&a);
	return r == 0 && n2p_bolt_commit(s->o.bolt, err);
}

/*
 * What an earlier import left: its label (on nodes) or its constraint.
 * One that was finishing is finished; any other is deleted.
 */
static bool
recover(Neo4jSink *s, N2pError *err)
{
	char	  **labels,
			  **cons;
	size_t		nlabels,
				ncons,
				i;

	if (!names(s, LEFTOVER_LABELS_Q, &labels, &nlabels, err) ||
		!names(s, LEFTOVER_CONSTRAINTS_Q, &cons, &ncons, err))
		return false;
	for (i = 0; i < nlabels + ncons; i++)
	{
		const char *label = i < nlabels ? labels[i] : cons[i - nlabels];
		char		state[32],
					source[512];
		uint64_t	deleted = 0;
		N2pError	n;

		if (i >= nlabels && has_name(labels, nlabels, label))
			continue;
		if (!read_state(s, label, state, sizeof(state), source, sizeof(source), err))
			return false;
		n2p_error_init(&n);
		if (strcmp(state, "finishing") == 0)
		{
			if (!finish_cleanup(s, label, "neo4j-recover", err))
				return false;
			n2p_error_set(&n, N2P_ERR_DATA, "an interrupted import (%s) of %s had written everything: "
						  "its cleanup is now finished", label, source[0] ? source : "an unknown source");
			if (s->o.source && strcmp(source, s->o.source) == 0)
				s->previous_done = true;
		}
		else
		{
			if (!delete_import(s, label, &deleted, "neo4j-recover", err))
				return false;
			n2p_error_set(&n, N2P_ERR_DATA, "an interrupted import (%s)%s%s was rolled back: %llu nodes "
						  "deleted", label, source[0] ? " of " : "", source,
						  (unsigned long long) (deleted > 0 && state[0] ? deleted - 1 : deleted));
		}
		notice(s, &n);
	}
	return true;
}

/* ---------------------------------------------------------------- lock */

/*
 * The first row's first two fields as text ("" when not strings): 1 a
 * row, 0 none, -1 the query failed (err set, no transaction open).
 */
static int
first_row(Neo4jSink *s, const char *q, const N2pValue *params, char *a, size_t alen, char *b,
		  size_t blen, N2pError *err)
{
	N2pArena	ar;
	N2pValue	row;
	int			r,
				found = 0;

	a[0] = b[0] = '\0';
	if (!n2p_bolt_begin(s->o.bolt, "r", s->o.database, err) || !n2p_bolt_run(s->o.bolt, q, params, -1, err))
		return -1;
	n2p_arena_init(&ar, s->alloc, 0);
	while ((r = n2p_bolt_next(s->o.bolt, &ar, &row, err)) > 0)
	{
		const N2pValue *f = row.u.list.items;

		if (!found && row.u.list.n == 2 && f[0].type == N2P_STRING && f[1].type == N2P_STRING)
		{
			snprintf(a, alen, "%.*s", (int) f[0].u.str.len, f[0].u.str.ptr);
			snprintf(b, blen, "%.*s", (int) f[1].u.str.len, f[1].u.str.ptr);
			found = 1;
		}
		n2p_arena_reset(&ar);
	}
	n2p_arena_destroy(&ar);
	return r == 0 && n2p_bolt_commit(s->o.bolt, err) ? found : -1;
}

/*
 * When the server says a Bolt connection connected, and to which of its
 * addresses: 1 listed, 0 not, -1 unknown (no such procedure, not allowed:
 * the answer is then left to the process check).
 */
static int
connection_of(Neo4jSink *s, const char *id, char *connected, size_t clen, char *server, size_t slen)
{
	N2pValue	params,
				v;
	N2pStr		key;
	N2pError	ignore;

	memset(&v, 0, sizeof(v));
	v.type = N2P_STRING;
	v.u.str.ptr = id;
	v.u.str.len = strlen(id);
	one_param(&params, &key, &v, "id");
	n2p_error_init(&ignore);
	return first_row(s, CONNECTION_Q, &params, connected, clen, server, slen, &ignore);
}

/* The value of "key=" in a lock's name, into out ("" when absent). */
static void
lock_field(const char *name, const char *key, char *out, size_t len)
{
	size_t		klen = strlen(key);
	const char *p = name;

	out[0] = '\0';
	while ((p = strstr(p, key)) != NULL)
	{
		if ((p == name || p[-1] == ' ') && p[klen] == '=')
		{
			size_t		n = strcspn(p + klen + 1, " ");

			snprintf(out, len, "%.*s", (int) n, p + klen + 1);
			return;
		}
		p += klen;
	}
}

/*
 * Is the run that holds this lock gone?  Its Bolt connection tells, on any
 * host: neo2pg never reconnects, so a run whose connection the server no
 * longer lists (or lists with another connect time: ids start again when
 * the server restarts) can write nothing more.  That is asked of the
 * server this run talks to, so it counts only when the holder talked to
 * the same one (a cluster's leader may have moved).  On this host its
 * process tells too: a pid that is gone.  Anything else is alive.
 */
static bool
holder_gone(Neo4jSink *s, const char *name)
{
	char		pid[32],
				host[80],
				conn[64],
				connected[64],
				server[128],
				now[64],
				now_server[128];
	int			listed;

	lock_field(name, "pid", pid, sizeof(pid));
	lock_field(name, "host", host, sizeof(host));
	lock_field(name, "conn", conn, sizeof(conn));
	lock_field(name, "connected", connected, sizeof(connected));
	lock_field(name, "server", server, sizeof(server));
	if (s->o.pid_alive && s->o.host && pid[0] && strcmp(host, s->o.host) == 0 &&
		s->o.pid_alive(s->o.step_ctx, strtol(pid, NULL, 10)) == 0)
		return true;
	if (conn[0] == '\0' || connected[0] == '\0' || s->server[0] == '\0' || strcmp(server, s->server) != 0)
		return false;
	listed = connection_of(s, conn, now, sizeof(now), now_server, sizeof(now_server));
	return listed == 0 || (listed == 1 && strcmp(now, connected) != 0);
}

static bool
lock_held(const char *name, N2pError *err)
{
	char		pid[32],
				host[80],
				since[64],
				conn[64];

	lock_field(name, "pid", pid, sizeof(pid));
	lock_field(name, "host", host, sizeof(host));
	lock_field(name, "since", since, sizeof(since));
	lock_field(name, "conn", conn, sizeof(conn));
	return n2p_error_set(err, N2P_ERR_DATA, "another neo2pg is importing into this database (pid %s on %s, "
						 "started %s, Bolt connection %s): one import at a time; if that run is gone for "
						 "good, DROP CONSTRAINT `%s` lets the next one start", pid[0] ? pid : "?",
						 host[0] ? host : "?", since[0] ? since : "?", conn[0] ? conn : "?", name);
}

/*
 * One import per database: a uniqueness constraint on a label of its own,
 * named after this run, made in a transaction of its own.  Neo4j refuses a
 * second constraint of the same schema whatever its name, atomically, so
 * of two runs one fails; it reads the holder from the name, and either
 * fails naming it, or, when the holder is gone, drops its lock and tries
 * again (a few times: others may be trying too).
 */
static bool
take_lock(Neo4jSink *s, N2pError *err)
{
	const char *conn = n2p_bolt_connection_id(s->o.bolt);
	char		connected[64] = "",
			   *create;
	int			attempt;

	if (conn[0] && connection_of(s, conn, connected, sizeof(connected), s->server, sizeof(s->server)) != 1)
		connected[0] = s->server[0] = '\0';
	snprintf(s->lock, sizeof(s->lock), N2P_NEO4J_LOCK_PREFIX "pid=%ld host=%s since=%s conn=%s connected=%s "
			 "server=%s", s->o.pid, s->o.host ? s->o.host : "", s->o.since ? s->o.since : "", conn,
			 connected, s->server);
	if ((create = build(s, LOCK_Q, s->lock)) == NULL)
		return nomem(err);
	for (attempt = 0; attempt < 4; attempt++)
	{
		N2pError	e;
		char	  **holders;
		size_t		n;
		char	   *drop;

		n2p_error_init(&e);
		if (tx_simple(s, create, NULL, &e))
			return (s->locked = true);
		if (strstr(n2p_bolt_failure_code(s->o.bolt), "AlreadyExists") == NULL)
			return (*err = e, false);
		if (!names(s, LOCK_HOLDERS_Q, &holders, &n, err))
			return false;
		if (n == 0)
			continue;			/* released meanwhile */
		if (!holder_gone(s, holders[0]))
			return lock_held(holders[0], err);
		if ((drop = build(s, DROP_Q, holders[0])) == NULL)
			return nomem(err);
		if (!tx_simple(s, drop, NULL, err))
			return false;
		n2p_error_init(&e);
		n2p_error_set(&e, N2P_ERR_DATA, "the import lock of a neo2pg that is gone was removed: %s",
					  holders[0]);
		notice(s, &e);
	}
	return n2p_error_set(err, N2P_ERR_DATA, "could not take the import lock: other imports kept taking it");
}

/* Best effort: a lock left behind is its holder's, and found gone later. */
static void
release_lock(Neo4jSink *s)
{
	char	   *drop;
	N2pError	ignore;

	if (!s->locked || (drop = build(s, DROP_Q, s->lock)) == NULL)
		return;
	n2p_error_init(&ignore);
	if (tx_simple(s, drop, NULL, &ignore))
		s->locked = false;
}

/* ------------------------------------------------------------- batches */

/* Where a failed batch was: the row ids it held. */
static void
locate_batch(Neo4jSink *s, N2pError *err)
{
	size_t		len = strlen(err->msg);

	if (s->nrows == 0 || err->row_kind)
		return;
	snprintf(err->msg + len, sizeof(err->msg) - len, " (in the batch of %s %lld to %lld)",
			 s->kind == N2P_REC_NODE ? "nodes" : "relationships", (long long) s->ids[0],
			 (long long) s->ids[s->nrows - 1]);
}

/* Row i of the batch lost an end node that is not in the source. */
static bool
missing_end(Neo4jSink *s, size_t i, bool has_start, bool has_end, N2pError *err)
{
	err->row_kind = "relationship";
	err->row_id = s->ids[i];
	if (!has_start && !has_end)
		return n2p_error_set(err, N2P_ERR_DATA, "start node %lld and end node %lld are not in the source",
							 (long long) s->starts[i], (long long) s->ends[i]);
	return n2p_error_set(err, N2P_ERR_DATA, "%s node %lld is not in the source",
						 has_start ? "end" : "start", (long long) (has_start ? s->ends[i] : s->starts[i]));
}

static void
report_skip(Neo4jSink *s, const N2pError *why)
{
	if (s->o.skipped)
		s->o.skipped(s->o.notice_ctx, why);
}

/* Row i of the batch lost an end node that skip_refused skipped. */
static void
report_lost_end(Neo4jSink *s, size_t i, bool has_start)
{
	N2pError	n;

	n2p_error_init(&n);
	n.row_kind = "relationship";
	n.row_id = s->ids[i];
	n2p_error_set(&n, N2P_ERR_DATA, "its %s node %lld was skipped", has_start ? "end" : "start",
				  (long long) (has_start ? s->ends[i] : s->starts[i]));
	report_skip(s, &n);
}

/* A batch created fewer relationships than it held: name the first lost. */
static bool
name_missing(Neo4jSink *s, N2pError *err)
{
	char	   *q = build(s, MISSING_Q, s->label);
	N2pArena	a;
	N2pValue	row;
	int			r;
	int64_t		i = -1;
	bool		has_start = true,
				has_end = true;

	if (q == NULL)
		return nomem(err);
	if (!n2p_bolt_begin(s->o.bolt, "r", s->o.database, err) ||
		!n2p_bolt_run_packed(s->o.bolt, q, s->params.data, s->params.len, -1, err))
		return false;
	n2p_arena_init(&a, s->alloc, 0);
	while ((r = n2p_bolt_next(s->o.bolt, &a, &row, err)) > 0)
	{
		const N2pValue *f = row.u.list.items;

		if (row.u.list.n == 3 && f[0].type == N2P_INT && f[0].u.i >= 0 &&
			(size_t) f[0].u.i < s->nrows)
		{
			i = f[0].u.i;
			has_start = f[1].type == N2P_BOOL && f[1].u.b;
			has_end = f[2].type == N2P_BOOL && f[2].u.b;
		}
	}
	n2p_arena_destroy(&a);
	if (r != 0 || !n2p_bolt_commit(s->o.bolt, err))
		return false;
	if (i < 0)
		return n2p_error_set(err, N2P_ERR_DATA, "Neo4j created fewer relationships than it was sent");
	return missing_end(s, (size_t) i, has_start, has_end, err);
}

static int
cmp_id(const void *a, const void *b)
{
	int64_t		x = *(const int64_t *) a,
				y = *(const int64_t *) b;

	return (x > y) - (x < y);
}

static bool
was_skipped(Neo4jSink *s, int64_t id)
{
	if (!s->skipped_sorted)
	{
		qsort(s->skipped_ids, s->nskipped_ids, sizeof(int64_t), cmp_id);
		s->skipped_sorted = true;
	}
	return s->nskipped_ids &&
		bsearch(&id, s->skipped_ids, s->nskipped_ids, sizeof(int64_t), cmp_id) != NULL;
}

/*
 * With skip_refused, in the batch's open transaction: every relationship
 * the batch did not create must have lost an end node that was skipped;
 * each is reported.  -1: the query failed (the transaction is over); 0: a
 * relationship whose end is not in the source (err set, still open).
 */
static int
skip_missing(Neo4jSink *s, int64_t made, N2pError *err)
{
	char	   *q = build(s, MISSING_ALL_Q, s->label);
	N2pArena	a;
	N2pValue	row;
	int			r;
	uint64_t	n = 0;
	bool		ok = true;

	if (q == NULL)
		return (nomem(err), 0);
	if (!n2p_bolt_run_packed(s->o.bolt, q, s->params.data, s->params.len, -1, err))
		return -1;
	n2p_arena_init(&a, s->alloc, 0);
	while ((r = n2p_bolt_next(s->o.bolt, &a, &row, err)) > 0)
	{
		const N2pValue *f = row.u.list.items;
		size_t		i;
		bool		has_start,
					has_end;

		if (!ok || row.u.list.n != 3 || f[0].type != N2P_INT || f[0].u.i < 0 ||
			(size_t) f[0].u.i >= s->nrows)
			continue;
		i = (size_t) f[0].u.i;
		has_start = f[1].type == N2P_BOOL && f[1].u.b;
		has_end = f[2].type == N2P_BOOL && f[2].u.b;
		if ((!has_start && !was_skipped(s, s->starts[i])) || (!has_end && !was_skipped(s, s->ends[i])))
			ok = missing_end(s, i, has_start, has_end, err);
		else
			report_lost_end(s, i, has_start);
		n++;
		n2p_arena_reset(&a);
	}
	n2p_arena_destroy(&a);
	if (r != 0)
		return -1;
	if (ok && (int64_t) n + made != (int64_t) s->nrows)
		ok = n2p_error_set(err, N2P_ERR_DATA, "Neo4j created fewer relationships than it was sent");
	if (ok)
		s->skipped_rels += n;
	return ok;
}

static bool
flush(Neo4jSink *s, N2pError *err)
{
	int64_t		made = -1;

	if (s->nrows == 0)
		return true;
	n2p_buf_reset(&s->params);
	n2p_ps_put_map_header(&s->params, 1);
	n2p_ps_put_string(&s->params, "rows", 4);
	n2p_ps_put_list_header(&s->params, s->nrows);
	n2p_buf_append(&s->params, s->rows.data, s->rows.len);
	if (s->params.oom || s->rows.oom)
		return nomem(err);
	if (!n2p_bolt_begin(s->o.bolt, "w", s->o.database, err) ||
		!n2p_bolt_run_packed(s->o.bolt, s->kind == N2P_REC_NODE ? s->nodes_q : s->rels_q,
							 s->params.data, s->params.len, -1, err))
		return (locate_batch(s, err), false);
	{
		N2pArena	a;
		N2pValue	row;
		int			r;

		n2p_arena_init(&a, s->alloc, 0);
		while ((r = n2p_bolt_next(s->o.bolt, &a, &row, err)) > 0)
			if (row.u.list.n == 1 && row.u.list.items[0].type == N2P_INT)
				made = row.u.list.items[0].u.i;
		n2p_arena_destroy(&a);
		if (r != 0)
			return (locate_batch(s, err), false);
	}
	/* the batch's transaction is open: a signal stops it uncommitted */
	if (!go_on(s, s->kind == N2P_REC_NODE ? "neo4j-nodes-batch" : "neo4j-relationships-batch", err))
	{
		N2pError	ignored;

		n2p_error_init(&ignored);
		n2p_bolt_rollback(s->o.bolt, &ignored);
		return false;
	}
	if (made != (int64_t) s->nrows && s->o.skip_refused && s->kind == N2P_REC_REL)
	{
		int			k = skip_missing(s, made, err);

		/* a data error leaves the transaction open */
		if (k == 0)
		{
			N2pError	ignored;

			n2p_error_init(&ignored);
			n2p_bolt_rollback(s->o.bolt, &ignored);
		}
		if (k != 1)
			return (locate_batch(s, err), false);
	}
	else if (made != (int64_t) s->nrows)
	{
		/* an UNWIND MATCH skips a row whose end is missing: nothing of it is kept */
		if (n2p_bolt_rollback(s->o.bolt, err))
			name_missing(s, err);
		return (locate_batch(s, err), false);
	}
	if (!n2p_bolt_commit(s->o.bolt, err))
		return (locate_batch(s, err), false);
	if (s->kind == N2P_REC_NODE)
		s->nodes += s->nrows;
	else
		s->rels += (uint64_t) made;
	s->nrows = 0;
	n2p_buf_reset(&s->rows);
	return true;
}

static void
put_props(N2pBuf *b, const N2pValue *props, bool with_id, int64_t id, bool utc, N2pError *err,
		  bool *ok)
{
	size_t		i;

	n2p_ps_put_map_header(b, props->u.map.n + (with_id ? 1 : 0));
	if (with_id)
	{
		n2p_ps_put_string(b, N2P_NEO4J_TMP_ID, strlen(N2P_NEO4J_TMP_ID));
		n2p_ps_put_int(b, id);
	}
	for (i = 0; i < props->u.map.n && *ok; i++)
	{
		n2p_ps_put_string(b, props->u.map.keys[i].ptr, props->u.map.keys[i].len);
		if (!n2p_ps_put_value(b, &props->u.map.vals[i], utc, err))
		{
			n2p_error_set_key(err, props->u.map.keys[i].ptr, props->u.map.keys[i].len);
			*ok = false;
		}
	}
}

static bool
encode(Neo4jSink *s, const N2pRecord *rec, N2pError *err)
{
	N2pBuf	   *b = &s->rows;
	bool		utc = n2p_bolt_utc(s->o.bolt),
				ok = true;
	size_t		i;

	if (rec->kind == N2P_REC_NODE)
	{
		n2p_ps_put_map_header(b, 2);
		n2p_ps_put_string(b, "l", 1);
		n2p_ps_put_list_header(b, rec->nlabels);
		for (i = 0; i < rec->nlabels; i++)
			n2p_ps_put_string(b, rec->labels[i].ptr, rec->labels[i].len);
		n2p_ps_put_string(b, "p", 1);
		put_props(b, &rec->props, true, rec->id, utc, err, &ok);
	}
	else
	{
		n2p_ps_put_map_header(b, 4);
		n2p_ps_put_string(b, "s", 1);
		n2p_ps_put_int(b, rec->start_id);
		n2p_ps_put_string(b, "e", 1);
		n2p_ps_put_int(b, rec->end_id);
		n2p_ps_put_string(b, "t", 1);
		n2p_ps_put_string(b, rec->type.ptr, rec->type.len);
		n2p_ps_put_string(b, "p", 1);
		put_props(b, &rec->props, false, 0, utc, err, &ok);
	}
	if (b->oom)
		return nomem(err);
	return ok;
}

/* ---------------------------------------------------------- sink calls */

static bool
neo4j_begin(N2pSink *sink, const N2pGraphMeta *meta, N2pError *err)
{
	Neo4jSink  *s = (Neo4jSink *) sink;
	char	   *marker = build(s, MARKER_Q, s->label);
	N2pValue	params,
				src;
	N2pStr		key;

	s->meta = meta;
	if (marker == NULL)
		return nomem(err);
	memset(&src, 0, sizeof(src));
	src.type = N2P_STRING;
	src.u.str.ptr = s->o.source ? s->o.source : "";
	src.u.str.len = strlen(src.u.str.ptr);
	one_param(&params, &key, &src, "source");
	/* from here on, an abort has something to undo */
	s->started = true;
	return tx_run(s, "w", marker, NULL, &params, NULL, err);
}

/*
 * The temporary constraint, made before the first relationship batch: its
 * index built once over the written nodes costs the server less than
 * maintained node by node while they are created.
 */
static bool
index_ends(Neo4jSink *s, N2pError *err)
{
	char	   *constraint = build(s, CONSTRAINT_Q, s->label);

	if (constraint == NULL)
		return nomem(err);
	if (!tx_simple(s, constraint, NULL, err))
		return false;
	s->indexed = true;
	return true;
}

/* A record holding a refused value, left out; a node's id is kept. */
static bool
skip_record(Neo4jSink *s, const N2pRecord *rec, const N2pError *why, N2pError *err)
{
	if (rec->kind == N2P_REC_NODE)
	{
		if (s->nskipped_ids == s->skipped_cap)
		{
			size_t		cap = s->skipped_cap ? 2 * s->skipped_cap : 64;
			int64_t    *grown = n2p_realloc(s->alloc, s->skipped_ids, s->skipped_cap * sizeof(int64_t),
											cap * sizeof(int64_t));

			if (grown == NULL)
				return nomem(err);
			s->skipped_ids = grown;
			s->skipped_cap = cap;
		}
		s->skipped_ids[s->nskipped_ids++] = rec->id;
		s->skipped_sorted = false;
		s->skipped_nodes++;
	}
	else
		s->skipped_rels++;
	report_skip(s, why);
	return true;
}

static bool
neo4j_write(N2pSink *sink, const N2pRecord *rec, N2pError *err)
{
	Neo4jSink  *s = (Neo4jSink *) sink;
	N2pError	check;
	size_t		i;
	int			verdict;

	n2p_error_init(&check);
	if ((verdict = n2p_neo4j_check_record(rec, &check)) != 0)
	{
		check.row_kind = rec->kind == N2P_REC_NODE ? "node" : "relationship";
		check.row_id = rec->id;
		if (rec->origin)
			n2p_error_set_file(&check, rec->origin);
		/* refused: before this row's batch is sent */
		if (verdict < 0 && s->o.skip_refused)
			return skip_record(s, rec, &check, err);
		if (verdict < 0)
			return (*err = check, false);
		notice(s, &check);
	}
	if (rec->kind == N2P_REC_NODE)
		for (i = 0; i < rec->props.u.map.n; i++)
			if (n2p_str_eq(rec->props.u.map.keys[i], N2P_NEO4J_TMP_ID))
			{
				err->row_kind = "node";
				err->row_id = rec->id;
				n2p_error_set_key(err, N2P_NEO4J_TMP_ID, strlen(N2P_NEO4J_TMP_ID));
				return n2p_error_set(err, N2P_ERR_DATA, "this key is neo2pg's own, for the import");
			}
	if (rec->kind != s->kind && !flush(s, err))
		return false;
	if (rec->kind == N2P_REC_REL && !s->indexed && !index_ends(s, err))
		return false;
	s->kind = rec->kind;
	s->ids[s->nrows] = rec->id;
	s->starts[s->nrows] = rec->start_id;
	s->ends[s->nrows] = rec->end_id;
	if (!encode(s, rec, err))
	{
		err->row_kind = rec->kind == N2P_REC_NODE ? "node" : "relationship";
		err->row_id = rec->id;
		return false;
	}
	if (++s->nrows == s->o.batch_rows || s->rows.len >= BATCH_BYTES)
		return flush(s, err);
	return true;
}

/* Room to note what recreate_constraints and recreate_schema make. */
static bool
alloc_created(Neo4jSink *s, N2pError *err)
{
	size_t		n = s->meta->nconstraints + s->meta->nschema + 1;

	if ((s->created = n2p_arena_alloc(&s->arena, n * sizeof(char *))) == NULL ||
		(s->created_index = n2p_arena_alloc(&s->arena, n * sizeof(bool))) == NULL)
		return nomem(err);
	return true;
}

/* The source's uniqueness constraints, those the target lacks. */
static bool
recreate_constraints(Neo4jSink *s, N2pError *err)
{
	char	  **have;
	size_t		nhave,
				i;

	if (s->meta->nconstraints == 0)
		return true;
	if (!names(s, CONSTRAINT_NAMES_Q, &have, &nhave, err))
		return false;
	for (i = 0; i < s->meta->nconstraints; i++)
	{
		const N2pConstraint *c = &s->meta->constraints[i];
		N2pBuf		q;
		bool		ok;

		/* another import's lock, read from a database being imported into */
		if ((c->name && c->name[0] && has_name(have, nhave, c->name)) ||
			(c->label && strcmp(c->label, N2P_NEO4J_LOCK_LABEL) == 0))
			continue;
		if (s->o.step)
			s->o.step(s->o.step_ctx, c->name && c->name[0] ? c->name : "constraint");
		n2p_buf_init(&q, s->alloc);
		n2p_buf_append(&q, "CREATE CONSTRAINT ", 18);
		if (c->name && c->name[0])
			put_quoted(&q, c->name);
		n2p_buf_append(&q, " FOR (n:", 8);
		put_quoted(&q, c->label);
		n2p_buf_append(&q, ") REQUIRE n.", 12);
		put_quoted(&q, c->prop);
		n2p_buf_append(&q, " IS UNIQUE", 10);
		ok = !q.oom && tx_simple(s, q.data, NULL, err);
		n2p_buf_free(&q);
		if (!ok)
		{
			size_t		len = strlen(err->msg);

			snprintf(err->msg + len, sizeof(err->msg) - len, " (creating the source's constraint %s)",
					 c->name ? c->name : "");
			return err->code != N2P_OK ? false : nomem(err);
		}
		if (c->name && c->name[0])
		{
			s->created[s->ncreated] = c->name;
			s->created_index[s->ncreated++] = false;
		}
	}
	return true;
}

/* A schema item not recreated, and why: a warning naming it. */
static bool
skip_item(Neo4jSink *s, const N2pSchemaItem *it, const char *why)
{
	N2pError	n;

	n2p_error_init(&n);
	n2p_error_set(&n, N2P_ERR_DATA, "warning: the source's %s %s (%s) is not recreated: %s",
				  it->kind, it->name, it->type, why);
	notice(s, &n);
	return true;
}

/* (n:`A`|`B`) or ()-[n:`A`|`B`]-(): what an index or constraint is for */
static void
put_pattern(N2pBuf *q, const N2pSchemaItem *it)
{
	bool		node = strcmp(it->entity, "NODE") == 0;
	size_t		i;

	n2p_buf_append(q, node ? " FOR (n:" : " FOR ()-[n:", node ? 8 : 11);
	for (i = 0; i < it->ntokens; i++)
	{
		if (i)
			n2p_buf_putc(q, '|');
		put_quoted(q, it->tokens[i]);
	}
	n2p_buf_append(q, node ? ")" : "]-()", node ? 1 : 4);
}

/* n.`a`, n.`b` */
static void
put_keys(N2pBuf *q, const N2pSchemaItem *it)
{
	size_t		i;

	for (i = 0; i < it->nprops; i++)
	{
		n2p_buf_append(q, i ? ", n." : "n.", i ? 4 : 2);
		put_quoted(q, it->props[i]);
	}
}

/*
 * The statement for a recorded index or constraint, built from its parts
 * (never from the recorded text, which holds the source's names as the
 * source wrote them); false with *why set when it is not recreated.
 */
static bool
schema_statement(const N2pSchemaItem *it, N2pBuf *q, const char **why)
{
	bool		unique = strcmp(it->type, "UNIQUENESS") == 0 ||
		strcmp(it->type, "NODE_PROPERTY_UNIQUENESS") == 0 ||
		strcmp(it->type, "RELATIONSHIP_UNIQUENESS") == 0 ||
		strcmp(it->type, "RELATIONSHIP_PROPERTY_UNIQUENESS") == 0;
	bool		fulltext = strcmp(it->type, "FULLTEXT") == 0;
	bool		index = strcmp(it->kind, "index") == 0;

	*why = NULL;
	if (it->entity == NULL)
		return (*why = "it was recorded without its labels and keys (by an older neo2pg)"), false;
	if (strcmp(it->entity, "NODE") != 0 && strcmp(it->entity, "RELATIONSHIP") != 0)
		return (*why = "it is for neither nodes nor relationships"), false;
	if (index && strcmp(it->type, "VECTOR") == 0)
		return (*why = "vector indexes carry options that are not recorded"), false;
	if (index && !fulltext && strcmp(it->type, "RANGE") != 0 && strcmp(it->type, "TEXT") != 0 &&
		strcmp(it->type, "POINT") != 0)
		return (*why = "neo2pg does not recreate indexes of this type"), false;
	if (!index && !unique)
		return (*why = "only Neo4j Enterprise has such constraints"), false;
	if (it->ntokens == 0 || it->nprops == 0 || (!fulltext && it->ntokens != 1))
		return (*why = "its labels or keys are not as Neo4j records such a one"), false;
	n2p_buf_append(q, "CREATE ", 7);
	if (index)
	{
		n2p_buf_append(q, it->type, strlen(it->type));
		n2p_buf_append(q, " INDEX ", 7);
	}
	else
		n2p_buf_append(q, "CONSTRAINT ", 11);
	put_quoted(q, it->name);
	put_pattern(q, it);
	n2p_buf_append(q, fulltext ? " ON EACH [" : index ? " ON (" : " REQUIRE (", fulltext ? 10 : index ? 5 : 10);
	put_keys(q, it);
	n2p_buf_append(q, fulltext ? "]" : ")", 1);
	if (!index)
		n2p_buf_append(q, " IS UNIQUE", 10);
	return true;
}

/*
 * The source's other indexes and constraints, those the target lacks.  A
 * single-key node uniqueness constraint is recreate_constraints' job.
 */
static bool
recreate_schema(Neo4jSink *s, N2pError *err)
{
	char	  **have,
			  **have_idx;
	size_t		nhave,
				nhave_idx,
				i;

	if (s->meta->nschema == 0)
		return true;
	if (!names(s, CONSTRAINT_NAMES_Q, &have, &nhave, err) ||
		!names(s, INDEX_NAMES_Q, &have_idx, &nhave_idx, err))
		return false;
	for (i = 0; i < s->meta->nschema; i++)
	{
		const N2pSchemaItem *it = &s->meta->schema[i];
		const char *why;
		N2pBuf		q;
		bool		ok;

		if (strcmp(it->type, "LOOKUP") == 0 || has_name(have, nhave, it->name) ||
			has_name(have_idx, nhave_idx, it->name) ||
			(strcmp(it->kind, "constraint") == 0 && it->entity && strcmp(it->entity, "NODE") == 0 &&
			 it->nprops == 1 && strstr(it->type, "UNIQUENESS") != NULL))
			continue;
		n2p_buf_init(&q, s->alloc);
		if (!schema_statement(it, &q, &why))
		{
			n2p_buf_free(&q);
			skip_item(s, it, why);
			continue;
		}
		if (s->o.step)
			s->o.step(s->o.step_ctx, it->name);
		ok = !q.oom && tx_simple(s, q.data, NULL, err);
		n2p_buf_free(&q);
		if (!ok)
		{
			size_t		len = strlen(err->msg);

			snprintf(err->msg + len, sizeof(err->msg) - len, " (creating the source's %s %s)",
					 it->kind, it->name);
			return err->code != N2P_OK ? false : nomem(err);
		}
		s->created[s->ncreated] = it->name;
		s->created_index[s->ncreated++] = strcmp(it->kind, "index") == 0;
	}
	return true;
}

static bool
neo4j_finish(N2pSink *sink, N2pError *err)
{
	Neo4jSink  *s = (Neo4jSink *) sink;
	char	   *finishing = build(s, FINISHING_Q, s->label);

	if (finishing == NULL)
		return nomem(err);
	if (!flush(s, err) || !alloc_created(s, err) || !recreate_constraints(s, err) ||
		!recreate_schema(s, err))
		return false;
	if (s->o.step)
		s->o.step(s->o.step_ctx, "removing the temporary label, ids and constraint");
	/* from here a rerun finishes this import instead of deleting it */
	if (!tx_simple(s, finishing, NULL, err))
		return false;
	s->finishing = true;
	return finish_cleanup(s, s->label, "neo4j-cleanup", err);
}

static void
neo4j_abort(N2pSink *sink)
{
	Neo4jSink  *s = (Neo4jSink *) sink;
	N2pError	err;
	size_t		i;
	bool		ok = true;

	/* with everything written, a rerun finishes the cleanup */
	if (!s->started || s->finishing)
	{
		s->rolled_back = !s->started;
		return;
	}
	/*
	 * No transaction is open: a FAILURE has ended it (RESET), and a lost
	 * connection ends everything (a ROLLBACK outside one would close it).
	 */
	n2p_error_init(&err);
	ok = delete_import(s, s->label, NULL, NULL, &err);
	for (i = 0; ok && i < s->ncreated; i++)
	{
		N2pBuf		q;

		n2p_buf_init(&q, s->alloc);
		if (s->created_index[i])
			n2p_buf_append(&q, "DROP INDEX ", 11);
		else
			n2p_buf_append(&q, "DROP CONSTRAINT ", 16);
		put_quoted(&q, s->created[i]);
		ok = !q.oom && tx_simple(s, q.data, NULL, &err);
		n2p_buf_free(&q);
	}
	s->rolled_back = ok;
}

static void
neo4j_close(N2pSink *sink)
{
	Neo4jSink  *s = (Neo4jSink *) sink;

	if (s == NULL)
		return;
	release_lock(s);
	n2p_buf_free(&s->rows);
	n2p_buf_free(&s->params);
	n2p_free(s->alloc, s->ids);
	n2p_free(s->alloc, s->starts);
	n2p_free(s->alloc, s->ends);
	n2p_free(s->alloc, s->skipped_ids);
	n2p_arena_destroy(&s->arena);
	n2p_free(s->alloc, s);
}

static const N2pSinkOps neo4j_ops = {neo4j_begin, neo4j_write, neo4j_finish, neo4j_abort, neo4j_close};

/* Only the names the tag makes are ever pasted: keep them plain. */
static bool
tag_ok(const char *tag)
{
	size_t		n = strlen(tag);

	if (n == 0 || n + strlen(N2P_NEO4J_TMP_PREFIX) >= LABEL_MAX)
		return false;
	for (; *tag; tag++)
		if (!((*tag >= 'a' && *tag <= 'z') || (*tag >= 'A' && *tag <= 'Z') ||
			  (*tag >= '0' && *tag <= '9') || *tag == '_'))
			return false;
	return true;
}

static bool
check_empty(Neo4jSink *s, N2pError *err)
{
	int64_t		n = 0;

	if (!tx_run(s, "r", COUNT_Q, NULL, NULL, &n, err))
		return false;
	if (n > 0)
		return n2p_error_set(err, N2P_ERR_DATA, "the target database is not empty (%lld nodes): "
							 "use --append to add to it", (long long) n);
	return true;
}

N2pSink *
n2p_neo4j_sink_open(const N2pAllocator *alloc, const N2pNeo4jSinkOptions *opts, N2pError *err)
{
	Neo4jSink  *s;
	size_t		batch = opts->batch_rows ? opts->batch_rows : DEFAULT_BATCH;

	if (!tag_ok(opts->tag))
		return (n2p_error_set(err, N2P_ERR_USAGE, "the import's tag must be short, of letters, "
							  "digits and _"), NULL);
	if ((s = n2p_alloc(alloc, sizeof(Neo4jSink))) == NULL)
		return (nomem(err), NULL);
	memset(s, 0, sizeof(*s));
	s->base.ops = &neo4j_ops;
	s->alloc = alloc;
	s->o = *opts;
	s->o.batch_rows = batch;
	snprintf(s->label, sizeof(s->label), "%s%s", N2P_NEO4J_TMP_PREFIX, opts->tag);
	n2p_arena_init(&s->arena, alloc, 0);
	n2p_buf_init(&s->rows, alloc);
	n2p_buf_init(&s->params, alloc);
	s->ids = n2p_alloc(alloc, batch * sizeof(int64_t));
	s->starts = n2p_alloc(alloc, batch * sizeof(int64_t));
	s->ends = n2p_alloc(alloc, batch * sizeof(int64_t));
	s->nodes_q = build(s, NODES_Q, s->label);
	s->rels_q = build(s, RELS_Q, s->label);
	if (s->ids == NULL || s->starts == NULL || s->ends == NULL || s->nodes_q == NULL ||
		s->rels_q == NULL)
	{
		neo4j_close(&s->base);
		return (nomem(err), NULL);
	}
	if (!take_lock(s, err) || !recover(s, err) ||
		(!s->previous_done && !opts->append && !check_empty(s, err)))
	{
		if (err->file[0] == '\0' && opts->display)
			n2p_error_set_file(err, opts->display);
		neo4j_close(&s->base);
		return NULL;
	}
	return &s->base;
}

bool
n2p_neo4j_sink_rolled_back(N2pSink *sink)
{
	return ((Neo4jSink *) sink)->rolled_back;
}

bool
n2p_neo4j_sink_finishing(N2pSink *sink)
{
	return ((Neo4jSink *) sink)->finishing;
}

bool
n2p_neo4j_sink_previous_done(N2pSink *sink)
{
	return ((Neo4jSink *) sink)->previous_done;
}

void
n2p_neo4j_sink_counts(N2pSink *sink, uint64_t *nodes, uint64_t *rels)
{
	*nodes = ((Neo4jSink *) sink)->nodes;
	*rels = ((Neo4jSink *) sink)->rels;
}

void
n2p_neo4j_sink_skipped(N2pSink *sink, uint64_t *nodes, uint64_t *rels)
{
	*nodes = ((Neo4jSink *) sink)->skipped_nodes;
	*rels = ((Neo4jSink *) sink)->skipped_rels;
}
