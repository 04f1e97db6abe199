/*-------------------------------------------------------------------------
 *
 * bolt.c
 *	  The Bolt client: handshake, chunking, HELLO/LOGON, explicit
 *	  transactions, RUN and PULL in batches, FAILURE and RESET.
 *
 * Replies are read one message at a time into a buffer capped at
 * max_message, so memory is bounded by the largest record, never by the
 * size of a result.  RUN and its first PULL are pipelined; a FAILURE is
 * followed by IGNORED for whatever was pipelined behind it, then RESET
 * brings the connection back to READY, as the protocol prescribes.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/neo4j/bolt.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/bolt.h"
#include "neo2pg/bytes.h"
#include "neo2pg/packstream.h"

#include <stdio.h>
#include <string.h>

#define MSG_HELLO 0x01
#define MSG_GOODBYE 0x02
#define MSG_RESET 0x0F
#define MSG_RUN 0x10
#define MSG_BEGIN 0x11
#define MSG_COMMIT 0x12
#define MSG_ROLLBACK 0x13
#define MSG_PULL 0x3F
#define MSG_LOGON 0x6A
#define MSG_ROUTE 0x66
#define MSG_SUCCESS 0x70
#define MSG_RECORD 0x71
#define MSG_IGNORED 0x7E
#define MSG_FAILURE 0x7F

#define DEFAULT_MAX_MESSAGE (256 * 1024 * 1024)
#define READ_SIZE 65536
#define MAX_CHUNK 65535

struct N2pBolt
{
	const N2pAllocator *alloc;
	N2pBoltIo	io;
	N2pBoltOptions opts;
	int			version;
	bool		utc;
	bool		dead;			/* the connection cannot be used again */
	N2pError	dead_err;		/* and why: every later call fails with it */
	char		server[128];
	char		connection_id[64];	/* the server's name for this connection */
	char		failure_code[128];
	/* ROUTE sends it after connect: the caller's string need not outlive it */
	char		routing[300];
	/* the running query */
	bool		streaming;
	bool		run_unread;		/* sent without waiting: the RUN's reply is unread */
	bool		queued;			/* the next query's RUN and PULL are sent (run_next) */
	uint64_t	bytes_read;		/* from the server, since the handshake */
	bool		has_more;
	int64_t		fetch_size;
	/* input */
	uint8_t    *rbuf;
	size_t		rpos;
	size_t		rlen;
	N2pDechunker dechunk;
	/* output: one message body, then its chunks */
	N2pBuf		body;
	N2pBuf		out;
	/* replies' metadata */
	N2pArena	meta;
};

/* ---------------------------------------------------------- dechunking */

void
n2p_dechunker_init(N2pDechunker *d, const N2pAllocator *alloc, size_t max_message)
{
	memset(d, 0, sizeof(*d));
	n2p_buf_init(&d->msg, alloc);
	d->max_message = max_message ? max_message : DEFAULT_MAX_MESSAGE;
}

void
n2p_dechunker_free(N2pDechunker *d)
{
	n2p_buf_free(&d->msg);
}

static int
dechunk_fail(N2pDechunker *d, N2pError *err, N2pErrCode code, const char *msg)
{
	d->failed = true;
	n2p_error_set(err, code, "Bolt: %s", msg);
	return -1;
}

/* A size header: 0 ends the message, or is a NOOP between messages. */
static int
dechunk_size(N2pDechunker *d, uint8_t lo, N2pError *err)
{
	size_t		size = ((size_t) d->size_hi << 8) | lo;

	d->state = 0;
	if (size == 0)
		return d->msg.len > 0 ? 1 : 0;
	if (d->msg.len + size > d->max_message)
		return dechunk_fail(d, err, N2P_ERR_LIMIT, "a message from the server is over the size limit");
	d->chunk_left = size;
	d->state = 2;
	return 0;
}

