/* SPDX-License-Identifier: MIT */
/*
 * Object lifecycle: ids, isolated contexts, bind rules, attach rules, group
 * semantics (a group joins with its first device and leaves with its last;
 * replace moves it whole), unbind, and what detach keeps.
 */
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/*
 * State snapshots. "A failed call changes nothing observable" is checked by
 * copying everything the public introspection API shows (objects, devices,
 * vectors and where they fire, the MSI table, present ids, the contents of
 * every backend domain) before a call and comparing after it.
 */

#define SNAP_MAX_ID	4096
#define SNAP_CAP	64

struct snap_vec {
	struct swmsi_vector_info info;
	int fire_rc;
	uint64_t fire_paddr;
};

struct snap_obj {
	uint32_t id;
	enum swmsi_obj_type type;
	/* HWPTs */
	struct swmsi_hwpt_info hwpt;
	uint32_t present[SNAP_CAP];
	size_t npresent;
	struct mock_iommu_range ranges[SNAP_CAP];
	size_t nranges;
	/* devices */
	struct swmsi_device_info dev;
	struct snap_vec vecs[SNAP_CAP];
	size_t nvecs;
};

struct snap {
	struct swmsi_ctx_stats stats;
	struct swmsi_msi_map_info maps[SNAP_CAP];
	size_t nmaps;
	size_t domains;
	uint64_t mapped_pages;
	struct snap_obj *objs;
	size_t nobjs;
};

static void snap_take_hwpt(struct fx *fx, struct snap_obj *o)
{
	assert_int_equal(swmsi_hwpt_info(fx->ctx, o->id, &o->hwpt), 0);
	assert_int_equal(swmsi_hwpt_msi_present(fx->ctx, o->id, o->present, SNAP_CAP,
						&o->npresent), 0);
	assert_true(o->npresent <= SNAP_CAP);
	/* A nested HWPT shows its parent's domain: its parent holds the copy. */
	if (o->type != SWMSI_OBJ_HWPT_PAGING)
		return;
	assert_int_equal(mock_iommu_ranges(fx->mock, o->hwpt.domain, o->ranges, SNAP_CAP,
					   &o->nranges), 0);
	assert_true(o->nranges <= SNAP_CAP);
}

static void snap_take_dev(struct fx *fx, struct snap_obj *o)
{
	struct swmsi_vector_info vi[SNAP_CAP];
	size_t i;

	assert_int_equal(swmsi_device_info(fx->ctx, o->id, &o->dev), 0);
	assert_int_equal(swmsi_device_vectors(fx->ctx, o->id, vi, SNAP_CAP, &o->nvecs), 0);
	assert_true(o->nvecs <= SNAP_CAP);
	for (i = 0; i < o->nvecs; i++) {
		o->vecs[i].info = vi[i];
		o->vecs[i].fire_paddr = 0;
		o->vecs[i].fire_rc = swmsi_msi_fire(fx->ctx, o->id, vi[i].vec,
						    &o->vecs[i].fire_paddr);
	}
}

static struct snap *snap_take(struct fx *fx)
{
	struct snap *s = calloc(1, sizeof(*s));
	uint32_t id;

	assert_non_null(s);
	assert_int_equal(swmsi_ctx_stats(fx->ctx, &s->stats), 0);
	assert_int_equal(swmsi_msi_map_list(fx->ctx, s->maps, SNAP_CAP, &s->nmaps), 0);
	assert_true(s->nmaps <= SNAP_CAP);
	s->domains = mock_iommu_domain_count(fx->mock);
	s->mapped_pages = mock_iommu_mapped_pages(fx->mock, NULL);
	s->objs = calloc(s->stats.objects + 1, sizeof(*s->objs));
	assert_non_null(s->objs);
	for (id = 1; id <= SNAP_MAX_ID && s->nobjs < s->stats.objects; id++) {
		struct snap_obj *o = &s->objs[s->nobjs];
		enum swmsi_obj_type t;

		if (swmsi_obj_type(fx->ctx, id, &t))
			continue;
		o->id = id;
		o->type = t;
		if (t == SWMSI_OBJ_HWPT_PAGING || t == SWMSI_OBJ_HWPT_NESTED)
			snap_take_hwpt(fx, o);
		else if (t == SWMSI_OBJ_DEVICE)
			snap_take_dev(fx, o);
		s->nobjs++;
	}
	assert_int_equal(s->nobjs, s->stats.objects);
	return s;
}

