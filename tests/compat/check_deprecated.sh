#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# check_deprecated.sh: the v0.2 names warn only when a consumer asks.
# - consumer_v02.c compiles silently under -Wall -Wextra -Werror (no
#   request): nobody building with -Werror breaks on a renaming;
# - with SWMSI_WARN_DEPRECATED defined, the compiler warns about every old
#   name it uses (each named in the warning), so the same -Werror build fails;
# - a consumer of the new names, with the test hook from <swmsi/testing.h>
#   (included before or after swmsi.h), compiles clean with the request on.
#
# Usage: check_deprecated.sh CC SOURCE_DIR BINARY_DIR
set -euo pipefail

[ $# -eq 3 ] || {
	echo "usage: $0 CC SOURCE_DIR BINARY_DIR" >&2
	exit 2
}
cc=$1 src=$2 bin=$3
# ASCII quotes in the compiler's messages, whatever the caller's locale
export LC_ALL=C
flags=(-std=c17 -Wall -Wextra -fsyntax-only -I"$src/include" -I"$bin/include")
consumer=$src/tests/compat/consumer_v02.c
status=0
fail() {
	echo "FAIL: $*"
	status=1
}

if out=$("$cc" "${flags[@]}" -Werror "$consumer" 2>&1) && [ -z "$out" ]; then
	echo "ok: v0.2 names compile silently with -Werror"
else
	fail "v0.2 names do not compile silently with -Werror:"
	printf '%s\n' "$out"
fi

out=$("$cc" "${flags[@]}" -DSWMSI_WARN_DEPRECATED "$consumer" 2>&1) ||
	fail "with SWMSI_WARN_DEPRECATED and no -Werror the consumer must still compile"
for name in swmsi_destroy swmsi_ioas_mappings swmsi_ioas_reserved swmsi_hwpt_msi_present \
	swmsi_hwpt_nested_mappings swmsi_device_vectors swmsi_device_required swmsi_errname; do
	if grep -q "'$name' is deprecated: use swmsi_" <<<"$out"; then
		echo "ok: $name warns when asked"
	else
		fail "$name: no deprecation warning with SWMSI_WARN_DEPRECATED"
	fi
done
if grep -q "swmsi_ctx_fail_alloc is declared in <swmsi/testing.h>" <<<"$out"; then
	echo "ok: swmsi_ctx_fail_alloc through swmsi.h alone warns when asked"
else
	fail "swmsi_ctx_fail_alloc through swmsi.h: no deprecation warning"
fi
if "$cc" "${flags[@]}" -DSWMSI_WARN_DEPRECATED -Werror "$consumer" >/dev/null 2>&1; then
	fail "with SWMSI_WARN_DEPRECATED, -Werror must fail on the old names"
else
	echo "ok: with SWMSI_WARN_DEPRECATED, -Werror fails on the old names"
fi

# The new names, with the request on: not one warning, in either include order.
new_consumer='
#include <stddef.h>
int use(struct swmsi_ctx *ctx, uint32_t id, uint32_t *pt)
{
	size_t n;
	return swmsi_obj_destroy(ctx, id) + swmsi_ioas_mapping_list(ctx, id, NULL, 0, &n) +
	       swmsi_ioas_window_list(ctx, id, NULL, 0, &n) +
	       swmsi_hwpt_present_map_list(ctx, id, NULL, 0, &n) +
	       swmsi_hwpt_nested_mapping_list(ctx, id, NULL, 0, &n) +
	       swmsi_device_vector_list(ctx, id, NULL, 0, &n) +
	       swmsi_device_required_map_list(ctx, id, NULL, 0, &n) +
	       swmsi_device_attach_pt(ctx, id, pt) + swmsi_device_replace_pt(ctx, id, pt) +
	       swmsi_ctx_fail_alloc(ctx, 0) + (swmsi_errno_name(-1) != NULL);
}'
for order in "swmsi/swmsi.h swmsi/testing.h" "swmsi/testing.h swmsi/swmsi.h"; do
	read -r first second <<<"$order"
	if out=$(printf '#define SWMSI_WARN_DEPRECATED\n#include <%s>\n#include <%s>\n%s\n' \
		"$first" "$second" "$new_consumer" |
		"$cc" "${flags[@]}" -Werror -x c - 2>&1); then
		echo "ok: new names compile clean with SWMSI_WARN_DEPRECATED ($first first)"
	else
		fail "new names warn with SWMSI_WARN_DEPRECATED ($first first):"
		printf '%s\n' "$out"
	fi
done
exit $status
