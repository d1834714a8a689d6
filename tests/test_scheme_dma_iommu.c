/* SPDX-License-Identifier: MIT */
/*
 * SWMSI_SCHEME_DMA_IOMMU: dma-iommu's per-domain MSI cookie, the scheme
 * iommufd used up to v6.14 (API.md "Schemes (v0.2)"):
 *  - a paging HWPT gets a cookie at the first attach of a group with a
 *    window (directly or through a nested HWPT over it), its base that
 *    window's start, never changed; no context-wide table;
 *  - msi_alloc looks the doorbell page up in the domain's cookie, a miss
 *    takes the next IOVA (unbounded) and maps it W|MMIO; any map failure is
 *    -ENOMEM and gives the IOVA back;
 *  - attach and replace install nothing, so after a replace an MSI is lost
 *    (-EFAULT) or misrouted to another doorbell;
 *  - cookie pages stay until their HWPT is destroyed.
 * Plus swmsi_hwpt_msi_cookie() and the swmsi_ctx_create() rules.
 */
#include "scheme_fixture.h"
#include "snapshot.h"

#include <stdio.h>
#include <string.h>

#define W      FX_WINDOW_START
#define PG     0x1000ull
#define OFF    0x40ull
#define W2     0x9000000ull
#define SENT32 0xdeadbeefu
#define SENT64 0xdeadbeefcafef00dull

static uint32_t attached_dev(struct fx *fx, uint32_t group, uint32_t hwpt)
{
	uint32_t dev = fx_bind(fx, group);

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, hwpt), 0);
	return dev;
}

static uint64_t pg(struct fx *fx, unsigned int i)
{
	return sx_page_of(fx, sx_db(i));
}

/* ------------------------------------------------------------------------ */
/* The cookie's birth and base */

static void hwpt_attach_dma_first_window_group_creates_cookie_at_its_start(void **state)
{
	struct fx *fx = *state;
	uint32_t a = fx_hwpt(fx, fx_ioas(fx), 0), nowin, dev;

	sx_expect_no_cookie(fx, a);
	/* A group without a window makes no cookie, and stays untranslated. */
	nowin = fx_bind_nowin(fx, 1);
	assert_int_equal(swmsi_device_attach(fx->ctx, nowin, a), 0);
	sx_expect_no_cookie(fx, a);
	fx_expect_fire(fx, nowin, fx_expect_msi_alloc(fx, nowin, sx_db(0), sx_db(0)), sx_db(0));
	sx_expect_no_cookie(fx, a);
	assert_int_equal(sx_mapped(fx, a), 0);
	dev = attached_dev(fx, 2, a);
	sx_expect_cookie(fx, a, W, W, 0);
	fx_expect_fire(fx, dev, fx_expect_msi_alloc(fx, dev, sx_db(0), W + OFF), sx_db(0));
	sx_expect_cookie(fx, a, W, W + PG, 1);
}

/* A later group with another window start: the base stays, its pages take the cookie's IOVAs. */
static void hwpt_attach_dma_later_window_keeps_base(void **state)
{
	struct fx *fx = *state;
	uint32_t a = fx_hwpt(fx, fx_ioas(fx), 0), d1, d2, v;

	d1 = attached_dev(fx, 1, a);
	d2 = fx_bind_window(fx, 2, W2, FX_WINDOW_SIZE);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, a), 0);
	sx_expect_cookie(fx, a, W, W, 0);
	v = fx_expect_msi_alloc(fx, d2, sx_db(0), W + OFF);
	fx_expect_fire(fx, d2, v, sx_db(0));
	v = fx_expect_msi_alloc(fx, d1, sx_db(1), W + PG + OFF);
	fx_expect_fire(fx, d1, v, sx_db(1));
	v = fx_expect_msi_alloc(fx, d1, sx_db(0), W + OFF);
	fx_expect_fire(fx, d1, v, sx_db(0));
	sx_expect_cookie(fx, a, W, W + 2 * PG, 2);
	/* Even when the first group leaves and comes back. */
	assert_int_equal(swmsi_device_detach(fx->ctx, d1), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d1, a), 0);
	sx_expect_cookie(fx, a, W, W + 2 * PG, 2);
}

