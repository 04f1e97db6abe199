/*-------------------------------------------------------------------------
 *
 * fdw.c
 *	  The neo2pg foreign data wrapper: a server is a neo4j-backup
 *	  directory, a foreign table its nodes, its relationships, or the
 *	  nodes of one label or relationships of one type with typed columns.
 *
 * A scan is the load without PostgreSQL on the other end: the core's
 * backup reader streams the rows of one kind's chunk files, the core's
 * COPY encoders make of each row the bytes the load sends, and each field
 * becomes a Datum the way the server's COPY FROM makes it (text through
 * its input function in UTF-8, every other type through its binary
 * receive function), except jsonb, built from the values themselves
 * (fdw_jsonb.c) with a fallback to jsonb_in of the load's text.  So the
 * values are the load's, and so are the errors, with the file and the row
 * in their DETAIL.
 *
 * Memory: the reader keeps one row in its arena, and every Datum of a row
 * is built in a context reset before the next, so a scan holds one row
 * whatever the size of a chunk.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/ext/fdw.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <sys/stat.h>

#include "access/htup_details.h"
#include "access/reloptions.h"
#include "access/table.h"
#include "catalog/pg_authid.h"
#include "catalog/pg_foreign_server.h"
#include "catalog/pg_foreign_table.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "commands/explain.h"
#include "commands/vacuum.h"
#include "foreign/fdwapi.h"
#include "foreign/foreign.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "optimizer/cost.h"
#include "optimizer/optimizer.h"
#include "optimizer/pathnode.h"
#include "optimizer/planmain.h"
#include "optimizer/restrictinfo.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/sampling.h"

#include "backend.h"
#include "fdw.h"
#include "fdw_jsonb.h"
#include "neo2pg/backup.h"
#include "neo2pg/pgcopy.h"
#include "neo2pg/typemap.h"

PG_FUNCTION_INFO_V1(neo2pg_fdw_handler);
PG_FUNCTION_INFO_V1(neo2pg_fdw_validator);

/* ---------------------------------------------------------- the options */

typedef struct FdwOption
{
	const char *name;
	Oid			context;
} FdwOption;

static const FdwOption valid_options[] = {
	{"path", ForeignServerRelationId},
	{"kind", ForeignTableRelationId},
	{"label", ForeignTableRelationId},
	{"type", ForeignTableRelationId},
	{"rows", ForeignTableRelationId},
	{"key", AttributeRelationId},
	{NULL, InvalidOid}
};

static void
check_option_value(DefElem *def)
{
	const char *v = defGetString(def);

	if (strcmp(def->defname, "kind") == 0 && strcmp(v, "nodes") != 0 &&
		strcmp(v, "relationships") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for option \"kind\": \"%s\"", v),
				 errhint("Valid values are \"nodes\" and \"relationships\".")));
	if (strcmp(def->defname, "rows") == 0)
	{
		char	   *end;
		double		rows = strtod(v, &end);

		if (end == v || *end != '\0' || !(rows >= 0 && rows < 1e18))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid value for option \"rows\": \"%s\"", v),
					 errhint("The option is a number of rows, which IMPORT FOREIGN SCHEMA "
							 "counts.")));
	}
	/*
	 * As file_fdw's filename: the path lets the server read any file
	 * its own user can, so only those trusted to read server files set it.
	 */
	if (strcmp(def->defname, "path") == 0 && !superuser() &&
		!has_privs_of_role(GetUserId(), ROLE_PG_READ_SERVER_FILES))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("only superuser or a role with privileges of the pg_read_server_files "
						"role may specify the path option of a neo2pg server")));
}

Datum
neo2pg_fdw_validator(PG_FUNCTION_ARGS)
{
	List	   *options = untransformRelOptions(PG_GETARG_DATUM(0));
	Oid			catalog = PG_GETARG_OID(1);
	ListCell   *cell;
	int			scopes = 0;

	foreach(cell, options)
	{
		DefElem    *def = (DefElem *) lfirst(cell);
		const FdwOption *o;

		for (o = valid_options; o->name; o++)
			if (o->context == catalog && strcmp(o->name, def->defname) == 0)
				break;
		if (o->name == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
					 errmsg("invalid option \"%s\"", def->defname),
					 errhint("neo2pg takes path on a server, kind, label or type and rows on a foreign "
							 "table, and key on a column.")));
		check_option_value(def);
		if (strcmp(def->defname, "rows") != 0)
			scopes++;
	}
	if (catalog == ForeignTableRelationId && scopes > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a neo2pg foreign table takes one of the options kind, label and type")));
	PG_RETURN_VOID();
}

char *
n2p_fdw_server_path(Oid serverid)
{
	ForeignServer *server = GetForeignServer(serverid);
	ListCell   *cell;

	foreach(cell, server->options)
	{
		DefElem    *def = (DefElem *) lfirst(cell);

		if (strcmp(def->defname, "path") == 0)
			return defGetString(def);
	}
	ereport(ERROR,
			(errcode(ERRCODE_FDW_OPTION_NAME_NOT_FOUND),
			 errmsg("neo2pg server \"%s\" has no path option", server->servername),
			 errhint("ALTER SERVER %s OPTIONS (ADD path '/the/backup/directory')",
					 quote_identifier(server->servername))));
	return NULL;
}

