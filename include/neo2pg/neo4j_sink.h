/*-------------------------------------------------------------------------
 *
 * neo4j_sink.h
 *	  A live Neo4j database as the target of the stream: nodes, then
 *	  relationships, written as native PackStream values by batched,
 *	  parameterised UNWIND queries in explicit write transactions.
 *
 * Every node of an import carries a temporary label (named after the
 * import's tag) and a temporary id property, under one temporary
 * uniqueness constraint, so that relationships find their end nodes
 * through an index.  A marker node records the import's state.  An import
 * that is interrupted (killed, or its connection lost) is rolled back by
 * the next one: see n2p_neo4j_sink_open and docs/design.md.
 *
 * The sink borrows its Bolt connection; the caller opens and closes it.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  include/neo2pg/neo4j_sink.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_NEO4J_SINK_H
#define NEO2PG_NEO4J_SINK_H

#include "neo2pg/bolt.h"
#include "neo2pg/stream.h"

/* Every name neo2pg gives a temporary object starts with this. */
#define N2P_NEO4J_TMP_PREFIX "neo2pg_import_"
/*
 * The import lock: a uniqueness constraint on this label and key, named
 * N2P_NEO4J_LOCK_PREFIX and its holder (pid, host, start, Bolt connection).
 * A second CREATE of the same schema fails, whatever its name.
 */
#define N2P_NEO4J_LOCK_LABEL "neo2pg_lock"
#define N2P_NEO4J_LOCK_PREFIX "neo2pg_lock "
/* The temporary id property (one fixed key: keys are never freed). */
#define N2P_NEO4J_TMP_ID "neo2pg_import_id"

/* Something the sink wants the user to know; err names row and key. */
typedef void (*N2pNeo4jNoticeFn) (void *ctx, const N2pError *notice);

typedef struct N2pNeo4jSinkOptions
{
	N2pBolt    *bolt;
	const char *database;		/* NULL: the server's home database */
	const char *display;		/* the target URI as shown, no password */
	const char *source;			/* the source as shown, recorded in the marker */
	/* makes the temporary names unique to this import: [A-Za-z0-9_] */
	const char *tag;
	bool		append;			/* the target need not be empty */
	size_t		batch_rows;		/* rows per transaction; 0 for the default */
	/* values the server would change, and interrupted imports cleaned up */
	N2pNeo4jNoticeFn notice;
	void	   *notice_ctx;
	/*
	 * Skip a record holding a value the server refuses, and a relationship
	 * whose end node was skipped, instead of failing: each is passed to
	 * skipped (with notice_ctx), naming its row and key.
	 */
	bool		skip_refused;
	N2pNeo4jNoticeFn skipped;
	/* the steps after the last record (constraints, cleanup) */
	void		(*step) (void *ctx, const char *what);
	void	   *step_ctx;

	/*
	 * Called (with step_ctx) between the transactions of the leftovers'
	 * cleanup and of the final cleanup, where names the place: false (err
	 * set) stops there, leaving what a rerun resumes.  NULL: never stops.
	 */
	bool		(*check) (void *ctx, const char *where, N2pError *err);

	/*
	 * The import lock (one import per database): who this run is, for
	 * another run's message, and whether a process of this host is alive
	 * (1), gone (0) or unknown (-1), to tell a dead holder from a live one.
	 */
	long		pid;
	const char *host;			/* [A-Za-z0-9.-], at most 64 bytes */
	const char *since;			/* the run's start, ISO 8601 UTC */
	int			(*pid_alive) (void *ctx, long pid);
} N2pNeo4jSinkOptions;

/*
 * Clean up what interrupted imports left behind (delete their nodes, or
 * finish one that had written everything), check that the target is
 * empty (unless append), create the temporary constraint and marker.
 * Nothing is changed before begin() but that cleanup.
 */
N2pSink    *n2p_neo4j_sink_open(const N2pAllocator *alloc, const N2pNeo4jSinkOptions *opts,
								N2pError *err);

/* After an abort: did it remove everything the import had written? */
bool		n2p_neo4j_sink_rolled_back(N2pSink *sink);

/* Was every record written (and only the cleanup left) when it stopped? */
bool		n2p_neo4j_sink_finishing(N2pSink *sink);

/*
 * Did open() find an interrupted import of the same source that had
 * written everything, and finish it?  Then there is nothing left to do.
 */
bool		n2p_neo4j_sink_previous_done(N2pSink *sink);

/* Nodes and relationships written so far. */
void		n2p_neo4j_sink_counts(N2pSink *sink, uint64_t *nodes, uint64_t *rels);

/* The records skip_refused skipped. */
void		n2p_neo4j_sink_skipped(N2pSink *sink, uint64_t *nodes, uint64_t *rels);

/*
 * Would Neo4j 5.26 store this property value as it is?
 *	 0: yes;
 *	 1: it would store something else (a WGS-84 longitude beyond +-180 is
 *		wrapped, a list of integers and floats becomes floats): err says
 *		what;
 *	-1: it refuses it (NaN or infinite coordinates, a latitude beyond +-90,
 *		a list of mixed types or coordinate systems, a duration whose
 *		months overflow, a Time or DateTime offset beyond +-18:00, a year
 *		beyond +-999,999,999, a nested list, a null in a list): err says
 *		why.
 * The key is not set: the caller knows it.  verify uses the same rules.
 */
int			n2p_neo4j_check_value(const N2pValue *v, N2pError *err);

/* The same for a whole record: names (labels, type, keys) and values. */
int			n2p_neo4j_check_record(const N2pRecord *rec, N2pError *err);

#endif							/* NEO2PG_NEO4J_SINK_H */
