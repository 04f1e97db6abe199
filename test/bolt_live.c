/*
 * The Bolt client against the real test Neo4j (test/neo4j_server.sh):
 * every protocol version the server offers, one at a time; TLS with a
 * trusted test CA, refused without it, and +ssc; a wrong password; a
 * missing database; a failing query followed by RESET.  And what Neo4j
 * refuses or changes among the values of the model, sent raw, against
 * the import's own verdict (n2p_neo4j_check_value).
 *
 *   N2P_TEST_NEO4J_PORT=... N2P_TEST_NEO4J_DIR=... bolt_live
 *
 * Prints "ok - ..." or "not ok - ..." per check; last line
 * "bolt: N passed, M failed".
 */
#include "neo2pg/bolt.h"
#include "neo2pg/neo4j_sink.h"
#include "neo2pg/neo4j_source.h"
#include "neo2pg/packstream.h"
#include "neo4j_conn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int	passed,
			failed;

static void
check(bool ok, const char *what, const N2pError *err)
{
	if (ok)
		passed++;
	else
		failed++;
	printf("%s - %s", ok ? "ok" : "not ok", what);
	if (!ok && err && err->code != N2P_OK)
		printf(" (%s)", err->msg);
	printf("\n");
}

static char password[256];

static void
read_password(const char *dir)
{
	char		path[1024];
	FILE	   *f;

	snprintf(path, sizeof(path), "%s/password", dir);
	if ((f = fopen(path, "r")) == NULL || !fgets(password, sizeof(password), f))
	{
		fprintf(stderr, "bolt_live: cannot read %s\n", path);
		exit(1);
	}
	password[strcspn(password, "\n")] = '\0';
	fclose(f);
}

typedef struct Session
{
	Neo4jConn  *conn;
	N2pBolt    *bolt;
} Session;

static bool
open_session(Session *s, const char *uri_text, int min, int max, const char *pw, N2pError *err)
{
	Neo4jUri	uri;
	N2pBoltIo	io;
	N2pBoltOptions opts = {"neo4j", pw, NULL, min, max, 0};

	s->bolt = NULL;
	if (!neo4j_uri_parse(uri_text, &uri, err) || (s->conn = neo4j_conn_open(&uri, &io, err)) == NULL)
		return false;
	if ((s->bolt = n2p_bolt_connect(&n2p_libc_allocator, &io, &opts, err)) == NULL)
	{
		neo4j_conn_close(s->conn);
		return false;
	}
	return true;
}

static void
close_session(Session *s)
{
	n2p_bolt_close(s->bolt);
	neo4j_conn_close(s->conn);
}

/* One query in a read transaction; the first field of each row into out. */
static int
query(Session *s, const char *cypher, N2pArena *arena, N2pValue *out, N2pError *err)
{
	N2pValue	row;
	int			n = 0,
				r;

	if (!n2p_bolt_begin(s->bolt, "r", NULL, err) || !n2p_bolt_run(s->bolt, cypher, NULL, 2, err))
		return -1;
	while ((r = n2p_bolt_next(s->bolt, arena, &row, err)) > 0)
		out[n++] = row;
	if (r < 0 || !n2p_bolt_commit(s->bolt, err))
		return -1;
	return n;
}

static bool
values_right(const N2pValue *rows, int n, bool *zone_struct)
{
	const N2pValue *f = rows[0].u.list.items;

	if (n != 5 || rows[0].u.list.n != 4 || rows[4].u.list.items[0].u.i != 5)
		return false;
	*zone_struct = f[3].type == N2P_STRUCT && f[3].u.st.n == 3;
	return f[0].type == N2P_DATE && f[0].u.date == 18262 && f[1].type == N2P_DATETIME &&
		f[1].u.dt.offset == 3600 && f[1].u.dt.nanos == 556000000 &&
		f[1].u.dt.secs == 1435150235 && f[2].type == N2P_POINT && f[2].u.point.srid == 4979;
}

