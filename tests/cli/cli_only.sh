#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# swmsi-sim's pictures of large states: --only group=/device= draws part of
# the final state and says so; its values are checked against the
# scenario; alike groups fold into one node, differing ones do not.
# usage: cli_only.sh CASE SIM_BINARY TESTS_CLI_DIR WORK_DIR
# Exit 0 pass, 1 fail, 77 skipped; see cli_lib.sh.
# shellcheck source=cli_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh"

# N devices nic0.. in groups 0.., one vector each, attached to h; with
# "pages", each vector on a doorbell page of its own.
many() {
	local n=$1 i
	echo "option max_msi_maps $((n + 1))"
	echo "ioas a"
	echo "hwpt h a"
	for ((i = 0; i < n; i++)); do echo "device nic$i group=$i window=0x8000000:16M"; done
	for ((i = 0; i < n; i++)); do echo "attach nic$i h"; done
	for ((i = 0; i < n; i++)); do
		if [ "${2:-}" = pages ]; then
			printf 'msi nic%d q0 0x%x\n' "$i" $((0x80000000 + i * 4096 + 64))
		else
			echo "msi nic$i q0 0x80000040"
		fi
	done
}

# The node statements of a DOT file (edges and graph attributes left out).
nodes() {
	grep -cE '^[[:space:]]+[a-z][a-z0-9_]* \[' "$1"
}

# The graph dot would draw from $1: valid, and no warning.
dot_accepts() {
	if command -v dot >/dev/null 2>&1; then
		dot -Tsvg "$1" >/dev/null 2>dot.err || { cat dot.err >&2; fail "dot rejects $1"; }
		[ ! -s dot.err ] || { cat dot.err >&2; fail "dot warns about $1"; }
	fi
}

case $case in
only_group_draws_those_groups_and_what_they_reach)
	many 200 pages >m.scn
	run --only group=3,7 --dot out.dot m.scn
	expect_status 0
	grep -F 'graph [' out.dot | grep -qF '\nonly group 3, 7: 2 of 200 groups drawn"' ||
		fail "the label does not say the picture is partial"
	[ "$(grep -c '^	group_[0-9]* \[' out.dot)" -eq 2 ] || fail "not 2 groups drawn"
	grep -qF 'group_3 [shape=ellipse, label="group 3\n' out.dot || fail "no group 3"
	grep -qF 'group_7 [shape=ellipse, label="group 7\n' out.dot || fail "no group 7"
	grep -qF 'label="nic3 (id 6)' out.dot || fail "no nic3"
	grep -qF 'label="nic7 (id 10)' out.dot || fail "no nic7"
	grep -q 'nic4 ' out.dot && fail "nic4 is drawn"
	# what they reach: the HWPT and its IOAS, their slots and doorbells
	grep -qF 'hwpt_2 [shape=box, label="h (id 2)' out.dot || fail "no HWPT"
	grep -qF 'label="IOAS a (id 1)"' out.dot || fail "no IOAS"
	[ "$(grep -c '^		map_[0-9]* \[' out.dot)" -eq 2 ] || fail "not 2 slots drawn"
	grep -qF 'map_3 [shape=record, label="slot 3|' out.dot || fail "no slot 3"
	grep -qF 'map_7 -> doorbell_80007000;' out.dot || fail "slot 7 lacks its doorbell"
	[ "$(grep -c '^	doorbell_[0-9a-f]* \[' out.dot)" -eq 2 ] || fail "not 2 doorbells drawn"
	grep -qF 'label="SW_MSI window 0x8000000 [16M]: 200 of 4096 used, 2 drawn"' out.dot ||
		fail "the window does not say how much of it is drawn"
	grep -qF 'subgraph cluster_legend {' out.dot || fail "no legend"
	dot_accepts out.dot
	;;
