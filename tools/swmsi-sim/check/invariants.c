/* SPDX-License-Identifier: MIT */
/*
 * The invariants the simulator checks after every step. Each check reads a
 * snapshot and reports what does not hold through sim_violation(), which
 * records it: nothing here prints or calls back into the engine.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static int cmp_id(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	return (a > b) - (a < b);
}

/* Is MSI map @id present in @p? Its ids are ascending as the library lists
 * them, so a binary search; a scan when they are not. */
static bool present_has(const struct snapshot_hwpt *p, bool sorted, uint32_t id)
{
	size_t i;

	if (sorted)
		return p->npresent && bsearch(&id, p->present, p->npresent, sizeof(id), cmp_id);
	for (i = 0; i < p->npresent; i++)
		if (p->present[i] == id)
			return true;
	return false;
}

static bool ascending(const uint32_t *ids, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (ids[i - 1] >= ids[i])
			return false;
	return true;
}

/* Stage 1 as the scenario built it: where @iova goes, if anywhere. */
static bool s1_lookup(const struct sim *s, uint32_t nested_id, uint64_t iova, uint64_t *ipa)
{
	size_t i;

	for (i = 0; i < s->ns1; i++) {
		const struct sim_s1 *m = &s->s1[i];

		if (m->nested_id == nested_id && iova >= m->iova && iova - m->iova < m->len) {
			*ipa = m->ipa + (iova - m->iova);
			return true;
		}
	}
	return false;
}

static const char *dname(const struct sim *s, const struct snapshot_dev *d)
{
	return sim_obj_name(s, d->id);
}

static const char *vname(const struct sim *s, const struct snapshot_dev *d, uint32_t vec, char *buf,
			 size_t len)
{
	const char *l = sim_vec_label(s, sim_name_of(s, d->id), vec);

	if (l)
		return l;
	snprintf(buf, len, "#%" PRIu32, vec);
	return buf;
}

/*
 * Every vector of every device fires where the API says it must:
 * - a group without a window: untranslated, to its doorbell, attached or not;
 * - a detached group with a window: its DMA is blocked, -EFAULT;
 * - an attached group with a window: where its HWPT translates the message
 *   address (as swmsi_hwpt_iova_to_phys() says), and for a translated vector
 *   that is the doorbell itself, unless the HWPT is nested and the guest's
 *   stage 1 does not map the window identity; with no stage-1 mapping at
 *   all, the write is lost (-EFAULT).
 */
/*
 * A translated vector of a device on nested HWPT @hid: the guest's stage 1
 * must map its message address, else the write is lost (-EFAULT). Returns
 * true when the doorbell check applies (stage 1 maps it 1:1).
 */
static bool stage1_passes(struct sim *s, const struct snapshot *sn, const struct snapshot_dev *d,
			  const struct swmsi_vector_info *v, int rc)
{
	uint32_t hid = d->info.hwpt_id;
	char vb[24], hb[40];
	uint64_t ipa;

	if (!s1_lookup(s, hid, v->msg_addr, &ipa)) {
		if (rc != -EFAULT)
			sim_violation(
				s, "stage1-translates",
				"%s %s fired (%s) though stage 1 of %s does not map 0x%" PRIx64,
				dname(s, d), vname(s, d, v->vec, vb, sizeof(vb)),
				rc ? swmsi_errname(rc) : "landed",
				sim_obj_label(s, sn, hid, hb, sizeof(hb)), v->msg_addr);
		return false;
	}
	return ipa == v->msg_addr; /* else the guest sent its MSIs elsewhere */
}

/* A device with no window, or detached: untranslated, or blocked. Returns
 * true when that settled it. */
