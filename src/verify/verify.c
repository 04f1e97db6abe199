/*-------------------------------------------------------------------------
 *
 * verify.c
 *	  verify's lines (include/neo2pg/verify.h): a record's line, the steps
 *	  of content matching, and the merge of two sorted line streams that
 *	  reports the differences.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/verify/verify.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/verify.h"
#include "neo2pg/pyjson.h"

#include <string.h>

#define MAX_FIELDS 8
#define ESC '\x02'
#define HASH_HEX 32
#define ID_HEX 16

/* Key and payload fields of each line kind; the fields after them only name the record. */
static const struct
{
	int			nkey;
	int			npay;
}			shapes[] = {
	[N2P_VL_NODE_ID] = {1, 2},
	[N2P_VL_NODE_CONTENT] = {1, 1},
	[N2P_VL_REL_ID] = {1, 4},
	[N2P_VL_REL_CONTENT] = {3, 1},
};

static bool
unesc(const char *p, size_t n, N2pBuf *out)
{
	size_t		i;

	n2p_buf_reset(out);
	for (i = 0; i < n; i++)
	{
		if (p[i] == ESC && i + 1 < n)
			n2p_buf_putc(out, (char) (p[++i] - 0x40));
		else
			n2p_buf_putc(out, p[i]);
	}
	return !out->oom;
}

static void
id_hex(int64_t id, char *out)
{
	static const char hex[] = "0123456789abcdef";
	uint64_t	u = (uint64_t) id ^ (1ULL << 63);
	int			i;

	for (i = ID_HEX - 1; i >= 0; i--, u >>= 4)
		out[i] = hex[u & 15];
}

static int64_t
hex_id(const char *p, size_t n)
{
	uint64_t	u = 0;
	size_t		i;

	for (i = 0; i < n && i < ID_HEX; i++)
		u = (u << 4) | (uint64_t) (p[i] <= '9' ? p[i] - '0' : p[i] - 'a' + 10);
	return (int64_t) (u ^ (1ULL << 63));
}

typedef struct Fields
{
	const char *p[MAX_FIELDS];
	size_t		n[MAX_FIELDS];
	int			count;
} Fields;

static bool
split(const char *line, size_t len, Fields *f, int want, N2pError *err)
{
	const char *p = line,
			   *end = line + len,
			   *sep;

	f->count = 0;
	while (f->count < MAX_FIELDS)
	{
		sep = memchr(p, N2P_VERIFY_SEP, (size_t) (end - p));
		f->p[f->count] = p;
		f->n[f->count++] = (size_t) ((sep ? sep : end) - p);
		if (sep == NULL)
			break;
		p = sep + 1;
	}
	if (f->count != want)
		return n2p_error_set(err, N2P_ERR_DATA, "verify: a line of a work file has %d fields, not %d",
							 f->count, want);
	return true;
}

bool
n2p_verify_record_line(N2pVerifyEnc *enc, const N2pRecord *rec, N2pBuf *out, N2pError *err)
{
	char		hex[ID_HEX];

	/* the encoding escapes its strings as it goes: no second pass over the line */
	enc->escape = true;
	id_hex(rec->id, hex);
	n2p_buf_append(out, hex, ID_HEX);
	n2p_buf_putc(out, N2P_VERIFY_SEP);
	if (rec->kind == N2P_REC_NODE)
	{
		if (!n2p_verify_encode_labels(enc, rec->labels, rec->nlabels, out))
			goto fail;
	}
	else
	{
		n2p_verify_escape(out, rec->type.ptr, rec->type.len);
		n2p_buf_putc(out, N2P_VERIFY_SEP);
		id_hex(rec->start_id, hex);
		n2p_buf_append(out, hex, ID_HEX);
		n2p_buf_putc(out, N2P_VERIFY_SEP);
		id_hex(rec->end_id, hex);
		n2p_buf_append(out, hex, ID_HEX);
	}
	n2p_buf_putc(out, N2P_VERIFY_SEP);
	if (!n2p_verify_encode_value(enc, &rec->props, out))
		goto fail;
	enc->escape = false;
	if (n2p_buf_putc(out, '\n'))
		return true;
fail:
	enc->escape = false;
	return n2p_error_set(err, out->oom ? N2P_ERR_NOMEM : N2P_ERR_LIMIT,
						 "%s %lld: cannot encode its properties for verify (out of memory, or nested too deep)",
						 rec->kind == N2P_REC_NODE ? "node" : "relationship", (long long) rec->id);
}

