/* SPDX-License-Identifier: MIT */
/*
 * SWMSI_SCHEME_NATIVE: libswmsi's own sw_msi, and the steps it shares with
 * SWMSI_SCHEME_KERNEL (scheme_kernel.c) over the context-wide table
 * (msi_map.c). A doorbell page has one {id, slot} per window in the whole
 * context, so its IOVA is the same in every domain; a group's required ids
 * are installed in a domain before the group moves there.
 *
 * NATIVE's own choices: ids lowest-free below max_msi_maps, slots
 * lowest-free inside the window (-ENOSPC past it), a failed call leaves
 * nothing, and SWMSI_RECLAIM_UNUSED gives unused pages, ids and slots back.
 */
#include <stdlib.h>
#include <string.h>

#include "swmsi_private.h"

/* ------------------------------------------------------------------ */
/* msi_alloc                                                           */

/* Room for the vector's bookkeeping: nothing after this allocates. */
static int table_msi_room(struct swmsi_ctx *ctx, struct swmsi_msi_req *req)
{
	struct swmsi_group *group = req->group;
	uint32_t id = req->map->id;
	int rc;

	assert_locked(ctx);
	rc = swmsi__bitmap_reserve_capped(ctx, &group->required, id + 1, ctx->max_msi_maps);
	if (rc)
		return rc;
	rc = swmsi__idmap_reserve(ctx, &group->vecs, group->vecs.count + 1);
	if (rc)
		return rc;
	rc = swmsi__bitmap_reserve_capped(ctx, &req->paging->present, id + 1, ctx->max_msi_maps);
	if (rc || ctx->reclaim != SWMSI_RECLAIM_UNUSED)
		return rc;
	/* per-domain needs exist only for reclaim to read */
	return swmsi__idmap_reserve(ctx, &req->paging->need, req->paging->need.count + 1);
}

int swmsi__table_msi_reserve(struct swmsi_ctx *ctx, struct swmsi_msi_req *req)
{
	int rc;

	assert_locked(ctx);
	rc = table_msi_room(ctx, req);
	if (rc) {
		/* a prepared new entry goes; a hit's entry was never touched */
		swmsi__msi_map_abort(ctx, &req->nm);
		return rc;
	}
	req->iova = swmsi__msi_map_iova(ctx, req->map);
	return 0;
}

/* A hit whose page the group requires already and its domain holds: the
 * steady state of a device (re)allocating vectors. Nothing to reserve,
 * install or count but the vector: the fast path. */
bool swmsi__table_msi_fast(struct swmsi_ctx *ctx, struct swmsi_msi_req *req)
{
	uint32_t id = req->map->id;

	assert_locked(ctx);
	req->fast = swmsi__bitmap_test(&req->group->required, id) &&
		    swmsi__bitmap_test(&req->paging->present, id);
	if (req->fast)
		req->iova = swmsi__msi_map_iova(ctx, req->map);
	return req->fast;
}

static int native_new_entry(struct swmsi_ctx *ctx, struct swmsi_msi_req *req)
{
	struct swmsi_window *win = swmsi__msi_window_find(ctx, req->win_start);
	uint64_t nslots = req->win_size >> ctx->page_shift;
	size_t id, slot;

	assert_locked(ctx);
	/* the RFC capped ids at 64; ours run to max_msi_maps */
	id = swmsi__bitmap_first_zero(&ctx->msi.ids, ctx->max_msi_maps);
	if (id >= ctx->max_msi_maps)
		return -EOVERFLOW;
	/* the RFC never checked that a slot stays inside the window */
	slot = win ? swmsi__bitmap_first_zero(&win->slots, nslots > SIZE_MAX ? SIZE_MAX : nslots)
		   : 0;
	if (slot >= nslots || slot > UINT32_MAX)
		return -ENOSPC;
	return swmsi__msi_map_prepare(ctx, req->win_start, req->win_size, req->page, (uint32_t)id,
				      (uint32_t)slot, &req->nm);
}

static int native_msi_reserve(struct swmsi_ctx *ctx, struct swmsi_msi_req *req)
{
	int rc;

	assert_locked(ctx);
	if (!swmsi__doorbell_allowed(ctx, req->msi_addr))
		return -EPERM;
	req->paging = find_hwpt_paging(req->group->hwpt);
	req->map = swmsi__msi_map_lookup(ctx, req->win_start, req->page);
	if (req->map) {
		/* a hit never fails for exhaustion; an entry left by a
		 * since-unbound window larger than this one could still sit
		 * past its end */
		if (req->map->slot >= req->win_size >> ctx->page_shift)
			return -ENOSPC;
		if (swmsi__table_msi_fast(ctx, req))
			return 0;
	} else {
		rc = native_new_entry(ctx, req);
		if (rc)
			return rc;
		req->map = req->nm.map;
	}
	return swmsi__table_msi_reserve(ctx, req);
}

