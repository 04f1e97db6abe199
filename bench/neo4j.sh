#!/bin/bash
# Benchmark of the Neo4j end: neo2pg's extraction over Bolt against a bare
# drain (the floor for any client) and the official JavaScript driver,
# all measured in this run, against the same throwaway Neo4j.
#
#   bench/neo4j.sh [NODES]      (default 200000; twice as many relationships)
#
# Timed in each round, after a warm-up round that is not counted:
#   drain      build/bench/bolt_drain: neo2pg's two queries in one read
#              transaction, replies de-chunked, records not decoded;
#   js         the npm neo4j-driver (installed into bench/out/js) streaming
#              the same records as JSON lines into a file;
#   bolt>pg    neo2pg copy bolt://... into PostgreSQL (typed views);
#   bolt>dir   neo2pg copy bolt://... DIR --no-compress, once neo2pg can
#              write a backup (skipped, and said so, until then);
#   dir>pg     neo2pg copy BACKUP into PostgreSQL: the backup written by
#              bolt>dir when there is one, else a generated backup of the
#              same size (tools/gen_backup.py), which is not the same graph.
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

WRITER=no
if ./neo2pg -q copy "$URI" "$OUT/neo4j-backup.try" --no-compress 2>/dev/null; then
	WRITER=yes
	BACKUP=$OUT/neo4j-backup
else
	BACKUP=$OUT/backup-$NODES-$RELS
	if [ ! -f "$BACKUP/done" ]; then
		echo "generating a backup of $NODES nodes and $RELS relationships ..."
		rm -rf "$BACKUP"
		python3 tools/gen_backup.py "$BACKUP" --nodes "$NODES" --rels "$RELS" --seed 11 >/dev/null
		touch "$BACKUP/done"
	fi
fi
rm -rf "$OUT/neo4j-backup.try"

declare -A times
peak() { sed -n 's/.*peak memory: \([0-9]*\) kB.*/\1/p' "$1"; }
timed() {
	local name=$1 t0 t1
	shift
	t0=$(now)
	"$@" 2>"$OUT/neo4j-$name.log" >/dev/null || { echo "$name failed: see $OUT/neo4j-$name.log" >&2; exit 1; }
	t1=$(now)
	times[$name]+="$(python3 -c "print($t1 - $t0)") "
}
to_pg() {
	q -c "DROP SCHEMA IF EXISTS neo4j CASCADE" -c "CHECKPOINT" 2>/dev/null
	timed "$1" ./neo2pg -v copy --replace "$2" "dbname=bench"
	q -c "CHECKPOINT"
}
round() {
	timed drain build/bench/bolt_drain
	timed js node bench/js_stream.cjs "$URI" "$OUT/neo4j-js.jsonl"
	to_pg bolt_pg "$URI"
	if [ "$WRITER" = yes ]; then
		rm -rf "$BACKUP"
		timed bolt_dir ./neo2pg -v copy "$URI" "$BACKUP" --no-compress
	fi
	to_pg dir_pg "$BACKUP"
}

round
unset times
declare -A times
for i in $(seq "$ROUNDS"); do
	round
done
wire=$(sed -n 's/.*bytes \([0-9]*\).*/\1/p' "$OUT/neo4j-drain.log")

python3 - "${times[drain]}" "${times[js]}" "${times[bolt_pg]}" "${times[dir_pg]}" "${times[bolt_dir]:-}" \
	"$(peak "$OUT/neo4j-bolt_pg.log")" "$(peak "$OUT/neo4j-bolt_dir.log" 2>/dev/null || true)" \
	"$(peak "$OUT/neo4j-dir_pg.log")" "$NODES" "$RELS" "$wire" "$WRITER" <<'PY'
import statistics, sys
drain, js, bpg, dpg = ([float(x) for x in a.split()] for a in sys.argv[1:5])
bdir = [float(x) for x in sys.argv[5].split()]
peak_pg, peak_dir, peak_dpg = (int(x) if x else 0 for x in sys.argv[6:9])
n, r, wire = (int(x) for x in sys.argv[9:12])
writer = sys.argv[12] == "yes"
med = statistics.median
def paired(a, b):
    return med([x / y for x, y in zip(a, b)])
runs = [("drain", drain), ("js", js), ("bolt>pg", bpg), ("dir>pg", dpg)] + ([("bolt>dir", bdir)] if bdir else [])
print("runs (s): " + "; ".join(f"{k} " + " ".join(f"{x:.2f}" for x in v) for k, v in runs))
print(f"graph: {n:,} nodes, {r:,} relationships, {wire / 1e6:.0f} MB on the wire; medians over {len(drain)} rounds")
print(f"bare drain (floor):          {med(drain):7.2f} s")
print(f"JavaScript driver, JSON:     {med(js):7.2f} s  {paired(js, drain):.2f} x drain")
if bdir:
    print(f"neo2pg copy bolt:// DIR:     {med(bdir):7.2f} s  {paired(bdir, drain):.2f} x drain (target <= 1.3), "
          f"{paired(bdir, js):.2f} x JS; peak memory {peak_dir / 1024:.1f} MB")
else:
    print("neo2pg copy bolt:// DIR:     (neo2pg writes no backup yet: not timed)")
print(f"neo2pg copy bolt:// pg:      {med(bpg):7.2f} s  {paired(bpg, drain):.2f} x drain, {paired(bpg, js):.2f} x JS, "
      f"{paired(bpg, dpg):.2f} x the backup's load; peak memory {peak_pg / 1024:.1f} MB (target <= 64)")
what = "the backup bolt>dir wrote" if writer else "a generated backup of the same size, not the same graph"
print(f"neo2pg copy BACKUP pg:       {med(dpg):7.2f} s  ({what}); peak memory {peak_dpg / 1024:.1f} MB")
PY
