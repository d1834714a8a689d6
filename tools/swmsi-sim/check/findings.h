/* SPDX-License-Identifier: MIT */
/*
 * Findings once (violation.c), for the engine: what holds across steps is
 * kept, so that a step reports only the broken invariants that start at it
 * and those that stop holding at it.
 */
#ifndef SWMSI_SIM_FINDINGS_H
#define SWMSI_SIM_FINDINGS_H

#include "runner.h"

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

#endif /* SWMSI_SIM_FINDINGS_H */
