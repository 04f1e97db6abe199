/*-------------------------------------------------------------------------
 *
 * pgplan.h
 *	  The typed layer of the PostgreSQL layout as pure logic: which label
 *	  and relationship type gets which relation, which key which column of
 *	  which type, and the DDL text that makes them.  No libpq: the CLI runs
 *	  the statements, and IMPORT FOREIGN SCHEMA, a PostgreSQL source and
 *	  verify can build the same plan.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  include/neo2pg/pgplan.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_PGPLAN_H
#define NEO2PG_PGPLAN_H

#include "neo2pg/catalog.h"
#include "neo2pg/typemap.h"

/* PostgreSQL's NAMEDATALEN: names hold at most 63 bytes. */
#define N2P_PG_NAMEDATALEN 64

/*
 * Quoting, appended to b.  The text is UTF-8 (the CLI's client_encoding),
 * in which no byte of a multibyte character is a quote or a backslash, so
 * quoting byte by byte is exact.  U+0000 cannot be said in SQL: it is an
 * error (the sink has refused or replaced it already).
 * - An identifier is always double-quoted, its double quotes doubled:
 *   PQescapeIdentifier's and quote_ident's form.
 * - A literal is single-quoted, its single quotes doubled.  When it holds
 *   a backslash it is written " E'...'" with the backslashes doubled, as
 *   PQescapeLiteral does: right whatever standard_conforming_strings is
 *   (a role or database may turn it off), and the leading space keeps it
 *   apart from a preceding identifier.
 */
bool		n2p_pg_quote_ident(N2pBuf *b, const char *s, size_t len, N2pError *err);
bool		n2p_pg_quote_literal(N2pBuf *b, const char *s, size_t len, N2pError *err);

/* Cut s to at most max bytes without splitting a UTF-8 character. */
void		n2p_pg_name_cut(char *s, size_t max);

/* A set of names (relations, indexes, types share one namespace). */
typedef struct N2pNameSet
{
	const N2pAllocator *alloc;
	char	  **names;
	size_t		n;
	size_t		cap;
} N2pNameSet;

void		n2p_name_set_init(N2pNameSet *set, const N2pAllocator *alloc);
bool		n2p_name_set_has(const N2pNameSet *set, const char *name);
/* False when out of memory. */
bool		n2p_name_set_add(N2pNameSet *set, const char *name);
void		n2p_name_set_free(N2pNameSet *set);

/*
 * The names the base layout's keys and indexes take, whether or not they
 * exist yet: typed tables are planned before those are built.  False when
 * out of memory.
 */
bool		n2p_pg_reserve_index_names(N2pNameSet *set, const N2pGraphMeta *meta);

/* Where the typed relations go, and what the DDL may refer to. */
typedef struct N2pPgTarget
{
	const char *qschema;		/* the schema, quoted */
	const char *postgis_schema; /* PostGIS's schema, quoted; NULL without */
	char		point_type[160];	/* qualified composite used without PostGIS */
	bool		tables;			/* typed tables rather than views */
	const N2pGraphMeta *meta;	/* uniqueness constraints, zone ids */
	const bool *unique_hash;	/* per constraint: a hash, not a btree (NULL: none) */
} N2pPgTarget;

/* Keys and scopes are counted, as in the catalog. */
typedef struct N2pPgKeyPlan
{
	const char *key;
	size_t		key_len;
	N2pColumnType type;
	uint64_t	values;
	uint64_t	not_castable;
	char		column[N2P_PG_NAMEDATALEN];
	char		ukey[N2P_PG_NAMEDATALEN];	/* typed tables: its UNIQUE constraint, or "" */
	bool		ukey_hash;		/* as an exclusion constraint on a hash index */
	char		pg_type[128];	/* as the catalog shows it */
	char		pg_type_sql[256];	/* for DDL: PostGIS's type qualified */
} N2pPgKeyPlan;

