/* SPDX-License-Identifier: MIT */
/*
 * The context (the iommufd file descriptor): options, the lock, the object
 * id table and context-wide settings. Mirrors iommufd's main.c.
 */
#include <stdlib.h>
#include <string.h>

#include "swmsi_private.h"

int swmsi__obj_cmp(const struct swmsi_obj *a, const struct swmsi_obj *b)
{
	return a->id < b->id ? -1 : a->id > b->id;
}

RB_GENERATE(swmsi_obj_tree, swmsi_obj, node, swmsi__obj_cmp)

void swmsi__lock(struct swmsi_ctx *ctx)
{
	pthread_mutex_lock(&ctx->lock);
#ifndef NDEBUG
	ctx->owner = pthread_self();
	ctx->owned = true;
#endif
}

void swmsi__unlock(struct swmsi_ctx *ctx)
{
#ifndef NDEBUG
	assert_locked(ctx);
	ctx->owned = false;
#endif
	pthread_mutex_unlock(&ctx->lock);
}

#ifndef NDEBUG
void swmsi__assert_locked(struct swmsi_ctx *ctx)
{
	/* only the holder may read these without racing: a helper reached
	 * without the lock is the bug this catches */
	assert(ctx->owned && pthread_equal(ctx->owner, pthread_self()));
}
#endif

/* Every allocation of the core goes through here so tests can fail the
 * nth one (swmsi_ctx_fail_alloc), in the spirit of libuv's uv__malloc. */
static bool alloc_should_fail(struct swmsi_ctx *ctx)
{
	if (!ctx || !ctx->fail_alloc_nth)
		return false;
	return --ctx->fail_alloc_nth == 0;
}

void *swmsi__calloc(struct swmsi_ctx *ctx, size_t n, size_t size)
{
	if (alloc_should_fail(ctx))
		return NULL;
	return calloc(n, size);
}

void *swmsi__reallocarray(struct swmsi_ctx *ctx, void *p, size_t n, size_t size)
{
	if (alloc_should_fail(ctx))
		return NULL;
	if (size && n > SIZE_MAX / size)
		return NULL;
	return realloc(p, n * size);
}

/* ------------------------------------------------------------------ */
/* Object table                                                        */

int swmsi__obj_reserve_id(struct swmsi_ctx *ctx, uint32_t *id)
{
	struct swmsi_obj key = { 0 };
	uint32_t cand = ctx->next_id;

	assert_locked(ctx);
	if (ctx->objs_count == UINT32_MAX)
		return -ENOSPC;
	/* cyclic, like xa_alloc_cyclic: a stale id stays unknown as long as
	 * possible. Live ids are skipped; the loop ends since one id is free. */
	for (;;) {
		if (cand == 0)
			cand = 1;
		key.id = cand;
		if (!RB_FIND(swmsi_obj_tree, &ctx->objs, &key))
			break;
		cand++;
	}
	*id = cand;
	return 0;
}

void swmsi__obj_publish(struct swmsi_ctx *ctx, struct swmsi_obj *obj, uint32_t id,
			enum swmsi_type type)
{
	assert_locked(ctx);
	obj->id = id;
	obj->type = type;
	RB_INSERT(swmsi_obj_tree, &ctx->objs, obj);
	ctx->objs_count++;
	ctx->next_id = id + 1;
}

void swmsi__obj_remove(struct swmsi_ctx *ctx, struct swmsi_obj *obj)
{
	assert_locked(ctx);
	RB_REMOVE(swmsi_obj_tree, &ctx->objs, obj);
	ctx->objs_count--;
}

struct swmsi_obj *swmsi__obj_first(struct swmsi_ctx *ctx)
{
	assert_locked(ctx);
	return RB_MIN(swmsi_obj_tree, &ctx->objs);
}

struct swmsi_obj *swmsi__obj_next(struct swmsi_ctx *ctx, struct swmsi_obj *obj)
{
	assert_locked(ctx);
	return RB_NEXT(swmsi_obj_tree, &ctx->objs, obj);
}

int swmsi__obj_get(struct swmsi_ctx *ctx, uint32_t id, enum swmsi_type type,
		   struct swmsi_obj **objp)
{
	struct swmsi_obj key = { .id = id };
	struct swmsi_obj *obj;

