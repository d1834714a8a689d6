/* SPDX-License-Identifier: MIT */
/*
 * IO address spaces: user mappings mirrored into every paging HWPT of the
 * IOAS, SW_MSI windows reserved while a device using them is attached, the
 * ioas_map/ioas_unmap error rules and their order, and automatic HWPTs.
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
#define WIN_END		(FX_WINDOW_START + FX_WINDOW_SIZE)
#define PAGE		0x1000ull

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

/* Every page of [iova, iova + len) translates to paddr + offset with @prot. */
static void expect_mapped(struct fx *fx, uint32_t hwpt, uint64_t iova, uint64_t paddr,
			  uint64_t len, uint32_t prot)
{
	void *dom = hwpt_domain(fx, hwpt);
	uint64_t off;

	for (off = 0; off < len; off += PAGE) {
		uint64_t pa = 0;
		uint32_t p = 0;

		assert_int_equal(mock_iommu_lookup(fx->mock, dom, iova + off, &pa, &p), 0);
		assert_int_equal(pa, paddr + off);
		assert_int_equal(p, prot);
		pa = 0;
		assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, hwpt, iova + off + 0x18, &pa), 0);
		assert_int_equal(pa, paddr + off + 0x18);
	}
}

static void expect_unmapped(struct fx *fx, uint32_t hwpt, uint64_t iova, uint64_t len)
{
	void *dom = hwpt_domain(fx, hwpt);
	uint64_t off;

	for (off = 0; off < len; off += PAGE) {
		uint64_t pa = 0;

		assert_int_equal(mock_iommu_lookup(fx->mock, dom, iova + off, &pa, NULL), -ENOENT);
		assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, hwpt, iova + off, &pa), -ENOENT);
	}
}

static int map(struct fx *fx, uint32_t ioas, uint64_t iova, uint64_t paddr, uint64_t len)
{
	return swmsi_ioas_map(fx->ctx, ioas, iova, paddr, len, RW);
}

/* Runs an expected failure and checks it changed nothing. */
static void expect_map_fails(struct fx *fx, uint32_t ioas, uint64_t iova, uint64_t paddr,
			     uint64_t len, int err)
{
	struct snap *before = snap_take(fx), *after;
	char label[96];

	snprintf(label, sizeof(label), "ioas_map(0x%llx, +0x%llx)", (unsigned long long)iova,
		 (unsigned long long)len);
	assert_int_equal(map(fx, ioas, iova, paddr, len), err);
	after = snap_take(fx);
	snap_expect_same(label, before, after);
	snap_free(after);
	snap_free(before);
}

static void expect_unmap_fails(struct fx *fx, uint32_t ioas, uint64_t iova, uint64_t len,
			       int err)
{
	struct snap *before = snap_take(fx), *after;
	char label[96];

	snprintf(label, sizeof(label), "ioas_unmap(0x%llx, +0x%llx)", (unsigned long long)iova,
		 (unsigned long long)len);
	assert_int_equal(swmsi_ioas_unmap(fx->ctx, ioas, iova, len), err);
	after = snap_take(fx);
	snap_expect_same(label, before, after);
	snap_free(after);
	snap_free(before);
}

/* ------------------------------------------------------------------------ */
/* Mirroring */

static void ioas_map_two_hwpts_mirrors_into_both(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx);
	uint32_t h1 = fx_hwpt(fx, ioas, 0);
	uint32_t h2 = fx_hwpt(fx, ioas, SWMSI_HWPT_NEST_PARENT);

	assert_int_equal(map(fx, ioas, 0x100000, 0x40000000, 0x3000), 0);
	expect_mapped(fx, h1, 0x100000, 0x40000000, 0x3000, RW);
	expect_mapped(fx, h2, 0x100000, 0x40000000, 0x3000, RW);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, hwpt_domain(fx, h1)), 3);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, hwpt_domain(fx, h2)), 3);
}

static void hwpt_alloc_after_ioas_map_mirrors_existing(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h;

	assert_int_equal(map(fx, ioas, 0x100000, 0x40000000, 0x2000), 0);
	assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, 0x400000, 0x7000000, 0x1000,
					SWMSI_PROT_READ), 0);
	h = fx_hwpt(fx, ioas, 0);
	expect_mapped(fx, h, 0x100000, 0x40000000, 0x2000, RW);
	expect_mapped(fx, h, 0x400000, 0x7000000, 0x1000, SWMSI_PROT_READ);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, hwpt_domain(fx, h)), 3);
}

