#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# swmsi-sim's output files: --json is valid and says what the timeline
# says, "-" writes to standard output (one output at most), and a file
# that cannot be read, written or closed says why without hiding the
# run's own result.
# usage: cli_outputs.sh CASE SIM_BINARY TESTS_CLI_DIR WORK_DIR
# Each case is one ctest, cli_CASE, registered from the case labels
# below by swmsi_cli_cases() in CMakeLists.txt. Exit 0 pass, 1 fail,
# 77 skipped; see cli_lib.sh.
# shellcheck source=cli_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh"

case $case in
json_is_valid)
	run --json out.json "$dir/scenarios/golden.scn"
	expect_status 0
	json_check out.json 0
	;;
json_valid_on_failure)
	{ base; printf 'expect iova nic q0 0x1000\n'; } >f.scn
	run --json out.json f.scn
	expect_status 1
	json_check out.json 1
	;;
json_escapes_strings)
	name=$'we"ird\\na\tme.scn'
	base >"$name"
	run --json out.json "$name"
	expect_status 0
	json_check out.json 0
	python3 - "$name" <<'PY' || fail "the file name did not round-trip through JSON"
import json, sys
assert json.load(open("out.json"))["file"] == sys.argv[1]
PY
	;;
json_nested_has_stage1)
	cat >n.scn <<'EOF'
ioas a
map a 0x40000000 0x100000000 64K
hwpt p a nest_parent
nested viommu p
device nic group=1 window=0x8000000:1M
attach nic viommu
s1map viommu 0x8000000 0x8000000 1M r
EOF
	run --json out.json n.scn
	expect_status 0
	json_check out.json 0
	python3 - <<'PY' || fail "stage 1, IOAS mappings or reserved windows missing from the JSON"
import json
f = json.load(open("out.json"))["final"]
h = {x["name"]: x for x in f["hwpts"]}
assert h["viommu"]["stage1"] == [{"iova": "0x8000000", "ipa": "0x8000000",
                                  "size": "0x100000", "prot": "r"}], h["viommu"]
assert "stage1" not in h["p"], h["p"]
a = f["ioas"][0]
assert a["mappings"] == [{"iova": "0x40000000", "paddr": "0x100000000",
                          "size": "0x10000", "prot": "rw"}], a
assert a["reserved"] == [{"start": "0x8000000", "size": "0x100000"}], a
PY
	;;
json_names_ids_and_effective_options)
	cat >n.scn <<'EOF'
ioas ram
hwpt p ram nest_parent
nested vi p
device nic group=1 window=0x8000000:1M
attach nic vi
EOF
	run --json out.json n.scn
	expect_status 0
	json_check out.json 0
	python3 - <<'PY' || fail "JSON references or options are not as documented"
import json
d = json.load(open("out.json"))
# 0 in the scenario (none given) is the library's default, 64.
assert d["options"] == {"page_shift": 12, "max_msi_maps": 64, "reclaim": "none"}, d["options"]
f = d["final"]
h = {x["name"]: x for x in f["hwpts"]}
assert (h["p"]["ioas"], h["p"]["ioas_id"], h["p"]["parent"], h["p"]["parent_id"]) == \
    ("ram", 1, None, None), h["p"]
assert (h["vi"]["ioas"], h["vi"]["parent"], h["vi"]["parent_id"]) == ("ram", "p", 2), h["vi"]
nic = f["devices"][0]
assert (nic["hwpt"], nic["hwpt_id"]) == ("vi", 3), nic
PY
	;;
json_failed_expect_says_what_and_why)
	{ base; printf 'expect iova nic q0 0x8001040\nfire nic q0 => EFAULT\nexpect unmapped h 0x8000000\n'; } >f.scn
	run -k --json out.json f.scn
	expect_status 1
	json_check out.json 1
	python3 - <<'PY' || fail "a failed step does not say what was expected and what happened"
import json
steps = json.load(open("out.json"))["steps"]
got = [(s["expect"], s["result"], s["status"]) for s in steps[5:]]
assert got == [
    ("message address 0x8001040", "message address 0x8000040", "fail"),
    ("EFAULT", "lands at 0x8090040", "fail"),
    ("0x8000000 does not translate", "0x8000000 -> 0x8090000", "fail"),
], got
# A call keeps its error names.
assert (steps[0]["expect"], steps[0]["result"]) == ("ok", "ok"), steps[0]
PY
	;;
outputs_to_stdout_with_dash)
	run --json - "$dir/scenarios/golden.scn"
	expect_status 0
	json_check out.txt 0
	run --dot - "$dir/scenarios/golden.scn"
	expect_status 0
	head -n 1 out.txt | grep -qxF 'digraph swmsi {' || fail "--dot - did not write the graph alone"
	run --json - --dot - "$dir/scenarios/golden.scn"
	expect_status 2
	expect_err_line "swmsi-sim: only one of --json, --dot and --svg can write to standard output ('-')"
	;;
