#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# swmsi-sim command-line cases that reach what the others leave out: the
# findings and lost or misrouted vectors --compare shows under the schemes
# known to break invariants (the example scenarios 13, 14 and 16).
# usage: cli_cov.sh CASE SIM_BINARY TESTS_CLI_DIR WORK_DIR
# Exit 0 pass, 1 fail, 77 skipped; see cli_lib.sh.
# shellcheck source=cli_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh"

ex=$dir/../../examples/scenarios
# The exact line must be on stdout.
expect_out_line() {
	grep -qxF -- "$1" out.txt || fail "stdout lacks the line: $1"
}

case $case in
compare_names_each_broken_invariant_once)
	# A step that breaks an invariant for several vectors names it once.
	run --compare "$ex/14_kernel_64k_17th_doorbell.scn"
	expect_status 0
	expect_out_line "         kernel     ok  msg 0x8100040 (map 16, slot 16)  [2 findings: slot-in-window, msg-in-window]"
	expect_out_line "         dma-iommu  ok  msg 0x8100040 (through hw's cookie)  [1 finding: slot-in-window]"
	# ... on the step where they start: the fire after it breaks nothing new.
	expect_out_line "         kernel     ok  -> 0x20210040, its doorbell"
	run --compare "$ex/13_dma_iommu_misroute.scn"
	expect_status 0
	expect_out_line "         dma-iommu  ok  [4 findings: msi-reaches-doorbell, cookie-maps-vector]"
	expect_out_line "                      nic q0 MISROUTED -> 0x80a0040, nic q1 MISROUTED -> 0x8090040"
	;;
compare_shows_lost_vectors_and_failed_expectations)
	# Under dma-iommu the failed replace succeeds and loses both vectors;
	# the file (kernel) expects ENOMEM, so that column fails it.
	run --compare "$ex/16_kernel_failed_replace_leaves_pages.scn"
	expect_status 0
	expect_out_line "         kernel     ENOMEM  [1 finding: failed-call-changes-nothing]"
	expect_out_line "         dma-iommu  ok  [fails the file's expectation]  [4 findings: msi-reaches-doorbell, cookie-maps-vector]"
	expect_out_line "                      nic q0 LOST, nic q1 LOST"
	# The findings the replace started still hold at the fires: not said again.
	expect_out_line "         dma-iommu  LOST (EFAULT: nothing translates it)  [fails the file's expectation]"
	;;
compare_json_names_findings_and_fates)
	need python3
	run --compare --json c.json "$ex/13_dma_iommu_misroute.scn"
	expect_status 0
	python3 - c.json <<'PY' || fail "compare JSON check failed"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["judged"] == "dma-iommu", d["judged"]
rep = [s for s in d["steps"] if s["command"] == "replace nic hb"]
assert len(rep) == 1, rep
r = rep[0]["results"]["dma-iommu"]
assert rep[0]["differs"] is True, rep
assert r["findings"] == 4 and r["violations"] == 0, r
assert r["finding_names"] == ["msi-reaches-doorbell", "cookie-maps-vector"], r
assert r["lost_or_misrouted"] == [
    {"device": "nic", "vector": "q0", "fate": "misrouted", "errno": None, "landed": "0x80a0040"},
    {"device": "nic", "vector": "q1", "fate": "misrouted", "errno": None, "landed": "0x8090040"},
], r
assert r["lost_or_misrouted_total"] == 2, r
assert r["status"] == "pass" and r["errno"] is None, r
assert r["text"].startswith("ok"), r
n = rep[0]["results"]["native"]
assert n["finding_names"] == [] and n["lost_or_misrouted"] == [], rep
# An msi's answer as data: its message address and what translates it.
msi = [s for s in d["steps"] if s["command"] == "msi gpu v0 0x80a0040"][0]["results"]
assert msi["native"]["msg_addr"] == "0x8001040", msi
assert msi["native"]["translated"] is True, msi
assert (msi["native"]["map_id"], msi["native"]["slot"]) == (1, 1), msi
assert msi["dma-iommu"]["cookie"] == "hb" and "map_id" not in msi["dma-iommu"], msi
assert d["summary"]["schemes"]["dma-iommu"]["judged"] is True, d["summary"]
# and each run's own step says it too
for sch, want in (("native", {"map_id": 1, "slot": 1}), ("dma-iommu", {"cookie": "hb"})):
    st = [s for s in d["runs"][sch]["steps"] if s["command"] == "msi gpu v0 0x80a0040"][0]
    assert st["translated"] is True and all(st[k] == v for k, v in want.items()), st
assert d["summary"]["differ"] == sum(s["differs"] for s in d["steps"]), d["summary"]
PY
	;;
every_expectation_failure_says_why)
	# -k: every failed expectation on stderr, each with what was seen.
	# Line numbers count the scenario's comment line.
	run -k "$dir/scenarios/expect_failures.scn"
	expect_status 1
	f=$dir/scenarios/expect_failures.scn
	while IFS= read -r line; do
		expect_err_line "$f:$line"
	done <<'LINES'
