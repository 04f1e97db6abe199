#!/usr/bin/env python3
"""Write mutants of a small valid backup, by family and seed.

Each mutant is a copy of a base backup (gen_backup.py --edge-cases, gzip'd
or plain) with one kind of damage or one unusual-but-valid form.  A mutant
is named FAMILY-SEED and is the same bytes for the same name: everything
random comes from random.Random("FAMILY:SEED").  Chunks are rewritten with
gen_backup.py's own writer (write_chunk, write_meta); raw bytes are patched
only where the damage is below JSON (gzip, UTF-8, file names).

Whether a mutant must load, and what, is not decided here:
tools/read_backup.py reads each one independently, and test/mutants.py
loads it and compares.  Each mutant directory holds mutant.json: family,
seed, what was done, and the neo2pg options to load it with.

    python3 tools/gen_mutants.py OUTDIR [--per-family K] [--family F ...]
                                 [--seed-base S] [--list]
"""

import argparse
import gzip
import json
import os
import random
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_backup  # noqa: E402

MARK = "@@MUTANT@@"
QMARK = json.dumps(MARK)
BASE_ARGS = ["--nodes", "30", "--rels", "40", "--chunk-rows", "12",
             "--edge-cases", "--seed", "1"]
META = ["db_id.json", "unique_prop_key.json", "uniqueness_constraints.json",
        "property_keys.json", "node_labels.json", "rel_types.json",
        "compressed.json"]
NODE_MEMBERS = ["node_id", "node_labels", "node_props", "hash_props"]
REL_MEMBERS = ["rel_id", "start_node_id", "end_node_id", "rel_type",
               "rel_props", "hash_props"]


def make_bases(root):
    """The two base backups (gzip'd and plain) under root, made once."""
    for name, extra in (("base-gz", []), ("base-plain", ["--no-compress"])):
        path = os.path.join(root, name)
        if not os.path.isdir(path):
            gen_backup.main([path] + BASE_ARGS + extra)
    return root


class Mutant:
    """A copy of a base backup and the means to damage it."""

    def __init__(self, root, family, seed, outdir, plain=False):
        self.family, self.seed = family, seed
        self.rng = random.Random("%s:%d" % (family, seed))
        self.dir = outdir
        self.options = []
        self.what = []
        base = os.path.join(root, "base-plain" if plain else "base-gz")
        shutil.rmtree(outdir, ignore_errors=True)
        shutil.copytree(base, outdir, symlinks=True)

    # --- files
    def path(self, name):
        return os.path.join(self.dir, name)

    def chunks(self, kind=None):
        names = sorted(os.listdir(self.path("data")),
                       key=lambda n: (len(n), n))
        if kind:
            names = [n for n in names if n.startswith(kind)]
        return ["data/" + n for n in names]

    def chunk(self, kind=None):
        return self.rng.choice(self.chunks(kind))

    def raw(self, name):
        with open(self.path(name), "rb") as f:
            data = f.read()
        return gzip.decompress(data) if name.endswith(".gz") else data

    def write_raw(self, name, data, compress=None):
        if compress is None:
            compress = name.endswith(".gz")
        if compress:
            data = gzip.compress(data, mtime=0)
        with open(self.path(name), "wb") as f:
            f.write(data)

    def rows(self, name):
        return json.loads(self.raw(name))

    def write_rows(self, name, rows, mutate=None, indent=0):
        """Through gen_backup's writer: json.dumps(rows, default=str,
        indent=K), gzip'd when the name says so."""
        gz = name.endswith(".gz")
        stem = os.path.basename(name)[:-8 if gz else -5]
        args = argparse.Namespace(outdir=self.dir, indent=indent,
                                  no_compress=not gz, gzip_level=9)
        gen_backup.write_chunk(args, stem, rows, mutate)

    def meta(self, name):
        with open(self.path(name)) as f:
            return json.load(f)

    def write_meta(self, name, data, raw=None):
        if raw is not None:
            with open(self.path(name), "w") as f:
                f.write(raw)
        else:
            gen_backup.write_meta(self.dir, name, data)

    # --- rows
    def edit_row(self, kind, edit, where=None, mutate=None):
        """Apply edit(row) to a random row of a random chunk of kind (or of
        chunk where); the text of the chunk goes through mutate."""
        name = where or self.chunk(kind)
        rows = self.rows(name)
        i = self.rng.randrange(len(rows))
        edit(rows[i])
        self.write_rows(name, rows, mutate)
        self.note("%s row %d" % (name, i))
        return name, rows[i]

    def inject(self, kind, member_path, raw_json, where=None):
        """Put raw JSON text at member_path of a random row (a list of
        keys; the last one is created)."""
        def edit(row):
            obj = row
            for k in member_path[:-1]:
                obj = obj[k]
            obj[member_path[-1]] = MARK
        return self.edit_row(kind, edit, where,
                             lambda t: t.replace(QMARK, raw_json, 1))

    def inject_bytes(self, kind, member_path, raw, where=None):
        """Like inject, with raw bytes (not necessarily UTF-8)."""
        name, row = self.inject(kind, member_path, MARK.join('""'), where)
        self.write_raw(name, self.raw(name).replace(QMARK.encode(), raw, 1))
        return name, row

    def inject_key(self, kind, raw_key):
        """A property whose key is raw_key (bytes of a JSON string)."""
        name, row = self.edit_row(kind, lambda r: r[
            "node_props" if kind == "nodes" else "rel_props"].update({MARK: 1}))
        self.write_raw(name, self.raw(name).replace(QMARK.encode(), raw_key, 1))
        return name, row

    def prop_path(self, kind, row_key=None):
        props = "node_props" if kind == "nodes" else "rel_props"
        return [props, "mutant" if row_key is None else row_key]

    def note(self, text):
        self.what.append(text)

    def save(self):
        with open(self.path("mutant.json"), "w") as f:
            json.dump({"family": self.family, "seed": self.seed,
                       "what": "; ".join(self.what),
                       "options": self.options}, f)


