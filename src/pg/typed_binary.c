/*-------------------------------------------------------------------------
 *
 * typed_binary.c
 *	  Binary-format COPY fields for typed columns (--typed=tables).
 *
 * The typed tables must hold what the typed views show, and the views cast
 * the text that n2p_copy_text_typed writes.  So each value here is what
 * PostgreSQL 15's input functions make of that text, computed with the
 * same double operations where they use doubles:
 *	- times and timestamps: ParseFractionalSecond takes strtod of the
 *	  fraction digits and rounds with rint(), half to even;
 *	- intervals: the text is ISO 8601 ("PT-1M-15.5S"), which
 *	  DecodeISO8601Interval reads with ParseISO8601Number (strtod of the
 *	  whole number, integer part split off) and AdjustFractMicroseconds
 *	  (scale the rest, round away from zero only past one half).
 * The two round differently, and rounding can carry into the next second
 * or day; both come out as the server's.
 *
 * The layouts are those of the types' receive functions: int8, float8,
 * date, time, timetz, timestamp(tz) and interval as big-endian integers;
 * jsonb as version 1 and its text; arrays as array_recv reads them; the
 * composite point as record_recv reads it; PostGIS geometry as the EWKB
 * that LWGEOM_recv hands to lwgeom_from_wkb.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/pg/typed_binary.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/bytes.h"
#include "neo2pg/temporal.h"
#include "neo2pg/pgcopy.h"
#include "neo2pg/typemap.h"
#include "typed_int.h"

#include <math.h>
#include <string.h>

/* PostgreSQL's fixed type OIDs (pg_type.dat) */
#define BOOLOID			16
#define BYTEAOID		17
#define INT8OID			20
#define INT4OID			23
#define TEXTOID			25
#define FLOAT8OID		701
#define DATEOID			1082
#define TIMEOID			1083
#define TIMESTAMPOID	1114
#define TIMESTAMPTZOID	1184
#define INTERVALOID		1186
#define TIMETZOID		1266
#define JSONBOID		3802

#define NANOS_PER_SEC	INT64_C(1000000000)
#define USECS_PER_SEC	INT64_C(1000000)
#define SECS_PER_DAY	INT64_C(86400)

/* 2000-01-01, PostgreSQL's epoch, in days since 1970-01-01 */
#define PG_EPOCH_DAYS	INT64_C(10957)

/* EWKB type word: a point, with an SRID, 3-D when Z is set */
#define WKB_POINT		UINT32_C(1)
#define WKB_SRID_FLAG	UINT32_C(0x20000000)
#define WKB_Z_FLAG		UINT32_C(0x80000000)

/* the field length of SQL NULL */
#define NULL_LENGTH		UINT32_C(0xFFFFFFFF)

/* What a column of each kind takes: the value type and the element OID. */
static const struct
{
	N2pType		type;
	uint32_t	oid;			/* 0 for points: not fixed */
}			kinds[] = {
	[N2P_COL_JSONB] = {N2P_NULL, JSONBOID},
	[N2P_COL_BIGINT] = {N2P_INT, INT8OID},
	[N2P_COL_FLOAT8] = {N2P_FLOAT, FLOAT8OID},
	[N2P_COL_TEXT] = {N2P_STRING, TEXTOID},
	[N2P_COL_BOOL] = {N2P_BOOL, BOOLOID},
	[N2P_COL_BYTEA] = {N2P_BYTES, BYTEAOID},
	[N2P_COL_DATE] = {N2P_DATE, DATEOID},
	[N2P_COL_TIME] = {N2P_LOCALTIME, TIMEOID},
	[N2P_COL_TIMETZ] = {N2P_TIME, TIMETZOID},
	[N2P_COL_TIMESTAMP] = {N2P_LOCALDATETIME, TIMESTAMPOID},
	[N2P_COL_TIMESTAMPTZ] = {N2P_DATETIME, TIMESTAMPTZOID},
	[N2P_COL_INTERVAL] = {N2P_DURATION, INTERVALOID},
	[N2P_COL_POINT] = {N2P_POINT, 0},
};

/* ------------------------------------------------------------ bytes */

static bool
nomem(N2pError *err)
{
	return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
}

/* Fill in the length word at pos for the field that ends here. */
static bool
end_field(N2pBuf *b, size_t pos, N2pError *err)
{
	size_t		len = b->len - pos - 4;

	/* the format's limit; the server's own is 1 GB */
	if (len > INT32_MAX)
		return n2p_error_set(err, N2P_ERR_LIMIT, "a value of %zu bytes is too long for COPY",
							 len);
	n2p_patch_be32(b, pos, (uint32_t) len);
	return true;
}

