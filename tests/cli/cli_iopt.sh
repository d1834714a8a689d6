#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# swmsi-sim: the IOAS as upstream's io_pagetable in the language: a named
# map at an allocated or given IOVA (map IOAS NAME LENGTH), unmap by name
# and of everything, copy, allowed ranges, reserve, huge_pages, expect iova
# NAME and expect alignment: each parse error at its column, each library
# error with its cause, the timeline, the JSON and the picture.
# usage: cli_iopt.sh CASE SIM_BINARY TESTS_CLI_DIR WORK_DIR
# Exit 0 pass, 1 fail, 77 skipped; see cli_lib.sh.
# shellcheck source=cli_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh"

# An IOAS with a HWPT (its alignment a page) and two named areas (lines 1-4).
guest() {
	cat <<'EOF2'
ioas io
hwpt hw io
map io a 4K
map io big 16K at 0x20000
EOF2
}

case $case in
map_names_its_area_at_an_allocated_iova)
	{ guest; printf 'map io b 8K\nmap io c 4K\nexpect iova a 0x1000\nexpect iova b 0x2000\n'
		printf 'expect iova c 0x4000\nexpect iova big 0x20000\n'; } >f.scn
	run f.scn
	expect_status 0
	expect_out "map io a 4K                                   ok  a at 0x1000 [4K]"
	expect_out "map io b 8K                                   ok  b at 0x2000 [8K]"
	expect_out "map io big 16K at 0x20000                     ok  big at 0x20000 [16K]"
	# the area is mirrored into the HWPT at the IOVA it got
	expect_out "hw (id 2): + 0x2000 [8K] -> "
	expect_out "PASS: 10 steps"
	;;
map_without_a_hwpt_takes_any_alignment)
	# alignment 1 without a HWPT; huge pages off makes it a page
	printf 'ioas io\nexpect alignment io 1\nhuge_pages io off\nexpect alignment io 0x1000\nhuge_pages io on\nexpect alignment io 1\nhwpt hw io\nexpect alignment io 0x1000\n' >f.scn
	run f.scn
	expect_status 0
	expect_out "PASS: 8 steps"
	;;
unmap_by_name_and_all_say_the_bytes)
	{ guest; printf 'unmap io a\nexpect unmapped hw 0x1000\nunmap io all\nunmap io all\nexpect iova big 0x20000\n'; } >f.scn
	run -k f.scn
	expect_status 1
	expect_out "unmap io a                                    ok  unmapped 4K"
	expect_out "unmap io all                                  ok  unmapped 16K"
	# everything of an empty IOAS: a success that unmaps nothing
	expect_out "unmap io all                                  ok  unmapped nothing"
	expect_err_line "f.scn:9:1: expectation failed: expect iova big 0x20000: 'big' is not mapped: unmapped at line 7"
	;;
copy_into_another_ioas_and_allowed_ranges)
	{ guest; printf 'ioas dst\ncopy io big dst as big2\nexpect iova big2 0x4000\n'
		printf 'allow dst 0x100000-0x1fffff\ncopy io 0x20000 8K dst at 0x8000 as part\nexpect iova part 0x8000\n'
		printf 'copy io big 4K dst as head\nexpect iova head 0x100000\nallow dst none\ncopy io a dst r\n'; } >f.scn
	run f.scn
	expect_status 0
	expect_out "copy io big dst as big2                       ok  big2 at 0x4000 [16K] in dst"
	expect_out "copy io a dst r                               ok  at 0x1000 [4K] in dst"
	expect_out "PASS: 14 steps"
	;;
