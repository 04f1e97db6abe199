/*-------------------------------------------------------------------------
 *
 * test_tzdb.c
 *	  Unit tests of the tz database reader: POSIX TZ rules (northern and
 *	  southern daylight time, negative daylight time, half-hour shifts,
 *	  negative transition times, all-year daylight time), TZif files made
 *	  here byte by byte (offsets before, at and after transitions, the
 *	  footer's rule beyond the last one, and broken files refused), and
 *	  the host's files, checked against glibc's reading of the same files
 *	  for every zone of zone1970.tab at thousands of instants.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  test/unit/test_tzdb.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "neo2pg/tzdb.h"
#include "neo2pg/value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "test_support.h"

#define H 3600

/* UTC seconds of a civil date and time. */
static int64_t
utc(int y, int mo, int d, int h, int mi, int s)
{
	return n2p_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

static N2pTzRule
rule(const char *text)
{
	N2pTzRule	r;

	assert_true(n2p_tz_rule_parse(text, strlen(text), &r));
	return r;
}

/* The offset just before and at a transition instant. */
static void
assert_switch(const N2pTzRule *r, int64_t t, int32_t before, int32_t after)
{
	assert_int_equal(n2p_tz_rule_offset(r, t - 1), before);
	assert_int_equal(n2p_tz_rule_offset(r, t), after);
}

/* ---------------------------------------------------------- POSIX rules */

static void
test_rule_northern(void **state)
{
	N2pTzRule	r = rule("EST5EDT,M3.2.0,M11.1.0");

	(void) state;
	assert_int_equal(r.std_off, -5 * H);
	assert_int_equal(r.dst_off, -4 * H);
	/* 2024: second Sunday of March, first Sunday of November, 02:00 local */
	assert_switch(&r, utc(2024, 3, 10, 7, 0, 0), -5 * H, -4 * H);
	assert_switch(&r, utc(2024, 11, 3, 6, 0, 0), -4 * H, -5 * H);
	assert_int_equal(n2p_tz_rule_offset(&r, utc(2024, 1, 1, 3, 0, 0)), -5 * H);
	assert_int_equal(n2p_tz_rule_offset(&r, utc(2024, 12, 31, 23, 0, 0)), -5 * H);
	assert_int_equal(n2p_tz_rule_offset(&r, utc(2025, 1, 1, 2, 0, 0)), -5 * H);
	/* far future: 2299-03-12 is its second Sunday of March */
	assert_switch(&r, utc(2299, 3, 12, 7, 0, 0), -5 * H, -4 * H);
	/* half-hour and negative: St. John's */
	r = rule("NST3:30NDT,M3.2.0,M11.1.0");
	assert_int_equal(r.std_off, -(3 * H + 1800));
	assert_switch(&r, utc(2024, 3, 10, 5, 30, 0), -(3 * H + 1800), -(2 * H + 1800));
}

static void
test_rule_southern(void **state)
{
	/* Sydney: daylight time from October to April, across the new year */
	N2pTzRule	r = rule("AEST-10AEDT,M10.1.0,M4.1.0/3");

	(void) state;
	assert_int_equal(n2p_tz_rule_offset(&r, utc(2024, 1, 15, 0, 0, 0)), 11 * H);
	assert_int_equal(n2p_tz_rule_offset(&r, utc(2023, 12, 31, 14, 0, 0)), 11 * H);
	assert_int_equal(n2p_tz_rule_offset(&r, utc(2024, 7, 1, 0, 0, 0)), 10 * H);
	assert_switch(&r, utc(2024, 4, 6, 16, 0, 0), 11 * H, 10 * H);
	assert_switch(&r, utc(2024, 10, 5, 16, 0, 0), 10 * H, 11 * H);
	/* Lord Howe: half an hour of daylight time */
	r = rule("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0");
	assert_int_equal(r.std_off, 10 * H + 1800);
	assert_int_equal(r.dst_off, 11 * H);
	assert_switch(&r, utc(2024, 4, 6, 15, 0, 0), 11 * H, 10 * H + 1800);
	assert_switch(&r, utc(2024, 10, 5, 15, 30, 0), 10 * H + 1800, 11 * H);
	/* Chatham: +12:45 and +13:45 */
	r = rule("<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45");
	assert_int_equal(n2p_tz_rule_offset(&r, utc(2024, 1, 1, 0, 0, 0)), 13 * H + 2700);
	assert_int_equal(n2p_tz_rule_offset(&r, utc(2024, 6, 1, 0, 0, 0)), 12 * H + 2700);
}

static void
test_rule_negative_dst(void **state)
{
	/* Dublin: IST (+1) is standard time, GMT its winter "daylight" time */
	N2pTzRule	r = rule("IST-1GMT0,M10.5.0,M3.5.0/1");

	(void) state;
	assert_int_equal(r.std_off, H);
	assert_int_equal(r.dst_off, 0);
	assert_switch(&r, utc(2024, 3, 31, 1, 0, 0), 0, H);
	assert_switch(&r, utc(2024, 10, 27, 1, 0, 0), H, 0);
	assert_int_equal(n2p_tz_rule_offset(&r, utc(2024, 1, 1, 0, 0, 0)), 0);
	assert_int_equal(n2p_tz_rule_offset(&r, utc(2024, 7, 1, 0, 0, 0)), H);
}

static void
test_rule_day_forms(void **state)
{
	/* Nuuk since 2023: the switch at -1:00, Saturday 23:00 local */
	N2pTzRule	r = rule("<-02>2<-01>,M3.5.0/-1,M10.5.0/0");

	(void) state;
	assert_switch(&r, utc(2024, 3, 31, 1, 0, 0), -2 * H, -H);
	assert_switch(&r, utc(2024, 10, 27, 1, 0, 0), -H, -2 * H);
	/* Jn never counts February 29: J60 is March 1 */
	r = rule("AAA0BBB,J60/0,J300/0");
	assert_switch(&r, utc(2024, 3, 1, 0, 0, 0), 0, H);
	assert_switch(&r, utc(2023, 3, 1, 0, 0, 0), 0, H);
	assert_switch(&r, utc(2024, 10, 27, 0, 0, 0) - H, H, 0);
	/* n counts it: day 59 is February 29 in a leap year */
	r = rule("AAA0BBB,59/0,300/0");
	assert_switch(&r, utc(2024, 2, 29, 0, 0, 0), 0, H);
	assert_switch(&r, utc(2023, 3, 1, 0, 0, 0), 0, H);
	/* daylight time all year (Casablanca-like permanent forms) */
	r = rule("EST5EDT,0/0,J365/25");
	assert_int_equal(n2p_tz_rule_offset(&r, utc(2024, 1, 1, 0, 0, 0)), -4 * H);
	assert_int_equal(n2p_tz_rule_offset(&r, utc(2024, 12, 31, 23, 59, 59)), -4 * H);
	assert_int_equal(n2p_tz_rule_offset(&r, utc(2025, 1, 1, 4, 30, 0)), -4 * H);
	/* no daylight time, and an offset with seconds */
	r = rule("<+0530>-5:30");
	assert_false(r.has_dst);
	assert_int_equal(n2p_tz_rule_offset(&r, 0), 5 * H + 1800);
	r = rule("LMT-0:19:32");
	assert_int_equal(n2p_tz_rule_offset(&r, 0), 1172);
}

static void
test_rule_refused(void **state)
{
	static const char *const bad[] = {
		"", "EST", "ES5", "EST5EDT", "<+03", "<>3", "EST25", "EST5EDT,M13.1.0,M11.1.0",
		"EST5EDT,M3.6.0,M11.1.0", "EST5EDT,M3.2.7,M11.1.0", "EST5EDT,J0,J300", "EST5EDT,366,300",
		"EST5EDT,M3.2.0/168,M11.1.0", "EST5EDT,M3.2.0", "EST5EDT,M3.2.0,M11.1.0x", "EST5:60",
		"EST5EDT4,", "5EST",
	};
	size_t		i;
	N2pTzRule	r;

	(void) state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (n2p_tz_rule_parse(bad[i], strlen(bad[i]), &r))
			fail_msg("accepted \"%s\"", bad[i]);
}

/* ------------------------------------------------------- crafted TZif */

typedef struct Tzif
{
	uint8_t		b[4096];
	size_t		n;
} Tzif;

static void
put32(Tzif *t, uint32_t v)
{
	t->b[t->n++] = (uint8_t) (v >> 24);
	t->b[t->n++] = (uint8_t) (v >> 16);
	t->b[t->n++] = (uint8_t) (v >> 8);
	t->b[t->n++] = (uint8_t) v;
}

static void
put_header(Tzif *t, char version, uint32_t leaps, uint32_t times, uint32_t types)
{
	memcpy(t->b + t->n, "TZif", 4);
	t->b[t->n + 4] = (uint8_t) version;
	memset(t->b + t->n + 5, 0, 15);
	t->n += 20;
	put32(t, 0);				/* isutcnt */
	put32(t, 0);				/* isstdcnt */
	put32(t, leaps);
	put32(t, times);
	put32(t, types);
	put32(t, 4);				/* charcnt: "AAA\0" */
}

/*
 * A version 2 file: an empty 32-bit block, then the 64-bit one with
 * these transitions and offsets (type i is offs[i]), then the footer.
 */
static void
make_tzif(Tzif *t, const int64_t *times, const uint8_t *idx, size_t ntimes, const int32_t *offs,
		  size_t ntypes, const char *footer)
{
	size_t		i;

	t->n = 0;
	put_header(t, '2', 0, 0, 1);
	put32(t, 0);				/* one type, utoff 0 */
	t->b[t->n++] = 0;
	t->b[t->n++] = 0;
	memcpy(t->b + t->n, "AAA", 4);
	t->n += 4;
	put_header(t, '2', 0, (uint32_t) ntimes, (uint32_t) ntypes);
	for (i = 0; i < ntimes; i++)
	{
		put32(t, (uint32_t) ((uint64_t) times[i] >> 32));
		put32(t, (uint32_t) times[i]);
	}
	for (i = 0; i < ntimes; i++)
		t->b[t->n++] = idx[i];
	for (i = 0; i < ntypes; i++)
	{
		put32(t, (uint32_t) offs[i]);
		t->b[t->n++] = 0;
		t->b[t->n++] = 0;
	}
	memcpy(t->b + t->n, "AAA", 4);
	t->n += 4;
	t->b[t->n++] = '\n';
	memcpy(t->b + t->n, footer, strlen(footer));
	t->n += strlen(footer);
	t->b[t->n++] = '\n';
}

static void
test_tzif_crafted(void **state)
{
	/* LMT +0:19:32 before 1900; -3 then +1; from 2000 the footer's +2/+3 */
	int64_t		times[] = {-2208988800LL, 0, 946684800};
	uint8_t		idx[] = {1, 2, 3};
	int32_t		offs[] = {1172, -3 * H, H, 2 * H};
	Tzif		t;
	N2pArena	arena;
	N2pTzZone	z;
	N2pError	err;
	int64_t		next;

	(void) state;
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	n2p_error_init(&err);
	make_tzif(&t, times, idx, 3, offs, 4, "EET-2EEST,M3.5.0/3,M10.5.0/4");
	assert_true(n2p_tz_zone_parse(t.b, t.n, &arena, &z, &err));
	assert_int_equal(z.ntrans, 3);
	assert_int_equal(n2p_tz_zone_offset(&z, INT64_MIN / 2), 1172);
	assert_int_equal(n2p_tz_zone_offset(&z, -2208988801LL), 1172);
	assert_int_equal(n2p_tz_zone_offset(&z, -2208988800LL), -3 * H);
	assert_int_equal(n2p_tz_zone_offset(&z, -1), -3 * H);
	assert_int_equal(n2p_tz_zone_offset(&z, 0), H);
	assert_int_equal(n2p_tz_zone_offset(&z, 946684799), H);
	/* the last transition's type, then the footer's rule */
	assert_int_equal(n2p_tz_zone_offset(&z, 946684800), 2 * H);
	assert_int_equal(n2p_tz_zone_offset(&z, utc(2000, 7, 1, 0, 0, 0)), 3 * H);
	assert_int_equal(n2p_tz_zone_offset(&z, utc(2400, 7, 1, 0, 0, 0)), 3 * H);
	assert_int_equal(n2p_tz_zone_offset(&z, utc(2400, 12, 1, 0, 0, 0)), 2 * H);
	/* the next change: a transition of the file, then of the rule */
	assert_true(n2p_tz_zone_next(&z, -5, &next));
	assert_int_equal(next, 0);
	assert_true(n2p_tz_zone_next(&z, 0, &next));
	assert_int_equal(next, 946684800);
	assert_true(n2p_tz_zone_next(&z, 946684800, &next));
	assert_int_equal(next, utc(2000, 3, 26, 1, 0, 0));
	assert_true(n2p_tz_zone_next(&z, next, &next));
	assert_int_equal(next, utc(2000, 10, 29, 1, 0, 0));

	/* an empty footer: the last type holds for ever */
	make_tzif(&t, times, idx, 3, offs, 4, "");
	assert_true(n2p_tz_zone_parse(t.b, t.n, &arena, &z, &err));
	assert_false(z.has_rule);
	assert_int_equal(n2p_tz_zone_offset(&z, utc(2400, 7, 1, 0, 0, 0)), 2 * H);
	assert_false(n2p_tz_zone_next(&z, 946684800, &next));

	/* no transitions: the footer, else type 0 */
	make_tzif(&t, NULL, NULL, 0, offs + 1, 1, "<-03>3");
	assert_true(n2p_tz_zone_parse(t.b, t.n, &arena, &z, &err));
	assert_int_equal(n2p_tz_zone_offset(&z, 0), -3 * H);
	make_tzif(&t, NULL, NULL, 0, offs + 2, 1, "");
	assert_true(n2p_tz_zone_parse(t.b, t.n, &arena, &z, &err));
	assert_int_equal(n2p_tz_zone_offset(&z, 0), H);
	n2p_arena_destroy(&arena);
}

static void
assert_refused(const Tzif *t, const char *why)
{
	N2pArena	arena;
	N2pTzZone	z;
	N2pError	err;

	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	n2p_error_init(&err);
	assert_false(n2p_tz_zone_parse(t->b, t->n, &arena, &z, &err));
	if (strstr(err.msg, why) == NULL)
		fail_msg("\"%s\" is not about \"%s\"", err.msg, why);
	n2p_arena_destroy(&arena);
}

static void
test_tzif_refused(void **state)
{
	int64_t		times[] = {0, 100};
	uint8_t		idx[] = {1, 0};
	int32_t		offs[] = {0, H};
	Tzif		t,
				good;
	size_t		cut;

	(void) state;
	make_tzif(&good, times, idx, 2, offs, 2, "");
	for (cut = 0; cut < good.n; cut++)
	{
		t = good;
		t.n = cut;
		assert_refused(&t, "");
	}
	t = good;
	t.b[0] = 'X';
	assert_refused(&t, "not a TZif file");
	t = good;
	t.b[4] = 0;
	assert_refused(&t, "version 1");
	/* leap seconds: the 64-bit header's count, with room for them */
	t.n = 0;
	put_header(&t, '2', 0, 0, 1);
	put32(&t, 0);
	t.b[t.n++] = 0;
	t.b[t.n++] = 0;
	memcpy(t.b + t.n, "AAA", 4);
	t.n += 4;
	put_header(&t, '2', 1, 0, 1);
	put32(&t, 0);
	t.b[t.n++] = 0;
	t.b[t.n++] = 0;
	memcpy(t.b + t.n, "AAA", 4);
	t.n += 4;
	memset(t.b + t.n, 0, 12);
	t.n += 12;
	memcpy(t.b + t.n, "\n\n", 2);
	t.n += 2;
	assert_refused(&t, "leap seconds");
	/* transitions out of order, a type out of range, a bad footer */
	times[1] = 0;
	make_tzif(&t, times, idx, 2, offs, 2, "");
	assert_refused(&t, "out of order");
	times[1] = 100;
	idx[1] = 2;
	make_tzif(&t, times, idx, 2, offs, 2, "");
	assert_refused(&t, "out of order");
	idx[1] = 0;
	make_tzif(&t, times, idx, 2, offs, 2, "EST5EDT");
	assert_refused(&t, "POSIX TZ rule");
	offs[1] = 19 * H;
	make_tzif(&t, times, idx, 2, offs, 2, "");
	assert_refused(&t, "18 hours");
	offs[1] = H;
	make_tzif(&t, times, idx, 2, offs, 2, "");
	t.b[t.n - 1] = 'x';
	assert_refused(&t, "newlines");
	/* a typecnt of 0 */
	make_tzif(&t, NULL, NULL, 0, offs, 0, "");
	assert_refused(&t, "impossible counts");
}

/* ------------------------------------------------------- host's files */

/* An N2pFileIO whose opens are counted, to see the cache at work. */
static int opens;

static void *
counting_open(const char *path, void *ctx, int *errnum)
{
	opens++;
	return n2p_posix_io.open(path, ctx, errnum);
}

static void
test_host_zones(void **state)
{
	N2pFileIO	io = n2p_posix_io;
	N2pTzdb    *db;
	const N2pTzZone *z;

	(void) state;
	io.open = counting_open;
	db = n2p_tzdb_open(&n2p_libc_allocator, &io, NULL);
	assert_non_null(db);
	z = n2p_tzdb_zone(db, "America/New_York", 16);
	assert_non_null(z);
	assert_int_equal(n2p_tz_zone_offset(z, utc(2024, 7, 1, 0, 0, 0)), -4 * H);
	assert_int_equal(n2p_tz_zone_offset(z, utc(1970, 1, 1, 0, 0, 0)), -5 * H);
	/* beyond the file's last transition, the footer */
	assert_int_equal(n2p_tz_zone_offset(z, utc(2999, 7, 1, 0, 0, 0)), -4 * H);
	assert_int_equal(n2p_tz_zone_offset(z, utc(2999, 12, 1, 0, 0, 0)), -5 * H);
	z = n2p_tzdb_zone(db, "Australia/Lord_Howe", 19);
	assert_non_null(z);
	assert_int_equal(n2p_tz_zone_offset(z, utc(2030, 1, 1, 0, 0, 0)), 11 * H);
	assert_int_equal(n2p_tz_zone_offset(z, utc(2030, 7, 1, 0, 0, 0)), 10 * H + 1800);
	z = n2p_tzdb_zone(db, "Europe/Dublin", 13);
	assert_non_null(z);
	assert_int_equal(n2p_tz_zone_offset(z, utc(2090, 1, 1, 0, 0, 0)), 0);
	assert_int_equal(n2p_tz_zone_offset(z, utc(2090, 7, 1, 0, 0, 0)), H);
	/* British Standard Time: +1 all year from 1968-10-27 to 1971-10-31 */
	z = n2p_tzdb_zone(db, "Europe/London", 13);
	assert_int_equal(n2p_tz_zone_offset(z, utc(1970, 1, 1, 0, 0, 0)), H);
	/* once read, a zone is not read again, and neither is a missing one */
	opens = 0;
	assert_non_null(n2p_tzdb_zone(db, "Europe/London", 13));
	assert_null(n2p_tzdb_zone(db, "Nowhere/Zone", 12));
	assert_null(n2p_tzdb_zone(db, "Nowhere/Zone", 12));
	assert_int_equal(opens, 1);
	/* names that could reach another file are never opened */
	opens = 0;
	assert_null(n2p_tzdb_zone(db, "../../etc/passwd", 16));
	assert_null(n2p_tzdb_zone(db, "/etc/passwd", 11));
	assert_null(n2p_tzdb_zone(db, "Europe//London", 14));
	assert_null(n2p_tzdb_zone(db, "Europe/London/", 14));
	assert_null(n2p_tzdb_zone(db, "Europe/London\0x", 15));
	assert_null(n2p_tzdb_zone(db, "", 0));
	assert_int_equal(opens, 0);
	/* a directory, and a file that is not TZif */
	assert_null(n2p_tzdb_zone(db, "America", 7));
	assert_null(n2p_tzdb_zone(db, "leapseconds", 11));
	n2p_tzdb_close(db);
	/* a directory with no zones answers for none */
	db = n2p_tzdb_open(&n2p_libc_allocator, &n2p_posix_io, "/nonexistent");
	assert_null(n2p_tzdb_zone(db, "Europe/London", 13));
	n2p_tzdb_close(db);
}

/* glibc's offset of a zone at t, from the same files. */
static long
glibc_offset(time_t t)
{
	struct tm	tm;

	assert_non_null(localtime_r(&t, &tm));
	return tm.tm_gmtoff;
}

/*
 * Every zone of zone1970.tab against glibc at instants 1901 to 2200, a
 * prime step apart, and at every transition and the second before it.
 */
static void
test_host_against_glibc(void **state)
{
	FILE	   *tab = fopen("/usr/share/zoneinfo/zone1970.tab", "r");
	N2pTzdb    *db = n2p_tzdb_open(&n2p_libc_allocator, &n2p_posix_io, NULL);
	char		line[1024];
	int			zones = 0;
	long		checked = 0;

	(void) state;
	assert_non_null(tab);
	while (fgets(line, sizeof(line), tab))
	{
		char	   *name;
		const N2pTzZone *z;
		int64_t		t;

		if (line[0] == '#' || (name = strchr(line, '\t')) == NULL || (name = strchr(name + 1, '\t')) == NULL)
			continue;
		name++;
		name[strcspn(name, "\t\n")] = '\0';
		z = n2p_tzdb_zone(db, name, strlen(name));
		if (z == NULL)
			fail_msg("no zone %s", name);
		setenv("TZ", name, 1);
		tzset();
		for (t = utc(1901, 1, 1, 0, 0, 0); t < utc(2200, 1, 1, 0, 0, 0); t += 86400 * 7 + 3607, checked++)
			if (n2p_tz_zone_offset(z, t) != glibc_offset((time_t) t))
				fail_msg("%s at %lld: %d, glibc %ld", name, (long long) t, n2p_tz_zone_offset(z, t),
						 glibc_offset((time_t) t));
		for (t = utc(1901, 1, 1, 0, 0, 0); n2p_tz_zone_next(z, t, &t) && t < utc(2200, 1, 1, 0, 0, 0);
			 checked += 2)
			if (n2p_tz_zone_offset(z, t) != glibc_offset((time_t) t) ||
				n2p_tz_zone_offset(z, t - 1) != glibc_offset((time_t) t - 1))
				fail_msg("%s at the change at %lld", name, (long long) t);
		zones++;
	}
	fclose(tab);
	n2p_tzdb_close(db);
	unsetenv("TZ");
	assert_true(zones > 300);
	print_message("%d zones, %ld instants as glibc reads them\n", zones, checked);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_northern),
		cmocka_unit_test(test_rule_southern),
		cmocka_unit_test(test_rule_negative_dst),
		cmocka_unit_test(test_rule_day_forms),
		cmocka_unit_test(test_rule_refused),
		cmocka_unit_test(test_tzif_crafted),
		cmocka_unit_test(test_tzif_refused),
		cmocka_unit_test(test_host_zones),
		cmocka_unit_test(test_host_against_glibc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
