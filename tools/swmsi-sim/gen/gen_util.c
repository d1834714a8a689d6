/* SPDX-License-Identifier: MIT */
/*
 * The random generator's output (a text buffer, each command counted in
 * its mix), the model's queries, its object slots and its random picks.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gen_model.h"

static uint64_t rnd(struct gen *g)
{
	/* splitmix64: tiny, and every seed gives a good stream. */
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

unsigned int gen_below(struct gen *g, unsigned int n)
{
	return n ? (unsigned int)(rnd(g) % n) : 0;
}

bool gen_chance(struct gen *g, unsigned int percent)
{
	return gen_below(g, 100) < percent;
}

void gen_out(struct gen *g, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (g->oom)
		return;
	for (;;) {
		size_t room = g->cap - g->len;

		va_start(ap, fmt);
		n = vsnprintf(g->buf ? g->buf + g->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			g->oom = true;
			return;
		}
		if ((size_t)n < room) {
			g->len += (size_t)n;
			return;
		}
		/* room for the text and vsnprintf's NUL, then format again */
		if (sim_grow((void **)&g->buf, &g->cap, g->len + (size_t)n + 1, 1, 4096)) {
			g->oom = true;
			return;
		}
	}
}

/* The command words the generator emits, in the order gen_stats keeps them. */
const char *const gen_words[GEN_NWORDS] = {
	"window", "doorbell", "ioas",	"map",	    "unmap",  "hwpt",	"nested",
	"s1map",  "device",   "attach", "replace",  "detach", "unbind", "destroy",
	"msi",	  "free",     "fire",	"fail_map", "expect",
};

static void count(struct gen_stats *st, const char *line, bool err)
{
	size_t len = strcspn(line, " ");
	unsigned int w;

	st->steps++;
	st->errors += err;
	for (w = 0; w < GEN_NWORDS; w++)
		if (strlen(gen_words[w]) == len && !strncmp(gen_words[w], line, len)) {
			st->word[w].steps++;
			st->word[w].errors += err;
			return;
		}
}

