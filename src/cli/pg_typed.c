/*-------------------------------------------------------------------------
 *
 * pg_typed.c
 *	  Typed views over the base layout: one per label and one per
 *	  relationship type, one column of a native type per property key, and
 *	  the catalog table that records every choice.
 *
 * Names.  A node view is named after its label, a relationship view after
 * its type.  When that name is taken by a base object (nodes,
 * relationships, load_info, catalog, neo4j_point) or by anything else in
 * the schema (an index, a user's table) a node view gets the suffix
 * "_label" and a relationship view "_type"; a relationship type
 * that shares its name with a label also gets "_type".  Names are cut to
 * PostgreSQL's 63 bytes (on a character boundary) and, if still taken,
 * numbered "_2", "_3", ...  A property column is named after its key; a
 * key equal to a fixed column (id, labels, start_id, end_id, and props in
 * typed tables) gets "_prop".
 * The catalog table says which relation and column each key ended in.
 *
 * Values that the native type cannot hold (years outside 1..9999, offsets
 * beyond +-15:59:59, huge durations) read as NULL through n2p_try_* cast
 * functions, used only for the keys that have such values; props keeps
 * them exactly.
 *
 * Labels and keys inside these DDL statements are quoted with libpq's
 * PQescapeIdentifier and PQescapeLiteral: DDL cannot take parameters.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/cli/pg_typed.c
 *
 *-------------------------------------------------------------------------
 */
#include "pg_typed.h"
#include "pg_util.h"
#include "neo2pg/typemap.h"

#include <stdlib.h>
#include <string.h>

#define NAMEDATALEN 64

static const char *const reserved_names[] = {
	"nodes", "relationships", "load_info", "catalog", "neo4j_point", NULL};

/* ---------------------------------------------------------------- names */

typedef struct NameSet
{
	char	  **names;
	size_t		n;
	size_t		cap;
} NameSet;

static bool
name_taken(const NameSet *set, const char *name)
{
	size_t		i;

	for (i = 0; i < set->n; i++)
		if (strcmp(set->names[i], name) == 0)
			return true;
	return false;
}

static void
name_add(NameSet *set, const char *name)
{
	if (set->n == set->cap)
	{
		set->cap = set->cap ? set->cap * 2 : 32;
		set->names = xrealloc(set->names, set->cap * sizeof(char *));
	}
	set->names[set->n++] = xstrdup(name);
}

static void
name_set_free(NameSet *set)
{
	size_t		i;

	for (i = 0; i < set->n; i++)
		free(set->names[i]);
	free(set->names);
	memset(set, 0, sizeof(*set));
}

/* Cut to at most max bytes without splitting a UTF-8 character. */
static void
utf8_cut(char *s, size_t max)
{
	size_t		len = strlen(s);

	if (len <= max)
		return;
	len = max;
	while (len > 0 && ((unsigned char) s[len] & 0xC0) == 0x80)
		len--;
	s[len] = '\0';
}

/* base + suffix, cut to fit, numbered until unused; added to the set. */
static void
unique_name(NameSet *set, const char *base, const char *suffix, char *out)
{
	char		tmp[NAMEDATALEN * 2];
	int			k;

	snprintf(tmp, sizeof(tmp), "%s%s", base, suffix);
	utf8_cut(tmp, NAMEDATALEN - 1);
	for (k = 2; name_taken(set, tmp); k++)
	{
		char		num[16];

		snprintf(num, sizeof(num), "_%d", k);
		snprintf(tmp, sizeof(tmp), "%s%s", base, suffix);
		utf8_cut(tmp, NAMEDATALEN - 1 - strlen(num));
		strcat(tmp, num);
	}
	strcpy(out, tmp);
	name_add(set, tmp);
}

/* ------------------------------------------------------- the column plan */

typedef struct KeyPlan
{
	const char *key;
	N2pColumnType type;
	uint64_t	not_castable;
	char		column[NAMEDATALEN];
	char		pg_type[128];	/* as the catalog shows it */
	char		pg_type_sql[256];	/* for DDL: PostGIS's type qualified */
} KeyPlan;

typedef struct ScopePlan
{
	N2pRecKind	kind;
	const char *scope;
	char		relation[NAMEDATALEN];
	KeyPlan    *keys;
	size_t		nkeys;
	bool		dedicated;		/* typed tables: has a spill file of its own */
} ScopePlan;

typedef struct Plan
{
	ScopePlan  *scopes;
	size_t		nscopes;
	const N2pCatalogEntry *entries;
	size_t		nentries;
} Plan;

