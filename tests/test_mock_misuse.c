/* SPDX-License-Identifier: MIT */
/*
 * The mock as a checker: what a correct backend caller never does is
 * counted by mock_iommu_misuse_count() and survived (never a crash, never a
 * leak). Also the short-unmapping mode of mock_iommu_limit_unmap().
 */
#include "mock_fixture.h"

#define A 0x40000000ull /* a test's private IOVA range */

static uint64_t pages(struct mt *mt, uint64_t n)
{
	return n * mt->page;
}

static bool is_mapped(struct mt *mt, void *dom, uint64_t iova)
{
	uint64_t pa;

	return mt->ops->iova_to_phys(mt->mock, dom, iova, &pa) == 0;
}

static void domain_free_with_mappings_frees_all_counts_misuse(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt), *other = mt_domain(mt);
	struct mock_iommu_journal_entry e;

	mt_map_ok(mt, dom, A - pages(mt, 1), 0x1000000, pages(mt, 2), MT_RW);
	mt_map_ok(mt, dom, 1ull << 44, 0x2000000, pages(mt, 3), MT_RW);
	mt_map_ok(mt, other, A, 0x1000000, pages(mt, 1), MT_RW);
	assert_true(mock_iommu_table_pages(mt->mock, dom) > 4);

	mt_domain_free(mt, dom);
	mt->expected_misuse = 1;
	assert_int_equal(mock_iommu_misuse_count(mt->mock), 1);
	assert_int_equal(mock_iommu_domain_count(mt->mock), 1);
	assert_int_equal(mock_iommu_mapped_pages(mt->mock, NULL), 1);
	assert_int_equal(mock_iommu_table_pages(mt->mock, NULL), 4);
	e = mt_journal_last(mt);
	assert_int_equal(e.op, MOCK_IOMMU_OP_DOMAIN_FREE);
	assert_int_equal(e.domain, 1);
	assert_int_equal(e.bytes, pages(mt, 5));

	mt_unmap_ok(mt, other, A, pages(mt, 1));
	mt_domain_free(mt, other);
	assert_int_equal(mock_iommu_misuse_count(mt->mock), 1);
}

static void unmap_range_partly_unmapped_unmaps_rest_counts_misuse(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);

	mt_map_ok(mt, dom, A, 0x1000000, pages(mt, 2), MT_RW);
	/* a hole after the mapping */
	assert_int_equal(mt_unmap(mt, dom, A, pages(mt, 3)), pages(mt, 2));
	assert_int_equal(mock_iommu_misuse_count(mt->mock), 1);
	assert_int_equal(mock_iommu_mapped_pages(mt->mock, dom), 0);
	assert_int_equal(mock_iommu_table_pages(mt->mock, dom), 1);

	/* a hole before it */
	mt_map_ok(mt, dom, A, 0x1000000, pages(mt, 2), MT_RW);
	assert_int_equal(mt_unmap(mt, dom, A - pages(mt, 1), pages(mt, 3)), pages(mt, 2));
	assert_int_equal(mock_iommu_misuse_count(mt->mock), 2);

	/* a hole between two mappings */
	mt_map_ok(mt, dom, A, 0x1000000, pages(mt, 1), MT_RW);
	mt_map_ok(mt, dom, A + pages(mt, 2), 0x1000000, pages(mt, 1), MT_RW);
	assert_int_equal(mt_unmap(mt, dom, A, pages(mt, 3)), pages(mt, 2));
	assert_int_equal(mock_iommu_misuse_count(mt->mock), 3);
	mt->expected_misuse = 3;
	assert_int_equal(mock_iommu_mapped_pages(mt->mock, dom), 0);
	mt_domain_free(mt, dom);
}

static void unmap_nothing_mapped_returns_zero_counts_misuse(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);

	assert_int_equal(mt_unmap(mt, dom, A, pages(mt, 1)), 0);
	assert_int_equal(mt_journal_last(mt).bytes, 0);
	mt->expected_misuse = 1;
	mt_domain_free(mt, dom);
}

