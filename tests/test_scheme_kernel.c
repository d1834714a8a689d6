/* SPDX-License-Identifier: MIT */
/*
 * SWMSI_SCHEME_KERNEL: upstream Linux v6.15 iommufd_sw_msi(), weak points
 * included (API.md "Schemes (v0.2)"). Each rule of the contract's KERNEL
 * list has its cases here, with the exact IOVAs, ids and slots it implies:
 *  - ids from a context-wide counter that starts at 0 and never goes back,
 *    capped at 64 ids ever handed out (-EOVERFLOW), hits still succeed;
 *  - slot = 1 + the highest slot of the same window start, never compared
 *    with the window's size (no -ENOSPC);
 *  - the entry is added before the backend map and kept when it fails;
 *  - a failed attach/replace leaves the pages it installed in the target;
 *  - nothing is ever unmapped or freed before the context goes.
 */
#include "scheme_fixture.h"
#include "snapshot.h"

#include <stdio.h>
#include <stdlib.h>

#define W      FX_WINDOW_START
#define PG     0x1000ull
#define OFF    0x40ull
#define W2     0x9000000ull /* a second window, 1 MiB, apart from W */
#define SENT32 0xdeadbeefu
#define SENT64 0xdeadbeefcafef00dull

/* A paging HWPT on a new IOAS. */
static uint32_t new_hwpt(struct fx *fx)
{
	return fx_hwpt(fx, fx_ioas(fx), 0);
}

/* A device of @group with the default window, attached to @hwpt. */
static uint32_t attached_dev(struct fx *fx, uint32_t group, uint32_t hwpt)
{
	uint32_t dev = fx_bind(fx, group);

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, hwpt), 0);
	return dev;
}

/* The table entry of id @id is (@slot, @start, @page) with @vectors users. */
static void expect_map(struct fx *fx, uint32_t id, uint32_t slot, uint64_t start, uint64_t page,
		       uint32_t vectors)
{
	struct swmsi_msi_map_info m = sx_map_by_id(fx, id);

	assert_int_equal(m.slot, slot);
	assert_int_equal(m.sw_msi_start, start);
	assert_int_equal(m.msi_page, page);
	assert_int_equal(m.iova, start + (uint64_t)slot * fx_page_size(fx));
	assert_int_equal(m.vectors, vectors);
}

/* msi_alloc of @db by @dev fails with @err, writing neither out-parameter. */
static void expect_alloc_rc(struct fx *fx, uint32_t dev, uint64_t db, int err)
{
	uint32_t vec = SENT32;
	uint64_t msg = SENT64;

	assert_int_equal(swmsi_msi_alloc(fx->ctx, dev, db, &vec, &msg), err);
	assert_int_equal(vec, SENT32);
	assert_int_equal(msg, SENT64);
}

/* ------------------------------------------------------------------------ */
/* Ids: a counter from 0 that never goes back */

static void msi_alloc_kernel_new_pages_ids_count_from_zero(void **state)
{
	struct fx *fx = *state;
	uint32_t hwpt = new_hwpt(fx), dev = attached_dev(fx, 1, hwpt);
	unsigned int i;

	for (i = 0; i < 4; i++) {
		uint32_t v = fx_expect_msi_alloc(fx, dev, sx_db(i), W + i * PG + OFF);

		expect_map(fx, i, i, W, sx_page_of(fx, sx_db(i)), 1);
		fx_expect_fire(fx, dev, v, sx_db(i));
		sx_expect_mapped(fx, hwpt, W + i * PG, sx_page_of(fx, sx_db(i)), SX_PROT_MSI);
	}
	assert_int_equal(fx_msi_map_count(fx), 4);
}

