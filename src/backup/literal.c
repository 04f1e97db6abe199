/*-------------------------------------------------------------------------
 *
 * literal.c
 *	  The literal codec: "$date('...')"-style strings written by the Python
 *	  tool, the canonical ISO 8601 text stored in PostgreSQL, and Python's
 *	  float repr.
 *
 * Both the literal parser and the ISO parser run the same body parsers over
 * a cursor; the literal parser only adds the "$kind(" prefix, the quotes and
 * the closing parenthesis.  Keeping one grammar means that whatever a
 * literal may contain between its quotes also reads back as ISO text.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/backup/literal.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/literal.h"

#include <inttypes.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NANOS_PER_SEC	INT64_C(1000000000)
#define SECS_PER_DAY	INT64_C(86400)
#define NANOS_PER_DAY	(SECS_PER_DAY * NANOS_PER_SEC)
#define MAX_OFFSET_SECS (18 * 3600)
#define MAX_FRAC_DIGITS 9
#define MIN_YEAR_DIGITS 4
#define MAX_YEAR_DIGITS 9

/* Longest number token we hand to strtod; Python never writes > 24. */
#define MAX_NUMBER_LEN	64

/* How much of a bad input an error message quotes. */
#define ERR_QUOTE_MAX	80

typedef enum LitKind
{
	LIT_DATE,
	LIT_TIME,
	LIT_DATETIME,
	LIT_DURATION,
	LIT_POINT
} LitKind;

