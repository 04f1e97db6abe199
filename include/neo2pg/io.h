/*-------------------------------------------------------------------------
 *
 * io.h
 *	  The files the library reads, through functions its caller passes.
 *
 * The library opens no file by itself: a PostgreSQL backend has to own
 * every descriptor (AllocateFile, OpenTemporaryFile) so that an error or a
 * cancel closes it, and a fuzzer or a test may want no disk at all.  The
 * CLI and the unit tests pass n2p_posix_io; the extension will pass the
 * backend's.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  include/neo2pg/io.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_IO_H
#define NEO2PG_IO_H

#include "neo2pg/common.h"

#include <sys/types.h>

/*
 * Input files.  open returns a handle, or NULL with *errnum set (an errno
 * value, for the message); read returns the bytes read, 0 at the end, or
 * -1 with *errnum set (retrying EINTR itself); close releases the handle.
 */
typedef struct N2pFileIO
{
	void	   *(*open) (const char *path, void *ctx, int *errnum);
	ssize_t		(*read) (void *file, void *buf, size_t len, int *errnum);
	void		(*close) (void *file);
	void	   *ctx;
} N2pFileIO;

/* open(2), read(2) and close(2). */
extern const N2pFileIO n2p_posix_io;

#endif							/* NEO2PG_IO_H */
