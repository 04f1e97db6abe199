/*-------------------------------------------------------------------------
 *
 * packstream.c
 *	  PackStream v1 encoder and decoder.
 *
 * The decoder is recursive, with depth capped at N2P_PS_MAX_DEPTH, so its
 * stack is bounded; it works on one complete, de-chunked message, whose
 * size the Bolt layer has already capped.  Each count is checked against
 * the bytes left before anything is allocated for it.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/neo4j/packstream.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/packstream.h"
#include "neo2pg/bytes.h"

#include <string.h>

#define NANOS_PER_SEC 1000000000LL
#define SECS_PER_DAY 86400LL

/* ------------------------------------------------------------- encoding */

static bool
put_marker(N2pBuf *buf, uint8_t m)
{
	return n2p_buf_putc(buf, (char) m);
}

bool
n2p_ps_put_null(N2pBuf *buf)
{
	return put_marker(buf, 0xC0);
}

bool
n2p_ps_put_bool(N2pBuf *buf, bool b)
{
	return put_marker(buf, b ? 0xC3 : 0xC2);
}

bool
n2p_ps_put_int(N2pBuf *buf, int64_t i)
{
	if (i >= -16 && i <= 127)
		return put_marker(buf, (uint8_t) i);
	if (i >= INT8_MIN && i <= INT8_MAX)
		return put_marker(buf, 0xC8) && put_marker(buf, (uint8_t) i);
	if (i >= INT16_MIN && i <= INT16_MAX)
		return put_marker(buf, 0xC9) && n2p_put_be16(buf, (uint16_t) i);
	if (i >= INT32_MIN && i <= INT32_MAX)
		return put_marker(buf, 0xCA) && n2p_put_be32(buf, (uint32_t) i);
	return put_marker(buf, 0xCB) && n2p_put_be64(buf, (uint64_t) i);
}

bool
n2p_ps_put_float(N2pBuf *buf, double f)
{
	uint64_t	bits;

	memcpy(&bits, &f, sizeof(bits));
	return put_marker(buf, 0xC1) && n2p_put_be64(buf, bits);
}

/*
 * The header of a sized item: tiny (size in the marker's low nibble), or
 * one of three markers followed by an 8, 16 or 32-bit size.  tiny is 0
 * for bytes, which have no tiny form.
 */
static bool
put_sized(N2pBuf *buf, uint8_t tiny, uint8_t m8, size_t n)
{
	if (tiny && n < 16)
		return put_marker(buf, (uint8_t) (tiny | n));
	if (n <= UINT8_MAX)
		return put_marker(buf, m8) && put_marker(buf, (uint8_t) n);
	if (n <= UINT16_MAX)
		return put_marker(buf, m8 + 1) && n2p_put_be16(buf, (uint16_t) n);
	return put_marker(buf, m8 + 2) && n2p_put_be32(buf, (uint32_t) n);
}

bool
n2p_ps_put_string(N2pBuf *buf, const char *s, size_t len)
{
	return put_sized(buf, 0x80, 0xD0, len) && n2p_buf_append(buf, s, len);
}

bool
n2p_ps_put_bytes(N2pBuf *buf, const void *p, size_t len)
{
	return put_sized(buf, 0, 0xCC, len) && n2p_buf_append(buf, p, len);
}

bool
n2p_ps_put_list_header(N2pBuf *buf, size_t n)
{
	return put_sized(buf, 0x90, 0xD4, n);
}

bool
n2p_ps_put_map_header(N2pBuf *buf, size_t n)
{
	return put_sized(buf, 0xA0, 0xD8, n);
}

