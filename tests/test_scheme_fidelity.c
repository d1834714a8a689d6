/* SPDX-License-Identifier: MIT */
/*
 * The rows of docs/kernel.md that SWMSI_SCHEME_KERNEL and
 * SWMSI_SCHEME_DMA_IOMMU reproduce (API.md "KERNEL and DMA_IOMMU, with no
 * deviation (v0.3)"): each test is named after its row (k27_..., d12_...)
 * and asserts the exact errors, ranges and IOVAs upstream gives, next to
 * what NATIVE answers instead where it differs on purpose.
 */
#include "scheme_fixture.h"
#include "snapshot.h"

#include <stdio.h>
#include <stdlib.h>

#define W      FX_WINDOW_START
#define WSZ    FX_WINDOW_SIZE
#define W_LAST (W + WSZ - 1)
#define PG     0x1000ull
#define OFF    0x40ull
#define APER   (1ull << 48) /* the mock's aperture */
#define RW     (SWMSI_PROT_READ | SWMSI_PROT_WRITE)
#define SENT32 0xdeadbeefu
#define SENT64 0xdeadbeefcafef00dull

/* ------------------------------------------------------------------------ */
/* Helpers */

/* msi_alloc of @db by @dev fails with @err, writing neither out-parameter. */
static void expect_alloc_rc(struct fx *fx, uint32_t dev, uint64_t db, int err)
{
	uint32_t vec = SENT32;
	uint64_t msg = SENT64;

	assert_int_equal(swmsi_msi_alloc(fx->ctx, dev, db, &vec, &msg), err);
	assert_int_equal(vec, SENT32);
	assert_int_equal(msg, SENT64);
}

/* The device-owned ranges of @ioas (APERTURE entries left out) are exactly
 * @want (@n entries, lowest first). */
static void expect_dev_resv(struct fx *fx, uint32_t ioas, const struct swmsi_resv_info *want,
			    size_t n)
{
	struct swmsi_resv_info got[16];
	size_t count = 0, i, k = 0;

	assert_int_equal(swmsi_ioas_resv_list(fx->ctx, ioas, got, 16, &count), 0);
	assert_true(count <= 16);
	for (i = 0; i < count; i++) {
		if (got[i].type == SWMSI_RESV_APERTURE)
			continue;
		assert_true(k < n);
		assert_int_equal(got[i].start, want[k].start);
		assert_int_equal(got[i].last, want[k].last);
		assert_int_equal(got[i].type, want[k].type);
		assert_int_equal(got[i].owner, want[k].owner);
		k++;
	}
	assert_int_equal(k, n);
}

/* The usable ranges of @ioas are exactly @want (@n entries). */
static void expect_ranges(struct fx *fx, uint32_t ioas, const struct swmsi_iova_range *want,
			  size_t n)
{
	struct swmsi_iova_range got[16];
	size_t count = 99, i;

	assert_int_equal(swmsi_ioas_iova_ranges(fx->ctx, ioas, got, 16, &count), 0);
	assert_int_equal(count, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(got[i].start, want[i].start);
		assert_int_equal(got[i].last, want[i].last);
	}
}

static int map_at(struct fx *fx, uint32_t ioas, uint64_t iova, uint64_t len)
{
	return swmsi_ioas_map(fx->ctx, ioas, iova, 0x100000000ull + iova, len, RW);
}

/* ------------------------------------------------------------------------ */
/* K27: attaching a device that is attached */

/* A device attached to a; a second attach, to a or to b, answers @err
 * before anything is looked at, and changes nothing. */
static void second_attach(struct fx *fx, int err)
{
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), b = fx_hwpt(fx, ioas, 0);
	uint32_t other = fx_ioas(fx), c = fx_hwpt(fx, other, 0), dev = fx_bind(fx, 1);
	const struct swmsi_resv_info win = { W, W_LAST, SWMSI_RESV_SW_MSI, dev };
	struct snap *before;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	/* c's IOAS maps over the window: the answer still comes first */
	assert_int_equal(map_at(fx, other, W, PG), 0);
	before = snap_take(fx);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), err);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, b), err);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, c), err);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, other), err);
	snap_expect_restored(fx, before, "second attach");
	assert_int_equal(fx_dev_hwpt(fx, dev), a);
	expect_dev_resv(fx, ioas, &win, 1);
}

static void k27_second_attach_is_ebusy(void **state)
{
	second_attach(*state, -EBUSY);
}

static void k27_native_second_attach_is_einval(void **state)
{
	second_attach(*state, -EINVAL);
}

/* A group mate onto another HWPT: -EINVAL under every scheme, before its
 * regions are looked at (the target's IOAS maps over its window). */
static void k27_group_mate_onto_another_hwpt_is_einval(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0);
	uint32_t other = fx_ioas(fx), c = fx_hwpt(fx, other, 0);
	uint32_t d1 = fx_bind(fx, 1), d2 = fx_bind(fx, 1);
	struct snap *before;

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, a), 0);
	assert_int_equal(map_at(fx, other, W, PG), 0);
	before = snap_take(fx);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, c), -EINVAL);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, other), -EINVAL);
	snap_expect_restored(fx, before, "group mate onto another HWPT");
	assert_false(fx_dev_info(fx, d2).attached);
}