static void msi_free_kernel_all_vectors_new_page_takes_next_id(void **state)
{
	struct fx *fx = *state;
	uint32_t hwpt = new_hwpt(fx), dev = attached_dev(fx, 1, hwpt);
	uint32_t v0 = fx_expect_msi_alloc(fx, dev, sx_db(0), W + OFF);
	uint32_t v1 = fx_expect_msi_alloc(fx, dev, sx_db(1), W + PG + OFF);
	uint32_t v;

	assert_int_equal(swmsi_msi_free(fx->ctx, dev, v0), 0);
	assert_int_equal(swmsi_msi_free(fx->ctx, dev, v1), 0);
	/* Entries never go: both stay, unused, and so do their ids and slots. */
	assert_int_equal(fx_msi_map_count(fx), 2);
	expect_map(fx, 0, 0, W, sx_page_of(fx, sx_db(0)), 0);
	expect_map(fx, 1, 1, W, sx_page_of(fx, sx_db(1)), 0);
	v = fx_expect_msi_alloc(fx, dev, sx_db(2), W + 2 * PG + OFF);
	expect_map(fx, 2, 2, W, sx_page_of(fx, sx_db(2)), 1);
	fx_expect_fire(fx, dev, v, sx_db(2));
	/* The freed page is a hit: its old id, slot and IOVA. */
	v = fx_expect_msi_alloc(fx, dev, sx_db(0), W + OFF);
	expect_map(fx, 0, 0, W, sx_page_of(fx, sx_db(0)), 1);
	fx_expect_fire(fx, dev, v, sx_db(0));
	assert_int_equal(fx_msi_map_count(fx), 3);
}

/*
 * Ids are context-wide, slots per window start: the first page of a
 * second window gets the next id and slot 0, and the same doorbell page
 * in two windows is two entries.
 */
static void msi_alloc_kernel_second_window_continues_ids_slots_from_zero(void **state)
{
	struct fx *fx = *state;
	uint32_t hwpt = new_hwpt(fx), d1 = attached_dev(fx, 1, hwpt), d2;
	uint32_t v;

	d2 = fx_bind_window(fx, 2, W2, FX_WINDOW_SIZE);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, hwpt), 0);
	fx_expect_msi_alloc(fx, d1, sx_db(0), W + OFF);
	fx_expect_msi_alloc(fx, d1, sx_db(1), W + PG + OFF);
	v = fx_expect_msi_alloc(fx, d2, sx_db(2), W2 + OFF);
	expect_map(fx, 2, 0, W2, sx_page_of(fx, sx_db(2)), 1);
	fx_expect_fire(fx, d2, v, sx_db(2));
	v = fx_expect_msi_alloc(fx, d2, sx_db(0), W2 + PG + OFF);
	expect_map(fx, 3, 1, W2, sx_page_of(fx, sx_db(0)), 1);
	fx_expect_fire(fx, d2, v, sx_db(0));
	v = fx_expect_msi_alloc(fx, d1, sx_db(2), W + 2 * PG + OFF);
	expect_map(fx, 4, 2, W, sx_page_of(fx, sx_db(2)), 1);
	fx_expect_fire(fx, d1, v, sx_db(2));
	assert_int_equal(fx_msi_map_count(fx), 5);
}

/* The same page from a group on another domain is a hit: same IOVA. */
static void msi_alloc_kernel_same_page_other_domain_shares_iova(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), b = fx_hwpt(fx, ioas, 0);
	uint32_t d1 = attached_dev(fx, 1, a), d2 = attached_dev(fx, 2, b), v;

	fx_expect_msi_alloc(fx, d1, sx_db(0), W + OFF);
	fx_expect_msi_alloc(fx, d1, sx_db(1), W + PG + OFF);
	v = fx_expect_msi_alloc(fx, d2, sx_db(1), W + PG + OFF);
	fx_expect_fire(fx, d2, v, sx_db(1));
	expect_map(fx, 1, 1, W, sx_page_of(fx, sx_db(1)), 2);
	sx_expect_mapped(fx, b, W + PG, sx_page_of(fx, sx_db(1)), SX_PROT_MSI);
	sx_expect_unmapped(fx, b, W);
	assert_int_equal(fx_msi_map_count(fx), 2);
}

