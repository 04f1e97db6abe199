#!/usr/bin/env python3
"""An independent reading of a neo4j-backup directory: what neo2pg must do.

For a backup directory this says either that the load must fail (and which
file, row and key the error must name) or exactly which rows neo2pg must
load, written in gen_backup.py's --expected form so that
test/integration/check_values.sql compares them value by value.

It is written from /work/shared/docs/backup-format.md and docs/design.md
(and the decisions of issue 9), not from neo2pg's C code, in Python's
standard library only.  Where the documents leave a choice open, the choice
is stated where it is made ("Reading:").

    python3 tools/read_backup.py BACKUP [--expected FILE] [--skip-dangling]

prints one JSON line: {"verdict": "load", "nodes": N, "relationships": M}
or {"verdict": "fail", "file": ..., "row": ..., "key": ..., "why": ...}.
"""

import argparse
import hashlib
import json
import math
import os
import re
import stat
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_backup import canonical_offset, duration_iso, frac  # noqa: E402

PREFIXES = ("$point(", "$date(", "$time(", "$datetime(", "$duration(")
MAX_DEPTH = 64          # design.md: nesting deeper than this is refused
INT64 = (-2 ** 63, 2 ** 63 - 1)
META_FILES = ["db_id.json", "unique_prop_key.json",
              "uniqueness_constraints.json", "property_keys.json",
              "node_labels.json", "rel_types.json"]
# A device or a pipe is read this far at most: what it holds after that
# cannot change a verdict that its first bytes already decide.
DEVICE_READ = 1 << 20


class Fail(Exception):
    """The load must fail; the error names file, row ("node 5", "after
    node 4", "first row") and key where they are known."""

    def __init__(self, why, file=None, row=None, key=None, ids=None):
        super().__init__(why)
        self.why, self.file, self.row, self.key, self.ids = \
            why, file, row, key, ids


# ---------------------------------------------------------------- bytes

def read_file(path):
    st = os.stat(path)          # follows symlinks; a dangling one fails
    if stat.S_ISDIR(st.st_mode):
        raise OSError("is a directory")
    with open(path, "rb") as f:
        return f.read() if stat.S_ISREG(st.st_mode) else f.read(DEVICE_READ)


def gunzip(data):
    """Every member must be whole and checked; nothing may follow the last
    (design.md: concatenated members are accepted, trailing garbage is
    not).  zlib with wbits 31 checks the header, the CRC and the length."""
    out = []
    while True:
        d = zlib.decompressobj(31)
        try:
            out.append(d.decompress(data))
        except zlib.error as e:
            raise ValueError("invalid gzip data: %s" % e)
        if not d.eof:
            raise ValueError("truncated gzip member")
        data = d.unused_data
        if not data:
            return b"".join(out)


# ---------------------------------------------------------------- JSON

class FloatTok(float):
    """A float that remembers how it was written."""

    def __new__(cls, text):
        v = float.__new__(cls, float(text))
        v.text = text
        return v


SPECIAL = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


class Dup(Exception):
    pass


def pairs(items):
    seen = set()
    for k, _ in items:
        if k in seen:
            # Reading (issue 9): duplicate member names are an error.
            raise Dup(k)
        seen.add(k)
    return dict(items)


DECODER = json.JSONDecoder(object_pairs_hook=pairs, parse_float=FloatTok,
                           parse_constant=lambda s: FloatTok(s) if s not in
                           SPECIAL else SPECIAL[s], strict=True)
WS = " \t\n\r"


def skip_ws(text, i):
    while i < len(text) and text[i] in WS:
        i += 1
    return i


def too_deep_at(text, start):
    """Index of the first container nested deeper than MAX_DEPTH, counting
    the top-level array as level 1, or None.  Strings are skipped."""
    depth, i, n = 0, start, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif c in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return i
        elif c in "]}":
            depth -= 1
        i += 1
    return None


