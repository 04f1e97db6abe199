#!/usr/bin/env python3
"""Write the tiny backups that test the typed views at their edges.

    make_typed_edges.py edges OUTDIR EXPECTED.jsonl NOT_CASTABLE.jsonl
    make_typed_edges.py names OUTDIR EXPECTED.jsonl

"edges": values PostgreSQL cannot hold (years outside 1..9999, offsets
beyond +-15:59:59, durations that overflow an interval), values at the
limits that it can, 24:00 times, offsets with seconds, NaN and infinities,
empty lists and mixed types.  NOT_CASTABLE.jsonl gets one line per value
that must read as NULL in its typed column ({"kind", "id", "key"}; a list
counts when any of its elements cannot be held).

"names": labels and types whose view names collide (a label "nodes", a
label and a type both "KNOWS", a label longer than 63 bytes) and a key "id".

The backup is in the Python tool's format (/work/shared/docs/backup-format.md)
with plain .json chunks (compressed.json false), written with the same
json.dumps call the tool uses.  EXPECTED.jsonl is in the format of
tools/gen_backup.py --expected (tools/README.md).  Each literal is written
next to its canonical text (include/neo2pg/literal.h) by hand, so neo2pg's
parser and printer are checked against an independent statement of both.
Python 3, standard library only.
"""

import json
import os
import sys

NAN, INF = float("nan"), float("inf")


# (type, value in the row, canonical value, castable) -------------------------

def lit(typ, fn, text, canon, castable=True):
    return (typ, "$%s('%s')" % (fn, text), canon, castable)


def date(text, canon, castable=True):
    return lit("date", "date", text, canon, castable)


def ldt(text, canon, castable=True):
    return lit("localdatetime", "datetime", text, canon, castable)


def dt(text, canon, castable=True):
    return lit("datetime", "datetime", text, canon, castable)


def ltime(text, canon, castable=True):
    return lit("localtime", "time", text, canon, castable)


def time(text, canon, castable=True):
    return lit("time", "time", text, canon, castable)


def dur(text, canon, castable=True):
    return lit("duration", "duration", text, canon, castable)


def flt(f):
    return ("float", f, repr(f), True)


def integer(i):
    return ("integer", i, i, True)


def string(s):
    return ("string", s, s, True)


def lst(elem_type, items):
    """items: (row value, canonical, castable) or values of a plain type."""
    if not items:
        return ("list", [], [], True)
    return ("list<%s>" % elem_type, [i[1] for i in items],
            [i[2] for i in items], all(i[3] for i in items))


# ------------------------------------------------------------ the edge graph

