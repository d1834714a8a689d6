/* SPDX-License-Identifier: MIT */
/*
 * The mock's block entries: a table that maps with blocks wherever
 * io-pgtable-arm would translates exactly as a page-by-page one. Random
 * maps and unmaps (sizes from one page past the largest block, pieces cut
 * out of blocks, overlaps refused, short unmaps, failed allocations) run on
 * a mock with blocks, on a page-only mock (mock_iommu_set_page_only()) and
 * on a plain list of intervals, and all three must agree on every call's
 * result, on iova_to_phys at every boundary and at random points, and on
 * mock_iommu_ranges(), for each granule. The random part runs 160 rounds
 * a granule (3 s under valgrind); SWMSI_BLOCKS_ROUNDS=N runs N, with the
 * same seeds, for a longer hunt by hand.
 */
#include "mock_fixture.h"

#include <inttypes.h>

#define MAX_IVS	   512
#define MAX_RANGES 1024
#define GIB	   (1ull << 30)

/* The model: what is mapped, as disjoint intervals in no order. */
struct iv {
	uint64_t iova, paddr, size;
	uint32_t prot;
};

struct eq {
	unsigned int shift;
	uint64_t page, blk, top;    /* the page, the smallest and largest block */
	struct mock_iommu *mock[2]; /* 0: blocks, 1: page-only */
	void *dom[2];
	const struct swmsi_iommu_ops *ops;
	struct iv iv[MAX_IVS];
	size_t niv;
	uint64_t rng;
	int nmocks; /* 1: the blocks mock against the model only (sizes too big for pages) */
};

static uint64_t rnd(struct eq *e)
{
	/* xorshift64*: fixed seeds, so a failure replays */
	e->rng ^= e->rng >> 12;
	e->rng ^= e->rng << 25;
	e->rng ^= e->rng >> 27;
	return e->rng * 2685821657736338717ull;
}

static uint64_t rnd_below(struct eq *e, uint64_t n)
{
	return n ? rnd(e) % n : 0;
}

static void eq_init(struct eq *e, unsigned int shift, uint64_t seed)
{
	memset(e, 0, sizeof(*e));
	e->shift = shift;
	e->page = 1ull << shift;
	e->blk = shift == 12 ? 1ull << 21 : shift == 14 ? 1ull << 25 : 1ull << 29;
	e->top = shift == 12 ? GIB : e->blk;
	e->ops = mock_iommu_ops();
	e->rng = seed;
	e->nmocks = 2;
	for (int k = 0; k < 2; k++) {
		assert_int_equal(mock_iommu_create(shift, &e->mock[k]), 0);
		assert_int_equal(mock_iommu_set_page_only(e->mock[k], k == 1), 0);
		assert_int_equal(e->ops->domain_alloc(e->mock[k], &e->dom[k]), 0);
	}
	/* a live domain pins the mode */
	assert_int_equal(mock_iommu_set_page_only(e->mock[0], true), -EBUSY);
}

static void eq_fini(struct eq *e)
{
	for (int k = 0; k < 2; k++) {
		e->ops->unmap(e->mock[k], e->dom[k], 0, MT_IOVA_END);
		e->ops->domain_free(e->mock[k], e->dom[k]);
		assert_int_equal(mock_iommu_table_pages(e->mock[k], NULL), 0);
		mock_iommu_destroy(e->mock[k]);
	}
}

/* The model's translation of @iova: 0 and *pa, or -ENOENT. */
static int model_lookup(const struct eq *e, uint64_t iova, uint64_t *pa)
{
	for (size_t i = 0; i < e->niv; i++) {
		if (iova >= e->iv[i].iova && iova - e->iv[i].iova < e->iv[i].size) {
			*pa = e->iv[i].paddr + (iova - e->iv[i].iova);
			return 0;
		}
	}
	return -ENOENT;
}

static bool model_overlaps(const struct eq *e, uint64_t iova, uint64_t size)
{
	for (size_t i = 0; i < e->niv; i++)
		if (iova < e->iv[i].iova + e->iv[i].size && e->iv[i].iova < iova + size)
			return true;
	return false;
}

