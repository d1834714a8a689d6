/* SPDX-License-Identifier: MIT */
/*
 * The IOAS as upstream's io_pagetable: user-VA areas at fixed or allocated
 * IOVAs (iopt_map_user_pages()), copies between IOASes (iopt_get_pages()
 * then iopt_map_pages()), unmap of whole areas and of everything
 * (iopt_unmap_iova_range()), and the IOVA alignment a domain brings
 * (iopt_table_add_domain()). Checks run in upstream's order; every failed
 * call changes nothing. The allowed ranges, huge pages and the lists are
 * in iopt_ranges.c, the allocator in iopt_alloc.c.
 */
#include <stdlib.h>

#include "scheme.h"
#include "iopt.h"

#define MAP_FLAGS (SWMSI_IOAS_MAP_FIXED_IOVA | SWMSI_IOAS_MAP_WRITEABLE | SWMSI_IOAS_MAP_READABLE)

uint64_t swmsi__ioas_alignment(const struct swmsi_ctx *ctx, const struct swmsi_ioas *ioas)
{
	const struct swmsi_hwpt_paging *h;
	/* with huge pages off everything is kept to whole pages */
	uint64_t align = ioas->huge_disabled ? ctx->page_size : 1;

	TAILQ_FOREACH(h, &ioas->hwpts, ioas_link) {
		if (h->pgsize > align)
			align = h->pgsize;
	}
	return align;
}

bool swmsi__ioas_range_busy(struct swmsi_ioas *ioas, uint64_t start, uint64_t last)
{
	size_t i;

	if (swmsi__areas_overlap(&ioas->areas, start, last - start + 1))
		return true;
	for (i = 0; i < ioas->nallowed; i++) {
		if (ioas->allowed[i].start <= last && start <= ioas->allowed[i].last)
			return true;
	}
	return false;
}

bool swmsi__ioas_areas_aligned(const struct swmsi_ctx *ctx, struct swmsi_ioas *ioas, uint64_t align)
{
	struct swmsi_area *a;
	uint64_t mask = align - 1;

	RB_FOREACH(a, swmsi__area_tree, &ioas->areas) {
		if ((a->iova & mask) || (a->length & mask) ||
		    ((a->paddr & (ctx->page_size - 1)) & mask))
			return false;
	}
	return true;
}

int swmsi__ioas_domain_align(struct swmsi_ctx *ctx, struct swmsi_ioas *ioas, uint64_t pgsize)
{
	uint64_t cur = swmsi__ioas_alignment(ctx, ioas);
	uint64_t align = pgsize > cur ? pgsize : cur;

	swmsi__assert_locked(ctx);
	/* a domain must take whole CPU pages: contiguity beyond is not known */
	if (align > ctx->page_size)
		return -EINVAL;
	if (align != cur && !swmsi__ioas_areas_aligned(ctx, ioas, align))
		return -EADDRINUSE;
	return 0;
}

