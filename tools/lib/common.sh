# SPDX-License-Identifier: MIT
# What every script of the tree shares: where the repository is and which
# build directory to use. Sourced (POSIX sh, so /bin/sh scripts can too):
#   . "$(dirname "$0")/lib/common.sh"          from tools/
#   . "$(dirname "$0")/../tools/lib/common.sh" from bench/, tests/cli/
# It sets SWMSI_ROOT, the repository root (absolute), found from the
# sourcing script's own path, so a script works from any directory.
#
# The build directory, the same rule everywhere:
#   swmsi_build_dir PRESET [ARGS...]
# takes the script's leading "--build DIR", "--build=DIR" or plain BUILD_DIR
# argument from ARGS (SWMSI_SHIFT says how many to shift) and sets
# SWMSI_BUILD to that directory, or when ARGS give none (or an empty one),
# to $SWMSI_BUILD_DIR from the environment, else $SWMSI_ROOT/build/PRESET.
# PRESET is "default" (RelWithDebInfo) for everything but figures, and
# "release" (-O3 -DNDEBUG, the build the figures in docs/performance.md come
# from) for the benchmarks' scripts.

swmsi_find_root() {
	_d=$(cd "$(dirname "$0")" && pwd) || return 1
	while [ "$_d" != / ]; do
		if [ -f "$_d/tools/lib/common.sh" ] && [ -f "$_d/CMakeLists.txt" ]; then
			SWMSI_ROOT=$_d
			return 0
		fi
		_d=$(dirname "$_d")
	done
	echo "$(basename "$0"): cannot find the repository root above $0" >&2
	return 1
}

swmsi_build_dir() {
	_preset=$1
	shift
	SWMSI_SHIFT=0
	case ${1:-} in
	--build)
		[ $# -ge 2 ] || { echo "$(basename "$0"): --build needs a directory" >&2; exit 2; }
		SWMSI_BUILD=$2
		SWMSI_SHIFT=2
		;;
	--build=*)
		SWMSI_BUILD=${1#--build=}
		SWMSI_SHIFT=1
		;;
	*)
		[ $# -eq 0 ] || SWMSI_SHIFT=1
		SWMSI_BUILD=${1:-${SWMSI_BUILD_DIR:-$SWMSI_ROOT/build/$_preset}}
		;;
	esac
	export SWMSI_BUILD
}

# swmsi_need FILE: exits 2 saying how to build FILE when it is missing.
swmsi_need() {
	[ -x "$1" ] && return 0
	case $SWMSI_BUILD in
	*/build/release) how="cmake --preset release && cmake --build --preset release" ;;
	*/build/default) how="cmake --preset default && cmake --build --preset default" ;;
	*) how="cmake --build $SWMSI_BUILD" ;;
	esac
	echo "$(basename "$0"): no $1: build it ($how), or name another build with --build DIR" >&2
	exit 2
}

swmsi_find_root || exit 2
