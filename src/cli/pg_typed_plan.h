/*-------------------------------------------------------------------------
 *
 * pg_typed_plan.h
 *	  What pg_typed.c decides for the typed views and tables (names,
 *	  column types) and shares with pg_typed_tables.c.  Private to the CLI.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/cli/pg_typed_plan.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_PG_TYPED_PLAN_H
#define NEO2PG_PG_TYPED_PLAN_H

#include "pg_typed.h"
#include "neo2pg/typemap.h"

#define NAMEDATALEN 64

typedef struct NameSet
{
	char	  **names;
	size_t		n;
	size_t		cap;
} NameSet;

/* Keys and scopes are counted, as in the catalog. */
typedef struct KeyPlan
{
	const char *key;
	size_t		key_len;
	N2pColumnType type;
	uint64_t	values;
	uint64_t	not_castable;
	char		column[NAMEDATALEN];
	char		ukey[NAMEDATALEN];	/* typed tables: its UNIQUE constraint, or "" */
	bool		ukey_hash;		/* as an exclusion constraint on a hash index */
	char		pg_type[128];	/* as the catalog shows it */
	char		pg_type_sql[256];	/* for DDL: PostGIS's type qualified */
} KeyPlan;

typedef struct ScopePlan
{
	N2pRecKind	kind;
	const char *scope;
	size_t		scope_len;
	char		relation[NAMEDATALEN];
	char		pkey[NAMEDATALEN];	/* typed tables: the primary key's name */
	KeyPlan    *keys;			/* the keys with a column, by key */
	size_t		nkeys;
	size_t		nomitted;		/* keys past PostgreSQL's limits: in props only */
	bool		dedicated;		/* typed tables: has a spill file of its own */
} ScopePlan;

typedef struct Plan
{
	ScopePlan  *scopes;
	size_t		nscopes;
	const N2pCatalogEntry *entries;
	size_t		nentries;
} Plan;

/* Names the schema already uses: relations, indexes and types share them. */
bool		typed_taken_names(PGconn *conn, const TypedTarget *t, NameSet *out, N2pError *err);
void		typed_name_set_free(NameSet *set);
void		typed_plan_build(Plan *p, N2pCatalog *cat, const TypedTarget *t, const NameSet *taken);
void		typed_plan_free(Plan *p);

/* The n2p_try_* cast functions and, without PostGIS, the point type. */
bool		typed_create_helpers(PGconn *conn, const TypedTarget *t, N2pBuf *b, N2pError *err);

/* The catalog table: every entry, with the relation and column it ended in. */
bool		typed_write_catalog(PGconn *conn, const TypedTarget *t, const Plan *p, N2pError *err);

#endif							/* NEO2PG_PG_TYPED_PLAN_H */
