/* SPDX-License-Identifier: MIT */
/*
 * What a device reserves on the IOAS it is attached under (its reported
 * regions and its SW_MSI window in use, as iommufd_device_attach_reserved_iova()
 * does), and the per-device window override that decides that window
 * (the posted IOMMU_OPTION_SW_MSI_START/SIZE per device).
 */
#include <stdlib.h>

#include "scheme.h"
#include "device_resv.h"
#include "iopt.h"

#define MIB (UINT64_C(1) << 20)

/* The window in use of @dev with this override (size 0: none). */
static bool window_of(const struct swmsi_ctx *ctx, const struct swmsi_device *dev,
		      uint64_t ovr_start, uint64_t ovr_size, uint64_t *start, uint64_t *size)
{
	swmsi__assert_locked(ctx);
	/* a device reporting no SW_MSI region is not given one */
	if (dev->rep_start == SWMSI_PHYS_NONE)
		return false;
	if (ovr_size) {
		*start = ovr_start;
		*size = ovr_size;
	} else if (ctx->win_override) {
		*start = ctx->override_start;
		*size = ctx->override_size;
	} else {
		*start = dev->rep_start;
		*size = dev->rep_size;
	}
	return true;
}

bool swmsi__device_window(const struct swmsi_ctx *ctx, const struct swmsi_device *dev,
			  uint64_t *start, uint64_t *size)
{
	return window_of(ctx, dev, dev->ovr_start, dev->ovr_size, start, size);
}

/* One entry of a region list, as bind checks it. */
static int region_check(const struct swmsi_ctx *ctx, const struct swmsi_resv_region *r)
{
	if (!r->size || !swmsi__page_aligned(ctx, r->start) || !swmsi__page_aligned(ctx, r->size))
		return -EINVAL;
	if (swmsi__range_wraps(r->start, r->size))
		return -EOVERFLOW;
	if (r->type < SWMSI_RESV_DIRECT || r->type > SWMSI_RESV_SW_MSI)
		return -EOPNOTSUPP;
	return 0;
}

/* The list in array order, then the combinations; *nrec: the records the
 * device needs (its window's, then one per region it reserves: a second
 * SW_MSI entry included); *refused: a combination only attach refuses. */
static int regions_check(const struct swmsi_ctx *ctx, const struct swmsi_device_desc *desc,
			 uint64_t *win_start, uint64_t *win_size, uint32_t *nrec, bool *refused)
{
	bool has_msi = false;
	uint32_t i, sw_msi = 0;
	int rc;

	if (desc->nr_resv && !desc->resv)
		return -EINVAL;
	*nrec = 1;
	for (i = 0; i < desc->nr_resv; i++) {
		const struct swmsi_resv_region *r = &desc->resv[i];

		rc = region_check(ctx, r);
		if (rc)
			return rc;
		if (r->type == SWMSI_RESV_SW_MSI && !sw_msi++) {
			*win_start = r->start;
			*win_size = r->size;
		}
		has_msi |= r->type == SWMSI_RESV_MSI;
		if ((r->type != SWMSI_RESV_SW_MSI || sw_msi > 1) &&
		    r->type != SWMSI_RESV_DIRECT_RELAXABLE)
			(*nrec)++;
	}
	/* the window in the fields or in an entry, never both */
	if (sw_msi && desc->sw_msi_start != SWMSI_PHYS_NONE)
		return -EINVAL;
	/* the kernel refuses these only at attach; NATIVE says so at bind */
	*refused = sw_msi > 1 || (has_msi && *win_start != SWMSI_PHYS_NONE);
	return *refused && ctx->scheme->strict_windows ? -EINVAL : 0;
}

int swmsi__device_resv_bind(struct swmsi_ctx *ctx, struct swmsi_device *dev,
			    const struct swmsi_device_desc *desc, uint64_t *win_start,
			    uint64_t *win_size)
{
	uint32_t i, n, nrec, sw_msi = 0;
	bool refused;
	int rc;

	rc = regions_check(ctx, desc, win_start, win_size, &nrec, &refused);
	if (rc || !dev)
		return rc;
	swmsi__assert_locked(ctx);
	dev->resv = swmsi__calloc(ctx, nrec, sizeof(*dev->resv));
	if (!dev->resv)
		return -ENOMEM;
	dev->nresv = nrec;
	dev->resv_refused = refused;
	for (i = 0, n = 1; i < desc->nr_resv; i++) {
		const struct swmsi_resv_region *r = &desc->resv[i];

		/* the first SW_MSI entry is the window (resv[0], at attach),
		 * met after the n - 1 records before it */
		if (r->type == SWMSI_RESV_SW_MSI && !sw_msi++) {
			dev->win_pos = n - 1;
			continue;
		}
		if (r->type == SWMSI_RESV_DIRECT_RELAXABLE)
			continue;
		dev->resv[n].start = r->start;
		dev->resv[n].last = r->start + (r->size - 1);
		dev->resv[n].type = r->type;
		n++;
	}
	return 0;
}

