/*-------------------------------------------------------------------------
 *
 * typemap.h
 *	  Native PostgreSQL types for Neo4j properties: which type a key's
 *	  column gets, and whether a value fits that type.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  include/neo2pg/typemap.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_TYPEMAP_H
#define NEO2PG_TYPEMAP_H

#include "neo2pg/catalog.h"

/* What a column holds; see n2p_column_kind(). */
typedef enum N2pColKind
{
	N2P_COL_JSONB = 0,			/* mixed types, or only empty lists */
	N2P_COL_BIGINT,
	N2P_COL_FLOAT8,
	N2P_COL_TEXT,
	N2P_COL_BOOL,
	N2P_COL_BYTEA,
	N2P_COL_DATE,
	N2P_COL_TIME,
	N2P_COL_TIMETZ,
	N2P_COL_TIMESTAMP,
	N2P_COL_TIMESTAMPTZ,
	N2P_COL_INTERVAL,
	N2P_COL_POINT				/* PostGIS geometry, or neo2pg's composite */
} N2pColKind;

typedef struct N2pColumnType
{
	N2pColKind	kind;
	bool		is_array;		/* a list property: an array of kind */
	int32_t		srid;			/* points: the one SRID, or 0 when mixed */
	bool		has_z;			/* points: 3-D (only meaningful with srid) */
} N2pColumnType;

/*
 * The column type of one key from all the Neo4j types seen for it in one
 * label or relationship type (catalog type names such as "integer",
 * "point(4326)", "list<date>", "list").  One type gives its native type,
 * lists an array of it (empty lists join any list type); anything else,
 * including a key that only ever held empty lists, gives jsonb.
 */
N2pColumnType n2p_column_type(const char *const *types, size_t n);

/*
 * The same for catalog entries e[0..n), which are one key of one scope
 * (n2p_catalog_entries lists them together): every one of them counts,
 * however many types the key has held.
 */
N2pColumnType n2p_key_column_type(const N2pCatalogEntry *e, size_t n);

/* SQL name of a column kind's scalar type ("" for points). */
const char *n2p_col_kind_sql(N2pColKind kind);

/*
 * PostgreSQL type name of a column: "bigint", "timestamptz", "text[]",
 * "geometry(PointZ,4979)" with PostGIS or point_type (schema-qualified
 * composite) without.
 */
void		n2p_column_type_sql(N2pColumnType t, bool postgis, const char *point_type,
								char *buf, size_t len);

/*
 * PostgreSQL 15's limits on one relation (8 kB pages): its columns, view
 * or table (MaxHeapAttributeNumber; a query's 1664 is larger), and a
 * table row, which must fit in a page once TOAST has moved out what it
 * can (MaxHeapTupleSize).
 */
#define N2P_PG_MAX_COLUMNS 1600
#define N2P_PG_MAX_ROW_BYTES 8160

/*
 * The most bytes a column of type t can take in a table row, alignment
 * included: a fixed-width type its width; a varlena (text, jsonb, arrays,
 * points) at most 24 bytes, since TOAST moves out every larger one when
 * the row needs it (it leaves values of up to 24 bytes, the size of its
 * own pointer, in place).
 */
size_t		n2p_column_max_bytes(N2pColumnType t);

/* One key of a label or relationship type, for n2p_typed_fit. */
typedef struct N2pKeyFit
{
	N2pStr		key;
	uint64_t	values;			/* how many values it has there */
	N2pColumnType type;
} N2pKeyFit;

/*
 * Which keys get a column in the typed view (tables false) or table of one
 * label (kind N2P_REC_NODE) or relationship type, within PostgreSQL's
 * limits: keys with the most values first, then by key; each key that
 * still fits gets one (in a table, a row with every key set must fit in a
 * page).  Sets fits[i]; order is scratch for n pointers.  Returns how many
 * fit.
 */
size_t		n2p_typed_fit(const N2pKeyFit *keys, size_t n, N2pRecKind kind, bool tables,
						  const N2pKeyFit **order, bool *fits);

/*
 * Can PostgreSQL hold this value in the column type made for its Neo4j
 * type?  False for years outside 1..9999 (the canonical text of other
 * years does not cast), time offsets beyond +-15:59:59, durations whose
 * months or days overflow int32 or whose time overflows microseconds.
 * Lists: every element.  Nanoseconds are not a reason: they are rounded.
 */
bool		n2p_pg_castable(const N2pValue *v);

/*
 * Fields of typed columns for COPY, in text or binary format.  A value the
 * column cannot hold (see n2p_pg_castable, non-finite point coordinates)
 * is written as NULL and *lost is set, so that the caller keeps it
 * elsewhere; in an array column such an element is a NULL element, and
 * *lost is set too.
 */
struct N2pPgEncodeOpts;
typedef struct N2pTypedEncoder
{
	bool		postgis;		/* points as PostGIS geometry, else the composite */
	struct N2pPgEncodeOpts *opts;	/* U+0000 handling */

	/*
	 * Binary arrays name their element type's OID.  These two are not
	 * fixed: the caller asks the target and sets them (0 when absent);
	 * only arrays of points need them.
	 */
	uint32_t	geometry_oid;	/* PostGIS geometry */
	uint32_t	point_oid;		/* the composite (srid int4, x, y, z float8) */
	N2pBuf		field;			/* scratch, reused for every field */
	N2pBuf		elem;
} N2pTypedEncoder;

void		n2p_typed_encoder_init(N2pTypedEncoder *enc, const N2pAllocator *alloc,
								   bool postgis, struct N2pPgEncodeOpts *opts);
void		n2p_typed_encoder_free(N2pTypedEncoder *enc);

/*
 * Append v as one field of a text-format COPY row for a column of type t
 * (escaped, no delimiter): the canonical ISO text, EWKT or the
 * composite's text, which PostgreSQL's input functions cast.
 */
bool		n2p_copy_text_typed(N2pTypedEncoder *enc, N2pBuf *out, const N2pValue *v,
								N2pColumnType t, bool *lost, N2pError *err);

/*
 * Append v as one field of a binary-format COPY row (int32 length, then
 * the type's binary form) for a column of type t.  The value is exactly
 * the one PostgreSQL 15 makes of n2p_copy_text_typed's text, nanoseconds
 * rounded the same way, and the same values are lost.  Points are EWKB
 * with postgis, else a binary record of the composite.  A value whose
 * type is not the column's is an N2P_ERR_USAGE error, as is an array of
 * points whose element OID is not set.  On error out is left as it was.
 */
bool		n2p_copy_binary_typed(N2pTypedEncoder *enc, N2pBuf *out, const N2pValue *v,
								  N2pColumnType t, bool *lost, N2pError *err);

/* Append a text-COPY field for arbitrary text (escaping \, tab, CR, LF). */
bool		n2p_copy_text_escape(N2pBuf *out, const char *s, size_t len);

#endif							/* NEO2PG_TYPEMAP_H */
