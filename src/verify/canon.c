/*-------------------------------------------------------------------------
 *
 * canon.c
 *	  The canonical encoding verify compares: one byte string per value,
 *	  equal exactly when Neo4j would call the values the same value of the
 *	  same type.
 *
 * A value is its N2pType + 0x40 as a tag byte, then: BOOL 0x40 + 0 or 1;
 * INT, DATE, LOCALTIME nanos 64 bits with the sign bit flipped; FLOAT the
 * double's 64 bits, bit for bit (NaN equals NaN, -0.0 is not 0.0); STRING
 * and BYTES a varint length and the bytes; LIST a varint count and the
 * values; MAP a varint count and (key, value) pairs in key order; TIME
 * nanos and offset; DATETIME secs, nanos, offset, zone; LOCALDATETIME secs,
 * nanos; DURATION months, days, secs, nanos; POINT srid, x, y and z only in
 * 3-D; a PackStream structure its tag as a varint, count and fields.
 *
 * No byte of it is below 0x40 except inside strings: a 64-bit field is ten
 * bytes of 7 bits each, most significant first, each with 0x80 set (a
 * 32-bit one five); a varint is 7-bit groups with 0x80 set, least
 * significant first, ended by a byte 0x40 + the last 6 bits.  So a line
 * needs its strings escaped and nothing else (most of a graph's values are
 * numbers and times), and the strings are scanned a word at a time.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/verify/canon.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/verify.h"
#include "neo2pg/float_repr.h"
#include "neo2pg/pyjson.h"
#include "neo2pg/temporal.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 256

void
n2p_verify_enc_init(N2pVerifyEnc *enc, const N2pAllocator *alloc)
{
	memset(enc, 0, sizeof(*enc));
	enc->alloc = alloc;
	n2p_buf_init(&enc->raw, alloc);
}

void
n2p_verify_enc_free(N2pVerifyEnc *enc)
{
	n2p_buf_free(&enc->raw);
	if (enc->order)
		n2p_free(enc->alloc, enc->order);
	enc->order = NULL;
}

#define ESC '\x02'
#define TAG(t) ((char) ((t) + 0x40))

/* A word holds a byte below 0x03 or a newline: the bytes a line escapes. */
static inline bool
word_dirty(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ULL,
				highs = 0x8080808080808080ULL,
				nl = x ^ (ones * '\n');

	return (((x - ones * 3) & ~x) | ((nl - ones) & ~nl)) & highs;
}

bool
n2p_verify_escape(N2pBuf *out, const char *p, size_t n)
{
	size_t		i = 0,
				run = 0;

	while (i < n)
	{
		uint64_t	w;
		unsigned char ch;

		if (i + 8 <= n)
		{
			memcpy(&w, p + i, 8);
			if (!word_dirty(w))
			{
				i += 8;
				continue;
			}
		}
		ch = (unsigned char) p[i];
		if (ch <= 0x02 || ch == '\n')
		{
			n2p_buf_append(out, p + run, i - run);
			n2p_buf_putc(out, ESC);
			n2p_buf_putc(out, (char) (ch + 0x40));
			run = i + 1;
		}
		i++;
	}
	return n2p_buf_append(out, p + run, n - run);
}

static bool
put_varint(N2pBuf *b, uint64_t v)
{
	char		tmp[11];
	size_t		n = 0;

	while (v >= 0x40)
	{
		tmp[n++] = (char) (0x80 | (v & 0x7f));
		v >>= 7;
	}
	tmp[n++] = (char) (0x40 | v);
	return n2p_buf_append(b, tmp, n);
}

/* The low 7 * n bits of v, most significant group first, each byte with 0x80 set. */
static bool
put_groups(N2pBuf *b, uint64_t v, int n)
{
	char		tmp[10];
	int			i;

	for (i = n - 1; i >= 0; i--, v >>= 7)
		tmp[i] = (char) (0x80 | (v & 0x7f));
	return n2p_buf_append(b, tmp, (size_t) n);
}

static bool
put_s64(N2pBuf *b, int64_t v)
{
	return put_groups(b, (uint64_t) v ^ (1ULL << 63), 10);
}

static bool
put_s32(N2pBuf *b, int32_t v)
{
	return put_groups(b, (uint32_t) v ^ (1U << 31), 5);
}

static bool
put_f64(N2pBuf *b, double d)
{
	uint64_t	bits;

	memcpy(&bits, &d, 8);
	return put_groups(b, bits, 10);
}

