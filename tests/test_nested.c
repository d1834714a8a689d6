/* SPDX-License-Identifier: MIT */
/*
 * Nested HWPTs: a guest-owned stage 1 over a NEST_PARENT paging HWPT. MSI
 * pages go into the parent's domain, translation walks stage 1 then the
 * parent, and an MSI through a nested HWPT needs the guest's RMR identity
 * map of the window.
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

struct nest {
	uint32_t ioas, parent, nested;
};

static void nest_new(struct fx *fx, struct nest *n)
{
	n->ioas = fx_ioas(fx);
	n->parent = fx_hwpt(fx, n->ioas, SWMSI_HWPT_NEST_PARENT);
	n->nested = 0;
	assert_int_equal(swmsi_hwpt_alloc_nested(fx->ctx, n->parent, &n->nested), 0);
	assert_int_not_equal(n->nested, 0);
}

/* The guest's RMR: the SW_MSI window mapped to itself in stage 1. */
static void rmr_map(struct fx *fx, uint32_t nested)
{
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, nested, FX_WINDOW_START, FX_WINDOW_START,
					       FX_WINDOW_SIZE, RW), 0);
}

static void *hwpt_domain(struct fx *fx, uint32_t hwpt)
{
	struct swmsi_hwpt_info hi;

	assert_int_equal(swmsi_hwpt_info(fx->ctx, hwpt, &hi), 0);
	return hi.domain;
}

static uint32_t dev_hwpt(struct fx *fx, uint32_t dev)
{
	struct swmsi_device_info di;

	assert_int_equal(swmsi_device_info(fx->ctx, dev, &di), 0);
	return di.hwpt_id;
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

static size_t present_ids(struct fx *fx, uint32_t hwpt, uint32_t *ids, size_t cap)
{
	size_t n = SIZE_MAX;

	assert_int_equal(swmsi_hwpt_msi_present(fx->ctx, hwpt, ids, cap, &n), 0);
	return n;
}

/* The state is still the one @before shows. */
static void expect_unchanged(struct fx *fx, const struct snap *before, const char *what)
{
	struct snap *after = snap_take(fx);

	snap_expect_same(what, before, after);
	snap_free(after);
}

/* ------------------------------------------------------------------------ */
/* Allocation rules */

static void hwpt_alloc_nested_reports_parent_and_its_domain(void **state)
{
	struct fx *fx = *state;
	struct swmsi_hwpt_info hi;
	enum swmsi_obj_type t;
	struct nest n;

	nest_new(fx, &n);
	assert_int_equal(swmsi_obj_type(fx->ctx, n.nested, &t), 0);
	assert_int_equal(t, SWMSI_OBJ_HWPT_NESTED);
	assert_int_equal(swmsi_hwpt_info(fx->ctx, n.nested, &hi), 0);
	assert_int_equal(hi.type, SWMSI_OBJ_HWPT_NESTED);
	assert_int_equal(hi.parent_id, n.parent);
	assert_int_equal(hi.ioas_id, n.ioas);
	assert_ptr_equal(hi.domain, hwpt_domain(fx, n.parent));
	assert_false(hi.is_auto);
	assert_int_equal(swmsi_hwpt_info(fx->ctx, n.parent, &hi), 0);
	assert_int_equal(hi.children, 1);
	assert_int_equal(hi.flags, SWMSI_HWPT_NEST_PARENT);
	/* A nested HWPT has no domain of its own. */
	assert_int_equal(mock_iommu_domain_count(fx->mock), 1);
}

static void hwpt_alloc_nested_parent_without_flag_fails_einval(void **state)
{
	struct fx *fx = *state;
	uint32_t h = fx_hwpt(fx, fx_ioas(fx), 0), out = 0;
	struct snap *before = snap_take(fx);

	assert_int_equal(swmsi_hwpt_alloc_nested(fx->ctx, h, &out), -EINVAL);
	assert_int_equal(out, 0);
	expect_unchanged(fx, before, "alloc_nested over a plain paging HWPT");
	snap_free(before);
}

static void hwpt_alloc_nested_over_nested_fails_einval(void **state)
{
	struct fx *fx = *state;
	struct snap *before;
	struct nest n;
	uint32_t out = 0;

	nest_new(fx, &n);
	before = snap_take(fx);
	assert_int_equal(swmsi_hwpt_alloc_nested(fx->ctx, n.nested, &out), -EINVAL);
	assert_int_equal(out, 0);
	expect_unchanged(fx, before, "alloc_nested over a nested HWPT");
	snap_free(before);
}

static void hwpt_alloc_nested_ioas_or_device_id_fails_enoent(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), dev = fx_bind(fx, 1), out = 0;
	struct snap *before = snap_take(fx);

	assert_int_equal(swmsi_hwpt_alloc_nested(fx->ctx, ioas, &out), -ENOENT);
	assert_int_equal(swmsi_hwpt_alloc_nested(fx->ctx, dev, &out), -ENOENT);
	assert_int_equal(swmsi_hwpt_alloc_nested(fx->ctx, 0, &out), -ENOENT);
	assert_int_equal(swmsi_hwpt_alloc_nested(fx->ctx, dev + 100, &out), -ENOENT);
	assert_int_equal(out, 0);
	expect_unchanged(fx, before, "alloc_nested over a non-HWPT");
	snap_free(before);
}

