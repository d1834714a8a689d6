/* SPDX-License-Identifier: MIT */
/*
 * mock_iommu_reset(): a mock reset is one just created (no domain, serials
 * from 1, an empty journal numbered from 1, no fault armed, no unmap limit,
 * no misuse or map call counted), whatever it held, and the table pages it
 * keeps for reuse come back clean and still count as allocations.
 */
#include "mock_fixture.h"

static void reset_null_is_noop(void **state)
{
	(void)state;
	mock_iommu_reset(NULL);
}

static void reset_live_domains_freed_not_counted_as_misuse(void **state)
{
	struct mt *mt = *state;
	void *a = mt_domain(mt), *b = mt_domain(mt);

	mt_map_ok(mt, a, 0x100000, 0x40000000, 4 * mt->page, MT_RW);
	mt_map_ok(mt, b, 0x8000000, 0x80000000, mt->page, MT_RWM);
	mock_iommu_reset(mt->mock);
	assert_int_equal(mock_iommu_domain_count(mt->mock), 0);
	assert_int_equal(mock_iommu_mapped_pages(mt->mock, NULL), 0);
	assert_int_equal(mock_iommu_table_pages(mt->mock, NULL), 0);
	assert_int_equal(mock_iommu_misuse_count(mt->mock), 0);
	/* the old handles name nothing now */
	assert_int_equal(mock_iommu_domain_serial(mt->mock, a), 0);
	assert_int_equal(mock_iommu_domain_serial(mt->mock, b), 0);
}

static void reset_serials_and_journal_start_again(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);
	struct mock_iommu_journal_entry e;

	mt_map_ok(mt, dom, 0x100000, 0x40000000, mt->page, MT_RW);
	mt_unmap_ok(mt, dom, 0x100000, mt->page);
	mt_domain_free(mt, dom);
	assert_true(mock_iommu_journal_len(mt->mock) > 0);
	mock_iommu_reset(mt->mock);
	assert_int_equal(mock_iommu_journal_len(mt->mock), 0);
	assert_int_equal(mock_iommu_journal_dropped(mt->mock), 0);
	assert_int_equal(mock_iommu_journal_evicted(mt->mock), 0);
	assert_int_equal(mock_iommu_map_calls(mt->mock), 0);
	dom = mt_domain(mt);
	assert_int_equal(mock_iommu_domain_serial(mt->mock, dom), 1);
	assert_int_equal(mock_iommu_journal_len(mt->mock), 1);
	assert_int_equal(mock_iommu_journal_get(mt->mock, 0, &e), 0);
	assert_int_equal(e.seq, 1);
	assert_int_equal(e.op, MOCK_IOMMU_OP_DOMAIN_ALLOC);
	mt_domain_free(mt, dom);
}

static void reset_faults_limit_and_misuse_cleared(void **state)
{
	struct mt *mt = *state;
	void *dom;

	mock_iommu_fail_map(mt->mock, 1, -ENOMEM);
	mock_iommu_fail_domain_alloc(mt->mock, 1, -ENOSPC);
	mock_iommu_fail_alloc(mt->mock, 1);
	mock_iommu_limit_unmap(mt->mock, mt->page);
	mt_domain_free(mt, (void *)&dom); /* a misuse: no such domain */
	assert_int_equal(mock_iommu_misuse_count(mt->mock), 1);
	mock_iommu_reset(mt->mock);
	assert_int_equal(mock_iommu_misuse_count(mt->mock), 0);
	dom = mt_domain(mt);
	mt_map_ok(mt, dom, 0x100000, 0x40000000, 4 * mt->page, MT_RW);
	/* no limit: one call unmaps all four pages */
	mt_unmap_ok(mt, dom, 0x100000, 4 * mt->page);
	mt_domain_free(mt, dom);
}

/* Every translation of @dom in [0, 2^32) by page, and its ranges: only @iova. */
static void assert_only_mapping(struct mt *mt, void *dom, uint64_t iova, uint64_t paddr)
{
	struct mock_iommu_range r[4];
	size_t n = 0;

	assert_int_equal(mock_iommu_ranges(mt->mock, dom, r, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].iova, iova);
	assert_int_equal(r[0].paddr, paddr);
	assert_int_equal(r[0].size, mt->page);
	assert_int_equal(mock_iommu_mapped_pages(mt->mock, dom), 1);
}

static void reset_reused_tables_hold_no_stale_entry(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);
	uint64_t i;

	/* tables filled at several indexes, left mapped across the reset */
	for (i = 0; i < 8; i++)
		mt_map_ok(mt, dom, 0x100000 + i * 0x2010000, 0x40000000 + i * mt->page, mt->page,
			  MT_RW);
	mock_iommu_reset(mt->mock);
	dom = mt_domain(mt);
	mt_map_ok(mt, dom, 0x100000, 0x70000000, mt->page, MT_RWM);
	assert_only_mapping(mt, dom, 0x100000, 0x70000000);
	mt_unmap_ok(mt, dom, 0x100000, mt->page);
	mt_domain_free(mt, dom);
	/* and tables emptied by unmap, reused by the next domain */
	dom = mt_domain(mt);
	mt_map_ok(mt, dom, 0x8000000, 0x71000000, mt->page, MT_RW);
	assert_only_mapping(mt, dom, 0x8000000, 0x71000000);
	mt_unmap_ok(mt, dom, 0x8000000, mt->page);
	mt_domain_free(mt, dom);
}

static void reset_reused_table_still_fails_alloc_fault(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);

	mt_map_ok(mt, dom, 0x100000, 0x40000000, mt->page, MT_RW);
	mt_unmap_ok(mt, dom, 0x100000, mt->page);
	/* the tables the unmap emptied are kept: the next map's first one fails */
	mock_iommu_fail_alloc(mt->mock, 1);
	assert_int_equal(mt_map(mt, dom, 0x100000, 0x40000000, mt->page, MT_RW), -ENOMEM);
	assert_int_equal(mock_iommu_mapped_pages(mt->mock, dom), 0);
	assert_int_equal(mock_iommu_table_pages(mt->mock, dom), 1);
	mt_map_ok(mt, dom, 0x100000, 0x40000000, mt->page, MT_RW);
	mt_unmap_ok(mt, dom, 0x100000, mt->page);
	mt_domain_free(mt, dom);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reset_null_is_noop),
		cmocka_unit_test_setup_teardown(reset_live_domains_freed_not_counted_as_misuse,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(reset_serials_and_journal_start_again, mt_setup_4k,
						mt_teardown),
		cmocka_unit_test_setup_teardown(reset_faults_limit_and_misuse_cleared, mt_setup_4k,
						mt_teardown),
		cmocka_unit_test_setup_teardown(reset_reused_tables_hold_no_stale_entry,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(reset_reused_tables_hold_no_stale_entry,
						mt_setup_16k, mt_teardown),
		cmocka_unit_test_setup_teardown(reset_reused_tables_hold_no_stale_entry,
						mt_setup_64k, mt_teardown),
		cmocka_unit_test_setup_teardown(reset_reused_table_still_fails_alloc_fault,
						mt_setup_4k, mt_teardown),
	};

	return cmocka_run_group_tests_name("mock_reset", tests, NULL, NULL);
}
