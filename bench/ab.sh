#!/bin/bash
# Compare two builds (or two modes) of neo2pg on the benchmark's data:
# rounds alternate which runs first, and each ratio is taken within a
# round, then the median over the rounds, for wall time and for the
# processor time the machine spent busy.  A change of a few percent needs
# ten rounds or more on a noisy machine.
#
#   bench/ab.sh BIN_A BIN_B [ROUNDS [MODE_A [MODE_B]]]
#
# e.g. bench/ab.sh /tmp/old/neo2pg ./neo2pg 12 tables
#      bench/ab.sh ./neo2pg ./neo2pg 12 none tables
# BACKUP=DIR uses another backup.  Run by hand; no test depends on timings.
set -eu
cd "$(dirname "$0")/.."
A=$1
B=$2
ROUNDS=${3:-10}
MODE_A=${4:-tables}
MODE_B=${5:-$MODE_A}
BACKUP=${BACKUP:-bench/out/backup-1000000-2000000}
[ -f "$BACKUP/done" ] || { echo "run bench/run.sh once first: it generates $BACKUP" >&2; exit 2; }

PGDIR=$(mktemp -d /tmp/neo2pg-ab.XXXXXX)
trap 'test/pg_server.sh stop "$PGDIR"; rm -rf "$PGDIR"' EXIT
eval "$(test/pg_server.sh start "$PGDIR")"
export PGHOST PGPORT PGUSER PGDATABASE
createdb bench
q() { psql -X -q -At -d bench -v ON_ERROR_STOP=1 "$@"; }
q -c "ALTER SYSTEM SET autovacuum = off" -c "SELECT pg_reload_conf()" >/dev/null
busy() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8; exit}' /proc/stat; }
HZ=$(getconf CLK_TCK)

# prints "seconds core-seconds"
run() {
	local t0 t1 c0 c1
	q -c "DROP SCHEMA IF EXISTS neo4j CASCADE" -c "CHECKPOINT" 2>/dev/null
	c0=$(busy)
	t0=$(date +%s.%N)
	"$1" -q copy --replace --typed="$2" "$BACKUP" "dbname=bench"
	t1=$(date +%s.%N)
	c1=$(busy)
	python3 -c "print($t1 - $t0, ($c1 - $c0) / $HZ)"
}

run "$A" "$MODE_A" >/dev/null			# warm-up, not counted
res=""
for i in $(seq "$ROUNDS"); do
	if [ $((i % 2)) -eq 1 ]; then
		a=$(run "$A" "$MODE_A"); b=$(run "$B" "$MODE_B")
	else
		b=$(run "$B" "$MODE_B"); a=$(run "$A" "$MODE_A")
	fi
	echo "round $i: A $a  B $b" >&2
	res+="$a $b;"
done
python3 - "$res" <<'PY'
import statistics, sys
rounds = [[float(x) for x in r.split()] for r in sys.argv[1].split(";") if r.strip()]
med = statistics.median
for name, i in (("wall seconds", 0), ("core-seconds", 1)):
    a = [r[i] for r in rounds]
    b = [r[2 + i] for r in rounds]
    print(f"{name:13s} A {med(a):7.2f}  B {med(b):7.2f}  B/A {med([y / x for x, y in zip(a, b)]):.3f} "
          f"(paired, median over {len(rounds)} rounds)")
PY