static void snap_free(struct snap *s)
{
	if (!s)
		return;
	free(s->objs);
	free(s);
}

/* Fails the test, naming the step and the field, when @a and @b differ. */
static void snap_check(const char *label, const char *what, uint32_t id, uint64_t a,
		       uint64_t b)
{
	if (a == b)
		return;
	fail_msg("%s: state changed: %s (id %u): 0x%llx before, 0x%llx after", label, what,
		 (unsigned int)id, (unsigned long long)a, (unsigned long long)b);
}

static void snap_cmp_hwpt(const char *label, const struct snap_obj *a,
			  const struct snap_obj *b)
{
	size_t i;

	snap_check(label, "hwpt type", a->id, a->hwpt.type, b->hwpt.type);
	snap_check(label, "hwpt ioas", a->id, a->hwpt.ioas_id, b->hwpt.ioas_id);
	snap_check(label, "hwpt parent", a->id, a->hwpt.parent_id, b->hwpt.parent_id);
	snap_check(label, "hwpt flags", a->id, a->hwpt.flags, b->hwpt.flags);
	snap_check(label, "hwpt is_auto", a->id, a->hwpt.is_auto, b->hwpt.is_auto);
	snap_check(label, "hwpt domain", a->id, (uintptr_t)a->hwpt.domain,
		   (uintptr_t)b->hwpt.domain);
	snap_check(label, "hwpt groups", a->id, a->hwpt.groups, b->hwpt.groups);
	snap_check(label, "hwpt children", a->id, a->hwpt.children, b->hwpt.children);
	snap_check(label, "present count", a->id, a->npresent, b->npresent);
	for (i = 0; i < a->npresent; i++)
		snap_check(label, "present id", a->id, a->present[i], b->present[i]);
	snap_check(label, "domain range count", a->id, a->nranges, b->nranges);
	for (i = 0; i < a->nranges; i++) {
		snap_check(label, "range iova", a->id, a->ranges[i].iova, b->ranges[i].iova);
		snap_check(label, "range paddr", a->id, a->ranges[i].paddr, b->ranges[i].paddr);
		snap_check(label, "range size", a->id, a->ranges[i].size, b->ranges[i].size);
		snap_check(label, "range prot", a->id, a->ranges[i].prot, b->ranges[i].prot);
	}
}

static void snap_cmp_dev(const char *label, const struct snap_obj *a,
			 const struct snap_obj *b)
{
	size_t i;

	snap_check(label, "device group", a->id, a->dev.group, b->dev.group);
	snap_check(label, "device window start", a->id, a->dev.sw_msi_start,
		   b->dev.sw_msi_start);
	snap_check(label, "device window size", a->id, a->dev.sw_msi_size, b->dev.sw_msi_size);
	snap_check(label, "device attached", a->id, a->dev.attached, b->dev.attached);
	snap_check(label, "device hwpt", a->id, a->dev.hwpt_id, b->dev.hwpt_id);
	snap_check(label, "device vectors", a->id, a->dev.vectors, b->dev.vectors);
	snap_check(label, "vector count", a->id, a->nvecs, b->nvecs);
	for (i = 0; i < a->nvecs; i++) {
		const struct snap_vec *x = &a->vecs[i], *y = &b->vecs[i];

		snap_check(label, "vec handle", a->id, x->info.vec, y->info.vec);
		snap_check(label, "vec msi_addr", a->id, x->info.msi_addr, y->info.msi_addr);
		snap_check(label, "vec msg_addr", a->id, x->info.msg_addr, y->info.msg_addr);
		snap_check(label, "vec translated", a->id, x->info.translated,
			   y->info.translated);
		snap_check(label, "vec map id", a->id, x->info.map_id, y->info.map_id);
		snap_check(label, "vec fire rc", a->id, (uint64_t)(int64_t)x->fire_rc,
			   (uint64_t)(int64_t)y->fire_rc);
		snap_check(label, "vec fires to", a->id, x->fire_paddr, y->fire_paddr);
	}
}

