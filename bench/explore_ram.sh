#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/explore_ram.sh: what the guest's RAM costs swmsi-sim --explore.
# Explores examples/explore/01_native_two_groups.scn with one more line,
# "map ram 0x40000000 0x40000000 SIZE rw", for SIZE 2M and 256M, to depth
# DEPTH (default 4, 1,090 states) with --jobs 1, best of RUNS runs each
# (default 30: a run takes 20 ms, and the best of fewer moves with the
# machine's load), the two alternating, and
# prints distinct states per second of each and the ratio 256M / 2M. The
# mock maps RAM in block entries (docs/backend.md), so every state's replay
# of the map costs a handful of PTEs however big the RAM: --check exits 1
# when the ratio is under 0.8 (page by page it was 0.02). Not a test: the
# machine's load moves the figures. --quick explores to depth 2 once.
# usage: bash bench/explore_ram.sh [--check] [--quick] [--build DIR | BUILD_DIR] [DEPTH] [RUNS]
# BUILD_DIR defaults to build/release (tools/lib/common.sh).
set -euo pipefail
# shellcheck source=../tools/lib/common.sh
. "$(dirname "$0")/../tools/lib/common.sh"
check=0 quick=0
while :; do
	case ${1:-} in
	--check) check=1 ;;
	--quick) quick=1 ;;
	*) break ;;
	esac
	shift
done
swmsi_build_dir release "$@"
shift "$SWMSI_SHIFT"
build=$SWMSI_BUILD
depth=${1:-4}
runs=${2:-30}
if [ $quick = 1 ]; then
	depth=${1:-2} runs=${2:-1}
fi
sim=$build/tools/swmsi-sim/swmsi-sim
limit=0.8
swmsi_need "$sim"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# one SIZE: seconds and states of one run, its universe written once.
one() {
	local size=$1 scn=$tmp/ram_$1.scn out
	if [ ! -f "$scn" ]; then
		{
			cat "$SWMSI_ROOT/examples/explore/01_native_two_groups.scn"
			echo "map ram 0x40000000 0x40000000 $size rw"
		} >"$scn"
	fi
	out=$("$sim" --explore "$depth" --jobs 1 --json - "$scn" 2>/dev/null)
	python3 -c 'import json,sys; d=json.loads(sys.argv[1])
print(d["seconds"], d["states"])' "$out"
}
load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
# the two universes alternate, so that a burst of load hits both alike
s2="" s256=""
for ((i = 0; i < runs; i++)); do
	read -r s st2 < <(one 2M)
	if [ -z "$s2" ] || awk -v a="$s" -v b="$s2" 'BEGIN{exit !(a<b)}'; then s2=$s; fi
	read -r s st256 < <(one 256M)
	if [ -z "$s256" ] || awk -v a="$s" -v b="$s256" 'BEGIN{exit !(a<b)}'; then s256=$s; fi
done
if [ "$st2" != "$st256" ]; then
	echo "explore_ram.sh: the two universes explored $st2 and $st256 states" >&2
	exit 2
fi
awk -v a="$s2" -v b="$s256" -v st="$st2" -v d="$depth" -v r="$runs" -v ld="$load" \
	-v lim="$limit" 'BEGIN {
	printf "explore 01_native_two_groups + RAM, depth %d, --jobs 1, best of %d runs (load %s)\n", d, r, ld
	printf "  RAM   2M: %8.3f s  %9.0f states/s (%d states)\n", a, st / a, st
	printf "  RAM 256M: %8.3f s  %9.0f states/s\n", b, st / b
	x = a / b
	printf "  ratio 256M / 2M: %.2f (target >= %.1f): %s\n", x, lim, (x >= lim ? "met" : "MISSED")
	exit !(x >= lim)
}' && met=1 || met=0
if [ "$check" = 1 ] && [ "$met" = 0 ]; then
	exit 1
fi
