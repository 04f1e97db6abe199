/*-------------------------------------------------------------------------
 *
 * mem_io.h
 *	  An N2pFileIO over files held in memory, for the unit tests and the
 *	  fuzz targets (test/fuzz): a whole backup read with no disk.
 *
 * Each file is a path and its bytes; a directory is whatever paths start
 * with it and a '/'.  Reads return at most `piece` bytes (0: all), so a
 * reader meets every split of its input.  Temporary files are refused
 * (ENOSPC): no reader needs one.  Handles come from malloc, not from the
 * allocator under test, as a real file system's would.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  test/unit/mem_io.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_MEM_IO_H
#define NEO2PG_MEM_IO_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neo2pg/io.h"

#define MEM_FS_MAX 16

typedef struct MemFile
{
	const char *path;
	const void *data;
	size_t		len;
} MemFile;

typedef struct MemFs
{
	MemFile		files[MEM_FS_MAX];
	size_t		n;
	size_t		piece;			/* largest read, 0 for no limit */
	int			open;			/* handles not yet closed */
} MemFs;

typedef struct MemHandle
{
	MemFs	   *fs;
	const MemFile *f;
	size_t		pos;
} MemHandle;

static inline void
mem_fs_add(MemFs *fs, const char *path, const void *data, size_t len)
{
	if (fs->n < MEM_FS_MAX)
		fs->files[fs->n++] = (MemFile) {path, data, len};
}

static inline void *
mem_open(const char *path, void *ctx, int *errnum)
{
	MemFs	   *fs = ctx;
	MemHandle  *h;
	size_t		i;

	for (i = 0; i < fs->n; i++)
		if (strcmp(fs->files[i].path, path) == 0)
			break;
	if (i == fs->n)
	{
		*errnum = ENOENT;
		return NULL;
	}
	if ((h = malloc(sizeof(MemHandle))) == NULL)
	{
		*errnum = ENOMEM;
		return NULL;
	}
	*h = (MemHandle) {fs, &fs->files[i], 0};
	fs->open++;
	return h;
}

static inline ssize_t
mem_read(void *file, void *buf, size_t len, int *errnum)
{
	MemHandle  *h = file;
	size_t		n = h->f->len - h->pos;

	(void) errnum;
	if (n > len)
		n = len;
	if (h->fs->piece && n > h->fs->piece)
		n = h->fs->piece;
	if (n)
		memcpy(buf, (const char *) h->f->data + h->pos, n);
	h->pos += n;
	return (ssize_t) n;
}

static inline void
mem_close(void *file)
{
	MemHandle  *h = file;

	h->fs->open--;
	free(h);
}

static inline void *
mem_temp_create(void *ctx, char *where, size_t wherelen, int *errnum)
{
	(void) ctx;
	snprintf(where, wherelen, "(memory)");
	*errnum = ENOSPC;
	return NULL;
}

/* The files directly in dir, as readdir would give them. */
static inline bool
mem_list(const char *dir, void *ctx, N2pListFn fn, void *arg, int *errnum)
{
	MemFs	   *fs = ctx;
	size_t		dlen = strlen(dir),
				i;
	bool		found = false;

	*errnum = 0;
	for (i = 0; i < fs->n; i++)
	{
		const char *p = fs->files[i].path;

		if (strncmp(p, dir, dlen) != 0 || p[dlen] != '/')
			continue;
		found = true;
		if (strchr(p + dlen + 1, '/') == NULL && !fn(arg, p + dlen + 1, fs->files[i].len))
			return false;
	}
	if (!found)
		*errnum = ENOENT;
	return found;
}

static inline N2pFileIO
mem_io(MemFs *fs)
{
	return (N2pFileIO) {.open = mem_open, .read = mem_read, .close = mem_close, .ctx = fs,
		.temp_create = mem_temp_create, .list = mem_list};
}

#endif							/* NEO2PG_MEM_IO_H */
