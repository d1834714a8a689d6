/* SPDX-License-Identifier: MIT */
/*
 * HW page tables (iommufd's hw_pagetable.c). A paging HWPT owns a backend
 * domain that mirrors its IOAS and holds the MSI pages of the groups on it
 * (its "present" bitmap, indexed by map id). A nested HWPT is the guest's
 * stage 1 over a NEST_PARENT paging HWPT; its MSI pages live in the parent.
 */
#include <stdlib.h>
#include <string.h>

#include "scheme.h"
#include "iopt.h"

int swmsi__hwpt_install_msi(struct swmsi_ctx *ctx, struct swmsi_hwpt_paging *paging,
			    struct swmsi_msi_map *map)
{
	int rc;

	swmsi__assert_locked(ctx);
	if (swmsi__bitmap_test(&paging->present, map->id))
		return 0;
	rc = ctx->ops->map(ctx->priv, paging->domain, swmsi__msi_map_iova(map, ctx->page_shift),
			   map->page, ctx->page_size,
			   SWMSI_PROT_READ | SWMSI_PROT_WRITE | SWMSI_PROT_MMIO);
	if (rc)
		return rc;
	/* present only once mapped, as iommufd_sw_msi_install() does */
	swmsi__bitmap_set(&paging->present, map->id);
	map->holders++;
	return 0;
}

bool swmsi__hwpt_uninstall_msi(struct swmsi_ctx *ctx, struct swmsi_hwpt_paging *paging,
			       struct swmsi_msi_map *map)
{
	size_t done;

	swmsi__assert_locked(ctx);
	done = ctx->ops->unmap(ctx->priv, paging->domain, swmsi__msi_map_iova(map, ctx->page_shift),
			       ctx->page_size);
	if (done != ctx->page_size) {
		ctx->short_unmaps++;
		return false; /* still (partly) mapped: keep it accounted */
	}
	swmsi__bitmap_clear(&paging->present, map->id);
	/* a group that found all its pages here must look again */
	paging->stamp = ++ctx->stamps;
	map->holders--;
	return true;
}

void swmsi__hwpt_reclaim_id(struct swmsi_ctx *ctx, struct swmsi_hwpt_paging *paging, uint32_t id)
{
	swmsi__assert_locked(ctx);
	/* the RFC left this as a FIXME: stale MSI pages stayed forever */
	if (ctx->reclaim != SWMSI_RECLAIM_UNUSED || swmsi__idmap_contains(&paging->need, id) ||
	    !swmsi__bitmap_test(&paging->present, id))
		return;
	if (swmsi__hwpt_uninstall_msi(ctx, paging, swmsi__msi_map_by_id(&ctx->msi, id)))
		ctx->msi_uninstalls++;
}

/* Undo the mirror of the areas before @stop (all when @stop is NULL). */
static void unmirror(struct swmsi_ctx *ctx, struct swmsi_hwpt_paging *paging,
		     struct swmsi_area *stop)
{
	struct swmsi_area *a;

	swmsi__assert_locked(ctx);
	RB_FOREACH(a, swmsi__area_tree, &paging->common.ioas->areas) {
		if (a == stop)
			break;
		swmsi__unmap_user(ctx, paging->domain, a->iova, a->length);
	}
}

/* A new HWPT gets every existing mapping of its IOAS. */
static int mirror(struct swmsi_ctx *ctx, struct swmsi_hwpt_paging *paging)
{
	struct swmsi_area *a;
	int rc;

	swmsi__assert_locked(ctx);
	RB_FOREACH(a, swmsi__area_tree, &paging->common.ioas->areas) {
		rc = ctx->ops->map(ctx->priv, paging->domain, a->iova, a->paddr, a->length,
				   a->prot);
		if (rc) {
			unmirror(ctx, paging, a);
			return rc;
		}
	}
	return 0;
}

/* What lies outside the new domain's aperture (the backend's, or the
 * whole 64-bit space): its records, owned by HWPT @id, not linked yet.
 * The IOAS may not map there (-EADDRINUSE). */
