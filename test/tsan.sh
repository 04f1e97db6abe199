#!/bin/bash
# --typed=tables fills its tables from a second thread: run those loads,
# a clean one and failing ones, under ThreadSanitizer; and verify, which
# reads its two sides and compares the nodes on threads of their own.  Needs the test
# server's PG* variables (test/check.sh).  Last line: "tsan: N passed, M failed".
set -u
cd "$(dirname "$0")/.."
make -s BUILD=build-tsan CFLAGS="-O1 -g" SANITIZE="-fsanitize=thread" build-tsan/neo2pg || exit 1
WORK=$(mktemp -d /tmp/neo2pg-tsan.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export TSAN_OPTIONS="halt_on_error=1 exitcode=66"
passed=0
failed=0

# tsan_load NAME WANT-STATUS BACKUP: a load with --typed=tables under TSan
tsan_load() {
	local name=$1 want=$2 rc
	build-tsan/neo2pg -q copy --replace --typed=tables "$3" "dbname=neo2pg_tsan" >"$WORK/out" 2>&1
	rc=$?
	if [ "$rc" -eq "$want" ] && ! grep -q "ThreadSanitizer" "$WORK/out"; then
		echo "ok - $name"
		passed=$((passed + 1))
	else
		echo "not ok - $name (exit $rc, want $want)"
		sed 's/^/#   /' "$WORK/out" | head -40
		failed=$((failed + 1))
	fi
}

# tsan_verify NAME WANT-STATUS A B: verify under TSan, node lines in small runs
tsan_verify() {
	local name=$1 want=$2 rc
	NEO2PG_TEST_RUNS=200000,1000 build-tsan/neo2pg -q verify "$3" "$4" >"$WORK/out" 2>&1
	rc=$?
	if [ "$rc" -eq "$want" ] && ! grep -q "ThreadSanitizer" "$WORK/out"; then
		echo "ok - $name"
		passed=$((passed + 1))
	else
		echo "not ok - $name (exit $rc, want $want)"
		sed 's/^/#   /' "$WORK/out" | head -40
		failed=$((failed + 1))
	fi
}

dropdb --if-exists neo2pg_tsan 2>/dev/null; createdb neo2pg_tsan || exit 1
python3 tools/gen_backup.py "$WORK/gen" --nodes 20000 --rels 40000 --chunk-rows 5000 --seed 5 >/dev/null
python3 tools/gen_backup.py "$WORK/dup" --nodes 20000 --rels 40000 --chunk-rows 5000 \
	--bad duplicate-id >/dev/null
tsan_load "typed tables on two threads, 20000 nodes, no data race" 0 "$WORK/gen"
tsan_load "typed tables, the example, no data race" 0 examples/backup
tsan_load "typed tables, a load failing while the second thread fills, no data race" 1 "$WORK/dup"
tsan_verify "verify, equal, node runs merged, no data race" 0 "$WORK/gen" "$WORK/gen"
tsan_verify "verify, different, no data race" 1 "$WORK/gen" "$WORK/dup"
echo "tsan: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
