/*-------------------------------------------------------------------------
 *
 * test_backup_writer.c
 *	  Unit tests for Python's JSON dialect as the backup writer writes it,
 *	  and for the exact values written aside and read back.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  test/unit/test_backup_writer.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "neo2pg/backup.h"
#include "neo2pg/backup_writer.h"
#include "neo2pg/pyjson.h"

#include "test_support.h"

/* ---------------------------------------------------------------- dialect */

static void
want_string(const char *in, size_t len, const char *want)
{
	N2pBuf		b;

	n2p_buf_init(&b, &n2p_libc_allocator);
	assert_true(n2p_pyjson_string(&b, in, len));
	assert_string_equal(b.data, want);
	n2p_buf_free(&b);
}

static void
test_strings(void **state)
{
	N2pBuf		b;

	(void) state;
	want_string("Tom Hanks", 9, "\"Tom Hanks\"");
	want_string("", 0, "\"\"");
	want_string("q\"b\\n\nr\rt\tb\bf\f", 14, "\"q\\\"b\\\\n\\nr\\rt\\tb\\bf\\f\"");
	want_string("\x01\x1f\x7f", 3, "\"\\u0001\\u001f\\u007f\"");
	want_string("a\0b", 3, "\"a\\u0000b\"");
	want_string("Z\xc3\xbcrich", 7, "\"Z\\u00fcrich\"");
	want_string("\xe6\x9d\xb1\xe2\x80\xa8", 6, "\"\\u6771\\u2028\"");
	/* beyond the BMP: a surrogate pair, lower-case hex */
	want_string("\xf0\x9f\x98\x80 \xf0\x9d\x84\x9e", 9, "\"\\ud83d\\ude00 \\ud834\\udd1e\"");
	want_string("\xf4\x8f\xbf\xbf", 4, "\"\\udbff\\udfff\"");
	n2p_buf_init(&b, &n2p_libc_allocator);
	/* not UTF-8: cut, overlong, a surrogate, beyond U+10FFFF */
	assert_false(n2p_pyjson_string(&b, "\xc3", 1));
	assert_false(n2p_pyjson_string(&b, "\xc0\x80", 2));
	assert_false(n2p_pyjson_string(&b, "\xed\xa0\x80", 3));
	assert_false(n2p_pyjson_string(&b, "\xf4\x90\x80\x80", 4));
	n2p_buf_free(&b);
}

/*
 * Each byte that needs escaping, at every position of a 40-byte string,
 * so that the eight-at-a-time scan meets it in every lane; and every
 * plain ASCII byte in runs, which it must copy as they are.
 */
