#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what building and testing libswmsi needs, and nothing that is
# already there. Safe to run again. As root it calls apt-get directly, as a
# user through sudo.
set -euo pipefail

pkgs=(cmake pkg-config make gcc libc6-dev libcmocka-dev libbsd-dev graphviz doxygen)
# Optional extras: clang (the fuzz target, the clang build), valgrind
# (memcheck), clang-format (the format check).
[ "${SWMSI_SETUP_EXTRAS:-1}" = 1 ] && pkgs+=(clang valgrind clang-format)
# The benchmarks' plots (bench/plot.sh) only; no test needs it.
[ "${SWMSI_SETUP_BENCH:-1}" = 1 ] && pkgs+=(gnuplot-nox bc)

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
