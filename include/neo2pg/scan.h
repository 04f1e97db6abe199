/*-------------------------------------------------------------------------
 *
 * scan.h
 *	  A cursor over counted text, for the small hand-written parsers of
 *	  temporal text (src/core/temporal.c) and the backup's literals
 *	  (src/backup/literal.c), which read the same tokens.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  include/neo2pg/scan.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_SCAN_H
#define NEO2PG_SCAN_H

#include "neo2pg/common.h"

typedef struct N2pCursor
{
	const char *p;
	const char *end;
} N2pCursor;

static inline bool
n2p_at_end(const N2pCursor *c)
{
	return c->p >= c->end;
}

static inline bool
n2p_peek_is(const N2pCursor *c, char ch)
{
	return c->p < c->end && *c->p == ch;
}

static inline bool
n2p_accept(N2pCursor *c, char ch)
{
	if (!n2p_peek_is(c, ch))
		return false;
	c->p++;
	return true;
}

static inline bool
n2p_is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static inline bool
n2p_is_alpha(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static inline char
n2p_to_lower(char ch)
{
	return (ch >= 'A' && ch <= 'Z') ? (char) (ch - 'A' + 'a') : ch;
}

static inline void
n2p_skip_ws(N2pCursor *c)
{
	while (c->p < c->end &&
		   (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

/* Case-insensitive comparison of a counted token with a lower-case C string. */
static inline bool
n2p_token_ieq(const char *s, size_t len, const char *lit)
{
	size_t		i;

	for (i = 0; i < len; i++)
		if (lit[i] == '\0' || n2p_to_lower(s[i]) != lit[i])
			return false;
	return lit[i] == '\0';
}

/* One or more digits into a non-negative int64; false on overflow. */
static inline bool
n2p_read_uint(N2pCursor *c, int64_t *out, int *ndigits)
{
	int64_t		v = 0;
	int			n = 0;

	while (c->p < c->end && n2p_is_digit(*c->p))
	{
		if (__builtin_mul_overflow(v, 10, &v) ||
			__builtin_add_overflow(v, *c->p - '0', &v))
			return false;
		c->p++;
		n++;
	}
	*out = v;
	if (ndigits)
		*ndigits = n;
	return n > 0;
}

/*
 * Fail with N2P_ERR_SYNTAX: "invalid <what> <how> \"<input>\"", quoting a
 * printable prefix of the input cut on a character boundary, so that the
 * message stays one readable line.  Returns false.
 */
bool		n2p_syntax_error(N2pError *err, const char *what, const char *how,
							 const char *s, size_t len);

#endif							/* NEO2PG_SCAN_H */
