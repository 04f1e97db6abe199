/*-------------------------------------------------------------------------
 *
 * float_repr.c
 *	  Python's repr() of a float, digit for digit.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/core/float_repr.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/float_repr.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* tools/gen_pow10.py: 126-bit powers of ten and the logarithms' forms */
#include "float_repr_pow10.h"

__extension__ typedef unsigned __int128 u128;

#define MASK63 ((UINT64_C(1) << 63) - 1)

/*
 * Python's repr prints the shortest decimal that reads back as the double
 * (David Gay's dtoa, mode 0) and, among equally short ones, the closest,
 * the one with an even last digit on a tie.  The decimals that read back
 * are those in the double's rounding interval: from the midpoint with the
 * double below to the midpoint with the one above, both ends included when
 * the significand is even (strtod rounds ties to even).  For a power of two
 * the double below lies half as far, so the interval is lopsided.
 *
 * This is Raffaello Giulietti's Schubfach ("The Schubfach way to render
 * doubles", 2020), written from the paper, without its Java rule of at least
 * two digits.  With v = c * 2^q and k = floor(log10(interval width)), at most
 * one multiple of 10^(k+1) lies in the interval (it is narrower than that),
 * and at least one multiple of 10^k does: the shortest is the multiple of
 * 10^(k+1) when there is one, else the closer of the two multiples of 10^k
 * around v.  The interval's ends and v, times 4 * 10^-k, are computed from a
 * 126-bit overestimate g of 10^-k, floored and rounded to odd (a nonzero
 * fraction sets the last bit): the paper proves that these integers compare
 * with multiples of 4 as the exact values do.
 */

/*
 * floor(g * cp / 2^127), rounded to odd.  The product's low word is left
 * out on purpose: when the exact value is an integer, g's excess over
 * 10^-k only ever reaches that word, so the result stays even as it must.
 */
static inline uint64_t
round_to_odd(const uint64_t g[2], uint64_t cp)
{
	u128		lo = (u128) g[1] * cp,
				hi = (u128) g[0] * cp;
	uint64_t	mid = ((uint64_t) hi >> 1) + (uint64_t) (lo >> 64),
				top = (uint64_t) (hi >> 64) + (mid >> 63);

	return top | (uint64_t) ((mid & MASK63) != 0);
}

/*
 * The shortest decimal f * 10^e of v = c * 2^q (c > 0) as Python's repr
 * chooses it; f may end in zeros.
 */
static void
shortest_decimal(uint64_t c, int q, uint64_t *f, int *e)
{
	bool		lopsided = c == (UINT64_C(1) << 52) && q > -1074;
	uint64_t	open = c & 1,	/* an odd significand excludes the ends */
				cb = c << 2,
				vb,
				vbl,
				vbr,
				s,
				sp10,
				t;
	int			k = lopsided ? (int) N2P_FLOG10_3_4_POW2(q) : (int) N2P_FLOG10POW2(q),
				h = q + (int) N2P_FLOG2POW10(-k) + 2;
	const uint64_t *g = n2p_pow10_g[k - N2P_POW10_K_MIN];
	bool		in_low,
				in_high;

	vb = round_to_odd(g, cb << h);
	vbl = round_to_odd(g, (cb - (lopsided ? 1 : 2)) << h);
	vbr = round_to_odd(g, (cb + 2) << h);
	s = vb >> 2;
	/* the multiples of 10^(k+1) around v */
	sp10 = s / 10 * 10;
	in_low = vbl + open <= sp10 << 2;
	in_high = ((sp10 + 10) << 2) + open <= vbr;
	if (in_low != in_high)
	{
		*f = in_low ? sp10 : sp10 + 10;
		*e = k;
		return;
	}
	/* the multiples of 10^k */
	t = s + 1;
	in_low = vbl + open <= s << 2;
	in_high = (t << 2) + open <= vbr;
	*e = k;
	if (in_low != in_high)
		*f = in_low ? s : t;
	else
	{
		/* both: the closer, the even one on a tie */
		int64_t		cmp = (int64_t) (vb - ((s + t) << 1));

		*f = cmp < 0 || (cmp == 0 && (s & 1) == 0) ? s : t;
	}
}

/*
 * Up to 6 decimals, the common case for coordinates and measurements: if
 * k / 1e6 == a for an integer k, the decimal k * 10^-6 reads back as a (the
 * division rounds correctly), and below 1e9 doubles lie closer than 1e-6
 * apart, so no other decimal of at most 6 places does: k is the shortest.
 */
static bool
short_decimal(double a, uint64_t *f, int *e)
{
	uint64_t	k;

	if (!(a >= 1e-6 && a < 1e9))
		return false;
	k = (uint64_t) (a * 1e6 + 0.5);
	if ((double) k / 1e6 != a)
		return false;
	*f = k;
	*e = -6;
	return true;
}

