#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# symbols.sh: the naming rule of src/ (docs/ARCHITECTURE.md, "Names"),
# checked on a built static library: every global symbol it defines is
# either public (named in a header of include/swmsi/) or carries the
# internal prefix swmsi__, so a static libswmsi.a cannot collide with an
# embedder's symbols. Names starting with __ are the implementation's
# (sanitizer and coverage instrumentation) and are skipped.
#
# Usage: bash tools/symbols.sh LIBRARY.a
# Exit status: 0 every symbol follows the rule, 1 some do not (listed),
# 2 a usage error.
set -euo pipefail

[ $# -eq 1 ] && [ -f "$1" ] || {
	echo "usage: $0 LIBRARY.a" >&2
	exit 2
}
root=$(cd "$(dirname "$0")/.." && pwd)
bad=0
for sym in $(nm -P -g --defined-only "$1" | awk 'NF >= 2 && $1 !~ /:$/ { print $1 }' | sort -u); do
	case $sym in
	# ours, or the implementation's (a sanitizer's __odr_asan.*, gcov's)
	swmsi__* | __*) continue ;;
	esac
	if ! grep -qw -- "$sym" "$root"/include/swmsi/*.h; then
		echo "neither public nor swmsi__: $sym"
		bad=1
	fi
done
[ $bad = 0 ] && echo "every global symbol of $(basename "$1") is public or swmsi__"
exit $bad
