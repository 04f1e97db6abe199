/*-------------------------------------------------------------------------
 *
 * fdw_jsonb.c
 *	  props, prop_types and typed jsonb columns built from the core's
 *	  values with pushJsonbValue, instead of jsonb_in re-parsing the JSON
 *	  text the core wrote (a third of a scan's time).
 *
 * The values must stay the load's, so this path decides nothing itself:
 *	- the scalar text is the core's: floats through n2p_pg_value_json (the
 *	  token or the formatted double, and the same marked strings), dates
 *	  and times through n2p_temporal_format_iso, and numbers become numeric
 *	  through numeric_in of that text, as jsonb_in does (integers through
 *	  int64_to_numeric: the same digits, weight and scale 0);
 *	- objects go through pushJsonbValue, which is what jsonb_in calls, so
 *	  key order and the last-duplicate-wins rule are jsonb's own;
 *	- the marks follow the core's rules (append_value, append_list).
 * Anything this path does not handle the way the text would -- U+0000,
 * text that is not UTF-8, a string jsonb cannot hold, a list of mixed
 * types in props, a type that cannot be a property, temporal text that
 * would need escaping -- makes it give up, and the caller takes the text
 * path, which then gives the load's value or the load's error.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/ext/fdw_jsonb.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "fdw_jsonb.h"
#include "neo2pg/pgcopy.h"
#include "neo2pg/temporal.h"

/* a list of several types one of which needs a mark: props refuse it */
static const char mixed_mark[] = "mixed";

typedef struct JCtx
{
	N2pBuf	   *scratch;
	N2pPgEncodeOpts *opts;
	JsonbParseState *state;
} JCtx;

/* Text for a jsonb string: what jsonb_in would accept unchanged. */
static bool
string_ok(const char *p, size_t len)
{
	if (len > JENTRY_OFFLENMASK || (len && memchr(p, '\0', len)))
		return false;
	return pg_verify_mbstr(PG_UTF8, p, (int) len, true);
}

static void
set_string(JsonbValue *jv, const char *p, size_t len)
{
	jv->type = jbvString;
	jv->val.string.val = (char *) p;
	jv->val.string.len = (int) len;
}

/* The core's text of a float, as a number or as its marked string. */
static bool
float_jbv(JCtx *cx, const N2pValue *v, JsonbValue *jv, const char **mark)
{
	N2pError	err;
	const char *m = NULL;
	N2pBuf	   *b = cx->scratch;

	n2p_error_init(&err);
	n2p_buf_reset(b);
	if (!n2p_pg_value_json(b, v, &m, cx->opts, &err))
		return false;
	*mark = m;
	if (b->data[0] == '"')
	{
		/* NaN, Infinity, -0.0, 1e+20: no escapes in them */
		set_string(jv, pnstrdup(b->data + 1, b->len - 2), b->len - 2);
		return true;
	}
	jv->type = jbvNumeric;
	jv->val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(b->data),
														  ObjectIdGetDatum(InvalidOid),
														  Int32GetDatum(-1)));
	return true;
}

/* The core writes a temporal's text unescaped between quotes. */
static bool
temporal_jbv(JCtx *cx, const N2pValue *v, JsonbValue *jv)
{
	N2pBuf	   *b = cx->scratch;
	size_t		i;

	n2p_buf_reset(b);
	if (!n2p_temporal_format_iso(v, b))
		return false;
	for (i = 0; i < b->len; i++)
		if ((unsigned char) b->data[i] < 0x20 || b->data[i] == '"' || b->data[i] == '\\')
			return false;
	if (!string_ok(b->data, b->len))
		return false;
	set_string(jv, pnstrdup(b->data, b->len), b->len);
	return true;
}