static void hwpt_attach_dma_nested_creates_cookie_on_parent(void **state)
{
	struct fx *fx = *state;
	uint32_t parent = fx_hwpt(fx, fx_ioas(fx), SWMSI_HWPT_NEST_PARENT);
	uint32_t nested = fx_nested_rmr(fx, parent), dev;

	dev = attached_dev(fx, 1, nested);
	sx_expect_cookie(fx, parent, W, W, 0);
	sx_expect_no_cookie(fx, nested);
	/* The nested domain has no cookie: untranslated, nothing mapped. */
	fx_expect_msi_alloc(fx, dev, sx_db(0), sx_db(0));
	sx_expect_cookie(fx, parent, W, W, 0);
	assert_int_equal(sx_mapped(fx, parent), 0);
}

static void hwpt_attach_dma_window_override_is_base(void **state)
{
	struct fx *fx = *state;
	uint32_t a = fx_hwpt(fx, fx_ioas(fx), 0), dev, v;

	assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, 0x10000000, 0x10000), 0);
	dev = attached_dev(fx, 1, a);
	sx_expect_cookie(fx, a, 0x10000000, 0x10000000, 0);
	v = fx_expect_msi_alloc(fx, dev, sx_db(3), 0x10000000 + OFF);
	fx_expect_fire(fx, dev, v, sx_db(3));
}

/* ------------------------------------------------------------------------ */
/* msi_alloc through the cookie */

