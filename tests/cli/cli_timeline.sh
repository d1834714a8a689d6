#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# swmsi-sim's timeline: the golden file, what each step changed and in
# which order, each broken invariant said once, where it starts and where
# it is resolved; summaries that count each once, in singular or plural;
# the vectors whose outcome a step changed; HWPTs by the object id users
# see; colour, headings and the progress line only on a terminal; --trace.
# usage: cli_timeline.sh CASE SIM_BINARY TESTS_CLI_DIR WORK_DIR
# Each case is one ctest, cli_CASE, registered from the case labels
# below by swmsi_cli_cases() in CMakeLists.txt. Exit 0 pass, 1 fail,
# 77 skipped; see cli_lib.sh.
# shellcheck source=cli_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh"

once=$dir/scenarios/findings_once.scn
nested=$dir/scenarios/nested_replace_loses_msi.scn
# stdout has @2 lines holding @1.
expect_out_count() {
	local n
	n=$(grep -cF -- "$1" out.txt)
	[ "$n" -eq "$2" ] || fail "stdout has $n lines with '$1', expected $2"
}
# The step of line @1 on the timeline, with the lines under it, into step.txt.
step_of() {
	awk -v l="$1" '$1 ~ /^[0-9]+$/ { on = ($1 == l) } on' out.txt >step.txt
}

case $case in
golden_timeline)
	# Run from the source dir so the file shows as scenarios/golden.scn;
	# the version is masked so a release does not break the golden file.
	run_in "$dir" scenarios/golden.scn
	expect_status 0
	sed -E 's/^swmsi-sim [0-9]+\.[0-9]+\.[0-9]+:/swmsi-sim VERSION:/' out.txt >timeline.txt
	if [ "${SWMSI_UPDATE_GOLDEN:-0}" = 1 ]; then
		cp timeline.txt "$dir/scenarios/golden.expected"
		echo "updated $dir/scenarios/golden.expected"
	fi
	diff -u "$dir/scenarios/golden.expected" timeline.txt >diff.txt ||
		{ cat diff.txt >&2; fail "timeline differs from scenarios/golden.expected" \
			"(if intended: SWMSI_UPDATE_GOLDEN=1 ctest -R cli_golden_timeline)"; }
	[ ! -s err.txt ] || fail "stderr is not empty"
	;;
replace_prints_installs_then_move_then_reclaim)
	# docs/design.md: install into the new domain, move, reclaim the old.
	cat >r.scn <<'EOF'
option reclaim unused
ioas a
hwpt s2 a
hwpt ident a
device gpu group=1 window=0x8000000:1M
attach gpu s2
msi gpu v0 0x8090040
replace gpu ident
EOF
	run --json out.json r.scn
	expect_status 0
	grep -A3 -F 'replace gpu ident' out.txt | sed -n '2,4p' | sed 's/^ *//' >got.txt
	printf '%s\n' 'ident (id 3): + 0x8000000 [4K] -> 0x8090000 rwm' \
		'group 1: s2 (id 2) -> ident (id 3)' 's2 (id 2): - 0x8000000 [4K]' >want.txt
	cmp -s want.txt got.txt || { diff want.txt got.txt >&2; fail "timeline order"; }
	need python3
	python3 - <<'PY' || fail "the JSON changes are not the timeline's, in its order"
import json
steps = json.load(open("out.json"))["steps"]
want = [
    {"kind": "map", "domain": 2, "hwpt": "ident", "iova": "0x8000000", "size": "0x1000",
     "paddr": "0x8090000", "prot": "rwm"},
    {"kind": "group_move", "group": 1, "from": "s2", "to": "ident"},
    {"kind": "unmap", "domain": 1, "hwpt": "s2", "iova": "0x8000000", "size": "0x1000",
     "bytes": "0x1000"},
]
assert steps[-1]["changes"] == want, steps[-1]["changes"]
PY
	;;
s1map_prints_stage1_change)
	cat >n.scn <<'EOF'