static void hwpt_alloc_nested_two_children_share_parent_domain(void **state)
{
	struct fx *fx = *state;
	struct swmsi_hwpt_info hi;
	struct nest n;
	uint32_t n2 = 0;

	nest_new(fx, &n);
	assert_int_equal(swmsi_hwpt_alloc_nested(fx->ctx, n.parent, &n2), 0);
	assert_int_not_equal(n2, n.nested);
	assert_ptr_equal(hwpt_domain(fx, n2), hwpt_domain(fx, n.parent));
	assert_int_equal(swmsi_hwpt_info(fx->ctx, n.parent, &hi), 0);
	assert_int_equal(hi.children, 2);
}

/* ------------------------------------------------------------------------ */
/* Destroy ordering */

static void destroy_nested_tree_busy_until_taken_apart_in_order(void **state)
{
	struct fx *fx = *state;
	uint32_t dev = fx_bind(fx, 1);
	enum swmsi_obj_type t;
	struct snap *before;
	struct nest n;

	nest_new(fx, &n);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, n.nested), 0);
	before = snap_take(fx);
	assert_int_equal(swmsi_destroy(fx->ctx, n.ioas), -EBUSY);
	assert_int_equal(swmsi_destroy(fx->ctx, n.parent), -EBUSY);
	assert_int_equal(swmsi_destroy(fx->ctx, n.nested), -EBUSY);
	expect_unchanged(fx, before, "destroy of busy objects");
	snap_free(before);

	assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);
	/* The nested HWPT is free now; its parent and the IOAS are not. */
	assert_int_equal(swmsi_destroy(fx->ctx, n.parent), -EBUSY);
	assert_int_equal(swmsi_destroy(fx->ctx, n.ioas), -EBUSY);
	assert_int_equal(swmsi_destroy(fx->ctx, n.nested), 0);
	assert_int_equal(swmsi_obj_type(fx->ctx, n.nested, &t), -ENOENT);
	assert_int_equal(swmsi_destroy(fx->ctx, n.ioas), -EBUSY);
	assert_int_equal(swmsi_destroy(fx->ctx, n.parent), 0);
	assert_int_equal(mock_iommu_domain_count(fx->mock), 0);
	assert_int_equal(swmsi_destroy(fx->ctx, n.ioas), 0);
	assert_int_equal(swmsi_obj_type(fx->ctx, n.ioas, &t), -ENOENT);
}

