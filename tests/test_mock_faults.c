/* SPDX-License-Identifier: MIT */
/*
 * Fault injection: mock_iommu_fail_map() and mock_iommu_fail_domain_alloc()
 * count every call from the moment they are armed, fire on the nth, map or
 * allocate nothing then, and disarm; nth = 0 disarms at once.
 */
#include "mock_fixture.h"

/* Page i of a test's private IOVA range. */
static uint64_t pg(struct mt *mt, unsigned int i)
{
	return 0x40000000ull + i * mt->page;
}

static void fail_map_nth_fails_only_that_call(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);
	struct mock_iommu_journal_entry e;
	uint64_t pa;

	mock_iommu_fail_map(mt->mock, 3, -EIO);
	mt_map_ok(mt, dom, pg(mt, 0), 0x1000000, mt->page, MT_RW);
	mt_map_ok(mt, dom, pg(mt, 1), 0x1001000, mt->page, MT_RW);
	assert_int_equal(mt_map(mt, dom, pg(mt, 2), 0x1002000, mt->page, MT_RW), -EIO);
	assert_int_equal(mock_iommu_mapped_pages(mt->mock, dom), 2);
	assert_int_equal(mt->ops->iova_to_phys(mt->mock, dom, pg(mt, 2), &pa), -ENOENT);
	e = mt_journal_last(mt);
	assert_int_equal(e.op, MOCK_IOMMU_OP_MAP);
	assert_int_equal(e.iova, pg(mt, 2));
	assert_int_equal(e.result, -EIO);
	assert_int_equal(e.bytes, 0);

	/* fired once, then disarmed: the same call now succeeds, and later ones */
	mt_map_ok(mt, dom, pg(mt, 2), 0x1002000, mt->page, MT_RW);
	mt_map_ok(mt, dom, pg(mt, 3), 0x1003000, mt->page, MT_RW);
	assert_int_equal(mock_iommu_map_calls(mt->mock), 5);
	mt_unmap_ok(mt, dom, pg(mt, 0), 4 * mt->page);
	mt_domain_free(mt, dom);
}

static void fail_map_injected_at_new_tables_leaves_table_count(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);

	mock_iommu_fail_map(mt->mock, 1, -ENOSPC);
	assert_int_equal(mt_map(mt, dom, 1ull << 40, 0x1000, 16 * mt->page, MT_RW), -ENOSPC);
	assert_int_equal(mock_iommu_mapped_pages(mt->mock, dom), 0);
	assert_int_equal(mock_iommu_table_pages(mt->mock, dom), 1);
	mt_domain_free(mt, dom);
}

static void fail_map_counts_calls_that_fail_anyway(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);

	mt_map_ok(mt, dom, pg(mt, 0), 0x1000000, mt->page, MT_RW);
	mock_iommu_fail_map(mt->mock, 3, -EIO);
	/* call 1 fails for its own reason, call 2 is malformed: both count */
	assert_int_equal(mt_map(mt, dom, pg(mt, 0), 0x1000000, mt->page, MT_RW), -EEXIST);
	assert_int_equal(mt_map(mt, dom, pg(mt, 1), 0x1000000, 0, MT_RW), -EINVAL);
	assert_int_equal(mt_map(mt, dom, pg(mt, 1), 0x1001000, mt->page, MT_RW), -EIO);
	mt_map_ok(mt, dom, pg(mt, 1), 0x1001000, mt->page, MT_RW);
	assert_int_equal(mock_iommu_map_calls(mt->mock), 5);
	mt_unmap_ok(mt, dom, pg(mt, 0), 2 * mt->page);
	mt_domain_free(mt, dom);
}