/* The prefix of a line that holds its first nfields fields (all when 0). */
static size_t
prefix_len(const char *s, size_t len, int nfields)
{
	const char *p = s,
			   *sep;

	if (nfields == 0)
		return len;
	while ((sep = memchr(p, N2P_VERIFY_SEP, len - (size_t) (p - s))) != NULL)
	{
		if (--nfields == 0)
			return (size_t) (sep - s);
		p = sep + 1;
	}
	return len;
}

int
n2p_verify_line_cmp(const char *a, size_t alen, const char *b, size_t blen, int nfields)
{
	size_t		na = prefix_len(a, alen, nfields),
				nb = prefix_len(b, blen, nfields);
	int			c = memcmp(a, b, na < nb ? na : nb);

	if (c != 0)
		return c;
	return (na > nb) - (na < nb);
}

/* ---------------------------------------------------------------- content matching */

typedef struct Out
{
	N2pBuf		buf;
	N2pLineWriter *w;
} Out;

static void
out_field(N2pBuf *b, const char *p, size_t n, bool last)
{
	n2p_buf_append(b, p, n);
	n2p_buf_putc(b, last ? '\n' : N2P_VERIFY_SEP);
}

static bool
out_flush(N2pBuf *b, N2pLineWriter *w, N2pError *err)
{
	if (b->oom)
		return n2p_error_set(err, N2P_ERR_NOMEM, "verify: out of memory");
	return w->write(w->ctx, b->data, b->len, err);
}

bool
n2p_verify_nodes_content(N2pLineReader *nodes, N2pLineWriter *content, N2pLineWriter *hashes,
						 const N2pAllocator *alloc, N2pError *err)
{
	N2pBuf		b;
	const char *line;
	size_t		len;
	int			rc = 0;
	bool		ok = true;
	Fields		f;
	char		hash[65];

	n2p_buf_init(&b, alloc);
	while (ok && (rc = nodes->next(nodes->ctx, &line, &len, err)) == 1)
	{
		if (!split(line, len, &f, 3, err))
		{
			ok = false;
			break;
		}
		n2p_buf_reset(&b);
		out_field(&b, f.p[1], f.n[1], false);
		out_field(&b, f.p[2], f.n[2], false);
		out_field(&b, f.p[0], f.n[0], true);
		ok = out_flush(&b, content, err);
		/* labels and props, with their separator, as they stand in the line */
		n2p_sha256_hex(f.p[1], f.n[1] + 1 + f.n[2], hash);
		n2p_buf_reset(&b);
		out_field(&b, f.p[0], f.n[0], false);
		out_field(&b, hash, HASH_HEX, true);
		ok = ok && out_flush(&b, hashes, err);
	}
	n2p_buf_free(&b);
	return ok && rc == 0;
}

bool
n2p_verify_rels_by_start(N2pLineReader *rels, N2pLineWriter *out, const N2pAllocator *alloc,
						 N2pError *err)
{
	N2pBuf		b;
	const char *line;
	size_t		len;
	int			rc = 0;
	bool		ok = true;
	Fields		f;

	n2p_buf_init(&b, alloc);
	while (ok && (rc = rels->next(rels->ctx, &line, &len, err)) == 1)
	{
		if (!split(line, len, &f, 5, err))
		{
			ok = false;
			break;
		}
		n2p_buf_reset(&b);
		out_field(&b, f.p[2], f.n[2], false);
		out_field(&b, f.p[0], f.n[0], false);
		out_field(&b, f.p[1], f.n[1], false);
		out_field(&b, f.p[3], f.n[3], false);
		out_field(&b, f.p[4], f.n[4], true);
		ok = out_flush(&b, out, err);
	}
	n2p_buf_free(&b);
	return ok && rc == 0;
}

/*
 * The hash of node id (16 hex digits), reading the hash lines forward: the
 * relationships come sorted by the same id.  A node that is not there (a
 * dangling relationship) gets a token of its own id, so that it matches
 * only a relationship dangling to the same id.
 */
typedef struct HashCursor
{
	N2pLineReader *r;
	char		id[ID_HEX];
	char		hash[HASH_HEX];
	int			state;			/* 1 a line held, 0 end, -1 error */
} HashCursor;

