/*-------------------------------------------------------------------------
 *
 * check.c
 *	  What Neo4j 5.26 refuses, or silently changes, among the values of the
 *	  model: the import checks every value before it is sent, and verify
 *	  uses the same rules.
 *
 * Each rule was measured against the real server (test/bolt_live.c sends
 * every case raw and compares the server's answer with this verdict).
 * Refusals matter twice: an error in the middle of a batch costs the whole
 * batch, and a Time offset beyond +-18:00 makes the server close the
 * connection instead of answering.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/neo4j/check.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/neo4j_sink.h"

#include <math.h>
#include <string.h>

#define MAX_OFFSET (18 * 3600)
#define MAX_YEAR 999999999

static int
refuse(N2pError *err, const char *msg)
{
	n2p_error_set(err, N2P_ERR_DATA, "Neo4j refuses %s", msg);
	return -1;
}

static bool
year_ok(int64_t days)
{
	int64_t		y;
	int			m,
				d;

	n2p_civil_from_days(days, &y, &m, &d);
	return y >= -MAX_YEAR && y <= MAX_YEAR;
}

/* floor division: local seconds before 1970 belong to the day before */
static int64_t
day_of(int64_t secs)
{
	return secs / 86400 - (secs % 86400 < 0);
}

/*
 * Neo4j counts a duration's months (at their average length, 2,629,746 s)
 * and days (86,400 s) in seconds, in a long; the seconds part itself may
 * be anything (measured: 2^63-1 seconds are kept).
 */
static bool
duration_fits(const N2pValue *v)
{
	int64_t		m,
				d,
				sum;

	return !__builtin_mul_overflow(v->u.dur.months, (int64_t) 2629746, &m) &&
		!__builtin_mul_overflow(v->u.dur.days, (int64_t) 86400, &d) &&
		!__builtin_add_overflow(m, d, &sum);
}

static int
check_point(const N2pValue *v, N2pError *err)
{
	double		x = v->u.point.x,
				y = v->u.point.y,
				z = n2p_srid_is_3d(v->u.point.srid) ? v->u.point.z : 0;
	bool		wgs = v->u.point.srid == N2P_SRID_WGS84 || v->u.point.srid == N2P_SRID_WGS84_3D;

	if (v->u.point.srid != N2P_SRID_WGS84 && v->u.point.srid != N2P_SRID_WGS84_3D &&
		v->u.point.srid != N2P_SRID_CARTESIAN && v->u.point.srid != N2P_SRID_CARTESIAN_3D)
		return refuse(err, "a point of an unknown coordinate system");
	if (!isfinite(x) || !isfinite(y) || !isfinite(z))
		return refuse(err, "a point with a NaN or infinite coordinate");
	if (wgs && (y < -90 || y > 90))
		return refuse(err, "a WGS-84 point whose latitude is beyond +-90");
	if (wgs && (x < -180 || x > 180))
	{
		n2p_error_set(err, N2P_ERR_DATA, "Neo4j stores a WGS-84 longitude of %.17g as %.17g", x,
					  fmod(fmod(x + 180, 360) + 360, 360) - 180);
		return 1;
	}
	return 0;
}

static int
check_scalar(const N2pValue *v, N2pError *err)
{
	switch (v->type)
	{
		case N2P_BOOL:
		case N2P_INT:
		case N2P_FLOAT:
		case N2P_STRING:
		case N2P_BYTES:
		case N2P_LOCALTIME:
			return 0;
		case N2P_DATE:
			return year_ok(v->u.date) ? 0 : refuse(err, "a year beyond +-999,999,999");
		case N2P_TIME:
			if (v->u.time.offset < -MAX_OFFSET || v->u.time.offset > MAX_OFFSET)
				return refuse(err, "an offset beyond +-18:00 (it closes the connection)");
			return 0;
		case N2P_DATETIME:
			if (v->u.dt.offset < -MAX_OFFSET || v->u.dt.offset > MAX_OFFSET)
				return refuse(err, "an offset beyond +-18:00");
			/* FALLTHROUGH */
		case N2P_LOCALDATETIME:
			return year_ok(day_of(v->u.dt.secs)) ? 0 : refuse(err, "a year beyond +-999,999,999");
		case N2P_DURATION:
			return duration_fits(v) ? 0 : refuse(err, "a duration whose months and days overflow "
												 "as seconds (a month counted as 2,629,746)");
		case N2P_POINT:
			return check_point(v, err);
		case N2P_NULL:
		case N2P_MAP:
		case N2P_STRUCT:
		case N2P_LIST:
			break;
	}
	n2p_error_set(err, N2P_ERR_DATA, "Neo4j refuses a %s as a property value", n2p_type_name(v->type));
	return -1;
}

