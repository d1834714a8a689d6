/* SPDX-License-Identifier: MIT */
/*
 * Indexes of one snapshot's MSI table for the invariant checks, built once
 * a check: which entries share an id, a page or a slot in their window, the
 * entry at a window's IOVA, the largest window seen at a start. Each costs
 * a sort of the table, where comparing every entry with every other (or
 * scanning the table per page of a domain) cost its square: a whole check
 * of 8,000 entries was 64 million comparisons.
 */
#ifndef SWMSI_SIM_TABLE_IX_H
#define SWMSI_SIM_TABLE_IX_H

#include "runner.h"

/* Two entries (indexes into sn->maps, i < k) that share something. */
enum sim_pair_kind {
	SIM_PAIR_ID,
	SIM_PAIR_PAGE,
	SIM_PAIR_SLOT
};

struct sim_pair_hit {
	size_t i, k;
	enum sim_pair_kind kind;
};

struct sim_table_ix {
	const struct snapshot *sn;
	size_t *by_iova;	   /* indexes into sn->maps by (window, iova, index) */
	struct sim_pair_hit *hits; /* by (i, k, kind): the order of a pairwise scan */
	size_t nhits, next;	   /* next: the first hit not yet reported */
	uint64_t *win;		   /* (start, size) pairs by start: the largest size */
	size_t nwin;
};

/* Build @ix for @sn (of @s, for its override windows). 0 or -ENOMEM. */
int sim_table_ix_build(const struct sim *s, const struct snapshot *sn, struct sim_table_ix *ix);
void sim_table_ix_free(struct sim_table_ix *ix);
/* The next pair hit whose first entry is @i, or NULL: asked with @i
 * ascending, each hit comes out once. */
const struct sim_pair_hit *sim_table_ix_hit(struct sim_table_ix *ix, size_t i);
/* The entry of window @ws at @iova (the last by id when several), or NULL. */
const struct swmsi_msi_map_info *sim_table_ix_at(const struct sim_table_ix *ix, uint64_t ws,
						 uint64_t iova);
/* sim_window_size() of @start, from the index. */
uint64_t sim_table_ix_window(const struct sim_table_ix *ix, uint64_t start);

#endif /* SWMSI_SIM_TABLE_IX_H */
