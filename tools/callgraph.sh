#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# callgraph.sh: the file-level call graph of one directory's C files, and
# whether it has a cycle.
#
# Usage:
#   bash tools/callgraph.sh BUILD_DIR DIR [--leaves F,F...] [SKIP.c...]
#   bash tools/callgraph.sh none DIR [--leaves F,F...] [SKIP.c...]
#   bash tools/callgraph.sh BUILD_DIR|none DIR --layers L,L... [SKIP.c...]
#
#   BUILD_DIR  a CMake build directory already built (build/default, ...):
#              for each DIR/NAME.c the object .../DIR/NAME.c.o under it is
#              used (the first in sorted order when several targets compile
#              the same file), or, for a directory with its own CMakeLists,
#              .../DIR/CMakeFiles/TARGET.dir/NAME.c.o. A missing object is an error, an object older
#              than its source a warning: build first.
#   none       compile each DIR/*.c with ${CC:-cc} -std=c17 -c, with
#              -Iinclude -IDIR and $CPPFLAGS (add -I/-D there if DIR needs
#              more), into a temporary directory removed on exit.
#   DIR        a directory of the tree (src, mock_iommu, ...); only its own
#              *.c files, not subdirectories.
#   --leaves   the files (names in DIR, comma separated) that must sit at the
#              bottom: a leaf may call only other leaves, and no cycle may
#              run through one. Cycles among the other files are then
#              reported but allowed (object files that call each other the
#              way iommufd's do). Without it, any cycle fails.
#   --layers   DIR is split into folders, one a layer, listed top to bottom:
#              their *.c files are read (named FOLDER/NAME.c) instead of
#              DIR's own, and a file may call only files of its own folder
#              or of a folder below it, and include only headers of those
#              folders. Any cycle fails, as without it, in a folder too. A
#              .c file in a folder of DIR that is not listed (nor skipped)
#              is an error, so that every source sits in a layer.
#   SKIP.c     files of DIR to leave out: an entry point (main.c, a fuzzer
#              built only under another preset) that nothing calls.
#
# How: nm lists what each object defines (global symbols) and what it calls
# or references but does not define; an edge A.c -> B.c means A's object
# refers to a symbol that B's object defines. Static functions and static
# inlines from headers are not edges: they are compiled into each caller.
# A cycle is a set of files each reachable from the others (found from
# the transitive closure); an acyclic graph is ordered with tsort(1).
#
# Output: one line per edge, "A.c -> B.c: sym, sym, ...", then either a
# topological order (callers before callees) or the files of each cycle.
# Exit status: 0 acyclic (or, with --leaves, leaves clean), 1 a cycle (or a
# leaf calling up, or a cycle through a leaf, or a layer calling up), 2 a
# usage or build error.
set -euo pipefail

die() {
	printf 'callgraph: %s\n' "$*" >&2
	exit 2
}

usage="usage: $0 BUILD_DIR|none DIR [--leaves FILE,FILE...|--layers DIR,DIR...] [SKIP.c ...]"
[ $# -ge 2 ] || die "$usage"
build=$1
dirarg=$2
shift 2
leaves=
layers=
if [ "${1:-}" = --leaves ]; then
	[ -n "${2:-}" ] || die "$usage"
	leaves=$2
	shift 2
elif [ "${1:-}" = --layers ]; then
	[ -n "${2:-}" ] || die "$usage"
	layers=$2
	shift 2
fi
ignored=" $* "
# shellcheck source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
root=$SWMSI_ROOT
dir=$(cd "$dirarg" 2>/dev/null && pwd) || die "$dirarg: no such directory"
case "$dir/" in
"$root"/*) rel=${dir#"$root"/} ;;
*) die "$dirarg: not inside $root" ;;
esac
[ "$build" = none ] || [ -d "$build" ] || die "$build: no such build directory"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

shopt -s nullglob
sources=()
# A source's name in the graph: NAME.c, or FOLDER/NAME.c with --layers.
name_of() {
	if [ -n "$layers" ]; then
		printf '%s\n' "${1#"$dir"/}"
	else
		basename "$1"
	fi
}
if [ -n "$layers" ]; then
	incs=()
	for layer in ${layers//,/ }; do
		[ -d "$dir/$layer" ] || die "--layers: $rel/$layer does not exist"
		incs+=("-I$dir/$layer")
		for src in "$dir/$layer"/*.c; do
			sources+=("$src")
		done
	done
	for src in "$dir"/*.c "$dir"/*/*.c; do
		name=${src#"$dir"/}
		case " ${layers//,/ } $ignored " in
		*" ${name%%/*} "* | *" $name "*) ;;
		*) die "$rel/$name: in no layer of --layers" ;;
		esac
	done