static const char *const versions[][2] = {
	{"4.4", "4.4"}, {"5.0", "5.0"}, {"5.1", "5.1"}, {"5.2", "5.2"}, {"5.3", "5.3"},
	{"5.4", "5.4"}, {"5.6", "5.6"}, {"5.7", "5.7"}, {"5.8", "5.8"},
};

static int
parse_version(const char *v)
{
	return N2P_BOLT_VERSION(v[0] - '0', v[2] - '0');
}

static void
each_version(const char *uri)
{
	static const char q[] =
		"UNWIND range(1, 5) AS i RETURN CASE WHEN i = 5 THEN 5 ELSE date('2020-01-01') END, "
		"datetime('2015-06-24T12:50:35.556+01:00'), point({x: 1, y: 2, z: 3, crs: 'wgs-84-3d'}), "
		"datetime('2015-06-24T12:50:35.556[Europe/London]')";
	size_t		i;

	for (i = 0; i < sizeof(versions) / sizeof(versions[0]); i++)
	{
		N2pError	err;
		Session		s;
		N2pArena	arena;
		N2pValue	rows[8];
		char		what[128];
		bool		zone = false;
		int			v = parse_version(versions[i][0]);

		n2p_error_init(&err);
		n2p_arena_init(&arena, &n2p_libc_allocator, 0);
		snprintf(what, sizeof(what), "Bolt %s alone: connect, read transaction, typed values",
				 versions[i][0]);
		if (open_session(&s, uri, v, v, password, &err))
		{
			int			n = query(&s, q, &arena, rows, &err);


			check(n2p_bolt_version(s.bolt) == v && n == 5 && values_right(rows, n, &zone) && zone,
				  what, &err);
			close_session(&s);
		}
		else
			check(false, what, &err);
		n2p_arena_destroy(&arena);
	}
}

static void
failures(const char *uri)
{
	N2pError	err;
	Session		s;
	N2pArena	arena;
	N2pValue	rows[4];

	n2p_error_init(&err);
	check(!open_session(&s, uri, 0, 0, "wrong password", &err) && strstr(err.msg, "Unauthorized"),
		  "a wrong password is refused with the server's code", &err);
	n2p_error_init(&err);
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	if (!open_session(&s, uri, 0, 0, password, &err))
	{
		check(false, "connect for the failure tests", &err);
		return;
	}
	check(!n2p_bolt_begin(s.bolt, "r", "nosuchdb", &err) && strstr(err.msg, "DatabaseNotFound"),
		  "a missing database is refused with the server's code", &err);
	n2p_error_init(&err);
	check(query(&s, "RETURN 1/0", &arena, rows, &err) < 0 && strstr(err.msg, "ArithmeticError"),
		  "a failing query gives the server's code and message", &err);
	n2p_error_init(&err);
	check(query(&s, "RETURN 42", &arena, rows, &err) == 1 && rows[0].u.list.items[0].u.i == 42,
		  "after RESET the connection serves the next transaction", &err);
	close_session(&s);
	n2p_arena_destroy(&arena);
}

/* ROUTE: a single server is its own router, reader and writer. */
static void
route(int port)
{
	char		uri[128],
				self[64];
	Neo4jUri	u;
	N2pBoltIo	io;
	N2pError	err;
	N2pArena	arena;
	N2pValue	rt;
	Neo4jConn  *conn;
	N2pBolt    *b;
	N2pBoltOptions opts = {"neo4j", password, self, 0, 0, 0};
	bool		ok = false;

	snprintf(uri, sizeof(uri), "neo4j://127.0.0.1:%d", port);
	snprintf(self, sizeof(self), "127.0.0.1:%d", port);
	n2p_error_init(&err);
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	if (neo4j_uri_parse(uri, &u, &err) && (conn = neo4j_conn_open(&u, &io, &err)) != NULL)
	{
		if ((b = n2p_bolt_connect(&n2p_libc_allocator, &io, &opts, &err)) != NULL)
		{
			if (n2p_bolt_route(b, NULL, &arena, &rt, &err))
			{
				const N2pValue *servers = n2p_map_get(&rt, "servers", 7);
				size_t		i;
				int			roles = 0;

				for (i = 0; servers && servers->type == N2P_LIST && i < servers->u.list.n; i++)
				{
					const N2pValue *a = n2p_map_get(&servers->u.list.items[i], "addresses", 9);

					if (a && a->type == N2P_LIST && a->u.list.n == 1 &&
						n2p_str_eq(a->u.list.items[0].u.str, self))
						roles++;
				}
				ok = roles == 3;
			}
			n2p_bolt_close(b);
		}
		neo4j_conn_close(conn);
	}
	n2p_arena_destroy(&arena);
	check(ok, "ROUTE: the single server is ROUTE, READ and WRITE at its advertised address", &err);
}

