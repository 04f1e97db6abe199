/*-------------------------------------------------------------------------
 *
 * test_backup.c
 *	  Unit tests for the neo4j-backup source: chunk discovery and order,
 *	  metadata, row conversion (labels, hash_props, literal strings) and
 *	  recovery after a row-level error.
 *
 * Every test builds a small backup directory under mkdtemp(), with plain
 * and gzip'd chunks, and removes it afterwards.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  test/unit/test_backup.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "neo2pg/backup.h"

#define NS		INT64_C(1000000000)

/* ---------------------------------------------------------------- helpers */

typedef struct TestDir
{
	char		path[256];
} TestDir;

static int
setup_dir(void **state)
{
	TestDir    *td = test_malloc(sizeof(TestDir));
	char		sub[300];

	snprintf(td->path, sizeof(td->path), "%s/n2p_backup_XXXXXX",
			 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(td->path));
	snprintf(sub, sizeof(sub), "%s/data", td->path);
	assert_int_equal(mkdir(sub, 0700), 0);
	*state = td;
	return 0;
}

static void
remove_tree(const char *path)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	if (S_ISDIR(st.st_mode))
	{
		DIR		   *d = opendir(path);
		struct dirent *de;

		assert_non_null(d);
		while ((de = readdir(d)) != NULL)
		{
			char		child[1024];

			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			snprintf(child, sizeof(child), "%s/%s", path, de->d_name);
			remove_tree(child);
		}
		closedir(d);
		assert_int_equal(rmdir(path), 0);
	}
	else
		assert_int_equal(unlink(path), 0);
}

static int
teardown_dir(void **state)
{
	TestDir    *td = *state;

	remove_tree(td->path);
	test_free(td);
	return 0;
}

static void
write_file(const TestDir *td, const char *rel, const char *content)
{
	char		path[512];
	FILE	   *f;

	snprintf(path, sizeof(path), "%s/%s", td->path, rel);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(content, 1, strlen(content), f), strlen(content));
	assert_int_equal(fclose(f), 0);
}

static void
write_gz(const TestDir *td, const char *rel, const char *content)
{
	char		path[512];
	gzFile		gz;

	snprintf(path, sizeof(path), "%s/%s", td->path, rel);
	gz = gzopen(path, "wb9");
	assert_non_null(gz);
	assert_int_equal(gzwrite(gz, content, (unsigned) strlen(content)), (int) strlen(content));
	assert_int_equal(gzclose(gz), Z_OK);
}

static uint64_t
file_size(const TestDir *td, const char *rel)
{
	char		path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", td->path, rel);
	assert_int_equal(stat(path, &st), 0);
	return (uint64_t) st.st_size;
}

static N2pSource *
open_ok(const TestDir *td)
{
	N2pError	err;
	N2pSource  *src;

	n2p_error_init(&err);
	src = n2p_backup_open(td->path, &n2p_libc_allocator, &err);
	if (src == NULL)
		fail_msg("n2p_backup_open: %s", err.msg);
	assert_int_equal(err.code, N2P_OK);
	return src;
}

/* The next record, which must exist. */
static void
next_ok(N2pSource *src, N2pRecord *rec)
{
	N2pError	err;
	int			rc;

	n2p_error_init(&err);
	rc = src->ops->next(src, rec, &err);
	if (rc != 1)
		fail_msg("next returned %d: %s: %s", rc, err.file, err.msg);
	assert_int_equal(err.code, N2P_OK);
}

static void
next_end(N2pSource *src)
{
	N2pRecord	rec;
	N2pError	err;

	n2p_error_init(&err);
	assert_int_equal(src->ops->next(src, &rec, &err), 0);
	assert_int_equal(err.code, N2P_OK);
	/* and it stays at the end */
	assert_int_equal(src->ops->next(src, &rec, &err), 0);
}

/* The next record, which must be an error; returns it in *err. */
static void
next_err(N2pSource *src, N2pError *err)
{
	N2pRecord	rec;

	n2p_error_init(err);
	assert_int_equal(src->ops->next(src, &rec, err), -1);
	assert_int_not_equal(err->code, N2P_OK);
}

static const N2pValue *
prop(const N2pRecord *rec, const char *key)
{
	const N2pValue *v = n2p_map_get(&rec->props, key, strlen(key));

	if (v == NULL)
		fail_msg("no property \"%s\"", key);
	return v;
}

static void
assert_str(N2pStr s, const char *want)
{
	if (!n2p_str_eq(s, want))
		fail_msg("got \"%.*s\", expected \"%s\"", (int) s.len, s.ptr, want);
}

/* A node row with the given id, labels and raw node_props/hash_props text. */
static char *
node_row(char *buf, size_t size, int64_t id, const char *labels,
		 const char *props, const char *hash)
{
	snprintf(buf, size,
			 "{\"node_id\": %lld, \"node_labels\": \"%s\", \"node_props\": %s%s%s}",
			 (long long) id, labels, props, hash ? ", \"hash_props\": " : "",
			 hash ? hash : "");
	return buf;
}

/* Write data/nodes_1.json holding one node with these props and hash. */
static void
one_node(const TestDir *td, const char *props, const char *hash)
{
	char		row[4096],
				doc[4200];

	node_row(row, sizeof(row), 1, "A", props, hash);
	snprintf(doc, sizeof(doc), "[\n%s\n]", row);
	write_file(td, "data/nodes_1.json", doc);
}

/* ------------------------------------------------------------ I/O table */

static int	io_opens,
			io_closes;

static void *
counting_open(const char *path, void *ctx, int *errnum)
{
	void	   *f = n2p_posix_io.open(path, ctx, errnum);

	io_opens += f != NULL;
	return f;
}

static void
counting_close(void *file)
{
	io_closes++;
	n2p_posix_io.close(file);
}

/* Chunks and metadata files open through the caller's table, and all close. */
static void
test_io_table(void **state)
{
	TestDir    *td = *state;
	N2pFileIO	io = n2p_posix_io;
	N2pSource  *src;
	N2pRecord	rec;
	N2pError	err;
	int			rc;

	io.open = counting_open;
	io.close = counting_close;
	io_opens = io_closes = 0;
	write_gz(td, "data/nodes_1.json.gz",
			 "[{\"node_id\": 7, \"node_labels\": \"A\", \"node_props\": {}}]");
	n2p_error_init(&err);
	src = n2p_backup_open_io(td->path, &io, &n2p_libc_allocator, &err);
	assert_non_null(src);
	while ((rc = src->ops->next(src, &rec, &err)) == 1)
		assert_int_equal(rec.id, 7);
	assert_int_equal(rc, 0);
	src->ops->close(src);
	assert_true(io_opens >= 1);
	assert_int_equal(io_opens, io_closes);
}

/* The directory listing and optional files also go through the table. */
static int	list_calls,
			list_errno,
			open_errno_for_db_id;

static bool
scripted_list(const char *dir, void *ctx, N2pListFn fn, void *arg, int *errnum)
{
	list_calls++;
	(void) dir;
	(void) ctx;
	if (list_errno)
	{
		*errnum = list_errno;
		return false;
	}
	*errnum = 0;
	/* the sizes are the table's word: the reader asks nothing else */
	return fn(arg, "nodes_1.json.gz", 1000) && fn(arg, "notes.txt", 5) &&
		fn(arg, "relationships_1.json", 0);
}

static void *
scripted_open(const char *path, void *ctx, int *errnum)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

	if (open_errno_for_db_id && strcmp(base, "db_id.json") == 0)
	{
		*errnum = open_errno_for_db_id;
		return NULL;
	}
	return counting_open(path, ctx, errnum);
}

