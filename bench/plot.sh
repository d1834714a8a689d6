#!/bin/sh
# SPDX-License-Identifier: MIT
# PNG plots of the benchmarks (gnuplot: `bash tools/setup-deps.sh bench`):
#   bench/plot.sh [--build DIR | BUILD_DIR] [OUT_DIR] [--quick]   (default build/release)
# OUT_DIR/bench-hit.png:  ns per hit alloc+free against the table size, for
#                         libswmsi, the RFC's list scan and the lock floor;
# OUT_DIR/bench-fire.png: fires per microsecond against threads, one context.
# The raw outputs are kept next to them (*.txt) so a figure can be checked.
set -eu
. "$(dirname "$0")/../tools/lib/common.sh"
swmsi_build_dir release "$@"
shift "$SWMSI_SHIFT"
dir=$SWMSI_BUILD
out=${1:-bench-plots}
quick=${2:-}
swmsi_need "$dir/bench/bench_fire"
command -v gnuplot >/dev/null || { echo "plot.sh: gnuplot not installed (bash tools/setup-deps.sh bench)" >&2; exit 2; }
mkdir -p "$out"
"$dir/bench/bench_msi_lookup" $quick >"$out/bench_msi_lookup.txt"
"$dir/bench/bench_hot" $quick >"$out/bench_hot.txt"
"$dir/bench/bench_fire" $quick >"$out/bench_fire.txt"

# N list libswmsi, from bench_msi_lookup's first table
awk '/^hit on .* spread/ { t = 1; next } t && /^ *[0-9]/ { print $1, $2, $3 } t && /^$/ { exit }' \
	"$out/bench_msi_lookup.txt" >"$out/hit.dat"
# N floor native, from bench_hot's table 1
awk '/^1\. msi_alloc/ { t = 1; next } t && /^ *[0-9]/ { print $1, $2, $3 } t && /targets/ { exit }' \
	"$out/bench_hot.txt" >"$out/floor.dat"
# T fires/us, native
awk '/^scheme native/ { t = 1; next } t && /^ *[0-9]/ { print $1, $2 } t && /allocations/ { exit }' \
	"$out/bench_fire.txt" >"$out/fire.dat"

gnuplot <<GP
set terminal pngcairo size 900,560 noenhanced
set output "$out/bench-hit.png"
set title "msi_alloc + msi_free of a hit, against the table size"
set xlabel "pages in the table (N)"; set ylabel "ns per alloc+free"
set logscale xy; set grid; set key top left
plot "$out/hit.dat" using 1:2 with linespoints title "RFC list scan (lookup only)", \
     "$out/hit.dat" using 1:3 with linespoints title "libswmsi (bench_msi_lookup)", \
     "$out/floor.dat" using 1:3 with linespoints title "libswmsi, page required (bench_hot)", \
     "$out/floor.dat" using 1:2 with linespoints title "floor: 2 mutex pairs + 1 probe"
set output "$out/bench-fire.png"
set title "msi_fire on one context, one device per thread (NATIVE, libswmsi-mock)"
set xlabel "threads"; set ylabel "fires per microsecond (all threads)"
unset logscale; set logscale x 2; set key top left; set yrange [0:*]
plot "$out/fire.dat" using 1:2 with linespoints title "libswmsi"
GP
echo "plot.sh: wrote $out/bench-hit.png and $out/bench-fire.png"
