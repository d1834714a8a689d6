#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# check_version.sh: one version number, CMake's project(VERSION), reaches
# every place that states one: the generated <swmsi/version.h>, the
# pkg-config files, `swmsi-sim --version` (swmsi_version() at run time), and
# the version strings the docs quote (shared object names, sample output).
#
# Usage: check_version.sh VERSION BINARY_DIR SOURCE_DIR [SWMSI_SIM]
set -euo pipefail

[ $# -ge 3 ] || {
	echo "usage: $0 VERSION BINARY_DIR SOURCE_DIR [SWMSI_SIM]" >&2
	exit 2
}
version=$1 bin=$2 src=$3 sim=${4:-}
status=0
check() { # what, found
	if [ "$2" = "$version" ]; then
		echo "ok: $1 says $version"
	else
		echo "FAIL: $1 says '$2', CMake says $version"
		status=1
	fi
}

check "version.h" "$(sed -n 's/^#define SWMSI_VERSION_STRING "\(.*\)"$/\1/p' \
	"$bin/include/swmsi/version.h")"
for pc in swmsi swmsi-mock; do
	# written by the install rules, absent with SWMSI_INSTALL off
	[ -f "$bin/swmsi-package/$pc.pc" ] || continue
	check "$pc.pc" "$(sed -n 's/^Version: //p' "$bin/swmsi-package/$pc.pc")"
done
if [ -n "$sim" ]; then
	check "swmsi-sim --version" "$("$sim" --version | sed -n 's/^swmsi-sim //p')"
fi
# Every X.Y.Z the docs give as this library's (not the kernel's, which they
# write as v6.15).
while IFS= read -r hit; do
	check "${hit%%:*}" "$(grep -oE '[0-9]+\.[0-9]+\.[0-9]+' <<<"${hit#*:}" | head -n 1)"
done < <(cd "$src" && grep -oE \
	'(libswmsi(-mock)?\.so\.|swmsi-sim )[0-9]+\.[0-9]+\.[0-9]+' README.md docs/*.md \
	tools/swmsi-sim/README.md 2>/dev/null | sort -u)
exit $status
