/* SPDX-License-Identifier: MIT */
/*
 * The mock's page tables: geometry per granule, mapping across every level
 * boundary, tables freed when empty, PTE contents, argument checks, the
 * all-or-nothing map, and the range / text / DOT views.
 */
#include "mock_fixture.h"

static unsigned int bits_per_level(struct mt *mt)
{
	return mock_iommu_page_shift(mt->mock) - 3;
}

/* The first IOVA of the k-th level boundary: 1 = leaf tables, 2 = the next. */
static uint64_t boundary(struct mt *mt, unsigned int k)
{
	return 1ull << (mock_iommu_page_shift(mt->mock) + bits_per_level(mt) * k);
}

static void mock_create_bad_page_shift_fails_einval(void **state)
{
	unsigned int shifts[] = { 0, 11, 13, 15, 17, 64 };
	int anchor;
	struct mock_iommu *const sentinel = (struct mock_iommu *)(void *)&anchor;
	struct mock_iommu *mock = sentinel;

	(void)state;
	for (size_t i = 0; i < sizeof(shifts) / sizeof(shifts[0]); i++) {
		assert_int_equal(mock_iommu_create(shifts[i], &mock), -EINVAL);
		assert_ptr_equal(mock, sentinel);
	}
	assert_int_equal(mock_iommu_create(12, NULL), -EINVAL);
}

static void mock_levels_each_granule_matches_lpae(void **state)
{
	struct {
		unsigned int shift, levels;
	} want[] = { { 12, 4 }, { 14, 4 }, { 16, 3 } };

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		struct mock_iommu *mock = NULL;

		assert_int_equal(mock_iommu_create(want[i].shift, &mock), 0);
		assert_int_equal(mock_iommu_page_shift(mock), want[i].shift);
		assert_int_equal(mock_iommu_levels(mock), want[i].levels);
		mock_iommu_destroy(mock);
	}
}

static void domain_alloc_fresh_domain_holds_only_root(void **state)
{
	struct mt *mt = *state;
	void *a = mt_domain(mt), *b = mt_domain(mt);

	assert_ptr_not_equal(a, b);
	assert_int_equal(mock_iommu_domain_count(mt->mock), 2);
	assert_int_equal(mock_iommu_domain_serial(mt->mock, a), 1);
	assert_int_equal(mock_iommu_domain_serial(mt->mock, b), 2);
	assert_int_equal(mock_iommu_table_pages(mt->mock, a), 1);
	assert_int_equal(mock_iommu_table_pages(mt->mock, NULL), 2);
	assert_int_equal(mock_iommu_mapped_pages(mt->mock, a), 0);
	mt_domain_free(mt, a);
	mt_domain_free(mt, b);
	assert_int_equal(mock_iommu_domain_serial(mt->mock, a), 0);
}

/*
 * Two pages straddling the k-th level boundary share the tables above the
 * level where their indexes differ and need two of each below: the root
 * path (levels - k tables) plus 2 * k.
 */
static void check_level_boundaries(struct mt *mt)
{
	unsigned int levels = mock_iommu_levels(mt->mock);
	void *dom = mt_domain(mt);
	uint64_t pa = 0;

	for (unsigned int k = 1; k < levels; k++) {
		uint64_t b = boundary(mt, k), iova = b - mt->page;
		uint64_t paddr = (uint64_t)k << 32;

		assert_int_equal(mt_map(mt, dom, iova, paddr, 2 * mt->page, MT_RW), 0);
		assert_int_equal(mock_iommu_mapped_pages(mt->mock, dom), 2);
		assert_int_equal(mock_iommu_table_pages(mt->mock, dom), levels + k);
		assert_int_equal(mt_phys(mt, dom, iova), paddr);
		assert_int_equal(mt_phys(mt, dom, b - 1), paddr + mt->page - 1);
		assert_int_equal(mt_phys(mt, dom, b), paddr + mt->page);
		assert_int_equal(mt->ops->iova_to_phys(mt->mock, dom, iova - 1, &pa), -ENOENT);
		assert_int_equal(mt->ops->iova_to_phys(mt->mock, dom, b + mt->page, &pa), -ENOENT);

		mt_unmap_ok(mt, dom, iova, 2 * mt->page);
		assert_int_equal(mock_iommu_mapped_pages(mt->mock, dom), 0);
		assert_int_equal(mock_iommu_table_pages(mt->mock, dom), 1);
		assert_int_equal(mt->ops->iova_to_phys(mt->mock, dom, iova, &pa), -ENOENT);
	}
	mt_domain_free(mt, dom);
}

