/*-------------------------------------------------------------------------
 *
 * cmd_inspect.c
 *	  neo2pg inspect SOURCE: read a whole source and describe it (counts,
 *	  labels, types, keys with their Neo4j types, constraints, problems)
 *	  without loading anything.
 *
 * Row-level problems (a bad literal, a wrong digest, U+0000, a duplicate
 * id, a dangling relationship) are collected and the scan goes on, so one
 * run lists them all; a broken file (bad gzip, invalid JSON) ends it.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/cli/cmd_inspect.c
 *
 *-------------------------------------------------------------------------
 */
#include "cli.h"
#include "neo4j_conn.h"
#include "neo2pg/backup.h"
#include "neo2pg/catalog.h"
#include "neo2pg/pgcopy.h"
#include "neo2pg/typemap.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LISTED_PROBLEMS 20
/* Node ids are checked with a bitmap of at most this many bits (32 MB). */
#define MAX_ID_BITS (1ull << 28)

typedef struct Inspect
{
	N2pCatalog *cat;
	uint64_t	count[2];
	uint64_t	problems;
	uint8_t    *seen;			/* node id bitmap */
	uint64_t	seen_bits;
	uint64_t	unchecked_ids;	/* ids beyond the bitmap */
} Inspect;

static void
problem(Inspect *in, const N2pError *err)
{
	if (in->problems++ < MAX_LISTED_PROBLEMS)
		log_n2p_error(err);
}

static bool
strings_have_nul(const N2pValue *v)
{
	size_t		i;

	if (v->type == N2P_STRING)
		return memchr(v->u.str.ptr, '\0', v->u.str.len) != NULL;
	if (v->type == N2P_LIST)
		for (i = 0; i < v->u.list.n; i++)
			if (strings_have_nul(&v->u.list.items[i]))
				return true;
	return false;
}

static void
row_problem(Inspect *in, const N2pRecord *rec, const N2pStr *key, const char *msg)
{
	N2pError	err;

	n2p_error_init(&err);
	snprintf(err.file, sizeof(err.file), "%s", rec->origin ? rec->origin : "");
	err.row_kind = rec->kind == N2P_REC_NODE ? "node" : "relationship";
	err.row_id = rec->id;
	if (key)
		n2p_error_set_key(&err, key->ptr, key->len);
	n2p_error_set(&err, N2P_ERR_DATA, "%s", msg);
	problem(in, &err);
}

/* Returns -1 when the id is outside the bitmap, else whether it was set. */
static int
id_test(Inspect *in, int64_t id, bool set)
{
	uint64_t	u = (uint64_t) id;

	if (id < 0 || u >= MAX_ID_BITS)
		return -1;
	if (u >= in->seen_bits)
	{
		uint64_t	bits = in->seen_bits ? in->seen_bits : 1 << 16;
		uint8_t    *p;

		while (bits <= u)
			bits *= 2;
		if (!set || (p = realloc(in->seen, bits / 8)) == NULL)
			return 0;
		memset(p + in->seen_bits / 8, 0, (bits - in->seen_bits) / 8);
		in->seen = p;
		in->seen_bits = bits;
	}
	if (in->seen[u / 8] & (1 << (u % 8)))
		return 1;
	if (set)
		in->seen[u / 8] |= (uint8_t) (1 << (u % 8));
	return 0;
}

/* Labels and types longer than the layout's indexes hold. */
static void
check_names(Inspect *in, const N2pRecord *rec)
{
	bool		node = rec->kind == N2P_REC_NODE;
	size_t		i,
				n = node ? rec->nlabels : 1;

	for (i = 0; i < n; i++)
	{
		N2pStr		name = node ? rec->labels[i] : rec->type;
		N2pError	err;

		n2p_error_init(&err);
		if (!n2p_pg_check_name(node, name.ptr, name.len, &err))
			row_problem(in, rec, NULL, err.msg);
	}
}

