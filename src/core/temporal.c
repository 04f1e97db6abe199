/*-------------------------------------------------------------------------
 *
 * temporal.c
 *	  ISO 8601 text of temporal values, both ways: the canonical form that
 *	  goes into props, and any form Neo4j prints.
 *
 * The backup's literals ("$date('...')", src/backup/literal.c) read their
 * bodies with n2p_temporal_scan, so whatever a literal may hold between its
 * quotes also reads back as ISO text.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/core/temporal.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/temporal.h"
#include "neo2pg/scan.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define NANOS_PER_SEC	INT64_C(1000000000)
#define SECS_PER_DAY	INT64_C(86400)
#define NANOS_PER_DAY	(SECS_PER_DAY * NANOS_PER_SEC)
#define MAX_OFFSET_SECS (18 * 3600)
#define MAX_FRAC_DIGITS 9
#define MIN_YEAR_DIGITS 4
#define MAX_YEAR_DIGITS 9

/* ---------------------------------------------------------------- fields */

/* Exactly n digits, as in the fixed-width fields of dates and times. */
static bool
read_fixed(N2pCursor *c, int n, int *out)
{
	int			v = 0;

	if (c->end - c->p < n)
		return false;
	for (int i = 0; i < n; i++)
	{
		if (!n2p_is_digit(c->p[i]))
			return false;
		v = v * 10 + (c->p[i] - '0');
	}
	c->p += n;
	*out = v;
	return true;
}