/* A command line: counts as a step. @err is 0 or an error name. */
void gen_cmd(struct gen *g, const char *err, const char *fmt, ...)
{
	char line[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (err)
		gen_out(g, "%s => %s\n", line, err);
	else
		gen_out(g, "%s\n", line);
	g->steps++;
	count(g->st, line, err != NULL);
}

bool gen_room(const struct gen *g, unsigned int lines)
{
	return g->steps + lines <= g->target;
}

/* ---------------------------------------------------------------------- */
/* The model                                                              */

uint64_t gen_win_start(int w)
{
	static const uint64_t starts[NWIN] = { 0x8000000, 0x9000000, 0xa000000, 0x10000000 };

	return starts[w];
}

uint64_t gen_win_size(const struct gen *g, int w)
{
	/* Window 2 holds two pages: the one that runs out of slots. */
	return w == 2 ? 2 * g->page : 0x100000;
}

int gen_eff_win(const struct gen *g, int grp)
{
	if (g->grp[grp].win < 0)
		return -1;
	return g->override ? 3 : g->grp[grp].win;
}

static int pt_hwpt_base(const struct gen *g, int pt)
{
	return g->hwpt[pt].nested ? g->hwpt[pt].parent : pt;
}

/* The domain a group on @pt uses: a paging HWPT index, or AUTO_PT(ioas). */
int gen_pt_domain(const struct gen *g, int pt)
{
	return pt >= MAX_HWPT ? pt : pt_hwpt_base(g, pt);
}

int gen_pt_ioas(const struct gen *g, int pt)
{
	return pt >= MAX_HWPT ? pt - MAX_HWPT : g->hwpt[pt_hwpt_base(g, pt)].ioas;
}

bool gen_reserved(const struct gen *g, int ioas, int w)
{
	unsigned int d;

	/* each attached device holds its group's window, unless a failed
	 * same-IOAS replace dropped it */
	for (d = 0; d < g->ndev; d++) {
		int i = g->dev[d].grp;

		if (g->dev[d].live && g->dev[d].attached && !g->dev[d].resv_lost &&
		    g->grp[i].pt != NO_PT && gen_pt_ioas(g, g->grp[i].pt) == ioas &&
		    gen_eff_win(g, i) == w)
			return true;
	}
	return false;
}

bool gen_window_lost(const struct gen *g, int ioas, int w)
{
	unsigned int d;

	for (d = 0; d < g->ndev; d++) {
		int i = g->dev[d].grp;

		if (g->dev[d].live && g->dev[d].attached && g->dev[d].resv_lost &&
		    g->grp[i].pt != NO_PT && gen_pt_ioas(g, g->grp[i].pt) == ioas &&
		    gen_eff_win(g, i) == w)
			return true;
	}
	return false;
}

unsigned int gen_popcount(uint64_t v)
{
	unsigned int n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

unsigned int gen_ioas_mappings(const struct gen *g, int i)
{
	return gen_popcount(g->ioas[i].dma) + gen_popcount(g->ioas[i].intr);
}

unsigned int gen_ioas_domains(const struct gen *g, int i)
{
	unsigned int h, n = g->auto_live[i] ? 1 : 0;

	for (h = 0; h < g->nhwpt; h++)
		if (g->hwpt[h].live && !g->hwpt[h].nested && g->hwpt[h].ioas == i)
			n++;
	return n;
}

static void recompute_required(struct gen *g, int grp)
{
	unsigned int d, v;

	/* Under reclaim none a required bit never clears. */
	if (!g->unused)
		return;
	g->grp[grp].required = 0;
	for (d = 0; d < g->ndev; d++) {
		if (!g->dev[d].live || g->dev[d].grp != grp)
			continue;
		for (v = 0; v < MAX_VEC; v++)
			if (g->dev[d].vec[v].live && g->dev[d].vec[v].translated)
				g->grp[grp].required |= 1ull << g->dev[d].vec[v].ent;
	}
}

/* With reclaim unused a domain holds exactly what its groups need, and an
 * entry no vector uses is gone. */
void gen_reclaim(struct gen *g)
{
	unsigned int d, i;

	if (!g->unused)
		return;
	for (i = 0; i < g->ngrp; i++)
		if (g->grp[i].live)
			recompute_required(g, (int)i);
	for (d = 0; d < MAX_HWPT + MAX_IOAS; d++) {
		uint64_t need = 0;

		for (i = 0; i < g->ngrp; i++)
			if (g->grp[i].live && g->grp[i].pt != NO_PT &&
			    gen_pt_domain(g, g->grp[i].pt) == (int)d)
				need |= g->grp[i].required;
		g->present[d] &= need;
	}
	for (i = 0; i < MAX_ENT; i++)
		if (g->ent[i].live && !g->ent[i].vectors)
			g->ent[i].live = false;
}

bool gen_group_attached_devs(const struct gen *g, int grp)
{
	unsigned int d;

	for (d = 0; d < g->ndev; d++)
		if (g->dev[d].live && g->dev[d].attached && g->dev[d].grp == grp)
			return true;
	return false;
}

/* A domain made or gone: DMA_IOMMU's cookie starts again with the next
 * group that has a window. */
void gen_cookie_reset(struct gen *g, int dom)
{
	memset(&g->cookie[dom], 0, sizeof(g->cookie[dom]));
}

/* A group left @pt: an automatic HWPT goes with its last group. */
void gen_left_pt(struct gen *g, int pt)
{
	unsigned int i;

	if (pt < MAX_HWPT)
		return;
	for (i = 0; i < g->ngrp; i++)
		if (g->grp[i].live && g->grp[i].pt == pt)
			return;
	g->auto_live[pt - MAX_HWPT] = false;
	g->present[pt] = 0;
	gen_cookie_reset(g, pt);
}

/* ---------------------------------------------------------------------- */
/* Picking things                                                         */

const char *gen_hpfx(const struct gen *g, int h)
{
	return g->hwpt[h].nested ? "hn" : "hp";
}

/*
 * Slots for new objects: an unused one while there are, then a dead one
 * (destroyed, unbound, or never created); -1 when all are live.
 */
int gen_ioas_slot(struct gen *g)
{
	unsigned int i;

	if (g->nioas < MAX_IOAS)
		return (int)g->nioas++;
	for (i = 0; i < MAX_IOAS; i++)
		if (!g->ioas[i].live)
			return (int)i;
	return -1;
}

int gen_hwpt_slot(struct gen *g)
{
	unsigned int i;

	if (g->nhwpt < MAX_HWPT)
		return (int)g->nhwpt++;
	for (i = 0; i < MAX_HWPT; i++)
		if (!g->hwpt[i].live)
			return (int)i;
	return -1;
}

int gen_dev_slot(struct gen *g)
{
	unsigned int i;

	if (g->ndev < MAX_DEV)
		return (int)g->ndev++;
	for (i = 0; i < MAX_DEV; i++)
		if (!g->dev[i].live)
			return (int)i;
	return -1;
}

/* A group has a live device, so while a device slot is free so is a group's. */
int gen_grp_slot(struct gen *g)
{
	unsigned int i;

	if (g->ngrp < MAX_DEV)
		return (int)g->ngrp++;
	for (i = 0; i < MAX_DEV; i++)
		if (!g->grp[i].live)
			return (int)i;
	return -1;
}

/* A vector slot of device @d that holds no live vector; -1 if none. */
int gen_vec_slot(const struct gen *g, int d)
{
	int v;

	for (v = 0; v < MAX_VEC; v++)
		if (!g->dev[d].vec[v].live)
			return v;
	return -1;
}

int gen_pick_live_ioas(struct gen *g)
{
	int c[MAX_IOAS], n = 0;
	unsigned int i;

	for (i = 0; i < g->nioas; i++)
		if (g->ioas[i].live)
			c[n++] = (int)i;
	return n ? c[gen_below(g, (unsigned int)n)] : -1;
}

int gen_pick_hwpt(struct gen *g, int want_nested /* -1 either */)
{
	int c[MAX_HWPT], n = 0;
	unsigned int i;

	for (i = 0; i < g->nhwpt; i++)
		if (g->hwpt[i].live && (want_nested < 0 || g->hwpt[i].nested == (want_nested > 0)))
			c[n++] = (int)i;
	return n ? c[gen_below(g, (unsigned int)n)] : -1;
}

int gen_pick_dev(struct gen *g, int attached /* -1 either */)
{
	int c[MAX_DEV], n = 0;
	unsigned int i;

	for (i = 0; i < g->ndev; i++)
		if (g->dev[i].live && (attached < 0 || g->dev[i].attached == (attached > 0)))
			c[n++] = (int)i;
	return n ? c[gen_below(g, (unsigned int)n)] : -1;
}

/* A live vector: device in *d, index returned; -1 if none. */
int gen_pick_vec(struct gen *g, int *d)
{
	int cd[MAX_DEV * MAX_VEC], cv[MAX_DEV * MAX_VEC], n = 0, k;
	unsigned int i, v;

	for (i = 0; i < g->ndev; i++)
		for (v = 0; g->dev[i].live && v < MAX_VEC; v++)
			if (g->dev[i].vec[v].live) {
				cd[n] = (int)i;
				cv[n++] = (int)v;
			}
	if (!n)
		return -1;
	k = (int)gen_below(g, (unsigned int)n);
	*d = cd[k];
	return cv[k];
}

/* A PT to attach to: a live HWPT (paging or nested) or a live IOAS. */
int gen_pick_pt(struct gen *g, char *name, size_t len)
{
	int h = gen_pick_hwpt(g, -1), i = gen_pick_live_ioas(g);

	if (h >= 0 && (i < 0 || gen_chance(g, 70))) {
		snprintf(name, len, "%s%u", gen_hpfx(g, h), g->hwpt[h].name);
		return h;
	}
	if (i < 0)
		return NO_PT;
	snprintf(name, len, "io%u", g->ioas[i].name);
	return AUTO_PT(i);
}

/* ---------------------------------------------------------------------- */
/* Map faults: "fail_map 1 ENOMEM" right before a command that maps       */

/* Arm a fault for a command the model says makes @calls map calls and
 * would otherwise succeed. Returns the error the command then gets. */
const char *gen_maybe_fault(struct gen *g, unsigned int calls)
{
	if (!calls || !g->arm || !gen_room(g, 2))
		return NULL;
	g->arm = false;
	gen_cmd(g, NULL, "fail_map 1 ENOMEM");
	return "ENOMEM";
}

/* ---------------------------------------------------------------------- */
/* Actions: each predicts, emits, and applies. false: not applicable now. */