def pick(m, variants):
    """The variant of this seed: seeds 1..len(variants) cover them all."""
    v = variants[(m.seed - 1) % len(variants)]
    m.note(repr(v)[:200])
    return v


def either(m):
    return m.rng.choice(["nodes", "relationships"])


# ---------------------------------------------------------------- gzip

def f_truncated_gzip(m):
    name = m.chunk()
    data = open(m.path(name), "rb").read()
    cut = pick(m, ["header", "middle", "trailer", "empty"])
    at = {"header": m.rng.randrange(1, 10),
          "middle": m.rng.randrange(10, len(data) - 8),
          "trailer": len(data) - m.rng.randrange(1, 9), "empty": 0}[cut]
    open(m.path(name), "wb").write(data[:at])
    m.note("%s cut at %d of %d" % (name, at, len(data)))


def patch_byte(m, name, at, value=None):
    data = bytearray(open(m.path(name), "rb").read())
    at %= len(data)
    data[at] = value if value is not None else data[at] ^ m.rng.randrange(1, 256)
    open(m.path(name), "wb").write(bytes(data))
    m.note("%s byte %d" % (name, at))


def f_gzip_bad_crc(m):
    part = pick(m, ["crc", "isize"])
    patch_byte(m, m.chunk(), (-8 if part == "crc" else -4) + m.rng.randrange(4))


def f_gzip_bad_header(m):
    at, value = pick(m, [(0, 0x1e), (1, 0x8a), (2, 7), (0, 0)])
    patch_byte(m, m.chunk(), at, value)


def f_gzip_trailing_garbage(m):
    tail = pick(m, [b"garbage", b"\0" * 8, b"\x1f", b"\x1f\x8b\x08",
                    bytes(m.rng.randrange(256) for _ in range(20))])
    name = m.chunk()
    with open(m.path(name), "ab") as f:
        f.write(tail)


def f_gzip_members(m):
    """Valid: the same JSON as two members, or with an empty member."""
    name = m.chunk()
    data = m.raw(name)
    how = pick(m, ["split", "empty-first", "empty-last", "byte-each"])
    if how == "split":
        at = m.rng.randrange(len(data))
        parts = [data[:at], data[at:]]
    elif how == "empty-first":
        parts = [b"", data]
    elif how == "empty-last":
        parts = [data, b""]
    else:
        parts = [data[:20]] + [data[i:i + 1] for i in range(20, 40)] + [data[40:]]
    open(m.path(name), "wb").write(b"".join(gzip.compress(p, mtime=0)
                                            for p in parts))


def flip(m, name, n):
    """Odd seeds flip bits; even seeds put printable ASCII in, which more
    often gives valid JSON that says something else (an id, a key)."""
    data = bytearray(m.raw(name))
    for _ in range(n):
        at = m.rng.randrange(len(data))
        if m.seed % 2:
            data[at] ^= m.rng.randrange(1, 256)
        else:
            data[at] = m.rng.choice(b"0123456789:abcAZ _-,")
        m.note("%s byte %d" % (name, at))
    return bytes(data)


def f_flip_bytes_gz(m):
    name = m.chunk()
    data = bytearray(open(m.path(name), "rb").read())
    for _ in range(m.rng.randrange(1, 4)):
        at = m.rng.randrange(len(data))
        data[at] ^= m.rng.randrange(1, 256)
        m.note("%s byte %d" % (name, at))
    open(m.path(name), "wb").write(bytes(data))


def f_flip_bytes_json(m):
    """Plain chunks or a metadata file: any byte may change."""
    name = m.chunk() if m.rng.random() < 0.85 else m.rng.choice(META[:-1])
    m.write_raw(name, flip(m, name, m.rng.randrange(1, 4)), compress=False)


# ---------------------------------------------------------------- encoding

BAD_UTF8 = [b"\xff", b"\xc0\x80", b"\xed\xa0\x80", b"\xe2\x82", b"\x80",
            b"\xf4\x90\x80\x80", b"\xf8\x88\x80\x80\x80", b"\xc3"]


def f_invalid_utf8(m):
    bad = pick(m, BAD_UTF8)
    where = m.rng.choice(["value", "key", "label", "meta"])
    m.note(where)
    raw = b'"ab' + bad + b'cd"'
    kind = either(m)
    if where == "value":
        m.inject_bytes(kind, m.prop_path(kind), raw)
    elif where == "key":
        m.inject_key(kind, raw)
    elif where == "label":
        m.inject_bytes("nodes", ["node_labels"], raw)
    else:
        with open(m.path("property_keys.json"), "wb") as f:
            f.write(b'["a", ' + raw + b']')