ioas a
hwpt p a nest_parent
nested viommu p
s1map viommu 0x8000000 0x8000000 4K rw
EOF
	run n.scn
	expect_status 0
	grep -A1 -F 's1map viommu' out.txt | sed -n '2p' | sed 's/^ *//' >got.txt
	echo 'viommu (id 3) stage 1: + 0x8000000 [4K] -> ipa 0x8000000 rw' >want.txt
	cmp -s want.txt got.txt || { diff want.txt got.txt >&2; fail "no stage-1 change line"; }
	;;
detach_and_unbind_say_what_happened)
	cat >u.scn <<'EOF'
ioas a
hwpt h a
device nic group=1 window=0x8000000:1M
device vf group=1 window=0x8000000:1M
attach nic h
attach vf h
msi nic q0 0x8090040
msi nic q1 0x8090040
detach vf
detach nic
unbind nic
unbind vf
EOF
	run u.scn
	expect_status 0
	grep -E '^ +(9|10|11|12)  ' out.txt | sed -E 's/^ +[0-9]+  [a-z]+ [a-z]+ +ok  //' >got.txt
	printf '%s\n' 'group 1 stays on h (nic attached)' \
		'group 1 left h; its 2 vectors kept, blocked until it is attached again' \
		'2 vectors freed (q0, q1); was detached already' 'no vectors; was detached already' >want.txt
	cmp -s want.txt got.txt || { diff want.txt got.txt >&2; fail "detach/unbind details"; }
	;;
timeline_errno_once_and_long_commands_wrap)
	{ base; printf 'map a 0x8000000 0x200000000 4K rw => EADDRINUSE\n'
	  printf 'map a 0x00000000000000000008000000 0x200000000 4K rw => EADDRINUSE\n'; } >l.scn
	run l.scn
	expect_status 0
	grep -E '^ +6  ' out.txt | tr -s ' ' >got.txt
	echo ' 6 map a 0x8000000 0x200000000 4K rw EADDRINUSE, as expected' >want.txt
	cmp -s want.txt got.txt || { diff want.txt got.txt >&2; fail "the error is not printed once"; }
	# A command too long for its column: the result goes under the column.
	grep -A1 -E '^ +7  map a 0x00000000000000000008000000 0x200000000 4K rw$' out.txt |
		sed -n 2p >got.txt
	printf '%53sEADDRINUSE, as expected\n' '' >want.txt
	cmp -s want.txt got.txt || { cat out.txt >&2; fail "a long command is not wrapped"; }
	printf 'ioas a\n' >one.scn
	run one.scn
	expect_out "PASS: 1 step, 0 failed expectations, 0 invariant violations"
	;;
stderr_follows_its_step_when_piped)
	# With 2>&1 into a pipe, each message comes right after its step's line.
	{ base; printf 'expect iova nic q0 0x1000\nexpect untranslated nic q0\nfire nic q0\n'; } >f.scn
	"$sim" -k f.scn >both.txt 2>&1
	status=$?
	expect_status 1
	grep -nE '^ +6  expect iova|^f\.scn:6:1: expectation|^ +7  expect untr|^f\.scn:7:1: expectation|^ +8  fire' \
		both.txt | cut -d: -f1 | tr '\n' ' ' >got.txt
	read -r a b c d e <got.txt
	[ -n "${e:-}" ] && [ "$a" -lt "$b" ] && [ "$b" -lt "$c" ] && [ "$c" -lt "$d" ] &&
		[ "$d" -lt "$e" ] || { cat both.txt >&2; fail "messages out of step order: lines $(cat got.txt)"; }
	;;
heading_printed_above_command)
	printf 'ioas a\n## Two words\n  ## and more\n# not this\nhwpt h a\n' >h.scn
	run h.scn
	expect_status 0
	grep -A3 -xF '## Two words' out.txt | sed -n '2p;3p' | tr -s ' ' >got.txt
	printf '## and more\n 5 hwpt h a ok id 2\n' >want.txt
	cmp -s want.txt got.txt || fail "heading lines are not right above 'hwpt h a'"
	grep -qF 'not this' out.txt && fail "a plain comment was printed"
	;;
