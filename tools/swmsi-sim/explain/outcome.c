/* SPDX-License-Identifier: MIT */
/*
 * A step's facts in words, for the sinks that print them: why a line
 * failed, what an expectation or a fire claimed and what was observed, the
 * detail of a call's answer, where a fire's write went. The engine never
 * calls this: a run without such a sink words nothing.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cause.h"
#include "engine.h"
#include "explain.h"

#define DEV_NAME(s, i)	((s)->scn->names[i].name)
#define VEC_LABEL(s, i) ((s)->scn->vecs[i].label)

/* The first vector of an expectation that is not allocated, said. Returns
 * false when every one is. */
static bool missing(const struct sim *s, const struct sim_step *st, struct sim_text *t)
{
	const struct scn_cmd *c = st->c;
	unsigned int dev = c->a.vec.dev, vec = c->a.vec.vec;

	if (scn_op_is_pair(c->op)) {
		dev = c->a.pair.dev;
		vec = c->a.pair.vec;
		if (st->seen[0].found) {
			dev = c->a.pair.dev2;
			vec = c->a.pair.vec2;
		}
	}
	if (st->seen[0].found && (st->seen[1].found || !scn_op_is_pair(c->op)))
		return false;
	snprintf(t->why, sizeof(t->why), "%s %s is not an allocated vector", DEV_NAME(s, dev),
		 VEC_LABEL(s, vec));
	snprintf(t->got, sizeof(t->got), "%.200s", t->why);
	return true;
}

static void text_iova(const struct sim *s, const struct sim_step *st, struct sim_text *t)
{
	const struct scn_a_vec *a = &st->c->a.vec;
	uint64_t msg = st->seen[0].v.msg_addr;

	snprintf(t->want, sizeof(t->want), "message address 0x%" PRIx64, a->addr);
	if (missing(s, st, t))
		return;
	snprintf(t->got, sizeof(t->got), "message address 0x%" PRIx64, msg);
	if (st->failed)
		snprintf(t->why, sizeof(t->why),
			 "%s %s has message address 0x%" PRIx64 ", expected 0x%" PRIx64,
			 DEV_NAME(s, a->dev), VEC_LABEL(s, a->vec), msg, a->addr);
}

static void text_pair(const struct sim *s, const struct sim_step *st, struct sim_text *t)
{
	const struct scn_a_pair *p = &st->c->a.pair;
	bool page = scn_pair_by_page(st->c->op), same = scn_pair_wants_same(st->c->op);
	uint64_t mask = page ? ~(s->page_size - 1) : ~(uint64_t)0;
	uint64_t a = st->seen[0].v.msg_addr, b = st->seen[1].v.msg_addr;
	const char *on = page ? "on page" : "at";

	snprintf(t->want, sizeof(t->want), "%s message %s", same ? "one" : "two",
		 page ? (same ? "page" : "pages") : (same ? "address" : "addresses"));
	if (missing(s, st, t))
		return;
	if (a == b)
		snprintf(t->got, sizeof(t->got), "both at 0x%" PRIx64, a);
	else
		snprintf(t->got, sizeof(t->got), "0x%" PRIx64 " and 0x%" PRIx64, a, b);
	if (st->failed && same)
		snprintf(t->why, sizeof(t->why),
			 "%s %s is %s 0x%" PRIx64 " but %s %s %s 0x%" PRIx64, DEV_NAME(s, p->dev),
			 VEC_LABEL(s, p->vec), on, a & mask, DEV_NAME(s, p->dev2),
			 VEC_LABEL(s, p->vec2), on, b & mask);
	else if (st->failed)
		snprintf(t->why, sizeof(t->why), "%s %s and %s %s share %s0x%" PRIx64,
			 DEV_NAME(s, p->dev), VEC_LABEL(s, p->vec), DEV_NAME(s, p->dev2),
			 VEC_LABEL(s, p->vec2), page ? "the page " : "", a & mask);
}

