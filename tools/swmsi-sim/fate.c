/* SPDX-License-Identifier: MIT */
/*
 * Where an MSI write went: its doorbell, LOST (nothing translates it) or
 * MISROUTED to another doorbell. The schemes differ exactly here (a
 * dma-iommu vector keeps its IOVA across a replace), so fire results,
 * --compare and the JSON all say it the same way, from a snapshot's fire
 * results (struct snapshot_fire).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "runner.h"

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