/* Removes [iova, end) from the model; returns the bytes that were mapped. */
static uint64_t model_remove(struct eq *e, uint64_t iova, uint64_t end)
{
	uint64_t gone = 0;

	for (size_t i = 0; i < e->niv;) {
		struct iv v = e->iv[i];
		uint64_t lo = v.iova > iova ? v.iova : iova;
		uint64_t hi = v.iova + v.size < end ? v.iova + v.size : end;

		if (lo >= hi) {
			i++;
			continue;
		}
		gone += hi - lo;
		e->iv[i] = e->iv[--e->niv];
		if (v.iova < lo)
			e->iv[e->niv++] = (struct iv){ v.iova, v.paddr, lo - v.iova, v.prot };
		if (hi < v.iova + v.size)
			e->iv[e->niv++] = (struct iv){ hi, v.paddr + (hi - v.iova),
						       v.iova + v.size - hi, v.prot };
		assert_true(e->niv <= MAX_IVS);
	}
	return gone;
}

/* The end of the first @budget mapped bytes from @iova on (a short unmap). */
static uint64_t model_budget_end(const struct eq *e, uint64_t iova, uint64_t end, uint64_t budget)
{
	uint64_t pos = iova;

	while (budget && pos < end) {
		uint64_t pa, next = end;

		if (!model_lookup(e, pos, &pa)) {
			for (size_t i = 0; i < e->niv; i++)
				if (pos >= e->iv[i].iova && pos < e->iv[i].iova + e->iv[i].size)
					next = e->iv[i].iova + e->iv[i].size;
			next = next < end ? next : end;
			if (next - pos >= budget)
				return pos + budget;
			budget -= next - pos;
		} else {
			for (size_t i = 0; i < e->niv; i++)
				if (e->iv[i].iova > pos && e->iv[i].iova < next)
					next = e->iv[i].iova;
		}
		pos = next;
	}
	return pos;
}

static void check_point(struct eq *e, uint64_t iova)
{
	uint64_t want = 0, got[2] = { 0, 0 };
	int rc = model_lookup(e, iova, &want);

	if (iova >= MT_IOVA_END)
		return;
	for (int k = 0; k < e->nmocks; k++) {
		int r = e->ops->iova_to_phys(e->mock[k], e->dom[k], iova, &got[k]);

		if (r != rc || (!rc && got[k] != want))
			fail_msg("granule %u mock %d at 0x%" PRIx64 ": rc %d pa 0x%" PRIx64
				 ", model rc %d pa 0x%" PRIx64,
				 e->shift, k, iova, r, got[k], rc, want);
	}
}

static void check_ranges(struct eq *e)
{
	static struct mock_iommu_range r[2][MAX_RANGES];
	size_t n[2];
	uint64_t bytes = 0;

	for (size_t i = 0; i < e->niv; i++)
		bytes += e->iv[i].size;
	for (int k = 0; k < e->nmocks; k++) {
		assert_int_equal(mock_iommu_ranges(e->mock[k], e->dom[k], r[k], MAX_RANGES, &n[k]),
				 0);
		assert_true(n[k] <= MAX_RANGES);
		assert_int_equal(mock_iommu_mapped_pages(e->mock[k], e->dom[k]), bytes >> e->shift);
	}
	if (e->nmocks == 2) {
		assert_int_equal(n[0], n[1]);
		assert_memory_equal(r[0], r[1], n[0] * sizeof(r[0][0]));
	}
}

/* Every interval's edges, a page and a block either side, and random points. */
static void check_all(struct eq *e)
{
	for (size_t i = 0; i < e->niv; i++) {
		uint64_t a = e->iv[i].iova, z = a + e->iv[i].size;
		uint64_t pts[] = { a - 1,
				   a,
				   a + e->page - 1,
				   a + e->page,
				   z - e->page,
				   z - 1,
				   z,
				   (a | (e->blk - 1)) + 1,
				   a + rnd_below(e, z - a) };

		for (size_t p = 0; p < sizeof(pts) / sizeof(pts[0]); p++)
			if (a || p)
				check_point(e, pts[p]);
	}
	for (int p = 0; p < 16; p++)
		check_point(e, rnd_below(e, 8 * e->top));
	check_ranges(e);
}