static bool fire_untranslated(struct sim *s, const struct snapshot_dev *d,
			      const struct swmsi_vector_info *v, int rc, uint64_t pa)
{
	char vb[24], fb[40];

	if (d->info.sw_msi_start == SWMSI_PHYS_NONE) {
		if (rc || pa != v->msi_addr)
			sim_violation(s, "fire-no-window",
				      "%s %s (no window) %s, not to its doorbell 0x%" PRIx64,
				      dname(s, d), vname(s, d, v->vec, vb, sizeof(vb)),
				      sim_fire_said(rc, pa, fb, sizeof(fb)), v->msi_addr);
		return true;
	}
	if (d->info.hwpt_id)
		return false;
	if (rc != -EFAULT)
		sim_violation(s, "detached-blocked",
			      "%s %s fired (%s) while its group is detached: "
			      "a detached group's DMA is blocked",
			      dname(s, d), vname(s, d, v->vec, vb, sizeof(vb)),
			      rc ? swmsi_errname(rc) : "landed");
	return true;
}

/* Vector @k of device @d fires where the API says it must (see check_fire()). */
static void check_vec_fire(struct sim *s, const struct snapshot *sn, const struct snapshot_dev *d,
			   size_t k)
{
	const struct swmsi_vector_info *v = &d->vecs[k];
	uint32_t hid = d->info.hwpt_id;
	const struct snapshot_hwpt *h = snapshot_hwpt(sn, hid);
	int rc = d->fire[k].rc, trc; /* swmsi_msi_fire(), as the snapshot saw it */
	uint64_t pa = d->fire[k].paddr, want = 0;
	char vb[24], hb[40], fb[40];

	if (fire_untranslated(s, d, v, rc, pa))
		return;
	trc = swmsi_hwpt_iova_to_phys(s->ctx, hid, v->msg_addr, &want);
	if ((trc == 0) != (rc == 0) || (rc == 0 && pa != want)) {
		sim_violation(s, "fire-matches-translation",
			      "%s %s %s but %s translates "
			      "0x%" PRIx64 " to %s%s0x%" PRIx64,
			      dname(s, d), vname(s, d, v->vec, vb, sizeof(vb)),
			      sim_fire_said(rc, pa, fb, sizeof(fb)),
			      sim_obj_label(s, sn, hid, hb, sizeof(hb)), v->msg_addr,
			      trc ? swmsi_errname(trc) : "", trc ? " " : "", trc ? 0 : want);
		return;
	}
	if (!v->translated)
		return;
	if (h && h->info.type == SWMSI_OBJ_HWPT_NESTED && !stage1_passes(s, sn, d, v, rc))
		return;
	if (rc || pa != v->msi_addr)
		sim_violation(s, "msi-reaches-doorbell",
			      "%s %s (msg 0x%" PRIx64 ") %s, not to its doorbell 0x%" PRIx64,
			      dname(s, d), vname(s, d, v->vec, vb, sizeof(vb)), v->msg_addr,
			      sim_fire_said(rc, pa, fb, sizeof(fb)), v->msi_addr);
}

static void check_fire(struct sim *s, const struct snapshot *sn)
{
	size_t i, k;

	for (i = 0; i < sn->ndevs; i++) {
		sim_about(s, sim_about_obj(sn->devs[i].id));
		for (k = 0; k < sn->devs[i].nvecs; k++)
			check_vec_fire(s, sn, &sn->devs[i], k);
	}
}

/* Entry @i against every later one: ids, pages and slots are each once
 * (the pairs come from @ix, in the order a pairwise scan finds them). */
