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
	unsigned int domain;	    /* journal kinds: the domain's serial */
	char what[SIM_LABEL_LEN];   /* the domain's, nested HWPT's or old HWPT's label */
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
	char msg[512];
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
	const struct sim_violation *viol; /* violations and findings, in check order */
	size_t nviol;
	size_t violations, findings;   /* how many of each */
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
