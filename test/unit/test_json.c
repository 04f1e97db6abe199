/*-------------------------------------------------------------------------
 *
 * test_json.c
 *	  Unit tests for the streaming JSON reader: Python's output forms, every
 *	  piece boundary, the number and string dialect, limits and errors.
 *
 * Most tests run each document at several piece sizes (down to one byte)
 * and require the same values, or the same error at the same offset, every
 * time: that is what proves the carry-over logic.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  test/unit/test_json.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_support.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "neo2pg/json.h"

/* Piece sizes every document is read with; 0 means one piece. */
static const size_t piece_sizes[] = {1, 2, 3, 5, 7, 8, 13, 64, 0};

#define NPIECES (sizeof(piece_sizes) / sizeof(piece_sizes[0]))

/* ---------------------------------------------------------------- helpers */

static void dump_value(N2pBuf *b, const N2pValue *v);

static void
dump_str(N2pBuf *b, N2pStr s)
{
	size_t		i;

	n2p_buf_putc(b, '"');
	for (i = 0; i < s.len; i++)
	{
		unsigned char c = (unsigned char) s.ptr[i];

		if (c < 0x20 || c >= 0x7f)
			n2p_buf_printf(b, "\\x%02x", c);
		else if (c == '"' || c == '\\')
			n2p_buf_printf(b, "\\%c", c);
		else
			n2p_buf_putc(b, (char) c);
	}
	n2p_buf_putc(b, '"');
}

static void
dump_float(N2pBuf *b, double f)
{
	if (isnan(f))
		n2p_buf_printf(b, "NaN");
	else if (isinf(f))
		n2p_buf_printf(b, f > 0 ? "Infinity" : "-Infinity");
	else
		n2p_buf_printf(b, "%.17g", f);
}

/* A canonical text form of a value, so that tests compare whole trees. */
static void
dump_value(N2pBuf *b, const N2pValue *v)
{
	size_t		i;

	switch (v->type)
	{
		case N2P_NULL:
			n2p_buf_printf(b, "null");
			break;
		case N2P_BOOL:
			n2p_buf_printf(b, v->u.b ? "true" : "false");
			break;
		case N2P_INT:
			n2p_buf_printf(b, "%lld", (long long) v->u.i);
			break;
		case N2P_FLOAT:
			dump_float(b, v->u.f);
			break;
		case N2P_STRING:
			dump_str(b, v->u.str);
			break;
		case N2P_LIST:
			n2p_buf_putc(b, '[');
			for (i = 0; i < v->u.list.n; i++)
			{
				if (i > 0)
					n2p_buf_putc(b, ',');
				dump_value(b, &v->u.list.items[i]);
			}
			n2p_buf_putc(b, ']');
			break;
		case N2P_MAP:
			n2p_buf_putc(b, '{');
			for (i = 0; i < v->u.map.n; i++)
			{
				if (i > 0)
					n2p_buf_putc(b, ',');
				dump_str(b, v->u.map.keys[i]);
				n2p_buf_putc(b, ':');
				dump_value(b, &v->u.map.vals[i]);
			}
			n2p_buf_putc(b, '}');
			break;
		default:
			n2p_buf_printf(b, "?");
			break;
	}
}

static N2pInput *
open_doc(const void *doc, size_t len, size_t piece, N2pError *err)
{
	if (piece == 0)
		return n2p_input_open_mem(doc, len, false, &n2p_libc_allocator, err);
	return n2p_input_open_mem_chunked(doc, len, piece, &n2p_libc_allocator, err);
}

/*
 * Read every element of a chunk document, appending the dumps separated
 * by newlines to out.  Returns the n2p_json_next result that ended it.
 */
static int
read_rows(const void *doc, size_t len, size_t piece, N2pBuf *out, N2pError *err)
{
	N2pInput   *in;
	N2pJsonReader *r;
	N2pArena	arena;
	N2pValue	v;
	int			rc;

	n2p_error_init(err);
	in = open_doc(doc, len, piece, err);
	assert_non_null(in);
	r = n2p_json_reader_new(in, &n2p_libc_allocator, err);
	assert_non_null(r);
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	while ((rc = n2p_json_next(r, &arena, &v, err)) == 1)
	{
		dump_value(out, &v);
		n2p_buf_putc(out, '\n');
		n2p_arena_reset(&arena);
	}
	/* the offset counts inflated bytes, so it is only known for plain text */
	if (rc == 0 && (len < 1 || ((const unsigned char *) doc)[0] != 0x1f))
		assert_int_equal(n2p_json_offset(r), len);
	n2p_arena_destroy(&arena);
	n2p_json_reader_free(r);
	n2p_input_close(in);
	return rc;
}

/* Read doc at every piece size and require the given dump each time. */
static void
check_rows(const char *doc, size_t len, const char *expect)
{
	size_t		i;

	for (i = 0; i < NPIECES; i++)
	{
		N2pBuf		out;
		N2pError	err;

		n2p_buf_init(&out, &n2p_libc_allocator);
		if (read_rows(doc, len, piece_sizes[i], &out, &err) != 0)
			fail_msg("piece %zu: %s", piece_sizes[i], err.msg);
		assert_string_equal(out.data ? out.data : "", expect);
		n2p_buf_free(&out);
	}
}

/*
 * Read doc at every piece size and require the same error each time: code,
 * offset and a substring of the message.
 */
static void
check_error_len(const char *doc, size_t len, N2pErrCode code, int64_t offset,
				const char *msg)
{
	size_t		i;

	for (i = 0; i < NPIECES; i++)
	{
		N2pBuf		out;
		N2pError	err;
		int			rc;

		n2p_buf_init(&out, &n2p_libc_allocator);
		rc = read_rows(doc, len, piece_sizes[i], &out, &err);
		n2p_buf_free(&out);
		if (rc != -1 || err.code != code || err.offset != offset ||
			strstr(err.msg, msg) == NULL)
			fail_msg("doc %s piece %zu: rc %d code %d offset %lld msg \"%s\"",
					 doc, piece_sizes[i], rc, (int) err.code,
					 (long long) err.offset, err.msg);
	}
}

static void
check_error(const char *doc, N2pErrCode code, int64_t offset, const char *msg)
{
	check_error_len(doc, strlen(doc), code, offset, msg);
}

