/* SPDX-License-Identifier: MIT */
/*
 * The engine's state, shared by engine.c (the step loop) and session.c
 * (the same state without the loop, for the explorer). Nothing else
 * includes it.
 */
#ifndef SWMSI_SIM_ENGINE_INT_H
#define SWMSI_SIM_ENGINE_INT_H

#include "changes.h"
#include "runner.h"

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

#endif /* SWMSI_SIM_ENGINE_INT_H */
