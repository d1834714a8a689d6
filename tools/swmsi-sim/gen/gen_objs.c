/* SPDX-License-Identifier: MIT */
/*
 * The random generator's actions on objects: IOASes and their mappings,
 * HWPTs and nested ones with their stage 1, devices, attach, replace,
 * detach, unbind and destroy, each with the outcome the model predicts.
 */
#include <inttypes.h>
#include <string.h>

#include "gen_model.h"

bool gen_act_ioas(struct gen *g)
{
	int i = gen_ioas_slot(g);

	if (i < 0)
		return false;
	memset(&g->ioas[i], 0, sizeof(g->ioas[i]));
	g->ioas[i].live = true;
	g->ioas[i].name = g->nm_ioas++;
	gen_cmd(g, NULL, "ioas io%u", g->ioas[i].name);
	return true;
}

/*
 * Does a domain of IOAS @i hold an MSI page where a mapping of window @w's
 * first chunk would go? Under reclaim none a page stays in a domain after
 * its group left, and the window is no longer reserved: the IOAS accepts
 * the mapping but mirroring it hits the page (the backend's -EEXIST).
 */
static bool stale_msi_at(const struct gen *g, int i, int w)
{
	unsigned int h, e;

	if (g->scheme == SWMSI_SCHEME_DMA_IOMMU)
		return gen_cookie_at(g, i, w);
	for (e = 0; e < MAX_ENT; e++) {
		uint64_t mask = 1ull << e;

		if (!g->ent[e].live || g->ent[e].win != w || g->ent[e].slot * g->page >= CHUNK)
			continue;
		if (g->auto_live[i] && (g->present[AUTO_PT(i)] & mask))
			return true;
		for (h = 0; h < g->nhwpt; h++)
			if (g->hwpt[h].live && !g->hwpt[h].nested && g->hwpt[h].ioas == i &&
			    (g->present[h] & mask))
				return true;
	}
	return false;
}

bool gen_act_map(struct gen *g)
{
	int i = gen_pick_live_ioas(g), w = -1, k = -1;
	const char *err = NULL;
	uint64_t iova, pa;

	if (i < 0)
		return false;
	if (gen_chance(g, 25)) {
		w = (int)gen_below(g, NWIN);
		iova = gen_win_start(w);
		pa = DMA_PADDR + 0x1000000 + (uint64_t)w * CHUNK;
	} else {
		k = (int)gen_below(g, NDMA);
		/* Mostly a free chunk: -EEXIST is worth seeing, not every time. */
		if ((g->ioas[i].dma & (1u << k)) && g->ioas[i].dma != (1u << NDMA) - 1 &&
		    gen_chance(g, 80))
			while (g->ioas[i].dma & (1u << k))
				k = (k + 1) % NDMA;
		iova = DMA_IOVA + (uint64_t)k * CHUNK;
		pa = DMA_PADDR + (uint64_t)k * CHUNK;
	}
	/* A window whose ranges a failed replace dropped takes the mapping,
	 * under an attached group whose later installs would then meet it:
	 * the model leaves that to the hand-written scenarios. */
	if (w >= 0 && !gen_reserved(g, i, w) && gen_window_lost(g, i, w))
		return false;
	/* NATIVE names the cause; upstream's iopt_check_iova() says -EINVAL */
	if (w >= 0 && gen_reserved(g, i, w))
		err = g->scheme == SWMSI_SCHEME_NATIVE ? "EADDRINUSE" : "EINVAL";
	else if ((w >= 0 && (g->ioas[i].intr & (1u << w))) ||
		 (k >= 0 && (g->ioas[i].dma & (1u << k))))
		err = "EEXIST";
	else if (w >= 0 && stale_msi_at(g, i, w))
		err = "EEXIST";
	if (!err)
		err = gen_maybe_fault(g, gen_ioas_domains(g, i));
	gen_cmd(g, err, "map io%u 0x%" PRIx64 " 0x%" PRIx64 " 64K rw", g->ioas[i].name, iova, pa);
	if (err)
		return true;
	if (w >= 0)
		g->ioas[i].intr |= 1u << w;
	else
		g->ioas[i].dma |= 1u << k;
	return true;
}

bool gen_act_unmap(struct gen *g)
{
	int i = gen_pick_live_ioas(g), w = -1, k = -1;
	bool mapped;
	uint64_t iova;

	if (i < 0)
		return false;
	if (g->ioas[i].intr && gen_chance(g, 50)) {
		do
			w = (int)gen_below(g, NWIN);
		while (!(g->ioas[i].intr & (1u << w)));
		iova = gen_win_start(w);
		mapped = true;
	} else {
		k = (int)gen_below(g, NDMA);
		iova = DMA_IOVA + (uint64_t)k * CHUNK;
		mapped = g->ioas[i].dma & (1u << k);
	}
	gen_cmd(g, mapped ? NULL : "ENOENT", "unmap io%u 0x%" PRIx64 " 64K", g->ioas[i].name, iova);
	if (!mapped)
		return true;
	if (w >= 0)
		g->ioas[i].intr &= ~(1u << w);
	else
		g->ioas[i].dma &= ~(1u << k);
	return true;
}

