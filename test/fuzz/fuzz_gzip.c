/*-------------------------------------------------------------------------
 *
 * fuzz_gzip.c
 *	  gzip input (src/backup/input.c): the input inflated whole, and fed
 *	  to zlib 5 bytes at a time, must give the same bytes and the same
 *	  verdict either way.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  test/fuzz/fuzz_gzip.c
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz.h"

#include <string.h>

#include "neo2pg/input.h"

/* Inflate everything; 1 when it all read, 0 on an error. */
static int
inflate_all(N2pInput *in, N2pBuf *out)
{
	N2pError	err;

	n2p_error_init(&err);
	for (;;)
	{
		const char *piece;
		size_t		len;

		if (!n2p_input_read(in, &piece, &len, &err))
		{
			fuzz_check_error(&err);
			return 0;
		}
		if (len == 0)
			return 1;
		FUZZ_CHECK(n2p_buf_append(out, piece, len));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	N2pError	err;
	N2pInput   *whole,
			   *pieces;
	N2pBuf		a,
				b;
	int			ra,
				rb;

	n2p_error_init(&err);
	n2p_buf_init(&a, &n2p_libc_allocator);
	n2p_buf_init(&b, &n2p_libc_allocator);
	whole = n2p_input_open_mem(data, size, true, &n2p_libc_allocator, &err);
	FUZZ_CHECK(whole != NULL);
	ra = inflate_all(whole, &a);
	n2p_input_close(whole);
	/* the piecewise input inflates only what starts with the magic */
	if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b)
	{
		pieces = n2p_input_open_mem_chunked(data, size, 5, &n2p_libc_allocator, &err);
		FUZZ_CHECK(pieces != NULL);
		rb = inflate_all(pieces, &b);
		n2p_input_close(pieces);
		FUZZ_CHECK(ra == rb);
		if (ra)
			FUZZ_CHECK(a.len == b.len && (a.len == 0 || memcmp(a.data, b.data, a.len) == 0));
	}
	n2p_buf_free(&a);
	n2p_buf_free(&b);
	return 0;
}
