/* SPDX-License-Identifier: MIT */
/*
 * The step engine (engine.c): runs a scenario and hands a record of every
 * step to the sinks it is given (none: it runs silently).
 */
#ifndef SWMSI_SIM_ENGINE_H
#define SWMSI_SIM_ENGINE_H

#include "exec.h"
#include "runner.h"

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

#endif /* SWMSI_SIM_ENGINE_H */
