/* SPDX-License-Identifier: MIT */
/*
 * What an IOAS holds besides its areas, as upstream's io_pagetable does:
 * the allowed ranges (IOMMU_IOAS_ALLOW_IOVAS), IOMMU_OPTION_HUGE_PAGES,
 * the ranges reserved on the IOAS itself (the selftest's ADD_RESERVED),
 * and the calls that read them: the alignment, the allowed list and the
 * area list.
 */
#include <stdlib.h>
#include <string.h>

#include "scheme.h"
#include "iopt.h"

/* A range reserved on the IOAS itself (no device, no HWPT). */
struct swmsi_ioas_resv {
	struct swmsi_resv r;
	SLIST_ENTRY(swmsi_ioas_resv) link;
};

void swmsi__ioas_iopt_release(struct swmsi_ioas *ioas)
{
	struct swmsi_ioas_resv *o;

	while ((o = SLIST_FIRST(&ioas->own_resv))) {
		SLIST_REMOVE_HEAD(&ioas->own_resv, link);
		swmsi__resv_remove(&ioas->resv, &o->r);
		free(o);
	}
	free(ioas->allowed);
	ioas->allowed = NULL;
	ioas->nallowed = 0;
}

/* ------------------------------------------------------------------ */
/* Allowed ranges                                                      */

static int range_cmp(const void *a, const void *b)
{
	const struct swmsi_iova_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* iommufd_ioas_load_iovas()'s rules, but each start below its last (that
 * needs no memory): no two overlap, in any order (every failure is
 * -EINVAL, whichever pair). @sorted: room for a sorted copy. */
static int allowed_check(const struct swmsi_iova_range *r, size_t n,
			 struct swmsi_iova_range *sorted)
{
	size_t i;

	memcpy(sorted, r, n * sizeof(*r));
	qsort(sorted, n, sizeof(*sorted), range_cmp);
	for (i = 1; i < n; i++) {
		if (sorted[i].start <= sorted[i - 1].last)
			return -EINVAL;
	}
	return 0;
}

static int allowed_set(struct swmsi_ctx *ctx, struct swmsi_ioas *ioas,
		       const struct swmsi_iova_range *ranges, size_t n)
{
	struct swmsi_iova_range *sorted = NULL;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		if (ranges[i].start >= ranges[i].last)
			return -EINVAL;
	}
	if (n) {
		sorted = swmsi__calloc(ctx, n, sizeof(*sorted));
		if (!sorted)
			return -ENOMEM;
		rc = allowed_check(ranges, n, sorted);
		for (i = 0; !rc && i < n; i++) {
			if (swmsi__resv_meets(&ioas->resv, sorted[i].start, sorted[i].last))
				rc = -EADDRINUSE;
		}
		if (rc) {
			free(sorted);
			return rc;
		}
	}
	free(ioas->allowed);
	ioas->allowed = sorted;
	ioas->nallowed = n;
	return 0;
}