errors_say_their_cause)
	{ guest; printf 'map io b 4K at 0x1000\nmap io c 6K\nmap io d 4K at 0x1800\nreserve io 0x100000 1M\n'
		printf 'allow io 0x200000-0x2fffff,0x280000-0x3fffff\nallow io 0x0-0x1fffff\nallow io 0x200000-0x201fff\n'
		printf 'map io e 8K\nmap io f 8K\nmap io g 4K at 0x100000\nunmap io g\nunmap io 0x20000 4K\n'
		printf 'ioas other\ncopy io 0x5000 4K other\nmap io ro 4K at 0x10000 r\ncopy io ro other w\n'
		printf 'reserve io 0x20000 4K\nhuge_pages io off\nallow io 0x300000-0x300000\n'; } >f.scn
	run -k -q f.scn
	expect_status 1
	expect_err_line "f.scn:5:1: expectation failed: map io b 4K at 0x1000: failed with EEXIST (0x1000 [4K] meets the area 0x1000 [4K] ('a'))"
	expect_err_line "f.scn:6:1: expectation failed: map io c 6K: failed with EINVAL (length 0x1800 is not a multiple of 'io''s IOVA alignment 0x1000)"
	expect_err_line "f.scn:7:1: expectation failed: map io d 4K at 0x1800: failed with EINVAL (IOVA 0x1800 is not aligned to 'io''s IOVA alignment 0x1000)"
	expect_err_line "f.scn:9:1: expectation failed: allow io 0x200000-0x2fffff,0x280000-0x3fffff: failed with EINVAL (allowed ranges 0x200000-0x2fffff and 0x280000-0x3fffff overlap)"
	expect_err_line "f.scn:10:1: expectation failed: allow io 0x0-0x1fffff: failed with EADDRINUSE (allowed range 0x0-0x1fffff meets the range 0x100000-0x1fffff a reserve line reserved on 'io')"
	expect_err_line "f.scn:13:1: expectation failed: map io f 8K: failed with ENOSPC (no free hole of 8K aligned to 0x2000 lies in 'io''s allowed range 0x200000-0x201fff)"
	expect_err_line "f.scn:14:1: expectation failed: map io g 4K at 0x100000: failed with EADDRINUSE (0x100000 [4K] meets the range 0x100000-0x1fffff a reserve line reserved on 'io')"
	expect_err_line "f.scn:15:1: expectation failed: unmap io g: failed with ENOENT ('g' is not mapped: its map at line 14 failed with EADDRINUSE)"
	expect_err_line "f.scn:16:1: expectation failed: unmap io 0x20000 4K: failed with ENOENT (the mapping 0x20000 [16K] ('big') straddles the end of 0x20000 [4K])"
	expect_err_line "f.scn:18:1: expectation failed: copy io 0x5000 4K other: failed with ENOENT (nothing maps 0x5000 of 'io' (a copy's source must be areas without a gap))"
	expect_err_line "f.scn:20:1: expectation failed: copy io ro other w: failed with EPERM (the area 0x10000 [4K] ('ro') was mapped without w, and the copy asks w (write r))"
	expect_err_line "f.scn:21:1: expectation failed: reserve io 0x20000 4K: failed with EADDRINUSE (0x20000 [4K] meets the area 0x20000 [16K] ('big'))"
	expect_err_line "f.scn:22:1: expectation failed: huge_pages io off: failed with EINVAL ('io' has a paging HWPT and 4 areas: huge pages stay on under them)"
	expect_err_line "f.scn:23:1: expectation failed: allow io 0x300000-0x300000: failed with EINVAL (allowed range 0x300000-0x300000 is empty: its start must be below its last)"
	;;
expected_errors_pass)
	{ guest; printf 'map io b 4K at 0x1000 => EEXIST\nmap io c 6K => einval\nreserve io 0x100000 1M\n'
		printf 'allow io 0x0-0x1fffff => EADDRINUSE\nallow io 0x200000-0x201fff\nmap io e 8K\nmap io f 8K => ENOSPC\n'
		printf 'unmap io f => ENOENT\nunmap io 0x20000 4K => ENOENT\nmap io g 4K => EEXIST\n'; } >f.scn
	run -k f.scn
	expect_status 1
	expect_out "map io f 8K                                   ENOSPC, as expected"
	expect_out "unmap io f                                    ENOENT, as expected"
	expect_err_line "f.scn:14:13: expectation failed: map io g 4K => EEXIST: expected EEXIST, got ENOSPC (no free hole of 4K aligned to 0x1000 lies in 'io''s allowed range 0x200000-0x201fff)"
	;;
a_given_va_is_used_as_is)
	# Nothing is mapped at 0x1000 in the process: a HWPT needs its pages.
	printf 'ioas io\nmap io v 4K va=0x1000\nexpect iova v 0x1000\nhwpt hw io => EFAULT\nunmap io v\nhwpt hw2 io\nmap io w 4K va=0x1000\n' >f.scn
	run -k -q f.scn
	expect_status 1
	expect_err_line "f.scn:7:1: expectation failed: map io w 4K va=0x1000: failed with EFAULT (va 0x1000 [4K] is not mapped in this process, and 'io' has a paging HWPT that needs its pages)"
	;;
