/*-------------------------------------------------------------------------
 *
 * neo4j_conn.c
 *	  Neo4j URIs, TCP connections and TLS through OpenSSL, handed to the
 *	  core's Bolt client as an I/O table.
 *
 * +s verifies the certificate against the system's trust store (OpenSSL's
 * default paths, so SSL_CERT_FILE and SSL_CERT_DIR apply) and the host
 * name, and sends SNI; +ssc accepts any certificate, as the drivers do.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/cli/neo4j_conn.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo4j_conn.h"
#include "cli.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct Neo4jConn
{
	int			fd;
	SSL_CTX    *ctx;
	SSL		   *ssl;
};

static const struct
{
	const char *prefix;
	Neo4jTls	tls;
	bool		routing;
}			schemes[] = {
	{"bolt://", NEO4J_TLS_NONE, false},
	{"bolt+s://", NEO4J_TLS_VERIFY, false},
	{"bolt+ssc://", NEO4J_TLS_SELF_SIGNED, false},
	{"neo4j://", NEO4J_TLS_NONE, true},
	{"neo4j+s://", NEO4J_TLS_VERIFY, true},
	{"neo4j+ssc://", NEO4J_TLS_SELF_SIGNED, true},
};

static int
scheme_of(const char *arg)
{
	size_t		i;

	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (strncmp(arg, schemes[i].prefix, strlen(schemes[i].prefix)) == 0)
			return (int) i;
	return -1;
}

bool
neo4j_is_uri(const char *arg)
{
	return scheme_of(arg) >= 0;
}

/* host, [v6], optional :port; the rest of the URI (path, query) is ignored */
static bool
split_authority(const char *a, size_t len, Neo4jUri *uri)
{
	const char *colon;
	size_t		hlen;

	if (len > 0 && a[0] == '[')
	{
		const char *close = memchr(a, ']', len);

		if (close == NULL)
			return false;
		hlen = (size_t) (close - a - 1);
		memcpy(uri->host, a + 1, hlen < sizeof(uri->host) ? hlen : 0);
		colon = close + 1 < a + len && close[1] == ':' ? close + 1 : NULL;
		if (close + 1 < a + len && colon == NULL)
			return false;
	}
	else
	{
		colon = memchr(a, ':', len);
		hlen = colon ? (size_t) (colon - a) : len;
		memcpy(uri->host, a, hlen < sizeof(uri->host) ? hlen : 0);
	}
	if (hlen == 0 || hlen >= sizeof(uri->host))
		return false;
	uri->host[hlen] = '\0';
	if (colon)
	{
		size_t		plen = (size_t) (a + len - colon - 1);

		if (plen == 0 || plen >= sizeof(uri->port) || strspn(colon + 1, "0123456789") < plen)
			return false;
		memcpy(uri->port, colon + 1, plen);
		uri->port[plen] = '\0';
	}
	return true;
}

bool
neo4j_uri_parse(const char *arg, Neo4jUri *uri, N2pError *err)
{
	int			s = scheme_of(arg);
	const char *a;
	size_t		len;

	memset(uri, 0, sizeof(*uri));
	strcpy(uri->port, "7687");
	if (s < 0)
		return n2p_error_set(err, N2P_ERR_USAGE, "not a Neo4j URI");
	uri->tls = schemes[s].tls;
	uri->routing = schemes[s].routing;
	a = arg + strlen(schemes[s].prefix);
	len = strcspn(a, "/?#");
	if (memchr(a, '@', len))
		return n2p_error_set(err, N2P_ERR_USAGE,
							 "a Neo4j URI takes no user or password: use --user, and NEO4J_PASSWORD "
							 "or the prompt");
	if (!split_authority(a, len, uri))
		return n2p_error_set(err, N2P_ERR_USAGE, "malformed Neo4j URI (expected SCHEME://HOST[:PORT])");
	return true;
}

/* ------------------------------------------------------------- transport */

static bool
io_fail(N2pError *err, const char *what)
{
	unsigned long e = ERR_get_error();
	char		buf[256];

	if (e != 0)
	{
		ERR_error_string_n(e, buf, sizeof(buf));
		ERR_clear_error();
		return n2p_error_set(err, N2P_ERR_IO, "%s: %s", what, buf);
	}
	/* a reset or a broken pipe is the server gone, as a close is */
	if (errno == ECONNRESET || errno == EPIPE)
		return n2p_error_set(err, N2P_ERR_IO, "%s: the server closed the connection (%s)", what,
							 strerror(errno));
	return n2p_error_set(err, N2P_ERR_IO, "%s: %s", what, errno ? strerror(errno) : "connection closed");
}

