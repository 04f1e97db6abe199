/*-------------------------------------------------------------------------
 *
 * value.h
 *	  The neo2pg value model: one representation that holds every Neo4j
 *	  property type exactly.
 *
 * Ownership rule (the only one): values are plain structs allocated in an
 * N2pArena and live until that arena is reset.  Nothing inside a value is
 * freed individually, and no value points into memory outside its arena,
 * so a source can hand a whole row to a sink and then reset its arena.
 *
 * Temporal values use the Bolt representation so that no precision is lost:
 *	 DATE			days since 1970-01-01 (proleptic Gregorian)
 *	 LOCALTIME		nanoseconds since midnight
 *	 TIME			nanoseconds since midnight + offset seconds
 *	 LOCALDATETIME	wall-clock seconds since 1970-01-01T00:00 + nanos
 *	 DATETIME		wall-clock (local) seconds + nanos + offset seconds,
 *					and optionally a zone id (only Bolt carries one)
 *	 DURATION		months, days, seconds, nanos kept apart as Neo4j does
 *	 POINT			srid, x, y and z (z only for 3-D SRIDs)
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  include/neo2pg/value.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_VALUE_H
#define NEO2PG_VALUE_H

#include "neo2pg/common.h"

#include <string.h>

typedef enum N2pType
{
	N2P_NULL = 0,
	N2P_BOOL,
	N2P_INT,
	N2P_FLOAT,
	N2P_STRING,
	N2P_BYTES,
	N2P_LIST,
	N2P_MAP,
	N2P_DATE,
	N2P_TIME,
	N2P_LOCALTIME,
	N2P_DATETIME,
	N2P_LOCALDATETIME,
	N2P_DURATION,
	N2P_POINT,
	N2P_STRUCT					/* a PackStream structure the model has no
								 * property type for (Node, Path, a DateTime
								 * with a zone id before its offset is known) */
} N2pType;

/* A counted string; not NUL-terminated in general (may contain NUL). */
typedef struct N2pStr
{
	const char *ptr;
	size_t		len;
} N2pStr;

typedef struct N2pValue N2pValue;

struct N2pValue
{
	N2pType		type;
	union
	{
		bool		b;
		int64_t		i;
		double		f;
		/*
		 * FLOAT as read from text: fnum.f is the same storage as f, and
		 * text/len keep the source token ("0.334") so that a sink can
		 * reuse Python's shortest repr instead of formatting it again.
		 * text is NULL for floats that did not come from text.
		 */
		struct
		{
			double		f;
			const char *text;
			size_t		len;
		}			fnum;
		N2pStr		str;		/* STRING (UTF-8) and BYTES */
		struct
		{
			N2pValue   *items;
			size_t		n;
		}			list;
		struct
		{
			N2pStr	   *keys;
			N2pValue   *vals;
			size_t		n;
		}			map;
		int64_t		date;		/* days since epoch */
		struct
		{
			int64_t		nanos;	/* of day, 0 .. 86400e9 (24:00 allowed) */
			int32_t		offset; /* seconds east of UTC; TIME only */
		}			time;
		struct
		{
			int64_t		secs;	/* local wall-clock seconds since epoch */
			int32_t		nanos;	/* 0 .. 999999999 */
			int32_t		offset; /* seconds east of UTC; DATETIME only */
			N2pStr		zone;	/* zone id, len 0 when absent */
		}			dt;
		struct
		{
			int64_t		months;
			int64_t		days;
			int64_t		secs;
			int32_t		nanos;	/* 0 .. 999999999, added to secs */
		}			dur;
		struct
		{
			int32_t		srid;
			double		x;
			double		y;
			double		z;		/* meaningful for 9157 and 4979 only */
		}			point;
		struct
		{
			uint8_t		tag;	/* PackStream signature byte */
			N2pValue   *fields;
			size_t		n;
		}			st;
	}			u;
};

/* SRIDs Neo4j uses. */
#define N2P_SRID_CARTESIAN		7203
#define N2P_SRID_CARTESIAN_3D	9157
#define N2P_SRID_WGS84			4326
#define N2P_SRID_WGS84_3D		4979

static inline bool
n2p_srid_is_3d(int32_t srid)
{
	return srid == N2P_SRID_CARTESIAN_3D || srid == N2P_SRID_WGS84_3D;
}

/* Lower-case Neo4j type name: "integer", "date", "point", ... */
const char *n2p_type_name(N2pType type);

/* Calendar helpers (proleptic Gregorian, any int64 year range we need). */
int64_t		n2p_days_from_civil(int64_t y, int m, int d);
void		n2p_civil_from_days(int64_t days, int64_t *y, int *m, int *d);

/* A deep copy of v into arena (out may not be v). */
bool		n2p_value_copy(const N2pValue *v, N2pArena *arena, N2pValue *out, N2pError *err);

/* Map lookup by key; NULL when absent. */
const N2pValue *n2p_map_get(const N2pValue *map, const char *key, size_t key_len);

/*
 * Finding equal keys among the n keys of a map in O(n): pairwise for a
 * few, a hash table beyond.  The table is reused from call to call, so it
 * grows to the largest map seen (memory bounded by the largest row).
 */
typedef struct N2pKeySet
{
	const N2pAllocator *alloc;
	size_t	   *slots;			/* key index + 1, 0 = free */
	size_t		cap;
	uint64_t	seed;
} N2pKeySet;

void		n2p_keyset_init(N2pKeySet *set, const N2pAllocator *alloc);
void		n2p_keyset_free(N2pKeySet *set);

/*
 * 1 when two of keys[0..n) are equal, with *first < *second the earliest
 * repeat in order; 0 when all differ; -1 when out of memory.
 */
int			n2p_keys_find_duplicate(N2pKeySet *set, const N2pStr *keys, size_t n,
									size_t *first, size_t *second);

static inline bool
n2p_str_same(N2pStr a, N2pStr b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

/* Byte order, a prefix first: the order of sort(1) in the C locale. */
static inline int
n2p_str_cmp(N2pStr a, N2pStr b)
{
	size_t		n = a.len < b.len ? a.len : b.len;
	int			c = n ? __builtin_memcmp(a.ptr, b.ptr, n) : 0;

	return c ? c : (a.len > b.len) - (a.len < b.len);
}

static inline bool
n2p_str_eq(N2pStr s, const char *lit)
{
	size_t		i;

	for (i = 0; i < s.len; i++)
		if (lit[i] == '\0' || lit[i] != s.ptr[i])
			return false;
	return lit[i] == '\0';
}

#endif							/* NEO2PG_VALUE_H */
