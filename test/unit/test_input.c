/*-------------------------------------------------------------------------
 *
 * test_input.c
 *	  Unit tests for the byte sources: plain and gzip, from memory and from
 *	  files, several gzip members, and every kind of damaged gzip file.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  test/unit/test_input.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_support.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "neo2pg/input.h"

static const char sample[] =
"[\n{\n\"node_id\": 0,\n\"node_labels\": \"Person\",\n\"node_props\": {\n"
"\"name\": \"Keanu Reeves\",\n\"born\": 1964\n},\n\"hash_props\": {}\n}\n]";

/* ---------------------------------------------------------------- helpers */


/*
 * Read an input to its end into out; returns false (with err set) on
 * error.  Checks that no piece is empty or larger than max_piece.
 */
static bool
drain(N2pInput *in, N2pBuf *out, size_t max_piece, N2pError *err)
{
	const char *data;
	size_t		len;

	for (;;)
	{
		if (!n2p_input_read(in, &data, &len, err))
			return false;
		if (len == 0)
			return true;
		assert_true(len <= max_piece);
		n2p_buf_append(out, data, len);
	}
}

/* Read a region (plain or gzip) at a piece size; 0 = n2p_input_open_mem. */
static bool
read_region(const void *data, size_t len, bool gzip, size_t piece, N2pBuf *out,
			N2pError *err)
{
	N2pInput   *in;
	bool		ok;

	n2p_error_init(err);
	if (piece == 0)
		in = n2p_input_open_mem(data, len, gzip, &n2p_libc_allocator, err);
	else
		in = n2p_input_open_mem_chunked(data, len, piece, &n2p_libc_allocator, err);
	assert_non_null(in);
	ok = drain(in, out, piece ? piece : 256 * 1024, err);
	if (ok)
		assert_int_equal(n2p_input_raw_bytes(in), len);
	n2p_input_close(in);
	return ok;
}

/* Deterministic text that compresses poorly enough to span many buffers. */
static char *
make_text(size_t len)
{
	char	   *s = malloc(len);
	uint32_t	x = 12345;
	size_t		i;

	for (i = 0; i < len; i++)
	{
		x = x * 1103515245 + 12345;
		s[i] = (char) (' ' + (x >> 16) % 95);
	}
	return s;
}

static char *
write_temp(const void *data, size_t len)
{
	char	   *path = strdup("/tmp/n2p_test_input_XXXXXX");
	int			fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t) len);
	close(fd);
	return path;
}

/* Expect a gzip region to fail with N2P_ERR_IO and msg in the message. */
static void
expect_gzip_error(const void *data, size_t len, const char *msg)
{
	static const size_t pieces[] = {0, 1, 3, 100};
	size_t		i;

	for (i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++)
	{
		N2pBuf		out;
		N2pError	err;

		n2p_buf_init(&out, &n2p_libc_allocator);
		/* chunked detects gzip by its magic, a damaged header is read as plain */
		if (pieces[i] != 0 && (len < 2 || ((const unsigned char *) data)[0] != 0x1f))
			continue;
		if (read_region(data, len, true, pieces[i], &out, &err))
			fail_msg("piece %zu: no error, expected \"%s\"", pieces[i], msg);
		n2p_buf_free(&out);
		assert_int_equal(err.code, N2P_ERR_IO);
		if (strstr(err.msg, msg) == NULL)
			fail_msg("piece %zu: \"%s\" lacks \"%s\"", pieces[i], err.msg, msg);
	}
}

/* ---------------------------------------------------------------- plain */

static void
test_plain_mem(void **state)
{
	size_t		piece;

	(void) state;
	for (piece = 0; piece < 20; piece++)
	{
		N2pBuf		out;
		N2pError	err;

		n2p_buf_init(&out, &n2p_libc_allocator);
		assert_true(read_region(sample, sizeof(sample) - 1, false, piece, &out, &err));
		assert_int_equal(out.len, sizeof(sample) - 1);
		assert_memory_equal(out.data, sample, out.len);
		n2p_buf_free(&out);
	}
}

static void
test_plain_empty(void **state)
{
	N2pBuf		out;
	N2pError	err;

	(void) state;
	n2p_buf_init(&out, &n2p_libc_allocator);
	assert_true(read_region("", 0, false, 0, &out, &err));
	assert_true(read_region("", 0, false, 1, &out, &err));
	assert_int_equal(out.len, 0);
	n2p_buf_free(&out);
}