/* An IOVA or paddr: aligned to a page, a block or the largest block, maybe plus pages. */
static uint64_t pick_addr(struct eq *e, uint64_t limit)
{
	uint64_t align = (uint64_t[]){ e->page, e->blk, e->top }[rnd_below(e, 3)];
	uint64_t a = rnd_below(e, limit / align) * align;

	if (rnd_below(e, 4) == 0)
		a += rnd_below(e, 4) * e->page;
	return a;
}

static uint64_t pick_size(struct eq *e)
{
	switch (rnd_below(e, 6)) {
	case 0:
	case 1:
		return (1 + rnd_below(e, 64)) * e->page;
	case 2:
	case 3:
		return (1 + rnd_below(e, 3)) * e->blk + rnd_below(e, 3) * e->page;
	case 4:
		return e->top + rnd_below(e, 2) * e->blk + rnd_below(e, 2) * e->page;
	default:
		return e->blk - e->page * (1 + rnd_below(e, 4));
	}
}

/* The blocks mock's table before a call that must change nothing. */
struct snap {
	uint64_t tables, pages;
	size_t n;
	struct mock_iommu_range r[MAX_RANGES];
};

static void snap_take(struct eq *e, struct snap *s)
{
	s->tables = mock_iommu_table_pages(e->mock[0], e->dom[0]);
	s->pages = mock_iommu_mapped_pages(e->mock[0], e->dom[0]);
	assert_int_equal(mock_iommu_ranges(e->mock[0], e->dom[0], s->r, MAX_RANGES, &s->n), 0);
}

static void snap_same(struct eq *e, const struct snap *s)
{
	static struct snap now;

	snap_take(e, &now);
	assert_int_equal(now.tables, s->tables);
	assert_int_equal(now.pages, s->pages);
	assert_int_equal(now.n, s->n);
	assert_memory_equal(now.r, s->r, s->n * sizeof(s->r[0]));
}

/*
 * Fails the blocks mock's nth allocation, n = 1, 2, ... 4 (a map of pages
 * may make hundreds), until @call gets through: each failed try must leave
 * the table as it was. Then without a fault, when it must.
 */
static void through_failures(struct eq *e, int (*call)(struct eq *, void *), void *arg)
{
	static struct snap before;
	int rc = -ENOMEM;

	snap_take(e, &before);
	for (unsigned int n = 1; rc && n <= 4; n++) {
		mock_iommu_fail_alloc(e->mock[0], n);
		rc = call(e, arg);
		if (rc)
			snap_same(e, &before);
	}
	mock_iommu_fail_alloc(e->mock[0], 0);
	if (rc)
		assert_int_equal(call(e, arg), 0);
}

struct op {
	uint64_t iova, paddr, size, want_bytes;
	uint32_t prot;
};

static int try_map(struct eq *e, void *arg)
{
	struct op *op = arg;
	int rc = e->ops->map(e->mock[0], e->dom[0], op->iova, op->paddr, op->size, op->prot);

	assert_true(rc == 0 || rc == -ENOMEM);
	return rc;
}

static int try_unmap(struct eq *e, void *arg)
{
	struct op *op = arg;
	uint64_t got = e->ops->unmap(e->mock[0], e->dom[0], op->iova, op->size);

	/* an unmap that could not allocate unmaps nothing: a legal short unmap */
	if (got == 0 && op->want_bytes)
		return -ENOMEM;
	assert_int_equal(got, op->want_bytes);
	return 0;
}

/* The bytes the model maps in [iova, end). */
static uint64_t model_bytes(const struct eq *e, uint64_t iova, uint64_t end)
{
	uint64_t bytes = 0;

	for (size_t i = 0; i < e->niv; i++) {
		uint64_t lo = e->iv[i].iova > iova ? e->iv[i].iova : iova;
		uint64_t hi = e->iv[i].iova + e->iv[i].size < end ? e->iv[i].iova + e->iv[i].size
								  : end;

		bytes += lo < hi ? hi - lo : 0;
	}
	return bytes;
}

