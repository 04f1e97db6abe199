/*-------------------------------------------------------------------------
 *
 * test_nomem.c
 *	  Every allocation of the readers of outside bytes, failed in turn:
 *	  the backup reader as a whole (metadata, gzip'd and plain chunks,
 *	  neo2pg's exact files, through an in-memory N2pFileIO), the
 *	  PostgreSQL source's COPY parser and the Bolt client.
 *
 * A run fails its Nth allocation, for N = 1, 2, ... until a run needs no
 * more than N - 1 allocations and so completes.  Each failed run must end
 * in N2P_ERR_NOMEM with a message (never another code: an out-of-memory
 * reported as bad data would blame the user's file), and free every block
 * it took; the complete run must read what the libc allocator's run read.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  test/unit/test_nomem.c
 *
 *-------------------------------------------------------------------------
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "neo2pg/backup.h"
#include "neo2pg/bolt.h"
#include "neo2pg/packstream.h"
#include "neo2pg/pgcopy.h"
#include "neo2pg/pgread.h"

#include "mem_io.h"
#include "test_support.h"

/*
 * One run of a reader over its input with allocator a: the error code it
 * ended with (N2P_OK when it read everything), with err filled, and in
 * *digest a summary of what it read, to compare with the libc run.
 */
typedef N2pErrCode (*RunFn) (const N2pAllocator *a, void *input, uint64_t *digest,
							 N2pError *err);

static void
fail_each_allocation(const char *what, RunFn run, void *input)
{
	N2pError	err;
	uint64_t	want,
				got;
	int			n;

	n2p_error_init(&err);
	if (run(&n2p_libc_allocator, input, &want, &err) != N2P_OK)
		fail_msg("%s: the run with malloc failed: %s", what, err.msg);
	for (n = 0;; n++)
	{
		FailingAlloc fa = {n, 0, 0};
		N2pAllocator a = {failing_malloc, failing_realloc, failing_free, &fa};
		N2pErrCode	code;

		n2p_error_init(&err);
		got = 0;
		code = run(&a, input, &got, &err);
		if (fa.live != 0)
			fail_msg("%s: with allocation %d failing, %d blocks were not freed", what, n + 1,
					 fa.live);
		if (code == N2P_OK)
		{
			if (got != want)
				fail_msg("%s: with allocation %d failing, the run read other values", what,
						 n + 1);
			/* no allocation failed: every one has been tried */
			if (fa.calls <= n)
				break;
			continue;
		}
		if (code != N2P_ERR_NOMEM || err.msg[0] == '\0')
			fail_msg("%s: with allocation %d failing: code %d, \"%s\", expected N2P_ERR_NOMEM",
					 what, n + 1, (int) code, err.msg);
	}
	/* the run did allocate: the loop tried something */
	assert_true(n > 3);
}

/* An order-sensitive summary of a value, good enough to tell runs apart. */
static uint64_t
digest_value(uint64_t h, const N2pValue *v)
{
	size_t		i;

	h = n2p_fnv1a(h, &v->type, sizeof(v->type));
	switch (v->type)
	{
		case N2P_STRING:
		case N2P_BYTES:
			return n2p_fnv1a(h, v->u.str.ptr, v->u.str.len);
		case N2P_LIST:
			for (i = 0; i < v->u.list.n; i++)
				h = digest_value(h, &v->u.list.items[i]);
			return h;
		case N2P_MAP:
			for (i = 0; i < v->u.map.n; i++)
				h = digest_value(n2p_fnv1a(h, v->u.map.keys[i].ptr, v->u.map.keys[i].len),
								 &v->u.map.vals[i]);
			return h;
		case N2P_STRUCT:
			for (i = 0; i < v->u.st.n; i++)
				h = digest_value(h, &v->u.st.fields[i]);
			return n2p_fnv1a(h, &v->u.st.tag, 1);
		case N2P_BOOL:
			return n2p_fnv1a(h, &v->u.b, sizeof(v->u.b));
		case N2P_INT:
		case N2P_DATE:
			return n2p_fnv1a(h, &v->u.i, sizeof(v->u.i));
		case N2P_FLOAT:
			return n2p_fnv1a(h, &v->u.f, sizeof(v->u.f));
		case N2P_TIME:
		case N2P_LOCALTIME:
			h = n2p_fnv1a(h, &v->u.time.nanos, sizeof(v->u.time.nanos));
			return n2p_fnv1a(h, &v->u.time.offset, sizeof(v->u.time.offset));
		case N2P_DATETIME:
		case N2P_LOCALDATETIME:
			h = n2p_fnv1a(h, &v->u.dt.secs, sizeof(v->u.dt.secs));
			h = n2p_fnv1a(h, &v->u.dt.nanos, sizeof(v->u.dt.nanos));
			h = n2p_fnv1a(h, &v->u.dt.offset, sizeof(v->u.dt.offset));
			return n2p_fnv1a(h, v->u.dt.zone.ptr, v->u.dt.zone.len);
		case N2P_DURATION:
			h = n2p_fnv1a(h, &v->u.dur.months, sizeof(v->u.dur.months));
			h = n2p_fnv1a(h, &v->u.dur.days, sizeof(v->u.dur.days));
			h = n2p_fnv1a(h, &v->u.dur.secs, sizeof(v->u.dur.secs));
			return n2p_fnv1a(h, &v->u.dur.nanos, sizeof(v->u.dur.nanos));
		case N2P_POINT:
			h = n2p_fnv1a(h, &v->u.point.srid, sizeof(v->u.point.srid));
			h = n2p_fnv1a(h, &v->u.point.x, sizeof(v->u.point.x));
			h = n2p_fnv1a(h, &v->u.point.y, sizeof(v->u.point.y));
			return n2p_fnv1a(h, &v->u.point.z, sizeof(v->u.point.z));
		default:
			return h;
	}
}

