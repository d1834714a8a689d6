/* SPDX-License-Identifier: MIT */
/*
 * Devices and their iommu groups: bind, attach, replace, detach
 * (iommufd's device.c). A group sits on one HWPT at a time. Attach and
 * replace share one path, as iommufd_device_change_pt() does; a group
 * moves in phases: reserve (window, target), install (the scheme puts
 * what the group needs into the target domain), commit, reclaim (the old
 * place lets go). Every fallible step comes before the commit.
 */
#include <stdlib.h>
#include <string.h>

#include "scheme_global.h"
#include "device_resv.h"

int swmsi__group_cmp(const struct swmsi_group *a, const struct swmsi_group *b)
{
	return a->num < b->num ? -1 : a->num > b->num;
}

RB_GENERATE(swmsi__group_tree, swmsi_group, node, swmsi__group_cmp)

static struct swmsi_group *group_find(struct swmsi_ctx *ctx, uint32_t num)
{
	struct swmsi_group key = { .num = num };

	swmsi__assert_locked(ctx);
	return RB_FIND(swmsi__group_tree, &ctx->groups, &key);
}

/* Resolve an attach/replace target: a HWPT, or an IOAS's automatic HWPT
 * (*hwptp NULL when it must be created). */
static int resolve_pt(struct swmsi_ctx *ctx, uint32_t pt_id, struct swmsi_hwpt **hwptp,
		      struct swmsi_ioas **ioasp)
{
	struct swmsi_obj *obj = swmsi__obj_find(ctx, pt_id);

	swmsi__assert_locked(ctx);
	if (!obj)
		return -ENOENT;
	if (obj->type == SWMSI__TYPE_IOAS) {
		*ioasp = swmsi__to_ioas(obj);
		*hwptp = (*ioasp)->auto_hwpt ? &(*ioasp)->auto_hwpt->common : NULL;
		return 0;
	}
	/* several kinds are accepted here, so a wrong one is -EINVAL */
	if (!swmsi__obj_is_hwpt(obj))
		return -EINVAL;
	*hwptp = swmsi__to_hwpt(obj);
	*ioasp = (*hwptp)->ioas;
	return 0;
}

/* How a group leaves its old HWPT (group_leave_hwpt()). Its devices'
 * reserved ranges are not its business: they move or go per device. */
enum leave_flags {
	/* the scheme has nothing to drop there (move_idle()) */
	LEAVE_SCHEME_IDLE = 1u << 1,
};

/* Reclaim phase: the group has left @old. Cannot fail. */
static void group_leave_hwpt(struct swmsi_ctx *ctx, struct swmsi_group *group,
			     struct swmsi_hwpt *old, unsigned int flags)
{
	struct swmsi_hwpt_paging *paging = swmsi__find_hwpt_paging(old);

	swmsi__assert_locked(ctx);
	old->groups--;
	/* pairs with the users++ in move_commit() */
	old->obj.users--;
	/* a lock-free fire that read the old place must still find its pages
	 * there: reclaim (the only unmapping here) waits for it */
	if (ctx->reclaim == SWMSI_RECLAIM_UNUSED)
		swmsi__grace_period(ctx);
	if (!(flags & LEAVE_SCHEME_IDLE))
		ctx->scheme->group_leave(ctx, group, paging);
	/* an automatic HWPT lives only while a group sits on it */
	if (swmsi__hwpt_is_paging(old) && paging->auto_domain && !old->obj.users)
		swmsi__obj_destroy(ctx, &old->obj);
}

/* @dev's window in use, as swmsi__device_resv_check() and _take() take
 * it: its start, or SWMSI_PHYS_NONE. */
static uint64_t device_win(const struct swmsi_ctx *ctx, const struct swmsi_device *dev,
			   uint64_t *size)
{
	uint64_t start = 0;

	*size = 0;
	return swmsi__device_window(ctx, dev, &start, size) ? start : SWMSI_PHYS_NONE;
}

/* The reserved ranges the move takes to @ioas: the joining device's, or
 * (a replace onto another IOAS) those of every attached device. No
 * mapping there may meet one (-EADDRINUSE). */
