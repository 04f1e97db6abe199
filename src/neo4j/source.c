/*-------------------------------------------------------------------------
 *
 * source.c
 *	  A live Neo4j database as a source: one read transaction, the schema,
 *	  then every node and every relationship, pulled in batches.
 *
 * The queries return ids, labels or type, end ids, the property map and
 * the element id; never a Node or Relationship structure, so that no end
 * node travels again with each relationship, and nothing is kept but two
 * batches of records and the offset cache.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/neo4j/source.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/neo4j_sink.h"
#include "neo2pg/neo4j_source.h"
#include "neo2pg/packstream.h"

#include <stdio.h>
#include <string.h>

/*
 * From Bolt 5 a Node structure carries the element id, and the server
 * writes the whole node straight from its cursor: 0.9 of the processor
 * time of the four fields (bench/bolt_drain, 5 rounds).  Its fields are
 * the four in the same order (flat_node).  Bolt 4.4's Node has no element
 * id, so the fields are asked for.
 */
static const char NODES_QUERY[] = "MATCH (n) RETURN n";
static const char NODES_QUERY_4[] =
	"MATCH (n) RETURN id(n), labels(n), properties(n), elementId(n)";
static const char RELS_QUERY[] =
	"MATCH ()-[r]->() RETURN id(r), type(r), id(startNode(r)), id(endNode(r)), properties(r), "
	"elementId(r)";
/* an import's lock (neo4j_sink.h) is not the graph's: a pull meanwhile leaves it out */
static const char CONSTRAINTS_QUERY[] =
	"SHOW CONSTRAINTS YIELD name, type, entityType, labelsOrTypes, properties, createStatement "
	"WHERE labelsOrTypes IS NULL OR labelsOrTypes <> ['" N2P_NEO4J_LOCK_LABEL "']";
static const char DB_ID_QUERY[] = "CALL db.info() YIELD id RETURN id";
static const char INDEXES_QUERY[] =
	"SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties, createStatement, owningConstraint "
	"WHERE owningConstraint IS NULL";

/*
 * The offset the server gives an instant in a zone.  The instant is UTC
 * seconds (Bolt 5, 'i') or local seconds (Bolt 4.4, 'f'); either way the
 * server's Java time-zone data answers, not the host's.
 */
static const char OFFSET_UTC_QUERY[] =
	"RETURN datetime({epochSeconds: $s, timezone: $z}).offsetSeconds";
static const char OFFSET_LOCAL_QUERY[] =
	"RETURN datetime({datetime: localdatetime(datetime({epochSeconds: $s, timezone: 'Z'})), "
	"timezone: $z}).offsetSeconds";

/*
 * The same, for a batch of instants in one round trip: $s and $z are
 * lists of the same length, and the answer is one row, the list of their
 * offsets in the same order.  One row rather than a row per instant
 * halves the server's work (measured: 0.43 against 0.8 to 1.05
 * core-seconds per 200,000 instants).
 */
static const char OFFSETS_UTC_QUERY[] =
	"RETURN [i IN range(0, size($s) - 1) | datetime({epochSeconds: $s[i], timezone: $z[i]}).offsetSeconds]";
static const char OFFSETS_LOCAL_QUERY[] =
	"RETURN [i IN range(0, size($s) - 1) | "
	"datetime({datetime: localdatetime(datetime({epochSeconds: $s[i], timezone: 'Z'})), "
	"timezone: $z[i]}).offsetSeconds]";

#define OFFSET_CACHE 4096
#define ZONE_MAX 64

/*
 * Records are read ahead in batches, so that the offsets of a batch's
 * zoned DateTimes are asked in one query: one round trip per batch, not
 * one per distinct instant, which on a graph of timestamps cost twenty
 * times the extraction itself.  A batch ends at BATCH_ROWS records,
 * BATCH_BYTES of decoded values or PENDING_MAX instants to ask, so memory
 * stays bounded; an instant that does not fit is asked on its own.  Two
 * batches are held: one emitted, one read while the server computes the
 * other's offsets.
 */
#define BATCH_ROWS 1000
#define BATCH_BYTES (4 * 1024 * 1024)
#define PENDING_MAX 4096
#define PENDING_SLOTS (2 * PENDING_MAX)	/* a power of two, half full at most */

/*
 * A zone's standing with the host's tz database.  NEW: not yet checked;
 * CHECKING: the server is asked for the offsets around each of the
 * database's changes from 1970 to 2100, with a batch; LOCAL: it gave the
 * same, so the database answers for that range; SERVER: unknown to the
 * database, or it differed (or it could not be checked).
 */
typedef enum ZoneTrust
{
	ZONE_NEW,
	ZONE_CHECKING,
	ZONE_LOCAL,
	ZONE_SERVER,
} ZoneTrust;

typedef struct ZoneState
{
	char		name[ZONE_MAX];
	size_t		len;			/* 0 for a free slot */
	const N2pTzZone *tz;
	size_t		need;			/* the instants that check it */
	ZoneTrust	trust;
	int			batch;			/* CHECKING: the batch that asks */
} ZoneState;

#define ZONE_SLOTS 512			/* a power of two */
#define ZONE_KEPT (ZONE_SLOTS / 2)

/*
 * The range the tz database answers for.  Before 1970 Debian's tzdata
 * (built with backzone) and Java's disagree for merged zones (Amsterdam
 * in 1900: +00:19:32 here, Z in Neo4j); after 2100 the checks stop.
 */
#define LOCAL_FROM INT64_C(0)
#define LOCAL_UNTIL INT64_C(4102444800)	/* 2100-01-01T00:00:00Z */

typedef struct Pending
{
	int64_t		secs;
	N2pStr		zone;			/* in the batch's arena; len 0 for a free slot */
	int32_t		offset;
	bool		known;
	ZoneState  *check;			/* a check of that zone's local offset */
} Pending;