/* Drop what an encoding that failed had appended. */
static void
truncate_to(N2pBuf *b, size_t len)
{
	if (b->data && b->len > len)
	{
		b->len = len;
		b->data[len] = '\0';
	}
}

static uint64_t
double_bits(double d)
{
	uint64_t	u;

	/* float8in gives every "NaN" the same bits; the text path writes "NaN" */
	if (isnan(d))
		return UINT64_C(0x7FF8000000000000);
	memcpy(&u, &d, sizeof(u));
	return u;
}

/* A field of fixed length: its length word, then its data. */
static bool
put_be64_field(N2pBuf *b, uint64_t v)
{
	return n2p_put_be32(b, 8) && n2p_put_be64(b, v);
}

/* ------------------------------------------------------------ time */

/*
 * The microseconds ParseFractionalSecond makes of the fraction digits the
 * text path writes: rint(strtod(".fffffffff") * 1e6).  nanos / 1e9 is the
 * double strtod returns for those digits: both are the correctly rounded
 * value of one rational number, and nanos and 1e9 are exact doubles.
 */
static int64_t
fraction_usecs(int32_t nanos)
{
	return (int64_t) rint((double) nanos / 1e9 * 1e6);
}

/* A time of day, 24:00 included; the rounding may carry into 24:00. */
static int64_t
time_usecs(int64_t nanos)
{
	return nanos / NANOS_PER_SEC * USECS_PER_SEC +
		fraction_usecs((int32_t) (nanos % NANOS_PER_SEC));
}

/* Local wall-clock seconds since 1970 as microseconds since 2000. */
static int64_t
timestamp_usecs(int64_t secs, int32_t nanos)
{
	return (secs - PG_EPOCH_DAYS * SECS_PER_DAY) * USECS_PER_SEC + fraction_usecs(nanos);
}

/*
 * The microseconds of the seconds component the text path writes for a
 * duration, |secs| < 60, nanos of the same sign ("-15.123456789S").
 * ParseISO8601Number takes strtod of the whole number; the division below
 * gives the same double, as in fraction_usecs.  Its integer part is exact;
 * AdjustFractMicroseconds scales the rest and rounds it away from zero
 * only when strictly past one half.
 */
static int64_t
interval_seconds_usecs(int64_t secs, int32_t nanos)
{
	bool		neg = secs < 0 || nanos < 0;
	int64_t		digits = (neg ? -secs : secs) * NANOS_PER_SEC + (neg ? -nanos : nanos);
	double		val = (double) digits / 1e9;
	int64_t		ipart;
	int64_t		usec;
	double		frac;

	if (neg)
		val = -val;
	ipart = (int64_t) val;		/* truncation toward zero, as there */
	frac = (val - (double) ipart) * (double) USECS_PER_SEC;
	usec = (int64_t) frac;
	frac -= (double) usec;
	if (frac > 0.5)
		usec++;
	else if (frac < -0.5)
		usec--;
	return ipart * USECS_PER_SEC + usec;
}

/*
 * The interval's microseconds, split into hours, minutes and seconds as
 * the text path splits them (literal.c, put_duration): seconds and nanos
 * first get one sign, then every component carries it.
 */
static int64_t
interval_usecs(int64_t secs, int32_t nanos)
{
	N2pDurationParts p;

	n2p_duration_split(secs, nanos, &p);
	return p.hours * 3600 * USECS_PER_SEC + p.mins * 60 * USECS_PER_SEC +
		interval_seconds_usecs(p.secs, p.nanos);
}

