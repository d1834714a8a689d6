/* SPDX-License-Identifier: MIT */
/*
 * The context (the iommufd file descriptor): options, the object id table
 * and its per-type dispatch, context-wide settings and counters. Mirrors
 * iommufd's main.c.
 */
#include <stdlib.h>
#include <string.h>

#include <swmsi/testing.h>

#include "scheme.h"
#include "device_resv.h"

int swmsi__obj_cmp(const struct swmsi_obj *a, const struct swmsi_obj *b)
{
	return a->id < b->id ? -1 : a->id > b->id;
}

RB_GENERATE(swmsi__obj_tree, swmsi_obj, node, swmsi__obj_cmp)

/* iommufd_object_ops: what each type does; nothing here switches on type. */
static const struct swmsi_obj_ops *const obj_ops[SWMSI__TYPE_COUNT] = {
	[SWMSI__TYPE_IOAS] = &swmsi__ioas_ops,
	[SWMSI__TYPE_HWPT_PAGING] = &swmsi__hwpt_paging_ops,
	[SWMSI__TYPE_HWPT_NESTED] = &swmsi__hwpt_nested_ops,
	[SWMSI__TYPE_DEVICE] = &swmsi__device_ops,
};

/* opts.scheme -> its ops: the seam is chosen here, once per context. */
static const struct swmsi_scheme_ops *const schemes[] = {
	[SWMSI_SCHEME_NATIVE] = &swmsi__scheme_native,
	[SWMSI_SCHEME_KERNEL] = &swmsi__scheme_kernel,
	[SWMSI_SCHEME_DMA_IOMMU] = &swmsi__scheme_dma_iommu,
};

/* ------------------------------------------------------------------ */
/* Object table                                                        */

static void *index_alloc(void *arg, size_t size)
{
	return swmsi__calloc(arg, 1, size);
}

int swmsi__obj_reserve_id(struct swmsi_ctx *ctx, uint32_t *id)
{
	uint32_t cand = ctx->next_id;
	int rc;

	swmsi__assert_locked(ctx);
	if (ctx->objs_count == UINT32_MAX)
		return -ENOSPC;
	/* room in the id index, so that publishing cannot fail */
	rc = swmsi_rcu_index_reserve(&ctx->rcu, &ctx->objix, swmsi__obj_key, index_alloc, ctx);
	if (rc)
		return rc;
	/* cyclic, like xa_alloc_cyclic: a stale id stays unknown as long as
	 * possible. Live ids are skipped; the loop ends since one id is free. */
	for (;;) {
		if (cand == 0)
			cand = 1;
		if (!swmsi__obj_find(ctx, cand))
			break;
		cand++;
	}
	*id = cand;
	return 0;
}

void swmsi__obj_publish(struct swmsi_ctx *ctx, struct swmsi_obj *obj, uint32_t id,
			enum swmsi_type type)
{
	swmsi__assert_locked(ctx);
	obj->id = id;
	obj->type = type;
	RB_INSERT(swmsi__obj_tree, &ctx->objs, obj);
	swmsi_rcu_index_insert(&ctx->objix, obj, swmsi__obj_key);
	ctx->objs_count++;
	ctx->next_id = id + 1;
}

void swmsi__obj_remove(struct swmsi_ctx *ctx, struct swmsi_obj *obj)
{
	swmsi__assert_locked(ctx);
	RB_REMOVE(swmsi__obj_tree, &ctx->objs, obj);
	if (ctx->obj_hot == obj)
		ctx->obj_hot = NULL;
	swmsi_rcu_index_remove(&ctx->objix, obj->id, swmsi__obj_key);
	ctx->objs_count--;
	/* a lock-free reader that found it has left: the caller may free it */
	swmsi__grace_period(ctx);
}

void swmsi__obj_destroy(struct swmsi_ctx *ctx, struct swmsi_obj *obj)
{
	swmsi__assert_locked(ctx);
	assert(!obj->users);
	if (ctx->obj_hot == obj)
		ctx->obj_hot = NULL;
	obj_ops[obj->type]->destroy(ctx, obj);
}

void swmsi__obj_abort(struct swmsi_ctx *ctx, struct swmsi_obj *obj)
{
	uint32_t id = obj->id;

	swmsi__assert_locked(ctx);
	swmsi__obj_destroy(ctx, obj);
	/* the reservation that gave @id skipped only live ids, so starting
	 * there again hands out what the failed call never published */
	ctx->next_id = id;
}

struct swmsi_obj *swmsi__obj_first(struct swmsi_ctx *ctx)
{
	swmsi__assert_locked(ctx);
	return RB_MIN(swmsi__obj_tree, &ctx->objs);
}