static void ioas_map_prot_preserved_in_every_hwpt(void **state)
{
	static const uint32_t prots[] = {
		SWMSI_PROT_READ, SWMSI_PROT_WRITE, RW, RW | SWMSI_PROT_MMIO,
		SWMSI_PROT_READ | SWMSI_PROT_MMIO,
	};
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h1, h2;
	size_t i;

	h1 = fx_hwpt(fx, ioas, 0);
	for (i = 0; i < sizeof(prots) / sizeof(prots[0]); i++)
		assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, 0x100000 + i * 0x10000,
						0x40000000 + i * 0x10000, 0x2000, prots[i]), 0);
	h2 = fx_hwpt(fx, ioas, 0);
	for (i = 0; i < sizeof(prots) / sizeof(prots[0]); i++) {
		expect_mapped(fx, h1, 0x100000 + i * 0x10000, 0x40000000 + i * 0x10000, 0x2000,
			      prots[i]);
		expect_mapped(fx, h2, 0x100000 + i * 0x10000, 0x40000000 + i * 0x10000, 0x2000,
			      prots[i]);
	}
}

/* An automatic HWPT is a paging HWPT of the IOAS like any other. */
static void ioas_map_auto_hwpt_mirrors_both_ways(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), dev = fx_bind(fx, 1), h;

	assert_int_equal(map(fx, ioas, 0x100000, 0x40000000, 0x1000), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
	h = dev_hwpt(fx, dev);
	expect_mapped(fx, h, 0x100000, 0x40000000, 0x1000, RW);
	assert_int_equal(map(fx, ioas, 0x200000, 0x50000000, 0x1000), 0);
	expect_mapped(fx, h, 0x200000, 0x50000000, 0x1000, RW);
}

/* Mappings of one IOAS never show up in another IOAS's HWPTs. */
static void ioas_map_other_ioas_hwpt_untouched(void **state)
{
	struct fx *fx = *state;
	uint32_t i1 = fx_ioas(fx), i2 = fx_ioas(fx);
	uint32_t h1 = fx_hwpt(fx, i1, 0), h2 = fx_hwpt(fx, i2, 0);

	assert_int_equal(map(fx, i1, 0x100000, 0x40000000, 0x1000), 0);
	expect_mapped(fx, h1, 0x100000, 0x40000000, 0x1000, RW);
	expect_unmapped(fx, h2, 0x100000, 0x1000);
	/* The same IOVA is free in the other IOAS. */
	assert_int_equal(map(fx, i2, 0x100000, 0x60000000, 0x1000), 0);
	expect_mapped(fx, h2, 0x100000, 0x60000000, 0x1000, RW);
	expect_mapped(fx, h1, 0x100000, 0x40000000, 0x1000, RW);
}

static void ioas_map_mirror_fails_undoes_others_returns_error(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h1, h2;

	h1 = fx_hwpt(fx, ioas, 0);
	h2 = fx_hwpt(fx, ioas, 0);
	/* Two HWPTs take at least two map calls: the second one fails. */
	mock_iommu_fail_map(fx->mock, 2, -EIO);
	expect_map_fails(fx, ioas, 0x100000, 0x40000000, 0x2000, -EIO);
	mock_iommu_fail_map(fx->mock, 0, 0);
	expect_unmapped(fx, h1, 0x100000, 0x2000);
	expect_unmapped(fx, h2, 0x100000, 0x2000);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, NULL), 0);
	/* The IOAS holds nothing either: the same range maps afterwards. */
	assert_int_equal(map(fx, ioas, 0x100000, 0x40000000, 0x2000), 0);
	expect_mapped(fx, h1, 0x100000, 0x40000000, 0x2000, RW);
	expect_mapped(fx, h2, 0x100000, 0x40000000, 0x2000, RW);
}

/* ------------------------------------------------------------------------ */
/* Reserved SW_MSI windows */

static void ioas_map_into_reserved_window_fails_eaddrinuse(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h), 0);
	/* Inside, at the start, at the end, straddling either edge, covering. */
	expect_map_fails(fx, ioas, FX_WINDOW_START, 0x40000000, PAGE, -EADDRINUSE);
	expect_map_fails(fx, ioas, FX_WINDOW_START + 0x10000, 0x40000000, PAGE, -EADDRINUSE);
	expect_map_fails(fx, ioas, WIN_END - PAGE, 0x40000000, PAGE, -EADDRINUSE);
	expect_map_fails(fx, ioas, FX_WINDOW_START - PAGE, 0x40000000, 2 * PAGE, -EADDRINUSE);
	expect_map_fails(fx, ioas, WIN_END - PAGE, 0x40000000, 2 * PAGE, -EADDRINUSE);
	expect_map_fails(fx, ioas, FX_WINDOW_START - PAGE, 0x40000000, FX_WINDOW_SIZE + 2 * PAGE,
			 -EADDRINUSE);
	/* Right next to the window is fine. */
	assert_int_equal(map(fx, ioas, FX_WINDOW_START - PAGE, 0x40000000, PAGE), 0);
	assert_int_equal(map(fx, ioas, WIN_END, 0x40001000, PAGE), 0);
	expect_mapped(fx, h, FX_WINDOW_START - PAGE, 0x40000000, PAGE, RW);
	expect_mapped(fx, h, WIN_END, 0x40001000, PAGE, RW);
}