/* Names the file with the backup's directory, which the reader leaves out. */
static void
report(N2pError *err, const char *path)
{
	if (err->file[0] && err->file[0] != '/')
	{
		char		rel[N2P_ERR_FILE_MAX];

		snprintf(rel, sizeof(rel), "%s", err->file);
		snprintf(err->file, sizeof(err->file), "%s/%s", path, rel);
	}
	n2p_ext_report(err, NULL);
}

N2pSource *
n2p_fdw_open(const char *path, N2pAllocator *alloc)
{
	N2pError	err;
	N2pSource  *src;

	if (GetDatabaseEncoding() != PG_UTF8)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("neo2pg reads backups only in a database of encoding UTF8"),
				 errdetail("Neo4j's strings are Unicode; this database's encoding is %s.",
						   GetDatabaseEncodingName())));
	n2p_error_init(&err);
	n2p_ext_allocator(alloc, CurrentMemoryContext);
	src = n2p_backup_open_io(path, &n2p_ext_io, alloc, &err);
	if (src == NULL)
		report(&err, path);
	return src;
}

/* ------------------------------------------------------ the table's shape */

typedef enum ColRole
{
	ROLE_ID,
	ROLE_LABELS,
	ROLE_TYPE,
	ROLE_START,
	ROLE_END,
	ROLE_PROPS,
	ROLE_PROP_TYPES,
	ROLE_ELEMENT_ID,
	ROLE_KEY					/* a typed column: one property key */
} ColRole;

typedef struct FdwColumn
{
	ColRole		role;
	int			field;			/* the base record's field, or -1 */
	char	   *key;			/* ROLE_KEY */
	size_t		key_len;
	N2pColumnType ctype;		/* ROLE_KEY */
	Oid			typid;
	int32		typmod;
	Oid			elemtype;		/* arrays */
	FmgrInfo	recv;
	Oid			ioparam;
} FdwColumn;

typedef struct FdwTable
{
	Oid			relid;
	char	   *path;
	N2pRecKind	kind;
	char	   *scope;			/* typed tables: the label or type */
	size_t		scope_len;
	double		rows;			/* the option rows (IMPORT's count), or -1 */
	int			natts;
	FdwColumn  *cols;
	bool		postgis;		/* a point column is PostGIS geometry */
	Oid			point_elem;		/* the element type of point arrays */
} FdwTable;

static const char *const role_names[] = {
	"id", "labels", "type", "start_id", "end_id", "props", "prop_types", "element_id"
};

static const Oid role_types[] = {
	INT8OID, TEXTARRAYOID, TEXTOID, INT8OID, INT8OID, JSONBOID, JSONBOID, TEXTOID
};

/* The base record's fields (n2p_copy_record), by kind and role. */
static int
role_field(N2pRecKind kind, ColRole role)
{
	static const int node[] = {0, 1, -1, -1, -1, 2, 3, 4};
	static const int rel[] = {0, -1, 1, 2, 3, 4, 5, 6};

	return kind == N2P_REC_NODE ? node[role] : rel[role];
}

/* The column kind of a typed column's (scalar) type; -1 for no kind. */
static int
col_kind(Oid typid)
{
	char	   *name;

	switch (typid)
	{
		case INT8OID:
			return N2P_COL_BIGINT;
		case FLOAT8OID:
			return N2P_COL_FLOAT8;
		case TEXTOID:
			return N2P_COL_TEXT;
		case BOOLOID:
			return N2P_COL_BOOL;
		case BYTEAOID:
			return N2P_COL_BYTEA;
		case DATEOID:
			return N2P_COL_DATE;
		case TIMEOID:
			return N2P_COL_TIME;
		case TIMETZOID:
			return N2P_COL_TIMETZ;
		case TIMESTAMPOID:
			return N2P_COL_TIMESTAMP;
		case TIMESTAMPTZOID:
			return N2P_COL_TIMESTAMPTZ;
		case INTERVALOID:
			return N2P_COL_INTERVAL;
		case JSONBOID:
			return N2P_COL_JSONB;
		default:
			break;
	}
	/* PostGIS geometry or neo2pg_point, as IMPORT makes them */
	name = format_type_be(typid);
	if (strstr(name, "geometry") || strstr(name, "neo2pg_point"))
		return N2P_COL_POINT;
	return -1;
}

static void
setup_key_column(FdwTable *t, FdwColumn *c, const char *attname, const char *key)
{
	Oid			scalar = c->elemtype ? c->elemtype : c->typid;
	int			kind;

	c->role = ROLE_KEY;
	c->key = pstrdup(key);
	c->key_len = strlen(key);
	memset(&c->ctype, 0, sizeof(c->ctype));
	c->ctype.is_array = c->elemtype != InvalidOid && c->typid != JSONBOID;
	kind = col_kind(c->ctype.is_array ? scalar : c->typid);
	if (kind < 0)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("column \"%s\" has type %s, which neo2pg does not make for a property",
						attname, format_type_be(c->typid)),
				 errhint("IMPORT FOREIGN SCHEMA chooses the type a typed view has.")));
	c->ctype.kind = (N2pColKind) kind;
	if (c->ctype.kind == N2P_COL_POINT)
	{
		char	   *name = format_type_be(scalar);

		if (strstr(name, "geometry"))
			t->postgis = true;
		if (c->ctype.is_array)
			t->point_elem = scalar;
	}
}

