#!/bin/sh
# SPDX-License-Identifier: MIT
# Every benchmark of bench/benchmarks.txt (API.md's Cost targets, the
# simulator's step and picture), on a Release build, each with its own
# output:
#   bench/run-all.sh [--check] [--quick] [--no-build] [--build DIR]
# Configures and builds the `release` preset (-O3 -DNDEBUG) first unless
# --no-build (with --build DIR: builds DIR, already configured), then runs
# each benchmark in the list's order with the options given; a script
# (bench/picture.sh: swmsi-sim --svg of 200 devices under 2 s) runs where
# the tools and dot are. With --check it exits 1 when any program misses a
# target (each says which in its output), 2 when a benchmark itself failed.
# Other engineers' builds skew the timings: run it on a quiet machine, and
# rerun when bench_fire's private-work column says the CPUs did not run two
# threads.
set -u
. "$(dirname "$0")/../tools/lib/common.sh"
cd "$SWMSI_ROOT" || exit 2
build=1
opts=
dir=
while [ $# -gt 0 ]; do
	case $1 in
	--no-build) build=0 ;;
	--check | --quick) opts="$opts $1" ;;
	--build | --build=*)
		swmsi_build_dir release "$@"
		shift "$SWMSI_SHIFT"
		dir=$SWMSI_BUILD
		continue
		;;
	*) echo "usage: bench/run-all.sh [--check] [--quick] [--no-build] [--build DIR]" >&2; exit 2 ;;
	esac
	shift
done
if [ -z "$dir" ]; then
	swmsi_build_dir release
	dir=$SWMSI_BUILD
fi
if [ $build = 1 ]; then
	if [ "$dir" = "$SWMSI_ROOT/build/release" ]; then
		{ cmake --preset release >/dev/null && cmake --build --preset release >/dev/null; }
	else
		cmake --build "$dir" >/dev/null
	fi || { echo "run-all.sh: the build of $dir failed" >&2; exit 2; }
fi
worst=0
summary=
# shellcheck disable=SC2013 # one word a line is wanted
for line in $(sed -n 's/^\([a-z][a-z0-9_]*\)[[:space:]][[:space:]]*\([a-z]*\).*/\1:\2/p' bench/benchmarks.txt); do
	b=${line%%:*} kind=${line#*:}
	if [ "$kind" = script ]; then
		# swmsi-sim timed: it needs the tools and Graphviz's dot.
		[ -x "$dir/tools/swmsi-sim/swmsi-sim" ] && command -v dot >/dev/null 2>&1 || continue
		echo "=== $b.sh$opts"
		# shellcheck disable=SC2086 # opts is a list of flags
		bash "bench/$b.sh" $opts --build "$dir"
	else
		[ -x "$dir/bench/$b" ] || { [ "$kind" = sim ] && continue; }
		echo "=== $b$opts"
		# shellcheck disable=SC2086 # opts is a list of flags
		"$dir/bench/$b" $opts
	fi
	rc=$?
	echo
	[ $rc -gt $worst ] && worst=$rc
	case $rc in
	0) case $opts in *--check*) summary="$summary$b: passed\n" ;; *) summary="$summary$b: ran (no --check)\n" ;; esac ;;
	1) summary="$summary$b: MISSED a target\n" ;;
	*) summary="$summary$b: FAILED (exit $rc)\n" ;;
	esac
done
printf "=== summary%s\n$summary" "$opts"
exit $worst
