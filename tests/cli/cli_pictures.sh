#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# swmsi-sim's pictures of the final state (--dot, --svg) and the JSON
# final state they share: groups with their required ids, domains with
# their present ids, the legend, vectors that would not fire, entries no
# vector uses, "N of M used", the window a device reported under an
# override; --only group=/device= draws part of a large state and says so;
# alike groups fold into one node, differing ones do not.
# usage: cli_pictures.sh CASE SIM_BINARY TESTS_CLI_DIR WORK_DIR
# Each case is one ctest, cli_CASE, registered from the case labels
# below by swmsi_cli_cases() in CMakeLists.txt. Exit 0 pass, 1 fail,
# 77 skipped; see cli_lib.sh.
# shellcheck source=cli_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh"

# Reclaim none: nic's q1 is freed but group 1 still requires its id 1, an
# entry no vector uses. gpu's group is detached under a window: its g0
# would not fire. The override replaces the window the devices reported.
pic() {
	cat <<'EOF2'
option reclaim none
window 0x9000000 1M
doorbell 0x8090000 64K
ioas a
hwpt h a
device nic group=1 window=0x8000000:1M
device nic2 group=1 window=0x8000000:1M
device gpu group=2 window=0x8000000:1M
device plain group=3
attach nic h
attach gpu h
msi nic q0 0x8090040
msi nic q1 0x8091040
msi gpu g0 0x8090040
free nic q1
detach gpu
EOF2
}

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
dot_graph_written)
	run --dot out.dot "$dir/scenarios/golden.scn"
	expect_status 0
	grep -q '^digraph swmsi {$' out.dot || fail "no digraph in out.dot"
	grep -q 'doorbell page' out.dot || fail "no doorbell in out.dot"
	if command -v dot >/dev/null 2>&1; then
		dot -Tsvg out.dot >/dev/null 2>dot.err || { cat dot.err >&2; fail "dot rejects out.dot"; }
		[ ! -s dot.err ] || { cat dot.err >&2; fail "dot warns about out.dot"; }
	fi
	;;
svg_without_dot_exits_two)
	mkdir emptybin
	PATH=$PWD/emptybin "$sim" --svg out.svg "$dir/scenarios/golden.scn" >out.txt 2>err.txt
	status=$?
	expect_status 2
	grep -qF "needs Graphviz's 'dot', which is not installed" err.txt || fail "no message about dot"
	[ ! -e out.svg ] || fail "out.svg was written"
	[ ! -s out.txt ] || fail "the scenario ran anyway"
	;;
svg_rendered_with_dot)
	need dot
	run --svg out.svg "$dir/scenarios/golden.scn"
	expect_status 0
	grep -q '<svg' out.svg || fail "out.svg is not an SVG"
	;;
dot_nested_shows_stage1_and_rmr)
	cat >n.scn <<'EOF'
ioas a
hwpt p a nest_parent
nested rmr p
nested bare p
device nic group=1 window=0x8000000:1M
device gpu group=2 window=0x8000000:1M
attach nic rmr
attach gpu bare
s1map rmr 0x8000000 0x8000000 1M
s1map bare 0x40000000 0x40000000 2M
EOF
	run --dot out.dot n.scn
	expect_status 0
	grep -F 'label="rmr (id 3)' out.dot | grep -qF '\nstage 1: 0x8000000 [1M] -> ipa 0x8000000 rw\nRMR: window 0x8000000 mapped 1:1' ||
		fail "the RMR nested HWPT does not show its stage 1 and RMR"
	grep -F 'label="bare (id 4)' out.dot | grep -qF '\nno RMR for window 0x8000000: MSIs lost' ||
		fail "the nested HWPT without RMR does not say MSIs are lost"
	;;
dot_labels_vectors_and_summarises_ioas)
	run --dot out.dot "$dir/scenarios/golden.scn"
	expect_status 0
	grep -F 'dev_4 -> map_0 ' out.dot | grep -qF 'label="q0: 0x8000040"' ||
		fail "a translated vector's edge lacks its label and address"
	grep -F 'dev_6 -> doorbell_fee00000 ' out.dot | grep -F 'style=dashed' |
		grep -qF 'label="k0: untranslated\n0xfee00000"' ||
		fail "an untranslated vector is not drawn to its doorbell"
	grep -q '^	doorbell_fee00000 \[' out.dot || fail "no node for the untranslated doorbell"
	grep -qF 'domain #1, 1 MSI page"' out.dot || fail "'1 MSI page' is not singular"
	grep -F 'ioas_1 [' out.dot | grep -F '1 DMA mapping:\l0x40000000 [64K] -> 0x100000000 rw\l' |
		grep -qF 'reserved: SW_MSI window 0x8000000 [1M]\l' ||
		fail "the IOAS node does not summarise its mappings and reserved windows"
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
pic_json_groups_override_and_doorbells)
	pic >p.scn
	run --json out.json p.scn
	expect_status 0
	json_check out.json 0
	python3 - <<'PY' || fail "groups, window_override or doorbells wrong in the JSON"
