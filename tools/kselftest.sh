#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the kernel's own iommufd selftest (tools/testing/selftests/iommu/
# iommufd.c, GPL, never copied into this repository) from a kernel tree the
# caller names, and runs it against libswmsi-preload.so: each selected run
# alone (the harness's -r fixture.variant.test) under LD_PRELOAD, with a
# timeout, then a table of results. docs/kselftest.md says where the files
# come from and what the runs measure.
#
# usage: kselftest.sh [options] DIR
#   DIR          a kernel checkout (v6.17), or a tree holding just the six
#                files the test needs, at their kernel paths
#   --list       print the runs it would make (after building) and stop
#   --all        every run the test binary lists (-l), not only the
#                required set; the exit status still speaks for that set
#   --test ERE   only the runs whose name matches the extended regex ERE
#   --preload P  the shim to preload (default: $SWMSI_PRELOAD, else
#                libswmsi-preload.so found under the build directory)
#   --no-preload run without any shim (checks the mechanics on a machine
#                without /dev/iommu, or measures a real kernel's)
#   --build B    the build directory (tools/lib/common.sh's rule)
#   --work W     where to build the test and keep logs (default:
#                BUILD/kselftest); never inside DIR unless W says so
#   --timeout S  seconds before a run is killed (default 60; the harness
#                itself gives each test 30)
#   --jobs N     runs at once (default 1)
#   --keep       keep every run's log (default: only those of runs that
#                did not pass)
#   -h, --help   this text
# The required set is the issue's list: iommufd's five basic tests, 17
# iommufd_ioas tests in every variant, 4 iommufd_mock_domain tests in the
# variants without hugepages: 85 runs.
# Exit status: 0 every required run passed, 1 some did not, 2 usage or
# setup error (no DIR, a file missing, the build failed, no shim).
set -euo pipefail
# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

prog=kselftest.sh
EXPECTED_REQUIRED=85
SOURCES=(tools/testing/selftests/iommu/iommufd.c
	tools/testing/selftests/iommu/iommufd_utils.h
	tools/testing/selftests/kselftest_harness.h
	tools/testing/selftests/kselftest.h
	drivers/iommu/iommufd/iommufd_test.h
	include/uapi/linux/iommufd.h)

usage() { sed -n '/^# usage:/,/^# setup error/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
die() {
	echo "$prog: $*" >&2
	exit 2
}

# The required set, as the issue names it: FIXTURE:VARIANTS:TESTS, where
# VARIANTS "*" means every variant the binary lists and "-" none.
required_spec() {
	cat <<'EOF'
iommufd:-:simple_close cmd_fail cmd_length cmd_ex_fail global_options
iommufd_ioas:*:ioas_auto_destroy ioas_destroy hwpt_attach ioas_area_destroy ioas_area_auto_destroy get_hw_info area unmap_fully_contained_areas area_auto_iova reserved_overflow area_allowed copy_area iova_ranges ioas_option_huge_pages ioas_iova_alloc ioas_align_change copy_sweep
iommufd_mock_domain:one_domain two_domains one_domain_file:replace alloc_hwpt basic ro_unshare
EOF
}

parse_args() {
	list=0 all=0 filter='' preload=${SWMSI_PRELOAD:-} no_preload=0 build=''
	work='' timeout_s=60 jobs=1 keep=0 dir=''
	while [ $# -gt 0 ]; do
		case $1 in
		-h | --help) usage; exit 0 ;;
		--list) list=1 ;;
		--all) all=1 ;;
		--keep) keep=1 ;;
		--no-preload) no_preload=1 ;;
		--test | --preload | --build | --work | --timeout | --jobs)
			[ $# -ge 2 ] || die "$1 needs a value (see --help)"
			case $1 in
			--test) filter=$2 ;;
			--preload) preload=$2 ;;
			--build) build=$2 ;;
			--work) work=$2 ;;
			--timeout) timeout_s=$2 ;;
			--jobs) jobs=$2 ;;
			esac
			shift ;;
		--) shift; break ;;
		-*) die "unknown option '$1' (see --help)" ;;
		*) [ -z "$dir" ] || die "one DIR only ('$dir', then '$1')"; dir=$1 ;;
		esac
		shift
	done
	[ $# -eq 0 ] || { [ -z "$dir" ] && [ $# -eq 1 ] && dir=$1; } || die "one DIR only"
	[[ $timeout_s =~ ^[1-9][0-9]*$ ]] || die "--timeout wants whole seconds, not '$timeout_s'"
	[[ $jobs =~ ^[1-9][0-9]*$ ]] || die "--jobs wants a positive count, not '$jobs'"
	[ -n "$dir" ] || die "no kernel tree given: usage: $prog [options] DIR (see --help)"
	[ -d "$dir" ] || die "no directory '$dir' (a kernel checkout, or a tree with the six files: see docs/kselftest.md)"
	dir=$(cd "$dir" && pwd)
}