/* ------------------------------------------------------------------------ */
/* K28: detaching a device that is not attached */

static void detach_not_attached(struct fx *fx, int err)
{
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0);
	uint32_t d1 = fx_bind(fx, 1), d2 = fx_bind(fx, 1), lone = fx_bind(fx, 2);
	const struct swmsi_resv_info win = { W, W_LAST, SWMSI_RESV_SW_MSI, d1 };
	struct snap *before;

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, a), 0);
	before = snap_take(fx);
	/* never attached; a group mate of an attached device; twice */
	assert_int_equal(swmsi_device_detach(fx->ctx, lone), err);
	assert_int_equal(swmsi_device_detach(fx->ctx, d2), err);
	assert_int_equal(swmsi_device_detach(fx->ctx, d2), err);
	snap_expect_restored(fx, before, "detach of a detached device");
	assert_int_equal(fx_dev_hwpt(fx, d1), a);
	expect_dev_resv(fx, ioas, &win, 1);
	/* detached once, a second detach is the same */
	assert_int_equal(swmsi_device_detach(fx->ctx, d1), 0);
	before = snap_take(fx);
	assert_int_equal(swmsi_device_detach(fx->ctx, d1), err);
	snap_expect_restored(fx, before, "second detach");
	expect_dev_resv(fx, ioas, NULL, 0);
	/* a's aperture is all that stays reserved */
	expect_ranges(fx, ioas, &(struct swmsi_iova_range){ 0, APER - 1 }, 1);
}

static void k28_detach_not_attached_is_silent(void **state)
{
	detach_not_attached(*state, 0);
}

static void k28_native_detach_not_attached_is_einval(void **state)
{
	detach_not_attached(*state, -EINVAL);
}

/* ------------------------------------------------------------------------ */
/* K36: a device whose group has no attached device (the blocking domain) */

static void k36_detached_msi_alloc_is_eopnotsupp(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0);
	uint32_t dev = fx_bind(fx, 1), mate = fx_bind(fx, 1), x86 = fx_bind_nowin(fx, 2);
	uint32_t v, u;
	struct snap *before = snap_take(fx);

	/* bound, never attached: its group sits on the blocking domain */
	expect_alloc_rc(fx, dev, sx_db(0), -EOPNOTSUPP);
	snap_expect_restored(fx, before, "msi_alloc on the blocking domain");
	/* a group without a window never asks: untranslated */
	u = fx_expect_msi_alloc(fx, x86, sx_db(1), sx_db(1));
	assert_false(fx_vector_info(fx, x86, u).translated);
	fx_expect_fire(fx, x86, u, sx_db(1));
	/* a group mate of an attached device goes through the group's domain */
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	v = fx_expect_msi_alloc(fx, mate, sx_db(0), W + OFF);
	assert_true(fx_vector_info(fx, mate, v).translated);
	fx_expect_fire(fx, mate, v, sx_db(0));
	sx_expect_mapped(fx, a, W, sx_page_of(fx, sx_db(0)), SX_PROT_MSI);
	/* the group's last device gone: blocked again */
	assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);
	expect_alloc_rc(fx, mate, sx_db(2), -EOPNOTSUPP);
	expect_alloc_rc(fx, dev, sx_db(0), -EOPNOTSUPP);
}

/* DMA_IOMMU: a blocking domain had no cookie and iommu_dma_prepare_msi()
 * returned 0: the vector stays untranslated (NATIVE does the same). */
static void k36_dma_and_native_detached_msi_alloc_is_untranslated(void **state)
{
	struct fx *fx = *state;
	uint32_t dev = fx_bind(fx, 1), v;

	v = fx_expect_msi_alloc(fx, dev, sx_db(0), sx_db(0));
	assert_false(fx_vector_info(fx, dev, v).translated);
	assert_int_equal(fx_msi_map_count(fx), 0);
	/* a detached group's DMA is blocked */
	fx_expect_fire_fails(fx, dev, v, -EFAULT);
}

/* ------------------------------------------------------------------------ */
/* K31: attach and replace install in ascending map id order, and stop */

/*
 * Group 2 hands out ids 0..5 (pages db0..db5 at W + id pages); group 1's
 * device then requires ids 5, 3 and 1, in that order, on a. A replace onto
 * b (same IOAS) with the 2nd map failing installs id 1, fails on id 3 and
 * never tries id 5, whatever order the group's own records keep.
 */
