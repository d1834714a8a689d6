#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job: install what is missing, build (default preset), and run the
# simulator on its built-in demo scenario. Extra arguments go to swmsi-sim.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default >/dev/null
if [ -x build/default/tools/swmsi-sim/swmsi-sim ]; then
	exec build/default/tools/swmsi-sim/swmsi-sim "$@"
fi
exec build/default/examples/mock_walkthrough
