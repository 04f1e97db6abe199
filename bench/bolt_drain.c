/*
 * The floor for any Bolt client: run neo2pg's two extraction queries in
 * one read transaction and read the server's replies without decoding the
 * records -- de-chunk them (the project's dechunker) and look at each
 * message's tag only; a PULL's summary is decoded, for has_more.
 *
 *   N2P_TEST_NEO4J_PORT=... N2P_TEST_NEO4J_DIR=... bolt_drain [FETCH_SIZE]
 *
 * FETCH_SIZE (default -1, all in one PULL, as neo2pg) is the n of each PULL;
 * pulled whole, the second query is queued behind the first, as neo2pg
 * does.  N2P_DRAIN_Q0 and N2P_DRAIN_Q1 replace the query texts, to compare
 * the server's work for other forms.
 * The handshake, HELLO, LOGON and BEGIN go through the project's client;
 * from then on the drain speaks on the connection itself.  Prints the
 * records and the bytes received to stderr.
 */
#include "neo2pg/bolt.h"
#include "neo2pg/packstream.h"
#include "neo4j_conn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the same text as src/neo4j/source.c: the server's work must be the same */
static const char *const queries[] = {
	"MATCH (n) RETURN n",
	"MATCH ()-[r]->() RETURN id(r), type(r), id(startNode(r)), id(endNode(r)), properties(r), "
	"elementId(r)",
};

#define READ_SIZE (256 * 1024)

typedef struct Drain
{
	N2pBoltIo	io;
	N2pDechunker d;
	uint8_t    *buf;
	size_t		pos,
				len;
	uint64_t	bytes,
				records;
	N2pError	err;
} Drain;

static void
fail(Drain *d, const char *what)
{
	fprintf(stderr, "bolt_drain: %s: %s\n", what, d->err.msg);
	exit(1);
}

static void
send_msg(Drain *d, N2pBuf *body)
{
	N2pBuf		out;

	n2p_buf_init(&out, &n2p_libc_allocator);
	if (!n2p_bolt_chunk(&out, body->data, body->len) ||
		!d->io.write(d->io.ctx, out.data, out.len, &d->err))
		fail(d, "sending");
	n2p_buf_free(&out);
	n2p_buf_reset(body);
}

/* The next message's bytes in d->d.msg; returns its tag. */
static uint8_t
next_msg(Drain *d)
{
	n2p_buf_reset(&d->d.msg);
	for (;;)
	{
		size_t		used;
		int			r;

		if (d->pos == d->len)
		{
			if (!d->io.read(d->io.ctx, d->buf, READ_SIZE, &d->len, &d->err) || d->len == 0)
				fail(d, "reading");
			d->bytes += d->len;
			d->pos = 0;
		}
		r = n2p_dechunker_feed(&d->d, d->buf + d->pos, d->len - d->pos, &used, &d->err);
		d->pos += used;
		if (r < 0)
			fail(d, "dechunking");
		if (r > 0)
			return d->d.msg.len >= 2 ? (uint8_t) d->d.msg.data[1] : 0;
	}
}

/* A SUCCESS's metadata: has_more? */
static bool
has_more(Drain *d)
{
	N2pArena	a;
	N2pValue	meta;
	const N2pValue *m;
	size_t		used;
	bool		more;

	n2p_arena_init(&a, &n2p_libc_allocator, 0);
	if (!n2p_ps_decode((const uint8_t *) d->d.msg.data + 2, d->d.msg.len - 2, true, &a, &meta, &used,
					   &d->err))
		fail(d, "decoding a summary");
	m = n2p_map_get(&meta, "has_more", 8);
	more = m && m->type == N2P_BOOL && m->u.b;
	n2p_arena_destroy(&a);
	return more;
}

static void
pull(Drain *d, N2pBuf *body, int64_t n)
{
	n2p_ps_put_struct_header(body, 0x3F, 1);
	n2p_ps_put_map_header(body, 1);
	n2p_ps_put_string(body, "n", 1);
	n2p_ps_put_int(body, n);
	send_msg(d, body);
}

static void
send_run(Drain *d, N2pBuf *body, const char *q, int64_t fetch)
{
	n2p_ps_put_struct_header(body, 0x10, 3);
	n2p_ps_put_string(body, q, strlen(q));
	n2p_ps_put_map_header(body, 0);
	n2p_ps_put_map_header(body, 0);
	send_msg(d, body);
	pull(d, body, fetch);
}