static const struct
{
	const char *prefix;
	LitKind		kind;
	const char *name;
}			literal_kinds[] =
{
	{"$point(", LIT_POINT, "point"},
	{"$date(", LIT_DATE, "date"},
	{"$time(", LIT_TIME, "time"},
	{"$datetime(", LIT_DATETIME, "datetime"},
	{"$duration(", LIT_DURATION, "duration"},
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

/* ---------------------------------------------------------------- cursor */

typedef struct Cursor
{
	const char *p;
	const char *end;
} Cursor;

static bool
at_end(const Cursor *c)
{
	return c->p >= c->end;
}

static bool
peek_is(const Cursor *c, char ch)
{
	return c->p < c->end && *c->p == ch;
}

static bool
accept(Cursor *c, char ch)
{
	if (!peek_is(c, ch))
		return false;
	c->p++;
	return true;
}

static bool
is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static bool
is_alpha(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static char
to_lower(char ch)
{
	return (ch >= 'A' && ch <= 'Z') ? (char) (ch - 'A' + 'a') : ch;
}

static void
skip_ws(Cursor *c)
{
	while (c->p < c->end &&
		   (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

/* Case-insensitive comparison of a counted token with a C string. */
static bool
token_ieq(const char *s, size_t len, const char *lit)
{
	size_t		i;

	for (i = 0; i < len; i++)
		if (lit[i] == '\0' || to_lower(s[i]) != lit[i])
			return false;
	return lit[i] == '\0';
}

/* Exactly n digits, as in the fixed-width fields of dates and times. */
static bool
read_fixed(Cursor *c, int n, int *out)
{
	int			v = 0;

	if (c->end - c->p < n)
		return false;
	for (int i = 0; i < n; i++)
	{
		if (!is_digit(c->p[i]))
			return false;
		v = v * 10 + (c->p[i] - '0');
	}
	c->p += n;
	*out = v;
	return true;
}

/* One or more digits into a non-negative int64; false on overflow. */
static bool
read_uint(Cursor *c, int64_t *out, int *ndigits)
{
	int64_t		v = 0;
	int			n = 0;

	while (c->p < c->end && is_digit(*c->p))
	{
		if (__builtin_mul_overflow(v, 10, &v) ||
			__builtin_add_overflow(v, *c->p - '0', &v))
			return false;
		c->p++;
		n++;
	}
	*out = v;
	if (ndigits)
		*ndigits = n;
	return n > 0;
}

/* Optional '.' and 1..9 digits, scaled to nanoseconds. */
static bool
read_fraction(Cursor *c, int32_t *nanos)
{
	int32_t		v = 0;
	int			n = 0;

	*nanos = 0;
	if (!accept(c, '.'))
		return true;
	while (c->p < c->end && is_digit(*c->p))
	{
		if (++n > MAX_FRAC_DIGITS)
			return false;
		v = v * 10 + (*c->p++ - '0');
	}
	if (n == 0)
		return false;
	for (; n < MAX_FRAC_DIGITS; n++)
		v *= 10;
	*nanos = v;
	return true;
}

/* ---------------------------------------------------------------- dates */

static bool
is_leap(int64_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int
days_in_month(int64_t y, int m)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return (m == 2 && is_leap(y)) ? 29 : mdays[m - 1];
}

/*
 * [+-]YYYY[YYYYY]-MM-DD.  Unsigned years may also have more than four digits
 * because the canonical form prints year 10000 without a sign.
 */
static bool
parse_date(Cursor *c, int64_t *days)
{
	bool		neg = false;
	int64_t		year;
	int			ndigits,
				month,
				day;

	if (accept(c, '-'))
		neg = true;
	else
		(void) accept(c, '+');
	if (!read_uint(c, &year, &ndigits) ||
		ndigits < MIN_YEAR_DIGITS || ndigits > MAX_YEAR_DIGITS)
		return false;
	if (!accept(c, '-') || !read_fixed(c, 2, &month) ||
		!accept(c, '-') || !read_fixed(c, 2, &day))
		return false;
	if (neg)
		year = -year;
	if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
		return false;
	*days = n2p_days_from_civil(year, month, day);
	return true;
}

/*
 * HH:MM[:SS[.f]], seconds optional because Neo4j prints "12:00" for a whole
 * minute.  24:00 is the ISO end of day and only valid with zero seconds.
 */
static bool
parse_time_of_day(Cursor *c, int64_t *nanos)
{
	int			h,
				m,
				s = 0;
	int32_t		frac = 0;

	if (!read_fixed(c, 2, &h) || !accept(c, ':') || !read_fixed(c, 2, &m))
		return false;
	if (accept(c, ':') && (!read_fixed(c, 2, &s) || !read_fraction(c, &frac)))
		return false;
	if (h == 24 && m == 0 && s == 0 && frac == 0)
	{
		*nanos = NANOS_PER_DAY;
		return true;
	}
	if (h > 23 || m > 59 || s > 59)
		return false;
	*nanos = ((int64_t) h * 3600 + m * 60 + s) * NANOS_PER_SEC + frac;
	return true;
}

/* Z, +HH:MM or +HH:MM:SS; *present tells "no offset" apart from +00:00. */
static bool
parse_offset(Cursor *c, bool *present, int32_t *offset)
{
	int			sign,
				h,
				m,
				s = 0;
	int32_t		total;

	*present = false;
	*offset = 0;
	if (accept(c, 'Z'))
	{
		*present = true;
		return true;
	}
	if (peek_is(c, '+') || peek_is(c, '-'))
		sign = (*c->p++ == '-') ? -1 : 1;
	else
		return true;
	if (!read_fixed(c, 2, &h) || !accept(c, ':') || !read_fixed(c, 2, &m))
		return false;
	if (accept(c, ':') && !read_fixed(c, 2, &s))
		return false;
	total = h * 3600 + m * 60 + s;
	if (m > 59 || s > 59 || total > MAX_OFFSET_SECS)
		return false;
	*present = true;
	*offset = sign * total;
	return true;
}

/*
 * "[Region/City]".  The id is left pointing into the input; the caller
 * copies it into the arena once the whole literal is known to be valid.
 */
static bool
parse_zone(Cursor *c, N2pStr *zone)
{
	const char *start;

	zone->ptr = NULL;
	zone->len = 0;
	if (!accept(c, '['))
		return true;
	start = c->p;
	while (c->p < c->end && *c->p != ']')
	{
		char		ch = *c->p;

		if (!is_alpha(ch) && !is_digit(ch) && strchr("/_+-.:", ch) == NULL)
			return false;
		c->p++;
	}
	if (c->p == start || !accept(c, ']'))
		return false;
	zone->ptr = start;
	zone->len = (size_t) (c->p - 1 - start);
	return true;
}

static bool
parse_time(Cursor *c, N2pValue *v)
{
	bool		has_offset;

	if (!parse_time_of_day(c, &v->u.time.nanos) ||
		!parse_offset(c, &has_offset, &v->u.time.offset))
		return false;
	v->type = has_offset ? N2P_TIME : N2P_LOCALTIME;
	return true;
}

static bool
parse_datetime(Cursor *c, N2pValue *v)
{
	int64_t		days,
				nanos;
	bool		has_offset;

	if (!parse_date(c, &days) || !accept(c, 'T') ||
		!parse_time_of_day(c, &nanos) ||
		!parse_offset(c, &has_offset, &v->u.dt.offset) ||
		!parse_zone(c, &v->u.dt.zone))
		return false;
	/* A zone id only makes sense together with the offset it resolved to. */
	if (!has_offset && v->u.dt.zone.len > 0)
		return false;
	v->type = has_offset ? N2P_DATETIME : N2P_LOCALDATETIME;
	v->u.dt.secs = days * SECS_PER_DAY + nanos / NANOS_PER_SEC;
	v->u.dt.nanos = (int32_t) (nanos % NANOS_PER_SEC);
	return true;
}

/* ---------------------------------------------------------------- durations */

/* *acc += v * k, false on overflow. */
static bool
add_scaled(int64_t *acc, int64_t v, int64_t k)
{
	int64_t		t;

	return !__builtin_mul_overflow(v, k, &t) &&
		!__builtin_add_overflow(*acc, t, acc);
}

/*
 * One "[-]n[.f]U" component.  The sign is kept apart from the value so that
 * "-0.5S" stays negative.  Only seconds may carry a fraction.
 */
static bool
read_dur_part(Cursor *c, int64_t *value, int32_t *nanos, char *unit)
{
	bool		neg = false;
	bool		has_frac;

	if (accept(c, '-'))
		neg = true;
	else
		(void) accept(c, '+');
	if (!read_uint(c, value, NULL))
		return false;
	has_frac = peek_is(c, '.');
	if (!read_fraction(c, nanos) || at_end(c))
		return false;
	*unit = *c->p++;
	if (has_frac && *unit != 'S')
		return false;
	if (neg)
	{
		*value = -*value;
		*nanos = -*nanos;
	}
	return true;
}

/*
 * Components of one section (date: YMWD, time: HMS) in that order, each at
 * most once; returns the number read, or -1 on error.
 */
static int
parse_dur_section(Cursor *c, const char *units, const int64_t *scale,
				  int64_t **targets, int32_t *nanos)
{
	const char *next = units;
	int			count = 0;

	while (!at_end(c) && !peek_is(c, 'T'))
	{
		int64_t		value;
		int32_t		part_nanos = 0;
		char		unit;
		const char *u;

		if (!read_dur_part(c, &value, &part_nanos, &unit))
			return -1;
		u = strchr(next, unit);
		if (unit == '\0' || u == NULL)
			return -1;
		if (!add_scaled(targets[u - units], value, scale[u - units]))
			return -1;
		if (part_nanos != 0)
			*nanos = part_nanos;
		next = u + 1;
		count++;
	}
	return count;
}

static bool
parse_duration(Cursor *c, N2pValue *v)
{
	static const int64_t date_scale[] = {12, 1, 7, 1};
	static const int64_t time_scale[] = {3600, 60, 1};
	int64_t		months = 0,
				days = 0,
				secs = 0;
	int32_t		nanos = 0;
	int64_t    *date_targets[] = {&months, &months, &days, &days};
	int64_t    *time_targets[] = {&secs, &secs, &secs};
	int			n;

	if (!accept(c, 'P'))
		return false;
	n = parse_dur_section(c, "YMWD", date_scale, date_targets, &nanos);
	if (n < 0)
		return false;
	if (accept(c, 'T'))
	{
		int			t = parse_dur_section(c, "HMS", time_scale, time_targets, &nanos);

		if (t <= 0)
			return false;
		n += t;
	}
	if (n == 0)
		return false;
	if (nanos < 0)
	{
		if (__builtin_sub_overflow(secs, 1, &secs))
			return false;
		nanos += (int32_t) NANOS_PER_SEC;
	}
	v->type = N2P_DURATION;
	v->u.dur.months = months;
	v->u.dur.days = days;
	v->u.dur.secs = secs;
	v->u.dur.nanos = nanos;
	return true;
}

/* ---------------------------------------------------------------- points */

/* Skip a run of digits, returning how many there were. */
static int
skip_digits(Cursor *c)
{
	const char *start = c->p;

	while (c->p < c->end && is_digit(*c->p))
		c->p++;
	return (int) (c->p - start);
}

/* nan, inf or infinity in any case, after an optional sign. */
static bool
read_special(Cursor *c, bool neg, double *out)
{
	const char *word = c->p;
	size_t		len;

	while (c->p < c->end && is_alpha(*c->p))
		c->p++;
	len = (size_t) (c->p - word);
	if (token_ieq(word, len, "nan"))
		*out = NAN;
	else if (token_ieq(word, len, "inf") || token_ieq(word, len, "infinity"))
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
read_number(Cursor *c, double *out)
{
	const char *start = c->p;
	char		tmp[MAX_NUMBER_LEN + 1];
	int			mantissa;
	size_t		len;

	if (peek_is(c, '-') || peek_is(c, '+'))
		c->p++;
	if (c->p < c->end && is_alpha(*c->p))
		return read_special(c, *start == '-', out);
	mantissa = skip_digits(c);
	if (accept(c, '.'))
		mantissa += skip_digits(c);
	if (mantissa == 0)
		return false;
	if (accept(c, 'e') || accept(c, 'E'))
	{
		if (!accept(c, '-'))
			(void) accept(c, '+');
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
read_quoted(Cursor *c, const char **s, size_t *len)
{
	char		q;
	const char *close;

	if (!peek_is(c, '\'') && !peek_is(c, '"'))
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
		if (token_ieq(s, len, crs_names[i].name))
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
parse_point_entry(Cursor *c, PointKeys *pk)
{
	const char *key = c->p;
	size_t		klen;
	const char *s;
	size_t		slen;
	int64_t		n;

	while (c->p < c->end && (is_alpha(*c->p) || *c->p == '_'))
		c->p++;
	klen = (size_t) (c->p - key);
	skip_ws(c);
	if (!accept(c, ':'))
		return false;
	skip_ws(c);
	if (klen == 1 && (*key == 'x' || *key == 'y' || *key == 'z'))
	{
		int			i = *key - 'x';

		if (pk->have[i] || !read_number(c, &pk->coord[i]))
			return false;
		pk->have[i] = true;
		return true;
	}
	if (token_ieq(key, klen, "crs"))
		return pk->crs_srid == 0 && read_quoted(c, &s, &slen) &&
			(pk->crs_srid = srid_from_crs(s, slen)) != 0;
	if (token_ieq(key, klen, "srid"))
	{
		/* Only the four SRIDs Neo4j knows; anything else is a typo. */
		if (pk->num_srid != 0 || !read_uint(c, &n, NULL) ||
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
parse_point(Cursor *c, N2pValue *v)
{
	PointKeys	pk;
	int32_t		srid;

	memset(&pk, 0, sizeof(pk));
	skip_ws(c);
	if (!accept(c, '{'))
		return false;
	do
	{
		skip_ws(c);
		if (!parse_point_entry(c, &pk))
			return false;
		skip_ws(c);
	} while (accept(c, ','));
	if (!accept(c, '}') || !pk.have[0] || !pk.have[1])
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

static bool
parse_body(LitKind kind, Cursor *c, N2pValue *v)
{
	switch (kind)
	{
		case LIT_DATE:
			v->type = N2P_DATE;
			return parse_date(c, &v->u.date);
		case LIT_TIME:
			return parse_time(c, v);
		case LIT_DATETIME:
			return parse_datetime(c, v);
		case LIT_DURATION:
			return parse_duration(c, v);
		case LIT_POINT:
			return parse_point(c, v);
	}
	return false;
}

/*
 * Quote a prefix of the bad input, made printable and cut on a UTF-8
 * character boundary, so that the message stays one readable line.
 */
static void
quote_input(const char *s, size_t len, char *out)
{
	size_t		n = len > ERR_QUOTE_MAX ? ERR_QUOTE_MAX : len;
	size_t		i;

	while (n < len && n > 0 && ((unsigned char) s[n] & 0xC0) == 0x80)
		n--;
	for (i = 0; i < n; i++)
		out[i] = ((unsigned char) s[i] < 0x20 || s[i] == 0x7F) ? '?' : s[i];
	strcpy(out + n, n < len ? "..." : "");
}

static bool
syntax_error(N2pError *err, const char *what, const char *how,
			 const char *s, size_t len)
{
	char		quoted[ERR_QUOTE_MAX + 4];

	quote_input(s, len, quoted);
	return n2p_error_set(err, N2P_ERR_SYNTAX, "invalid %s %s \"%s\"",
						 what, how, quoted);
}

/* Move a zone id from the input into the arena. */
static bool
copy_zone(N2pValue *v, N2pArena *arena, N2pError *err)
{
	char	   *z;

	if ((v->type != N2P_DATETIME && v->type != N2P_LOCALDATETIME) ||
		v->u.dt.zone.len == 0)
		return true;
	z = n2p_arena_alloc(arena, v->u.dt.zone.len + 1);
	if (z == NULL)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory copying a zone id");
	memcpy(z, v->u.dt.zone.ptr, v->u.dt.zone.len);
	z[v->u.dt.zone.len] = '\0';
	v->u.dt.zone.ptr = z;
	return true;
}

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

/* "( 'body' )" or "( {map} )" after the prefix; c is left at the end. */
static bool
parse_literal_args(LitKind kind, Cursor *c, N2pValue *v)
{
	skip_ws(c);
	if (kind == LIT_POINT)
	{
		if (!parse_point(c, v))
			return false;
	}
	else
	{
		Cursor		body;
		size_t		len;

		if (!read_quoted(c, &body.p, &len))
			return false;
		body.end = body.p + len;
		if (!parse_body(kind, &body, v) || !at_end(&body))
			return false;
	}
	skip_ws(c);
	return accept(c, ')') && at_end(c);
}

bool
n2p_literal_parse(const char *s, size_t len, N2pValue *out,
				  N2pArena *arena, N2pError *err)
{
	for (size_t i = 0; i < N_LITERAL_KINDS; i++)
	{
		size_t		plen = strlen(literal_kinds[i].prefix);
		Cursor		c;
		N2pValue	v;

		if (len < plen || memcmp(s, literal_kinds[i].prefix, plen) != 0)
			continue;
		memset(&v, 0, sizeof(v));
		c.p = s + plen;
		c.end = s + len;
		if (!parse_literal_args(literal_kinds[i].kind, &c, &v))
			return syntax_error(err, literal_kinds[i].name, "literal", s, len);
		if (!copy_zone(&v, arena, err))
			return false;
		*out = v;
		return true;
	}
	return syntax_error(err, "temporal or spatial", "literal", s, len);
}

bool
n2p_temporal_parse_iso(N2pType type, const char *s, size_t len,
					   N2pValue *out, N2pArena *arena, N2pError *err)
{
	LitKind		kind;
	Cursor		c;
	N2pValue	v;

	switch (type)
	{
		case N2P_DATE:
			kind = LIT_DATE;
			break;
		case N2P_TIME:
		case N2P_LOCALTIME:
			kind = LIT_TIME;
			break;
		case N2P_DATETIME:
		case N2P_LOCALDATETIME:
			kind = LIT_DATETIME;
			break;
		case N2P_DURATION:
			kind = LIT_DURATION;
			break;
		default:
			return n2p_error_set(err, N2P_ERR_USAGE, "%s is not a temporal type",
								 n2p_type_name(type));
	}
	memset(&v, 0, sizeof(v));
	c.p = s;
	c.end = s + len;
	/* The offset decides TIME vs LOCALTIME, so it must match what was asked. */
	if (!parse_body(kind, &c, &v) || !at_end(&c) || v.type != type)
		return syntax_error(err, n2p_type_name(type), "value", s, len);
	if (!copy_zone(&v, arena, err))
		return false;
	*out = v;
	return true;
}

/* ---------------------------------------------------------------- formatting */

/*
 * Two-digit fields are written by hand: these run for every temporal value
 * of a load, and snprintf was a measurable share of the client's time.
 */
static inline void
two_digits(char *out, int v)
{
	out[0] = (char) ('0' + v / 10);
	out[1] = (char) ('0' + v % 10);
}

static bool
put_date(N2pBuf *buf, int64_t days)
{
	int64_t		y;
	int			m,
				d;
	char		md[6] = {'-', 0, 0, '-', 0, 0};

	n2p_civil_from_days(days, &y, &m, &d);
	two_digits(md + 1, m);
	two_digits(md + 4, d);
	if (y >= 1000 && y <= 9999)
	{
		char		yd[4] = {(char) ('0' + y / 1000), (char) ('0' + y / 100 % 10),
		(char) ('0' + y / 10 % 10), (char) ('0' + y % 10)};

		return n2p_buf_append(buf, yd, 4) && n2p_buf_append(buf, md, 6);
	}
	if (y < 0)
		return n2p_buf_printf(buf, "-%04" PRIu64 "-%02d-%02d",
							  (uint64_t) 0 - (uint64_t) y, m, d);
	return n2p_buf_printf(buf, "%04" PRId64 "-%02d-%02d", y, m, d);
}

/* ".f" with trailing zeros removed, or exactly nine digits when asked. */
static bool
put_fraction(N2pBuf *buf, int32_t nanos, bool nine)
{
	char		digits[16];
	int			n;

	if (nanos == 0 && !nine)
		return true;
	for (n = MAX_FRAC_DIGITS; n > 0; n--, nanos /= 10)
		digits[n - 1] = (char) ('0' + nanos % 10);
	n = MAX_FRAC_DIGITS;
	while (!nine && n > 1 && digits[n - 1] == '0')
		n--;
	return n2p_buf_putc(buf, '.') && n2p_buf_append(buf, digits, (size_t) n);
}

static bool
put_time(N2pBuf *buf, int64_t nanos, bool nine)
{
	int64_t		secs = nanos / NANOS_PER_SEC;
	char		hms[8] = {0, 0, ':', 0, 0, ':', 0, 0};

	/* hours are 0..24 here: a time of day, 24:00 included */
	two_digits(hms, (int) (secs / 3600));
	two_digits(hms + 3, (int) (secs / 60 % 60));
	two_digits(hms + 6, (int) (secs % 60));
	return n2p_buf_append(buf, hms, 8) &&
		put_fraction(buf, (int32_t) (nanos % NANOS_PER_SEC), nine);
}

static bool
put_offset(N2pBuf *buf, int32_t offset)
{
	char		sign = offset < 0 ? '-' : '+';
	int32_t		a = offset < 0 ? -offset : offset;

	char		o[9] = {sign, 0, 0, ':', 0, 0, ':', 0, 0};

	two_digits(o + 1, (int) (a / 3600));
	two_digits(o + 4, (int) (a / 60 % 60));
	two_digits(o + 7, (int) (a % 60));
	return n2p_buf_append(buf, o, a % 60 != 0 ? 9 : 6);
}

static bool
put_datetime(N2pBuf *buf, int64_t secs, int32_t nanos, bool nine)
{
	int64_t		days = secs / SECS_PER_DAY;
	int64_t		sod = secs % SECS_PER_DAY;

	if (sod < 0)
	{
		days--;
		sod += SECS_PER_DAY;
	}
	return put_date(buf, days) && n2p_buf_putc(buf, 'T') &&
		put_time(buf, sod * NANOS_PER_SEC + nanos, nine);
}

/* Seconds of a duration, negative when either part is. */
static bool
put_dur_seconds(N2pBuf *buf, int64_t secs, int32_t nanos)
{
	bool		neg = secs < 0 || nanos < 0;

	return n2p_buf_printf(buf, "%s%" PRId64, neg ? "-" : "",
						  secs < 0 ? -secs : secs) &&
		put_fraction(buf, nanos < 0 ? -nanos : nanos, false) &&
		n2p_buf_putc(buf, 'S');
}

/*
 * Give seconds and nanos the same sign first: then truncating division
 * splits the total into components that each carry that sign.
 */
void
n2p_duration_split(int64_t secs, int32_t nanos, N2pDurationParts *out)
{
	if (secs < 0 && nanos > 0)
	{
		secs++;
		nanos -= (int32_t) NANOS_PER_SEC;
	}
	out->hours = secs / 3600;
	out->mins = secs % 3600 / 60;
	out->secs = secs % 60;
	out->nanos = nanos;
}

static bool
put_duration(N2pBuf *buf, int64_t months, int64_t days, int64_t secs,
			 int32_t nanos)
{
	bool		ok = true;
	N2pDurationParts p;

	n2p_duration_split(secs, nanos, &p);
	if (months == 0 && days == 0 && p.hours == 0 && p.mins == 0 &&
		p.secs == 0 && p.nanos == 0)
		return n2p_buf_append(buf, "PT0S", 4);
	ok = n2p_buf_putc(buf, 'P');
	if (ok && months / 12 != 0)
		ok = n2p_buf_printf(buf, "%" PRId64 "Y", months / 12);
	if (ok && months % 12 != 0)
		ok = n2p_buf_printf(buf, "%" PRId64 "M", months % 12);
	if (ok && days != 0)
		ok = n2p_buf_printf(buf, "%" PRId64 "D", days);
	if (p.hours == 0 && p.mins == 0 && p.secs == 0 && p.nanos == 0)
		return ok;
	ok = ok && n2p_buf_putc(buf, 'T');
	if (ok && p.hours != 0)
		ok = n2p_buf_printf(buf, "%" PRId64 "H", p.hours);
	if (ok && p.mins != 0)
		ok = n2p_buf_printf(buf, "%" PRId64 "M", p.mins);
	if (ok && (p.secs != 0 || p.nanos != 0))
		ok = put_dur_seconds(buf, p.secs, p.nanos);
	return ok;
}

/* Values the formatter cannot print faithfully are refused, not mangled. */
bool
n2p_temporal_in_range(const N2pValue *v)
{
	switch (v->type)
	{
		case N2P_TIME:
		case N2P_LOCALTIME:
			return v->u.time.nanos >= 0 && v->u.time.nanos <= NANOS_PER_DAY;
		case N2P_DATETIME:
		case N2P_LOCALDATETIME:
			return v->u.dt.nanos >= 0 && v->u.dt.nanos < NANOS_PER_SEC;
		case N2P_DURATION:
			return v->u.dur.nanos >= 0 && v->u.dur.nanos < NANOS_PER_SEC;
		default:
			return true;
	}
}

/* The body shared by the ISO and literal forms; nine = Python's 9 digits. */
static bool
put_temporal(const N2pValue *v, N2pBuf *buf, bool nine, bool zone)
{
	if (!n2p_temporal_in_range(v))
		return false;
	switch (v->type)
	{
		case N2P_DATE:
			return put_date(buf, v->u.date);
		case N2P_LOCALTIME:
			return put_time(buf, v->u.time.nanos, nine);
		case N2P_TIME:
			return put_time(buf, v->u.time.nanos, nine) &&
				put_offset(buf, v->u.time.offset);
		case N2P_LOCALDATETIME:
			return put_datetime(buf, v->u.dt.secs, v->u.dt.nanos, nine);
		case N2P_DATETIME:
			if (!put_datetime(buf, v->u.dt.secs, v->u.dt.nanos, nine) ||
				!put_offset(buf, v->u.dt.offset))
				return false;
			if (!zone || v->u.dt.zone.len == 0)
				return true;
			return n2p_buf_putc(buf, '[') &&
				n2p_buf_append(buf, v->u.dt.zone.ptr, v->u.dt.zone.len) &&
				n2p_buf_putc(buf, ']');
		case N2P_DURATION:
			return put_duration(buf, v->u.dur.months, v->u.dur.days,
								v->u.dur.secs, v->u.dur.nanos);
		default:
			return false;
	}
}

bool
n2p_temporal_format_iso(const N2pValue *v, N2pBuf *buf)
{
	return put_temporal(v, buf, false, true);
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
	if (!n2p_srid_is_3d(v->u.point.srid))
		return n2p_buf_printf(buf, "$point({x: %s, y: %s, crs: '%s'})", x, y, crs);
	n2p_format_double(v->u.point.z, z);
	return n2p_buf_printf(buf, "$point({x: %s, y: %s, z: %s, crs: '%s'})",
						  x, y, z, crs);
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
	return n2p_buf_append(buf, fn, strlen(fn)) && put_temporal(v, buf, true, false) &&
		n2p_buf_append(buf, "')", 2);
}

/* ---------------------------------------------------------------- floats */

/*
 * Shortest decimal digits that read back as d: the correctly rounded
 * %.*e output is tried with growing precision, 17 digits always suffice.
 * For normal doubles the search starts at 15 digits (DBL_DIG): any decimal
 * of at most 15 digits survives decimal -> double -> 15 digits unchanged,
 * so when the shortest form is shorter, the 15-digit output is that form
 * padded with zeros.  This keeps the hot path to one or two snprintf
 * calls; subnormals lack that guarantee and search from 1.
 * Returns the digits (no sign, no trailing zeros) and the decimal exponent
 * of the first digit.
 */
static int
shortest_digits(double d, char *digits, int *exp10)
{
	char		tmp[40];
	int			n = 0;
	char	   *e;

	for (int prec = fpclassify(d) == FP_SUBNORMAL ? 1 : DBL_DIG; prec <= 17; prec++)
	{
		snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	e = strchr(tmp, 'e');
	/* Skip the sign and whatever decimal point the locale uses. */
	for (char *p = tmp; p < e; p++)
		if (is_digit(*p))
			digits[n++] = *p;
	while (n > 1 && digits[n - 1] == '0')
		n--;
	digits[n] = '\0';
	*exp10 = atoi(e + 1);
	return n;
}

/*
 * The common case without snprintf/strtod: coordinates and measurements
 * usually have at most 6 decimals.  If k / 1e6 == |d| for an integer k,
 * the decimal k * 10^-6 reads back as d (the division is correctly
 * rounded), and below 1e9 doubles lie closer than 1e-6 apart, so no other
 * decimal of at most 6 places reads back as d: k without its trailing
 * zeros is the shortest form.  Returns 0 when the case does not apply.
 */
static int
short_decimal_digits(double d, char *digits, int *exp10)
{
	double		a = fabs(d);
	double		scaled = a * 1e6;
	int64_t		k;
	char		tmp[24];
	int			n = 0,
				i;

	if (!(a >= 1e-6 && a < 1e9))
		return 0;
	k = (int64_t) (scaled + 0.5);
	if ((double) k / 1e6 != a)
		return 0;
	while (k > 0)
	{
		tmp[n++] = (char) ('0' + k % 10);
		k /= 10;
	}
	*exp10 = n - 1 - 6;
	for (i = 0; i < n; i++)
		digits[i] = tmp[n - 1 - i];
	while (n > 1 && digits[n - 1] == '0')
		n--;
	digits[n] = '\0';
	return n;
}

/* Append n copies of ch; the fixed-notation range keeps n small enough. */
static size_t
put_run(char *out, char ch, int n)
{
	for (int i = 0; i < n; i++)
		out[i] = ch;
	return n > 0 ? (size_t) n : 0;
}

static size_t
put_str(char *out, const char *s, int n)
{
	memcpy(out, s, (size_t) n);
	return (size_t) n;
}

/*
 * Python switches to exponent notation below 1e-4 and from 1e16 on: that
 * is, fixed notation when the first digit's exponent is in -4 .. 15.
 */
size_t
n2p_format_double(double d, char *buf)
{
	char		digits[20];
	int			nd,
				exp10;
	size_t		len = 0;

	if (isnan(d))
		return (size_t) snprintf(buf, N2P_DOUBLE_BUFSZ, "nan");
	if (isinf(d))
		return (size_t) snprintf(buf, N2P_DOUBLE_BUFSZ, "%s", d < 0 ? "-inf" : "inf");
	nd = short_decimal_digits(d, digits, &exp10);
	if (nd == 0)
		nd = shortest_digits(d, digits, &exp10);
	if (signbit(d))
		buf[len++] = '-';
	if (exp10 < -4 || exp10 >= 16)
	{
		len += put_str(buf + len, digits, 1);
		if (nd > 1)
		{
			buf[len++] = '.';
			len += put_str(buf + len, digits + 1, nd - 1);
		}
		len += (size_t) snprintf(buf + len, N2P_DOUBLE_BUFSZ - len, "e%c%02d",
								 exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
		return len;
	}
	if (exp10 < 0)
	{
		len += put_str(buf + len, "0.", 2);
		len += put_run(buf + len, '0', -exp10 - 1);
		len += put_str(buf + len, digits, nd);
	}
	else if (exp10 + 1 >= nd)
	{
		len += put_str(buf + len, digits, nd);
		len += put_run(buf + len, '0', exp10 + 1 - nd);
		len += put_str(buf + len, ".0", 2);
	}
	else
	{
		len += put_str(buf + len, digits, exp10 + 1);
		buf[len++] = '.';
		len += put_str(buf + len, digits + exp10 + 1, nd - exp10 - 1);
	}
	buf[len] = '\0';
	return len;
}
