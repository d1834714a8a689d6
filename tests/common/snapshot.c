/* SPDX-License-Identifier: MIT */
#include "snapshot.h"

#include <stdio.h>
#include <stdlib.h>

/*
 * Ids are cyclic and a test makes a few hundred objects at most; scanning
 * this far finds every live one (snap_take asserts it found them all).
 */
#define SNAP_MAX_ID	4096

enum snap_history {
	SNAP_HISTORY_SAME,		/* nothing was done */
	SNAP_HISTORY_MAY_ADVANCE,	/* something was done, then undone */
};

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
	uint32_t *present;
	size_t npresent;
	struct mock_iommu_range *ranges;	/* paging HWPTs only */
	size_t nranges;
	/* devices */
	struct swmsi_device_info dev;
	struct snap_vec *vecs;
	size_t nvecs;
};

struct snap {
	struct swmsi_ctx_stats stats;
	struct swmsi_msi_map_info *maps;
	size_t nmaps;
	size_t domains;
	uint64_t mapped_pages;
	struct snap_obj *objs;
	size_t nobjs;
};

/* At least one element, so that an empty list is still a valid buffer. */
static void *snap_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	assert_non_null(p);
	return p;
}

/*
 * Each list is read twice, first for its length: the snapshot holds all of
 * it whatever its size (a full window has hundreds of entries).
 */
static void snap_take_hwpt(struct fx *fx, struct snap_obj *o)
{
	size_t n = 0;

	assert_int_equal(swmsi_hwpt_info(fx->ctx, o->id, &o->hwpt), 0);
	assert_int_equal(swmsi_hwpt_msi_present(fx->ctx, o->id, NULL, 0, &n), 0);
	o->present = snap_calloc(n, sizeof(*o->present));
	assert_int_equal(swmsi_hwpt_msi_present(fx->ctx, o->id, o->present, n, &o->npresent), 0);
	assert_int_equal(o->npresent, n);
	/* A nested HWPT shows its parent's domain: its parent holds the copy. */
	if (o->type != SWMSI_OBJ_HWPT_PAGING)
		return;
	assert_int_equal(mock_iommu_ranges(fx->mock, o->hwpt.domain, NULL, 0, &n), 0);
	o->ranges = snap_calloc(n, sizeof(*o->ranges));
	assert_int_equal(mock_iommu_ranges(fx->mock, o->hwpt.domain, o->ranges, n, &o->nranges),
			 0);
	assert_int_equal(o->nranges, n);
}

static void snap_take_dev(struct fx *fx, struct snap_obj *o)
{
	struct swmsi_vector_info *vi;
	size_t n = 0, i;

	assert_int_equal(swmsi_device_info(fx->ctx, o->id, &o->dev), 0);
	assert_int_equal(swmsi_device_vectors(fx->ctx, o->id, NULL, 0, &n), 0);
	vi = snap_calloc(n, sizeof(*vi));
	assert_int_equal(swmsi_device_vectors(fx->ctx, o->id, vi, n, &o->nvecs), 0);
	assert_int_equal(o->nvecs, n);
	o->vecs = snap_calloc(n, sizeof(*o->vecs));
	for (i = 0; i < n; i++) {
		o->vecs[i].info = vi[i];
		o->vecs[i].fire_paddr = 0;
		o->vecs[i].fire_rc = swmsi_msi_fire(fx->ctx, o->id, vi[i].vec,
						    &o->vecs[i].fire_paddr);
	}
	free(vi);
}

struct snap *snap_take(struct fx *fx)
{
	struct snap *s = snap_calloc(1, sizeof(*s));
	size_t n = 0;
	uint32_t id;

