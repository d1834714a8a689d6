/* SPDX-License-Identifier: MIT */
/*
 * The expectations (expect iova, same, differ, mapped, unmapped,
 * untranslated, fires): each judges the state before its step, through
 * the snapshot and the public lookups, into the step's outcome.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "exec.h"

static const struct swmsi_vector_info *expect_vec(struct sim *s, struct sim_step *st,
						  const struct snapshot *sn, unsigned int name,
						  unsigned int vec)
{
	const struct swmsi_vector_info *v = NULL;
	const struct scn *scn = s->scn;

	if (s->objs[name].live && s->vecs[vec].live)
		v = sim_snap_vec(sn, sim_oid(s, name), s->vecs[vec].handle);
	if (!v && !st->failed) {
		st->failed = true;
		snprintf(st->why, sizeof(st->why), "%s %s is not an allocated vector",
			 scn->names[name].name, scn->vecs[vec].label);
	}
	return v;
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

/* Two vectors' message addresses, as "both at X" or "X and Y". */
static void got_pair(struct sim_step *st, const struct swmsi_vector_info *a,
		     const struct swmsi_vector_info *b)
{
	if (!a || !b)
		sim_step_got(st, "%s", st->why);
	else if (a->msg_addr == b->msg_addr)
		sim_step_got(st, "both at 0x%" PRIx64, a->msg_addr);
	else
		sim_step_got(st, "0x%" PRIx64 " and 0x%" PRIx64, a->msg_addr, b->msg_addr);
}

/* The two label names of an expectation about one vector. */
#define DEV_NAME(s, i)	((s)->scn->names[i].name)
#define VEC_LABEL(s, i) ((s)->scn->vecs[i].label)

int expect_iova(struct sim *s, struct sim_step *st)
{
	const struct scn_a_vec *a = &st->c->a.vec;
	const struct swmsi_vector_info *v;

	sim_step_want(st, "message address 0x%" PRIx64, a->addr);
	v = expect_vec(s, st, st->sn, a->dev, a->vec);
	if (!v) {
		sim_step_got(st, "%s", st->why);
		return 0;
	}
	sim_step_got(st, "message address 0x%" PRIx64, v->msg_addr);
	if (v->msg_addr != a->addr)
		sim_step_fail(st, "%s %s has message address 0x%" PRIx64 ", expected 0x%" PRIx64,
			      DEV_NAME(s, a->dev), VEC_LABEL(s, a->vec), v->msg_addr, a->addr);
	return 0;
}

int expect_pair(struct sim *s, struct sim_step *st)
{
	const struct scn_a_pair *p = &st->c->a.pair;
	bool same = st->c->op == SCN_EXPECT_SAME;
	const struct swmsi_vector_info *a, *b;

	sim_step_want(st, same ? "one message address" : "two message addresses");
	a = expect_vec(s, st, st->sn, p->dev, p->vec);
	b = expect_vec(s, st, st->sn, p->dev2, p->vec2);
	got_pair(st, a, b);
	if (!a || !b)
		return 0;
	if (same && a->msg_addr != b->msg_addr)
		sim_step_fail(st, "%s %s is at 0x%" PRIx64 " but %s %s at 0x%" PRIx64,
			      DEV_NAME(s, p->dev), VEC_LABEL(s, p->vec), a->msg_addr,
			      DEV_NAME(s, p->dev2), VEC_LABEL(s, p->vec2), b->msg_addr);
	if (!same && a->msg_addr == b->msg_addr)
		sim_step_fail(st, "%s %s and %s %s share 0x%" PRIx64, DEV_NAME(s, p->dev),
			      VEC_LABEL(s, p->vec), DEV_NAME(s, p->dev2), VEC_LABEL(s, p->vec2),
			      a->msg_addr);
	return 0;
}

