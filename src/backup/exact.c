/*-------------------------------------------------------------------------
 *
 * exact.c
 *	  Reading neo2pg's exact-values files back (the format is described in
 *	  backup_exact.h; src/backup/writer.c writes them).
 *
 * A chunk's file is read alongside the chunk, one entry ahead: entries
 * come in the chunk's row order and only for the rows that need one, so
 * memory is one entry, whatever their number.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/backup/exact.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/backup_exact.h"
#include "neo2pg/input.h"
#include "neo2pg/json.h"
#include "neo2pg/literal.h"

#include <stdio.h>
#include <string.h>

struct N2pExactReader
{
	const N2pAllocator *alloc;
	N2pInput   *in;
	N2pJsonReader *r;
	N2pArena	arena;
	char		name[512];		/* "neo2pg/nodes_8185.json.gz", for errors */
	bool		need_all;
	bool		have;			/* entry holds the next entry */
	bool		used;			/* ... and a row took it */
	bool		done;
	N2pValue	entry;
	int64_t		id;
};

static char *
join3(const N2pAllocator *alloc, const char *a, const char *b, const char *c)
{
	size_t		la = strlen(a),
				lb = strlen(b),
				lc = strlen(c);
	char	   *p = n2p_alloc(alloc, la + lb + lc + 1);

	if (p)
	{
		memcpy(p, a, la);
		memcpy(p + la, b, lb);
		memcpy(p + la + lb, c, lc + 1);
	}
	return p;
}

static bool
bad(N2pExactReader *x, N2pError *err, const char *what)
{
	n2p_error_set(err, N2P_ERR_DATA, "%s", what);
	n2p_error_set_file(err, x->name);
	return false;
}

/* ------------------------------------------------------------ graph.json */

/*
 * A C string of v, or NULL: for a value that is not one (the caller says
 * what was expected), or out of memory, which sets err so that it is not
 * reported as a bad file.
 */
static char *
arena_str(N2pArena *arena, const N2pValue *v, N2pError *err)
{
	char	   *p;

	if (v == NULL || v->type != N2P_STRING ||
		(v->u.str.len && memchr(v->u.str.ptr, '\0', v->u.str.len)))
		return NULL;
	if ((p = n2p_arena_alloc(arena, v->u.str.len + 1)) == NULL)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory"), NULL;
	if (v->u.str.len)
		memcpy(p, v->u.str.ptr, v->u.str.len);
	p[v->u.str.len] = '\0';
	return p;
}

static bool
arena_strs(N2pArena *arena, const N2pValue *v, char ***out, size_t *n, N2pError *err)
{
	size_t		i;

	if (v == NULL || v->type != N2P_LIST)
		return false;
	if ((*out = n2p_arena_alloc(arena, (v->u.list.n + 1) * sizeof(char *))) == NULL)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	for (i = 0; i < v->u.list.n; i++)
		if (((*out)[i] = arena_str(arena, &v->u.list.items[i], err)) == NULL)
			return false;
	*n = v->u.list.n;
	return true;
}

/* entity, labels_or_types and properties: absent in files of older writers */
static bool
graph_schema_parts(const N2pValue *o, N2pSchemaItem *it, N2pArena *arena, N2pError *err)
{
	const N2pValue *entity = n2p_map_get(o, "entity", 6);

	it->entity = NULL;
	if (entity == NULL)
		return true;
	return (it->entity = arena_str(arena, entity, err)) != NULL &&
		arena_strs(arena, n2p_map_get(o, "labels_or_types", 15), &it->tokens, &it->ntokens, err) &&
		arena_strs(arena, n2p_map_get(o, "properties", 10), &it->props, &it->nprops, err);
}

