/* SPDX-License-Identifier: MIT */
/*
 * Where an MSI write went: its doorbell, LOST (nothing translates it) or
 * MISROUTED to another doorbell. The schemes differ exactly here (a
 * dma-iommu vector keeps its IOVA across a replace), so fire results,
 * --compare and the JSON all say it the same way, from a snapshot's fire
 * results (struct snapshot_fire). A step's fate changes compare the fire
 * results of the devices it touched, before and after it: what it costs
 * is what the step touched.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

enum sim_fate sim_fate_of(int rc, uint64_t paddr, uint64_t doorbell)
{
	if (rc)
		return SIM_FATE_LOST;
	return paddr == doorbell ? SIM_FATE_DOORBELL : SIM_FATE_MISROUTED;
}

const char *sim_fate_word(enum sim_fate f)
{
	switch (f) {
	case SIM_FATE_DOORBELL:
		return "doorbell";
	case SIM_FATE_LOST:
		return "lost";
	case SIM_FATE_MISROUTED:
		return "misrouted";
	}
	return "?";
}

/* "DEV VEC", the vector whose doorbell page holds @paddr, or NULL. */
static const char *owner_in(const struct sim *s, const struct snapshot *sn, uint64_t paddr,
			    char *buf, size_t len)
{
	uint64_t page = paddr & ~(s->page_size - 1);
	size_t i, k;

	for (i = 0; sn && i < sn->ndevs; i++) {
		const struct snapshot_dev *d = &sn->devs[i];

		for (k = 0; k < d->nvecs; k++) {
			const char *l;

			if ((d->vecs[k].msi_addr & ~(s->page_size - 1)) != page)
				continue;
			l = sim_vec_label(s, sim_name_of(s, d->id), d->vecs[k].vec);
			snprintf(buf, len, "%s %s", sim_obj_name(s, d->id), l ? l : "?");
			return buf;
		}
	}
	return NULL;
}

/* The same, over every device: a step's snapshot holds only what it touched. */
static const char *doorbell_owner(const struct sim *s, const struct snapshot *sn, uint64_t paddr,
				  char *buf, size_t len)
{
	struct snapshot all;
	const char *who;

	if (!sn || !sn->partial || !s->ctx)
		return owner_in(s, sn, paddr, buf, len);
	if (snapshot_take(s->ctx, s->mock, &all))
		return NULL;
	who = owner_in(s, &all, paddr, buf, len);
	snapshot_free(&all);
	return who;
}

const char *sim_fire_said(int rc, uint64_t paddr, char *buf, size_t len)
{
	if (rc)
		snprintf(buf, len, "was lost (%s)", swmsi_errname(rc));
	else
		snprintf(buf, len, "fired to 0x%" PRIx64, paddr);
	return buf;
}

const char *sim_fate_text(const struct sim *s, const struct snapshot *sn, int rc, uint64_t paddr,
			  uint64_t doorbell, char *buf, size_t len)
{
	char who[64];

	switch (sim_fate_of(rc, paddr, doorbell)) {
	case SIM_FATE_DOORBELL:
		snprintf(buf, len, "-> 0x%" PRIx64 ", its doorbell", paddr);
		break;
	case SIM_FATE_LOST:
		snprintf(buf, len, "LOST (%s: nothing translates it)", swmsi_errname(rc));
		break;
	case SIM_FATE_MISROUTED:
		if (doorbell_owner(s, sn, paddr, who, sizeof(who)))
			snprintf(buf, len, "MISROUTED -> 0x%" PRIx64 " (the doorbell of %s)", paddr,
				 who);
		else
			snprintf(buf, len, "MISROUTED -> 0x%" PRIx64, paddr);
		break;
	}
	return buf;
}

/*
 * Every vector of a group that sits on a HWPT and has a window, whose write
 * does not reach its doorbell now: "nic q0 LOST, gpu v1 MISROUTED ->
 * 0x8091040". A detached group's DMA is blocked by design and a group
 * without a window is untranslated: neither is a lost MSI.
 */