/* Parse a single-element array and return its dump (caller frees). */
static char *
one_value(const char *json)
{
	N2pBuf		doc;
	N2pBuf		out;
	N2pError	err;

	n2p_buf_init(&doc, &n2p_libc_allocator);
	n2p_buf_init(&out, &n2p_libc_allocator);
	n2p_buf_printf(&doc, "[%s]", json);
	if (read_rows(doc.data, doc.len, 0, &out, &err) != 0)
		fail_msg("%s: %s", json, err.msg);
	n2p_buf_free(&doc);
	out.data[out.len - 1] = '\0';	/* drop the newline */
	return out.data;
}

/* Parse a single-element array holding a number and return it as double. */
static N2pValue
one_scalar(const char *json, N2pArena *arena)
{
	N2pBuf		doc;
	N2pError	err;
	N2pInput   *in;
	N2pJsonReader *r;
	N2pValue	v;

	n2p_error_init(&err);
	n2p_buf_init(&doc, &n2p_libc_allocator);
	n2p_buf_printf(&doc, "[%s]", json);
	in = n2p_input_open_mem(doc.data, doc.len, false, &n2p_libc_allocator, &err);
	r = n2p_json_reader_new(in, &n2p_libc_allocator, &err);
	if (n2p_json_next(r, arena, &v, &err) != 1)
		fail_msg("%s: %s", json, err.msg);
	n2p_json_reader_free(r);
	n2p_input_close(in);
	n2p_buf_free(&doc);
	return v;
}


/* ---------------------------------------------------------------- Python forms */

static const char py_indent0[] =
"[\n{\n\"node_id\": 72,\n\"node_labels\": \"Person:XX\",\n\"node_props\": {\n\"name\": \"Zo\\u00eb \\ud83d\\ude00\",\n\"age\": 42,\n\"score\": 0.334,\n\"tiny\": 1e-05,\n\"neg\": -0.0,\n\"big\": 1.7976931348623157e+308,\n\"nan\": NaN,\n\"inf\": Infinity,\n\"ninf\": -Infinity,\n\"tags\": [\n\"a\",\n\"b\\\"c\\\\\"\n],\n\"born\": \"$date('1999-01-01')\",\n\"nul\": \"a\\u0000b\",\n\"flag\": true,\n\"min\": -9223372036854775808,\n\"max\": 9223372036854775807,\n\"empty\": [],\n\"m\": {}\n},\n\"hash_props\": {}\n},\n{\n\"rel_id\": 0,\n\"start_node_id\": 71,\n\"end_node_id\": 150,\n\"rel_type\": \"ACTED_IN\",\n\"rel_props\": {\n\"roles\": [\n\"Neo\"\n],\n\"x\": null,\n\"f\": false\n},\n\"hash_props\": {\n\"roles\": \"abc\"\n}\n}\n]";

static const char py_indent4[] =
"[\n    {\n        \"node_id\": 72,\n        \"node_labels\": \"Person:XX\",\n        \"node_props\": {\n            \"name\": \"Zo\\u00eb \\ud83d\\ude00\",\n            \"age\": 42,\n            \"score\": 0.334,\n            \"tiny\": 1e-05,\n            \"neg\": -0.0,\n            \"big\": 1.7976931348623157e+308,\n            \"nan\": NaN,\n            \"inf\": Infinity,\n            \"ninf\": -Infinity,\n            \"tags\": [\n                \"a\",\n                \"b\\\"c\\\\\"\n            ],\n            \"born\": \"$date('1999-01-01')\",\n            \"nul\": \"a\\u0000b\",\n            \"flag\": true,\n            \"min\": -9223372036854775808,\n            \"max\": 9223372036854775807,\n            \"empty\": [],\n            \"m\": {}\n        },\n        \"hash_props\": {}\n    },\n    {\n        \"rel_id\": 0,\n        \"start_node_id\": 71,\n        \"end_node_id\": 150,\n        \"rel_type\": \"ACTED_IN\",\n        \"rel_props\": {\n            \"roles\": [\n                \"Neo\"\n            ],\n            \"x\": null,\n            \"f\": false\n        },\n        \"hash_props\": {\n            \"roles\": \"abc\"\n        }\n    }\n]";

static const char py_compact[] =
"[{\"node_id\": 72, \"node_labels\": \"Person:XX\", \"node_props\": {\"name\": \"Zo\\u00eb \\ud83d\\ude00\", \"age\": 42, \"score\": 0.334, \"tiny\": 1e-05, \"neg\": -0.0, \"big\": 1.7976931348623157e+308, \"nan\": NaN, \"inf\": Infinity, \"ninf\": -Infinity, \"tags\": [\"a\", \"b\\\"c\\\\\"], \"born\": \"$date('1999-01-01')\", \"nul\": \"a\\u0000b\", \"flag\": true, \"min\": -9223372036854775808, \"max\": 9223372036854775807, \"empty\": [], \"m\": {}}, \"hash_props\": {}}, {\"rel_id\": 0, \"start_node_id\": 71, \"end_node_id\": 150, \"rel_type\": \"ACTED_IN\", \"rel_props\": {\"roles\": [\"Neo\"], \"x\": null, \"f\": false}, \"hash_props\": {\"roles\": \"abc\"}}]";

/* What all three forms above must read as. */
static const char py_expect[] =
"{\"node_id\":72,\"node_labels\":\"Person:XX\",\"node_props\":{\"name\":\"Zo\\xc3\\xab \\xf0\\x9f\\x98\\x80\",\"age\":42,\"score\":0.33400000000000002,\"tiny\":1.0000000000000001e-05,\"neg\":-0,\"big\":1.7976931348623157e+308,\"nan\":NaN,\"inf\":Infinity,\"ninf\":-Infinity,\"tags\":[\"a\",\"b\\\"c\\\\\"],\"born\":\"$date('1999-01-01')\",\"nul\":\"a\\x00b\",\"flag\":true,\"min\":-9223372036854775808,\"max\":9223372036854775807,\"empty\":[],\"m\":{}},\"hash_props\":{}}\n"
"{\"rel_id\":0,\"start_node_id\":71,\"end_node_id\":150,\"rel_type\":\"ACTED_IN\",\"rel_props\":{\"roles\":[\"Neo\"],\"x\":null,\"f\":false},\"hash_props\":{\"roles\":\"abc\"}}\n";

