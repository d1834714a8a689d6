#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# swmsi-sim's command line itself: --help, --version, the language
# reference and the man page agreeing with it, option spelling and usage
# errors, where the scenario comes from (a file, standard input, the demo)
# and what --quiet leaves out.
# usage: cli_usage.sh CASE SIM_BINARY TESTS_CLI_DIR WORK_DIR
# Each case is one ctest, cli_CASE, registered from the case labels
# below by swmsi_cli_cases() in CMakeLists.txt. Exit 0 pass, 1 fail,
# 77 skipped; see cli_lib.sh.
# shellcheck source=cli_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh"

# usage_is MESSAGE ARGS...: a usage error (exit 2) saying MESSAGE, then the hint.
usage_is() {
	local msg=$1
	shift
	run "$@"
	expect_status 2
	expect_err_line "swmsi-sim: $msg"
	expect_err_line "Try 'swmsi-sim --help'."
}

case $case in
help_exits_zero)
	run --help
	expect_status 0
	expect_out "usage: swmsi-sim"
	expect_out "none given means rw"
	;;
help_lists_every_command_of_the_reference)
	# --help's command list comes from the command table; the language
	# reference (docs/scenario-language.md) must show each usage line
	# verbatim, and --help must point at it.
	run --help
	expect_status 0
	sed -n '/^The scenario language/,/^Numbers are/p' out.txt | grep '^  [a-z]' |
		grep -v '^  option' | sed -E 's/^  //; s/ {2,}/\n/g' | sed '/^$/d' >usages.txt
	[ "$(wc -l <usages.txt)" -ge 25 ] || fail "--help lists $(wc -l <usages.txt) commands"
	while IFS= read -r u; do
		grep -qxF -- "$u" "$dir/../../docs/scenario-language.md" ||
			fail "the language reference lacks: $u"
	done <usages.txt
	expect_out "docs/scenario-language.md"
	;;
version_prints_library_version)
	run --version
	expect_status 0
	grep -qxE 'swmsi-sim [0-9]+\.[0-9]+\.[0-9]+' out.txt || fail "bad version line"
	;;
reference_names_every_option_default)
	ref=$dir/../../docs/scenario-language.md
	for d in 'page_shift 12' 'max_msi_maps 0' 'reclaim none' 'scheme native' \
		'option strict' '### The context'"'"'s window override: `window START SIZE`' \
		'### The doorbell allow-list: `doorbell PADDR SIZE`' '### Vector labels: `VEC`' \
		'expect same-page' 'exact message addresses'; do
		grep -qF -- "$d" "$ref" || fail "docs/scenario-language.md lacks: $d"
	done
	run --help
	for w in $(sed -n 's/^  option \([a-z_]*\).*/\1/p; s/.*  option \([a-z_]*\).*/\1/p' out.txt | sort -u); do
		grep -qF -- "option $w" "$ref" || fail "the reference lacks option $w"
	done
	grep -qF 'scenario-language.md' "$dir/../../tools/swmsi-sim/README.md" ||
		fail "the README does not link the reference"
	;;
man_page_lists_every_command_and_option)
	man=$dir/../../tools/swmsi-sim/swmsi-sim.1
	need man
	MANWIDTH=200 man -l "$man" 2>/dev/null | col -b >man.txt || fail "man cannot render it"
	run --help
	sed -n '/^The scenario language/,/^Numbers are/p' out.txt | grep '^  [a-z]' |
		grep -v '^  option' | sed -E 's/^  //; s/ {2,}/\n/g' | sed '/^$/d' >usages.txt
	while IFS= read -r u; do
		grep -qF -- "$u" man.txt || fail "the man page lacks the command: $u"
	done <usages.txt
	for o in $(grep -oE '^ +(-[a-zA-Z], )?--[a-z-]+' out.txt | grep -oE -- '--[a-z-]+'); do
		grep -qE -- "(^|[ ,])$o([ =,[]|$)" man.txt || fail "the man page lacks the option $o"
	done
	for w in page_shift max_msi_maps reclaim scheme strict; do
		grep -qF "option $w" man.txt || fail "the man page lacks option $w"
	done
	;;
man_page_renders_without_warnings)
	need man
	MANWIDTH=80 man --warnings -l "$dir/../../tools/swmsi-sim/swmsi-sim.1" >/dev/null 2>warn.txt ||
		fail "man failed"
	[ ! -s warn.txt ] || { cat warn.txt >&2; fail "man warns about swmsi-sim.1"; }
	;;