static void
test_strings_scan(void **state)
{
	static const struct
	{
		const char *in;
		const char *out;
	}			special[] = {
		{"\"", "\\\""}, {"\\", "\\\\"}, {"\x1f", "\\u001f"}, {"\x7f", "\\u007f"}, {"\n", "\\n"},
		{"\xc3\xbc", "\\u00fc"}, {"\xef\xbf\xbf", "\\uffff"}, {"\x20", " "}, {"~", "~"},
	};
	char		in[64],
				want[128];
	size_t		k,
				pos;
	int			c;

	(void) state;
	for (k = 0; k < sizeof(special) / sizeof(special[0]); k++)
		for (pos = 0; pos <= 40; pos++)
		{
			size_t		n = strlen(special[k].in);

			static const char as[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

			memcpy(in, as, pos);
			memcpy(in + pos, special[k].in, n);
			memcpy(in + pos + n, as, 40 - pos);
			snprintf(want, sizeof(want), "\"%.*s%s%.*s\"", (int) pos, as, special[k].out, (int) (40 - pos), as);
			want_string(in, 40 + n, want);
		}
	for (c = 0x20; c < 0x7f; c++)
	{
		if (c == '"' || c == '\\')
			continue;
		memset(in, c, 33);
		snprintf(want, sizeof(want), "\"%.33s\"", in);
		want_string(in, 33, want);
	}
}

static void
want_float(double d, const char *want)
{
	N2pBuf		b;

	n2p_buf_init(&b, &n2p_libc_allocator);
	assert_true(n2p_pyjson_float(&b, d));
	assert_string_equal(b.data, want);
	n2p_buf_free(&b);
}

static void
test_floats(void **state)
{
	(void) state;
	want_float(0.334, "0.334");
	want_float(1e-05, "1e-05");
	want_float(0.0001, "0.0001");
	want_float(-0.0, "-0.0");
	want_float(0.0, "0.0");
	want_float(1e16, "1e+16");
	want_float(9999999999999998.0, "9999999999999998.0");
	want_float(123456789.0, "123456789.0");
	want_float(1e20, "1e+20");
	want_float(1.7976931348623157e308, "1.7976931348623157e+308");
	want_float(5e-324, "5e-324");
	want_float(-2.2250738585072014e-308, "-2.2250738585072014e-308");
	want_float(0.1, "0.1");
	want_float(NAN, "NaN");
	want_float(INFINITY, "Infinity");
	want_float(-INFINITY, "-Infinity");
}

static void
want_bytes(const char *in, size_t len, const char *want)
{
	N2pBuf		b;

	n2p_buf_init(&b, &n2p_libc_allocator);
	assert_true(n2p_py_bytes_str(&b, in, len));
	assert_string_equal(b.data, want);
	n2p_buf_free(&b);
}

static void
test_bytes_str(void **state)
{
	(void) state;
	want_bytes("\x01\x02", 2, "b'\\x01\\x02'");
	want_bytes("", 0, "b''");
	want_bytes("it's", 4, "b\"it's\"");
	want_bytes("'\"", 2, "b'\\'\"'");
	want_bytes("AB\x00\xff\\\t\n\r\x7f", 9, "b'AB\\x00\\xff\\\\\\t\\n\\r\\x7f'");
}

static int
lcmp(const char *a, const char *b)
{
	return n2p_py_lower_cmp((N2pStr) {a, strlen(a)}, (N2pStr) {b, strlen(b)});
}

static void
test_lower_order(void **state)
{
	(void) state;
	assert_true(lcmp("alpha", "Beta") < 0);
	assert_true(lcmp("Beta", "Zed") < 0);
	assert_true(lcmp("Zed", "alpha") > 0);
	assert_int_equal(lcmp("Person", "person"), 0);
	assert_true(lcmp("Person", "Persona") < 0);
	/* Python: "Émigré".lower() = "émigré", after "zed" */
	assert_true(lcmp("\xc3\x89migr\xc3\xa9", "zed") > 0);
	assert_int_equal(lcmp("\xc3\x89", "\xc3\xa9"), 0);
	assert_int_equal(lcmp("\xce\x94", "\xce\xb4"), 0);	/* Greek */
	assert_int_equal(lcmp("\xd0\x96", "\xd0\xb6"), 0);	/* Cyrillic */
	assert_int_equal(lcmp("\xc5\x81", "\xc5\x82"), 0);	/* L with stroke */
}

/* ------------------------------------------------------- writing files */

static void *
t_open(void *ctx, const char *path, N2pError *err)
{
	FILE	   *f = fopen(path, "wbx");

	(void) ctx;
	if (f == NULL)
		n2p_error_set(err, N2P_ERR_IO, "cannot create %s", path);
	return f;
}

static bool
t_write(void *ctx, void *file, const void *data, size_t len, N2pError *err)
{
	(void) ctx;
	return fwrite(data, 1, len, file) == len || n2p_error_set(err, N2P_ERR_IO, "write");
}

static bool
t_close(void *ctx, void *file, N2pError *err)
{
	(void) ctx;
	return fclose(file) == 0 || n2p_error_set(err, N2P_ERR_IO, "close");
}

static bool
t_mkdir(void *ctx, const char *path, N2pError *err)
{
	(void) ctx;
	return mkdir(path, 0700) == 0 || n2p_error_set(err, N2P_ERR_IO, "mkdir %s", path);
}

static bool
t_rename(void *ctx, const char *from, const char *to, N2pError *err)
{
	(void) ctx;
	return rename(from, to) == 0 || n2p_error_set(err, N2P_ERR_IO, "rename %s", from);
}

static void
t_remove(void *ctx, const char *path)
{
	char		cmd[600];

	(void) ctx;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	assert_int_equal(system(cmd), 0);
}

static const N2pOutputIo test_io = {t_open, t_write, t_close, t_mkdir, t_rename, t_remove, NULL};

/* A source of a fixed list of records. */
typedef struct ListSource
{
	N2pSource	base;
	N2pRecord  *recs;
	size_t		n;
	size_t		next;
} ListSource;

static int
list_next(N2pSource *src, N2pRecord *rec, N2pError *err)
{
	ListSource *ls = (ListSource *) src;

	(void) err;
	if (ls->next == ls->n)
		return 0;
	*rec = ls->recs[ls->next++];
	return 1;
}

static uint64_t
list_bytes(N2pSource *src)
{
	(void) src;
	return 0;
}

static void
list_close(N2pSource *src)
{
	(void) src;
}

static const N2pSourceOps list_ops = {list_next, list_bytes, list_close};

static char *
slurp(const char *path)
{
	FILE	   *f = fopen(path, "rb");
	char	   *buf = calloc(1, 1 << 16);
	size_t		n;

	assert_non_null(f);
	n = fread(buf, 1, (1 << 16) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void
want_file(const char *dir, const char *name, const char *want)
{
	char		path[512];
	char	   *got;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	got = slurp(path);
	assert_string_equal(got, want);
	free(got);
}

static N2pValue
v_zoned(int64_t secs, int32_t offset, const char *zone)
{
	N2pValue	v = {.type = N2P_DATETIME};

	v.u.dt.secs = secs;
	v.u.dt.offset = offset;
	v.u.dt.zone = s_cstr(zone);
	return v;
}

/*
 * A node whose values the tool's form loses (bytes, a zone id, strings
 * that read as literals, label order) and one it keeps (a hashed string):
 * the chunk holds what the tool writes, the neo2pg/ file the rest, and
 * the backup reader puts every value back.
 */
static void
test_exact_round_trip(void **state)
{
	char		base[] = "/tmp/n2p-writer-XXXXXX";
	char		dir[400],
				tmp[600];
	N2pValue	strs[2] = {v_cstr("$date('2020-01-01')"), v_cstr("$date('2020-01-02')")};
	N2pValue	zdt = v_zoned(1435146635, 3600, "Europe/London");
	N2pStr		keys[4] = {s_cstr("b"), s_cstr("z"), s_cstr("s"), s_cstr("h")};
	N2pValue	vals[4] = {{.type = N2P_BYTES, .u.str = {"\x00\xff", 2}}, zdt,
	{.type = N2P_LIST, .u.list = {strs, 2}}, v_cstr("$point(x")};
	N2pStr		labels[2] = {s_cstr("b"), s_cstr("A")};
	N2pRecord	recs[2] = {{.kind = N2P_REC_NODE, .id = 7, .labels = labels, .nlabels = 2,
		.props = {.type = N2P_MAP, .u.map = {keys, vals, 4}}},
	{.kind = N2P_REC_REL, .id = 3, .start_id = 7, .end_id = 7, .type = s_cstr("R"),
	.props = {.type = N2P_MAP, .u.map = {NULL, NULL, 0}}}};
	ListSource	src = {{&list_ops, {0}}, recs, 2, 0};
	N2pBackupWriterOptions opts = {.dir = dir, .tmp_dir = tmp, .io = &test_io,
	.compress = false, .gzip_level = 9, .chunk_rows = 5, .indent = 0};
	N2pSink    *sink;
	N2pSource  *back;
	N2pRecord	rec;
	N2pError	err;

	(void) state;
	assert_non_null(mkdtemp(base));
	snprintf(dir, sizeof(dir), "%.100s/out", base);
	snprintf(tmp, sizeof(tmp), "%.100s/out.tmp", base);
	n2p_error_init(&err);
	sink = n2p_backup_writer_open(&opts, &n2p_libc_allocator, &err);
	assert_non_null(sink);
	assert_true(n2p_stream_copy(&src.base, sink, NULL, NULL, &err));
	sink->ops->close(sink);
	assert_int_equal(access(tmp, F_OK), -1);
	want_file(dir, "data/nodes_1.json",
				"[\n{\n\"node_id\": 7,\n\"node_labels\": \"A:b\",\n\"node_props\": {\n"
				"\"b\": \"b'\\\\x00\\\\xff'\",\n"
				"\"z\": \"$datetime('2015-06-24T11:50:35.000000000+01:00')\",\n"
				"\"s\": [\n\"$date('2020-01-01')\",\n\"$date('2020-01-02')\"\n],\n"
				"\"h\": \"cda522fec2b6d09f3aad4ebd1e9ecaabc21fc5419959a622adffafcd6fbded9c\"\n},\n"
				"\"hash_props\": {\n\"h\": \"$point(x\"\n}\n}\n]");
	want_file(dir, "neo2pg/nodes_1.json",
				"[\n{\"id\": 7, \"labels\": [\"b\", \"A\"], \"props\": {"
				"\"b\": {\"bytes\": \"00ff\"}, "
				"\"z\": {\"datetime\": \"2015-06-24T11:50:35+01:00[Europe/London]\"}, "
				"\"s\": {\"string\": [\"$date('2020-01-01')\", \"$date('2020-01-02')\"]}}}\n]");
	want_file(dir, "data/relationships_1.json",
				"[\n{\n\"rel_id\": 3,\n\"start_node_id\": 7,\n\"end_node_id\": 7,\n"
				"\"rel_type\": \"R\",\n\"rel_props\": {},\n\"hash_props\": {}\n}\n]");
	assert_int_equal(access(strcat(strcpy(tmp, dir), "/neo2pg/relationships_1.json"), F_OK), -1);
	want_file(dir, "node_labels.json", "[\n    \"A\",\n    \"A:b\",\n    \"b\"\n]");
	want_file(dir, "property_keys.json", "[\n    \"b\",\n    \"h\",\n    \"s\",\n    \"z\"\n]");
	want_file(dir, "uniqueness_constraints.json", "[]");
	want_file(dir, "compressed.json", "false");

	/* read back: every value as it was */
	back = n2p_backup_open(dir, &n2p_libc_allocator, &err);
	assert_non_null(back);
	assert_int_equal(back->ops->next(back, &rec, &err), 1);
	assert_int_equal(rec.nlabels, 2);
	assert_true(n2p_str_eq(rec.labels[0], "b") && n2p_str_eq(rec.labels[1], "A"));
	assert_int_equal(rec.props.u.map.vals[0].type, N2P_BYTES);
	assert_memory_equal(rec.props.u.map.vals[0].u.str.ptr, "\x00\xff", 2);
	assert_int_equal(rec.props.u.map.vals[1].type, N2P_DATETIME);
	assert_int_equal(rec.props.u.map.vals[1].u.dt.secs, 1435146635);
	assert_int_equal(rec.props.u.map.vals[1].u.dt.offset, 3600);
	assert_true(n2p_str_eq(rec.props.u.map.vals[1].u.dt.zone, "Europe/London"));
	assert_int_equal(rec.props.u.map.vals[2].type, N2P_LIST);
	assert_int_equal(rec.props.u.map.vals[2].u.list.items[1].type, N2P_STRING);
	assert_true(n2p_str_eq(rec.props.u.map.vals[3].u.str, "$point(x"));
	assert_int_equal(back->ops->next(back, &rec, &err), 1);
	assert_int_equal(rec.kind, N2P_REC_REL);
	assert_int_equal(back->ops->next(back, &rec, &err), 0);
	back->ops->close(back);

	/* an entry for a row that is not in the chunk is a corrupt backup */
	snprintf(tmp, sizeof(tmp), "%.300s/neo2pg/nodes_1.json", dir);
	{
		FILE	   *f = fopen(tmp, "w");

		fputs("[{\"id\": 7}, {\"id\": 99, \"props\": {}}]", f);
		fclose(f);
	}
	back = n2p_backup_open(dir, &n2p_libc_allocator, &err);
	assert_non_null(back);
	assert_int_equal(back->ops->next(back, &rec, &err), 1);
	assert_int_equal(back->ops->next(back, &rec, &err), -1);
	assert_string_equal(err.file, "neo2pg/nodes_1.json");
	assert_int_equal(err.row_id, 99);
	back->ops->close(back);
	t_remove(NULL, base);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_strings_scan),
		cmocka_unit_test(test_floats),
		cmocka_unit_test(test_bytes_str),
		cmocka_unit_test(test_lower_order),
		cmocka_unit_test(test_exact_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