color_only_on_terminal)
	run "$dir/scenarios/golden.scn"
	expect_status 0
	grep -q $'\033\\[' out.txt && fail "colours on a pipe"
	need script
	script -qec "\"$sim\" \"$dir/scenarios/golden.scn\"" /dev/null >tty.txt 2>&1 ||
		fail "failed on a terminal"
	grep -q $'\033\\[32mok' tty.txt || fail "no colours on a terminal"
	NO_COLOR=1 script -qec "\"$sim\" \"$dir/scenarios/golden.scn\"" /dev/null >tty.txt 2>&1 ||
		fail "failed on a terminal with NO_COLOR"
	grep -q $'\033\\[' tty.txt && fail "colours despite NO_COLOR"
	;;
no_color_and_dumb_terminals_get_plain_text)
	NO_COLOR=1 "$sim" "$golden" >out.txt 2>err.txt
	status=$?
	expect_status 0
	grep -q $'\e\[' out.txt && fail "NO_COLOR output has escapes"
	TERM=dumb "$sim" "$golden" >out.txt 2>err.txt
	status=$?
	expect_status 0
	grep -q $'\e\[' out.txt && fail "TERM=dumb output has escapes"
	# An empty NO_COLOR and no TERM leave it to the terminal: a file is not one.
	NO_COLOR= env -u TERM "$sim" "$golden" >out.txt 2>err.txt
	status=$?
	expect_status 0
	grep -q $'\e\[' out.txt && fail "output to a file has escapes"
	;;
progress_only_on_terminal)
	run --quiet --seed 3 --random 300
	expect_status 0
	grep -qF '[#' err.txt && fail "a progress bar on a pipe"
	need script
	script -qec "\"$sim\" --quiet --seed 3 --random 300" /dev/null >tty.txt 2>&1 ||
		fail "failed on a terminal"
	grep -qF '[####' tty.txt || fail "no progress bar on a terminal"
	grep -qF '300/300' tty.txt || fail "the progress bar does not reach the end"
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
trace_prints_journal)
	run --trace "$dir/scenarios/golden.scn"
	expect_status 0
	grep -qE '^ +trace #[0-9]+ map hp \(id 2\) iova 0x8000000 paddr 0x8090000 size 0x1000 prot rwm -> ok$' out.txt ||
		fail "no journal line for the first MSI install"
	grep -qE 'trace #[0-9]+ map .* -> ENOMEM$' out.txt || fail "no journal line for the injected fault"
	;;
finding_said_once_over_many_steps)
	# Two lost vectors break two invariants each; six later fires of
	# them touch them again and say nothing more.
	run "$once"
	expect_status 0
	expect_out_count "finding [" 4
	expect_out_count "finding [msi-reaches-doorbell]: nic q0 " 1
	expect_out_count "finding [cookie-maps-vector]: gpu g0: " 1
	step_of 13
	grep -qF "finding [msi-reaches-doorbell]: nic q0 " step.txt ||
		fail "nic q0's finding is not on the replace that starts it"
	expect_out_line "PASS: 21 steps, 0 failed expectations, 0 invariant violations, 4 findings under scheme dma-iommu"
	need python3
	run --json out.json "$once"
	python3 - <<'PY' || fail "the JSON does not list each finding once"
import json
d = json.load(open("out.json"))
per = {s["line"]: len(s["findings"]) for s in d["steps"]}
assert per[13] == 2 and per[14] == 2, per
assert sum(per.values()) == 4, per
assert d["summary"]["findings"] == 4, d["summary"]
PY
	;;
