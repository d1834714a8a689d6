/* SPDX-License-Identifier: MIT */
/*
 * Object lifecycle: ids, isolated contexts, bind rules, attach rules, group
 * semantics (a group joins with its first device and leaves with its last;
 * replace moves it whole), unbind, and what detach keeps.
 */
#include "fixture.h"
#include "snapshot.h"

#include <stdio.h>

#define RW  (SWMSI_PROT_READ | SWMSI_PROT_WRITE)
#define DB0 (FX_ITS_PAGE + 0x40)
#define DB1 (FX_ITS_PAGE + 0x10000 + 0x40)

static int bind_dev(struct fx *fx, uint32_t group, uint64_t start, uint64_t size, uint32_t *id)
{
	struct swmsi_device_desc d = { .group = group, .sw_msi_start = start, .sw_msi_size = size };

	return swmsi_device_bind(fx->ctx, &d, id);
}

/* A bind that must fail with -EINVAL and change nothing. */
static void expect_bind_fails(struct fx *fx, uint32_t group, uint64_t start, uint64_t size)
{
	struct snap *before = snap_take(fx);
	uint32_t id = 0;
	char label[96];

	snprintf(label, sizeof(label), "bind group %u window 0x%llx+0x%llx", group,
		 (unsigned long long)start, (unsigned long long)size);
	if (bind_dev(fx, group, start, size, &id) != -EINVAL)
		fail_msg("%s: want -EINVAL", label);
	assert_int_equal(id, 0);
	snap_expect_unchanged(fx, before, label);
}

/* ------------------------------------------------------------------------ */
/* Ids */

static void ids_new_context_starts_at_one_shared_by_every_kind(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h, dev, n = 0;

	assert_int_equal(ioas, 1);
	h = fx_hwpt(fx, ioas, SWMSI_HWPT_NEST_PARENT);
	assert_int_equal(h, 2);
	assert_int_equal(swmsi_hwpt_alloc_nested(fx->ctx, h, &n), 0);
	assert_int_equal(n, 3);
	dev = fx_bind(fx, 1);
	assert_int_equal(dev, 4);
}

static void ids_allocated_cyclically_freed_id_not_reused_next(void **state)
{
	struct fx *fx = *state;
	uint32_t a = fx_ioas(fx), b = fx_ioas(fx), c, d, e;
	enum swmsi_obj_type t;

	assert_int_equal(a, 1);
	assert_int_equal(b, 2);
	assert_int_equal(swmsi_destroy(fx->ctx, a), 0);
	c = fx_ioas(fx);
	assert_int_equal(c, 3);
	assert_int_equal(swmsi_destroy(fx->ctx, c), 0);
	d = fx_bind(fx, 1);
	assert_int_equal(d, 4);
	assert_int_equal(swmsi_device_unbind(fx->ctx, d), 0);
	e = fx_ioas(fx);
	assert_int_equal(e, 5);
	assert_int_equal(swmsi_obj_type(fx->ctx, a, &t), -ENOENT);
	assert_int_equal(swmsi_obj_type(fx->ctx, c, &t), -ENOENT);
	assert_int_equal(swmsi_obj_type(fx->ctx, d, &t), -ENOENT);
	assert_int_equal(swmsi_obj_type(fx->ctx, b, &t), 0);
	assert_int_equal(t, SWMSI_OBJ_IOAS);
}

/* An automatic HWPT takes an id from the same space. */
static void ids_auto_hwpt_takes_next_id(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), dev = fx_bind(fx, 1);

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
	assert_int_equal(fx_dev_info(fx, dev).hwpt_id, 3);
	assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);
	assert_int_equal(fx_ioas(fx), 4);
}

static void ids_never_zero_over_many_objects(void **state)
{
	struct fx *fx = *state;
	uint32_t prev = 0, i;

	for (i = 0; i < 300; i++) {
		uint32_t id = fx_ioas(fx);

		assert_int_not_equal(id, 0);
		assert_true(id > prev);
		prev = id;
		assert_int_equal(swmsi_destroy(fx->ctx, id), 0);
	}
}

