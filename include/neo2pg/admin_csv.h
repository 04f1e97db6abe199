/*-------------------------------------------------------------------------
 *
 * admin_csv.h
 *	  A sink that writes the CSV files and headers that
 *	  `neo4j-admin database import full` reads, and import.sh, the command
 *	  line that imports them.
 *
 * One data file per label set (nodes) and per type (relationships), spilled
 * as rows come; its header, which needs every key's type, is written
 * separately at finish(), since the import tool takes a header file
 * followed by data files.  Everything is written under a temporary
 * directory renamed into place by finish(), through the caller's
 * N2pOutputIo, as the backup writer does.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  include/neo2pg/admin_csv.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_ADMIN_CSV_H
#define NEO2PG_ADMIN_CSV_H

#include "neo2pg/backup_writer.h"

/* Between array elements (and labels): U+001F, which text rarely holds. */
#define N2P_ADMIN_ARRAY_DELIM '\x1f'

/* More label sets and types than this are refused: one open file each. */
#define N2P_ADMIN_MAX_GROUPS 512

typedef struct N2pAdminCsvOptions
{
	const char *dir;			/* the target, which appears at finish() */
	const char *tmp_dir;		/* written until then; beside dir, not existing */
	const N2pOutputIo *io;
} N2pAdminCsvOptions;

N2pSink    *n2p_admin_csv_open(const N2pAdminCsvOptions *opts, const N2pAllocator *alloc,
							   N2pError *err);

/*
 * After finish(): the keys whose types differed between rows of one label
 * set or type and that became string columns, one "label set: key" per
 * line (NUL-terminated, "" when none), and the number of files written.
 */
const char *n2p_admin_csv_mixed_keys(N2pSink *sink);
uint64_t	n2p_admin_csv_files(N2pSink *sink);

#endif							/* NEO2PG_ADMIN_CSV_H */
