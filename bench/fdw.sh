#!/bin/bash
# Benchmark: the extension's foreign tables scanning the backup in place,
# against loading the same backup (neo2pg copy --typed=none) and against
# scanning the loaded tables -- all measured in this run, on this server.
#
#   bench/fdw.sh [NODES [RELS]]      (default 1000000 2000000)
#
# The backup is bench/run.sh's (made the same way if missing).  Each round
# times, one after the other:
#   load      neo2pg copy --typed=none (read, parse, COPY, keys, indexes)
#   fdw       SELECT count(*), sum(length(props::text)) over nodes, then
#             relationships, as foreign tables (every column built)
#   fdw-count SELECT count(*) over both foreign tables (no column built)
#   fdw-par   fdw with up to 2 parallel workers (by chunk file)
#   table     fdw's queries over the loaded tables
#   table-count
# and prints medians, ratios paired within a round, and the processor time
# the whole machine spent on each (it is shared: wall time alone misleads).
# JIT is off for every query.  Run by hand; no test depends on timings.
set -eu
cd "$(dirname "$0")/.."
NODES=${1:-1000000}
RELS=${2:-2000000}
OUT=bench/out
BACKUP=$(pwd)/$OUT/backup-$NODES-$RELS
mkdir -p "$OUT"
ROUNDS=${ROUNDS:-3}

make -s all ext >/dev/null
if [ ! -f "$BACKUP/done" ]; then
	echo "generating $NODES nodes and $RELS relationships (Python tool's form, gzip -9) ..."
	rm -rf "$BACKUP"
	python3 tools/gen_backup.py "$BACKUP" --nodes "$NODES" --rels "$RELS" --seed 11 >/dev/null
	touch "$BACKUP/done"
fi
du -sh "$BACKUP/data" | sed 's/^/backup size: /'

# the server from a throwaway installation that holds the extension
INST=$(mktemp -d /tmp/neo2pg-bench-inst.XXXXXX)
PG_BINDIR=$(test/ext_install.sh "$INST")
export PG_BINDIR
. bench/server.sh
trap 'test/pg_server.sh stop "$PGDIR"; rm -rf "$PGDIR" "$INST"' EXIT
# under root the server runs as postgres: it must read the backup
chmod -R go+rX "$BACKUP" 2>/dev/null || true
q -v path="$BACKUP" <<'SQL'
CREATE EXTENSION neo2pg;
CREATE SERVER backup FOREIGN DATA WRAPPER neo2pg OPTIONS (path :'path');
CREATE SCHEMA f;
IMPORT FOREIGN SCHEMA neo4j LIMIT TO (nodes, relationships) FROM SERVER backup INTO f;
SQL

FULL="SELECT count(*), sum(length(props::text)) FROM %s.nodes; SELECT count(*), sum(length(props::text)) FROM %s.relationships;"
COUNT="SELECT count(*) FROM %s.nodes; SELECT count(*) FROM %s.relationships;"
declare -A times cpu answers

# timed NAME SETTINGS FORMAT SCHEMA: one psql session running the queries
timed() {
	local name=$1 set=$2 sql t0 t1 c0 c1 out
	# shellcheck disable=SC2059
	sql=$(printf "$3" "$4" "$4")
	c0=$(busy)
	t0=$(now)
	out=$(q -c "SET jit = off; $set" -c "$sql" | tr '\n' ' ')
	t1=$(now)
	c1=$(busy)
	times[$name]+="$(python3 -c "print($t1 - $t0)") "
	cpu[$name]+="$(python3 -c "print(($c1 - $c0) / $HZ)") "
	answers[$name]=$out
}

load() {
	local r
	r=$(timed_load ./neo2pg none "$OUT/fdw-load.log")
	times[load]+="${r% *} "
	cpu[load]+="${r#* } "
}

round() {
	load
	timed fdw "SET max_parallel_workers_per_gather = 0;" "$FULL" f
	timed fdw-count "SET max_parallel_workers_per_gather = 0;" "$COUNT" f
	timed fdw-par "SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0;" "$FULL" f
	timed table "SET max_parallel_workers_per_gather = 0;" "$FULL" neo4j
	timed table-count "SET max_parallel_workers_per_gather = 0;" "$COUNT" neo4j
}

# a first round warms the caches and is not counted
round
unset times cpu
declare -A times cpu
for i in $(seq "$ROUNDS"); do
	round
done
plan=$(q -c "SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0;" \
	-c "EXPLAIN (COSTS OFF) SELECT count(*), sum(length(props::text)) FROM f.relationships" |
	grep -c "Parallel Foreign Scan" || true)
for k in fdw fdw-par table; do
	[ "${answers[$k]}" = "${answers[fdw]}" ] || { echo "$k answered ${answers[$k]}, fdw ${answers[fdw]}" >&2; exit 1; }
done
[ "${answers[fdw-count]}" = "${answers[table-count]}" ] ||
	{ echo "counts differ: ${answers[fdw-count]} / ${answers[table-count]}" >&2; exit 1; }

python3 - "$NODES" "$RELS" "$plan" "${times[load]}" "${times[fdw]}" "${times[fdw-count]}" \
	"${times[fdw-par]}" "${times[table]}" "${times[table-count]}" \
	"${cpu[load]}" "${cpu[fdw]}" "${cpu[fdw-count]}" "${cpu[fdw-par]}" "${cpu[table]}" \
	"${cpu[table-count]}" <<'PY'
import statistics, sys
n, r, plan = (int(x) for x in sys.argv[1:4])
names = ["load", "fdw", "fdw-count", "fdw-par", "table", "table-count"]
t = {k: [float(x) for x in a.split()] for k, a in zip(names, sys.argv[4:10])}
c = {k: [float(x) for x in a.split()] for k, a in zip(names, sys.argv[10:16])}
med = statistics.median
def paired(a, b):
    return med([x / y for x, y in zip(a, b)])
print("runs (s): " + "; ".join(f"{k} " + " ".join(f"{x:.2f}" for x in t[k]) for k in names))
print(f"rows: {n:,} nodes, {r:,} relationships; medians over {len(t['load'])} rounds")
what = {"load": "neo2pg copy --typed=none",
        "fdw": "foreign tables, count + sum(length(props::text))",
        "fdw-count": "foreign tables, count(*) alone",
        "fdw-par": "foreign tables, full, 2 parallel workers" + ("" if plan else " (NOT planned)"),
        "table": "loaded tables, count + sum(length(props::text))",
        "table-count": "loaded tables, count(*) alone"}
for k in names:
    ratio = "" if k == "load" else f"  {paired(t[k], t['load']):.3f} x load"
    print(f"{what[k]:52s} {med(t[k]):7.2f} s  cpu {med(c[k]):6.1f} core-s{ratio}")
print(f"target: fdw <= 0.5 x load: {'met' if paired(t['fdw'], t['load']) <= 0.5 else 'NOT met'}")
print(f"fdw vs loaded tables: {paired(t['fdw'], t['table']):.1f} x; "
      f"processor time fdw / load: {paired(c['fdw'], c['load']):.3f}")
PY
