#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# swmsi-sim command-line cases on the options each scheme takes: --compare
# runs every scheme with what it takes and says what it changed, a plain
# run refuses an option its scheme cannot take at the option line, and
# --compare stops at the first failed expectation unless -k.
# usage: cli_schemes.sh CASE SIM_BINARY TESTS_CLI_DIR WORK_DIR
# Exit 0 pass, 1 fail, 77 skipped; see cli_lib.sh.
# shellcheck source=cli_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh"

# The exact line must be on stdout.
expect_out_line() {
	grep -qxF -- "$1" out.txt || fail "stdout lacks the line: $1"
}
# Nothing ran: no timeline, no summary.
expect_nothing_ran() {
	[ ! -s out.txt ] || fail "the scenario ran though its options were refused"
}

case $case in
compare_demo_runs_every_scheme)
	# The demo asks for reclaim unused, which kernel and dma-iommu lack:
	# both run with reclaim none, say so, and play every step.
	run --compare
	expect_status 0
	grep -qF "(not run)" out.txt && fail "a scheme was not run"
	expect_out_line "kernel: runs with reclaim none, not unused (the kernel scheme never reclaims MSI pages)"
	expect_out_line "dma-iommu: runs with reclaim none, not unused (the dma-iommu scheme never frees a domain cookie's MSI pages)"
	grep -qF "native: runs with" out.txt && fail "native changed an option it takes"
	n=$(grep -E '^native +[0-9]+ steps' out.txt | awk '{print $2}')
	[ -n "$n" ] && [ "$n" -gt 40 ] || fail "native's summary is missing or short"
	grep -qE "^kernel +$n steps, " out.txt || fail "kernel did not run all $n steps"
	grep -qE "^dma-iommu +$n steps, " out.txt || fail "dma-iommu did not run all $n steps"
	grep -qE "^         kernel     " out.txt || fail "no step shows a kernel result"
	;;
compare_adjusts_max_msi_maps)
	{ echo "option max_msi_maps 4"; base; } >f.scn
	run --compare --json c.json f.scn
	expect_status 0
	expect_out_line "kernel: runs with max_msi_maps 64, not 4 (the kernel scheme has a fixed cap of 64 ids)"
	expect_out_line "dma-iommu: runs with max_msi_maps 0, not 4 (the dma-iommu scheme has no MSI map ids, only per-domain cookies)"
	grep -qF "(not run)" out.txt && fail "a scheme was not run"
	need python3
	python3 - c.json <<'PY' || fail "compare JSON check failed"
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]["schemes"]
assert s["native"]["adjusted"] == [] and s["native"]["error"] is None, s["native"]
assert s["kernel"]["adjusted"] == [{"option": "max_msi_maps", "from": "4", "to": "64",
    "why": "the kernel scheme has a fixed cap of 64 ids"}], s["kernel"]
assert s["kernel"]["error"] is None, s["kernel"]
a = s["dma-iommu"]["adjusted"]
assert [(x["option"], x["from"], x["to"]) for x in a] == [("max_msi_maps", "4", "0")], a
assert d["runs"]["kernel"]["options"]["max_msi_maps"] == 64, d["runs"]["kernel"]["options"]
assert d["runs"]["native"]["options"]["max_msi_maps"] == 4, d["runs"]["native"]["options"]
assert d["runs"]["kernel"]["summary"]["steps"] == 5, d["runs"]["kernel"]["summary"]
PY
	;;
scheme_option_refused_at_option_line)
	# --scheme kernel with options the kernel lacks: each refused at its
	# line, with the cause and the fix; nothing runs.
	{ echo "# a comment"; echo "option reclaim unused"; echo "  option max_msi_maps 4"; base; } >ru.scn
	run --scheme kernel ru.scn
	expect_status 2
	expect_nothing_ran
	expect_err_line "ru.scn:2:1: option reclaim unused: the kernel scheme (--scheme kernel) never reclaims MSI pages; drop the option or use --scheme native"
	expect_err_line "ru.scn:3:3: option max_msi_maps 4: the kernel scheme (--scheme kernel) has a fixed cap of 64 ids; drop the option, make it 64 or use --scheme native"
	grep -qF "cannot create the context" err.txt && fail "the run went as far as the context"
	# --explore refuses them the same way
	run --explore 1 --scheme kernel ru.scn
	expect_status 2
	expect_err_line "ru.scn:2:1: option reclaim unused: the kernel scheme (--scheme kernel) never reclaims MSI pages; drop the option or use --scheme native"
	;;
file_scheme_option_refused_at_option_line)
	{ echo "option scheme kernel"; echo "option reclaim unused"; base; } >k.scn
	run k.scn
	expect_status 2
	expect_nothing_ran
	expect_err_line "k.scn:2:1: option reclaim unused: the kernel scheme (option scheme kernel, line 1) never reclaims MSI pages; drop the option or make line 1 'option scheme native'"
	# The file contradicts itself whatever is run: --compare refuses it too.
	run --compare k.scn
	expect_status 2
	expect_nothing_ran
	expect_err_line "k.scn:2:1: option reclaim unused: the kernel scheme (option scheme kernel, line 1) never reclaims MSI pages; drop the option or make line 1 'option scheme native'"
	# --scheme native overrides the file's scheme, and native takes it.
	run -q --scheme native k.scn
	expect_status 0
	;;
dma_iommu_refuses_max_msi_maps_64)
	# dma-iommu has no ids: even the kernel's 64 is refused (API.md:
	# max_msi_maps must be 0), which the kernel scheme takes.
	{ echo "option max_msi_maps 64"; base; } >m.scn
	run --scheme dma-iommu m.scn
	expect_status 2
	expect_nothing_ran
	expect_err_line "m.scn:1:1: option max_msi_maps 64: the dma-iommu scheme (--scheme dma-iommu) has no MSI map ids, only per-domain cookies; drop the option or use --scheme native"
	run -q --scheme kernel m.scn
	expect_status 0
	;;
demo_scheme_refused_at_the_command_line)
	# The demo is no file the user wrote: what conflicts is --scheme.
	run --scheme kernel
	expect_status 2
	expect_nothing_ran
	expect_err_line "swmsi-sim: --scheme kernel: <demo>:3:1 has option reclaim unused, and the kernel scheme never reclaims MSI pages; use --compare (each scheme runs with what it takes) or --scheme native"
	;;
compare_stops_at_the_first_failed_expectation)
	{ base; printf 'expect iova nic q0 0x1000\nfire nic q0\n'; } >f.scn
	run --compare f.scn
	expect_status 1
	expect_err_count "expectation failed" 1
	grep -qF "fire nic q0" out.txt && fail "--compare went on after a failed expectation"
	grep -qE '^(kernel|dma-iommu) +6 steps, ' out.txt || fail "the other schemes did not stop there too"
	tail -n 1 out.txt | grep -qxF "FAIL: 0 steps differ between the schemes; exit status from native; stopped at line 6, the first failure under native (-k runs every step)" ||
		fail "wrong last line: $(tail -n 1 out.txt)"
	run --compare -k f.scn
	expect_status 1
	expect_out "fire nic q0"
	grep -qE '^native +7 steps, 1 failed expectation, ' out.txt || fail "-k did not run every step"
	grep -qF "stopped at line" out.txt && fail "-k says it stopped"
	;;
*)
	fail "unknown case"
	;;
esac
exit 0