finding_resolved_where_it_ends)
	# The replace back resolves nic q0's two; unbinding gpu ends g0's.
	run "$once"
	expect_status 0
	expect_out_count "resolved [" 4
	step_of 21
	grep -qxF "        resolved [msi-reaches-doorbell] (since line 13): nic q0 (msg 0x8000040) was lost (EFAULT), not to its doorbell 0x8090040" step.txt ||
		fail "the replace back does not resolve nic q0's finding"
	grep -qF "resolved [cookie-maps-vector] (since line 13): nic q0" step.txt ||
		fail "the replace back does not resolve nic q0's cookie finding"
	step_of 23
	[ "$(grep -cF "resolved [" step.txt)" -eq 2 ] || fail "unbind gpu does not resolve g0's two findings"
	# The JSON step carries the same as records, with the line each began at.
	need python3
	run --json j.json "$once"
	python3 - j.json <<'PY' || fail "the JSON steps do not carry what was resolved"
import json, sys
d = json.load(open(sys.argv[1]))
res = {s["line"]: s["resolved"] for s in d["steps"]}
assert sorted(r["invariant"] for r in res[21]) == ["cookie-maps-vector", "msi-reaches-doorbell"], res[21]
assert all(r["since"] == 13 and r["finding"] for r in res[21]), res[21]
assert len(res[23]) == 2, res[23]
assert sum(len(v) for v in res.values()) == 4, res
PY
	# Freeing d16's vector resolves its message outside the window; its
	# MSI map stays outside the window (reclaim none): that one holds on.
	{ cat "$ex/14_kernel_64k_17th_doorbell.scn"; echo "free dev d16"; } >k.scn
	run k.scn
	expect_status 0
	step_of 50
	grep -qF "resolved [msg-in-window] (since line 46): dev d16: " step.txt ||
		fail "freeing d16's vector does not resolve msg-in-window"
	grep -qF "resolved [slot-in-window]" out.txt && fail "slot-in-window, still broken, said resolved"
	grep -qE '^PASS: .* 2 findings under scheme kernel$' out.txt || fail "not 2 findings"
	run "$once"
	# Every step checked whole says the same.
	mv out.txt incremental.txt
	run --full-check "$once"
	cmp -s incremental.txt out.txt || { diff incremental.txt out.txt >&2; fail "--full-check differs"; }
	;;
violations_counted_once_and_fail_where_they_start)
	# Under --strict the same are violations: the run stops at the first
	# step that breaks one; with -k each is counted once, not per fire.
	run --strict "$once"
	expect_status 1
	expect_out_line "FAIL: 11 steps, 0 failed expectations, 2 invariant violations"
	expect_err_count "invariant violated after 'replace nic hb'" 2
	run --strict -k "$once"
	expect_status 1
	expect_out_line "FAIL: 21 steps, 0 failed expectations, 4 invariant violations"
	expect_err_count "invariant violated" 4
	expect_out_count "resolved [" 4
	;;
summary_singular_and_plural)
	run --scheme dma-iommu "$ex/14_kernel_64k_17th_doorbell.scn"
	expect_status 0
	grep -qE '^PASS: [0-9]+ steps, 0 failed expectations, 0 invariant violations, 1 finding under scheme dma-iommu$' out.txt ||
		fail "one finding is not '1 finding'"
	{ base; printf 'expect iova nic q0 0x8000080\n'; } >f.scn
	run f.scn
	expect_status 1
	expect_out_line "FAIL: 6 steps, 1 failed expectation, 0 invariant violations"
	printf 'ioas a\n' >one.scn
	run one.scn
	expect_out_line "PASS: 1 step, 0 failed expectations, 0 invariant violations"
	;;
nested_replace_loses_msi_under_every_scheme)
	need python3
	for scheme in native kernel dma-iommu; do
		run --scheme "$scheme" --json "$scheme.json" "$nested"
		expect_status 0
		step_of 18
		grep -qE '^        vf0 irq1: LOST \(0x[0-9a-f]+ does not translate in s1bad\)$' step.txt ||
			fail "$scheme: the replace onto s1bad does not say vf0 irq1 is lost"
		step_of 20
		grep -qxF "        vf0 irq1: now reaches its doorbell 0x9001040" step.txt ||
			fail "$scheme: the replace back does not say vf0 irq1 reaches its doorbell"
		# Nothing changes for the vector at the fires and the detach.
		expect_out_count "vf0 irq1: " 2
		python3 - "$scheme.json" <<'PY' || fail "$scheme: the JSON step lacks the fate record"
