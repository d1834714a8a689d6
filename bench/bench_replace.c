/* SPDX-License-Identifier: MIT */
/*
 * bench_replace: the cost of swmsi_device_replace as a function of the
 * pages the moving group requires, and as a function of the pages the rest
 * of the context holds.
 *
 * API.md's Cost section: a group's attach or replace takes time independent
 * of the number of pages in the table, and a replace costs in proportion to
 * the pages the moving group requires. The first table varies the group's
 * pages under a large table; the second varies the table under a fixed
 * group, once with the group's ids below the others' and once above them
 * (ids are handed out lowest-free, so a group that comes late gets high
 * ids). The third runs one case on the real mock, end to end.
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <swmsi/mock_iommu.h>

#define MAX_CASES 4

struct replace_cfg {
	size_t other;  /* pages held by another group on another domain */
	size_t pages;  /* pages the moving group requires */
	bool ids_high; /* the other group took its ids first */
	enum swmsi_reclaim reclaim;
	enum bench_backend backend;
};

struct replace_env {
	struct replace_cfg cfg;
	struct bench_env env;
	uint32_t mover;
	uint32_t hwpt_a;
	uint32_t hwpt_b;
	double maps_per_op; /* backend map calls one measured call makes */
};

/* One iteration moves the group to B and back: two replaces. */
static int op_replace(void *arg, size_t iters)
{
	struct replace_env *re = arg;
	size_t i;
	int rc;

	for (i = 0; i < iters; i++) {
		rc = swmsi_device_replace(re->env.ctx, re->mover, re->hwpt_b);
		if (rc)
			return rc;
		rc = swmsi_device_replace(re->env.ctx, re->mover, re->hwpt_a);
		if (rc)
			return rc;
	}
	return 0;
}

/* One iteration detaches the group and attaches it again: two calls. */
static int op_reattach(void *arg, size_t iters)
{
	struct replace_env *re = arg;
	size_t i;
	int rc;

	for (i = 0; i < iters; i++) {
		rc = swmsi_device_detach(re->env.ctx, re->mover);
		if (rc)
			return rc;
		rc = swmsi_device_attach(re->env.ctx, re->mover, re->hwpt_a);
		if (rc)
			return rc;
	}
	return 0;
}

static uint64_t map_calls(struct replace_env *re)
{
	if (re->env.backend == BENCH_BACKEND_MOCK)
		return mock_iommu_map_calls(re->env.mock);
	return hb_map_calls(re->env.hb);
}

/* After the move every vector of the group must still reach its doorbell. */
static void verify_fire(struct replace_env *re, uint32_t vec, uint64_t doorbell)
{
	uint64_t pa;

	bench_ok(swmsi_msi_fire(re->env.ctx, re->mover, vec, &pa), "msi_fire (verify)");
	if (pa != doorbell) {
		fprintf(stderr, "bench: vector %u fired at 0x%llx, not at 0x%llx\n", vec,
			(unsigned long long)pa, (unsigned long long)doorbell);
		exit(2);
	}
}

/*
 * HWPT "big" holds the other group; the moving group sits on HWPT A and
 * moves between A and B, all on one IOAS. Both groups report the same
 * window, so their pages share one slot space as devices behind one SMMU.
 */
static void replace_setup(struct replace_env *re, const struct replace_cfg *cfg)
{
	uint32_t ioas, big, other;
	size_t mover_first, other_first;

	memset(re, 0, sizeof(*re));
	re->cfg = *cfg;
	bench_env_init(&re->env, cfg->backend, SWMSI_MAX_MSI_MAPS_LIMIT, cfg->reclaim);
	ioas = bench_ioas(&re->env);
	big = bench_hwpt(&re->env, ioas);
	re->hwpt_a = bench_hwpt(&re->env, ioas);
	re->hwpt_b = bench_hwpt(&re->env, ioas);
	other = bench_bind(&re->env, 1);
	re->mover = bench_bind(&re->env, 2);
	bench_ok(swmsi_device_attach(re->env.ctx, other, big), "attach (other)");
	bench_ok(swmsi_device_attach(re->env.ctx, re->mover, re->hwpt_a), "attach (mover)");
	other_first = cfg->ids_high ? 0 : cfg->pages;
	mover_first = cfg->ids_high ? cfg->other : 0;
	if (cfg->ids_high) {
		bench_fill(&re->env, other, other_first, cfg->other);
		bench_fill(&re->env, re->mover, mover_first, cfg->pages);
	} else {
		bench_fill(&re->env, re->mover, mover_first, cfg->pages);
		bench_fill(&re->env, other, other_first, cfg->other);
	}

	/* one ping-pong to reach the steady state: under reclaim none both
	 * domains keep every page after it */
	bench_ok(op_replace(re, 1), "replace (warm-up)");
	bench_ok(swmsi_device_replace(re->env.ctx, re->mover, re->hwpt_b), "replace (verify)");
	verify_fire(re, 0, bench_doorbell(mover_first));
	verify_fire(re, (uint32_t)cfg->pages - 1, bench_doorbell(mover_first + cfg->pages - 1));
	bench_ok(swmsi_device_replace(re->env.ctx, re->mover, re->hwpt_a), "replace (verify)");
	verify_fire(re, 0, bench_doorbell(mover_first));
}