else
	incs=("-I$dir")
	for src in "$dir"/*.c; do
		case $ignored in
		*" $(basename "$src") "*) ;;
		*) sources+=("$src") ;;
		esac
	done
fi
[ ${#sources[@]} -gt 0 ] || die "$rel: no C files"

# The object for each source, in the order of sources.
objects=()
for src in "${sources[@]}"; do
	name=$(name_of "$src")
	if [ "$build" = none ]; then
		obj="$tmp/${name//\//_}.o"
		# shellcheck disable=SC2086 # CPPFLAGS is a list of flags
		"${CC:-cc}" -std=c17 -c -I"$root/include" "${incs[@]}" ${CPPFLAGS:-} \
			-o "$obj" "$src" || die "$rel/$name: does not compile (set CPPFLAGS?)"
	else
		# Other tests create and delete work folders under the build dir
		# while this runs (ctest -j): find then exits 1 for a folder gone
		# mid-walk, which pipefail would turn into a failed test.
		obj=$( (find "$build" -path "*/$rel/$name.o" -type f || true
			find "$build" -path "*/$rel/CMakeFiles/*.dir/$name.o" -type f || true) 2>/dev/null |
			sort | head -n 1)
		[ -n "$obj" ] || die "$rel/$name: no object under $build (build it first)"
		[ "$obj" -nt "$src" ] || printf 'callgraph: warning: %s older than %s\n' \
			"$obj" "$rel/$name" >&2
	fi
	objects+=("$obj")
done

# defs: "symbol file" for every global symbol a file defines.
: >"$tmp/defs"
for i in "${!sources[@]}"; do
	name=$(name_of "${sources[$i]}")
	nm -P -g --defined-only "${objects[$i]}" |
		awk -v f="$name" '{ print $1, f }' >>"$tmp/defs"
done

# uses: "caller callee symbol" for every undefined symbol another file defines.
: >"$tmp/uses"
for i in "${!sources[@]}"; do
	name=$(name_of "${sources[$i]}")
	nm -P -u "${objects[$i]}" |
		awk -v f="$name" 'NR == FNR { def[$1] = $2; next }
			($1 in def) && def[$1] != f { print f, def[$1], $1 }' \
			"$tmp/defs" - >>"$tmp/uses"
done
sort -u -o "$tmp/uses" "$tmp/uses"

echo "call graph of $rel/ (file -> file it calls):"
if [ -s "$tmp/uses" ]; then
	awk '{ key = $1 " -> " $2 }
		!(key in syms) { syms[key] = $3; order[n++] = key; next }
		{ syms[key] = syms[key] ", " $3 }
		END { for (i = 0; i < n; i++) print "  " order[i] ": " syms[order[i]] }' "$tmp/uses"
else
	echo "  (no calls between files)"
fi

# Cycles: the strongly connected components of more than one file, found
# from the transitive closure (a directory holds a few dozen files at most).
awk 'BEGIN { n = 0 }
	{ if (!($1 in id)) { id[$1] = n; name[n++] = $1 }
	if (!($2 in id)) { id[$2] = n; name[n++] = $2 }
	r[id[$1], id[$2]] = 1 }
	END {
		for (k = 0; k < n; k++) for (i = 0; i < n; i++) if ((i, k) in r)
			for (j = 0; j < n; j++) if ((k, j) in r) r[i, j] = 1
		for (i = 0; i < n; i++) {
			if (done[i] || !((i, i) in r)) continue
			line = name[i]
			for (j = i + 1; j < n; j++) if ((i, j) in r && (j, i) in r) {
				line = line " " name[j]; done[j] = 1
			}
			print line
		}
	}' "$tmp/uses" >"$tmp/cycles"
