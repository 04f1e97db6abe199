/*-------------------------------------------------------------------------
 *
 * admin_csv.c
 *	  The neo4j-admin import sink: CSV data files per label set and per
 *	  relationship type, their headers, and import.sh (admin_csv.h).
 *
 * The syntax is the import tool's own (Neo4j 5.26, community/csv
 * Extractors and import-util DataFactories), checked against the tool:
 *	 - every non-null field is quoted, a quote doubled inside; an empty
 *	   unquoted field is a property the row does not have, and "" is the
 *	   empty string (--ignore-empty-strings stays false);
 *	 - a header entry is name:type, the type after the last ':', so a key
 *	   may hold ':' but not '{', '}', '(' or ')' (options and id groups);
 *	 - arrays (and the :LABEL column) are split on the array delimiter,
 *	   which cannot be escaped: U+001F, refused inside a label or a string
 *	   of a list; an empty array reads back as no value, so an empty list
 *	   or byte array, and [""], are refused;
 *	 - doubles go through Java's Double.parseDouble: NaN, Infinity,
 *	   -Infinity, -0.0 and 5e-324 as such; bytes are byte[] (-128..127);
 *	 - temporal values in ISO form, years beyond 9999 with a '+', DateTimes
 *	   with their offset and zone id ("...-05:00[America/New_York]": the
 *	   offset picks the instant in a DST overlap); points as
 *	   {srid:N, x:..., y:..., z:...}.
 * Rows written before a key first appeared in their group end early: the
 * tool reads missing trailing fields as absent.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/backup/admin_csv.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/admin_csv.h"
#include "neo2pg/float_repr.h"
#include "neo2pg/temporal.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLUSH_SIZE (64 * 1024)
#define LIST_FLAG 0x100			/* a column type: element type | LIST_FLAG */

typedef struct Column
{
	char	   *key;
	size_t		klen;
	int			type;			/* of the first value seen */
	bool		mixed;			/* another type came later: a string column */
} Column;

typedef struct Group
{
	N2pRecKind	kind;
	char	   *name;			/* labels joined by the delimiter, or the type */
	size_t		nlen;
	int			num;
	void	   *fh;
	N2pBuf		out;
	Column	   *cols;
	size_t		ncols;
	size_t		cap;
	uint64_t	rows;
} Group;

typedef struct AdminCsv
{
	N2pSink		base;
	N2pAdminCsvOptions opts;
	const N2pAllocator *alloc;
	const N2pGraphMeta *meta;
	bool		begun;
	Group	  **groups;			/* in order of first row */
	size_t		ngroups;
	size_t		gcap;
	const N2pValue **slot;		/* the row's value of each column */
	size_t		slot_cap;
	size_t	   *order;			/* label sort */
	size_t		order_cap;
	N2pBuf		path;
	N2pBuf		name;
	N2pBuf		field;
	N2pBuf		mixed;
	bool		multiline;
	uint64_t	files;
} AdminCsv;

static const char *const stem[2] = {"nodes", "relationships"};

static bool
nomem(N2pError *err)
{
	return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
}

/* --------------------------------------------------------------- values */

static const char *
base_name(int type)
{
	switch (type & ~LIST_FLAG)
	{
		case N2P_BOOL:
			return "boolean";
		case N2P_INT:
			return "long";
		case N2P_FLOAT:
			return "double";
		case N2P_STRING:
			return "string";
		case N2P_BYTES:
			return "byte[]";
		case N2P_DATE:
			return "date";
		case N2P_TIME:
			return "time";
		case N2P_LOCALTIME:
			return "localtime";
		case N2P_DATETIME:
			return "datetime";
		case N2P_LOCALDATETIME:
			return "localdatetime";
		case N2P_DURATION:
			return "duration";
		case N2P_POINT:
			return "point";
		default:
			return NULL;
	}
}