static bool
graph_schema(const N2pValue *list, N2pGraphMeta *meta, N2pArena *arena, N2pError *err)
{
	size_t		i;

	if (list->type != N2P_LIST)
		return false;
	meta->schema = n2p_arena_alloc(arena, (list->u.list.n + 1) * sizeof(N2pSchemaItem));
	if (meta->schema == NULL)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	for (i = 0; i < list->u.list.n; i++)
	{
		const N2pValue *o = &list->u.list.items[i];
		N2pSchemaItem *it = &meta->schema[i];
		char	   *kind;

		if (o->type != N2P_MAP)
			return false;
		kind = arena_str(arena, n2p_map_get(o, "kind", 4), err);
		it->name = arena_str(arena, n2p_map_get(o, "name", 4), err);
		it->type = arena_str(arena, n2p_map_get(o, "type", 4), err);
		it->create = arena_str(arena, n2p_map_get(o, "create", 6), err);
		if (!kind || !it->name || !it->type || !it->create ||
			!graph_schema_parts(o, it, arena, err) ||
			(strcmp(kind, "constraint") != 0 && strcmp(kind, "index") != 0))
			return false;
		it->kind = strcmp(kind, "index") == 0 ? "index" : "constraint";
	}
	meta->nschema = list->u.list.n;
	return true;
}

static bool
graph_flag(const N2pValue *doc, const char *name, bool *out)
{
	const N2pValue *v = n2p_map_get(doc, name, strlen(name));

	if (v == NULL)
		return true;
	if (v->type != N2P_BOOL)
		return false;
	*out = v->u.b;
	return true;
}

bool
n2p_exact_read_graph(const char *dir, const N2pFileIO *io, N2pGraphMeta *meta, N2pArena *arena,
					 const N2pAllocator *alloc, N2pError *err)
{
	char	   *path = join3(alloc, dir, "/", N2P_EXACT_GRAPH);
	N2pInput   *in = NULL;
	N2pJsonReader *r = NULL;
	N2pValue	doc;
	const N2pValue *schema;
	bool		ok = false,
				absent;

	if (path == NULL)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	in = n2p_input_open_optional_io(path, false, io, alloc, &absent, err);
	if (absent)
	{
		n2p_free(alloc, path);
		return true;
	}
	if (in != NULL &&
		(r = n2p_json_reader_new(in, alloc, err)) != NULL &&
		n2p_json_parse_document(r, arena, &doc, err) == 1)
	{
		ok = doc.type == N2P_MAP && graph_flag(&doc, "element_ids", &meta->element_ids) &&
			graph_flag(&doc, "zone_ids", &meta->zone_ids);
		schema = ok ? n2p_map_get(&doc, "schema", 6) : NULL;
		if (ok && schema && !graph_schema(schema, meta, arena, err))
			ok = false;
		if (!ok && err->code == N2P_OK)
			n2p_error_set(err, N2P_ERR_DATA,
						  "expected {\"element_ids\": bool, \"zone_ids\": bool, \"schema\": [{\"kind\", \"name\", \"type\", \"create\"}]}");
	}
	if (!ok)
		snprintf(err->file, sizeof(err->file), "%s", N2P_EXACT_GRAPH);
	if (r)
		n2p_json_reader_free(r);
	if (in)
		n2p_input_close(in);
	n2p_free(alloc, path);
	return ok;
}

/* ---------------------------------------------------------- chunk files */

N2pExactReader *
n2p_exact_open(const char *dir, const N2pFileIO *io, const char *name, bool gzip,
			   bool need_all, const N2pAllocator *alloc, N2pError *err)
{
	const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
	char	   *path = join3(alloc, dir, "/" N2P_EXACT_DIR "/", base);
	N2pExactReader *x;
	bool		absent;

	if (path == NULL)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory"), NULL;
	if ((x = n2p_alloc(alloc, sizeof(*x))) == NULL)
	{
		n2p_free(alloc, path);
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory"), NULL;
	}
	memset(x, 0, sizeof(*x));
	x->alloc = alloc;
	x->need_all = need_all;
	snprintf(x->name, sizeof(x->name), "%s/%s", N2P_EXACT_DIR, base);
	n2p_arena_init(&x->arena, alloc, 0);
	x->in = n2p_input_open_optional_io(path, gzip, io, alloc, &absent, err);
	n2p_free(alloc, path);
	if (absent && need_all)
		n2p_error_set(err, N2P_ERR_DATA, "%s/%s is missing: the backup records element ids for every row",
					  N2P_EXACT_DIR, base);
	if (x->in)
		x->r = n2p_json_reader_new(x->in, alloc, err);
	if (x->r == NULL)
	{
		/* a chunk without exact values and no need of them: no error */
		if (err->code != N2P_OK)
			n2p_error_set_file(err, absent ? name : x->name);
		n2p_exact_close(x);
		return NULL;
	}
	return x;
}

