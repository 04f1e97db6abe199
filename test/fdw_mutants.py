#!/usr/bin/env python3
"""Every mutant of the corpus through the extension's foreign data wrapper.

Each mutant (tools/gen_mutants.py) is read by tools/read_backup.py, as
test/mutants.py does, with the load's default rules (no --skip-dangling,
no --replace-nul: a foreign table has neither).  The test server, which
must have the extension installed (test/ext_install.sh), then serves it:
a server with its path, IMPORT FOREIGN SCHEMA of nodes and relationships,
and a scan of each building every column.
  - a mutant the load must refuse for a row or a file fails with an ERROR
    whose text names the file (in DETAIL), the row (in DETAIL, or the
    message's "(in the row after ...)") and the key (in the message);
  - a mutant that must load is read whole: as many nodes and relationships
    as the reader finds, and the typed tables' IMPORT succeeds;
  - a mutant the load refuses for what only its keys and constraints see
    (duplicate ids, dangling relationships) is read without an error:
    a foreign table has no keys;
  - the server is still there after each one.
The last line is "fdw mutants: N passed, M failed".

    test/fdw_mutants.py --dir DIR [--per-family K] [--family F ...]

DIR must be a directory the server can read (under root it runs as
postgres); it is made and removed.  The PG* variables name the server.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "test"))
import gen_mutants  # noqa: E402
import read_backup  # noqa: E402
from mutants import MAY_REFUSE, key_named  # noqa: E402

DB = "neo2pg_fdw_mutants"
# what the load refuses only through its keys and constraints
CONSTRAINT_ROWS = ("node id", "relationship id", "relationship ids", "uniqueness constraint")
TIMEOUT = 120


class Opts:
    skip_dangling = False
    replace_nul = None


def psql(sql, db=DB, check=True):
    r = subprocess.run(["psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-d", db],
                       input=sql, capture_output=True, text=True, timeout=TIMEOUT)
    if check and r.returncode != 0:
        raise RuntimeError("psql: %s" % r.stderr.strip())
    return r


def quote_ident(s):
    return '"' + s.replace('"', '""') + '"'


def quote_literal(s):
    return "'" + s.replace("'", "''") + "'"


def scan_sql(name, mdir, typed):
    q = quote_ident(name)
    sql = ("CREATE SERVER %s FOREIGN DATA WRAPPER neo2pg OPTIONS (path %s);\n"
           "CREATE SCHEMA %s;\n"
           "IMPORT FOREIGN SCHEMA neo4j LIMIT TO (nodes, relationships) FROM SERVER %s INTO %s;\n"
           "SELECT count(*), sum(length(props::text || coalesce(prop_types::text, '') || "
           "labels::text)) FROM %s.nodes;\n"
           "SELECT count(*), sum(length(props::text || coalesce(prop_types::text, '') || type)) "
           "FROM %s.relationships;\n") % (q, quote_literal(mdir), q, q, q, q, q)
    if typed:
        sql += ("CREATE SCHEMA %s;\nIMPORT FOREIGN SCHEMA neo4j EXCEPT (nodes, relationships) "
                "FROM SERVER %s INTO %s;\n") % (quote_ident(name + "_t"), q, quote_ident(name + "_t"))
    return sql


def names_where(text, v):
    """What the ERROR's text lacks of the file, row and key it must name."""
    lacks = []
    if v["file"] and "/" + v["file"] not in text:
        lacks.append("file " + v["file"])
    row = v["row"] or ""
    if re.fullmatch(r"(node|relationship) -?\d+", row):
        if not re.search(r"\b%s[,.]" % re.escape(row), text):
            lacks.append("row " + row)
    elif row.startswith("after "):
        if "(in the row after %s)" % row[6:] not in text:
            lacks.append("'(in the row after %s)'" % row[6:])
    if v["key"] is not None:
        first = [l for l in text.splitlines() if l.startswith("ERROR:")][:1]
        if not first or not key_named(first[0], v["key"]):
            lacks.append("key %s" % json.dumps(v["key"]))
    return lacks


def check_one(name, family, mdir):
    v = read_backup.verdict(mdir, Opts())
    must_fail = v["verdict"] == "fail" and v["row"] not in CONSTRAINT_ROWS
    r = psql(scan_sql(name, mdir, not must_fail), check=False)
    text = r.stdout + r.stderr
    ev = ["reader: " + json.dumps(v, ensure_ascii=True)] + ["  " + l for l in text.splitlines()[:8]]
    psql("DROP SERVER IF EXISTS %s CASCADE; DROP SCHEMA IF EXISTS %s CASCADE; "
         "DROP SCHEMA IF EXISTS %s CASCADE;"
         % (quote_ident(name), quote_ident(name), quote_ident(name + "_t")))
    if not must_fail:
        if r.returncode != 0:
            if family in MAY_REFUSE and "ERROR:" in text:
                return "ok", ["refused: " + [l for l in text.splitlines() if "ERROR" in l][0][:150]]
            return "fail", ["must be read, but failed"] + ev
        if v["verdict"] == "load":
            counts = [l.split("|")[0] for l in r.stdout.splitlines() if "|" in l]
            if counts != [str(v["nodes"]), str(v["relationships"])]:
                return "fail", ["read %s rows, the reader %d and %d"
                                % (counts, v["nodes"], v["relationships"])] + ev
        return "ok", ["read: %s" % " ".join(r.stdout.split())[:100]]
    if r.returncode == 0 or "ERROR:" not in text:
        return "fail", ["must fail (%s), but was read" % v["why"]] + ev
    lacks = names_where(text, v)
    if lacks:
        return "fail", ["the error does not name " + ", ".join(lacks)] + ev
    return "ok", ["fails: " + " ".join(l for l in text.splitlines() if l.startswith(("ERROR", "DETAIL")))[:200]]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--dir", required=True)
    p.add_argument("--per-family", type=int, default=0)
    p.add_argument("--family", action="append")
    args = p.parse_args(argv)
    os.makedirs(args.dir, exist_ok=True)
    os.chmod(args.dir, 0o755)
    root = gen_mutants.make_bases(os.path.join(args.dir, "_bases"))
    psql("DROP DATABASE IF EXISTS %s" % DB, db="postgres")
    psql("CREATE DATABASE %s" % DB, db="postgres")
    psql("CREATE EXTENSION neo2pg")
    passed = failed = 0
    for family in args.family or gen_mutants.FAMILIES:
        for seed in gen_mutants.seeds_for(family, args.per_family):
            name = "%s-%d" % (family, seed)
            mdir = os.path.join(args.dir, name)
            try:
                gen_mutants.generate(root, family, seed, mdir)
                subprocess.run(["chmod", "-R", "go+rX", args.dir], check=True)
                status, ev = check_one(name, family, mdir)
                psql("SELECT 1")
            except Exception as e:      # a broken test is a failure, not a crash
                status, ev = "fail", ["runner error: %r" % e]
            if status == "ok":
                passed += 1
                print("ok - %s: %s" % (name, ev[0]))
            else:
                failed += 1
                print("not ok - %s (again: python3 tools/gen_mutants.py DIR --family %s --seed %d)"
                      % (name, family, seed))
                for l in ev:
                    print("#   " + l)
            sys.stdout.flush()
            shutil.rmtree(mdir, ignore_errors=True)
    psql("DROP DATABASE IF EXISTS %s" % DB, db="postgres")
    shutil.rmtree(args.dir, ignore_errors=True)
    print("fdw mutants: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