static int move_resv_check(struct swmsi_ctx *ctx, struct swmsi_group_move *mv,
			   struct swmsi_ioas *ioas)
{
	struct swmsi_device *dev;
	uint64_t start, size;
	int rc;

	swmsi__assert_locked(ctx);
	if (mv->joining) {
		start = device_win(ctx, mv->joining, &size);
		return swmsi__device_resv_check(ctx, mv->joining, ioas, start, size);
	}
	TAILQ_FOREACH(dev, &mv->group->devs, group_link) {
		rc = dev->attached ? swmsi__device_resv_move_check(ctx, dev, ioas) : 0;
		if (rc)
			return rc;
	}
	return 0;
}

/* The target, made when it is an IOAS's automatic HWPT still to be made. */
static int move_target(struct swmsi_ctx *ctx, struct swmsi_group_move *mv, struct swmsi_ioas *ioas)
{
	struct swmsi_hwpt_paging *made;
	int rc;

	swmsi__assert_locked(ctx);
	if (!mv->to) {
		rc = swmsi__hwpt_paging_create(ctx, ioas, SWMSI__HWPT_AUTO_DOMAIN, &made);
		if (rc)
			return rc;
		mv->to = &made->common;
		mv->created = true;
	}
	mv->paging = swmsi__find_hwpt_paging(mv->to);
	return 0;
}

/* KERNEL, DMA_IOMMU, a detached group's attach: the target first (upstream
 * makes an automatic domain before it attaches), then the joining device's
 * regions walked as upstream's attach does, writing the group's start
 * whatever comes after. */
static int move_reserve_walk(struct swmsi_ctx *ctx, struct swmsi_group_move *mv,
			     struct swmsi_ioas *ioas)
{
	int rc;

	swmsi__assert_locked(ctx);
	rc = move_target(ctx, mv, ioas);
	if (rc)
		return rc;
	rc = swmsi__device_resv_walk(ctx, mv->joining, ioas, &mv->group->use_start,
				     &mv->group->use_size);
	if (rc) {
		if (mv->created)
			swmsi__obj_abort(ctx, &mv->to->obj);
		return rc;
	}
	mv->has_win = swmsi__group_window(ctx, mv->group, &mv->win_start, &mv->win_size);
	return 0;
}

/* Reserve phase: the window the group uses there, the check of the
 * ranges its devices reserve on the target IOAS, and the target itself
 * when it is an IOAS's automatic HWPT still to be made. */
static int move_reserve(struct swmsi_ctx *ctx, struct swmsi_group_move *mv, struct swmsi_ioas *ioas)
{
	int rc;

	swmsi__assert_locked(ctx);
	if (mv->joining && !ctx->scheme->strict_windows)
		return move_reserve_walk(ctx, mv, ioas);
	/* NATIVE: a group joins with the window of its first device; a
	 * replace keeps the one it has, under every scheme */
	if (mv->joining)
		mv->has_win = swmsi__device_window(ctx, mv->joining, &mv->win_start, &mv->win_size);
	else
		mv->has_win = swmsi__group_window(ctx, mv->group, &mv->win_start, &mv->win_size);
	/* a move under the IOAS where its devices' ranges are reserved keeps
	 * them: no check (no mapping can meet a reservation), no move */
	if (!mv->keep_resv) {
		rc = move_resv_check(ctx, mv, ioas);
		if (rc)
			return rc;
	}
	return move_target(ctx, mv, ioas);
}

/* Undo move_reserve(): the automatic HWPT goes and its id comes back. */
static void move_unreserve(struct swmsi_ctx *ctx, struct swmsi_group_move *mv)
{
	swmsi__assert_locked(ctx);
	if (mv->created)
		swmsi__obj_abort(ctx, &mv->to->obj);
}

/* Commit the ranges move_resv_check() passed. Cannot fail. */
static void move_resv_commit(struct swmsi_ctx *ctx, struct swmsi_group_move *mv)
{
	struct swmsi_ioas *ioas = mv->to->ioas;
	struct swmsi_device *dev;

	uint64_t start, size;

	swmsi__assert_locked(ctx);
	if (mv->joining) {
		start = device_win(ctx, mv->joining, &size);
		swmsi__device_resv_take(ctx, mv->joining, ioas, start, size);
		return;
	}
	TAILQ_FOREACH(dev, &mv->group->devs, group_link) {
		if (dev->attached)
			swmsi__device_resv_move(ctx, dev, ioas);
	}
}

