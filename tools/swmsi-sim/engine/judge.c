/* SPDX-License-Identifier: MIT */
/*
 * Judging a library call against its line's "=> ERR", and where a fire's
 * write went: typed facts into the step; outcome.c words them.
 */
#include <errno.h>

#include "runner.h"

void sim_judge_call(struct sim *s, struct sim_step *st)
{
	const struct scn_cmd *c = st->c;
	const struct sim_vec *v = c->op == SCN_FIRE ? &s->vecs[c->a.vec.vec] : NULL;

	if (v) {
		st->fire_ever = v->ever;
		st->doorbell = v->msi_addr;
		/* A fire of a live vector says where its write went: LOST is EFAULT. */
		if (v->ever && v->live && (!st->rc || st->rc == -EFAULT)) {
			st->has_fate = true;
			st->fate = sim_fate_of(st->rc, st->value, v->msi_addr);
		}
	}
	if (c->expect_err)
		st->failed = st->rc != c->expect_err;
	else
		st->failed = st->rc || (v && st->value != v->msi_addr);
	sim_name_note(s, st);
}