/* Attaching to the IOAS itself (its automatic HWPT) reserves the window too. */
static void ioas_map_into_window_of_auto_hwpt_fails_eaddrinuse(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), dev = fx_bind(fx, 1);

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
	expect_map_fails(fx, ioas, FX_WINDOW_START, 0x40000000, PAGE, -EADDRINUSE);
}

/* Only the IOAS the device sits on reserves the window. */
static void ioas_map_window_of_other_ioas_succeeds(void **state)
{
	struct fx *fx = *state;
	uint32_t i1 = fx_ioas(fx), i2 = fx_ioas(fx), dev = fx_bind(fx, 1);
	uint32_t h1 = fx_hwpt(fx, i1, 0), h2 = fx_hwpt(fx, i2, 0);

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h1), 0);
	assert_int_equal(map(fx, i2, FX_WINDOW_START, 0x40000000, PAGE), 0);
	expect_mapped(fx, h2, FX_WINDOW_START, 0x40000000, PAGE, RW);
}

/* A device without a window reserves nothing. */
static void ioas_map_device_without_window_reserves_nothing(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0), dev = fx_bind_nowin(fx, 1);

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h), 0);
	assert_int_equal(map(fx, ioas, FX_WINDOW_START, 0x40000000, PAGE), 0);
	expect_mapped(fx, h, FX_WINDOW_START, 0x40000000, PAGE, RW);
}

static void device_attach_ioas_maps_into_window_fails_eaddrinuse(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);
	struct snap *before, *after;

	assert_int_equal(map(fx, ioas, WIN_END - PAGE, 0x40000000, 2 * PAGE), 0);
	before = snap_take(fx);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h), -EADDRINUSE);
	/* Through the IOAS: no automatic HWPT may be left behind either. */
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), -EADDRINUSE);
	after = snap_take(fx);
	snap_expect_same("attach into a mapped window", before, after);
	snap_free(after);
	snap_free(before);
	assert_int_equal(dev_hwpt(fx, dev), 0);
}

static void device_replace_ioas_maps_into_window_fails_eaddrinuse(void **state)
{
	struct fx *fx = *state;
	uint32_t i1 = fx_ioas(fx), i2 = fx_ioas(fx);
	uint32_t h1 = fx_hwpt(fx, i1, 0), h2 = fx_hwpt(fx, i2, 0), dev = fx_bind(fx, 1);
	struct snap *before, *after;
	uint32_t vec = 0;
	uint64_t msg = 0, pa = 0;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h1), 0);
	assert_int_equal(swmsi_msi_alloc(fx->ctx, dev, FX_ITS_PAGE + 0x40, &vec, &msg), 0);
	assert_int_equal(map(fx, i2, FX_WINDOW_START + 0x80000, 0x40000000, PAGE), 0);
	before = snap_take(fx);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, h2), -EADDRINUSE);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, i2), -EADDRINUSE);
	after = snap_take(fx);
	snap_expect_same("replace into a mapped window", before, after);
	snap_free(after);
	snap_free(before);
	assert_int_equal(dev_hwpt(fx, dev), h1);
	assert_int_equal(swmsi_msi_fire(fx->ctx, dev, vec, &pa), 0);
	assert_int_equal(pa, FX_ITS_PAGE + 0x40);
}

/* The window stays reserved while any device using it is attached. */
static void ioas_map_window_free_after_last_device_leaves(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0);
	uint32_t d1 = fx_bind(fx, 1), d2 = fx_bind(fx, 2), d3 = fx_bind(fx, 1);

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, h), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, h), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d3, h), 0);
	assert_int_equal(swmsi_device_detach(fx->ctx, d1), 0);
	expect_map_fails(fx, ioas, FX_WINDOW_START, 0x40000000, PAGE, -EADDRINUSE);
	assert_int_equal(swmsi_device_unbind(fx->ctx, d2), 0);
	expect_map_fails(fx, ioas, FX_WINDOW_START, 0x40000000, PAGE, -EADDRINUSE);
	assert_int_equal(swmsi_device_detach(fx->ctx, d3), 0);
	assert_int_equal(map(fx, ioas, FX_WINDOW_START, 0x40000000, PAGE), 0);
	expect_mapped(fx, h, FX_WINDOW_START, 0x40000000, PAGE, RW);
	/* And now the IOAS maps into the window, attach is refused. */
	assert_int_equal(swmsi_device_attach(fx->ctx, d1, h), -EADDRINUSE);
}