static void map_straddling_level_boundaries_4k_splits_then_frees_tables(void **state)
{
	check_level_boundaries(*state);
}

static void map_straddling_level_boundaries_16k_splits_then_frees_tables(void **state)
{
	check_level_boundaries(*state);
}

static void map_straddling_level_boundaries_64k_splits_then_frees_tables(void **state)
{
	check_level_boundaries(*state);
}

/*
 * Page 0 and the last page of the 48-bit space part at the root: the root
 * plus two full paths below it.
 */
static void check_space_ends(struct mt *mt)
{
	unsigned int levels = mock_iommu_levels(mt->mock);
	uint64_t last = MT_IOVA_END - mt->page;
	void *dom = mt_domain(mt);

	mt_map_ok(mt, dom, 0, 0x100000000ull, mt->page, MT_RW);
	mt_map_ok(mt, dom, last, 0x200000000ull, mt->page, SWMSI_PROT_READ);
	assert_int_equal(mock_iommu_table_pages(mt->mock, dom), 1 + 2 * (levels - 1));
	assert_int_equal(mt_phys(mt, dom, 0), 0x100000000ull);
	assert_int_equal(mt_phys(mt, dom, MT_IOVA_END - 1), 0x200000000ull + mt->page - 1);
	mt_unmap_ok(mt, dom, last, mt->page);
	assert_int_equal(mock_iommu_table_pages(mt->mock, dom), levels);
	mt_unmap_ok(mt, dom, 0, mt->page);
	assert_int_equal(mock_iommu_table_pages(mt->mock, dom), 1);
	mt_domain_free(mt, dom);
}

static void map_first_and_last_page_4k_uses_two_root_entries(void **state)
{
	check_space_ends(*state);
}

static void map_first_and_last_page_16k_uses_two_root_entries(void **state)
{
	check_space_ends(*state);
}

static void map_first_and_last_page_64k_uses_two_root_entries(void **state)
{
	check_space_ends(*state);
}

/*
 * One map call over 2 * entries + 3 pages, starting one page below a
 * leaf-table boundary, touches 4 leaf tables under one path; every page
 * must translate to its own paddr.
 */
static void check_long_range(struct mt *mt)
{
	unsigned int levels = mock_iommu_levels(mt->mock);
	uint64_t entries = 1ull << bits_per_level(mt);
	uint64_t pages = 2 * entries + 3, iova = boundary(mt, 1) - mt->page;
	uint64_t paddr = 0x7000000000ull, pa = 0;
	void *dom = mt_domain(mt);

	mt_map_ok(mt, dom, iova, paddr, pages * mt->page, MT_RWM);
	assert_int_equal(mock_iommu_mapped_pages(mt->mock, dom), pages);
	assert_int_equal(mock_iommu_table_pages(mt->mock, dom), (levels - 1) + 4);
	for (uint64_t i = 0; i < pages; i++)
		assert_int_equal(mt_phys(mt, dom, iova + i * mt->page + 8),
				 paddr + i * mt->page + 8);
	assert_int_equal(mt->ops->iova_to_phys(mt->mock, dom, iova + pages * mt->page, &pa),
			 -ENOENT);

	mt_unmap_ok(mt, dom, iova, pages * mt->page);
	assert_int_equal(mock_iommu_table_pages(mt->mock, dom), 1);
	mt_domain_free(mt, dom);
}

