/* SPDX-License-Identifier: MIT */
/*
 * swmsi-sim's step engine (engine/): runs a scenario one command at a time
 * (each command's run function: op_table.c, op_calls.c, judge.c), snapshots
 * and checks around each step, and hands a record of every step to the
 * sinks it is given, which it knows only by their hooks (struct
 * sim_sink_ops): a record holds typed fields (the command, its answer, the
 * changes it made, the mock's journal, the invariants it broke), and the
 * sinks turn them into a timeline, JSON, a progress bar or a side-by-side
 * view. A session (session.c) is the engine without its loop, for the
 * explorer.
 */
#ifndef SWMSI_SIM_ENGINE_H
#define SWMSI_SIM_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <swmsi/mock_iommu.h>

#include "check.h"
#include "swmsi_snapshot.h"

/* ---------------------------------------------------------------------- */
/* A step's record, and the sinks the engine hands it to                   */

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

/* ---------------------------------------------------------------------- */
/* Running                                                                */

/*
 * Play @scn under @opts (its keep_going, bounds, scheme and strict; its
 * outputs are the sinks' business), handing records to the @nsinks
 * @sinks. Fills @res. Returns an enum sim_status.
 */
int sim_engine_run(const struct scn *scn, const struct sim_opts *opts, const struct sim_sink *sinks,
		   size_t nsinks, struct sim_result *res);

/*
 * The engine one command at a time, for the explorer (explore*.c): a
 * session holds a simulation of @scn under @opts (kept by the session)
 * with a context made; the caller runs commands (sim_step_run()) and checks what it wants. sim_session_reset() starts afresh: a new
 * context on the session's mock reset as new (mock_iommu_reset(): its
 * memory reused), every name and label unset. Returns 0, -ENOMEM, or the
 * context's creation error.
 */
struct sim_session;
int sim_session_open(const struct scn *scn, const struct sim_opts *opts, struct sim_session **out);
int sim_session_reset(struct sim_session *ss);
struct sim *sim_session_sim(struct sim_session *ss);
void sim_session_close(struct sim_session *ss);

/*
 * Runs step @st (its command st->c) against the simulation: a library call
 * (its answer in st->rc) or an expectation (judged into st). Returns 1
 * when the step was skipped (over the fuzzing size bound), else 0.
 */
typedef int (*sim_run_fn)(struct sim *s, struct sim_step *st);

/* The run function of @op; NULL for an option (no command). */
sim_run_fn sim_op_run(enum scn_op op);
/* Runs step @st with its command's run function (sim_run_fn). */
int sim_step_run(struct sim *s, struct sim_step *st);

int exec_window(struct sim *s, struct sim_step *st);
int exec_dev_window(struct sim *s, struct sim_step *st);
int exec_doorbell(struct sim *s, struct sim_step *st);
int exec_ioas(struct sim *s, struct sim_step *st);
int exec_map(struct sim *s, struct sim_step *st);
int exec_unmap(struct sim *s, struct sim_step *st);
int exec_hwpt(struct sim *s, struct sim_step *st);
int exec_nested(struct sim *s, struct sim_step *st);
int exec_s1map(struct sim *s, struct sim_step *st);
int exec_device(struct sim *s, struct sim_step *st);
int exec_attach(struct sim *s, struct sim_step *st);
int exec_replace(struct sim *s, struct sim_step *st);
int exec_detach(struct sim *s, struct sim_step *st);
int exec_unbind(struct sim *s, struct sim_step *st);
int exec_destroy(struct sim *s, struct sim_step *st);
int exec_msi(struct sim *s, struct sim_step *st);
int exec_free(struct sim *s, struct sim_step *st);
int exec_fire(struct sim *s, struct sim_step *st);
int exec_fail_map(struct sim *s, struct sim_step *st);
/* op_iopt.c: the IOAS as upstream's io_pagetable */
int exec_map_user(struct sim *s, struct sim_step *st);
int exec_unmap_area(struct sim *s, struct sim_step *st);
int exec_copy(struct sim *s, struct sim_step *st);
int exec_allow(struct sim *s, struct sim_step *st);
int exec_reserve(struct sim *s, struct sim_step *st);
int exec_huge_pages(struct sim *s, struct sim_step *st);
int expect_area_iova(struct sim *s, struct sim_step *st);
int expect_alignment(struct sim *s, struct sim_step *st);
/* Named area @name at run time, or NULL when no area command ran. */
const struct sim_area *sim_area(const struct sim *s, unsigned int name);
/* A v0.1 unmap (or an IOAS's destroy), step @st, took [@iova, +@len) of
 * @ioas: the named areas inside are gone. */
