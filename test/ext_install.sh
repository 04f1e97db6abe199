#!/bin/bash
# A throwaway installation of PostgreSQL 15 with the neo2pg extension in it,
# as PostgreSQL's own make check builds tmp_install: the tests need the
# extension in the server they start, and a non-root user cannot write
# into /usr.
#
#   test/ext_install.sh DIR     prints the tree's bindir (for PG_BINDIR)
#
# `make ext-install DESTDIR=DIR` puts the extension under DIR/<the server's
# paths>.  The server's executables are copied (not linked) into
# DIR/<bindir>: a server finds its share and lib directories relative to
# its own resolved path, so a symlink would send it back to /usr.  Every
# other file of the server's share and lib directories is a symlink to the
# real one, so PostGIS and the rest are found as before.
set -eu

dir=$1
cd "$(dirname "$0")/.."
PG_CONFIG=${PG_CONFIG:-pg_config}
bindir=$($PG_CONFIG --bindir)
sharedir=$($PG_CONFIG --sharedir)
pkglibdir=$($PG_CONFIG --pkglibdir)

mkdir -p "$dir"
make -s ext-install DESTDIR="$dir" PG_CONFIG="$PG_CONFIG" >"$dir/install.log" 2>&1 ||
	{ cat "$dir/install.log" >&2; exit 1; }

# link_tree REAL COPY: every entry of REAL that COPY lacks, as a symlink
link_tree() {
	local real=$1 copy=$2 e
	mkdir -p "$copy"
	for e in "$real"/* "$real"/.[!.]*; do
		[ -e "$e" ] || continue
		[ -e "$copy/${e##*/}" ] || ln -s "$e" "$copy/${e##*/}"
	done
}
link_tree "$sharedir" "$dir$sharedir"
link_tree "$sharedir/extension" "$dir$sharedir/extension"
link_tree "$pkglibdir" "$dir$pkglibdir"
mkdir -p "$dir$bindir"
for b in postgres initdb pg_ctl; do
	# through a new name: the tree may be serving a server already
	cp "$bindir/$b" "$dir$bindir/$b.new" && mv -f "$dir$bindir/$b.new" "$dir$bindir/$b"
done
link_tree "$bindir" "$dir$bindir"

# the server runs as "postgres" under root (test/pg_server.sh): it must be
# able to enter the tree, which mktemp made private
chmod -R go+rX "$dir"
echo "$dir$bindir"