static void map_range_over_four_leaf_tables_4k_translates_every_page(void **state)
{
	check_long_range(*state);
}

static void map_range_over_four_leaf_tables_16k_translates_every_page(void **state)
{
	check_long_range(*state);
}

static void map_range_over_four_leaf_tables_64k_translates_every_page(void **state)
{
	check_long_range(*state);
}

static void unmap_one_of_two_neighbours_keeps_shared_tables(void **state)
{
	struct mt *mt = *state;
	uint64_t b = boundary(mt, 1);
	void *dom = mt_domain(mt);

	/* two map calls, in two leaf tables under one L2 table */
	mt_map_ok(mt, dom, b - mt->page, 0x10000000, mt->page, MT_RW);
	mt_map_ok(mt, dom, b, 0x20000000, mt->page, MT_RW);
	assert_int_equal(mock_iommu_table_pages(mt->mock, dom), 5);
	mt_unmap_ok(mt, dom, b, mt->page);
	assert_int_equal(mock_iommu_table_pages(mt->mock, dom), 4);
	assert_int_equal(mt_phys(mt, dom, b - mt->page), 0x10000000);
	mt_unmap_ok(mt, dom, b - mt->page, mt->page);
	assert_int_equal(mock_iommu_table_pages(mt->mock, dom), 1);
	mt_domain_free(mt, dom);
}

static void map_every_prot_combination_preserved_in_pte(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);
	uint64_t pa;
	uint32_t prot;

	for (uint32_t p = 0; p <= SWMSI_PROT_ALL; p++)
		mt_map_ok(mt, dom, 0x100000 + p * mt->page, 0x900000 + p * mt->page, mt->page, p);
	for (uint32_t p = 0; p <= SWMSI_PROT_ALL; p++) {
		prot = 0xdead;
		assert_int_equal(mock_iommu_lookup(mt->mock, dom, 0x100000 + p * mt->page + 3, &pa,
						   &prot),
				 0);
		assert_int_equal(pa, 0x900000 + p * mt->page + 3);
		assert_int_equal(prot, p);
	}
	/* prot may be NULL */
	assert_int_equal(mock_iommu_lookup(mt->mock, dom, 0x100000, &pa, NULL), 0);
	for (uint32_t p = 0; p <= SWMSI_PROT_ALL; p++)
		mt_unmap_ok(mt, dom, 0x100000 + p * mt->page, mt->page);
	mt_domain_free(mt, dom);
}

static void iova_to_phys_offset_in_page_returns_paddr_plus_offset(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);
	uint64_t pa = 0x1234;

	mt_map_ok(mt, dom, 0x8000000, 0x8090000, mt->page, MT_RWM);
	assert_int_equal(mt_phys(mt, dom, 0x8000000), 0x8090000);
	assert_int_equal(mt_phys(mt, dom, 0x8000040), 0x8090040);
	assert_int_equal(mt_phys(mt, dom, 0x8000fff), 0x8090fff);
	assert_int_equal(mt->ops->iova_to_phys(mt->mock, dom, 0x8001000, &pa), -ENOENT);
	assert_int_equal(mt->ops->iova_to_phys(mt->mock, dom, 0x7ffffff, &pa), -ENOENT);
	assert_int_equal(pa, 0x1234);
	mt_unmap_ok(mt, dom, 0x8000000, mt->page);
	mt_domain_free(mt, dom);
}