static void step_map(struct eq *e, uint64_t window, bool faults)
{
	struct op op = { .size = pick_size(e), .prot = 1 + (uint32_t)rnd_below(e, SWMSI_PROT_ALL) };

	op.iova = pick_addr(e, window);
	op.paddr = rnd_below(e, 2) ? op.iova + 64 * GIB : pick_addr(e, 1ull << 40);
	if (model_overlaps(e, op.iova, op.size)) {
		/* refused whole: check_ranges() finds nothing half-mapped */
		for (int k = 0; k < e->nmocks; k++)
			assert_int_equal(e->ops->map(e->mock[k], e->dom[k], op.iova, op.paddr,
						     op.size, op.prot),
					 -EEXIST);
		return;
	}
	if (e->niv + 1 >= MAX_IVS)
		return;
	if (faults)
		through_failures(e, try_map, &op);
	else
		assert_int_equal(try_map(e, &op), 0);
	if (e->nmocks == 2)
		assert_int_equal(
			e->ops->map(e->mock[1], e->dom[1], op.iova, op.paddr, op.size, op.prot), 0);
	e->iv[e->niv++] = (struct iv){ op.iova, op.paddr, op.size, op.prot };
}

/* An interval whole, a piece of one (often cutting blocks), or one and its surroundings. */
static void pick_unmap(struct eq *e, struct op *op)
{
	const struct iv *v = &e->iv[rnd_below(e, e->niv)];
	uint64_t pages = v->size >> e->shift, off, len;

	switch (rnd_below(e, 3)) {
	case 0:
		op->iova = v->iova;
		op->size = v->size;
		break;
	case 1:
		off = rnd_below(e, pages);
		len = 1 + rnd_below(e, pages - off);
		op->iova = v->iova + (off << e->shift);
		op->size = len << e->shift;
		break;
	default:
		off = v->iova >= e->blk ? rnd_below(e, 2) * e->blk + e->page : 0;
		op->iova = v->iova - off;
		op->size = off + v->size + rnd_below(e, 3) * e->blk;
		break;
	}
	if (op->size > MT_IOVA_END - op->iova)
		op->size = MT_IOVA_END - op->iova;
}

static void step_unmap(struct eq *e, bool faults, bool limited)
{
	struct op op = { 0 };
	uint64_t limit = UINT64_MAX, end, got;

	if (!e->niv)
		return;
	pick_unmap(e, &op);
	end = op.iova + op.size;
	if (limited) {
		limit = (1 + rnd_below(e, 4)) * (rnd_below(e, 2) ? e->page : e->blk);
		end = model_budget_end(e, op.iova, end, limit);
	}
	for (int k = 0; k < e->nmocks; k++)
		mock_iommu_limit_unmap(e->mock[k], limit);
	op.want_bytes = model_bytes(e, op.iova, end);
	if (faults)
		through_failures(e, try_unmap, &op);
	else
		assert_int_equal(try_unmap(e, &op), 0);
	if (e->nmocks == 2) {
		got = e->ops->unmap(e->mock[1], e->dom[1], op.iova, op.size);
		assert_int_equal(got, op.want_bytes);
	}
	for (int k = 0; k < e->nmocks; k++)
		mock_iommu_limit_unmap(e->mock[k], UINT64_MAX);
	assert_int_equal(model_remove(e, op.iova, end), op.want_bytes);
}

static int rounds(int dflt)
{
	const char *env = getenv("SWMSI_BLOCKS_ROUNDS");

	return env && atoi(env) > 0 ? atoi(env) : dflt;
}

static void run_random(unsigned int shift, uint64_t seed)
{
	struct eq *e = malloc(sizeof(*e));
	int n = rounds(160);

	assert_non_null(e);
	eq_init(e, shift, seed);
	for (int r = 0; r < n; r++) {
		if (rnd_below(e, 2))
			step_map(e, 6 * e->top, rnd_below(e, 4) == 0);
		else
			step_unmap(e, rnd_below(e, 4) == 0, rnd_below(e, 5) == 0);
		if (r % 4 == 3)
			check_all(e);
	}
	check_all(e);
	eq_fini(e);
	free(e);
}

