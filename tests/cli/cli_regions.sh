#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# swmsi-sim: the reserved regions a device reports (device ... resv=), a
# device's own SW_MSI window (window DEV START SIZE), the usable ranges of
# an IOAS (expect ranges), and what the outputs show of them: each parse
# error at its column, each library error with its cause, the JSON and the
# picture.
# usage: cli_regions.sh CASE SIM_BINARY TESTS_CLI_DIR WORK_DIR
# Exit 0 pass, 1 fail, 77 skipped; see cli_lib.sh.
# shellcheck source=cli_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh"

# An IOAS with a HWPT, and an x86 NIC whose regions are free (line 3).
x86() {
	cat <<'EOF'
ioas io
hwpt hw io
device nic group=1 resv=msi@0xfee00000:1M,reserved@0xfed00000:1M
EOF
}

# An Arm NIC attached with a window and a vector on it (lines 1-5).
arm() {
	cat <<'EOF'
ioas io
hwpt hw io
device nic group=1 window=0x8000000:1M resv=direct@0x20000000:1M
attach nic hw
msi nic q0 0x9000040
EOF
}

case $case in
resv_unknown_type_is_a_parse_error_at_its_column)
	{ x86; printf 'device d group=2 resv=direct@0x1000:4K,msii@0xfee00000:1M\n'
		printf 'device e group=3 resv=firmware@0x1000:4K\n'; } >bad.scn
	run bad.scn
	expect_status 2
	expect_err_line "bad.scn:4:40: unknown region type 'msii'; did you mean 'msi'? (direct, relaxable, reserved, msi or sw-msi)"
	expect_err_line "bad.scn:5:23: unknown region type 'firmware' (direct, relaxable, reserved, msi or sw-msi)"
	[ ! -s out.txt ] || fail "a scenario that does not parse must not run"
	;;
resv_malformed_entries_are_parse_errors)
	{
		printf 'device a group=1 resv=direct0x1000:4K\n'
		printf 'device b group=1 resv=direct@0x1000\n'
		printf 'device c group=1 resv=direct@0x1000:4K,,msi@0:1M\n'
		printf 'device d group=1 resv=direct@0x1000:4K resv=msi@0:1M\n'
		printf 'device e group=1 resv=direct@0x1z00:4K\n'
		printf 'device f group=1 rsv=direct@0x1000:4K\n'
		printf 'device g group=1 resv=\n'
		printf 'device h group=1 resv=@0x1000:4K\n'
	} >bad.scn
	run bad.scn
	expect_status 2
	expect_err_line "bad.scn:1:38: missing @START:SIZE in region TYPE@START:SIZE"
	expect_err_line "bad.scn:2:30: missing :SIZE in region TYPE@START:SIZE"
	expect_err_line "bad.scn:3:40: missing region (TYPE@START:SIZE)"
	expect_err_line "bad.scn:4:40: resv= given twice"
	expect_err_line "bad.scn:5:33: bad number '0x1z00' for region START: unexpected character in number"
	expect_err_line "bad.scn:6:18: unknown device attribute 'rsv'; did you mean 'resv='? (use group=, window= and resv=)"
	expect_err_line "bad.scn:7:22: missing TYPE@START:SIZE after resv="
	expect_err_line "bad.scn:8:23: missing region type before '@' (direct, relaxable, reserved, msi or sw-msi)"
	;;