/* A replace away from the IOAS releases the window on it. */
static void ioas_map_window_free_after_replace_away(void **state)
{
	struct fx *fx = *state;
	uint32_t i1 = fx_ioas(fx), i2 = fx_ioas(fx);
	uint32_t h1 = fx_hwpt(fx, i1, 0), h2 = fx_hwpt(fx, i2, 0), dev = fx_bind(fx, 1);

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h1), 0);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, h2), 0);
	assert_int_equal(map(fx, i1, FX_WINDOW_START, 0x40000000, PAGE), 0);
	expect_map_fails(fx, i2, FX_WINDOW_START, 0x40000000, PAGE, -EADDRINUSE);
}

/* The window reserved is the one the group uses: the override, if set. */
static void ioas_map_reserves_overridden_window_not_reported_one(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);

	assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, 0x10000000, 0x10000), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h), 0);
	expect_map_fails(fx, ioas, 0x1000f000, 0x40000000, PAGE, -EADDRINUSE);
	assert_int_equal(map(fx, ioas, FX_WINDOW_START, 0x40000000, PAGE), 0);
	assert_int_equal(map(fx, ioas, 0x10010000, 0x40001000, PAGE), 0);
	expect_mapped(fx, h, FX_WINDOW_START, 0x40000000, PAGE, RW);
}

static void device_attach_ioas_maps_into_overridden_window_fails_eaddrinuse(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);
	struct snap *before, *after;

	assert_int_equal(map(fx, ioas, 0x10008000, 0x40000000, PAGE), 0);
	assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, 0x10000000, 0x10000), 0);
	before = snap_take(fx);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h), -EADDRINUSE);
	after = snap_take(fx);
	snap_expect_same("attach into a mapped override window", before, after);
	snap_free(after);
	snap_free(before);
}

/* State checks come before policy: an attached device is -EINVAL first. */
static void device_attach_bad_state_beats_eaddrinuse(void **state)
{
	struct fx *fx = *state;
	uint32_t i1 = fx_ioas(fx), i2 = fx_ioas(fx);
	uint32_t h1 = fx_hwpt(fx, i1, 0), h2 = fx_hwpt(fx, i2, 0);
	uint32_t d1 = fx_bind(fx, 1), d2 = fx_bind(fx, 1), d3 = fx_bind(fx, 3);
	struct snap *before, *after;

	assert_int_equal(map(fx, i2, FX_WINDOW_START, 0x40000000, PAGE), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d1, h1), 0);
	before = snap_take(fx);
	/* Attached device; group sits elsewhere; not attached for replace. */
	assert_int_equal(swmsi_device_attach(fx->ctx, d1, h2), -EINVAL);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, h2), -EINVAL);
	assert_int_equal(swmsi_device_replace(fx->ctx, d3, h2), -EINVAL);
	after = snap_take(fx);
	snap_expect_same("bad state and a mapped window", before, after);
	snap_free(after);
	snap_free(before);
}

/*
 * Under reclaim none an MSI page stays in a domain after its group leaves;
 * the window is no longer reserved, so ioas_map goes ahead, and mirroring
 * into that domain meets the page: the backend's -EEXIST, every other
 * mirror undone.
 */
static void ioas_map_over_stale_msi_page_fails_eexist_changes_nothing(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h1 = fx_hwpt(fx, ioas, 0), h2 = fx_hwpt(fx, ioas, 0);
	uint32_t dev = fx_bind(fx, 1), vec = 0;
	uint64_t msg = 0;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h1), 0);
	assert_int_equal(swmsi_msi_alloc(fx->ctx, dev, FX_ITS_PAGE, &vec, &msg), 0);
	assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, hwpt_domain(fx, h1)), 1);
	expect_map_fails(fx, ioas, FX_WINDOW_START, 0x40000000, 2 * PAGE, -EEXIST);
	expect_unmapped(fx, h2, FX_WINDOW_START, 2 * PAGE);
	/* Beside the stale page the window is free for DMA. */
	assert_int_equal(map(fx, ioas, FX_WINDOW_START + PAGE, 0x40000000, PAGE), 0);
	expect_mapped(fx, h1, FX_WINDOW_START + PAGE, 0x40000000, PAGE, RW);
	expect_mapped(fx, h2, FX_WINDOW_START + PAGE, 0x40000000, PAGE, RW);
}

/* ------------------------------------------------------------------------ */
/* ioas_map argument rules and their order */