static void msi_map_list_dma_reports_no_entries(void **state)
{
	struct fx *fx = *state;
	uint32_t a = fx_hwpt(fx, fx_ioas(fx), 0), dev = attached_dev(fx, 1, a);
	struct swmsi_msi_map_info m;
	size_t n = SIZE_MAX;

	fx_expect_msi_alloc(fx, dev, sx_db(0), W + OFF);
	fx_expect_msi_alloc(fx, dev, sx_db(1), W + PG + OFF);
	assert_int_equal(swmsi_msi_map_list(fx->ctx, &m, 1, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(fx_present(fx, a, NULL, 0), 0);
}

static void msi_alloc_dma_miss_next_iova_hit_same_maps_write_mmio(void **state)
{
	struct fx *fx = *state;
	uint32_t a = fx_hwpt(fx, fx_ioas(fx), 0), d1 = attached_dev(fx, 1, a);
	uint32_t d2 = attached_dev(fx, 2, a), v;
	struct swmsi_msi_cookie_info ci;
	struct swmsi_msi_cookie_page p[2];

	v = fx_expect_msi_alloc(fx, d1, sx_db(0), W + OFF);
	fx_expect_fire(fx, d1, v, sx_db(0));
	v = fx_expect_msi_alloc(fx, d1, sx_db(1) + 0x8, W + PG + OFF + 0x8);
	fx_expect_fire(fx, d1, v, sx_db(1) + 0x8);
	v = fx_expect_msi_alloc(fx, d1, sx_db(0), W + OFF);
	fx_expect_fire(fx, d1, v, sx_db(0));
	v = fx_expect_msi_alloc(fx, d2, sx_db(1), W + PG + OFF);
	fx_expect_fire(fx, d2, v, sx_db(1));
	/* W|MMIO, no READ. */
	sx_expect_mapped(fx, a, W, pg(fx, 0), SX_PROT_COOKIE);
	sx_expect_mapped(fx, a, W + PG, pg(fx, 1), SX_PROT_COOKIE);
	assert_int_equal(sx_mapped(fx, a), 2);
	assert_int_equal(sx_cookie(fx, a, &ci, p, 2), 2);
	assert_int_equal(ci.next_iova, W + 2 * PG);
	assert_int_equal(p[0].iova, W);
	assert_int_equal(p[0].msi_page, pg(fx, 0));
	assert_int_equal(p[1].iova, W + PG);
	assert_int_equal(p[1].msi_page, pg(fx, 1));
}

/* Never compared with the window's size: a 2-page window takes 4 pages. */
static void msi_alloc_dma_more_pages_than_window_succeed(void **state)
{
	struct fx *fx = *state;
	uint32_t a = fx_hwpt(fx, fx_ioas(fx), 0), dev, v;
	unsigned int i;

	dev = fx_bind_window(fx, 1, W, 2 * PG);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	for (i = 0; i < 4; i++) {
		v = fx_expect_msi_alloc(fx, dev, sx_db(i), W + i * PG + OFF);
		fx_expect_fire(fx, dev, v, sx_db(i));
		sx_expect_mapped(fx, a, W + i * PG, pg(fx, i), SX_PROT_COOKIE);
	}
	sx_expect_cookie(fx, a, W, W + 4 * PG, 4);
}

static void map_fails_gives_back_iova(struct fx *fx, int backend_err)
{
	uint32_t a = fx_hwpt(fx, fx_ioas(fx), 0), dev = attached_dev(fx, 1, a), vec = SENT32, v;
	uint64_t msg = SENT64;
	struct snap *before;
	char label[64];

	fx_expect_msi_alloc(fx, dev, sx_db(0), W + OFF);
	before = snap_take(fx);
	mock_iommu_fail_map(fx->mock, 1, backend_err);
	/* dma-iommu flattens every map error to -ENOMEM. */
	assert_int_equal(swmsi_msi_alloc(fx->ctx, dev, sx_db(1), &vec, &msg), -ENOMEM);
	mock_iommu_fail_map(fx->mock, 0, 0);
	assert_int_equal(vec, SENT32);
	assert_int_equal(msg, SENT64);
	snprintf(label, sizeof(label), "msi_alloc, map failing %s", swmsi_errname(backend_err));
	snap_expect_restored(fx, before, label);
	sx_expect_cookie(fx, a, W, W + PG, 1);
	/* The IOVA was given back: the next success takes it. */
	v = fx_expect_msi_alloc(fx, dev, sx_db(2), W + PG + OFF);
	fx_expect_fire(fx, dev, v, sx_db(2));
	sx_expect_cookie(fx, a, W, W + 2 * PG, 2);
}

static void msi_alloc_dma_map_fails_eio_enomem_iova_given_back(void **state)
{
	map_fails_gives_back_iova(*state, -EIO);
}

static void msi_alloc_dma_map_fails_einval_enomem_iova_given_back(void **state)
{
	map_fails_gives_back_iova(*state, -EINVAL);
}

static void msi_alloc_dma_map_fails_enomem_enomem_iova_given_back(void **state)
{
	map_fails_gives_back_iova(*state, -ENOMEM);
}

static void msi_alloc_dma_detached_or_no_window_untranslated(void **state)
{
	struct fx *fx = *state;
	uint32_t a = fx_hwpt(fx, fx_ioas(fx), 0), loose, nowin, dev;

	loose = fx_bind(fx, 1);
	fx_expect_msi_alloc(fx, loose, sx_db(0), sx_db(0));
	nowin = fx_bind_nowin(fx, 2);
	assert_int_equal(swmsi_device_attach(fx->ctx, nowin, a), 0);
	fx_expect_fire(fx, nowin, fx_expect_msi_alloc(fx, nowin, sx_db(1), sx_db(1)), sx_db(1));
	dev = attached_dev(fx, 3, a);
	fx_expect_msi_alloc(fx, dev, sx_db(2), W + OFF);
	assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);
	fx_expect_msi_alloc(fx, dev, sx_db(3), sx_db(3));
	sx_expect_cookie(fx, a, W, W + PG, 1);
	assert_int_equal(sx_mapped(fx, a), 1);
}

static void msi_alloc_dma_allow_list_eperm_only_through_cookie(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, SWMSI_HWPT_NEST_PARENT);
	uint32_t dev = attached_dev(fx, 1, a), nowin, nested, ndev, loose;

	assert_int_equal(swmsi_doorbell_register(fx->ctx, pg(fx, 0), PG), 0);
	fx_expect_msi_alloc_fails(fx, dev, sx_db(1), -EPERM);
	sx_expect_cookie(fx, a, W, W, 0);
	fx_expect_msi_alloc(fx, dev, sx_db(0), W + OFF);
	/* A window-less group on a domain with a cookie goes through it
	 * (API.md, "KERNEL and DMA_IOMMU"), so it is checked too. */
	nowin = fx_bind_nowin(fx, 2);
	assert_int_equal(swmsi_device_attach(fx->ctx, nowin, a), 0);
	fx_expect_msi_alloc_fails(fx, nowin, sx_db(1), -EPERM);
	fx_expect_msi_alloc(fx, nowin, sx_db(0), W + OFF);
	/* Untranslated allocations are not checked. */
	nested = fx_nested_rmr(fx, a);
	ndev = attached_dev(fx, 3, nested);
	fx_expect_msi_alloc(fx, ndev, sx_db(1), sx_db(1));
	loose = fx_bind(fx, 4);
	fx_expect_msi_alloc(fx, loose, sx_db(1), sx_db(1));
	sx_expect_cookie(fx, a, W, W + PG, 1);
}