static void check_pairs(struct sim *s, struct sim_table_ix *ix, size_t i)
{
	const struct snapshot *sn = ix->sn;
	const struct swmsi_msi_map_info *m = &sn->maps[i];
	const struct sim_pair_hit *h;

	while ((h = sim_table_ix_hit(ix, i))) {
		const struct swmsi_msi_map_info *o = &sn->maps[h->k];

		if (h->kind == SIM_PAIR_ID)
			sim_violation(s, "unique-map-id", "MSI map id %" PRIu32 " is used twice",
				      m->id);
		else if (h->kind == SIM_PAIR_PAGE)
			sim_violation(s, "one-iova-per-page",
				      "doorbell page 0x%" PRIx64 " has two IOVAs in window "
				      "0x%" PRIx64 " (maps %" PRIu32 " and %" PRIu32 ")",
				      m->msi_page, m->sw_msi_start, m->id, o->id);
		else
			sim_violation(s, "one-page-per-slot",
				      "maps %" PRIu32 " and %" PRIu32 " share slot %" PRIu32
				      " of window 0x%" PRIx64,
				      m->id, o->id, m->slot, m->sw_msi_start);
	}
}

/* Table entry @i: its IOVA, page and slot, its vector count, reclaim. */
static void check_entry(struct sim *s, struct sim_table_ix *ix, size_t i)
{
	const struct swmsi_msi_map_info *m = &ix->sn->maps[i];
	uint64_t ps = s->page_size, wsize = sim_table_ix_window(ix, m->sw_msi_start);
	uint32_t users = sim_agg_users(s, m->id);

	sim_about(s, sim_about_map(m->id));
	if (m->iova != m->sw_msi_start + (uint64_t)m->slot * ps)
		sim_violation(s, "iova-is-window-slot",
			      "MSI map %" PRIu32 ": iova 0x%" PRIx64 " is not window 0x%" PRIx64
			      " + slot %" PRIu32 " pages",
			      m->id, m->iova, m->sw_msi_start, m->slot);
	if (m->msi_page & (ps - 1))
		sim_violation(s, "page-aligned",
			      "MSI map %" PRIu32 ": doorbell page 0x%" PRIx64
			      " is not page aligned",
			      m->id, m->msi_page);
	if (wsize && ((uint64_t)m->slot + 1) * ps > wsize)
		sim_violation(s, "slot-in-window",
			      "MSI map %" PRIu32 ": slot %" PRIu32 " lies outside its "
			      "window 0x%" PRIx64 " (%" PRIu64 " pages)",
			      m->id, m->slot, m->sw_msi_start, wsize / ps);
	check_pairs(s, ix, i);
	if (users != m->vectors)
		sim_violation(s, "vector-count",
			      "MSI map %" PRIu32 " counts %" PRIu32
			      " vectors, devices hold %" PRIu32,
			      m->id, m->vectors, users);
	if (s->scn->opts.reclaim_unused && !m->vectors)
		sim_violation(s, "reclaim-unused",
			      "MSI map %" PRIu32 " (page 0x%" PRIx64 ") has no vector "
			      "left but was not reclaimed",
			      m->id, m->msi_page);
}

/* A translated vector against its table entry and its group's window. */
static void check_vec_map(struct sim *s, const struct snapshot *sn, const struct snapshot_dev *d,
			  const struct swmsi_vector_info *v)
{
	const struct swmsi_msi_map_info *m = snapshot_map(sn, v->map_id);
	uint64_t ps = s->page_size;
	char vb[24];

	if (!m) {
		sim_violation(s, "vector-has-map",
			      "%s %s uses MSI map %" PRIu32 ", which does not exist", dname(s, d),
			      vname(s, d, v->vec, vb, sizeof(vb)), v->map_id);
		return;
	}
	/* Whatever the table holds, a device writes inside its own window. */
	if (d->info.sw_msi_start != SWMSI_PHYS_NONE &&
	    (v->msg_addr < d->info.sw_msi_start ||
	     v->msg_addr - d->info.sw_msi_start >= d->info.sw_msi_size))
		sim_violation(s, "msg-in-window",
			      "%s %s: message 0x%" PRIx64 " lies outside its group's "
			      "window 0x%" PRIx64 " +0x%" PRIx64,
			      dname(s, d), vname(s, d, v->vec, vb, sizeof(vb)), v->msg_addr,
			      d->info.sw_msi_start, d->info.sw_msi_size);
	if (m->msi_page != (v->msi_addr & ~(ps - 1)) ||
	    v->msg_addr != m->iova + (v->msi_addr & (ps - 1)))
		sim_violation(s, "msg-matches-map",
			      "%s %s: message 0x%" PRIx64 " for doorbell 0x%" PRIx64
			      " does not match MSI map %" PRIu32 " (iova 0x%" PRIx64
			      ", page 0x%" PRIx64 ")",
			      dname(s, d), vname(s, d, v->vec, vb, sizeof(vb)), v->msg_addr,
			      v->msi_addr, m->id, m->iova, m->msi_page);
}