static uint64_t
digest_record(uint64_t h, const N2pRecord *rec)
{
	size_t		i;

	h = n2p_fnv1a(h, &rec->id, sizeof(rec->id));
	for (i = 0; i < rec->nlabels; i++)
		h = n2p_fnv1a(h, rec->labels[i].ptr, rec->labels[i].len);
	h = n2p_fnv1a(h, rec->type.ptr, rec->type.len);
	h = n2p_fnv1a(h, &rec->start_id, sizeof(rec->start_id));
	h = n2p_fnv1a(h, &rec->end_id, sizeof(rec->end_id));
	h = n2p_fnv1a(h, rec->element_id.ptr, rec->element_id.len);
	return digest_value(h, &rec->props);
}

/* -------------------------------------------------------------- backup */

static const char nodes_json[] =
	"[{\"node_id\": 1, \"node_labels\": \"P:Q\", \"node_props\": {\"uid\": 1,"
	" \"h\": \"42720834c99657fe79546149bf4e310fd3a66a3e1f4d59801c02b3a311e2c427\","
	" \"d\": \"$date('2000-01-01')\", \"l\": [\"$time('10:00:00')\", \"x\"],"
	" \"p\": \"$point({x: 1.0, y: 2.0, z: 3.0, crs: 'wgs-84-3d'})\","
	" \"b\": \"b'\\\\x00\\\\xff'\", \"z\": \"$datetime('2020-01-01T00:00:00+01:00')\","
	" \"s\": [\"x\"], \"f\": [1.5, NaN]}, \"hash_props\": {\"h\": \"$date('not a date')\"}},\n"
	"{\"node_id\": 2, \"node_labels\": \"\", \"node_props\": {}, \"hash_props\": {}},\n";

static const char nodes_exact[] =
	"[{\"id\": 1, \"element_id\": \"4:x:1\", \"labels\": [\"Q\", \"P\"],"
	" \"props\": {\"b\": {\"bytes\": \"00ff\"},"
	" \"z\": {\"datetime\": \"2020-01-01T00:00:00+01:00[Europe/Paris]\"},"
	" \"s\": {\"string\": [\"$date('x')\"]}}},\n"
	"{\"id\": 2, \"element_id\": \"4:x:2\"}, {\"id\": 3, \"element_id\": \"4:x:3\"}]\n";

static const char rels_json[] =
	"[{\"rel_id\": 5, \"start_node_id\": 1, \"end_node_id\": 2, \"rel_type\": \"KNOWS\","
	" \"rel_props\": {\"w\": 0.5, \"t\": \"$duration('P1Y2M3DT4H5M6.000000007S')\"},"
	" \"hash_props\": {}},"
	" {\"rel_id\": 6, \"start_node_id\": 2, \"end_node_id\": 1, \"rel_type\": \"KNOWS\","
	" \"rel_props\": {}, \"hash_props\": {}}]";

static const char rels_exact[] =
	"[{\"id\": 5, \"element_id\": \"5:x:5\"}, {\"id\": 6, \"element_id\": \"5:x:6\"}]";

/*
 * Values are built in arenas of 64 kB blocks, so an allocation of a small
 * input fails only at the first block.  The big row and the long schema
 * fill blocks, so that later allocations fail too: the schema's strings
 * are copied after the document filled its block, and the big row's
 * literals are converted after its text filled its own.
 */
