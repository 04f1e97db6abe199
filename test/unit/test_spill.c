/*-------------------------------------------------------------------------
 *
 * test_spill.c
 *	  Unit tests of the spill file: every value type comes back bit for
 *	  bit, the key dictionary is reused and bounded, and cut, corrupt or
 *	  out-of-memory reads fail cleanly.
 *
 * Cut and corrupt files are made through /proc/self/fd: the file is
 * unlinked and its descriptor is private to spill.c.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  test/unit/test_spill.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "neo2pg/spill.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_support.h"

/* ------------------------------------------------------------- helpers */

static bool
same_double(double a, double b)
{
	return memcmp(&a, &b, sizeof(double)) == 0;
}

static bool
same_str(N2pStr a, N2pStr b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

/* Equal in every field the type gives a meaning to, floats bit for bit. */
static bool
same_value(const N2pValue *a, const N2pValue *b)
{
	size_t		i;

	if (a->type != b->type)
		return false;
	switch (a->type)
	{
		case N2P_NULL:
			return true;
		case N2P_BOOL:
			return a->u.b == b->u.b;
		case N2P_INT:
			return a->u.i == b->u.i;
		case N2P_FLOAT:
			return same_double(a->u.f, b->u.f) && b->u.fnum.text == NULL;
		case N2P_STRING:
		case N2P_BYTES:
			return same_str(a->u.str, b->u.str);
		case N2P_LIST:
			if (a->u.list.n != b->u.list.n || b->u.list.items == NULL)
				return false;
			for (i = 0; i < a->u.list.n; i++)
				if (!same_value(&a->u.list.items[i], &b->u.list.items[i]))
					return false;
			return true;
		case N2P_MAP:
			if (a->u.map.n != b->u.map.n || b->u.map.keys == NULL || b->u.map.vals == NULL)
				return false;
			for (i = 0; i < a->u.map.n; i++)
				if (!same_str(a->u.map.keys[i], b->u.map.keys[i]) ||
					!same_value(&a->u.map.vals[i], &b->u.map.vals[i]))
					return false;
			return true;
		case N2P_DATE:
			return a->u.date == b->u.date;
		case N2P_TIME:
			return a->u.time.nanos == b->u.time.nanos && a->u.time.offset == b->u.time.offset;
		case N2P_LOCALTIME:
			return a->u.time.nanos == b->u.time.nanos;
		case N2P_DATETIME:
			return a->u.dt.secs == b->u.dt.secs && a->u.dt.nanos == b->u.dt.nanos &&
				a->u.dt.offset == b->u.dt.offset && same_str(a->u.dt.zone, b->u.dt.zone);
		case N2P_LOCALDATETIME:
			return a->u.dt.secs == b->u.dt.secs && a->u.dt.nanos == b->u.dt.nanos;
		case N2P_DURATION:
			return a->u.dur.months == b->u.dur.months && a->u.dur.days == b->u.dur.days &&
				a->u.dur.secs == b->u.dur.secs && a->u.dur.nanos == b->u.dur.nanos;
		case N2P_POINT:
			return a->u.point.srid == b->u.point.srid &&
				same_double(a->u.point.x, b->u.point.x) &&
				same_double(a->u.point.y, b->u.point.y) &&
				same_double(a->u.point.z, b->u.point.z);
		case N2P_STRUCT:
			/* never in a record */
			return false;
	}
	return false;
}

static void
assert_same_record(const N2pRecord *a, const N2pRecord *b)
{
	size_t		i;

	assert_int_equal(a->kind, b->kind);
	assert_true(a->id == b->id);
	assert_int_equal(a->nlabels, b->nlabels);
	assert_non_null(b->labels);
	for (i = 0; i < a->nlabels; i++)
		assert_true(same_str(a->labels[i], b->labels[i]));
	assert_true(same_str(a->type, b->type));
	assert_non_null(b->type.ptr);
	assert_true(a->start_id == b->start_id);
	assert_true(a->end_id == b->end_id);
	assert_true(same_value(&a->props, &b->props));
}

static N2pSpill *
new_spill(void)
{
	N2pError	err;
	N2pSpill   *sp;

	n2p_error_init(&err);
	sp = n2p_spill_new(&n2p_libc_allocator, &n2p_posix_io, &err);
	assert_non_null(sp);
	return sp;
}

static void
write_ok(N2pSpill *sp, const N2pRecord *rec)
{
	N2pError	err;

	n2p_error_init(&err);
	if (!n2p_spill_write(sp, rec, &err))
		fail_msg("write: %s", err.msg);
}

static void
rewind_ok(N2pSpill *sp)
{
	N2pError	err;

	n2p_error_init(&err);
	assert_true(n2p_spill_rewind(sp, &err));
}

static void
read_same(N2pSpill *sp, const N2pRecord *want)
{
	N2pError	err;
	N2pRecord	back;
	int			rc;

	n2p_error_init(&err);
	rc = n2p_spill_read(sp, &back, &err);
	if (rc != 1)
		fail_msg("read: %d %s", rc, err.msg);
	assert_same_record(want, &back);
}

static void
read_end(N2pSpill *sp)
{
	N2pError	err;
	N2pRecord	back;

	n2p_error_init(&err);
	assert_int_equal(n2p_spill_read(sp, &back, &err), 0);
}

/* The descriptor of the only spill file open: the test holds no other. */
static int
spill_fd(void)
{
	DIR		   *d = opendir("/proc/self/fd");
	struct dirent *e;
	int			found = -1;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
	{
		char		link[300],
					target[4096];
		ssize_t		n;

		snprintf(link, sizeof(link), "/proc/self/fd/%s", e->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (strstr(target, "neo2pg-spill-") != NULL)
		{
			assert_int_equal(found, -1);
			found = atoi(e->d_name);
		}
	}
	closedir(d);
	assert_true(found >= 0);
	return found;
}

/* -------------------------------------------------------------- records */

#define NVALS 40

typedef struct Sample
{
	N2pStr		keys[NVALS];
	N2pValue	vals[NVALS];
	N2pValue	inner[4];
	N2pValue	deep[3];
	N2pStr		inner_keys[2];
	N2pValue	inner_vals[2];
	N2pStr		labels[3];
	N2pRecord	node;
	N2pRecord	rel;
} Sample;

static void
temporal_values(N2pValue *v)
{
	v[0] = (N2pValue) {.type = N2P_DATE, .u.date = INT64_MIN};
	v[1] = (N2pValue) {.type = N2P_DATE, .u.date = INT64_MAX};
	v[2] = (N2pValue) {.type = N2P_TIME, .u.time = {86400000000000, INT32_MIN}};
	v[3] = (N2pValue) {.type = N2P_TIME, .u.time = {-1, INT32_MAX}};
	v[4] = (N2pValue) {.type = N2P_LOCALTIME, .u.time = {INT64_MAX, 0}};
	v[5] = (N2pValue) {.type = N2P_DATETIME, .u.dt = {INT64_MIN, INT32_MAX, -64800, {"Europe/Paris", 12}}};
	v[6] = (N2pValue) {.type = N2P_DATETIME, .u.dt = {INT64_MAX, INT32_MIN, INT32_MAX, {"", 0}}};
	v[7] = (N2pValue) {.type = N2P_LOCALDATETIME, .u.dt = {-1, 999999999, 0, {"", 0}}};
	v[8] = (N2pValue) {.type = N2P_DURATION, .u.dur = {INT64_MIN, INT64_MAX, INT64_MIN, INT32_MAX}};
	v[9] = (N2pValue) {.type = N2P_DURATION, .u.dur = {-14, 23, -1, -1}};
}

static void
scalar_values(N2pValue *v)
{
	v[0] = v_null();
	v[1] = v_bool(true);
	v[2] = v_bool(false);
	v[3] = v_int(INT64_MIN);
	v[4] = v_int(INT64_MAX);
	v[5] = v_int(0);
	v[6] = v_int(-1);
	/* floats read from text: only the double is kept, the token is dropped */
	v[7] = v_float_text(NAN, "NaN");
	v[8] = v_float_text(-0.0, "-0.0");
	v[9] = v_float_text(INFINITY, "Infinity");
	v[10] = v_float_text(-INFINITY, "-Infinity");
	v[11] = v_float_text(5e-324, "5e-324");
	v[12] = v_str("", 0);
	v[13] = v_str("a\0b\0", 4);
	v[14] = v_cstr("Zürich");
	v[15] = v_bytes("\xff\x00\x80", 3);
	v[16] = v_bytes("", 0);
	v[17] = v_point(N2P_SRID_WGS84, 56.0, -12.5, 0.0);
	v[18] = v_point(N2P_SRID_CARTESIAN, NAN, -0.0, -0.0);	/* a 2-D point whose z is not 0 */
	v[19] = v_point(N2P_SRID_WGS84_3D, 1.0, 2.0, 3.0);
	v[20] = v_point(N2P_SRID_CARTESIAN_3D, 1.0, 2.0, 0.0);
	v[21] = v_point(INT32_MIN, INFINITY, 0.0, NAN);
	v[22] = v_point(-1, 0.0, 0.0, 0.0);
	temporal_values(v + 23);
}

static void
make_sample(Sample *s)
{
	static const char *const names[NVALS] = {
		"null", "t", "f", "min", "max", "zero", "minus", "nan", "negzero", "inf", "neginf",
		"tiny", "empty", "nuls", "utf8", "bytes", "nobytes", "p2", "p2z", "p3", "p3zero",
		"pmin", "pneg", "dmin", "dmax", "time24", "timeneg", "lt", "dtmin", "dtmax", "ldt",
		"durmax", "dur", "list", "map", "nested", "", "k\0nul", "emptylist", "emptymap"};
	int			i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < NVALS; i++)
		s->keys[i] = (N2pStr) {names[i], i == 37 ? 5 : strlen(names[i])};
	scalar_values(s->vals);
	s->inner[0] = v_int(7);
	s->inner[1] = v_str("x", 1);
	s->inner[2] = v_point(N2P_SRID_WGS84, 1.0, 2.0, 0.0);
	s->inner[3] = v_float_text(-0.0, "-0.0");
	s->inner_keys[0] = s_cstr("a");
	s->inner_keys[1] = s_cstr("name");	/* also a top-level key elsewhere */
	s->inner_vals[0] = v_list(s->inner, 2);
	s->inner_vals[1] = v_null();
	s->deep[0] = v_list(s->inner, 4);
	s->deep[1] = v_map(s->inner_keys, s->inner_vals, 2);
	s->deep[2] = v_list(s->deep, 2);
	s->vals[33] = v_list(s->inner, 4);
	s->vals[34] = v_map(s->inner_keys, s->inner_vals, 2);
	s->vals[35] = v_list(s->deep, 3);
	s->vals[36] = v_int(36);
	s->vals[37] = v_int(37);
	s->vals[38] = v_list(NULL, 0);
	s->vals[39] = v_map(NULL, NULL, 0);
	s->labels[0] = s_cstr("Person");
	s->labels[1] = s_cstr("director");
	s->labels[2] = s_cstr("");
	s->node = (N2pRecord) {.kind = N2P_REC_NODE, .id = 42, .labels = s->labels, .nlabels = 3,
		.props = v_map(s->keys, s->vals, NVALS)};
	s->rel = (N2pRecord) {.kind = N2P_REC_REL, .id = 7, .type = s_cstr("KNOWS"), .start_id = INT64_MIN,
		.end_id = INT64_MAX, .props = v_map(s->keys, s->vals, 5)};
}

/* ---------------------------------------------------------------- tests */

static void
test_every_type(void **state)
{
	Sample		s;
	N2pSpill   *sp = new_spill();
	N2pRecord	empty_rel,
				bare_node;

	(void) state;
	make_sample(&s);
	empty_rel = (N2pRecord) {.kind = N2P_REC_REL, .id = -5, .type = s_cstr(""),
		.props = v_map(NULL, NULL, 0)};
	bare_node = (N2pRecord) {.kind = N2P_REC_NODE, .id = INT64_MIN, .props = v_map(NULL, NULL, 0)};
	write_ok(sp, &s.node);
	write_ok(sp, &s.rel);
	write_ok(sp, &empty_rel);
	write_ok(sp, &bare_node);
	s.node.id = INT64_MAX;
	write_ok(sp, &s.node);
	rewind_ok(sp);
	s.node.id = 42;
	read_same(sp, &s.node);
	/* a rewind half-way starts over, dictionary included */
	rewind_ok(sp);
	read_same(sp, &s.node);
	read_same(sp, &s.rel);
	read_same(sp, &empty_rel);
	read_same(sp, &bare_node);
	s.node.id = INT64_MAX;
	read_same(sp, &s.node);
	read_end(sp);
	read_end(sp);
	/* a second pass gives the same */
	rewind_ok(sp);
	s.node.id = 42;
	read_same(sp, &s.node);
	n2p_spill_free(sp);
}

/* Keys, labels and types are written once; a record that repeats them is small. */
static void
test_dictionary_reuse(void **state)
{
	Sample		s;
	N2pSpill   *sp = new_spill();
	uint64_t	first,
				second,
				before;
	int			i;

	(void) state;
	make_sample(&s);
	s.node.props.u.map.n = 7;	/* null .. minus: keys and small values */
	write_ok(sp, &s.node);
	first = n2p_spill_bytes(sp);
	write_ok(sp, &s.node);
	second = n2p_spill_bytes(sp) - first;
	assert_true(second < first - 20);
	assert_true(second <= 50);
	before = n2p_spill_bytes(sp);
	for (i = 0; i < 20000; i++)
	{
		s.node.id = 100 + i;
		s.rel.id = 100000 + i;
		write_ok(sp, (i % 3) ? &s.node : &s.rel);
	}
	/* well past the 64 kB written at once */
	assert_true(n2p_spill_bytes(sp) - before > 200000);
	rewind_ok(sp);
	s.node.id = 42;
	read_same(sp, &s.node);
	read_same(sp, &s.node);
	for (i = 0; i < 20000; i++)
	{
		s.node.id = 100 + i;
		s.rel.id = 100000 + i;
		read_same(sp, (i % 3) ? &s.node : &s.rel);
	}
	read_end(sp);
	n2p_spill_free(sp);
}

/* Record i of a file whose keys are all different: short ones, or long ones. */
static void
distinct_keys(int i, bool long_keys, char *key, N2pRecord *rec)
{
	N2pStr	   *keys = rec->props.u.map.keys;
	N2pValue   *vals = rec->props.u.map.vals;
	size_t		len = long_keys ? (size_t) (i % 6) * 250 : 0;	/* past 1024: never interned */

	memset(key, 'k', len);
	snprintf(key + len, 32, "-%d", i);
	keys[0] = s_cstr(key);
	keys[1] = s_cstr("first");		/* interned before the dictionary filled */
	vals[0] = v_int(i);
	vals[1] = v_cstr(key);
	rec->id = i;
}

/* More distinct keys than a dictionary holds, by count or by bytes. */
static void
test_dictionary_bounds(void **state)
{
	enum
	{
		NREC = 40000
	};
	char	   *key = malloc(2000);
	N2pStr		keys[2];
	N2pValue	vals[2];
	N2pRecord	rec = {.kind = N2P_REC_NODE, .props = v_map(keys, vals, 2)};
	int			mode,
				i;

	(void) state;
	assert_non_null(key);
	for (mode = 0; mode < 2; mode++)
	{
		N2pSpill   *sp = new_spill();
		uint64_t	before;

		for (i = 0; i < NREC; i++)
		{
			distinct_keys(i, mode == 1, key, &rec);
			write_ok(sp, &rec);
		}
		/* still one byte for "first" past the caps */
		before = n2p_spill_bytes(sp);
		keys[0] = s_cstr("first");
		vals[0] = v_null();
		keys[1] = s_cstr("first");
		vals[1] = v_null();
		write_ok(sp, &rec);
		assert_true(n2p_spill_bytes(sp) - before <= 9);
		/* a new key past the caps is written out each time */
		keys[1] = s_cstr("late");
		before = n2p_spill_bytes(sp);
		write_ok(sp, &rec);
		assert_true(n2p_spill_bytes(sp) - before >= 9 + 4);
		rewind_ok(sp);
		for (i = 0; i < NREC; i++)
		{
			distinct_keys(i, mode == 1, key, &rec);
			read_same(sp, &rec);
		}
		keys[0] = s_cstr("first");
		vals[0] = v_null();
		keys[1] = s_cstr("first");
		vals[1] = v_null();
		read_same(sp, &rec);
		keys[1] = s_cstr("late");
		read_same(sp, &rec);
		read_end(sp);
		n2p_spill_free(sp);
	}
	free(key);
}

/* A record longer than the read buffer, and lengths of several varint bytes. */
static void
test_big_records(void **state)
{
	static const size_t sizes[] = {0, 100, 127, 128, 16383, 16384, 65536, 300000, 3000000};
	N2pSpill   *sp = new_spill();
	char	   *big = malloc(3000000);
	N2pStr		key = s_cstr("blob");
	N2pValue	val;
	N2pRecord	rec = {.kind = N2P_REC_NODE, .props = v_map(&key, &val, 1)};
	size_t		i;

	(void) state;
	assert_non_null(big);
	for (i = 0; i < 3000000; i++)
		big[i] = (char) (i * 7);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
	{
		val = v_bytes(big, sizes[i]);
		rec.id = (int64_t) i;
		write_ok(sp, &rec);
	}
	rewind_ok(sp);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
	{
		val = v_bytes(big, sizes[i]);
		rec.id = (int64_t) i;
		read_same(sp, &rec);
	}
	read_end(sp);
	n2p_spill_free(sp);
	free(big);
}

/* A few records with shared keys, written to a fresh spill and rewound. */
static N2pSpill *
small_file(Sample *s, uint64_t *size)
{
	N2pSpill   *sp = new_spill();

	make_sample(s);
	write_ok(sp, &s->node);
	write_ok(sp, &s->rel);
	write_ok(sp, &s->node);
	*size = n2p_spill_bytes(sp);
	rewind_ok(sp);
	return sp;
}

/* Read to the end; -1 must say why, and nothing may be read out of bounds. */
static int
read_all(N2pSpill *sp)
{
	N2pError	err;
	N2pRecord	back;
	int			rc,
				n = 0;

	n2p_error_init(&err);
	while ((rc = n2p_spill_read(sp, &back, &err)) == 1)
		n++;
	if (rc < 0)
	{
		assert_int_equal(err.code, N2P_ERR_IO);
		assert_string_equal(err.msg, "corrupt temporary file");
		/* and stays failed */
		n2p_error_init(&err);
		assert_int_equal(n2p_spill_read(sp, &back, &err), -1);
		assert_int_equal(err.code, N2P_ERR_IO);
		return -1;
	}
	return n;
}

static void
test_truncated(void **state)
{
	uint64_t	size,
				cut;
	Sample		s;

	(void) state;
	n2p_spill_free(small_file(&s, &size));
	for (cut = 0; cut < size; cut++)
	{
		N2pSpill   *sp = small_file(&s, &size);

		assert_int_equal(ftruncate(spill_fd(), (off_t) cut), 0);
		assert_int_equal(read_all(sp), -1);
		n2p_spill_free(sp);
	}
}

static void
test_corrupt(void **state)
{
	static const unsigned char bad[] = {0x00, 0x01, 0x02, 0x7f, 0x80, 0xff};
	uint64_t	size,
				pos;
	Sample		s;
	size_t		k;
	int			failed = 0;

	(void) state;
	n2p_spill_free(small_file(&s, &size));
	for (pos = 0; pos < size; pos++)
		for (k = 0; k < sizeof(bad); k++)
		{
			N2pSpill   *sp = small_file(&s, &size);

			assert_int_equal(pwrite(spill_fd(), &bad[k], 1, (off_t) pos), 1);
			failed += read_all(sp) < 0;
			n2p_spill_free(sp);
		}
	/* most changes are seen; the rest changed a value's bytes */
	assert_true(failed > (int) size * 2);
	/* garbage appended after the last record */
	{
		N2pSpill   *sp = small_file(&s, &size);

		assert_int_equal(pwrite(spill_fd(), "\x05zzzzz", 6, (off_t) size), 6);
		assert_int_equal(read_all(sp), 3);
		n2p_spill_free(sp);
	}
}

/* The first read of a file that starts with a record of this body. */
static int
read_crafted(const unsigned char *body, size_t n)
{
	static char filler[5000];
	unsigned char len[2] = {(unsigned char) (0x80 | (n & 0x7f)), (unsigned char) (n >> 7)};
	N2pStr		key = s_cstr("s");
	N2pValue	val = v_str(filler, sizeof(filler));
	N2pRecord	rec = {.kind = N2P_REC_NODE, .props = v_map(&key, &val, 1)},
				back;
	N2pSpill   *sp = new_spill();
	N2pError	err;
	int			rc;

	assert_true(n < sizeof(filler) && n < 16384);
	write_ok(sp, &rec);
	rewind_ok(sp);
	assert_int_equal(pwrite(spill_fd(), len, 2, 0), 2);
	assert_int_equal(pwrite(spill_fd(), body, n, 2), (ssize_t) n);
	n2p_error_init(&err);
	rc = n2p_spill_read(sp, &back, &err);
	if (rc < 0)
		assert_string_equal(err.msg, "corrupt temporary file");
	n2p_spill_free(sp);
	return rc;
}

#define CRAFTED(...) \
	read_crafted((const unsigned char[]) {__VA_ARGS__}, \
				 sizeof((const unsigned char[]) {__VA_ARGS__}))

/*
 * Records no writer makes: each is refused before it is trusted.  A body
 * is flags, id, then the props map: MAP, count, (key ref, value)...
 */
static void
test_crafted(void **state)
{
	unsigned char body[1100];
	size_t		i,
				n = 0;

	(void) state;
	/* {"": NULL}, to check the crafting itself; the length is written on 2 bytes */
	assert_int_equal(CRAFTED(0, 0, N2P_MAP, 1, 0, 0, N2P_NULL), 1);
	/* a key of dictionary id 7 when there is none */
	assert_int_equal(CRAFTED(0, 0, N2P_MAP, 1, 9, N2P_NULL), -1);
	assert_int_equal(CRAFTED(0, 0, N2P_MAP, 0xff, 0xff, 0xff, 0xff, 0x0f), -1);
	/* an id of 11 varint bytes, and of 10 whose last is too big */
	assert_int_equal(CRAFTED(0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01,
							 N2P_MAP, 0), -1);
	assert_int_equal(CRAFTED(0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02,
							 N2P_MAP, 0), -1);
	assert_int_equal(CRAFTED(0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01,
							 N2P_MAP, 0), 1);
	/* a flag on an INT, type 15, an unknown record flag, trailing bytes */
	assert_int_equal(CRAFTED(0, 0, N2P_MAP, 1, 0, 0, N2P_INT | 0x10, 0), -1);
	assert_int_equal(CRAFTED(0, 0, N2P_MAP, 1, 0, 0, 0x0f), -1);
	assert_int_equal(CRAFTED(0x08, 0, N2P_MAP, 0), -1);
	assert_int_equal(CRAFTED(0, 0, N2P_MAP, 0, 0), -1);
	/* a TIME offset of 2^31 and nanos of 2^32: wider than their int32 */
	assert_int_equal(CRAFTED(0, 0, N2P_MAP, 1, 0, 0, N2P_TIME, 0, 0x80, 0x80, 0x80, 0x80, 0x10),
					 -1);
	assert_int_equal(CRAFTED(0, 0, N2P_MAP, 1, 0, 0, N2P_LOCALDATETIME, 0, 0x80, 0x80, 0x80, 0x80,
							 0x10), -1);
	assert_int_equal(CRAFTED(0, 0, N2P_MAP, 1, 0, 0, N2P_LOCALDATETIME, 0, 0xff, 0xff, 0xff, 0xff,
							 0x0f), 1);
	/* a string longer than its record */
	assert_int_equal(CRAFTED(0, 0, N2P_MAP, 1, 0, 0, N2P_STRING, 2, 'a'), -1);
	/* 300 nested lists: deeper than any writer goes */
	body[n++] = 0;
	body[n++] = 0;
	body[n++] = N2P_MAP;
	body[n++] = 1;
	body[n++] = 0;
	body[n++] = 0;
	for (i = 0; i < 300; i++)
	{
		body[n++] = N2P_LIST;
		body[n++] = 1;
	}
	body[n++] = N2P_NULL;
	assert_int_equal(read_crafted(body, n), -1);
	/* a dictionary entry longer than any writer interns; one byte less is one */
	for (i = 1025; i >= 1024; i--)
	{
		n = 0;
		body[n++] = 0;
		body[n++] = 0;
		body[n++] = N2P_MAP;
		body[n++] = 1;
		body[n++] = 1;
		body[n++] = (unsigned char) (0x80 | (i & 0x7f));
		body[n++] = (unsigned char) (i >> 7);
		memset(body + n, 'k', i);
		n += i;
		body[n++] = N2P_NULL;
		assert_int_equal(read_crafted(body, n), i == 1025 ? -1 : 1);
	}
}

static void
test_misuse(void **state)
{
	Sample		s;
	N2pSpill   *sp = new_spill();
	N2pError	err;
	N2pRecord	back,
				bad;
	N2pValue	nest[300];
	N2pStr		key = s_cstr("deep");
	int			i;

	(void) state;
	make_sample(&s);
	n2p_error_init(&err);
	assert_int_equal(n2p_spill_read(sp, &back, &err), -1);
	assert_int_equal(err.code, N2P_ERR_USAGE);
	/* too deep: refused, and the file goes on as if it had not been tried */
	nest[299] = v_int(1);
	for (i = 298; i >= 0; i--)
		nest[i] = v_list(&nest[i + 1], 1);
	bad = (N2pRecord) {.kind = N2P_REC_NODE, .id = 1, .props = v_map(&key, nest, 1)};
	write_ok(sp, &s.node);
	n2p_error_init(&err);
	assert_false(n2p_spill_write(sp, &bad, &err));
	assert_int_equal(err.code, N2P_ERR_LIMIT);
	nest[1] = (N2pValue) {.type = (N2pType) 15};
	n2p_error_init(&err);
	assert_false(n2p_spill_write(sp, &bad, &err));
	assert_int_equal(err.code, N2P_ERR_USAGE);
	bad.kind = (N2pRecKind) 9;
	bad.props = v_map(NULL, NULL, 0);
	n2p_error_init(&err);
	assert_false(n2p_spill_write(sp, &bad, &err));
	assert_int_equal(err.code, N2P_ERR_USAGE);
	/* 255 levels are fine */
	nest[1] = v_list(&nest[2], 1);
	bad = (N2pRecord) {.kind = N2P_REC_NODE, .id = 2, .props = v_map(&key, &nest[45], 1)};
	write_ok(sp, &bad);
	write_ok(sp, &s.rel);
	rewind_ok(sp);
	read_same(sp, &s.node);
	read_same(sp, &bad);
	read_same(sp, &s.rel);
	read_end(sp);
	n2p_error_init(&err);
	assert_false(n2p_spill_write(sp, &s.node, &err));
	assert_int_equal(err.code, N2P_ERR_USAGE);
	n2p_spill_free(sp);
	n2p_spill_free(NULL);
}

/*
 * Every allocation in turn fails.  A write that fails leaves nothing
 * behind: the same write retried with memory again, and the records after
 * it, read back right.
 */
static void
test_out_of_memory_writing(void **state)
{
	Sample		s;
	int			left;

	(void) state;
	make_sample(&s);
	for (left = 0;; left++)
	{
		FailingAlloc fa = {left, 0, 0};
		N2pAllocator alloc = {failing_malloc, failing_realloc, failing_free, &fa};
		N2pError	err;
		N2pSpill   *sp;
		int			i,
					failures = 0;

		n2p_error_init(&err);
		if ((sp = n2p_spill_new(&alloc, &n2p_posix_io, &err)) == NULL)
		{
			assert_int_equal(err.code, N2P_ERR_NOMEM);
			assert_int_equal(fa.live, 0);
			continue;
		}
		for (i = 0; i < 4; i++)
		{
			n2p_error_init(&err);
			s.node.id = i;
			if (n2p_spill_write(sp, (i % 2) ? &s.rel : &s.node, &err))
				continue;
			assert_int_equal(err.code, N2P_ERR_NOMEM);
			failures++;
			fa.left = INT_MAX;
			write_ok(sp, (i % 2) ? &s.rel : &s.node);
		}
		fa.left = INT_MAX;
		rewind_ok(sp);
		for (i = 0; i < 4; i++)
		{
			s.node.id = i;
			read_same(sp, (i % 2) ? &s.rel : &s.node);
		}
		read_end(sp);
		n2p_spill_free(sp);
		assert_int_equal(fa.live, 0);
		if (failures == 0)
			break;
	}
	assert_true(left > 3);
}

static void
test_out_of_memory_reading(void **state)
{
	Sample		s;
	int			left;

	(void) state;
	make_sample(&s);
	for (left = 0;; left++)
	{
		FailingAlloc fa = {INT_MAX, 0, 0};
		N2pAllocator alloc = {failing_malloc, failing_realloc, failing_free, &fa};
		N2pError	err;
		N2pRecord	back;
		N2pSpill   *sp;
		int			i,
					rc = 1;

		n2p_error_init(&err);
		assert_non_null(sp = n2p_spill_new(&alloc, &n2p_posix_io, &err));
		for (i = 0; i < 3; i++)
			write_ok(sp, (i % 2) ? &s.rel : &s.node);
		rewind_ok(sp);
		fa.left = left;
		for (i = 0; i < 3 && rc == 1; i++)
			rc = n2p_spill_read(sp, &back, &err);
		if (rc == 1)
			rc = n2p_spill_read(sp, &back, &err);
		if (rc < 0)
		{
			assert_int_equal(err.code, N2P_ERR_NOMEM);
			/* with memory again, a rewind starts over */
			fa.left = INT_MAX;
			rewind_ok(sp);
			read_same(sp, &s.node);
			read_same(sp, &s.rel);
		}
		n2p_spill_free(sp);
		assert_int_equal(fa.live, 0);
		if (rc == 0)
			break;
	}
	assert_true(left > 2);
}

/* ------------------------------------------------ the caller's I/O table */

/*
 * A scripted table: one file in memory, no disk.  Each call can be made to
 * fail, writes and reads move at most `piece` bytes (so partial transfers
 * are exercised), and every create and close is counted.
 */
typedef struct Script
{
	int			fail_create;	/* errno for temp_create, or 0 */
	int			fail_write;		/* the nth temp_pwrite fails (1-based), 0: never */
	int			write_errno;	/* its errno; 0: it writes nothing */
	int			fail_read;		/* the nth temp_pread fails */
	size_t		piece;
	int			creates,
				closes,
				writes,
				reads;
	N2pBuf		data;
} Script;

static void *
script_create(void *ctx, char *where, size_t wherelen, int *errnum)
{
	Script	   *s = ctx;

	snprintf(where, wherelen, "scripted");
	if (s->fail_create)
	{
		*errnum = s->fail_create;
		return NULL;
	}
	s->creates++;
	n2p_buf_init(&s->data, &n2p_libc_allocator);
	return s;
}

static ssize_t
script_pwrite(void *file, const void *buf, size_t len, uint64_t offset, int *errnum)
{
	Script	   *s = file;

	if (++s->writes == s->fail_write)
	{
		*errnum = s->write_errno;
		return s->write_errno ? -1 : 0;
	}
	assert_int_equal(offset, s->data.len);	/* the spill appends */
	if (len > s->piece)
		len = s->piece;
	assert_true(n2p_buf_append(&s->data, buf, len));
	return (ssize_t) len;
}

static ssize_t
script_pread(void *file, void *buf, size_t len, uint64_t offset, int *errnum)
{
	Script	   *s = file;

	if (++s->reads == s->fail_read)
	{
		*errnum = EIO;
		return -1;
	}
	if (offset >= s->data.len)
		return 0;
	if (len > s->data.len - offset)
		len = s->data.len - offset;
	if (len > s->piece)
		len = s->piece;
	memcpy(buf, s->data.data + offset, len);
	return (ssize_t) len;
}

static void
script_close(void *file)
{
	Script	   *s = file;

	s->closes++;
	n2p_buf_free(&s->data);
}

static N2pFileIO
script_io(Script *s)
{
	return (N2pFileIO) {.temp_create = script_create, .temp_pwrite = script_pwrite,
		.temp_pread = script_pread, .temp_close = script_close, .ctx = s};
}

/* Every byte goes through the table, in pieces, and back. */
static void
test_io_table(void **state)
{
	Script		sc = {.piece = 7};
	N2pFileIO	io = script_io(&sc);
	N2pError	err;
	N2pSpill   *sp;
	Sample		s;
	int			i;

	(void) state;
	make_sample(&s);
	n2p_error_init(&err);
	assert_non_null(sp = n2p_spill_new(&n2p_libc_allocator, &io, &err));
	for (i = 0; i < 3; i++)
		write_ok(sp, (i % 2) ? &s.rel : &s.node);
	rewind_ok(sp);
	assert_int_equal(sc.data.len, n2p_spill_bytes(sp));
	assert_true(sc.writes > 1);
	for (i = 0; i < 3; i++)
		read_same(sp, (i % 2) ? &s.rel : &s.node);
	read_end(sp);
	assert_true(sc.reads > 1);
	n2p_spill_free(sp);
	assert_int_equal(sc.creates, 1);
	assert_int_equal(sc.closes, 1);
}

static void
test_io_create_fails(void **state)
{
	Script		sc = {.fail_create = ENOSPC, .piece = 64};
	N2pFileIO	io = script_io(&sc);
	FailingAlloc fa = {INT_MAX, 0, 0};
	N2pAllocator alloc = {failing_malloc, failing_realloc, failing_free, &fa};
	N2pError	err;

	(void) state;
	n2p_error_init(&err);
	assert_null(n2p_spill_new(&alloc, &io, &err));
	assert_int_equal(err.code, N2P_ERR_IO);
	assert_string_equal(err.msg, "could not create a temporary file in \"scripted\": "
						"No space left on device");
	assert_int_equal(sc.closes, 0);
	assert_int_equal(fa.live, 0);
}

/*
 * A failed write, whether an error or nothing written, at any of the
 * writes: the file is unusable from then on, says so, and is still closed
 * once.
 */
static void
test_io_write_fails(void **state)
{
	static const int errnos[] = {ENOSPC, 0};
	Sample		s;
	int			k,
				at;

	(void) state;
	make_sample(&s);
	for (k = 0; k < 2; k++)
		for (at = 1; at <= 3; at++)
		{
			Script		sc = {.fail_write = at, .write_errno = errnos[k], .piece = 100};
			N2pFileIO	io = script_io(&sc);
			N2pError	err;
			N2pRecord	back;
			N2pSpill   *sp;
			bool		ok = true;
			int			i;

			n2p_error_init(&err);
			assert_non_null(sp = n2p_spill_new(&n2p_libc_allocator, &io, &err));
			/* big enough records that the buffer is written before the rewind */
			for (i = 0; ok && i < 400; i++)
				ok = n2p_spill_write(sp, &s.node, &err);
			ok = ok && n2p_spill_rewind(sp, &err);
			assert_false(ok);
			assert_int_equal(err.code, N2P_ERR_IO);
			assert_string_equal(err.msg, errnos[k] ?
								"could not write a temporary file: No space left on device" :
								"could not write a temporary file: no space written");
			n2p_error_init(&err);
			assert_int_equal(n2p_spill_read(sp, &back, &err), -1);
			assert_string_equal(err.msg, "a temporary file is unusable after an earlier error");
			n2p_spill_free(sp);
			assert_int_equal(sc.creates, 1);
			assert_int_equal(sc.closes, 1);
		}
}

/*
 * A failed read, at each of the reads in turn, is an error naming the
 * cause; a rewind starts over.
 */
static void
test_io_read_fails(void **state)
{
	Sample		s;
	int			at;

	(void) state;
	make_sample(&s);
	for (at = 1;; at++)
	{
		Script		sc = {.fail_read = at, .piece = 256};
		N2pFileIO	io = script_io(&sc);
		N2pError	err;
		N2pRecord	back;
		N2pSpill   *sp;
		int			i,
					rc = 1;

		n2p_error_init(&err);
		assert_non_null(sp = n2p_spill_new(&n2p_libc_allocator, &io, &err));
		for (i = 0; i < 3; i++)
			write_ok(sp, (i % 2) ? &s.rel : &s.node);
		rewind_ok(sp);
		for (i = 0; i < 4 && rc == 1; i++)
			rc = n2p_spill_read(sp, &back, &err);
		if (rc == 0)
		{
			/* every read done: each failed in turn before */
			n2p_spill_free(sp);
			break;
		}
		assert_int_equal(rc, -1);
		assert_int_equal(err.code, N2P_ERR_IO);
		assert_string_equal(err.msg, "could not read a temporary file: Input/output error");
		rewind_ok(sp);
		for (i = 0; i < 3; i++)
			read_same(sp, (i % 2) ? &s.rel : &s.node);
		read_end(sp);
		n2p_spill_free(sp);
		assert_int_equal(sc.closes, 1);
	}
	assert_true(at > 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_type),
		cmocka_unit_test(test_dictionary_reuse),
		cmocka_unit_test(test_dictionary_bounds),
		cmocka_unit_test(test_big_records),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_crafted),
		cmocka_unit_test(test_misuse),
		cmocka_unit_test(test_out_of_memory_writing),
		cmocka_unit_test(test_out_of_memory_reading),
		cmocka_unit_test(test_io_table),
		cmocka_unit_test(test_io_create_fails),
		cmocka_unit_test(test_io_write_fails),
		cmocka_unit_test(test_io_read_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
