/*-------------------------------------------------------------------------
 *
 * json_speed.c
 *	  Measure how fast a chunk file is read: (a) inflate only, (b) inflate
 *	  plus n2p_json_next on every row, so the parser's cost can be stated
 *	  against zlib's.
 *
 * Usage: json_speed FILE [REPEAT]
 * A file whose first two bytes are the gzip magic is inflated.  Speeds are
 * in MB (10^6 bytes) of inflated JSON per second of wall-clock time; the
 * best of REPEAT runs (default 3) is reported.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  bench/json_speed.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "neo2pg/json.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static bool
is_gzip(const char *path)
{
	FILE	   *f = fopen(path, "rb");
	int			a,
				b;

	if (f == NULL)
		return false;
	a = fgetc(f);
	b = fgetc(f);
	fclose(f);
	return a == 0x1f && b == 0x8b;
}

/* Inflate (or just read) the whole file; returns bytes or -1. */
static long long
run_inflate(const char *path, bool gzip, N2pError *err)
{
	N2pInput   *in = n2p_input_open(path, gzip, &n2p_libc_allocator, err);
	long long	total = 0;
	const char *data;
	size_t		len;

	if (in == NULL)
		return -1;
	while (n2p_input_read(in, &data, &len, err) && len > 0)
		total += (long long) len;
	n2p_input_close(in);
	return err->code == N2P_OK ? total : -1;
}

/* Parse every row; returns rows or -1, and the inflated size in *bytes. */
static long long
run_parse(const char *path, bool gzip, long long *bytes, N2pError *err)
{
	N2pInput   *in = n2p_input_open(path, gzip, &n2p_libc_allocator, err);
	N2pJsonReader *r;
	N2pArena	arena;
	N2pValue	v;
	long long	rows = 0;
	int			rc;

	if (in == NULL)
		return -1;
	r = n2p_json_reader_new(in, &n2p_libc_allocator, err);
	if (r == NULL)
	{
		n2p_input_close(in);
		return -1;
	}
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	while ((rc = n2p_json_next(r, &arena, &v, err)) == 1)
	{
		rows++;
		n2p_arena_reset(&arena);
	}
	*bytes = (long long) n2p_json_offset(r);
	n2p_arena_destroy(&arena);
	n2p_json_reader_free(r);
	n2p_input_close(in);
	return rc == 0 ? rows : -1;
}

int
main(int argc, char **argv)
{
	const char *path;
	bool		gzip;
	int			repeat = 3;
	double		best_a = 1e30,
				best_b = 1e30;
	long long	bytes = 0,
				rows = 0;
	int			i;

	if (argc < 2)
	{
		fprintf(stderr, "usage: %s FILE [REPEAT]\n", argv[0]);
		return 2;
	}
	path = argv[1];
	if (argc > 2)
		repeat = atoi(argv[2]);
	gzip = is_gzip(path);
	for (i = 0; i < repeat; i++)
	{
		N2pError	err;
		double		t0;

		n2p_error_init(&err);
		t0 = now();
		if ((bytes = run_inflate(path, gzip, &err)) < 0)
		{
			fprintf(stderr, "error: %s\n", err.msg);
			return 1;
		}
		if (now() - t0 < best_a)
			best_a = now() - t0;
		t0 = now();
		if ((rows = run_parse(path, gzip, &bytes, &err)) < 0)
		{
			fprintf(stderr, "error: %s\n", err.msg);
			return 1;
		}
		if (now() - t0 < best_b)
			best_b = now() - t0;
	}
	printf("file: %s (%s), %.1f MB JSON, %lld rows\n", path,
		   gzip ? "gzip" : "plain", bytes / 1e6, rows);
	printf("(a) %-15s %8.1f MB/s  %.3f s\n", gzip ? "inflate" : "read",
		   bytes / 1e6 / best_a, best_a);
	printf("(b) %-15s %8.1f MB/s  %.3f s\n", gzip ? "inflate+parse" : "read+parse",
		   bytes / 1e6 / best_b, best_b);
	if (best_b > best_a)
		printf("    parse alone     %8.1f MB/s (estimated as b - a)\n",
			   bytes / 1e6 / (best_b - best_a));
	return 0;
}
