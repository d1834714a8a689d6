/* SPDX-License-Identifier: MIT */
/*
 * Devices and their iommu groups: bind, attach, replace, detach. A group
 * sits on one HWPT at a time and keeps the set of MSI map ids it requires;
 * attach and replace install that set into the target domain before the
 * group moves (iommufd_group_setup_msi()), then commit, then reclaim from
 * the old domain. Every fallible step comes before the commit.
 */
#include <stdlib.h>
#include <string.h>

#include "swmsi_private.h"

int swmsi__group_cmp(const struct swmsi_group *a, const struct swmsi_group *b)
{
	return a->num < b->num ? -1 : a->num > b->num;
}

RB_GENERATE(swmsi_group_tree, swmsi_group, node, swmsi__group_cmp)

static struct swmsi_group *group_find(struct swmsi_ctx *ctx, uint32_t num)
{
	struct swmsi_group key = { .num = num };

	return RB_FIND(swmsi_group_tree, &ctx->groups, &key);
}

bool swmsi__group_window(const struct swmsi_ctx *ctx, const struct swmsi_group *group,
			 uint64_t *start, uint64_t *size)
{
	if (group->win_start == SWMSI_PHYS_NONE)
		return false;
	/* IOMMU_OPTION_SW_MSI_START/SIZE replaces what the driver reports */
	*start = ctx->win_override ? ctx->win_start : group->win_start;
	*size = ctx->win_override ? ctx->win_size : group->win_size;
	return true;
}

/* Drop one group's need of @id on @paging. */
static void need_put(struct swmsi_hwpt *paging, uint32_t id)
{
	uint32_t *need = swmsi__idmap_find(&paging->need, id);

	assert(need && *need);
	if (--*need == 0)
		swmsi__idmap_remove(&paging->need, id);
}

void swmsi__group_unrequire(struct swmsi_ctx *ctx, struct swmsi_group *group, uint32_t id)
{
	struct swmsi_hwpt *paging;

	assert_locked(ctx);
	swmsi__bitmap_clear(&group->required, id);
	if (!group->hwpt)
		return;
	paging = hwpt_paging(group->hwpt);
	need_put(paging, id);
	swmsi__hwpt_reclaim_id(ctx, paging, id);
}

/* Resolve an attach/replace target: a HWPT, or an IOAS's automatic HWPT
 * (*hwptp NULL when it must be created). */
static int resolve_pt(struct swmsi_ctx *ctx, uint32_t pt_id, struct swmsi_hwpt **hwptp,
		      struct swmsi_ioas **ioasp)
{
	struct swmsi_obj *obj;
	int rc;

	rc = swmsi__obj_get(ctx, pt_id, SWMSI_TYPE_ANY, &obj);
	if (rc)
		return rc;
	switch (obj->type) {
	case SWMSI_TYPE_IOAS:
		*ioasp = to_ioas(obj);
		*hwptp = (*ioasp)->auto_hwpt;
		return 0;
	case SWMSI_TYPE_HWPT_PAGING:
	case SWMSI_TYPE_HWPT_NESTED:
		*hwptp = to_hwpt(obj);
		*ioasp = (*hwptp)->ioas;
		return 0;
	default:
		/* several kinds are accepted here, so a wrong one is -EINVAL */
		return -EINVAL;
	}
}

/* The group leaves @old: drop its needs there and reclaim what nobody
 * else needs. Cannot fail. */
static void group_leave_hwpt(struct swmsi_ctx *ctx, struct swmsi_group *group,
			     struct swmsi_hwpt *old)
{
	struct swmsi_hwpt *paging = hwpt_paging(old);
	uint64_t start, size;
	uint32_t id;
	size_t pos;

	old->groups--;
	/* pairs with the users++ in group_move() */
	old->obj.users--;
	idmap_for_each(pos, id, &group->vecs)
		need_put(paging, id);
	if (swmsi__group_window(ctx, group, &start, &size))
		swmsi__ioas_resv_put(ctx, old->ioas, start, size);
	idmap_for_each(pos, id, &group->vecs)
		swmsi__hwpt_reclaim_id(ctx, paging, id);
	/* an automatic HWPT lives only while a group sits on it */
	if (old->is_auto && !old->obj.users)
		swmsi__hwpt_destroy(ctx, old);
}

/*
 * Move @group from where it is (NULL: detached) to @to, or to the automatic
 * HWPT of @ioas when @to is NULL. All or nothing, and in time proportional
 * to the ids the group requires, not to the table.
 */
static int group_move(struct swmsi_ctx *ctx, struct swmsi_group *group, struct swmsi_hwpt *to,
		      struct swmsi_ioas *ioas)
{
	struct swmsi_hwpt *old = group->hwpt, *paging;
	size_t nreq = group->vecs.count, nfresh = 0, top = 0, pos, i;
	uint32_t saved_next_id = ctx->next_id, id, *fresh = NULL;
	struct swmsi_resv *spare = NULL;
	bool created = false, has_win;
	uint64_t start = 0, size = 0;
	int rc;

