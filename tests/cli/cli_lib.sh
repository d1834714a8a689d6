#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What every swmsi-sim command-line test script shares: the arguments, a
# fresh work directory, the run and check helpers. Sourced by each
# cli_<concern>.sh, which take the same arguments:
#   SCRIPT CASE SIM_BINARY TESTS_CLI_DIR WORK_DIR
# Each script is one `case $case in` whose labels are the test cases:
# tests/cli/CMakeLists.txt reads them (swmsi_cli_cases), so a new case is
# written once, as its label.
# Exit 0 pass, 1 fail, 77 skipped (a tool the case needs is missing).
# SWMSI_UPDATE_GOLDEN=1 rewrites a golden file instead of comparing.
set -uo pipefail
# SWMSI_ROOT, the repository (the simulator and the tests' own directory
# come as arguments: ctest names the build's).
# shellcheck source=../../tools/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../tools/lib/common.sh"

case=$1 sim=$2 dir=$3 work=$4
rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 1
# Output must not depend on the caller's terminal settings.
unset NO_COLOR
export TERM=xterm

fail() {
	echo "FAIL ($case): $*" >&2
	for f in out.txt err.txt; do
		[ -s "$f" ] && { echo "--- $f" >&2; head -n 60 "$f" >&2; }
	done
	exit 1
}
skip() {
	echo "SKIP ($case): $*"
	exit 77
}

# run ARGS...: runs the simulator, stdout to out.txt, stderr to err.txt.
run() {
	"$sim" "$@" >out.txt 2>err.txt
	status=$?
}
# run_in DIR ARGS...: the same, from DIR (so relative paths show in messages).
run_in() {
	local d=$1
	shift
	(cd "$d" && "$sim" "$@") >out.txt 2>err.txt
	status=$?
}
expect_status() {
	[ "$status" -eq "$1" ] || fail "exit status $status, expected $1"
}
# The exact line must be on stderr.
expect_err_line() {
	grep -qxF -- "$1" err.txt || fail "stderr lacks the line: $1"
}
expect_err_count() {
	local n
	n=$(grep -cF -- "$1" err.txt)
	[ "$n" -eq "$2" ] || fail "stderr has $n lines with '$1', expected $2"
}
# The exact line must be on stdout.
expect_out_line() {
	grep -qxF -- "$1" out.txt || fail "stdout lacks the line: $1"
}
expect_out() {
	grep -qF -- "$1" out.txt || fail "stdout lacks: $1"
}
need() {
	command -v "$1" >/dev/null 2>&1 || skip "$1 is not installed"
}
json_check() {
	need python3
	python3 -m json.tool "$1" >/dev/null || fail "$1 is not valid JSON"
	python3 - "$@" <<'PY' || fail "JSON content check failed"
import json, sys
path, want_exit = sys.argv[1], int(sys.argv[2])
d = json.load(open(path))
assert d["tool"] == "swmsi-sim", d["tool"]
assert d["summary"]["exit"] == want_exit, d["summary"]
steps = d["steps"]
assert len(steps) == d["summary"]["steps"] + d["summary"]["skipped"], len(steps)
for s in steps:
    for k in ("line", "col", "command", "op", "expect", "result", "status",
              "changes", "journal", "violations"):
        assert k in s, (k, s)
    assert s["status"] in ("pass", "fail", "skipped"), s
fails = [s for s in steps if s["status"] == "fail"]
assert len(fails) == d["summary"]["failed_expectations"], fails
f = d["final"]
for k in ("ioas", "hwpts", "devices", "msi_maps", "domains"):
    assert isinstance(f[k], list), k
for m in f["msi_maps"]:
    assert int(m["iova"], 16) == int(m["window"], 16) + m["slot"] * (1 << d["options"]["page_shift"]), m
PY
}

# The example scenarios, and the golden scenario of cli_golden_timeline.
# shellcheck disable=SC2034 # used by the scripts that source this one
ex=$SWMSI_ROOT/examples/scenarios
# shellcheck disable=SC2034
golden=$dir/scenarios/golden.scn

# A small scenario most error cases build on.
base() {
	cat <<'EOF'
ioas a
hwpt h a
device nic group=1 window=0x8000000:1M
attach nic h
msi nic q0 0x8090040
EOF
}