typedef struct OffsetEntry
{
	int64_t		secs;
	int32_t		offset;
	char		zone[ZONE_MAX];	/* "" for a free slot */
} OffsetEntry;

/*
 * A batch of one phase's records and the offsets of their zoned
 * DateTimes.  There are two: one is emitted while the other, read ahead,
 * waits for its offsets' query to be sent.
 */
typedef struct Batch
{
	N2pRecKind	phase;
	N2pArena	arena;			/* the records */
	N2pValue   *rows;			/* BATCH_ROWS rows */
	size_t		nrows;
	size_t		next_row;
	Pending    *pending;		/* the batch's instants: PENDING_SLOTS */
	uint32_t   *pending_order;	/* their slots, in order: PENDING_MAX */
	size_t		npending;
	N2pArena	ask;			/* the offsets' query: parameters, replies */
	uint32_t   *asked;			/* in ask: the slot of each instant asked */
	size_t		nasked;
} Batch;

typedef struct Neo4jSource
{
	N2pSource	base;
	const N2pAllocator *alloc;
	N2pNeo4jSourceOptions opts;
	N2pRecKind	phase;			/* of the records being read */
	bool		running;		/* the phase's query is streaming */
	bool		rels_queued;	/* the relationships' query went out with the nodes' */
	uint64_t	start_bytes;	/* received before the nodes' query */
	bool		done;
	bool		in_tx;
	bool		side_tx;
	bool		started;		/* the first batch was read */
	bool		ended;			/* every batch was emitted */
	int64_t		last_id;		/* the last record read's id, -1 before the first */
	N2pArena	arena;			/* the schema's replies, one at a time */
	N2pArena	meta_arena;		/* the schema, for the source's life */
	OffsetEntry *offsets;
	ZoneState  *zones;			/* ZONE_SLOTS, with a tz database */
	size_t		nzones;
	N2pZoneStats stats;
	Batch		batch[2];
	int			cur;			/* the batch being emitted */
} Neo4jSource;

/* ------------------------------------------------------------ metadata */

static char *
meta_strdup(Neo4jSource *s, N2pStr v)
{
	return n2p_arena_strndup(&s->meta_arena, v.ptr, v.len);
}

/*
 * The array with room for one more item: arrays in the meta arena grow 16
 * at a time, and the old copy stays in the arena until close.
 */
static void *
meta_grow(Neo4jSource *s, void *array, size_t n, size_t size, N2pError *err)
{
	char	   *grown;

	if (n % 16 != 0)
		return array;
	if ((grown = n2p_arena_alloc(&s->meta_arena, (n + 16) * size)) == NULL)
		return (n2p_error_set(err, N2P_ERR_NOMEM, "out of memory"), NULL);
	if (n)
		memcpy(grown, array, n * size);
	return grown;
}

static bool
str_field(const N2pValue *f, N2pStr *out)
{
	if (f->type != N2P_STRING)
		return false;
	*out = f->u.str;
	return true;
}

/* A one-element list of strings, as labelsOrTypes and properties are. */
static bool
single(const N2pValue *f, N2pStr *out)
{
	return f->type == N2P_LIST && f->u.list.n == 1 && str_field(&f->u.list.items[0], out);
}

/* labelsOrTypes or properties as strings; NULL (a LOOKUP index's) is empty */
static bool
str_list(Neo4jSource *s, const N2pValue *f, char ***out, size_t *n)
{
	size_t		i;

	*n = 0;
	if (f->type == N2P_NULL)
		return true;
	if (f->type != N2P_LIST ||
		(*out = n2p_arena_alloc(&s->meta_arena, (f->u.list.n + 1) * sizeof(char *))) == NULL)
		return false;
	for (i = 0; i < f->u.list.n; i++)
		if (f->u.list.items[i].type != N2P_STRING ||
			((*out)[i] = meta_strdup(s, f->u.list.items[i].u.str)) == NULL)
			return false;
	*n = f->u.list.n;
	return true;
}

static bool
add_schema_item(Neo4jSource *s, const char *kind, const N2pValue *f, N2pError *err)
{
	N2pGraphMeta *m = &s->base.meta;
	N2pSchemaItem *it;
	N2pStr		name,
				type,
				entity,
				create;

	if (!str_field(&f[0], &name) || !str_field(&f[1], &type) || !str_field(&f[5], &create))
		return n2p_error_set(err, N2P_ERR_DATA, "Neo4j: unexpected reply listing its %ss", kind);
	if ((it = meta_grow(s, m->schema, m->nschema, sizeof(*it), err)) == NULL)
		return false;
	m->schema = it;
	it = &m->schema[m->nschema++];
	it->kind = kind;
	if ((it->name = meta_strdup(s, name)) == NULL || (it->type = meta_strdup(s, type)) == NULL ||
		(it->create = meta_strdup(s, create)) == NULL)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	it->entity = NULL;
	if (str_field(&f[2], &entity) && (it->entity = meta_strdup(s, entity)) != NULL &&
		!(str_list(s, &f[3], &it->tokens, &it->ntokens) && str_list(s, &f[4], &it->props, &it->nprops)))
		it->entity = NULL;
	return true;
}

