#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# swmsi-sim --compare: every scheme runs the scenario with the options it
# takes and says what it changed, the file's own scheme is judged, steps
# that agree collapse, each finding and lost vector is named once, the
# JSON holds every run, and the first failed expectation stops it unless
# -k.
# usage: cli_compare.sh CASE SIM_BINARY TESTS_CLI_DIR WORK_DIR
# Each case is one ctest, cli_CASE, registered from the case labels
# below by swmsi_cli_cases() in CMakeLists.txt. Exit 0 pass, 1 fail,
# 77 skipped; see cli_lib.sh.
# shellcheck source=cli_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh"

case $case in
compare_native_file)
	{ base; printf 'fire nic q0\n'; } >f.scn
	run --compare f.scn
	expect_status 0
	head -n 1 out.txt | grep -qF 'f.scn compared under native, kernel, dma-iommu (expectations judged under native;' ||
		fail "the compare header is wrong"
	for sc in native kernel dma-iommu; do
		grep -qE "^         $sc +ok" out.txt || fail "no result line for $sc"
	done
	grep -qE '^ +6  fire nic q0$' out.txt || fail "the fire step is not listed"
	grep -qE '^native +6 steps, 0 failed expectations, 0 invariant violations, 0 findings \(judged\)$' out.txt ||
		fail "no judged summary for native"
	tail -n 1 out.txt | grep -qE '^PASS: [0-9]+ steps? differ between the schemes; exit status from native$' ||
		fail "no final PASS line"
	run --compare=kernel f.scn
	expect_status 0
	grep -qE "^         native " out.txt && fail "native shown though not asked for"
	grep -qE "^         kernel +ok" out.txt || fail "no kernel column"
	run --compare=native,dma-iommu --json c.json f.scn
	expect_status 0
	need python3
	python3 - c.json <<'PY' || fail "compare JSON check failed"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["compare"] == ["native", "dma-iommu"], d["compare"]
assert d["judged"] == "native" and d["summary"]["exit"] == 0
assert set(d["runs"]) == {"native", "dma-iommu"}, d["runs"].keys()
for name, run in d["runs"].items():
    assert run["scheme"] == name and run["tool"] == "swmsi-sim", name
for s in d["steps"]:
    assert set(s["results"]) == {"native", "dma-iommu"}, s
    assert "differs" in s and "lost_or_misrouted" in s["results"]["native"], s
PY
	;;
compare_judges_the_files_scheme)
	{ printf 'option scheme kernel\n'; base; printf 'expect iova nic q0 0x1000\n'; } >f.scn
	run --compare=native f.scn
	expect_status 1
	grep -qE '^kernel +.*\(judged\)$' out.txt || fail "the file's scheme was not run and judged"
	expect_err_line "f.scn:7:1: expectation failed: expect iova nic q0 0x1000: nic q0 has message address 0x8000040, expected 0x1000"
	;;
usage_compare_unknown_scheme)
	{ base; } >f.scn
	run --compare=foo f.scn
	expect_status 2
	expect_err_line "swmsi-sim: unknown scheme 'foo' for --compare (native, kernel or dma-iommu, comma separated)"
	run --compare=native,,kernel f.scn
	expect_status 2
	run --compare --scheme kernel f.scn
	expect_status 2
	;;
compare_demo_runs_every_scheme)
	# The demo asks for reclaim unused, which kernel and dma-iommu lack:
	# both run with reclaim none, say so, and play every step.
	run --compare
	expect_status 0
	grep -qF "(not run)" out.txt && fail "a scheme was not run"
	expect_out_line "kernel: runs with reclaim none, not unused (the kernel scheme never reclaims MSI pages)"
	expect_out_line "dma-iommu: runs with reclaim none, not unused (the dma-iommu scheme never frees a domain cookie's MSI pages)"
	grep -qF "native: runs with" out.txt && fail "native changed an option it takes"
	n=$(grep -E '^native +[0-9]+ steps' out.txt | awk '{print $2}')
	[ -n "$n" ] && [ "$n" -gt 40 ] || fail "native's summary is missing or short"
	grep -qE "^kernel +$n steps, " out.txt || fail "kernel did not run all $n steps"
	grep -qE "^dma-iommu +$n steps, " out.txt || fail "dma-iommu did not run all $n steps"
	grep -qE "^         kernel     " out.txt || fail "no step shows a kernel result"
	;;
compare_adjusts_max_msi_maps)
	{ echo "option max_msi_maps 4"; base; } >f.scn
	run --compare --json c.json f.scn
	expect_status 0
	expect_out_line "kernel: runs with max_msi_maps 64, not 4 (the kernel scheme has a fixed cap of 64 ids)"
	expect_out_line "dma-iommu: runs with max_msi_maps 0, not 4 (the dma-iommu scheme has no MSI map ids, only per-domain cookies)"
	grep -qF "(not run)" out.txt && fail "a scheme was not run"
	need python3
	python3 - c.json <<'PY' || fail "compare JSON check failed"
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]["schemes"]
assert s["native"]["adjusted"] == [] and s["native"]["error"] is None, s["native"]
assert s["kernel"]["adjusted"] == [{"option": "max_msi_maps", "from": "4", "to": "64",
    "why": "the kernel scheme has a fixed cap of 64 ids"}], s["kernel"]
