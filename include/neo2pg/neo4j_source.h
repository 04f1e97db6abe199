/*-------------------------------------------------------------------------
 *
 * neo4j_source.h
 *	  A live Neo4j database as a source of the stream: nodes, then
 *	  relationships, read in one read transaction over Bolt, so that the
 *	  copy is a consistent snapshot.
 *
 * The source borrows its Bolt connections; the caller opens and closes
 * them.  Memory is bounded by one record and the offset cache: no id set,
 * and no end nodes with each relationship.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  include/neo2pg/neo4j_source.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_NEO4J_SOURCE_H
#define NEO2PG_NEO4J_SOURCE_H

#include "neo2pg/bolt.h"
#include "neo2pg/stream.h"
#include "neo2pg/tzdb.h"

typedef struct N2pNeo4jSourceOptions
{
	N2pBolt    *bolt;			/* the extraction's connection */
	/*
	 * A second connection, asked for the offset of each DateTime with a
	 * zone id (Bolt sends the instant and the zone, and the offset must be
	 * the one the server's own time-zone data gives).
	 */
	N2pBolt    *side;
	/*
	 * The host's tz database, for the offsets of instants from 1970 to
	 * 2100 in zones whose changes the server confirmed (docs/design.md,
	 * "Zone ids"); NULL to ask the server for every offset.
	 */
	N2pTzdb    *tzdb;
	const char *database;		/* NULL: the server's home database */
	const char *display;		/* the URI as shown in messages, no password */
	int64_t		fetch_size;		/* records per PULL; 0 for all in one */
} N2pNeo4jSourceOptions;

/*
 * Begin the read transaction and read the schema (constraints, indexes);
 * the records follow through the source's next().
 */
N2pSource  *n2p_neo4j_source_open(const N2pAllocator *alloc, const N2pNeo4jSourceOptions *opts,
								  N2pError *err);

/* How the source found its offsets, after the records were read. */
typedef struct N2pZoneStats
{
	uint64_t	local;			/* zoned values whose offset came from the tz database */
	uint64_t	asked;			/* instants asked of the server (checks included) */
	uint64_t	zones_local;	/* zones the server confirmed */
	uint64_t	zones_server;	/* zones asked of the server: unknown here, or differing */
	char		differ[256];	/* the names of zones whose data differ from the server's */
} N2pZoneStats;

/* src must be a source n2p_neo4j_source_open returned. */
void		n2p_neo4j_source_zone_stats(N2pSource *src, N2pZoneStats *out);

#endif							/* NEO2PG_NEO4J_SOURCE_H */