/* A single-property node uniqueness constraint, as the backup's list has. */
static bool
add_uniqueness(Neo4jSource *s, const N2pValue *f, N2pError *err)
{
	N2pGraphMeta *m = &s->base.meta;
	N2pStr		name,
				type,
				entity,
				label,
				prop;
	N2pConstraint *c;

	if (!str_field(&f[0], &name) || !str_field(&f[1], &type) || !str_field(&f[2], &entity) ||
		!n2p_str_eq(entity, "NODE") ||
		!(n2p_str_eq(type, "UNIQUENESS") || n2p_str_eq(type, "NODE_PROPERTY_UNIQUENESS")) ||
		!single(&f[3], &label) || !single(&f[4], &prop))
		return true;
	if ((c = meta_grow(s, m->constraints, m->nconstraints, sizeof(*c), err)) == NULL)
		return false;
	m->constraints = c;
	c = &m->constraints[m->nconstraints++];
	if ((c->label = meta_strdup(s, label)) == NULL || (c->prop = meta_strdup(s, prop)) == NULL ||
		(c->name = meta_strdup(s, name)) == NULL)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	return true;
}

static bool
read_schema(Neo4jSource *s, const char *query, const char *kind, N2pError *err)
{
	N2pValue	row;
	int			r;

	if (!n2p_bolt_run(s->opts.bolt, query, NULL, 1000, err))
		return false;
	while ((r = n2p_bolt_next(s->opts.bolt, &s->arena, &row, err)) > 0)
	{
		if (row.u.list.n < 6)
			return n2p_error_set(err, N2P_ERR_DATA, "Neo4j: unexpected reply listing its %ss", kind);
		if (!add_schema_item(s, kind, row.u.list.items, err) ||
			(strcmp(kind, "constraint") == 0 && !add_uniqueness(s, row.u.list.items, err)))
			return false;
		n2p_arena_reset(&s->arena);
	}
	return r == 0;
}

/* The database's id, as the Python tool records it in db_id.json. */
static bool
read_db_id(Neo4jSource *s, N2pError *err)
{
	N2pValue	row;
	int			r;

	if (!n2p_bolt_run(s->opts.bolt, DB_ID_QUERY, NULL, 1, err))
		return false;
	while ((r = n2p_bolt_next(s->opts.bolt, &s->arena, &row, err)) > 0)
		if (row.u.list.n == 1 && row.u.list.items[0].type == N2P_STRING &&
			(s->base.meta.db_id = n2p_arena_strndup(&s->meta_arena, row.u.list.items[0].u.str.ptr,
													 row.u.list.items[0].u.str.len)) == NULL)
			return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	return r == 0;
}

/* ------------------------------------------------------- zone offsets */

static uint64_t
offset_hash(N2pStr zone, int64_t secs)
{
	return n2p_fnv1a(N2P_FNV1A_BASIS ^ (uint64_t) secs, zone.ptr, zone.len);
}

static bool
cache_get(Neo4jSource *s, N2pStr zone, int64_t secs, int32_t *offset)
{
	OffsetEntry *e = &s->offsets[offset_hash(zone, secs) % OFFSET_CACHE];

	if (zone.len == 0 || zone.len >= ZONE_MAX || e->secs != secs || strlen(e->zone) != zone.len ||
		memcmp(e->zone, zone.ptr, zone.len) != 0)
		return false;
	*offset = e->offset;
	return true;
}

/* A direct-mapped cache: a new answer evicts the slot's old one. */
static void
cache_put(Neo4jSource *s, N2pStr zone, int64_t secs, int32_t offset)
{
	OffsetEntry *e = &s->offsets[offset_hash(zone, secs) % OFFSET_CACHE];

	if (zone.len == 0 || zone.len >= ZONE_MAX)
		return;
	memcpy(e->zone, zone.ptr, zone.len);
	e->zone[zone.len] = '\0';
	e->secs = secs;
	e->offset = offset;
}

/* Ask the server for one instant (one that no batch asked); cache it. */
static bool
lookup_offset(Neo4jSource *s, N2pStr zone, int64_t secs, bool utc, int32_t *offset, N2pError *err)
{
	N2pStr		keys[2] = {{"s", 1}, {"z", 1}};
	N2pValue	vals[2],
				params,
				row;
	N2pArena	tmp;
	int			r;

	if (cache_get(s, zone, secs, offset))
		return true;
	if (s->opts.side == NULL)
		return n2p_error_set(err, N2P_ERR_USAGE, "a DateTime with a zone id needs a second connection");
	s->stats.asked++;
	memset(vals, 0, sizeof(vals));
	vals[0].type = N2P_INT;
	vals[0].u.i = secs;
	vals[1].type = N2P_STRING;
	vals[1].u.str = zone;
	params.type = N2P_MAP;
	params.u.map.keys = keys;
	params.u.map.vals = vals;
	params.u.map.n = 2;
	n2p_arena_init(&tmp, s->alloc, 0);
	r = n2p_bolt_run(s->opts.side, utc ? OFFSET_UTC_QUERY : OFFSET_LOCAL_QUERY, &params, 1, err) ?
		n2p_bolt_next(s->opts.side, &tmp, &row, err) : -1;
	if (r == 1 && row.u.list.n == 1 && row.u.list.items[0].type == N2P_INT)
		*offset = (int32_t) row.u.list.items[0].u.i;
	else if (r >= 0)
	{
		n2p_error_set(err, N2P_ERR_DATA, "Neo4j gave no offset for zone \"%.*s\"", (int) zone.len, zone.ptr);
		r = -1;
	}
	/* read the result to its end, so that the connection is ready again */
	if (r == 1 && n2p_bolt_next(s->opts.side, &tmp, &row, err) != 0)
		r = -1;
	n2p_arena_destroy(&tmp);
	if (r != 1)
		return false;
	cache_put(s, zone, secs, *offset);
	return true;
}

/* ---------------------------------------------- a batch's zone offsets */

/* The batch table's slot of an instant: its own, or the free one to take. */
static Pending *
pending_slot(Batch *bt, N2pStr zone, int64_t secs)
{
	size_t		i = offset_hash(zone, secs) & (PENDING_SLOTS - 1);

	for (;; i = (i + 1) & (PENDING_SLOTS - 1))
	{
		Pending    *p = &bt->pending[i];

		if (p->zone.len == 0 ||
			(p->secs == secs && p->zone.len == zone.len && memcmp(p->zone.ptr, zone.ptr, zone.len) == 0))
			return p;
	}
}

