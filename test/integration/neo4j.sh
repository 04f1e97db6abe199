#!/bin/bash
# Integration tests of Neo4j as a source: neo2pg against the real test
# Neo4j (test/neo4j_server.sh) and the test PostgreSQL, both started by
# test/check.sh (N2P_TEST_NEO4J_* and PG* variables).
#
#   NEO2PG=path/to/neo2pg CYPHER=path/to/neo4j_cypher test/integration/neo4j.sh [TEST...]
#
# Last line: "neo4j: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
. test/integration/lib.sh
CYPHER=${CYPHER:-build/test/neo4j_cypher}
PORT=$N2P_TEST_NEO4J_PORT
URI="bolt://127.0.0.1:$PORT"
export NEO4J_PASSWORD
NEO4J_PASSWORD=$(cat "$N2P_TEST_NEO4J_DIR/password")

# the seed graph, once for the whole run (every test reads it, none writes)
seed() {
	# a server seeded by an earlier run (by hand) is used as it is
	printf 'MATCH (n) RETURN count(n)\n' >"$WORK/count.cypher"
	[ "$("$CYPHER" -q "$WORK/count.cypher" 2>/dev/null)" = 3 ] && return 0
	"$CYPHER" test/neo4j/seed.cypher >"$WORK/seed" 2>&1 ||
		{ not_ok "seed the test Neo4j" "$(cat "$WORK/seed")"; return 1; }
}

check_neo4j() {
	psql -X -q -d "$1" -v ON_ERROR_STOP=1 -v schema="${2:-neo4j}" \
		-f test/integration/check_neo4j.sql >"$WORK/check" 2>&1
}

t_bolt_copy() {
	fresh_db it_bolt
	run copy "$URI" "$(conninfo it_bolt)"
	[ "$rc" -eq 0 ] || { not_ok "copy bolt:// into PostgreSQL" "$(cat "$WORK/out")"; return; }
	check_neo4j it_bolt ||
		{ not_ok "copy bolt://: every value as Neo4j holds it" "$(cat "$WORK/check")"; return; }
	# the typed views read zoned DateTimes by their offset
	[ "$(sql it_bolt 'SELECT zdt FROM neo4j."Person" WHERE uid = 1')" = "2015-06-24 11:50:35.556+00" ] ||
		{ not_ok "typed view of a zoned DateTime" "$(sql it_bolt 'SELECT zdt FROM neo4j."Person"')"; return; }
	ok "copy bolt:// into PostgreSQL: every type, zone ids, odd names, element ids, constraints, typed views"
}

t_bolt_copy_tables() {
	fresh_db it_bolt_t
	run copy --typed=tables -s g "neo4j://127.0.0.1:$PORT" "$(conninfo it_bolt_t)"
	[ "$rc" -eq 0 ] || { not_ok "copy neo4j:// --typed=tables" "$(cat "$WORK/out")"; return; }
	check_neo4j it_bolt_t g || { not_ok "copy neo4j:// --typed=tables: values" "$(cat "$WORK/check")"; return; }
	local got
	got=$(sql it_bolt_t 'SELECT zdt, zdts[2], bytes, dur FROM g."Person" WHERE uid = 1')
	[ "$got" = '2015-06-24 11:50:35.556+00|2021-03-28 01:00:00+00|\x0001feff|1 year 2 mons -3 days -02:00:00.5' ] ||
		{ not_ok "typed table columns of a Bolt source" "$got"; return; }
	ok "copy neo4j:// (a single server, as bolt://) with --typed=tables: native columns"
}

t_bolt_inspect() {
	run inspect "$URI"
	if [ "$rc" -ne 0 ] || ! grep -q "person_uid: (:Person).uid is unique" "$WORK/out" ||
		! grep -q 'index person_name (RANGE): CREATE RANGE INDEX `person_name`' "$WORK/out" ||
		! grep -qE "zdts +list<datetime> +timestamptz\[\]" "$WORK/out"; then
		not_ok "inspect bolt://" "$(cat "$WORK/out")"
		return
	fi
	ok "inspect bolt:// lists counts, keys with their types, constraints and indexes"
}

# expect_refusal NAME HINT URI [ARGS...]: exit 1, the hint, nothing loaded
expect_refusal() {
	local name=$1 hint=$2
	shift 2
	fresh_db it_bolt_bad
	run copy "$@" "$(conninfo it_bolt_bad)"
	expect_fail "$name" "$hint" || return 1
	[ "$(sql it_bolt_bad "SELECT count(*) FROM pg_namespace WHERE nspname = 'neo4j'")" = 0 ] ||
		{ not_ok "$name: the target is untouched" "$(cat "$WORK/out")"; return 1; }
}

