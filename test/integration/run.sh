#!/bin/bash
# Integration tests: neo2pg against a real PostgreSQL (started by
# test/check.sh, reached through PGHOST/PGPORT/PGUSER).
#
#   NEO2PG=path/to/neo2pg test/integration/run.sh [TEST...]
#
# Each test prints "ok - name" or "not ok - name" with the evidence; the
# last line is "integration: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
NEO2PG=${NEO2PG:-./neo2pg}
# sanitizers multiply memory use, so the memory limit is checked on the release build
NEO2PG_RELEASE=${NEO2PG_RELEASE:-./neo2pg}
WORK=$(mktemp -d /tmp/neo2pg-it.XXXXXX)
# the local-cluster test runs PostgreSQL as "postgres" under root: it must
# be able to enter WORK
chmod 755 "$WORK"
GEN="python3 tools/gen_backup.py"
passed=0
failed=0
trap 'rm -rf "$WORK"' EXIT

# ------------------------------------------------------------- helpers

ok() { echo "ok - $1"; passed=$((passed + 1)); }
not_ok() {
	echo "not ok - $1"
	shift
	for l in "$@"; do echo "#   $l"; done
	failed=$((failed + 1))
}

fresh_db() {
	dropdb --if-exists "$1" 2>/dev/null
	createdb "$1"
}

conninfo() { echo "host=$PGHOST port=$PGPORT user=$PGUSER dbname=$1"; }

sql() {
	local db=$1
	shift
	psql -X -At -d "$db" -v ON_ERROR_STOP=1 -c "$@" 2>&1
}

# run neo2pg, capturing stderr/stdout in $WORK/out and the status in $rc
run() {
	"$NEO2PG" "$@" >"$WORK/out" 2>&1
	rc=$?
}

# expect_fail NAME PATTERN...: last run failed with status 1 and printed
# every pattern
expect_fail() {
	local name=$1
	shift
	if [ "$rc" -ne 1 ]; then
		not_ok "$name" "exit status $rc, expected 1" "$(cat "$WORK/out")"
		return 1
	fi
	for p in "$@"; do
		if ! grep -qF -- "$p" "$WORK/out"; then
			not_ok "$name" "message lacks: $p" "$(cat "$WORK/out")"
			return 1
		fi
	done
	return 0
}

schema_absent() {
	[ "$(sql "$1" "SELECT count(*) FROM pg_namespace WHERE nspname = 'neo4j'")" = 0 ]
}

check_values() {
	psql -X -q -d "$1" -v ON_ERROR_STOP=1 -v schema="${3:-neo4j}" \
		-f test/integration/check_values.sql <"$2" >"$WORK/check" 2>&1
}

# ----------------------------------------------------------------- tests

t_example_values() {
	fresh_db it_example
	run copy examples/backup "$(conninfo it_example)"
	if [ "$rc" -ne 0 ]; then
		not_ok "load the bundled example" "$(cat "$WORK/out")"
		return
	fi
	if check_values it_example examples/expected.jsonl; then
		ok "load the bundled example: every value and type as expected ($(sed -n 3p "$WORK/check" | tr -s ' '))"
	else
		not_ok "load the bundled example: values" "$(cat "$WORK/check")"
	fi
}

t_layout() {
	local got
	got=$(sql it_example "SELECT string_agg(indexdef, E'\n' ORDER BY indexdef) FROM pg_indexes WHERE schemaname = 'neo4j'")
	for want in "nodes_pkey" "USING gin (labels)" "(start_id)" "(end_id)" "(type)" \
		"relationships_pkey" "load_info_pkey" "(((props ->> 'uid'::text))) WHERE (labels @> ARRAY['Person'::text])"; do
		if ! grep -qF -- "$want" <<<"$got"; then
			not_ok "layout: indexes" "missing $want" "$got"
			return
		fi
	done
	got=$(sql it_example "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conrelid = 'neo4j.relationships'::regclass")
	[ "$got" = 2 ] || { not_ok "layout: foreign keys" "$got"; return; }
	got=$(sql it_example "SELECT string_agg(key, ',' ORDER BY key) FROM neo4j.load_info")
	for want in db_id unique_prop_key uniqueness_constraints source node_count relationship_count \
		neo2pg_version started_at finished_at; do
		grep -q "$want" <<<"$got" || { not_ok "layout: load_info" "missing $want" "$got"; return; }
	done
	got=$(sql it_example "SELECT value FROM neo4j.load_info WHERE key = 'node_count'")
	[ "$got" = 60 ] || { not_ok "layout: load_info counts" "$got"; return; }
	ok "layout: keys, foreign keys, GIN and btree indexes, unique index per constraint, load_info"
}

