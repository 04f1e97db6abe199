/*-------------------------------------------------------------------------
 *
 * typed_int.h
 *	  What the text and binary encoders of typed columns share, so that
 *	  both refuse the same values and write the same strings.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/pg/typed_int.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_PGTYPED_INT_H
#define NEO2PG_PGTYPED_INT_H

#include "neo2pg/pgcopy.h"

/*
 * Can a typed column hold this scalar?  n2p_pg_castable(), and points need
 * finite coordinates, z included (it is 0 for 2-D points).
 */
bool		n2p_typed_holds(const N2pValue *v);

/*
 * Append a string for a text column.  U+0000 becomes opts' replacement,
 * uncounted: the same value went into props, where it was counted.
 * Without a replacement it is an error.
 */
bool		n2p_typed_append_string(N2pBuf *b, N2pStr s, const N2pPgEncodeOpts *opts,
									N2pError *err);

#endif							/* NEO2PG_PGTYPED_INT_H */
