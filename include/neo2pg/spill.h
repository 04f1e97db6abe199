/*-------------------------------------------------------------------------
 *
 * spill.h
 *	  Records written to a temporary file and read back: a second pass over
 *	  a stream without a second read of its source.
 *
 * The format is private to one process (native byte order, no version):
 * it only ever lives in an unlinked temporary file.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  include/neo2pg/spill.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_SPILL_H
#define NEO2PG_SPILL_H

#include "neo2pg/io.h"
#include "neo2pg/stream.h"

#include <stdio.h>

typedef struct N2pSpill N2pSpill;

/*
 * A temporary file of io's (temp_create; n2p_posix_io's is unlinked, in
 * $TMPDIR or /tmp), closed by n2p_spill_free.
 */
N2pSpill   *n2p_spill_new(const N2pAllocator *alloc, const N2pFileIO *io, N2pError *err);
bool		n2p_spill_write(N2pSpill *sp, const N2pRecord *rec, N2pError *err);

/* Switch to reading from the start; then n2p_spill_read until it gives 0. */
bool		n2p_spill_rewind(N2pSpill *sp, N2pError *err);

/* 1 record (valid until the next call), 0 end, -1 error. */
int			n2p_spill_read(N2pSpill *sp, N2pRecord *rec, N2pError *err);
uint64_t	n2p_spill_bytes(const N2pSpill *sp);
void		n2p_spill_free(N2pSpill *sp);

#endif							/* NEO2PG_SPILL_H */
