/* SPDX-License-Identifier: MIT */
/*
 * The run functions of the commands: op_calls.c runs the library calls,
 * judge.c judges the expectations, op_table.c finds each op's.
 */
#ifndef SWMSI_SIM_EXEC_H
#define SWMSI_SIM_EXEC_H

#include "runner.h"

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

int expect_iova(struct sim *s, struct sim_step *st);
int expect_pair(struct sim *s, struct sim_step *st);
int expect_untranslated(struct sim *s, struct sim_step *st);
int expect_fires(struct sim *s, struct sim_step *st);
int expect_lookup(struct sim *s, struct sim_step *st);

#endif /* SWMSI_SIM_EXEC_H */
