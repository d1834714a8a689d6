/* SPDX-License-Identifier: MIT */
/*
 * The O(1) "target holds every required page" record of a move (table
 * schemes: swmsi_group.holds against swmsi_hwpt_paging.stamp). A replace
 * back and forth between two domains that hold the group's pages maps
 * nothing and allocates nothing; a page the group requires since, or one
 * the target lost since, is installed again on the next move there.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "ctx.h"

#define WIN   0x8000000ull
#define WINSZ 0x100000ull
#define DB_P  0x10000000ull
#define DB_Q  0x10010000ull

/* A backend that maps everything and counts the maps. */
static unsigned int maps;

static int cnt_domain_alloc(void *priv, void **domain)
{
	(void)priv;
	*domain = NULL;
	return 0;
}

static void cnt_domain_free(void *priv, void *domain)
{
	(void)priv, (void)domain;
}

static int cnt_map(void *priv, void *domain, uint64_t iova, uint64_t paddr, uint64_t size,
		   uint32_t prot)
{
	(void)priv, (void)domain, (void)iova, (void)paddr, (void)size, (void)prot;
	maps++;
	return 0;
}

static size_t cnt_unmap(void *priv, void *domain, uint64_t iova, uint64_t size)
{
	(void)priv, (void)domain, (void)iova;
	return size;
}

static int cnt_iova_to_phys(void *priv, void *domain, uint64_t iova, uint64_t *paddr)
{
	(void)priv, (void)domain, (void)iova, (void)paddr;
	return -ENOENT;
}

static const struct swmsi_iommu_ops cnt_ops = {
	.domain_alloc = cnt_domain_alloc,
	.domain_free = cnt_domain_free,
	.map = cnt_map,
	.unmap = cnt_unmap,
	.iova_to_phys = cnt_iova_to_phys,
};

struct env {
	struct swmsi_ctx *ctx;
	uint32_t a, b, dev;
};

static void env_init(struct env *e, enum swmsi_reclaim reclaim)
{
	struct swmsi_ctx_opts o = { .iommu = &cnt_ops, .reclaim = reclaim };
	struct swmsi_device_desc d = { .group = 1, .sw_msi_start = WIN, .sw_msi_size = WINSZ };
	uint32_t ioas;

	maps = 0;
	assert_int_equal(swmsi_ctx_create(&o, &e->ctx), 0);
	assert_int_equal(swmsi_ioas_alloc(e->ctx, &ioas), 0);
	assert_int_equal(swmsi_hwpt_alloc(e->ctx, ioas, 0, &e->a), 0);
	assert_int_equal(swmsi_hwpt_alloc(e->ctx, ioas, 0, &e->b), 0);
	assert_int_equal(swmsi_device_bind(e->ctx, &d, &e->dev), 0);
	assert_int_equal(swmsi_device_attach(e->ctx, e->dev, e->a), 0);
}

static uint32_t alloc_vec(struct env *e, uint64_t db)
{
	uint64_t msg;
	uint32_t vec;

	assert_int_equal(swmsi_msi_alloc(e->ctx, e->dev, db, &vec, &msg), 0);
	return vec;
}

static bool present(struct env *e, uint32_t hwpt, uint32_t id)
{
	uint32_t ids[8];
	size_t n = 0;

	assert_int_equal(swmsi_hwpt_msi_present(e->ctx, hwpt, ids, 8, &n), 0);
	for (size_t i = 0; i < n && i < 8; i++)
		if (ids[i] == id)
			return true;
	return false;
}

static uint64_t allocs(struct env *e)
{
	struct swmsi_ctx_stats st;

	assert_int_equal(swmsi_ctx_stats(e->ctx, &st), 0);
	return st.allocs;
}

static void replace_round_trips_between_holding_domains_map_and_allocate_nothing(void **state)
{
	struct env e;
	uint64_t a0;

	(void)state;
	env_init(&e, SWMSI_RECLAIM_NONE);
	alloc_vec(&e, DB_P);
	alloc_vec(&e, DB_Q);
	assert_int_equal(swmsi_device_replace(e.ctx, e.dev, e.b), 0);
	assert_int_equal(swmsi_device_replace(e.ctx, e.dev, e.a), 0);
	assert_int_equal(maps, 4); /* two pages, each in A and in B */
	a0 = allocs(&e);
	for (int i = 0; i < 100; i++)
		assert_int_equal(swmsi_device_replace(e.ctx, e.dev, i & 1 ? e.a : e.b), 0);
	assert_int_equal(maps, 4);
	assert_int_equal(allocs(&e), a0);
	swmsi_ctx_destroy(e.ctx);
}

static void replace_back_installs_a_page_required_since(void **state)
{
	struct env e;
	uint32_t q;

	(void)state;
	env_init(&e, SWMSI_RECLAIM_NONE);
	alloc_vec(&e, DB_P);
	assert_int_equal(swmsi_device_replace(e.ctx, e.dev, e.b), 0);
	assert_int_equal(swmsi_device_replace(e.ctx, e.dev, e.a), 0);
	/* B holds P; Q is new, required on A only */
	alloc_vec(&e, DB_Q);
	q = e.ctx->msi.count - 1; /* ids lowest-free: P is 0, Q is 1 */
	assert_true(present(&e, e.a, q));
	assert_false(present(&e, e.b, q));
	assert_int_equal(swmsi_device_replace(e.ctx, e.dev, e.b), 0);
	assert_true(present(&e, e.b, q));
	assert_true(present(&e, e.b, 0));
	swmsi_ctx_destroy(e.ctx);
}

static void replace_back_reinstalls_a_page_the_target_reclaimed(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, SWMSI_RECLAIM_UNUSED);
	alloc_vec(&e, DB_P);
	assert_int_equal(swmsi_device_replace(e.ctx, e.dev, e.b), 0);
	assert_true(present(&e, e.b, 0));
	/* the group leaves B: nobody there needs P, so it goes */
	assert_int_equal(swmsi_device_replace(e.ctx, e.dev, e.a), 0);
	assert_false(present(&e, e.b, 0));
	assert_int_equal(swmsi_device_replace(e.ctx, e.dev, e.b), 0);
	assert_true(present(&e, e.b, 0));
	swmsi_ctx_destroy(e.ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			replace_round_trips_between_holding_domains_map_and_allocate_nothing),
		cmocka_unit_test(replace_back_installs_a_page_required_since),
		cmocka_unit_test(replace_back_reinstalls_a_page_the_target_reclaimed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
