/*-------------------------------------------------------------------------
 *
 * common.c
 *	  Allocator hooks, errors, arenas and byte buffers.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/core/common.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/common.h"
#include "neo2pg/scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *
libc_malloc(size_t size, void *ctx)
{
	(void) ctx;
	return malloc(size);
}

static void *
libc_realloc(void *ptr, size_t old_size, size_t new_size, void *ctx)
{
	(void) ctx;
	(void) old_size;
	return realloc(ptr, new_size);
}

static void
libc_free(void *ptr, void *ctx)
{
	(void) ctx;
	free(ptr);
}

const N2pAllocator n2p_libc_allocator = {libc_malloc, libc_realloc, libc_free, NULL};

void *
n2p_alloc(const N2pAllocator *a, size_t size)
{
	return a->malloc(size ? size : 1, a->ctx);
}

void *
n2p_realloc(const N2pAllocator *a, void *ptr, size_t old_size, size_t new_size)
{
	void	   *p;

	if (a->realloc)
		return a->realloc(ptr, old_size, new_size, a->ctx);
	p = a->malloc(new_size, a->ctx);
	if (p && ptr)
	{
		memcpy(p, ptr, old_size < new_size ? old_size : new_size);
		a->free(ptr, a->ctx);
	}
	return p;
}

void
n2p_free(const N2pAllocator *a, void *ptr)
{
	if (ptr)
		a->free(ptr, a->ctx);
}

/*
 * Only the header fields and the first byte of each text: the texts are
 * several kB, and a caller may init an error per value it tries.
 */
void
n2p_error_init(N2pError *err)
{
	err->code = N2P_OK;
	err->msg[0] = '\0';
	err->file[0] = '\0';
	err->key[0] = '\0';
	err->has_key = false;
	err->row_kind = NULL;
	err->row_id = -1;
	err->offset = -1;
}

/*
 * Only the first error is kept: the innermost failure is the one that
 * names the real cause, outer layers add location fields instead.
 */
bool
n2p_error_set(N2pError *err, N2pErrCode code, const char *fmt,...)
{
	va_list		ap;

	if (err == NULL || err->code != N2P_OK)
		return false;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return false;
}

void
n2p_error_set_key(N2pError *err, const char *key, size_t len)
{
	if (err == NULL || err->has_key)
		return;
	n2p_escape_text(key, len, err->key, sizeof(err->key));
	err->has_key = true;		/* "" is a key too */
}

void
n2p_error_set_file(N2pError *err, const char *path)
{
	if (err == NULL || err->file[0] != '\0')
		return;
	snprintf(err->file, sizeof(err->file), "%s", path);
}

/* Bytes of the escaped form of c: 1, 2 ("\\" and "\"") or 6 (\u00XX). */
static size_t
escape_char(unsigned char c, char *out)
{
	static const char hex[] = "0123456789abcdef";

	if (c == '"' || c == '\\')
	{
		out[0] = '\\';
		out[1] = (char) c;
		return 2;
	}
	if (c < 0x20 || c == 0x7f)
	{
		memcpy(out, "\\u00", 4);
		out[4] = hex[c >> 4];
		out[5] = hex[c & 15];
		return 6;
	}
	out[0] = (char) c;
	return 1;
}

/* Escape s[0..len) into out while it fits in budget bytes; returns the bytes used. */
static size_t
escape_into(const char *s, size_t len, char *out, size_t budget, size_t *done)
{
	size_t		n = 0,
				i;

	for (i = 0; i < len; i++)
	{
		char		e[6];
		size_t		k = escape_char((unsigned char) s[i], e);

		if (n + k > budget)
			break;
		memcpy(out + n, e, k);
		n += k;
	}
	/* never end inside a UTF-8 character: its bytes were copied one to one */
	if (i < len && ((unsigned char) s[i] & 0xC0) == 0x80)
	{
		while (i > 0 && ((unsigned char) s[i - 1] & 0xC0) == 0x80)
		{
			i--;
			n--;
		}
		if (i > 0 && ((unsigned char) s[i - 1] & 0xC0) == 0xC0)
		{
			i--;
			n--;
		}
	}
	*done = i;
	return n;
}

