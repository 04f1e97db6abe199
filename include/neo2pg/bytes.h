/*-------------------------------------------------------------------------
 *
 * bytes.h
 *	  Big-endian integers in and out of byte buffers, for the binary
 *	  formats neo2pg speaks (PackStream, Bolt, PostgreSQL's binary COPY).
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  include/neo2pg/bytes.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_BYTES_H
#define NEO2PG_BYTES_H

#include "neo2pg/common.h"

static inline bool
n2p_put_be16(N2pBuf *b, uint16_t v)
{
	unsigned char p[2] = {(unsigned char) (v >> 8), (unsigned char) v};

	return n2p_buf_append(b, p, 2);
}

static inline bool
n2p_put_be32(N2pBuf *b, uint32_t v)
{
	unsigned char p[4] = {(unsigned char) (v >> 24), (unsigned char) (v >> 16),
	(unsigned char) (v >> 8), (unsigned char) v};

	return n2p_buf_append(b, p, 4);
}

static inline bool
n2p_put_be64(N2pBuf *b, uint64_t v)
{
	return n2p_put_be32(b, (uint32_t) (v >> 32)) && n2p_put_be32(b, (uint32_t) v);
}

/* Fill in a length word reserved earlier, once what it counts is written. */
static inline void
n2p_patch_be32(N2pBuf *b, size_t pos, uint32_t v)
{
	b->data[pos] = (char) (v >> 24);
	b->data[pos + 1] = (char) (v >> 16);
	b->data[pos + 2] = (char) (v >> 8);
	b->data[pos + 3] = (char) v;
}

static inline uint16_t
n2p_get_be16(const uint8_t *p)
{
	return (uint16_t) ((p[0] << 8) | p[1]);
}

static inline uint32_t
n2p_get_be32(const uint8_t *p)
{
	return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) | ((uint32_t) p[2] << 8) | p[3];
}

static inline uint64_t
n2p_get_be64(const uint8_t *p)
{
	return ((uint64_t) n2p_get_be32(p) << 32) | n2p_get_be32(p + 4);
}

#endif							/* NEO2PG_BYTES_H */
