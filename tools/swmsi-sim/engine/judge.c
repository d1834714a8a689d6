/* SPDX-License-Identifier: MIT */
/*
 * Judging a step: the expectations (expect iova, same, differ, mapped,
 * unmapped, untranslated, fires, ranges), each of which reads the state before its
 * step, through the snapshot and the public lookups, into the step's facts
 * and judges them; and a library call against its line's "=> ERR", with
 * where a fire's write went. Typed facts into the step; outcome.c words
 * them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

/* Vector label @vec of device name @dev as the snapshot shows it, into @seen. */
static bool find_vec(struct sim *s, const struct snapshot *sn, unsigned int dev, unsigned int vec,
		     struct sim_seen *seen)
{
	const struct swmsi_vector_info *v = NULL;

	if (s->objs[dev].live && s->vecs[vec].live)
		v = sim_snap_vec(sn, sim_oid(s, dev), s->vecs[vec].handle);
	seen->found = v != NULL;
	if (v)
		seen->v = *v;
	return seen->found;
}

/* The HWPT an expect mapped/unmapped looks through: a HWPT, or an IOAS's
 * automatic HWPT (0 when it has none). */
static uint32_t expect_hwpt(struct sim *s, const struct snapshot *sn, unsigned int name)
{
	size_t i;

	if (s->scn->names[name].kind != SCN_KIND_IOAS)
		return sim_oid(s, name);
	for (i = 0; i < sn->nhwpts; i++)
		if (sn->hwpts[i].info.is_auto && sn->hwpts[i].info.ioas_id == sim_oid(s, name))
			return sn->hwpts[i].id;
	return 0;
}

int expect_iova(struct sim *s, struct sim_step *st)
{
	const struct scn_a_vec *a = &st->c->a.vec;

	st->failed = !find_vec(s, st->sn, a->dev, a->vec, &st->seen[0]) ||
		     st->seen[0].v.msg_addr != a->addr;
	return 0;
}

int expect_pair(struct sim *s, struct sim_step *st)
{
	const struct scn_a_pair *p = &st->c->a.pair;
	bool a = find_vec(s, st->sn, p->dev, p->vec, &st->seen[0]);
	bool b = find_vec(s, st->sn, p->dev2, p->vec2, &st->seen[1]);
	uint64_t mask = scn_pair_by_page(st->c->op) ? ~(s->page_size - 1) : ~(uint64_t)0;
	bool same = a && b && (st->seen[0].v.msg_addr & mask) == (st->seen[1].v.msg_addr & mask);

	st->failed = !a || !b || same != scn_pair_wants_same(st->c->op);
	return 0;
}

int expect_untranslated(struct sim *s, struct sim_step *st)
{
	const struct scn_a_vec *a = &st->c->a.vec;
	const struct swmsi_vector_info *v = &st->seen[0].v;

	st->failed = !find_vec(s, st->sn, a->dev, a->vec, &st->seen[0]) || v->translated ||
		     v->msg_addr != v->msi_addr;
	return 0;
}

/*
 * Where the write lands, whatever the guest's stage 1 made of it: 'fire'
 * insists on the doorbell, this states any address (a misrouted MSI, a
 * stage 1 that is not the RMR identity).
 */
int expect_fires(struct sim *s, struct sim_step *st)
{
	const struct scn_a_vec *a = &st->c->a.vec;

	if (!find_vec(s, st->sn, a->dev, a->vec, &st->seen[0])) {
		st->failed = true;
		return 0;
	}
	st->q_rc = swmsi_msi_fire(s->ctx, sim_oid(s, a->dev), st->seen[0].v.vec, &st->q_pa);
	st->failed = st->q_rc || st->q_pa != a->addr;
	return 0;
}

int expect_lookup(struct sim *s, struct sim_step *st)
{
	const struct scn_a_lookup *l = &st->c->a.lookup;
	uint32_t hid = expect_hwpt(s, st->sn, l->pt);

	if (!s->objs[l->pt].live || !hid) {
		st->no_hwpt = st->failed = true;
		return 0;
	}
	st->q_rc = swmsi_hwpt_iova_to_phys(s->ctx, hid, l->iova, &st->q_pa);
	if (st->c->op == SCN_EXPECT_MAPPED)
		st->failed = st->q_rc || st->q_pa != l->paddr;
	else
		st->failed = st->q_rc != -ENOENT;
	return 0;
}

/* expect ranges of more ranges than a step keeps: each compared. */
static int expect_ranges_all(struct sim *s, struct sim_step *st,
			     const struct swmsi_iova_range *want)
{
	struct swmsi_iova_range *all = calloc(st->nranges, sizeof(*all));
	size_t i, n = 0;

	if (!all) {
		s->oom = true;
		return 0;
	}
	st->q_rc = swmsi_ioas_iova_ranges(s->ctx, sim_oid(s, st->c->a.ranges.ioas), all,
					  st->nranges, &n);
	st->failed = st->q_rc || n != st->nranges;
	for (i = 0; !st->failed && i < n; i++)
		st->failed = all[i].start != want[i].start || all[i].last != want[i].last;
	free(all);
	return 0;
}

/* The IOAS's usable ranges, exactly the line's, lowest first. */
int expect_ranges(struct sim *s, struct sim_step *st)
{
	const struct scn_a_ranges *a = &st->c->a.ranges;
	const struct swmsi_iova_range *want = s->scn->ranges + a->first;
	size_t i;

	st->nranges = 0;
	st->q_rc = swmsi_ioas_iova_ranges(s->ctx, sim_oid(s, a->ioas), st->ranges, SIM_RANGES_SEEN,
					  &st->nranges);
	st->failed = st->q_rc || st->nranges != a->n;
	/* Past what the step keeps, read them all to compare. */
	if (!st->failed && a->n > SIM_RANGES_SEEN)
		return expect_ranges_all(s, st, want);
	for (i = 0; !st->failed && i < a->n; i++)
		st->failed = st->ranges[i].start != want[i].start ||
			     st->ranges[i].last != want[i].last;
	return 0;
}

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