	assert_locked(ctx);
	has_win = swmsi__group_window(ctx, group, &start, &size);
	if (has_win) {
		rc = swmsi__ioas_resv_check(ctx, ioas, start, size);
		if (rc)
			return rc;
		rc = swmsi__ioas_resv_prealloc(ctx, &spare);
		if (rc)
			return rc;
	}
	/* which pages this call maps, so a failure unmaps exactly those */
	if (nreq) {
		fresh = swmsi__calloc(ctx, nreq, sizeof(*fresh));
		if (!fresh) {
			rc = -ENOMEM;
			goto err_free_spare;
		}
	}
	if (!to) {
		rc = swmsi__hwpt_paging_create(ctx, ioas, 0, true, &to);
		if (rc)
			goto err_free_fresh;
		created = true;
	}
	paging = hwpt_paging(to);
	/* the highest id the group requires, from its id map: O(ids required),
	 * where the required bitmap's span would scan words it no longer uses */
	idmap_for_each(pos, id, &group->vecs)
		top = id + 1 > top ? id + 1 : top;
	rc = swmsi__bitmap_reserve_capped(ctx, &paging->present, top, ctx->max_msi_maps);
	if (rc)
		goto err_destroy_auto;
	rc = swmsi__idmap_reserve(ctx, &paging->need, paging->need.count + nreq);
	if (rc)
		goto err_destroy_auto;

	/* install every page the group requires before it moves */
	idmap_for_each(pos, id, &group->vecs) {
		struct swmsi_msi_map *map = swmsi__msi_map_by_id(ctx, id);

		assert(map);
		if (swmsi__bitmap_test(&paging->present, id))
			continue;
		rc = swmsi__hwpt_install_msi(ctx, paging, map);
		if (rc)
			goto err_uninstall;
		assert(fresh && nfresh < nreq);
		fresh[nfresh++] = id;
	}

	/* commit: nothing below can fail. The new place's needs are counted
	 * before the old place's go, so a move between a nested HWPT and its
	 * parent never sees a page unneeded. */
	idmap_for_each(pos, id, &group->vecs)
		(*swmsi__idmap_slot(&paging->need, id))++;
	group->hwpt = to;
	to->groups++;
	/* pairs with the users-- in group_leave_hwpt() */
	to->obj.users++;
	if (has_win)
		swmsi__ioas_resv_get(ctx, ioas, start, size, &spare);
	if (old)
		group_leave_hwpt(ctx, group, old);
	free(fresh);
	free(spare);
	return 0;

err_uninstall:
	for (i = 0; i < nfresh; i++) {
		if (swmsi__hwpt_uninstall_msi(ctx, paging, swmsi__msi_map_by_id(ctx, fresh[i]))) {
			/* a rolled-back install never happened */
			ctx->msi_installs--;
			ctx->msi_uninstalls--;
		}
	}
err_destroy_auto:
	if (created) {
		swmsi__hwpt_destroy(ctx, to);
		/* the id it took is given back: a failed call changes nothing */
		ctx->next_id = saved_next_id;
	}
err_free_fresh:
	free(fresh);
err_free_spare:
	free(spare);
	return rc;
}

int swmsi__device_get(struct swmsi_ctx *ctx, uint32_t id, struct swmsi_device **devp)
{
	struct swmsi_obj *obj;
	int rc = swmsi__obj_get(ctx, id, SWMSI_TYPE_DEVICE, &obj);

	if (!rc)
		*devp = to_device(obj);
	return rc;
}

/* The target is where the group already sits (directly or as an IOAS's
 * automatic HWPT). */
static bool target_is_current(struct swmsi_group *group, struct swmsi_hwpt *to)
{
	return to && group->hwpt == to;
}

/* The ids of attach and replace, in argument order. */
static int get_attach_args(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t pt_id,
			   struct swmsi_device **devp, struct swmsi_hwpt **top,
			   struct swmsi_ioas **ioasp)
{
	int rc = swmsi__device_get(ctx, dev_id, devp);

	if (rc)
		return rc;
	return resolve_pt(ctx, pt_id, top, ioasp);
}