only_device_draws_that_device)
	pic_two() {
		cat <<'EOF2'
ioas a
hwpt h a
device nic group=1 window=0x8000000:1M
device nic2 group=1 window=0x8000000:1M
device gpu group=2 window=0x8000000:1M
attach nic h
msi nic q0 0x8090040
msi nic2 q0 0x8091040
msi gpu g0 0x8092040
EOF2
	}
	pic_two >p.scn
	run --only device=nic2 --dot out.dot p.scn
	expect_status 0
	grep -F 'graph [' out.dot |
		grep -qF '\nonly device nic2: 1 of 2 groups, 1 of 3 devices drawn"' ||
		fail "the label does not say the picture is partial"
	grep -qF 'label="nic2 (id ' out.dot || fail "nic2 is not drawn"
	grep -qF 'label="nic (id ' out.dot && fail "nic, nic2's group mate, is drawn"
	grep -qF 'label="gpu (id ' out.dot && fail "gpu is drawn"
	grep -F 'group_1 [' out.dot | grep -qF '\n1 of 2 devices drawn"' ||
		fail "group 1 does not say a device was left out"
	grep -q 'group_2 ' out.dot && fail "group 2 is drawn"
	# its vector's slot (map 1; nic's q0 took 0, which group 1 requires too)
	grep -qF 'label="q0: 0x8001040"' out.dot || fail "nic2's vector is not drawn"
	grep -qF 'map_1 [shape=record, label="slot 1|' out.dot || fail "nic2's slot is not drawn"
	grep -qF 'map_0 [shape=record, label="slot 0|' out.dot ||
		fail "the slot group 1 requires is not drawn"
	# gpu's untranslated vector and its doorbell page are not
	grep -q 'doorbell_8092000' out.dot && fail "gpu's doorbell is drawn"
	dot_accepts out.dot
	;;
only_given_twice_draws_the_union)
	many 20 >m.scn
	run --only group=2 --only device=nic5,nic6 --only group=2,9 --svg out.svg --dot out.dot m.scn
	expect_status 0
	grep -F 'graph [' out.dot |
		grep -qF '\nonly group 2, 9; device nic5, nic6: 4 of 20 groups, 4 of 20 devices drawn"' ||
		fail "not the union of the --only values"
	for g in 2 9; do
		grep -qF "group_$g [shape=ellipse, label=\"group $g\\n" out.dot || fail "group $g not drawn"
	done
	# alike and in sequence, the groups of nic5 and nic6 fold
	grep -qF 'group_5 [shape=ellipse, label="groups 5..6 (2 groups)\n' out.dot ||
		fail "groups 5 and 6 not drawn folded"
	if command -v dot >/dev/null 2>&1; then
		grep -qF 'only group 2, 9; device nic5, nic6' out.svg || fail "the SVG lacks the label"
	fi
	;;
only_unknown_group_exits_two)
	many 4 >m.scn
	run --only group=1,9 --dot out.dot m.scn
	expect_status 2
	expect_err_line "swmsi-sim: --only group=9: no device declares group 9"
	[ -s out.txt ] && fail "the run started"
	;;
only_unknown_device_exits_two)
	many 4 >m.scn
	run --only device=nvme0 --dot out.dot m.scn
	expect_status 2
	expect_err_line "swmsi-sim: --only device=nvme0: no device 'nvme0' in the scenario"
	[ -s out.txt ] && fail "the run started"
	run --only device=nic0,nik1 --svg out.svg m.scn
	expect_status 2
	expect_err_line "swmsi-sim: --only device=nik1: no device 'nik1' in the scenario (did you mean 'nic1'?)"
	run --only device=h --dot out.dot m.scn
	expect_status 2
	expect_err_line "swmsi-sim: --only device=h: 'h' is a HWPT, not a device"
	;;
