/*-------------------------------------------------------------------------
 *
 * spill.c
 *	  Serialise records to a temporary file and read them back.
 *
 * The file holds every record of the load once more, so each byte of it is
 * paid for twice (written, read) on a machine whose processors are busy:
 * the encoding spends no byte it can spare.  Counts and lengths are
 * unsigned LEB128 varints, signed integers zigzag varints, and the strings
 * that repeat in every row (keys, labels, types, zones) are interned in a
 * dictionary that each file builds as it goes.
 *
 * A record:
 *	 varint		length of the rest
 *	 byte		REC_* flags
 *	 zigzag		id, as the difference from the previous record's (files are
 *				mostly in id order)
 *	 [REC_REL]	zigzag start_id, zigzag end_id, ref type
 *	 [REC_LABELS] varint count, that many refs
 *	 value		props
 *
 * A value is a tag byte, the type in its low nibble and TAG_FLAG (BOOL: the
 * value; POINT: z follows), then its payload: INT zigzag; FLOAT the 8 bytes
 * of the double; STRING, BYTES varint length and bytes; LIST count and
 * values; MAP count and (ref key, value) pairs; DATE zigzag days; TIME and
 * LOCALTIME varint nanos (TIME: zigzag offset); DATETIME and LOCALDATETIME
 * zigzag secs, varint nanos (DATETIME: zigzag offset, ref zone); DURATION
 * zigzag months, days, secs, varint nanos; POINT varint srid, x, y [z].
 *
 * A ref is a varint k: 0 a string that follows (varint length, bytes), 1
 * the same but also the dictionary's next entry, k >= 2 entry k - 2.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/core/spill.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/spill.h"

#include <string.h>

/* The file is written in pieces of this size and read in pieces at least as big. */
#define IO_BYTES (64 * 1024)

/*
 * Bounds of a dictionary, whatever the input.  A load keeps up to 129
 * files open for writing, so these are kept small; real graphs have far
 * fewer distinct keys and labels.  Past them strings go inline.
 */
#define DICT_MAX_STRINGS 16384
#define DICT_MAX_BYTES (512 * 1024)
#define DICT_MAX_LEN 1024

/* The writer refuses deeper values so that a corrupt file cannot exhaust the reader's stack. */
#define MAX_DEPTH 256

#define TAG_TYPE 0x0f
#define TAG_FLAG 0x10

#define REC_KIND_REL 0x01
#define REC_LABELS 0x02
#define REC_REL 0x04

#define VARINT_MAX 10

typedef struct DictEntry
{
	uint32_t	off;			/* in bytes */
	uint32_t	len;
	uint32_t	hash;
} DictEntry;

/* The writer's dictionary: string to id, by open addressing. */
typedef struct WriteDict
{
	N2pBuf		bytes;
	DictEntry  *ents;
	uint32_t	n;
	uint32_t	cap;
	uint32_t   *slots;			/* id + 1, 0 when free */
	uint32_t	nslots;			/* a power of two, more than twice n */
} WriteDict;

/* The reader's: id to string, kept until the end of the file. */
typedef struct ReadDict
{
	N2pStr	   *strs;
	uint32_t	n;
	uint32_t	cap;
	size_t		nbytes;
	N2pArena	arena;
} ReadDict;

struct N2pSpill
{
	const N2pAllocator *alloc;
	const N2pFileIO *io;
	void	   *file;			/* the io's temporary file */
	uint64_t	written;		/* bytes in the file */
	bool		reading;		/* rewound: no more writes */
	bool		broken;			/* a write or read failed: the file is unusable */
	/* writing */
	N2pBuf		out;			/* whole records not yet written */
	WriteDict	wd;
	int64_t		last_id;		/* of the last record written */
	N2pErrCode	why;			/* why encoding the current record failed */
	/* reading */
	char	   *in;				/* in[inpos..inend) read and not yet parsed */
	size_t		incap;
	size_t		inpos;
	size_t		inend;
	uint64_t	readpos;		/* file offset of in[inend] */
	ReadDict	rd;
	int64_t		read_id;		/* of the last record read */
	N2pArena	arena;			/* the record being read */
};

