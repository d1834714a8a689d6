#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/picture.sh: how long swmsi-sim --svg takes to draw a large final
# state (the simulator's run, the DOT it writes and Graphviz's layout, all
# of it). Two scenarios of N devices (default 200), each in its own group
# with one vector, attached to one HWPT:
#   shared: every vector on one doorbell page (the groups fold into one node)
#   pages:  each vector on a doorbell page of its own (one slot each; no fold)
# Prints the best of RUNS runs (default 3) of each, the graph's node count
# and the SVG's size, with the load average it ran under. --check exits 1
# when a render takes 2 s or more. Not a test: other builds on the machine
# move the figures; rerun on a quiet one.
# --quick draws 20 devices once (the ctest bench_picture_quick).
# usage: bash bench/picture.sh [--check] [--quick] [--build DIR | BUILD_DIR] [N] [RUNS]
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
n=${1:-200}
runs=${2:-3}
if [ $quick = 1 ]; then
	n=${1:-20} runs=${2:-1}
fi
sim=$build/tools/swmsi-sim/swmsi-sim
limit=2
swmsi_need "$sim"
command -v dot >/dev/null 2>&1 || { echo "picture.sh: needs Graphviz's dot" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# scenario KIND: N devices, groups 0..N-1, one vector each.
scenario() {
	local i
	echo "option max_msi_maps $((n + 1))"
	echo "ioas a"
	echo "hwpt h a"
	for ((i = 0; i < n; i++)); do echo "device nic$i group=$i window=0x8000000:16M"; done
	for ((i = 0; i < n; i++)); do echo "attach nic$i h"; done
	for ((i = 0; i < n; i++)); do
		if [ "$1" = shared ]; then
			echo "msi nic$i q0 0x80000040"
		else
			printf 'msi nic%d q0 0x%x\n' "$i" $((0x80000000 + i * 4096 + 64))
		fi
	done
}

# best KIND: the shortest of $runs renders, in seconds.
best() {
	local i s e t min=""
	for ((i = 0; i < runs; i++)); do
		s=$(date +%s.%N)
		"$sim" -q --svg "$tmp/$1.svg" "$tmp/$1.scn" || { echo "picture.sh: $1 failed" >&2; exit 2; }
		e=$(date +%s.%N)
		t=$(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", e - s }')
		if [ -z "$min" ] || awk -v a="$t" -v b="$min" 'BEGIN{exit !(a<b)}'; then
			min=$t
		fi
	done
	echo "$min"
}

echo "picture: swmsi-sim --svg of $n devices, best of $runs runs, load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
worst=0
for kind in shared pages; do
	scenario $kind >"$tmp/$kind.scn"
	t=$(best $kind)
	"$sim" -q --dot "$tmp/$kind.dot" "$tmp/$kind.scn"
	nodes=$(grep -cE '^[[:space:]]+[a-z][a-z0-9_]* \[' "$tmp/$kind.dot")
	size=$(grep -m1 -o '^<svg width="[0-9]*pt" height="[0-9]*pt"' "$tmp/$kind.svg" |
		tr -dc '0-9 ' | awk '{ print $1 "x" $2 " pt" }')
	verdict=""
	if [ $check = 1 ]; then
		if awk -v t="$t" -v l="$limit" 'BEGIN{exit !(t<l)}'; then verdict="  (under ${limit} s: ok)"; else
			verdict="  (MISSED: ${limit} s or more)"
			worst=1
		fi
	fi
	printf '  %-6s %6s s  %4d nodes  %s%s\n' "$kind" "$t" "$nodes" "$size" "$verdict"
done
exit $worst