#define BIG_ITEMS 5000

static void
big_row(N2pBuf *b)
{
	int			i;

	n2p_buf_printf(b, "{\"node_id\": 3, \"node_labels\": \"P\", \"node_props\": {\"d\": [");
	for (i = 0; i < BIG_ITEMS; i++)
		n2p_buf_printf(b, "%s\"$date('%04d-01-01')\"", i ? ", " : "", 1000 + i);
	n2p_buf_printf(b, "], \"s\": \"");
	for (i = 0; i < BIG_ITEMS; i++)
		n2p_buf_printf(b, "text %d ", i);
	n2p_buf_printf(b, "\"}, \"hash_props\": {}}]");
}

static void
big_graph(N2pBuf *b)
{
	int			i,
				j;

	n2p_buf_printf(b, "{\"element_ids\": true, \"zone_ids\": true, \"schema\": [");
	for (i = 0; i < 8; i++)
	{
		n2p_buf_printf(b, "%s{\"kind\": \"index\", \"name\": \"i%d\", \"type\": \"RANGE\","
					   " \"entity\": \"NODE\", \"labels_or_types\": [\"P\"],"
					   " \"properties\": [\"uid\"], \"create\": \"CREATE INDEX i%d", i ? ", " : "", i, i);
		for (j = 0; j < 1000; j++)
			n2p_buf_printf(b, " /* %d */", j);
		n2p_buf_printf(b, "\"}");
	}
	n2p_buf_printf(b, "]}");
}

typedef struct Backup
{
	MemFs		fs;
	unsigned char *gz[2];
	N2pBuf		nodes;
	N2pBuf		graph;
} Backup;

static void
backup_init(Backup *b)
{
	static const char *const meta[][2] = {
		{"b/db_id.json", "\"A1\""},
		{"b/unique_prop_key.json", "\"uid\""},
		{"b/uniqueness_constraints.json",
		"[{\"node_label\": \"P\", \"node_prop\": \"uid\", \"constraint_name\": \"c\"}]"},
		{"b/property_keys.json", "[\"uid\", \"d\"]"},
		{"b/node_labels.json", "[\"P:Q\"]"},
		{"b/rel_types.json", "[\"KNOWS\"]"},
		{"b/data/relationships_2.json", rels_json},
		{"b/neo2pg/relationships_2.json", rels_exact},
	};
	size_t		i,
				len[2];

	memset(b, 0, sizeof(*b));
	for (i = 0; i < sizeof(meta) / sizeof(meta[0]); i++)
		mem_fs_add(&b->fs, meta[i][0], meta[i][1], strlen(meta[i][1]));
	n2p_buf_init(&b->nodes, &n2p_libc_allocator);
	n2p_buf_init(&b->graph, &n2p_libc_allocator);
	n2p_buf_append(&b->nodes, nodes_json, strlen(nodes_json));
	big_row(&b->nodes);
	big_graph(&b->graph);
	mem_fs_add(&b->fs, "b/neo2pg/graph.json", b->graph.data, b->graph.len);
	b->gz[0] = gzip_bytes(b->nodes.data, b->nodes.len, &len[0]);
	b->gz[1] = gzip_bytes(nodes_exact, strlen(nodes_exact), &len[1]);
	mem_fs_add(&b->fs, "b/data/nodes_1.json.gz", b->gz[0], len[0]);
	mem_fs_add(&b->fs, "b/neo2pg/nodes_1.json.gz", b->gz[1], len[1]);
	b->fs.piece = 1000;
}

static void
backup_free(Backup *b)
{
	free(b->gz[0]);
	free(b->gz[1]);
	n2p_buf_free(&b->nodes);
	n2p_buf_free(&b->graph);
}

static N2pErrCode
run_backup(const N2pAllocator *a, void *input, uint64_t *digest, N2pError *err)
{
	Backup	   *b = input;
	N2pFileIO	io = mem_io(&b->fs);
	N2pSource  *src;
	N2pRecord	rec;
	int			rc,
				records = 0;

	*digest = N2P_FNV1A_BASIS;
	if ((src = n2p_backup_open_io("b", &io, a, err)) == NULL)
		return err->code;
	while ((rc = src->ops->next(src, &rec, err)) == 1)
	{
		*digest = digest_record(*digest, &rec);
		records++;
	}
	src->ops->close(src);
	assert_int_equal(b->fs.open, 0);
	if (rc == 0)
		assert_int_equal(records, 5);
	return rc == 0 ? N2P_OK : err->code;
}

static void
test_backup(void **state)
{
	Backup		b;

	(void) state;
	backup_init(&b);
	fail_each_allocation("backup reader", run_backup, &b);
	backup_free(&b);
}

