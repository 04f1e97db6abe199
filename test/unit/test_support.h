/*-------------------------------------------------------------------------
 *
 * test_support.h
 *	  Helpers shared by the unit tests: gzip'd bytes made with zlib, and an
 *	  allocator that fails on demand.
 *
 * Included after <cmocka.h> by each test program; everything is static so
 * that each program is still one translation unit.
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

#endif							/* NEO2PG_TEST_SUPPORT_H */