/* End of input stays the end. */
static void
test_end_repeats(void **state)
{
	N2pError	err;
	N2pInput   *in;
	const char *data;
	size_t		len;

	(void) state;
	n2p_error_init(&err);
	in = n2p_input_open_mem("ab", 2, false, &n2p_libc_allocator, &err);
	assert_true(n2p_input_read(in, &data, &len, &err));
	assert_int_equal(len, 2);
	assert_true(n2p_input_read(in, &data, &len, &err));
	assert_int_equal(len, 0);
	assert_true(n2p_input_read(in, &data, &len, &err));
	assert_int_equal(len, 0);
	n2p_input_close(in);
}

static void
test_chunked_zero_piece(void **state)
{
	N2pError	err;

	(void) state;
	n2p_error_init(&err);
	assert_null(n2p_input_open_mem_chunked("a", 1, 0, &n2p_libc_allocator, &err));
	assert_int_equal(err.code, N2P_ERR_USAGE);
}

/* ---------------------------------------------------------------- gzip */

static void
test_gzip_roundtrip(void **state)
{
	size_t		zlen;
	unsigned char *z = gzip_bytes(sample, sizeof(sample) - 1, &zlen);
	size_t		piece;

	(void) state;
	for (piece = 0; piece < 20; piece++)
	{
		N2pBuf		out;
		N2pError	err;

		n2p_buf_init(&out, &n2p_libc_allocator);
		if (!read_region(z, zlen, true, piece, &out, &err))
			fail_msg("piece %zu: %s", piece, err.msg);
		assert_int_equal(out.len, sizeof(sample) - 1);
		assert_memory_equal(out.data, sample, out.len);
		n2p_buf_free(&out);
	}
	free(z);
}

/* Several MB, so both the input and the output buffers wrap many times. */
static void
test_gzip_large(void **state)
{
	size_t		len = 3 * 1024 * 1024 + 17;
	char	   *text = make_text(len);
	size_t		zlen;
	unsigned char *z = gzip_bytes(text, len, &zlen);
	N2pBuf		out;
	N2pError	err;

	(void) state;
	n2p_buf_init(&out, &n2p_libc_allocator);
	assert_true(read_region(z, zlen, true, 0, &out, &err));
	assert_int_equal(out.len, len);
	assert_memory_equal(out.data, text, len);
	n2p_buf_free(&out);
	free(z);
	free(text);
}

/* "cat a.gz b.gz" is one valid gzip file holding a then b. */
static void
test_gzip_two_members(void **state)
{
	size_t		alen,
				blen;
	unsigned char *a = gzip_bytes("[1, 2", 5, &alen);
	unsigned char *b = gzip_bytes(", 3]", 4, &blen);
	unsigned char *ab = malloc(alen + blen);
	size_t		piece;

	(void) state;
	memcpy(ab, a, alen);
	memcpy(ab + alen, b, blen);
	for (piece = 0; piece <= alen + blen; piece++)
	{
		N2pBuf		out;
		N2pError	err;

		n2p_buf_init(&out, &n2p_libc_allocator);
		if (!read_region(ab, alen + blen, true, piece, &out, &err))
			fail_msg("piece %zu: %s", piece, err.msg);
		assert_int_equal(out.len, 9);
		assert_memory_equal(out.data, "[1, 2, 3]", 9);
		n2p_buf_free(&out);
	}
	free(a);
	free(b);
	free(ab);
}

/* A member with no data is still a member. */
static void
test_gzip_empty_member(void **state)
{
	size_t		zlen;
	unsigned char *z = gzip_bytes("", 0, &zlen);
	N2pBuf		out;
	N2pError	err;

	(void) state;
	n2p_buf_init(&out, &n2p_libc_allocator);
	assert_true(read_region(z, zlen, true, 0, &out, &err));
	assert_int_equal(out.len, 0);
	n2p_buf_free(&out);
	free(z);
}

/* Every proper prefix of a member, including none at all, is truncated. */
static void
test_gzip_truncated(void **state)
{
	size_t		zlen;
	unsigned char *z = gzip_bytes(sample, sizeof(sample) - 1, &zlen);
	size_t		cut;

	(void) state;
	for (cut = 0; cut < zlen; cut++)
		expect_gzip_error(z, cut, "unexpected end of gzip data (file truncated?)");
	free(z);
}