static bool
hash_advance(HashCursor *h, N2pError *err)
{
	const char *line;
	size_t		len;

	h->state = h->r->next(h->r->ctx, &line, &len, err);
	if (h->state != 1)
		return h->state == 0;
	if (len != ID_HEX + 1 + HASH_HEX || line[ID_HEX] != N2P_VERIFY_SEP)
		return n2p_error_set(err, N2P_ERR_DATA, "verify: a malformed line in the node hash file");
	memcpy(h->id, line, ID_HEX);
	memcpy(h->hash, line + ID_HEX + 1, HASH_HEX);
	return true;
}

static bool
hash_of(HashCursor *h, const char *id, size_t n, char *out, N2pError *err)
{
	while (h->state == 1 && memcmp(h->id, id, ID_HEX) < 0)
		if (!hash_advance(h, err))
			return false;
	if (n == ID_HEX && h->state == 1 && memcmp(h->id, id, ID_HEX) == 0)
		memcpy(out, h->hash, HASH_HEX);
	else
	{
		memcpy(out, "dangling", 8);
		memcpy(out + 8, id, n < ID_HEX ? n : ID_HEX);
		memset(out + 8 + (n < ID_HEX ? n : ID_HEX), '-', HASH_HEX - 8 - (n < ID_HEX ? n : ID_HEX));
	}
	return h->state >= 0;
}

bool
n2p_verify_rels_join(N2pLineReader *rels, N2pLineReader *hashes, bool end, N2pLineWriter *out,
					 const N2pAllocator *alloc, N2pError *err)
{
	HashCursor	h = {hashes, {0}, {0}, 1};
	N2pBuf		b;
	const char *line;
	size_t		len;
	int			rc = 0;
	bool		ok;
	Fields		f;
	char		hash[HASH_HEX];

	n2p_buf_init(&b, alloc);
	ok = hash_advance(&h, err);
	while (ok && (rc = rels->next(rels->ctx, &line, &len, err)) == 1)
	{
		if (!split(line, len, &f, end ? 6 : 5, err) || !hash_of(&h, f.p[0], f.n[0], hash, err))
		{
			ok = false;
			break;
		}
		n2p_buf_reset(&b);
		if (!end)
		{
			/* start | id | type | end | props  ->  end | id | type | start hash | props | start */
			out_field(&b, f.p[3], f.n[3], false);
			out_field(&b, f.p[1], f.n[1], false);
			out_field(&b, f.p[2], f.n[2], false);
			out_field(&b, hash, HASH_HEX, false);
			out_field(&b, f.p[4], f.n[4], false);
			out_field(&b, f.p[0], f.n[0], true);
		}
		else
		{
			/* end | id | type | start hash | props | start  ->  type | hs | he | props | id | start | end */
			out_field(&b, f.p[2], f.n[2], false);
			out_field(&b, f.p[3], f.n[3], false);
			out_field(&b, hash, HASH_HEX, false);
			out_field(&b, f.p[4], f.n[4], false);
			out_field(&b, f.p[1], f.n[1], false);
			out_field(&b, f.p[5], f.n[5], false);
			out_field(&b, f.p[0], f.n[0], true);
		}
		ok = out_flush(&b, out, err);
	}
	n2p_buf_free(&b);
	return ok && rc == 0;
}

/* ---------------------------------------------------------------- comparing */

typedef struct Side
{
	N2pLineReader *r;
	const char *line;
	size_t		len;
	int			state;
	N2pBuf		pend;			/* a line of this side only, held to pair with the other's */
	bool		has_pend;
} Side;

typedef struct Cmp
{
	N2pVerifyLines kind;
	N2pVerifyDiffFn fn;
	void	   *ctx;
	N2pBuf		text;
	N2pBuf		scratch;
	N2pBuf		ua;				/* unescaped fields */
	N2pBuf		ub;
	N2pArena	arena;
	N2pError   *err;
	bool		failed;
} Cmp;

static const char *const side_name[2] = {"A", "B"};

static void
emit(Cmp *c, bool loss)
{
	N2pVerifyDiff d = {c->text.data, loss};

	if (c->text.oom)
	{
		c->failed = true;
		n2p_error_set(c->err, N2P_ERR_NOMEM, "verify: out of memory");
		return;
	}
	c->fn(c->ctx, &d);
}

