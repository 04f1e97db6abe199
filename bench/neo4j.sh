#!/bin/bash
# Benchmark of the Neo4j end: neo2pg's extraction over Bolt against a bare
# drain (the floor for any client) and the official JavaScript driver,
# all measured in this run, against the same throwaway Neo4j.
#
#   bench/neo4j.sh [NODES]      (default 200000; twice as many relationships)
#   ROUNDS=N (default 3); JS=0 leaves the JavaScript driver out;
#   OLD=path/to/neo2pg also times another build's inspect and copies
#   from Neo4j in each round, the order alternating, for before/after
#   figures against the same server
#
# Timed in each round, after a warm-up round that is not counted:
#   drain      build/bench/bolt_drain: neo2pg's two queries in one read
#              transaction, replies de-chunked, records not decoded;
#   js         the npm neo4j-driver (installed into bench/out/js) streaming
#              the same records as JSON lines into a file;
#   inspect    neo2pg inspect bolt://...: the extraction alone (records
#              decoded, zone offsets asked), no PostgreSQL, no files;
#   bolt>pg    neo2pg copy bolt://... into PostgreSQL (typed views);
#   bolt>dir   neo2pg copy bolt://... DIR --no-compress;
#   dir>pg     neo2pg copy DIR into PostgreSQL: the backup bolt>dir wrote,
#              the same graph, so this is the PostgreSQL side alone.
# Each run also reports the processor time of neo2pg, of the Neo4j server
# (its JVM) and of PostgreSQL (the postmaster, its reaped children and
# those still running), so that the floor the processors set on this
# machine can be seen beside the wall times.
# Ratios are taken within a round, then the median over the rounds.  Peak
# memory is neo2pg's own report (getrusage).  Seeding is not timed.  Run
# by hand; no test depends on timings.
set -eu
cd "$(dirname "$0")/.."
NODES=${1:-200000}
RELS=$((2 * NODES))
ROUNDS=${ROUNDS:-3}
OUT=bench/out
mkdir -p "$OUT"

make -s all unit bench-tools >/dev/null

# --- the JavaScript driver, never committed
if [ ! -d "$OUT/js/node_modules/neo4j-driver" ]; then
	mkdir -p "$OUT/js"
	(cd "$OUT/js" && npm init -y >/dev/null && npm install --no-audit --no-fund neo4j-driver@5 >/dev/null)
fi
export NEO4J_DRIVER=$PWD/$OUT/js/node_modules/neo4j-driver

# --- PostgreSQL (bench/server.sh), then a Neo4j of our own, both removed on exit
. bench/server.sh
N4DIR=$(mktemp -d /tmp/neo2pg-bench-neo4j.XXXXXX)
trap 'test/neo4j_server.sh stop "$N4DIR"; rm -rf "$N4DIR"; test/pg_server.sh stop "$PGDIR"; rm -rf "$PGDIR"' EXIT
eval "$(test/neo4j_server.sh start "$N4DIR" $$)"
export N2P_TEST_NEO4J_PORT N2P_TEST_NEO4J_DIR
URI=$N2P_TEST_NEO4J_URI
NEO4J_PASSWORD=$(cat "$N4DIR/password")
export NEO4J_PASSWORD

echo "seeding Neo4j with $NODES nodes and $RELS relationships (not timed) ..."
python3 bench/gen_neo4j.py "$NODES" >"$N4DIR/seed.cypher"
build/test/neo4j_cypher "$N4DIR/seed.cypher"

BACKUP=$OUT/neo4j-backup

