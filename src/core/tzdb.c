/*-------------------------------------------------------------------------
 *
 * tzdb.c
 *	  Zone offsets from the host's tz database: the TZif reader, the
 *	  POSIX TZ rule of its footer, and a bounded cache of zones by name.
 *
 * Only the 64-bit data of version 2 and later files is read: the 32-bit
 * block ends in 2038, and its zones' rules are in the footer anyway.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/core/tzdb.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/tzdb.h"
#include "neo2pg/value.h"

#include <stdio.h>
#include <string.h>

#define DAY 86400
#define JAVA_MAX_OFFSET (18 * 3600)	/* java.time.ZoneOffset's range */
#define TZIF_MAX (256 * 1024)	/* real files are under 10 kB */
#define ZONE_NAME_MAX 64
#define ZONE_SLOTS 1024				/* a power of two */
#define ZONE_MAX_KEPT (ZONE_SLOTS / 2)	/* tzdata has about 600 names */

/* ------------------------------------------------------- POSIX TZ rules */

typedef struct Cursor
{
	const char *p;
	const char *end;
} Cursor;

static bool
at(const Cursor *c, char ch)
{
	return c->p < c->end && *c->p == ch;
}

static bool
digit(const Cursor *c)
{
	return c->p < c->end && *c->p >= '0' && *c->p <= '9';
}

/* A decimal number of at most max; false when there is none. */
static bool
number(Cursor *c, int max, int *out)
{
	int			v = 0;

	if (!digit(c))
		return false;
	while (digit(c))
	{
		v = v * 10 + (*c->p++ - '0');
		if (v > max)
			return false;
	}
	*out = v;
	return true;
}

/* A zone abbreviation: "<+0330>" or three letters or more. */
static bool
tz_name(Cursor *c)
{
	const char *start = c->p;

	if (at(c, '<'))
	{
		for (c->p++; c->p < c->end && *c->p != '>'; c->p++)
			if (!(digit(c) || (*c->p >= 'A' && *c->p <= 'Z') || (*c->p >= 'a' && *c->p <= 'z') ||
				  *c->p == '+' || *c->p == '-'))
				return false;
		if (!at(c, '>') || c->p - start < 4)
			return false;
		c->p++;
		return true;
	}
	while (c->p < c->end && ((*c->p >= 'A' && *c->p <= 'Z') || (*c->p >= 'a' && *c->p <= 'z')))
		c->p++;
	return c->p - start >= 3;
}

/* [+-]hh[:mm[:ss]] in seconds; hours up to max_hours. */
static bool
hms(Cursor *c, int max_hours, int32_t *out)
{
	int			sign = 1,
				h,
				m = 0,
				s = 0;

	if (at(c, '+') || at(c, '-'))
		sign = *c->p++ == '-' ? -1 : 1;
	if (!number(c, max_hours, &h))
		return false;
	if (at(c, ':'))
	{
		c->p++;
		if (!number(c, 59, &m))
			return false;
		if (at(c, ':'))
		{
			c->p++;
			if (!number(c, 59, &s))
				return false;
		}
	}
	*out = sign * (h * 3600 + m * 60 + s);
	return true;
}

/* Jn, n or Mm.w.d, then an optional /time (02:00 by default). */
static bool
tz_when(Cursor *c, N2pTzWhen *w)
{
	memset(w, 0, sizeof(*w));
	if (at(c, 'J'))
	{
		c->p++;
		w->kind = 'J';
		if (!number(c, 365, &w->day) || w->day < 1)
			return false;
	}
	else if (at(c, 'M'))
	{
		c->p++;
		w->kind = 'M';
		if (!number(c, 12, &w->month) || w->month < 1 || !at(c, '.') || (c->p++, !number(c, 5, &w->week)) ||
			w->week < 1 || !at(c, '.') || (c->p++, !number(c, 6, &w->day)))
			return false;
	}
	else
	{
		w->kind = 'D';
		if (!number(c, 365, &w->day))
			return false;
	}
	w->time = 7200;
	if (at(c, '/'))
	{
		c->p++;
		return hms(c, 167, &w->time);	/* RFC 8536 widens POSIX's 24 hours */
	}
	return true;
}