/*
 * The context-wide table: one entry, one IOVA, per (window, doorbell page);
 * one page per slot; every slot inside its window; vectors agree with it.
 */
static void check_table(struct sim *s, const struct snapshot *sn, struct sim_table_ix *ix)
{
	size_t i, k;
	char vb[24];

	for (i = 0; i < sn->nmaps; i++)
		check_entry(s, ix, i);
	for (i = 0; i < sn->ndevs; i++) {
		const struct snapshot_dev *d = &sn->devs[i];

		sim_about(s, sim_about_obj(d->id));
		for (k = 0; k < d->nvecs; k++) {
			const struct swmsi_vector_info *v = &d->vecs[k];

			if (!v->translated && v->msg_addr != v->msi_addr)
				sim_violation(
					s, "untranslated-is-doorbell",
					"%s %s is untranslated but its message address 0x%" PRIx64
					" is not its doorbell 0x%" PRIx64,
					dname(s, d), vname(s, d, v->vec, vb, sizeof(vb)),
					v->msg_addr, v->msi_addr);
			/* dma-iommu: no table; cookie_invariants.c checks these vectors. */
			if (v->translated && s->scheme != SWMSI_SCHEME_DMA_IOMMU)
				check_vec_map(s, sn, d, v);
		}
	}
}

/*
 * Nothing but MSI pages present in @p's domain inside window @ws (@wz
 * bytes), reserved on its IOAS.
 */
static void check_window(struct sim *s, const struct sim_table_ix *ix,
			 const struct snapshot_hwpt *p, bool sorted, const struct snapshot_dom *dom,
			 uint64_t ws, uint64_t wz, const char *hb)
{
	const uint32_t msi_prot = SWMSI_PROT_READ | SWMSI_PROT_WRITE | SWMSI_PROT_MMIO;
	uint64_t ps = s->page_size;
	char pb[8];
	size_t r;

	for (r = 0; r < dom->nranges; r++) {
		const struct mock_iommu_range *rg = &dom->ranges[r];
		uint64_t a, lo, hi;

		lo = rg->iova > ws ? rg->iova : ws;
		hi = rg->iova + rg->size < ws + wz ? rg->iova + rg->size : ws + wz;
		for (a = lo; a < hi; a += ps) {
			const struct swmsi_msi_map_info *m = sim_table_ix_at(ix, ws, a);
			uint64_t pa = rg->paddr + (a - rg->iova);

			if (sim_cookie_maps(p, a, pa, rg->prot))
				continue;
			if (!m || !present_has(p, sorted, m->id) || pa != m->msi_page ||
			    rg->prot != msi_prot) {
				sim_violation(s, "window-holds-msi-only",
					      "%s: iova 0x%" PRIx64 " in reserved window 0x%" PRIx64
					      " maps 0x%" PRIx64
					      " %s, which is not a present MSI page",
					      hb, a, ws, pa,
					      sim_fmt_prot(pb, sizeof(pb), rg->prot));
				break;
			}
		}
	}
}