/* timetz stores the zone in seconds west of UTC: the offset negated. */
static bool
put_temporal(N2pBuf *b, const N2pValue *v)
{
	switch (v->type)
	{
		case N2P_DATE:
			return n2p_put_be32(b, 4) &&
				n2p_put_be32(b, (uint32_t) (v->u.date - PG_EPOCH_DAYS));
		case N2P_LOCALTIME:
			return put_be64_field(b, (uint64_t) time_usecs(v->u.time.nanos));
		case N2P_TIME:
			return n2p_put_be32(b, 12) &&
				n2p_put_be64(b, (uint64_t) time_usecs(v->u.time.nanos)) &&
				n2p_put_be32(b, (uint32_t) -v->u.time.offset);
		case N2P_LOCALDATETIME:
			return put_be64_field(b, (uint64_t) timestamp_usecs(v->u.dt.secs, v->u.dt.nanos));
		case N2P_DATETIME:
			return put_be64_field(b, (uint64_t) (timestamp_usecs(v->u.dt.secs, v->u.dt.nanos) -
												 v->u.dt.offset * USECS_PER_SEC));
		case N2P_DURATION:
			/* castable: months and days fit int32 */
			return n2p_put_be32(b, 16) &&
				n2p_put_be64(b, (uint64_t) interval_usecs(v->u.dur.secs, v->u.dur.nanos)) &&
				n2p_put_be32(b, (uint32_t) v->u.dur.days) &&
				n2p_put_be32(b, (uint32_t) v->u.dur.months);
		default:
			return false;
	}
}

/* ------------------------------------------------------------ points */

static void
le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char) (v >> (8 * i));
}

static void
le64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char) (v >> (8 * i));
}

/*
 * EWKB, little-endian: byte order 1, the type word with the SRID flag (and
 * Z flag), the SRID, then x, y[, z].  Z exactly when the EWKT has one.
 */
static bool
put_point_ewkb(N2pBuf *b, const N2pValue *v)
{
	bool		z = n2p_srid_is_3d(v->u.point.srid);
	unsigned char w[1 + 4 + 4 + 3 * 8];
	size_t		len = z ? sizeof(w) : sizeof(w) - 8;

	w[0] = 1;
	le32(w + 1, WKB_POINT | WKB_SRID_FLAG | (z ? WKB_Z_FLAG : 0));
	le32(w + 5, (uint32_t) v->u.point.srid);
	le64(w + 9, double_bits(v->u.point.x));
	le64(w + 17, double_bits(v->u.point.y));
	if (z)
		le64(w + 25, double_bits(v->u.point.z));
	return n2p_put_be32(b, (uint32_t) len) && n2p_buf_append(b, w, len);
}

/*
 * The composite (srid int4, x, y, z float8) as record_recv reads it: the
 * column count, then per column its type OID, length and data.  z is NULL
 * for 2-D points, as the text "(srid,x,y,)" makes it.
 */
static bool
put_point_record(N2pBuf *b, const N2pValue *v)
{
	bool		z = n2p_srid_is_3d(v->u.point.srid);

	return n2p_put_be32(b, z ? 64 : 56) && n2p_put_be32(b, 4) &&
		n2p_put_be32(b, INT4OID) && n2p_put_be32(b, 4) &&
		n2p_put_be32(b, (uint32_t) v->u.point.srid) &&
		n2p_put_be32(b, FLOAT8OID) && put_be64_field(b, double_bits(v->u.point.x)) &&
		n2p_put_be32(b, FLOAT8OID) && put_be64_field(b, double_bits(v->u.point.y)) &&
		n2p_put_be32(b, FLOAT8OID) &&
		(z ? put_be64_field(b, double_bits(v->u.point.z)) : n2p_put_be32(b, NULL_LENGTH));
}

/* ------------------------------------------------------------ fields */

static bool
put_string_field(N2pBuf *b, N2pStr s, const N2pPgEncodeOpts *opts, N2pError *err)
{
	size_t		pos = b->len;

	if (!n2p_put_be32(b, 0))
		return nomem(err);
	return n2p_typed_append_string(b, s, opts, err) && end_field(b, pos, err);
}

static bool
put_bytes_field(N2pBuf *b, N2pStr s, N2pError *err)
{
	size_t		pos = b->len;

	if (!n2p_put_be32(b, 0) || !n2p_buf_append(b, s.ptr, s.len))
		return nomem(err);
	return end_field(b, pos, err);
}

static bool
wrong_type(const N2pValue *v, N2pColKind kind, N2pError *err)
{
	return n2p_error_set(err, N2P_ERR_USAGE, "a %s value cannot go into a %s column",
						 n2p_type_name(v->type),
						 kind == N2P_COL_POINT ? "point" : n2p_col_kind_sql(kind));
}