static bool
put_str(N2pVerifyEnc *enc, N2pBuf *b, N2pStr s)
{
	if (!put_varint(b, s.len))
		return false;
	return enc->escape ? n2p_verify_escape(b, s.ptr, s.len) : n2p_buf_append(b, s.ptr, s.len);
}

/* Insertion sort of indexes by key: maps are small, and mostly in order already. */
static void
sort_keys(const N2pStr *keys, size_t *order, size_t n)
{
	size_t		i,
				j;

	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = 1; i < n; i++)
	{
		size_t		k = order[i];

		for (j = i; j > 0 && n2p_str_cmp(keys[order[j - 1]], keys[k]) > 0; j--)
			order[j] = order[j - 1];
		order[j] = k;
	}
}

static bool encode(N2pVerifyEnc *enc, const N2pValue *v, N2pBuf *out);

static bool
encode_map(N2pVerifyEnc *enc, const N2pValue *v, N2pBuf *out)
{
	size_t		n = v->u.map.n,
			   *order,
				i;
	bool		ok = put_varint(out, n);

	/* the top level reuses one array; nested maps (none from Neo4j) get their own */
	if (enc->depth == 1)
	{
		if (n > enc->order_cap)
		{
			size_t		cap = n < 64 ? 64 : n;
			size_t	   *o = n2p_realloc(enc->alloc, enc->order, enc->order_cap * sizeof(size_t),
										cap * sizeof(size_t));

			if (o == NULL)
				return false;
			enc->order = o;
			enc->order_cap = cap;
		}
		order = enc->order;
	}
	else if ((order = n2p_alloc(enc->alloc, (n ? n : 1) * sizeof(size_t))) == NULL)
		return false;
	sort_keys(v->u.map.keys, order, n);
	for (i = 0; ok && i < n; i++)
		ok = put_str(enc, out, v->u.map.keys[order[i]]) && encode(enc, &v->u.map.vals[order[i]], out);
	if (order != enc->order)
		n2p_free(enc->alloc, order);
	return ok;
}

static bool
encode_scalar(N2pVerifyEnc *enc, const N2pValue *v, N2pBuf *out)
{
	switch (v->type)
	{
		case N2P_NULL:
			return true;
		case N2P_BOOL:
			return n2p_buf_putc(out, v->u.b ? 0x41 : 0x40);
		case N2P_INT:
			return put_s64(out, v->u.i);
		case N2P_FLOAT:
			return put_f64(out, v->u.f);
		case N2P_STRING:
		case N2P_BYTES:
			return put_str(enc, out, v->u.str);
		case N2P_DATE:
			return put_s64(out, v->u.date);
		case N2P_LOCALTIME:
			return put_s64(out, v->u.time.nanos);
		case N2P_TIME:
			return put_s64(out, v->u.time.nanos) && put_s32(out, v->u.time.offset);
		case N2P_LOCALDATETIME:
			return put_s64(out, v->u.dt.secs) && put_s32(out, v->u.dt.nanos);
		case N2P_DATETIME:
			return put_s64(out, v->u.dt.secs) && put_s32(out, v->u.dt.nanos) &&
				put_s32(out, v->u.dt.offset) && put_str(enc, out, v->u.dt.zone);
		case N2P_DURATION:
			return put_s64(out, v->u.dur.months) && put_s64(out, v->u.dur.days) &&
				put_s64(out, v->u.dur.secs) && put_s32(out, v->u.dur.nanos);
		case N2P_POINT:
			return put_s32(out, v->u.point.srid) && put_f64(out, v->u.point.x) &&
				put_f64(out, v->u.point.y) &&
				(!n2p_srid_is_3d(v->u.point.srid) || put_f64(out, v->u.point.z));
		default:
			return false;
	}
}

static bool
encode(N2pVerifyEnc *enc, const N2pValue *v, N2pBuf *out)
{
	size_t		i;
	bool		ok;

	if (!n2p_buf_putc(out, TAG(v->type)))
		return false;
	if (v->type != N2P_LIST && v->type != N2P_MAP && v->type != N2P_STRUCT)
		return encode_scalar(enc, v, out);
	if (enc->depth >= MAX_DEPTH)
		return false;
	enc->depth++;
	if (v->type == N2P_MAP)
		ok = encode_map(enc, v, out);
	else if (v->type == N2P_LIST)
	{
		ok = put_varint(out, v->u.list.n);
		for (i = 0; ok && i < v->u.list.n; i++)
			ok = encode(enc, &v->u.list.items[i], out);
	}
	else
	{
		ok = put_varint(out, v->u.st.tag) && put_varint(out, v->u.st.n);
		for (i = 0; ok && i < v->u.st.n; i++)
			ok = encode(enc, &v->u.st.fields[i], out);
	}
	enc->depth--;
	return ok;
}