static void iova_to_phys_at_or_above_2_48_fails_erange(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);
	uint64_t pa = 0x1234;
	uint32_t prot = 7;

	assert_int_equal(mt->ops->iova_to_phys(mt->mock, dom, MT_IOVA_END, &pa), -ERANGE);
	assert_int_equal(mt->ops->iova_to_phys(mt->mock, dom, UINT64_MAX, &pa), -ERANGE);
	assert_int_equal(mt->ops->iova_to_phys(mt->mock, dom, MT_IOVA_END - 1, &pa), -ENOENT);
	assert_int_equal(mock_iommu_lookup(mt->mock, dom, MT_IOVA_END, &pa, &prot), -ERANGE);
	assert_int_equal(pa, 0x1234);
	assert_int_equal(prot, 7);
	assert_int_equal(mt->ops->iova_to_phys(mt->mock, dom, 0, NULL), -EINVAL);
	assert_int_equal(mock_iommu_lookup(mt->mock, dom, 0, NULL, NULL), -EINVAL);
	assert_int_equal(mock_iommu_lookup(mt->mock, NULL, 0, &pa, NULL), -EINVAL);
	mt_domain_free(mt, dom);
}

static void map_misaligned_or_empty_fails_einval_maps_nothing(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);
	uint64_t pg = mt->page;

	assert_int_equal(mt_map(mt, dom, 0x100000 + 0x800, 0x200000, pg, MT_RW), -EINVAL);
	assert_int_equal(mt_map(mt, dom, 0x100000, 0x200000 + 8, pg, MT_RW), -EINVAL);
	assert_int_equal(mt_map(mt, dom, 0x100000, 0x200000, pg + 1, MT_RW), -EINVAL);
	assert_int_equal(mt_map(mt, dom, 0x100000, 0x200000, pg / 2, MT_RW), -EINVAL);
	assert_int_equal(mt_map(mt, dom, 0x100000, 0x200000, 0, MT_RW), -EINVAL);
	assert_int_equal(mt_map(mt, dom, 0x100000, 0x200000, pg, 1u << 3), -EINVAL);
	assert_int_equal(mt_map(mt, dom, 0x100000, 0x200000, pg, 0x80000000u | MT_RW), -EINVAL);
	/* -EINVAL outranks -ERANGE */
	assert_int_equal(mt_map(mt, dom, MT_IOVA_END, 0x200000 + 8, pg, MT_RW), -EINVAL);
	assert_int_equal(mock_iommu_mapped_pages(mt->mock, dom), 0);
	assert_int_equal(mock_iommu_table_pages(mt->mock, dom), 1);
	assert_int_equal(mock_iommu_map_calls(mt->mock), 8);
	mt_domain_free(mt, dom);
}

/* API.md: a context whose page size differs gets -EINVAL on its first map. */
static void map_4k_aligned_on_16k_mock_fails_einval(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);

	assert_int_equal(mt_map(mt, dom, 0x1000, 0x1000, 0x1000, MT_RW), -EINVAL);
	assert_int_equal(mt_map(mt, dom, 0x4000, 0x8000, 0x1000, MT_RW), -EINVAL);
	assert_int_equal(mock_iommu_mapped_pages(mt->mock, dom), 0);
	mt_map_ok(mt, dom, 0x4000, 0x8000, 0x4000, MT_RW);
	mt_unmap_ok(mt, dom, 0x4000, 0x4000);
	mt_domain_free(mt, dom);
}

static void map_beyond_2_48_or_wrapping_fails_erange(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);
	uint64_t pg = mt->page;

	assert_int_equal(mt_map(mt, dom, MT_IOVA_END, 0, pg, MT_RW), -ERANGE);
	assert_int_equal(mt_map(mt, dom, MT_IOVA_END - pg, 0, 2 * pg, MT_RW), -ERANGE);
	assert_int_equal(mt_map(mt, dom, 0, 0, MT_IOVA_END + pg, MT_RW), -ERANGE);
	assert_int_equal(mt_map(mt, dom, UINT64_MAX & ~(pg - 1), 0, 2 * pg, MT_RW), -ERANGE);
	assert_int_equal(mt_map(mt, dom, 0, UINT64_MAX & ~(pg - 1), 2 * pg, MT_RW), -ERANGE);
	assert_int_equal(mock_iommu_mapped_pages(mt->mock, dom), 0);
	assert_int_equal(mock_iommu_table_pages(mt->mock, dom), 1);
	/* the last page of the space is fine, and so is the last paddr page */
	mt_map_ok(mt, dom, MT_IOVA_END - pg, UINT64_MAX & ~(pg - 1), pg, MT_RW);
	assert_int_equal(mt_phys(mt, dom, MT_IOVA_END - 1), UINT64_MAX);
	mt_unmap_ok(mt, dom, MT_IOVA_END - pg, pg);
	mt_domain_free(mt, dom);
}