struct swmsi_obj *swmsi__obj_next(struct swmsi_ctx *ctx, struct swmsi_obj *obj)
{
	swmsi__assert_locked(ctx);
	return RB_NEXT(swmsi__obj_tree, &ctx->objs, obj);
}

/* ------------------------------------------------------------------ */
/* Context                                                             */

static int check_opts(const struct swmsi_ctx_opts *opts, unsigned int *shift,
		      const struct swmsi_scheme_ops **schemep)
{
	const struct swmsi_iommu_ops *ops = opts->iommu;
	const struct swmsi_scheme_ops *scheme;

	*shift = opts->page_shift ? opts->page_shift : 12;
	if (*shift != 12 && *shift != 14 && *shift != 16)
		return -EINVAL;
	if (opts->max_msi_maps > SWMSI_MAX_MSI_MAPS_LIMIT)
		return -EINVAL;
	if (opts->reclaim != SWMSI_RECLAIM_NONE && opts->reclaim != SWMSI_RECLAIM_UNUSED)
		return -EOPNOTSUPP;
	if (!ops->domain_alloc || !ops->domain_free || !ops->map || !ops->unmap ||
	    !ops->iova_to_phys)
		return -EINVAL;
	if ((unsigned int)opts->scheme >= sizeof(schemes) / sizeof(schemes[0]))
		return -EOPNOTSUPP;
	scheme = schemes[opts->scheme];
	*schemep = scheme;
	return scheme->check_opts ? scheme->check_opts(opts) : 0;
}

int swmsi_ctx_create(const struct swmsi_ctx_opts *opts, struct swmsi_ctx **ctxp)
{
	const struct swmsi_scheme_ops *scheme;
	struct swmsi_ctx *ctx;
	unsigned int shift;
	int rc;

	if (!opts || !ctxp || !opts->iommu)
		return -EINVAL;
	rc = check_opts(opts, &shift, &scheme);
	if (rc)
		return rc;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	rc = pthread_mutex_init(&ctx->lock, NULL);
	if (rc) {
		free(ctx);
		return -rc;
	}
	ctx->scheme = scheme;
	ctx->ops = opts->iommu;
	ctx->priv = opts->iommu_priv;
	ctx->page_shift = shift;
	ctx->page_size = UINT64_C(1) << shift;
	ctx->max_msi_maps = opts->max_msi_maps ? opts->max_msi_maps : 64;
	ctx->reclaim = opts->reclaim;
	ctx->next_id = 1;
	RB_INIT(&ctx->objs);
	RB_INIT(&ctx->groups);
	LIST_INIT(&ctx->group_windows);
	swmsi__msi_table_init(ctx);
	*ctxp = ctx;
	return 0;
}

/* Destroy every object whose type tears down in @pass. */
static void destroy_pass(struct swmsi_ctx *ctx, unsigned int pass)
{
	struct swmsi_obj *obj, key = { 0 };

	swmsi__assert_locked(ctx);
	for (obj = RB_MIN(swmsi__obj_tree, &ctx->objs); obj;
	     obj = key.id ? RB_NFIND(swmsi__obj_tree, &ctx->objs, &key) : NULL) {
		/* look the next one up afresh: destroying a device may free
		 * the automatic HWPT RB_NEXT would give */
		key.id = obj->id + 1;
		if (obj_ops[obj->type]->teardown_pass == pass)
			swmsi__obj_destroy(ctx, obj);
	}
}

void swmsi_ctx_destroy(struct swmsi_ctx *ctx)
{
	unsigned int pass;

	if (!ctx)
		return;
	swmsi__lock(ctx);
	/* the caller guarantees no other thread uses the context now: the
	 * teardown frees without waiting for readers that cannot exist */
	ctx->dying = true;
	/* leaves first, as iommufd_fops_release() does; the passes come from
	 * the ops table: no type is named here */
	for (pass = 0; pass < SWMSI__TEARDOWN_PASSES; pass++)
		destroy_pass(ctx, pass);
	assert(RB_EMPTY(&ctx->objs));
	assert(LIST_EMPTY(&ctx->group_windows));
	swmsi__msi_table_fini(ctx);
	swmsi_rcu_index_fini(&ctx->objix);
	free(ctx->doorbells);
	swmsi__unlock(ctx);
	pthread_mutex_destroy(&ctx->lock);
	free(ctx);
}
static bool group_with_window_attached(struct swmsi_ctx *ctx)
{
	struct swmsi_group *g;
	uint64_t start, size;

	swmsi__assert_locked(ctx);
	RB_FOREACH(g, swmsi__group_tree, &ctx->groups) {
		if (g->hwpt && swmsi__group_window(ctx, g, &start, &size))
			return true;
	}
	return false;
}

