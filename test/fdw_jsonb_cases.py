#!/usr/bin/env python3
"""A backup of the values the foreign data wrapper builds as jsonb itself.

    test/fdw_jsonb_cases.py DIR

The wrapper makes props, prop_types and typed jsonb columns from the
parsed values (src/ext/fdw_jsonb.c) where a load has the server parse JSON
text: ext_fdw compares the two, byte for byte.  The rows are written as
JSON text by hand, so that the number tokens are the ones chosen here
(trailing zeros, capital exponents, long mantissas), not Python's repr.
"""

import os
import sys

# float tokens: each reads as a float, and most take a different branch
# of the core's float text (source token, formatted double, marked string)
FLOATS = ["0.334", "1.50", "100.0", "1E-5", "1e-05", "2.5e-300", "1.0e+2", "-0.0",
          "0.0", "1e+20", "1e16", "9999999999999998.0", "1.7976931348623157e+308",
          "5e-324", "-2.2250738585072014e-308", "0.1000000000000000055511151231257827",
          "123456789012.125", "-1.5", "3.0e-7", "NaN", "Infinity", "-Infinity"]
INTS = ["9223372036854775807", "-9223372036854775808", "0", "-1", "4294967296",
        "9007199254740993", "10", "100000000000000000"]
# every escape JSON has, every control character, surrogate pairs, U+2028
STRINGS = ['"' + "".join("\\u%04x" % c for c in range(1, 32)) + '"',
           '"\\" \\\\ \\/ \\b \\f \\n \\r \\t"',
           '"\\ud83d\\ude00 \\ud834\\udd1e \\u2028\\u2029 \\u00e9 \\u007f"',
           '"caf\u00e9 \U0001F600 \u6771\u4eac"', '""', '" "', '"$notdate(x)"']


def props(pairs):
    return "{" + ", ".join('"%s": %s' % kv for kv in pairs) + "}"


def node_rows():
    rows = [
        [("f%02d" % i, t) for i, t in enumerate(FLOATS)],
        [("floats", "[" + ", ".join(FLOATS) + "]")],
        [("floats_plain", "[0.5, 1.25, 1E-5, 100.0]")],
        [("i%d" % i, t) for i, t in enumerate(INTS)],
        [("ints", "[" + ", ".join(INTS) + "]")],
        [("s%d" % i, t) for i, t in enumerate(STRINGS)],
        [("strings", "[" + ", ".join(STRINGS) + "]")],
        # key order: jsonb sorts keys by length, then bytes
        [("ccc", "1"), ("a", "2"), ("bb", "3"), ("B", "4"), ("\\u00e9", "5"), ("x y", "6"),
         ("\\n\\t\\\"", "7"), ("Z", "8"), ("aa", "9")],
        [],
        [("empty", "[]"), ("t", "true"), ("f", "false")],
        [("one", "[1]"), ("one_float", "[1.0]"), ("one_str", '["x"]'), ("bools", "[true, false]")],
        [("mixed_plain", '[1, "a", true, 1.5]')],
    ]
    return rows


def write_chunk(path, rows):
    with open(path, "w") as f:
        f.write("[")
        for i, row in enumerate(rows):
            f.write((",\n" if i else "\n") + row)
        f.write("\n]")


def main(argv):
    out = argv[1]
    os.makedirs(os.path.join(out, "data"), exist_ok=True)
    meta = {"compressed.json": "false", "node_labels.json": '["Case", "Other"]',
            "rel_types.json": '["CASE"]', "property_keys.json": "[]",
            "uniqueness_constraints.json": "[]"}
    for name, text in meta.items():
        with open(os.path.join(out, name), "w") as f:
            f.write(text)
    nodes = node_rows()
    write_chunk(os.path.join(out, "data", "nodes_0.json"),
                ['{"node_id": %d, "node_labels": "%s", "node_props": %s, "hash_props": {}}'
                 % (i, "Case" if i % 2 else "Case:Other", props(p)) for i, p in enumerate(nodes)])
    write_chunk(os.path.join(out, "data", "relationships_0.json"),
                ['{"rel_id": %d, "rel_type": "CASE", "start_node_id": %d, "end_node_id": %d, '
                 '"rel_props": %s, "hash_props": {}}' % (i, i, (i + 1) % len(nodes), props(p))
                 for i, p in enumerate(nodes)])


if __name__ == "__main__":
    main(sys.argv)
