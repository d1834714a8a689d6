#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What a run says of each step and how it exits: failed expectations
# and library errors say what and why, a lost or misrouted MSI is said,
# -k reports every failure, the first one stops the run otherwise; the
# full invariant check agrees with the incremental one.
# usage: cli_results.sh CASE SIM_BINARY TESTS_CLI_DIR WORK_DIR
# Each case is one ctest, cli_CASE, registered from the case labels
# below by swmsi_cli_cases() in CMakeLists.txt. Exit 0 pass, 1 fail,
# 77 skipped; see cli_lib.sh.
# shellcheck source=cli_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh"

case $case in
expect_failed_exits_one)
	{ base; printf 'expect iova nic q0 0x8001040\nfire nic q0\n'; } >f.scn
	run f.scn
	expect_status 1
	expect_err_line "f.scn:6:1: expectation failed: expect iova nic q0 0x8001040: nic q0 has message address 0x8000040, expected 0x8001040"
	;;
expect_error_mismatch_exits_one)
	{ base; printf 'detach nic => EBUSY\n'; } >f.scn
	run f.scn
	expect_status 1
	expect_err_line "f.scn:6:12: expectation failed: detach nic => EBUSY: expected EBUSY, got success"
	;;
fire_lost_exits_one)
	cat >f.scn <<'EOF'
ioas a
hwpt p a nest_parent
nested n p
device nic group=1 window=0x8000000:1M
attach nic n
msi nic q0 0x8090040
fire nic q0
EOF
	run f.scn
	expect_status 1
	# The library's error is followed by the cause that holds, not every
	# cause docs/errors.md lists for EFAULT.
	expect_err_line "f.scn:7:1: expectation failed: fire nic q0: failed with EFAULT (0x8000040 is not mapped in n's stage 1: the guest must map the window 1:1 for its MSIs to pass)"
	;;
fire_says_lost)
	{ base; printf 'detach nic\nfire nic q0 => EFAULT\n'; } >f.scn
	run f.scn
	expect_status 0
	expect_out "LOST (EFAULT: nothing translates it)"
	;;
keep_going_reports_every_failure)
	{ base; printf 'expect iova nic q0 0x1000\nexpect untranslated nic q0\nfire nic q0\n'; } >f.scn
	run --keep-going f.scn
	expect_status 1
	expect_err_count "expectation failed" 2
	expect_out "fire nic q0"
	expect_out "2 failed expectations"
	;;
stop_at_first_failure)
	{ base; printf 'expect iova nic q0 0x1000\nexpect untranslated nic q0\nfire nic q0\n'; } >f.scn
	run f.scn
	expect_status 1
	expect_err_count "expectation failed" 1
	grep -qF "fire nic q0" out.txt && fail "the run went on after a failed expectation"
	;;
quiet_run_stops_at_the_first_failure)
	# Without -k the run stops at the failed expectation; -q (with --trace
	# or not) prints nothing on stdout, the failure still on stderr.
	printf 'ioas a\nioas b => ENOENT\nioas c\n' >sk.scn
	for opts in "-q" "-q --trace"; do
		# shellcheck disable=SC2086
		run $opts sk.scn
		expect_status 1
		[ -s out.txt ] && fail "$opts printed on stdout"
		expect_err_line "sk.scn:2:8: expectation failed: ioas b => ENOENT: expected ENOENT, got success"
	done
	run sk.scn
	expect_status 1
	grep -qF "ioas c" out.txt && fail "the step after the failure ran"
	expect_out "FAIL: 2 steps, 1 failed expectation, 0 invariant violations"
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
expect_same_page_and_differ_page)
	{
		base
		printf 'msi nic q1 0x8090080\nmsi nic q2 0x80a0040\n'
		printf 'expect same-page nic q0 nic q1\nexpect differ nic q0 nic q1\n'
		printf 'expect differ-page nic q0 nic q2\nexpect same-page nic q0 nic q2\n'
		printf 'expect differ-page nic q0 nic q1\nexpect same nic q0 nic q1\n'
	} >f.scn
	run -k f.scn
	expect_status 1
	expect_err_line "f.scn:11:1: expectation failed: expect same-page nic q0 nic q2: nic q0 is on page 0x8000000 but nic q2 on page 0x8001000"
	expect_err_line "f.scn:12:1: expectation failed: expect differ-page nic q0 nic q1: nic q0 and nic q1 share the page 0x8000000"
	expect_err_line "f.scn:13:1: expectation failed: expect same nic q0 nic q1: nic q0 is at 0x8000040 but nic q1 at 0x8000080"
	expect_err_count "expectation failed" 3
	;;
expect_fires_states_where_a_misrouted_msi_lands)
	cat >m.scn <<'EOF'
