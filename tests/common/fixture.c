/* SPDX-License-Identifier: MIT */
#include "fixture.h"

#include <stdlib.h>

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

int fx_setup(void **state) { return setup_with(state, 12, SWMSI_RECLAIM_NONE); }
int fx_setup_reclaim(void **state) { return setup_with(state, 12, SWMSI_RECLAIM_UNUSED); }
int fx_setup_16k(void **state) { return setup_with(state, 14, SWMSI_RECLAIM_NONE); }
int fx_setup_64k(void **state) { return setup_with(state, 16, SWMSI_RECLAIM_NONE); }

int fx_teardown(void **state)
{
	fx_free(*state);
	*state = NULL;
	return 0;
}

uint32_t fx_bind(struct fx *fx, uint32_t group)
{
	struct swmsi_device_desc d = {
		.group = group, .sw_msi_start = FX_WINDOW_START, .sw_msi_size = FX_WINDOW_SIZE,
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