/* Every object kind reports its own type. */
static void obj_type_reports_each_kind(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, SWMSI_HWPT_NEST_PARENT), n = 0;
	uint32_t dev = fx_bind(fx, 1);
	enum swmsi_obj_type t;
	struct swmsi_ctx_stats st;

	assert_int_equal(swmsi_hwpt_alloc_nested(fx->ctx, h, &n), 0);
	assert_int_equal(swmsi_obj_type(fx->ctx, ioas, &t), 0);
	assert_int_equal(t, SWMSI_OBJ_IOAS);
	assert_int_equal(swmsi_obj_type(fx->ctx, h, &t), 0);
	assert_int_equal(t, SWMSI_OBJ_HWPT_PAGING);
	assert_int_equal(swmsi_obj_type(fx->ctx, n, &t), 0);
	assert_int_equal(t, SWMSI_OBJ_HWPT_NESTED);
	assert_int_equal(swmsi_obj_type(fx->ctx, dev, &t), 0);
	assert_int_equal(t, SWMSI_OBJ_DEVICE);
	assert_int_equal(swmsi_ctx_stats(fx->ctx, &st), 0);
	assert_int_equal(st.objects, 4);
}

/* ------------------------------------------------------------------------ */
/* Contexts are isolated */

static void ctx_two_contexts_isolated(void **state)
{
	struct fx *a = *state, *b;
	struct swmsi_ctx_opts o = { 0 };
	uint32_t ia, ib, ha, hb, da, db, va, vb, extra;
	struct swmsi_msi_map_info maps[4];
	struct swmsi_ctx_stats st;
	enum swmsi_obj_type t;
	uint64_t ma = 0, mb = 0;
	size_t n = 0;

	b = fx_new(&o);
	ia = fx_ioas(a);
	ib = fx_ioas(b);
	/* Each id space starts at 1. */
	assert_int_equal(ia, 1);
	assert_int_equal(ib, 1);
	ha = fx_hwpt(a, ia, 0);
	extra = fx_ioas(a);
	hb = fx_hwpt(b, ib, 0);
	assert_int_equal(hb, 2);
	da = fx_bind(a, 1);
	/* The same group number and window in the other context: independent. */
	db = fx_bind(b, 1);
	assert_int_equal(swmsi_device_attach(a->ctx, da, ha), 0);
	assert_int_equal(swmsi_device_attach(b->ctx, db, hb), 0);
	va = fx_msi_alloc(a, da, DB0, &ma);
	vb = fx_msi_alloc(b, db, DB1, &mb);
	/* Each table gives its own first slot, for different doorbells. */
	assert_int_equal(ma, FX_WINDOW_START + 0x40);
	assert_int_equal(mb, FX_WINDOW_START + 0x40);
	fx_expect_fire(a, da, va, DB0);
	fx_expect_fire(b, db, vb, DB1);
	assert_int_equal(swmsi_msi_map_list(b->ctx, maps, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(maps[0].msi_page, DB1 & ~0xfffull);
	/* One id, two objects: an IOAS in one context, a device in the other. */
	assert_int_equal(extra, db);
	assert_int_equal(swmsi_obj_type(a->ctx, extra, &t), 0);
	assert_int_equal(t, SWMSI_OBJ_IOAS);
	assert_int_equal(swmsi_obj_type(b->ctx, db, &t), 0);
	assert_int_equal(t, SWMSI_OBJ_DEVICE);
	/* An id alive in one context only. */
	assert_int_equal(swmsi_obj_type(b->ctx, da, &t), -ENOENT);
	/* Destroying one context leaves the other working. */
	assert_int_equal(swmsi_ctx_stats(b->ctx, &st), 0);
	assert_int_equal(st.objects, 3);
	fx_free(b);
	fx_expect_fire(a, da, va, DB0);
	assert_int_equal(swmsi_ctx_stats(a->ctx, &st), 0);
	assert_int_equal(st.objects, 4);
	assert_int_equal(st.msi_maps, 1);
}

/* Two contexts sharing one backend: each sees only its own domains. */
static void ctx_two_contexts_one_mock_keep_separate_domains(void **state)
{
	struct fx *fx = *state;
	struct swmsi_ctx_opts o = { .iommu = mock_iommu_ops(), .iommu_priv = fx->mock };
	struct swmsi_ctx *other = NULL;
	uint32_t i1, i2, h1 = 0, h2 = 0;
	uint64_t pa = 0;

	assert_int_equal(swmsi_ctx_create(&o, &other), 0);
	i1 = fx_ioas(fx);
	h1 = fx_hwpt(fx, i1, 0);
	assert_int_equal(swmsi_ioas_alloc(other, &i2), 0);
	assert_int_equal(swmsi_hwpt_alloc(other, i2, 0, &h2), 0);
	assert_int_equal(h1, h2);
	assert_int_equal(swmsi_ioas_map(fx->ctx, i1, 0x100000, 0x40000000, 0x1000, RW), 0);
	assert_int_equal(swmsi_hwpt_iova_to_phys(other, h2, 0x100000, &pa), -ENOENT);
	assert_int_equal(swmsi_ioas_map(other, i2, 0x100000, 0x50000000, 0x1000, RW), 0);
	assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, h1, 0x100000, &pa), 0);
	assert_int_equal(pa, 0x40000000);
	assert_int_equal(mock_iommu_domain_count(fx->mock), 2);
	swmsi_ctx_destroy(other);
	assert_int_equal(mock_iommu_domain_count(fx->mock), 1);
	assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, h1, 0x100000, &pa), 0);
	assert_int_equal(pa, 0x40000000);
}