def f_lone_surrogates(m):
    esc = pick(m, [r"\ud800", r"\udc00", r"\ud800x", r"\ud800\u0041",
                   r"\udbff\udbff", r"\ude00\ud83d", r"\ud83d"])
    kind = either(m)
    where = m.rng.choice(["value", "key", "label", "list"])
    m.note(where)
    text = '"a%sb"' % esc
    if where == "value":
        m.inject(kind, m.prop_path(kind), text)
    elif where == "list":
        m.inject(kind, m.prop_path(kind), "[\"x\", %s]" % text)
    elif where == "label":
        m.inject("nodes", ["node_labels"], text)
    else:
        m.inject_key(kind, text.encode())


def f_bom(m):
    where = pick(m, ["chunk", "chunk-plain", "meta", "in-string",
                     "raw-in-string"])
    bom = b"\xef\xbb\xbf"
    if where in ("chunk", "chunk-plain"):
        name = m.chunk()
        data = m.raw(name)
        m.write_raw(name, bom + data, compress=where == "chunk")
    elif where == "meta":
        name = m.rng.choice(META[:-1])
        m.write_raw(name, bom + m.raw(name))
    elif where == "in-string":
        kind = either(m)
        m.inject(kind, m.prop_path(kind), r'"\ufeffvalue"')
    else:
        kind = either(m)
        m.inject_bytes(kind, m.prop_path(kind), b'"' + bom + b'value"')


def f_whitespace(m):
    """Valid: other indents and separators, CRLF, tabs; must load the
    same rows."""
    how = pick(m, [1, 2, 4, 8, None, "compact", "crlf", "tabs", "padding"])
    for name in m.chunks():
        rows = m.rows(name)
        gz = name.endswith(".gz")
        if isinstance(how, int) or how is None:
            text = json.dumps(rows, default=str, indent=how)
        elif how == "compact":
            text = json.dumps(rows, default=str, separators=(",", ":"))
        elif how == "crlf":
            text = json.dumps(rows, default=str, indent=2).replace("\n", "\r\n")
        elif how == "tabs":
            text = json.dumps(rows, default=str, indent="\t")
        else:
            text = " \n\t\r " + json.dumps(rows, default=str) + " \r\n\t "
        m.write_raw(name, text.encode(), compress=gz)


# ---------------------------------------------------------------- rows

WRONG = {"int": ['"5"', "5.0", "null", "[]", "{}", "true", "[5]"],
         "str": ["5", "null", '["A"]', "{}", "false"],
         "map": ["[]", '"x"', "null", "5", '[["k", 1]]']}
NODE_TYPES = {"node_id": "int", "node_labels": "str", "node_props": "map",
              "hash_props": "map"}
REL_TYPES = {"rel_id": "int", "start_node_id": "int", "end_node_id": "int",
             "rel_type": "str", "rel_props": "map", "hash_props": "map"}
META_WRONG = [("db_id.json", "5"), ("db_id.json", '["x"]'),
              ("unique_prop_key.json", "null"), ("unique_prop_key.json", "{}"),
              ("uniqueness_constraints.json", "{}"),
              ("uniqueness_constraints.json", '["Person"]'),
              ("uniqueness_constraints.json",
               '[{"node_label": 5, "node_prop": "uid", "constraint_name": "c"}]'),
              ("uniqueness_constraints.json",
               '[{"node_label": "Person", "node_prop": ["uid"], "constraint_name": "c"}]'),
              ("property_keys.json", '{"a": 1}'), ("property_keys.json", '["a", 1]'),
              ("node_labels.json", '"Person"'), ("node_labels.json", "[null]"),
              ("rel_types.json", "[[\"KNOWS\"]]"), ("rel_types.json", "true"),
              ("compressed.json", '"yes"'), ("compressed.json", "[]")]
WRONG_TARGETS = ([("nodes", k, w) for k, t in NODE_TYPES.items() for w in WRONG[t]]
                 + [("relationships", k, w) for k, t in REL_TYPES.items()
                    for w in WRONG[t]]
                 + [("meta", f, w) for f, w in META_WRONG])


def f_wrong_type(m):
    kind, key, raw = pick(m, WRONG_TARGETS)
    if kind == "meta":
        m.write_meta(key, None, raw=raw)
    else:
        m.inject(kind, [key], raw)


MISSING = ([("nodes", k) for k in NODE_MEMBERS]
           + [("relationships", k) for k in REL_MEMBERS]
           + [("meta", k) for k in ("node_label", "node_prop", "constraint_name")])


def f_missing_key(m):
    kind, key = pick(m, MISSING)
    if kind == "meta":
        cons = m.meta("uniqueness_constraints.json")
        del cons[0][key]
        m.write_meta("uniqueness_constraints.json", cons)
    else:
        m.edit_row(kind, lambda row: row.pop(key))


def f_unknown_members(m):
    """Valid: members the format does not name are ignored."""
    raw = pick(m, ['"x"', "[1, 2, {\"a\": null}]", "{\"b\": [[[]]]}", "null",
                   "1e400", "-0"])
    m.inject(either(m), ["extra_member"], raw)