int swmsi__ioas_domain_pin(struct swmsi_ctx *ctx, struct swmsi_ioas *ioas)
{
	struct swmsi_area *a;

	swmsi__assert_locked(ctx);
	/* another domain holds the pages already (upstream's storage domain) */
	if (!TAILQ_EMPTY(&ioas->hwpts))
		return 0;
	RB_FOREACH(a, swmsi__area_tree, &ioas->areas) {
		if (a->user && swmsi__user_va_check(a->paddr, a->length))
			return -EFAULT;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Placing areas (iopt_map_pages())                                    */

/* One slice of backing that becomes one area. */
struct piece {
	uint64_t addr; /* user VA or physical address */
	uint64_t length;
	bool user;
	bool writable;
	bool pinned; /* a domain of its source holds it: nothing to check */
	struct swmsi_area *area;
};

/* The IOVA: allocated from the first piece's address, or checked as
 * iopt_check_iova() does. */
static int place_iova(struct swmsi_ctx *ctx, struct swmsi_ioas *ioas, uint64_t addr,
		      uint64_t length, uint32_t flags, uint64_t *iova)
{
	uint64_t align = swmsi__ioas_alignment(ctx, ioas), last;

	if (!(flags & SWMSI_IOAS_MAP_FIXED_IOVA))
		return swmsi__iopt_alloc_iova(ctx, ioas, addr, length, iova);
	if (*iova & (align - 1))
		return -EINVAL;
	if (swmsi__range_wraps(*iova, length))
		return -EOVERFLOW;
	last = *iova + (length - 1);
	if (swmsi__resv_meets(&ioas->resv, *iova, last))
		return ctx->scheme->resv_map_err;
	return swmsi__areas_overlap(&ioas->areas, *iova, length) ? -EEXIST : 0;
}

/* iopt_insert_area()'s checks on each piece, then the areas. */
static int pieces_prepare(struct swmsi_ctx *ctx, struct swmsi_ioas *ioas, struct piece *p, size_t n,
			  uint64_t iova, uint32_t prot)
{
	uint64_t align = swmsi__ioas_alignment(ctx, ioas);
	size_t i;

	for (i = 0; i < n; i++) {
		if ((prot & SWMSI_PROT_WRITE) && !p[i].writable)
			return -EPERM;
		if ((p[i].addr & (ctx->page_size - 1)) & (align - 1))
			return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		p[i].area = swmsi__area_new(ctx, iova, p[i].addr, p[i].length, prot);
		if (!p[i].area)
			return -ENOMEM;
		p[i].area->user = p[i].user;
		p[i].area->writable = p[i].writable;
		iova += p[i].length;
	}
	return 0;
}

/* Map every piece into one domain; on failure unmap what this did. */
static int pieces_mirror(struct swmsi_ctx *ctx, void *domain, struct piece *p, size_t n)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		const struct swmsi_area *a = p[i].area;

		rc = ctx->ops->map(ctx->priv, domain, a->iova, a->paddr, a->length, a->prot);
		if (rc) {
			while (i--)
				swmsi__unmap_user(ctx, domain, p[i].area->iova, p[i].area->length);
			return rc;
		}
	}
	return 0;
}

/* Pin (check) the user pieces, then fill every domain; all or nothing. */
static int pieces_fill(struct swmsi_ctx *ctx, struct swmsi_ioas *ioas, struct piece *p, size_t n)
{
	struct swmsi_hwpt_paging *hwpt, *done;
	size_t i;
	int rc;

	if (TAILQ_EMPTY(&ioas->hwpts))
		return 0;
	for (i = 0; i < n; i++) {
		if (p[i].user && !p[i].pinned && swmsi__user_va_check(p[i].addr, p[i].length))
			return -EFAULT;
	}
	TAILQ_FOREACH(hwpt, &ioas->hwpts, ioas_link) {
		rc = pieces_mirror(ctx, hwpt->domain, p, n);
		if (!rc)
			continue;
		TAILQ_FOREACH(done, &ioas->hwpts, ioas_link) {
			if (done == hwpt)
				break;
			for (i = 0; i < n; i++)
				swmsi__unmap_user(ctx, done->domain, p[i].area->iova,
						  p[i].area->length);
		}
		return rc;
	}
	return 0;
}

/* upstream's iopt_map_pages() for @n pieces of @length bytes in all. */
static int pieces_map(struct swmsi_ctx *ctx, struct swmsi_ioas *ioas, struct piece *p, size_t n,
		      uint64_t length, uint32_t flags, uint64_t *iova)
{
	uint32_t prot = (flags & SWMSI_IOAS_MAP_READABLE ? SWMSI_PROT_READ : 0) |
			(flags & SWMSI_IOAS_MAP_WRITEABLE ? SWMSI_PROT_WRITE : 0);
	uint64_t at = *iova;
	size_t i;
	int rc;

	swmsi__assert_locked(ctx);
	if (!length || (length & (swmsi__ioas_alignment(ctx, ioas) - 1)))
		return -EINVAL;
	rc = place_iova(ctx, ioas, p[0].addr, length, flags, &at);
	if (!rc)
		rc = pieces_prepare(ctx, ioas, p, n, at, prot);
	if (!rc)
		rc = pieces_fill(ctx, ioas, p, n);
	for (i = 0; i < n; i++) {
		if (rc)
			free(p[i].area);
		else
			RB_INSERT(swmsi__area_tree, &ioas->areas, p[i].area);
		p[i].area = NULL;
	}
	if (!rc)
		*iova = at;
	return rc;
}