/* Asserts that @b shows exactly the state @a showed. */
static void snap_expect_same(const char *label, const struct snap *a, const struct snap *b)
{
	size_t i;

	snap_check(label, "stats.objects", 0, a->stats.objects, b->stats.objects);
	snap_check(label, "stats.msi_maps", 0, a->stats.msi_maps, b->stats.msi_maps);
	snap_check(label, "backend domains", 0, a->domains, b->domains);
	snap_check(label, "backend mapped pages", 0, a->mapped_pages, b->mapped_pages);
	snap_check(label, "msi map count", 0, a->nmaps, b->nmaps);
	for (i = 0; i < a->nmaps; i++) {
		const struct swmsi_msi_map_info *x = &a->maps[i], *y = &b->maps[i];

		snap_check(label, "map id", x->id, x->id, y->id);
		snap_check(label, "map slot", x->id, x->slot, y->slot);
		snap_check(label, "map window", x->id, x->sw_msi_start, y->sw_msi_start);
		snap_check(label, "map page", x->id, x->msi_page, y->msi_page);
		snap_check(label, "map iova", x->id, x->iova, y->iova);
		snap_check(label, "map vectors", x->id, x->vectors, y->vectors);
	}
	for (i = 0; i < a->nobjs; i++) {
		const struct snap_obj *x = &a->objs[i], *y = &b->objs[i];

		snap_check(label, "object id", x->id, x->id, y->id);
		snap_check(label, "object type", x->id, x->type, y->type);
		if (x->type == SWMSI_OBJ_HWPT_PAGING || x->type == SWMSI_OBJ_HWPT_NESTED)
			snap_cmp_hwpt(label, x, y);
		else if (x->type == SWMSI_OBJ_DEVICE)
			snap_cmp_dev(label, x, y);
	}
}
/* ------------------------------------------------------------------------ */

#define RW		(SWMSI_PROT_READ | SWMSI_PROT_WRITE)
#define MSI_PROT	(SWMSI_PROT_READ | SWMSI_PROT_WRITE | SWMSI_PROT_MMIO)
#define DB0		(FX_ITS_PAGE + 0x40)
#define DB1		(FX_ITS_PAGE + 0x10000 + 0x40)

static int bind_dev(struct fx *fx, uint32_t group, uint64_t start, uint64_t size, uint32_t *id)
{
	struct swmsi_device_desc d = { .group = group, .sw_msi_start = start, .sw_msi_size = size };

	return swmsi_device_bind(fx->ctx, &d, id);
}

static struct swmsi_device_info dev_info(struct fx *fx, uint32_t dev)
{
	struct swmsi_device_info di;

	assert_int_equal(swmsi_device_info(fx->ctx, dev, &di), 0);
	return di;
}

static struct swmsi_hwpt_info hwpt_info(struct fx *fx, uint32_t hwpt)
{
	struct swmsi_hwpt_info hi;

	assert_int_equal(swmsi_hwpt_info(fx->ctx, hwpt, &hi), 0);
	return hi;
}

static uint32_t vec_alloc(struct fx *fx, uint32_t dev, uint64_t addr, uint64_t *msg)
{
	uint32_t vec = UINT32_MAX;
	uint64_t m = 0;

	assert_int_equal(swmsi_msi_alloc(fx->ctx, dev, addr, &vec, &m), 0);
	*msg = m;
	return vec;
}

static void expect_fire(struct fx *fx, uint32_t dev, uint32_t vec, uint64_t want)
{
	uint64_t pa = 0;

	assert_int_equal(swmsi_msi_fire(fx->ctx, dev, vec, &pa), 0);
	assert_int_equal(pa, want);
}

static void expect_fire_fails(struct fx *fx, uint32_t dev, uint32_t vec, int err)
{
	uint64_t pa = 0;

	assert_int_equal(swmsi_msi_fire(fx->ctx, dev, vec, &pa), err);
	assert_int_equal(pa, 0);
}

static size_t present_ids(struct fx *fx, uint32_t hwpt, uint32_t *ids, size_t cap)
{
	size_t n = SIZE_MAX;

	assert_int_equal(swmsi_hwpt_msi_present(fx->ctx, hwpt, ids, cap, &n), 0);
	return n;
}