bool gen_act_hwpt(struct gen *g)
{
	int i = gen_pick_live_ioas(g), h;
	const char *err;
	bool np = gen_chance(g, 50);

	if (i < 0)
		return false;
	h = gen_hwpt_slot(g);
	if (h < 0)
		return false;
	memset(&g->hwpt[h], 0, sizeof(g->hwpt[h]));
	g->hwpt[h].name = g->nm_hwpt++;
	err = gen_maybe_fault(g, gen_ioas_mappings(g, i));
	gen_cmd(g, err, "hwpt hp%u io%u%s", g->hwpt[h].name, g->ioas[i].name,
		np ? " nest_parent" : "");
	if (err)
		return true;
	g->hwpt[h].live = true;
	g->hwpt[h].ioas = i;
	g->hwpt[h].nest_parent = np;
	g->present[h] = 0;
	gen_cookie_reset(g, h);
	return true;
}

bool gen_act_nested(struct gen *g)
{
	int p = gen_pick_hwpt(g, -1), h;
	bool ok;

	if (p < 0)
		return false;
	ok = !g->hwpt[p].nested && g->hwpt[p].nest_parent;
	if (!ok && !gen_chance(g, 30))
		return false;
	h = gen_hwpt_slot(g);
	if (h < 0)
		return false;
	memset(&g->hwpt[h], 0, sizeof(g->hwpt[h]));
	g->hwpt[h].name = g->nm_hwpt++;
	g->hwpt[h].nested = true; /* its name says so even when it fails */
	gen_cmd(g, ok ? NULL : "EINVAL", "nested hn%u %s%u", g->hwpt[h].name, gen_hpfx(g, p),
		g->hwpt[p].name);
	if (!ok)
		return true;
	g->hwpt[h].live = true;
	g->hwpt[h].parent = p;
	g->hwpt[h].ioas = g->hwpt[p].ioas;
	return true;
}

bool gen_act_s1map(struct gen *g)
{
	int h = gen_pick_hwpt(g, 1), w;
	bool dup;

	if (h < 0)
		return false;
	w = g->override ? 3 : (int)gen_below(g, 3);
	dup = g->hwpt[h].s1 & (1u << w);
	/* A long-lived nested HWPT has its windows mapped: -EEXIST now and then. */
	if (dup && gen_chance(g, 75))
		return false;
	gen_cmd(g, dup ? "EEXIST" : NULL, "s1map hn%u 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 " rw",
		g->hwpt[h].name, gen_win_start(w), gen_win_start(w), gen_win_size(g, w));
	if (!dup)
		g->hwpt[h].s1 |= 1u << w;
	return true;
}

bool gen_act_device(struct gen *g)
{
	int d = gen_dev_slot(g), grp = -1, w;
	bool bad = false;
	char win[64] = "";

	if (d < 0)
		return false;
	memset(&g->dev[d], 0, sizeof(g->dev[d]));
	g->dev[d].name = g->nm_dev++;
	/* Join a live group (sometimes with the wrong window), or a new one. */
	if (g->ngrp && gen_chance(g, 35)) {
		grp = (int)gen_below(g, g->ngrp);
		if (!g->grp[grp].live)
			grp = -1;
	}
	if (grp < 0) {
		grp = gen_grp_slot(g);
		if (grp < 0)
			return false; /* cannot happen: see gen_grp_slot() */
		g->grp[grp].num = ++g->nm_grp;
		w = gen_chance(g, 20) ? -1 : (int)gen_below(g, 3);
	} else {
		w = g->grp[grp].win;
		/* KERNEL and DMA_IOMMU bind group mates reporting other
		 * windows, which the model (one window per group) leaves to
		 * test_scheme_fidelity: only NATIVE's refusal is emitted */
		if (g->scheme == SWMSI_SCHEME_NATIVE && gen_chance(g, 25)) {
			w = w < 0 ? 0 : (w + 1) % 3;
			bad = true;
		}
	}
	if (w >= 0)
		snprintf(win, sizeof(win), " window=0x%" PRIx64 ":0x%" PRIx64, gen_win_start(w),
			 gen_win_size(g, w));
	gen_cmd(g, bad ? "EINVAL" : NULL, "device dv%u group=%u%s", g->dev[d].name, g->grp[grp].num,
		win);
	if (bad)
		return true;
	if (!g->grp[grp].live) {
		g->grp[grp].live = true;
		g->grp[grp].win = w;
		g->grp[grp].pt = NO_PT;
		g->grp[grp].required = 0;
	}
	g->dev[d].live = true;
	g->dev[d].grp = grp;
	return true;
}

