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
#include "pg_typed_plan.h"
#include "pg_util.h"
#include "neo2pg/typemap.h"

#include <stdlib.h>
#include <string.h>


static const char *const reserved_names[] = {
	"nodes", "relationships", "load_info", "catalog", "neo4j_point", NULL};

/* ---------------------------------------------------------------- names */


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

void
typed_name_set_free(NameSet *set)
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




/* Entries [from, to) are one key of one scope: fold their types. */
static void
plan_key(KeyPlan *kp, const N2pCatalogEntry *e, size_t n, const TypedTarget *t)
{
	size_t		i;

	kp->key = e[0].key;
	kp->key_len = e[0].key_len;
	kp->not_castable = 0;
	kp->values = 0;
	for (i = 0; i < n; i++)
	{
		kp->not_castable += e[i].not_castable;
		kp->values += e[i].count;
	}
	kp->type = n2p_key_column_type(e, n);
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
			clash |= n2p_counted_cmp(kp->key, kp->key_len, fixed[f], strlen(fixed[f])) == 0;
		unique_name(&cols, kp->key, clash ? "_prop" : "", kp->column);
	}
	typed_name_set_free(&cols);
}

/* Count the distinct keys of the scope starting at entries[at]. */
static size_t
scope_end(const N2pCatalogEntry *e, size_t n, size_t at, size_t *nkeys)
{
	size_t		i = at + 1;

	*nkeys = 0;
	for (; i < n && e[i].key != NULL; i++)
		if (i == at + 1 || !n2p_catalog_same_key(&e[i], &e[i - 1]))
			(*nkeys)++;
	return i;
}

/*
 * Past PostgreSQL's limits on one relation (1600 columns; a table's row
 * must also fit in a page), the keys with the most
 * values keep their columns and the rest stay in props: the base table's
 * for views, the row's own props column in typed tables.
 */
static void
fit_columns(ScopePlan *sp, const TypedTarget *t)
{
	N2pKeyFit  *keys = xcalloc(sp->nkeys + 1, sizeof(N2pKeyFit));
	const N2pKeyFit **order = xcalloc(sp->nkeys + 1, sizeof(N2pKeyFit *));
	bool	   *fits = xcalloc(sp->nkeys + 1, sizeof(bool));
	size_t		i,
				k = 0;

	for (i = 0; i < sp->nkeys; i++)
		keys[i] = (N2pKeyFit) {{sp->keys[i].key, sp->keys[i].key_len}, sp->keys[i].values,
		sp->keys[i].type};
	if (n2p_typed_fit(keys, sp->nkeys, sp->kind, t->tables, order, fits) < sp->nkeys)
	{
		for (i = 0; i < sp->nkeys; i++)
			if (fits[i])
				sp->keys[k++] = sp->keys[i];
		sp->nomitted = sp->nkeys - k;
		sp->nkeys = k;
	}
	free(keys);
	free(order);
	free(fits);
}

static void
plan_scope(ScopePlan *sp, const N2pCatalogEntry *e, size_t from, size_t to,
		   size_t nkeys, const TypedTarget *t)
{
	size_t		i = from + 1,
				k = 0;

	sp->kind = e[from].kind;
	sp->scope = e[from].scope;
	sp->scope_len = e[from].scope_len;
	sp->keys = xcalloc(nkeys ? nkeys : 1, sizeof(KeyPlan));
	sp->nkeys = nkeys;
	while (i < to)
	{
		size_t		j = i + 1;

		while (j < to && n2p_catalog_same_key(&e[j], &e[i]))
			j++;
		plan_key(&sp->keys[k++], &e[i], j - i, t);
		i = j;
	}
	fit_columns(sp, t);
	plan_columns(sp, t);
}

