/*-------------------------------------------------------------------------
 *
 * json.c
 *	  Streaming pull parser for the JSON that Python's json module writes.
 *
 * The reader works directly on the pieces n2p_input_read hands out.  Almost
 * every token lies inside one piece and is parsed in place; a token or
 * string that runs into the end of a piece is continued in a scratch buffer
 * (r->scratch), so a piece boundary can fall on any byte.  Nothing but the
 * element being built is kept: values go straight into the caller's arena,
 * and the members of open containers wait on two reusable stacks (r->vals,
 * r->keys) until the container closes and they are copied into one arena
 * array.  Nesting is handled by recursion, bounded by N2P_JSON_MAX_DEPTH,
 * where the top-level array counts as the first level.
 *
 * Strings are the bulk of a chunk, so the scan for the end of a plain run
 * of bytes looks at eight bytes at a time.  Numbers that Python writes
 * (short decimals) are converted exactly without strtod where that is
 * provably correct; everything else goes to strtod, which assumes the "C"
 * numeric locale.
 *
 * Every string stored in the arena gets a NUL after its counted length,
 * which the counted API does not need but which costs nothing and helps
 * callers that hand keys to C functions.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/backup/json.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/json.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Pseudo-characters returned by the peek helpers. */
#define CH_EOF	(-1)
#define CH_ERR	(-2)

typedef enum JsonState
{
	JSON_START,					/* nothing read yet */
	JSON_ELEMENTS,				/* inside the top-level array */
	JSON_END,					/* closing ']' and end of input seen */
	JSON_DOCUMENT,				/* parse_document was used */
	JSON_FAILED
} JsonState;

struct N2pJsonReader
{
	N2pInput   *in;
	const N2pAllocator *alloc;
	N2pError   *err;			/* error of the call in progress */
	const char *piece;			/* current piece of input */
	const char *cur;			/* next unread byte of the piece */
	const char *end;
	uint64_t	piece_off;		/* stream offset of piece[0] */
	bool		eof;
	JsonState	state;
	N2pBuf		scratch;		/* tokens and strings that straddle pieces */
	N2pValue   *vals;			/* members of the open containers */
	size_t		nvals;
	size_t		capvals;
	N2pStr	   *keys;			/* keys of the open maps */
	size_t		nkeys;
	size_t		capkeys;
	N2pKeySet	keyset;			/* finds a name given twice in one object */
	bool		duplicate;		/* the element being read has one */
	bool		resumable;		/* the last -1 was a duplicate name */
};

static bool parse_value(N2pJsonReader *r, N2pArena *arena, int depth, N2pValue *out);

/* ---------------------------------------------------------------- errors */

static inline uint64_t
offset_at(const N2pJsonReader *r, const char *p)
{
	return r->piece_off + (uint64_t) (p - r->piece);
}

static bool
syntax_error(N2pJsonReader *r, uint64_t off, const char *what)
{
	if (r->err->code == N2P_OK)
		r->err->offset = (int64_t) off;
	return n2p_error_set(r->err, N2P_ERR_SYNTAX, "invalid JSON at byte %" PRIu64 ": %s",
						 off, what);
}

static bool
unexpected_end(N2pJsonReader *r)
{
	return syntax_error(r, offset_at(r, r->cur), "unexpected end of JSON");
}

/*
 * Report what was expected at the current position; c is what the peek
 * helper returned (an input error has already been reported).
 */
static bool
expected(N2pJsonReader *r, int c, const char *what)
{
	char		msg[64];

	if (c == CH_ERR)
		return false;
	if (c == CH_EOF)
		return unexpected_end(r);
	snprintf(msg, sizeof(msg), "expected %s", what);
	return syntax_error(r, offset_at(r, r->cur), msg);
}

static bool
nomem(N2pJsonReader *r)
{
	return n2p_error_set(r->err, N2P_ERR_NOMEM, "out of memory reading JSON");
}

/*
 * Arena exhaustion is a limit when the arena has one and this request
 * would pass it, plain out-of-memory otherwise.
 */
static void *
arena_alloc(N2pJsonReader *r, N2pArena *arena, size_t size)
{
	void	   *p = n2p_arena_alloc(arena, size);
	size_t		block = arena->block_size;

	if (p != NULL)
		return p;
	/* the arena failed either at its limit or in the allocator */
	while (block < size + sizeof(max_align_t))
		block *= 2;
	if (arena->limit != 0 && arena->total + block > arena->limit)
	{
		uint64_t	off = offset_at(r, r->cur);

		if (r->err->code == N2P_OK)
			r->err->offset = (int64_t) off;
		n2p_error_set(r->err, N2P_ERR_LIMIT,
					  "JSON element at byte %" PRIu64 " exceeds the memory limit of %zu bytes",
					  off, arena->limit);
	}
	else
		nomem(r);
	return NULL;
}