typedef struct N2pPgScopePlan
{
	N2pRecKind	kind;
	const char *scope;
	size_t		scope_len;
	char		relation[N2P_PG_NAMEDATALEN];
	char		pkey[N2P_PG_NAMEDATALEN];	/* typed tables: the primary key's name */
	N2pPgKeyPlan *keys;			/* the keys with a column, by key */
	size_t		nkeys;
	size_t		nomitted;		/* keys past PostgreSQL's limits: in props only */
	bool		dedicated;		/* the CLI's: the table has a spill file of its own */
} N2pPgScopePlan;

/* Scopes in the catalog's order (kind, then scope bytewise). */
typedef struct N2pPgPlan
{
	const N2pAllocator *alloc;
	N2pPgScopePlan *scopes;
	size_t		nscopes;
	const N2pCatalogEntry *entries;
	size_t		nentries;
} N2pPgPlan;

/*
 * Plan the typed relations of every label and relationship type in cat.
 * taken: every name the schema already uses (and those reserved by
 * n2p_pg_reserve_index_names).  The plan points into cat, which must
 * outlive it.  False only when out of memory.
 */
bool		n2p_pg_plan_build(N2pPgPlan *p, const N2pAllocator *alloc, N2pCatalog *cat,
							  const N2pPgTarget *t, const N2pNameSet *taken, N2pError *err);
void		n2p_pg_plan_free(N2pPgPlan *p);

/* One row of the catalog table; the strings point into the plan. */
typedef struct N2pPgCatalogRow
{
	const char *kind;			/* "label" or "type" */
	const char *scope;
	const char *key;			/* NULL: the scope's own row */
	const char *neo4j_type;
	const char *pg_type;		/* NULL: no column */
	uint64_t	values;
	uint64_t	not_castable;
	const char *relation;		/* NULL: no typed relation */
	const char *column;
	const char *note;			/* why a key has no column, or NULL */
} N2pPgCatalogRow;

/*
 * Catalog entry i with the relation and column it ended in.  Call it for
 * i = 0, 1, ... in order; *cursor (0 before the first) follows the scopes.
 */
void		n2p_pg_plan_catalog_row(const N2pPgPlan *p, const N2pPgTarget *t, size_t i,
									size_t *cursor, N2pPgCatalogRow *row);

/*
 * DDL text.  Each resets b and writes one statement; false with err set
 * when out of memory or a name holds U+0000.
 */
#define N2P_PG_TRY_FUNCTIONS 6
/* The n2p_try_* cast function i (0 .. N2P_PG_TRY_FUNCTIONS - 1). */
bool		n2p_pg_try_function_sql(N2pBuf *b, size_t i, const N2pPgTarget *t, N2pError *err);
/* neo2pg's point composite, used without PostGIS. */
bool		n2p_pg_point_type_sql(N2pBuf *b, const N2pPgTarget *t, N2pError *err);
bool		n2p_pg_catalog_table_sql(N2pBuf *b, const N2pPgTarget *t, N2pError *err);
bool		n2p_pg_view_sql(N2pBuf *b, const N2pPgScopePlan *sp, const N2pPgTarget *t,
							N2pError *err);
bool		n2p_pg_table_sql(N2pBuf *b, const N2pPgScopePlan *sp, const N2pPgTarget *t,
							 N2pError *err);
/* The primary key and UNIQUE constraints, under the names the plan chose. */
bool		n2p_pg_table_keys_sql(N2pBuf *b, const N2pPgScopePlan *sp, const N2pPgTarget *t,
								  N2pError *err);
/* Relationship tables: their foreign keys to nodes. */
bool		n2p_pg_table_fkeys_sql(N2pBuf *b, const N2pPgScopePlan *sp, const N2pPgTarget *t,
								   N2pError *err);
/* Relationship tables: delete the rows the base table no longer has. */
bool		n2p_pg_table_prune_sql(N2pBuf *b, const N2pPgScopePlan *sp, const N2pPgTarget *t,
								   N2pError *err);
bool		n2p_pg_table_copy_sql(N2pBuf *b, const N2pPgScopePlan *sp, const N2pPgTarget *t,
								  N2pError *err);

#endif							/* NEO2PG_PGPLAN_H */