/* Optional '.' and 1..9 digits, scaled to nanoseconds. */
static bool
read_fraction(N2pCursor *c, int32_t *nanos)
{
	int32_t		v = 0;
	int			n = 0;

	*nanos = 0;
	if (!n2p_accept(c, '.'))
		return true;
	while (c->p < c->end && n2p_is_digit(*c->p))
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
parse_date(N2pCursor *c, int64_t *days)
{
	bool		neg = false;
	int64_t		year;
	int			ndigits,
				month,
				day;

	if (n2p_accept(c, '-'))
		neg = true;
	else
		(void) n2p_accept(c, '+');
	if (!n2p_read_uint(c, &year, &ndigits) ||
		ndigits < MIN_YEAR_DIGITS || ndigits > MAX_YEAR_DIGITS)
		return false;
	if (!n2p_accept(c, '-') || !read_fixed(c, 2, &month) ||
		!n2p_accept(c, '-') || !read_fixed(c, 2, &day))
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
parse_time_of_day(N2pCursor *c, int64_t *nanos)
{
	int			h,
				m,
				s = 0;
	int32_t		frac = 0;

	if (!read_fixed(c, 2, &h) || !n2p_accept(c, ':') || !read_fixed(c, 2, &m))
		return false;
	if (n2p_accept(c, ':') && (!read_fixed(c, 2, &s) || !read_fraction(c, &frac)))
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
parse_offset(N2pCursor *c, bool *present, int32_t *offset)
{
	int			sign,
				h,
				m,
				s = 0;
	int32_t		total;

	*present = false;
	*offset = 0;
	if (n2p_accept(c, 'Z'))
	{
		*present = true;
		return true;
	}
	if (n2p_peek_is(c, '+') || n2p_peek_is(c, '-'))
		sign = (*c->p++ == '-') ? -1 : 1;
	else
		return true;
	if (!read_fixed(c, 2, &h) || !n2p_accept(c, ':') || !read_fixed(c, 2, &m))
		return false;
	if (n2p_accept(c, ':') && !read_fixed(c, 2, &s))
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
parse_zone(N2pCursor *c, N2pStr *zone)
{
	const char *start;

	zone->ptr = NULL;
	zone->len = 0;
	if (!n2p_accept(c, '['))
		return true;
	start = c->p;
	while (c->p < c->end && *c->p != ']')
	{
		char		ch = *c->p;

		if (!n2p_is_alpha(ch) && !n2p_is_digit(ch) && strchr("/_+-.:", ch) == NULL)
			return false;
		c->p++;
	}
	if (c->p == start || !n2p_accept(c, ']'))
		return false;
	zone->ptr = start;
	zone->len = (size_t) (c->p - 1 - start);
	return true;
}

static bool
parse_time(N2pCursor *c, N2pValue *v)
{
	bool		has_offset;

	if (!parse_time_of_day(c, &v->u.time.nanos) ||
		!parse_offset(c, &has_offset, &v->u.time.offset))
		return false;
	v->type = has_offset ? N2P_TIME : N2P_LOCALTIME;
	return true;
}

static bool
parse_datetime(N2pCursor *c, N2pValue *v)
{
	int64_t		days,
				nanos;
	bool		has_offset;

	if (!parse_date(c, &days) || !n2p_accept(c, 'T') ||
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
read_dur_part(N2pCursor *c, int64_t *value, int32_t *nanos, char *unit)
{
	bool		neg = false;
	bool		has_frac;

	if (n2p_accept(c, '-'))
		neg = true;
	else
		(void) n2p_accept(c, '+');
	if (!n2p_read_uint(c, value, NULL))
		return false;
	has_frac = n2p_peek_is(c, '.');
	if (!read_fraction(c, nanos) || n2p_at_end(c))
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
parse_dur_section(N2pCursor *c, const char *units, const int64_t *scale,
				  int64_t **targets, int32_t *nanos)
{
	const char *next = units;
	int			count = 0;

	while (!n2p_at_end(c) && !n2p_peek_is(c, 'T'))
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
parse_duration(N2pCursor *c, N2pValue *v)
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

	if (!n2p_accept(c, 'P'))
		return false;
	n = parse_dur_section(c, "YMWD", date_scale, date_targets, &nanos);
	if (n < 0)
		return false;
	if (n2p_accept(c, 'T'))
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

/* ---------------------------------------------------------------- parsing */

static bool
parse_body(N2pType type, N2pCursor *c, N2pValue *v)
{
	switch (type)
	{
		case N2P_DATE:
			v->type = N2P_DATE;
			return parse_date(c, &v->u.date);
		case N2P_TIME:
		case N2P_LOCALTIME:
			return parse_time(c, v);
		case N2P_DATETIME:
		case N2P_LOCALDATETIME:
			return parse_datetime(c, v);
		case N2P_DURATION:
			return parse_duration(c, v);
		default:
			return false;
	}
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
n2p_temporal_scan(N2pType type, const char *s, size_t len,
				  N2pValue *out, N2pArena *arena, N2pError *err)
{
	N2pCursor	c = {s, s + len};
	N2pValue	v;

	memset(&v, 0, sizeof(v));
	if (!parse_body(type, &c, &v) || !n2p_at_end(&c) || !copy_zone(&v, arena, err))
		return false;
	*out = v;
	return true;
}

bool
n2p_temporal_parse_iso(N2pType type, const char *s, size_t len,
					   N2pValue *out, N2pArena *arena, N2pError *err)
{
	N2pValue	v;

	switch (type)
	{
		case N2P_DATE:
		case N2P_TIME:
		case N2P_LOCALTIME:
		case N2P_DATETIME:
		case N2P_LOCALDATETIME:
		case N2P_DURATION:
			break;
		default:
			return n2p_error_set(err, N2P_ERR_USAGE, "%s is not a temporal type",
								 n2p_type_name(type));
	}
	/* The offset decides TIME vs LOCALTIME, so it must match what was asked. */
	if (!n2p_temporal_scan(type, s, len, &v, arena, err) || v.type != type)
		return err->code == N2P_ERR_NOMEM ? false :
			n2p_syntax_error(err, n2p_type_name(type), "value", s, len);
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

/* v in decimal, then the unit letter (durations: printf was most of their cost). */
static bool
put_count(N2pBuf *buf, int64_t v, char unit)
{
	return n2p_buf_put_int(buf, v) && n2p_buf_putc(buf, unit);
}

/* Seconds of a duration, negative when either part is. */
static bool
put_dur_seconds(N2pBuf *buf, int64_t secs, int32_t nanos)
{
	bool		neg = secs < 0 || nanos < 0;

	return (!neg || n2p_buf_putc(buf, '-')) &&
		n2p_buf_put_uint(buf, secs < 0 ? (uint64_t) 0 - (uint64_t) secs : (uint64_t) secs) &&
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
		ok = put_count(buf, months / 12, 'Y');
	if (ok && months % 12 != 0)
		ok = put_count(buf, months % 12, 'M');
	if (ok && days != 0)
		ok = put_count(buf, days, 'D');
	if (p.hours == 0 && p.mins == 0 && p.secs == 0 && p.nanos == 0)
		return ok;
	ok = ok && n2p_buf_putc(buf, 'T');
	if (ok && p.hours != 0)
		ok = put_count(buf, p.hours, 'H');
	if (ok && p.mins != 0)
		ok = put_count(buf, p.mins, 'M');
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

bool
n2p_temporal_format(const N2pValue *v, N2pBuf *buf, bool nine, bool zone)
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
	return n2p_temporal_format(v, buf, false, true);
}