static bool
is_zoned(const N2pValue *v, bool utc)
{
	return v->type == N2P_STRUCT &&
		v->u.st.tag == (utc ? N2P_PS_DATETIME_ZONE : N2P_PS_DATETIME_ZONE_LEGACY);
}

/* ----------------------------------------------- the host's tz database */

static bool
local_range(int64_t secs)
{
	return secs >= LOCAL_FROM && secs < LOCAL_UNTIL;
}

static void
zone_differs(Neo4jSource *s, ZoneState *z)
{
	size_t		used = strlen(s->stats.differ);

	z->trust = ZONE_SERVER;
	s->stats.zones_server++;
	if (used + z->len + 2 < sizeof(s->stats.differ))
		snprintf(s->stats.differ + used, sizeof(s->stats.differ) - used, "%s%s", used ? " " : "", z->name);
}

/* The instants that check a zone: 1970, 2100, and both sides of each change between. */
static size_t
zone_checks(const N2pTzZone *tz)
{
	int64_t		t = LOCAL_FROM;
	size_t		n = 2;

	while (n2p_tz_zone_next(tz, t, &t) && t < LOCAL_UNTIL)
		n += 2;
	return n;
}

/* A zone's standing, made on first sight; NULL without a tz database or room. */
static ZoneState *
zone_state(Neo4jSource *s, N2pStr zone)
{
	ZoneState  *z;
	size_t		i;

	if (s->zones == NULL || zone.len == 0 || zone.len >= ZONE_MAX)
		return NULL;
	for (i = n2p_fnv1a(N2P_FNV1A_BASIS, zone.ptr, zone.len) & (ZONE_SLOTS - 1);; i = (i + 1) & (ZONE_SLOTS - 1))
	{
		z = &s->zones[i];
		if (z->len == 0)
			break;
		if (z->len == zone.len && memcmp(z->name, zone.ptr, zone.len) == 0)
			return z;
	}
	if (s->nzones == ZONE_KEPT)
		return NULL;
	s->nzones++;
	memcpy(z->name, zone.ptr, zone.len);
	z->name[zone.len] = '\0';
	z->len = zone.len;
	z->tz = n2p_tzdb_zone(s->opts.tzdb, zone.ptr, zone.len);
	z->need = z->tz ? zone_checks(z->tz) : 0;
	/* a zone that changes too often to be checked in one batch is asked */
	z->trust = z->tz && s->opts.side && z->need <= PENDING_MAX / 4 ? ZONE_NEW : ZONE_SERVER;
	if (z->trust == ZONE_SERVER)
		s->stats.zones_server++;
	return z;
}

static void
add_check(Batch *bt, ZoneState *z, N2pStr zone, int64_t secs)
{
	Pending    *p = pending_slot(bt, zone, secs);

	if (p->zone.len == 0)
	{
		p->zone = zone;
		p->secs = secs;
		p->known = false;
		bt->pending_order[bt->npending++] = (uint32_t) (p - bt->pending);
	}
	p->check = z;
}

/* Ask, with the batch, the offsets that check a zone; later if it has no room. */
static void
start_check(Neo4jSource *s, Batch *bt, ZoneState *z, N2pStr zone)
{
	int64_t		t = LOCAL_FROM;

	if (bt->npending + z->need + 1 > PENDING_MAX)
		return;
	z->trust = ZONE_CHECKING;
	z->batch = (int) (bt - s->batch);
	add_check(bt, z, zone, LOCAL_FROM);
	add_check(bt, z, zone, LOCAL_UNTIL - 1);
	while (n2p_tz_zone_next(z->tz, t, &t) && t < LOCAL_UNTIL)
	{
		add_check(bt, z, zone, t - 1);
		add_check(bt, z, zone, t);
	}
}

/*
 * With the batch's answers in: a zone checked by the batch whose every
 * answer matched is answered by the tz database from now on.
 */
static void
settle_checks(Neo4jSource *s, Batch *bt)
{
	size_t		i;

	if (s->zones == NULL)
		return;
	for (i = 0; i < bt->npending; i++)
	{
		Pending    *p = &bt->pending[bt->pending_order[i]];

		if (p->check && p->check->trust == ZONE_CHECKING &&
			(!p->known || p->offset != n2p_tz_zone_offset(p->check->tz, p->secs)))
			zone_differs(s, p->check);
	}
	for (i = 0; i < ZONE_SLOTS; i++)
		if (s->zones[i].trust == ZONE_CHECKING && s->zones[i].batch == bt - s->batch)
		{
			s->zones[i].trust = ZONE_LOCAL;
			s->stats.zones_local++;
		}
}

/* The offset from the tz database, if the zone is trusted for the instant. */
static bool
local_offset(Neo4jSource *s, const N2pValue *v, int32_t *offset)
{
	const N2pValue *f = v->u.st.fields;
	ZoneState  *z;

	if (v->u.st.tag != N2P_PS_DATETIME_ZONE || !local_range(f[0].u.i) ||
		(z = zone_state(s, f[2].u.str)) == NULL || z->trust != ZONE_LOCAL)
		return false;
	*offset = n2p_tz_zone_offset(z->tz, f[0].u.i);
	s->stats.local++;
	return true;
}

