/*-------------------------------------------------------------------------
 *
 * writer.c
 *	  The backup writer: a sink that writes a neo4j-backup directory as the
 *	  Python tool writes it, byte for byte in the JSON, and beside it
 *	  neo2pg's own files for what that format cannot say (backup_exact.h).
 *
 * Rows are rendered one at a time into a small buffer and streamed
 * through deflate into the chunk file, so memory is bounded by the largest
 * row whatever the size of a chunk.  A chunk's name holds the running
 * count of rows when it ends, which is known only then: it is written
 * under a part name and renamed when it ends.  Everything is written
 * under a temporary directory that finish() renames into place.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/backup/writer.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/backup_writer.h"
#include "neo2pg/backup_exact.h"
#include "neo2pg/literal.h"
#include "neo2pg/pyjson.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define OUT_BUF_SIZE (256 * 1024)
#define ROW_FLUSH_SIZE (64 * 1024)

typedef struct OutFile
{
	void	   *fh;
	bool		gzip;
	bool		zinit;
	z_stream	z;
	unsigned char *buf;			/* OUT_BUF_SIZE bytes on their way to the file */
	size_t		len;
} OutFile;

/* A sorted set of distinct strings, for the metadata lists. */
typedef struct StrSet
{
	N2pStr	   *items;
	size_t		n;
	size_t		cap;
} StrSet;

typedef struct Writer
{
	N2pSink		base;
	N2pBackupWriterOptions opts;
	const N2pAllocator *alloc;
	const N2pGraphMeta *meta;
	bool		begun;
	gz_header	gzhead;
	/* the chunk being written */
	N2pRecKind	kind;
	bool		chunk_open;
	bool		exact_open;
	OutFile		data;
	OutFile		exact;
	uint64_t	chunk_rows;
	uint64_t	exact_chunk_rows;
	uint64_t	counter[2];		/* rows written of each kind */
	/* rendering */
	N2pBuf		rows;			/* rendered rows not yet in the chunk file */
	N2pBuf		xrows;			/* the same for the exact-values file */
	N2pBuf		hash;			/* hash_props of the row */
	N2pBuf		xprops;			/* exact values of the row */
	N2pBuf		scratch;
	N2pBuf		path;
	N2pBuf		path2;
	size_t	   *order;			/* label sort */
	size_t		order_cap;
	StrSet		keys;
	StrSet		labels;
	StrSet		types;
	/* stats */
	uint64_t	files;
	uint64_t	disk_bytes;
	uint64_t	exact_rows;
} Writer;

static const char *const kind_stem[2] = {"nodes", "relationships"};

static bool
nomem(N2pError *err)
{
	return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
}

/* ------------------------------------------------------------ string sets */

/*
 * Bytewise order of UTF-8 is code point order, which is how the tool's
 * own lists would sort; keeping them sorted also makes a backup
 * reproducible (the tool writes list(set), in any order).
 */