static bool
open_temp(N2pSpill *sp, N2pError *err)
{
	char		where[1024] = "";
	int			errnum = 0;

	sp->file = sp->io->temp_create(sp->io->ctx, where, sizeof(where), &errnum);
	if (sp->file == NULL)
		return n2p_error_set(err, N2P_ERR_IO, "could not create a temporary file in \"%s\": %s",
							 where, strerror(errnum));
	return true;
}

N2pSpill *
n2p_spill_new(const N2pAllocator *alloc, const N2pFileIO *io, N2pError *err)
{
	N2pSpill   *sp = n2p_alloc(alloc, sizeof(N2pSpill));

	if (sp == NULL)
	{
		n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
		return NULL;
	}
	memset(sp, 0, sizeof(*sp));
	sp->alloc = alloc;
	sp->io = io;
	n2p_buf_init(&sp->out, alloc);
	n2p_buf_init(&sp->wd.bytes, alloc);
	n2p_arena_init(&sp->rd.arena, alloc, 0);
	n2p_arena_init(&sp->arena, alloc, 0);
	if (!open_temp(sp, err))
	{
		n2p_free(alloc, sp);
		return NULL;
	}
	return sp;
}

/* ---------------------------------------------------------- dictionary */

static uint32_t
hash_str(N2pStr s)
{
	return (uint32_t) n2p_fnv1a(N2P_FNV1A_BASIS, s.ptr, s.len);
}

/* The same rule on both sides, so that the reader can refuse what no writer wrote. */
static bool
dict_has_room(uint32_t n, size_t nbytes, size_t len)
{
	return n < DICT_MAX_STRINGS && len <= DICT_MAX_LEN && nbytes + len < DICT_MAX_BYTES;
}

static int64_t
wdict_find(const WriteDict *d, N2pStr s, uint32_t h)
{
	uint32_t	mask = d->nslots - 1,
				i,
				id;

	if (d->nslots == 0)
		return -1;
	for (i = h & mask; (id = d->slots[i]) != 0; i = (i + 1) & mask)
	{
		const DictEntry *e = &d->ents[id - 1];

		if (e->hash == h && e->len == s.len &&
			(s.len == 0 || memcmp(d->bytes.data + e->off, s.ptr, s.len) == 0))
			return id - 1;
	}
	return -1;
}

static void
wdict_place(WriteDict *d, uint32_t id)
{
	uint32_t	mask = d->nslots - 1,
				i;

	for (i = d->ents[id].hash & mask; d->slots[i] != 0; i = (i + 1) & mask)
		;
	d->slots[i] = id + 1;
}

/* Room for one more entry; on failure nothing has changed. */
static bool
wdict_reserve(WriteDict *d, const N2pAllocator *alloc)
{
	if (d->n == d->cap)
	{
		uint32_t	cap = d->cap ? d->cap * 2 : 64;
		DictEntry  *ents = n2p_realloc(alloc, d->ents, d->cap * sizeof(DictEntry),
										cap * sizeof(DictEntry));

		if (ents == NULL)
			return false;
		d->ents = ents;
		d->cap = cap;
	}
	if (2 * (d->n + 1) >= d->nslots)
	{
		uint32_t	nslots = d->nslots ? d->nslots * 2 : 128;
		uint32_t   *slots = n2p_alloc(alloc, nslots * sizeof(uint32_t));
		uint32_t	id;

		if (slots == NULL)
			return false;
		memset(slots, 0, nslots * sizeof(uint32_t));
		n2p_free(alloc, d->slots);
		d->slots = slots;
		d->nslots = nslots;
		/* in id order, which dict_truncate relies on */
		for (id = 0; id < d->n; id++)
			wdict_place(d, id);
	}
	return true;
}

static bool
wdict_add(WriteDict *d, const N2pAllocator *alloc, N2pStr s, uint32_t h)
{
	size_t		off = d->bytes.len;

	if (!wdict_reserve(d, alloc) || !n2p_buf_append(&d->bytes, s.ptr, s.len))
		return false;
	d->ents[d->n] = (DictEntry) {(uint32_t) off, (uint32_t) s.len, h};
	wdict_place(d, d->n);
	d->n++;
	return true;
}

/*
 * Forget the entries from id n on, newest first.  With linear probing an
 * entry's probe path only crosses slots taken before it was placed, so
 * removing newer entries never cuts an older one's path.
 */