if [ -n "$leaves" ]; then
	for leaf in ${leaves//,/ }; do
		[ -f "$dir/$leaf" ] || die "--leaves: $rel/$leaf does not exist"
	done
	# a leaf calling a non-leaf is what would put it on a cycle
	bad=$(awk -v l="$leaves" 'BEGIN { n = split(l, a, ","); for (i = 1; i <= n; i++) leaf[a[i]] = 1 }
		($1 in leaf) && !($2 in leaf) { print "  " $1 " -> " $2 ": " $3 }' "$tmp/uses")
	through=$(awk -v l="$leaves" 'BEGIN { n = split(l, a, ","); for (i = 1; i <= n; i++) leaf[a[i]] = 1 }
		{ for (i = 1; i <= NF; i++) if ($i in leaf) { print "  " $0; next } }' "$tmp/cycles")
	if [ -n "$bad$through" ]; then
		[ -z "$bad" ] || printf 'LEAF CALLS UP: a leaf calls a file above it:\n%s\n' "$bad"
		[ -z "$through" ] || printf 'CYCLE THROUGH A LEAF:\n%s\n' "$through"
		exit 1
	fi
	if [ -s "$tmp/cycles" ]; then
		echo "files above the leaves that call each other (allowed):"
		sed 's/^/  /' "$tmp/cycles"
	fi
	echo "leaves ($leaves) call only leaves; no cycle runs through them"
	exit 0
fi
if [ -s "$tmp/cycles" ]; then
	echo "CYCLE: files that call each other, directly or through others (one set a line):"
	sed 's/^/  /' "$tmp/cycles"
	exit 1
fi

if [ -n "$layers" ]; then
	# a file calling a file of a folder listed above its own
	up=$(awk -v l="$layers" 'BEGIN { n = split(l, a, ","); for (i = 1; i <= n; i++) rank[a[i]] = i }
		{ split($1, f, "/"); split($2, t, "/") }
		rank[f[1]] > rank[t[1]] { print "  " $1 " -> " $2 ": " $3 }' "$tmp/uses")
	if [ -n "$up" ]; then
		printf 'LAYER CALLS UP: a file calls a file of a layer above its own (%s):\n%s\n' \
			"$layers" "$up"
		exit 1
	fi
	echo "layers ($layers): every call goes to the same layer or one below"
	# and every #include "X.h" of a layer's file names a header of its own
	# layer or of one below (headers define no functions: nm cannot see them)
	up=$(for layer in ${layers//,/ }; do
		for f in "$dir/$layer"/*.[ch]; do
			{ grep -o '^#include "[^"]*"' "$f" || true; } | sed 's/^#include "\(.*\)"$/\1/' |
				while read -r h; do
					for l in ${layers//,/ }; do
						[ -f "$dir/$l/$h" ] && echo "${f#"$dir"/} $l/$h"
					done
				done
		done
	done | awk -v l="$layers" 'BEGIN { n = split(l, a, ","); for (i = 1; i <= n; i++) rank[a[i]] = i }
		{ split($1, f, "/"); split($2, t, "/") }
		rank[f[1]] > rank[t[1]] { print "  " $1 " includes " $2 }')
	if [ -n "$up" ]; then
		printf 'LAYER INCLUDES UP: a file includes a header of a layer above its own:\n%s\n' "$up"
		exit 1
	fi
	echo "layers ($layers): every header included is of the same layer or one below"
fi

# tsort wants every node: a file calling nothing is paired with itself.
{
	# (edges among the entry layer's files left out: they may cycle)
	awk -v t="${layers:+${layers%%,*}/}" 't == "" || index($1, t) != 1 || index($2, t) != 1 { print $1, $2 }' "$tmp/uses"
	for src in "${sources[@]}"; do
		name=$(name_of "$src")
		echo "$name $name"
	done
} | tsort >"$tmp/order"
echo "acyclic; order (callers before callees): $(tr '\n' ' ' <"$tmp/order")"