/* Zoned and offset DateTimes are one type; so are the two of each point. */
static bool
same_kind(const N2pValue *a, const N2pValue *b)
{
	if (a->type != b->type)
		return false;
	return a->type != N2P_POINT || a->u.point.srid == b->u.point.srid;
}

static bool
is_number(const N2pValue *v)
{
	return v->type == N2P_INT || v->type == N2P_FLOAT;
}

static int
check_list(const N2pValue *v, N2pError *err)
{
	const N2pValue *first = v->u.list.items;
	bool		ints = false,
				floats = false;
	int			worst = 0;
	size_t		i;

	for (i = 0; i < v->u.list.n; i++)
	{
		const N2pValue *e = &v->u.list.items[i];
		int			r;

		if (e->type == N2P_LIST)
			return refuse(err, "a list inside a list");
		if (!same_kind(e, first) && !(is_number(e) && is_number(first)))
			return refuse(err, e->type == N2P_POINT && first->type == N2P_POINT ?
						  "a list of points in different coordinate systems" :
						  "a list of values of different types");
		ints |= e->type == N2P_INT;
		floats |= e->type == N2P_FLOAT;
		if ((r = check_scalar(e, err)) < 0)
			return r;
		worst |= r;
	}
	if (ints && floats && worst == 0)
	{
		n2p_error_set(err, N2P_ERR_DATA, "Neo4j turns a list of integers and floats into floats");
		worst = 1;
	}
	return worst;
}

int
n2p_neo4j_check_value(const N2pValue *v, N2pError *err)
{
	return v->type == N2P_LIST ? check_list(v, err) : check_scalar(v, err);
}

/* Neo4j refuses an empty name, and one holding U+0000 (TokenNameError) */
static int
check_name(N2pStr name, const char *what, N2pError *err)
{
	if (name.len > 0 && memchr(name.ptr, '\0', name.len) == NULL)
		return 0;
	if (name.len == 0)
		n2p_error_set(err, N2P_ERR_DATA, "Neo4j refuses an empty %s", what);
	else
		n2p_error_set(err, N2P_ERR_DATA, "Neo4j refuses a %s holding U+0000", what);
	return -1;
}

/*
 * A refusal anywhere in the record wins over a change found before it;
 * of the changes, the first is the one reported.
 */
int
n2p_neo4j_check_record(const N2pRecord *rec, N2pError *err)
{
	N2pError	e;
	int			worst = 0;
	size_t		i;

	if (rec->kind == N2P_REC_NODE)
	{
		for (i = 0; i < rec->nlabels; i++)
			if (check_name(rec->labels[i], "label", err) < 0)
				return -1;
	}
	else if (check_name(rec->type, "relationship type", err) < 0)
		return -1;
	for (i = 0; i < rec->props.u.map.n; i++)
		if (check_name(rec->props.u.map.keys[i], "property key", err) < 0)
			return (n2p_error_set_key(err, rec->props.u.map.keys[i].ptr, rec->props.u.map.keys[i].len), -1);
	for (i = 0; i < rec->props.u.map.n; i++)
	{
		N2pStr		key = rec->props.u.map.keys[i];
		int			r;

		n2p_error_init(&e);
		if ((r = n2p_neo4j_check_value(&rec->props.u.map.vals[i], &e)) == 0 || (r > 0 && worst))
			continue;
		n2p_error_set_key(&e, key.ptr, key.len);
		*err = e;
		if (r < 0)
			return -1;
		worst = 1;
	}
	return worst;
}