static void
wdict_truncate(WriteDict *d, uint32_t n, size_t nbytes)
{
	uint32_t	mask = d->nslots - 1;

	while (d->n > n)
	{
		uint32_t	id = --d->n,
					i;

		for (i = d->ents[id].hash & mask; d->slots[i] != id + 1; i = (i + 1) & mask)
			;
		d->slots[i] = 0;
	}
	d->bytes.len = nbytes;
	d->bytes.oom = false;
}

static void
wdict_free(WriteDict *d, const N2pAllocator *alloc)
{
	n2p_buf_free(&d->bytes);
	n2p_free(alloc, d->ents);
	n2p_free(alloc, d->slots);
	d->ents = NULL;
	d->slots = NULL;
	d->n = d->cap = d->nslots = 0;
}

static void
rdict_free(ReadDict *d, const N2pAllocator *alloc)
{
	n2p_free(alloc, d->strs);
	n2p_arena_destroy(&d->arena);
	d->strs = NULL;
	d->n = d->cap = 0;
	d->nbytes = 0;
}

/* ------------------------------------------------------------- writing */

static inline uint64_t
zigzag(int64_t v)
{
	return ((uint64_t) v << 1) ^ (v < 0 ? ~(uint64_t) 0 : 0);
}

static inline bool
put_uv(N2pBuf *b, uint64_t v)
{
	unsigned char *p;

	if (b->len + VARINT_MAX >= b->cap && !n2p_buf_reserve(b, VARINT_MAX))
		return false;
	p = (unsigned char *) b->data + b->len;
	while (v >= 0x80)
	{
		*p++ = (unsigned char) (v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char) v;
	b->len = (size_t) (p - (unsigned char *) b->data);
	return true;
}

static inline bool
put_sv(N2pBuf *b, int64_t v)
{
	return put_uv(b, zigzag(v));
}

static inline bool
put_double(N2pBuf *b, double d)
{
	return n2p_buf_append(b, &d, sizeof(d));
}

static bool
put_inline(N2pBuf *b, N2pStr s)
{
	return put_uv(b, s.len) && n2p_buf_append(b, s.ptr, s.len);
}

/* A dictionary that cannot grow is no error: the string goes inline. */
static bool
put_ref(N2pSpill *sp, N2pStr s)
{
	WriteDict  *d = &sp->wd;
	uint32_t	h = hash_str(s);
	int64_t		id = wdict_find(d, s, h);

	if (id >= 0)
		return put_uv(&sp->out, (uint64_t) id + 2);
	if (dict_has_room(d->n, d->bytes.len, s.len) && wdict_add(d, sp->alloc, s, h))
		return put_uv(&sp->out, 1) && put_inline(&sp->out, s);
	return put_uv(&sp->out, 0) && put_inline(&sp->out, s);
}

static bool put_value(N2pSpill *sp, const N2pValue *v, int depth);

static bool
put_list(N2pSpill *sp, const N2pValue *v, int depth)
{
	size_t		i;

	if (!put_uv(&sp->out, v->u.list.n))
		return false;
	for (i = 0; i < v->u.list.n; i++)
		if (!put_value(sp, &v->u.list.items[i], depth + 1))
			return false;
	return true;
}

static bool
put_map(N2pSpill *sp, const N2pValue *v, int depth)
{
	size_t		i;

	if (!put_uv(&sp->out, v->u.map.n))
		return false;
	for (i = 0; i < v->u.map.n; i++)
		if (!put_ref(sp, v->u.map.keys[i]) || !put_value(sp, &v->u.map.vals[i], depth + 1))
			return false;
	return true;
}

static bool
put_temporal(N2pSpill *sp, const N2pValue *v)
{
	N2pBuf	   *b = &sp->out;

	switch (v->type)
	{
		case N2P_DATE:
			return put_sv(b, v->u.date);
		case N2P_TIME:
			return put_uv(b, (uint64_t) v->u.time.nanos) && put_sv(b, v->u.time.offset);
		case N2P_LOCALTIME:
			return put_uv(b, (uint64_t) v->u.time.nanos);
		case N2P_DATETIME:
			return put_sv(b, v->u.dt.secs) && put_uv(b, (uint32_t) v->u.dt.nanos) &&
				put_sv(b, v->u.dt.offset) && put_ref(sp, v->u.dt.zone);
		case N2P_LOCALDATETIME:
			return put_sv(b, v->u.dt.secs) && put_uv(b, (uint32_t) v->u.dt.nanos);
		default:				/* N2P_DURATION */
			return put_sv(b, v->u.dur.months) && put_sv(b, v->u.dur.days) &&
				put_sv(b, v->u.dur.secs) && put_uv(b, (uint32_t) v->u.dur.nanos);
	}
}

/* z is written only when it is not +0.0, which is all a 2-D point has. */
static bool
put_point(N2pBuf *b, const N2pValue *v)
{
	double		zero = 0.0;
	bool		has_z = memcmp(&v->u.point.z, &zero, sizeof(double)) != 0;

	return n2p_buf_putc(b, (char) (N2P_POINT | (has_z ? TAG_FLAG : 0))) &&
		put_uv(b, (uint32_t) v->u.point.srid) && put_double(b, v->u.point.x) &&
		put_double(b, v->u.point.y) && (!has_z || put_double(b, v->u.point.z));
}

static bool
put_value(N2pSpill *sp, const N2pValue *v, int depth)
{
	N2pBuf	   *b = &sp->out;

	if (depth > MAX_DEPTH || (unsigned) v->type > N2P_POINT)
	{
		sp->why = depth > MAX_DEPTH ? N2P_ERR_LIMIT : N2P_ERR_USAGE;
		return false;
	}
	if (v->type == N2P_BOOL)
		return n2p_buf_putc(b, (char) (N2P_BOOL | (v->u.b ? TAG_FLAG : 0)));
	if (v->type == N2P_POINT)
		return put_point(b, v);
	if (!n2p_buf_putc(b, (char) v->type))
		return false;
	switch (v->type)
	{
		case N2P_NULL:
			return true;
		case N2P_INT:
			return put_sv(b, v->u.i);
		case N2P_FLOAT:
			return put_double(b, v->u.f);
		case N2P_STRING:
		case N2P_BYTES:
			return put_inline(b, v->u.str);
		case N2P_LIST:
			return put_list(sp, v, depth);
		case N2P_MAP:
			return put_map(sp, v, depth);
		default:
			return put_temporal(sp, v);
	}
}

static bool
put_record(N2pSpill *sp, const N2pRecord *rec)
{
	N2pBuf	   *b = &sp->out;
	bool		rel = rec->kind == N2P_REC_REL || rec->start_id != 0 || rec->end_id != 0 ||
		rec->type.len > 0;
	int			flags = (rec->kind == N2P_REC_REL ? REC_KIND_REL : 0) |
		(rec->nlabels > 0 ? REC_LABELS : 0) | (rel ? REC_REL : 0);
	size_t		i;

	if (rec->kind != N2P_REC_NODE && rec->kind != N2P_REC_REL)
	{
		sp->why = N2P_ERR_USAGE;
		return false;
	}
	if (!n2p_buf_putc(b, (char) flags) ||
		!put_sv(b, (int64_t) ((uint64_t) rec->id - (uint64_t) sp->last_id)))
		return false;
	if (rel && (!put_sv(b, rec->start_id) || !put_sv(b, rec->end_id) || !put_ref(sp, rec->type)))
		return false;
	if (rec->nlabels > 0 && !put_uv(b, rec->nlabels))
		return false;
	for (i = 0; i < rec->nlabels; i++)
		if (!put_ref(sp, rec->labels[i]))
			return false;
	return put_value(sp, &rec->props, 0);
}

/*
 * Put the length before the record encoded at start + 1: one byte was kept
 * for it, which is all most records need.
 */
static bool
frame(N2pBuf *b, size_t start)
{
	uint64_t	len = b->len - start - 1;
	size_t		k = 1;
	uint64_t	v;
	unsigned char *p;

	for (v = len; v >= 0x80; v >>= 7)
		k++;
	if (k > 1)
	{
		if (!n2p_buf_reserve(b, k - 1))
			return false;
		memmove(b->data + start + k, b->data + start + 1, len);
		b->len += k - 1;
	}
	p = (unsigned char *) b->data + start;
	for (v = len; v >= 0x80; v >>= 7)
		*p++ = (unsigned char) (v | 0x80);
	*p = (unsigned char) v;
	return true;
}

static bool
flush(N2pSpill *sp, N2pError *err)
{
	size_t		done = 0;

	while (done < sp->out.len)
	{
		int			errnum = 0;
		ssize_t		n = sp->io->temp_pwrite(sp->file, sp->out.data + done, sp->out.len - done,
											sp->written + done, &errnum);

		if (n <= 0)
		{
			sp->broken = true;
			return n2p_error_set(err, N2P_ERR_IO, "could not write a temporary file: %s",
								 n < 0 ? strerror(errnum) : "no space written");
		}
		done += (size_t) n;
	}
	sp->written += done;
	n2p_buf_reset(&sp->out);
	return true;
}

/* On failure nothing of the record stays, in the buffer or the dictionary. */
bool
n2p_spill_write(N2pSpill *sp, const N2pRecord *rec, N2pError *err)
{
	size_t		start = sp->out.len;
	uint32_t	nwords = sp->wd.n;
	size_t		nbytes = sp->wd.bytes.len;

	if (sp->broken || sp->reading)
		return n2p_error_set(err, sp->broken ? N2P_ERR_IO : N2P_ERR_USAGE,
							 sp->broken ? "a temporary file is unusable after an earlier error"
							 : "a temporary file is written after it was rewound");
	sp->why = N2P_ERR_NOMEM;
	if (!n2p_buf_putc(&sp->out, 0) || !put_record(sp, rec) || !frame(&sp->out, start))
	{
		sp->out.len = start;
		sp->out.oom = false;
		wdict_truncate(&sp->wd, nwords, nbytes);
		return n2p_error_set(err, sp->why, sp->why == N2P_ERR_NOMEM ? "out of memory"
							 : sp->why == N2P_ERR_LIMIT ? "a value is nested too deeply"
							 : "a record of an unknown kind or type");
	}
	sp->last_id = rec->id;
	return sp->out.len < IO_BYTES || flush(sp, err);
}

/* ------------------------------------------------------------- reading */

typedef struct Cursor
{
	const unsigned char *p;
	const unsigned char *end;
	N2pSpill   *sp;
	bool		ok;
	bool		nomem;			/* not ok because memory ran out */
} Cursor;

static inline int64_t
unzigzag(uint64_t u)
{
	return (int64_t) ((u >> 1) ^ (~(u & 1) + 1));
}

static void
corrupt(Cursor *c)
{
	c->ok = false;
}

static void
nomem(Cursor *c)
{
	c->ok = false;
	c->nomem = true;
}

static inline int
get_byte(Cursor *c)
{
	if (c->p >= c->end)
	{
		corrupt(c);
		return 0;
	}
	return *c->p++;
}

static inline uint64_t
get_uv(Cursor *c)
{
	uint64_t	v = 0;
	int			shift;

	if (c->p < c->end && *c->p < 0x80)
		return *c->p++;
	for (shift = 0; c->p < c->end && shift < 64; shift += 7)
	{
		unsigned	byte = *c->p++;

		if (shift == 63 && byte > 1)
			break;
		v |= (uint64_t) (byte & 0x7f) << shift;
		if (byte < 0x80)
			return v;
	}
	corrupt(c);
	return 0;
}

static inline int64_t
get_sv(Cursor *c)
{
	return unzigzag(get_uv(c));
}

static int32_t
get_sv32(Cursor *c)
{
	int64_t		v = get_sv(c);

	if (v < INT32_MIN || v > INT32_MAX)
		corrupt(c);
	return c->ok ? (int32_t) v : 0;
}

/* Fields that are int32 but written as their uint32 bits. */
static int32_t
get_uv32(Cursor *c)
{
	uint64_t	v = get_uv(c);

	if (v > UINT32_MAX)
		corrupt(c);
	return c->ok ? (int32_t) (uint32_t) v : 0;
}

static double
get_double(Cursor *c)
{
	double		d = 0.0;

	if ((size_t) (c->end - c->p) < sizeof(d))
		corrupt(c);
	else
	{
		memcpy(&d, c->p, sizeof(d));
		c->p += sizeof(d);
	}
	return d;
}

/* The bytes stay in the read buffer until the next record is read. */
static N2pStr
get_inline(Cursor *c)
{
	uint64_t	len = get_uv(c);
	N2pStr		s = {"", 0};

	if (!c->ok || len > (uint64_t) (c->end - c->p))
	{
		corrupt(c);
		return s;
	}
	s.ptr = (const char *) c->p;
	s.len = (size_t) len;
	c->p += len;
	return s;
}

/* Copied out of the read buffer: a dictionary outlives the record. */
static N2pStr
rdict_add(Cursor *c, N2pStr s)
{
	ReadDict   *d = &c->sp->rd;
	char	   *copy;

	if (!dict_has_room(d->n, d->nbytes, s.len))
	{
		corrupt(c);
		return s;
	}
	if (d->n == d->cap)
	{
		uint32_t	cap = d->cap ? d->cap * 2 : 64;
		N2pStr	   *strs = n2p_realloc(c->sp->alloc, d->strs, d->cap * sizeof(N2pStr),
									   cap * sizeof(N2pStr));

		if (strs == NULL)
		{
			nomem(c);
			return s;
		}
		d->strs = strs;
		d->cap = cap;
	}
	if ((copy = n2p_arena_alloc(&d->arena, s.len ? s.len : 1)) == NULL)
	{
		nomem(c);
		return s;
	}
	if (s.len)
		memcpy(copy, s.ptr, s.len);
	d->strs[d->n++] = (N2pStr) {copy, s.len};
	d->nbytes += s.len;
	return d->strs[d->n - 1];
}

static N2pStr
get_ref(Cursor *c)
{
	uint64_t	k = get_uv(c);
	N2pStr		s = {"", 0};

	if (!c->ok)
		return s;
	if (k >= 2)
	{
		if (k - 2 >= c->sp->rd.n)
		{
			corrupt(c);
			return s;
		}
		return c->sp->rd.strs[k - 2];
	}
	s = get_inline(c);
	return k == 1 && c->ok ? rdict_add(c, s) : s;
}

/* Each element takes at least min bytes, so a corrupt count cannot ask for much memory. */
static size_t
get_count(Cursor *c, size_t min)
{
	uint64_t	n = get_uv(c);

	if (n > (uint64_t) (c->end - c->p) / min)
		corrupt(c);
	return c->ok ? (size_t) n : 0;
}

static void *
get_array(Cursor *c, size_t n, size_t size)
{
	void	   *p = c->ok ? n2p_arena_alloc(&c->sp->arena, (n ? n : 1) * size) : NULL;

	if (c->ok && p == NULL)
		nomem(c);
	return p;
}

static void get_value(Cursor *c, N2pValue *v, int depth);

static void
get_list(Cursor *c, N2pValue *v, int depth)
{
	size_t		n = get_count(c, 1),
				i;

	v->u.list.items = get_array(c, n, sizeof(N2pValue));
	v->u.list.n = n;
	for (i = 0; c->ok && i < n; i++)
		get_value(c, &v->u.list.items[i], depth + 1);
}

static void
get_map(Cursor *c, N2pValue *v, int depth)
{
	size_t		n = get_count(c, 2),
				i;

	v->u.map.keys = get_array(c, n, sizeof(N2pStr));
	v->u.map.vals = get_array(c, n, sizeof(N2pValue));
	v->u.map.n = n;
	for (i = 0; c->ok && i < n; i++)
	{
		v->u.map.keys[i] = get_ref(c);
		get_value(c, &v->u.map.vals[i], depth + 1);
	}
}

static void
get_temporal(Cursor *c, N2pValue *v)
{
	switch (v->type)
	{
		case N2P_DATE:
			v->u.date = get_sv(c);
			break;
		case N2P_TIME:
		case N2P_LOCALTIME:
			v->u.time.nanos = (int64_t) get_uv(c);
			if (v->type == N2P_TIME)
				v->u.time.offset = get_sv32(c);
			break;
		case N2P_DATETIME:
		case N2P_LOCALDATETIME:
			v->u.dt.secs = get_sv(c);
			v->u.dt.nanos = get_uv32(c);
			v->u.dt.zone = (N2pStr) {"", 0};
			if (v->type == N2P_DATETIME)
			{
				v->u.dt.offset = get_sv32(c);
				v->u.dt.zone = get_ref(c);
			}
			break;
		default:				/* N2P_DURATION */
			v->u.dur.months = get_sv(c);
			v->u.dur.days = get_sv(c);
			v->u.dur.secs = get_sv(c);
			v->u.dur.nanos = get_uv32(c);
	}
}

static void
get_point(Cursor *c, N2pValue *v, bool has_z)
{
	v->u.point.srid = get_uv32(c);
	v->u.point.x = get_double(c);
	v->u.point.y = get_double(c);
	v->u.point.z = has_z ? get_double(c) : 0.0;
}

static void
get_value(Cursor *c, N2pValue *v, int depth)
{
	int			tag = get_byte(c);
	bool		flag = (tag & TAG_FLAG) != 0;

	memset(v, 0, sizeof(*v));
	v->type = (N2pType) (tag & TAG_TYPE);
	if (depth > MAX_DEPTH || (tag & ~(TAG_TYPE | TAG_FLAG)) != 0 || v->type > N2P_POINT ||
		(flag && v->type != N2P_BOOL && v->type != N2P_POINT))
		corrupt(c);
	if (!c->ok)
		return;
	switch (v->type)
	{
		case N2P_NULL:
			break;
		case N2P_BOOL:
			v->u.b = flag;
			break;
		case N2P_INT:
			v->u.i = get_sv(c);
			break;
		case N2P_FLOAT:
			v->u.fnum.f = get_double(c);
			v->u.fnum.text = NULL;
			break;
		case N2P_STRING:
		case N2P_BYTES:
			v->u.str = get_inline(c);
			break;
		case N2P_LIST:
			get_list(c, v, depth);
			break;
		case N2P_MAP:
			get_map(c, v, depth);
			break;
		case N2P_POINT:
			get_point(c, v, flag);
			break;
		default:
			get_temporal(c, v);
	}
}

static void
get_record(Cursor *c, N2pRecord *rec)
{
	int			flags = get_byte(c);
	size_t		i;

	memset(rec, 0, sizeof(*rec));
	if (flags & ~(REC_KIND_REL | REC_LABELS | REC_REL))
		corrupt(c);
	rec->kind = (flags & REC_KIND_REL) ? N2P_REC_REL : N2P_REC_NODE;
	rec->id = (int64_t) ((uint64_t) c->sp->read_id + (uint64_t) get_sv(c));
	rec->type = (N2pStr) {"", 0};
	if (flags & REC_REL)
	{
		rec->start_id = get_sv(c);
		rec->end_id = get_sv(c);
		rec->type = get_ref(c);
	}
	rec->nlabels = (flags & REC_LABELS) ? get_count(c, 1) : 0;
	rec->labels = get_array(c, rec->nlabels, sizeof(N2pStr));
	for (i = 0; c->ok && i < rec->nlabels; i++)
		rec->labels[i] = get_ref(c);
	get_value(c, &rec->props, 0);
	if (c->p != c->end)
		corrupt(c);
}

bool
n2p_spill_rewind(N2pSpill *sp, N2pError *err)
{
	if (sp->broken && !sp->reading)
		return n2p_error_set(err, N2P_ERR_IO,
							 "a temporary file is unusable after an earlier error");
	if (!sp->reading)
	{
		if (!flush(sp, err))
			return false;
		/* no more writes: what they needed can go */
		n2p_buf_free(&sp->out);
		wdict_free(&sp->wd, sp->alloc);
		sp->reading = true;
	}
	rdict_free(&sp->rd, sp->alloc);
	sp->inpos = sp->inend = 0;
	sp->readpos = 0;
	sp->read_id = 0;
	sp->broken = false;
	return true;
}

static bool
grow_in(N2pSpill *sp, size_t need, N2pError *err)
{
	size_t		cap = sp->incap ? sp->incap : IO_BYTES;
	char	   *in;

	while (cap < need)
		cap *= 2;
	if ((in = n2p_realloc(sp->alloc, sp->in, sp->incap, cap)) == NULL)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	sp->in = in;
	sp->incap = cap;
	return true;
}

/* need bytes from inpos on in the buffer, or all that the file still has. */
static bool
fill(N2pSpill *sp, size_t need, N2pError *err)
{
	size_t		have = sp->inend - sp->inpos;

	if (have >= need)
		return true;
	if (sp->inpos > 0)
	{
		memmove(sp->in, sp->in + sp->inpos, have);
		sp->inpos = 0;
		sp->inend = have;
	}
	if ((need > sp->incap || sp->incap == 0) && !grow_in(sp, need, err))
		return false;
	while (sp->inend < need && sp->readpos < sp->written)
	{
		size_t		want = sp->incap - sp->inend;
		int			errnum = 0;
		ssize_t		n;

		if (want > sp->written - sp->readpos)
			want = (size_t) (sp->written - sp->readpos);
		n = sp->io->temp_pread(sp->file, sp->in + sp->inend, want, sp->readpos, &errnum);
		if (n < 0)
			return n2p_error_set(err, N2P_ERR_IO, "could not read a temporary file: %s",
								 strerror(errnum));
		if (n == 0)
			break;				/* shorter than written: the record will be found cut */
		sp->inend += (size_t) n;
		sp->readpos += (uint64_t) n;
	}
	return true;
}

/* The length of the next record; 0 with c->ok false when it is not one. */
static uint64_t
get_length(N2pSpill *sp, Cursor *c)
{
	uint64_t	len,
				left;

	*c = (Cursor) {(const unsigned char *) sp->in + sp->inpos,
		(const unsigned char *) sp->in + sp->inend, sp, true, false};
	len = get_uv(c);
	sp->inpos = (size_t) ((const char *) c->p - sp->in);
	left = sp->written - (sp->readpos - (sp->inend - sp->inpos));
	if (len > left)
		corrupt(c);
	return c->ok ? len : 0;
}

/* A failed read leaves the reader in no known state: only a rewind resets it. */
static int
read_failed(N2pSpill *sp)
{
	sp->broken = true;
	return -1;
}

/* The end: the dictionary and the buffer are needed no more. */
static int
read_end(N2pSpill *sp)
{
	rdict_free(&sp->rd, sp->alloc);
	n2p_free(sp->alloc, sp->in);
	sp->in = NULL;
	sp->incap = sp->inpos = sp->inend = 0;
	return 0;
}

static void
parse_record(N2pSpill *sp, Cursor *c, uint64_t len, N2pRecord *rec)
{
	if (sp->inend - sp->inpos < len)
	{
		corrupt(c);				/* the file is shorter than written */
		return;
	}
	c->p = (const unsigned char *) sp->in + sp->inpos;
	c->end = c->p + len;
	get_record(c, rec);
	sp->inpos += (size_t) len;
	sp->read_id = rec->id;
}

int
n2p_spill_read(N2pSpill *sp, N2pRecord *rec, N2pError *err)
{
	uint64_t	len;
	Cursor		c;

	n2p_arena_reset(&sp->arena);
	if (!sp->reading || sp->broken)
	{
		n2p_error_set(err, sp->broken ? N2P_ERR_IO : N2P_ERR_USAGE,
					  sp->broken ? "a temporary file is unusable after an earlier error"
					  : "a temporary file is read before it was rewound");
		return -1;
	}
	if (sp->inpos == sp->inend && sp->readpos >= sp->written)
		return read_end(sp);
	if (!fill(sp, VARINT_MAX, err))
		return read_failed(sp);
	len = get_length(sp, &c);
	if (c.ok && !fill(sp, (size_t) len, err))
		return read_failed(sp);
	if (c.ok)
		parse_record(sp, &c, len, rec);
	if (!c.ok)
	{
		n2p_error_set(err, c.nomem ? N2P_ERR_NOMEM : N2P_ERR_IO, "%s",
					  c.nomem ? "out of memory" : "corrupt temporary file");
		return read_failed(sp);
	}
	return 1;
}

uint64_t
n2p_spill_bytes(const N2pSpill *sp)
{
	return sp->written + sp->out.len;
}

void
n2p_spill_free(N2pSpill *sp)
{
	if (sp == NULL)
		return;
	sp->io->temp_close(sp->file);
	n2p_buf_free(&sp->out);
	wdict_free(&sp->wd, sp->alloc);
	rdict_free(&sp->rd, sp->alloc);
	n2p_free(sp->alloc, sp->in);
	n2p_arena_destroy(&sp->arena);
	n2p_free(sp->alloc, sp);
}
