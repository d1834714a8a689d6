#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# swmsi-sim's subcommands (run, compare, explore, random, demo, print-demo,
# help): each takes only its own options, says so in its --help and in its
# man page section, gives the output of the spelling from before it, and
# the bash completion offers the same commands and options.
# usage: cli_subcommands.sh CASE SIM_BINARY TESTS_CLI_DIR WORK_DIR
# Exit 0 pass, 1 fail, 77 skipped; see cli_lib.sh.
# shellcheck source=cli_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh"

root=$dir/../..
golden=$dir/scenarios/golden.scn
subs="run compare explore random demo print-demo"

# The long options each subcommand takes, in its --help's order.
want_opts() {
	local plays="--quiet --keep-going --json --dot --svg --only --trace"
	case $1 in
	run | demo) echo "$plays --scheme --full-check --strict --help" ;;
	compare) echo "$plays --full-check --strict --schemes --help" ;;
	random) echo "$plays --scheme --full-check --strict --compare --seed --emit --help" ;;
	explore) echo "--json --scheme --faults --vectors --jobs --max-states --counterexample --help" ;;
	print-demo) echo "--help" ;;
	esac
}
# The long options a help text on stdin lists, one line.
help_opts() {
	grep -oE '^ +(-[a-zA-Z], )?--[a-z-]+' | grep -oE -- '--[a-z-]+' | tr '\n' ' ' | sed 's/ $//'
}
# same_run "NEW ARGS" "OLD ARGS": both spellings, the same stdout, stderr and status.
same_run() {
	# shellcheck disable=SC2086
	"$sim" $1 >new.out 2>new.err
	local s1=$?
	# shellcheck disable=SC2086
	"$sim" $2 >old.out 2>old.err
	local s2=$?
	[ "$s1" -eq "$s2" ] || fail "'$1' exits $s1, '$2' $s2"
	cmp -s new.out old.out || { diff new.out old.out | head >&2; fail "'$1' and '$2' print different timelines"; }
	cmp -s new.err old.err || { diff new.err old.err | head >&2; fail "'$1' and '$2' say different things on stderr"; }
	last_status=$s1
}
# usage_is WHO MESSAGE ARGS...: exit 2, "WHO: MESSAGE" and the hint to WHO --help.
usage_is() {
	local who=$1 msg=$2
	shift 2
	run "$@"
	expect_status 2
	expect_err_line "$who: $msg"
	expect_err_line "Try '$who --help'."
	[ -s out.txt ] && fail "$* printed on stdout"
	return 0
}

case $case in
each_help_lists_only_its_options)
	for s in $subs; do
		run "$s" --help
		expect_status 0
		expect_out "usage: swmsi-sim $s"
		got=$(help_opts <out.txt)
		[ "$got" = "$(want_opts "$s")" ] || fail "$s --help lists: $got"
		run "$s" -h
		expect_status 0
		expect_out "usage: swmsi-sim $s"
	done
	# the top-level help lists every command
	run --help
	for s in $subs help; do
		grep -qE "^  $s +[a-z]" out.txt || fail "--help does not list the command $s"
	done
	;;
foreign_option_is_refused_naming_the_subcommand)
	usage_is "swmsi-sim compare" "unknown option '--explore'" compare --explore 3 "$golden"
	# a whole name is not taken as the prefix of another option (--schemes)
	usage_is "swmsi-sim compare" "unknown option '--scheme'" compare --scheme kernel "$golden"
	usage_is "swmsi-sim compare" "unknown option '--seed'" compare --seed 3 "$golden"
	usage_is "swmsi-sim run" "unknown option '--compare'" run --compare "$golden"
	usage_is "swmsi-sim run" "unknown option '--random'" run --random 5
	usage_is "swmsi-sim run" "unknown option '--print-demo'" run --print-demo
	usage_is "swmsi-sim run" "unknown option '--faults'" run --faults "$golden"
	usage_is "swmsi-sim explore" "unknown option '--quiet'" explore 2 --quiet "$golden"
	usage_is "swmsi-sim explore" "unknown option '-k'" explore 2 -k "$golden"
	usage_is "swmsi-sim explore" "unknown option '--dot'" explore 2 --dot x.dot "$golden"
	usage_is "swmsi-sim random" "unknown option '--counterexample'" random --counterexample c 5
	usage_is "swmsi-sim demo" "unknown option '--emit'" demo --emit x.scn
	usage_is "swmsi-sim demo" "unknown option '--version'" demo --version
	usage_is "swmsi-sim print-demo" "unknown option '-q'" print-demo -q
	[ -e x.dot ] || [ -e x.scn ] && fail "a refused command wrote a file"
	;;