/* ------------------------------------------------------------------------ */
/* Bind rules */

static void device_bind_bad_window_fails_einval(void **state)
{
	struct fx *fx = *state;

	expect_bind_fails(fx, 1, FX_WINDOW_START + 0x800, FX_WINDOW_SIZE);
	expect_bind_fails(fx, 1, FX_WINDOW_START, FX_WINDOW_SIZE + 0x800);
	expect_bind_fails(fx, 1, FX_WINDOW_START, 0);
	expect_bind_fails(fx, 1, 0xfffffffffff00000ull, 0x200000);
	expect_bind_fails(fx, 1, 0xfffffffffffff000ull, 0x2000);
}

static void device_bind_group_with_different_window_fails_einval(void **state)
{
	struct fx *fx = *state;
	struct swmsi_device_info di;
	uint32_t d2 = 0;

	fx_bind(fx, 1);
	expect_bind_fails(fx, 1, 0x20000000, FX_WINDOW_SIZE);
	expect_bind_fails(fx, 1, FX_WINDOW_START, FX_WINDOW_SIZE / 2);
	expect_bind_fails(fx, 1, SWMSI_PHYS_NONE, 0);
	/* The same window joins the group. */
	assert_int_equal(bind_dev(fx, 1, FX_WINDOW_START, FX_WINDOW_SIZE, &d2), 0);
	di = fx_dev_info(fx, d2);
	assert_int_equal(di.group, 1);
	assert_int_equal(di.sw_msi_start, FX_WINDOW_START);
	assert_int_equal(di.sw_msi_size, FX_WINDOW_SIZE);
	assert_false(di.attached);
	assert_int_equal(di.hwpt_id, 0);
}

static void device_bind_windowless_group_rejects_window(void **state)
{
	struct fx *fx = *state;
	struct swmsi_device_info di;
	uint32_t d2 = 0;

	fx_bind_nowin(fx, 5);
	expect_bind_fails(fx, 5, FX_WINDOW_START, FX_WINDOW_SIZE);
	/* Size is ignored without a window. */
	assert_int_equal(bind_dev(fx, 5, SWMSI_PHYS_NONE, 0x12345, &d2), 0);
	di = fx_dev_info(fx, d2);
	assert_int_equal(di.sw_msi_start, SWMSI_PHYS_NONE);
	assert_int_equal(di.sw_msi_size, 0);
}

