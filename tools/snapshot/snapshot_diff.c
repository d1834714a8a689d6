/* SPDX-License-Identifier: MIT */
/*
 * Comparing two snapshots, field by field: structs may have padding the
 * library never wrote, so nothing is compared with memcmp.
 */
#include "swmsi_snapshot.h"

/* Fills @d and returns true when @a and @b differ. */
static bool chk(struct snapshot_delta *d, const char *what, uint32_t id, uint64_t a, uint64_t b)
{
	if (a == b)
		return false;
	d->what = what;
	d->id = id;
	d->before = a;
	d->after = b;
	d->went_back = false;
	return true;
}

static bool cmp_mappings(struct snapshot_delta *d, const char *what, uint32_t id,
			 const struct swmsi_mapping *a, size_t na, const struct swmsi_mapping *b,
			 size_t nb)
{
	size_t i;

	if (chk(d, what, id, na, nb))
		return true;
	for (i = 0; i < na; i++)
		if (chk(d, what, id, a[i].iova, b[i].iova) ||
		    chk(d, what, id, a[i].paddr, b[i].paddr) ||
		    chk(d, what, id, a[i].length, b[i].length) ||
		    chk(d, what, id, a[i].prot, b[i].prot))
			return true;
	return false;
}

static bool cmp_cookie(struct snapshot_delta *d, const struct snapshot_hwpt *a,
		       const struct snapshot_hwpt *b)
{
	size_t i;

	if (chk(d, "cookie active", a->id, a->cookie.active, b->cookie.active) ||
	    chk(d, "cookie base", a->id, a->cookie.base, b->cookie.base) ||
	    chk(d, "cookie next iova", a->id, a->cookie.next_iova, b->cookie.next_iova) ||
	    chk(d, "cookie pages", a->id, a->cookie.pages, b->cookie.pages) ||
	    chk(d, "cookie page count", a->id, a->ncookie_pages, b->ncookie_pages))
		return true;
	for (i = 0; i < a->ncookie_pages; i++)
		if (chk(d, "cookie page iova", a->id, a->cookie_pages[i].iova,
			b->cookie_pages[i].iova) ||
		    chk(d, "cookie page", a->id, a->cookie_pages[i].msi_page,
			b->cookie_pages[i].msi_page))
			return true;
	return false;
}

static bool cmp_hwpt(struct snapshot_delta *d, const struct snapshot_hwpt *a,
		     const struct snapshot_hwpt *b)
{
	uint32_t id = a->id;
	size_t i;

	if (chk(d, "hwpt type", id, a->info.type, b->info.type) ||
	    chk(d, "hwpt ioas", id, a->info.ioas_id, b->info.ioas_id) ||
	    chk(d, "hwpt parent", id, a->info.parent_id, b->info.parent_id) ||
	    chk(d, "hwpt flags", id, a->info.flags, b->info.flags) ||
	    chk(d, "hwpt is_auto", id, a->info.is_auto, b->info.is_auto) ||
	    chk(d, "hwpt domain", id, (uintptr_t)a->info.domain, (uintptr_t)b->info.domain) ||
	    chk(d, "hwpt domain serial", id, a->serial, b->serial) ||
	    chk(d, "hwpt groups", id, a->info.groups, b->info.groups) ||
	    chk(d, "hwpt children", id, a->info.children, b->info.children) ||
	    chk(d, "present count", id, a->npresent, b->npresent))
		return true;
	for (i = 0; i < a->npresent; i++)
		if (chk(d, "present id", id, a->present[i], b->present[i]))
			return true;
	return cmp_mappings(d, "stage 1 mappings", id, a->s1, a->ns1, b->s1, b->ns1) ||
	       cmp_cookie(d, a, b);
}

static bool cmp_vec(struct snapshot_delta *d, uint32_t id, const struct swmsi_vector_info *x,
		    const struct snapshot_fire *fx, const struct swmsi_vector_info *y,
		    const struct snapshot_fire *fy)
{
	return chk(d, "vec handle", id, x->vec, y->vec) ||
	       chk(d, "vec msi_addr", id, x->msi_addr, y->msi_addr) ||
	       chk(d, "vec msg_addr", id, x->msg_addr, y->msg_addr) ||
	       chk(d, "vec translated", id, x->translated, y->translated) ||
	       /* Also for untranslated vectors: whatever it shows must not move. */
	       chk(d, "vec map id", id, x->map_id, y->map_id) ||
	       chk(d, "vec fire rc", id, (uint64_t)(int64_t)fx->rc, (uint64_t)(int64_t)fy->rc) ||
	       chk(d, "vec fires to", id, fx->paddr, fy->paddr);
}

static bool cmp_dev(struct snapshot_delta *d, const struct snapshot_dev *a,
		    const struct snapshot_dev *b)
{
	uint32_t id = a->id;
	size_t i;

	if (chk(d, "device group", id, a->info.group, b->info.group) ||
	    chk(d, "device window start", id, a->info.sw_msi_start, b->info.sw_msi_start) ||
	    chk(d, "device window size", id, a->info.sw_msi_size, b->info.sw_msi_size) ||
	    chk(d, "device attached", id, a->info.attached, b->info.attached) ||
	    chk(d, "device hwpt", id, a->info.hwpt_id, b->info.hwpt_id) ||
	    chk(d, "device vectors", id, a->info.vectors, b->info.vectors) ||
	    chk(d, "vector count", id, a->nvecs, b->nvecs))
		return true;
	for (i = 0; i < a->nvecs; i++)
		if (cmp_vec(d, id, &a->vecs[i], &a->fire[i], &b->vecs[i], &b->fire[i]))
			return true;
	return false;
}

