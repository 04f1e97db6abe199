#!/bin/bash
# Faults (issue 13): signals in every phase, kill -9 and a rerun, the
# PostgreSQL backend terminated, the server crashed and restarted, a file
# that cannot grow (a full disk), timeouts, a second load into the same
# schema, locks.  Each ends in a clear error, a non-zero exit, and the
# target as it was (or, after kill -9, an exact copy once rerun).
#
#   NEO2PG=path/to/neo2pg test/integration/faults.sh [TEST...]
#
# Needs the test PostgreSQL (PG* variables, test/check.sh); starts a second,
# small one of its own for the crash and the full disk.  No timing: a run
# reaches a phase through NEO2PG_TEST_FAULT=POINT:ACTION (src/cli/interrupt.c),
# stopping itself (stop) or sending itself a signal (INT, TERM, KILL).
# Last line: "faults: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
. test/integration/lib.sh
SMALL="$WORK/small-pg"
trap 'test/pg_server.sh stop "$SMALL" >/dev/null 2>&1; rm -rf "$WORK"' EXIT

# ------------------------------------------------------------- helpers

# start_bg OUT ARGS...: neo2pg in the background, its pid in $bgpid
start_bg() {
	local out=$1
	shift
	"$NEO2PG" "$@" >"$out" 2>&1 &
	bgpid=$!
}

# wait_bg: its exit status in $rc
wait_bg() {
	wait "$bgpid"
	rc=$?
}

# wait_stopped PID: until PID has stopped itself (false if it ended first)
wait_stopped() {
	local st
	for _ in $(seq 1200); do
		st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
		[ "$st" = T ] && return 0
		sleep 0.05
	done
	return 1
}

