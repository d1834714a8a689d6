/* SPDX-License-Identifier: MIT */
/*
 * Interaction tests through a spy backend: the exact sequence of backend
 * calls the core makes. The vtable is the seam, so no link-time wrapping is
 * needed: each op checks its arguments against queued expectations and
 * returns a queued value; an unexpected call fails the test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>

#include <swmsi/swmsi.h>

#define WIN   0x8000000ull
#define WINSZ 0x100000ull
#define ITS   0x8090000ull
#define RWM   (SWMSI_PROT_READ | SWMSI_PROT_WRITE | SWMSI_PROT_MMIO)

static int spy_domain_alloc(void *priv, void **domain)
{
	int rc;

	(void)priv;
	rc = mock_type(int);
	if (!rc)
		*domain = mock_ptr_type(void *);
	return rc;
}

static void spy_domain_free(void *priv, void *domain)
{
	(void)priv;
	check_expected_ptr(domain);
}

static int spy_map(void *priv, void *domain, uint64_t iova, uint64_t paddr, uint64_t size,
		   uint32_t prot)
{
	(void)priv;
	check_expected_ptr(domain);
	check_expected(iova);
	check_expected(paddr);
	check_expected(size);
	check_expected(prot);
	return mock_type(int);
}

static size_t spy_unmap(void *priv, void *domain, uint64_t iova, uint64_t size)
{
	(void)priv;
	check_expected_ptr(domain);
	check_expected(iova);
	check_expected(size);
	return mock_type(size_t);
}

static int spy_iova_to_phys(void *priv, void *domain, uint64_t iova, uint64_t *paddr)
{
	(void)priv;
	(void)domain;
	(void)iova;
	(void)paddr;
	fail_msg("iova_to_phys not expected in these tests");
	return -ENOENT;
}

static const struct swmsi_iommu_ops spy_ops = {
	.domain_alloc = spy_domain_alloc,
	.domain_free = spy_domain_free,
	.map = spy_map,
	.unmap = spy_unmap,
	.iova_to_phys = spy_iova_to_phys,
};

/* Distinct fake domain handles; the core never dereferences them. */
static char dom_a, dom_b;

static void expect_domain_alloc(void *dom)
{
	will_return(spy_domain_alloc, 0);
	will_return(spy_domain_alloc, dom);
}

static void expect_map(void *dom, uint64_t iova, uint64_t paddr, uint64_t size, uint32_t prot,
		       int rc)
{
	expect_value(spy_map, domain, dom);
	expect_value(spy_map, iova, iova);
	expect_value(spy_map, paddr, paddr);
	expect_value(spy_map, size, size);
	expect_value(spy_map, prot, prot);
	will_return(spy_map, rc);
}

static void expect_unmap(void *dom, uint64_t iova, uint64_t size, size_t ret)
{
	expect_value(spy_unmap, domain, dom);
	expect_value(spy_unmap, iova, iova);
	expect_value(spy_unmap, size, size);
	will_return(spy_unmap, ret);
}

static void expect_domain_free(void *dom)
{
	expect_value(spy_domain_free, domain, dom);
}

struct spy {
	struct swmsi_ctx *ctx;
	uint32_t ioas, a, b, dev;
};

static struct swmsi_ctx *spy_ctx(enum swmsi_reclaim reclaim)
{
	struct swmsi_ctx_opts o = { .iommu = &spy_ops, .reclaim = reclaim };
	struct swmsi_ctx *ctx = NULL;

	assert_int_equal(swmsi_ctx_create(&o, &ctx), 0);
	return ctx;
}

/* ctx, an IOAS, paging HWPTs A and B, one windowed device attached to A. */
static void spy_setup(struct spy *s, enum swmsi_reclaim reclaim)
{
	struct swmsi_device_desc d = { .group = 1, .sw_msi_start = WIN, .sw_msi_size = WINSZ };

	s->ctx = spy_ctx(reclaim);
	assert_int_equal(swmsi_ioas_alloc(s->ctx, &s->ioas), 0);
	expect_domain_alloc(&dom_a);
	assert_int_equal(swmsi_hwpt_alloc(s->ctx, s->ioas, 0, &s->a), 0);
	expect_domain_alloc(&dom_b);
	assert_int_equal(swmsi_hwpt_alloc(s->ctx, s->ioas, 0, &s->b), 0);
	assert_int_equal(swmsi_device_bind(s->ctx, &d, &s->dev), 0);
	assert_int_equal(swmsi_device_attach(s->ctx, s->dev, s->a), 0);
}

/* spy_setup, then the device's first vector, on the ITS page: one install into A. */
static uint32_t spy_setup_with_vector(struct spy *s, enum swmsi_reclaim reclaim)
{
	uint32_t v;
	uint64_t m;

	spy_setup(s, reclaim);
	expect_map(&dom_a, WIN, ITS, 4096, RWM, 0);
	assert_int_equal(swmsi_msi_alloc(s->ctx, s->dev, ITS, &v, &m), 0);
	return v;
}

/* After the unmaps the test expects, destroying the context frees A and B. */
static void spy_destroy(struct spy *s)
{
	expect_domain_free(&dom_a);
	expect_domain_free(&dom_b);
	swmsi_ctx_destroy(s->ctx);
}