bool
n2p_verify_encode_value(N2pVerifyEnc *enc, const N2pValue *v, N2pBuf *out)
{
	enc->depth = 0;
	return encode(enc, v, out);
}

bool
n2p_verify_encode_labels(N2pVerifyEnc *enc, const N2pStr *labels, size_t n, N2pBuf *out)
{
	size_t		i,
				distinct = 0;

	if (n > enc->order_cap)
	{
		size_t	   *o = n2p_realloc(enc->alloc, enc->order, enc->order_cap * sizeof(size_t),
									n * sizeof(size_t));

		if (o == NULL)
			return false;
		enc->order = o;
		enc->order_cap = n;
	}
	sort_keys(labels, enc->order, n);
	/* a set: a label given twice counts once */
	for (i = 0; i < n; i++)
		distinct += i == 0 || n2p_str_cmp(labels[enc->order[i - 1]], labels[enc->order[i]]) != 0;
	put_varint(out, distinct);
	for (i = 0; i < n; i++)
		if (i == 0 || n2p_str_cmp(labels[enc->order[i - 1]], labels[enc->order[i]]) != 0)
			put_str(enc, out, labels[enc->order[i]]);
	return !out->oom;
}

/* ---------------------------------------------------------------- decoding */

typedef struct Cursor
{
	const uint8_t *p;
	size_t		len;
	size_t		pos;
	bool		bad;
} Cursor;

static uint64_t
get_varint(Cursor *c)
{
	uint64_t	v = 0;
	int			shift = 0;

	while (c->pos < c->len && shift < 64)
	{
		uint8_t		b = c->p[c->pos++];

		if (b >= 0x80)
		{
			v |= (uint64_t) (b & 0x7f) << shift;
			shift += 7;
			continue;
		}
		if (b < 0x40)
			break;
		return v | (uint64_t) (b & 0x3f) << shift;
	}
	c->bad = true;
	return 0;
}

static const uint8_t *
take(Cursor *c, size_t n)
{
	const uint8_t *p = c->p + c->pos;

	if (c->bad || n > c->len - c->pos)
	{
		c->bad = true;
		return NULL;
	}
	c->pos += n;
	return p;
}

static uint64_t
get_groups(Cursor *c, int n)
{
	const uint8_t *p = take(c, (size_t) n);
	uint64_t	v = 0;
	int			i;

	for (i = 0; p && i < n; i++)
	{
		if (p[i] < 0x80)
			c->bad = true;
		v = (v << 7) | (p[i] & 0x7f);
	}
	return v;
}

static int64_t
get_s64(Cursor *c)
{
	return (int64_t) (get_groups(c, 10) ^ (1ULL << 63));
}

static int32_t
get_s32(Cursor *c)
{
	return (int32_t) ((uint32_t) get_groups(c, 5) ^ (1U << 31));
}

static double
get_f64(Cursor *c)
{
	uint64_t	bits = get_groups(c, 10);
	double		d;

	memcpy(&d, &bits, 8);
	return d;
}

static N2pStr
get_str(Cursor *c)
{
	uint64_t	n = get_varint(c);
	const uint8_t *p = take(c, n);
	N2pStr		s = {p ? (const char *) p : "", p ? n : 0};

	return s;
}

static bool decode(Cursor *c, N2pArena *arena, N2pValue *out, int depth);

static bool
decode_items(Cursor *c, N2pArena *arena, N2pValue **items, size_t *n, int depth)
{
	uint64_t	count = get_varint(c);
	size_t		i;

	/* each value takes a byte at least */
	if (c->bad || count > c->len - c->pos || depth >= MAX_DEPTH)
		return false;
	*n = count;
	if ((*items = n2p_arena_alloc(arena, (count ? count : 1) * sizeof(N2pValue))) == NULL)
		return false;
	for (i = 0; i < count; i++)
		if (!decode(c, arena, &(*items)[i], depth + 1))
			return false;
	return true;
}

