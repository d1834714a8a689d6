#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Static analysis of the libraries: clang-tidy's analyzer and bugprone checks
# over src/ and mock_iommu/, using the debug preset's compile database (the
# analyzer reads assert() as a fact; NDEBUG builds would hide them).
# usage: tools/lint.sh [--build DIR]   (default build/debug)
# Exit 1 on any finding. Not part of ctest: findings are for a human.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
cd "$SWMSI_ROOT"
# The debug build: its compile database keeps assert() (see above).
swmsi_build_dir debug "$@"
[ -f "$SWMSI_BUILD/compile_commands.json" ] || cmake --preset debug >/dev/null
checks='-*,clang-analyzer-*,bugprone-*'
# bugprone checks that flag this code base's idioms, not bugs:
# (size_t, uint64_t) parameter pairs, kernel-style double-underscore
# internals, macro arguments used as lvalues, sizeof of a pointer element.
checks+=',-bugprone-easily-swappable-parameters,-bugprone-reserved-identifier'
checks+=',-bugprone-macro-parentheses,-bugprone-sizeof-expression'
checks+=',-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling'
out=$(clang-tidy --quiet -p "$SWMSI_BUILD" --checks="$checks" src/*.c mock_iommu/*.c 2>/dev/null |
	grep -E '^/.*: (warning|error):' || true)
if [ -n "$out" ]; then
	printf '%s\n' "$out"
	exit 1
fi
echo "lint: clean"