static void ioas_map_overlap_fails_eexist(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0);

	assert_int_equal(map(fx, ioas, 0x100000, 0x40000000, 0x4000), 0);
	expect_map_fails(fx, ioas, 0x100000, 0x50000000, 0x4000, -EEXIST);
	expect_map_fails(fx, ioas, 0x0ff000, 0x50000000, 0x2000, -EEXIST);
	expect_map_fails(fx, ioas, 0x103000, 0x50000000, 0x2000, -EEXIST);
	expect_map_fails(fx, ioas, 0x101000, 0x50000000, 0x1000, -EEXIST);
	expect_map_fails(fx, ioas, 0x0f0000, 0x50000000, 0x20000, -EEXIST);
	/* Adjacent on both sides is fine. */
	assert_int_equal(map(fx, ioas, 0x0ff000, 0x50000000, PAGE), 0);
	assert_int_equal(map(fx, ioas, 0x104000, 0x50001000, PAGE), 0);
	expect_mapped(fx, h, 0x0ff000, 0x50000000, PAGE, RW);
	expect_mapped(fx, h, 0x100000, 0x40000000, 0x4000, RW);
	expect_mapped(fx, h, 0x104000, 0x50001000, PAGE, RW);
}

static void ioas_map_misaligned_or_zero_fails_einval(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx);

	fx_hwpt(fx, ioas, 0);
	expect_map_fails(fx, ioas, 0x100800, 0x40000000, PAGE, -EINVAL);
	expect_map_fails(fx, ioas, 0x100000, 0x40000800, PAGE, -EINVAL);
	expect_map_fails(fx, ioas, 0x100000, 0x40000000, 0x800, -EINVAL);
	expect_map_fails(fx, ioas, 0x100000, 0x40000000, PAGE + 1, -EINVAL);
	expect_map_fails(fx, ioas, 0x100000, 0x40000000, 0, -EINVAL);
}

/* With 16K pages, a 4K-aligned map is misaligned. */
static void ioas_map_16k_misaligned_fails_einval(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0);

	expect_map_fails(fx, ioas, 0x101000, 0x40000000, 0x4000, -EINVAL);
	expect_map_fails(fx, ioas, 0x100000, 0x40001000, 0x4000, -EINVAL);
	expect_map_fails(fx, ioas, 0x100000, 0x40000000, 0x1000, -EINVAL);
	assert_int_equal(map(fx, ioas, 0x100000, 0x40000000, 0x8000), 0);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, hwpt_domain(fx, h)), 2);
}

static void ioas_map_wrap_fails_eoverflow(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx);

	expect_map_fails(fx, ioas, UINT64_MAX - 0xfff, 0x40000000, 2 * PAGE, -EOVERFLOW);
	expect_map_fails(fx, ioas, 0xfffffffffff00000ull, 0x40000000, 0x200000, -EOVERFLOW);
	expect_map_fails(fx, ioas, PAGE, 0x40000000, UINT64_MAX - 0xfff, -EOVERFLOW);
}

static void ioas_map_checks_einval_before_eoverflow(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx);

	/* Wraps, and misaligned: -EINVAL wins. */
	expect_map_fails(fx, ioas, UINT64_MAX - 0xfff, 0x40000800, 2 * PAGE, -EINVAL);
	expect_map_fails(fx, ioas, UINT64_MAX - 0xfff, 0x40000000, 2 * PAGE + 8, -EINVAL);
}

static void ioas_map_checks_eoverflow_before_eaddrinuse(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h), 0);
	/* Wraps around zero and on over the window. */
	expect_map_fails(fx, ioas, UINT64_MAX - 0xfff, 0x40000000, 0x10000000, -EOVERFLOW);
}

static void ioas_map_checks_eaddrinuse_before_eexist(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);

	assert_int_equal(map(fx, ioas, FX_WINDOW_START - 0x10000, 0x40000000, 0x10000), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h), 0);
	/* Overlaps the mapping and the reserved window. */
	expect_map_fails(fx, ioas, FX_WINDOW_START - 0x10000, 0x50000000, 0x11000, -EADDRINUSE);
}

/* ------------------------------------------------------------------------ */
/* ioas_unmap */

static void ioas_unmap_exact_range_removes_it(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0);

	assert_int_equal(map(fx, ioas, 0x100000, 0x40000000, 0x3000), 0);
	assert_int_equal(swmsi_ioas_unmap(fx->ctx, ioas, 0x100000, 0x3000), 0);
	expect_unmapped(fx, h, 0x100000, 0x3000);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, NULL), 0);
	/* Gone from the IOAS too: a second unmap finds nothing. */
	expect_unmap_fails(fx, ioas, 0x100000, 0x3000, -ENOENT);
}

