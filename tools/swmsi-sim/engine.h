/* SPDX-License-Identifier: MIT */
/*
 * The step engine (engine.c): runs a scenario and hands a record of every
 * step to the sinks it is given (none: it runs silently).
 */
#ifndef SWMSI_SIM_ENGINE_H
#define SWMSI_SIM_ENGINE_H

#include "runner.h"

/*
 * Play @scn under @opts (its keep_going, bounds, scheme and strict; its
 * outputs are the sinks' business), handing records to the @nsinks
 * @sinks. Fills @res. Returns an enum sim_status.
 */
int sim_engine_run(const struct scn *scn, const struct sim_opts *opts, const struct sim_sink *sinks,
		   size_t nsinks, struct sim_result *res);

#endif /* SWMSI_SIM_ENGINE_H */
