#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# More swmsi-sim command-line test cases: what a new user hit (issue 10,
# item 5), the long random run, the language reference and the man page.
# usage: cli_more.sh CASE SIM_BINARY TESTS_CLI_DIR WORK_DIR
# Exit 0 pass, 1 fail, 77 skipped; see cli_lib.sh.
# shellcheck source=cli_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh"

case $case in
random_long_run_keeps_half_succeeding)
	# The generator recycles its objects: a long run keeps testing, at
	# least half its steps being calls the model expects to succeed.
	run --quiet --seed 5 --random 20000
	expect_status 0
	run --seed 5 --random 20000 --emit long.scn
	expect_status 0
	line=$(grep -E '^mix: ' out.txt) || fail "no mix line in the summary"
	steps=$(sed -E 's/^mix: ([0-9]+) steps?, ([0-9]+) succeed.*/\1/' <<<"$line")
	ok=$(sed -E 's/^mix: ([0-9]+) steps?, ([0-9]+) succeed.*/\2/' <<<"$line")
	[ "$steps" -eq 20000 ] || fail "the mix counts $steps steps, not 20000: $line"
	[ $((ok * 2)) -ge "$steps" ] || fail "only $ok of $steps steps succeed: $line"
	;;
*)
	echo "cli_more.sh: unknown case '$case'" >&2
	exit 1
	;;
esac
exit 0