def dup_row(m, kind):
    names = m.chunks(kind)
    src, dst = m.rng.choice(names), m.rng.choice(names)
    row = dict(m.rng.choice(m.rows(src)))
    rows = m.rows(dst)
    how = pick(m, ["same-row", "other-props"])
    if how == "other-props":
        props = "node_props" if kind == "nodes" else "rel_props"
        row[props] = {"dup": True}
        row["hash_props"] = {}
    rows.insert(m.rng.randrange(len(rows) + 1), row)
    m.write_rows(dst, rows)
    m.note("%s copied into %s" % (src, dst))


def f_duplicate_ids_nodes(m):
    dup_row(m, "nodes")


def f_duplicate_ids_rels(m):
    dup_row(m, "relationships")


HUGE_INTS = ["9223372036854775808", "-9223372036854775809",
             "9223372036854775807", "-9223372036854775808",
             "1" + "0" * 30, "-" + "9" * 400, "18446744073709551616",
             "-0", "00", "1" + "0" * 19]
FLOAT_TOKENS = ["1e400", "-1e400", "1e-400", "-2.5e-330", "9223372036854775808.0",
                "1" * 30 + ".5", "1E5", "1.0e+2", "0.1e1", "-0.0e0",
                "4.9e-324", "1.7976931348623157e308", "0." + "0" * 400 + "1",
                "123456789012345678901234567890e-10"]


def f_float_tokens(m):
    """Floats as JSON allows but Python never writes them."""
    huge(m, pick(m, FLOAT_TOKENS))


def f_huge_integers(m):
    huge(m, pick(m, HUGE_INTS))


def huge(m, raw):
    kind = either(m)
    target = m.rng.choice(["prop", "list", "id", "ref", "hash", "extra"])
    m.note(target)
    if target == "prop":
        m.inject(kind, m.prop_path(kind), raw)
    elif target == "list":
        m.inject(kind, m.prop_path(kind), "[%s, %s]" % (raw, raw))
    elif target == "id":
        m.inject(kind, ["node_id" if kind == "nodes" else "rel_id"], raw)
    elif target == "ref":
        m.inject("relationships", [m.rng.choice(["start_node_id", "end_node_id"])], raw)
    elif target == "hash":
        m.inject(kind, ["hash_props", "mutant"], raw)
    else:
        m.inject(kind, ["extra_member"], raw)


def f_deep_nesting(m):
    depth = pick(m, [10, 61, 62, 63, 64, 65, 200, 100000])
    kind = either(m)
    shape = m.rng.choice(["list", "map"])
    where = m.rng.choice(["prop", "extra"])
    m.note("%s %s" % (shape, where))
    if shape == "list":
        raw = "[" * depth + "1" + "]" * depth
    else:
        raw = '{"a": ' * depth + "1" + "}" * depth
    m.inject(kind, m.prop_path(kind) if where == "prop" else ["extra_member"], raw)


def f_huge_strings(m):
    """Valid: big values (not keys, labels or indexed values)."""
    how = pick(m, ["ascii-1M", "escapes-512k", "pairs-256k", "list-10k",
                   "ascii-8M"])
    kind = either(m)
    if how == "ascii-1M":
        raw = json.dumps("x" * (1 << 20))
    elif how == "ascii-8M":
        raw = json.dumps("y" * (8 << 20))
    elif how == "escapes-512k":
        raw = json.dumps("\u00e9\u6771\n" * (1 << 19))
    elif how == "pairs-256k":
        raw = json.dumps("\U0001F600" * (1 << 18))
    else:
        raw = json.dumps(["s%d" % i for i in range(10000)])
    m.inject(kind, m.prop_path(kind), raw)


def f_huge_names(m):
    """Long labels, types, keys and constrained values: issue 9 says load
    them or refuse them by name before loading, never a server error.
    Random letters, because PostgreSQL compresses an index entry of one
    letter repeated below its limit."""
    how = pick(m, ["label-3k", "type-3k", "key-3k", "uid-5k", "label-100k"])

    def text(n):
        return "".join(m.rng.choice("abcdefghijklmnopqrstuvwxyz")
                       for _ in range(n))
    if how.startswith("label"):
        n = 3000 if how == "label-3k" else 100000
        m.inject("nodes", ["node_labels"], json.dumps(text(n)))
    elif how == "type-3k":
        m.inject("relationships", ["rel_type"], json.dumps(text(3000)))
    elif how == "key-3k":
        kind = either(m)
        m.inject(kind, m.prop_path(kind, text(3000)), "1")
    else:
        rows = m.rows(m.chunks("nodes")[0])
        for r in rows:
            if "Person" in r["node_labels"].split(":"):
                r["node_props"]["uid"] = text(5000)
                break
        m.write_rows(m.chunks("nodes")[0], rows)


# ---------------------------------------------------------------- values