int
n2p_dechunker_feed(N2pDechunker *d, const uint8_t *data, size_t len, size_t *used, N2pError *err)
{
	size_t		i = 0;
	int			r = 0;

	if (d->failed)
		return dechunk_fail(d, err, N2P_ERR_USAGE, "the connection already failed");
	while (i < len && r == 0)
	{
		if (d->state == 0)
			d->size_hi = data[i++], d->state = 1;
		else if (d->state == 1)
			r = dechunk_size(d, data[i++], err);
		else
		{
			size_t		n = len - i < d->chunk_left ? len - i : d->chunk_left;

			if (!n2p_buf_append(&d->msg, data + i, n))
				return dechunk_fail(d, err, N2P_ERR_NOMEM, "out of memory");
			i += n;
			d->chunk_left -= n;
			if (d->chunk_left == 0)
				d->state = 0;
		}
	}
	*used = i;
	return r;
}

bool
n2p_bolt_chunk(N2pBuf *out, const void *msg, size_t len)
{
	const char *p = msg;

	while (len > 0)
	{
		size_t		n = len < MAX_CHUNK ? len : MAX_CHUNK;

		if (!n2p_put_be16(out, (uint16_t) n) || !n2p_buf_append(out, p, n))
			return false;
		p += n;
		len -= n;
	}
	return n2p_put_be16(out, 0);
}

/* ------------------------------------------------------------ plumbing */

/* Record a fatal error: the connection is not used again. */
static bool
die(N2pBolt *b, N2pError *err)
{
	if (!b->dead)
	{
		b->dead = true;
		b->dead_err = *err;
	}
	return false;
}

static bool
check_alive(N2pBolt *b, N2pError *err)
{
	if (!b->dead)
		return true;
	if (err && err->code == N2P_OK)
		*err = b->dead_err;
	return false;
}

static bool
fill(N2pBolt *b, N2pError *err)
{
	size_t		got = 0;

	if (!b->io.read(b->io.ctx, b->rbuf, READ_SIZE, &got, err))
		return die(b, err);
	if (got == 0)
	{
		n2p_error_set(err, N2P_ERR_IO, "Bolt: the server closed the connection");
		return die(b, err);
	}
	b->rpos = 0;
	b->rlen = got;
	b->bytes_read += got;
	return true;
}

/* Raw bytes, for the handshake. */
static bool
read_exact(N2pBolt *b, uint8_t *dst, size_t n, N2pError *err)
{
	while (n > 0)
	{
		size_t		k;

		if (b->rpos == b->rlen && !fill(b, err))
			return false;
		k = b->rlen - b->rpos < n ? b->rlen - b->rpos : n;
		memcpy(dst, b->rbuf + b->rpos, k);
		b->rpos += k;
		dst += k;
		n -= k;
	}
	return true;
}

static bool
write_all(N2pBolt *b, const void *p, size_t len, N2pError *err)
{
	return b->io.write(b->io.ctx, p, len, err) || die(b, err);
}

static bool
nomem(N2pBolt *b, N2pError *err)
{
	n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	return die(b, err);
}

/* Chunk and send the message gathered in b->body. */
static bool
send_body(N2pBolt *b, N2pError *err)
{
	bool		ok;

	if (b->body.oom)
		return nomem(b, err);
	n2p_buf_reset(&b->out);
	if (!n2p_bolt_chunk(&b->out, b->body.data, b->body.len))
		return nomem(b, err);
	ok = write_all(b, b->out.data, b->out.len, err);
	n2p_buf_reset(&b->body);
	return ok;
}

/* ------------------------------------------------------------ messages */

static void
put_str(N2pBuf *buf, const char *s)
{
	n2p_ps_put_string(buf, s, strlen(s));
}

static void
put_entry(N2pBuf *buf, const char *key, const char *val)
{
	put_str(buf, key);
	put_str(buf, val);
}

static void
put_auth(N2pBolt *b)
{
	put_entry(&b->body, "scheme", "basic");
	put_entry(&b->body, "principal", b->opts.user ? b->opts.user : "neo4j");
	put_entry(&b->body, "credentials", b->opts.password ? b->opts.password : "");
}