10:1: expectation failed: expect untranslated nic q0: nic q0 is translated to 0x8000040 (doorbell 0x8090040)
12:1: expectation failed: expect same nic q0 nic q1: nic q0 is at 0x8000040 but nic q1 at 0x8001040
13:1: expectation failed: expect differ-page nic q0 nic q0: nic q0 and nic q0 share the page 0x8000000
14:1: expectation failed: expect same-page nic q0 nic q1: nic q0 is on page 0x8000000 but nic q1 on page 0x8001000
16:1: expectation failed: expect iova nic q1 0x8001040: nic q1 is not an allocated vector
17:1: expectation failed: expect same nic q0 nic q1: nic q1 is not an allocated vector
18:1: expectation failed: expect untranslated nic q1: nic q1 is not an allocated vector
19:1: expectation failed: expect fires nic q1 0x8091040: nic q1 is not an allocated vector
20:1: expectation failed: expect mapped a 0x8000000 0x8090000: 'a' is not a live HWPT (the IOAS has no automatic HWPT)
22:1: expectation failed: expect mapped b 0x8000000 0x8090000: 'b' is not a live HWPT (the IOAS has no automatic HWPT)
23:1: expectation failed: expect unmapped h 0x8000000: 0x8000000 translates to 0x8090000 in h
24:1: expectation failed: expect mapped h 0x8000000 0x8091000: 0x8000000 translates to 0x8090000 in h, expected 0x8091000
25:1: expectation failed: expect mapped h 0x9000000 0x8091000: 0x9000000 does not translate in h (ENOENT)
26:1: expectation failed: expect fires nic q0 0x8091040: nic q0 lands at 0x8090040, expected 0x8091040
29:1: expectation failed: expect fires nic q0 0x8090040: nic q0 does not land: EFAULT, expected it at 0x8090040
LINES
	expect_err_count "expectation failed" 15
	tail -n 1 out.txt | grep -qxF "FAIL: 28 steps, 15 failed expectations, 0 invariant violations" ||
		fail "wrong summary: $(tail -n 1 out.txt)"
	run -k "$dir/scenarios/expect_auto_hwpt.scn"
	expect_status 1
	f=$dir/scenarios/expect_auto_hwpt.scn
	expect_err_line "$f:7:1: expectation failed: expect unmapped a 0x8000000: 0x8000000 translates to 0x8090000 in a"
	expect_err_line "$f:9:1: expectation failed: expect iova gpu v0 0x8000040: gpu v0 is not an allocated vector"
	expect_err_count "expectation failed" 2
	;;
compare_strict_counts_violations)
	# --strict: what the schemes break are violations, the judged run
	# (the file's kernel) fails, and JSON to standard output says so.
	run --compare --strict "$ex/14_kernel_64k_17th_doorbell.scn"
	expect_status 1
	expect_out_line "         kernel     ok  msg 0x8100040 (map 16, slot 16)  [2 invariant violations]"
	expect_out_line "         dma-iommu  ok  msg 0x8100040 (through hw's cookie)  [1 invariant violation]"
	expect_err_line "$ex/14_kernel_64k_17th_doorbell.scn:46:1: invariant violated after 'msi dev d16 0x20210040': MSI map 16: slot 16 lies outside its window 0x8000000 (16 pages)"
	need python3
	run --compare --strict --json - "$ex/14_kernel_64k_17th_doorbell.scn"
	expect_status 1
	python3 - out.txt <<'PY' || fail "compare JSON on stdout check failed"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["judged"] == "kernel" and d["summary"]["exit"] == 1, d["summary"]
s = [s for s in d["steps"] if s["line"] == 46][0]["results"]
assert s["kernel"]["violations"] == 2 and s["kernel"]["findings"] == 0, s
assert s["dma-iommu"]["violations"] == 1 and s["native"]["violations"] == 0, s
PY
	;;
compare_one_line_when_every_scheme_loses_alike)
	# A vector that no scheme can deliver (stage 1 maps nothing): the
	# schemes agree, one "all" line says it, and its loss once.
	run --compare "$dir/scenarios/lost_under_every_scheme.scn"
	expect_status 0
	expect_out_line "         all        LOST (EFAULT: nothing translates it)"
	expect_out_line "         dma-iommu  ok  msg 0x8090040 untranslated"
	[ "$(grep -cxF "                      gpu v0 LOST" out.txt)" -eq 3 ] ||
		fail "each scheme does not name the lost vector once"
	tail -n 1 out.txt | grep -qxF "PASS: 1 step differs between the schemes; exit status from native" ||
		fail "wrong last line: $(tail -n 1 out.txt)"
	;;
outputs_failing_at_close_say_why)
	# A device that accepts the open and fails the writes (/dev/full): the
	# run's status is 2 and the reason is said, for a file and for stdout.
	[ -w /dev/full ] || skip "no /dev/full"
	# The file is closed before the summary line, which says the exit.
	run --json /dev/full "$dir/scenarios/golden.scn"
	expect_status 2
	expect_err_line "swmsi-sim: cannot write /dev/full: No space left on device"
	expect_err_count "cannot write" 1
	expect_out_line "PASS: 38 steps, 0 failed expectations, 0 invariant violations; exit 2: see the error above"
	run --dot /dev/full "$dir/scenarios/golden.scn"
	expect_status 2
	expect_err_line "swmsi-sim: cannot write /dev/full: No space left on device"
	expect_err_count "cannot write" 1
	expect_out_line "PASS: 38 steps, 0 failed expectations, 0 invariant violations; exit 2: see the error above"
	"$sim" --json - "$dir/scenarios/golden.scn" >/dev/full 2>err.txt
	status=$?
	expect_status 2
	expect_err_line "swmsi-sim: cannot write standard output: No space left on device"
	;;
*)
	echo "cli_cov.sh: unknown case '$case'" >&2
	exit 1
	;;
esac
exit 0