size_t sim_fates(const struct sim *s, const struct snapshot *sn, char *buf, size_t len)
{
	size_t i, k, off = 0, n = 0;

	buf[0] = '\0';
	for (i = 0; sn && i < sn->ndevs; i++) {
		const struct snapshot_dev *d = &sn->devs[i];

		if (!d->info.hwpt_id || d->info.sw_msi_start == SWMSI_PHYS_NONE)
			continue;
		for (k = 0; k < d->nvecs; k++) {
			const struct snapshot_fire *f = &d->fire[k];
			const char *l = sim_vec_label(s, sim_name_of(s, d->id), d->vecs[k].vec);
			enum sim_fate fate = sim_fate_of(f->rc, f->paddr, d->vecs[k].msi_addr);

			if (fate == SIM_FATE_DOORBELL)
				continue;
			n++;
			if (off >= len)
				continue;
			if (fate == SIM_FATE_LOST)
				off += (size_t)snprintf(buf + off, len - off, "%s%s %s LOST",
							off ? ", " : "", sim_obj_name(s, d->id),
							l ? l : "?");
			else
				off += (size_t)snprintf(buf + off, len - off,
							"%s%s %s MISROUTED -> 0x%" PRIx64,
							off ? ", " : "", sim_obj_name(s, d->id),
							l ? l : "?", f->paddr);
		}
	}
	return n;
}

/* Does a vector of @d have a fate: is its group attached, with a window? */
static bool has_fate(const struct snapshot_dev *d)
{
	return d && d->info.hwpt_id && d->info.sw_msi_start != SWMSI_PHYS_NONE;
}

/* The index of vector @handle in @d (lowest handle first), or -1. */
static long vec_at(const struct snapshot_dev *d, uint32_t handle)
{
	size_t lo = 0, hi = d->nvecs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->vecs[mid].vec == handle)
			return (long)mid;
		if (d->vecs[mid].vec < handle)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/*
 * Why nothing translates @addr for device @d: the HWPT it sits on, or for
 * a nested one the stage that misses it (the guest's stage 1, else the
 * parent's stage 2 at the IPA stage 1 gives).
 */
static void lost_reason(const struct sim *s, const struct snapshot *sn,
			const struct snapshot_dev *d, uint64_t addr, char *buf, size_t len)
{
	const struct snapshot_hwpt *h = snapshot_hwpt(sn, d->info.hwpt_id);
	char hb[40], pb[40];
	size_t i;

	sim_obj_label(s, sn, d->info.hwpt_id, hb, sizeof(hb));
	if (!h || h->info.type != SWMSI_OBJ_HWPT_NESTED) {
		snprintf(buf, len, "does not translate in %s", hb);
		return;
	}
	for (i = 0; i < h->ns1; i++) {
		const struct swmsi_mapping *m = &h->s1[i];

		if (addr >= m->iova && addr - m->iova < m->length) {
			snprintf(buf, len,
				 "translates in %s to ipa 0x%" PRIx64 ", which does not translate "
				 "in %s",
				 hb, m->paddr + (addr - m->iova),
				 sim_obj_label(s, sn, h->info.parent_id, pb, sizeof(pb)));
			return;
		}
	}
	snprintf(buf, len, "does not translate in %s", hb);
}

