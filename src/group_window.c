/* SPDX-License-Identifier: MIT */
/*
 * The context's census of the windows bound groups report
 * (ctx->group_windows): bind checks a new group's window against these,
 * so its cost follows the few distinct windows of a platform, not the
 * number of groups. A group counts from the bind that creates it to the
 * unbind of its last device, by the window its devices report (the
 * context's override does not change what a group is bound with).
 */
#include "scheme.h"
#include "device_resv.h"

/* Two slot spaces over one range would put two doorbells at one IOVA. */
static bool window_conflicts(struct swmsi_ctx *ctx, uint64_t start, uint64_t size)
{
	swmsi__assert_locked(ctx);
	/* the distinct windows bound groups report: a handful, whatever the
	 * number of groups */
	if (swmsi__census_conflicts(&ctx->group_windows, start, size))
		return true;
	/* and over the entries an unbound device left (RECLAIM_NONE keeps them) */
	return swmsi__msi_spaces_conflict(ctx, start, size);
}

/* The context's override half-overlaps [start, +size) and is the window in
 * use of a bound device (one reporting a window, without its own override).
 * Devices are walked only when the ranges half-overlap: rare, a VMM's
 * mistake, so bind's usual cost stays that of the census. */
static bool context_window_conflicts(struct swmsi_ctx *ctx, uint64_t start, uint64_t size)
{
	struct swmsi_group *group;
	struct swmsi_device *dev;

	if (!ctx->win_override || (ctx->override_start == start && ctx->override_size == size) ||
	    !swmsi__ranges_overlap(ctx->override_start, ctx->override_size, start, size))
		return false;
	RB_FOREACH(group, swmsi__group_tree, &ctx->groups) {
		TAILQ_FOREACH(dev, &group->devs, group_link) {
			if (dev->rep_start != SWMSI_PHYS_NONE && !dev->ovr_size)
				return true;
		}
	}
	return false;
}

/* A bound device's group must report the same window; a new group's window
 * must not half-overlap another's. */
bool swmsi__group_window_bindable(struct swmsi_ctx *ctx, const struct swmsi_group *group,
				  uint64_t start, uint64_t size)
{
	swmsi__assert_locked(ctx);
	/* upstream binds any window: devices of one group may report
	 * different ones, windows of different devices may half-overlap
	 * (their doorbells may then share an IOVA) */
	if (!ctx->scheme->strict_windows)
		return true;
	if (start == SWMSI_PHYS_NONE)
		return !group || group->win_start == start;
	if (group && (group->win_start != start || group->win_size != size))
		return false;
	if (!group && window_conflicts(ctx, start, size))
		return false;
	/* nor a window in use that the context's override gives a device,
	 * nor, with that override set, a device's own override (without it
	 * the last check below compares this window with those) */
	if (!group && (context_window_conflicts(ctx, start, size) ||
		       (ctx->win_override && swmsi__device_overrides_conflict(ctx, start, size))))
		return false;
	/* the window it will use (the context's override applies) must not
	 * half-overlap another device's own override either */
	return ctx->win_override ? !swmsi__device_overrides_conflict(ctx, ctx->override_start,
								     ctx->override_size)
				 : !swmsi__device_overrides_conflict(ctx, start, size);
}

/* The record is allocated here, before anything is committed (*spare
 * stays NULL when the window is known or there is none). */
int swmsi__group_window_prealloc(struct swmsi_ctx *ctx, uint64_t start, uint64_t size,
				 struct swmsi_census_entry **spare)
{
	swmsi__assert_locked(ctx);
	*spare = NULL;
	if (start == SWMSI_PHYS_NONE)
		return 0;
	return swmsi__census_prealloc(ctx, &ctx->group_windows, start, size, spare);
}

void swmsi__group_window_count(struct swmsi_ctx *ctx, const struct swmsi_group *group,
			       struct swmsi_census_entry **spare)
{
	swmsi__assert_locked(ctx);
	if (group->win_start == SWMSI_PHYS_NONE)
		return;
	swmsi__census_get(&ctx->group_windows, group->win_start, group->win_size, spare);
}

void swmsi__group_window_uncount(struct swmsi_ctx *ctx, const struct swmsi_group *group)
{
	swmsi__assert_locked(ctx);
	if (group->win_start == SWMSI_PHYS_NONE)
		return;
	swmsi__census_put(&ctx->group_windows, group->win_start, group->win_size);
}