static void k31_install_in_id_order_stops_at_first_failure(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), x = fx_hwpt(fx, ioas, 0), a = fx_hwpt(fx, ioas, 0);
	uint32_t b = fx_hwpt(fx, ioas, 0), c = fx_hwpt(fx, ioas, 0);
	uint32_t other = fx_bind(fx, 2), dev = fx_bind(fx, 1), ids[8];
	static const unsigned int order[] = { 5, 3, 1 };
	unsigned int i;

	assert_int_equal(swmsi_device_attach(fx->ctx, other, x), 0);
	for (i = 0; i < 6; i++)
		fx_expect_msi_alloc(fx, other, sx_db(i), W + i * PG + OFF);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	for (i = 0; i < 3; i++)
		fx_expect_msi_alloc(fx, dev, sx_db(order[i]), W + order[i] * PG + OFF);
	mock_iommu_fail_map(fx->mock, 2, -EIO);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, b), -EIO);
	mock_iommu_fail_map(fx->mock, 0, 0);
	assert_int_equal(fx_dev_hwpt(fx, dev), a);
	assert_int_equal(fx_present(fx, b, ids, 8), 1);
	assert_int_equal(ids[0], 1);
	sx_expect_mapped(fx, b, W + PG, sx_page_of(fx, sx_db(1)), SX_PROT_MSI);
	sx_expect_unmapped(fx, b, W + 3 * PG);
	sx_expect_unmapped(fx, b, W + 5 * PG);
	assert_int_equal(sx_mapped(fx, b), 1);
	/* an attach the same way: detached, onto c, the 3rd map failing */
	assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);
	mock_iommu_fail_map(fx->mock, 3, -EIO);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, c), -EIO);
	mock_iommu_fail_map(fx->mock, 0, 0);
	assert_int_equal(fx_present(fx, c, ids, 8), 2);
	assert_int_equal(ids[0], 1);
	assert_int_equal(ids[1], 3);
	sx_expect_unmapped(fx, c, W + 5 * PG);
	assert_false(fx_dev_info(fx, dev).attached);
	/* the retry installs the rest */
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, c), 0);
	assert_int_equal(fx_present(fx, c, ids, 8), 3);
	assert_int_equal(ids[2], 5);
}

/* NATIVE installs all or nothing: a failure leaves the target empty. */
static void k31_native_failed_install_leaves_nothing(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), b = fx_hwpt(fx, ioas, 0);
	uint32_t dev = fx_bind(fx, 1);
	unsigned int i;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	for (i = 0; i < 3; i++)
		fx_expect_msi_alloc(fx, dev, sx_db(i), W + i * PG + OFF);
	mock_iommu_fail_map(fx->mock, 2, -EIO);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, b), -EIO);
	mock_iommu_fail_map(fx->mock, 0, 0);
	assert_int_equal(fx_present(fx, b, NULL, 0), 0);
	assert_int_equal(sx_mapped(fx, b), 0);
}

/* ------------------------------------------------------------------------ */
/* K32: a failed install during a replace onto another HWPT of the same IOAS */

#define DIRECT_AT 0x1000000ull

static uint32_t bind_direct(struct fx *fx, uint32_t group)
{
	static const struct swmsi_resv_region direct = { DIRECT_AT, 0x10000, SWMSI_RESV_DIRECT };
	struct swmsi_device_desc d = {
		.group = group, .sw_msi_start = W, .sw_msi_size = WSZ, .resv = &direct, .nr_resv = 1
	};
	uint32_t id = 0;

	assert_int_equal(swmsi_device_bind(fx->ctx, &d, &id), 0);
	return id;
}

/*
 * Two attached devices of one group on a, with a window and a DIRECT
 * region each; the replace onto b fails in its install (@arm). Upstream's
 * error path removes the group's ranges from the IOAS it stays on: the
 * IOAS reports them usable and maps there while the devices are attached.
 * A replace onto another IOAS reserves them there again.
 */
static void lost_on_failed_replace(struct fx *fx, void (*arm)(struct fx *fx), int err)
{
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), b = fx_hwpt(fx, ioas, 0);
	uint32_t other = fx_ioas(fx), c = fx_hwpt(fx, other, 0);
	uint32_t d1 = bind_direct(fx, 1), d2 = bind_direct(fx, 1);

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, a), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, a), 0);
	fx_expect_msi_alloc(fx, d1, sx_db(0), W + OFF);
	arm(fx);
	assert_int_equal(swmsi_device_replace(fx->ctx, d1, b), err);
	mock_iommu_fail_map(fx->mock, 0, 0);
	assert_int_equal(swmsi_ctx_fail_alloc(fx->ctx, 0), 0);
	assert_int_equal(fx_dev_hwpt(fx, d1), a);
	assert_true(fx_dev_info(fx, d2).attached);
	expect_dev_resv(fx, ioas, NULL, 0);
	expect_ranges(fx, ioas, &(struct swmsi_iova_range){ 0, APER - 1 }, 1);
	assert_int_equal(map_at(fx, ioas, W + 8 * PG, PG), 0);
	assert_int_equal(map_at(fx, ioas, DIRECT_AT, PG), 0);
	/* onto another IOAS: both devices reserve everything there again */
	assert_int_equal(swmsi_device_replace(fx->ctx, d2, c), 0);
	{
		const struct swmsi_resv_info want[] = {
			{ DIRECT_AT, DIRECT_AT + 0xffff, SWMSI_RESV_DIRECT, d1 },
			{ DIRECT_AT, DIRECT_AT + 0xffff, SWMSI_RESV_DIRECT, d2 },
			{ W, W_LAST, SWMSI_RESV_SW_MSI, d1 },
			{ W, W_LAST, SWMSI_RESV_SW_MSI, d2 },
		};

		expect_dev_resv(fx, other, want, 4);
	}
	expect_dev_resv(fx, ioas, NULL, 0);
}

