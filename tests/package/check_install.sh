#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs a built libswmsi tree into a scratch prefix and uses it as a
# downstream project would, to prove the install is complete and usable:
#   - the files land where docs/packaging.md says, each header compiles alone;
#   - each shared object has the SONAME libNAME.so.MAJOR and exports only its
#     own prefix (swmsi_ / mock_iommu_), and every SWMSI_API declaration;
#   - pkg-config: swmsi-mock builds and runs the consumer, shared and static;
#   - CMake: find_package(swmsi) builds and runs it against swmsi::mock and
#     swmsi::mock_static, and refuses another major version;
#   - swmsi-sim (when built) lands in bin/ with its man page in man1/, runs
#     from there, and man renders the page without a warning.
# The consumer is compiled with the parent build's compiler and flags (read
# from its CMakeCache.txt): a sanitizer or coverage build's libraries only
# link into programs built the same way.
#
# Usage: check_install.sh BUILD_DIR SOURCE_DIR
# Set SWMSI_PKG_KEEP=1 to keep the scratch directory for a look afterwards.
set -euo pipefail
export LC_ALL=C

if [ $# -ne 2 ]; then
	echo "usage: $0 BUILD_DIR SOURCE_DIR" >&2
	exit 2
fi
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
cmake=${CMAKE:-cmake}
pkg_config=${PKG_CONFIG:-pkg-config}

cache_get() {
	sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt" | head -n 1
}

[ -f "$build/CMakeCache.txt" ] || { echo "$build is not a CMake build tree" >&2; exit 2; }
cc=$(cache_get CMAKE_C_COMPILER)
cflags=$(cache_get CMAKE_C_FLAGS)
ldflags=$(cache_get CMAKE_EXE_LINKER_FLAGS)
generator=$(cache_get CMAKE_GENERATOR)
libdir_rel=$(cache_get CMAKE_INSTALL_LIBDIR)
incdir_rel=$(cache_get CMAKE_INSTALL_INCLUDEDIR)
# The version the build packaged, as its generated version file states it.
version=$(sed -n 's/^set(PACKAGE_VERSION "\(.*\)")$/\1/p' \
	"$build/swmsi-package/swmsiConfigVersion.cmake" 2>/dev/null || true)
[ -n "$version" ] || { echo "$build has no swmsi-package/swmsiConfigVersion.cmake" >&2; exit 2; }
major=${version%%.*}

work=$(mktemp -d "${TMPDIR:-/tmp}/swmsi-pkg.XXXXXX")
cleanup() {
	if [ "${SWMSI_PKG_KEEP:-0}" = 1 ]; then
		echo "check_install: kept $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT

if [[ $libdir_rel == /* || $incdir_rel == /* ]]; then
	# Absolute dirs ignore --prefix: installing would write outside the
	# scratch directory, and the files could not be used from there.
	echo "check_install: CMAKE_INSTALL_LIBDIR/INCLUDEDIR are absolute;" \
		"the package test needs them relative to the prefix" >&2
	exit 2
fi
# Relocatable pkg-config files (the default) follow the install anywhere:
# install with --prefix. Otherwise they name the configured prefix (as a
# distribution's do): stage it under DESTDIR, as a distribution does, and let
# pkg-config's sysroot map the paths into the stage (keeping the -I and -L
# of system directories, which now stand for the stage's).
if [ "$(cache_get SWMSI_PKGCONFIG_RELOCATABLE)" = OFF ]; then
	stage=$work/stage
	prefix=$stage$(cache_get CMAKE_INSTALL_PREFIX)
	install_args=()
	export DESTDIR=$stage PKG_CONFIG_SYSROOT_DIR=$stage
	export PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1 PKG_CONFIG_ALLOW_SYSTEM_LIBS=1
else
	prefix=$work/prefix
	install_args=(--prefix "$prefix")
	unset DESTDIR PKG_CONFIG_SYSROOT_DIR
fi
libdir=$prefix/$libdir_rel
incdir=$prefix/$incdir_rel
passed=0
failed=0

pass() {
	passed=$((passed + 1))
	echo "ok: $*"
}

# A failed step is reported with its log and the run goes on, so one broken
# piece does not hide the state of the others.
failure() {
	failed=$((failed + 1))
	echo "FAIL: $*" >&2
}

# run LOG CMD...: runs CMD with its output in LOG; on failure prints LOG.
run() {
	local log=$1
	shift
	if "$@" >"$log" 2>&1; then
		return 0
	fi
	echo "--- $* ---" >&2
	cat "$log" >&2
	return 1
}

# A consumer passes when it exits 0 and its last line of output is OK.
run_consumer() {
	local what=$1
	shift
	local log=$work/run-$what.log
	if run "$log" "$@" && [ "$(tail -n 1 "$log")" = OK ]; then
		pass "$what runs"
	else
		failure "$what does not run cleanly"
	fi
}

# needs_lib BINARY NAME: whether BINARY records a DT_NEEDED entry starting
# with NAME (so "libswmsi" stands for libswmsi and libswmsi-mock alike).
needs_lib() {
	readelf -d "$1" | grep -q "(NEEDED).*\[$2"
}

# ---------------------------------------------------------------------------
# Install.
if ! run "$work/install.log" "$cmake" --install "$build" "${install_args[@]}"; then
	failure "cmake --install $build ${install_args[*]}"
	echo "0 passed, 1 failed"
	exit 1
fi
pass "cmake --install into $prefix"

# ---------------------------------------------------------------------------
# Layout.
missing=()
for f in \
	"$incdir/swmsi/swmsi.h" "$incdir/swmsi/iommu.h" \
	"$incdir/swmsi/mock_iommu.h" "$incdir/swmsi/export.h" \
	"$libdir/libswmsi.so" "$libdir/libswmsi.so.$major" "$libdir/libswmsi.so.$version" \
	"$libdir/libswmsi.a" \
	"$libdir/libswmsi-mock.so" "$libdir/libswmsi-mock.so.$major" \
	"$libdir/libswmsi-mock.so.$version" "$libdir/libswmsi-mock.a" \
	"$libdir/pkgconfig/swmsi.pc" "$libdir/pkgconfig/swmsi-mock.pc" "$libdir/pkgconfig/swmsi-uapi.pc" \
	"$libdir/cmake/swmsi/swmsiConfig.cmake" \
	"$libdir/cmake/swmsi/swmsiConfigVersion.cmake" \
	"$libdir/cmake/swmsi/swmsiTargets.cmake"; do
	[ -e "$f" ] || missing+=("${f#"$prefix"/}")
done
if [ ${#missing[@]} -eq 0 ]; then
	pass "every expected file is installed"
else
	failure "not installed: ${missing[*]}"
fi

# The simulator, when the build has it: installed like a tool, with its man
# page, which runs from the install and renders without a warning.
if [ "$(cache_get SWMSI_BUILD_TOOLS)" != OFF ] && [ -e "$build/tools/swmsi-sim/swmsi-sim" ]; then
	bindir=$prefix/$(cache_get CMAKE_INSTALL_BINDIR)
	# GNUInstallDirs caches an empty MANDIR (and DATAROOTDIR) to mean its
	# default, DATAROOTDIR/man with DATAROOTDIR share.
	mandir_rel=$(cache_get CMAKE_INSTALL_MANDIR)
	if [ -z "$mandir_rel" ]; then
		mandir_rel=$(cache_get CMAKE_INSTALL_DATAROOTDIR)
		mandir_rel=${mandir_rel:-share}/man
	fi
	mandir=$prefix/$mandir_rel
	if [ -x "$bindir/swmsi-sim" ] && [ -f "$mandir/man1/swmsi-sim.1" ]; then
		pass "swmsi-sim and its man page are installed"
	else
		failure "not installed: bin/swmsi-sim or man1/swmsi-sim.1 (under $prefix)"
	fi
	# bash-completion's completionsdir under this prefix's datadir (or,
	# without bash-completion's .pc, the same place)
	datadir_rel=$(cache_get CMAKE_INSTALL_DATADIR)
	if [ -z "$datadir_rel" ]; then
		datadir_rel=$(cache_get CMAKE_INSTALL_DATAROOTDIR)
		datadir_rel=${datadir_rel:-share}
	fi
	if [ -f "$prefix/$datadir_rel/bash-completion/completions/swmsi-sim" ] &&
		bash -n "$prefix/$datadir_rel/bash-completion/completions/swmsi-sim"; then
		pass "swmsi-sim's bash completion is installed where bash-completion looks"
	else
		failure "not installed: $datadir_rel/bash-completion/completions/swmsi-sim (under $prefix)"
	fi
	if run "$work/sim.log" "$bindir/swmsi-sim" --quiet; then
		pass "the installed swmsi-sim runs its demo"
	else
		failure "the installed swmsi-sim does not run"
	fi
	if command -v man >/dev/null 2>&1 &&
		! MANWIDTH=80 man --warnings -l "$mandir/man1/swmsi-sim.1" 2>&1 >/dev/null | grep -q .; then
		pass "man renders swmsi-sim.1 without a warning"
	elif command -v man >/dev/null 2>&1; then
		failure "man warns about swmsi-sim.1"
	fi
fi

# Every public header must stand alone: a consumer includes any one first.
bad=()
for h in "$src"/include/swmsi/*.h; do
	name=swmsi/$(basename "$h")
	if ! [ -e "$incdir/$name" ]; then
		bad+=("$name (not installed)")
		continue
	fi
	# shellcheck disable=SC2086 # cflags holds several words
	if ! printf '#include <%s>\n' "$name" |
		run "$work/header.log" "$cc" $cflags -std=c17 -Wall -Wextra -Werror \
			-fsyntax-only -I"$incdir" -x c -; then
		bad+=("$name")
	fi
done
if [ ${#bad[@]} -eq 0 ]; then
	pass "each installed header compiles on its own"
else
	failure "headers that do not compile alone: ${bad[*]}"
fi

# ---------------------------------------------------------------------------
# Shared objects: SONAME and exported symbols.

# The names a header declares SWMSI_API: the identifier before the first
# '(' of each declaration, read across line breaks.
api_names() {
	tr '\n' ' ' <"$1" | { grep -o 'SWMSI_API[^;(]*(' || true; } |
		sed 's/[[:space:]]*($//; s/.*[^A-Za-z0-9_]//'
}

# What the toolchain itself exports from any shared object built with this
# build's flags (gcov's or a sanitizer's runtime pieces, say): a probe
# library with nothing of ours visible shows it, and those names are not
# ours to judge.
shared_ldflags=$(cache_get CMAKE_SHARED_LINKER_FLAGS)
printf 'int probe(int x);\nint probe(int x) { return x ? 1 : 2; }\n' >"$work/probe.c"
# shellcheck disable=SC2086
if run "$work/probe.log" "$cc" $cflags -fPIC -fvisibility=hidden -shared \
	"$work/probe.c" -o "$work/probe.so" $shared_ldflags; then
	toolchain_syms=$(nm -D --defined-only "$work/probe.so" | awk 'NF >= 3 { print $3 }' |
		sed 's/@.*//' | sort -u)
else
	failure "cannot build a probe shared object with the build's flags"
	toolchain_syms=
fi

# check_so LIB PREFIX HEADER...: LIB's SONAME is LIB.so.MAJOR, every symbol
# it exports starts with PREFIX (beyond the toolchain's own), and every
# SWMSI_API name of HEADERs is exported.
check_so() {
	local lib=$1 want_prefix=$2
	shift 2
	local so=$libdir/$lib.so.$version soname exported stray missing_api
	if ! [ -f "$so" ]; then
		failure "$lib.so.$version is not installed"
		return
	fi
	soname=$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
	if [ "$soname" = "$lib.so.$major" ]; then
		pass "$lib SONAME is $soname"
	else
		failure "$lib SONAME is '$soname', expected $lib.so.$major"
	fi

	exported=$(nm -D --defined-only "$so" | awk 'NF >= 3 { print $3 }' | sed 's/@.*//' | sort -u)
	stray=$(printf '%s\n' "$exported" | grep -v "^${want_prefix}" |
		comm -23 - <(printf '%s\n' "$toolchain_syms") | grep -v '^$' || true)
	if [ -z "$stray" ]; then
		pass "$lib exports only ${want_prefix}* symbols"
	else
		# shellcheck disable=SC2086 # one name a word, joined on one line
		failure "$lib exports symbols outside ${want_prefix}*: $(printf "%s " $stray)"
	fi

	missing_api=$(for h in "$@"; do api_names "$h"; done | sort -u |
		comm -23 - <(printf '%s\n' "$exported"))
	if [ -z "$missing_api" ]; then
		pass "$lib exports every SWMSI_API function of its headers"
	else
		# shellcheck disable=SC2086
		failure "$lib does not export: $(printf "%s " $missing_api)"
	fi
}

# deprecated.h: the v0.2 names stay exported, so programs linked before the
# renaming still load (the SONAME did not change)
check_so libswmsi swmsi_ "$incdir/swmsi/swmsi.h" "$incdir/swmsi/iommu.h" \
	"$incdir/swmsi/deprecated.h" "$incdir/swmsi/testing.h"
check_so libswmsi-mock mock_iommu_ "$incdir/swmsi/mock_iommu.h"
check_so libswmsi-uapi swmsi_uapi_ "$incdir/swmsi/uapi.h"
if [ -f "$libdir/libswmsi-preload.so" ]; then
	pass "libswmsi-preload.so is installed"
else
	failure "libswmsi-preload.so is not installed"
fi

# ---------------------------------------------------------------------------
# pkg-config.
export PKG_CONFIG_PATH="$libdir/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"

if run "$work/pc-validate.log" "$pkg_config" --validate swmsi &&
	run "$work/pc-validate.log" "$pkg_config" --validate swmsi-mock &&
	[ "$("$pkg_config" --modversion swmsi-mock)" = "$version" ]; then
	pass "swmsi.pc and swmsi-mock.pc validate, version $version"
else
	failure "pkg-config files do not validate or carry the wrong version"
fi

# A static link needs the libraries' private dependencies.
static_libs=$("$pkg_config" --static --libs swmsi-mock 2>"$work/pc.log" || true)
case " $static_libs " in
*" -lswmsi-mock "*" -lswmsi "*" -lbsd "*)
	case " $static_libs " in
	*" -pthread "*) pass "pkg-config --static --libs swmsi-mock: $static_libs" ;;
	*) failure "pkg-config --static --libs swmsi-mock lacks -pthread: $static_libs" ;;
	esac
	;;
*) failure "pkg-config --static --libs swmsi-mock lacks -lswmsi-mock -lswmsi -lbsd: $static_libs" ;;
esac