static bool
send_hello(N2pBolt *b, N2pError *err)
{
	bool		auth_in_hello = b->version < N2P_BOLT_VERSION(5, 1);
	bool		agent = b->version >= N2P_BOLT_VERSION(5, 3);
	bool		patch = b->version < N2P_BOLT_VERSION(5, 0);
	size_t		n = 1 + (auth_in_hello ? 3 : 0) + agent + patch + (b->opts.routing_address != NULL);

	n2p_ps_put_struct_header(&b->body, MSG_HELLO, 1);
	n2p_ps_put_map_header(&b->body, n);
	put_entry(&b->body, "user_agent", "neo2pg/" N2P_VERSION);
	if (auth_in_hello)
		put_auth(b);
	if (agent)
	{
		put_str(&b->body, "bolt_agent");
		n2p_ps_put_map_header(&b->body, 2);
		put_entry(&b->body, "product", "neo2pg/" N2P_VERSION);
		put_entry(&b->body, "language", "C");
	}
	if (patch)
	{
		put_str(&b->body, "patch_bolt");
		n2p_ps_put_list_header(&b->body, 1);
		put_str(&b->body, "utc");
	}
	if (b->opts.routing_address)
	{
		put_str(&b->body, "routing");
		n2p_ps_put_map_header(&b->body, 1);
		put_entry(&b->body, "address", b->opts.routing_address);
	}
	return send_body(b, err);
}

static bool
send_logon(N2pBolt *b, N2pError *err)
{
	n2p_ps_put_struct_header(&b->body, MSG_LOGON, 1);
	n2p_ps_put_map_header(&b->body, 3);
	put_auth(b);
	return send_body(b, err);
}

static bool
send_simple(N2pBolt *b, uint8_t tag, N2pError *err)
{
	n2p_ps_put_struct_header(&b->body, tag, 0);
	return send_body(b, err);
}

static bool
send_pull(N2pBolt *b, N2pError *err)
{
	n2p_ps_put_struct_header(&b->body, MSG_PULL, 1);
	n2p_ps_put_map_header(&b->body, 1);
	put_str(&b->body, "n");
	n2p_ps_put_int(&b->body, b->fetch_size);
	return send_body(b, err);
}

/* ------------------------------------------------------------- replies */

typedef struct Reply
{
	uint8_t		tag;
	N2pValue	field;			/* the metadata map, or a record's list */
} Reply;

/* Read the next whole message into b->dechunk.msg. */
static bool
read_message(N2pBolt *b, N2pError *err)
{
	n2p_buf_reset(&b->dechunk.msg);
	for (;;)
	{
		size_t		used;
		int			r;

		if (b->rpos == b->rlen && !fill(b, err))
			return false;
		r = n2p_dechunker_feed(&b->dechunk, b->rbuf + b->rpos, b->rlen - b->rpos, &used, err);
		b->rpos += used;
		if (r < 0)
			return die(b, err);
		if (r > 0)
			return true;
	}
}

static bool
bad_reply(N2pBolt *b, N2pError *err, const char *what)
{
	n2p_error_set(err, N2P_ERR_SYNTAX, "Bolt: %s", what);
	return die(b, err);
}

/*
 * Before a request sent with no reply outstanding: nothing but NOOPs may
 * be waiting, or a reply nothing asked for would be taken for this
 * request's.  Neo4j 5.26 sends one, a SUCCESS, when it shuts down with a
 * transaction open: it read as the COMMIT's that the stopped server never
 * got.  Only what was read already can be seen, which is where such a
 * reply waits when the request follows a stream.
 */
static bool
check_idle(N2pBolt *b, N2pError *err)
{
	size_t		i = b->rpos;

	while (i < b->rlen && b->rbuf[i] == 0)
		i++;
	if (b->dechunk.state != 0 || i < b->rlen)
		return bad_reply(b, err, "the server sent a reply nothing asked for (Neo4j does when it shuts down)");
	return true;
}

