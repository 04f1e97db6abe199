/*-------------------------------------------------------------------------
 *
 * backend.c
 *	  The core library's allocator, I/O table and errors inside a backend.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/ext/backend.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "storage/fd.h"
#include "utils/wait_event.h"

#include "backend.h"

/* ------------------------------------------------------------ allocator */

static void *
ext_malloc(size_t size, void *ctx)
{
	/* the core may ask for 0 bytes; a context refuses nothing else */
	return MemoryContextAllocExtended((MemoryContext) ctx, size ? size : 1,
									  MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
}

static void
ext_free(void *ptr, void *ctx)
{
	(void) ctx;
	pfree(ptr);
}

void
n2p_ext_allocator(N2pAllocator *a, MemoryContext cxt)
{
	/*
	 * No realloc: PostgreSQL 15 has no repalloc that returns NULL, and the
	 * core's malloc, copy and free gives the same result.
	 */
	a->malloc = ext_malloc;
	a->realloc = NULL;
	a->free = ext_free;
	a->ctx = cxt;
}

/* ---------------------------------------------------------------- files */

/*
 * Descriptors and Files are small ints: the handle is the number plus one,
 * so that 0 is not NULL, and nothing is allocated for it.
 */
#define HANDLE(n) ((void *) ((intptr_t) (n) + 1))
#define NUMBER(h) ((int) ((intptr_t) (h) - 1))

/* FileRead and FileWrite take an int. */
#define MAX_IO_BYTES ((size_t) 1 << 30)

static void *
ext_open(const char *path, void *ctx, int *errnum)
{
	int			fd;

	(void) ctx;
	fd = OpenTransientFile(path, O_RDONLY | PG_BINARY);
	if (fd < 0)
	{
		*errnum = errno;
		return NULL;
	}
	return HANDLE(fd);
}

static ssize_t
ext_read(void *file, void *buf, size_t len, int *errnum)
{
	ssize_t		n;

	/* a chunk can be hundreds of MB: a cancel must not wait for its end */
	CHECK_FOR_INTERRUPTS();
	pgstat_report_wait_start(WAIT_EVENT_COPY_FILE_READ);
	do
		n = read(NUMBER(file), buf, Min(len, MAX_IO_BYTES));
	while (n < 0 && errno == EINTR);
	pgstat_report_wait_end();
	if (n < 0)
		*errnum = errno;
	return n;
}

static void
ext_close(void *file)
{
	CloseTransientFile(NUMBER(file));
}

static void *
ext_temp_create(void *ctx, char *where, size_t wherelen, int *errnum)
{
	File		f;

	(void) ctx;
	(void) errnum;
	snprintf(where, wherelen, "the server's temporary files (temp_tablespaces)");
	/* removed at the end of the transaction; it raises its own ERROR */
	f = OpenTemporaryFile(false);
	return HANDLE(f);
}

static ssize_t
ext_temp_pwrite(void *file, const void *buf, size_t len, uint64_t offset, int *errnum)
{
	int			n;

	CHECK_FOR_INTERRUPTS();
	n = FileWrite(NUMBER(file), (char *) buf, (int) Min(len, MAX_IO_BYTES), (off_t) offset,
				  WAIT_EVENT_BUFFILE_WRITE);
	if (n < 0)
		*errnum = errno;
	return n;
}

static ssize_t
ext_temp_pread(void *file, void *buf, size_t len, uint64_t offset, int *errnum)
{
	int			n;

	CHECK_FOR_INTERRUPTS();
	n = FileRead(NUMBER(file), buf, (int) Min(len, MAX_IO_BYTES), (off_t) offset,
				 WAIT_EVENT_BUFFILE_READ);
	if (n < 0)
		*errnum = errno;
	return n;
}

static void
ext_temp_close(void *file)
{
	FileClose(NUMBER(file));
}

static bool
ext_list(const char *dir, void *ctx, N2pListFn fn, void *arg, int *errnum)
{
	DIR		   *d;
	struct dirent *de;
	bool		ok = true;

	(void) ctx;
	if ((d = AllocateDir(dir)) == NULL)
	{
		*errnum = errno;
		return false;
	}
	*errnum = 0;
	while (ok && (errno = 0, de = readdir(d)) != NULL)
	{
		struct stat st;
		uint64_t	size = 0;

		CHECK_FOR_INTERRUPTS();
		if (fstatat(dirfd(d), de->d_name, &st, 0) == 0)
			size = (uint64_t) st.st_size;
		ok = fn(arg, de->d_name, size);
	}
	if (ok && errno != 0)
	{
		*errnum = errno;
		ok = false;
	}
	FreeDir(d);
	return ok;
}

const N2pFileIO n2p_ext_io = {
	.open = ext_open,
	.read = ext_read,
	.close = ext_close,
	.temp_create = ext_temp_create,
	.temp_pwrite = ext_temp_pwrite,
	.temp_pread = ext_temp_pread,
	.temp_close = ext_temp_close,
	.list = ext_list,
};

/* --------------------------------------------------------------- errors */

int
n2p_ext_sqlstate(N2pErrCode code)
{
	switch (code)
	{
		case N2P_ERR_NOMEM:
			return ERRCODE_OUT_OF_MEMORY;
		case N2P_ERR_IO:
			return ERRCODE_IO_ERROR;
		case N2P_ERR_SYNTAX:
			return ERRCODE_INVALID_TEXT_REPRESENTATION;
		case N2P_ERR_DATA:
			return ERRCODE_DATA_EXCEPTION;
		case N2P_ERR_LIMIT:
			return ERRCODE_PROGRAM_LIMIT_EXCEEDED;
		case N2P_ERR_USAGE:
		case N2P_OK:
			break;
	}
	return ERRCODE_INTERNAL_ERROR;
}

/* "File "f", node 12, byte offset 345." or "" when none applies. */
static void
error_detail(StringInfo s, const N2pError *err, const char *where)
{
	const char *sep = "";

	if (where)
	{
		appendStringInfo(s, "In %s", where);
		sep = ", ";
	}
	if (err->file[0])
	{
		appendStringInfo(s, "File \"%s\"", err->file);
		sep = ", ";
	}
	if (err->row_kind && err->row_id >= 0)
	{
		appendStringInfo(s, "%s%s %lld", sep, err->row_kind, (long long) err->row_id);
		sep = ", ";
	}
	if (err->offset >= 0)
	{
		appendStringInfo(s, "%sbyte offset %lld", sep, (long long) err->offset);
		sep = ", ";
	}
	if (s->len > 0)
		appendStringInfoChar(s, '.');
}

void
n2p_ext_report(const N2pError *err, const char *hint)
{
	n2p_ext_report_in(err, NULL, hint);
}

void
n2p_ext_report_in(const N2pError *err, const char *where, const char *hint)
{
	StringInfoData detail;

	initStringInfo(&detail);
	error_detail(&detail, err, where);
	/* the key stays in the message, as the CLI prints it: it is what is bad */
	ereport(ERROR,
			(errcode(n2p_ext_sqlstate(err->code)),
			 err->has_key ?
			 errmsg("key \"%s\": %s", err->key, err->msg) : errmsg("%s", err->msg),
			 detail.len > 0 ? errdetail("%s", detail.data) : 0,
			 hint ? errhint("%s", hint) : 0));
	pg_unreachable();
}
