/* SPDX-License-Identifier: MIT */
/*
 * Runner internals shared by runner.c (execution and timeline), state.c
 * (snapshots and invariants) and output.c (JSON and DOT of the final state).
 */
#ifndef SWMSI_SIM_RUNNER_H
#define SWMSI_SIM_RUNNER_H

#include <swmsi/swmsi.h>
#include <swmsi/mock_iommu.h>

#include "key_index.h"
#include "record.h"
#include "sim.h"
#include "swmsi_snapshot.h"

/*
 * A line that did something to a name or a vector label, kept so that a
 * later failure can say which line left the state it failed on ("its
 * attach at line 7 failed with EADDRINUSE"). line 0: none yet.
 */
struct sim_event {
	unsigned int line;
	enum scn_op op;
	int rc;	     /* its answer */
	size_t step; /* index into scn.cmds */
};

/* A scenario name at run time. */
struct sim_obj {
	uint32_t id; /* 0: never created (creation failed or not run yet) */
	bool live;   /* created and not destroyed/unbound */
	/* names.c, sim_name_note(): its history, one event each, so O(1) a step */
	struct sim_event made;	     /* the line that created it, or failed to */
	struct sim_event gone;	     /* the destroy or unbind that removed it */
	struct sim_event att;	     /* a device's last attach or detach that succeeded */
	struct sim_event att_failed; /* and its last attach that failed */
};

/* A vector label at run time. */
struct sim_vec {
	uint32_t handle;
	bool ever;	     /* an msi line gave it a handle once */
	bool live;	     /* that vector has not been freed */
	uint64_t msi_addr;   /* the doorbell given to msi */
	uint64_t msg_addr;   /* what msi answered */
	struct sim_event ev; /* its last msi (any answer) or free (success) */
};

/* A stage-1 mapping the scenario made (the guest's table is its own). */
struct sim_s1 {
	uint32_t nested_id;
	uint64_t iova, ipa, len;
};

/* A window the scenario made known (device window= or window). */
struct sim_window {
	uint64_t start, size;
};

/* The vector labels of one device name (indices into scn.vecs). */
struct sim_dev_vecs {
	unsigned int *vec;
	size_t n, cap;
};

/* A list of object ids; lists of them, found through a key_index. */
struct sim_idlist {
	uint32_t *ids;
	size_t n, cap;
};
struct sim_idlists {
	struct sim_idlist *v;
	size_t n, cap;
};

/* Snapshots: the shared module of tools/snapshot (struct snapshot). */

struct sim {
	const struct scn *scn;
	enum swmsi_scheme scheme; /* the run's: --scheme, else the file's */
	bool strict;		  /* --strict or option strict */
	struct sim_opts o;
	struct sim_result *res;
	struct mock_iommu *mock;
	struct swmsi_ctx *ctx;
	uint64_t page_size;
	struct sim_obj *objs;	       /* per scn name */
	struct sim_vec *vecs;	       /* per scn vec */
	struct sim_dev_vecs *dev_vecs; /* per scn name: its vector labels */
	struct key_index ids;	       /* live object id -> scn name */
	struct key_index handles;      /* (scn name, live handle) -> scn vec */
	/* touch.c: what a step touches, and the indexes that find it */
	struct sim_idlist touched;     /* this step's object ids, each once */
	struct key_index touch_seen;   /* id -> the generation that listed it */
	uint32_t touch_gen;	       /* this step's generation */
	struct key_index group_ix;     /* group -> group_devs */
	struct sim_idlists group_devs; /* device ids of each group ever seen */
	struct key_index ioas_ix;      /* IOAS id -> ioas_hwpts */
	struct sim_idlists ioas_hwpts; /* HWPT ids of each IOAS ever seen */
	struct key_index serial_hwpt;  /* domain serial -> paging HWPT id */
	struct key_index learned;      /* device and HWPT ids already indexed */
	/* agg.c: sums over every device, kept as steps change them */
	struct key_index users; /* map id -> translated vectors using it */
	struct key_index need;	/* paging HWPT << 32 | map id -> vectors of groups on it */
	bool full;		/* check everything every step (--full-check) */
	struct sim_s1 *s1;
	size_t ns1, cap_s1;
	struct sim_window *windows;
	size_t nwindows, cap_windows;
	uint64_t window_override;    /* SWMSI_PHYS_NONE: none */
	const struct scn_cmd *cur;   /* the step being checked */
	struct sim_violation *viols; /* broken by the step being checked */
	size_t nviols, cap_viols;
	uint64_t about;		   /* what the check under way is about (sim_about()) */
	struct sim_findings *fnd;  /* what holds across steps (violation.c); NULL: not kept */
	uint64_t misuse_seen;	   /* mock misuses already reported */
	struct sim_event fail_map; /* the last fail_map line (sim_name_note()) */
	size_t table_hint; /* the MSI table's size at the last snapshot (a capacity guess) */
	bool oom;
	/* Domain serial -> label and HWPT id, kept across snapshots for freed domains. */
	struct sim_dom *dom_label;
	size_t ndom_label;
};

