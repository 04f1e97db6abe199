#!/bin/bash
# make check: install what is missing, build (release and ASan/UBSan),
# start a throwaway PostgreSQL, run every test, stop it.  The last line is
# "check: N passed, M failed".
set -u
cd "$(dirname "$0")/.."

tools/install-deps.sh || exit 1
# a pointer to a stack buffer kept past its function is caught too (a
# routing address was); off by default in GCC's ASan
export ASAN_OPTIONS="detect_stack_use_after_return=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
make -j2 all unit ext || exit 1
make -j2 asan || exit 1
make -j2 fuzz-build || exit 1

passed=0
failed=0
count() {
	# add the "N passed, M failed" of a suite's last line
	local line p f
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$1" | tail -1)
	p=$(sed -E 's/.* ([0-9]+) passed.*/\1/' <<<"$line")
	f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-1}))
}

LOGDIR=$(mktemp -d /tmp/neo2pg-check.XXXXXX)
# its own directory: under root the server runs as "postgres", which
# cannot enter the root-only LOGDIR
PGDIR=$(mktemp -d /tmp/neo2pg-pg.XXXXXX)
N4JDIR=$(mktemp -d /tmp/neo2pg-neo4j.XXXXXX)
# the server with the extension installed (test/ext_install.sh)
INSTDIR=$(mktemp -d /tmp/neo2pg-install.XXXXXX)
# backups for the foreign data wrapper's tests, which the server reads
FDWDIR=$(mktemp -d /tmp/neo2pg-fdw.XXXXXX)
stop_servers() {
	test/pg_server.sh stop "$PGDIR"
	rm -rf "$PGDIR" "$INSTDIR" "$FDWDIR"
	test/neo4j_server.sh stop "$N4JDIR/server"
	rm -rf "$N4JDIR"
}
trap stop_servers EXIT

# Neo4j takes 10 to 30 s to start (and fetches its jars on a fresh
# machine): start it now, once for the whole run, and wait for it when
# the first test needs it.  It stops by itself if this script dies.
test/neo4j_server.sh start "$N4JDIR/server" $$ >"$N4JDIR/env" 2>"$N4JDIR/start.log" &
neo4j_starting=$!

# --- unit tests (cmocka), release and sanitizer builds
for t in build/test/unit/test_* build-asan/test/unit/test_*; do
	[ -x "$t" ] || continue
	out="$LOGDIR/$(echo "$t" | tr / _).log"
	"$t" >"$out" 2>&1
	rc=$?
	n=$(grep -cE '^\[       OK \]' "$out")
	f=$(grep -cE '^\[  (FAILED|ERROR) +\]' "$out")
	[ $rc -ne 0 ] && [ "$f" -eq 0 ] && f=1
	echo "unit $t: $n passed, $f failed"
	[ "$f" -ne 0 ] && cat "$out"
	passed=$((passed + n))
	failed=$((failed + f))
done

# --- the fuzz targets (clang, libFuzzer, ASan and UBSan): each over its
# seed corpus, inputs that once failed included, then a fixed number of
# mutations from a fixed seed
test/fuzz/run.sh check | tee "$LOGDIR/fuzz.log"
count "$LOGDIR/fuzz.log"

# --- PostgreSQL, from a throwaway installation that holds the extension
PG_BINDIR=$(test/ext_install.sh "$INSTDIR") || exit 1
export PG_BINDIR
envs=$(test/pg_server.sh start "$PGDIR") || exit 1
eval "$envs"
export PGHOST PGPORT PGUSER PGDATABASE N2P_TEST_PGDIR

# --- typed columns: binary COPY gives the values text COPY gives, on the
# server (sanitizer build)
build-asan/test/typed_equiv >"$LOGDIR/typed_equiv.log" 2>&1
rc=$?
grep -v '^ok ' "$LOGDIR/typed_equiv.log"
count "$LOGDIR/typed_equiv.log"
# a failure it did not count (a crash, a leak report at exit) still fails
[ $rc -ne 0 ] && ! grep -qE 'equivalence: [0-9]+ passed, [1-9][0-9]* failed' "$LOGDIR/typed_equiv.log" &&
	failed=$((failed + 1))

# --- integration tests with the sanitizer build
NEO2PG=build-asan/neo2pg NEO2PG_RELEASE=./neo2pg test/integration/run.sh | tee "$LOGDIR/integration.log"
count "$LOGDIR/integration.log"

# --- faults (issue 13): signals, kill -9 and reruns, a terminated backend,
# a crashed server, a full disk, timeouts, concurrent loads, locks
NEO2PG=build-asan/neo2pg test/integration/faults.sh | tee "$LOGDIR/faults.log"
count "$LOGDIR/faults.log"

# --- the mutation corpus (issue 9) with the sanitizer build: each mutant
# loads exactly what an independent reading says, or fails naming the file
# and the row, leaving nothing behind
NEO2PG=build-asan/neo2pg test/mutants.sh | tee "$LOGDIR/mutants.log"
count "$LOGDIR/mutants.log"

