/*-------------------------------------------------------------------------
 *
 * pg_owned.h
 *	  What a load created in the target schema: recorded in load_info,
 *	  marked with a comment, and the only thing --replace ever drops.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/cli/pg_owned.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_PG_OWNED_H
#define NEO2PG_PG_OWNED_H

#include "neo2pg/common.h"

#include <libpq-fe.h>

/*
 * In the load's transaction, before anything is created: find the graph an
 * earlier load left in the schema.  Without replace that is an error that
 * suggests --replace; with it, drop exactly that load's objects (no
 * CASCADE: an object of the user's that depends on one of them fails the
 * load, naming it).  Then any object that holds a name the load needs is
 * not neo2pg's: an error that never suggests --replace.  typed: the load
 * creates the catalog, the n2p_try_* functions and the point type too.
 */
bool		pg_owned_prepare(PGconn *conn, const char *schema, const char *qschema, bool typed,
							 bool replace, N2pError *err);

/*
 * In the load's transaction, once everything is created and load_info is
 * filled: record every relation, index, type and function the load made in
 * load_info (keys load_id and objects) and mark each with a comment that
 * carries the load's id.
 */
bool		pg_owned_record(PGconn *conn, const char *schema, const char *qschema, bool typed,
							N2pError *err);

#endif							/* NEO2PG_PG_OWNED_H */
