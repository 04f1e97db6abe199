/*-------------------------------------------------------------------------
 *
 * typemap.c
 *	  Choose native PostgreSQL column types for Neo4j properties.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/pg/typemap.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/typemap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* PostgreSQL's limit on time zone displacement (TZDISP_LIMIT). */
#define PG_MAX_OFFSET (15 * 3600 + 59 * 60 + 59)
#define SECS_PER_DAY 86400

static const struct
{
	const char *name;
	N2pColKind	kind;
}			scalar_kinds[] = {
	{"integer", N2P_COL_BIGINT},
	{"float", N2P_COL_FLOAT8},
	{"string", N2P_COL_TEXT},
	{"boolean", N2P_COL_BOOL},
	{"bytes", N2P_COL_BYTEA},
	{"date", N2P_COL_DATE},
	{"localtime", N2P_COL_TIME},
	{"time", N2P_COL_TIMETZ},
	{"localdatetime", N2P_COL_TIMESTAMP},
	{"datetime", N2P_COL_TIMESTAMPTZ},
	{"duration", N2P_COL_INTERVAL},
	{"point", N2P_COL_POINT},
};

/* Parse "date", "point(4326)"; false for anything else. */
static bool
scalar_type(const char *name, size_t len, N2pColumnType *out)
{
	size_t		i;

	memset(out, 0, sizeof(*out));
	if (len > 6 && strncmp(name, "point(", 6) == 0)
	{
		out->kind = N2P_COL_POINT;
		out->srid = (int32_t) strtol(name + 6, NULL, 10);
		out->has_z = n2p_srid_is_3d(out->srid);
		return true;
	}
	for (i = 0; i < sizeof(scalar_kinds) / sizeof(scalar_kinds[0]); i++)
		if (strlen(scalar_kinds[i].name) == len && strncmp(scalar_kinds[i].name, name, len) == 0)
		{
			out->kind = scalar_kinds[i].kind;
			return true;
		}
	return false;
}

/* Fold one more type into the column type; false when they conflict. */
static bool
merge(N2pColumnType *acc, bool *have, N2pColumnType t)
{
	if (!*have)
	{
		*acc = t;
		*have = true;
		return true;
	}
	if (acc->kind != t.kind || acc->is_array != t.is_array)
		return false;
	if (acc->kind == N2P_COL_POINT && acc->srid != t.srid)
		acc->srid = 0;			/* mixed SRIDs: a plain geometry column */
	return true;
}

/* The types of one key seen so far; once two conflict it is jsonb for good. */
typedef struct TypeFold
{
	N2pColumnType acc;
	bool		have;
	bool		empty_list;
	bool		mixed;
} TypeFold;

static void
fold_add(TypeFold *f, const char *name)
{
	size_t		len = strlen(name);
	N2pColumnType t;

	if (f->mixed)
		return;
	if (strcmp(name, "list") == 0)
	{
		f->empty_list = true;
		return;
	}
	if (len > 6 && strncmp(name, "list<", 5) == 0 && name[len - 1] == '>')
	{
		f->mixed = !scalar_type(name + 5, len - 6, &t);
		t.is_array = true;
	}
	else
		f->mixed = !scalar_type(name, len, &t);
	if (!f->mixed)
		f->mixed = !merge(&f->acc, &f->have, t);
}

static N2pColumnType
fold_end(const TypeFold *f)
{
	N2pColumnType jsonb;

	/* empty lists fit any array; alone their element type is unknown */
	if (!f->mixed && f->have && (!f->empty_list || f->acc.is_array))
		return f->acc;
	memset(&jsonb, 0, sizeof(jsonb));
	jsonb.kind = N2P_COL_JSONB;
	return jsonb;
}

N2pColumnType
n2p_column_type(const char *const *types, size_t n)
{
	TypeFold	f = {0};
	size_t		i;

	for (i = 0; i < n; i++)
		fold_add(&f, types[i]);
	return fold_end(&f);
}

N2pColumnType
n2p_key_column_type(const N2pCatalogEntry *e, size_t n)
{
	TypeFold	f = {0};
	size_t		i;

	for (i = 0; i < n; i++)
		fold_add(&f, e[i].type);
	return fold_end(&f);
}

const char *
n2p_col_kind_sql(N2pColKind kind)
{
	static const char *const names[] = {
		[N2P_COL_JSONB] = "jsonb", [N2P_COL_BIGINT] = "bigint",
		[N2P_COL_FLOAT8] = "double precision", [N2P_COL_TEXT] = "text",
		[N2P_COL_BOOL] = "boolean", [N2P_COL_BYTEA] = "bytea", [N2P_COL_DATE] = "date",
		[N2P_COL_TIME] = "time", [N2P_COL_TIMETZ] = "timetz",
		[N2P_COL_TIMESTAMP] = "timestamp", [N2P_COL_TIMESTAMPTZ] = "timestamptz",
		[N2P_COL_INTERVAL] = "interval", [N2P_COL_POINT] = ""};

	return names[kind];
}

void
n2p_column_type_sql(N2pColumnType t, bool postgis, const char *point_type,
					char *buf, size_t len)
{
	const char *arr = t.is_array ? "[]" : "";

	if (t.kind != N2P_COL_POINT)
		snprintf(buf, len, "%s%s", n2p_col_kind_sql(t.kind), arr);
	else if (!postgis)
		snprintf(buf, len, "%s%s", point_type, arr);
	else if (t.srid == 0)
		snprintf(buf, len, "geometry%s", arr);
	else
		snprintf(buf, len, "geometry(Point%s,%d)%s", t.has_z ? "Z" : "", (int) t.srid, arr);
}

