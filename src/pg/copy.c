/*-------------------------------------------------------------------------
 *
 * copy.c
 *	  JSON text for the props/prop_types columns and binary COPY rows.
 *
 * The value rules (docs/design.md has the full table):
 *	- booleans, integers, strings and lists of them stay plain JSON;
 *	- a finite float whose Python repr has no positive exponent (below
 *	  1e16, not -0.0) stays a JSON number: jsonb keeps it as a decimal
 *	  with a '.', which reads back as the same double and as a float;
 *	- every other float (-0.0, NaN, +-Infinity, 1e+20, ...) becomes a JSON
 *	  string PostgreSQL's float8 input accepts, marked "float" in
 *	  prop_types, because jsonb would drop the sign of -0.0 and print 1e+20
 *	  as an integer;
 *	- temporal values become canonical ISO 8601 strings, points objects
 *	  {"srid", "x", "y"[, "z"]}, byte arrays "\x..." hex strings; each is
 *	  marked with its Neo4j type, lists as "list<type>".
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/pg/copy.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/pgcopy.h"
#include "neo2pg/bytes.h"
#include "neo2pg/float_repr.h"
#include "neo2pg/temporal.h"

#include <math.h>
#include <string.h>

/* Python's longest float repr: -2.2250738585072014e-308 */
#define N2P_FLOAT_TOKEN_MAX 24

#define TEXTOID 25

/* ------------------------------------------------------------ JSON text */

static bool escape_run(N2pBuf *out, const char *s, size_t len,
					   N2pPgEncodeOpts *opts, N2pError *err);

static bool
append_escape(N2pBuf *out, unsigned char c, N2pPgEncodeOpts *opts, N2pError *err)
{
	static const char hex[] = "0123456789abcdef";
	char		esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};

	switch (c)
	{
		case '"':
			return n2p_buf_append(out, "\\\"", 2);
		case '\\':
			return n2p_buf_append(out, "\\\\", 2);
		case '\n':
			return n2p_buf_append(out, "\\n", 2);
		case '\r':
			return n2p_buf_append(out, "\\r", 2);
		case '\t':
			return n2p_buf_append(out, "\\t", 2);
		case '\0':
			if (opts == NULL || opts->nul_replacement == NULL)
				return n2p_error_set(err, N2P_ERR_DATA,
									 "string contains U+0000, which PostgreSQL cannot store (--replace-nul replaces it)");
			opts->nul_replaced++;
			/* the replacement is a C string, so it cannot recurse here */
			return escape_run(out, opts->nul_replacement, strlen(opts->nul_replacement),
							  NULL, err);
		default:
			return n2p_buf_append(out, esc, 6);
	}
}

/* Hot path: most strings need no escaping, so copy runs of plain bytes. */
/*
 * Does any of the eight bytes at s need escaping in JSON: below 0x20, '"'
 * or '\\'?  Bytes from 0x80 (UTF-8) do not.  The usual word tricks: a
 * byte b is below n when (b - n) borrows into its high bit while b's own
 * high bit is clear; equality is "below 1" after an XOR.  A borrow can
 * only mark a byte above a byte that matched, so a word with no match
 * has no mark.
 */
static inline bool
needs_escape8(const char *s)
{
	const uint64_t ones = UINT64_C(0x0101010101010101),
				highs = UINT64_C(0x8080808080808080);
	uint64_t	w,
				q,
				b;

	memcpy(&w, s, 8);
	q = w ^ (ones * '"');
	b = w ^ (ones * '\\');
	return (((w - ones * 0x20) | (q - ones) | (b - ones)) & ~w & highs) != 0;
}