int swmsi__device_resv_check(struct swmsi_ctx *ctx, struct swmsi_device *dev,
			     struct swmsi_ioas *ioas, uint64_t start, uint64_t size)
{
	bool has_win = start != SWMSI_PHYS_NONE;
	uint32_t i;

	swmsi__assert_locked(ctx);
	/* iopt_reserve_iova() answers -EADDRINUSE for a mapped or an allowed
	 * range too */
	if (has_win && swmsi__ioas_range_busy(ioas, start, start + (size - 1)))
		return -EADDRINUSE;
	for (i = 1; i < dev->nresv; i++) {
		const struct swmsi_resv *r = &dev->resv[i];

		if (swmsi__ioas_range_busy(ioas, r->start, r->last))
			return -EADDRINUSE;
	}
	/* upstream checks the combination once every region is reserved */
	return dev->resv_refused ? -EINVAL : 0;
}

/* One region of upstream's walk: a SW_MSI one writes the group's start
 * first; then -EADDRINUSE when it meets a mapping or an allowed range of
 * @ioas. */
static int walk_one(struct swmsi_ioas *ioas, uint64_t start, uint64_t last,
		    enum swmsi_resv_type type, uint64_t *gstart, uint64_t *gsize)
{
	if (type == SWMSI_RESV_SW_MSI) {
		*gstart = start;
		*gsize = last - start + 1;
	}
	/* iopt_reserve_iova(): a mapped or an allowed range */
	return swmsi__ioas_range_busy(ioas, start, last) ? -EADDRINUSE : 0;
}

int swmsi__device_resv_walk(struct swmsi_ctx *ctx, struct swmsi_device *dev,
			    struct swmsi_ioas *ioas, uint64_t *gstart, uint64_t *gsize)
{
	uint64_t start = 0, size = 0;
	bool has_win = swmsi__device_window(ctx, dev, &start, &size);
	uint32_t i;
	int rc;

	swmsi__assert_locked(ctx);
	/* resv[1..] in array order, the window met after win_pos of them */
	for (i = 0; i < dev->nresv; i++) {
		if (has_win && i == dev->win_pos) {
			rc = walk_one(ioas, start, start + (size - 1), SWMSI_RESV_SW_MSI, gstart,
				      gsize);
			if (rc)
				return rc;
		}
		if (i + 1 < dev->nresv) {
			const struct swmsi_resv *r = &dev->resv[i + 1];

			rc = walk_one(ioas, r->start, r->last, r->type, gstart, gsize);
			if (rc)
				return rc;
		}
	}
	/* the combination is checked once every region is reserved */
	return dev->resv_refused ? -EINVAL : 0;
}

void swmsi__device_resv_take(struct swmsi_ctx *ctx, struct swmsi_device *dev,
			     struct swmsi_ioas *ioas, uint64_t start, uint64_t size)
{
	bool has_win = start != SWMSI_PHYS_NONE;
	uint32_t i;

	swmsi__assert_locked(ctx);
	assert(!dev->resv_ioas);
	dev->resv_win = has_win;
	if (has_win) {
		dev->resv[0].start = start;
		dev->resv[0].last = start + (size - 1);
		dev->resv[0].type = SWMSI_RESV_SW_MSI;
	}
	for (i = has_win ? 0 : 1; i < dev->nresv; i++) {
		dev->resv[i].owner = dev->obj.id;
		swmsi__resv_insert(&ioas->resv, &dev->resv[i]);
	}
	dev->resv_ioas = ioas;
}

void swmsi__device_resv_drop(struct swmsi_ctx *ctx, struct swmsi_device *dev)
{
	uint32_t i;

	swmsi__assert_locked(ctx);
	if (!dev->resv_ioas)
		return;
	for (i = dev->resv_win ? 0 : 1; i < dev->nresv; i++)
		swmsi__resv_remove(&dev->resv_ioas->resv, &dev->resv[i]);
	/* resv_win and resv[0] stay: a device still attached after a failed
	 * same-IOAS replace (which drops its ranges, as upstream) reserves
	 * them again when its group moves to another IOAS */
	dev->resv_ioas = NULL;
}

void swmsi__device_resv_move(struct swmsi_ctx *ctx, struct swmsi_device *dev,
			     struct swmsi_ioas *ioas)
{
	uint64_t start = dev->resv_win ? dev->resv[0].start : SWMSI_PHYS_NONE;
	uint64_t size = dev->resv[0].last - dev->resv[0].start + 1;

	swmsi__device_resv_drop(ctx, dev);
	swmsi__device_resv_take(ctx, dev, ioas, start, size);
}

int swmsi__device_resv_move_check(struct swmsi_ctx *ctx, struct swmsi_device *dev,
				  struct swmsi_ioas *ioas)
{
	return swmsi__device_resv_check(ctx, dev, ioas,
					dev->resv_win ? dev->resv[0].start : SWMSI_PHYS_NONE,
					dev->resv[0].last - dev->resv[0].start + 1);
}

