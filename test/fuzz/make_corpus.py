#!/usr/bin/env python3
"""Write the seed corpus of the fuzz targets into test/fuzz/corpus/TARGET/.

The seeds are small, readable where the format is text, and cover each
format's kinds of values, so that the fuzzer starts from valid inputs and
mutates its way out.  Run it again after changing it; the output is the
same every time (gzip without a timestamp).  Inputs that once made a
target fail live in test/fuzz/corpus/TARGET/crash-* and are kept by hand
(this script leaves them alone).
"""
import gzip
import hashlib
import json
import os
import shutil
import struct
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def gz(b):
    return gzip.compress(b, mtime=0)


def write(target, name, data):
    d = os.path.join(ROOT, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# ------------------------------------------------------------------ JSON

NODE_ROWS = """[
{"node_id": 38, "node_labels": "City", "node_props": {"big": 379299,
 "wake_up": "$time('10:10:07.000000000')", "meeting": "$time('20:41:34.556000000+00:00')"},
 "hash_props": {}},
{"node_id": 40, "node_labels": "Movie:Person", "node_props": {"blob": "b'\\\\xe6s'",
 "location": "$point({x: -6743.826291, y: -5071.678511, crs: 'cartesian'})",
 "items": ["$duration('P8M-39DT15H29M9.328555774S')", "$duration('P-1Y21D')"],
 "f": [1.5, NaN, Infinity, -Infinity], "n": [-9223372036854775808, 0],
 "s": "Z\\u00fcrich \\ud83d\\ude00 \\u0000 \\n", "b": [true, false]},
 "hash_props": {}}
]
"""

REL_ROWS = """[
{"rel_id": 26, "start_node_id": 7, "end_node_id": 1, "rel_type": "ACTED_IN",
 "rel_props": {"note": "Z\\u00fcrich", "when": "$date('1999-01-01')",
 "at": "$datetime('1947-02-24T12:24:09.556000000-05:00')"}, "hash_props": {}},
{"rel_id": 27, "start_node_id": 25, "end_node_id": 12, "rel_type": "KNOWS",
 "rel_props": {}, "hash_props": {}}
]
"""


def json_seeds():
    write("json", "nodes", NODE_ROWS)
    write("json", "rels", REL_ROWS)
    write("json", "nodes.gz", gz(NODE_ROWS.encode()))
    write("json", "scalars", '[null, true, false, 0, -1, 1e300, 2.5E-3, "", "\\"\\\\\\/\\b\\f\\n\\r\\t"]')
    write("json", "nested", '[{"a": [[[{"b": {}}]]], "c": []}]')
    write("json", "duplicate", '[{"a": 1, "b": {"x": 1, "x": 2}}, {"a": 2}]')
    write("json", "empty", " [ ] \n")
    write("json", "document", '{"element_ids": true, "schema": [{"kind": "index"}]}')


# --------------------------------------------------------------- literals

LITERALS = [
    "$date('1999-01-01')", "$date('-0042-12-31')", "$date('+999999999-12-31')",
    "$time('10:10:07.000000000')", "$time('20:41:34.556000000+00:00')",
    "$time('23:59:59.999999999-14:00')", "$time('24:00:00')",
    "$datetime('1947-02-24T12:24:09.556000000')",
    "$datetime('2098-03-28T04:22:25.142000000+05:30')",
    "$datetime('2020-03-29T02:30:00+01:00[Europe/Paris]')",
    "$duration('P2Y4M9DT-4H-33M-36.394034101S')", "$duration('P-1Y21D')",
    "$duration('PT0S')", "$duration('P1W')",
    "$point({x: -6743.826291, y: -5071.678511, crs: 'cartesian'})",
    "$point({x: 3.0, y: 0.0, z: 2.0, crs: 'cartesian-3d'})",
    "$point({x: 56.0, y: 12.0, crs: 'wgs-84'})",
    "$point({x: nan, y: inf, z: -1e-300, crs: 'wgs-84-3d'})",
]
ISO = ["2020-01-01T00:00:00.5+01:00[Europe/Paris]", "12:00:00Z", "P1Y2M3DT4H5M6.7S", "-1000-01-01"]


def literal_seeds():
    for i, s in enumerate(LITERALS + ISO):
        write("literal", "l%02d" % i, s)


# ------------------------------------------------------------------- gzip

def gzip_seeds():
    text = NODE_ROWS.encode()
    write("gzip", "one", gz(text))
    write("gzip", "two_members", gz(b"[1,") + gz(b"2]"))
    write("gzip", "empty", gz(b""))
    # FEXTRA, FNAME and FCOMMENT fields in the header
    body = gz(b"hello")[10:]
    write("gzip", "fields", b"\x1f\x8b\x08\x1c\0\0\0\0\0\x03\x02\0ab" + b"name\0" + b"note\0" + body)
    write("gzip", "truncated", gz(text)[:40])


# ----------------------------------------------------------------- backup

MARK = b"\n#next#\n"


def backup_seeds():
    hashed = "$date('not a date')"
    digest = hashlib.sha256(hashed.encode()).hexdigest()
    nodes = ('[{"node_id": 1, "node_labels": "P:Q", "node_props": {"uid": 1, "h": "%s",'
             ' "d": "$date(\'2000-01-01\')", "l": ["$time(\'10:00:00\')", "x"],'
             ' "b": "b\'\\\\x00\\\\xff\'", "z": "$datetime(\'2020-01-01T00:00:00+01:00\')", "s": ["x"]},'
             ' "hash_props": {"h": %s}},\n'
             '{"node_id": 2, "node_labels": "", "node_props": {}, "hash_props": {}}]\n'
             % (digest, json.dumps(hashed))).encode()
    rels = (b'[{"rel_id": 5, "start_node_id": 1, "end_node_id": 2, "rel_type": "KNOWS",'
            b' "rel_props": {"w": 0.5, "p": "$point({x: 1.0, y: 2.0, crs: \'cartesian\'})"},'
            b' "hash_props": {}}]\n')
    exact = (b'[{"id": 1, "element_id": "4:x:1", "labels": ["Q", "P"],'
             b' "props": {"b": {"bytes": "00ff"}, "z": {"datetime": "2020-01-01T00:00:00+01:00[Europe/Paris]"},'
             b' "s": {"string": ["$date(\'x\')"]}}},\n'
             b'{"id": 2, "element_id": "4:x:2"}]\n')
    graph = b'{"element_ids": true, "zone_ids": true, "schema": []}'
    write("backup", "nodes", b"\0" + nodes)
    write("backup", "nodes_meta", b"\x20" + nodes)
    write("backup", "rels", b"\1" + rels)
    write("backup", "nodes_gz_pieces", b"\x0e" + gz(nodes))
    write("backup", "rels_pieces", b"\x05" + rels)
    write("backup", "nodes_exact", b"\0" + nodes + MARK + exact + MARK + graph)
    write("backup", "nodes_exact_gz", b"\2" + gz(nodes) + MARK + gz(exact) + MARK + graph)


# ------------------------------------------------------------- PackStream

def ps_size(small, m8, m16, m32, n):
    if n < 16 and small is not None:
        return bytes([small + n])
    if n < 0x100 and m8 is not None:
        return bytes([m8, n])
    if n < 0x10000:
        return bytes([m16]) + struct.pack(">H", n)
    return bytes([m32]) + struct.pack(">I", n)


def p_int(i):
    if -16 <= i < 128:
        return struct.pack(">b", i)
    if -128 <= i < 128:
        return b"\xc8" + struct.pack(">b", i)
    if -32768 <= i < 32768:
        return b"\xc9" + struct.pack(">h", i)
    if -2**31 <= i < 2**31:
        return b"\xca" + struct.pack(">i", i)
    return b"\xcb" + struct.pack(">q", i)


def p_str(s):
    b = s.encode()
    return ps_size(0x80, 0xd0, 0xd1, 0xd2, len(b)) + b


def p_list(items):
    return ps_size(0x90, 0xd4, 0xd5, 0xd6, len(items)) + b"".join(items)


def p_map(pairs):
    return ps_size(0xa0, 0xd8, 0xd9, 0xda, len(pairs)) + b"".join(p_str(k) + v for k, v in pairs)


def p_struct(tag, fields):
    return bytes([0xb0 + len(fields), tag]) + b"".join(fields)


def p_float(f):
    return b"\xc1" + struct.pack(">d", f)


def ps_values():
    node = p_struct(0x4E, [p_int(1), p_list([p_str("P")]), p_map([("k", p_int(2))]), p_str("4:x:1")])
    rel = p_struct(0x52, [p_int(3), p_int(1), p_int(2), p_str("KNOWS"), p_map([]),
                          p_str("5:x:3"), p_str("4:x:1"), p_str("4:x:2")])
    unbound = p_struct(0x72, [p_int(3), p_str("KNOWS"), p_map([]), p_str("5:x:3")])
    return {
        "scalars": p_list([b"\xc0", b"\xc2", b"\xc3", p_int(-16), p_int(-17), p_int(200),
                           p_int(-40000), p_int(2**40), p_float(-0.0), p_float(float("nan"))]),
        "strings": p_list([p_str(""), p_str("é" * 10), p_str("x" * 300),
                           b"\xcc\x02\x00\xff", b"\xcd\x00\x01\x07"]),
        "map": p_map([("a", p_list([])), ("b", p_map([("c", b"\xc0")]))]),
        "temporal": p_list([
            p_struct(0x44, [p_int(10957)]),
            p_struct(0x54, [p_int(3600 * 10**9), p_int(3600)]),
            p_struct(0x74, [p_int(1)]),
            p_struct(0x49, [p_int(946684800), p_int(5), p_int(-18000)]),
            p_struct(0x69, [p_int(946684800), p_int(0), p_str("Europe/Paris")]),
            p_struct(0x64, [p_int(-1), p_int(999999999)]),
            p_struct(0x45, [p_int(14), p_int(-3), p_int(59), p_int(1)]),
            p_struct(0x58, [p_int(7203), p_float(1.5), p_float(-2.0)]),
            p_struct(0x59, [p_int(4979), p_float(56.0), p_float(12.0), p_float(2.0)]),
        ]),
        "legacy_datetime": p_list([p_struct(0x46, [p_int(946684800), p_int(5), p_int(3600)]),
                                   p_struct(0x66, [p_int(0), p_int(0), p_str("UTC")])]),
        "graph": p_list([node, rel, p_struct(0x50, [p_list([node, node]), p_list([unbound]),
                                                    p_list([p_int(1), p_int(1)])])]),
    }


def packstream_seeds():
    for name, v in ps_values().items():
        write("packstream", name, v)


# ------------------------------------------------------------------- Bolt

def chunk(msg):
    out = b""
    while msg:
        out += struct.pack(">H", len(msg[:65535])) + msg[:65535]
        msg = msg[65535:]
    return out + b"\0\0"


def reply(tag, field=None):
    return chunk(p_struct(tag, [field] if field is not None else []))


def success(pairs=()):
    return reply(0x70, p_map(list(pairs)))


def record(values):
    return reply(0x71, p_list(values))


def failure(code, message):
    return reply(0x7F, p_map([("code", p_str(code)), ("message", p_str(message))]))


IGNORED = chunk(b"\xb0\x7e")


def bolt_session(version=b"\0\0\x04\x05", hello=(("server", p_str("Neo4j/5.26.0")),)):
    rt = p_map([("ttl", p_int(300)), ("db", p_str("neo4j")),
                ("servers", p_list([p_map([("addresses", p_list([p_str("localhost:7687")])),
                                           ("role", p_str("READ"))])]))])
    s = version + success(hello)
    if version != b"\0\0\x04\x04":
        s += success()                              # LOGON
    s += success()                                  # BEGIN
    s += success([("fields", p_list([p_str("n")]))])  # RUN
    s += record([ps_values()["graph"]]) + record([p_int(2)])
    s += success([("has_more", b"\xc3")])
    s += b"\0\0" + record([ps_values()["temporal"]]) + success()
    s += success([("rt", rt)])                      # ROUTE
    s += success([("bookmark", p_str("b:1"))])      # COMMIT
    s += success()                                  # BEGIN
    s += success() + record([p_int(1)]) + success()  # RUN, PULL
    s += success()                                  # ROLLBACK
    return s


def bolt_seeds():
    write("bolt", "session", b"\0" + bolt_session())
    write("bolt", "session_split", b"\x03" + bolt_session())
    write("bolt", "v44_utc", b"\x07" + bolt_session(b"\0\0\x04\x04", (
        ("server", p_str("Neo4j/4.4.0")), ("patch_bolt", p_list([p_str("utc")])))))
    # manifest handshake: 5.8 down to 5.6, and 4.4; no capabilities
    write("bolt", "manifest", b"\0" + b"\0\0\x01\xff\x02\0\x02\x08\x05\0\0\x04\x04\0" +
          success() + success() + success())
    fail = failure("Neo.ClientError.Statement.SyntaxError", "bad")
    write("bolt", "failure_reset", b"\x05" + b"\0\0\x04\x05" + success() + success() +
          success() + fail + IGNORED + success() + success([("rt", p_map([]))]))
    write("bolt", "auth_failure", b"\0" + b"\0\0\x04\x05" + success() +
          failure("Neo.ClientError.Security.Unauthorized", "no"))
    write("bolt", "http", b"\0HTTP/1.1 400 Bad Request\r\n\r\n")


# ---------------------------------------------------- PostgreSQL binary COPY

COPY_HEADER = b"PGCOPY\n\xff\r\n\0" + struct.pack(">II", 0, 0)


def field(b):
    return struct.pack(">i", -1) if b is None else struct.pack(">i", len(b)) + b


def text_array(labels):
    if not labels:
        return struct.pack(">iiI", 0, 0, 25)
    out = struct.pack(">iiIii", 1, 0, 25, len(labels), 1)
    for s in labels:
        out += field(s.encode())
    return out


def jsonb(s):
    return b"\x01" + s.encode()


def tuple_(fields):
    return struct.pack(">h", len(fields)) + b"".join(field(f) for f in fields)


def message(b):
    return struct.pack(">H", len(b)) + b


def pgread_seeds():
    props = ('{"d": "2000-01-01", "f": 1.5, "n": 7, "s": "x\\u00e9", "b": "\\\\x00ff",'
             ' "p": {"x": 1.0, "y": 2.0, "srid": 7203}, "l": ["12:00:00+01:00"], "t": true}')
    types = '{"d": "date", "b": "bytes", "p": "point", "l": "list<time>", "f": "float"}'
    node = tuple_([struct.pack(">q", 1), text_array(["P", "Q"]), jsonb(props), jsonb(types)])
    node2 = tuple_([struct.pack(">q", 2), text_array([]), jsonb("{}"), None])
    trailer = struct.pack(">h", -1)
    write("pgread", "nodes", b"\0" + message(COPY_HEADER + node) + message(node2) + message(trailer))
    rel = tuple_([struct.pack(">q", 5), b"KNOWS", struct.pack(">q", 1), struct.pack(">q", 2),
                  jsonb('{"w": [1, 2], "dur": "P1Y2M3DT4H5M6.000000007S"}'),
                  jsonb('{"dur": "duration"}'), b"5:x:5"])
    write("pgread", "rels_element_id", b"\3" + message(COPY_HEADER + rel) + message(trailer))
    bad = tuple_([struct.pack(">q", 3), text_array(["P"]), jsonb('{"k": "x"}'), jsonb('{"k": "date"}')])
    write("pgread", "bad_date", b"\0" + message(COPY_HEADER + bad))


def main():
    for t in ("json", "literal", "gzip", "backup", "packstream", "bolt", "pgread"):
        d = os.path.join(ROOT, t)
        # keep inputs that once crashed a target; make the rest again
        if os.path.isdir(d):
            for f in os.listdir(d):
                if not f.startswith("crash-"):
                    os.unlink(os.path.join(d, f))
    json_seeds()
    literal_seeds()
    gzip_seeds()
    backup_seeds()
    packstream_seeds()
    bolt_seeds()
    pgread_seeds()
    return 0


if __name__ == "__main__":
    sys.exit(main())