static bool
escape_run(N2pBuf *out, const char *s, size_t len, N2pPgEncodeOpts *opts,
		   N2pError *err)
{
	size_t		i = 0,
				run = 0;

	while (i < len)
	{
		unsigned char c = (unsigned char) s[i];

		if (i + 8 <= len && !needs_escape8(s + i))
		{
			i += 8;
			continue;
		}
		if (c >= 0x20 && c != '"' && c != '\\')
		{
			i++;
			continue;
		}
		if (!n2p_buf_append(out, s + run, i - run))
			return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
		if (!append_escape(out, c, opts, err))
			return err->code ? false : n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
		run = ++i;
	}
	return n2p_buf_append(out, s + run, i - run) ||
		n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
}

bool
n2p_json_append_string(N2pBuf *out, const char *s, size_t len,
					   N2pPgEncodeOpts *opts, N2pError *err)
{
	if (!n2p_buf_reserve(out, len + 2) || !n2p_buf_putc(out, '"'))
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	if (!escape_run(out, s, len, opts, err))
		return false;
	return n2p_buf_putc(out, '"') || n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
}

/*
 * Can the float's source token go into jsonb as it is?  Only when jsonb
 * keeps a '.' (the token has one, or a negative exponent) and the token
 * provably reads back through float8 as this double, unmarked:
 *	- 0 < |d| < 1e16: a nonzero token whose double is 0 underflowed
 *	  (1e-400), which float8 refuses; zero, -0.0, NaN and infinities take
 *	  append_float; from 1e16 on the double is a marked string whatever
 *	  the token (9223372036854775808.0 too), as design.md says;
 *	- no longer than Python's longest repr: a longer token has digits the
 *	  double does not, and numeric refuses more than 16383 after the '.'.
 * Within these bounds both readers round correctly, so the double needs
 * no second strtod here (it would cost more than all of this path).
 */
static bool
token_is_plain(const N2pValue *v)
{
	const char *e;
	double		a = fabs(v->u.fnum.f);

	if (v->u.fnum.text == NULL || v->u.fnum.len > N2P_FLOAT_TOKEN_MAX ||
		!(a > 0 && a < 1e16))
		return false;
	e = memchr(v->u.fnum.text, 'e', v->u.fnum.len);
	if (e == NULL)
		e = memchr(v->u.fnum.text, 'E', v->u.fnum.len);
	if (e)
		return e + 1 < v->u.fnum.text + v->u.fnum.len && e[1] == '-';
	return memchr(v->u.fnum.text, '.', v->u.fnum.len) != NULL;
}

/*
 * Write a float; returns through *marked whether the value had to become a
 * string (and so needs a "float" mark).
 */
static bool
append_float(N2pBuf *out, double d, bool *marked)
{
	char		tmp[N2P_DOUBLE_BUFSZ];
	size_t		n;

	*marked = true;
	if (isnan(d))
		return n2p_buf_append(out, "\"NaN\"", 5);
	if (isinf(d))
		return d > 0 ? n2p_buf_append(out, "\"Infinity\"", 10)
			: n2p_buf_append(out, "\"-Infinity\"", 11);
	/* a frequent value, and what Python writes for it */
	if (d == 0 && !signbit(d))
	{
		*marked = false;
		return n2p_buf_append(out, "0.0", 3);
	}
	n = n2p_format_double(d, tmp);
	if ((d == 0 && signbit(d)) || memchr(tmp, '+', n))
		return n2p_buf_putc(out, '"') && n2p_buf_append(out, tmp, n) &&
			n2p_buf_putc(out, '"');
	*marked = false;
	return n2p_buf_append(out, tmp, n);
}

/* The token fast path: most floats of a backup are Python reprs already. */
static bool
append_float_value(N2pBuf *out, const N2pValue *v, bool *marked)
{
	if (token_is_plain(v))
	{
		*marked = false;
		return n2p_buf_append(out, v->u.fnum.text, v->u.fnum.len);
	}
	return append_float(out, v->u.f, marked);
}