static void map_overlapping_existing_fails_eexist_maps_nothing(void **state)
{
	struct mt *mt = *state;
	uint64_t b = boundary(mt, 2), pg = mt->page;
	void *dom = mt_domain(mt);
	struct mock_iommu_journal_entry e;

	/* [b - 2pg, b): the tail of a region under one L1 entry */
	mt_map_ok(mt, dom, b - 2 * pg, 0x10000000, 2 * pg, MT_RW);
	assert_int_equal(mock_iommu_table_pages(mt->mock, dom), 4);

	/* overlap by the last page, the rest in tables that do not exist yet */
	assert_int_equal(mt_map(mt, dom, b - pg, 0x20000000, 64 * pg, MT_RW), -EEXIST);
	/* starting before, ending inside; inside; the same range; covering it */
	assert_int_equal(mt_map(mt, dom, b - 3 * pg, 0x20000000, 2 * pg, MT_RW), -EEXIST);
	assert_int_equal(mt_map(mt, dom, b - pg, 0x20000000, pg, MT_RW), -EEXIST);
	assert_int_equal(mt_map(mt, dom, b - 2 * pg, 0x10000000, 2 * pg, MT_RW), -EEXIST);
	assert_int_equal(mt_map(mt, dom, b - 8 * pg, 0x20000000, 16 * pg, MT_RW), -EEXIST);

	assert_int_equal(mock_iommu_mapped_pages(mt->mock, dom), 2);
	assert_int_equal(mock_iommu_table_pages(mt->mock, dom), 4);
	assert_int_equal(mt_phys(mt, dom, b - pg), 0x10000000 + pg);
	e = mt_journal_last(mt);
	assert_int_equal(e.op, MOCK_IOMMU_OP_MAP);
	assert_int_equal(e.result, -EEXIST);
	assert_int_equal(e.bytes, 0);
	assert_int_equal(e.iova, b - 8 * pg);

	/* touching is not overlapping */
	mt_map_ok(mt, dom, b, 0x30000000, pg, MT_RW);
	mt_map_ok(mt, dom, b - 3 * pg, 0x30000000, pg, MT_RW);
	mt_unmap_ok(mt, dom, b - 3 * pg, 4 * pg);
	assert_int_equal(mock_iommu_table_pages(mt->mock, dom), 1);
	mt_domain_free(mt, dom);
}

static void map_same_iova_other_domain_succeeds(void **state)
{
	struct mt *mt = *state;
	void *a = mt_domain(mt), *b = mt_domain(mt);

	mt_map_ok(mt, a, 0x8000000, 0x1000, mt->page, MT_RW);
	mt_map_ok(mt, b, 0x8000000, 0x2000, mt->page, MT_RW);
	assert_int_equal(mt_phys(mt, a, 0x8000000), 0x1000);
	assert_int_equal(mt_phys(mt, b, 0x8000000), 0x2000);
	assert_int_equal(mock_iommu_mapped_pages(mt->mock, NULL), 2);
	mt_unmap_ok(mt, a, 0x8000000, mt->page);
	mt_unmap_ok(mt, b, 0x8000000, mt->page);
	mt_domain_free(mt, a);
	mt_domain_free(mt, b);
}

/*
 * Sweep: fail the 1st, 2nd, ... allocation of a map that needs an extent
 * record and 4 new tables (straddling a 2 MiB boundary: an L1, an L2 and
 * two leaf tables). Each failure must leave the tables as they were.
 */
