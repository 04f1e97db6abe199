/*
 * PackStream: the byte forms of the specification's examples, round trips
 * of every model type in both DateTime encodings, the structures the
 * model has no type for, and every way outside bytes can be wrong.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <cmocka.h>

#include "neo2pg/packstream.h"

#include "test_support.h"

/* Hex text (spaces ignored) to bytes; malloc'd. */
static uint8_t *
unhex(const char *hex, size_t *len)
{
	uint8_t    *out = malloc(strlen(hex) / 2 + 1);
	size_t		n = 0;
	unsigned	b;

	while (*hex)
	{
		if (*hex == ' ')
		{
			hex++;
			continue;
		}
		assert_int_equal(sscanf(hex, "%2x", &b), 1);
		out[n++] = (uint8_t) b;
		hex += 2;
	}
	*len = n;
	return out;
}

static void
assert_hex(const N2pBuf *buf, const char *hex)
{
	size_t		len;
	uint8_t    *want = unhex(hex, &len);

	assert_int_equal(buf->len, len);
	assert_memory_equal(buf->data, want, len);
	free(want);
}

static void
test_ints(void **state)
{
	static const struct
	{
		int64_t		v;
		const char *hex;
	}			cases[] = {
		{0, "00"}, {127, "7F"}, {-16, "F0"}, {-1, "FF"}, {-17, "C8 EF"}, {-128, "C8 80"},
		{128, "C9 00 80"}, {-129, "C9 FF 7F"}, {32767, "C9 7F FF"}, {32768, "CA 00 00 80 00"},
		{INT32_MIN, "CA 80 00 00 00"}, {(int64_t) INT32_MAX + 1, "CB 00 00 00 00 80 00 00 00"},
		{INT64_MIN, "CB 80 00 00 00 00 00 00 00"}, {INT64_MAX, "CB 7F FF FF FF FF FF FF FF"},
	};
	N2pBuf		buf;
	N2pArena	arena;
	size_t		i;

	(void) state;
	n2p_buf_init(&buf, &n2p_libc_allocator);
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		N2pValue	v;
		N2pError	err;
		size_t		used;

		n2p_buf_reset(&buf);
		n2p_error_init(&err);
		assert_true(n2p_ps_put_int(&buf, cases[i].v));
		assert_hex(&buf, cases[i].hex);
		assert_true(n2p_ps_decode((uint8_t *) buf.data, buf.len, true, &arena, &v, &used, &err));
		assert_int_equal(used, buf.len);
		assert_int_equal(v.type, N2P_INT);
		assert_true(v.u.i == cases[i].v);
	}
	n2p_arena_destroy(&arena);
	n2p_buf_free(&buf);
}

static void
test_sized_headers(void **state)
{
	N2pBuf		buf;

	(void) state;
	n2p_buf_init(&buf, &n2p_libc_allocator);
	assert_true(n2p_ps_put_string(&buf, "a", 1));
	assert_hex(&buf, "81 61");
	n2p_buf_reset(&buf);
	assert_true(n2p_ps_put_list_header(&buf, 16));
	assert_hex(&buf, "D4 10");
	n2p_buf_reset(&buf);
	assert_true(n2p_ps_put_map_header(&buf, 300));
	assert_hex(&buf, "D9 01 2C");
	n2p_buf_reset(&buf);
	assert_true(n2p_ps_put_bytes(&buf, "", 0));
	assert_hex(&buf, "CC 00");
	n2p_buf_reset(&buf);
	assert_true(n2p_ps_put_float(&buf, 1.1));
	assert_hex(&buf, "C1 3F F1 99 99 99 99 99 9A");
	n2p_buf_reset(&buf);
	assert_true(n2p_ps_put_struct_header(&buf, N2P_PS_DATE, 1));
	assert_hex(&buf, "B1 44");
	n2p_buf_free(&buf);
}

/* Encode, decode, and compare field by field. */
static void
round_trip(const N2pValue *in, bool utc, N2pValue *out, N2pArena *arena)
{
	N2pBuf		buf;
	N2pError	err;
	size_t		used;

	n2p_buf_init(&buf, &n2p_libc_allocator);
	n2p_error_init(&err);
	assert_true(n2p_ps_put_value(&buf, in, utc, &err));
	assert_true(n2p_ps_decode((uint8_t *) buf.data, buf.len, utc, arena, out, &used, &err));
	assert_int_equal(used, buf.len);
	n2p_buf_free(&buf);
}