static bool
append_point(N2pBuf *out, const N2pValue *v)
{
	bool		m;

	return n2p_buf_append(out, "{\"srid\": ", 9) && n2p_buf_put_int(out, v->u.point.srid) &&
		n2p_buf_append(out, ", \"x\": ", 7) && append_float(out, v->u.point.x, &m) &&
		n2p_buf_append(out, ", \"y\": ", 7) && append_float(out, v->u.point.y, &m) &&
		(!n2p_srid_is_3d(v->u.point.srid) ||
		 (n2p_buf_append(out, ", \"z\": ", 7) && append_float(out, v->u.point.z, &m))) &&
		n2p_buf_putc(out, '}');
}

static bool
append_bytes(N2pBuf *out, N2pStr s)
{
	static const char hex[] = "0123456789abcdef";
	size_t		i;

	if (!n2p_buf_reserve(out, 2 * s.len + 5))
		return false;
	n2p_buf_append(out, "\"\\\\x", 4);
	for (i = 0; i < s.len; i++)
	{
		out->data[out->len++] = hex[(unsigned char) s.ptr[i] >> 4];
		out->data[out->len++] = hex[(unsigned char) s.ptr[i] & 15];
	}
	return n2p_buf_putc(out, '"');
}

static bool append_value(N2pBuf *out, const N2pValue *v, const char **mark,
						 N2pPgEncodeOpts *opts, N2pError *err);

static const char mixed_mark[] = "mixed";

/*
 * The mark of a list comes from all its elements, so that it can never
 * disagree with them: "list<T>" when every element is a T and T needs the
 * mark (for floats, when any element does: a plain number reads back as a
 * float under the mark too).  A list of mixed types is plain JSON when no
 * element needs a mark; otherwise prop_types cannot say which element is
 * what: the mark is then mixed_mark, which n2p_pg_props_json refuses
 * (Neo4j lists hold one type), while a jsonb column, which keeps no mark,
 * takes the list as it is.
 */
static bool
append_list(N2pBuf *out, const N2pValue *v, const char **mark,
			N2pPgEncodeOpts *opts, N2pError *err)
{
	const N2pValue *items = v->u.list.items;
	size_t		i,
				other = 0;

	*mark = NULL;
	if (!n2p_buf_putc(out, '['))
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	for (i = 0; i < v->u.list.n; i++)
	{
		const char *m = NULL;

		if (i > 0 && !n2p_buf_append(out, ", ", 2))
			return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
		if (!append_value(out, &items[i], &m, opts, err))
			return false;
		if (m && *mark == NULL)
			*mark = m;
		if (items[i].type != items[0].type && other == 0)
			other = i;
	}
	if (other && *mark)
		*mark = mixed_mark;
	return n2p_buf_putc(out, ']') || n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
}

/* The mark mixed_mark stands for: no prop_types entry can say it. */
static bool
mixed_list_error(const N2pValue *v, N2pError *err)
{
	const N2pValue *items = v->u.list.items;
	size_t		i = 1;

	while (items[i].type == items[0].type)
		i++;
	return n2p_error_set(err, N2P_ERR_DATA,
						 "a list holds both %s and %s elements, and prop_types cannot mark "
						 "single elements (Neo4j lists hold one type)",
						 n2p_type_name(items[0].type), n2p_type_name(items[i].type));
}

static bool
append_temporal(N2pBuf *out, const N2pValue *v)
{
	return n2p_buf_putc(out, '"') && n2p_temporal_format_iso(v, out) &&
		n2p_buf_putc(out, '"');
}

/*
 * *mark is set to the Neo4j type name when the value is not plain JSON,
 * left NULL otherwise.
 */
