#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Tests of swmsi-sim --explore itself, one case a run.
# usage: explore_test.sh CASE SIM_BINARY SOURCE_DIR WORK_DIR
# Exit 0 pass, 1 fail, 77 skipped (a tool the case needs is missing).
set -uo pipefail

case=$1 sim=$2 src=$3 work=$4
ex=$src/examples/explore
tiny=$src/tests/cli/explore/tiny.scn
rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 1

fail() {
	echo "FAIL ($case): $*" >&2
	for f in out.txt err.txt; do
		[ -s "$f" ] && { echo "--- $f" >&2; head -n 40 "$f" >&2; }
	done
	exit 1
}
run() {
	"$sim" "$@" >out.txt 2>err.txt
	status=$?
}
expect_status() {
	[ "$status" -eq "$1" ] || fail "exit $status, expected $1 (args: $2)"
}
# The summary without what may differ between runs (time, --jobs).
summary() {
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
d.pop("seconds"); d["explore"].pop("jobs")
if d["violation"]:
	c = d["violation"]["counterexample"].splitlines()
	d["violation"]["counterexample"] = [l for l in c if not l.startswith("# found by:")]
print(json.dumps(d, sort_keys=True))' "$1"
}

case $case in
shortest_counterexample)
	# The lost MSI under dma-iommu takes three steps (attach, msi, replace):
	# no violation within two, and with a bound of five the one found is at
	# depth three, with three steps.
	run --explore 2 "$ex/02_dma_iommu_replace.scn"
	expect_status 0 "--explore 2"
	grep -q "no violation to depth 2" out.txt || fail "no 'no violation' line"
	run --explore 5 --counterexample cex.scn "$ex/02_dma_iommu_replace.scn"
	expect_status 1 "--explore 5"
	grep -q "violation at depth 3," out.txt || fail "not found at depth 3"
	n=$(sed -n '/^## the explorer.s steps/,$p' cex.scn | grep -vc '^#')
	[ "$n" -eq 3 ] || fail "the counterexample has $n steps, not 3"
	;;
counterexample_replays)
	# Written to a file, or to standard output (with the report as comments):
	# swmsi-sim on it exits 1 with the same violation.
	run --explore 3 --faults --counterexample cex.scn "$ex/04_kernel_failed_map.scn"
	expect_status 1 "--faults on 04"
	grep -q '^fail_map 1 ENOMEM$' cex.scn || fail "no fail_map line in the counterexample"
	grep -q '=> ENOMEM$' cex.scn || fail "the failing step has no '=> ENOMEM'"
	grep -q '^option strict$' cex.scn || fail "the counterexample does not set strict"
	run cex.scn
	expect_status 1 "replay of cex.scn"
	grep -q "failed-call-changes-nothing\|the call failed with ENOMEM but changed state" err.txt out.txt ||
		fail "the replay does not report the violation"
	run --explore 4 "$ex/03_kernel_slot_past_window.scn"
	expect_status 1 "--explore 4 on 03"
	cp out.txt stdout.scn
	run -q stdout.scn
	expect_status 1 "replay of standard output"
	grep -q "slot 2 lies outside its window" err.txt || fail "the replay does not report the slot"
	;;
jobs_agree)
	# The states, the transitions and the counterexample do not depend on --jobs.
	command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
	for args in "--explore 4 --faults $ex/01_native_two_groups.scn" \
		"--explore 5 $ex/02_dma_iommu_replace.scn" \
		"--explore 4 --faults $ex/04_kernel_failed_map.scn" \
		"--explore 4 --vectors 2 $ex/03_kernel_slot_past_window.scn"; do
		for j in 1 2 3; do
			# shellcheck disable=SC2086
			"$sim" $args --jobs $j --json j$j.json --counterexample c$j.scn >/dev/null 2>&1
			summary j$j.json >s$j.txt || fail "bad JSON for $args --jobs $j"
		done
		cmp -s s1.txt s2.txt && cmp -s s1.txt s3.txt || fail "--jobs changes the result of $args"
		if [ -f c1.scn ]; then
			grep -v '^# found by:' c1.scn >a.scn
			grep -v '^# found by:' c2.scn >b.scn
			cmp -s a.scn b.scn || fail "--jobs changes the counterexample of $args"
		fi
		rm -f c?.scn
	done
	;;