static void
setup_column(FdwTable *t, Relation rel, int i)
{
	Form_pg_attribute att = TupleDescAttr(RelationGetDescr(rel), i);
	FdwColumn  *c = &t->cols[i];
	List	   *opts;
	ListCell   *cell;
	Oid			recv;
	int			r;

	c->field = -1;
	c->typid = att->atttypid;
	c->typmod = att->atttypmod;
	c->elemtype = get_element_type(att->atttypid);
	if (att->attisdropped)
		return;
	opts = GetForeignColumnOptions(t->relid, att->attnum);
	foreach(cell, opts)
	{
		DefElem    *def = (DefElem *) lfirst(cell);

		if (strcmp(def->defname, "key") == 0)
			setup_key_column(t, c, NameStr(att->attname), defGetString(def));
	}
	if (c->role != ROLE_KEY)
	{
		for (r = 0; r < lengthof(role_names); r++)
			if (strcmp(NameStr(att->attname), role_names[r]) == 0 &&
				role_field(t->kind, (ColRole) r) >= 0)
				break;
		if (r == lengthof(role_names))
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_COLUMN_NAME),
					 errmsg("column \"%s\" of foreign table \"%s\" is not one neo2pg fills",
							NameStr(att->attname), RelationGetRelationName(rel)),
					 errhint("%s; a column of a property has OPTIONS (key '...').",
							 t->kind == N2P_REC_NODE ?
							 "Nodes have id, labels, props, prop_types, element_id" :
							 "Relationships have id, type, start_id, end_id, props, prop_types, "
							 "element_id")));
		c->role = (ColRole) r;
		c->field = role_field(t->kind, c->role);
		if (c->typid != role_types[r])
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
					 errmsg("column \"%s\" of foreign table \"%s\" must have type %s, as the load makes it",
							NameStr(att->attname), RelationGetRelationName(rel),
							format_type_be(role_types[r]))));
	}
	getTypeBinaryInputInfo(c->typid, &recv, &c->ioparam);
	fmgr_info(recv, &c->recv);
}

static FdwTable *
table_describe(Relation rel)
{
	FdwTable   *t = palloc0(sizeof(FdwTable));
	ForeignTable *ft = GetForeignTable(RelationGetRelid(rel));
	ListCell   *cell;
	int			i;

	t->relid = RelationGetRelid(rel);
	t->path = n2p_fdw_server_path(ft->serverid);
	t->kind = N2P_REC_NODE;
	t->rows = -1;
	foreach(cell, ft->options)
	{
		DefElem    *def = (DefElem *) lfirst(cell);
		const char *v = defGetString(def);

		if (strcmp(def->defname, "rows") == 0)
			t->rows = strtod(v, NULL);
		else if (strcmp(def->defname, "kind") == 0)
			t->kind = strcmp(v, "nodes") == 0 ? N2P_REC_NODE : N2P_REC_REL;
		else if (strcmp(def->defname, "label") == 0 || strcmp(def->defname, "type") == 0)
		{
			t->kind = def->defname[0] == 'l' ? N2P_REC_NODE : N2P_REC_REL;
			t->scope = pstrdup(v);
			t->scope_len = strlen(v);
		}
	}
	t->natts = RelationGetDescr(rel)->natts;
	t->cols = palloc0(sizeof(FdwColumn) * Max(t->natts, 1));
	for (i = 0; i < t->natts; i++)
		setup_column(t, rel, i);
	return t;
}

static FdwTable *
table_describe_id(Oid relid)
{
	Relation	rel = table_open(relid, AccessShareLock);
	FdwTable   *t = table_describe(rel);

	table_close(rel, AccessShareLock);
	return t;
}

/* ------------------------------------------------------------- the scan */

typedef struct FdwScan
{
	FdwTable   *t;
	bool	   *needed;			/* per attribute: the query uses it */
	bool		need_props;		/* props, prop_types or a typed column */
	size_t		first_file;		/* the files this scan reads */
	size_t		nfiles;
	MemoryContext scancxt;		/* the reader and the encoders */
	MemoryContext rowcxt;		/* one row's Datums, reset per row */
	N2pAllocator alloc;
	N2pSource  *src;
	N2pPgEncodeOpts enc;
	N2pPgKeyFix keyfix;
	N2pTypedEncoder tenc;
	N2pBuf		buf;
	N2pBuf		types;
	N2pBuf		field;
	N2pBuf		scratch;		/* fdw_jsonb.c's */
	uint64		rows_read;		/* rows of the files, this table's or not */
	uint64		bytes_done;		/* on-disk bytes of earlier passes (rescans) */
} FdwScan;