static void
assert_same(const N2pValue *a, const N2pValue *b)
{
	size_t		i;

	assert_int_equal(a->type, b->type);
	switch (a->type)
	{
		case N2P_LIST:
			assert_int_equal(a->u.list.n, b->u.list.n);
			for (i = 0; i < a->u.list.n; i++)
				assert_same(&a->u.list.items[i], &b->u.list.items[i]);
			break;
		case N2P_MAP:
			assert_int_equal(a->u.map.n, b->u.map.n);
			for (i = 0; i < a->u.map.n; i++)
			{
				assert_int_equal(a->u.map.keys[i].len, b->u.map.keys[i].len);
				assert_memory_equal(a->u.map.keys[i].ptr, b->u.map.keys[i].ptr, a->u.map.keys[i].len);
				assert_same(&a->u.map.vals[i], &b->u.map.vals[i]);
			}
			break;
		case N2P_STRING:
		case N2P_BYTES:
			assert_int_equal(a->u.str.len, b->u.str.len);
			assert_memory_equal(a->u.str.ptr, b->u.str.ptr, a->u.str.len);
			break;
		case N2P_FLOAT:
			assert_memory_equal(&a->u.f, &b->u.f, sizeof(double));
			break;
		case N2P_DATETIME:
		case N2P_LOCALDATETIME:
			assert_true(a->u.dt.secs == b->u.dt.secs);
			assert_int_equal(a->u.dt.nanos, b->u.dt.nanos);
			assert_int_equal(a->u.dt.offset, b->u.dt.offset);
			break;
		case N2P_POINT:
			assert_int_equal(a->u.point.srid, b->u.point.srid);
			assert_memory_equal(&a->u.point.x, &b->u.point.x, sizeof(double));
			assert_memory_equal(&a->u.point.y, &b->u.point.y, sizeof(double));
			if (n2p_srid_is_3d(a->u.point.srid))
				assert_memory_equal(&a->u.point.z, &b->u.point.z, sizeof(double));
			break;
		default:
			/* the rest are plain integers and bools in the union */
			if (a->type == N2P_TIME || a->type == N2P_LOCALTIME)
				assert_true(a->u.time.nanos == b->u.time.nanos && a->u.time.offset == b->u.time.offset);
			else if (a->type == N2P_DURATION)
				assert_true(a->u.dur.months == b->u.dur.months && a->u.dur.days == b->u.dur.days &&
							a->u.dur.secs == b->u.dur.secs && a->u.dur.nanos == b->u.dur.nanos);
			else if (a->type == N2P_DATE || a->type == N2P_INT)
				assert_true(a->u.i == b->u.i);
			else if (a->type == N2P_BOOL)
				assert_int_equal(a->u.b, b->u.b);
	}
}

static void
test_every_type(void **state)
{
	static char nul_str[] = {'a', '\0', 'b'};
	N2pValue	items[3] = {v_int(1), v_cstr("x"), v_null()};
	N2pStr		keys[2] = {s_cstr("k"), s_cstr("\xC3\xA9t\xC3\xA9")};
	N2pValue	vals[2] = {v_float(-0.0), v_list(items, 3)};
	N2pValue	values[] = {
		v_null(), v_bool(true), v_bool(false), v_int(-5), v_float(1e308), v_float(NAN),
		v_str(nul_str, 3), v_bytes("\x00\xFF", 2), v_list(items, 3), v_map(keys, vals, 2),
		v_date(-999999999, 1, 1), v_date(1970, 1, 1), v_localtime(23, 59, 59, 999999999),
		v_time(12, 0, 0, 1, -18 * 3600), v_time(0, 0, 0, 0, 18 * 3600),
		v_datetime(N2P_LOCALDATETIME, 2015, 7, 4, 19, 32, 24, 0, 0, NULL),
		v_datetime(N2P_DATETIME, 1900, 1, 1, 0, 0, 0, 5, 1172, NULL),
		v_datetime(N2P_DATETIME, 2262, 4, 11, 23, 47, 16, 854775807, -3600, NULL),
		v_duration(-14, 3, -7201, 500000000), v_duration(0, 0, 0, 0),
		v_point(7203, 1.5, -2.0, 0), v_point(9157, 1, 2, 3), v_point(4326, 56.0, 12.0, 0),
		v_point(4979, 56.0, 12.0, -1e-300),
	};
	N2pArena	arena;
	size_t		i;
	int			utc;

	(void) state;
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	for (utc = 0; utc <= 1; utc++)
		for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		{
			N2pValue	out;

			round_trip(&values[i], utc, &out, &arena);
			assert_same(&values[i], &out);
		}
	n2p_arena_destroy(&arena);
}