static bool
conn_read(void *ctx, void *buf, size_t cap, size_t *got, N2pError *err)
{
	Neo4jConn  *c = ctx;

	for (;;)
	{
		if (c->ssl)
		{
			size_t		n = 0;
			int			r = SSL_read_ex(c->ssl, buf, cap, &n);
			int			e = r ? SSL_ERROR_NONE : SSL_get_error(c->ssl, r);

			*got = n;
			if (r || e == SSL_ERROR_ZERO_RETURN)
				return true;
			/* a peer that closes without close_notify, or resets: a cut stream */
			if (e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0 && (errno == 0 || errno == ECONNRESET))
				return true;
			return io_fail(err, "reading from Neo4j");
		}
		else
		{
			ssize_t		n = read(c->fd, buf, cap);

			if (n < 0 && errno == EINTR)
				continue;
			/*
			 * A reset (the server closed with our request unread) is the
			 * end of the stream as a close is; the client never takes an
			 * end for a complete result.
			 */
			if (n < 0 && errno == ECONNRESET)
				n = 0;
			if (n < 0)
				return io_fail(err, "reading from Neo4j");
			*got = (size_t) n;
			return true;
		}
	}
}

static bool
conn_write(void *ctx, const void *buf, size_t len, N2pError *err)
{
	Neo4jConn  *c = ctx;
	const char *p = buf;

	while (len > 0)
	{
		size_t		n = 0;

		if (c->ssl)
		{
			if (!SSL_write_ex(c->ssl, p, len, &n))
				return io_fail(err, "writing to Neo4j");
		}
		else
		{
			ssize_t		w = send(c->fd, p, len, MSG_NOSIGNAL);

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return io_fail(err, "writing to Neo4j");
			n = (size_t) w;
		}
		p += n;
		len -= n;
	}
	return true;
}

static int
tcp_connect(const Neo4jUri *uri, N2pError *err)
{
	struct addrinfo hints,
			   *res,
			   *ai;
	int			fd = -1,
				rc,
				one = 1,
				saved = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(uri->host, uri->port, &hints, &res)) != 0)
	{
		n2p_error_set(err, N2P_ERR_IO, "could not resolve the Neo4j host \"%s\": %s", uri->host,
					  gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai && fd < 0; ai = ai->ai_next)
	{
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) != 0)
		{
			saved = errno;
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	if (fd < 0)
		n2p_error_set(err, N2P_ERR_IO, "could not connect to Neo4j at %s:%s: %s", uri->host, uri->port,
					  strerror(saved));
	else
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

static bool
tls_fail(Neo4jConn *c, N2pError *err)
{
	long		v = c->ssl ? SSL_get_verify_result(c->ssl) : X509_V_OK;

	if (v != X509_V_OK)
		return n2p_error_set(err, N2P_ERR_IO, "TLS: the server's certificate is not trusted: %s",
							 X509_verify_cert_error_string(v));
	return io_fail(err, "TLS handshake failed");
}

static bool
tls_start(Neo4jConn *c, const Neo4jUri *uri, N2pError *err)
{
	unsigned char addr[16];
	bool		is_ip = inet_pton(AF_INET, uri->host, addr) == 1 || inet_pton(AF_INET6, uri->host, addr) == 1;

	c->ctx = SSL_CTX_new(TLS_client_method());
	if (c->ctx == NULL || !SSL_CTX_set_min_proto_version(c->ctx, TLS1_2_VERSION))
		return io_fail(err, "TLS");
	if (uri->tls == NEO4J_TLS_VERIFY)
	{
		SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, NULL);
		if (!SSL_CTX_set_default_verify_paths(c->ctx))
			return io_fail(err, "TLS: no trust store");
	}
	else
		SSL_CTX_set_verify(c->ctx, SSL_VERIFY_NONE, NULL);
	if ((c->ssl = SSL_new(c->ctx)) == NULL || !SSL_set_fd(c->ssl, c->fd))
		return io_fail(err, "TLS");
	/* an address is checked against the certificate's IP names, and SNI carries host names only */
	if (!is_ip && !SSL_set_tlsext_host_name(c->ssl, uri->host))
		return io_fail(err, "TLS");
	if (uri->tls == NEO4J_TLS_VERIFY &&
		!(is_ip ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(c->ssl), uri->host)
		  : SSL_set1_host(c->ssl, uri->host)))
		return io_fail(err, "TLS");
	errno = 0;
	return SSL_connect(c->ssl) == 1 || tls_fail(c, err);
}

Neo4jConn *
neo4j_conn_open(const Neo4jUri *uri, N2pBoltIo *io, N2pError *err)
{
	Neo4jConn  *c = xcalloc(1, sizeof(Neo4jConn));

	if ((c->fd = tcp_connect(uri, err)) < 0 ||
		(uri->tls != NEO4J_TLS_NONE && !tls_start(c, uri, err)))
	{
		neo4j_conn_close(c);
		return NULL;
	}
	io->read = conn_read;
	io->write = conn_write;
	io->ctx = c;
	return c;
}

void
neo4j_conn_close(Neo4jConn *c)
{
	if (c == NULL)
		return;
	if (c->ssl)
	{
		SSL_shutdown(c->ssl);
		SSL_free(c->ssl);
	}
	SSL_CTX_free(c->ctx);
	if (c->fd >= 0)
		close(c->fd);
	free(c);
}