/* ------------------------------------------------------------------------ */
/* Attach and replace install nothing: the lost and the misrouted MSI */

static void device_replace_dma_installs_nothing(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), b = fx_hwpt(fx, ioas, 0);
	uint32_t c = fx_hwpt(fx, ioas, 0), dev = attached_dev(fx, 1, a);

	fx_expect_msi_alloc(fx, dev, sx_db(0), W + OFF);
	fx_expect_msi_alloc(fx, dev, sx_db(1), W + PG + OFF);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, b), 0);
	assert_int_equal(sx_mapped(fx, b), 0);
	assert_int_equal(fx_present(fx, b, NULL, 0), 0);
	sx_expect_cookie(fx, b, W, W, 0);
	assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, c), 0);
	assert_int_equal(sx_mapped(fx, c), 0);
	sx_expect_cookie(fx, c, W, W, 0);
	/* The old domain keeps its cookie pages. */
	assert_int_equal(sx_mapped(fx, a), 2);
	sx_expect_cookie(fx, a, W, W + 2 * PG, 2);
}

/* THE LOST MSI: the vector keeps IOVA W, which B does not map. */
static void msi_fire_dma_after_replace_to_domain_without_page_lost_efault(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), b = fx_hwpt(fx, ioas, 0);
	uint32_t dev = attached_dev(fx, 1, a), v;

	v = fx_expect_msi_alloc(fx, dev, sx_db(0), W + OFF);
	fx_expect_fire(fx, dev, v, sx_db(0));
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, b), 0);
	fx_expect_fire_fails(fx, dev, v, -EFAULT);
	assert_int_equal(fx_vector_info(fx, dev, v).msg_addr, W + OFF);
	sx_expect_unmapped(fx, b, W);
}

/*
 * THE MISROUTED MSI: A numbers P1 at W and P2 at W + 1 page; B's cookie met
 * P2 first, at W. After the move the P1 vector writes W, which B sends to P2.
 */
static void msi_fire_dma_after_replace_to_domain_other_numbering_misrouted(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), b = fx_hwpt(fx, ioas, 0);
	uint32_t dev = attached_dev(fx, 1, a), other = attached_dev(fx, 2, b), v1, v2, vo;

	v1 = fx_expect_msi_alloc(fx, dev, sx_db(1), W + OFF);
	v2 = fx_expect_msi_alloc(fx, dev, sx_db(2) + 0x100, W + PG + OFF + 0x100);
	vo = fx_expect_msi_alloc(fx, other, sx_db(2), W + OFF);
	fx_expect_fire(fx, other, vo, sx_db(2));
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, b), 0);
	/* Lands, on the wrong doorbell: P2's page, P1's offset. */
	fx_expect_fire(fx, dev, v1, pg(fx, 2) + OFF);
	/* And P2's own vector writes W + 1 page, which B does not map. */
	fx_expect_fire_fails(fx, dev, v2, -EFAULT);
}

/* ------------------------------------------------------------------------ */
/* Lifetime */

