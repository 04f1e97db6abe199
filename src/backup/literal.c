/*-------------------------------------------------------------------------
 *
 * literal.c
 *	  The backup's literals: "$date('...')"-style strings written by the
 *	  Python tool, both ways.
 *
 * A temporal literal's body is ISO text, read and written by
 * src/core/temporal.c; this file adds the "$kind(" prefix, the quotes and
 * the closing parenthesis, and the points, which have a syntax of their
 * own.  Keeping one grammar means that whatever a literal may contain
 * between its quotes also reads back as ISO text.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/backup/literal.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/literal.h"
#include "neo2pg/scan.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest number token we hand to strtod; Python never writes > 24. */
#define MAX_NUMBER_LEN	64

static const struct
{
	const char *prefix;
	N2pType		type;
	const char *name;
}			literal_kinds[] =
{
	{"$point(", N2P_POINT, "point"},
	{"$date(", N2P_DATE, "date"},
	{"$time(", N2P_TIME, "time"},
	{"$datetime(", N2P_DATETIME, "datetime"},
	{"$duration(", N2P_DURATION, "duration"},
};

#define N_LITERAL_KINDS (sizeof(literal_kinds) / sizeof(literal_kinds[0]))

static const struct
{
	const char *name;
	int32_t		srid;
}			crs_names[] =
{
	{"cartesian", N2P_SRID_CARTESIAN},
	{"cartesian-3d", N2P_SRID_CARTESIAN_3D},
	{"wgs-84", N2P_SRID_WGS84},
	{"wgs-84-3d", N2P_SRID_WGS84_3D},
};

#define N_CRS_NAMES (sizeof(crs_names) / sizeof(crs_names[0]))

/* ---------------------------------------------------------------- points */

/* Skip a run of digits, returning how many there were. */
static int
skip_digits(N2pCursor *c)
{
	const char *start = c->p;

	while (c->p < c->end && n2p_is_digit(*c->p))
		c->p++;
	return (int) (c->p - start);
}

/* nan, inf or infinity in any case, after an optional sign. */
static bool
read_special(N2pCursor *c, bool neg, double *out)
{
	const char *word = c->p;
	size_t		len;

	while (c->p < c->end && n2p_is_alpha(*c->p))
		c->p++;
	len = (size_t) (c->p - word);
	if (n2p_token_ieq(word, len, "nan"))
		*out = NAN;
	else if (n2p_token_ieq(word, len, "inf") || n2p_token_ieq(word, len, "infinity"))
		*out = neg ? -INFINITY : INFINITY;
	else
		return false;
	return true;
}

/*
 * A float as Python or Cypher writes it: [sign] digits [. digits] [e exp],
 * or nan/inf.  The token is checked here rather than by strtod, which would
 * also take hex floats and "nan(...)".
 */
static bool
read_number(N2pCursor *c, double *out)
{
	const char *start = c->p;
	char		tmp[MAX_NUMBER_LEN + 1];
	int			mantissa;
	size_t		len;

	if (n2p_peek_is(c, '-') || n2p_peek_is(c, '+'))
		c->p++;
	if (c->p < c->end && n2p_is_alpha(*c->p))
		return read_special(c, *start == '-', out);
	mantissa = skip_digits(c);
	if (n2p_accept(c, '.'))
		mantissa += skip_digits(c);
	if (mantissa == 0)
		return false;
	if (n2p_accept(c, 'e') || n2p_accept(c, 'E'))
	{
		if (!n2p_accept(c, '-'))
			(void) n2p_accept(c, '+');
		if (skip_digits(c) == 0)
			return false;
	}
	len = (size_t) (c->p - start);
	if (len > MAX_NUMBER_LEN)
		return false;
	memcpy(tmp, start, len);
	tmp[len] = '\0';
	*out = strtod(tmp, NULL);
	return true;
}

