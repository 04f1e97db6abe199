/*-------------------------------------------------------------------------
 *
 * pgcopy.h
 *	  Encoding the stream for PostgreSQL: property maps as the JSON text of
 *	  the props/prop_types jsonb columns, and rows in binary COPY format.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  include/neo2pg/pgcopy.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_PGCOPY_H
#define NEO2PG_PGCOPY_H

#include "neo2pg/stream.h"

typedef struct N2pPgEncodeOpts
{
	/*
	 * PostgreSQL text and jsonb cannot hold U+0000.  NULL makes a NUL byte
	 * an error naming the key; otherwise it is replaced by this UTF-8 text
	 * and counted in nul_replaced.
	 */
	const char *nul_replacement;
	uint64_t	nul_replaced;
	/* the rows end with an element_id column (a live Neo4j source) */
	bool		element_ids;
} N2pPgEncodeOpts;

/*
 * U+0000 in a key.  A key is a name in props, in prop_types, in the catalog
 * and as a typed column, so every one of them must see the same text:
 * the record's keys are made storable once, before anything else reads
 * them.  Without a replacement a key holding U+0000 is an error naming it
 * (escaped); with one, it is replaced as in values and counted, and a key
 * that then equals another key of the row is an error naming both.
 */
typedef struct N2pPgKeyFix
{
	N2pArena	arena;			/* the replaced keys of the last row */
	N2pKeySet	set;
	N2pRecord	rec;
} N2pPgKeyFix;

void		n2p_pg_keyfix_init(N2pPgKeyFix *kf, const N2pAllocator *alloc);
void		n2p_pg_keyfix_free(N2pPgKeyFix *kf);

/*
 * *out is rec itself when no key holds U+0000 (the common case: one memchr
 * per key), else kf's copy of it with the keys replaced, valid until the
 * next call.
 */
bool		n2p_pg_storable_keys(N2pPgKeyFix *kf, const N2pRecord *rec,
								 struct N2pPgEncodeOpts *opts, const N2pRecord **out,
								 N2pError *err);

/*
 * Append the JSON text of a property map to out (what goes into props)
 * and, to types, the JSON object mapping each key whose value is not plain
 * JSON to its Neo4j type; types is left empty when no key needs one.
 * See docs/design.md, "Values in props".
 */
bool		n2p_pg_props_json(const N2pValue *props, N2pBuf *out, N2pBuf *types,
							  N2pPgEncodeOpts *opts, N2pError *err);

/*
 * Append one value as the JSON text used in props; *mark gets its Neo4j
 * type name when it is not plain JSON (see n2p_pg_props_json), and
 * "mixed" for a list of several types one of which needs a mark, which
 * prop_types cannot record (n2p_pg_props_json refuses it).
 */
bool		n2p_pg_value_json(N2pBuf *out, const N2pValue *v, const char **mark,
							  N2pPgEncodeOpts *opts, N2pError *err);

/* Append s as a JSON string literal (quotes included). */
bool		n2p_json_append_string(N2pBuf *out, const char *s, size_t len,
								   N2pPgEncodeOpts *opts, N2pError *err);

/* Binary COPY primitives (PostgreSQL's documented file format). */
bool		n2p_copy_header(N2pBuf *out);
bool		n2p_copy_trailer(N2pBuf *out);
bool		n2p_copy_tuple(N2pBuf *out, int16_t nfields);
bool		n2p_copy_null(N2pBuf *out);
bool		n2p_copy_nulls(N2pBuf *out, size_t n);
bool		n2p_copy_int8(N2pBuf *out, int64_t v);
bool		n2p_copy_text(N2pBuf *out, const char *s, size_t len, N2pError *err);
bool		n2p_copy_text_array(N2pBuf *out, const N2pStr *items, size_t n, N2pError *err);
/* A jsonb field from its JSON text (binary jsonb: version 1, the text). */
bool		n2p_copy_jsonb(N2pBuf *out, const char *json, size_t len);

/*
 * The longest text PostgreSQL 15 (8 kB pages) indexes whatever its bytes.
 * A btree entry has at most 2704 bytes, 12 of them headers; a GIN entry
 * 2712.  Longer text fits only when the server's compression shrinks it
 * enough, which is not known before the index is built.
 */
#define N2P_PG_MAX_BTREE_BYTES 2692
#define N2P_PG_MAX_GIN_BYTES 2700

/*
 * A label must fit the GIN index on nodes.labels, a relationship type the
 * btree on relationships.type: else an N2P_ERR_DATA error naming it (its
 * start) and the limit.
 */
bool		n2p_pg_check_name(bool label, const char *s, size_t len, N2pError *err);

/*
 * At least as many bytes as the text of v in props (props->>key), and as
 * a string's typed text column: what decides whether an index on it fits.
 * Exact for strings (after U+0000 replacement), a generous bound for the
 * rest: jsonb prints floats in plain notation, 5e-324 with 324 zeros.
 */
size_t		n2p_pg_text_bound(const N2pValue *v, const N2pPgEncodeOpts *opts);

/* Can s go into text and jsonb: valid UTF-8 without U+0000? */
bool		n2p_pg_text_valid(const char *s, size_t len);

/*
 * The rows of the neo2pg base layout:
 *	 nodes(id, labels, props, prop_types [, element_id])
 *	 relationships(id, type, start_id, end_id, props, prop_types [, element_id])
 * types is scratch space owned by the caller.
 */
bool		n2p_copy_record(N2pBuf *out, const N2pRecord *rec, N2pBuf *types,
							N2pPgEncodeOpts *opts, N2pError *err);

#endif							/* NEO2PG_PGCOPY_H */