/* ------------------------------------------------------------------------ */
/* The cap: 64 ids ever handed out */

/* @dev allocates doorbells 0 .. @n - 1, each a new entry. */
static void fill(struct fx *fx, uint32_t dev, unsigned int n, uint32_t *vecs)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint32_t v = fx_expect_msi_alloc(fx, dev, sx_db(i), W + i * PG + OFF);

		if (vecs)
			vecs[i] = v;
	}
}

static void msi_alloc_kernel_65th_new_page_eoverflow_hit_succeeds(void **state)
{
	struct fx *fx = *state;
	uint32_t hwpt = new_hwpt(fx), dev = attached_dev(fx, 1, hwpt), d2, v;

	fill(fx, dev, 64, NULL);
	expect_map(fx, 63, 63, W, sx_page_of(fx, sx_db(63)), 1);
	fx_expect_msi_alloc_fails(fx, dev, sx_db(64), -EOVERFLOW);
	/* A page already in the table never fails for exhaustion. */
	v = fx_expect_msi_alloc(fx, dev, sx_db(63), W + 63 * PG + OFF);
	fx_expect_fire(fx, dev, v, sx_db(63));
	d2 = attached_dev(fx, 2, hwpt);
	v = fx_expect_msi_alloc(fx, d2, sx_db(10), W + 10 * PG + OFF);
	fx_expect_fire(fx, d2, v, sx_db(10));
	/* A new page in another window: the cap is context-wide. */
	d2 = fx_bind_window(fx, 3, W2, FX_WINDOW_SIZE);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, hwpt), 0);
	fx_expect_msi_alloc_fails(fx, d2, sx_db(0), -EOVERFLOW);
	assert_int_equal(fx_msi_map_count(fx), 64);
}

static void msi_free_kernel_all_vectors_65th_new_page_still_eoverflow(void **state)
{
	struct fx *fx = *state;
	uint32_t hwpt = new_hwpt(fx), dev = attached_dev(fx, 1, hwpt);
	uint32_t vecs[64];
	unsigned int i;

	fill(fx, dev, 64, vecs);
	for (i = 0; i < 64; i++)
		assert_int_equal(swmsi_msi_free(fx->ctx, dev, vecs[i]), 0);
	fx_expect_msi_alloc_fails(fx, dev, sx_db(64), -EOVERFLOW);
	assert_int_equal(fx_msi_map_count(fx), 64);
}

/* An id burnt by a failed map counts toward the 64. */
static void msi_alloc_kernel_failed_map_burns_id_toward_cap(void **state)
{
	struct fx *fx = *state;
	uint32_t hwpt = new_hwpt(fx), dev = attached_dev(fx, 1, hwpt), v;

	fill(fx, dev, 63, NULL);
	mock_iommu_fail_map(fx->mock, 1, -EIO);
	expect_alloc_rc(fx, dev, sx_db(63), -EIO);
	expect_map(fx, 63, 63, W, sx_page_of(fx, sx_db(63)), 0);
	fx_expect_msi_alloc_fails(fx, dev, sx_db(64), -EOVERFLOW);
	/* The burnt entry is still a hit, and maps this time. */
	v = fx_expect_msi_alloc(fx, dev, sx_db(63), W + 63 * PG + OFF);
	fx_expect_fire(fx, dev, v, sx_db(63));
	expect_map(fx, 63, 63, W, sx_page_of(fx, sx_db(63)), 1);
}

/* ------------------------------------------------------------------------ */
/* Slots: highest + 1, never compared with the window */