import json
f = json.load(open("out.json"))["final"]
g = {x["group"]: x for x in f["groups"]}
assert sorted(g) == [1, 2, 3], g
assert g[1]["devices"] == ["nic", "nic2"], g[1]
assert len(g[1]["device_ids"]) == 2, g[1]
# reclaim none: q1's id stays required though its vector was freed
assert g[1]["required"] == [0, 1], g[1]
assert g[1]["window"] == {"start": "0x9000000", "size": "0x100000"}, g[1]
assert g[1]["hwpt"] == "h" and g[1]["hwpt_id"], g[1]
assert g[2]["required"] == [0], g[2]
assert g[2]["hwpt"] is None and g[2]["hwpt_id"] is None, g[2]
assert g[3]["required"] == [] and g[3]["window"] is None, g[3]
assert f["window_override"] == {"start": "0x9000000", "size": "0x100000"}, f["window_override"]
assert f["doorbells"] == [{"start": "0x8090000", "size": "0x10000"}], f["doorbells"]
d = {x["name"]: x for x in f["devices"]}
assert d["nic"]["reported_window"] == {"start": "0x8000000", "size": "0x100000"}, d["nic"]
assert d["nic"]["window"] == {"start": "0x9000000", "size": "0x100000"}, d["nic"]
assert d["plain"]["reported_window"] is None, d["plain"]
PY
	;;
pic_json_without_override_or_allow_list)
	base >b.scn
	run --json out.json b.scn
	expect_status 0
	json_check out.json 0
	python3 - <<'PY' || fail "a run without window or doorbell lines"
import json
f = json.load(open("out.json"))["final"]
assert f["window_override"] is None, f["window_override"]
assert f["doorbells"] == [], f["doorbells"]
assert [x["required"] for x in f["groups"]] == [[0]], f["groups"]
PY
	;;
pic_dot_legend_red_grey_and_slots_used)
	pic >p.scn
	run --dot out.dot p.scn
	expect_status 0
	grep -q '^	subgraph cluster_legend {' out.dot || fail "no legend"
	grep -F 'legend [' out.dot | grep -qF 'swmsi_device_required()' ||
		fail "the legend does not say where required comes from"
	grep -F 'dev_' out.dot | grep -F 'g0: 0x9000040' | grep -F 'color=red' |
		grep -qF 'would not fire: LOST' || fail "the detached group's vector is not red"
	grep -F 'q0: 0x9000040' out.dot | grep -qF 'color=blue' || fail "q0 is not blue"
	grep -F 'label="slot 1|' out.dot | grep -F 'fillcolor=gray85' |
		grep -qF '|no vector' || fail "the entry no vector uses is not grey"
	grep -qF 'label="SW_MSI window 0x9000000 [1M]: 2 of 256 used"' out.dot ||
		fail "no 'N of M used' on the window"
	grep -F 'group_1 [' out.dot | grep -F '\nrequired = {0, 1}' |
		grep -qF '\nreported 0x8000000 +1M (override in use)' ||
		fail "group 1 lacks its required ids or its reported window"
	grep -F 'group_3 [' out.dot | grep -F 'required = {}' | grep -qF 'no window' ||
		fail "group 3 is not drawn with no window"
	grep -F 'label="h (id' out.dot | grep -qF '\npresent = {0, 1}\n' ||
		fail "the domain's present ids are not drawn"
	# slot 0 before slot 1
	[ "$(grep -n 'label="slot 0|' out.dot | cut -d: -f1)" -lt \
		"$(grep -n 'label="slot 1|' out.dot | cut -d: -f1)" ] || fail "slots out of order"
	if command -v dot >/dev/null 2>&1; then
		dot -Tsvg out.dot >/dev/null 2>dot.err || { cat dot.err >&2; fail "dot rejects out.dot"; }
		[ ! -s dot.err ] || { cat dot.err >&2; fail "dot warns about out.dot"; }
	fi
	;;
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
	# device, slot, doorbell, the IOAS's reserved ranges by type (sw-msi,
	# the aperture; one range its 200 owners reserve is one line): what one
	# device draws, whatever the count
	n=$(nodes out.dot)
	[ "$n" -le 13 ] || fail "$n nodes for 200 alike devices (expected at most 13)"
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
	echo "cli_pictures.sh: unknown case '$case'" >&2
	exit 1
	;;
esac
exit 0