/* The field as an id: 16 hex digits, or a hash (content matching) as it is. */
static void
put_id(N2pBuf *b, const char *p, size_t n)
{
	if (n == ID_HEX)
		n2p_buf_printf(b, "%lld", (long long) hex_id(p, n));
	else
		n2p_buf_append(b, p, n);
}

static bool
is_plain_name(N2pStr s)
{
	size_t		i;

	for (i = 0; i < s.len; i++)
	{
		char		ch = s.ptr[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' ||
			  (i > 0 && ch >= '0' && ch <= '9')))
			return false;
	}
	return s.len > 0;
}

static void
put_name(N2pBuf *b, N2pStr s)
{
	if (is_plain_name(s))
		n2p_buf_append(b, s.ptr, s.len);
	else
		n2p_verify_quote(b, s);
}

/* canon.c's varint: 7-bit groups with 0x80 set, then 0x40 + the last 6 bits */
static uint64_t
get_varint(const uint8_t *u, size_t len, size_t *pos)
{
	uint64_t	v = 0;
	int			shift = 0;

	while (*pos < len && shift < 64)
	{
		uint8_t		b = u[(*pos)++];

		if (b < 0x80)
			return b >= 0x40 ? v | (uint64_t) (b & 0x3f) << shift : 0;
		v |= (uint64_t) (b & 0x7f) << shift;
		shift += 7;
	}
	return 0;
}

/* A labels field (escaped) as :A:B, or "no labels". */
static void
put_labels(Cmp *c, const char *p, size_t n)
{
	const uint8_t *u;
	size_t		len,
				pos = 0;
	uint64_t	count = 0,
				i;

	unesc(p, n, &c->scratch);
	u = (const uint8_t *) c->scratch.data;
	len = c->scratch.len;
	/* varint count, then varint length and bytes each (canon.c) */
	count = get_varint(u, len, &pos);
	if (count == 0)
		n2p_buf_append(&c->text, "no labels", 9);
	for (i = 0; i < count && pos < len; i++)
	{
		uint64_t	l = get_varint(u, len, &pos);
		N2pStr		s;

		if (l > len - pos)
			break;
		s.ptr = (const char *) u + pos;
		s.len = l;
		pos += l;
		n2p_buf_putc(&c->text, ':');
		put_name(&c->text, s);
	}
}

static bool
decode_props(Cmp *c, const char *p, size_t n, N2pBuf *raw, N2pValue *out)
{
	unesc(p, n, raw);
	if (n2p_verify_decode_value((const uint8_t *) raw->data, raw->len, &c->arena, out) == 0 ||
		out->type != N2P_MAP)
	{
		c->failed = true;
		return n2p_error_set(c->err, N2P_ERR_DATA, "verify: a malformed value in a work file");
	}
	return true;
}

static void
put_props(Cmp *c, const char *p, size_t n)
{
	N2pValue	v;

	if (decode_props(c, p, n, &c->ua, &v) && v.u.map.n > 0)
	{
		size_t		start = c->text.len;

		n2p_buf_putc(&c->text, ' ');
		n2p_verify_value_text(&v, &c->text);
		if (c->text.len - start > 400)
		{
			c->text.len = start + 400;
			n2p_buf_append(&c->text, "...", 3);
		}
	}
	n2p_arena_reset(&c->arena);
}

/* A relationship as (start)-[:TYPE {props}]->(end). */
static void
put_rel(Cmp *c, const char *start, size_t ns, const char *type, size_t nt, const char *end,
		size_t ne, const char *props, size_t np)
{
	N2pStr		t;

	n2p_buf_putc(&c->text, '(');
	put_id(&c->text, start, ns);
	n2p_buf_append(&c->text, ")-[:", 4);
	unesc(type, nt, &c->scratch);
	t.ptr = c->scratch.data;
	t.len = c->scratch.len;
	put_name(&c->text, t);
	put_props(c, props, np);
	n2p_buf_append(&c->text, "]->(", 4);
	put_id(&c->text, end, ne);
	n2p_buf_putc(&c->text, ')');
}