static void
test_python_indent0(void **state)
{
	(void) state;
	check_rows(py_indent0, sizeof(py_indent0) - 1, py_expect);
}

static void
test_python_indent4(void **state)
{
	(void) state;
	check_rows(py_indent4, sizeof(py_indent4) - 1, py_expect);
}

static void
test_python_compact(void **state)
{
	(void) state;
	check_rows(py_compact, sizeof(py_compact) - 1, py_expect);
}

/* Every piece size from 1 to past the document, so every byte is a boundary. */
static void
test_every_boundary(void **state)
{
	size_t		len = sizeof(py_indent0) - 1;
	size_t		piece;

	(void) state;
	for (piece = 1; piece <= len + 1; piece++)
	{
		N2pBuf		out;
		N2pError	err;

		n2p_buf_init(&out, &n2p_libc_allocator);
		if (read_rows(py_indent0, len, piece, &out, &err) != 0)
			fail_msg("piece %zu: %s", piece, err.msg);
		assert_string_equal(out.data, py_expect);
		n2p_buf_free(&out);
	}
}

/* The same through gzip, inflated and fed in small pieces. */
static void
test_gzip_boundaries(void **state)
{
	size_t		zlen;
	unsigned char *z = gzip_bytes(py_indent4, sizeof(py_indent4) - 1, &zlen);
	size_t		i;

	(void) state;
	for (i = 0; i < NPIECES; i++)
	{
		N2pBuf		out;
		N2pError	err;
		int			rc;

		n2p_buf_init(&out, &n2p_libc_allocator);
		if (piece_sizes[i] == 0)
		{
			N2pInput   *in;
			N2pJsonReader *r;
			N2pArena	arena;
			N2pValue	v;

			n2p_error_init(&err);
			in = n2p_input_open_mem(z, zlen, true, &n2p_libc_allocator, &err);
			r = n2p_json_reader_new(in, &n2p_libc_allocator, &err);
			n2p_arena_init(&arena, &n2p_libc_allocator, 0);
			while ((rc = n2p_json_next(r, &arena, &v, &err)) == 1)
			{
				dump_value(&out, &v);
				n2p_buf_putc(&out, '\n');
			}
			n2p_arena_destroy(&arena);
			n2p_json_reader_free(r);
			n2p_input_close(in);
		}
		else
			rc = read_rows(z, zlen, piece_sizes[i], &out, &err);
		if (rc != 0)
			fail_msg("piece %zu: %s", piece_sizes[i], err.msg);
		assert_string_equal(out.data, py_expect);
		n2p_buf_free(&out);
	}
	free(z);
}

/* A damaged gzip stream surfaces as the input's error, not a JSON one. */
static void
test_gzip_errors_pass_through(void **state)
{
	size_t		zlen;
	unsigned char *z = gzip_bytes(py_indent0, sizeof(py_indent0) - 1, &zlen);
	size_t		i;

	(void) state;
	for (i = 0; i < NPIECES; i++)
	{
		N2pBuf		out;
		N2pError	err;

		n2p_buf_init(&out, &n2p_libc_allocator);
		/* cut inside the trailer: every row parses, then the end fails */
		assert_int_equal(read_rows(z, zlen - 4, piece_sizes[i] ? piece_sizes[i] : 1 << 20,
								   &out, &err), -1);
		assert_int_equal(err.code, N2P_ERR_IO);
		assert_non_null(strstr(err.msg, "unexpected end of gzip data"));
		n2p_buf_free(&out);
	}
	z[zlen - 8] ^= 1;			/* CRC */
	{
		N2pBuf		out;
		N2pError	err;

		n2p_buf_init(&out, &n2p_libc_allocator);
		assert_int_equal(read_rows(z, zlen, 5, &out, &err), -1);
		assert_int_equal(err.code, N2P_ERR_IO);
		assert_non_null(strstr(err.msg, "incorrect data check"));
		n2p_buf_free(&out);
	}
	free(z);
}

/* ---------------------------------------------------------------- arrays */

static void
test_empty_array(void **state)
{
	(void) state;
	check_rows("[]", 2, "");
	check_rows(" \n[ \t\r\n ]\n\n", 11, "");
}

static void
test_end_is_sticky(void **state)
{
	N2pError	err;
	N2pInput   *in;
	N2pJsonReader *r;
	N2pArena	arena;
	N2pValue	v;

	(void) state;
	n2p_error_init(&err);
	in = n2p_input_open_mem("[1]", 3, false, &n2p_libc_allocator, &err);
	r = n2p_json_reader_new(in, &n2p_libc_allocator, &err);
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	assert_int_equal(n2p_json_next(r, &arena, &v, &err), 1);
	assert_int_equal(v.type, N2P_INT);
	assert_int_equal(n2p_json_next(r, &arena, &v, &err), 0);
	assert_int_equal(n2p_json_next(r, &arena, &v, &err), 0);
	assert_int_equal(err.code, N2P_OK);
	n2p_arena_destroy(&arena);
	n2p_json_reader_free(r);
	n2p_input_close(in);
}

static void
test_any_element_type(void **state)
{
	const char *doc = "[1, \"s\", null, true, false, [], {}, [1, [2, [3]]], {\"a\": {\"b\": [{}]}}, -1.5]";

	(void) state;
	check_rows(doc, strlen(doc),
			   "1\n\"s\"\nnull\ntrue\nfalse\n[]\n{}\n[1,[2,[3]]]\n{\"a\":{\"b\":[{}]}}\n-1.5\n");
}

/* Keys stay in document order, duplicates included. */
static void
test_map_order(void **state)
{
	const char *doc = "[{\"z\": 1, \"a\": 2, \"y\": 3, \"\": 4}]";

	(void) state;
	check_rows(doc, strlen(doc), "{\"z\":1,\"a\":2,\"y\":3,\"\":4}\n");
}

/*
 * Read doc, whose first element gives a name twice, at every piece size:
 * the error names the key (escaped), the element is there whole, and the
 * reader goes on with the next element.
 */
static int	parse_doc(const char *doc, size_t piece, N2pValue *v, N2pArena *arena,
					  N2pError *err);