static void
tls(int port, const char *dir)
{
	char		uri[256],
				ca[1024];
	N2pError	err;
	Session		s;

	snprintf(ca, sizeof(ca), "%s/tls/ca.crt", dir);
	snprintf(uri, sizeof(uri), "bolt+s://localhost:%d", port);
	n2p_error_init(&err);
	unsetenv("SSL_CERT_FILE");
	check(!open_session(&s, uri, 0, 0, password, &err) && strstr(err.msg, "not trusted"),
		  "bolt+s refuses a certificate from an untrusted CA", &err);
	setenv("SSL_CERT_FILE", ca, 1);
	n2p_error_init(&err);
	if (open_session(&s, uri, 0, 0, password, &err))
	{
		check(true, "bolt+s with the test CA trusted", &err);
		close_session(&s);
	}
	else
		check(false, "bolt+s with the test CA trusted", &err);
	snprintf(uri, sizeof(uri), "bolt+s://127.0.0.1:%d", port);
	n2p_error_init(&err);
	check(!open_session(&s, uri, 0, 0, password, &err) && strstr(err.msg, "not trusted"),
		  "bolt+s refuses a certificate for another host name", &err);
	unsetenv("SSL_CERT_FILE");
	snprintf(uri, sizeof(uri), "bolt+ssc://localhost:%d", port);
	n2p_error_init(&err);
	if (open_session(&s, uri, 0, 0, password, &err))
	{
		check(true, "bolt+ssc accepts the self-signed chain", &err);
		close_session(&s);
	}
	else
		check(false, "bolt+ssc accepts the self-signed chain", &err);
}


/* ------------------------------------------------ what Neo4j refuses */

typedef struct Probe
{
	const char *what;
	N2pValue	v;
	int			want;			/* the verdict: 0 kept, 1 changed, -1 refused */
} Probe;

static N2pValue
pt(int32_t srid, double x, double y)
{
	N2pValue	v;

	memset(&v, 0, sizeof(v));
	v.type = N2P_POINT;
	v.u.point.srid = srid;
	v.u.point.x = x;
	v.u.point.y = y;
	return v;
}

static N2pValue
scalar(N2pType t, int64_t i)
{
	N2pValue	v;

	memset(&v, 0, sizeof(v));
	v.type = t;
	v.u.i = i;
	return v;
}

static N2pValue
list2(N2pValue *items, N2pValue a, N2pValue b)
{
	N2pValue	v;

	items[0] = a;
	items[1] = b;
	memset(&v, 0, sizeof(v));
	v.type = N2P_LIST;
	v.u.list.items = items;
	v.u.list.n = 2;
	return v;
}

static bool
same_bytes(const N2pValue *a, const N2pValue *b)
{
	N2pBuf		x,
				y;
	N2pError	err;
	bool		same;

	n2p_error_init(&err);
	n2p_buf_init(&x, &n2p_libc_allocator);
	n2p_buf_init(&y, &n2p_libc_allocator);
	same = n2p_ps_put_value(&x, a, true, &err) && n2p_ps_put_value(&y, b, true, &err) &&
		x.len == y.len && memcmp(x.data, y.data, x.len) == 0;
	n2p_buf_free(&x);
	n2p_buf_free(&y);
	return same;
}