MALFORMED = [
    "$date('1999-13-01')", "$date('1999-02-29')", "$date('99-01-01')",
    "$date('1999-01-32')", "$date(1999-01-01)", "$date('1999-01-01'",
    "$date('1999-01-01') ", "$date('')", "$date('1999-01-01T00:00')",
    "$time('25:00:00')", "$time('12:60:00')", "$time('12:00:61')",
    "$time('12:00:00.1234567890')", "$time('12:00:00+19:00')",
    "$time('12:00:00+05:60')", "$time('12:00:00ZZ')", "$time('12')",
    "$datetime('1999-01-01 12:00:00')", "$datetime('1999-01-01T')",
    "$datetime('1999-02-30T12:00:00')", "$datetime('1999-01-01T12:00:00[Europe/Paris]')",
    "$duration('P')", "$duration('PT')", "$duration('P1H')",
    "$duration('P1.5D')", "$duration('PT1S1M')", "$duration('X5D')",
    "$duration('P99999999999999999999D')", "$duration('P1D ')",
    "$point({x: 1.0, crs: 'cartesian'})", "$point({x: 1.0, y: 2.0, crs: 'foo'})",
    "$point({x: 1.0, y: 2.0, z: 3.0, crs: 'wgs-84'})",
    "$point({x: 1.0, y: 2.0, crs: 'wgs-84-3d'})",
    "$point({x: 1.0, x: 2.0, y: 3.0})", "$point({x: abc, y: 1.0})",
    "$point(x: 1.0, y: 2.0)", "$point({x: 1.0, y: 2.0}", "$point(",
    "$date(", "$time(')", "$duration('P1D')x",
]


def f_malformed_literals(m):
    lit = pick(m, MALFORMED)
    kind = either(m)
    where = m.rng.choice(["prop", "prop", "list"])
    m.note(where)
    if where == "prop":
        m.inject(kind, m.prop_path(kind), json.dumps(lit))
    else:
        # one bad element among good ones: the list is strings as written
        good = "$date('2000-01-01')" if lit.startswith("$date") else \
            "$duration('P1D')" if lit.startswith("$dur") else \
            "$point({x: 1.0, y: 2.0, crs: 'cartesian'})" if lit.startswith("$p") \
            else "$time('12:00:00')" if lit.startswith("$time") \
            else "$datetime('2000-01-01T00:00:00')"
        m.inject(kind, m.prop_path(kind), json.dumps([good, lit]))


LITERAL_VARIANTS = [
    "$date('+1999-01-01')", "$date('10000-01-01')", "$date('2000-02-29')",
    "$time('12:50')", "$time('12:50:35')", "$time('12:50:35.5Z')",
    "$time('12:50:35+05:30:15')", "$time('00:00:00.000000001-18:00')",
    "$time('23:59:59.999999999+18:00')",
    "$datetime('2015-06-24T12:50:35Z')", "$datetime('2015-06-24T12:50')",
    "$datetime('2015-06-24T12:50:35.1-01:00')",
    "$duration('P1W')", "$duration('PT-0.5S')", "$duration('P-1Y-2M')",
    "$duration('PT90061S')", "$duration('P1Y2M3W4DT5H6M7.000000008S')",
    "$duration('PT1H-30M')", "$duration('P0D')",
    "$point({x: 1, y: 2, crs: 'cartesian'})",
    "$point({y: 2.5, crs: 'wgs-84', x: -1.5e-3})",
    "$point({x: nan, y: inf, crs: 'cartesian'})",
    "$point({x: -inf, y: 1E10, z: -0.0, crs: 'cartesian-3d'})",
    "$point({x: 1.0, y: 2.0})", "$point({x: 1.0, y: 2.0, z: 3.0})",
    "$point({x:1.0,y:2.0,crs:'WGS-84'})",
]


def f_literal_variants(m):
    """Valid: forms the format document accepts besides the driver's."""
    lit = pick(m, LITERAL_VARIANTS)
    kind = either(m)
    if m.rng.random() < 0.3:
        m.inject(kind, m.prop_path(kind), json.dumps([lit, lit]))
    else:
        m.inject(kind, m.prop_path(kind), json.dumps(lit))


MIXED_LISTS = [
    ["$date('2020-01-01')", "$time('12:00:00')"],
    ["$time('12:00:00')", "$time('12:00:00+01:00')"],
    ["$datetime('2020-01-01T00:00:00')", "$datetime('2020-01-01T00:00:00Z')"],
    ["$point({x: 1.0, y: 2.0, crs: 'wgs-84'})",
     "$point({x: 1.0, y: 2.0, crs: 'cartesian'})"],
    ["$point({x: 1.0, y: 2.0, z: 3.0, crs: 'cartesian-3d'})",
     "$point({x: 1.0, y: 2.0, crs: 'cartesian'})"],
    ["$duration('P1D')", "$date('2020-01-01')"],
]


def f_mixed_literal_lists(m):
    items = list(pick(m, MIXED_LISTS))
    m.rng.shuffle(items)
    kind = either(m)
    m.inject(kind, m.prop_path(kind), json.dumps(items))