static void fail_map_counts_calls_on_every_domain(void **state)
{
	struct mt *mt = *state;
	void *a = mt_domain(mt), *b = mt_domain(mt);

	mock_iommu_fail_map(mt->mock, 2, -EFAULT);
	mt_map_ok(mt, a, pg(mt, 0), 0x1000000, mt->page, MT_RW);
	assert_int_equal(mt_map(mt, b, pg(mt, 0), 0x1000000, mt->page, MT_RW), -EFAULT);
	assert_int_equal(mt_journal_last(mt).domain, 2);
	assert_int_equal(mock_iommu_mapped_pages(mt->mock, b), 0);
	mt_map_ok(mt, b, pg(mt, 0), 0x1000000, mt->page, MT_RW);
	mt_unmap_ok(mt, a, pg(mt, 0), mt->page);
	mt_unmap_ok(mt, b, pg(mt, 0), mt->page);
	mt_domain_free(mt, a);
	mt_domain_free(mt, b);
}

static void fail_map_nth_zero_disarms(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);

	mock_iommu_fail_map(mt->mock, 1, -EIO);
	mock_iommu_fail_map(mt->mock, 0, -EIO);
	for (unsigned int i = 0; i < 4; i++)
		mt_map_ok(mt, dom, pg(mt, i), 0x1000000, mt->page, MT_RW);
	mt_unmap_ok(mt, dom, pg(mt, 0), 4 * mt->page);
	mt_domain_free(mt, dom);
}

static void fail_map_rearm_replaces_pending_fault(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);

	mock_iommu_fail_map(mt->mock, 1, -EIO);
	mock_iommu_fail_map(mt->mock, 2, -EPERM);
	mt_map_ok(mt, dom, pg(mt, 0), 0x1000000, mt->page, MT_RW);
	assert_int_equal(mt_map(mt, dom, pg(mt, 1), 0x1000000, mt->page, MT_RW), -EPERM);
	mt_map_ok(mt, dom, pg(mt, 1), 0x1000000, mt->page, MT_RW);
	mt_unmap_ok(mt, dom, pg(mt, 0), 2 * mt->page);
	mt_domain_free(mt, dom);
}

/* An "error" of 0 would report success for a map that did nothing. */
static void fail_map_nonnegative_err_fails_eio(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);

	mock_iommu_fail_map(mt->mock, 1, 0);
	assert_int_equal(mt_map(mt, dom, pg(mt, 0), 0x1000000, mt->page, MT_RW), -EIO);
	mock_iommu_fail_map(mt->mock, 1, 5);
	assert_int_equal(mt_map(mt, dom, pg(mt, 0), 0x1000000, mt->page, MT_RW), -EIO);
	assert_int_equal(mock_iommu_mapped_pages(mt->mock, dom), 0);
	mt_domain_free(mt, dom);
}

/* The fault does not hide a bad handle: that stays the misuse it is. */
static void fail_map_on_bad_handle_reports_einval_misuse(void **state)
{
	struct mt *mt = *state;
	int bogus = 0;
	void *dom = mt_domain(mt);

	mock_iommu_fail_map(mt->mock, 1, -EIO);
	assert_int_equal(mt_map(mt, &bogus, pg(mt, 0), 0, mt->page, MT_RW), -EINVAL);
	mt->expected_misuse = 1;
	/* and it was consumed */
	mt_map_ok(mt, dom, pg(mt, 0), 0, mt->page, MT_RW);
	mt_unmap_ok(mt, dom, pg(mt, 0), mt->page);
	mt_domain_free(mt, dom);
}

/* Sweep as the core's tests do: fail the 1st, 2nd, ... map until none fails. */
static void fail_map_sweep_each_call_fails_in_turn(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);
	unsigned int nth, i;
	int rc = 0;

	for (nth = 1; nth <= 4; nth++) {
		mock_iommu_fail_map(mt->mock, nth, -ENOMEM);
		for (i = 0; i < 4; i++) {
			rc = mt_map(mt, dom, pg(mt, i), 0x1000000, mt->page, MT_RW);
			if (rc)
				break;
		}
		assert_int_equal(rc, -ENOMEM);
		assert_int_equal(i, nth - 1);
		assert_int_equal(mock_iommu_mapped_pages(mt->mock, dom), nth - 1);
		if (i)
			mt_unmap_ok(mt, dom, pg(mt, 0), i * mt->page);
	}
	mt_domain_free(mt, dom);
}