resv_library_errors_say_the_region)
	{
		printf 'device a group=1 resv=direct@0x1000:0x800\n'
		printf 'device b group=2 resv=direct@0x1000:0\n'
		printf 'device c group=3 resv=reserved@0xfffffffffffff000:8K\n'
		printf 'device d group=4 window=0x8000000:1M resv=sw-msi@0x9000000:1M\n'
		printf 'device e group=5 resv=sw-msi@0x8000000:1M,msi@0xfee00000:1M\n'
		printf 'device f group=6 resv=sw-msi@0x8000000:1M,sw-msi@0x9000000:1M\n'
	} >f.scn
	run -k f.scn
	expect_status 1
	expect_err_line "f.scn:1:1: expectation failed: device a group=1 resv=direct@0x1000:0x800: failed with EINVAL (region 1 (direct@0x1000:0x800) is not page aligned)"
	expect_err_line "f.scn:2:1: expectation failed: device b group=2 resv=direct@0x1000:0: failed with EINVAL (region 1 (direct@0x1000) has size 0)"
	expect_err_line "f.scn:3:1: expectation failed: device c group=3 resv=reserved@0xfffffffffffff000:8K: failed with EOVERFLOW (region 1 (reserved@0xfffffffffffff000:0x2000) wraps past 2^64)"
	expect_err_line "f.scn:4:1: expectation failed: device d group=4 window=0x8000000:1M resv=sw-msi@0x9000000:1M: failed with EINVAL (window= and a sw-msi region both give the device a window)"
	expect_err_line "f.scn:5:1: expectation failed: device e group=5 resv=sw-msi@0x8000000:1M,msi@0xfee00000:1M: failed with EINVAL (a SW_MSI window with an msi region (a hardware MSI window): NATIVE refuses the two together)"
	expect_err_line "f.scn:6:1: expectation failed: device f group=6 resv=sw-msi@0x8000000:1M,sw-msi@0x9000000:1M: failed with EINVAL (2 sw-msi regions: under NATIVE a device has one window)"
	# Expected, each passes; the bound devices stand for nothing.
	sed 's/$/ => EINVAL/; 3s/EINVAL/EOVERFLOW/' f.scn >g.scn
	run g.scn
	expect_status 0
	expect_out "EOVERFLOW, as expected"
	;;
resv_sw_msi_region_is_the_window_in_causes)
	# A sw-msi region is the device's window for the group's and the
	# overlap's causes, as window= is.
	printf 'device a group=1 resv=sw-msi@0x8000000:1M\ndevice b group=1 window=0x9000000:1M\ndevice c group=1 window=0x8000000:1M\ndevice d group=2 window=0x8080000:1M\n' >f.scn
	run -k f.scn
	expect_status 1
	expect_err_line "f.scn:2:1: expectation failed: device b group=1 window=0x9000000:1M: failed with EINVAL (group 1 has window 0x8000000 [1M] (a, line 1))"
	expect_err_line "f.scn:4:1: expectation failed: device d group=2 window=0x8080000:1M: failed with EINVAL (the window meets a's window 0x8000000 [1M] (line 1) without being the same)"
	expect_err_count "expectation failed" 2
	;;
resv_attach_over_a_mapping_says_which)
	{ x86; printf 'map io 0 0x100000000 4G\nattach nic hw\n'; } >f.scn
	run -k f.scn
	expect_status 1
	expect_err_line "f.scn:5:1: expectation failed: attach nic hw: failed with EADDRINUSE ('io' maps 0x0 [4G] -> 0x100000000 over nic's msi region 0xfee00000 [1M])"
	;;
map_into_a_reserved_range_says_which)
	{ x86; printf 'attach nic hw\nmap io 0xfee10000 0x40000000 4K\nmap io 0xfffffffff000 0x40000000 8K\n'; } >f.scn
	run -k f.scn
	expect_status 1
	expect_err_line "f.scn:5:1: expectation failed: map io 0xfee10000 0x40000000 4K: failed with EADDRINUSE (0xfee10000 [4K] meets nic's msi range 0xfee00000-0xfeefffff reserved on 'io')"
	expect_err_line "f.scn:6:1: expectation failed: map io 0xfffffffff000 0x40000000 8K: failed with EADDRINUSE (0xfffffffff000 [8K] lies outside hw's aperture (0x1000000000000-0xffffffffffffffff is reserved on 'io'))"
	# The kernel's iopt_check_iova() answers EINVAL; the cause is the same.
	run -k --scheme kernel f.scn
	expect_err_line "f.scn:5:1: expectation failed: map io 0xfee10000 0x40000000 4K: failed with EINVAL (0xfee10000 [4K] meets nic's msi range 0xfee00000-0xfeefffff reserved on 'io')"
	;;