static void device_bind_overlapping_window_fails_einval(void **state)
{
	struct fx *fx = *state;
	uint32_t d = 0;

	fx_bind(fx, 1);
	expect_bind_fails(fx, 2, FX_WINDOW_START + 0x80000, FX_WINDOW_SIZE);
	expect_bind_fails(fx, 2, FX_WINDOW_START - 0x80000, FX_WINDOW_SIZE);
	expect_bind_fails(fx, 2, FX_WINDOW_START + 0x1000, 0x1000);
	expect_bind_fails(fx, 2, FX_WINDOW_START - 0x1000, FX_WINDOW_SIZE + 0x2000);
	/* Adjacent windows do not overlap. */
	assert_int_equal(bind_dev(fx, 2, FX_WINDOW_START + FX_WINDOW_SIZE, FX_WINDOW_SIZE, &d), 0);
	assert_int_equal(bind_dev(fx, 3, FX_WINDOW_START - 0x1000, 0x1000, &d), 0);
}

static void device_bind_identical_windows_across_groups_succeed(void **state)
{
	struct fx *fx = *state;
	uint32_t d1 = fx_bind(fx, 1), d2 = fx_bind(fx, 2), d3 = fx_bind(fx, 3);

	assert_int_equal(fx_dev_info(fx, d1).group, 1);
	assert_int_equal(fx_dev_info(fx, d2).group, 2);
	assert_int_equal(fx_dev_info(fx, d3).sw_msi_start, FX_WINDOW_START);
}

/* The overlap rule is about bound devices: once unbound, the range is free. */
static void device_bind_overlap_allowed_after_unbind(void **state)
{
	struct fx *fx = *state;
	uint32_t d1 = fx_bind(fx, 1), d2 = 0;

	assert_int_equal(swmsi_device_unbind(fx->ctx, d1), 0);
	assert_int_equal(bind_dev(fx, 2, FX_WINDOW_START + 0x80000, FX_WINDOW_SIZE, &d2), 0);
}

/*
 * Under RECLAIM_NONE an unbound device's entries outlive it, at IOVAs of its
 * window: a new window overlapping them from another start would be a
 * second slot space over the same range, so bind refuses it. The same start
 * shares the slot space and is fine, whatever the size.
 */
static void device_bind_overlapping_stale_entries_fails_einval(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0), d1 = fx_bind(fx, 1), d2 = 0;

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, h), 0);
	fx_expect_msi_alloc(fx, d1, FX_ITS_PAGE, FX_WINDOW_START);
	assert_int_equal(swmsi_device_unbind(fx->ctx, d1), 0);
	assert_int_equal(fx_msi_map_count(fx), 1);
	expect_bind_fails(fx, 2, FX_WINDOW_START - 0x1000, 0x10000);
	expect_bind_fails(fx, 2, FX_WINDOW_START - 0x80000, FX_WINDOW_SIZE);
	assert_int_equal(bind_dev(fx, 2, FX_WINDOW_START, 0x10000, &d2), 0);
}

/* ------------------------------------------------------------------------ */
/* Attach rules */

static void device_attach_attached_device_fails_einval(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h1 = fx_hwpt(fx, ioas, 0), h2 = fx_hwpt(fx, ioas, 0);
	uint32_t dev = fx_bind(fx, 1);
	struct snap *before;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h1), 0);
	before = snap_take(fx);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h1), -EINVAL);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h2), -EINVAL);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), -EINVAL);
	snap_expect_unchanged(fx, before, "attach of an attached device");
}