static void destroy_parent_with_attached_device_fails_ebusy(void **state)
{
	struct fx *fx = *state;
	uint32_t dev = fx_bind(fx, 1);
	struct nest n;

	nest_new(fx, &n);
	assert_int_equal(swmsi_destroy(fx->ctx, n.nested), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, n.parent), 0);
	assert_int_equal(swmsi_destroy(fx->ctx, n.parent), -EBUSY);
	assert_int_equal(swmsi_device_unbind(fx->ctx, dev), 0);
	assert_int_equal(swmsi_destroy(fx->ctx, n.parent), 0);
}

/* ------------------------------------------------------------------------ */
/* Translation */

static void hwpt_iova_to_phys_nested_walks_stage1_then_parent(void **state)
{
	struct fx *fx = *state;
	uint64_t pa = 0;
	struct nest n;

	nest_new(fx, &n);
	/* Parent: ipa 0x200000.. -> pa 0x40000000..; stage 1: iova 0x1000000.. -> ipa. */
	assert_int_equal(swmsi_ioas_map(fx->ctx, n.ioas, 0x200000, 0x40000000, 0x2000, RW), 0);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n.nested, 0x1000000, 0x200000, 0x2000,
					       RW), 0);
	assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, n.nested, 0x1000000, &pa), 0);
	assert_int_equal(pa, 0x40000000);
	assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, n.nested, 0x1001abc, &pa), 0);
	assert_int_equal(pa, 0x40001abc);
	/* The parent translates the IPA itself, not the guest IOVA. */
	assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, n.parent, 0x201abc, &pa), 0);
	assert_int_equal(pa, 0x40001abc);
	pa = 0;
	assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, n.parent, 0x1000000, &pa), -ENOENT);
	assert_int_equal(pa, 0);
}

static void hwpt_iova_to_phys_nested_without_stage1_fails_enoent(void **state)
{
	struct fx *fx = *state;
	uint64_t pa = 0;
	struct nest n;

	nest_new(fx, &n);
	assert_int_equal(swmsi_ioas_map(fx->ctx, n.ioas, 0x200000, 0x40000000, 0x2000, RW), 0);
	/* The parent maps the address, but the guest's stage 1 does not. */
	assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, n.nested, 0x200000, &pa), -ENOENT);
	assert_int_equal(pa, 0);
}

static void hwpt_iova_to_phys_nested_without_parent_mapping_fails_enoent(void **state)
{
	struct fx *fx = *state;
	uint64_t pa = 0;
	struct nest n;

	nest_new(fx, &n);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n.nested, 0x1000000, 0x200000, 0x2000,
					       RW), 0);
	assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, n.nested, 0x1000000, &pa), -ENOENT);
	assert_int_equal(pa, 0);
}

/* Stage 1 belongs to one nested HWPT: its sibling does not see it. */
static void hwpt_nested_map_is_per_nested_hwpt(void **state)
{
	struct fx *fx = *state;
	uint64_t pa = 0;
	uint32_t n2 = 0;
	struct nest n;

	nest_new(fx, &n);
	assert_int_equal(swmsi_hwpt_alloc_nested(fx->ctx, n.parent, &n2), 0);
	assert_int_equal(swmsi_ioas_map(fx->ctx, n.ioas, 0x200000, 0x40000000, 0x1000, RW), 0);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n.nested, 0x1000000, 0x200000, 0x1000,
					       RW), 0);
	assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, n2, 0x1000000, &pa), -ENOENT);
	/* Stage 1 is not the parent's domain. */
	assert_int_equal(mock_iommu_lookup(fx->mock, hwpt_domain(fx, n.parent), 0x1000000, &pa,
					   NULL), -ENOENT);
	/* The sibling may map the same IOVA elsewhere. */
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n2, 0x1000000, 0x200000, 0x1000, RW), 0);
	assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, n2, 0x1000000, &pa), 0);
	assert_int_equal(pa, 0x40000000);
}