static void text_untranslated(const struct sim *s, const struct sim_step *st, struct sim_text *t)
{
	const struct scn_a_vec *a = &st->c->a.vec;
	const struct swmsi_vector_info *v = &st->seen[0].v;

	snprintf(t->want, sizeof(t->want), "untranslated");
	if (missing(s, st, t))
		return;
	if (!st->failed) {
		snprintf(t->got, sizeof(t->got), "untranslated");
		return;
	}
	snprintf(t->got, sizeof(t->got), "translated to 0x%" PRIx64, v->msg_addr);
	snprintf(t->why, sizeof(t->why),
		 "%s %s is translated to 0x%" PRIx64 " (doorbell 0x%" PRIx64 ")",
		 DEV_NAME(s, a->dev), VEC_LABEL(s, a->vec), v->msg_addr, v->msi_addr);
}

static void text_fires(const struct sim *s, const struct sim_step *st, struct sim_text *t)
{
	const struct scn_a_vec *a = &st->c->a.vec;

	snprintf(t->want, sizeof(t->want), "lands at 0x%" PRIx64, a->addr);
	if (missing(s, st, t))
		return;
	if (st->q_rc) {
		snprintf(t->got, sizeof(t->got), "%s (the write is lost)", swmsi_errname(st->q_rc));
		snprintf(t->why, sizeof(t->why),
			 "%s %s does not land: %s, expected it at 0x%" PRIx64, DEV_NAME(s, a->dev),
			 VEC_LABEL(s, a->vec), swmsi_errname(st->q_rc), a->addr);
		return;
	}
	snprintf(t->got, sizeof(t->got), "lands at 0x%" PRIx64, st->q_pa);
	if (st->failed)
		snprintf(t->why, sizeof(t->why),
			 "%s %s lands at 0x%" PRIx64 ", expected 0x%" PRIx64, DEV_NAME(s, a->dev),
			 VEC_LABEL(s, a->vec), st->q_pa, a->addr);
}

/* Why expect mapped or unmapped failed, having looked. */
static void why_lookup(const struct sim_step *st, const char *pt, struct sim_text *t)
{
	const struct scn_a_lookup *l = &st->c->a.lookup;
	int rc = st->q_rc;

	if (!st->failed)
		return;
	if (st->c->op == SCN_EXPECT_MAPPED && rc)
		snprintf(t->why, sizeof(t->why), "0x%" PRIx64 " does not translate in %s (%s)",
			 l->iova, pt, swmsi_errname(rc));
	else if (st->c->op == SCN_EXPECT_MAPPED)
		snprintf(t->why, sizeof(t->why),
			 "0x%" PRIx64 " translates to 0x%" PRIx64 " in %s, expected 0x%" PRIx64,
			 l->iova, st->q_pa, pt, l->paddr);
	else if (rc)
		snprintf(t->why, sizeof(t->why), "looking up 0x%" PRIx64 " in %s failed with %s",
			 l->iova, pt, swmsi_errname(rc));
	else
		snprintf(t->why, sizeof(t->why), "0x%" PRIx64 " translates to 0x%" PRIx64 " in %s",
			 l->iova, st->q_pa, pt);
}

static void text_lookup(const struct sim *s, const struct sim_step *st, struct sim_text *t)
{
	const struct scn_a_lookup *l = &st->c->a.lookup;
	const char *pt = DEV_NAME(s, l->pt);

	if (st->c->op == SCN_EXPECT_MAPPED)
		snprintf(t->want, sizeof(t->want), "0x%" PRIx64 " -> 0x%" PRIx64, l->iova,
			 l->paddr);
	else
		snprintf(t->want, sizeof(t->want), "0x%" PRIx64 " does not translate", l->iova);
	if (st->no_hwpt) {
		snprintf(t->why, sizeof(t->why), "'%s' is not a live HWPT%s", pt,
			 s->scn->names[l->pt].kind == SCN_KIND_IOAS
				 ? " (the IOAS has no automatic HWPT)"
				 : "");
		snprintf(t->got, sizeof(t->got), "%.200s", t->why);
		return;
	}
	if (st->q_rc == -ENOENT)
		snprintf(t->got, sizeof(t->got), "0x%" PRIx64 " does not translate", l->iova);
	else if (st->q_rc)
		snprintf(t->got, sizeof(t->got), "lookup failed with %s", swmsi_errname(st->q_rc));
	else
		snprintf(t->got, sizeof(t->got), "0x%" PRIx64 " -> 0x%" PRIx64, l->iova, st->q_pa);
	why_lookup(st, pt, t);
}

