/*-------------------------------------------------------------------------
 *
 * backup_writer.h
 *	  A sink that writes a neo4j-backup directory, in the Python tool's
 *	  exact form, plus neo2pg's own files for what that form cannot say.
 *
 * The directory is written under a temporary name and renamed into place
 * by finish(): a failed or interrupted write never leaves a directory
 * under the target name.  File I/O comes from the caller (N2pOutputIo), so
 * the core opens no file itself.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  include/neo2pg/backup_writer.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_BACKUP_WRITER_H
#define NEO2PG_BACKUP_WRITER_H

#include "neo2pg/stream.h"

/*
 * Output file operations.  Each reports its failure in err, naming the
 * path; file handles are opaque to the writer.
 */
typedef struct N2pOutputIo
{
	/* create a new file (it must not exist) for writing */
	void	   *(*open) (void *ctx, const char *path, N2pError *err);
	bool		(*write) (void *ctx, void *file, const void *data, size_t len,
						  N2pError *err);
	/* flush and close; false when data may not have reached the file */
	bool		(*close) (void *ctx, void *file, N2pError *err);
	bool		(*mkdir) (void *ctx, const char *path, N2pError *err);
	/* rename(2): replaces an empty directory, fails on a non-empty one */
	bool		(*rename) (void *ctx, const char *from, const char *to, N2pError *err);
	/* remove a tree the writer made; best effort, for cleaning up */
	void		(*remove_tree) (void *ctx, const char *path);
	void	   *ctx;
} N2pOutputIo;

typedef struct N2pBackupWriterOptions
{
	const char *dir;			/* the target, which appears at finish() */
	const char *tmp_dir;		/* written until then; beside dir, not existing */
	/*
	 * When set, dir exists and is replaced: finish() renames it to
	 * old_dir, puts the new tree in place, then removes old_dir.
	 */
	const char *old_dir;
	const N2pOutputIo *io;
	bool		compress;		/* gzip'd chunks (the tool's default) */
	int			gzip_level;		/* 1..9; the tool uses 9 */
	uint64_t	chunk_rows;		/* rows per chunk file */
	int			indent;			/* json.dumps indent of chunks; the tool's is 0 */
} N2pBackupWriterOptions;

/* The Python tool's chunk size, as its file names show it. */
#define N2P_BACKUP_CHUNK_ROWS 8185

N2pSink    *n2p_backup_writer_open(const N2pBackupWriterOptions *opts,
								   const N2pAllocator *alloc, N2pError *err);

/* Rows and bytes written so far (uncompressed JSON, on-disk), for a summary. */
void		n2p_backup_writer_stats(N2pSink *sink, uint64_t *files,
									uint64_t *disk_bytes, uint64_t *exact_rows);

#endif							/* NEO2PG_BACKUP_WRITER_H */
