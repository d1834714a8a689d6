#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Errors in a scenario file: each says FILE:LINE:COL and what is wrong,
# every error of a file is reported, exit status 2, nothing runs; misspelt
# names and error names get a "did you mean".
# usage: cli_parse_errors.sh CASE SIM_BINARY TESTS_CLI_DIR WORK_DIR
# Each case is one ctest, cli_CASE, registered from the case labels
# below by swmsi_cli_cases() in CMakeLists.txt. Exit 0 pass, 1 fail,
# 77 skipped; see cli_lib.sh.
# shellcheck source=cli_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh"

case $case in
error_unknown_command)
	{ base; printf '  frobnicate nic\n'; } >bad.scn
	run bad.scn
	expect_status 2
	expect_err_line "bad.scn:6:3: unknown command 'frobnicate'"
	[ ! -s out.txt ] || fail "a scenario that does not parse must not run"
	;;
error_every_parse_error_reported)
	printf 'ioas a\nfrob\ndevice nic group=1 window=0x8000000\nattach nic a\nmap a 1 2 3 q\n' >bad.scn
	run bad.scn
	expect_status 2
	printf '%s\n' "bad.scn:2:1: unknown command 'frob'" \
		'bad.scn:3:27: missing :SIZE in window=START:SIZE' \
		"bad.scn:5:13: bad prot letter 'q' (use r, w and m)" >want.txt
	cmp -s want.txt err.txt || { diff want.txt err.txt >&2; fail "not every parse error, or not in order"; }
	[ ! -s out.txt ] || fail "a scenario that does not parse must not run"
	for i in $(seq 1 25); do echo "bogus$i"; done >many.scn
	run many.scn
	expect_status 2
	expect_err_count "unknown command" 20
	expect_err_line "many.scn: 5 more errors not shown"
	;;
error_bad_number)
	{ base; printf 'map a 0x4000 0x12z45 4K\n'; } >bad.scn
	run bad.scn
	expect_status 2
	expect_err_line "bad.scn:6:18: bad number '0x12z45' for PADDR: unexpected character in number"
	;;
error_unknown_name)
	{ base; printf 'attach nic hw9\n'; } >bad.scn
	run bad.scn
	expect_status 2
	expect_err_line "bad.scn:6:12: unknown name 'hw9'"
	;;
error_missing_argument)
	{ base; printf 'msi nic q1\n'; } >bad.scn
	run bad.scn
	expect_status 2
	expect_err_line "bad.scn:6:11: missing MSI_ADDR (usage: msi DEV VEC MSI_ADDR)"
	;;
error_extra_argument)
	{ base; printf 'detach nic now\n'; } >bad.scn
	run bad.scn
	expect_status 2
	expect_err_line "bad.scn:6:12: unexpected argument 'now' (usage: detach DEV)"
	;;
error_option_after_objects)
	{ base; printf 'option reclaim unused\n'; } >bad.scn
	run bad.scn
	expect_status 2
	expect_err_line "bad.scn:6:1: option after the first command (line 1): options must come first"
	;;
error_unknown_errno)
	{ base; printf 'detach nic => EWHATEVER\n'; } >bad.scn
	run bad.scn
	expect_status 2
	expect_err_line "bad.scn:6:15: unknown error name 'EWHATEVER'"
	;;
error_stdin_location)
	printf 'ioas a\n\n  map a 1 2 3 rq\n' | "$sim" - >out.txt 2>err.txt
	status=$?
	expect_status 2
	expect_err_line "<stdin>:3:16: bad prot letter 'q' (use r, w and m)"
	;;
error_unknown_scheme_word)
	{ printf 'option reclaim none\noption scheme  linux\n'; base; } >bad.scn
	run bad.scn
	expect_status 2
	expect_err_line "bad.scn:2:16: unknown scheme 'linux' (native, kernel or dma-iommu)"
	;;
did_you_mean_and_error_names_in_any_case)
	{ base; printf 'atach nic h\nexpect sme nic q0 nic q0\ndetach nic => EBUSSY\nfail_map 1 enomemm\n'; } >bad.scn
	run bad.scn
	expect_status 2
	expect_err_line "bad.scn:6:1: unknown command 'atach' (did you mean attach?)"
	expect_err_line "bad.scn:7:8: unknown expectation 'sme' (did you mean same?) (iova, same, differ, same-page, differ-page, mapped, unmapped, untranslated, fires, ranges, alignment)"
	expect_err_line "bad.scn:8:15: unknown error name 'EBUSSY' (did you mean EBUSY?)"
	expect_err_line "bad.scn:9:12: unknown error name 'enomemm' (did you mean ENOMEM?)"
	{ base; printf 'detach nic\ndetach nic => einval\nmap a 0x100000 0x100000 0x1000\n'
		printf 'fail_map 1 EnoMem\nhwpt h2 a => enomem\n'
	} >ok.scn
	run ok.scn
	expect_status 0
	expect_out "EINVAL, as expected"
	expect_out "ENOMEM, as expected"
	;;
*)
	echo "cli_parse_errors.sh: unknown case '$case'" >&2
	exit 1
	;;
esac
exit 0
