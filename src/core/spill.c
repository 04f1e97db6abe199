/*-------------------------------------------------------------------------
 *
 * spill.c
 *	  Serialise records to a temporary file and read them back.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/core/spill.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/spill.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct N2pSpill
{
	const N2pAllocator *alloc;
	FILE	   *f;
	N2pBuf		buf;			/* one record, written with one fwrite */
	N2pArena	arena;			/* the record being read */
	uint64_t	bytes;
};

/* tmpfile() ignores $TMPDIR; a big spill must go where the user says. */
static FILE *
open_temp(N2pError *err)
{
	const char *dir = getenv("TMPDIR");
	char		path[4096];
	int			fd;
	FILE	   *f;

	snprintf(path, sizeof(path), "%s/neo2pg-spill-XXXXXX", dir && *dir ? dir : "/tmp");
	if ((fd = mkstemp(path)) < 0)
	{
		n2p_error_set(err, N2P_ERR_IO, "could not create a temporary file in \"%s\": %s",
					  dir && *dir ? dir : "/tmp", strerror(errno));
		return NULL;
	}
	unlink(path);				/* gone when closed, whatever happens */
	if ((f = fdopen(fd, "w+")) == NULL)
	{
		n2p_error_set(err, N2P_ERR_IO, "could not open a temporary file: %s", strerror(errno));
		close(fd);
	}
	return f;
}

N2pSpill *
n2p_spill_new(const N2pAllocator *alloc, N2pError *err)
{
	N2pSpill   *sp = n2p_alloc(alloc, sizeof(N2pSpill));

	if (sp == NULL)
	{
		n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
		return NULL;
	}
	memset(sp, 0, sizeof(*sp));
	sp->alloc = alloc;
	n2p_buf_init(&sp->buf, alloc);
	n2p_arena_init(&sp->arena, alloc, 0);
	if ((sp->f = open_temp(err)) == NULL)
	{
		n2p_buf_free(&sp->buf);
		n2p_free(alloc, sp);
		return NULL;
	}
	return sp;
}

/* ------------------------------------------------------------- writing */

static bool
put(N2pBuf *b, const void *p, size_t n)
{
	return n2p_buf_append(b, p, n);
}

static bool
put_str(N2pBuf *b, N2pStr s)
{
	uint64_t	len = s.len;

	return put(b, &len, sizeof(len)) && (s.len == 0 || put(b, s.ptr, s.len));
}

static bool put_value(N2pBuf *b, const N2pValue *v);

static bool
put_payload(N2pBuf *b, const N2pValue *v)
{
	size_t		i;
	uint64_t	n;

	switch (v->type)
	{
		case N2P_STRING:
		case N2P_BYTES:
			return put_str(b, v->u.str);
		case N2P_FLOAT:
			return put(b, &v->u.f, sizeof(double));
		case N2P_LIST:
			n = v->u.list.n;
			if (!put(b, &n, sizeof(n)))
				return false;
			for (i = 0; i < v->u.list.n; i++)
				if (!put_value(b, &v->u.list.items[i]))
					return false;
			return true;
		case N2P_MAP:
			n = v->u.map.n;
			if (!put(b, &n, sizeof(n)))
				return false;
			for (i = 0; i < v->u.map.n; i++)
				if (!put_str(b, v->u.map.keys[i]) || !put_value(b, &v->u.map.vals[i]))
					return false;
			return true;
		case N2P_DATETIME:
			return put(b, &v->u, sizeof(v->u)) && put_str(b, v->u.dt.zone);
		default:
			/* fixed-size payloads: copy the union as it is */
			return put(b, &v->u, sizeof(v->u));
	}
}

static bool
put_value(N2pBuf *b, const N2pValue *v)
{
	uint8_t		t = (uint8_t) v->type;

	return put(b, &t, 1) && put_payload(b, v);
}

bool
n2p_spill_write(N2pSpill *sp, const N2pRecord *rec, N2pError *err)
{
	N2pBuf	   *b = &sp->buf;
	uint64_t	n = rec->nlabels,
				len;
	uint8_t		kind = (uint8_t) rec->kind;
	size_t		i;
	bool		ok;

	n2p_buf_reset(b);
	len = 0;
	ok = put(b, &len, sizeof(len)) && put(b, &kind, 1) && put(b, &rec->id, 8) &&
		put(b, &rec->start_id, 8) && put(b, &rec->end_id, 8) && put_str(b, rec->type) &&
		put(b, &n, sizeof(n));
	for (i = 0; ok && i < rec->nlabels; i++)
		ok = put_str(b, rec->labels[i]);
	ok = ok && put_value(b, &rec->props);
	if (!ok)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	len = b->len - sizeof(len);
	memcpy(b->data, &len, sizeof(len));
	if (fwrite(b->data, 1, b->len, sp->f) != b->len)
		return n2p_error_set(err, N2P_ERR_IO, "could not write a temporary file: %s",
							 strerror(errno));
	sp->bytes += b->len;
	return true;
}

/* ------------------------------------------------------------- reading */

typedef struct Cursor
{
	const char *p;
	const char *end;
	N2pArena   *arena;
	bool		ok;
} Cursor;

