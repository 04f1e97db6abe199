/*-------------------------------------------------------------------------
 *
 * io.h
 *	  The files the library reads, through functions its caller passes.
 *
 * The library opens no file or directory by itself: a PostgreSQL backend
 * has to own every descriptor (AllocateFile, AllocateDir,
 * OpenTemporaryFile) so that an error or a cancel closes it, and a fuzzer
 * or a test may want no disk at all.  The CLI and the unit tests pass
 * n2p_posix_io; the extension will pass the backend's.
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

/* Called by list for each entry of a directory; false stops the listing. */
typedef bool (*N2pListFn) (void *arg, const char *name, uint64_t size);

/*
 * Errors come back as an errno value in *errnum, for the message.
 */
typedef struct N2pFileIO
{
	/*
	 * Input files.  open returns a handle, or NULL; read returns the bytes
	 * read, 0 at the end, or -1 (retrying EINTR itself); close releases
	 * the handle.
	 */
	void	   *(*open) (const char *path, void *ctx, int *errnum);
	ssize_t		(*read) (void *file, void *buf, size_t len, int *errnum);
	void		(*close) (void *file);
	void	   *ctx;

	/*
	 * Temporary files (records held back: spill.h), gone once closed
	 * whatever happens: unlinked at once, or the backend's
	 * OpenTemporaryFile, which the end of the transaction removes.
	 * temp_create returns a handle or NULL, and writes where it tried (a
	 * directory, for the message) into where; temp_pwrite and temp_pread
	 * move up to len bytes at offset and return how many, or -1.
	 */
	void	   *(*temp_create) (void *ctx, char *where, size_t wherelen, int *errnum);
	ssize_t		(*temp_pwrite) (void *file, const void *buf, size_t len, uint64_t offset,
								int *errnum);
	ssize_t		(*temp_pread) (void *file, void *buf, size_t len, uint64_t offset,
							   int *errnum);
	void		(*temp_close) (void *file);

	/*
	 * A directory's entries, in no order, with their sizes in bytes (0 when
	 * unknown).  False with *errnum set when it cannot be read; false with
	 * *errnum 0 when fn stopped it.
	 */
	bool		(*list) (const char *dir, void *ctx, N2pListFn fn, void *arg, int *errnum);
} N2pFileIO;

/* open(2), read(2), close(2); mkstemp(3) in $TMPDIR, unlinked; readdir(3). */
extern const N2pFileIO n2p_posix_io;

#endif							/* NEO2PG_IO_H */