static void arm_map(struct fx *fx)
{
	mock_iommu_fail_map(fx->mock, 1, -EIO);
}

static void arm_alloc(struct fx *fx)
{
	assert_int_equal(swmsi_ctx_fail_alloc(fx->ctx, 1), 0);
}

static void k32_failed_same_ioas_replace_drops_ranges(void **state)
{
	lost_on_failed_replace(*state, arm_map, -EIO);
}

/* DMA_IOMMU installs no page; its cookie's allocation is what fails. */
static void k32_dma_failed_same_ioas_replace_drops_ranges(void **state)
{
	lost_on_failed_replace(*state, arm_alloc, -ENOMEM);
}

/* ------------------------------------------------------------------------ */
/* K25: ioas_map's checks, in iopt_check_iova()'s order */

/* An attached device reserves W..W_LAST; the IOAS maps 64K at 0x40000000. */
static void map_order(struct fx *fx, int resv_err)
{
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);
	const uint64_t busy = 0x40000000ull;
	struct snap *before;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	assert_int_equal(map_at(fx, ioas, busy, 0x10000), 0);
	before = snap_take(fx);
	/* alignment first: a misaligned range inside the window */
	assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, W + 0x10, 0x100000000ull, PG, RW), -EINVAL);
	/* then the wrap, over the window too */
	assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, UINT64_MAX - PG + 1, 0x100000000ull, 2 * PG,
					RW),
			 -EOVERFLOW);
	/* then a reserved range, before an existing mapping it also meets */
	assert_int_equal(map_at(fx, ioas, W, busy + PG - W), resv_err);
	assert_int_equal(map_at(fx, ioas, W + WSZ - PG, PG), resv_err);
	/* and last the mapping */
	assert_int_equal(map_at(fx, ioas, busy + PG, PG), -EEXIST);
	snap_expect_unchanged(fx, before, "failed maps");
}

static void k25_map_checks_in_upstream_order(void **state)
{
	map_order(*state, -EINVAL);
}

static void k25_native_map_names_the_reservation(void **state)
{
	map_order(*state, -EADDRINUSE);
}

/* ------------------------------------------------------------------------ */
/* K33: destroy of an object in use, and close */

static void k33_destroy_in_use_is_ebusy_and_close_frees_all(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);
	struct snap *before;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	fx_expect_msi_alloc(fx, dev, sx_db(0), W + OFF);
	before = snap_take(fx);
	/* iommufd_object_remove(): users left -> -EBUSY, nothing changes */
	assert_int_equal(swmsi_obj_destroy(fx->ctx, a), -EBUSY);
	assert_int_equal(swmsi_obj_destroy(fx->ctx, ioas), -EBUSY);
	snap_expect_unchanged(fx, before, "destroy in use");
	assert_int_equal(mock_iommu_domain_count(fx->mock), 1);
	/* iommufd_fops_release(): every object, domain and page goes */
	swmsi_ctx_destroy(fx->ctx);
	assert_int_equal(mock_iommu_domain_count(fx->mock), 0);
	assert_int_equal(mock_iommu_misuse_count(fx->mock), 0);
	/* a fresh context for the teardown */
	assert_int_equal(swmsi_ctx_create(&fx->opts, &fx->ctx), 0);
}

/* ------------------------------------------------------------------------ */
/* K35: the aperture is reserved when the HWPT is made */

static void k35_aperture_reserved_at_hwpt_alloc(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), hwpt = 0, a;

	/* a mapping past the aperture: the HWPT cannot be made */
	assert_int_equal(map_at(fx, ioas, APER, PG), 0);
	assert_int_equal(swmsi_hwpt_alloc(fx->ctx, ioas, 0, &hwpt), -EADDRINUSE);
	assert_int_equal(hwpt, 0);
	assert_int_equal(swmsi_ioas_unmap(fx->ctx, ioas, APER, PG), 0);
	/* made: everything outside it is reserved, owned by it, attached or not */
	a = fx_hwpt(fx, ioas, 0);
	expect_ranges(fx, ioas, &(struct swmsi_iova_range){ 0, APER - 1 }, 1);
	assert_int_equal(map_at(fx, ioas, APER, PG), -EINVAL);
	assert_int_equal(swmsi_obj_destroy(fx->ctx, a), 0);
	expect_ranges(fx, ioas, &(struct swmsi_iova_range){ 0, UINT64_MAX }, 1);
}