t_no_replace() {
	local before
	before=$(sql it_example "SELECT value FROM neo4j.load_info WHERE key = 'finished_at'")
	run copy examples/backup "$(conninfo it_example)"
	expect_fail "a second load without --replace fails" "--replace" || return
	[ "$(sql it_example "SELECT value FROM neo4j.load_info WHERE key = 'finished_at'")" = "$before" ] ||
		{ not_ok "a second load without --replace leaves the graph alone"; return; }
	ok "a second load without --replace fails and leaves the graph alone"
}

t_replace() {
	run copy --replace examples/backup "$(conninfo it_example)"
	[ "$rc" -eq 0 ] || { not_ok "--replace reloads" "$(cat "$WORK/out")"; return; }
	check_values it_example examples/expected.jsonl || { not_ok "--replace: values" "$(cat "$WORK/check")"; return; }
	ok "--replace reloads the graph"
}

t_replace_rollback() {
	# a failing load with --replace must keep the old graph
	$GEN "$WORK/bad_digest" --nodes 40 --rels 60 --chunk-rows 15 --bad wrong-digest >/dev/null
	run copy --replace "$WORK/bad_digest" "$(conninfo it_example)"
	expect_fail "a failed --replace" "hash_props digest" || return
	check_values it_example examples/expected.jsonl ||
		{ not_ok "a failed --replace keeps the old graph" "$(cat "$WORK/check")"; return; }
	ok "a failed --replace keeps the old graph intact"
}

t_schema_option() {
	fresh_db it_schema
	run copy -s 'my "graph"; x' examples/backup "$(conninfo it_schema)"
	[ "$rc" -eq 0 ] || { not_ok "--schema with quotes" "$(cat "$WORK/out")"; return; }
	check_values it_schema examples/expected.jsonl 'my "graph"; x' ||
		{ not_ok "--schema values" "$(cat "$WORK/check")"; return; }
	ok "--schema with a name that needs quoting"
}

t_plain_chunks() {
	fresh_db it_plain
	$GEN "$WORK/plain" --nodes 300 --rels 500 --chunk-rows 70 --indent 4 --no-compress \
		--edge-cases --seed 7 --expected "$WORK/plain.jsonl" >/dev/null
	run copy "$WORK/plain" "$(conninfo it_plain)"
	[ "$rc" -eq 0 ] || { not_ok "plain chunks with indent=4" "$(cat "$WORK/out")"; return; }
	check_values it_plain "$WORK/plain.jsonl" ||
		{ not_ok "plain chunks: values" "$(cat "$WORK/check")"; return; }
	ok "uncompressed chunks written with indent=4, many chunks in counter order"
}

t_generated() {
	fresh_db it_gen
	$GEN "$WORK/gen" --nodes 3000 --rels 6000 --chunk-rows 1000 --seed 3 \
		--expected "$WORK/gen.jsonl" >/dev/null
	run copy "$WORK/gen" "$(conninfo it_gen)"
	[ "$rc" -eq 0 ] || { not_ok "3000 generated nodes" "$(cat "$WORK/out")"; return; }
	check_values it_gen "$WORK/gen.jsonl" ||
		{ not_ok "3000 generated nodes: values" "$(cat "$WORK/check")"; return; }
	ok "3000 nodes and 6000 relationships of every type, value by value"
}

# bad_input KIND PATTERN...: generate a backup with one defect, load it,
# expect failure naming the patterns, and an untouched target
bad_input() {
	local kind=$1
	shift
	fresh_db it_bad
	$GEN "$WORK/bad_$kind" --nodes 40 --rels 60 --chunk-rows 15 --bad "$kind" >"$WORK/bad_$kind.info"
	run copy "$WORK/bad_$kind" "$(conninfo it_bad)"
	expect_fail "bad input $kind" "$@" || return
	schema_absent it_bad || { not_ok "bad input $kind leaves the target unchanged"; return; }
	ok "bad input $kind: exit 1, names $*, target unchanged"
}

t_bad_inputs() {
	bad_input truncated-gzip "data/relationships_60.json.gz" "truncated"
	bad_input corrupt-gzip "data/relationships_60.json.gz" "invalid gzip data"
	bad_input invalid-json "data/nodes_15.json.gz" "invalid JSON at byte"
	bad_input wrong-digest "data/nodes_15.json.gz" "node 1:" 'key "defect"' "digest"
	bad_input duplicate-id "node id 0 appears more than once"
	bad_input dangling "2 relationships" "1, 59" "--skip-dangling"
	bad_input nul "node 1:" 'key "defect"' "U+0000"
	bad_input bad-literal "node 1:" 'key "defect"' "invalid date literal"
	bad_input int-overflow "integer out of range" "in the row after node"
}

