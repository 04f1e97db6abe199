/*-------------------------------------------------------------------------
 *
 * catalog.c
 *	  Count labels, types and (scope, key, type) triples of a stream.
 *
 * An open-addressing hash table keyed by the triple; keys are copied on
 * first sight only, so the steady state allocates nothing.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/pg/catalog.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/catalog.h"
#include "neo2pg/typemap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Entries are found by a 64-bit type code (type, element type, SRID) and
 * lengths, so the per-value cost is one hash and a few compares; type
 * names are only spelled out when the entries are listed.
 */
typedef struct Slot
{
	N2pCatalogEntry e;
	uint64_t	tcode;
} Slot;

struct N2pCatalog
{
	const N2pAllocator *alloc;
	Slot	   *slots;			/* e.scope == NULL marks a free slot */
	size_t		cap;
	size_t		n;
	N2pCatalogEntry *sorted;
	char	   *names;			/* the type names of the sorted entries */
};

#define TCODE_SCOPE UINT64_MAX
#define ELEM_EMPTY 0xFF
#define ELEM_MIXED 0xFE

static uint64_t
type_code(const N2pValue *v)
{
	const N2pValue *e = v;
	uint64_t	elem = 0;

	if (v->type == N2P_LIST)
	{
		size_t		i;

		if (v->u.list.n == 0)
			return (uint64_t) N2P_LIST | ((uint64_t) ELEM_EMPTY << 8);
		e = &v->u.list.items[0];
		elem = (uint64_t) e->type;
		/* a list is typed by all its elements: mixed ones make it jsonb */
		for (i = 1; i < v->u.list.n; i++)
			if (v->u.list.items[i].type != e->type ||
				(e->type == N2P_POINT && v->u.list.items[i].u.point.srid != e->u.point.srid))
				return (uint64_t) N2P_LIST | ((uint64_t) ELEM_MIXED << 8);
	}
	return (uint64_t) v->type | elem << 8 |
		(e->type == N2P_POINT ? (uint64_t) (uint32_t) e->u.point.srid << 16 : 0);
}

static void
code_name(uint64_t code, char *buf, size_t len)
{
	N2pType		t = (N2pType) (code & 0xFF),
				elem = (N2pType) ((code >> 8) & 0xFF);
	int32_t		srid = (int32_t) (uint32_t) (code >> 16);
	char		inner[32];

	if (t == N2P_LIST && (elem == ELEM_EMPTY || elem == ELEM_MIXED))
	{
		/* "list<mixed>" names no scalar type, so the column becomes jsonb */
		snprintf(buf, len, elem == ELEM_EMPTY ? "list" : "list<mixed>");
		return;
	}
	if ((t == N2P_LIST ? elem : t) == N2P_POINT)
		snprintf(inner, sizeof(inner), "point(%d)", (int) srid);
	else
		snprintf(inner, sizeof(inner), "%s", n2p_type_name(t == N2P_LIST ? elem : t));
	if (t == N2P_LIST)
		snprintf(buf, len, "list<%s>", inner);
	else
		snprintf(buf, len, "%s", inner);
}

void
n2p_value_type_name(const N2pValue *v, char *buf, size_t len)
{
	code_name(type_code(v), buf, len);
}

N2pCatalog *
n2p_catalog_new(const N2pAllocator *alloc)
{
	N2pCatalog *cat = n2p_alloc(alloc, sizeof(N2pCatalog));

	if (cat == NULL)
		return NULL;
	memset(cat, 0, sizeof(*cat));
	cat->alloc = alloc;
	return cat;
}

/* 0xff ends the string: no UTF-8 text holds it, so scope and key cannot run together */
static uint64_t
hash_bytes(uint64_t h, const char *s, size_t len)
{
	return n2p_fnv1a(n2p_fnv1a(h, s, len), "\xff", 1);
}

/*
 * The key's hash is its own, not seeded with the scope's, so that a node
 * with several labels hashes each key once (n2p_catalog_add).
 */
