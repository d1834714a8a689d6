#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what building (and testing) libswmsi needs, and nothing that is
# already there. Safe to run again. As root it calls apt-get directly, as a
# user through sudo.
# usage: setup-deps.sh [--list] [demo|bench|test|kselftest]
#   demo  what building the library, its tests and the simulator needs, and
#         Graphviz for the simulator's --svg (tools/run-demo.sh)
#   bench what demo installs, plus gnuplot and bc (bench/plot.sh)
#   test  (the default) all that, plus doxygen (the docs check), gcovr
#         (tools/coverage.sh) and python3-jsonschema (the JSON schema
#         check), and unless SWMSI_SETUP_EXTRAS=0 clang (the
#         fuzz target, the clang build), valgrind (memcheck) and clang-format
#         (the format check) (tools/run-tests.sh)
#   kselftest what demo installs, plus libcap-dev: tools/kselftest.sh builds
#         the kernel's iommufd selftest, which links libcap
#   --list  print the packages of that set, one a line, and install nothing
set -euo pipefail

list=0
if [ "${1:-}" = --list ]; then
	list=1
	shift
fi
profile=${1:-test}

# The default preset configures the cmocka tests too: cmocka is a build need.
pkgs=(cmake pkg-config make gcc libc6-dev libcmocka-dev libbsd-dev graphviz)
case $profile in
demo) ;;
bench)
	# the benchmarks' plots (bench/plot.sh) only; no test needs them
	pkgs+=(gnuplot-nox bc)
	;;
test)
	# man-db and groff: the man page check (cli_man_page_renders_without_warnings)
	pkgs+=(doxygen gcovr man-db groff)
	# the JSON outputs against docs/json/*.schema.json (cli_json_schema_*)
	pkgs+=(python3-jsonschema)
	[ "${SWMSI_SETUP_EXTRAS:-1}" = 1 ] && pkgs+=(clang valgrind clang-format)
	;;
kselftest)
	# the kernel's selftest includes <sys/capability.h> and links -lcap
	pkgs+=(libcap-dev)
	;;
*)
	echo "setup-deps: unknown set '$profile' (demo, bench, test or kselftest)" >&2
	exit 2
	;;
esac

if [ $list = 1 ]; then
	printf '%s\n' "${pkgs[@]}"
	exit 0
fi

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
echo "setup-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