# (a) shared, the plain pkg-config line.
# shellcheck disable=SC2046,SC2086 # word splitting is the point
if run "$work/cc-pc-shared.log" "$cc" $cflags -std=c17 -Wall -Wextra -Werror \
	-DCONSUMER_EXPECT_SHARED "$src/tests/package/consumer.c" -o "$work/consumer-pc-shared" \
	$ldflags $("$pkg_config" --cflags --libs swmsi-mock); then
	pass "consumer builds with pkg-config swmsi-mock (shared)"
	if needs_lib "$work/consumer-pc-shared" libswmsi-mock; then
		pass "pkg-config shared consumer links libswmsi-mock.so"
	else
		failure "pkg-config shared consumer does not need libswmsi-mock.so"
	fi
	run_consumer "pkg-config shared consumer" \
		env LD_LIBRARY_PATH="$libdir" "$work/consumer-pc-shared"
else
	failure "consumer does not build with pkg-config swmsi-mock (shared)"
fi

# (a') static, with the line docs/packaging.md gives: SWMSI_STATIC defined,
# our archives picked with -Bstatic, their private dependencies from
# --static, and --as-needed so that the -lswmsi* repeated there add no
# DT_NEEDED entry whatever the toolchain's default.
# shellcheck disable=SC2046,SC2086
if run "$work/cc-pc-static.log" "$cc" $cflags -std=c17 -Wall -Wextra -Werror \
	-DSWMSI_STATIC -DCONSUMER_EXPECT_STATIC $("$pkg_config" --cflags swmsi-mock) \
	"$src/tests/package/consumer.c" -o "$work/consumer-pc-static" $ldflags \
	-Wl,-Bstatic -lswmsi-mock -lswmsi -Wl,-Bdynamic \
	-Wl,--as-needed $static_libs; then
	pass "consumer builds with pkg-config --static swmsi-mock"
	if needs_lib "$work/consumer-pc-static" libswmsi; then
		failure "pkg-config static consumer still needs a libswmsi shared object"
	else
		pass "pkg-config static consumer needs no libswmsi shared object"
	fi
	run_consumer "pkg-config static consumer" "$work/consumer-pc-static"
