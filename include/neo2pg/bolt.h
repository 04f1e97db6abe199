/*-------------------------------------------------------------------------
 *
 * bolt.h
 *	  A Bolt client (4.4 and 5.0 to 5.8) over an I/O table the caller
 *	  supplies: plain TCP or TLS in the CLI, the backend's sockets in the
 *	  extension.  The core opens no socket itself.
 *
 * One connection runs one thing at a time: connect (handshake, HELLO,
 * LOGON), then transactions of queries whose records are pulled in
 * batches.  A FAILURE from the server, a broken connection or bytes that
 * do not decode make the error stick: every later call fails at once with
 * the same error, so that no caller can mistake a cut stream for a
 * complete one.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  include/neo2pg/bolt.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_BOLT_H
#define NEO2PG_BOLT_H

#include "neo2pg/value.h"

typedef struct N2pBoltIo
{
	/* read at most cap bytes; *got = 0 means the peer closed */
	bool		(*read) (void *ctx, void *buf, size_t cap, size_t *got, N2pError *err);
	/* write all len bytes */
	bool		(*write) (void *ctx, const void *buf, size_t len, N2pError *err);
	void	   *ctx;
} N2pBoltIo;

/* A protocol version: major * 256 + minor, as in the handshake's bytes. */
#define N2P_BOLT_VERSION(major, minor) ((major) * 256 + (minor))

typedef struct N2pBoltOptions
{
	const char *user;
	const char *password;
	/* routing context address "host:port" for neo4j://, NULL for bolt://
	 * (copied; user and password are used only while connecting) */
	const char *routing_address;
	/* the versions offered, inclusive; 0 means 4.4 and 5.8 */
	int			min_version;
	int			max_version;
	/* largest message accepted from the server, 0 for the default (256 MB) */
	size_t		max_message;
} N2pBoltOptions;

typedef struct N2pBolt N2pBolt;

/*
 * Handshake (the manifest form, with the version-range form as its
 * fallback), HELLO and, from 5.1, LOGON.  On failure returns NULL with err
 * set; the caller closes its transport.
 */
N2pBolt    *n2p_bolt_connect(const N2pAllocator *alloc, const N2pBoltIo *io,
							 const N2pBoltOptions *opts, N2pError *err);

int			n2p_bolt_version(const N2pBolt *b);
/* bytes received from the server: the progress and the summary show them */
uint64_t	n2p_bolt_bytes_read(const N2pBolt *b);
/* "Neo4j/5.26.11", from the server's HELLO reply */
const char *n2p_bolt_server(const N2pBolt *b);
/* "bolt-7", the server's id of this connection (its HELLO reply); "" if none */
const char *n2p_bolt_connection_id(const N2pBolt *b);
/* DateTimes in UTC seconds ('I'/'i'): Bolt 5, or 4.4 with the utc patch */
bool		n2p_bolt_utc(const N2pBolt *b);

/*
 * BEGIN an explicit transaction; mode "r" or "w", database NULL for the
 * server's home database.
 */
bool		n2p_bolt_begin(N2pBolt *b, const char *mode, const char *database, N2pError *err);

/*
 * Run a query in the open transaction; params is an N2P_MAP or NULL.  The
 * records are then read with n2p_bolt_next, fetch_size at a time.
 */
bool		n2p_bolt_run(N2pBolt *b, const char *query, const N2pValue *params,
						 int64_t fetch_size, N2pError *err);

/*
 * The same without waiting: the RUN and its first PULL are written, and
 * the RUN's reply is read by the first n2p_bolt_next (where a FAILURE of
 * the query shows), so that the caller can work, or read another
 * connection, while the server runs the query.
 */
bool		n2p_bolt_run_send(N2pBolt *b, const char *query, const N2pValue *params,
							  int64_t fetch_size, N2pError *err);

/*
 * The transaction's next query, queued behind the one streaming (which
 * must be pulled whole): its RUN and PULL {n: -1} are sent at once, so
 * the server starts it as soon as the current result is sent.  After the
 * current result's end (n2p_bolt_next returns 0), n2p_bolt_next reads the
 * queued query's records; a FAILURE of either shows there.
 */
bool		n2p_bolt_run_next(N2pBolt *b, const char *query, const N2pValue *params,
							  N2pError *err);

/*
 * The same with the parameters already encoded: params[0..len) is one
 * PackStream map (the import builds its batches row by row, in place).
 */
bool		n2p_bolt_run_packed(N2pBolt *b, const char *query, const void *params, size_t len,
								int64_t fetch_size, N2pError *err);

/*
 * The next record of the running query, as an N2P_LIST of its fields in
 * arena: 1 when one was read, 0 at the end of the result, -1 on error.
 */
int			n2p_bolt_next(N2pBolt *b, N2pArena *arena, N2pValue *fields, N2pError *err);

/*
 * ROUTE (Bolt 4.4+): the routing table of a database (NULL: the home
 * database), as the map {ttl, db, servers: [{addresses, role}]}, copied
 * into arena.  A connection made for neo4j:// sends its routing context.
 */
bool		n2p_bolt_route(N2pBolt *b, const char *database, N2pArena *arena, N2pValue *rt,
						   N2pError *err);

bool		n2p_bolt_commit(N2pBolt *b, N2pError *err);
bool		n2p_bolt_rollback(N2pBolt *b, N2pError *err);

/*
 * The server's error code of the last FAILURE ("Neo.ClientError...."), ""
 * when the last error was not one; for the CLI's explanations.
 */
const char *n2p_bolt_failure_code(const N2pBolt *b);

/* GOODBYE if the connection is still sound, then free. */
void		n2p_bolt_close(N2pBolt *b);

/* ---------------------------------------------------------- dechunking */

/*
 * The chunk reader on its own, so that it can be tested (and fuzzed) from
 * bytes: fed any split of the stream, it yields whole messages, skips
 * NOOP chunks, and refuses a message over its limit.
 */
typedef struct N2pDechunker
{
	N2pBuf		msg;			/* the message being gathered */
	size_t		max_message;
	int			state;			/* 0, 1: size bytes; 2: chunk body */
	size_t		chunk_left;
	uint8_t		size_hi;
	bool		failed;
} N2pDechunker;

void		n2p_dechunker_init(N2pDechunker *d, const N2pAllocator *alloc, size_t max_message);

/*
 * Consume bytes from data[0..len); *used gets how many.  Returns 1 when a
 * whole message is in d->msg (it stops right after it), 0 when it needs
 * more bytes, -1 on error (sticky).  The caller resets d->msg before the
 * next message.
 */
int			n2p_dechunker_feed(N2pDechunker *d, const uint8_t *data, size_t len, size_t *used,
							   N2pError *err);
void		n2p_dechunker_free(N2pDechunker *d);

/* Split one message into chunks of at most 65535 bytes, and the end mark. */
bool		n2p_bolt_chunk(N2pBuf *out, const void *msg, size_t len);

#endif							/* NEO2PG_BOLT_H */