static void unmap_cutting_one_map_call_counts_misuse_keeps_rest(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);

	/* the middle of one map call: both ends stay, as two mappings */
	mt_map_ok(mt, dom, A, 0x1000000, pages(mt, 4), MT_RW);
	assert_int_equal(mt_unmap(mt, dom, A + pages(mt, 1), pages(mt, 2)), pages(mt, 2));
	assert_int_equal(mock_iommu_misuse_count(mt->mock), 1);
	assert_true(is_mapped(mt, dom, A));
	assert_false(is_mapped(mt, dom, A + pages(mt, 1)));
	assert_false(is_mapped(mt, dom, A + pages(mt, 2)));
	assert_int_equal(mt_phys(mt, dom, A + pages(mt, 3)), 0x1000000 + pages(mt, 3));
	/* what is left may be taken back exactly */
	mt_unmap_ok(mt, dom, A + pages(mt, 3), pages(mt, 1));
	mt_unmap_ok(mt, dom, A, pages(mt, 1));
	assert_int_equal(mock_iommu_misuse_count(mt->mock), 1);

	/* the front of one map call */
	mt_map_ok(mt, dom, A, 0x1000000, pages(mt, 4), MT_RW);
	assert_int_equal(mt_unmap(mt, dom, A, pages(mt, 2)), pages(mt, 2));
	assert_int_equal(mock_iommu_misuse_count(mt->mock), 2);
	mt_unmap_ok(mt, dom, A + pages(mt, 2), pages(mt, 2));

	/* the back of one map call */
	mt_map_ok(mt, dom, A, 0x1000000, pages(mt, 4), MT_RW);
	assert_int_equal(mt_unmap(mt, dom, A + pages(mt, 3), pages(mt, 1)), pages(mt, 1));
	assert_int_equal(mock_iommu_misuse_count(mt->mock), 3);
	mt_unmap_ok(mt, dom, A, pages(mt, 3));
	assert_int_equal(mock_iommu_misuse_count(mt->mock), 3);
	mt->expected_misuse = 3;
	mt_domain_free(mt, dom);
}

static void unmap_spanning_several_whole_map_calls_no_misuse(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);

	mt_map_ok(mt, dom, A, 0x1000000, pages(mt, 1), MT_RW);
	mt_map_ok(mt, dom, A + pages(mt, 1), 0x5000000, pages(mt, 3), SWMSI_PROT_READ);
	mt_map_ok(mt, dom, A + pages(mt, 4), 0x1000000, pages(mt, 2), MT_RWM);
	mt_unmap_ok(mt, dom, A, pages(mt, 6));
	assert_int_equal(mock_iommu_mapped_pages(mt->mock, dom), 0);
	assert_int_equal(mock_iommu_table_pages(mt->mock, dom), 1);
	mt_domain_free(mt, dom);
}

static void unmap_malformed_range_returns_zero_counts_misuse(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);

	mt_map_ok(mt, dom, A, 0x1000000, pages(mt, 2), MT_RW);
	assert_int_equal(mt_unmap(mt, dom, A + 8, pages(mt, 1)), 0);
	assert_int_equal(mt_journal_last(mt).result, -EINVAL);
	assert_int_equal(mt_unmap(mt, dom, A, pages(mt, 1) + 8), 0);
	assert_int_equal(mt_unmap(mt, dom, A, 0), 0);
	assert_int_equal(mt_unmap(mt, dom, MT_IOVA_END, pages(mt, 1)), 0);
	assert_int_equal(mt_journal_last(mt).result, -ERANGE);
	assert_int_equal(mt_unmap(mt, dom, A, UINT64_MAX & ~(mt->page - 1)), 0);
	assert_int_equal(mock_iommu_misuse_count(mt->mock), 5);
	mt->expected_misuse = 5;
	/* none of them touched the mapping */
	assert_int_equal(mock_iommu_mapped_pages(mt->mock, dom), 2);
	mt_unmap_ok(mt, dom, A, pages(mt, 2));
	mt_domain_free(mt, dom);
}

