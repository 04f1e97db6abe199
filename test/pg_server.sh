#!/bin/bash
# Start or stop a throwaway PostgreSQL 15 for the tests.
#
#   eval "$(test/pg_server.sh start DIR)"   prints export lines (PGHOST, ...)
#   test/pg_server.sh stop DIR
#   test/pg_server.sh crash-restart DIR  (pg_ctl restart -m immediate: a crash)
#
# PG_INITDB_OPTS adds options to initdb (test/integration/faults.sh makes
# 1 MB WAL segments, to run a server under a small file size limit).
#
# The cluster listens on a Unix socket in DIR (trust) and on 127.0.0.1 at a
# free port (scram-sha-256, password in DIR/password, for the tests of
# password handling).  PostgreSQL refuses to run as root, so under root the
# server runs as the unprivileged "postgres" user (created if missing).
set -eu

cmd=$1
dir=$2
bindir=${PG_BINDIR:-$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)}
[ -x "$bindir/initdb" ] || bindir=/usr/lib/postgresql/15/bin

as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
	mkdir -p "$dir"
	if [ "$(id -u)" -eq 0 ]; then
		id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
		chown postgres "$dir"
	fi
	chmod 700 "$dir"
	local port pw
	port=$(free_port)
	pw=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
	printf '%s\n' "$pw" >"$dir/pwfile"
	[ "$(id -u)" -eq 0 ] && chown postgres "$dir/pwfile"
	as_pg "$bindir/initdb" -D "$dir/data" -U neo2pg_test --pwfile="$dir/pwfile" \
		-A trust --auth-host=scram-sha-256 -E UTF8 --no-locale --no-sync ${PG_INITDB_OPTS:-} >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 1; }
	rm -f "$dir/pwfile"
	cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_wal_size = 4GB
CONF
	as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
		{ cat "$dir/server.log" >&2; exit 1; }
	printf '%s\n' "$pw" >"$dir/password"
	chmod 600 "$dir/password"
	echo "export PGHOST='$dir' PGPORT=$port PGUSER=neo2pg_test PGDATABASE=postgres"
	echo "export N2P_TEST_PGDIR='$dir'"
}

stop() {
	[ -f "$dir/data/postmaster.pid" ] || exit 0
	as_pg "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
}

crash-restart() {
	as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m immediate -w -t 60 restart >/dev/null ||
		{ cat "$dir/server.log" >&2; exit 1; }
}

"$cmd"
