#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tools/kselftest.sh's argument handling, which needs no kernel tree: -h
# prints the usage and exits 0; a missing DIR, a directory that does not
# exist or lacks the test's files, an unknown option and a bad number each
# exit 2 with a message that says which. Building and running the kernel's
# selftest needs its GPL files, which stay outside the repository, so no
# test here does that (docs/kselftest.md).
# usage: kselftest_usage_test.sh SOURCE_ROOT WORK_DIR
# Exit 0 pass, 1 fail.
set -uo pipefail

root=$1 work=$2
script=$root/tools/kselftest.sh
rm -rf "$work"
mkdir -p "$work/empty" "$work/build" || exit 1
# Nothing may be built in the source tree's build directory.
export SWMSI_BUILD_DIR=$work/build
failed=0

# expect STATUS TEXT ARGS...: kselftest.sh ARGS exits STATUS and prints TEXT.
expect() {
	local want=$1 text=$2 status
	shift 2
	bash "$script" "$@" >"$work/out" 2>&1
	status=$?
	if [ "$status" != "$want" ]; then
		echo "FAIL: kselftest.sh $* exited $status, expected $want" >&2
		failed=1
	elif ! grep -qF -- "$text" "$work/out"; then
		echo "FAIL: kselftest.sh $* did not say '$text'" >&2
		failed=1
	else
		return 0
	fi
	sed 's/^/  | /' "$work/out" >&2
}

expect 0 'usage: kselftest.sh [options] DIR' -h
expect 0 '--preload P' --help
expect 2 'no kernel tree given' --list
expect 2 "no directory '$work/nowhere'" "$work/nowhere"
expect 2 'tools/testing/selftests/iommu/iommufd.c' "$work/empty"
expect 2 'include/uapi/linux/iommufd.h' --no-preload "$work/empty"
expect 2 "unknown option '--bogus'" --bogus "$work/empty"
expect 2 '--jobs wants a positive count' --jobs 0 "$work/empty"
expect 2 '--timeout wants whole seconds' --timeout soon "$work/empty"
expect 2 '--preload needs a value' "$work/empty" --preload
expect 2 'one DIR only' "$work/empty" "$work/build"
[ -z "$(ls -A "$work/build")" ] || { echo "FAIL: a usage error wrote to the build directory" >&2; failed=1; }
exit "$failed"