static void device_attach_group_on_other_hwpt_fails_einval(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h1 = fx_hwpt(fx, ioas, 0), h2 = fx_hwpt(fx, ioas, 0);
	uint32_t d1 = fx_bind(fx, 1), d2 = fx_bind(fx, 1);
	struct snap *before;

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, h1), 0);
	before = snap_take(fx);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, h2), -EINVAL);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, ioas), -EINVAL);
	snap_expect_unchanged(fx, before, "attach with the group elsewhere");
	/* To the group's own HWPT it is fine. */
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, h1), 0);
	assert_true(fx_dev_info(fx, d2).attached);
	assert_int_equal(fx_hwpt_info(fx, h1).groups, 1);
}

static void device_replace_or_detach_not_attached_fails_einval(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0), d1 = fx_bind(fx, 1);
	uint32_t d2 = fx_bind(fx, 1);
	struct snap *before;

	before = snap_take(fx);
	assert_int_equal(swmsi_device_replace(fx->ctx, d1, h), -EINVAL);
	assert_int_equal(swmsi_device_detach(fx->ctx, d1), -EINVAL);
	snap_expect_unchanged(fx, before, "replace/detach of a detached device");
	/* Its group being attached through another device does not count. */
	assert_int_equal(swmsi_device_attach(fx->ctx, d1, h), 0);
	assert_int_equal(swmsi_device_replace(fx->ctx, d2, h), -EINVAL);
	assert_int_equal(swmsi_device_detach(fx->ctx, d2), -EINVAL);
	assert_false(fx_dev_info(fx, d2).attached);
	assert_int_equal(fx_dev_info(fx, d2).hwpt_id, h);
}

/* ------------------------------------------------------------------------ */
/* Groups */

static void group_joins_with_first_device_leaves_with_last(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0);
	uint32_t d1 = fx_bind(fx, 1), d2 = fx_bind(fx, 1);
	struct swmsi_device_info di;

	assert_int_equal(fx_hwpt_info(fx, h).groups, 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d1, h), 0);
	assert_int_equal(fx_hwpt_info(fx, h).groups, 1);
	/* The group sits on h; d2 belongs to it without being attached. */
	di = fx_dev_info(fx, d2);
	assert_false(di.attached);
	assert_int_equal(di.hwpt_id, h);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, h), 0);
	assert_int_equal(fx_hwpt_info(fx, h).groups, 1);
	assert_int_equal(swmsi_device_detach(fx->ctx, d1), 0);
	/* d2 keeps the group there. */
	assert_int_equal(fx_hwpt_info(fx, h).groups, 1);
	assert_int_equal(fx_dev_info(fx, d1).hwpt_id, h);
	assert_false(fx_dev_info(fx, d1).attached);
	assert_int_equal(swmsi_destroy(fx->ctx, h), -EBUSY);
	assert_int_equal(swmsi_device_detach(fx->ctx, d2), 0);
	assert_int_equal(fx_hwpt_info(fx, h).groups, 0);
	assert_int_equal(fx_dev_info(fx, d1).hwpt_id, 0);
	assert_int_equal(fx_dev_info(fx, d2).hwpt_id, 0);
	assert_int_equal(swmsi_destroy(fx->ctx, h), 0);
}