bool
n2p_ps_put_struct_header(N2pBuf *buf, uint8_t tag, size_t nfields)
{
	return put_marker(buf, (uint8_t) (0xB0 | nfields)) && put_marker(buf, tag);
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t		q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static bool
put_ints(N2pBuf *buf, int n, const int64_t *v)
{
	int			i;

	for (i = 0; i < n; i++)
		if (!n2p_ps_put_int(buf, v[i]))
			return false;
	return true;
}

static bool
put_datetime(N2pBuf *buf, const N2pValue *v, bool utc)
{
	const char *zone = v->u.dt.zone.ptr;
	size_t		zlen = v->u.dt.zone.len;
	int64_t		secs = v->u.dt.secs - (utc ? v->u.dt.offset : 0);
	uint8_t		tag;

	if (zlen > 0)
		tag = utc ? N2P_PS_DATETIME_ZONE : N2P_PS_DATETIME_ZONE_LEGACY;
	else
		tag = utc ? N2P_PS_DATETIME : N2P_PS_DATETIME_LEGACY;
	if (!n2p_ps_put_struct_header(buf, tag, 3) || !n2p_ps_put_int(buf, secs) ||
		!n2p_ps_put_int(buf, v->u.dt.nanos))
		return false;
	return zlen > 0 ? n2p_ps_put_string(buf, zone, zlen) : n2p_ps_put_int(buf, v->u.dt.offset);
}

static bool
put_point(N2pBuf *buf, const N2pValue *v)
{
	bool		three = n2p_srid_is_3d(v->u.point.srid);

	return n2p_ps_put_struct_header(buf, three ? N2P_PS_POINT3D : N2P_PS_POINT2D, three ? 4 : 3) &&
		n2p_ps_put_int(buf, v->u.point.srid) && n2p_ps_put_float(buf, v->u.point.x) &&
		n2p_ps_put_float(buf, v->u.point.y) && (!three || n2p_ps_put_float(buf, v->u.point.z));
}

static bool
put_temporal(N2pBuf *buf, const N2pValue *v, bool utc)
{
	int64_t		f[4];

	switch (v->type)
	{
		case N2P_DATE:
			f[0] = v->u.date;
			return n2p_ps_put_struct_header(buf, N2P_PS_DATE, 1) && put_ints(buf, 1, f);
		case N2P_LOCALTIME:
			f[0] = v->u.time.nanos;
			return n2p_ps_put_struct_header(buf, N2P_PS_LOCALTIME, 1) && put_ints(buf, 1, f);
		case N2P_TIME:
			f[0] = v->u.time.nanos;
			f[1] = v->u.time.offset;
			return n2p_ps_put_struct_header(buf, N2P_PS_TIME, 2) && put_ints(buf, 2, f);
		case N2P_LOCALDATETIME:
			f[0] = v->u.dt.secs;
			f[1] = v->u.dt.nanos;
			return n2p_ps_put_struct_header(buf, N2P_PS_LOCALDATETIME, 2) && put_ints(buf, 2, f);
		case N2P_DURATION:
			f[0] = v->u.dur.months;
			f[1] = v->u.dur.days;
			f[2] = v->u.dur.secs;
			f[3] = v->u.dur.nanos;
			return n2p_ps_put_struct_header(buf, N2P_PS_DURATION, 4) && put_ints(buf, 4, f);
		case N2P_DATETIME:
			return put_datetime(buf, v, utc);
		default:
			return put_point(buf, v);
	}
}

static bool
too_long(N2pError *err, const char *what, size_t n)
{
	return n2p_error_set(err, N2P_ERR_LIMIT, "%s of %zu items is too long for PackStream", what, n);
}

static bool
put_compound(N2pBuf *buf, const N2pValue *v, bool utc, N2pError *err)
{
	size_t		i;

	if (v->type == N2P_LIST)
	{
		if (v->u.list.n > UINT32_MAX)
			return too_long(err, "a list", v->u.list.n);
		if (!n2p_ps_put_list_header(buf, v->u.list.n))
			return false;
		for (i = 0; i < v->u.list.n; i++)
			if (!n2p_ps_put_value(buf, &v->u.list.items[i], utc, err))
				return false;
		return true;
	}
	if (v->type == N2P_MAP)
	{
		if (v->u.map.n > UINT32_MAX)
			return too_long(err, "a map", v->u.map.n);
		if (!n2p_ps_put_map_header(buf, v->u.map.n))
			return false;
		for (i = 0; i < v->u.map.n; i++)
			if (!n2p_ps_put_string(buf, v->u.map.keys[i].ptr, v->u.map.keys[i].len) ||
				!n2p_ps_put_value(buf, &v->u.map.vals[i], utc, err))
				return false;
		return true;
	}
	if (v->u.st.n > 15)
		return too_long(err, "a structure", v->u.st.n);
	if (!n2p_ps_put_struct_header(buf, v->u.st.tag, v->u.st.n))
		return false;
	for (i = 0; i < v->u.st.n; i++)
		if (!n2p_ps_put_value(buf, &v->u.st.fields[i], utc, err))
			return false;
	return true;
}

static bool
put_scalar(N2pBuf *buf, const N2pValue *v, bool utc)
{
	switch (v->type)
	{
		case N2P_NULL:
			return n2p_ps_put_null(buf);
		case N2P_BOOL:
			return n2p_ps_put_bool(buf, v->u.b);
		case N2P_INT:
			return n2p_ps_put_int(buf, v->u.i);
		case N2P_FLOAT:
			return n2p_ps_put_float(buf, v->u.f);
		case N2P_STRING:
			return n2p_ps_put_string(buf, v->u.str.ptr, v->u.str.len);
		case N2P_BYTES:
			return n2p_ps_put_bytes(buf, v->u.str.ptr, v->u.str.len);
		default:
			return put_temporal(buf, v, utc);
	}
}

bool
n2p_ps_put_value(N2pBuf *buf, const N2pValue *v, bool utc, N2pError *err)
{
	bool		ok;

	if (v->type == N2P_LIST || v->type == N2P_MAP || v->type == N2P_STRUCT)
		return put_compound(buf, v, utc, err);
	if ((v->type == N2P_STRING || v->type == N2P_BYTES) && v->u.str.len > UINT32_MAX)
		return too_long(err, "a string", v->u.str.len);
	ok = put_scalar(buf, v, utc);
	if (!ok)
		n2p_error_set(err, N2P_ERR_NOMEM, "out of memory encoding PackStream");
	return ok;
}

/* ------------------------------------------------------------- decoding */

typedef struct Dec
{
	const uint8_t *p;
	const uint8_t *start;
	const uint8_t *end;
	bool		utc;
	N2pArena   *arena;
	N2pError   *err;
} Dec;

static bool decode(Dec *d, N2pValue *out, int depth);

static bool
dec_fail(Dec *d, const char *what)
{
	n2p_error_set(d->err, N2P_ERR_SYNTAX, "PackStream: %s at byte %zu", what,
				  (size_t) (d->p - d->start));
	return false;
}

static size_t
left(const Dec *d)
{
	return (size_t) (d->end - d->p);
}

/* Read an n-byte big-endian size or integer that follows a marker. */
static bool
take_be(Dec *d, int n, uint64_t *v)
{
	if (left(d) < (size_t) n)
		return dec_fail(d, "value cut short");
	*v = n == 1 ? d->p[0] : n == 2 ? n2p_get_be16(d->p) : n == 4 ? n2p_get_be32(d->p) : n2p_get_be64(d->p);
	d->p += n;
	return true;
}

static void *
dec_alloc(Dec *d, size_t n, size_t size)
{
	void	   *p = n2p_arena_alloc(d->arena, n ? n * size : 1);

	if (p == NULL)
		n2p_error_set(d->err, N2P_ERR_NOMEM, "out of memory decoding PackStream");
	return p;
}

/* Valid UTF-8, no overlong forms or surrogates: what PostgreSQL accepts. */
static bool
utf8_valid(const uint8_t *s, size_t len)
{
	size_t		i = 0;

	while (i < len)
	{
		uint8_t		c = s[i];
		size_t		n,
					k;
		uint32_t	cp;
		uint64_t	w;

		/* eight ASCII bytes at a time: most property text is ASCII */
		if (i + 8 <= len && (memcpy(&w, s + i, 8), (w & UINT64_C(0x8080808080808080)) == 0))
		{
			i += 8;
			continue;
		}
		if (c < 0x80)
		{
			i++;
			continue;
		}
		n = (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 0;
		if (n == 0 || n >= len - i)
			return false;
		cp = c & (0x3F >> n);
		for (k = 1; k <= n; k++)
		{
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < (n == 1 ? 0x80u : n == 2 ? 0x800u : 0x10000u) || cp > 0x10FFFF ||
			(cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += n + 1;
	}
	return true;
}

static bool
dec_bytes(Dec *d, uint64_t n, N2pStr *out, bool text)
{
	char	   *p;

	if (n > left(d))
		return dec_fail(d, text ? "string longer than the message" : "bytes longer than the message");
	if (text && !utf8_valid(d->p, n))
		return dec_fail(d, "invalid UTF-8 in a string");
	if ((p = dec_alloc(d, n + 1, 1)) == NULL)
		return false;
	memcpy(p, d->p, n);
	p[n] = '\0';
	out->ptr = p;
	out->len = n;
	d->p += n;
	return true;
}

static bool
dec_list(Dec *d, uint64_t n, N2pValue *out, int depth)
{
	uint64_t	i;

	/* every item takes at least one byte */
	if (n > left(d))
		return dec_fail(d, "list longer than the message");
	out->type = N2P_LIST;
	out->u.list.n = n;
	if ((out->u.list.items = dec_alloc(d, n, sizeof(N2pValue))) == NULL)
		return false;
	for (i = 0; i < n; i++)
		if (!decode(d, &out->u.list.items[i], depth + 1))
			return false;
	return true;
}

static bool
dec_map(Dec *d, uint64_t n, N2pValue *out, int depth)
{
	uint64_t	i;

	/* every entry takes at least two bytes: a key and a value */
	if (n > left(d) / 2)
		return dec_fail(d, "map longer than the message");
	out->type = N2P_MAP;
	out->u.map.n = n;
	if ((out->u.map.keys = dec_alloc(d, n, sizeof(N2pStr))) == NULL ||
		(out->u.map.vals = dec_alloc(d, n, sizeof(N2pValue))) == NULL)
		return false;
	for (i = 0; i < n; i++)
	{
		N2pValue	key;

		if (!decode(d, &key, depth + 1))
			return false;
		if (key.type != N2P_STRING)
			return dec_fail(d, "map key is not a string");
		out->u.map.keys[i] = key.u.str;
		if (!decode(d, &out->u.map.vals[i], depth + 1))
			return false;
	}
	return true;
}

/*
 * What each structure's fields must be: 'i' integer, 'f' float, 's'
 * string, 'l' list, 'm' map, '*' anything.  Node and Relationship have
 * element ids from Bolt 5 on, so two arities each.
 */
typedef struct StructShape
{
	uint8_t		tag;
	const char *fields;
	const char *fields_v5;
} StructShape;

static const StructShape shapes[] = {
	{N2P_PS_NODE, "ilm", "ilms"},
	{N2P_PS_RELATIONSHIP, "iiism", "iiismsss"},
	{N2P_PS_UNBOUND_REL, "ism", "isms"},
	{N2P_PS_PATH, "lll", NULL},
	{N2P_PS_DATE, "i", NULL},
	{N2P_PS_TIME, "ii", NULL},
	{N2P_PS_LOCALTIME, "i", NULL},
	{N2P_PS_DATETIME, "iii", NULL},
	{N2P_PS_DATETIME_ZONE, "iis", NULL},
	{N2P_PS_DATETIME_LEGACY, "iii", NULL},
	{N2P_PS_DATETIME_ZONE_LEGACY, "iis", NULL},
	{N2P_PS_LOCALDATETIME, "ii", NULL},
	{N2P_PS_DURATION, "iiii", NULL},
	{N2P_PS_POINT2D, "iff", NULL},
	{N2P_PS_POINT3D, "ifff", NULL},
};

static const char *
struct_fields(uint8_t tag, size_t n)
{
	size_t		i;

	for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
		if (shapes[i].tag == tag)
		{
			if (strlen(shapes[i].fields) == n)
				return shapes[i].fields;
			if (shapes[i].fields_v5 && strlen(shapes[i].fields_v5) == n)
				return shapes[i].fields_v5;
			return "";
		}
	return NULL;
}

static bool
field_matches(char want, const N2pValue *v)
{
	switch (want)
	{
		case 'i':
			return v->type == N2P_INT;
		case 'f':
			return v->type == N2P_FLOAT;
		case 's':
			return v->type == N2P_STRING;
		case 'l':
			return v->type == N2P_LIST;
		case 'm':
			return v->type == N2P_MAP;
		default:
			return true;
	}
}

/* Seconds and nanoseconds, carried so that nanos are in 0..999999999. */
static bool
norm_nanos(Dec *d, int64_t *secs, int64_t nanos, int32_t *out)
{
	int64_t		carry = floor_div(nanos, NANOS_PER_SEC);

	if ((carry > 0 && *secs > INT64_MAX - carry) || (carry < 0 && *secs < INT64_MIN - carry))
		return dec_fail(d, "seconds out of range");
	*secs += carry;
	*out = (int32_t) (nanos - carry * NANOS_PER_SEC);
	return true;
}

static bool
offset_ok(Dec *d, int64_t off)
{
	/* Neo4j's range is +-18:00 */
	return (off >= -18 * 3600 && off <= 18 * 3600) || dec_fail(d, "time zone offset out of range");
}

static bool
dec_time(Dec *d, const N2pValue *f, N2pValue *out, bool local)
{
	int64_t		nanos = f[0].u.i;

	if (nanos < 0 || nanos >= SECS_PER_DAY * NANOS_PER_SEC)
		return dec_fail(d, "time of day out of range");
	out->type = local ? N2P_LOCALTIME : N2P_TIME;
	out->u.time.nanos = nanos;
	out->u.time.offset = 0;
	if (!local)
	{
		if (!offset_ok(d, f[1].u.i))
			return false;
		out->u.time.offset = (int32_t) f[1].u.i;
	}
	return true;
}

/* 'I', 'F' and 'd'; the zone-id forms stay structures. */
static bool
dec_datetime(Dec *d, uint8_t tag, const N2pValue *f, N2pValue *out)
{
	int64_t		secs = f[0].u.i;

	memset(&out->u.dt, 0, sizeof(out->u.dt));
	if (!norm_nanos(d, &secs, f[1].u.i, &out->u.dt.nanos))
		return false;
	out->type = tag == N2P_PS_LOCALDATETIME ? N2P_LOCALDATETIME : N2P_DATETIME;
	if (tag != N2P_PS_LOCALDATETIME)
	{
		int64_t		off = f[2].u.i;

		if (!offset_ok(d, off))
			return false;
		/* the model keeps local wall-clock seconds */
		if (tag == N2P_PS_DATETIME && ((off > 0 && secs > INT64_MAX - off) || (off < 0 && secs < INT64_MIN - off)))
			return dec_fail(d, "seconds out of range");
		if (tag == N2P_PS_DATETIME)
			secs += off;
		out->u.dt.offset = (int32_t) off;
	}
	out->u.dt.secs = secs;
	return true;
}

static bool
dec_point(Dec *d, uint8_t tag, const N2pValue *f, N2pValue *out)
{
	int64_t		srid = f[0].u.i;

	if (srid < INT32_MIN || srid > INT32_MAX || n2p_srid_is_3d((int32_t) srid) != (tag == N2P_PS_POINT3D))
		return dec_fail(d, "point SRID does not match its dimensions");
	out->type = N2P_POINT;
	out->u.point.srid = (int32_t) srid;
	out->u.point.x = f[1].u.f;
	out->u.point.y = f[2].u.f;
	out->u.point.z = tag == N2P_PS_POINT3D ? f[3].u.f : 0.0;
	return true;
}

static bool
dec_duration(Dec *d, const N2pValue *f, N2pValue *out)
{
	int64_t		secs = f[2].u.i;

	out->type = N2P_DURATION;
	out->u.dur.months = f[0].u.i;
	out->u.dur.days = f[1].u.i;
	if (!norm_nanos(d, &secs, f[3].u.i, &out->u.dur.nanos))
		return false;
	out->u.dur.secs = secs;
	return true;
}

static bool
to_model(Dec *d, uint8_t tag, N2pValue *f, size_t n, N2pValue *out)
{
	bool		legacy = tag == N2P_PS_DATETIME_LEGACY || tag == N2P_PS_DATETIME_ZONE_LEGACY;

	if ((legacy && d->utc) || (!legacy && !d->utc && (tag == N2P_PS_DATETIME || tag == N2P_PS_DATETIME_ZONE)))
		return dec_fail(d, "DateTime structure of the other Bolt version");
	switch (tag)
	{
		case N2P_PS_DATE:
			out->type = N2P_DATE;
			out->u.date = f[0].u.i;
			return true;
		case N2P_PS_TIME:
		case N2P_PS_LOCALTIME:
			return dec_time(d, f, out, tag == N2P_PS_LOCALTIME);
		case N2P_PS_DATETIME:
		case N2P_PS_DATETIME_LEGACY:
		case N2P_PS_LOCALDATETIME:
			return dec_datetime(d, tag, f, out);
		case N2P_PS_DURATION:
			return dec_duration(d, f, out);
		case N2P_PS_POINT2D:
		case N2P_PS_POINT3D:
			return dec_point(d, tag, f, out);
		default:
			out->type = N2P_STRUCT;
			out->u.st.tag = tag;
			out->u.st.fields = f;
			out->u.st.n = n;
			return true;
	}
}

static bool
dec_struct(Dec *d, size_t n, N2pValue *out, int depth)
{
	const char *want;
	N2pValue   *f;
	uint8_t		tag;
	size_t		i;

	if (left(d) < 1)
		return dec_fail(d, "structure cut short");
	tag = *d->p++;
	if ((want = struct_fields(tag, n)) == NULL)
		return dec_fail(d, "unknown structure tag");
	if (*want == '\0')
		return dec_fail(d, "structure with the wrong number of fields");
	if (n > left(d))
		return dec_fail(d, "structure longer than the message");
	if ((f = dec_alloc(d, n, sizeof(N2pValue))) == NULL)
		return false;
	for (i = 0; i < n; i++)
	{
		if (!decode(d, &f[i], depth + 1))
			return false;
		if (!field_matches(want[i], &f[i]))
			return dec_fail(d, "structure field of the wrong type");
	}
	return to_model(d, tag, f, n, out);
}

static bool
dec_int(Dec *d, int bytes, N2pValue *out)
{
	uint64_t	u;

	if (!take_be(d, bytes, &u))
		return false;
	out->type = N2P_INT;
	/* sign-extend from the encoded width */
	if (bytes == 1)
		out->u.i = (int8_t) u;
	else if (bytes == 2)
		out->u.i = (int16_t) u;
	else if (bytes == 4)
		out->u.i = (int32_t) u;
	else
		out->u.i = (int64_t) u;
	return true;
}

static bool
dec_sized(Dec *d, uint8_t m, N2pValue *out, int depth)
{
	/* 0xCC-0xCE bytes, 0xD0-0xD2 string, 0xD4-0xD6 list, 0xD8-0xDA map */
	static const int widths[] = {1, 2, 4};
	uint8_t		base = m & 0xFC;
	int			w = m & 0x03;
	uint64_t	n;

	if (w == 3 || !take_be(d, widths[w], &n))
		return w == 3 ? dec_fail(d, "unknown marker") : false;
	switch (base)
	{
		case 0xCC:
			out->type = N2P_BYTES;
			return dec_bytes(d, n, &out->u.str, false);
		case 0xD0:
			out->type = N2P_STRING;
			return dec_bytes(d, n, &out->u.str, true);
		case 0xD4:
			return dec_list(d, n, out, depth);
		default:
			return dec_map(d, n, out, depth);
	}
}

static bool
dec_float(Dec *d, N2pValue *out)
{
	uint64_t	bits;

	if (!take_be(d, 8, &bits))
		return false;
	out->type = N2P_FLOAT;
	memcpy(&out->u.f, &bits, sizeof(bits));
	out->u.fnum.text = NULL;
	out->u.fnum.len = 0;
	return true;
}

static bool
dec_tiny(Dec *d, uint8_t m, N2pValue *out, int depth)
{
	switch (m & 0xF0)
	{
		case 0x80:
			out->type = N2P_STRING;
			return dec_bytes(d, m & 0x0F, &out->u.str, true);
		case 0x90:
			return dec_list(d, m & 0x0F, out, depth);
		case 0xA0:
			return dec_map(d, m & 0x0F, out, depth);
		default:
			return dec_struct(d, m & 0x0F, out, depth);
	}
}

static bool
decode(Dec *d, N2pValue *out, int depth)
{
	uint8_t		m;

	if (depth > N2P_PS_MAX_DEPTH)
		return n2p_error_set(d->err, N2P_ERR_LIMIT, "PackStream: nested deeper than %d at byte %zu",
							 N2P_PS_MAX_DEPTH, (size_t) (d->p - d->start));
	if (left(d) < 1)
		return dec_fail(d, "value cut short");
	memset(out, 0, sizeof(*out));
	m = *d->p++;
	if (m < 0x80 || m >= 0xF0)
	{
		out->type = N2P_INT;
		out->u.i = (int8_t) m;
		return true;
	}
	if (m < 0xC0)
		return dec_tiny(d, m, out, depth);
	if (m >= 0xC8 && m <= 0xCB)
		return dec_int(d, 1 << (m - 0xC8), out);
	if ((m >= 0xCC && m <= 0xCE) || (m >= 0xD0 && m <= 0xDA && m != 0xD3 && m != 0xD7))
		return dec_sized(d, m, out, depth);
	switch (m)
	{
		case 0xC0:
			out->type = N2P_NULL;
			return true;
		case 0xC1:
			return dec_float(d, out);
		case 0xC2:
		case 0xC3:
			out->type = N2P_BOOL;
			out->u.b = m == 0xC3;
			return true;
		default:
			return dec_fail(d, "unknown marker");
	}
}

bool
n2p_ps_decode(const uint8_t *data, size_t len, bool utc, N2pArena *arena, N2pValue *out,
			  size_t *used, N2pError *err)
{
	Dec			d = {data, data, data + len, utc, arena, err};

	if (!decode(&d, out, 0))
		return false;
	*used = (size_t) (d.p - data);
	return true;
}