static void
report_only(Cmp *c, int side, const char *line, size_t len)
{
	Fields		f;
	int			want = shapes[c->kind].nkey + shapes[c->kind].npay +
		(c->kind == N2P_VL_NODE_CONTENT ? 1 : c->kind == N2P_VL_REL_CONTENT ? 3 : 0);

	if (!split(line, len, &f, want, c->err))
	{
		c->failed = true;
		return;
	}
	n2p_buf_reset(&c->text);
	switch (c->kind)
	{
		case N2P_VL_NODE_ID:
		case N2P_VL_NODE_CONTENT:
			{
				int			id = c->kind == N2P_VL_NODE_ID ? 0 : 2;
				int			lab = c->kind == N2P_VL_NODE_ID ? 1 : 0;

				n2p_buf_append(&c->text, "node ", 5);
				put_id(&c->text, f.p[id], f.n[id]);
				if (c->kind == N2P_VL_NODE_ID)
					n2p_buf_printf(&c->text, " only in %s: ", side_name[side]);
				else
					n2p_buf_printf(&c->text, " of %s has no node of the same content in %s: ",
								   side_name[side], side_name[!side]);
				put_labels(c, f.p[lab], f.n[lab]);
				put_props(c, f.p[lab + 1], f.n[lab + 1]);
				break;
			}
		case N2P_VL_REL_ID:
			n2p_buf_append(&c->text, "relationship ", 13);
			put_id(&c->text, f.p[0], f.n[0]);
			n2p_buf_printf(&c->text, " only in %s: ", side_name[side]);
			put_rel(c, f.p[2], f.n[2], f.p[1], f.n[1], f.p[3], f.n[3], f.p[4], f.n[4]);
			break;
		case N2P_VL_REL_CONTENT:
			n2p_buf_append(&c->text, "relationship ", 13);
			put_id(&c->text, f.p[4], f.n[4]);
			n2p_buf_printf(&c->text, " of %s ", side_name[side]);
			put_rel(c, f.p[5], f.n[5], f.p[0], f.n[0], f.p[6], f.n[6], f.p[3], f.n[3]);
			n2p_buf_printf(&c->text, " has no relationship of the same type, end nodes (by content) and "
						   "properties in %s", side_name[!side]);
			break;
	}
	if (!c->failed)
		emit(c, false);
}

/* One line per key that differs, each starting with the record's prefix. */
static int
props_diff(Cmp *c, const char *prefix, size_t plen, const char *pa, size_t na, const char *pb,
		   size_t nb)
{
	N2pValue	a,
				b;
	size_t		i = 0,
				j = 0;
	int			found = 0;

	if (!decode_props(c, pa, na, &c->ua, &a) || !decode_props(c, pb, nb, &c->ub, &b))
		return 0;
	while (!c->failed && (i < a.u.map.n || j < b.u.map.n))
	{
		int			k = i >= a.u.map.n ? 1 : j >= b.u.map.n ? -1 :
			n2p_str_cmp(a.u.map.keys[i], b.u.map.keys[j]);
		const char *what = NULL;
		int			r = k != 0 ? 1 : n2p_verify_value_cmp(&a.u.map.vals[i], &b.u.map.vals[j],
														  &c->scratch, &what);

		if (r != 0)
		{
			n2p_buf_reset(&c->text);
			n2p_buf_append(&c->text, prefix, plen);
			n2p_buf_append(&c->text, "key ", 4);
			n2p_verify_quote(&c->text, k <= 0 ? a.u.map.keys[i] : b.u.map.keys[j]);
			if (k != 0)
			{
				n2p_buf_printf(&c->text, " only in %s: ", k < 0 ? "A" : "B");
				n2p_verify_value_text(k < 0 ? &a.u.map.vals[i] : &b.u.map.vals[j], &c->text);
			}
			else
			{
				if (r == 2)
					n2p_buf_printf(&c->text, ": format loss, %s (the backup format cannot hold it): ", what);
				else if (a.u.map.vals[i].type != b.u.map.vals[j].type)
					n2p_buf_append(&c->text, ": type differs: ", 16);
				else
					n2p_buf_append(&c->text, ": ", 2);
				n2p_verify_value_text(&a.u.map.vals[i], &c->text);
				n2p_buf_append(&c->text, " in A, ", 7);
				n2p_verify_value_text(&b.u.map.vals[j], &c->text);
				n2p_buf_append(&c->text, " in B", 5);
			}
			emit(c, r == 2);
			found++;
		}
		i += k <= 0;
		j += k >= 0;
	}
	n2p_arena_reset(&c->arena);
	return found;
}