t_skip_dangling() {
	fresh_db it_dangling
	run copy --skip-dangling "$WORK/bad_dangling" "$(conninfo it_dangling)"
	[ "$rc" -eq 0 ] || { not_ok "--skip-dangling" "$(cat "$WORK/out")"; return; }
	grep -q "skipping 2 dangling relationships (ids 1, 59)" "$WORK/out" ||
		{ not_ok "--skip-dangling reports the skipped ids" "$(cat "$WORK/out")"; return; }
	[ "$(sql it_dangling "SELECT count(*) FROM neo4j.relationships")" = 58 ] ||
		{ not_ok "--skip-dangling loads the rest"; return; }
	[ "$(sql it_dangling "SELECT value FROM neo4j.load_info WHERE key = 'rejected_relationships'")" = 2 ] ||
		{ not_ok "--skip-dangling records the rejects in load_info"; return; }
	ok "--skip-dangling loads the rest, reports and records the 2 skipped"
}

t_replace_nul() {
	fresh_db it_nul
	run copy --replace-nul=NUL "$WORK/bad_nul" "$(conninfo it_nul)"
	[ "$rc" -eq 0 ] || { not_ok "--replace-nul" "$(cat "$WORK/out")"; return; }
	local v
	v=$(sql it_nul "SELECT props->>'defect' FROM neo4j.nodes WHERE id = 1")
	[[ "$v" == *NUL* ]] || { not_ok "--replace-nul replaces U+0000" "$v"; return; }
	[ "$(sql it_nul "SELECT value FROM neo4j.load_info WHERE key = 'nul_replaced'")" = 1 ] ||
		{ not_ok "--replace-nul counts replacements"; return; }
	ok "--replace-nul=TEXT replaces U+0000 and counts it in load_info"
}

t_unique_violation() {
	fresh_db it_uniq
	cp -r examples/backup "$WORK/uniq"
	# two Person nodes that share a uid
	python3 - "$WORK/uniq" <<'PY'
import gzip, json, os, sys
d = os.path.join(sys.argv[1], "data")
name = sorted(f for f in os.listdir(d) if f.startswith("nodes_"))[0]
rows = json.loads(gzip.open(os.path.join(d, name)).read())
people = [r for r in rows if "Person" in r["node_labels"].split(":") and "uid" in r["node_props"]]
people[1]["node_props"]["uid"] = people[0]["node_props"]["uid"]
open(os.path.join(sys.argv[1], "ids"), "w").write("%d %d" % (people[0]["node_id"], people[1]["node_id"]))
with gzip.open(os.path.join(d, name), "wt") as f:
    f.write(json.dumps(rows, indent=0))
PY
	read -r a b <"$WORK/uniq/ids"
	run copy "$WORK/uniq" "$(conninfo it_uniq)"
	expect_fail "uniqueness violation" "constraint_person_uid" "(:Person).uid" "{$a,$b}" || return
	schema_absent it_uniq || { not_ok "uniqueness violation leaves the target unchanged"; return; }
	ok "a uniqueness constraint violation is an error naming nodes $a and $b"
}

t_inspect() {
	run inspect examples/backup
	[ "$rc" -eq 0 ] || { not_ok "inspect the example" "$(cat "$WORK/out")"; return; }
	for want in "Nodes:          60" "Relationships:  120" "constraint_person_uid" "list<point(7203)>" \
		"duration" "(no label)" "Problems: 0"; do
		grep -qF -- "$want" "$WORK/out" || { not_ok "inspect output" "lacks $want" "$(cat "$WORK/out")"; return; }
	done
	run inspect "$WORK/bad_dangling"
	expect_fail "inspect finds dangling ends" "end node" "Problems: 2" || return
	run inspect "$WORK/bad_wrong-digest"
	expect_fail "inspect finds a bad digest" "digest" "Problems: 1" || return
	ok "inspect lists counts, keys with types, constraints and problems"
}

t_usage() {
	run --version
	[ "$rc" -eq 0 ] && grep -q "^neo2pg [0-9]" "$WORK/out" || { not_ok "--version"; return; }
	run --help
	[ "$rc" -eq 0 ] && grep -q "copy SOURCE" "$WORK/out" || { not_ok "--help"; return; }
	run copy --help
	[ "$rc" -eq 0 ] && grep -q -- "--skip-dangling" "$WORK/out" || { not_ok "copy --help"; return; }
	run frobnicate
	[ "$rc" -eq 2 ] || { not_ok "unknown command exits 2"; return; }
	run copy
	[ "$rc" -eq 2 ] || { not_ok "copy without source exits 2"; return; }
	run copy /nonexistent "$(conninfo x)"
	[ "$rc" -eq 2 ] || { not_ok "missing source exits 2" "$(cat "$WORK/out")"; return; }
	ok "--help, --version, COMMAND --help and usage errors (exit 2)"
}

