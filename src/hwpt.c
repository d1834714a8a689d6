/* SPDX-License-Identifier: MIT */
/*
 * HW page tables. A paging HWPT owns a backend domain that mirrors its
 * IOAS and holds the MSI pages of the groups on it (its "present" bitmap,
 * indexed by map id). A nested HWPT is the guest's stage 1 over a
 * NEST_PARENT paging HWPT; its MSI pages live in the parent
 * (iommufd's hw_pagetable.c).
 */
#include <stdlib.h>

#include "swmsi_private.h"

int swmsi__hwpt_install_msi(struct swmsi_ctx *ctx, struct swmsi_hwpt *paging,
			    struct swmsi_msi_map *map)
{
	int rc;

	assert_locked(ctx);
	assert(!hwpt_is_nested(paging));
	if (swmsi__bitmap_test(&paging->present, map->id))
		return 0;
	rc = ctx->ops->map(ctx->priv, paging->domain, swmsi__msi_map_iova(ctx, map), map->page,
			   ctx->page_size, SWMSI_PROT_READ | SWMSI_PROT_WRITE | SWMSI_PROT_MMIO);
	if (rc)
		return rc;
	/* present only once mapped, as iommufd_sw_msi_install() does */
	swmsi__bitmap_set(&paging->present, map->id);
	map->holders++;
	ctx->msi_installs++;
	return 0;
}

bool swmsi__hwpt_uninstall_msi(struct swmsi_ctx *ctx, struct swmsi_hwpt *paging,
			       struct swmsi_msi_map *map)
{
	size_t done;

	assert_locked(ctx);
	done = ctx->ops->unmap(ctx->priv, paging->domain, swmsi__msi_map_iova(ctx, map),
			       ctx->page_size);
	if (done != ctx->page_size) {
		ctx->short_unmaps++;
		return false; /* still (partly) mapped: keep it accounted */
	}
	swmsi__bitmap_clear(&paging->present, map->id);
	map->holders--;
	ctx->msi_uninstalls++;
	return true;
}

void swmsi__hwpt_reclaim_id(struct swmsi_ctx *ctx, struct swmsi_hwpt *paging, uint32_t id)
{
	struct swmsi_msi_map *map;

	assert_locked(ctx);
	/* the RFC left this as a FIXME: stale MSI pages stayed forever */
	if (ctx->reclaim != SWMSI_RECLAIM_UNUSED || swmsi__idmap_contains(&paging->need, id) ||
	    !swmsi__bitmap_test(&paging->present, id))
		return;
	map = swmsi__msi_map_by_id(ctx, id);
	assert(map);
	swmsi__hwpt_uninstall_msi(ctx, paging, map);
}

/* Undo the mirror of the first @n areas (all when @n is NULL). */
static void unmirror(struct swmsi_ctx *ctx, struct swmsi_hwpt *hwpt, struct swmsi_area *stop)
{
	struct swmsi_area *a;

	RB_FOREACH(a, swmsi_area_tree, &hwpt->ioas->areas) {
		if (a == stop)
			break;
		swmsi__unmap_user(ctx, hwpt->domain, a->iova, a->length);
	}
}

int swmsi__hwpt_paging_create(struct swmsi_ctx *ctx, struct swmsi_ioas *ioas, uint32_t flags,
			      bool is_auto, struct swmsi_hwpt **hwptp)
{
	struct swmsi_hwpt *hwpt;
	struct swmsi_area *a;
	uint32_t id;
	int rc;

	assert_locked(ctx);
	rc = swmsi__obj_reserve_id(ctx, &id);
	if (rc)
		return rc;
	hwpt = swmsi__calloc(ctx, 1, sizeof(*hwpt));
	if (!hwpt)
		return -ENOMEM;
	hwpt->ioas = ioas;
	hwpt->flags = flags;
	hwpt->is_auto = is_auto;
	RB_INIT(&hwpt->s1);
	rc = ctx->ops->domain_alloc(ctx->priv, &hwpt->domain);
	if (rc)
		goto err_free;
	/* a new HWPT gets every existing mapping of its IOAS */
	RB_FOREACH(a, swmsi_area_tree, &ioas->areas) {
		rc = ctx->ops->map(ctx->priv, hwpt->domain, a->iova, a->paddr, a->length, a->prot);
		if (rc)
			goto err_unmirror;
	}
	/* pairs with the users-- in swmsi__hwpt_destroy() */
	ioas->obj.users++;
	TAILQ_INSERT_TAIL(&ioas->hwpts, hwpt, ioas_link);
	if (is_auto)
		ioas->auto_hwpt = hwpt;
	swmsi__obj_publish(ctx, &hwpt->obj, id, SWMSI_TYPE_HWPT_PAGING);
	*hwptp = hwpt;
	return 0;

err_unmirror:
	unmirror(ctx, hwpt, a);
	ctx->ops->domain_free(ctx->priv, hwpt->domain);
err_free:
	free(hwpt);
	return rc;
}