/* Entries [from, to) are one key of one scope: fold their types. */
static void
plan_key(KeyPlan *kp, const N2pCatalogEntry *e, size_t n, const TypedTarget *t)
{
	const char *types[64];
	size_t		i,
				k = 0;

	kp->key = e[0].key;
	kp->not_castable = 0;
	for (i = 0; i < n; i++)
	{
		if (k < sizeof(types) / sizeof(types[0]))
			types[k++] = e[i].type;
		kp->not_castable += e[i].not_castable;
	}
	kp->type = n2p_column_type(types, k);
	n2p_column_type_sql(kp->type, t->postgis_schema != NULL, t->point_type,
						kp->pg_type, sizeof(kp->pg_type));
	/* PostGIS may live outside the search_path: qualify its type in DDL */
	if (kp->type.kind == N2P_COL_POINT && t->postgis_schema)
		snprintf(kp->pg_type_sql, sizeof(kp->pg_type_sql), "%.120s.%s", t->postgis_schema,
				 kp->pg_type);
	else
		snprintf(kp->pg_type_sql, sizeof(kp->pg_type_sql), "%s", kp->pg_type);
}

static void
plan_columns(ScopePlan *sp, const TypedTarget *t)
{
	/* tables also have "props" for the values their columns cannot hold */
	static const char *const node_fixed[] = {"id", "labels", "props", NULL};
	static const char *const rel_fixed[] = {"id", "start_id", "end_id", "props", NULL};
	const char *const *fixed = sp->kind == N2P_REC_NODE ? node_fixed : rel_fixed;
	NameSet		cols = {0};
	size_t		i,
				nfixed = sp->kind == N2P_REC_NODE ? 2 : 3;

	if (t->tables)
		nfixed++;
	for (i = 0; i < nfixed; i++)
		name_add(&cols, fixed[i]);
	for (i = 0; i < sp->nkeys; i++)
	{
		KeyPlan    *kp = &sp->keys[i];
		bool		clash = false;
		size_t		f;

		for (f = 0; f < nfixed; f++)
			clash |= strcmp(kp->key, fixed[f]) == 0;
		unique_name(&cols, kp->key, clash ? "_prop" : "", kp->column);
	}
	name_set_free(&cols);
}

/* Count the distinct keys of the scope starting at entries[at]. */
static size_t
scope_end(const N2pCatalogEntry *e, size_t n, size_t at, size_t *nkeys)
{
	size_t		i = at + 1;

	*nkeys = 0;
	for (; i < n && e[i].key != NULL; i++)
		if (i == at + 1 || strcmp(e[i].key, e[i - 1].key) != 0)
			(*nkeys)++;
	return i;
}

static void
plan_scope(ScopePlan *sp, const N2pCatalogEntry *e, size_t from, size_t to,
		   size_t nkeys, const TypedTarget *t)
{
	size_t		i = from + 1,
				k = 0;

	sp->kind = e[from].kind;
	sp->scope = e[from].scope;
	sp->keys = xcalloc(nkeys ? nkeys : 1, sizeof(KeyPlan));
	sp->nkeys = nkeys;
	while (i < to)
	{
		size_t		j = i + 1;

		while (j < to && strcmp(e[j].key, e[i].key) == 0)
			j++;
		plan_key(&sp->keys[k++], &e[i], j - i, t);
		i = j;
	}
	plan_columns(sp, t);
}

static bool
reserved(const char *name)
{
	int			i;

	for (i = 0; reserved_names[i]; i++)
		if (strcmp(reserved_names[i], name) == 0)
			return true;
	return false;
}

/*
 * Node views first, so that labels keep their names before types do.
 * taken: every name already used in the schema (tables, indexes, types).
 */
static void
name_relations(Plan *p, const NameSet *taken)
{
	NameSet		rels = {0},
				labels = {0};
	size_t		i;
	int			i_r;

	for (i_r = 0; reserved_names[i_r]; i_r++)
		name_add(&rels, reserved_names[i_r]);
	for (i = 0; i < taken->n; i++)
		name_add(&rels, taken->names[i]);
	for (i = 0; i < p->nscopes; i++)
		if (p->scopes[i].kind == N2P_REC_NODE)
			name_add(&labels, p->scopes[i].scope);
	for (i = 0; i < p->nscopes; i++)
	{
		ScopePlan  *sp = &p->scopes[i];
		bool		is_node = sp->kind == N2P_REC_NODE;
		bool		clash = reserved(sp->scope) || name_taken(taken, sp->scope) ||
			(!is_node && name_taken(&labels, sp->scope));

		unique_name(&rels, sp->scope, clash ? (is_node ? "_label" : "_type") : "", sp->relation);
	}
	name_set_free(&rels);
	name_set_free(&labels);
}