static void msi_alloc_attached_maps_doorbell_page_once_rwm(void **state)
{
	struct spy s;
	uint32_t v1, v2;
	uint64_t m1, m2;

	(void)state;
	spy_setup(&s, SWMSI_RECLAIM_NONE);
	expect_map(&dom_a, WIN, ITS, 4096, RWM, 0);
	assert_int_equal(swmsi_msi_alloc(s.ctx, s.dev, ITS + 0x40, &v1, &m1), 0);
	assert_int_equal(m1, WIN + 0x40);
	/* a second vector on the same page is a hit: no backend call */
	assert_int_equal(swmsi_msi_alloc(s.ctx, s.dev, ITS + 0x44, &v2, &m2), 0);
	assert_int_equal(m2, WIN + 0x44);

	expect_unmap(&dom_a, WIN, 4096, 4096);
	spy_destroy(&s);
}

static void device_replace_installs_in_new_domain_then_reclaims_old(void **state)
{
	struct spy s;

	(void)state;
	spy_setup_with_vector(&s, SWMSI_RECLAIM_UNUSED);
	/* cmocka checks each op's queue in order: install into B comes
	 * first, the unmap from A only after the move */
	expect_map(&dom_b, WIN, ITS, 4096, RWM, 0);
	expect_unmap(&dom_a, WIN, 4096, 4096);
	assert_int_equal(swmsi_device_replace(s.ctx, s.dev, s.b), 0);

	expect_unmap(&dom_b, WIN, 4096, 4096);
	spy_destroy(&s);
}

static void device_replace_install_fails_touches_nothing_else(void **state)
{
	struct spy s;
	uint32_t ids[4];
	size_t n;

	(void)state;
	spy_setup_with_vector(&s, SWMSI_RECLAIM_UNUSED);
	/* no unmap of A may follow a failed install into B */
	expect_map(&dom_b, WIN, ITS, 4096, RWM, -EIO);
	assert_int_equal(swmsi_device_replace(s.ctx, s.dev, s.b), -EIO);
	assert_int_equal(swmsi_hwpt_msi_present(s.ctx, s.a, ids, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(swmsi_hwpt_msi_present(s.ctx, s.b, ids, 4, &n), 0);
	assert_int_equal(n, 0);

	expect_unmap(&dom_a, WIN, 4096, 4096);
	spy_destroy(&s);
}

static void msi_free_short_unmap_keeps_page_present(void **state)
{
	struct spy s;
	uint32_t v, ids[4];
	size_t n;

	(void)state;
	v = spy_setup_with_vector(&s, SWMSI_RECLAIM_UNUSED);
	/* the backend unmaps nothing: the call still succeeds, and the page
	 * stays accounted as present so state stays true */
	expect_unmap(&dom_a, WIN, 4096, 0);
	assert_int_equal(swmsi_msi_free(s.ctx, s.dev, v), 0);
	assert_int_equal(swmsi_hwpt_msi_present(s.ctx, s.a, ids, 4, &n), 0);
	assert_int_equal(n, 1);

	expect_unmap(&dom_a, WIN, 4096, 4096);
	spy_destroy(&s);
}

static void hwpt_alloc_domain_alloc_fails_returns_error(void **state)
{
	struct swmsi_ctx *ctx = spy_ctx(SWMSI_RECLAIM_NONE);
	struct swmsi_ctx_stats st;
	uint32_t ioas, hwpt = 0;

	(void)state;
	assert_int_equal(swmsi_ioas_alloc(ctx, &ioas), 0);
	will_return(spy_domain_alloc, -ENOMEM);
	assert_int_equal(swmsi_hwpt_alloc(ctx, ioas, 0, &hwpt), -ENOMEM);
	assert_int_equal(hwpt, 0);
	assert_int_equal(swmsi_ctx_stats(ctx, &st), 0);
	assert_int_equal(st.objects, 1);
	swmsi_ctx_destroy(ctx);
}

static void hwpt_alloc_mirrors_existing_mappings_in_order(void **state)
{
	struct swmsi_ctx *ctx = spy_ctx(SWMSI_RECLAIM_NONE);
	uint32_t ioas, hwpt;

	(void)state;
	assert_int_equal(swmsi_ioas_alloc(ctx, &ioas), 0);
	assert_int_equal(swmsi_ioas_map(ctx, ioas, 0x200000, 0x40000000, 0x2000, SWMSI_PROT_READ),
			 0);
	assert_int_equal(swmsi_ioas_map(ctx, ioas, 0x100000, 0x50000000, 0x1000, SWMSI_PROT_WRITE),
			 0);
	expect_domain_alloc(&dom_a);
	expect_map(&dom_a, 0x100000, 0x50000000, 0x1000, SWMSI_PROT_WRITE, 0);
	expect_map(&dom_a, 0x200000, 0x40000000, 0x2000, SWMSI_PROT_READ, 0);
	assert_int_equal(swmsi_hwpt_alloc(ctx, ioas, 0, &hwpt), 0);

	expect_unmap(&dom_a, 0x100000, 0x1000, 0x1000);
	expect_unmap(&dom_a, 0x200000, 0x2000, 0x2000);
	expect_domain_free(&dom_a);
	assert_int_equal(swmsi_destroy(ctx, hwpt), 0);
	swmsi_ctx_destroy(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(msi_alloc_attached_maps_doorbell_page_once_rwm),
		cmocka_unit_test(device_replace_installs_in_new_domain_then_reclaims_old),
		cmocka_unit_test(device_replace_install_fails_touches_nothing_else),
		cmocka_unit_test(msi_free_short_unmap_keeps_page_present),
		cmocka_unit_test(hwpt_alloc_domain_alloc_fails_returns_error),
		cmocka_unit_test(hwpt_alloc_mirrors_existing_mappings_in_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