static void device_replace_moves_whole_group(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h1 = fx_hwpt(fx, ioas, 0), h2 = fx_hwpt(fx, ioas, 0);
	uint32_t d1 = fx_bind(fx, 1), d2 = fx_bind(fx, 1), d3 = fx_bind(fx, 1);
	uint32_t other = fx_bind(fx, 2), v1, v2;
	uint64_t m1 = 0, m2 = 0;

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, h1), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, h1), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, other, h1), 0);
	v1 = fx_msi_alloc(fx, d1, DB0, &m1);
	v2 = fx_msi_alloc(fx, d2, DB1, &m2);
	assert_int_equal(swmsi_device_replace(fx->ctx, d2, h2), 0);
	assert_int_equal(fx_dev_info(fx, d1).hwpt_id, h2);
	assert_int_equal(fx_dev_info(fx, d2).hwpt_id, h2);
	assert_int_equal(fx_dev_info(fx, d3).hwpt_id, h2);
	assert_true(fx_dev_info(fx, d1).attached);
	assert_true(fx_dev_info(fx, d2).attached);
	assert_false(fx_dev_info(fx, d3).attached);
	/* Another group is not moved. */
	assert_int_equal(fx_dev_info(fx, other).hwpt_id, h1);
	assert_int_equal(fx_hwpt_info(fx, h1).groups, 1);
	assert_int_equal(fx_hwpt_info(fx, h2).groups, 1);
	/* Both devices' vectors followed the group. */
	fx_expect_fire(fx, d1, v1, DB0);
	fx_expect_fire(fx, d2, v2, DB1);
	/* d3 may attach to h2 only now. */
	assert_int_equal(swmsi_device_attach(fx->ctx, d3, h1), -EINVAL);
	assert_int_equal(swmsi_device_attach(fx->ctx, d3, h2), 0);
}

/* msi_alloc follows the group: a detached device of an attached group translates. */
static void msi_alloc_unattached_device_of_attached_group_translates(void **state)
{
	struct fx *fx = *state;
	uint32_t h = fx_hwpt(fx, fx_ioas(fx), 0), d1 = fx_bind(fx, 1), d2 = fx_bind(fx, 1), v;
	uint64_t m = 0;

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, h), 0);
	v = fx_msi_alloc(fx, d2, DB0, &m);
	assert_int_equal(m, FX_WINDOW_START + 0x40);
	fx_expect_fire(fx, d2, v, DB0);
}

/* ------------------------------------------------------------------------ */
/* Unbind */

static void device_unbind_detaches_and_frees_vectors(void **state)
{
	struct fx *fx = *state;
	uint32_t h = fx_hwpt(fx, fx_ioas(fx), 0), dev = fx_bind(fx, 1), keep = fx_bind(fx, 2);
	struct swmsi_msi_map_info maps[4];
	struct swmsi_ctx_stats st;
	uint64_t m = 0;
	size_t n = 0;
	uint32_t v;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, keep, h), 0);
	fx_msi_alloc(fx, dev, DB0, &m);
	fx_msi_alloc(fx, dev, DB1, &m);
	v = fx_msi_alloc(fx, keep, DB0, &m);
	assert_int_equal(swmsi_device_unbind(fx->ctx, dev), 0);
	assert_int_equal(fx_hwpt_info(fx, h).groups, 1);
	assert_int_equal(swmsi_msi_map_list(fx->ctx, maps, 4, &n), 0);
	/* Reclaim none: entries stay, but no vector of dev uses them. */
	assert_int_equal(n, 2);
	assert_int_equal(maps[0].vectors, 1);
	assert_int_equal(maps[1].vectors, 0);
	fx_expect_fire(fx, keep, v, DB0);
	assert_int_equal(swmsi_device_unbind(fx->ctx, keep), 0);
	assert_int_equal(fx_hwpt_info(fx, h).groups, 0);
	assert_int_equal(swmsi_ctx_stats(fx->ctx, &st), 0);
	assert_int_equal(st.objects, 2);
	/* Nothing holds the HWPT any more. */
	assert_int_equal(swmsi_destroy(fx->ctx, h), 0);
}

static void device_unbind_reclaim_unmaps_and_frees_entries(void **state)
{
	struct fx *fx = *state;
	uint32_t h = fx_hwpt(fx, fx_ioas(fx), 0), dev = fx_bind(fx, 1);
	struct swmsi_ctx_stats st;
	uint64_t m = 0;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h), 0);
	fx_msi_alloc(fx, dev, DB0, &m);
	fx_msi_alloc(fx, dev, DB1, &m);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, h)), 2);
	assert_int_equal(swmsi_device_unbind(fx->ctx, dev), 0);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, h)), 0);
	assert_int_equal(swmsi_ctx_stats(fx->ctx, &st), 0);
	assert_int_equal(st.msi_maps, 0);
}

