/* SPDX-License-Identifier: MIT */
/*
 * MSI vectors: the sw_msi path (the kernel's iommufd_sw_msi()), free, and
 * fire, which simulates the device's MSI write through its group's HWPT.
 */
#include <stdlib.h>
#include <string.h>

#include "swmsi_private.h"

static bool doorbell_allowed(struct swmsi_ctx *ctx, uint64_t addr)
{
	size_t i;

	/* with no region registered the caller vouches for the address */
	if (!ctx->ndoorbells)
		return true;
	for (i = 0; i < ctx->ndoorbells; i++) {
		if (addr - ctx->doorbells[i].start <= ctx->doorbells[i].size - 1)
			return true;
	}
	return false;
}

/* Room for vector handle @h. */
static int vectors_reserve(struct swmsi_ctx *ctx, struct swmsi_device *dev, size_t h)
{
	struct swmsi_vector *v;
	size_t ncap;
	int rc;

	rc = swmsi__bitmap_reserve(ctx, &dev->used, h + 1);
	if (rc)
		return rc;
	if (h < dev->nvecs_cap)
		return 0;
	ncap = dev->nvecs_cap ? dev->nvecs_cap * 2 : 8;
	v = swmsi__reallocarray(ctx, dev->vecs, ncap, sizeof(*v));
	if (!v)
		return -ENOMEM;
	dev->vecs = v;
	dev->nvecs_cap = ncap;
	return 0;
}

int swmsi_msi_alloc(struct swmsi_ctx *ctx, uint32_t dev_id, uint64_t msi_addr, uint32_t *vec,
		    uint64_t *msg_addr)
{
	struct swmsi_msi_map_new nm = { 0 };
	struct swmsi_msi_map *map = NULL;
	struct swmsi_hwpt *paging = NULL;
	struct swmsi_group *group;
	struct swmsi_device *dev;
	uint64_t start, size, page, msg = msi_addr;
	struct swmsi_vector *v;
	size_t h;
	int rc;

	if (!ctx || !vec || !msg_addr)
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__device_get(ctx, dev_id, &dev);
	if (rc)
		goto out_unlock;
	group = dev->group;
	h = swmsi__bitmap_first_zero(&dev->used, UINT32_MAX);
	if (h >= UINT32_MAX) {
		rc = -ENOSPC;
		goto out_unlock;
	}

	/* a detached or window-less group writes the doorbell untranslated */
	if (group->hwpt && swmsi__group_window(ctx, group, &start, &size)) {
		if (!doorbell_allowed(ctx, msi_addr)) {
			rc = -EPERM;
			goto out_unlock;
		}
		paging = hwpt_paging(group->hwpt);
		page = msi_addr & ~(ctx->page_size - 1);
		map = swmsi__msi_map_lookup(ctx, start, page);
		if (map) {
			/* a hit never fails for exhaustion; an entry left by a
			 * since-unbound window larger than this one could still
			 * sit past its end */
			if (map->slot >= size >> ctx->page_shift) {
				rc = -ENOSPC;
				goto out_unlock;
			}
		} else {
			rc = swmsi__msi_map_prepare(ctx, start, size, page, &nm);
			if (rc)
				goto out_unlock;
			map = nm.map;
		}
		rc = swmsi__bitmap_reserve_capped(ctx, &group->required, map->id + 1,
						  ctx->max_msi_maps);
		if (rc)
			goto err_abort;
		rc = swmsi__idmap_reserve(ctx, &group->vecs, group->vecs.count + 1);
		if (rc)
			goto err_abort;
		rc = swmsi__bitmap_reserve_capped(ctx, &paging->present, map->id + 1,
						  ctx->max_msi_maps);
		if (rc)
			goto err_abort;
		rc = swmsi__idmap_reserve(ctx, &paging->need, paging->need.count + 1);
		if (rc)
			goto err_abort;
		msg = swmsi__msi_map_iova(ctx, map) + (msi_addr - page);
	}
	rc = vectors_reserve(ctx, dev, h);
	if (rc)
		goto err_abort;
	if (map) {
		/* the backend call is the last fallible step */
		rc = swmsi__hwpt_install_msi(ctx, paging, map);
		if (rc)
			goto err_abort;
		if (nm.map)
			swmsi__msi_map_commit(ctx, &nm);
		map->vectors++;
		(*swmsi__idmap_slot(&group->vecs, map->id))++;
		if (!swmsi__bitmap_test(&group->required, map->id)) {
			swmsi__bitmap_set(&group->required, map->id);
			(*swmsi__idmap_slot(&paging->need, map->id))++;
		}
	}
	v = &dev->vecs[h];
	v->msi_addr = msi_addr;
	v->msg_addr = msg;
	v->map = map;
	swmsi__bitmap_set(&dev->used, h);
	dev->nvecs++;
	*vec = (uint32_t)h;
	*msg_addr = msg;
	goto out_unlock;

err_abort:
	if (nm.map)
		swmsi__msi_map_abort(ctx, &nm);
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

void swmsi__vector_release(struct swmsi_ctx *ctx, struct swmsi_device *dev, uint32_t vec)
{
	struct swmsi_vector *v = &dev->vecs[vec];
	struct swmsi_msi_map *map = v->map;
	struct swmsi_group *group = dev->group;
	uint32_t *vecs;

	assert_locked(ctx);
	swmsi__bitmap_clear(&dev->used, vec);
	dev->nvecs--;
	memset(v, 0, sizeof(*v));
	if (!map)
		return;
	map->vectors--;
	vecs = swmsi__idmap_find(&group->vecs, map->id);
	assert(vecs && *vecs);
	/* under RECLAIM_NONE the id stays required, its counter at 0 */
	if (--*vecs == 0 && ctx->reclaim == SWMSI_RECLAIM_UNUSED) {
		swmsi__idmap_remove(&group->vecs, map->id);
		swmsi__group_unrequire(ctx, group, map->id);
	}
	swmsi__msi_map_reclaim(ctx, map);
}

/* A live vector of a device: -ENOENT for an unknown device or handle. */
static int get_vector(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t vec,
		      struct swmsi_device **devp)
{
	int rc = swmsi__device_get(ctx, dev_id, devp);

	if (rc)
		return rc;
	return swmsi__bitmap_test(&(*devp)->used, vec) ? 0 : -ENOENT;
}

int swmsi_msi_free(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t vec)
{
	struct swmsi_device *dev;
	int rc;

	if (!ctx)
		return -EINVAL;
	swmsi__lock(ctx);
	rc = get_vector(ctx, dev_id, vec, &dev);
	if (rc)
		goto out_unlock;
	swmsi__vector_release(ctx, dev, vec);
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_msi_fire(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t vec, uint64_t *paddr)
{
	struct swmsi_device *dev;
	struct swmsi_group *group;
	uint64_t msg, pa;
	int rc;

	if (!ctx || !paddr)
		return -EINVAL;
	swmsi__lock(ctx);
	rc = get_vector(ctx, dev_id, vec, &dev);
	if (rc)
		goto out_unlock;
	group = dev->group;
	msg = dev->vecs[vec].msg_addr;
	if (group->win_start == SWMSI_PHYS_NONE) {
		/* no SW_MSI window: the platform does not remap MSIs (x86) */
		*paddr = msg;
		goto out_unlock;
	}
	/* a detached group's DMA is blocked; an untranslated write is lost */
	if (!group->hwpt || swmsi__hwpt_translate(ctx, group->hwpt, msg, &pa)) {
		rc = -EFAULT;
		goto out_unlock;
	}
	*paddr = pa;
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}