static void
read_result(Drain *d, N2pBuf *body, int64_t fetch)
{
	uint8_t		tag;

	if (next_msg(d) != 0x70)
		fail(d, "RUN not answered with SUCCESS");
	for (;;)
	{
		tag = next_msg(d);
		if (tag == 0x71)
			d->records++;
		else if (tag == 0x70 && has_more(d))
			pull(d, body, fetch);
		else if (tag == 0x70)
			break;
		else
			fail(d, "unexpected reply");
	}
}

/*
 * The queries as neo2pg sends them: pulled whole, the second is queued
 * behind the first (n2p_bolt_run_next), so the server goes from one to the
 * other without waiting; in batches of FETCH_SIZE, one after the other.
 */
static void
run_all(Drain *d, const char *const *q, size_t n, int64_t fetch)
{
	N2pBuf		body;
	size_t		i;

	n2p_buf_init(&body, &n2p_libc_allocator);
	for (i = 0; i < n; i++)
	{
		if (fetch > 0 || i == 0)
			send_run(d, &body, q[i], fetch);
		if (fetch <= 0 && i + 1 < n)
			send_run(d, &body, q[i + 1], fetch);
		read_result(d, &body, fetch);
	}
	n2p_buf_free(&body);
}

int
main(int argc, char **argv)
{
	const char *port = getenv("N2P_TEST_NEO4J_PORT");
	const char *dir = getenv("N2P_TEST_NEO4J_DIR");
	int64_t		fetch = argc > 1 ? strtoll(argv[1], NULL, 10) : -1;
	char		uri_text[128],
				path[1024],
				pw[256] = "";
	Neo4jUri	uri;
	Neo4jConn  *conn;
	N2pBolt    *b;
	N2pBuf		body;
	Drain		d;
	FILE	   *f;
	size_t		i;

	memset(&d, 0, sizeof(d));
	n2p_error_init(&d.err);
	if (port == NULL || dir == NULL)
	{
		fprintf(stderr, "usage: bolt_drain [FETCH_SIZE], with N2P_TEST_NEO4J_PORT and _DIR set\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/password", dir);
	if ((f = fopen(path, "r")) == NULL || !fgets(pw, sizeof(pw), f))
		return 2;
	fclose(f);
	pw[strcspn(pw, "\n")] = '\0';
	snprintf(uri_text, sizeof(uri_text), "bolt://127.0.0.1:%s", port);
	{
		N2pBoltOptions o = {"neo4j", pw, NULL, 0, 0, 0};

		if (!neo4j_uri_parse(uri_text, &uri, &d.err) || (conn = neo4j_conn_open(&uri, &d.io, &d.err)) == NULL ||
			(b = n2p_bolt_connect(&n2p_libc_allocator, &d.io, &o, &d.err)) == NULL ||
			!n2p_bolt_begin(b, "r", NULL, &d.err))
			fail(&d, "connecting");
	}
	n2p_dechunker_init(&d.d, &n2p_libc_allocator, 0);
	d.buf = malloc(READ_SIZE);
	{
		/* N2P_DRAIN_Q0/Q1: other query texts, to compare the server's work */
		const char *q[2];

		for (i = 0; i < 2; i++)
		{
			char		name[16];

			snprintf(name, sizeof(name), "N2P_DRAIN_Q%zu", i);
			q[i] = getenv(name) && *getenv(name) ? getenv(name) : queries[i];
		}
		run_all(&d, q, 2, fetch);
	}
	n2p_buf_init(&body, &n2p_libc_allocator);
	n2p_ps_put_struct_header(&body, 0x12, 0);
	send_msg(&d, &body);
	if (next_msg(&d) != 0x70)
		fail(&d, "COMMIT not answered with SUCCESS");
	fprintf(stderr, "records %llu bytes %llu\n", (unsigned long long) d.records,
			(unsigned long long) d.bytes);
	n2p_buf_free(&body);
	n2p_dechunker_free(&d.d);
	free(d.buf);
	n2p_bolt_close(b);
	neo4j_conn_close(conn);
	return 0;
}