# hold DB SQL: a session that runs SQL in a transaction and keeps it open;
# its backend pid in $holder.  release ends it.
hold() {
	local tag="neo2pg-test-holder-$RANDOM"
	PGAPPNAME=$tag psql -X -q -d "$1" -c "BEGIN" -c "$2" -c "SELECT pg_sleep(120)" >/dev/null 2>&1 &
	holder_job=$!
	holder=
	for _ in $(seq 600); do
		holder=$(sql "$1" "SELECT pid FROM pg_stat_activity WHERE application_name = '$tag'
			AND query = 'SELECT pg_sleep(120)'")
		[ -n "$holder" ] && return 0
		sleep 0.05
	done
	return 1
}

release() {
	[ -n "${holder:-}" ] && sql postgres "SELECT pg_terminate_backend($holder)" >/dev/null
	wait "$holder_job" 2>/dev/null
	holder=
}

no_target_left() {
	[ ! -e "$1" ] && [ -z "$(ls -d "$1".neo2pg-* 2>/dev/null)" ]
}

finished_at() { sql "$1" "SELECT value FROM ${2:-neo4j}.load_info WHERE key = 'finished_at'"; }

staging_left() {
	sql "$1" "SELECT coalesce(string_agg(nspname, ' '), '') FROM pg_namespace WHERE nspname LIKE 'neo2pg\_staging\_%'"
}

# graph_kept NAME DB BEFORE: the example graph loaded earlier is intact
graph_kept() {
	[ "$(finished_at "$2")" = "$3" ] || { not_ok "$1: the earlier graph was replaced" "$(cat "$WORK/out")"; return 1; }
	[ -z "$(staging_left "$2")" ] || { not_ok "$1: a staging schema left" "$(staging_left "$2")"; return 1; }
}

# exact_pg NAME BACKUP DB [SCHEMA]: the load equals the backup, value by value
exact_pg() {
	"$NEO2PG" verify "$2" "$(conninfo "$3")" ${4:+-s "$4"} >"$WORK/verify" 2>&1 &&
		grep -q "^equal" "$WORK/verify" ||
		{ not_ok "$1: verify against the source" "$(cat "$WORK/verify")"; return 1; }
}

gen_once() {
	[ -d "$WORK/g" ] || $GEN "$WORK/g" --nodes 20000 --rels 40000 --chunk-rows 5000 --seed 5 >/dev/null
}

# ----------------------------------------------------------------- tests

# SIGINT or SIGTERM in each phase of a load (with --replace over a graph,
# --typed=tables: the second connection too): exit 128 + the signal, the
# earlier graph intact, no staging schema
t_signal_load() {
	local name="a signal during a load" before p want
	fresh_db it_sig
	run copy --typed=tables examples/backup "$(conninfo it_sig)"
	[ "$rc" -eq 0 ] || { not_ok "$name: first load" "$(cat "$WORK/out")"; return; }
	before=$(finished_at it_sig)
	for p in begin:INT nodes:TERM relationships:INT pg-keys:TERM staging:INT pg-commit:TERM finish:INT; do
		NEO2PG_TEST_FAULT=$p run copy --replace --typed=tables examples/backup "$(conninfo it_sig)"
		want=$([ "${p#*:}" = INT ] && echo 130 || echo 143)
		[ "$rc" -eq "$want" ] && grep -q "interrupted by SIG${p#*:}" "$WORK/out" &&
			grep -q "the target is unchanged" "$WORK/out" ||
			{ not_ok "$name: $p: exit $rc, want $want" "$(cat "$WORK/out")"; return; }
		graph_kept "$name: $p" it_sig "$before" || return
	done
	# from outside, as a user would: the run stopped mid-relationships, then signalled
	NEO2PG_TEST_FAULT=relationships:stop start_bg "$WORK/out" copy --replace --typed=tables \
		examples/backup "$(conninfo it_sig)"
	wait_stopped "$bgpid" || { wait_bg; not_ok "$name: did not stop" "$(cat "$WORK/out")"; return; }
	kill -TERM "$bgpid"
	kill -CONT "$bgpid"
	wait_bg
	[ "$rc" -eq 143 ] || { not_ok "$name: SIGTERM from outside: exit $rc" "$(cat "$WORK/out")"; return; }
	graph_kept "$name: SIGTERM from outside" it_sig "$before" || return
	check_typed it_sig examples/expected.jsonl || { not_ok "$name: values" "$(cat "$WORK/check")"; return; }
	ok "$name: SIGINT/SIGTERM before the data, in nodes, relationships, keys, the second connection, commit: exit 130/143, the earlier graph intact, no staging schema"
}

# a signal while writing a backup: the target as it was, nothing beside it
t_signal_backup() {
	local name="a signal while writing a backup" d="$WORK/sigb" p
	rm -rf "$d" "$d.keep"
	run copy examples/backup "$d"
	[ "$rc" -eq 0 ] && cp -a "$d" "$d.keep" || { not_ok "$name: first copy" "$(cat "$WORK/out")"; return; }
	for p in nodes:INT relationships:TERM finish:INT; do
		NEO2PG_TEST_FAULT=$p run copy --replace examples/backup "$d"
		[ "$rc" -ge 130 ] && grep -q "nothing was written" "$WORK/out" ||
			{ not_ok "$name: $p: exit $rc" "$(cat "$WORK/out")"; return; }
		diff -r "$d" "$d.keep" >/dev/null && [ -z "$(ls -d "$d".neo2pg-* 2>/dev/null)" ] ||
			{ not_ok "$name: $p: the target changed or a work directory is left" "$(ls -d "$d"*)"; return; }
		NEO2PG_TEST_FAULT=$p run copy examples/backup "$d.new"
		[ "$rc" -ge 130 ] && no_target_left "$d.new" ||
			{ not_ok "$name: $p: a new target was left" "$(ls -d "$d"*)"; return; }
	done
	ok "$name: in nodes, relationships, the rename: exit 130/143, the old backup unchanged, no new or work directory"
}

t_signal_verify() {
	local name="a signal during verify" d="$WORK/sigv"
	rm -rf "$d" && mkdir -p "$d/tmp"
	TMPDIR="$d/tmp" NEO2PG_TEST_FAULT=verify:TERM run verify examples/backup examples/backup
	[ "$rc" -eq 143 ] && ! grep -q "^equal" "$WORK/out" ||
		{ not_ok "$name: exit $rc" "$(cat "$WORK/out")"; return; }
	[ -z "$(ls "$d/tmp")" ] || { not_ok "$name: work files left" "$(ls -R "$d/tmp")"; return; }
	ok "$name: exit 143, no verdict, no work files left"
}

# kill -9 at a point of each path, then a rerun: an exact copy
t_kill_rerun() {
	local name="kill -9, then a rerun" d="$WORK/killb" p
	gen_once
	for p in relationships finish; do
		rm -rf "$d" "$d".neo2pg-*
		NEO2PG_TEST_FAULT=$p:KILL run copy "$WORK/g" "$d"
		[ "$rc" -eq 137 ] && [ ! -e "$d" ] || { not_ok "$name: backup, $p: exit $rc" "$(cat "$WORK/out")"; return; }
		run copy "$WORK/g" "$d"
		[ "$rc" -eq 0 ] && [ -z "$(ls -d "$d".neo2pg-* 2>/dev/null)" ] ||
			{ not_ok "$name: backup rerun after $p" "$(cat "$WORK/out")" "$(ls -d "$d"*)"; return; }
		run verify "$WORK/g" "$d"
		[ "$rc" -eq 0 ] || { not_ok "$name: backup after $p: verify" "$(cat "$WORK/out")"; return; }
	done
	# --replace killed between moving the old backup aside and putting the new
	# one in place: the next run puts the old one back, then replaces it
	NEO2PG_TEST_FAULT=moved-aside:KILL run copy --replace examples/backup "$d"
	[ "$rc" -eq 137 ] && [ ! -e "$d" ] || { not_ok "$name: killed between the renames: exit $rc" "$(ls -d "$d"*)"; return; }
	run copy --replace examples/backup "$d"
	[ "$rc" -eq 0 ] && grep -q "put back" "$WORK/out" && [ -z "$(ls -d "$d".neo2pg-* 2>/dev/null)" ] ||
		{ not_ok "$name: rerun after the renames" "$(cat "$WORK/out")" "$(ls -d "$d"*)"; return; }
	run verify examples/backup "$d"
	[ "$rc" -eq 0 ] || { not_ok "$name: after the renames: verify" "$(cat "$WORK/out")"; return; }
	fresh_db it_kill9
	for p in staging pg-commit; do
		NEO2PG_TEST_FAULT=$p:KILL run copy --typed=tables "$WORK/g" "$(conninfo it_kill9)"
		[ "$rc" -eq 137 ] && schema_absent it_kill9 ||
			{ not_ok "$name: load, $p: exit $rc" "$(cat "$WORK/out")"; return; }
	done
	run copy --typed=tables "$WORK/g" "$(conninfo it_kill9)"
	[ "$rc" -eq 0 ] && [ -z "$(staging_left it_kill9)" ] ||
		{ not_ok "$name: load rerun" "$(cat "$WORK/out") $(staging_left it_kill9)"; return; }
	exact_pg "$name: load" "$WORK/g" it_kill9 || return
	rm -rf "$WORK/vtmp" && mkdir "$WORK/vtmp"
	TMPDIR="$WORK/vtmp" NEO2PG_TEST_FAULT=verify:KILL run verify "$WORK/g" "$(conninfo it_kill9)"
	[ "$rc" -eq 137 ] && [ -n "$(ls "$WORK/vtmp")" ] ||
		{ not_ok "$name: verify killed: exit $rc" "$(cat "$WORK/out")"; return; }
	TMPDIR="$WORK/vtmp" run verify "$WORK/g" "$(conninfo it_kill9)"
	[ "$rc" -eq 0 ] && [ -z "$(ls "$WORK/vtmp")" ] ||
		{ not_ok "$name: verify rerun" "$(cat "$WORK/out")" "$(ls -R "$WORK/vtmp")"; return; }
	ok "$name: a backup killed in relationships, before its rename and between the two renames of --replace, a load killed with its staging schema committed and before COMMIT, a verify: each rerun gives an exact copy (verify equal) and removes what the killed run left"
}

# the load's backend, then the second connection's, terminated
t_terminate_backend() {
	local name="pg_terminate_backend" before pid
	fresh_db it_term
	run copy --typed=tables examples/backup "$(conninfo it_term)"
	before=$(finished_at it_term)
	NEO2PG_TEST_FAULT=relationships:stop start_bg "$WORK/out" copy --replace --typed=tables \
		examples/backup "$(conninfo it_term)"
	wait_stopped "$bgpid" || { wait_bg; not_ok "$name: did not stop" "$(cat "$WORK/out")"; return; }
	pid=$(sql it_term "SELECT pid FROM pg_stat_activity WHERE application_name = 'neo2pg' AND datname = 'it_term'")
	sql postgres "SELECT pg_terminate_backend($pid)" >/dev/null
	kill -CONT "$bgpid"
	wait_bg
	expect_fail "$name: the load's backend" "terminating connection" "the target is unchanged" || return
	graph_kept "$name: the load's backend" it_term "$before" || return
	NEO2PG_TEST_FAULT=staging:stop start_bg "$WORK/out" copy --replace --typed=tables \
		examples/backup "$(conninfo it_term)"
	wait_stopped "$bgpid" || { wait_bg; not_ok "$name: did not stop in staging" "$(cat "$WORK/out")"; return; }
	pid=$(staging_left it_term)
	sql postgres "SELECT pg_terminate_backend(${pid#neo2pg_staging_})" >/dev/null
	kill -CONT "$bgpid"
	wait_bg
	expect_fail "$name: the second connection's backend" "the typed tables' second connection ($pid)" \
		"server closed the connection unexpectedly" "the target is unchanged" || return
	[ "$(finished_at it_term)" = "$before" ] || { not_ok "$name: second connection: graph replaced"; return; }
	# its staging schema, committed, is the next load's to drop
	run copy --replace --typed=tables examples/backup "$(conninfo it_term)"
	[ "$rc" -eq 0 ] && [ -z "$(staging_left it_term)" ] ||
		{ not_ok "$name: the next load" "$(cat "$WORK/out")" "$(staging_left it_term)"; return; }
	check_typed it_term examples/expected.jsonl || { not_ok "$name: values" "$(cat "$WORK/check")"; return; }
	ok "$name: the load's backend mid-COPY, the second connection's while it fills: exit 1 naming it, the earlier graph intact; the next load drops the staging schema and loads every value"
}

# lock_timeout and statement_timeout, through PGOPTIONS, while another
# session holds a lock the load needs; and the load's own lock timeout
t_timeouts() {
	local name="timeouts" before v
	fresh_db it_tmo
	run copy examples/backup "$(conninfo it_tmo)"
	before=$(finished_at it_tmo)
	hold it_tmo "SELECT count(*) FROM neo4j.nodes" || { release; not_ok "$name: hold a lock"; return; }
	PGOPTIONS="-c lock_timeout=200ms" run copy --replace examples/backup "$(conninfo it_tmo)"
	expect_fail "$name: lock_timeout" "canceling statement due to lock timeout" \
		"waited for a lock another session holds until lock_timeout ran out, in: DROP TABLE" \
		"the target is unchanged" || { release; return; }
	PGOPTIONS="-c statement_timeout=200ms" run copy --replace examples/backup "$(conninfo it_tmo)"
	expect_fail "$name: statement_timeout" "canceling statement due to statement timeout" \
		"the target is unchanged" || { release; return; }
	run copy --replace --lock-timeout=300ms examples/backup "$(conninfo it_tmo)"
	expect_fail "$name: --lock-timeout" "canceling statement due to lock timeout" \
		"waited for a lock another session holds until lock_timeout ran out, in: DROP TABLE" \
		"the target is unchanged" || { release; return; }
	graph_kept "$name: --lock-timeout" it_tmo "$before" || { release; return; }
	# --lock-timeout=0 over PGOPTIONS's 200ms: the load waits on the lock
	# (seen waiting) until the holder is gone, then replaces the graph
	PGOPTIONS="-c lock_timeout=200ms" start_bg "$WORK/out" copy --replace --lock-timeout=0 examples/backup \
		"$(conninfo it_tmo)"
	for _ in $(seq 1200); do
		[ "$(sql it_tmo "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'neo2pg'
			AND wait_event_type = 'Lock'")" = 1 ] && break
		kill -0 "$bgpid" 2>/dev/null || break
		sleep 0.05
	done
	kill -0 "$bgpid" 2>/dev/null || { release; wait_bg; not_ok "$name: --lock-timeout=0 did not wait" "$(cat "$WORK/out")"; return; }
	release
	wait_bg
	[ "$rc" -eq 0 ] && [ "$(finished_at it_tmo)" != "$before" ] && exact_pg "$name: --lock-timeout=0" examples/backup it_tmo ||
		{ not_ok "$name: --lock-timeout=0 waits, then loads" "$(cat "$WORK/out")"; return; }
	before=$(finished_at it_tmo)
	for v in 5 1x 3.5s -1s 25d ''; do
		run copy --replace "--lock-timeout=$v" examples/backup "$(conninfo it_tmo)"
		[ "$rc" -eq 2 ] && grep -q -- "--lock-timeout takes a whole number" "$WORK/out" ||
			{ [ "$v" = 5 ] && [ "$rc" -eq 0 ]; } ||
			{ not_ok "$name: --lock-timeout=$v" "$(cat "$WORK/out")"; return; }
	done
	run copy --lock-timeout=1s examples/backup "$WORK/lt-backup"
	[ "$rc" -eq 2 ] && [ ! -e "$WORK/lt-backup" ] || { not_ok "$name: --lock-timeout with a directory target" "$(cat "$WORK/out")"; return; }
	# the PostgreSQL source waits on a lock at most lock_timeout too, named
	hold it_tmo "LOCK TABLE neo4j.nodes IN ACCESS EXCLUSIVE MODE" || { release; not_ok "$name: hold a lock"; return; }
	PGOPTIONS="-c lock_timeout=200ms" run copy "$(conninfo it_tmo)" "$WORK/lt-source"
	release
	expect_fail "$name: a PostgreSQL source" "canceling statement due to lock timeout" \
		"waited for a lock another session holds until lock_timeout ran out, in: LOCK TABLE \"neo4j\".nodes" ||
		return
	no_target_left "$WORK/lt-source" || { not_ok "$name: a PostgreSQL source: a backup left"; return; }
	run copy "$(conninfo it_tmo)" "$WORK/lt-source"
	[ "$rc" -eq 0 ] && "$NEO2PG" verify examples/backup "$WORK/lt-source" >"$WORK/verify" 2>&1 ||
		{ not_ok "$name: a PostgreSQL source, the lock gone" "$(cat "$WORK/out" "$WORK/verify")"; return; }
	ok "$name: lock_timeout and statement_timeout (PGOPTIONS), and --lock-timeout, on a lock another session holds: exit 1 naming the statement that waited, the graph intact; --lock-timeout=0 overrides PGOPTIONS and waits until the lock is free; bad durations refused; a PostgreSQL source's LOCK waits at most lock_timeout and is named"
}

# two loads into one schema: the second fails at once naming the first
t_concurrent_load() {
	local name="two loads into one schema" pid
	fresh_db it_two
	NEO2PG_TEST_FAULT=relationships:stop start_bg "$WORK/first" copy --typed=tables examples/backup \
		"$(conninfo it_two)"
	wait_stopped "$bgpid" || { wait_bg; not_ok "$name: did not stop" "$(cat "$WORK/first")"; return; }
	pid=$(sql it_two "SELECT pid FROM pg_stat_activity WHERE application_name = 'neo2pg' AND datname = 'it_two'")
	run copy --typed=tables examples/backup "$(conninfo it_two)"
	kill -CONT "$bgpid"
	wait "$bgpid"
	expect_fail "$name: the second" "schema \"neo4j\" is being loaded by another neo2pg (backend pid $pid," \
		"one load into a schema at a time" || return
	grep -q "loaded 60 nodes" "$WORK/first" ||
		{ not_ok "$name: the first one goes on" "$(cat "$WORK/first")"; return; }
	check_typed it_two examples/expected.jsonl || { not_ok "$name: values" "$(cat "$WORK/check")"; return; }
	# another schema of the same database is not held up
	NEO2PG_TEST_FAULT=relationships:stop start_bg "$WORK/first" copy -s other examples/backup "$(conninfo it_two)"
	wait_stopped "$bgpid" || { wait_bg; not_ok "$name: did not stop" "$(cat "$WORK/first")"; return; }
	run copy -s third examples/backup "$(conninfo it_two)"
	kill -CONT "$bgpid"
	wait_bg
	[ "$rc" -eq 0 ] || { not_ok "$name: another schema meanwhile" "$(cat "$WORK/out")"; return; }
	ok "$name: the second fails at once, naming the first's backend, and changes nothing; the first completes; another schema loads meanwhile"
}

# a staging schema a killed run left, locked by someone: skipped with a
# warning, not waited for; dropped by a later load once free
t_staging_locked() {
	local name="an abandoned staging schema in use"
	fresh_db it_stlock
	sql it_stlock "CREATE SCHEMA neo2pg_staging_999997; CREATE TABLE neo2pg_staging_999997.\"Person\" (x int);
		COMMENT ON SCHEMA neo2pg_staging_999997 IS 'neo2pg: typed tables being built by a load; dropped when it ends'" >/dev/null
	hold it_stlock "SELECT count(*) FROM neo2pg_staging_999997.\"Person\"" || { release; not_ok "$name: hold"; return; }
	run copy --typed=tables examples/backup "$(conninfo it_stlock)"
	[ "$rc" -eq 0 ] && grep -qF "warning: the staging schema \"neo2pg_staging_999997\" a killed neo2pg left is locked by another session (backend pid $holder): not dropped after waiting 1s" "$WORK/out" ||
		{ release; not_ok "$name" "$(cat "$WORK/out")"; return; }
	release
	[ "$(staging_left it_stlock)" = neo2pg_staging_999997 ] || { not_ok "$name: kept" "$(staging_left it_stlock)"; return; }
	check_typed it_stlock examples/expected.jsonl || { not_ok "$name: values" "$(cat "$WORK/check")"; return; }
	run copy --replace --typed=tables examples/backup "$(conninfo it_stlock)"
	[ "$rc" -eq 0 ] && [ -z "$(staging_left it_stlock)" ] ||
		{ not_ok "$name: dropped once free" "$(cat "$WORK/out")"; return; }
	ok "$name: the load goes on with a warning naming the schema and the session, values as expected; the next load drops it"
}

# a server of our own: files may not grow past 4 MB (a full disk, as far as
# PostgreSQL can tell: the same failed write and "Check free disk space";
# mounting a small file system would need root), then crashed mid-COPY
small_start() {
	[ -f "$SMALL/data/postmaster.pid" ] && return 0
	(
		trap '' XFSZ
		ulimit -f 4096
		PG_INITDB_OPTS=--wal-segsize=1 test/pg_server.sh start "$SMALL"
	) >"$WORK/small.env" 2>"$WORK/small.log" || { cat "$WORK/small.log"; return 1; }
	SMALL_PORT=$(sed -nE "s/.*PGPORT=([0-9]+).*/\1/p" "$WORK/small.env")
}

small() { echo "host=$SMALL port=$SMALL_PORT user=$PGUSER dbname=$1"; }

t_disk_full() {
	local name="a full disk"
	gen_once
	small_start || { not_ok "$name: start a small server" "$(cat "$WORK/small.log")"; return; }
	PGHOST=$SMALL PGPORT=$SMALL_PORT createdb full || { not_ok "$name: createdb"; return; }
	run copy --typed=tables "$WORK/g" "$(small full)"
	expect_fail "$name" "could not extend file" "Check free disk space" "the target is unchanged" || return
	[ "$(PGHOST=$SMALL PGPORT=$SMALL_PORT sql full "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'neo%'")" = 0 ] ||
		{ not_ok "$name: a schema left"; return; }
	run copy --typed=tables examples/backup "$(small full)"
	[ "$rc" -eq 0 ] || { not_ok "$name: a smaller load afterwards" "$(cat "$WORK/out")"; return; }
	PGHOST=$SMALL PGPORT=$SMALL_PORT exact_pg "$name: a smaller load afterwards" examples/backup full || return
	ok "$name: a table file that cannot grow: exit 1 with the server's message, no schema left; a load that fits then succeeds"
}

# A real full disk, where the test can make one: a 6 MB tmpfs (mounting
# needs root, as CI runs; otherwise it says it was not run).  The backup
# writer fills it: exit 1 naming the error, no directory left under either
# name; a tablespace on it fills during a load: exit 1, no schema left.
t_disk_full_real() {
	local name="a real full disk (a small tmpfs)" mnt="$WORK/tmpfs" owner
	if [ "$(id -u)" -ne 0 ] || ! { mkdir -p "$mnt" && mount -t tmpfs -o size=6m,mode=755 n2p-full "$mnt"; } 2>/dev/null; then
		echo "# not run: $name needs root to mount a tmpfs (the simulated full disk, t_disk_full, ran)"
		return
	fi
	gen_once
	run copy --no-compress "$WORK/g" "$mnt/backup"
	expect_fail "$name: writing a backup" "No space left on device" || { umount "$mnt"; return; }
	no_target_left "$mnt/backup" && [ -z "$(ls -A "$mnt")" ] ||
		{ not_ok "$name: writing a backup: something left" "$(ls -la "$mnt")"; umount "$mnt"; return; }
	owner=$(stat -c %U "$N2P_TEST_PGDIR/data")
	mkdir "$mnt/ts" && chown "$owner" "$mnt/ts"
	fresh_db it_full
	sql it_full "CREATE TABLESPACE n2p_full LOCATION '$mnt/ts'" >/dev/null
	PGOPTIONS="-c default_tablespace=n2p_full" run copy --typed=tables "$WORK/g" "$(conninfo it_full)"
	expect_fail "$name: a load" "No space left on device" "the target is unchanged" ||
		{ dropdb it_full; sql postgres "DROP TABLESPACE n2p_full" >/dev/null; umount "$mnt"; return; }
	[ "$(sql it_full "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'neo%'")" = 0 ] ||
		{ not_ok "$name: a load: a schema left"; }
	dropdb it_full
	sql postgres "DROP TABLESPACE n2p_full" >/dev/null
	umount "$mnt"
	ok "$name: writing a backup and a load into a tablespace on it: exit 1 with ENOSPC's message, no directory and no schema left"
}

t_crash_restart() {
	local name="the server crashed and restarted mid-COPY"
	gen_once
	small_start || { not_ok "$name: start a small server" "$(cat "$WORK/small.log")"; return; }
	PGHOST=$SMALL PGPORT=$SMALL_PORT createdb crash || { not_ok "$name: createdb"; return; }
	NEO2PG_TEST_FAULT=relationships:stop start_bg "$WORK/out" copy examples/backup "$(small crash)"
	wait_stopped "$bgpid" || { wait_bg; not_ok "$name: did not stop" "$(cat "$WORK/out")"; return; }
	test/pg_server.sh crash-restart "$SMALL" || { kill -9 "$bgpid"; not_ok "$name: restart"; return; }
	kill -CONT "$bgpid"
	wait_bg
	expect_fail "$name" "server closed the connection unexpectedly" "the target is unchanged" || return
	[ "$(PGHOST=$SMALL PGPORT=$SMALL_PORT sql crash "SELECT count(*) FROM pg_namespace WHERE nspname = 'neo4j'")" = 0 ] ||
		{ not_ok "$name: a schema left after recovery"; return; }
	run copy examples/backup "$(small crash)"
	[ "$rc" -eq 0 ] || { not_ok "$name: the rerun" "$(cat "$WORK/out")"; return; }
	PGHOST=$SMALL PGPORT=$SMALL_PORT exact_pg "$name: the rerun" examples/backup crash || return
	ok "$name: exit 1 with libpq's message, nothing after recovery, the rerun an exact copy"
}

# a target that is neither a directory nor a URI: what was expected, exit 2,
# nothing created, the text not echoed (it may hold a password)
t_bad_target() {
	local name="a target that is neither a directory nor a URI" t bin
	bin=$(realpath "$NEO2PG")
	for t in "mysql://u:S3cret@h/db" "neo4j:/x" "bolt:S3cret" "http://h/x"; do
		(cd "$WORK" && "$bin" copy "$OLDPWD/examples/backup" "$t" >"$WORK/out" 2>&1)
		rc=$?
		[ "$rc" -eq 2 ] && grep -qF "a Neo4j URI (bolt:// or neo4j://" "$WORK/out" &&
			grep -qF "a PostgreSQL URI (postgresql://...)" "$WORK/out" && ! grep -q "S3cret" "$WORK/out" &&
			[ -z "$(ls "$WORK" | grep -E '^(mysql|neo4j|bolt|http)')" ] ||
			{ not_ok "$name: $t: exit $rc" "$(cat "$WORK/out")" "$(ls "$WORK")"; return; }
	done
	: >"$WORK/a-file"
	run copy examples/backup "$WORK/a-file"
	expect_fail "$name: a file" "exists and is not a directory" || return
	# options of another kind of target, or malformed: refused before anything is opened
	fresh_db it_badopt
	for t in "--batch-size=5" "--append" "--batch-size=5x" "--chunk-rows=0" "--typed=table"; do
		run copy "$t" examples/backup "$(conninfo it_badopt)"
		[ "$rc" -eq 2 ] && schema_absent it_badopt || { not_ok "$name: $t: exit $rc" "$(cat "$WORK/out")"; return; }
	done
	ok "$name: exit 2 listing what a target may be, nothing created, nothing echoed; an existing file: exit 1; options for another target or malformed: exit 2, nothing loaded"
}

tests=("$@")
[ ${#tests[@]} -eq 0 ] && tests=(bad_target signal_load signal_backup signal_verify kill_rerun terminate_backend
	timeouts concurrent_load staging_locked disk_full disk_full_real crash_restart)
for t in "${tests[@]}"; do
	"t_$t"
done
echo "faults: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
