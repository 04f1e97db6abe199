#!/bin/bash
# Benchmark of verify: its time against the slower of the two reads it
# compares, and its peak memory (the target: the slower read plus 50%,
# 64 MB).
#
#   bench/verify.sh [NODES]    (default 200000; twice as many relationships)
#   ROUNDS=N (default 3); OLD=path/to/neo2pg times another build's verify
#   in the same rounds
#
# Two backups of the same generated graph: A from tools/gen_backup.py, B
# its rewrite by `neo2pg copy A B` (other chunk files, other JSON).  Timed
# in each round, after a warm-up round that is not counted:
#   read A, read B   neo2pg inspect: each source read alone, no lines made;
#   verify           neo2pg verify A B (auto: by id, equal);
#   old              $OLD verify A B, when given.
# The ratio is taken within a round (verify over the slower read), then
# the median over the rounds.  Peak memory is neo2pg's own report
# (getrusage).  Generating is not timed.  Run by hand; no test depends on
# timings.
set -eu
cd "$(dirname "$0")/.."
NODES=${1:-200000}
RELS=$((2 * NODES))
ROUNDS=${ROUNDS:-3}
OUT=bench/out
mkdir -p "$OUT"

make -s all >/dev/null
A=$OUT/verify-a-$NODES
B=$OUT/verify-b-$NODES
if [ ! -d "$B" ]; then
	echo "generating $NODES nodes and $RELS relationships (not timed) ..."
	rm -rf "$A" "$B"
	python3 tools/gen_backup.py "$A" --nodes "$NODES" --rels "$RELS" --seed 5 >/dev/null
	build/neo2pg copy -q "$A" "$B" >/dev/null
fi

# seconds of one run of "$@"
timed() {
	local t0 t1
	t0=$(date +%s.%N)
	"$@" >/dev/null 2>"$OUT/verify.err"
	t1=$(date +%s.%N)
	echo "$t1 - $t0" | bc
}

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

ratios=()
olds=()
for round in $(seq 0 "$ROUNDS"); do
	ta=$(timed build/neo2pg inspect "$A")
	tb=$(timed build/neo2pg inspect "$B")
	tv=$(timed build/neo2pg verify -v "$A" "$B")
	peak=$(sed -n 's/.*peak memory: \([0-9]*\) kB/\1/p' "$OUT/verify.err")
	slow=$(echo "if ($ta > $tb) $ta else $tb" | bc)
	line=$(printf "read A %.2f s, read B %.2f s, verify %.2f s (%.2f times the slower read), peak %d kB" \
		"$ta" "$tb" "$tv" "$(echo "$tv / $slow" | bc -l)" "$peak")
	if [ -n "${OLD:-}" ]; then
		to=$(timed "$OLD" verify "$A" "$B")
		line="$line; old verify $(printf %.2f "$to") s ($(printf %.2f "$(echo "$to / $slow" | bc -l)") times)"
		[ "$round" -eq 0 ] || olds+=("$(echo "$to / $slow" | bc -l)")
	fi
	if [ "$round" -eq 0 ]; then
		echo "warm-up: $line"
		continue
	fi
	echo "round $round: $line"
	ratios+=("$(echo "$tv / $slow" | bc -l)")
done
printf "median: verify takes %.2f times the slower read (target 1.5)\n" \
	"$(printf '%s\n' "${ratios[@]}" | median)"
[ -z "${OLD:-}" ] || printf "median: old verify %.2f times\n" "$(printf '%s\n' "${olds[@]}" | median)"
