/* SPDX-License-Identifier: MIT */
/*
 * SWMSI_SCHEME_DMA_IOMMU: the per-domain MSI cookie of
 * drivers/iommu/dma-iommu.c as iommufd used it up to v6.14
 * (iommu_dma_get_msi_page()), kept to show what it lost.
 *
 * Each paging domain gets a cookie when the first group with a window
 * attaches to it (or to a nested HWPT over it); its base is that group's
 * window start. A doorbell page takes the cookie's next IOVA the first time
 * a vector of that domain needs it, so two domains may number the same
 * doorbell differently. Attach and replace install nothing, and a vector
 * keeps its message address: after a replace its write may translate to
 * nothing (lost) or to another doorbell (misrouted). There is no
 * context-wide table; pages stay until their domain goes.
 */
#include <stdlib.h>
#include <string.h>

#include "scheme.h"

struct swmsi_cookie_page {
	uint64_t iova;
	uint64_t page;
};

/* iommu_dma_cookie's MSI part: msi_iova and msi_page_list. */
struct swmsi_msi_cookie {
	uint64_t base;
	uint64_t next;
	/* ascending by IOVA: the next IOVA only grows */
	struct swmsi_cookie_page *pages;
	size_t npages;
	size_t cap;
};

static int dma_check_opts(const struct swmsi_ctx_opts *opts)
{
	/* the cookie never frees and has no id space */
	if (opts->reclaim != SWMSI_RECLAIM_NONE || opts->max_msi_maps != 0)
		return -EINVAL;
	return 0;
}

/* A list walk, as iommu_dma_get_msi_page() does. */
static struct swmsi_cookie_page *cookie_find(struct swmsi_msi_cookie *cookie, uint64_t page)
{
	size_t i;

	for (i = 0; i < cookie->npages; i++) {
		if (cookie->pages[i].page == page)
			return &cookie->pages[i];
	}
	return NULL;
}

static int dma_msi_reserve(struct swmsi_ctx *ctx, struct swmsi_msi_req *req)
{
	struct swmsi_hwpt_paging *paging;
	struct swmsi_cookie_page *hit;
	struct swmsi_msi_cookie *cookie;

	swmsi__assert_locked(ctx);
	/* a nested domain has no cookie: the doorbell goes untranslated */
	if (!swmsi__hwpt_is_paging(req->group->hwpt))
		return 0;
	paging = swmsi__to_hwpt_paging(req->group->hwpt);
	/* nor has a domain no group with a window was attached to; a group
	 * without a window on one that has a cookie goes through it */
	cookie = paging->cookie;
	if (!cookie)
		return 0;
	if (!swmsi__doorbell_allowed(ctx, req->msi_addr))
		return -EPERM;
	req->paging = paging;
	hit = cookie_find(cookie, req->page);
	if (hit) {
		req->iova = hit->iova;
		return 0;
	}
	req->miss = true;
	req->iova = cookie->next;
	return swmsi__array_grow(ctx, &cookie->pages, &cookie->cap, cookie->npages + 1, 4, SIZE_MAX,
				 sizeof(*cookie->pages));
}

static int dma_msi_install(struct swmsi_ctx *ctx, struct swmsi_msi_req *req)
{
	int rc;

	swmsi__assert_locked(ctx);
	if (!req->miss)
		return 0;
	rc = ctx->ops->map(ctx->priv, req->paging->domain, req->iova, req->page, ctx->page_size,
			   SWMSI_PROT_WRITE | SWMSI_PROT_MMIO);
	/* dma-iommu flattens every failure; the IOVA is given back */
	return rc ? -ENOMEM : 0;
}

static void dma_msi_commit(struct swmsi_ctx *ctx, struct swmsi_msi_req *req, struct swmsi_vector *v)
{
	struct swmsi_msi_cookie *cookie;

	swmsi__assert_locked(ctx);
	v->map = NULL;
	if (!req->paging) {
		v->msg_addr = req->msi_addr;
		v->translated = false;
		return;
	}
	cookie = req->paging->cookie;
	if (req->miss) {
		cookie->pages[cookie->npages].iova = req->iova;
		cookie->pages[cookie->npages].page = req->page;
		cookie->npages++;
		cookie->next += ctx->page_size;
		ctx->msi_installs++;
	}
	v->msg_addr = req->iova + (req->msi_addr - req->page);
	v->translated = true;
}