static bool
append_value(N2pBuf *out, const N2pValue *v, const char **mark,
			 N2pPgEncodeOpts *opts, N2pError *err)
{
	bool		ok,
				m = false;

	*mark = NULL;
	switch (v->type)
	{
		case N2P_BOOL:
			ok = v->u.b ? n2p_buf_append(out, "true", 4) : n2p_buf_append(out, "false", 5);
			break;
		case N2P_INT:
			ok = n2p_buf_put_int(out, v->u.i);
			break;
		case N2P_FLOAT:
			ok = append_float_value(out, v, &m);
			if (m)
				*mark = "float";
			break;
		case N2P_STRING:
			return n2p_json_append_string(out, v->u.str.ptr, v->u.str.len, opts, err);
		case N2P_LIST:
			return append_list(out, v, mark, opts, err);
		case N2P_BYTES:
			*mark = "bytes";
			ok = append_bytes(out, v->u.str);
			break;
		case N2P_POINT:
			*mark = "point";
			ok = append_point(out, v);
			break;
		case N2P_DATE:
		case N2P_TIME:
		case N2P_LOCALTIME:
		case N2P_DATETIME:
		case N2P_LOCALDATETIME:
		case N2P_DURATION:
			*mark = n2p_type_name(v->type);
			ok = append_temporal(out, v);
			break;
		default:
			return n2p_error_set(err, N2P_ERR_DATA, "a %s cannot be a property value",
								 n2p_type_name(v->type));
	}
	return ok || n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
}

bool
n2p_pg_value_json(N2pBuf *out, const N2pValue *v, const char **mark,
				  N2pPgEncodeOpts *opts, N2pError *err)
{
	return append_value(out, v, mark, opts, err);
}

static bool
append_mark(N2pBuf *types, N2pStr key, const N2pValue *v, const char *mark,
			const N2pPgEncodeOpts *opts, N2pError *err)
{
	/* the key's NULs were already counted when it went into props */
	N2pPgEncodeOpts keyopts = {.nul_replacement = opts ? opts->nul_replacement : NULL};
	bool		ok;

	ok = n2p_buf_append(types, types->len ? ", " : "{", types->len ? 2 : 1);
	if (ok && !n2p_json_append_string(types, key.ptr, key.len, &keyopts, err))
		return false;
	ok = ok && n2p_buf_append(types, ": \"", 3);
	if (v->type == N2P_LIST)
		ok = ok && n2p_buf_append(types, "list<", 5) &&
			n2p_buf_append(types, mark, strlen(mark)) && n2p_buf_putc(types, '>');
	else
		ok = ok && n2p_buf_append(types, mark, strlen(mark));
	return (ok && n2p_buf_putc(types, '"')) || n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
}

bool
n2p_pg_props_json(const N2pValue *props, N2pBuf *out, N2pBuf *types,
				  N2pPgEncodeOpts *opts, N2pError *err)
{
	size_t		i;

	n2p_buf_reset(types);
	if (!n2p_buf_putc(out, '{'))
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	for (i = 0; i < props->u.map.n; i++)
	{
		N2pStr		key = props->u.map.keys[i];
		const char *mark = NULL;

		if ((i > 0 && !n2p_buf_append(out, ", ", 2)) ||
			!n2p_json_append_string(out, key.ptr, key.len, opts, err) ||
			!n2p_buf_append(out, ": ", 2) ||
			!append_value(out, &props->u.map.vals[i], &mark, opts, err) ||
			(mark == mixed_mark && !mixed_list_error(&props->u.map.vals[i], err)) ||
			(mark && !append_mark(types, key, &props->u.map.vals[i], mark, opts, err)))
		{
			n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
			n2p_error_set_key(err, key.ptr, key.len);
			return false;
		}
	}
	if (types->len && !n2p_buf_putc(types, '}'))
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	return n2p_buf_putc(out, '}') || n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
}

/* ------------------------------------------------------- keys with NUL */

void
n2p_pg_keyfix_init(N2pPgKeyFix *kf, const N2pAllocator *alloc)
{
	memset(kf, 0, sizeof(*kf));
	n2p_arena_init(&kf->arena, alloc, 0);
	n2p_keyset_init(&kf->set, alloc);
}

void
n2p_pg_keyfix_free(N2pPgKeyFix *kf)
{
	n2p_arena_destroy(&kf->arena);
	n2p_keyset_free(&kf->set);
}