/* Decode a reply: a structure of one field (none for IGNORED). */
static bool
read_reply(N2pBolt *b, N2pArena *arena, Reply *r, N2pError *err)
{
	const uint8_t *m;
	size_t		len,
				used;

	if (!read_message(b, err))
		return false;
	m = (const uint8_t *) b->dechunk.msg.data;
	len = b->dechunk.msg.len;
	if (len < 2 || (m[0] & 0xF0) != 0xB0)
		return bad_reply(b, err, "a reply from the server is not a structure");
	r->tag = m[1];
	r->field.type = N2P_NULL;
	if (r->tag == MSG_IGNORED && m[0] == 0xB0 && len == 2)
		return true;
	if ((r->tag != MSG_SUCCESS && r->tag != MSG_RECORD && r->tag != MSG_FAILURE) || m[0] != 0xB1)
		return bad_reply(b, err, "unknown reply from the server");
	if (!n2p_ps_decode(m + 2, len - 2, b->utc, arena, &r->field, &used, err))
		return die(b, err);
	if (used != len - 2 || r->field.type != (r->tag == MSG_RECORD ? N2P_LIST : N2P_MAP))
		return bad_reply(b, err, "malformed reply from the server");
	return true;
}

static const char *
meta_str(const N2pValue *map, const char *key, char *buf, size_t len)
{
	const N2pValue *v = n2p_map_get(map, key, strlen(key));
	size_t		n;

	if (v == NULL || v->type != N2P_STRING)
		return NULL;
	n = v->u.str.len < len - 1 ? v->u.str.len : len - 1;
	memcpy(buf, v->u.str.ptr, n);
	buf[n] = '\0';
	return buf;
}

/*
 * A FAILURE: keep its code, make the error, then bring the connection
 * back to READY (pending replies come back IGNORED, then RESET).  A
 * FAILURE before the connection is ready (HELLO, LOGON) ends it.
 */
static bool
failure(N2pBolt *b, const N2pValue *meta, int pending, bool fatal, N2pError *err)
{
	/* whole and escaped: a message may hold U+0000 (a name it quotes) */
	char		msg[N2P_ERR_KEY_MAX];
	const N2pValue *m = n2p_map_get(meta, "message", 7);
	Reply		r;

	if (!meta_str(meta, "neo4j_code", b->failure_code, sizeof(b->failure_code)) &&
		!meta_str(meta, "code", b->failure_code, sizeof(b->failure_code)))
		b->failure_code[0] = '\0';
	if (m && m->type == N2P_STRING)
		n2p_escape_text(m->u.str.ptr, m->u.str.len, msg, sizeof(msg));
	else
		strcpy(msg, "(no message)");
	n2p_error_set(err, N2P_ERR_DATA, "Neo4j: %s (%s)", msg, b->failure_code);
	b->streaming = false;
	/* a queued query's RUN and PULL come back IGNORED too */
	pending += b->queued ? 2 : 0;
	b->queued = false;
	if (fatal)
		return die(b, err);
	for (; pending > 0; pending--)
		if (!read_reply(b, &b->meta, &r, err))
			return false;
	if (!send_simple(b, MSG_RESET, err) || !read_reply(b, &b->meta, &r, err))
		return false;
	if (r.tag != MSG_SUCCESS)
		return bad_reply(b, err, "the server refused RESET");
	return false;
}

/*
 * Wait for the SUCCESS of one request; pending is how many more requests
 * were pipelined behind it.
 */
static bool
expect_success(N2pBolt *b, int pending, bool fatal, N2pValue *meta, N2pError *err)
{
	Reply		r;

	n2p_arena_reset(&b->meta);
	if (!read_reply(b, &b->meta, &r, err))
		return false;
	if (r.tag == MSG_FAILURE)
		return failure(b, &r.field, pending, fatal, err);
	if (r.tag != MSG_SUCCESS)
		return bad_reply(b, err, "unexpected reply from the server");
	if (meta)
		*meta = r.field;
	return true;
}

/* ----------------------------------------------------------- handshake */