/* Read the next entry, if none is waiting; false on error. */
static bool
read_ahead(N2pExactReader *x, N2pError *err)
{
	const N2pValue *id;
	int			rc;

	if (x->used)
	{
		n2p_arena_reset(&x->arena);
		x->have = x->used = false;
	}
	if (x->have || x->done)
		return true;
	rc = n2p_json_next(x->r, &x->arena, &x->entry, err);
	if (rc < 0)
	{
		n2p_error_set_file(err, x->name);
		return false;
	}
	if (rc == 0)
	{
		x->done = true;
		return true;
	}
	if (x->entry.type != N2P_MAP || (id = n2p_map_get(&x->entry, "id", 2)) == NULL ||
		id->type != N2P_INT)
		return bad(x, err, "an entry is not an object with an integer \"id\"");
	x->id = id->u.i;
	x->have = true;
	return true;
}

static bool
hex_bytes(N2pExactReader *x, const N2pValue *s, N2pValue *out)
{
	size_t		i,
				n = s->u.str.len / 2;
	char	   *p;

	if (s->type != N2P_STRING || s->u.str.len % 2)
		return false;
	if ((p = n2p_arena_alloc(&x->arena, n + 1)) == NULL)
		return false;
	for (i = 0; i < s->u.str.len; i++)
	{
		char		c = s->u.str.ptr[i];
		int			d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;

		if (d < 0)
			return false;
		if (i % 2 == 0)
			p[i / 2] = (char) (d << 4);
		else
			p[i / 2] |= (char) d;
	}
	out->type = N2P_BYTES;
	out->u.str.ptr = p;
	out->u.str.len = n;
	return true;
}

static bool
decode_scalar(N2pExactReader *x, const char *type, const N2pValue *s, N2pValue *out)
{
	N2pError	ignored;

	if (s->type != N2P_STRING)
		return false;
	if (strcmp(type, "bytes") == 0)
		return hex_bytes(x, s, out);
	if (strcmp(type, "string") == 0)
	{
		*out = *s;
		return true;
	}
	n2p_error_init(&ignored);
	return strcmp(type, "datetime") == 0 &&
		n2p_temporal_parse_iso(N2P_DATETIME, s->u.str.ptr, s->u.str.len, out, &x->arena, &ignored);
}

/* {"bytes": "00ff"} or {"datetime": [...]} into *out. */
static bool
decode_value(N2pExactReader *x, const N2pValue *enc, N2pValue *out)
{
	char		type[16];
	const N2pValue *v;
	size_t		i;

	if (enc->type != N2P_MAP || enc->u.map.n != 1 || enc->u.map.keys[0].len >= sizeof(type))
		return false;
	memcpy(type, enc->u.map.keys[0].ptr, enc->u.map.keys[0].len);
	type[enc->u.map.keys[0].len] = '\0';
	v = &enc->u.map.vals[0];
	if (v->type != N2P_LIST)
		return decode_scalar(x, type, v, out);
	out->type = N2P_LIST;
	out->u.list.n = v->u.list.n;
	out->u.list.items = n2p_arena_alloc(&x->arena, (v->u.list.n + 1) * sizeof(N2pValue));
	if (out->u.list.items == NULL)
		return false;
	for (i = 0; i < v->u.list.n; i++)
		if (!decode_scalar(x, type, &v->u.list.items[i], &out->u.list.items[i]))
			return false;
	return true;
}

