/*-------------------------------------------------------------------------
 *
 * fdw.h
 *	  The neo2pg foreign data wrapper: what its files share.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/ext/fdw.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_EXT_FDW_H
#define NEO2PG_EXT_FDW_H

#include "postgres.h"

#include "nodes/parsenodes.h"

#include "neo2pg/stream.h"

/* The server's backup directory; an ERROR when it has none. */
char	   *n2p_fdw_server_path(Oid serverid);

/*
 * Open the backup at path in CurrentMemoryContext through the backend's
 * I/O table; an ERROR (file and row in its DETAIL) when it cannot be.
 */
N2pSource  *n2p_fdw_open(const char *path, N2pAllocator *alloc);

/* IMPORT FOREIGN SCHEMA neo4j (fdw_import.c). */
List	   *n2p_fdw_import(ImportForeignSchemaStmt *stmt, Oid serverOid);

#endif							/* NEO2PG_EXT_FDW_H */
