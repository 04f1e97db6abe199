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