static bool
decode_map(Cursor *c, N2pArena *arena, N2pValue *out, int depth)
{
	uint64_t	count = get_varint(c);
	size_t		i;

	if (c->bad || count > c->len - c->pos || depth >= MAX_DEPTH)
		return false;
	out->u.map.n = count;
	out->u.map.keys = n2p_arena_alloc(arena, (count ? count : 1) * sizeof(N2pStr));
	out->u.map.vals = n2p_arena_alloc(arena, (count ? count : 1) * sizeof(N2pValue));
	if (out->u.map.keys == NULL || out->u.map.vals == NULL)
		return false;
	for (i = 0; i < count; i++)
	{
		out->u.map.keys[i] = get_str(c);
		if (c->bad || !decode(c, arena, &out->u.map.vals[i], depth + 1))
			return false;
	}
	return true;
}

static bool
decode(Cursor *c, N2pArena *arena, N2pValue *out, int depth)
{
	const uint8_t *t = take(c, 1);

	if (t == NULL)
		return false;
	memset(out, 0, sizeof(*out));
	if (*t < 0x40 || *t > TAG(N2P_STRUCT))
		return false;
	out->type = (N2pType) (*t - 0x40);
	switch (out->type)
	{
		case N2P_NULL:
			break;
		case N2P_BOOL:
			t = take(c, 1);
			out->u.b = t && *t == 0x41;
			c->bad |= t && *t != 0x40 && *t != 0x41;
			break;
		case N2P_INT:
			out->u.i = get_s64(c);
			break;
		case N2P_FLOAT:
			out->u.f = get_f64(c);
			break;
		case N2P_STRING:
		case N2P_BYTES:
			out->u.str = get_str(c);
			break;
		case N2P_LIST:
			return decode_items(c, arena, &out->u.list.items, &out->u.list.n, depth);
		case N2P_MAP:
			return decode_map(c, arena, out, depth);
		case N2P_DATE:
			out->u.date = get_s64(c);
			break;
		case N2P_LOCALTIME:
			out->u.time.nanos = get_s64(c);
			break;
		case N2P_TIME:
			out->u.time.nanos = get_s64(c);
			out->u.time.offset = get_s32(c);
			break;
		case N2P_LOCALDATETIME:
			out->u.dt.secs = get_s64(c);
			out->u.dt.nanos = get_s32(c);
			break;
		case N2P_DATETIME:
			out->u.dt.secs = get_s64(c);
			out->u.dt.nanos = get_s32(c);
			out->u.dt.offset = get_s32(c);
			out->u.dt.zone = get_str(c);
			break;
		case N2P_DURATION:
			out->u.dur.months = get_s64(c);
			out->u.dur.days = get_s64(c);
			out->u.dur.secs = get_s64(c);
			out->u.dur.nanos = get_s32(c);
			break;
		case N2P_POINT:
			out->u.point.srid = get_s32(c);
			out->u.point.x = get_f64(c);
			out->u.point.y = get_f64(c);
			if (n2p_srid_is_3d(out->u.point.srid))
				out->u.point.z = get_f64(c);
			break;
		case N2P_STRUCT:
			out->u.st.tag = (uint8_t) get_varint(c);
			if (c->bad)
				return false;
			return decode_items(c, arena, &out->u.st.fields, &out->u.st.n, depth);
		default:
			return false;
	}
	return !c->bad;
}

size_t
n2p_verify_decode_value(const uint8_t *p, size_t len, N2pArena *arena, N2pValue *out)
{
	Cursor		c = {p, len, 0, false};

	return decode(&c, arena, out, 0) ? c.pos : 0;
}

/* ---------------------------------------------------------------- comparing */

static bool
same_f64(double a, double b)
{
	return memcmp(&a, &b, sizeof(double)) == 0;
}

static int value_cmp(const N2pValue *a, const N2pValue *b, N2pBuf *scratch, const char **what);

/* Lists (and structures): the worst item decides, a difference over a loss. */
static int
items_cmp(const N2pValue *a, size_t na, const N2pValue *b, size_t nb, N2pBuf *scratch,
		  const char **what)
{
	int			worst = 0;
	size_t		i;

	if (na != nb)
		return 1;
	for (i = 0; i < na && worst < 1; i++)
	{
		const char *w = NULL;
		int			r = value_cmp(&a[i], &b[i], scratch, &w);

		if (r == 1)
			return 1;
		if (r == 2 && worst == 0)
		{
			worst = 2;
			*what = w;
		}
	}
	return worst;
}

