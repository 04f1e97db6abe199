/*-------------------------------------------------------------------------
 *
 * cli.h
 *	  Declarations shared by the neo2pg command-line program.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/cli/cli.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_CLI_H
#define NEO2PG_CLI_H

#include "neo2pg/stream.h"

#include <spawn.h>
#include <stdio.h>

/* Exit codes, documented in --help. */
#define EXIT_USAGE	2
#define EXIT_DATA	1

/* in log.c */
extern int	cli_verbosity;		/* -1 quiet, 0 normal, 1+ verbose */
extern const char *cli_progname;

void		log_error(const char *fmt,...) __attribute__((format(printf, 1, 2)));
void		log_info(const char *fmt,...) __attribute__((format(printf, 1, 2)));
void		log_verbose(const char *fmt,...) __attribute__((format(printf, 1, 2)));
void		log_n2p_error(const N2pError *err);

/*
 * Allocation for the CLI's own bookkeeping: out of memory ends the program,
 * as pg_dump's pg_malloc does.  The open transaction dies with the
 * connection, so the target is left as it was.  (The core never does this:
 * it reports N2P_ERR_NOMEM to its caller.)
 */
void		exit_out_of_memory(void) __attribute__((noreturn));
void	   *xcalloc(size_t n, size_t size);
void	   *xrealloc(void *ptr, size_t size);
char	   *xstrdup(const char *s);
char	   *xstrndup(const char *s, size_t n);
double		now_seconds(void);

/* One line of the summary table, as pgloader prints it. */
typedef struct PhaseStat
{
	const char *name;
	uint64_t	rows;
	uint64_t	bytes;
	uint64_t	rejected;
	double		seconds;
} PhaseStat;

typedef struct Progress
{
	bool		tty;
	double		phase_start;
	double		last_draw;
	N2pRecKind	phase;
	uint64_t	total_bytes[2];
	PhaseStat	stats[3];		/* nodes, relationships, indexes */
	int			nstats;
	int			step;			/* index phase: steps done and planned */
	int			nsteps;
} Progress;

void		progress_init(Progress *p, const N2pGraphMeta *meta);
void		progress_update(void *ctx, N2pRecKind phase, uint64_t rows, uint64_t bytes);
void		progress_phase_done(Progress *p, int idx);
void		progress_plan_steps(Progress *p, int nsteps);
void		progress_step(Progress *p, const char *what);
void		progress_summary(const Progress *p);

/* in pg_sink.c */
typedef enum TypedMode
{
	TYPED_NONE,
	TYPED_VIEWS,
	TYPED_TABLES
} TypedMode;

typedef struct PgSinkOptions
{
	const char *conninfo;
	const char *schema;
	bool		replace;
	bool		skip_dangling;
	const char *nul_replacement;
	TypedMode	typed;
	Progress   *progress;
	/* --lock-timeout in ms: -1 for the default (1 minute unless PGOPTIONS set one), 0 for none */
	long long	lock_timeout_ms;
} PgSinkOptions;

N2pSink    *pg_sink_open(const PgSinkOptions *opts, N2pError *err);
uint64_t	pg_sink_rejected(N2pSink *sink);

/* in local_pg.c: start (initialising if needed) the user's own cluster */
char	   *local_pg_conninfo(void);

/*
 * in pg_source.c: the neo2pg layout in SCHEMA (NULL: "neo4j") as a source;
 * a PostgreSQL URI (postgresql://, postgres://) or conninfo string ('=').
 */
bool		pg_is_conninfo(const char *spec);
N2pSource  *pg_source_open(const char *conninfo, const char *schema, N2pError *err);

/* false (a usage error) when src reads the very schema a PostgreSQL target would write */
bool		pg_source_check_target(N2pSource *src, const char *conninfo, const char *schema,
								   N2pError *err);

/*
 * in cmd_copy.c: a backup directory, a Neo4j URI or PostgreSQL (the layout
 * in cli_source_schema, NULL: "neo4j"); errors already logged
 */
struct Neo4jCliOptions;
extern const char *cli_source_schema;
N2pSource  *cli_open_source(const char *spec, const struct Neo4jCliOptions *neo, N2pError *err);

/* in backup_out.c: rm -r PATH (links not followed) */
void		remove_tree(const char *path);

/* in backup_out.c: write SOURCE as a backup directory */
typedef struct BackupCliOptions
{
	bool		compress;
	int			gzip_level;
	uint64_t	chunk_rows;
	bool		replace;
} BackupCliOptions;

int			copy_to_backup(N2pSource *src, const char *source, const char *dir,
						   const BackupCliOptions *opts);
int			copy_to_admin_csv(N2pSource *src, const char *dir);

/*
 * in interrupt.c: SIGINT, SIGTERM and SIGHUP are taken by a thread of their
 * own; while armed (a copy's sink, a verify) the first one sets a flag that
 * interrupt_check() reports, and the exit status is 128 + the signal.
 */
void		interrupt_init(void);
void		interrupt_arm(bool on);
int			interrupt_signal(void);
bool		interrupt_check(N2pError *err);
int			interrupt_exit_status(int rc);
void		interrupt_child_reset(void);
bool		interrupt_spawnattr(posix_spawnattr_t *attr);
/* n2p_stream_copy, armed, checking for a signal before each call of the sink */
bool		interrupt_stream_copy(N2pSource *src, N2pSink *sink, N2pProgressFn progress, void *ctx,
								  N2pError *err);
/* NEO2PG_TEST_FAULT=POINT:ACTION (stop, INT, TERM, KILL) acts here */
void		test_point(const char *name);

/* in cmd_*.c */
int			cmd_copy(int argc, char **argv);
int			cmd_inspect(int argc, char **argv);
int			cmd_verify(int argc, char **argv);

#endif							/* NEO2PG_CLI_H */