static void
plan_build(Plan *p, N2pCatalog *cat, const TypedTarget *t, const NameSet *taken)
{
	size_t		i = 0,
				n;
	const N2pCatalogEntry *e = n2p_catalog_entries(cat, &n);

	/* NULL only when out of memory: never take it for an empty graph */
	if (e == NULL)
		exit_out_of_memory();
	memset(p, 0, sizeof(*p));
	p->entries = e;
	p->nentries = n;
	p->scopes = xcalloc(n ? n : 1, sizeof(ScopePlan));
	while (i < n)
	{
		size_t		nkeys,
					end = scope_end(e, n, i, &nkeys);

		/* unlabeled nodes have no label to name a view after */
		if (!(e[i].kind == N2P_REC_NODE && e[i].scope[0] == '\0'))
			plan_scope(&p->scopes[p->nscopes++], e, i, end, nkeys, t);
		i = end;
	}
	name_relations(p, taken);
}

/* Names the schema already uses: relations, indexes and types share them. */
static bool
taken_names(PGconn *conn, const TypedTarget *t, NameSet *out, N2pError *err)
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

	memset(out, 0, sizeof(*out));
	if (!ok)
		n2p_error_set(err, N2P_ERR_IO, "PostgreSQL: %s", PQresultErrorMessage(res));
	for (i = 0; ok && i < PQntuples(res); i++)
		name_add(out, PQgetvalue(res, i, 0));
	PQclear(res);
	return ok;
}

static void
plan_free(Plan *p)
{
	size_t		i;

	for (i = 0; i < p->nscopes; i++)
		free(p->scopes[i].keys);
	free(p->scopes);
}

/* ----------------------------------------------------------- SQL text */

/* name, type, and whether the text starts with a year to check */
static const char *const try_types[][3] = {
	{"date", "date", "y"}, {"time", "time", "n"}, {"timetz", "timetz", "n"},
	{"timestamp", "timestamp", "y"}, {"timestamptz", "timestamptz", "y"},
	{"interval", "interval", "n"}};

static const char *
try_function(N2pColKind kind)
{
	switch (kind)
	{
		case N2P_COL_DATE:
			return "n2p_try_date";
		case N2P_COL_TIME:
			return "n2p_try_time";
		case N2P_COL_TIMETZ:
			return "n2p_try_timetz";
		case N2P_COL_TIMESTAMP:
			return "n2p_try_timestamp";
		case N2P_COL_TIMESTAMPTZ:
			return "n2p_try_timestamptz";
		case N2P_COL_INTERVAL:
			return "n2p_try_interval";
		default:
			return NULL;
	}
}

/*
 * The expression for one value: j is its jsonb, tx its text (props->'k'
 * and props->>'k', or e and e #>> '{}' inside an array).
 */
static void
point_expr(N2pBuf *b, const KeyPlan *kp, const char *j, const TypedTarget *t)
{
	const char *ps = t->postgis_schema;

	if (ps == NULL)
	{
		/* a row of NULLs is not NULL: an absent point must stay NULL */
		n2p_buf_printf(b, "CASE WHEN %s IS NOT NULL THEN ROW((%s->>'srid')::integer, "
					   "(%s->>'x')::float8, (%s->>'y')::float8, (%s->>'z')::float8)::%s END",
					   j, j, j, j, j, t->point_type);
		return;
	}
	if (kp->type.srid != 0)
	{
		n2p_buf_printf(b, "%s.ST_SetSRID(%s.ST_MakePoint((%s->>'x')::float8, (%s->>'y')::float8",
					   ps, ps, j, j);
		if (kp->type.has_z)
			n2p_buf_printf(b, ", (%s->>'z')::float8", j);
		n2p_buf_printf(b, "), %d)::%s.geometry(Point%s,%d)", (int) kp->type.srid, ps,
					   kp->type.has_z ? "Z" : "", (int) kp->type.srid);
		return;
	}
	n2p_buf_printf(b, "%s.ST_SetSRID(CASE WHEN %s ? 'z' THEN %s.ST_MakePoint((%s->>'x')::float8, "
				   "(%s->>'y')::float8, (%s->>'z')::float8) ELSE %s.ST_MakePoint((%s->>'x')::float8, "
				   "(%s->>'y')::float8) END, (%s->>'srid')::integer)",
				   ps, j, ps, j, j, j, ps, j, j, j);
}

