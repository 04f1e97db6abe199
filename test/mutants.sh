#!/bin/bash
# The mutation corpus of issue 9 against neo2pg (the sanitizer build by
# default), with the test server's PG* environment:
#
#   NEO2PG=build-asan/neo2pg test/mutants.sh [--per-family K] [--family F] ...
#
# Every mutant of tools/gen_mutants.py either loads exactly what
# tools/read_backup.py reads in it, or fails with "neo2pg: error:" naming
# the file, the row and the key, leaving the database as it was.  The last
# line is "mutants: N passed, M failed"; see test/mutants.py.
set -u
cd "$(dirname "$0")/.."
export NEO2PG=${NEO2PG:-build-asan/neo2pg}
exec python3 test/mutants.py "$@"
