#!/bin/bash
# make example: load the bundled example backup into the local PostgreSQL
# that neo2pg starts itself, then run a few queries over it.
set -eu
cd "$(dirname "$0")/.."
tools/install-deps.sh
make -s all
./neo2pg copy --replace examples/backup | tee /tmp/neo2pg-example.$$
conninfo=$(sed -n 's/^  psql "\(.*\)"$/\1/p' /tmp/neo2pg-example.$$)
rm -f /tmp/neo2pg-example.$$
run() {
	printf '\n$ psql "%s" -c "%s"\n' "$conninfo" "$1"
	psql -X "$conninfo" -c "$1"
}
run "SELECT label, count(*) FROM neo4j.nodes, unnest(labels) AS label GROUP BY label ORDER BY count(*) DESC LIMIT 5"
run "SELECT n.props->>'name' AS person, r.type, m.labels AS to_labels, m.props->>'name' AS to_name FROM neo4j.relationships r JOIN neo4j.nodes n ON n.id = r.start_id JOIN neo4j.nodes m ON m.id = r.end_id WHERE n.labels @> '{Person}' ORDER BY r.id LIMIT 5"
run "SELECT id, props->>'born' AS born, (props->>'born')::date + 1 AS next_day, prop_types->>'born' AS neo4j_type FROM neo4j.nodes WHERE prop_types->>'born' = 'date' ORDER BY id LIMIT 5"
run "SELECT key, value FROM neo4j.load_info WHERE key IN ('node_count', 'relationship_count', 'uniqueness_constraints') ORDER BY key"