static void
value_expr(N2pBuf *b, const KeyPlan *kp, const char *j, const char *tx,
		   const TypedTarget *t)
{
	N2pColKind	kind = kp->type.kind;
	const char *try_fn = try_function(kind);

	if (kind == N2P_COL_JSONB)
		n2p_buf_printf(b, "%s", j);
	else if (kind == N2P_COL_TEXT)
		n2p_buf_printf(b, "%s", tx);
	else if (kind == N2P_COL_POINT)
		point_expr(b, kp, j, t);
	else if (try_fn && kp->not_castable > 0)
		n2p_buf_printf(b, "%s.%s(%s)", t->qschema, try_fn, tx);
	else
		n2p_buf_printf(b, "(%s)::%s", tx, n2p_col_kind_sql(kind));
}

static bool
column_expr(N2pBuf *b, PGconn *conn, const KeyPlan *kp, const TypedTarget *t)
{
	char	   *qkey = PQescapeLiteral(conn, kp->key, strlen(kp->key));
	char	   *qcol = PQescapeIdentifier(conn, kp->column, strlen(kp->column));
	N2pBuf		j,
				tx;
	bool		ok = qkey && qcol;

	/* growable buffers: a cut literal would turn the rest into SQL */
	n2p_buf_init(&j, &n2p_libc_allocator);
	n2p_buf_init(&tx, &n2p_libc_allocator);
	if (ok && kp->type.is_array)
	{
		n2p_buf_printf(b, "(CASE WHEN props ? %s THEN ARRAY(SELECT ", qkey);
		value_expr(b, kp, "e", "(e #>> '{}')", t);
		/* ARRAY() and CASE drop a typmod such as geometry(Point,4326) */
		n2p_buf_printf(b, " FROM jsonb_array_elements(props->%s) WITH ORDINALITY AS a(e, i) "
					   "ORDER BY i) END)::%s", qkey, kp->pg_type_sql);
	}
	else if (ok)
	{
		ok = n2p_buf_printf(&j, "(props->%s)", qkey) && n2p_buf_printf(&tx, "(props->>%s)", qkey);
		if (ok)
			value_expr(b, kp, j.data, tx.data, t);
	}
	if (ok)
		n2p_buf_printf(b, " AS %s", qcol);
	PQfreemem(qkey);
	PQfreemem(qcol);
	n2p_buf_free(&j);
	n2p_buf_free(&tx);
	return ok && !b->oom;
}

static bool
view_sql(N2pBuf *b, PGconn *conn, const ScopePlan *sp, const TypedTarget *t)
{
	char	   *qrel = PQescapeIdentifier(conn, sp->relation, strlen(sp->relation));
	char	   *qscope = PQescapeLiteral(conn, sp->scope, strlen(sp->scope));
	size_t		i;
	bool		ok = qrel && qscope;

	n2p_buf_reset(b);
	if (ok && sp->kind == N2P_REC_NODE)
		n2p_buf_printf(b, "CREATE VIEW %s.%s AS SELECT id, labels", t->qschema, qrel);
	else if (ok)
		n2p_buf_printf(b, "CREATE VIEW %s.%s AS SELECT id, start_id, end_id", t->qschema, qrel);
	for (i = 0; ok && i < sp->nkeys; i++)
	{
		n2p_buf_printf(b, ",\n  ");
		ok = column_expr(b, conn, &sp->keys[i], t);
	}
	if (ok && sp->kind == N2P_REC_NODE)
		n2p_buf_printf(b, "\nFROM %s.nodes WHERE labels @> ARRAY[%s]::text[]", t->qschema, qscope);
	else if (ok)
		n2p_buf_printf(b, "\nFROM %s.relationships WHERE type = %s", t->qschema, qscope);
	PQfreemem(qrel);
	PQfreemem(qscope);
	return ok && !b->oom;
}

/* ------------------------------------------------------------ running */

static bool
create_helpers(PGconn *conn, const TypedTarget *t, N2pBuf *b, N2pError *err)
{
	size_t		i;

	for (i = 0; i < sizeof(try_types) / sizeof(try_types[0]); i++)
	{
		n2p_buf_reset(b);
		/*
		 * NULL for what n2p_pg_castable rejects (years outside 1..9999,
		 * whatever PostgreSQL's own input refuses), so that views, tables
		 * and the catalog's not_castable count agree.
		 */
		n2p_buf_printf(b, "CREATE FUNCTION %s.n2p_try_%s(t text) RETURNS %s LANGUAGE plpgsql STABLE "
					   "AS $f$ BEGIN %sRETURN t::%s; EXCEPTION WHEN others THEN RETURN NULL; END $f$",
					   t->qschema, try_types[i][0], try_types[i][1],
					   try_types[i][2][0] == 'y' ?
					   "IF t !~ '^[0-9]{4}-' OR t ~ '^0000-' THEN RETURN NULL; END IF; " : "",
					   try_types[i][1]);
		if (!pg_exec_one(conn, b->data, err))
			return false;
	}
	if (t->postgis_schema)
		return true;
	n2p_buf_reset(b);
	n2p_buf_printf(b, "CREATE TYPE %s AS (srid integer, x double precision, "
				   "y double precision, z double precision)", t->point_type);
	return pg_exec_one(conn, b->data, err);
}