static int
map_cmp(const N2pValue *a, const N2pValue *b, N2pBuf *scratch, const char **what)
{
	int			worst = 0;
	size_t		i;

	if (a->u.map.n != b->u.map.n)
		return 1;
	for (i = 0; i < a->u.map.n; i++)
	{
		const N2pValue *o = n2p_map_get(b, a->u.map.keys[i].ptr, a->u.map.keys[i].len);
		const char *w = NULL;
		int			r = o ? value_cmp(&a->u.map.vals[i], o, scratch, &w) : 1;

		if (r == 1)
			return 1;
		if (r == 2 && worst == 0)
		{
			worst = 2;
			*what = w;
		}
	}
	return worst;
}

/* A byte array on one side, the string Python's str(bytes) makes of it on the other. */
static bool
bytes_as_str(const N2pValue *bytes, const N2pValue *str, N2pBuf *scratch)
{
	n2p_buf_reset(scratch);
	return n2p_py_bytes_str(scratch, bytes->u.str.ptr, bytes->u.str.len) &&
		scratch->len == str->u.str.len && memcmp(scratch->data, str->u.str.ptr, scratch->len) == 0;
}

static int
value_cmp(const N2pValue *a, const N2pValue *b, N2pBuf *scratch, const char **what)
{
	if (a->type != b->type)
	{
		if ((a->type == N2P_BYTES && b->type == N2P_STRING && bytes_as_str(a, b, scratch)) ||
			(b->type == N2P_BYTES && a->type == N2P_STRING && bytes_as_str(b, a, scratch)))
		{
			*what = "byte array written as a string";
			return 2;
		}
		return 1;
	}
	switch (a->type)
	{
		case N2P_NULL:
			return 0;
		case N2P_BOOL:
			return a->u.b != b->u.b;
		case N2P_INT:
			return a->u.i != b->u.i;
		case N2P_FLOAT:
			return !same_f64(a->u.f, b->u.f);
		case N2P_STRING:
		case N2P_BYTES:
			return !n2p_str_same(a->u.str, b->u.str);
		case N2P_LIST:
			return items_cmp(a->u.list.items, a->u.list.n, b->u.list.items, b->u.list.n, scratch, what);
		case N2P_MAP:
			return map_cmp(a, b, scratch, what);
		case N2P_DATE:
			return a->u.date != b->u.date;
		case N2P_LOCALTIME:
			return a->u.time.nanos != b->u.time.nanos;
		case N2P_TIME:
			return a->u.time.nanos != b->u.time.nanos || a->u.time.offset != b->u.time.offset;
		case N2P_LOCALDATETIME:
			return a->u.dt.secs != b->u.dt.secs || a->u.dt.nanos != b->u.dt.nanos;
		case N2P_DATETIME:
			if (a->u.dt.secs != b->u.dt.secs || a->u.dt.nanos != b->u.dt.nanos ||
				a->u.dt.offset != b->u.dt.offset)
				return 1;
			if (n2p_str_same(a->u.dt.zone, b->u.dt.zone))
				return 0;
			if (a->u.dt.zone.len == 0 || b->u.dt.zone.len == 0)
			{
				*what = "zone id lost";
				return 2;
			}
			return 1;
		case N2P_DURATION:
			return a->u.dur.months != b->u.dur.months || a->u.dur.days != b->u.dur.days ||
				a->u.dur.secs != b->u.dur.secs || a->u.dur.nanos != b->u.dur.nanos;
		case N2P_POINT:
			return a->u.point.srid != b->u.point.srid || !same_f64(a->u.point.x, b->u.point.x) ||
				!same_f64(a->u.point.y, b->u.point.y) ||
				(n2p_srid_is_3d(a->u.point.srid) && !same_f64(a->u.point.z, b->u.point.z));
		case N2P_STRUCT:
			if (a->u.st.tag != b->u.st.tag)
				return 1;
			return items_cmp(a->u.st.fields, a->u.st.n, b->u.st.fields, b->u.st.n, scratch, what);
	}
	return 1;
}

int
n2p_verify_value_cmp(const N2pValue *a, const N2pValue *b, N2pBuf *scratch, const char **what)
{
	*what = NULL;
	return value_cmp(a, b, scratch, what);
}

/* ---------------------------------------------------------------- text */

