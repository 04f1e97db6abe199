# Sourced by the benchmarks: a throwaway server with a database "bench",
# stopped and removed on exit, and the helpers the timings use.

PGDIR=$(mktemp -d /tmp/neo2pg-bench.XXXXXX)
trap 'test/pg_server.sh stop "$PGDIR"; rm -rf "$PGDIR"' EXIT
eval "$(test/pg_server.sh start "$PGDIR")"
export PGHOST PGPORT PGUSER PGDATABASE
createdb bench

q() { psql -X -q -At -d bench -v ON_ERROR_STOP=1 "$@"; }
now() { date +%s.%N; }
# processor time the whole machine spent busy (user, system, interrupts;
# not idle, iowait or steal), in jiffies: with every processor busy, wall
# time follows the work done, and this measures the work itself
busy() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8; exit}' /proc/stat; }
HZ=$(getconf CLK_TCK)

# autovacuum's analyze of the last load would run during the next timing
q -c "ALTER SYSTEM SET autovacuum = off" -c "SELECT pg_reload_conf()" >/dev/null

# One load of $BACKUP into an empty schema; prints "seconds core-seconds".
# Dropping the previous run's tables (400 MB after --typed=tables) is not
# timed.
timed_load() {
	local bin=$1 mode=$2 log=$3 t0 t1 c0 c1
	q -c "DROP SCHEMA IF EXISTS neo4j CASCADE" -c "CHECKPOINT" 2>/dev/null
	c0=$(busy)
	t0=$(now)
	"$bin" -v copy --replace --typed="$mode" "$BACKUP" "dbname=bench" 2>"$log" ||
		{ echo "$bin --typed=$mode failed: see $log" >&2; exit 1; }
	t1=$(now)
	c1=$(busy)
	q -c "CHECKPOINT"
	python3 -c "print($t1 - $t0, ($c1 - $c0) / $HZ)"
}
