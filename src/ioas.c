/* SPDX-License-Identifier: MIT */
/*
 * IO address spaces: the user's DMA mappings, mirrored into the domain of
 * every paging HWPT allocated on the IOAS, and the ranges reserved on it by
 * the devices attached underneath and by its paging HWPTs' apertures
 * (iommufd's io_pagetable.c and its reserved IOVA ranges).
 */
#include <stdlib.h>
#include <string.h>

#include "scheme.h"
#include "iopt.h"

int swmsi__area_cmp(const struct swmsi_area *a, const struct swmsi_area *b)
{
	return a->iova < b->iova ? -1 : a->iova > b->iova;
}

RB_GENERATE(swmsi__area_tree, swmsi_area, node, swmsi__area_cmp)

/* The area with the highest start at or below @iova, or NULL. */
static struct swmsi_area *area_floor(struct swmsi__area_tree *t, uint64_t iova)
{
	struct swmsi_area key = { .iova = iova };
	struct swmsi_area *a = RB_NFIND(swmsi__area_tree, t, &key);

	if (a && a->iova == iova)
		return a;
	return a ? RB_PREV(swmsi__area_tree, t, a) : RB_MAX(swmsi__area_tree, t);
}

struct swmsi_area *swmsi__area_find(struct swmsi__area_tree *t, uint64_t iova)
{
	struct swmsi_area *a = area_floor(t, iova);

	if (a && iova - a->iova <= a->length - 1)
		return a;
	return NULL;
}

bool swmsi__areas_overlap(struct swmsi__area_tree *t, uint64_t iova, uint64_t length)
{
	struct swmsi_area key = { .iova = iova };
	struct swmsi_area *a;

	if (swmsi__area_find(t, iova))
		return true;
	a = RB_NFIND(swmsi__area_tree, t, &key);
	return a && a->iova <= iova + (length - 1);
}

struct swmsi_area *swmsi__area_new(struct swmsi_ctx *ctx, uint64_t iova, uint64_t paddr,
				   uint64_t length, uint32_t prot)
{
	struct swmsi_area *area;

	swmsi__assert_locked(ctx);
	area = swmsi__calloc(ctx, 1, sizeof(*area));
	if (!area)
		return NULL;
	area->iova = iova;
	area->paddr = paddr;
	area->length = length;
	area->prot = prot;
	area->writable = prot & SWMSI_PROT_WRITE;
	return area;
}

void swmsi__areas_free(struct swmsi__area_tree *t)
{
	struct swmsi_area *a;

	while ((a = RB_MIN(swmsi__area_tree, t))) {
		RB_REMOVE(swmsi__area_tree, t, a);
		free(a);
	}
}