t_bolt_errors() {
	NEO4J_PASSWORD=wrong expect_refusal "wrong password" "hint: check the user" "$URI" || return
	grep -q "Neo.ClientError.Security.Unauthorized" "$WORK/out" ||
		{ not_ok "wrong password: the server's code" "$(cat "$WORK/out")"; return; }
	expect_refusal "missing database" "hint: --database names a database" --database nosuch "$URI" || return
	# a port nothing listens on: the launcher's own, closed again
	local closed
	closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	expect_refusal "connection refused" "hint: is Neo4j running" "bolt://127.0.0.1:$closed" || return
	expect_refusal "TLS to a server whose CA is not trusted" "hint: for a self-signed certificate" \
		"bolt+s://localhost:$PORT" || return
	expect_refusal "TLS to a host the certificate does not name" "hint: for a self-signed certificate" \
		"bolt+s://127.0.0.1:$PORT" || return
	ok "wrong password, missing database, refused connection, untrusted certificate: exit 1, a hint, target untouched"
}

t_bolt_tls() {
	fresh_db it_bolt_tls
	SSL_CERT_FILE="$N2P_TEST_NEO4J_DIR/tls/ca.crt" run copy "bolt+s://localhost:$PORT" "$(conninfo it_bolt_tls)"
	[ "$rc" -eq 0 ] || { not_ok "bolt+s:// with the test CA trusted" "$(cat "$WORK/out")"; return; }
	fresh_db it_bolt_tls
	run copy --typed=none "neo4j+ssc://127.0.0.1:$PORT" "$(conninfo it_bolt_tls)"
	[ "$rc" -eq 0 ] && check_neo4j it_bolt_tls ||
		{ not_ok "neo4j+ssc:// accepts the server's certificate" "$(cat "$WORK/out" "$WORK/check")"; return; }
	ok "bolt+s:// with a trusted CA, and neo4j+ssc://, load the same graph"
}

t_bolt_secrets() {
	# no password anywhere and no terminal to ask on
	env -u NEO4J_PASSWORD setsid "$NEO2PG" copy "$URI" "dbname=x" </dev/null >"$WORK/out" 2>&1
	rc=$?
	expect_fail "no password, no terminal" "set NEO4J_PASSWORD" || return
	run copy "bolt://neo4j:S3CRET@127.0.0.1:$PORT" "dbname=x"
	[ "$rc" -ne 0 ] && ! grep -q S3CRET "$WORK/out" && grep -q -- "--user" "$WORK/out" ||
		{ not_ok "a password in the URI is refused, not echoed" "$(cat "$WORK/out")"; return; }
	ok "the password comes only from NEO4J_PASSWORD or a prompt, and is never echoed"
}