/* ---------------------------------------------------------------- input */

/*
 * Move to the next piece.  Returns 1 with a non-empty piece, 0 at the end
 * of input, -1 on an input error (already reported).
 */
static int
fill(N2pJsonReader *r)
{
	const char *data;
	size_t		len;

	if (r->eof)
		return 0;
	r->piece_off += (uint64_t) (r->end - r->piece);
	r->piece = r->cur = r->end;
	if (!n2p_input_read(r->in, &data, &len, r->err))
		return -1;
	if (len == 0)
	{
		r->eof = true;
		return 0;
	}
	r->piece = r->cur = data;
	r->end = data + len;
	return 1;
}

/* Next byte, consumed; CH_EOF or CH_ERR when there is none. */
static inline int
next_byte(N2pJsonReader *r)
{
	if (r->cur == r->end)
	{
		int			rc = fill(r);

		if (rc <= 0)
			return rc == 0 ? CH_EOF : CH_ERR;
	}
	return (unsigned char) *r->cur++;
}

/* Skip whitespace and return the next byte without consuming it. */
static inline int
peek_nonws(N2pJsonReader *r)
{
	for (;;)
	{
		const char *p = r->cur;
		const char *e = r->end;
		int			rc;

		while (p < e)
		{
			unsigned char c = (unsigned char) *p;

			if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
			{
				r->cur = p;
				return c;
			}
			p++;
		}
		r->cur = p;
		rc = fill(r);
		if (rc <= 0)
			return rc == 0 ? CH_EOF : CH_ERR;
	}
}

/* ---------------------------------------------------------------- stacks */

static void *
grow_array(N2pJsonReader *r, void *arr, size_t *cap, size_t elsize)
{
	size_t		newcap = *cap ? *cap * 2 : 64;
	void	   *p;

	if (newcap > SIZE_MAX / elsize)
		return NULL;
	p = n2p_realloc(r->alloc, arr, *cap * elsize, newcap * elsize);
	if (p != NULL)
		*cap = newcap;
	return p;
}

static inline bool
push_val(N2pJsonReader *r, const N2pValue *v)
{
	if (r->nvals == r->capvals)
	{
		N2pValue   *p = grow_array(r, r->vals, &r->capvals, sizeof(N2pValue));

		if (p == NULL)
			return nomem(r);
		r->vals = p;
	}
	r->vals[r->nvals++] = *v;
	return true;
}

static inline bool
push_key(N2pJsonReader *r, const N2pStr *k)
{
	if (r->nkeys == r->capkeys)
	{
		N2pStr	   *p = grow_array(r, r->keys, &r->capkeys, sizeof(N2pStr));

		if (p == NULL)
			return nomem(r);
		r->keys = p;
	}
	r->keys[r->nkeys++] = *k;
	return true;
}

/* ---------------------------------------------------------------- strings */

#define ONES	UINT64_C(0x0101010101010101)
#define HIGHS	UINT64_C(0x8080808080808080)

/*
 * First byte in [p, end) that ends a plain run: '"', '\\', a control
 * character or a byte >= 0x80.  Eight bytes are tested at once with the
 * usual "has a byte less than n" trick; it may also flag a byte next to a
 * real hit, so a flagged word is rescanned byte by byte, which also keeps
 * the result independent of byte order.
 */
static inline const char *
scan_plain(const char *p, const char *end)
{
	while (end - p >= 8)
	{
		uint64_t	w;
		uint64_t	q;
		uint64_t	b;

		memcpy(&w, p, 8);
		q = w ^ (ONES * '"');
		b = w ^ (ONES * '\\');
		if ((((w - ONES * 0x20) | (q - ONES) | (b - ONES)) & ~w & HIGHS) |
			(w & HIGHS))
			break;
		p += 8;
	}
	for (; p < end; p++)
	{
		unsigned char c = (unsigned char) *p;

		if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
			break;
	}
	return p;
}

