/*
 * The Bolt client from bytes, with no server: the dechunker fed every
 * split of a stream, and the client against a scripted peer (an I/O table
 * that replays the server's bytes and records the client's) for what a
 * real server will not do: a connection dropped mid-stream, a FAILURE in
 * the middle of a PULL, a malformed chunk, an oversized message, an
 * unknown structure tag, a handshake nobody agrees on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "neo2pg/bolt.h"
#include "neo2pg/packstream.h"

#include "test_support.h"

/* ----------------------------------------------------------- dechunker */

static void
test_dechunk_every_split(void **state)
{
	/* NOOP, a message of two chunks, NOOP, a message of one chunk */
	static const uint8_t s[] = {0, 0, 0, 2, 'a', 'b', 0, 1, 'c', 0, 0, 0, 0, 0, 1, 'd', 0, 0};
	size_t		cut;

	(void) state;
	for (cut = 0; cut <= sizeof(s); cut++)
	{
		N2pDechunker d;
		N2pError	err;
		char		got[2][8] = {"", ""};
		int			n = 0;
		size_t		pos = 0;

		n2p_dechunker_init(&d, &n2p_libc_allocator, 0);
		n2p_error_init(&err);
		/* feed the two halves, taking every message out as it completes */
		while (pos < sizeof(s))
		{
			size_t		end = pos < cut ? cut : sizeof(s);
			size_t		used;
			int			r = n2p_dechunker_feed(&d, s + pos, end - pos, &used, &err);

			assert_true(r >= 0);
			pos += used;
			if (r == 1)
			{
				memcpy(got[n++], d.msg.data, d.msg.len);
				n2p_buf_reset(&d.msg);
			}
		}
		assert_int_equal(n, 2);
		assert_string_equal(got[0], "abc");
		assert_string_equal(got[1], "d");
		n2p_dechunker_free(&d);
	}
}

static void
test_dechunk_limit(void **state)
{
	static const uint8_t s[] = {0, 4, 1, 2, 3, 4, 0, 4, 5, 6, 7, 8, 0, 0};
	N2pDechunker d;
	N2pError	err;
	size_t		used;

	(void) state;
	n2p_dechunker_init(&d, &n2p_libc_allocator, 6);
	n2p_error_init(&err);
	assert_int_equal(n2p_dechunker_feed(&d, s, sizeof(s), &used, &err), -1);
	assert_int_equal(err.code, N2P_ERR_LIMIT);
	/* the error sticks */
	n2p_error_init(&err);
	assert_int_equal(n2p_dechunker_feed(&d, s, 1, &used, &err), -1);
	n2p_dechunker_free(&d);
}

static void
test_chunk_large(void **state)
{
	N2pBuf		out;
	char	   *msg = calloc(1, 70000);

	(void) state;
	n2p_buf_init(&out, &n2p_libc_allocator);
	assert_true(n2p_bolt_chunk(&out, msg, 70000));
	assert_int_equal(out.len, 2 + 65535 + 2 + (70000 - 65535) + 2);
	assert_int_equal((uint8_t) out.data[0], 0xFF);
	assert_int_equal((uint8_t) out.data[1], 0xFF);
	n2p_buf_free(&out);
	free(msg);
}

/* ------------------------------------------------------- scripted peer */

/*
 * The peer is causal, as a server is: a reply is readable only once the
 * request it answers was written.  Each SUCCESS, FAILURE or IGNORED ends
 * the answer to one request (a gate); records and raw bytes go with the
 * next gate, and what follows the last gate is readable once the client
 * has sent more requests than there are gates.  So a client that read a
 * reply before asking would fail here as it would against a server.
 */
#define GATES 64

typedef struct Peer
{
	N2pBuf		server;			/* what the server says, in order */
	size_t		pos;
	size_t		step;			/* bytes per read, to split messages */
	N2pBuf		client;			/* what the client sent */
	size_t		hs;				/* the client's handshake bytes: 20, 25 with a manifest */
	size_t		first_reply;	/* where the first gated reply starts */
	size_t		gate[GATES];	/* where the answer to each request ends */
	size_t		ngates;
} Peer;