known_count)
	# tests/cli/explore/tiny.scn: nic (group 1, no window, so its vectors are
	# untranslated and nothing is ever mapped for them), the IOAS ram (its
	# automatic HWPT comes and goes with the attach), one doorbell, --vectors 1.
	# A state is (attached?, a live vector?): four states.
	#   depth 0: S00. Letters: attach, replace, detach, msi (no free: no
	#            vector) = 4 transitions; attach -> S10, msi -> S01 (replace
	#            and detach fail: S00 again).
	#   depth 1: S10: attach, replace, detach (-> S00), msi (-> S11) = 4;
	#            S01: attach (-> S11, the same new state), replace, detach,
	#            free (-> S00); no msi (one live vector on the doorbell) = 4.
	#   depth 2: S11: attach, replace, detach (-> S01), free (-> S10) = 4,
	#            nothing new.
	# So 3 states and 4 transitions within depth 1, 4 and 12 within 2, and
	# 4 and 16 within 3, all within depth 2. Vector handles are lowest-free,
	# so a vector freed and allocated again has handle 0 again. No step maps
	# anything, so --faults adds no transition (a fault variant whose fault
	# does not fire is the plain step).
	command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
	for want in "1 3 4 False" "2 4 12 False" "3 4 16 True"; do
		read -r d st tr ex_ <<<"$want"
		for f in "" --faults; do
			# shellcheck disable=SC2086
			run --explore "$d" $f --json j.json "$tiny"
			expect_status 0 "--explore $d $f"
			got=$(python3 -c 'import json,sys; d=json.load(open("j.json"))
print(d["states"], d["transitions"], d["exhausted"])')
			[ "$got" = "$st $tr $ex_" ] ||
				fail "--explore $d $f: states transitions exhausted = $got, expected $st $tr $ex_"
		done
	done
	run --explore 3 "$tiny"
	grep -q "every reachable state, 4 distinct states (all within depth 2" out.txt ||
		fail "the last line does not say the state space is exhausted at depth 2"
	;;
max_states)
	# The bound stops the search and the last line says which depth is complete.
	run --explore 6 --max-states 10 "$ex/01_native_two_groups.scn"
	expect_status 0 "--max-states 10"
	# The start and 9 of the states one step away: depth 0 is complete.
	grep -q "stopped at --max-states 10: depth 0 fully explored, depth 1 in part; 10 distinct states" out.txt ||
		fail "the last line does not say where it stopped"
	# Within depth 2 there are 64 states (--explore 2 finds them all).
	run --explore 2 "$ex/01_native_two_groups.scn"
	grep -q "no violation to depth 2: 64 distinct states" out.txt || fail "not 64 states within depth 2"
	run --explore 6 --max-states 100 "$ex/01_native_two_groups.scn"
	expect_status 0 "--max-states 100"
	grep -q "stopped at --max-states 100: depth 2 fully explored, depth 3 in part; 100 distinct states" out.txt ||
		fail "the last line does not say depth 2 is complete"
	;;
json_summary)
	command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
	run --explore 4 --json - "$ex/02_dma_iommu_replace.scn"
	expect_status 1 "--json -"
	python3 -c 'import json,sys; d=json.load(open("out.txt"))
v = d["violation"]
assert d["explore"]["depth"] == 4 and d["explore"]["scheme"] == "dma-iommu"
assert v["depth"] == 3 and v["invariant"] == "msi-reaches-doorbell", v
assert [s["command"].split()[0] for s in v["steps"]] == ["attach", "msi", "replace"], v["steps"]
assert v["replay_exit"] == 1 and v["counterexample"].count("option strict") == 1
' || fail "the JSON summary is not as expected"
	run --explore 2 --json - "$tiny"
	python3 -c 'import json; d=json.load(open("out.txt")); assert d["violation"] is None and d["states"] == 4' ||
		fail "the JSON summary of a clean run is not as expected"
	;;
no_progress_off_terminal)
	run --explore 4 "$ex/01_native_two_groups.scn"
	expect_status 0 "--explore 4"
	[ ! -s err.txt ] || fail "something on stderr that is not a terminal"
	;;
usage_errors)
	for args in "--explore 0 $tiny" "--explore -1 $tiny" "--explore x $tiny" "--explore 65 $tiny" \
		"--explore 2 $src/tests/cli/explore/nodevice.scn" "--faults $tiny" "--jobs 2 $tiny" \
		"--explore 2 --jobs 0 $tiny" "--explore 2 --vectors 0 $tiny" "--explore 2" \
		"--explore 2 --compare $tiny"; do
		# shellcheck disable=SC2086
		run $args
		expect_status 2 "$args"
		[ -s err.txt ] || fail "no message for $args"
	done
	grep -q "no device" <("$sim" --explore 2 "$src/tests/cli/explore/nodevice.scn" 2>&1) ||
		fail "a file without a device is not explained"
	;;
*)
	fail "unknown case"
	;;
esac
exit 0