/*
 * The bit test above: for a byte x without its high bit, x - 0x20 borrows
 * (sets the high bit) exactly when x < 0x20, and q - 1 / b - 1 do so when
 * the byte equals '"' / '\\'.  "& ~w" drops bytes whose own high bit was
 * set, and those are caught by "w & HIGHS" instead.  Note that q and b
 * have the high bit of w, so "& ~w" is right for them too.
 */

static bool
put_utf8(N2pJsonReader *r, uint32_t cp)
{
	char		b[4];
	size_t		n;

	if (cp < 0x80)
	{
		b[0] = (char) cp;
		n = 1;
	}
	else if (cp < 0x800)
	{
		b[0] = (char) (0xC0 | (cp >> 6));
		b[1] = (char) (0x80 | (cp & 0x3F));
		n = 2;
	}
	else if (cp < 0x10000)
	{
		b[0] = (char) (0xE0 | (cp >> 12));
		b[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char) (0x80 | (cp & 0x3F));
		n = 3;
	}
	else
	{
		b[0] = (char) (0xF0 | (cp >> 18));
		b[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char) (0x80 | (cp & 0x3F));
		n = 4;
	}
	return n2p_buf_append(&r->scratch, b, n) || nomem(r);
}

static inline int
hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Four hex digits of a \u escape; off is where the escape began.  With
 * ensure_ascii every non-ASCII character is such an escape, so the common
 * case of four digits inside the piece is decoded without next_byte.
 */
static bool
read_hex4(N2pJsonReader *r, uint64_t off, uint32_t *cp)
{
	int			i;

	if (r->end - r->cur >= 4)
	{
		const unsigned char *p = (const unsigned char *) r->cur;
		int			a = hex_value(p[0]),
					b = hex_value(p[1]),
					c = hex_value(p[2]),
					d = hex_value(p[3]);

		if ((a | b | c | d) >= 0)
		{
			*cp = (uint32_t) ((a << 12) | (b << 8) | (c << 4) | d);
			r->cur += 4;
			return true;
		}
	}
	*cp = 0;
	for (i = 0; i < 4; i++)
	{
		int			c = next_byte(r);
		int			d = hex_value(c);

		if (c == CH_ERR)
			return false;
		if (c == CH_EOF)
			return unexpected_end(r);
		if (d < 0)
			return syntax_error(r, off, "invalid \\u escape");
		*cp = (*cp << 4) | (uint32_t) d;
	}
	return true;
}

/*
 * A \u escape, the 'u' already consumed.  Python writes characters beyond
 * the BMP as surrogate pairs; anything else that is a surrogate cannot be
 * turned into UTF-8 and is rejected.
 */
static bool
parse_unicode_escape(N2pJsonReader *r, uint64_t off)
{
	uint32_t	cp;
	uint32_t	lo;
	int			c;

	if (!read_hex4(r, off, &cp))
		return false;
	if (cp >= 0xDC00 && cp <= 0xDFFF)
		return syntax_error(r, off, "lone low surrogate in \\u escape");
	if (cp >= 0xD800 && cp <= 0xDBFF)
	{
		if ((c = next_byte(r)) != '\\' || (c = next_byte(r)) != 'u')
		{
			if (c == CH_ERR)
				return false;
			if (c == CH_EOF)
				return unexpected_end(r);
			return syntax_error(r, off, "lone high surrogate in \\u escape");
		}
		if (!read_hex4(r, off, &lo))
			return false;
		if (lo < 0xDC00 || lo > 0xDFFF)
			return syntax_error(r, off, "lone high surrogate in \\u escape");
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
	}
	return put_utf8(r, cp);
}

/* An escape, the backslash already consumed; output goes to scratch. */
static bool
parse_escape(N2pJsonReader *r)
{
	uint64_t	off = offset_at(r, r->cur) - 1;
	int			c = next_byte(r);
	char		out;

	switch (c)
	{
		case '"':
		case '\\':
		case '/':
			out = (char) c;
			break;
		case 'b':
			out = '\b';
			break;
		case 'f':
			out = '\f';
			break;
		case 'n':
			out = '\n';
			break;
		case 'r':
			out = '\r';
			break;
		case 't':
			out = '\t';
			break;
		case 'u':
			return parse_unicode_escape(r, off);
		case CH_ERR:
			return false;
		case CH_EOF:
			return unexpected_end(r);
		default:
			return syntax_error(r, off, "invalid escape in string");
	}
	return n2p_buf_putc(&r->scratch, out) || nomem(r);
}

/*
 * Copy one raw UTF-8 sequence (the lead byte is at r->cur) to scratch,
 * checking it against the well-formed sequences of Unicode table 3-7: no
 * overlong forms, no surrogates, nothing above U+10FFFF.
 */
