/*-------------------------------------------------------------------------
 *
 * typed_equiv.c
 *	  The binary encoder of typed columns against a real PostgreSQL: for
 *	  every column kind, the same generated values are copied once as text
 *	  (n2p_copy_text_typed) and once as binary (n2p_copy_binary_typed) into
 *	  two tables of the column's type, and the tables must be equal value
 *	  by value, down to the bytes of the types' send functions.
 *
 * Run by test/check.sh against the throwaway server (PG* variables).  It
 * creates and drops the database neo2pg_typed_equiv, with PostGIS.
 * N2P_EQUIV_SEED and N2P_EQUIV_ROWS override the seed and the row count.
 * The last line reads "typed binary equivalence: N passed, M failed".
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  test/typed_equiv.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/float_repr.h"
#include "neo2pg/temporal.h"
#include "neo2pg/pgcopy.h"
#include "neo2pg/typemap.h"

#include <libpq-fe.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DBNAME "neo2pg_typed_equiv"
#define POINT_TYPE "public.neo4j_point"
#define NANOS_PER_SEC INT64_C(1000000000)
#define SECS_PER_DAY INT64_C(86400)

/* ------------------------------------------------------------ values */

static uint64_t rng_state;

static uint64_t
rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(2685821657736338717);
}

static int64_t
rnd_range(int64_t lo, int64_t hi)
{
	uint64_t	span = (uint64_t) hi - (uint64_t) lo + 1;	/* 0: all of int64 */

	return (int64_t) ((uint64_t) lo + (span ? rnd() % span : rnd()));
}

/* Fractions that round in every way: ties, carries, few and many digits. */
static int32_t
rnd_nanos(void)
{
	switch (rnd() % 8)
	{
		case 0:
			return 0;
		case 1:
			return (int32_t) rnd_range(0, 999999) * 1000 + 500;
		case 2:
			return (int32_t) rnd_range(999999500, 999999999);
		case 3:
			return (int32_t) rnd_range(0, 999) * 1000000;
		case 4:
			return (int32_t) rnd_range(0, 999999) * 1000 + (int32_t) rnd_range(495, 505);
		default:
			return (int32_t) rnd_range(0, 999999999);
	}
}

/* Offsets up to Neo4j's +-18:00; PostgreSQL holds +-15:59:59. */
static int32_t
rnd_offset(void)
{
	switch (rnd() % 6)
	{
		case 0:
			return 0;
		case 1:
			return (int32_t) rnd_range(-64800, 64800);
		case 2:
			return (rnd() % 2 ? 1 : -1) * (int32_t) rnd_range(57540, 57600);
		default:
			return (int32_t) rnd_range(-72, 72) * 900;
	}
}

static double
rnd_double(bool finite)
{
	uint64_t	u;
	double		d;

	switch (rnd() % (finite ? 6 : 9))
	{
		case 0:
			return (double) rnd_range(-100000, 100000) / 1000;
		case 1:
			return rnd() % 2 ? 0.0 : -0.0;
		case 2:
			return (double) rnd_range(-5, 5) * DBL_MIN / 3;	/* subnormal */
		case 6:
			return rnd() % 2 ? INFINITY : -INFINITY;
		case 7:
			u = UINT64_C(0x7FF0000000000001) | rnd() | (rnd() % 2 ? UINT64_C(1) << 63 : 0);
			memcpy(&d, &u, sizeof(d));
			return d;			/* a NaN with any sign and payload */
		case 8:
			return NAN;
		default:
			do
			{
				u = rnd();
				memcpy(&d, &u, sizeof(d));
			} while (!isfinite(d));
			return d;
	}
}

static int64_t
days_of(int64_t y, int m, int d)
{
	return n2p_days_from_civil(y, m, d);
}

/* Days of years 1 .. 9999, their first and last, and of years 0 and 10000 (lost). */
static int64_t
rnd_days(void)
{
	switch (rnd() % 20)
	{
		case 0:
			return rnd() % 2 ? rnd_range(days_of(0, 1, 1), days_of(0, 12, 31))
				: rnd_range(days_of(10000, 1, 1), days_of(10000, 12, 31));
		case 1:
			return rnd() % 2 ? days_of(1, 1, 1) : days_of(9999, 12, 31);
		default:
			return rnd_range(days_of(1, 1, 1), days_of(9999, 12, 31));
	}
}