static bool cmp_dom(struct snapshot_delta *d, const struct snapshot_dom *a,
		    const struct snapshot_dom *b)
{
	uint32_t id = a->serial;
	size_t i;

	if (chk(d, "domain serial", id, a->serial, b->serial) ||
	    chk(d, "domain range count", id, a->nranges, b->nranges))
		return true;
	for (i = 0; i < a->nranges; i++)
		if (chk(d, "range iova", id, a->ranges[i].iova, b->ranges[i].iova) ||
		    chk(d, "range paddr", id, a->ranges[i].paddr, b->ranges[i].paddr) ||
		    chk(d, "range size", id, a->ranges[i].size, b->ranges[i].size) ||
		    chk(d, "range prot", id, a->ranges[i].prot, b->ranges[i].prot))
			return true;
	return false;
}

static bool cmp_map(struct snapshot_delta *d, const struct swmsi_msi_map_info *x,
		    const struct swmsi_msi_map_info *y)
{
	return chk(d, "map id", x->id, x->id, y->id) ||
	       chk(d, "map slot", x->id, x->slot, y->slot) ||
	       chk(d, "map window", x->id, x->sw_msi_start, y->sw_msi_start) ||
	       chk(d, "map page", x->id, x->msi_page, y->msi_page) ||
	       chk(d, "map iova", x->id, x->iova, y->iova) ||
	       chk(d, "map vectors", x->id, x->vectors, y->vectors);
}

/*
 * Lifetime counters and bitmap capacity. The install counters are exact in
 * both cases: an install a failed call rolls back never happened. Where
 * work may have been done and undone, only the bitmaps' capacity may stay
 * grown (reserved ahead of need, never lost).
 */
static bool cmp_history(struct snapshot_delta *d, const struct swmsi_ctx_stats *a,
			const struct swmsi_ctx_stats *b, enum snapshot_cmp how)
{
	if (chk(d, "stats.msi_installs", 0, a->msi_installs, b->msi_installs) ||
	    chk(d, "stats.msi_uninstalls", 0, a->msi_uninstalls, b->msi_uninstalls))
		return true;
	if (how == SNAPSHOT_UNCHANGED)
		return chk(d, "stats.bitmap_bytes", 0, a->bitmap_bytes, b->bitmap_bytes);
	if (b->bitmap_bytes >= a->bitmap_bytes)
		return false;
	chk(d, "stats.bitmap_bytes", 0, a->bitmap_bytes, b->bitmap_bytes);
	d->went_back = true;
	return true;
}

static bool cmp_context(struct snapshot_delta *d, const struct snapshot *a,
			const struct snapshot *b, enum snapshot_cmp how)
{
	size_t i;

	if (chk(d, "stats.objects", 0, a->stats.objects, b->stats.objects) ||
	    chk(d, "stats.msi_maps", 0, a->stats.msi_maps, b->stats.msi_maps) ||
	    cmp_history(d, &a->stats, &b->stats, how) ||
	    chk(d, "backend domains", 0, a->mock_domains, b->mock_domains) ||
	    chk(d, "backend mapped pages", 0, a->mock_pages, b->mock_pages) ||
	    chk(d, "msi map count", 0, a->nmaps, b->nmaps))
		return true;
	for (i = 0; i < a->nmaps; i++)
		if (cmp_map(d, &a->maps[i], &b->maps[i]))
			return true;
	return false;
}

static bool cmp_objects(struct snapshot_delta *d, const struct snapshot *a,
			const struct snapshot *b)
{
	size_t i;

	if (chk(d, "object count", 0, a->nobjs, b->nobjs))
		return true;
	for (i = 0; i < a->nobjs; i++)
		if (chk(d, "object id", a->objs[i].id, a->objs[i].id, b->objs[i].id) ||
		    chk(d, "object type", a->objs[i].id, a->objs[i].type, b->objs[i].type))
			return true;
	/* Same objects in the same order: the per-kind lists line up. */
	for (i = 0; i < a->nioas; i++) {
		const struct snapshot_ioas *x = &a->ioas[i], *y = &b->ioas[i];

		if (cmp_mappings(d, "ioas mappings", x->id, x->maps, x->nmaps, y->maps, y->nmaps) ||
		    cmp_mappings(d, "ioas reserved", x->id, x->resv, x->nresv, y->resv, y->nresv))
			return true;
	}
	for (i = 0; i < a->nhwpts; i++)
		if (cmp_hwpt(d, &a->hwpts[i], &b->hwpts[i]))
			return true;
	for (i = 0; i < a->ndevs; i++)
		if (cmp_dev(d, &a->devs[i], &b->devs[i]))
			return true;
	if (chk(d, "domain count", 0, a->ndoms, b->ndoms))
		return true;
	for (i = 0; i < a->ndoms; i++)
		if (cmp_dom(d, &a->doms[i], &b->doms[i]))
			return true;
	return false;
}

bool snapshot_diff(const struct snapshot *a, const struct snapshot *b, enum snapshot_cmp how,
		   struct snapshot_delta *d)
{
	return cmp_context(d, a, b, how) || cmp_objects(d, a, b);
}