static void
test_io_list(void **state)
{
	TestDir    *td = *state;
	N2pFileIO	io = n2p_posix_io;
	N2pSource  *src;
	N2pError	err;

	io.open = scripted_open;
	io.close = counting_close;
	io.list = scripted_list;
	write_gz(td, "data/nodes_1.json.gz",
			 "[{\"node_id\": 7, \"node_labels\": \"A\", \"node_props\": {}}]");
	write_file(td, "data/relationships_1.json", "[]");
	write_file(td, "db_id.json", "\"abc\"");

	/* listed once, sizes as listed; db_id.json "absent" by the table's word */
	list_calls = list_errno = 0;
	open_errno_for_db_id = ENOENT;
	io_opens = io_closes = 0;
	n2p_error_init(&err);
	assert_non_null(src = n2p_backup_open_io(td->path, &io, &n2p_libc_allocator, &err));
	assert_int_equal(list_calls, 1);
	assert_int_equal(src->meta.node_bytes, 1000);
	assert_int_equal(src->meta.rel_bytes, 0);
	assert_null(src->meta.db_id);
	src->ops->close(src);
	assert_int_equal(io_opens, io_closes);

	/* any other failure to open a metadata file is an error */
	open_errno_for_db_id = EACCES;
	n2p_error_init(&err);
	assert_null(n2p_backup_open_io(td->path, &io, &n2p_libc_allocator, &err));
	assert_int_equal(err.code, N2P_ERR_IO);
	assert_non_null(strstr(err.msg, "Permission denied"));

	/* a listing that fails names the directory and the cause */
	open_errno_for_db_id = 0;
	list_errno = EACCES;
	n2p_error_init(&err);
	assert_null(n2p_backup_open_io(td->path, &io, &n2p_libc_allocator, &err));
	assert_int_equal(err.code, N2P_ERR_IO);
	assert_non_null(strstr(err.msg, "not a neo4j-backup directory: cannot open"));
	assert_non_null(strstr(err.msg, "/data\": Permission denied"));
	assert_int_equal(io_opens, io_closes);
}

/* ------------------------------------------------------------ chunk order */

static void
test_chunk_order(void **state)
{
	TestDir    *td = *state;
	N2pSource  *src;
	N2pRecord	rec;
	static const int64_t want_nodes[] = {0, 1, 2, 3, 4, 5, 6};
	static const char *const want_origin[] = {
		"data/nodes.json", "data/nodes_8185.json.gz", "data/nodes_8185.json.gz",
		"data/nodes_16370.json", "data/nodes_16370.json",
		"data/nodes_24555.json.gz", "data/nodes_100000.json"
	};
	size_t		i;

	/* compressed.json is wrong both ways: the suffix decides */
	write_file(td, "compressed.json", "false");
	write_gz(td, "data/nodes_8185.json.gz",
			 "[{\"node_id\": 1, \"node_labels\": \"A\", \"node_props\": {}},\n"
			 " {\"node_id\": 2, \"node_labels\": \"A\", \"node_props\": {}}]");
	write_file(td, "data/nodes_16370.json",
			   "[{\"node_id\": 3, \"node_labels\": \"A\", \"node_props\": {}},"
			   " {\"node_id\": 4, \"node_labels\": \"A\", \"node_props\": {}}]");
	write_gz(td, "data/nodes_24555.json.gz",
			 "[{\"node_id\": 5, \"node_labels\": \"A\", \"node_props\": {}}]");
	write_file(td, "data/nodes_100000.json",
			   "[{\"node_id\": 6, \"node_labels\": \"A\", \"node_props\": {}}]");
	/* no counter: sorts first */
	write_file(td, "data/nodes.json",
			   "[{\"node_id\": 0, \"node_labels\": \"A\", \"node_props\": {}}]");
	/* relationship counters smaller than any node counter still come after */
	write_file(td, "data/relationships_2.json",
			   "[{\"rel_id\": 10, \"start_node_id\": 1, \"end_node_id\": 2,"
			   " \"rel_type\": \"R\", \"rel_props\": {}}]");
	write_gz(td, "data/relationships_1.json.gz",
			 "[{\"rel_id\": 9, \"start_node_id\": 1, \"end_node_id\": 2,"
			 " \"rel_type\": \"R\", \"rel_props\": {}}]");
	write_gz(td, "data/relationships_11.json.gz",
			 "[{\"rel_id\": 11, \"start_node_id\": 1, \"end_node_id\": 2,"
			 " \"rel_type\": \"R\", \"rel_props\": {}}]");
	/* neither kind, or not a chunk suffix: never read (they are not JSON) */
	write_file(td, "data/README.txt", "not json");
	write_file(td, "data/other.json", "not json");
	write_file(td, "data/nodes_5.csv", "not json");
	write_file(td, "data/nodes_7.json.bak", "not json");
	write_file(td, "data/nodes_3.json.gz.tmp", "not json");

	src = open_ok(td);
	for (i = 0; i < sizeof(want_nodes) / sizeof(want_nodes[0]); i++)
	{
		next_ok(src, &rec);
		assert_int_equal(rec.kind, N2P_REC_NODE);
		assert_int_equal(rec.id, want_nodes[i]);
		assert_non_null(rec.origin);
		assert_string_equal(rec.origin, want_origin[i]);
	}
	for (i = 9; i <= 11; i++)
	{
		next_ok(src, &rec);
		assert_int_equal(rec.kind, N2P_REC_REL);
		assert_int_equal(rec.id, (int64_t) i);
	}
	next_end(src);
	src->ops->close(src);
}

/* compressed.json true while the files are plain. */
static void
test_compressed_flag_ignored(void **state)
{
	TestDir    *td = *state;
	N2pSource  *src;
	N2pRecord	rec;

	write_file(td, "compressed.json", "true");
	write_file(td, "data/nodes_1.json",
			   "[{\"node_id\": 1, \"node_labels\": \"A\", \"node_props\": {}}]");
	src = open_ok(td);
	next_ok(src, &rec);
	assert_int_equal(rec.id, 1);
	next_end(src);
	src->ops->close(src);
}

/* An empty data/ directory is an empty graph. */
static void
test_empty_data(void **state)
{
	TestDir    *td = *state;
	N2pSource  *src = open_ok(td);

	assert_int_equal(src->meta.node_bytes, 0);
	assert_int_equal(src->meta.rel_bytes, 0);
	next_end(src);
	src->ops->close(src);
}

static void
test_no_data_dir(void **state)
{
	TestDir    *td = *state;
	char		data[300];
	N2pError	err;

	snprintf(data, sizeof(data), "%s/data", td->path);
	assert_int_equal(rmdir(data), 0);
	n2p_error_init(&err);
	assert_null(n2p_backup_open(td->path, &n2p_libc_allocator, &err));
	assert_int_equal(err.code, N2P_ERR_IO);
	if (strstr(err.msg, data) == NULL)
		fail_msg("message does not name %s: %s", data, err.msg);
	/* the directory itself missing */
	n2p_error_init(&err);
	snprintf(data, sizeof(data), "%s/nonexistent", td->path);
	assert_null(n2p_backup_open(data, &n2p_libc_allocator, &err));
	assert_int_equal(err.code, N2P_ERR_IO);
	assert_non_null(strstr(err.msg, data));
	/* a file where data/ should be */
	write_file(td, "data", "x");
	n2p_error_init(&err);
	assert_null(n2p_backup_open(td->path, &n2p_libc_allocator, &err));
	assert_int_equal(err.code, N2P_ERR_IO);
	/* put data/ back for the teardown to find a normal tree */
	snprintf(data, sizeof(data), "%s/data", td->path);
	assert_int_equal(unlink(data), 0);
	assert_int_equal(mkdir(data, 0700), 0);
}

