/* SPDX-License-Identifier: MIT */
/*
 * The random generator's actions on vectors: msi (the MSI table model:
 * slots lowest-free, per-window entries), free, fire, the expectations
 * the model states, and commands that must fail.
 */
#include <inttypes.h>
#include <string.h>

#include "gen_model.h"

static uint64_t doorbell(struct gen *g, unsigned int j)
{
	static const uint64_t offs[] = { 0x40, 0x44, 0x0, 0x48 };

	return DOORBELL_BASE + (uint64_t)j * CHUNK + offs[gen_below(g, 4)];
}

/*
 * A doorbell for a vector of a group translated through window @w (-1: not
 * translated). Once every id is taken (a small max_msi_maps under reclaim
 * none), mostly one whose page has its entry already: -EOVERFLOW is worth
 * seeing, but not on most of a long run's msi calls.
 */
static unsigned int pick_doorbell(struct gen *g, int w)
{
	unsigned int j = gen_below(g, g->nbell), c[KERNEL_DOORBELLS], n = 0, live = 0, k, i;

	for (i = 0; i < MAX_ENT; i++)
		live += g->ent[i].live;
	if (w < 0 || live < g->max_ids || !gen_chance(g, 75))
		return j;
	for (k = 0; k < g->nbell; k++)
		for (i = 0; i < MAX_ENT; i++)
			if (g->ent[i].live && g->ent[i].win == w &&
			    g->ent[i].page == DOORBELL_BASE + k * CHUNK) {
				c[n++] = k;
				break;
			}
	return n ? c[gen_below(g, n)] : j;
}

/* The entry of @page in window @w (-1 if none); its slots in *@used. */
static int find_entry(const struct gen *g, int w, uint64_t page, uint64_t *used, unsigned int *live)
{
	int i, e = -1;

	*used = 0;
	*live = 0;
	for (i = 0; i < MAX_ENT; i++) {
		if (!g->ent[i].live)
			continue;
		(*live)++;
		if (g->ent[i].win == w) {
			*used |= 1ull << g->ent[i].slot;
			if (g->ent[i].page == page)
				e = i;
		}
	}
	return e;
}

/* A new entry for @page in window @w, in its first free slot. */
static int new_entry(struct gen *g, int w, uint64_t page, uint64_t used)
{
	unsigned int i, slot = 0;

	for (i = 0; i < MAX_ENT && g->ent[i].live; i++)
		;
	while (used & (1ull << slot))
		slot++;
	g->ent[i].live = true;
	g->ent[i].win = w;
	g->ent[i].page = page;
	g->ent[i].slot = slot;
	g->ent[i].vectors = 0;
	return (int)i;
}

/* A translated vector of group @grp at @addr (doorbell @j): its error or
 * NULL, the entry in *@e (-1: a new one) and its window's used slots. */
static const char *msi_predict(struct gen *g, int grp, uint64_t addr, unsigned int j, int *e,
			       uint64_t *used)
{
	int w = gen_eff_win(g, grp), dom = gen_pt_domain(g, g->grp[grp].pt);
	unsigned int live;
	const char *err = NULL;

	*e = find_entry(g, w, addr & ~(g->page - 1), used, &live);
	/* KERNEL: entries are never freed, so live counts every id ever given;
	 * and a slot is never compared with the window's size */
	if (g->allowlist && j >= g->nallowed)
		err = "EPERM";
	else if (*e < 0 && live >= g->max_ids)
		err = "EOVERFLOW";
	else if (*e < 0 && gen_popcount(*used) >= gen_win_size(g, w) / g->page &&
		 g->scheme != SWMSI_SCHEME_KERNEL)
		err = "ENOSPC";
	if (!err)
		err = gen_maybe_fault(g, *e < 0 || !(g->present[dom] & (1ull << *e)) ? 1 : 0);
	return err;
}