static void blocks_random_4k_translates_as_pages(void **state)
{
	(void)state;
	run_random(12, 0x9e3779b97f4a7c15ull);
}

static void blocks_random_16k_translates_as_pages(void **state)
{
	(void)state;
	run_random(14, 0xd1b54a32d192ed03ull);
}

static void blocks_random_64k_translates_as_pages(void **state)
{
	(void)state;
	run_random(16, 0xa0761d6478bd642full);
}

/*
 * Many GiB, too big for the page-only mock: the blocks mock against the
 * model alone, its tables a handful of pages throughout.
 */
static void run_huge(unsigned int shift, uint64_t seed)
{
	struct eq *e = malloc(sizeof(*e));

	assert_non_null(e);
	eq_init(e, shift, seed);
	e->nmocks = 1;
	e->iv[e->niv++] = (struct iv){ 64 * GIB, 256 * GIB, 64 * GIB, MT_RW };
	assert_int_equal(e->ops->map(e->mock[0], e->dom[0], 64 * GIB, 256 * GIB, 64 * GIB, MT_RW),
			 0);
	assert_true(mock_iommu_table_pages(e->mock[0], e->dom[0]) <= 3);
	/* 3 GiB and a bit, unaligned by a page at both ends */
	e->iv[e->niv++] = (struct iv){ 200 * GIB + e->page, 512 * GIB + e->page,
				       3 * GIB + e->blk + e->page, MT_RWM };
	assert_int_equal(e->ops->map(e->mock[0], e->dom[0], 200 * GIB + e->page,
				     512 * GIB + e->page, 3 * GIB + e->blk + e->page, MT_RWM),
			 0);
	check_all(e);
	for (int r = 0; r < rounds(96) / 2; r++) {
		step_unmap(e, rnd_below(e, 3) == 0, rnd_below(e, 5) == 0);
		if (r % 2)
			check_all(e);
	}
	check_all(e);
	eq_fini(e);
	free(e);
}

static void blocks_64g_each_granule_costs_a_few_tables(void **state)
{
	(void)state;
	run_huge(12, 0x2545f4914f6cdd1dull);
	run_huge(14, 0x94d049bb133111ebull);
	run_huge(16, 0xbf58476d1ce4e5b9ull);
}

/* Tables a fresh map of @size at @iova (block aligned) builds, root included. */
static uint64_t tables_for(unsigned int shift, bool page_only, uint64_t iova, uint64_t paddr,
			   uint64_t size)
{
	const struct swmsi_iommu_ops *ops = mock_iommu_ops();
	struct mock_iommu *mock = NULL;
	void *dom = NULL;
	uint64_t tables;

	assert_int_equal(mock_iommu_create(shift, &mock), 0);
	assert_int_equal(mock_iommu_set_page_only(mock, page_only), 0);
	assert_int_equal(ops->domain_alloc(mock, &dom), 0);
	assert_int_equal(ops->map(mock, dom, iova, paddr, size, MT_RW), 0);
	tables = mock_iommu_table_pages(mock, dom);
	assert_int_equal(mock_iommu_mapped_pages(mock, dom), size >> shift);
	assert_int_equal(ops->unmap(mock, dom, iova, size), size);
	ops->domain_free(mock, dom);
	mock_iommu_destroy(mock);
	return tables;
}

/* io-pgtable-arm's sizes: 2M and 1G for 4K, 32M for 16K, 512M for 64K, nothing bigger. */
static void blocks_used_at_io_pgtable_sizes_only(void **state)
{
	(void)state;
	/* a block at level L: tables 0..L */
	assert_int_equal(tables_for(12, false, 1ull << 30, 1ull << 31, 1ull << 21), 3);
	assert_int_equal(tables_for(12, false, 1ull << 30, 1ull << 31, 1ull << 30), 2);
	assert_int_equal(tables_for(14, false, 1ull << 36, 1ull << 37, 1ull << 25), 3);
	assert_int_equal(tables_for(16, false, 1ull << 42, 1ull << 43, 1ull << 29), 2);
	/* 16K's 64G span at level 1 and 64K's 4T at level 0 are no block sizes */
	assert_int_equal(tables_for(14, false, 1ull << 36, 1ull << 37, 1ull << 36), 3);
	/* a paddr off by a page, or pages only: down to the last level */
	assert_int_equal(tables_for(12, false, 1ull << 30, (1ull << 31) + 4096, 1ull << 21), 4);
	assert_int_equal(tables_for(12, true, 1ull << 30, 1ull << 31, 1ull << 21), 4);
	assert_int_equal(tables_for(16, true, 1ull << 42, 1ull << 43, 1ull << 29), 3);
}