static void replace_teardown(struct replace_env *re)
{
	bench_env_fini(&re->env);
}

/* Sets up one environment per config, times them round-robin, tears down. */
static void run_set(const struct bench_opts *o, const struct replace_cfg *cfgs, size_t n,
		    bench_fn fn, struct replace_env *envs, struct bench_case *cases)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t calls;

		replace_setup(&envs[i], &cfgs[i]);
		memset(&cases[i], 0, sizeof(cases[i]));
		cases[i].fn = fn;
		cases[i].arg = &envs[i];
		cases[i].ops_per_iter = 2;
		/* what one measured call asks of the backend */
		calls = map_calls(&envs[i]);
		bench_ok(fn(&envs[i], 1), "measured call (count)");
		envs[i].maps_per_op = (double)(map_calls(&envs[i]) - calls) / 2;
	}
	bench_interleaved(o, cases, n);
	for (i = 0; i < n; i++)
		replace_teardown(&envs[i]);
}

static const size_t full_pages[] = { 1, 16, 256, 4096 };
static const size_t quick_pages[] = { 1, 16, 256 };
static const size_t full_others[] = { 0, 4096, 60000 };
static const size_t quick_others[] = { 0, 2000 };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A column of tables 1 and 2: where the moving group's ids sit, the
 * reclaim policy, and the call measured. */
struct column {
	const char *title;
	bool ids_high;
	enum swmsi_reclaim reclaim;
	bench_fn fn;
};

static const struct column columns[] = {
	{ "replace lo/none", false, SWMSI_RECLAIM_NONE, op_replace },
	{ "replace lo/unused", false, SWMSI_RECLAIM_UNUSED, op_replace },
	{ "replace hi/none", true, SWMSI_RECLAIM_NONE, op_replace },
	{ "replace hi/unused", true, SWMSI_RECLAIM_UNUSED, op_replace },
	{ "re-attach hi/unused", true, SWMSI_RECLAIM_UNUSED, op_reattach },
};

#define NCOLUMNS COUNT(columns)

/* Table 1: cost against the moving group's pages, under a large table. */
static void table_pages(const struct bench_opts *o, size_t other)
{
	const size_t *pages = o->quick ? quick_pages : full_pages;
	size_t np = o->quick ? COUNT(quick_pages) : COUNT(full_pages), i, c;
	struct bench_case cases[NCOLUMNS][MAX_CASES];
	struct replace_env envs[MAX_CASES];
	double maps[NCOLUMNS][MAX_CASES];

	for (c = 0; c < NCOLUMNS; c++) {
		struct replace_cfg cfgs[MAX_CASES];

		for (i = 0; i < np; i++) {
			cfgs[i] = (struct replace_cfg){ .other = other,
							.pages = pages[i],
							.ids_high = columns[c].ids_high,
							.reclaim = columns[c].reclaim,
							.backend = BENCH_BACKEND_HASH };
		}
		run_set(o, cfgs, np, columns[c].fn, envs, cases[c]);
		for (i = 0; i < np; i++)
			maps[c][i] = envs[i].maps_per_op;
	}

	printf("1. cost vs the pages P the moving group requires; another group holds %zu "
	       "pages on another domain\n"
	       "   lo/hi: the moving group's ids below/above the other's; none/unused: reclaim "
	       "policy\n"
	       "   (ns per call; re-attach = detach then attach of the group's only device)\n",
	       other);
	printf("%8s", "P");
	for (c = 0; c < NCOLUMNS; c++)
		printf(" %20s", columns[c].title);
	printf("\n");
	for (i = 0; i < np; i++) {
		printf("%8zu", pages[i]);
		for (c = 0; c < NCOLUMNS; c++)
			printf(" %20.1f", cases[c][i].median);
		printf("\n");
	}
	/* a straight line through the smallest and largest group: what a
	 * call costs whatever the group, and what each page adds */
	printf("%8s", "fixed");
	for (c = 0; c < NCOLUMNS; c++)
		printf(" %20.1f", cases[c][0].median);
	printf("\n%8s", "per page");
	for (c = 0; c < NCOLUMNS; c++)
		printf(" %20.1f", (cases[c][np - 1].median - cases[c][0].median) /
					  (double)(pages[np - 1] - pages[0]));
	printf("\n%8s", "maps");
	for (c = 0; c < NCOLUMNS; c++)
		printf(" %20.0f", maps[c][np - 1]);
	printf("\n   fixed = the P=%zu cost; per page = (P=%zu - P=%zu) / %zu; maps = backend map "
	       "calls per call at P=%zu\n\n",
	       pages[0], pages[np - 1], pages[0], pages[np - 1] - pages[0], pages[np - 1]);
}

