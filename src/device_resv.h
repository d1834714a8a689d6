/* SPDX-License-Identifier: MIT */
/*
 * What devices reserve on an IOAS and which SW_MSI window each uses
 * (device_resv.c), and the census of bound groups' windows
 * (group_window.c): the layer above the objects, for device.c and msi.c.
 */
#ifndef SWMSI_DEVICE_RESV_H
#define SWMSI_DEVICE_RESV_H

#include "objects.h"

/* device_resv.c: what a device reserves while attached, and its window */
/* The window a device uses at its next attach: its own override, then
 * the context's, then the one it reports; none when it reports none. */
bool swmsi__device_window(const struct swmsi_ctx *ctx, const struct swmsi_device *dev,
			  uint64_t *start, uint64_t *size);
/* Bind: check @desc's regions (in array order) and copy what the device
 * reserves into @dev; *@win_start / *@win_size: the window it reports
 * (the sw_msi fields or its first SW_MSI entry; SWMSI_PHYS_NONE: none).
 * With @dev NULL it only checks. */
int swmsi__device_resv_bind(struct swmsi_ctx *ctx, struct swmsi_device *dev,
			    const struct swmsi_device_desc *desc, uint64_t *win_start,
			    uint64_t *win_size);
/* No mapping of @ioas meets what @dev would reserve there with this
 * window (@start SWMSI_PHYS_NONE: none): else -EADDRINUSE. */
int swmsi__device_resv_check(struct swmsi_ctx *ctx, struct swmsi_device *dev,
			     struct swmsi_ioas *ioas, uint64_t start, uint64_t size);
/* KERNEL, DMA_IOMMU: the same check as upstream's attach walks @dev's
 * regions (iopt_table_enforce_dev_resv_regions() with the group's
 * sw_msi_start): in array order, its window in use where it reports its
 * own (first, for the sw_msi fields); each SW_MSI region writes
 * *@gstart / *@gsize before it is checked; the first meeting a mapping of
 * @ioas stops it (-EADDRINUSE); then the refused combinations (-EINVAL).
 * What it wrote stays written whatever it returns. */
int swmsi__device_resv_walk(struct swmsi_ctx *ctx, struct swmsi_device *dev,
			    struct swmsi_ioas *ioas, uint64_t *gstart, uint64_t *gsize);
/* Reserve them on @ioas (after the check); cannot fail. */
void swmsi__device_resv_take(struct swmsi_ctx *ctx, struct swmsi_device *dev,
			     struct swmsi_ioas *ioas, uint64_t start, uint64_t size);
/* Release them from wherever they are; cannot fail. */
void swmsi__device_resv_drop(struct swmsi_ctx *ctx, struct swmsi_device *dev);
/* NATIVE: a device's own override (of a device that reports a window)
 * half-overlaps [start, +size): two slot spaces over one range. */
bool swmsi__device_overrides_conflict(struct swmsi_ctx *ctx, uint64_t start, uint64_t size);
/* A replace onto another IOAS: what @dev holds may move to @ioas
 * (-EADDRINUSE otherwise); then move it (cannot fail). */
int swmsi__device_resv_move_check(struct swmsi_ctx *ctx, struct swmsi_device *dev,
				  struct swmsi_ioas *ioas);
void swmsi__device_resv_move(struct swmsi_ctx *ctx, struct swmsi_device *dev,
			     struct swmsi_ioas *ioas);

/* group_window.c: the census ctx->group_windows of bound groups' windows */
/* A device of @group (NULL: a new group) may bind reporting this window
 * (start SWMSI_PHYS_NONE: none). */
bool swmsi__group_window_bindable(struct swmsi_ctx *ctx, const struct swmsi_group *group,
				  uint64_t start, uint64_t size);
/* Ahead of a new group's swmsi__group_window_count(). */
int swmsi__group_window_prealloc(struct swmsi_ctx *ctx, uint64_t start, uint64_t size,
				 struct swmsi_census_entry **spare);
/* A new group counts in its window's census (cannot fail); its last
 * device gone, it leaves. Window-less groups are not counted. */
void swmsi__group_window_count(struct swmsi_ctx *ctx, const struct swmsi_group *group,
			       struct swmsi_census_entry **spare);
void swmsi__group_window_uncount(struct swmsi_ctx *ctx, const struct swmsi_group *group);

#endif /* SWMSI_DEVICE_RESV_H */
