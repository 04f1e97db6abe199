#!/usr/bin/env python3
"""A backup's rows as the extension's SQL functions take them, in COPY text.

    raw_rows.py rows BACKUP       kind, id, node_props/rel_props, hash_props
    raw_rows.py literals BACKUP   kind, id, key, literal string

The props are JSON text in the backup's own dialect (json.dumps: NaN,
Infinity, Python's float repr), which is what neo2pg_props() reads;
jsonb could not carry it.  The literals are the plain (not hashed,
not listed) property values that start with a literal prefix.  The
ext_values test (test/regress/sql) loads both with \\copy FROM PROGRAM.
"""

import glob
import gzip
import json
import os
import sys

PREFIXES = ("$point(", "$date(", "$time(", "$datetime(", "$duration(")


def copy_text(s):
    return (s.replace("\\", "\\\\").replace("\t", "\\t")
            .replace("\n", "\\n").replace("\r", "\\r"))


def chunks(backup):
    for path in sorted(glob.glob(os.path.join(backup, "data", "*"))):
        name = os.path.basename(path)
        kind = "relationship" if "relationship" in name else "node"
        opener = gzip.open if name.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as f:
            for row in json.load(f):
                yield kind, row


def main():
    what, backup = sys.argv[1], sys.argv[2]
    out = sys.stdout
    for kind, row in chunks(backup):
        rid = row["node_id" if kind == "node" else "rel_id"]
        props = row["node_props" if kind == "node" else "rel_props"]
        hashed = row.get("hash_props")
        if what == "rows":
            hash_text = "\\N" if hashed is None else copy_text(json.dumps(hashed))
            out.write("%s\t%d\t%s\t%s\n" % (kind, rid, copy_text(json.dumps(props)), hash_text))
            continue
        for key, v in props.items():
            if isinstance(v, str) and v.startswith(PREFIXES) and key not in (hashed or {}):
                out.write("%s\t%d\t%s\t%s\n" % (kind, rid, copy_text(key), copy_text(v)))


main()