static void
check_duplicate(const char *doc, size_t len, const char *key, const char *first,
				const char *rest)
{
	size_t		i;

	for (i = 0; i < NPIECES; i++)
	{
		N2pError	err;
		N2pInput   *in;
		N2pJsonReader *r;
		N2pArena	arena;
		N2pValue	v;
		N2pBuf		out;

		n2p_error_init(&err);
		in = open_doc(doc, len, piece_sizes[i], &err);
		r = n2p_json_reader_new(in, &n2p_libc_allocator, &err);
		n2p_arena_init(&arena, &n2p_libc_allocator, 0);
		n2p_buf_init(&out, &n2p_libc_allocator);
		assert_int_equal(n2p_json_next(r, &arena, &v, &err), -1);
		assert_int_equal(err.code, N2P_ERR_DATA);
		assert_true(err.has_key);
		assert_string_equal(err.key, key);
		assert_non_null(strstr(err.msg, "appears twice in one JSON object"));
		assert_true(n2p_json_resumable(r));
		dump_value(&out, &v);
		assert_string_equal(out.data, first);
		n2p_buf_reset(&out);
		n2p_error_init(&err);
		while (n2p_json_next(r, &arena, &v, &err) == 1)
			dump_value(&out, &v);
		assert_int_equal(err.code, N2P_OK);
		assert_false(n2p_json_resumable(r));
		assert_string_equal(out.data ? out.data : "", rest);
		n2p_buf_free(&out);
		n2p_arena_destroy(&arena);
		n2p_json_reader_free(r);
		n2p_input_close(in);
	}
}

/* A name given twice in one object, at any depth, is refused by name. */
static void
test_duplicate_names(void **state)
{
	static const char nested[] = "[{\"a\": 1, \"b\": {\"x\": 1, \"x\": 2}}, {\"c\": 3}]";
	static const char nul[] = "[{\"k\\u0000a\": 1, \"k\\u0000b\": 2, \"k\\u0000a\": 3}]";
	static const char empty[] = "[{\"\": 1, \"\": 2}]";
	static const char row[] = "[{\"node_id\": 1, \"node_labels\": \"\", \"node_id\": 2}]";
	N2pBuf		doc;
	int			i;

	(void) state;
	check_duplicate(nested, sizeof(nested) - 1, "x", "{\"a\":1,\"b\":{\"x\":1,\"x\":2}}",
					"{\"c\":3}");
	check_duplicate(nul, sizeof(nul) - 1, "k\\u0000a",
					"{\"k\\x00a\":1,\"k\\x00b\":2,\"k\\x00a\":3}", "");
	check_duplicate(empty, sizeof(empty) - 1, "", "{\"\":1,\"\":2}", "");
	check_duplicate(row, sizeof(row) - 1, "node_id",
					"{\"node_id\":1,\"node_labels\":\"\",\"node_id\":2}", "");
	/* past the pairwise size: 300 names, the repeat at the end */
	n2p_buf_init(&doc, &n2p_libc_allocator);
	n2p_buf_printf(&doc, "[{");
	for (i = 0; i < 300; i++)
		n2p_buf_printf(&doc, "\"k%d\": %d, ", i, i);
	n2p_buf_printf(&doc, "\"k217\": 0}, []]");
	for (i = 0; i < (int) NPIECES; i++)
	{
		N2pBuf		out;
		N2pError	err;

		n2p_buf_init(&out, &n2p_libc_allocator);
		assert_int_equal(read_rows(doc.data, doc.len, piece_sizes[i], &out, &err), -1);
		assert_string_equal(err.key, "k217");
		n2p_buf_free(&out);
	}
	n2p_buf_free(&doc);
}

/* Names alike in length and end bytes, or differing only after a NUL, are distinct. */
static void
test_distinct_names(void **state)
{
	static const char alike[] = "[{\"axb\": 1, \"ayb\": 2, \"a\\u0000b\": 3, \"a\\u0000c\": 4, "
		"\"k\\u0000\": 5, \"k\": 6}]";
	N2pBuf		doc;
	N2pBuf		expect;
	int			i;

	(void) state;
	check_rows(alike, sizeof(alike) - 1,
			   "{\"axb\":1,\"ayb\":2,\"a\\x00b\":3,\"a\\x00c\":4,\"k\\x00\":5,\"k\":6}\n");
	n2p_buf_init(&doc, &n2p_libc_allocator);
	n2p_buf_init(&expect, &n2p_libc_allocator);
	n2p_buf_printf(&doc, "[{");
	n2p_buf_printf(&expect, "{");
	for (i = 0; i < 1000; i++)
	{
		n2p_buf_printf(&doc, "%s\"%d\": %d", i ? ", " : "", i, i);
		n2p_buf_printf(&expect, "%s\"%d\":%d", i ? "," : "", i, i);
	}
	n2p_buf_printf(&doc, "}]");
	n2p_buf_printf(&expect, "}\n");
	check_rows(doc.data, doc.len, expect.data);
	n2p_buf_free(&doc);
	n2p_buf_free(&expect);
}

/* In a whole document (the metadata files) a repeated name is an error too. */
static void
test_duplicate_names_document(void **state)
{
	N2pArena	arena;
	N2pValue	v;
	N2pError	err;

	(void) state;
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	n2p_error_init(&err);
	assert_int_equal(parse_doc("[{\"node_label\": \"A\", \"node_label\": \"B\"}]", 0, &v,
							   &arena, &err), -1);
	assert_int_equal(err.code, N2P_ERR_DATA);
	assert_string_equal(err.key, "node_label");
	n2p_arena_destroy(&arena);
}

/* ---------------------------------------------------------------- numbers */

static void
test_specials(void **state)
{
	N2pArena	arena;
	N2pValue	v;

	(void) state;
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	v = one_scalar("NaN", &arena);
	assert_int_equal(v.type, N2P_FLOAT);
	assert_true(isnan(v.u.f));
	v = one_scalar("Infinity", &arena);
	assert_int_equal(v.type, N2P_FLOAT);
	assert_true(isinf(v.u.f) && v.u.f > 0);
	v = one_scalar("-Infinity", &arena);
	assert_int_equal(v.type, N2P_FLOAT);
	assert_true(isinf(v.u.f) && v.u.f < 0);
	n2p_arena_destroy(&arena);
}

