#!/bin/bash
# Benchmark: neo2pg copy against a server-side COPY of exactly the rows
# neo2pg produced, into identical tables, followed by the same keys,
# indexes and constraints -- both measured in this run, on this server.
#
#   bench/run.sh [NODES [RELS]]      (default 1000000 2000000)
#
# Prints both times, their ratio, and neo2pg's peak memory.  Run by hand;
# no test depends on timings.
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

PGDIR=$(mktemp -d /tmp/neo2pg-bench.XXXXXX)
trap 'test/pg_server.sh stop "$PGDIR"; rm -rf "$PGDIR"' EXIT
eval "$(test/pg_server.sh start "$PGDIR")"
export PGHOST PGPORT PGUSER PGDATABASE
createdb bench

q() { psql -X -q -At -d bench -v ON_ERROR_STOP=1 "$@"; }
now() { date +%s.%N; }

ROUNDS=${ROUNDS:-3}
best() { python3 -c 'import sys; print(min(float(x) for x in sys.argv[1:]))' "$@"; }

# --- neo2pg, end to end: read, inflate, parse, encode, COPY, keys, indexes
tool_times=()
for i in $(seq "$ROUNDS"); do
	t0=$(now)
	./neo2pg -v copy --replace "$BACKUP" "dbname=bench" 2>"$OUT/neo2pg.log"
	t1=$(now)
	tool_times+=("$(python3 -c "print($t1 - $t0)")")
	q -c "CHECKPOINT"
done
peak=$(sed -n 's/.*peak memory: \([0-9]*\) kB.*/\1/p' "$OUT/neo2pg.log")

# --- the rows neo2pg produced, as COPY files the server can read
q -c "COPY neo4j.nodes TO '$PGDIR/nodes.copy' (FORMAT binary)"
q -c "COPY neo4j.relationships TO '$PGDIR/rels.copy' (FORMAT binary)"
q -c "CHECKPOINT"

# --- baseline: the same tables, keys, indexes and constraint, from the files
base_times=()
for i in $(seq "$ROUNDS"); do
t2=$(now)
q <<SQL
BEGIN;
DROP SCHEMA IF EXISTS base CASCADE;
SET LOCAL synchronous_commit = off;
CREATE SCHEMA base;
CREATE TABLE base.nodes (id bigint NOT NULL, labels text[] NOT NULL, props jsonb NOT NULL, prop_types jsonb);
CREATE TABLE base.relationships (id bigint NOT NULL, type text NOT NULL, start_id bigint NOT NULL,
  end_id bigint NOT NULL, props jsonb NOT NULL, prop_types jsonb);
CREATE TABLE base.load_info (key text PRIMARY KEY, value jsonb NOT NULL);
COPY base.nodes FROM '$PGDIR/nodes.copy' (FORMAT binary, FREEZE);
COPY base.relationships FROM '$PGDIR/rels.copy' (FORMAT binary, FREEZE);
ALTER TABLE base.nodes ADD PRIMARY KEY (id);
ALTER TABLE base.relationships ADD PRIMARY KEY (id);
ALTER TABLE base.relationships ADD FOREIGN KEY (start_id) REFERENCES base.nodes,
  ADD FOREIGN KEY (end_id) REFERENCES base.nodes;
CREATE INDEX ON base.nodes USING gin (labels);
CREATE INDEX ON base.relationships (start_id);
CREATE INDEX ON base.relationships (end_id);
CREATE INDEX ON base.relationships (type);
$(q -c "SELECT format('CREATE UNIQUE INDEX ON base.nodes ((props->>%L)) WHERE labels @> ARRAY[%L]::text[];', c->>'node_prop', c->>'node_label') FROM neo4j.load_info, jsonb_array_elements(value) c WHERE key = 'uniqueness_constraints'")
COMMIT;
SQL
t3=$(now)
base_times+=("$(python3 -c "print($t3 - $t2)")")
q -c "CHECKPOINT"
done

# --- the client alone: read, inflate and parse every chunk (no server)
t4=$(now)
for f in "$BACKUP"/data/*.json.gz; do build/bench/json_speed "$f" >/dev/null; done
t5=$(now)

python3 - "$(best "${tool_times[@]}")" "$(best "${base_times[@]}")" "$t4" "$t5" "${peak:-0}" "$NODES" "$RELS" "${tool_times[*]}" "${base_times[*]}" <<'PY'
import sys
tool, base, t4, t5 = map(float, sys.argv[1:5])
peak, n, r = int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
print(f"runs (s):             neo2pg {sys.argv[8]}; baseline {sys.argv[9]}; best of each below")
print(f"rows:                 {n:,} nodes, {r:,} relationships")
print(f"neo2pg copy:          {tool:8.2f} s  ({(n + r) / tool:,.0f} rows/s)")
print(f"server-side COPY+DDL: {base:8.2f} s  (baseline, same rows, same tables and indexes)")
print(f"ratio:                {tool / base:8.3f} x  (target <= 1.10)")
print(f"neo2pg peak memory:   {peak / 1024:8.1f} MB (target <= 64)")
print(f"(json_speed over every chunk, inflate and inflate+parse: {t5 - t4:.2f} s)")
PY
