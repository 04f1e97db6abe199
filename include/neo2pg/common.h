/*-------------------------------------------------------------------------
 *
 * common.h
 *	  Allocator hooks, error reporting, arenas and byte buffers shared by
 *	  every module of the neo2pg core library.
 *
 * The core never prints and never exits: it runs both in the CLI and inside
 * a PostgreSQL backend.  Every fallible function therefore returns a status
 * and fills an N2pError that the caller owns; memory comes from an
 * N2pAllocator that the caller supplies (malloc in the CLI, a memory context
 * in the backend).
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  include/neo2pg/common.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_COMMON_H
#define NEO2PG_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define N2P_VERSION "0.1.0"

/* Error classes; the CLI maps them to exit codes and messages. */
typedef enum N2pErrCode
{
	N2P_OK = 0,
	N2P_ERR_NOMEM,				/* allocation failed */
	N2P_ERR_IO,					/* read/write/open failure, truncated gzip */
	N2P_ERR_SYNTAX,				/* invalid JSON or literal */
	N2P_ERR_DATA,				/* valid syntax, invalid content (digest, id) */
	N2P_ERR_LIMIT,				/* a hard limit (depth, size) was exceeded */
	N2P_ERR_USAGE				/* API misuse by the caller */
} N2pErrCode;

/*
 * Where the error happened, so that the CLI can name file, row and key.
 * Fields that do not apply are left empty / -1.
 *
 * file holds any path the system can open (PATH_MAX), so a path is never
 * cut.  key holds the key escaped for printing (n2p_escape_text): a key
 * may hold U+0000 or control characters, and a C string of the raw bytes
 * would end at the first NUL.
 */
#define N2P_ERR_FILE_MAX 4096
#define N2P_ERR_KEY_MAX 4096

typedef struct N2pError
{
	N2pErrCode	code;
	char		msg[N2P_ERR_KEY_MAX + 512];	/* may name a second key */
	char		file[N2P_ERR_FILE_MAX]; /* input file name, "" when not applicable */
	int64_t		row_id;			/* node_id / rel_id, or -1 */
	const char *row_kind;		/* "node", "relationship" or NULL */
	char		key[N2P_ERR_KEY_MAX];	/* property key, escaped */
	bool		has_key;		/* key applies ("" is a key too) */
	int64_t		offset;			/* byte offset in the (inflated) file, or -1 */
} N2pError;

void		n2p_error_init(N2pError *err);
bool		n2p_error_set(N2pError *err, N2pErrCode code, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));

/* The first key set stays; the key is stored escaped, NULs and all. */
void		n2p_error_set_key(N2pError *err, const char *key, size_t len);

/* The file, unless an inner layer already named one. */
void		n2p_error_set_file(N2pError *err, const char *path);

/*
 * s as printable text into out (cap bytes, NUL-terminated): '"' and '\'
 * are escaped, control characters (U+0000 included) and DEL become
 * \u00XX, and everything else is copied as it is.  Text that does not fit
 * is cut at a character boundary and ends in "... (N bytes)", so a cut is
 * never silent.  Returns out.
 */
char	   *n2p_escape_text(const char *s, size_t len, char *out, size_t cap);

/*
 * At most max bytes of s into out (max + 4 bytes), cut on a character
 * boundary, control characters as '?', and "..." when cut: a short
 * printable quote of bad input, one line whatever it holds.  Returns out.
 */
char	   *n2p_text_prefix(const char *s, size_t len, char *out, size_t max);

/*
 * Allocator hooks.  realloc may be NULL, in which case malloc+copy+free is
 * used.  A NULL return means out of memory; the core then fails with
 * N2P_ERR_NOMEM instead of aborting.
 */
typedef struct N2pAllocator
{
	void	   *(*malloc) (size_t size, void *ctx);
	void	   *(*realloc) (void *ptr, size_t old_size, size_t new_size, void *ctx);
	void		(*free) (void *ptr, void *ctx);
	void	   *ctx;
} N2pAllocator;

/* The libc allocator, used by the CLI and the unit tests. */
extern const N2pAllocator n2p_libc_allocator;

void	   *n2p_alloc(const N2pAllocator *a, size_t size);
void	   *n2p_realloc(const N2pAllocator *a, void *ptr, size_t old_size, size_t new_size);
void		n2p_free(const N2pAllocator *a, void *ptr);

/*
 * Arena: bump allocation for everything that lives for one row.  Reset
 * keeps the first block so that steady-state parsing allocates nothing.
 */
typedef struct N2pArenaBlock N2pArenaBlock;
typedef struct N2pArena
{
	const N2pAllocator *alloc;
	N2pArenaBlock *head;
	size_t		block_size;
	size_t		total;			/* bytes held, for limits */
	size_t		limit;			/* 0 = unlimited */
} N2pArena;

void		n2p_arena_init(N2pArena *arena, const N2pAllocator *alloc, size_t limit);
void	   *n2p_arena_alloc(N2pArena *arena, size_t size);
/* A NUL-terminated copy of s[0..len) in the arena; NULL when out of memory. */
char	   *n2p_arena_strndup(N2pArena *arena, const char *s, size_t len);
void		n2p_arena_reset(N2pArena *arena);
void		n2p_arena_destroy(N2pArena *arena);

/* Growable byte buffer owned by its allocator. */
typedef struct N2pBuf
{
	const N2pAllocator *alloc;
	char	   *data;
	size_t		len;
	size_t		cap;
	bool		oom;			/* sticky: set when a growth failed */
} N2pBuf;

void		n2p_buf_init(N2pBuf *buf, const N2pAllocator *alloc);
bool		n2p_buf_reserve(N2pBuf *buf, size_t extra);
bool		n2p_buf_append_slow(N2pBuf *buf, const void *data, size_t len);

/*
 * The encoders append millions of short pieces: the common case, room
 * already there, is inline.  The buffer stays NUL-terminated.
 */
static inline bool
n2p_buf_append(N2pBuf *buf, const void *data, size_t len)
{
	if (buf->len + len < buf->cap)
	{
		if (len)
			__builtin_memcpy(buf->data + buf->len, data, len);
		buf->len += len;
		buf->data[buf->len] = '\0';
		return true;
	}
	return n2p_buf_append_slow(buf, data, len);
}

static inline bool
n2p_buf_putc(N2pBuf *buf, char c)
{
	if (buf->len + 1 < buf->cap)
	{
		buf->data[buf->len++] = c;
		buf->data[buf->len] = '\0';
		return true;
	}
	return n2p_buf_append_slow(buf, &c, 1);
}
/* v in decimal: no printf, which cost most of writing numbers */
bool		n2p_buf_put_uint(N2pBuf *buf, uint64_t v);
bool		n2p_buf_put_int(N2pBuf *buf, int64_t v);

bool		n2p_buf_printf(N2pBuf *buf, const char *fmt,...)
			__attribute__((format(printf, 2, 3)));
void		n2p_buf_reset(N2pBuf *buf);
void		n2p_buf_free(N2pBuf *buf);

/*
 * FNV-1a over len bytes, going on from h: N2P_FNV1A_BASIS, or a seed that
 * folds in what else tells keys apart (a record kind, a time).  For hash
 * tables in memory only: it is fast on short keys, not collision
 * resistant.
 */
#define N2P_FNV1A_BASIS 1469598103934665603ull

static inline uint64_t
n2p_fnv1a(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t		i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

#endif							/* NEO2PG_COMMON_H */