check_sources() {
	local f missing=()
	for f in "${SOURCES[@]}"; do
		[ -f "$dir/$f" ] || missing+=("$f")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	printf '%s: %s lacks:\n' "$prog" "$dir" >&2
	printf '  %s\n' "${missing[@]}" >&2
	die "see docs/kselftest.md for where the files come from"
}

# The shim: --preload, $SWMSI_PRELOAD, else the build directory's.
find_preload() {
	[ "$no_preload" = 1 ] && { preload=''; return 0; }
	if [ -z "$preload" ]; then
		preload=$(find "$SWMSI_BUILD" -maxdepth 3 -name libswmsi-preload.so \
			-not -path '*/kselftest/*' 2>/dev/null | sort | head -n 1)
		[ -n "$preload" ] || die "no libswmsi-preload.so under $SWMSI_BUILD: build it, or name it with --preload PATH (--no-preload runs without a shim)"
	fi
	[ -f "$preload" ] || die "no shim at '$preload'"
	preload=$(cd "$(dirname "$preload")" && pwd)/$(basename "$preload")
}

# Builds WORK/iommufd with upstream's Makefile flags. <linux/iommufd.h> is
# DIR's (through WORK/uapi, which holds that one header); every other
# <linux/...> header is the system's. Rebuilt when a source is newer.
build_test() {
	bin=$work/iommufd
	local f stale=0
	for f in "${SOURCES[@]}"; do
		[ "$bin" -nt "$dir/$f" ] || stale=1
	done
	[ "$stale" = 0 ] && return 0
	mkdir -p "$work/uapi/linux"
	cp "$dir/include/uapi/linux/iommufd.h" "$work/uapi/linux/iommufd.h"
	local cc=${CC:-gcc} start=$SECONDS
	# shellcheck disable=SC2086 # KSFT_CFLAGS is a list of flags
	if ! "$cc" -Wall -O2 -Wno-unused-function -D_GNU_SOURCE ${KSFT_CFLAGS:-} \
		-I "$work/uapi" -I "$dir/tools/testing/selftests" \
		"$dir/tools/testing/selftests/iommu/iommufd.c" -o "$bin.tmp" -lcap \
		>"$work/build.log" 2>&1; then
		tail -n 30 "$work/build.log" >&2
		grep -q 'sys/capability.h' "$work/build.log" &&
			echo "$prog: libcap's header is missing: tools/setup-deps.sh kselftest" >&2
		die "building the selftest failed (log: $work/build.log)"
	fi
	mv "$bin.tmp" "$bin"
	echo "$prog: built $bin in $((SECONDS - start)) s" >&2
}

# Every run the binary lists, as fixture.variant.test (fixture.test where a
# fixture has no variant). The harness prints fixture, variant and test
# columns side by side ("%-20s %-25s %s"); a fixture's runs are its
# variants times its tests.
list_runs() {
	# -l exits with the harness's "skip" status (4)
	{ "$bin" -l 2>&1 || true; } | awk '
	function flush(  i, j) {
		if (fx == "" || nt == 0) return
		if (nv == 0) { for (j = 1; j <= nt; j++) print fx "." t[j]; return }
		for (i = 1; i <= nv; i++) for (j = 1; j <= nt; j++) print fx "." v[i] "." t[j]
	}
	/^# FIXTURE/ || /^-----/ { next }
	{
		w = 20
		if (substr($0, 1, 1) != " ") { flush(); fx = $1; nv = 0; nt = 0; if (length(fx) > w) w = length(fx) }
		rest = substr($0, w + 2)
		n = split(rest, f, " ")
		if (n == 0) next
		if (substr(rest, 1, 1) != " ") { v[++nv] = f[1]; if (n > 1) t[++nt] = f[2] }
		else t[++nt] = f[1]
	}
	END { flush() }'
}

