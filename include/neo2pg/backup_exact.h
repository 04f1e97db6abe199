/*-------------------------------------------------------------------------
 *
 * backup_exact.h
 *	  neo2pg's own files beside a backup's chunks: what the Python tool's
 *	  format cannot say (zone ids, byte arrays, lists of strings that read
 *	  as literals, label order, element ids), written by the backup writer
 *	  and restored by the backup reader.
 *
 * BACKUP/neo2pg/graph.json holds what the source knew of the graph as a
 * whole; BACKUP/neo2pg/<chunk file name> holds, for the rows of
 * BACKUP/data/<chunk file name> that need it, in the chunk's order:
 *	 {"id": 5, "element_id": "4:...:5", "labels": ["B", "A"],
 *	  "props": {"k": {"bytes": "0001"}, "z": {"datetime": "...[Europe/Paris]"}}}
 * Each member but "id" is present only when needed.  An exact value is an
 * object with one member named after its type ("bytes": hex digits,
 * "datetime": ISO 8601 text with its zone, "string": the text), whose
 * value is a string, or a list of strings for a list property.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  include/neo2pg/backup_exact.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_BACKUP_EXACT_H
#define NEO2PG_BACKUP_EXACT_H

#include "neo2pg/io.h"
#include "neo2pg/stream.h"

/* The folder of the files, beside data/ (the Python importer reads data/ only). */
#define N2P_EXACT_DIR "neo2pg"
#define N2P_EXACT_GRAPH "neo2pg/graph.json"

typedef struct N2pExactReader N2pExactReader;

/*
 * Read BACKUP/neo2pg/graph.json into meta (element_ids, zone_ids, schema),
 * strings in arena.  A backup without it is left as it is.
 */
bool		n2p_exact_read_graph(const char *dir, const N2pFileIO *io, N2pGraphMeta *meta,
								 N2pArena *arena, const N2pAllocator *alloc, N2pError *err);

/*
 * The exact values of chunk `name` ("data/nodes_8185.json.gz"), read
 * through io, or NULL:
 * with err unset when the chunk has none and need_all is false.  need_all
 * (the graph has element ids) makes every row need an entry.
 */
N2pExactReader *n2p_exact_open(const char *dir, const N2pFileIO *io, const char *name,
							   bool gzip, bool need_all, const N2pAllocator *alloc,
							   N2pError *err);

/*
 * Put back the exact values of rec, if the file has an entry for it.
 * The values live until the next call.
 */
bool		n2p_exact_apply(N2pExactReader *x, N2pRecord *rec, N2pError *err);

/* At the end of the chunk: false when an entry matched no row. */
bool		n2p_exact_end(N2pExactReader *x, N2pError *err);

void		n2p_exact_close(N2pExactReader *x);

#endif							/* NEO2PG_BACKUP_EXACT_H */