/* ------------------------------------------------------------------------ */
/* K20: windows that overlap without being equal */

#define W2 0x9000000ull /* a second 1 MiB window, apart from W */
#define W3 0xa000000ull /* a third */

static int bind_window_rc(struct fx *fx, uint32_t group, uint64_t start, uint64_t size)
{
	struct swmsi_device_desc d = { .group = group, .sw_msi_start = start, .sw_msi_size = size };
	uint32_t id = SENT32;
	int rc = swmsi_device_bind(fx->ctx, &d, &id);

	if (rc)
		assert_int_equal(id, SENT32);
	return rc;
}

/* Group 1's window W, group 2's W + 1 page: offsets count per start, so
 * group 1's second doorbell and group 2's first share W + 1 page. */
static void k20_overlapping_windows_share_an_iova(void **state)
{
	struct fx *fx = *state;
	uint32_t io1 = fx_ioas(fx), a = fx_hwpt(fx, io1, 0), io2 = fx_ioas(fx);
	uint32_t b = fx_hwpt(fx, io2, 0), d1 = fx_bind(fx, 1);
	uint32_t d2 = fx_bind_window(fx, 2, W + PG, WSZ), v1, v2, auto_pt;

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, a), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, b), 0);
	fx_expect_msi_alloc(fx, d1, sx_db(0), W + OFF);
	v1 = fx_expect_msi_alloc(fx, d1, sx_db(1), W + PG + OFF);
	v2 = fx_expect_msi_alloc(fx, d2, sx_db(2), W + PG + OFF);
	/* one IOVA, two doorbells: each domain routes its own */
	fx_expect_fire(fx, d1, v1, sx_db(1));
	fx_expect_fire(fx, d2, v2, sx_db(2));
	/* on one domain the second page meets the first: the backend's
	 * -EEXIST, and the entry stays (K5) */
	assert_int_equal(swmsi_device_replace(fx->ctx, d2, io1), 0);
	auto_pt = fx_dev_hwpt(fx, d2);
	assert_int_equal(swmsi_device_replace(fx->ctx, d2, a), -EEXIST);
	assert_int_equal(fx_dev_hwpt(fx, d2), auto_pt);
	fx_expect_fire(fx, d2, v2, sx_db(2));
}

static void k20_native_refuses_overlapping_windows(void **state)
{
	struct fx *fx = *state;

	fx_bind(fx, 1);
	assert_int_equal(bind_window_rc(fx, 2, W + PG, WSZ), -EINVAL);
	/* group mates reporting another window */
	assert_int_equal(bind_window_rc(fx, 1, W2, WSZ), -EINVAL);
	assert_int_equal(bind_window_rc(fx, 1, SWMSI_PHYS_NONE, 0), -EINVAL);
}

/* ------------------------------------------------------------------------ */
/* K21: the window is read at each attach (the group's one start) */

/*
 * Group 1: d1 reports W, d2 reports W2. d1's attach writes W, d2's W2;
 * a new page of the group then goes to W2, the old vector keeps W + OFF
 * and fires while its page stays in a. A replace installs only W2's
 * entries: the old vector's write is lost on b.
 */
static void k21_window_read_at_each_attach(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), b = fx_hwpt(fx, ioas, 0);
	uint32_t d1 = fx_bind(fx, 1), d2 = fx_bind_window(fx, 1, W2, WSZ), old, now;

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, a), 0);
	old = fx_expect_msi_alloc(fx, d1, sx_db(0), W + OFF);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, a), 0);
	now = fx_expect_msi_alloc(fx, d1, sx_db(1), W2 + OFF);
	fx_expect_fire(fx, d1, old, sx_db(0));
	fx_expect_fire(fx, d1, now, sx_db(1));
	{
		const struct swmsi_resv_info want[] = {
			{ W, W_LAST, SWMSI_RESV_SW_MSI, d1 },
			{ W2, W2 + WSZ - 1, SWMSI_RESV_SW_MSI, d2 },
		};

		expect_dev_resv(fx, ioas, want, 2);
	}
	/* replace reads no window: still W2, whose entries alone go to b */
	assert_int_equal(swmsi_device_replace(fx->ctx, d2, b), 0);
	fx_expect_fire(fx, d1, now, sx_db(1));
	fx_expect_fire_fails(fx, d1, old, -EFAULT);
	sx_expect_unmapped(fx, b, W);
}

/* DMA_IOMMU: the start a cookie takes is the group's at that attach. */
static void k21_dma_cookie_base_is_the_last_start_written(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), b = fx_hwpt(fx, ioas, 0);
	uint32_t d1 = fx_bind(fx, 1), d2 = fx_bind_window(fx, 1, W2, WSZ);

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, a), 0);
	sx_expect_cookie(fx, a, W, W, 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, a), 0);
	/* a's cookie keeps its base; b's takes the group's start now */
	sx_expect_cookie(fx, a, W, W, 0);
	assert_int_equal(swmsi_device_replace(fx->ctx, d1, b), 0);
	sx_expect_cookie(fx, b, W2, W2, 0);
	fx_expect_msi_alloc(fx, d1, sx_db(0), W2 + OFF);
}

