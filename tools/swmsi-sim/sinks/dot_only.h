/* SPDX-License-Identifier: MIT */
/*
 * --only group=N[,N...] and --only device=NAME[,NAME...]: the part of the
 * final state --dot and --svg draw. Given more than once, the picture
 * holds the union.
 */
#ifndef SWMSI_SIM_DOT_ONLY_H
#define SWMSI_SIM_DOT_ONLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct scn;

struct sim_dot_only {
	uint32_t *groups; /* in the order given, each once */
	size_t ngroups;
	const char **names; /* into argv, each once */
	size_t nnames;
};

static inline bool sim_dot_only_set(const struct sim_dot_only *o)
{
	return o && (o->ngroups || o->nnames);
}

/* Add one --only value @val. Returns 0, or -1 with why in @msg. */
int sim_dot_only_parse(struct sim_dot_only *o, const char *val, char *msg, size_t len);
/* Does every group and device @o names exist in @scn (declared by a
 * `device` line)? Returns 0, or -1 with why in @msg. */
int sim_dot_only_check(const struct sim_dot_only *o, const struct scn *scn, char *msg, size_t len);
void sim_dot_only_free(struct sim_dot_only *o);

#endif /* SWMSI_SIM_DOT_ONLY_H */