int expect_untranslated(struct sim *s, struct sim_step *st)
{
	const struct scn_a_vec *a = &st->c->a.vec;
	const struct swmsi_vector_info *v;

	sim_step_want(st, "untranslated");
	v = expect_vec(s, st, st->sn, a->dev, a->vec);
	if (!v) {
		sim_step_got(st, "%s", st->why);
		return 0;
	}
	if (!v->translated && v->msg_addr == v->msi_addr) {
		sim_step_got(st, "untranslated");
		return 0;
	}
	sim_step_got(st, "translated to 0x%" PRIx64, v->msg_addr);
	sim_step_fail(st, "%s %s is translated to 0x%" PRIx64 " (doorbell 0x%" PRIx64 ")",
		      DEV_NAME(s, a->dev), VEC_LABEL(s, a->vec), v->msg_addr, v->msi_addr);
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
	const struct swmsi_vector_info *v;
	uint64_t pa = 0;
	int rc;

	sim_step_want(st, "lands at 0x%" PRIx64, a->addr);
	v = expect_vec(s, st, st->sn, a->dev, a->vec);
	if (!v) {
		sim_step_got(st, "%s", st->why);
		return 0;
	}
	rc = swmsi_msi_fire(s->ctx, sim_oid(s, a->dev), v->vec, &pa);
	if (rc) {
		sim_step_got(st, "%s (the write is lost)", swmsi_errname(rc));
		sim_step_fail(st, "%s %s does not land: %s, expected it at 0x%" PRIx64,
			      DEV_NAME(s, a->dev), VEC_LABEL(s, a->vec), swmsi_errname(rc),
			      a->addr);
		return 0;
	}
	sim_step_got(st, "lands at 0x%" PRIx64, pa);
	if (pa != a->addr)
		sim_step_fail(st, "%s %s lands at 0x%" PRIx64 ", expected 0x%" PRIx64,
			      DEV_NAME(s, a->dev), VEC_LABEL(s, a->vec), pa, a->addr);
	return 0;
}

/* What expect mapped or unmapped saw, against what it claims. */
static void judge_lookup(struct sim_step *st, const char *pt, int rc, uint64_t pa)
{
	const struct scn_a_lookup *l = &st->c->a.lookup;

	if (st->c->op == SCN_EXPECT_MAPPED) {
		if (rc)
			sim_step_fail(st, "0x%" PRIx64 " does not translate in %s (%s)", l->iova,
				      pt, swmsi_errname(rc));
		else if (pa != l->paddr)
			sim_step_fail(st,
				      "0x%" PRIx64 " translates to 0x%" PRIx64
				      " in %s, expected 0x%" PRIx64,
				      l->iova, pa, pt, l->paddr);
	} else if (rc != -ENOENT) {
		if (rc)
			sim_step_fail(st, "looking up 0x%" PRIx64 " in %s failed with %s", l->iova,
				      pt, swmsi_errname(rc));
		else
			sim_step_fail(st, "0x%" PRIx64 " translates to 0x%" PRIx64 " in %s",
				      l->iova, pa, pt);
	}
}

int expect_lookup(struct sim *s, struct sim_step *st)
{
	const struct scn_a_lookup *l = &st->c->a.lookup;
	const char *pt = DEV_NAME(s, l->pt);
	uint64_t pa = 0;
	uint32_t hid;
	int rc;

	if (st->c->op == SCN_EXPECT_MAPPED)
		sim_step_want(st, "0x%" PRIx64 " -> 0x%" PRIx64, l->iova, l->paddr);
	else
		sim_step_want(st, "0x%" PRIx64 " does not translate", l->iova);
	hid = expect_hwpt(s, st->sn, l->pt);
	if (!s->objs[l->pt].live || !hid) {
		sim_step_fail(st, "'%s' is not a live HWPT%s", pt,
			      s->scn->names[l->pt].kind == SCN_KIND_IOAS
				      ? " (the IOAS has no automatic HWPT)"
				      : "");
		sim_step_got(st, "%s", st->why);
		return 0;
	}
	rc = swmsi_hwpt_iova_to_phys(s->ctx, hid, l->iova, &pa);
	if (rc == -ENOENT)
		sim_step_got(st, "0x%" PRIx64 " does not translate", l->iova);
	else if (rc)
		sim_step_got(st, "lookup failed with %s", swmsi_errname(rc));
	else
		sim_step_got(st, "0x%" PRIx64 " -> 0x%" PRIx64, l->iova, pa);
	judge_lookup(st, pt, rc, pa);
	return 0;
}