/* How many whole messages the client has sent after its handshake. */
static size_t
client_messages(const Peer *p)
{
	size_t		i = p->hs,
				n = 0,
				body = 0;

	while (i + 2 <= p->client.len)
	{
		size_t		size = ((size_t) (uint8_t) p->client.data[i] << 8) | (uint8_t) p->client.data[i + 1];

		i += 2 + size;
		if (size == 0 && body > 0)
			n++;
		body = size == 0 ? 0 : body + size;
	}
	return n;
}

/* The end of what the server may have said by now. */
static size_t
peer_limit(const Peer *p)
{
	size_t		k = client_messages(p);

	if (p->ngates == 0 || k > p->ngates)
		return p->server.len;
	return k == 0 ? p->first_reply : p->gate[k - 1];
}

static bool
peer_read(void *ctx, void *buf, size_t cap, size_t *got, N2pError *err)
{
	Peer	   *p = ctx;
	size_t		n = peer_limit(p) - p->pos;

	(void) err;
	if (n > cap)
		n = cap;
	if (n > p->step)
		n = p->step;
	memcpy(buf, p->server.data + p->pos, n);
	p->pos += n;
	*got = n;					/* 0 at the end: the server hung up */
	return true;
}

static bool
peer_write(void *ctx, const void *buf, size_t len, N2pError *err)
{
	Peer	   *p = ctx;

	(void) err;
	return n2p_buf_append(&p->client, buf, len);
}

static void
peer_init(Peer *p, size_t step)
{
	memset(p, 0, sizeof(*p));
	n2p_buf_init(&p->server, &n2p_libc_allocator);
	n2p_buf_init(&p->client, &n2p_libc_allocator);
	p->step = step;
	p->hs = 20;
}

static void
peer_free(Peer *p)
{
	n2p_buf_free(&p->server);
	n2p_buf_free(&p->client);
}

/* A reply: a one-field structure whose field is given as PackStream bytes. */
static void
say(Peer *p, uint8_t tag, const char *field, size_t flen)
{
	N2pBuf		m;

	n2p_buf_init(&m, &n2p_libc_allocator);
	n2p_ps_put_struct_header(&m, tag, field ? 1 : 0);
	if (field)
		n2p_buf_append(&m, field, flen);
	if (p->ngates == 0 && p->first_reply == 0)
		p->first_reply = p->server.len;
	n2p_bolt_chunk(&p->server, m.data, m.len);
	n2p_buf_free(&m);
	if (tag != 0x71)
	{
		assert_true(p->ngates < GATES);
		p->gate[p->ngates++] = p->server.len;
	}
}

/* a FAILURE's metadata: code and message */
static const char broken[] = "\xA2\x84\x63ode\x8ENeo.X.Y.Broken\x87message\x83oh!";

#define SUCCESS_EMPTY(p) say(p, 0x70, "\xA0", 1)
#define IGNORED(p) say(p, 0x7E, NULL, 0)
/* a COMMIT's SUCCESS carries the bookmark */
#define COMMITTED(p) say(p, 0x70, "\xA1\x88\x62ookmark\x82\x62\x31", 13)

static void
say_version(Peer *p, int major, int minor)
{
	uint8_t		v[4] = {0, 0, (uint8_t) minor, (uint8_t) major};

	n2p_buf_append(&p->server, v, 4);
}

/* Handshake 5.4, HELLO and LOGON succeed. */
static void
say_connected(Peer *p)
{
	say_version(p, 5, 4);
	say(p, 0x70, "\xA1\x86server\x8CNeo4j/5.26.0", 21);
	SUCCESS_EMPTY(p);
}

static N2pBolt *
connect_peer(Peer *p, N2pError *err)
{
	N2pBoltIo	io = {peer_read, peer_write, p};
	N2pBoltOptions opts = {"neo4j", "secret", NULL, 0, 0, 1024};

	n2p_error_init(err);
	return n2p_bolt_connect(&n2p_libc_allocator, &io, &opts, err);
}