static bool
read_quoted(N2pCursor *c, const char **s, size_t *len)
{
	char		q;
	const char *close;

	if (!n2p_peek_is(c, '\'') && !n2p_peek_is(c, '"'))
		return false;
	q = *c->p++;
	close = memchr(c->p, q, (size_t) (c->end - c->p));
	if (close == NULL)
		return false;
	*s = c->p;
	*len = (size_t) (close - c->p);
	c->p = close + 1;
	return true;
}

static int32_t
srid_from_crs(const char *s, size_t len)
{
	for (size_t i = 0; i < N_CRS_NAMES; i++)
		if (n2p_token_ieq(s, len, crs_names[i].name))
			return crs_names[i].srid;
	return 0;
}

static const char *
crs_from_srid(int32_t srid)
{
	for (size_t i = 0; i < N_CRS_NAMES; i++)
		if (crs_names[i].srid == srid)
			return crs_names[i].name;
	return NULL;
}

/* What a point map has seen so far; srid 0 means "not given". */
typedef struct PointKeys
{
	double		coord[3];
	bool		have[3];
	int32_t		crs_srid;
	int32_t		num_srid;
} PointKeys;

static bool
parse_point_entry(N2pCursor *c, PointKeys *pk)
{
	const char *key = c->p;
	size_t		klen;
	const char *s;
	size_t		slen;
	int64_t		n;

	while (c->p < c->end && (n2p_is_alpha(*c->p) || *c->p == '_'))
		c->p++;
	klen = (size_t) (c->p - key);
	n2p_skip_ws(c);
	if (!n2p_accept(c, ':'))
		return false;
	n2p_skip_ws(c);
	if (klen == 1 && (*key == 'x' || *key == 'y' || *key == 'z'))
	{
		int			i = *key - 'x';

		if (pk->have[i] || !read_number(c, &pk->coord[i]))
			return false;
		pk->have[i] = true;
		return true;
	}
	if (n2p_token_ieq(key, klen, "crs"))
		return pk->crs_srid == 0 && read_quoted(c, &s, &slen) &&
			(pk->crs_srid = srid_from_crs(s, slen)) != 0;
	if (n2p_token_ieq(key, klen, "srid"))
	{
		/* Only the four SRIDs Neo4j knows; anything else is a typo. */
		if (pk->num_srid != 0 || !n2p_read_uint(c, &n, NULL) ||
			n > INT32_MAX || crs_from_srid((int32_t) n) == NULL)
			return false;
		pk->num_srid = (int32_t) n;
		return true;
	}
	return false;
}

/*
 * {x: X, y: Y[, z: Z], crs: 'name' | srid: N} with keys in any order.  As in
 * Cypher, a point without crs or srid is cartesian (3-D when z is given).
 */
static bool
parse_point(N2pCursor *c, N2pValue *v)
{
	PointKeys	pk;
	int32_t		srid;

	memset(&pk, 0, sizeof(pk));
	n2p_skip_ws(c);
	if (!n2p_accept(c, '{'))
		return false;
	do
	{
		n2p_skip_ws(c);
		if (!parse_point_entry(c, &pk))
			return false;
		n2p_skip_ws(c);
	} while (n2p_accept(c, ','));
	if (!n2p_accept(c, '}') || !pk.have[0] || !pk.have[1])
		return false;
	if (pk.crs_srid && pk.num_srid && pk.crs_srid != pk.num_srid)
		return false;
	srid = pk.crs_srid ? pk.crs_srid : pk.num_srid;
	if (srid == 0)
		srid = pk.have[2] ? N2P_SRID_CARTESIAN_3D : N2P_SRID_CARTESIAN;
	if (n2p_srid_is_3d(srid) != pk.have[2])
		return false;
	v->type = N2P_POINT;
	v->u.point.srid = srid;
	v->u.point.x = pk.coord[0];
	v->u.point.y = pk.coord[1];
	v->u.point.z = pk.have[2] ? pk.coord[2] : 0.0;
	return true;
}

/* ---------------------------------------------------------------- parsing */