static void
scan_start(FdwScan *s)
{
	MemoryContext old = MemoryContextSwitchTo(s->scancxt);

	s->src = n2p_fdw_open(s->t->path, &s->alloc);
	if (!n2p_backup_select(s->src, s->t->kind, s->first_file, s->nfiles))
		elog(ERROR, "neo2pg: the backup reader would not select its files");
	memset(&s->enc, 0, sizeof(s->enc));
	/* the load's rule without --replace-nul: U+0000 is an error */
	s->enc.nul_replacement = NULL;
	s->enc.element_ids = s->src->meta.element_ids;
	n2p_pg_keyfix_init(&s->keyfix, &s->alloc);
	n2p_typed_encoder_init(&s->tenc, &s->alloc, s->t->postgis, &s->enc);
	s->tenc.geometry_oid = s->t->point_elem;
	s->tenc.point_oid = s->t->point_elem;
	n2p_buf_init(&s->buf, &s->alloc);
	n2p_buf_init(&s->types, &s->alloc);
	n2p_buf_init(&s->field, &s->alloc);
	n2p_buf_init(&s->scratch, &s->alloc);
	MemoryContextSwitchTo(old);
}

/* Everything goes with scancxt; the reader's files with the transaction. */
static void
scan_stop(FdwScan *s)
{
	if (s->src)
	{
		s->bytes_done += s->src->ops->bytes_done(s->src);
		s->src->ops->close(s->src);
	}
	s->src = NULL;
	MemoryContextReset(s->scancxt);
}

static FdwScan *
scan_new(FdwTable *t, bool *needed, MemoryContext parent)
{
	FdwScan	   *s = palloc0(sizeof(FdwScan));
	int			i;

	s->t = t;
	s->needed = needed;
	for (i = 0; i < t->natts; i++)
		if (needed[i] && (t->cols[i].role == ROLE_PROPS || t->cols[i].role == ROLE_PROP_TYPES ||
						  t->cols[i].role == ROLE_KEY))
			s->need_props = true;
	s->nfiles = SIZE_MAX;
	s->scancxt = AllocSetContextCreate(parent, "neo2pg scan", ALLOCSET_DEFAULT_SIZES);
	s->rowcxt = AllocSetContextCreate(parent, "neo2pg row", ALLOCSET_DEFAULT_SIZES);
	return s;
}

static uint64
scan_bytes(FdwScan *s)
{
	return s->bytes_done + (s->src ? s->src->ops->bytes_done(s->src) : 0);
}

static uint32
get_be32(const char *p)
{
	const unsigned char *u = (const unsigned char *) p;

	return ((uint32) u[0] << 24) | ((uint32) u[1] << 16) | ((uint32) u[2] << 8) | u[3];
}

/* Text as the server's COPY FROM takes it from a UTF-8 client. */
static Datum
text_datum(const char *p, int len)
{
	pg_verify_mbstr(PG_UTF8, p, len, false);
	return PointerGetDatum(cstring_to_text_with_len(p, len));
}

/* A one-dimensional text[] in array_send's format (n2p_copy_text_array). */
static Datum
text_array_datum(const char *p, int len)
{
	int			ndim = (int) get_be32(p),
				n,
				i,
				dims[1],
				lbs[1];
	Datum	   *items;
	bool	   *nulls;

	if (ndim == 0)
		return PointerGetDatum(construct_empty_array(TEXTOID));
	if (ndim != 1 || len < 20)
		elog(ERROR, "neo2pg: unexpected text[] encoding");
	n = (int) get_be32(p + 12);
	lbs[0] = (int) get_be32(p + 16);
	dims[0] = n;
	items = palloc(sizeof(Datum) * n);
	nulls = palloc(sizeof(bool) * n);
	p += 20;
	for (i = 0; i < n; i++)
	{
		int			l = (int) get_be32(p);

		nulls[i] = l < 0;
		items[i] = nulls[i] ? (Datum) 0 : text_datum(p + 4, l);
		p += 4 + Max(l, 0);
	}
	return PointerGetDatum(construct_md_array(items, nulls, 1, dims, lbs, TEXTOID, -1, false,
											  TYPALIGN_INT));
}

/* jsonb as jsonb_recv makes it of version 1 and the text. */
static Datum
jsonb_datum(const char *p, int len)
{
	char	   *s;

	if (len < 1 || p[0] != 1)
		elog(ERROR, "neo2pg: unexpected jsonb encoding");
	pg_verify_mbstr(PG_UTF8, p + 1, len - 1, false);
	s = pnstrdup(p + 1, len - 1);
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(s));
}

/* One binary COPY field (length, bytes) of column c; *isnull for -1. */
static Datum
field_datum(FdwColumn *c, const char *p, bool *isnull)
{
	int			len = (int) get_be32(p);
	StringInfoData b;
	Datum		d;

	*isnull = len < 0;
	if (len < 0)
		return (Datum) 0;
	p += 4;
	if (c->typid == TEXTOID)
		return text_datum(p, len);
	if (c->typid == TEXTARRAYOID)
		return text_array_datum(p, len);
	if (c->typid == JSONBOID)
		return jsonb_datum(p, len);
	/* no text inside: no client encoding involved */
	b.data = (char *) p;
	b.len = len;
	b.maxlen = len;
	b.cursor = 0;
	d = ReceiveFunctionCall(&c->recv, &b, c->ioparam, c->typmod);
	if (b.cursor != b.len)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("incorrect binary data format in a neo2pg column")));
	return d;
}