/* bytea's hex text, "\x…", as the core writes it (escaped) in JSON. */
static bool
bytes_jbv(const N2pValue *v, JsonbValue *jv)
{
	static const char hex[] = "0123456789abcdef";
	size_t		n = v->u.str.len,
				i;
	char	   *s;

	if (n > (JENTRY_OFFLENMASK - 2) / 2)
		return false;
	s = palloc(2 * n + 2);
	s[0] = '\\';
	s[1] = 'x';
	for (i = 0; i < n; i++)
	{
		s[2 + 2 * i] = hex[(unsigned char) v->u.str.ptr[i] >> 4];
		s[3 + 2 * i] = hex[(unsigned char) v->u.str.ptr[i] & 15];
	}
	set_string(jv, s, 2 * n + 2);
	return true;
}

/* A scalar's JsonbValue and mark (append_value's cases); false: the text's. */
static bool
scalar_jbv(JCtx *cx, const N2pValue *v, JsonbValue *jv, const char **mark)
{
	*mark = NULL;
	switch (v->type)
	{
		case N2P_BOOL:
			jv->type = jbvBool;
			jv->val.boolean = v->u.b;
			return true;
		case N2P_INT:
			jv->type = jbvNumeric;
			jv->val.numeric = int64_to_numeric(v->u.i);
			return true;
		case N2P_FLOAT:
			return float_jbv(cx, v, jv, mark);
		case N2P_STRING:
			if (!string_ok(v->u.str.ptr, v->u.str.len))
				return false;
			set_string(jv, v->u.str.ptr, v->u.str.len);
			return true;
		case N2P_BYTES:
			*mark = "bytes";
			return bytes_jbv(v, jv);
		case N2P_DATE:
		case N2P_TIME:
		case N2P_LOCALTIME:
		case N2P_DATETIME:
		case N2P_LOCALDATETIME:
		case N2P_DURATION:
			*mark = n2p_type_name(v->type);
			return temporal_jbv(cx, v, jv);
		default:
			return false;
	}
}

static bool push_value(JCtx *cx, const N2pValue *v, JsonbIteratorToken tok, const char **mark,
					   JsonbValue **res);

static void
push_key(JCtx *cx, const char *key, size_t len)
{
	JsonbValue	k;

	set_string(&k, key, len);
	pushJsonbValue(&cx->state, WJB_KEY, &k);
}

/* {"srid": …, "x": …, "y": … [, "z": …]}, coordinates as append_float. */
static bool
push_point(JCtx *cx, const N2pValue *v, JsonbValue **res)
{
	static const char *const names[] = {"x", "y", "z"};
	double		xyz[3] = {v->u.point.x, v->u.point.y, v->u.point.z};
	JsonbValue	jv;
	const char *m;
	int			i;

	pushJsonbValue(&cx->state, WJB_BEGIN_OBJECT, NULL);
	push_key(cx, "srid", 4);
	jv.type = jbvNumeric;
	jv.val.numeric = int64_to_numeric(v->u.point.srid);
	pushJsonbValue(&cx->state, WJB_VALUE, &jv);
	for (i = 0; i < (n2p_srid_is_3d(v->u.point.srid) ? 3 : 2); i++)
	{
		/* no source token: the double formatted as the core formats it */
		N2pValue	f = {.type = N2P_FLOAT, .u.fnum = {xyz[i], NULL, 0}};

		if (!float_jbv(cx, &f, &jv, &m))
			return false;
		push_key(cx, names[i], 1);
		pushJsonbValue(&cx->state, WJB_VALUE, &jv);
	}
	*res = pushJsonbValue(&cx->state, WJB_END_OBJECT, NULL);
	return true;
}