usage_unknown_option)
	run --bogus
	expect_status 2
	expect_err_line "swmsi-sim: unknown option '--bogus'"
	;;
usage_two_files)
	run a.scn b.scn
	expect_status 2
	expect_err_line "swmsi-sim: more than one scenario given ('b.scn')"
	;;
usage_seed_without_random)
	run --seed 3
	expect_status 2
	expect_err_line "swmsi-sim: --seed needs --random STEPS"
	;;
getopt_bundles_and_equals)
	# getopt_long: bundled short options, --opt=VALUE, options after the file.
	run -qk --json=out.json "$dir/scenarios/golden.scn"
	expect_status 0
	[ -s out.txt ] && fail "-qk printed a timeline"
	json_check out.json 0
	run "$dir/scenarios/golden.scn" --quiet --dot=out.dot
	expect_status 0
	grep -q '^digraph' out.dot || fail "--dot=FILE after the file wrote no graph"
	run -- "$dir/scenarios/golden.scn"
	expect_status 0
	run --json= "$dir/scenarios/golden.scn"
	expect_status 2
	expect_err_line "swmsi-sim: --json needs a file name"
	;;
bad_option_values_are_usage_errors)
	usage_is "bad number for --seed" --random 5 --seed zz
	usage_is "bad number for --random" --random zz
	usage_is "--random takes 1 to 1000000 steps" --random 0
	usage_is "--random takes 1 to 1000000 steps" --random 1000001
	usage_is "unknown option '-Z'" -Z "$golden"
	usage_is "unknown option '--bogus'" --bogus "$golden"
	# A scheme name is quoted to 31 characters.
	usage_is "unknown scheme 'abcdefghijklmnopqrstuvwxyzabcde' for --compare (native, kernel or dma-iommu, comma separated)" \
		--compare=abcdefghijklmnopqrstuvwxyzabcdefghijklmnop "$golden"
	usage_is "--compare= needs at least one scheme" --compare= "$golden"
	;;
options_that_do_not_go_together)
	usage_is "--random generates its own scenario; drop '$golden'" --random 5 "$golden"
	usage_is "--emit needs --random STEPS" --emit x.scn "$golden"
	usage_is "--explore needs a scenario FILE (and no --random or --compare)" --explore 2 --random 5
	[ -e x.scn ] && fail "--emit wrote a file on a usage error"
	;;
stdin_reads_scenario)
	"$sim" - <"$dir/scenarios/golden.scn" >out.txt 2>err.txt
	status=$?
	expect_status 0
	expect_out "<stdin>"
	expect_out "PASS"
	;;
unreadable_file)
	run missing.scn
	expect_status 2
	expect_err_line "missing.scn: cannot read: No such file or directory"
	mkdir adir
	run adir
	expect_status 2
	expect_err_line "adir: cannot read: Is a directory"
	;;
input_over_64_mib_is_refused)
	# A file (sparse here) or standard input past 64 MiB is not read.
	truncate -s 65M big.scn || skip "cannot make a sparse file"
	run big.scn
	expect_status 2
	expect_err_line "big.scn: cannot read: larger than 64 MiB"
	"$sim" - <big.scn >out.txt 2>err.txt
	status=$?
	expect_status 2
	expect_err_line "<stdin>: cannot read: larger than 64 MiB"
	rm -f big.scn
	;;
demo_passes)
	run
	expect_status 0
	expect_out "<demo>"
	expect_out "PASS"
	expect_out "ENOMEM, as expected"
	;;
print_demo_round_trips)
	run --print-demo
	expect_status 0
	cp out.txt demo.scn
	run demo.scn
	expect_status 0
	tail -n +2 out.txt >file.txt
	run
	expect_status 0
	head -n 1 out.txt | grep -qF "; line numbers refer to 'swmsi-sim --print-demo'" ||
		fail "the demo's header does not mention --print-demo"
	tail -n +2 out.txt | cmp -s - file.txt || fail "the printed demo does not give the demo's timeline"
	;;
quiet_prints_nothing)
	run --quiet "$dir/scenarios/golden.scn"
	expect_status 0
	[ ! -s out.txt ] || fail "--quiet printed a timeline"
	[ ! -s err.txt ] || fail "--quiet printed to stderr"
	;;
*)
	echo "cli_usage.sh: unknown case '$case'" >&2
	exit 1
	;;
esac
exit 0
