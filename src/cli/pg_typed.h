/*-------------------------------------------------------------------------
 *
 * pg_typed.h
 *	  Typed views and the catalog table (pg_typed.c).
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/cli/pg_typed.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_PG_TYPED_H
#define NEO2PG_PG_TYPED_H

#include "cli.h"
#include "neo2pg/catalog.h"
#include "neo2pg/pgcopy.h"
#include "neo2pg/pgplan.h"
#include "neo2pg/spill.h"

#include <libpq-fe.h>

typedef struct TypedTarget
{
	N2pPgTarget pg;				/* what the plan and its DDL need */
	const char *schema;			/* the target schema, as given */
	N2pPgEncodeOpts *enc;		/* U+0000 handling, as for the base tables */
	Progress   *progress;
} TypedTarget;

/*
 * Create the n2p_try_* cast functions, the point type (without PostGIS),
 * the catalog table and one view per label and relationship type.
 */
bool		pg_typed_create(PGconn *conn, const TypedTarget *t, N2pCatalog *cat,
							N2pError *err);

/*
 * --typed=tables: the same names and columns as the views, as tables
 * filled by COPY from the records spilled during the load, with primary
 * keys, foreign keys to the node ids and the uniqueness constraints.
 */
typedef struct TypedSpills TypedSpills;

/*
 * Where records wait for their typed tables: one temporary file per label
 * and relationship type (up to a limit; the rest share one), so that each
 * table can be streamed with a COPY of its own.
 */
TypedSpills *typed_spills_new(N2pError *err);
bool		typed_spills_write(TypedSpills *ts, const N2pRecord *rec, N2pError *err);
void		typed_spills_free(TypedSpills *ts);

/*
 * Building the typed tables, in three calls around the base keys:
 * - start, once the base COPY is done (the plan reserves the names the base
 *   keys will take).  With conn2, a second connection to the same database
 *   that the job then owns, a thread fills and keys the tables in a staging
 *   schema meanwhile.
 * - adopt_ready, between the base steps once the base foreign keys are
 *   checked: adopt, without waiting, the tables the thread has committed.
 * - finish, in the load's transaction after the base keys: adopt the staged
 *   tables (or build them here), write the catalog, add the foreign keys.
 * - end, once the load's transaction is over: committed says how.
 */
typedef struct TypedTablesJob TypedTablesJob;

TypedTablesJob *pg_typed_tables_start(PGconn *conn, const TypedTarget *t, N2pCatalog *cat,
									  TypedSpills *spills, PGconn *conn2, N2pError *err);
bool		pg_typed_tables_adopt_ready(TypedTablesJob *job, PGconn *conn, bool pruned_rels,
										N2pError *err);
bool		pg_typed_tables_finish(TypedTablesJob *job, PGconn *conn, bool pruned_rels,
								   N2pError *err);
void		pg_typed_tables_end(TypedTablesJob *job, bool committed);

#endif							/* NEO2PG_PG_TYPED_H */
