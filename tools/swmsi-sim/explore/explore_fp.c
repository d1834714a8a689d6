/* SPDX-License-Identifier: MIT */
/*
 * The fingerprint of a state: everything the invariants and the JSON final
 * state observe, in a canonical order, with object ids replaced by the
 * scenario's names (an automatic HWPT by its IOAS's) and mock domains by
 * the HWPT that owns them, hashed by two independent 64-bit hashes. Left
 * out: what only history shows (lifetime counters, domain serials, the
 * ids of automatic HWPTs, vector labels). Vector handles, MSI map ids and
 * slots stay: the library shows them and later steps depend on them.
 */
#include "explore.h"

struct hasher {
	uint64_t a, b;
};

static inline uint64_t rotl(uint64_t x, unsigned int r)
{
	return x << r | x >> (64 - r);
}

static inline void feed(struct hasher *h, uint64_t v)
{
	h->a = rotl((h->a ^ v) * 0x9e3779b97f4a7c15ull, 27) * 0xff51afd7ed558ccdull;
	h->b = rotl(h->b + v * 0xc2b2ae3d27d4eb4full, 31) * 0x165667b19e3779f9ull + 0x27d4eb2f;
}

static uint64_t fmix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ull;
	return k ^ (k >> 33);
}

/* An object id as the scenario knows it: its name, "auto@IOAS", or none. */
static uint64_t canon(const struct sim *s, const struct snapshot *sn, uint32_t id)
{
	const struct snapshot_hwpt *h;
	long n;

	if (!id)
		return 0;
	n = sim_name_of(s, id);
	if (n >= 0)
		return (uint64_t)n + 1;
	h = snapshot_hwpt(sn, id);
	if (h && h->info.is_auto)
		return 1ull << 40 | canon(s, sn, h->info.ioas_id);
	return 2ull << 40;
}

static void feed_maps(struct hasher *h, const struct swmsi_mapping *m, size_t n)
{
	size_t i;

	feed(h, n);
	for (i = 0; i < n; i++) {
		feed(h, m[i].iova);
		feed(h, m[i].paddr);
		feed(h, m[i].length);
		feed(h, m[i].prot);
	}
}

static void feed_domain(struct hasher *h, const struct snapshot *sn, const struct snapshot_hwpt *p)
{
	const struct snapshot_dom *d;
	size_t i;

	if (p->info.type != SWMSI_OBJ_HWPT_PAGING)
		return;
	d = snapshot_dom(sn, p->info.domain);
	feed(h, d ? d->nranges + 1 : 0);
	for (i = 0; d && i < d->nranges; i++) {
		feed(h, d->ranges[i].iova);
		feed(h, d->ranges[i].paddr);
		feed(h, d->ranges[i].size);
		feed(h, d->ranges[i].prot);
	}
}

static void feed_hwpt(struct hasher *h, const struct sim *s, const struct snapshot *sn,
		      const struct snapshot_hwpt *p)
{
	size_t i;

	feed(h, canon(s, sn, p->id));
	feed(h, p->info.type);
	feed(h, canon(s, sn, p->info.ioas_id));
	feed(h, canon(s, sn, p->info.parent_id));
	feed(h, (uint64_t)p->info.flags << 1 | p->info.is_auto);
	feed(h, (uint64_t)p->info.groups << 32 | p->info.children);
	feed(h, p->npresent);
	for (i = 0; i < p->npresent; i++)
		feed(h, p->present[i]);
	feed_maps(h, p->s1, p->ns1);
	feed(h, p->cookie.active);
	feed(h, p->cookie.base);
	feed(h, p->cookie.next_iova);
	feed(h, p->ncookie_pages);
	for (i = 0; i < p->ncookie_pages; i++) {
		feed(h, p->cookie_pages[i].iova);
		feed(h, p->cookie_pages[i].msi_page);
	}
	feed_domain(h, sn, p);
}

static void feed_dev(struct hasher *h, const struct sim *s, const struct snapshot *sn,
		     const struct snapshot_dev *d)
{
	uint64_t ov_start = SWMSI_PHYS_NONE, ov_size = 0;
	size_t i;

	feed(h, canon(s, sn, d->id));
	feed(h, d->info.group);
	feed(h, d->info.sw_msi_start);
	feed(h, d->info.sw_msi_size);
	/* Its own window override: the window in use shows it only from the
	 * next attach on (KERNEL), or not at all for a device without a
	 * SW_MSI region, yet later steps depend on it. */
	swmsi_device_get_sw_msi_window(s->ctx, d->id, &ov_start, &ov_size);
	feed(h, ov_start);
	feed(h, ov_size);
	feed(h, d->info.attached);
	feed(h, canon(s, sn, d->info.hwpt_id));
	feed(h, d->nvecs);
	for (i = 0; i < d->nvecs; i++) {
		const struct swmsi_vector_info *v = &d->vecs[i];

		feed(h, v->vec);
		feed(h, v->msi_addr);
		feed(h, v->msg_addr);
		feed(h, (uint64_t)v->map_id << 1 | v->translated);
		feed(h, (uint64_t)(uint32_t)d->fire[i].rc);
		feed(h, d->fire[i].paddr);
	}
}

/* The HWPTs: the named ones by id (fixed by the file), then each IOAS's
 * automatic ones, whose ids depend on the path. */
static void feed_hwpts(struct hasher *h, const struct sim *s, const struct snapshot *sn)
{
	size_t i, k;

	feed(h, sn->nhwpts);
	for (i = 0; i < sn->nhwpts; i++)
		if (!sn->hwpts[i].info.is_auto)
			feed_hwpt(h, s, sn, &sn->hwpts[i]);
	for (k = 0; k < sn->nioas; k++)
		for (i = 0; i < sn->nhwpts; i++)
			if (sn->hwpts[i].info.is_auto &&
			    sn->hwpts[i].info.ioas_id == sn->ioas[k].id)
				feed_hwpt(h, s, sn, &sn->hwpts[i]);
}

struct xfp xfp_of(const struct sim *s, const struct snapshot *sn)
{
	struct hasher h = { 0x6a09e667f3bcc908ull, 0xbb67ae8584caa73bull };
	struct xfp f;
	size_t i;

	feed(&h, sn->nobjs);
	for (i = 0; i < sn->nioas; i++) {
		feed(&h, canon(s, sn, sn->ioas[i].id));
		feed_maps(&h, sn->ioas[i].maps, sn->ioas[i].nmaps);
		feed_maps(&h, sn->ioas[i].resv, sn->ioas[i].nresv);
	}
	feed_hwpts(&h, s, sn);
	feed(&h, sn->ndevs);
	for (i = 0; i < sn->ndevs; i++)
		feed_dev(&h, s, sn, &sn->devs[i]);
	feed(&h, sn->nmaps);
	for (i = 0; i < sn->nmaps; i++) {
		const struct swmsi_msi_map_info *m = &sn->maps[i];

		feed(&h, (uint64_t)m->id << 32 | m->slot);
		feed(&h, m->sw_msi_start);
		feed(&h, m->msi_page);
		feed(&h, m->iova);
		feed(&h, m->vectors);
	}
	feed(&h, (uint64_t)sn->stats.msi_maps << 32 | sn->stats.objects);
	feed(&h, sn->mock_domains);
	feed(&h, sn->mock_pages);
	f.a = fmix(h.a);
	f.b = fmix(h.b);
	/* The set's empty slot is all zero; no fingerprint is. */
	f.a |= 1;
	return f;
}
