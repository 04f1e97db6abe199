#!/usr/bin/env python3
"""A backup of one large plain chunk, for the extension's bounded-memory test.

    test/fdw_big_chunk.py DIR [MB]

DIR/data/nodes_0.json holds MB (default 128) megabytes of nodes, each with
one 100 kB string property: a scan must go through it holding one row, not
the chunk.  Deterministic, and written in a few seconds.
"""

import json
import os
import sys


def main(argv):
    out = argv[1]
    mb = int(argv[2]) if len(argv) > 2 else 128
    os.makedirs(os.path.join(out, "data"), exist_ok=True)
    with open(os.path.join(out, "compressed.json"), "w") as f:
        f.write("false")
    with open(os.path.join(out, "node_labels.json"), "w") as f:
        f.write('["Big"]')
    for name in ("rel_types.json", "property_keys.json", "uniqueness_constraints.json"):
        with open(os.path.join(out, name), "w") as f:
            f.write("[]")
    text = "".join(chr(ord("a") + i % 26) for i in range(100 * 1024))
    rows = mb * 1024 // 100
    with open(os.path.join(out, "data", "nodes_0.json"), "w") as f:
        f.write("[")
        for i in range(rows):
            row = {"node_id": i, "node_labels": "Big",
                   "node_props": {"text": text, "n": i}, "hash_props": {}}
            f.write((",\n" if i else "\n") + json.dumps(row))
        f.write("\n]")


if __name__ == "__main__":
    main(sys.argv)