static bool
year_ok(int64_t days)
{
	int64_t		y;
	int			m,
				d;

	n2p_civil_from_days(days, &y, &m, &d);
	return y >= 1 && y <= 9999;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

bool
n2p_pg_castable(const N2pValue *v)
{
	size_t		i;

	switch (v->type)
	{
		case N2P_DATE:
			return year_ok(v->u.date);
		case N2P_TIME:
			return v->u.time.offset >= -PG_MAX_OFFSET && v->u.time.offset <= PG_MAX_OFFSET;
		case N2P_DATETIME:
			if (v->u.dt.offset < -PG_MAX_OFFSET || v->u.dt.offset > PG_MAX_OFFSET)
				return false;
			/* fall through */
		case N2P_LOCALDATETIME:
			return year_ok(floor_div(v->u.dt.secs, SECS_PER_DAY));
		case N2P_DURATION:
			/* interval: int32 months and days, int64 microseconds */
			return v->u.dur.months >= INT32_MIN && v->u.dur.months <= INT32_MAX &&
				v->u.dur.days >= INT32_MIN && v->u.dur.days <= INT32_MAX &&
				v->u.dur.secs > INT64_MIN / 1000000 + 1 && v->u.dur.secs < INT64_MAX / 1000000 - 1;
		case N2P_POINT:
			/* float8 holds NaN, but the typed tables and PostGIS do not take it */
			return isfinite(v->u.point.x) && isfinite(v->u.point.y) && isfinite(v->u.point.z);
		case N2P_LIST:
			for (i = 0; i < v->u.list.n; i++)
				if (!n2p_pg_castable(&v->u.list.items[i]))
					return false;
			return true;
		default:
			return true;
	}
}

/* ------------------------------------------------- relation limits */

/*
 * A row's header with a null bitmap for 1600 columns (23 + 200 bytes,
 * aligned to 8): every typed table row may have NULLs.
 */
#define ROW_HEADER_MAX 224
/* a varlena TOAST leaves in place: at most its pointer's 24 bytes */
#define VARLENA_INLINE_MAX 24

size_t
n2p_column_max_bytes(N2pColumnType t)
{
	/* width plus the worst padding before it (alignment - 1) */
	if (t.is_array || t.kind == N2P_COL_POINT)
		return VARLENA_INLINE_MAX + 7;	/* double-aligned */
	switch (t.kind)
	{
		case N2P_COL_BOOL:
			return 1;
		case N2P_COL_DATE:
			return 4 + 3;
		case N2P_COL_BIGINT:
		case N2P_COL_FLOAT8:
		case N2P_COL_TIME:
		case N2P_COL_TIMESTAMP:
		case N2P_COL_TIMESTAMPTZ:
			return 8 + 7;
		case N2P_COL_TIMETZ:
			return 12 + 7;
		case N2P_COL_INTERVAL:
			return 16 + 7;
		default:
			return VARLENA_INLINE_MAX + 3;	/* text, bytea, jsonb: int-aligned */
	}
}

static int
fit_order(const void *a, const void *b)
{
	const N2pKeyFit *x = *(const N2pKeyFit *const *) a;
	const N2pKeyFit *y = *(const N2pKeyFit *const *) b;
	size_t		len = x->key.len < y->key.len ? x->key.len : y->key.len;
	int			c;

	if (x->values != y->values)
		return x->values > y->values ? -1 : 1;
	if ((c = memcmp(x->key.ptr, y->key.ptr, len)) != 0)
		return c;
	return x->key.len < y->key.len ? -1 : x->key.len > y->key.len;
}

size_t
n2p_typed_fit(const N2pKeyFit *keys, size_t n, N2pRecKind kind, bool tables,
			  const N2pKeyFit **order, bool *fits)
{
	N2pColumnType bigint = {.kind = N2P_COL_BIGINT},
				jsonb = {.kind = N2P_COL_JSONB},
				labels = {.kind = N2P_COL_TEXT, .is_array = true};
	bool		node = kind == N2P_REC_NODE;
	/* id, labels or start_id and end_id; tables add props */
	size_t		columns = (node ? 2 : 3) + tables,
				bytes = ROW_HEADER_MAX + n2p_column_max_bytes(bigint) +
		(node ? n2p_column_max_bytes(labels) : 2 * n2p_column_max_bytes(bigint)) +
		n2p_column_max_bytes(jsonb),
				nfit = 0,
				i;

	for (i = 0; i < n; i++)
	{
		order[i] = &keys[i];
		fits[i] = false;
	}
	qsort(order, n, sizeof(order[0]), fit_order);
	for (i = 0; i < n && columns < N2P_PG_MAX_COLUMNS; i++)
	{
		size_t		w = n2p_column_max_bytes(order[i]->type);

		/* a view's row is never stored: only its columns are counted */
		if (tables && bytes + w > N2P_PG_MAX_ROW_BYTES)
			continue;
		bytes += w;
		columns++;
		fits[order[i] - keys] = true;
		nfit++;
	}
	return nfit;
}
