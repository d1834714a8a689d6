#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# swmsi-sim --random under one scheme: 50 seeds of 2,000 steps each must
# pass (every outcome the generator predicted holds under that scheme), and
# in each scenario at least half the steps must be library calls that
# succeed (not "=> ERR", not an expectation, not a fail_map).
# usage: random_schemes_test.sh SCHEME SIM_BINARY WORK_DIR [SEEDS [STEPS]]
# Exit 0 pass, 1 fail. Prints one line per scheme: seeds passed, and the
# smallest and mean share of successful calls.
set -uo pipefail

scheme=$1 sim=$2 work=$3 seeds=${4:-50} steps=${5:-2000}
rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 1

fail() {
	echo "FAIL ($scheme): $*" >&2
	[ -s err.txt ] && { echo "--- err.txt" >&2; tail -n 20 err.txt >&2; }
	exit 1
}

args=()
[ "$scheme" = native ] || args=(--scheme "$scheme")
# "calls steps" of a generated scenario: command lines, and those of them
# that are library calls expected to succeed.
count() {
	awk '/^(#|option |$)/ { next }
	     { n++ }
	     /^(expect|fail_map) / || / => / { next }
	     { ok++ }
	     END { printf "%d %d\n", ok, n }' "$1"
}

pass=0 min=100 sum=0
for seed in $(seq 1 "$seeds"); do
	"$sim" --quiet --seed "$seed" --random "$steps" "${args[@]}" --emit r.scn \
		>out.txt 2>err.txt
	status=$?
	[ "$status" -eq 0 ] || fail "seed $seed: exit status $status (replay: $work/r.scn)"
	read -r ok n < <(count r.scn)
	[ "$n" -eq "$steps" ] || fail "seed $seed: $n steps, not $steps"
	[ $((ok * 2)) -ge "$n" ] || fail "seed $seed: only $ok of $n steps are calls that succeed"
	pct=$((ok * 100 / n))
	[ "$pct" -lt "$min" ] && min=$pct
	sum=$((sum + pct))
	pass=$((pass + 1))
	if [ "$scheme" != native ]; then
		sed -n 2p r.scn | grep -qxF "option scheme $scheme" ||
			fail "seed $seed: no 'option scheme $scheme' on line 2"
		# options the scheme refuses, and strict (its findings are expected)
		grep -qE '^option (reclaim|max_msi_maps|strict)' r.scn &&
			fail "seed $seed: an option $scheme does not take"
	fi
done
# The emitted scenario replays as it is, without --scheme.
"$sim" --quiet r.scn >out.txt 2>err.txt || fail "seed $seeds does not replay without --scheme"
echo "$scheme: $pass/$seeds seeds of $steps steps pass; calls that succeed: min $min%, mean $((sum / seeds))%"
