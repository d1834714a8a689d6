/* SPDX-License-Identifier: MIT */
/* What snapshot.c shares with snapshot_scope.c only. */
#ifndef SWMSI_TOOLS_SNAPSHOT_INT_H
#define SWMSI_TOOLS_SNAPSHOT_INT_H

#include "swmsi_snapshot.h"

/* snapshot_take_ids(), the lists read with one call each when the table
 * has at most about @hint entries (0: no hint, each list counted first). */
int snapshot__take_ids(struct swmsi_ctx *ctx, struct mock_iommu *mock, uint32_t *ids, size_t n,
		       unsigned int flags, size_t hint, struct snapshot *sn);

#endif /* SWMSI_TOOLS_SNAPSHOT_INT_H */