assert s["kernel"]["error"] is None, s["kernel"]
a = s["dma-iommu"]["adjusted"]
assert [(x["option"], x["from"], x["to"]) for x in a] == [("max_msi_maps", "4", "0")], a
assert d["runs"]["kernel"]["options"]["max_msi_maps"] == 64, d["runs"]["kernel"]["options"]
assert d["runs"]["native"]["options"]["max_msi_maps"] == 4, d["runs"]["native"]["options"]
assert d["runs"]["kernel"]["summary"]["steps"] == 5, d["runs"]["kernel"]["summary"]
PY
	;;
compare_collapses_agreeing_steps)
	{ base; printf 'fire nic q0\n'; } >f.scn
	run --compare f.scn
	expect_status 0
	grep -A1 -E '^ +1  ioas a$' out.txt | tail -n 1 | grep -qxE ' +all +ok  id 1' ||
		fail "ioas a, where all schemes agree, is not one 'all' line"
	grep -A3 -E '^ +5  msi nic q0 ' out.txt | grep -qE '^ +dma-iommu +ok  msg 0x8000040 \(through h.s cookie\)$' ||
		fail "msi, where the schemes' details differ, lost its per-scheme lines"
	[ "$(grep -cE '^ +all ' out.txt)" -ge 4 ] || fail "too few collapsed steps"
	run --compare=kernel f.scn
	grep -qE '^ +all ' out.txt && fail "one shown scheme collapsed into 'all'"
	;;
compare_names_each_scheme_once)
	# A scheme named twice is compared once: two schemes, not three.
	run --compare=native,native,kernel "$golden"
	expect_status 0
	expect_out "compared under native, kernel (expectations judged under native;"
	grep -q "dma-iommu" out.txt && fail "dma-iommu was not asked for"
	;;
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
compare_stops_at_the_first_failed_expectation)
	{ base; printf 'expect iova nic q0 0x1000\nfire nic q0\n'; } >f.scn
	run --compare f.scn
	expect_status 1
	expect_err_count "expectation failed" 1
	grep -qF "fire nic q0" out.txt && fail "--compare went on after a failed expectation"
	grep -qE '^(kernel|dma-iommu) +6 steps, ' out.txt || fail "the other schemes did not stop there too"
	tail -n 1 out.txt | grep -qxF "FAIL: 0 steps differ between the schemes; exit status from native; stopped at line 6, the first failure under native (-k runs every step)" ||
		fail "wrong last line: $(tail -n 1 out.txt)"
	run --compare -k f.scn
	expect_status 1
	expect_out "fire nic q0"
	grep -qE '^native +7 steps, 1 failed expectation, ' out.txt || fail "-k did not run every step"
	grep -qF "stopped at line" out.txt && fail "-k says it stopped"
	;;
compare_json_failing_at_close_says_so)
	# --compare writes its JSON at the end: a device that fails the writes
	# makes the exit 2, and the reason is said.
	[ -w /dev/full ] || skip "no /dev/full"
	run --compare --json /dev/full "$dir/scenarios/golden.scn"
	expect_status 2
	expect_err_line "swmsi-sim: cannot write /dev/full"
	;;
compare_kernel_weak_points)
	# Each teaching scenario of a kernel weak point (examples 19 to 23)
	# passes under its own scheme and shows the contrast it teaches.
	run --compare "$ex/19_kernel_detached_msi_alloc.scn"
	expect_status 0
	expect_out_line "         kernel     EOPNOTSUPP"
	expect_out_line "         native     ok  msg 0x9000040 untranslated  [fails the file's expectation]"
	expect_out_line "         dma-iommu  ok  msg 0x9000040 untranslated  [fails the file's expectation]"
	run --compare "$ex/20_kernel_install_order.scn"
	expect_status 0
	expect_out_line "         native     0x8000000 does not translate  [fails the file's expectation]"
	expect_out_line "         native     0x8001000 does not translate  [fails the file's expectation]"
	grep -qE '^kernel +.* 0 failed expectations, .*\(judged\)$' out.txt || fail "20 fails under kernel"
	run --compare "$ex/21_kernel_failed_replace_drops_window.scn"
	expect_status 0
	expect_out_line "         native     usable 0x0-0x7ffffff,0x8100000-0xffffffffffff  [fails the file's expectation]"
	expect_out_line "         native     EADDRINUSE  [fails the file's expectation]"
	expect_out_line "         kernel     EEXIST  [1 finding: failed-call-changes-nothing]"
	run --compare "$ex/22_dma_iommu_windowless_group_through_cookie.scn"
	expect_status 0
	expect_out_line "         kernel     ok  msg 0x90a0040 untranslated"
	expect_out_line "         dma-iommu  ok  msg 0x8001040 (through hw's cookie)"
	run --compare "$ex/23_kernel_attach_rules_and_group_start.scn"
	expect_status 0
	expect_out_line "         kernel     EBUSY"
	expect_out_line "         native     EINVAL  [fails the file's expectation]"
	expect_out_line "         kernel     ok  was detached already"
	expect_out_line "         native     ok  -> 0x9000040, its doorbell  [fails the file's expectation]"
	expect_out_line "         kernel     LOST (EFAULT: nothing translates it)"
	;;
*)
	echo "cli_compare.sh: unknown case '$case'" >&2
	exit 1
	;;
esac
exit 0
