/*-------------------------------------------------------------------------
 *
 * pg_util.h
 *	  libpq helpers shared by the PostgreSQL sink and the typed relations.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/cli/pg_util.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_PG_UTIL_H
#define NEO2PG_PG_UTIL_H

#include "neo2pg/common.h"

#include <libpq-fe.h>

/* Set err from a failed result (or the connection's message); false. */
bool		pg_error(PGconn *conn, N2pError *err, const char *what, const PGresult *res);

/*
 * Run exactly one statement that returns no rows.  PQexecParams refuses
 * several statements in one string, so a quoting mistake can never smuggle
 * a second one in.
 */
bool		pg_exec_one(PGconn *conn, const char *sql, N2pError *err);

/*
 * A COPY FROM STDIN is sent in pieces of 64 kB, less than a Unix socket's
 * buffer (about 208 kB): the server parses one piece while the client
 * encodes the next.  With 256 kB pieces the server had to wait for each
 * whole message and the two sides took turns; the load took twice as
 * long (bench/run.sh).
 */
#define PG_COPY_PIECE_BYTES (64 * 1024)

/* Run a finished COPY ... FROM STDIN statement; true once the server waits for data. */
bool		pg_copy_begin(PGconn *conn, const char *sql, const char *what, N2pError *err);

/* Send len bytes of COPY data (none: nothing to do). */
bool		pg_copy_put(PGconn *conn, const char *data, size_t len, const char *what,
						N2pError *err);

/* Send what b holds and empty it. */
static inline bool
pg_copy_send(PGconn *conn, N2pBuf *b, const char *what, N2pError *err)
{
	if (!pg_copy_put(conn, b->data, b->len, what, err))
		return false;
	n2p_buf_reset(b);
	return true;
}

/* The same once b holds a whole piece; the caller appends rows until then. */
static inline bool
pg_copy_piece(PGconn *conn, N2pBuf *b, const char *what, N2pError *err)
{
	return b->len < PG_COPY_PIECE_BYTES || pg_copy_send(conn, b, what, err);
}

/*
 * End a COPY FROM STDIN (aborting it with abort_reason when not NULL) and
 * drain every result, as psql's handleCopyIn does.  True only for a COPY
 * that completed.
 */
bool		pg_copy_finish(PGconn *conn, const char *abort_reason, const char *what,
						   N2pError *err);

/*
 * COMMIT, checking the command tag: an aborted transaction answers COMMIT
 * with ROLLBACK, which is no error to libpq.
 */
bool		pg_commit(PGconn *conn, const char *what, N2pError *err);

/*
 * Check what a connection with these keywords and values (as for
 * PQconnectdbParams) would use, the environment's PG* variables included,
 * before connecting.  libpq's messages quote the values of the options it
 * finds invalid (port, sslmode, connect_timeout, target_session_attrs,
 * hosts, ...), and a malformed target can put a password there
 * ("postgresql://u@h:SECRET/db"): so an error names the option, never its
 * value.  With expand_dbname, dbname is a URI or conninfo string; one
 * libpq cannot parse gets a fixed message.
 */
bool		pg_check_target(const char *const *keys, const char *const *vals, bool expand_dbname,
							N2pError *err);

/*
 * The statement this thread sends next, named by pg_error() when it waited
 * for a lock until lock_timeout (pg_exec_one notes its own).
 */
void		pg_note_sql(const char *sql);

/*
 * in interrupt.c: a signal cancels the statement conn runs (a slot, or -1);
 * unwatch before PQfinish
 */
int			interrupt_watch_pg(PGconn *conn);
void		interrupt_unwatch(int slot);

#endif							/* NEO2PG_PG_UTIL_H */