int swmsi_ioas_allow_iovas(struct swmsi_ctx *ctx, uint32_t ioas_id,
			   const struct swmsi_iova_range *ranges, size_t n)
{
	struct swmsi_ioas *ioas;
	int rc;

	if (!ctx || (n && !ranges))
		return -EINVAL;
	if (n > SIZE_MAX / sizeof(*ranges))
		return -ENOMEM;
	swmsi__lock(ctx);
	rc = swmsi__ioas_get(ctx, ioas_id, &ioas);
	if (!rc)
		rc = allowed_set(ctx, ioas, ranges, n);
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_ioas_allowed_list(struct swmsi_ctx *ctx, uint32_t ioas_id,
			    struct swmsi_iova_range *ranges, size_t cap, size_t *count)
{
	struct swmsi_ioas *ioas;
	int rc;

	if (!ctx || !count || (cap && !ranges))
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__ioas_get(ctx, ioas_id, &ioas);
	if (!rc) {
		size_t n = ioas->nallowed < cap ? ioas->nallowed : cap;

		if (n)
			memcpy(ranges, ioas->allowed, n * sizeof(*ranges));
		*count = ioas->nallowed;
	}
	swmsi__unlock(ctx);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Alignment and huge pages                                            */

int swmsi_ioas_iova_alignment(struct swmsi_ctx *ctx, uint32_t ioas_id, uint64_t *alignment)
{
	struct swmsi_ioas *ioas;
	int rc;

	if (!ctx || !alignment)
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__ioas_get(ctx, ioas_id, &ioas);
	if (!rc)
		*alignment = swmsi__ioas_alignment(ctx, ioas);
	swmsi__unlock(ctx);
	return rc;
}

/* iopt_disable_large_pages(): refused once domains hold areas, and when an
 * area does not fit the page alignment it brings. */
static int huge_pages_off(struct swmsi_ctx *ctx, struct swmsi_ioas *ioas)
{
	uint64_t cur = swmsi__ioas_alignment(ctx, ioas);

	if (ioas->huge_disabled)
		return 0;
	if (!TAILQ_EMPTY(&ioas->hwpts) && !RB_EMPTY(&ioas->areas))
		return -EINVAL;
	if (ctx->page_size > cur && !swmsi__ioas_areas_aligned(ctx, ioas, ctx->page_size))
		return -EADDRINUSE;
	ioas->huge_disabled = true;
	return 0;
}

int swmsi_ioas_set_huge_pages(struct swmsi_ctx *ctx, uint32_t ioas_id, bool enable)
{
	struct swmsi_ioas *ioas;
	int rc;

	if (!ctx)
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__ioas_get(ctx, ioas_id, &ioas);
	if (!rc && enable)
		ioas->huge_disabled = false; /* the alignment can only drop */
	else if (!rc)
		rc = huge_pages_off(ctx, ioas);
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_ioas_get_huge_pages(struct swmsi_ctx *ctx, uint32_t ioas_id, bool *enabled)
{
	struct swmsi_ioas *ioas;
	int rc;

	if (!ctx || !enabled)
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__ioas_get(ctx, ioas_id, &ioas);
	if (!rc)
		*enabled = !ioas->huge_disabled;
	swmsi__unlock(ctx);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Ranges reserved on the IOAS itself                                  */

int swmsi_ioas_add_reserved(struct swmsi_ctx *ctx, uint32_t ioas_id, uint64_t start,
			    uint64_t length)
{
	struct swmsi_ioas_resv *o;
	struct swmsi_ioas *ioas;
	int rc;

	if (!ctx || !length)
		return -EINVAL;
	if (swmsi__range_wraps(start, length))
		return -EOVERFLOW;
	swmsi__lock(ctx);
	rc = swmsi__ioas_get(ctx, ioas_id, &ioas);
	if (rc)
		goto out_unlock;
	/* iopt_reserve_iova() */
	if (swmsi__ioas_range_busy(ioas, start, start + (length - 1))) {
		rc = -EADDRINUSE;
		goto out_unlock;
	}
	o = swmsi__calloc(ctx, 1, sizeof(*o));
	if (!o) {
		rc = -ENOMEM;
		goto out_unlock;
	}
	o->r.start = start;
	o->r.last = start + (length - 1);
	o->r.type = SWMSI_RESV_RESERVED;
	o->r.owner = 0;
	swmsi__resv_insert(&ioas->resv, &o->r);
	SLIST_INSERT_HEAD(&ioas->own_resv, o, link);
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Areas                                                               */

int swmsi_ioas_area_list(struct swmsi_ctx *ctx, uint32_t ioas_id, struct swmsi_area_info *areas,
			 size_t cap, size_t *count)
{
	struct swmsi_ioas *ioas;
	struct swmsi_area *a;
	size_t n = 0;
	int rc;

	if (!ctx || !count || (cap && !areas))
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__ioas_get(ctx, ioas_id, &ioas);
	if (rc)
		goto out_unlock;
	RB_FOREACH(a, swmsi__area_tree, &ioas->areas) {
		if (n < cap) {
			memset(&areas[n], 0, sizeof(areas[n]));
			areas[n].iova = a->iova;
			areas[n].length = a->length;
			areas[n].addr = a->paddr;
			areas[n].prot = a->prot;
			areas[n].flags = (a->user ? SWMSI_AREA_USER_VA : 0) |
					 (a->writable ? SWMSI_AREA_WRITABLE : 0);
		}
		n++;
	}
	*count = n;
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}