/* key with each U+0000 replaced by rep, into the arena. */
static bool
replace_nul(N2pPgKeyFix *kf, N2pStr key, const char *rep, N2pPgEncodeOpts *opts,
			N2pStr *out)
{
	size_t		rlen = strlen(rep),
				nuls = 0,
				i,
				n = 0;
	char	   *p;

	for (i = 0; i < key.len; i++)
		nuls += key.ptr[i] == '\0';
	if ((p = n2p_arena_alloc(&kf->arena, key.len + nuls * rlen + 1)) == NULL)
		return false;
	for (i = 0; i < key.len; i++)
	{
		if (key.ptr[i] != '\0')
			p[n++] = key.ptr[i];
		else
		{
			memcpy(p + n, rep, rlen);
			n += rlen;
		}
	}
	p[n] = '\0';
	opts->nul_replaced += nuls;
	out->ptr = p;
	out->len = n;
	return true;
}

static bool
keys_merged(N2pPgKeyFix *kf, const N2pStr *orig, const N2pStr *keys, size_t n,
			const char *rep, N2pError *err)
{
	size_t		a,
				b;
	char		other[N2P_ERR_KEY_MAX],
				shown[256];
	int			rc = n2p_keys_find_duplicate(&kf->set, keys, n, &a, &b);

	if (rc == 0)
		return true;
	if (rc < 0)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	n2p_error_set_key(err, orig[b].ptr, orig[b].len);
	n2p_escape_text(orig[a].ptr, orig[a].len, other, sizeof(other));
	return n2p_error_set(err, N2P_ERR_DATA,
						 "with U+0000 replaced by \"%s\", the key is the same as key \"%s\" "
						 "of the same row; distinct keys cannot be merged",
						 n2p_escape_text(rep, strlen(rep), shown, sizeof(shown)), other);
}

bool
n2p_pg_storable_keys(N2pPgKeyFix *kf, const N2pRecord *rec, N2pPgEncodeOpts *opts,
					 const N2pRecord **out, N2pError *err)
{
	const N2pStr *keys = rec->props.u.map.keys;
	size_t		n = rec->props.u.map.n,
				i;
	N2pStr	   *fixed;

	*out = rec;
	for (i = 0; i < n; i++)
		if (keys[i].len && memchr(keys[i].ptr, '\0', keys[i].len))
			break;
	if (i == n)
		return true;
	if (opts == NULL || opts->nul_replacement == NULL)
	{
		n2p_error_set_key(err, keys[i].ptr, keys[i].len);
		return n2p_error_set(err, N2P_ERR_DATA,
							 "the key contains U+0000, which PostgreSQL cannot store "
							 "(--replace-nul replaces it)");
	}
	n2p_arena_reset(&kf->arena);
	if ((fixed = n2p_arena_alloc(&kf->arena, n * sizeof(N2pStr))) == NULL)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	memcpy(fixed, keys, n * sizeof(N2pStr));
	for (; i < n; i++)
		if (keys[i].len && memchr(keys[i].ptr, '\0', keys[i].len) &&
			!replace_nul(kf, keys[i], opts->nul_replacement, opts, &fixed[i]))
			return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	if (!keys_merged(kf, keys, fixed, n, opts->nul_replacement, err))
		return false;
	kf->rec = *rec;
	kf->rec.props.u.map.keys = fixed;
	*out = &kf->rec;
	return true;
}

/* ---------------------------------------------------------- binary COPY */

bool
n2p_copy_header(N2pBuf *out)
{
	static const char sig[11] = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', '\377', '\r', '\n', '\0'};

	return n2p_buf_append(out, sig, 11) && n2p_put_be32(out, 0) && n2p_put_be32(out, 0);
}

bool
n2p_copy_trailer(N2pBuf *out)
{
	return n2p_put_be16(out, 0xFFFF);
}

bool
n2p_copy_tuple(N2pBuf *out, int16_t nfields)
{
	return n2p_put_be16(out, (uint16_t) nfields);
}

bool
n2p_copy_null(N2pBuf *out)
{
	return n2p_put_be32(out, 0xFFFFFFFFu);
}