/* Table 2: cost against the table, for a fixed group. Returns false when
 * some column grows more than 3x from the smallest table to the largest. */
static bool table_others(const struct bench_opts *o, size_t pages)
{
	const size_t *others = o->quick ? quick_others : full_others;
	size_t nt = o->quick ? COUNT(quick_others) : COUNT(full_others), i, c;
	struct bench_case cases[NCOLUMNS][MAX_CASES];
	struct replace_env envs[MAX_CASES];
	double growth[NCOLUMNS];
	bool ok = true;

	for (c = 0; c < NCOLUMNS; c++) {
		struct replace_cfg cfgs[MAX_CASES];

		for (i = 0; i < nt; i++) {
			cfgs[i] = (struct replace_cfg){ .other = others[i],
							.pages = pages,
							.ids_high = columns[c].ids_high,
							.reclaim = columns[c].reclaim,
							.backend = BENCH_BACKEND_HASH };
		}
		run_set(o, cfgs, nt, columns[c].fn, envs, cases[c]);
		growth[c] = bench_ratio(o, &cases[c][0], &cases[c][nt - 1]);
	}

	printf("2. the moving group requires P = %zu pages; another group holds T pages on "
	       "another domain\n   lo/hi: the moving group's ids below/above the other's; "
	       "none/unused: reclaim policy\n   (ns per call; re-attach = detach then attach "
	       "of the group's only device)\n",
	       pages);
	printf("%8s", "T");
	for (c = 0; c < NCOLUMNS; c++)
		printf(" %20s", columns[c].title);
	printf("\n");
	for (i = 0; i < nt; i++) {
		printf("%8zu", others[i]);
		for (c = 0; c < NCOLUMNS; c++)
			printf(" %20.1f", cases[c][i].median);
		printf("\n");
	}
	printf("%8s", "growth");
	for (c = 0; c < NCOLUMNS; c++) {
		printf(" %20.2f", growth[c]);
		if (growth[c] > 3.0)
			ok = false;
	}
	printf("\n   growth = T=%zu / T=%zu, median of per-round ratios; target <= 3 "
	       "(independent of the table): %s\n\n",
	       others[nt - 1], others[0], ok ? "met" : "MISSED");
	return ok;
}

/* Table 3: one case end to end on the real mock, against the hash backend. */
static void table_mock(const struct bench_opts *o, size_t other, size_t pages)
{
	struct replace_cfg cfgs[2] = {
		{ .other = other,
		  .pages = pages,
		  .ids_high = true,
		  .reclaim = SWMSI_RECLAIM_UNUSED,
		  .backend = BENCH_BACKEND_HASH },
		{ .other = other,
		  .pages = pages,
		  .ids_high = true,
		  .reclaim = SWMSI_RECLAIM_UNUSED,
		  .backend = BENCH_BACKEND_MOCK },
	};
	struct replace_env envs[2];
	struct bench_case cases[2];

	run_set(o, cfgs, 2, op_replace, envs, cases);
	printf("3. end to end on libswmsi-mock: P = %zu, T = %zu, ids high, reclaim unused\n"
	       "   (each replace maps %.0f pages into the new domain and reclaims as many "
	       "from the old)\n",
	       pages, other, envs[1].maps_per_op);
	printf("%24s %12s %9s\n", "backend", "ns/replace", "ns/page");
	printf("%24s %12.1f %9.1f\n", "hash (bench/)", cases[0].median,
	       cases[0].median / (double)pages);
	printf("%24s %12.1f %9.1f\n", "libswmsi-mock", cases[1].median,
	       cases[1].median / (double)pages);
	printf("   mock / hash: %.2f\n", bench_ratio(o, &cases[0], &cases[1]));
}

int main(int argc, char **argv)
{
	struct bench_opts o;
	size_t big;
	bool ok;

	bench_parse_args(argc, argv,
			 "Times swmsi_device_replace against the moving group's pages and "
			 "against the table size.",
			 &o);
	big = o.quick ? quick_others[COUNT(quick_others) - 1] : full_others[COUNT(full_others) - 1];
	printf("bench_replace: swmsi_device_replace of a group between two HWPTs of one IOAS\n"
	       "max_msi_maps %u, window 1 GiB, 4 KiB pages; hash backend unless stated; "
	       "median of %u rounds of >= %.1f ms,\n"
	       "the cases of each table timed round-robin in the same stretch of time\n\n",
	       SWMSI_MAX_MSI_MAPS_LIMIT, o.rounds, (double)o.round_ns / 1e6);
	fflush(stdout);

	table_pages(&o, big);
	fflush(stdout);
	ok = table_others(&o, 16);
	fflush(stdout);
	table_mock(&o, big, o.quick ? 16 : 256);

	if (o.check && !ok) {
		printf("\ncheck: FAILED, a replace or attach grows with the table\n");
		return 1;
	}
	if (o.check)
		printf("\ncheck: passed\n");
	return 0;
}