static void ioas_unmap_wide_range_removes_every_mapping_inside(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h1 = fx_hwpt(fx, ioas, 0), h2;

	assert_int_equal(map(fx, ioas, 0x100000, 0x40000000, 0x2000), 0);
	assert_int_equal(map(fx, ioas, 0x102000, 0x41000000, 0x1000), 0);
	assert_int_equal(map(fx, ioas, 0x180000, 0x42000000, 0x4000), 0);
	assert_int_equal(map(fx, ioas, 0x300000, 0x43000000, 0x1000), 0);
	h2 = fx_hwpt(fx, ioas, 0);
	/* Gaps inside the range are fine; the mapping at 0x300000 stays. */
	assert_int_equal(swmsi_ioas_unmap(fx->ctx, ioas, 0x0f0000, 0x200000), 0);
	expect_unmapped(fx, h1, 0x100000, 0x3000);
	expect_unmapped(fx, h1, 0x180000, 0x4000);
	expect_unmapped(fx, h2, 0x100000, 0x3000);
	expect_unmapped(fx, h2, 0x180000, 0x4000);
	expect_mapped(fx, h1, 0x300000, 0x43000000, 0x1000, RW);
	expect_mapped(fx, h2, 0x300000, 0x43000000, 0x1000, RW);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, NULL), 2);
}

static void ioas_unmap_nothing_inside_fails_enoent(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx);

	fx_hwpt(fx, ioas, 0);
	expect_unmap_fails(fx, ioas, 0x100000, 0x1000, -ENOENT);
	assert_int_equal(map(fx, ioas, 0x100000, 0x40000000, 0x2000), 0);
	expect_unmap_fails(fx, ioas, 0x200000, 0x10000, -ENOENT);
	expect_unmap_fails(fx, ioas, 0x0ff000, 0x1000, -ENOENT);
	expect_unmap_fails(fx, ioas, 0x102000, 0x1000, -ENOENT);
}

static void ioas_unmap_straddling_start_fails_enoent_removes_nothing(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0);

	assert_int_equal(map(fx, ioas, 0x100000, 0x40000000, 0x4000), 0);
	assert_int_equal(map(fx, ioas, 0x110000, 0x41000000, 0x1000), 0);
	/* The second mapping is wholly inside, the first is cut: nothing goes. */
	expect_unmap_fails(fx, ioas, 0x102000, 0x20000, -ENOENT);
	expect_mapped(fx, h, 0x100000, 0x40000000, 0x4000, RW);
	expect_mapped(fx, h, 0x110000, 0x41000000, 0x1000, RW);
}

static void ioas_unmap_straddling_end_fails_enoent_removes_nothing(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0);

	assert_int_equal(map(fx, ioas, 0x0f0000, 0x41000000, 0x1000), 0);
	assert_int_equal(map(fx, ioas, 0x100000, 0x40000000, 0x4000), 0);
	expect_unmap_fails(fx, ioas, 0x0e0000, 0x22000, -ENOENT);
	expect_mapped(fx, h, 0x0f0000, 0x41000000, 0x1000, RW);
	expect_mapped(fx, h, 0x100000, 0x40000000, 0x4000, RW);
}

static void ioas_unmap_inside_one_mapping_fails_enoent(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0);

	assert_int_equal(map(fx, ioas, 0x100000, 0x40000000, 0x4000), 0);
	expect_unmap_fails(fx, ioas, 0x101000, 0x2000, -ENOENT);
	expect_unmap_fails(fx, ioas, 0x100000, 0x1000, -ENOENT);
	expect_unmap_fails(fx, ioas, 0x103000, 0x1000, -ENOENT);
	expect_mapped(fx, h, 0x100000, 0x40000000, 0x4000, RW);
}

static void ioas_unmap_misaligned_or_zero_fails_einval(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx);

	assert_int_equal(map(fx, ioas, 0x100000, 0x40000000, 0x4000), 0);
	expect_unmap_fails(fx, ioas, 0x100800, 0x1000, -EINVAL);
	expect_unmap_fails(fx, ioas, 0x100000, 0x3800, -EINVAL);
	expect_unmap_fails(fx, ioas, 0x100000, 0, -EINVAL);
}

/* ------------------------------------------------------------------------ */
/* Automatic HWPTs */

static void device_attach_ioas_creates_auto_hwpt(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), dev = fx_bind(fx, 1), h;
	struct swmsi_hwpt_info hi;
	enum swmsi_obj_type t;
	struct swmsi_device_info di;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
	assert_int_equal(swmsi_device_info(fx->ctx, dev, &di), 0);
	assert_true(di.attached);
	h = di.hwpt_id;
	assert_int_not_equal(h, 0);
	assert_int_not_equal(h, ioas);
	assert_int_equal(swmsi_obj_type(fx->ctx, h, &t), 0);
	assert_int_equal(t, SWMSI_OBJ_HWPT_PAGING);
	assert_int_equal(swmsi_hwpt_info(fx->ctx, h, &hi), 0);
	assert_true(hi.is_auto);
	assert_int_equal(hi.ioas_id, ioas);
	assert_int_equal(hi.groups, 1);
	assert_int_equal(mock_iommu_domain_count(fx->mock), 1);
}