/* @n ranges (of @total), "0x0-0x7ffffff, 0x8100000-0xffffffffffff", or
 * "none", into @buf. */
static const char *fmt_ranges(const struct swmsi_iova_range *r, size_t n, size_t total, char *buf,
			      size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	if (!total)
		snprintf(buf, len, "none");
	for (i = 0; i < n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s0x%" PRIx64 "-0x%" PRIx64,
					i ? "," : "", r[i].start, r[i].last);
	if (total > n && off < len)
		snprintf(buf + off, len - off, ",... (%zu in all)", total);
	return buf;
}

static void text_ranges(const struct sim *s, const struct sim_step *st, struct sim_text *t)
{
	const struct scn_a_ranges *a = &st->c->a.ranges;
	size_t shown = st->nranges < SIM_RANGES_SEEN ? st->nranges : SIM_RANGES_SEEN;
	char want[sizeof(t->why) / 2], got[sizeof(t->why) / 2];

	fmt_ranges(s->scn->ranges + a->first, a->n, a->n, want, sizeof(want));
	snprintf(t->want, sizeof(t->want), "usable %.100s", want);
	if (st->q_rc) {
		snprintf(t->got, sizeof(t->got), "listing failed with %s", swmsi_errname(st->q_rc));
		snprintf(t->why, sizeof(t->why), "'%s' is no live IOAS (%s)", DEV_NAME(s, a->ioas),
			 swmsi_errname(st->q_rc));
		return;
	}
	fmt_ranges(st->ranges, shown, st->nranges, got, sizeof(got));
	snprintf(t->got, sizeof(t->got), "usable %.200s", got);
	if (st->failed)
		snprintf(t->why, sizeof(t->why), "'%s' has usable ranges %.220s, expected %.220s",
			 DEV_NAME(s, a->ioas), got, want);
}

/*
 * " (why)" after a library error @rc of step @r, or "": a name of the
 * wrong kind, else the cause that holds, else every documented one.
 */
static const char *call_why(const struct sim *s, const struct sim_rec *r, int rc, char *buf,
			    size_t len)
{
	const struct scn_cmd *c = r->st->c;
	char why[320];

	if (!rc)
		return "";
	if (!sim_err_kind(s->scn, c, rc, why, sizeof(why)) &&
	    !sim_cause_of(s, r, rc, why, sizeof(why)) &&
	    !sim_err_why(s->scn, c, rc, why, sizeof(why)))
		return "";
	snprintf(buf, len, " (%s)", why);
	return buf;
}

/* A library call against its "=> ERR"; a fire's claim and where it landed. */
static void text_call(const struct sim *s, const struct sim_rec *r, struct sim_text *t)
{
	const struct sim_step *st = r->st;
	const struct scn_cmd *c = st->c;
	bool fire = c->op == SCN_FIRE;
	char why[330];

	if (fire && !c->expect_err && st->fire_ever)
		snprintf(t->want, sizeof(t->want), "lands at the doorbell 0x%" PRIx64,
			 st->doorbell);
	if (fire && !st->rc)
		snprintf(t->got, sizeof(t->got), "lands at 0x%" PRIx64, st->value);
	if (!st->failed)
		return;
	if (c->expect_err && fire && !st->rc)
		snprintf(t->why, sizeof(t->why), "expected %s, but the write landed at 0x%" PRIx64,
			 swmsi_errname(c->expect_err), st->value);
	else if (c->expect_err)
		snprintf(t->why, sizeof(t->why), "expected %s, got %s%s",
			 swmsi_errname(c->expect_err), st->rc ? swmsi_errname(st->rc) : "success",
			 call_why(s, r, st->rc, why, sizeof(why)));
	else if (st->rc)
		snprintf(t->why, sizeof(t->why), "failed with %s%s", swmsi_errname(st->rc),
			 call_why(s, r, st->rc, why, sizeof(why)));
	else
		snprintf(t->why, sizeof(t->why),
			 "the write landed at 0x%" PRIx64 ", not at the doorbell 0x%" PRIx64,
			 st->value, st->doorbell);
}

