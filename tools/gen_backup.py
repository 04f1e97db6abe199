#!/usr/bin/env python3
"""Write a neo4j-backup directory exactly as the Python tool would.

The chunks go through the same calls the tool uses (json.dumps(rows,
default=str, indent=K), gzip, one member per file), so floats, NaN tokens,
\\u escapes and surrogate pairs come out byte for byte as in a real backup.
Every value is generated from a small model (type, raw row value, canonical
value); --expected writes the canonical side so a loader can be checked value
by value without re-parsing the literals.

Everything is deterministic: each chunk has its own random.Random seeded from
(--seed, kind, chunk number), and the gzip header mtime is 0.

See /work/shared/docs/backup-format.md and tools/README.md.
"""

import argparse
import gzip
import hashlib
import json
import os
import random
import sys

PREFIXES = ("$point(", "$date(", "$time(", "$datetime(", "$duration(")

# Chunk size: the tool flushes when sys.getsizeof(rows) > 0xFFFF; the format
# doc's example files (nodes_8185, nodes_16370) show 8185 rows per chunk.
DEFAULT_CHUNK_ROWS = 8185

INT_EDGES = [-9223372036854775808, 9223372036854775807, 0, -1, 1,
             2147483648, -2147483649, 9007199254740993]
FLOAT_EDGES = [0.334, 1e-05, -0.0, 0.0, 1e+20, 1.7976931348623157e+308,
               5e-324, -2.2250738585072014e-308, 0.1, 1e16, 123456789.0,
               float("nan"), float("inf"), float("-inf")]

# Offsets (seconds east of UTC) for which the driver's "%+03d:%02d" of
# divmod(minutes, 60) is right: it mangles negative non-whole-hour offsets
# (-05:30 comes out as -06:30), so those never reach a real backup intact.
OFFSETS = [0, 3600, -18000, 19800, 20700, 50400, -43200, 7200, -3600]

CRS = {7203: "cartesian", 9157: "cartesian-3d",
       4326: "wgs-84", 4979: "wgs-84-3d"}

WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf",
         "hotel", "india", "juliet", "kilo", "lima", "mike", "november",
         "Zürich", "München", "東京", "Ελλάδα", "naïve", "café"]


# ---------------------------------------------------------------------------
# Value model.  Every factory returns (type, raw, canonical): raw is what the
# tool puts in the row, canonical what --expected records.
# ---------------------------------------------------------------------------

def v_int(i):
    return ("integer", i, i)


def v_float(f):
    return ("float", f, repr(f))


def v_str(s):
    return ("string", s, s)


def v_bool(b):
    return ("boolean", b, b)


def v_bytes(b):
    # The row holds the bytes object itself; json's default=str turns it
    # into "b'\\x01'" exactly as the tool's does.
    return ("string", bytes(b), str(bytes(b)))


def frac(ns):
    """Canonical fraction: trailing zeros trimmed, nothing when zero."""
    return "" if ns == 0 else "." + ("%09d" % ns).rstrip("0")


def canonical_offset(sec):
    sign = "-" if sec < 0 else "+"
    h, rest = divmod(abs(sec), 3600)
    m, s = divmod(rest, 60)
    text = "%s%02d:%02d" % (sign, h, m)
    return text + (":%02d" % s if s else "")


