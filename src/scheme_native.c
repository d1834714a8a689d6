/* SPDX-License-Identifier: MIT */
/*
 * SWMSI_SCHEME_NATIVE: libswmsi's own sw_msi, a global scheme (the steps
 * it shares with SWMSI_SCHEME_KERNEL are scheme_global.c's). What is
 * NATIVE's own, and only that, lives here: ids lowest-free below
 * max_msi_maps, slots lowest-free inside the window (-ENOSPC past it), a
 * failed call leaves nothing, and SWMSI_RECLAIM_UNUSED gives unused pages,
 * ids and slots back.
 */
#include <stdlib.h>

#include "scheme_global.h"

static int native_new_entry(struct swmsi_ctx *ctx, struct swmsi_msi_req *req)
{
	struct swmsi_slot_space *space = swmsi__msi_space_find(ctx, req->win_start);
	uint64_t nslots = req->win_size >> ctx->page_shift;
	size_t id, slot;

	swmsi__assert_locked(ctx);
	/* the RFC capped ids at 64; ours run to max_msi_maps */
	id = swmsi__bitmap_first_zero(&ctx->msi.ids, ctx->max_msi_maps);
	if (id >= ctx->max_msi_maps)
		return -EOVERFLOW;
	/* the RFC never checked that a slot stays inside the window */
	slot = space ? swmsi__bitmap_first_zero(&space->slots,
						nslots > SIZE_MAX ? SIZE_MAX : nslots)
		     : 0;
	if (slot >= nslots || slot > UINT32_MAX)
		return -ENOSPC;
	return swmsi__msi_map_prepare(ctx, req->win_start, req->win_size, req->page, (uint32_t)id,
				      (uint32_t)slot, &req->nm);
}

/* An entry left by a since-unbound window larger than this one could
 * still sit past its end. */
static int native_check_hit(const struct swmsi_ctx *ctx, const struct swmsi_msi_req *req)
{
	return req->map->slot >= req->win_size >> ctx->page_shift ? -ENOSPC : 0;
}

static const struct swmsi_global_entries native_entries = {
	.create = native_new_entry,
	.check_hit = native_check_hit,
};

static int native_msi_reserve(struct swmsi_ctx *ctx, struct swmsi_msi_req *req)
{
	return swmsi__global_msi_reserve(ctx, req, &native_entries);
}

static int native_group_install(struct swmsi_ctx *ctx, struct swmsi_group_move *mv)
{
	size_t i;
	int rc;

	swmsi__assert_locked(ctx);
	rc = swmsi__global_group_install_pages(ctx, mv, false);
	if (!rc)
		return 0;
	/* a failed call changes nothing: unmap what it mapped */
	for (i = 0; i < mv->nfresh; i++) {
		struct swmsi_msi_map *map = swmsi__msi_map_by_id(&ctx->msi, mv->fresh[i]);

		/* a short unmap leaves the page present, and so installed */
		if (!swmsi__hwpt_uninstall_msi(ctx, mv->paging, map))
			ctx->msi_installs++;
	}
	free(mv->fresh);
	mv->fresh = NULL;
	return rc;
}

const struct swmsi_scheme_ops swmsi__scheme_native = {
	.table_hit = true,
	.table_move = true,
	.strict_windows = true,
	.resv_map_err = -EADDRINUSE,
	.msi_reserve = native_msi_reserve,
	.msi_install = swmsi__global_msi_install,
	.msi_commit = swmsi__global_msi_commit,
	.msi_abort = swmsi__global_msi_abort,
	.msi_release = swmsi__global_msi_release,
	.group_install = native_group_install,
	.group_commit = swmsi__global_group_commit,
	.group_leave = swmsi__global_group_leave,
	.hwpt_destroy = swmsi__global_hwpt_destroy,
};