/* ----------------------------------------------------------- COPY parser */

typedef struct Tuples
{
	N2pRecKind	kind[8];
	N2pBuf		msg[8];
	int			n;
} Tuples;

/* The backup's records as the server's binary COPY would send them. */
static void
tuples_init(Tuples *t)
{
	Backup		b;
	N2pFileIO	io;
	N2pError	err;
	N2pSource  *src;
	N2pRecord	rec;
	N2pBuf		types;
	N2pPgEncodeOpts opts = {.element_ids = true};
	int			rc;

	backup_init(&b);
	io = mem_io(&b.fs);
	n2p_error_init(&err);
	memset(t, 0, sizeof(*t));
	n2p_buf_init(&types, &n2p_libc_allocator);
	src = n2p_backup_open_io("b", &io, &n2p_libc_allocator, &err);
	assert_non_null(src);
	while ((rc = src->ops->next(src, &rec, &err)) == 1)
	{
		N2pBuf	   *m = &t->msg[t->n];

		assert_true(t->n < 7);
		t->kind[t->n++] = rec.kind;
		n2p_buf_init(m, &n2p_libc_allocator);
		/* each table's first tuple comes after the file header */
		if (t->n == 1 || t->kind[t->n - 2] != rec.kind)
			assert_true(n2p_copy_header(m));
		n2p_buf_reset(&types);
		if (!n2p_copy_record(m, &rec, &types, &opts, &err))
			fail_msg("%s", err.msg);
	}
	assert_int_equal(rc, 0);
	src->ops->close(src);
	n2p_buf_free(&types);
	backup_free(&b);
	/* the trailer */
	n2p_buf_init(&t->msg[t->n], &n2p_libc_allocator);
	assert_true(n2p_copy_trailer(&t->msg[t->n]));
	t->kind[t->n] = N2P_REC_REL;
	t->n++;
}

static N2pErrCode
run_pgread(const N2pAllocator *a, void *input, uint64_t *digest, N2pError *err)
{
	Tuples	   *t = input;
	N2pPgReader *r;
	N2pArena	arena;
	N2pRecord	rec;
	int			i,
				rc = 1;

	*digest = N2P_FNV1A_BASIS;
	if ((r = n2p_pg_reader_new(a, err)) == NULL)
		return err->code;
	n2p_arena_init(&arena, a, 0);
	for (i = 0; i < t->n && rc == 1; i++)
	{
		n2p_arena_reset(&arena);
		rc = n2p_pg_read_tuple(r, t->kind[i], true, t->msg[i].data, t->msg[i].len, &arena,
							   &rec, err);
		if (rc == 1)
			*digest = digest_record(*digest, &rec);
	}
	n2p_arena_destroy(&arena);
	n2p_pg_reader_free(r);
	if (rc == 0)
		assert_int_equal(i, t->n);
	return rc == 0 ? N2P_OK : err->code;
}

static void
test_pgread(void **state)
{
	Tuples		t;
	int			i;

	(void) state;
	tuples_init(&t);
	fail_each_allocation("COPY parser", run_pgread, &t);
	for (i = 0; i < t.n; i++)
		n2p_buf_free(&t.msg[i]);
}

/* ---------------------------------------------------------------- Bolt */

/*
 * Reads stop at each reply's end, as a server's would when the next reply
 * waits for the next request: the client refuses bytes it did not ask for.
 */
typedef struct Peer
{
	N2pBuf		server;
	size_t		pos;
	size_t		ends[16];		/* where each reply ends */
	size_t		nends;
} Peer;

static bool
peer_read(void *ctx, void *buf, size_t cap, size_t *got, N2pError *err)
{
	Peer	   *p = ctx;
	size_t		n = p->server.len - p->pos;

	(void) err;
	/* a few bytes at a time: messages are gathered from pieces */
	n = n < cap ? n : cap;
	n = n < 11 ? n : 11;
	for (size_t i = 0; i < p->nends; i++)
		if (p->ends[i] > p->pos)
		{
			n = n < p->ends[i] - p->pos ? n : p->ends[i] - p->pos;
			break;
		}
	memcpy(buf, p->server.data + p->pos, n);
	p->pos += n;
	*got = n;
	return true;
}

static bool
peer_write(void *ctx, const void *buf, size_t len, N2pError *err)
{
	(void) ctx;
	(void) buf;
	(void) len;
	(void) err;
	return true;
}

