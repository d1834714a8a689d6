/* SPDX-License-Identifier: MIT */
/*
 * Sums over every device that the table and domain invariants need, kept
 * up to date step by step instead of recounted from the whole context: how
 * many translated vectors use each MSI map, and how many translated
 * vectors of the groups on each paging HWPT use each map. A step takes
 * away what its touched devices gave before it and adds what they give
 * after; a snapshot of a touched device always holds its whole group.
 */
#include "check.h"

static void bump(struct sim *s, struct key_index *ix, uint64_t key, int sign)
{
	long v = key_index_find(ix, key);
	long n = (v < 0 ? 0 : v) + sign;

	if (n <= 0)
		key_index_del(ix, key);
	else if (key_index_set(ix, key, (uint32_t)n))
		s->oom = true;
}

/* The paging HWPT device @d sits on, directly or nested; 0: none. */
static uint32_t dev_paging(const struct snapshot *sn, const struct snapshot_dev *d)
{
	const struct snapshot_hwpt *h;

	if (!d->info.hwpt_id)
		return 0;
	h = snapshot_paging_of(sn, snapshot_hwpt(sn, d->info.hwpt_id));
	return h ? h->id : 0;
}

/*
 * Two passes, linear in @sn's devices: the paging HWPT of each group (the
 * first of its devices that sits on one), then each device's translated
 * vectors, counted for their map and for their group's HWPT.
 */
void sim_agg_apply(struct sim *s, const struct snapshot *sn, int sign)
{
	struct key_index on = { 0 }; /* group -> paging HWPT */
	size_t i, k;

	for (i = 0; i < sn->ndevs; i++) {
		const struct snapshot_dev *d = &sn->devs[i];
		uint32_t p = dev_paging(sn, d);

		if (p && key_index_find(&on, d->info.group) < 0 &&
		    key_index_set(&on, d->info.group, p))
			s->oom = true;
	}
	for (i = 0; i < sn->ndevs; i++) {
		const struct snapshot_dev *d = &sn->devs[i];
		long p = key_index_find(&on, d->info.group);

		for (k = 0; k < d->nvecs; k++) {
			if (!d->vecs[k].translated)
				continue;
			bump(s, &s->users, d->vecs[k].map_id, sign);
			if (p > 0)
				bump(s, &s->need, (uint64_t)p << 32 | d->vecs[k].map_id, sign);
		}
	}
	key_index_free(&on);
}

void sim_agg_rebuild(struct sim *s, const struct snapshot *sn)
{
	key_index_free(&s->users);
	key_index_free(&s->need);
	sim_agg_apply(s, sn, 1);
}

uint32_t sim_agg_users(const struct sim *s, uint32_t id)
{
	long v = key_index_find(&s->users, id);

	return v < 0 ? 0 : (uint32_t)v;
}

bool sim_agg_needed(const struct sim *s, uint32_t p, uint32_t id)
{
	return key_index_find(&s->need, (uint64_t)p << 32 | id) >= 0;
}

void sim_agg_free(struct sim *s)
{
	key_index_free(&s->users);
	key_index_free(&s->need);
}
