/*-------------------------------------------------------------------------
 *
 * fuzz_bolt.c
 *	  The Bolt client (src/neo4j/bolt.c) fed a server's replies: the
 *	  handshake, HELLO and LOGON, then what the CLI does with a
 *	  connection (BEGIN, RUN and PULL in batches, ROUTE, COMMIT, a
 *	  pipelined RUN, ROLLBACK), all against a peer that replays the input
 *	  as the server's bytes.
 *
 * The first byte sets how many bytes each read returns (1 to 255, 0 for
 * as many as asked), so that messages and chunks are split everywhere;
 * the rest is the server's byte stream.  The dechunker is also fed that
 * stream on its own, whole and in small pieces, and must give the same
 * messages either way.  The client's own bytes are
 * dropped.  Messages are capped at 4 KB, as libFuzzer's inputs are.
 *
 * Beyond "no crash": a failure always carries an error, records are
 * lists, a routing table is a map, and once the server has hung up no
 * call succeeds.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  test/fuzz/fuzz_bolt.c
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz.h"

#include <string.h>

#include "neo2pg/bolt.h"

typedef struct Peer
{
	const uint8_t *data;
	size_t		len;
	size_t		pos;
	size_t		step;
} Peer;

static bool
peer_read(void *ctx, void *buf, size_t cap, size_t *got, N2pError *err)
{
	Peer	   *p = ctx;
	size_t		n = p->len - p->pos;

	(void) err;
	if (n > cap)
		n = cap;
	if (p->step && n > p->step)
		n = p->step;
	if (n)
		memcpy(buf, p->data + p->pos, n);
	p->pos += n;
	*got = n;
	return true;
}

static bool
peer_write(void *ctx, const void *buf, size_t len, N2pError *err)
{
	(void) ctx;
	(void) buf;
	(void) len;
	(void) err;
	return true;
}

/*
 * The dechunker on its own: the messages of the stream, fed in pieces of
 * `piece` bytes, appended to out as (length, bytes); -1 when it failed.
 */
static int
dechunk(const uint8_t *data, size_t size, size_t piece, N2pBuf *out)
{
	N2pDechunker d;
	N2pError	err;
	size_t		pos = 0;
	int			rc = 0;

	n2p_dechunker_init(&d, &n2p_libc_allocator, 4096);
	n2p_error_init(&err);
	while (pos < size && rc >= 0)
	{
		size_t		n = size - pos < piece ? size - pos : piece,
					used;

		rc = n2p_dechunker_feed(&d, data + pos, n, &used, &err);
		FUZZ_CHECK(used <= n);
		pos += used;
		if (rc == 1)
		{
			FUZZ_CHECK(d.msg.len > 0 && d.msg.len <= 4096);
			FUZZ_CHECK(n2p_buf_append(out, &d.msg.len, sizeof(d.msg.len)) &&
					   n2p_buf_append(out, d.msg.data, d.msg.len));
			n2p_buf_reset(&d.msg);
		}
		else if (rc == 0)
			FUZZ_CHECK(used == n);
		else
			fuzz_check_error(&err);
	}
	n2p_dechunker_free(&d);
	return rc < 0 ? -1 : 0;
}

/*
 * Fed whole or in pieces of 1 to 7 bytes (the input's length decides),
 * the stream gives the same messages.
 */
static void
dechunk_any_split(const uint8_t *data, size_t size)
{
	N2pBuf		whole,
				bytes;

	n2p_buf_init(&whole, &n2p_libc_allocator);
	n2p_buf_init(&bytes, &n2p_libc_allocator);
	FUZZ_CHECK(dechunk(data, size, size, &whole) == dechunk(data, size, 1 + size % 7, &bytes));
	FUZZ_CHECK(whole.len == bytes.len &&
			   (whole.len == 0 || memcmp(whole.data, bytes.data, whole.len) == 0));
	n2p_buf_free(&whole);
	n2p_buf_free(&bytes);
}

/* The result of one call, true for success; the error is cleared for the next. */
static bool
step(bool ok, N2pError *err)
{
	if (!ok)
		fuzz_check_error(err);
	n2p_error_init(err);
	return ok;
}

static int
drain(N2pBolt *b, N2pArena *arena, N2pError *err)
{
	N2pValue	row;
	int			rc;

	while ((rc = n2p_bolt_next(b, arena, &row, err)) == 1)
	{
		FUZZ_CHECK(row.type == N2P_LIST);
		n2p_arena_reset(arena);
	}
	step(rc == 0, err);
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Peer		peer;
	N2pBoltIo	io = {peer_read, peer_write, &peer};
	N2pBoltOptions opts = {"neo4j", "secret", "localhost:7687", 0, 0, 4096};
	N2pError	err;
	N2pArena	arena;
	N2pValue	rt;
	N2pBolt    *b;
	size_t		i;

	if (size < 1)
		return 0;
	dechunk_any_split(data + 1, size - 1);
	peer = (Peer) {data + 1, size - 1, 0, data[0]};
	n2p_error_init(&err);
	b = n2p_bolt_connect(&n2p_libc_allocator, &io, &opts, &err);
	if (b == NULL)
	{
		fuzz_check_error(&err);
		return 0;
	}
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	if (step(n2p_bolt_begin(b, "r", "neo4j", &err), &err) &&
		step(n2p_bolt_run(b, "MATCH (n) RETURN n", NULL, 2, &err), &err))
		drain(b, &arena, &err);
	if (step(n2p_bolt_route(b, NULL, &arena, &rt, &err), &err))
		FUZZ_CHECK(rt.type == N2P_MAP);
	step(n2p_bolt_commit(b, &err), &err);
	if (step(n2p_bolt_begin(b, "w", NULL, &err), &err) &&
		step(n2p_bolt_run_send(b, "RETURN 1", NULL, 0, &err), &err))
		drain(b, &arena, &err);
	step(n2p_bolt_rollback(b, &err), &err);
	/*
	 * A reply is at least 6 bytes (size, a structure's 2 bytes, end mark),
	 * so no more than size / 6 calls can succeed or meet a FAILURE: by
	 * then the client has read everything, and the call after must fail
	 * (the connection closed, or broke before).  A client that made up a
	 * reply, or that stays usable past a broken stream, fails this.
	 */
	for (i = 0; i <= size / 6; i++)
		step(n2p_bolt_begin(b, "r", NULL, &err) && n2p_bolt_commit(b, &err), &err);
	FUZZ_CHECK(!n2p_bolt_begin(b, "r", NULL, &err));
	fuzz_check_error(&err);
	n2p_bolt_close(b);
	n2p_arena_destroy(&arena);
	return 0;
}
