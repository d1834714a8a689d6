#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run the scenario fuzzer (built by the swmsi_fuzz_scenario target with
# clang's libFuzzer, ASan and UBSan) for a bounded time over a corpus seeded
# from examples/scenarios, the CLI tests' scenarios and tools/swmsi-sim/
# fuzz/seeds (large maps, 64K pages), their comment lines dropped so that
# every seed fits -max_len.
# usage: fuzz.sh FUZZER SRC_ROOT WORK_DIR
# SWMSI_FUZZ_SECONDS: how long to fuzz (default 10).
# Exit 77 (ctest: skipped) when FUZZER is empty: clang or its libFuzzer was
# not found at configure time.
set -euo pipefail
fuzzer=$1 work=$3
# The helper sits under the SRC_ROOT given, wherever this script is.
# shellcheck source=../lib/common.sh
. "$2/tools/lib/common.sh"
root=$SWMSI_ROOT
secs=${SWMSI_FUZZ_SECONDS:-10}
# fuzz_scenario.c's FUZZ_MAX_INPUT: a longer input is refused there.
max_len=4096
if [ -z "$fuzzer" ]; then
	echo "fuzz_scenario: no clang with libFuzzer at configure time, skipped"
	exit 77
fi
if [ ! -x "$fuzzer" ]; then
	echo "fuzz_scenario: $fuzzer is not built (the fuzz_scenario_build test builds it)" >&2
	exit 1
fi
case $secs in
'' | *[!0-9]* | 0)
	echo "fuzz_scenario: SWMSI_FUZZ_SECONDS must be a positive number of seconds, not '$secs'" >&2
	exit 1
	;;
esac
# Absolute paths: the fuzzer runs from WORK_DIR.
fuzzer=$(cd "$(dirname "$fuzzer")" && pwd)/$(basename "$fuzzer")
mkdir -p "$work/corpus"
# Seeds: the example scenarios, the CLI tests' own and the fuzzer's. The
# corpus stays between runs, so each run starts where the last one got to.
# Comment and blank lines say nothing to the parser; without them the
# longest example (01_domain_swap.scn, 4459 bytes) fits -max_len. A seed
# that still does not fit would be cut: that is an error, not a warning.
for f in "$root"/examples/scenarios/*.scn "$root"/tests/cli/scenarios/*.scn \
	"$root"/tools/swmsi-sim/fuzz/seeds/*.scn; do
	[ -f "$f" ] || continue
	seed=$work/corpus/$(basename "$f")
	grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$f" >"$seed" || true
	size=$(wc -c <"$seed")
	if [ "$size" -gt "$max_len" ]; then
		echo "fuzz_scenario: seed $f is $size bytes without comments, over -max_len=$max_len" >&2
		exit 1
	fi
done
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd "$work"
# libFuzzer reports a crash with exit 77 by default: ctest would call it "skipped".
exec "$fuzzer" -max_total_time="$secs" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
	-error_exitcode=1 -timeout_exitcode=1 \
	-dict="$root/tools/swmsi-sim/fuzz/scenario.dict" -print_final_stats=1 corpus
