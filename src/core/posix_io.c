/*-------------------------------------------------------------------------
 *
 * posix_io.c
 *	  The I/O table over POSIX calls, for the CLI and the unit tests (as
 *	  n2p_libc_allocator is their allocator).  The extension leaves this
 *	  file out and passes the backend's functions.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/core/posix_io.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>

/* The descriptor is the handle, offset by one so that fd 0 is not NULL. */
static void *
posix_open(const char *path, void *ctx, int *errnum)
{
	int			fd = open(path, O_RDONLY | O_CLOEXEC);

	(void) ctx;
	if (fd < 0)
	{
		*errnum = errno;
		return NULL;
	}
	return (void *) ((intptr_t) fd + 1);
}

static ssize_t
posix_read(void *file, void *buf, size_t len, int *errnum)
{
	ssize_t		n;

	do
		n = read((int) ((intptr_t) file - 1), buf, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		*errnum = errno;
	return n;
}

static void
posix_close(void *file)
{
	close((int) ((intptr_t) file - 1));
}

const N2pFileIO n2p_posix_io = {posix_open, posix_read, posix_close, NULL};
