/* SPDX-License-Identifier: MIT */
/*
 * The steps the global schemes share (scheme_global.h): SWMSI_SCHEME_NATIVE
 * (scheme_native.c) and SWMSI_SCHEME_KERNEL (scheme_kernel.c) over the
 * context-wide table (msi_map.c). A doorbell page has one {id, slot} per
 * window in the whole context, so its IOVA is the same in every domain; a
 * group's required ids are installed in a domain before the group moves
 * there. How a new entry is numbered, and what a failed attach leaves, is
 * each scheme's.
 */
#include <stdlib.h>
#include <string.h>

#include "scheme_global.h"

/* ------------------------------------------------------------------ */
/* msi_alloc                                                           */

/* Room for the vector's bookkeeping: nothing after this allocates. */
static int msi_room(struct swmsi_ctx *ctx, struct swmsi_msi_req *req)
{
	struct swmsi_group *group = req->group;
	uint32_t id = req->map->id;
	int rc;

	swmsi__assert_locked(ctx);
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

/* Room for a vector on req->map and its IOVA in req->iova; on failure a
 * prepared new entry (req->nm) is aborted. */
static int msi_reserve_room(struct swmsi_ctx *ctx, struct swmsi_msi_req *req)
{
	int rc;

	swmsi__assert_locked(ctx);
	rc = msi_room(ctx, req);
	if (rc) {
		/* a prepared new entry goes; a hit's entry was never touched */
		swmsi__msi_map_abort(ctx, &req->nm);
		return rc;
	}
	req->iova = swmsi__msi_map_iova(req->map, ctx->page_shift);
	return 0;
}

/* A hit whose page the group requires already and its domain holds: the
 * steady state of a device (re)allocating vectors. Nothing to reserve,
 * install or count but the vector: the fast path. */
static bool msi_fast(struct swmsi_ctx *ctx, struct swmsi_msi_req *req)
{
	uint32_t id = req->map->id;

	swmsi__assert_locked(ctx);
	req->fast = swmsi__bitmap_test(&req->group->required, id) &&
		    swmsi__bitmap_test(&req->paging->present, id);
	if (req->fast)
		req->iova = swmsi__msi_map_iova(req->map, ctx->page_shift);
	return req->fast;
}

int swmsi__global_msi_reserve(struct swmsi_ctx *ctx, struct swmsi_msi_req *req,
			      const struct swmsi_global_entries *entries)
{
	int rc;

	swmsi__assert_locked(ctx);
	if (!swmsi__doorbell_allowed(ctx, req->msi_addr))
		return -EPERM;
	req->paging = swmsi__find_hwpt_paging(req->group->hwpt);
	req->map = swmsi__msi_map_lookup(&ctx->msi, req->win_start, req->page);
	if (req->map) {
		/* a hit never fails for exhaustion, but the scheme may
		 * refuse where it sits */
		rc = entries->check_hit ? entries->check_hit(ctx, req) : 0;
		if (rc)
			return rc;
		if (msi_fast(ctx, req))
			return 0;
	} else {
		rc = entries->create(ctx, req);
		if (rc)
			return rc;
		req->map = req->nm.map;
	}
	return msi_reserve_room(ctx, req);
}

int swmsi__global_msi_install(struct swmsi_ctx *ctx, struct swmsi_msi_req *req)
{
	bool present;
	int rc;

	swmsi__assert_locked(ctx);
	if (req->fast)
		return 0;
	present = swmsi__bitmap_test(&req->paging->present, req->map->id);
	rc = swmsi__hwpt_install_msi(ctx, req->paging, req->map);
	if (rc)
		return rc;
	req->installed = !present;
	return 0;
}

void swmsi__global_msi_commit(struct swmsi_ctx *ctx, struct swmsi_msi_req *req,
			      struct swmsi_vector *v)
{
	struct swmsi_msi_map *map = req->map;
	struct swmsi_group *group = req->group;

	swmsi__assert_locked(ctx);
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

void swmsi__global_msi_abort(struct swmsi_ctx *ctx, struct swmsi_msi_req *req)
{
	swmsi__assert_locked(ctx);
	if (req->nm.map)
		swmsi__msi_map_abort(ctx, &req->nm);
}

/* Drop one group's need of @id on @paging. */
static void need_put(struct swmsi_ctx *ctx, struct swmsi_hwpt_paging *paging, uint32_t id)
{
	uint32_t *need = swmsi__idmap_find(&paging->need, id);

	swmsi__assert_locked(ctx);
	assert(need && *need);
	if (--*need == 0)
		swmsi__idmap_remove(&paging->need, id);
}

/* A group's required bit for @id clears (its last vector on it is gone);
 * its domain drops the page if nobody else there needs it. */
static void group_unrequire(struct swmsi_ctx *ctx, struct swmsi_group *group, uint32_t id)
{
	struct swmsi_hwpt_paging *paging;

	swmsi__assert_locked(ctx);
	swmsi__bitmap_clear(&group->required, id);
	if (!group->hwpt)
		return;
	paging = swmsi__find_hwpt_paging(group->hwpt);
	need_put(ctx, paging, id);
	swmsi__hwpt_reclaim_id(ctx, paging, id);
}

void swmsi__global_msi_release(struct swmsi_ctx *ctx, struct swmsi_group *group,
			       struct swmsi_vector *v)
{
	struct swmsi_msi_map *map = v->map;
	uint32_t *vecs;

	swmsi__assert_locked(ctx);
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

	swmsi__assert_locked(ctx);
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
	swmsi__assert_locked(ctx);
	if (!mv->fresh)
		mv->fresh = swmsi__calloc(ctx, mv->group->vecs.count, sizeof(*mv->fresh));
	return mv->fresh ? 0 : -ENOMEM;
}

static void group_record_held(struct swmsi_group *group, const struct swmsi_hwpt_paging *paging)
{
	if (swmsi__global_group_held(group, paging))
		return;
	group->holds[1] = group->holds[0];
	group->holds[0] = paging->stamp;
}

/* One required page into the target, unless it is of another window or
 * there already. */
static int install_one(struct swmsi_ctx *ctx, struct swmsi_group_move *mv, uint32_t id)
{
	struct swmsi_msi_map *map = swmsi__msi_map_by_id(&ctx->msi, id);
	int rc;

	swmsi__assert_locked(ctx);
	assert(map);
	/* as upstream skips entries of another sw_msi_start: a window
	 * changed since (a per-device override) leaves the old window's
	 * vectors behind */
	if (map->win_start != mv->win_start || swmsi__bitmap_test(&mv->paging->present, id))
		return 0;
	rc = fresh_room(ctx, mv);
	if (rc)
		return rc;
	rc = swmsi__hwpt_install_msi(ctx, mv->paging, map);
	if (rc)
		return rc;
	mv->fresh[mv->nfresh++] = id;
	return 0;
}

int swmsi__global_group_install_pages(struct swmsi_ctx *ctx, struct swmsi_group_move *mv,
				      bool in_id_order)
{
	struct swmsi_hwpt_paging *paging = mv->paging;
	size_t pos, bit;
	uint32_t id;
	int rc;

	swmsi__assert_locked(ctx);
	/* nothing to install, and room only for what reclaim counts */
	if (swmsi__global_group_held(mv->group, paging))
		return ctx->reclaim == SWMSI_RECLAIM_UNUSED ? group_room(ctx, mv) : 0;
	rc = group_room(ctx, mv);
	if (rc)
		return rc;
	/* iommufd_group_setup_msi(): every required page before the move,
	 * walking sw_msi_list (ascending ids) and stopping at the first
	 * failure; NATIVE, which undoes a failure whole, walks its counts */
	if (in_id_order) {
		swmsi__bitmap_for_each_set(bit, &mv->group->required) {
			rc = install_one(ctx, mv, (uint32_t)bit);
			if (rc)
				return rc;
		}
	} else {
		swmsi__idmap_for_each(pos, id, &mv->group->vecs) {
			rc = install_one(ctx, mv, id);
			if (rc)
				return rc;
		}
	}
	group_record_held(mv->group, paging);
	return 0;
}

void swmsi__global_group_commit(struct swmsi_ctx *ctx, struct swmsi_group_move *mv)
{
	size_t pos;
	uint32_t id;

	swmsi__assert_locked(ctx);
	ctx->msi_installs += mv->nfresh;
	/* the new place's needs are counted before the old place's go, so a
	 * move between a nested HWPT and its parent never sees a page
	 * unneeded; needs exist only for reclaim */
	if (ctx->reclaim == SWMSI_RECLAIM_UNUSED)
		swmsi__idmap_for_each(pos, id, &mv->group->vecs)
			(*swmsi__idmap_slot(&mv->paging->need, id))++;
	free(mv->fresh);
	mv->fresh = NULL;
}

void swmsi__global_group_leave(struct swmsi_ctx *ctx, struct swmsi_group *group,
			       struct swmsi_hwpt_paging *paging)
{
	size_t pos;
	uint32_t id;

	swmsi__assert_locked(ctx);
	if (ctx->reclaim != SWMSI_RECLAIM_UNUSED)
		return;
	swmsi__idmap_for_each(pos, id, &group->vecs)
		need_put(ctx, paging, id);
	swmsi__idmap_for_each(pos, id, &group->vecs)
		swmsi__hwpt_reclaim_id(ctx, paging, id);
}

void swmsi__global_hwpt_destroy(struct swmsi_ctx *ctx, struct swmsi_hwpt_paging *paging)
{
	size_t id;

	swmsi__assert_locked(ctx);
	swmsi__bitmap_for_each_set(id, &paging->present) {
		struct swmsi_msi_map *map = swmsi__msi_map_by_id(&ctx->msi, (uint32_t)id);

		if (swmsi__hwpt_uninstall_msi(ctx, paging, map))
			ctx->msi_uninstalls++;
		/* the last holder of an entry kept only for it */
		swmsi__msi_map_reclaim(ctx, map);
	}
}
