/*-------------------------------------------------------------------------
 *
 * tzdb.h
 *	  UTC offsets of time zones from the host's tz database: TZif files
 *	  (RFC 8536, version 2 and later) and the POSIX TZ rule of their
 *	  footer, read through the caller's N2pFileIO.
 *
 * A Neo4j DateTime with a zone id arrives over Bolt 5 as UTC seconds and
 * the zone's name; the offset that Neo4j shows must be found in a tz
 * database, as the official drivers do with the client's.  The Neo4j
 * source uses this one for the instants it can trust it with
 * (docs/design.md, "Zone ids") and asks the server for the rest.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  include/neo2pg/tzdb.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_TZDB_H
#define NEO2PG_TZDB_H

#include "neo2pg/common.h"
#include "neo2pg/io.h"

/* One end of a daylight-saving period of a POSIX TZ rule. */
typedef struct N2pTzWhen
{
	char		kind;			/* 'J': day 1..365 without Feb 29; 'D': day 0..365; 'M' */
	int			day;			/* J, D: the day; M: the weekday, 0 for Sunday */
	int			month;			/* M: 1..12 */
	int			week;			/* M: 1..5, 5 for the last */
	int32_t		time;			/* seconds after local midnight, -167 to 167 hours */
} N2pTzWhen;

/* A POSIX TZ rule ("EST5EDT,M3.2.0,M11.1.0"); offsets east of UTC, seconds. */
typedef struct N2pTzRule
{
	int32_t		std_off;
	int32_t		dst_off;
	bool		has_dst;
	N2pTzWhen	start;			/* in local standard time */
	N2pTzWhen	end;			/* in local daylight time */
} N2pTzRule;

/* A zone: transitions in UTC seconds, the offset after each, then the rule. */
typedef struct N2pTzZone
{
	const int64_t *trans;
	const int32_t *after;		/* the offset from trans[i] on */
	size_t		ntrans;
	int32_t		first;			/* the offset before trans[0] */
	bool		has_rule;		/* the footer's rule holds from the last transition */
	N2pTzRule	rule;
} N2pTzZone;

/* Parse a POSIX TZ string of len bytes; false when it is not one. */
bool		n2p_tz_rule_parse(const char *s, size_t len, N2pTzRule *rule);

/* The rule's offset at UTC second t. */
int32_t		n2p_tz_rule_offset(const N2pTzRule *rule, int64_t t);

/*
 * Parse a TZif file of version 2 or later (its 64-bit data and footer)
 * into *zone, the arrays in arena.  False with err set when it is not
 * one neo2pg can use: version 1, leap seconds (Neo4j's clocks have
 * none), offsets beyond Java's +-18 hours, or bytes that break the format.
 */
bool		n2p_tz_zone_parse(const uint8_t *data, size_t len, N2pArena *arena, N2pTzZone *zone,
							  N2pError *err);

/* The zone's offset at UTC second t. */
int32_t		n2p_tz_zone_offset(const N2pTzZone *zone, int64_t t);

/*
 * The first instant after t at which the zone's offset may change (a
 * transition of the file, else of the rule); false when there is none.
 */
bool		n2p_tz_zone_next(const N2pTzZone *zone, int64_t t, int64_t *next);

/*
 * A tz database directory (NULL: /usr/share/zoneinfo) and its zones, read
 * on first use and kept for the database's life.
 */
typedef struct N2pTzdb N2pTzdb;

N2pTzdb    *n2p_tzdb_open(const N2pAllocator *alloc, const N2pFileIO *io, const char *dir);

/*
 * The zone of that name, or NULL when the database cannot answer for it:
 * no such file, a name that is not a plain zone name (no "..", no leading
 * "/"), a file that n2p_tz_zone_parse refuses, or too many zones already
 * (memory stays bounded).  The caller then asks elsewhere.
 */
const N2pTzZone *n2p_tzdb_zone(N2pTzdb *db, const char *name, size_t len);

void		n2p_tzdb_close(N2pTzdb *db);

#endif							/* NEO2PG_TZDB_H */