/* The column type of a value; lists must be non-empty and of one type. */
static bool
value_type(const N2pValue *v, int *type, N2pError *err)
{
	size_t		i;

	if (v->type != N2P_LIST)
	{
		*type = v->type;
		if (base_name(v->type) == NULL)
			return n2p_error_set(err, N2P_ERR_DATA, "a %s cannot be a property",
								 n2p_type_name(v->type));
		if (v->type == N2P_BYTES && v->u.str.len == 0)
			return n2p_error_set(err, N2P_ERR_DATA, "the import tool reads an empty byte "
								 "array as no value");
		return true;
	}
	if (v->u.list.n == 0)
		return n2p_error_set(err, N2P_ERR_DATA, "the import tool reads an empty list as no value");
	for (i = 0; i < v->u.list.n; i++)
	{
		N2pType		t = v->u.list.items[i].type;

		if (t != v->u.list.items[0].type)
			return n2p_error_set(err, N2P_ERR_DATA, "a list of %s and %s cannot be a property",
								 n2p_type_name(v->u.list.items[0].type), n2p_type_name(t));
		if (t == N2P_LIST || t == N2P_BYTES || base_name(t) == NULL)
			return n2p_error_set(err, N2P_ERR_DATA, "a list of %s cannot be a property",
								 n2p_type_name(t));
	}
	if (v->u.list.n == 1 && v->u.list.items[0].type == N2P_STRING &&
		v->u.list.items[0].u.str.len == 0)
		return n2p_error_set(err, N2P_ERR_DATA, "the import tool reads [\"\"] as no value");
	*type = v->u.list.items[0].type | LIST_FLAG;
	return true;
}

static bool
put_double(N2pBuf *b, double d, N2pError *err)
{
	char		tmp[N2P_DOUBLE_BUFSZ];

	if (isnan(d))
		return n2p_buf_append(b, "NaN", 3) || nomem(err);
	if (isinf(d))
		return (d < 0 ? n2p_buf_append(b, "-Infinity", 9) : n2p_buf_append(b, "Infinity", 8)) ||
			nomem(err);
	return n2p_buf_append(b, tmp, n2p_format_double(d, tmp)) || nomem(err);
}

/* Years beyond 9999 need their sign: "+999999999-12-31". */
static bool
put_temporal(N2pBuf *b, const N2pValue *v, N2pError *err)
{
	size_t		at = b->len,
				digits = 0;

	if (!n2p_temporal_in_range(v))
		return n2p_error_set(err, N2P_ERR_DATA, "a %s out of range", n2p_type_name(v->type));
	if (!n2p_temporal_format(v, b, false, true))
		return nomem(err);
	if (v->type != N2P_DATE && v->type != N2P_DATETIME && v->type != N2P_LOCALDATETIME)
		return true;
	while (at + digits < b->len && b->data[at + digits] >= '0' && b->data[at + digits] <= '9')
		digits++;
	if (digits > 4)
	{
		if (!n2p_buf_putc(b, '\0'))
			return nomem(err);
		memmove(b->data + at + 1, b->data + at, b->len - at - 1);
		b->data[at] = '+';
	}
	return true;
}

static bool
put_point(N2pBuf *b, const N2pValue *v, N2pError *err)
{
	bool		z = n2p_srid_is_3d(v->u.point.srid);

	if (!isfinite(v->u.point.x) || !isfinite(v->u.point.y) || (z && !isfinite(v->u.point.z)))
		return n2p_error_set(err, N2P_ERR_DATA, "Neo4j refuses a point with a NaN or "
							 "infinite coordinate");
	if (!n2p_buf_printf(b, "{srid:%d,x:", (int) v->u.point.srid))
		return nomem(err);
	if (!put_double(b, v->u.point.x, err) || !n2p_buf_append(b, ",y:", 3) ||
		!put_double(b, v->u.point.y, err))
		return err->code ? false : nomem(err);
	if (z && (!n2p_buf_append(b, ",z:", 3) || !put_double(b, v->u.point.z, err)))
		return err->code ? false : nomem(err);
	return n2p_buf_putc(b, '}') || nomem(err);
}

