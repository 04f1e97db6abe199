#!/usr/bin/env python3
"""Load every mutant of the corpus and check the property of issue 9.

Each mutant (tools/gen_mutants.py) is read by tools/read_backup.py, which
says either "must fail" (with the file, row and key the error must name) or
which rows must be loaded.  neo2pg then loads it into a schema of its own,
under a timeout, and:
  - no sanitizer report, no crash, no hang; exit status 0 or 1;
  - a mutant that must load loads (exit 0), and
    test/integration/check_values.sql finds every row and value;
  - a mutant that must fail fails with exit 1, and its first line
    "neo2pg: error: ..." names the file, the row and the key, is not a raw
    server error, and the database has exactly the schemas it had before.
The last line is "mutants: N passed, M failed".  A failing mutant prints
its family, seed and the evidence, and is kept for reproduction.

    test/mutants.py [--per-family K] [--family F ...] [--seed S ...]
                    [--jobs J] [--keep DIR]

Environment: NEO2PG (default build-asan/neo2pg) and the PG* variables of
the test server (test/pg_server.sh).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import zlib
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import gen_mutants  # noqa: E402
import read_backup  # noqa: E402

# Families whose mutants fail on this branch because of the reader defects
# that issue 9 fixes on other branches: reported, not counted.  Empty this
# list when those branches are merged.
# Families that fail for a known reason, reported as "known" and not
# counted: empty, every family must pass.  Put a family here only with the
# issue that will fix it.
KNOWN_FAILING = {}

# Issue 9 lets these load, or be refused before anything is loaded with a
# message of neo2pg's own (never a raw server error): either passes.
MAY_REFUSE = {"huge-names"}

SANITIZER = re.compile(r"Sanitizer|runtime error:|LeakSanitizer|SUMMARY: ")
TIMEOUT = 120


class Opts:
    skip_dangling = False
    replace_nul = None


def psql(db, sql, env):
    r = subprocess.run(["psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-d", db,
                        "-c", sql], capture_output=True, text=True, env=env)
    if r.returncode != 0:
        raise RuntimeError("psql: %s" % r.stderr.strip())
    return r.stdout


def schemas(db, env):
    return psql(db, "SELECT string_agg(nspname, ' ' ORDER BY nspname) "
                    "FROM pg_namespace", env).strip()


def key_named(line, key):
    """A key is named in full: as it is when printable, else every
    printable run of it inside the quoted key (issue 9: such a key is
    printed in full, escaped)."""
    if key.isprintable() and '"' not in key and "\\" not in key:
        return 'key "%s"' % key in line
    quoted = re.search(r'key "(.*)": ', line)
    return quoted is not None and all(
        run in quoted.group(1) for run in re.findall(r"[ -!#-\[\]-~]+", key))


def names_where(line, v):
    """What the error line lacks of the file, row and key it must name."""
    lacks = []
    # "FILE: ..." first, or the file's path inside the message
    if v["file"] and v["file"] + ": " not in line and "/" + v["file"] not in line:
        lacks.append("file " + v["file"])
    row, ids = v["row"] or "", v["ids"] or []
    if re.fullmatch(r"(node|relationship) -?\d+", row):
        if row + ": " not in line:
            lacks.append("row " + row)
    elif row.startswith("after "):
        if "(in the row after %s)" % row[6:] not in line:
            lacks.append("'(in the row after %s)'" % row[6:])
    elif row in ("node id", "relationship id", "relationship ids",
                 "uniqueness constraint"):
        kind = row.split()[0]
        if kind not in line or (ids and str(ids[0]) not in line):
            lacks.append("%s %s" % (row, ids[:1]))
    if v["key"] is not None and not key_named(line, v["key"]):
        lacks.append("key %s" % json.dumps(v["key"]))
    return lacks


def check_one(name, mdir, db, env, args):
    """(status, evidence): status ok / fail."""
    with open(os.path.join(mdir, "mutant.json")) as f:
        info = json.load(f)
    opts = Opts()
    opts.skip_dangling = "--skip-dangling" in info["options"]
    if "--replace-nul" in info["options"]:
        opts.replace_nul = "\ufffd"
    expected = os.path.join(mdir, "expected.jsonl")
    catalog = os.path.join(mdir, "catalog.jsonl")
    v = read_backup.verdict(mdir, opts, expected, catalog)
    schema = "m_" + re.sub(r"\W", "_", name)
    typed = ["--typed=tables"] if zlib.crc32(name.encode()) % 3 == 0 else []
    cmd = [args.neo2pg, "-q", "copy", "-s", schema] + typed + info["options"] + \
        [mdir, "dbname=" + db]
    before = schemas(db, env)
    try:
        r = subprocess.run(cmd, capture_output=True, env=env, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return "fail", ["hang: no exit after %d s" % TIMEOUT, " ".join(cmd)]
    out = r.stdout.decode("utf-8", "replace") + r.stderr.decode("utf-8", "replace")
    ev = ["what: " + info["what"], "reader: " + json.dumps(v, ensure_ascii=True),
          "neo2pg %s exited %d" % (" ".join(typed + info["options"]), r.returncode)] + \
        ["  " + l for l in out.splitlines()[:12]]
    if SANITIZER.search(out):
        return "fail", ["sanitizer report"] + ev
    if r.returncode not in (0, 1):
        return "fail", ["crash or bad exit status"] + ev
    errors = [l for l in out.splitlines() if l.startswith("neo2pg: error: ")]
    if v["verdict"] == "load":
        if r.returncode != 0:
            if info["family"] in MAY_REFUSE and errors and \
                    not errors[0].startswith("neo2pg: error: PostgreSQL:") and \
                    schemas(db, env) == before:
                return "ok", ["refused: " + errors[0][len("neo2pg: error: "):][:150]]
            return "fail", ["must load, but failed"] + ev
        problems = []
        for sql, data, what in (("check_values.sql", expected, "values"),
                                ("check_catalog.sql", catalog, "catalog")):
            with open(data) as f:
                c = subprocess.run(["psql", "-X", "-q", "-d", db, "-v", "ON_ERROR_STOP=1",
                                    "-v", "schema=" + schema, "-v", "casts=off", "-f",
                                    os.path.join(ROOT, "test/integration", sql)],
                                   stdin=f, capture_output=True, text=True, env=env)
            if c.returncode != 0:
                problems += ["loaded %s differ from the reading:" % what] + \
                    ["  " + l for l in (c.stdout + c.stderr).splitlines()[:20]]
        psql(db, 'DROP SCHEMA "%s" CASCADE' % schema, env)
        if problems:
            return "fail", problems[:1] + ev + problems[1:]
        return "ok", ["loads %d nodes, %d relationships" % (v["nodes"], v["relationships"])]
    if r.returncode != 1:
        if r.returncode == 0:
            psql(db, 'DROP SCHEMA "%s" CASCADE' % schema, env)
        return "fail", ["must fail (%s), but loaded" % v["why"]] + ev
    if not errors:
        return "fail", ["no 'neo2pg: error:' line"] + ev
    line = errors[0]
    if line.startswith("neo2pg: error: PostgreSQL:"):
        return "fail", ["a raw server error is the message"] + ev
    lacks = names_where(line, v)
    if lacks:
        return "fail", ["the error does not name " + ", ".join(lacks)] + ev
    after = schemas(db, env)
    if after != before:
        return "fail", ["left behind: schemas %s, before %s" % (after, before)] + ev
    return "ok", ["fails: " + line[len("neo2pg: error: "):][:150]]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--per-family", type=int, default=0,
                   help="seeds per family (default: one per variant)")
    p.add_argument("--family", action="append")
    p.add_argument("--seed", type=int, action="append")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--keep", default=os.environ.get("MUTANTS_KEEP",
                                                     "/tmp/neo2pg-mutants-failed"))
    p.add_argument("--neo2pg", default=os.environ.get("NEO2PG",
                                                       os.path.join(ROOT, "build-asan/neo2pg")))
    args = p.parse_args(argv)
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
    work = tempfile.mkdtemp(prefix="neo2pg-mutants.")
    root = gen_mutants.make_bases(os.path.join(work, "_bases"))
    todo = []
    for family in args.family or gen_mutants.FAMILIES:
        for seed in args.seed or gen_mutants.seeds_for(family, args.per_family):
            todo.append((family, seed))
    dbs = ["neo2pg_mutants_%d" % i for i in range(args.jobs)]
    for db in dbs:
        psql("postgres", "DROP DATABASE IF EXISTS %s" % db, env)
        psql("postgres", "CREATE DATABASE %s" % db, env)
    free = list(dbs)
    lock = threading.Lock()
    counts = {"passed": 0, "failed": 0, "known": 0}

    def run(item):
        family, seed = item
        name = "%s-%d" % (family, seed)
        mdir = os.path.join(work, name)
        with lock:
            db = free.pop()
        try:
            gen_mutants.generate(root, family, seed, mdir)
            status, ev = check_one(name, mdir, db, env, args)
        except Exception as e:      # a broken test is a failure, not a crash
            status, ev = "fail", ["runner error: %r" % e]
        finally:
            with lock:
                free.append(db)
        with lock:
            if status == "ok":
                counts["passed"] += 1
                print("ok - %s: %s" % (name, ev[0]))
            else:
                known = KNOWN_FAILING.get(family)
                kept = os.path.join(args.keep, name)
                shutil.rmtree(kept, ignore_errors=True)
                os.makedirs(args.keep, exist_ok=True)
                shutil.copytree(mdir, kept, symlinks=True)
                if known:
                    counts["known"] += 1
                    print("known - %s (%s): %s [kept in %s]" % (name, known, ev[0], kept))
                else:
                    counts["failed"] += 1
                    print("not ok - %s (family %s, seed %d) [kept in %s; again: "
                          "python3 tools/gen_mutants.py DIR --family %s --seed %d]"
                          % (name, family, seed, kept, family, seed))
                for l in ev[1:] if known else ev:
                    print("#   " + l)
            sys.stdout.flush()
        shutil.rmtree(mdir, ignore_errors=True)

    with ThreadPoolExecutor(max_workers=args.jobs) as ex:
        list(ex.map(run, todo))
    for db in dbs:
        psql("postgres", "DROP DATABASE IF EXISTS %s" % db, env)
    shutil.rmtree(work, ignore_errors=True)
    print("known failures (not counted): %d" % counts["known"])
    print("mutants: %d passed, %d failed" % (counts["passed"], counts["failed"]))
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