def edge_graph():
    nodes = [
        (1, ["Edge"], {
            "d": date("-0001-01-01", "-0001-01-01", False),
            "ldt": ldt("-0001-01-01T00:00:00.000000000", "-0001-01-01T00:00:00", False),
            "dt": dt("+10000-01-01T00:00:00.000000000+01:00", "10000-01-01T00:00:00+01:00", False),
            "lt": ltime("24:00:00.000000000", "24:00:00"),
            "t": time("24:00:00.000000000+01:00", "24:00:00+01:00"),
            "dur": dur("P-1M-2DT-3H", "P-1M-2DT-3H"),
            "f": flt(NAN),
            "fl": lst("float", [flt(NAN), flt(INF), flt(-INF), flt(-0.0), flt(2.5)]),
            "empty_only": lst("integer", []),
            "empty_some": lst("integer", []),
            "mixed": integer(1),
            "dl": lst("date", [date("2000-01-01", "2000-01-01"),
                               date("-0001-01-01", "-0001-01-01", False)]),
        }),
        (2, ["Edge"], {
            "d": date("0000-01-01", "0000-01-01", False),
            "ldt": ldt("+10000-01-01T00:00:00.000000000", "10000-01-01T00:00:00", False),
            "dt": dt("-0001-12-31T23:00:00.000000000+00:00", "-0001-12-31T23:00:00+00:00", False),
            "lt": ltime("23:59:59.999999999", "23:59:59.999999999"),
            "t": time("10:00:00.000000000+01:00:30", "10:00:00+01:00:30"),
            "dur": dur("P1Y2M3D", "P1Y2M3D"),
            "f": flt(INF),
            "empty_only": lst("integer", []),
            "empty_some": lst("integer", [integer(1), integer(2)]),
            "mixed": string("one"),
            "dl": lst("date", [date("1999-12-31", "1999-12-31")]),
        }),
        (3, ["Edge"], {
            "d": date("+10000-01-01", "10000-01-01", False),
            "ldt": ldt("9999-12-31T23:59:59.999999999", "9999-12-31T23:59:59.999999999"),
            "dt": dt("2020-01-01T00:00:00.000000000+18:00", "2020-01-01T00:00:00+18:00", False),
            "lt": ltime("00:00:00.000000000", "00:00:00"),
            "t": time("10:00:00.000000000+18:00", "10:00:00+18:00", False),
            "dur": dur("P-1Y-2M-3DT-4H-5M-6.5S", "P-1Y-2M-3DT-4H-5M-6.5S"),
            "f": flt(-INF),
            "empty_some": lst("integer", [integer(3)]),
        }),
        (4, ["Edge"], {
            "d": date("9999-12-31", "9999-12-31"),
            "ldt": ldt("0001-01-01T00:00:00.000000000", "0001-01-01T00:00:00"),
            "dt": dt("2020-06-01T12:00:00.000000000-18:00", "2020-06-01T12:00:00-18:00", False),
            "t": time("10:00:00.000000000-18:00", "10:00:00-18:00", False),
            "dur": dur("P83333333333Y", "P83333333333Y", False),
            "f": flt(-0.0),
        }),
        (5, ["Edge"], {
            "d": date("0001-01-01", "0001-01-01"),
            "dt": dt("9999-12-31T23:00:00.000000000-05:00", "9999-12-31T23:00:00-05:00"),
            "t": time("10:00:00.000000000+15:59:59", "10:00:00+15:59:59"),
            "dur": dur("P3000000000D", "P3000000000D", False),
            "f": flt(1.5),
        }),
        (6, ["Edge", "Second"], {
            "d": date("+10000-01-01", "10000-01-01", False),
            "dt": dt("0001-01-01T00:30:00.000000000+01:00", "0001-01-01T00:30:00+01:00"),
            "t": time("10:00:00.000000000-15:59:59", "10:00:00-15:59:59"),
            "dur": dur("PT3000000000000H", "PT3000000000000H", False),
        }),
        (7, [], {
            "d": date("-0001-01-01", "-0001-01-01", False),
            "dur": dur("PT-0.000000001S", "PT-0.000000001S"),
        }),
        (8, ["Edge"], {
            "dt": dt("2020-01-01T00:00:00.000000000+15:59:59", "2020-01-01T00:00:00+15:59:59"),
            "dur": dur("P178956970Y7M", "P178956970Y7M"),
        }),
        (9, ["Edge"], {
            "dur": dur("P14M", "P1Y2M"),
        }),
        (10, ["Edge"], {
            "dur": dur("PT90M", "PT1H30M"),
        }),
        (11, ["Edge"], {
            "dur": dur("PT0S", "PT0S"),
        }),
    ]
    rels = [
        (0, 1, 2, "EDGE_REL", {
            "dt": dt("2020-01-01T00:00:00.000000000+18:00", "2020-01-01T00:00:00+18:00", False),
            "t": time("24:00:00.000000000+01:00", "24:00:00+01:00"),
            "dur": dur("P83333333333Y", "P83333333333Y", False),
            "f": flt(NAN),
            "d": date("+10000-01-01", "10000-01-01", False),
        }),
        (1, 2, 1, "EDGE_REL", {
            "dt": dt("2021-03-04T05:06:07.000000001+01:00:30", "2021-03-04T05:06:07.000000001+01:00:30"),
            "dur": dur("P1Y2M3DT4H5M6.000000007S", "P1Y2M3DT4H5M6.000000007S"),
            "f": flt(-0.0),
            "d": date("2000-02-29", "2000-02-29"),
        }),
    ]
    return nodes, rels


# ------------------------------------------------------ the name collisions

