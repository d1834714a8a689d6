/* SPDX-License-Identifier: MIT */
/*
 * The mock's shape (mock_iommu_set_shape()): another granule for the
 * domains allocated from now, 2 KiB included (the kernel selftest mock's IO
 * page), and the aperture and page sizes the backend ops report; the
 * defaults every mock starts with, the refusals, and reset.
 */
#include "mock_fixture.h"

#define APERTURE_FIRST (1ull << 24)
#define APERTURE_LAST  ((1ull << 31) - 1)

static void defaults_report_whole_space_and_granule_sizes(void **state)
{
	struct mt *mt = *state;
	struct mock_iommu_shape shape;
	uint64_t first = 1, last = 0, bitmap = 0;
	void *dom = mt_domain(mt);

	assert_int_equal(mock_iommu_get_shape(mt->mock, &shape), 0);
	assert_int_equal(shape.page_shift, 12);
	assert_int_equal(shape.aperture_first, 0);
	assert_int_equal(shape.aperture_last, MT_IOVA_END - 1);
	assert_int_equal(mt->ops->aperture(mt->mock, dom, &first, &last), 0);
	assert_int_equal(first, 0);
	assert_int_equal(last, MT_IOVA_END - 1);
	assert_int_equal(mt->ops->pgsize_bitmap(mt->mock, dom, &bitmap), 0);
	assert_int_equal(bitmap, (1ull << 12) | (1ull << 21) | (1ull << 30));
	mt_domain_free(mt, dom);
	/* page-only tables report the page alone */
	assert_int_equal(mock_iommu_set_page_only(mt->mock, true), 0);
	dom = mt_domain(mt);
	assert_int_equal(mt->ops->pgsize_bitmap(mt->mock, dom, &bitmap), 0);
	assert_int_equal(bitmap, 1ull << 12);
	mt_domain_free(mt, dom);
}

static void selftest_shape_maps_2k_pages_in_its_aperture(void **state)
{
	struct mt *mt = *state;
	const struct mock_iommu_shape shape = { .page_shift = 11,
						.aperture_first = APERTURE_FIRST,
						.aperture_last = APERTURE_LAST };
	uint64_t first = 0, last = 0, bitmap = 0;
	void *dom;

	assert_int_equal(mock_iommu_set_shape(mt->mock, &shape), 0);
	assert_int_equal(mock_iommu_levels(mt->mock), 5);
	assert_int_equal(mock_iommu_page_shift(mt->mock), 12); /* as created */
	dom = mt_domain(mt);
	assert_int_equal(mt->ops->aperture(mt->mock, dom, &first, &last), 0);
	assert_int_equal(first, APERTURE_FIRST);
	assert_int_equal(last, APERTURE_LAST);
	assert_int_equal(mt->ops->pgsize_bitmap(mt->mock, dom, &bitmap), 0);
	assert_int_equal(bitmap, 2048);
	/* 2 KiB pieces map and translate; one cut out of a larger map too */
	mt_map_ok(mt, dom, APERTURE_FIRST + 0x800, 0x10000800, 0x800, MT_RW);
	mt_map_ok(mt, dom, APERTURE_FIRST + 0x1000, 0x20000000, 0x3000, MT_RW);
	assert_int_equal(mt_phys(mt, dom, APERTURE_FIRST + 0x800), 0x10000800);
	assert_int_equal(mt_phys(mt, dom, APERTURE_FIRST + 0x2804), 0x20001804);
	assert_int_equal(mock_iommu_mapped_pages(mt->mock, dom), 7);
	assert_int_equal(mt_map(mt, dom, APERTURE_FIRST + 0x800, 0x800, 0x800, MT_RW), -EEXIST);
	assert_int_equal(mt_map(mt, dom, APERTURE_FIRST + 0x400, 0x800, 0x800, MT_RW), -EINVAL);
	mt_unmap_ok(mt, dom, APERTURE_FIRST + 0x800, 0x800);
	mt_unmap_ok(mt, dom, APERTURE_FIRST + 0x1000, 0x3000);
	/* the shape cannot change under a live domain */
	assert_int_equal(mock_iommu_set_shape(mt->mock, &shape), -EBUSY);
	mt_domain_free(mt, dom);
	/* reset: the granule created with and the whole space */
	mock_iommu_reset(mt->mock);
	assert_int_equal(mock_iommu_levels(mt->mock), 4);
	dom = mt_domain(mt);
	assert_int_equal(mt->ops->aperture(mt->mock, dom, &first, &last), 0);
	assert_int_equal(last, MT_IOVA_END - 1);
	assert_int_equal(mt_map(mt, dom, 0x800, 0x800, 0x800, MT_RW), -EINVAL);
	mt_domain_free(mt, dom);
}

static void shape_refusals_change_nothing(void **state)
{
	struct mt *mt = *state;
	struct mock_iommu_shape shape = { .page_shift = 10 }, got;

	assert_int_equal(mock_iommu_set_shape(mt->mock, &shape), -EINVAL);
	shape.page_shift = 17;
	assert_int_equal(mock_iommu_set_shape(mt->mock, &shape), -EINVAL);
	shape = (struct mock_iommu_shape){ .aperture_first = 2, .aperture_last = 1 };
	assert_int_equal(mock_iommu_set_shape(mt->mock, &shape), -EINVAL);
	shape = (struct mock_iommu_shape){ .aperture_last = MT_IOVA_END };
	assert_int_equal(mock_iommu_set_shape(mt->mock, &shape), -EINVAL);
	assert_int_equal(mock_iommu_set_shape(NULL, &shape), -EINVAL);
	assert_int_equal(mock_iommu_set_shape(mt->mock, NULL), -EINVAL);
	assert_int_equal(mock_iommu_get_shape(mt->mock, NULL), -EINVAL);
	assert_int_equal(mock_iommu_get_shape(mt->mock, &got), 0);
	assert_int_equal(got.page_shift, 16);
	assert_int_equal(got.aperture_last, MT_IOVA_END - 1);
	/* 0 keeps the granule; an aperture of its own */
	shape = (struct mock_iommu_shape){ .aperture_first = 0x10000, .aperture_last = 0x1ffff };
	assert_int_equal(mock_iommu_set_shape(mt->mock, &shape), 0);
	assert_int_equal(mock_iommu_get_shape(mt->mock, &got), 0);
	assert_int_equal(got.page_shift, 16);
	assert_int_equal(got.aperture_first, 0x10000);
	assert_int_equal(got.aperture_last, 0x1ffff);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(defaults_report_whole_space_and_granule_sizes,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(selftest_shape_maps_2k_pages_in_its_aperture,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(shape_refusals_change_nothing, mt_setup_64k,
						mt_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