static void
test_int64_limits(void **state)
{
	N2pArena	arena;
	N2pValue	v;

	(void) state;
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	v = one_scalar("9223372036854775807", &arena);
	assert_int_equal(v.type, N2P_INT);
	assert_true(v.u.i == INT64_MAX);
	v = one_scalar("-9223372036854775808", &arena);
	assert_int_equal(v.type, N2P_INT);
	assert_true(v.u.i == INT64_MIN);
	v = one_scalar("0", &arena);
	assert_true(v.type == N2P_INT && v.u.i == 0);
	v = one_scalar("-0", &arena);
	assert_true(v.type == N2P_INT && v.u.i == 0);
	v = one_scalar("1000000000000000000", &arena);
	assert_true(v.type == N2P_INT && v.u.i == 1000000000000000000LL);
	n2p_arena_destroy(&arena);

	check_error("[9223372036854775808]", N2P_ERR_DATA, 1, "integer out of range");
	check_error("[1, -9223372036854775809]", N2P_ERR_DATA, 4, "integer out of range");
	check_error("[123456789012345678901234567890]", N2P_ERR_DATA, 1, "integer out of range");
}

static void
test_floats(void **state)
{
	N2pArena	arena;
	N2pValue	v;

	(void) state;
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	v = one_scalar("1e-05", &arena);
	assert_int_equal(v.type, N2P_FLOAT);
	assert_true(v.u.f == 1e-05);
	v = one_scalar("-0.0", &arena);
	assert_int_equal(v.type, N2P_FLOAT);
	assert_true(v.u.f == 0.0 && signbit(v.u.f));
	v = one_scalar("1.7976931348623157e+308", &arena);
	assert_true(v.type == N2P_FLOAT && v.u.f == DBL_MAX);
	v = one_scalar("5e-324", &arena);
	assert_true(v.type == N2P_FLOAT && v.u.f == 4.9406564584124654e-324);
	v = one_scalar("1E2", &arena);
	assert_true(v.type == N2P_FLOAT && v.u.f == 100.0);
	v = one_scalar("0.1", &arena);
	assert_true(v.type == N2P_FLOAT && v.u.f == 0.1);
	v = one_scalar("1e23", &arena);
	assert_true(v.type == N2P_FLOAT && v.u.f == 1e23);
	v = one_scalar("0e999", &arena);
	assert_true(v.type == N2P_FLOAT && v.u.f == 0.0);
	v = one_scalar("1e400", &arena);
	assert_true(v.type == N2P_FLOAT && isinf(v.u.f));
	v = one_scalar("123456789012345678901234567890.5", &arena);
	assert_true(v.type == N2P_FLOAT && v.u.f == 123456789012345678901234567890.5);
	n2p_arena_destroy(&arena);
}

/*
 * The exact fast path must agree with strtod bit for bit: print many
 * doubles at every precision and read them back.
 */
static void
test_float_roundtrip(void **state)
{
	N2pArena	arena;
	uint64_t	seed = 88172645463325252ULL;
	int			i;

	(void) state;
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	for (i = 0; i < 20000; i++)
	{
		char		text[64];
		double		d;
		N2pValue	v;
		int			prec = 1 + i % 17;

		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		if (i % 2)
			d = (double) (seed >> 11) / (double) (1ULL << (seed % 60));
		else
			memcpy(&d, &seed, sizeof(d));
		if (!isfinite(d))
			continue;
		snprintf(text, sizeof(text), "%.*e", prec, d);
		v = one_scalar(text, &arena);
		assert_int_equal(v.type, N2P_FLOAT);
		if (v.u.f != strtod(text, NULL))
			fail_msg("%s read as %.17g", text, v.u.f);
		snprintf(text, sizeof(text), "%.*f", prec % 8, d);
		if (strchr(text, '.') == NULL || strlen(text) > 40)
			continue;
		v = one_scalar(text, &arena);
		if (v.u.f != strtod(text, NULL))
			fail_msg("%s read as %.17g", text, v.u.f);
		n2p_arena_reset(&arena);
	}
	n2p_arena_destroy(&arena);
}

static void
test_bad_numbers(void **state)
{
	(void) state;
	check_error("[01]", N2P_ERR_SYNTAX, 1, "invalid number");
	check_error("[1.]", N2P_ERR_SYNTAX, 1, "invalid number");
	check_error("[.5]", N2P_ERR_SYNTAX, 1, "invalid number");
	check_error("[1e]", N2P_ERR_SYNTAX, 1, "invalid number");
	check_error("[1.5e+]", N2P_ERR_SYNTAX, 1, "invalid number");
	check_error("[+1]", N2P_ERR_SYNTAX, 1, "invalid number");
	check_error("[-]", N2P_ERR_SYNTAX, 1, "invalid number");
	check_error("[1.2.3]", N2P_ERR_SYNTAX, 1, "invalid number");
	check_error("[-Inf]", N2P_ERR_SYNTAX, 1, "invalid number");
	check_error("[1, tru]", N2P_ERR_SYNTAX, 4, "invalid literal");
	check_error("[nul]", N2P_ERR_SYNTAX, 1, "invalid literal");
	check_error("[NaNx]", N2P_ERR_SYNTAX, 1, "invalid literal");
	check_error("[nan]", N2P_ERR_SYNTAX, 1, "invalid literal");
	check_error("[True]", N2P_ERR_SYNTAX, 1, "invalid literal");
}

/* ---------------------------------------------------------------- strings */