# --- the typed tables' second thread under ThreadSanitizer
test/tsan.sh | tee "$LOGDIR/tsan.log"
count "$LOGDIR/tsan.log"

# --- the Bolt client against the real Neo4j (sanitizer build)
if wait "$neo4j_starting"; then
	eval "$(cat "$N4JDIR/env")"
	export N2P_TEST_NEO4J_PORT N2P_TEST_NEO4J_DIR N2P_TEST_NEO4J_URI
	build-asan/test/bolt_live >"$LOGDIR/bolt.log" 2>&1
	rc=$?
	grep -v '^ok ' "$LOGDIR/bolt.log"
	count "$LOGDIR/bolt.log"
	[ $rc -ne 0 ] && ! grep -qE 'bolt: [0-9]+ passed, [1-9][0-9]* failed' "$LOGDIR/bolt.log" &&
		failed=$((failed + 1))
	# Neo4j as a source, through neo2pg itself (sanitizer build)
	NEO2PG=build-asan/neo2pg CYPHER=build-asan/test/neo4j_cypher test/integration/neo4j.sh |
		tee "$LOGDIR/neo4j.log"
	count "$LOGDIR/neo4j.log"
else
	# a test that needs a server never skips silently
	echo "neo4j: the test server did not start"
	cat "$N4JDIR/start.log"
	failed=$((failed + 1))
fi

# --- the foreign data wrapper's backups, in a directory the server can
# read (it runs as postgres under root): ext_fdw reads them, and compares
# with a load of gen into schema gen
fdw_prepare() {
	local db=$1 m
	python3 tools/gen_backup.py "$FDWDIR/gen" --nodes 300 --rels 600 --edge-cases \
		--chunk-rows 100 >/dev/null &&
		python3 test/fdw_big_chunk.py "$FDWDIR/big" 128 &&
		python3 test/fdw_jsonb_cases.py "$FDWDIR/jc" || return 1
	for m in bad-digest malformed-literals nul-inside truncated-gzip wrong-type invalid-utf8; do
		python3 tools/gen_mutants.py "$FDWDIR/mutants" --family $m --seed 1 >/dev/null || return 1
	done
	chmod -R go+rX "$FDWDIR" &&
		./neo2pg -q copy -s gen "$FDWDIR/gen" "dbname=$db" &&
		./neo2pg -q copy -s jc "$FDWDIR/jc" "dbname=$db" &&
		psql -X -q -v ON_ERROR_STOP=1 -d "$db" -v dir="$FDWDIR" \
			<<<"CREATE TABLE fdw_dir AS SELECT :'dir'::text AS dir"
}

# --- pg_regress over the bundled example, once without PostGIS and once
# with it (typed views with geometry points).
# run_regress NAME DATABASE SCHEDULE [SQL to run before the load]
run_regress() {
	local name=$1 db=$2 schedule=$3 prep=${4:-} after=${5:-} p f
	dropdb --if-exists "$db"
	createdb "$db"
	{ [ -z "$prep" ] || psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "$prep"; } &&
		./neo2pg -q copy examples/backup "dbname=$db" &&
		{ [ -z "$after" ] || "$after" "$db"; }
	mkdir -p "$LOGDIR/$db"
	"$(pg_config --pkglibdir)/pgxs/src/test/regress/pg_regress" --inputdir=test/regress \
		--outputdir="$LOGDIR/$db" --use-existing --dbname="$db" \
		--host="$PGHOST" --port="$PGPORT" --user="$PGUSER" \
		--schedule="$schedule" >"$LOGDIR/$db.log" 2>&1
	cat "$LOGDIR/$db.log"
	p=$(grep -cE '\.\.\. ok|^ok ' "$LOGDIR/$db.log")
	f=$(grep -cE '\.\.\. FAILED|^not ok ' "$LOGDIR/$db.log")
	# no test ran at all (a failed load, no PostGIS): a failure
	[ $((p + f)) -eq 0 ] && f=1
	[ -f "$LOGDIR/$db/regression.diffs" ] && cat "$LOGDIR/$db/regression.diffs"
	echo "$name: $p passed, $f failed"
	passed=$((passed + p))
	failed=$((failed + f))
}
run_regress regress neo2pg_regress test/regress/schedule
run_regress "regress (PostGIS)" neo2pg_regress_postgis test/regress/schedule_postgis \
	"CREATE EXTENSION postgis"
# the extension's own suite (it creates the extension), next to a load of
# the same example to compare with
run_regress "regress (extension)" neo2pg_regress_ext test/regress/schedule_ext "" fdw_prepare
# every mutant through the foreign data wrapper (test/fdw_mutants.py)
python3 test/fdw_mutants.py --dir "$FDWDIR/all-mutants" | tee "$LOGDIR/fdw_mutants.log"
count "$LOGDIR/fdw_mutants.log"

# the logs are worth keeping only when something failed
if [ "$failed" -eq 0 ]; then
	rm -rf "$LOGDIR"
else
	echo "check: the logs are in $LOGDIR"
fi
echo "check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