static void device_attach_ioas_second_group_reuses_auto_hwpt(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), d1 = fx_bind(fx, 1), d2 = fx_bind(fx, 2);
	struct swmsi_hwpt_info hi;
	uint32_t vec = 0;
	uint64_t m1 = 0, m2 = 0, pa = 0;

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, ioas), 0);
	assert_int_equal(swmsi_msi_alloc(fx->ctx, d1, FX_ITS_PAGE, &vec, &m1), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, ioas), 0);
	assert_int_equal(dev_hwpt(fx, d1), dev_hwpt(fx, d2));
	assert_int_equal(mock_iommu_domain_count(fx->mock), 1);
	assert_int_equal(swmsi_hwpt_info(fx->ctx, dev_hwpt(fx, d1), &hi), 0);
	assert_int_equal(hi.groups, 2);
	assert_int_equal(swmsi_msi_alloc(fx->ctx, d2, FX_ITS_PAGE, &vec, &m2), 0);
	assert_int_equal(m1, m2);
	assert_int_equal(swmsi_msi_fire(fx->ctx, d2, vec, &pa), 0);
	assert_int_equal(pa, FX_ITS_PAGE);
}

static void device_attach_ioas_never_reuses_user_hwpt(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), user = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);
	struct swmsi_hwpt_info hi;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
	assert_int_not_equal(dev_hwpt(fx, dev), user);
	assert_int_equal(swmsi_hwpt_info(fx->ctx, dev_hwpt(fx, dev), &hi), 0);
	assert_true(hi.is_auto);
	assert_int_equal(swmsi_hwpt_info(fx->ctx, user, &hi), 0);
	assert_false(hi.is_auto);
	assert_int_equal(hi.groups, 0);
	assert_int_equal(mock_iommu_domain_count(fx->mock), 2);
}

/* One automatic HWPT per IOAS: a third group still shares it. */
static void device_attach_ioas_at_most_one_auto_hwpt(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), d[3];
	unsigned int i;

	for (i = 0; i < 3; i++) {
		d[i] = fx_bind(fx, 10 + i);
		assert_int_equal(swmsi_device_attach(fx->ctx, d[i], ioas), 0);
		assert_int_equal(dev_hwpt(fx, d[i]), dev_hwpt(fx, d[0]));
	}
	assert_int_equal(mock_iommu_domain_count(fx->mock), 1);
}

static void device_detach_last_destroys_auto_hwpt(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), d1 = fx_bind(fx, 1), d2 = fx_bind(fx, 2), h;
	struct swmsi_ctx_stats st;
	enum swmsi_obj_type t;

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, ioas), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, ioas), 0);
	h = dev_hwpt(fx, d1);
	assert_int_equal(swmsi_device_detach(fx->ctx, d1), 0);
	assert_int_equal(swmsi_obj_type(fx->ctx, h, &t), 0);
	assert_int_equal(swmsi_device_detach(fx->ctx, d2), 0);
	assert_int_equal(swmsi_obj_type(fx->ctx, h, &t), -ENOENT);
	assert_int_equal(mock_iommu_domain_count(fx->mock), 0);
	assert_int_equal(swmsi_ctx_stats(fx->ctx, &st), 0);
	assert_int_equal(st.objects, 3);
	/* Nothing holds the IOAS any more. */
	assert_int_equal(swmsi_destroy(fx->ctx, ioas), 0);
}

static void device_unbind_last_destroys_auto_hwpt(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), dev = fx_bind(fx, 1), h;
	enum swmsi_obj_type t;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
	h = dev_hwpt(fx, dev);
	assert_int_equal(swmsi_device_unbind(fx->ctx, dev), 0);
	assert_int_equal(swmsi_obj_type(fx->ctx, h, &t), -ENOENT);
	assert_int_equal(mock_iommu_domain_count(fx->mock), 0);
}

static void device_replace_away_destroys_auto_hwpt(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), user = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1), h;
	enum swmsi_obj_type t;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
	h = dev_hwpt(fx, dev);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, user), 0);
	assert_int_equal(dev_hwpt(fx, dev), user);
	assert_int_equal(swmsi_obj_type(fx->ctx, h, &t), -ENOENT);
	assert_int_equal(mock_iommu_domain_count(fx->mock), 1);
}

static void ioas_destroy_with_auto_hwpt_fails_ebusy(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), dev = fx_bind(fx, 1);
	struct snap *before, *after;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
	before = snap_take(fx);
	assert_int_equal(swmsi_destroy(fx->ctx, ioas), -EBUSY);
	after = snap_take(fx);
	snap_expect_same("destroy of a busy IOAS", before, after);
	snap_free(after);
	snap_free(before);
}