/* Unbinding one device of a group leaves the group where it is. */
static void device_unbind_one_of_group_keeps_group_attached(void **state)
{
	struct fx *fx = *state;
	uint32_t h = fx_hwpt(fx, fx_ioas(fx), 0), d1 = fx_bind(fx, 1), d2 = fx_bind(fx, 1);
	struct swmsi_msi_map_info maps[4];
	uint64_t m = 0;
	size_t n = 0;
	uint32_t v;

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, h), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, h), 0);
	fx_msi_alloc(fx, d1, DB0, &m);
	v = fx_msi_alloc(fx, d2, DB0, &m);
	assert_int_equal(swmsi_device_unbind(fx->ctx, d1), 0);
	assert_true(fx_dev_info(fx, d2).attached);
	assert_int_equal(fx_dev_info(fx, d2).hwpt_id, h);
	assert_int_equal(fx_hwpt_info(fx, h).groups, 1);
	assert_int_equal(swmsi_msi_map_list(fx->ctx, maps, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(maps[0].vectors, 1);
	fx_expect_fire(fx, d2, v, DB0);
}

/* Under reclaim pages go when the group leaves, not when one device does. */
static void device_detach_reclaim_keeps_pages_until_group_leaves(void **state)
{
	struct fx *fx = *state;
	uint32_t h = fx_hwpt(fx, fx_ioas(fx), 0), d1 = fx_bind(fx, 1), d2 = fx_bind(fx, 1);
	void *dom = fx_domain(fx, h);
	uint64_t m = 0;
	uint32_t v;

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, h), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, h), 0);
	v = fx_msi_alloc(fx, d1, DB0, &m);
	assert_int_equal(swmsi_device_detach(fx->ctx, d1), 0);
	/* The group is still on h through d2, and d1's vector follows the group. */
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, dom), 1);
	fx_expect_fire(fx, d1, v, DB0);
	assert_int_equal(swmsi_device_detach(fx->ctx, d2), 0);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, dom), 0);
	fx_expect_fire_fails(fx, d1, v, -EFAULT);
}

/* ------------------------------------------------------------------------ */
/* Detach keeps vectors and required ids */

static void device_detach_keeps_vectors_reattach_fires_again(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h1 = fx_hwpt(fx, ioas, 0), h2 = fx_hwpt(fx, ioas, 0);
	uint32_t dev = fx_bind(fx, 1), v0, v1, ids[4];
	struct swmsi_vector_info vi[4];
	uint64_t m0 = 0, m1 = 0;
	size_t n = 0;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h1), 0);
	v0 = fx_msi_alloc(fx, dev, DB0, &m0);
	v1 = fx_msi_alloc(fx, dev, DB1, &m1);
	assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);
	assert_int_equal(fx_dev_info(fx, dev).vectors, 2);
	assert_int_equal(swmsi_device_vectors(fx->ctx, dev, vi, 4, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(vi[0].msg_addr, m0);
	assert_int_equal(vi[1].msg_addr, m1);
	assert_true(vi[0].translated);
	/* Blocked while detached. */
	fx_expect_fire_fails(fx, dev, v0, -EFAULT);
	fx_expect_fire_fails(fx, dev, v1, -EFAULT);
	/* A fresh domain: the pages are installed again, same addresses. */
	assert_int_equal(fx_present(fx, h2, ids, 4), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h2), 0);
	assert_int_equal(fx_present(fx, h2, ids, 4), 2);
	fx_expect_fire(fx, dev, v0, DB0);
	fx_expect_fire(fx, dev, v1, DB1);
	assert_int_equal(swmsi_device_vectors(fx->ctx, dev, vi, 4, &n), 0);
	assert_int_equal(vi[0].msg_addr, m0);
	assert_int_equal(vi[1].msg_addr, m1);
}

