/* SPDX-License-Identifier: MIT */
/*
 * Introspection: snapshots copied out under the lock. No callback ever runs
 * with the context lock held, so callers get arrays, not iterators.
 */
#include <stdlib.h>
#include <string.h>

#include "swmsi_private.h"

int swmsi_msi_map_list(struct swmsi_ctx *ctx, struct swmsi_msi_map_info *maps, size_t cap,
		       size_t *count)
{
	size_t id, n = 0;

	if (!ctx || !count || (cap && !maps))
		return -EINVAL;
	swmsi__lock(ctx);
	for (id = swmsi__bitmap_next_set(&ctx->msi.ids, 0); id != SIZE_MAX;
	     id = swmsi__bitmap_next_set(&ctx->msi.ids, id + 1)) {
		const struct swmsi_msi_map *map = ctx->msi.by_id[id];

		if (n < cap) {
			/* zeroed first: callers may memcmp snapshots */
			memset(&maps[n], 0, sizeof(maps[n]));
			maps[n].id = map->id;
			maps[n].slot = map->slot;
			maps[n].sw_msi_start = map->win->start;
			maps[n].msi_page = map->page;
			maps[n].iova = swmsi__msi_map_iova(ctx, map);
			maps[n].vectors = map->vectors;
		}
		n++;
	}
	*count = n;
	swmsi__unlock(ctx);
	return 0;
}

static int get_hwpt(struct swmsi_ctx *ctx, uint32_t id, struct swmsi_hwpt **hwptp)
{
	struct swmsi_obj *obj;
	int rc = swmsi__obj_get(ctx, id, SWMSI_TYPE_HWPT, &obj);

	if (!rc)
		*hwptp = to_hwpt(obj);
	return rc;
}