/* ---------------------------------------------------------------- metadata */

static void
test_metadata(void **state)
{
	TestDir    *td = *state;
	N2pSource  *src;
	const N2pGraphMeta *m;
	char		dir_slash[300];

	write_file(td, "compressed.json", "true");
	write_file(td, "db_id.json", "\"4a1b-\\u00e9-db\"");
	write_file(td, "unique_prop_key.json", "\"qwertyuiopasdfgh\"");
	write_file(td, "uniqueness_constraints.json",
			   "[\n    {\n        \"node_label\": \"Person\",\n        \"node_prop\": \"name\",\n"
			   "        \"constraint_name\": \"person_name\"\n    },\n"
			   "    {\n        \"node_label\": \"Movie\",\n        \"node_prop\": \"title\",\n"
			   "        \"constraint_name\": \"movie_title\"\n    }\n]");
	write_file(td, "property_keys.json", "[\n    \"name\",\n    \"age\",\n    \"title\"\n]");
	write_file(td, "node_labels.json", "[\"Person\", \"A:B\", \"A\", \"B\"]");
	write_file(td, "rel_types.json", "[\"ACTED_IN\", \"KNOWS\"]");
	write_gz(td, "data/nodes_2.json.gz",
			 "[{\"node_id\": 1, \"node_labels\": \"A\", \"node_props\": {}}]");
	write_file(td, "data/nodes_1.json",
			   "[{\"node_id\": 2, \"node_labels\": \"A\", \"node_props\": {}}]");
	write_file(td, "data/relationships_1.json",
			   "[{\"rel_id\": 0, \"start_node_id\": 1, \"end_node_id\": 2,"
			   " \"rel_type\": \"R\", \"rel_props\": {}}]");
	write_file(td, "data/ignored.txt", "1234567890");

	/* a trailing slash is accepted */
	snprintf(dir_slash, sizeof(dir_slash), "%s//", td->path);
	{
		N2pError	err;

		n2p_error_init(&err);
		src = n2p_backup_open(dir_slash, &n2p_libc_allocator, &err);
		if (src == NULL)
			fail_msg("%s", err.msg);
	}
	m = &src->meta;
	assert_string_equal(m->source, td->path);
	assert_string_equal(m->db_id, "4a1b-\xC3\xA9-db");
	assert_string_equal(m->unique_prop_key, "qwertyuiopasdfgh");
	assert_int_equal(m->nconstraints, 2);
	assert_string_equal(m->constraints[0].label, "Person");
	assert_string_equal(m->constraints[0].prop, "name");
	assert_string_equal(m->constraints[0].name, "person_name");
	assert_string_equal(m->constraints[1].label, "Movie");
	assert_string_equal(m->constraints[1].prop, "title");
	assert_string_equal(m->constraints[1].name, "movie_title");
	assert_int_equal(m->nproperty_keys, 3);
	assert_string_equal(m->property_keys[0], "name");
	assert_string_equal(m->property_keys[1], "age");
	assert_string_equal(m->property_keys[2], "title");
	assert_int_equal(m->nlabel_sets, 4);
	assert_string_equal(m->label_sets[0], "Person");
	assert_string_equal(m->label_sets[1], "A:B");
	assert_string_equal(m->label_sets[2], "A");
	assert_string_equal(m->label_sets[3], "B");
	assert_int_equal(m->nrel_types, 2);
	assert_string_equal(m->rel_types[0], "ACTED_IN");
	assert_string_equal(m->rel_types[1], "KNOWS");
	assert_int_equal(m->node_bytes,
					 file_size(td, "data/nodes_1.json") + file_size(td, "data/nodes_2.json.gz"));
	assert_int_equal(m->rel_bytes, file_size(td, "data/relationships_1.json"));
	src->ops->close(src);
}

static void
test_metadata_missing(void **state)
{
	TestDir    *td = *state;
	N2pSource  *src;
	const N2pGraphMeta *m;

	write_file(td, "data/nodes_1.json", "[]");
	src = open_ok(td);
	m = &src->meta;
	assert_null(m->db_id);
	assert_null(m->unique_prop_key);
	assert_int_equal(m->nconstraints, 0);
	assert_int_equal(m->nproperty_keys, 0);
	assert_int_equal(m->nlabel_sets, 0);
	assert_int_equal(m->nrel_types, 0);
	assert_int_equal(m->node_bytes, 2);
	assert_int_equal(m->rel_bytes, 0);
	next_end(src);
	src->ops->close(src);
}

static void
test_metadata_bad(void **state)
{
	TestDir    *td = *state;
	N2pError	err;

	/* a list where a string belongs */
	write_file(td, "db_id.json", "[1]");
	n2p_error_init(&err);
	assert_null(n2p_backup_open(td->path, &n2p_libc_allocator, &err));
	assert_int_equal(err.code, N2P_ERR_DATA);
	assert_string_equal(err.file, "db_id.json");

	/* invalid JSON */
	write_file(td, "db_id.json", "\"x\"");
	write_file(td, "rel_types.json", "[\"A\",");
	n2p_error_init(&err);
	assert_null(n2p_backup_open(td->path, &n2p_libc_allocator, &err));
	assert_int_equal(err.code, N2P_ERR_SYNTAX);
	assert_string_equal(err.file, "rel_types.json");

	/* a constraint without node_prop */
	write_file(td, "rel_types.json", "[]");
	write_file(td, "uniqueness_constraints.json", "[{\"node_label\": \"A\"}]");
	n2p_error_init(&err);
	assert_null(n2p_backup_open(td->path, &n2p_libc_allocator, &err));
	assert_int_equal(err.code, N2P_ERR_DATA);
	assert_string_equal(err.file, "uniqueness_constraints.json");
}

/*
 * U+0000 in any metadata string is refused, naming the file: C strings and
 * load_info's text would otherwise keep the string cut at the NUL.
 */
static void
check_meta_nul(const TestDir *td, const char *file, const char *bad, const char *good)
{
	N2pError	err;
	N2pSource  *src;

	write_file(td, file, bad);
	n2p_error_init(&err);
	src = n2p_backup_open(td->path, &n2p_libc_allocator, &err);
	if (src != NULL)
		fail_msg("%s holding %s was accepted", file, bad);
	assert_int_equal(err.code, N2P_ERR_DATA);
	assert_string_equal(err.file, file);
	assert_non_null(strstr(err.msg, "U+0000"));
	write_file(td, file, good);
	src = open_ok(td);
	src->ops->close(src);
}

static void
test_metadata_nul(void **state)
{
	TestDir    *td = *state;

	check_meta_nul(td, "db_id.json", "\"ab\\u0000c\"", "\"abc\"");
	check_meta_nul(td, "unique_prop_key.json", "\"\\u0000\"", "\"k\"");
	check_meta_nul(td, "property_keys.json", "[\"a\", \"a\\u0000b\"]", "[\"a\"]");
	check_meta_nul(td, "node_labels.json", "[\"A\\u0000\"]", "[\"A\"]");
	check_meta_nul(td, "rel_types.json", "[\"R\", \"\\u0000R\"]", "[\"R\"]");
	check_meta_nul(td, "uniqueness_constraints.json",
				   "[{\"node_label\": \"A\", \"node_prop\": \"p\\u0000q\"}]",
				   "[{\"node_label\": \"A\", \"node_prop\": \"p\"}]");
	check_meta_nul(td, "uniqueness_constraints.json",
				   "[{\"node_label\": \"A\", \"node_prop\": \"p\", \"constraint_name\": \"c\\u0000\"}]",
				   "[]");
}

/* -------------------------------------------------------------------- rows */

