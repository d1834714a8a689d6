#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build the scenario fuzzer with clang's libFuzzer, ASan and UBSan, and run
# it for a bounded time over a corpus seeded from examples/scenarios.
# usage: fuzz.sh CLANG SRC_ROOT OUT_DIR SECONDS SOURCES...
# Exit 77 (ctest: skipped) when clang or its libFuzzer is not available.
set -euo pipefail
clang=$1 root=$2 out=$3 secs=$4
shift 4
if [ -z "$clang" ] || ! command -v "$clang" >/dev/null 2>&1; then
	echo "fuzz_scenario: clang not found, skipped"
	exit 77
fi
mkdir -p "$out/corpus"
bsd_flags=$(pkg-config --cflags --libs libbsd 2>/dev/null || echo -lbsd)
probe="$out/probe.c"
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$probe"
if ! "$clang" -fsanitize=fuzzer,address,undefined "$probe" -o "$out/probe" 2>/dev/null; then
	echo "fuzz_scenario: $clang has no libFuzzer, skipped"
	exit 77
fi
# shellcheck disable=SC2086
"$clang" -std=c17 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -D_POSIX_C_SOURCE=200809L -DSWMSI_STATIC \
	-I"$root/include" -I"$root/src" -I"$root/mock_iommu" -I"$root/tools/swmsi-sim" \
	"$@" $bsd_flags -lpthread -o "$out/fuzz_scenario"
# Seeds: the example scenarios and the CLI tests' own, plus the demo.
for f in "$root"/examples/scenarios/*.scn "$root"/tests/cli/scenarios/*.scn; do
	[ -f "$f" ] && cp "$f" "$out/corpus/"
done
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd "$out"
# libFuzzer reports a crash with exit 77 by default: ctest would call it "skipped".
exec ./fuzz_scenario -max_total_time="$secs" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
	-error_exitcode=1 -timeout_exitcode=1 \
	-dict="$root/tools/swmsi-sim/scenario.dict" -print_final_stats=1 corpus