static bool
put_scalar(N2pBuf *b, const N2pValue *v, bool in_list, N2pError *err)
{
	switch (v->type)
	{
		case N2P_BOOL:
			return (v->u.b ? n2p_buf_append(b, "true", 4) : n2p_buf_append(b, "false", 5)) ||
				nomem(err);
		case N2P_INT:
			return n2p_buf_printf(b, "%" PRId64, v->u.i) || nomem(err);
		case N2P_FLOAT:
			return put_double(b, v->u.f, err);
		case N2P_STRING:
			if (in_list && memchr(v->u.str.ptr, N2P_ADMIN_ARRAY_DELIM, v->u.str.len))
				return n2p_error_set(err, N2P_ERR_DATA, "a string of a list holds U+001F, "
									 "the array delimiter, which cannot be escaped");
			return n2p_buf_append(b, v->u.str.ptr, v->u.str.len) || nomem(err);
		case N2P_POINT:
			return put_point(b, v, err);
		default:
			return put_temporal(b, v, err);
	}
}

static bool
put_value(N2pBuf *b, const N2pValue *v, N2pError *err)
{
	size_t		i;

	if (v->type == N2P_BYTES)
	{
		for (i = 0; i < v->u.str.len; i++)
			if (!n2p_buf_printf(b, i ? "\x1f%d" : "%d", (int) (int8_t) v->u.str.ptr[i]))
				return nomem(err);
		return true;
	}
	if (v->type != N2P_LIST)
		return put_scalar(b, v, false, err);
	for (i = 0; i < v->u.list.n; i++)
		if ((i && !n2p_buf_putc(b, N2P_ADMIN_ARRAY_DELIM)) ||
			!put_scalar(b, &v->u.list.items[i], true, err))
			return err->code ? false : nomem(err);
	return true;
}

/* One CSV field, quoted, with the quote doubled. */
static bool
put_quoted(AdminCsv *w, N2pBuf *out, const char *s, size_t len)
{
	size_t		i;

	if (!n2p_buf_putc(out, '"'))
		return false;
	for (i = 0; i < len; i++)
	{
		if (s[i] == '"' && !n2p_buf_putc(out, '"'))
			return false;
		if (s[i] == '\n' || s[i] == '\r')
			w->multiline = true;
		if (!n2p_buf_putc(out, s[i]))
			return false;
	}
	return n2p_buf_putc(out, '"');
}

/* ----------------------------------------------------------- groups, keys */

static bool
group_name(AdminCsv *w, const N2pRecord *rec, N2pError *err)
{
	size_t		i,
				j;

	n2p_buf_reset(&w->name);
	if (rec->kind == N2P_REC_REL)
	{
		if (rec->type.len == 0)
			return n2p_error_set(err, N2P_ERR_DATA, "Neo4j refuses an empty relationship type");
		return n2p_buf_append(&w->name, rec->type.ptr, rec->type.len) || nomem(err);
	}
	if (rec->nlabels > w->order_cap)
	{
		size_t	   *o = n2p_realloc(w->alloc, w->order, w->order_cap * sizeof(size_t),
									rec->nlabels * sizeof(size_t));

		if (o == NULL)
			return nomem(err);
		w->order = o;
		w->order_cap = rec->nlabels;
	}
	/* a label set, whatever the order: insertion sort, sets are small */
	for (i = 0; i < rec->nlabels; i++)
	{
		N2pStr		l = rec->labels[i];

		if (l.len == 0 || memchr(l.ptr, N2P_ADMIN_ARRAY_DELIM, l.len))
			return n2p_error_set(err, N2P_ERR_DATA, "label \"%.*s\" is empty or holds U+001F, "
								 "the array delimiter", (int) (l.len > 64 ? 64 : l.len), l.ptr);
		for (j = i; j > 0 && n2p_str_cmp(rec->labels[w->order[j - 1]], l) > 0; j--)
			w->order[j] = w->order[j - 1];
		w->order[j] = i;
	}
	for (i = 0; i < rec->nlabels; i++)
		if ((i && !n2p_buf_putc(&w->name, N2P_ADMIN_ARRAY_DELIM)) ||
			!n2p_buf_append(&w->name, rec->labels[w->order[i]].ptr, rec->labels[w->order[i]].len))
			return nomem(err);
	return true;
}