/* The slot for a range of one major: [0][range][minor][major]. */
static void
put_range(N2pBuf *buf, int hi, int lo_minor)
{
	n2p_buf_putc(buf, 0);
	n2p_buf_putc(buf, (char) (hi % 256 - lo_minor));
	n2p_buf_putc(buf, (char) (hi % 256));
	n2p_buf_putc(buf, (char) (hi / 256));
}

static void
put_proposals(N2pBolt *b)
{
	int			lo = b->opts.min_version,
				hi = b->opts.max_version;
	int			slots = 0;

	n2p_put_be32(&b->out, 0x6060B017);
	if (hi >= N2P_BOLT_VERSION(5, 7))
		n2p_put_be32(&b->out, 0x000001FF), slots++;
	if (hi >= N2P_BOLT_VERSION(5, 0))
		put_range(&b->out, hi, lo >= N2P_BOLT_VERSION(5, 0) ? lo % 256 : 0), slots++;
	if (lo <= N2P_BOLT_VERSION(4, 4))
		put_range(&b->out, N2P_BOLT_VERSION(4, 4), 4), slots++;
	for (; slots < 4; slots++)
		n2p_put_be32(&b->out, 0);
}

static bool
read_varint(N2pBolt *b, uint64_t *v, N2pError *err)
{
	int			shift;

	*v = 0;
	for (shift = 0; shift < 63; shift += 7)
	{
		uint8_t		c;

		if (!read_exact(b, &c, 1, err))
			return false;
		*v |= (uint64_t) (c & 0x7F) << shift;
		if (!(c & 0x80))
			return true;
	}
	return bad_reply(b, err, "handshake: varint too long");
}

/* Pick the highest version of the server's ranges that we offered. */
static bool
manifest(N2pBolt *b, N2pError *err)
{
	uint64_t	n,
				caps,
				i;
	int			best = 0;
	uint8_t		choice[5] = {0, 0, 0, 0, 0};

	if (!read_varint(b, &n, err))
		return false;
	if (n > 64)
		return bad_reply(b, err, "handshake: too many versions in the manifest");
	for (i = 0; i < n; i++)
	{
		uint8_t		r[4];
		int			hi,
					lo,
					v;

		if (!read_exact(b, r, 4, err))
			return false;
		hi = N2P_BOLT_VERSION(r[3], r[2]);
		lo = N2P_BOLT_VERSION(r[3], r[2] >= r[1] ? r[2] - r[1] : 0);
		/* the highest version both sides speak in this range */
		v = hi < b->opts.max_version ? hi : b->opts.max_version;
		if (v >= lo && v >= b->opts.min_version && v > best)
			best = v;
	}
	if (!read_varint(b, &caps, err))
		return false;
	choice[2] = (uint8_t) (best % 256);
	choice[3] = (uint8_t) (best / 256);
	if (!write_all(b, choice, 5, err))
		return false;
	b->version = best;
	return true;
}

static bool
handshake(N2pBolt *b, N2pError *err)
{
	uint8_t		r[4];

	n2p_buf_reset(&b->out);
	put_proposals(b);
	if (b->out.oom)
		return nomem(b, err);
	if (!write_all(b, b->out.data, b->out.len, err) || !read_exact(b, r, 4, err))
		return false;
	if (memcmp(r, "HTTP", 4) == 0)
		return bad_reply(b, err, "that port speaks HTTP, not Bolt");
	if (memcmp(r, "\x00\x00\x01\xFF", 4) == 0)
	{
		if (!manifest(b, err))
			return false;
	}
	else
		b->version = N2P_BOLT_VERSION(r[3], r[2]);
	if (b->version == 0 || b->version < b->opts.min_version || b->version > b->opts.max_version)
	{
		n2p_error_set(err, N2P_ERR_DATA,
					  "Bolt: the server speaks none of the protocol versions offered (%d.%d to %d.%d)",
					  b->opts.min_version / 256, b->opts.min_version % 256,
					  b->opts.max_version / 256, b->opts.max_version % 256);
		return die(b, err);
	}
	return true;
}