/* Bolt 5 sends UTC seconds: 1970-01-01T01:00+01:00 is 0 seconds UTC. */
static void
test_datetime_utc(void **state)
{
	N2pValue	v = v_datetime(N2P_DATETIME, 1970, 1, 1, 1, 0, 0, 0, 3600, NULL);
	N2pBuf		buf;
	N2pError	err;

	(void) state;
	n2p_buf_init(&buf, &n2p_libc_allocator);
	n2p_error_init(&err);
	assert_true(n2p_ps_put_value(&buf, &v, true, &err));
	assert_hex(&buf, "B3 49 00 00 C9 0E 10");
	n2p_buf_reset(&buf);
	assert_true(n2p_ps_put_value(&buf, &v, false, &err));
	assert_hex(&buf, "B3 46 C9 0E 10 00 C9 0E 10");
	n2p_buf_free(&buf);
}

/* A zone id stays with the value; the decoder leaves its offset open. */
static void
test_zone_id(void **state)
{
	N2pValue	v = v_datetime(N2P_DATETIME, 1970, 1, 1, 1, 0, 0, 0, 3600, "Europe/Paris");
	N2pArena	arena;
	N2pBuf		buf;
	N2pError	err;
	N2pValue	out;
	size_t		used;

	(void) state;
	n2p_buf_init(&buf, &n2p_libc_allocator);
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	n2p_error_init(&err);
	assert_true(n2p_ps_put_value(&buf, &v, true, &err));
	assert_int_equal((uint8_t) buf.data[1], N2P_PS_DATETIME_ZONE);
	assert_true(n2p_ps_decode((uint8_t *) buf.data, buf.len, true, &arena, &out, &used, &err));
	assert_int_equal(out.type, N2P_STRUCT);
	assert_int_equal(out.u.st.tag, N2P_PS_DATETIME_ZONE);
	assert_int_equal(out.u.st.n, 3);
	assert_true(out.u.st.fields[0].u.i == 0);
	assert_true(n2p_str_eq(out.u.st.fields[2].u.str, "Europe/Paris"));
	n2p_arena_destroy(&arena);
	n2p_buf_free(&buf);
}

/* decode hex; returns whether it worked, and the error */
static bool
decode_hex(const char *hex, bool utc, N2pValue *out, N2pError *err, N2pArena *arena)
{
	size_t		len,
				used;
	uint8_t    *b = unhex(hex, &len);
	bool		ok;

	n2p_error_init(err);
	ok = n2p_ps_decode(b, len, utc, arena, out, &used, err);
	free(b);
	return ok;
}

static void
test_graph_structures(void **state)
{
	N2pArena	arena;
	N2pError	err;
	N2pValue	v;

	(void) state;
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	/* Bolt 5 node: id 1, labels ["A"], props {}, element id "e" */
	assert_true(decode_hex("B4 4E 01 91 81 41 A0 81 65", true, &v, &err, &arena));
	assert_int_equal(v.type, N2P_STRUCT);
	assert_int_equal(v.u.st.tag, N2P_PS_NODE);
	assert_int_equal(v.u.st.n, 4);
	/* Bolt 4 node, without an element id */
	assert_true(decode_hex("B3 4E 01 90 A0", false, &v, &err, &arena));
	/* relationship 7 from 1 to 2, type "T" */
	assert_true(decode_hex("B5 52 07 01 02 81 54 A0", false, &v, &err, &arena));
	assert_true(decode_hex("B8 52 07 01 02 81 54 A0 81 61 81 62 81 63", true, &v, &err, &arena));
	assert_true(decode_hex("B3 72 07 81 54 A0", true, &v, &err, &arena));
	assert_true(decode_hex("B3 50 90 90 90", true, &v, &err, &arena));
	/* a node with a field of the wrong type, and with a wrong arity */
	assert_false(decode_hex("B3 4E 81 61 90 A0", true, &v, &err, &arena));
	assert_non_null(strstr(err.msg, "wrong type"));
	assert_false(decode_hex("B2 4E 01 90", true, &v, &err, &arena));
	assert_non_null(strstr(err.msg, "number of fields"));
	n2p_arena_destroy(&arena);
}