char *
n2p_escape_text(const char *s, size_t len, char *out, size_t cap)
{
	char		tail[48];
	size_t		tail_len,
				done,
				n;

	if (cap == 0)
		return out;
	n = escape_into(s, len, out, cap - 1, &done);
	if (done < len)
	{
		size_t		room;

		tail_len = (size_t) snprintf(tail, sizeof(tail), "... (%zu bytes)", len);
		n = cap > tail_len + 1 ? escape_into(s, len, out, cap - 1 - tail_len, &done) : 0;
		room = cap - 1 - n;
		memcpy(out + n, tail, tail_len < room ? tail_len : room);
		n += tail_len < room ? tail_len : room;
	}
	out[n] = '\0';
	return out;
}

/* ---------------------------------------------------------------- arena */

struct N2pArenaBlock
{
	N2pArenaBlock *next;
	size_t		size;
	size_t		used;
	/* data follows, max_align_t aligned */
	max_align_t data[];
};

#define ARENA_MIN_BLOCK (64 * 1024)
#define ARENA_ALIGN (sizeof(max_align_t))

void
n2p_arena_init(N2pArena *arena, const N2pAllocator *alloc, size_t limit)
{
	arena->alloc = alloc;
	arena->head = NULL;
	arena->block_size = ARENA_MIN_BLOCK;
	arena->total = 0;
	arena->limit = limit;
}

static N2pArenaBlock *
arena_new_block(N2pArena *arena, size_t need)
{
	size_t		size = arena->block_size;
	N2pArenaBlock *b;

	while (size < need)
		size *= 2;
	if (arena->limit && arena->total + size > arena->limit)
		return NULL;
	b = n2p_alloc(arena->alloc, sizeof(N2pArenaBlock) + size);
	if (b == NULL)
		return NULL;
	b->size = size;
	b->used = 0;
	b->next = arena->head;
	arena->head = b;
	arena->total += size;
	return b;
}

