#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Does README.md's "Inside" table map every file of the simulator's layer
# folders? Each FOLDER/NAME must appear as `NAME` (`NAME/` for a folder)
# in the rows after the folder's own **FOLDER/** row.
# usage: readme_map.sh [SIM_DIR]   (default: this script's folder)
# Exit 0 when every file has its row; 1 naming those that have none.
set -euo pipefail
dir=${1:-$(cd "$(dirname "$0")" && pwd)}
cd "$dir"
rc=0
for f in */*; do
	folder=${f%%/*} name=${f#*/}
	[ -d "$f" ] && name=$name/
	# the table's rows of this folder: from its **FOLDER/** row to the next
	if ! awk -v h="| **$folder/** |" -v n="\`$name\`" '
		index($0, h) == 1 { on = 1; next }
		on && index($0, "| **") == 1 { on = 0 }
		on && index($0, n) { found = 1 }
		END { exit !found }' README.md; then
		echo "README.md: no row for $f in its folder's part of the Inside table"
		rc=1
	fi
done
exit $rc
