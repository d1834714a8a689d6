/* SPDX-License-Identifier: MIT */
/*
 * libswmsi internals, layer 5 of 5: the scheme seam (scheme_*.c). How the
 * sw_msi path gives MSI pages an IOVA, as the kernel's per-domain sw_msi
 * function pointer does. The object files call it through ctx->scheme and
 * never test which scheme is active.
 */
#ifndef SWMSI_SCHEME_H
#define SWMSI_SCHEME_H

#include "objects.h"

/* One msi_alloc of a vector whose group sits on a HWPT with a window. */
struct swmsi_msi_req {
	struct swmsi_group *group;
	uint64_t win_start;
	uint64_t win_size;
	uint64_t msi_addr;
	uint64_t page; /* msi_addr rounded down to the page */
	/* the domain the page goes into; NULL: the vector stays untranslated */
	struct swmsi_hwpt_paging *paging;
	uint64_t iova;		     /* the page's IOVA there */
	struct swmsi_msi_map *map;   /* global schemes: the entry */
	struct swmsi_msi_map_new nm; /* global schemes: an entry not yet in the table */
	bool installed;		     /* this call mapped the page: counted at commit */
	bool fast; /* global schemes: the group requires the page and its domain holds it */
	bool miss; /* dma-iommu: the page is new to the cookie */
};

/* One attach or replace moving a group onto @to (whose domain is @paging). */
struct swmsi_group_move {
	struct swmsi_group *group;
	/* attach of a detached group: the device it joins with (its window
	 * becomes the group's); NULL for a replace */
	struct swmsi_device *joining;
	struct swmsi_hwpt *to;
	struct swmsi_hwpt_paging *paging;
	bool has_win;
	/* the group moves under the IOAS where its devices' ranges are
	 * reserved: they stay as they are */
	bool keep_resv;
	uint64_t win_start;
	uint64_t win_size;
	bool created;	 /* @to is an automatic HWPT made for this move */
	uint32_t *fresh; /* global schemes: ids this call installed */
	size_t nfresh;
	struct swmsi_msi_cookie *cookie; /* dma-iommu: a cookie @paging gets at commit */
	/* the scheme has nothing to do for this move (device.c, move_idle()) */
	bool idle;
};

/*
 * Chosen at context creation; the object files call these and never test
 * which scheme is active. Phases follow the house rule: everything
 * fallible first, then a commit that cannot fail, then reclaim.
 */
struct swmsi_scheme_ops {
	/* The global schemes (NATIVE, KERNEL): a hit on the context-wide table
	 * whose page the group requires already and whose domain holds it
	 * needs nothing but the vector, and under RECLAIM_NONE releasing such
	 * a vector only drops the entry's count. msi.c then does both inline
	 * (msi_hit()), without the phases below; anything else takes them. */
	bool table_hit;
	/* The global schemes too: under RECLAIM_NONE a move onto a domain that
	 * holds every page the group requires (swmsi__global_group_held()) has
	 * nothing to install, count or reclaim, so device.c calls none of
	 * group_install, group_commit and group_leave for it. */
	bool table_move;
	/* NATIVE: the window checks upstream lacks (bind refuses a SW_MSI
	 * window with an MSI region; a group's devices must agree on the
	 * window in use at attach; a per-device window must not half-overlap
	 * another device's, nor strand translated vectors) */
	bool strict_windows;
	/* what ioas_map answers for a range meeting a reserved one:
	 * -EADDRINUSE (NATIVE names the cause) or iopt_check_iova()'s -EINVAL */
	int resv_map_err;
	/* KERNEL, DMA_IOMMU: a replace onto another HWPT of the same IOAS
	 * whose install fails drops the group's reserved ranges there, as
	 * upstream's error path does */
	bool resv_lost_on_failed_replace;
	/* KERNEL, DMA_IOMMU: iommufd's v6.15 core as iommufd_device_attach()
	 * and iommufd_device_detach() answer: attaching an attached device is
	 * -EBUSY (the insert into the attachment's device array fails), and
	 * detaching a detached one returns 0 and does nothing. NATIVE answers
	 * -EINVAL to both (a caller's bug, named) */
	bool upstream_core;
	/* msi_alloc of a device whose group has no attached device (it sits
	 * on the group's blocking domain) and reports a window: 0, the
	 * vector stays untranslated; KERNEL: -EOPNOTSUPP, as
	 * iommu_dma_prepare_msi() answers for a domain with no cookie */
	int detached_msi_err;
	/* DMA_IOMMU: msi_alloc of an attached group without a window still
	 * asks the scheme, which translates it through the domain's cookie
	 * where there is one (dma-iommu never looked at the device's own
	 * regions); the other schemes leave such a group untranslated */
	bool windowless_asks;
	/* swmsi_ctx_create(): the options this scheme rejects (-EINVAL) */
	int (*check_opts)(const struct swmsi_ctx_opts *opts);
	/* msi_alloc, reserve: the allow-list, find the doorbell's IOVA or
	 * prepare a new one, room for the bookkeeping. Nothing visible. */
	int (*msi_reserve)(struct swmsi_ctx *ctx, struct swmsi_msi_req *req);
	/* install: the backend map (what a failure leaves is the scheme's) */
	int (*msi_install)(struct swmsi_ctx *ctx, struct swmsi_msi_req *req);
	/* commit: cannot fail; fills the vector's message address */
	void (*msi_commit)(struct swmsi_ctx *ctx, struct swmsi_msi_req *req,
			   struct swmsi_vector *v);
	/* undo a reserve (and whatever a failed install must not leave) */
	void (*msi_abort)(struct swmsi_ctx *ctx, struct swmsi_msi_req *req);
	/* a translated vector goes (msi_free, unbind); may reclaim */
	void (*msi_release)(struct swmsi_ctx *ctx, struct swmsi_group *group,
			    struct swmsi_vector *v);
	/* attach/replace, before the move: install what the group needs in
	 * the target; on failure the scheme decides what stays there */
	int (*group_install)(struct swmsi_ctx *ctx, struct swmsi_group_move *mv);
	/* the move commits (cannot fail) */
	void (*group_commit)(struct swmsi_ctx *ctx, struct swmsi_group_move *mv);
	/* the group has left @paging: drop its needs there and reclaim */
	void (*group_leave)(struct swmsi_ctx *ctx, struct swmsi_group *group,
			    struct swmsi_hwpt_paging *paging);
	/* a paging HWPT goes: unmap and free what the scheme put in it */
	void (*hwpt_destroy)(struct swmsi_ctx *ctx, struct swmsi_hwpt_paging *paging);
	/* swmsi_hwpt_msi_cookie(); NULL when the scheme has no cookie */
	void (*cookie_info)(struct swmsi_ctx *ctx, struct swmsi_hwpt_paging *paging,
			    struct swmsi_msi_cookie_info *info, struct swmsi_msi_cookie_page *pages,
			    size_t cap, size_t *count);
};

extern const struct swmsi_scheme_ops swmsi__scheme_native;
extern const struct swmsi_scheme_ops swmsi__scheme_kernel;
extern const struct swmsi_scheme_ops swmsi__scheme_dma_iommu;

#endif /* SWMSI_SCHEME_H */
