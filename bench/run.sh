#!/bin/bash
# Benchmark: neo2pg copy against a server-side COPY of exactly the rows
# neo2pg produced, into identical tables, followed by the same keys,
# indexes and constraints -- both measured in this run, on this server.
#
#   bench/run.sh [NODES [RELS]]      (default 1000000 2000000)
#
# Prints the times, their ratios (paired within a round, median over the
# rounds) and neo2pg's peak memory.  Run by hand; no test depends on timings.
set -eu
cd "$(dirname "$0")/.."
NODES=${1:-1000000}
RELS=${2:-2000000}
OUT=bench/out
BACKUP=$OUT/backup-$NODES-$RELS
mkdir -p "$OUT"

make -s all bench-tools >/dev/null
if [ ! -f "$BACKUP/done" ]; then
	echo "generating $NODES nodes and $RELS relationships (Python tool's form, gzip -9) ..."
	rm -rf "$BACKUP"
	python3 tools/gen_backup.py "$BACKUP" --nodes "$NODES" --rels "$RELS" --seed 11 >/dev/null
	touch "$BACKUP/done"
fi
du -sh "$BACKUP/data" | sed 's/^/backup size: /'

. bench/server.sh
ROUNDS=${ROUNDS:-5}

# --- neo2pg, end to end: read, inflate, parse, encode, COPY, keys, indexes,
#     per mode: no typed relations, typed views (the default), typed tables
declare -A times cpu
run_mode() {
	local r
	r=$(timed_load ./neo2pg "$1" "$OUT/neo2pg-$1.log")
	times[$1]+="${r% *} "
	cpu[$1]+="${r#* } "
}

# --- baseline: the same tables, keys, indexes and constraint, from COPY
#     files of exactly the rows neo2pg produced, with the same settings
#     and the same order of steps
run_base() {
	local t0 t1 c0 c1
	q -c "DROP SCHEMA IF EXISTS base CASCADE" -c "CHECKPOINT" 2>/dev/null
	c0=$(busy)
	t0=$(now)
	q <<SQL
BEGIN;
SET LOCAL maintenance_work_mem = '256MB';
SET LOCAL work_mem = '64MB';
-- the foreign keys' check merges against the indexes, as neo2pg's does
SET LOCAL enable_hashjoin = off;
CREATE SCHEMA base;
CREATE TABLE base.nodes (id bigint NOT NULL, labels text[] NOT NULL, props jsonb NOT NULL, prop_types jsonb);
CREATE TABLE base.relationships (id bigint NOT NULL, type text NOT NULL, start_id bigint NOT NULL,
  end_id bigint NOT NULL, props jsonb NOT NULL, prop_types jsonb);
CREATE TABLE base.load_info (key text PRIMARY KEY, value jsonb NOT NULL);
COPY base.nodes FROM '$PGDIR/nodes.copy' (FORMAT binary, FREEZE);
COPY base.relationships FROM '$PGDIR/rels.copy' (FORMAT binary, FREEZE);
ALTER TABLE base.nodes ADD PRIMARY KEY (id);
ALTER TABLE base.relationships ADD PRIMARY KEY (id);
CREATE INDEX ON base.relationships (start_id);
CREATE INDEX ON base.relationships (end_id);
ALTER TABLE base.relationships ADD FOREIGN KEY (start_id) REFERENCES base.nodes,
  ADD FOREIGN KEY (end_id) REFERENCES base.nodes;
$unique_ddl
CREATE INDEX ON base.nodes USING gin (labels);
CREATE INDEX ON base.relationships (type);
COMMIT;
SQL
	t1=$(now)
	c1=$(busy)
	times[base]+="$(python3 -c "print($t1 - $t0)") "
	cpu[base]+="$(python3 -c "print(($c1 - $c0) / $HZ)") "
	q -c "CHECKPOINT"
}

