/*-------------------------------------------------------------------------
 *
 * pg_typed_plan.h
 *	  What pg_typed.c runs for the plan of src/pg/plan.c and shares with
 *	  pg_typed_tables.c.  Private to the CLI.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/cli/pg_typed_plan.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_PG_TYPED_PLAN_H
#define NEO2PG_PG_TYPED_PLAN_H

#include "pg_typed.h"
#include "neo2pg/pgplan.h"

/* Names the schema already uses: relations, indexes and types share them. */
bool		typed_taken_names(PGconn *conn, const TypedTarget *t, N2pNameSet *out, N2pError *err);

/* The plan (src/pg/plan.c); says which relations lost columns to the limits. */
bool		typed_plan_build(N2pPgPlan *p, N2pCatalog *cat, const TypedTarget *t,
							 const N2pNameSet *taken, N2pError *err);

/* The n2p_try_* cast functions and, without PostGIS, the point type. */
bool		typed_create_helpers(PGconn *conn, const TypedTarget *t, N2pBuf *b, N2pError *err);

/* The catalog table: every entry, with the relation and column it ended in. */
bool		typed_write_catalog(PGconn *conn, const TypedTarget *t, const N2pPgPlan *p,
								N2pError *err);

#endif							/* NEO2PG_PG_TYPED_PLAN_H */