/* A bind that must fail with -EINVAL and change nothing. */
static void expect_bind_fails(struct fx *fx, uint32_t group, uint64_t start, uint64_t size)
{
	struct snap *before = snap_take(fx), *after;
	uint32_t id = 0;
	char label[96];

	snprintf(label, sizeof(label), "bind group %u window 0x%llx+0x%llx", group,
		 (unsigned long long)start, (unsigned long long)size);
	if (bind_dev(fx, group, start, size, &id) != -EINVAL)
		fail_msg("%s: want -EINVAL", label);
	assert_int_equal(id, 0);
	after = snap_take(fx);
	snap_expect_same(label, before, after);
	snap_free(after);
	snap_free(before);
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
	assert_int_equal(dev_info(fx, dev).hwpt_id, 3);
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
	va = vec_alloc(a, da, DB0, &ma);
	vb = vec_alloc(b, db, DB1, &mb);
	/* Each table gives its own first slot, for different doorbells. */
	assert_int_equal(ma, FX_WINDOW_START + 0x40);
	assert_int_equal(mb, FX_WINDOW_START + 0x40);
	expect_fire(a, da, va, DB0);
	expect_fire(b, db, vb, DB1);
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
	expect_fire(a, da, va, DB0);
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
	di = dev_info(fx, d2);
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
	di = dev_info(fx, d2);
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

	assert_int_equal(dev_info(fx, d1).group, 1);
	assert_int_equal(dev_info(fx, d2).group, 2);
	assert_int_equal(dev_info(fx, d3).sw_msi_start, FX_WINDOW_START);
}

/* The overlap rule is about bound devices: once unbound, the range is free. */
static void device_bind_overlap_allowed_after_unbind(void **state)
{
	struct fx *fx = *state;
	uint32_t d1 = fx_bind(fx, 1), d2 = 0;

	assert_int_equal(swmsi_device_unbind(fx->ctx, d1), 0);
	assert_int_equal(bind_dev(fx, 2, FX_WINDOW_START + 0x80000, FX_WINDOW_SIZE, &d2), 0);
}

/* ------------------------------------------------------------------------ */
/* Attach rules */

static void device_attach_attached_device_fails_einval(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h1 = fx_hwpt(fx, ioas, 0), h2 = fx_hwpt(fx, ioas, 0);
	uint32_t dev = fx_bind(fx, 1);
	struct snap *before, *after;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h1), 0);
	before = snap_take(fx);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h1), -EINVAL);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h2), -EINVAL);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), -EINVAL);
	after = snap_take(fx);
	snap_expect_same("attach of an attached device", before, after);
	snap_free(after);
	snap_free(before);
}

static void device_attach_group_on_other_hwpt_fails_einval(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h1 = fx_hwpt(fx, ioas, 0), h2 = fx_hwpt(fx, ioas, 0);
	uint32_t d1 = fx_bind(fx, 1), d2 = fx_bind(fx, 1);
	struct snap *before, *after;

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, h1), 0);
	before = snap_take(fx);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, h2), -EINVAL);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, ioas), -EINVAL);
	after = snap_take(fx);
	snap_expect_same("attach with the group elsewhere", before, after);
	snap_free(after);
	snap_free(before);
	/* To the group's own HWPT it is fine. */
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, h1), 0);
	assert_true(dev_info(fx, d2).attached);
	assert_int_equal(hwpt_info(fx, h1).groups, 1);
}

static void device_replace_or_detach_not_attached_fails_einval(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0), d1 = fx_bind(fx, 1);
	uint32_t d2 = fx_bind(fx, 1);
	struct snap *before, *after;

	before = snap_take(fx);
	assert_int_equal(swmsi_device_replace(fx->ctx, d1, h), -EINVAL);
	assert_int_equal(swmsi_device_detach(fx->ctx, d1), -EINVAL);
	after = snap_take(fx);
	snap_expect_same("replace/detach of a detached device", before, after);
	snap_free(after);
	snap_free(before);
	/* Its group being attached through another device does not count. */
	assert_int_equal(swmsi_device_attach(fx->ctx, d1, h), 0);
	assert_int_equal(swmsi_device_replace(fx->ctx, d2, h), -EINVAL);
	assert_int_equal(swmsi_device_detach(fx->ctx, d2), -EINVAL);
	assert_false(dev_info(fx, d2).attached);
	assert_int_equal(dev_info(fx, d2).hwpt_id, h);
}