bool
n2p_tz_rule_parse(const char *s, size_t len, N2pTzRule *rule)
{
	Cursor		c = {s, s + len};
	int32_t		off;

	memset(rule, 0, sizeof(*rule));
	/* POSIX offsets count west of UTC: "EST5" is UTC-5 */
	if (!tz_name(&c) || !hms(&c, 24, &off))
		return false;
	rule->std_off = -off;
	if (c.p == c.end)
		return true;
	if (!tz_name(&c))
		return false;
	rule->has_dst = true;
	rule->dst_off = rule->std_off + 3600;
	if (!at(&c, ','))
	{
		if (!hms(&c, 24, &off))
			return false;
		rule->dst_off = -off;
	}
	/* a TZif footer with daylight time always says when */
	if (!at(&c, ',') || (c.p++, !tz_when(&c, &rule->start)) || !at(&c, ',') ||
		(c.p++, !tz_when(&c, &rule->end)))
		return false;
	return c.p == c.end;
}

static bool
leap_year(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int64_t y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && leap_year(y) ? 29 : days[m - 1];
}

/* The day (since 1970-01-01) on which w falls in year y. */
static int64_t
when_day(const N2pTzWhen *w, int64_t y)
{
	int64_t		jan1 = n2p_days_from_civil(y, 1, 1),
				first;
	int			dow,
				mday;

	if (w->kind == 'J')
		return jan1 + w->day - 1 + (leap_year(y) && w->day >= 60 ? 1 : 0);
	if (w->kind == 'D')
		return jan1 + w->day;
	first = n2p_days_from_civil(y, w->month, 1);
	dow = (int) (((first + 4) % 7 + 7) % 7);	/* 1970-01-01 was a Thursday */
	mday = 1 + (w->day - dow + 7) % 7 + (w->week - 1) * 7;
	while (mday > month_days(y, w->month))
		mday -= 7;
	return first + mday - 1;
}

/* Year y's start and end of daylight time, in UTC seconds. */
static void
rule_year(const N2pTzRule *r, int64_t y, int64_t *start, int64_t *end)
{
	*start = when_day(&r->start, y) * DAY + r->start.time - r->std_off;
	*end = when_day(&r->end, y) * DAY + r->end.time - r->dst_off;
}

static int64_t
year_of(int64_t t)
{
	int64_t		y;
	int			m,
				d;
	int64_t		days = t / DAY - (t % DAY < 0 ? 1 : 0);

	n2p_civil_from_days(days, &y, &m, &d);
	return y;
}

int32_t
n2p_tz_rule_offset(const N2pTzRule *r, int64_t t)
{
	int64_t		start,
				end;
	bool		dst;

	if (!r->has_dst)
		return r->std_off;
	/* the year of local standard time: a southern summer spans its new year */
	rule_year(r, year_of(t + r->std_off), &start, &end);
	if (start < end)
		dst = t >= start && t < end;
	else
		dst = !(t >= end && t < start);
	return dst ? r->dst_off : r->std_off;
}

/* --------------------------------------------------------------- TZif */

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | p[3];
}

static int64_t
be64(const uint8_t *p)
{
	return (int64_t) ((uint64_t) be32(p) << 32 | be32(p + 4));
}

typedef struct TzifHeader
{
	uint32_t	isutcnt,
				isstdcnt,
				leapcnt,
				timecnt,
				typecnt,
				charcnt;
} TzifHeader;

/* The header at p (44 bytes known to be there) and its data's size. */
static bool
tzif_header(const uint8_t *p, TzifHeader *h, size_t timesize, uint64_t *datalen, N2pError *err)
{
	if (memcmp(p, "TZif", 4) != 0)
		return n2p_error_set(err, N2P_ERR_DATA, "not a TZif file");
	if (p[4] < '2')
		return n2p_error_set(err, N2P_ERR_DATA, "a TZif file of version 1 (no 64-bit data)");
	h->isutcnt = be32(p + 20);
	h->isstdcnt = be32(p + 24);
	h->leapcnt = be32(p + 28);
	h->timecnt = be32(p + 32);
	h->typecnt = be32(p + 36);
	h->charcnt = be32(p + 40);
	if (h->typecnt == 0 || h->typecnt > 256 || (h->isutcnt != 0 && h->isutcnt != h->typecnt) ||
		(h->isstdcnt != 0 && h->isstdcnt != h->typecnt))
		return n2p_error_set(err, N2P_ERR_DATA, "a TZif header with impossible counts");
	*datalen = (uint64_t) h->timecnt * (timesize + 1) + (uint64_t) h->typecnt * 6 + h->charcnt +
		(uint64_t) h->leapcnt * (timesize + 4) + h->isstdcnt + h->isutcnt;
	return true;
}

