/* SPDX-License-Identifier: MIT */
/*
 * SWMSI_SCHEME_KERNEL: upstream Linux v6.15's iommufd_sw_msi()
 * (drivers/iommu/iommufd/driver.c and device.c), weak points included, over
 * the same context-wide table as NATIVE (msi_map.c): a global scheme, over
 * the steps both share (scheme_global.c). What differs, and only that,
 * lives here:
 * - ids come from a counter that starts at 0 and never goes back; a new
 *   entry once 64 have been handed out is -EOVERFLOW (a hit still works);
 * - a new entry's slot is 1 + the highest slot of its window, never checked
 *   against the window's size (no -ENOSPC: an IOVA may lie past the end);
 * - the entry joins the table before the backend map and stays if it fails;
 * - a failed attach/replace leaves the pages it installed in the target.
 * Nothing is reclaimed: the options allow only SWMSI_RECLAIM_NONE.
 */
#include <stdlib.h>

#include "scheme_global.h"

/* The kernel's id space: one u64 bitmap per group (BITS_PER_BYTE * 8). */
#define KERNEL_MSI_IDS 64u

static int kernel_check_opts(const struct swmsi_ctx_opts *opts)
{
	if (opts->reclaim != SWMSI_RECLAIM_NONE)
		return -EINVAL;
	if (opts->max_msi_maps != 0 && opts->max_msi_maps != KERNEL_MSI_IDS)
		return -EINVAL;
	return 0;
}

/* iommufd_sw_msi_get_map(): the id is the counter, the slot the highest
 * of the window plus one. */
static int kernel_new_entry(struct swmsi_ctx *ctx, struct swmsi_msi_req *req)
{
	struct swmsi_slot_space *space = swmsi__msi_space_find(ctx, req->win_start);

	swmsi__assert_locked(ctx);
	if (ctx->msi.ids_ever >= KERNEL_MSI_IDS)
		return -EOVERFLOW;
	return swmsi__msi_map_prepare(ctx, req->win_start, req->win_size, req->page,
				      ctx->msi.ids_ever, space ? space->top : 0, &req->nm);
}

static const struct swmsi_global_entries kernel_entries = {
	.create = kernel_new_entry,
	/* a hit is never compared with the window: it may sit past its end */
	.check_hit = NULL,
};

static int kernel_msi_reserve(struct swmsi_ctx *ctx, struct swmsi_msi_req *req)
{
	return swmsi__global_msi_reserve(ctx, req, &kernel_entries);
}

static int kernel_msi_install(struct swmsi_ctx *ctx, struct swmsi_msi_req *req)
{
	swmsi__assert_locked(ctx);
	/* list_add_tail() comes before iommufd_sw_msi_install(): a failed map
	 * leaves the entry, its id and its slot in the table */
	if (req->nm.map)
		swmsi__msi_map_commit(ctx, &req->nm);
	return swmsi__global_msi_install(ctx, req);
}

static int kernel_group_install(struct swmsi_ctx *ctx, struct swmsi_group_move *mv)
{
	int rc;

	swmsi__assert_locked(ctx);
	rc = swmsi__global_group_install_pages(ctx, mv, true);
	if (rc) {
		/* iommufd_group_setup_msi() returns without undoing: the pages
		 * it installed stay mapped, present, and so counted */
		ctx->msi_installs += mv->nfresh;
		free(mv->fresh);
		mv->fresh = NULL;
	}
	return rc;
}

const struct swmsi_scheme_ops swmsi__scheme_kernel = {
	.table_hit = true,
	.table_move = true,
	/* iopt_check_iova() answers -EINVAL for a reserved range */
	.resv_map_err = -EINVAL,
	/* upstream's error path removes them from the IOAS the group stays on */
	.resv_lost_on_failed_replace = true,
	.upstream_core = true,
	/* the blocking domain has no iommufd cookie */
	.detached_msi_err = -EOPNOTSUPP,
	.check_opts = kernel_check_opts,
	.msi_reserve = kernel_msi_reserve,
	.msi_install = kernel_msi_install,
	.msi_commit = swmsi__global_msi_commit,
	.msi_abort = swmsi__global_msi_abort,
	.msi_release = swmsi__global_msi_release,
	.group_install = kernel_group_install,
	.group_commit = swmsi__global_group_commit,
	.group_leave = swmsi__global_group_leave,
	.hwpt_destroy = swmsi__global_hwpt_destroy,
};
