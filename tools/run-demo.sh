#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job: install what is missing to build (not clang or valgrind: only
# the tests need them), build (default preset), and run the simulator on its
# built-in demo scenario. Extra arguments go to swmsi-sim (e.g. a scenario
# file, --svg out.svg, --help); paths in them are relative to the directory
# this is run from, wherever the repository is.
# SWMSI_BUILD_DIR: use that build tree, already configured, instead of
# the default preset's (tools/lib/common.sh).
# SWMSI_SIM: run that simulator instead of installing and building one (the
# CLI test run_demo uses it).
set -euo pipefail
# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
root=$SWMSI_ROOT
swmsi_build_dir default
sim=${SWMSI_SIM:-}
if [ -z "$sim" ]; then
	bash "$root/tools/setup-deps.sh" demo
	mkdir -p "$root/build"
	log=$root/build/run-demo.log
	echo "run-demo: building (preset default; log in $log)" >&2
	# Presets are found in the current directory: build from the root, in a
	# subshell, so that the simulator still runs where it was called from.
	if [ "$SWMSI_BUILD" = "$root/build/default" ]; then
		build() { cd "$root" && cmake --preset default && cmake --build --preset default; }
	else
		build() { cmake --build "$SWMSI_BUILD"; }
	fi
	if ! (build) >"$log" 2>&1; then
		echo "run-demo: the build failed; the end of $log:" >&2
		tail -n 30 "$log" >&2
		exit 1
	fi
	sim=$SWMSI_BUILD/tools/swmsi-sim/swmsi-sim
fi
exec "$sim" "$@"