only_malformed_value_says_the_form)
	many 4 >m.scn
	run --only 3 --dot out.dot m.scn
	expect_status 2
	expect_err_line "swmsi-sim: --only takes group=N[,N...] or device=NAME[,NAME...], got '3'"
	expect_err_line "Try 'swmsi-sim --help'."
	run --only group= --dot out.dot m.scn
	expect_status 2
	expect_err_line "swmsi-sim: --only group= needs at least one group number"
	run --only device= --dot out.dot m.scn
	expect_status 2
	expect_err_line "swmsi-sim: --only device= needs at least one device name"
	run --only group=1,,2 --dot out.dot m.scn
	expect_status 2
	expect_err_line "swmsi-sim: --only group=1,,2: an empty item in the comma separated list"
	run --only group=x1 --dot out.dot m.scn
	expect_status 2
	expect_err_line "swmsi-sim: --only group=x1: 'x1' is not a group number (expected a number)"
	run --only group=4294967296 --dot out.dot m.scn
	expect_status 2
	expect_err_line "swmsi-sim: --only group=4294967296: '4294967296' is not a group number (larger than 32 bits)"
	;;
only_needs_dot_or_svg)
	many 4 >m.scn
	run --only group=1 m.scn
	expect_status 2
	expect_err_line "swmsi-sim: --only restricts the picture: it needs --dot FILE or --svg FILE"
	run --only group=1 --json out.json m.scn
	expect_status 2
	;;
fold_200_identical_devices_bounded_nodes)
	many 200 >m.scn
	run --dot out.dot m.scn
	expect_status 0
	# legend (and its line on folding), IOAS, HWPT, the folded group and
	# device, slot, doorbell: what one device draws, whatever the count
	n=$(nodes out.dot)
	[ "$n" -le 11 ] || fail "$n nodes for 200 alike devices (expected at most 11)"
	grep -qF 'legend_fold [' out.dot || fail "the legend does not say what a folded node is"
	grep -qF 'group_0 [shape=ellipse, label="groups 0..199 (200 groups)\n' out.dot ||
		fail "the groups are not folded into one node"
	grep -qF 'label="nic0..nic199 (ids 3..202)\n200 devices, 1 vector each"' out.dot ||
		fail "the devices are not folded into one node naming them all"
	[ "$(grep -c -- '-> map_' out.dot)" -eq 2 ] || fail "the vectors are not summarised"
	dot_accepts out.dot
	;;
fold_keeps_differing_devices_apart)
	{
		many 6
		# nic6 differs: detached, so its vector goes untranslated
		echo "device nic6 group=6 window=0x8000000:16M"
		echo "msi nic6 q0 0x80000040"
		# nic8 is alike but does not follow nic6's name and group
		echo "device nic8 group=8 window=0x8000000:16M"
		echo "attach nic8 h"
		echo "msi nic8 q0 0x80000040"
	} >m.scn
	run --dot out.dot m.scn
	expect_status 0
	grep -qF 'label="groups 0..5 (6 groups)\n' out.dot || fail "groups 0..5 not folded"
	grep -qF 'label="nic0..nic5 (ids 3..8)\n6 devices, 1 vector each"' out.dot ||
		fail "nic0..nic5 not folded"
	grep -qF 'group_6 [shape=ellipse, label="group 6\n' out.dot || fail "group 6 folded"
	grep -qF 'label="nic6 (id 9)\n1 vector, detached"' out.dot || fail "nic6 folded"
	grep -qF 'group_8 [shape=ellipse, label="group 8\n' out.dot || fail "group 8 folded"
	grep -qF 'label="nic8 (id 10)\n1 vector"' out.dot || fail "nic8 folded"
	# each on its own page: nothing alike, nothing folded
	many 30 pages >p.scn
	run --dot out.dot p.scn
	expect_status 0
	[ "$(grep -c '^	group_[0-9]* \[' out.dot)" -eq 30 ] || fail "differing groups folded"
	grep -q '\.\.nic' out.dot && fail "differing devices folded"
	dot_accepts out.dot
	;;
*)
	echo "cli_only.sh: unknown case '$case'" >&2
	exit 1
	;;
esac
exit 0