/* The attached devices of group @g in @sn but device @except, "nvme, gpu". */
static void group_members(const struct sim *s, const struct snapshot *sn, uint32_t g,
			  uint32_t except, char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < sn->ndevs && off < len; i++) {
		const struct snapshot_dev *d = &sn->devs[i];

		if (d->info.group == g && d->id != except && d->info.attached)
			off += (size_t)snprintf(buf + off, len - off, "%s%s", off ? ", " : "",
						sim_obj_name(s, d->id));
	}
}

/* The vectors of every device of group @g. */
static size_t group_vectors(const struct snapshot *sn, uint32_t g)
{
	size_t i, n = 0;

	for (i = 0; i < sn->ndevs; i++)
		if (sn->devs[i].info.group == g)
			n += sn->devs[i].nvecs;
	return n;
}

/*
 * What detach and unbind did, which the change lines show only in part: a
 * group leaves its HWPT with its last attached device, and a detached
 * device keeps its vectors (blocked while its group, with a window, sits
 * nowhere) where unbind frees them.
 */
static void dev_detail(const struct sim *s, const struct sim_step *st,
		       const struct snapshot *before, const struct snapshot *after,
		       struct sim_text *t)
{
	const struct scn_cmd *c = st->c;
	const struct snapshot_dev *d;
	char hb[40], who[64];
	size_t off = 0, len = sizeof(t->detail);
	size_t nvecs;
	uint32_t to;
	bool exists;

	if ((c->op != SCN_DETACH && c->op != SCN_UNBIND) || st->rc)
		return;
	d = snapshot_dev(before, sim_oid(s, c->a.obj.obj));
	if (!d)
		return;
	if (c->op == SCN_UNBIND)
		off = (size_t)snprintf(t->detail, len,
				       d->nvecs ? "%zu vector%s freed (%s)" : "no vectors",
				       d->nvecs, d->nvecs == 1 ? "" : "s", st->labels);
	if (off >= len)
		return;
	if (!d->info.attached) {
		snprintf(t->detail + off, len - off, "%swas detached already", off ? "; " : "");
		return;
	}
	sim_obj_label(s, before, d->info.hwpt_id, hb, sizeof(hb));
	to = sim_group_hwpt(after, d->info.group, &exists);
	if (to == d->info.hwpt_id) {
		group_members(s, after, d->info.group, d->id, who, sizeof(who));
		off += (size_t)snprintf(t->detail + off, len - off,
					"%sgroup %" PRIu32 " stays on %s (%s attached)",
					off ? "; " : "", d->info.group, hb, who);
	} else {
		off += (size_t)snprintf(t->detail + off, len - off, "%sgroup %" PRIu32 " left %s",
					off ? "; " : "", d->info.group, hb);
	}
	if (c->op == SCN_UNBIND || to == d->info.hwpt_id || off >= len)
		return;
	nvecs = group_vectors(before, d->info.group);
	if (nvecs)
		snprintf(t->detail + off, len - off, "; its %zu vector%s kept, %s", nvecs,
			 nvecs == 1 ? "" : "s",
			 d->info.sw_msi_start == SWMSI_PHYS_NONE
				 ? "untranslated"
				 : "blocked until it is attached again");
}

/* The paging HWPT device @dev sits on, directly or under a nested one; 0: none. */
static uint32_t dev_paging_hwpt(const struct snapshot *sn, uint32_t dev)
{
	const struct snapshot_dev *d = snapshot_dev(sn, dev);
	const struct snapshot_hwpt *h;

	h = d ? snapshot_paging_of(sn, snapshot_hwpt(sn, d->info.hwpt_id)) : NULL;
	return h ? h->id : 0;
}