static const char *
file_path(AdminCsv *w, const Group *g, const char *suffix)
{
	n2p_buf_reset(&w->path);
	if (!n2p_buf_printf(&w->path, "%s/%s_%04d%s", w->opts.tmp_dir, stem[g->kind], g->num, suffix))
		return NULL;
	return w->path.data;
}

/*
 * The group of a label set or type: a linear search, since a file is open
 * per group and there are few (N2P_ADMIN_MAX_GROUPS).
 */
static Group *
get_group(AdminCsv *w, const N2pRecord *rec, N2pError *err)
{
	Group	   *g;
	const char *p;
	size_t		i;

	if (!group_name(w, rec, err))
		return NULL;
	for (i = w->ngroups; i-- > 0;)
	{
		g = w->groups[i];
		if (g->kind == rec->kind && g->nlen == w->name.len &&
			(g->nlen == 0 || memcmp(g->name, w->name.data, g->nlen) == 0))
			return g;
	}
	if (w->ngroups == N2P_ADMIN_MAX_GROUPS)
		return n2p_error_set(err, N2P_ERR_LIMIT, "more than %d label sets and relationship "
							 "types: the import needs one file each", N2P_ADMIN_MAX_GROUPS), NULL;
	if (w->ngroups == w->gcap)
	{
		size_t		cap = w->gcap ? w->gcap * 2 : 16;
		Group	  **gs = n2p_realloc(w->alloc, w->groups, w->gcap * sizeof(Group *),
									 cap * sizeof(Group *));

		if (gs == NULL)
			return nomem(err), NULL;
		w->groups = gs;
		w->gcap = cap;
	}
	if ((g = n2p_alloc(w->alloc, sizeof(Group))) == NULL)
		return nomem(err), NULL;
	memset(g, 0, sizeof(*g));
	w->groups[w->ngroups++] = g;
	g->kind = rec->kind;
	g->num = (int) w->ngroups;
	n2p_buf_init(&g->out, w->alloc);
	if ((g->name = n2p_alloc(w->alloc, w->name.len + 1)) == NULL)
		return nomem(err), NULL;
	/* an unlabeled node's group has an empty name, maybe before any buffer */
	if (w->name.len)
		memcpy(g->name, w->name.data, w->name.len);
	g->name[w->name.len] = '\0';
	g->nlen = w->name.len;
	if ((p = file_path(w, g, ".csv")) == NULL)
		return nomem(err), NULL;
	if ((g->fh = w->opts.io->open(w->opts.io->ctx, p, err)) == NULL)
		return NULL;
	w->files++;
	return g;
}

static Column *
get_column(AdminCsv *w, Group *g, N2pStr key, int type, size_t *idx, N2pError *err)
{
	Column	   *c;
	size_t		i;

	for (i = 0; i < g->ncols; i++)
		if (n2p_str_same((N2pStr) {g->cols[i].key, g->cols[i].klen}, key))
			break;
	if (i == g->ncols)
	{
		if (key.len == 0 || memchr(key.ptr, '{', key.len) || memchr(key.ptr, '}', key.len) ||
			memchr(key.ptr, '(', key.len) || memchr(key.ptr, ')', key.len))
			return n2p_error_set(err, N2P_ERR_DATA, "the import tool's header cannot name a key "
								 "that is empty or holds '{', '}', '(' or ')'"), NULL;
		if (g->ncols == g->cap)
		{
			size_t		cap = g->cap ? g->cap * 2 : 16;
			Column	   *cs = n2p_realloc(w->alloc, g->cols, g->cap * sizeof(Column),
										 cap * sizeof(Column));

			if (cs == NULL)
				return nomem(err), NULL;
			g->cols = cs;
			g->cap = cap;
		}
		c = &g->cols[g->ncols++];
		if ((c->key = n2p_alloc(w->alloc, key.len)) == NULL)
			return g->ncols--, nomem(err), NULL;
		memcpy(c->key, key.ptr, key.len);
		c->klen = key.len;
		c->type = type;
		c->mixed = false;
	}
	c = &g->cols[i];
	c->mixed |= c->type != type;
	*idx = i;
	return c;
}

/* ------------------------------------------------------------------ rows */