static void hwpt_destroy_dma_cookie_pages_stay_until_destroyed(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), dev = attached_dev(fx, 1, a);
	uint32_t v0, v1;
	size_t domains;

	v0 = fx_expect_msi_alloc(fx, dev, sx_db(0), W + OFF);
	v1 = fx_expect_msi_alloc(fx, dev, sx_db(1), W + PG + OFF);
	assert_int_equal(swmsi_msi_free(fx->ctx, dev, v0), 0);
	assert_int_equal(swmsi_msi_free(fx->ctx, dev, v1), 0);
	assert_int_equal(sx_mapped(fx, a), 2);
	sx_expect_cookie(fx, a, W, W + 2 * PG, 2);
	/* Still in the cookie: a hit. */
	v0 = fx_expect_msi_alloc(fx, dev, sx_db(1), W + PG + OFF);
	fx_expect_fire(fx, dev, v0, sx_db(1));
	assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);
	sx_expect_mapped(fx, a, W, pg(fx, 0), SX_PROT_COOKIE);
	sx_expect_mapped(fx, a, W + PG, pg(fx, 1), SX_PROT_COOKIE);
	domains = mock_iommu_domain_count(fx->mock);
	assert_int_equal(swmsi_destroy(fx->ctx, a), 0);
	assert_int_equal(mock_iommu_domain_count(fx->mock), domains - 1);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, NULL), 0);
	assert_int_equal(mock_iommu_misuse_count(fx->mock), 0);
}

/* ------------------------------------------------------------------------ */
/* swmsi_hwpt_msi_cookie() */

static void hwpt_msi_cookie_dma_pages_ascending_by_iova_cap_honoured(void **state)
{
	struct fx *fx = *state;
	uint32_t a = fx_hwpt(fx, fx_ioas(fx), 0), dev = attached_dev(fx, 1, a);
	struct swmsi_msi_cookie_page p[3];
	struct swmsi_msi_cookie_info ci;

	fx_expect_msi_alloc(fx, dev, sx_db(5), W + OFF);
	fx_expect_msi_alloc(fx, dev, sx_db(2), W + PG + OFF);
	fx_expect_msi_alloc(fx, dev, sx_db(7), W + 2 * PG + OFF);
	memset(p, 0, sizeof(p));
	assert_int_equal(sx_cookie(fx, a, &ci, p, 2), 3);
	assert_true(ci.active);
	assert_int_equal(ci.base, W);
	assert_int_equal(ci.next_iova, W + 3 * PG);
	assert_int_equal(ci.pages, 3);
	assert_int_equal(p[0].iova, W);
	assert_int_equal(p[0].msi_page, pg(fx, 5));
	assert_int_equal(p[1].iova, W + PG);
	assert_int_equal(p[1].msi_page, pg(fx, 2));
	/* cap 2: the third slot is not written. */
	assert_int_equal(p[2].iova, 0);
	assert_int_equal(sx_cookie(fx, a, &ci, NULL, 0), 3);
	assert_int_equal(sx_cookie(fx, a, &ci, p, 3), 3);
	assert_int_equal(p[2].iova, W + 2 * PG);
	assert_int_equal(p[2].msi_page, pg(fx, 7));
}

static void cookie_rc(struct fx *fx, uint32_t id, bool null_info, bool null_count, size_t cap,
		      int want)
{
	struct swmsi_msi_cookie_info ci, ci0;
	size_t n = 0x5a5a;

	memset(&ci, 0x5a, sizeof(ci));
	ci0 = ci;
	assert_int_equal(swmsi_hwpt_msi_cookie(fx->ctx, id, null_info ? NULL : &ci, NULL, cap,
					       null_count ? NULL : &n),
			 want);
	assert_int_equal(n, 0x5a5a);
	assert_memory_equal(&ci, &ci0, sizeof(ci));
}

static void hwpt_msi_cookie_bad_input_einval_enoent_writes_nothing(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), dev = attached_dev(fx, 1, a);
	struct swmsi_msi_cookie_info ci;
	size_t n = 0;

	fx_expect_msi_alloc(fx, dev, sx_db(0), W + OFF);
	assert_int_equal(swmsi_hwpt_msi_cookie(NULL, a, &ci, NULL, 0, &n), -EINVAL);
	cookie_rc(fx, a, true, false, 0, -EINVAL);
	cookie_rc(fx, a, false, true, 0, -EINVAL);
	cookie_rc(fx, a, false, false, 1, -EINVAL); /* NULL pages, cap 1 */
	cookie_rc(fx, 0, false, false, 0, -ENOENT);
	cookie_rc(fx, 9999, false, false, 0, -ENOENT);
	cookie_rc(fx, ioas, false, false, 0, -ENOENT);
	cookie_rc(fx, dev, false, false, 0, -ENOENT);
}