/* A move the scheme has nothing to do for (scheme->table_move): install,
 * commit and leave would each find nothing to do. */
static bool move_idle(struct swmsi_ctx *ctx, const struct swmsi_group_move *mv)
{
	swmsi__assert_locked(ctx);
	return ctx->scheme->table_move && ctx->reclaim == SWMSI_RECLAIM_NONE &&
	       swmsi__global_group_held(mv->group, mv->paging);
}

/* Commit phase: nothing here can fail. */
static void move_commit(struct swmsi_ctx *ctx, struct swmsi_group_move *mv)
{
	swmsi__assert_locked(ctx);
	if (!mv->idle)
		ctx->scheme->group_commit(ctx, mv);
	if (mv->joining && mv->has_win) {
		mv->group->use_start = mv->win_start;
		mv->group->use_size = mv->win_size;
	}
	mv->group->hwpt = mv->to;
	mv->to->groups++;
	/* pairs with the users-- in group_leave_hwpt() */
	mv->to->obj.users++;
	if (!mv->keep_resv)
		move_resv_commit(ctx, mv);
}

/* How the group leaves where it was, once @mv has committed. */
static unsigned int move_leave_flags(const struct swmsi_group_move *mv)
{
	return mv->idle ? LEAVE_SCHEME_IDLE : 0u;
}

/* Upstream's failed same-IOAS replace: its error path removes the group's
 * reserved ranges from the IOAS the group stays on. */
static void group_drop_resv(struct swmsi_ctx *ctx, struct swmsi_group *group)
{
	struct swmsi_device *dev;

	swmsi__assert_locked(ctx);
	TAILQ_FOREACH(dev, &group->devs, group_link)
		swmsi__device_resv_drop(ctx, dev);
}

/*
 * Move @group from where it is (NULL: detached, @joining its device that
 * attaches) to @to, or to the automatic HWPT of @ioas when @to is NULL.
 * All or nothing (but what the scheme says a failed install leaves), in
 * time proportional to the ids the group requires, not to the table.
 */
static int group_move(struct swmsi_ctx *ctx, struct swmsi_group *group,
		      struct swmsi_device *joining, struct swmsi_hwpt *to, struct swmsi_ioas *ioas)
{
	struct swmsi_hwpt *old = group->hwpt;
	struct swmsi_group_move mv = {
		.group = group, .joining = joining, .to = to, .keep_resv = old && old->ioas == ioas
	};
	int rc;

	swmsi__assert_locked(ctx);
	rc = move_reserve(ctx, &mv, ioas);
	if (rc)
		return rc;
	mv.idle = move_idle(ctx, &mv);
	rc = mv.idle ? 0 : ctx->scheme->group_install(ctx, &mv);
	if (rc)
		goto err_unreserve;
	move_commit(ctx, &mv);
	if (old)
		group_leave_hwpt(ctx, group, old, move_leave_flags(&mv));
	return 0;

err_unreserve:
	move_unreserve(ctx, &mv);
	if (old && mv.keep_resv && ctx->scheme->resv_lost_on_failed_replace)
		group_drop_resv(ctx, group);
	return rc;
}

/* The target is where the group already sits (directly or as an IOAS's
 * automatic HWPT). */
static bool target_is_current(struct swmsi_group *group, struct swmsi_hwpt *to)
{
	return to && group->hwpt == to;
}

/* A device attaches where its group sits already: under NATIVE its window
 * in use must be the group's; its ranges are reserved on the IOAS. */