/* A 4K page cut out of a 1G block: two splits, each allocation failing in turn first. */
static void blocks_split_failure_changes_nothing(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);
	uint64_t pa = 0;

	assert_int_equal(mt->ops->map(mt->mock, dom, GIB, 4 * GIB, GIB, MT_RW), 0);
	assert_int_equal(mock_iommu_table_pages(mt->mock, dom), 2);
	/* 1: the map call's record for the far half; 2, 3: the 2M and 4K tables */
	for (unsigned int n = 1; n <= 3; n++) {
		mock_iommu_fail_alloc(mt->mock, n);
		assert_int_equal(mt->ops->unmap(mt->mock, dom, GIB + 0x201000, 4096), 0);
		assert_int_equal(mock_iommu_table_pages(mt->mock, dom), 2);
		assert_int_equal(mock_iommu_mapped_pages(mt->mock, dom), GIB >> 12);
		assert_int_equal(mt->ops->iova_to_phys(mt->mock, dom, GIB + 0x201000, &pa), 0);
		assert_int_equal(pa, 4 * GIB + 0x201000);
	}
	mock_iommu_fail_alloc(mt->mock, 0);
	assert_int_equal(mt->ops->unmap(mt->mock, dom, GIB + 0x201000, 4096), 4096);
	/* a piece of one map call, the failed tries included */
	mt->expected_misuse = 4;
	assert_int_equal(mock_iommu_table_pages(mt->mock, dom), 4);
	assert_int_equal(mt->ops->iova_to_phys(mt->mock, dom, GIB + 0x201000, &pa), -ENOENT);
	assert_int_equal(mt->ops->iova_to_phys(mt->mock, dom, GIB + 0x200fff, &pa), 0);
	assert_int_equal(pa, 4 * GIB + 0x200fff);
	assert_int_equal(mt->ops->iova_to_phys(mt->mock, dom, GIB + 0x202000, &pa), 0);
	assert_int_equal(pa, 4 * GIB + 0x202000);
	assert_int_equal(mt->ops->iova_to_phys(mt->mock, dom, 2 * GIB - 1, &pa), 0);
	assert_int_equal(pa, 5 * GIB - 1);
	/* two map calls' worth left, each unmapped whole: the tables go */
	assert_int_equal(mt->ops->unmap(mt->mock, dom, GIB, 0x201000), 0x201000);
	assert_int_equal(mt->ops->unmap(mt->mock, dom, GIB + 0x202000, GIB - 0x202000),
			 GIB - 0x202000);
	assert_int_equal(mock_iommu_table_pages(mt->mock, dom), 1);
	mt_domain_free(mt, dom);
}

