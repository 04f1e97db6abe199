#!/bin/bash
# Run the libFuzzer targets built by `make fuzz-build` (build-fuzz/fuzz).
#
#   test/fuzz/run.sh check [TARGET...]   each target over its seed corpus
#                                        (test/fuzz/corpus/TARGET), then
#                                        mutations up to FUZZ_RUNS (30000)
#                                        executions with a fixed seed
#   test/fuzz/run.sh time [TARGET...]    each target, one after the other,
#                                        for FUZZ_SECONDS (60), or until
#                                        FUZZ_RUNS executions if set
#
# The seed corpus is only read: what a run adds goes to a temporary
# directory, removed at the end.  An input that crashes a target is saved
# as build-fuzz/crashes/TARGET-crash-...; keep it as
# test/fuzz/corpus/TARGET/crash-NAME once the bug is fixed, so that every
# later check runs it.  The last line is "fuzz: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."

mode=${1:-check}
shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	for f in test/fuzz/fuzz_*.c; do
		t=${f#test/fuzz/fuzz_}
		targets+=("${t%.c}")
	done
fi

case $mode in
check) limit=(-runs="${FUZZ_RUNS:-30000}" -seed=1) ;;
time)
	limit=(-max_total_time="${FUZZ_SECONDS:-60}")
	[ -n "${FUZZ_RUNS:-}" ] && limit+=(-runs="$FUZZ_RUNS")
	;;
*)
	echo "usage: $0 check|time [TARGET...]" >&2
	exit 2
	;;
esac

export ASAN_OPTIONS="detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
work=$(mktemp -d /tmp/neo2pg-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p build-fuzz/crashes

passed=0
failed=0
for t in "${targets[@]}"; do
	bin=build-fuzz/fuzz/fuzz_$t
	log=$work/$t.log
	if [ ! -x "$bin" ] || [ ! -d "test/fuzz/corpus/$t" ]; then
		echo "fuzz $t: no target $bin or no corpus test/fuzz/corpus/$t"
		failed=$((failed + 1))
		continue
	fi
	mkdir -p "$work/$t"
	start=$(date +%s)
	"$bin" "${limit[@]}" -timeout=10 -print_final_stats=1 \
		-artifact_prefix="build-fuzz/crashes/$t-" \
		"$work/$t" "test/fuzz/corpus/$t" >"$log" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	edges=$(grep -oE 'cov: [0-9]+' "$log" | tail -1)
	if [ $rc -eq 0 ] && [ -n "$execs" ]; then
		echo "fuzz $t: ${execs} executions in ${secs} s (${edges:-cov: ?} edges), no crash"
		passed=$((passed + 1))
	else
		echo "fuzz $t: FAILED after ${execs:-?} executions (exit $rc)"
		grep -E 'ERROR|SUMMARY|check failed|runtime error|Test unit written|^    #[0-9]' "$log" | head -40
		failed=$((failed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
