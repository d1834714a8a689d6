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

#include "swmsi_private.h"

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
		cmocka_unit_test(ctx_create_missing_backend_op_fails_einval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
