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
svg_unwritable_reported_before_the_run)
	# Every output path is checked before the first run, --svg too, and
	# under --compare too.
	run --svg /nonexistent/x.svg "$dir/scenarios/golden.scn"
	expect_status 2
	expect_err_line "swmsi-sim: cannot write /nonexistent/x.svg: No such file or directory"
	[ ! -s out.txt ] || fail "the scenario ran though its SVG cannot be written"
	mkdir adir
	run --compare --json adir "$dir/scenarios/golden.scn"
	expect_status 2
	expect_err_line "swmsi-sim: cannot write adir: Is a directory"
	[ ! -s out.txt ] || fail "--compare ran though its JSON cannot be written"
	run --compare --dot /nonexistent/x.dot --svg y.svg "$dir/scenarios/golden.scn"
	expect_status 2
	expect_err_line "swmsi-sim: cannot write /nonexistent/x.dot: No such file or directory"
	[ ! -e y.svg ] || fail "y.svg was written"
	touch ro.json
	chmod a-w ro.json
	if [ ! -w ro.json ]; then # root writes anyway
		run --json ro.json "$dir/scenarios/golden.scn"
		expect_status 2
		expect_err_line "swmsi-sim: cannot write ro.json: Permission denied"
	fi
	;;
summary_passes_when_only_an_output_failed)
	# A dot that fails: the steps all passed, so the summary says PASS and
	# the exit status (2) says the output failed.
	mkdir fakebin
	printf '#!/bin/sh\ncat >/dev/null\nexit 1\n' >fakebin/dot
	chmod +x fakebin/dot
	PATH=$PWD/fakebin:$PATH "$sim" --svg out.svg "$dir/scenarios/golden.scn" >out.txt 2>err.txt
	status=$?
	expect_status 2
	expect_err_line "swmsi-sim: dot failed to render out.svg"
	tail -n 1 out.txt | grep -qE '^PASS: [0-9]+ steps, 0 failed expectations, 0 invariant violations; exit 2: see the error above$' ||
		fail "the summary is not a PASS that names exit 2: $(tail -n 1 out.txt)"
	grep -q '^FAIL' out.txt && fail "the summary says FAIL"
	;;
progress_never_shares_the_terminal_with_the_timeline)
	need script
	# Timeline and bar on one terminal: no bar.
	script -qec "\"$sim\" --seed 3 --random 300" /dev/null >tty.txt 2>&1 ||
		fail "failed on a terminal"
	grep -qF '[####' tty.txt && fail "a progress bar between the timeline's lines"
	grep -qF 'PASS' tty.txt || fail "no timeline on the terminal"
	# The timeline to a file: the bar on the terminal.
	script -qec "\"$sim\" --seed 3 --random 300 >timeline.txt" /dev/null >tty.txt 2>&1 ||
		fail "failed with the timeline in a file"
	grep -qF '[####' tty.txt || fail "no progress bar when the timeline goes to a file"
	grep -qF '[#' timeline.txt && fail "the bar went into the timeline"
	# A diagnostic clears the bar first: it starts a line of its own.
	"$sim" --seed 3 --random 300 --emit r.scn >/dev/null || fail "cannot generate"
	sed -i '0,/^msi \(dv[0-9]*\) \(v[0-9]*\) .*/s//&\nexpect iova \1 \2 0x1/' r.scn
	grep -q '^expect iova .* 0x1$' r.scn || skip "the scenario has no msi to break"
	NO_COLOR=1 script -qec "\"$sim\" -q -k r.scn" /dev/null >tty.txt 2>&1
	tr '\r' '\n' <tty.txt | grep -q '^r.scn:[0-9]*:[0-9]*: expectation failed' ||
		fail "a diagnostic shares a line with the bar: $(grep -a 'expectation failed' tty.txt | head -n 1)"
	;;
fail_map_zero_disarms)
	{ base; printf 'fail_map 1 ENOMEM\nfail_map 0 ENOMEM\nhwpt h2 a\n'; } >f.scn
	run f.scn
	expect_status 0
	grep -E '^ +7  fail_map 0 ENOMEM +ok  map fault disarmed$' out.txt >/dev/null ||
		fail "fail_map 0 is not shown as disarming"
	grep -q 'map call #0' out.txt && fail "fail_map 0 shown as map call #0"
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
did_you_mean_and_error_names_in_any_case)
	{ base; printf 'atach nic h\nexpect sme nic q0 nic q0\ndetach nic => EBUSSY\nfail_map 1 enomemm\n'; } >bad.scn
	run bad.scn
	expect_status 2
	expect_err_line "bad.scn:6:1: unknown command 'atach' (did you mean attach?)"
	expect_err_line "bad.scn:7:8: unknown expectation 'sme' (did you mean same?) (iova, same, differ, same-page, differ-page, mapped, unmapped, untranslated, fires)"
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
failed_auto_hwpt_named_after_its_ioas)
	printf 'ioas a\nmap a 0x100000 0x100000 0x1000\ndevice nic group=1 window=0x8000000:1M\nfail_map 1 ENOMEM\nattach nic a => ENOMEM\nfail_map 1 ENOMEM\nhwpt h a => ENOMEM\n' >f.scn
	run f.scn
	expect_status 0
	expect_out "auto@a: map 0x100000 [4K] -> 0x100000 failed: ENOMEM"
	expect_out "auto@a: domain freed"
	expect_out "h: map 0x100000 [4K] -> 0x100000 failed: ENOMEM"
	grep -qF ' ?:' out.txt && fail "a domain is still named '?'"
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
scheme_examples_draw_and_write_json)
	# Every example written for another scheme, drawn and written as JSON:
	# the dma-iommu cookies' clusters, misrouted and lost vectors, the
	# kernel's slots past their window; and an SVG to standard output.
	need python3
	for scn in "$dir"/../../examples/scenarios/1[2-6]_*.scn; do
		name=$(basename "$scn" .scn)
		run --dot "$name.dot" --json "$name.json" "$scn"
		expect_status 0
		python3 -m json.tool "$name.json" >/dev/null || fail "$name.json is not valid JSON"
		grep -q '^digraph swmsi {$' "$name.dot" || fail "no graph for $name"
		if command -v dot >/dev/null 2>&1; then
			dot -Tsvg "$name.dot" >/dev/null 2>dot.err || fail "dot rejects $name.dot"
			[ ! -s dot.err ] || { cat dot.err >&2; fail "dot warns about $name.dot"; }
		fi
	done
	grep -q 'cluster' 12_dma_iommu_replace_loses_msi.dot || fail "no cookie cluster drawn"
	grep -q 'LOST' 12_dma_iommu_replace_loses_msi.dot || fail "the lost vector is not drawn"
	grep -q 'MISROUTED' 13_dma_iommu_misroute.dot || fail "the misrouted vector is not drawn"
	need dot
	run --svg - "$dir/../../examples/scenarios/13_dma_iommu_misroute.scn"
	expect_status 0
	grep -q '<svg' out.txt || fail "--svg - wrote no SVG to standard output"
	;;
*)
	echo "cli_more.sh: unknown case '$case'" >&2
	exit 1
	;;
esac
exit 0
