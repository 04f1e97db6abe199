/*-------------------------------------------------------------------------
 *
 * pyjson.c
 *	  The JSON dialect of Python's json.dumps, and the other pieces of
 *	  Python's output that a neo4j-backup written by the tool holds.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/backup/pyjson.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/pyjson.h"
#include "neo2pg/literal.h"

#include <inttypes.h>
#include <math.h>
#include <openssl/sha.h>

static const char hexdigits[] = "0123456789abcdef";

/* Printable ASCII other than '"' and '\\' is copied in runs. */
static const bool plain_ascii[128] = {
	['\x20'] = 1, ['!'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['&'] = 1, ['\''] = 1,
	['('] = 1, [')'] = 1, ['*'] = 1, ['+'] = 1, [','] = 1, ['-'] = 1, ['.'] = 1,
	['/'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
	['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, [':'] = 1, [';'] = 1, ['<'] = 1,
	['='] = 1, ['>'] = 1, ['?'] = 1, ['@'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1,
	['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1,
	['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1,
	['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
	['Y'] = 1, ['Z'] = 1, ['['] = 1, [']'] = 1, ['^'] = 1, ['_'] = 1, ['`'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1,
	['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1,
	['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1,
	['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1, ['{'] = 1, ['|'] = 1,
	['}'] = 1, ['~'] = 1,
};

/*
 * Decode one UTF-8 character at s[*i]; 0x110000 when the bytes are not
 * UTF-8 (overlong forms, surrogates, truncation included).
 */
static uint32_t
utf8_next(const unsigned char *s, size_t len, size_t *i)
{
	uint32_t	c = s[*i],
				min;
	int			n,
				k;

	if (c < 0x80)
		return (*i)++, c;
	if (c >= 0xC2 && c <= 0xDF)
		n = 1, c &= 0x1F, min = 0x80;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 2, c &= 0x0F, min = 0x800;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 3, c &= 0x07, min = 0x10000;
	else
		return 0x110000;
	if (*i + (size_t) n >= len)
		return 0x110000;
	for (k = 1; k <= n; k++)
	{
		if ((s[*i + k] & 0xC0) != 0x80)
			return 0x110000;
		c = (c << 6) | (s[*i + k] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0x110000;
	*i += (size_t) n + 1;
	return c;
}

static bool
put_u_escape(N2pBuf *buf, uint32_t u)
{
	char		e[6] = {'\\', 'u', hexdigits[u >> 12 & 15], hexdigits[u >> 8 & 15],
	hexdigits[u >> 4 & 15], hexdigits[u & 15]};

	return n2p_buf_append(buf, e, 6);
}

static bool
put_escaped(N2pBuf *buf, uint32_t c)
{
	switch (c)
	{
		case '"':
			return n2p_buf_append(buf, "\\\"", 2);
		case '\\':
			return n2p_buf_append(buf, "\\\\", 2);
		case '\n':
			return n2p_buf_append(buf, "\\n", 2);
		case '\r':
			return n2p_buf_append(buf, "\\r", 2);
		case '\t':
			return n2p_buf_append(buf, "\\t", 2);
		case '\b':
			return n2p_buf_append(buf, "\\b", 2);
		case '\f':
			return n2p_buf_append(buf, "\\f", 2);
	}
	if (c < 0x10000)
		return put_u_escape(buf, c);
	c -= 0x10000;
	return put_u_escape(buf, 0xD800 | (c >> 10)) && put_u_escape(buf, 0xDC00 | (c & 0x3FF));
}

/*
 * Might any of these 8 bytes need escaping (below 0x20, 0x7F and up, '"'
 * or '\\')?  Never false when one does; true at times when none does,
 * which only sends the bytes through the loop that decides each one.
 */
static inline bool
maybe_escape(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ull,
				high = 0x8080808080808080ull;
	uint64_t	q = x ^ (ones * '"'),
				b = x ^ (ones * '\\');

	return (((x - ones * 0x20) & ~x) | ((x + ones) | x) | ((q - ones) & ~q) | ((b - ones) & ~b)) & high;
}

bool
n2p_pyjson_string(N2pBuf *buf, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *) s;
	size_t		i = 0;

	if (!n2p_buf_putc(buf, '"'))
		return false;
	while (i < len)
	{
		size_t		start = i;
		uint32_t	c;

		/* eight bytes at a time while none can need escaping */
		while (i + 8 <= len)
		{
			uint64_t	x;

			memcpy(&x, u + i, 8);
			if (maybe_escape(x))
				break;
			i += 8;
		}
		while (i < len && u[i] < 128 && plain_ascii[u[i]])
			i++;
		if (i > start && !n2p_buf_append(buf, s + start, i - start))
			return false;
		if (i == len)
			break;
		if ((c = utf8_next(u, len, &i)) == 0x110000)
			return false;
		if (!put_escaped(buf, c))
			return false;
	}
	return n2p_buf_putc(buf, '"');
}

bool
n2p_pyjson_float(N2pBuf *buf, double d)
{
	char		tmp[N2P_DOUBLE_BUFSZ];
	size_t		n;

	if (isnan(d))
		return n2p_buf_append(buf, "NaN", 3);
	if (isinf(d))
		return d < 0 ? n2p_buf_append(buf, "-Infinity", 9) : n2p_buf_append(buf, "Infinity", 8);
	n = n2p_format_double(d, tmp);
	return n2p_buf_append(buf, tmp, n);
}

bool
n2p_pyjson_int(N2pBuf *buf, int64_t i)
{
	return n2p_buf_put_int(buf, i);
}

bool
n2p_py_bytes_str(N2pBuf *buf, const char *p, size_t len)
{
	const unsigned char *u = (const unsigned char *) p;
	char		quote = '\'';
	size_t		i;
	bool		ok;

	if (len && memchr(p, '\'', len) && !memchr(p, '"', len))
		quote = '"';
	ok = n2p_buf_putc(buf, 'b') && n2p_buf_putc(buf, quote);
	for (i = 0; ok && i < len; i++)
	{
		unsigned char c = u[i];

		if (c == (unsigned char) quote || c == '\\')
			ok = n2p_buf_putc(buf, '\\') && n2p_buf_putc(buf, (char) c);
		else if (c == '\t')
			ok = n2p_buf_append(buf, "\\t", 2);
		else if (c == '\n')
			ok = n2p_buf_append(buf, "\\n", 2);
		else if (c == '\r')
			ok = n2p_buf_append(buf, "\\r", 2);
		else if (c < 0x20 || c >= 0x7F)
		{
			char		x[4] = {'\\', 'x', hexdigits[c >> 4], hexdigits[c & 15]};

			ok = n2p_buf_append(buf, x, 4);
		}
		else
			ok = n2p_buf_putc(buf, (char) c);
	}
	return ok && n2p_buf_putc(buf, quote);
}

/* Python's lower() for the blocks where labels are likely to need it. */
static uint32_t
py_lower(uint32_t c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7))
		return c + 32;
	if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x138 && c != 0x149)
	{
		if (c == 0x178)
			return 0xFF;
		/* pairs start on even code points, but odd in 0x139..0x148 and 0x179..0x17E */
		if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
			return (c & 1) ? c + 1 : c;
		return (c & 1) ? c : c + 1;
	}
	if ((c >= 0x391 && c <= 0x3A9 && c != 0x3A2) || (c >= 0x410 && c <= 0x42F))
		return c + 32;
	if (c >= 0x400 && c <= 0x40F)
		return c + 80;
	if (c == 0x386)
		return 0x3AC;
	if (c >= 0x388 && c <= 0x38A)
		return c + 37;
	if (c == 0x38C)
		return 0x3CC;
	if (c == 0x38E || c == 0x38F)
		return c + 63;
	return c;
}

int
n2p_py_lower_cmp(N2pStr a, N2pStr b)
{
	const unsigned char *x = (const unsigned char *) a.ptr,
			   *y = (const unsigned char *) b.ptr;
	size_t		i = 0,
				j = 0;

	while (i < a.len && j < b.len)
	{
		uint32_t	c = py_lower(utf8_next(x, a.len, &i));
		uint32_t	d = py_lower(utf8_next(y, b.len, &j));

		/* not UTF-8 (no source produces it): stop comparing */
		if (c == 0x110000 || d == 0x110000)
			return c == d ? 0 : (c < d ? -1 : 1);
		if (c != d)
			return c < d ? -1 : 1;
	}
	return (i < a.len) - (j < b.len);
}

void
n2p_sha256_hex(const char *data, size_t len, char *out)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	int			i;

	SHA256((const unsigned char *) data, len, md);
	for (i = 0; i < SHA256_DIGEST_LENGTH; i++)
	{
		out[2 * i] = hexdigits[md[i] >> 4];
		out[2 * i + 1] = hexdigits[md[i] & 15];
	}
	out[2 * SHA256_DIGEST_LENGTH] = '\0';
}
