#!/bin/bash
# make check: install what is missing, build (release and ASan/UBSan),
# start a throwaway PostgreSQL, run every test, stop it.  The last line is
# "check: N passed, M failed".
set -u
cd "$(dirname "$0")/.."

tools/install-deps.sh || exit 1
make -j2 all unit || exit 1
make -j2 asan || exit 1

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
stop_pg() { test/pg_server.sh stop "$PGDIR"; rm -rf "$PGDIR"; }
trap stop_pg EXIT

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

# --- PostgreSQL
envs=$(test/pg_server.sh start "$PGDIR") || exit 1
eval "$envs"
export PGHOST PGPORT PGUSER PGDATABASE N2P_TEST_PGDIR

# --- integration tests with the sanitizer build
NEO2PG=build-asan/neo2pg NEO2PG_RELEASE=./neo2pg test/integration/run.sh | tee "$LOGDIR/integration.log"
count "$LOGDIR/integration.log"

# --- pg_regress over the bundled example
if [ -f test/regress/schedule ]; then
	dropdb --if-exists neo2pg_regress
	createdb neo2pg_regress
	./neo2pg -q copy examples/backup "dbname=neo2pg_regress"
	mkdir -p "$LOGDIR/regress"
	"$(pg_config --pkglibdir)/pgxs/src/test/regress/pg_regress" --inputdir=test/regress \
		--outputdir="$LOGDIR/regress" --use-existing --dbname=neo2pg_regress \
		--host="$PGHOST" --port="$PGPORT" --user="$PGUSER" \
		--schedule=test/regress/schedule >"$LOGDIR/regress.log" 2>&1
	cat "$LOGDIR/regress.log"
	p=$(grep -cE '\.\.\. ok|^ok ' "$LOGDIR/regress.log")
	f=$(grep -cE '\.\.\. FAILED|^not ok ' "$LOGDIR/regress.log")
	[ -f "$LOGDIR/regress/regression.diffs" ] && cat "$LOGDIR/regress/regression.diffs"
	echo "regress: $p passed, $f failed"
	passed=$((passed + p))
	failed=$((failed + f))
fi

# --- pg_regress over the bundled example in a database with PostGIS
# (typed views with geometry points)
if [ -f test/regress/schedule_postgis ]; then
	dropdb --if-exists neo2pg_regress_postgis
	createdb neo2pg_regress_postgis
	psql -X -q -v ON_ERROR_STOP=1 -d neo2pg_regress_postgis -c "CREATE EXTENSION postgis" &&
		./neo2pg -q copy examples/backup "dbname=neo2pg_regress_postgis"
	mkdir -p "$LOGDIR/regress_postgis"
	"$(pg_config --pkglibdir)/pgxs/src/test/regress/pg_regress" --inputdir=test/regress \
		--outputdir="$LOGDIR/regress_postgis" --use-existing --dbname=neo2pg_regress_postgis \
		--host="$PGHOST" --port="$PGPORT" --user="$PGUSER" \
		--schedule=test/regress/schedule_postgis >"$LOGDIR/regress_postgis.log" 2>&1
	cat "$LOGDIR/regress_postgis.log"
	p=$(grep -cE '\.\.\. ok|^ok ' "$LOGDIR/regress_postgis.log")
	f=$(grep -cE '\.\.\. FAILED|^not ok ' "$LOGDIR/regress_postgis.log")
	# no test ran at all (no PostGIS, failed load): a failure
	[ $((p + f)) -eq 0 ] && f=1
	[ -f "$LOGDIR/regress_postgis/regression.diffs" ] && cat "$LOGDIR/regress_postgis/regression.diffs"
	echo "regress (PostGIS): $p passed, $f failed"
	passed=$((passed + p))
	failed=$((failed + f))
fi

echo "check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