/* Once the relations are named: say which lost columns to the limits. */
static void
report_omitted(const Plan *p, const TypedTarget *t)
{
	size_t		i;

	for (i = 0; i < p->nscopes; i++)
	{
		const ScopePlan *sp = &p->scopes[i];

		if (sp->nomitted == 0)
			continue;
		log_info("typed %s \"%s\": %zu of its %zu keys have a column (PostgreSQL allows %s); "
				 "the other %zu stay in props, and the catalog names them",
				 t->tables ? "table" : "view", sp->relation, sp->nkeys, sp->nkeys + sp->nomitted,
				 t->tables ? "1600 columns and 8160 bytes per row" : "1600 columns per view",
				 sp->nomitted);
	}
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

/*
 * Typed tables name their keys' indexes themselves, from the names still
 * free: the tables may be built in a staging schema and moved into the
 * target, where a name the server picked there could be taken.
 */
static void
name_keys(ScopePlan *sp, NameSet *rels, const TypedTarget *t)
{
	size_t		i,
				k;

	if (!t->tables)
		return;
	unique_name(rels, sp->relation, "_pkey", sp->pkey);
	for (i = 0; sp->kind == N2P_REC_NODE && i < t->meta->nconstraints; i++)
	{
		const N2pConstraint *c = &t->meta->constraints[i];

		if (n2p_counted_cmp(c->label, strlen(c->label), sp->scope, sp->scope_len) != 0)
			continue;
		for (k = 0; k < sp->nkeys; k++)
		{
			KeyPlan    *kp = &sp->keys[k];
			char		base[2 * NAMEDATALEN];

			if (n2p_counted_cmp(kp->key, kp->key_len, c->prop, strlen(c->prop)) != 0 ||
				!unique_is_exact(kp->type) || kp->ukey[0])
				continue;
			snprintf(base, sizeof(base), "%s_%s", sp->relation, kp->column);
			unique_name(rels, base, "_key", kp->ukey);
			kp->ukey_hash = t->unique_hash && t->unique_hash[i];
		}
	}
}

/*
 * Node views first, so that labels keep their names before types do.
 * taken: every name already used in the schema (tables, indexes, types).
 */
static void
name_relations(Plan *p, const NameSet *taken, const TypedTarget *t)
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
	for (i = 0; i < p->nscopes; i++)
		name_keys(&p->scopes[i], &rels, t);
	typed_name_set_free(&rels);
	typed_name_set_free(&labels);
}

void
typed_plan_build(Plan *p, N2pCatalog *cat, const TypedTarget *t, const NameSet *taken)
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
	name_relations(p, taken, t);
	report_omitted(p, t);
}

/*
 * The names the base layout's keys and indexes take, whether or not they
 * exist yet: typed tables may be planned before those are built.  A
 * uniqueness constraint's index takes the constraint's name, or else the
 * server's nodes_expr_idx, nodes_expr_idx1, ...
 */
static void
reserve_index_names(NameSet *set, const N2pGraphMeta *meta)
{
	static const char *const fixed[] = {
		"nodes_pkey", "relationships_pkey", "load_info_pkey", "nodes_labels_idx",
		"relationships_start_id_idx", "relationships_end_id_idx", "relationships_type_idx", NULL};
	size_t		i;
	int			k;

	for (k = 0; fixed[k]; k++)
		name_add(set, fixed[k]);
	for (i = 0; i < meta->nconstraints; i++)
	{
		char		name[48];

		if (meta->constraints[i].name)
		{
			char		cut[2 * NAMEDATALEN];

			/* the server cuts long names the same way */
			snprintf(cut, sizeof(cut), "%s", meta->constraints[i].name);
			utf8_cut(cut, NAMEDATALEN - 1);
			name_add(set, cut);
		}
		snprintf(name, sizeof(name), i ? "nodes_expr_idx%zu" : "nodes_expr_idx", i);
		name_add(set, name);
		/* a constraint too long for a btree is an exclusion constraint */
		snprintf(name, sizeof(name), i ? "nodes_expr_excl%zu" : "nodes_expr_excl", i);
		name_add(set, name);
	}
}

/* Names the schema already uses: relations, indexes and types share them. */
bool
typed_taken_names(PGconn *conn, const TypedTarget *t, NameSet *out, N2pError *err)
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
	if (ok)
		reserve_index_names(out, t->meta);
	return ok;
}

void
typed_plan_free(Plan *p)
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
	else if (kind == N2P_COL_TIMESTAMPTZ && t->meta->zone_ids)
	{
		/* "…+01:00[Europe/Paris]": the offset is cast, the zone id stays in props */
		if (try_fn && kp->not_castable > 0)
			n2p_buf_printf(b, "%s.%s(split_part(%s, '[', 1))", t->qschema, try_fn, tx);
		else
			n2p_buf_printf(b, "split_part(%s, '[', 1)::timestamptz", tx);
	}
	else if (try_fn && kp->not_castable > 0)
		n2p_buf_printf(b, "%s.%s(%s)", t->qschema, try_fn, tx);
	else
		n2p_buf_printf(b, "(%s)::%s", tx, n2p_col_kind_sql(kind));
}

static bool
column_expr(N2pBuf *b, PGconn *conn, const KeyPlan *kp, const TypedTarget *t)
{
	char	   *qkey = PQescapeLiteral(conn, kp->key, kp->key_len);
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
	char	   *qscope = PQescapeLiteral(conn, sp->scope, sp->scope_len);
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

bool
typed_create_helpers(PGconn *conn, const TypedTarget *t, N2pBuf *b, N2pError *err)
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
	/* typed tables create it where they are built */
	if (t->postgis_schema || t->tables)
		return true;
	n2p_buf_reset(b);
	n2p_buf_printf(b, "CREATE TYPE %s AS (srid integer, x double precision, "
				   "y double precision, z double precision)", t->point_type);
	return pg_exec_one(conn, b->data, err);
}