/* Note an instant of the batch; the cache is consulted when it is asked. */
static void
note_instant(Neo4jSource *s, Batch *bt, const N2pValue *v, bool utc)
{
	const N2pValue *f = v->u.st.fields;
	ZoneState  *z;
	Pending    *p;

	if (!is_zoned(v, utc) || f[2].u.str.len == 0 || bt->npending == PENDING_MAX)
		return;
	if (utc && local_range(f[0].u.i) && (z = zone_state(s, f[2].u.str)) != NULL)
	{
		if (z->trust == ZONE_LOCAL)
			return;
		if (z->trust == ZONE_NEW)
			start_check(s, bt, z, f[2].u.str);
	}
	p = pending_slot(bt, f[2].u.str, f[0].u.i);
	if (p->zone.len > 0)
		return;
	p->zone = f[2].u.str;
	p->secs = f[0].u.i;
	p->known = false;
	p->check = NULL;
	bt->pending_order[bt->npending++] = (uint32_t) (p - bt->pending);
}

/* The zoned DateTimes of a row's properties; the row's shape is checked later. */
static void
note_row(Neo4jSource *s, Batch *bt, const N2pValue *row)
{
	size_t		k = bt->phase == N2P_REC_NODE ? 2 : 4,
				i,
				j;
	bool		utc = n2p_bolt_utc(s->opts.bolt);
	const N2pValue *props;

	if (row->type != N2P_LIST || row->u.list.n <= k || row->u.list.items[k].type != N2P_MAP)
		return;
	props = &row->u.list.items[k];
	for (i = 0; i < props->u.map.n; i++)
	{
		const N2pValue *v = &props->u.map.vals[i];

		if (v->type == N2P_LIST)
			for (j = 0; j < v->u.list.n; j++)
				note_instant(s, bt, &v->u.list.items[j], utc);
		else
			note_instant(s, bt, v, utc);
	}
}

static bool
no_offsets(N2pError *err)
{
	return n2p_error_set(err, N2P_ERR_DATA, "Neo4j gave no offsets for a batch of zoned DateTimes");
}

/* The offsets' row: one list, an integer for each instant asked. */
static bool
offsets_reply(Neo4jSource *s, Batch *bt, const N2pValue *row, N2pError *err)
{
	const N2pValue *list = row->u.list.items;
	size_t		i;

	if (row->u.list.n != 1 || list->type != N2P_LIST || list->u.list.n != bt->nasked)
		return no_offsets(err);
	for (i = 0; i < bt->nasked; i++)
	{
		Pending    *p = &bt->pending[bt->asked[i]];

		if (list->u.list.items[i].type != N2P_INT)
			return n2p_error_set(err, N2P_ERR_DATA, "Neo4j gave no offset for zone \"%.*s\"",
								 (int) p->zone.len, p->zone.ptr);
		p->offset = (int32_t) list->u.list.items[i].u.i;
		p->known = true;
		cache_put(s, p->zone, p->secs, p->offset);
	}
	return true;
}

/*
 * Send the query for the offsets of the batch's instants that the cache
 * does not know, without waiting for the answer.  The cache is asked only
 * now, when the previous batch's answers are in it.
 */
static bool
send_ask(Neo4jSource *s, Batch *bt, N2pError *err)
{
	N2pStr		keys[2] = {{"s", 1}, {"z", 1}};
	N2pValue	vals[2],
				params,
			   *secs,
			   *zones;
	size_t		i,
				n = 0;

	n2p_arena_reset(&bt->ask);
	bt->nasked = 0;
	if (s->opts.side == NULL || bt->npending == 0)
		return true;			/* without a side connection each instant fails alone */
	secs = n2p_arena_alloc(&bt->ask, bt->npending * sizeof(N2pValue));
	zones = n2p_arena_alloc(&bt->ask, bt->npending * sizeof(N2pValue));
	bt->asked = n2p_arena_alloc(&bt->ask, bt->npending * sizeof(uint32_t));
	if (secs == NULL || zones == NULL || bt->asked == NULL)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	for (i = 0; i < bt->npending; i++)
	{
		Pending    *p = &bt->pending[bt->pending_order[i]];

		if ((p->known = cache_get(s, p->zone, p->secs, &p->offset)))
			continue;
		memset(&secs[n], 0, sizeof(N2pValue));
		memset(&zones[n], 0, sizeof(N2pValue));
		secs[n].type = N2P_INT;
		secs[n].u.i = p->secs;
		zones[n].type = N2P_STRING;
		zones[n].u.str = p->zone;
		bt->asked[n++] = bt->pending_order[i];
	}
	if ((bt->nasked = n) == 0)
		return true;
	s->stats.asked += n;
	memset(vals, 0, sizeof(vals));
	vals[0].type = vals[1].type = N2P_LIST;
	vals[0].u.list.items = secs;
	vals[1].u.list.items = zones;
	vals[0].u.list.n = vals[1].u.list.n = n;
	params.type = N2P_MAP;
	params.u.map.keys = keys;
	params.u.map.vals = vals;
	params.u.map.n = 2;
	return n2p_bolt_run_send(s->opts.side,
							 n2p_bolt_utc(s->opts.bolt) ? OFFSETS_UTC_QUERY : OFFSETS_LOCAL_QUERY,
							 &params, 0, err);
}

/* Read the answer to send_ask's query: one row, then the end. */
static bool
read_ask(Neo4jSource *s, Batch *bt, N2pError *err)
{
	N2pValue	row;
	int			r;

	if (bt->nasked == 0)
		return true;
	if ((r = n2p_bolt_next(s->opts.side, &bt->ask, &row, err)) <= 0)
		return r == 0 ? no_offsets(err) : false;
	if (!offsets_reply(s, bt, &row, err))
		return false;
	if ((r = n2p_bolt_next(s->opts.side, &bt->ask, &row, err)) != 0)
		return r > 0 ? no_offsets(err) : false;
	return true;
}

