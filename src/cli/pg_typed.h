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
#include "neo2pg/spill.h"

#include <libpq-fe.h>

typedef struct TypedTarget
{
	const char *qschema;		/* quoted target schema */
	const char *schema;			/* the same, as given */
	const char *postgis_schema; /* quoted schema of PostGIS, NULL without */
	char		point_type[160];	/* qualified composite used without PostGIS */
	bool		tables;			/* --typed=tables: tables instead of views */
	const N2pGraphMeta *meta;	/* uniqueness constraints */
	N2pPgEncodeOpts *enc;		/* U+0000 handling, as for the base tables */
	Progress   *progress;
	bool		pruned_rels;	/* relationships were skipped (--skip-dangling) */
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

bool		pg_typed_tables_create(PGconn *conn, const TypedTarget *t, N2pCatalog *cat,
								   TypedSpills *spills, N2pError *err);

#endif							/* NEO2PG_PG_TYPED_H */