int swmsi_hwpt_info(struct swmsi_ctx *ctx, uint32_t hwpt_id, struct swmsi_hwpt_info *info)
{
	struct swmsi_hwpt *hwpt;
	int rc;

	if (!ctx || !info)
		return -EINVAL;
	swmsi__lock(ctx);
	rc = get_hwpt(ctx, hwpt_id, &hwpt);
	if (rc)
		goto out_unlock;
	memset(info, 0, sizeof(*info));
	info->type = (enum swmsi_obj_type)hwpt->obj.type;
	info->ioas_id = hwpt->ioas->obj.id;
	info->parent_id = hwpt->parent ? hwpt->parent->obj.id : 0;
	info->flags = hwpt->flags;
	info->is_auto = hwpt->is_auto;
	info->domain = hwpt_paging(hwpt)->domain;
	info->groups = hwpt->groups;
	info->children = hwpt->children;
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_hwpt_msi_cookie(struct swmsi_ctx *ctx, uint32_t hwpt_id,
			  struct swmsi_msi_cookie_info *info, struct swmsi_msi_cookie_page *pages,
			  size_t cap, size_t *count)
{
	struct swmsi_hwpt *hwpt;
	int rc;

	if (!ctx || !info || !count || (cap && !pages))
		return -EINVAL;
	swmsi__lock(ctx);
	rc = get_hwpt(ctx, hwpt_id, &hwpt);
	if (rc)
		goto out_unlock;
	/* only SWMSI_SCHEME_DMA_IOMMU gives a domain a cookie */
	memset(info, 0, sizeof(*info));
	*count = 0;
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_hwpt_msi_present(struct swmsi_ctx *ctx, uint32_t hwpt_id, uint32_t *ids, size_t cap,
			   size_t *count)
{
	struct swmsi_hwpt *hwpt;
	size_t id, n = 0;
	int rc;

	if (!ctx || !count || (cap && !ids))
		return -EINVAL;
	swmsi__lock(ctx);
	rc = get_hwpt(ctx, hwpt_id, &hwpt);
	if (rc)
		goto out_unlock;
	hwpt = hwpt_paging(hwpt);
	for (id = swmsi__bitmap_next_set(&hwpt->present, 0); id != SIZE_MAX;
	     id = swmsi__bitmap_next_set(&hwpt->present, id + 1)) {
		if (n < cap)
			ids[n] = (uint32_t)id;
		n++;
	}
	*count = n;
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_device_info(struct swmsi_ctx *ctx, uint32_t dev_id, struct swmsi_device_info *info)
{
	struct swmsi_device *dev;
	uint64_t start, size;
	int rc;

	if (!ctx || !info)
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__device_get(ctx, dev_id, &dev);
	if (rc)
		goto out_unlock;
	memset(info, 0, sizeof(*info));
	info->group = dev->group->num;
	if (swmsi__group_window(ctx, dev->group, &start, &size)) {
		info->sw_msi_start = start;
		info->sw_msi_size = size;
	} else {
		info->sw_msi_start = SWMSI_PHYS_NONE;
	}
	info->attached = dev->attached;
	info->hwpt_id = dev->group->hwpt ? dev->group->hwpt->obj.id : 0;
	info->vectors = dev->nvecs;
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_device_vectors(struct swmsi_ctx *ctx, uint32_t dev_id, struct swmsi_vector_info *vecs,
			 size_t cap, size_t *count)
{
	struct swmsi_device *dev;
	size_t h, n = 0;
	int rc;

	if (!ctx || !count || (cap && !vecs))
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__device_get(ctx, dev_id, &dev);
	if (rc)
		goto out_unlock;
	for (h = swmsi__bitmap_next_set(&dev->used, 0); h != SIZE_MAX;
	     h = swmsi__bitmap_next_set(&dev->used, h + 1)) {
		const struct swmsi_vector *v = &dev->vecs[h];

		if (n < cap) {
			memset(&vecs[n], 0, sizeof(vecs[n]));
			vecs[n].vec = (uint32_t)h;
			vecs[n].msi_addr = v->msi_addr;
			vecs[n].msg_addr = v->msg_addr;
			vecs[n].translated = v->map != NULL;
			vecs[n].map_id = v->map ? v->map->id : 0;
		}
		n++;
	}
	*count = n;
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_ctx_stats(struct swmsi_ctx *ctx, struct swmsi_ctx_stats *stats)
{
	struct swmsi_group *g;
	struct swmsi_obj *obj;
	size_t bytes = 0;

	if (!ctx || !stats)
		return -EINVAL;
	swmsi__lock(ctx);
	memset(stats, 0, sizeof(*stats));
	stats->msi_maps = (uint32_t)ctx->msi.count;
	stats->objects = ctx->objs_count;
	stats->msi_installs = ctx->msi_installs;
	stats->msi_uninstalls = ctx->msi_uninstalls;
	stats->short_unmaps = ctx->short_unmaps;
	/* the per-group and per-domain id sets the RFC kept as u64s */
	for (obj = swmsi__obj_first(ctx); obj; obj = swmsi__obj_next(ctx, obj)) {
		if (obj->type == SWMSI_TYPE_HWPT_PAGING) {
			struct swmsi_hwpt *hwpt = to_hwpt(obj);

			bytes += swmsi__bitmap_bytes(&hwpt->present) +
				 swmsi__idmap_bytes(&hwpt->need);
		}
	}
	RB_FOREACH(g, swmsi_group_tree, &ctx->groups)
		bytes += swmsi__bitmap_bytes(&g->required) + swmsi__idmap_bytes(&g->vecs);
	stats->bitmap_bytes = bytes;
	swmsi__unlock(ctx);
	return 0;
}

static size_t copy_areas(struct swmsi_area_tree *t, struct swmsi_mapping *maps, size_t cap)
{
	struct swmsi_area *a;
	size_t n = 0;

	RB_FOREACH(a, swmsi_area_tree, t) {
		if (n < cap) {
			memset(&maps[n], 0, sizeof(maps[n]));
			maps[n].iova = a->iova;
			maps[n].paddr = a->paddr;
			maps[n].length = a->length;
			maps[n].prot = a->prot;
		}
		n++;
	}
	return n;
}

int swmsi_ioas_mappings(struct swmsi_ctx *ctx, uint32_t ioas_id, struct swmsi_mapping *maps,
			size_t cap, size_t *count)
{
	struct swmsi_obj *obj;
	int rc;

	if (!ctx || !count || (cap && !maps))
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__obj_get(ctx, ioas_id, SWMSI_TYPE_IOAS, &obj);
	if (!rc)
		*count = copy_areas(&to_ioas(obj)->areas, maps, cap);
	swmsi__unlock(ctx);
	return rc;
}

static int resv_cmp(const void *a, const void *b)
{
	const struct swmsi_mapping *x = a, *y = b;

	return x->iova < y->iova ? -1 : x->iova > y->iova;
}

int swmsi_ioas_reserved(struct swmsi_ctx *ctx, uint32_t ioas_id, struct swmsi_mapping *windows,
			size_t cap, size_t *count)
{
	struct swmsi_resv *r;
	struct swmsi_obj *obj;
	size_t n = 0;
	int rc;

	if (!ctx || !count || (cap && !windows))
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__obj_get(ctx, ioas_id, SWMSI_TYPE_IOAS, &obj);
	if (rc)
		goto out_unlock;
	LIST_FOREACH(r, &to_ioas(obj)->resv, link) {
		if (n < cap) {
			memset(&windows[n], 0, sizeof(windows[n]));
			windows[n].iova = r->start;
			windows[n].length = r->size;
		}
		n++;
	}
	/* a handful of windows: sorted here rather than kept sorted */
	if (n && cap)
		qsort(windows, n < cap ? n : cap, sizeof(*windows), resv_cmp);
	*count = n;
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_hwpt_nested_mappings(struct swmsi_ctx *ctx, uint32_t nested_id,
			       struct swmsi_mapping *maps, size_t cap, size_t *count)
{
	struct swmsi_obj *obj;
	int rc;

	if (!ctx || !count || (cap && !maps))
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__obj_get(ctx, nested_id, SWMSI_TYPE_HWPT_NESTED, &obj);
	if (!rc)
		*count = copy_areas(&to_hwpt(obj)->s1, maps, cap);
	swmsi__unlock(ctx);
	return rc;
}

const char *swmsi_version(void)
{
	return "0.1.0";
}