/* Store v as a property in a transaction rolled back; 0, 1 or -1 as Probe.want. */
static int
server_verdict(const char *uri, const N2pValue *v)
{
	Session		s;
	N2pError	err;
	N2pArena	arena;
	N2pValue	row,
				params;
	N2pStr		key = {"v", 1};
	int			r,
				verdict = -1;

	n2p_error_init(&err);
	if (!open_session(&s, uri, 0, 0, password, &err))
		return -2;
	params.type = N2P_MAP;
	params.u.map.keys = &key;
	params.u.map.vals = (N2pValue *) v;
	params.u.map.n = 1;
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	if (n2p_bolt_begin(s.bolt, "w", NULL, &err) &&
		n2p_bolt_run(s.bolt, "CREATE (n:Neo2pgProbe) SET n.v = $v RETURN n.v", &params, -1, &err) &&
		(r = n2p_bolt_next(s.bolt, &arena, &row, &err)) == 1)
	{
		verdict = same_bytes(&row.u.list.items[0], v) ? 0 : 1;
		if (n2p_bolt_next(s.bolt, &arena, &row, &err) != 0 || !n2p_bolt_rollback(s.bolt, &err))
			verdict = -2;
	}
	n2p_arena_destroy(&arena);
	close_session(&s);
	return verdict;
}

static void
refusals(const char *uri)
{
	N2pValue	l1[2],
				l2[2],
				l3[2],
				l4[2];
	Probe		p[] = {
		{"a point with a NaN coordinate", pt(7203, 0.0 / 0.0, 1), -1},
		{"a point with an infinite coordinate", pt(4979, 1.0 / 0.0, 1), -1},
		{"a WGS-84 latitude of 91", pt(4326, 10, 91), -1},
		{"a WGS-84 latitude of -90.5", pt(4326, 10, -90.5), -1},
		{"a WGS-84 longitude of 181 (stored as -179)", pt(4326, 181, 0), 1},
		{"a WGS-84 point at 180, 90", pt(4326, 180, 90), 0},
		{"[1, 2.5] (turned into floats)", list2(l1, scalar(N2P_INT, 1), pt(0, 0, 0)), 1},
		{"a list of an integer and a string", list2(l2, scalar(N2P_INT, 1), scalar(N2P_BOOL, 1)), -1},
		{"a list of points in two coordinate systems", list2(l3, pt(7203, 1, 2), pt(4326, 1, 2)), -1},
		{"a list of two cartesian points", list2(l4, pt(7203, 1, 2), pt(7203, 3, 4)), 0},
		{"a duration of 2^63-1 months", scalar(N2P_DURATION, 0), -1},
		{"a duration of 10^12 months", scalar(N2P_DURATION, 0), 0},
		{"a duration of 2^63-1 / 2629746 months (a month's average seconds)", scalar(N2P_DURATION, 0), 0},
		{"a duration of one month more", scalar(N2P_DURATION, 0), -1},
		{"a duration of 2^63-1 / 86400 days", scalar(N2P_DURATION, 0), 0},
		{"a duration of one day more", scalar(N2P_DURATION, 0), -1},
		{"a duration of both most months and most days (their sum overflows)", scalar(N2P_DURATION, 0), -1},
		{"a duration of 2^63-1 seconds", scalar(N2P_DURATION, 0), 0},
		{"a Time at +18:00", scalar(N2P_TIME, 0), 0},
		{"a Time at +18:01 (the server closes the connection)", scalar(N2P_TIME, 0), -1},
		{"a DateTime at -18:01", scalar(N2P_DATETIME, 0), -1},
		{"a Date in year 1,000,000,000", scalar(N2P_DATE, 0), -1},
		{"a Date in year -999,999,999", scalar(N2P_DATE, 0), 0},
	};
	size_t		i;

	l1[1].type = N2P_FLOAT;
	l1[1].u.f = 2.5;
	l2[1].type = N2P_STRING;
	l2[1].u.str.ptr = "a";
	l2[1].u.str.len = 1;
	p[10].v.u.dur.months = INT64_MAX;
	p[11].v.u.dur.months = 1000000000000LL;
	p[12].v.u.dur.months = INT64_MAX / 2629746;
	p[13].v.u.dur.months = INT64_MAX / 2629746 + 1;
	p[14].v.u.dur.days = INT64_MAX / 86400;
	p[15].v.u.dur.days = INT64_MAX / 86400 + 1;
	p[16].v.u.dur.months = INT64_MAX / 2629746;
	p[16].v.u.dur.days = INT64_MAX / 86400;
	p[17].v.u.dur.secs = INT64_MAX;
	p[18].v.u.time.offset = 18 * 3600;
	p[19].v.u.time.offset = 18 * 3600 + 60;
	p[20].v.u.dt.offset = -(18 * 3600 + 60);
	p[21].v.u.date = n2p_days_from_civil(1000000000, 1, 1);
	p[22].v.u.date = n2p_days_from_civil(-999999999, 1, 1);
	for (i = 0; i < sizeof(p) / sizeof(p[0]); i++)
	{
		N2pError	err;
		int			server = server_verdict(uri, &p[i].v),
					ours;
		char		what[200];

		n2p_error_init(&err);
		ours = n2p_neo4j_check_value(&p[i].v, &err);
		snprintf(what, sizeof(what), "Neo4j %s %s, as the import's check says (server %d, check %d)",
				 p[i].want < 0 ? "refuses" : p[i].want ? "changes" : "keeps", p[i].what, server, ours);
		check(server == p[i].want && ours == p[i].want, what, NULL);
	}
}

