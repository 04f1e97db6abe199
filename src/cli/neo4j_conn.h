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
} Neo4jCliOptions;

/*
 * Open a Neo4j URI as a source: two connections (the extraction and the
 * zone-offset lookups), the password from NEO4J_PASSWORD or a prompt on
 * the terminal, never from the command line.  Closing the source closes
 * them.  Errors get a line of explanation for the usual causes.
 */
N2pSource  *neo4j_cli_source_open(const char *uri_text, const Neo4jCliOptions *opts, N2pError *err);

/* After a failed Neo4j operation: a hint for the usual causes, or nothing. */
void		neo4j_explain(const N2pError *err);

#endif							/* NEO2PG_NEO4J_CONN_H */