# The required set as anchored regexes, one a line, from required_spec.
required_patterns() {
	required_spec | while IFS=: read -r fx variants tests; do
		local t v
		for t in $tests; do
			case $variants in
			-) echo "^$fx\\.$t\$" ;;
			\*) echo "^$fx\\.[^.]+\\.$t\$" ;;
			*) for v in $variants; do echo "^$fx\\.$v\\.$t\$"; done ;;
			esac
		done
	done
}

# Sets RUNS (the runs to make, in the binary's order) and REQUIRED (the
# required ones among all the binary lists); reports required names the
# binary lacks, and a required count other than the issue's.
select_runs() {
	local all_runs patterns p
	all_runs=$(list_runs)
	[ -n "$all_runs" ] || die "$bin -l listed no tests"
	patterns=$(required_patterns)
	REQUIRED=$(grep -E -f <(echo "$patterns") <<<"$all_runs" || true)
	MISSING=()
	while read -r p; do
		grep -qE "$p" <<<"$all_runs" || MISSING+=("$p")
	done <<<"$patterns"
	local n_req
	n_req=$(grep -c . <<<"$REQUIRED" || true)
	if [ ${#MISSING[@]} -gt 0 ] || [ "$n_req" != "$EXPECTED_REQUIRED" ]; then
		echo "$prog: warning: the required set has $n_req runs in this binary, the issue counts $EXPECTED_REQUIRED" >&2
		[ ${#MISSING[@]} -eq 0 ] || printf '%s: not in the binary: %s\n' "$prog" "${MISSING[@]}" >&2
	fi
	if [ "$all" = 1 ]; then RUNS=$all_runs; else RUNS=$REQUIRED; fi
	if [ -n "$filter" ]; then RUNS=$(grep -E -- "$filter" <<<"$RUNS" || true); fi
	[ -n "$RUNS" ] || die "no run selected (--test: ${filter:-none})"
}

# Sorts one run's log into pass, fail, skip, timeout or crash, with a note:
# prints "RESULT<TAB>NOTE". LOG is the run's output, RC its exit status.
classify() {
	local name=$1 log=$2 rc=$3 re line
	re=${name//./\\.}
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		printf 'timeout\tkilled after %s s\n' "$timeout_s"
		return
	fi
	line=$(grep -E -m1 "^(not )?ok [0-9]+ $re( |\$)" "$log" || true)
	case $line in
	"ok "*"# SKIP"*) printf 'skip\t%s\n' "${line#*# SKIP }" ;;
	"ok "*) printf 'pass\t\n' ;;
	"not ok "*)
		if grep -q 'Test terminated by timeout' "$log"; then
			printf 'timeout\tthe harness timeout\n'
		elif line=$(grep -m1 -o 'terminated unexpectedly by signal [0-9]*' "$log"); then
			printf 'crash\t%s\n' "${line#terminated unexpectedly by }"
		else
			# the first failed check, as file:line:test:message
			line=$(grep -E -m1 '^# [^ ]+:[0-9]+:' "$log" | sed 's|^# .*/||' | cut -c1-100 || true)
			printf 'fail\t%s\n' "${line:-see the log}"
		fi ;;
	*)
		if [ "$rc" -gt 128 ]; then
			printf 'crash\tthe harness died of signal %s\n' "$((rc - 128))"
		elif grep -q '^1\.\.0' "$log"; then
			printf 'fail\tthe binary ran no test of that name\n'
		else
			printf 'fail\tno result line (exit status %s)\n' "$rc"
		fi ;;
	esac
}

# Runs one test alone; writes "NAME<TAB>RESULT<TAB>MS<TAB>NOTE" to RESULTS/IDX.
# The shim is preloaded into the test binary only, not into timeout(1). The
# run has a session of its own: the harness puts each test in a new process
# group, which timeout(1) does not reach, so what is left of a run that
# timed out is killed by its session id.
run_one() {
	local idx=$1 name=$2 log rc=0 t0 t1 sid env=()
	log=$work/logs/$name.log
	[ -n "$preload" ] && env=(env "LD_PRELOAD=$preload")
	t0=$(date +%s%N)
	setsid timeout --kill-after=5 "$timeout_s" "${env[@]}" "$bin" -r "$name" >"$log" 2>&1 &
	sid=$!
	wait "$sid" || rc=$?
	pkill -KILL -s "$sid" 2>/dev/null || true
	t1=$(date +%s%N)
	local res
	res=$(classify "$name" "$log" "$rc")
	printf '%s\t%s\t%s\t%s\n' "$name" "${res%%$'\t'*}" "$(((t1 - t0) / 1000000))" \
		"${res#*$'\t'}" >"$work/results/$idx"
	if [ "$keep" = 0 ] && [ "${res%%$'\t'*}" = pass ]; then rm -f "$log"; fi
	return 0
}

run_all() {
	local idx=0 name running=0
	rm -rf "$work/results" "$work/logs"
	mkdir -p "$work/results" "$work/logs"
	while read -r name; do
		idx=$((idx + 1))
		if [ "$jobs" = 1 ]; then
			run_one "$idx" "$name"
			continue
		fi
		run_one "$idx" "$name" &
		running=$((running + 1))
		if [ "$running" -ge "$jobs" ]; then
			wait -n || true
			running=$((running - 1))
		fi
	done <<<"$RUNS"
	wait || true
}

# The table, one row a run (a '*' before required runs under --all), the
# required names the binary lacks, and the counts. Returns 0 when every
# required run passed.
report() {
	local f name res ms note width=4 mark n=0 bad=0
	declare -A count=([pass]=0 [fail]=0 [skip]=0 [timeout]=0 [crash]=0)
	while read -r name; do [ ${#name} -gt "$width" ] && width=${#name}; done <<<"$RUNS"
	printf '%-*s  %-7s %7s  %s\n' "$width" test result ms note
	for f in $(find "$work/results" -type f -printf '%f\n' | sort -n); do
		IFS=$'\t' read -r name res ms note <"$work/results/$f"
		count[$res]=$((${count[$res]} + 1))
		n=$((n + 1))
		mark=''
		if grep -qxF -- "$name" <<<"$REQUIRED"; then
			[ "$all" = 1 ] && mark='*'
			[ "$res" = pass ] || bad=$((bad + 1))
		fi
		printf '%-*s  %-7s %7s  %s\n' "$width" "$mark$name" "$res" "$ms" "$note"
	done
	for f in "${MISSING[@]}"; do
		printf '%-*s  %-7s %7s  %s\n' "$width" "$f" fail - 'not in the binary'
		bad=$((bad + 1))
	done
	printf '%s runs: %s pass, %s fail, %s skip, %s timeout, %s crash\n' "$n" \
		"${count[pass]}" "${count[fail]}" "${count[skip]}" "${count[timeout]}" "${count[crash]}"
	printf 'required set: %s runs in this binary (the issue counts %s), %s not passing\n' \
		"$(grep -c . <<<"$REQUIRED" || true)" "$EXPECTED_REQUIRED" "$bad"
	[ -z "$(ls -A "$work/logs")" ] || echo "logs: $work/logs"
	[ "$bad" = 0 ]
}

main() {
	parse_args "$@"
	if [ -n "$build" ]; then swmsi_build_dir default "$build"; else swmsi_build_dir default; fi
	work=${work:-$SWMSI_BUILD/kselftest}
	check_sources
	[ "$list" = 1 ] || find_preload
	mkdir -p "$work"
	work=$(cd "$work" && pwd)
	build_test
	select_runs
	if [ "$list" = 1 ]; then
		echo "$RUNS"
		echo "$prog: $(grep -c . <<<"$RUNS") runs" >&2
		exit 0
	fi
	echo "$prog: $(grep -c . <<<"$RUNS") runs, shim: ${preload:-none}, timeout ${timeout_s} s, $jobs at once" >&2
	run_all
	report || exit 1
}

main "$@"