static void
test_bad_bytes(void **state)
{
	static const struct
	{
		const char *hex;
		const char *msg;
	}			cases[] = {
		{"", "cut short"},
		{"C9 01", "cut short"},
		{"CB 00 00 00", "cut short"},
		{"C1 00", "cut short"},
		{"83 61 62", "longer than the message"},
		{"D2 FF FF FF FF 61", "longer than the message"},
		{"D6 7F FF FF FF 01", "longer than the message"},
		{"DA 7F FF FF FF 81 61 01", "longer than the message"},
		{"CE FF FF FF F0", "longer than the message"},
		{"C4", "unknown marker"},
		{"C7", "unknown marker"},
		{"D3 00", "unknown marker"},
		{"DB 00", "unknown marker"},
		{"DC 01 44 01", "unknown marker"},
		{"E0", "unknown marker"},
		{"B1 5A 01", "unknown structure tag"},
		{"B0", "cut short"},
		{"A1 01 01", "key is not a string"},
		{"82 C3 28", "invalid UTF-8"},
		{"83 ED A0 80", "invalid UTF-8"},
		{"82 C0 80", "invalid UTF-8"},
		{"84 F4 90 80 80", "invalid UTF-8"},
		{"81 80", "invalid UTF-8"},
		{"B1 74 CB 00 00 4E 94 91 4F 00 00", "time of day out of range"},
		{"B2 54 00 CA 00 01 00 00", "offset out of range"},
		{"B3 58 C9 23 C5 C1 00 00 00 00 00 00 00 00 C1 00 00 00 00 00 00 00 00", "SRID"},
		{"B2 44 01 01", "number of fields"},
		{"B3 46 00 00 00", "other Bolt version"},
	};
	N2pArena	arena;
	size_t		i;

	(void) state;
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		N2pError	err;
		N2pValue	v;

		if (decode_hex(cases[i].hex, true, &v, &err, &arena))
			fail_msg("decoded: %s", cases[i].hex);
		if (strstr(err.msg, cases[i].msg) == NULL)
			fail_msg("%s: %s", cases[i].hex, err.msg);
	}
	n2p_arena_destroy(&arena);
}

static void
test_depth_limit(void **state)
{
	N2pArena	arena;
	N2pBuf		buf;
	N2pError	err;
	N2pValue	v;
	size_t		used;
	int			i;

	(void) state;
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	n2p_buf_init(&buf, &n2p_libc_allocator);
	for (i = 0; i < N2P_PS_MAX_DEPTH; i++)
		n2p_ps_put_list_header(&buf, 1);
	n2p_ps_put_null(&buf);
	n2p_error_init(&err);
	assert_true(n2p_ps_decode((uint8_t *) buf.data, buf.len, true, &arena, &v, &used, &err));
	n2p_buf_reset(&buf);
	for (i = 0; i <= N2P_PS_MAX_DEPTH; i++)
		n2p_ps_put_list_header(&buf, 1);
	n2p_ps_put_null(&buf);
	assert_false(n2p_ps_decode((uint8_t *) buf.data, buf.len, true, &arena, &v, &used, &err));
	assert_int_equal(err.code, N2P_ERR_LIMIT);
	n2p_buf_free(&buf);
	n2p_arena_destroy(&arena);
}

