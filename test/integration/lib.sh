# Shared by the integration suites (run.sh, neo4j.sh): a work directory,
# the pass/fail counters and helpers.  Sourced from the repository's root.
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

check_typed() {
	psql -X -q -d "$1" -v ON_ERROR_STOP=1 -v schema="${3:-neo4j}" \
		-f test/integration/check_typed.sql <"$2" >"$WORK/check" 2>&1
}

# check_tables DB TABLES VIEWS: the typed tables of schema TABLES against
# the typed views of schema VIEWS (the same backup loaded twice)
check_tables() {
	psql -X -q -d "$1" -v ON_ERROR_STOP=1 -v tables="$2" -v views="$3" \
		-f test/integration/check_tables.sql >"$WORK/check" 2>&1
}

# load_views_and_tables DB BACKUP: load BACKUP into DB twice, schema v with
# --typed=views and schema t with --typed=tables
load_views_and_tables() {
	run copy -s v --typed=views "$2" "$(conninfo "$1")"
	[ "$rc" -eq 0 ] || return 1
	run copy -s t --typed=tables "$2" "$(conninfo "$1")"
	[ "$rc" -eq 0 ]
}


# same_layout_rows DB A B [true]: schemas A and B hold the same rows, every
# column, the same catalog and the same graph metadata in load_info; with
# true, the rows alone (check_same_rows.sql)
same_layout_rows() {
	psql -X -q -d "$1" -v ON_ERROR_STOP=1 -v a="$2" -v b="$3" -v only_rows="${4:-false}" \
		-f test/integration/check_same_rows.sql >"$WORK/check" 2>&1
}
