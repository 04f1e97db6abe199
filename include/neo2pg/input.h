/*-------------------------------------------------------------------------
 *
 * input.h
 *	  Byte sources: a plain file or a gzip'd file, inflated in fixed-size
 *	  pieces so that memory stays bounded whatever the file size.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  include/neo2pg/input.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_INPUT_H
#define NEO2PG_INPUT_H

#include "neo2pg/io.h"

typedef struct N2pInput N2pInput;

/*
 * Open path for reading through io.  With gzip, the file must be one or
 * more complete gzip members: a truncated member, a bad CRC or trailing
 * garbage is an N2P_ERR_IO error when reached.
 */
N2pInput   *n2p_input_open_io(const char *path, bool gzip, const N2pFileIO *io,
							  const N2pAllocator *alloc, N2pError *err);

/*
 * The same for a file that may be absent: NULL with *absent set and no
 * error when io says it does not exist (ENOENT).
 */
N2pInput   *n2p_input_open_optional_io(const char *path, bool gzip, const N2pFileIO *io,
									   const N2pAllocator *alloc, bool *absent,
									   N2pError *err);

/* The same through n2p_posix_io. */
N2pInput   *n2p_input_open(const char *path, bool gzip,
						   const N2pAllocator *alloc, N2pError *err);

/*
 * An input over a caller-owned memory region (tests, fuzzers, the backend);
 * with gzip the region is inflated.
 */
N2pInput   *n2p_input_open_mem(const void *data, size_t len, bool gzip,
							   const N2pAllocator *alloc, N2pError *err);

/*
 * For tests and fuzzers: like n2p_input_open_mem, but every piece read
 * returns at most piece bytes, so that readers meet every boundary case.
 * A region that starts with the gzip magic (1f 8b) is inflated, its
 * compressed bytes also fed to zlib at most piece bytes at a time.
 */
N2pInput   *n2p_input_open_mem_chunked(const void *data, size_t len, size_t piece,
									   const N2pAllocator *alloc, N2pError *err);

/*
 * Return the next piece of (inflated) bytes in *data and *len, valid until the
 * next call.  *len == 0 means end of input.  Returns false on error.
 */
bool		n2p_input_read(N2pInput *in, const char **data, size_t *len,
						   N2pError *err);

/* Compressed (on-disk) bytes consumed so far, for progress reporting. */
uint64_t	n2p_input_raw_bytes(const N2pInput *in);

void		n2p_input_close(N2pInput *in);

#endif							/* NEO2PG_INPUT_H */