static bool
grow_slots(AdminCsv *w, size_t n, N2pError *err)
{
	const N2pValue **s;
	size_t		cap = w->slot_cap ? w->slot_cap : 64;

	if (n <= w->slot_cap)
		return true;
	while (cap < n)
		cap *= 2;
	s = n2p_realloc(w->alloc, w->slot, w->slot_cap * sizeof(*s), cap * sizeof(*s));
	if (s == NULL)
		return nomem(err);
	w->slot = s;
	w->slot_cap = cap;
	return true;
}

static bool
place_props(AdminCsv *w, Group *g, const N2pValue *props, N2pError *err)
{
	size_t		i,
				idx;
	int			type = N2P_NULL;

	if (!grow_slots(w, g->ncols + props->u.map.n, err))
		return false;
	memset(w->slot, 0, (g->ncols + props->u.map.n) * sizeof(*w->slot));
	for (i = 0; i < props->u.map.n; i++)
	{
		N2pStr		key = props->u.map.keys[i];
		const N2pValue *v = &props->u.map.vals[i];

		if (v->type == N2P_NULL)
			continue;
		if (!value_type(v, &type, err) || get_column(w, g, key, type, &idx, err) == NULL)
		{
			n2p_error_set_key(err, key.ptr, key.len);
			return false;
		}
		w->slot[idx] = v;
	}
	return true;
}

static bool
put_row(AdminCsv *w, Group *g, const N2pRecord *rec, N2pError *err)
{
	N2pBuf	   *o = &g->out;
	size_t		i;
	bool		ok;

	if (rec->kind == N2P_REC_NODE)
		ok = n2p_buf_printf(o, "%" PRId64 ",", rec->id) &&
			(g->nlen == 0 || put_quoted(w, o, g->name, g->nlen));
	else
		ok = n2p_buf_printf(o, "%" PRId64 ",%" PRId64 ",", rec->start_id, rec->end_id) &&
			put_quoted(w, o, g->name, g->nlen);
	if (!ok)
		return nomem(err);
	for (i = 0; i < g->ncols; i++)
	{
		if (!n2p_buf_putc(o, ','))
			return nomem(err);
		if (w->slot[i] == NULL)
			continue;
		n2p_buf_reset(&w->field);
		if (!put_value(&w->field, w->slot[i], err))
		{
			n2p_error_set_key(err, g->cols[i].key, g->cols[i].klen);
			return false;
		}
		if (!put_quoted(w, o, w->field.data, w->field.len))
			return nomem(err);
	}
	if (!n2p_buf_putc(o, '\n'))
		return nomem(err);
	g->rows++;
	if (o->len < FLUSH_SIZE)
		return true;
	if (!w->opts.io->write(w->opts.io->ctx, g->fh, o->data, o->len, err))
		return false;
	n2p_buf_reset(o);
	return true;
}

static bool
admin_write(N2pSink *sink, const N2pRecord *rec, N2pError *err)
{
	AdminCsv   *w = (AdminCsv *) sink;
	Group	   *g;

	if ((g = get_group(w, rec, err)) != NULL && place_props(w, g, &rec->props, err) &&
		put_row(w, g, rec, err))
		return true;
	if (err->row_kind == NULL)
	{
		err->row_kind = rec->kind == N2P_REC_NODE ? "node" : "relationship";
		err->row_id = rec->id;
	}
	if (rec->origin)
		n2p_error_set_file(err, rec->origin);
	return false;
}

/* ----------------------------------------------------------- the end */

static bool
write_file(AdminCsv *w, const char *path, const N2pBuf *b, N2pError *err)
{
	void	   *fh = w->opts.io->open(w->opts.io->ctx, path, err);
	bool		ok;

	if (fh == NULL)
		return false;
	ok = w->opts.io->write(w->opts.io->ctx, fh, b->data, b->len, err);
	ok = w->opts.io->close(w->opts.io->ctx, fh, ok ? err : &(N2pError) {0}) && ok;
	w->files++;
	return ok;
}