static int device_join_group(struct swmsi_ctx *ctx, struct swmsi_device *dev)
{
	struct swmsi_group *group = dev->group;
	uint64_t start = 0, size = 0, gstart, gsize;
	bool has_win;
	int rc;

	swmsi__assert_locked(ctx);
	has_win = swmsi__device_window(ctx, dev, &start, &size);
	if (!has_win)
		start = SWMSI_PHYS_NONE;
	/* KERNEL, DMA_IOMMU: upstream's walk, writing the group's one
	 * sw_msi_start (the window a later vector of the group uses) */
	if (!ctx->scheme->strict_windows)
		rc = swmsi__device_resv_walk(ctx, dev, group->hwpt->ioas, &group->use_start,
					     &group->use_size);
	else if (swmsi__group_window(ctx, group, &gstart, &gsize) &&
		 (!has_win || start != gstart || size != gsize))
		rc = -EINVAL;
	else
		rc = swmsi__device_resv_check(ctx, dev, group->hwpt->ioas, start, size);
	if (rc)
		return rc;
	swmsi__device_resv_take(ctx, dev, group->hwpt->ioas, start, size);
	return 0;
}

/* How attach and replace differ, as iommufd_device_do_attach/_replace. */
typedef int (*change_pt_fn)(struct swmsi_ctx *ctx, struct swmsi_device *dev, struct swmsi_hwpt *to,
			    struct swmsi_ioas *ioas);

static int device_do_attach(struct swmsi_ctx *ctx, struct swmsi_device *dev, struct swmsi_hwpt *to,
			    struct swmsi_ioas *ioas)
{
	int rc;

	swmsi__assert_locked(ctx);
	/* upstream's core: the device array insert fails before the HWPT
	 * compare (-EBUSY); NATIVE names the caller's bug -EINVAL */
	if (dev->attached)
		return ctx->scheme->upstream_core ? -EBUSY : -EINVAL;
	if (dev->group->hwpt) {
		/* the group joined with an earlier device: follow it there */
		if (!target_is_current(dev->group, to))
			return -EINVAL;
		rc = device_join_group(ctx, dev);
	} else {
		rc = group_move(ctx, dev->group, dev, to, ioas);
	}
	if (rc)
		return rc;
	dev->attached = true;
	dev->group->attached++;
	return 0;
}

static int device_do_replace(struct swmsi_ctx *ctx, struct swmsi_device *dev, struct swmsi_hwpt *to,
			     struct swmsi_ioas *ioas)
{
	swmsi__assert_locked(ctx);
	if (!dev->attached)
		return -EINVAL;
	if (target_is_current(dev->group, to))
		return 0;
	/* the whole group moves; its devices stay attached */
	return group_move(ctx, dev->group, NULL, to, ioas);
}

/*
 * The one attach/replace path (iommufd_device_change_pt()). On success
 * @attached (when not NULL) gets the HWPT the group now sits on: for an
 * IOAS, its automatic HWPT, as iommufd writes it back into pt_id.
 */