/* 64K pages, 1 MiB window: 16 slots, yet the 17th page gets slot 16. */
static void msi_alloc_kernel_64k_17th_page_iova_past_window_no_enospc(void **state)
{
	struct fx *fx = *state;
	uint32_t hwpt = new_hwpt(fx), dev = attached_dev(fx, 1, hwpt), v = 0;
	const uint64_t pg = 0x10000;
	unsigned int i;

	assert_int_equal(fx_page_size(fx), pg);
	for (i = 0; i < 18; i++) {
		v = fx_expect_msi_alloc(fx, dev, sx_db(i), W + i * pg + OFF);
		expect_map(fx, i, i, W, sx_page_of(fx, sx_db(i)), 1);
		fx_expect_fire(fx, dev, v, sx_db(i));
	}
	/* The 17th page: IOVA W + 16 * 64K, the first byte past the window. */
	assert_int_equal(sx_map_by_id(fx, 16).iova, W + FX_WINDOW_SIZE);
	sx_expect_mapped(fx, hwpt, W + FX_WINDOW_SIZE, sx_page_of(fx, sx_db(16)), SX_PROT_MSI);
	sx_expect_mapped(fx, hwpt, W + FX_WINDOW_SIZE + pg, sx_page_of(fx, sx_db(17)), SX_PROT_MSI);
	assert_int_equal(sx_mapped(fx, hwpt), 18);
}

/*
 * Entries outlive their devices: a later, smaller window at the same start
 * gets slot 1 + the highest, past its own end (NATIVE says -ENOSPC there).
 */
static void msi_alloc_kernel_smaller_window_same_start_slot_past_its_end(void **state)
{
	struct fx *fx = *state;
	uint32_t hwpt = new_hwpt(fx), dev = attached_dev(fx, 1, hwpt), d2, v;

	fill(fx, dev, 3, NULL);
	assert_int_equal(swmsi_device_unbind(fx->ctx, dev), 0);
	assert_int_equal(fx_msi_map_count(fx), 3);
	d2 = fx_bind_window(fx, 2, W, 2 * PG);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, hwpt), 0);
	v = fx_expect_msi_alloc(fx, d2, sx_db(5), W + 3 * PG + OFF);
	expect_map(fx, 3, 3, W, sx_page_of(fx, sx_db(5)), 1);
	fx_expect_fire(fx, d2, v, sx_db(5));
	/* An old page is a hit at its old slot. */
	v = fx_expect_msi_alloc(fx, d2, sx_db(2), W + 2 * PG + OFF);
	fx_expect_fire(fx, d2, v, sx_db(2));
}

/* ------------------------------------------------------------------------ */
/* The entry is added before the map */

static void map_fails_keeps_entry(struct fx *fx, int err)
{
	uint32_t hwpt = new_hwpt(fx), dev = attached_dev(fx, 1, hwpt), v, ids[4];

	fx_expect_msi_alloc(fx, dev, sx_db(0), W + OFF);
	mock_iommu_fail_map(fx->mock, 1, err);
	expect_alloc_rc(fx, dev, sx_db(1), err);
	/* Kept: id 1, slot 1, no vector; neither present nor mapped. */
	assert_int_equal(fx_msi_map_count(fx), 2);
	expect_map(fx, 1, 1, W, sx_page_of(fx, sx_db(1)), 0);
	assert_int_equal(fx_present(fx, hwpt, ids, 4), 1);
	assert_int_equal(ids[0], 0);
	assert_int_equal(sx_mapped(fx, hwpt), 1);
	sx_expect_unmapped(fx, hwpt, W + PG);
	assert_int_equal(fx_dev_info(fx, dev).vectors, 1);
	/* The same page again reuses the entry and maps it. */
	v = fx_expect_msi_alloc(fx, dev, sx_db(1), W + PG + OFF);
	expect_map(fx, 1, 1, W, sx_page_of(fx, sx_db(1)), 1);
	fx_expect_fire(fx, dev, v, sx_db(1));
	sx_expect_mapped(fx, hwpt, W + PG, sx_page_of(fx, sx_db(1)), SX_PROT_MSI);
	assert_int_equal(fx_present(fx, hwpt, ids, 4), 2);
	assert_int_equal(ids[1], 1);
	assert_int_equal(fx_msi_map_count(fx), 2);
}