static uint64_t
slot_hash(uint64_t scope_hash, uint64_t key_hash, uint64_t tcode)
{
	uint64_t	h = (scope_hash * 0x9e3779b97f4a7c15ull) ^ key_hash ^ tcode;

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	return h ^ (h >> 33);
}

static char *
copy_str(const N2pAllocator *a, const char *s, size_t len)
{
	char	   *p = n2p_alloc(a, len + 1);

	if (p)
	{
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

static bool
grow(N2pCatalog *cat)
{
	size_t		cap = cat->cap ? cat->cap * 2 : 64,
				i;
	Slot	   *old = cat->slots,
			   *slots = n2p_alloc(cat->alloc, cap * sizeof(Slot));

	if (slots == NULL)
		return false;
	memset(slots, 0, cap * sizeof(Slot));
	for (i = 0; i < cat->cap; i++)
	{
		Slot	   *o = &old[i];
		uint64_t	h;

		if (o->e.scope == NULL)
			continue;
		h = slot_hash(hash_bytes(o->e.kind, o->e.scope, o->e.scope_len),
					  hash_bytes(0, o->e.key ? o->e.key : "", o->e.key_len), o->tcode);
		while (slots[h & (cap - 1)].e.scope)
			h++;
		slots[h & (cap - 1)] = *o;
	}
	n2p_free(cat->alloc, old);
	cat->slots = slots;
	cat->cap = cap;
	return true;
}

static bool
slot_matches(const Slot *s, N2pRecKind kind, N2pStr scope, const N2pStr *key,
			 uint64_t tcode)
{
	if (s->tcode != tcode || s->e.kind != kind || s->e.scope_len != scope.len ||
		memcmp(s->e.scope, scope.ptr, scope.len) != 0)
		return false;
	if (key == NULL)
		return s->e.key == NULL;
	return s->e.key != NULL && s->e.key_len == key->len && memcmp(s->e.key, key->ptr, key->len) == 0;
}

static bool
bump(N2pCatalog *cat, N2pRecKind kind, N2pStr scope, uint64_t scope_hash,
	 const N2pStr *key, uint64_t key_hash, uint64_t tcode, bool castable, N2pError *err)
{
	uint64_t	h;
	Slot	   *s;

	if ((cat->n + 1) * 2 > cat->cap && !grow(cat))
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	h = slot_hash(scope_hash, key_hash, tcode);
	for (;; h++)
	{
		s = &cat->slots[h & (cat->cap - 1)];
		if (s->e.scope == NULL)
			break;
		if (slot_matches(s, kind, scope, key, tcode))
		{
			s->e.count++;
			s->e.not_castable += !castable;
			return true;
		}
	}
	s->e.kind = kind;
	s->e.count = 1;
	s->e.not_castable = !castable;
	s->tcode = tcode;
	s->e.scope_len = scope.len;
	s->e.key_len = key ? key->len : 0;
	s->e.scope = copy_str(cat->alloc, scope.ptr, scope.len);
	s->e.key = key ? copy_str(cat->alloc, key->ptr, key->len) : NULL;
	s->e.type = NULL;
	if (s->e.scope == NULL || (key && s->e.key == NULL))
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	cat->n++;
	return true;
}

/* A record's scopes: its type, its labels, or "" for a node without one. */
#define SCOPES_HELD 8

static size_t
record_scopes(const N2pRecord *rec, const N2pStr **scopes)
{
	static const N2pStr unlabeled = {"", 0};

	if (rec->kind == N2P_REC_REL)
		return (*scopes = &rec->type, 1);
	if (rec->nlabels == 0)
		return (*scopes = &unlabeled, 1);
	return (*scopes = rec->labels, rec->nlabels);
}

/*
 * Each key's hash, type and castability are found once however many
 * labels the node has; each (scope, key, type) is then one probe.  The
 * scopes' hashes are kept for the first SCOPES_HELD labels.
 */
bool
n2p_catalog_add(N2pCatalog *cat, const N2pRecord *rec, N2pError *err)
{
	const N2pStr *scopes;
	size_t		n = record_scopes(rec, &scopes),
				i,
				j;
	uint64_t	sh[SCOPES_HELD];
	const N2pValue *props = &rec->props;
	uint64_t	none = hash_bytes(0, "", 0);

	for (j = 0; j < n; j++)
	{
		uint64_t	h = hash_bytes(rec->kind, scopes[j].ptr, scopes[j].len);

		if (j < SCOPES_HELD)
			sh[j] = h;
		if (!bump(cat, rec->kind, scopes[j], h, NULL, none, TCODE_SCOPE, true, err))
			return false;
	}
	for (i = 0; i < props->u.map.n; i++)
	{
		const N2pStr *key = &props->u.map.keys[i];
		const N2pValue *v = &props->u.map.vals[i];
		uint64_t	kh = hash_bytes(0, key->ptr, key->len),
					tcode = type_code(v);
		bool		castable = n2p_pg_castable(v);

		for (j = 0; j < n; j++)
		{
			uint64_t	h = j < SCOPES_HELD ? sh[j] : hash_bytes(rec->kind, scopes[j].ptr, scopes[j].len);

			if (!bump(cat, rec->kind, scopes[j], h, key, kh, tcode, castable, err))
				return false;
		}
	}
	return true;
}

int
n2p_counted_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int			c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0 || alen == blen)
		return c;
	return alen < blen ? -1 : 1;
}

