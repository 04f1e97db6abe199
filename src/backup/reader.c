/*-------------------------------------------------------------------------
 *
 * reader.c
 *	  Stream a neo4j-backup directory: metadata, then node chunks, then
 *	  relationship chunks, one row at a time.
 *
 * Each row is parsed by the streaming JSON reader into a per-row arena,
 * checked, and turned into an N2pRecord in place: literal strings become
 * temporal/spatial values, hashed strings get their original text back.
 * Memory is bounded by the largest row, whatever the size of a chunk.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/backup/reader.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/backup.h"
#include "neo2pg/pyjson.h"
#include "neo2pg/backup_exact.h"
#include "neo2pg/json.h"
#include "neo2pg/literal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


typedef struct ChunkFile
{
	char	   *name;			/* "data/nodes_8185.json.gz" */
	uint64_t	counter;
	uint64_t	size;
	bool		gzip;
} ChunkFile;

typedef struct ChunkList
{
	ChunkFile  *files;
	size_t		n;
	size_t		cap;
} ChunkList;

typedef struct BackupSource
{
	N2pSource	base;
	const N2pAllocator *alloc;
	const N2pFileIO *io;
	char	   *dir;
	ChunkList	chunks[2];		/* indexed by N2pRecKind */
	N2pRecKind	phase;
	size_t		next_file;		/* index in chunks[phase] */
	size_t		end_file;		/* n2p_backup_select's end, or SIZE_MAX */
	bool		one_kind;		/* n2p_backup_select: no other phase */
	const ChunkFile *cur;		/* open file, or NULL */
	N2pInput   *in;
	N2pJsonReader *reader;
	N2pExactReader *exact;		/* neo2pg's exact values of the open file */
	uint64_t	done_bytes;		/* on-disk bytes of finished files */
	int64_t		last_id;		/* id of the last good row in this file, or -1 */
	N2pArena	row_arena;
	N2pArena	meta_arena;
} BackupSource;

static const N2pSourceOps backup_ops;

/* ------------------------------------------------------------ file list */