static void
check_record(Inspect *in, const N2pRecord *rec)
{
	char		msg[128];
	size_t		i;

	check_names(in, rec);

	for (i = 0; i < rec->props.u.map.n; i++)
	{
		const N2pStr *key = &rec->props.u.map.keys[i];

		if (memchr(key->ptr, '\0', key->len))
			row_problem(in, rec, key, "the key contains U+0000, which PostgreSQL cannot store "
						"(--replace-nul replaces it)");
		if (strings_have_nul(&rec->props.u.map.vals[i]))
			row_problem(in, rec, key, "string contains U+0000, which PostgreSQL cannot store");
	}
	if (rec->kind == N2P_REC_NODE)
	{
		int			r = id_test(in, rec->id, true);

		if (r == 1)
			row_problem(in, rec, NULL, "duplicate node id");
		in->unchecked_ids += r < 0;
		return;
	}
	if (id_test(in, rec->start_id, false) == 0)
	{
		snprintf(msg, sizeof(msg), "start node %lld is not in the source", (long long) rec->start_id);
		row_problem(in, rec, NULL, msg);
	}
	if (id_test(in, rec->end_id, false) == 0)
	{
		snprintf(msg, sizeof(msg), "end node %lld is not in the source", (long long) rec->end_id);
		row_problem(in, rec, NULL, msg);
	}
}

static void
print_meta(const N2pGraphMeta *m, const Inspect *in)
{
	size_t		i;

	printf("Source:         %s\n", m->source);
	printf("Database id:    %s\n", m->db_id ? m->db_id : "(unknown)");
	/* a backup's files, or Neo4j's replies; PostgreSQL's are not counted */
	if (m->node_bytes || m->rel_bytes)
	{
		const char *where = m->wire_bytes ? "received" : "on disk";

		printf("Nodes:          %llu (%llu bytes %s)\n", (unsigned long long) in->count[0],
			   (unsigned long long) m->node_bytes, where);
		printf("Relationships:  %llu (%llu bytes %s)\n", (unsigned long long) in->count[1],
			   (unsigned long long) m->rel_bytes, where);
	}
	else
	{
		printf("Nodes:          %llu\n", (unsigned long long) in->count[0]);
		printf("Relationships:  %llu\n", (unsigned long long) in->count[1]);
	}
	printf("\nUniqueness constraints:%s\n", m->nconstraints ? "" : " none");
	for (i = 0; i < m->nconstraints; i++)
		printf("  %s: (:%s).%s is unique\n", m->constraints[i].name ? m->constraints[i].name : "",
			   m->constraints[i].label, m->constraints[i].prop);
	if (m->element_ids)
	{
		printf("\nConstraints and indexes in Neo4j:%s\n", m->nschema ? "" : " none");
		for (i = 0; i < m->nschema; i++)
			printf("  %s %s (%s): %s\n", m->schema[i].kind, m->schema[i].name, m->schema[i].type,
				   m->schema[i].create);
	}
}

/* The column type a key gets: from all the catalog rows of that key. */
static void
key_pg_type(const N2pCatalogEntry *e, size_t n, size_t at, char *buf, size_t len)
{
	size_t		i = at;

	while (i < n && e[i].key && n2p_catalog_same_key(&e[i], &e[at]) &&
		   n2p_catalog_same_scope(&e[i], &e[at]))
		i++;
	n2p_column_type_sql(n2p_key_column_type(e + at, i - at), true, "neo4j_point", buf, len);
}

/*
 * Which keys of the scope whose row is e[at] get a column in a typed view
 * and in a typed table (n2p_typed_fit, as the load decides).  view[k] and
 * table[k] are set for the scope's k-th key; returns how many keys.
 */
