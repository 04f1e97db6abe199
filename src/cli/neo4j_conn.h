/*-------------------------------------------------------------------------
 *
 * neo4j_conn.h
 *	  Neo4j URIs, and the CLI's transport for the core's Bolt client: TCP,
 *	  or TLS through OpenSSL.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/cli/neo4j_conn.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_NEO4J_CONN_H
#define NEO2PG_NEO4J_CONN_H

#include "neo2pg/bolt.h"
#include "neo2pg/stream.h"

typedef enum Neo4jTls
{
	NEO4J_TLS_NONE,
	NEO4J_TLS_VERIFY,			/* +s: system trust store and host name */
	NEO4J_TLS_SELF_SIGNED		/* +ssc: any certificate */
} Neo4jTls;

typedef struct Neo4jUri
{
	char		host[256];
	char		port[16];
	Neo4jTls	tls;
	bool		routing;		/* neo4j:// */
} Neo4jUri;

/* Is this argument a Neo4j URI (bolt://, neo4j://, with +s or +ssc)? */
bool		neo4j_is_uri(const char *arg);

/*
 * Parse a URI; on failure returns false with a message that quotes no part
 * of the URI (it may hold a password in its user part).
 */
bool		neo4j_uri_parse(const char *arg, Neo4jUri *uri, N2pError *err);

typedef struct Neo4jConn Neo4jConn;

/* Connect (and, for +s/+ssc, handshake TLS); fills io for the Bolt client. */
Neo4jConn  *neo4j_conn_open(const Neo4jUri *uri, N2pBoltIo *io, N2pError *err);
void		neo4j_conn_close(Neo4jConn *c);

/* How the CLI reaches Neo4j: --user, --database, and (tests) one version. */
typedef struct Neo4jCliOptions
{
	const char *user;			/* NULL: NEO4J_USERNAME, else "neo4j" */
	const char *database;		/* NULL: the server's home database */
	int			bolt_version;	/* 0: negotiate; else offer only this one */
	bool		zone_offsets_server;	/* --zone-offsets=server: no tz database */
} Neo4jCliOptions;

/* --zone-offsets=host|server into o; false (and a message) otherwise. */
bool		neo4j_cli_zone_offsets(const char *arg, Neo4jCliOptions *o);

/*
 * Open a Neo4j URI as a source: two connections (the extraction and the
 * zone-offset lookups), the password from NEO4J_PASSWORD or a prompt on
 * the terminal, never from the command line.  Closing the source closes
 * them.  Errors get a line of explanation for the usual causes.
 */
N2pSource  *neo4j_cli_source_open(const char *uri_text, const Neo4jCliOptions *opts, N2pError *err);

/* The CLI's connections, shared by the source and the sink. */
typedef struct Neo4jLink
{
	Neo4jConn  *conn;
	N2pBolt    *bolt;
} Neo4jLink;

/* The password from NEO4J_PASSWORD, else asked on the terminal; malloc'd. */
char	   *neo4j_cli_password(N2pError *err);
bool		neo4j_cli_link_open(Neo4jLink *l, const Neo4jUri *uri, const Neo4jCliOptions *o,
								const char *password, N2pError *err);
void		neo4j_cli_link_close(Neo4jLink *l);

/* neo4j://: move the link to the router's first server of role ("READ", "WRITE") */
bool		neo4j_cli_route(Neo4jLink *l, Neo4jUri *uri, const Neo4jCliOptions *opts,
							const char *password, const char *role, N2pError *err);

/* A Neo4j URI as the target of copy. */
struct Progress;
typedef struct Neo4jSinkCliOptions
{
	const char *source;			/* as shown, recorded in the import's marker */
	bool		append;			/* the target need not be empty */
	size_t		batch_rows;		/* 0: the default */
	struct Progress *progress;	/* NULL: none */
	bool		skip_refused;	/* skip records with values the server refuses */
} Neo4jSinkCliOptions;

/*
 * Connect (to the writer, for neo4j://) and open the sink, which first
 * cleans up what an interrupted import left.  Closing the sink closes the
 * connection.
 */
N2pSink    *neo4j_cli_sink_open(const char *uri_text, const Neo4jCliOptions *opts,
								const Neo4jSinkCliOptions *so, N2pError *err);
/* open() finished an interrupted import of the same source: nothing to do */
bool		neo4j_cli_sink_previous_done(N2pSink *sink);
/* after an abort: was everything the import wrote removed? */
bool		neo4j_cli_sink_rolled_back(N2pSink *sink);
void		neo4j_cli_sink_counts(N2pSink *sink, uint64_t *nodes, uint64_t *rels);

/* copy SOURCE into a Neo4j URI: the exit status; errors are logged */
int			neo4j_cli_import(const char *source, const char *target, const Neo4jCliOptions *neo,
							 Neo4jSinkCliOptions *so);

/* After a failed Neo4j operation: a hint for the usual causes, or nothing. */
void		neo4j_explain(const N2pError *err);

#endif							/* NEO2PG_NEO4J_CONN_H */