static void
test_labels(void **state)
{
	TestDir    *td = *state;
	N2pSource  *src;
	N2pRecord	rec;

	write_file(td, "data/nodes_1.json",
			   "[{\"node_id\": 1, \"node_labels\": \"Person:XX\", \"node_props\": {}},\n"
			   "{\"node_id\": 2, \"node_labels\": \"\", \"node_props\": {}},\n"
			   "{\"node_id\": 3, \"node_labels\": \"A\", \"node_props\": {}},\n"
			   "{\"node_id\": 4, \"node_labels\": \"Big Label:b:\\u00e9\","
			   " \"node_props\": {\"x\": 1}}]");
	src = open_ok(td);
	next_ok(src, &rec);
	assert_int_equal(rec.nlabels, 2);
	assert_str(rec.labels[0], "Person");
	assert_str(rec.labels[1], "XX");
	assert_int_equal(rec.props.type, N2P_MAP);
	assert_int_equal(rec.props.u.map.n, 0);
	next_ok(src, &rec);
	assert_int_equal(rec.id, 2);
	assert_int_equal(rec.nlabels, 0);
	next_ok(src, &rec);
	assert_int_equal(rec.nlabels, 1);
	assert_str(rec.labels[0], "A");
	next_ok(src, &rec);
	assert_int_equal(rec.nlabels, 3);
	assert_str(rec.labels[0], "Big Label");
	assert_str(rec.labels[1], "b");
	assert_str(rec.labels[2], "\xC3\xA9");
	assert_int_equal(prop(&rec, "x")->u.i, 1);
	next_end(src);
	src->ops->close(src);
}

/* ":", ":A", "A:", "A::B": an empty label is refused, naming file and row. */
static void
test_empty_labels(void **state)
{
	static const char *const bad[] = {":", ":A", "A:", "A::B", "::"};
	TestDir    *td = *state;
	size_t		i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		char		row[256],
					doc[400];
		N2pSource  *src;
		N2pRecord	rec;
		N2pError	err;

		node_row(row, sizeof(row), 5, bad[i], "{}", NULL);
		snprintf(doc, sizeof(doc), "[%s, {\"node_id\": 6, \"node_labels\": \"A:B\", \"node_props\": {}}]", row);
		write_file(td, "data/nodes_1.json", doc);
		src = open_ok(td);
		next_err(src, &err);
		assert_int_equal(err.code, N2P_ERR_DATA);
		assert_int_equal(err.row_id, 5);
		assert_string_equal(err.row_kind, "node");
		assert_string_equal(err.file, "data/nodes_1.json");
		assert_non_null(strstr(err.msg, "empty label"));
		assert_non_null(strstr(err.msg, bad[i]));
		/* the row was read whole: the next one is fine */
		next_ok(src, &rec);
		assert_int_equal(rec.nlabels, 2);
		src->ops->close(src);
	}
}

/*
 * A name given twice in the row, its props or its hash_props is refused,
 * naming file, row and key; the reader goes on with the next row.
 */
static void
check_duplicate_row(const TestDir *td, const char *row, int64_t row_id, const char *key)
{
	char		doc[1024];
	N2pSource  *src;
	N2pRecord	rec;
	N2pError	err;

	snprintf(doc, sizeof(doc),
			 "[{\"node_id\": 1, \"node_labels\": \"A\", \"node_props\": {}},\n%s,\n"
			 "{\"node_id\": 9, \"node_labels\": \"A\", \"node_props\": {}}]", row);
	write_file(td, "data/nodes_1.json", doc);
	src = open_ok(td);
	next_ok(src, &rec);
	next_err(src, &err);
	if (err.code != N2P_ERR_DATA)
		fail_msg("row %s: code %d (%s)", row, (int) err.code, err.msg);
	assert_string_equal(err.file, "data/nodes_1.json");
	assert_string_equal(err.row_kind, "node");
	assert_int_equal(err.row_id, row_id);
	assert_true(err.has_key);
	assert_string_equal(err.key, key);
	assert_non_null(strstr(err.msg, "appears twice"));
	if (row_id < 0)
		assert_non_null(strstr(err.msg, "in the row after node 1"));
	next_ok(src, &rec);
	assert_int_equal(rec.id, 9);
	next_end(src);
	src->ops->close(src);
}

static void
test_duplicate_names(void **state)
{
	TestDir    *td = *state;

	check_duplicate_row(td, "{\"node_id\": 2, \"node_labels\": \"A\", \"node_props\": {\"a\": 1, \"b\": 2, \"a\": 3}}",
						2, "a");
	check_duplicate_row(td, "{\"node_id\": 2, \"node_id\": 3, \"node_labels\": \"A\", \"node_props\": {}}",
						-1, "node_id");
	check_duplicate_row(td, "{\"node_id\": 2, \"node_labels\": \"A\", \"node_labels\": \"B\", \"node_props\": {}}",
						2, "node_labels");
	check_duplicate_row(td, "{\"node_id\": 2, \"node_labels\": \"A\", \"node_props\": {\"s\": \"x\"},"
						" \"hash_props\": {\"s\": \"a\", \"s\": \"b\"}}", 2, "s");
	check_duplicate_row(td, "{\"node_id\": 2, \"node_labels\": \"A\", \"node_props\": {\"k\\u0000a\": 1,"
						" \"k\\u0000a\": 2}}", 2, "k\\u0000a");
}

/* sha256("$date('not a date')") and sha256("$point(is just text)") */
#define DIGEST_DATE "42720834c99657fe79546149bf4e310fd3a66a3e1f4d59801c02b3a311e2c427"
#define DIGEST_POINT "ae3104aea08e8e9a32632dd96a7441bd8ab7b3a7b9db56f488f7fa84a22920f0"

static void
test_hash_props(void **state)
{
	TestDir    *td = *state;
	N2pSource  *src;
	N2pRecord	rec;
	const N2pValue *v;

	write_file(td, "data/nodes_1.json",
			   "[{\"node_id\": 1, \"node_labels\": \"A\", \"node_props\": "
			   "{\"s\": \"" DIGEST_DATE "\", \"p\": \"" DIGEST_POINT "\", \"n\": 5}, "
			   "\"hash_props\": {\"p\": \"$point(is just text)\", \"s\": \"$date('not a date')\"}},\n"
			   " {\"node_id\": 2, \"node_labels\": \"A\", \"node_props\": {\"k\": \"v\"},"
			   " \"hash_props\": {}}]");
	write_file(td, "data/relationships_1.json",
			   "[{\"rel_id\": 0, \"start_node_id\": 1, \"end_node_id\": 2, \"rel_type\": \"R\","
			   " \"rel_props\": {\"s\": \"" DIGEST_DATE "\"},"
			   " \"hash_props\": {\"s\": \"$date('not a date')\"}}]");
	src = open_ok(td);
	next_ok(src, &rec);
	v = prop(&rec, "s");
	assert_int_equal(v->type, N2P_STRING);
	assert_str(v->u.str, "$date('not a date')");
	v = prop(&rec, "p");
	assert_int_equal(v->type, N2P_STRING);
	assert_str(v->u.str, "$point(is just text)");
	assert_int_equal(prop(&rec, "n")->u.i, 5);
	next_ok(src, &rec);
	assert_str(prop(&rec, "k")->u.str, "v");
	next_ok(src, &rec);
	assert_int_equal(rec.kind, N2P_REC_REL);
	v = prop(&rec, "s");
	assert_int_equal(v->type, N2P_STRING);
	assert_str(v->u.str, "$date('not a date')");
	next_end(src);
	src->ops->close(src);
}

