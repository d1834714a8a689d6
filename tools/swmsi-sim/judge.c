/* SPDX-License-Identifier: MIT */
/*
 * Judging a library call against its line's "=> ERR", and the details of
 * its answer: what msi gave, where a fire went, what detach or unbind did.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "changes.h"
#include "runner.h"

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
static void dev_detail(struct sim *s, struct sim_step *st, const struct snapshot *before,
		       const struct snapshot *after)
{
	const struct scn_cmd *c = st->c;
	const struct snapshot_dev *d;
	char hb[40], who[64];
	size_t off = 0, len = sizeof(st->detail);
	size_t nvecs;
	uint32_t to;
	bool exists;

	if ((c->op != SCN_DETACH && c->op != SCN_UNBIND) || st->rc)
		return;
	d = snapshot_dev(before, sim_oid(s, c->a.obj.obj));
	if (!d)
		return;
	if (c->op == SCN_UNBIND)
		off = (size_t)snprintf(st->detail, len,
				       d->nvecs ? "%zu vector%s freed (%s)" : "no vectors",
				       d->nvecs, d->nvecs == 1 ? "" : "s", st->labels);
	if (off >= len)
		return;
	if (!d->info.attached) {
		snprintf(st->detail + off, len - off, "%swas detached already", off ? "; " : "");
		return;
	}
	sim_obj_label(s, before, d->info.hwpt_id, hb, sizeof(hb));
	to = sim_group_hwpt(after, d->info.group, &exists);
	if (to == d->info.hwpt_id) {
		group_members(s, after, d->info.group, d->id, who, sizeof(who));
		off += (size_t)snprintf(st->detail + off, len - off,
					"%sgroup %" PRIu32 " stays on %s (%s attached)",
					off ? "; " : "", d->info.group, hb, who);
	} else {
		off += (size_t)snprintf(st->detail + off, len - off, "%sgroup %" PRIu32 " left %s",
					off ? "; " : "", d->info.group, hb);
	}
	if (c->op == SCN_UNBIND || to == d->info.hwpt_id || off >= len)
		return;
	nvecs = group_vectors(before, d->info.group);
	if (nvecs)
		snprintf(st->detail + off, len - off, "; its %zu vector%s kept, %s", nvecs,
			 nvecs == 1 ? "" : "s",
			 d->info.sw_msi_start == SWMSI_PHYS_NONE
				 ? "untranslated"
				 : "blocked until it is attached again");
}

/* Judge a library call's outcome against the line's "=> ERR". */
void sim_judge_call(struct sim *s, struct sim_step *st)
{
	const struct scn_cmd *c = st->c;
	const struct sim_vec *v = c->op == SCN_FIRE ? &s->vecs[c->a.vec.vec] : NULL;

	if (v && !c->expect_err && v->ever)
		sim_step_want(st, "lands at the doorbell 0x%" PRIx64, v->msi_addr);
	if (v && !st->rc)
		sim_step_got(st, "lands at 0x%" PRIx64, st->value);
	if (c->expect_err) {
		if (st->rc == c->expect_err)
			return;
		if (v && !st->rc)
			sim_step_fail(st, "expected %s, but the write landed at 0x%" PRIx64,
				      swmsi_errname(c->expect_err), st->value);
		else
			sim_step_fail(st, "expected %s, got %s", swmsi_errname(c->expect_err),
				      st->rc ? swmsi_errname(st->rc) : "success");
		return;
	}
	if (st->rc) {
		sim_step_fail(st, "failed with %s", swmsi_errname(st->rc));
		return;
	}
	if (v && st->value != v->msi_addr)
		sim_step_fail(st,
			      "the write landed at 0x%" PRIx64 ", not at the doorbell 0x%" PRIx64,
			      st->value, v->msi_addr);
}

/* The paging HWPT device @dev sits on, directly or under a nested one; 0: none. */
static uint32_t dev_paging_hwpt(const struct snapshot *sn, uint32_t dev)
{
	const struct snapshot_dev *d = snapshot_dev(sn, dev);
	const struct snapshot_hwpt *h;

	h = d ? snapshot_paging_of(sn, snapshot_hwpt(sn, d->info.hwpt_id)) : NULL;
	return h ? h->id : 0;
}

static void msi_detail(struct sim *s, struct sim_step *st, const struct snapshot *after)
{
	char lb[40];
	const struct scn_cmd *c = st->c;
	const struct swmsi_vector_info *v;
	const struct swmsi_msi_map_info *m;

	if (c->op != SCN_MSI || st->rc)
		return;
	v = sim_snap_vec(after, sim_oid(s, c->a.vec.dev), s->vecs[c->a.vec.vec].handle);
	if (!v || !v->translated) {
		snprintf(st->detail, sizeof(st->detail), "msg 0x%" PRIx64 " untranslated",
			 st->value);
		return;
	}
	if (s->scheme == SWMSI_SCHEME_DMA_IOMMU) {
		snprintf(st->detail, sizeof(st->detail), "msg 0x%" PRIx64 " (through %s's cookie)",
			 st->value,
			 sim_obj_label(s, after, dev_paging_hwpt(after, sim_oid(s, c->a.vec.dev)),
				       lb, sizeof(lb)));
		return;
	}
	m = snapshot_map(after, v->map_id);
	snprintf(st->detail, sizeof(st->detail),
		 "msg 0x%" PRIx64 " (map %" PRIu32 ", slot %" PRIu32 ")", st->value, v->map_id,
		 m ? m->slot : 0);
}

/*
 * Where a fire's write went: its doorbell (the detail after "ok"), LOST
 * (EFAULT) or MISROUTED to another address, with whose doorbell that is.
 */
static void fire_detail(struct sim *s, struct sim_step *st, const struct snapshot *after)
{
	const struct sim_vec *v = &s->vecs[st->c->a.vec.vec];

	if (st->c->op != SCN_FIRE || !v->ever || !v->live || (st->rc && st->rc != -EFAULT))
		return;
	st->has_fate = true;
	st->fate = sim_fate_of(st->rc, st->value, v->msi_addr);
	sim_fate_text(s, after, st->rc, st->value, v->msi_addr, st->fate_text,
		      sizeof(st->fate_text));
	if (!st->rc)
		snprintf(st->detail, sizeof(st->detail), "%s", st->fate_text);
}

void sim_step_details(struct sim *s, struct sim_step *st, const struct snapshot *before,
		      const struct snapshot *after)
{
	msi_detail(s, st, after);
	fire_detail(s, st, after);
	dev_detail(s, st, before, after);
}
