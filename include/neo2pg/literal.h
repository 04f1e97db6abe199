/*-------------------------------------------------------------------------
 *
 * literal.h
 *	  The literal codec: temporal and spatial values as the Python tool
 *	  writes them ("$date('1999-01-01')"), as the ISO 8601 strings neo2pg
 *	  stores in PostgreSQL, and floats as Python's repr prints them.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  include/neo2pg/literal.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_LITERAL_H
#define NEO2PG_LITERAL_H

#include "neo2pg/value.h"

/*
 * Does the string start with one of the five literal prefixes
 * ("$point(", "$date(", "$time(", "$datetime(", "$duration(")?
 */
bool		n2p_literal_has_prefix(const char *s, size_t len);

/*
 * Parse a literal string into a value of type DATE, TIME, LOCALTIME,
 * DATETIME, LOCALDATETIME, DURATION or POINT.  $time/$datetime without an
 * offset give LOCALTIME/LOCALDATETIME.  Zone ids ("[Europe/Paris]") are
 * copied into the arena.  On failure returns false with err->code
 * N2P_ERR_SYNTAX and a message quoting (a prefix of) the input.
 */
bool		n2p_literal_parse(const char *s, size_t len, N2pValue *out,
							  N2pArena *arena, N2pError *err);

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

/* Append the Python tool's literal form ("$date('...')", "$point({...})"). */
bool		n2p_literal_format(const N2pValue *v, N2pBuf *buf);

/*
 * Format a double exactly as Python's repr() does: shortest digits that
 * read back as the same double, fixed notation with at least ".0" when
 * 1e-4 <= |d| < 1e16, otherwise d.ddde[+-]XX; "nan", "inf", "-inf".
 * buf must hold N2P_DOUBLE_BUFSZ bytes; returns the length written.
 */
#define N2P_DOUBLE_BUFSZ 32
size_t		n2p_format_double(double d, char *buf);

#endif							/* NEO2PG_LITERAL_H */
