/* SPDX-License-Identifier: MIT */
/*
 * MSI vectors: the sw_msi path (the kernel's iommufd_sw_msi()), free, and
 * fire, which simulates the device's MSI write through its group's HWPT.
 * What a translated vector's page is, and where it goes, is the scheme's
 * (struct swmsi_scheme_ops); this file owns the vector handles.
 */
#include <stdlib.h>
#include <string.h>

#include "scheme.h"
#include "device_resv.h"

/*
 * Grow the vector array to hold handle @h. msi_fire reads it without the
 * lock, so it is never reallocated in place: a copy is published and the
 * old array freed after a grace period (growth only: doubling).
 */
static int vectors_grow(struct swmsi_ctx *ctx, struct swmsi_device *dev, size_t h)
{
	size_t ncap = dev->nvecs_cap ? dev->nvecs_cap * 2 : 8;
	struct swmsi_vector *nv, *old = dev->vecs;

	swmsi__assert_locked(ctx);
	while (ncap < h + 1)
		ncap *= 2;
	nv = swmsi__calloc(ctx, ncap, sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	if (old)
		memcpy(nv, old, dev->nvecs_cap * sizeof(*nv));
	dev->vecs = nv;
	dev->nvecs_cap = ncap;
	/* array before capacity: a reader that sees the new bound sees it */
	atomic_store_explicit(&dev->rd_vecs, nv, memory_order_seq_cst);
	atomic_store_explicit(&dev->rd_cap, ncap, memory_order_seq_cst);
	if (old) {
		swmsi__grace_period(ctx);
		free(old);
	}
	return 0;
}

/* Room for vector handle @h. */
static int vectors_reserve(struct swmsi_ctx *ctx, struct swmsi_device *dev, size_t h)
{
	int rc;

	swmsi__assert_locked(ctx);
	rc = swmsi__bitmap_reserve(ctx, &dev->used, h + 1);
	if (rc)
		return rc;
	return h < dev->nvecs_cap ? 0 : vectors_grow(ctx, dev, h);
}

/* Reset a handle's slot; its lock-free view goes dead first. */
static void vector_clear(struct swmsi_vector *v)
{
	atomic_store_explicit(&v->rd_live, false, memory_order_relaxed);
	v->msi_addr = 0;
	v->msg_addr = 0;
	v->map = NULL;
	v->translated = false;
}

/* A vector of a group on a HWPT with a window: the scheme's phases around
 * the handle's room, so the backend map stays the last fallible step. */
static int vector_fill_translated(struct swmsi_ctx *ctx, struct swmsi_device *dev, size_t h,
				  struct swmsi_msi_req *req)
{
	const struct swmsi_scheme_ops *scheme = ctx->scheme;
	int rc;

	swmsi__assert_locked(ctx);
	rc = scheme->msi_reserve(ctx, req);
	if (rc)
		return rc;
	rc = vectors_reserve(ctx, dev, h);
	if (rc)
		goto err_abort;
	rc = scheme->msi_install(ctx, req);
	if (rc)
		goto err_abort;
	scheme->msi_commit(ctx, req, &dev->vecs[h]);
	return 0;

err_abort:
	scheme->msi_abort(ctx, req);
	return rc;
}

/* A detached or window-less group writes the doorbell untranslated. */
static int vector_fill_untranslated(struct swmsi_ctx *ctx, struct swmsi_device *dev, size_t h,
				    uint64_t msi_addr)
{
	int rc;

	swmsi__assert_locked(ctx);
	rc = vectors_reserve(ctx, dev, h);
	if (rc)
		return rc;
	vector_clear(&dev->vecs[h]);
	dev->vecs[h].msg_addr = msi_addr;
	return 0;
}

/* Publish handle @h's vector (filled) to msi_fire and mark it used. */
static void vector_publish(struct swmsi_device *dev, size_t h, uint64_t msi_addr)
{
	struct swmsi_vector *v = &dev->vecs[h];

	v->msi_addr = msi_addr;
	atomic_store_explicit(&v->rd_msg, v->msg_addr, memory_order_relaxed);
	atomic_store_explicit(&v->rd_pass, !v->translated && dev->rep_start == SWMSI_PHYS_NONE,
			      memory_order_relaxed);
	atomic_store_explicit(&v->rd_live, true, memory_order_release);
	swmsi__bitmap_set(&dev->used, h);
	dev->nvecs++;
}

/* The lowest free handle when it needs no room (its word and its slot in
 * the vector array exist), else SIZE_MAX: the slow path reserves. */
static inline size_t handle_fast(const struct swmsi_device *dev)
{
	size_t w = dev->used.hint, h;

	/* every word below the hint is full: the lowest clear bit is here */
	if (w >= dev->used.nwords || dev->used.words[w] == UINT64_MAX)
		return SIZE_MAX;
	h = w * 64 + (size_t)__builtin_ctzll(~dev->used.words[w]);
	return h < dev->nvecs_cap ? h : SIZE_MAX;
}

/*
 * The steady state of a device (re)allocating vectors, for a global scheme
 * (scheme->table_hit): the page has its entry, the group requires it, the
 * domain holds it, and the handle needs no room. Then nothing is reserved,
 * installed or counted but the vector and the entry's count: what the
 * scheme's phases would do for such a hit (scheme_global.c's msi_fast()), in
 * one pass. Anything else returns false having changed nothing, and the
 * phases run (and give the same answers, errors included).
 */
static bool msi_hit(struct swmsi_ctx *ctx, struct swmsi_device *dev, uint64_t msi_addr, size_t *hp)
{
	struct swmsi_group *group = dev->group;
	struct swmsi_hwpt *hwpt = atomic_load_explicit(&group->hwpt, memory_order_relaxed);
	uint64_t win_start, win_size, page = msi_addr & ~(ctx->page_size - 1);
	struct swmsi_msi_map *map;
	struct swmsi_vector *v;
	size_t h;

	swmsi__assert_locked(ctx);
	if (!ctx->scheme->table_hit || !hwpt ||
	    !swmsi__group_window(ctx, group, &win_start, &win_size) ||
	    !swmsi__doorbell_allowed(ctx, msi_addr))
		return false;
	map = swmsi__msi_map_lookup(&ctx->msi, win_start, page);
	/* NATIVE answers -ENOSPC for an entry past the window's end, KERNEL
	 * does not check: both are the phases' to say */
	if (!map || map->slot >= win_size >> ctx->page_shift ||
	    !swmsi__bitmap_test(&group->required, map->id) ||
	    !swmsi__bitmap_test(&swmsi__find_hwpt_paging(hwpt)->present, map->id))
		return false;
	h = handle_fast(dev);
	if (h == SIZE_MAX)
		return false;
	map->vectors++;
	/* the group's count per id is read only by reclaim (its key is
	 * there: the group requires the id) */
	if (ctx->reclaim == SWMSI_RECLAIM_UNUSED)
		(*swmsi__idmap_find_hinted(&group->vecs, map->id, &map->count_hint))++;
	v = &dev->vecs[h];
	v->map = map;
	v->translated = true;
	v->msg_addr = swmsi__msi_map_iova(map, ctx->page_shift) + (msi_addr - page);
	*hp = h;
	return true;
}

/* Everything but a hit (msi_hit()): the lowest free handle, filled
 * through the scheme's phases. Not inlined: its frame (the request, the
 * phases' calls) would otherwise load the hit path's prologue. */
static __attribute__((noinline)) int msi_alloc_slow(struct swmsi_ctx *ctx, struct swmsi_device *dev,
						    uint64_t msi_addr, size_t *hp)
{
	struct swmsi_msi_req req = { .msi_addr = msi_addr };
	size_t h;

	swmsi__assert_locked(ctx);
	h = swmsi__bitmap_first_zero(&dev->used, UINT32_MAX);
	if (h >= UINT32_MAX)
		return -ENOSPC;
	*hp = h;
	req.group = dev->group;
	req.page = msi_addr & ~(ctx->page_size - 1);
	if (req.group->hwpt &&
	    (swmsi__group_window(ctx, req.group, &req.win_start, &req.win_size) ||
	     ctx->scheme->windowless_asks))
		return vector_fill_translated(ctx, dev, h, &req);
	/* a detached group with a window sits on its blocking domain, which
	 * the scheme may refuse (KERNEL); a window-less one is never asked */
	if (!req.group->hwpt && dev->rep_start != SWMSI_PHYS_NONE && ctx->scheme->detached_msi_err)
		return ctx->scheme->detached_msi_err;
	return vector_fill_untranslated(ctx, dev, h, msi_addr);
}

int swmsi_msi_alloc(struct swmsi_ctx *ctx, uint32_t dev_id, uint64_t msi_addr, uint32_t *vec,
		    uint64_t *msg_addr)
{
	struct swmsi_device *dev;
	size_t h;
	int rc;

	if (!ctx || !vec || !msg_addr)
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__device_get(ctx, dev_id, &dev);
	if (rc)
		goto out_unlock;
	if (!msi_hit(ctx, dev, msi_addr, &h)) {
		rc = msi_alloc_slow(ctx, dev, msi_addr, &h);
		if (rc)
			goto out_unlock;
	}
	vector_publish(dev, h, msi_addr);
	*vec = (uint32_t)h;
	*msg_addr = dev->vecs[h].msg_addr;
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

/*
 * A global scheme's release that reclaims nothing, inline: under
 * RECLAIM_NONE always; under RECLAIM_UNUSED while the group keeps another
 * vector on the entry (so the entry keeps one too, and the group still
 * requires it). Exactly what swmsi__global_msi_release() does then; false
 * (nothing changed) for everything else.
 */
static bool table_release_fast(struct swmsi_ctx *ctx, struct swmsi_group *group,
			       struct swmsi_vector *v)
{
	uint32_t *cnt;

	swmsi__assert_locked(ctx);
	if (!ctx->scheme->table_hit)
		return false;
	if (ctx->reclaim == SWMSI_RECLAIM_UNUSED) {
		cnt = swmsi__idmap_find_hinted(&group->vecs, v->map->id, &v->map->count_hint);
		assert(cnt && *cnt);
		if (*cnt < 2)
			return false;
		(*cnt)--;
	}
	v->map->vectors--;
	return true;
}

/* A released handle's slot: only its lock-free view goes dead. The rest
 * is stale until the next fill, which writes every field (msi_hit(), the
 * schemes' msi_commit, vector_fill_untranslated(), vector_publish()), and
 * nothing reads a slot whose handle is not in dev->used. */
static inline void vector_kill(struct swmsi_vector *v)
{
	atomic_store_explicit(&v->rd_live, false, memory_order_relaxed);
}

/* Inline in msi_free (the hot caller); swmsi__vector_release() for the rest. */
static inline void vector_release(struct swmsi_ctx *ctx, struct swmsi_device *dev, uint32_t vec)
{
	struct swmsi_vector *v = &dev->vecs[vec], old;

	swmsi__assert_locked(ctx);
	swmsi__bitmap_clear(&dev->used, vec);
	dev->nvecs--;
	if (!v->translated || table_release_fast(ctx, dev->group, v)) {
		vector_kill(v);
		return;
	}
	old = *v;
	vector_clear(v);
	ctx->scheme->msi_release(ctx, dev->group, &old);
}

void swmsi__vector_release(struct swmsi_ctx *ctx, struct swmsi_device *dev, uint32_t vec)
{
	vector_release(ctx, dev, vec);
}

/* A live vector of a device: -ENOENT for an unknown device or handle. */
static int get_vector(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t vec,
		      struct swmsi_device **devp)
{
	int rc;

	swmsi__assert_locked(ctx);
	rc = swmsi__device_get(ctx, dev_id, devp);
	if (rc)
		return rc;
	return swmsi__bitmap_test(&(*devp)->used, vec) ? 0 : -ENOENT;
}

int swmsi_msi_free(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t vec)
{
	struct swmsi_device *dev;
	int rc;

	if (!ctx)
		return -EINVAL;
	swmsi__lock(ctx);
	rc = get_vector(ctx, dev_id, vec, &dev);
	if (rc)
		goto out_unlock;
	vector_release(ctx, dev, vec);
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

/* A fire that needs the lock: a group on a nested HWPT (its stage-1 tree
 * changes under swmsi_hwpt_nested_map()). The same answers as the
 * lock-free path. */
static int fire_locked(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t vec, uint64_t *paddr)
{
	struct swmsi_device *dev;
	struct swmsi_group *group;
	uint64_t msg, pa;
	int rc;

	swmsi__lock(ctx);
	rc = get_vector(ctx, dev_id, vec, &dev);
	if (rc)
		goto out_unlock;
	group = dev->group;
	msg = dev->vecs[vec].msg_addr;
	if (atomic_load_explicit(&dev->vecs[vec].rd_pass, memory_order_relaxed)) {
		/* no SW_MSI window: the platform does not remap MSIs (x86) */
		*paddr = msg;
		goto out_unlock;
	}
	/* a detached group's DMA is blocked; an untranslated write is lost */
	if (!group->hwpt || swmsi__hwpt_translate(ctx, group->hwpt, msg, &pa)) {
		rc = -EFAULT;
		goto out_unlock;
	}
	*paddr = pa;
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

/* -EAGAIN: this fire must take the lock (fire_locked()). */
static int fire_rcu(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t vec, uint64_t *pa)
{
	struct swmsi_obj *obj = swmsi__obj_find_rcu(ctx, dev_id);
	struct swmsi_vector *vecs;
	struct swmsi_device *dev;
	struct swmsi_hwpt *hwpt;
	uint64_t msg;

	if (!obj || obj->type != SWMSI__TYPE_DEVICE)
		return -ENOENT;
	dev = swmsi__to_device(obj);
	/* bound before array (published the other way round) */
	if (vec >= atomic_load_explicit(&dev->rd_cap, memory_order_seq_cst))
		return -ENOENT;
	vecs = atomic_load_explicit(&dev->rd_vecs, memory_order_seq_cst);
	if (!atomic_load_explicit(&vecs[vec].rd_live, memory_order_acquire))
		return -ENOENT;
	msg = atomic_load_explicit(&vecs[vec].rd_msg, memory_order_relaxed);
	if (atomic_load_explicit(&vecs[vec].rd_pass, memory_order_relaxed)) {
		*pa = msg;
		return 0;
	}
	/* the group's place at one instant: a move installs everything in
	 * the new domain before it stores it, and reclaims from the old one
	 * only after a grace period (group_leave_hwpt()) */
	hwpt = dev->group->hwpt;
	if (!hwpt)
		return -EFAULT;
	if (!swmsi__hwpt_is_paging(hwpt))
		return -EAGAIN;
	return ctx->ops->iova_to_phys(ctx->priv, swmsi__to_hwpt_paging(hwpt)->domain, msg, pa)
		       ? -EFAULT
		       : 0;
}

/*
 * A read path: no lock on a group that sits on a paging HWPT, so threads
 * firing on one context scale. Objects it reaches stay allocated until its
 * read section ends (swmsi__obj_remove() waits a grace period).
 */
int swmsi_msi_fire(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t vec, uint64_t *paddr)
{
	unsigned int token;
	uint64_t pa;
	int rc;

	if (!ctx || !paddr)
		return -EINVAL;
	token = swmsi_rcu_read_lock(&ctx->rcu);
	rc = fire_rcu(ctx, dev_id, vec, &pa);
	swmsi_rcu_read_unlock(&ctx->rcu, token);
	if (rc == -EAGAIN)
		return fire_locked(ctx, dev_id, vec, paddr);
	if (!rc)
		*paddr = pa;
	return rc;
}
