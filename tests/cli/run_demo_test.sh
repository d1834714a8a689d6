#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tools/run-demo.sh works from any directory: the scenario and output paths
# given to it are relative to the caller's directory (here a directory with
# a space in its name, away from the source tree), and it installs only what
# building needs (setup-deps.sh's "demo" set has no clang or valgrind).
# SWMSI_SIM points run-demo.sh at the simulator under test, so that the test
# neither installs nor builds.
# usage: run_demo_test.sh SIM_BINARY SOURCE_ROOT WORK_DIR
# Exit 0 pass, 1 fail.
set -uo pipefail

sim=$1 root=$2 work=$3
fail() {
	echo "FAIL (run_demo): $*" >&2
	for f in out.txt err.txt; do
		[ -s "$f" ] && { echo "--- $f" >&2; head -n 40 "$f" >&2; }
	done
	exit 1
}

sim=$(cd "$(dirname "$sim")" && pwd)/$(basename "$sim")
root=$(cd "$root" && pwd)
rm -rf "$work"
mkdir -p "$work/a b/x" "$work/a b/sub" || exit 1
work=$(cd "$work" && pwd)
cp "$root/examples/scenarios/01_domain_swap.scn" "$work/a b/x/my.scn" || exit 1
cd "$work/a b/sub" || exit 1
export SWMSI_SIM=$sim

# The script named by a relative path, the scenario and outputs too.
demo=$(realpath --relative-to=. "$root/tools/run-demo.sh")
outputs=(--json out.json --dot out.dot)
command -v dot >/dev/null 2>&1 && outputs+=(--svg out.svg)
bash "$demo" ../x/my.scn "${outputs[@]}" >out.txt 2>err.txt
status=$?
[ "$status" -eq 0 ] || fail "exit status $status, expected 0"
grep -qF '../x/my.scn' out.txt || fail "the timeline does not name ../x/my.scn"
for f in out.json out.dot ${outputs[4]:+out.svg}; do
	[ -s "$f" ] || fail "$f was not written in the caller's directory"
	[ -e "$root/$f" ] && fail "$f was written in the source root"
done

# A missing scenario is reported with the caller's path, exit 2.
bash "$root/tools/run-demo.sh" ../x/missing.scn >out.txt 2>err.txt
status=$?
[ "$status" -eq 2 ] || fail "a missing scenario: exit status $status, expected 2"
grep -qF '../x/missing.scn: cannot read' err.txt || fail "the missing scenario is not named as given"

# The demo installs what building needs, the tests everything.
setup=$root/tools/setup-deps.sh
bash "$setup" --list demo >demo.txt || fail "setup-deps.sh --list demo failed"
for p in cmake gcc libbsd-dev libcmocka-dev graphviz; do
	grep -qxF "$p" demo.txt || fail "the demo set lacks $p"
done
for p in clang valgrind clang-format gcovr doxygen python3-jsonschema; do
	grep -qxF "$p" demo.txt && fail "the demo set installs $p, which only the tests need"
done
bash "$setup" --list >test.txt || fail "setup-deps.sh --list failed"
for p in gcovr doxygen clang valgrind clang-format python3-jsonschema; do
	grep -qxF "$p" test.txt || fail "the test set lacks $p"
done
SWMSI_SETUP_EXTRAS=0 bash "$setup" --list test | grep -qxF clang &&
	fail "SWMSI_SETUP_EXTRAS=0 still installs clang"
bash "$setup" --list nonsense >/dev/null 2>&1 && fail "an unknown set is accepted"
grep -qF 'setup-deps.sh" demo' "$root/tools/run-demo.sh" ||
	fail "run-demo.sh does not ask setup-deps.sh for the demo set"
grep -q 'setup-deps.sh$' "$root/tools/run-tests.sh" ||
	fail "run-tests.sh no longer installs the full test set"
echo "run_demo: ok"