static char *
path_join(const N2pAllocator *alloc, const char *a, const char *b)
{
	size_t		la = strlen(a),
				lb = strlen(b);
	char	   *p = n2p_alloc(alloc, la + lb + 2);

	if (p)
	{
		memcpy(p, a, la);
		p[la] = '/';
		memcpy(p + la + 1, b, lb + 1);
	}
	return p;
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t		ls = strlen(s),
				lx = strlen(suffix);

	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

/*
 * The counter is the run of digits after the last '_' of the stem; a name
 * without one sorts first, which is what a single unnumbered chunk needs.
 */
static uint64_t
chunk_counter(const char *stem, size_t len)
{
	size_t		i = len;
	uint64_t	v = 0;

	while (i > 0 && stem[i - 1] >= '0' && stem[i - 1] <= '9')
		i--;
	for (; i < len; i++)
		v = v * 10 + (uint64_t) (stem[i] - '0');
	return v;
}

static bool
chunk_list_add(BackupSource *bs, ChunkList *list, const char *name,
			   size_t stem_len, bool gzip, uint64_t size, N2pError *err)
{
	ChunkFile  *f;

	if (list->n == list->cap)
	{
		size_t		cap = list->cap ? list->cap * 2 : 16;
		ChunkFile  *nf = n2p_realloc(bs->alloc, list->files,
								list->cap * sizeof(ChunkFile), cap * sizeof(ChunkFile));

		if (nf == NULL)
			return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
		list->files = nf;
		list->cap = cap;
	}
	f = &list->files[list->n];
	f->name = path_join(bs->alloc, "data", name);
	if (f->name == NULL)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	list->n++;
	f->counter = chunk_counter(name, stem_len);
	f->gzip = gzip;
	f->size = size;
	return true;
}

static int
chunk_cmp(const void *a, const void *b)
{
	const ChunkFile *x = a,
			   *y = b;

	if (x->counter != y->counter)
		return x->counter < y->counter ? -1 : 1;
	return strcmp(x->name, y->name);
}

static bool
classify_entry(BackupSource *bs, const char *name, uint64_t size, N2pError *err)
{
	size_t		len = strlen(name);
	bool		gzip = ends_with(name, ".json.gz");
	size_t		stem_len;
	char		stem[1024];

	if (!gzip && !ends_with(name, ".json"))
		return true;
	stem_len = len - (gzip ? 8 : 5);
	if (stem_len >= sizeof(stem))
		return true;
	memcpy(stem, name, stem_len);
	stem[stem_len] = '\0';
	/* the Python importer goes by substring; so do we */
	if (strstr(stem, "relationship"))
		return chunk_list_add(bs, &bs->chunks[N2P_REC_REL], name, stem_len, gzip, size, err);
	if (strstr(stem, "node"))
		return chunk_list_add(bs, &bs->chunks[N2P_REC_NODE], name, stem_len, gzip, size, err);
	return true;
}

typedef struct ListArg
{
	BackupSource *bs;
	N2pError   *err;
} ListArg;

static bool
list_entry(void *arg, const char *name, uint64_t size)
{
	ListArg    *a = arg;

	return classify_entry(a->bs, name, size, a->err);
}

static bool
list_chunks(BackupSource *bs, N2pError *err)
{
	char	   *data_dir = path_join(bs->alloc, bs->dir, "data");
	ListArg		arg = {bs, err};
	int			errnum = 0;
	bool		ok;
	int			k;

	if (data_dir == NULL)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	ok = bs->io->list(data_dir, bs->io->ctx, list_entry, &arg, &errnum);
	if (!ok && errnum != 0)
		n2p_error_set(err, N2P_ERR_IO, "not a neo4j-backup directory: cannot open \"%s\": %s",
					  data_dir, strerror(errnum));
	n2p_free(bs->alloc, data_dir);
	if (!ok)
		return false;
	for (k = 0; k < 2; k++)
	{
		size_t		i;

		if (bs->chunks[k].n > 1)	/* qsort(NULL, 0, ...) is undefined */
			qsort(bs->chunks[k].files, bs->chunks[k].n, sizeof(ChunkFile), chunk_cmp);
		for (i = 0; i < bs->chunks[k].n; i++)
			*(k == N2P_REC_NODE ? &bs->base.meta.node_bytes : &bs->base.meta.rel_bytes) +=
				bs->chunks[k].files[i].size;
	}
	return ok;
}

/* ------------------------------------------------------------- metadata */

/*
 * Read one metadata file into the metadata arena.  A missing file gives
 * N2P_NULL: the Python tool always writes them, but a user may have
 * pruned a backup by hand and the data is still loadable.
 */
static bool
read_meta_file(BackupSource *bs, const char *name, N2pValue *out, N2pError *err)
{
	char	   *path = path_join(bs->alloc, bs->dir, name);
	N2pInput   *in;
	N2pJsonReader *r = NULL;
	bool		ok = false,
				absent;

	out->type = N2P_NULL;
	if (path == NULL)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	in = n2p_input_open_optional_io(path, false, bs->io, bs->alloc, &absent, err);
	if (absent)
	{
		n2p_free(bs->alloc, path);
		return true;
	}
	if (in)
		r = n2p_json_reader_new(in, bs->alloc, err);
	if (r)
		ok = n2p_json_parse_document(r, &bs->meta_arena, out, err) == 1;
	/* the name in the backup, as chunk errors do, rather than the full path */
	if (!ok)
		snprintf(err->file, sizeof(err->file), "%s", name);
	if (r)
		n2p_json_reader_free(r);
	if (in)
		n2p_input_close(in);
	n2p_free(bs->alloc, path);
	return ok;
}

static char *
meta_strdup(BackupSource *bs, N2pStr s)
{
	return n2p_arena_strndup(&bs->meta_arena, s.ptr, s.len);
}

/*
 * Metadata strings become C strings and text in load_info, both of which
 * would end at U+0000 and so keep a silently shortened name.
 */
static bool
meta_no_nul(const char *file, N2pStr s, N2pError *err)
{
	if (memchr(s.ptr, '\0', s.len) == NULL)
		return true;
	snprintf(err->file, sizeof(err->file), "%s", file);
	return n2p_error_set(err, N2P_ERR_DATA,
						 "a metadata string holds U+0000, which PostgreSQL cannot store");
}

static bool
meta_string_list(BackupSource *bs, const char *file, char ***out, size_t *n,
				 N2pError *err)
{
	N2pValue	v;
	size_t		i;

	*out = NULL;
	*n = 0;
	if (!read_meta_file(bs, file, &v, err))
		return false;
	if (v.type == N2P_NULL)
		return true;
	if (v.type != N2P_LIST)
		goto bad;
	*out = n2p_arena_alloc(&bs->meta_arena, (v.u.list.n + 1) * sizeof(char *));
	if (*out == NULL)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	for (i = 0; i < v.u.list.n; i++)
	{
		if (v.u.list.items[i].type != N2P_STRING)
			goto bad;
		if (!meta_no_nul(file, v.u.list.items[i].u.str, err))
			return false;
		if (((*out)[i] = meta_strdup(bs, v.u.list.items[i].u.str)) == NULL)
			return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	}
	*n = v.u.list.n;
	return true;

bad:
	snprintf(err->file, sizeof(err->file), "%s", file);
	return n2p_error_set(err, N2P_ERR_DATA, "expected a JSON list of strings");
}

static bool
meta_string(BackupSource *bs, const char *file, const char **out, N2pError *err)
{
	N2pValue	v;

	*out = NULL;
	if (!read_meta_file(bs, file, &v, err))
		return false;
	if (v.type == N2P_STRING)
	{
		if (!meta_no_nul(file, v.u.str, err))
			return false;
		*out = meta_strdup(bs, v.u.str);
	}
	else if (v.type != N2P_NULL)
	{
		snprintf(err->file, sizeof(err->file), "%s", file);
		return n2p_error_set(err, N2P_ERR_DATA, "expected a JSON string");
	}
	return true;
}

static char *
constraint_field(BackupSource *bs, const N2pValue *obj, const char *key)
{
	const N2pValue *v = n2p_map_get(obj, key, strlen(key));

	return (v && v->type == N2P_STRING) ? meta_strdup(bs, v->u.str) : NULL;
}

static bool
meta_fields_no_nul(const char *file, const N2pValue *obj, N2pError *err)
{
	size_t		i;

	for (i = 0; i < obj->u.map.n; i++)
		if (obj->u.map.vals[i].type == N2P_STRING &&
			!meta_no_nul(file, obj->u.map.vals[i].u.str, err))
			return false;
	return true;
}

static bool
meta_constraints(BackupSource *bs, N2pError *err)
{
	const char *file = "uniqueness_constraints.json";
	N2pGraphMeta *m = &bs->base.meta;
	N2pValue	v;
	size_t		i;

	if (!read_meta_file(bs, file, &v, err))
		return false;
	if (v.type == N2P_NULL)
		return true;
	if (v.type != N2P_LIST)
		goto bad;
	m->constraints = n2p_arena_alloc(&bs->meta_arena,
									 (v.u.list.n + 1) * sizeof(N2pConstraint));
	if (m->constraints == NULL)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	for (i = 0; i < v.u.list.n; i++)
	{
		const N2pValue *c = &v.u.list.items[i];
		N2pConstraint *out = &m->constraints[i];

		if (c->type != N2P_MAP)
			goto bad;
		if (!meta_fields_no_nul(file, c, err))
			return false;
		out->label = constraint_field(bs, c, "node_label");
		out->prop = constraint_field(bs, c, "node_prop");
		out->name = constraint_field(bs, c, "constraint_name");
		if (!out->label || !out->prop)
			goto bad;
	}
	m->nconstraints = v.u.list.n;
	return true;

bad:
	snprintf(err->file, sizeof(err->file), "%s", file);
	return n2p_error_set(err, N2P_ERR_DATA,
						 "expected a list of {\"node_label\", \"node_prop\", \"constraint_name\"} objects");
}

static bool
read_metadata(BackupSource *bs, N2pError *err)
{
	N2pGraphMeta *m = &bs->base.meta;

	m->source = bs->dir;
	return meta_string(bs, "db_id.json", &m->db_id, err) &&
		meta_string(bs, "unique_prop_key.json", &m->unique_prop_key, err) &&
		meta_constraints(bs, err) &&
		meta_string_list(bs, "property_keys.json", &m->property_keys,
						 &m->nproperty_keys, err) &&
		meta_string_list(bs, "node_labels.json", &m->label_sets,
						 &m->nlabel_sets, err) &&
		meta_string_list(bs, "rel_types.json", &m->rel_types, &m->nrel_types, err) &&
		n2p_exact_read_graph(bs->dir, bs->io, m, &bs->meta_arena, bs->alloc, err);
}

/* ------------------------------------------------------- row conversion */

bool
n2p_sha256_hex_matches(const char *data, size_t len, N2pStr hex)
{
	char		digest[65];

	if (hex.len != 64)
		return false;
	n2p_sha256_hex(data, len, digest);
	return memcmp(digest, hex.ptr, 64) == 0;
}

/*
 * Neo4j lists hold one type: LocalTime and Time are two, as are
 * LocalDateTime and DateTime, and a list of points has one coordinate
 * system.
 */
static bool
same_neo4j_type(const N2pValue *a, const N2pValue *b)
{
	return a->type == b->type &&
		(a->type != N2P_POINT || a->u.point.srid == b->u.point.srid);
}

/*
 * A list is a list of literals only when every element parses as a
 * literal of one and the same Neo4j type (the Python tool never hashes
 * list elements, so a list is ambiguous; Neo4j could not have stored a
 * mixed one, so such a list was strings).  Parsing goes into a scratch
 * array so a failed attempt leaves the strings untouched.
 */
static bool
convert_list(N2pArena *arena, N2pValue *list, N2pError *err)
{
	size_t		n = list->u.list.n,
				i;
	N2pValue   *parsed;
	N2pError	ignore;

	for (i = 0; i < n; i++)
	{
		const N2pValue *e = &list->u.list.items[i];

		if (e->type != N2P_STRING || !n2p_literal_has_prefix(e->u.str.ptr, e->u.str.len))
			return true;
	}
	if (n == 0)
		return true;
	parsed = n2p_arena_alloc(arena, n * sizeof(N2pValue));
	if (parsed == NULL)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	for (i = 0; i < n; i++)
	{
		const N2pStr s = list->u.list.items[i].u.str;

		n2p_error_init(&ignore);
		if (!n2p_literal_parse(s.ptr, s.len, &parsed[i], arena, &ignore))
			return ignore.code == N2P_ERR_NOMEM ?
				n2p_error_set(err, N2P_ERR_NOMEM, "out of memory") : true;
		if (!same_neo4j_type(&parsed[i], &parsed[0]))
			return true;
	}
	list->u.list.items = parsed;
	return true;
}

static bool
check_list_items(const N2pValue *list, N2pError *err)
{
	size_t		i;

	for (i = 0; i < list->u.list.n; i++)
	{
		N2pType		t = list->u.list.items[i].type;

		if (t == N2P_NULL || t == N2P_LIST || t == N2P_MAP)
			return n2p_error_set(err, N2P_ERR_DATA,
								 "a list property holds a %s element; Neo4j lists hold only scalars",
								 n2p_type_name(t));
	}
	return true;
}

static bool
convert_value(N2pArena *arena, N2pStr key, N2pValue *v, const N2pValue *hash,
			  N2pError *err)
{
	const N2pValue *orig = hash ? n2p_map_get(hash, key.ptr, key.len) : NULL;

	/* an empty token name is refused by Cypher, so this is not Neo4j's */
	if (key.len == 0)
		return n2p_error_set(err, N2P_ERR_DATA,
							 "empty property key \"\" (Neo4j has no empty names)");
	if (orig)
	{
		if (v->type != N2P_STRING || orig->type != N2P_STRING)
			return n2p_error_set(err, N2P_ERR_DATA, "hash_props entry for a non-string value");
		if (!n2p_sha256_hex_matches(orig->u.str.ptr, orig->u.str.len, v->u.str))
			return n2p_error_set(err, N2P_ERR_DATA,
								 "hash_props digest does not match: the value is not the SHA-256 of the original string");
		*v = *orig;
		return true;
	}
	switch (v->type)
	{
		case N2P_STRING:
			if (n2p_literal_has_prefix(v->u.str.ptr, v->u.str.len))
				return n2p_literal_parse(v->u.str.ptr, v->u.str.len, v, arena, err);
			return true;
		case N2P_LIST:
			return check_list_items(v, err) && convert_list(arena, v, err);
		case N2P_NULL:
			return n2p_error_set(err, N2P_ERR_DATA, "null property value (Neo4j never stores null)");
		case N2P_MAP:
			return n2p_error_set(err, N2P_ERR_DATA, "map property value (Neo4j has no map properties)");
		default:
			return true;
	}
}

bool
n2p_backup_convert_props(N2pValue *props, const N2pValue *hash, N2pArena *arena, N2pError *err)
{
	size_t		i;

	if (hash)
	{
		for (i = 0; i < hash->u.map.n; i++)
		{
			N2pStr		k = hash->u.map.keys[i];

			if (n2p_map_get(props, k.ptr, k.len) == NULL)
			{
				n2p_error_set_key(err, k.ptr, k.len);
				return n2p_error_set(err, N2P_ERR_DATA, "hash_props names a key that is not in the properties");
			}
		}
	}
	for (i = 0; i < props->u.map.n; i++)
	{
		if (!convert_value(arena, props->u.map.keys[i], &props->u.map.vals[i], hash, err))
		{
			n2p_error_set_key(err, props->u.map.keys[i].ptr, props->u.map.keys[i].len);
			return false;
		}
	}
	return true;
}

static const N2pValue *
row_field(const N2pValue *row, const char *name, N2pType type, bool optional,
		  N2pError *err)
{
	const N2pValue *v = n2p_map_get(row, name, strlen(name));

	if (v == NULL && optional)
		return NULL;
	if (v == NULL || v->type != type)
	{
		n2p_error_set(err, N2P_ERR_DATA, "row field \"%s\" is %s, expected %s", name,
					  v ? n2p_type_name(v->type) : "missing", n2p_type_name(type));
		return NULL;
	}
	return v;
}

static bool
split_labels(BackupSource *bs, N2pStr s, N2pRecord *rec, N2pError *err)
{
	size_t		n = 1,
				i,
				start = 0,
				k = 0;

	rec->nlabels = 0;
	rec->labels = NULL;
	if (s.len == 0)
		return true;
	for (i = 0; i < s.len; i++)
		n += s.ptr[i] == ':';
	/* ":", ":A", "A:", "A::B": Neo4j has no empty label */
	for (i = 0; i <= s.len; i++)
		if ((i == s.len || s.ptr[i] == ':') && (i == 0 || s.ptr[i - 1] == ':'))
			break;
	if (i <= s.len)
	{
		char		shown[256];

		return n2p_error_set(err, N2P_ERR_DATA,
							 "node_labels \"%s\" holds an empty label (Neo4j has none; \"\" means no label)",
							 n2p_escape_text(s.ptr, s.len, shown, sizeof(shown)));
	}
	rec->labels = n2p_arena_alloc(&bs->row_arena, n * sizeof(N2pStr));
	if (rec->labels == NULL)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	for (i = 0; i <= s.len; i++)
	{
		if (i == s.len || s.ptr[i] == ':')
		{
			rec->labels[k].ptr = s.ptr + start;
			rec->labels[k++].len = i - start;
			start = i + 1;
		}
	}
	rec->nlabels = n;
	return true;
}

static bool
convert_node(BackupSource *bs, const N2pValue *row, N2pRecord *rec, N2pError *err)
{
	const N2pValue *id,
			   *labels,
			   *props,
			   *hash;

	if ((id = row_field(row, "node_id", N2P_INT, false, err)) == NULL)
		return false;
	rec->id = id->u.i;
	err->row_id = rec->id;
	if ((labels = row_field(row, "node_labels", N2P_STRING, false, err)) == NULL ||
		(props = row_field(row, "node_props", N2P_MAP, false, err)) == NULL)
		return false;
	hash = row_field(row, "hash_props", N2P_MAP, true, err);
	if (err->code != N2P_OK || !split_labels(bs, labels->u.str, rec, err))
		return false;
	rec->props = *props;
	return n2p_backup_convert_props(&rec->props, hash, &bs->row_arena, err);
}

static bool
convert_rel(BackupSource *bs, const N2pValue *row, N2pRecord *rec, N2pError *err)
{
	const N2pValue *id,
			   *start,
			   *end,
			   *type,
			   *props,
			   *hash;

	if ((id = row_field(row, "rel_id", N2P_INT, false, err)) == NULL)
		return false;
	rec->id = id->u.i;
	err->row_id = rec->id;
	if ((start = row_field(row, "start_node_id", N2P_INT, false, err)) == NULL ||
		(end = row_field(row, "end_node_id", N2P_INT, false, err)) == NULL ||
		(type = row_field(row, "rel_type", N2P_STRING, false, err)) == NULL ||
		(props = row_field(row, "rel_props", N2P_MAP, false, err)) == NULL)
		return false;
	hash = row_field(row, "hash_props", N2P_MAP, true, err);
	if (err->code != N2P_OK)
		return false;
	if (type->u.str.len == 0)
		return n2p_error_set(err, N2P_ERR_DATA,
							 "empty rel_type \"\" (Neo4j has no empty relationship type)");
	rec->start_id = start->u.i;
	rec->end_id = end->u.i;
	rec->type = type->u.str;
	rec->props = *props;
	return n2p_backup_convert_props(&rec->props, hash, &bs->row_arena, err);
}

/* ------------------------------------------------------------ iteration */

static void
close_current(BackupSource *bs)
{
	if (bs->reader)
		n2p_json_reader_free(bs->reader);
	if (bs->in)
		n2p_input_close(bs->in);
	n2p_exact_close(bs->exact);
	bs->exact = NULL;
	if (bs->cur)
		bs->done_bytes += bs->cur->size;
	bs->reader = NULL;
	bs->in = NULL;
	bs->cur = NULL;
}

static bool
open_next_file(BackupSource *bs, N2pError *err)
{
	const ChunkFile *f = &bs->chunks[bs->phase].files[bs->next_file++];
	char	   *path = path_join(bs->alloc, bs->dir, f->name);

	if (path == NULL)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	bs->cur = f;
	bs->last_id = -1;
	bs->in = n2p_input_open_io(path, f->gzip, bs->io, bs->alloc, err);
	n2p_free(bs->alloc, path);
	if (bs->in)
		bs->reader = n2p_json_reader_new(bs->in, bs->alloc, err);
	if (bs->reader)
		bs->exact = n2p_exact_open(bs->dir, bs->io, f->name, f->gzip,
								   bs->base.meta.element_ids, bs->alloc, err);
	return bs->reader != NULL && err->code == N2P_OK;
}

/*
 * Advance to the next file that still has rows.  Returns 1 with a file
 * open, 0 at the end of the stream.
 */
static int
ensure_file(BackupSource *bs, N2pError *err)
{
	while (bs->cur == NULL)
	{
		if (bs->next_file >= bs->chunks[bs->phase].n || bs->next_file >= bs->end_file)
		{
			if (bs->phase == N2P_REC_REL || bs->one_kind)
				return 0;
			bs->phase = N2P_REC_REL;
			bs->next_file = 0;
			bs->done_bytes = 0;
			continue;
		}
		if (!open_next_file(bs, err))
			return -1;
	}
	return 1;
}

/*
 * A row that was read whole but cannot be taken (a name given twice) is
 * named by its id, unless the id is what was given twice; the reader is
 * then at the next row, which row_kind tells a caller that goes on.
 */
static void
name_row(BackupSource *bs, const N2pValue *row, N2pError *err)
{
	const char *id_name = bs->phase == N2P_REC_NODE ? "node_id" : "rel_id";
	const N2pValue *id = NULL;
	size_t		i;

	err->row_kind = bs->phase == N2P_REC_NODE ? "node" : "relationship";
	if (row->type != N2P_MAP)
		return;
	for (i = 0; i < row->u.map.n; i++)
		if (n2p_str_eq(row->u.map.keys[i], id_name))
		{
			if (id != NULL)
				return;
			id = &row->u.map.vals[i];
		}
	if (id && id->type == N2P_INT)
		err->row_id = id->u.i;
}

static int
backup_next(N2pSource *src, N2pRecord *rec, N2pError *err)
{
	BackupSource *bs = (BackupSource *) src;
	N2pValue	row;
	int			rc;

	n2p_arena_reset(&bs->row_arena);
	for (;;)
	{
		if ((rc = ensure_file(bs, err)) <= 0)
			return rc;
		rc = n2p_json_next(bs->reader, &bs->row_arena, &row, err);
		if (rc == 1)
			break;
		if (rc < 0)
		{
			if (n2p_json_resumable(bs->reader))
				name_row(bs, &row, err);
			goto fail;
		}
		if (bs->exact && !n2p_exact_end(bs->exact, err))
			return -1;
		close_current(bs);
	}
	memset(rec, 0, sizeof(*rec));
	rec->kind = bs->phase;
	rec->origin = bs->cur->name;
	err->row_kind = bs->phase == N2P_REC_NODE ? "node" : "relationship";
	if (row.type != N2P_MAP)
		n2p_error_set(err, N2P_ERR_DATA, "a chunk row is %s, expected an object",
					  n2p_type_name(row.type));
	else if (bs->phase == N2P_REC_NODE ? convert_node(bs, &row, rec, err)
			 : convert_rel(bs, &row, rec, err))
	{
		/* what the format cannot say, from neo2pg's own files */
		if (bs->exact && !n2p_exact_apply(bs->exact, rec, err))
			return -1;
		err->row_kind = NULL;
		err->row_id = -1;
		bs->last_id = rec->id;
		return 1;
	}
fail:
	snprintf(err->file, sizeof(err->file), "%s", bs->cur->name);
	/* a row that does not even parse has no id: name its predecessor */
	if (err->row_id < 0 && bs->last_id >= 0)
	{
		size_t		len = strlen(err->msg);

		snprintf(err->msg + len, sizeof(err->msg) - len, " (in the row after %s %lld)",
				 bs->phase == N2P_REC_NODE ? "node" : "relationship", (long long) bs->last_id);
	}
	if (err->offset < 0)
		err->offset = (int64_t) n2p_json_offset(bs->reader);
	return -1;
}

static uint64_t
backup_bytes_done(N2pSource *src)
{
	BackupSource *bs = (BackupSource *) src;

	return bs->done_bytes + (bs->in ? n2p_input_raw_bytes(bs->in) : 0);
}

static void
backup_close(N2pSource *src)
{
	BackupSource *bs = (BackupSource *) src;
	int			k;
	size_t		i;

	close_current(bs);
	for (k = 0; k < 2; k++)
	{
		for (i = 0; i < bs->chunks[k].n; i++)
			n2p_free(bs->alloc, bs->chunks[k].files[i].name);
		n2p_free(bs->alloc, bs->chunks[k].files);
	}
	n2p_arena_destroy(&bs->row_arena);
	n2p_arena_destroy(&bs->meta_arena);
	n2p_free(bs->alloc, bs->dir);
	n2p_free(bs->alloc, bs);
}

static const N2pSourceOps backup_ops = {backup_next, backup_bytes_done, backup_close};

size_t
n2p_backup_nfiles(const N2pSource *src, N2pRecKind kind)
{
	const BackupSource *bs = (const BackupSource *) src;

	return src->ops == &backup_ops ? bs->chunks[kind].n : 0;
}

bool
n2p_backup_file(const N2pSource *src, N2pRecKind kind, size_t i, const char **name,
				uint64_t *size)
{
	const BackupSource *bs = (const BackupSource *) src;

	if (src->ops != &backup_ops || i >= bs->chunks[kind].n)
		return false;
	*name = bs->chunks[kind].files[i].name;
	*size = bs->chunks[kind].files[i].size;
	return true;
}

bool
n2p_backup_select(N2pSource *src, N2pRecKind kind, size_t first, size_t n)
{
	BackupSource *bs = (BackupSource *) src;

	if (src->ops != &backup_ops || bs->cur != NULL || bs->phase != N2P_REC_NODE ||
		bs->next_file != 0)
		return false;
	bs->phase = kind;
	bs->one_kind = true;
	bs->next_file = first;
	bs->end_file = n > SIZE_MAX - first ? SIZE_MAX : first + n;
	return true;
}

N2pSource *
n2p_backup_open_io(const char *dir, const N2pFileIO *io, const N2pAllocator *alloc,
				   N2pError *err)
{
	BackupSource *bs = n2p_alloc(alloc, sizeof(BackupSource));
	size_t		len = strlen(dir);

	if (bs == NULL)
	{
		n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
		return NULL;
	}
	memset(bs, 0, sizeof(*bs));
	bs->base.ops = &backup_ops;
	bs->alloc = alloc;
	bs->io = io;
	bs->end_file = SIZE_MAX;
	n2p_arena_init(&bs->row_arena, alloc, 0);
	n2p_arena_init(&bs->meta_arena, alloc, 0);
	while (len > 1 && dir[len - 1] == '/')
		len--;
	bs->dir = n2p_alloc(alloc, len + 1);
	if (bs->dir == NULL)
	{
		n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
		backup_close(&bs->base);
		return NULL;
	}
	memcpy(bs->dir, dir, len);
	bs->dir[len] = '\0';
	if (!list_chunks(bs, err) || !read_metadata(bs, err))
	{
		backup_close(&bs->base);
		return NULL;
	}
	return &bs->base;
}