static size_t
scope_fit(const N2pCatalogEntry *e, size_t n, size_t at, bool **view, bool **table,
		  size_t *nview, size_t *ntable)
{
	size_t		i,
				k = 0,
				end = at + 1;
	N2pKeyFit  *keys;
	const N2pKeyFit **order;

	/* sized by the scope's rows, not all of them: a graph may have many scopes */
	while (end < n && e[end].key)
		end++;
	keys = calloc(end - at, sizeof(N2pKeyFit));
	order = calloc(end - at, sizeof(N2pKeyFit *));
	*view = calloc(end - at, sizeof(bool));
	*table = calloc(end - at, sizeof(bool));
	if (!keys || !order || !*view || !*table)
		exit_out_of_memory();
	for (i = at + 1; i < end; i++)
	{
		size_t		j;

		keys[k] = (N2pKeyFit) {{e[i].key, e[i].key_len}, 0, {0}};
		for (j = i; j < end && n2p_catalog_same_key(&e[j], &e[i]); j++)
			keys[k].values += e[j].count;
		keys[k++].type = n2p_key_column_type(e + i, j - i);
		i = j - 1;
	}
	*nview = n2p_typed_fit(keys, k, e[at].kind, false, order, *view);
	*ntable = n2p_typed_fit(keys, k, e[at].kind, true, order, *table);
	free(keys);
	free(order);
	return k;
}

static void
print_catalog(Inspect *in)
{
	size_t		n,
				i,
				key_start = 0,
				nkeys = 0,
				nview = 0,
				ntable = 0,
				kth = 0;
	const N2pCatalogEntry *e = n2p_catalog_entries(in->cat, &n);
	int			kind = -1;
	char		pg_type[160] = "";
	char		shown[N2P_ERR_KEY_MAX];
	bool	   *view = NULL,
			   *table = NULL,
				limited = false;

	for (i = 0; i < n; i++)
	{
		if ((int) e[i].kind != kind)
		{
			kind = (int) e[i].kind;
			printf("\n%-20s %-22s %-18s %-24s %9s %s\n", kind == N2P_REC_NODE ? "Label" : "Type",
				   "Key", "Neo4j type", "PostgreSQL type", "Values", "Not castable");
		}
		if (e[i].key == NULL)
		{
			printf("%-20s %-22s %-18s %-24s %9llu\n", e[i].scope[0] ? e[i].scope : "(no label)",
				   "", "", "", (unsigned long long) e[i].count);
			free(view);
			free(table);
			nkeys = scope_fit(e, n, i, &view, &table, &nview, &ntable);
			kth = 0;
			if (e[i].scope[0] && (nview < nkeys || ntable < nkeys))
				printf("%-20s %zu keys: columns for %zu in a typed view, %zu in a typed table\n",
					   "", nkeys, nview, ntable);
			continue;
		}
		/* the PostgreSQL type belongs to the key: show it on its first row */
		if (i == 0 || e[i - 1].key == NULL || !n2p_catalog_same_key(&e[i - 1], &e[i]))
		{
			key_start = i;
			key_pg_type(e, n, key_start, pg_type, sizeof(pg_type));
			/* marked: no column in a typed table (*), nor in a view (**) */
			if (e[i].scope[0] && !table[kth])
				strcat(pg_type, view[kth] ? " *" : " **");
			limited |= e[i].scope[0] && !table[kth];
			kth++;
		}
		/* escaped: a key may hold U+0000 or control characters */
		printf("%-20s %-22s %-18s %-24s %9llu %llu\n", "",
			   n2p_escape_text(e[i].key, e[i].key_len, shown, sizeof(shown)), e[i].type,
			   i == key_start ? pg_type : "", (unsigned long long) e[i].count,
			   (unsigned long long) e[i].not_castable);
	}
	free(view);
	free(table);
	if (limited)
		printf("\n*  no column in a typed table, ** nor in a typed view: PostgreSQL allows 1600\n"
			   "columns per relation, and a table row must fit in 8160 bytes.  The keys with\n"
			   "the most values (then by name) get columns; the others stay in props.\n");
	printf("\nPoints become PostGIS geometry when the target has PostGIS, the composite\n"
		   "type neo4j_point otherwise.  Not castable: values a native column cannot hold\n"
		   "(years outside 1..9999, offsets beyond +-15:59:59, huge durations); they read\n"
		   "as NULL in typed columns and stay exact in props.\n");
}