static int aperture_prepare(struct swmsi_ctx *ctx, struct swmsi_hwpt_paging *paging, uint32_t id)
{
	struct swmsi_resv *below = &paging->aperture[0], *above = &paging->aperture[1];
	uint64_t first = 0, last = UINT64_MAX;
	int rc;

	swmsi__assert_locked(ctx);
	if (ctx->ops->aperture) {
		rc = ctx->ops->aperture(ctx->priv, paging->domain, &first, &last);
		if (rc)
			return rc;
		if (first > last)
			return -EINVAL; /* a backend fault: no usable IOVA */
	}
	/* an unused record has start > last */
	*below = (struct swmsi_resv){ .start = 1, .last = 0 };
	*above = (struct swmsi_resv){ .start = 1, .last = 0 };
	if (first) {
		below->start = 0;
		below->last = first - 1;
	}
	if (last != UINT64_MAX) {
		above->start = last + 1;
		above->last = UINT64_MAX;
	}
	for (int i = 0; i < 2; i++) {
		struct swmsi_resv *r = &paging->aperture[i];

		r->type = SWMSI_RESV_APERTURE;
		r->owner = id;
		/* iopt_reserve_iova(): no area, no allowed range there */
		if (r->start <= r->last &&
		    swmsi__ioas_range_busy(paging->common.ioas, r->start, r->last))
			return -EADDRINUSE;
	}
	return 0;
}

/* The aperture record @i, or NULL when that side is empty. */
static struct swmsi_resv *aperture_part(struct swmsi_hwpt_paging *paging, int i)
{
	struct swmsi_resv *r = &paging->aperture[i];

	return r->start > r->last ? NULL : r;
}

/* Reserve what lies outside the aperture on the IOAS. */
static void aperture_link(struct swmsi_hwpt_paging *paging)
{
	for (int i = 0; i < 2; i++)
		if (aperture_part(paging, i))
			swmsi__resv_insert(&paging->common.ioas->resv, aperture_part(paging, i));
}

/* Release it. */
static void aperture_unlink(struct swmsi_hwpt_paging *paging)
{
	for (int i = 0; i < 2; i++)
		if (aperture_part(paging, i))
			swmsi__resv_remove(&paging->common.ioas->resv, aperture_part(paging, i));
}

/* The domain's smallest page: the backend's, else the context's page. */
static int domain_pgsize(struct swmsi_ctx *ctx, struct swmsi_hwpt_paging *paging)
{
	uint64_t bitmap = ctx->page_size;
	int rc;

	if (ctx->ops->pgsize_bitmap) {
		rc = ctx->ops->pgsize_bitmap(ctx->priv, paging->domain, &bitmap);
		if (rc)
			return rc;
		if (!bitmap)
			return -EINVAL; /* a backend fault: no page size */
	}
	paging->pgsize = bitmap & -bitmap;
	return 0;
}

int swmsi__hwpt_paging_create(struct swmsi_ctx *ctx, struct swmsi_ioas *ioas, uint32_t flags,
			      struct swmsi_hwpt_paging **pagingp)
{
	struct swmsi_hwpt_paging *paging;
	uint32_t id;
	int rc;

	swmsi__assert_locked(ctx);
	rc = swmsi__obj_reserve_id(ctx, &id);
	if (rc)
		return rc;
	paging = swmsi__calloc(ctx, 1, sizeof(*paging));
	if (!paging)
		return -ENOMEM;
	paging->common.ioas = ioas;
	paging->stamp = ++ctx->stamps;
	paging->flags = flags & ~SWMSI__HWPT_AUTO_DOMAIN;
	paging->auto_domain = flags & SWMSI__HWPT_AUTO_DOMAIN;
	rc = ctx->ops->domain_alloc(ctx->priv, &paging->domain);
	if (rc)
		goto err_free;
	/* iopt_table_add_domain()'s order: alignment, aperture, pages */
	rc = domain_pgsize(ctx, paging);
	if (!rc)
		rc = swmsi__ioas_domain_align(ctx, ioas, paging->pgsize);
	if (!rc)
		rc = aperture_prepare(ctx, paging, id);
	if (!rc)
		rc = swmsi__ioas_domain_pin(ctx, ioas);
	if (rc)
		goto err_domain_free;
	rc = mirror(ctx, paging);
	if (rc)
		goto err_domain_free;
	/* pairs with the users-- in hwpt_paging_destroy() */
	ioas->obj.users++;
	TAILQ_INSERT_TAIL(&ioas->hwpts, paging, ioas_link);
	aperture_link(paging);
	if (paging->auto_domain)
		ioas->auto_hwpt = paging;
	swmsi__obj_publish(ctx, &paging->common.obj, id, SWMSI__TYPE_HWPT_PAGING);
	*pagingp = paging;
	return 0;

err_domain_free:
	ctx->ops->domain_free(ctx->priv, paging->domain);
err_free:
	free(paging);
	return rc;
}