/* Record @r for vector @k of @d, now @fate (before: @was, -1 for none). */
static void fate_rec(const struct sim *s, const struct snapshot *sn, const struct snapshot_dev *d,
		     size_t k, int was, struct sim_fate_rec *r)
{
	const struct swmsi_vector_info *v = &d->vecs[k];
	const struct snapshot_fire *f = &d->fire[k];
	const char *l = sim_vec_label(s, sim_name_of(s, d->id), v->vec);
	char who[64];

	memset(r, 0, sizeof(*r));
	r->device = sim_obj_name(s, d->id);
	r->vector = l ? l : "?";
	r->fate = (int)sim_fate_of(f->rc, f->paddr, v->msi_addr);
	r->was = was;
	r->msg_addr = v->msg_addr;
	r->has_landed = !f->rc;
	r->landed = f->paddr;
	r->rc = f->rc;
	switch ((enum sim_fate)r->fate) {
	case SIM_FATE_LOST:
		lost_reason(s, sn, d, v->msg_addr, r->reason, sizeof(r->reason));
		break;
	case SIM_FATE_MISROUTED:
		if (doorbell_owner(s, sn, f->paddr, who, sizeof(who)))
			snprintf(r->reason, sizeof(r->reason),
				 "lands at 0x%" PRIx64 ", the doorbell of %s", f->paddr, who);
		else
			snprintf(r->reason, sizeof(r->reason),
				 "lands at 0x%" PRIx64 ", not its doorbell 0x%" PRIx64, f->paddr,
				 v->msi_addr);
		break;
	case SIM_FATE_DOORBELL:
		snprintf(r->reason, sizeof(r->reason), "reaches its doorbell");
		break;
	}
}

/*
 * Has vector @k of @d (after) changed fate since @da (before, NULL: the
 * device was not there)? *@was: its fate before, -1 for none. A vector
 * that has a fate for the first time is said only when its write goes
 * astray: one that reaches its doorbell is what attach and msi are for.
 */
static bool changed(const struct snapshot_dev *da, const struct snapshot_dev *d, size_t k, int *was)
{
	const struct snapshot_fire *f = &d->fire[k];
	enum sim_fate now = sim_fate_of(f->rc, f->paddr, d->vecs[k].msi_addr), then;
	long ka = has_fate(da) ? vec_at(da, d->vecs[k].vec) : -1;

	*was = -1;
	if (ka < 0)
		return now != SIM_FATE_DOORBELL;
	then = sim_fate_of(da->fire[ka].rc, da->fire[ka].paddr, da->vecs[ka].msi_addr);
	*was = (int)then;
	return then != now || (now == SIM_FATE_MISROUTED && da->fire[ka].paddr != f->paddr);
}

long sim_fate_changes(const struct sim *s, const struct snapshot *a, const struct snapshot *b,
		      struct sim_fate_rec **v, size_t *cap)
{
	size_t i, k, n = 0;

	for (i = 0; b && i < b->ndevs; i++) {
		const struct snapshot_dev *d = &b->devs[i];
		const struct snapshot_dev *da = a ? snapshot_dev(a, d->id) : NULL;

		/* A device the before did not hold is new (it has no vector yet),
		 * or was not touched (the after reached further: the journal
		 * overflowed), and nothing is known of its vectors before. */
		if (!has_fate(d) || !da)
			continue;
		for (k = 0; k < d->nvecs; k++) {
			int was;

			if (!changed(da, d, k, &was))
				continue;
			if (sim_grow((void **)v, cap, n + 1, sizeof(**v), 8))
				return -1;
			fate_rec(s, b, d, k, was, &(*v)[n++]);
		}
	}
	return (long)n;
}

const char *sim_fate_rec_text(const struct sim_fate_rec *r, char *buf, size_t len)
{
	switch ((enum sim_fate)r->fate) {
	case SIM_FATE_LOST:
		snprintf(buf, len, "%s %s: LOST (0x%" PRIx64 " %s)", r->device, r->vector,
			 r->msg_addr, r->reason);
		break;
	case SIM_FATE_MISROUTED:
		snprintf(buf, len, "%s %s: MISROUTED (0x%" PRIx64 " %s)", r->device, r->vector,
			 r->msg_addr, r->reason);
		break;
	case SIM_FATE_DOORBELL:
		snprintf(buf, len, "%s %s: now reaches its doorbell 0x%" PRIx64, r->device,
			 r->vector, r->landed);
		break;
	}
	return buf;
}