else
	failure "consumer does not build with pkg-config --static swmsi-mock"
fi

# ---------------------------------------------------------------------------
# (b), (c) CMake: find_package(swmsi), shared and static targets.
cbuild=$work/cmake-consumer
# The consumer finds libbsd through pkg-config too, from the real system.
if run "$work/cmake-configure.log" env -u DESTDIR -u PKG_CONFIG_SYSROOT_DIR \
	"$cmake" -S "$src/tests/package/consumer" -B "$cbuild" \
	${generator:+-G "$generator"} \
	-DCMAKE_PREFIX_PATH="$prefix" \
	-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
	-DCMAKE_C_COMPILER="$cc" \
	-DCMAKE_C_FLAGS="$cflags" \
	-DCMAKE_EXE_LINKER_FLAGS="$ldflags" \
	-DSWMSI_EXPECT_VERSION="$version"; then
	found_dir=$(sed -n 's/^swmsi_DIR:[A-Z]*=//p' "$cbuild/CMakeCache.txt")
	if [ "$found_dir" = "$libdir/cmake/swmsi" ]; then
		pass "find_package(swmsi $version) resolves to the install prefix, refuses $((major + 1))"
	else
		failure "find_package(swmsi) found '$found_dir', not $libdir/cmake/swmsi"
	fi
	for flavour in shared static; do
		t=consumer_$flavour
		target=swmsi::mock
		[ $flavour = shared ] || target=swmsi::mock_static
		if run "$work/cmake-build-$flavour.log" "$cmake" --build "$cbuild" --target "$t"; then
			pass "consumer builds with find_package(swmsi) and $target"
		else
			failure "consumer does not build against $target"
			continue
		fi
		if [ $flavour = shared ]; then
			if needs_lib "$cbuild/$t" libswmsi-mock; then
				pass "$t links libswmsi-mock.so"
			else
				failure "$t does not need libswmsi-mock.so"
			fi
			run_consumer "find_package shared consumer" \
				env LD_LIBRARY_PATH="$libdir" "$cbuild/$t"
		else
			if needs_lib "$cbuild/$t" libswmsi; then
				failure "$t still needs a libswmsi shared object"
			else
				pass "$t needs no libswmsi shared object"
			fi
			run_consumer "find_package static consumer" "$cbuild/$t"
		fi
	done
else
	failure "the find_package(swmsi) consumer project does not configure"
fi

echo "check_install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
