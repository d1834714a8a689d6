/* SPDX-License-Identifier: MIT */
/*
 * What the engine records of a step, and the sinks it hands the records to.
 * A record holds typed fields: the command, its answer, the changes it
 * made (typed change records, formatted by the sinks), the mock's journal,
 * the invariants it broke. A sink turns records into a timeline, JSON, a
 * progress bar or a side-by-side view; the engine knows none of them.
 */
#ifndef SWMSI_SIM_RECORD_H
#define SWMSI_SIM_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <swmsi/mock_iommu.h>

#include "sim.h"
#include "swmsi_snapshot.h"

struct sim;
struct sim_step;

/* One change a step made, in the order the library made it. */
enum sim_change_kind {
	SIM_CH_MAP,	      /* the backend mapped (journal) */
	SIM_CH_MAP_FAILED,    /* a backend map failed (journal) */
	SIM_CH_UNMAP,	      /* the backend unmapped (journal) */
	SIM_CH_DOMAIN_ALLOC,  /* a domain was allocated (journal) */
	SIM_CH_DOMAIN_FAILED, /* a domain allocation failed (journal) */
	SIM_CH_DOMAIN_FREE,   /* a domain was freed (journal) */
	SIM_CH_TABLE_NEW,     /* an MSI table entry appeared (or got a new page) */
	SIM_CH_TABLE_FREED,   /* an MSI table entry went */
	SIM_CH_S1_ADD,	      /* a guest stage-1 mapping appeared */
	SIM_CH_S1_DEL,	      /* a guest stage-1 mapping went */
	SIM_CH_GROUP_JOIN,    /* a group joined a HWPT */
	SIM_CH_GROUP_LEAVE,   /* a group left its HWPT */
	SIM_CH_GROUP_MOVE,    /* a group moved from one HWPT to another */
};

#define SIM_LABEL_LEN 40

struct sim_change {
	enum sim_change_kind kind;
	unsigned int domain;	  /* journal kinds: the domain's serial (for --json only) */
	char what[SIM_LABEL_LEN]; /* the domain's, nested HWPT's or old HWPT's label */
	/* The object ids users see: the HWPT of the domain (journal kinds), the
	 * nested HWPT (S1_*), the HWPT a group left (GROUP_LEAVE, _MOVE); 0 when
	 * it has none (a HWPT whose creation failed). */
	uint32_t hwpt;
	uint32_t to_hwpt;	    /* GROUP_JOIN, _MOVE: the HWPT the group joined */
	char to[SIM_LABEL_LEN];	    /* GROUP_JOIN/MOVE: the new HWPT's label */
	uint64_t iova, size, paddr; /* mapping; TABLE_*: paddr is the doorbell page */
	uint64_t bytes;		    /* UNMAP: bytes unmapped */
	uint64_t window;	    /* TABLE_*: the window's start */
	uint32_t prot;
	uint32_t id;   /* TABLE_*: the map id; GROUP_*: the group */
	uint32_t slot; /* TABLE_* */
	int result;    /* MAP_FAILED, DOMAIN_FAILED: the error */
};

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
	int fate;		     /* enum sim_fate (runner.h) */
	int was;		     /* enum sim_fate, or -1: it had none */
	uint64_t msg_addr;	     /* what the device writes */
	bool has_landed;	     /* not lost: */
	uint64_t landed;	     /* where the write lands */
	int rc;			     /* lost: swmsi_msi_fire()'s error */
	char reason[160];	     /* "does not translate in s1bad" */
};

struct sim_rec {
	size_t index; /* into scn->cmds */
	const struct scn_cmd *c;
	const struct sim_step *st; /* the outcome (answer, judgement) */
	bool skipped;		   /* over the fuzzing size bound: not run */
	const struct sim_change *changes;
	size_t nchanges;
	const struct mock_iommu_journal_entry *journal;
	size_t njournal;
	/* Violations and findings that start at this step, in check order:
	 * one that held already (reported by an earlier step) is not here. */
	const struct sim_violation *viol;
	size_t nviol;
	size_t violations, findings; /* how many of each */
	/* Those that stopped holding at this step (their since: where they began). */
	const struct sim_violation *resolved;
	size_t nresolved;
	/* Vectors whose outcome the step changed (struct sim_fate_rec). */
	const struct sim_fate_rec *fates;
	size_t nfates;
	/* The journal's entries before this one are the installs before the
	 * group moved (attach, replace), those from it the reclaim after. */
	size_t journal_move;
	const struct snapshot *before; /* what the step's snapshot saw before it */
	const struct snapshot *after;  /* what the step's checks saw after it */
	size_t done, total;	       /* steps run, of how many */
};

/* The end of a run: the final state and what tearing down broke. */
struct sim_end {
	const struct snapshot *fin; /* the final state, taken whole */
	const struct sim_violation *teardown;
	size_t nteardown;
	const struct sim_result *res;
	bool had_ctx; /* the context was created (teardown was checked) */
	int status;   /* enum sim_status */
};

/*
 * A sink: every hook optional. begin before the first step; step after
 * each; final with the final state (the graph sinks: 0, or -1 when the
 * output failed, which makes the run's status 2); end last, with the
 * status.
 */
struct sim_sink_ops {
	void (*begin)(void *priv, const struct sim *s);
	void (*step)(void *priv, const struct sim *s, const struct sim_rec *r);
	int (*final)(void *priv, const struct sim *s, const struct snapshot *fin);
	void (*end)(void *priv, const struct sim *s, const struct sim_end *e);
	/* A run-level error (the context cannot be created, out of memory),
	 * as an errno and, when it is about one, the command. */
	void (*error)(void *priv, const struct sim *s, const struct scn_cmd *c, int err);
};

struct sim_sink {
	const struct sim_sink_ops *ops;
	void *priv;
};

/* One spelling of the mock's journal ops for --trace and the JSON alike. */
const char *sim_journal_op_word(enum mock_iommu_op op);

/* The text of change @ch, as the timeline and the JSON show it. */
const char *sim_change_text(const struct sim_change *ch, char *buf, size_t len);

#endif /* SWMSI_SIM_RECORD_H */