static void hwpt_nested_map_bad_arguments_fail(void **state)
{
	struct fx *fx = *state;
	struct snap *before;
	struct nest n;

	nest_new(fx, &n);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n.nested, 0x1000000, 0x200000, 0x4000,
					       RW), 0);
	before = snap_take(fx);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n.nested, 0x1000800, 0x200000, 0x1000,
					       RW), -EINVAL);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n.nested, 0x2000000, 0x200800, 0x1000,
					       RW), -EINVAL);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n.nested, 0x2000000, 0x200000, 0x800,
					       RW), -EINVAL);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n.nested, 0x2000000, 0x200000, 0, RW),
			 -EINVAL);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n.nested, 0x2000000, 0x200000, 0x1000,
					       1u << 7), -EOPNOTSUPP);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n.parent, 0x2000000, 0x200000, 0x1000,
					       RW), -ENOENT);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n.ioas, 0x2000000, 0x200000, 0x1000,
					       RW), -ENOENT);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n.nested, UINT64_MAX - 0xfff, 0x200000,
					       0x2000, RW), -EOVERFLOW);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n.nested, 0x1003000, 0x300000, 0x2000,
					       RW), -EEXIST);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n.nested, 0x0fff000, 0x300000, 0x2000,
					       RW), -EEXIST);
	expect_unchanged(fx, before, "bad nested_map");
	snap_free(before);
}

/* ------------------------------------------------------------------------ */
/* MSI through nested HWPTs */

static void msi_alloc_nested_installs_in_parent_domain(void **state)
{
	struct fx *fx = *state;
	uint32_t dev = fx_bind(fx, 1), other, vec, ids[4];
	uint64_t msg = 0, pa = 0;
	uint32_t prot = 0;
	struct nest n;

	nest_new(fx, &n);
	other = fx_hwpt(fx, n.ioas, 0);
	rmr_map(fx, n.nested);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, n.nested), 0);
	assert_int_equal(dev_hwpt(fx, dev), n.nested);
	vec = vec_alloc(fx, dev, DB0, &msg);
	assert_int_equal(msg, FX_WINDOW_START + 0x40);
	assert_int_equal(mock_iommu_lookup(fx->mock, hwpt_domain(fx, n.parent), FX_WINDOW_START,
					   &pa, &prot), 0);
	assert_int_equal(pa, FX_ITS_PAGE);
	assert_int_equal(prot, MSI_PROT);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, hwpt_domain(fx, n.parent)), 1);
	/* Never ahead of need: the other HWPT of the IOAS has nothing. */
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, hwpt_domain(fx, other)), 0);
	assert_int_equal(present_ids(fx, n.parent, ids, 4), 1);
	assert_int_equal(ids[0], 0);
	assert_int_equal(present_ids(fx, n.nested, ids, 4), 1);
	assert_int_equal(ids[0], 0);
	assert_int_equal(present_ids(fx, other, ids, 4), 0);
	expect_fire(fx, dev, vec, DB0);
}

static void msi_fire_nested_without_rmr_fails_efault(void **state)
{
	struct fx *fx = *state;
	uint32_t dev = fx_bind(fx, 1), vec;
	uint64_t msg = 0, pa = 0;
	struct nest n;

	nest_new(fx, &n);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, n.nested), 0);
	vec = vec_alloc(fx, dev, DB0, &msg);
	/* The page is installed in the parent, but the guest never mapped the window. */
	assert_int_equal(msg, FX_WINDOW_START + 0x40);
	assert_int_equal(mock_iommu_lookup(fx->mock, hwpt_domain(fx, n.parent), FX_WINDOW_START,
					   &pa, NULL), 0);
	pa = 0;
	assert_int_equal(swmsi_msi_fire(fx->ctx, dev, vec, &pa), -EFAULT);
	assert_int_equal(pa, 0);
	/* The guest sets up its RMR: the same vector now reaches the doorbell. */
	rmr_map(fx, n.nested);
	expect_fire(fx, dev, vec, DB0);
}