static bool
apply_props(N2pExactReader *x, const N2pValue *props, N2pRecord *rec, N2pError *err)
{
	size_t		i,
				j;

	if (props->type != N2P_MAP)
		return bad(x, err, "\"props\" is not an object");
	for (i = 0; i < props->u.map.n; i++)
	{
		N2pStr		k = props->u.map.keys[i];

		for (j = 0; j < rec->props.u.map.n; j++)
			if (n2p_str_same(rec->props.u.map.keys[j], k))
				break;
		if (j == rec->props.u.map.n ||
			!decode_value(x, &props->u.map.vals[i], &rec->props.u.map.vals[j]))
		{
			n2p_error_set_key(err, k.ptr, k.len);
			return bad(x, err, j == rec->props.u.map.n ? "the key is not in the row" :
					   "expected {\"bytes\"|\"datetime\"|\"string\": text or a list of them}");
		}
	}
	return true;
}

static bool
apply_labels(N2pExactReader *x, const N2pValue *labels, N2pRecord *rec, N2pError *err)
{
	size_t		i;

	if (labels->type != N2P_LIST)
		return bad(x, err, "\"labels\" is not a list");
	rec->labels = n2p_arena_alloc(&x->arena, (labels->u.list.n + 1) * sizeof(N2pStr));
	if (rec->labels == NULL)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	for (i = 0; i < labels->u.list.n; i++)
	{
		if (labels->u.list.items[i].type != N2P_STRING || labels->u.list.items[i].u.str.len == 0)
			return bad(x, err, "\"labels\" holds something other than a label");
		rec->labels[i] = labels->u.list.items[i].u.str;
	}
	rec->nlabels = labels->u.list.n;
	return true;
}

bool
n2p_exact_apply(N2pExactReader *x, N2pRecord *rec, N2pError *err)
{
	const N2pValue *v;

	if (!read_ahead(x, err))
		return false;
	if (!x->have || x->id != rec->id)
	{
		if (!x->need_all)
			return true;
		err->row_kind = rec->kind == N2P_REC_NODE ? "node" : "relationship";
		err->row_id = rec->id;
		return bad(x, err, "no entry (with the element id) for this row");
	}
	x->used = true;
	err->row_kind = rec->kind == N2P_REC_NODE ? "node" : "relationship";
	err->row_id = rec->id;
	if ((v = n2p_map_get(&x->entry, "element_id", 10)) != NULL)
	{
		if (v->type != N2P_STRING)
			return bad(x, err, "\"element_id\" is not a string");
		rec->element_id = v->u.str;
	}
	else if (x->need_all)
		return bad(x, err, "the entry has no element id");
	if ((v = n2p_map_get(&x->entry, "labels", 6)) != NULL &&
		(rec->kind != N2P_REC_NODE || !apply_labels(x, v, rec, err)))
		return err->code != N2P_OK ? false : bad(x, err, "labels for a relationship");
	if ((v = n2p_map_get(&x->entry, "props", 5)) != NULL && !apply_props(x, v, rec, err))
		return false;
	err->row_kind = NULL;
	err->row_id = -1;
	return true;
}

bool
n2p_exact_end(N2pExactReader *x, N2pError *err)
{
	if (!read_ahead(x, err))
		return false;
	if (!x->have)
		return true;
	err->row_id = x->id;
	return bad(x, err, "an entry names a row that is not in its chunk (or not in the chunk's order)");
}

void
n2p_exact_close(N2pExactReader *x)
{
	if (x == NULL)
		return;
	if (x->r)
		n2p_json_reader_free(x->r);
	if (x->in)
		n2p_input_close(x->in);
	n2p_arena_destroy(&x->arena);
	n2p_free(x->alloc, x);
}