/* Map calls a group moving (or joining) onto @pt makes. */
static unsigned int move_calls(const struct gen *g, int grp, int pt)
{
	int dom = gen_pt_domain(g, pt);
	unsigned int calls = gen_popcount(g->grp[grp].required & ~g->present[dom]);

	if (pt >= MAX_HWPT && !g->auto_live[pt - MAX_HWPT])
		calls = gen_popcount(g->grp[grp].required) + gen_ioas_mappings(g, pt - MAX_HWPT);
	return calls;
}

/* KERNEL, DMA_IOMMU: a replace of @grp onto @pt failed in its install;
 * onto another HWPT of the IOAS it stays on, its devices lose their
 * reserved ranges there (upstream's error path removes them). */
static void failed_install(struct gen *g, int grp, int pt)
{
	unsigned int d;

	if (g->scheme == SWMSI_SCHEME_NATIVE ||
	    gen_pt_ioas(g, pt) != gen_pt_ioas(g, g->grp[grp].pt))
		return;
	for (d = 0; d < g->ndev; d++)
		if (g->dev[d].live && g->dev[d].attached && g->dev[d].grp == grp)
			g->dev[d].resv_lost = true;
}

/* Onto another IOAS, the group's attached devices reserve their ranges
 * there again, lost ones included. */
static void ranges_follow(struct gen *g, int grp, int old, int pt)
{
	unsigned int d;

	if (old == NO_PT || gen_pt_ioas(g, old) == gen_pt_ioas(g, pt))
		return;
	for (d = 0; d < g->ndev; d++)
		if (g->dev[d].grp == grp)
			g->dev[d].resv_lost = false;
}

static void move_group(struct gen *g, int grp, int pt)
{
	int old = g->grp[grp].pt, dom = gen_pt_domain(g, pt);

	ranges_follow(g, grp, old, pt);
	if (pt >= MAX_HWPT && !g->auto_live[pt - MAX_HWPT]) {
		g->auto_live[pt - MAX_HWPT] = true;
		g->present[pt] = 0;
		gen_cookie_reset(g, pt);
	}
	g->present[dom] |= g->grp[grp].required;
	g->grp[grp].pt = pt;
	gen_cookie_attach(g, grp, pt);
	if (old != NO_PT && old != pt)
		gen_left_pt(g, old);
	gen_reclaim(g);
}

bool gen_act_attach(struct gen *g, bool replace)
{
	int d = gen_pick_dev(g, replace ? 1 : gen_chance(g, 85) ? 0 : 1), grp, pt, cur;
	const char *err = NULL;
	char name[16];
	bool join = false;

	if (d < 0)
		return false;
	pt = gen_pick_pt(g, name, sizeof(name));
	if (pt == NO_PT)
		return false;
	grp = g->dev[d].grp;
	cur = g->grp[grp].pt;
	if (!replace) {
		/* iommufd's core (KERNEL, DMA_IOMMU): the device array insert
		 * fails first; NATIVE names the caller's bug */
		if (g->dev[d].attached)
			err = g->scheme == SWMSI_SCHEME_NATIVE ? "EINVAL" : "EBUSY";
		else if (cur != NO_PT && cur != pt)
			err = "EINVAL";
		else if (cur == pt)
			join = true;
	} else if (cur == pt) {
		join = true; /* a no-op */
	}
	if (!err && !join) {
		int w = gen_eff_win(g, grp), io = gen_pt_ioas(g, pt);

		if (w >= 0 && (g->ioas[io].intr & (1u << w)) &&
		    !(cur != NO_PT && gen_pt_ioas(g, cur) == io))
			err = "EADDRINUSE";
		if (!err) {
			err = gen_maybe_fault(g, move_calls(g, grp, pt));
			/* the fault hits the install unless a new automatic
			 * HWPT mirrors mappings first */
			if (err && replace &&
			    !(pt >= MAX_HWPT && !g->auto_live[pt - MAX_HWPT] &&
			      gen_ioas_mappings(g, pt - MAX_HWPT)))
				failed_install(g, grp, pt);
		}
	}
	gen_cmd(g, err, "%s dv%u %s", replace ? "replace" : "attach", g->dev[d].name, name);
	if (err)
		return true;
	g->dev[d].attached = true;
	if (!join)
		move_group(g, grp, pt);
	return true;
}

static void detach_dev(struct gen *g, int d)
{
	int grp = g->dev[d].grp, old = g->grp[grp].pt;

	g->dev[d].attached = false;
	g->dev[d].resv_lost = false;
	if (gen_group_attached_devs(g, grp))
		return;
	g->grp[grp].pt = NO_PT;
	gen_left_pt(g, old);
	gen_reclaim(g);
}