static void
test_connect(void **state)
{
	Peer		p;
	N2pError	err;
	N2pBolt    *b;

	(void) state;
	peer_init(&p, 1);
	say_connected(&p);
	b = connect_peer(&p, &err);
	assert_non_null(b);
	assert_int_equal(n2p_bolt_version(b), N2P_BOLT_VERSION(5, 4));
	assert_string_equal(n2p_bolt_server(b), "Neo4j/5.26.0");
	assert_true(n2p_bolt_utc(b));
	/* preamble, then manifest, 5.8 down to 5.0, 4.4, nothing */
	assert_memory_equal(p.client.data,
						"\x60\x60\xB0\x17\x00\x00\x01\xFF\x00\x08\x08\x05\x00\x00\x04\x04\x00\x00\x00\x00", 20);
	n2p_bolt_close(b);
	peer_free(&p);
}

static void
test_manifest(void **state)
{
	Peer		p;
	N2pError	err;
	N2pBolt    *b;

	(void) state;
	peer_init(&p, 3);
	p.hs = 25;
	/* manifest: two ranges (5.8 to 5.6, 4.4), no capabilities */
	n2p_buf_append(&p.server, "\x00\x00\x01\xFF\x02\x00\x02\x08\x05\x00\x00\x04\x04\x00", 14);
	say(&p, 0x70, "\xA0", 1);
	SUCCESS_EMPTY(&p);
	b = connect_peer(&p, &err);
	assert_non_null(b);
	assert_int_equal(n2p_bolt_version(b), N2P_BOLT_VERSION(5, 8));
	/* the client's choice: 5.8 and no capabilities */
	assert_memory_equal(p.client.data + 20, "\x00\x00\x08\x05\x00", 5);
	n2p_bolt_close(b);
	peer_free(&p);
}

static void
test_no_version(void **state)
{
	Peer		p;
	N2pError	err;

	(void) state;
	peer_init(&p, 64);
	say_version(&p, 0, 0);
	assert_null(connect_peer(&p, &err));
	assert_non_null(strstr(err.msg, "none of the protocol versions"));
	peer_free(&p);
	peer_init(&p, 64);
	n2p_buf_append(&p.server, "HTTP/1.1 400", 12);
	assert_null(connect_peer(&p, &err));
	assert_non_null(strstr(err.msg, "HTTP"));
	peer_free(&p);
}

static void
test_wrong_password(void **state)
{
	static const char fail[] = "\xA2\x84\x63ode\xD0\x25Neo.ClientError.Security.Unauthorized"
		"\x87message\x85no no";
	Peer		p;
	N2pError	err;

	(void) state;
	peer_init(&p, 5);
	say_version(&p, 5, 4);
	SUCCESS_EMPTY(&p);
	say(&p, 0x7F, fail, sizeof(fail) - 1);
	assert_null(connect_peer(&p, &err));
	assert_non_null(strstr(err.msg, "Neo4j: no no (Neo.ClientError.Security.Unauthorized)"));
	peer_free(&p);
}

/*
 * A server message holding U+0000 and longer than any fixed buffer: shown
 * whole, the NUL escaped, not cut at it.
 */
static void
test_failure_message_whole(void **state)
{
	Peer		p;
	N2pError	err;
	N2pBuf		f;
	char		text[700],
				want[760];

	(void) state;
	memset(text, 'x', sizeof(text));
	memcpy(text, "bad name `a", 11);
	text[11] = '\0';
	memcpy(text + 12, "b`", 2);
	memcpy(text + sizeof(text) - 3, "end", 3);
	n2p_buf_init(&f, &n2p_libc_allocator);
	n2p_ps_put_map_header(&f, 2);
	n2p_ps_put_string(&f, "code", 4);
	n2p_ps_put_string(&f, "Neo.ClientError.Statement.SyntaxError", 37);
	n2p_ps_put_string(&f, "message", 7);
	n2p_ps_put_string(&f, text, sizeof(text));
	peer_init(&p, 5);
	say_version(&p, 5, 4);
	SUCCESS_EMPTY(&p);
	say(&p, 0x7F, f.data, f.len);
	assert_null(connect_peer(&p, &err));
	snprintf(want, sizeof(want), "Neo4j: bad name `a\\u0000b`%.*send (Neo.ClientError.Statement.SyntaxError)",
			 (int) sizeof(text) - 17, text + 14);
	assert_string_equal(err.msg, want);
	n2p_buf_free(&f);
	peer_free(&p);
}