/* ------------------------------------------------------------------------ */
/* K21: when an attach writes the group's start, and when it does not */

#define X_AT  0x1000000ull  /* a DIRECT region the IOAS maps over */
#define Y_AT  0xfee00000ull /* a hardware MSI region, free */
#define R_LEN 0x10000ull

static uint32_t bind_regions(struct fx *fx, uint32_t group, uint64_t win,
			     const struct swmsi_resv_region *r, uint32_t n)
{
	struct swmsi_device_desc d = { .group = group,
				       .sw_msi_start = win,
				       .sw_msi_size = win == SWMSI_PHYS_NONE ? 0 : WSZ,
				       .resv = r,
				       .nr_resv = n };
	uint32_t id = 0;

	assert_int_equal(swmsi_device_bind(fx->ctx, &d, &id), 0);
	return id;
}

/* The group's start, seen as the IOVA a fresh doorbell page of @dev gets:
 * KERNEL's @slot-th page of that start (each call uses a page no entry
 * has yet). */
static void expect_start(struct fx *fx, uint32_t dev, uint64_t start, unsigned int slot)
{
	static unsigned int next = 10;

	fx_expect_msi_alloc(fx, dev, sx_db(next++), start + slot * PG + OFF);
}

static void k21_group_start_written_as_upstream(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), other = fx_hwpt(fx, fx_ioas(fx), 0);
	const struct swmsi_resv_region direct = { X_AT, R_LEN, SWMSI_RESV_DIRECT };
	const struct swmsi_resv_region late[] = { { X_AT, R_LEN, SWMSI_RESV_DIRECT },
						  { W3, WSZ, SWMSI_RESV_SW_MSI } };
	const struct swmsi_resv_region hwmsi = { Y_AT, R_LEN, SWMSI_RESV_MSI };
	uint32_t d1 = fx_bind(fx, 1), nowin = fx_bind_nowin(fx, 1);
	uint32_t win2 = fx_bind_window(fx, 1, W2, WSZ);
	uint32_t conflict_after = bind_regions(fx, 1, W2, &direct, 1);
	uint32_t conflict_before = bind_regions(fx, 1, SWMSI_PHYS_NONE, late, 2);
	uint32_t refused = bind_regions(fx, 1, W3, &hwmsi, 1);
	const struct swmsi_resv_info held[] = { { W, W_LAST, SWMSI_RESV_SW_MSI, d1 } };

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, a), 0);
	expect_start(fx, d1, W, 0);
	/* a window-less device leaves it */
	assert_int_equal(swmsi_device_attach(fx->ctx, nowin, a), 0);
	expect_start(fx, d1, W, 1);
	assert_int_equal(swmsi_device_detach(fx->ctx, nowin), 0);
	/* failures before the regions leave it */
	assert_int_equal(swmsi_device_attach(fx->ctx, win2, other), -EINVAL);
	assert_int_equal(swmsi_device_attach(fx->ctx, d1, a), -EBUSY);
	expect_start(fx, d1, W, 2);
	/* -EADDRINUSE: the window (first) was written before the conflict */
	assert_int_equal(map_at(fx, ioas, X_AT, PG), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, conflict_after, a), -EADDRINUSE);
	expect_start(fx, d1, W2, 0);
	expect_dev_resv(fx, ioas, held, 1);
	/* the SW_MSI entry after the conflict is never reached */
	assert_int_equal(swmsi_device_attach(fx->ctx, conflict_before, a), -EADDRINUSE);
	expect_start(fx, d1, W2, 1);
	/* the refused combination, checked after every region: W3 stays,
	 * and what the attach reserved is released */
	assert_int_equal(swmsi_device_attach(fx->ctx, refused, a), -EINVAL);
	expect_start(fx, d1, W3, 0);
	expect_dev_resv(fx, ioas, held, 1);
	assert_false(fx_dev_info(fx, refused).attached);
}

/* An attach to an IOAS whose automatic domain cannot be made fails before
 * its regions are walked: the group's start stays. */
static void k21_failed_auto_domain_leaves_the_start(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0);
	uint32_t d1 = fx_bind(fx, 1), d2 = fx_bind_window(fx, 1, W2, WSZ);

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, a), 0);
	assert_int_equal(swmsi_device_detach(fx->ctx, d1), 0);
	mock_iommu_fail_domain_alloc(fx->mock, 1, -ENOMEM);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, fx_ioas(fx)), -ENOMEM);
	mock_iommu_fail_domain_alloc(fx->mock, 0, 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, fx_bind_nowin(fx, 1), a), 0);
	fx_expect_msi_alloc(fx, d1, sx_db(0), W + OFF);
}