static void
check_one_node_error(const TestDir *td, const char *props, const char *hash,
					 N2pErrCode code, const char *key)
{
	N2pSource  *src;
	N2pError	err;

	one_node(td, props, hash);
	src = open_ok(td);
	next_err(src, &err);
	if (err.code != code)
		fail_msg("props %s: code %d (%s), expected %d", props, (int) err.code, err.msg,
				 (int) code);
	assert_string_equal(err.key, key);
	assert_int_equal(err.row_id, 1);
	assert_non_null(err.row_kind);
	assert_string_equal(err.row_kind, "node");
	assert_string_equal(err.file, "data/nodes_1.json");
	src->ops->close(src);
}

static void
test_hash_props_errors(void **state)
{
	TestDir    *td = *state;

	/* wrong digest (last hex digit changed) */
	check_one_node_error(td, "{\"a\": 1, \"s\": \"42720834c99657fe79546149bf4e310fd3a66a3e1f4d59801c02b3a311e2c428\"}",
						 "{\"s\": \"$date('not a date')\"}", N2P_ERR_DATA, "s");
	/* upper-case hex is not what Python writes */
	check_one_node_error(td, "{\"s\": \"42720834C99657FE79546149BF4E310FD3A66A3E1F4D59801C02B3A311E2C427\"}",
						 "{\"s\": \"$date('not a date')\"}", N2P_ERR_DATA, "s");
	/* digest of another string */
	check_one_node_error(td, "{\"s\": \"" DIGEST_POINT "\"}",
						 "{\"s\": \"$date('not a date')\"}", N2P_ERR_DATA, "s");
	/* not a digest at all */
	check_one_node_error(td, "{\"s\": \"$date('not a date')\"}",
						 "{\"s\": \"$date('not a date')\"}", N2P_ERR_DATA, "s");
	/* a key of hash_props that is not in the props */
	check_one_node_error(td, "{\"a\": 1}", "{\"gone\": \"$date('x')\"}", N2P_ERR_DATA, "gone");
	/* the hashed value is not a string */
	check_one_node_error(td, "{\"s\": 3}", "{\"s\": \"$date('x')\"}", N2P_ERR_DATA, "s");
	/* the original is not a string */
	check_one_node_error(td, "{\"s\": \"" DIGEST_DATE "\"}", "{\"s\": 3}", N2P_ERR_DATA, "s");
}

static void
test_literals(void **state)
{
	TestDir    *td = *state;
	N2pSource  *src;
	N2pRecord	rec;
	const N2pValue *v;
	int64_t		day;

	one_node(td,
			 "{\"d\": \"$date('1999-01-01')\","
			 " \"t\": \"$time('21:40:32.142000000+01:00')\","
			 " \"lt\": \"$time('12:50:35.556000000')\","
			 " \"dt\": \"$datetime('2015-06-24T12:50:35.556000000+01:00')\","
			 " \"ldt\": \"$datetime('2015-07-04T19:32:24.000000000')\","
			 " \"du\": \"$duration('P1Y2M10DT2H30M15.5S')\","
			 " \"p2\": \"$point({x: 56.0, y: 12.0, crs: 'wgs-84'})\","
			 " \"p3\": \"$point({x: 3.0, y: 0.0, z: 2.0, crs: 'cartesian-3d'})\","
			 " \"plain\": \"$ not a literal\","
			 " \"dollar\": \"$dates('x')\"}",
			 NULL);
	src = open_ok(td);
	next_ok(src, &rec);

	v = prop(&rec, "d");
	assert_int_equal(v->type, N2P_DATE);
	assert_int_equal(v->u.date, n2p_days_from_civil(1999, 1, 1));

	v = prop(&rec, "t");
	assert_int_equal(v->type, N2P_TIME);
	assert_int_equal(v->u.time.nanos, (21 * 3600 + 40 * 60 + 32) * NS + 142000000);
	assert_int_equal(v->u.time.offset, 3600);

	v = prop(&rec, "lt");
	assert_int_equal(v->type, N2P_LOCALTIME);
	assert_int_equal(v->u.time.nanos, (12 * 3600 + 50 * 60 + 35) * NS + 556000000);

	v = prop(&rec, "dt");
	day = n2p_days_from_civil(2015, 6, 24);
	assert_int_equal(v->type, N2P_DATETIME);
	assert_int_equal(v->u.dt.secs, day * 86400 + 12 * 3600 + 50 * 60 + 35);
	assert_int_equal(v->u.dt.nanos, 556000000);
	assert_int_equal(v->u.dt.offset, 3600);
	assert_int_equal(v->u.dt.zone.len, 0);

	v = prop(&rec, "ldt");
	day = n2p_days_from_civil(2015, 7, 4);
	assert_int_equal(v->type, N2P_LOCALDATETIME);
	assert_int_equal(v->u.dt.secs, day * 86400 + 19 * 3600 + 32 * 60 + 24);
	assert_int_equal(v->u.dt.nanos, 0);

	v = prop(&rec, "du");
	assert_int_equal(v->type, N2P_DURATION);
	assert_int_equal(v->u.dur.months, 14);
	assert_int_equal(v->u.dur.days, 10);
	assert_int_equal(v->u.dur.secs, 2 * 3600 + 30 * 60 + 15);
	assert_int_equal(v->u.dur.nanos, 500000000);

	v = prop(&rec, "p2");
	assert_int_equal(v->type, N2P_POINT);
	assert_int_equal(v->u.point.srid, N2P_SRID_WGS84);
	assert_true(v->u.point.x == 56.0 && v->u.point.y == 12.0);

	v = prop(&rec, "p3");
	assert_int_equal(v->type, N2P_POINT);
	assert_int_equal(v->u.point.srid, N2P_SRID_CARTESIAN_3D);
	assert_true(v->u.point.x == 3.0 && v->u.point.y == 0.0 && v->u.point.z == 2.0);

	/* no literal prefix: strings */
	assert_int_equal(prop(&rec, "plain")->type, N2P_STRING);
	assert_str(prop(&rec, "dollar")->u.str, "$dates('x')");
	next_end(src);
	src->ops->close(src);
}

static void
test_literal_errors(void **state)
{
	TestDir    *td = *state;

	check_one_node_error(td, "{\"ok\": 1, \"d\": \"$date('1999-13-01')\"}", NULL,
						 N2P_ERR_SYNTAX, "d");
	check_one_node_error(td, "{\"d\": \"$date('not a date')\"}", NULL, N2P_ERR_SYNTAX, "d");
	check_one_node_error(td, "{\"p\": \"$point({x: 1.0, crs: 'wgs-84'})\"}", NULL,
						 N2P_ERR_SYNTAX, "p");
	check_one_node_error(td, "{\"t\": \"$time(\"}", NULL, N2P_ERR_SYNTAX, "t");
}