/* A domain as the timeline names it: its HWPT's label and object id. */
struct sim_dom {
	char label[40];
	uint32_t hwpt;
};

/* Where an MSI write went (fate.c). */
enum sim_fate {
	SIM_FATE_DOORBELL,  /* its own doorbell */
	SIM_FATE_LOST,	    /* nothing translates it (swmsi_msi_fire() failed) */
	SIM_FATE_MISROUTED, /* another address: another doorbell, or memory */
};

/* A vector as an expectation found it. */
struct sim_seen {
	bool found; /* an allocated vector of a live device */
	struct swmsi_vector_info v;
};

/*
 * One step as it ran: typed facts only. outcome.c words them (the failure's
 * reason, an expectation's claim and observation, the call's detail) for
 * the sinks that print.
 */
struct sim_step {
	const struct scn_cmd *c;
	int rc;			 /* what the library answered (0 for expect) */
	bool failed;		 /* the line's expectation did not hold */
	struct sim_seen seen[2]; /* expect: the vectors it names, as found */
	int q_rc;	/* expect fires: the fire's answer; mapped/unmapped: the lookup's */
	uint64_t q_pa;	/* and the address it gave */
	bool no_hwpt;	/* expect mapped/unmapped: the name is no live HWPT */
	uint32_t id;	/* ioas, hwpt, nested, device: the id it made (0: none) */
	uint64_t value; /* msi: msg_addr; fire: paddr */
	bool has_value;
	bool fire_ever;	   /* fire: its label had a vector (at the call) */
	uint64_t doorbell; /* fire: the label's doorbell */
	bool has_fate;	   /* fire of a live vector: where the write went */
	enum sim_fate fate;
	char labels[96];	   /* unbind: the device's vector labels before the call (names) */
	const struct snapshot *sn; /* the state before the step */
};

/* names.c: the names at run time */
/* Build the per-device label lists. Returns 0 or -ENOMEM. */
int sim_names_init(struct sim *s);
void sim_names_free(struct sim *s);
/* Object @id is scenario name @name now. Returns 0 or -ENOMEM. */
int sim_name_set(struct sim *s, uint32_t id, unsigned int name);
/* Object @id is gone. */
void sim_name_clear(struct sim *s, uint32_t id);
/* Vector label @vec got its handle (s->vecs[vec]). Returns 0 or -ENOMEM. */
int sim_vec_live(struct sim *s, unsigned int vec);
/* Vector label @vec's vector is freed. */
void sim_vec_gone(struct sim *s, unsigned int vec);
/* The scenario name index of live object @id, or -1. */
long sim_name_of(const struct sim *s, uint32_t id);
/* Its scenario name, or "?". */
const char *sim_obj_name(const struct sim *s, uint32_t id);
/* The name of an object for display: its scn name, or "auto@IOAS". */
const char *sim_obj_label(const struct sim *s, const struct snapshot *sn, uint32_t id, char *buf,
			  size_t len);
