#!/usr/bin/env python3
"""A backup whose labels, types and keys are hostile (issue 13): SQL and
Cypher injection, back-quotes, shell substitution, very long names, names
that differ only by case or Unicode normalisation; with --nul-value, U+0000
in a value, with --nul in a key too (PostgreSQL stores neither; Neo4j
refuses the key).

    make_hostile.py DIR [--nul | --nul-value]

Prints the labels, one a line as JSON strings (as PostgreSQL's jsonb prints
them: non-ASCII as it is), for the test to look for.
"""
import json
import os
import sys

out = sys.argv[1]
nul = "--nul" in sys.argv[2:]
nul_value = nul or "--nul-value" in sys.argv[2:]

LABELS = ['x"; DROP TABLE t; --', "a`b", "$(touch /tmp/neo2pg_pwned)", "Person", "person",
          "caf\u00e9", "cafe\u0301", "L" * 300, "x') RETURN 1 //", "\\`;"]
TYPES = ['T"; DROP TABLE t; --', "r`t", "$(touch /tmp/neo2pg_pwned)", "Rel", "rel", "R" * 300]
KEYS = ['k"; DROP TABLE t; --', "b`q", "$(touch /tmp/neo2pg_pwned)", "Key", "key",
        "\u00e9", "e\u0301", "K" * 300, "} RETURN 1 //"]

nodes, rels = [], []
for i, label in enumerate(LABELS):
    props = {k: "v%d %s" % (i, k[:20]) for k in KEYS}
    if nul_value:
        props["nul"] = "a\u0000b"
    if nul:
        props["n\u0000ul"] = "c"
    props["uid"] = i
    nodes.append({"node_id": i, "node_labels": label, "node_props": props, "hash_props": {}})
# two labels on one node, case apart
nodes.append({"node_id": 100, "node_labels": "Person:person", "node_props": {"uid": 100}, "hash_props": {}})
for j, typ in enumerate(TYPES):
    rels.append({"rel_id": j, "start_node_id": j, "end_node_id": (j + 1) % len(LABELS), "rel_type": typ,
                 "rel_props": {k: j for k in KEYS}, "hash_props": {}})

os.makedirs(os.path.join(out, "data"))
with open(os.path.join(out, "data", "nodes_%d.json" % len(nodes)), "w") as f:
    f.write(json.dumps(nodes, indent=0))
with open(os.path.join(out, "data", "relationships_%d.json" % len(rels)), "w") as f:
    f.write(json.dumps(rels, indent=0))
json.dump(False, open(os.path.join(out, "compressed.json"), "w"))
json.dump([], open(os.path.join(out, "uniqueness_constraints.json"), "w"))
for label in sorted(set(LABELS)):
    print(json.dumps(label, ensure_ascii=False))