def f_bad_digest(m):
    how = pick(m, ["orig-changed", "digest-char", "digest-short", "digest-upper",
                   "not-in-props", "orig-not-string", "value-not-string"])
    kind = either(m)
    props = "node_props" if kind == "nodes" else "rel_props"
    name = m.chunks(kind)[0]            # the edge cases with hashed keys
    rows = m.rows(name)
    row = next(r for r in rows if r["hash_props"])
    key = sorted(row["hash_props"])[0]
    if how == "orig-changed":
        row["hash_props"][key] += "x"
    elif how == "digest-char":
        d = row[props][key]
        row[props][key] = d[:5] + ("0" if d[5] != "0" else "1") + d[6:]
    elif how == "digest-short":
        row[props][key] = row[props][key][:-1]
    elif how == "digest-upper":
        row[props][key] = row[props][key].upper()
    elif how == "not-in-props":
        row["hash_props"]["absent_key"] = "$date(x)"
    elif how == "orig-not-string":
        row["hash_props"][key] = 5
    else:
        row[props][key] = 5
    m.write_rows(name, rows)


NAN_PLACES = [("nodes", ["node_id"]), ("relationships", ["start_node_id"]),
              ("relationships", ["rel_type"]), ("prop", None), ("list", None),
              ("hash", None), ("extra", None), ("meta", "db_id.json"),
              ("meta", "property_keys.json"), ("meta", "compressed.json")]


def f_nan_infinity(m):
    place, path = pick(m, NAN_PLACES)
    tok = m.rng.choice(["NaN", "Infinity", "-Infinity"])
    kind = either(m)
    m.note(tok)
    if place in ("nodes", "relationships"):
        m.inject(place, path, tok)
    elif place == "prop":
        m.inject(kind, m.prop_path(kind), tok)
    elif place == "list":
        m.inject(kind, m.prop_path(kind), "[1.5, %s, -0.0]" % tok)
    elif place == "hash":
        m.inject(kind, ["hash_props", "mutant"], tok)
    elif place == "extra":
        m.inject(kind, ["extra_member"], "[%s]" % tok)
    else:
        m.write_meta(path, None, raw=tok if path != "property_keys.json"
                     else "[\"a\", %s]" % tok)


def f_bad_tokens(m):
    """Words that look like Python's but are not JSON."""
    tok = pick(m, ["nan", "-NaN", "+Infinity", "inf", "Infinityx", "01",
                   "1.", ".5", "+1", "1e", "tru", "None", "0x10", "1_000"])
    kind = either(m)
    m.inject(kind, m.prop_path(kind), tok)


def f_duplicate_members(m):
    how = pick(m, ["row-id", "row-props", "prop", "hash", "meta"])
    kind = either(m)
    idm = "node_id" if kind == "nodes" else "rel_id"
    props = "node_props" if kind == "nodes" else "rel_props"
    if how == "row-id":
        m.inject(kind, [idm], "%s, %s: 999999" % ('0', json.dumps(idm)))
        # the row keeps its first id text: "node_id": 0, "node_id": 999999
    elif how == "row-props":
        m.inject(kind, [props], '{"a": 1}, %s: {"a": 2}' % json.dumps(props))
    elif how == "prop":
        m.inject(kind, [props, "dupkey"], '1, "dupkey": 2')
    elif how == "hash":
        m.inject(kind, ["hash_props", "dupkey"], '"a", "dupkey": "b"')
    else:
        m.write_meta("uniqueness_constraints.json", None, raw=(
            '[{"node_label": "Person", "node_label": "Tag", '
            '"node_prop": "uid", "constraint_name": "c"}]'))


def f_empty_label_parts(m):
    labels = pick(m, [":", ":A", "A:", "A::B", "::"])
    m.inject("nodes", ["node_labels"], json.dumps(labels))


def f_empty_names(m):
    """Neo4j has no empty key or relationship type."""
    how = pick(m, ["key", "type"])
    kind = either(m)
    if how == "key":
        m.inject(kind, m.prop_path(kind, ""), "1")
    else:
        m.inject("relationships", ["rel_type"], '""')


def f_nul_inside(m):
    where = pick(m, ["value", "list", "key", "label", "type", "hashed",
                     "keys-replaced", "value-replaced"])
    kind = either(m)
    if where.endswith("-replaced"):
        m.options.append("--replace-nul")
    if where == "keys-replaced":
        # issue 9: "k\0a", "k\0b" and "k" are three keys everywhere
        props = "node_props" if kind == "nodes" else "rel_props"
        m.edit_row(kind, lambda r: r[props].update(
            {"k\0a": 1, "k\0b": "two", "k": 3.5}))
    elif where in ("value", "value-replaced"):
        m.inject(kind, m.prop_path(kind), r'"a\u0000b"')
    elif where == "list":
        m.inject(kind, m.prop_path(kind), r'["x", "a\u0000b"]')
    elif where == "key":
        m.inject(kind, m.prop_path(kind, "k\0ey"), "1")
    elif where == "label":
        m.inject("nodes", ["node_labels"], r'"A\u0000B"')
    elif where == "type":
        m.inject("relationships", ["rel_type"], r'"T\u0000"')
    else:
        name = m.chunks(kind)[0]
        rows = m.rows(name)
        row = next(r for r in rows if r["hash_props"])
        props = "node_props" if kind == "nodes" else "rel_props"
        orig = "$date(\0)"
        row["hash_props"]["nulkey"] = orig
        row[props]["nulkey"] = gen_backup.sha256_hex(orig)
        m.write_rows(name, rows)


