/* SPDX-License-Identifier: MIT */
/*
 * What the final state's graph draws (dot.c, dot_fold.c, dot_only.c): the
 * part of the state --only selects, each object marked drawn or not, and
 * the groups, which fold when alike (dot_fold.c).
 */
#ifndef SWMSI_SIM_DOT_DRAW_H
#define SWMSI_SIM_DOT_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sinks.h"

/* One graph being written; each flag array is parallel to its list. */
struct dot_ctx {
	const struct sim *s;
	FILE *f;
	const struct snapshot *sn;
	const struct sim_scene *sc;
	bool *grp;	   /* sc->groups */
	bool *dev;	   /* sn->devs */
	bool *hwpt;	   /* sn->hwpts */
	bool *ioas;	   /* sn->ioas */
	bool *map;	   /* sn->maps */
	size_t ngrp, ndev; /* groups and devices drawn */
};

/* dot_only.c: mark what the scene's --only selects (everything without
 * one). Returns 0 or -1 (out of memory; @c then holds nothing). */
int dot_select(struct dot_ctx *c);
void dot_select_free(struct dot_ctx *c);
/* "\nonly group 3, 7: 2 of 200 groups drawn" for the graph's label. */
void dot_partial_label(const struct dot_ctx *c);

/* dot_resv.c: IOAS @ioas_id's reserved ranges, a node a type, with their
 * owners, in its cluster; its usable ranges, lines of its summary node. */
void dot_ioas_resv(const struct dot_ctx *c, uint32_t ioas_id);
void dot_ioas_usable(const struct dot_ctx *c, uint32_t ioas_id);
/* Under the usable ranges: the IOAS's alignment (when above 1, or huge
 * pages off) and its allowed ranges (when set). */
void dot_ioas_allowed(const struct dot_ctx *c, const struct sim_scene_ioas *io);

/* dot_fold.c: the drawn groups and devices, alike ones folded. Returns 0
 * or -1 (out of memory). */
int dot_groups(const struct dot_ctx *c);

#endif /* SWMSI_SIM_DOT_DRAW_H */