static void msi_alloc_kernel_map_fails_enomem_keeps_entry_then_reuses_it(void **state)
{
	map_fails_keeps_entry(*state, -ENOMEM);
}

static void msi_alloc_kernel_map_fails_eio_returns_eio_keeps_entry(void **state)
{
	map_fails_keeps_entry(*state, -EIO);
}

/* The burnt slot is not handed to another page. */
static void msi_alloc_kernel_map_fails_next_page_skips_burnt_slot(void **state)
{
	struct fx *fx = *state;
	uint32_t hwpt = new_hwpt(fx), dev = attached_dev(fx, 1, hwpt), v;

	mock_iommu_fail_map(fx->mock, 1, -ENOMEM);
	expect_alloc_rc(fx, dev, sx_db(0), -ENOMEM);
	expect_map(fx, 0, 0, W, sx_page_of(fx, sx_db(0)), 0);
	v = fx_expect_msi_alloc(fx, dev, sx_db(1), W + PG + OFF);
	expect_map(fx, 1, 1, W, sx_page_of(fx, sx_db(1)), 1);
	fx_expect_fire(fx, dev, v, sx_db(1));
	assert_int_equal(sx_mapped(fx, hwpt), 1);
}

/* ------------------------------------------------------------------------ */
/* A failed attach or replace leaves what it installed in the target */

struct scene {
	uint32_t ioas, a, b, dev;
	uint32_t vec[3];
};

/* A group with three pages on a, an empty paging b on the same IOAS. */
static void scene_on_a(struct fx *fx, struct scene *s)
{
	unsigned int i;

	s->ioas = fx_ioas(fx);
	s->a = fx_hwpt(fx, s->ioas, 0);
	s->b = fx_hwpt(fx, s->ioas, 0);
	s->dev = attached_dev(fx, 1, s->a);
	for (i = 0; i < 3; i++)
		s->vec[i] = fx_expect_msi_alloc(fx, s->dev, sx_db(i), W + i * PG + OFF);
}

static void scene_expect_fires(struct fx *fx, const struct scene *s)
{
	unsigned int i;

	for (i = 0; i < 3; i++)
		fx_expect_fire(fx, s->dev, s->vec[i], sx_db(i));
}

static void device_replace_kernel_2nd_install_fails_first_page_stays_in_target(void **state)
{
	struct fx *fx = *state;
	struct ksnap_allow allow = { .grown = 1 };
	uint32_t hw[2], ids[3];
	struct ksnap *before;
	struct scene s;

	scene_on_a(fx, &s);
	hw[0] = s.a;
	hw[1] = s.b;
	before = ksnap_take(fx, hw, 2, &s.dev, 1);
	mock_iommu_fail_map(fx->mock, 2, -EIO);
	assert_int_equal(swmsi_device_replace(fx->ctx, s.dev, s.b), -EIO);
	allow.grown_hwpt = s.b;
	ksnap_expect(fx, before, &allow, "failed replace");
	/* The group stays on a and every vector still reaches its doorbell. */
	assert_int_equal(fx_dev_hwpt(fx, s.dev), s.a);
	scene_expect_fires(fx, &s);
	assert_int_equal(fx_present(fx, s.b, ids, 3), 1);
	assert_int_equal(sx_mapped(fx, s.b), 1);
	/* A retry installs the rest (the present page is not mapped twice). */
	assert_int_equal(swmsi_device_replace(fx->ctx, s.dev, s.b), 0);
	assert_int_equal(fx_dev_hwpt(fx, s.dev), s.b);
	scene_expect_fires(fx, &s);
	assert_int_equal(fx_present(fx, s.b, ids, 3), 3);
	assert_int_equal(sx_mapped(fx, s.b), 3);
}

