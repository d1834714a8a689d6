#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# One examples/explore universe as a ctest: the explorer gives the result
# the universe's header states, and a counterexample replays with exit 1.
# usage: check.sh SIM FILE WORK_DIR EXPECT [EXPLORER ARGS...]
#   EXPECT: "none" (exit 0, no violation), or "DEPTH INVARIANT" (exit 1, the
#   first violation at DEPTH breaks INVARIANT, and swmsi-sim on the
#   counterexample exits 1 naming it).
set -uo pipefail
sim=$1 file=$2 work=$3 expect=$4
shift 4
rm -rf "$work" && mkdir -p "$work" || exit 1
cex=$work/counterexample.scn

"$sim" "$@" --counterexample "$cex" "$file" >"$work/out.txt" 2>"$work/err.txt"
status=$?
cat "$work/out.txt"
fail() {
	echo "FAIL: $*" >&2
	cat "$work/err.txt" >&2
	exit 1
}
if [ "$expect" = none ]; then
	[ "$status" -eq 0 ] || fail "expected no violation (exit 0), got exit $status"
	grep -q "no violation" "$work/out.txt" || fail "the last line does not say 'no violation'"
	exit 0
fi
read -r depth inv <<<"$expect"
[ "$status" -eq 1 ] || fail "expected a violation (exit 1), got exit $status"
grep -q "violation at depth $depth," "$work/out.txt" || fail "expected the violation at depth $depth"
grep -q "\[$inv\]" "$work/out.txt" || fail "expected invariant $inv"
[ -s "$cex" ] || fail "no counterexample written"
"$sim" -q "$cex" >"$work/replay.txt" 2>&1
rs=$?
cat "$work/replay.txt"
[ "$rs" -eq 1 ] || fail "the counterexample replays with exit $rs, not 1"
grep -q "$inv\|$(sed -n 's/^explore: \[[^]]*\] //p' "$work/out.txt" | head -c 40)" "$work/replay.txt" ||
	fail "the replay does not report $inv"
exit 0
