#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# clang-format over every C source and header of the tree, with the
# repository's .clang-format.
#   tools/format.sh           format every file in place
#   tools/format.sh --check   change nothing; list the files clang-format
#                             would change (clang-format --dry-run --Werror)
#                             and exit 1 if there is any (the ctest
#                             format_clang_format_clean runs this)
# The files are those git tracks, plus new ones it does not ignore; outside
# a git checkout, every *.c and *.h under the source directories. $CLANG_FORMAT
# names the binary (default: clang-format; the config needs version 14 or
# later, and other versions may break lines differently).
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
cd "$SWMSI_ROOT"

usage() {
	echo "usage: $0 [--check]" >&2
	exit 2
}

check=0
case $# in
0) ;;
1) [ "$1" = --check ] || usage; check=1 ;;
*) usage ;;
esac

cf=${CLANG_FORMAT:-clang-format}
command -v "$cf" >/dev/null || { echo "format: $cf not found" >&2; exit 2; }

files=()
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	while IFS= read -r -d '' f; do
		[ -f "$f" ] && files+=("$f")
	done < <(git ls-files -z --cached --others --exclude-standard -- '*.c' '*.h')
else
	while IFS= read -r -d '' f; do
		files+=("$f")
	done < <(find src mock_iommu include tests tools examples bench \
		-name '*.[ch]' -type f -print0 2>/dev/null | sort -z)
fi
[ ${#files[@]} -gt 0 ] || { echo "format: no C files found" >&2; exit 2; }

if [ $check = 0 ]; then
	"$cf" -i --style=file -- "${files[@]}"
	echo "format: ${#files[@]} files formatted"
	exit 0
fi

bad=0
for f in "${files[@]}"; do
	# one warning per change; count them so the list says how far off it is
	if ! out=$("$cf" --dry-run --Werror --style=file -- "$f" 2>&1); then
		n=$(printf '%s\n' "$out" | grep -c 'Wclang-format-violations' || true)
		if [ "$n" = 0 ]; then
			# not a formatting verdict: a bad config, an unreadable file
			printf '%s\n' "$out" >&2
			exit 2
		fi
		echo "$f: not formatted ($n changes; see: $cf --dry-run $f)"
		bad=$((bad + 1))
	fi
done
if [ $bad -gt 0 ]; then
	echo "format: $bad of ${#files[@]} files need tools/format.sh"
	exit 1
fi
echo "format: ${#files[@]} files clean"
