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
#include "neo2pg/backup.h"
#include "neo2pg/input.h"
#include "neo2pg/io.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
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

/* mkstemp: tmpfile() ignores $TMPDIR, and a big spill must go where the user says. */
static void *
posix_temp_create(void *ctx, char *where, size_t wherelen, int *errnum)
{
	const char *dir = getenv("TMPDIR");
	char		path[4096];
	int			fd;

	(void) ctx;
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	snprintf(where, wherelen, "%s", dir);
	snprintf(path, sizeof(path), "%s/neo2pg-spill-XXXXXX", dir);
	if ((fd = mkstemp(path)) < 0)
	{
		*errnum = errno;
		return NULL;
	}
	unlink(path);				/* gone when closed, whatever happens */
	return (void *) ((intptr_t) fd + 1);
}

static ssize_t
posix_temp_pwrite(void *file, const void *buf, size_t len, uint64_t offset, int *errnum)
{
	ssize_t		n;

	do
		n = pwrite((int) ((intptr_t) file - 1), buf, len, (off_t) offset);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		*errnum = errno;
	return n;
}

static ssize_t
posix_temp_pread(void *file, void *buf, size_t len, uint64_t offset, int *errnum)
{
	ssize_t		n;

	do
		n = pread((int) ((intptr_t) file - 1), buf, len, (off_t) offset);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		*errnum = errno;
	return n;
}

static bool
posix_list(const char *dir, void *ctx, N2pListFn fn, void *arg, int *errnum)
{
	DIR		   *d = opendir(dir);
	struct dirent *de;
	bool		ok = true;

	(void) ctx;
	if (d == NULL)
	{
		*errnum = errno;
		return false;
	}
	*errnum = 0;
	while (ok && (errno = 0, de = readdir(d)) != NULL)
	{
		struct stat st;
		uint64_t	size = 0;

		if (fstatat(dirfd(d), de->d_name, &st, 0) == 0)
			size = (uint64_t) st.st_size;
		ok = fn(arg, de->d_name, size);
	}
	if (ok && errno != 0)
	{
		*errnum = errno;
		ok = false;
	}
	closedir(d);
	return ok;
}

const N2pFileIO n2p_posix_io = {
	.open = posix_open,
	.read = posix_read,
	.close = posix_close,
	.temp_create = posix_temp_create,
	.temp_pwrite = posix_temp_pwrite,
	.temp_pread = posix_temp_pread,
	.temp_close = posix_close,
	.list = posix_list,
};

N2pInput *
n2p_input_open(const char *path, bool gzip, const N2pAllocator *alloc, N2pError *err)
{
	return n2p_input_open_io(path, gzip, &n2p_posix_io, alloc, err);
}

N2pSource *
n2p_backup_open(const char *dir, const N2pAllocator *alloc, N2pError *err)
{
	return n2p_backup_open_io(dir, &n2p_posix_io, alloc, err);
}
