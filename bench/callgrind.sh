#!/bin/sh
# SPDX-License-Identifier: MIT
# Instructions per operation of the hot paths, under callgrind: stable from
# one run to the next (no timing), so two commits compare exactly.
#   bench/callgrind.sh [--build DIR | BUILD_DIR]   (default build/release)
# Runs bench_hot --callgrind-ops (a fixed number of each operation after an
# untimed warm-up) and prints Ir per operation for each hot path.
set -eu
. "$(dirname "$0")/../tools/lib/common.sh"
swmsi_build_dir release "$@"
shift "$SWMSI_SHIFT"
dir=$SWMSI_BUILD
bin="$dir/bench/bench_hot"
swmsi_need "$bin"
command -v valgrind >/dev/null || { echo "callgrind.sh: valgrind not installed" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
n=10000
printf '%-34s %12s\n' "operation ($n each)" "Ir/op"
for op in pair-native pair-unused pair-kernel pair-dma replace-native replace-kernel \
	replace-dma fire-native; do
	valgrind --tool=callgrind --callgrind-out-file="$out/cg.$op" \
		--toggle-collect='bench_cg_measured' "$bin" --callgrind "$op" "$n" \
		>/dev/null 2>"$out/log.$op" || { cat "$out/log.$op" >&2; exit 2; }
	ir=$(callgrind_annotate "$out/cg.$op" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1; exit }')
	printf '%-34s %12.1f\n' "$op" "$(echo "$ir / $n" | bc -l)"
done
