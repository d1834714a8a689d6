#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# swmsi-sim's final-state picture and JSON (issue 10, item 7): groups with
# their required ids, domains with their present ids, the legend, vectors
# that would not fire, entries no vector uses, "N of M used", the window a
# device reported under an override; JSON's groups[], window_override and
# doorbells.
# usage: cli_pic.sh CASE SIM_BINARY TESTS_CLI_DIR WORK_DIR
# Exit 0 pass, 1 fail, 77 skipped; see cli_lib.sh.
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

case $case in
json_groups_override_and_doorbells)
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
json_without_override_or_allow_list)
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
dot_legend_red_grey_and_slots_used)
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
*)
	echo "cli_pic.sh: unknown case '$case'" >&2
	exit 1
	;;
esac
exit 0