ioas a
map a 0x9000000 0x100000000 1M
hwpt p a nest_parent
nested vi p
device nic group=1 window=0x8000000:1M
attach nic vi
msi nic q0 0x8090040
# The guest maps the window onto its RAM instead of 1:1.
s1map vi 0x8000000 0x9000000 1M
expect fires nic q0 0x100000040
EOF
	run m.scn
	expect_status 0
	expect_out "expect fires nic q0 0x100000040"
	{ cat m.scn; printf 'expect fires nic q0 0x8090040\nfire nic q0 => EFAULT\n'; } >bad.scn
	run -k bad.scn
	expect_status 1
	expect_err_line "bad.scn:11:1: expectation failed: expect fires nic q0 0x8090040: nic q0 lands at 0x100000040, expected 0x8090040"
	expect_err_line "bad.scn:12:13: expectation failed: fire nic q0 => EFAULT: expected EFAULT, but the write landed at 0x100000040"
	printf 'ioas a\nhwpt p a nest_parent\nnested vi p\ndevice nic group=1 window=0x8000000:1M\nattach nic vi\nmsi nic q0 0x8090040\nexpect fires nic q0 0x8090040\n' >lost.scn
	run lost.scn
	expect_status 1
	expect_err_line "lost.scn:7:1: expectation failed: expect fires nic q0 0x8090040: nic q0 does not land: EFAULT, expected it at 0x8090040"
	;;
library_errors_say_why)
	# A name of the wrong kind is said with both kinds; another library
	# error with the cause that holds in the state.
	{ base; printf 'detach h\nmap a 0x8000000 0x1000 0x1000\ndestroy nic\n'; } >f.scn
	run -k f.scn
	expect_status 1
	expect_err_line "f.scn:6:1: expectation failed: detach h: failed with ENOENT ('h' is a HWPT; detach wants a device)"
	expect_err_line "f.scn:7:1: expectation failed: map a 0x8000000 0x1000 0x1000: failed with EADDRINUSE (0x8000000 [4K] meets the SW_MSI window 0x8000000 [1M] reserved on 'a')"
	expect_err_line "f.scn:8:1: expectation failed: destroy nic: failed with EINVAL ('nic' is a device; destroy wants an IOAS or a HWPT)"
	{ base; printf 'detach nic\nreplace nic h => EBUSY\n'; } >g.scn
	run g.scn
	expect_status 1
	expect_err_line "g.scn:7:15: expectation failed: replace nic h => EBUSY: expected EBUSY, got EINVAL (nic is not attached: detached at line 6)"
	{ printf 'ioas a\nhwpt h a\nexpect iova h v 0\n'; } >k.scn
	run k.scn
	expect_status 2
	expect_err_line "k.scn:3:13: 'h' is a HWPT; expect iova wants a device"
	;;
failed_auto_hwpt_named_after_its_ioas)
	printf 'ioas a\nmap a 0x100000 0x100000 0x1000\ndevice nic group=1 window=0x8000000:1M\nfail_map 1 ENOMEM\nattach nic a => ENOMEM\nfail_map 1 ENOMEM\nhwpt h a => ENOMEM\n' >f.scn
	run f.scn
	expect_status 0
	expect_out "auto@a: map 0x100000 [4K] -> 0x100000 failed: ENOMEM"
	expect_out "auto@a: domain freed"
	expect_out "h: map 0x100000 [4K] -> 0x100000 failed: ENOMEM"
	grep -qF ' ?:' out.txt && fail "a domain is still named '?'"
	;;
fail_map_zero_disarms)
	{ base; printf 'fail_map 1 ENOMEM\nfail_map 0 ENOMEM\nhwpt h2 a\n'; } >f.scn
	run f.scn
	expect_status 0
	grep -E '^ +7  fail_map 0 ENOMEM +ok  map fault disarmed$' out.txt >/dev/null ||
		fail "fail_map 0 is not shown as disarming"
	grep -q 'map call #0' out.txt && fail "fail_map 0 shown as map call #0"
	;;
full_check_agrees_with_incremental)
	# A step snapshots and checks what it touched; --full-check the whole
	# state every step. On a passing scenario both print the same.
	run "$dir/scenarios/golden.scn"
	expect_status 0
	mv out.txt touched.txt
	run --full-check "$dir/scenarios/golden.scn"
	expect_status 0
	cmp -s touched.txt out.txt || fail "--full-check printed another timeline"
	for seed in 3 7; do
		run --seed "$seed" --random 600 --emit r.scn
		expect_status 0
		run -q --full-check r.scn
		expect_status 0
		run --json a.json r.scn
		run --json b.json --full-check r.scn
		cmp -s a.json b.json || fail "seed $seed: --full-check gave other JSON"
	done
	;;
*)
	echo "cli_results.sh: unknown case '$case'" >&2
	exit 1
	;;
esac
exit 0