/*
 * The base record's fields in order: where each starts; NULL for one it
 * lacks (element_id of a backup without element ids).
 */
static void
split_fields(const N2pBuf *buf, const char **fields, int max)
{
	const char *p = buf->data + 2;
	int			n = (int) (((unsigned char) buf->data[0] << 8) | (unsigned char) buf->data[1]),
				i;

	for (i = 0; i < max; i++)
		fields[i] = NULL;
	for (i = 0; i < n && i < max; i++)
	{
		int			len = (int) get_be32(p);

		fields[i] = p;
		p += 4 + Max(len, 0);
	}
}

static bool
row_in_scope(const FdwTable *t, const N2pRecord *rec)
{
	size_t		i;

	if (t->scope == NULL)
		return true;
	if (rec->kind == N2P_REC_REL)
		return rec->type.len == t->scope_len && memcmp(rec->type.ptr, t->scope, t->scope_len) == 0;
	for (i = 0; i < rec->nlabels; i++)
		if (rec->labels[i].len == t->scope_len &&
			memcmp(rec->labels[i].ptr, t->scope, t->scope_len) == 0)
			return true;
	return false;
}

static const N2pValue *
find_prop(const N2pRecord *rec, const char *key, size_t len)
{
	size_t		i;

	for (i = 0; i < rec->props.u.map.n; i++)
		if (rec->props.u.map.keys[i].len == len &&
			memcmp(rec->props.u.map.keys[i].ptr, key, len) == 0)
			return &rec->props.u.map.vals[i];
	return NULL;
}

static void
fail_row(FdwScan *s, const N2pRecord *rec, N2pError *err)
{
	err->row_id = rec->id;
	err->row_kind = rec->kind == N2P_REC_NODE ? "node" : "relationship";
	if (rec->origin && !err->file[0])
		snprintf(err->file, sizeof(err->file), "%s", rec->origin);
	report(err, s->t->path);
}

static Datum
key_datum(FdwScan *s, FdwColumn *c, const N2pRecord *rec, bool *isnull)
{
	const N2pValue *v = find_prop(rec, c->key, c->key_len);
	N2pError	err;
	bool		lost;
	Datum		d;

	*isnull = true;
	if (v == NULL)
		return (Datum) 0;
	if (c->ctype.kind == N2P_COL_JSONB && n2p_fdw_value_jsonb(v, &s->scratch, &s->enc, &d))
	{
		*isnull = false;
		return d;
	}
	n2p_error_init(&err);
	n2p_buf_reset(&s->field);
	if (!n2p_copy_binary_typed(&s->tenc, &s->field, v, c->ctype, &lost, &err))
	{
		n2p_error_set_key(&err, c->key, c->key_len);
		fail_row(s, rec, &err);
	}
	return field_datum(c, s->field.data, isnull);
}

/*
 * The row's Datums, in rowcxt: the base record encoded as the load sends
 * it, but for props and prop_types, built from the values (fdw_jsonb.c);
 * typed columns as the typed tables' COPY sends them.  A row the direct
 * path leaves alone, and any row that fails, takes the load's text path
 * whole, so that its values and its first error are the load's.  Props
 * are checked only when the query uses props, prop_types or a typed
 * column.
 */
static void
build_row(FdwScan *s, const N2pRecord *rec, Datum *values, bool *nulls)
{
	const char *fields[8];
	N2pRecord	bare;
	N2pError	err;
	Datum		props = (Datum) 0,
				types = (Datum) 0;
	bool		direct = false,
				types_null = true;
	int			i;

	n2p_error_init(&err);
	if (s->need_props && !n2p_pg_storable_keys(&s->keyfix, rec, &s->enc, &rec, &err))
		fail_row(s, rec, &err);
	bare = *rec;
	bare.props.u.map.n = 0;
	n2p_buf_reset(&s->buf);
	n2p_buf_reset(&s->types);
	if (n2p_copy_record(&s->buf, &bare, &s->types, &s->enc, &err))
		direct = !s->need_props ||
			n2p_fdw_props_jsonb(&rec->props, &s->scratch, &s->enc, &props, &types, &types_null);
	if (!direct)
	{
		n2p_error_init(&err);
		n2p_buf_reset(&s->buf);
		n2p_buf_reset(&s->types);
		if (!n2p_copy_record(&s->buf, s->need_props ? rec : &bare, &s->types, &s->enc, &err))
			fail_row(s, rec, &err);
	}
	split_fields(&s->buf, fields, lengthof(fields));
	for (i = 0; i < s->t->natts; i++)
	{
		FdwColumn  *c = &s->t->cols[i];

		nulls[i] = true;
		if (!s->needed[i])
			continue;
		if (c->role == ROLE_KEY)
			values[i] = key_datum(s, c, rec, &nulls[i]);
		else if (direct && c->role == ROLE_PROPS)
		{
			values[i] = props;
			nulls[i] = false;
		}
		else if (direct && c->role == ROLE_PROP_TYPES)
		{
			values[i] = types;
			nulls[i] = types_null;
		}
		else if (fields[c->field] != NULL)
			values[i] = field_datum(c, fields[c->field], &nulls[i]);
	}
}

/*
 * The next row of this table into values/nulls (in rowcxt, reset here);
 * false at the end.
 */