static void hwpt_paging_destroy(struct swmsi_ctx *ctx, struct swmsi_obj *obj)
{
	struct swmsi_hwpt_paging *paging = swmsi__to_hwpt_paging(swmsi__to_hwpt(obj));
	struct swmsi_ioas *ioas = paging->common.ioas;

	swmsi__assert_locked(ctx);
	assert(!obj->users && !paging->children);
	/* unpublished first: once no lock-free reader can hold it, the domain
	 * may go */
	swmsi__obj_remove(ctx, obj);
	/* MSI pages first, then the IOAS mirror: the backend gets an empty
	 * domain back */
	ctx->scheme->hwpt_destroy(ctx, paging);
	unmirror(ctx, paging, NULL);
	ctx->ops->domain_free(ctx->priv, paging->domain);
	TAILQ_REMOVE(&ioas->hwpts, paging, ioas_link);
	aperture_unlink(paging);
	if (ioas->auto_hwpt == paging)
		ioas->auto_hwpt = NULL;
	/* pairs with the users++ in swmsi__hwpt_paging_create() */
	ioas->obj.users--;
	swmsi__bitmap_release(&paging->present);
	swmsi__idmap_release(&paging->need);
	free(paging);
}

static size_t hwpt_paging_set_bytes(const struct swmsi_obj *obj)
{
	const struct swmsi_hwpt_paging *paging = (const struct swmsi_hwpt_paging *)obj;

	return swmsi__bitmap_bytes(&paging->present) + swmsi__idmap_bytes(&paging->need);
}

static void hwpt_nested_destroy(struct swmsi_ctx *ctx, struct swmsi_obj *obj)
{
	struct swmsi_hwpt_nested *nested = swmsi__to_hwpt_nested(swmsi__to_hwpt(obj));

	swmsi__assert_locked(ctx);
	assert(!obj->users);
	swmsi__obj_remove(ctx, obj);
	nested->parent->children--;
	/* pairs with the users++ in swmsi_hwpt_alloc_nested() */
	nested->parent->common.obj.users--;
	swmsi__areas_free(&nested->s1);
	free(nested);
}

const struct swmsi_obj_ops swmsi__hwpt_paging_ops = {
	.destroy = hwpt_paging_destroy,
	.destroy_by_id = true,
	.teardown_pass = 2, /* after the nested HWPTs and groups on it */
	.set_bytes = hwpt_paging_set_bytes,
};

const struct swmsi_obj_ops swmsi__hwpt_nested_ops = {
	.destroy = hwpt_nested_destroy,
	.destroy_by_id = true,
	.teardown_pass = 1, /* after the devices whose groups sit on it */
};