/* Every window reserved on @p's IOAS holds nothing but MSI pages. */
static void check_windows(struct sim *s, const struct sim_table_ix *ix,
			  const struct snapshot_hwpt *p, bool sorted, const char *hb)
{
	const struct snapshot_dom *dom = snapshot_dom(ix->sn, p->info.domain);
	const struct snapshot_ioas *io = snapshot_ioas(ix->sn, p->info.ioas_id);
	size_t k;

	for (k = 0; dom && io && k < io->nresv; k++)
		check_window(s, ix, p, sorted, dom, io->resv[k].iova, io->resv[k].length, hb);
}

/*
 * Per paging domain: present MSI pages are mapped where the table says,
 * READ|WRITE|MMIO; a window reserved on the IOAS holds nothing but MSI pages
 * present in this domain; every page an attached group needs is present,
 * and with reclaim unused nothing else is.
 */
static void check_domains(struct sim *s, const struct snapshot *sn, const struct sim_table_ix *ix)
{
	const uint32_t msi_prot = SWMSI_PROT_READ | SWMSI_PROT_WRITE | SWMSI_PROT_MMIO;
	char hb[40];
	size_t i, k;

	for (i = 0; i < sn->nhwpts; i++) {
		const struct snapshot_hwpt *p = &sn->hwpts[i];
		bool sorted = ascending(p->present, p->npresent);

		if (p->info.type != SWMSI_OBJ_HWPT_PAGING)
			continue;
		sim_about(s, sim_about_obj(p->id));
		sim_obj_label(s, sn, p->id, hb, sizeof(hb));
		for (k = 0; k < p->npresent; k++) {
			const struct swmsi_msi_map_info *m = snapshot_map(sn, p->present[k]);
			uint64_t pa = 0;
			uint32_t prot = 0;

			if (!m) {
				sim_violation(s, "present-in-table",
					      "%s: MSI map %" PRIu32
					      " is present but not in the table",
					      hb, p->present[k]);
				continue;
			}
			if (mock_iommu_lookup(s->mock, p->info.domain, m->iova, &pa, &prot) ||
			    pa != m->msi_page || prot != msi_prot)
				sim_violation(s, "present-is-mapped",
					      "%s: MSI map %" PRIu32
					      " is present but iova 0x%" PRIx64
					      " is not mapped to 0x%" PRIx64 " rwm",
					      hb, m->id, m->iova, m->msi_page);
			if (s->scn->opts.reclaim_unused && !sim_agg_needed(s, p->id, m->id))
				sim_violation(s, "no-stale-page",
					      "%s: stale MSI page: map %" PRIu32 " (iova 0x%" PRIx64
					      ") is present but no group on it needs it",
					      hb, m->id, m->iova);
		}
		for (k = 0; k < sn->nmaps; k++)
			if (sim_agg_needed(s, p->id, sn->maps[k].id) &&
			    !present_has(p, sorted, sn->maps[k].id))
				sim_violation(s, "needed-is-present",
					      "%s: a group on it needs MSI map %" PRIu32
					      " (iova 0x%" PRIx64 ") but it is not present",
					      hb, sn->maps[k].id, sn->maps[k].iova);
		check_windows(s, ix, p, sorted, hb);
	}
}

void sim_check_invariants(struct sim *s, const struct snapshot *sn)
{
	struct sim_table_ix ix;
	uint64_t misuse;

	if (!s->ctx || !sn->valid)
		return;
	check_fire(s, sn);
	sim_check_cookies(s, sn);
	if (sim_table_ix_build(s, sn, &ix)) {
		s->oom = true;
	} else {
		check_table(s, sn, &ix);
		check_domains(s, sn, &ix);
	}
	sim_table_ix_free(&ix);
	sim_about(s, 0); /* a misuse is an event of the step */
	misuse = mock_iommu_misuse_count(s->mock);
	if (misuse > s->misuse_seen)
		sim_violation(s, "mock-misuse",
			      "the core misused the mock IOMMU (%" PRIu64 " times in this step)",
			      misuse - s->misuse_seen);
	s->misuse_seen = misuse;
}
/* The vector @handle of device id @dev in @sn, or NULL. */