/* The offset of an instant: from the batch's answers, else asked alone. */
static bool
offset_of(Neo4jSource *s, const N2pValue *v, int32_t *offset, N2pError *err)
{
	const N2pValue *f = v->u.st.fields;
	bool		utc = v->u.st.tag == N2P_PS_DATETIME_ZONE;

	if (f[2].u.str.len > 0 && local_offset(s, v, offset))
		return true;
	if (f[2].u.str.len > 0 && is_zoned(v, n2p_bolt_utc(s->opts.bolt)))
	{
		Pending    *p = pending_slot(&s->batch[s->cur], f[2].u.str, f[0].u.i);

		if (p->zone.len > 0 && p->known)
		{
			*offset = p->offset;
			return true;
		}
	}
	return lookup_offset(s, f[2].u.str, f[0].u.i, utc, offset, err);
}

/* A zoned DateTime ('i' or 'f') into the model: local seconds and offset. */
static bool
resolve_zone(Neo4jSource *s, N2pValue *v, N2pError *err)
{
	const N2pValue *f = v->u.st.fields;
	bool		utc = v->u.st.tag == N2P_PS_DATETIME_ZONE;
	int64_t		secs = f[0].u.i;
	int32_t		offset = 0;
	N2pStr		zone = f[2].u.str;

	if (!offset_of(s, v, &offset, err))
		return false;
	if (f[1].u.i < 0 || f[1].u.i > 999999999)
		return n2p_error_set(err, N2P_ERR_DATA, "Neo4j sent a DateTime with nanoseconds out of range");
	v->type = N2P_DATETIME;
	memset(&v->u.dt, 0, sizeof(v->u.dt));
	v->u.dt.secs = utc ? secs + offset : secs;
	v->u.dt.nanos = (int32_t) f[1].u.i;
	v->u.dt.offset = offset;
	v->u.dt.zone = zone;
	return true;
}

static bool
check_value(Neo4jSource *s, N2pValue *v, bool in_list, N2pError *err)
{
	size_t		i;

	switch (v->type)
	{
		case N2P_STRUCT:
			if (v->u.st.tag == N2P_PS_DATETIME_ZONE || v->u.st.tag == N2P_PS_DATETIME_ZONE_LEGACY)
				return resolve_zone(s, v, err);
			return n2p_error_set(err, N2P_ERR_DATA, "Neo4j sent a graph structure as a property value");
		case N2P_NULL:
		case N2P_MAP:
			return n2p_error_set(err, N2P_ERR_DATA, "Neo4j sent a %s as a property value",
								 n2p_type_name(v->type));
		case N2P_LIST:
			if (in_list)
				return n2p_error_set(err, N2P_ERR_DATA, "Neo4j sent a nested list as a property value");
			for (i = 0; i < v->u.list.n; i++)
				if (!check_value(s, &v->u.list.items[i], true, err))
					return false;
			return true;
		default:
			return true;
	}
}

static bool
convert_props(Neo4jSource *s, N2pValue *props, N2pError *err)
{
	size_t		i;

	if (props->type != N2P_MAP)
		return n2p_error_set(err, N2P_ERR_DATA, "Neo4j sent properties that are not a map");
	for (i = 0; i < props->u.map.n; i++)
		if (!check_value(s, &props->u.map.vals[i], false, err))
		{
			n2p_error_set_key(err, props->u.map.keys[i].ptr, props->u.map.keys[i].len);
			return false;
		}
	return true;
}

/* -------------------------------------------------------------- records */

static bool
bad_row(N2pError *err)
{
	return n2p_error_set(err, N2P_ERR_DATA, "Neo4j sent a row of an unexpected shape");
}

static bool
convert_node(Neo4jSource *s, const N2pValue *row, N2pRecord *rec, N2pError *err)
{
	const N2pValue *f = row->u.list.items;
	size_t		i;

	if (row->u.list.n != 4 || f[0].type != N2P_INT || f[1].type != N2P_LIST ||
		f[3].type != N2P_STRING)
		return bad_row(err);
	rec->id = f[0].u.i;
	err->row_id = rec->id;
	rec->nlabels = f[1].u.list.n;
	rec->labels = n2p_arena_alloc(&s->batch[s->cur].arena, (rec->nlabels + 1) * sizeof(N2pStr));
	if (rec->labels == NULL)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	for (i = 0; i < rec->nlabels; i++)
		if (!str_field(&f[1].u.list.items[i], &rec->labels[i]))
			return bad_row(err);
	rec->element_id = f[3].u.str;
	rec->props = f[2];
	return convert_props(s, &rec->props, err);
}

static bool
convert_rel(Neo4jSource *s, const N2pValue *row, N2pRecord *rec, N2pError *err)
{
	const N2pValue *f = row->u.list.items;

	if (row->u.list.n != 6 || f[0].type != N2P_INT || f[1].type != N2P_STRING ||
		f[2].type != N2P_INT || f[3].type != N2P_INT || f[5].type != N2P_STRING)
		return bad_row(err);
	rec->id = f[0].u.i;
	err->row_id = rec->id;
	rec->type = f[1].u.str;
	rec->start_id = f[2].u.i;
	rec->end_id = f[3].u.i;
	rec->element_id = f[5].u.str;
	rec->props = f[4];
	return convert_props(s, &rec->props, err);
}

static void
locate(Neo4jSource *s, N2pRecKind phase, N2pError *err)
{
	const char *kind = phase == N2P_REC_NODE ? "node" : "relationship";

	if (err->file[0] == '\0' && s->opts.display)
		snprintf(err->file, sizeof(err->file), "%s", s->opts.display);
	if (err->row_kind == NULL && err->row_id >= 0)
		err->row_kind = kind;
}

/* A record that did not arrive or decode has no id: name its predecessor. */
static void
name_predecessor(Neo4jSource *s, N2pError *err)
{
	size_t		len = strlen(err->msg);

	if (s->last_id >= 0)
		snprintf(err->msg + len, sizeof(err->msg) - len, " (in the record after %s %lld)",
				 s->phase == N2P_REC_NODE ? "node" : "relationship", (long long) s->last_id);
}

