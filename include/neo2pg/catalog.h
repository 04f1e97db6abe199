/*-------------------------------------------------------------------------
 *
 * catalog.h
 *	  What a stream holds, counted as it passes: labels, relationship types,
 *	  and for each of them every property key with its Neo4j types.
 *
 * Used by "neo2pg inspect" and to choose the column types of the typed
 * views and tables.  Memory grows with the schema of the graph (distinct
 * label/key/type combinations), never with the number of rows.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  include/neo2pg/catalog.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_CATALOG_H
#define NEO2PG_CATALOG_H

#include "neo2pg/stream.h"

/*
 * scope and key are counted: a key may hold any byte (inspect reads keys
 * with U+0000), so a C string would cut it.  Both are NUL-terminated too.
 */
typedef struct N2pCatalogEntry
{
	N2pRecKind	kind;			/* node label or relationship type */
	char	   *scope;			/* the label ("" for unlabeled nodes) or type */
	size_t		scope_len;
	char	   *key;			/* NULL for the scope's own row count */
	size_t		key_len;
	char	   *type;			/* Neo4j type name, "list<date>", "point(4326)";
								 * NULL for the scope's row */
	uint64_t	count;
	uint64_t	not_castable;	/* values PostgreSQL's native type cannot hold */
} N2pCatalogEntry;

typedef struct N2pCatalog N2pCatalog;

/* Order of counted strings: bytes, then length (a prefix sorts first). */
int			n2p_counted_cmp(const char *a, size_t alen, const char *b, size_t blen);

/* Do two entries name the same key (both NULL: the scope rows)? */
static inline bool
n2p_catalog_same_key(const N2pCatalogEntry *a, const N2pCatalogEntry *b)
{
	if (a->key == NULL || b->key == NULL)
		return a->key == b->key;
	return n2p_counted_cmp(a->key, a->key_len, b->key, b->key_len) == 0;
}

static inline bool
n2p_catalog_same_scope(const N2pCatalogEntry *a, const N2pCatalogEntry *b)
{
	return a->kind == b->kind &&
		n2p_counted_cmp(a->scope, a->scope_len, b->scope, b->scope_len) == 0;
}

N2pCatalog *n2p_catalog_new(const N2pAllocator *alloc);
bool		n2p_catalog_add(N2pCatalog *cat, const N2pRecord *rec, N2pError *err);

/* Entries sorted by kind, scope, key (scope row first), type. */
const N2pCatalogEntry *n2p_catalog_entries(N2pCatalog *cat, size_t *n);
void		n2p_catalog_free(N2pCatalog *cat);

/*
 * Neo4j type name of a property value, lists as "list<elem>" ("list" if
 * empty), points with their SRID: "point(4326)".
 */
void		n2p_value_type_name(const N2pValue *v, char *buf, size_t len);

#endif							/* NEO2PG_CATALOG_H */
