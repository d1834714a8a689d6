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
	expect_out_line "         kernel     ok  -> 0x20210040, its doorbell  [2 findings: slot-in-window, msg-in-window]"
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
	expect_out_line "         dma-iommu  LOST (EFAULT: nothing translates it)  [fails the file's expectation]  [4 findings: msi-reaches-doorbell, cookie-maps-vector]"
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
assert r["finding_names"] == "msi-reaches-doorbell, cookie-maps-vector", r
assert r["lost_or_misrouted"] == "nic q0 MISROUTED -> 0x80a0040, nic q1 MISROUTED -> 0x8090040", r
assert rep[0]["results"]["native"]["finding_names"] == "", rep
PY
	;;
*)
	echo "cli_cov.sh: unknown case '$case'" >&2
	exit 1
	;;
esac
exit 0