/* Typed rows are mostly NULLs: a run of them is one reservation. */
bool
n2p_copy_nulls(N2pBuf *out, size_t n)
{
	if (!n2p_buf_reserve(out, 4 * n))
		return false;
	memset(out->data + out->len, 0xFF, 4 * n);
	out->len += 4 * n;
	out->data[out->len] = '\0';
	return true;
}

bool
n2p_copy_int8(N2pBuf *out, int64_t v)
{
	return n2p_put_be32(out, 8) && n2p_put_be64(out, (uint64_t) v);
}

bool
n2p_pg_check_name(bool label, const char *s, size_t len, N2pError *err)
{
	size_t		max = label ? N2P_PG_MAX_GIN_BYTES : N2P_PG_MAX_BTREE_BYTES;
	char		shown[48];

	if (len <= max)
		return true;
	n2p_text_prefix(s, len, shown, 40);
	return n2p_error_set(err, N2P_ERR_DATA,
						 "%s \"%s\" has %zu bytes: PostgreSQL's index on %s holds at most %zu",
						 label ? "label" : "relationship type", shown, len,
						 label ? "nodes.labels" : "relationships.type", max);
}

static bool
check_text(bool label, const char *s, size_t len, N2pError *err)
{
	if (memchr(s, '\0', len))
		return n2p_error_set(err, N2P_ERR_DATA,
							 "a label or type contains U+0000, which PostgreSQL cannot store");
	return n2p_pg_check_name(label, s, len, err);
}

bool
n2p_copy_text(N2pBuf *out, const char *s, size_t len, N2pError *err)
{
	if (!check_text(false, s, len, err))
		return false;
	return (n2p_put_be32(out, (uint32_t) len) && n2p_buf_append(out, s, len)) ||
		n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
}

/* One-dimensional text[] in array_send's format, lower bound 1. */
bool
n2p_copy_text_array(N2pBuf *out, const N2pStr *items, size_t n, N2pError *err)
{
	size_t		pos = out->len,
				i;
	bool		ok;

	ok = n2p_put_be32(out, 0) && n2p_put_be32(out, n ? 1 : 0) && n2p_put_be32(out, 0) &&
		n2p_put_be32(out, TEXTOID);
	if (n)
		ok = ok && n2p_put_be32(out, (uint32_t) n) && n2p_put_be32(out, 1);
	for (i = 0; ok && i < n; i++)
	{
		if (!check_text(true, items[i].ptr, items[i].len, err))
			return false;
		ok = n2p_put_be32(out, (uint32_t) items[i].len) &&
			n2p_buf_append(out, items[i].ptr, items[i].len);
	}
	if (!ok)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	n2p_patch_be32(out, pos, (uint32_t) (out->len - pos - 4));
	return true;
}

bool
n2p_copy_jsonb(N2pBuf *out, const char *json, size_t len)
{
	if (len >= INT32_MAX)
		return false;
	return n2p_put_be32(out, (uint32_t) len + 1) && n2p_buf_putc(out, 1) &&
		n2p_buf_append(out, json, len);
}

/* jsonb's binary input is a version byte (1) followed by the JSON text. */
static bool
copy_props(N2pBuf *out, const N2pValue *props, N2pBuf *types,
		   N2pPgEncodeOpts *opts, N2pError *err)
{
	size_t		pos = out->len;

	if (!n2p_put_be32(out, 0) || !n2p_buf_putc(out, 1))
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	if (!n2p_pg_props_json(props, out, types, opts, err))
		return false;
	n2p_patch_be32(out, pos, (uint32_t) (out->len - pos - 4));
	if (types->len == 0)
		return n2p_copy_null(out) || n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	return n2p_copy_jsonb(out, types->data, types->len) ||
		n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
}