/* A stage 1 that maps the window somewhere else loses the MSI. */
static void msi_fire_nested_window_mapped_elsewhere_fails_efault(void **state)
{
	struct fx *fx = *state;
	uint32_t dev = fx_bind(fx, 1), vec;
	uint64_t msg = 0, pa = 0;
	struct nest n;

	nest_new(fx, &n);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n.nested, FX_WINDOW_START, 0x300000,
					       FX_WINDOW_SIZE, RW), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, n.nested), 0);
	vec = vec_alloc(fx, dev, DB0, &msg);
	assert_int_equal(swmsi_msi_fire(fx->ctx, dev, vec, &pa), -EFAULT);
}

static void msi_alloc_two_nested_same_parent_share_pages(void **state)
{
	struct fx *fx = *state;
	uint32_t d1 = fx_bind(fx, 1), d2 = fx_bind(fx, 2), n2 = 0, v1, v2, v3;
	struct swmsi_msi_map_info maps[4];
	uint64_t m1 = 0, m2 = 0, m3 = 0;
	size_t cnt = 0;
	struct nest n;

	nest_new(fx, &n);
	assert_int_equal(swmsi_hwpt_alloc_nested(fx->ctx, n.parent, &n2), 0);
	rmr_map(fx, n.nested);
	rmr_map(fx, n2);
	assert_int_equal(swmsi_device_attach(fx->ctx, d1, n.nested), 0);
	v1 = vec_alloc(fx, d1, DB0, &m1);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, n2), 0);
	v2 = vec_alloc(fx, d2, DB0 + 4, &m2);
	assert_int_equal(m2, m1 + 4);
	v3 = vec_alloc(fx, d2, DB1, &m3);
	assert_int_equal(m3, FX_WINDOW_START + 0x1040);
	/* One copy of each page, in the one domain both share. */
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, hwpt_domain(fx, n.parent)), 2);
	assert_int_equal(mock_iommu_domain_count(fx->mock), 1);
	assert_int_equal(swmsi_msi_map_list(fx->ctx, maps, 4, &cnt), 0);
	assert_int_equal(cnt, 2);
	assert_int_equal(maps[0].msi_page, FX_ITS_PAGE);
	assert_int_equal(maps[0].vectors, 2);
	assert_int_equal(maps[1].vectors, 1);
	expect_fire(fx, d1, v1, DB0);
	expect_fire(fx, d2, v2, DB0 + 4);
	expect_fire(fx, d2, v3, DB1);
	/* The page d2 installed is there for d1's stage 1 too. */
	v1 = vec_alloc(fx, d1, DB1, &m1);
	assert_int_equal(m1, m3);
	expect_fire(fx, d1, v1, DB1);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, hwpt_domain(fx, n.parent)), 2);
}

/* A group joining a nested HWPT gets its required pages in the parent. */
static void device_attach_nested_installs_required_pages_in_parent(void **state)
{
	struct fx *fx = *state;
	uint32_t dev = fx_bind(fx, 1), h, v0, v1, ids[4];
	uint64_t m0 = 0, m1 = 0;
	struct nest n;

	h = fx_hwpt(fx, fx_ioas(fx), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h), 0);
	v0 = vec_alloc(fx, dev, DB0, &m0);
	v1 = vec_alloc(fx, dev, DB1, &m1);
	assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);
	nest_new(fx, &n);
	rmr_map(fx, n.nested);
	assert_int_equal(present_ids(fx, n.parent, ids, 4), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, n.nested), 0);
	assert_int_equal(present_ids(fx, n.parent, ids, 4), 2);
	assert_int_equal(ids[0], 0);
	assert_int_equal(ids[1], 1);
	expect_fire(fx, dev, v0, DB0);
	expect_fire(fx, dev, v1, DB1);
}