/* ------------------------------------------------------------- connect */

static bool
hello(N2pBolt *b, N2pError *err)
{
	N2pValue	meta;
	const N2pValue *patch;

	if (!send_hello(b, err) || !expect_success(b, 0, true, &meta, err))
		return false;
	meta_str(&meta, "server", b->server, sizeof(b->server));
	meta_str(&meta, "connection_id", b->connection_id, sizeof(b->connection_id));
	b->utc = b->version >= N2P_BOLT_VERSION(5, 0);
	patch = n2p_map_get(&meta, "patch_bolt", 10);
	if (patch && patch->type == N2P_LIST && patch->u.list.n > 0 &&
		patch->u.list.items[0].type == N2P_STRING && n2p_str_eq(patch->u.list.items[0].u.str, "utc"))
		b->utc = true;
	if (b->version >= N2P_BOLT_VERSION(5, 1))
		return send_logon(b, err) && expect_success(b, 0, true, NULL, err);
	return true;
}

N2pBolt *
n2p_bolt_connect(const N2pAllocator *alloc, const N2pBoltIo *io, const N2pBoltOptions *opts,
				 N2pError *err)
{
	N2pBolt    *b = n2p_alloc(alloc, sizeof(N2pBolt));

	if (b == NULL || (memset(b, 0, sizeof(*b)), (b->rbuf = n2p_alloc(alloc, READ_SIZE)) == NULL))
	{
		n2p_free(alloc, b);
		n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
		return NULL;
	}
	b->alloc = alloc;
	b->io = *io;
	b->opts = *opts;
	if (opts->routing_address)
	{
		snprintf(b->routing, sizeof(b->routing), "%s", opts->routing_address);
		b->opts.routing_address = b->routing;
	}
	if (b->opts.min_version == 0)
		b->opts.min_version = N2P_BOLT_VERSION(4, 4);
	if (b->opts.max_version == 0)
		b->opts.max_version = N2P_BOLT_VERSION(5, 8);
	n2p_dechunker_init(&b->dechunk, alloc, opts->max_message);
	n2p_buf_init(&b->body, alloc);
	n2p_buf_init(&b->out, alloc);
	n2p_arena_init(&b->meta, alloc, 0);
	if (handshake(b, err) && hello(b, err))
		return b;
	b->dead = true;
	n2p_bolt_close(b);
	return NULL;
}

int
n2p_bolt_version(const N2pBolt *b)
{
	return b->version;
}

uint64_t
n2p_bolt_bytes_read(const N2pBolt *b)
{
	return b->bytes_read;
}

const char *
n2p_bolt_server(const N2pBolt *b)
{
	return b->server;
}

const char *
n2p_bolt_connection_id(const N2pBolt *b)
{
	return b->connection_id;
}

bool
n2p_bolt_utc(const N2pBolt *b)
{
	return b->utc;
}

const char *
n2p_bolt_failure_code(const N2pBolt *b)
{
	return b->failure_code;
}

/* -------------------------------------------------------- transactions */

static bool run_tail(N2pBolt *b, int64_t fetch_size, bool wait, N2pError *err);

bool
n2p_bolt_begin(N2pBolt *b, const char *mode, const char *database, N2pError *err)
{
	if (!check_alive(b, err) || !check_idle(b, err))
		return false;
	b->failure_code[0] = '\0';
	n2p_ps_put_struct_header(&b->body, MSG_BEGIN, 1);
	n2p_ps_put_map_header(&b->body, database ? 2 : 1);
	put_entry(&b->body, "mode", mode);
	if (database)
		put_entry(&b->body, "db", database);
	return send_body(b, err) && expect_success(b, 0, false, NULL, err);
}

static bool
run_struct(N2pBolt *b, const char *query)
{
	n2p_ps_put_struct_header(&b->body, MSG_RUN, 3);
	put_str(&b->body, query);
	return true;
}

