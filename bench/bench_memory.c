/* SPDX-License-Identifier: MIT */
/*
 * bench_memory: what a HWPT and a group cost in id-indexed memory
 * (swmsi_ctx_stats().bitmap_bytes: the HWPT's present bitmap and per-id
 * need counts, the group's required bitmap and per-id vector counts) with
 * max_msi_maps = 1<<20, against the fixed-size design that id space would
 * otherwise demand: one bitmap of 1<<20 bits per HWPT and per group, 2 *
 * (1<<20) / 8 bytes per HWPT+group pair.
 *
 * ARCHITECTURE.md: bitmaps grow on demand to the highest id in use; a HWPT
 * must not cost 128 KiB because the id space allows 1<<20. Each row adds
 * HWPT+group pairs whose groups use few ids, and reports bytes per pair.
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIXED_PAIR_BYTES (2.0 * SWMSI_MAX_MSI_MAPS_LIMIT / 8)
/* ids each pair's group uses */
#define PAIR_IDS 4
/* vectors per device of the bulk group: keeps each device's handle search
 * short while the bulk fills a large table */
#define BULK_VECS_PER_DEV 4096

struct row {
	const char *what;
	size_t pairs;
	size_t bulk;	 /* ids a bulk group holds before the pairs come */
	bool shared;	 /* every pair uses the same PAIR_IDS pages */
	double per_pair; /* measured bytes per pair (mean) */
	double max_pair; /* the costliest pair */
	size_t top_id;	 /* the highest id a pair uses */
};

static size_t ctx_bitmap_bytes(struct bench_env *env)
{
	struct swmsi_ctx_stats st;

	bench_ok(swmsi_ctx_stats(env->ctx, &st), "swmsi_ctx_stats");
	return st.bitmap_bytes;
}

static void measure_row(struct row *row)
{
	struct bench_env env;
	uint32_t ioas, hwpt, dev;
	size_t i, before, after, total = 0, next_page = 0;
	uint32_t group = 1;

	bench_env_init(&env, BENCH_BACKEND_HASH, SWMSI_MAX_MSI_MAPS_LIMIT, SWMSI_RECLAIM_NONE);
	ioas = bench_ioas(&env);
	if (row->bulk) {
		/* the bulk group's devices share one HWPT; their pages take ids
		 * 0 .. bulk - 1 */
		hwpt = bench_hwpt(&env, ioas);
		for (i = 0; i < row->bulk; i += BULK_VECS_PER_DEV) {
			size_t n = row->bulk - i < BULK_VECS_PER_DEV ? row->bulk - i
								     : BULK_VECS_PER_DEV;

			dev = bench_bind(&env, group);
			bench_ok(swmsi_device_attach(env.ctx, dev, hwpt), "attach (bulk)");
			bench_fill(&env, dev, i, n);
		}
		group++;
		next_page = row->bulk;
	}
	row->max_pair = 0;
	row->top_id = 0;
	for (i = 0; i < row->pairs; i++, group++) {
		size_t first = row->shared ? row->bulk : next_page;
		size_t cost;

		before = ctx_bitmap_bytes(&env);
		hwpt = bench_hwpt(&env, ioas);
		dev = bench_bind(&env, group);
		bench_ok(swmsi_device_attach(env.ctx, dev, hwpt), "attach (pair)");
		bench_fill(&env, dev, first, PAIR_IDS);
		after = ctx_bitmap_bytes(&env);
		/* with shared pages the earlier pairs do not change; with own
		 * pages neither do they: only the new pair's arrays grow */
		cost = after - before;
		total += cost;
		if ((double)cost > row->max_pair)
			row->max_pair = (double)cost;
		if (first + PAIR_IDS - 1 > row->top_id)
			row->top_id = first + PAIR_IDS - 1;
		if (!row->shared)
			next_page += PAIR_IDS;
	}
	row->per_pair = (double)total / (double)row->pairs;
	bench_env_fini(&env);
}

static void print_header(void)
{
	printf("bench_memory: swmsi_ctx_stats().bitmap_bytes per HWPT+group pair, "
	       "max_msi_maps %u\n"
	       "each pair: its own paging HWPT and a one-device group attached to it, "
	       "vectors on %d doorbell pages\n"
	       "baseline: fixed bitmaps sized to the id space, 2 * %u / 8 = %.0f bytes "
	       "per pair\n"
	       "(the RFC's u64 bitmaps would be 16 bytes a pair, but cap the id space "
	       "at 64)\n\n",
	       SWMSI_MAX_MSI_MAPS_LIMIT, PAIR_IDS, SWMSI_MAX_MSI_MAPS_LIMIT, FIXED_PAIR_BYTES);
	printf("%-28s %8s %12s %12s %14s\n", "case", "top id", "bytes/pair", "max pair",
	       "fixed/libswmsi");
}

/* Measure and print each row; false when a pair costs more than fixed. */
static bool run_rows(struct row *rows, size_t nrows)
{
	bool ok = true;
	size_t i;

	for (i = 0; i < nrows; i++) {
		double ratio;

		measure_row(&rows[i]);
		ratio = FIXED_PAIR_BYTES / rows[i].max_pair;
		printf("%-28s %8zu %12.0f %12.0f %14.2f%s\n", rows[i].what, rows[i].top_id,
		       rows[i].per_pair, rows[i].max_pair, ratio,
		       ratio < 1.0 ? "  (costs MORE than fixed)" : "");
		fflush(stdout);
		if (ratio < 1.0)
			ok = false;
	}
	return ok;
}

int main(int argc, char **argv)
{
	struct row full_rows[] = {
		{ "64 pairs, same 4 pages", 64, 0, true, 0, 0, 0 },
		{ "64 pairs, 4 own pages each", 64, 0, false, 0, 0, 0 },
		{ "4 pairs after 4096 ids", 4, 4096, true, 0, 0, 0 },
		{ "4 pairs after 60000 ids", 4, 60000, true, 0, 0, 0 },
		{ "4 pairs after 262000 ids", 4, 262000, true, 0, 0, 0 },
	};
	struct row quick_rows[] = {
		{ "8 pairs, same 4 pages", 8, 0, true, 0, 0, 0 },
		{ "8 pairs, 4 own pages each", 8, 0, false, 0, 0, 0 },
		{ "2 pairs after 2000 ids", 2, 2000, true, 0, 0, 0 },
	};
	struct bench_opts o;
	bool ok;

	bench_parse_args(argc, argv,
			 "Reports id-indexed memory per HWPT+group pair against fixed "
			 "(1<<20)-bit bitmaps.",
			 &o);
	print_header();
	ok = o.quick ? run_rows(quick_rows, sizeof(quick_rows) / sizeof(quick_rows[0]))
		     : run_rows(full_rows, sizeof(full_rows) / sizeof(full_rows[0]));
	printf("\n'after N ids': a bulk group on another HWPT holds ids 0..N-1 first, so the "
	       "pairs' ids sit at N..N+%d:\n"
	       "a pair's two bitmaps grow to its highest id (a bit an id); its per-id "
	       "counters hold only the ids it uses.\n",
	       PAIR_IDS - 1);

	if (o.check && !ok) {
		printf("\ncheck: FAILED, a pair costs more than fixed bitmaps would\n");
		return 1;
	}
	if (o.check)
		printf("\ncheck: passed\n");
	return 0;
}