void swmsi__hwpt_destroy(struct swmsi_ctx *ctx, struct swmsi_hwpt *hwpt)
{
	assert_locked(ctx);
	assert(!hwpt->obj.users);
	if (hwpt_is_nested(hwpt)) {
		hwpt->parent->children--;
		/* pairs with the users++ in swmsi_hwpt_alloc_nested() */
		hwpt->parent->obj.users--;
		swmsi__areas_free(&hwpt->s1);
	} else {
		size_t id;

		/* MSI pages first (RECLAIM_NONE leaves some behind), then the
		 * IOAS mirror: the backend gets an empty domain back */
		for (id = swmsi__bitmap_next_set(&hwpt->present, 0); id != SIZE_MAX;
		     id = swmsi__bitmap_next_set(&hwpt->present, id + 1)) {
			struct swmsi_msi_map *map = swmsi__msi_map_by_id(ctx, (uint32_t)id);

			swmsi__hwpt_uninstall_msi(ctx, hwpt, map);
			/* the last holder of an entry kept only for it */
			swmsi__msi_map_reclaim(ctx, map);
		}
		unmirror(ctx, hwpt, NULL);
		ctx->ops->domain_free(ctx->priv, hwpt->domain);
		TAILQ_REMOVE(&hwpt->ioas->hwpts, hwpt, ioas_link);
		if (hwpt->ioas->auto_hwpt == hwpt)
			hwpt->ioas->auto_hwpt = NULL;
		/* pairs with the users++ in swmsi__hwpt_paging_create() */
		hwpt->ioas->obj.users--;
		swmsi__bitmap_release(&hwpt->present);
		swmsi__idmap_release(&hwpt->need);
	}
	swmsi__obj_remove(ctx, &hwpt->obj);
	free(hwpt);
}

int swmsi_hwpt_alloc(struct swmsi_ctx *ctx, uint32_t ioas_id, uint32_t flags, uint32_t *hwpt_id)
{
	struct swmsi_hwpt *hwpt;
	struct swmsi_obj *obj;
	int rc;

	if (!ctx || !hwpt_id)
		return -EINVAL;
	if (flags & ~SWMSI_HWPT_NEST_PARENT)
		return -EOPNOTSUPP;
	swmsi__lock(ctx);
	rc = swmsi__obj_get(ctx, ioas_id, SWMSI_TYPE_IOAS, &obj);
	if (rc)
		goto out_unlock;
	rc = swmsi__hwpt_paging_create(ctx, to_ioas(obj), flags, false, &hwpt);
	if (rc)
		goto out_unlock;
	*hwpt_id = hwpt->obj.id;
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_hwpt_alloc_nested(struct swmsi_ctx *ctx, uint32_t parent_hwpt_id, uint32_t *hwpt_id)
{
	struct swmsi_hwpt *parent, *hwpt;
	struct swmsi_obj *obj;
	uint32_t id;
	int rc;

	if (!ctx || !hwpt_id)
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__obj_get(ctx, parent_hwpt_id, SWMSI_TYPE_HWPT, &obj);
	if (rc)
		goto out_unlock;
	parent = to_hwpt(obj);
	if (hwpt_is_nested(parent) || !(parent->flags & SWMSI_HWPT_NEST_PARENT)) {
		rc = -EINVAL;
		goto out_unlock;
	}
	rc = swmsi__obj_reserve_id(ctx, &id);
	if (rc)
		goto out_unlock;
	hwpt = swmsi__calloc(ctx, 1, sizeof(*hwpt));
	if (!hwpt) {
		rc = -ENOMEM;
		goto out_unlock;
	}
	hwpt->ioas = parent->ioas;
	hwpt->parent = parent;
	RB_INIT(&hwpt->s1);
	/* pairs with the users-- in swmsi__hwpt_destroy() */
	parent->obj.users++;
	parent->children++;
	swmsi__obj_publish(ctx, &hwpt->obj, id, SWMSI_TYPE_HWPT_NESTED);
	*hwpt_id = id;
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_hwpt_nested_map(struct swmsi_ctx *ctx, uint32_t nested_id, uint64_t iova, uint64_t ipa,
			  uint64_t length, uint32_t prot)
{
	struct swmsi_hwpt *hwpt;
	struct swmsi_area *area;
	struct swmsi_obj *obj;
	int rc;

	if (!ctx || !length || !page_aligned(ctx, iova) || !page_aligned(ctx, ipa) ||
	    !page_aligned(ctx, length))
		return -EINVAL;
	if (prot & ~SWMSI_PROT_ALL)
		return -EOPNOTSUPP;
	if (range_wraps(iova, length) || range_wraps(ipa, length))
		return -EOVERFLOW;
	swmsi__lock(ctx);
	rc = swmsi__obj_get(ctx, nested_id, SWMSI_TYPE_HWPT_NESTED, &obj);
	if (rc)
		goto out_unlock;
	hwpt = to_hwpt(obj);
	if (swmsi__areas_overlap(&hwpt->s1, iova, length)) {
		rc = -EEXIST;
		goto out_unlock;
	}
	area = swmsi__area_new(ctx, iova, ipa, length, prot);
	if (!area) {
		rc = -ENOMEM;
		goto out_unlock;
	}
	RB_INSERT(swmsi_area_tree, &hwpt->s1, area);
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

int swmsi__hwpt_translate(struct swmsi_ctx *ctx, struct swmsi_hwpt *hwpt, uint64_t iova,
			  uint64_t *paddr)
{
	uint64_t pa;

	assert_locked(ctx);
	if (hwpt_is_nested(hwpt)) {
		/* stage 1 (the guest's table), then the parent's domain */
		struct swmsi_area *a = swmsi__area_find(&hwpt->s1, iova);

		if (!a)
			return -ENOENT;
		iova = a->paddr + (iova - a->iova);
		hwpt = hwpt->parent;
	}
	if (ctx->ops->iova_to_phys(ctx->priv, hwpt->domain, iova, &pa))
		return -ENOENT;
	*paddr = pa;
	return 0;
}

int swmsi_hwpt_iova_to_phys(struct swmsi_ctx *ctx, uint32_t hwpt_id, uint64_t iova,
			    uint64_t *paddr)
{
	struct swmsi_obj *obj;
	int rc;

	if (!ctx || !paddr)
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__obj_get(ctx, hwpt_id, SWMSI_TYPE_HWPT, &obj);
	if (!rc)
		rc = swmsi__hwpt_translate(ctx, to_hwpt(obj), iova, paddr);
	swmsi__unlock(ctx);
	return rc;
}