static void device_attach_kernel_3rd_install_fails_two_pages_stay_in_target(void **state)
{
	struct fx *fx = *state;
	struct ksnap_allow allow = { .grown = 2 };
	uint32_t hw[2], ids[3];
	struct ksnap *before;
	struct scene s;
	unsigned int i;

	scene_on_a(fx, &s);
	assert_int_equal(swmsi_device_detach(fx->ctx, s.dev), 0);
	hw[0] = s.a;
	hw[1] = s.b;
	before = ksnap_take(fx, hw, 2, &s.dev, 1);
	mock_iommu_fail_map(fx->mock, 3, -ENOMEM);
	assert_int_equal(swmsi_device_attach(fx->ctx, s.dev, s.b), -ENOMEM);
	allow.grown_hwpt = s.b;
	ksnap_expect(fx, before, &allow, "failed attach");
	assert_int_equal(fx_dev_hwpt(fx, s.dev), 0);
	for (i = 0; i < 3; i++)
		fx_expect_fire_fails(fx, s.dev, s.vec[i], -EFAULT);
	assert_int_equal(fx_present(fx, s.b, ids, 3), 2);
	assert_int_equal(swmsi_device_attach(fx->ctx, s.dev, s.b), 0);
	scene_expect_fires(fx, &s);
	assert_int_equal(sx_mapped(fx, s.b), 3);
}

/* ------------------------------------------------------------------------ */
/* Nothing is unmapped before the context goes */

static void msi_free_kernel_detach_unbind_unmap_nothing(void **state)
{
	struct fx *fx = *state;
	struct scene s;
	unsigned int i;

	scene_on_a(fx, &s);
	for (i = 0; i < 3; i++)
		assert_int_equal(swmsi_msi_free(fx->ctx, s.dev, s.vec[i]), 0);
	assert_int_equal(fx_present(fx, s.a, NULL, 0), 3);
	assert_int_equal(sx_mapped(fx, s.a), 3);
	for (i = 0; i < 3; i++)
		expect_map(fx, i, i, W, sx_page_of(fx, sx_db(i)), 0);
	assert_int_equal(swmsi_device_detach(fx->ctx, s.dev), 0);
	assert_int_equal(fx_present(fx, s.a, NULL, 0), 3);
	assert_int_equal(sx_mapped(fx, s.a), 3);
	assert_int_equal(swmsi_device_unbind(fx->ctx, s.dev), 0);
	assert_int_equal(sx_mapped(fx, s.a), 3);
	assert_int_equal(fx_msi_map_count(fx), 3);
	for (i = 0; i < 3; i++)
		sx_expect_mapped(fx, s.a, W + i * PG, sx_page_of(fx, sx_db(i)), SX_PROT_MSI);
}

/* After a replace the old domain keeps every page too. */
static void device_replace_kernel_old_domain_keeps_pages(void **state)
{
	struct fx *fx = *state;
	struct scene s;

	scene_on_a(fx, &s);
	assert_int_equal(swmsi_device_replace(fx->ctx, s.dev, s.b), 0);
	scene_expect_fires(fx, &s);
	assert_int_equal(fx_present(fx, s.a, NULL, 0), 3);
	assert_int_equal(sx_mapped(fx, s.a), 3);
	assert_int_equal(sx_mapped(fx, s.b), 3);
}

/* ------------------------------------------------------------------------ */
/* swmsi_ctx_create under KERNEL */

static void ctx_create_kernel_reclaim_unused_einval(void **state)
{
	(void)state;
	assert_int_equal(sx_create_rc(SWMSI_SCHEME_KERNEL, SWMSI_RECLAIM_UNUSED, 0), -EINVAL);
	assert_int_equal(sx_create_rc(SWMSI_SCHEME_KERNEL, SWMSI_RECLAIM_UNUSED, 64), -EINVAL);
	assert_int_equal(sx_create_rc(SWMSI_SCHEME_KERNEL, SWMSI_RECLAIM_NONE, 0), 0);
}

