/* SPDX-License-Identifier: MIT */
/*
 * The run functions of the command table: exec.c runs the library calls,
 * expect.c judges the expectations. Each is a cmd_run_fn (commands.h).
 */
#ifndef SWMSI_SIM_EXEC_H
#define SWMSI_SIM_EXEC_H

#include "runner.h"

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