static void
test_gzip_corrupt(void **state)
{
	size_t		zlen;
	unsigned char *z = gzip_bytes(sample, sizeof(sample) - 1, &zlen);

	(void) state;
	/* the CRC-32 is the first trailer word */
	z[zlen - 8] ^= 0x55;
	expect_gzip_error(z, zlen, "incorrect data check");
	z[zlen - 8] ^= 0x55;
	/* ISIZE, the last trailer word */
	z[zlen - 1] ^= 0x01;
	expect_gzip_error(z, zlen, "incorrect length check");
	z[zlen - 1] ^= 0x01;
	/* the compression method byte of the header */
	z[2] = 7;
	expect_gzip_error(z, zlen, "invalid gzip data");
	z[2] = 8;
	/* not gzip at all */
	expect_gzip_error("[1, 2, 3]", 9, "invalid gzip data");
	free(z);
}

/* A corrupted byte anywhere after the header is caught, or changes nothing. */
static void
test_gzip_any_corruption(void **state)
{
	size_t		zlen;
	unsigned char *z = gzip_bytes(sample, sizeof(sample) - 1, &zlen);
	size_t		i;

	(void) state;
	for (i = 10; i < zlen; i++)
	{
		N2pBuf		out;
		N2pError	err;
		bool		ok;

		z[i] ^= 0x20;
		n2p_buf_init(&out, &n2p_libc_allocator);
		ok = read_region(z, zlen, true, 0, &out, &err);
		/* only the padding bits of the last deflate byte may change freely */
		if (ok && (out.len != sizeof(sample) - 1 || memcmp(out.data, sample, out.len) != 0))
			fail_msg("flipping byte %zu went unnoticed", i);
		n2p_buf_free(&out);
		if (!ok)
			assert_int_equal(err.code, N2P_ERR_IO);
		z[i] ^= 0x20;
	}
	free(z);
}

static void
test_gzip_trailing_garbage(void **state)
{
	size_t		zlen;
	unsigned char *z = gzip_bytes(sample, sizeof(sample) - 1, &zlen);
	unsigned char *zz = malloc(zlen + 16);

	(void) state;
	memcpy(zz, z, zlen);
	memcpy(zz + zlen, "garbage garbage!", 16);
	expect_gzip_error(zz, zlen + 16, "trailing bytes after gzip data");
	/* a lone byte of gzip magic is an incomplete member */
	zz[zlen] = 0x1f;
	expect_gzip_error(zz, zlen + 1, "unexpected end of gzip data");
	/* zero padding (some tape tools add it) is not accepted either */
	memset(zz + zlen, 0, 16);
	expect_gzip_error(zz, zlen + 16, "trailing bytes after gzip data");
	free(zz);
	free(z);
}

/* After an error the input refuses to go on. */
static void
test_error_sticky(void **state)
{
	N2pError	err;
	N2pInput   *in;
	const char *data;
	size_t		len;

	(void) state;
	n2p_error_init(&err);
	in = n2p_input_open_mem("not gzip", 8, true, &n2p_libc_allocator, &err);
	assert_false(n2p_input_read(in, &data, &len, &err));
	assert_int_equal(err.code, N2P_ERR_IO);
	n2p_error_init(&err);
	assert_false(n2p_input_read(in, &data, &len, &err));
	assert_int_equal(err.code, N2P_ERR_USAGE);
	n2p_input_close(in);
}

/* ---------------------------------------------------------------- files */