/* One scalar the column can hold, as a field: length word and data. */
static bool
put_scalar(N2pTypedEncoder *enc, N2pBuf *b, const N2pValue *v, N2pColKind kind, N2pError *err)
{
	bool		ok;

	if (v->type != kinds[kind].type)
		return wrong_type(v, kind, err);
	/* the text formatter refuses these, so binary does too */
	if (!n2p_temporal_in_range(v))
		return n2p_error_set(err, N2P_ERR_DATA, "a %s value is out of range",
							 n2p_type_name(v->type));
	switch (kind)
	{
		case N2P_COL_BIGINT:
			ok = put_be64_field(b, (uint64_t) v->u.i);
			break;
		case N2P_COL_FLOAT8:
			ok = put_be64_field(b, double_bits(v->u.f));
			break;
		case N2P_COL_TEXT:
			return put_string_field(b, v->u.str, enc->opts, err);
		case N2P_COL_BOOL:
			ok = n2p_put_be32(b, 1) && n2p_buf_putc(b, v->u.b ? 1 : 0);
			break;
		case N2P_COL_BYTEA:
			return put_bytes_field(b, v->u.str, err);
		case N2P_COL_POINT:
			ok = enc->postgis ? put_point_ewkb(b, v) : put_point_record(b, v);
			break;
		default:
			ok = put_temporal(b, v);
			break;
	}
	return ok || nomem(err);
}

/* A scalar field, or NULL with *lost when the column cannot hold v. */
static bool
put_scalar_or_null(N2pTypedEncoder *enc, N2pBuf *b, const N2pValue *v, N2pColKind kind,
				   bool *lost, N2pError *err)
{
	if (v->type == kinds[kind].type && !n2p_typed_holds(v))
	{
		*lost = true;
		return n2p_put_be32(b, NULL_LENGTH) || nomem(err);
	}
	return put_scalar(enc, b, v, kind, err);
}

static uint32_t
element_oid(const N2pTypedEncoder *enc, N2pColKind kind)
{
	if (kind != N2P_COL_POINT)
		return kinds[kind].oid;
	return enc->postgis ? enc->geometry_oid : enc->point_oid;
}

/*
 * array_recv's format: dimensions (1, or 0 for an empty list), a has-null
 * flag, the element OID, then length and lower bound 1, then the elements.
 */
static bool
put_array(N2pTypedEncoder *enc, N2pBuf *b, const N2pValue *v, N2pColKind kind, bool *lost,
		  N2pError *err)
{
	uint32_t	oid = element_oid(enc, kind);
	size_t		pos = b->len,
				n = v->u.list.n,
				i;
	bool		has_null = false;

	if (oid == 0)
		return n2p_error_set(err, N2P_ERR_USAGE, "the OID of the %s type is not set",
							 enc->postgis ? "geometry" : "point");
	if (!n2p_put_be32(b, 0) || !n2p_put_be32(b, n ? 1 : 0) || !n2p_put_be32(b, 0) || !n2p_put_be32(b, oid) ||
		(n && (!n2p_put_be32(b, (uint32_t) n) || !n2p_put_be32(b, 1))))
		return nomem(err);
	for (i = 0; i < n; i++)
	{
		bool		elem_lost = false;

		if (!put_scalar_or_null(enc, b, &v->u.list.items[i], kind, &elem_lost, err))
			return false;
		has_null |= elem_lost;
	}
	*lost = has_null;
	n2p_patch_be32(b, pos + 8, has_null ? 1 : 0);
	return end_field(b, pos, err);
}

/* jsonb's binary input is a version byte (1) followed by the JSON text. */
static bool
put_jsonb(N2pTypedEncoder *enc, N2pBuf *b, const N2pValue *v, N2pError *err)
{
	size_t		pos = b->len;
	const char *mark;

	if (!n2p_put_be32(b, 0) || !n2p_buf_putc(b, 1))
		return nomem(err);
	return n2p_pg_value_json(b, v, &mark, enc->opts, err) && end_field(b, pos, err);
}

bool
n2p_copy_binary_typed(N2pTypedEncoder *enc, N2pBuf *out, const N2pValue *v, N2pColumnType t,
					  bool *lost, N2pError *err)
{
	size_t		start = out->len;
	bool		ok;

	*lost = false;
	if (t.kind == N2P_COL_JSONB)
		ok = put_jsonb(enc, out, v, err);
	else if (!t.is_array)
		ok = put_scalar_or_null(enc, out, v, t.kind, lost, err);
	else if (v->type != N2P_LIST)
	{
		/* as in the text path: a list column that got something else */
		*lost = true;
		ok = n2p_put_be32(out, NULL_LENGTH) || nomem(err);
	}
	else
		ok = put_array(enc, out, v, t.kind, lost, err);
	if (!ok)
		truncate_to(out, start);
	return ok;
}