static int device_change_pt(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t pt_id,
			    change_pt_fn do_change, uint32_t *attached)
{
	struct swmsi_device *dev;
	struct swmsi_hwpt *to;
	struct swmsi_ioas *ioas;
	int rc;

	if (!ctx)
		return -EINVAL;
	swmsi__lock(ctx);
	/* ids in argument order */
	rc = swmsi__device_get(ctx, dev_id, &dev);
	if (!rc)
		rc = resolve_pt(ctx, pt_id, &to, &ioas);
	if (!rc)
		rc = do_change(ctx, dev, to, ioas);
	if (!rc && attached)
		*attached = dev->group->hwpt->obj.id;
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_device_attach(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t pt_id)
{
	return device_change_pt(ctx, dev_id, pt_id, device_do_attach, NULL);
}

int swmsi_device_replace(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t pt_id)
{
	return device_change_pt(ctx, dev_id, pt_id, device_do_replace, NULL);
}

int swmsi_device_attach_pt(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t *pt_id)
{
	if (!pt_id)
		return -EINVAL;
	return device_change_pt(ctx, dev_id, *pt_id, device_do_attach, pt_id);
}

int swmsi_device_replace_pt(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t *pt_id)
{
	if (!pt_id)
		return -EINVAL;
	return device_change_pt(ctx, dev_id, *pt_id, device_do_replace, pt_id);
}

static void device_detach(struct swmsi_ctx *ctx, struct swmsi_device *dev)
{
	struct swmsi_group *group = dev->group;
	struct swmsi_hwpt *old = group->hwpt;

	swmsi__assert_locked(ctx);
	swmsi__device_resv_drop(ctx, dev);
	dev->attached = false;
	if (--group->attached)
		return;
	/* the group leaves with its last device; its required ids stay so
	 * the next attach installs them again */
	group->hwpt = NULL;
	group_leave_hwpt(ctx, group, old, 0);
}

int swmsi_device_detach(struct swmsi_ctx *ctx, uint32_t dev_id)
{
	struct swmsi_device *dev;
	int rc;

	if (!ctx)
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__device_get(ctx, dev_id, &dev);
	if (rc)
		goto out_unlock;
	/* upstream's iommufd_device_detach() returns early when the device
	 * has no attachment; NATIVE names the caller's bug */
	if (!dev->attached) {
		rc = ctx->scheme->upstream_core ? 0 : -EINVAL;
		goto out_unlock;
	}
	device_detach(ctx, dev);
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

static struct swmsi_group *group_new(struct swmsi_ctx *ctx, uint32_t num, uint64_t start,
				     uint64_t size)
{
	struct swmsi_group *group;

	swmsi__assert_locked(ctx);
	group = swmsi__calloc(ctx, 1, sizeof(*group));
	if (!group)
		return NULL;
	group->num = num;
	group->win_start = start;
	group->win_size = size;
	group->use_start = SWMSI_PHYS_NONE;
	TAILQ_INIT(&group->devs);
	return group;
}

/* A device and the records of what it reserves. */
static struct swmsi_device *device_new(struct swmsi_ctx *ctx, const struct swmsi_device_desc *desc,
				       int *rc)
{
	struct swmsi_device *dev;
	uint64_t start = desc->sw_msi_start, size = desc->sw_msi_size;

	swmsi__assert_locked(ctx);
	dev = swmsi__calloc(ctx, 1, sizeof(*dev));
	if (!dev) {
		*rc = -ENOMEM;
		return NULL;
	}
	*rc = swmsi__device_resv_bind(ctx, dev, desc, &start, &size);
	if (*rc) {
		free(dev);
		return NULL;
	}
	dev->rep_start = start;
	dev->rep_size = start == SWMSI_PHYS_NONE ? 0 : size;
	return dev;
}

int swmsi_device_bind(struct swmsi_ctx *ctx, const struct swmsi_device_desc *desc, uint32_t *dev_id)
{
	struct swmsi_group *group, *new_group = NULL;
	struct swmsi_census_entry *spare_win = NULL;
	struct swmsi_device *dev;
	uint64_t start, size;
	uint32_t id;
	int rc;

	if (!ctx || !desc || !dev_id)
		return -EINVAL;
	start = desc->sw_msi_start;
	size = start == SWMSI_PHYS_NONE ? 0 : desc->sw_msi_size;
	if (start != SWMSI_PHYS_NONE &&
	    (!size || !swmsi__page_aligned(ctx, start) || !swmsi__page_aligned(ctx, size) ||
	     swmsi__range_wraps(start, size)))
		return -EINVAL;
	/* the region list, in array order; a SW_MSI entry is the window */
	rc = swmsi__device_resv_bind(ctx, NULL, desc, &start, &size);
	if (rc)
		return rc;
	swmsi__lock(ctx);
	group = group_find(ctx, desc->group);
	rc = swmsi__group_window_bindable(ctx, group, start, size) ? swmsi__obj_reserve_id(ctx, &id)
								   : -EINVAL;
	if (rc)
		goto out_unlock;
	if (!group) {
		rc = swmsi__group_window_prealloc(ctx, start, size, &spare_win);
		if (rc)
			goto out_unlock;
		group = new_group = group_new(ctx, desc->group, start, size);
		if (!group) {
			rc = -ENOMEM;
			goto err_free_window;
		}
	}
	dev = device_new(ctx, desc, &rc);
	if (!dev)
		goto err_free_group;
	if (new_group) {
		RB_INSERT(swmsi__group_tree, &ctx->groups, new_group);
		swmsi__group_window_count(ctx, new_group, &spare_win);
	}
	dev->group = group;
	TAILQ_INSERT_TAIL(&group->devs, dev, group_link);
	group->devices++;
	swmsi__obj_publish(ctx, &dev->obj, id, SWMSI__TYPE_DEVICE);
	*dev_id = id;
	goto out_unlock;

err_free_group:
	free(new_group);
err_free_window:
	free(spare_win);
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

static void device_destroy(struct swmsi_ctx *ctx, struct swmsi_obj *obj)
{
	struct swmsi_device *dev = swmsi__to_device(obj);
	struct swmsi_group *group = dev->group;
	size_t h;

	swmsi__assert_locked(ctx);
	/* unpublished first: what a lock-free fire reads (the device, its
	 * vectors, its group) stays until it is gone */
	swmsi__obj_remove(ctx, &dev->obj);
	/* detach first, so freeing the vectors reclaims nothing twice */
	if (dev->attached)
		device_detach(ctx, dev);
	swmsi__bitmap_for_each_set(h, &dev->used)
		swmsi__vector_release(ctx, dev, (uint32_t)h);
	free(dev->vecs);
	free(dev->resv);
	if (dev->ovr_size)
		ctx->dev_overrides--;
	swmsi__bitmap_release(&dev->used);
	TAILQ_REMOVE(&group->devs, dev, group_link);
	if (--group->devices == 0) {
		RB_REMOVE(swmsi__group_tree, &ctx->groups, group);
		swmsi__group_window_uncount(ctx, group);
		swmsi__bitmap_release(&group->required);
		swmsi__idmap_release(&group->vecs);
		free(group);
	}
	free(dev);
}

const struct swmsi_obj_ops swmsi__device_ops = {
	.destroy = device_destroy,
	/* devices go away with swmsi_device_unbind() */
	.destroy_by_id = false,
	.teardown_pass = 0, /* a leaf: nothing uses a device */
};

int swmsi_device_unbind(struct swmsi_ctx *ctx, uint32_t dev_id)
{
	struct swmsi_device *dev;
	int rc;

	if (!ctx)
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__device_get(ctx, dev_id, &dev);
	if (!rc)
		swmsi__obj_destroy(ctx, &dev->obj);
	swmsi__unlock(ctx);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Introspection                                                       */

int swmsi_device_info(struct swmsi_ctx *ctx, uint32_t dev_id, struct swmsi_device_info *info)
{
	struct swmsi_device *dev;
	uint64_t start, size;
	int rc;

	if (!ctx || !info)
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__device_get(ctx, dev_id, &dev);
	if (rc)
		goto out_unlock;
	memset(info, 0, sizeof(*info));
	info->group = dev->group->num;
	if (swmsi__device_window(ctx, dev, &start, &size)) {
		info->sw_msi_start = start;
		info->sw_msi_size = size;
	} else {
		info->sw_msi_start = SWMSI_PHYS_NONE;
	}
	info->attached = dev->attached;
	info->hwpt_id = dev->group->hwpt ? dev->group->hwpt->obj.id : 0;
	info->vectors = dev->nvecs;
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_device_vector_list(struct swmsi_ctx *ctx, uint32_t dev_id, struct swmsi_vector_info *vecs,
			     size_t cap, size_t *count)
{
	struct swmsi_device *dev;
	size_t h, n = 0;
	int rc;

	if (!ctx || !count || (cap && !vecs))
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__device_get(ctx, dev_id, &dev);
	if (rc)
		goto out_unlock;
	swmsi__bitmap_for_each_set(h, &dev->used) {
		const struct swmsi_vector *v = &dev->vecs[h];

		if (n < cap) {
			memset(&vecs[n], 0, sizeof(vecs[n]));
			vecs[n].vec = (uint32_t)h;
			vecs[n].msi_addr = v->msi_addr;
			vecs[n].msg_addr = v->msg_addr;
			vecs[n].translated = v->translated;
			vecs[n].map_id = v->map ? v->map->id : 0;
		}
		n++;
	}
	*count = n;
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_device_required_map_list(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t *ids,
				   size_t cap, size_t *count)
{
	struct swmsi_device *dev;
	size_t id, n = 0;
	int rc;

	if (!ctx || !count || (cap && !ids))
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__device_get(ctx, dev_id, &dev);
	if (rc)
		goto out_unlock;
	swmsi__bitmap_for_each_set(id, &dev->group->required) {
		if (n < cap)
			ids[n] = (uint32_t)id;
		n++;
	}
	*count = n;
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}