./neo2pg -q copy --replace --typed=none "$BACKUP" "dbname=bench"
q -c "COPY neo4j.nodes TO '$PGDIR/nodes.copy' (FORMAT binary)"
q -c "COPY neo4j.relationships TO '$PGDIR/rels.copy' (FORMAT binary)"
unique_ddl=$(q -c "SELECT format('CREATE UNIQUE INDEX ON base.nodes ((props->>%L)) WHERE labels @> ARRAY[%L]::text[];', c->>'node_prop', c->>'node_label') FROM neo4j.load_info, jsonb_array_elements(value) c WHERE key = 'uniqueness_constraints'")
q -c "CHECKPOINT"

# rounds interleave the four runs, so that a slow spell of the machine
# does not fall on one of them only; a first round warms caches and is
# not counted
run_base; run_mode none; run_mode views; run_mode tables
unset times cpu
declare -A times cpu
for i in $(seq "$ROUNDS"); do
	run_base
	run_mode none
	run_mode views
	run_mode tables
done
peak=$(sed -n 's/.*peak memory: \([0-9]*\) kB.*/\1/p' "$OUT/neo2pg-views.log")
peak_tables=$(sed -n 's/.*peak memory: \([0-9]*\) kB.*/\1/p' "$OUT/neo2pg-tables.log")

# --- the client alone: read, inflate and parse every chunk (no server)
t4=$(now)
for f in "$BACKUP"/data/*.json.gz; do build/bench/json_speed "$f" >/dev/null; done
t5=$(now)

python3 - "${times[none]}" "${times[views]}" "${times[tables]}" "${times[base]}" \
	"$t4" "$t5" "${peak:-0}" "${peak_tables:-0}" "$NODES" "$RELS" \
	"${cpu[none]}" "${cpu[views]}" "${cpu[tables]}" "${cpu[base]}" <<'PY'
import statistics, sys
none, views, tables, base = ([float(x) for x in a.split()] for a in sys.argv[1:5])
t4, t5 = float(sys.argv[5]), float(sys.argv[6])
peak, peak_t, n, r = (int(x) for x in sys.argv[7:11])
cnone, cviews, ctables, cbase = ([float(x) for x in a.split()] for a in sys.argv[11:15])
med = statistics.median
# a ratio is taken within one round (the runs sat next to each other in time),
# then the median over the rounds: the machine's slow spells cancel out
def paired(a, b):
    return med([x / y for x, y in zip(a, b)])
print("runs (s): " + "; ".join(f"{k} " + " ".join(f"{x:.2f}" for x in v)
                               for k, v in (("baseline", base), ("none", none), ("views", views), ("tables", tables))))
print(f"rows:                    {n:,} nodes, {r:,} relationships; medians over {len(base)} rounds")
print(f"server-side COPY + DDL:  {med(base):8.2f} s  (baseline: same rows, same tables, keys and indexes)")
print(f"neo2pg --typed=none:     {med(none):8.2f} s  ratio {paired(none, base):.3f} x baseline (target <= 1.10)")
print(f"neo2pg (typed views):    {med(views):8.2f} s  ratio {paired(views, base):.3f} x baseline; "
      f"views vs none {100 * (paired(views, none) - 1):+.1f}%")
print(f"neo2pg --typed=tables:   {med(tables):8.2f} s  tables vs none {100 * (paired(tables, none) - 1):+.1f}% (target <= 30%)")
print("processor time (core-seconds, whole machine; medians; ratios paired as above):")
print(f"  baseline {med(cbase):.1f}, none {med(cnone):.1f} ({paired(cnone, cbase):.3f} x baseline), "
      f"views {med(cviews):.1f}, tables {med(ctables):.1f} (tables vs none {100 * (paired(ctables, cnone) - 1):+.1f}%)")
print(f"neo2pg peak memory:      {peak / 1024:8.1f} MB (typed tables {peak_t / 1024:.1f} MB; target <= 64)")
print(f"(json_speed over every chunk, inflate and inflate+parse: {t5 - t4:.2f} s)")
PY