static void device_replace_nested_and_parent_keeps_iovas(void **state)
{
	struct fx *fx = *state;
	uint32_t dev = fx_bind(fx, 1), v0, v1;
	uint64_t m0 = 0, m1 = 0;
	struct swmsi_vector_info vi[2];
	size_t cnt = 0;
	size_t jlen;
	struct nest n;

	nest_new(fx, &n);
	rmr_map(fx, n.nested);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, n.nested), 0);
	v0 = vec_alloc(fx, dev, DB0, &m0);
	v1 = vec_alloc(fx, dev, DB1, &m1);
	/* Same domain underneath: nothing to install either way. */
	jlen = mock_iommu_journal_len(fx->mock);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, n.parent), 0);
	assert_int_equal(dev_hwpt(fx, dev), n.parent);
	assert_int_equal(mock_iommu_journal_len(fx->mock), jlen);
	expect_fire(fx, dev, v0, DB0);
	expect_fire(fx, dev, v1, DB1);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, n.nested), 0);
	assert_int_equal(dev_hwpt(fx, dev), n.nested);
	expect_fire(fx, dev, v0, DB0);
	expect_fire(fx, dev, v1, DB1);
	/* The message addresses never changed. */
	assert_int_equal(swmsi_device_vectors(fx->ctx, dev, vi, 2, &cnt), 0);
	assert_int_equal(cnt, 2);
	assert_int_equal(vi[0].msg_addr, m0);
	assert_int_equal(vi[1].msg_addr, m1);
}

/* Replace from a nested HWPT to another parent installs there first. */
static void device_replace_nested_to_other_parent_installs_first(void **state)
{
	struct fx *fx = *state;
	uint32_t dev = fx_bind(fx, 1), v0, ids[4];
	uint64_t m0 = 0;
	struct nest a, b;

	nest_new(fx, &a);
	nest_new(fx, &b);
	rmr_map(fx, a.nested);
	rmr_map(fx, b.nested);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a.nested), 0);
	v0 = vec_alloc(fx, dev, DB0, &m0);
	assert_int_equal(present_ids(fx, b.parent, ids, 4), 0);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, b.nested), 0);
	assert_int_equal(present_ids(fx, b.parent, ids, 4), 1);
	expect_fire(fx, dev, v0, DB0);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, a.parent), 0);
	expect_fire(fx, dev, v0, DB0);
}

/* Under reclaim, a page is needed on a parent while a nested child's group requires it. */
static void msi_free_nested_reclaim_unmaps_from_parent(void **state)
{
	struct fx *fx = *state;
	uint32_t d1 = fx_bind(fx, 1), d2 = fx_bind(fx, 2), v1, v2, ids[4];
	uint64_t m1 = 0, m2 = 0;
	struct nest n;

	nest_new(fx, &n);
	rmr_map(fx, n.nested);
	assert_int_equal(swmsi_device_attach(fx->ctx, d1, n.nested), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, n.parent), 0);
	v1 = vec_alloc(fx, d1, DB0, &m1);
	v2 = vec_alloc(fx, d2, DB0, &m2);
	assert_int_equal(m1, m2);
	assert_int_equal(swmsi_msi_free(fx->ctx, d2, v2), 0);
	/* d1's group, on the nested child, still needs it. */
	assert_int_equal(present_ids(fx, n.parent, ids, 4), 1);
	expect_fire(fx, d1, v1, DB0);
	assert_int_equal(swmsi_msi_free(fx->ctx, d1, v1), 0);
	assert_int_equal(present_ids(fx, n.parent, ids, 4), 0);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, hwpt_domain(fx, n.parent)), 0);
}

