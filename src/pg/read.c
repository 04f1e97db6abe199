/*-------------------------------------------------------------------------
 *
 * read.c
 *	  Rows of the neo2pg layout back into records (see pgread.h).
 *
 * The JSON text of props and prop_types is read with the backup's parser
 * (src/backup/json.c), one document at a time from memory, its stacks
 * reused from row to row: it already builds model values in an arena,
 * keeps each float's token (so that a sink can reuse it unformatted), and
 * runs at hundreds of MB/s.  jansson would build a tree of its own per row
 * to be converted again, and drops the tokens.
 *
 * prop_types is applied by walking both maps at once: jsonb prints the
 * keys of an object in one order (shorter first, then bytewise), so each
 * entry is found a little after the previous one; any other order still
 * works, only slower.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/pg/read.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/pgread.h"
#include "neo2pg/bytes.h"
#include "neo2pg/json.h"
#include "neo2pg/temporal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXTOID 25

struct N2pPgReader
{
	const N2pAllocator *alloc;
	N2pJsonReader *json;
};

N2pPgReader *
n2p_pg_reader_new(const N2pAllocator *alloc, N2pError *err)
{
	N2pPgReader *r = n2p_alloc(alloc, sizeof(N2pPgReader));

	if (r == NULL)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory"), NULL;
	r->alloc = alloc;
	if ((r->json = n2p_json_reader_new(NULL, alloc, err)) == NULL)
	{
		n2p_free(alloc, r);
		return NULL;
	}
	return r;
}

void
n2p_pg_reader_free(N2pPgReader *r)
{
	if (r == NULL)
		return;
	n2p_json_reader_free(r->json);
	n2p_free(r->alloc, r);
}

/* ------------------------------------------------------------ values */

/* What a prop_types entry says: a type, of the value or of its elements. */
typedef struct Mark
{
	N2pType		type;
	bool		list;
} Mark;

static const N2pType marked_types[] = {
	N2P_FLOAT, N2P_BYTES, N2P_POINT, N2P_DATE, N2P_TIME, N2P_LOCALTIME, N2P_DATETIME,
	N2P_LOCALDATETIME, N2P_DURATION, N2P_STRING, N2P_INT, N2P_BOOL
};

static bool
parse_mark(N2pStr s, Mark *m)
{
	size_t		i;

	m->list = s.len > 6 && memcmp(s.ptr, "list<", 5) == 0 && s.ptr[s.len - 1] == '>';
	if (m->list)
	{
		s.ptr += 5;
		s.len -= 6;
	}
	for (i = 0; i < sizeof(marked_types) / sizeof(marked_types[0]); i++)
		if (n2p_str_eq(s, n2p_type_name(marked_types[i])))
		{
			m->type = marked_types[i];
			return true;
		}
	return false;
}

static const char *
json_kind(const N2pValue *v)
{
	switch (v->type)
	{
		case N2P_NULL:
			return "a JSON null";
		case N2P_BOOL:
			return "a JSON boolean";
		case N2P_INT:
		case N2P_FLOAT:
			return "a JSON number";
		case N2P_STRING:
			return "a JSON string";
		case N2P_LIST:
			return "a JSON array";
		default:
			return "a JSON object";
	}
}

static bool
mismatch(const N2pValue *v, N2pType want, N2pError *err)
{
	return n2p_error_set(err, N2P_ERR_DATA, "prop_types says %s, but the value is %s",
						 n2p_type_name(want), json_kind(v));
}

static bool
bad_text(const N2pValue *v, N2pType want, N2pError *err)
{
	char		shown[72];

	n2p_text_prefix(v->u.str.ptr, v->u.str.len, shown, 64);
	return n2p_error_set(err, N2P_ERR_DATA, "prop_types says %s, but \"%s\" does not parse as one",
						 n2p_type_name(want), shown);
}

/* -?digits[.digits][(e|E)[+-]digits]: what float8 prints and Python writes */
static bool
float_syntax(const char *s, size_t len)
{
	size_t		i = s[0] == '-',
				d = 0;

	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++, d++;
	if (i < len && s[i] == '.')
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			d++;
	if (d == 0)
		return false;
	if (i < len && (s[i] == 'e' || s[i] == 'E'))
	{
		i += i + 1 < len && (s[i + 1] == '+' || s[i + 1] == '-');
		d = 0;
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			d++;
		if (d == 0)
			return false;
	}
	return i == len;
}

/*
 * A float kept as a string ("NaN", "-0.0", "1e+20").  The parser's
 * strings end in a NUL, so strtod stops there at the latest.
 */