/* Every allocation of a decode can fail: no crash, no leak, an error. */
static void
test_out_of_memory(void **state)
{
	static const char hex[] = "93 A2 81 61 81 62 81 63 92 01 02 B1 44 01 CC 02 00 01";
	int			k;

	(void) state;
	for (k = 0;; k++)
	{
		FailingAlloc fa = {k, 0, 0};
		N2pAllocator a = {failing_malloc, failing_realloc, failing_free, &fa};
		N2pArena	arena;
		N2pError	err;
		N2pValue	v;
		bool		ok;

		n2p_arena_init(&arena, &a, 0);
		ok = decode_hex(hex, true, &v, &err, &arena);
		n2p_arena_destroy(&arena);
		assert_int_equal(fa.live, 0);
		if (ok)
			break;
		assert_int_equal(err.code, N2P_ERR_NOMEM);
	}
}

/* A deep copy outlives the arena it was decoded into. */
static void
test_value_copy(void **state)
{
	static const char hex[] = "93 A2 81 61 81 62 81 63 92 01 C1 3F F1 99 99 99 99 99 9A B3 69 00 00 83 55 54 43 CC 02 00 01";
	N2pArena	a1,
				a2;
	N2pError	err;
	N2pValue	v,
				c;

	(void) state;
	n2p_arena_init(&a1, &n2p_libc_allocator, 0);
	n2p_arena_init(&a2, &n2p_libc_allocator, 0);
	assert_true(decode_hex(hex, true, &v, &err, &a1));
	assert_true(n2p_value_copy(&v, &a2, &c, &err));
	n2p_arena_destroy(&a1);
	assert_int_equal(c.u.list.n, 3);
	assert_true(n2p_str_eq(c.u.list.items[0].u.map.keys[0], "a"));
	assert_true(n2p_str_eq(c.u.list.items[0].u.map.vals[0].u.str, "b"));
	assert_true(n2p_str_eq(c.u.list.items[0].u.map.keys[1], "c"));
	assert_true(c.u.list.items[0].u.map.vals[1].u.list.items[1].u.f == 1.1);
	assert_true(n2p_str_eq(c.u.list.items[1].u.st.fields[2].u.str, "UTC"));
	assert_int_equal(c.u.list.items[2].u.str.len, 2);
	n2p_arena_destroy(&a2);
}

/*
 * Strings are checked eight ASCII bytes at a time: a continuation byte
 * alone, a two-byte sequence (cut short at the end) and a lead byte
 * before ASCII, at every position of a string of 19 bytes.
 */
static void
test_utf8_words(void **state)
{
	uint8_t		msg[21];
	N2pArena	arena;

	(void) state;
	n2p_arena_init(&arena, &n2p_libc_allocator, 0);
	for (size_t pos = 0; pos < 19; pos++)
		for (int k = 0; k < 3; k++)
		{
			N2pError	err;
			N2pValue	v;
			size_t		used;
			bool		ok;

			msg[0] = 0xD0;
			msg[1] = 19;
			memset(msg + 2, 'a', 19);
			if (k == 0)
				msg[2 + pos] = 0x80;	/* a continuation byte alone */
			else
			{
				/* é (its lead byte alone at the end); or the lead byte before 'a' */
				msg[2 + pos] = 0xC3;
				if (k == 1 && pos + 1 < 19)
					msg[3 + pos] = 0xA9;
			}
			n2p_error_init(&err);
			ok = n2p_ps_decode(msg, 21, true, &arena, &v, &used, &err);
			if (ok != (k == 1 && pos + 1 < 19))
				fail_msg("case %d at %zu: %s", k, pos, ok ? "accepted" : err.msg);
			if (ok)
				assert_memory_equal(v.u.str.ptr, msg + 2, 19);
			else
				assert_non_null(strstr(err.msg, "invalid UTF-8"));
		}
	n2p_arena_destroy(&arena);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ints),
		cmocka_unit_test(test_utf8_words),
		cmocka_unit_test(test_sized_headers),
		cmocka_unit_test(test_every_type),
		cmocka_unit_test(test_datetime_utc),
		cmocka_unit_test(test_zone_id),
		cmocka_unit_test(test_graph_structures),
		cmocka_unit_test(test_bad_bytes),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_out_of_memory),
		cmocka_unit_test(test_value_copy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