static void ops_unknown_domain_fail_einval_count_misuse(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt), *stale = mt_domain(mt);
	int bogus = 0;
	uint64_t pa = 0x1234;
	struct mock_iommu_journal_entry e;

	mt_domain_free(mt, stale);
	void *bad[] = { NULL, &bogus, stale, (void *)(uintptr_t)0x1001 };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t before = mock_iommu_misuse_count(mt->mock);

		assert_int_equal(mt_map(mt, bad[i], A, 0, pages(mt, 1), MT_RW), -EINVAL);
		e = mt_journal_last(mt);
		assert_int_equal(e.domain, 0);
		assert_int_equal(e.result, -EINVAL);
		assert_int_equal(mt_unmap(mt, bad[i], A, pages(mt, 1)), 0);
		assert_int_equal(mt->ops->iova_to_phys(mt->mock, bad[i], A, &pa), -EINVAL);
		mt_domain_free(mt, bad[i]);
		e = mt_journal_last(mt);
		assert_int_equal(e.op, MOCK_IOMMU_OP_DOMAIN_FREE);
		assert_int_equal(e.result, -EINVAL);
		assert_int_equal(mock_iommu_misuse_count(mt->mock), before + 4);
	}
	assert_int_equal(pa, 0x1234);
	assert_int_equal(mock_iommu_domain_count(mt->mock), 1);
	assert_int_equal(mock_iommu_mapped_pages(mt->mock, NULL), 0);
	mt->expected_misuse = 16;
	mt_domain_free(mt, dom);
}

/* Asking whether a handle is alive is what inspection is for: no misuse. */
static void inspect_unknown_domain_reports_absent_no_misuse(void **state)
{
	struct mt *mt = *state;
	int bogus = 0;
	uint64_t pa;
	size_t count;

	assert_int_equal(mock_iommu_domain_serial(mt->mock, &bogus), 0);
	assert_int_equal(mock_iommu_mapped_pages(mt->mock, &bogus), 0);
	assert_int_equal(mock_iommu_table_pages(mt->mock, &bogus), 0);
	assert_int_equal(mock_iommu_lookup(mt->mock, &bogus, 0, &pa, NULL), -EINVAL);
	assert_int_equal(mock_iommu_ranges(mt->mock, &bogus, NULL, 0, &count), -EINVAL);
	assert_int_equal(mock_iommu_dump(mt->mock, &bogus, stdout), -EINVAL);
	assert_int_equal(mock_iommu_dump_dot(mt->mock, &bogus, stdout), -EINVAL);
	assert_int_equal(mock_iommu_misuse_count(mt->mock), 0);
	/* and NULL mocks are harmless */
	assert_int_equal(mock_iommu_domain_count(NULL), 0);
	assert_int_equal(mock_iommu_misuse_count(NULL), 0);
	assert_int_equal(mock_iommu_page_shift(NULL), 0);
	assert_int_equal(mock_iommu_ops()->map(NULL, &bogus, 0, 0, 0x1000, 0), -EINVAL);
	mock_iommu_destroy(NULL);
}

static void domain_alloc_null_out_fails_einval_counts_misuse(void **state)
{
	struct mt *mt = *state;

	assert_int_equal(mt->ops->domain_alloc(mt->mock, NULL), -EINVAL);
	assert_int_equal(mock_iommu_domain_count(mt->mock), 0);
	assert_int_equal(mt_journal_last(mt).result, -EINVAL);
	mt->expected_misuse = 1;
}

/* Valgrind and ASan check this one: nothing may leak. */
static void mock_destroy_live_mapped_domains_frees_everything(void **state)
{
	struct mock_iommu *mock = NULL;
	const struct swmsi_iommu_ops *ops = mock_iommu_ops();
	void *a = NULL, *b = NULL;

	(void)state;
	assert_int_equal(mock_iommu_create(16, &mock), 0);
	assert_int_equal(ops->domain_alloc(mock, &a), 0);
	assert_int_equal(ops->domain_alloc(mock, &b), 0);
	assert_int_equal(ops->map(mock, a, 0, 0, 1ull << 20, MT_RW), 0);
	assert_int_equal(ops->map(mock, b, 1ull << 42, 0, 1ull << 16, MT_RW), 0);
	assert_int_equal(ops->map(mock, b, 3ull << 42, 0, 1ull << 16, MT_RW), 0);
	assert_int_equal(mock_iommu_table_pages(mock, NULL), 3 + 5);
	mock_iommu_destroy(mock);
}