LONG_LABEL = "L" + "o" * 70 + "ngLabel"         # 78 bytes
LONG_LABEL_2 = "L" + "o" * 70 + "ngLabelTwo"    # the same first 63 bytes
LONG_UTF8 = "É" * 40                             # 80 bytes: cut on a character


def names_graph():
    nodes = [
        (1, ["nodes"], {"id": integer(11), "id_prop": integer(13),
                        "name": string("a node called nodes")}),
        (2, ["KNOWS"], {"id": integer(12), "labels": string("not the labels")}),
        (3, [LONG_LABEL], {"x": integer(1)}),
        (4, [LONG_LABEL_2], {"x": integer(2)}),
        (5, [LONG_UTF8], {"x": integer(3)}),
        (6, ["catalog", "KNOWS"], {"x": integer(4)}),
    ]
    rels = [
        (0, 1, 2, "KNOWS", {"id": integer(21), "start_id": string("s"), "end_id": string("e"),
                            "since": integer(1999)}),
        (1, 2, 1, "relationships", {"w": integer(5)}),
        (2, 3, 4, "nodes", {"w": integer(6)}),
    ]
    return nodes, rels


# ------------------------------------------------------------------ writing

def write(outdir, expected_path, nodes, rels, nc_path=None):
    os.makedirs(os.path.join(outdir, "data"))
    keys, labels, types = set(), set(), set()
    node_rows, rel_rows, exp, nc = [], [], [], []
    for nid, labs, props in nodes:
        text = ":".join(sorted(labs, key=str.lower))
        node_rows.append({"node_id": nid, "node_labels": text,
                          "node_props": {k: v[1] for k, v in props.items()},
                          "hash_props": {}})
        labels.add(text)
        if ":" in text:
            labels.update(text.split(":"))
        keys.update(props)
        exp.append({"kind": "node", "id": nid, "labels": text.split(":") if text else []})
        for k, (typ, _, canon, ok) in props.items():
            exp.append({"kind": "node", "id": nid, "key": k, "type": typ, "value": canon})
            if not ok:
                nc.append({"kind": "node", "id": nid, "key": k})
    for rid, start, end, rtype, props in rels:
        rel_rows.append({"rel_id": rid, "start_node_id": start, "end_node_id": end,
                         "rel_type": rtype,
                         "rel_props": {k: v[1] for k, v in props.items()},
                         "hash_props": {}})
        types.add(rtype)
        keys.update(props)
        exp.append({"kind": "relationship", "id": rid, "type": rtype,
                    "start": start, "end": end})
        for k, (typ, _, canon, ok) in props.items():
            exp.append({"kind": "relationship", "id": rid, "key": k, "type": typ,
                        "value": canon})
            if not ok:
                nc.append({"kind": "relationship", "id": rid, "key": k})

    def chunk(name, rows):
        # the tool's call: json.dumps(rows, default=str, indent=K)
        with open(os.path.join(outdir, "data", name), "w") as f:
            f.write(json.dumps(rows, default=str, indent=0))

    def meta(name, data):
        with open(os.path.join(outdir, name), "w") as f:
            f.write(json.dumps(data, default=str, indent=4))

    chunk("nodes_%d.json" % len(node_rows), node_rows)
    chunk("relationships_%d.json" % len(rel_rows), rel_rows)
    meta("compressed.json", False)
    meta("db_id.json", "0" * 64)
    meta("unique_prop_key.json", "qwertyuiopasdfgh")
    meta("uniqueness_constraints.json", [])
    meta("property_keys.json", sorted(keys))
    meta("node_labels.json", sorted(labels))
    meta("rel_types.json", sorted(types))

    def lines(path, objs):
        with open(path, "w", encoding="ascii") as f:
            for o in objs:
                f.write(json.dumps(o, ensure_ascii=True, allow_nan=False) + "\n")

    lines(expected_path, exp)
    if nc_path:
        lines(nc_path, nc)


def main(argv):
    if len(argv) == 5 and argv[1] == "edges":
        nodes, rels = edge_graph()
        write(argv[2], argv[3], nodes, rels, argv[4])
    elif len(argv) == 4 and argv[1] == "names":
        nodes, rels = names_graph()
        write(argv[2], argv[3], nodes, rels)
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