bool
n2p_copy_record(N2pBuf *out, const N2pRecord *rec, N2pBuf *types,
				N2pPgEncodeOpts *opts, N2pError *err)
{
	bool		ok;
	int16_t		extra = opts && opts->element_ids ? 1 : 0;

	if (rec->kind == N2P_REC_NODE)
		ok = n2p_copy_tuple(out, 4 + extra) && n2p_copy_int8(out, rec->id) &&
			n2p_copy_text_array(out, rec->labels, rec->nlabels, err);
	else
		ok = n2p_copy_tuple(out, 6 + extra) && n2p_copy_int8(out, rec->id) &&
			n2p_copy_text(out, rec->type.ptr, rec->type.len, err) &&
			n2p_copy_int8(out, rec->start_id) && n2p_copy_int8(out, rec->end_id);
	if (!ok)
		return err->code ? false : n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	if (!copy_props(out, &rec->props, types, opts, err))
		return false;
	return !extra || n2p_copy_text(out, rec->element_id.ptr, rec->element_id.len, err) ||
		(err->code ? false : n2p_error_set(err, N2P_ERR_NOMEM, "out of memory"));
}

/*
 * RFC 3629 UTF-8: no overlong forms, no surrogates, nothing past
 * U+10FFFF; and no NUL, which text and jsonb cannot hold.
 */
bool
n2p_pg_text_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *) s,
			   *end = p + len;

	while (p < end)
	{
		unsigned char c = *p,
					lo = 0x80,
					hi = 0xBF;
		size_t		n = c < 0x80 ? 0 : c >= 0xC2 && c <= 0xDF ? 1 :
			c >= 0xE0 && c <= 0xEF ? 2 : c >= 0xF0 && c <= 0xF4 ? 3 : 4,
					i;

		if (c == 0 || n == 4 || (size_t) (end - p) <= n)
			return false;
		/* the second byte's range rules out overlongs, surrogates, > U+10FFFF */
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
		else if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
		for (i = 1; i <= n; i++)
			if (p[i] < (i == 1 ? lo : 0x80) || p[i] > (i == 1 ? hi : 0xBF))
				return false;
		p += n + 1;
	}
	return true;
}

/* A string's bytes in props->>key; in a list, JSON-escaped and quoted. */
static size_t
string_bound(const N2pStr *str, const N2pPgEncodeOpts *opts, bool quoted)
{
	size_t		extra = 0;
	const char *p = str->ptr,
			   *end = str->ptr + str->len;

	if (opts && opts->nul_replacement)
	{
		size_t		rlen = strlen(opts->nul_replacement);

		for (; p < end && (p = memchr(p, '\0', (size_t) (end - p))) != NULL; p++)
			extra += rlen;
	}
	/* \u00XX is the longest escape of one byte, and of a replacement's byte */
	return quoted ? 2 + 6 * (str->len + extra) : str->len + extra;
}

static size_t
text_bound(const N2pValue *v, const N2pPgEncodeOpts *opts, bool in_list)
{
	size_t		i,
				n;

	switch (v->type)
	{
		case N2P_BOOL:
		case N2P_INT:
			return 20;
		case N2P_FLOAT:
			/* jsonb prints 5e-324 with all its 324 zeros */
			return 350;
		case N2P_STRING:
			return string_bound(&v->u.str, opts, in_list);
		case N2P_BYTES:
			return 4 + 2 * v->u.str.len;
		case N2P_DATE:
		case N2P_TIME:
		case N2P_LOCALTIME:
		case N2P_LOCALDATETIME:
		case N2P_DURATION:
			return 128;
		case N2P_DATETIME:
			return 128 + 6 * v->u.dt.zone.len;
		case N2P_POINT:
			return 4 * 350 + 64;
		case N2P_LIST:
			for (i = 0, n = 2; i < v->u.list.n; i++)
				n += 2 + text_bound(&v->u.list.items[i], opts, true);
			return n;
		default:
			return SIZE_MAX / 4;
	}
}

size_t
n2p_pg_text_bound(const N2pValue *v, const N2pPgEncodeOpts *opts)
{
	return text_bound(v, opts, false);
}