one_output_on_stdout)
	# Two outputs cannot share standard output: a usage error, nothing run.
	run --json - --dot - "$dir/scenarios/golden.scn"
	expect_status 2
	expect_err_line "swmsi-sim: only one of --json, --dot and --svg can write to standard output ('-')"
	[ -s out.txt ] && fail "stdout is not empty"
	;;
outputs_unwritable_say_why)
	run --json /nonexistent/x.json "$dir/scenarios/golden.scn"
	expect_status 2
	expect_err_line "swmsi-sim: cannot write /nonexistent/x.json: No such file or directory"
	[ ! -s out.txt ] || fail "the scenario ran though its JSON cannot be written"
	run --dot /nonexistent/x.dot "$dir/scenarios/golden.scn"
	expect_status 2
	expect_err_line "swmsi-sim: cannot write /nonexistent/x.dot: No such file or directory"
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
unreadable_and_unwritable_files_say_why)
	run /nonexistent.scn
	expect_status 2
	expect_err_line "/nonexistent.scn: cannot read: No such file or directory"
	run "$dir/scenarios"
	expect_status 2
	expect_err_line "$dir/scenarios: cannot read: Is a directory"
	run --random 5 --emit /nonexistent/x.scn
	expect_status 2
	expect_err_line "swmsi-sim: cannot write /nonexistent/x.scn: No such file or directory"
	[ -w /dev/full ] || skip "no /dev/full"
	run --random 5 --emit /dev/full
	expect_status 2
	expect_err_line "swmsi-sim: cannot write /dev/full"
	"$sim" --print-demo >/dev/full 2>err.txt
	status=$?
	expect_status 2
	;;
outputs_failing_at_close_say_why)
	# A device that accepts the open and fails the writes (/dev/full): the
	# run's status is 2 and the reason is said, for a file and for stdout.
	[ -w /dev/full ] || skip "no /dev/full"
	# The file is closed before the summary line, which says the exit.
	run --json /dev/full "$dir/scenarios/golden.scn"
	expect_status 2
	expect_err_line "swmsi-sim: cannot write /dev/full: No space left on device"
	expect_err_count "cannot write" 1
	expect_out_line "PASS: 38 steps, 0 failed expectations, 0 invariant violations; exit 2: see the error above"
	run --dot /dev/full "$dir/scenarios/golden.scn"
	expect_status 2
	expect_err_line "swmsi-sim: cannot write /dev/full: No space left on device"
	expect_err_count "cannot write" 1
	expect_out_line "PASS: 38 steps, 0 failed expectations, 0 invariant violations; exit 2: see the error above"
	"$sim" --json - "$dir/scenarios/golden.scn" >/dev/full 2>err.txt
	status=$?
	expect_status 2
	expect_err_line "swmsi-sim: cannot write standard output: No space left on device"
	;;
printing_options_to_a_full_disk_fail)
	# --help, --version and --print-demo exist to print: a text that never
	# reached standard output is exit 2, said once, not a silent success.
	[ -w /dev/full ] || skip "no /dev/full"
	for opt in --help --version --print-demo; do
		"$sim" $opt >/dev/full 2>err.txt
		status=$?
		expect_status 2
		expect_err_count "swmsi-sim: cannot write standard output: No space left on device" 1
	done
	"$sim" --version >out.txt 2>err.txt
	status=$?
	expect_status 0
	expect_out "swmsi-sim "
	# a run whose timeline (or --random's scenario) was lost fails too
	for args in "$golden" "--random 20 --seed 2"; do
		"$sim" $args >/dev/full 2>err.txt
		status=$?
		expect_status 2
		expect_err_count "swmsi-sim: cannot write standard output: No space left on device" 1
	done
	;;
explore_outputs_that_cannot_be_written_say_why)
	# --explore's counterexample and JSON summary: a failed write exits 2.
	x=$dir/../../examples/explore/02_dma_iommu_replace.scn
	run --explore 5 --counterexample /nonexistent/c.scn "$x"
	expect_status 2
	expect_err_line "swmsi-sim: cannot write /nonexistent/c.scn: No such file or directory"
	[ -w /dev/full ] || skip "no /dev/full"
	run --explore 5 --counterexample /dev/full "$x"
	expect_status 2
	expect_err_line "swmsi-sim: cannot write /dev/full"
	run --explore 5 --json /dev/full "$x"
	expect_status 2
	expect_err_line "swmsi-sim: cannot write /dev/full"
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
*)
	echo "cli_outputs.sh: unknown case '$case'" >&2
	exit 1
	;;
esac
exit 0
