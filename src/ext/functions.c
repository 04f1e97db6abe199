/*-------------------------------------------------------------------------
 *
 * functions.c
 *	  The extension's SQL functions over Neo4j values.
 *
 * Each function runs the core on the call's memory context and throws its
 * N2pError through n2p_ext_report: the pattern every entry point follows.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/ext/functions.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_authid.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

#include "mb/pg_wchar.h"
#include "utils/jsonb.h"

#include "backend.h"
#include "neo2pg/backup.h"
#include "neo2pg/json.h"
#include "neo2pg/literal.h"
#include "neo2pg/pgcopy.h"
#include "neo2pg/pgread.h"
#include "neo2pg/typemap.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(neo2pg_version);
PG_FUNCTION_INFO_V1(neo2pg_literal);
PG_FUNCTION_INFO_V1(neo2pg_props);
PG_FUNCTION_INFO_V1(neo2pg_backup_rows);
PG_FUNCTION_INFO_V1(neo2pg_date_text);
PG_FUNCTION_INFO_V1(neo2pg_date_jsonb);
PG_FUNCTION_INFO_V1(neo2pg_time_text);
PG_FUNCTION_INFO_V1(neo2pg_time_jsonb);
PG_FUNCTION_INFO_V1(neo2pg_timetz_text);
PG_FUNCTION_INFO_V1(neo2pg_timetz_jsonb);
PG_FUNCTION_INFO_V1(neo2pg_timestamp_text);
PG_FUNCTION_INFO_V1(neo2pg_timestamp_jsonb);
PG_FUNCTION_INFO_V1(neo2pg_timestamptz_text);
PG_FUNCTION_INFO_V1(neo2pg_timestamptz_jsonb);
PG_FUNCTION_INFO_V1(neo2pg_interval_text);
PG_FUNCTION_INFO_V1(neo2pg_interval_jsonb);
PG_FUNCTION_INFO_V1(neo2pg_point_text);
PG_FUNCTION_INFO_V1(neo2pg_point_jsonb);
PG_FUNCTION_INFO_V1(neo2pg_point_ewkt_text);
PG_FUNCTION_INFO_V1(neo2pg_point_ewkt_jsonb);

/* The core's version: the one the shared object was built from. */
Datum
neo2pg_version(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(N2P_VERSION));
}

/* What one call works with: memory of the call, the core's error. */
typedef struct Call
{
	N2pAllocator alloc;
	N2pArena	arena;
	N2pError	err;
} Call;

static void
call_init(Call *c)
{
	n2p_ext_allocator(&c->alloc, CurrentMemoryContext);
	n2p_arena_init(&c->arena, &c->alloc, 0);
	n2p_error_init(&c->err);
}

/* A printable quote of bad input, for messages: one line, cut when long. */
static const char *
shown(const char *s, size_t len)
{
	char	   *out = palloc(64 + 4);

	return n2p_text_prefix(s, len, out, 64);
}

static const char *const literal_hint =
"A literal is $date('...'), $time('...'), $datetime('...'), $duration('...') or $point({...}).";

/*
 * neo2pg_literal(literal text, OUT value jsonb, OUT type text): the value
 * as props holds it and its Neo4j type as prop_types names it.
 */
Datum
neo2pg_literal(PG_FUNCTION_ARGS)
{
	text	   *in = PG_GETARG_TEXT_PP(0);
	const char *s = VARDATA_ANY(in);
	size_t		len = VARSIZE_ANY_EXHDR(in);
	Call		c;
	N2pValue	v;
	N2pBuf		json;
	const char *mark = NULL;
	TupleDesc	desc;
	Datum		values[2];
	bool		nulls[2] = {false, false};

	call_init(&c);
	if (!n2p_literal_has_prefix(s, len))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("not a neo4j-backup literal: \"%s\"", shown(s, len)),
				 errhint("%s", literal_hint)));
	if (!n2p_literal_parse(s, len, &v, &c.arena, &c.err))
		n2p_ext_report(&c.err, NULL);
	n2p_buf_init(&json, &c.alloc);
	if (!n2p_pg_value_json(&json, &v, &mark, NULL, &c.err))
		n2p_ext_report(&c.err, NULL);
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "neo2pg_literal must return a record");
	values[0] = DirectFunctionCall1(jsonb_in, CStringGetDatum(json.data));
	values[1] = CStringGetTextDatum(mark ? mark : n2p_type_name(v.type));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls)));
}

/* ---------------------------------------------------------------- props */

