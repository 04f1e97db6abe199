/*-------------------------------------------------------------------------
 *
 * test_support.h
 *	  Helpers shared by the unit tests: gzip'd bytes made with zlib, an
 *	  allocator that fails on demand, and builders of N2pValues.
 *
 * Included after <cmocka.h> by each test program; everything is static
 * inline so that each program is still one translation unit and need not
 * use all of it.
 *
 * The builders are named after what they return: s_cstr() an N2pStr,
 * v_<type>() an N2pValue of that type.  They point into what they are
 * given and copy nothing.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  test/unit/test_support.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_TEST_SUPPORT_H
#define NEO2PG_TEST_SUPPORT_H

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "neo2pg/literal.h"

/* One gzip member holding data; malloc'd, the caller frees it. */
static inline unsigned char *
gzip_bytes(const void *data, size_t len, size_t *outlen)
{
	z_stream	zs;
	size_t		cap = compressBound(len) + 64;
	unsigned char *out = malloc(cap);

	memset(&zs, 0, sizeof(zs));
	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (Bytef *) data;
	zs.avail_in = (uInt) len;
	zs.next_out = out;
	zs.avail_out = (uInt) cap;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	*outlen = cap - zs.avail_out;
	deflateEnd(&zs);
	return out;
}

/*
 * An N2pAllocator context whose allocations fail once `left` reaches 0:
 * running a test with left = 0, 1, 2, ... reaches every failure point.
 */
typedef struct FailingAlloc
{
	int			left;			/* allocations that still succeed */
	int			calls;			/* allocations asked for */
	int			live;			/* blocks not yet freed */
} FailingAlloc;

static inline void *
failing_malloc(size_t size, void *ctx)
{
	FailingAlloc *fa = ctx;

	fa->calls++;
	if (fa->left-- <= 0)
		return NULL;
	fa->live++;
	return malloc(size);
}

static inline void *
failing_realloc(void *ptr, size_t old_size, size_t new_size, void *ctx)
{
	FailingAlloc *fa = ctx;
	void	   *p;

	(void) old_size;
	fa->calls++;
	if (fa->left-- <= 0)
		return NULL;
	p = realloc(ptr, new_size);
	if (p && ptr == NULL)
		fa->live++;
	return p;
}

static inline void
failing_free(void *ptr, void *ctx)
{
	FailingAlloc *fa = ctx;

	if (ptr)
		fa->live--;
	free(ptr);
}

/* ----------------------------------------------------------- value builders */

/* A C string as an N2pStr (so no U+0000 inside: spell those out). */
static inline N2pStr
s_cstr(const char *s)
{
	return (N2pStr) {s, strlen(s)};
}

static inline N2pValue
v_null(void)
{
	return (N2pValue) {.type = N2P_NULL};
}

static inline N2pValue
v_bool(bool b)
{
	return (N2pValue) {.type = N2P_BOOL, .u.b = b};
}

static inline N2pValue
v_int(int64_t i)
{
	return (N2pValue) {.type = N2P_INT, .u.i = i};
}

/* A float not read from text: fnum.text is NULL. */
static inline N2pValue
v_float(double f)
{
	return (N2pValue) {.type = N2P_FLOAT, .u.fnum = {f, NULL, 0}};
}

/* A float as a text source reads it, keeping its token. */
static inline N2pValue
v_float_text(double f, const char *text)
{
	return (N2pValue) {.type = N2P_FLOAT, .u.fnum = {f, text, strlen(text)}};
}

/* The float whose IEEE 754 bits these are (NaN payloads included). */
static inline N2pValue
v_float_bits(uint64_t bits)
{
	N2pValue	v = v_float(0.0);

	memcpy(&v.u.f, &bits, sizeof(v.u.f));
	return v;
}

static inline N2pValue
v_str(const char *p, size_t len)
{
	return (N2pValue) {.type = N2P_STRING, .u.str = {p, len}};
}

static inline N2pValue
v_cstr(const char *p)
{
	return v_str(p, strlen(p));
}

static inline N2pValue
v_bytes(const char *p, size_t len)
{
	return (N2pValue) {.type = N2P_BYTES, .u.str = {p, len}};
}

static inline N2pValue
v_list(N2pValue *items, size_t n)
{
	return (N2pValue) {.type = N2P_LIST, .u.list = {items, n}};
}

static inline N2pValue
v_map(N2pStr *keys, N2pValue *vals, size_t n)
{
	return (N2pValue) {.type = N2P_MAP, .u.map = {keys, vals, n}};
}

static inline N2pValue
v_date(int64_t y, int m, int d)
{
	return (N2pValue) {.type = N2P_DATE, .u.date = n2p_days_from_civil(y, m, d)};
}

static inline int64_t
hms_nanos(int h, int mi, int s, int64_t ns)
{
	return ((int64_t) h * 3600 + mi * 60 + s) * INT64_C(1000000000) + ns;
}

static inline N2pValue
v_localtime(int h, int mi, int s, int64_t ns)
{
	return (N2pValue) {.type = N2P_LOCALTIME, .u.time = {hms_nanos(h, mi, s, ns), 0}};
}

/* offset in seconds east of UTC */
static inline N2pValue
v_time(int h, int mi, int s, int64_t ns, int32_t offset)
{
	return (N2pValue) {.type = N2P_TIME, .u.time = {hms_nanos(h, mi, s, ns), offset}};
}

/* type is N2P_DATETIME or N2P_LOCALDATETIME; zone may be NULL. */
static inline N2pValue
v_datetime(N2pType type, int64_t y, int m, int d, int h, int mi, int s,
		   int32_t ns, int32_t offset, const char *zone)
{
	int64_t		secs = n2p_days_from_civil(y, m, d) * 86400 + h * 3600 + mi * 60 + s;
	N2pStr		z = {NULL, 0};

	if (zone)
		z = s_cstr(zone);
	return (N2pValue) {.type = type, .u.dt = {secs, ns, offset, z}};
}

/* Neo4j's four parts, kept apart. */
static inline N2pValue
v_duration(int64_t months, int64_t days, int64_t secs, int32_t nanos)
{
	return (N2pValue) {.type = N2P_DURATION, .u.dur = {months, days, secs, nanos}};
}

static inline N2pValue
v_point(int32_t srid, double x, double y, double z)
{
	return (N2pValue) {.type = N2P_POINT, .u.point = {srid, x, y, z}};
}

/* s read as a literal ("$date('2000-01-01')", ...) into arena; must parse. */
static inline N2pValue
v_literal(N2pArena *arena, const char *s)
{
	N2pValue	v;
	N2pError	err;

	n2p_error_init(&err);
	if (!n2p_literal_parse(s, strlen(s), &v, arena, &err))
		fail_msg("literal %s rejected: %s", s, err.msg);
	return v;
}

#endif							/* NEO2PG_TEST_SUPPORT_H */