expectations_fail_with_both_values)
	{ guest; printf 'expect iova a 0x2000\nexpect alignment io 0x2000\nmap io h 4K at 0x100\nexpect iova h 0x100\n'; } >f.scn
	run -k f.scn
	expect_status 1
	expect_err_line "f.scn:5:1: expectation failed: expect iova a 0x2000: 'a' is at 0x1000, expected 0x2000"
	expect_err_line "f.scn:6:1: expectation failed: expect alignment io 0x2000: 'io' has IOVA alignment 0x1000, expected 0x2000"
	expect_err_line "f.scn:8:1: expectation failed: expect iova h 0x100: 'h' is not mapped: its map at line 7 failed with EINVAL"
	;;
parse_errors_at_their_column)
	{
		printf 'ioas io\nioas other\nmap io a\n'
		printf 'map io b 4K at\nmap io c 4K va=\nmap io d 4K q\nmap io e 4K at 0x1000 at 0x2000\n'
		printf 'unmap io nic\nmap io f 4K\nunmap io f g\ncopy io f\ncopy io f other as f\n'
		printf 'allow io\nhuge_pages io maybe\nexpect iova io 0x1000\nalow io none\nexpect alignmnt io 1\nmap io 9x 4K\n'
		printf 'map io all 4K\n'
	} >bad.scn
	run bad.scn
	expect_status 2
	expect_err_line "bad.scn:3:9: missing LENGTH (usage: map IOAS NAME LENGTH ...)"
	expect_err_line "bad.scn:4:16: missing IOVA after 'at'"
	expect_err_line "bad.scn:5:15: missing ADDR after va="
	expect_err_line "bad.scn:6:13: unexpected argument 'q' (use at IOVA, va=ADDR and r, w)"
	expect_err_line "bad.scn:7:23: 'at' given twice"
	expect_err_line "bad.scn:8:10: unknown name 'nic'"
	expect_err_line "bad.scn:10:12: unexpected argument 'g' (usage: unmap IOAS NAME|all)"
	expect_err_line "bad.scn:11:10: missing DST (the IOAS to copy into)"
	expect_err_line "bad.scn:12:20: 'f' is already declared (line 9)"
	expect_err_line "bad.scn:13:9: missing START-LAST[,START-LAST...] (allowed ranges, or none)"
	expect_err_line "bad.scn:14:15: expected on or off, got 'maybe'"
	expect_err_line "bad.scn:15:13: 'io' is an IOAS; expect iova NAME wants an area (map IOAS NAME ...)"
	expect_err_line "bad.scn:16:1: unknown command 'alow' (did you mean allow?)"
	expect_err_line "bad.scn:17:8: unknown expectation 'alignmnt' (did you mean alignment?) (iova, same, differ, same-page, differ-page, mapped, unmapped, untranslated, fires, ranges, alignment)"
	expect_err_line "bad.scn:18:9: bad number '9x' for IOVA: unexpected character in number"
	expect_err_line "bad.scn:19:8: 'all' cannot name an area: unmap IOAS all unmaps every one"
	;;
json_lists_areas_allowed_and_alignment)
	need python3
	{ guest; printf 'ioas dst\nallow dst 0x100000-0x1fffff\ncopy io big dst as big2\nmap dst p 4K at 0x40000 va=0x12345000 r\n'; } >f.scn
	run --json out.json f.scn
	expect_status 0
	python3 - out.json <<'PY' || fail "the JSON's areas are not the state's"
import json, sys
d = json.load(open(sys.argv[1]))
io = {x["name"]: x for x in d["final"]["ioas"]}
assert io["io"]["alignment"] == "0x1000" and io["io"]["huge_pages"] is True, io["io"]
assert io["io"]["allowed"] == [], io["io"]
a = [(x["iova"], x["length"], x["prot"], x["user_va"], x["writable"], x["addr"], x["backing"], x["offset"], x["name"], x["fixed"]) for x in io["io"]["areas"]]
assert a == [("0x1000", "0x1000", "rw", True, True, None, "a", "0x0", "a", False),
             ("0x20000", "0x4000", "rw", True, True, None, "big", "0x0", "big", True)], a
