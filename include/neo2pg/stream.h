/*-------------------------------------------------------------------------
 *
 * stream.h
 *	  The one stream every source produces and every sink consumes: graph
 *	  metadata, then all nodes, then all relationships.
 *
 * A source owns the arena its records live in and may reset it on the next
 * call to next(): a sink that needs a record longer must copy it.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  include/neo2pg/stream.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_STREAM_H
#define NEO2PG_STREAM_H

#include "neo2pg/value.h"

typedef enum N2pRecKind
{
	N2P_REC_NODE,
	N2P_REC_REL
} N2pRecKind;

typedef struct N2pRecord
{
	N2pRecKind	kind;
	int64_t		id;
	/* nodes */
	N2pStr	   *labels;
	size_t		nlabels;
	/* relationships */
	N2pStr		type;
	int64_t		start_id;
	int64_t		end_id;
	/* both: an N2P_MAP whose values are never N2P_NULL or N2P_MAP */
	N2pValue	props;
	/* where it came from, for error messages; may be NULL */
	const char *origin;
	/* Neo4j's element id, from a live database; len 0 from a backup */
	N2pStr		element_id;
} N2pRecord;

/*
 * A constraint or index of the source database that the layout does not
 * express (all but single-key uniqueness), kept to be recorded.
 */
typedef struct N2pSchemaItem
{
	const char *kind;			/* "constraint" or "index" */
	char	   *name;
	char	   *type;			/* as Neo4j names it: "RANGE", "NODE_KEY" ... */
	char	   *create;			/* the statement that recreates it */
	/* what it covers; entity is NULL when not recorded (older files) */
	char	   *entity;			/* "NODE" or "RELATIONSHIP" */
	char	  **tokens;			/* labels or relationship types */
	size_t		ntokens;
	char	  **props;			/* property keys, in order */
	size_t		nprops;
} N2pSchemaItem;

typedef struct N2pConstraint
{
	char	   *label;
	char	   *prop;
	char	   *name;
} N2pConstraint;

/*
 * What a source knows about the graph as a whole.  Strings are owned by
 * the source and live until it is closed.  Lists may be empty when the
 * source does not know them up front.
 */
typedef struct N2pGraphMeta
{
	const char *source;			/* path or URI as given, no password */
	const char *db_id;			/* may be NULL */
	const char *unique_prop_key;	/* may be NULL */
	N2pConstraint *constraints;
	size_t		nconstraints;
	char	  **property_keys;
	size_t		nproperty_keys;
	char	  **label_sets;
	size_t		nlabel_sets;
	char	  **rel_types;
	size_t		nrel_types;
	N2pSchemaItem *schema;		/* constraints and indexes, live sources only */
	size_t		nschema;
	bool		element_ids;	/* every record carries Neo4j's element id */
	bool		zone_ids;		/* DateTimes may carry zone ids */
	/* on-disk bytes of each phase, 0 when unknown (progress ETA) */
	uint64_t	node_bytes;
	uint64_t	rel_bytes;
	/* those are bytes received, known once each phase is read (Neo4j, PostgreSQL) */
	bool		wire_bytes;
} N2pGraphMeta;

typedef struct N2pSource N2pSource;

typedef struct N2pSourceOps
{
	/* 1: *rec filled; 0: end of stream; -1: error */
	int			(*next) (N2pSource *src, N2pRecord *rec, N2pError *err);
	/* on-disk bytes consumed so far in the current phase */
	uint64_t	(*bytes_done) (N2pSource *src);
	void		(*close) (N2pSource *src);
} N2pSourceOps;

struct N2pSource
{
	const N2pSourceOps *ops;
	N2pGraphMeta meta;
};

typedef struct N2pSink N2pSink;

typedef struct N2pSinkOps
{
	bool		(*begin) (N2pSink *sink, const N2pGraphMeta *meta, N2pError *err);
	bool		(*write) (N2pSink *sink, const N2pRecord *rec, N2pError *err);
	/* all records written: build indexes, check constraints, commit */
	bool		(*finish) (N2pSink *sink, N2pError *err);
	/* undo everything begin() and write() did; safe after any failure */
	void		(*abort) (N2pSink *sink);
	void		(*close) (N2pSink *sink);
} N2pSinkOps;

struct N2pSink
{
	const N2pSinkOps *ops;
};

/* Called every few thousand records and at each phase change. */
typedef void (*N2pProgressFn) (void *ctx, N2pRecKind phase, uint64_t rows,
							   uint64_t bytes_done);

/*
 * Pump every record of src into sink.  On any failure the sink is aborted,
 * so the target is left as it was, and false is returned with err set.
 */
bool		n2p_stream_copy(N2pSource *src, N2pSink *sink, N2pProgressFn progress,
							void *progress_ctx, N2pError *err);

#endif							/* NEO2PG_STREAM_H */