def check_scalars(v):
    """What json accepted but the format refuses: integers beyond int64,
    lone surrogates (from \\u escapes, or invalid UTF-8 kept by
    surrogateescape)."""
    if type(v) is int:
        if not INT64[0] <= v <= INT64[1]:
            raise ValueError("integer out of range")
    elif isinstance(v, str):
        if re.search("[\ud800-\udfff]", v):
            raise ValueError("lone surrogate or invalid UTF-8")
    elif isinstance(v, list):
        for x in v:
            check_scalars(x)
    elif isinstance(v, dict):
        for k, x in v.items():
            check_scalars(k)
            check_scalars(x)


def decode_text(data):
    # Reading: a byte order mark is not JSON (Python's json.load refuses
    # it too); invalid UTF-8 is kept as lone surrogates and refused where
    # it is found, so that the failing row is known.
    if data.startswith(b"\xef\xbb\xbf"):
        raise ValueError("byte order mark")
    return data.decode("utf-8", "surrogateescape")


def parse_value(text, i):
    """One JSON value at text[i]; (value, end)."""
    try:
        v, end = DECODER.raw_decode(text, i)
    except Dup as e:
        raise Dup(e.args[0])
    except (ValueError, RecursionError) as e:
        raise ValueError(str(e))
    check_scalars(v)
    return v, end


def parse_document(text):
    deep = too_deep_at(text, 0)
    if deep is not None:
        raise ValueError("nested too deep")
    i = skip_ws(text, 0)
    v, end = parse_value(text, i)
    if skip_ws(text, end) != len(text):
        raise ValueError("data after the value")
    return v


def elements(text):
    """The top-level array's elements, one at a time, as the streaming
    reader sees them: yields ("ok", value) or ("bad", why) and stops."""
    deep = too_deep_at(text, 0)
    i = skip_ws(text, 0)
    if i == len(text) or text[i] != "[":
        yield "bad", "expected '['"
        return
    i = skip_ws(text, i + 1)
    if i < len(text) and text[i] == "]":
        i = skip_ws(text, i + 1)
        yield ("end", None) if i == len(text) else ("bad", "data after ']'")
        return
    while True:
        if deep is not None and deep >= i:
            # the element being read holds the deep container, or an
            # earlier error in it comes first: either way this element
            end = element_end(text, i)
            if end is None or end > deep:
                yield "bad", "nested too deep"
                return
        try:
            v, i = parse_value(text, i)
        except Dup as e:
            yield "dup", e.args[0]
            return
        except ValueError as e:
            yield "bad", str(e)
            return
        yield "ok", v
        i = skip_ws(text, i)
        if i < len(text) and text[i] == ",":
            i = skip_ws(text, i + 1)
            continue
        if i < len(text) and text[i] == "]":
            i = skip_ws(text, i + 1)
            yield ("end", None) if i == len(text) else ("bad", "data after ']'")
            return
        yield "bad", "expected ',' or ']'"
        return


def element_end(text, i):
    """Where the element at i ends, by brackets alone (None: never)."""
    depth, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
            if depth < 0:
                return i
        elif c == "," and depth == 0:
            return i
        i += 1
    return None


# ---------------------------------------------------------------- literals

LIT_RE = re.compile(r"\$(date|time|datetime|duration)\('([^']*)'\)\Z", re.S)
DATE_RE = r"([+-]?)(\d{4,9})-(\d\d)-(\d\d)"
TIME_RE = r"(\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?"
OFF_RE = r"(Z|[+-]\d\d:\d\d(?::\d\d)?)?"
MDAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def leap(y):
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def lit_date(m):
    sign, y, mo, d = m
    y, mo, d = int(y) * (-1 if sign == "-" else 1), int(mo), int(d)
    if not 1 <= mo <= 12 or not 1 <= d <= MDAYS[mo - 1] + (mo == 2 and leap(y)):
        raise ValueError("no such date")
    if y <= 0:
        raise ValueError("year <= 0: not generated, not judged")
    return "%04d-%02d-%02d" % (y, mo, d)