bool
n2p_literal_has_prefix(const char *s, size_t len)
{
	for (size_t i = 0; i < N_LITERAL_KINDS; i++)
	{
		size_t		plen = strlen(literal_kinds[i].prefix);

		if (len >= plen && memcmp(s, literal_kinds[i].prefix, plen) == 0)
			return true;
	}
	return false;
}

/*
 * "( 'body' )" or "( {map} )" after the prefix; c is left at the end.  A
 * zone id goes into the arena as soon as the body is read.
 */
static bool
parse_literal_args(N2pType type, N2pCursor *c, N2pValue *v, N2pArena *arena, N2pError *err)
{
	n2p_skip_ws(c);
	if (type == N2P_POINT)
	{
		if (!parse_point(c, v))
			return false;
	}
	else
	{
		const char *body;
		size_t		len;

		if (!read_quoted(c, &body, &len) || !n2p_temporal_scan(type, body, len, v, arena, err))
			return false;
	}
	n2p_skip_ws(c);
	return n2p_accept(c, ')') && n2p_at_end(c);
}

bool
n2p_literal_parse(const char *s, size_t len, N2pValue *out,
				  N2pArena *arena, N2pError *err)
{
	for (size_t i = 0; i < N_LITERAL_KINDS; i++)
	{
		size_t		plen = strlen(literal_kinds[i].prefix);
		N2pCursor	c;
		N2pValue	v;

		if (len < plen || memcmp(s, literal_kinds[i].prefix, plen) != 0)
			continue;
		c = (N2pCursor) {s + plen, s + len};
		memset(&v, 0, sizeof(v));
		if (!parse_literal_args(literal_kinds[i].type, &c, &v, arena, err))
			return err->code == N2P_ERR_NOMEM ? false :
				n2p_syntax_error(err, literal_kinds[i].name, "literal", s, len);
		*out = v;
		return true;
	}
	return n2p_syntax_error(err, "temporal or spatial", "literal", s, len);
}

static bool
put_point_literal(const N2pValue *v, N2pBuf *buf)
{
	const char *crs = crs_from_srid(v->u.point.srid);
	char		x[N2P_DOUBLE_BUFSZ],
				y[N2P_DOUBLE_BUFSZ],
				z[N2P_DOUBLE_BUFSZ];

	if (crs == NULL)
		return false;
	n2p_format_double(v->u.point.x, x);
	n2p_format_double(v->u.point.y, y);
	/* appends, not printf: a point per row is common */
	if (!n2p_buf_append(buf, "$point({x: ", 11) || !n2p_buf_append(buf, x, strlen(x)) ||
		!n2p_buf_append(buf, ", y: ", 5) || !n2p_buf_append(buf, y, strlen(y)))
		return false;
	if (n2p_srid_is_3d(v->u.point.srid))
	{
		n2p_format_double(v->u.point.z, z);
		if (!n2p_buf_append(buf, ", z: ", 5) || !n2p_buf_append(buf, z, strlen(z)))
			return false;
	}
	return n2p_buf_append(buf, ", crs: '", 8) && n2p_buf_append(buf, crs, strlen(crs)) &&
		n2p_buf_append(buf, "'})", 3);
}

bool
n2p_literal_format(const N2pValue *v, N2pBuf *buf)
{
	const char *fn;

	switch (v->type)
	{
		case N2P_POINT:
			return put_point_literal(v, buf);
		case N2P_DATE:
			fn = "$date('";
			break;
		case N2P_TIME:
		case N2P_LOCALTIME:
			fn = "$time('";
			break;
		case N2P_DATETIME:
		case N2P_LOCALDATETIME:
			fn = "$datetime('";
			break;
		case N2P_DURATION:
			fn = "$duration('";
			break;
		default:
			return false;
	}
	/* The Python tool loses zone ids; writing them would change the format. */
	return n2p_buf_append(buf, fn, strlen(fn)) && n2p_temporal_format(v, buf, true, false) &&
		n2p_buf_append(buf, "')", 2);
}

