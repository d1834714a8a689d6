#!/bin/sh
# SPDX-License-Identifier: MIT
# Every benchmark of issue 12 and of API.md's Cost targets, on a Release
# build, each with its own output:
#   bench/run-all.sh [--check] [--quick] [--no-build]
# Configures and builds the `release` preset (-O3 -DNDEBUG) first unless
# --no-build, then runs bench_msi_lookup, bench_replace, bench_memory,
# bench_hot, bench_fire, and swmsi-sim's bench_sim_step and bench_sim_scale
# (what a simulator step costs as the context and the MSI table grow) with
# the options given, and bench/picture.sh (swmsi-sim --svg of 200 devices
# under 2 s) where the tools and dot are. With --check it exits 1
# when any program misses a target (each says which in its output), 2 when
# a benchmark itself failed. Other engineers' builds skew the timings: run
# it on a quiet machine, and rerun when bench_fire's private-work column
# says the CPUs did not run two threads.
set -u
cd "$(dirname "$0")/.."
build=1
opts=
for a in "$@"; do
	case $a in
	--no-build) build=0 ;;
	--check | --quick) opts="$opts $a" ;;
	*) echo "usage: bench/run-all.sh [--check] [--quick] [--no-build]" >&2; exit 2 ;;
	esac
done
if [ $build = 1 ]; then
	{ cmake --preset release >/dev/null && cmake --build --preset release >/dev/null; } ||
		{ echo "run-all.sh: the release build failed" >&2; exit 2; }
fi
worst=0
summary=
for b in bench_msi_lookup bench_replace bench_memory bench_hot bench_fire bench_sim_step bench_sim_scale; do
	echo "=== $b$opts"
	# shellcheck disable=SC2086 # opts is a list of flags
	build/release/bench/$b $opts
	rc=$?
	echo
	[ $rc -gt $worst ] && worst=$rc
	case $rc in
	0) case $opts in *--check*) summary="$summary$b: passed\n" ;; *) summary="$summary$b: ran (no --check)\n" ;; esac ;;
	1) summary="$summary$b: MISSED a target\n" ;;
	*) summary="$summary$b: FAILED (exit $rc)\n" ;;
	esac
done
# swmsi-sim --svg of 200 devices (needs the tools and Graphviz's dot).
if [ -x build/release/tools/swmsi-sim/swmsi-sim ] && command -v dot >/dev/null 2>&1; then
	echo "=== picture.sh"
	case $opts in *--check*) pcheck=--check ;; *) pcheck= ;; esac
	# shellcheck disable=SC2086 # pcheck is empty or one flag
	bash bench/picture.sh $pcheck build/release
	rc=$?
	echo
	[ $rc -gt $worst ] && worst=$rc
	case $rc in
	0) summary="${summary}picture.sh: ran\n" ;;
	1) summary="${summary}picture.sh: MISSED a target\n" ;;
	*) summary="${summary}picture.sh: FAILED (exit $rc)\n" ;;
	esac
fi
printf "=== summary%s\n$summary" "$opts"
exit $worst