static bool
strset_add(Writer *w, StrSet *set, const char *p, size_t len)
{
	N2pStr		s = {p, len};
	size_t		lo = 0,
				hi = set->n;
	char	   *copy;

	while (lo < hi)
	{
		size_t		mid = (lo + hi) / 2;
		int			c = n2p_str_cmp(set->items[mid], s);

		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (set->n == set->cap)
	{
		size_t		cap = set->cap ? set->cap * 2 : 64;
		N2pStr	   *items = n2p_realloc(w->alloc, set->items, set->cap * sizeof(N2pStr),
										cap * sizeof(N2pStr));

		if (items == NULL)
			return false;
		set->items = items;
		set->cap = cap;
	}
	if ((copy = n2p_alloc(w->alloc, len + 1)) == NULL)
		return false;
	if (len)
		memcpy(copy, p, len);
	copy[len] = '\0';
	memmove(&set->items[lo + 1], &set->items[lo], (set->n - lo) * sizeof(N2pStr));
	set->items[lo].ptr = copy;
	set->items[lo].len = len;
	set->n++;
	return true;
}

static void
strset_free(Writer *w, StrSet *set)
{
	size_t		i;

	for (i = 0; i < set->n; i++)
		n2p_free(w->alloc, (void *) set->items[i].ptr);
	n2p_free(w->alloc, set->items);
}

/* ----------------------------------------------------------- output files */

static const char *
make_path(Writer *w, N2pBuf *buf, const char *sub, const char *name)
{
	n2p_buf_reset(buf);
	if (!n2p_buf_printf(buf, "%s%s%s%s%s", w->opts.tmp_dir, sub ? "/" : "", sub ? sub : "",
						name ? "/" : "", name ? name : ""))
		return NULL;
	return buf->data;
}

static bool
out_flush(Writer *w, OutFile *f, N2pError *err)
{
	if (f->len == 0)
		return true;
	if (!w->opts.io->write(w->opts.io->ctx, f->fh, f->buf, f->len, err))
		return false;
	w->disk_bytes += f->len;
	f->len = 0;
	return true;
}

static bool
out_open(Writer *w, OutFile *f, const char *path, N2pError *err)
{
	memset(f, 0, sizeof(*f));
	f->gzip = w->opts.compress;
	if ((f->buf = n2p_alloc(w->alloc, OUT_BUF_SIZE)) == NULL)
		return nomem(err);
	if (f->gzip)
	{
		/* the tool's gzip module: one member, raw deflate as zlib makes it */
		if (deflateInit2(&f->z, w->opts.gzip_level, Z_DEFLATED, 15 + 16, 8,
						 Z_DEFAULT_STRATEGY) != Z_OK)
			return nomem(err);
		f->zinit = true;
		if (deflateSetHeader(&f->z, &w->gzhead) != Z_OK)
			return n2p_error_set(err, N2P_ERR_IO, "zlib refused the gzip header");
	}
	f->fh = w->opts.io->open(w->opts.io->ctx, path, err);
	return f->fh != NULL;
}

static bool
deflate_some(Writer *w, OutFile *f, int flush, N2pError *err)
{
	int			rc;

	do
	{
		f->z.next_out = f->buf + f->len;
		f->z.avail_out = (uInt) (OUT_BUF_SIZE - f->len);
		rc = deflate(&f->z, flush);
		if (rc == Z_STREAM_ERROR)
			return n2p_error_set(err, N2P_ERR_IO, "zlib deflate failed");
		f->len = OUT_BUF_SIZE - f->z.avail_out;
		if (f->len == OUT_BUF_SIZE && !out_flush(w, f, err))
			return false;
	} while (flush == Z_FINISH ? rc != Z_STREAM_END : f->z.avail_in > 0);
	return true;
}

static bool
out_write(Writer *w, OutFile *f, const char *data, size_t len, N2pError *err)
{
	while (len > 0)
	{
		size_t		n;

		if (f->gzip)
		{
			n = len > (1u << 30) ? (1u << 30) : len;
			f->z.next_in = (Bytef *) data;
			f->z.avail_in = (uInt) n;
			if (!deflate_some(w, f, Z_NO_FLUSH, err))
				return false;
		}
		else
		{
			n = OUT_BUF_SIZE - f->len;
			if (n > len)
				n = len;
			memcpy(f->buf + f->len, data, n);
			f->len += n;
			if (f->len == OUT_BUF_SIZE && !out_flush(w, f, err))
				return false;
		}
		data += n;
		len -= n;
	}
	return true;
}

static void
out_release(Writer *w, OutFile *f)
{
	if (f->zinit)
		deflateEnd(&f->z);
	f->zinit = false;
	n2p_free(w->alloc, f->buf);
	f->buf = NULL;
}

static bool
out_close(Writer *w, OutFile *f, N2pError *err)
{
	bool		ok = true;
	void	   *fh = f->fh;

	if (f->gzip)
	{
		f->z.next_in = NULL;
		f->z.avail_in = 0;
		ok = deflate_some(w, f, Z_FINISH, err);
	}
	ok = ok && out_flush(w, f, err);
	out_release(w, f);
	f->fh = NULL;
	/* closed even after a failure, so that nothing stays open */
	if (!w->opts.io->close(w->opts.io->ctx, fh, err))
		ok = false;
	return ok;
}

static void
out_discard(Writer *w, OutFile *f)
{
	N2pError	ignored;

	out_release(w, f);
	if (f->fh)
	{
		n2p_error_init(&ignored);
		w->opts.io->close(w->opts.io->ctx, f->fh, &ignored);
	}
	f->fh = NULL;
}

/* A whole small file (the metadata). */
static bool
write_file(Writer *w, const char *name, const N2pBuf *text, N2pError *err)
{
	const char *path = make_path(w, &w->path, name, NULL);
	void	   *fh;
	bool		ok;

	if (path == NULL)
		return nomem(err);
	if ((fh = w->opts.io->open(w->opts.io->ctx, path, err)) == NULL)
		return false;
	ok = w->opts.io->write(w->opts.io->ctx, fh, text->data, text->len, err);
	ok = w->opts.io->close(w->opts.io->ctx, fh, err) && ok;
	w->disk_bytes += text->len;
	return ok;
}

/* ------------------------------------------------------------- rendering */

/* json.dumps with indent K: a newline and K spaces per level. */
static bool
put_nl(Writer *w, N2pBuf *b, int indent, int level)
{
	static const char spaces[] = "\n                                                                ";
	size_t		n = (size_t) (indent * level);

	(void) w;
	/* the rows nest three levels deep: one append, not a character at a time */
	if (n < sizeof(spaces) - 1)
		return n2p_buf_append(b, spaces, n + 1);
	if (!n2p_buf_putc(b, '\n'))
		return false;
	while (n-- > 0)
		if (!n2p_buf_putc(b, ' '))
			return false;
	return true;
}

static bool
put_lit(N2pBuf *b, const char *s)
{
	return n2p_buf_append(b, s, strlen(s));
}

/* A string that must be UTF-8: the sources check it, so this is a bug guard. */
static bool
put_string(N2pBuf *b, const char *s, size_t len, N2pError *err)
{
	if (n2p_pyjson_string(b, s, len))
		return true;
	if (b->oom)
		return nomem(err);
	return n2p_error_set(err, N2P_ERR_DATA, "a string is not valid UTF-8");
}

static bool put_value(Writer *w, N2pBuf *b, const N2pValue *v, int level, N2pError *err);

static bool
put_list(Writer *w, N2pBuf *b, const N2pValue *v, int level, N2pError *err)
{
	size_t		i;

	if (v->u.list.n == 0)
		return put_lit(b, "[]");
	if (!n2p_buf_putc(b, '['))
		return nomem(err);
	for (i = 0; i < v->u.list.n; i++)
	{
		if ((i > 0 && !n2p_buf_putc(b, ',')) || !put_nl(w, b, w->opts.indent, level + 1))
			return nomem(err);
		if (!put_value(w, b, &v->u.list.items[i], level + 1, err))
			return false;
	}
	return (put_nl(w, b, w->opts.indent, level) && n2p_buf_putc(b, ']')) || nomem(err);
}

/* A temporal or spatial value as the tool's literal string. */
static bool
put_literal(Writer *w, N2pBuf *b, const N2pValue *v, N2pError *err)
{
	n2p_buf_reset(&w->scratch);
	if (!n2p_literal_format(v, &w->scratch))
	{
		if (w->scratch.oom)
			return nomem(err);
		if (v->type == N2P_POINT)
			return n2p_error_set(err, N2P_ERR_DATA,
								 "a point of SRID %d has no form in a backup (the tool writes 7203, 9157, 4326 and 4979)",
								 (int) v->u.point.srid);
		return n2p_error_set(err, N2P_ERR_DATA, "a %s value is out of the range a backup can hold",
							 n2p_type_name(v->type));
	}
	return put_string(b, w->scratch.data, w->scratch.len, err);
}

static bool
put_value(Writer *w, N2pBuf *b, const N2pValue *v, int level, N2pError *err)
{
	bool		ok;

	switch (v->type)
	{
		case N2P_BOOL:
			ok = put_lit(b, v->u.b ? "true" : "false");
			break;
		case N2P_INT:
			ok = n2p_pyjson_int(b, v->u.i);
			break;
		case N2P_FLOAT:
			ok = n2p_pyjson_float(b, v->u.f);
			break;
		case N2P_STRING:
			return put_string(b, v->u.str.ptr, v->u.str.len, err);
		case N2P_BYTES:
			/* default=str: the lossy str(bytes); the exact value goes aside */
			n2p_buf_reset(&w->scratch);
			if (!n2p_py_bytes_str(&w->scratch, v->u.str.ptr, v->u.str.len))
				return nomem(err);
			return put_string(b, w->scratch.data, w->scratch.len, err);
		case N2P_LIST:
			return put_list(w, b, v, level, err);
		case N2P_DATE:
		case N2P_TIME:
		case N2P_LOCALTIME:
		case N2P_DATETIME:
		case N2P_LOCALDATETIME:
		case N2P_DURATION:
		case N2P_POINT:
			return put_literal(w, b, v, err);
		default:
			return n2p_error_set(err, N2P_ERR_DATA, "a %s value has no form in a backup",
								 n2p_type_name(v->type));
	}
	return ok || nomem(err);
}

/* --------------------------------------------------------- exact values */

static bool
is_zoned(const N2pValue *v)
{
	return v->type == N2P_DATETIME && v->u.dt.zone.len > 0;
}

/*
 * Does the tool's form lose this value?  Byte arrays and zone ids, and a
 * list of strings that all start like literals, which a reader takes for
 * temporal values (the tool hashes only top-level strings).
 */
static bool
needs_exact(const N2pValue *v)
{
	size_t		i;
	bool		all_prefixed = true;

	if (v->type == N2P_BYTES || is_zoned(v))
		return true;
	if (v->type != N2P_LIST || v->u.list.n == 0)
		return false;
	for (i = 0; i < v->u.list.n; i++)
	{
		const N2pValue *e = &v->u.list.items[i];

		if (e->type == N2P_BYTES || is_zoned(e))
			return true;
		if (e->type != N2P_STRING || !n2p_literal_has_prefix(e->u.str.ptr, e->u.str.len))
			all_prefixed = false;
	}
	return all_prefixed;
}

static bool
put_exact_scalar(Writer *w, N2pBuf *b, const N2pValue *v, N2pError *err)
{
	static const char hex[] = "0123456789abcdef";
	size_t		i;

	switch (v->type)
	{
		case N2P_BYTES:
			if (!n2p_buf_putc(b, '"'))
				return nomem(err);
			for (i = 0; i < v->u.str.len; i++)
			{
				unsigned char c = (unsigned char) v->u.str.ptr[i];

				if (!n2p_buf_putc(b, hex[c >> 4]) || !n2p_buf_putc(b, hex[c & 15]))
					return nomem(err);
			}
			return n2p_buf_putc(b, '"') || nomem(err);
		case N2P_DATETIME:
			n2p_buf_reset(&w->scratch);
			if (!n2p_temporal_format_iso(v, &w->scratch))
				return w->scratch.oom ? nomem(err) :
					n2p_error_set(err, N2P_ERR_DATA, "a datetime value is out of range");
			return put_string(b, w->scratch.data, w->scratch.len, err);
		case N2P_STRING:
			return put_string(b, v->u.str.ptr, v->u.str.len, err);
		default:
			/* Neo4j lists hold one type */
			return n2p_error_set(err, N2P_ERR_DATA,
								 "a list holds a %s beside byte arrays, zoned datetimes or literal-like strings",
								 n2p_type_name(v->type));
	}
}

/* {"bytes": "00ff"}, {"datetime": [...]}: see backup_exact.h. */
static bool
put_exact(Writer *w, N2pBuf *b, const N2pValue *v, N2pError *err)
{
	const N2pValue *first = v->type == N2P_LIST ? &v->u.list.items[0] : v;
	const char *type = first->type == N2P_BYTES ? "bytes" :
		first->type == N2P_STRING ? "string" : "datetime";
	size_t		i;

	if (!put_lit(b, "{\"") || !put_lit(b, type) || !put_lit(b, "\": "))
		return nomem(err);
	if (v->type != N2P_LIST)
		return put_exact_scalar(w, b, v, err) && (n2p_buf_putc(b, '}') || nomem(err));
	if (!n2p_buf_putc(b, '['))
		return nomem(err);
	for (i = 0; i < v->u.list.n; i++)
	{
		if (v->u.list.items[i].type != first->type)
			return n2p_error_set(err, N2P_ERR_DATA, "a list holds both %s and %s values",
								 n2p_type_name(first->type), n2p_type_name(v->u.list.items[i].type));
		if ((i > 0 && !put_lit(b, ", ")) ||
			!put_exact_scalar(w, b, &v->u.list.items[i], err))
			return err->code != N2P_OK ? false : nomem(err);
	}
	return put_lit(b, "]}") || nomem(err);
}

/* ------------------------------------------------------------------ rows */

static bool
put_key(Writer *w, N2pBuf *b, int level, bool first, const char *key, N2pError *err)
{
	return ((first || n2p_buf_putc(b, ',')) && put_nl(w, b, w->opts.indent, level) &&
			n2p_buf_putc(b, '"') && put_lit(b, key) && put_lit(b, "\": ")) || nomem(err);
}

/*
 * Properties at level 2 of the row, hash_props rendered beside them: a
 * top-level string that starts like a literal becomes its SHA-256, the
 * original going to hash_props, exactly as the tool does it.
 */
static bool
put_props(Writer *w, N2pBuf *b, const N2pValue *props, N2pError *err)
{
	int			ind = w->opts.indent;
	size_t		i,
				nhash = 0;

	n2p_buf_reset(&w->hash);
	n2p_buf_reset(&w->xprops);
	if (props->u.map.n == 0)
		return put_lit(b, "{}") || nomem(err);
	if (!n2p_buf_putc(b, '{'))
		return nomem(err);
	for (i = 0; i < props->u.map.n; i++)
	{
		N2pStr		k = props->u.map.keys[i];
		const N2pValue *v = &props->u.map.vals[i];
		bool		ok;

		if ((i > 0 && !n2p_buf_putc(b, ',')) || !put_nl(w, b, ind, 3))
			return nomem(err);
		if (!put_string(b, k.ptr, k.len, err) || !put_lit(b, ": ") ||
			!strset_add(w, &w->keys, k.ptr, k.len))
			goto fail;
		if (v->type == N2P_STRING && n2p_literal_has_prefix(v->u.str.ptr, v->u.str.len))
		{
			char		digest[65];

			n2p_sha256_hex(v->u.str.ptr, v->u.str.len, digest);
			ok = n2p_buf_putc(b, '"') && n2p_buf_append(b, digest, 64) && n2p_buf_putc(b, '"') &&
				n2p_buf_putc(&w->hash, nhash++ ? ',' : '{') && put_nl(w, &w->hash, ind, 3) &&
				put_string(&w->hash, k.ptr, k.len, err) && put_lit(&w->hash, ": ") &&
				put_string(&w->hash, v->u.str.ptr, v->u.str.len, err);
		}
		else
			ok = put_value(w, b, v, 3, err);
		if (ok && needs_exact(v))
			ok = (w->xprops.len == 0 || put_lit(&w->xprops, ", ")) &&
				put_string(&w->xprops, k.ptr, k.len, err) && put_lit(&w->xprops, ": ") &&
				put_exact(w, &w->xprops, v, err);
		if (!ok)
			goto fail;
	}
	if (nhash && !(put_nl(w, &w->hash, ind, 2) && n2p_buf_putc(&w->hash, '}')))
		return nomem(err);
	return (put_nl(w, b, ind, 2) && n2p_buf_putc(b, '}')) || nomem(err);

fail:
	if (err->code == N2P_OK)
		nomem(err);
	n2p_error_set_key(err, props->u.map.keys[i].ptr, props->u.map.keys[i].len);
	return false;
}

static int
label_cmp(const N2pStr *labels, size_t a, size_t b)
{
	int			c = n2p_py_lower_cmp(labels[a], labels[b]);

	/* sorted() is stable */
	return c ? c : (a > b) - (a < b);
}

/*
 * sorted(labels, key=str.lower) joined with ':', into scratch.  Returns
 * in *exact whether reading it back (split on ':') gives the labels in
 * their order; when not, the order goes aside.
 */
static bool
join_labels(Writer *w, const N2pRecord *rec, bool *exact, N2pError *err)
{
	size_t		n = rec->nlabels,
				i,
				j;

	if (n > w->order_cap)
	{
		size_t	   *o = n2p_realloc(w->alloc, w->order, w->order_cap * sizeof(size_t),
									n * sizeof(size_t));

		if (o == NULL)
			return nomem(err);
		w->order = o;
		w->order_cap = n;
	}
	/* insertion sort: a node has a handful of labels */
	for (i = 0; i < n; i++)
	{
		for (j = i; j > 0 && label_cmp(rec->labels, w->order[j - 1], i) > 0; j--)
			w->order[j] = w->order[j - 1];
		w->order[j] = i;
	}
	*exact = true;
	n2p_buf_reset(&w->scratch);
	for (i = 0; i < n; i++)
	{
		N2pStr		l = rec->labels[w->order[i]];

		if (w->order[i] != i || (l.len && memchr(l.ptr, ':', l.len) != NULL))
			*exact = false;
		if ((i > 0 && !n2p_buf_putc(&w->scratch, ':')) ||
			!n2p_buf_append(&w->scratch, l.ptr, l.len))
			return nomem(err);
	}
	return true;
}

/* node_labels.json: every label set and, for several, each label. */
static bool
collect_labels(Writer *w, const char *s, size_t len)
{
	size_t		i,
				start = 0;

	if (!strset_add(w, &w->labels, s, len))
		return false;
	/* an unlabeled node's "" may have no bytes behind it at all */
	if (len == 0 || memchr(s, ':', len) == NULL)
		return true;
	for (i = 0; i <= len; i++)
		if (i == len || s[i] == ':')
		{
			if (!strset_add(w, &w->labels, s + start, i - start))
				return false;
			start = i + 1;
		}
	return true;
}

static bool
put_exact_row(Writer *w, const N2pRecord *rec, bool labels_exact, N2pError *err)
{
	N2pBuf	   *x = &w->xrows;
	bool		ok;
	size_t		i;

	ok = put_lit(x, w->exact_chunk_rows ? ",\n{\"id\": " : "[\n{\"id\": ") &&
		n2p_pyjson_int(x, rec->id);
	if (ok && w->meta->element_ids)
		ok = put_lit(x, ", \"element_id\": ") &&
			put_string(x, rec->element_id.ptr, rec->element_id.len, err);
	if (ok && !labels_exact)
	{
		ok = put_lit(x, ", \"labels\": [");
		for (i = 0; ok && i < rec->nlabels; i++)
			ok = (i == 0 || put_lit(x, ", ")) &&
				put_string(x, rec->labels[i].ptr, rec->labels[i].len, err);
		ok = ok && n2p_buf_putc(x, ']');
	}
	if (ok && w->xprops.len)
		ok = put_lit(x, ", \"props\": {") && n2p_buf_append(x, w->xprops.data, w->xprops.len) &&
			n2p_buf_putc(x, '}');
	ok = ok && n2p_buf_putc(x, '}');
	if (!ok)
		return err->code != N2P_OK ? false : nomem(err);
	w->exact_chunk_rows++;
	w->exact_rows++;
	return true;
}

static bool
render_row(Writer *w, const N2pRecord *rec, bool *labels_exact, N2pError *err)
{
	N2pBuf	   *b = &w->rows;
	int			ind = w->opts.indent;
	bool		node = rec->kind == N2P_REC_NODE;

	*labels_exact = true;
	if (!(put_lit(b, w->chunk_rows ? "," : "[") && put_nl(w, b, ind, 1) &&
		  n2p_buf_putc(b, '{')))
		return nomem(err);
	if (!put_key(w, b, 2, true, node ? "node_id" : "rel_id", err) || !n2p_pyjson_int(b, rec->id))
		return nomem(err);
	if (node)
	{
		if (!join_labels(w, rec, labels_exact, err) ||
			!put_key(w, b, 2, false, "node_labels", err) ||
			!put_string(b, w->scratch.data, w->scratch.len, err))
			return false;
		if (!collect_labels(w, w->scratch.data, w->scratch.len))
			return nomem(err);
	}
	else
	{
		if (!put_key(w, b, 2, false, "start_node_id", err) || !n2p_pyjson_int(b, rec->start_id) ||
			!put_key(w, b, 2, false, "end_node_id", err) || !n2p_pyjson_int(b, rec->end_id) ||
			!put_key(w, b, 2, false, "rel_type", err))
			return nomem(err);
		if (!put_string(b, rec->type.ptr, rec->type.len, err))
			return false;
		if (!strset_add(w, &w->types, rec->type.ptr, rec->type.len))
			return nomem(err);
	}
	if (!put_key(w, b, 2, false, node ? "node_props" : "rel_props", err) ||
		!put_props(w, b, &rec->props, err) ||
		!put_key(w, b, 2, false, "hash_props", err))
		return false;
	if (!(w->hash.len ? n2p_buf_append(b, w->hash.data, w->hash.len) : put_lit(b, "{}")) ||
		!put_nl(w, b, ind, 1) || !n2p_buf_putc(b, '}'))
		return nomem(err);
	return true;
}

/* ---------------------------------------------------------------- chunks */

static bool
chunk_start(Writer *w, N2pRecKind kind, N2pError *err)
{
	const char *path = make_path(w, &w->path, "data", kind == N2P_REC_NODE ?
								 "part-nodes" : "part-relationships");

	if (path == NULL)
		return nomem(err);
	w->kind = kind;
	w->chunk_rows = 0;
	w->exact_chunk_rows = 0;
	/* open first: abort() discards whatever out_open got to */
	w->chunk_open = true;
	return out_open(w, &w->data, path, err);
}

static bool
exact_start(Writer *w, N2pError *err)
{
	const char *path = make_path(w, &w->path, N2P_EXACT_DIR, w->kind == N2P_REC_NODE ?
								 "part-nodes" : "part-relationships");

	if (path == NULL)
		return nomem(err);
	w->exact_open = true;
	return out_open(w, &w->exact, path, err);
}

static bool
flush_rows(Writer *w, N2pError *err)
{
	if (w->rows.len && !out_write(w, &w->data, w->rows.data, w->rows.len, err))
		return false;
	n2p_buf_reset(&w->rows);
	if (w->xrows.len && !out_write(w, &w->exact, w->xrows.data, w->xrows.len, err))
		return false;
	n2p_buf_reset(&w->xrows);
	return true;
}

/* Close a part file and give it the chunk's name. */
static bool
chunk_seal(Writer *w, OutFile *f, const char *sub, N2pError *err)
{
	char		name[64];
	const char *from,
			   *to;

	snprintf(name, sizeof(name), "%s_%llu.json%s", kind_stem[w->kind],
			 (unsigned long long) w->counter[w->kind], w->opts.compress ? ".gz" : "");
	if (!out_write(w, f, "\n]", 2, err) || !out_close(w, f, err))
	{
		out_discard(w, f);
		return false;
	}
	from = make_path(w, &w->path, sub, w->kind == N2P_REC_NODE ? "part-nodes" : "part-relationships");
	to = make_path(w, &w->path2, sub, name);
	if (from == NULL || to == NULL)
		return nomem(err);
	w->files++;
	return w->opts.io->rename(w->opts.io->ctx, from, to, err);
}

static bool
chunk_end(Writer *w, N2pError *err)
{
	if (!flush_rows(w, err))
		return false;
	w->chunk_open = false;
	if (!chunk_seal(w, &w->data, "data", err))
		return false;
	if (!w->exact_open)
		return true;
	w->exact_open = false;
	return chunk_seal(w, &w->exact, N2P_EXACT_DIR, err);
}

/* ------------------------------------------------------------ sink ops */

static bool
writer_begin(N2pSink *sink, const N2pGraphMeta *meta, N2pError *err)
{
	Writer	   *w = (Writer *) sink;
	const N2pOutputIo *io = w->opts.io;
	const char *p;

	w->meta = meta;
	if (!io->mkdir(io->ctx, w->opts.tmp_dir, err))
		return false;
	w->begun = true;
	return ((p = make_path(w, &w->path, "data", NULL)) != NULL || nomem(err)) &&
		io->mkdir(io->ctx, p, err) &&
		((p = make_path(w, &w->path, N2P_EXACT_DIR, NULL)) != NULL || nomem(err)) &&
		io->mkdir(io->ctx, p, err);
}

static void
name_row(N2pError *err, const N2pRecord *rec)
{
	err->row_kind = rec->kind == N2P_REC_NODE ? "node" : "relationship";
	err->row_id = rec->id;
	if (rec->origin && err->file[0] == '\0')
		n2p_error_set_file(err, rec->origin);
}

static bool
writer_write(N2pSink *sink, const N2pRecord *rec, N2pError *err)
{
	Writer	   *w = (Writer *) sink;
	bool		labels_exact;

	if (w->chunk_open && rec->kind != w->kind && !chunk_end(w, err))
		return false;
	if (!w->chunk_open && !chunk_start(w, rec->kind, err))
		return false;
	if (!render_row(w, rec, &labels_exact, err))
	{
		name_row(err, rec);
		return false;
	}
	if (!labels_exact || w->xprops.len || w->meta->element_ids)
	{
		if (!w->exact_open && !exact_start(w, err))
			return false;
		if (!put_exact_row(w, rec, labels_exact, err))
		{
			name_row(err, rec);
			return false;
		}
	}
	w->chunk_rows++;
	w->counter[rec->kind]++;
	if ((w->rows.len >= ROW_FLUSH_SIZE || w->xrows.len >= ROW_FLUSH_SIZE) &&
		!flush_rows(w, err))
		return false;
	return w->chunk_rows < w->opts.chunk_rows || chunk_end(w, err);
}

/* ------------------------------------------------------------- metadata */

/* json.dumps(list, indent=4) of strings. */
static bool
render_list(Writer *w, N2pBuf *b, const StrSet *set, N2pError *err)
{
	size_t		i;

	n2p_buf_reset(b);
	if (set->n == 0)
		return put_lit(b, "[]") || nomem(err);
	for (i = 0; i < set->n; i++)
		if (!put_lit(b, i ? ",\n    " : "[\n    ") ||
			!put_string(b, set->items[i].ptr, set->items[i].len, err))
			return err->code != N2P_OK ? false : nomem(err);
	(void) w;
	return put_lit(b, "\n]") || nomem(err);
}

static bool
put_meta_string(N2pBuf *b, const char *s, N2pError *err)
{
	if (s == NULL)
		return put_lit(b, "null") || nomem(err);
	return put_string(b, s, strlen(s), err);
}

static bool
put_meta_list(N2pBuf *b, char **list, size_t n, N2pError *err)
{
	size_t		i;
	bool		ok = n2p_buf_putc(b, '[');

	for (i = 0; ok && i < n; i++)
		ok = (i == 0 || put_lit(b, ", ")) && put_meta_string(b, list[i], err);
	return ok && n2p_buf_putc(b, ']');
}

/* What the item covers, so that a sink can build its statement itself. */
static bool
put_schema_parts(N2pBuf *b, const N2pSchemaItem *it, N2pError *err)
{
	if (it->entity == NULL)
		return true;
	return put_lit(b, ", \"entity\": ") && put_meta_string(b, it->entity, err) &&
		put_lit(b, ", \"labels_or_types\": ") && put_meta_list(b, it->tokens, it->ntokens, err) &&
		put_lit(b, ", \"properties\": ") && put_meta_list(b, it->props, it->nprops, err);
}

static bool
render_constraints(Writer *w, N2pBuf *b, N2pError *err)
{
	const N2pGraphMeta *m = w->meta;
	size_t		i;
	bool		ok = true;

	n2p_buf_reset(b);
	if (m->nconstraints == 0)
		return put_lit(b, "[]") || nomem(err);
	for (i = 0; ok && i < m->nconstraints; i++)
		ok = put_lit(b, i ? ",\n    {\n        \"node_label\": " : "[\n    {\n        \"node_label\": ") &&
			put_meta_string(b, m->constraints[i].label, err) &&
			put_lit(b, ",\n        \"node_prop\": ") &&
			put_meta_string(b, m->constraints[i].prop, err) &&
			put_lit(b, ",\n        \"constraint_name\": ") &&
			put_meta_string(b, m->constraints[i].name, err) &&
			put_lit(b, "\n    }");
	return (ok && put_lit(b, "\n]")) || (err->code != N2P_OK ? false : nomem(err));
}

static bool
key_taken(Writer *w, const char *cand)
{
	N2pStr		c = {cand, strlen(cand)};
	size_t		i;

	for (i = 0; i < w->keys.n; i++)
		if (n2p_py_lower_cmp(w->keys.items[i], c) == 0)
			return true;
	for (i = 0; i < w->meta->nconstraints; i++)
		if (w->meta->constraints[i].name &&
			n2p_py_lower_cmp((N2pStr) {w->meta->constraints[i].name,
									   strlen(w->meta->constraints[i].name)}, c) == 0)
			return true;
	return false;
}

/*
 * The importer's temporary key: 16 lower-case letters that no property
 * key (lower-cased) nor constraint name is.  The source's own is kept
 * when it still fits; otherwise one is drawn from the database id, so
 * that the same graph gives the same backup.
 */
static void
unique_prop_key(Writer *w, char *out)
{
	const char *db = w->meta->db_id ? w->meta->db_id : "";
	const char *own = w->meta->unique_prop_key;
	unsigned	attempt;

	if (own && strlen(own) == 16 && strspn(own, "abcdefghijklmnopqrstuvwxyz") == 16 &&
		!key_taken(w, own))
	{
		memcpy(out, own, 17);
		return;
	}
	for (attempt = 0;; attempt++)
	{
		char		seed[80],
					digest[65];
		int			i;

		snprintf(seed, sizeof(seed), "%u:", attempt);
		n2p_buf_reset(&w->scratch);
		if (n2p_buf_append(&w->scratch, seed, strlen(seed)) &&
			n2p_buf_append(&w->scratch, db, strlen(db)))
			n2p_sha256_hex(w->scratch.data, w->scratch.len, digest);
		else
			n2p_sha256_hex(seed, strlen(seed), digest);
		for (i = 0; i < 16; i++)
			out[i] = (char) ('a' + ((digest[2 * i] * 16 + digest[2 * i + 1]) % 26));
		out[16] = '\0';
		if (!key_taken(w, out))
			return;
	}
}

static bool
render_graph(Writer *w, N2pBuf *b, N2pError *err)
{
	const N2pGraphMeta *m = w->meta;
	size_t		i;
	bool		ok;

	n2p_buf_reset(b);
	ok = n2p_buf_printf(b, "{\n    \"format\": 1,\n    \"writer\": \"neo2pg %s\",\n"
						"    \"element_ids\": %s,\n    \"zone_ids\": %s,\n    \"schema\": [",
						N2P_VERSION, m->element_ids ? "true" : "false",
						m->zone_ids ? "true" : "false");
	for (i = 0; ok && i < m->nschema; i++)
		ok = put_lit(b, i ? ",\n        {\"kind\": " : "\n        {\"kind\": ") &&
			put_meta_string(b, m->schema[i].kind, err) && put_lit(b, ", \"name\": ") &&
			put_meta_string(b, m->schema[i].name, err) && put_lit(b, ", \"type\": ") &&
			put_meta_string(b, m->schema[i].type, err) && put_lit(b, ", \"create\": ") &&
			put_meta_string(b, m->schema[i].create, err) && put_schema_parts(b, &m->schema[i], err) &&
			n2p_buf_putc(b, '}');
	ok = ok && put_lit(b, m->nschema ? "\n    ]\n}\n" : "]\n}\n");
	return ok || (err->code != N2P_OK ? false : nomem(err));
}

static bool
write_metadata(Writer *w, N2pError *err)
{
	N2pBuf	   *b = &w->rows;
	char		key[17];

	n2p_buf_reset(b);
	if (!put_meta_string(b, w->meta->db_id ? w->meta->db_id : "", err) ||
		!write_file(w, "db_id.json", b, err))
		return false;
	unique_prop_key(w, key);
	n2p_buf_reset(b);
	if (!put_meta_string(b, key, err) || !write_file(w, "unique_prop_key.json", b, err))
		return false;
	if (!render_constraints(w, b, err) || !write_file(w, "uniqueness_constraints.json", b, err) ||
		!render_list(w, b, &w->keys, err) || !write_file(w, "property_keys.json", b, err) ||
		!render_list(w, b, &w->labels, err) || !write_file(w, "node_labels.json", b, err) ||
		!render_list(w, b, &w->types, err) || !write_file(w, "rel_types.json", b, err) ||
		!render_graph(w, b, err) || !write_file(w, N2P_EXACT_GRAPH, b, err))
		return false;
	n2p_buf_reset(b);
	if (!put_lit(b, w->opts.compress ? "true" : "false"))
		return nomem(err);
	return write_file(w, "compressed.json", b, err);
}

/* Put the finished tree in place; the target never holds a partial one. */
static bool
publish(Writer *w, N2pError *err)
{
	const N2pOutputIo *io = w->opts.io;
	N2pError	ignored;

	if (w->opts.old_dir == NULL)
		return io->rename(io->ctx, w->opts.tmp_dir, w->opts.dir, err);
	if (!io->rename(io->ctx, w->opts.dir, w->opts.old_dir, err))
		return false;
	if (!io->rename(io->ctx, w->opts.tmp_dir, w->opts.dir, err))
	{
		n2p_error_init(&ignored);
		io->rename(io->ctx, w->opts.old_dir, w->opts.dir, &ignored);
		return false;
	}
	io->remove_tree(io->ctx, w->opts.old_dir);
	return true;
}

static bool
writer_finish(N2pSink *sink, N2pError *err)
{
	Writer	   *w = (Writer *) sink;

	if (w->chunk_open && !chunk_end(w, err))
		return false;
	if (!write_metadata(w, err) || !publish(w, err))
		return false;
	w->begun = false;			/* the tree is the target's now */
	return true;
}

static void
writer_abort(N2pSink *sink)
{
	Writer	   *w = (Writer *) sink;

	if (w->chunk_open)
		out_discard(w, &w->data);
	if (w->exact_open)
		out_discard(w, &w->exact);
	w->chunk_open = w->exact_open = false;
	if (w->begun)
		w->opts.io->remove_tree(w->opts.io->ctx, w->opts.tmp_dir);
	w->begun = false;
}

static void
writer_close(N2pSink *sink)
{
	Writer	   *w = (Writer *) sink;

	writer_abort(sink);
	n2p_buf_free(&w->rows);
	n2p_buf_free(&w->xrows);
	n2p_buf_free(&w->hash);
	n2p_buf_free(&w->xprops);
	n2p_buf_free(&w->scratch);
	n2p_buf_free(&w->path);
	n2p_buf_free(&w->path2);
	n2p_free(w->alloc, w->order);
	strset_free(w, &w->keys);
	strset_free(w, &w->labels);
	strset_free(w, &w->types);
	n2p_free(w->alloc, w);
}

static const N2pSinkOps writer_ops = {writer_begin, writer_write, writer_finish,
writer_abort, writer_close};

N2pSink *
n2p_backup_writer_open(const N2pBackupWriterOptions *opts, const N2pAllocator *alloc,
					   N2pError *err)
{
	Writer	   *w;

	if (opts->chunk_rows == 0 || opts->indent < 0 || opts->indent > 64 ||
		(opts->compress && (opts->gzip_level < 1 || opts->gzip_level > 9)) ||
		!opts->dir || !opts->tmp_dir || !opts->io)
	{
		n2p_error_set(err, N2P_ERR_USAGE, "backup writer: bad options");
		return NULL;
	}
	if ((w = n2p_alloc(alloc, sizeof(Writer))) == NULL)
	{
		nomem(err);
		return NULL;
	}
	memset(w, 0, sizeof(*w));
	w->base.ops = &writer_ops;
	w->opts = *opts;
	w->alloc = alloc;
	/* Python's gzip: no name is known yet, mtime 0 (reproducible), OS unknown */
	w->gzhead.os = 255;
	n2p_buf_init(&w->rows, alloc);
	n2p_buf_init(&w->xrows, alloc);
	n2p_buf_init(&w->hash, alloc);
	n2p_buf_init(&w->xprops, alloc);
	n2p_buf_init(&w->scratch, alloc);
	n2p_buf_init(&w->path, alloc);
	n2p_buf_init(&w->path2, alloc);
	return &w->base;
}

void
n2p_backup_writer_stats(N2pSink *sink, uint64_t *files, uint64_t *disk_bytes,
						uint64_t *exact_rows)
{
	Writer	   *w = (Writer *) sink;

	*files = w->files;
	*disk_bytes = w->disk_bytes;
	*exact_rows = w->exact_rows;
}