static bool
scan_next(FdwScan *s, Datum *values, bool *nulls)
{
	N2pRecord	rec;
	N2pError	err;
	MemoryContext old;
	int			rc;

	for (;;)
	{
		CHECK_FOR_INTERRUPTS();
		MemoryContextReset(s->rowcxt);
		n2p_error_init(&err);
		old = MemoryContextSwitchTo(s->rowcxt);
		rc = s->src->ops->next(s->src, &rec, &err);
		if (rc < 0)
			report(&err, s->t->path);
		if (rc == 0)
		{
			MemoryContextSwitchTo(old);
			return false;
		}
		s->rows_read++;
		if (row_in_scope(s->t, &rec))
			break;
		MemoryContextSwitchTo(old);
	}
	build_row(s, &rec, values, nulls);
	MemoryContextSwitchTo(old);
	return true;
}

/* ---------------------------------------------------------- planning */

typedef struct PlanInfo
{
	uint64		bytes;			/* on-disk bytes of this kind's files */
	double		rows;			/* estimated rows of the files */
	int			nfiles;
} PlanInfo;

/*
 * Bytes per row when nothing better is known, from the generated
 * backups: gzip'd chunks hold 25 to 30 bytes a row (the 1M/2M benchmark
 * backup: 31 a node, 25 a relationship), plain JSON about 200.
 */
#define GZIP_ROW_BYTES 27.0
#define PLAIN_ROW_BYTES 200.0

static PlanInfo *
plan_info(Oid relid)
{
	FdwTable   *t = table_describe_id(relid);
	PlanInfo   *pi = palloc0(sizeof(PlanInfo));
	N2pAllocator alloc;
	N2pSource  *src = n2p_fdw_open(t->path, &alloc);
	size_t		i,
				n = n2p_backup_nfiles(src, t->kind);

	for (i = 0; i < n; i++)
	{
		const char *name;
		uint64_t	size;

		n2p_backup_file(src, t->kind, i, &name, &size);
		pi->bytes += size;
		pi->rows += size / (strstr(name, ".gz") ? GZIP_ROW_BYTES : PLAIN_ROW_BYTES);
	}
	pi->nfiles = (int) n;
	/*
	 * A typed table is one label's or type's share: IMPORT counted it
	 * (backups do not change), else a tenth; ANALYZE knows better.
	 */
	if (t->rows >= 0)
		pi->rows = t->rows;
	else if (t->scope)
		pi->rows *= 0.1;
	src->ops->close(src);
	return pi;
}

static void
neo2pgGetForeignRelSize(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid)
{
	PlanInfo   *pi = plan_info(foreigntableid);
	BlockNumber pages = (BlockNumber) Max(1, (pi->bytes + BLCKSZ - 1) / BLCKSZ);
	double		rows = pi->rows;

	/* as file_fdw: ANALYZE's density scaled to the files' size now */
	if (baserel->tuples >= 0 && baserel->pages > 0)
		rows = clamp_row_est(baserel->tuples / baserel->pages * pages);
	baserel->pages = pages;
	baserel->tuples = Max(rows, 1);
	baserel->fdw_private = pi;
	baserel->rows = clamp_row_est(baserel->tuples *
								  clauselist_selectivity(root, baserel->baserestrictinfo, 0,
														 JOIN_INNER, NULL));
}

/*
 * Parsing JSON and building jsonb is most of a scan: a row costs about as
 * much as a hundred operators.
 */
#define ROW_CPU_FACTOR 100.0

static void
scan_cost(PlannerInfo *root, RelOptInfo *baserel, int workers, Cost *startup, Cost *total)
{
	double		tuples = baserel->tuples;
	Cost		run = seq_page_cost * baserel->pages;
	QualCost	qual;

	cost_qual_eval(&qual, baserel->baserestrictinfo, root);
	run += (cpu_tuple_cost * ROW_CPU_FACTOR + qual.per_tuple) * tuples;
	if (workers > 0)
		run /= (workers + 1);
	*startup = qual.startup + 10 * seq_page_cost;
	*total = *startup + run + baserel->rows * cpu_tuple_cost;
}

static void
neo2pgGetForeignPaths(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid)
{
	PlanInfo   *pi = baserel->fdw_private;
	Cost		startup,
				total;
	Path	   *path;

	scan_cost(root, baserel, 0, &startup, &total);
	add_path(baserel, (Path *) create_foreignscan_path(root, baserel, NULL, baserel->rows,
													   startup, total, NIL, NULL, NULL, NIL));
	/* workers take whole chunk files */
	if (baserel->consider_parallel && pi->nfiles > 1)
	{
		int			workers = Min(max_parallel_workers_per_gather, pi->nfiles - 1);

		if (workers > 0)
		{
			scan_cost(root, baserel, workers, &startup, &total);
			path = (Path *) create_foreignscan_path(root, baserel, NULL,
													baserel->rows / (workers + 1),
													startup, total, NIL, NULL, NULL, NIL);
			path->parallel_aware = true;
			path->parallel_safe = true;
			path->parallel_workers = workers;
			add_partial_path(baserel, path);
		}
	}
}