bool gen_act_msi(struct gen *g)
{
	int d = gen_pick_dev(g, gen_chance(g, 85) ? 1 : -1), grp, w, e = -1, vs;
	unsigned int j;
	const char *err = NULL;
	uint64_t addr, used = 0;
	struct g_vec *v;
	bool translated;

	if (d < 0 || (vs = gen_vec_slot(g, d)) < 0)
		return false;
	grp = g->dev[d].grp;
	w = gen_eff_win(g, grp);
	j = pick_doorbell(g, g->grp[grp].pt == NO_PT ? -1 : w);
	addr = doorbell(g, j);
	if (g->scheme == SWMSI_SCHEME_DMA_IOMMU)
		return gen_dma_msi(g, d, vs, j, addr);
	translated = w >= 0 && g->grp[grp].pt != NO_PT;
	err = translated ? msi_predict(g, grp, addr, j, &e, &used) : gen_maybe_fault(g, 0);
	/* KERNEL: a detached group with a window sits on its blocking domain,
	 * and iommu_dma_prepare_msi() refuses it */
	if (w >= 0 && !translated && g->scheme == SWMSI_SCHEME_KERNEL)
		err = "EOPNOTSUPP";
	/* A failed call declares the label too: a later msi takes it again. */
	v = &g->dev[d].vec[vs];
	gen_cmd(g, err, "msi dv%u v%d 0x%" PRIx64, g->dev[d].name, vs, addr);
	memset(v, 0, sizeof(*v));
	/* KERNEL adds a new entry before its map: a failed map leaves it */
	if (err && !strcmp(err, "ENOMEM") && e < 0 && g->scheme == SWMSI_SCHEME_KERNEL)
		new_entry(g, w, addr & ~(g->page - 1), used);
	if (err)
		return true;
	v->live = true;
	v->msi = addr;
	v->translated = translated;
	if (!translated) {
		v->msg = addr;
		if (gen_room(g, 1))
			gen_cmd(g, NULL, "expect untranslated dv%u v%d", g->dev[d].name, vs);
		return true;
	}
	if (e < 0)
		e = new_entry(g, w, addr & ~(g->page - 1), used);
	g->ent[e].vectors++;
	v->ent = e;
	v->msg = gen_win_start(w) + g->ent[e].slot * g->page + (addr & (g->page - 1));
	g->grp[grp].required |= 1ull << e;
	g->present[gen_pt_domain(g, g->grp[grp].pt)] |= 1ull << e;
	if (gen_room(g, 1))
		gen_cmd(g, NULL, "expect iova dv%u v%d 0x%" PRIx64, g->dev[d].name, vs, v->msg);
	return true;
}

bool gen_act_free(struct gen *g)
{
	int d, v = gen_pick_vec(g, &d);

	if (v < 0)
		return false;
	gen_cmd(g, NULL, "free dv%u v%d", g->dev[d].name, v);
	gen_free_vec(g, d, v);
	gen_reclaim(g);
	return true;
}

bool gen_act_fire(struct gen *g)
{
	int d, v = gen_pick_vec(g, &d), grp, pt, w;
	const struct g_vec *vec;
	bool lands;

	if (v < 0)
		return false;
	if (g->scheme == SWMSI_SCHEME_DMA_IOMMU)
		return gen_dma_fire(g, d, v);
	vec = &g->dev[d].vec[v];
	grp = g->dev[d].grp;
	pt = g->grp[grp].pt;
	w = gen_eff_win(g, grp);
	if (w < 0)
		lands = true; /* no window: untranslated, always */
	else if (pt == NO_PT || !vec->translated)
		lands = false; /* blocked, or a doorbell address the domain lacks */
	else if (pt < MAX_HWPT && g->hwpt[pt].nested)
		/* stage 1 maps the window 1:1; a KERNEL slot may lie past it */
		lands = (g->hwpt[pt].s1 & (1u << w)) &&
			vec->msg - gen_win_start(w) < gen_win_size(g, w);
	else
		lands = true;
	gen_cmd(g, lands ? NULL : "EFAULT", "fire dv%u v%d", g->dev[d].name, v);
	return true;
}