static void dma_msi_abort(struct swmsi_ctx *ctx, struct swmsi_msi_req *req)
{
	/* the reserve only made room, which is not state */
	swmsi__assert_locked(ctx);
	(void)req;
}

static void dma_msi_release(struct swmsi_ctx *ctx, struct swmsi_group *group,
			    struct swmsi_vector *v)
{
	/* the cookie keeps its pages until the domain goes */
	swmsi__assert_locked(ctx);
	(void)group;
	(void)v;
}

static int dma_group_install(struct swmsi_ctx *ctx, struct swmsi_group_move *mv)
{
	swmsi__assert_locked(ctx);
	/* iommu_get_msi_cookie() on the first windowed attach; nothing mapped */
	if (!mv->has_win || mv->paging->cookie)
		return 0;
	mv->cookie = swmsi__calloc(ctx, 1, sizeof(*mv->cookie));
	return mv->cookie ? 0 : -ENOMEM;
}

static void dma_group_commit(struct swmsi_ctx *ctx, struct swmsi_group_move *mv)
{
	swmsi__assert_locked(ctx);
	if (!mv->cookie)
		return;
	/* the first group's window fixes the base for good */
	mv->cookie->base = mv->win_start;
	mv->cookie->next = mv->win_start;
	mv->paging->cookie = mv->cookie;
	mv->cookie = NULL;
}

static void dma_group_leave(struct swmsi_ctx *ctx, struct swmsi_group *group,
			    struct swmsi_hwpt_paging *paging)
{
	/* nothing is reclaimed */
	swmsi__assert_locked(ctx);
	(void)group;
	(void)paging;
}

static void dma_hwpt_destroy(struct swmsi_ctx *ctx, struct swmsi_hwpt_paging *paging)
{
	struct swmsi_msi_cookie *cookie = paging->cookie;
	size_t i;

	swmsi__assert_locked(ctx);
	if (!cookie)
		return;
	for (i = 0; i < cookie->npages; i++) {
		if (ctx->ops->unmap(ctx->priv, paging->domain, cookie->pages[i].iova,
				    ctx->page_size) == ctx->page_size)
			ctx->msi_uninstalls++;
		else
			ctx->short_unmaps++;
	}
	free(cookie->pages);
	free(cookie);
	paging->cookie = NULL;
}

static void dma_cookie_info(struct swmsi_ctx *ctx, struct swmsi_hwpt_paging *paging,
			    struct swmsi_msi_cookie_info *info, struct swmsi_msi_cookie_page *pages,
			    size_t cap, size_t *count)
{
	const struct swmsi_msi_cookie *cookie = paging->cookie;
	size_t i;

	swmsi__assert_locked(ctx);
	if (!cookie)
		return;
	info->active = true;
	info->base = cookie->base;
	info->next_iova = cookie->next;
	info->pages = (uint32_t)cookie->npages;
	for (i = 0; i < cookie->npages && i < cap; i++) {
		memset(&pages[i], 0, sizeof(pages[i]));
		pages[i].iova = cookie->pages[i].iova;
		pages[i].msi_page = cookie->pages[i].page;
	}
	*count = cookie->npages;
}

const struct swmsi_scheme_ops swmsi__scheme_dma_iommu = {
	.check_opts = dma_check_opts,
	.msi_reserve = dma_msi_reserve,
	.msi_install = dma_msi_install,
	.msi_commit = dma_msi_commit,
	.msi_abort = dma_msi_abort,
	.msi_release = dma_msi_release,
	.group_install = dma_group_install,
	.group_commit = dma_group_commit,
	.group_leave = dma_group_leave,
	.hwpt_destroy = dma_hwpt_destroy,
	.cookie_info = dma_cookie_info,
	/* iopt_check_iova() answers -EINVAL for a reserved range */
	.resv_map_err = -EINVAL,
	/* as KERNEL's: its core is v6.15's */
	.resv_lost_on_failed_replace = true,
	/* its core is v6.15's (the -EBUSY second attach and the silent
	 * detach came with it); a blocking domain had no cookie then, and
	 * iommu_dma_prepare_msi() returned 0: detached_msi_err stays 0 */
	.upstream_core = true,
	.windowless_asks = true,
};