static void
test_escapes(void **state)
{
	char	   *s;

	(void) state;
	s = one_value("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"");
	assert_string_equal(s, "\"\\\" \\\\ / \\x08 \\x0c \\x0a \\x0d \\x09\"");
	free(s);
	s = one_value("\"\\u00e9\\u20AC\\u0041\"");
	assert_string_equal(s, "\"\\xc3\\xa9\\xe2\\x82\\xacA\"");
	free(s);
	s = one_value("\"\\ud83d\\ude00\"");
	assert_string_equal(s, "\"\\xf0\\x9f\\x98\\x80\"");
	free(s);
	s = one_value("\"\\udbff\\udfff\"");
	assert_string_equal(s, "\"\\xf4\\x8f\\xbf\\xbf\"");
	free(s);
	s = one_value("\"\"");
	assert_string_equal(s, "\"\"");
	free(s);
}

/* \u0000 is kept as a NUL byte inside the counted string. */
static void
test_nul_in_string(void **state)
{
	N2pArena	arena;
	N2pValue	v;

	(void) state;
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	v = one_scalar("\"a\\u0000b\\u0000\"", &arena);
	assert_int_equal(v.type, N2P_STRING);
	assert_int_equal(v.u.str.len, 4);
	assert_memory_equal(v.u.str.ptr, "a\0b\0", 4);
	n2p_arena_destroy(&arena);
}

static void
test_surrogate_errors(void **state)
{
	(void) state;
	check_error("[\"\\ud83d\"]", N2P_ERR_SYNTAX, 2, "lone high surrogate");
	check_error("[\"x\\ud83dx\"]", N2P_ERR_SYNTAX, 3, "lone high surrogate");
	check_error("[\"\\ud83d\\u0041\"]", N2P_ERR_SYNTAX, 2, "lone high surrogate");
	check_error("[\"\\ud83d\\ud83d\"]", N2P_ERR_SYNTAX, 2, "lone high surrogate");
	check_error("[\"\\ude00\"]", N2P_ERR_SYNTAX, 2, "lone low surrogate");
	check_error("[\"\\ud83d\\n\"]", N2P_ERR_SYNTAX, 2, "lone high surrogate");
}

static void
test_raw_utf8(void **state)
{
	char	   *s;

	(void) state;
	s = one_value("\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xed\x9f\xbf \xf4\x8f\xbf\xbf\"");
	assert_string_equal(s, "\"caf\\xc3\\xa9 \\xe2\\x82\\xac \\xf0\\x9f\\x98\\x80 "
						"\\xed\\x9f\\xbf \\xf4\\x8f\\xbf\\xbf\"");
	free(s);
	check_rows("[\"\xc3\xa9\xc3\xa9\xc3\xa9\"]", 10, "\"\\xc3\\xa9\\xc3\\xa9\\xc3\\xa9\"\n");
	check_error("[\"a\xff\"]", N2P_ERR_SYNTAX, 3, "invalid UTF-8");
	check_error("[\"a\x80\"]", N2P_ERR_SYNTAX, 3, "invalid UTF-8");
	check_error("[\"\xc0\x80\"]", N2P_ERR_SYNTAX, 2, "invalid UTF-8");
	check_error("[\"\xc3\"]", N2P_ERR_SYNTAX, 2, "invalid UTF-8");
	check_error("[\"\xe0\x9f\xbf\"]", N2P_ERR_SYNTAX, 2, "invalid UTF-8");
	check_error("[\"\xed\xa0\x80\"]", N2P_ERR_SYNTAX, 2, "invalid UTF-8");
	check_error("[\"\xf0\x8f\xbf\xbf\"]", N2P_ERR_SYNTAX, 2, "invalid UTF-8");
	check_error("[\"\xf4\x90\x80\x80\"]", N2P_ERR_SYNTAX, 2, "invalid UTF-8");
	check_error("[\"\xf5\x80\x80\x80\"]", N2P_ERR_SYNTAX, 2, "invalid UTF-8");
	check_error("[\"\xc3", N2P_ERR_SYNTAX, 3, "unexpected end of JSON");
}

static void
test_string_errors(void **state)
{
	(void) state;
	check_error("[\"abc", N2P_ERR_SYNTAX, 5, "unexpected end of JSON");
	check_error("[\"abc\\", N2P_ERR_SYNTAX, 6, "unexpected end of JSON");
	check_error("[\"abc\\u12", N2P_ERR_SYNTAX, 9, "unexpected end of JSON");
	check_error("[\"a\\qb\"]", N2P_ERR_SYNTAX, 3, "invalid escape");
	check_error("[\"a\\u12g4\"]", N2P_ERR_SYNTAX, 3, "invalid \\u escape");
	check_error("[\"a\x01" "b\"]", N2P_ERR_SYNTAX, 3, "control character");
	check_error("[\"a\nb\"]", N2P_ERR_SYNTAX, 3, "control character");
	check_error("[\"a\tb\"]", N2P_ERR_SYNTAX, 3, "control character");
	check_rows("[\"\x7f\"]", 5, "\"\\x7f\"\n");
}

/* Strings far larger than a 256 KiB input piece, with and without escapes. */
static void
test_long_strings(void **state)
{
	size_t		n = 700 * 1024;
	N2pBuf		doc;
	N2pBuf		expect;
	size_t		i;
	N2pError	err;
	N2pBuf		out;

	(void) state;
	n2p_buf_init(&doc, &n2p_libc_allocator);
	n2p_buf_init(&expect, &n2p_libc_allocator);
	n2p_buf_init(&out, &n2p_libc_allocator);
	n2p_buf_append(&doc, "[\"", 2);
	n2p_buf_putc(&expect, '"');
	for (i = 0; i < n; i++)
	{
		char		c = (char) ('a' + i % 26);

		n2p_buf_putc(&doc, c);
		n2p_buf_putc(&expect, c);
	}
	n2p_buf_append(&doc, "\", \"", 4);
	n2p_buf_append(&expect, "\"\n\"", 3);
	for (i = 0; i < n / 8; i++)
	{
		n2p_buf_append(&doc, "ab\\u00e9\\n", 10);
		n2p_buf_append(&expect, "ab\\xc3\\xa9\\x0a", 14);
	}
	n2p_buf_append(&doc, "\"]", 2);
	n2p_buf_append(&expect, "\"\n", 2);
	assert_int_equal(read_rows(doc.data, doc.len, 0, &out, &err), 0);
	assert_string_equal(out.data, expect.data);
	n2p_buf_free(&doc);
	n2p_buf_free(&expect);
	n2p_buf_free(&out);
}

/* ---------------------------------------------------------------- syntax */

static void
test_syntax_errors(void **state)
{
	(void) state;
	check_error("[1 2]", N2P_ERR_SYNTAX, 3, "expected ',' or ']'");
	check_error("[1,]", N2P_ERR_SYNTAX, 3, "expected a value");
	check_error("[,1]", N2P_ERR_SYNTAX, 1, "expected a value");
	check_error("[1,,2]", N2P_ERR_SYNTAX, 3, "expected a value");
	check_error("[[1 2]]", N2P_ERR_SYNTAX, 4, "expected ',' or ']'");
	check_error("[1] x", N2P_ERR_SYNTAX, 4, "unexpected data after the closing ']'");
	check_error("[1]]", N2P_ERR_SYNTAX, 3, "unexpected data after the closing ']'");
	check_error("[]\n[]", N2P_ERR_SYNTAX, 3, "unexpected data after the closing ']'");
	check_error_len("[1]\0", 4, N2P_ERR_SYNTAX, 3, "unexpected data after the closing ']'");
	check_error("{\"a\": 1}", N2P_ERR_SYNTAX, 0, "expected '['");
	check_error("1", N2P_ERR_SYNTAX, 0, "expected '['");
	check_error("", N2P_ERR_SYNTAX, 0, "unexpected end of JSON");
	check_error("  \n", N2P_ERR_SYNTAX, 3, "unexpected end of JSON");
	check_error("[", N2P_ERR_SYNTAX, 1, "unexpected end of JSON");
	check_error("[1", N2P_ERR_SYNTAX, 2, "unexpected end of JSON");
	check_error("[1,", N2P_ERR_SYNTAX, 3, "unexpected end of JSON");
	check_error("[{\"a\"", N2P_ERR_SYNTAX, 5, "unexpected end of JSON");
	check_error("[{\"a\": 1", N2P_ERR_SYNTAX, 8, "unexpected end of JSON");
	check_error("[tr", N2P_ERR_SYNTAX, 1, "invalid literal");
	check_error("[{\"a\" 1}]", N2P_ERR_SYNTAX, 6, "expected ':'");
	check_error("[{1: 2}]", N2P_ERR_SYNTAX, 2, "expected a string key");
	check_error("[{\"a\": 1,}]", N2P_ERR_SYNTAX, 9, "expected a string key");
	check_error("[{\"a\": 1 \"b\": 2}]", N2P_ERR_SYNTAX, 9, "expected ',' or '}'");
	check_error("[{\"a\": 1]", N2P_ERR_SYNTAX, 8, "expected ',' or '}'");
	check_error("[[1}]", N2P_ERR_SYNTAX, 3, "expected ',' or ']'");
	check_error("[\xef\xbb\xbf" "1]", N2P_ERR_SYNTAX, 1, "expected a value");
	check_error("[1\f]", N2P_ERR_SYNTAX, 2, "expected ',' or ']'");
}

/* A failed reader stays failed. */
static void
test_error_sticky(void **state)
{
	N2pError	err;
	N2pInput   *in;
	N2pJsonReader *r;
	N2pArena	arena;
	N2pValue	v;

	(void) state;
	n2p_error_init(&err);
	in = n2p_input_open_mem("[1 2]", 5, false, &n2p_libc_allocator, &err);
	r = n2p_json_reader_new(in, &n2p_libc_allocator, &err);
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	assert_int_equal(n2p_json_next(r, &arena, &v, &err), 1);
	assert_int_equal(n2p_json_next(r, &arena, &v, &err), -1);
	assert_int_equal(err.code, N2P_ERR_SYNTAX);
	n2p_error_init(&err);
	assert_int_equal(n2p_json_next(r, &arena, &v, &err), -1);
	assert_int_equal(err.code, N2P_ERR_USAGE);
	n2p_arena_destroy(&arena);
	n2p_json_reader_free(r);
	n2p_input_close(in);
}

/* ---------------------------------------------------------------- limits */

static char *
nested(int depth, char open, char close, const char *inner)
{
	N2pBuf		b;
	int			i;

	n2p_buf_init(&b, &n2p_libc_allocator);
	for (i = 0; i < depth; i++)
	{
		if (open == '{')
			n2p_buf_printf(&b, "{\"k\":");
		else
			n2p_buf_putc(&b, open);
	}
	n2p_buf_printf(&b, "%s", inner);
	for (i = 0; i < depth; i++)
		n2p_buf_putc(&b, close);
	return b.data;
}

static int
parse_doc(const char *doc, size_t piece, N2pValue *v, N2pArena *arena, N2pError *err)
{
	N2pInput   *in = open_doc(doc, strlen(doc), piece, err);
	N2pJsonReader *r = n2p_json_reader_new(in, &n2p_libc_allocator, err);
	int			rc = n2p_json_parse_document(r, arena, v, err);

	n2p_json_reader_free(r);
	n2p_input_close(in);
	return rc;
}

static void
test_depth_limit(void **state)
{
	char	   *ok_chunk = nested(N2P_JSON_MAX_DEPTH, '[', ']', "1");
	char	   *deep_chunk = nested(N2P_JSON_MAX_DEPTH + 1, '[', ']', "1");
	char	   *ok_map = nested(N2P_JSON_MAX_DEPTH, '{', '}', "1");
	char	   *deep_map = nested(N2P_JSON_MAX_DEPTH + 1, '{', '}', "1");
	N2pBuf		out;
	N2pError	err;
	N2pArena	arena;
	N2pValue	v;

	(void) state;
	/* the top-level array is the first level */
	n2p_buf_init(&out, &n2p_libc_allocator);
	assert_int_equal(read_rows(ok_chunk, strlen(ok_chunk), 0, &out, &err), 0);
	n2p_buf_free(&out);
	check_error(deep_chunk, N2P_ERR_LIMIT, N2P_JSON_MAX_DEPTH, "nested deeper than 64");

	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	n2p_error_init(&err);
	assert_int_equal(parse_doc(ok_map, 1, &v, &arena, &err), 1);
	assert_int_equal(v.type, N2P_MAP);
	n2p_error_init(&err);
	assert_int_equal(parse_doc(deep_map, 3, &v, &arena, &err), -1);
	assert_int_equal(err.code, N2P_ERR_LIMIT);
	assert_int_equal(err.offset, 5 * N2P_JSON_MAX_DEPTH);
	n2p_arena_destroy(&arena);
	free(ok_chunk);
	free(deep_chunk);
	free(ok_map);
	free(deep_map);
}

/* An element larger than the arena's limit is a limit error, not a crash. */
static void
test_arena_limit(void **state)
{
	N2pBuf		doc;
	N2pError	err;
	N2pInput   *in;
	N2pJsonReader *r;
	N2pArena	arena;
	N2pValue	v;
	int			i;

	(void) state;
	n2p_buf_init(&doc, &n2p_libc_allocator);
	n2p_buf_printf(&doc, "[1, [");
	for (i = 0; i < 20000; i++)
		n2p_buf_printf(&doc, "%s\"%d\"", i ? "," : "", i);
	n2p_buf_printf(&doc, "]]");
	n2p_error_init(&err);
	in = n2p_input_open_mem(doc.data, doc.len, false, &n2p_libc_allocator, &err);
	r = n2p_json_reader_new(in, &n2p_libc_allocator, &err);
	n2p_arena_init(&arena, &n2p_libc_allocator, 256 * 1024);
	assert_int_equal(n2p_json_next(r, &arena, &v, &err), 1);
	assert_int_equal(n2p_json_next(r, &arena, &v, &err), -1);
	assert_int_equal(err.code, N2P_ERR_LIMIT);
	assert_non_null(strstr(err.msg, "memory limit"));
	n2p_arena_destroy(&arena);
	n2p_json_reader_free(r);
	n2p_input_close(in);
	n2p_buf_free(&doc);
}

/* ---------------------------------------------------------------- documents */

static void
test_documents(void **state)
{
	static const struct
	{
		const char *doc;
		const char *expect;
	}			cases[] = {
		{"true", "true"},
		{"false\n", "false"},
		{"\"abcdefghijklmnop\"", "\"abcdefghijklmnop\""},
		{"  42  ", "42"},
		{"-1.5e3", "-1500"},
		{"null", "null"},
		{"[\n    \"Person\",\n    \"Movie\"\n]", "[\"Person\",\"Movie\"]"},
		{"[{\"node_label\": \"L\", \"node_prop\": \"p\"}]", "[{\"node_label\":\"L\",\"node_prop\":\"p\"}]"},
	};
	size_t		i,
				j;

	(void) state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		for (j = 0; j < NPIECES; j++)
		{
			N2pArena	arena;
			N2pError	err;
			N2pValue	v;
			N2pBuf		out;

			n2p_error_init(&err);
			n2p_arena_init(&arena, &n2p_libc_allocator, 0);
			n2p_buf_init(&out, &n2p_libc_allocator);
			if (parse_doc(cases[i].doc, piece_sizes[j], &v, &arena, &err) != 1)
				fail_msg("%s: %s", cases[i].doc, err.msg);
			dump_value(&out, &v);
			assert_string_equal(out.data, cases[i].expect);
			n2p_buf_free(&out);
			n2p_arena_destroy(&arena);
		}
	}
}

