#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run the uAPI fuzzer (built by the swmsi_fuzz_uapi target with clang's
# libFuzzer, ASan and UBSan) for a bounded time over a corpus seeded from
# tests/fuzz/seeds/uapi (the ABI-only program's requests, encoded by
# tests/fuzz/gen_uapi_seeds.py).
# usage: fuzz_uapi.sh FUZZER SRC_ROOT WORK_DIR
# SWMSI_FUZZ_SECONDS: how long to fuzz (default 10).
# Exit 77 (ctest: skipped) when FUZZER is empty: clang or its libFuzzer was
# not found at configure time.
set -euo pipefail
fuzzer=$1 root=$2 work=$3
secs=${SWMSI_FUZZ_SECONDS:-10}
# fuzz_uapi.c's FUZZ_MAX_INPUT: a longer input is refused there.
max_len=4096
if [ -z "$fuzzer" ]; then
	echo "fuzz_uapi: no clang with libFuzzer at configure time, skipped"
	exit 77
fi
if [ ! -x "$fuzzer" ]; then
	echo "fuzz_uapi: $fuzzer is not built (cmake --build --preset clang --target swmsi_fuzz_uapi)" >&2
	exit 1
fi
case $secs in
'' | *[!0-9]* | 0)
	echo "fuzz_uapi: SWMSI_FUZZ_SECONDS must be a positive number of seconds, not '$secs'" >&2
	exit 1
	;;
esac
fuzzer=$(cd "$(dirname "$fuzzer")" && pwd)/$(basename "$fuzzer")
mkdir -p "$work/corpus"
# The corpus stays between runs, so each run starts where the last one got to.
cp "$root"/tests/fuzz/seeds/uapi/* "$work/corpus/"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd "$work"
# libFuzzer reports a crash with exit 77 by default: ctest would call it "skipped".
exec "$fuzzer" -max_total_time="$secs" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
	-error_exitcode=1 -timeout_exitcode=1 -print_final_stats=1 corpus