static char *
arena_copy(N2pArena *a, const char *s, size_t len)
{
	char	   *p = n2p_arena_alloc(a, len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

static void
gen_string(N2pArena *a, N2pValue *v, bool with_nul)
{
	static const char *const pieces[] = {
		"a", "Z", "0", " ", "\\", "\t", "\n", "\r", "\"", "'", "{", "}", ",", ":", ";",
		"NULL", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\\N", "()"};
	char		buf[128];
	size_t		len = 0,
				n = (size_t) rnd_range(0, 10),
				i;

	for (i = 0; i < n; i++)
	{
		const char *p = with_nul && rnd() % 4 == 0 ? "" : pieces[rnd() % (sizeof(pieces) / sizeof(pieces[0]))];
		size_t		plen = *p ? strlen(p) : 1;	/* "" stands for U+0000 */

		memcpy(buf + len, p, plen);
		len += plen;
	}
	v->type = N2P_STRING;
	v->u.str.ptr = arena_copy(a, buf, len);
	v->u.str.len = len;
}

static void
gen_bytes(N2pArena *a, N2pValue *v)
{
	char		buf[16];
	size_t		n = (size_t) rnd_range(0, 16),
				i;

	for (i = 0; i < n; i++)
		buf[i] = (char) rnd();
	v->type = N2P_BYTES;
	v->u.str.ptr = arena_copy(a, buf, n);
	v->u.str.len = n;
}

static void
gen_float(N2pArena *a, N2pValue *v)
{
	char		tmp[N2P_DOUBLE_BUFSZ];
	size_t		n;

	v->type = N2P_FLOAT;
	v->u.fnum.f = rnd_double(false);
	v->u.fnum.text = NULL;
	v->u.fnum.len = 0;
	/* as read from a backup: the float's repr as its token */
	if (isfinite(v->u.fnum.f) && rnd() % 2)
	{
		n = n2p_format_double(v->u.fnum.f, tmp);
		v->u.fnum.text = arena_copy(a, tmp, n);
		v->u.fnum.len = n;
	}
}

/* 23:59:59 with a carrying fraction, 24:00, or any time of day */
static int64_t
rnd_time_nanos(void)
{
	switch (rnd() % 10)
	{
		case 0:
			return SECS_PER_DAY * NANOS_PER_SEC;
		case 1:
			return (SECS_PER_DAY - 1) * NANOS_PER_SEC + rnd_range(999999500, 999999999);
		default:
			return rnd_range(0, SECS_PER_DAY - 1) * NANOS_PER_SEC + rnd_nanos();
	}
}

static void
gen_datetime(N2pValue *v, bool zoned)
{
	int64_t		days = rnd_days();

	memset(&v->u.dt, 0, sizeof(v->u.dt));
	v->type = zoned ? N2P_DATETIME : N2P_LOCALDATETIME;
	v->u.dt.secs = days * SECS_PER_DAY +
		(rnd() % 4 ? rnd_range(0, SECS_PER_DAY - 1) : SECS_PER_DAY - 1);
	v->u.dt.nanos = rnd_nanos();
	v->u.dt.offset = zoned ? rnd_offset() : 0;
}

/* A magnitude of any order, up to max, with either sign. */
static int64_t
rnd_signed(int64_t max)
{
	int64_t		m = max >> rnd_range(0, 62);

	return (rnd() % 2 ? 1 : -1) * rnd_range(0, m);
}

static void
gen_duration(N2pValue *v)
{
	/* microseconds of an interval end near +-9223372036854 s */
	static const int64_t secs_edges[] = {0, 1, -1, 59, -59, 60, -60, 3599, -3600,
		INT64_C(9223372036852), INT64_C(-9223372036852), INT64_C(9223372036853),
	INT64_C(-9223372036853)};

	v->type = N2P_DURATION;
	v->u.dur.months = rnd() % 10 ? rnd_signed(INT32_MAX) : rnd_signed(INT64_C(1) << 34);
	v->u.dur.days = rnd() % 10 ? rnd_signed(INT32_MAX) : rnd_signed(INT64_C(1) << 34);
	if (rnd() % 3 == 0)
		v->u.dur.months = v->u.dur.days = 0;
	v->u.dur.secs = rnd() % 5 ? rnd_signed(INT64_C(9223372036852))
		: secs_edges[rnd() % (sizeof(secs_edges) / sizeof(secs_edges[0]))];
	v->u.dur.nanos = rnd_nanos();
}

static const int32_t srids[] = {N2P_SRID_WGS84, N2P_SRID_CARTESIAN, N2P_SRID_WGS84_3D,
N2P_SRID_CARTESIAN_3D};

static void
gen_point(N2pValue *v, int32_t srid)
{
	bool		finite = rnd() % 20 != 0;

	v->type = N2P_POINT;
	v->u.point.srid = srid ? srid : srids[rnd() % 4];
	v->u.point.x = rnd_double(finite);
	v->u.point.y = rnd_double(finite);
	v->u.point.z = n2p_srid_is_3d(v->u.point.srid) ? rnd_double(finite) : 0.0;
}

/* One value of the Neo4j type behind column kind k. */
static void
gen_scalar(N2pArena *a, N2pColKind k, int32_t srid, bool with_nul, N2pValue *v)
{
	memset(v, 0, sizeof(*v));
	switch (k)
	{
		case N2P_COL_BIGINT:
			v->type = N2P_INT;
			v->u.i = rnd() % 4 ? rnd_signed(INT64_MAX) : (rnd() % 2 ? INT64_MAX : INT64_MIN);
			break;
		case N2P_COL_FLOAT8:
			gen_float(a, v);
			break;
		case N2P_COL_TEXT:
			gen_string(a, v, with_nul);
			break;
		case N2P_COL_BOOL:
			v->type = N2P_BOOL;
			v->u.b = rnd() % 2;
			break;
		case N2P_COL_BYTEA:
			gen_bytes(a, v);
			break;
		case N2P_COL_DATE:
			v->type = N2P_DATE;
			v->u.date = rnd_days();
			break;
		case N2P_COL_TIME:
		case N2P_COL_TIMETZ:
			v->type = k == N2P_COL_TIME ? N2P_LOCALTIME : N2P_TIME;
			v->u.time.nanos = rnd_time_nanos();
			v->u.time.offset = k == N2P_COL_TIME ? 0 : rnd_offset();
			break;
		case N2P_COL_TIMESTAMP:
		case N2P_COL_TIMESTAMPTZ:
			gen_datetime(v, k == N2P_COL_TIMESTAMPTZ);
			break;
		case N2P_COL_INTERVAL:
			gen_duration(v);
			break;
		case N2P_COL_POINT:
			gen_point(v, srid);
			break;
		case N2P_COL_JSONB:
			gen_scalar(a, (N2pColKind) rnd_range(N2P_COL_BIGINT, N2P_COL_POINT), 0, with_nul, v);
			break;
	}
}

static void
gen_value(N2pArena *a, N2pColumnType t, bool with_nul, N2pValue *v)
{
	size_t		n,
				i;

	if (!t.is_array && !(t.kind == N2P_COL_JSONB && rnd() % 3 == 0))
	{
		gen_scalar(a, t.kind, t.srid, with_nul, v);
		return;
	}
	n = (size_t) rnd_range(0, 5);
	v->type = N2P_LIST;
	v->u.list.items = n2p_arena_alloc(a, (n ? n : 1) * sizeof(N2pValue));
	v->u.list.n = n;
	for (i = 0; i < n; i++)
		gen_scalar(a, t.kind, t.srid, with_nul, &v->u.list.items[i]);
}

/* ------------------------------------------------------------ server */

static PGconn *conn;

static bool
exec_ok(const char *sql)
{
	PGresult   *res = PQexec(conn, sql);
	bool		ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;

	if (!ok)
		fprintf(stderr, "%s\n  in: %s\n", PQerrorMessage(conn), sql);
	PQclear(res);
	return ok;
}

static bool
copy_in(const char *sql, const N2pBuf *data)
{
	PGresult   *res = PQexec(conn, sql);
	bool		ok = PQresultStatus(res) == PGRES_COPY_IN;

	PQclear(res);
	ok = ok && PQputCopyData(conn, data->data, (int) data->len) == 1;
	ok = PQputCopyEnd(conn, ok ? NULL : "client failed") == 1 && ok;
	while ((res = PQgetResult(conn)) != NULL)
	{
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
		{
			fprintf(stderr, "%s  in: %s\n", PQerrorMessage(conn), sql);
			ok = false;
		}
		PQclear(res);
	}
	return ok;
}

static uint32_t
type_oid(const char *name)
{
	char		sql[256];
	PGresult   *res;
	uint32_t	oid = 0;

	snprintf(sql, sizeof(sql), "SELECT '%s'::regtype::oid", name);
	res = PQexec(conn, sql);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		oid = (uint32_t) strtoul(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return oid;
}

/* The bytes of the type's send function, for bit-for-bit comparison. */
static const char *
send_function(N2pColumnType t, bool postgis)
{
	static const char *const names[] = {
		[N2P_COL_JSONB] = "jsonb_send", [N2P_COL_BIGINT] = "int8send",
		[N2P_COL_FLOAT8] = "float8send", [N2P_COL_TEXT] = "textsend",
		[N2P_COL_BOOL] = "boolsend", [N2P_COL_BYTEA] = "byteasend",
		[N2P_COL_DATE] = "date_send", [N2P_COL_TIME] = "time_send",
		[N2P_COL_TIMETZ] = "timetz_send", [N2P_COL_TIMESTAMP] = "timestamp_send",
		[N2P_COL_TIMESTAMPTZ] = "timestamptz_send", [N2P_COL_INTERVAL] = "interval_send",
	[N2P_COL_POINT] = ""};

	if (t.is_array && t.kind != N2P_COL_JSONB)
		return "array_send";
	if (t.kind == N2P_COL_POINT)
		return postgis ? "geometry_send" : "record_send";
	return names[t.kind];
}

/* ------------------------------------------------------------ cases */

typedef struct Case
{
	const char *name;
	N2pColumnType t;
	bool		postgis;
	bool		with_nul;		/* strings with U+0000, replaced */
} Case;

/* name, column kind, array, SRID (0: mixed), 3-D, PostGIS, U+0000 in strings */
#define CASE(name, k, arr, srid, z, postgis, nul) {name, {k, arr, srid, z}, postgis, nul}
#define SCALAR(name, k) CASE(name, k, false, 0, false, false, false)
#define ARRAY(name, k) CASE(name, k, true, 0, false, false, false)

static const Case cases[] = {
	CASE("jsonb", N2P_COL_JSONB, false, 0, false, false, true),
	SCALAR("bigint", N2P_COL_BIGINT), ARRAY("bigint[]", N2P_COL_BIGINT),
	SCALAR("float8", N2P_COL_FLOAT8), ARRAY("float8[]", N2P_COL_FLOAT8),
	SCALAR("text", N2P_COL_TEXT), ARRAY("text[]", N2P_COL_TEXT),
	CASE("text, U+0000 replaced", N2P_COL_TEXT, false, 0, false, false, true),
	CASE("text[], U+0000 replaced", N2P_COL_TEXT, true, 0, false, false, true),
	SCALAR("boolean", N2P_COL_BOOL), ARRAY("boolean[]", N2P_COL_BOOL),
	SCALAR("bytea", N2P_COL_BYTEA), ARRAY("bytea[]", N2P_COL_BYTEA),
	SCALAR("date", N2P_COL_DATE), ARRAY("date[]", N2P_COL_DATE),
	SCALAR("time", N2P_COL_TIME), ARRAY("time[]", N2P_COL_TIME),
	SCALAR("timetz", N2P_COL_TIMETZ), ARRAY("timetz[]", N2P_COL_TIMETZ),
	SCALAR("timestamp", N2P_COL_TIMESTAMP), ARRAY("timestamp[]", N2P_COL_TIMESTAMP),
	SCALAR("timestamptz", N2P_COL_TIMESTAMPTZ), ARRAY("timestamptz[]", N2P_COL_TIMESTAMPTZ),
	SCALAR("interval", N2P_COL_INTERVAL), ARRAY("interval[]", N2P_COL_INTERVAL),
	CASE("composite point, mixed SRIDs", N2P_COL_POINT, false, 0, false, false, false),
	CASE("composite point[], mixed SRIDs", N2P_COL_POINT, true, 0, false, false, false),
	CASE("geometry(Point,4326)", N2P_COL_POINT, false, 4326, false, true, false),
	CASE("geometry(PointZ,4979)", N2P_COL_POINT, false, 4979, true, true, false),
	CASE("geometry(PointZ,9157)[]", N2P_COL_POINT, true, 9157, true, true, false),
	CASE("geometry(Point,7203)[]", N2P_COL_POINT, true, 7203, false, true, false),
	CASE("geometry, mixed SRIDs", N2P_COL_POINT, false, 0, false, true, false),
	CASE("geometry[], mixed SRIDs", N2P_COL_POINT, true, 0, false, true, false),
};

typedef struct Run
{
	N2pArena	arena;
	N2pBuf		text;
	N2pBuf		bin;
	N2pPgEncodeOpts opts;
	N2pTypedEncoder enc;
	uint32_t	geometry_oid;
	uint32_t	point_oid;
	int			rows;
} Run;

/* Both encodings of one value; false when they disagree on success or loss. */
static bool
encode_one(Run *r, const Case *c, int64_t id, const N2pValue *v, int *lost_count)
{
	N2pError	e1,
				e2;
	bool		l1,
				l2,
				ok1,
				ok2;

	n2p_error_init(&e1);
	n2p_error_init(&e2);
	ok1 = n2p_buf_printf(&r->text, "%" PRId64 "\t", id) &&
		n2p_copy_text_typed(&r->enc, &r->text, v, c->t, &l1, &e1) &&
		n2p_buf_putc(&r->text, '\n');
	ok2 = n2p_copy_tuple(&r->bin, 2) && n2p_copy_int8(&r->bin, id) &&
		n2p_copy_binary_typed(&r->enc, &r->bin, v, c->t, &l2, &e2);
	if (!ok1 || !ok2 || l1 != l2)
	{
		printf("  row %" PRId64 ": text %s (%s, lost %d), binary %s (%s, lost %d)\n", id,
			   ok1 ? "ok" : "failed", e1.msg, l1, ok2 ? "ok" : "failed", e2.msg, l2);
		return false;
	}
	*lost_count += l1;
	return true;
}

static bool
make_tables(const Case *c, int i)
{
	char		type[128],
				sql[512];

	n2p_column_type_sql(c->t, c->postgis, POINT_TYPE, type, sizeof(type));
	snprintf(sql, sizeof(sql),
			 "CREATE TABLE t%d_text (id bigint, v %s); CREATE TABLE t%d_bin (id bigint, v %s)",
			 i, type, i, type);
	return exec_ok(sql);
}

/* Rows that differ: in the type's equality, in the sent bytes, or missing. */
static int
compare_tables(const Case *c, int i)
{
	const char *send = send_function(c->t, c->postgis);
	char		sql[1024];
	PGresult   *res;
	int			n,
				k;

	snprintf(sql, sizeof(sql),
			 "SELECT coalesce(a.id, b.id), a.v::text, b.v::text, %s(a.v), %s(b.v) "
			 "FROM t%d_text a FULL JOIN t%d_bin b ON a.id = b.id "
			 "WHERE a.id IS NULL OR b.id IS NULL OR a.v IS DISTINCT FROM b.v "
			 "OR %s(a.v) IS DISTINCT FROM %s(b.v) ORDER BY 1",
			 send, send, i, i, send, send);
	res = PQexec(conn, sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
	{
		fprintf(stderr, "%s", PQerrorMessage(conn));
		PQclear(res);
		return -1;
	}
	n = PQntuples(res);
	for (k = 0; k < n && k < 5; k++)
		printf("  row %s: text-COPY %s (%s), binary-COPY %s (%s)\n", PQgetvalue(res, k, 0),
			   PQgetvalue(res, k, 1), PQgetvalue(res, k, 3), PQgetvalue(res, k, 2),
			   PQgetvalue(res, k, 4));
	PQclear(res);
	return n;
}

static int
count_rows(int i)
{
	char		sql[128];
	PGresult   *res;
	int			n = -1;

	snprintf(sql, sizeof(sql), "SELECT (SELECT count(*) FROM t%d_text) + (SELECT count(*) FROM t%d_bin)", i, i);
	res = PQexec(conn, sql);
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		n = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return n;
}

static bool
run_case(Run *r, const Case *c, int i)
{
	char		sql[256];
	int			lost = 0,
				diffs,
				row;
	bool		ok = true;

	r->opts.nul_replacement = c->with_nul ? "\xef\xbf\xbd" : NULL;
	n2p_typed_encoder_init(&r->enc, &n2p_libc_allocator, c->postgis, &r->opts);
	r->enc.geometry_oid = r->geometry_oid;
	r->enc.point_oid = r->point_oid;
	n2p_buf_reset(&r->text);
	n2p_buf_reset(&r->bin);
	ok = n2p_copy_header(&r->bin);
	for (row = 0; row < r->rows; row++)
	{
		N2pValue	v;

		n2p_arena_reset(&r->arena);
		gen_value(&r->arena, c->t, c->with_nul, &v);
		ok = encode_one(r, c, row, &v, &lost) && ok;
	}
	n2p_typed_encoder_free(&r->enc);
	ok = ok && n2p_copy_trailer(&r->bin) && make_tables(c, i);
	snprintf(sql, sizeof(sql), "COPY t%d_text (id, v) FROM STDIN", i);
	ok = ok && copy_in(sql, &r->text);
	snprintf(sql, sizeof(sql), "COPY t%d_bin (id, v) FROM STDIN (FORMAT binary)", i);
	ok = ok && copy_in(sql, &r->bin);
	diffs = ok ? compare_tables(c, i) : -1;
	ok = ok && diffs == 0 && count_rows(i) == 2 * r->rows;
	printf("%s %s: %d values, %d lost%s\n", ok ? "ok  " : "FAIL", c->name, r->rows, lost,
		   diffs > 0 ? ", values differ" : "");
	return ok;
}

static bool
setup(Run *r)
{
	conn = PQconnectdb("dbname=postgres options='-c client_min_messages=warning'");
	if (PQstatus(conn) != CONNECTION_OK)
		return fprintf(stderr, "%s", PQerrorMessage(conn)), false;
	if (!exec_ok("DROP DATABASE IF EXISTS " DBNAME) || !exec_ok("CREATE DATABASE " DBNAME))
		return false;
	PQfinish(conn);
	conn = PQconnectdb("dbname=" DBNAME " client_encoding=UTF8 "
					   "options='-c client_min_messages=warning'");
	if (PQstatus(conn) != CONNECTION_OK)
		return fprintf(stderr, "%s", PQerrorMessage(conn)), false;
	if (!exec_ok("CREATE EXTENSION postgis") ||
		!exec_ok("CREATE TYPE " POINT_TYPE " AS (srid integer, x double precision, "
				 "y double precision, z double precision)"))
		return false;
	r->geometry_oid = type_oid("geometry");
	r->point_oid = type_oid(POINT_TYPE);
	return r->geometry_oid != 0 && r->point_oid != 0;
}

int
main(void)
{
	const char *seed = getenv("N2P_EQUIV_SEED");
	const char *rows = getenv("N2P_EQUIV_ROWS");
	Run			r;
	int			passed = 0,
				failed = 0;
	bool		ready;
	size_t		i;

	memset(&r, 0, sizeof(r));
	rng_state = seed ? strtoull(seed, NULL, 10) : UINT64_C(20260101);
	if (rng_state == 0)
		rng_state = 1;
	r.rows = rows ? atoi(rows) : 4000;
	printf("seed %" PRIu64 ", %d rows per type\n", rng_state, r.rows);
	n2p_arena_init(&r.arena, &n2p_libc_allocator, 0);
	n2p_buf_init(&r.text, &n2p_libc_allocator);
	n2p_buf_init(&r.bin, &n2p_libc_allocator);
	ready = setup(&r);
	if (!ready)
		failed++;
	for (i = 0; ready && i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		if (run_case(&r, &cases[i], (int) i))
			passed++;
		else
			failed++;
	}
	PQfinish(conn);
	/* kept after a failure, for a look at the tables */
	conn = PQconnectdb("dbname=postgres");
	if (failed == 0 && !exec_ok("DROP DATABASE IF EXISTS " DBNAME))
		failed++;
	PQfinish(conn);
	n2p_buf_free(&r.text);
	n2p_buf_free(&r.bin);
	n2p_arena_destroy(&r.arena);
	printf("typed binary equivalence: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
