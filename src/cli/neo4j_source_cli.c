/*-------------------------------------------------------------------------
 *
 * neo4j_source_cli.c
 *	  The CLI's side of a Neo4j source: credentials, connections, and the
 *	  explanations a user needs when connecting fails.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/cli/neo4j_source_cli.c
 *
 *-------------------------------------------------------------------------
 */
#include "cli.h"
#include "neo2pg/neo4j_source.h"
#include "neo4j_conn.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

typedef struct CliSource
{
	N2pSource	base;
	N2pSource  *inner;
	Neo4jLink		main;
	Neo4jLink		side;
	N2pTzdb    *tzdb;
	char	   *password;
} CliSource;

bool
neo4j_cli_zone_offsets(const char *arg, Neo4jCliOptions *o)
{
	if (strcmp(arg, "host") != 0 && strcmp(arg, "server") != 0)
	{
		log_error("--zone-offsets takes \"host\" or \"server\"");
		return false;
	}
	o->zone_offsets_server = strcmp(arg, "server") == 0;
	return true;
}

/* How the zones' offsets were found, for -v. */
static void
log_zone_stats(N2pSource *inner)
{
	N2pZoneStats st;

	n2p_neo4j_source_zone_stats(inner, &st);
	if (st.local + st.asked == 0)
		return;
	log_verbose("zone offsets: %llu from the host's tz database (%llu zones confirmed by the server), "
				"%llu instants asked of the server", (unsigned long long) st.local,
				(unsigned long long) st.zones_local, (unsigned long long) st.asked);
	if (st.differ[0])
		log_verbose("zones whose tz data differ between the host and the server (asked of the server): %s",
					st.differ);
}

/* The password from NEO4J_PASSWORD, or asked on the terminal without echo. */
char *
neo4j_cli_password(N2pError *err)
{
	const char *env = getenv("NEO4J_PASSWORD");
	struct termios old,
				quiet;
	char		buf[1024];
	int			fd;
	ssize_t		n;

	if (env)
		return xstrdup(env);
	if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC)) < 0)
	{
		n2p_error_set(err, N2P_ERR_USAGE,
					  "Neo4j needs a password: set NEO4J_PASSWORD (there is no terminal to ask on)");
		return NULL;
	}
	if (write(fd, "Neo4j password: ", 16) < 0 || tcgetattr(fd, &old) != 0)
		memset(&old, 0, sizeof(old));
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t) ECHO;
	tcsetattr(fd, TCSAFLUSH, &quiet);
	n = read(fd, buf, sizeof(buf) - 1);
	tcsetattr(fd, TCSAFLUSH, &old);
	/* the newline the user typed was not echoed */
	if (write(fd, "\n", 1) < 0)
		memset(&quiet, 0, sizeof(quiet));
	close(fd);
	if (n < 0)
		n = 0;
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	return xstrdup(buf);
}

bool
neo4j_cli_link_open(Neo4jLink *l, const Neo4jUri *uri, const Neo4jCliOptions *o, const char *password,
		  N2pError *err)
{
	const char *user = o->user ? o->user : getenv("NEO4J_USERNAME");
	char		address[300];
	N2pBoltOptions bo = {user ? user : "neo4j", password, NULL, o->bolt_version, o->bolt_version, 0};
	N2pBoltIo	io;

	/* neo4j:// sends its routing context; a single server then acts as bolt:// */
	snprintf(address, sizeof(address), "%s:%s", uri->host, uri->port);
	if (uri->routing)
		bo.routing_address = address;
	if ((l->conn = neo4j_conn_open(uri, &io, err)) == NULL)
		return false;
	if ((l->bolt = n2p_bolt_connect(&n2p_libc_allocator, &io, &bo, err)) == NULL)
		return false;
	return true;
}

/*
 * neo4j://: ask the router for the database's servers of a role ("READ",
 * "WRITE") and pick the first.  Returns false on error; *found stays ""
 * when the router is one itself or names none (a single server then acts
 * as bolt://).
 */
static bool
find_server(Neo4jLink *l, const Neo4jUri *uri, const char *database, const char *want, char *found,
			size_t len, N2pError *err)
{
	N2pArena	arena;
	N2pValue	rt;
	const N2pValue *servers;
	char		self[300];
	size_t		i,
				k;
	bool		ok;

	found[0] = '\0';
	snprintf(self, sizeof(self), "%s:%s", uri->host, uri->port);
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	ok = n2p_bolt_route(l->bolt, database, &arena, &rt, err);
	servers = ok ? n2p_map_get(&rt, "servers", 7) : NULL;
	for (i = 0; servers && servers->type == N2P_LIST && i < servers->u.list.n && !found[0]; i++)
	{
		const N2pValue *sv = &servers->u.list.items[i],
				   *role = sv->type == N2P_MAP ? n2p_map_get(sv, "role", 4) : NULL,
				   *addrs = sv->type == N2P_MAP ? n2p_map_get(sv, "addresses", 9) : NULL;

		if (!role || role->type != N2P_STRING || !n2p_str_eq(role->u.str, want) || !addrs ||
			addrs->type != N2P_LIST)
			continue;
		for (k = 0; k < addrs->u.list.n && !found[0]; k++)
		{
			const N2pValue *a = &addrs->u.list.items[k];

			if (a->type == N2P_STRING && a->u.str.len < len)
				snprintf(found, len, "%.*s", (int) a->u.str.len, a->u.str.ptr);
		}
	}
	n2p_arena_destroy(&arena);
	if (ok && strcmp(found, self) == 0)
		found[0] = '\0';
	return ok;
}