/* The ioctl's own checks of IOMMU_IOAS_MAP and IOMMU_IOAS_COPY. */
static int map_flags_check(uint32_t flags)
{
	if (flags & ~MAP_FLAGS)
		return -EOPNOTSUPP;
	return 0;
}

int swmsi_ioas_map_user(struct swmsi_ctx *ctx, uint32_t ioas_id, uint32_t flags, uint64_t user_va,
			uint64_t length, uint64_t *iova)
{
	struct piece p = { .addr = user_va, .length = length, .user = true };
	struct swmsi_ioas *ioas;
	int rc;

	if (!ctx || !iova)
		return -EINVAL;
	rc = map_flags_check(flags);
	if (rc)
		return rc;
	if (*iova == UINT64_MAX || length == UINT64_MAX)
		return -EOVERFLOW;
	if (!(flags & (SWMSI_IOAS_MAP_READABLE | SWMSI_IOAS_MAP_WRITEABLE)))
		return -EINVAL;
	p.writable = flags & SWMSI_IOAS_MAP_WRITEABLE;
	swmsi__lock(ctx);
	rc = swmsi__ioas_get(ctx, ioas_id, &ioas);
	/* iopt_alloc_user_pages(): the VA range, then the length */
	if (!rc && length > UINT64_MAX - user_va)
		rc = -EOVERFLOW;
	if (!rc && (!length || length > UINT64_MAX - ctx->page_size))
		rc = -EINVAL;
	if (!rc)
		rc = pieces_map(ctx, ioas, &p, 1, length, flags, iova);
	swmsi__unlock(ctx);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Copy (iopt_get_pages())                                             */

/* The source areas covering [iova, last] without a gap: how many, the
 * first in *@first; -ENOENT when they do not cover it. */
static int copy_cover(struct swmsi_ioas *src, uint64_t iova, uint64_t last,
		      struct swmsi_area **first, size_t *n)
{
	struct swmsi_area *a = swmsi__area_find(&src->areas, iova);
	uint64_t a_last = 0;

	*first = a;
	*n = 0;
	for (; a; a = RB_NEXT(swmsi__area_tree, &src->areas, a)) {
		if (*n && a->iova != a_last + 1)
			break;
		(*n)++;
		a_last = a->iova + (a->length - 1);
		if (a_last >= last)
			return 0;
		if (a_last == UINT64_MAX)
			break;
	}
	return -ENOENT;
}

/* The pieces of [iova, last]: slices of the covering areas. */
static struct piece *copy_pieces(struct swmsi_ctx *ctx, struct swmsi_ioas *src,
				 struct swmsi_area *a, size_t n, uint64_t iova, uint64_t last)
{
	struct piece *p = swmsi__calloc(ctx, n, sizeof(*p));
	bool pinned = !TAILQ_EMPTY(&src->hwpts);
	size_t i;

	if (!p)
		return NULL;
	for (i = 0; i < n; i++, a = RB_NEXT(swmsi__area_tree, &src->areas, a)) {
		uint64_t from = i ? a->iova : iova;
		uint64_t a_last = a->iova + (a->length - 1);
		uint64_t to = a_last < last ? a_last : last;

		p[i].addr = a->paddr + (from - a->iova);
		p[i].length = to - from + 1;
		p[i].user = a->user;
		p[i].writable = a->writable;
		p[i].pinned = pinned;
	}
	return p;
}

/* The source side, all under the lock: *@p NULL and 0 on success means
 * the caller maps @n pieces. */
static int copy_get(struct swmsi_ctx *ctx, uint32_t src_ioas_id, uint64_t src_iova, uint64_t length,
		    struct piece **p, size_t *n)
{
	struct swmsi_area *first;
	struct swmsi_ioas *src;
	int rc;

	rc = swmsi__ioas_get(ctx, src_ioas_id, &src);
	if (rc)
		return rc;
	if (!length)
		return -EINVAL;
	if (swmsi__range_wraps(src_iova, length))
		return -EOVERFLOW;
	rc = copy_cover(src, src_iova, src_iova + (length - 1), &first, n);
	if (rc)
		return rc;
	*p = copy_pieces(ctx, src, first, *n, src_iova, src_iova + (length - 1));
	return *p ? 0 : -ENOMEM;
}

int swmsi_ioas_copy(struct swmsi_ctx *ctx, uint32_t dst_ioas_id, uint32_t src_ioas_id,
		    uint64_t src_iova, uint64_t length, uint64_t *dst_iova, uint32_t flags)
{
	struct swmsi_ioas *dst;
	struct piece *p = NULL;
	size_t n = 0;
	int rc;

	if (!ctx || !dst_iova)
		return -EINVAL;
	rc = map_flags_check(flags);
	if (rc)
		return rc;
	if (length == UINT64_MAX || src_iova == UINT64_MAX || *dst_iova == UINT64_MAX)
		return -EOVERFLOW;
	if (!(flags & (SWMSI_IOAS_MAP_READABLE | SWMSI_IOAS_MAP_WRITEABLE)))
		return -EINVAL;
	swmsi__lock(ctx);
	rc = copy_get(ctx, src_ioas_id, src_iova, length, &p, &n);
	if (!rc)
		rc = swmsi__ioas_get(ctx, dst_ioas_id, &dst);
	if (!rc)
		rc = pieces_map(ctx, dst, p, n, length, flags, dst_iova);
	swmsi__unlock(ctx);
	free(p);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Unmap (iopt_unmap_iova_range())                                     */

/* Remove every area inside [iova, last]; -ENOENT (nothing removed) when
 * none is or one is cut by either end. */
static int unmap_span(struct swmsi_ctx *ctx, struct swmsi_ioas *ioas, uint64_t iova, uint64_t last,
		      uint64_t *bytes)
{
	struct swmsi_area key = { .iova = iova };
	struct swmsi_area *a, *next, *edge;
	struct swmsi_hwpt_paging *hwpt;

	edge = swmsi__area_find(&ioas->areas, iova);
	if (edge && edge->iova != iova)
		return -ENOENT;
	edge = swmsi__area_find(&ioas->areas, last);
	if (edge && edge->iova + (edge->length - 1) != last)
		return -ENOENT;
	a = RB_NFIND(swmsi__area_tree, &ioas->areas, &key);
	if (!a || a->iova > last)
		return -ENOENT;
	*bytes = 0;
	for (; a && a->iova <= last; a = next) {
		next = RB_NEXT(swmsi__area_tree, &ioas->areas, a);
		TAILQ_FOREACH(hwpt, &ioas->hwpts, ioas_link)
			swmsi__unmap_user(ctx, hwpt->domain, a->iova, a->length);
		*bytes += a->length;
		RB_REMOVE(swmsi__area_tree, &ioas->areas, a);
		free(a);
	}
	return 0;
}

int swmsi_ioas_unmap_range(struct swmsi_ctx *ctx, uint32_t ioas_id, uint64_t iova, uint64_t length,
			   uint64_t *unmapped)
{
	struct swmsi_ioas *ioas;
	uint64_t bytes = 0;
	int rc;

	if (!ctx)
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__ioas_get(ctx, ioas_id, &ioas);
	if (rc)
		goto out_unlock;
	if (iova == 0 && length == UINT64_MAX) {
		/* everything; an empty IOAS is a success */
		if (unmap_span(ctx, ioas, 0, UINT64_MAX, &bytes) == -ENOENT)
			bytes = 0;
	} else if (iova == UINT64_MAX || length == UINT64_MAX) {
		rc = -EOVERFLOW;
	} else if (!length) {
		rc = -EINVAL;
	} else if (swmsi__range_wraps(iova, length)) {
		rc = -EOVERFLOW;
	} else {
		rc = unmap_span(ctx, ioas, iova, iova + (length - 1), &bytes);
	}
	if (!rc && unmapped)
		*unmapped = bytes;
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}
