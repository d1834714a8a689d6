/* SPDX-License-Identifier: MIT */
#include "fixture.h"

#include <stdbool.h>
#include <stdlib.h>

#define FX_PROT_RW  (SWMSI_PROT_READ | SWMSI_PROT_WRITE)
#define FX_PROT_MSI (SWMSI_PROT_READ | SWMSI_PROT_WRITE | SWMSI_PROT_MMIO)

struct fx *fx_new(const struct swmsi_ctx_opts *opts)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	unsigned int shift;

	assert_non_null(fx);
	fx->opts = *opts;
	shift = opts->page_shift ? opts->page_shift : 12;
	assert_int_equal(mock_iommu_create(shift, &fx->mock), 0);
	fx->opts.iommu = mock_iommu_ops();
	fx->opts.iommu_priv = fx->mock;
	assert_int_equal(swmsi_ctx_create(&fx->opts, &fx->ctx), 0);
	return fx;
}

void fx_free(struct fx *fx)
{
	if (!fx)
		return;
	/*
	 * A test that failed midway can leave a fault armed or unmaps cut
	 * short; the destroy below would then meet them and report misuse on
	 * top of the real failure. What teardown checks is the core's own
	 * cleanup against a well-behaved backend.
	 */
	mock_iommu_limit_unmap(fx->mock, UINT64_MAX);
	mock_iommu_fail_map(fx->mock, 0, 0);
	mock_iommu_fail_domain_alloc(fx->mock, 0, 0);
	mock_iommu_fail_alloc(fx->mock, 0);
	assert_int_equal(swmsi_ctx_fail_alloc(fx->ctx, 0), 0);
	swmsi_ctx_destroy(fx->ctx);
	assert_int_equal(mock_iommu_domain_count(fx->mock), 0);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, NULL), 0);
	assert_int_equal(mock_iommu_table_pages(fx->mock, NULL), 0);
	assert_int_equal(mock_iommu_misuse_count(fx->mock), 0);
	mock_iommu_destroy(fx->mock);
	free(fx);
}

static int setup_with(void **state, unsigned int shift, enum swmsi_reclaim reclaim)
{
	struct swmsi_ctx_opts o = { .page_shift = shift, .reclaim = reclaim };

	*state = fx_new(&o);
	return 0;
}

int fx_setup(void **state)
{
	return setup_with(state, 12, SWMSI_RECLAIM_NONE);
}
int fx_setup_reclaim(void **state)
{
	return setup_with(state, 12, SWMSI_RECLAIM_UNUSED);
}
int fx_setup_16k(void **state)
{
	return setup_with(state, 14, SWMSI_RECLAIM_NONE);
}
int fx_setup_64k(void **state)
{
	return setup_with(state, 16, SWMSI_RECLAIM_NONE);
}

int fx_teardown(void **state)
{
	fx_free(*state);
	*state = NULL;
	return 0;
}

uint32_t fx_bind(struct fx *fx, uint32_t group)
{
	struct swmsi_device_desc d = {
		.group = group,
		.sw_msi_start = FX_WINDOW_START,
		.sw_msi_size = FX_WINDOW_SIZE,
	};
	uint32_t id = 0;

	assert_int_equal(swmsi_device_bind(fx->ctx, &d, &id), 0);
	return id;
}

uint32_t fx_bind_nowin(struct fx *fx, uint32_t group)
{
	struct swmsi_device_desc d = { .group = group, .sw_msi_start = SWMSI_PHYS_NONE };
	uint32_t id = 0;

	assert_int_equal(swmsi_device_bind(fx->ctx, &d, &id), 0);
	return id;
}

uint32_t fx_bind_window(struct fx *fx, uint32_t group, uint64_t start, uint64_t size)
{
	struct swmsi_device_desc d = { .group = group, .sw_msi_start = start, .sw_msi_size = size };
	uint32_t id = 0;

	assert_int_equal(swmsi_device_bind(fx->ctx, &d, &id), 0);
	return id;
}

uint32_t fx_ioas(struct fx *fx)
{
	uint32_t id = 0;

	assert_int_equal(swmsi_ioas_alloc(fx->ctx, &id), 0);
	return id;
}

uint32_t fx_hwpt(struct fx *fx, uint32_t ioas, uint32_t flags)
{
	uint32_t id = 0;

	assert_int_equal(swmsi_hwpt_alloc(fx->ctx, ioas, flags, &id), 0);
	return id;
}

void fx_rmr_map(struct fx *fx, uint32_t nested)
{
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, nested, FX_WINDOW_START, FX_WINDOW_START,
					       FX_WINDOW_SIZE, FX_PROT_RW),
			 0);
}