import json, sys
d = json.load(open(sys.argv[1]))
steps = {s["line"]: s for s in d["steps"]}
assert all(isinstance(s["fates"], list) for s in d["steps"]), "fates missing"
f = steps[18]["fates"]
assert len(f) == 1, f
f = f[0]
assert set(f) == {"device", "vector", "fate", "was", "msg_addr", "landed", "errno", "reason"}, f
assert (f["device"], f["vector"], f["fate"], f["was"]) == ("vf0", "irq1", "lost", "doorbell"), f
assert f["landed"] is None and f["errno"] == "EFAULT", f
assert f["reason"] == "does not translate in s1bad", f
int(f["msg_addr"], 16)
b = steps[20]["fates"]
assert len(b) == 1 and b[0]["fate"] == "doorbell" and b[0]["was"] == "lost", b
assert b[0]["landed"] == "0x9001040" and b[0]["errno"] is None, b
assert all(not s["fates"] for n, s in steps.items() if n not in (18, 20)), steps
PY
	done
	# Stage 1 maps the window elsewhere: stage 2 is where it is lost.
	printf '%s\n' 'ioas a' 'hwpt p a nest_parent' 'nested s1 p' 'nested s2 p' \
		's1map s1 0x8000000 0x8000000 1M rw' 's1map s2 0x8000000 0x7000000 1M rw' \
		'device vf0 group=7 window=0x8000000:1M' 'attach vf0 s1' 'msi vf0 irq1 0x9001040' \
		'replace vf0 s2' >s2.scn
	run s2.scn
	expect_status 0
	expect_out_line "        vf0 irq1: LOST (0x8000040 translates in s2 to ipa 0x7000040, which does not translate in p)"
	;;
timeline_never_shows_domain_serials)
	# HWPTs by name and object id, as 'hwpt hp ... ok  id 2' gave it.
	run_in "$dir" --trace scenarios/golden.scn
	expect_status 0
	expect_out_line "        hp (id 2): + 0x8000000 [4K] -> 0x8090000 rwm"
	expect_out_line "        group 2: hq (id 3) -> hp (id 2)"
	for f in "$dir/scenarios/golden.scn" "$nested" "$ex"/*.scn; do
		"$sim" -k --trace "$f" >out.txt 2>err.txt
		grep -n 'dom#' out.txt err.txt && fail "$f: the timeline names a domain serial"
	done
	;;
trace_shows_attach_replace_detach_events)
	# Between the journal's installs and its reclaim, in call order.
	cat >t.scn <<'EOF'
option reclaim unused
ioas a
hwpt s2 a
hwpt ident a
device gpu group=1 window=0x8000000:1M
attach gpu s2
msi gpu v0 0x8090040
replace gpu ident
detach gpu
EOF
	run --trace t.scn
	expect_status 0
	step_of 6
	grep -qxF "        trace attach gpu -> s2 (id 2)" step.txt || fail "no attach event"
	grep -qxF "        trace group 1 switches: blocked -> s2 (id 2)" step.txt ||
		fail "no group switch on attach"
	step_of 8
	sed -n 's/^        trace //p' step.txt | sed -E 's/^#[0-9]+ //' >got.txt
	printf '%s\n' \
		'map ident (id 3) iova 0x8000000 paddr 0x8090000 size 0x1000 prot rwm -> ok' \
		'replace gpu -> ident (id 3)' \
		'group 1 switches: s2 (id 2) -> ident (id 3)' \
		'unmap s2 (id 2) iova 0x8000000 size 0x1000 -> 0x1000 bytes' >want.txt
	cmp -s want.txt got.txt || { diff want.txt got.txt >&2; fail "replace's trace order"; }
	step_of 9
	grep -qxF "        trace detach gpu" step.txt || fail "no detach event"
	grep -qxF "        trace group 1 switches: ident (id 3) -> blocked" step.txt ||
		fail "no group switch on detach"
	# A nested HWPT's switch names the domain it shares.
	run --trace "$nested"
	expect_out_line "        trace group 7 switches: s1 (id 3) over p (id 2) -> s1bad (id 4) over p (id 2)"
	;;
*)
	echo "cli_timeline.sh: unknown case '$case'" >&2
	exit 1
	;;
esac
exit 0