int swmsi_ctx_set_sw_msi_window(struct swmsi_ctx *ctx, uint64_t start, uint64_t size)
{
	int rc = 0;

	if (!ctx)
		return -EINVAL;
	if (!swmsi__page_aligned(ctx, start) || !swmsi__page_aligned(ctx, size) || !size ||
	    start == SWMSI_PHYS_NONE || swmsi__range_wraps(start, size))
		return -EINVAL;
	swmsi__lock(ctx);
	/* the table's IOVAs are fixed by the window: moving it under live
	 * entries or attached groups would move their doorbells */
	if (ctx->msi.count || group_with_window_attached(ctx)) {
		rc = -EBUSY;
		goto out_unlock;
	}
	/* NATIVE: nor may it half-overlap a device's own window override */
	if (swmsi__device_overrides_conflict(ctx, start, size)) {
		rc = -EINVAL;
		goto out_unlock;
	}
	ctx->win_override = true;
	ctx->override_start = start;
	ctx->override_size = size;
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_doorbell_register(struct swmsi_ctx *ctx, uint64_t paddr, uint64_t size)
{
	int rc;

	if (!ctx)
		return -EINVAL;
	if (!swmsi__page_aligned(ctx, paddr) || !swmsi__page_aligned(ctx, size) || !size ||
	    swmsi__range_wraps(paddr, size))
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__array_grow(ctx, &ctx->doorbells, &ctx->doorbells_cap, ctx->ndoorbells + 1, 4,
			       SIZE_MAX, sizeof(*ctx->doorbells));
	if (rc)
		goto out_unlock;
	ctx->doorbells[ctx->ndoorbells].start = paddr;
	ctx->doorbells[ctx->ndoorbells].size = size;
	ctx->ndoorbells++;
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

bool swmsi__doorbell_listed(struct swmsi_ctx *ctx, uint64_t addr)
{
	size_t i;

	swmsi__assert_locked(ctx);
	for (i = 0; i < ctx->ndoorbells; i++) {
		if (addr - ctx->doorbells[i].start <= ctx->doorbells[i].size - 1)
			return true;
	}
	return false;
}

int swmsi_obj_destroy(struct swmsi_ctx *ctx, uint32_t id)
{
	struct swmsi_obj *obj;
	int rc = 0;

	if (!ctx)
		return -EINVAL;
	swmsi__lock(ctx);
	obj = swmsi__obj_find(ctx, id);
	if (!obj)
		rc = -ENOENT;
	else if (!obj_ops[obj->type]->destroy_by_id)
		rc = -EINVAL;
	else if (obj->users)
		rc = -EBUSY;
	else
		obj_ops[obj->type]->destroy(ctx, obj);
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

/* ------------------------------------------------------------------ */
/* Introspection of the context                                        */

int swmsi_obj_type(struct swmsi_ctx *ctx, uint32_t id, enum swmsi_obj_type *type)
{
	struct swmsi_obj *obj;
	int rc = 0;

	if (!ctx || !type)
		return -EINVAL;
	swmsi__lock(ctx);
	obj = swmsi__obj_find(ctx, id);
	if (obj)
		*type = (enum swmsi_obj_type)obj->type;
	else
		rc = -ENOENT;
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

int swmsi_ctx_stats(struct swmsi_ctx *ctx, struct swmsi_ctx_stats *stats)
{
	struct swmsi_group *g;
	struct swmsi_obj *obj;
	size_t bytes = 0;

	if (!ctx || !stats)
		return -EINVAL;
	swmsi__lock(ctx);
	memset(stats, 0, sizeof(*stats));
	stats->msi_maps = (uint32_t)ctx->msi.count;
	stats->objects = ctx->objs_count;
	stats->msi_installs = ctx->msi_installs;
	stats->msi_uninstalls = ctx->msi_uninstalls;
	stats->short_unmaps = ctx->short_unmaps;
	stats->allocs = ctx->allocs;
	/* the per-group and per-domain id sets the RFC kept as u64s */
	for (obj = swmsi__obj_first(ctx); obj; obj = swmsi__obj_next(ctx, obj)) {
		if (obj_ops[obj->type]->set_bytes)
			bytes += obj_ops[obj->type]->set_bytes(obj);
	}
	RB_FOREACH(g, swmsi__group_tree, &ctx->groups)
		bytes += swmsi__bitmap_bytes(&g->required) + swmsi__idmap_bytes(&g->vecs);
	stats->bitmap_bytes = bytes;
	swmsi__unlock(ctx);
	return 0;
}

const char *swmsi_version(void)
{
	/* the library's own number, which may differ from the header's a
	 * caller was compiled with (SWMSI_VERSION_STRING) */
	return SWMSI_VERSION_STRING;
}