/* ------------------------------------------------------------------ */
/* The per-device window override                                      */

/* Another bound device's window in use, or the slot space of entries an
 * unbound device left, half-overlaps [start, +size). */
static bool window_conflicts(struct swmsi_ctx *ctx, const struct swmsi_device *self, uint64_t start,
			     uint64_t size)
{
	struct swmsi_group *group;
	struct swmsi_device *dev;
	uint64_t s, z;

	swmsi__assert_locked(ctx);
	if (swmsi__msi_spaces_conflict(ctx, start, size))
		return true;
	RB_FOREACH(group, swmsi__group_tree, &ctx->groups) {
		TAILQ_FOREACH(dev, &group->devs, group_link) {
			if (dev != self && swmsi__device_window(ctx, dev, &s, &z) &&
			    (s != start || z != size) && swmsi__ranges_overlap(s, z, start, size))
				return true;
		}
	}
	return false;
}

bool swmsi__device_overrides_conflict(struct swmsi_ctx *ctx, uint64_t start, uint64_t size)
{
	struct swmsi_group *group;
	struct swmsi_device *dev;

	swmsi__assert_locked(ctx);
	if (!ctx->dev_overrides || !ctx->scheme->strict_windows)
		return false;
	RB_FOREACH(group, swmsi__group_tree, &ctx->groups) {
		if (group->win_start == SWMSI_PHYS_NONE)
			continue;
		TAILQ_FOREACH(dev, &group->devs, group_link) {
			if (dev->ovr_size && (dev->ovr_start != start || dev->ovr_size != size) &&
			    swmsi__ranges_overlap(dev->ovr_start, dev->ovr_size, start, size))
				return true;
		}
	}
	return false;
}

/* A vector of @dev went through its window in use. */
static bool has_translated(const struct swmsi_device *dev)
{
	size_t h;

	swmsi__bitmap_for_each_set(h, &dev->used) {
		if (dev->vecs[h].translated)
			return true;
	}
	return false;
}

/* The posted patch's checks on a new override [start, +size), size > 0. */
static int window_check(struct swmsi_ctx *ctx, struct swmsi_device *dev, uint64_t start,
			uint64_t size)
{
	uint64_t span = size > MIB ? size : MIB;
	uint32_t i;

	if (start % MIB || size % MIB)
		return -EINVAL;
	if (swmsi__range_wraps(start, span))
		return -EOVERFLOW;
	/* its records but the window's are the regions it reserves (no
	 * DIRECT_RELAXABLE); a second SW_MSI region does not count either */
	for (i = 1; i < dev->nresv; i++) {
		const struct swmsi_resv *r = &dev->resv[i];

		if (r->type != SWMSI_RESV_SW_MSI &&
		    swmsi__ranges_overlap(start, size, r->start, r->last - r->start + 1))
			return -EADDRINUSE;
	}
	if (ctx->scheme->strict_windows && window_conflicts(ctx, dev, start, size))
		return -EINVAL;
	return 0;
}

/* Under NATIVE a changed window in use would strand translated vectors. */
static int window_strands(struct swmsi_ctx *ctx, struct swmsi_device *dev, uint64_t start,
			  uint64_t size)
{
	uint64_t old_start = 0, old_size = 0, new_start = 0, new_size = 0;
	bool had, has;

	if (!ctx->scheme->strict_windows || !has_translated(dev))
		return 0;
	had = swmsi__device_window(ctx, dev, &old_start, &old_size);
	has = window_of(ctx, dev, start, size, &new_start, &new_size);
	return had != has || old_start != new_start || old_size != new_size ? -EBUSY : 0;
}

int swmsi_device_set_sw_msi_window(struct swmsi_ctx *ctx, uint32_t dev_id, uint64_t start,
				   uint64_t size)
{
	struct swmsi_device *dev;
	int rc;

	if (!ctx)
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__device_get(ctx, dev_id, &dev);
	if (rc)
		goto out_unlock;
	/* the posted ABI answers EBUSY while attached */
	rc = dev->attached ? -EBUSY : 0;
	if (!rc && size)
		rc = window_check(ctx, dev, start, size);
	if (!rc)
		rc = window_strands(ctx, dev, size ? start : 0, size);
	if (!rc) {
		ctx->dev_overrides += (size != 0) - (dev->ovr_size != 0);
		dev->ovr_start = size ? start : 0;
		dev->ovr_size = size;
	}
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_device_get_sw_msi_window(struct swmsi_ctx *ctx, uint32_t dev_id, uint64_t *start,
				   uint64_t *size)
{
	struct swmsi_device *dev;
	int rc;

	if (!ctx || !start || !size)
		return -EINVAL;
	swmsi__lock(ctx);
	rc = swmsi__device_get(ctx, dev_id, &dev);
	if (!rc) {
		*start = dev->ovr_size ? dev->ovr_start : SWMSI_PHYS_NONE;
		*size = dev->ovr_size;
	}
	swmsi__unlock(ctx);
	return rc;
}