static bool
copy_utf8(N2pJsonReader *r)
{
	uint64_t	off = offset_at(r, r->cur);
	unsigned char b[4];
	int			c = next_byte(r);
	int			n;
	int			lo = 0x80;
	int			hi = 0xBF;
	int			i;

	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
	{
		n = 3;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	}
	else if (c >= 0xF0 && c <= 0xF4)
	{
		n = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	}
	else
		return syntax_error(r, off, "invalid UTF-8 in string");
	b[0] = (unsigned char) c;
	for (i = 1; i < n; i++)
	{
		c = next_byte(r);
		if (c == CH_ERR)
			return false;
		if (c == CH_EOF)
			return unexpected_end(r);
		if (c < lo || c > hi)
			return syntax_error(r, off, "invalid UTF-8 in string");
		b[i] = (unsigned char) c;
		lo = 0x80;
		hi = 0xBF;
	}
	return n2p_buf_append(&r->scratch, b, (size_t) n) || nomem(r);
}

static bool
store_string(N2pJsonReader *r, N2pArena *arena, const char *s, size_t len,
			 N2pStr *out)
{
	char	   *dst = arena_alloc(r, arena, len + 1);

	if (dst == NULL)
		return false;
	memcpy(dst, s, len);
	dst[len] = '\0';
	out->ptr = dst;
	out->len = len;
	return true;
}

/*
 * The general case of a string: escapes, raw UTF-8, or a piece boundary.
 * The string is decoded into scratch from its start; plain is where the
 * fast path stopped, everything before it is plain bytes.
 */
static bool
parse_string_slow(N2pJsonReader *r, N2pArena *arena, const char *plain, N2pStr *out)
{
	const char *p = r->cur;
	const char *q = plain;

	n2p_buf_reset(&r->scratch);
	for (;;)
	{
		unsigned char c;
		bool		ok;

		if (q > p && !n2p_buf_append(&r->scratch, p, (size_t) (q - p)))
			return nomem(r);
		r->cur = q;
		if (q == r->end)
		{
			int			rc = fill(r);

			if (rc <= 0)
				return rc == 0 ? unexpected_end(r) : false;
		}
		else
		{
			c = (unsigned char) *q;
			if (c == '"')
			{
				r->cur = q + 1;
				break;
			}
			if (c == '\\')
			{
				r->cur = q + 1;
				ok = parse_escape(r);
			}
			else if (c < 0x20)
				ok = syntax_error(r, offset_at(r, q), "control character in string");
			else
				ok = copy_utf8(r);
			if (!ok)
				return false;
		}
		p = r->cur;
		q = scan_plain(p, r->end);
	}
	return store_string(r, arena, r->scratch.data ? r->scratch.data : "",
						r->scratch.len, out);
}

/* A string, the opening quote already consumed. */
static inline bool
parse_string(N2pJsonReader *r, N2pArena *arena, N2pStr *out)
{
	const char *s = r->cur;
	const char *q = scan_plain(s, r->end);

	if (q < r->end && *q == '"')
	{
		r->cur = q + 1;
		return store_string(r, arena, s, (size_t) (q - s), out);
	}
	return parse_string_slow(r, arena, q, out);
}

/* ---------------------------------------------------------------- scalars */

static inline bool
is_token_char(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
		c == '-' || c == '+' || c == '.';
}

/*
 * Read a bare token (number or literal) starting at r->cur.  It is
 * returned in place when it ends inside the piece, else from scratch.
 */
static bool
read_token(N2pJsonReader *r, const char **tok, size_t *len)
{
	const char *start = r->cur;
	const char *p = start;

	while (p < r->end && is_token_char((unsigned char) *p))
		p++;
	if (p < r->end)
	{
		*tok = start;
		*len = (size_t) (p - start);
		r->cur = p;
		return true;
	}
	n2p_buf_reset(&r->scratch);
	for (;;)
	{
		int			rc;

		if (!n2p_buf_append(&r->scratch, start, (size_t) (p - start)))
			return nomem(r);
		r->cur = p;
		if (p < r->end || (rc = fill(r)) == 0)
			break;
		if (rc < 0)
			return false;
		start = p = r->cur;
		while (p < r->end && is_token_char((unsigned char) *p))
			p++;
	}
	*tok = r->scratch.data;
	*len = r->scratch.len;
	return true;
}