static bool
write_header(AdminCsv *w, Group *g, N2pError *err)
{
	N2pBuf	   *b = &w->field;
	size_t		i;

	n2p_buf_reset(b);
	if (!n2p_buf_printf(b, "%s", g->kind == N2P_REC_NODE ? ":ID,:LABEL" : ":START_ID,:END_ID,:TYPE"))
		return nomem(err);
	for (i = 0; i < g->ncols; i++)
	{
		Column	   *c = &g->cols[i];
		int			t = c->mixed ? N2P_STRING : c->type;

		n2p_buf_reset(&w->name);
		if (!n2p_buf_append(&w->name, c->key, c->klen) ||
			!n2p_buf_printf(&w->name, ":%s%s", base_name(t), t & LIST_FLAG ? "[]" : "") ||
			!n2p_buf_putc(b, ',') || !put_quoted(w, b, w->name.data, w->name.len))
			return nomem(err);
		if (c->mixed && !n2p_buf_printf(&w->mixed, "%s %.*s: %.*s\n",
										g->kind == N2P_REC_NODE ? "label set" : "type",
										(int) g->nlen, g->name, (int) c->klen, c->key))
			return nomem(err);
	}
	return (n2p_buf_putc(b, '\n') || nomem(err)) &&
		write_file(w, file_path(w, g, ".header.csv"), b, err);
}

/* Backquoted Cypher names, the backquote doubled. */
static bool
put_ident(N2pBuf *b, const char *s)
{
	if (!n2p_buf_putc(b, '`'))
		return false;
	for (; *s; s++)
		if ((*s == '`' && !n2p_buf_putc(b, '`')) || !n2p_buf_putc(b, *s))
			return false;
	return n2p_buf_putc(b, '`');
}

/* The source's uniqueness constraints, to run once the database is up. */
static bool
write_schema(AdminCsv *w, N2pError *err)
{
	N2pBuf	   *b = &w->field;
	size_t		i;

	n2p_buf_reset(b);
	for (i = 0; i < w->meta->nconstraints; i++)
	{
		const N2pConstraint *c = &w->meta->constraints[i];

		if (!n2p_buf_printf(b, "CREATE CONSTRAINT ") ||
			(c->name && (!put_ident(b, c->name) || !n2p_buf_putc(b, ' '))) ||
			!n2p_buf_printf(b, "IF NOT EXISTS FOR (n:") || !put_ident(b, c->label) ||
			!n2p_buf_printf(b, ") REQUIRE n.") || !put_ident(b, c->prop) ||
			!n2p_buf_printf(b, " IS UNIQUE\n;\n"))
			return nomem(err);
	}
	n2p_buf_reset(&w->path);
	return n2p_buf_printf(&w->path, "%s/schema.cypher", w->opts.tmp_dir) ?
		write_file(w, w->path.data, b, err) : nomem(err);
}

static bool
write_script(AdminCsv *w, N2pError *err)
{
	N2pBuf	   *b = &w->field;
	size_t		i;

	n2p_buf_reset(b);
	if (!n2p_buf_printf(b, "#!/bin/sh\n"
						"# Written by neo2pg: imports the CSV files beside this script into a new\n"
						"# or empty database with the Neo4j 5 import tool, then, once the server\n"
						"# is up, run schema.cypher (cypher-shell -f schema.cypher) for the\n"
						"# source's uniqueness constraints.\n"
						"#   ./import.sh [DATABASE] [OPTION]...   (default database: neo4j)\n"
						"set -e\ncd \"$(dirname \"$0\")\"\ndb=${1:-neo4j}\n[ $# -gt 0 ] && shift\n"
						"exec neo4j-admin database import full \"$db\" --id-type=integer "
						"--array-delimiter=U+001F%s \\\n",
						w->multiline ? " --multiline-fields=true" : ""))
		return nomem(err);
	for (i = 0; i < w->ngroups; i++)
	{
		Group	   *g = w->groups[i];

		if (!n2p_buf_printf(b, "\t--%s=%s_%04d.header.csv,%s_%04d.csv \\\n",
							stem[g->kind], stem[g->kind], g->num, stem[g->kind], g->num))
			return nomem(err);
	}
	if (!n2p_buf_printf(b, "\t\"$@\"\n"))
		return nomem(err);
	n2p_buf_reset(&w->path);
	return n2p_buf_printf(&w->path, "%s/import.sh", w->opts.tmp_dir) ?
		write_file(w, w->path.data, b, err) : nomem(err);
}

