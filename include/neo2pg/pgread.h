/*-------------------------------------------------------------------------
 *
 * pgread.h
 *	  Reading the neo2pg layout back: rows of nodes and relationships, as
 *	  COPY ... TO STDOUT (FORMAT binary) sends them, into records whose
 *	  values have their exact Neo4j types again (props and prop_types, see
 *	  docs/design.md, "Values in props").
 *
 * Users edit the layout with SQL, so nothing in a row is trusted: a value
 * that no longer parses as the type prop_types gives it, an entry for a
 * key props lacks, an unknown type, a JSON null or object where Neo4j has
 * none, a NULL or empty label, are errors naming the row and the key,
 * never values read some other way.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  include/neo2pg/pgread.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_PGREAD_H
#define NEO2PG_PGREAD_H

#include "neo2pg/stream.h"

typedef struct N2pPgReader N2pPgReader;

N2pPgReader *n2p_pg_reader_new(const N2pAllocator *alloc, N2pError *err);
void		n2p_pg_reader_free(N2pPgReader *r);

/*
 * A property map from the JSON text of props and of prop_types (NULL for
 * SQL NULL; a JSON null means the same), as jsonb prints them, into arena.
 */
bool		n2p_pg_props_parse(N2pPgReader *r, const char *props, size_t plen,
							   const char *types, size_t tlen, N2pArena *arena,
							   N2pValue *out, N2pError *err);

/*
 * One CopyData message of a binary COPY of
 *	 nodes(id, labels, props, prop_types [, element_id]) or
 *	 relationships(id, type, start_id, end_id, props, prop_types [, element_id]):
 * one tuple, the first one preceded by the file header, or the trailer.
 * Returns 1 with *rec filled (its names point into data, its values into
 * arena), 0 for the trailer, -1 on error, with the row named when its id
 * could be read.
 */
int			n2p_pg_read_tuple(N2pPgReader *r, N2pRecKind kind, bool element_id,
							  const char *data, size_t len, N2pArena *arena,
							  N2pRecord *rec, N2pError *err);

#endif							/* NEO2PG_PGREAD_H */