/* Start the next phase's query, or end the stream. */
static int
next_phase(Neo4jSource *s, N2pError *err)
{
	if (s->phase == N2P_REC_NODE && !s->running)
	{
		s->running = true;
		if (!n2p_bolt_run(s->opts.bolt, n2p_bolt_version(s->opts.bolt) >= 5 * 256 ? NODES_QUERY : NODES_QUERY_4,
						  NULL, s->opts.fetch_size, err))
			return -1;
		/*
		 * The relationships' query is queued at once: the server runs it
		 * as soon as it has sent the nodes, while they wait in the
		 * socket's buffers for this end and PostgreSQL to catch up,
		 * instead of idling until the last node is read.
		 */
		s->rels_queued = s->opts.fetch_size < 0;
		return !s->rels_queued || n2p_bolt_run_next(s->opts.bolt, RELS_QUERY, NULL, err) ? 1 : -1;
	}
	if (s->phase == N2P_REC_NODE)
	{
		s->phase = N2P_REC_REL;
		s->last_id = -1;
		return s->rels_queued || n2p_bolt_run_send(s->opts.bolt, RELS_QUERY, NULL, s->opts.fetch_size, err)
			? 1 : -1;
	}
	s->done = true;
	s->in_tx = false;
	if (!n2p_bolt_commit(s->opts.bolt, err))
		return -1;
	return 0;
}

/* A row holding one Node structure, as the four fields it carries. */
static void
flat_node(N2pValue *row)
{
	const N2pValue *n = row->u.list.n == 1 ? &row->u.list.items[0] : NULL;

	if (n && n->type == N2P_STRUCT && n->u.st.tag == N2P_PS_NODE && n->u.st.n == 4)
	{
		row->u.list.items = n->u.st.fields;
		row->u.list.n = 4;
	}
}

/*
 * Read the next batch of one phase's records into bt and note their
 * zoned DateTimes; bt->nrows is 0 at the end of the stream.
 */
static bool
read_batch(Neo4jSource *s, Batch *bt, N2pError *err)
{
	size_t		i;

	for (i = 0; i < bt->npending; i++)
		bt->pending[bt->pending_order[i]].zone.len = 0;
	bt->npending = 0;
	bt->nrows = bt->next_row = 0;
	n2p_arena_reset(&bt->arena);
	while (!s->done && bt->nrows < BATCH_ROWS && bt->arena.total < BATCH_BYTES &&
		   bt->npending < PENDING_MAX)
	{
		N2pValue   *row = &bt->rows[bt->nrows];
		int			r = s->running ? n2p_bolt_next(s->opts.bolt, &bt->arena, row, err) : 0;

		if (r < 0)
			return (name_predecessor(s, err), false);
		if (r > 0)
		{
			if (bt->nrows == 0)
				bt->phase = s->phase;
			flat_node(row);
			if (row->u.list.n > 0 && row->u.list.items[0].type == N2P_INT)
				s->last_id = row->u.list.items[0].u.i;
			note_row(s, bt, &bt->rows[bt->nrows++]);
			continue;
		}
		/*
		 * The nodes are all read: the relationships' query goes out now,
		 * so that the server streams them while the last batches of nodes
		 * are written and their COPY ends, instead of waiting idle until
		 * the first relationship is asked for.
		 */
		if (s->phase == N2P_REC_NODE)
		{
			if (s->running)
				s->base.meta.node_bytes = n2p_bolt_bytes_read(s->opts.bolt) - s->start_bytes;
			if (next_phase(s, err) < 0)
				return false;
			if (bt->nrows > 0)
				break;
			continue;
		}
		if (bt->nrows > 0)
			break;				/* a batch holds one phase's records */
		s->base.meta.rel_bytes = n2p_bolt_bytes_read(s->opts.bolt) - s->start_bytes - s->base.meta.node_bytes;
		if (next_phase(s, err) < 0)
			return false;
	}
	return true;
}

/*
 * Move to the next batch, ready to emit: its offsets' query goes out,
 * the batch after it is read from the extraction's connection while the
 * server answers on the side connection, then the answers are read.  So
 * the server works on both queries at once, and at most two batches are
 * held.  1 with a batch to emit, 0 at the end, -1.
 */
static int
next_batch(Neo4jSource *s, N2pError *err)
{
	Batch	   *bt;

	if (s->ended)
		return 0;
	if (!s->started)
	{
		s->started = true;
		if (!read_batch(s, &s->batch[s->cur], err))
			return -1;
	}
	else
		s->cur ^= 1;
	bt = &s->batch[s->cur];
	if (bt->nrows == 0)
		return (s->ended = true, 0);
	if (!send_ask(s, bt, err) || !read_batch(s, &s->batch[s->cur ^ 1], err) || !read_ask(s, bt, err))
		return -1;
	settle_checks(s, bt);
	return 1;
}

static int
neo4j_next(N2pSource *src, N2pRecord *rec, N2pError *err)
{
	Neo4jSource *s = (Neo4jSource *) src;
	Batch	   *bt = &s->batch[s->cur];
	const N2pValue *row;
	int			r;
	bool		ok;

	memset(rec, 0, sizeof(*rec));
	/*
	 * Records are read a batch ahead: a failure reading is at the wire's
	 * record (name_predecessor), not at the last record handed on.
	 */
	err->row_id = -1;
	if (bt->next_row == bt->nrows && (r = next_batch(s, err)) <= 0)
		return r < 0 ? (locate(s, s->phase, err), -1) : 0;
	bt = &s->batch[s->cur];
	row = &bt->rows[bt->next_row++];
	rec->kind = bt->phase;
	ok = bt->phase == N2P_REC_NODE ? convert_node(s, row, rec, err) : convert_rel(s, row, rec, err);
	if (!ok)
		return (locate(s, bt->phase, err), -1);
	return 1;
}

