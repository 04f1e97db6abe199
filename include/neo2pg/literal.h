/*-------------------------------------------------------------------------
 *
 * literal.h
 *	  The backup's literals: temporal and spatial values as the Python tool
 *	  writes them ("$date('1999-01-01')", "$point({x: 1.0, ...})").  Their
 *	  temporal bodies are ISO text (neo2pg/temporal.h).
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

#include "neo2pg/float_repr.h"
#include "neo2pg/temporal.h"

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

/* Append the Python tool's literal form ("$date('...')", "$point({...})"). */
bool		n2p_literal_format(const N2pValue *v, N2pBuf *buf);

#endif							/* NEO2PG_LITERAL_H */