int swmsi_ioas_alloc(struct swmsi_ctx *ctx, uint32_t *ioas_id)
{
	struct swmsi_ioas *ioas;
	uint32_t id;
	int rc;

	if (!ctx || !ioas_id)
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__obj_reserve_id(ctx, &id);
	if (rc)
		goto out_unlock;
	ioas = swmsi__calloc(ctx, 1, sizeof(*ioas));
	if (!ioas) {
		rc = -ENOMEM;
		goto out_unlock;
	}
	RB_INIT(&ioas->areas);
	TAILQ_INIT(&ioas->hwpts);
	TAILQ_INIT(&ioas->resv);
	SLIST_INIT(&ioas->own_resv);
	swmsi__obj_publish(ctx, &ioas->obj, id, SWMSI__TYPE_IOAS);
	*ioas_id = id;
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

static void ioas_destroy(struct swmsi_ctx *ctx, struct swmsi_obj *obj)
{
	struct swmsi_ioas *ioas = swmsi__to_ioas(obj);

	swmsi__assert_locked(ctx);
	assert(!ioas->obj.users && TAILQ_EMPTY(&ioas->hwpts));
	swmsi__ioas_iopt_release(ioas);
	/* devices and HWPTs took their reservations with them */
	assert(TAILQ_EMPTY(&ioas->resv));
	swmsi__areas_free(&ioas->areas);
	swmsi__obj_remove(ctx, &ioas->obj);
	free(ioas);
}

const struct swmsi_obj_ops swmsi__ioas_ops = {
	.destroy = ioas_destroy,
	.destroy_by_id = true,
	.teardown_pass = 3, /* after every HWPT on it */
};

int swmsi_ioas_map(struct swmsi_ctx *ctx, uint32_t ioas_id, uint64_t iova, uint64_t paddr,
		   uint64_t length, uint32_t prot)
{
	struct swmsi_hwpt_paging *hwpt, *done;
	struct swmsi_ioas *ioas;
	struct swmsi_area *area;
	int rc;

	if (!ctx || !length || !swmsi__page_aligned(ctx, iova) ||
	    !swmsi__page_aligned(ctx, paddr) || !swmsi__page_aligned(ctx, length))
		return -EINVAL;
	if (prot & ~SWMSI_PROT_ALL)
		return -EOPNOTSUPP;
	if (swmsi__range_wraps(iova, length) || swmsi__range_wraps(paddr, length))
		return -EOVERFLOW;
	swmsi__lock(ctx);
	rc = swmsi__ioas_get(ctx, ioas_id, &ioas);
	if (rc)
		goto out_unlock;
	if (swmsi__resv_meets(&ioas->resv, iova, iova + (length - 1))) {
		/* NATIVE names the cause; the kernel's iopt_check_iova()
		 * answers -EINVAL */
		rc = ctx->scheme->resv_map_err;
		goto out_unlock;
	}
	if (swmsi__areas_overlap(&ioas->areas, iova, length)) {
		rc = -EEXIST;
		goto out_unlock;
	}
	area = swmsi__area_new(ctx, iova, paddr, length, prot);
	if (!area) {
		rc = -ENOMEM;
		goto out_unlock;
	}
	TAILQ_FOREACH(hwpt, &ioas->hwpts, ioas_link) {
		rc = ctx->ops->map(ctx->priv, hwpt->domain, iova, paddr, length, prot);
		if (rc)
			goto err_unmirror;
	}
	RB_INSERT(swmsi__area_tree, &ioas->areas, area);
	goto out_unlock;

err_unmirror:
	TAILQ_FOREACH(done, &ioas->hwpts, ioas_link) {
		if (done == hwpt)
			break;
		swmsi__unmap_user(ctx, done->domain, iova, length);
	}
	free(area);
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_ioas_unmap(struct swmsi_ctx *ctx, uint32_t ioas_id, uint64_t iova, uint64_t length)
{
	struct swmsi_area key = { .iova = iova };
	struct swmsi_area *a, *next, *edge;
	struct swmsi_hwpt_paging *hwpt;
	struct swmsi_ioas *ioas;
	uint64_t last;
	int rc;

	if (!ctx || !length || !swmsi__page_aligned(ctx, iova) || !swmsi__page_aligned(ctx, length))
		return -EINVAL;
	if (swmsi__range_wraps(iova, length))
		return -EOVERFLOW;
	last = iova + (length - 1);
	swmsi__lock(ctx);
	rc = swmsi__ioas_get(ctx, ioas_id, &ioas);
	if (rc)
		goto out_unlock;
	/* all or nothing: a mapping cut by either end blocks the whole call */
	rc = -ENOENT;
	edge = swmsi__area_find(&ioas->areas, iova);
	if (edge && edge->iova != iova)
		goto out_unlock;
	edge = swmsi__area_find(&ioas->areas, last);
	if (edge && edge->iova + (edge->length - 1) != last)
		goto out_unlock;
	a = RB_NFIND(swmsi__area_tree, &ioas->areas, &key);
	if (!a || a->iova > last)
		goto out_unlock;
	rc = 0;
	for (; a && a->iova <= last; a = next) {
		next = RB_NEXT(swmsi__area_tree, &ioas->areas, a);
		TAILQ_FOREACH(hwpt, &ioas->hwpts, ioas_link)
			swmsi__unmap_user(ctx, hwpt->domain, a->iova, a->length);
		RB_REMOVE(swmsi__area_tree, &ioas->areas, a);
		free(a);
	}
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

void swmsi__unmap_user(struct swmsi_ctx *ctx, void *domain, uint64_t iova, uint64_t length)
{
	swmsi__assert_locked(ctx);
	/*
	 * A user mapping the backend unmaps short is a backend fault libswmsi
	 * cannot repair (the kernel WARNs in iopt_unmap_domain for the same):
	 * the IOAS does what it was asked and forgets the mapping, and the
	 * fault is counted where swmsi_ctx_stats() shows it.
	 */
	if (ctx->ops->unmap(ctx->priv, domain, iova, length) != length)
		ctx->short_unmaps++;
}

/* ------------------------------------------------------------------ */
/* Introspection                                                       */

size_t swmsi__areas_copy(struct swmsi__area_tree *t, struct swmsi_mapping *maps, size_t cap)
{
	struct swmsi_area *a;
	size_t n = 0;

	RB_FOREACH(a, swmsi__area_tree, t) {
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

int swmsi_ioas_mapping_list(struct swmsi_ctx *ctx, uint32_t ioas_id, struct swmsi_mapping *maps,
			    size_t cap, size_t *count)
{
	struct swmsi_ioas *ioas;
	int rc;

	if (!ctx || !count || (cap && !maps))
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__ioas_get(ctx, ioas_id, &ioas);
	if (!rc)
		*count = swmsi__areas_copy(&ioas->areas, maps, cap);
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_ioas_window_list(struct swmsi_ctx *ctx, uint32_t ioas_id, struct swmsi_mapping *windows,
			   size_t cap, size_t *count)
{
	struct swmsi_ioas *ioas;
	struct swmsi_resv *r, *prev = NULL;
	size_t n = 0;
	int rc;

	if (!ctx || !count || (cap && !windows))
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__ioas_get(ctx, ioas_id, &ioas);
	if (rc)
		goto out_unlock;
	/* each distinct SW_MSI window once, whatever its owners (equal
	 * records are adjacent in the ordered set) */
	TAILQ_FOREACH(r, &ioas->resv, link) {
		if (r->type != SWMSI_RESV_SW_MSI)
			continue;
		if (prev && prev->start == r->start && prev->last == r->last)
			continue;
		prev = r;
		if (n < cap) {
			memset(&windows[n], 0, sizeof(windows[n]));
			windows[n].iova = r->start;
			windows[n].length = r->last - r->start + 1;
		}
		n++;
	}
	*count = n;
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_ioas_resv_list(struct swmsi_ctx *ctx, uint32_t ioas_id, struct swmsi_resv_info *resv,
			 size_t cap, size_t *count)
{
	struct swmsi_ioas *ioas;
	struct swmsi_resv *r;
	size_t n = 0;
	int rc;

	if (!ctx || !count || (cap && !resv))
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__ioas_get(ctx, ioas_id, &ioas);
	if (rc)
		goto out_unlock;
	TAILQ_FOREACH(r, &ioas->resv, link) {
		if (n < cap) {
			memset(&resv[n], 0, sizeof(resv[n]));
			resv[n].start = r->start;
			resv[n].last = r->last;
			resv[n].type = (enum swmsi_resv_type)r->type;
			resv[n].owner = r->owner;
		}
		n++;
	}
	*count = n;
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

/* The complement in [0, UINT64_MAX] of the union of the ordered set. */
static size_t usable_ranges(const struct swmsi_resv_set *s, struct swmsi_iova_range *ranges,
			    size_t cap)
{
	const struct swmsi_resv *r;
	uint64_t next = 0; /* the lowest IOVA not yet known reserved */
	bool done = false; /* everything up to UINT64_MAX is reserved */
	size_t n = 0;

	TAILQ_FOREACH(r, s, link) {
		if (r->last < next)
			continue;
		if (r->start > next) {
			if (n < cap) {
				ranges[n].start = next;
				ranges[n].last = r->start - 1;
			}
			n++;
		}
		if (r->last == UINT64_MAX) {
			done = true;
			break;
		}
		next = r->last + 1;
	}
	if (!done) {
		if (n < cap) {
			ranges[n].start = next;
			ranges[n].last = UINT64_MAX;
		}
		n++;
	}
	return n;
}

int swmsi_ioas_iova_ranges(struct swmsi_ctx *ctx, uint32_t ioas_id, struct swmsi_iova_range *ranges,
			   size_t cap, size_t *count)
{
	struct swmsi_ioas *ioas;
	int rc;

	if (!ctx || !count || (cap && !ranges))
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__ioas_get(ctx, ioas_id, &ioas);
	if (!rc)
		*count = usable_ranges(&ioas->resv, ranges, cap);
	swmsi__unlock(ctx);
	return rc;
}