/* The label of the vector @handle of device name @dev, or NULL. */
const char *sim_vec_label(const struct sim *s, long dev, uint32_t handle);
/* Keep step @st (judged, not an expectation) in its names' history. O(1). */
void sim_name_note(struct sim *s, const struct sim_step *st);

/* The object id of scenario name @name (0: none yet). */
static inline uint32_t sim_oid(const struct sim *s, unsigned int name)
{
	return s->objs[name].id;
}

/* outcome.c: a step's facts in words, for the sinks */
struct sim_text {
	char why[512];	  /* why it failed ("" when it did not) */
	char want[128];	  /* expect, fire: the claim ("" for others) */
	char got[256];	  /* expect, fire: what was observed ("" for others) */
	char detail[160]; /* what the call gave: an id, an address, what detach did */
	char fate[128];	  /* fire: where the write went ("" when not said) */
};
void sim_outcome_text(const struct sim *s, const struct sim_rec *r, struct sim_text *t);

/* Domain labels by mock serial, remembered across snapshots. */
void sim_remember_domains(struct sim *s, const struct snapshot *sn);
/* The label of domain @serial, or "?". */
const char *sim_dom_label(const struct sim *s, unsigned int serial);
/* The object id of the HWPT whose domain is @serial, or 0 when none was seen. */
uint32_t sim_dom_hwpt(const struct sim *s, unsigned int serial);

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

/* judge.c */
/* Judge a library call's answer against its line's "=> ERR" (st->failed),
 * and for a fire where its write went (st->fate). */
void sim_judge_call(struct sim *s, struct sim_step *st);

/* state.c */
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

/* Are broken invariants findings (KERNEL or DMA_IOMMU, not strict)? */
static inline bool sim_findings_only(const struct sim *s)
{
	return s->scheme != SWMSI_SCHEME_NATIVE && !s->strict;
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

/* json_state.c, dot.c: the final state @sn, with what @sc adds (scene.h) */
struct sim_scene;
void sim_json_state(const struct sim *s, struct sim_json *j, const struct snapshot *sn,
		    const struct sim_scene *sc);
/* Returns 0 or -1 (out of memory: the graph is cut short). */
int sim_dot_state(const struct sim *s, FILE *f, const struct snapshot *sn,
		  const struct sim_scene *sc);
/* A doorbell page's node (Graphviz merges a node stated twice). */
void sim_dot_doorbell(FILE *f, uint64_t page);
/* @str escaped for a DOT label. */
void sim_dot_str(FILE *f, const char *str);
/* "\n@what = {0, 1}" in a DOT label, long sets cut short. */
void sim_dot_ids(FILE *f, const char *what, const uint32_t *ids, size_t n);
/* The legend's cluster; @table: the scheme has the context-wide table. */
void sim_dot_legend(FILE *f, bool table);

/* dot_cookie.c: what DMA_IOMMU built, for --dot/--svg */
/* Each cookie as a cluster of its pages, each page to its doorbell; those
 * of the HWPTs @drawn (parallel to sn->hwpts) only. */
void sim_dot_cookies(const struct sim *s, FILE *f, const struct snapshot *sn, const bool *drawn);
/* A translated vector under DMA_IOMMU: to the cookie page of the domain
 * its group is on, or red to where its write lands (LOST, MISROUTED);
 * @lattr: "label", or "xlabel" in a large graph (see dot_fold.c). */
void sim_dot_cookie_vector(const struct sim *s, FILE *f, const struct snapshot *sn,
			   const struct snapshot_dev *d, const struct swmsi_vector_info *v,
			   const char *label, const char *lattr);

#endif /* SWMSI_SIM_RUNNER_H */