/* A reply whose one field is a value, or none. */
static void
say(Peer *p, uint8_t tag, const N2pValue *field)
{
	N2pBuf		m;
	N2pError	err;

	n2p_error_init(&err);
	n2p_buf_init(&m, &n2p_libc_allocator);
	assert_true(n2p_ps_put_struct_header(&m, tag, field ? 1 : 0));
	if (field)
		assert_true(n2p_ps_put_value(&m, field, true, &err));
	assert_true(n2p_bolt_chunk(&p->server, m.data, m.len));
	n2p_buf_free(&m);
	assert_true(p->nends < sizeof(p->ends) / sizeof(p->ends[0]));
	p->ends[p->nends++] = p->server.len;
}

static void
say_map(Peer *p, uint8_t tag, const char *key, N2pValue val)
{
	N2pStr		k = {key, key ? strlen(key) : 0};
	N2pValue	map = key ? v_map(&k, &val, 1) : v_map(NULL, NULL, 0);

	say(p, tag, &map);
}

static void
peer_init(Peer *p)
{
	N2pArena	arena;
	N2pValue	items[4],
				row,
				addr,
				server[2],
				entry,
				rt[2];
	char	   *big;
	N2pStr		server_keys[2] = {s_cstr("addresses"), s_cstr("role")},
				rt_keys[2] = {s_cstr("ttl"), s_cstr("servers")};

	memset(p, 0, sizeof(*p));
	n2p_buf_init(&p->server, &n2p_libc_allocator);
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	n2p_buf_append(&p->server, "\x00\x00\x04\x05", 4);	/* 5.4 */
	say_map(p, 0x70, "server", v_cstr("Neo4j/5.26.0"));	/* HELLO */
	say_map(p, 0x70, NULL, v_null());	/* LOGON */
	say_map(p, 0x70, NULL, v_null());	/* BEGIN */
	say_map(p, 0x70, "fields", v_list(items, 0));	/* RUN */
	items[0] = v_cstr("a string long enough to be gathered from several reads");
	items[1] = v_literal(&arena, "$datetime('2020-01-01T00:00:00.5+01:00')");
	items[2] = v_point(N2P_SRID_CARTESIAN_3D, 1, 2, 3);
	items[3] = v_list(items, 3);
	row = v_list(items, 4);
	say(p, 0x71, &row);
	say_map(p, 0x70, "has_more", v_bool(true));
	/* a record over the read buffer and the first arena block */
	big = calloc(1, 200000);
	memset(big, 'x', 199999);
	items[0] = v_cstr(big);
	say(p, 0x71, &row);
	free(big);
	say_map(p, 0x70, NULL, v_null());	/* end of the result */
	addr = v_cstr("localhost:7687");
	server[0] = v_list(&addr, 1);
	server[1] = v_cstr("READ");
	rt[0] = v_int(300);
	entry = v_map(server_keys, server, 2);
	rt[1] = v_list(&entry, 1);
	say_map(p, 0x70, "rt", v_map(rt_keys, rt, 2));	/* ROUTE */
	say_map(p, 0x70, "bookmark", v_cstr("b:1"));	/* COMMIT */
	n2p_arena_destroy(&arena);
}

static N2pErrCode
run_bolt(const N2pAllocator *a, void *input, uint64_t *digest, N2pError *err)
{
	Peer	   *p = input;
	N2pBoltIo	io = {peer_read, peer_write, p};
	N2pBoltOptions opts = {"neo4j", "secret", "localhost:7687", 0, 0, 0};
	N2pBolt    *b;
	N2pArena	arena;
	N2pValue	v;
	int			rc = -1;
	bool		ok = false;

	p->pos = 0;
	*digest = N2P_FNV1A_BASIS;
	if ((b = n2p_bolt_connect(a, &io, &opts, err)) == NULL)
		return err->code;
	n2p_arena_init(&arena, a, 0);
	if (n2p_bolt_begin(b, "r", "neo4j", err) && n2p_bolt_run(b, "RETURN 1", NULL, 1, err))
		while ((rc = n2p_bolt_next(b, &arena, &v, err)) == 1)
			*digest = digest_value(*digest, &v);
	if (rc == 0 && n2p_bolt_route(b, NULL, &arena, &v, err))
	{
		*digest = digest_value(*digest, &v);
		ok = n2p_bolt_commit(b, err);
	}
	n2p_bolt_close(b);
	n2p_arena_destroy(&arena);
	return ok ? N2P_OK : err->code;
}

static void
test_bolt(void **state)
{
	Peer		p;

	(void) state;
	peer_init(&p);
	fail_each_allocation("Bolt client", run_bolt, &p);
	n2p_buf_free(&p.server);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backup),
		cmocka_unit_test(test_pgread),
		cmocka_unit_test(test_bolt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