static void device_replace_to_ioas_already_on_auto_is_noop(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), dev = fx_bind(fx, 1), vec = 0;
	uint64_t msg = 0;
	struct snap *before, *after;
	size_t jlen;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
	assert_int_equal(swmsi_msi_alloc(fx->ctx, dev, FX_ITS_PAGE + 0x40, &vec, &msg), 0);
	before = snap_take(fx);
	jlen = mock_iommu_journal_len(fx->mock);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, ioas), 0);
	/* Not even a new domain made and thrown away. */
	assert_int_equal(mock_iommu_journal_len(fx->mock), jlen);
	after = snap_take(fx);
	snap_expect_same("replace to the IOAS it is on", before, after);
	snap_free(after);
	snap_free(before);
}

static void device_replace_to_hwpt_already_on_is_noop(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1), vec = 0;
	uint64_t msg = 0;
	struct snap *before, *after;
	size_t jlen;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h), 0);
	assert_int_equal(swmsi_msi_alloc(fx->ctx, dev, FX_ITS_PAGE + 0x40, &vec, &msg), 0);
	before = snap_take(fx);
	jlen = mock_iommu_journal_len(fx->mock);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, h), 0);
	assert_int_equal(mock_iommu_journal_len(fx->mock), jlen);
	after = snap_take(fx);
	snap_expect_same("replace to the HWPT it is on", before, after);
	snap_free(after);
	snap_free(before);
}

/* A user HWPT on the IOAS is not where "replace to the IOAS" leads. */
static void device_replace_from_user_hwpt_to_its_ioas_moves_to_auto(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), user = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);
	struct swmsi_hwpt_info hi;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, user), 0);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, ioas), 0);
	assert_int_not_equal(dev_hwpt(fx, dev), user);
	assert_int_equal(swmsi_hwpt_info(fx->ctx, dev_hwpt(fx, dev), &hi), 0);
	assert_true(hi.is_auto);
	assert_int_equal(hi.ioas_id, ioas);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(ioas_map_two_hwpts_mirrors_into_both),
		T(hwpt_alloc_after_ioas_map_mirrors_existing),
		T(ioas_map_prot_preserved_in_every_hwpt),
		T(ioas_map_auto_hwpt_mirrors_both_ways),
		T(ioas_map_other_ioas_hwpt_untouched),
		T(ioas_map_mirror_fails_undoes_others_returns_error),
		T(ioas_map_into_reserved_window_fails_eaddrinuse),
		T(ioas_map_into_window_of_auto_hwpt_fails_eaddrinuse),
		T(ioas_map_window_of_other_ioas_succeeds),
		T(ioas_map_device_without_window_reserves_nothing),
		T(device_attach_ioas_maps_into_window_fails_eaddrinuse),
		T(device_replace_ioas_maps_into_window_fails_eaddrinuse),
		T(ioas_map_window_free_after_last_device_leaves),
		T(ioas_map_window_free_after_replace_away),
		T(ioas_map_reserves_overridden_window_not_reported_one),
		T(device_attach_ioas_maps_into_overridden_window_fails_eaddrinuse),
		T(device_attach_bad_state_beats_eaddrinuse),
		T(ioas_map_over_stale_msi_page_fails_eexist_changes_nothing),
		T(ioas_map_overlap_fails_eexist),
		T(ioas_map_misaligned_or_zero_fails_einval),
		cmocka_unit_test_setup_teardown(ioas_map_16k_misaligned_fails_einval, fx_setup_16k,
						fx_teardown),
		T(ioas_map_wrap_fails_eoverflow),
		T(ioas_map_checks_einval_before_eoverflow),
		T(ioas_map_checks_eoverflow_before_eaddrinuse),
		T(ioas_map_checks_eaddrinuse_before_eexist),
		T(ioas_unmap_exact_range_removes_it),
		T(ioas_unmap_wide_range_removes_every_mapping_inside),
		T(ioas_unmap_nothing_inside_fails_enoent),
		T(ioas_unmap_straddling_start_fails_enoent_removes_nothing),
		T(ioas_unmap_straddling_end_fails_enoent_removes_nothing),
		T(ioas_unmap_inside_one_mapping_fails_enoent),
		T(ioas_unmap_misaligned_or_zero_fails_einval),
		T(device_attach_ioas_creates_auto_hwpt),
		T(device_attach_ioas_second_group_reuses_auto_hwpt),
		T(device_attach_ioas_never_reuses_user_hwpt),
		T(device_attach_ioas_at_most_one_auto_hwpt),
		T(device_detach_last_destroys_auto_hwpt),
		T(device_unbind_last_destroys_auto_hwpt),
		T(device_replace_away_destroys_auto_hwpt),
		T(ioas_destroy_with_auto_hwpt_fails_ebusy),
		T(device_replace_to_ioas_already_on_auto_is_noop),
		T(device_replace_to_hwpt_already_on_is_noop),
		T(device_replace_from_user_hwpt_to_its_ioas_moves_to_auto),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