/* A string in double quotes, JSON's escapes for quote, backslash and control characters. */
bool
n2p_verify_quote(N2pBuf *out, N2pStr s)
{
	size_t		i;

	n2p_buf_putc(out, '"');
	for (i = 0; i < s.len; i++)
	{
		unsigned char ch = (unsigned char) s.ptr[i];

		if (ch == '"' || ch == '\\')
		{
			n2p_buf_putc(out, '\\');
			n2p_buf_putc(out, (char) ch);
		}
		else if (ch < 0x20 || ch == 0x7f)
			n2p_buf_printf(out, "\\u%04x", ch);
		else
			n2p_buf_putc(out, (char) ch);
	}
	return n2p_buf_putc(out, '"');
}

static void
put_double(N2pBuf *out, double d)
{
	char		tmp[N2P_DOUBLE_BUFSZ];

	n2p_buf_append(out, tmp, n2p_format_double(d, tmp));
}

static void value_text(const N2pValue *v, N2pBuf *out, bool typed);

static void
items_text(const N2pValue *items, size_t n, N2pBuf *out)
{
	size_t		i;

	n2p_buf_putc(out, '[');
	for (i = 0; i < n && out->len < 4096; i++)
	{
		if (i)
			n2p_buf_append(out, ", ", 2);
		value_text(&items[i], out, true);
	}
	if (i < n)
		n2p_buf_printf(out, ", ... (%zu items)", n);
	n2p_buf_putc(out, ']');
}

static void
value_text(const N2pValue *v, N2pBuf *out, bool typed)
{
	size_t		i;

	if (typed && v->type != N2P_LIST && v->type != N2P_MAP)
		n2p_buf_printf(out, "%s ", v->type == N2P_STRUCT ? "structure" : n2p_type_name(v->type));
	switch (v->type)
	{
		case N2P_NULL:
			n2p_buf_append(out, "null", 4);
			break;
		case N2P_BOOL:
			n2p_buf_printf(out, "%s", v->u.b ? "true" : "false");
			break;
		case N2P_INT:
			n2p_buf_printf(out, "%lld", (long long) v->u.i);
			break;
		case N2P_FLOAT:
			put_double(out, v->u.f);
			break;
		case N2P_STRING:
			n2p_verify_quote(out, v->u.str);
			break;
		case N2P_BYTES:
			n2p_buf_append(out, "0x", 2);
			for (i = 0; i < v->u.str.len; i++)
				n2p_buf_printf(out, "%02x", (unsigned char) v->u.str.ptr[i]);
			break;
		case N2P_LIST:
			items_text(v->u.list.items, v->u.list.n, out);
			break;
		case N2P_MAP:
			n2p_buf_putc(out, '{');
			for (i = 0; i < v->u.map.n && out->len < 4096; i++)
			{
				if (i)
					n2p_buf_append(out, ", ", 2);
				n2p_verify_quote(out, v->u.map.keys[i]);
				n2p_buf_append(out, ": ", 2);
				value_text(&v->u.map.vals[i], out, true);
			}
			if (i < v->u.map.n)
				n2p_buf_printf(out, ", ... (%zu keys)", v->u.map.n);
			n2p_buf_putc(out, '}');
			break;
		case N2P_POINT:
			n2p_buf_printf(out, "{srid: %d, x: ", (int) v->u.point.srid);
			put_double(out, v->u.point.x);
			n2p_buf_append(out, ", y: ", 5);
			put_double(out, v->u.point.y);
			if (n2p_srid_is_3d(v->u.point.srid))
			{
				n2p_buf_append(out, ", z: ", 5);
				put_double(out, v->u.point.z);
			}
			n2p_buf_putc(out, '}');
			break;
		case N2P_STRUCT:
			n2p_buf_printf(out, "0x%02x ", v->u.st.tag);
			items_text(v->u.st.fields, v->u.st.n, out);
			break;
		default:
			/* temporal: the ISO text, or the fields when out of the formatter's range */
			if (!n2p_temporal_in_range(v) || !n2p_temporal_format_iso(v, out))
				n2p_buf_printf(out, "(%lld, %lld)", (long long) v->u.dt.secs, (long long) v->u.dt.nanos);
			break;
	}
}

bool
n2p_verify_value_text(const N2pValue *v, N2pBuf *out)
{
	if (v->type == N2P_LIST)
		n2p_buf_append(out, "list ", 5);
	value_text(v, out, true);
	return !out->oom;
}