/* BEGIN, RUN with its PULL; returns the connected client */
static N2pBolt *
start_query(Peer *p, N2pError *err)
{
	N2pBolt    *b = connect_peer(p, err);

	assert_non_null(b);
	assert_true(n2p_bolt_begin(b, "r", NULL, err));
	assert_true(n2p_bolt_run(b, "RETURN 1", NULL, 2, err));
	return b;
}

static void
test_records_and_has_more(void **state)
{
	Peer		p;
	N2pError	err;
	N2pBolt    *b;
	N2pArena	arena;
	N2pValue	row;
	int			i;

	(void) state;
	peer_init(&p, 7);
	say_connected(&p);
	SUCCESS_EMPTY(&p);			/* BEGIN */
	say(&p, 0x70, "\xA1\x86\x66ields\x91\x81x", 11);	/* RUN */
	say(&p, 0x71, "\x91\x01", 2);
	say(&p, 0x71, "\x91\x02", 2);
	say(&p, 0x70, "\xA1\x88has_more\xC3", 11);
	n2p_buf_append(&p.server, "\x00\x00", 2);	/* a NOOP between messages */
	say(&p, 0x71, "\x91\x03", 2);
	SUCCESS_EMPTY(&p);			/* end of the result */
	COMMITTED(&p);			/* COMMIT */
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	b = start_query(&p, &err);
	for (i = 1; i <= 3; i++)
	{
		assert_int_equal(n2p_bolt_next(b, &arena, &row, &err), 1);
		assert_int_equal(row.u.list.items[0].u.i, i);
	}
	assert_int_equal(n2p_bolt_next(b, &arena, &row, &err), 0);
	assert_true(n2p_bolt_commit(b, &err));
	n2p_bolt_close(b);
	n2p_arena_destroy(&arena);
	peer_free(&p);
}

/*
 * A query sent without waiting: nothing is read until the first
 * n2p_bolt_next, which reads the RUN's reply before the records.
 */
static void
test_run_send(void **state)
{
	Peer		p;
	N2pError	err;
	N2pBolt    *b;
	N2pArena	arena;
	N2pValue	row;
	size_t		read_before,
				sent_before;

	(void) state;
	peer_init(&p, 3);
	say_connected(&p);
	SUCCESS_EMPTY(&p);			/* BEGIN */
	say(&p, 0x70, "\xA1\x86\x66ields\x91\x81x", 11);	/* RUN */
	say(&p, 0x71, "\x91\x07", 2);
	SUCCESS_EMPTY(&p);			/* end of the result */
	COMMITTED(&p);			/* COMMIT */
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	b = connect_peer(&p, &err);
	assert_non_null(b);
	assert_true(n2p_bolt_begin(b, "r", NULL, &err));
	read_before = p.pos;
	sent_before = p.client.len;
	assert_true(n2p_bolt_run_send(b, "RETURN 7", NULL, 0, &err));
	assert_int_equal(p.pos, read_before);
	/* RUN "RETURN 7" {} {}, then PULL {n: -1}, each in its chunk */
	assert_int_equal(p.client.len - sent_before, 2 + 13 + 2 + 2 + 6 + 2);
	assert_memory_equal(p.client.data + sent_before, "\x00\x0D\xB3\x10\x88RETURN 7\xA0\xA0\x00\x00", 17);
	assert_memory_equal(p.client.data + sent_before + 17, "\x00\x06\xB1\x3F\xA1\x81n\xFF\x00\x00", 10);
	/* a second query before the first's replies are read is refused */
	assert_false(n2p_bolt_run_send(b, "RETURN 8", NULL, 0, &err));
	assert_int_equal(err.code, N2P_ERR_USAGE);
	n2p_error_init(&err);
	assert_int_equal(n2p_bolt_next(b, &arena, &row, &err), 1);
	assert_int_equal(row.u.list.items[0].u.i, 7);
	assert_int_equal(n2p_bolt_next(b, &arena, &row, &err), 0);
	assert_true(n2p_bolt_commit(b, &err));
	n2p_bolt_close(b);
	n2p_arena_destroy(&arena);
	peer_free(&p);
}

