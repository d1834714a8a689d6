#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/explore.sh: what swmsi-sim --explore costs (docs/performance.md,
# "swmsi-sim --explore: what a state costs").
# Explores examples/explore/01_native_two_groups.scn to depth 6 (10,278
# distinct states, 65,160 transitions) with --jobs 1 and --jobs 2, best of
# RUNS runs each (default 5), and prints distinct states per second, per
# core, and the speed-up of two jobs, with the build's type and the load
# average it ran under. Not a test: the machine's load moves the figures
# (another build on a 2-core machine halves --jobs 2's); see
# docs/performance.md. BUILD_DIR defaults to build/release, as for every
# benchmark (tools/lib/common.sh); build/default (RelWithDebInfo: -O2
# -DNDEBUG) gives the same figures within noise.
# usage: bash bench/explore.sh [--build DIR | BUILD_DIR] [DEPTH] [RUNS]
set -euo pipefail
# shellcheck source=../tools/lib/common.sh
. "$(dirname "$0")/../tools/lib/common.sh"
swmsi_build_dir release "$@"
shift "$SWMSI_SHIFT"
here=$SWMSI_ROOT
build=$SWMSI_BUILD
depth=${1:-6}
runs=${2:-5}
sim=$build/tools/swmsi-sim/swmsi-sim
scn=$here/examples/explore/01_native_two_groups.scn
swmsi_need "$sim"

# best JOBS: the shortest of $runs runs, as "seconds states transitions".
best() {
	local j=$1 i out s st tr min=""
	for ((i = 0; i < runs; i++)); do
		out=$("$sim" --explore "$depth" --jobs "$j" --json - "$scn" 2>/dev/null)
		read -r s st tr < <(python3 -c 'import json,sys; d=json.loads(sys.argv[1])
print(d["seconds"], d["states"], d["transitions"])' "$out")
		if [ -z "$min" ] || awk -v a="$s" -v b="$min" 'BEGIN{exit !(a<b)}'; then
			min=$s
			echo "$s $st $tr" >"$tmp/best$j"
		fi
	done
	cat "$tmp/best$j"
}
type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
read -r s1 st tr < <(best 1)
read -r s2 _ _ < <(best 2)
awk -v s1="$s1" -v s2="$s2" -v st="$st" -v tr="$tr" -v d="$depth" -v ty="${type:-?}" \
	-v ld="$load" -v r="$runs" 'BEGIN {
	printf "explore: %s, depth %d: %d distinct states, %d transitions\n", "01_native_two_groups", d, st, tr
	printf "  build %s, best of %d runs, load average before: %s\n", ty, r, ld
	printf "  --jobs 1: %.3f s  %8.0f states/s  %8.0f transitions/s  %.1f us a transition\n", s1, st / s1, tr / s1, s1 / tr * 1e6
	printf "  --jobs 2: %.3f s  %8.0f states/s  (%.0f per core)  speed-up %.2fx\n", s2, st / s2, st / s2 / 2, s1 / s2
}'
