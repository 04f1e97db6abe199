/*
 * Run Cypher against the test Neo4j (test/neo4j_server.sh) through the
 * project's own Bolt client: each statement of FILE (statements end with a
 * line that is a single ";") in a write transaction of its own.  With -q,
 * print each row's fields as PackStream-decoded values, one line a row.
 *
 *   N2P_TEST_NEO4J_PORT=... N2P_TEST_NEO4J_DIR=... neo4j_cypher [-q] FILE
 */
#include "neo2pg/bolt.h"
#include "neo2pg/temporal.h"
#include "neo4j_conn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *
slurp(const char *path)
{
	FILE	   *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char	   *buf = NULL;
	size_t		len = 0,
				cap = 0,
				n;

	if (f == NULL)
		return NULL;
	do
	{
		if (len + 4096 + 1 > cap)
			buf = realloc(buf, cap = (cap + 4096) * 2);
		n = fread(buf + len, 1, 4096, f);
		len += n;
	} while (n > 0);
	buf[len] = '\0';
	if (f != stdin)
		fclose(f);
	return buf;
}

static void
print_value(const N2pValue *v)
{
	N2pBuf		b;
	size_t		i;

	switch (v->type)
	{
		case N2P_INT:
			printf("%lld", (long long) v->u.i);
			return;
		case N2P_STRING:
			printf("%.*s", (int) v->u.str.len, v->u.str.ptr);
			return;
		case N2P_LIST:
			printf("[");
			for (i = 0; i < v->u.list.n; i++)
			{
				printf(i ? ", " : "");
				print_value(&v->u.list.items[i]);
			}
			printf("]");
			return;
		default:
			n2p_buf_init(&b, &n2p_libc_allocator);
			if (n2p_temporal_format_iso(v, &b))
				printf("%s", b.data);
			else
				printf("<%s>", n2p_type_name(v->type));
			n2p_buf_free(&b);
	}
}

static bool
run_one(N2pBolt *b, const char *q, bool show, N2pError *err)
{
	N2pArena	arena;
	N2pValue	row;
	int			r;
	size_t		i;

	/* Cypher has no byte-array literal: $bytes is one, for every statement */
	static char bytes[] = {0, 1, (char) 0xFE, (char) 0xFF};
	N2pStr		key = {"bytes", 5};
	N2pValue	val = {.type = N2P_BYTES, .u.str = {bytes, 4}};
	N2pValue	params = {.type = N2P_MAP, .u.map = {&key, &val, 1}};

	if (!n2p_bolt_begin(b, "w", NULL, err) || !n2p_bolt_run(b, q, &params, 1000, err))
		return false;
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	while ((r = n2p_bolt_next(b, &arena, &row, err)) > 0)
	{
		for (i = 0; show && i < row.u.list.n; i++)
		{
			printf(i ? "|" : "");
			print_value(&row.u.list.items[i]);
		}
		if (show)
			printf("\n");
	}
	n2p_arena_destroy(&arena);
	return r == 0 && n2p_bolt_commit(b, err);
}

int
main(int argc, char **argv)
{
	const char *port = getenv("N2P_TEST_NEO4J_PORT");
	const char *dir = getenv("N2P_TEST_NEO4J_DIR");
	bool		show = argc > 2 && strcmp(argv[1], "-q") == 0;
	char		uri_text[128],
				path[1024],
				pw[256] = "";
	char	   *text,
			   *stmt;
	Neo4jUri	uri;
	N2pBoltIo	io;
	N2pError	err;
	Neo4jConn  *conn;
	N2pBolt    *b;
	FILE	   *f;

	if (port == NULL || dir == NULL || argc < 2 || (text = slurp(argv[argc - 1])) == NULL)
	{
		fprintf(stderr, "usage: neo4j_cypher [-q] FILE, with N2P_TEST_NEO4J_PORT and _DIR set\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/password", dir);
	if ((f = fopen(path, "r")) == NULL || !fgets(pw, sizeof(pw), f))
		return 2;
	fclose(f);
	pw[strcspn(pw, "\n")] = '\0';
	snprintf(uri_text, sizeof(uri_text), "bolt://127.0.0.1:%s", port);
	n2p_error_init(&err);
	{
		N2pBoltOptions o = {"neo4j", pw, NULL, 0, 0, 0};

		if (!neo4j_uri_parse(uri_text, &uri, &err) || (conn = neo4j_conn_open(&uri, &io, &err)) == NULL ||
			(b = n2p_bolt_connect(&n2p_libc_allocator, &io, &o, &err)) == NULL)
		{
			fprintf(stderr, "neo4j_cypher: %s\n", err.msg);
			return 1;
		}
	}
	for (stmt = text; stmt && *stmt;)
	{
		char	   *end = strstr(stmt, "\n;\n");

		if (end)
			*end = '\0';
		if (strspn(stmt, " \t\r\n") < strlen(stmt) && !run_one(b, stmt, show, &err))
		{
			fprintf(stderr, "neo4j_cypher: %s\nin: %.200s\n", err.msg, stmt);
			return 1;
		}
		stmt = end ? end + 3 : NULL;
	}
	n2p_bolt_close(b);
	neo4j_conn_close(conn);
	free(text);
	return 0;
}