/* append_list's mark: the first element's that has one; mixed_mark if mixed. */
static bool
push_list(JCtx *cx, const N2pValue *v, const char **mark, JsonbValue **res)
{
	const N2pValue *items = v->u.list.items;
	size_t		i,
				other = 0;

	*mark = NULL;
	pushJsonbValue(&cx->state, WJB_BEGIN_ARRAY, NULL);
	for (i = 0; i < v->u.list.n; i++)
	{
		const char *m = NULL;

		if (!push_value(cx, &items[i], WJB_ELEM, &m, res))
			return false;
		if (m && *mark == NULL)
			*mark = m;
		if (items[i].type != items[0].type && other == 0)
			other = i;
	}
	if (other && *mark)
		*mark = mixed_mark;
	*res = pushJsonbValue(&cx->state, WJB_END_ARRAY, NULL);
	return true;
}

static bool
push_value(JCtx *cx, const N2pValue *v, JsonbIteratorToken tok, const char **mark,
		   JsonbValue **res)
{
	JsonbValue	jv;

	if (v->type == N2P_LIST)
		return push_list(cx, v, mark, res);
	if (v->type == N2P_POINT)
	{
		*mark = "point";
		return push_point(cx, v, res);
	}
	if (!scalar_jbv(cx, v, &jv, mark))
		return false;
	*res = pushJsonbValue(&cx->state, tok, &jv);
	return true;
}

/* prop_types: each marked key to its mark, "list<…>" for a list. */
static Datum
types_jsonb(const N2pValue *props, const char **marks)
{
	JsonbParseState *state = NULL;
	JsonbValue *res = NULL;
	size_t		i;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	for (i = 0; i < props->u.map.n; i++)
	{
		JsonbValue	k,
					m;
		const char *mark = marks[i];

		if (mark == NULL)
			continue;
		if (props->u.map.vals[i].type == N2P_LIST)
			mark = psprintf("list<%s>", mark);
		set_string(&k, props->u.map.keys[i].ptr, props->u.map.keys[i].len);
		set_string(&m, mark, strlen(mark));
		pushJsonbValue(&state, WJB_KEY, &k);
		pushJsonbValue(&state, WJB_VALUE, &m);
	}
	res = pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	return JsonbPGetDatum(JsonbValueToJsonb(res));
}

bool
n2p_fdw_props_jsonb(const N2pValue *props, N2pBuf *scratch, N2pPgEncodeOpts *opts,
					Datum *out, Datum *types, bool *types_null)
{
	JCtx		cx = {scratch, opts, NULL};
	const char **marks = palloc(sizeof(char *) * Max(props->u.map.n, 1));
	JsonbValue *res = NULL;
	bool		marked = false;
	size_t		i;

	pushJsonbValue(&cx.state, WJB_BEGIN_OBJECT, NULL);
	for (i = 0; i < props->u.map.n; i++)
	{
		N2pStr		key = props->u.map.keys[i];

		if (!string_ok(key.ptr, key.len))
			return false;
		push_key(&cx, key.ptr, key.len);
		if (!push_value(&cx, &props->u.map.vals[i], WJB_VALUE, &marks[i], &res) ||
			marks[i] == mixed_mark)
			return false;
		marked |= marks[i] != NULL;
	}
	res = pushJsonbValue(&cx.state, WJB_END_OBJECT, NULL);
	*out = JsonbPGetDatum(JsonbValueToJsonb(res));
	*types_null = !marked;
	*types = marked ? types_jsonb(props, marks) : (Datum) 0;
	return true;
}

bool
n2p_fdw_value_jsonb(const N2pValue *v, N2pBuf *scratch, N2pPgEncodeOpts *opts, Datum *out)
{
	JCtx		cx = {scratch, opts, NULL};
	JsonbValue	jv,
			   *res = &jv;
	const char *mark;

	/* a jsonb column keeps no mark: a mixed list is fine in it */
	if (v->type == N2P_LIST || v->type == N2P_POINT)
	{
		if (!push_value(&cx, v, WJB_ELEM, &mark, &res))
			return false;
	}
	else if (!scalar_jbv(&cx, v, &jv, &mark))
		return false;
	*out = JsonbPGetDatum(JsonbValueToJsonb(res));
	return true;
}