def driver_offset(sec):
    """The neo4j driver's Time.iso_format offset (whole minutes only)."""
    h, m = divmod(int(sec // 60), 60)
    text = "%+03d:%02d" % (h, m)
    assert text == canonical_offset(sec), "offset the driver would mangle"
    return text


def v_date(y, m, d):
    text = "%04d-%02d-%02d" % (y, m, d)
    return ("date", "$date('%s')" % text, text)


def _clock(h, mi, s):
    return "%02d:%02d:%02d" % (h, mi, s)


def v_localtime(h, mi, s, ns):
    lit = "$time('%s.%09d')" % (_clock(h, mi, s), ns)
    return ("localtime", lit, _clock(h, mi, s) + frac(ns))


def v_time(h, mi, s, ns, off):
    lit = "$time('%s.%09d%s')" % (_clock(h, mi, s), ns, driver_offset(off))
    return ("time", lit, _clock(h, mi, s) + frac(ns) + canonical_offset(off))


def v_localdatetime(date, clock):
    (y, mo, d), (h, mi, s, ns) = date, clock
    day = "%04d-%02d-%02dT" % (y, mo, d)
    lit = "$datetime('%s%s.%09d')" % (day, _clock(h, mi, s), ns)
    return ("localdatetime", lit, day + _clock(h, mi, s) + frac(ns))


def v_datetime(date, clock, off):
    _, lit, canon = v_localdatetime(date, clock)
    lit = lit[:-2] + driver_offset(off) + "')"
    return ("datetime", lit, canon + canonical_offset(off))


def _signed(n, unit):
    return "%d%s" % (n, unit) if n else ""


def duration_iso(months, days, total_ns):
    """ISO text of a duration; each nonzero component carries its sign.

    This is both the canonical form and what the driver's
    Duration.iso_format prints (it splits with a symmetric divmod).
    """
    msign = -1 if months < 0 else 1
    years, mons = divmod(abs(months), 12)
    tsign = -1 if total_ns < 0 else 1
    secs, ns = divmod(abs(total_ns), 1000000000)
    hours, rest = divmod(secs, 3600)
    mins, secs = divmod(rest, 60)
    time = _signed(tsign * hours, "H") + _signed(tsign * mins, "M")
    if secs or ns:
        time += "%s%d%sS" % ("-" if tsign < 0 else "", secs, frac(ns))
    text = (_signed(msign * years, "Y") + _signed(msign * mons, "M")
            + _signed(days, "D") + ("T" + time if time else ""))
    return "P" + text if text else "PT0S"


def v_duration(months, days, total_ns):
    text = duration_iso(months, days, total_ns)
    return ("duration", "$duration('%s')" % text, text)


def v_point(srid, x, y, z=None):
    coords = "x: %r, y: %r" % (x, y)
    canon = {"srid": srid, "x": x, "y": y}
    if z is not None:
        coords += ", z: %r" % z
        canon["z"] = z
    return ("point", "$point({%s, crs: '%s'})" % (coords, CRS[srid]), canon)


def v_list(items):
    """Homogeneous list; elements are rendered like top-level values."""
    if not items:
        return ("list", [], [])
    return ("list<%s>" % items[0][0], [i[1] for i in items],
            [i[2] for i in items])


# ---------------------------------------------------------------------------
# Random values
# ---------------------------------------------------------------------------

def r_date(rng):
    return (rng.randint(1900, 2100), rng.randint(1, 12), rng.randint(1, 28))


def r_clock(rng):
    ns = rng.choice((0, 0, 142000000, 556000000, rng.randrange(1000000000)))
    return (rng.randrange(24), rng.randrange(60), rng.randrange(60), ns)


def r_word(rng):
    return WORDS[rng.randrange(len(WORDS))]


def r_float(rng):
    if rng.random() < 0.05:
        return v_float(FLOAT_EDGES[rng.randrange(len(FLOAT_EDGES))])
    return v_float(round(rng.uniform(-1000, 1000), rng.randrange(1, 8)))


def r_int(rng):
    if rng.random() < 0.05:
        return v_int(INT_EDGES[rng.randrange(len(INT_EDGES))])
    return v_int(rng.randint(-10 ** 6, 10 ** 6))


def r_duration(rng):
    total_ns = rng.choice((0, rng.randrange(86400) * 10 ** 9,
                           rng.randrange(-10 ** 14, 10 ** 14)))
    return v_duration(rng.randint(-30, 30), rng.randint(-40, 40), total_ns)


def r_coord(rng, lo, hi):
    return round(rng.uniform(lo, hi), 6)


def r_point(rng):
    srid = (7203, 9157, 4326, 4979)[rng.randrange(4)]
    if srid in (4326, 4979):
        x, y = r_coord(rng, -180, 180), r_coord(rng, -90, 90)
    else:
        x, y = r_coord(rng, -1e4, 1e4), r_coord(rng, -1e4, 1e4)
    z = r_coord(rng, -100, 9000) if srid in (9157, 4979) else None
    return v_point(srid, x, y, z)


def r_bytes(rng):
    return v_bytes(rng.randbytes(rng.randrange(0, 6)))


def r_text(rng):
    """A plain string; sometimes one that only looks like a literal."""
    roll = rng.random()
    if roll < 0.01:
        return v_str("$date(not really %d)" % rng.randrange(1000))
    if roll < 0.02:
        return v_str("time('%s')" % _clock(*r_clock(rng)[:3]))
    return v_str("%s %s" % (r_word(rng), r_word(rng)))


def r_list(rng):
    """A homogeneous list of 0-3 elements of one random element type."""
    n = rng.randrange(0, 4)
    gen = LIST_ELEMENTS[rng.randrange(len(LIST_ELEMENTS))]
    return v_list([gen(rng) for _ in range(n)])


# One random value per temporal type, under the key it is stored as.
TEMPORALS = [
    ("born", lambda r: v_date(*r_date(r))),
    ("wake_up", lambda r: v_localtime(*r_clock(r))),
    ("meeting", lambda r: v_time(*r_clock(r), r.choice(OFFSETS))),
    ("created", lambda r: v_datetime(r_date(r), r_clock(r),
                                     r.choice(OFFSETS))),
    ("updated", lambda r: v_localdatetime(r_date(r), r_clock(r))),
    ("tenure", r_duration),
]

# Extra properties: key and generator; each random node/rel takes a few.
EXTRAS = TEMPORALS + [
    ("location", r_point),
    ("big", r_int),
    ("ratio", r_float),
    ("note", r_text),
    ("blob", r_bytes),
    ("items", r_list),
    ("flag", lambda r: v_bool(r.random() < 0.5)),
    ("mixed", lambda r: (r_int, r_float, r_text, r_point)[r.randrange(4)](r)),
]

# Element generators for random lists.  Strings in lists are never hashed
# by the tool, so list strings never start with a literal prefix here.
LIST_ELEMENTS = [
    lambda r: v_int(r.randint(-99, 99)),
    r_float,
    lambda r: v_str(r_word(r)),
    lambda r: v_bool(r.random() < 0.5),
    lambda r: v_point(7203, float(r.randrange(100)), 0.5),
] + [gen for _, gen in TEMPORALS]


# ---------------------------------------------------------------------------
# Graph shape
# ---------------------------------------------------------------------------

LABEL_SETS = [["Person"], ["Person", "Actor"], ["Movie"], ["Company"],
              ["City"], ["Tag"], ["director", "Person"]]
REL_TYPES = ["KNOWS", "ACTED_IN", "LIKES", "WORKS_AT", "LOCATED_IN"]

# Uniqueness constraint the data honours: Person.uid is the node id.
CONSTRAINTS = [{"node_label": "Person", "node_prop": "uid",
                "constraint_name": "constraint_person_uid"}]


def node_id_of(i):
    """Node index -> Neo4j id: starts at 0, with holes as after deletes."""
    return i + 3 * (i // 97)


def is_node_id(n, nid):
    """Inverse test of node_id_of over indices 0..n-1."""
    i = nid - 3 * (nid // 100)
    return 0 <= i < n and node_id_of(i) == nid


def random_props(rng, labels, nid):
    props = {}
    if "Person" in labels:
        props["uid"] = v_int(nid)
        props["name"] = v_str("%s %d" % (r_word(rng), nid))
    for _ in range(rng.randrange(1, 5)):
        key, gen = EXTRAS[rng.randrange(len(EXTRAS))]
        props[key] = gen(rng)
    return props


def random_node(rng, i):
    nid = node_id_of(i)
    labels = LABEL_SETS[rng.randrange(len(LABEL_SETS))]
    return nid, labels, random_props(rng, labels, nid)


def random_rel(rng, n):
    start = node_id_of(rng.randrange(n))
    end = node_id_of(rng.randrange(n))
    props = {}
    for _ in range(rng.randrange(0, 3)):
        key, gen = EXTRAS[rng.randrange(len(EXTRAS))]
        props[key] = gen(rng)
    return start, end, REL_TYPES[rng.randrange(len(REL_TYPES))], props


# ---------------------------------------------------------------------------
# Edge cases (--edge-cases): hand-written nodes and relationships that come
# first in the data.
# ---------------------------------------------------------------------------

WEIRD_KEY = 'weird "key"; DROP TABLE x;--'
EMOJI = "\U0001F600"


def edge_strings():
    return {
        "ascii": v_str("Tom Hanks"),
        "city": v_str("Zürich"),
        "cjk": v_str("東京都"),
        "emoji": v_str("smile " + EMOJI + " \U0001D11E"),
        "quotes": v_str('say "hi" and \'bye\''),
        "backslash": v_str("C:\\path\\to\\file \\u0041"),
        "ws": v_str("line1\nline2\r\n\ttabbed"),
        "controls": v_str("bell\x07 unit\x1f del\x7f ls\u2028 ps\u2029"),
        "empty_string": v_str(""),
        "looks_numeric": v_str("NaN"),
        "html": v_str("</script><b>&amp;"),
        "plain_time_call": v_str("time('21:40:32.142000000+01:00')"),
        "dollar_no_paren": v_str("$date"),
        "capital_prefix": v_str("$Date('1999-01-01')"),
    }


def edge_hashed():
    """Top-level strings starting with a prefix: the tool hashes them."""
    return {
        "fake_date": v_str("$date(not really)"),
        "fake_time": v_str("$time('21:40:32.142000000+01:00')"),
        "fake_point": v_str("$point("),
        "fake_duration": v_str("$duration('P1D') and more"),
        "fake_datetime": v_str("$datetime(" + EMOJI + ")"),
        # A list is never hashed; not every element parses, so it is a
        # list of strings under the format doc's rule.
        "fake_list": v_list([v_str("$date(not a date)"), v_str("x")]),
    }


def edge_numbers():
    props = {"int_%d" % i: v_int(x) for i, x in enumerate(INT_EDGES)}
    props.update({"float_%d" % i: v_float(x)
                  for i, x in enumerate(FLOAT_EDGES)})
    props["t"] = v_bool(True)
    props["f"] = v_bool(False)
    return props


def edge_temporals():
    return {
        "date_min": v_date(1, 1, 1),
        "date_max": v_date(9999, 12, 31),
        "date_leap": v_date(2000, 2, 29),
        "time_utc": v_time(21, 40, 32, 142000000, 0),
        "time_plus": v_time(21, 40, 32, 142000000, 3600),
        "time_minus": v_time(0, 0, 0, 0, -18000),
        "time_nepal": v_time(23, 59, 59, 999999999, 20700),
        "time_max_off": v_time(12, 0, 0, 1, 50400),
        "time_min_off": v_time(12, 0, 0, 10, -43200),
        "localtime": v_localtime(12, 50, 35, 556000000),
        "localtime_zero": v_localtime(0, 0, 0, 0),
        "localtime_ns": v_localtime(23, 59, 59, 999999999),
        "datetime": v_datetime((2015, 6, 24), (12, 50, 35, 556000000), 3600),
        "datetime_utc": v_datetime((1970, 1, 1), (0, 0, 0, 0), 0),
        "datetime_india": v_datetime((2024, 2, 29), (23, 59, 59, 1), 19800),
        "localdatetime": v_localdatetime((2015, 7, 4), (19, 32, 24, 0)),
        "localdatetime_us": v_localdatetime((1, 1, 1), (0, 0, 0, 1000)),
        "dur_mixed": v_duration(5, 1, 12 * 3600 * 10 ** 9),
        "dur_zero": v_duration(0, 0, 0),
        "dur_full": v_duration(14, 10, (2 * 3600 + 30 * 60 + 15) * 10 ** 9
                               + 500000000),
        "dur_negative": v_duration(-1, -2, -3 * 3600 * 10 ** 9),
        "dur_frac": v_duration(0, 0, 15500000000),
        "dur_neg_frac": v_duration(0, 0, -500000000),
        "dur_ns": v_duration(0, 0, 1),
        "dur_years": v_duration(-25, 0, 0),
        "dur_big_secs": v_duration(0, 0, 90061 * 10 ** 9),
    }


def edge_points():
    return {
        "cartesian": v_point(7203, 3.0, 0.0),
        "cartesian_3d": v_point(9157, 3.0, 0.0, 2.0),
        "wgs84": v_point(4326, 56.0, 12.0),
        "wgs84_3d": v_point(4979, 56.0, 12.0, 2.0),
        "cartesian_odd": v_point(7203, -0.0, 1e+20),
        "wgs84_frac": v_point(4326, -122.419416, 37.774929),
        "cartesian_3d_tiny": v_point(9157, 5e-324, -1.5e-07, 0.1),
    }


def edge_lists():
    return {
        "ints": v_list([v_int(x) for x in INT_EDGES[:3]]),
        "floats": v_list([v_float(x) for x in FLOAT_EDGES]),
        "strings": v_list([v_str(s) for s in ("a", "Zürich", EMOJI, "")]),
        "bools": v_list([v_bool(True), v_bool(False)]),
        "empty": v_list([]),
        "dates": v_list([v_date(1999, 1, 1), v_date(2000, 12, 31)]),
        "times": v_list([v_time(21, 40, 32, 142000000, 3600)]),
        "localtimes": v_list([v_localtime(1, 2, 3, 0),
                              v_localtime(4, 5, 6, 7)]),
        "datetimes": v_list([v_datetime((2015, 6, 24), (1, 2, 3, 0), 0)]),
        "localdatetimes": v_list([v_localdatetime((2015, 7, 4),
                                                  (19, 32, 24, 0))]),
        "durations": v_list([v_duration(5, 1, 0), v_duration(0, 0, 0)]),
        "points": v_list([v_point(4326, 1.5, 2.5), v_point(4326, -1.0, 0.0)]),
        "points_3d": v_list([v_point(9157, 1.0, 2.0, 3.0)]),
    }


def edge_bytes():
    return {
        "bytes": v_bytes(b"\x01\x02"),
        "bytes_empty": v_bytes(b""),
        "bytes_quote": v_bytes(b"it's"),
        "bytes_mixed": v_bytes(b"AB\x00\xff\\"),
    }


def edge_weird_keys():
    return {
        WEIRD_KEY: v_str("robert'); --"),
        "has space": v_int(1),
        "back`tick": v_int(2),
        "single'quote": v_int(3),
        "back\\slash": v_int(4),
        "semi;colon": v_int(5),
        "Größe": v_float(1.85),
        "名前": v_str("名無し"),
        "mixed": v_str("string here, number elsewhere"),
    }


def edge_nodes():
    """(labels, props) of the hand-written nodes, in index order."""
    return [
        ([], {}),
        ([], {"name": v_str("no label")}),
        (["Beta", "alpha", "Zed"], edge_weird_keys()),
        (["Émigré"], edge_strings()),
        (["a`b"], edge_hashed()),
        (["Person", "has space"], dict(edge_temporals(), uid=v_int(5),
                                       name=v_str("Temporal Tom"))),
        (['dq"label', "sq'label"], edge_numbers()),
        (["semi;colon", "back\\slash"], edge_points()),
        (["Movie"], edge_lists()),
        (["Company"], edge_bytes()),
        (["Person"], {"uid": v_int(node_id_of(10)), "name": v_str("Ann")}),
    ]


def edge_rels():
    """(start index, end index, type, props) of hand-written relationships."""
    a, b = 10, 5
    return [
        (a, a, "KNOWS", {"note": v_str("self-loop")}),
        (a, b, "KNOWS", {"since": v_int(1999)}),
        (a, b, "KNOWS", {"since": v_int(2005)}),      # parallel, same type
        (a, b, "LIKES", {}),                          # parallel, no props
        (0, 1, "has space", edge_hashed()),
        (2, 3, 'quote"type', edge_weird_keys()),
        (3, 4, "semi;colon", edge_temporals()),
        (4, 6, "back`tick", edge_points()),
        (6, 7, "Ünïcödé", edge_lists()),
        (7, 8, "back\\slash", edge_numbers()),
        (8, 9, "ACTED_IN", edge_bytes()),
        (9, 9, "LIKES", {}),                          # self-loop, no props
    ]


# ---------------------------------------------------------------------------
# Rows as the tool writes them
# ---------------------------------------------------------------------------

def sha256_hex(s):
    return hashlib.sha256(s.encode()).hexdigest()


def render_props(props):
    """Model props -> (row props, hash_props), hashing prefixed strings."""
    raw, hashed = {}, {}
    for key, (typ, value, _) in props.items():
        # type() rather than isinstance: byte arrays are not hashed.
        if typ == "string" and type(value) is str \
                and value.startswith(PREFIXES):
            hashed[key] = value
            value = sha256_hex(value)
        raw[key] = value
    return raw, hashed


def label_string(labels):
    return ":".join(sorted(labels, key=str.lower))


def node_row(nid, labels, props):
    raw, hashed = render_props(props)
    return {"node_id": nid, "node_labels": label_string(labels),
            "node_props": raw, "hash_props": hashed}


def rel_row(rid, start, end, rtype, props):
    raw, hashed = render_props(props)
    return {"rel_id": rid, "start_node_id": start, "end_node_id": end,
            "rel_type": rtype, "rel_props": raw, "hash_props": hashed}


class Expected:
    """The --expected JSON-lines file (or nothing when not asked for)."""

    def __init__(self, path):
        self.f = open(path, "w", encoding="ascii") if path else None

    def _line(self, obj):
        self.f.write(json.dumps(obj, ensure_ascii=True, allow_nan=False))
        self.f.write("\n")

    def _props(self, kind, eid, props):
        for key, (typ, _, canon) in props.items():
            self._line({"kind": kind, "id": eid, "key": key, "type": typ,
                        "value": canon})

    def node(self, nid, labels, props):
        if self.f:
            text = label_string(labels)
            self._line({"kind": "node", "id": nid,
                        "labels": text.split(":") if text else []})
            self._props("node", nid, props)

    def rel(self, rid, start, end, rtype, props):
        if self.f:
            self._line({"kind": "relationship", "id": rid, "type": rtype,
                        "start": start, "end": end})
            self._props("relationship", rid, props)

    def close(self):
        if self.f:
            self.f.close()


class Meta:
    """What the tool collects on the way for the metadata files."""

    def __init__(self):
        self.keys, self.labels, self.types = set(), set(), set()

    def node(self, row):
        self.keys.update(row["node_props"])
        text = row["node_labels"]
        # As the tool does: the set itself ("" for no label) and, when
        # there are several, each label.
        self.labels.add(text)
        if ":" in text:
            self.labels.update(text.split(":"))

    def rel(self, row):
        self.keys.update(row["rel_props"])
        self.types.add(row["rel_type"])


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------

def write_chunk(args, stem, rows, mutate=None):
    """One chunk file, through the same calls as the tool's to_json."""
    text = json.dumps(rows, default=str, indent=args.indent)
    if mutate:
        text = mutate(text)
    data = bytes(text, "utf-8")
    path = os.path.join(args.outdir, "data", stem + ".json")
    if args.no_compress:
        with open(path, "wb") as f:
            f.write(data)
        return path
    path += ".gz"
    # mtime=0 instead of the clock so that the output is reproducible.
    with open(path, "wb") as f, gzip.GzipFile(
            filename=path, mode="wb", compresslevel=args.gzip_level,
            fileobj=f, mtime=0) as gz:
        gz.write(data)
    return path


def write_meta(outdir, name, data):
    with open(os.path.join(outdir, name), "w") as f:
        f.write(json.dumps(data, default=str, indent=4))


def unique_prop_key(rng, keys):
    taken = {k.lower() for k in keys}
    while True:
        key = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz")
                      for _ in range(16))
        if key not in taken:
            return key


def write_metadata(args, meta):
    rng = random.Random("%d:meta" % args.seed)
    db_id = "%064X" % rng.getrandbits(256)
    write_meta(args.outdir, "db_id.json", db_id)
    write_meta(args.outdir, "unique_prop_key.json",
               unique_prop_key(rng, meta.keys))
    write_meta(args.outdir, "uniqueness_constraints.json", CONSTRAINTS)
    # The tool writes list(set): any order.  Sorted keeps runs identical.
    write_meta(args.outdir, "property_keys.json", sorted(meta.keys))
    write_meta(args.outdir, "node_labels.json", sorted(meta.labels))
    write_meta(args.outdir, "rel_types.json", sorted(meta.types))
    write_meta(args.outdir, "compressed.json", not args.no_compress)


# ---------------------------------------------------------------------------
# Streaming the graph
# ---------------------------------------------------------------------------

def chunk_ranges(total, size):
    for c, lo in enumerate(range(0, total, size)):
        yield c, lo, min(lo + size, total)


def node_chunks(args):
    """Per chunk: [(id, labels, props)] in the order they are written."""
    edges = edge_nodes() if args.edge_cases else []
    for c, lo, hi in chunk_ranges(args.nodes, args.chunk_rows):
        rng = random.Random("%d:nodes:%d" % (args.seed, c))
        items = []
        for i in range(lo, hi):
            if i < len(edges):
                items.append((node_id_of(i),) + edges[i])
            else:
                items.append(random_node(rng, i))
        # The tool emits nodes in discovery order, not sorted by id.
        rng.shuffle(items)
        yield c, items


def rel_chunks(args):
    """Per chunk: [(rel_id, start, end, type, props)]."""
    edges = [(node_id_of(s), node_id_of(e), t, p)
             for s, e, t, p in edge_rels()] if args.edge_cases else []
    for c, lo, hi in chunk_ranges(args.rels, args.chunk_rows):
        rng = random.Random("%d:rels:%d" % (args.seed, c))
        items = []
        for i in range(lo, hi):
            rel = edges[i] if i < len(edges) else random_rel(rng, args.nodes)
            items.append((i,) + rel)
        yield c, items


# ---------------------------------------------------------------------------
# --bad: exactly one defect
# ---------------------------------------------------------------------------

BAD_KINDS = ["truncated-gzip", "corrupt-gzip", "invalid-json", "wrong-digest",
             "duplicate-id", "dangling", "nul", "bad-literal", "int-overflow"]
BAD_NODE_INDEX = 1          # the node that carries a defective property
BAD_KEY = "defect"


def patch_node(kind, row):
    """Give the node row the one defective property of --bad KIND."""
    props, hashed = row["node_props"], row["hash_props"]
    if kind == "wrong-digest":
        hashed[BAD_KEY] = "$date(tampered)"
        props[BAD_KEY] = sha256_hex("$date(original)")
    elif kind == "nul":
        props[BAD_KEY] = "before\x00after"
    elif kind == "bad-literal":
        props[BAD_KEY] = "$date('1999-13-45')"
    elif kind == "int-overflow":
        props[BAD_KEY] = 9223372036854775808


def non_node_ids(n):
    """Two ids that are not nodes: one in a hole, one past the end."""
    hole = node_id_of(min(96, n - 1)) + 1
    past = node_id_of(n - 1) + 1000
    assert not is_node_id(n, hole) and not is_node_id(n, past)
    return [hole, past]


def drop_first_comma(text):
    """Delete the comma before the first "node_labels" (invalid JSON)."""
    at = text.rindex(",", 0, text.index('"node_labels"'))
    return text[:at] + text[at + 1:]


def damage_file(kind, path):
    with open(path, "rb") as f:
        data = bytearray(f.read())
    if kind == "truncated-gzip":
        data = data[:len(data) // 2]
    else:
        data[len(data) // 2] ^= 0xFF
    with open(path, "wb") as f:
        f.write(data)


def report(obj):
    print(json.dumps(obj, ensure_ascii=True))


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

def write_nodes(args, meta, expected):
    counter, files, dup = 0, [], None
    nchunks = -(-args.nodes // args.chunk_rows)
    for c, items in node_chunks(args):
        rows = []
        for nid, labels, props in items:
            expected.node(nid, labels, props)
            row = node_row(nid, labels, props)
            if nid == node_id_of(BAD_NODE_INDEX) and args.bad in (
                    "wrong-digest", "nul", "bad-literal", "int-overflow"):
                patch_node(args.bad, row)
                report({"bad": args.bad, "node_id": nid, "key": BAD_KEY})
            meta.node(row)
            rows.append(row)
        if args.bad == "duplicate-id" and c == nchunks - 1:
            dup = node_row(node_id_of(0), ["Tag"], {})
            rows.append(dup)
        counter += len(rows)
        mutate = drop_first_comma if (args.bad == "invalid-json"
                                      and c == 0) else None
        files.append(write_chunk(args, "nodes_%d" % counter, rows, mutate))
    if dup:
        report({"bad": "duplicate-id", "node_id": dup["node_id"],
                "files": [os.path.basename(files[0]),
                          os.path.basename(files[-1])]})
    if args.bad == "invalid-json":
        report({"bad": "invalid-json", "file": os.path.basename(files[0])})
    return files


def write_rels(args, meta, expected):
    counter, files = 0, []
    dangling = dict(zip((1, args.rels - 1), non_node_ids(args.nodes))) \
        if args.bad == "dangling" else {}
    for c, items in rel_chunks(args):
        rows = []
        for rid, start, end, rtype, props in items:
            expected.rel(rid, start, end, rtype, props)
            row = rel_row(rid, start, dangling.get(rid, end), rtype, props)
            meta.rel(row)
            rows.append(row)
        counter += len(rows)
        files.append(write_chunk(args, "relationships_%d" % counter, rows))
    if dangling:
        report({"bad": "dangling", "rel_ids": sorted(dangling),
                "end_node_ids": [dangling[r] for r in sorted(dangling)]})
    return files


def check_args(p, args):
    if args.edge_cases and args.nodes < len(edge_nodes()):
        p.error("--edge-cases needs at least %d nodes" % len(edge_nodes()))
    if args.edge_cases and args.rels < len(edge_rels()):
        p.error("--edge-cases needs at least %d rels" % len(edge_rels()))
    if args.rels and not args.nodes:
        p.error("relationships need nodes")
    if args.chunk_rows < 1:
        p.error("--chunk-rows must be positive")
    if args.bad in ("truncated-gzip", "corrupt-gzip") and args.no_compress:
        p.error("--bad %s needs compressed chunks" % args.bad)
    if args.bad == "duplicate-id" and args.nodes <= args.chunk_rows:
        p.error("--bad duplicate-id needs at least two node chunks")
    if args.bad == "dangling" and args.rels < 3:
        p.error("--bad dangling needs at least 3 relationships")
    if args.bad and args.nodes < 2:
        p.error("--bad needs at least 2 nodes")


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("outdir")
    p.add_argument("--nodes", type=int, default=200)
    p.add_argument("--rels", type=int, default=400)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--chunk-rows", type=int, default=DEFAULT_CHUNK_ROWS)
    p.add_argument("--indent", type=int, default=0)
    p.add_argument("--no-compress", action="store_true")
    p.add_argument("--gzip-level", type=int, default=9, choices=range(0, 10))
    p.add_argument("--expected", metavar="FILE")
    p.add_argument("--edge-cases", action="store_true")
    p.add_argument("--bad", choices=BAD_KINDS)
    args = p.parse_args(argv)
    check_args(p, args)
    return args


def main(argv=None):
    args = parse_args(argv)
    os.makedirs(os.path.join(args.outdir, "data"))
    meta, expected = Meta(), Expected(args.expected)
    node_files = write_nodes(args, meta, expected)
    rel_files = write_rels(args, meta, expected)
    expected.close()
    write_metadata(args, meta)
    if args.bad in ("truncated-gzip", "corrupt-gzip"):
        path = (rel_files or node_files)[-1]
        damage_file(args.bad, path)
        report({"bad": args.bad, "file": os.path.basename(path)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