def lit_clock(h, mi, s, f):
    h, mi, s = int(h), int(mi), int(s or 0)
    if h > 23 or mi > 59 or s > 59:
        raise ValueError("no such time")
    ns = int((f or "").ljust(9, "0")) if f else 0
    return "%02d:%02d:%02d" % (h, mi, s) + frac(ns)


def lit_offset(text):
    if text == "Z":
        return canonical_offset(0)
    sign = -1 if text[0] == "-" else 1
    parts = [int(p) for p in text[1:].split(":")]
    h, m, s = parts + [0] * (3 - len(parts))
    total = h * 3600 + m * 60 + s
    if m > 59 or s > 59 or total > 18 * 3600:
        raise ValueError("no such offset")
    return canonical_offset(sign * total)


DUR_RE = re.compile(r"P(?:([+-]?\d+)Y)?(?:([+-]?\d+)M)?(?:([+-]?\d+)W)?"
                    r"(?:([+-]?\d+)D)?(?:T(?:([+-]?\d+)H)?(?:([+-]?\d+)M)?"
                    r"(?:([+-]?)(\d+)(?:\.(\d{1,9}))?S)?)?\Z")


def lit_duration(body):
    m = DUR_RE.match(body)
    if not m or not any(m.group(i) for i in (1, 2, 3, 4, 5, 6, 8)) or \
            (body.find("T") >= 0 and not any(m.group(i) for i in (5, 6, 8))):
        raise ValueError("bad duration")
    g = [int(x) if x else 0 for x in m.group(1, 2, 3, 4, 5, 6)]
    months, days = 12 * g[0] + g[1], 7 * g[2] + g[3]
    ssign = -1 if m.group(7) == "-" else 1
    secs = int(m.group(8) or 0)
    ns = int(m.group(9).ljust(9, "0")) if m.group(9) else 0
    total_ns = (3600 * g[4] + 60 * g[5]) * 10 ** 9 + ssign * (secs * 10 ** 9 + ns)
    for v in (months, days, total_ns // 10 ** 9):
        if not INT64[0] <= v <= INT64[1]:
            raise ValueError("duration out of range")
    return duration_iso(months, days, total_ns)


CRS = {"cartesian": 7203, "cartesian-3d": 9157, "wgs-84": 4326,
       "wgs-84-3d": 4979}
NUM = r"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|nan|inf|infinity)"
POINT_RE = re.compile(r"\$point\(\{(.*)\}\)\Z", re.S)
ENTRY_RE = re.compile(r"\s*(x|y|z|crs)\s*:\s*(%s|'[^']*')\s*\Z" % NUM, re.I)


def lit_point(s):
    m = POINT_RE.match(s)
    if not m:
        raise ValueError("bad point")
    got = {}
    for part in m.group(1).split(","):
        e = ENTRY_RE.match(part)
        if not e or e.group(1).lower() in got or e.group(1) != e.group(1).lower() \
                and e.group(1).lower() != "crs":
            raise ValueError("bad point entry")
        got[e.group(1).lower()] = e.group(2)
    if "x" not in got or "y" not in got:
        raise ValueError("point without x or y")
    for k in "xyz":
        if k in got and got[k].startswith("'"):
            raise ValueError("quoted coordinate")
    if "crs" in got:
        name = got["crs"]
        if not name.startswith("'") or name[1:-1].lower() not in CRS:
            raise ValueError("unknown crs")
        srid = CRS[name[1:-1].lower()]
    else:
        srid = 9157 if "z" in got else 7203      # Cypher's default
    if (srid in (9157, 4979)) != ("z" in got):
        raise ValueError("dimension does not match the crs")
    out = {"srid": srid}
    for k in "xyz":
        if k in got:
            # design.md: a coordinate is a float like any other: the
            # marked ones (-0.0, NaN, 1e+20) are strings
            f = float(got[k])
            out[k] = float_value(f) if float_marked(f) else f
    return "point(%d)" % srid, out


def parse_literal(s):
    """(type, canonical value, list kind) of a literal string, or
    ValueError.  The list kind tells types apart for the list rule (points
    by SRID)."""
    if s.startswith("$point("):
        kind, v = lit_point(s)
        return "point", v, kind
    m = LIT_RE.match(s)
    if not m:
        raise ValueError("malformed literal")
    fn, body = m.groups()
    if fn == "date":
        d = re.fullmatch(DATE_RE, body)
        if not d:
            raise ValueError("bad date")
        return "date", lit_date(d.groups()), "date"
    if fn == "time":
        t = re.fullmatch(TIME_RE + OFF_RE, body)
        if not t:
            raise ValueError("bad time")
        clock = lit_clock(*t.groups()[:4])
        if t.group(5) is None:
            return "localtime", clock, "localtime"
        return "time", clock + lit_offset(t.group(5)), "time"
    if fn == "datetime":
        t = re.fullmatch(DATE_RE + "T" + TIME_RE + OFF_RE, body)
        if not t:
            raise ValueError("bad datetime")
        g = t.groups()
        text = lit_date(g[:4]) + "T" + lit_clock(*g[4:8])
        if g[8] is None:
            return "localdatetime", text, "localdatetime"
        return "datetime", text + lit_offset(g[8]), "datetime"
    return "duration", lit_duration(body), "duration"


# ---------------------------------------------------------------- values

def float_value(f):
    """Expected value of a float: a string float8 reads bit for bit."""
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "Infinity" if f > 0 else "-Infinity"
    return repr(float(f))


def float_marked(f):
    """design.md: -0.0, NaN, +-Infinity and reprs with a positive exponent
    are strings marked "float"; other floats are plain JSON numbers."""
    f = float(f)
    return (not math.isfinite(f) or (f == 0 and math.copysign(1, f) < 0)
            or "e+" in repr(f))


def no_nul(s, opts):
    if "\0" in s:
        if opts.replace_nul is None:
            raise ValueError("U+0000")
        s = s.replace("\0", opts.replace_nul)
    return s


def plain(v, opts):
    """(mark, expected value) of a non-literal scalar."""
    if type(v) is bool:
        return None, v
    if type(v) is int:
        return None, v
    if isinstance(v, float):
        return ("float" if float_marked(v) else None), float_value(v)
    return None, no_nul(v, opts)


SCALAR = {bool: "boolean", int: "integer"}


def scalar_type(v):
    """The catalog's Neo4j type of a plain scalar."""
    if type(v) in SCALAR:
        return SCALAR[type(v)]
    return "float" if isinstance(v, float) else "string"


def convert_list(items, opts):
    for x in items:
        if x is None or isinstance(x, (list, dict)):
            raise ValueError("a list element that is not a scalar")
    if not items:
        return "list", [], "list"
    if all(isinstance(x, str) and x.startswith(PREFIXES) for x in items):
        try:
            parsed = [parse_literal(x) for x in items]
        except ValueError:
            parsed = None
        # issue 9: literals only when every element parses, as one type
        # (points: one SRID); otherwise strings as written
        if parsed and len({p[2] for p in parsed}) == 1:
            return ("list<%s>" % parsed[0][0], [p[1] for p in parsed],
                    "list<%s>" % parsed[0][2])
    marks, vals = [], []
    for x in items:
        m, v = plain(x, opts)
        marks.append(m)
        vals.append(v)
    kinds = {scalar_type(x) for x in items}
    cat = "list<%s>" % kinds.pop() if len(kinds) == 1 else "list<mixed>"
    mark = next((m for m in marks if m), None)
    if mark:
        return "list<%s>" % mark, vals, cat
    return "list<%s>" % scalar_type(items[0]), vals, cat


def convert_value(v, opts):
    """(type as check_values.sql names it, expected value, the catalog's
    type)."""
    if v is None:
        raise ValueError("null property value")
    if isinstance(v, dict):
        raise ValueError("map property value")
    if isinstance(v, list):
        return convert_list(v, opts)
    if isinstance(v, str) and v.startswith(PREFIXES):
        t, canon, cat = parse_literal(v)
        return t, canon, cat
    _, val = plain(v, opts)
    return scalar_type(v), val, scalar_type(v)


def convert_props(props, hashed, opts):
    """{key: (type, value)}; ValueError names the key in .key."""
    for k in hashed:
        if k not in props:
            raise KeyedError(k, "hash_props names a key not in the properties")
    out = {}
    for k, v in props.items():
        if k == "":
            # Reading: Neo4j has no empty property key (an empty token
            # name is refused by Cypher), so this did not come from it.
            raise KeyedError(k, "empty property key")
        try:
            key = no_nul(k, opts)
            if k in hashed:
                orig = hashed[k]
                if not isinstance(v, str) or not isinstance(orig, str):
                    raise ValueError("hash_props entry for a non-string")
                if hashlib.sha256(orig.encode()).hexdigest() != v:
                    raise ValueError("hash_props digest does not match")
                out[key] = ("string", no_nul(orig, opts), "string")
            else:
                out[key] = convert_value(v, opts)
        except ValueError as e:
            raise KeyedError(k, str(e))
    return out


class KeyedError(ValueError):
    def __init__(self, key, why):
        super().__init__(why)
        self.key = key


def member(row, name, types, optional=False):
    if name not in row:
        if optional:
            return None
        raise ValueError("row field %s is missing" % name)
    v = row[name]
    if types is int:
        ok = type(v) is int
    else:
        ok = isinstance(v, types)
    if not ok:
        raise ValueError("row field %s has the wrong type" % name)
    return v


def check_name(s, what):
    if "\0" in s:
        raise ValueError("%s contains U+0000" % what)


def convert_node(row, opts):
    nid = member(row, "node_id", int)
    try:
        text = member(row, "node_labels", str)
        props = member(row, "node_props", dict)
        hashed = member(row, "hash_props", dict, optional=True) or {}
        # issue 9: an empty label part is an error; "" is no label
        labels = text.split(":") if text else []
        if "" in labels:
            raise ValueError("empty label")
        for lb in labels:
            check_name(lb, "a label")
        return nid, labels, convert_props(props, hashed, opts)
    except ValueError as e:
        e.row_id = nid
        raise


def convert_rel(row, opts):
    rid = member(row, "rel_id", int)
    try:
        start = member(row, "start_node_id", int)
        end = member(row, "end_node_id", int)
        rtype = member(row, "rel_type", str)
        props = member(row, "rel_props", dict)
        hashed = member(row, "hash_props", dict, optional=True) or {}
        check_name(rtype, "a type")
        if rtype == "":
            # Reading: Neo4j has no empty relationship type.
            raise ValueError("empty relationship type")
        return rid, start, end, rtype, convert_props(props, hashed, opts)
    except ValueError as e:
        e.row_id = rid
        raise


# ---------------------------------------------------------------- backup

def chunk_files(backup):
    """(node files, relationship files), each in load order."""
    data = os.path.join(backup, "data")
    if not os.path.isdir(data):
        raise Fail("not a backup: no data directory")
    kinds = ([], [])
    for name in os.listdir(data):
        if name.endswith(".json.gz"):
            stem, gz = name[:-8], True
        elif name.endswith(".json"):
            stem, gz = name[:-5], False
        else:
            continue
        # format doc: by substring, as the Python importer does;
        # design.md: "relationship" is tested first
        kind = 1 if "relationship" in stem else 0 if "node" in stem else None
        if kind is None:
            continue
        # format doc: sorted numerically by the counter after the last
        # '_'.  Reading: a name without one sorts first.
        digits = re.search(r"(\d*)\Z", stem).group(1)
        kinds[kind].append((int(digits) if digits else 0, "data/" + name, gz))
    return [sorted(k) for k in kinds]


def read_meta(backup, opts):
    meta = {}
    for name in META_FILES:
        path = os.path.join(backup, name)
        if not os.path.lexists(path):
            # a missing metadata file leaves the data loadable
            continue
        try:
            v = parse_document(decode_text(read_file(path)))
            if v is None:
                # Reading: a metadata file holding null says as little as
                # a missing one, and is taken as missing
                continue
        except Dup as e:
            raise Fail("duplicate member %r" % e.args[0], file=name,
                       key=e.args[0])
        except (ValueError, OSError) as e:
            raise Fail(str(e), file=name)
        if name in ("db_id.json", "unique_prop_key.json"):
            ok = isinstance(v, str)
            strings = [v] if ok else []
        elif name == "uniqueness_constraints.json":
            ok = isinstance(v, list) and all(
                isinstance(c, dict) and isinstance(c.get("node_label"), str)
                and isinstance(c.get("node_prop"), str)
                and isinstance(c.get("constraint_name", ""), str)
                for c in v)
            strings = [s for c in v for s in c.values()] if ok else []
        else:
            ok = isinstance(v, list) and all(isinstance(s, str) for s in v)
            strings = v if ok else []
        if not ok:
            raise Fail("wrong JSON type", file=name)
        for s in strings:
            if "\0" in s:
                # Reading: PostgreSQL cannot hold U+0000 in load_info
                raise Fail("U+0000 in metadata", file=name)
        meta[name] = v
    return meta


def read_rows(backup, kind, files, opts, rows):
    convert = convert_node if kind == 0 else convert_rel
    what = "node" if kind == 0 else "relationship"
    for _, name, gz in files:
        try:
            data = read_file(os.path.join(backup, name))
            if gz:
                data = gunzip(data)
            text = decode_text(data)
        except (ValueError, OSError) as e:
            raise Fail(str(e), file=name)
        last = None
        for status, v in elements(text):
            after = "first row" if last is None else "after %s %d" % (what, last)
            if status == "end":
                break
            if status == "bad":
                raise Fail(v, file=name, row=after)
            if status == "dup":
                raise Fail("duplicate member %r" % v, file=name, row="any",
                           key=v)
            if not isinstance(v, dict):
                raise Fail("a row is not an object", file=name, row=after)
            try:
                out = convert(v, opts)
            except ValueError as e:
                rid = getattr(e, "row_id", None)
                raise Fail(str(e), file=name,
                           row=after if rid is None else "%s %d" % (what, rid),
                           key=getattr(e, "key", None))
            rows.append(out)
            last = out[0]


def text_of(t, v):
    """props->>'k' of a value, as far as a uniqueness check needs it."""
    if t == "boolean":
        return "true" if v else "false"
    return json.dumps(v, sort_keys=True) if not isinstance(v, str) else v


def set_checks(nodes, rels, meta, opts):
    """What the server finds: duplicate ids, dangling ends, uniqueness."""
    for what, rows in (("node", nodes), ("relationship", rels)):
        seen, dups = set(), set()
        for r in rows:
            (dups if r[0] in seen else seen).add(r[0])
        if dups:
            raise Fail("duplicate %s ids" % what, row="%s id" % what,
                       ids=sorted(dups)[:10])
    ids = {n[0] for n in nodes}
    dangling = [r[0] for r in rels if r[1] not in ids or r[2] not in ids]
    if dangling and not opts.skip_dangling:
        raise Fail("dangling relationships", row="relationship ids",
                   ids=sorted(dangling)[:10])
    rels[:] = [r for r in rels if r[1] in ids and r[2] in ids]
    for c in meta.get("uniqueness_constraints.json", []):
        seen = {}
        for nid, labels, props in nodes:
            if c["node_label"] in labels and c["node_prop"] in props:
                t = text_of(*props[c["node_prop"]][:2])
                if t in seen:
                    raise Fail("uniqueness constraint does not hold",
                               row="uniqueness constraint",
                               ids=[seen[t], nid])
                seen[t] = nid


def read_backup(backup, opts):
    """(nodes, relationships) a load must give, or Fail."""
    node_files, rel_files = chunk_files(backup)
    meta = read_meta(backup, opts)
    nodes, rels = [], []
    read_rows(backup, 0, node_files, opts, nodes)
    read_rows(backup, 1, rel_files, opts, rels)
    # the catalog counts what passed, dangling relationships included
    catalog = count_catalog(nodes, rels)
    set_checks(nodes, rels, meta, opts)
    return nodes, rels, catalog


def count_catalog(nodes, rels):
    """{(kind, scope, key, neo4j type): values}; key None counts rows."""
    counts = {}

    def add(kind, scope, props):
        for k in [None] + list(props):
            t = None if k is None else props[k][2]
            counts[kind, scope, k, t] = counts.get((kind, scope, k, t), 0) + 1
    for _, labels, props in nodes:
        for label in labels or [""]:
            add("label", label, props)
    for r in rels:
        add("type", r[3], r[4])
    return counts


def json_value(v):
    """Expected values as JSON: floats in points stay numbers where JSON
    has them, NaN and infinities become float8's strings."""
    if isinstance(v, float) and not math.isfinite(v):
        return float_value(v)
    if isinstance(v, dict):
        return {k: json_value(x) for k, x in v.items()}
    if isinstance(v, list):
        return [json_value(x) for x in v]
    return v


def write_expected(path, nodes, rels):
    with open(path, "w", encoding="ascii") as f:
        def line(obj):
            f.write(json.dumps(obj, ensure_ascii=True, allow_nan=False) + "\n")
        for nid, labels, props in nodes:
            line({"kind": "node", "id": nid, "labels": labels})
            for k, (t, v, _) in props.items():
                line({"kind": "node", "id": nid, "key": k, "type": t,
                      "value": json_value(v)})
        for rid, start, end, rtype, props in rels:
            line({"kind": "relationship", "id": rid, "type": rtype,
                  "start": start, "end": end})
            for k, (t, v, _) in props.items():
                line({"kind": "relationship", "id": rid, "key": k, "type": t,
                      "value": json_value(v)})


def write_catalog(path, catalog):
    with open(path, "w", encoding="ascii") as f:
        for (kind, scope, key, t), n in sorted(
                catalog.items(), key=lambda x: json.dumps(x[0])):
            f.write(json.dumps({"kind": kind, "scope": scope, "key": key,
                                "neo4j_type": t, "values": n}) + "\n")


def verdict(backup, opts, expected=None, catalog=None):
    try:
        nodes, rels, counts = read_backup(backup, opts)
    except Fail as e:
        return {"verdict": "fail", "why": e.why, "file": e.file,
                "row": e.row, "key": e.key, "ids": e.ids}
    if expected:
        write_expected(expected, nodes, rels)
    if catalog:
        write_catalog(catalog, counts)
    return {"verdict": "load", "nodes": len(nodes), "relationships": len(rels)}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("backup")
    p.add_argument("--expected", metavar="FILE")
    p.add_argument("--catalog", metavar="FILE",
                   help="the catalog's counts per label or type, key and type")
    p.add_argument("--skip-dangling", action="store_true")
    p.add_argument("--replace-nul", nargs="?", const="\ufffd")
    opts = p.parse_args(argv)
    print(json.dumps(verdict(opts.backup, opts, opts.expected,
                                     opts.catalog),
                     ensure_ascii=True))


if __name__ == "__main__":
    main()