/* The JSON text of a backup row's member, in the Python tool's dialect. */
static void
parse_member(Call *c, N2pJsonReader *r, text *t, const char *what, N2pValue *out)
{
	const char *s = VARDATA_ANY(t);
	size_t		len = VARSIZE_ANY_EXHDR(t);

	if (n2p_json_parse_mem(r, s, len, &c->arena, out, &c->err) < 0)
		n2p_ext_report_in(&c->err, what, NULL);
	if (out->type != N2P_MAP)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is %s, expected an object: \"%s\"", what,
						n2p_type_name(out->type), shown(s, len))));
}

/*
 * The replacement of U+0000, or NULL to refuse it.  The CLI checks that
 * --replace-nul's TEXT is valid UTF-8 without U+0000; a server's text in a
 * UTF8 database is that already.
 */
static const char *
nul_replacement(PG_FUNCTION_ARGS, int arg)
{
	if (PG_ARGISNULL(arg))
		return NULL;
	return text_to_cstring(PG_GETARG_TEXT_PP(arg));
}

static void
report_props_error(const N2pError *err, const N2pPgEncodeOpts *opts)
{
	n2p_ext_report(err, opts->nul_replacement == NULL && strstr(err->msg, "U+0000") ?
				   "neo2pg_props(..., replace_nul => '\uFFFD') replaces it, as neo2pg copy --replace-nul does." :
				   NULL);
}

/*
 * neo2pg_props(props text, hash_props text DEFAULT NULL, replace_nul text
 * DEFAULT NULL, OUT props jsonb, OUT prop_types jsonb): a backup row's
 * node_props or rel_props, with its hash_props, as the load stores them.
 * The steps are the load's: the JSON dialect's parser, the reader's
 * conversion (n2p_backup_convert_props), the sink's storable keys and
 * props encoder.
 */
Datum
neo2pg_props(PG_FUNCTION_ARGS)
{
	Call		c;
	N2pJsonReader *r;
	N2pValue	hash;
	N2pRecord	rec = {0};
	const N2pRecord *stored;
	N2pPgKeyFix kf;
	N2pPgEncodeOpts opts = {0};
	N2pBuf		props,
				types;
	TupleDesc	desc;
	Datum		values[2];
	bool		nulls[2] = {false, false};

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	if (GetDatabaseEncoding() != PG_UTF8)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("neo2pg_props needs a UTF8 database: Neo4j's strings are Unicode")));
	call_init(&c);
	opts.nul_replacement = nul_replacement(fcinfo, 2);
	if ((r = n2p_json_reader_new(NULL, &c.alloc, &c.err)) == NULL)
		n2p_ext_report(&c.err, NULL);
	rec.kind = N2P_REC_NODE;
	parse_member(&c, r, PG_GETARG_TEXT_PP(0), "props", &rec.props);
	if (!PG_ARGISNULL(1))
		parse_member(&c, r, PG_GETARG_TEXT_PP(1), "hash_props", &hash);
	if (!n2p_backup_convert_props(&rec.props, PG_ARGISNULL(1) ? NULL : &hash, &c.arena, &c.err))
		report_props_error(&c.err, &opts);
	n2p_pg_keyfix_init(&kf, &c.alloc);
	if (!n2p_pg_storable_keys(&kf, &rec, &opts, &stored, &c.err))
		report_props_error(&c.err, &opts);
	n2p_buf_init(&props, &c.alloc);
	n2p_buf_init(&types, &c.alloc);
	if (!n2p_pg_props_json(&stored->props, &props, &types, &opts, &c.err))
		report_props_error(&c.err, &opts);
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "neo2pg_props must return a record");
	values[0] = DirectFunctionCall1(jsonb_in, CStringGetDatum(props.data));
	/* as in the layout: NULL when no key needs a type */
	nulls[1] = types.len == 0;
	if (!nulls[1])
		values[1] = DirectFunctionCall1(jsonb_in, CStringGetDatum(types.data));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls)));
}

/* --------------------------------------------------------------- backup */

/*
 * Reading a file on the server is what pg_read_server_files grants, as
 * file_fdw has it: anyone else could read what the server's user can.
 */
static void
check_read_server_files(void)
{
	if (!has_privs_of_role(GetUserId(), ROLE_PG_READ_SERVER_FILES))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to read a backup on the server"),
				 errdetail("Only superusers and roles with privileges of the "
						   "pg_read_server_files role may read files on the server.")));
}

/*
 * neo2pg_backup_rows(path text, OUT nodes bigint, OUT relationships
 * bigint): every row of a backup directory on the server read with the
 * load's rules, through the backend's I/O table, in the memory of one
 * row; the first bad row is an ERROR naming its file and row.
 */
