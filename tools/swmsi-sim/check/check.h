/* SPDX-License-Identifier: MIT */
/*
 * swmsi-sim's checks (check/): the run's snapshots of the library's state,
 * the invariants over them (the MSI table's, the dma-iommu cookies', each
 * vector's fate), what a step touched and the sums kept across steps, and
 * the broken invariants as violations or findings once. The engine calls
 * them after each step; they read the state below and call nothing above.
 */
#ifndef SWMSI_SIM_CHECK_H
#define SWMSI_SIM_CHECK_H

#include "state.h"

/* A broken invariant. */
struct sim_violation {
	const char *inv; /* its short name, "slot-in-window" */
	bool finding;	 /* reported, not failing (a scheme known to break it) */
	/* What it is about (sim_about(): a device, HWPT or MSI map), so that a
	 * later step that checks it again knows whether it still holds; 0: an
	 * event of its step (a failed call that changed state, a misuse). */
	uint64_t about;
	unsigned int since; /* resolved ones: the line of the step it started at */
	char msg[512];
};

/*
 * A vector whose outcome a step changed: where its write went before and
 * where it goes after (fate.c). Only vectors of attached groups with a
 * window have a fate (a detached group's DMA is blocked by design).
 */
struct sim_fate_rec {
	const char *device, *vector; /* the scenario's names */
	int fate;		     /* enum sim_fate (state.h) */
	int was;		     /* enum sim_fate, or -1: it had none */
	uint64_t msg_addr;	     /* what the device writes */
	bool has_landed;	     /* not lost: */
	uint64_t landed;	     /* where the write lands */
	int rc;			     /* lost: swmsi_msi_fire()'s error */
	char reason[160];	     /* "does not translate in s1bad" */
};

/* touch.c */
/* Start the step's list of touched objects afresh, or (@keep) walk again
 * from what it holds. */
void sim_touch_begin(struct sim *s, bool keep);
/* Learn a group's devices, an IOAS's HWPTs, a serial's HWPT from @sn. */
void sim_touch_learn(struct sim *s, const struct snapshot *sn);
/* Add to s->touched the objects command @c names and what they reach. */
void sim_touch_command(struct sim *s, const struct scn_cmd *c);
/* Add to s->touched the HWPTs of the domains journal entries name. */
void sim_touch_journal(struct sim *s, const struct mock_iommu_journal_entry *j, size_t n);
void sim_touch_free(struct sim *s);

/* agg.c */
/* Add (@sign 1) or take away (-1) what @sn's devices contribute to the sums. */
void sim_agg_apply(struct sim *s, const struct snapshot *sn, int sign);
/* Start the sums afresh from @sn, a snapshot of everything. */
void sim_agg_rebuild(struct sim *s, const struct snapshot *sn);
/* Translated vectors using map @id, over every device. */
uint32_t sim_agg_users(const struct sim *s, uint32_t id);
/* Does a group on paging HWPT @p need map @id? */
bool sim_agg_needed(const struct sim *s, uint32_t p, uint32_t id);
void sim_agg_free(struct sim *s);

/* snap.c, invariants.c */
/* The vector @handle of device id @dev in @sn, or NULL. */
const struct swmsi_vector_info *sim_snap_vec(const struct snapshot *sn, uint32_t dev,
					     uint32_t handle);
/* snapshot_take() of the run's context; an empty snapshot before it exists. */
int sim_snap_take(struct sim *s, struct snapshot *sn);
/* snapshot_take_scoped() of @ids (reordered) within @sc, with the
 * counters when @counters; an empty snapshot before the context exists. */
int sim_snap_take_ids(struct sim *s, uint32_t *ids, size_t n, bool counters,
		      const struct snapshot_scope *sc, struct snapshot *sn);
/* The first difference as a failed call may not leave it, as text, or NULL. */
const char *sim_snap_diff(const struct snapshot *a, const struct snapshot *b, char *buf,
			  size_t len);
/* Check every invariant on @sn; reports through sim_violation(). */
void sim_check_invariants(struct sim *s, const struct snapshot *sn);
/* The size of the window starting at @start, or 0 when unknown. */
uint64_t sim_window_size(const struct sim *s, const struct snapshot *sn, uint64_t start);

/* violation.c */
/*
 * Invariant @inv (a short name, "slot-in-window") does not hold: a violation
 * that fails the run, or a finding under a non-native scheme without strict;
 * appended to s->viols for the step's record.
 */
