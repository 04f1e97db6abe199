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
# and prints medians, ratios paired within a round, the processor time the
# whole machine spent on each (it is shared: wall time alone misleads) and,
# for the queries, their backend's own processor time (/proc/self/stat).
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
declare -A times cpu own procs answers

# the backend's own user + system time, in clock ticks, from its /proc/self/stat
STAT="SELECT 'STAT ' || pg_read_file('/proc/self/stat')"

# Processor time of this run's own processes, in seconds: the server's
# processes that ended (backends, parallel workers: the postmaster's
# cutime + cstime) and this script's children (neo2pg, psql).  Read once
# the last backend has ended, which happens just after its client left.
POSTMASTER=$(head -1 "$PGDIR/data/postmaster.pid")
children_cpu() {
	local n=0
	while [ "$(pgrep -c -P "$POSTMASTER")" -gt "$BASE_CHILDREN" ] && [ $n -lt 50 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	awk -v hz="$HZ" '{sub(/.*\) /, ""); s += $14 + $15} END {print s / hz}' \
		"/proc/$POSTMASTER/stat" "/proc/$$/stat"
}
BASE_CHILDREN=$(pgrep -c -P "$POSTMASTER")

# timed NAME SETTINGS FORMAT SCHEMA: one psql session running the queries
timed() {
	local name=$1 set=$2 sql t0 t1 c0 c1 p0 p1 out
	# shellcheck disable=SC2059
	sql=$(printf "$3" "$4" "$4")
	p0=$(children_cpu)
	c0=$(busy)
	t0=$(now)
	out=$(q -c "SET jit = off; $set" -c "$STAT" -c "$sql" -c "$STAT")
	t1=$(now)
	c1=$(busy)
	p1=$(children_cpu)
	procs[$name]+="$(python3 -c "print($p1 - $p0)") "
	times[$name]+="$(python3 -c "print($t1 - $t0)") "
	cpu[$name]+="$(python3 -c "print(($c1 - $c0) / $HZ)") "
	# fields 14 and 15 after the command's parenthesis: utime, stime
	own[$name]+="$(grep '^STAT ' <<<"$out" | sed 's/.*) //' |
		awk -v hz="$HZ" '{t[NR] = $12 + $13} END {print (t[2] - t[1]) / hz}') "
	answers[$name]=$(grep -v '^STAT ' <<<"$out" | tr '\n' ' ')
}

load() {
	local r p0 p1
	p0=$(children_cpu)
	r=$(timed_load ./neo2pg none "$OUT/fdw-load.log")
	p1=$(children_cpu)
	procs[load]+="$(python3 -c "print($p1 - $p0)") "
	times[load]+="${r% *} "
	cpu[load]+="${r#* } "
}

round() {
	load
	timed fdw "SET max_parallel_workers_per_gather = 0;" "$FULL" f
	timed fdw-count "SET max_parallel_workers_per_gather = 0;" "$COUNT" f
	timed fdw-par "SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0;" "$FULL" f
	# what a user gets: PostgreSQL's default settings (parallel plans, JIT on)
	timed fdw-default "RESET jit;" "$FULL" f
	timed table "SET max_parallel_workers_per_gather = 0;" "$FULL" neo4j
	timed table-count "SET max_parallel_workers_per_gather = 0;" "$COUNT" neo4j
}

# a first round warms the caches and is not counted
round
unset times cpu own procs
declare -A times cpu own procs
for i in $(seq "$ROUNDS"); do
	round
done
plan=$(q -c "SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0;" \
	-c "EXPLAIN (COSTS OFF) SELECT count(*), sum(length(props::text)) FROM f.relationships" |
	grep -c "Parallel Foreign Scan" || true)
for k in fdw fdw-par fdw-default table; do
	[ "${answers[$k]}" = "${answers[fdw]}" ] || { echo "$k answered ${answers[$k]}, fdw ${answers[fdw]}" >&2; exit 1; }
done
[ "${answers[fdw-count]}" = "${answers[table-count]}" ] ||
	{ echo "counts differ: ${answers[fdw-count]} / ${answers[table-count]}" >&2; exit 1; }

# one line a run: its name, then its times, cpu, own and procs, each a
# space-separated list, separated by tabs
figures=$OUT/fdw-figures.tsv
: >"$figures"
for k in load fdw fdw-count fdw-par fdw-default table table-count; do
	printf '%s\t%s\t%s\t%s\t%s\n' "$k" "${times[$k]}" "${cpu[$k]}" "${own[$k]:-}" "${procs[$k]}" >>"$figures"
done
python3 - "$NODES" "$RELS" "$plan" "$figures" <<'PY'
import statistics, sys
n, r, plan = (int(x) for x in sys.argv[1:4])
t, c, o, p = {}, {}, {}, {}
for line in open(sys.argv[4]):
    k, *cols = line.rstrip("\n").split("\t")
    for d, col in zip((t, c, o, p), cols):
        if col.strip():
            d[k] = [float(x) for x in col.split()]
names = list(t)
med = statistics.median
def paired(a, b):
    return med([x / y for x, y in zip(a, b)])
print("runs (s): " + "; ".join(f"{k} " + " ".join(f"{x:.2f}" for x in t[k]) for k in names))
print(f"rows: {n:,} nodes, {r:,} relationships; medians over {len(t['load'])} rounds")
what = {"load": "neo2pg copy --typed=none",
        "fdw": "foreign tables, count + sum(length(props::text))",
        "fdw-count": "foreign tables, count(*) alone",
        "fdw-par": "foreign tables, full, 2 parallel workers" + ("" if plan else " (NOT planned)"),
        "fdw-default": "foreign tables, full, PostgreSQL's default settings",
        "table": "loaded tables, count + sum(length(props::text))",
        "table-count": "loaded tables, count(*) alone"}
print("(own: processor seconds of this run's processes, client, backends and workers; "
      "backend: the query's own backend alone; machine: core-seconds the whole shared machine was busy)")
for k in names:
    ratio = "" if k == "load" else f"  {paired(t[k], t['load']):.3f} x load, own {paired(p[k], p['load']):.3f} x"
    mine = f" backend {med(o[k]):5.1f}" if k in o else " " * 14
    print(f"{what[k]:52s} {med(t[k]):6.2f} s  own {med(p[k]):5.1f}{mine}  machine {med(c[k]):5.1f}{ratio}")
for k in ("fdw", "fdw-default"):
    print(f"target: {k} <= 0.5 x load: {'met' if paired(t[k], t['load']) <= 0.5 else 'NOT met'}")
print(f"fdw vs loaded tables: {paired(t['fdw'], t['table']):.1f} x; "
      f"processor time fdw / load: {paired(c['fdw'], c['load']):.3f}")
PY
