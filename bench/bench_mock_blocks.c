/* SPDX-License-Identifier: MIT */
/*
 * bench_mock_blocks: what mapping guest RAM costs on the mock, end to end
 * through swmsi_ioas_map() into an IOAS with two paging HWPTs (two mock
 * domains), as a VMM maps its RAM into every domain.
 *
 * The mock maps with block entries where io-pgtable-arm would (1G and 2M
 * with 4K pages), so 64 GiB of block-aligned RAM must cost at most 4x what
 * 2 MiB costs, in time (a map and its unmap, timed interleaved in the same
 * run) and in page-table memory (table pages times the page size, per
 * domain). Page by page it cost 0.81 s and 266 MB. --quick maps 2 GiB.
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <swmsi/mock_iommu.h>

#define SMALL	  (2ull << 20)
#define BIG	  (64ull << 30)
#define BIG_QUICK (2ull << 30)
#define IOVA	  (64ull << 30) /* 1G aligned, clear of any window */
#define PADDR	  (1ull << 40)
#define LIMIT	  4.0

struct ram {
	struct bench_env env;
	uint32_t ioas;
	uint64_t size;
};

static void ram_init(struct ram *r, uint64_t size)
{
	bench_env_init(&r->env, BENCH_BACKEND_MOCK, 64, SWMSI_RECLAIM_NONE);
	r->ioas = bench_ioas(&r->env);
	bench_hwpt(&r->env, r->ioas);
	bench_hwpt(&r->env, r->ioas);
	r->size = size;
}

/* One iteration maps the RAM into both domains and unmaps it: two calls. */
static int op_map_unmap(void *arg, size_t iters)
{
	struct ram *r = arg;
	size_t i;
	int rc;

	for (i = 0; i < iters; i++) {
		rc = swmsi_ioas_map(r->env.ctx, r->ioas, IOVA, PADDR, r->size,
				    SWMSI_PROT_READ | SWMSI_PROT_WRITE);
		if (rc)
			return rc;
		rc = swmsi_ioas_unmap(r->env.ctx, r->ioas, IOVA, r->size);
		if (rc)
			return rc;
	}
	return 0;
}

/* Bytes of page table per domain with the RAM mapped (roots included). */
static double table_bytes(struct ram *r)
{
	double bytes;

	bench_ok(swmsi_ioas_map(r->env.ctx, r->ioas, IOVA, PADDR, r->size,
				SWMSI_PROT_READ | SWMSI_PROT_WRITE),
		 "swmsi_ioas_map");
	if (mock_iommu_mapped_pages(r->env.mock, NULL) != 2 * (r->size >> 12)) {
		fprintf(stderr, "bench_mock_blocks: the RAM is not in both domains\n");
		exit(2);
	}
	bytes = (double)mock_iommu_table_pages(r->env.mock, NULL) * 4096 / 2;
	bench_ok(swmsi_ioas_unmap(r->env.ctx, r->ioas, IOVA, r->size), "swmsi_ioas_unmap");
	return bytes;
}

int main(int argc, char **argv)
{
	static struct ram small, big;
	struct bench_opts o;
	struct bench_case c[2];
	double tsmall, tbig, t, m;
	bool ok;

	bench_parse_args(argc, argv,
			 "mapping block-aligned guest RAM into two mock domains: 64 GiB "
			 "against 2 MiB, in time and page-table memory (limit 4x each)",
			 &o);
	ram_init(&small, SMALL);
	ram_init(&big, o.quick ? BIG_QUICK : BIG);
	tsmall = table_bytes(&small);
	tbig = table_bytes(&big);
	memset(c, 0, sizeof(c));
	c[0] = (struct bench_case){ .fn = op_map_unmap, .arg = &small, .ops_per_iter = 1 };
	c[1] = (struct bench_case){ .fn = op_map_unmap, .arg = &big, .ops_per_iter = 1 };
	bench_interleaved(&o, c, 2);
	t = bench_ratio(&o, &c[0], &c[1]);
	m = tbig / tsmall;
	printf("map + unmap of block-aligned RAM into 2 domains (4K pages; ns per map+unmap, "
	       "table bytes per domain)\n");
	printf("%10s %12s %14s\n", "RAM", "ns", "table bytes");
	printf("%8llu M %12.0f %14.0f\n", (unsigned long long)(SMALL >> 20), c[0].median, tsmall);
	printf("%8llu M %12.0f %14.0f\n", (unsigned long long)(big.size >> 20), c[1].median, tbig);
	ok = t <= LIMIT && m <= LIMIT;
	printf("ratio %llu M / 2 M: time %.2f, table memory %.2f (limit %.0f each): %s\n",
	       (unsigned long long)(big.size >> 20), t, m, LIMIT, ok ? "met" : "MISSED");
	bench_env_fini(&small.env);
	bench_env_fini(&big.env);
	return o.check && !ok ? 1 : 0;
}
