/*-------------------------------------------------------------------------
 *
 * backup.h
 *	  The neo4j-backup directory format as a stream source.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  include/neo2pg/backup.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_BACKUP_H
#define NEO2PG_BACKUP_H

#include "neo2pg/io.h"
#include "neo2pg/stream.h"

/*
 * Open a backup directory.  Metadata files are read at once; chunk files
 * are streamed, nodes first, each kind in the numeric order of the
 * counter in its file name.  Row values come out with literal strings
 * turned into temporal/spatial values and hash_props resolved (digests
 * checked).
 */
N2pSource  *n2p_backup_open(const char *dir, const N2pAllocator *alloc,
							N2pError *err);

/*
 * The same with the files read and the directory listed through io.
 * n2p_backup_open (src/core/posix_io.c) passes n2p_posix_io.
 */
N2pSource  *n2p_backup_open_io(const char *dir, const N2pFileIO *io,
							   const N2pAllocator *alloc, N2pError *err);

/*
 * Is hex the lower-case hex SHA-256 of data?  This is how hash_props
 * entries are checked: the property holds the digest of the original.
 */
bool		n2p_sha256_hex_matches(const char *data, size_t len, N2pStr hex);

/*
 * The chunk files of one kind, in the order they are read: how many, and
 * file i's name (relative to the backup directory) and on-disk size.
 * Only for a source n2p_backup_open_io made (else 0 and false).
 */
size_t		n2p_backup_nfiles(const N2pSource *src, N2pRecKind kind);
bool		n2p_backup_file(const N2pSource *src, N2pRecKind kind, size_t i, const char **name,
							uint64_t *size);

/*
 * Before the first next(): stream only files [first, first + n) of kind,
 * and nothing of the other kind (a foreign table reads only its own
 * files; parallel workers split them).  The metadata has been read.
 * False when src is not a backup source or has started.
 */
bool		n2p_backup_select(N2pSource *src, N2pRecKind kind, size_t first, size_t n);

/*
 * A row's node_props or rel_props (a map, changed in place) with its
 * hash_props (a map, or NULL) made into the values the load stores: each
 * hash_props key's digest checked and its original string put back,
 * literal strings parsed (lists only when every element is a literal of
 * one type), null and map values and empty keys refused.  Parsed values
 * go into arena.  An error names the key; the caller names the file and
 * the row.  The backup reader and the extension's SQL functions share it.
 */
bool		n2p_backup_convert_props(N2pValue *props, const N2pValue *hash, N2pArena *arena,
									 N2pError *err);

#endif							/* NEO2PG_BACKUP_H */
