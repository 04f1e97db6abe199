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

. bench/server.sh

mkdir -p bench/out
# the -v logs of the last run of each side, kept after the server is gone
run() { timed_load "$1" "$2" "bench/out/ab-$3.log"; }

run "$A" "$MODE_A" a >/dev/null			# warm-up, not counted
res=""
for i in $(seq "$ROUNDS"); do
	if [ $((i % 2)) -eq 1 ]; then
		a=$(run "$A" "$MODE_A" a); b=$(run "$B" "$MODE_B" b)
	else
		b=$(run "$B" "$MODE_B" b); a=$(run "$A" "$MODE_A" a)
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
