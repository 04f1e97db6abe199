/*-------------------------------------------------------------------------
 *
 * input.c
 *	  Byte sources for the chunk readers: a plain file, a gzip'd file or a
 *	  memory region, handed out in pieces of at most 256 KiB.
 *
 * A gzip source is inflated with zlib in fixed-size buffers, so memory does
 * not depend on the file size.  The file may hold several gzip members one
 * after the other (what "cat a.gz b.gz" produces); anything after the last
 * member that is not itself a gzip member is an error, as is a member cut
 * short, because silently loading half a chunk is worse than failing.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/backup/input.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/input.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

/*
 * The fuzz build (make fuzz-build) sets a smaller size: readers then meet
 * more piece boundaries, and ASan serves the buffers from its pools
 * instead of mapping 256 kB for every file opened, 4 times faster.
 */
#ifdef N2P_INPUT_BUF_SIZE
#define INPUT_BUF_SIZE N2P_INPUT_BUF_SIZE
#else
#define INPUT_BUF_SIZE (256 * 1024)
#endif

struct N2pInput
{
	const N2pAllocator *alloc;
	char	   *path;			/* for err->file; "<memory>" for regions */
	const N2pFileIO *io;		/* NULL for a memory region */
	void	   *file;			/* io's handle, NULL for a memory region */
	const unsigned char *mem;	/* the region, or NULL for a file */
	size_t		mem_len;
	size_t		mem_pos;
	size_t		piece;			/* most bytes handed out (and fed) at once */
	unsigned char *rawbuf;		/* read(2) target, files only */
	bool		gzip;
	bool		raw_eof;		/* the raw source is exhausted */
	bool		failed;			/* an error was reported; stay failed */
	uint64_t	raw_bytes;

	z_stream	zs;
	bool		zs_ready;		/* inflateInit2 succeeded */
	bool		member_end;		/* Z_STREAM_END seen, next member not begun */
	bool		later_member;	/* inflating the second or a later member */
	unsigned char *outbuf;
	size_t		outcap;
};

/*
 * The path goes into err->file, never into the message: a caller names the
 * file there too, and a message holding it printed it twice (and cut it).
 */
static bool
input_error(const N2pInput *in, N2pError *err, N2pErrCode code, const char *what,
			const char *detail)
{
	if (err && err->code == N2P_OK)
		n2p_error_set_file(err, in->path);
	return n2p_error_set(err, code, "%s%s%s", what, detail ? ": " : "", detail ? detail : "");
}

static bool
input_fail(N2pInput *in, N2pError *err, N2pErrCode code, const char *what,
		   const char *detail)
{
	in->failed = true;
	return input_error(in, err, code, what, detail);
}

/* zlib's allocation hooks, so that inflate state lives in our allocator. */
static voidpf
zalloc_hook(voidpf opaque, uInt items, uInt size)
{
	N2pInput   *in = opaque;

	if (size != 0 && items > SIZE_MAX / size)
		return Z_NULL;
	return n2p_alloc(in->alloc, (size_t) items * size);
}

static void
zfree_hook(voidpf opaque, voidpf ptr)
{
	N2pInput   *in = opaque;

	n2p_free(in->alloc, ptr);
}

static N2pInput *
input_new(const char *path, bool gzip, size_t piece,
		  const N2pAllocator *alloc, N2pError *err)
{
	N2pInput   *in = n2p_alloc(alloc, sizeof(N2pInput));
	size_t		len = strlen(path);
	char	   *copy = n2p_alloc(alloc, len + 1);

	if (in == NULL || copy == NULL)
	{
		n2p_free(alloc, in);
		n2p_free(alloc, copy);
		n2p_error_set_file(err, path);
		n2p_error_set(err, N2P_ERR_NOMEM, "out of memory opening the file");
		return NULL;
	}
	memset(in, 0, sizeof(*in));
	memcpy(copy, path, len + 1);
	in->path = copy;
	in->alloc = alloc;
	in->gzip = gzip;
	in->piece = (piece == 0 || piece > INPUT_BUF_SIZE) ? INPUT_BUF_SIZE : piece;
	return in;
}