static void ctx_create_kernel_max_msi_maps_0_or_64_ok(void **state)
{
	(void)state;
	assert_int_equal(sx_create_rc(SWMSI_SCHEME_KERNEL, SWMSI_RECLAIM_NONE, 0), 0);
	assert_int_equal(sx_create_rc(SWMSI_SCHEME_KERNEL, SWMSI_RECLAIM_NONE, 64), 0);
}

static void ctx_create_kernel_max_msi_maps_32_or_128_einval(void **state)
{
	(void)state;
	assert_int_equal(sx_create_rc(SWMSI_SCHEME_KERNEL, SWMSI_RECLAIM_NONE, 32), -EINVAL);
	assert_int_equal(sx_create_rc(SWMSI_SCHEME_KERNEL, SWMSI_RECLAIM_NONE, 128), -EINVAL);
	assert_int_equal(sx_create_rc(SWMSI_SCHEME_KERNEL, SWMSI_RECLAIM_NONE, 1), -EINVAL);
	assert_int_equal(sx_create_rc(SWMSI_SCHEME_KERNEL, SWMSI_RECLAIM_NONE, 65), -EINVAL);
}

/* max_msi_maps 64 spelled out behaves as the default: 64 ids, then -EOVERFLOW. */
static void msi_alloc_kernel_max_msi_maps_64_caps_at_64(void **state)
{
	struct swmsi_ctx_opts o = { .max_msi_maps = 64, .scheme = SWMSI_SCHEME_KERNEL };
	struct fx *fx = fx_new(&o);
	uint32_t hwpt = new_hwpt(fx), dev = attached_dev(fx, 1, hwpt);

	(void)state;
	fill(fx, dev, 64, NULL);
	fx_expect_msi_alloc_fails(fx, dev, sx_db(64), -EOVERFLOW);
	fx_free(fx);
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, sx_setup_kernel, fx_teardown)
#define T64(fn) cmocka_unit_test_setup_teardown(fn, sx_setup_kernel_64k, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(msi_alloc_kernel_new_pages_ids_count_from_zero),
		T(msi_free_kernel_all_vectors_new_page_takes_next_id),
		T(msi_alloc_kernel_second_window_continues_ids_slots_from_zero),
		T(msi_alloc_kernel_same_page_other_domain_shares_iova),
		T(msi_alloc_kernel_65th_new_page_eoverflow_hit_succeeds),
		T(msi_free_kernel_all_vectors_65th_new_page_still_eoverflow),
		T(msi_alloc_kernel_failed_map_burns_id_toward_cap),
		T64(msi_alloc_kernel_64k_17th_page_iova_past_window_no_enospc),
		T(msi_alloc_kernel_smaller_window_same_start_slot_past_its_end),
		T(msi_alloc_kernel_map_fails_enomem_keeps_entry_then_reuses_it),
		T(msi_alloc_kernel_map_fails_eio_returns_eio_keeps_entry),
		T(msi_alloc_kernel_map_fails_next_page_skips_burnt_slot),
		T(device_replace_kernel_2nd_install_fails_first_page_stays_in_target),
		T(device_attach_kernel_3rd_install_fails_two_pages_stay_in_target),
		T(msi_free_kernel_detach_unbind_unmap_nothing),
		T(device_replace_kernel_old_domain_keeps_pages),
		cmocka_unit_test(ctx_create_kernel_reclaim_unused_einval),
		cmocka_unit_test(ctx_create_kernel_max_msi_maps_0_or_64_ok),
		cmocka_unit_test(ctx_create_kernel_max_msi_maps_32_or_128_einval),
		cmocka_unit_test(msi_alloc_kernel_max_msi_maps_64_caps_at_64),
	};

	return cmocka_run_group_tests_name("scheme_kernel", tests, NULL, NULL);
}