/* The attributes the query uses (1-based), all of them for a whole row. */
static List *
used_attrs(RelOptInfo *baserel)
{
	Bitmapset  *attrs = NULL;
	List	   *out = NIL;
	ListCell   *lc;
	int			i;

	pull_varattnos((Node *) baserel->reltarget->exprs, baserel->relid, &attrs);
	foreach(lc, baserel->baserestrictinfo)
		pull_varattnos((Node *) ((RestrictInfo *) lfirst(lc))->clause, baserel->relid, &attrs);
	i = -1;
	while ((i = bms_next_member(attrs, i)) >= 0)
	{
		AttrNumber	att = i + FirstLowInvalidHeapAttributeNumber;

		if (att == 0)
			return list_make1_int(0);
		if (att > 0)
			out = lappend_int(out, att);
	}
	return out;
}

static ForeignScan *
neo2pgGetForeignPlan(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid,
					 ForeignPath *best_path, List *tlist, List *scan_clauses, Plan *outer_plan)
{
	scan_clauses = extract_actual_clauses(scan_clauses, false);
	return make_foreignscan(tlist, scan_clauses, baserel->relid, NIL,
							list_make1(used_attrs(baserel)), NIL, NIL, outer_plan);
}

/* ---------------------------------------------------------- execution */

typedef struct FdwScanState
{
	FdwScan	   *scan;
	pg_atomic_uint32 *next_file;	/* parallel: the next file to claim */
	bool		parallel;
	bool		started;
	size_t		nfiles;
} FdwScanState;

static bool *
needed_from(List *attrs, int natts)
{
	bool	   *needed = palloc0(sizeof(bool) * Max(natts, 1));
	ListCell   *lc;

	foreach(lc, attrs)
	{
		int			att = lfirst_int(lc);

		if (att == 0)
		{
			memset(needed, true, sizeof(bool) * natts);
			break;
		}
		needed[att - 1] = true;
	}
	return needed;
}

static void
neo2pgBeginForeignScan(ForeignScanState *node, int eflags)
{
	ForeignScan *plan = (ForeignScan *) node->ss.ps.plan;
	Relation	rel = node->ss.ss_currentRelation;
	FdwTable   *t = table_describe(rel);
	FdwScanState  *st = palloc0(sizeof(FdwScanState));

	st->scan = scan_new(t, needed_from(linitial(plan->fdw_private), t->natts),
						CurrentMemoryContext);
	node->fdw_state = st;
	/* EXPLAIN lists the files: the listing is all it reads */
	scan_start(st->scan);
	st->nfiles = n2p_backup_nfiles(st->scan->src, t->kind);
}

/* Parallel: claim the next file, and read it alone. */
static bool
claim_file(FdwScanState *st)
{
	uint32		i = pg_atomic_fetch_add_u32(st->next_file, 1);

	if (i >= st->nfiles)
		return false;
	scan_stop(st->scan);
	st->scan->first_file = i;
	st->scan->nfiles = 1;
	scan_start(st->scan);
	return true;
}

static TupleTableSlot *
neo2pgIterateForeignScan(ForeignScanState *node)
{
	FdwScanState  *st = node->fdw_state;
	TupleTableSlot *slot = node->ss.ss_ScanTupleSlot;

	ExecClearTuple(slot);
	if (st->parallel && !st->started)
	{
		st->started = true;
		if (!claim_file(st))
			return slot;
	}
	while (!scan_next(st->scan, slot->tts_values, slot->tts_isnull))
	{
		if (!st->parallel || !claim_file(st))
			return slot;
	}
	ExecStoreVirtualTuple(slot);
	return slot;
}

static void
neo2pgReScanForeignScan(ForeignScanState *node)
{
	FdwScanState  *st = node->fdw_state;

	scan_stop(st->scan);
	scan_start(st->scan);
	st->started = false;
}

static void
neo2pgEndForeignScan(ForeignScanState *node)
{
	FdwScanState  *st = node->fdw_state;

	if (st)
		scan_stop(st->scan);
}

#define EXPLAIN_MAX_FILES 8

static void
neo2pgExplainForeignScan(ForeignScanState *node, ExplainState *es)
{
	FdwScanState  *st = node->fdw_state;
	FdwScan	   *s = st->scan;
	List	   *files = NIL;
	uint64		total = 0;
	size_t		i;

	ExplainPropertyText("Neo4j Backup", s->t->path, es);
	for (i = 0; s->src && i < st->nfiles; i++)
	{
		const char *name;
		uint64_t	size;

		n2p_backup_file(s->src, s->t->kind, i, &name, &size);
		files = lappend(files, psprintf("%s (%llu bytes)", name, (unsigned long long) size));
		total += size;
	}
	/* a backup of millions of rows has hundreds of chunks: VERBOSE lists them */
	if (es->verbose || es->format != EXPLAIN_FORMAT_TEXT || st->nfiles <= EXPLAIN_MAX_FILES)
		ExplainPropertyList("Files", files, es);
	else
		ExplainPropertyText("Files", psprintf("%zu, from %s to %s (VERBOSE lists them)",
											  st->nfiles, (char *) linitial(files),
											  (char *) llast(files)), es);
	ExplainPropertyInteger("Files Size", "bytes", (int64) total, es);
	if (es->analyze)
	{
		ExplainPropertyInteger("Rows Read", NULL, (int64) s->rows_read, es);
		ExplainPropertyInteger("Bytes Read", "bytes", (int64) scan_bytes(s), es);
	}
}