declare -A times cpus
HZ=$(getconf CLK_TCK)
peak() { sed -n 's/.*peak memory: \([0-9]*\) kB.*/\1/p' "$1"; }
# processor time (jiffies) of a process, of its reaped children and of
# the children still running (a backend may not have exited yet)
jiffies() {
	local c
	{
		awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat"
		for c in $(pgrep -P "$1"); do
			awk '{print $14 + $15}' "/proc/$c/stat" 2>/dev/null
		done
	} | awk '{s += $1} END {print s}'
}
N4PID=$(cat "$N4DIR/server.pid")
PGPID=$(head -1 "$PGDIR/data/postmaster.pid")
# (this shell's reaped children count the timed command, run directly)
timed() {
	local name=$1 t0 t1 n0 n1 p0 p1 c0 c1
	shift
	n0=$(jiffies "$N4PID")
	p0=$(jiffies "$PGPID")
	c0=$(jiffies $$)
	t0=$(now)
	"$@" 2>"$OUT/neo4j-$name.log" >/dev/null || { echo "$name failed: see $OUT/neo4j-$name.log" >&2; exit 1; }
	t1=$(now)
	c1=$(jiffies $$)
	n1=$(jiffies "$N4PID")
	p1=$(jiffies "$PGPID")
	times[$name]+="$(python3 -c "print($t1 - $t0)") "
	cpus[$name]+="$(python3 -c "print(f'{($c1 - $c0) / $HZ:.2f},{($n1 - $n0) / $HZ:.2f},{($p1 - $p0) / $HZ:.2f}')") "
}
to_pg() {
	q -c "DROP SCHEMA IF EXISTS neo4j CASCADE" -c "CHECKPOINT" 2>/dev/null
	timed "$1" "${3:-./neo2pg}" -v copy --replace "$2" "dbname=bench"
	q -c "CHECKPOINT"
}
# the extraction runs of one build: BIN PREFIX
extraction() {
	timed "${2}inspect" "$1" -v inspect "$URI"
	to_pg "${2}bolt_pg" "$URI" "$1"
	rm -rf "$BACKUP"
	timed "${2}bolt_dir" "$1" -v copy "$URI" "$BACKUP" --no-compress
}
rounds=0
round() {
	timed drain build/bench/bolt_drain
	[ "${JS:-1}" = 0 ] || timed js node bench/js_stream.cjs "$URI" "$OUT/neo4j-js.jsonl"
	rounds=$((rounds + 1))
	[ -z "${OLD:-}" ] || [ $((rounds % 2)) = 1 ] || extraction "$OLD" old_
	extraction ./neo2pg ""
	[ -z "${OLD:-}" ] || [ $((rounds % 2)) = 0 ] || extraction "$OLD" old_
	to_pg dir_pg "$BACKUP"
}

round
unset times cpus
declare -A times cpus
for i in $(seq "$ROUNDS"); do
	round
done
wire=$(sed -n 's/.*bytes \([0-9]*\).*/\1/p' "$OUT/neo4j-drain.log")

python3 - "$NODES" "$RELS" "$wire" "$(peak "$OUT/neo4j-inspect.log")" "$(peak "$OUT/neo4j-bolt_pg.log")" \
	"$(peak "$OUT/neo4j-bolt_dir.log")" "$(peak "$OUT/neo4j-dir_pg.log")" \
	"$(for k in "${!times[@]}"; do echo "$k=${times[$k]}=${cpus[$k]}"; done)" <<'PY'
import statistics, sys
n, r, wire = (int(x) for x in sys.argv[1:4])
peaks = dict(zip(["inspect", "bolt_pg", "bolt_dir", "dir_pg"], (int(x or 0) for x in sys.argv[4:8])))
t, c = {}, {}
for line in sys.argv[8].splitlines():
    k, ts, cs = line.split("=")
    t[k] = [float(x) for x in ts.split()]
    c[k] = [[float(y) for y in x.split(",")] for x in cs.split()]
med = statistics.median
def paired(a, b):
    return med([x / y for x, y in zip(t[a], t[b])])
names = [("drain", "bare drain (floor)"), ("js", "JavaScript driver, JSON"), ("inspect", "neo2pg inspect bolt://"),
         ("bolt_pg", "neo2pg copy bolt:// pg"), ("bolt_dir", "neo2pg copy bolt:// DIR"), ("dir_pg", "neo2pg copy DIR pg"),
         ("old_inspect", "OLD inspect bolt://"), ("old_bolt_pg", "OLD copy bolt:// pg"),
         ("old_bolt_dir", "OLD copy bolt:// DIR")]
print(f"graph: {n:,} nodes, {r:,} relationships, {wire / 1e6:.0f} MB on the wire; medians over {len(t['drain'])} rounds")
print("runs (s): " + "; ".join(f"{k} " + " ".join(f"{x:.2f}" for x in t[k]) for k, _ in names if k in t))
print(f"{'':26} {'wall s':>7} {'spread':>11} {'x drain':>8} {'cpu: neo2pg':>12} {'Neo4j':>6} {'PG':>6} {'peak MB':>8}")
for k, label in names:
    if k not in t:
        continue
    cc = [med([x[i] for x in c[k]]) for i in range(3)]
    ratio = "" if k == "dir_pg" else f"{paired(k, 'drain'):.2f}"
    pk = f"{peaks[k] / 1024:.1f}" if peaks.get(k) else ""
    print(f"{label:26} {med(t[k]):7.2f} {min(t[k]):5.2f}-{max(t[k]):<5.2f} {ratio:>8} {cc[0]:12.2f} {cc[1]:6.2f} {cc[2]:6.2f} {pk:>8}")
print(f"copy bolt:// pg against the same graph's load from DIR: {paired('bolt_pg', 'dir_pg'):.2f} x"
      + (f"; against the JavaScript driver: {paired('bolt_pg', 'js'):.2f} x" if "js" in t else ""))
if "old_inspect" in t:
    print("this build against OLD (paired): " + "; ".join(f"{k} {paired(k, 'old_' + k):.2f} x"
                                                         for k in ("inspect", "bolt_pg", "bolt_dir")))
PY