/* Under reclaim, detach unmaps the pages and reattach puts them back. */
static void device_detach_reclaim_unmaps_reattach_reinstalls(void **state)
{
	struct fx *fx = *state;
	uint32_t h = fx_hwpt(fx, fx_ioas(fx), 0), dev = fx_bind(fx, 1), v0, v1, ids[4];
	struct swmsi_ctx_stats st;
	uint64_t m0 = 0, m1 = 0;
	void *dom = fx_domain(fx, h);

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h), 0);
	v0 = fx_msi_alloc(fx, dev, DB0, &m0);
	v1 = fx_msi_alloc(fx, dev, DB1, &m1);
	assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);
	assert_int_equal(fx_present(fx, h, ids, 4), 0);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, dom), 0);
	/* The vectors still use the entries: ids and slots stay. */
	assert_int_equal(swmsi_ctx_stats(fx->ctx, &st), 0);
	assert_int_equal(st.msi_maps, 2);
	fx_expect_fire_fails(fx, dev, v0, -EFAULT);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h), 0);
	assert_int_equal(fx_present(fx, h, ids, 4), 2);
	fx_expect_msi_page(fx, h, m1 & ~0xfffull, DB1 & ~0xfffull);
	fx_expect_fire(fx, dev, v0, DB0);
	fx_expect_fire(fx, dev, v1, DB1);
}

/* A group without a window fires untranslated, attached or not. */
static void msi_fire_windowless_group_untranslated_attached_or_not(void **state)
{
	struct fx *fx = *state;
	uint32_t h = fx_hwpt(fx, fx_ioas(fx), 0), dev = fx_bind_nowin(fx, 1), v;
	uint64_t m = 0;

	v = fx_msi_alloc(fx, dev, DB0, &m);
	assert_int_equal(m, DB0);
	fx_expect_fire(fx, dev, v, DB0);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h), 0);
	fx_expect_fire(fx, dev, v, DB0);
	v = fx_msi_alloc(fx, dev, DB1, &m);
	assert_int_equal(m, DB1);
	fx_expect_fire(fx, dev, v, DB1);
	/* Nothing mapped for it. */
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, NULL), 0);
	assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);
	fx_expect_fire(fx, dev, v, DB1);
}

#define T(fn)  cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
#define TR(fn) cmocka_unit_test_setup_teardown(fn, fx_setup_reclaim, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(ids_new_context_starts_at_one_shared_by_every_kind),
		T(ids_allocated_cyclically_freed_id_not_reused_next),
		T(ids_auto_hwpt_takes_next_id),
		T(ids_never_zero_over_many_objects),
		T(obj_type_reports_each_kind),
		T(ctx_two_contexts_isolated),
		T(ctx_two_contexts_one_mock_keep_separate_domains),
		T(device_bind_bad_window_fails_einval),
		T(device_bind_group_with_different_window_fails_einval),
		T(device_bind_windowless_group_rejects_window),
		T(device_bind_overlapping_window_fails_einval),
		T(device_bind_identical_windows_across_groups_succeed),
		T(device_bind_overlap_allowed_after_unbind),
		T(device_bind_overlapping_stale_entries_fails_einval),
		T(device_attach_attached_device_fails_einval),
		T(device_attach_group_on_other_hwpt_fails_einval),
		T(device_replace_or_detach_not_attached_fails_einval),
		T(group_joins_with_first_device_leaves_with_last),
		T(device_replace_moves_whole_group),
		T(msi_alloc_unattached_device_of_attached_group_translates),
		T(device_unbind_detaches_and_frees_vectors),
		TR(device_unbind_reclaim_unmaps_and_frees_entries),
		T(device_unbind_one_of_group_keeps_group_attached),
		TR(device_detach_reclaim_keeps_pages_until_group_leaves),
		T(device_detach_keeps_vectors_reattach_fires_again),
		TR(device_detach_reclaim_unmaps_reattach_reinstalls),
		T(msi_fire_windowless_group_untranslated_attached_or_not),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