/* A conflict answers -EADDRINUSE before the combination's -EINVAL. */
static void k23_conflict_answers_before_the_combination(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0);
	const struct swmsi_resv_region both[] = { { W2, WSZ, SWMSI_RESV_SW_MSI },
						  { W3, WSZ, SWMSI_RESV_SW_MSI } };
	const struct swmsi_resv_region hwmsi = { Y_AT, R_LEN, SWMSI_RESV_MSI };
	uint32_t two = bind_regions(fx, 1, SWMSI_PHYS_NONE, both, 2);
	uint32_t mixed = bind_regions(fx, 2, W, &hwmsi, 1);

	/* bound, refused at each attach, nothing left reserved */
	assert_int_equal(swmsi_device_attach(fx->ctx, two, a), -EINVAL);
	assert_int_equal(swmsi_device_attach(fx->ctx, mixed, a), -EINVAL);
	expect_dev_resv(fx, ioas, NULL, 0);
	assert_int_equal(map_at(fx, ioas, Y_AT, PG), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, mixed, a), -EADDRINUSE);
	assert_int_equal(map_at(fx, ioas, W3, PG), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, two, a), -EADDRINUSE);
	expect_dev_resv(fx, ioas, NULL, 0);
}

/* NATIVE refuses the two combinations at bind. */
static void k23_native_refuses_the_combinations_at_bind(void **state)
{
	struct fx *fx = *state;
	const struct swmsi_resv_region both[] = { { W2, WSZ, SWMSI_RESV_SW_MSI },
						  { W3, WSZ, SWMSI_RESV_SW_MSI } };
	const struct swmsi_resv_region hwmsi = { Y_AT, R_LEN, SWMSI_RESV_MSI };
	struct swmsi_device_desc d = {
		.group = 1, .sw_msi_start = SWMSI_PHYS_NONE, .resv = both, .nr_resv = 2
	};
	uint32_t id = SENT32;

	assert_int_equal(swmsi_device_bind(fx->ctx, &d, &id), -EINVAL);
	d = (struct swmsi_device_desc){
		.group = 1, .sw_msi_start = W, .sw_msi_size = WSZ, .resv = &hwmsi, .nr_resv = 1
	};
	assert_int_equal(swmsi_device_bind(fx->ctx, &d, &id), -EINVAL);
	assert_int_equal(id, SENT32);
}

/* ------------------------------------------------------------------------ */
/* K34: the window of a group whose last device detaches */

static void k34_start_survives_detach_and_goes_with_the_group(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), b = fx_hwpt(fx, ioas, 0);
	uint32_t d1 = fx_bind(fx, 1), nowin = fx_bind_nowin(fx, 1), v;

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, a), 0);
	assert_int_equal(swmsi_device_detach(fx->ctx, d1), 0);
	/* the window-less mate attaches alone: the group's start is still W */
	assert_int_equal(swmsi_device_attach(fx->ctx, nowin, b), 0);
	v = fx_expect_msi_alloc(fx, nowin, sx_db(0), W + OFF);
	assert_true(fx_vector_info(fx, nowin, v).translated);
	fx_expect_fire(fx, nowin, v, sx_db(0));
	/* it reserves nothing of its own */
	expect_dev_resv(fx, ioas, NULL, 0);
	/* the group goes with its last device; a new one starts with none */
	assert_int_equal(swmsi_device_unbind(fx->ctx, d1), 0);
	assert_int_equal(swmsi_device_unbind(fx->ctx, nowin), 0);
	nowin = fx_bind_nowin(fx, 1);
	assert_int_equal(swmsi_device_attach(fx->ctx, nowin, b), 0);
	v = fx_expect_msi_alloc(fx, nowin, sx_db(1), sx_db(1));
	assert_false(fx_vector_info(fx, nowin, v).translated);
	fx_expect_fire(fx, nowin, v, sx_db(1));
}

/* A device's window override takes effect at its next attach: the old
 * window's vectors are not installed there, and their writes are lost. */
static void k22_override_takes_effect_at_next_attach(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), b = fx_hwpt(fx, ioas, 0);
	uint32_t d1 = fx_bind(fx, 1), old, now;

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, a), 0);
	old = fx_expect_msi_alloc(fx, d1, sx_db(0), W + OFF);
	assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, d1, W2, WSZ), -EBUSY);
	assert_int_equal(swmsi_device_detach(fx->ctx, d1), 0);
	assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, d1, W2, WSZ), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d1, b), 0);
	now = fx_expect_msi_alloc(fx, d1, sx_db(1), W2 + OFF);
	fx_expect_fire(fx, d1, now, sx_db(1));
	fx_expect_fire_fails(fx, d1, old, -EFAULT);
	expect_dev_resv(fx, ioas,
			&(struct swmsi_resv_info){ W2, W2 + WSZ - 1, SWMSI_RESV_SW_MSI, d1 }, 1);
}

/* ------------------------------------------------------------------------ */
/* D12: a group without a window on a domain that has a cookie */