/* Why a key of a typed relation has no column, or NULL. */
static const char *
omitted_note(const ScopePlan *sp, const KeyPlan *kp, const N2pCatalogEntry *e, const TypedTarget *t)
{
	if (kp || e->key == NULL || sp->relation[0] == '\0')
		return NULL;
	if (t->tables)
		return "no column: PostgreSQL allows a table 1600 columns and a row 8160 bytes; "
			"the value is in this table's props";
	return sp->kind == N2P_REC_NODE ?
		"no column: PostgreSQL allows a view 1600 columns; the value is in nodes.props" :
		"no column: PostgreSQL allows a view 1600 columns; the value is in relationships.props";
}

static bool
insert_catalog_row(PGconn *conn, const TypedTarget *t, const ScopePlan *sp,
				   const KeyPlan *kp, const N2pCatalogEntry *e, N2pError *err)
{
	char		count[32],
				bad[32],
				sql[512];
	const char *params[10];
	PGresult   *res;
	bool		ok;

	snprintf(count, sizeof(count), "%llu", (unsigned long long) e->count);
	snprintf(bad, sizeof(bad), "%llu", (unsigned long long) e->not_castable);
	params[0] = sp->kind == N2P_REC_NODE ? "label" : "type";
	params[1] = sp->scope;
	/* text parameters end at a NUL: the sink replaced or refused every key's */
	params[2] = e->key;
	params[3] = e->type;
	params[4] = kp ? kp->pg_type : NULL;
	params[5] = count;
	params[6] = bad;
	params[7] = sp->relation[0] ? sp->relation : NULL;
	params[8] = kp ? kp->column : NULL;
	params[9] = omitted_note(sp, kp, e, t);
	snprintf(sql, sizeof(sql), "INSERT INTO %s.catalog VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
			 t->qschema);
	res = PQexecParams(conn, sql, 10, NULL, params, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		n2p_error_set(err, N2P_ERR_IO, "PostgreSQL: %s", PQresultErrorMessage(res));
	PQclear(res);
	return ok;
}

static int
scope_cmp(const ScopePlan *sp, const N2pCatalogEntry *e)
{
	return n2p_counted_cmp(sp->scope, sp->scope_len, e->scope, e->scope_len);
}

/* Every catalog entry, with the relation and column it ended in. */
bool
typed_write_catalog(PGconn *conn, const TypedTarget *t, const Plan *p, N2pError *err)
{
	char		sql[600];
	size_t		i,
				s = 0;

	snprintf(sql, sizeof(sql),
			 "CREATE TABLE %s.catalog (kind text NOT NULL, scope text NOT NULL, key text, "
			 "neo4j_type text, pg_type text, \"values\" bigint NOT NULL, "
			 "not_castable bigint NOT NULL, relation text, \"column\" text, note text)", t->qschema);
	if (!pg_exec_one(conn, sql, err))
		return false;
	for (i = 0; i < p->nentries; i++)
	{
		const N2pCatalogEntry *e = &p->entries[i];
		ScopePlan	none = {.kind = e->kind, .scope = e->scope, .scope_len = e->scope_len};
		const ScopePlan *sp = &none;
		const KeyPlan *kp = NULL;
		size_t		k;

		while (s < p->nscopes && (p->scopes[s].kind < e->kind ||
								  (p->scopes[s].kind == e->kind &&
								   scope_cmp(&p->scopes[s], e) < 0)))
			s++;
		if (s < p->nscopes && p->scopes[s].kind == e->kind && scope_cmp(&p->scopes[s], e) == 0)
			sp = &p->scopes[s];
		for (k = 0; e->key && k < sp->nkeys; k++)
			if (n2p_counted_cmp(sp->keys[k].key, sp->keys[k].key_len, e->key, e->key_len) == 0)
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

	if (!typed_taken_names(conn, t, &taken, err))
		return false;
	n2p_buf_init(&b, &n2p_libc_allocator);
	typed_plan_build(&plan, cat, t, &taken);
	typed_name_set_free(&taken);
	ok = typed_create_helpers(conn, t, &b, err) && typed_write_catalog(conn, t, &plan, err);
	for (i = 0; ok && i < plan.nscopes; i++)
	{
		ok = view_sql(&b, conn, &plan.scopes[i], t) ||
			n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
		ok = ok && pg_exec_one(conn, b.data, err);
	}
	typed_plan_free(&plan);
	n2p_buf_free(&b);
	return ok;
}