/* The 64-bit block at p (its length checked) into zone. */
static bool
tzif_block(const uint8_t *p, const TzifHeader *h, N2pArena *arena, N2pTzZone *zone, N2pError *err)
{
	const uint8_t *idx = p + (size_t) h->timecnt * 8,
			   *types = idx + h->timecnt;
	int64_t    *trans = n2p_arena_alloc(arena, (h->timecnt + 1) * sizeof(int64_t));
	int32_t    *after = n2p_arena_alloc(arena, (h->timecnt + 1) * sizeof(int32_t)),
				offs[256];
	uint32_t	i;

	if (trans == NULL || after == NULL)
		return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	if (h->leapcnt != 0)
		return n2p_error_set(err, N2P_ERR_DATA, "a TZif file with leap seconds");
	for (i = 0; i < h->typecnt; i++)
	{
		offs[i] = (int32_t) be32(types + 6 * i);
		if (offs[i] < -JAVA_MAX_OFFSET || offs[i] > JAVA_MAX_OFFSET)
			return n2p_error_set(err, N2P_ERR_DATA, "a TZif offset beyond 18 hours");
	}
	for (i = 0; i < h->timecnt; i++)
	{
		trans[i] = be64(p + 8 * (size_t) i);
		if (idx[i] >= h->typecnt || (i > 0 && trans[i] <= trans[i - 1]))
			return n2p_error_set(err, N2P_ERR_DATA, "TZif transitions out of order");
		after[i] = offs[idx[i]];
	}
	zone->trans = trans;
	zone->after = after;
	zone->ntrans = h->timecnt;
	zone->first = offs[0];		/* RFC 8536: type 0 before the first transition */
	return true;
}

bool
n2p_tz_zone_parse(const uint8_t *data, size_t len, N2pArena *arena, N2pTzZone *zone, N2pError *err)
{
	TzifHeader	h;
	uint64_t	v1len,
				v2len;
	const uint8_t *p,
			   *footer,
			   *nl;

	memset(zone, 0, sizeof(*zone));
	if (len < 44)
		return n2p_error_set(err, N2P_ERR_DATA, "not a TZif file");
	if (!tzif_header(data, &h, 4, &v1len, err))
		return false;
	if (v1len > len - 44 || len - 44 - v1len < 44)
		return n2p_error_set(err, N2P_ERR_DATA, "a TZif file cut short");
	p = data + 44 + v1len;
	if (!tzif_header(p, &h, 8, &v2len, err))
		return false;
	if (v2len > (uint64_t) (data + len - p) - 44 || data + len - (p + 44 + v2len) < 2)
		return n2p_error_set(err, N2P_ERR_DATA, "a TZif file cut short");
	if (!tzif_block(p + 44, &h, arena, zone, err))
		return false;
	footer = p + 44 + v2len;
	nl = memchr(footer + 1, '\n', (size_t) (data + len - footer - 1));
	if (footer[0] != '\n' || nl == NULL)
		return n2p_error_set(err, N2P_ERR_DATA, "a TZif footer without its newlines");
	if (nl > footer + 1)
	{
		if (!n2p_tz_rule_parse((const char *) footer + 1, (size_t) (nl - footer - 1), &zone->rule))
			return n2p_error_set(err, N2P_ERR_DATA, "a TZif footer that is not a POSIX TZ rule");
		zone->has_rule = true;
	}
	return true;
}