/* RUN's structure and query text, after the checks every RUN makes. */
static bool
run_head(N2pBolt *b, const char *query, N2pError *err)
{
	if (!check_alive(b, err))
		return false;
	if (b->streaming)
		return n2p_error_set(err, N2P_ERR_USAGE, "Bolt: a query is still streaming");
	if (!check_idle(b, err))
		return false;
	return run_struct(b, query);
}

static bool
run_params(N2pBolt *b, const char *query, const N2pValue *params, int64_t fetch_size, bool wait,
		   N2pError *err)
{
	if (!run_head(b, query, err))
		return false;
	if (params)
	{
		if (!n2p_ps_put_value(&b->body, params, b->utc, err))
			return nomem(b, err);
	}
	else
		n2p_ps_put_map_header(&b->body, 0);
	return run_tail(b, fetch_size, wait, err);
}

bool
n2p_bolt_run(N2pBolt *b, const char *query, const N2pValue *params, int64_t fetch_size,
			 N2pError *err)
{
	return run_params(b, query, params, fetch_size, true, err);
}

bool
n2p_bolt_run_send(N2pBolt *b, const char *query, const N2pValue *params, int64_t fetch_size,
				  N2pError *err)
{
	return run_params(b, query, params, fetch_size, false, err);
}

bool
n2p_bolt_run_packed(N2pBolt *b, const char *query, const void *params, size_t len,
					int64_t fetch_size, N2pError *err)
{
	if (!run_head(b, query, err))
		return false;
	n2p_buf_append(&b->body, params, len);
	return run_tail(b, fetch_size, true, err);
}

/*
 * The RUN's empty metadata, then send it and the first PULL; wait for the
 * RUN's SUCCESS, or leave it to the first n2p_bolt_next.
 */
static bool
run_tail(N2pBolt *b, int64_t fetch_size, bool wait, N2pError *err)
{
	n2p_ps_put_map_header(&b->body, 0);
	if (!send_body(b, err))
		return false;
	b->fetch_size = fetch_size > 0 ? fetch_size : -1;
	if (!send_pull(b, err) || (wait && !expect_success(b, 1, false, NULL, err)))
		return false;
	b->streaming = true;
	b->run_unread = !wait;
	return true;
}

/*
 * The next query of the transaction, sent while this one streams: its RUN
 * and PULL {n: -1} go out now, and the server runs it as soon as it has
 * sent this result, without waiting for the client to read that far.
 * This result must be pulled whole (fetch size -1), so that no PULL of
 * its own follows the queued one.  Its records follow this result's end
 * (n2p_bolt_next returns 0 once in between).
 */
bool
n2p_bolt_run_next(N2pBolt *b, const char *query, const N2pValue *params, N2pError *err)
{
	if (!check_alive(b, err))
		return false;
	if (!b->streaming || b->fetch_size != -1 || b->queued)
		return n2p_error_set(err, N2P_ERR_USAGE,
							 "Bolt: a query is queued only behind one pulled whole");
	run_struct(b, query);
	if (params)
	{
		if (!n2p_ps_put_value(&b->body, params, b->utc, err))
			return nomem(b, err);
	}
	else
		n2p_ps_put_map_header(&b->body, 0);
	n2p_ps_put_map_header(&b->body, 0);
	if (!send_body(b, err) || !send_pull(b, err))
		return false;
	b->queued = true;
	return true;
}

/* A PULL's summary: more to fetch, or the end (then the queued query). */
static int
summary(N2pBolt *b, const N2pValue *meta, N2pError *err)
{
	const N2pValue *more = n2p_map_get(meta, "has_more", 8);

	if (more && more->type == N2P_BOOL && more->u.b)
	{
		if (b->queued)
		{
			bad_reply(b, err, "has_more on a result pulled whole");
			return -1;
		}
		return send_pull(b, err) ? 2 : -1;
	}
	b->streaming = b->queued;
	b->run_unread = b->queued;
	b->queued = false;
	return 0;
}