int swmsi_device_attach(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t pt_id)
{
	struct swmsi_device *dev;
	struct swmsi_hwpt *to;
	struct swmsi_ioas *ioas;
	int rc;

	if (!ctx)
		return -EINVAL;
	swmsi__lock(ctx);
	rc = get_attach_args(ctx, dev_id, pt_id, &dev, &to, &ioas);
	if (rc)
		goto out_unlock;
	if (dev->attached) {
		rc = -EINVAL;
		goto out_unlock;
	}
	if (dev->group->hwpt) {
		/* the group joined with an earlier device: follow it there */
		if (!target_is_current(dev->group, to)) {
			rc = -EINVAL;
			goto out_unlock;
		}
	} else {
		rc = group_move(ctx, dev->group, to, ioas);
		if (rc)
			goto out_unlock;
	}
	dev->attached = true;
	dev->group->attached++;
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_device_replace(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t pt_id)
{
	struct swmsi_device *dev;
	struct swmsi_hwpt *to;
	struct swmsi_ioas *ioas;
	int rc;

	if (!ctx)
		return -EINVAL;
	swmsi__lock(ctx);
	rc = get_attach_args(ctx, dev_id, pt_id, &dev, &to, &ioas);
	if (rc)
		goto out_unlock;
	if (!dev->attached) {
		rc = -EINVAL;
		goto out_unlock;
	}
	if (target_is_current(dev->group, to))
		goto out_unlock;
	/* the whole group moves; its devices stay attached */
	rc = group_move(ctx, dev->group, to, ioas);
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

static void device_detach(struct swmsi_ctx *ctx, struct swmsi_device *dev)
{
	struct swmsi_group *group = dev->group;
	struct swmsi_hwpt *old = group->hwpt;

	dev->attached = false;
	if (--group->attached)
		return;
	/* the group leaves with its last device; its required ids stay so
	 * the next attach installs them again */
	group->hwpt = NULL;
	group_leave_hwpt(ctx, group, old);
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
	if (!dev->attached) {
		rc = -EINVAL;
		goto out_unlock;
	}
	device_detach(ctx, dev);
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

/* Two slot spaces over one range would put two doorbells at one IOVA. */
static bool window_conflicts(struct swmsi_ctx *ctx, uint64_t start, uint64_t size)
{
	struct swmsi_group *g;

	RB_FOREACH(g, swmsi_group_tree, &ctx->groups) {
		if (g->win_start == SWMSI_PHYS_NONE || (g->win_start == start && g->win_size == size))
			continue;
		if (ranges_overlap(start, size, g->win_start, g->win_size))
			return true;
	}
	/* and over the entries an unbound device left (RECLAIM_NONE keeps them) */
	return swmsi__msi_windows_conflict(ctx, start, size);
}

int swmsi_device_bind(struct swmsi_ctx *ctx, const struct swmsi_device_desc *desc,
		      uint32_t *dev_id)
{
	struct swmsi_group *group, *new_group = NULL;
	struct swmsi_device *dev;
	uint64_t start, size;
	uint32_t id;
	int rc;

	if (!ctx || !desc || !dev_id)
		return -EINVAL;
	start = desc->sw_msi_start;
	size = start == SWMSI_PHYS_NONE ? 0 : desc->sw_msi_size;
	if (start != SWMSI_PHYS_NONE &&
	    (!size || !page_aligned(ctx, start) || !page_aligned(ctx, size) ||
	     range_wraps(start, size)))
		return -EINVAL;
	swmsi__lock(ctx);
	group = group_find(ctx, desc->group);
	if (group ? group->win_start != start || group->win_size != size
		  : start != SWMSI_PHYS_NONE && window_conflicts(ctx, start, size)) {
		rc = -EINVAL;
		goto out_unlock;
	}
	rc = swmsi__obj_reserve_id(ctx, &id);
	if (rc)
		goto out_unlock;
	if (!group) {
		new_group = swmsi__calloc(ctx, 1, sizeof(*new_group));
		if (!new_group) {
			rc = -ENOMEM;
			goto out_unlock;
		}
		new_group->num = desc->group;
		new_group->win_start = start;
		new_group->win_size = size;
		group = new_group;
	}
	dev = swmsi__calloc(ctx, 1, sizeof(*dev));
	if (!dev) {
		rc = -ENOMEM;
		goto err_free_group;
	}
	if (new_group)
		RB_INSERT(swmsi_group_tree, &ctx->groups, new_group);
	dev->group = group;
	group->devices++;
	swmsi__obj_publish(ctx, &dev->obj, id, SWMSI_TYPE_DEVICE);
	*dev_id = id;
	goto out_unlock;

err_free_group:
	free(new_group);
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

void swmsi__device_destroy(struct swmsi_ctx *ctx, struct swmsi_device *dev)
{
	struct swmsi_group *group = dev->group;
	size_t h;

	assert_locked(ctx);
	/* detach first, so freeing the vectors reclaims nothing twice */
	if (dev->attached)
		device_detach(ctx, dev);
	for (h = swmsi__bitmap_next_set(&dev->used, 0); h != SIZE_MAX;
	     h = swmsi__bitmap_next_set(&dev->used, h + 1))
		swmsi__vector_release(ctx, dev, (uint32_t)h);
	free(dev->vecs);
	swmsi__bitmap_release(&dev->used);
	if (--group->devices == 0) {
		RB_REMOVE(swmsi_group_tree, &ctx->groups, group);
		swmsi__bitmap_release(&group->required);
		swmsi__idmap_release(&group->vecs);
		free(group);
	}
	swmsi__obj_remove(ctx, &dev->obj);
	free(dev);
}

int swmsi_device_unbind(struct swmsi_ctx *ctx, uint32_t dev_id)
{
	struct swmsi_device *dev;
	int rc;

	if (!ctx)
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__device_get(ctx, dev_id, &dev);
	if (!rc)
		swmsi__device_destroy(ctx, dev);
	swmsi__unlock(ctx);
	return rc;
}