/* Under NATIVE and KERNEL no HWPT has a cookie, whatever it maps. */
static void hwpt_msi_cookie_native_kernel_always_inactive(void **state)
{
	static const enum swmsi_scheme schemes[] = { SWMSI_SCHEME_NATIVE, SWMSI_SCHEME_KERNEL };
	unsigned int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		struct fx *fx = sx_new(schemes[i], 12);
		uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, SWMSI_HWPT_NEST_PARENT);
		uint32_t nested = fx_nested_rmr(fx, a), d1 = attached_dev(fx, 1, a);
		uint32_t d2 = attached_dev(fx, 2, nested);

		fx_expect_msi_alloc(fx, d1, sx_db(0), W + OFF);
		fx_expect_msi_alloc(fx, d2, sx_db(1), W + PG + OFF);
		sx_expect_no_cookie(fx, a);
		sx_expect_no_cookie(fx, nested);
		fx_free(fx);
	}
}

/* ------------------------------------------------------------------------ */
/* swmsi_ctx_create */

static void ctx_create_dma_reclaim_unused_einval(void **state)
{
	(void)state;
	assert_int_equal(sx_create_rc(SWMSI_SCHEME_DMA_IOMMU, SWMSI_RECLAIM_UNUSED, 0), -EINVAL);
	assert_int_equal(sx_create_rc(SWMSI_SCHEME_DMA_IOMMU, SWMSI_RECLAIM_NONE, 0), 0);
}

static void ctx_create_dma_max_msi_maps_nonzero_einval(void **state)
{
	(void)state;
	assert_int_equal(sx_create_rc(SWMSI_SCHEME_DMA_IOMMU, SWMSI_RECLAIM_NONE, 64), -EINVAL);
	assert_int_equal(sx_create_rc(SWMSI_SCHEME_DMA_IOMMU, SWMSI_RECLAIM_NONE, 1), -EINVAL);
}

static void ctx_create_unknown_scheme_eopnotsupp(void **state)
{
	(void)state;
	assert_int_equal(sx_create_rc((enum swmsi_scheme)3, SWMSI_RECLAIM_NONE, 0), -EOPNOTSUPP);
	assert_int_equal(sx_create_rc((enum swmsi_scheme)99, SWMSI_RECLAIM_NONE, 0), -EOPNOTSUPP);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, sx_setup_dma, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(hwpt_attach_dma_first_window_group_creates_cookie_at_its_start),
		T(hwpt_attach_dma_later_window_keeps_base),
		T(hwpt_attach_dma_nested_creates_cookie_on_parent),
		T(hwpt_attach_dma_window_override_is_base),
		T(msi_map_list_dma_reports_no_entries),
		T(msi_alloc_dma_miss_next_iova_hit_same_maps_write_mmio),
		T(msi_alloc_dma_more_pages_than_window_succeed),
		T(msi_alloc_dma_map_fails_eio_enomem_iova_given_back),
		T(msi_alloc_dma_map_fails_einval_enomem_iova_given_back),
		T(msi_alloc_dma_map_fails_enomem_enomem_iova_given_back),
		T(msi_alloc_dma_detached_or_no_window_untranslated),
		T(msi_alloc_dma_allow_list_eperm_only_through_cookie),
		T(device_replace_dma_installs_nothing),
		T(msi_fire_dma_after_replace_to_domain_without_page_lost_efault),
		T(msi_fire_dma_after_replace_to_domain_other_numbering_misrouted),
		T(hwpt_destroy_dma_cookie_pages_stay_until_destroyed),
		T(hwpt_msi_cookie_dma_pages_ascending_by_iova_cap_honoured),
		T(hwpt_msi_cookie_bad_input_einval_enoent_writes_nothing),
		cmocka_unit_test(hwpt_msi_cookie_native_kernel_always_inactive),
		cmocka_unit_test(ctx_create_dma_reclaim_unused_einval),
		cmocka_unit_test(ctx_create_dma_max_msi_maps_nonzero_einval),
		cmocka_unit_test(ctx_create_unknown_scheme_eopnotsupp),
	};

	return cmocka_run_group_tests_name("scheme_dma_iommu", tests, NULL, NULL);
}