def f_nul_in_metadata(m):
    name = pick(m, ["db_id.json", "unique_prop_key.json", "property_keys.json",
                    "node_labels.json", "rel_types.json"])
    v = m.meta(name)
    if isinstance(v, list):
        v.append("a\0b")
    else:
        v = v[:4] + "\0" + v[4:]
    m.write_meta(name, v)


def f_dangling(m):
    how = pick(m, ["end", "start", "both", "skip"])
    name = m.chunk("relationships")
    rows = m.rows(name)
    r = m.rng.choice(rows)
    if how in ("end", "both", "skip"):
        r["end_node_id"] = 987654321
    if how in ("start", "both"):
        r["start_node_id"] = -5
    if how == "skip":
        m.options.append("--skip-dangling")
    m.write_rows(name, rows)
    m.note("relationship %d" % r["rel_id"])


# ---------------------------------------------------------------- files

def f_odd_file_names(m):
    how = pick(m, ["no-counter", "non-numeric", "both-kinds-rel",
                   "both-kinds-node", "hidden-copy", "hidden-empty",
                   "hidden-garbage", "dir-chunk", "other-files", "capitals",
                   "gz-as-json", "json-as-gz", "huge-counter"])
    data = m.path("data")
    if how in ("no-counter", "non-numeric", "huge-counter"):
        name = m.chunk()
        kind = "nodes" if "nodes" in name else "relationships"
        new = {"no-counter": kind, "non-numeric": kind + "_abc",
               "huge-counter": kind + "_" + "9" * 30}[how]
        os.rename(m.path(name), os.path.join(data, new + ".json.gz"))
    elif how == "both-kinds-rel":
        name = m.chunk("relationships")
        os.rename(m.path(name), os.path.join(data, "nodes_" + os.path.basename(name)))
    elif how == "both-kinds-node":
        name = m.chunk("nodes")
        os.rename(m.path(name), os.path.join(data, "relationship_" + os.path.basename(name)))
    elif how == "hidden-copy":
        name = m.chunk()
        shutil.copy(m.path(name), os.path.join(data, "." + os.path.basename(name)))
    elif how == "hidden-empty":
        m.write_raw("data/.nodes_99.json", b"[]")
    elif how == "hidden-garbage":
        m.write_raw("data/._nodes_12.json.gz", b"\0\x05\x16\x07\0\x02\0\0Mac OS X")
    elif how == "dir-chunk":
        os.mkdir(os.path.join(data, "nodes_99.json.gz"))
    elif how == "other-files":
        for n in ("README.txt", "nodes_12.json.bak", "nodes_5.json.gz.tmp",
                  "relationships.csv", "nodesjson"):
            m.write_raw("data/" + n, b"garbage")
        os.mkdir(os.path.join(data, "subdir"))
    elif how == "capitals":
        name = m.chunk("relationships")
        os.rename(m.path(name), os.path.join(data, "Relationships_1.json.gz"))
    elif how == "gz-as-json":
        name = m.chunk()
        os.rename(m.path(name), m.path(name[:-3]))
    else:
        name = m.chunk()
        m.write_raw(name, m.raw(name), compress=False)


def f_symlink_dev_zero(m):
    how = pick(m, ["gz", "plain", "null", "loop", "dangling", "dir"])
    data = m.path("data")
    target = {"gz": "/dev/zero", "plain": "/dev/zero", "null": "/dev/null",
              "loop": "nodes_77.json.gz", "dangling": "/nonexistent/x",
              "dir": "/tmp"}[how]
    name = "nodes_77.json" if how == "plain" else "nodes_77.json.gz"
    os.symlink(target, os.path.join(data, name))


def f_empty_files(m):
    how = pick(m, ["chunk", "chunk-gz-of-nothing", "meta", "whitespace"])
    if how == "chunk":
        open(m.path(m.chunk()), "wb").close()
    elif how == "chunk-gz-of-nothing":
        m.write_raw(m.chunk(), b"")
    elif how == "whitespace":
        m.write_raw(m.chunk(), b" \n\t")
    else:
        open(m.path(m.rng.choice(META)), "wb").close()


def f_empty_arrays(m):
    how = pick(m, ["new-chunk", "new-chunk-indent", "rels-emptied", "meta",
                   "all-rels"])
    if how == "new-chunk":
        m.write_raw("data/nodes_0.json.gz", b"[]")
    elif how == "new-chunk-indent":
        m.write_raw("data/relationships_1000.json", b"[\n\n]")
    elif how == "rels-emptied":
        m.write_rows(m.chunk("relationships"), [])
    elif how == "all-rels":
        for name in m.chunks("relationships"):
            m.write_rows(name, [])
    else:
        for name in ("property_keys.json", "uniqueness_constraints.json",
                     "node_labels.json", "rel_types.json"):
            m.write_meta(name, [])


def f_missing_metadata(m):
    how = pick(m, META + ["all"])
    for name in (META if how == "all" else [how]):
        os.unlink(m.path(name))


def f_non_array_top_level(m):
    raw = pick(m, ["{}", '"x"', "5", "null", "[] []", "[1, 2]", '[["a"]]',
                   "[{}]", '{"rows": []}', "[", "[{},]", "[,]"])
    m.write_raw(m.chunk(), raw.encode())


