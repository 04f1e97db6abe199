/*-------------------------------------------------------------------------
 *
 * float_speed.c
 *	  n2p_format_double (Schubfach) against its former implementation
 *	  (snprintf and strtod, test/unit/float_repr_ref.h), on several kinds of
 *	  doubles, and a long comparison of the two for random bit patterns.
 *
 * Usage: float_speed [ROUNDS]          time both, best of ROUNDS (default 5)
 *        float_speed compare N [SEED]  compare both on N random doubles
 *
 * Times are nanoseconds per call, wall-clock, the best round of each; the
 * ratio is old / new, measured in the same run.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  bench/float_speed.c
 *
 *-------------------------------------------------------------------------
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../test/unit/float_repr_ref.h"

#define NVALUES 4096

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static uint64_t
next_random(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* A finite double from random bits: every exponent equally likely. */
static double
random_double(uint64_t *x)
{
	for (;;)
	{
		uint64_t	bits = next_random(x);
		double		d;

		memcpy(&d, &bits, sizeof(d));
		if (isfinite(d))
			return d;
	}
}

typedef size_t (*FormatFn) (double d, char *buf);

static double
time_ns(FormatFn fn, const double *v, int n, int rounds)
{
	double		best = 1e30;
	char		buf[N2P_DOUBLE_BUFSZ];
	volatile size_t sink = 0;
	int			reps = 200;

	if (fn == ref_format_double)
		reps = 20;				/* the old one is slow enough */
	for (int r = 0; r < rounds; r++)
	{
		double		t0 = now(),
					t;

		for (int k = 0; k < reps; k++)
			for (int i = 0; i < n; i++)
				sink += fn(v[i], buf);
		t = (now() - t0) / ((double) reps * n) * 1e9;
		if (t < best)
			best = t;
	}
	(void) sink;
	return best;
}

static int
compare(long n, uint64_t seed)
{
	char		got[N2P_DOUBLE_BUFSZ],
				want[N2P_DOUBLE_BUFSZ];
	long		bad = 0;

	for (long i = 0; i < n; i++)
	{
		double		d = random_double(&seed);

		n2p_format_double(d, got);
		ref_format_double(d, want);
		if (strcmp(got, want) != 0 && bad++ < 10)
			printf("%a: %s, reference %s\n", d, got, want);
	}
	printf("compared %ld random doubles: %ld differ\n", n, bad);
	return bad != 0;
}

int
main(int argc, char **argv)
{
	static double v[NVALUES];
	static const char *kinds[] = {
		"random bits (all exponents)",
		"-1.2345e-300",
		"17 digits, 1e-5 .. 2^53",
		"up to 6 decimals (k / 1e6)",
		"small integers",
	};
	int			rounds = argc > 1 ? atoi(argv[1]) : 5;
	uint64_t	x = 88172645463325252ull;

	if (argc > 2 && strcmp(argv[1], "compare") == 0)
		return compare(atol(argv[2]), argc > 3 ? strtoull(argv[3], NULL, 0) : x);
	if (rounds < 1)
	{
		fprintf(stderr, "usage: %s [ROUNDS] | compare N [SEED]\n", argv[0]);
		return 2;
	}
	printf("%-30s %10s %10s %8s\n", "doubles", "old ns", "new ns", "old/new");
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
	{
		double		old_ns,
					new_ns;

		for (int i = 0; i < NVALUES; i++)
		{
			uint64_t	r = next_random(&x);

			switch (k)
			{
				case 0:
					v[i] = random_double(&x);
					break;
				case 1:
					v[i] = -1.2345e-300;
					break;
				case 2:
					v[i] = (double) (r % 100000000) / (double) (3 + r % 9973);
					break;
				case 3:
					v[i] = (double) (int64_t) (r % 360000000 - 180000000) / 1e6;
					break;
				default:
					v[i] = (double) (r % 100000);
					break;
			}
		}
		old_ns = time_ns(ref_format_double, v, NVALUES, rounds);
		new_ns = time_ns(n2p_format_double, v, NVALUES, rounds);
		printf("%-30s %10.1f %10.1f %8.1f\n", kinds[k], old_ns, new_ns, old_ns / new_ns);
	}
	return 0;
}