/* ------------------------------------------------ the source's zone offsets */

#define LIVE_ZONES 2500

/* One write query, read to its end. */
static bool
write_query(Session *s, const char *cypher, N2pError *err)
{
	N2pArena	arena;
	N2pValue	row;
	int			r = -1;

	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	if (n2p_bolt_begin(s->bolt, "w", NULL, err) && n2p_bolt_run(s->bolt, cypher, NULL, 0, err))
		while ((r = n2p_bolt_next(s->bolt, &arena, &row, err)) > 0)
			;
	n2p_arena_destroy(&arena);
	return r == 0 && n2p_bolt_commit(s->bolt, err);
}

/*
 * Read the whole graph through the source, both connections at one
 * version; each LiveZones node's DateTime must carry the server's own
 * offset (want[k]), local seconds and zone.
 */
static int
source_offsets(const char *uri, int v, const int64_t *want_epoch, const int32_t *want_off,
			   N2pError *err)
{
	Session		main_s,
				side_s;
	N2pNeo4jSourceOptions so;
	N2pSource  *src = NULL;
	N2pRecord	rec;
	int			r = -1,
				right = 0;

	if (!open_session(&main_s, uri, v, v, password, err))
		return -1;
	if (!open_session(&side_s, uri, v, v, password, err))
		return (close_session(&main_s), -1);
	memset(&so, 0, sizeof(so));
	so.bolt = main_s.bolt;
	so.side = side_s.bolt;
	so.display = uri;
	if ((src = n2p_neo4j_source_open(&n2p_libc_allocator, &so, err)) != NULL)
		while ((r = src->ops->next(src, &rec, err)) > 0)
		{
			const N2pValue *k = n2p_map_get(&rec.props, "k", 1),
					   *z = n2p_map_get(&rec.props, "z", 1);

			if (rec.kind != N2P_REC_NODE || rec.nlabels != 1 || !n2p_str_eq(rec.labels[0], "LiveZones") ||
				k == NULL || z == NULL || k->type != N2P_INT || k->u.i < 0 || k->u.i >= LIVE_ZONES)
				continue;
			if (z->type == N2P_DATETIME && z->u.dt.zone.len > 0 && z->u.dt.offset == want_off[k->u.i] &&
				z->u.dt.secs == want_epoch[k->u.i] + want_off[k->u.i])
				right++;
		}
	/* the end stays the end */
	if (r == 0 && src->ops->next(src, &rec, err) != 0)
		r = -1;
	if (src)
		src->ops->close(src);
	close_session(&side_s);
	close_session(&main_s);
	return r == 0 ? right : -1;
}