static void
test_document_errors(void **state)
{
	static const struct
	{
		const char *doc;
		int64_t		offset;
		const char *msg;
	}			cases[] = {
		{"", 0, "unexpected end of JSON"},
		{"\"abc\" x", 6, "unexpected data after the JSON value"},
		{"true false", 5, "unexpected data after the JSON value"},
		{"\"abc", 4, "unexpected end of JSON"},
		{"truex", 0, "invalid literal"},
	};
	size_t		i;

	(void) state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		N2pArena	arena;
		N2pError	err;
		N2pValue	v;

		n2p_error_init(&err);
		n2p_arena_init(&arena, &n2p_libc_allocator, 0);
		assert_int_equal(parse_doc(cases[i].doc, 1, &v, &arena, &err), -1);
		assert_int_equal(err.code, N2P_ERR_SYNTAX);
		assert_int_equal(err.offset, cases[i].offset);
		if (strstr(err.msg, cases[i].msg) == NULL)
			fail_msg("%s: %s", cases[i].doc, err.msg);
		n2p_arena_destroy(&arena);
	}
}

/* ---------------------------------------------------------------- allocator */

/*
 * Fail the n-th allocation for every n until the document parses: each
 * failure must be a clean NOMEM (ASan finds any leak or bad access).
 */