void sim_violation(struct sim *s, const char *inv, const char *fmt, ...) SIM_PRINTF(3, 4);

/*
 * What the checks that follow are about: a device, HWPT or IOAS (its object
 * id, sim_about_obj()) or an MSI map (sim_about_map()); 0: nothing that
 * lasts (an event of the step). Each violation reported records it, and in
 * a run that keeps findings (s->fnd) the subject counts as checked again by
 * this step: a finding about it that the step does not report any more is
 * resolved.
 */
void sim_about(struct sim *s, uint64_t about);
#define SIM_ABOUT_MAP (1ull << 32)
static inline uint64_t sim_about_obj(uint32_t id)
{
	return id;
}
static inline uint64_t sim_about_map(uint32_t id)
{
	return SIM_ABOUT_MAP | id;
}

/* cookie_invariants.c: the dma-iommu cookie's invariants */
/* Is @iova a page of @h's cookie, mapped to @paddr with the cookie's W|MMIO? */
bool sim_cookie_maps(const struct snapshot_hwpt *h, uint64_t iova, uint64_t paddr, uint32_t prot);
/* Under DMA_IOMMU every cookie and every translated vector; under the others, no cookie. */
void sim_check_cookies(struct sim *s, const struct snapshot *sn);

/* fate.c: where an MSI write went */
enum sim_fate sim_fate_of(int rc, uint64_t paddr, uint64_t doorbell);
/* A fire's answer said: "fired to 0x8090040", or "was lost (EFAULT)". */
const char *sim_fire_said(int rc, uint64_t paddr, char *buf, size_t len);
/* "doorbell", "lost", "misrouted" (JSON) */
const char *sim_fate_word(enum sim_fate f);
/* "-> 0x.., its doorbell", "LOST (EFAULT: ...)", "MISROUTED -> 0x.. (the doorbell of nic q1)" */
const char *sim_fate_text(const struct sim *s, const struct snapshot *sn, int rc, uint64_t paddr,
			  uint64_t doorbell, char *buf, size_t len);
/* The lost and misrouted vectors of attached groups with a window, as text
 * into @buf; returns how many. */
size_t sim_fates(const struct sim *s, const struct snapshot *sn, char *buf, size_t len);
/*
 * The vectors of @b's devices whose fate differs from @a's (a lost or
 * misrouted one, or one that reaches its doorbell again), as records into
 * *@v (grown, *@cap): returns how many, or -1 when out of memory.
 */
long sim_fate_changes(const struct sim *s, const struct snapshot *a, const struct snapshot *b,
		      struct sim_fate_rec **v, size_t *cap);
/* A fate record for the timeline: "vf0 irq1: LOST (0x8000040 does not
 * translate in s1bad)", "... now reaches its doorbell 0x8001040". */
const char *sim_fate_rec_text(const struct sim_fate_rec *r, char *buf, size_t len);

/* ---------------------------------------------------------------------- */
/* Findings once (violation.c)                                            */
/*
 * What holds across steps is kept, so that a step reports only the broken
 * invariants that start at it and those that stop holding at it.
 */

/*
 * Each one held is keyed by invariant and message. sim_findings_begin() before a step's checks (0
 * or -ENOMEM); sim_findings_settle() after them: drops from s->viols what
 * held already, and (with @resolve) finds what the step's checks, the
 * objects it removed (in @before, not in @after) and the MSI maps it freed
 * (@ch) no longer report, at step line @line; sim_findings_resolved() lists
 * those until the next begin.
 */
int sim_findings_begin(struct sim *s);
void sim_findings_settle(struct sim *s, unsigned int line, const struct snapshot *before,
			 const struct snapshot *after, const struct sim_change *ch, size_t nch,
			 bool resolve);
const struct sim_violation *sim_findings_resolved(const struct sim *s, size_t *n);
void sim_findings_free(struct sim *s);

/* ---------------------------------------------------------------------- */
/* The MSI table's indexes (table_ix.c)                                   */
/*
 * Indexes of one snapshot's MSI table for the invariant checks, built once
 * a check: which entries share an id, a page or a slot in their window, the
 * entry at a window's IOVA, the largest window seen at a start. Each costs
 * a sort of the table, where comparing every entry with every other (or
 * scanning the table per page of a domain) cost its square: a whole check
 * of 8,000 entries was 64 million comparisons.
 */

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

#endif /* SWMSI_SIM_CHECK_H */