static int
entry_cmp(const void *a, const void *b)
{
	const N2pCatalogEntry *x = a,
			   *y = b;
	int			c;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if ((c = n2p_counted_cmp(x->scope, x->scope_len, y->scope, y->scope_len)) != 0)
		return c;
	if (x->key == NULL || y->key == NULL)
		return x->key ? 1 : (y->key ? -1 : 0);
	if ((c = n2p_counted_cmp(x->key, x->key_len, y->key, y->key_len)) != 0)
		return c;
	return strcmp(x->type, y->type);
}

#define TYPE_NAME_LEN 40

const N2pCatalogEntry *
n2p_catalog_entries(N2pCatalog *cat, size_t *n)
{
	size_t		i,
				k = 0;

	n2p_free(cat->alloc, cat->sorted);
	n2p_free(cat->alloc, cat->names);
	cat->sorted = n2p_alloc(cat->alloc, (cat->n + 1) * sizeof(N2pCatalogEntry));
	cat->names = n2p_alloc(cat->alloc, (cat->n + 1) * TYPE_NAME_LEN);
	if (cat->sorted == NULL || cat->names == NULL)
	{
		*n = 0;
		return NULL;
	}
	for (i = 0; i < cat->cap; i++)
	{
		Slot	   *s = &cat->slots[i];

		if (s->e.scope == NULL)
			continue;
		cat->sorted[k] = s->e;
		if (s->tcode != TCODE_SCOPE)
		{
			cat->sorted[k].type = cat->names + k * TYPE_NAME_LEN;
			code_name(s->tcode, cat->sorted[k].type, TYPE_NAME_LEN);
		}
		k++;
	}
	qsort(cat->sorted, k, sizeof(N2pCatalogEntry), entry_cmp);
	*n = k;
	return cat->sorted;
}

void
n2p_catalog_free(N2pCatalog *cat)
{
	size_t		i;

	if (cat == NULL)
		return;
	for (i = 0; i < cat->cap; i++)
	{
		n2p_free(cat->alloc, cat->slots[i].e.scope);
		n2p_free(cat->alloc, cat->slots[i].e.key);
	}
	n2p_free(cat->alloc, cat->slots);
	n2p_free(cat->alloc, cat->sorted);
	n2p_free(cat->alloc, cat->names);
	n2p_free(cat->alloc, cat);
}