/* The number of transitions at or before t. */
static size_t
transitions_upto(const N2pTzZone *z, int64_t t)
{
	size_t		lo = 0,
				hi = z->ntrans;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (z->trans[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int32_t
n2p_tz_zone_offset(const N2pTzZone *z, int64_t t)
{
	size_t		n = transitions_upto(z, t);

	if (n == 0)
		return z->ntrans == 0 && z->has_rule ? n2p_tz_rule_offset(&z->rule, t) : z->first;
	if (n == z->ntrans && z->has_rule)
		return n2p_tz_rule_offset(&z->rule, t);
	return z->after[n - 1];
}

bool
n2p_tz_zone_next(const N2pTzZone *z, int64_t t, int64_t *next)
{
	size_t		n = transitions_upto(z, t);
	int64_t		y,
				best = INT64_MAX;

	if (n < z->ntrans)
		return (*next = z->trans[n], true);
	if (!z->has_rule || !z->rule.has_dst)
		return false;
	for (y = year_of(t) - 1; y <= year_of(t) + 1; y++)
	{
		int64_t		start,
					end;

		rule_year(&z->rule, y, &start, &end);
		if (start > t && start < best)
			best = start;
		if (end > t && end < best)
			best = end;
	}
	*next = best;
	return best != INT64_MAX;
}

/* ------------------------------------------------------------ database */

typedef struct ZoneSlot
{
	char		name[ZONE_NAME_MAX];	/* "" for a free slot */
	const N2pTzZone *zone;		/* NULL: the database cannot answer */
} ZoneSlot;

struct N2pTzdb
{
	const N2pAllocator *alloc;
	const N2pFileIO *io;
	char	   *dir;
	N2pArena	arena;			/* the zones */
	ZoneSlot   *slots;
	size_t		nkept;
};

N2pTzdb *
n2p_tzdb_open(const N2pAllocator *alloc, const N2pFileIO *io, const char *dir)
{
	N2pTzdb    *db = n2p_alloc(alloc, sizeof(N2pTzdb));

	if (db == NULL)
		return NULL;
	memset(db, 0, sizeof(*db));
	db->alloc = alloc;
	db->io = io;
	n2p_arena_init(&db->arena, alloc, 0);
	db->dir = n2p_arena_strndup(&db->arena, dir ? dir : "/usr/share/zoneinfo",
								strlen(dir ? dir : "/usr/share/zoneinfo"));
	db->slots = n2p_alloc(alloc, ZONE_SLOTS * sizeof(ZoneSlot));
	if (db->dir == NULL || db->slots == NULL)
	{
		n2p_tzdb_close(db);
		return NULL;
	}
	memset(db->slots, 0, ZONE_SLOTS * sizeof(ZoneSlot));
	return db;
}

void
n2p_tzdb_close(N2pTzdb *db)
{
	if (db == NULL)
		return;
	n2p_arena_destroy(&db->arena);
	n2p_free(db->alloc, db->slots);
	n2p_free(db->alloc, db);
}

/*
 * Letters, digits, '_', '+', '-' in components joined by single '/': no
 * "..", no absolute path, nothing a server's data could use to open
 * another file.
 */
static bool
plain_zone_name(const char *s, size_t len)
{
	size_t		i;

	if (len == 0 || len >= ZONE_NAME_MAX || s[0] == '/' || s[len - 1] == '/')
		return false;
	for (i = 0; i < len; i++)
	{
		char		ch = s[i];

		if (ch == '/' ? s[i - 1] == '/' :
			!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' ||
			  ch == '+' || ch == '-'))
			return false;
	}
	return true;
}

/* The whole file, up to TZIF_MAX bytes, into a buffer; NULL when unreadable. */
static uint8_t *
read_file(N2pTzdb *db, const char *path, size_t *len)
{
	int			errnum = 0;
	void	   *f = db->io->open(path, db->io->ctx, &errnum);
	uint8_t    *buf = f ? n2p_alloc(db->alloc, TZIF_MAX) : NULL;
	ssize_t		n = 0;

	*len = 0;
	while (buf && *len < TZIF_MAX && (n = db->io->read(f, buf + *len, TZIF_MAX - *len, &errnum)) > 0)
		*len += (size_t) n;
	if (f)
		db->io->close(f);
	if (buf && (n < 0 || *len == TZIF_MAX))
	{
		n2p_free(db->alloc, buf);
		buf = NULL;
	}
	return buf;
}

static const N2pTzZone *
load_zone(N2pTzdb *db, const char *name, size_t len)
{
	char		path[4096];
	size_t		flen;
	uint8_t    *data;
	N2pTzZone  *zone;
	N2pError	err;
	bool		ok;

	if ((size_t) snprintf(path, sizeof(path), "%s/%.*s", db->dir, (int) len, name) >= sizeof(path) ||
		(data = read_file(db, path, &flen)) == NULL)
		return NULL;
	n2p_error_init(&err);
	zone = n2p_arena_alloc(&db->arena, sizeof(N2pTzZone));
	ok = zone != NULL && n2p_tz_zone_parse(data, flen, &db->arena, zone, &err);
	n2p_free(db->alloc, data);
	return ok ? zone : NULL;
}

const N2pTzZone *
n2p_tzdb_zone(N2pTzdb *db, const char *name, size_t len)
{
	size_t		i;

	if (!plain_zone_name(name, len))
		return NULL;
	for (i = n2p_fnv1a(N2P_FNV1A_BASIS, name, len) & (ZONE_SLOTS - 1);; i = (i + 1) & (ZONE_SLOTS - 1))
	{
		ZoneSlot   *s = &db->slots[i];

		if (s->name[0] == '\0')
			break;
		if (strncmp(s->name, name, len) == 0 && s->name[len] == '\0')
			return s->zone;
	}
	if (db->nkept == ZONE_MAX_KEPT)
		return NULL;
	db->nkept++;
	memcpy(db->slots[i].name, name, len);
	db->slots[i].name[len] = '\0';
	db->slots[i].zone = load_zone(db, name, len);
	return db->slots[i].zone;
}