static void map_alloc_fails_each_step_enomem_leaves_nothing(void **state)
{
	struct mt *mt = *state;
	uint64_t b = boundary(mt, 1), pg = mt->page;
	void *dom = mt_domain(mt);
	unsigned int nth, failures = 0;
	int rc;

	for (nth = 1;; nth++) {
		mock_iommu_fail_alloc(mt->mock, nth);
		rc = mt_map(mt, dom, b - pg, 0x40000000, 2 * pg, MT_RW);
		if (rc == 0)
			break;
		assert_int_equal(rc, -ENOMEM);
		failures++;
		assert_int_equal(mock_iommu_mapped_pages(mt->mock, dom), 0);
		assert_int_equal(mock_iommu_table_pages(mt->mock, dom), 1);
		assert_int_equal(mt_journal_last(mt).result, -ENOMEM);
		assert_true(nth < 16);
	}
	mock_iommu_fail_alloc(mt->mock, 0);
	assert_int_equal(failures, 5);
	assert_int_equal(mock_iommu_journal_dropped(mt->mock), 0);
	assert_int_equal(mock_iommu_table_pages(mt->mock, dom), 5);
	mt_unmap_ok(mt, dom, b - pg, 2 * pg);
	mt_domain_free(mt, dom);
}

static void domain_alloc_alloc_fails_enomem_creates_nothing(void **state)
{
	struct mt *mt = *state;
	void *dom = (void *)mt;

	for (unsigned int nth = 1; nth <= 2; nth++) {
		mock_iommu_fail_alloc(mt->mock, nth);
		assert_int_equal(mt->ops->domain_alloc(mt->mock, &dom), -ENOMEM);
		assert_ptr_equal(dom, (void *)mt);
		assert_int_equal(mock_iommu_domain_count(mt->mock), 0);
		assert_int_equal(mock_iommu_table_pages(mt->mock, NULL), 0);
	}
	/* failed allocations do not use up serials */
	dom = mt_domain(mt);
	assert_int_equal(mock_iommu_domain_serial(mt->mock, dom), 1);
	mt_domain_free(mt, dom);
}

static void ranges_adjacent_contiguous_same_prot_merge(void **state)
{
	struct mt *mt = *state;
	uint64_t pg = mt->page, b = boundary(mt, 1);
	struct mock_iommu_range r[8];
	size_t count = 0;
	void *dom = mt_domain(mt);

	/* two calls, contiguous in iova and paddr, one prot: one range */
	mt_map_ok(mt, dom, 0x100000, 0x500000, 2 * pg, MT_RW);
	mt_map_ok(mt, dom, 0x100000 + 2 * pg, 0x500000 + 2 * pg, pg, MT_RW);
	/* adjacent, contiguous paddr, other prot: a new range */
	mt_map_ok(mt, dom, 0x100000 + 3 * pg, 0x500000 + 3 * pg, pg, SWMSI_PROT_READ);
	/* adjacent, same prot, paddr jumps: a new range */
	mt_map_ok(mt, dom, 0x100000 + 4 * pg, 0x900000, pg, SWMSI_PROT_READ);
	/* across a leaf-table boundary: still one range */
	mt_map_ok(mt, dom, b - pg, 0xa00000, 2 * pg, MT_RWM);

	assert_int_equal(mock_iommu_ranges(mt->mock, dom, r, 8, &count), 0);
	assert_int_equal(count, 4);
	assert_int_equal(r[0].iova, 0x100000);
	assert_int_equal(r[0].paddr, 0x500000);
	assert_int_equal(r[0].size, 3 * pg);
	assert_int_equal(r[0].prot, MT_RW);
	assert_int_equal(r[1].iova, 0x100000 + 3 * pg);
	assert_int_equal(r[1].size, pg);
	assert_int_equal(r[1].prot, SWMSI_PROT_READ);
	assert_int_equal(r[2].iova, 0x100000 + 4 * pg);
	assert_int_equal(r[2].paddr, 0x900000);
	assert_int_equal(r[3].iova, b - pg);
	assert_int_equal(r[3].paddr, 0xa00000);
	assert_int_equal(r[3].size, 2 * pg);
	assert_int_equal(r[3].prot, MT_RWM);

	/* a short buffer gets the first ranges and the full count */
	memset(r, 0, sizeof(r));
	assert_int_equal(mock_iommu_ranges(mt->mock, dom, r, 2, &count), 0);
	assert_int_equal(count, 4);
	assert_int_equal(r[1].iova, 0x100000 + 3 * pg);
	assert_int_equal(r[2].iova, 0);
	assert_int_equal(mock_iommu_ranges(mt->mock, dom, NULL, 0, &count), 0);
	assert_int_equal(count, 4);
	assert_int_equal(mock_iommu_ranges(mt->mock, dom, NULL, 1, &count), -EINVAL);
	assert_int_equal(mock_iommu_ranges(mt->mock, dom, r, 8, NULL), -EINVAL);

	mt_unmap_ok(mt, dom, 0x100000, 5 * pg);
	mt_unmap_ok(mt, dom, b - pg, 2 * pg);
	assert_int_equal(mock_iommu_ranges(mt->mock, dom, r, 8, &count), 0);
	assert_int_equal(count, 0);
	mt_domain_free(mt, dom);
}