	assert_int_equal(swmsi_ctx_stats(fx->ctx, &s->stats), 0);
	assert_int_equal(swmsi_msi_map_list(fx->ctx, NULL, 0, &n), 0);
	s->maps = snap_calloc(n, sizeof(*s->maps));
	assert_int_equal(swmsi_msi_map_list(fx->ctx, s->maps, n, &s->nmaps), 0);
	assert_int_equal(s->nmaps, n);
	s->domains = mock_iommu_domain_count(fx->mock);
	s->mapped_pages = mock_iommu_mapped_pages(fx->mock, NULL);
	s->objs = snap_calloc(s->stats.objects, sizeof(*s->objs));
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

void snap_free(struct snap *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nobjs; i++) {
		free(s->objs[i].present);
		free(s->objs[i].ranges);
		free(s->objs[i].vecs);
	}
	free(s->objs);
	free(s->maps);
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

/* Field by field: padding bytes are not part of the state. */
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
		/* Also for untranslated vectors: whatever it shows must not move. */
		snap_check(label, "vec map id", a->id, x->info.map_id, y->info.map_id);
		snap_check(label, "vec fire rc", a->id, (uint64_t)(int64_t)x->fire_rc,
			   (uint64_t)(int64_t)y->fire_rc);
		snap_check(label, "vec fires to", a->id, x->fire_paddr, y->fire_paddr);
	}
}

/* Fails the test when @b is below @a. */
static void snap_check_not_below(const char *label, const char *what, uint64_t a, uint64_t b)
{
	if (b >= a)
		return;
	fail_msg("%s: %s went back: 0x%llx before, 0x%llx after", label, what,
		 (unsigned long long)a, (unsigned long long)b);
}

/*
 * Lifetime counters and bitmap capacity. The install counters are exact in
 * both cases: an install a failed call rolls back never happened. Where
 * work may have been done and undone, only the bitmaps' capacity may stay
 * grown (reserved ahead of need, never lost).
 */
static void snap_cmp_history(const char *label, const struct swmsi_ctx_stats *a,
			     const struct swmsi_ctx_stats *b, enum snap_history history)
{
	if (history == SNAP_HISTORY_SAME) {
		snap_check(label, "stats.msi_installs", 0, a->msi_installs, b->msi_installs);
		snap_check(label, "stats.msi_uninstalls", 0, a->msi_uninstalls,
			   b->msi_uninstalls);
		snap_check(label, "stats.bitmap_bytes", 0, a->bitmap_bytes, b->bitmap_bytes);
		return;
	}
	snap_check(label, "stats.msi_installs", 0, a->msi_installs, b->msi_installs);
	snap_check(label, "stats.msi_uninstalls", 0, a->msi_uninstalls, b->msi_uninstalls);
	snap_check_not_below(label, "stats.bitmap_bytes", a->bitmap_bytes, b->bitmap_bytes);
}

static void snap_cmp(const char *label, const struct snap *a, const struct snap *b,
		     enum snap_history history)
{
	size_t i;

	snap_check(label, "stats.objects", 0, a->stats.objects, b->stats.objects);
	snap_check(label, "stats.msi_maps", 0, a->stats.msi_maps, b->stats.msi_maps);
	snap_cmp_history(label, &a->stats, &b->stats, history);
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
	snap_check(label, "object count", 0, a->nobjs, b->nobjs);
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

static void snap_expect_now(struct fx *fx, struct snap *before, const char *label,
			    enum snap_history history)
{
	struct snap *after = snap_take(fx);

	snap_cmp(label, before, after, history);
	snap_free(after);
	snap_free(before);
}

void snap_expect_unchanged(struct fx *fx, struct snap *before, const char *label)
{
	snap_expect_now(fx, before, label, SNAP_HISTORY_SAME);
}

void snap_expect_restored(struct fx *fx, struct snap *before, const char *label)
{
	snap_expect_now(fx, before, label, SNAP_HISTORY_MAY_ADVANCE);
}

void fx_expect_msi_alloc_fails(struct fx *fx, uint32_t dev, uint64_t msi_addr, int err)
{
	struct snap *before = snap_take(fx);
	uint32_t vec = 0xabcd;
	uint64_t msg = 0xabcd;
	char label[96];

	snprintf(label, sizeof(label), "msi_alloc(dev %u, 0x%llx) failing %s", (unsigned int)dev,
		 (unsigned long long)msi_addr, swmsi_errname(err));
	mock_iommu_journal_clear(fx->mock);
	assert_int_equal(swmsi_msi_alloc(fx->ctx, dev, msi_addr, &vec, &msg), err);
	assert_int_equal(vec, 0xabcd);
	assert_int_equal(msg, 0xabcd);
	assert_int_equal(mock_iommu_journal_len(fx->mock), 0);
	snap_expect_unchanged(fx, before, label);
}
