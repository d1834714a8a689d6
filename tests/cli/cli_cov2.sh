#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# swmsi-sim command-line cases for the last branches of the simulator's
# coverage (issue 10): usage errors and outputs that fail under --compare.
# usage: cli_cov2.sh CASE SIM_BINARY TESTS_CLI_DIR WORK_DIR
# Exit 0 pass, 1 fail, 77 skipped; see cli_lib.sh.
# shellcheck source=cli_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh"

case $case in
one_output_on_stdout)
	# Two outputs cannot share standard output: a usage error, nothing run.
	run --json - --dot - "$dir/scenarios/golden.scn"
	expect_status 2
	expect_err_line "swmsi-sim: only one of --json, --dot and --svg can write to standard output ('-')"
	[ -s out.txt ] && fail "stdout is not empty"
	;;
compare_json_failing_at_close_says_so)
	# --compare writes its JSON at the end: a device that fails the writes
	# makes the exit 2, and the reason is said.
	[ -w /dev/full ] || skip "no /dev/full"
	run --compare --json /dev/full "$dir/scenarios/golden.scn"
	expect_status 2
	expect_err_line "swmsi-sim: cannot write /dev/full"
	;;
*)
	echo "cli_cov2.sh: unknown case '$case'" >&2
	exit 1
	;;
esac
exit 0
