#!/bin/sh
# Install the Debian packages neo2pg needs to build and test, if missing.
# Runs apt-get as root, through "sudo -n" otherwise; never prompts.
set -eu

PKGS="gcc make libc6-dev libpq-dev libjansson-dev zlib1g-dev libssl-dev \
libcmocka-dev postgresql-15 postgresql-client-15 postgresql-server-dev-15 \
postgresql-15-postgis-3 python3 \
openssl openjdk-17-jdk-headless maven tzdata \
clang libfuzzer-14-dev libclang-rt-14-dev"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	SUDO="sudo -n"
else
	echo "install-deps: missing Debian packages:$missing" >&2
	echo "install-deps: run as root, or install them: apt-get install$missing" >&2
	exit 1
fi

echo "install-deps: installing$missing"
# The tests start their own throwaway clusters; Debian's default cluster
# would only take port 5432 and memory.
$SUDO mkdir -p /etc/postgresql-common
if [ ! -f /etc/postgresql-common/createcluster.conf ] ||
	! grep -q '^create_main_cluster' /etc/postgresql-common/createcluster.conf; then
	echo "create_main_cluster = false" | $SUDO tee -a /etc/postgresql-common/createcluster.conf >/dev/null
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