dst = io["dst"]
assert dst["alignment"] == "0x1" and dst["allowed"] == [{"start": "0x100000", "last": "0x1fffff"}], dst
a = [(x["iova"], x["length"], x["prot"], x["user_va"], x["writable"], x["addr"], x["backing"], x["offset"], x["name"], x["fixed"]) for x in dst["areas"]]
assert a == [("0x40000", "0x1000", "r", True, False, "0x12345000", None, None, "p", True),
             ("0x100000", "0x4000", "rw", True, True, None, "big", "0x0", "big2", False)], a
steps = {s["line"]: s for s in d["steps"]}
assert steps[3]["detail"] == "a at 0x1000 [4K]", steps[3]
PY
	# a physical-address area of map IOAS IOVA PADDR LENGTH: no user VA, no name
	printf 'ioas io\nmap io 0x1000 0x200000 4K\n' >g.scn
	run --json out.json g.scn
	expect_status 0
	python3 - out.json <<'PY' || fail "a v0.1 mapping is not a physical-address area"
import json, sys
d = json.load(open(sys.argv[1]))
a = d["final"]["ioas"][0]["areas"]
assert a == [{"iova": "0x1000", "length": "0x1000", "prot": "rw", "user_va": False, "writable": True,
              "addr": "0x200000", "backing": None, "offset": None, "name": None, "fixed": None}], a
PY
	;;
picture_shows_allowed_ranges_and_alignment)
	{ guest; printf 'allow io 0x100000-0x1fffff,0x400000-0x4fffff\n'; } >f.scn
	run --dot out.dot f.scn
	expect_status 0
	grep -qF 'IOVA alignment 0x1000\lallowed IOVA:\l  0x100000-0x1fffff\l  0x400000-0x4fffff\l' out.dot ||
		fail "the IOAS's summary lacks its alignment and allowed ranges"
	;;
output_is_the_same_from_run_to_run)
	run --json a.json "$ex/30_guest_ram_auto_iova.scn"
	expect_status 0
	cp out.txt a.txt
	run --json b.json "$ex/30_guest_ram_auto_iova.scn"
	expect_status 0
	# The IOVAs repeat always; the user VAs the domains map (0x7e80...)
	# where the simulator's fixed address could be had, not under every
	# sanitizer's or valgrind's layout: compare with them masked, and
	# whole when they are the fixed ones.
	mask() { sed -E 's/0x7[0-9a-f]{11}\b/VA/g' "$1"; }
	[ "$(mask a.txt)" = "$(mask out.txt)" ] || fail "two runs printed different timelines"
	[ "$(mask a.json)" = "$(mask b.json)" ] || fail "two runs wrote different JSON"
	if grep -qF -- '-> 0x7e80' out.txt; then
		cmp -s a.txt out.txt || fail "two runs printed different user VAs"
		cmp -s a.json b.json || fail "two runs wrote different JSON"
	fi
	grep -qF 'low at 0x4000000 [64M]' out.txt || fail "the IOVA is not the length's"
	;;
explore_and_compare_see_the_same_areas)
	# Every simulation of the process gives a name and length the same
	# memory: the explorer's sessions, compare's runs one after another.
	run explore 2 "$ex/30_guest_ram_auto_iova.scn"
	expect_status 0
	expect_out "explore: no violation to depth 2"
	need python3
	run compare --json out.json "$ex/30_guest_ram_auto_iova.scn"
	python3 - out.json <<'PY' || fail "the schemes' runs do not see the same areas"
import json, sys
d = json.load(open(sys.argv[1]))
seen = {}
for scheme, run in d["runs"].items():
    io = {x["name"]: x for x in run["final"]["ioas"]}
    seen[scheme] = ([(a["iova"], a["backing"], a["name"]) for a in io["guest"]["areas"]],
                    [m["paddr"] for m in io["guest"]["mappings"]])
assert seen["native"][0] == [("0x2000000", "low2", "low2"), ("0x10000000", "ram", "ram"),
                             ("0x80000000", "high", "high"), ("0x100000000", "more", "more")], seen
assert seen["native"] == seen["kernel"] == seen["dma-iommu"], seen
PY
	;;
*)
	fail "unknown case $case"
	;;
esac
exit 0
