/*-------------------------------------------------------------------------
 *
 * pg_typed_tables.c
 *	  --typed=tables: the typed views' names and columns as tables, filled
 *	  by COPY from the records spilled during the base load.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/cli/pg_typed_tables.c
 *
 *-------------------------------------------------------------------------
 */
#include "pg_typed.h"
#include "pg_typed_plan.h"
#include "pg_util.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* --------------------------------------------------------- typed tables */

/*
 * One connection runs one COPY at a time, and the load must stay one
 * transaction.  So each label and type with a spill file of its own is
 * streamed with its own COPY, in 64 kB pieces as the base tables are, so
 * that encoding overlaps the server's work.  The scopes past
 * MAX_DEDICATED_SPILLS share one file, whose rows are gathered per table
 * in memory and sent with one COPY per table whenever the buffers pass
 * TABLE_FLUSH_BYTES together.
 */
#define TABLE_FLUSH_BYTES (8 * 1024 * 1024)
#define MAX_DEDICATED_SPILLS 128
#define COPY_WHAT "COPY into typed table"
#define SPILL_SLOTS 256			/* a power of two; filled at most half */

typedef struct SpillEntry
{
	N2pRecKind	kind;
	char	   *name;			/* NULL: free slot */
	N2pSpill   *spill;			/* NULL: this scope goes to the shared file */
} SpillEntry;

struct TypedSpills
{
	SpillEntry	slots[SPILL_SLOTS];
	SpillEntry	overflow;		/* every scope past the table's half */
	size_t		nscopes;
	size_t		ndedicated;
	N2pSpill   *shared;
};

TypedSpills *
typed_spills_new(N2pError *err)
{
	(void) err;
	return xcalloc(1, sizeof(TypedSpills));
}

/* The scope's slot; created on first sight, with a file while there is room. */
static SpillEntry *
spill_entry(TypedSpills *ts, N2pRecKind kind, N2pStr name, N2pError *err)
{
	uint64_t	h = n2p_fnv1a(N2P_FNV1A_BASIS ^ (uint64_t) kind, name.ptr, name.len);
	SpillEntry *e;

	for (;; h++)
	{
		e = &ts->slots[h & (SPILL_SLOTS - 1)];
		if (e->name == NULL)
			break;
		if (e->kind == kind && strlen(e->name) == name.len &&
			memcmp(e->name, name.ptr, name.len) == 0)
			return e;
	}
	/* the table stops filling at half, so probing always ends */
	if (ts->nscopes >= SPILL_SLOTS / 2)
		return &ts->overflow;
	e->kind = kind;
	e->name = xstrndup(name.ptr, name.len);
	ts->nscopes++;
	if (ts->ndedicated < MAX_DEDICATED_SPILLS)
	{
		if ((e->spill = n2p_spill_new(&n2p_libc_allocator, &n2p_posix_io, err)) == NULL)
			return NULL;
		ts->ndedicated++;
	}
	return e;
}

bool
typed_spills_write(TypedSpills *ts, const N2pRecord *rec, N2pError *err)
{
	size_t		i,
				n = rec->kind == N2P_REC_NODE ? rec->nlabels : 1;
	bool		to_shared = false;

	for (i = 0; i < n; i++)
	{
		SpillEntry *e = spill_entry(ts, rec->kind,
									rec->kind == N2P_REC_NODE ? rec->labels[i] : rec->type, err);

		if (e == NULL)
			return false;
		if (e->spill == NULL)
			to_shared = true;
		else if (!n2p_spill_write(e->spill, rec, err))
			return false;
	}
	if (!to_shared)
		return true;
	if (ts->shared == NULL && (ts->shared = n2p_spill_new(&n2p_libc_allocator, &n2p_posix_io, err)) == NULL)
		return false;
	return n2p_spill_write(ts->shared, rec, err);
}

void
typed_spills_free(TypedSpills *ts)
{
	size_t		i;

	if (ts == NULL)
		return;
	for (i = 0; i < SPILL_SLOTS; i++)
	{
		free(ts->slots[i].name);
		n2p_spill_free(ts->slots[i].spill);
	}
	n2p_spill_free(ts->shared);
	free(ts);
}

/*
 * Every property of every row is looked up among its table's columns: a
 * hash per table instead of a binary search of strcmp's (a profile of the
 * fill put the search at a tenth of the client's time).
 */
typedef struct KeyIndex
{
	size_t		mask;
	uint32_t   *slot;			/* key index + 1; 0 when free */
	size_t	   *len;			/* each key's length */
} KeyIndex;

typedef struct TableFill
{
	PGconn	   *conn;
	const TypedTarget *t;
	N2pPgPlan	   *plan;
	N2pBuf	   *bufs;			/* one per scope */
	size_t		total;
	const N2pValue **vals;		/* scratch: the record's value per column */
	N2pBuf		extra;			/* scratch: values no column could hold */
	N2pBuf		scratch;
	N2pTypedEncoder enc;
	TypedTablesJob *job;
	bool		staged;			/* on the staging connection: commit per table */
	N2pPgEncodeOpts enc_opts;	/* this side's own */
	double		fill_secs;
	double		keys_secs;
	KeyIndex   *kidx;			/* one per scope */
	N2pBuf		header;			/* binary COPY's signature and trailer */
	N2pBuf		trailer;
} TableFill;

static int
scope_cmp(N2pRecKind kind, const char *scope, size_t len, const N2pPgScopePlan *sp)
{
	if (kind != sp->kind)
		return kind < sp->kind ? -1 : 1;
	return n2p_counted_cmp(scope, len, sp->scope, sp->scope_len);
}