/* A difference of one field (labels, type, an end node), the prefix first. */
static void
field_diff(Cmp *c, const char *prefix, size_t plen, const char *what, int fieldkind,
		   const char *pa, size_t na, const char *pb, size_t nb)
{
	int			s;

	n2p_buf_reset(&c->text);
	n2p_buf_append(&c->text, prefix, plen);
	n2p_buf_printf(&c->text, "%s ", what);
	for (s = 0; s < 2; s++)
	{
		const char *p = s ? pb : pa;
		size_t		n = s ? nb : na;

		if (s)
			n2p_buf_append(&c->text, ", ", 2);
		if (fieldkind == 0)
			put_labels(c, p, n);
		else if (fieldkind == 1)
		{
			N2pStr		t;

			unesc(p, n, &c->scratch);
			t.ptr = c->scratch.data;
			t.len = c->scratch.len;
			put_name(&c->text, t);
		}
		else
			put_id(&c->text, p, n);
		n2p_buf_printf(&c->text, " in %s", side_name[s]);
	}
	emit(c, false);
}

static void
report_pair(Cmp *c, const char *la, size_t lena, const char *lb, size_t lenb)
{
	Fields		a,
				b;
	int			want = shapes[c->kind].nkey + shapes[c->kind].npay +
		(c->kind == N2P_VL_NODE_CONTENT ? 1 : c->kind == N2P_VL_REL_CONTENT ? 3 : 0);
	char		prefix[512];
	N2pBuf		pb;
	int			found = 0;

	if (!split(la, lena, &a, want, c->err) || !split(lb, lenb, &b, want, c->err))
	{
		c->failed = true;
		return;
	}
	/* the prefix names the record: built in the text buffer, then copied aside */
	n2p_buf_reset(&c->text);
	switch (c->kind)
	{
		case N2P_VL_NODE_ID:
			n2p_buf_append(&c->text, "node ", 5);
			put_id(&c->text, a.p[0], a.n[0]);
			break;
		case N2P_VL_NODE_CONTENT:
			n2p_buf_append(&c->text, "node ", 5);
			put_id(&c->text, a.p[2], a.n[2]);
			n2p_buf_append(&c->text, " of A, node ", 12);
			put_id(&c->text, b.p[2], b.n[2]);
			n2p_buf_append(&c->text, " of B (", 7);
			put_labels(c, a.p[0], a.n[0]);
			n2p_buf_append(&c->text, ", paired by content)", 20);
			break;
		case N2P_VL_REL_ID:
			n2p_buf_append(&c->text, "relationship ", 13);
			put_id(&c->text, a.p[0], a.n[0]);
			break;
		case N2P_VL_REL_CONTENT:
			n2p_buf_append(&c->text, "relationship ", 13);
			put_id(&c->text, a.p[4], a.n[4]);
			n2p_buf_append(&c->text, " of A, relationship ", 20);
			put_id(&c->text, b.p[4], b.n[4]);
			n2p_buf_append(&c->text, " of B (the same type and end nodes by content)", 46);
			break;
	}
	n2p_buf_append(&c->text, ": ", 2);
	pb = c->text;
	if (pb.len >= sizeof(prefix))
		pb.len = sizeof(prefix) - 1;
	memcpy(prefix, pb.data, pb.len);
	switch (c->kind)
	{
		case N2P_VL_NODE_ID:
			if (a.n[1] != b.n[1] || memcmp(a.p[1], b.p[1], a.n[1]) != 0)
			{
				field_diff(c, prefix, pb.len, "labels", 0, a.p[1], a.n[1], b.p[1], b.n[1]);
				found++;
			}
			found += props_diff(c, prefix, pb.len, a.p[2], a.n[2], b.p[2], b.n[2]);
			break;
		case N2P_VL_NODE_CONTENT:
			found += props_diff(c, prefix, pb.len, a.p[1], a.n[1], b.p[1], b.n[1]);
			break;
		case N2P_VL_REL_ID:
			{
				static const char *const what[] = {"type", "start node", "end node"};
				int			i;

				for (i = 1; i <= 3; i++)
					if (a.n[i] != b.n[i] || memcmp(a.p[i], b.p[i], a.n[i]) != 0)
					{
						field_diff(c, prefix, pb.len, what[i - 1], i == 1 ? 1 : 2, a.p[i], a.n[i],
								   b.p[i], b.n[i]);
						found++;
					}
				found += props_diff(c, prefix, pb.len, a.p[4], a.n[4], b.p[4], b.n[4]);
				break;
			}
		case N2P_VL_REL_CONTENT:
			found += props_diff(c, prefix, pb.len, a.p[3], a.n[3], b.p[3], b.n[3]);
			break;
	}
	if (found == 0 && !c->failed)
	{
		/* the encodings differ and no value does: cannot happen with canonical lines */
		n2p_buf_reset(&c->text);
		n2p_buf_append(&c->text, prefix, pb.len);
		n2p_buf_append(&c->text, "differs", 7);
		emit(c, false);
	}
}

