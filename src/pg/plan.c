/*-------------------------------------------------------------------------
 *
 * plan.c
 *	  The typed views' and tables' plan (names, column types, which keys
 *	  fit) and their DDL text, with neo2pg's own quoting: no libpq, so that
 *	  the CLI, IMPORT FOREIGN SCHEMA, a PostgreSQL source and verify all
 *	  build the same relations.
 *
 * Names.  A node relation is named after its label, a relationship
 * relation after its type.  When that name is taken by a base object
 * (nodes, relationships, load_info, catalog, neo4j_point) or by anything
 * else in the schema (an index, a user's table) a node relation gets the
 * suffix "_label" and a relationship relation "_type"; a relationship
 * type that shares its name with a label also gets "_type".  Names are cut
 * to PostgreSQL's 63 bytes (on a character boundary) and, if still taken,
 * numbered "_2", "_3", ...  A property column is named after its key; a
 * key equal to a fixed column (id, labels, start_id, end_id, and props in
 * typed tables) gets "_prop".
 *
 * Values that the native type cannot hold (years outside 1..9999, offsets
 * beyond +-15:59:59, huge durations) read as NULL in views through
 * n2p_try_* cast functions, used only for the keys that have such values;
 * props keeps them exactly.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/pg/plan.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/pgplan.h"

#include <stdio.h>
#include <string.h>

static const char *const reserved_names[] = {
	"nodes", "relationships", "load_info", "catalog", "neo4j_point", NULL};

static bool
oom(N2pError *err)
{
	return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
}

/* The statement in b is whole, or err says why not. */
static bool
built(const N2pBuf *b, N2pError *err)
{
	return !b->oom || oom(err);
}

/* ------------------------------------------------------------- quoting */

static bool
quote(N2pBuf *b, const char *s, size_t len, char q, bool escape_backslash, N2pError *err)
{
	size_t		i,
				from = 0;

	if (memchr(s, '\0', len) != NULL)
		return n2p_error_set(err, N2P_ERR_SYNTAX, "a name holds U+0000, which SQL cannot say");
	if (escape_backslash && memchr(s, '\\', len) != NULL &&
		!n2p_buf_append(b, " E", 2))
		return oom(err);
	if (!n2p_buf_putc(b, q))
		return oom(err);
	/* copy runs, doubling each quote (and backslash) by repeating it */
	for (i = 0; i < len; i++)
	{
		if (s[i] != q && !(escape_backslash && s[i] == '\\'))
			continue;
		if (!n2p_buf_append(b, s + from, i + 1 - from))
			return oom(err);
		from = i;
	}
	if (!n2p_buf_append(b, s + from, len - from) || !n2p_buf_putc(b, q))
		return oom(err);
	return true;
}

bool
n2p_pg_quote_ident(N2pBuf *b, const char *s, size_t len, N2pError *err)
{
	return quote(b, s, len, '"', false, err);
}

bool
n2p_pg_quote_literal(N2pBuf *b, const char *s, size_t len, N2pError *err)
{
	return quote(b, s, len, '\'', true, err);
}

/* A quoted identifier, as a C string in q (which it resets). */
static bool
quoted_ident(N2pBuf *q, const char *name, N2pError *err)
{
	n2p_buf_reset(q);
	return n2p_pg_quote_ident(q, name, strlen(name), err);
}

/* ---------------------------------------------------------------- names */

void
n2p_pg_name_cut(char *s, size_t max)
{
	size_t		len = strlen(s);

	if (len <= max)
		return;
	len = max;
	while (len > 0 && ((unsigned char) s[len] & 0xC0) == 0x80)
		len--;
	s[len] = '\0';
}

void
n2p_name_set_init(N2pNameSet *set, const N2pAllocator *alloc)
{
	memset(set, 0, sizeof(*set));
	set->alloc = alloc;
}

bool
n2p_name_set_has(const N2pNameSet *set, const char *name)
{
	size_t		i;

	for (i = 0; i < set->n; i++)
		if (strcmp(set->names[i], name) == 0)
			return true;
	return false;
}

