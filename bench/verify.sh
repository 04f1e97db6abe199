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
# the median over the rounds; so is the processor time of verify (user +
# system, children included) over that of both reads together, which
# does not depend on how busy the machine is.  Peak memory is neo2pg's own report
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

# "wall processor" seconds of one run of "$@" (processor: user + system,
# sort(1)'s included; the machine is shared, so wall time varies with load)
timed() {
	local TIMEFORMAT='%R %U %S' t
	t=$( { time "$@" >/dev/null 2>"$OUT/verify.err"; } 2>&1)
	echo "$t" | awk '{ printf "%s %.2f\n", $1, $2 + $3 }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
div() { echo "$1 / $2" | bc -l; }

ratios=()
cpus=()
olds=()
oldcpus=()
for round in $(seq 0 "$ROUNDS"); do
	read -r ta ca < <(timed build/neo2pg inspect "$A")
	read -r tb cb < <(timed build/neo2pg inspect "$B")
	read -r tv cv < <(timed build/neo2pg verify -v "$A" "$B")
	peak=$(sed -n 's/.*peak memory: \([0-9]*\) kB/\1/p' "$OUT/verify.err")
	slow=$(echo "if ($ta > $tb) $ta else $tb" | bc)
	reads=$(echo "$ca + $cb" | bc)
	line=$(printf "read A %.2f s (%.2f s cpu), read B %.2f s (%.2f s cpu), verify %.2f s (%.2f s cpu): %.2f times the slower read, cpu %.2f times both reads', peak %d kB" \
		"$ta" "$ca" "$tb" "$cb" "$tv" "$cv" "$(div "$tv" "$slow")" "$(div "$cv" "$reads")" "$peak")
	if [ -n "${OLD:-}" ]; then
		read -r to co < <(timed "$OLD" verify "$A" "$B")
		line="$line; old verify $(printf %.2f "$to") s ($(printf %.2f "$co") s cpu): $(printf %.2f "$(div "$to" "$slow")") times, cpu $(printf %.2f "$(div "$co" "$reads")") times"
		[ "$round" -eq 0 ] || { olds+=("$(div "$to" "$slow")"); oldcpus+=("$(div "$co" "$reads")"); }
	fi
	if [ "$round" -eq 0 ]; then
		echo "warm-up: $line"
		continue
	fi
	echo "round $round: $line"
	ratios+=("$(div "$tv" "$slow")")
	cpus+=("$(div "$cv" "$reads")")
done
printf "median: verify takes %.2f times the slower read (target 1.5); its processor time %.2f times both reads'\n" \
	"$(printf '%s\n' "${ratios[@]}" | median)" "$(printf '%s\n' "${cpus[@]}" | median)"
[ -z "${OLD:-}" ] || printf "median: old verify %.2f times; its processor time %.2f times both reads'\n" \
	"$(printf '%s\n' "${olds[@]}" | median)" "$(printf '%s\n' "${oldcpus[@]}" | median)"