/* ------------------------------------------------------------------------ */
/* Groups */

static void group_joins_with_first_device_leaves_with_last(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0);
	uint32_t d1 = fx_bind(fx, 1), d2 = fx_bind(fx, 1);
	struct swmsi_device_info di;

	assert_int_equal(hwpt_info(fx, h).groups, 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d1, h), 0);
	assert_int_equal(hwpt_info(fx, h).groups, 1);
	/* The group sits on h; d2 belongs to it without being attached. */
	di = dev_info(fx, d2);
	assert_false(di.attached);
	assert_int_equal(di.hwpt_id, h);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, h), 0);
	assert_int_equal(hwpt_info(fx, h).groups, 1);
	assert_int_equal(swmsi_device_detach(fx->ctx, d1), 0);
	/* d2 keeps the group there. */
	assert_int_equal(hwpt_info(fx, h).groups, 1);
	assert_int_equal(dev_info(fx, d1).hwpt_id, h);
	assert_false(dev_info(fx, d1).attached);
	assert_int_equal(swmsi_destroy(fx->ctx, h), -EBUSY);
	assert_int_equal(swmsi_device_detach(fx->ctx, d2), 0);
	assert_int_equal(hwpt_info(fx, h).groups, 0);
	assert_int_equal(dev_info(fx, d1).hwpt_id, 0);
	assert_int_equal(dev_info(fx, d2).hwpt_id, 0);
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
	v1 = vec_alloc(fx, d1, DB0, &m1);
	v2 = vec_alloc(fx, d2, DB1, &m2);
	assert_int_equal(swmsi_device_replace(fx->ctx, d2, h2), 0);
	assert_int_equal(dev_info(fx, d1).hwpt_id, h2);
	assert_int_equal(dev_info(fx, d2).hwpt_id, h2);
	assert_int_equal(dev_info(fx, d3).hwpt_id, h2);
	assert_true(dev_info(fx, d1).attached);
	assert_true(dev_info(fx, d2).attached);
	assert_false(dev_info(fx, d3).attached);
	/* Another group is not moved. */
	assert_int_equal(dev_info(fx, other).hwpt_id, h1);
	assert_int_equal(hwpt_info(fx, h1).groups, 1);
	assert_int_equal(hwpt_info(fx, h2).groups, 1);
	/* Both devices' vectors followed the group. */
	expect_fire(fx, d1, v1, DB0);
	expect_fire(fx, d2, v2, DB1);
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
	v = vec_alloc(fx, d2, DB0, &m);
	assert_int_equal(m, FX_WINDOW_START + 0x40);
	expect_fire(fx, d2, v, DB0);
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
	vec_alloc(fx, dev, DB0, &m);
	vec_alloc(fx, dev, DB1, &m);
	v = vec_alloc(fx, keep, DB0, &m);
	assert_int_equal(swmsi_device_unbind(fx->ctx, dev), 0);
	assert_int_equal(hwpt_info(fx, h).groups, 1);
	assert_int_equal(swmsi_msi_map_list(fx->ctx, maps, 4, &n), 0);
	/* Reclaim none: entries stay, but no vector of dev uses them. */
	assert_int_equal(n, 2);
	assert_int_equal(maps[0].vectors, 1);
	assert_int_equal(maps[1].vectors, 0);
	expect_fire(fx, keep, v, DB0);
	assert_int_equal(swmsi_device_unbind(fx->ctx, keep), 0);
	assert_int_equal(hwpt_info(fx, h).groups, 0);
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
	vec_alloc(fx, dev, DB0, &m);
	vec_alloc(fx, dev, DB1, &m);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, hwpt_info(fx, h).domain), 2);
	assert_int_equal(swmsi_device_unbind(fx->ctx, dev), 0);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, hwpt_info(fx, h).domain), 0);
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
	vec_alloc(fx, d1, DB0, &m);
	v = vec_alloc(fx, d2, DB0, &m);
	assert_int_equal(swmsi_device_unbind(fx->ctx, d1), 0);
	assert_true(dev_info(fx, d2).attached);
	assert_int_equal(dev_info(fx, d2).hwpt_id, h);
	assert_int_equal(hwpt_info(fx, h).groups, 1);
	assert_int_equal(swmsi_msi_map_list(fx->ctx, maps, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(maps[0].vectors, 1);
	expect_fire(fx, d2, v, DB0);
}

/* Under reclaim pages go when the group leaves, not when one device does. */
static void device_detach_reclaim_keeps_pages_until_group_leaves(void **state)
{
	struct fx *fx = *state;
	uint32_t h = fx_hwpt(fx, fx_ioas(fx), 0), d1 = fx_bind(fx, 1), d2 = fx_bind(fx, 1);
	void *dom = hwpt_info(fx, h).domain;
	uint64_t m = 0;
	uint32_t v;

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, h), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, h), 0);
	v = vec_alloc(fx, d1, DB0, &m);
	assert_int_equal(swmsi_device_detach(fx->ctx, d1), 0);
	/* The group is still on h through d2, and d1's vector follows the group. */
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, dom), 1);
	expect_fire(fx, d1, v, DB0);
	assert_int_equal(swmsi_device_detach(fx->ctx, d2), 0);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, dom), 0);
	expect_fire_fails(fx, d1, v, -EFAULT);
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
	v0 = vec_alloc(fx, dev, DB0, &m0);
	v1 = vec_alloc(fx, dev, DB1, &m1);
	assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);
	assert_int_equal(dev_info(fx, dev).vectors, 2);
	assert_int_equal(swmsi_device_vectors(fx->ctx, dev, vi, 4, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(vi[0].msg_addr, m0);
	assert_int_equal(vi[1].msg_addr, m1);
	assert_true(vi[0].translated);
	/* Blocked while detached. */
	expect_fire_fails(fx, dev, v0, -EFAULT);
	expect_fire_fails(fx, dev, v1, -EFAULT);
	/* A fresh domain: the pages are installed again, same addresses. */
	assert_int_equal(present_ids(fx, h2, ids, 4), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h2), 0);
	assert_int_equal(present_ids(fx, h2, ids, 4), 2);
	expect_fire(fx, dev, v0, DB0);
	expect_fire(fx, dev, v1, DB1);
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
	uint64_t m0 = 0, m1 = 0, pa = 0;
	uint32_t prot = 0;
	void *dom = hwpt_info(fx, h).domain;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h), 0);
	v0 = vec_alloc(fx, dev, DB0, &m0);
	v1 = vec_alloc(fx, dev, DB1, &m1);
	assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);
	assert_int_equal(present_ids(fx, h, ids, 4), 0);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, dom), 0);
	/* The vectors still use the entries: ids and slots stay. */
	assert_int_equal(swmsi_ctx_stats(fx->ctx, &st), 0);
	assert_int_equal(st.msi_maps, 2);
	expect_fire_fails(fx, dev, v0, -EFAULT);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h), 0);
	assert_int_equal(present_ids(fx, h, ids, 4), 2);
	assert_int_equal(mock_iommu_lookup(fx->mock, dom, m1 & ~0xfffull, &pa, &prot), 0);
	assert_int_equal(pa, DB1 & ~0xfffull);
	assert_int_equal(prot, MSI_PROT);
	expect_fire(fx, dev, v0, DB0);
	expect_fire(fx, dev, v1, DB1);
}

/* A group without a window fires untranslated, attached or not. */
static void msi_fire_windowless_group_untranslated_attached_or_not(void **state)
{
	struct fx *fx = *state;
	uint32_t h = fx_hwpt(fx, fx_ioas(fx), 0), dev = fx_bind_nowin(fx, 1), v;
	uint64_t m = 0;

	v = vec_alloc(fx, dev, DB0, &m);
	assert_int_equal(m, DB0);
	expect_fire(fx, dev, v, DB0);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h), 0);
	expect_fire(fx, dev, v, DB0);
	v = vec_alloc(fx, dev, DB1, &m);
	assert_int_equal(m, DB1);
	expect_fire(fx, dev, v, DB1);
	/* Nothing mapped for it. */
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, NULL), 0);
	assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);
	expect_fire(fx, dev, v, DB1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
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