Datum
neo2pg_backup_rows(PG_FUNCTION_ARGS)
{
	char	   *path = text_to_cstring(PG_GETARG_TEXT_PP(0));
	Call		c;
	N2pSource  *src;
	N2pRecord	rec;
	int			rc;
	int64		counts[2] = {0, 0};
	TupleDesc	desc;
	Datum		values[2];
	bool		nulls[2] = {false, false};

	check_read_server_files();
	call_init(&c);
	if ((src = n2p_backup_open_io(path, &n2p_ext_io, &c.alloc, &c.err)) == NULL)
		n2p_ext_report(&c.err, NULL);
	while ((rc = src->ops->next(src, &rec, &c.err)) == 1)
	{
		CHECK_FOR_INTERRUPTS();
		counts[rec.kind == N2P_REC_NODE ? 0 : 1]++;
	}
	if (rc < 0)
		n2p_ext_report(&c.err, NULL);
	src->ops->close(src);
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "neo2pg_backup_rows must return a record");
	values[0] = Int64GetDatum(counts[0]);
	values[1] = Int64GetDatum(counts[1]);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls)));
}

/* ---------------------------------------------------------------- casts */

/* One native type: its function, the Neo4j type it takes, its column. */
typedef struct Target
{
	const char *fn;
	N2pType		type;
	N2pColKind	kind;
	PGFunction	in;				/* the type's input function; NULL for points */
	bool		ewkt;			/* points as PostGIS's EWKT text */
} Target;

static const Target targets[] = {
	{"neo2pg_date", N2P_DATE, N2P_COL_DATE, date_in, false},
	{"neo2pg_time", N2P_LOCALTIME, N2P_COL_TIME, time_in, false},
	{"neo2pg_timetz", N2P_TIME, N2P_COL_TIMETZ, timetz_in, false},
	{"neo2pg_timestamp", N2P_LOCALDATETIME, N2P_COL_TIMESTAMP, timestamp_in, false},
	{"neo2pg_timestamptz", N2P_DATETIME, N2P_COL_TIMESTAMPTZ, timestamptz_in, false},
	{"neo2pg_interval", N2P_DURATION, N2P_COL_INTERVAL, interval_in, false},
	{"neo2pg_point", N2P_POINT, N2P_COL_POINT, NULL, false},
	{"neo2pg_point_ewkt", N2P_POINT, N2P_COL_POINT, NULL, true},
};

enum
{
	T_DATE, T_TIME, T_TIMETZ, T_TIMESTAMP, T_TIMESTAMPTZ, T_INTERVAL, T_POINT, T_EWKT
};

/* The function that takes a value of Neo4j type t, for the hint. */
static const char *
function_for(N2pType t)
{
	size_t		i;

	for (i = 0; i < lengthof(targets); i++)
		if (targets[i].type == t)
			return targets[i].fn;
	return NULL;
}

/*
 * A point from the JSON text props holds for it ({"srid": …, "x": …}),
 * read as a PostgreSQL source reads props back: one key marked "point".
 */
static bool
point_from_json(Call *c, const char *s, size_t len, N2pValue *out)
{
	N2pPgReader *r;
	StringInfoData props;
	static const char types[] = "{\"v\": \"point\"}";
	N2pValue	map;
	bool		ok;

	if ((r = n2p_pg_reader_new(&c->alloc, &c->err)) == NULL)
		n2p_ext_report(&c->err, NULL);
	initStringInfo(&props);
	appendStringInfoString(&props, "{\"v\": ");
	appendBinaryStringInfo(&props, s, (int) len);
	appendStringInfoChar(&props, '}');
	ok = n2p_pg_props_parse(r, props.data, props.len, types, strlen(types), &c->arena, &map,
							&c->err) && map.u.map.n == 1;
	n2p_pg_reader_free(r);
	if (ok)
		*out = map.u.map.vals[0];
	return ok;
}

/*
 * The value of a literal ($date('…')), of the text props holds for its
 * type (ISO 8601, or a point's JSON object).  Malformed text is an ERROR
 * quoting it.
 */
static void
parse_text(Call *c, const Target *t, const char *s, size_t len, N2pValue *v)
{
	bool		ok;

	if (n2p_literal_has_prefix(s, len))
	{
		if (!n2p_literal_parse(s, len, v, &c->arena, &c->err))
			n2p_ext_report(&c->err, NULL);
		return;
	}
	if (t->type == N2P_POINT)
		ok = point_from_json(c, s, len, v);
	else
		ok = n2p_temporal_scan(t->type, s, len, v, &c->arena, &c->err);
	if (ok)
		return;
	if (c->err.code == N2P_ERR_NOMEM)
		n2p_ext_report(&c->err, NULL);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("%s: not a %s: \"%s\"", t->fn, n2p_type_name(t->type), shown(s, len)),
			 errhint("%s takes a backup literal, or the text props holds for a %s%s.", t->fn,
					 n2p_type_name(t->type),
					 t->type == N2P_POINT ? " ({\"srid\": 4326, \"x\": 1.0, \"y\": 2.0})" :
					 " (ISO 8601)")));
}

