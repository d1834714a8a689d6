#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# swmsi-sim: a failed call says the cause that holds in the state, not
# every cause docs/errors.md lists for its error; a misspelt object name
# gets a "did you mean".
# usage: cli_causes.sh CASE SIM_BINARY TESTS_CLI_DIR WORK_DIR
# Exit 0 pass, 1 fail, 77 skipped; see cli_lib.sh.
# shellcheck source=cli_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh"

# The IOAS maps into gpu's window, so attaching gpu fails (line 7).
window_taken() {
	cat <<'EOF'
ioas ram
map ram 0x8000000 0x200000000 4K
hwpt first ram
hwpt second ram
device gpu group=2 window=0x8000000:1M
device nic group=1 window=0x9000000:1M
attach gpu first => EADDRINUSE
EOF
}

case $case in
not_attached_names_the_failed_attach)
	{ window_taken; printf 'replace gpu second\n'; } >f.scn
	run f.scn
	expect_status 1
	expect_err_line "f.scn:8:1: expectation failed: replace gpu second: failed with EINVAL (gpu is not attached: its attach at line 7 failed with EADDRINUSE)"
	# The same cause when the attach was not expected to fail.
	{ window_taken | sed 's/ => EADDRINUSE//'; } >g.scn
	run -k g.scn
	expect_err_line "g.scn:7:1: expectation failed: attach gpu first: failed with EADDRINUSE ('ram' maps 0x8000000 [4K] -> 0x200000000 into group 2's window 0x8000000 [1M])"
	;;
detached_and_attached_already_say_their_lines)
	{ window_taken; printf 'attach nic first\nattach nic second\ndetach nic\ndetach nic\n'; } >f.scn
	run -k f.scn
	expect_status 1
	expect_err_line "f.scn:9:1: expectation failed: attach nic second: failed with EINVAL (nic is attached already: attached at line 8, its group on first)"
	expect_err_line "f.scn:11:1: expectation failed: detach nic: failed with EINVAL (nic is not attached: detached at line 10)"
	expect_err_count "expectation failed" 2
	;;
unaligned_window_says_which_number)
	{ window_taken; printf 'window 0x8000001 0x100000\nwindow 0x8000000 0x1800\nwindow 0x8000000 0\n'; } >f.scn
	run -k f.scn
	expect_status 1
	expect_err_line "f.scn:8:1: expectation failed: window 0x8000001 0x100000: failed with EINVAL (window start 0x8000001 is not page aligned)"
	expect_err_line "f.scn:9:1: expectation failed: window 0x8000000 0x1800: failed with EINVAL (window size 0x1800 is not page aligned)"
	expect_err_line "f.scn:10:1: expectation failed: window 0x8000000 0: failed with EINVAL (window size is 0)"
	;;
never_created_names_the_failed_bind)
	printf 'ioas a\nhwpt h a\ndevice d group=3 window=0x8000800:1M\nattach d h\n' >f.scn
	run -k f.scn
	expect_status 1
	expect_err_line "f.scn:3:1: expectation failed: device d group=3 window=0x8000800:1M: failed with EINVAL (window start 0x8000800 is not page aligned)"
	expect_err_line "f.scn:4:1: expectation failed: attach d h: failed with ENOENT ('d' was never created: its bind at line 3 failed with EINVAL)"
	;;
destroyed_name_says_its_line)
	printf 'ioas a\ndevice d group=1\nhwpt h a\ndestroy h\nattach d h\nunbind d\nattach d a\ndestroy d\ndetach h\n' >f.scn
	run -k f.scn
	expect_status 1
	expect_err_line "f.scn:5:1: expectation failed: attach d h: failed with ENOENT ('h' is destroyed (line 4))"
	expect_err_line "f.scn:7:1: expectation failed: attach d a: failed with ENOENT ('d' is unbound (line 6))"
	# A device's destroy answers EINVAL; this one's ENOENT is its unbind.
	expect_err_line "f.scn:8:1: expectation failed: destroy d: failed with ENOENT ('d' is unbound (line 6))"
	# detach of a HWPT answers ENOENT whether it lives or not: the kind is why.
	expect_err_line "f.scn:9:1: expectation failed: detach h: failed with ENOENT ('h' is a HWPT; detach wants a device)"
	;;
busy_and_exhausted_say_what_holds)
	cat >f.scn <<'EOF'