uint32_t fx_nested_rmr(struct fx *fx, uint32_t parent)
{
	uint32_t id = 0;

	assert_int_equal(swmsi_hwpt_alloc_nested(fx->ctx, parent, &id), 0);
	fx_rmr_map(fx, id);
	return id;
}

uint32_t fx_msi_alloc(struct fx *fx, uint32_t dev, uint64_t msi_addr, uint64_t *msg)
{
	uint32_t vec = UINT32_MAX;
	uint64_t m = 0;

	assert_int_equal(swmsi_msi_alloc(fx->ctx, dev, msi_addr, &vec, &m), 0);
	if (msg)
		*msg = m;
	return vec;
}

/* ------------------------------------------------------------------------ */

uint64_t fx_page_size(const struct fx *fx)
{
	return 1ull << (fx->opts.page_shift ? fx->opts.page_shift : 12);
}

struct swmsi_device_info fx_dev_info(struct fx *fx, uint32_t dev)
{
	struct swmsi_device_info di;

	assert_int_equal(swmsi_device_info(fx->ctx, dev, &di), 0);
	return di;
}

struct swmsi_hwpt_info fx_hwpt_info(struct fx *fx, uint32_t hwpt)
{
	struct swmsi_hwpt_info hi;

	assert_int_equal(swmsi_hwpt_info(fx->ctx, hwpt, &hi), 0);
	return hi;
}

uint32_t fx_dev_hwpt(struct fx *fx, uint32_t dev)
{
	return fx_dev_info(fx, dev).hwpt_id;
}

void *fx_domain(struct fx *fx, uint32_t hwpt)
{
	return fx_hwpt_info(fx, hwpt).domain;
}

size_t fx_present(struct fx *fx, uint32_t hwpt, uint32_t *ids, size_t cap)
{
	size_t n = SIZE_MAX;

	assert_int_equal(swmsi_hwpt_msi_present(fx->ctx, hwpt, ids, cap, &n), 0);
	return n;
}

size_t fx_msi_map_count(struct fx *fx)
{
	size_t n = SIZE_MAX;

	assert_int_equal(swmsi_msi_map_list(fx->ctx, NULL, 0, &n), 0);
	return n;
}

struct swmsi_vector_info fx_vector_info(struct fx *fx, uint32_t dev, uint32_t vec)
{
	struct swmsi_vector_info found = { 0 }, *vi;
	size_t n = 0, i;
	bool hit = false;

	assert_int_equal(swmsi_device_vectors(fx->ctx, dev, NULL, 0, &n), 0);
	vi = calloc(n ? n : 1, sizeof(*vi));
	assert_non_null(vi);
	assert_int_equal(swmsi_device_vectors(fx->ctx, dev, vi, n, &n), 0);
	for (i = 0; i < n && !hit; i++) {
		if (vi[i].vec == vec) {
			found = vi[i];
			hit = true;
		}
	}
	free(vi);
	if (!hit)
		fail_msg("vector %u of device %u not listed", vec, dev);
	return found;
}

unsigned int fx_iterations(unsigned int full, unsigned int quick)
{
	const char *q = getenv("SWMSI_TEST_QUICK");

	return (q && *q && *q != '0') ? quick : full;
}

/* ------------------------------------------------------------------------ */

uint32_t fx_expect_msi_alloc(struct fx *fx, uint32_t dev, uint64_t msi_addr, uint64_t want_msg)
{
	uint64_t msg = 0;
	uint32_t vec = fx_msi_alloc(fx, dev, msi_addr, &msg);

	assert_int_equal(msg, want_msg);
	return vec;
}

void fx_expect_fire(struct fx *fx, uint32_t dev, uint32_t vec, uint64_t paddr)
{
	uint64_t pa = 0;

	assert_int_equal(swmsi_msi_fire(fx->ctx, dev, vec, &pa), 0);
	assert_int_equal(pa, paddr);
}

void fx_expect_fire_fails(struct fx *fx, uint32_t dev, uint32_t vec, int err)
{
	/* Not 0: a failing call that zeroes its out-parameter must show. */
	const uint64_t sentinel = 0xdeadbeefcafef00dull;
	uint64_t pa = sentinel;

	assert_int_equal(swmsi_msi_fire(fx->ctx, dev, vec, &pa), err);
	assert_int_equal(pa, sentinel);
}

void fx_expect_msi_page(struct fx *fx, uint32_t hwpt, uint64_t iova, uint64_t paddr)
{
	uint64_t pa = 0;
	uint32_t prot = 0;

	assert_int_equal(mock_iommu_lookup(fx->mock, fx_domain(fx, hwpt), iova, &pa, &prot), 0);
	assert_int_equal(pa, paddr);
	assert_int_equal(prot, FX_PROT_MSI);
}
