#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job: install what is missing, build (default preset), and run the
# simulator on its built-in demo scenario. Extra arguments go to swmsi-sim
# (e.g. a scenario file, --svg out.svg, --help).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup-deps.sh
mkdir -p build
log=build/run-demo.log
echo "run-demo: building (preset default; log in $log)" >&2
if ! { cmake --preset default && cmake --build --preset default; } >"$log" 2>&1; then
	echo "run-demo: the build failed; the end of $log:" >&2
	tail -n 30 "$log" >&2
	exit 1
fi
exec build/default/tools/swmsi-sim/swmsi-sim "$@"