/*
 * Zoned DateTimes through the source, over Bolt 4.4 (local seconds, the
 * offset asked with the local form of the batch query) and 5.x (UTC
 * seconds): every offset is the server's own.  2,500 nodes make several
 * batches, so the offsets of one are asked while the next is read.
 */
static void
zone_offsets(const char *uri)
{
	static const char seed[] =
		"WITH ['Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Europe/Amsterdam', "
		"'Asia/Kolkata', 'America/St_Johns'] AS zs UNWIND range(0, 2499) AS k "
		"CREATE (:LiveZones {k: k, z: datetime({epochSeconds: -2800000000 + k * 2000003, "
		"timezone: zs[k % 6]})})";
	static const int versions_tried[] = {N2P_BOLT_VERSION(4, 4), N2P_BOLT_VERSION(5, 0),
	N2P_BOLT_VERSION(5, 8)};
	static int64_t epoch[LIVE_ZONES];
	static int32_t off[LIVE_ZONES];
	N2pError	err;
	Session		s;
	N2pArena	arena;
	N2pValue	row;
	int			r = -1,
				n = 0;
	size_t		i;
	char		what[160];

	n2p_error_init(&err);
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	if (open_session(&s, uri, 0, 0, password, &err))
	{
		if (write_query(&s, "MATCH (n:LiveZones) DELETE n", &err) && write_query(&s, seed, &err) &&
			n2p_bolt_begin(s.bolt, "r", NULL, &err) &&
			n2p_bolt_run(s.bolt, "MATCH (n:LiveZones) RETURN n.k, n.z.epochSeconds, n.z.offsetSeconds", NULL,
						 0, &err))
			while ((r = n2p_bolt_next(s.bolt, &arena, &row, &err)) > 0 && row.u.list.n == 3)
			{
				int64_t		k = row.u.list.items[0].u.i;

				if (k >= 0 && k < LIVE_ZONES)
				{
					epoch[k] = row.u.list.items[1].u.i;
					off[k] = (int32_t) row.u.list.items[2].u.i;
					n++;
				}
			}
		if (r == 0)
			n2p_bolt_commit(s.bolt, &err);
		close_session(&s);
	}
	n2p_arena_destroy(&arena);
	check(r == 0 && n == LIVE_ZONES, "the source's zone test: 2500 zoned DateTimes written and read back", &err);
	for (i = 0; r == 0 && i < sizeof(versions_tried) / sizeof(versions_tried[0]); i++)
	{
		int			v = versions_tried[i],
					right;

		n2p_error_init(&err);
		right = source_offsets(uri, v, epoch, off, &err);
		snprintf(what, sizeof(what),
				 "the source over Bolt %d.%d: 2500 zoned DateTimes in batches, each with the server's offset (%d right)",
				 v / 256, v % 256, right);
		check(right == LIVE_ZONES, what, &err);
	}
	n2p_error_init(&err);
	if (open_session(&s, uri, 0, 0, password, &err))
	{
		check(write_query(&s, "MATCH (n:LiveZones) DELETE n", &err), "the source's zone test: nodes removed", &err);
		close_session(&s);
	}
}

int
main(void)
{
	const char *port = getenv("N2P_TEST_NEO4J_PORT");
	const char *dir = getenv("N2P_TEST_NEO4J_DIR");
	char		uri[256];

	if (port == NULL || dir == NULL)
	{
		fprintf(stderr, "bolt_live: N2P_TEST_NEO4J_PORT and N2P_TEST_NEO4J_DIR must be set\n");
		printf("bolt: 0 passed, 1 failed\n");
		return 1;
	}
	read_password(dir);
	snprintf(uri, sizeof(uri), "bolt://127.0.0.1:%s", port);
	each_version(uri);
	failures(uri);
	route(atoi(port));
	tls(atoi(port), dir);
	refusals(uri);
	zone_offsets(uri);
	printf("bolt: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