bool
n2p_name_set_add(N2pNameSet *set, const char *name)
{
	size_t		len = strlen(name);
	char	   *copy;

	if (set->n == set->cap)
	{
		size_t		cap = set->cap ? set->cap * 2 : 32;
		char	  **names = n2p_realloc(set->alloc, set->names, set->cap * sizeof(char *),
										cap * sizeof(char *));

		if (names == NULL)
			return false;
		set->names = names;
		set->cap = cap;
	}
	if ((copy = n2p_alloc(set->alloc, len + 1)) == NULL)
		return false;
	memcpy(copy, name, len + 1);
	set->names[set->n++] = copy;
	return true;
}

void
n2p_name_set_free(N2pNameSet *set)
{
	size_t		i;

	for (i = 0; i < set->n; i++)
		n2p_free(set->alloc, set->names[i]);
	n2p_free(set->alloc, set->names);
	n2p_name_set_init(set, set->alloc);
}

/* base + suffix, cut to fit, numbered until unused; added to the set. */
static bool
unique_name(N2pNameSet *set, const char *base, const char *suffix, char *out)
{
	char		tmp[N2P_PG_NAMEDATALEN * 2];
	int			k;

	snprintf(tmp, sizeof(tmp), "%s%s", base, suffix);
	n2p_pg_name_cut(tmp, N2P_PG_NAMEDATALEN - 1);
	for (k = 2; n2p_name_set_has(set, tmp); k++)
	{
		char		num[16];

		snprintf(num, sizeof(num), "_%d", k);
		snprintf(tmp, sizeof(tmp), "%s%s", base, suffix);
		n2p_pg_name_cut(tmp, N2P_PG_NAMEDATALEN - 1 - strlen(num));
		strcat(tmp, num);
	}
	strcpy(out, tmp);
	return n2p_name_set_add(set, tmp);
}

/*
 * A uniqueness constraint's index takes the constraint's name, or else the
 * server's nodes_expr_idx, nodes_expr_idx1, ...
 */
bool
n2p_pg_reserve_index_names(N2pNameSet *set, const N2pGraphMeta *meta)
{
	static const char *const fixed[] = {
		"nodes_pkey", "relationships_pkey", "load_info_pkey", "nodes_labels_idx",
		"relationships_start_id_idx", "relationships_end_id_idx", "relationships_type_idx", NULL};
	bool		ok = true;
	size_t		i;
	int			k;

	for (k = 0; ok && fixed[k]; k++)
		ok = n2p_name_set_add(set, fixed[k]);
	for (i = 0; ok && i < meta->nconstraints; i++)
	{
		char		name[48];

		if (meta->constraints[i].name)
		{
			char		cut[2 * N2P_PG_NAMEDATALEN];

			/* the server cuts long names the same way */
			snprintf(cut, sizeof(cut), "%s", meta->constraints[i].name);
			n2p_pg_name_cut(cut, N2P_PG_NAMEDATALEN - 1);
			ok = n2p_name_set_add(set, cut);
		}
		snprintf(name, sizeof(name), i ? "nodes_expr_idx%zu" : "nodes_expr_idx", i);
		ok = ok && n2p_name_set_add(set, name);
		/* a constraint too long for a btree is an exclusion constraint */
		snprintf(name, sizeof(name), i ? "nodes_expr_excl%zu" : "nodes_expr_excl", i);
		ok = ok && n2p_name_set_add(set, name);
	}
	return ok;
}

/* ------------------------------------------------------- the column plan */

/* Entries e[0..n) are one key of one scope: fold their types. */
static void
plan_key(N2pPgKeyPlan *kp, const N2pCatalogEntry *e, size_t n, const N2pPgTarget *t)
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