static void
get(Cursor *c, void *out, size_t n)
{
	if (!c->ok || (size_t) (c->end - c->p) < n)
	{
		c->ok = false;
		memset(out, 0, n);
		return;
	}
	memcpy(out, c->p, n);
	c->p += n;
}

/* Strings point into the record buffer, which lives as long as the arena. */
static N2pStr
get_str(Cursor *c)
{
	uint64_t	len = 0;
	N2pStr		s = {"", 0};

	get(c, &len, sizeof(len));
	if (!c->ok || (uint64_t) (c->end - c->p) < len)
	{
		c->ok = false;
		return s;
	}
	s.ptr = c->p;
	s.len = (size_t) len;
	c->p += len;
	return s;
}

static void get_value(Cursor *c, N2pValue *v);

static void
get_container(Cursor *c, N2pValue *v)
{
	uint64_t	n = 0,
				i;

	get(c, &n, sizeof(n));
	if (!c->ok || n > (uint64_t) (c->end - c->p))
	{
		c->ok = false;
		return;
	}
	if (v->type == N2P_LIST)
	{
		v->u.list.n = (size_t) n;
		v->u.list.items = n2p_arena_alloc(c->arena, (n ? n : 1) * sizeof(N2pValue));
		for (i = 0; c->ok && v->u.list.items && i < n; i++)
			get_value(c, &v->u.list.items[i]);
	}
	else
	{
		v->u.map.n = (size_t) n;
		v->u.map.keys = n2p_arena_alloc(c->arena, (n ? n : 1) * sizeof(N2pStr));
		v->u.map.vals = n2p_arena_alloc(c->arena, (n ? n : 1) * sizeof(N2pValue));
		for (i = 0; c->ok && v->u.map.keys && v->u.map.vals && i < n; i++)
		{
			v->u.map.keys[i] = get_str(c);
			get_value(c, &v->u.map.vals[i]);
		}
	}
	c->ok = c->ok && (v->type == N2P_LIST ? v->u.list.items != NULL
					  : (v->u.map.keys != NULL && v->u.map.vals != NULL));
}

static void
get_value(Cursor *c, N2pValue *v)
{
	uint8_t		t = 0;

	get(c, &t, 1);
	memset(v, 0, sizeof(*v));
	v->type = (N2pType) t;
	switch (v->type)
	{
		case N2P_STRING:
		case N2P_BYTES:
			v->u.str = get_str(c);
			break;
		case N2P_FLOAT:
			get(c, &v->u.f, sizeof(double));
			v->u.fnum.text = NULL;
			break;
		case N2P_LIST:
		case N2P_MAP:
			get_container(c, v);
			break;
		case N2P_DATETIME:
			get(c, &v->u, sizeof(v->u));
			v->u.dt.zone = get_str(c);
			break;
		default:
			get(c, &v->u, sizeof(v->u));
	}
}

bool
n2p_spill_rewind(N2pSpill *sp, N2pError *err)
{
	if (fflush(sp->f) != 0 || fseek(sp->f, 0, SEEK_SET) != 0)
		return n2p_error_set(err, N2P_ERR_IO, "could not rewind a temporary file: %s",
							 strerror(errno));
	return true;
}

int
n2p_spill_read(N2pSpill *sp, N2pRecord *rec, N2pError *err)
{
	uint64_t	len;
	uint64_t	n = 0,
				i;
	uint8_t		kind = 0;
	char	   *data;
	Cursor		c;

	n2p_arena_reset(&sp->arena);
	if (fread(&len, sizeof(len), 1, sp->f) != 1)
		return feof(sp->f) ? 0 : (n2p_error_set(err, N2P_ERR_IO, "could not read a temporary file"), -1);
	if ((data = n2p_arena_alloc(&sp->arena, len)) == NULL)
		return (n2p_error_set(err, N2P_ERR_NOMEM, "out of memory"), -1);
	if (fread(data, 1, len, sp->f) != len)
		return (n2p_error_set(err, N2P_ERR_IO, "temporary file truncated"), -1);
	c = (Cursor) {data, data + len, &sp->arena, true};
	memset(rec, 0, sizeof(*rec));
	get(&c, &kind, 1);
	rec->kind = (N2pRecKind) kind;
	get(&c, &rec->id, 8);
	get(&c, &rec->start_id, 8);
	get(&c, &rec->end_id, 8);
	rec->type = get_str(&c);
	get(&c, &n, sizeof(n));
	if (c.ok && n <= len)
		rec->labels = n2p_arena_alloc(&sp->arena, (n ? n : 1) * sizeof(N2pStr));
	c.ok = c.ok && rec->labels != NULL;
	for (i = 0; c.ok && i < n; i++)
		rec->labels[i] = get_str(&c);
	rec->nlabels = (size_t) n;
	get_value(&c, &rec->props);
	if (!c.ok)
		return (n2p_error_set(err, N2P_ERR_IO, "corrupt temporary file"), -1);
	return 1;
}

uint64_t
n2p_spill_bytes(const N2pSpill *sp)
{
	return sp->bytes;
}

void
n2p_spill_free(N2pSpill *sp)
{
	if (sp == NULL)
		return;
	if (sp->f)
		fclose(sp->f);
	n2p_buf_free(&sp->buf);
	n2p_arena_destroy(&sp->arena);
	n2p_free(sp->alloc, sp);
}