static bool
float_from_text(N2pValue *v, N2pError *err)
{
	const char *s = v->u.str.ptr;
	size_t		len = v->u.str.len;
	double		d;
	char	   *end;

	if (n2p_str_eq(v->u.str, "NaN"))
		d = NAN;
	else if (n2p_str_eq(v->u.str, "Infinity"))
		d = INFINITY;
	else if (n2p_str_eq(v->u.str, "-Infinity"))
		d = -INFINITY;
	else
	{
		if (len == 0 || !float_syntax(s, len))
			return bad_text(v, N2P_FLOAT, err);
		errno = 0;
		d = strtod(s, &end);
		/* out of float8's range, which PostgreSQL refuses too */
		if (end != s + len || (errno == ERANGE && (isinf(d) || d == 0)))
			return bad_text(v, N2P_FLOAT, err);
	}
	v->type = N2P_FLOAT;
	v->u.fnum.f = d;
	v->u.fnum.text = NULL;
	v->u.fnum.len = 0;
	return true;
}

static bool
to_float(N2pValue *v, N2pError *err)
{
	if (v->type == N2P_FLOAT)
		return true;
	if (v->type == N2P_INT)
	{
		double		d = (double) v->u.i;

		v->type = N2P_FLOAT;
		v->u.fnum.f = d;
		v->u.fnum.text = NULL;
		v->u.fnum.len = 0;
		return true;
	}
	if (v->type == N2P_STRING)
		return float_from_text(v, err);
	return mismatch(v, N2P_FLOAT, err);
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char) (c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* "\x0102", as bytea prints it */
static bool
to_bytes(N2pValue *v, N2pArena *arena, N2pError *err)
{
	const char *s = v->u.str.ptr;
	size_t		n = v->u.str.len,
				i;
	char	   *out;

	if (v->type != N2P_STRING)
		return mismatch(v, N2P_BYTES, err);
	if (n < 2 || s[0] != '\\' || s[1] != 'x' || n % 2 != 0)
		return bad_text(v, N2P_BYTES, err);
	if ((out = n2p_arena_alloc(arena, n / 2)) == NULL && n > 2)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	for (i = 2; i < n; i += 2)
	{
		int			hi = hex_digit(s[i]),
					lo = hex_digit(s[i + 1]);

		if (hi < 0 || lo < 0)
			return bad_text(v, N2P_BYTES, err);
		out[i / 2 - 1] = (char) (hi << 4 | lo);
	}
	v->type = N2P_BYTES;
	v->u.str.ptr = out;
	v->u.str.len = n / 2 - 1;
	return true;
}

static bool
bad_point(const char *why, N2pError *err)
{
	return n2p_error_set(err, N2P_ERR_DATA, "prop_types says point, but %s", why);
}

/* {"srid": 4326, "x": 56.0, "y": 12.0} (+ "z"), coordinates as floats are */
static bool
to_point(N2pValue *v, N2pError *err)
{
	N2pValue   *x = NULL,
			   *y = NULL,
			   *z = NULL,
			   *srid = NULL;
	size_t		i;
	int64_t		s;

	if (v->type != N2P_MAP)
		return mismatch(v, N2P_POINT, err);
	for (i = 0; i < v->u.map.n; i++)
	{
		N2pStr		k = v->u.map.keys[i];
		N2pValue  **slot = n2p_str_eq(k, "x") ? &x : n2p_str_eq(k, "y") ? &y :
			n2p_str_eq(k, "z") ? &z : n2p_str_eq(k, "srid") ? &srid : NULL;

		if (slot == NULL)
			return bad_point("the object has a member other than srid, x, y and z", err);
		*slot = &v->u.map.vals[i];
	}
	if (srid == NULL || x == NULL || y == NULL)
		return bad_point("the object lacks srid, x or y", err);
	s = srid->type == N2P_INT ? srid->u.i : 0;
	if (s != N2P_SRID_WGS84 && s != N2P_SRID_WGS84_3D && s != N2P_SRID_CARTESIAN &&
		s != N2P_SRID_CARTESIAN_3D)
		return bad_point("srid is not one of Neo4j's (4326, 4979, 7203, 9157)", err);
	if ((z != NULL) != n2p_srid_is_3d((int32_t) s))
		return bad_point(z ? "a 2-D srid has a z" : "a 3-D srid has no z", err);
	if (!to_float(x, err) || !to_float(y, err) || (z && !to_float(z, err)))
		return false;
	v->type = N2P_POINT;
	v->u.point.srid = (int32_t) s;
	v->u.point.x = x->u.f;
	v->u.point.y = y->u.f;
	v->u.point.z = z ? z->u.f : 0;
	return true;
}

static bool
to_type(N2pValue *v, N2pType t, N2pArena *arena, N2pError *err)
{
	switch (t)
	{
		case N2P_FLOAT:
			return to_float(v, err);
		case N2P_BYTES:
			return to_bytes(v, arena, err);
		case N2P_POINT:
			return to_point(v, err);
		case N2P_STRING:
		case N2P_INT:
		case N2P_BOOL:
			return v->type == t || mismatch(v, t, err);
		default:
			break;
	}
	if (v->type != N2P_STRING)
		return mismatch(v, t, err);
	/* its message quotes the text: "invalid date value \"1999-13-01\"" */
	return n2p_temporal_parse_iso(t, v->u.str.ptr, v->u.str.len, v, arena, err);
}

/* What Neo4j cannot hold, without a mark that makes it something else. */
static bool
check_plain(const N2pValue *v, bool in_list, N2pError *err)
{
	size_t		i;

	switch (v->type)
	{
		case N2P_NULL:
			return n2p_error_set(err, N2P_ERR_DATA, "%s is a JSON null: Neo4j has no null %s",
								 in_list ? "a list element" : "the value",
								 in_list ? "list elements" : "properties");
		case N2P_MAP:
			return n2p_error_set(err, N2P_ERR_DATA,
								 "%s is a JSON object, and prop_types does not mark it a point: "
								 "Neo4j has no maps as property values",
								 in_list ? "a list element" : "the value");
		case N2P_LIST:
			if (in_list)
				return n2p_error_set(err, N2P_ERR_DATA, "a list holds a list: Neo4j has no nested lists");
			for (i = 0; i < v->u.list.n; i++)
				if (!check_plain(&v->u.list.items[i], true, err))
					return false;
			return true;
		default:
			return true;
	}
}

static bool
apply_mark(N2pValue *v, const N2pValue *mark, N2pArena *arena, N2pError *err)
{
	Mark		m;
	size_t		i;
	char		shown[72];

	if (mark->type != N2P_STRING || !parse_mark(mark->u.str, &m))
	{
		if (mark->type != N2P_STRING)
			return n2p_error_set(err, N2P_ERR_DATA, "its prop_types entry is %s, not a type name",
								 json_kind(mark));
		n2p_text_prefix(mark->u.str.ptr, mark->u.str.len, shown, 64);
		return n2p_error_set(err, N2P_ERR_DATA,
							 "prop_types names a type that does not exist: \"%s\" (float, bytes, "
							 "point, date, time, localtime, datetime, localdatetime, duration, "
							 "or list<...> of one)", shown);
	}
	if (!m.list)
		return v->type == N2P_LIST ? mismatch(v, m.type, err) : to_type(v, m.type, arena, err);
	if (v->type != N2P_LIST)
		return n2p_error_set(err, N2P_ERR_DATA, "prop_types says list<%s>, but the value is %s",
							 n2p_type_name(m.type), json_kind(v));
	for (i = 0; i < v->u.list.n; i++)
	{
		N2pValue   *item = &v->u.list.items[i];

		if (item->type == N2P_LIST)
			return n2p_error_set(err, N2P_ERR_DATA, "a list holds a list: Neo4j has no nested lists");
		if (!to_type(item, m.type, arena, err))
			return false;
	}
	return true;
}

/* Where key is in map, looking from *from on first (see the file header). */
static bool
find_key(const N2pValue *map, N2pStr key, size_t *from)
{
	size_t		n = map->u.map.n,
				i;

	for (i = 0; i < n; i++)
	{
		size_t		at = (*from + i) % n;

		if (n2p_str_same(map->u.map.keys[at], key))
		{
			*from = at;
			return true;
		}
	}
	return false;
}

static bool
parse_doc(N2pPgReader *r, const char *text, size_t len, const char *column,
		  N2pArena *arena, N2pValue *out, N2pError *err)
{
	if (n2p_json_parse_mem(r->json, text, len, arena, out, err) == 1)
	{
		if (out->type == N2P_MAP || (out->type == N2P_NULL && strcmp(column, "prop_types") == 0))
			return true;
		return n2p_error_set(err, N2P_ERR_DATA, "%s is %s, not an object", column, json_kind(out));
	}
	if (err->code != N2P_ERR_NOMEM)
		snprintf(err->msg + strlen(err->msg), sizeof(err->msg) - strlen(err->msg), " (in %s)",
				 column);
	return false;
}

static bool
key_error(N2pError *err, N2pStr key)
{
	n2p_error_set_key(err, key.ptr, key.len);
	return false;
}

bool
n2p_pg_props_parse(N2pPgReader *r, const char *props, size_t plen, const char *types,
				   size_t tlen, N2pArena *arena, N2pValue *out, N2pError *err)
{
	N2pValue	t;
	const N2pValue **marks = NULL;
	size_t		i,
				at = 0;

	if (!parse_doc(r, props, plen, "props", arena, out, err))
		return false;
	t.type = N2P_NULL;
	if (types && !parse_doc(r, types, tlen, "prop_types", arena, &t, err))
		return false;
	if (t.type == N2P_MAP && t.u.map.n > 0)
	{
		if ((marks = n2p_arena_alloc(arena, out->u.map.n * sizeof(*marks) + 1)) == NULL)
			return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
		memset(marks, 0, out->u.map.n * sizeof(*marks));
		for (i = 0; i < t.u.map.n; i++)
		{
			if (!find_key(out, t.u.map.keys[i], &at))
				return n2p_error_set(err, N2P_ERR_DATA,
									 "prop_types has an entry for a key that props does not have"),
					key_error(err, t.u.map.keys[i]);
			marks[at] = &t.u.map.vals[i];
		}
	}
	for (i = 0; i < out->u.map.n; i++)
	{
		N2pValue   *v = &out->u.map.vals[i];

		if (out->u.map.keys[i].len == 0)
			return n2p_error_set(err, N2P_ERR_DATA, "an empty key: Neo4j has no empty names"),
				key_error(err, out->u.map.keys[i]);
		if (!(marks && marks[i] ? apply_mark(v, marks[i], arena, err) : check_plain(v, false, err)))
			return key_error(err, out->u.map.keys[i]);
	}
	return true;
}

/* ------------------------------------------------------------ tuples */

typedef struct Field
{
	const char *data;
	int32_t		len;			/* -1: NULL */
} Field;

static const char copy_signature[11] = "PGCOPY\n\377\r\n";

static bool
bad_copy(N2pError *err)
{
	return n2p_error_set(err, N2P_ERR_DATA, "the server's binary COPY data is not as expected");
}

/* The header before the first tuple: signature, flags, extension. */
static bool
skip_header(const char **p, const char *end, N2pError *err)
{
	uint32_t	ext;

	if (end - *p < 19 || memcmp(*p, copy_signature, 11) != 0)
		return bad_copy(err);
	ext = n2p_get_be32((const uint8_t *) *p + 15);
	if ((size_t) (end - *p - 19) < ext)
		return bad_copy(err);
	*p += 19 + ext;
	return true;
}

static bool
split_fields(const char *p, const char *end, Field *f, int n, N2pError *err)
{
	int			i;

	for (i = 0; i < n; i++)
	{
		if (end - p < 4)
			return bad_copy(err);
		f[i].len = (int32_t) n2p_get_be32((const uint8_t *) p);
		f[i].data = p + 4;
		p += 4;
		if (f[i].len < -1 || (f[i].len > 0 && end - p < f[i].len))
			return bad_copy(err);
		if (f[i].len > 0)
			p += f[i].len;
	}
	return p == end || bad_copy(err);
}

static bool
get_int8(const Field *f, const char *column, int64_t *out, N2pError *err)
{
	if (f->len == -1)
		return n2p_error_set(err, N2P_ERR_DATA, "%s is NULL", column);
	if (f->len != 8)
		return bad_copy(err);
	*out = (int64_t) n2p_get_be64((const uint8_t *) f->data);
	return true;
}

static bool
get_text(const Field *f, const char *column, N2pStr *out, N2pError *err)
{
	if (f->len == -1)
		return n2p_error_set(err, N2P_ERR_DATA, "%s is NULL", column);
	out->ptr = f->data;
	out->len = (size_t) f->len;
	return true;
}

/*
 * text[] in binary: ndim, has-null flag, element type, (length, lower
 * bound) per dimension, then each element's length (-1: NULL) and bytes.
 */
static bool
get_labels(const Field *f, N2pArena *arena, N2pRecord *rec, N2pError *err)
{
	const uint8_t *p = (const uint8_t *) f->data,
			   *end = p + (f->len > 0 ? f->len : 0);
	uint32_t	ndim,
				n,
				i,
				j;

	if (f->len == -1)
		return n2p_error_set(err, N2P_ERR_DATA, "labels is NULL");
	if (end - p < 12)
		return bad_copy(err);
	ndim = n2p_get_be32(p);
	if (ndim > 1)
		return n2p_error_set(err, N2P_ERR_DATA, "labels has %u dimensions, not one", ndim);
	if (n2p_get_be32(p + 8) != TEXTOID || (ndim == 1 && end - p < 20))
		return bad_copy(err);
	n = ndim ? n2p_get_be32(p + 12) : 0;
	p += ndim ? 20 : 12;
	if (n > (size_t) (end - p) / 4 ||
		(rec->labels = n2p_arena_alloc(arena, (n + 1) * sizeof(N2pStr))) == NULL)
		return n > (size_t) (end - p) / 4 ? bad_copy(err) :
			n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	for (i = 0; i < n; i++)
	{
		int32_t		len;

		if (end - p < 4)
			return bad_copy(err);
		len = (int32_t) n2p_get_be32(p);
		p += 4;
		if (len == -1)
			return n2p_error_set(err, N2P_ERR_DATA, "labels holds a NULL (element %u)", i + 1);
		if (len < 0 || end - p < len)
			return bad_copy(err);
		if (len == 0)
			return n2p_error_set(err, N2P_ERR_DATA,
								 "labels holds an empty label (element %u): Neo4j has no empty names",
								 i + 1);
		rec->labels[i].ptr = (const char *) p;
		rec->labels[i].len = (size_t) len;
		for (j = 0; j < i; j++)
			if (n2p_str_same(rec->labels[j], rec->labels[i]))
				return n2p_error_set(err, N2P_ERR_DATA, "labels holds one label twice (elements %u and %u)",
									 j + 1, i + 1);
		p += len;
	}
	rec->nlabels = n;
	return p == end || bad_copy(err);
}

static bool
get_props(N2pPgReader *r, const Field *props, const Field *types, N2pArena *arena,
		  N2pValue *out, N2pError *err)
{
	if (props->len == -1)
		return n2p_error_set(err, N2P_ERR_DATA, "props is NULL");
	/* binary jsonb: a version byte, 1, then the text */
	if (props->len < 1 || props->data[0] != 1 || (types->len != -1 &&
												  (types->len < 1 || types->data[0] != 1)))
		return bad_copy(err);
	return n2p_pg_props_parse(r, props->data + 1, (size_t) props->len - 1,
							  types->len == -1 ? NULL : types->data + 1,
							  types->len == -1 ? 0 : (size_t) types->len - 1, arena, out, err);
}

int
n2p_pg_read_tuple(N2pPgReader *r, N2pRecKind kind, bool element_id, const char *data,
				  size_t len, N2pArena *arena, N2pRecord *rec, N2pError *err)
{
	const char *p = data,
			   *end = data + len;
	bool		node = kind == N2P_REC_NODE;
	int			want = (node ? 4 : 6) + element_id;
	Field		f[7];
	int16_t		n;
	bool		ok;

	memset(rec, 0, sizeof(*rec));
	rec->kind = kind;
	rec->id = -1;
	if (len >= 11 && memcmp(data, copy_signature, 11) == 0 && !skip_header(&p, end, err))
		return -1;
	if (end - p < 2)
		return bad_copy(err), -1;
	n = (int16_t) n2p_get_be16((const uint8_t *) p);
	if (n == -1)
		return p + 2 == end ? 0 : (bad_copy(err), -1);
	if (n != want || !split_fields(p + 2, end, f, n, err) ||
		!get_int8(&f[0], "id", &rec->id, err))
		return err->code ? -1 : (bad_copy(err), -1);
	err->row_kind = node ? "node" : "relationship";
	err->row_id = rec->id;
	if (node)
		ok = get_labels(&f[1], arena, rec, err) && get_props(r, &f[2], &f[3], arena, &rec->props, err);
	else
		ok = get_text(&f[1], "type", &rec->type, err) &&
			(rec->type.len > 0 ||
			 n2p_error_set(err, N2P_ERR_DATA, "type is empty: Neo4j has no empty names")) &&
			get_int8(&f[2], "start_id", &rec->start_id, err) &&
			get_int8(&f[3], "end_id", &rec->end_id, err) &&
			get_props(r, &f[4], &f[5], arena, &rec->props, err);
	if (ok && element_id && f[want - 1].len > 0)
	{
		rec->element_id.ptr = f[want - 1].data;
		rec->element_id.len = (size_t) f[want - 1].len;
	}
	if (!ok)
		return -1;
	err->row_kind = NULL;
	err->row_id = -1;
	return 1;
}