static N2pPgScopePlan *
find_scope(N2pPgPlan *p, N2pRecKind kind, N2pStr name)
{
	size_t		lo = 0,
				hi = p->nscopes;

	while (lo < hi)
	{
		size_t		mid = (lo + hi) / 2;
		int			c = scope_cmp(kind, name.ptr, name.len, &p->scopes[mid]);

		if (c == 0)
			return &p->scopes[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static uint64_t
key_hash(const char *p, size_t n)
{
	return n2p_fnv1a(N2P_FNV1A_BASIS, p, n);
}

static void
key_index_build(KeyIndex *ki, const N2pPgScopePlan *sp)
{
	size_t		cap = 8,
				k;

	while (cap < 2 * sp->nkeys)
		cap *= 2;
	ki->mask = cap - 1;
	ki->slot = xcalloc(cap, sizeof(uint32_t));
	ki->len = xcalloc(sp->nkeys ? sp->nkeys : 1, sizeof(size_t));
	for (k = 0; k < sp->nkeys; k++)
	{
		size_t		i;

		ki->len[k] = sp->keys[k].key_len;
		i = key_hash(sp->keys[k].key, ki->len[k]) & ki->mask;
		while (ki->slot[i])
			i = (i + 1) & ki->mask;
		ki->slot[i] = (uint32_t) k + 1;
	}
}

static void
key_index_free(KeyIndex *ki)
{
	free(ki->slot);
	free(ki->len);
}

static long
find_key(const KeyIndex *ki, const N2pPgScopePlan *sp, N2pStr key)
{
	size_t		i = key_hash(key.ptr, key.len) & ki->mask;

	for (; ki->slot[i]; i = (i + 1) & ki->mask)
	{
		size_t		k = ki->slot[i] - 1;

		if (ki->len[k] == key.len && memcmp(sp->keys[k].key, key.ptr, key.len) == 0)
			return (long) k;
	}
	return -1;
}

static bool load_stopped(TypedTablesJob *job);
static bool copy_begin(TableFill *f, const N2pPgScopePlan *sp, N2pError *err);
static bool copy_end(TableFill *f, const char *abort_reason, N2pError *err);

static bool
flush_tables(TableFill *f, N2pError *err)
{
	size_t		i;

	for (i = 0; i < f->plan->nscopes; i++)
	{
		N2pBuf	   *b = &f->bufs[i];
		bool		sent;

		if (b->len == 0)
			continue;
		if (!copy_begin(f, &f->plan->scopes[i], err))
			return false;
		sent = pg_copy_put(f->conn, f->header.data, f->header.len, COPY_WHAT, err) &&
			pg_copy_send(f->conn, b, COPY_WHAT, err) &&
			pg_copy_put(f->conn, f->trailer.data, f->trailer.len, COPY_WHAT, err);
		if (!sent)
			return copy_end(f, "neo2pg: send failed", err);
		if (!copy_end(f, NULL, err))
			return false;
	}
	f->total = 0;
	return true;
}

/* One more member of the row's props: the value, exactly, as in nodes.props. */
static bool
extra_value(TableFill *f, size_t nth, const char *key, size_t len, const N2pValue *v, N2pError *err)
{
	const char *mark;

	return n2p_buf_append(&f->extra, nth ? ", " : "{", nth ? 2 : 1) &&
		n2p_json_append_string(&f->extra, key, len, &f->enc_opts, err) &&
		n2p_buf_append(&f->extra, ": ", 2) &&
		n2p_pg_value_json(&f->extra, v, &mark, &f->enc_opts, err);
}

/* One row of one typed table: fixed columns, property columns, props. */
static bool
put_row(TableFill *f, N2pBuf *b, const N2pPgScopePlan *sp, const N2pRecord *rec, N2pError *err)
{
	bool		node = rec->kind == N2P_REC_NODE;
	size_t		i,
				nextra = 0;
	bool		ok = n2p_copy_tuple(b, (int16_t) ((node ? 2 : 3) + sp->nkeys + 1)) &&
		n2p_copy_int8(b, rec->id);

	ok = ok && (node ? n2p_copy_text_array(b, rec->labels, rec->nlabels, err) :
				n2p_copy_int8(b, rec->start_id) && n2p_copy_int8(b, rec->end_id));
	for (i = 0; i < sp->nkeys; i++)
		f->vals[i] = NULL;
	n2p_buf_reset(&f->extra);
	for (i = 0; ok && i < rec->props.u.map.n; i++)
	{
		const N2pStr *key = &rec->props.u.map.keys[i];
		long		k = find_key(&f->kidx[sp - f->plan->scopes], sp, *key);

		if (k >= 0)
		{
			f->vals[k] = &rec->props.u.map.vals[i];
			continue;
		}
		/* a key past PostgreSQL's limits on columns: props holds it */
		ok = extra_value(f, nextra++, key->ptr, key->len, &rec->props.u.map.vals[i], err);
	}
	for (i = 0; ok && i < sp->nkeys; i++)
	{
		bool		lost = false;
		size_t		run;

		for (run = 0; i + run < sp->nkeys && f->vals[i + run] == NULL; run++)
			;
		if (run > 0)
		{
			ok = n2p_copy_nulls(b, run);
			i += run - 1;
			continue;
		}
		if (!n2p_copy_binary_typed(&f->enc, b, f->vals[i], sp->keys[i].type, &lost, err))
			return false;
		if (!lost)
			continue;
		/* keep what the column could not hold, exactly, in props */
		ok = extra_value(f, nextra++, sp->keys[i].key, sp->keys[i].key_len, f->vals[i], err);
	}
	if (ok && nextra)
		ok = n2p_buf_putc(&f->extra, '}') && n2p_copy_jsonb(b, f->extra.data, f->extra.len);
	else if (ok)
		ok = n2p_copy_null(b);
	return ok || (err->code ? false : n2p_error_set(err, N2P_ERR_NOMEM, "out of memory"));
}

static bool
route_record(TableFill *f, const N2pRecord *rec, N2pError *err)
{
	size_t		i,
				n = rec->kind == N2P_REC_NODE ? rec->nlabels : 1;

	for (i = 0; i < n; i++)
	{
		N2pPgScopePlan  *sp = find_scope(f->plan, rec->kind,
									rec->kind == N2P_REC_NODE ? rec->labels[i] : rec->type);
		N2pBuf	   *b;
		size_t		before;

		if (sp == NULL || sp->dedicated)
			continue;
		b = &f->bufs[sp - f->plan->scopes];
		before = b->len;
		if (!put_row(f, b, sp, rec, err))
		{
			err->row_id = rec->id;
			err->row_kind = rec->kind == N2P_REC_NODE ? "node" : "relationship";
			return false;
		}
		f->total += b->len - before;
	}
	return f->total < TABLE_FLUSH_BYTES || flush_tables(f, err);
}

static bool
copy_begin(TableFill *f, const N2pPgScopePlan *sp, N2pError *err)
{
	return n2p_pg_table_copy_sql(&f->scratch, sp, &f->t->pg, err) &&
		pg_copy_begin(f->conn, f->scratch.data, COPY_WHAT, err);
}

static bool
copy_end(TableFill *f, const char *abort_reason, N2pError *err)
{
	return pg_copy_finish(f->conn, abort_reason, COPY_WHAT, err);
}

/* One table from its own spill file, encoding while the server parses. */
static bool
stream_table(TableFill *f, N2pPgScopePlan *sp, N2pSpill *spill, N2pError *err)
{
	N2pBuf	   *b = &f->bufs[sp - f->plan->scopes];
	N2pRecord	rec;
	int			rc = 0;
	bool		ok;

	if (!n2p_spill_rewind(spill, err) || !copy_begin(f, sp, err))
		return false;
	n2p_buf_reset(b);
	if (!n2p_buf_append(b, f->header.data, f->header.len))
		return copy_end(f, "neo2pg: out of memory", err) ||
			n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	while ((rc = n2p_spill_read(spill, &rec, err)) == 1)
	{
		if (!put_row(f, b, sp, &rec, err))
		{
			err->row_id = rec.id;
			err->row_kind = rec.kind == N2P_REC_NODE ? "node" : "relationship";
			break;
		}
		if (b->len >= PG_COPY_PIECE_BYTES && load_stopped(f->job))
		{
			n2p_error_set(err, N2P_ERR_IO, "typed tables: the load was stopped");
			break;
		}
		if (!pg_copy_piece(f->conn, b, COPY_WHAT, err))
			break;
	}
	ok = rc == 0 && err->code == N2P_OK &&
		(n2p_buf_append(b, f->trailer.data, f->trailer.len) ||
		 n2p_error_set(err, N2P_ERR_NOMEM, "out of memory")) &&
		pg_copy_send(f->conn, b, COPY_WHAT, err);
	n2p_buf_reset(b);
	return copy_end(f, ok ? NULL : "neo2pg: typed table aborted", err) && ok;
}

/* Run one statement of the plan's, built in a buffer of its own. */
typedef bool (*PlanSql) (N2pBuf *b, const N2pPgScopePlan *sp, const N2pPgTarget *t, N2pError *err);

static bool
run_plan_sql(PGconn *conn, PlanSql make, const TypedTarget *t, const N2pPgScopePlan *sp,
			 N2pError *err)
{
	N2pBuf		b;
	bool		ok;

	n2p_buf_init(&b, &n2p_libc_allocator);
	ok = make(&b, sp, &t->pg, err) && pg_exec_one(conn, b.data, err);
	n2p_buf_free(&b);
	return ok;
}

/* Primary key and UNIQUE constraints, under the names the plan chose. */
static bool
table_keys(PGconn *conn, const TypedTarget *t, const N2pPgScopePlan *sp, N2pError *err)
{
	return run_plan_sql(conn, n2p_pg_table_keys_sql, t, sp, err);
}

/* Foreign keys need nodes, so they are added in the load's transaction. */
static bool
table_foreign_keys(PGconn *conn, const TypedTarget *t, const N2pPgScopePlan *sp, N2pError *err)
{
	return sp->kind != N2P_REC_REL || run_plan_sql(conn, n2p_pg_table_fkeys_sql, t, sp, err);
}

/*
 * --skip-dangling removed relationships from the base table after they were
 * spilled: remove them from the typed table too, before its foreign keys.
 */
static bool
prune_table(PGconn *conn, const TypedTarget *t, const N2pPgScopePlan *sp, N2pError *err)
{
	return sp->kind != N2P_REC_REL || run_plan_sql(conn, n2p_pg_table_prune_sql, t, sp, err);
}

/* ---------------------------------------------------------- the job */

/*
 * The typed tables are filled by a second connection while the first
 * builds the base tables' keys and indexes: those are server work on one
 * backend, and a second backend has a processor to use meanwhile.
 *
 * A connection is a transaction, so the second one works in a staging
 * schema of its own, neo2pg_staging_<its backend pid>.  It commits the
 * empty schema first (with the point type), then each table with its keys
 * in a transaction of its own.  The load's transaction moves each
 * committed table into the target schema and adds its foreign keys, then
 * drops the staging schema: the tables appear with the load or not at all.
 *
 * The tables wait in one queue, relationship tables first.  The second
 * connection takes from the front; the load's own connection, once its
 * base keys are built, takes from the back and builds tables directly in
 * the target schema, so that neither side idles while the other finishes.
 *
 * A failed load drops the staging schema; one left by a killed neo2pg is
 * dropped by the next load that sees its backend gone.  Without a second
 * connection, or without the right to create a schema, the load's
 * connection takes every table itself.
 */
typedef struct Unit
{
	N2pPgScopePlan  *sp;				/* NULL: every scope of the shared file */
	N2pSpill   *spill;
} Unit;

struct TypedTablesJob
{
	TypedTarget t;				/* the target */
	TypedTarget st;				/* the staging schema */
	char	   *postgis;
	char		staging[N2P_PG_NAMEDATALEN];
	N2pBuf		qstaging;		/* its name, quoted */
	N2pPgPlan		plan;
	TypedSpills *spills;
	PGconn	   *conn2;
	PGcancel   *cancel;
	pthread_t	thread;
	bool		running;		/* the thread was started and not joined */
	bool		schema_made;	/* the staging schema is committed */
	bool		fallback;		/* no staging schema */
	char		why[sizeof(((N2pError *) 0)->msg)];	/* why not */
	char		warning[1024];	/* from the thread, printed once it is joined */
	atomic_bool stop;
	N2pError	err;			/* the thread's */
	double		secs[2][2];		/* [thread, load][fill, keys] */
	size_t		units_by[2];

	/* guarded by lock */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	Unit	   *units;
	size_t		head;			/* the thread takes units[head++] */
	size_t		tail;			/* the load takes units[--tail] */
	size_t	   *ready;			/* scopes committed in staging, in order */
	size_t		nready;
	size_t		adopted;		/* ready[0 .. adopted) are the load's now */
	bool		done;			/* the thread will commit nothing more */
	bool		failed;
};

/* Set when the load failed while the tables fill: stop at the next piece. */
static bool
load_stopped(TypedTablesJob *job)
{
	return atomic_load(&job->stop);
}

static void
publish(TypedTablesJob *job, const N2pPgScopePlan *const *scopes, size_t n, bool done, bool failed)
{
	size_t		i;

	pthread_mutex_lock(&job->lock);
	for (i = 0; i < n; i++)
		job->ready[job->nready++] = (size_t) (scopes[i] - job->plan.scopes);
	job->done |= done;
	job->failed |= failed;
	pthread_cond_signal(&job->cond);
	pthread_mutex_unlock(&job->lock);
}

/* The next unit for the thread (front) or the load (back); false: none. */
static bool
take_unit(TypedTablesJob *job, bool front, Unit *out)
{
	bool		got;

	pthread_mutex_lock(&job->lock);
	got = job->head < job->tail;
	if (got)
		*out = front ? job->units[job->head++] : job->units[--job->tail];
	pthread_mutex_unlock(&job->lock);
	return got;
}

/* In the staging connection every table is a transaction of its own. */
static bool
unit_begin(TableFill *f, N2pError *err)
{
	if (load_stopped(f->job))
		return n2p_error_set(err, N2P_ERR_IO, "typed tables: the load was stopped");
	return !f->staged ||
		(pg_exec_one(f->conn, "BEGIN", err) &&
		 pg_exec_one(f->conn, "SET LOCAL maintenance_work_mem = '256MB'", err));
}

static bool
unit_commit(TableFill *f, const N2pPgScopePlan *const *scopes, size_t n, N2pError *err)
{
	if (!f->staged)
		return true;
	if (!pg_commit(f->conn, "COMMIT of a typed table", err))
		return false;
	publish(f->job, scopes, n, false, false);
	return true;
}

static bool
create_table(TableFill *f, const N2pPgScopePlan *sp, N2pError *err)
{
	return n2p_pg_table_sql(&f->scratch, sp, &f->t->pg, err) &&
		pg_exec_one(f->conn, f->scratch.data, err);
}

static bool
keys_timed(TableFill *f, const N2pPgScopePlan *sp, N2pError *err)
{
	double		t0 = now_seconds();
	bool		ok = table_keys(f->conn, f->t, sp, err);

	f->keys_secs += now_seconds() - t0;
	return ok;
}

/* A table with a spill file of its own: create, stream, key, commit. */
static bool
fill_dedicated(TableFill *f, N2pPgScopePlan *sp, N2pSpill *spill, N2pError *err)
{
	const N2pPgScopePlan *one[1] = {sp};

	return unit_begin(f, err) && create_table(f, sp, err) && stream_table(f, sp, spill, err) &&
		keys_timed(f, sp, err) && unit_commit(f, one, 1, err);
}

/* The scopes past MAX_DEDICATED_SPILLS, from the shared file: one unit. */
static bool
fill_shared(TableFill *f, TypedSpills *ts, N2pError *err)
{
	const N2pPgScopePlan **rest = xcalloc(f->plan->nscopes ? f->plan->nscopes : 1, sizeof(N2pPgScopePlan *));
	size_t		i,
				n = 0;
	N2pRecord	rec;
	int			rc = 0;
	bool		ok;

	for (i = 0; i < f->plan->nscopes; i++)
		if (!f->plan->scopes[i].dedicated)
			rest[n++] = &f->plan->scopes[i];
	ok = unit_begin(f, err);
	for (i = 0; ok && i < n; i++)
		ok = create_table(f, rest[i], err);
	if (ok && ts->shared)
	{
		ok = n2p_spill_rewind(ts->shared, err);
		while (ok && (rc = n2p_spill_read(ts->shared, &rec, err)) == 1)
			ok = route_record(f, &rec, err);
		ok = ok && rc == 0 && flush_tables(f, err);
	}
	for (i = 0; ok && i < n; i++)
		ok = keys_timed(f, rest[i], err);
	ok = ok && unit_commit(f, rest, n, err);
	free(rest);
	return ok;
}

static bool
fill_unit(TableFill *f, const Unit *u, N2pError *err)
{
	double		t0 = now_seconds(),
				k0 = f->keys_secs;
	bool		ok = u->sp ? fill_dedicated(f, u->sp, u->spill, err) :
		fill_shared(f, f->job->spills, err);

	f->fill_secs += now_seconds() - t0 - (f->keys_secs - k0);
	return ok;
}

/*
 * Relationship tables first: the load's transaction adds their foreign
 * keys.  Then the largest first, so that what is left at the end, when
 * one side may already wait for the other, is small.
 */
static int
unit_order(const void *a, const void *b)
{
	const Unit *x = a;
	const Unit *y = b;
	uint64_t	bx = n2p_spill_bytes(x->spill),
				by = n2p_spill_bytes(y->spill);

	if (x->sp->kind != y->sp->kind)
		return x->sp->kind == N2P_REC_REL ? -1 : 1;
	return bx > by ? -1 : bx < by ? 1 : 0;
}

/*
 * One unit per table with a spill file of its own, then one for the
 * tables of the shared file (if any).
 */
static void
plan_units(TypedTablesJob *job)
{
	TypedSpills *ts = job->spills;
	size_t		i,
				n = 0;
	bool		shared = false;

	job->units = xcalloc(job->plan.nscopes + 1, sizeof(Unit));
	for (i = 0; i < SPILL_SLOTS; i++)
	{
		SpillEntry *e = &ts->slots[i];
		N2pPgScopePlan  *sp;

		if (e->spill == NULL)
			continue;
		sp = find_scope(&job->plan, e->kind, (N2pStr) {e->name, strlen(e->name)});
		if (sp == NULL)
			continue;			/* unlabeled, or no typed table */
		sp->dedicated = true;
		job->units[n++] = (Unit) {sp, e->spill};
	}
	qsort(job->units, n, sizeof(Unit), unit_order);
	for (i = 0; i < job->plan.nscopes; i++)
		shared |= !job->plan.scopes[i].dedicated;
	if (shared)
		job->units[n++] = (Unit) {NULL, NULL};
	job->head = 0;
	job->tail = n;
}

static bool
create_point_type(PGconn *conn, const TypedTarget *t, N2pError *err)
{
	N2pBuf		b;
	bool		ok;

	if (t->pg.postgis_schema)
		return true;
	n2p_buf_init(&b, &n2p_libc_allocator);
	ok = n2p_pg_point_type_sql(&b, &t->pg, err) && pg_exec_one(conn, b.data, err);
	n2p_buf_free(&b);
	return ok;
}

/* Binary arrays of points name their element type by OID. */
static bool
point_oids(PGconn *conn, const TypedTarget *t, N2pTypedEncoder *enc, N2pError *err)
{
	char		type[300];
	const char *params[1] = {type};
	PGresult   *res;
	bool		ok;

	if (t->pg.postgis_schema)
		snprintf(type, sizeof(type), "%s.geometry", t->pg.postgis_schema);
	else
		snprintf(type, sizeof(type), "%s", t->pg.point_type);
	res = PQexecParams(conn, "SELECT coalesce(to_regtype($1)::oid, 0)", 1, NULL, params, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
	if (!ok)
		pg_error(conn, err, "PostgreSQL", res);
	else if (t->pg.postgis_schema)
		enc->geometry_oid = (uint32_t) strtoul(PQgetvalue(res, 0, 0), NULL, 10);
	else
		enc->point_oid = (uint32_t) strtoul(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return ok;
}

/*
 * One side's state for filling tables into the schema of dest, whose
 * point type exists.  staged: the staging connection, committing table by
 * table.  Each side has its own: the two run at once.
 */
static bool
fill_init(TableFill *f, TypedTablesJob *job, PGconn *conn, const TypedTarget *dest,
		  bool staged, N2pError *err)
{
	size_t		i,
				maxkeys = 1;

	memset(f, 0, sizeof(*f));
	f->conn = conn;
	f->t = dest;
	f->plan = &job->plan;
	f->job = job;
	f->staged = staged;
	/* values are re-encoded here: their U+0000 were counted once already */
	f->enc_opts = *dest->enc;
	f->bufs = xcalloc(job->plan.nscopes ? job->plan.nscopes : 1, sizeof(N2pBuf));
	f->kidx = xcalloc(job->plan.nscopes ? job->plan.nscopes : 1, sizeof(KeyIndex));
	for (i = 0; i < job->plan.nscopes; i++)
	{
		n2p_buf_init(&f->bufs[i], &n2p_libc_allocator);
		key_index_build(&f->kidx[i], &job->plan.scopes[i]);
		if (job->plan.scopes[i].nkeys > maxkeys)
			maxkeys = job->plan.scopes[i].nkeys;
	}
	f->vals = xcalloc(maxkeys, sizeof(N2pValue *));
	n2p_buf_init(&f->extra, &n2p_libc_allocator);
	n2p_buf_init(&f->scratch, &n2p_libc_allocator);
	n2p_buf_init(&f->header, &n2p_libc_allocator);
	n2p_buf_init(&f->trailer, &n2p_libc_allocator);
	if (!n2p_copy_header(&f->header) || !n2p_copy_trailer(&f->trailer))
		exit_out_of_memory();
	n2p_typed_encoder_init(&f->enc, &n2p_libc_allocator, dest->pg.postgis_schema != NULL, &f->enc_opts);
	return point_oids(conn, dest, &f->enc, err);
}

static void
fill_free(TableFill *f)
{
	size_t		i;

	for (i = 0; f->bufs && i < f->plan->nscopes; i++)
	{
		n2p_buf_free(&f->bufs[i]);
		key_index_free(&f->kidx[i]);
	}
	free(f->bufs);
	free(f->kidx);
	free(f->vals);
	n2p_buf_free(&f->extra);
	n2p_buf_free(&f->scratch);
	n2p_buf_free(&f->header);
	n2p_buf_free(&f->trailer);
	n2p_typed_encoder_free(&f->enc);
}

/*
 * Staging schemas whose backend is gone were left by a neo2pg that was
 * killed after the second connection committed.  Only our own (a user's
 * schema may match the name; it will not carry the comment), and only
 * best effort: this is tidying, not part of the load.  One that another
 * session holds a lock in (someone looking at it) is not waited for beyond
 * STAGING_LOCK_WAIT: it is left, with a warning naming that session, for a
 * later load.
 */
#define STAGING_COMMENT "neo2pg: typed tables being built by a load; dropped when it ends"
#define STAGING_LOCK_WAIT "1s"
static void
drop_one_abandoned(TypedTablesJob *job, PGconn *conn, const char *name, const char *drop)
{
	const char *params[1] = {name};
	PGresult   *res;
	const char *state;
	bool		dropped,
				locked;
	size_t		used = strlen(job->warning);

	PQclear(PQexec(conn, "BEGIN"));
	PQclear(PQexec(conn, "SET LOCAL lock_timeout = '" STAGING_LOCK_WAIT "'"));
	res = PQexec(conn, drop);
	state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	dropped = PQresultStatus(res) == PGRES_COMMAND_OK;
	locked = state && strcmp(state, "55P03") == 0;
	PQclear(res);
	PQclear(PQexec(conn, dropped ? "COMMIT" : "ROLLBACK"));
	if (!locked || used >= sizeof(job->warning) - 1)
		return;
	res = PQexecParams(conn, "SELECT coalesce(string_agg(DISTINCT l.pid::text, ', '), '?') "
					   "FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
					   "WHERE c.relnamespace = to_regnamespace($1) AND l.granted "
					   "AND l.pid <> pg_backend_pid()", 1, NULL, params, NULL, NULL, 0);
	snprintf(job->warning + used, sizeof(job->warning) - used,
			 "%sthe staging schema \"%s\" a killed neo2pg left is locked by another session "
			 "(backend pid %s): not dropped after waiting " STAGING_LOCK_WAIT ", left for a later load",
			 used ? "; " : "", name,
			 PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "?");
	PQclear(res);
}

static void
drop_abandoned_staging(TypedTablesJob *job, PGconn *conn)
{
	PGresult   *res = PQexec(conn,
							 "SELECT nspname, format('DROP SCHEMA %I CASCADE', nspname) FROM pg_namespace "
							 "WHERE nspname ~ '^neo2pg_staging_[0-9]{1,9}$' "
							 "AND obj_description(oid, 'pg_namespace') = '" STAGING_COMMENT "' "
							 "AND pg_has_role(nspowner, 'USAGE') "
							 "AND substr(nspname, 16)::int NOT IN "
							 "(SELECT pid FROM pg_stat_activity WHERE pid IS NOT NULL)");
	int			i;

	for (i = 0; PQresultStatus(res) == PGRES_TUPLES_OK && i < PQntuples(res); i++)
		drop_one_abandoned(job, conn, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1));
	PQclear(res);
}

/*
 * Commit the staging schema and its point type.  False (with why) means:
 * build in the load's transaction instead.
 */
static bool
open_staging(TypedTablesJob *job)
{
	PGconn	   *c = job->conn2;
	N2pError	e;
	char		sql[200],
				comment[300];

	n2p_error_init(&e);
	snprintf(job->staging, sizeof(job->staging), "neo2pg_staging_%d", PQbackendPID(c));
	n2p_buf_init(&job->qstaging, &n2p_libc_allocator);
	if (!n2p_pg_quote_ident(&job->qstaging, job->staging, strlen(job->staging), &e))
	{
		snprintf(job->why, sizeof(job->why), "%s", e.msg);
		return false;
	}
	job->st = job->t;
	job->st.pg.qschema = job->qstaging.data;
	job->st.schema = job->staging;
	snprintf(job->st.pg.point_type, sizeof(job->st.pg.point_type), "%s.neo4j_point", job->qstaging.data);
	snprintf(sql, sizeof(sql), "CREATE SCHEMA %s", job->qstaging.data);
	snprintf(comment, sizeof(comment), "COMMENT ON SCHEMA %s IS '" STAGING_COMMENT "'", job->qstaging.data);
	if (pg_exec_one(c, "SET synchronous_commit = off", &e) && pg_exec_one(c, "BEGIN", &e) &&
		pg_exec_one(c, sql, &e) && pg_exec_one(c, comment, &e) &&
		create_point_type(c, &job->st, &e) &&
		pg_commit(c, "COMMIT of the staging schema", &e))
		return true;
	snprintf(job->why, sizeof(job->why), "%s", e.msg);
	PQclear(PQexec(c, "ROLLBACK"));
	return false;
}

/* The thread's error says which connection failed (a signal's needs not). */
static void
name_connection(TypedTablesJob *job)
{
	char		prefix[N2P_PG_NAMEDATALEN + 64];
	char	   *msg = job->err.msg;
	size_t		plen,
				len = strlen(msg);

	if (interrupt_signal() != 0)
		return;
	plen = (size_t) snprintf(prefix, sizeof(prefix), "the typed tables' second connection (%s): ",
							 job->staging);
	if (plen >= sizeof(prefix) || plen >= sizeof(job->err.msg))
		return;
	if (len > sizeof(job->err.msg) - 1 - plen)
		len = sizeof(job->err.msg) - 1 - plen;
	memmove(msg + plen, msg, len);
	memcpy(msg, prefix, plen);
	msg[plen + len] = '\0';
}

static void *
staging_main(void *arg)
{
	TypedTablesJob *job = arg;
	PGconn	   *c = job->conn2;
	TableFill	f;
	Unit		u;
	bool		ok;

	drop_abandoned_staging(job, c);
	if (!open_staging(job))
	{
		job->fallback = true;
		publish(job, NULL, 0, true, false);
		return NULL;
	}
	pthread_mutex_lock(&job->lock);
	job->schema_made = true;
	pthread_cond_signal(&job->cond);
	pthread_mutex_unlock(&job->lock);
	test_point("staging");
	ok = fill_init(&f, job, c, &job->st, true, &job->err);
	while (ok && take_unit(job, true, &u))
	{
		ok = fill_unit(&f, &u, &job->err);
		job->units_by[0]++;
	}
	job->secs[0][0] = f.fill_secs;
	job->secs[0][1] = f.keys_secs;
	fill_free(&f);
	if (!ok)
	{
		PQclear(PQexec(c, "ROLLBACK"));
		name_connection(job);
	}
	publish(job, NULL, 0, true, !ok);
	return NULL;
}

TypedTablesJob *
pg_typed_tables_start(PGconn *conn, const TypedTarget *t, N2pCatalog *cat,
					  TypedSpills *spills, PGconn *conn2, N2pError *err)
{
	TypedTablesJob *job = xcalloc(1, sizeof(TypedTablesJob));
	N2pNameSet		taken;

	job->t = *t;
	job->t.progress = NULL;		/* the thread never draws */
	job->postgis = t->pg.postgis_schema ? xstrdup(t->pg.postgis_schema) : NULL;
	job->t.pg.postgis_schema = job->postgis;
	job->spills = spills;
	job->conn2 = conn2;
	n2p_error_init(&job->err);
	atomic_init(&job->stop, false);
	pthread_mutex_init(&job->lock, NULL);
	pthread_cond_init(&job->cond, NULL);
	if (!typed_taken_names(conn, t, &taken, err))
	{
		pg_typed_tables_end(job, false);
		return NULL;
	}
	if (!typed_plan_build(&job->plan, cat, &job->t, &taken, err))
	{
		n2p_name_set_free(&taken);
		pg_typed_tables_end(job, false);
		return NULL;
	}
	n2p_name_set_free(&taken);
	job->ready = xcalloc(job->plan.nscopes ? job->plan.nscopes : 1, sizeof(size_t));
	plan_units(job);
	if (conn2 == NULL)
	{
		job->fallback = true;
		snprintf(job->why, sizeof(job->why), "no second connection");
		return job;
	}
	job->cancel = PQgetCancel(conn2);
	if (pthread_create(&job->thread, NULL, staging_main, job) != 0)
	{
		job->fallback = true;
		snprintf(job->why, sizeof(job->why), "no thread");
		return job;
	}
	job->running = true;
	return job;
}

static bool
set_schema(PGconn *conn, const char *what, const char *from, const char *name,
		   const char *to, N2pError *err)
{
	N2pBuf		b;
	bool		ok;

	n2p_buf_init(&b, &n2p_libc_allocator);
	ok = n2p_buf_printf(&b, "ALTER %s %s.%s SET SCHEMA %s", what, from, name, to);
	ok = ok ? pg_exec_one(conn, b.data, err) : n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	n2p_buf_free(&b);
	return ok;
}

/* A table the load now holds: prune it, then its foreign keys. */
static bool
adopt_keys(TypedTablesJob *job, PGconn *conn, const N2pPgScopePlan *sp, bool pruned, N2pError *err)
{
	return (!pruned || prune_table(conn, &job->t, sp, err)) &&
		table_foreign_keys(conn, &job->t, sp, err);
}

static bool
adopt_staged(TypedTablesJob *job, PGconn *conn, const N2pPgScopePlan *sp, bool pruned, N2pError *err)
{
	N2pBuf		qrel;
	bool		ok;

	n2p_buf_init(&qrel, &n2p_libc_allocator);
	ok = n2p_pg_quote_ident(&qrel, sp->relation, strlen(sp->relation), err) &&
		set_schema(conn, "TABLE", job->qstaging.data, qrel.data, job->t.pg.qschema, err);
	n2p_buf_free(&qrel);
	return ok && adopt_keys(job, conn, sp, pruned, err);
}

/* A unit the load builds itself, straight into the target. */
static bool
build_here(TypedTablesJob *job, TableFill *f, const Unit *u, bool pruned, N2pError *err)
{
	size_t		i;
	bool		ok = fill_unit(f, u, err);

	job->units_by[1]++;
	if (u->sp)
		return ok && adopt_keys(job, f->conn, u->sp, pruned, err);
	for (i = 0; ok && i < job->plan.nscopes; i++)
		if (!job->plan.scopes[i].dedicated)
			ok = adopt_keys(job, f->conn, &job->plan.scopes[i], pruned, err);
	return ok;
}

/* The next table the thread committed joins the load. */
static bool
adopt_next(TypedTablesJob *job, PGconn *conn, bool pruned, N2pError *err)
{
	return adopt_staged(job, conn, &job->plan.scopes[job->ready[job->adopted++]], pruned, err);
}

/* How many tables the thread has committed so far; false if it failed. */
static bool
ready_range(TypedTablesJob *job, size_t *upto, N2pError *err)
{
	bool		failed;

	pthread_mutex_lock(&job->lock);
	*upto = job->nready;
	failed = job->failed;
	pthread_mutex_unlock(&job->lock);
	if (failed)
		*err = job->err;
	return !failed;
}

/*
 * Adopt what the thread has committed so far, without waiting.  The load
 * calls this between its own base steps, so that the relationship tables'
 * foreign-key checks, which only its transaction can run and which use one
 * processor, are done while the other side still fills tables; the load
 * then ends on base index builds, which can use both processors.
 */
bool
pg_typed_tables_adopt_ready(TypedTablesJob *job, PGconn *conn, bool pruned_rels, N2pError *err)
{
	size_t		upto;
	N2pError	later;

	if (job == NULL || !job->running)
		return true;

	/*
	 * A failure of the thread is reported by finish, after the base keys:
	 * a uniqueness violation in a typed table is one in nodes too, and the
	 * base step's message names the nodes.
	 */
	if (!ready_range(job, &upto, &later))
		return true;
	while (job->adopted < upto)
		if (!adopt_next(job, conn, pruned_rels, err))
			return false;
	return true;
}

/*
 * The load's side: adopt what the thread committed, else take a unit from
 * the back of the queue, else wait; until the thread is done and the
 * queue empty.
 */
static bool
run_load_side(TypedTablesJob *job, TableFill *f, bool pruned, N2pError *err)
{
	for (;;)
	{
		size_t		upto;
		bool		done,
					failed;
		Unit		u;

		pthread_mutex_lock(&job->lock);
		while (job->running && job->nready == job->adopted && !job->done && job->head >= job->tail)
			pthread_cond_wait(&job->cond, &job->lock);
		upto = job->nready;
		done = job->done || !job->running;
		failed = job->failed;
		pthread_mutex_unlock(&job->lock);
		if (failed)
		{
			*err = job->err;
			return false;
		}
		if (job->adopted < upto)
		{
			if (!adopt_next(job, f->conn, pruned, err))
				return false;
			continue;
		}
		if (take_unit(job, false, &u))
		{
			if (!build_here(job, f, &u, pruned, err))
				return false;
			continue;
		}
		if (done)
			return true;
	}
}

static void
join_staging(TypedTablesJob *job)
{
	if (!job->running)
		return;
	pthread_join(job->thread, NULL);
	job->running = false;
	if (job->warning[0])
		log_error("warning: %s", job->warning);
}

/* The staged point type joins the target; the staging schema goes. */
static bool
close_staging(TypedTablesJob *job, PGconn *conn, N2pError *err)
{
	char		sql[200];

	if (!job->schema_made)
		return true;
	if (!job->t.pg.postgis_schema &&
		!set_schema(conn, "TYPE", job->qstaging.data, "neo4j_point", job->t.pg.qschema, err))
		return false;
	/* RESTRICT: anything else left in it would be a surprise worth failing on */
	snprintf(sql, sizeof(sql), "DROP SCHEMA %s", job->qstaging.data);
	return pg_exec_one(conn, sql, err);
}

/*
 * Where the load's own tables get their point type: the staging schema's,
 * which moves into the target at the end, or one made here.
 */
static bool
load_side_target(TypedTablesJob *job, PGconn *conn, TypedTarget *dest, N2pError *err)
{
	bool		staged;

	pthread_mutex_lock(&job->lock);
	/* the thread decides first thing; wait for it */
	while (job->running && !job->schema_made && !job->done)
		pthread_cond_wait(&job->cond, &job->lock);
	staged = job->schema_made;
	pthread_mutex_unlock(&job->lock);
	*dest = job->t;
	if (staged)
	{
		snprintf(dest->pg.point_type, sizeof(dest->pg.point_type), "%s", job->st.pg.point_type);
		return true;
	}
	log_verbose("typed tables: built in the load's transaction (%s)", job->why);
	return create_point_type(conn, dest, err);
}

bool
pg_typed_tables_finish(TypedTablesJob *job, PGconn *conn, bool pruned_rels, N2pError *err)
{
	N2pBuf		scratch;
	TableFill	f;
	TypedTarget dest;
	bool		ok;

	memset(&f, 0, sizeof(f));
	ok = load_side_target(job, conn, &dest, err) && fill_init(&f, job, conn, &dest, false, err) &&
		run_load_side(job, &f, pruned_rels, err);
	job->secs[1][0] = f.fill_secs;
	job->secs[1][1] = f.keys_secs;
	fill_free(&f);
	join_staging(job);
	ok = ok && close_staging(job, conn, err);
	if (!ok)
		return false;
	log_verbose("typed tables: %zu filled on a second connection in %.2f s (keys %.2f s), "
				"%zu in the load's in %.2f s (keys %.2f s)", job->units_by[0], job->secs[0][0],
				job->secs[0][1], job->units_by[1], job->secs[1][0], job->secs[1][1]);
	n2p_buf_init(&scratch, &n2p_libc_allocator);
	ok = typed_create_helpers(conn, &job->t, &scratch, err) &&
		typed_write_catalog(conn, &job->t, &job->plan, err);
	n2p_buf_free(&scratch);
	return ok;
}

/*
 * After a failed load.  The cancel sent to stop the thread may reach the
 * server late, when the thread's statement is done, and cancel this DROP
 * instead (seen under load): so a cancelled DROP is tried again.
 */
static void
drop_staging_schema(TypedTablesJob *job)
{
	char		sql[200];
	int			tries;

	snprintf(sql, sizeof(sql), "DROP SCHEMA %s CASCADE", job->qstaging.data);
	for (tries = 0; tries < 5; tries++)
	{
		PGresult   *res = PQexec(job->conn2, sql);
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		bool		cancelled = PQresultStatus(res) == PGRES_FATAL_ERROR && state &&
			strcmp(state, "57014") == 0;

		PQclear(res);
		if (!cancelled)
			return;
	}
}

void
pg_typed_tables_end(TypedTablesJob *job, bool committed)
{
	if (job == NULL)
		return;
	if (job->running)
	{
		char		errbuf[256];

		atomic_store(&job->stop, true);
		if (job->cancel)
			(void) PQcancel(job->cancel, errbuf, sizeof(errbuf));
		join_staging(job);
	}
	if (job->schema_made && !committed && PQstatus(job->conn2) == CONNECTION_OK)
		drop_staging_schema(job);
	if (job->cancel)
		PQfreeCancel(job->cancel);
	if (job->conn2)
		PQfinish(job->conn2);
	n2p_buf_free(&job->qstaging);
	free(job->postgis);
	free(job->ready);
	free(job->units);
	n2p_pg_plan_free(&job->plan);
	pthread_mutex_destroy(&job->lock);
	pthread_cond_destroy(&job->cond);
	free(job);
}