static void
test_literal_lists(void **state)
{
	TestDir    *td = *state;
	N2pSource  *src;
	N2pRecord	rec;
	const N2pValue *v;

	one_node(td,
			 "{\"dates\": [\"$date('1999-01-01')\", \"$date('2000-02-29')\"],"
			 " \"mixed\": [\"$date('1999-01-01')\", \"plain\"],"
			 " \"badone\": [\"$date('1999-01-01')\", \"$date('1999-02-30')\"],"
			 " \"points\": [\"$point({x: 1.0, y: 2.0, crs: 'cartesian'})\"],"
			 " \"empty\": [],"
			 " \"ints\": [1, 2]}",
			 NULL);
	src = open_ok(td);
	next_ok(src, &rec);

	v = prop(&rec, "dates");
	assert_int_equal(v->type, N2P_LIST);
	assert_int_equal(v->u.list.n, 2);
	assert_int_equal(v->u.list.items[0].type, N2P_DATE);
	assert_int_equal(v->u.list.items[0].u.date, n2p_days_from_civil(1999, 1, 1));
	assert_int_equal(v->u.list.items[1].type, N2P_DATE);
	assert_int_equal(v->u.list.items[1].u.date, n2p_days_from_civil(2000, 2, 29));

	v = prop(&rec, "mixed");
	assert_int_equal(v->u.list.n, 2);
	assert_int_equal(v->u.list.items[0].type, N2P_STRING);
	assert_str(v->u.list.items[0].u.str, "$date('1999-01-01')");
	assert_int_equal(v->u.list.items[1].type, N2P_STRING);

	/* every element has the prefix but one does not parse: strings */
	v = prop(&rec, "badone");
	assert_int_equal(v->u.list.items[0].type, N2P_STRING);
	assert_str(v->u.list.items[0].u.str, "$date('1999-01-01')");
	assert_int_equal(v->u.list.items[1].type, N2P_STRING);

	v = prop(&rec, "points");
	assert_int_equal(v->u.list.items[0].type, N2P_POINT);
	assert_int_equal(v->u.list.items[0].u.point.srid, N2P_SRID_CARTESIAN);

	v = prop(&rec, "empty");
	assert_int_equal(v->type, N2P_LIST);
	assert_int_equal(v->u.list.n, 0);
	assert_int_equal(prop(&rec, "ints")->u.list.items[1].u.i, 2);
	next_end(src);
	src->ops->close(src);
}