static bool
plan_columns(N2pPgScopePlan *sp, const N2pPgTarget *t, const N2pAllocator *alloc)
{
	/* tables also have "props" for the values their columns cannot hold */
	static const char *const node_fixed[] = {"id", "labels", "props", NULL};
	static const char *const rel_fixed[] = {"id", "start_id", "end_id", "props", NULL};
	const char *const *fixed = sp->kind == N2P_REC_NODE ? node_fixed : rel_fixed;
	N2pNameSet	cols;
	size_t		i,
				nfixed = sp->kind == N2P_REC_NODE ? 2 : 3;
	bool		ok = true;

	n2p_name_set_init(&cols, alloc);
	if (t->tables)
		nfixed++;
	for (i = 0; ok && i < nfixed; i++)
		ok = n2p_name_set_add(&cols, fixed[i]);
	for (i = 0; ok && i < sp->nkeys; i++)
	{
		N2pPgKeyPlan *kp = &sp->keys[i];
		bool		clash = false;
		size_t		f;

		for (f = 0; f < nfixed; f++)
			clash |= n2p_counted_cmp(kp->key, kp->key_len, fixed[f], strlen(fixed[f])) == 0;
		ok = unique_name(&cols, kp->key, clash ? "_prop" : "", kp->column);
	}
	n2p_name_set_free(&cols);
	return ok;
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
 * must also fit in a page), the keys with the most values keep their
 * columns and the rest stay in props: the base table's for views, the
 * row's own props column in typed tables.
 */
static bool
fit_columns(N2pPgScopePlan *sp, const N2pPgTarget *t, const N2pAllocator *alloc)
{
	size_t		n = sp->nkeys + 1;
	N2pKeyFit  *keys = n2p_alloc(alloc, n * sizeof(N2pKeyFit));
	const N2pKeyFit **order = n2p_alloc(alloc, n * sizeof(N2pKeyFit *));
	bool	   *fits = n2p_alloc(alloc, n * sizeof(bool));
	bool		ok = keys && order && fits;
	size_t		i,
				k = 0;

	for (i = 0; ok && i < sp->nkeys; i++)
		keys[i] = (N2pKeyFit) {{sp->keys[i].key, sp->keys[i].key_len}, sp->keys[i].values,
		sp->keys[i].type};
	if (ok && n2p_typed_fit(keys, sp->nkeys, sp->kind, t->tables, order, fits) < sp->nkeys)
	{
		for (i = 0; i < sp->nkeys; i++)
			if (fits[i])
				sp->keys[k++] = sp->keys[i];
		sp->nomitted = sp->nkeys - k;
		sp->nkeys = k;
	}
	n2p_free(alloc, keys);
	n2p_free(alloc, order);
	n2p_free(alloc, fits);
	return ok;
}