bool gen_act_expect(struct gen *g)
{
	int d, v, d2, v2, h, e;
	unsigned int i, n = 0, k;

	switch (gen_below(g, 3)) {
	case 0:
		v = gen_pick_vec(g, &d);
		v2 = gen_pick_vec(g, &d2);
		if (v < 0 || (d == d2 && v == v2))
			return false;
		gen_cmd(g, NULL, "expect %s dv%u v%d dv%u v%d",
			g->dev[d].vec[v].msg == g->dev[d2].vec[v2].msg ? "same" : "differ",
			g->dev[d].name, v, g->dev[d2].name, v2);
		return true;
	case 1:
		if (g->scheme == SWMSI_SCHEME_DMA_IOMMU)
			return gen_dma_expect_mapped(g);
		/* An MSI slot of some entry seen through a paging HWPT. */
		h = gen_pick_hwpt(g, 0);
		if (h < 0)
			return false;
		for (i = 0; i < MAX_ENT; i++)
			if (g->ent[i].live)
				n++;
		if (!n)
			return false;
		k = gen_below(g, n);
		for (e = 0; e < MAX_ENT; e++)
			if (g->ent[e].live && !k--)
				break;
		if (g->present[h] & (1ull << e)) {
			gen_cmd(g, NULL, "expect mapped hp%u 0x%" PRIx64 " 0x%" PRIx64,
				g->hwpt[h].name,
				gen_win_start(g->ent[e].win) + g->ent[e].slot * g->page,
				g->ent[e].page);
			return true;
		}
		/* Unless a DMA mapping intrudes there (its IOAS has no such group). */
		if (g->ioas[g->hwpt[h].ioas].intr & (1u << g->ent[e].win))
			return false;
		gen_cmd(g, NULL, "expect unmapped hp%u 0x%" PRIx64, g->hwpt[h].name,
			gen_win_start(g->ent[e].win) + g->ent[e].slot * g->page);
		return true;
	default:
		/* DMA mirrored into a paging HWPT. */
		h = gen_pick_hwpt(g, 0);
		if (h < 0)
			return false;
		k = gen_below(g, NDMA);
		if (g->ioas[g->hwpt[h].ioas].dma & (1u << k))
			gen_cmd(g, NULL, "expect mapped hp%u 0x%" PRIx64 " 0x%" PRIx64,
				g->hwpt[h].name, DMA_IOVA + k * CHUNK + 0x10,
				DMA_PADDR + k * CHUNK + 0x10);
		else
			gen_cmd(g, NULL, "expect unmapped hp%u 0x%" PRIx64, g->hwpt[h].name,
				DMA_IOVA + k * CHUNK);
		return true;
	}
}

/*
 * Malformed arguments: -EINVAL (or -EOVERFLOW for a wrapping range) before
 * any id is looked at, so a destroyed object gets the same answer as a live
 * one (API.md, "Order of checks").
 */
bool gen_act_bad(struct gen *g)
{
	unsigned int i = g->ioas[gen_below(g, g->nioas ? g->nioas : 1)].name;

	switch (gen_below(g, 7)) {
	case 0:
		if (!g->nioas)
			return false;
		gen_cmd(g, "EINVAL", "map io%u 0x%" PRIx64 " 0x%" PRIx64 " 64K rw", i,
			DMA_IOVA + 0x100, DMA_PADDR);
		return true;
	case 1:
		if (!g->nioas)
			return false;
		gen_cmd(g, "EINVAL", "map io%u 0x%" PRIx64 " 0x%" PRIx64 " 0 rw", i, DMA_IOVA,
			DMA_PADDR);
		return true;
	case 2:
		if (!g->nioas)
			return false;
		gen_cmd(g, "EINVAL", "unmap io%u 0x%" PRIx64 " 0x100", i, DMA_IOVA);
		return true;
	case 3:
		if (!g->nioas)
			return false;
		gen_cmd(g, "EOVERFLOW", "map io%u 0xffffffffffff0000 0x%" PRIx64 " 128K rw", i,
			DMA_PADDR);
		return true;
	case 4:
		gen_cmd(g, "EINVAL", "window 0x%" PRIx64 " 1M", gen_win_start(3) + 0x800);
		return true;
	case 5:
		gen_cmd(g, "EINVAL", "doorbell 0x%" PRIx64 " 0x%" PRIx64, DOORBELL_BASE + 0x100,
			CHUNK);
		return true;
	default:
		/* Fresh: a failed bind declares its name but creates no group. */
		gen_cmd(g, "EINVAL", "device dv%u group=%u window=0x%" PRIx64 ":1M", g->nm_dev++,
			++g->nm_grp, gen_win_start(0) + 0x100);
		return true;
	}
}