/*
 * The query sent without waiting fails: the FAILURE shows at the first
 * n2p_bolt_next, with the server's code; the PULL's IGNORED is read, RESET
 * is sent, and the connection is ready for a new transaction.
 */
static void
test_run_send_failure(void **state)
{
	Peer		p;
	N2pError	err;
	N2pBolt    *b;
	N2pArena	arena;
	N2pValue	row;
	size_t		sent_before;

	(void) state;
	peer_init(&p, 5);
	say_connected(&p);
	SUCCESS_EMPTY(&p);			/* BEGIN */
	say(&p, 0x7F, broken, sizeof(broken) - 1);	/* RUN */
	IGNORED(&p);				/* PULL */
	SUCCESS_EMPTY(&p);			/* RESET */
	SUCCESS_EMPTY(&p);			/* BEGIN again */
	say(&p, 0x70, "\xA0", 1);	/* RUN */
	say(&p, 0x71, "\x91\x02", 2);
	SUCCESS_EMPTY(&p);
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	b = connect_peer(&p, &err);
	assert_non_null(b);
	assert_true(n2p_bolt_begin(b, "r", NULL, &err));
	assert_true(n2p_bolt_run_send(b, "RETURN 1/0", NULL, 0, &err));
	sent_before = p.client.len;
	assert_int_equal(n2p_bolt_next(b, &arena, &row, &err), -1);
	assert_non_null(strstr(err.msg, "Neo4j: oh! (Neo.X.Y.Broken)"));
	assert_string_equal(n2p_bolt_failure_code(b), "Neo.X.Y.Broken");
	/* RESET, and nothing else, was sent */
	assert_int_equal(p.client.len - sent_before, 6);
	assert_memory_equal(p.client.data + sent_before, "\x00\x02\xB0\x0F\x00\x00", 6);
	/* the failed result is over; the connection works again */
	n2p_error_init(&err);
	assert_int_equal(n2p_bolt_next(b, &arena, &row, &err), 0);
	assert_true(n2p_bolt_begin(b, "r", NULL, &err));
	assert_true(n2p_bolt_run_send(b, "RETURN 2", NULL, 0, &err));
	assert_int_equal(n2p_bolt_next(b, &arena, &row, &err), 1);
	assert_int_equal(row.u.list.items[0].u.i, 2);
	assert_int_equal(n2p_bolt_next(b, &arena, &row, &err), 0);
	assert_int_equal(p.pos, p.server.len);
	n2p_bolt_close(b);
	n2p_arena_destroy(&arena);
	peer_free(&p);
}

/*
 * A query queued behind one pulled whole (n2p_bolt_run_next): its RUN and
 * PULL go out at once; its records follow the first result's end.  fail
 * says where a FAILURE comes: 0 nowhere, 1 in the first result, 2 as the
 * queued RUN's reply.
 */