int swmsi__table_msi_install(struct swmsi_ctx *ctx, struct swmsi_msi_req *req)
{
	bool present;
	int rc;

	assert_locked(ctx);
	if (req->fast)
		return 0;
	present = swmsi__bitmap_test(&req->paging->present, req->map->id);
	rc = swmsi__hwpt_install_msi(ctx, req->paging, req->map);
	if (rc)
		return rc;
	req->installed = !present;
	return 0;
}

void swmsi__table_msi_commit(struct swmsi_ctx *ctx, struct swmsi_msi_req *req,
			     struct swmsi_vector *v)
{
	struct swmsi_msi_map *map = req->map;
	struct swmsi_group *group = req->group;

	assert_locked(ctx);
	if (req->nm.map)
		swmsi__msi_map_commit(ctx, &req->nm);
	if (req->installed)
		ctx->msi_installs++;
	map->vectors++;
	/* the group's count per id is read only by reclaim; under
	 * RECLAIM_NONE the key alone (the required set) is kept */
	if (ctx->reclaim == SWMSI_RECLAIM_UNUSED)
		/* a fast hit reserved no room: its key is there already */
		(*(req->fast ? swmsi__idmap_find(&group->vecs, map->id)
			     : swmsi__idmap_slot(&group->vecs, map->id)))++;
	if (!swmsi__bitmap_test(&group->required, map->id)) {
		swmsi__bitmap_set(&group->required, map->id);
		/* no domain is known to hold the new page but this one */
		group->holds[0] = group->holds[1] = 0;
		if (ctx->reclaim == SWMSI_RECLAIM_UNUSED)
			(*swmsi__idmap_slot(&req->paging->need, map->id))++;
		else
			swmsi__idmap_slot(&group->vecs, map->id);
	}
	v->map = map;
	v->translated = true;
	v->msg_addr = req->iova + (req->msi_addr - req->page);
}

void swmsi__table_msi_abort(struct swmsi_ctx *ctx, struct swmsi_msi_req *req)
{
	assert_locked(ctx);
	if (req->nm.map)
		swmsi__msi_map_abort(ctx, &req->nm);
}

/* Drop one group's need of @id on @paging. */
static void need_put(struct swmsi_ctx *ctx, struct swmsi_hwpt_paging *paging, uint32_t id)
{
	uint32_t *need = swmsi__idmap_find(&paging->need, id);

	assert_locked(ctx);
	assert(need && *need);
	if (--*need == 0)
		swmsi__idmap_remove(&paging->need, id);
}

/* A group's required bit for @id clears (its last vector on it is gone);
 * its domain drops the page if nobody else there needs it. */
static void group_unrequire(struct swmsi_ctx *ctx, struct swmsi_group *group, uint32_t id)
{
	struct swmsi_hwpt_paging *paging;

	assert_locked(ctx);
	swmsi__bitmap_clear(&group->required, id);
	if (!group->hwpt)
		return;
	paging = find_hwpt_paging(group->hwpt);
	need_put(ctx, paging, id);
	swmsi__hwpt_reclaim_id(ctx, paging, id);
}

void swmsi__table_msi_release(struct swmsi_ctx *ctx, struct swmsi_group *group,
			      struct swmsi_vector *v)
{
	struct swmsi_msi_map *map = v->map;
	uint32_t *vecs;

	assert_locked(ctx);
	map->vectors--;
	/* under RECLAIM_NONE the id stays required and nothing is counted */
	if (ctx->reclaim != SWMSI_RECLAIM_UNUSED)
		return;
	vecs = swmsi__idmap_find(&group->vecs, map->id);
	assert(vecs && *vecs);
	if (--*vecs == 0) {
		swmsi__idmap_remove(&group->vecs, map->id);
		group_unrequire(ctx, group, map->id);
	}
	swmsi__msi_map_reclaim(ctx, map);
}

/* ------------------------------------------------------------------ */
/* attach / replace                                                    */

/* Room in the target for the group's ids: the commit inserts without
 * allocating. */
static int group_room(struct swmsi_ctx *ctx, struct swmsi_group_move *mv)
{
	struct swmsi_hwpt_paging *paging = mv->paging;
	int rc;

	assert_locked(ctx);
	/* every id the group requires lies below its bitmap's capacity: an
	 * O(1) bound (an over-estimate at worst, capped like the id space) */
	rc = swmsi__bitmap_reserve_capped(ctx, &paging->present, mv->group->required.nwords * 64,
					  ctx->max_msi_maps);
	if (rc || ctx->reclaim != SWMSI_RECLAIM_UNUSED)
		return rc;
	return swmsi__idmap_reserve(ctx, &paging->need, paging->need.count + mv->group->vecs.count);
}

/* The list of ids this call installs is allocated only when a page is
 * missing, so a move between domains that hold them all allocates nothing. */