static void fail_domain_alloc_nth_fails_once(void **state)
{
	struct mt *mt = *state;
	void *a = mt_domain(mt), *b, *c, *out = (void *)mt;
	struct mock_iommu_journal_entry e;

	mock_iommu_fail_domain_alloc(mt->mock, 2, -ENOSPC);
	b = mt_domain(mt);
	assert_int_equal(mt->ops->domain_alloc(mt->mock, &out), -ENOSPC);
	assert_ptr_equal(out, (void *)mt);
	assert_int_equal(mock_iommu_domain_count(mt->mock), 2);
	e = mt_journal_last(mt);
	assert_int_equal(e.op, MOCK_IOMMU_OP_DOMAIN_ALLOC);
	assert_int_equal(e.domain, 0);
	assert_int_equal(e.result, -ENOSPC);

	c = mt_domain(mt);
	/* the failed call took no serial */
	assert_int_equal(mock_iommu_domain_serial(mt->mock, c), 3);
	assert_int_equal(mock_iommu_table_pages(mt->mock, NULL), 3);
	mt_domain_free(mt, a);
	mt_domain_free(mt, b);
	mt_domain_free(mt, c);
}

static void fail_domain_alloc_nth_zero_disarms(void **state)
{
	struct mt *mt = *state;
	void *a, *b;

	mock_iommu_fail_domain_alloc(mt->mock, 1, -ENOMEM);
	mock_iommu_fail_domain_alloc(mt->mock, 0, 0);
	a = mt_domain(mt);
	b = mt_domain(mt);
	mt_domain_free(mt, a);
	mt_domain_free(mt, b);
}

static void fail_domain_alloc_does_not_count_map_calls(void **state)
{
	struct mt *mt = *state;
	void *out = NULL, *dom;

	/* the two countdowns are independent */
	mock_iommu_fail_map(mt->mock, 1, -EIO);
	mock_iommu_fail_domain_alloc(mt->mock, 1, -EIO);
	assert_int_equal(mt->ops->domain_alloc(mt->mock, &out), -EIO);
	dom = mt_domain(mt);
	assert_int_equal(mt_map(mt, dom, pg(mt, 0), 0, mt->page, MT_RW), -EIO);
	mt_map_ok(mt, dom, pg(mt, 0), 0, mt->page, MT_RW);
	mt_unmap_ok(mt, dom, pg(mt, 0), mt->page);
	mt_domain_free(mt, dom);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(fail_map_nth_fails_only_that_call, mt_setup_4k,
						mt_teardown),
		cmocka_unit_test_setup_teardown(fail_map_injected_at_new_tables_leaves_table_count,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(fail_map_counts_calls_that_fail_anyway, mt_setup_4k,
						mt_teardown),
		cmocka_unit_test_setup_teardown(fail_map_counts_calls_on_every_domain, mt_setup_4k,
						mt_teardown),
		cmocka_unit_test_setup_teardown(fail_map_nth_zero_disarms, mt_setup_4k,
						mt_teardown),
		cmocka_unit_test_setup_teardown(fail_map_rearm_replaces_pending_fault, mt_setup_4k,
						mt_teardown),
		cmocka_unit_test_setup_teardown(fail_map_nonnegative_err_fails_eio, mt_setup_4k,
						mt_teardown),
		cmocka_unit_test_setup_teardown(fail_map_on_bad_handle_reports_einval_misuse,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(fail_map_sweep_each_call_fails_in_turn,
						mt_setup_16k, mt_teardown),
		cmocka_unit_test_setup_teardown(fail_domain_alloc_nth_fails_once, mt_setup_4k,
						mt_teardown),
		cmocka_unit_test_setup_teardown(fail_domain_alloc_nth_zero_disarms, mt_setup_4k,
						mt_teardown),
		cmocka_unit_test_setup_teardown(fail_domain_alloc_does_not_count_map_calls,
						mt_setup_4k, mt_teardown),
	};

	return cmocka_run_group_tests_name("mock_faults", tests, NULL, NULL);
}