static bool
side_next(Cmp *c, Side *s, uint64_t *count)
{
	s->state = s->r->next(s->r->ctx, &s->line, &s->len, c->err);
	if (s->state == 1)
		(*count)++;
	return s->state >= 0;
}

static void
flush_pending(Cmp *c, Side *sides, int i)
{
	if (sides[i].has_pend)
		report_only(c, i, sides[i].pend.data, sides[i].pend.len);
	sides[i].has_pend = false;
}

/*
 * A line of one side only.  Paired with the other side's held line when
 * they share a key (the same id, labels, or type and end nodes): then it
 * is one record whose values changed, and each difference is named.
 */
static void
one_side(Cmp *c, Side *sides, int i)
{
	Side	   *me = &sides[i],
			   *other = &sides[!i];
	int			nkey = shapes[c->kind].nkey;

	if (other->has_pend &&
		n2p_verify_line_cmp(other->pend.data, other->pend.len, me->line, me->len, nkey) == 0)
	{
		if (i == 1)
			report_pair(c, other->pend.data, other->pend.len, me->line, me->len);
		else
			report_pair(c, me->line, me->len, other->pend.data, other->pend.len);
		other->has_pend = false;
		return;
	}
	flush_pending(c, sides, !i);
	flush_pending(c, sides, i);
	n2p_buf_reset(&me->pend);
	n2p_buf_append(&me->pend, me->line, me->len);
	me->has_pend = true;
}

bool
n2p_verify_compare(N2pVerifyLines kind, N2pLineReader *a, N2pLineReader *b, N2pVerifyDiffFn fn,
				   void *ctx, uint64_t counts[2], const N2pAllocator *alloc, N2pError *err)
{
	Cmp			c = {kind, fn, ctx, {0}, {0}, {0}, {0}, {0}, err, false};
	Side		s[2] = {{a, NULL, 0, 0, {0}, false}, {b, NULL, 0, 0, {0}, false}};
	int			nall = shapes[kind].nkey + shapes[kind].npay,
				i;

	/* a by-id line has no fields after its payload: whole lines, no scan for separators */
	if (kind == N2P_VL_NODE_ID || kind == N2P_VL_REL_ID)
		nall = 0;

	n2p_buf_init(&c.text, alloc);
	n2p_buf_init(&c.scratch, alloc);
	n2p_buf_init(&c.ua, alloc);
	n2p_buf_init(&c.ub, alloc);
	n2p_arena_init(&c.arena, alloc, 0);
	n2p_buf_init(&s[0].pend, alloc);
	n2p_buf_init(&s[1].pend, alloc);
	counts[0] = counts[1] = 0;
	c.failed = !side_next(&c, &s[0], &counts[0]) || !side_next(&c, &s[1], &counts[1]);
	while (!c.failed && (s[0].state == 1 || s[1].state == 1))
	{
		int			r = s[0].state != 1 ? 1 : s[1].state != 1 ? -1 :
			n2p_verify_line_cmp(s[0].line, s[0].len, s[1].line, s[1].len, nall);

		if (r != 0)
			one_side(&c, s, r < 0 ? 0 : 1);
		for (i = 0; i < 2 && !c.failed; i++)
			if ((r == 0 || (r < 0) == (i == 0)) && !side_next(&c, &s[i], &counts[i]))
				c.failed = true;
	}
	for (i = 0; i < 2 && !c.failed; i++)
		flush_pending(&c, s, i);
	n2p_buf_free(&c.text);
	n2p_buf_free(&c.scratch);
	n2p_buf_free(&c.ua);
	n2p_buf_free(&c.ub);
	n2p_arena_destroy(&c.arena);
	n2p_buf_free(&s[0].pend);
	n2p_buf_free(&s[1].pend);
	return !c.failed;
}
