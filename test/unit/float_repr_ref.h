/*-------------------------------------------------------------------------
 *
 * float_repr_ref.h
 *	  The reference for n2p_format_double: its implementation before
 *	  Schubfach (commit ce198b6), kept verbatim but for the names.  It finds
 *	  the digits with snprintf("%.*e") and strtod, so it is exact by
 *	  construction (glibc rounds correctly both ways) and slow.  Included by
 *	  the unit tests, the literal fuzz target and bench/float_speed.c.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  test/unit/float_repr_ref.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_FLOAT_REPR_REF_H
#define NEO2PG_FLOAT_REPR_REF_H

#include "neo2pg/float_repr.h"
#include "neo2pg/scan.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The p-digit decimal just above the one in tmp ("d.ddde+XX", no sign),
 * if it reads back as a: the answer for a power of two whose closest
 * p-digit decimal lies below it and does not read back.
 */
static bool
ref_upper_neighbour(const char *tmp, int p, double a, char *out, size_t outlen)
{
	char		dig[20];
	int			n = 0,
				i,
				exp;
	const char *e = strchr(tmp, 'e');

	for (const char *q = tmp; q < e && n < p; q++)
		if (n2p_is_digit(*q))
			dig[n++] = *q;
	exp = atoi(e + 1);
	for (i = n - 1; i >= 0 && dig[i] == '9'; i--)
		dig[i] = '0';
	if (i < 0)
	{
		dig[0] = '1';
		exp++;
	}
	else
		dig[i]++;
	snprintf(out, outlen, "%c.%.*se%+d", dig[0], n - 1, dig + 1, exp);
	return strtod(out, NULL) == a;
}

/*
 * Shortest decimal digits that read back as d: the correctly rounded
 * %.*e output is tried with growing precision, 17 digits always suffice.
 * For normal doubles the search starts at 15 digits (DBL_DIG): any decimal
 * of at most 15 digits survives decimal -> double -> 15 digits unchanged,
 * so when the shortest form is shorter, the 15-digit output is that form
 * padded with zeros.  This keeps the hot path to one or two snprintf
 * calls; subnormals lack that guarantee and search from 1.  So do powers
 * of two: the doubles just below one lie twice as close as those above,
 * so the closest p-digit decimal may not read back while the next one
 * above does, and Python's repr (the shortest that reads back, on either
 * side) is then that one.
 * Returns the digits (no sign, no trailing zeros) and the decimal exponent
 * of the first digit.
 */
static int
ref_shortest_digits(double d, char *digits, int *exp10)
{
	char		tmp[40],
				up[40];
	int			n = 0,
				bexp;
	char	   *e;
	double		a = fabs(d);
	bool		pow2 = frexp(a, &bexp) == 0.5;

	for (int prec = fpclassify(d) == FP_SUBNORMAL || pow2 ? 1 : DBL_DIG; prec <= 17; prec++)
	{
		double		back;

		snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, a);
		if ((back = strtod(tmp, NULL)) == a)
			break;
		if (pow2 && back < a && ref_upper_neighbour(tmp, prec, a, up, sizeof(up)))
		{
			memcpy(tmp, up, sizeof(up));
			break;
		}
	}
	e = strchr(tmp, 'e');
	/* Skip the sign and whatever decimal point the locale uses. */
	for (char *p = tmp; p < e; p++)
		if (n2p_is_digit(*p))
			digits[n++] = *p;
	while (n > 1 && digits[n - 1] == '0')
		n--;
	digits[n] = '\0';
	*exp10 = atoi(e + 1);
	return n;
}