/* Every element a literal, but of two Neo4j types: the list is strings. */
static void
test_literal_lists_one_type(void **state)
{
	static const char *const strings[] = {"date_time", "localtime_time", "ldt_dt", "srids",
	"date_duration"};
	TestDir    *td = *state;
	N2pSource  *src;
	N2pRecord	rec;
	const N2pValue *v;
	size_t		i;

	one_node(td,
			 "{\"date_time\": [\"$date('2020-01-01')\", \"$time('12:00:00')\"],"
			 " \"localtime_time\": [\"$time('12:00:00')\", \"$time('12:00:00+01:00')\"],"
			 " \"ldt_dt\": [\"$datetime('2020-01-01T00:00:00')\", \"$datetime('2020-01-01T00:00:00Z')\"],"
			 " \"srids\": [\"$point({x: 1.0, y: 2.0, crs: 'cartesian'})\","
			 " \"$point({x: 1.0, y: 2.0, crs: 'wgs-84'})\"],"
			 " \"date_duration\": [\"$date('2020-01-01')\", \"$duration('P1D')\"],"
			 " \"times\": [\"$time('12:00:00+01:00')\", \"$time('13:00:00Z')\"],"
			 " \"localtimes\": [\"$time('12:00:00')\", \"$time('13:00:00.5')\"],"
			 " \"points\": [\"$point({x: 1.0, y: 2.0, crs: 'wgs-84'})\","
			 " \"$point({x: 3.0, y: 4.0, crs: 'wgs-84'})\"]}",
			 NULL);
	src = open_ok(td);
	next_ok(src, &rec);
	for (i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
	{
		v = prop(&rec, strings[i]);
		assert_int_equal(v->u.list.n, 2);
		if (v->u.list.items[0].type != N2P_STRING || v->u.list.items[1].type != N2P_STRING)
			fail_msg("%s: a list of two Neo4j types was read as literals", strings[i]);
	}
	assert_str(prop(&rec, "date_time")->u.list.items[1].u.str, "$time('12:00:00')");
	v = prop(&rec, "times");
	assert_int_equal(v->u.list.items[0].type, N2P_TIME);
	assert_int_equal(v->u.list.items[1].type, N2P_TIME);
	v = prop(&rec, "localtimes");
	assert_int_equal(v->u.list.items[0].type, N2P_LOCALTIME);
	assert_int_equal(v->u.list.items[1].type, N2P_LOCALTIME);
	v = prop(&rec, "points");
	assert_int_equal(v->u.list.items[1].type, N2P_POINT);
	assert_int_equal(v->u.list.items[1].u.point.srid, N2P_SRID_WGS84);
	next_end(src);
	src->ops->close(src);
}

static void
test_bad_values(void **state)
{
	TestDir    *td = *state;

	check_one_node_error(td, "{\"a\": 1, \"x\": null}", NULL, N2P_ERR_DATA, "x");
	check_one_node_error(td, "{\"m\": {\"y\": 1}}", NULL, N2P_ERR_DATA, "m");
	check_one_node_error(td, "{\"m\": {}}", NULL, N2P_ERR_DATA, "m");
	check_one_node_error(td, "{\"l\": [1, null]}", NULL, N2P_ERR_DATA, "l");
	check_one_node_error(td, "{\"l\": [[1]]}", NULL, N2P_ERR_DATA, "l");
	check_one_node_error(td, "{\"l\": [{}]}", NULL, N2P_ERR_DATA, "l");
}

/* Neo4j has no empty names: an empty key or relationship type is refused. */
static void
test_empty_names(void **state)
{
	TestDir    *td = *state;
	N2pSource  *src;
	N2pRecord	rec;
	N2pError	err;

	check_one_node_error(td, "{\"a\": 1, \"\": 2}", NULL, N2P_ERR_DATA, "");
	src = open_ok(td);
	next_err(src, &err);
	assert_non_null(strstr(err.msg, "empty property key \"\""));
	src->ops->close(src);

	write_file(td, "data/relationships_1.json",
			   "[{\"rel_id\": 4, \"start_node_id\": 1, \"end_node_id\": 1,"
			   " \"rel_type\": \"\", \"rel_props\": {}}]");
	one_node(td, "{}", NULL);
	src = open_ok(td);
	next_ok(src, &rec);
	next_err(src, &err);
	assert_int_equal(err.code, N2P_ERR_DATA);
	assert_int_equal(err.row_id, 4);
	assert_string_equal(err.row_kind, "relationship");
	assert_string_equal(err.file, "data/relationships_1.json");
	assert_non_null(strstr(err.msg, "empty rel_type"));
	src->ops->close(src);
}

/* Row-shape errors: a required field missing or of the wrong type. */
static void
check_row_error(const TestDir *td, const char *file, const char *row, int64_t row_id,
				const char *kind)
{
	char		doc[2048],
				path[64];
	N2pSource  *src;
	N2pError	err;

	snprintf(path, sizeof(path), "data/%s", file);
	snprintf(doc, sizeof(doc), "[%s]", row);
	write_file(td, path, doc);
	src = open_ok(td);
	next_err(src, &err);
	if (err.code != N2P_ERR_DATA)
		fail_msg("row %s: code %d (%s)", row, (int) err.code, err.msg);
	assert_int_equal(err.row_id, row_id);
	assert_non_null(err.row_kind);
	assert_string_equal(err.row_kind, kind);
	assert_string_equal(err.file, path);
	src->ops->close(src);
	snprintf(doc, sizeof(doc), "%s/%s", td->path, path);
	assert_int_equal(unlink(doc), 0);
}

static void
test_row_errors(void **state)
{
	TestDir    *td = *state;

	check_row_error(td, "nodes_1.json", "{\"node_labels\": \"A\", \"node_props\": {}}", -1, "node");
	check_row_error(td, "nodes_1.json", "{\"node_id\": \"7\", \"node_labels\": \"A\", \"node_props\": {}}",
					-1, "node");
	check_row_error(td, "nodes_1.json", "{\"node_id\": 7, \"node_props\": {}}", 7, "node");
	check_row_error(td, "nodes_1.json", "{\"node_id\": 7, \"node_labels\": [\"A\"], \"node_props\": {}}",
					7, "node");
	check_row_error(td, "nodes_1.json", "{\"node_id\": 7, \"node_labels\": \"A\"}", 7, "node");
	check_row_error(td, "nodes_1.json", "{\"node_id\": 7, \"node_labels\": \"A\", \"node_props\": []}",
					7, "node");
	check_row_error(td, "nodes_1.json",
					"{\"node_id\": 7, \"node_labels\": \"A\", \"node_props\": {}, \"hash_props\": []}",
					7, "node");
	check_row_error(td, "nodes_1.json", "42", -1, "node");
	check_row_error(td, "relationships_1.json",
					"{\"start_node_id\": 1, \"end_node_id\": 2, \"rel_type\": \"R\", \"rel_props\": {}}",
					-1, "relationship");
	check_row_error(td, "relationships_1.json",
					"{\"rel_id\": 4, \"end_node_id\": 2, \"rel_type\": \"R\", \"rel_props\": {}}",
					4, "relationship");
	check_row_error(td, "relationships_1.json",
					"{\"rel_id\": 4, \"start_node_id\": 1, \"rel_type\": \"R\", \"rel_props\": {}}",
					4, "relationship");
	check_row_error(td, "relationships_1.json",
					"{\"rel_id\": 4, \"start_node_id\": 1, \"end_node_id\": 2, \"rel_props\": {}}",
					4, "relationship");
	check_row_error(td, "relationships_1.json",
					"{\"rel_id\": 4, \"start_node_id\": 1, \"end_node_id\": 2, \"rel_type\": \"R\"}",
					4, "relationship");
	check_row_error(td, "relationships_1.json",
					"{\"rel_id\": 4, \"start_node_id\": 1, \"end_node_id\": 2, \"rel_type\": \"R\","
					" \"rel_props\": {\"x\": null}}",
					4, "relationship");
}

static void
test_rel_rows(void **state)
{
	TestDir    *td = *state;
	N2pSource  *src;
	N2pRecord	rec;
	const N2pValue *v;

	/* key order is not fixed */
	write_gz(td, "data/relationships_3.json.gz",
			 "[\n{\n\"rel_id\": 0,\n\"start_node_id\": 71,\n\"end_node_id\": 150,\n"
			 "\"rel_type\": \"ACTED_IN\",\n\"rel_props\": {\n\"roles\": [\n\"Neo\"\n],\n"
			 "\"since\": \"$date('1999-03-31')\"\n},\n\"hash_props\": {}\n},\n"
			 "{\"rel_props\": {}, \"rel_type\": \"KNOWS\", \"end_node_id\": -1,"
			 " \"start_node_id\": 9223372036854775807, \"rel_id\": 1}\n]");
	src = open_ok(td);
	next_ok(src, &rec);
	assert_int_equal(rec.kind, N2P_REC_REL);
	assert_int_equal(rec.id, 0);
	assert_int_equal(rec.start_id, 71);
	assert_int_equal(rec.end_id, 150);
	assert_str(rec.type, "ACTED_IN");
	assert_string_equal(rec.origin, "data/relationships_3.json.gz");
	v = prop(&rec, "roles");
	assert_int_equal(v->type, N2P_LIST);
	assert_str(v->u.list.items[0].u.str, "Neo");
	assert_int_equal(prop(&rec, "since")->type, N2P_DATE);
	next_ok(src, &rec);
	assert_int_equal(rec.id, 1);
	assert_int_equal(rec.start_id, INT64_MAX);
	assert_int_equal(rec.end_id, -1);
	assert_str(rec.type, "KNOWS");
	assert_int_equal(rec.props.u.map.n, 0);
	next_end(src);
	src->ops->close(src);
}

/* ---------------------------------------------------------------- progress */

static void
test_bytes_done(void **state)
{
	TestDir    *td = *state;
	N2pSource  *src;
	N2pRecord	rec;
	char		doc[8192],
				row[256];
	size_t		n;
	int			i;
	uint64_t	size1,
				size2,
				size_rel,
				prev = 0,
				b;

	/* two node files, one plain and one gzip'd, and a relationship file */
	for (n = 0, i = 1; i <= 20; i++)
	{
		node_row(row, sizeof(row), i, "A", "{\"s\": \"some text to make the file bigger\"}", NULL);
		n += (size_t) snprintf(doc + n, sizeof(doc) - n, "%s%s", i == 1 ? "[" : ",\n", row);
	}
	snprintf(doc + n, sizeof(doc) - n, "]");
	write_file(td, "data/nodes_20.json", doc);
	doc[0] = '\0';
	for (n = 0, i = 21; i <= 40; i++)
	{
		node_row(row, sizeof(row), i, "B", "{\"s\": \"some text to make the file bigger\"}", NULL);
		n += (size_t) snprintf(doc + n, sizeof(doc) - n, "%s%s", i == 21 ? "[" : ",\n", row);
	}
	snprintf(doc + n, sizeof(doc) - n, "]");
	write_gz(td, "data/nodes_40.json.gz", doc);
	write_file(td, "data/relationships_1.json",
			   "[{\"rel_id\": 0, \"start_node_id\": 1, \"end_node_id\": 2,"
			   " \"rel_type\": \"R\", \"rel_props\": {}},"
			   " {\"rel_id\": 1, \"start_node_id\": 1, \"end_node_id\": 2,"
			   " \"rel_type\": \"R\", \"rel_props\": {}}]");
	size1 = file_size(td, "data/nodes_20.json");
	size2 = file_size(td, "data/nodes_40.json.gz");
	size_rel = file_size(td, "data/relationships_1.json");

	src = open_ok(td);
	assert_int_equal(src->meta.node_bytes, size1 + size2);
	assert_int_equal(src->meta.rel_bytes, size_rel);
	assert_int_equal(src->ops->bytes_done(src), 0);
	for (i = 1; i <= 40; i++)
	{
		next_ok(src, &rec);
		assert_int_equal(rec.id, i);
		b = src->ops->bytes_done(src);
		assert_true(b >= prev);
		assert_true(b > 0);
		assert_true(b <= size1 + size2);
		if (i > 20)
			assert_true(b > size1);
		prev = b;
	}
	/* the whole of both files has been read */
	assert_int_equal(prev, size1 + size2);

	/* the relationship phase counts from zero */
	next_ok(src, &rec);
	assert_int_equal(rec.kind, N2P_REC_REL);
	b = src->ops->bytes_done(src);
	assert_true(b > 0 && b <= size_rel);
	next_ok(src, &rec);
	assert_int_equal(src->ops->bytes_done(src), size_rel);
	next_end(src);
	src->ops->close(src);
}

/* ---------------------------------------------------------- error recovery */

static void
test_error_recovery(void **state)
{
	TestDir    *td = *state;
	N2pSource  *src;
	N2pRecord	rec;
	N2pError	err;

	write_file(td, "data/nodes_1.json",
			   "[{\"node_id\": 1, \"node_labels\": \"A\", \"node_props\": {}},\n"
			   " {\"node_id\": 2, \"node_labels\": \"A\", \"node_props\": {\"x\": null}},\n"
			   " {\"node_id\": 3, \"node_labels\": \"A\", \"node_props\": {\"n\": 3}},\n"
			   " {\"node_id\": 4, \"node_labels\": \"A\", \"node_props\": {\"s\": \"" DIGEST_POINT "\"},"
			   " \"hash_props\": {\"s\": \"$date('not a date')\"}},\n"
			   " 17,\n"
			   " {\"node_id\": 5, \"node_labels\": \"A\", \"node_props\": {\"d\": \"$date('1999-02-30')\"}}]");
	write_file(td, "data/nodes_2.json",
			   "[{\"node_id\": 6, \"node_labels\": \"A\", \"node_props\": {}}]");
	write_file(td, "data/relationships_1.json",
			   "[{\"rel_id\": 0, \"start_node_id\": 1, \"end_node_id\": 2,"
			   " \"rel_type\": \"R\", \"rel_props\": {\"m\": {}}},\n"
			   " {\"rel_id\": 1, \"start_node_id\": 1, \"end_node_id\": 3,"
			   " \"rel_type\": \"R\", \"rel_props\": {\"w\": 1.5}}]");
	src = open_ok(td);

	next_ok(src, &rec);
	assert_int_equal(rec.id, 1);

	next_err(src, &err);
	assert_int_equal(err.code, N2P_ERR_DATA);
	assert_string_equal(err.row_kind, "node");
	assert_int_equal(err.row_id, 2);
	assert_string_equal(err.key, "x");

	next_ok(src, &rec);
	assert_int_equal(rec.id, 3);
	assert_int_equal(prop(&rec, "n")->u.i, 3);
	assert_int_equal(rec.nlabels, 1);
	assert_str(rec.labels[0], "A");

	next_err(src, &err);
	assert_int_equal(err.code, N2P_ERR_DATA);
	assert_int_equal(err.row_id, 4);
	assert_string_equal(err.key, "s");

	/* a row that is not an object has no id: the message names the last good one */
	next_err(src, &err);
	assert_int_equal(err.code, N2P_ERR_DATA);
	assert_string_equal(err.row_kind, "node");
	assert_int_equal(err.row_id, -1);
	assert_string_equal(err.file, "data/nodes_1.json");
	if (strstr(err.msg, "node 3") == NULL)
		fail_msg("message does not name the previous row: %s", err.msg);

	next_err(src, &err);
	assert_int_equal(err.code, N2P_ERR_SYNTAX);
	assert_string_equal(err.row_kind, "node");
	assert_int_equal(err.row_id, 5);
	assert_string_equal(err.key, "d");

	/* on to the next file */
	next_ok(src, &rec);
	assert_int_equal(rec.id, 6);
	assert_string_equal(rec.origin, "data/nodes_2.json");

	next_err(src, &err);
	assert_string_equal(err.row_kind, "relationship");
	assert_int_equal(err.row_id, 0);
	assert_string_equal(err.key, "m");
	assert_string_equal(err.file, "data/relationships_1.json");

	next_ok(src, &rec);
	assert_int_equal(rec.kind, N2P_REC_REL);
	assert_int_equal(rec.id, 1);
	assert_int_equal(rec.end_id, 3);
	assert_true(prop(&rec, "w")->u.f == 1.5);
	next_end(src);
	src->ops->close(src);
}

/* A syntax error inside a chunk is not a row-level error. */
static void
test_syntax_error(void **state)
{
	TestDir    *td = *state;
	N2pSource  *src;
	N2pRecord	rec;
	N2pError	err;

	write_file(td, "data/nodes_1.json",
			   "[{\"node_id\": 1, \"node_labels\": \"A\", \"node_props\": {}},\n"
			   " {\"node_id\": 2, \"node_labels\": \"A\", \"node_props\": {]");
	src = open_ok(td);
	next_ok(src, &rec);
	next_err(src, &err);
	assert_int_equal(err.code, N2P_ERR_SYNTAX);
	assert_null(err.row_kind);
	assert_string_equal(err.file, "data/nodes_1.json");
	assert_true(err.offset > 0);
	assert_non_null(strstr(err.msg, "node 1"));
	src->ops->close(src);
}

/* A truncated gzip chunk is an I/O error naming the file. */
static void
test_truncated_gzip(void **state)
{
	TestDir    *td = *state;
	N2pSource  *src;
	N2pRecord	rec;
	N2pError	err;
	char		path[512];
	uint64_t	size;
	int			rc;

	write_gz(td, "data/nodes_1.json.gz",
			 "[{\"node_id\": 1, \"node_labels\": \"A\", \"node_props\": {}}]");
	size = file_size(td, "data/nodes_1.json.gz");
	snprintf(path, sizeof(path), "%s/data/nodes_1.json.gz", td->path);
	assert_int_equal(truncate(path, (off_t) size - 4), 0);
	src = open_ok(td);
	n2p_error_init(&err);
	rc = src->ops->next(src, &rec, &err);
	assert_true(rc == 1 || rc == -1);
	if (rc == 1)
		next_err(src, &err);
	assert_int_equal(err.code, N2P_ERR_IO);
	assert_string_equal(err.file, "data/nodes_1.json.gz");
	src->ops->close(src);
}

/*
 * n2p_backup_select: a foreign table reads only its kind's files, and a
 * parallel worker one file of them; the file list says what is there.
 */
static void
test_select_files(void **state)
{
	TestDir    *td = *state;
	N2pSource  *src;
	N2pRecord	rec;
	const char *name;
	uint64_t	size;

	write_file(td, "data/nodes_1.json",
			   "[{\"node_id\": 1, \"node_labels\": \"A\", \"node_props\": {}}]");
	write_gz(td, "data/nodes_2.json.gz",
			 "[{\"node_id\": 2, \"node_labels\": \"A\", \"node_props\": {}},"
			 " {\"node_id\": 3, \"node_labels\": \"A\", \"node_props\": {}}]");
	write_file(td, "data/relationships_1.json",
			   "[{\"rel_id\": 9, \"start_node_id\": 1, \"end_node_id\": 2,"
			   " \"rel_type\": \"R\", \"rel_props\": {}}]");
	/* relationships only: no node file is opened (this one is not JSON) */
	write_file(td, "data/nodes_3.json", "not json");
	src = open_ok(td);
	assert_int_equal(n2p_backup_nfiles(src, N2P_REC_NODE), 3);
	assert_int_equal(n2p_backup_nfiles(src, N2P_REC_REL), 1);
	assert_true(n2p_backup_file(src, N2P_REC_NODE, 1, &name, &size));
	assert_string_equal(name, "data/nodes_2.json.gz");
	assert_int_equal(size, file_size(td, "data/nodes_2.json.gz"));
	assert_false(n2p_backup_file(src, N2P_REC_NODE, 3, &name, &size));
	assert_true(n2p_backup_select(src, N2P_REC_REL, 0, SIZE_MAX));
	next_ok(src, &rec);
	assert_int_equal(rec.kind, N2P_REC_REL);
	assert_int_equal(rec.id, 9);
	next_end(src);
	src->ops->close(src);

	/* the second node file alone */
	src = open_ok(td);
	assert_true(n2p_backup_select(src, N2P_REC_NODE, 1, 1));
	next_ok(src, &rec);
	assert_int_equal(rec.id, 2);
	/* once started, a source cannot be selected again */
	assert_false(n2p_backup_select(src, N2P_REC_NODE, 0, 1));
	next_ok(src, &rec);
	assert_int_equal(rec.id, 3);
	next_end(src);
	src->ops->close(src);

	/* past the last file: nothing */
	src = open_ok(td);
	assert_true(n2p_backup_select(src, N2P_REC_REL, 1, 1));
	next_end(src);
	src->ops->close(src);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_dir, teardown_dir)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_chunk_order),
		T(test_select_files),
		T(test_io_table),
		T(test_io_list),
		T(test_compressed_flag_ignored),
		T(test_empty_data),
		T(test_no_data_dir),
		T(test_metadata),
		T(test_metadata_missing),
		T(test_metadata_bad),
		T(test_metadata_nul),
		T(test_labels),
		T(test_empty_labels),
		T(test_duplicate_names),
		T(test_hash_props),
		T(test_hash_props_errors),
		T(test_literals),
		T(test_literal_errors),
		T(test_literal_lists),
		T(test_literal_lists_one_type),
		T(test_bad_values),
		T(test_empty_names),
		T(test_row_errors),
		T(test_rel_rows),
		T(test_bytes_done),
		T(test_error_recovery),
		T(test_syntax_error),
		T(test_truncated_gzip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