static int
inspect_source(N2pSource *src, Inspect *in)
{
	N2pRecord	rec;
	N2pError	err;
	int			rc;

	for (;;)
	{
		n2p_error_init(&err);
		rc = src->ops->next(src, &rec, &err);
		if (rc == 0)
			return 0;
		if (rc < 0)
		{
			problem(in, &err);
			/*
			 * A row that parsed but did not convert (bad literal, digest)
			 * leaves the reader at the next row: go on.
			 */
			if (err.row_kind && (err.code == N2P_ERR_DATA || err.code == N2P_ERR_SYNTAX))
			{
				/* a bad node still exists: its edges are not dangling */
				if (err.row_id >= 0 && strcmp(err.row_kind, "node") == 0)
					id_test(in, err.row_id, true);
				continue;
			}
			return -1;
		}
		in->count[rec.kind]++;
		check_record(in, &rec);
		if (!n2p_catalog_add(in->cat, &rec, &err))
			return (problem(in, &err), -1);
	}
}

int
cmd_inspect(int argc, char **argv)
{
	static const struct option opts[] = {{"help", no_argument, NULL, 'h'},
		{"user", required_argument, NULL, 'U'}, {"database", required_argument, NULL, 'd'},
		{"schema", required_argument, NULL, 's'}, {"source-schema", required_argument, NULL, 's'},
		{"zone-offsets", required_argument, NULL, 'O'},
	{NULL, 0, NULL, 0}};
	Neo4jCliOptions neo = {NULL, NULL, 0, false};
	Inspect		in = {0};
	N2pError	err;
	N2pSource  *src;
	int			c,
				rc;

	while ((c = getopt_long(argc, argv, "hs:", opts, NULL)) != -1)
	{
		if (c == 's')
		{
			cli_source_schema = optarg;
			continue;
		}
		if (c == 'O')
		{
			if (!neo4j_cli_zone_offsets(optarg, &neo))
				return EXIT_USAGE;
			continue;
		}
		if (c == 'U' || c == 'd')
		{
			*(c == 'U' ? &neo.user : &neo.database) = optarg;
			continue;
		}
		printf("Usage:\n  neo2pg inspect [--user=NAME] [--database=NAME] [--zone-offsets=host|server]\n"
			   "                 [-s SCHEMA] SOURCE\n\n"
			   "Read SOURCE (a neo4j-backup directory, a Neo4j URI: bolt://, neo4j://,\n"
			   "with +s or +ssc, or the neo2pg layout in PostgreSQL: postgresql://... or a\n"
			   "conninfo string, in schema SCHEMA, default neo4j) and print its counts, labels, relationship types, keys\n"
			   "with their Neo4j types, constraints and indexes, and the problems that\n"
			   "would stop a load.  Exit status 1 when problems are found.\n");
		return c == 'h' ? 0 : EXIT_USAGE;
	}
	if (argc - optind != 1)
	{
		log_error("inspect needs exactly one SOURCE");
		return EXIT_USAGE;
	}
	n2p_error_init(&err);
	if ((src = cli_open_source(argv[optind], &neo, &err)) == NULL)
		return err.code == N2P_ERR_USAGE ? EXIT_USAGE : EXIT_DATA;
	in.cat = n2p_catalog_new(&n2p_libc_allocator);
	rc = inspect_source(src, &in);
	print_meta(&src->meta, &in);
	print_catalog(&in);
	printf("\nProblems: %llu%s\n", (unsigned long long) in.problems,
		   rc < 0 ? " (the scan stopped at a broken file)" : "");
	if (in.unchecked_ids)
		printf("  (%llu node ids were too large to check for duplicates and dangling ends)\n",
			   (unsigned long long) in.unchecked_ids);
	n2p_catalog_free(in.cat);
	free(in.seen);
	src->ops->close(src);
	return in.problems || rc < 0 ? EXIT_DATA : 0;
}