FAMILIES = {
    "truncated-gzip": (f_truncated_gzip, False),
    "gzip-bad-crc": (f_gzip_bad_crc, False),
    "gzip-bad-header": (f_gzip_bad_header, False),
    "gzip-trailing-garbage": (f_gzip_trailing_garbage, False),
    "gzip-members": (f_gzip_members, False),
    "flip-bytes-gz": (f_flip_bytes_gz, False),
    "flip-bytes-json": (f_flip_bytes_json, True),
    "invalid-utf8": (f_invalid_utf8, True),
    "lone-surrogates": (f_lone_surrogates, False),
    "bom": (f_bom, True),
    "whitespace": (f_whitespace, False),
    "wrong-type": (f_wrong_type, False),
    "missing-key": (f_missing_key, False),
    "unknown-members": (f_unknown_members, False),
    "duplicate-ids-nodes": (f_duplicate_ids_nodes, False),
    "duplicate-ids-rels": (f_duplicate_ids_rels, False),
    "huge-integers": (f_huge_integers, True),
    "float-tokens": (f_float_tokens, True),
    "deep-nesting": (f_deep_nesting, False),
    "huge-strings": (f_huge_strings, False),
    "huge-names": (f_huge_names, False),
    "malformed-literals": (f_malformed_literals, False),
    "literal-variants": (f_literal_variants, False),
    "mixed-literal-lists": (f_mixed_literal_lists, False),
    "bad-digest": (f_bad_digest, False),
    "nan-infinity": (f_nan_infinity, True),
    "bad-tokens": (f_bad_tokens, True),
    "duplicate-members": (f_duplicate_members, False),
    "empty-label-parts": (f_empty_label_parts, False),
    "empty-names": (f_empty_names, False),
    "nul-inside": (f_nul_inside, False),
    "nul-in-metadata": (f_nul_in_metadata, False),
    "dangling": (f_dangling, False),
    "odd-file-names": (f_odd_file_names, False),
    "symlink-dev-zero": (f_symlink_dev_zero, False),
    "empty-files": (f_empty_files, False),
    "empty-arrays": (f_empty_arrays, False),
    "missing-metadata": (f_missing_metadata, False),
    "non-array-top-level": (f_non_array_top_level, True),
}

def variants(family):
    """How many variants the family cycles through (seeds 1..n cover them
    all); a family without a list draws everything from the seed."""
    counts = {"flip-bytes-gz": 16, "flip-bytes-json": 24, "truncated-gzip": 4, "gzip-bad-crc": 2, "gzip-bad-header": 4,
              "gzip-trailing-garbage": 5, "gzip-members": 4, "bom": 5,
              "whitespace": 9, "wrong-type": len(WRONG_TARGETS),
              "missing-key": len(MISSING), "unknown-members": 6,
              "duplicate-ids-nodes": 2, "duplicate-ids-rels": 2,
              "huge-integers": len(HUGE_INTS),
              "float-tokens": len(FLOAT_TOKENS), "deep-nesting": 8,
              "huge-strings": 5, "huge-names": 5,
              "malformed-literals": len(MALFORMED),
              "literal-variants": len(LITERAL_VARIANTS),
              "mixed-literal-lists": len(MIXED_LISTS), "bad-digest": 7,
              "nan-infinity": len(NAN_PLACES), "bad-tokens": 14,
              "duplicate-members": 5, "empty-label-parts": 5,
              "empty-names": 2, "nul-inside": 8, "nul-in-metadata": 5,
              "dangling": 4, "odd-file-names": 13, "symlink-dev-zero": 6,
              "empty-files": 4, "empty-arrays": 5,
              "missing-metadata": len(META) + 1, "non-array-top-level": 12,
              "invalid-utf8": len(BAD_UTF8), "lone-surrogates": 7}
    return counts.get(family, 1)


def seeds_for(family, k):
    """k seeds spread over the family's variants (all of them when k is 0
    or at least their number)."""
    n = variants(family)
    if k == 0 or k >= n:
        return list(range(1, max(k, n) + 1))
    return [1 + (i * n) // k for i in range(k)]


def generate(root, family, seed, outdir):
    fn, plain = FAMILIES[family]
    m = Mutant(root, family, seed, outdir, plain)
    fn(m)
    m.save()
    return m


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("outdir")
    p.add_argument("--family", action="append",
                   help="only this family (repeatable)")
    p.add_argument("--seed", type=int, action="append",
                   help="only this seed (repeatable)")
    p.add_argument("--per-family", type=int, default=0,
                   help="seeds 1..K per family (default: each family's "
                        "number of variants)")
    p.add_argument("--list", action="store_true", help="list the families")
    args = p.parse_args(argv)
    if args.list:
        for f in FAMILIES:
            print(f, variants(f))
        return 0
    os.makedirs(args.outdir, exist_ok=True)
    root = make_bases(os.path.join(args.outdir, "_bases"))
    for family in args.family or FAMILIES:
        if family not in FAMILIES:
            p.error("unknown family %s" % family)
        seeds = args.seed or seeds_for(family, args.per_family)
        for seed in seeds:
            name = "%s-%d" % (family, seed)
            generate(root, family, seed, os.path.join(args.outdir, name))
            print(name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
