/*-------------------------------------------------------------------------
 *
 * pyjson.h
 *	  Writing the JSON dialect of Python's json.dumps, as the neo4j-backup
 *	  tool calls it (ensure_ascii, allow_nan, default=str), and the other
 *	  bits of Python the tool's output shows: str(bytes), str.lower order,
 *	  SHA-256 hex digests.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  include/neo2pg/pyjson.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_PYJSON_H
#define NEO2PG_PYJSON_H

#include "neo2pg/value.h"

/*
 * A UTF-8 string as json.dumps writes a str: in double quotes, printable
 * ASCII as is, the short escapes (\" \\ \n \r \t \b \f), every other
 * character as \uxxxx in lower-case hex, and characters beyond the BMP as
 * surrogate pairs.  False on invalid UTF-8 (buf->oom tells out of memory).
 */
bool		n2p_pyjson_string(N2pBuf *buf, const char *s, size_t len);

/* repr(float) as json.dumps writes it: NaN, Infinity, -Infinity bare. */
bool		n2p_pyjson_float(N2pBuf *buf, double d);

bool		n2p_pyjson_int(N2pBuf *buf, int64_t i);

/* Python's str(bytes): b'\x00\x01', or b"it's" when only ' is inside. */
bool		n2p_py_bytes_str(N2pBuf *buf, const char *p, size_t len);

/*
 * The order of sorted(labels, key=str.lower): code points compared after
 * lower-casing (ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic are
 * mapped as Python maps them; other characters compare as they are).
 */
int			n2p_py_lower_cmp(N2pStr a, N2pStr b);

/* Lower-case hex SHA-256 of data, as hashlib's hexdigest(); out holds 65. */
void		n2p_sha256_hex(const char *data, size_t len, char *out);

#endif							/* NEO2PG_PYJSON_H */