static void dump_mapped_domain_prints_ranges_and_counters(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);
	FILE *f = tmpfile();
	char *text;

	assert_non_null(f);
	mt_map_ok(mt, dom, 0x8000000, 0x8090000, 0x1000, MT_RWM);
	mt_map_ok(mt, dom, 0x200000, 0x40000000, 0x3000, SWMSI_PROT_READ);
	assert_int_equal(mock_iommu_dump(mt->mock, dom, f), 0);
	text = mt_slurp(f);
	assert_non_null(
		strstr(text, "iova 0x200000-0x202fff -> paddr 0x40000000 [r--] (3 pages)\n"));
	assert_non_null(
		strstr(text, "iova 0x8000000-0x8000fff -> paddr 0x8090000 [rwm] (1 pages)\n"));
	/* ascending by iova */
	assert_true(strstr(text, "0x200000-") < strstr(text, "0x8000000-"));
	assert_non_null(strstr(text, "domain 1: 4 pages mapped in 2 ranges, 5 table pages"));
	free(text);
	fclose(f);

	assert_int_equal(mock_iommu_dump(mt->mock, NULL, stdout), -EINVAL);
	assert_int_equal(mock_iommu_dump(mt->mock, dom, NULL), -EINVAL);
	mt_unmap_ok(mt, dom, 0x8000000, 0x1000);
	mt_unmap_ok(mt, dom, 0x200000, 0x3000);
	mt_domain_free(mt, dom);
	assert_int_equal(mock_iommu_dump(mt->mock, dom, stdout), -EINVAL);
}