void sim_areas_unmapped(struct sim *s, const struct sim_step *st, uint32_t ioas, uint64_t iova,
			uint64_t len);
/* The areas' state freed, their memory handed back. */
void sim_areas_free(struct sim *s);
/* area_mem.c: the memory behind area @name (the scenario's name index) of
 * @len bytes under page size @page, shared by the process's simulations:
 * *@va its user VA. Returns true when memory is held (hand it back with
 * sim_area_mem_put()); false when none could be had, *@va then a number
 * with the alignment that memory would have. Thread safe. */
bool sim_area_mem_get(unsigned int name, uint64_t len, uint64_t page, uint64_t *va);
void sim_area_mem_put(unsigned int name, uint64_t len, uint64_t page);

int expect_iova(struct sim *s, struct sim_step *st);
int expect_pair(struct sim *s, struct sim_step *st);
int expect_untranslated(struct sim *s, struct sim_step *st);
int expect_fires(struct sim *s, struct sim_step *st);
int expect_lookup(struct sim *s, struct sim_step *st);
int expect_ranges(struct sim *s, struct sim_step *st);

/* judge.c */
/* Judge a library call's answer against its line's "=> ERR" (st->failed),
 * and for a fire where its write went (st->fate). */
void sim_judge_call(struct sim *s, struct sim_step *st);

/* ---------------------------------------------------------------------- */
/* The change records of a step (changes.c)                               */
/*
 * From the mock's journal of the step and from the state before and after
 * it (the MSI table, guests' stage 1, groups' moves), in the order the
 * library works in.
 */

struct sim_changes {
	struct sim_change *v;
	size_t n, cap;
	bool oom;
	/* The step's command: names a domain whose HWPT never came to be (a
	 * failed 'hwpt', or an attach's automatic HWPT) after it. */
	const struct scn_cmd *c;
};

/*
 * Records into @out (emptied first) what the step did: the journal's
 * installs (@j, @nj), new table entries, stage-1 and group changes (only
 * when @both snapshots @a and @b are valid), then the journal's removals
 * and the freed table entries.
 */
void sim_changes_build(const struct sim *s, const struct mock_iommu_journal_entry *j, size_t nj,
		       const struct snapshot *a, const struct snapshot *b, bool both,
		       struct sim_changes *out);

/* The label of the domain with serial @serial, in the step of command @c
 * (which names a domain whose HWPT never came to be). */
const char *sim_journal_label(const struct sim *s, const struct scn_cmd *c, unsigned int serial,
			      char *buf, size_t len);

/* Where the group move sits among a step's @n journal entries @j: the
 * installs before it, the reclaim from it on. */
size_t sim_journal_move_point(const struct mock_iommu_journal_entry *j, size_t n);

/* The HWPT group @group sits on in @sn (0: none); *@exists: the group has
 * a device in @sn. */
uint32_t sim_group_hwpt(const struct snapshot *sn, uint32_t group, bool *exists);

/* ---------------------------------------------------------------------- */
/* The engine's own state, shared by engine.c (the step loop) and         */
/* session.c (the same state without the loop, for the explorer)          */

struct engine {
	struct sim s;
	const struct sim_sink *sinks;
	size_t nsinks;
	struct sim_changes changes;
	struct mock_iommu_journal_entry *journal;
	size_t njournal, cap_journal;
	uint64_t evicted;	    /* the journal's evicted count when the step began */
	struct sim_fate_rec *fates; /* the step's changed vector fates */
	size_t cap_fates;
};

/* Set up @e for @scn under @opts, results into @res: -ENOMEM or 0. The
 * arrays a session's reset handed over (s->objs, ...) are kept. */
int sim_engine_init(struct engine *e, const struct scn *scn, const struct sim_opts *opts,
		    struct sim_result *res);
/* Free everything @e holds: context, mock, arrays. */
void sim_engine_fini(struct engine *e);
/* The context (and the mock, unless a session handed one over) of @s, made
 * once: 0 or the creation error. */
int sim_engine_ensure_ctx(struct sim *s);

#endif /* SWMSI_SIM_ENGINE_H */