static int fresh_room(struct swmsi_ctx *ctx, struct swmsi_group_move *mv)
{
	assert_locked(ctx);
	if (!mv->fresh)
		mv->fresh = swmsi__calloc(ctx, mv->group->vecs.count, sizeof(*mv->fresh));
	return mv->fresh ? 0 : -ENOMEM;
}

static void group_record_held(struct swmsi_group *group, const struct swmsi_hwpt_paging *paging)
{
	if (swmsi__table_group_held(group, paging))
		return;
	group->holds[1] = group->holds[0];
	group->holds[0] = paging->stamp;
}

int swmsi__table_group_install_pages(struct swmsi_ctx *ctx, struct swmsi_group_move *mv)
{
	struct swmsi_hwpt_paging *paging = mv->paging;
	size_t pos;
	uint32_t id;
	int rc;

	assert_locked(ctx);
	/* nothing to install, and room only for what reclaim counts */
	if (swmsi__table_group_held(mv->group, paging))
		return ctx->reclaim == SWMSI_RECLAIM_UNUSED ? group_room(ctx, mv) : 0;
	rc = group_room(ctx, mv);
	if (rc)
		return rc;
	/* iommufd_group_setup_msi(): every required page before the move */
	idmap_for_each(pos, id, &mv->group->vecs) {
		struct swmsi_msi_map *map = swmsi__msi_map_by_id(ctx, id);

		assert(map);
		if (swmsi__bitmap_test(&paging->present, id))
			continue;
		rc = fresh_room(ctx, mv);
		if (rc)
			return rc;
		rc = swmsi__hwpt_install_msi(ctx, paging, map);
		if (rc)
			return rc;
		mv->fresh[mv->nfresh++] = id;
	}
	group_record_held(mv->group, paging);
	return 0;
}

static int native_group_install(struct swmsi_ctx *ctx, struct swmsi_group_move *mv)
{
	size_t i;
	int rc;

	assert_locked(ctx);
	rc = swmsi__table_group_install_pages(ctx, mv);
	if (!rc)
		return 0;
	/* a failed call changes nothing: unmap what it mapped */
	for (i = 0; i < mv->nfresh; i++) {
		struct swmsi_msi_map *map = swmsi__msi_map_by_id(ctx, mv->fresh[i]);

		/* a short unmap leaves the page present, and so installed */
		if (!swmsi__hwpt_uninstall_msi(ctx, mv->paging, map))
			ctx->msi_installs++;
	}
	free(mv->fresh);
	mv->fresh = NULL;
	return rc;
}

void swmsi__table_group_commit(struct swmsi_ctx *ctx, struct swmsi_group_move *mv)
{
	size_t pos;
	uint32_t id;

	assert_locked(ctx);
	ctx->msi_installs += mv->nfresh;
	/* the new place's needs are counted before the old place's go, so a
	 * move between a nested HWPT and its parent never sees a page
	 * unneeded; needs exist only for reclaim */
	if (ctx->reclaim == SWMSI_RECLAIM_UNUSED)
		idmap_for_each(pos, id, &mv->group->vecs)
			(*swmsi__idmap_slot(&mv->paging->need, id))++;
	free(mv->fresh);
	mv->fresh = NULL;
}

void swmsi__table_group_leave(struct swmsi_ctx *ctx, struct swmsi_group *group,
			      struct swmsi_hwpt_paging *paging)
{
	size_t pos;
	uint32_t id;

	assert_locked(ctx);
	if (ctx->reclaim != SWMSI_RECLAIM_UNUSED)
		return;
	idmap_for_each(pos, id, &group->vecs)
		need_put(ctx, paging, id);
	idmap_for_each(pos, id, &group->vecs)
		swmsi__hwpt_reclaim_id(ctx, paging, id);
}

void swmsi__table_hwpt_destroy(struct swmsi_ctx *ctx, struct swmsi_hwpt_paging *paging)
{
	size_t id;

	assert_locked(ctx);
	bitmap_for_each_set(id, &paging->present)
	{
		struct swmsi_msi_map *map = swmsi__msi_map_by_id(ctx, (uint32_t)id);

		if (swmsi__hwpt_uninstall_msi(ctx, paging, map))
			ctx->msi_uninstalls++;
		/* the last holder of an entry kept only for it */
		swmsi__msi_map_reclaim(ctx, map);
	}
}

const struct swmsi_scheme_ops swmsi__scheme_native = {
	.table_hit = true,
	.table_move = true,
	.msi_reserve = native_msi_reserve,
	.msi_install = swmsi__table_msi_install,
	.msi_commit = swmsi__table_msi_commit,
	.msi_abort = swmsi__table_msi_abort,
	.msi_release = swmsi__table_msi_release,
	.group_install = native_group_install,
	.group_commit = swmsi__table_group_commit,
	.group_leave = swmsi__table_group_leave,
	.hwpt_destroy = swmsi__table_hwpt_destroy,
};