static bool
plan_scope(N2pPgScopePlan *sp, const N2pCatalogEntry *e, size_t from, size_t to,
		   size_t nkeys, const N2pPgTarget *t, const N2pAllocator *alloc)
{
	size_t		i = from + 1,
				k = 0;

	sp->kind = e[from].kind;
	sp->scope = e[from].scope;
	sp->scope_len = e[from].scope_len;
	sp->keys = n2p_alloc(alloc, (nkeys ? nkeys : 1) * sizeof(N2pPgKeyPlan));
	if (sp->keys == NULL)
		return false;
	memset(sp->keys, 0, (nkeys ? nkeys : 1) * sizeof(N2pPgKeyPlan));
	sp->nkeys = nkeys;
	while (i < to)
	{
		size_t		j = i + 1;

		while (j < to && n2p_catalog_same_key(&e[j], &e[i]))
			j++;
		plan_key(&sp->keys[k++], &e[i], j - i, t);
		i = j;
	}
	return fit_columns(sp, t, alloc) && plan_columns(sp, t, alloc);
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
static bool
name_keys(N2pPgScopePlan *sp, N2pNameSet *rels, const N2pPgTarget *t)
{
	size_t		i,
				k;

	if (!t->tables)
		return true;
	if (!unique_name(rels, sp->relation, "_pkey", sp->pkey))
		return false;
	for (i = 0; sp->kind == N2P_REC_NODE && i < t->meta->nconstraints; i++)
	{
		const N2pConstraint *c = &t->meta->constraints[i];

		if (n2p_counted_cmp(c->label, strlen(c->label), sp->scope, sp->scope_len) != 0)
			continue;
		for (k = 0; k < sp->nkeys; k++)
		{
			N2pPgKeyPlan *kp = &sp->keys[k];
			char		base[2 * N2P_PG_NAMEDATALEN];

			if (n2p_counted_cmp(kp->key, kp->key_len, c->prop, strlen(c->prop)) != 0 ||
				!unique_is_exact(kp->type) || kp->ukey[0])
				continue;
			snprintf(base, sizeof(base), "%s_%s", sp->relation, kp->column);
			if (!unique_name(rels, base, "_key", kp->ukey))
				return false;
			kp->ukey_hash = t->unique_hash && t->unique_hash[i];
		}
	}
	return true;
}

/*
 * Node relations first, so that labels keep their names before types do.
 * taken: every name already used in the schema (tables, indexes, types).
 */
static bool
name_relations(N2pPgPlan *p, const N2pNameSet *taken, const N2pPgTarget *t)
{
	N2pNameSet	rels,
				labels;
	size_t		i;
	int			i_r;
	bool		ok = true;

	n2p_name_set_init(&rels, p->alloc);
	n2p_name_set_init(&labels, p->alloc);
	for (i_r = 0; ok && reserved_names[i_r]; i_r++)
		ok = n2p_name_set_add(&rels, reserved_names[i_r]);
	for (i = 0; ok && i < taken->n; i++)
		ok = n2p_name_set_add(&rels, taken->names[i]);
	for (i = 0; ok && i < p->nscopes; i++)
		if (p->scopes[i].kind == N2P_REC_NODE)
			ok = n2p_name_set_add(&labels, p->scopes[i].scope);
	for (i = 0; ok && i < p->nscopes; i++)
	{
		N2pPgScopePlan *sp = &p->scopes[i];
		bool		is_node = sp->kind == N2P_REC_NODE;
		bool		clash = reserved(sp->scope) || n2p_name_set_has(taken, sp->scope) ||
			(!is_node && n2p_name_set_has(&labels, sp->scope));

		ok = unique_name(&rels, sp->scope, clash ? (is_node ? "_label" : "_type") : "",
						 sp->relation);
	}
	for (i = 0; ok && i < p->nscopes; i++)
		ok = name_keys(&p->scopes[i], &rels, t);
	n2p_name_set_free(&rels);
	n2p_name_set_free(&labels);
	return ok;
}

bool
n2p_pg_plan_build(N2pPgPlan *p, const N2pAllocator *alloc, N2pCatalog *cat,
				  const N2pPgTarget *t, const N2pNameSet *taken, N2pError *err)
{
	size_t		i = 0,
				n;
	const N2pCatalogEntry *e = n2p_catalog_entries(cat, &n);

	memset(p, 0, sizeof(*p));
	p->alloc = alloc;
	/* NULL only when out of memory: never take it for an empty graph */
	if (e == NULL)
		return oom(err);
	p->entries = e;
	p->nentries = n;
	p->scopes = n2p_alloc(alloc, (n ? n : 1) * sizeof(N2pPgScopePlan));
	if (p->scopes == NULL)
		return oom(err);
	memset(p->scopes, 0, (n ? n : 1) * sizeof(N2pPgScopePlan));
	while (i < n)
	{
		size_t		nkeys,
					end = scope_end(e, n, i, &nkeys);

		/* unlabeled nodes have no label to name a relation after */
		if (!(e[i].kind == N2P_REC_NODE && e[i].scope[0] == '\0') &&
			!plan_scope(&p->scopes[p->nscopes++], e, i, end, nkeys, t, alloc))
			return oom(err);
		i = end;
	}
	return name_relations(p, taken, t) || oom(err);
}

void
n2p_pg_plan_free(N2pPgPlan *p)
{
	size_t		i;

	for (i = 0; p->scopes && i < p->nscopes; i++)
		n2p_free(p->alloc, p->scopes[i].keys);
	n2p_free(p->alloc, p->scopes);
	p->scopes = NULL;
	p->nscopes = 0;
}

/* ----------------------------------------------------------- the catalog */

/* Why a key of a typed relation has no column, or NULL. */
static const char *
omitted_note(const N2pPgScopePlan *sp, const N2pPgKeyPlan *kp, const N2pCatalogEntry *e,
			 const N2pPgTarget *t)
{
	if (kp || e->key == NULL || sp == NULL)
		return NULL;
	if (t->tables)
		return "no column: PostgreSQL allows a table 1600 columns and a row 8160 bytes; "
			"the value is in this table's props";
	return sp->kind == N2P_REC_NODE ?
		"no column: PostgreSQL allows a view 1600 columns; the value is in nodes.props" :
		"no column: PostgreSQL allows a view 1600 columns; the value is in relationships.props";
}

static int
scope_cmp(const N2pPgScopePlan *sp, const N2pCatalogEntry *e)
{
	if (sp->kind != e->kind)
		return sp->kind < e->kind ? -1 : 1;
	return n2p_counted_cmp(sp->scope, sp->scope_len, e->scope, e->scope_len);
}

void
n2p_pg_plan_catalog_row(const N2pPgPlan *p, const N2pPgTarget *t, size_t i, size_t *cursor,
						N2pPgCatalogRow *row)
{
	const N2pCatalogEntry *e = &p->entries[i];
	const N2pPgScopePlan *sp = NULL;
	const N2pPgKeyPlan *kp = NULL;
	size_t		k;

	while (*cursor < p->nscopes && scope_cmp(&p->scopes[*cursor], e) < 0)
		(*cursor)++;
	if (*cursor < p->nscopes && scope_cmp(&p->scopes[*cursor], e) == 0)
		sp = &p->scopes[*cursor];
	for (k = 0; sp && e->key && k < sp->nkeys; k++)
		if (n2p_counted_cmp(sp->keys[k].key, sp->keys[k].key_len, e->key, e->key_len) == 0)
			kp = &sp->keys[k];
	row->kind = e->kind == N2P_REC_NODE ? "label" : "type";
	row->scope = e->scope;
	row->key = e->key;
	row->neo4j_type = e->type;
	row->pg_type = kp ? kp->pg_type : NULL;
	row->values = e->count;
	row->not_castable = e->not_castable;
	row->relation = sp ? sp->relation : NULL;
	row->column = kp ? kp->column : NULL;
	row->note = omitted_note(sp, kp, e, t);
}

/* ------------------------------------------------------------ helpers */

/* name, type, and whether the text starts with a year to check */
static const char *const try_types[N2P_PG_TRY_FUNCTIONS][3] = {
	{"date", "date", "y"}, {"time", "time", "n"}, {"timetz", "timetz", "n"},
	{"timestamp", "timestamp", "y"}, {"timestamptz", "timestamptz", "y"},
	{"interval", "interval", "n"}};

bool
n2p_pg_try_function_sql(N2pBuf *b, size_t i, const N2pPgTarget *t, N2pError *err)
{
	n2p_buf_reset(b);

	/*
	 * NULL for what n2p_pg_castable rejects (years outside 1..9999,
	 * whatever PostgreSQL's own input refuses), so that views, tables and
	 * the catalog's not_castable count agree.
	 */
	n2p_buf_printf(b, "CREATE FUNCTION %s.n2p_try_%s(t text) RETURNS %s LANGUAGE plpgsql STABLE "
				   "AS $f$ BEGIN %sRETURN t::%s; EXCEPTION WHEN others THEN RETURN NULL; END $f$",
				   t->qschema, try_types[i][0], try_types[i][1],
				   try_types[i][2][0] == 'y' ?
				   "IF t !~ '^[0-9]{4}-' OR t ~ '^0000-' THEN RETURN NULL; END IF; " : "",
				   try_types[i][1]);
	return built(b, err);
}

bool
n2p_pg_point_type_sql(N2pBuf *b, const N2pPgTarget *t, N2pError *err)
{
	n2p_buf_reset(b);
	n2p_buf_printf(b, "CREATE TYPE %s AS (srid integer, x double precision, "
				   "y double precision, z double precision)", t->point_type);
	return built(b, err);
}

bool
n2p_pg_catalog_table_sql(N2pBuf *b, const N2pPgTarget *t, N2pError *err)
{
	n2p_buf_reset(b);
	n2p_buf_printf(b, "CREATE TABLE %s.catalog (kind text NOT NULL, scope text NOT NULL, key text, "
				   "neo4j_type text, pg_type text, \"values\" bigint NOT NULL, "
				   "not_castable bigint NOT NULL, relation text, \"column\" text, note text)",
				   t->qschema);
	return built(b, err);
}

/* --------------------------------------------------------------- views */

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
 * The expression for one point: j is its jsonb (props->'k', or e inside an
 * array).  When the key has points PostgreSQL's columns cannot hold
 * (n2p_pg_castable: a NaN or infinite coordinate, kept in props as the
 * string "NaN"), the view gives NULL for them as the typed tables do; the
 * test is left out otherwise, as for the other types' n2p_try_*.
 */
static void
point_expr(N2pBuf *b, const N2pPgKeyPlan *kp, const char *j, const N2pPgTarget *t)
{
	const char *ps = t->postgis_schema;
	bool		guard = kp->not_castable > 0;

	if (guard)
		n2p_buf_printf(b, "CASE WHEN jsonb_typeof(%s->'x') = 'number' AND jsonb_typeof(%s->'y') = "
					   "'number' AND coalesce(jsonb_typeof(%s->'z'), 'number') = 'number' THEN ",
					   j, j, j);
	if (ps == NULL)
	{
		/* a row of NULLs is not NULL: an absent point must stay NULL */
		n2p_buf_printf(b, "CASE WHEN %s IS NOT NULL THEN ROW((%s->>'srid')::integer, "
					   "(%s->>'x')::float8, (%s->>'y')::float8, (%s->>'z')::float8)::%s END",
					   j, j, j, j, j, t->point_type);
	}
	else if (kp->type.srid != 0)
	{
		/* the typmod outside the guard's CASE, which would drop it */
		n2p_buf_printf(b, "%s.ST_SetSRID(%s.ST_MakePoint((%s->>'x')::float8, (%s->>'y')::float8",
					   ps, ps, j, j);
		if (kp->type.has_z)
			n2p_buf_printf(b, ", (%s->>'z')::float8", j);
		n2p_buf_printf(b, "), %d)", (int) kp->type.srid);
	}
	else
		n2p_buf_printf(b, "%s.ST_SetSRID(CASE WHEN %s ? 'z' THEN %s.ST_MakePoint((%s->>'x')::float8, "
					   "(%s->>'y')::float8, (%s->>'z')::float8) ELSE %s.ST_MakePoint((%s->>'x')::float8, "
					   "(%s->>'y')::float8) END, (%s->>'srid')::integer)",
					   ps, j, ps, j, j, j, ps, j, j, j);
	if (guard)
		n2p_buf_printf(b, " END");
	if (ps != NULL && kp->type.srid != 0)
		n2p_buf_printf(b, "::%s.geometry(Point%s,%d)", ps, kp->type.has_z ? "Z" : "",
					   (int) kp->type.srid);
}

/* j is the value's jsonb, tx its text: props->'k' and props->>'k', or e and e #>> '{}'. */
static void
value_expr(N2pBuf *b, const N2pPgKeyPlan *kp, const char *j, const char *tx,
		   const N2pPgTarget *t)
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

/* "expression AS column"; q, j and tx are scratch. */
static bool
column_expr(N2pBuf *b, const N2pPgKeyPlan *kp, const N2pPgTarget *t, N2pBuf *q, N2pBuf *j,
			N2pBuf *tx, N2pError *err)
{
	n2p_buf_reset(q);
	if (!n2p_pg_quote_literal(q, kp->key, kp->key_len, err))
		return false;
	if (kp->type.is_array)
	{
		n2p_buf_printf(b, "(CASE WHEN props ? %s THEN ARRAY(SELECT ", q->data);
		value_expr(b, kp, "e", "(e #>> '{}')", t);
		/* ARRAY() and CASE drop a typmod such as geometry(Point,4326) */
		n2p_buf_printf(b, " FROM jsonb_array_elements(props->%s) WITH ORDINALITY AS a(e, i) "
					   "ORDER BY i) END)::%s", q->data, kp->pg_type_sql);
	}
	else
	{
		/* growable: a cut literal would turn the rest into SQL */
		n2p_buf_reset(j);
		n2p_buf_reset(tx);
		if (!n2p_buf_printf(j, "(props->%s)", q->data) ||
			!n2p_buf_printf(tx, "(props->>%s)", q->data))
			return oom(err);
		value_expr(b, kp, j->data, tx->data, t);
	}
	n2p_buf_printf(b, " AS ");
	return quoted_ident(q, kp->column, err) && (n2p_buf_append(b, q->data, q->len) || oom(err));
}

bool
n2p_pg_view_sql(N2pBuf *b, const N2pPgScopePlan *sp, const N2pPgTarget *t, N2pError *err)
{
	N2pBuf		q,
				j,
				tx;
	size_t		i;
	bool		ok;

	n2p_buf_init(&q, b->alloc);
	n2p_buf_init(&j, b->alloc);
	n2p_buf_init(&tx, b->alloc);
	n2p_buf_reset(b);
	ok = quoted_ident(&q, sp->relation, err);
	if (ok)
		n2p_buf_printf(b, "CREATE VIEW %s.%s AS SELECT id, %s", t->qschema, q.data,
					   sp->kind == N2P_REC_NODE ? "labels" : "start_id, end_id");
	for (i = 0; ok && i < sp->nkeys; i++)
	{
		n2p_buf_printf(b, ",\n  ");
		ok = column_expr(b, &sp->keys[i], t, &q, &j, &tx, err);
	}
	n2p_buf_reset(&q);
	ok = ok && n2p_pg_quote_literal(&q, sp->scope, sp->scope_len, err);
	if (ok && sp->kind == N2P_REC_NODE)
		n2p_buf_printf(b, "\nFROM %s.nodes WHERE labels @> ARRAY[%s]::text[]", t->qschema, q.data);
	else if (ok)
		n2p_buf_printf(b, "\nFROM %s.relationships WHERE type = %s", t->qschema, q.data);
	n2p_buf_free(&q);
	n2p_buf_free(&j);
	n2p_buf_free(&tx);
	return ok && built(b, err);
}

/* -------------------------------------------------------------- tables */

bool
n2p_pg_table_sql(N2pBuf *b, const N2pPgScopePlan *sp, const N2pPgTarget *t, N2pError *err)
{
	N2pBuf		q;
	size_t		i;
	bool		ok;

	n2p_buf_init(&q, b->alloc);
	n2p_buf_reset(b);
	ok = quoted_ident(&q, sp->relation, err);
	if (ok)
		n2p_buf_printf(b, "CREATE TABLE %s.%s (id bigint NOT NULL, %s", t->qschema, q.data,
					   sp->kind == N2P_REC_NODE ? "labels text[] NOT NULL" :
					   "start_id bigint NOT NULL, end_id bigint NOT NULL");
	for (i = 0; ok && i < sp->nkeys; i++)
	{
		const N2pPgKeyPlan *kp = &sp->keys[i];
		bool		own_point = kp->type.kind == N2P_COL_POINT && !t->postgis_schema;
		char		point[256];

		/* neo2pg's point type lives where the table is built */
		if (own_point)
			n2p_column_type_sql(kp->type, false, t->point_type, point, sizeof(point));
		ok = quoted_ident(&q, kp->column, err);
		if (ok)
			n2p_buf_printf(b, ", %s %s", q.data, own_point ? point : kp->pg_type_sql);
	}
	if (ok)
		n2p_buf_printf(b, ", props jsonb)");
	n2p_buf_free(&q);
	return ok && built(b, err);
}

bool
n2p_pg_table_keys_sql(N2pBuf *b, const N2pPgScopePlan *sp, const N2pPgTarget *t, N2pError *err)
{
	N2pBuf		q,
				q2;
	size_t		k;
	bool		ok;

	n2p_buf_init(&q, b->alloc);
	n2p_buf_init(&q2, b->alloc);
	n2p_buf_reset(b);
	ok = quoted_ident(&q, sp->relation, err) && quoted_ident(&q2, sp->pkey, err);
	if (ok)
		n2p_buf_printf(b, "ALTER TABLE %s.%s ADD CONSTRAINT %s PRIMARY KEY (id)", t->qschema,
					   q.data, q2.data);
	for (k = 0; ok && k < sp->nkeys; k++)
	{
		const N2pPgKeyPlan *kp = &sp->keys[k];

		if (kp->ukey[0] == '\0')
			continue;
		ok = quoted_ident(&q, kp->ukey, err) && quoted_ident(&q2, kp->column, err);
		if (ok)
			n2p_buf_printf(b, kp->ukey_hash ? ", ADD CONSTRAINT %s EXCLUDE USING hash (%s WITH =)" :
						   ", ADD CONSTRAINT %s UNIQUE (%s)", q.data, q2.data);
	}
	n2p_buf_free(&q);
	n2p_buf_free(&q2);
	return ok && built(b, err);
}

/* b reset, q holding the relation's quoted name. */
static bool
relation_begin(N2pBuf *b, N2pBuf *q, const N2pPgScopePlan *sp, N2pError *err)
{
	n2p_buf_init(q, b->alloc);
	n2p_buf_reset(b);
	return quoted_ident(q, sp->relation, err);
}

static bool
relation_end(N2pBuf *b, N2pBuf *q, bool ok, N2pError *err)
{
	n2p_buf_free(q);
	return ok && built(b, err);
}

bool
n2p_pg_table_fkeys_sql(N2pBuf *b, const N2pPgScopePlan *sp, const N2pPgTarget *t, N2pError *err)
{
	N2pBuf		q;
	bool		ok = relation_begin(b, &q, sp, err);

	if (ok)
		n2p_buf_printf(b, "ALTER TABLE %s.%s ADD FOREIGN KEY (start_id) REFERENCES %s.nodes, "
					   "ADD FOREIGN KEY (end_id) REFERENCES %s.nodes",
					   t->qschema, q.data, t->qschema, t->qschema);
	return relation_end(b, &q, ok, err);
}

bool
n2p_pg_table_prune_sql(N2pBuf *b, const N2pPgScopePlan *sp, const N2pPgTarget *t, N2pError *err)
{
	N2pBuf		q;
	bool		ok = relation_begin(b, &q, sp, err);

	if (ok)
		n2p_buf_printf(b, "DELETE FROM %s.%s t WHERE NOT EXISTS "
					   "(SELECT 1 FROM %s.relationships r WHERE r.id = t.id)",
					   t->qschema, q.data, t->qschema);
	return relation_end(b, &q, ok, err);
}

bool
n2p_pg_table_copy_sql(N2pBuf *b, const N2pPgScopePlan *sp, const N2pPgTarget *t, N2pError *err)
{
	N2pBuf		q;
	bool		ok = relation_begin(b, &q, sp, err);

	if (ok)
		n2p_buf_printf(b, "COPY %s.%s FROM STDIN (FORMAT binary, FREEZE)", t->qschema, q.data);
	return relation_end(b, &q, ok, err);
}