void *
n2p_arena_alloc(N2pArena *arena, size_t size)
{
	N2pArenaBlock *b = arena->head;
	void	   *p;

	size = (size + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	if (b == NULL || b->size - b->used < size)
	{
		b = arena_new_block(arena, size);
		if (b == NULL)
			return NULL;
	}
	p = (char *) b->data + b->used;
	b->used += size;
	return p;
}

/*
 * Keep only the largest block: rows are similar in size, so after the
 * first few rows a reset leaves one block that fits a whole row.
 */
char *
n2p_arena_strndup(N2pArena *arena, const char *s, size_t len)
{
	char	   *p = n2p_arena_alloc(arena, len + 1);

	if (p)
	{
		if (len)
			memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

void
n2p_arena_reset(N2pArena *arena)
{
	N2pArenaBlock *b = arena->head,
			   *keep = NULL;

	while (b)
	{
		N2pArenaBlock *next = b->next;

		if (keep == NULL || b->size > keep->size)
		{
			if (keep)
				n2p_free(arena->alloc, keep);
			keep = b;
		}
		else
			n2p_free(arena->alloc, b);
		b = next;
	}
	arena->head = keep;
	arena->total = 0;
	if (keep)
	{
		keep->next = NULL;
		keep->used = 0;
		arena->total = keep->size;
		arena->block_size = keep->size;
	}
}

void
n2p_arena_destroy(N2pArena *arena)
{
	N2pArenaBlock *b = arena->head;

	while (b)
	{
		N2pArenaBlock *next = b->next;

		n2p_free(arena->alloc, b);
		b = next;
	}
	arena->head = NULL;
	arena->total = 0;
}

/* ---------------------------------------------------------------- buffer */

void
n2p_buf_init(N2pBuf *buf, const N2pAllocator *alloc)
{
	buf->alloc = alloc;
	buf->data = NULL;
	buf->len = 0;
	buf->cap = 0;
	buf->oom = false;
}

bool
n2p_buf_reserve(N2pBuf *buf, size_t extra)
{
	size_t		want = buf->len + extra + 1;
	size_t		cap;
	char	   *p;

	if (buf->oom)
		return false;
	if (want <= buf->cap)
		return true;
	cap = buf->cap ? buf->cap : 256;
	while (cap < want)
		cap *= 2;
	p = n2p_realloc(buf->alloc, buf->data, buf->cap, cap);
	if (p == NULL)
	{
		buf->oom = true;
		return false;
	}
	buf->data = p;
	buf->cap = cap;
	return true;
}

bool
n2p_buf_append_slow(N2pBuf *buf, const void *data, size_t len)
{
	if (!n2p_buf_reserve(buf, len))
		return false;
	if (len)
		memcpy(buf->data + buf->len, data, len);
	buf->len += len;
	buf->data[buf->len] = '\0';
	return true;
}

/* Format straight into the spare capacity; measure first only on overflow. */
bool
n2p_buf_put_uint(N2pBuf *buf, uint64_t v)
{
	char		tmp[20];
	size_t		n = sizeof(tmp);

	do
	{
		tmp[--n] = (char) ('0' + v % 10);
		v /= 10;
	} while (v);
	return n2p_buf_append(buf, tmp + n, sizeof(tmp) - n);
}

bool
n2p_buf_put_int(N2pBuf *buf, int64_t v)
{
	if (v < 0 && !n2p_buf_putc(buf, '-'))
		return false;
	return n2p_buf_put_uint(buf, v < 0 ? (uint64_t) 0 - (uint64_t) v : (uint64_t) v);
}

bool
n2p_buf_printf(N2pBuf *buf, const char *fmt,...)
{
	va_list		ap;
	size_t		room = buf->cap > buf->len ? buf->cap - buf->len : 0;
	int			n;

	if (buf->oom)
		return false;
	va_start(ap, fmt);
	n = vsnprintf(room ? buf->data + buf->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		return false;
	if ((size_t) n >= room)
	{
		if (!n2p_buf_reserve(buf, (size_t) n))
			return false;
		va_start(ap, fmt);
		vsnprintf(buf->data + buf->len, (size_t) n + 1, fmt, ap);
		va_end(ap);
	}
	buf->len += (size_t) n;
	return true;
}

void
n2p_buf_reset(N2pBuf *buf)
{
	buf->len = 0;
	if (buf->data)
		buf->data[0] = '\0';
}

void
n2p_buf_free(N2pBuf *buf)
{
	n2p_free(buf->alloc, buf->data);
	buf->data = NULL;
	buf->len = buf->cap = 0;
}

/* How much of a bad input an error message quotes. */
#define ERR_QUOTE_MAX	80

char *
n2p_text_prefix(const char *s, size_t len, char *out, size_t max)
{
	size_t		n = len > max ? max : len;
	size_t		i;

	while (n < len && n > 0 && ((unsigned char) s[n] & 0xC0) == 0x80)
		n--;
	for (i = 0; i < n; i++)
		out[i] = ((unsigned char) s[i] < 0x20 || s[i] == 0x7F) ? '?' : s[i];
	strcpy(out + n, n < len ? "..." : "");
	return out;
}

bool
n2p_syntax_error(N2pError *err, const char *what, const char *how,
				 const char *s, size_t len)
{
	char		quoted[ERR_QUOTE_MAX + 4];

	n2p_text_prefix(s, len, quoted, ERR_QUOTE_MAX);
	return n2p_error_set(err, N2P_ERR_SYNTAX, "invalid %s %s \"%s\"",
						 what, how, quoted);
}
