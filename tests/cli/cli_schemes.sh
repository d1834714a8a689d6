#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The options each scheme takes in a plain run: --scheme and the file's
# "option scheme", an option its scheme cannot take refused at the option
# line, nothing run.
# usage: cli_schemes.sh CASE SIM_BINARY TESTS_CLI_DIR WORK_DIR
# Each case is one ctest, cli_CASE, registered from the case labels
# below by swmsi_cli_cases() in CMakeLists.txt. Exit 0 pass, 1 fail,
# 77 skipped; see cli_lib.sh.
# shellcheck source=cli_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh"

# Nothing ran: no timeline, no summary.
expect_nothing_ran() {
	[ ! -s out.txt ] || fail "the scenario ran though its options were refused"
}

case $case in
scheme_option_and_override_in_header)
	{ printf 'option scheme kernel\noption strict\n'; base; printf 'fire nic q0\n'; } >k.scn
	run k.scn
	expect_status 0
	head -n 1 out.txt | grep -qF '(scheme kernel strict, page_shift 12,' ||
		fail "the header does not name the file's scheme"
	expect_out "fire nic q0"
	expect_out "-> 0x8090040, its doorbell"
	run --scheme native --json j.json k.scn
	expect_status 0
	head -n 1 out.txt | grep -qF '(scheme native, page_shift 12,' ||
		fail "--scheme did not override the file's scheme"
	need python3
	python3 - j.json <<'PY' || fail "JSON lacks the scheme"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["scheme"] == "native" and d["strict"] is True, (d["scheme"], d["strict"])
assert d["summary"]["findings"] == 0, d["summary"]
fires = [s for s in d["steps"] if s["op"] == "fire"]
assert fires and fires[0]["write"] == "doorbell" and fires[0]["write_to"] == "0x8090040", fires
for s in d["steps"]:
    assert s["findings"] == [], s
PY
	;;
usage_scheme_bad)
	{ base; } >f.scn
	run --scheme bad f.scn
	expect_status 2
	expect_err_line "swmsi-sim: unknown scheme 'bad' for --scheme (native, kernel or dma-iommu)"
	run f.scn --scheme
	expect_status 2
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
*)
	echo "cli_schemes.sh: unknown case '$case'" >&2
	exit 1
	;;
esac
exit 0