/*
 * Set up inflate for gzip members only (windowBits 15 + 16): a zlib or raw
 * deflate stream in a .gz file is a corrupt file, not something to guess at.
 */
static bool
input_init_gzip(N2pInput *in, N2pError *err)
{
	int			rc;

	in->outcap = in->piece;
	in->outbuf = n2p_alloc(in->alloc, in->outcap);
	if (in->outbuf == NULL)
		return input_error(in, err, N2P_ERR_NOMEM, "out of memory opening the file", NULL);
	in->zs.zalloc = zalloc_hook;
	in->zs.zfree = zfree_hook;
	in->zs.opaque = in;
	rc = inflateInit2(&in->zs, 15 + 16);
	if (rc != Z_OK)
		return input_error(in, err, rc == Z_MEM_ERROR ? N2P_ERR_NOMEM : N2P_ERR_IO,
						   "could not initialize gzip", in->zs.msg ? in->zs.msg : zError(rc));
	in->zs_ready = true;
	return true;
}

N2pInput *
n2p_input_open_io(const char *path, bool gzip, const N2pFileIO *io,
				  const N2pAllocator *alloc, N2pError *err)
{
	return n2p_input_open_optional_io(path, gzip, io, alloc, NULL, err);
}

N2pInput *
n2p_input_open_optional_io(const char *path, bool gzip, const N2pFileIO *io,
						   const N2pAllocator *alloc, bool *absent, N2pError *err)
{
	N2pInput   *in = input_new(path, gzip, 0, alloc, err);
	int			errnum = 0;

	if (absent)
		*absent = false;
	if (in == NULL)
		return NULL;
	in->file = io->open(path, io->ctx, &errnum);
	if (in->file == NULL && absent && errnum == ENOENT)
	{
		*absent = true;
		n2p_input_close(in);
		return NULL;
	}
	if (in->file == NULL)
	{
		input_error(in, err, N2P_ERR_IO, "could not open file", strerror(errnum));
		n2p_input_close(in);
		return NULL;
	}
	in->io = io;
	in->rawbuf = n2p_alloc(alloc, INPUT_BUF_SIZE);
	if (in->rawbuf == NULL)
	{
		input_error(in, err, N2P_ERR_NOMEM, "out of memory opening the file", NULL);
		n2p_input_close(in);
		return NULL;
	}
	if (gzip && !input_init_gzip(in, err))
	{
		n2p_input_close(in);
		return NULL;
	}
	return in;
}

static N2pInput *
input_open_region(const void *data, size_t len, bool gzip, size_t piece,
				  const N2pAllocator *alloc, N2pError *err)
{
	N2pInput   *in = input_new("<memory>", gzip, piece, alloc, err);

	if (in == NULL)
		return NULL;
	in->mem = data;
	in->mem_len = len;
	if (gzip && !input_init_gzip(in, err))
	{
		n2p_input_close(in);
		return NULL;
	}
	return in;
}

N2pInput *
n2p_input_open_mem(const void *data, size_t len, bool gzip,
				   const N2pAllocator *alloc, N2pError *err)
{
	return input_open_region(data, len, gzip, 0, alloc, err);
}

/*
 * Small pieces exist to exercise every boundary case of the readers, so a
 * region that starts with the gzip magic is inflated: one entry point then
 * reaches both paths, which is what a fuzzer wants.
 */
N2pInput *
n2p_input_open_mem_chunked(const void *data, size_t len, size_t piece,
						   const N2pAllocator *alloc, N2pError *err)
{
	const unsigned char *b = data;
	bool		gzip = len >= 2 && b[0] == 0x1f && b[1] == 0x8b;

	if (piece == 0)
	{
		n2p_error_set(err, N2P_ERR_USAGE, "piece size must be positive");
		return NULL;
	}
	return input_open_region(data, len, gzip, piece, alloc, err);
}

