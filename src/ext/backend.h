/*-------------------------------------------------------------------------
 *
 * backend.h
 *	  The core library's hooks filled by a PostgreSQL backend: allocation
 *	  from a memory context, file I/O through the backend's own file
 *	  handling, and an N2pError as an ERROR.
 *
 * Everything the core holds is then released by the backend whatever
 * happens: memory with its context, descriptors (transient and temporary
 * files, directories) at the end of the transaction, so an ERROR or a
 * cancel thrown from inside the core (palloc, CHECK_FOR_INTERRUPTS in a
 * read) leaks nothing.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/ext/backend.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_EXT_BACKEND_H
#define NEO2PG_EXT_BACKEND_H

#include "postgres.h"

#include "utils/memutils.h"

#include "neo2pg/common.h"
#include "neo2pg/io.h"

/*
 * An allocator on cxt: huge allocations allowed, NULL (hence the core's
 * N2P_ERR_NOMEM) when out of memory.  The core frees what it allocates;
 * what it leaves behind on an ERROR goes with cxt.
 */
void		n2p_ext_allocator(N2pAllocator *a, MemoryContext cxt);

/*
 * The backend's I/O table.  Input files are OpenTransientFile'd and their
 * reads check for interrupts, so a scan of one huge chunk stops on a
 * cancel; temporary files are OpenTemporaryFile's; directories are
 * AllocateDir's.  Handles are palloc'd in CurrentMemoryContext at open.
 */
extern const N2pFileIO n2p_ext_io;

/*
 * Throw err as an ERROR: its class as the SQLSTATE, its message, a
 * DETAIL naming the file, the row, the key and the byte offset that
 * apply, and hint as the HINT when not NULL.
 */
pg_attribute_noreturn() void n2p_ext_report(const N2pError *err, const char *hint);

/*
 * The same for input that is not a file (a function's argument): the
 * DETAIL starts with "In <where>" (e.g. "In hash_props, byte offset 7.").
 */
pg_attribute_noreturn() void n2p_ext_report_in(const N2pError *err, const char *where,
											   const char *hint);

/* The SQLSTATE for an error class. */
int			n2p_ext_sqlstate(N2pErrCode code);

#endif							/* NEO2PG_EXT_BACKEND_H */