/* "00" to "99", for writing digits two at a time */
static const char two_digits[] =
	"00010203040506070809"
	"10111213141516171819"
	"20212223242526272829"
	"30313233343536373839"
	"40414243444546474849"
	"50515253545556575859"
	"60616263646566676869"
	"70717273747576777879"
	"80818283848586878889"
	"90919293949596979899";

/*
 * The digits of |d| (finite, nonzero) without trailing zeros, written to
 * end at digits[N2P_DIGITS_CAP]; returns the first, its decimal exponent in
 * *exp10 and their count in *nd.
 */
#define N2P_DIGITS_CAP 20

static const char *
shortest_digits(double d, char *digits, int *nd, int *exp10)
{
	uint64_t	bits,
				c,
				f;
	int			biased,
				q,
				e;
	char	   *p = digits + N2P_DIGITS_CAP;

	memcpy(&bits, &d, sizeof(bits));
	c = bits & ((UINT64_C(1) << 52) - 1);
	biased = (int) (bits >> 52 & 0x7ff);
	if (biased == 0)
		q = -1074;				/* subnormal */
	else
	{
		c |= UINT64_C(1) << 52;
		q = biased - 1075;
	}
	if (q <= 0 && q > -53 && (c & ((UINT64_C(1) << -q) - 1)) == 0)
	{
		/*
		 * An integer below 2^53: the doubles around lie at most 1 apart, so
		 * no other integer, let alone a rounder one, reads back as it.
		 */
		f = c >> -q;
		e = 0;
	}
	else if (!short_decimal(fabs(d), &f, &e))
		shortest_decimal(c, q, &f, &e);
	/* trailing zeros: 1e-7 comes as 10000000000000000 * 10^-23 */
	for (int z = 8; z > 0; z /= 2)
	{
		uint64_t	p10 = z == 8 ? 100000000 : z == 4 ? 10000 : z == 2 ? 100 : 10;

		while (f % p10 == 0)
		{
			f /= p10;
			e += z;
		}
	}
	while (f >= 10)
	{
		p -= 2;
		memcpy(p, two_digits + 2 * (f % 100), 2);
		f /= 100;
	}
	if (f > 0)
		*--p = (char) ('0' + f);
	*nd = (int) (digits + N2P_DIGITS_CAP - p);
	*exp10 = e + *nd - 1;
	return p;
}

/* Append n copies of ch; the fixed-notation range keeps n small enough. */
static size_t
put_run(char *out, char ch, int n)
{
	for (int i = 0; i < n; i++)
		out[i] = ch;
	return n > 0 ? (size_t) n : 0;
}

static size_t
put_str(char *out, const char *s, int n)
{
	memcpy(out, s, (size_t) n);
	return (size_t) n;
}

/* "e-05", "e+16", "e-324": a sign and at least two digits, as Python. */
static size_t
put_exponent(char *out, int exp10)
{
	size_t		len = 0;
	int			a = exp10 < 0 ? -exp10 : exp10;

	out[len++] = 'e';
	out[len++] = exp10 < 0 ? '-' : '+';
	if (a >= 100)
		out[len++] = (char) ('0' + a / 100);
	out[len++] = (char) ('0' + a / 10 % 10);
	out[len++] = (char) ('0' + a % 10);
	return len;
}

/*
 * Python switches to exponent notation below 1e-4 and from 1e16 on: that
 * is, fixed notation when the first digit's exponent is in -4 .. 15.
 */
size_t
n2p_format_double(double d, char *buf)
{
	char		space[N2P_DIGITS_CAP];
	const char *digits;
	int			nd,
				exp10;
	size_t		len = 0;

	if (isnan(d))
		return put_str(buf, "nan", 4) - 1;
	if (isinf(d))
		return d < 0 ? put_str(buf, "-inf", 5) - 1 : put_str(buf, "inf", 4) - 1;
	if (signbit(d))
		buf[len++] = '-';
	if (d == 0)
		return len + put_str(buf + len, "0.0", 4) - 1;
	digits = shortest_digits(d, space, &nd, &exp10);
	if (exp10 < -4 || exp10 >= 16)
	{
		len += put_str(buf + len, digits, 1);
		if (nd > 1)
		{
			buf[len++] = '.';
			len += put_str(buf + len, digits + 1, nd - 1);
		}
		len += put_exponent(buf + len, exp10);
	}
	else if (exp10 < 0)
	{
		len += put_str(buf + len, "0.", 2);
		len += put_run(buf + len, '0', -exp10 - 1);
		len += put_str(buf + len, digits, nd);
	}
	else if (exp10 + 1 >= nd)
	{
		len += put_str(buf + len, digits, nd);
		len += put_run(buf + len, '0', exp10 + 1 - nd);
		len += put_str(buf + len, ".0", 2);
	}
	else
	{
		len += put_str(buf + len, digits, exp10 + 1);
		buf[len++] = '.';
		len += put_str(buf + len, digits + exp10 + 1, nd - exp10 - 1);
	}
	buf[len] = '\0';
	return len;
}
