/* SPDX-License-Identifier: MIT */
/*
 * The global schemes' shared steps (scheme_global.c). NATIVE and KERNEL
 * give a doorbell page one IOVA for the whole context, kept in the MSI
 * table (msi_table.h), and install a group's pages in a domain before the
 * group moves there; they differ in how a new entry is numbered and in
 * what a failure leaves (scheme_native.c, scheme_kernel.c). "Global" names
 * these steps, "table" the structure they use.
 */
#ifndef SWMSI_SCHEME_GLOBAL_H
#define SWMSI_SCHEME_GLOBAL_H

#include "scheme.h"

/* How a global scheme numbers the doorbell pages new to the table. */
struct swmsi_global_entries {
	/* prepare req->nm: an entry with the id and slot the scheme chooses
	 * for req->page in its window (an error: nothing prepared) */
	int (*create)(struct swmsi_ctx *ctx, struct swmsi_msi_req *req);
	/* optional: the error for a hit the scheme refuses, or 0 */
	int (*check_hit)(const struct swmsi_ctx *ctx, const struct swmsi_msi_req *req);
};

/*
 * msi_reserve of a global scheme: the allow-list, then the page's entry
 * (found, or prepared through @entries->create), then room for a vector
 * on it and its IOVA in req->iova. On failure nothing is left prepared;
 * on success nothing after it allocates.
 */
int swmsi__global_msi_reserve(struct swmsi_ctx *ctx, struct swmsi_msi_req *req,
			      const struct swmsi_global_entries *entries);
int swmsi__global_msi_install(struct swmsi_ctx *ctx, struct swmsi_msi_req *req);
void swmsi__global_msi_commit(struct swmsi_ctx *ctx, struct swmsi_msi_req *req,
			      struct swmsi_vector *v);
void swmsi__global_msi_abort(struct swmsi_ctx *ctx, struct swmsi_msi_req *req);
void swmsi__global_msi_release(struct swmsi_ctx *ctx, struct swmsi_group *group,
			       struct swmsi_vector *v);
/* Install the group's required pages in mv->paging (@in_id_order:
 * ascending map ids, as upstream's sw_msi_list; else in the group's own
 * order, O(its ids) whatever the id space); on failure the pages this
 * call installed stay listed in mv->fresh for the scheme to judge. */
int swmsi__global_group_install_pages(struct swmsi_ctx *ctx, struct swmsi_group_move *mv,
				      bool in_id_order);
/* @paging holds every page @group requires, known in O(1): its stamp is
 * one the group recorded (swmsi_group.holds), and since then the domain
 * lost no page (its stamp would have changed) and the group required no
 * new one (it would have cleared what it recorded). */
static inline bool swmsi__global_group_held(const struct swmsi_group *group,
					    const struct swmsi_hwpt_paging *paging)
{
	return paging->stamp == group->holds[0] || paging->stamp == group->holds[1];
}
void swmsi__global_group_commit(struct swmsi_ctx *ctx, struct swmsi_group_move *mv);
void swmsi__global_group_leave(struct swmsi_ctx *ctx, struct swmsi_group *group,
			       struct swmsi_hwpt_paging *paging);
void swmsi__global_hwpt_destroy(struct swmsi_ctx *ctx, struct swmsi_hwpt_paging *paging);

#endif /* SWMSI_SCHEME_GLOBAL_H */