/* ------------------------------------------------------------ parallel */

static bool
neo2pgIsForeignScanParallelSafe(PlannerInfo *root, RelOptInfo *rel, RangeTblEntry *rte)
{
	return true;
}

static Size
neo2pgEstimateDSMForeignScan(ForeignScanState *node, ParallelContext *pcxt)
{
	return sizeof(pg_atomic_uint32);
}

static void
neo2pgInitializeDSMForeignScan(ForeignScanState *node, ParallelContext *pcxt, void *coordinate)
{
	FdwScanState  *st = node->fdw_state;

	st->next_file = coordinate;
	pg_atomic_init_u32(st->next_file, 0);
	st->parallel = true;
}

static void
neo2pgReInitializeDSMForeignScan(ForeignScanState *node, ParallelContext *pcxt,
								 void *coordinate)
{
	pg_atomic_write_u32((pg_atomic_uint32 *) coordinate, 0);
}

static void
neo2pgInitializeWorkerForeignScan(ForeignScanState *node, shm_toc *toc, void *coordinate)
{
	FdwScanState  *st = node->fdw_state;

	st->next_file = coordinate;
	st->parallel = true;
}

/* -------------------------------------------------------------- ANALYZE */

static int
acquire_sample_rows(Relation rel, int elevel, HeapTuple *rows, int targrows,
					double *totalrows, double *totaldeadrows)
{
	FdwTable   *t = table_describe(rel);
	TupleDesc	desc = RelationGetDescr(rel);
	bool	   *needed = palloc(sizeof(bool) * Max(t->natts, 1));
	Datum	   *values = palloc(sizeof(Datum) * Max(t->natts, 1));
	bool	   *nulls = palloc(sizeof(bool) * Max(t->natts, 1));
	FdwScan	   *s;
	ReservoirStateData rstate;
	double		rowstoskip = -1;
	int			numrows = 0;

	memset(needed, true, sizeof(bool) * t->natts);
	s = scan_new(t, needed, CurrentMemoryContext);
	scan_start(s);
	*totalrows = 0;
	*totaldeadrows = 0;
	reservoir_init_selection_state(&rstate, targrows);
	while (scan_next(s, values, nulls))
	{
		vacuum_delay_point();
		/* Algorithm Z, as file_fdw samples */
		if (numrows < targrows)
			rows[numrows++] = heap_form_tuple(desc, values, nulls);
		else
		{
			if (rowstoskip < 0)
				rowstoskip = reservoir_get_next_S(&rstate, *totalrows, targrows);
			if (rowstoskip <= 0)
			{
				int			k = (int) (targrows * sampler_random_fract(&rstate.randstate));

				heap_freetuple(rows[k]);
				rows[k] = heap_form_tuple(desc, values, nulls);
			}
			rowstoskip -= 1;
		}
		*totalrows += 1;
	}
	scan_stop(s);
	ereport(elevel,
			(errmsg("\"%s\": the backup has %.0f rows of it; %d rows in the sample",
					RelationGetRelationName(rel), *totalrows, numrows)));
	return numrows;
}

static bool
neo2pgAnalyzeForeignTable(Relation relation, AcquireSampleRowsFunc *func, BlockNumber *totalpages)
{
	PlanInfo   *pi = plan_info(RelationGetRelid(relation));

	*func = acquire_sample_rows;
	*totalpages = (BlockNumber) Max(1, (pi->bytes + BLCKSZ - 1) / BLCKSZ);
	return true;
}

/* ------------------------------------------------------------ handler */

static List *
neo2pgImportForeignSchema(ImportForeignSchemaStmt *stmt, Oid serverOid)
{
	return n2p_fdw_import(stmt, serverOid);
}

Datum
neo2pg_fdw_handler(PG_FUNCTION_ARGS)
{
	FdwRoutine *r = makeNode(FdwRoutine);

	r->GetForeignRelSize = neo2pgGetForeignRelSize;
	r->GetForeignPaths = neo2pgGetForeignPaths;
	r->GetForeignPlan = neo2pgGetForeignPlan;
	r->BeginForeignScan = neo2pgBeginForeignScan;
	r->IterateForeignScan = neo2pgIterateForeignScan;
	r->ReScanForeignScan = neo2pgReScanForeignScan;
	r->EndForeignScan = neo2pgEndForeignScan;
	r->ExplainForeignScan = neo2pgExplainForeignScan;
	r->AnalyzeForeignTable = neo2pgAnalyzeForeignTable;
	r->ImportForeignSchema = neo2pgImportForeignSchema;
	r->IsForeignScanParallelSafe = neo2pgIsForeignScanParallelSafe;
	r->EstimateDSMForeignScan = neo2pgEstimateDSMForeignScan;
	r->InitializeDSMForeignScan = neo2pgInitializeDSMForeignScan;
	r->ReInitializeDSMForeignScan = neo2pgReInitializeDSMForeignScan;
	r->InitializeWorkerForeignScan = neo2pgInitializeWorkerForeignScan;
	PG_RETURN_POINTER(r);
}