static void dump_dot_mapped_domain_prints_table_tree(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);
	FILE *f = tmpfile();
	char *dot;

	assert_non_null(f);
	/* two leaf tables: 0x1ff000 ends one, 0x200000 starts the next */
	mt_map_ok(mt, dom, 0x1ff000, 0x40000000, 0x3000, MT_RW);
	mt_map_ok(mt, dom, 0x8000000, 0x8090000, 0x1000, MT_RWM);
	assert_int_equal(mock_iommu_dump_dot(mt->mock, dom, f), 0);
	dot = mt_slurp(f);
	assert_ptr_equal(strstr(dot, "digraph"), dot);
	assert_int_equal(dot[strlen(dot) - 2], '}');
	assert_int_equal(mt_count_substr(dot, "L0 root"), 1);
	assert_int_equal(mt_count_substr(dot, "L1 table"), 1);
	assert_int_equal(mt_count_substr(dot, "L2 table"), 1);
	assert_int_equal(mt_count_substr(dot, "L3 table"), 3);
	/* leaf runs are summarised: 3 runs, one per leaf table's share */
	assert_int_equal(mt_count_substr(dot, "shape=note"), 3);
	assert_non_null(
		strstr(dot, "iova 0x1ff000-0x1fffff\\n-> paddr 0x40000000 [rw-]\\n1 pages"));
	assert_non_null(
		strstr(dot, "iova 0x200000-0x201fff\\n-> paddr 0x40001000 [rw-]\\n2 pages"));
	assert_non_null(
		strstr(dot, "iova 0x8000000-0x8000fff\\n-> paddr 0x8090000 [rwm]\\n1 pages"));
	/* the leaf table at 0x0 uses index 511 only */
	assert_non_null(strstr(dot, "1/512 used, idx 511-511"));
	/* root, L1, L2, 3 leaf tables and 3 runs: 9 nodes in a tree, 8 edges */
	assert_int_equal(mt_count_substr(dot, " -> "), 8);
	free(dot);
	fclose(f);

	mt_unmap_ok(mt, dom, 0x1ff000, 0x3000);
	mt_unmap_ok(mt, dom, 0x8000000, 0x1000);
	mt_domain_free(mt, dom);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mock_create_bad_page_shift_fails_einval),
		cmocka_unit_test(mock_levels_each_granule_matches_lpae),
		cmocka_unit_test_setup_teardown(domain_alloc_fresh_domain_holds_only_root,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(
			map_straddling_level_boundaries_4k_splits_then_frees_tables, mt_setup_4k,
			mt_teardown),
		cmocka_unit_test_setup_teardown(
			map_straddling_level_boundaries_16k_splits_then_frees_tables, mt_setup_16k,
			mt_teardown),
		cmocka_unit_test_setup_teardown(
			map_straddling_level_boundaries_64k_splits_then_frees_tables, mt_setup_64k,
			mt_teardown),
		cmocka_unit_test_setup_teardown(map_first_and_last_page_4k_uses_two_root_entries,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(map_first_and_last_page_16k_uses_two_root_entries,
						mt_setup_16k, mt_teardown),
		cmocka_unit_test_setup_teardown(map_first_and_last_page_64k_uses_two_root_entries,
						mt_setup_64k, mt_teardown),
		cmocka_unit_test_setup_teardown(
			map_range_over_four_leaf_tables_4k_translates_every_page, mt_setup_4k,
			mt_teardown),
		cmocka_unit_test_setup_teardown(
			map_range_over_four_leaf_tables_16k_translates_every_page, mt_setup_16k,
			mt_teardown),
		cmocka_unit_test_setup_teardown(
			map_range_over_four_leaf_tables_64k_translates_every_page, mt_setup_64k,
			mt_teardown),
		cmocka_unit_test_setup_teardown(unmap_one_of_two_neighbours_keeps_shared_tables,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(map_every_prot_combination_preserved_in_pte,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(
			iova_to_phys_offset_in_page_returns_paddr_plus_offset, mt_setup_4k,
			mt_teardown),
		cmocka_unit_test_setup_teardown(iova_to_phys_at_or_above_2_48_fails_erange,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(map_misaligned_or_empty_fails_einval_maps_nothing,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(map_4k_aligned_on_16k_mock_fails_einval,
						mt_setup_16k, mt_teardown),
		cmocka_unit_test_setup_teardown(map_beyond_2_48_or_wrapping_fails_erange,
						mt_setup_64k, mt_teardown),
		cmocka_unit_test_setup_teardown(map_overlapping_existing_fails_eexist_maps_nothing,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(map_same_iova_other_domain_succeeds, mt_setup_4k,
						mt_teardown),
		cmocka_unit_test_setup_teardown(map_alloc_fails_each_step_enomem_leaves_nothing,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(domain_alloc_alloc_fails_enomem_creates_nothing,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(ranges_adjacent_contiguous_same_prot_merge,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(dump_mapped_domain_prints_ranges_and_counters,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(dump_dot_mapped_domain_prints_table_tree,
						mt_setup_4k, mt_teardown),
	};

	return cmocka_run_group_tests_name("mock_pgtable", tests, NULL, NULL);
}