/*
 * Bytes received for the phase being emitted.  The nodes' count is
 * known when their result ends (meta.node_bytes, which the pump shows
 * for the phase); records read ahead count when they are read.
 */
static uint64_t
neo4j_bytes_done(N2pSource *src)
{
	Neo4jSource *s = (Neo4jSource *) src;
	uint64_t	all = n2p_bolt_bytes_read(s->opts.bolt);

	if (s->batch[s->cur].phase == N2P_REC_NODE)
		return s->base.meta.node_bytes ? s->base.meta.node_bytes : all - s->start_bytes;
	return all - s->start_bytes - s->base.meta.node_bytes;
}

static void
batch_free(Neo4jSource *s, Batch *bt)
{
	n2p_arena_destroy(&bt->arena);
	n2p_arena_destroy(&bt->ask);
	n2p_free(s->alloc, bt->rows);
	n2p_free(s->alloc, bt->pending);
	n2p_free(s->alloc, bt->pending_order);
}

static bool
batch_init(Neo4jSource *s, Batch *bt)
{
	n2p_arena_init(&bt->arena, s->alloc, 0);
	n2p_arena_init(&bt->ask, s->alloc, 0);
	bt->rows = n2p_alloc(s->alloc, BATCH_ROWS * sizeof(N2pValue));
	bt->pending = n2p_alloc(s->alloc, PENDING_SLOTS * sizeof(Pending));
	bt->pending_order = n2p_alloc(s->alloc, PENDING_MAX * sizeof(uint32_t));
	if (bt->rows == NULL || bt->pending == NULL || bt->pending_order == NULL)
		return false;
	memset(bt->pending, 0, PENDING_SLOTS * sizeof(Pending));
	return true;
}

static void
neo4j_close(N2pSource *src)
{
	Neo4jSource *s = (Neo4jSource *) src;
	N2pError	ignore;

	if (s == NULL)
		return;
	n2p_error_init(&ignore);
	/* a stream cut short: end the transaction, not the connection */
	if (s->in_tx && !s->running)
		n2p_bolt_rollback(s->opts.bolt, &ignore);
	if (s->side_tx)
		n2p_bolt_rollback(s->opts.side, &ignore);
	n2p_arena_destroy(&s->arena);
	n2p_arena_destroy(&s->meta_arena);
	n2p_free(s->alloc, s->offsets);
	n2p_free(s->alloc, s->zones);
	batch_free(s, &s->batch[0]);
	batch_free(s, &s->batch[1]);
	n2p_free(s->alloc, s);
}

static const N2pSourceOps neo4j_ops = {neo4j_next, neo4j_bytes_done, neo4j_close};

N2pSource *
n2p_neo4j_source_open(const N2pAllocator *alloc, const N2pNeo4jSourceOptions *opts, N2pError *err)
{
	Neo4jSource *s = n2p_alloc(alloc, sizeof(Neo4jSource));

	if (s == NULL)
		return (n2p_error_set(err, N2P_ERR_NOMEM, "out of memory"), NULL);
	memset(s, 0, sizeof(*s));
	s->base.ops = &neo4j_ops;
	s->alloc = alloc;
	s->opts = *opts;

	/*
	 * 0 pulls the whole result in one PULL: the server streams without
	 * waiting for the next PULL at each batch's end (TCP's window bounds
	 * what is in flight), so its query thread and the decoding here
	 * overlap instead of taking turns; copy bolt:// DIR went from 1.60 to
	 * 1.16 times a bare drain on a quiet machine (README, Performance).
	 */
	if (s->opts.fetch_size == 0)
		s->opts.fetch_size = -1;
	s->base.meta.source = opts->display;
	s->base.meta.element_ids = true;
	s->base.meta.wire_bytes = true;
	s->last_id = -1;
	s->base.meta.zone_ids = true;
	n2p_arena_init(&s->arena, alloc, 0);
	n2p_arena_init(&s->meta_arena, alloc, 0);
	s->offsets = n2p_alloc(alloc, OFFSET_CACHE * sizeof(OffsetEntry));
	if (opts->tzdb && (s->zones = n2p_alloc(alloc, ZONE_SLOTS * sizeof(ZoneState))) != NULL)
		memset(s->zones, 0, ZONE_SLOTS * sizeof(ZoneState));
	if (!batch_init(s, &s->batch[0]) || !batch_init(s, &s->batch[1]) || s->offsets == NULL ||
		(opts->tzdb && s->zones == NULL))
	{
		neo4j_close(&s->base);
		return (n2p_error_set(err, N2P_ERR_NOMEM, "out of memory"), NULL);
	}
	memset(s->offsets, 0, OFFSET_CACHE * sizeof(OffsetEntry));
	if (!n2p_bolt_begin(opts->bolt, "r", opts->database, err) ||
		(s->in_tx = true, !read_schema(s, CONSTRAINTS_QUERY, "constraint", err)) ||
		!read_schema(s, INDEXES_QUERY, "index", err) || !read_db_id(s, err) ||
		(opts->side && !(s->side_tx = n2p_bolt_begin(opts->side, "r", opts->database, err))))
	{
		locate(s, s->phase, err);
		neo4j_close(&s->base);
		return NULL;
	}
	n2p_arena_reset(&s->arena);
	s->start_bytes = n2p_bolt_bytes_read(opts->bolt);
	return &s->base;
}

void
n2p_neo4j_source_zone_stats(N2pSource *src, N2pZoneStats *out)
{
	*out = ((Neo4jSource *) src)->stats;
}