/* A props value (jsonb): a string as text, a point's object as JSON. */
static void
parse_jsonb(Call *c, const Target *t, Jsonb *jb, N2pValue *v)
{
	JsonbValue	scalar;
	char	   *json;

	if (JB_ROOT_IS_SCALAR(jb) && JsonbExtractScalar(&jb->root, &scalar) &&
		scalar.type == jbvString)
	{
		parse_text(c, t, scalar.val.string.val, scalar.val.string.len, v);
		return;
	}
	json = JsonbToCString(NULL, &jb->root, VARSIZE(jb));
	if (t->type == N2P_POINT && !JB_ROOT_IS_SCALAR(jb) && point_from_json(c, json, strlen(json), v))
		return;
	if (c->err.code == N2P_ERR_NOMEM)
		n2p_ext_report(&c->err, NULL);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: not a %s: %s", t->fn, n2p_type_name(t->type), shown(json, strlen(json)))));
}

/*
 * The composite neo2pg_point(srid, x, y, z): what a typed view without
 * PostGIS builds from props, z NULL for a 2-D point.
 */
static Datum
point_datum(FunctionCallInfo fcinfo, const N2pValue *v)
{
	TupleDesc	desc;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE || desc->natts != 4)
		elog(ERROR, "neo2pg_point must return neo2pg_point");
	values[0] = Int32GetDatum(v->u.point.srid);
	values[1] = Float8GetDatum(v->u.point.x);
	values[2] = Float8GetDatum(v->u.point.y);
	values[3] = Float8GetDatum(v->u.point.z);
	nulls[3] = !n2p_srid_is_3d(v->u.point.srid);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls)));
}

/*
 * The value as the load's typed column holds it: the text the typed
 * encoder writes (the canonical ISO text, without a zone id), through
 * the type's input function, as a typed view casts it; NULL when the
 * column cannot hold it (a year outside 1..9999, an offset beyond
 * ±15:59:59, …), as in the typed views and tables.
 */
static Datum
convert(FunctionCallInfo fcinfo, int which, bool jsonb)
{
	const Target *t = &targets[which];
	Call		c;
	N2pValue	v;
	N2pTypedEncoder enc;
	N2pColumnType col = {0};
	N2pBuf		field;
	bool		lost = false;

	call_init(&c);
	if (jsonb)
		parse_jsonb(&c, t, PG_GETARG_JSONB_P(0), &v);
	else
		parse_text(&c, t, VARDATA_ANY(PG_GETARG_TEXT_PP(0)),
				   VARSIZE_ANY_EXHDR(PG_GETARG_TEXT_PP(0)), &v);
	if (v.type != t->type)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s takes a %s, and this is a %s", t->fn, n2p_type_name(t->type),
						n2p_type_name(v.type)),
				 function_for(v.type) ? errhint("%s takes a %s.", function_for(v.type),
												n2p_type_name(v.type)) : 0));
	col.kind = t->kind;
	col.srid = v.type == N2P_POINT ? v.u.point.srid : 0;
	col.has_z = v.type == N2P_POINT && n2p_srid_is_3d(v.u.point.srid);
	n2p_typed_encoder_init(&enc, &c.alloc, t->ewkt, NULL);
	n2p_buf_init(&field, &c.alloc);
	if (!n2p_copy_text_typed(&enc, &field, &v, col, &lost, &c.err))
		n2p_ext_report(&c.err, NULL);
	if (lost)
		PG_RETURN_NULL();
	if (t->in)
		return DirectFunctionCall3(t->in, CStringGetDatum(field.data),
								   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
	if (t->ewkt)
		PG_RETURN_TEXT_P(cstring_to_text(field.data));
	return point_datum(fcinfo, &v);
}

#define CAST_FUNCTIONS(name, which) \
Datum \
neo2pg_##name##_text(PG_FUNCTION_ARGS) \
{ \
	return convert(fcinfo, which, false); \
} \
Datum \
neo2pg_##name##_jsonb(PG_FUNCTION_ARGS) \
{ \
	return convert(fcinfo, which, true); \
}

CAST_FUNCTIONS(date, T_DATE)
CAST_FUNCTIONS(time, T_TIME)
CAST_FUNCTIONS(timetz, T_TIMETZ)
CAST_FUNCTIONS(timestamp, T_TIMESTAMP)
CAST_FUNCTIONS(timestamptz, T_TIMESTAMPTZ)
CAST_FUNCTIONS(interval, T_INTERVAL)
CAST_FUNCTIONS(point, T_POINT)
CAST_FUNCTIONS(point_ewkt, T_EWKT)