static bool
insert_catalog_row(PGconn *conn, const TypedTarget *t, const ScopePlan *sp,
				   const KeyPlan *kp, const N2pCatalogEntry *e, N2pError *err)
{
	char		count[32],
				bad[32],
				sql[512];
	const char *params[9];
	PGresult   *res;
	bool		ok;

	snprintf(count, sizeof(count), "%llu", (unsigned long long) e->count);
	snprintf(bad, sizeof(bad), "%llu", (unsigned long long) e->not_castable);
	params[0] = sp->kind == N2P_REC_NODE ? "label" : "type";
	params[1] = sp->scope;
	params[2] = e->key;
	params[3] = e->type;
	params[4] = kp ? kp->pg_type : NULL;
	params[5] = count;
	params[6] = bad;
	params[7] = sp->relation[0] ? sp->relation : NULL;
	params[8] = kp ? kp->column : NULL;
	snprintf(sql, sizeof(sql), "INSERT INTO %s.catalog VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
			 t->qschema);
	res = PQexecParams(conn, sql, 9, NULL, params, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		n2p_error_set(err, N2P_ERR_IO, "PostgreSQL: %s", PQresultErrorMessage(res));
	PQclear(res);
	return ok;
}

/* Every catalog entry, with the relation and column it ended in. */
static bool
write_catalog(PGconn *conn, const TypedTarget *t, const Plan *p, N2pError *err)
{
	char		sql[600];
	size_t		i,
				s = 0;

	snprintf(sql, sizeof(sql),
			 "CREATE TABLE %s.catalog (kind text NOT NULL, scope text NOT NULL, key text, "
			 "neo4j_type text, pg_type text, \"values\" bigint NOT NULL, "
			 "not_castable bigint NOT NULL, relation text, \"column\" text)", t->qschema);
	if (!pg_exec_one(conn, sql, err))
		return false;
	for (i = 0; i < p->nentries; i++)
	{
		const N2pCatalogEntry *e = &p->entries[i];
		ScopePlan	none = {.kind = e->kind, .scope = e->scope};
		const ScopePlan *sp = &none;
		const KeyPlan *kp = NULL;
		size_t		k;

		while (s < p->nscopes && (p->scopes[s].kind < e->kind ||
								  (p->scopes[s].kind == e->kind &&
								   strcmp(p->scopes[s].scope, e->scope) < 0)))
			s++;
		if (s < p->nscopes && p->scopes[s].kind == e->kind &&
			strcmp(p->scopes[s].scope, e->scope) == 0)
			sp = &p->scopes[s];
		for (k = 0; e->key && k < sp->nkeys; k++)
			if (strcmp(sp->keys[k].key, e->key) == 0)
				kp = &sp->keys[k];
		if (!insert_catalog_row(conn, t, sp, kp, e, err))
			return false;
	}
	return true;
}

bool
pg_typed_create(PGconn *conn, const TypedTarget *t, N2pCatalog *cat, N2pError *err)
{
	Plan		plan;
	N2pBuf		b;
	size_t		i;
	bool		ok;

	NameSet		taken;

	if (!taken_names(conn, t, &taken, err))
		return false;
	n2p_buf_init(&b, &n2p_libc_allocator);
	plan_build(&plan, cat, t, &taken);
	name_set_free(&taken);
	ok = create_helpers(conn, t, &b, err) && write_catalog(conn, t, &plan, err);
	for (i = 0; ok && i < plan.nscopes; i++)
	{
		ok = view_sql(&b, conn, &plan.scopes[i], t) ||
			n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
		ok = ok && pg_exec_one(conn, b.data, err);
	}
	plan_free(&plan);
	n2p_buf_free(&b);
	return ok;
}

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

	if (!taken_names(conn, t, &taken, err))
		return false;
	plan_build(&plan, cat, t, &taken);
	name_set_free(&taken);
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
	ok = create_helpers(conn, t, &f.scratch, err) && write_catalog(conn, t, &plan, err);
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
	plan_free(&plan);
	return ok;
}
