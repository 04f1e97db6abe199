#!/bin/bash
# Benchmark of the import into Neo4j: neo2pg copy BACKUP neo4j://... against
# the official JavaScript driver with best-practice batching, both measured
# in this run against the same throwaway Neo4j 5.26, reading the same backup.
#
#   bench/import.sh [NODES [SMALL]]   (defaults 200000 and 2000; twice as many
#                                      relationships each)
#
# The backups are generated (tools/gen_backup.py, every type, seed 11, the
# Python tool's exact form: gzip'd chunks, indent 0) and kept in bench/out.
# Timed, in paired rounds after a warm-up round that is not counted, the
# order of the two alternating from round to round:
#   neo2pg   neo2pg -v copy BACKUP neo4j://... (its default batches of 10,000)
#   js       bench/js_import.cjs best: the npm neo4j-driver, rows converted to
#            native types, UNWIND of 10,000 rows per label set or type, each
#            batch a write transaction, a temporary label, id and uniqueness
#            constraint for the relationships' end nodes, all removed at the
#            end.  neo2pg also recreates the backup's uniqueness constraint;
#            the JS import does not.
# Then, once, on the SMALL backup: neo2pg, js and bench/js_import.cjs python,
# the Python tool's algorithm (literals sent as strings, then one query per
# temporal or spatial property), to show the scale of that difference.
#
# Every run goes into a fresh database: Community has one user database, so
# the server is stopped and started again on a new, empty home before each
# run (not timed; the JVM starts cold each time, for both sides alike).
# For each run the script records the wall time, the client's processor
# time (user + system of the process and its children) and the server's
# (utime + stime of the java process from /proc/PID/stat, before and after).
# Ratios are taken within a round, then the median over the rounds.  Run by
# hand; no test depends on timings.
set -eu
cd "$(dirname "$0")/.."
NODES=${1:-200000}
SMALL=${2:-2000}
ROUNDS=${ROUNDS:-3}
OUT=bench/out
mkdir -p "$OUT"

make -s all >/dev/null

# --- the JavaScript driver, never committed
if [ ! -d "$OUT/js/node_modules/neo4j-driver" ]; then
	mkdir -p "$OUT/js"
	(cd "$OUT/js" && npm init -y >/dev/null && npm install --no-audit --no-fund neo4j-driver@5 >/dev/null)
fi
export NEO4J_DRIVER=$PWD/$OUT/js/node_modules/neo4j-driver

backup() {
	local dir=$OUT/import-$1-$((2 * $1))
	if [ ! -f "$dir/done" ]; then
		echo "generating a backup of $1 nodes and $((2 * $1)) relationships ..." >&2
		rm -rf "$dir"
		python3 tools/gen_backup.py "$dir" --nodes "$1" --rels "$((2 * $1))" --seed 11 >/dev/null
		touch "$dir/done"
	fi
	echo "$dir"
}
BIG=$(backup "$NODES")
LITTLE=$(backup "$SMALL")

N4DIR=$(mktemp -d /tmp/neo2pg-bench-import.XXXXXX)
trap 'test/neo4j_server.sh stop "$N4DIR"; rm -rf "$N4DIR"' EXIT
HZ=$(getconf CLK_TCK)

# a new server on an empty home
fresh() {
	test/neo4j_server.sh stop "$N4DIR"
	rm -rf "$N4DIR"/*
	eval "$(test/neo4j_server.sh start "$N4DIR" $$)"
	URI=$N2P_TEST_NEO4J_URI
	NEO4J_PASSWORD=$(cat "$N4DIR/password")
	export NEO4J_PASSWORD
}
server_cpu() { awk -v hz="$HZ" '{ print ($14 + $15) / hz }' "/proc/$(cat "$N4DIR/server.pid")/stat"; }

# One timed run into a fresh server: appends "wall client server" to RESULTS.
RESULTS=$OUT/import-results.txt
: >"$RESULTS"
run() {
	local name=$1 log=$OUT/import-$1.log s0 s1 a args=()
	shift
	fresh
	# the URI is known once the server is up
	for a in "$@"; do args+=("${a/@URI/$URI}"); done
	set -- "${args[@]}"
	s0=$(server_cpu)
	python3 - "$@" >>"$RESULTS" 2>"$log" <<'PY' || { echo "$name failed: see $log" >&2; exit 1; }
import resource, subprocess, sys, time
t0 = time.monotonic()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
wall = time.monotonic() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{wall:.3f} {ru.ru_utime + ru.ru_stime:.3f}", end=" ")
PY
	s1=$(server_cpu)
	echo "$s1 $s0 $name" | awk '{ printf "%.3f %s\n", $1 - $2, $3 }' >>"$RESULTS"
}
neo2pg_run() { run "$1" ./neo2pg -v copy "$2" @URI; }
js_run() { run "$1" node bench/js_import.cjs "$3" "$2" @URI; }

round() {
	if [ "$1" = even ]; then
		neo2pg_run neo2pg "$BIG"
		js_run js "$BIG" best
	else
		js_run js "$BIG" best
		neo2pg_run neo2pg "$BIG"
	fi
}

echo "warm-up round (not counted) ..." >&2
round even
: >"$RESULTS"
for i in $(seq "$ROUNDS"); do
	echo "round $i of $ROUNDS ..." >&2
	round $([ $((i % 2)) = 0 ] && echo even || echo odd)
done
neo2pg_run small_neo2pg "$LITTLE"
js_run small_js "$LITTLE" best
js_run small_python "$LITTLE" python

python3 - "$RESULTS" "$NODES" "$SMALL" "$(nproc)" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    wall, client, server, name = line.split()
    runs[name].append((float(wall), float(client), float(server)))
n, small, cores = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
med = statistics.median
def col(name, i):
    return [r[i] for r in runs[name]]
ratio = med([j / m for j, m in zip(col("js", 0), col("neo2pg", 0))])
print(f"graph: {n:,} nodes, {2 * n:,} relationships (tools/gen_backup.py, every type); {cores} cores; "
      f"medians over {len(runs['neo2pg'])} paired rounds, each run into a fresh Neo4j")
for name in ("neo2pg", "js"):
    w, c, s = (med(col(name, i)) for i in range(3))
    print(f"{name:8} {w:7.2f} s  {n / w:9,.0f} nodes/s and {2 * n / w:9,.0f} relationships/s over the whole run; "
          f"client {c:6.2f} s, server {s:6.2f} s of processor time")
print("runs (s): " + "; ".join(f"{k} " + " ".join(f"{r[0]:.2f}" for r in runs[k]) for k in ("neo2pg", "js")))
print(f"neo2pg is {ratio:.2f}x the JavaScript driver's rate (paired, median; target >= 1.5)")
print(f"small graph: {small:,} nodes, {2 * small:,} relationships, one run each:")
for name in ("small_neo2pg", "small_js", "small_python"):
    w, c, s = runs[name][0]
    print(f"  {name[6:]:8} {w:7.2f} s  client {c:5.2f} s, server {s:5.2f} s; "
          f"{w / runs['small_neo2pg'][0][0]:.1f}x neo2pg's time")
PY