static void
check_file(const void *data, size_t len, bool gzip, const void *expect, size_t elen)
{
	char	   *path = write_temp(data, len);
	N2pError	err;
	N2pInput   *in;
	N2pBuf		out;

	n2p_error_init(&err);
	in = n2p_input_open(path, gzip, &n2p_libc_allocator, &err);
	assert_non_null(in);
	n2p_buf_init(&out, &n2p_libc_allocator);
	if (!drain(in, &out, 256 * 1024, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(out.len, elen);
	assert_memory_equal(out.data, expect, elen);
	assert_int_equal(n2p_input_raw_bytes(in), len);
	n2p_input_close(in);
	n2p_buf_free(&out);
	unlink(path);
	free(path);
}

static void
test_file_plain_and_gzip(void **state)
{
	size_t		len = 1024 * 1024 + 3;
	char	   *text = make_text(len);
	size_t		zlen;
	unsigned char *z = gzip_bytes(text, len, &zlen);

	(void) state;
	check_file(text, len, false, text, len);
	check_file(z, zlen, true, text, len);
	check_file("", 0, false, "", 0);
	free(z);
	free(text);
}

static void
test_file_open_error(void **state)
{
	N2pError	err;

	(void) state;
	n2p_error_init(&err);
	assert_null(n2p_input_open("/nonexistent/dir/nodes_1.json.gz", true,
							   &n2p_libc_allocator, &err));
	assert_int_equal(err.code, N2P_ERR_IO);
	assert_string_equal(err.file, "/nonexistent/dir/nodes_1.json.gz");
	assert_string_equal(err.msg, "could not open file: No such file or directory");
}

/* A scripted file: its bytes one at a time, then a failure if asked. */
typedef struct FakeFile
{
	const char *data;
	size_t		pos;
	int			fail_at_end;	/* errno after the data, 0 for a clean end */
	int			opens;
	int			closes;
} FakeFile;

static void *
fake_open(const char *path, void *ctx, int *errnum)
{
	FakeFile   *f = ctx;

	if (strcmp(path, "missing") == 0)
	{
		*errnum = EACCES;
		return NULL;
	}
	f->opens++;
	return f;
}

static ssize_t
fake_read(void *file, void *buf, size_t len, int *errnum)
{
	FakeFile   *f = file;

	if (f->data[f->pos] == '\0')
	{
		*errnum = f->fail_at_end;
		return f->fail_at_end ? -1 : 0;
	}
	(void) len;
	memcpy(buf, f->data + f->pos++, 1);
	return 1;
}

static void
fake_close(void *file)
{
	((FakeFile *) file)->closes++;
}

/* Every byte and every failure comes through the caller's I/O table. */
static void
test_file_io_table(void **state)
{
	FakeFile	f = {"[1, 2]", 0, 0, 0, 0};
	N2pFileIO	io = {.open = fake_open, .read = fake_read, .close = fake_close, .ctx = &f};
	N2pError	err;
	N2pInput   *in;
	N2pBuf		out;

	(void) state;
	n2p_error_init(&err);
	n2p_buf_init(&out, &n2p_libc_allocator);
	in = n2p_input_open_io("chunk", false, &io, &n2p_libc_allocator, &err);
	assert_non_null(in);
	assert_true(drain(in, &out, 1, &err));
	assert_int_equal(out.len, 6);
	assert_memory_equal(out.data, "[1, 2]", 6);
	n2p_input_close(in);
	assert_int_equal(f.opens, 1);
	assert_int_equal(f.closes, 1);

	f = (FakeFile) {"ab", 0, EIO, 0, 0};
	in = n2p_input_open_io("chunk", false, &io, &n2p_libc_allocator, &err);
	assert_non_null(in);
	n2p_buf_reset(&out);
	assert_false(drain(in, &out, 1, &err));
	assert_int_equal(err.code, N2P_ERR_IO);
	assert_string_equal(err.file, "chunk");
	assert_string_equal(err.msg, "could not read file: Input/output error");
	n2p_input_close(in);
	assert_int_equal(f.closes, 1);

	n2p_error_init(&err);
	assert_null(n2p_input_open_io("missing", true, &io, &n2p_libc_allocator, &err));
	assert_string_equal(err.msg, "could not open file: Permission denied");
	assert_string_equal(err.file, "missing");
	n2p_buf_free(&out);
}

/* A directory opens but cannot be read; the message names it. */
static void
test_file_read_error(void **state)
{
	N2pError	err;
	N2pInput   *in;
	const char *data;
	size_t		len;

	(void) state;
	n2p_error_init(&err);
	in = n2p_input_open("/tmp", false, &n2p_libc_allocator, &err);
	assert_non_null(in);
	assert_false(n2p_input_read(in, &data, &len, &err));
	assert_int_equal(err.code, N2P_ERR_IO);
	assert_string_equal(err.file, "/tmp");
	assert_string_equal(err.msg, "could not read file: Is a directory");
	n2p_input_close(in);
}

/*
 * A path far longer than the 256 bytes an error once held: the error
 * names it whole, in err->file only, and the message does not repeat it.
 */
static void
test_file_long_path_gzip_error(void **state)
{
	char		dir[] = "/tmp/n2p_longXXXXXX";
	char		path[1200];
	size_t		n;
	FILE	   *f;
	N2pError	err;
	N2pInput   *in;
	N2pBuf		out;

	(void) state;
	assert_non_null(mkdtemp(dir));
	n = (size_t) snprintf(path, sizeof(path), "%s/", dir);
	while (n < 900)
	{
		memset(path + n, 'd', 200);
		path[n + 200] = '\0';
		assert_int_equal(mkdir(path, 0700), 0);
		path[n + 200] = '/';
		n += 201;
	}
	snprintf(path + n, sizeof(path) - n, "nodes_1.json.gz");
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs("\x1f\x8bthis is not deflate data at all", f);
	fclose(f);
	n2p_error_init(&err);
	in = n2p_input_open(path, true, &n2p_libc_allocator, &err);
	assert_non_null(in);
	n2p_buf_init(&out, &n2p_libc_allocator);
	assert_false(drain(in, &out, 256 * 1024, &err));
	assert_int_equal(err.code, N2P_ERR_IO);
	assert_true(strlen(path) > 900);
	assert_string_equal(err.file, path);
	assert_non_null(strstr(err.msg, "invalid gzip data: "));
	assert_null(strstr(err.msg, dir));
	n2p_input_close(in);
	n2p_buf_free(&out);
	unlink(path);
	do
	{
		*strrchr(path, '/') = '\0';
		rmdir(path);
	} while (strlen(path) > strlen(dir));
}

static void
test_file_truncated_gzip(void **state)
{
	size_t		zlen;
	unsigned char *z = gzip_bytes(sample, sizeof(sample) - 1, &zlen);
	char	   *path = write_temp(z, zlen - 3);
	N2pError	err;
	N2pInput   *in;
	N2pBuf		out;

	(void) state;
	n2p_error_init(&err);
	in = n2p_input_open(path, true, &n2p_libc_allocator, &err);
	assert_non_null(in);
	n2p_buf_init(&out, &n2p_libc_allocator);
	assert_false(drain(in, &out, 256 * 1024, &err));
	assert_int_equal(err.code, N2P_ERR_IO);
	assert_string_equal(err.file, path);
	assert_string_equal(err.msg, "unexpected end of gzip data (file truncated?)");
	n2p_input_close(in);
	n2p_buf_free(&out);
	unlink(path);
	free(path);
	free(z);
}

/* ---------------------------------------------------------------- allocator */

/* zlib's memory comes from our allocator, and every failure is clean. */
static void
test_failing_allocator(void **state)
{
	size_t		zlen;
	unsigned char *z = gzip_bytes(sample, sizeof(sample) - 1, &zlen);
	int			n;

	(void) state;
	for (n = 0;; n++)
	{
		FailingAlloc fa = {.left = n};
		N2pAllocator a = {failing_malloc, NULL, failing_free, &fa};
		N2pError	err;
		N2pInput   *in;
		bool		ok = false;

		n2p_error_init(&err);
		in = n2p_input_open_mem(z, zlen, true, &a, &err);
		if (in != NULL)
		{
			const char *data;
			size_t		len;

			while ((ok = n2p_input_read(in, &data, &len, &err)) && len > 0)
				;
			n2p_input_close(in);
		}
		assert_int_equal(fa.live, 0);
		if (ok)
		{
			assert_true(n >= 3);	/* input, buffer and zlib's state */
			break;
		}
		assert_int_equal(err.code, N2P_ERR_NOMEM);
	}
	free(z);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_mem),
		cmocka_unit_test(test_plain_empty),
		cmocka_unit_test(test_end_repeats),
		cmocka_unit_test(test_chunked_zero_piece),
		cmocka_unit_test(test_gzip_roundtrip),
		cmocka_unit_test(test_gzip_large),
		cmocka_unit_test(test_gzip_two_members),
		cmocka_unit_test(test_gzip_empty_member),
		cmocka_unit_test(test_gzip_truncated),
		cmocka_unit_test(test_gzip_corrupt),
		cmocka_unit_test(test_gzip_any_corruption),
		cmocka_unit_test(test_gzip_trailing_garbage),
		cmocka_unit_test(test_error_sticky),
		cmocka_unit_test(test_file_plain_and_gzip),
		cmocka_unit_test(test_file_open_error),
		cmocka_unit_test(test_file_io_table),
		cmocka_unit_test(test_file_read_error),
		cmocka_unit_test(test_file_truncated_gzip),
		cmocka_unit_test(test_file_long_path_gzip_error),
		cmocka_unit_test(test_failing_allocator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