/* Overlaps of a block refused whole; bad ranges keep their errors. */
static void blocks_bad_input_keeps_errors(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);
	uint64_t pa;

	assert_int_equal(mt->ops->map(mt->mock, dom, GIB, 0, GIB, MT_RW), 0);
	/* free below, the block above: nothing of it may stay mapped */
	assert_int_equal(mt->ops->map(mt->mock, dom, GIB - 0x200000, 0, 0x400000, MT_RW), -EEXIST);
	assert_int_equal(mt->ops->iova_to_phys(mt->mock, dom, GIB - 0x200000, &pa), -ENOENT);
	assert_int_equal(mt->ops->map(mt->mock, dom, GIB + 0x1000, 0, 0x1000, MT_RW), -EEXIST);
	assert_int_equal(mt->ops->map(mt->mock, dom, 2 * GIB - 0x1000, 0, 0x2000, MT_RW), -EEXIST);
	assert_int_equal(mt->ops->iova_to_phys(mt->mock, dom, 2 * GIB, &pa), -ENOENT);
	assert_int_equal(mt->ops->map(mt->mock, dom, 4 * GIB + 0x800, 0, GIB, MT_RW), -EINVAL);
	assert_int_equal(mt->ops->map(mt->mock, dom, 4 * GIB, 0x800, GIB, MT_RW), -EINVAL);
	assert_int_equal(mt->ops->map(mt->mock, dom, MT_IOVA_END - GIB, 0, 2 * GIB, MT_RW),
			 -ERANGE);
	assert_int_equal(mt->ops->map(mt->mock, dom, 4 * GIB, UINT64_MAX - GIB + 1 + 0x1000, GIB,
				      MT_RW),
			 -ERANGE);
	assert_int_equal(mock_iommu_mapped_pages(mt->mock, dom), GIB >> 12);
	assert_int_equal(mock_iommu_table_pages(mt->mock, dom), 2);
	/* a short unmap stops inside the block: split there */
	mock_iommu_limit_unmap(mt->mock, 0x3000);
	assert_int_equal(mt->ops->unmap(mt->mock, dom, GIB, GIB), 0x3000);
	mock_iommu_limit_unmap(mt->mock, UINT64_MAX);
	assert_int_equal(mt->ops->iova_to_phys(mt->mock, dom, GIB + 0x2fff, &pa), -ENOENT);
	assert_int_equal(mt->ops->iova_to_phys(mt->mock, dom, GIB + 0x3000, &pa), 0);
	assert_int_equal(pa, 0x3000);
	assert_int_equal(mt->ops->unmap(mt->mock, dom, GIB + 0x3000, GIB - 0x3000), GIB - 0x3000);
	mt_domain_free(mt, dom);
}

/* One journal entry per call with its size; the dumps name the blocks. */
static void blocks_journal_and_dumps(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);
	struct mock_iommu_journal_entry je;
	static char buf[8192];
	size_t len;
	FILE *f = tmpfile();

	mock_iommu_journal_clear(mt->mock);
	assert_int_equal(mt->ops->map(mt->mock, dom, GIB, 0, GIB + 0x200000, MT_RW), 0);
	assert_int_equal(mock_iommu_journal_len(mt->mock), 1);
	assert_int_equal(mock_iommu_journal_get(mt->mock, 0, &je), 0);
	assert_int_equal(je.bytes, GIB + 0x200000);
	assert_int_equal(je.size, GIB + 0x200000);
	assert_non_null(f);
	assert_int_equal(mock_iommu_dump(mt->mock, dom, f), 0);
	assert_int_equal(mock_iommu_dump_dot(mt->mock, dom, f), 0);
	rewind(f);
	len = fread(buf, 1, sizeof(buf) - 1, f);
	buf[len] = '\0';
	fclose(f);
	assert_non_null(strstr(buf, "(262656 pages, 2 blocks)"));
	assert_non_null(strstr(buf, "262144 pages in 1 block of 1G"));
	assert_non_null(strstr(buf, "512 pages in 1 block of 2M"));
	assert_int_equal(mt->ops->unmap(mt->mock, dom, GIB, GIB + 0x200000), GIB + 0x200000);
	assert_int_equal(mock_iommu_journal_len(mt->mock), 2);
	assert_int_equal(mock_iommu_journal_get(mt->mock, 1, &je), 0);
	assert_int_equal(je.bytes, GIB + 0x200000);
	mt_domain_free(mt, dom);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(blocks_used_at_io_pgtable_sizes_only),
		cmocka_unit_test_setup_teardown(blocks_split_failure_changes_nothing, mt_setup_4k,
						mt_teardown),
		cmocka_unit_test_setup_teardown(blocks_bad_input_keeps_errors, mt_setup_4k,
						mt_teardown),
		cmocka_unit_test_setup_teardown(blocks_journal_and_dumps, mt_setup_4k, mt_teardown),
		cmocka_unit_test(blocks_random_4k_translates_as_pages),
		cmocka_unit_test(blocks_random_16k_translates_as_pages),
		cmocka_unit_test(blocks_random_64k_translates_as_pages),
		cmocka_unit_test(blocks_64g_each_granule_costs_a_few_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