static void
queued_query(int fail)
{
	Peer		p;
	N2pError	err;
	N2pBolt    *b;
	N2pArena	arena;
	N2pValue	row;
	size_t		sent_before;

	peer_init(&p, 4);
	say_connected(&p);
	SUCCESS_EMPTY(&p);			/* BEGIN */
	say(&p, 0x70, "\xA0", 1);	/* RUN 1 */
	say(&p, 0x71, "\x91\x01", 2);
	if (fail == 1)
	{
		say(&p, 0x7F, broken, sizeof(broken) - 1);
		IGNORED(&p);			/* RUN 2 */
		IGNORED(&p);			/* its PULL */
		SUCCESS_EMPTY(&p);		/* RESET */
	}
	else
	{
		SUCCESS_EMPTY(&p);		/* the first result's end */
		if (fail == 2)
		{
			say(&p, 0x7F, broken, sizeof(broken) - 1);	/* RUN 2 */
			IGNORED(&p);		/* its PULL */
			SUCCESS_EMPTY(&p);	/* RESET */
		}
		else
		{
			say(&p, 0x70, "\xA0", 1);	/* RUN 2 */
			say(&p, 0x71, "\x91\x02", 2);
			SUCCESS_EMPTY(&p);
			COMMITTED(&p);	/* COMMIT */
		}
	}
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	b = connect_peer(&p, &err);
	assert_non_null(b);
	assert_true(n2p_bolt_begin(b, "r", NULL, &err));
	assert_true(n2p_bolt_run(b, "RETURN 1", NULL, 0, &err));
	sent_before = p.client.len;
	assert_true(n2p_bolt_run_next(b, "RETURN 2", NULL, &err));
	/* RUN "RETURN 2" {} {}, then PULL {n: -1}, sent at once */
	assert_int_equal(p.client.len - sent_before, 17 + 10);
	assert_memory_equal(p.client.data + sent_before, "\x00\x0D\xB3\x10\x88RETURN 2\xA0\xA0\x00\x00", 17);
	assert_memory_equal(p.client.data + sent_before + 17, "\x00\x06\xB1\x3F\xA1\x81n\xFF\x00\x00", 10);
	/* only one is queued */
	assert_false(n2p_bolt_run_next(b, "RETURN 3", NULL, &err));
	assert_int_equal(err.code, N2P_ERR_USAGE);
	n2p_error_init(&err);
	assert_int_equal(n2p_bolt_next(b, &arena, &row, &err), 1);
	assert_int_equal(row.u.list.items[0].u.i, 1);
	if (fail != 1)
		assert_int_equal(n2p_bolt_next(b, &arena, &row, &err), 0);
	if (fail)
	{
		assert_int_equal(n2p_bolt_next(b, &arena, &row, &err), -1);
		assert_non_null(strstr(err.msg, "Neo4j: oh! (Neo.X.Y.Broken)"));
		n2p_error_init(&err);
		/* every IGNORED was read, RESET answered: the result is over */
		assert_int_equal(n2p_bolt_next(b, &arena, &row, &err), 0);
	}
	else
	{
		assert_int_equal(n2p_bolt_next(b, &arena, &row, &err), 1);
		assert_int_equal(row.u.list.items[0].u.i, 2);
		assert_int_equal(n2p_bolt_next(b, &arena, &row, &err), 0);
		assert_true(n2p_bolt_commit(b, &err));
	}
	assert_int_equal(p.pos, p.server.len);
	n2p_bolt_close(b);
	n2p_arena_destroy(&arena);
	peer_free(&p);
}

static void
test_run_next(void **state)
{
	(void) state;
	queued_query(0);
	queued_query(1);
	queued_query(2);
}

/*
 * Neo4j 5.26 shutting down with a transaction open sends a SUCCESS that
 * nothing asked for: the COMMIT must not take it for its own (the server
 * never got the COMMIT), whether it came with the result's end or after.
 */
static void
unsolicited_reply(bool early)
{
	Peer		p;
	N2pError	err;
	N2pBolt    *b;
	N2pArena	arena;
	N2pValue	row;

	peer_init(&p, 64);
	say_connected(&p);
	SUCCESS_EMPTY(&p);			/* BEGIN */
	say(&p, 0x70, "\xA0", 1);	/* RUN */
	say(&p, 0x71, "\x91\x01", 2);
	SUCCESS_EMPTY(&p);			/* the result's end */
	if (early)
	{
		/* a NOOP, then SUCCESS {}, read with the result's end */
		n2p_buf_append(&p.server, "\x00\x00\x00\x03\xB1\x70\xA0\x00\x00", 9);
		p.gate[p.ngates - 1] = p.server.len;
	}
	else
		SUCCESS_EMPTY(&p);		/* read as the COMMIT's */
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	b = connect_peer(&p, &err);
	assert_non_null(b);
	assert_true(n2p_bolt_begin(b, "r", NULL, &err));
	assert_true(n2p_bolt_run(b, "RETURN 1", NULL, 0, &err));
	assert_int_equal(n2p_bolt_next(b, &arena, &row, &err), 1);
	assert_int_equal(n2p_bolt_next(b, &arena, &row, &err), 0);
	assert_false(n2p_bolt_commit(b, &err));
	assert_non_null(strstr(err.msg, early ? "a reply nothing asked for" : "did not confirm the COMMIT"));
	/* and the connection is done with */
	n2p_error_init(&err);
	assert_false(n2p_bolt_begin(b, "r", NULL, &err));
	n2p_bolt_close(b);
	n2p_arena_destroy(&arena);
	peer_free(&p);
}