/* Exact powers of ten representable in a double. */
static const double pow10_exact[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

/*
 * Convert a validated float token.  When the significant digits fit in 53
 * bits and the power of ten is exact, one multiplication or division gives
 * the correctly rounded result (Clinger's fast path); that covers the short
 * decimals typical of property data.  Otherwise strtod does it.
 */
static bool
convert_float(N2pJsonReader *r, const char *tok, size_t len, uint64_t mant,
			  bool mant_exact, int64_t exp10, bool neg, double *out)
{
	char		local[64];
	const char *s = tok;
	double		d;

	if (mant_exact && mant <= (UINT64_C(1) << 53) && exp10 >= -22 && exp10 <= 22)
	{
		d = (double) mant;
		d = exp10 < 0 ? d / pow10_exact[-exp10] : d * pow10_exact[exp10];
		*out = neg ? -d : d;
		return true;
	}
	if (tok != r->scratch.data)
	{
		if (len < sizeof(local))
		{
			memcpy(local, tok, len);
			local[len] = '\0';
			s = local;
		}
		else
		{
			n2p_buf_reset(&r->scratch);
			if (!n2p_buf_append(&r->scratch, tok, len))
				return nomem(r);
			s = r->scratch.data;
		}
	}
	*out = strtod(s, NULL);
	return true;
}

static bool
bad_number(N2pJsonReader *r, uint64_t off)
{
	return syntax_error(r, off, "invalid number");
}

/*
 * Accumulate a run of digits into *mant.  At most 19 significant digits are
 * kept, which cannot overflow uint64; *dropped counts the ones that did not
 * fit.  Leading zeros are not significant.
 */
static inline const char *
scan_digits(const char *p, const char *end, uint64_t *mant, int *ndig,
			int *dropped, int *count)
{
	const char *start = p;

	for (; p < end && *p >= '0' && *p <= '9'; p++)
	{
		if (*ndig < 19)
		{
			*mant = *mant * 10 + (uint64_t) (*p - '0');
			if (*mant != 0)
				(*ndig)++;
		}
		else
			(*dropped)++;
	}
	*count = (int) (p - start);
	return p;
}

/* Copy a float's token into the arena (see N2pValue.u.fnum). */
static bool
keep_float_text(N2pJsonReader *r, N2pArena *arena, const char *tok, size_t len,
				N2pValue *out)
{
	char	   *p = arena_alloc(r, arena, len);

	if (p == NULL)
		return false;
	memcpy(p, tok, len);
	out->u.fnum.text = p;
	out->u.fnum.len = len;
	return true;
}

static bool
parse_number(N2pJsonReader *r, N2pArena *arena, const char *tok, size_t len,
			 uint64_t off, N2pValue *out)
{
	const char *p = tok;
	const char *end = tok + len;
	bool		neg = false;
	bool		is_float = false;
	uint64_t	mant = 0;
	int			ndig = 0;
	int			dropped = 0;
	int			nint;
	int			nfrac = 0;
	int64_t		exp10 = 0;

	if (*p == '-')
	{
		neg = true;
		p++;
	}
	if (p == end || *p < '0' || *p > '9' || (*p == '0' && p + 1 < end &&
											 p[1] >= '0' && p[1] <= '9'))
		return bad_number(r, off);
	p = scan_digits(p, end, &mant, &ndig, &dropped, &nint);
	exp10 = dropped;
	if (p < end && *p == '.')
	{
		int			before = dropped;

		is_float = true;
		p = scan_digits(p + 1, end, &mant, &ndig, &dropped, &nfrac);
		if (nfrac == 0)
			return bad_number(r, off);
		/* fraction digits that were kept scale the mantissa down */
		exp10 -= nfrac - (dropped - before);
	}
	if (p < end && (*p == 'e' || *p == 'E'))
	{
		bool		eneg = false;
		int64_t		e = 0;

		is_float = true;
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			eneg = *p++ == '-';
		if (p == end || *p < '0' || *p > '9')
			return bad_number(r, off);
		for (; p < end && *p >= '0' && *p <= '9'; p++)
			if (e < 100000)		/* beyond any double; avoids overflow */
				e = e * 10 + (*p - '0');
		exp10 += eneg ? -e : e;
	}
	if (p != end)
		return bad_number(r, off);

	if (is_float)
	{
		out->type = N2P_FLOAT;
		out->u.fnum.text = NULL;
		out->u.fnum.len = 0;
		if (!convert_float(r, tok, len, mant, dropped == 0, exp10, neg, &out->u.fnum.f))
			return false;
		return keep_float_text(r, arena, tok, len, out);
	}
	if (dropped > 0 || mant > (uint64_t) INT64_MAX + (neg ? 1 : 0))
	{
		if (r->err->code == N2P_OK)
			r->err->offset = (int64_t) off;
		return n2p_error_set(r->err, N2P_ERR_DATA,
							 "integer out of range at byte %" PRIu64 ": %.*s",
							 off, len > 40 ? 40 : (int) len, tok);
	}
	out->type = N2P_INT;
	out->u.i = neg ? (mant == (uint64_t) INT64_MAX + 1 ? INT64_MIN : -(int64_t) mant)
		: (int64_t) mant;
	return true;
}

static inline bool
token_is(const char *tok, size_t len, const char *lit, size_t litlen)
{
	return len == litlen && memcmp(tok, lit, len) == 0;
}

/* A number or one of the bare words true, false, null, NaN, Infinity. */
static bool
parse_scalar(N2pJsonReader *r, N2pArena *arena, int c, N2pValue *out)
{
	uint64_t	off = offset_at(r, r->cur);
	const char *tok = NULL;
	size_t		len = 0;

	if (!is_token_char((unsigned char) c))
		return expected(r, c, "a value");
	if (!read_token(r, &tok, &len))
		return false;
	if ((c >= '0' && c <= '9') || c == '.' || c == '+' ||
		(c == '-' && !token_is(tok, len, "-Infinity", 9)))
		return parse_number(r, arena, tok, len, off, out);
	if (token_is(tok, len, "true", 4) || token_is(tok, len, "false", 5))
	{
		out->type = N2P_BOOL;
		out->u.b = (c == 't');
	}
	else if (token_is(tok, len, "null", 4))
		out->type = N2P_NULL;
	else if (token_is(tok, len, "NaN", 3))
	{
		out->type = N2P_FLOAT;
		out->u.fnum.f = NAN;
		out->u.fnum.text = NULL;
	}
	else if (token_is(tok, len, "Infinity", 8) || token_is(tok, len, "-Infinity", 9))
	{
		out->type = N2P_FLOAT;
		out->u.fnum.f = (c == '-') ? -INFINITY : INFINITY;
		out->u.fnum.text = NULL;
	}
	else
		return syntax_error(r, off, "invalid literal");
	return true;
}

/* ---------------------------------------------------------------- containers */

static bool
depth_error(N2pJsonReader *r)
{
	uint64_t	off = offset_at(r, r->cur);

	if (r->err->code == N2P_OK)
		r->err->offset = (int64_t) off;
	return n2p_error_set(r->err, N2P_ERR_LIMIT,
						 "JSON nested deeper than %d levels at byte %" PRIu64,
						 N2P_JSON_MAX_DEPTH, off);
}

/*
 * One bit of 64 per name, from a multiplicative hash of its length and end
 * bytes, taken while the name is fresh: names that set distinct bits are
 * surely distinct, which is almost every object of a row.  A shared bit
 * only sends the object to the exact test.  An empty name reads its
 * terminating NUL (store_string always writes one).
 */
static inline uint64_t
name_bit(const N2pStr *k)
{
	const unsigned char *p = (const unsigned char *) k->ptr;
	uint64_t	x = k->len | (uint64_t) p[0] << 16 | (uint64_t) p[k->len - (k->len != 0)] << 24;

	return UINT64_C(1) << ((x * UINT64_C(0x9E3779B97F4A7C15)) >> 58);
}

/*
 * A name given twice in one object: Python's json keeps the last value,
 * a first-match lookup the first, so the object means two things.  The
 * first such name is reported once the element is read whole, so that the
 * caller can still name the row.
 */
static bool
check_names(N2pJsonReader *r, const N2pStr *keys, size_t n)
{
	size_t		first,
				second;
	int			rc;

	if (r->duplicate)
		return true;
	rc = n2p_keys_find_duplicate(&r->keyset, keys, n, &first, &second);
	if (rc < 0)
		return nomem(r);
	if (rc > 0 && r->err->code == N2P_OK)
	{
		uint64_t	off = offset_at(r, r->cur);

		r->duplicate = true;
		r->err->offset = (int64_t) off;
		n2p_error_set_key(r->err, keys[second].ptr, keys[second].len);
		n2p_error_set(r->err, N2P_ERR_DATA,
					  "the name appears twice in one JSON object (ending at byte %" PRIu64
					  "); Python's json would keep the last value, so the backup is ambiguous",
					  off - 1);
	}
	return true;
}

/* Move the members above base off the stacks into arena arrays. */
static bool
close_container(N2pJsonReader *r, N2pArena *arena, size_t vbase, size_t kbase,
				N2pValue *out)
{
	size_t		n = r->nvals - vbase;
	N2pValue   *vals = NULL;
	N2pStr	   *keys = NULL;

	if (n > 0)
	{
		vals = arena_alloc(r, arena, n * sizeof(N2pValue));
		if (vals == NULL)
			return false;
		memcpy(vals, r->vals + vbase, n * sizeof(N2pValue));
		if (out->type == N2P_MAP)
		{
			keys = arena_alloc(r, arena, n * sizeof(N2pStr));
			if (keys == NULL)
				return false;
			memcpy(keys, r->keys + kbase, n * sizeof(N2pStr));
		}
	}
	r->nvals = vbase;
	r->nkeys = kbase;
	if (out->type == N2P_MAP)
	{
		out->u.map.keys = keys;
		out->u.map.vals = vals;
		out->u.map.n = n;
	}
	else
	{
		out->u.list.items = vals;
		out->u.list.n = n;
	}
	return true;
}

/* An array; r->cur is at the '['. */
static bool
parse_list(N2pJsonReader *r, N2pArena *arena, int depth, N2pValue *out)
{
	size_t		base = r->nvals;
	N2pValue	item;
	int			c;

	if (depth >= N2P_JSON_MAX_DEPTH)
		return depth_error(r);
	r->cur++;
	out->type = N2P_LIST;
	if ((c = peek_nonws(r)) == ']')
		r->cur++;
	else
	{
		for (;;)
		{
			if (!parse_value(r, arena, depth + 1, &item) || !push_val(r, &item))
				return false;
			c = peek_nonws(r);
			if (c == ']')
			{
				r->cur++;
				break;
			}
			if (c != ',')
				return expected(r, c, "',' or ']'");
			r->cur++;
		}
	}
	return close_container(r, arena, base, r->nkeys, out);
}

/* An object; r->cur is at the '{'. */
static bool
parse_map(N2pJsonReader *r, N2pArena *arena, int depth, N2pValue *out)
{
	size_t		vbase = r->nvals;
	size_t		kbase = r->nkeys;
	N2pValue	val;
	N2pStr		key;
	int			c;
	uint64_t	seen = 0,
				suspect = 0;

	if (depth >= N2P_JSON_MAX_DEPTH)
		return depth_error(r);
	r->cur++;
	out->type = N2P_MAP;
	if ((c = peek_nonws(r)) == '}')
		r->cur++;
	else
	{
		for (;;)
		{
			uint64_t	bit;

			if (c != '"')
				return expected(r, c, "a string key");
			r->cur++;
			if (!parse_string(r, arena, &key))
				return false;
			bit = name_bit(&key);
			suspect |= seen & bit;
			seen |= bit;
			if ((c = peek_nonws(r)) != ':')
				return expected(r, c, "':'");
			r->cur++;
			if (!parse_value(r, arena, depth + 1, &val) ||
				!push_key(r, &key) || !push_val(r, &val))
				return false;
			c = peek_nonws(r);
			if (c == '}')
			{
				r->cur++;
				break;
			}
			if (c != ',')
				return expected(r, c, "',' or '}'");
			r->cur++;
			c = peek_nonws(r);
		}
	}
	if (suspect && !check_names(r, r->keys + kbase, r->nkeys - kbase))
		return false;
	return close_container(r, arena, vbase, kbase, out);
}

/* Any value; depth is the number of containers already open around it. */
static bool
parse_value(N2pJsonReader *r, N2pArena *arena, int depth, N2pValue *out)
{
	int			c = peek_nonws(r);

	switch (c)
	{
		case '"':
			r->cur++;
			out->type = N2P_STRING;
			return parse_string(r, arena, &out->u.str);
		case '{':
			return parse_map(r, arena, depth, out);
		case '[':
			return parse_list(r, arena, depth, out);
		default:
			return parse_scalar(r, arena, c, out);
	}
}

/* Only whitespace may follow the top-level value. */
static bool
expect_end(N2pJsonReader *r, const char *what)
{
	int			c = peek_nonws(r);

	if (c == CH_EOF)
		return true;
	if (c == CH_ERR)
		return false;
	return syntax_error(r, offset_at(r, r->cur), what);
}

/* ---------------------------------------------------------------- API */

N2pJsonReader *
n2p_json_reader_new(N2pInput *in, const N2pAllocator *alloc, N2pError *err)
{
	static const char empty[1] = "";
	N2pJsonReader *r = n2p_alloc(alloc, sizeof(N2pJsonReader));

	if (r == NULL)
	{
		n2p_error_set(err, N2P_ERR_NOMEM, "out of memory creating JSON reader");
		return NULL;
	}
	memset(r, 0, sizeof(*r));
	r->in = in;
	r->alloc = alloc;
	r->err = err;
	r->piece = r->cur = r->end = empty;
	r->state = JSON_START;
	n2p_buf_init(&r->scratch, alloc);
	n2p_keyset_init(&r->keyset, alloc);
	return r;
}

static int
reader_failed(N2pJsonReader *r)
{
	r->state = JSON_FAILED;
	r->nvals = 0;
	r->nkeys = 0;
	r->duplicate = false;
	return -1;
}

/*
 * Position the reader before the next element.  Returns 1 when there is
 * one, 0 when the array (and the input) ended, -1 on error.
 */
static int
advance(N2pJsonReader *r)
{
	int			c = peek_nonws(r);

	if (r->state == JSON_START)
	{
		if (c != '[')
		{
			expected(r, c, "'['");
			return -1;
		}
		r->cur++;
		r->state = JSON_ELEMENTS;
		c = peek_nonws(r);
		if (c == CH_ERR)
			return -1;
		if (c != ']')
			return 1;			/* parse_value reports EOF or a non-value */
	}
	else if (c == ',')
	{
		r->cur++;
		return 1;
	}
	else if (c != ']')
	{
		expected(r, c, "',' or ']'");
		return -1;
	}
	r->cur++;
	if (!expect_end(r, "unexpected data after the closing ']'"))
		return -1;
	r->state = JSON_END;
	return 0;
}

int
n2p_json_next(N2pJsonReader *r, N2pArena *arena, N2pValue *out, N2pError *err)
{
	int			rc;

	r->err = err;
	r->resumable = false;
	out->type = N2P_NULL;
	if (r->state == JSON_END)
		return 0;
	if (r->state == JSON_FAILED || r->state == JSON_DOCUMENT)
	{
		n2p_error_set(err, N2P_ERR_USAGE, "JSON reader used after an error or a document");
		return -1;
	}
	rc = advance(r);
	if (rc <= 0)
		return rc < 0 ? reader_failed(r) : 0;
	if (!parse_value(r, arena, 1, out))
		return reader_failed(r);
	if (r->duplicate)
	{
		/* read whole: the reader stands before the next element */
		r->duplicate = false;
		r->resumable = true;
		return -1;
	}
	return 1;
}

bool
n2p_json_resumable(const N2pJsonReader *r)
{
	return r->resumable;
}

int
n2p_json_parse_document(N2pJsonReader *r, N2pArena *arena, N2pValue *out,
						N2pError *err)
{
	r->err = err;
	out->type = N2P_NULL;
	if (r->state != JSON_START)
	{
		n2p_error_set(err, N2P_ERR_USAGE, "JSON reader already used");
		return -1;
	}
	r->state = JSON_DOCUMENT;
	if (!parse_value(r, arena, 0, out) ||
		!expect_end(r, "unexpected data after the JSON value") || r->duplicate)
		return reader_failed(r);
	return 1;
}

/*
 * The reader's stacks and key set are reused from document to document,
 * so one row after another costs no allocation once the largest is seen.
 */
int
n2p_json_parse_mem(N2pJsonReader *r, const char *data, size_t len, N2pArena *arena,
				   N2pValue *out, N2pError *err)
{
	r->in = NULL;
	r->piece = r->cur = data;
	r->end = data + len;
	r->piece_off = 0;
	r->eof = true;
	r->state = JSON_START;
	r->nvals = r->nkeys = 0;
	r->duplicate = r->resumable = false;
	return n2p_json_parse_document(r, arena, out, err);
}

uint64_t
n2p_json_offset(const N2pJsonReader *r)
{
	return offset_at(r, r->cur);
}

void
n2p_json_reader_free(N2pJsonReader *r)
{
	if (r == NULL)
		return;
	n2p_buf_free(&r->scratch);
	n2p_keyset_free(&r->keyset);
	n2p_free(r->alloc, r->vals);
	n2p_free(r->alloc, r->keys);
	n2p_free(r->alloc, r);
}