option max_msi_maps 2
ioas ram
hwpt hp ram nest_parent
device nic group=1 window=0x8000000:8K
attach nic hp
nested vi hp
destroy hp
msi nic q0 0x8090040
msi nic q1 0x80a0040
msi nic q2 0x80b0040
free nic q2
free nic q0
free nic q0
window 0x7000000 0x1000
EOF
	run -k f.scn
	expect_status 1
	expect_err_line "f.scn:7:1: expectation failed: destroy hp: failed with EBUSY ('hp' is in use: nic attached; vi over it)"
	expect_err_line "f.scn:10:1: expectation failed: msi nic q2 0x80b0040: failed with EOVERFLOW (doorbell page 0x80b0000 needs a new MSI map and all 2 map ids are in use)"
	expect_err_line "f.scn:11:1: expectation failed: free nic q2: failed with ENOENT (nic q2 was never allocated: its msi at line 10 failed with EOVERFLOW)"
	expect_err_line "f.scn:13:1: expectation failed: free nic q0: failed with ENOENT (nic q0 is freed (line 12))"
	expect_err_line "f.scn:14:1: expectation failed: window 0x7000000 0x1000: failed with EBUSY (MSI map 0 exists (doorbell page 0x8090000 in window 0x8000000): the window is fixed once a map exists)"
	;;
nested_parent_says_what_it_lacks)
	printf 'ioas a\nhwpt h a\nnested n h\nhwpt p a nest_parent\nnested n2 p\nnested n3 n2\n' >f.scn
	run -k f.scn
	expect_status 1
	expect_err_line "f.scn:3:1: expectation failed: nested n h: failed with EINVAL ('h' was allocated without nest_parent (line 2))"
	expect_err_line "f.scn:6:1: expectation failed: nested n3 n2: failed with EINVAL ('n2' is a nested HWPT; nested wants a HWPT allocated with nest_parent)"
	;;
backend_fault_names_its_fail_map)
	printf 'ioas ram\nhwpt hp ram\ndevice nic group=1 window=0x8000000:1M\nattach nic hp\nfail_map 1 EIO\nmsi nic q0 0x8090040\n' >f.scn
	for scheme in native kernel; do
		run --scheme $scheme f.scn
		expect_status 1
		expect_err_line "f.scn:6:1: expectation failed: msi nic q0 0x8090040: failed with EIO (installing the MSI page 0x8000000 [4K] -> 0x8090000 into hp's domain failed with EIO, the fault fail_map armed at line 5)"
	done
	run --scheme dma-iommu f.scn
	expect_err_line "f.scn:6:1: expectation failed: msi nic q0 0x8090040: failed with ENOMEM (installing the MSI page 0x8000000 [4K] -> 0x8090000 into hp's domain failed with EIO, the fault fail_map armed at line 5 (the scheme answers ENOMEM for it))"
	;;
fire_lost_says_why)
	printf 'ioas a\nhwpt h a\ndevice nic group=1 window=0x8000000:1M\nattach nic h\nmsi nic q0 0x8090040\ndetach nic\nfire nic q0\n' >f.scn
	run f.scn
	expect_status 1
	expect_err_line "f.scn:7:1: expectation failed: fire nic q0: failed with EFAULT (group 1 is detached, its DMA blocked (nic: detached at line 6))"
	;;
json_message_carries_the_cause)
	need python3
	{ window_taken; printf 'replace gpu second\n'; } >f.scn
	run --json out.json f.scn
	expect_status 1
	python3 - <<'PY' || fail "the JSON step's message is not the cause that holds"
import json
d = json.load(open("out.json"))
msgs = [s.get("message") for s in d["steps"] if s.get("message")]
want = "failed with EINVAL (gpu is not attached: its attach at line 7 failed with EADDRINUSE)"
assert want in msgs, msgs
PY
	;;
unknown_object_name_gets_did_you_mean)
	printf 'ioas ram\nhwpt hp ram\ndevice gpu group=1\nattach gppu hp\nattach gpu xyzzy\nexpect mapped hpp 0x1000 0x1000\n' >f.scn
	run f.scn
	expect_status 2
	expect_err_line "f.scn:4:8: unknown name 'gppu'; did you mean 'gpu'?"
	expect_err_line "f.scn:5:12: unknown name 'xyzzy'"
	expect_err_line "f.scn:6:15: unknown name 'hpp'; did you mean 'hp'?"
	;;
*)
	fail "unknown case"
	;;
esac
exit 0