window_dev_sets_drops_and_says_each_error)
	{
		arm
		printf 'window nic 0x10000000 1M\n'
		printf 'detach nic\nwindow nic 0x10000000 1M\nfree nic q0\n'
		printf 'window nic 0x10080000 1M\nwindow nic 0x10000000 0x1000\n'
		printf 'window nic 0xfffffffffff00000 2M\nwindow nic 0x20000000 1M\n'
		printf 'device gpu group=2 window=0x30000000:1M\nwindow nic 0x30000000 2M\n'
		printf 'window nic 0x10000000 1M\nattach nic hw\nmsi nic q1 0x9000040\n'
		printf 'expect iova nic q1 0x10000040\n'
		printf 'detach nic\nfree nic q1\nwindow nic 0 0\nattach nic hw\nmsi nic q2 0x9000040\n'
		printf 'expect iova nic q2 0x8000040\n'
	} >f.scn
	run -k f.scn
	expect_status 1
	expect_err_line "f.scn:6:1: expectation failed: window nic 0x10000000 1M: failed with EBUSY (nic is attached (attached at line 4): its window changes only while detached)"
	expect_err_line "f.scn:8:1: expectation failed: window nic 0x10000000 1M: failed with EBUSY (nic has 1 vector translated through its window 0x8000000: their message addresses would stop working)"
	expect_err_line "f.scn:10:1: expectation failed: window nic 0x10080000 1M: failed with EINVAL (window start 0x10080000 is not 1M aligned)"
	expect_err_line "f.scn:11:1: expectation failed: window nic 0x10000000 0x1000: failed with EINVAL (window size 0x1000 is not a multiple of 1M)"
	expect_err_line "f.scn:12:1: expectation failed: window nic 0xfffffffffff00000 2M: failed with EOVERFLOW (window 0xfffffffffff00000 + 0x200000 wraps past 2^64)"
	expect_err_line "f.scn:13:1: expectation failed: window nic 0x20000000 1M: failed with EADDRINUSE (the window meets nic's direct region 0x20000000 [1M])"
	expect_err_line "f.scn:15:1: expectation failed: window nic 0x30000000 2M: failed with EINVAL (the window meets gpu's window 0x30000000 [1M] without being it)"
	expect_err_count "expectation failed" 7
	# The new window after re-attach; the reported one once dropped.
	expect_out "msg 0x10000040 (map 1, slot 0)"
	expect_out "msg 0x8000040 (map"
	;;
window_on_a_name_that_is_no_device_says_its_kind)
	{ arm; printf 'window hw 0x10000000 1M\nwindow io 0x10000000 1M => ENOENT\n'; } >f.scn
	run -k f.scn
	expect_status 1
	expect_err_line "f.scn:6:1: expectation failed: window hw 0x10000000 1M: failed with ENOENT ('hw' is a HWPT; window wants a device)"
	expect_out "ENOENT, as expected"
	expect_err_count "expectation failed" 1
	printf 'window io 0x10000000 1M\n' >g.scn
	{ arm; cat g.scn; } >h.scn
	run h.scn
	expect_err_line "h.scn:6:1: expectation failed: window io 0x10000000 1M: failed with ENOENT ('io' is an IOAS; window wants a device)"
	;;
window_forms_picked_by_the_first_word)
	# A number first is the context's window; a name, a device's.
	{ printf 'window 0x10000000 1M\n'; arm; printf 'expect iova nic q0 0x10000040\n'; } >f.scn
	run f.scn
	expect_status 0
	{ arm; printf 'window nic 0\nwindow nix 0 0\nwindow\n'; } >bad.scn
	run bad.scn
	expect_status 2
	expect_err_line "bad.scn:6:13: missing SIZE (usage: window DEV START SIZE)"
	expect_err_line "bad.scn:7:8: unknown name 'nix'; did you mean 'nic'?"
	expect_err_line "bad.scn:8:7: missing START (usage: window START SIZE)"
	;;
