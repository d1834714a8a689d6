/* SPDX-License-Identifier: MIT */
/*
 * Invariants of the dma-iommu scheme (API.md, Schemes): each paging HWPT
 * with a cookie hands out base, base + 1 page, ... and maps each doorbell
 * page once there, write-only MMIO; a translated vector writes to a cookie
 * page of the domain its group sits on. Under NATIVE and KERNEL no HWPT
 * has a cookie. The table checks of invariants.c do not apply under DMA_IOMMU
 * (there is no table); these replace them.
 */
#include <inttypes.h>

#include "check.h"

#define COOKIE_PROT (SWMSI_PROT_WRITE | SWMSI_PROT_MMIO)

bool sim_cookie_maps(const struct snapshot_hwpt *h, uint64_t iova, uint64_t paddr, uint32_t prot)
{
	size_t i;

	if (!h->cookie.active || prot != COOKIE_PROT)
		return false;
	for (i = 0; i < h->ncookie_pages; i++)
		if (h->cookie_pages[i].iova == iova && h->cookie_pages[i].msi_page == paddr)
			return true;
	return false;
}

/* One cookie: its pages in order from its base, each mapped as it says. */
static void check_cookie(struct sim *s, const struct snapshot_hwpt *h, const char *hb)
{
	uint64_t ps = s->page_size, wsize = sim_window_size(s, NULL, h->cookie.base);
	size_t i;

	if (h->cookie.next_iova != h->cookie.base + h->ncookie_pages * ps)
		sim_violation(s, "cookie-next-iova",
			      "%s: cookie next IOVA 0x%" PRIx64 " is not base "
			      "0x%" PRIx64 " + %zu pages",
			      hb, h->cookie.next_iova, h->cookie.base, h->ncookie_pages);
	for (i = 0; i < h->ncookie_pages; i++) {
		const struct swmsi_msi_cookie_page *cp = &h->cookie_pages[i];
		uint64_t pa = 0;
		uint32_t prot = 0;

		if (wsize && cp->iova - h->cookie.base >= wsize)
			sim_violation(s, "slot-in-window",
				      "%s: cookie page 0x%" PRIx64 " (doorbell "
				      "0x%" PRIx64 ") lies outside the window 0x%" PRIx64
				      " (%" PRIu64 " pages)",
				      hb, cp->iova, cp->msi_page, h->cookie.base, wsize / ps);
		if (mock_iommu_lookup(s->mock, h->info.domain, cp->iova, &pa, &prot) ||
		    pa != cp->msi_page || prot != COOKIE_PROT)
			sim_violation(s, "cookie-page-mapped",
				      "%s: cookie page 0x%" PRIx64 " is not "
				      "mapped to 0x%" PRIx64 " wm",
				      hb, cp->iova, cp->msi_page);
	}
}

/* A translated vector writes to a page of the cookie of the domain its group is on. */
static void check_vectors(struct sim *s, const struct snapshot *sn)
{
	uint64_t ps = s->page_size;
	size_t i, k;

	for (i = 0; i < sn->ndevs; i++) {
		const struct snapshot_dev *d = &sn->devs[i];
		const struct snapshot_hwpt *p;

		sim_about(s, sim_about_obj(d->id));
		if (!d->info.hwpt_id)
			continue; /* detached: blocked, check_fire says so */
		p = snapshot_paging_of(sn, snapshot_hwpt(sn, d->info.hwpt_id));
		for (k = 0; p && k < d->nvecs; k++) {
			const struct swmsi_vector_info *v = &d->vecs[k];
			const char *l = sim_vec_label(s, sim_name_of(s, d->id), v->vec);
			char hb[40];

			if (!v->translated || p != snapshot_hwpt(sn, d->info.hwpt_id) ||
			    sim_cookie_maps(p, v->msg_addr & ~(ps - 1), v->msi_addr & ~(ps - 1),
					    COOKIE_PROT))
				continue;
			sim_violation(s, "cookie-maps-vector",
				      "%s %s: message 0x%" PRIx64 " is not a "
				      "page of %s's cookie mapping its doorbell 0x%" PRIx64,
				      sim_obj_name(s, d->id), l ? l : "?", v->msg_addr,
				      sim_obj_label(s, sn, p->id, hb, sizeof(hb)), v->msi_addr);
		}
	}
}

void sim_check_cookies(struct sim *s, const struct snapshot *sn)
{
	char hb[40];
	size_t i;

	for (i = 0; i < sn->nhwpts; i++) {
		const struct snapshot_hwpt *h = &sn->hwpts[i];

		sim_about(s, sim_about_obj(h->id));
		if (!h->cookie.active)
			continue;
		sim_obj_label(s, sn, h->id, hb, sizeof(hb));
		if (s->scheme != SWMSI_SCHEME_DMA_IOMMU)
			sim_violation(s, "no-cookie", "%s has a dma-iommu cookie under scheme %s",
				      hb, swmsi_scheme_name(s->scheme));
		else
			check_cookie(s, h, hb);
	}
	if (s->scheme == SWMSI_SCHEME_DMA_IOMMU)
		check_vectors(s, sn);
}
