#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install what is missing, then build and run every test through ctest, for
# each preset named (default: "default"). Presets: default debug asan tsan
# coverage clang; "memcheck" runs the default build under valgrind.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
cd "$SWMSI_ROOT"
bash tools/setup-deps.sh
[ $# -gt 0 ] || set -- default
for p in "$@"; do
	echo "=== run-tests: $p ==="
	if [ "$p" = memcheck ]; then
		cmake --preset default >/dev/null
		cmake --build --preset default
		# Valgrind is slow: the long-running suites carry the "slow" label.
		(cd build/default && ctest -T memcheck -LE 'slow|nomemcheck' -j2 --output-on-failure)
		# ctest -T memcheck counts defects but exits 0: fail on any.
		if grep -l -E 'definitely lost: [1-9]|indirectly lost: [1-9]|ERROR SUMMARY: [1-9]' \
			build/default/Testing/Temporary/MemoryChecker.*.log >/dev/null 2>&1; then
			echo "run-tests: valgrind found defects:" >&2
			grep -l -E 'definitely lost: [1-9]|indirectly lost: [1-9]|ERROR SUMMARY: [1-9]' \
				build/default/Testing/Temporary/MemoryChecker.*.log >&2
			exit 1
		fi
		continue
	fi
	cmake --workflow --preset "$p"
done
