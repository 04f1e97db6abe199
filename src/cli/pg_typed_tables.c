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
#define STREAM_PIECE_BYTES (64 * 1024)
#define MAX_DEDICATED_SPILLS 128
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

static uint64_t
spill_hash(N2pRecKind kind, N2pStr name)
{
	uint64_t	h = 1469598103934665603ull ^ (uint64_t) kind;
	size_t		i;

	for (i = 0; i < name.len; i++)
		h = (h ^ (unsigned char) name.ptr[i]) * 1099511628211ull;
	return h;
}

/* The scope's slot; created on first sight, with a file while there is room. */
static SpillEntry *
spill_entry(TypedSpills *ts, N2pRecKind kind, N2pStr name, N2pError *err)
{
	uint64_t	h = spill_hash(kind, name);
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
		if ((e->spill = n2p_spill_new(&n2p_libc_allocator, err)) == NULL)
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
	if (ts->shared == NULL && (ts->shared = n2p_spill_new(&n2p_libc_allocator, err)) == NULL)
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

typedef struct TableFill
{
	PGconn	   *conn;
	const TypedTarget *t;
	Plan	   *plan;
	N2pBuf	   *bufs;			/* one per scope */
	size_t		total;
	const N2pValue **vals;		/* scratch: the record's value per column */
	N2pBuf		extra;			/* scratch: values no column could hold */
	N2pBuf		scratch;
	N2pTypedEncoder enc;
} TableFill;

static bool
table_sql(N2pBuf *b, PGconn *conn, const ScopePlan *sp, const TypedTarget *t)
{
	char	   *qrel = PQescapeIdentifier(conn, sp->relation, strlen(sp->relation));
	size_t		i;

	if (qrel == NULL)
		return false;
	n2p_buf_reset(b);
	n2p_buf_printf(b, "CREATE TABLE %s.%s (id bigint NOT NULL, %s", t->qschema, qrel,
				   sp->kind == N2P_REC_NODE ? "labels text[] NOT NULL" :
				   "start_id bigint NOT NULL, end_id bigint NOT NULL");
	for (i = 0; i < sp->nkeys; i++)
	{
		char	   *qcol = PQescapeIdentifier(conn, sp->keys[i].column, strlen(sp->keys[i].column));

		if (qcol == NULL)
			return false;
		n2p_buf_printf(b, ", %s %s", qcol, sp->keys[i].pg_type_sql);
		PQfreemem(qcol);
	}
	n2p_buf_printf(b, ", props jsonb)");
	PQfreemem(qrel);
	return !b->oom;
}

static int
scope_cmp(N2pRecKind kind, const char *scope, size_t len, const ScopePlan *sp)
{
	int			c;

	if (kind != sp->kind)
		return kind < sp->kind ? -1 : 1;
	c = strncmp(scope, sp->scope, len);
	return c != 0 ? c : (sp->scope[len] == '\0' ? 0 : -1);
}

static ScopePlan *
find_scope(Plan *p, N2pRecKind kind, N2pStr name)
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

static long
find_key(const ScopePlan *sp, N2pStr key)
{
	size_t		lo = 0,
				hi = sp->nkeys;

	while (lo < hi)
	{
		size_t		mid = (lo + hi) / 2;
		int			c = strncmp(key.ptr, sp->keys[mid].key, key.len);

		if (c == 0 && sp->keys[mid].key[key.len] != '\0')
			c = -1;
		if (c == 0)
			return (long) mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

static bool copy_begin(TableFill *f, const ScopePlan *sp, N2pError *err);
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
		sent = PQputCopyData(f->conn, b->data, (int) b->len) == 1;
		if (!copy_end(f, sent ? NULL : "neo2pg: send failed", err) || !sent)
			return err->code ? false : n2p_error_set(err, N2P_ERR_IO, "COPY into typed table: %s",
													  PQerrorMessage(f->conn));
		n2p_buf_reset(b);
	}
	f->total = 0;
	return true;
}

static bool
put_labels(N2pBuf *b, const N2pRecord *rec)
{
	N2pBuf		arr;
	size_t		i;
	bool		ok;

	n2p_buf_init(&arr, &n2p_libc_allocator);
	ok = n2p_buf_putc(&arr, '{');
	for (i = 0; ok && i < rec->nlabels; i++)
	{
		size_t		k;

		ok = (i == 0 || n2p_buf_putc(&arr, ',')) && n2p_buf_putc(&arr, '"');
		for (k = 0; ok && k < rec->labels[i].len; k++)
		{
			char		c = rec->labels[i].ptr[k];

			ok = (c != '"' && c != '\\') || n2p_buf_putc(&arr, '\\');
			ok = ok && n2p_buf_putc(&arr, c);
		}
		ok = ok && n2p_buf_putc(&arr, '"');
	}
	ok = ok && n2p_buf_putc(&arr, '}') && n2p_copy_text_escape(b, arr.data, arr.len);
	n2p_buf_free(&arr);
	return ok;
}

/* One row of one typed table: fixed columns, property columns, props. */
static bool
put_row(TableFill *f, N2pBuf *b, const ScopePlan *sp, const N2pRecord *rec, N2pError *err)
{
	size_t		i,
				nextra = 0;
	bool		ok = n2p_buf_printf(b, "%lld\t", (long long) rec->id);

	ok = ok && (rec->kind == N2P_REC_NODE ? put_labels(b, rec) :
				n2p_buf_printf(b, "%lld\t%lld", (long long) rec->start_id, (long long) rec->end_id));
	for (i = 0; i < sp->nkeys; i++)
		f->vals[i] = NULL;
	for (i = 0; i < rec->props.u.map.n; i++)
	{
		long		k = find_key(sp, rec->props.u.map.keys[i]);

		if (k >= 0)
			f->vals[k] = &rec->props.u.map.vals[i];
	}
	n2p_buf_reset(&f->extra);
	for (i = 0; ok && i < sp->nkeys; i++)
	{
		bool		lost = false;
		const char *mark;

		ok = n2p_buf_putc(b, '\t');
		if (f->vals[i] == NULL)
		{
			ok = ok && n2p_buf_append(b, "\\N", 2);
			continue;
		}
		if (!ok || !n2p_copy_text_typed(&f->enc, b, f->vals[i], sp->keys[i].type, &lost, err))
			return false;
		if (!lost)
			continue;
		/* keep what the column could not hold, exactly, in props */
		ok = n2p_buf_append(&f->extra, nextra ? ", " : "{", nextra ? 2 : 1) &&
			n2p_json_append_string(&f->extra, sp->keys[i].key, strlen(sp->keys[i].key), f->t->enc, err) &&
			n2p_buf_append(&f->extra, ": ", 2) &&
			n2p_pg_value_json(&f->extra, f->vals[i], &mark, f->t->enc, err);
		nextra++;
	}
	ok = ok && n2p_buf_putc(b, '\t');
	if (ok && nextra)
		ok = n2p_buf_putc(&f->extra, '}') && n2p_copy_text_escape(b, f->extra.data, f->extra.len);
	else if (ok)
		ok = n2p_buf_append(b, "\\N", 2);
	return (ok && n2p_buf_putc(b, '\n')) || n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
}

static bool
route_record(TableFill *f, const N2pRecord *rec, N2pError *err)
{
	size_t		i,
				n = rec->kind == N2P_REC_NODE ? rec->nlabels : 1;

	for (i = 0; i < n; i++)
	{
		ScopePlan  *sp = find_scope(f->plan, rec->kind,
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
copy_begin(TableFill *f, const ScopePlan *sp, N2pError *err)
{
	char	   *qrel = PQescapeIdentifier(f->conn, sp->relation, strlen(sp->relation));
	char		sql[400];
	PGresult   *res;
	bool		ok;

	if (qrel == NULL)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	snprintf(sql, sizeof(sql), "COPY %s.%s FROM STDIN (FREEZE)", f->t->qschema, qrel);
	PQfreemem(qrel);
	res = PQexecParams(f->conn, sql, 0, NULL, NULL, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_COPY_IN;
	if (!ok)
		n2p_error_set(err, N2P_ERR_IO, "COPY into typed table: %s", PQresultErrorMessage(res));
	PQclear(res);
	return ok;
}

static bool
copy_end(TableFill *f, const char *abort_reason, N2pError *err)
{
	return pg_copy_finish(f->conn, abort_reason, "COPY into typed table", err);
}

/* One table from its own spill file, encoding while the server parses. */
static bool
stream_table(TableFill *f, ScopePlan *sp, N2pSpill *spill, N2pError *err)
{
	N2pBuf	   *b = &f->bufs[sp - f->plan->scopes];
	N2pRecord	rec;
	int			rc = 0;
	bool		ok;

	if (!n2p_spill_rewind(spill, err) || !copy_begin(f, sp, err))
		return false;
	n2p_buf_reset(b);
	while ((rc = n2p_spill_read(spill, &rec, err)) == 1)
	{
		if (!put_row(f, b, sp, &rec, err))
		{
			err->row_id = rec.id;
			err->row_kind = rec.kind == N2P_REC_NODE ? "node" : "relationship";
			break;
		}
		if (b->len >= STREAM_PIECE_BYTES)
		{
			if (PQputCopyData(f->conn, b->data, (int) b->len) != 1)
				break;
			n2p_buf_reset(b);
		}
	}
	ok = rc == 0 && (b->len == 0 || PQputCopyData(f->conn, b->data, (int) b->len) == 1);
	n2p_buf_reset(b);
	if (!ok && err->code == N2P_OK)
		n2p_error_set(err, N2P_ERR_IO, "COPY into typed table: %s", PQerrorMessage(f->conn));
	return copy_end(f, ok ? NULL : "neo2pg: typed table aborted", err) && ok;
}

static bool
fill_tables(TableFill *f, TypedSpills *ts, N2pError *err)
{
	N2pRecord	rec;
	size_t		i;
	int			rc;

	for (i = 0; i < SPILL_SLOTS; i++)
	{
		SpillEntry *e = &ts->slots[i];
		ScopePlan  *sp;

		if (e->spill == NULL)
			continue;
		sp = find_scope(f->plan, e->kind, (N2pStr) {e->name, strlen(e->name)});
		if (sp == NULL)
			continue;			/* unlabeled, or no typed table */
		sp->dedicated = true;
		if (!stream_table(f, sp, e->spill, err))
			return false;
	}
	if (ts->shared == NULL)
		return true;
	if (!n2p_spill_rewind(ts->shared, err))
		return false;
	while ((rc = n2p_spill_read(ts->shared, &rec, err)) == 1)
		if (!route_record(f, &rec, err))
			return false;
	return rc == 0 && flush_tables(f, err);
}

/*
 * A UNIQUE constraint on the typed column is only as strict as Neo4j's
 * when PostgreSQL's equality is Neo4j's: interval says P1M = P30D,
 * timestamptz equates offsets, rounding to microseconds merges nanoseconds,
 * float8 has NaN = NaN.  Other kinds keep the base table's unique index on
 * props->>key only.
 */
static bool
unique_is_exact(N2pColumnType t)
{
	switch (t.kind)
	{
		case N2P_COL_BIGINT:
		case N2P_COL_TEXT:
		case N2P_COL_BOOL:
		case N2P_COL_BYTEA:
		case N2P_COL_DATE:
			return !t.is_array;
		default:
			return false;
	}
}

static bool
table_keys(PGconn *conn, const TypedTarget *t, const ScopePlan *sp, N2pError *err)
{
	char	   *qrel = PQescapeIdentifier(conn, sp->relation, strlen(sp->relation));
	N2pBuf		b;
	bool		ok;
	size_t		i,
				k;

	if (qrel == NULL)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	n2p_buf_init(&b, &n2p_libc_allocator);
	n2p_buf_printf(&b, "ALTER TABLE %s.%s ADD PRIMARY KEY (id)", t->qschema, qrel);
	if (sp->kind == N2P_REC_REL)
		n2p_buf_printf(&b, ", ADD FOREIGN KEY (start_id) REFERENCES %s.nodes, "
					   "ADD FOREIGN KEY (end_id) REFERENCES %s.nodes", t->qschema, t->qschema);
	for (i = 0; sp->kind == N2P_REC_NODE && i < t->meta->nconstraints; i++)
	{
		const N2pConstraint *c = &t->meta->constraints[i];

		if (strcmp(c->label, sp->scope) != 0)
			continue;
		for (k = 0; k < sp->nkeys; k++)
			if (strcmp(sp->keys[k].key, c->prop) == 0 && unique_is_exact(sp->keys[k].type))
			{
				char	   *qcol = PQescapeIdentifier(conn, sp->keys[k].column,
													  strlen(sp->keys[k].column));

				n2p_buf_printf(&b, ", ADD UNIQUE (%s)", qcol);
				PQfreemem(qcol);
			}
	}
	ok = !b.oom && pg_exec_one(conn, b.data, err);
	n2p_buf_free(&b);
	PQfreemem(qrel);
	return ok;
}

/*
 * --skip-dangling removed relationships from the base table after they were
 * spilled: remove them from the typed table too, before its foreign keys.
 */
static bool
prune_table(PGconn *conn, const TypedTarget *t, const ScopePlan *sp, N2pError *err)
{
	char	   *qrel = PQescapeIdentifier(conn, sp->relation, strlen(sp->relation));
	char		sql[600];

	if (qrel == NULL)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	snprintf(sql, sizeof(sql), "DELETE FROM %s.%s t WHERE NOT EXISTS "
			 "(SELECT 1 FROM %s.relationships r WHERE r.id = t.id)", t->qschema, qrel, t->qschema);
	PQfreemem(qrel);
	return pg_exec_one(conn, sql, err);
}

bool
pg_typed_tables_create(PGconn *conn, const TypedTarget *t, N2pCatalog *cat,
					   TypedSpills *spill, N2pError *err)
{
	Plan		plan;
	TableFill	f = {conn, t, &plan, NULL, 0, NULL, {0}, {0}, {0}};
	size_t		i,
				maxkeys = 1;
	bool		ok;
	double		t0;
	NameSet		taken;

	if (!typed_taken_names(conn, t, &taken, err))
		return false;
	typed_plan_build(&plan, cat, t, &taken);
	typed_name_set_free(&taken);
	f.bufs = xcalloc(plan.nscopes ? plan.nscopes : 1, sizeof(N2pBuf));
	for (i = 0; i < plan.nscopes; i++)
	{
		n2p_buf_init(&f.bufs[i], &n2p_libc_allocator);
		if (plan.scopes[i].nkeys > maxkeys)
			maxkeys = plan.scopes[i].nkeys;
	}
	f.vals = xcalloc(maxkeys, sizeof(N2pValue *));
	n2p_buf_init(&f.extra, &n2p_libc_allocator);
	n2p_buf_init(&f.scratch, &n2p_libc_allocator);
	n2p_typed_encoder_init(&f.enc, &n2p_libc_allocator, t->postgis_schema != NULL, t->enc);
	ok = typed_create_helpers(conn, t, &f.scratch, err) && typed_write_catalog(conn, t, &plan, err);
	for (i = 0; ok && i < plan.nscopes; i++)
		ok = (table_sql(&f.scratch, conn, &plan.scopes[i], t) ||
			  n2p_error_set(err, N2P_ERR_NOMEM, "out of memory")) &&
			pg_exec_one(conn, f.scratch.data, err);
	t0 = now_seconds();
	ok = ok && fill_tables(&f, spill, err);
	for (i = 0; ok && t->pruned_rels && i < plan.nscopes; i++)
		ok = plan.scopes[i].kind != N2P_REC_REL || prune_table(conn, t, &plan.scopes[i], err);
	log_verbose("typed tables filled in %.2f s", now_seconds() - t0);
	t0 = now_seconds();
	for (i = 0; ok && i < plan.nscopes; i++)
		ok = table_keys(conn, t, &plan.scopes[i], err);
	log_verbose("typed tables' keys built in %.2f s", now_seconds() - t0);
	for (i = 0; i < plan.nscopes; i++)
		n2p_buf_free(&f.bufs[i]);
	free(f.bufs);
	free(f.vals);
	n2p_buf_free(&f.extra);
	n2p_buf_free(&f.scratch);
	n2p_typed_encoder_free(&f.enc);
	typed_plan_free(&plan);
	return ok;
}
