#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Line and branch coverage of the test suite, measured with gcov and gcovr:
# builds the "coverage" preset (build/coverage), clears the counters, runs
# ctest there (less the fuzzer, which clang builds apart without gcov), and
# prints gcovr's summary for the simulator (tools/swmsi-sim/) and for the
# library (src/) separately. The per-file reports are left in
# build/coverage/coverage-sim.txt and coverage-src.txt.
# usage: coverage.sh [--check-sim LINES BRANCHES] [-- CTEST_ARGS...]
#   --check-sim L B  fail (exit 1) when the simulator's line coverage is
#                    under L% or its branch coverage under B%
#   CTEST_ARGS       more ctest arguments, e.g. -- -LE scheme
# Exit 0; 1 when a test failed or a --check-sim threshold is not met (the
# summaries are printed either way); 2 on a usage error or missing gcovr.
set -euo pipefail

usage() {
	sed -n '9,14p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}
check_lines='' check_branches=''
while [ $# -gt 0 ]; do
	case $1 in
	--check-sim)
		[ $# -ge 3 ] || usage
		check_lines=$2 check_branches=$3
		for v in "$2" "$3"; do
			[[ $v =~ ^[0-9]+(\.[0-9]+)?$ ]] || {
				echo "coverage: --check-sim wants two percentages, not '$v'" >&2
				exit 2
			}
		done
		shift 3
		;;
	--)
		shift
		break
		;;
	-h | --help) usage ;;
	*)
		echo "coverage: unknown argument '$1'" >&2
		usage
		;;
	esac
done

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$SWMSI_ROOT"
if ! command -v gcovr >/dev/null 2>&1; then
	echo "coverage: gcovr is not installed (bash tools/setup-deps.sh installs it)" >&2
	exit 2
fi
build=build/coverage
cmake --preset coverage >/dev/null
cmake --build --preset coverage
# Counters add up across runs: start from zero so the figures are this run's.
find "$build" -name '*.gcda' -delete
status=0
ctest --preset coverage -LE fuzz "$@" || status=1

# summary NAME DIR: gcovr over the sources under DIR; prints and keeps the
# summary, writes the per-file report to $build/coverage-NAME.txt.
summary() {
	local name=$1 dir=$2
	gcovr --root . --object-directory "$build" --filter "$dir/" \
		--exclude-unreachable-branches -j 2 --sort-percentage \
		--txt "$build/coverage-$name.txt" --print-summary >"$build/summary-$name.txt"
	echo "== coverage of $dir/ (per file: $build/coverage-$name.txt)"
	grep -E '^(lines|branches):' "$build/summary-$name.txt"
}
# percent NAME METRIC: the percentage gcovr printed, e.g. 91.3.
percent() {
	sed -n "s/^$2: \([0-9.]*\)%.*/\1/p" "$build/summary-$1.txt"
}
summary sim tools/swmsi-sim
summary src src

if [ -n "$check_lines" ]; then
	lines=$(percent sim lines) branches=$(percent sim branches)
	if awk -v a="$lines" -v b="$check_lines" -v c="$branches" -v d="$check_branches" \
		'BEGIN { exit !(a + 0 >= b + 0 && c + 0 >= d + 0) }'; then
		echo "coverage: the simulator meets ${check_lines}% of lines and ${check_branches}% of branches"
	else
		echo "coverage: the simulator has ${lines}% of lines (wants ${check_lines}%)" \
			"and ${branches}% of branches (wants ${check_branches}%)" >&2
		status=1
	fi
fi
[ $status = 0 ] || echo "coverage: a test failed or a threshold was not met (see above)" >&2
exit $status
