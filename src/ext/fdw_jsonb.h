/*-------------------------------------------------------------------------
 *
 * fdw_jsonb.h
 *	  jsonb built from the core's values, without JSON text (fdw_jsonb.c).
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/ext/fdw_jsonb.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_EXT_FDW_JSONB_H
#define NEO2PG_EXT_FDW_JSONB_H

#include "postgres.h"

#include "neo2pg/pgcopy.h"

/*
 * A record's props (storable keys) as the load's props and prop_types
 * jsonb, in CurrentMemoryContext; *types_null when no key needs a mark.
 * False when the row must take the text path (n2p_copy_record), which
 * gives the load's value or the load's error: nothing is reported here.
 */
bool		n2p_fdw_props_jsonb(const N2pValue *props, N2pBuf *scratch, N2pPgEncodeOpts *opts,
								Datum *out, Datum *types, bool *types_null);

/* One value as a typed jsonb column holds it; false as above. */
bool		n2p_fdw_value_jsonb(const N2pValue *v, N2pBuf *scratch, N2pPgEncodeOpts *opts,
								Datum *out);

#endif							/* NEO2PG_EXT_FDW_JSONB_H */
