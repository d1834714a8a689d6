/* SPDX-License-Identifier: MIT */
/* What snapshot.c shares with snapshot_scope.c only. */
#ifndef SWMSI_TOOLS_SNAPSHOT_INT_H
#define SWMSI_TOOLS_SNAPSHOT_INT_H

#include "swmsi_snapshot.h"

/* snapshot__take_ids() flag: neither the MSI table nor the HWPTs' present
 * ids (snapshot_take_scoped() looks up the entries it keeps instead). */
#define SNAPSHOT__NO_TABLE (1u << 30)

/* snapshot_take_ids() with internal flags (SNAPSHOT__NO_TABLE). */
int snapshot__take_ids(struct swmsi_ctx *ctx, struct mock_iommu *mock, uint32_t *ids, size_t n,
		       unsigned int flags, struct snapshot *sn);

#endif /* SWMSI_TOOLS_SNAPSHOT_INT_H */
