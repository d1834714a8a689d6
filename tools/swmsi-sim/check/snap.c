/* SPDX-License-Identifier: MIT */
/*
 * Snapshots of everything a scenario can observe (the shared module
 * tools/snapshot), and what the checks read of them. Only the public API and the mock's
 * inspection API are used: the simulator checks the library from outside,
 * as a VMM would see it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/*
 * Copy the observable state through the shared snapshot module; before the
 * context exists there is nothing to see.
 */
int sim_snap_take(struct sim *s, struct snapshot *sn)
{
	memset(sn, 0, sizeof(*sn));
	if (!s->ctx)
		return 0;
	return snapshot_take(s->ctx, s->mock, sn);
}

const char *sim_snap_diff(const struct snapshot *a, const struct snapshot *b, char *buf, size_t len)
{
	struct snapshot_delta d;

	if (!snapshot_diff(a, b, SNAPSHOT_RESTORED, &d))
		return NULL;
	if (d.id)
		snprintf(buf, len, "%s of id %" PRIu32 ": 0x%" PRIx64 " -> 0x%" PRIx64, d.what,
			 d.id, d.before, d.after);
	else
		snprintf(buf, len, "%s: 0x%" PRIx64 " -> 0x%" PRIx64, d.what, d.before, d.after);
	return buf;
}

/* ---------------------------------------------------------------------- */
/* Invariants                                                             */

/*
 * Entries are keyed by window start alone, and under reclaim none they
 * outlive their groups: a later window with the same start may be smaller
 * than the one an entry was made in. The largest window ever seen at that
 * start is the one every entry's slot must fit.
 */
uint64_t sim_window_size(const struct sim *s, const struct snapshot *sn, uint64_t start)
{
	uint64_t size = 0;
	size_t i;

	for (i = 0; sn && i < sn->ndevs; i++)
		if (sn->devs[i].info.sw_msi_start == start && sn->devs[i].info.sw_msi_size > size)
			size = sn->devs[i].info.sw_msi_size;
	for (i = 0; i < s->nwindows; i++)
		if (s->windows[i].start == start && s->windows[i].size > size)
			size = s->windows[i].size;
	return size;
}

const struct swmsi_vector_info *sim_snap_vec(const struct snapshot *sn, uint32_t dev,
					     uint32_t handle)
{
	const struct snapshot_dev *d = snapshot_dev(sn, dev);
	size_t i;

	for (i = 0; d && i < d->nvecs; i++)
		if (d->vecs[i].vec == handle)
			return &d->vecs[i];
	return NULL;
}

int sim_snap_take_ids(struct sim *s, uint32_t *ids, size_t n, bool counters,
		      const struct snapshot_scope *sc, struct snapshot *sn)
{
	memset(sn, 0, sizeof(*sn));
	if (!s->ctx)
		return 0;
	return snapshot_take_scoped(s->ctx, s->mock, ids, n, counters ? SNAPSHOT_COUNTERS : 0, sc,
				    sn);
}
