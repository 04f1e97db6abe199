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
#include "neo2pg/scan.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Shortest decimal digits that read back as d: the correctly rounded
 * %.*e output is tried with growing precision, 17 digits always suffice.
 * For normal doubles the search starts at 15 digits (DBL_DIG): any decimal
 * of at most 15 digits survives decimal -> double -> 15 digits unchanged,
 * so when the shortest form is shorter, the 15-digit output is that form
 * padded with zeros.  This keeps the hot path to one or two snprintf
 * calls; subnormals lack that guarantee and search from 1.
 * Returns the digits (no sign, no trailing zeros) and the decimal exponent
 * of the first digit.
 */
static int
shortest_digits(double d, char *digits, int *exp10)
{
	char		tmp[40];
	int			n = 0;
	char	   *e;

	for (int prec = fpclassify(d) == FP_SUBNORMAL ? 1 : DBL_DIG; prec <= 17; prec++)
	{
		snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, d);
		if (strtod(tmp, NULL) == d)
			break;
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

/*
 * The common case without snprintf/strtod: coordinates and measurements
 * usually have at most 6 decimals.  If k / 1e6 == |d| for an integer k,
 * the decimal k * 10^-6 reads back as d (the division is correctly
 * rounded), and below 1e9 doubles lie closer than 1e-6 apart, so no other
 * decimal of at most 6 places reads back as d: k without its trailing
 * zeros is the shortest form.  Returns 0 when the case does not apply.
 */
static int
short_decimal_digits(double d, char *digits, int *exp10)
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

/*
 * Python switches to exponent notation below 1e-4 and from 1e16 on: that
 * is, fixed notation when the first digit's exponent is in -4 .. 15.
 */
size_t
n2p_format_double(double d, char *buf)
{
	char		digits[20];
	int			nd,
				exp10;
	size_t		len = 0;

	if (isnan(d))
		return (size_t) snprintf(buf, N2P_DOUBLE_BUFSZ, "nan");
	if (isinf(d))
		return (size_t) snprintf(buf, N2P_DOUBLE_BUFSZ, "%s", d < 0 ? "-inf" : "inf");
	nd = short_decimal_digits(d, digits, &exp10);
	if (nd == 0)
		nd = shortest_digits(d, digits, &exp10);
	if (signbit(d))
		buf[len++] = '-';
	if (exp10 < -4 || exp10 >= 16)
	{
		len += put_str(buf + len, digits, 1);
		if (nd > 1)
		{
			buf[len++] = '.';
			len += put_str(buf + len, digits + 1, nd - 1);
		}
		len += (size_t) snprintf(buf + len, N2P_DOUBLE_BUFSZ - len, "e%c%02d",
								 exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
		return len;
	}
	if (exp10 < 0)
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