operands_are_checked_per_subcommand)
	usage_is "swmsi-sim explore" "needs DEPTH and a scenario FILE" explore 3
	usage_is "swmsi-sim explore" "DEPTH takes 1 to 64" explore 0 "$golden"
	usage_is "swmsi-sim explore" "bad number for DEPTH" explore x "$golden"
	usage_is "swmsi-sim random" "needs STEPS" random
	usage_is "swmsi-sim random" "STEPS takes 1 to 1000000" random 1000001
	usage_is "swmsi-sim random" "generates its own scenario; drop 'f.scn'" random 5 f.scn
	usage_is "swmsi-sim random" "--compare runs every scheme it names; drop --scheme" \
		random --compare --scheme kernel 5
	usage_is "swmsi-sim run" "more than one scenario given ('b.scn')" run a.scn b.scn
	usage_is "swmsi-sim demo" "takes no FILE ('f.scn'); 'swmsi-sim run FILE' plays one" demo f.scn
	usage_is "swmsi-sim compare" "unknown scheme 'x' for --schemes (native, kernel or dma-iommu, comma separated)" \
		compare --schemes=native,x
	usage_is "swmsi-sim run" "--only restricts the picture: it needs --dot FILE or --svg FILE" \
		run --only group=1 "$golden"
	usage_is "swmsi-sim compare" "only one of --json, --dot and --svg can write to standard output ('-')" \
		compare --json - --dot - "$golden"
	;;
run_gives_the_old_spellings_output)
	same_run "run $golden" "$golden"
	same_run "run -k --trace --full-check $golden" "-k --trace --full-check $golden"
	same_run "run --scheme kernel $root/examples/scenarios/01_domain_swap.scn" \
		"--scheme kernel $root/examples/scenarios/01_domain_swap.scn"
	same_run "run $dir/scenarios/expect_failures.scn" "$dir/scenarios/expect_failures.scn"
	[ "$last_status" -eq 1 ] || fail "a failed expectation exits $last_status"
	"$sim" run --json new.json "$golden" >/dev/null && "$sim" --json old.json "$golden" >/dev/null ||
		fail "--json runs failed"
	cmp -s new.json old.json || fail "run --json and --json differ"
	"$sim" run - <"$golden" >new.out 2>&1
	"$sim" - <"$golden" >old.out 2>&1
	cmp -s new.out old.out || fail "run - and - differ"
	;;
compare_gives_the_old_spellings_output)
	same_run "compare $golden" "--compare $golden"
	same_run "compare --schemes=kernel,native $golden" "--compare=kernel,native $golden"
	same_run "compare --schemes kernel,dma-iommu -k $golden" "--compare=kernel,dma-iommu -k $golden"
	same_run "compare" "--compare"
	;;
explore_gives_the_old_spellings_output)
	ex=$root/examples/explore
	# the timing changes from run to run; the found-by line names the spelling
	norm() {
		sed -E 's/[0-9.]+ s\b/T s/g; s/\([0-9]+ states\/s\)//; s/(new|old)\.scn/CEX/; /^# found by: /d' "$1"
	}
	"$sim" explore 4 --counterexample new.scn "$ex/02_dma_iommu_replace.scn" >new.out 2>new.err
	s1=$?
	"$sim" --explore 4 --counterexample old.scn "$ex/02_dma_iommu_replace.scn" >old.out 2>old.err
	s2=$?
	[ "$s1" -eq 1 ] && [ "$s2" -eq 1 ] || fail "a violation exits $s1 and $s2, not 1"
	cmp -s <(norm new.out) <(norm old.out) || fail "explore and --explore report differently"
	cmp -s <(norm new.scn) <(norm old.scn) || fail "explore and --explore write different counterexamples"
	# as typed, not in the order getopt_long leaves argv
	grep -qxF "# found by: swmsi-sim explore 4 --counterexample new.scn $ex/02_dma_iommu_replace.scn" new.scn ||
		fail "the counterexample does not say how it was found"
	"$sim" explore 3 --faults --jobs 1 "$ex/01_native_two_groups.scn" >new.out 2>&1
	s1=$?
	"$sim" --explore 3 --faults --jobs 1 "$ex/01_native_two_groups.scn" >old.out 2>&1
	s2=$?
	[ "$s1" -eq 0 ] && [ "$s2" -eq 0 ] || fail "a clean universe exits $s1 and $s2"
	cmp -s <(norm new.out) <(norm old.out) || fail "explore --faults and --explore --faults differ"
	# options the old spelling accepted and ignored still have no effect
	"$sim" --explore 3 --faults --jobs 1 -q -k --strict "$ex/01_native_two_groups.scn" >old.out 2>&1
	cmp -s <(norm new.out) <(norm old.out) || fail "-q -k --strict changed --explore"
	;;