expect_ranges_passes_and_fails_with_both_lists)
	{
		x86
		printf 'expect ranges io 0-0xffffffffffff\nattach nic hw\n'
		printf 'expect ranges io 0-0xfecfffff,0xfef00000-0xffffffffffff\n'
		printf 'expect ranges io 0-0xfecfffff\n'
		printf 'expect ranges io none\n'
	} >f.scn
	run -k f.scn
	expect_status 1
	expect_out_line "    4  expect ranges io 0-0xffffffffffff             ok"
	expect_err_line "f.scn:7:1: expectation failed: expect ranges io 0-0xfecfffff: 'io' has usable ranges 0x0-0xfecfffff,0xfef00000-0xffffffffffff, expected 0x0-0xfecfffff"
	expect_err_line "f.scn:8:1: expectation failed: expect ranges io none: 'io' has usable ranges 0x0-0xfecfffff,0xfef00000-0xffffffffffff, expected none"
	expect_err_count "expectation failed" 2
	# A name that is no IOAS, and ranges out of order, do not parse.
	{ x86; printf 'expect ranges hw 0-1\nexpect ranges io 0x10-0x5\n'
		printf 'expect ranges io 0-0x10,0x5-0x20\nexpect ranges io 0x10\n'
		printf 'expect ranges io 0-0x10 0x20-0x30\nexpect rangs io 0-1\n'; } >bad.scn
	run bad.scn
	expect_status 2
	expect_err_line "bad.scn:4:15: 'hw' is a HWPT; expect ranges wants an IOAS"
	expect_err_line "bad.scn:5:23: range LAST 0x5 is below its START 0x10"
	expect_err_line "bad.scn:6:25: ranges must be disjoint and lowest first: this one starts at or below 0x10"
	expect_err_line "bad.scn:7:22: missing -LAST in range START-LAST (bounds inclusive)"
	expect_err_line "bad.scn:8:25: unexpected argument '0x20-0x30': the ranges are one word, separated by commas"
	expect_err_line "bad.scn:9:8: unknown expectation 'rangs' (did you mean ranges?) (iova, same, differ, same-page, differ-page, mapped, unmapped, untranslated, fires, ranges, alignment)"
	;;
json_lists_usable_and_reserved_ranges)
	need python3
	run --json out.json "$ex/17_ram_over_reserved_range.scn"
	expect_status 0
	python3 - out.json <<'PY' || fail "the JSON's ranges are not the state's"
import json, sys
d = json.load(open(sys.argv[1]))
io = d["final"]["ioas"][0]
assert io["name"] == "guest", io
# everything detached at the end: only the HWPT's aperture is reserved
assert io["usable"] == [{"start": "0x0", "last": "0xffffffffffff"}], io["usable"]
assert io["reserved_ranges"] == [{"start": "0x1000000000000", "last": "0xffffffffffffffff",
                                  "type": "aperture", "owner": "hw", "owner_id": 2}], io
steps = [s for s in d["steps"] if s["op"] == "expect ranges"]
assert steps and all(s["status"] == "pass" for s in steps), steps
PY
	{ x86; printf 'device gpu group=2 window=0x8000000:1M resv=relaxable@0x100000:1M\n'
		printf 'attach nic hw\nattach gpu hw\n'; } >f.scn
	run --json out.json f.scn
	expect_status 0
	python3 - out.json <<'PY' || fail "the JSON's ranges are not the state's"
import json, sys
d = json.load(open(sys.argv[1]))
io = d["final"]["ioas"][0]
got = [(r["type"], r["start"], r["last"], r["owner"], r["owner_id"]) for r in io["reserved_ranges"]]
assert got == [("sw-msi", "0x8000000", "0x80fffff", "gpu", 4),
               ("reserved", "0xfed00000", "0xfedfffff", "nic", 3),
               ("msi", "0xfee00000", "0xfeefffff", "nic", 3),
               ("aperture", "0x1000000000000", "0xffffffffffffffff", "hw", 2)], got