/* Next raw (on-disk) bytes; *len == 0 at the end. */
static bool
raw_next(N2pInput *in, const unsigned char **data, size_t *len, N2pError *err)
{
	ssize_t		n;
	int			errnum = 0;

	if (in->file == NULL)
	{
		size_t		left = in->mem_len - in->mem_pos;

		*len = left < in->piece ? left : in->piece;
		*data = in->mem + in->mem_pos;
		in->mem_pos += *len;
	}
	else
	{
		n = in->io->read(in->file, in->rawbuf, in->piece, &errnum);
		if (n < 0)
			return input_fail(in, err, N2P_ERR_IO, "could not read file", strerror(errnum));
		*data = in->rawbuf;
		*len = (size_t) n;
	}
	in->raw_bytes += *len;
	if (*len == 0)
		in->raw_eof = true;
	return true;
}

static bool
gzip_error(N2pInput *in, int rc, N2pError *err)
{
	const char *zmsg = in->zs.msg ? in->zs.msg : zError(rc);

	if (rc == Z_MEM_ERROR)
		return input_fail(in, err, N2P_ERR_NOMEM, "out of memory in zlib", NULL);
	if (in->later_member && in->zs.total_out == 0)
		return input_fail(in, err, N2P_ERR_IO,
						  "trailing bytes after gzip data are not a gzip member", zmsg);
	return input_fail(in, err, N2P_ERR_IO, "invalid gzip data", zmsg);
}

/*
 * Inflate until some output appears.  A member that ends exactly at the
 * end of the raw input is the normal end; more input after a member is
 * taken to be the next member.
 */
static bool
gzip_read(N2pInput *in, const char **data, size_t *len, N2pError *err)
{
	for (;;)
	{
		int			rc;
		size_t		produced;

		if (in->zs.avail_in == 0 && !in->raw_eof)
		{
			const unsigned char *raw;
			size_t		n;

			if (!raw_next(in, &raw, &n, err))
				return false;
			/* zlib never writes through next_in */
			in->zs.next_in = (Bytef *) raw;
			in->zs.avail_in = (uInt) n;
			continue;
		}
		if (in->member_end)
		{
			if (in->zs.avail_in == 0)
			{
				*data = (const char *) in->outbuf;
				*len = 0;
				return true;
			}
			if ((rc = inflateReset(&in->zs)) != Z_OK)
				return gzip_error(in, rc, err);
			in->member_end = false;
			in->later_member = true;
		}
		if (in->zs.avail_in == 0)
			return input_fail(in, err, N2P_ERR_IO,
							  "unexpected end of gzip data (file truncated?)", NULL);

		in->zs.next_out = in->outbuf;
		in->zs.avail_out = (uInt) in->outcap;
		rc = inflate(&in->zs, Z_NO_FLUSH);
		produced = in->outcap - in->zs.avail_out;
		if (rc == Z_STREAM_END)
			in->member_end = true;
		else if (rc == Z_BUF_ERROR && in->zs.avail_in == 0)
			;					/* needs more input: loop reads it */
		else if (rc != Z_OK)
			return gzip_error(in, rc, err);
		if (produced > 0)
		{
			*data = (const char *) in->outbuf;
			*len = produced;
			return true;
		}
	}
}

bool
n2p_input_read(N2pInput *in, const char **data, size_t *len, N2pError *err)
{
	const unsigned char *raw;

	*data = NULL;
	*len = 0;
	if (in->failed)
		return input_error(in, err, N2P_ERR_USAGE, "read after an earlier error", NULL);
	if (in->gzip)
		return gzip_read(in, data, len, err);
	if (in->raw_eof)
		return true;
	if (!raw_next(in, &raw, len, err))
		return false;
	*data = (const char *) raw;
	return true;
}

uint64_t
n2p_input_raw_bytes(const N2pInput *in)
{
	return in->raw_bytes;
}

void
n2p_input_close(N2pInput *in)
{
	if (in == NULL)
		return;
	if (in->zs_ready)
		inflateEnd(&in->zs);
	if (in->file != NULL)
		in->io->close(in->file);
	n2p_free(in->alloc, in->outbuf);
	n2p_free(in->alloc, in->rawbuf);
	n2p_free(in->alloc, in->path);
	n2p_free(in->alloc, in);
}