static void d12_windowless_group_goes_through_the_cookie(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), b = fx_hwpt(fx, ioas, 0);
	uint32_t nowin = fx_bind_nowin(fx, 2), dev = fx_bind(fx, 1), u, v, w;

	/* no cookie on a yet: untranslated, the platform does not remap it */
	assert_int_equal(swmsi_device_attach(fx->ctx, nowin, a), 0);
	u = fx_expect_msi_alloc(fx, nowin, sx_db(0), sx_db(0));
	fx_expect_fire(fx, nowin, u, sx_db(0));
	/* a group with a window gives a its cookie: every group there uses it */
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	v = fx_expect_msi_alloc(fx, nowin, sx_db(1), W + OFF);
	assert_true(fx_vector_info(fx, nowin, v).translated);
	w = fx_expect_msi_alloc(fx, dev, sx_db(1), W + OFF);
	sx_expect_cookie(fx, a, W, W + PG, 1);
	fx_expect_fire(fx, nowin, v, sx_db(1));
	fx_expect_fire(fx, dev, w, sx_db(1));
	fx_expect_fire(fx, nowin, u, sx_db(0));
	/* it fires through the domain like any other: lost on b */
	assert_int_equal(swmsi_device_replace(fx->ctx, nowin, b), 0);
	fx_expect_fire_fails(fx, nowin, v, -EFAULT);
	fx_expect_fire(fx, nowin, u, sx_db(0));
	sx_expect_no_cookie(fx, b);
	/* b has no cookie: untranslated again */
	fx_expect_msi_alloc(fx, nowin, sx_db(2), sx_db(2));
}

/* KERNEL (and NATIVE): a group without a window stays untranslated. */
static void d12_kernel_windowless_group_stays_untranslated(void **state)
{
	struct fx *fx = *state;
	uint32_t a = fx_hwpt(fx, fx_ioas(fx), 0), nowin = fx_bind_nowin(fx, 2);
	uint32_t dev = fx_bind(fx, 1), u;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	fx_expect_msi_alloc(fx, dev, sx_db(1), W + OFF);
	assert_int_equal(swmsi_device_attach(fx->ctx, nowin, a), 0);
	u = fx_expect_msi_alloc(fx, nowin, sx_db(1), sx_db(1));
	assert_false(fx_vector_info(fx, nowin, u).translated);
	fx_expect_fire(fx, nowin, u, sx_db(1));
}

#define TN(fn) cmocka_unit_test_setup_teardown(fn, sx_setup_native, fx_teardown)
#define TK(fn) cmocka_unit_test_setup_teardown(fn, sx_setup_kernel, fx_teardown)
#define TD(fn) cmocka_unit_test_setup_teardown(fn, sx_setup_dma, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TK(k27_second_attach_is_ebusy),
		TD(k27_second_attach_is_ebusy),
		TN(k27_native_second_attach_is_einval),
		TK(k27_group_mate_onto_another_hwpt_is_einval),
		TD(k27_group_mate_onto_another_hwpt_is_einval),
		TN(k27_group_mate_onto_another_hwpt_is_einval),
		TK(k28_detach_not_attached_is_silent),
		TD(k28_detach_not_attached_is_silent),
		TN(k28_native_detach_not_attached_is_einval),
		TK(k36_detached_msi_alloc_is_eopnotsupp),
		TD(k36_dma_and_native_detached_msi_alloc_is_untranslated),
		TN(k36_dma_and_native_detached_msi_alloc_is_untranslated),
		TK(k31_install_in_id_order_stops_at_first_failure),
		TN(k31_native_failed_install_leaves_nothing),
		TK(k32_failed_same_ioas_replace_drops_ranges),
		TD(k32_dma_failed_same_ioas_replace_drops_ranges),
		TK(k25_map_checks_in_upstream_order),
		TD(k25_map_checks_in_upstream_order),
		TN(k25_native_map_names_the_reservation),
		TK(k33_destroy_in_use_is_ebusy_and_close_frees_all),
		TD(k33_destroy_in_use_is_ebusy_and_close_frees_all),
		TN(k33_destroy_in_use_is_ebusy_and_close_frees_all),
		TK(k35_aperture_reserved_at_hwpt_alloc),
		TD(k35_aperture_reserved_at_hwpt_alloc),
		TK(k20_overlapping_windows_share_an_iova),
		TN(k20_native_refuses_overlapping_windows),
		TK(k21_window_read_at_each_attach),
		TD(k21_dma_cookie_base_is_the_last_start_written),
		TK(k21_group_start_written_as_upstream),
		TK(k21_failed_auto_domain_leaves_the_start),
		TK(k23_conflict_answers_before_the_combination),
		TD(k23_conflict_answers_before_the_combination),
		TN(k23_native_refuses_the_combinations_at_bind),
		TK(k34_start_survives_detach_and_goes_with_the_group),
		TK(k22_override_takes_effect_at_next_attach),
		TD(d12_windowless_group_goes_through_the_cookie),
		TK(d12_kernel_windowless_group_stays_untranslated),
		TN(d12_kernel_windowless_group_stays_untranslated),
	};

	return cmocka_run_group_tests_name("scheme_fidelity", tests, NULL, NULL);
}