	assert_locked(ctx);
	obj = RB_FIND(swmsi_obj_tree, &ctx->objs, &key);
	if (!obj)
		return -ENOENT;
	switch (type) {
	case SWMSI_TYPE_ANY:
		break;
	case SWMSI_TYPE_HWPT:
		if (obj->type != SWMSI_TYPE_HWPT_PAGING && obj->type != SWMSI_TYPE_HWPT_NESTED)
			return -ENOENT;
		break;
	default:
		if (obj->type != type)
			return -ENOENT;
		break;
	}
	*objp = obj;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Context                                                             */

int swmsi_ctx_create(const struct swmsi_ctx_opts *opts, struct swmsi_ctx **ctxp)
{
	struct swmsi_ctx *ctx;
	unsigned int shift;
	int rc;

	if (!opts || !ctxp || !opts->iommu)
		return -EINVAL;
	shift = opts->page_shift ? opts->page_shift : 12;
	if (shift != 12 && shift != 14 && shift != 16)
		return -EINVAL;
	if (opts->max_msi_maps > SWMSI_MAX_MSI_MAPS_LIMIT)
		return -EINVAL;
	if (opts->reclaim != SWMSI_RECLAIM_NONE && opts->reclaim != SWMSI_RECLAIM_UNUSED)
		return -EOPNOTSUPP;
	if (!opts->iommu->domain_alloc || !opts->iommu->domain_free || !opts->iommu->map ||
	    !opts->iommu->unmap || !opts->iommu->iova_to_phys)
		return -EINVAL;

	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	rc = pthread_mutex_init(&ctx->lock, NULL);
	if (rc) {
		rc = -rc;
		goto err_free;
	}
	ctx->ops = opts->iommu;
	ctx->priv = opts->iommu_priv;
	ctx->page_shift = shift;
	ctx->page_size = UINT64_C(1) << shift;
	ctx->max_msi_maps = opts->max_msi_maps ? opts->max_msi_maps : 64;
	ctx->reclaim = opts->reclaim;
	ctx->next_id = 1;
	RB_INIT(&ctx->objs);
	RB_INIT(&ctx->groups);
	rc = swmsi__msi_table_init(ctx);
	if (rc)
		goto err_mutex;
	*ctxp = ctx;
	return 0;

err_mutex:
	pthread_mutex_destroy(&ctx->lock);
err_free:
	free(ctx);
	return rc;
}

/* Destroy every object of @type still in the table. */
static void destroy_all(struct swmsi_ctx *ctx, enum swmsi_type type)
{
	struct swmsi_obj *obj, key = { 0 };

	for (obj = RB_MIN(swmsi_obj_tree, &ctx->objs); obj;
	     obj = key.id ? RB_NFIND(swmsi_obj_tree, &ctx->objs, &key) : NULL) {
		/* look the next one up afresh: destroying a device may free an
		 * automatic HWPT that an RB_NEXT taken now would point to */
		key.id = obj->id + 1;
		if (obj->type != type)
			continue;
		switch (type) {
		case SWMSI_TYPE_DEVICE:
			/* may destroy an automatic HWPT, never a device */
			swmsi__device_destroy(ctx, to_device(obj));
			break;
		case SWMSI_TYPE_HWPT_NESTED:
		case SWMSI_TYPE_HWPT_PAGING:
			swmsi__hwpt_destroy(ctx, to_hwpt(obj));
			break;
		case SWMSI_TYPE_IOAS:
			swmsi__ioas_destroy(ctx, to_ioas(obj));
			break;
		default:
			assert(0);
		}
	}
}

void swmsi_ctx_destroy(struct swmsi_ctx *ctx)
{
	if (!ctx)
		return;
	swmsi__lock(ctx);
	/* leaves first, as iommufd_fops_release() does; unbinding a device can
	 * destroy an automatic HWPT, so HWPTs are walked afterwards */
	destroy_all(ctx, SWMSI_TYPE_DEVICE);
	destroy_all(ctx, SWMSI_TYPE_HWPT_NESTED);
	destroy_all(ctx, SWMSI_TYPE_HWPT_PAGING);
	destroy_all(ctx, SWMSI_TYPE_IOAS);
	assert(RB_EMPTY(&ctx->objs));
	swmsi__msi_table_fini(ctx);
	free(ctx->doorbells);
	swmsi__unlock(ctx);
	pthread_mutex_destroy(&ctx->lock);
	free(ctx);
}

static bool group_with_window_attached(struct swmsi_ctx *ctx)
{
	struct swmsi_group *g;

	RB_FOREACH(g, swmsi_group_tree, &ctx->groups) {
		if (g->hwpt && g->win_start != SWMSI_PHYS_NONE)
			return true;
	}
	return false;
}

int swmsi_ctx_set_sw_msi_window(struct swmsi_ctx *ctx, uint64_t start, uint64_t size)
{
	int rc = 0;

	if (!ctx)
		return -EINVAL;
	if (!page_aligned(ctx, start) || !page_aligned(ctx, size) || !size ||
	    start == SWMSI_PHYS_NONE || range_wraps(start, size))
		return -EINVAL;
	swmsi__lock(ctx);
	/* the table's IOVAs are fixed by the window: moving it under live
	 * entries or attached groups would move their doorbells */
	if (ctx->msi.count || group_with_window_attached(ctx)) {
		rc = -EBUSY;
		goto out_unlock;
	}
	ctx->win_override = true;
	ctx->win_start = start;
	ctx->win_size = size;
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_doorbell_register(struct swmsi_ctx *ctx, uint64_t paddr, uint64_t size)
{
	struct swmsi_region *regions;
	int rc = 0;

	if (!ctx)
		return -EINVAL;
	if (!page_aligned(ctx, paddr) || !page_aligned(ctx, size) || !size ||
	    range_wraps(paddr, size))
		return -EINVAL;
	swmsi__lock(ctx);
	regions = swmsi__reallocarray(ctx, ctx->doorbells, ctx->ndoorbells + 1, sizeof(*regions));
	if (!regions) {
		rc = -ENOMEM;
		goto out_unlock;
	}
	regions[ctx->ndoorbells].start = paddr;
	regions[ctx->ndoorbells].size = size;
	ctx->doorbells = regions;
	ctx->ndoorbells++;
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_destroy(struct swmsi_ctx *ctx, uint32_t id)
{
	struct swmsi_obj *obj;
	int rc;

	if (!ctx)
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__obj_get(ctx, id, SWMSI_TYPE_ANY, &obj);
	if (rc)
		goto out_unlock;
	if (obj->type == SWMSI_TYPE_DEVICE) {
		/* devices go away with swmsi_device_unbind() */
		rc = -EINVAL;
		goto out_unlock;
	}
	if (obj->users) {
		rc = -EBUSY;
		goto out_unlock;
	}
	if (obj->type == SWMSI_TYPE_IOAS)
		swmsi__ioas_destroy(ctx, to_ioas(obj));
	else
		swmsi__hwpt_destroy(ctx, to_hwpt(obj));
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_ctx_fail_alloc(struct swmsi_ctx *ctx, unsigned int nth)
{
	if (!ctx)
		return -EINVAL;
	swmsi__lock(ctx);
	ctx->fail_alloc_nth = nth;
	swmsi__unlock(ctx);
	return 0;
}

int swmsi_obj_type(struct swmsi_ctx *ctx, uint32_t id, enum swmsi_obj_type *type)
{
	struct swmsi_obj *obj;
	int rc;

	if (!ctx || !type)
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__obj_get(ctx, id, SWMSI_TYPE_ANY, &obj);
	if (!rc)
		*type = (enum swmsi_obj_type)obj->type;
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_obj_list(struct swmsi_ctx *ctx, struct swmsi_obj_info *objs, size_t cap, size_t *count)
{
	struct swmsi_obj *obj;
	size_t n = 0;

	if (!ctx || !count || (cap && !objs))
		return -EINVAL;
	swmsi__lock(ctx);
	for (obj = swmsi__obj_first(ctx); obj; obj = swmsi__obj_next(ctx, obj)) {
		if (n < cap) {
			memset(&objs[n], 0, sizeof(objs[n]));
			objs[n].id = obj->id;
			objs[n].type = (enum swmsi_obj_type)obj->type;
		}
		n++;
	}
	*count = n;
	swmsi__unlock(ctx);
	return 0;
}
