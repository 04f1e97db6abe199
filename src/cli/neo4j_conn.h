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

#endif							/* NEO2PG_NEO4J_CONN_H */