devs = {x["name"]: x for x in d["final"]["devices"]}
assert devs["gpu"]["own_window"] is None, devs["gpu"]
assert devs["gpu"]["reported_window"] == {"start": "0x8000000", "size": "0x100000"}, devs["gpu"]
assert io["usable"] == [{"start": "0x0", "last": "0x7ffffff"},
                        {"start": "0x8100000", "last": "0xfecfffff"},
                        {"start": "0xfef00000", "last": "0xffffffffffff"}], io["usable"]
PY
	# A sw-msi region is the reported window; window DEV the device's own.
	printf 'ioas io\nhwpt hw io\ndevice nic group=1 resv=sw-msi@0x8000000:1M\nwindow nic 0x10000000 1M\nattach nic hw\n' >g.scn
	run --json out.json g.scn
	expect_status 0
	python3 - out.json <<'PY' || fail "the JSON's windows are not the device's"
import json, sys
d = json.load(open(sys.argv[1]))
nic = d["final"]["devices"][0]
assert nic["window"] == {"start": "0x10000000", "size": "0x100000"}, nic
assert nic["reported_window"] == {"start": "0x8000000", "size": "0x100000"}, nic
assert nic["own_window"] == {"start": "0x10000000", "size": "0x100000"}, nic
PY
	;;
dot_draws_reserved_ranges_by_type)
	{ x86; printf 'device gpu group=2 window=0x8000000:1M\n'
		printf 'device gpu2 group=3 window=0x8000000:1M\n'
		printf 'attach nic hw\nattach gpu hw\nattach gpu2 hw\n'; } >f.scn
	run --dot out.dot f.scn
	expect_status 0
	grep -qF 'resv_1_4 [shape=box, style=filled, fillcolor=pink, color=gray50, fontsize=9, label="reserved: msi\l0xfee00000-0xfeefffff (nic)\l"];' out.dot ||
		fail "no pink node of nic's msi range"
	grep -qF 'label="reserved: reserved\l0xfed00000-0xfedfffff (nic)\l"' out.dot ||
		fail "no node of nic's reserved range"
	# one range two devices reserve: one line, its owners
	grep -qF 'label="reserved: sw-msi\l0x8000000-0x80fffff (gpu and 1 more)\l"' out.dot ||
		fail "the shared window is not one line with its owners"
	grep -qF 'label="reserved: aperture\l0x1000000000000-0xffffffffffffffff (hw)\l"' out.dot ||
		fail "no node of the HWPT's aperture"
	grep -qF 'usable IOVA:\l  0x0-0x7ffffff\l  0x8100000-0xfecfffff\l  0xfef00000-0xffffffffffff\l' out.dot ||
		fail "the IOAS's summary lacks its usable ranges"
	grep -qF 'reserved: TYPE: the ranges reserved on an IOAS' out.dot ||
		fail "the legend does not say what the reserved nodes are"
	if command -v dot >/dev/null 2>&1; then
		dot -Tsvg out.dot >/dev/null || fail "dot rejects the graph"
	fi
	;;
timeline_says_usable_ranges_where_they_change)
	run "$ex/17_ram_over_reserved_range.scn"
	expect_status 0
	expect_out_line "        guest (id 1): usable 0x0-0xffffffffffff"
	expect_out_line "        guest (id 1): usable 0x0-0xfecfffff,0xfef00000-0xffffffffffff"
	[ "$(grep -c ': usable ' out.txt)" -eq 5 ] ||
		fail "not one line for each of the 5 steps that change the usable ranges"
	# A scenario about none of it keeps its timeline.
	run "$ex/09_addrinuse.scn"
	expect_status 0
	! grep -q ': usable ' out.txt || fail "a scenario without regions says usable ranges"
	;;
examples_play_clean)
	for f in 17_ram_over_reserved_range 18_per_device_window; do
		run "$ex/$f.scn"
		expect_status 0
		expect_out "PASS:"
	done
	;;
*)
	echo "cli_regions.sh: unknown case '$case'" >&2
	exit 1
	;;
esac
exit 0
