/*-------------------------------------------------------------------------
 *
 * value.c
 *	  Type names, calendar arithmetic and map lookup for the value model.
 *
 * The calendar functions follow the well-known "days from civil" method
 * (Howard Hinnant): shifting the year to start on March 1st puts the leap
 * day at the end, so day-of-year is a linear function of the month, and
 * 400-year eras make the Gregorian cycle exact for any int64 year we use.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/core/value.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/value.h"

#include <string.h>

/* Days in one 400-year Gregorian era. */
#define DAYS_PER_ERA 146097

/* Days from 0000-03-01 to 1970-01-01. */
#define EPOCH_SHIFT 719468

const char *
n2p_type_name(N2pType type)
{
	switch (type)
	{
		case N2P_NULL:
			return "null";
		case N2P_BOOL:
			return "boolean";
		case N2P_INT:
			return "integer";
		case N2P_FLOAT:
			return "float";
		case N2P_STRING:
			return "string";
		case N2P_BYTES:
			return "bytes";
		case N2P_LIST:
			return "list";
		case N2P_MAP:
			return "map";
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
		case N2P_STRUCT:
			return "structure";
	}
	return "unknown";
}

/* Floor division; C's '/' truncates, which is wrong before 0000-03-01. */
static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t		q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

int64_t
n2p_days_from_civil(int64_t y, int m, int d)
{
	int64_t		era;
	int64_t		yoe;			/* year of era, 0 .. 399 */
	int64_t		doy;			/* day of March-based year, 0 .. 365 */
	int64_t		doe;			/* day of era, 0 .. 146096 */

	if (m <= 2)
		y--;
	era = floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * DAYS_PER_ERA + doe - EPOCH_SHIFT;
}

void
n2p_civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
	int64_t		era;
	int64_t		doe;
	int64_t		yoe;
	int64_t		doy;
	int64_t		mp;				/* month counted from March, 0 .. 11 */

	/*
	 * Split into eras before adding the epoch shift, so that no day in the
	 * int64 range overflows.
	 */
	era = days / DAYS_PER_ERA;
	doe = days % DAYS_PER_ERA;
	if (doe < 0)
	{
		era--;
		doe += DAYS_PER_ERA;
	}
	doe += EPOCH_SHIFT;
	era += doe / DAYS_PER_ERA;
	doe %= DAYS_PER_ERA;

	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int) (doy - (153 * mp + 2) / 5 + 1);
	*m = (int) (mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2 ? 1 : 0);
}

const N2pValue *
n2p_map_get(const N2pValue *map, const char *key, size_t key_len)
{
	size_t		i;

	if (map == NULL || map->type != N2P_MAP)
		return NULL;
	for (i = 0; i < map->u.map.n; i++)
	{
		const N2pStr *k = &map->u.map.keys[i];

		if (k->len == key_len && (key_len == 0 || memcmp(k->ptr, key, key_len) == 0))
			return &map->u.map.vals[i];
	}
	return NULL;
}

/* ------------------------------------------------------ duplicate keys */

/* Maps of up to this many keys are compared pairwise: no table to clear. */
#define KEYSET_PAIRWISE 8

void
n2p_keyset_init(N2pKeySet *set, const N2pAllocator *alloc)
{
	static const char here;

	set->alloc = alloc;
	set->slots = NULL;
	set->cap = 0;
	/* differs from run to run (ASLR), so colliding keys cannot be prepared */
	set->seed = ((uint64_t) (uintptr_t) &here ^ (uint64_t) (uintptr_t) set) *
		UINT64_C(0x9E3779B97F4A7C15);
}

void
n2p_keyset_free(N2pKeySet *set)
{
	if (set->slots)
		n2p_free(set->alloc, set->slots);
	set->slots = NULL;
	set->cap = 0;
}

static uint64_t
key_hash(uint64_t seed, N2pStr k)
{
	const char *p = k.ptr;
	size_t		len = k.len;
	uint64_t	h = seed ^ (len * UINT64_C(0x9E3779B97F4A7C15));
	uint64_t	w;

	for (; len >= 8; p += 8, len -= 8)
	{
		memcpy(&w, p, 8);
		h = (h ^ w) * UINT64_C(0xff51afd7ed558ccd);
		h ^= h >> 32;
	}
	w = 0;
	if (len)
		memcpy(&w, p, len);
	h = (h ^ w) * UINT64_C(0xc4ceb9fe1a85ec53);
	return h ^ (h >> 29);
}