# same_rows DB A B: schemas A and B hold exactly the same nodes and
# relationships (every column), and the same record of Neo4j's schema
same_rows() {
	local got
	got=$(sql "$1" "SELECT (SELECT count(*) FROM (SELECT * FROM \"$2\".nodes EXCEPT ALL SELECT * FROM \"$3\".nodes) a)
		+ (SELECT count(*) FROM (SELECT * FROM \"$3\".nodes EXCEPT ALL SELECT * FROM \"$2\".nodes) b)
		+ (SELECT count(*) FROM (SELECT * FROM \"$2\".relationships EXCEPT ALL SELECT * FROM \"$3\".relationships) c)
		+ (SELECT count(*) FROM (SELECT * FROM \"$3\".relationships EXCEPT ALL SELECT * FROM \"$2\".relationships) d)
		+ (SELECT count(*) FROM \"$2\".load_info x JOIN \"$3\".load_info y USING (key)
		   WHERE key IN ('neo4j_schema', 'uniqueness_constraints', 'node_count', 'relationship_count')
		     AND x.value IS DISTINCT FROM y.value)
		|| ' ' || (SELECT count(*) FROM \"$2\".nodes) || ' ' || (SELECT count(*) FROM \"$2\".relationships)
		|| ' ' || (SELECT count(*) FROM \"$2\".load_info WHERE key = 'neo4j_schema')")
	[ "$got" = "0 3 4 1" ] || { echo "differences, nodes, relationships, schema: $got"; return 1; }
}

t_bolt_backup() {
	local dir="$WORK/from-neo4j"
	fresh_db it_bolt_backup
	run copy "$URI" "$dir"
	[ "$rc" -eq 0 ] || { not_ok "copy bolt:// DIR" "$(cat "$WORK/out")"; return; }
	# the Python tool's own form: a zoned DateTime with its offset only, bytes as str(bytes)
	zcat "$dir/data/nodes_3.json.gz" | grep -qF '"zdt": "$datetime('"'"'2015-06-24T12:50:35.556000000+01:00'"'"')",' &&
		zcat "$dir/data/nodes_3.json.gz" | grep -qF '"bytes": "b'"'"'\\x00\\x01\\xfe\\xff'"'"'",' ||
		{ not_ok "copy bolt:// DIR: the tool's forms" "$(zcat "$dir/data/nodes_3.json.gz")"; return; }
	# an independent reading of the format takes it as a backup
	python3 tools/read_backup.py "$dir" --expected "$WORK/bolt-backup.jsonl" >"$WORK/read" 2>&1 &&
		grep -q '"verdict": "load"' "$WORK/read" ||
		{ not_ok "copy bolt:// DIR: tools/read_backup.py reads it" "$(cat "$WORK/read")"; return; }
	run copy -s via_backup "$dir" "$(conninfo it_bolt_backup)"
	[ "$rc" -eq 0 ] || { not_ok "copy DIR (from Neo4j) into PostgreSQL" "$(cat "$WORK/out")"; return; }
	check_neo4j it_bolt_backup via_backup ||
		{ not_ok "copy bolt:// DIR, then DIR into PostgreSQL: every value" "$(cat "$WORK/check")"; return; }
	run copy -s direct "$URI" "$(conninfo it_bolt_backup)"
	[ "$rc" -eq 0 ] || { not_ok "copy bolt:// into PostgreSQL (for comparison)" "$(cat "$WORK/out")"; return; }
	same_rows it_bolt_backup direct via_backup >"$WORK/check" 2>&1 ||
		{ not_ok "copy bolt:// DIR then DIR gives the rows of copy bolt://" "$(cat "$WORK/check")"; return; }
	ok "copy bolt:// DIR, then DIR into PostgreSQL: the rows of copy bolt:// (zone ids, bytes, label order, element ids, schema)"
}

# A scripted server (test/bolt_stub.py) for what a real Neo4j will not do:
# each fault mid-stream must end in exit 1 with a clear error, and the
# PostgreSQL target must be left as it was.
t_bolt_faults() {
	local fault want pid port
	for fault in none drop failure bad-chunk oversized deep unknown-tag; do
		rm -f "$WORK/stub.port"
		python3 test/bolt_stub.py "$fault" "$WORK/stub.port" &
		pid=$!
		for _ in $(seq 50); do [ -f "$WORK/stub.port" ] && break; sleep 0.1; done
		port=$(cat "$WORK/stub.port")
		# a backup directory target first: never left under its name
		rm -rf "$WORK/stub-backup"
		NEO4J_PASSWORD=x run copy "bolt://127.0.0.1:$port" "$WORK/stub-backup"
		if [ "$fault" != none ] && { [ "$rc" -ne 1 ] || [ -e "$WORK/stub-backup" ]; }; then
			not_ok "Bolt fault $fault into a backup directory: exit 1, no directory" "$(cat "$WORK/out")"
			kill "$pid" 2>/dev/null
			return
		fi
		fresh_db it_stub
		NEO4J_PASSWORD=x run copy "bolt://127.0.0.1:$port" "$(conninfo it_stub)"
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		if [ "$fault" = none ]; then
			[ "$rc" -eq 0 ] && [ "$(sql it_stub 'SELECT count(*) FROM neo4j.nodes')" = 2 ] ||
				{ not_ok "the stub's clean stream loads" "$(cat "$WORK/out")"; return; }
			continue
		fi
		case $fault in
			drop | bad-chunk) want="closed the connection" ;;
			failure) want="the stub failed on purpose (Neo.DatabaseError.General.UnknownError)" ;;
			oversized) want="list longer than the message" ;;
			deep) want="nested deeper than" ;;
			unknown-tag) want="unknown structure tag" ;;
		esac
		expect_fail "Bolt fault $fault" "$want" "nothing was loaded" || return
		[ "$(sql it_stub "SELECT count(*) FROM pg_namespace WHERE nspname = 'neo4j'")" = 0 ] ||
			{ not_ok "Bolt fault $fault: the target is untouched" "$(cat "$WORK/out")"; return; }
	done
	ok "Bolt faults mid-stream (dropped connection, FAILURE, cut chunk, oversized list, deep nesting, unknown tag): exit 1, a clear error, PostgreSQL target untouched, no backup directory"
}

tests=("$@")
[ ${#tests[@]} -eq 0 ] && tests=(bolt_copy bolt_copy_tables bolt_inspect bolt_errors bolt_tls bolt_secrets
	bolt_backup bolt_faults)
if seed; then
	for t in "${tests[@]}"; do
		"t_$t"
	done
fi
echo "neo4j: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
