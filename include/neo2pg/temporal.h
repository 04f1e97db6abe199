/*-------------------------------------------------------------------------
 *
 * temporal.h
 *	  Temporal values as ISO 8601 text: the canonical form neo2pg stores in
 *	  PostgreSQL (and Neo4j prints), read back by the PostgreSQL source and
 *	  by the backup's literals, whose bodies are the same text.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  include/neo2pg/temporal.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_TEMPORAL_H
#define NEO2PG_TEMPORAL_H

#include "neo2pg/value.h"

/*
 * Append the canonical ISO 8601 text of a temporal value (DATE .. DURATION)
 * to buf; this is what goes into props and what PostgreSQL casts with
 * ::date, ::time, ::timetz, ::timestamp, ::timestamptz and ::interval.
 * Canonical form:
 *	 date		 YYYY-MM-DD (years 1..9999 four digits, larger years plain
 *				 digits, years <= 0 astronomical with a sign: -0001-01-01)
 *	 localtime	 HH:MM:SS[.f] where f is the nanoseconds with trailing zeros
 *				 removed (omitted when 0)
 *	 time		 localtime + offset: +HH:MM, or +HH:MM:SS when the offset has
 *				 seconds; +00:00 for UTC
 *	 localdatetime  date 'T' localtime
 *	 datetime	 date 'T' localtime offset [ '[' zone ']' ]
 *	 duration	 P[nY][nM][nD][T[nH][nM][n[.f]S]] with months split into
 *				 years and months, the seconds split into hours, minutes and
 *				 seconds, every nonzero component carrying its own sign;
 *				 PT0S when all are zero
 * Returns false only when the buffer cannot grow or the type is wrong.
 */
bool		n2p_temporal_format_iso(const N2pValue *v, N2pBuf *buf);

/*
 * Parse canonical (or any ISO 8601 form Neo4j prints) text back into a value
 * of the given temporal type.  Used by the PostgreSQL source.
 */
bool		n2p_temporal_parse_iso(N2pType type, const char *s, size_t len,
								   N2pValue *out, N2pArena *arena,
								   N2pError *err);

/*
 * The same where the text decides between TIME and LOCALTIME (DATETIME
 * and LOCALDATETIME) by whether it has an offset: type names either.  A
 * zone id is copied into the arena.  False on malformed text, with err
 * untouched unless the arena ran out: the caller names what it read.
 */
bool		n2p_temporal_scan(N2pType type, const char *s, size_t len,
							  N2pValue *out, N2pArena *arena, N2pError *err);

/*
 * The text of n2p_temporal_format_iso, with nine fraction digits whenever
 * there is a fraction (Python's isoformat) when nine, and without the zone
 * id unless zone.
 */
bool		n2p_temporal_format(const N2pValue *v, N2pBuf *buf, bool nine, bool zone);

/*
 * A duration's seconds and nanoseconds as the formatters print them:
 * hours, minutes, seconds and nanoseconds that all carry the sign.
 */
typedef struct N2pDurationParts
{
	int64_t		hours;
	int64_t		mins;
	int64_t		secs;
	int32_t		nanos;
} N2pDurationParts;

void		n2p_duration_split(int64_t secs, int32_t nanos, N2pDurationParts *out);

/*
 * Can the formatters print this temporal value faithfully?  False for
 * nanoseconds out of their field's range; such values are refused, not
 * mangled.  Non-temporal values: true.
 */
bool		n2p_temporal_in_range(const N2pValue *v);

#endif							/* NEO2PG_TEMPORAL_H */