random_gives_the_old_spellings_output)
	same_run "random --seed 3 40" "--seed 3 --random 40"
	same_run "random 25" "--random 25"
	same_run "random --scheme kernel --seed 9 30" "--scheme kernel --random 30 --seed 9"
	same_run "random --compare --seed 4 20" "--random 20 --compare --seed 4"
	same_run "random --compare=native,kernel 20" "--compare=native,kernel --random 20"
	"$sim" random --seed 5 --emit new.scn 30 >/dev/null && "$sim" --seed 5 --random 30 --emit old.scn >/dev/null ||
		fail "--emit runs failed"
	cmp -s new.scn old.scn || fail "random --emit and --random --emit write different scenarios"
	;;
demo_and_print_demo_give_the_old_output)
	same_run "demo" ""
	same_run "demo --scheme kernel" "--scheme kernel"
	same_run "demo -q --json -" "-q --json -"
	same_run "print-demo" "--print-demo"
	[ "$last_status" -eq 0 ] || fail "print-demo exits $last_status"
	;;
help_command_prints_a_subcommands_help)
	for s in $subs; do
		"$sim" help "$s" >a.txt 2>&1 || fail "help $s failed"
		"$sim" "$s" --help >b.txt 2>&1
		cmp -s a.txt b.txt || fail "help $s and $s --help differ"
	done
	run help compare
	expect_status 0
	expect_out "usage: swmsi-sim compare [--schemes=S,...] [options] [FILE|-]"
	"$sim" help >a.txt && "$sim" --help >b.txt && cmp -s a.txt b.txt || fail "help and --help differ"
	usage_is "swmsi-sim" "no command 'nope' (run, compare, explore, random, demo or print-demo)" help nope
	;;
man_page_lists_each_commands_options)
	# Each SUBCOMMANDS section's "Its options:" list is exactly what the
	# subcommand's --help prints (both come from the option table).
	man=$root/tools/swmsi-sim/swmsi-sim.1
	for s in $subs; do
		esc=${s//-/\\\\-}
		got=$(sed -n "/^\.SS $esc\$/,/^\.S[SH] /p" "$man" | sed -n '/^Its options:$/,/\.$/p' |
			grep -oE -- '\\-\\-[a-z\\-]+' | sed 's/\\//g' | tr '\n' ' ' | sed 's/ $//')
		[ -n "$got" ] || fail "the man page has no options list for $s"
		[ "$got" = "$("$sim" "$s" --help | help_opts)" ] ||
			fail "the man page lists for $s: $got; --help: $("$sim" "$s" --help | help_opts)"
	done
	grep -qF '.SH SUBCOMMANDS' "$man" || fail "no SUBCOMMANDS section"
	grep -qF '.SH COMPATIBILITY' "$man" || fail "no COMPATIBILITY section"
	;;
bash_completion_completes_commands_and_options)
	comp=$root/tools/swmsi-sim/swmsi-sim.bash-completion
	bash -n "$comp" || fail "the completion script does not parse"
	# complete WORDS...: what the completion offers for the last word.
	complete_words() {
		bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
			COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; _swmsi_sim swmsi-sim "${COMP_WORDS[-1]}" \
			"${COMP_WORDS[-2]}"; printf "%s\n" "${COMPREPLY[@]}"' _ "$comp" "$@"
	}
	[ "$(complete_words swmsi-sim com)" = compare ] || fail "com<TAB> gives: $(complete_words swmsi-sim com)"
	[ "$(complete_words swmsi-sim compare --sch)" = --schemes= ] ||
		fail "compare --sch<TAB> gives: $(complete_words swmsi-sim compare --sch)"
	[ "$(complete_words swmsi-sim run --sch)" = --scheme ] || fail "run --sch<TAB> gives: $(complete_words swmsi-sim run --sch)"
	[ "$(complete_words swmsi-sim run --scheme k)" = kernel ] || fail "--scheme k<TAB> gives another scheme"
	[ "$(complete_words swmsi-sim compare --schemes=native,d)" = native,dma-iommu ] ||
		fail "--schemes=native,d<TAB> gives: $(complete_words swmsi-sim compare --schemes=native,d)"
	# every subcommand's options, as its --help lists them
	for s in $subs; do
		got=$(complete_words swmsi-sim "$s" -- | sed 's/=$//' | tr '\n' ' ' | sed 's/ $//')
		[ "$got" = "$("$sim" "$s" --help | help_opts)" ] || fail "completion of $s --: $got"
	done
	# FILE: the scenario files of a directory
	mkdir -p d && touch d/a.scn d/b.txt
	complete_words swmsi-sim run d/ | grep -qx 'd/a.scn' || fail "run d/<TAB> does not offer d/a.scn"
	;;
*)
	fail "unknown case"
	;;
esac
exit 0
