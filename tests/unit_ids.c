/* SPDX-License-Identifier: MIT */
/*
 * Object ids at the edges of their space: cyclic allocation wraps past
 * UINT32_MAX to 1 (never 0) and skips live ids, like xa_alloc_cyclic. The
 * cursor is internal, so this suite sets it directly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "ctx.h"

static int null_domain_alloc(void *priv, void **domain)
{
	(void)priv;
	*domain = NULL;
	return 0;
}

static void null_domain_free(void *priv, void *domain)
{
	(void)priv;
	(void)domain;
}

static int null_map(void *priv, void *domain, uint64_t iova, uint64_t paddr, uint64_t size,
		    uint32_t prot)
{
	(void)priv, (void)domain, (void)iova, (void)paddr, (void)size, (void)prot;
	return 0;
}

static size_t null_unmap(void *priv, void *domain, uint64_t iova, uint64_t size)
{
	(void)priv, (void)domain, (void)iova;
	return size;
}

static int null_iova_to_phys(void *priv, void *domain, uint64_t iova, uint64_t *paddr)
{
	(void)priv, (void)domain, (void)iova, (void)paddr;
	return -ENOENT;
}

static const struct swmsi_iommu_ops null_ops = {
	.domain_alloc = null_domain_alloc,
	.domain_free = null_domain_free,
	.map = null_map,
	.unmap = null_unmap,
	.iova_to_phys = null_iova_to_phys,
};

static void obj_ids_wrap_past_uint32_max_to_one_skipping_live(void **state)
{
	struct swmsi_ctx_opts o = { .iommu = &null_ops };
	struct swmsi_ctx *ctx;
	uint32_t first, top, wrapped;

	(void)state;
	assert_int_equal(swmsi_ctx_create(&o, &ctx), 0);
	assert_int_equal(swmsi_ioas_alloc(ctx, &first), 0);
	assert_int_equal(first, 1);
	ctx->next_id = UINT32_MAX;
	assert_int_equal(swmsi_ioas_alloc(ctx, &top), 0);
	assert_int_equal(top, UINT32_MAX);
	/* past the top: 0 is never an id and 1 is live, so 2 */
	assert_int_equal(swmsi_ioas_alloc(ctx, &wrapped), 0);
	assert_int_equal(wrapped, 2);
	assert_int_equal(swmsi_destroy(ctx, top), 0);
	assert_int_equal(swmsi_destroy(ctx, top), -ENOENT);
	swmsi_ctx_destroy(ctx);
}

/*
 * The lookup cache remembers the last device found; an id that comes back
 * (the cursor wrapped to it) must name the new device, never the freed one.
 * The old device had a window and an attached group, the new one has
 * neither: its vector must come back untranslated.
 */
static void device_id_reused_after_unbind_names_the_new_device(void **state)
{
	struct swmsi_ctx_opts o = { .iommu = &null_ops };
	struct swmsi_device_desc win = { .group = 1,
					 .sw_msi_start = 0x8000000,
					 .sw_msi_size = 0x100000 };
	struct swmsi_device_desc nowin = { .group = 2, .sw_msi_start = SWMSI_PHYS_NONE };
	struct swmsi_device_info di;
	struct swmsi_ctx *ctx;
	uint32_t ioas, hwpt, old, new, vec;
	uint64_t msg = 0;

	(void)state;
	assert_int_equal(swmsi_ctx_create(&o, &ctx), 0);
	assert_int_equal(swmsi_ioas_alloc(ctx, &ioas), 0);
	assert_int_equal(swmsi_hwpt_alloc(ctx, ioas, 0, &hwpt), 0);
	assert_int_equal(swmsi_device_bind(ctx, &win, &old), 0);
	assert_int_equal(swmsi_device_attach(ctx, old, hwpt), 0);
	assert_int_equal(swmsi_msi_alloc(ctx, old, 0x8090040, &vec, &msg), 0);
	assert_int_equal(msg, 0x8000040);
	assert_int_equal(swmsi_device_unbind(ctx, old), 0);
	ctx->next_id = old;
	assert_int_equal(swmsi_device_bind(ctx, &nowin, &new), 0);
	assert_int_equal(new, old);
	assert_int_equal(swmsi_msi_alloc(ctx, new, 0x8090040, &vec, &msg), 0);
	assert_int_equal(msg, 0x8090040);
	assert_int_equal(swmsi_device_info(ctx, new, &di), 0);
	assert_int_equal(di.group, 2);
	assert_false(di.attached);
	swmsi_ctx_destroy(ctx);
}

static void ctx_create_missing_backend_op_fails_einval(void **state)
{
	struct swmsi_iommu_ops ops = null_ops;
	struct swmsi_ctx_opts o = { .iommu = &ops };
	struct swmsi_ctx *ctx = NULL;

	(void)state;
	ops.iova_to_phys = NULL;
	assert_int_equal(swmsi_ctx_create(&o, &ctx), -EINVAL);
	assert_null(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(obj_ids_wrap_past_uint32_max_to_one_skipping_live),
		cmocka_unit_test(device_id_reused_after_unbind_names_the_new_device),
		cmocka_unit_test(ctx_create_missing_backend_op_fails_einval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
