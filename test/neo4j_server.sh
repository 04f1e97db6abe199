#!/bin/bash
# Start or stop a throwaway Neo4j Community 5.26 for the tests.
#
#   eval "$(test/neo4j_server.sh start DIR [OWNER_PID])"   prints export lines
#   test/neo4j_server.sh stop DIR
#
# The server is the embedded DBMS from Maven Central (test/neo4j/pom.xml),
# started by a small launcher on a free loopback port, with authentication
# (user neo4j, a random password in DIR/password) and TLS optional on the
# same port: DIR/tls/ca.crt is the test CA that signed the server's
# certificate, for the bolt+s:// tests.  The server also stops by itself
# when OWNER_PID (default: the caller) is gone.
set -eu

cmd=$1
dir=$2
owner=${3:-$PPID}
here=$(cd "$(dirname "$0")" && pwd)
pom=$here/neo4j/pom.xml

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# compile the launcher and resolve its classpath; the first run fetches
# about 116 MB of jars into ~/.m2
build() {
	local t=$here/neo4j/target
	if [ ! -f "$t/classpath.txt" ] || [ ! -f "$t/classes/neo2pg/TestServer.class" ] ||
		[ "$pom" -nt "$t/classpath.txt" ] ||
		[ "$here/neo4j/src/main/java/neo2pg/TestServer.java" -nt "$t/classes/neo2pg/TestServer.class" ]; then
		mvn -B -q -f "$pom" compile dependency:build-classpath \
			-Dmdep.outputFile="$t/classpath.txt" >"$dir/maven.log" 2>&1 ||
			{ tail -30 "$dir/maven.log" >&2; exit 1; }
	fi
	echo "$t/classes:$(cat "$t/classpath.txt")"
}

# a test CA and a server certificate it signed, for the name localhost only,
# so that bolt+s://127.0.0.1 tests a host that the certificate does not name
make_tls() {
	local t=$dir/tls
	mkdir -p "$t"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$t/ca.key" -out "$t/ca.crt" \
		-days 30 -subj "/CN=neo2pg test CA" >/dev/null 2>&1
	openssl req -newkey rsa:2048 -nodes -keyout "$t/server.key" -out "$t/server.csr" \
		-subj "/CN=localhost" >/dev/null 2>&1
	printf 'subjectAltName=DNS:localhost\n' >"$t/san.ext"
	openssl x509 -req -in "$t/server.csr" -CA "$t/ca.crt" -CAkey "$t/ca.key" -CAcreateserial \
		-out "$t/public.crt" -days 30 -extfile "$t/san.ext" >/dev/null 2>&1
	# Neo4j wants the key as PKCS#8 PEM
	openssl pkcs8 -topk8 -nocrypt -in "$t/server.key" -out "$t/private.key"
}

start() {
	mkdir -p "$dir"
	chmod 700 "$dir"
	local cp port pid i
	cp=$(build)
	make_tls
	port=$(free_port)
	(umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$dir/password")
	java -Xmx1g -XX:+UseParallelGC --add-opens=java.base/java.nio=ALL-UNNAMED \
		--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
		-cp "$cp" neo2pg.TestServer "$dir/home" "$port" "$dir/password" "$dir/tls" "$owner" \
		>"$dir/server.log" 2>&1 </dev/null &
	pid=$!
	echo "$pid" >"$dir/server.pid"
	for i in $(seq 1 1800); do
		grep -q '^READY ' "$dir/server.log" && break
		kill -0 "$pid" 2>/dev/null || { tail -30 "$dir/server.log" >&2; exit 1; }
		sleep 0.1
	done
	grep -q '^READY ' "$dir/server.log" || { echo "neo4j_server: not ready after 180 s" >&2; stop; exit 1; }
	echo "export N2P_TEST_NEO4J_PORT=$port N2P_TEST_NEO4J_DIR='$dir'"
	echo "export N2P_TEST_NEO4J_URI='bolt://127.0.0.1:$port'"
}

stop() {
	[ -f "$dir/server.pid" ] || exit 0
	local pid i
	pid=$(cat "$dir/server.pid")
	kill "$pid" 2>/dev/null || true
	for i in $(seq 1 300); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null || true
	rm -f "$dir/server.pid"
}

"$cmd"