bool gen_act_detach(struct gen *g)
{
	int d = gen_pick_dev(g, gen_chance(g, 85) ? 1 : 0);

	if (d < 0)
		return false;
	/* upstream's detach of a detached device returns 0 and does nothing */
	gen_cmd(g, g->dev[d].attached || g->scheme != SWMSI_SCHEME_NATIVE ? NULL : "EINVAL",
		"detach dv%u", g->dev[d].name);
	if (g->dev[d].attached)
		detach_dev(g, d);
	return true;
}

void gen_free_vec(struct gen *g, int d, int v)
{
	struct g_vec *vec = &g->dev[d].vec[v];

	vec->live = false;
	if (vec->translated && vec->ent >= 0)
		g->ent[vec->ent].vectors--;
}

bool gen_act_unbind(struct gen *g)
{
	int d = gen_chance(g, 90) ? gen_pick_dev(g, -1) : (int)gen_below(g, g->ndev), grp;
	unsigned int v;

	if (d < 0 || !g->ndev)
		return false;
	if (!g->dev[d].live) {
		gen_cmd(g, "ENOENT", "unbind dv%u", g->dev[d].name);
		return true;
	}
	gen_cmd(g, NULL, "unbind dv%u", g->dev[d].name);
	grp = g->dev[d].grp;
	if (g->dev[d].attached)
		detach_dev(g, d);
	for (v = 0; v < MAX_VEC; v++)
		if (g->dev[d].vec[v].live)
			gen_free_vec(g, d, (int)v);
	g->dev[d].live = false;
	g->grp[grp].live = false;
	for (v = 0; v < g->ndev; v++)
		if (g->dev[v].live && g->dev[v].grp == grp)
			g->grp[grp].live = true;
	gen_reclaim(g);
	return true;
}

static const char *ioas_destroy_err(const struct gen *g, unsigned int i)
{
	if (!g->ioas[i].live)
		return "ENOENT";
	return gen_ioas_domains(g, (int)i) ? "EBUSY" : NULL;
}

static const char *hwpt_destroy_err(const struct gen *g, unsigned int i)
{
	unsigned int k;

	if (!g->hwpt[i].live)
		return "ENOENT";
	for (k = 0; k < g->ngrp; k++)
		if (g->grp[k].live && g->grp[k].pt == (int)i)
			return "EBUSY";
	for (k = 0; k < g->nhwpt; k++)
		if (g->hwpt[k].live && g->hwpt[k].nested && g->hwpt[k].parent == (int)i)
			return "EBUSY";
	return NULL;
}

static void destroy_ioas(struct gen *g, unsigned int i, const char *err)
{
	gen_cmd(g, err, "destroy io%u", g->ioas[i].name);
	if (!err)
		g->ioas[i].live = false;
}

static void destroy_hwpt(struct gen *g, unsigned int i, const char *err)
{
	gen_cmd(g, err, "destroy %s%u", gen_hpfx(g, (int)i), g->hwpt[i].name);
	if (err)
		return;
	g->hwpt[i].live = false;
	if (!g->hwpt[i].nested)
		g->present[i] = 0;
	gen_cookie_reset(g, (int)i);
}

/* Destroy an IOAS or HWPT that can go, freeing its slot; false if none can. */
static bool destroy_one_that_can_go(struct gen *g)
{
	unsigned int c[MAX_IOAS + MAX_HWPT], n = 0, i;

	for (i = 0; i < g->nioas; i++)
		if (g->ioas[i].live && !ioas_destroy_err(g, i))
			c[n++] = MAX_HWPT + i;
	for (i = 0; i < g->nhwpt; i++)
		if (g->hwpt[i].live && !hwpt_destroy_err(g, i))
			c[n++] = i;
	if (!n)
		return false;
	i = c[gen_below(g, n)];
	if (i >= MAX_HWPT)
		destroy_ioas(g, i - MAX_HWPT, NULL);
	else
		destroy_hwpt(g, i, NULL);
	return true;
}

bool gen_act_destroy(struct gen *g)
{
	unsigned int i;

	/* Mostly something that can go, so that a new object takes its slot. */
	if (gen_chance(g, 70) && destroy_one_that_can_go(g))
		return true;
	if (gen_chance(g, 40) && g->nioas) {
		i = gen_below(g, g->nioas);
		destroy_ioas(g, i, ioas_destroy_err(g, i));
		return true;
	}
	if (gen_chance(g, 10) && g->ndev) {
		i = gen_below(g, g->ndev);
		gen_cmd(g, g->dev[i].live ? "EINVAL" : "ENOENT", "destroy dv%u", g->dev[i].name);
		return true;
	}
	if (!g->nhwpt)
		return false;
	i = gen_below(g, g->nhwpt);
	destroy_hwpt(g, i, hwpt_destroy_err(g, i));
	return true;
}