static void
test_unsolicited_reply(void **state)
{
	(void) state;
	unsolicited_reply(true);
	unsolicited_reply(false);
}

/* Only behind a result pulled whole: otherwise its own PULLs would follow. */
static void
test_run_next_refused(void **state)
{
	Peer		p;
	N2pError	err;
	N2pBolt    *b;

	(void) state;
	peer_init(&p, 64);
	say_connected(&p);
	SUCCESS_EMPTY(&p);			/* BEGIN */
	say(&p, 0x70, "\xA0", 1);	/* RUN */
	b = start_query(&p, &err);	/* 2 records a PULL */
	assert_false(n2p_bolt_run_next(b, "RETURN 2", NULL, &err));
	assert_int_equal(err.code, N2P_ERR_USAGE);
	n2p_bolt_close(b);
	peer_free(&p);
}

/* What the server sends after the first record; the next call must fail. */
static void
fault_after_record(void (*fault) (Peer *), const char *want)
{
	Peer		p;
	N2pError	err;
	N2pBolt    *b;
	N2pArena	arena;
	N2pValue	row;

	peer_init(&p, 4);
	say_connected(&p);
	SUCCESS_EMPTY(&p);
	say(&p, 0x70, "\xA0", 1);
	say(&p, 0x71, "\x91\x01", 2);
	fault(&p);
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	b = start_query(&p, &err);
	assert_int_equal(n2p_bolt_next(b, &arena, &row, &err), 1);
	assert_int_equal(n2p_bolt_next(b, &arena, &row, &err), -1);
	if (strstr(err.msg, want) == NULL)
		fail_msg("want \"%s\", got \"%s\"", want, err.msg);
	/* nothing after a failure looks like the end of a result */
	n2p_error_init(&err);
	assert_false(n2p_bolt_commit(b, &err) && n2p_bolt_next(b, &arena, &row, &err) == 0);
	n2p_bolt_close(b);
	n2p_arena_destroy(&arena);
	peer_free(&p);
}

static void
drop(Peer *p)
{
	(void) p;
}

static void
failure_mid_pull(Peer *p)
{
	say(p, 0x7F, broken, sizeof(broken) - 1);
	SUCCESS_EMPTY(p);			/* RESET */
}

static void
bad_chunk(Peer *p)
{
	n2p_buf_append(&p->server, "\x00\x03\xB1\x71", 4);	/* cut inside a chunk */
}

static void
oversized(Peer *p)
{
	n2p_buf_append(&p->server, "\x08\x00", 2);	/* 2048 bytes, over 1024 */
}

static void
unknown_tag(Peer *p)
{
	say(p, 0x71, "\x91\xB1\x5A\x01", 4);
}

static void
unknown_message(Peer *p)
{
	say(p, 0x55, "\xA0", 1);
}

static void
too_deep(Peer *p)
{
	char		nest[40];

	memset(nest, 0x91, sizeof(nest));
	nest[sizeof(nest) - 1] = 0x01;
	say(p, 0x71, nest, sizeof(nest));
}

static void
test_faults(void **state)
{
	(void) state;
	fault_after_record(drop, "closed the connection");
	fault_after_record(failure_mid_pull, "Neo4j: oh! (Neo.X.Y.Broken)");
	fault_after_record(bad_chunk, "closed the connection");
	fault_after_record(oversized, "over the size limit");
	fault_after_record(unknown_tag, "unknown structure tag");
	fault_after_record(unknown_message, "unknown reply");
	fault_after_record(too_deep, "nested deeper");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dechunk_every_split),
		cmocka_unit_test(test_dechunk_limit),
		cmocka_unit_test(test_chunk_large),
		cmocka_unit_test(test_connect),
		cmocka_unit_test(test_manifest),
		cmocka_unit_test(test_no_version),
		cmocka_unit_test(test_wrong_password),
		cmocka_unit_test(test_failure_message_whole),
		cmocka_unit_test(test_records_and_has_more),
		cmocka_unit_test(test_run_send),
		cmocka_unit_test(test_run_send_failure),
		cmocka_unit_test(test_run_next),
		cmocka_unit_test(test_run_next_refused),
		cmocka_unit_test(test_unsolicited_reply),
		cmocka_unit_test(test_faults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