void
neo4j_cli_link_close(Neo4jLink *l)
{
	n2p_bolt_close(l->bolt);
	neo4j_conn_close(l->conn);
	l->bolt = NULL;
	l->conn = NULL;
}

/* Reconnect to the first server of a role when the router is not one. */
bool
neo4j_cli_route(Neo4jLink *l, Neo4jUri *uri, const Neo4jCliOptions *opts, const char *password,
				const char *role, N2pError *err)
{
	char		server[300],
				text[320];

	if (!find_server(l, uri, opts->database, role, server, sizeof(server), err))
		return false;
	if (server[0] == '\0')
		return true;
	log_verbose("routing: %s goes to %s", role, server);
	snprintf(text, sizeof(text), "bolt://%s", server);
	{
		Neo4jTls	tls = uri->tls;
		bool		ok = neo4j_uri_parse(text, uri, err);

		uri->tls = tls;
		uri->routing = true;
		neo4j_cli_link_close(l);
		return ok && neo4j_cli_link_open(l, uri, opts, password, err);
	}
}

static int
cli_next(N2pSource *src, N2pRecord *rec, N2pError *err)
{
	CliSource  *s = (CliSource *) src;
	int			r = s->inner->ops->next(s->inner, rec, err);

	/* the inner source counts each phase's bytes once it is read */
	s->base.meta.node_bytes = s->inner->meta.node_bytes;
	s->base.meta.rel_bytes = s->inner->meta.rel_bytes;
	return r;
}

static uint64_t
cli_bytes_done(N2pSource *src)
{
	CliSource  *s = (CliSource *) src;

	return s->inner->ops->bytes_done(s->inner);
}

static void
cli_close(N2pSource *src)
{
	CliSource  *s = (CliSource *) src;

	if (s->inner)
	{
		log_zone_stats(s->inner);
		s->inner->ops->close(s->inner);
	}
	n2p_tzdb_close(s->tzdb);
	neo4j_cli_link_close(&s->side);
	neo4j_cli_link_close(&s->main);
	if (s->password)
	{
		memset(s->password, 0, strlen(s->password));
		free(s->password);
	}
	free(s);
}

static const N2pSourceOps cli_ops = {cli_next, cli_bytes_done, cli_close};

N2pSource *
neo4j_cli_source_open(const char *uri_text, const Neo4jCliOptions *opts, N2pError *err)
{
	CliSource  *s = xcalloc(1, sizeof(CliSource));
	Neo4jUri	uri;
	N2pNeo4jSourceOptions so;

	s->base.ops = &cli_ops;
	if (!neo4j_uri_parse(uri_text, &uri, err) || (s->password = neo4j_cli_password(err)) == NULL ||
		!neo4j_cli_link_open(&s->main, &uri, opts, s->password, err) ||
		(uri.routing && !neo4j_cli_route(&s->main, &uri, opts, s->password, "READ", err)) ||
		!neo4j_cli_link_open(&s->side, &uri, opts, s->password, err))
	{
		cli_close(&s->base);
		return NULL;
	}
	log_verbose("connected to %s (Bolt %d.%d)", n2p_bolt_server(s->main.bolt),
				n2p_bolt_version(s->main.bolt) / 256, n2p_bolt_version(s->main.bolt) % 256);
	memset(&so, 0, sizeof(so));
	so.bolt = s->main.bolt;
	so.side = s->side.bolt;
	/* Bolt 5 sends UTC and a zone: the host's tz data, checked (docs/design.md) */
	if (!opts->zone_offsets_server)
	{
		const char *dir = getenv("TZDIR");

		if ((s->tzdb = n2p_tzdb_open(&n2p_libc_allocator, &n2p_posix_io, dir && dir[0] ? dir : NULL)) == NULL)
		{
			n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
			cli_close(&s->base);
			return NULL;
		}
	}
	so.tzdb = s->tzdb;
	so.database = opts->database;
	so.display = uri_text;
	if ((s->inner = n2p_neo4j_source_open(&n2p_libc_allocator, &so, err)) == NULL)
	{
		cli_close(&s->base);
		return NULL;
	}
	s->base.meta = s->inner->meta;
	return &s->base;
}

void
neo4j_explain(const N2pError *err)
{
	static const char *const hints[][2] = {
		{"Connection refused", "is Neo4j running, with Bolt on that host and port (server.bolt.listen_address)?"},
		{"Security.Unauthorized", "check the user (--user or NEO4J_USERNAME) and the password (NEO4J_PASSWORD)"},
		{"DatabaseNotFound", "--database names a database this server does not have (SHOW DATABASES lists them)"},
		{"not trusted", "for a self-signed certificate use bolt+ssc:// or neo4j+ssc://; else add its CA to the "
		"system trust store (or point SSL_CERT_FILE at it)"},
		{"TLS handshake failed", "does the server accept TLS on that port (server.bolt.tls_level)? "
		"bolt:// connects without TLS"},
		{"could not resolve", "check the host name in the URI"},
		{"TransactionTimedOut", "the server's db.transaction.timeout ended a transaction that ran longer; "
		"for an import, a smaller --batch-size makes each transaction shorter"},
	};
	size_t		i;

	for (i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (strstr(err->msg, hints[i][0]))
		{
			log_error("hint: %s", hints[i][1]);
			return;
		}
}