static int
find_pairwise(const N2pStr *keys, size_t n, size_t *first, size_t *second)
{
	size_t		i,
				j;

	for (j = 1; j < n; j++)
		for (i = 0; i < j; i++)
			if (n2p_str_same(keys[i], keys[j]))
			{
				*first = i;
				*second = j;
				return 1;
			}
	return 0;
}

int
n2p_keys_find_duplicate(N2pKeySet *set, const N2pStr *keys, size_t n,
						size_t *first, size_t *second)
{
	size_t		cap = 16,
				i;

	if (n <= KEYSET_PAIRWISE)
		return find_pairwise(keys, n, first, second);
	while (cap < 2 * n)
		cap *= 2;
	if (cap > set->cap)
	{
		size_t	   *p = n2p_realloc(set->alloc, set->slots, set->cap * sizeof(size_t),
									cap * sizeof(size_t));

		if (p == NULL)
			return -1;
		set->slots = p;
		set->cap = cap;
	}
	/* only the part this map uses: clearing stays O(n) */
	memset(set->slots, 0, cap * sizeof(size_t));
	for (i = 0; i < n; i++)
	{
		size_t		h = (size_t) key_hash(set->seed, keys[i]);

		for (;; h++)
		{
			size_t	   *slot = &set->slots[h & (cap - 1)];

			if (*slot == 0)
			{
				*slot = i + 1;
				break;
			}
			if (n2p_str_same(keys[*slot - 1], keys[i]))
			{
				*first = *slot - 1;
				*second = i;
				return 1;
			}
		}
	}
	return 0;
}

/* ---------------------------------------------------------------- copy */

static bool
copy_bytes(const char *src, size_t len, const char **dst, N2pArena *arena, N2pError *err)
{
	char	   *p;

	if (src == NULL)
	{
		*dst = NULL;
		return true;
	}
	if ((p = n2p_arena_alloc(arena, len + 1)) == NULL)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory copying a value");
	memcpy(p, src, len);
	p[len] = '\0';
	*dst = p;
	return true;
}

static bool
copy_array(const N2pValue *src, size_t n, N2pValue **dst, N2pArena *arena, N2pError *err)
{
	size_t		i;

	if ((*dst = n2p_arena_alloc(arena, (n ? n : 1) * sizeof(N2pValue))) == NULL)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory copying a value");
	for (i = 0; i < n; i++)
		if (!n2p_value_copy(&src[i], arena, &(*dst)[i], err))
			return false;
	return true;
}

bool
n2p_value_copy(const N2pValue *v, N2pArena *arena, N2pValue *out, N2pError *err)
{
	size_t		i;

	*out = *v;
	switch (v->type)
	{
		case N2P_STRING:
		case N2P_BYTES:
			return copy_bytes(v->u.str.ptr, v->u.str.len, &out->u.str.ptr, arena, err);
		case N2P_FLOAT:
			return copy_bytes(v->u.fnum.text, v->u.fnum.len, &out->u.fnum.text, arena, err);
		case N2P_DATETIME:
			return copy_bytes(v->u.dt.zone.ptr, v->u.dt.zone.len, &out->u.dt.zone.ptr, arena, err);
		case N2P_LIST:
			return copy_array(v->u.list.items, v->u.list.n, &out->u.list.items, arena, err);
		case N2P_STRUCT:
			return copy_array(v->u.st.fields, v->u.st.n, &out->u.st.fields, arena, err);
		case N2P_MAP:
			if (!copy_array(v->u.map.vals, v->u.map.n, &out->u.map.vals, arena, err))
				return false;
			if ((out->u.map.keys = n2p_arena_alloc(arena, (v->u.map.n ? v->u.map.n : 1) * sizeof(N2pStr))) == NULL)
				return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory copying a value");
			for (i = 0; i < v->u.map.n; i++)
			{
				out->u.map.keys[i].len = v->u.map.keys[i].len;
				if (!copy_bytes(v->u.map.keys[i].ptr, v->u.map.keys[i].len, &out->u.map.keys[i].ptr, arena, err))
					return false;
			}
			return true;
		default:
			return true;
	}
}