static void msi_detail(const struct sim *s, const struct sim_step *st, const struct snapshot *after,
		       struct sim_text *t)
{
	char lb[40];
	const struct scn_cmd *c = st->c;
	const struct swmsi_vector_info *v;
	const struct swmsi_msi_map_info *m;

	if (c->op != SCN_MSI || st->rc)
		return;
	v = sim_snap_vec(after, sim_oid(s, c->a.vec.dev), s->vecs[c->a.vec.vec].handle);
	if (!v || !v->translated) {
		snprintf(t->detail, sizeof(t->detail), "msg 0x%" PRIx64 " untranslated", st->value);
		return;
	}
	if (s->scheme == SWMSI_SCHEME_DMA_IOMMU) {
		snprintf(t->detail, sizeof(t->detail), "msg 0x%" PRIx64 " (through %s's cookie)",
			 st->value,
			 sim_obj_label(s, after, dev_paging_hwpt(after, sim_oid(s, c->a.vec.dev)),
				       lb, sizeof(lb)));
		return;
	}
	m = snapshot_map(after, v->map_id);
	snprintf(t->detail, sizeof(t->detail),
		 "msg 0x%" PRIx64 " (map %" PRIu32 ", slot %" PRIu32 ")", st->value, v->map_id,
		 m ? m->slot : 0);
}

/*
 * Where a fire's write went: its doorbell (the detail after "ok"), LOST
 * (EFAULT) or MISROUTED to another address, with whose doorbell that is.
 */
static void fire_detail(const struct sim *s, const struct sim_step *st,
			const struct snapshot *after, struct sim_text *t)
{
	if (!st->has_fate)
		return;
	sim_fate_text(s, after, st->rc, st->value, st->doorbell, t->fate, sizeof(t->fate));
	if (!st->rc)
		snprintf(t->detail, sizeof(t->detail), "%s", t->fate);
}

/* What a call gave, when it succeeded. */
static void text_detail(const struct sim *s, const struct sim_rec *r, struct sim_text *t)
{
	const struct sim_step *st = r->st;
	const struct scn_cmd *c = st->c;

	if (st->id)
		snprintf(t->detail, sizeof(t->detail), "id %" PRIu32, st->id);
	else if (c->op == SCN_FAIL_MAP && !c->a.fail.nth)
		snprintf(t->detail, sizeof(t->detail), "map fault disarmed");
	else if (c->op == SCN_FAIL_MAP)
		snprintf(t->detail, sizeof(t->detail), "map call #%u from now fails with %s",
			 c->a.fail.nth, swmsi_errname(c->a.fail.err));
	sim_iopt_detail(s, st, t);
	msi_detail(s, st, r->after, t);
	fire_detail(s, st, r->after, t);
	dev_detail(s, st, r->before, r->after, t);
}

void sim_outcome_text(const struct sim *s, const struct sim_rec *r, struct sim_text *t)
{
	const struct sim_step *st = r->st;

	memset(t, 0, sizeof(*t));
	switch (st->c->op) {
	case SCN_EXPECT_IOVA:
		text_iova(s, st, t);
		break;
	case SCN_EXPECT_SAME:
	case SCN_EXPECT_DIFFER:
	case SCN_EXPECT_SAME_PAGE:
	case SCN_EXPECT_DIFFER_PAGE:
		text_pair(s, st, t);
		break;
	case SCN_EXPECT_UNTRANSLATED:
		text_untranslated(s, st, t);
		break;
	case SCN_EXPECT_FIRES:
		text_fires(s, st, t);
		break;
	case SCN_EXPECT_MAPPED:
	case SCN_EXPECT_UNMAPPED:
		text_lookup(s, st, t);
		break;
	case SCN_EXPECT_RANGES:
		text_ranges(s, st, t);
		break;
	case SCN_EXPECT_AREA_IOVA:
	case SCN_EXPECT_ALIGNMENT:
		sim_iopt_expect_text(s, st, t);
		break;
	default:
		text_call(s, r, t);
		if (!r->skipped)
			text_detail(s, r, t);
		break;
	}
}