int
n2p_bolt_next(N2pBolt *b, N2pArena *arena, N2pValue *fields, N2pError *err)
{
	for (;;)
	{
		Reply		r;
		int			s;

		if (!check_alive(b, err))
			return -1;
		if (!b->streaming)
			return 0;
		if (b->run_unread)
		{
			/* a FAILURE here is followed by the PULL's IGNORED */
			b->run_unread = false;
			if (!expect_success(b, 1, false, NULL, err))
				return -1;
		}
		if (!read_reply(b, arena, &r, err))
			return -1;
		if (r.tag == MSG_RECORD)
		{
			*fields = r.field;
			return 1;
		}
		if (r.tag == MSG_FAILURE)
		{
			failure(b, &r.field, 0, false, err);
			return -1;
		}
		if (r.tag != MSG_SUCCESS)
		{
			bad_reply(b, err, "unexpected reply while streaming");
			return -1;
		}
		if ((s = summary(b, &r.field, err)) != 2)
			return s;
	}
}

bool
n2p_bolt_route(N2pBolt *b, const char *database, N2pArena *arena, N2pValue *rt, N2pError *err)
{
	N2pValue	meta;
	const N2pValue *v;

	if (!check_alive(b, err))
		return false;
	if (b->version < N2P_BOLT_VERSION(4, 4))
		return n2p_error_set(err, N2P_ERR_USAGE, "Bolt: ROUTE needs Bolt 4.4 or later");
	n2p_ps_put_struct_header(&b->body, MSG_ROUTE, 3);
	n2p_ps_put_map_header(&b->body, b->opts.routing_address ? 1 : 0);
	if (b->opts.routing_address)
		put_entry(&b->body, "address", b->opts.routing_address);
	n2p_ps_put_list_header(&b->body, 0);
	n2p_ps_put_map_header(&b->body, database ? 1 : 0);
	if (database)
		put_entry(&b->body, "db", database);
	if (!send_body(b, err) || !expect_success(b, 0, false, &meta, err))
		return false;
	if ((v = n2p_map_get(&meta, "rt", 2)) == NULL || v->type != N2P_MAP)
		return bad_reply(b, err, "ROUTE: no routing table in the reply");
	/* the reply lives in the connection's arena until the next request: copy out */
	return n2p_value_copy(v, arena, rt, err);
}

static bool
end_tx(N2pBolt *b, uint8_t tag, N2pValue *meta, N2pError *err)
{
	if (!check_alive(b, err))
		return false;
	if (b->streaming)
		return n2p_error_set(err, N2P_ERR_USAGE, "Bolt: a query is still streaming");
	return check_idle(b, err) && send_simple(b, tag, err) && expect_success(b, 0, false, meta, err);
}

/*
 * A COMMIT's SUCCESS carries the transaction's bookmark (Bolt 3 on), so
 * one without it answered something else: Neo4j shutting down sends a
 * SUCCESS {} unasked, which could otherwise pass for the confirmation of
 * a commit the server never made.
 */
bool
n2p_bolt_commit(N2pBolt *b, N2pError *err)
{
	N2pValue	meta;
	const N2pValue *bm;

	if (!end_tx(b, MSG_COMMIT, &meta, err))
		return false;
	if ((bm = n2p_map_get(&meta, "bookmark", 8)) == NULL || bm->type != N2P_STRING)
		return bad_reply(b, err, "the server did not confirm the COMMIT (no bookmark)");
	return true;
}

bool
n2p_bolt_rollback(N2pBolt *b, N2pError *err)
{
	return end_tx(b, MSG_ROLLBACK, NULL, err);
}

void
n2p_bolt_close(N2pBolt *b)
{
	N2pError	err;

	if (b == NULL)
		return;
	n2p_error_init(&err);
	if (!b->dead)
		send_simple(b, MSG_GOODBYE, &err);
	n2p_dechunker_free(&b->dechunk);
	n2p_buf_free(&b->body);
	n2p_buf_free(&b->out);
	n2p_arena_destroy(&b->meta);
	n2p_free(b->alloc, b->rbuf);
	n2p_free(b->alloc, b);
}