static void limit_unmap_one_page_unmaps_one_per_call(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);

	mt_map_ok(mt, dom, A, 0x1000000, pages(mt, 4), MT_RW);
	mock_iommu_limit_unmap(mt->mock, pages(mt, 1));
	assert_int_equal(mt_unmap(mt, dom, A, pages(mt, 4)), pages(mt, 1));
	assert_int_equal(mt_journal_last(mt).bytes, pages(mt, 1));
	assert_false(is_mapped(mt, dom, A));
	assert_true(is_mapped(mt, dom, A + pages(mt, 1)));
	assert_int_equal(mock_iommu_mapped_pages(mt->mock, dom), 3);
	/* the caller retries with what is left; the short unmap was not misuse */
	for (uint64_t i = 1; i < 4; i++)
		assert_int_equal(mt_unmap(mt, dom, A + pages(mt, i), pages(mt, 4 - i)),
				 pages(mt, 1));
	assert_int_equal(mock_iommu_mapped_pages(mt->mock, dom), 0);
	assert_int_equal(mock_iommu_table_pages(mt->mock, dom), 1);
	mock_iommu_limit_unmap(mt->mock, UINT64_MAX);
	mt_domain_free(mt, dom);
}

static void limit_unmap_spanning_map_calls_stops_inside_second(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);

	mt_map_ok(mt, dom, A, 0x1000000, pages(mt, 2), MT_RW);
	mt_map_ok(mt, dom, A + pages(mt, 2), 0x2000000, pages(mt, 2), MT_RW);
	/* not a page multiple: rounds down to 3 pages */
	mock_iommu_limit_unmap(mt->mock, pages(mt, 3) + 100);
	assert_int_equal(mt_unmap(mt, dom, A, pages(mt, 4)), pages(mt, 3));
	assert_int_equal(mt_phys(mt, dom, A + pages(mt, 3)), 0x2000000 + pages(mt, 1));
	mt_unmap_ok(mt, dom, A + pages(mt, 3), pages(mt, 1));
	mock_iommu_limit_unmap(mt->mock, UINT64_MAX);
	mt_domain_free(mt, dom);
}

static void limit_unmap_zero_unmaps_nothing_until_restored(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);

	mt_map_ok(mt, dom, A, 0x1000000, pages(mt, 2), MT_RW);
	mock_iommu_limit_unmap(mt->mock, 0);
	assert_int_equal(mt_unmap(mt, dom, A, pages(mt, 2)), 0);
	assert_int_equal(mock_iommu_mapped_pages(mt->mock, dom), 2);
	mock_iommu_limit_unmap(mt->mock, UINT64_MAX);
	mt_unmap_ok(mt, dom, A, pages(mt, 2));
	mt_domain_free(mt, dom);
}

/* Cutting a map call in two needs a record for the second half. */
static void unmap_cut_record_alloc_fails_unmaps_nothing(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);

	mt_map_ok(mt, dom, A, 0x1000000, pages(mt, 4), MT_RW);
	mock_iommu_fail_alloc(mt->mock, 1);
	assert_int_equal(mt_unmap(mt, dom, A + pages(mt, 1), pages(mt, 2)), 0);
	assert_int_equal(mock_iommu_mapped_pages(mt->mock, dom), 4);
	mt->expected_misuse = 1;
	mt_unmap_ok(mt, dom, A, pages(mt, 4));
	mt_domain_free(mt, dom);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(domain_free_with_mappings_frees_all_counts_misuse,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(
			unmap_range_partly_unmapped_unmaps_rest_counts_misuse, mt_setup_4k,
			mt_teardown),
		cmocka_unit_test_setup_teardown(unmap_nothing_mapped_returns_zero_counts_misuse,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(unmap_cutting_one_map_call_counts_misuse_keeps_rest,
						mt_setup_16k, mt_teardown),
		cmocka_unit_test_setup_teardown(unmap_spanning_several_whole_map_calls_no_misuse,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(unmap_malformed_range_returns_zero_counts_misuse,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(ops_unknown_domain_fail_einval_count_misuse,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(inspect_unknown_domain_reports_absent_no_misuse,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(domain_alloc_null_out_fails_einval_counts_misuse,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test(mock_destroy_live_mapped_domains_frees_everything),
		cmocka_unit_test_setup_teardown(limit_unmap_one_page_unmaps_one_per_call,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(limit_unmap_spanning_map_calls_stops_inside_second,
						mt_setup_64k, mt_teardown),
		cmocka_unit_test_setup_teardown(limit_unmap_zero_unmaps_nothing_until_restored,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(unmap_cut_record_alloc_fails_unmaps_nothing,
						mt_setup_4k, mt_teardown),
	};

	return cmocka_run_group_tests_name("mock_misuse", tests, NULL, NULL);
}