int swmsi_hwpt_alloc(struct swmsi_ctx *ctx, uint32_t ioas_id, uint32_t flags, uint32_t *hwpt_id)
{
	struct swmsi_hwpt_paging *paging;
	struct swmsi_ioas *ioas;
	int rc;

	if (!ctx || !hwpt_id)
		return -EINVAL;
	if (flags & ~SWMSI_HWPT_NEST_PARENT)
		return -EOPNOTSUPP;
	swmsi__lock(ctx);
	rc = swmsi__ioas_get(ctx, ioas_id, &ioas);
	if (rc)
		goto out_unlock;
	rc = swmsi__hwpt_paging_create(ctx, ioas, flags, &paging);
	if (rc)
		goto out_unlock;
	*hwpt_id = paging->common.obj.id;
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_hwpt_alloc_nested(struct swmsi_ctx *ctx, uint32_t parent_hwpt_id, uint32_t *hwpt_id)
{
	struct swmsi_hwpt_nested *nested;
	struct swmsi_hwpt_paging *parent;
	struct swmsi_hwpt *hwpt;
	uint32_t id;
	int rc;

	if (!ctx || !hwpt_id)
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__hwpt_get(ctx, parent_hwpt_id, &hwpt);
	if (rc)
		goto out_unlock;
	if (!swmsi__hwpt_is_paging(hwpt) ||
	    !(swmsi__to_hwpt_paging(hwpt)->flags & SWMSI_HWPT_NEST_PARENT)) {
		rc = -EINVAL;
		goto out_unlock;
	}
	parent = swmsi__to_hwpt_paging(hwpt);
	rc = swmsi__obj_reserve_id(ctx, &id);
	if (rc)
		goto out_unlock;
	nested = swmsi__calloc(ctx, 1, sizeof(*nested));
	if (!nested) {
		rc = -ENOMEM;
		goto out_unlock;
	}
	nested->common.ioas = parent->common.ioas;
	nested->parent = parent;
	RB_INIT(&nested->s1);
	/* pairs with the users-- in hwpt_nested_destroy() */
	parent->common.obj.users++;
	parent->children++;
	swmsi__obj_publish(ctx, &nested->common.obj, id, SWMSI__TYPE_HWPT_NESTED);
	*hwpt_id = id;
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_hwpt_nested_map(struct swmsi_ctx *ctx, uint32_t nested_id, uint64_t iova, uint64_t ipa,
			  uint64_t length, uint32_t prot)
{
	struct swmsi_hwpt_nested *nested;
	struct swmsi_area *area;
	int rc;

	if (!ctx || !length || !swmsi__page_aligned(ctx, iova) || !swmsi__page_aligned(ctx, ipa) ||
	    !swmsi__page_aligned(ctx, length))
		return -EINVAL;
	if (prot & ~SWMSI_PROT_ALL)
		return -EOPNOTSUPP;
	if (swmsi__range_wraps(iova, length) || swmsi__range_wraps(ipa, length))
		return -EOVERFLOW;
	swmsi__lock(ctx);
	rc = swmsi__hwpt_nested_get(ctx, nested_id, &nested);
	if (rc)
		goto out_unlock;
	if (swmsi__areas_overlap(&nested->s1, iova, length)) {
		rc = -EEXIST;
		goto out_unlock;
	}
	area = swmsi__area_new(ctx, iova, ipa, length, prot);
	if (!area) {
		rc = -ENOMEM;
		goto out_unlock;
	}
	RB_INSERT(swmsi__area_tree, &nested->s1, area);
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

int swmsi__hwpt_translate(struct swmsi_ctx *ctx, struct swmsi_hwpt *hwpt, uint64_t iova,
			  uint64_t *paddr)
{
	uint64_t pa;

	swmsi__assert_locked(ctx);
	if (!swmsi__hwpt_is_paging(hwpt)) {
		/* stage 1 (the guest's table), then the parent's domain */
		struct swmsi_area *a = swmsi__area_find(&swmsi__to_hwpt_nested(hwpt)->s1, iova);

		if (!a)
			return -ENOENT;
		iova = a->paddr + (iova - a->iova);
	}
	if (ctx->ops->iova_to_phys(ctx->priv, swmsi__find_hwpt_paging(hwpt)->domain, iova, &pa))
		return -ENOENT;
	*paddr = pa;
	return 0;
}

/* -EAGAIN: a nested HWPT, whose stage-1 tree needs the lock. */
static int iova_to_phys_rcu(struct swmsi_ctx *ctx, uint32_t hwpt_id, uint64_t iova, uint64_t *pa)
{
	struct swmsi_obj *obj = swmsi__obj_find_rcu(ctx, hwpt_id);

	if (!obj || !swmsi__obj_is_hwpt(obj))
		return -ENOENT;
	if (!swmsi__hwpt_is_paging(swmsi__to_hwpt(obj)))
		return -EAGAIN;
	/* the domain lives until the HWPT's removal has waited for us */
	return ctx->ops->iova_to_phys(ctx->priv, swmsi__to_hwpt_paging(swmsi__to_hwpt(obj))->domain,
				      iova, pa)
		       ? -ENOENT
		       : 0;
}

/* A read path, as msi_fire: no lock for a paging HWPT. */
int swmsi_hwpt_iova_to_phys(struct swmsi_ctx *ctx, uint32_t hwpt_id, uint64_t iova, uint64_t *paddr)
{
	struct swmsi_hwpt *hwpt;
	unsigned int token;
	uint64_t pa;
	int rc;

	if (!ctx || !paddr)
		return -EINVAL;
	token = swmsi_rcu_read_lock(&ctx->rcu);
	rc = iova_to_phys_rcu(ctx, hwpt_id, iova, &pa);
	swmsi_rcu_read_unlock(&ctx->rcu, token);
	if (rc != -EAGAIN) {
		if (!rc)
			*paddr = pa;
		return rc;
	}
	swmsi__lock(ctx);
	rc = swmsi__hwpt_get(ctx, hwpt_id, &hwpt);
	if (!rc)
		rc = swmsi__hwpt_translate(ctx, hwpt, iova, paddr);
	swmsi__unlock(ctx);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Introspection                                                       */

int swmsi_hwpt_info(struct swmsi_ctx *ctx, uint32_t hwpt_id, struct swmsi_hwpt_info *info)
{
	struct swmsi_hwpt_paging *paging;
	struct swmsi_hwpt *hwpt;
	int rc;

	if (!ctx || !info)
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__hwpt_get(ctx, hwpt_id, &hwpt);
	if (rc)
		goto out_unlock;
	paging = swmsi__find_hwpt_paging(hwpt);
	memset(info, 0, sizeof(*info));
	info->type = (enum swmsi_obj_type)hwpt->obj.type;
	info->ioas_id = hwpt->ioas->obj.id;
	info->domain = paging->domain;
	info->groups = hwpt->groups;
	if (swmsi__hwpt_is_paging(hwpt)) {
		info->flags = paging->flags;
		info->is_auto = paging->auto_domain;
		info->children = paging->children;
	} else {
		info->parent_id = paging->common.obj.id;
	}
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
	rc = swmsi__hwpt_get(ctx, hwpt_id, &hwpt);
	if (rc)
		goto out_unlock;
	memset(info, 0, sizeof(*info));
	*count = 0;
	/* only a paging domain under SWMSI_SCHEME_DMA_IOMMU has a cookie */
	if (swmsi__hwpt_is_paging(hwpt) && ctx->scheme->cookie_info)
		ctx->scheme->cookie_info(ctx, swmsi__to_hwpt_paging(hwpt), info, pages, cap, count);
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_hwpt_present_map_list(struct swmsi_ctx *ctx, uint32_t hwpt_id, uint32_t *ids, size_t cap,
				size_t *count)
{
	struct swmsi_hwpt *hwpt;
	size_t id, n = 0;
	int rc;

	if (!ctx || !count || (cap && !ids))
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__hwpt_get(ctx, hwpt_id, &hwpt);
	if (rc)
		goto out_unlock;
	swmsi__bitmap_for_each_set(id, &swmsi__find_hwpt_paging(hwpt)->present) {
		if (n < cap)
			ids[n] = (uint32_t)id;
		n++;
	}
	*count = n;
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

/* One bit of what swmsi_hwpt_present_map_list() lists: O(1). */
int swmsi_hwpt_present_map_has(struct swmsi_ctx *ctx, uint32_t hwpt_id, uint32_t map_id,
			       bool *present)
{
	struct swmsi_hwpt *hwpt;
	int rc;

	if (!ctx || !present)
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__hwpt_get(ctx, hwpt_id, &hwpt);
	if (!rc)
		*present = swmsi__bitmap_test(&swmsi__find_hwpt_paging(hwpt)->present, map_id);
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_hwpt_nested_mapping_list(struct swmsi_ctx *ctx, uint32_t nested_id,
				   struct swmsi_mapping *maps, size_t cap, size_t *count)
{
	struct swmsi_hwpt_nested *nested;
	int rc;

	if (!ctx || !count || (cap && !maps))
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__hwpt_nested_get(ctx, nested_id, &nested);
	if (!rc)
		*count = swmsi__areas_copy(&nested->s1, maps, cap);
	swmsi__unlock(ctx);
	return rc;
}