/* Powers of ten that doubles hold exactly. */
static const double ref_exact_pow10[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/*
 * Does the decimal m * 10^e, whose p digits are in cand, read back as a?
 * With m below 2^53 and |e| at most 22 both operands are exact and one
 * IEEE operation rounds correctly, as strtod does (Clinger's fast path);
 * otherwise strtod decides.
 */
static bool
ref_reads_back(uint64_t m, int e, char *cand, int p, double a)
{
	if (m <= (UINT64_C(1) << 53) && e >= -22 && e <= 22)
		return (e >= 0 ? (double) m * ref_exact_pow10[e] : (double) m / ref_exact_pow10[-e]) == a;
	snprintf(cand + p, 16, "e%d", e);
	return strtod(cand, NULL) == a;
}

__extension__ typedef unsigned __int128 ref_u128;

/*
 * The 17 correctly rounded significant digits of a, 1e-5 <= a < 2^53, in
 * integers: a = m * 2^e2 with m < 2^53 and -69 <= e2 <= 0, so a * 10^s
 * for s up to 21 is m * 10^s (below 2^123) shifted right, the bits
 * shifted out telling exactly how to round.  False out of that range or
 * on an exact tie, where snprintf's rounding rule decides instead.
 */
static bool
ref_digits17_exact(double a, char *s17, int *e17)
{
	int			bexp,
				e2,
				exp10,
				i;
	uint64_t	m;
	ref_u128		n = 0,
				pow = 1;

	if (!(a >= 1e-5 && a < 9007199254740992.0))
		return false;
	m = (uint64_t) ldexp(frexp(a, &bexp), 53);
	e2 = bexp - 53;
	exp10 = (int) floor(log10(a));
	for (int tries = 0; tries < 3; tries++)
	{
		int			sh = 16 - exp10;
		ref_u128		x;

		if (sh < 0 || sh > 21)
			return false;
		for (pow = 1, i = 0; i < sh; i++)
			pow *= 10;
		x = (ref_u128) m * pow;
		n = x >> -e2;
		if (n >= (ref_u128) 100000000000000000ull)
			exp10++;
		else if (n < (ref_u128) 10000000000000000ull)
			exp10--;
		else
		{
			ref_u128		rest = e2 == 0 ? 0 : x & (((ref_u128) 1 << -e2) - 1),
						half = e2 == 0 ? 1 : (ref_u128) 1 << (-e2 - 1);

			if (e2 != 0 && rest == half)
				return false;
			if (e2 != 0 && rest > half && ++n == (ref_u128) 100000000000000000ull)
			{
				n = 10000000000000000ull;
				exp10++;
			}
			for (i = 16; i >= 0; i--, n /= 10)
				s17[i] = (char) ('0' + (int) (n % 10));
			*e17 = exp10;
			return true;
		}
	}
	return false;
}

/*
 * ref_shortest_digits' answer for a positive normal double with one snprintf
 * at most: its 17 correctly rounded digits are rounded again to 15 and 16, which
 * is the correct rounding of the double itself unless the digits dropped
 * are exactly 5, 50, ... (the double's own tail could then be on either
 * side of the half): 0 then, and ref_shortest_digits decides.
 */
static int
ref_shortest_digits_fast(double a, char *digits, int *exp10)
{
	char		tmp[40],
				s17[18];
	int			n = 0,
				e17,
				p;
	char	   *e;

	if (ref_digits17_exact(a, s17, &e17))
		n = 17;
	else
	{
		snprintf(tmp, sizeof(tmp), "%.16e", a);
		e = strchr(tmp, 'e');
		for (char *q = tmp; q < e && n < 17; q++)
			if (n2p_is_digit(*q))
				s17[n++] = *q;
		if (n != 17)
			return 0;
		e17 = atoi(e + 1);
	}
	for (p = 15; p <= 16; p++)
	{
		char		cand[40];
		int			cmp = 0,
					exp = e17,
					i;
		uint64_t	m = 0;

		/* the dropped digits against 5, 50: only an exact half is unsure */
		cmp = s17[p] - '5';
		for (i = p + 1; i < 17 && cmp == 0; i++)
			cmp = s17[i] != '0';
		if (cmp == 0)
			return 0;
		memcpy(cand, s17, (size_t) p);
		for (i = p - 1; cmp > 0 && i >= 0; i--)
		{
			if (cand[i] != '9')
			{
				cand[i]++;
				break;
			}
			cand[i] = '0';
		}
		if (cmp > 0 && i < 0)
		{
			cand[0] = '1';		/* 9.99... rounded up to 10.0... */
			exp++;
		}
		for (i = 0; i < p; i++)
			m = m * 10 + (uint64_t) (cand[i] - '0');
		if (ref_reads_back(m, exp - (p - 1), cand, p, a))
		{
			memcpy(digits, cand, (size_t) p);
			n = p;
			e17 = exp;
			break;
		}
	}
	if (p == 17)
		memcpy(digits, s17, 17);
	while (n > 1 && digits[n - 1] == '0')
		n--;
	digits[n] = '\0';
	*exp10 = e17;
	return n;
}

/*
 * The common case without snprintf/strtod: coordinates and measurements
 * usually have at most 6 decimals.  If k / 1e6 == |d| for an integer k,
 * the decimal k * 10^-6 reads back as d (the division is correctly
 * rounded), and below 1e9 doubles lie closer than 1e-6 apart, so no other
 * decimal of at most 6 places reads back as d: k without its trailing
 * zeros is the shortest form.  Returns 0 when the case does not apply.
 */
static int
ref_short_decimal_digits(double d, char *digits, int *exp10)
{
	double		a = fabs(d);
	double		scaled = a * 1e6;
	int64_t		k;
	char		tmp[24];
	int			n = 0,
				i;

	if (!(a >= 1e-6 && a < 1e9))
		return 0;
	k = (int64_t) (scaled + 0.5);
	if ((double) k / 1e6 != a)
		return 0;
	while (k > 0)
	{
		tmp[n++] = (char) ('0' + k % 10);
		k /= 10;
	}
	*exp10 = n - 1 - 6;
	for (i = 0; i < n; i++)
		digits[i] = tmp[n - 1 - i];
	while (n > 1 && digits[n - 1] == '0')
		n--;
	digits[n] = '\0';
	return n;
}

/* Append n copies of ch; the fixed-notation range keeps n small enough. */
static size_t
ref_put_run(char *out, char ch, int n)
{
	for (int i = 0; i < n; i++)
		out[i] = ch;
	return n > 0 ? (size_t) n : 0;
}

static size_t
ref_put_str(char *out, const char *s, int n)
{
	memcpy(out, s, (size_t) n);
	return (size_t) n;
}

/*
 * Python switches to exponent notation below 1e-4 and from 1e16 on: that
 * is, fixed notation when the first digit's exponent is in -4 .. 15.
 */
static size_t
ref_format_double(double d, char *buf)
{
	char		digits[20];
	int			nd,
				exp10,
				bexp;
	size_t		len = 0;

	if (isnan(d))
		return (size_t) snprintf(buf, N2P_DOUBLE_BUFSZ, "nan");
	if (isinf(d))
		return (size_t) snprintf(buf, N2P_DOUBLE_BUFSZ, "%s", d < 0 ? "-inf" : "inf");
	nd = ref_short_decimal_digits(d, digits, &exp10);
	if (nd == 0 && d != 0 && fpclassify(d) == FP_NORMAL && frexp(d, &bexp) != 0.5 && frexp(d, &bexp) != -0.5)
		nd = ref_shortest_digits_fast(fabs(d), digits, &exp10);
	if (nd == 0)
		nd = ref_shortest_digits(d, digits, &exp10);
	if (signbit(d))
		buf[len++] = '-';
	if (exp10 < -4 || exp10 >= 16)
	{
		len += ref_put_str(buf + len, digits, 1);
		if (nd > 1)
		{
			buf[len++] = '.';
			len += ref_put_str(buf + len, digits + 1, nd - 1);
		}
		len += (size_t) snprintf(buf + len, N2P_DOUBLE_BUFSZ - len, "e%c%02d",
								 exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
		return len;
	}
	if (exp10 < 0)
	{
		len += ref_put_str(buf + len, "0.", 2);
		len += ref_put_run(buf + len, '0', -exp10 - 1);
		len += ref_put_str(buf + len, digits, nd);
	}
	else if (exp10 + 1 >= nd)
	{
		len += ref_put_str(buf + len, digits, nd);
		len += ref_put_run(buf + len, '0', exp10 + 1 - nd);
		len += ref_put_str(buf + len, ".0", 2);
	}
	else
	{
		len += ref_put_str(buf + len, digits, exp10 + 1);
		buf[len++] = '.';
		len += ref_put_str(buf + len, digits + exp10 + 1, nd - exp10 - 1);
	}
	buf[len] = '\0';
	return len;
}

#endif							/* NEO2PG_FLOAT_REPR_REF_H */