t_password() {
	# a URI with a password, and a password from PGPASSFILE: never printed
	local pw
	pw=$(cat "$N2P_TEST_PGDIR/password")
	fresh_db it_pw
	run -v copy examples/backup "postgresql://$PGUSER:$pw@127.0.0.1:$PGPORT/it_pw"
	[ "$rc" -eq 0 ] || { not_ok "password in URI" "$(cat "$WORK/out")"; return; }
	grep -qF -- "$pw" "$WORK/out" && { not_ok "the password was printed"; return; }
	printf '127.0.0.1:%s:*:%s:%s\n' "$PGPORT" "$PGUSER" "$pw" >"$WORK/pgpass"
	chmod 600 "$WORK/pgpass"
	fresh_db it_pw
	PGPASSFILE="$WORK/pgpass" run copy examples/backup "postgresql://127.0.0.1:$PGPORT/it_pw"
	[ "$rc" -eq 0 ] || { not_ok "PGPASSFILE" "$(cat "$WORK/out")"; return; }
	fresh_db it_pw
	run copy examples/backup "postgresql://$PGUSER:wrong@127.0.0.1:$PGPORT/it_pw"
	expect_fail "wrong password" "password authentication failed" || return
	grep -qF "wrong" "$WORK/out" && { not_ok "a wrong password was printed"; return; }
	ok "passwords in URIs and .pgpass work and are never printed"
}

t_local_cluster() {
	# the README's first command: no target, neo2pg runs its own cluster
	local home="$WORK/home"
	NEO2PG_HOME="$home" run copy examples/backup
	if [ "$rc" -ne 0 ]; then
		not_ok "copy without a target starts a local PostgreSQL" "$(cat "$WORK/out")"
		[ -f "$home/postgresql.log" ] && tail -5 "$home/postgresql.log"
	else
		local ci
		ci=$(grep -A1 "Connect with" "$WORK/out" | tail -1 | sed 's/^ *psql "\(.*\)"$/\1/')
		if [ "$(psql -X -At "$ci" -c "SELECT count(*) FROM neo4j.nodes" 2>&1)" = 60 ]; then
			ok "copy without a target initialises a local PostgreSQL, loads, prints how to connect"
		else
			not_ok "local cluster connection" "$ci" "$(cat "$WORK/out")"
		fi
	fi
	if [ -f "$home/pg15/postmaster.pid" ]; then
		if [ "$(id -u)" -eq 0 ]; then
			runuser -u postgres -- "$(pg_config --bindir)/pg_ctl" -D "$home/pg15" -m fast -w stop >/dev/null
		else
			"$(pg_config --bindir)/pg_ctl" -D "$home/pg15" -m fast -w stop >/dev/null
		fi
	fi
}

t_big_chunk_memory() {
	# one chunk of 60,000 rows (about 10 MB of JSON): memory must not grow with it
	fresh_db it_big
	$GEN "$WORK/big" --nodes 60000 --rels 1 --chunk-rows 10000000 --gzip-level 1 >/dev/null
	NEO2PG=$NEO2PG_RELEASE run -v copy "$WORK/big" "$(conninfo it_big)"
	[ "$rc" -eq 0 ] || { not_ok "one big chunk" "$(cat "$WORK/out")"; return; }
	local kb
	kb=$(sed -n 's/.*peak memory: \([0-9]*\) kB.*/\1/p' "$WORK/out")
	if [ -z "$kb" ] || [ "$kb" -gt 65536 ]; then
		not_ok "one big chunk in bounded memory" "peak ${kb:-?} kB" "$(tail -3 "$WORK/out")"
		return
	fi
	ok "a 60,000-row chunk loads with peak memory $((kb / 1024)) MB (limit 64 MB)"
}

# ------------------------------------------------------------------ main

tests=("$@")
[ ${#tests[@]} -eq 0 ] && tests=(example_values layout no_replace replace replace_rollback
	schema_option plain_chunks generated bad_inputs skip_dangling replace_nul
	unique_violation inspect usage password local_cluster big_chunk_memory)
for t in "${tests[@]}"; do
	"t_$t"
done
echo "integration: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