static bool
admin_finish(N2pSink *sink, N2pError *err)
{
	AdminCsv   *w = (AdminCsv *) sink;
	const N2pOutputIo *io = w->opts.io;
	size_t		i;

	for (i = 0; i < w->ngroups; i++)
	{
		Group	   *g = w->groups[i];
		void	   *fh = g->fh;

		if (g->out.len && !io->write(io->ctx, fh, g->out.data, g->out.len, err))
			return false;
		g->fh = NULL;
		if (!io->close(io->ctx, fh, err))
			return false;
	}
	n2p_buf_reset(&w->mixed);
	for (i = 0; i < w->ngroups; i++)
		if (!write_header(w, w->groups[i], err))
			return false;
	if (!write_schema(w, err) || !write_script(w, err) ||
		!io->rename(io->ctx, w->opts.tmp_dir, w->opts.dir, err))
		return false;
	w->begun = false;			/* the tree is the target's now */
	return true;
}

static bool
admin_begin(N2pSink *sink, const N2pGraphMeta *meta, N2pError *err)
{
	AdminCsv   *w = (AdminCsv *) sink;

	w->meta = meta;
	if (!w->opts.io->mkdir(w->opts.io->ctx, w->opts.tmp_dir, err))
		return false;
	w->begun = true;
	return true;
}

static void
admin_abort(N2pSink *sink)
{
	AdminCsv   *w = (AdminCsv *) sink;
	N2pError	ignored;
	size_t		i;

	for (i = 0; i < w->ngroups; i++)
		if (w->groups[i]->fh)
		{
			n2p_error_init(&ignored);
			w->opts.io->close(w->opts.io->ctx, w->groups[i]->fh, &ignored);
			w->groups[i]->fh = NULL;
		}
	if (w->begun)
		w->opts.io->remove_tree(w->opts.io->ctx, w->opts.tmp_dir);
	w->begun = false;
}

static void
admin_close(N2pSink *sink)
{
	AdminCsv   *w = (AdminCsv *) sink;
	size_t		i,
				j;

	admin_abort(sink);
	for (i = 0; i < w->ngroups; i++)
	{
		Group	   *g = w->groups[i];

		for (j = 0; j < g->ncols; j++)
			n2p_free(w->alloc, g->cols[j].key);
		n2p_free(w->alloc, g->cols);
		n2p_free(w->alloc, g->name);
		n2p_buf_free(&g->out);
		n2p_free(w->alloc, g);
	}
	n2p_free(w->alloc, w->groups);
	n2p_free(w->alloc, w->slot);
	n2p_free(w->alloc, w->order);
	n2p_buf_free(&w->path);
	n2p_buf_free(&w->name);
	n2p_buf_free(&w->field);
	n2p_buf_free(&w->mixed);
	n2p_free(w->alloc, w);
}

static const N2pSinkOps admin_ops = {admin_begin, admin_write, admin_finish, admin_abort,
admin_close};

N2pSink *
n2p_admin_csv_open(const N2pAdminCsvOptions *opts, const N2pAllocator *alloc, N2pError *err)
{
	AdminCsv   *w = n2p_alloc(alloc, sizeof(AdminCsv));

	if (w == NULL)
		return nomem(err), NULL;
	memset(w, 0, sizeof(*w));
	w->base.ops = &admin_ops;
	w->opts = *opts;
	w->alloc = alloc;
	n2p_buf_init(&w->path, alloc);
	n2p_buf_init(&w->name, alloc);
	n2p_buf_init(&w->field, alloc);
	n2p_buf_init(&w->mixed, alloc);
	return &w->base;
}

const char *
n2p_admin_csv_mixed_keys(N2pSink *sink)
{
	AdminCsv   *w = (AdminCsv *) sink;

	if (!n2p_buf_putc(&w->mixed, '\0'))
		return "";
	w->mixed.len--;
	return w->mixed.data;
}

uint64_t
n2p_admin_csv_files(N2pSink *sink)
{
	return ((AdminCsv *) sink)->files;
}