/* Under reclaim, leaving a parent for another one unmaps what nobody there needs. */
static void device_replace_nested_to_other_parent_reclaim_unmaps_old(void **state)
{
	struct fx *fx = *state;
	uint32_t dev = fx_bind(fx, 1), v0, v1, ids[4];
	uint64_t m0 = 0, m1 = 0;
	struct nest a, b;

	nest_new(fx, &a);
	nest_new(fx, &b);
	rmr_map(fx, a.nested);
	rmr_map(fx, b.nested);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a.nested), 0);
	v0 = vec_alloc(fx, dev, DB0, &m0);
	v1 = vec_alloc(fx, dev, DB1, &m1);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, b.nested), 0);
	assert_int_equal(present_ids(fx, a.parent, ids, 4), 0);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, hwpt_domain(fx, a.parent)), 0);
	assert_int_equal(present_ids(fx, b.parent, ids, 4), 2);
	expect_fire(fx, dev, v0, DB0);
	expect_fire(fx, dev, v1, DB1);
}

/* Under reclaim, a sibling's group keeps the pages it requires on the parent. */
static void device_detach_nested_reclaim_sibling_keeps_its_pages(void **state)
{
	struct fx *fx = *state;
	uint32_t d1 = fx_bind(fx, 1), d2 = fx_bind(fx, 2), n2 = 0, v1, v2, ids[4];
	uint64_t m1 = 0, m2 = 0;
	struct nest n;

	nest_new(fx, &n);
	assert_int_equal(swmsi_hwpt_alloc_nested(fx->ctx, n.parent, &n2), 0);
	rmr_map(fx, n.nested);
	rmr_map(fx, n2);
	assert_int_equal(swmsi_device_attach(fx->ctx, d1, n.nested), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, n2), 0);
	v1 = vec_alloc(fx, d1, DB0, &m1);
	vec_alloc(fx, d1, DB1, &m1);
	v2 = vec_alloc(fx, d2, DB0, &m2);
	assert_int_equal(swmsi_device_detach(fx->ctx, d1), 0);
	/* DB1 was d1's alone; DB0 is still required by d2's group. */
	assert_int_equal(present_ids(fx, n.parent, ids, 4), 1);
	assert_int_equal(ids[0], 0);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, hwpt_domain(fx, n.parent)), 1);
	expect_fire(fx, d2, v2, DB0);
	/* And back: d1's pages are installed again, same addresses. */
	assert_int_equal(swmsi_device_attach(fx->ctx, d1, n.nested), 0);
	assert_int_equal(present_ids(fx, n.parent, ids, 4), 2);
	expect_fire(fx, d1, v1, DB0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
#define TR(fn) cmocka_unit_test_setup_teardown(fn, fx_setup_reclaim, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(hwpt_alloc_nested_reports_parent_and_its_domain),
		T(hwpt_alloc_nested_parent_without_flag_fails_einval),
		T(hwpt_alloc_nested_over_nested_fails_einval),
		T(hwpt_alloc_nested_ioas_or_device_id_fails_enoent),
		T(hwpt_alloc_nested_two_children_share_parent_domain),
		T(destroy_nested_tree_busy_until_taken_apart_in_order),
		T(destroy_parent_with_attached_device_fails_ebusy),
		T(hwpt_iova_to_phys_nested_walks_stage1_then_parent),
		T(hwpt_iova_to_phys_nested_without_stage1_fails_enoent),
		T(hwpt_iova_to_phys_nested_without_parent_mapping_fails_enoent),
		T(hwpt_nested_map_is_per_nested_hwpt),
		T(hwpt_nested_map_bad_arguments_fail),
		T(msi_alloc_nested_installs_in_parent_domain),
		T(msi_fire_nested_without_rmr_fails_efault),
		T(msi_fire_nested_window_mapped_elsewhere_fails_efault),
		T(msi_alloc_two_nested_same_parent_share_pages),
		T(device_attach_nested_installs_required_pages_in_parent),
		T(device_replace_nested_and_parent_keeps_iovas),
		T(device_replace_nested_to_other_parent_installs_first),
		TR(msi_free_nested_reclaim_unmaps_from_parent),
		TR(device_replace_nested_to_other_parent_reclaim_unmaps_old),
		TR(device_detach_nested_reclaim_sibling_keeps_its_pages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