static void
run_failing(const void *doc, size_t len)
{
	int			n;

	for (n = 0;; n++)
	{
		FailingAlloc fa = {.left = n};
		N2pAllocator a = {failing_malloc, failing_realloc, failing_free, &fa};
		N2pError	err;
		N2pInput   *in;
		N2pJsonReader *r = NULL;
		N2pArena	arena;
		N2pValue	v;
		int			rc = -1;

		n2p_error_init(&err);
		n2p_arena_init(&arena, &a, 0);
		in = n2p_input_open_mem_chunked(doc, len, 7, &a, &err);
		if (in != NULL)
			r = n2p_json_reader_new(in, &a, &err);
		if (r != NULL)
			while ((rc = n2p_json_next(r, &arena, &v, &err)) == 1)
				;
		n2p_arena_destroy(&arena);
		n2p_json_reader_free(r);
		n2p_input_close(in);
		if (rc == 0)
			break;
		assert_int_equal(err.code, N2P_ERR_NOMEM);
		assert_true(n < 1000);
	}
}

/*
 * Fail the n-th allocation for every n until the document parses: each
 * failure must be a clean NOMEM (ASan finds any leak or bad access).
 */
static void
test_failing_allocator(void **state)
{
	size_t		zlen;
	unsigned char *z = gzip_bytes(py_indent0, sizeof(py_indent0) - 1, &zlen);

	(void) state;
	run_failing(py_indent0, sizeof(py_indent0) - 1);
	run_failing(z, zlen);
	free(z);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_python_indent0),
		cmocka_unit_test(test_python_indent4),
		cmocka_unit_test(test_python_compact),
		cmocka_unit_test(test_every_boundary),
		cmocka_unit_test(test_gzip_boundaries),
		cmocka_unit_test(test_gzip_errors_pass_through),
		cmocka_unit_test(test_empty_array),
		cmocka_unit_test(test_end_is_sticky),
		cmocka_unit_test(test_any_element_type),
		cmocka_unit_test(test_map_order),
		cmocka_unit_test(test_duplicate_names),
		cmocka_unit_test(test_distinct_names),
		cmocka_unit_test(test_duplicate_names_document),
		cmocka_unit_test(test_specials),
		cmocka_unit_test(test_int64_limits),
		cmocka_unit_test(test_floats),
		cmocka_unit_test(test_float_roundtrip),
		cmocka_unit_test(test_bad_numbers),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_nul_in_string),
		cmocka_unit_test(test_surrogate_errors),
		cmocka_unit_test(test_raw_utf8),
		cmocka_unit_test(test_string_errors),
		cmocka_unit_test(test_long_strings),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_error_sticky),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_arena_limit),
		cmocka_unit_test(test_documents),
		cmocka_unit_test(test_document_errors),
		cmocka_unit_test(test_failing_allocator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
