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
 *	  src/core/catalog.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/catalog.h"
#include "neo2pg/typemap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct N2pCatalog
{
	const N2pAllocator *alloc;
	N2pCatalogEntry *slots;		/* scope == NULL marks a free slot */
	size_t		cap;
	size_t		n;
	N2pCatalogEntry *sorted;
};

/* Points carry their SRID: a column can only be typed by one SRID. */
static void
scalar_type_name(const N2pValue *v, char *buf, size_t len)
{
	if (v->type == N2P_POINT)
		snprintf(buf, len, "point(%d)", (int) v->u.point.srid);
	else
		snprintf(buf, len, "%s", n2p_type_name(v->type));
}

void
n2p_value_type_name(const N2pValue *v, char *buf, size_t len)
{
	char		elem[32];

	if (v->type != N2P_LIST)
		scalar_type_name(v, buf, len);
	else if (v->u.list.n == 0)
		snprintf(buf, len, "list");
	else
	{
		scalar_type_name(&v->u.list.items[0], elem, sizeof(elem));
		snprintf(buf, len, "list<%s>", elem);
	}
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

static uint64_t
hash_bytes(uint64_t h, const char *s, size_t len)
{
	size_t		i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char) s[i]) * 1099511628211ull;	/* FNV-1a */
	return (h ^ 0xff) * 1099511628211ull;
}

static bool
slot_matches(const N2pCatalogEntry *e, N2pRecKind kind, N2pStr scope,
			 const N2pStr *key, const char *type)
{
	if (e->kind != kind || strlen(e->scope) != scope.len ||
		memcmp(e->scope, scope.ptr, scope.len) != 0)
		return false;
	if (key == NULL || e->key == NULL)
		return key == NULL && e->key == NULL;
	return strlen(e->key) == key->len && memcmp(e->key, key->ptr, key->len) == 0 &&
		strcmp(e->type, type) == 0;
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
	N2pCatalogEntry *old = cat->slots,
			   *slots = n2p_alloc(cat->alloc, cap * sizeof(N2pCatalogEntry));

	if (slots == NULL)
		return false;
	memset(slots, 0, cap * sizeof(N2pCatalogEntry));
	for (i = 0; i < cat->cap; i++)
	{
		N2pCatalogEntry *e = &old[i];
		uint64_t	h;

		if (e->scope == NULL)
			continue;
		h = hash_bytes(hash_bytes(e->kind, e->scope, strlen(e->scope)),
					   e->key ? e->key : "", e->key ? strlen(e->key) : 0);
		h = hash_bytes(h, e->type ? e->type : "", e->type ? strlen(e->type) : 0);
		while (slots[h & (cap - 1)].scope)
			h++;
		slots[h & (cap - 1)] = *e;
	}
	n2p_free(cat->alloc, old);
	cat->slots = slots;
	cat->cap = cap;
	return true;
}

static bool
bump(N2pCatalog *cat, N2pRecKind kind, N2pStr scope, const N2pStr *key,
	 const char *type, bool castable, N2pError *err)
{
	uint64_t	h;
	N2pCatalogEntry *e;

	if ((cat->n + 1) * 2 > cat->cap && !grow(cat))
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	h = hash_bytes(hash_bytes(kind, scope.ptr, scope.len), key ? key->ptr : "", key ? key->len : 0);
	h = hash_bytes(h, type ? type : "", type ? strlen(type) : 0);
	for (;; h++)
	{
		e = &cat->slots[h & (cat->cap - 1)];
		if (e->scope == NULL)
			break;
		if (slot_matches(e, kind, scope, key, type))
		{
			e->count++;
			e->not_castable += !castable;
			return true;
		}
	}
	e->kind = kind;
	e->count = 1;
	e->not_castable = !castable;
	e->scope = copy_str(cat->alloc, scope.ptr, scope.len);
	e->key = key ? copy_str(cat->alloc, key->ptr, key->len) : NULL;
	e->type = type ? copy_str(cat->alloc, type, strlen(type)) : NULL;
	if (e->scope == NULL || (key && (e->key == NULL || e->type == NULL)))
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	cat->n++;
	return true;
}

static bool
add_scope(N2pCatalog *cat, N2pRecKind kind, N2pStr scope, const N2pValue *props,
		  N2pError *err)
{
	char		type[64];
	size_t		i;

	if (!bump(cat, kind, scope, NULL, NULL, true, err))
		return false;
	for (i = 0; i < props->u.map.n; i++)
	{
		const N2pValue *v = &props->u.map.vals[i];

		n2p_value_type_name(v, type, sizeof(type));
		if (!bump(cat, kind, scope, &props->u.map.keys[i], type, n2p_pg_castable(v), err))
			return false;
	}
	return true;
}

bool
n2p_catalog_add(N2pCatalog *cat, const N2pRecord *rec, N2pError *err)
{
	static const N2pStr unlabeled = {"", 0};
	size_t		i;

	if (rec->kind == N2P_REC_REL)
		return add_scope(cat, rec->kind, rec->type, &rec->props, err);
	if (rec->nlabels == 0)
		return add_scope(cat, rec->kind, unlabeled, &rec->props, err);
	for (i = 0; i < rec->nlabels; i++)
		if (!add_scope(cat, rec->kind, rec->labels[i], &rec->props, err))
			return false;
	return true;
}

static int
entry_cmp(const void *a, const void *b)
{
	const N2pCatalogEntry *x = a,
			   *y = b;
	int			c;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if ((c = strcmp(x->scope, y->scope)) != 0)
		return c;
	if (x->key == NULL || y->key == NULL)
		return x->key ? 1 : (y->key ? -1 : 0);
	if ((c = strcmp(x->key, y->key)) != 0)
		return c;
	return strcmp(x->type, y->type);
}

const N2pCatalogEntry *
n2p_catalog_entries(N2pCatalog *cat, size_t *n)
{
	size_t		i,
				k = 0;

	n2p_free(cat->alloc, cat->sorted);
	cat->sorted = n2p_alloc(cat->alloc, (cat->n + 1) * sizeof(N2pCatalogEntry));
	if (cat->sorted == NULL)
	{
		*n = 0;
		return NULL;
	}
	for (i = 0; i < cat->cap; i++)
		if (cat->slots[i].scope)
			cat->sorted[k++] = cat->slots[i];
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
		n2p_free(cat->alloc, cat->slots[i].scope);
		n2p_free(cat->alloc, cat->slots[i].key);
		n2p_free(cat->alloc, cat->slots[i].type);
	}
	n2p_free(cat->alloc, cat->slots);
	n2p_free(cat->alloc, cat->sorted);
	n2p_free(cat->alloc, cat);
}
