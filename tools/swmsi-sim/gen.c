/* SPDX-License-Identifier: MIT */
/*
 * The random scenario generator. It keeps a small model of the API's rules
 * (API.md, "Semantics in detail") and emits only commands whose outcome the
 * model predicts: each line carries its "=> ERR" or none, and expectations
 * (expect iova, mapped, same, ...) come from the model too. Running the
 * result therefore checks the library against an independent model, on top
 * of the invariants the runner checks after every step.
 *
 * To keep predictions exact, the generator stays inside a universe where
 * every outcome is decidable: windows are disjoint, doorbells and DMA live in
 * ranges no window covers, names and group numbers are never reused, only
 * live objects are used (but destroy/unbind may hit dead ones), and an
 * injected map fault is armed only right before a command the model knows
 * will make at least one map call.
 *
 * Objects are recycled so that a long run keeps testing: the model holds a
 * few slots per kind, and a slot whose object was destroyed (or unbound, or
 * never created) takes the next object of its kind under a fresh name, so
 * the scenario's population stays small while its history grows. A freed
 * vector's label is allocated again. Teardown mostly picks what can go
 * (gen_stats counts, per command, how many steps expect an error).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "sim.h"

#define MAX_IOAS   3
#define MAX_HWPT   12 /* paging and nested, named */
#define MAX_DEV	   16
#define MAX_VEC	   8 /* per device */
#define MAX_ENT	   64
#define NWIN	   4
#define NDOORBELL  6
#define NDMA	   4
#define NO_PT	   (-1)
#define AUTO_PT(i) (MAX_HWPT + (i)) /* a group on IOAS i's automatic HWPT */

#define DOORBELL_BASE ((uint64_t)0x20000000)
#define DMA_IOVA      ((uint64_t)0x40000000)
#define DMA_PADDR     ((uint64_t)0x100000000)
#define CHUNK	      ((uint64_t)0x10000) /* 64K: aligned for every page size */

struct g_vec {
	bool live;
	bool translated;
	int ent;
	uint64_t msi, msg;
};

struct g_dev {
	bool live, attached;
	unsigned int name; /* dv<name> */
	int grp;
	struct g_vec vec[MAX_VEC]; /* slot v is label v<v> */
};

struct g_group {
	bool live;
	unsigned int num;  /* group=<num> */
	int win;	   /* the window its devices report: -1 none */
	int pt;		   /* NO_PT, a HWPT index or AUTO_PT(ioas) */
	uint64_t required; /* map ids */
};

struct g_hwpt {
	bool live;
	bool nested, nest_parent;
	unsigned int name; /* hp<name> or hn<name> */
	int ioas;
	int parent;
	unsigned int s1; /* windows the guest maps 1:1 in stage 1 */
};

struct g_ioas {
	bool live;
	unsigned int name; /* io<name> */
	unsigned int dma;  /* DMA chunks mapped */
	unsigned int intr; /* windows a mapping intrudes into */
};

struct g_ent {
	bool live;
	int win;
	uint64_t page;
	unsigned int slot;
	unsigned int vectors;
};

struct gen {
	uint64_t rng;
	char *buf;
	size_t len, cap;
	bool oom;
	unsigned int steps, target;
	uint64_t page;
	bool unused, override, allowlist;
	unsigned int max_ids;
	/* Slots: n* is how many were ever used, a dead one is taken again. */
	struct g_ioas ioas[MAX_IOAS];
	unsigned int nioas;
	struct g_hwpt hwpt[MAX_HWPT];
	unsigned int nhwpt;
	struct g_dev dev[MAX_DEV];
	unsigned int ndev;
	struct g_group grp[MAX_DEV];
	unsigned int ngrp;
	/* The next fresh name of each kind, and the next group number. */
	unsigned int nm_ioas, nm_hwpt, nm_dev, nm_grp;
	struct g_ent ent[MAX_ENT];
	uint64_t present[MAX_HWPT + MAX_IOAS]; /* per domain: map ids */
	bool auto_live[MAX_IOAS];
	bool arm; /* arm a map fault before the next candidate */
	struct gen_stats *st;
};

/* ---------------------------------------------------------------------- */

static uint64_t rnd(struct gen *g)
{
	/* splitmix64: tiny, and every seed gives a good stream. */
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned int below(struct gen *g, unsigned int n)
{
	return n ? (unsigned int)(rnd(g) % n) : 0;
}

static bool chance(struct gen *g, unsigned int percent)
{
	return below(g, 100) < percent;
}

static void out(struct gen *g, const char *fmt, ...) SIM_PRINTF(2, 3);

static void out(struct gen *g, const char *fmt, ...)
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
static const char *const gen_words[GEN_NWORDS] = {
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
static void cmd(struct gen *g, const char *err, const char *fmt, ...) SIM_PRINTF(3, 4);

static void cmd(struct gen *g, const char *err, const char *fmt, ...)
{
	char line[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (err)
		out(g, "%s => %s\n", line, err);
	else
		out(g, "%s\n", line);
	g->steps++;
	count(g->st, line, err != NULL);
}

static bool room(const struct gen *g, unsigned int lines)
{
	return g->steps + lines <= g->target;
}

/* ---------------------------------------------------------------------- */
/* The model                                                              */

static uint64_t win_start(int w)
{
	static const uint64_t starts[NWIN] = { 0x8000000, 0x9000000, 0xa000000, 0x10000000 };

	return starts[w];
}

static uint64_t win_size(const struct gen *g, int w)
{
	/* Window 2 holds two pages: the one that runs out of slots. */
	return w == 2 ? 2 * g->page : 0x100000;
}

static int eff_win(const struct gen *g, int grp)
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
static int pt_domain(const struct gen *g, int pt)
{
	return pt >= MAX_HWPT ? pt : pt_hwpt_base(g, pt);
}

static int pt_ioas(const struct gen *g, int pt)
{
	return pt >= MAX_HWPT ? pt - MAX_HWPT : g->hwpt[pt_hwpt_base(g, pt)].ioas;
}

static bool reserved(const struct gen *g, int ioas, int w)
{
	unsigned int i;

	for (i = 0; i < g->ngrp; i++)
		if (g->grp[i].live && g->grp[i].pt != NO_PT && pt_ioas(g, g->grp[i].pt) == ioas &&
		    eff_win(g, (int)i) == w)
			return true;
	return false;
}

static unsigned int popcount(uint64_t v)
{
	unsigned int n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

static unsigned int ioas_mappings(const struct gen *g, int i)
{
	return popcount(g->ioas[i].dma) + popcount(g->ioas[i].intr);
}

static unsigned int ioas_domains(const struct gen *g, int i)
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
static void reclaim(struct gen *g)
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
			    pt_domain(g, g->grp[i].pt) == (int)d)
				need |= g->grp[i].required;
		g->present[d] &= need;
	}
	for (i = 0; i < MAX_ENT; i++)
		if (g->ent[i].live && !g->ent[i].vectors)
			g->ent[i].live = false;
}

static bool group_attached_devs(const struct gen *g, int grp)
{
	unsigned int d;

	for (d = 0; d < g->ndev; d++)
		if (g->dev[d].live && g->dev[d].attached && g->dev[d].grp == grp)
			return true;
	return false;
}

/* A group left @pt: an automatic HWPT goes with its last group. */
static void left_pt(struct gen *g, int pt)
{
	unsigned int i;

	if (pt < MAX_HWPT)
		return;
	for (i = 0; i < g->ngrp; i++)
		if (g->grp[i].live && g->grp[i].pt == pt)
			return;
	g->auto_live[pt - MAX_HWPT] = false;
	g->present[pt] = 0;
}

/* ---------------------------------------------------------------------- */
/* Picking things                                                         */

static const char *hpfx(const struct gen *g, int h)
{
	return g->hwpt[h].nested ? "hn" : "hp";
}

/*
 * Slots for new objects: an unused one while there are, then a dead one
 * (destroyed, unbound, or never created); -1 when all are live.
 */
static int ioas_slot(struct gen *g)
{
	unsigned int i;

	if (g->nioas < MAX_IOAS)
		return (int)g->nioas++;
	for (i = 0; i < MAX_IOAS; i++)
		if (!g->ioas[i].live)
			return (int)i;
	return -1;
}

static int hwpt_slot(struct gen *g)
{
	unsigned int i;

	if (g->nhwpt < MAX_HWPT)
		return (int)g->nhwpt++;
	for (i = 0; i < MAX_HWPT; i++)
		if (!g->hwpt[i].live)
			return (int)i;
	return -1;
}

static int dev_slot(struct gen *g)
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
static int grp_slot(struct gen *g)
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
static int vec_slot(const struct gen *g, int d)
{
	int v;

	for (v = 0; v < MAX_VEC; v++)
		if (!g->dev[d].vec[v].live)
			return v;
	return -1;
}

static int pick_live_ioas(struct gen *g)
{
	int c[MAX_IOAS], n = 0;
	unsigned int i;

	for (i = 0; i < g->nioas; i++)
		if (g->ioas[i].live)
			c[n++] = (int)i;
	return n ? c[below(g, (unsigned int)n)] : -1;
}

static int pick_hwpt(struct gen *g, int want_nested /* -1 either */)
{
	int c[MAX_HWPT], n = 0;
	unsigned int i;

	for (i = 0; i < g->nhwpt; i++)
		if (g->hwpt[i].live && (want_nested < 0 || g->hwpt[i].nested == (want_nested > 0)))
			c[n++] = (int)i;
	return n ? c[below(g, (unsigned int)n)] : -1;
}

static int pick_dev(struct gen *g, int attached /* -1 either */)
{
	int c[MAX_DEV], n = 0;
	unsigned int i;

	for (i = 0; i < g->ndev; i++)
		if (g->dev[i].live && (attached < 0 || g->dev[i].attached == (attached > 0)))
			c[n++] = (int)i;
	return n ? c[below(g, (unsigned int)n)] : -1;
}

/* A live vector: device in *d, index returned; -1 if none. */
static int pick_vec(struct gen *g, int *d)
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
	k = (int)below(g, (unsigned int)n);
	*d = cd[k];
	return cv[k];
}

/* A PT to attach to: a live HWPT (paging or nested) or a live IOAS. */
static int pick_pt(struct gen *g, char *name, size_t len)
{
	int h = pick_hwpt(g, -1), i = pick_live_ioas(g);

	if (h >= 0 && (i < 0 || chance(g, 70))) {
		snprintf(name, len, "%s%u", hpfx(g, h), g->hwpt[h].name);
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
static const char *maybe_fault(struct gen *g, unsigned int calls)
{
	if (!calls || !g->arm || !room(g, 2))
		return NULL;
	g->arm = false;
	cmd(g, NULL, "fail_map 1 ENOMEM");
	return "ENOMEM";
}

/* ---------------------------------------------------------------------- */
/* Actions: each predicts, emits, and applies. false: not applicable now. */

static bool act_ioas(struct gen *g)
{
	int i = ioas_slot(g);

	if (i < 0)
		return false;
	memset(&g->ioas[i], 0, sizeof(g->ioas[i]));
	g->ioas[i].live = true;
	g->ioas[i].name = g->nm_ioas++;
	cmd(g, NULL, "ioas io%u", g->ioas[i].name);
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

static bool act_map(struct gen *g)
{
	int i = pick_live_ioas(g), w = -1, k = -1;
	const char *err = NULL;
	uint64_t iova, pa;

	if (i < 0)
		return false;
	if (chance(g, 25)) {
		w = (int)below(g, NWIN);
		iova = win_start(w);
		pa = DMA_PADDR + 0x1000000 + (uint64_t)w * CHUNK;
	} else {
		k = (int)below(g, NDMA);
		/* Mostly a free chunk: -EEXIST is worth seeing, not every time. */
		if ((g->ioas[i].dma & (1u << k)) && g->ioas[i].dma != (1u << NDMA) - 1 &&
		    chance(g, 80))
			while (g->ioas[i].dma & (1u << k))
				k = (k + 1) % NDMA;
		iova = DMA_IOVA + (uint64_t)k * CHUNK;
		pa = DMA_PADDR + (uint64_t)k * CHUNK;
	}
	if (w >= 0 && reserved(g, i, w))
		err = "EADDRINUSE";
	else if ((w >= 0 && (g->ioas[i].intr & (1u << w))) ||
		 (k >= 0 && (g->ioas[i].dma & (1u << k))))
		err = "EEXIST";
	else if (w >= 0 && stale_msi_at(g, i, w))
		err = "EEXIST";
	if (!err)
		err = maybe_fault(g, ioas_domains(g, i));
	cmd(g, err, "map io%u 0x%" PRIx64 " 0x%" PRIx64 " 64K rw", g->ioas[i].name, iova, pa);
	if (err)
		return true;
	if (w >= 0)
		g->ioas[i].intr |= 1u << w;
	else
		g->ioas[i].dma |= 1u << k;
	return true;
}

static bool act_unmap(struct gen *g)
{
	int i = pick_live_ioas(g), w = -1, k = -1;
	bool mapped;
	uint64_t iova;

	if (i < 0)
		return false;
	if (g->ioas[i].intr && chance(g, 50)) {
		do
			w = (int)below(g, NWIN);
		while (!(g->ioas[i].intr & (1u << w)));
		iova = win_start(w);
		mapped = true;
	} else {
		k = (int)below(g, NDMA);
		iova = DMA_IOVA + (uint64_t)k * CHUNK;
		mapped = g->ioas[i].dma & (1u << k);
	}
	cmd(g, mapped ? NULL : "ENOENT", "unmap io%u 0x%" PRIx64 " 64K", g->ioas[i].name, iova);
	if (!mapped)
		return true;
	if (w >= 0)
		g->ioas[i].intr &= ~(1u << w);
	else
		g->ioas[i].dma &= ~(1u << k);
	return true;
}

static bool act_hwpt(struct gen *g)
{
	int i = pick_live_ioas(g), h;
	const char *err;
	bool np = chance(g, 50);

	if (i < 0)
		return false;
	h = hwpt_slot(g);
	if (h < 0)
		return false;
	memset(&g->hwpt[h], 0, sizeof(g->hwpt[h]));
	g->hwpt[h].name = g->nm_hwpt++;
	err = maybe_fault(g, ioas_mappings(g, i));
	cmd(g, err, "hwpt hp%u io%u%s", g->hwpt[h].name, g->ioas[i].name, np ? " nest_parent" : "");
	if (err)
		return true;
	g->hwpt[h].live = true;
	g->hwpt[h].ioas = i;
	g->hwpt[h].nest_parent = np;
	g->present[h] = 0;
	return true;
}

static bool act_nested(struct gen *g)
{
	int p = pick_hwpt(g, -1), h;
	bool ok;

	if (p < 0)
		return false;
	ok = !g->hwpt[p].nested && g->hwpt[p].nest_parent;
	if (!ok && !chance(g, 30))
		return false;
	h = hwpt_slot(g);
	if (h < 0)
		return false;
	memset(&g->hwpt[h], 0, sizeof(g->hwpt[h]));
	g->hwpt[h].name = g->nm_hwpt++;
	g->hwpt[h].nested = true; /* its name says so even when it fails */
	cmd(g, ok ? NULL : "EINVAL", "nested hn%u %s%u", g->hwpt[h].name, hpfx(g, p),
	    g->hwpt[p].name);
	if (!ok)
		return true;
	g->hwpt[h].live = true;
	g->hwpt[h].parent = p;
	g->hwpt[h].ioas = g->hwpt[p].ioas;
	return true;
}

static bool act_s1map(struct gen *g)
{
	int h = pick_hwpt(g, 1), w;
	bool dup;

	if (h < 0)
		return false;
	w = g->override ? 3 : (int)below(g, 3);
	dup = g->hwpt[h].s1 & (1u << w);
	/* A long-lived nested HWPT has its windows mapped: -EEXIST now and then. */
	if (dup && chance(g, 75))
		return false;
	cmd(g, dup ? "EEXIST" : NULL, "s1map hn%u 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 " rw",
	    g->hwpt[h].name, win_start(w), win_start(w), win_size(g, w));
	if (!dup)
		g->hwpt[h].s1 |= 1u << w;
	return true;
}

static bool act_device(struct gen *g)
{
	int d = dev_slot(g), grp = -1, w;
	bool bad = false;
	char win[64] = "";

	if (d < 0)
		return false;
	memset(&g->dev[d], 0, sizeof(g->dev[d]));
	g->dev[d].name = g->nm_dev++;
	/* Join a live group (sometimes with the wrong window), or a new one. */
	if (g->ngrp && chance(g, 35)) {
		grp = (int)below(g, g->ngrp);
		if (!g->grp[grp].live)
			grp = -1;
	}
	if (grp < 0) {
		grp = grp_slot(g);
		if (grp < 0)
			return false; /* cannot happen: see grp_slot() */
		g->grp[grp].num = ++g->nm_grp;
		w = chance(g, 20) ? -1 : (int)below(g, 3);
	} else {
		w = g->grp[grp].win;
		if (chance(g, 25)) {
			w = w < 0 ? 0 : (w + 1) % 3;
			bad = true;
		}
	}
	if (w >= 0)
		snprintf(win, sizeof(win), " window=0x%" PRIx64 ":0x%" PRIx64, win_start(w),
			 win_size(g, w));
	cmd(g, bad ? "EINVAL" : NULL, "device dv%u group=%u%s", g->dev[d].name, g->grp[grp].num,
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
	int dom = pt_domain(g, pt);
	unsigned int calls = popcount(g->grp[grp].required & ~g->present[dom]);

	if (pt >= MAX_HWPT && !g->auto_live[pt - MAX_HWPT])
		calls = popcount(g->grp[grp].required) + ioas_mappings(g, pt - MAX_HWPT);
	return calls;
}

static void move_group(struct gen *g, int grp, int pt)
{
	int old = g->grp[grp].pt, dom = pt_domain(g, pt);

	if (pt >= MAX_HWPT && !g->auto_live[pt - MAX_HWPT]) {
		g->auto_live[pt - MAX_HWPT] = true;
		g->present[pt] = 0;
	}
	g->present[dom] |= g->grp[grp].required;
	g->grp[grp].pt = pt;
	if (old != NO_PT && old != pt)
		left_pt(g, old);
	reclaim(g);
}

static bool act_attach(struct gen *g, bool replace)
{
	int d = pick_dev(g, replace ? 1 : chance(g, 85) ? 0 : 1), grp, pt, cur;
	const char *err = NULL;
	char name[16];
	bool join = false;

	if (d < 0)
		return false;
	pt = pick_pt(g, name, sizeof(name));
	if (pt == NO_PT)
		return false;
	grp = g->dev[d].grp;
	cur = g->grp[grp].pt;
	if (!replace) {
		if (g->dev[d].attached)
			err = "EINVAL";
		else if (cur != NO_PT && cur != pt)
			err = "EINVAL";
		else if (cur == pt)
			join = true;
	} else if (cur == pt) {
		join = true; /* a no-op */
	}
	if (!err && !join) {
		int w = eff_win(g, grp), io = pt_ioas(g, pt);

		if (w >= 0 && (g->ioas[io].intr & (1u << w)) &&
		    !(cur != NO_PT && pt_ioas(g, cur) == io))
			err = "EADDRINUSE";
		if (!err)
			err = maybe_fault(g, move_calls(g, grp, pt));
	}
	cmd(g, err, "%s dv%u %s", replace ? "replace" : "attach", g->dev[d].name, name);
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
	if (group_attached_devs(g, grp))
		return;
	g->grp[grp].pt = NO_PT;
	left_pt(g, old);
	reclaim(g);
}

static bool act_detach(struct gen *g)
{
	int d = pick_dev(g, chance(g, 85) ? 1 : 0);

	if (d < 0)
		return false;
	cmd(g, g->dev[d].attached ? NULL : "EINVAL", "detach dv%u", g->dev[d].name);
	if (g->dev[d].attached)
		detach_dev(g, d);
	return true;
}

static void free_vec(struct gen *g, int d, int v)
{
	struct g_vec *vec = &g->dev[d].vec[v];

	vec->live = false;
	if (vec->translated)
		g->ent[vec->ent].vectors--;
}

static bool act_unbind(struct gen *g)
{
	int d = chance(g, 90) ? pick_dev(g, -1) : (int)below(g, g->ndev), grp;
	unsigned int v;

	if (d < 0 || !g->ndev)
		return false;
	if (!g->dev[d].live) {
		cmd(g, "ENOENT", "unbind dv%u", g->dev[d].name);
		return true;
	}
	cmd(g, NULL, "unbind dv%u", g->dev[d].name);
	grp = g->dev[d].grp;
	if (g->dev[d].attached)
		detach_dev(g, d);
	for (v = 0; v < MAX_VEC; v++)
		if (g->dev[d].vec[v].live)
			free_vec(g, d, (int)v);
	g->dev[d].live = false;
	g->grp[grp].live = false;
	for (v = 0; v < g->ndev; v++)
		if (g->dev[v].live && g->dev[v].grp == grp)
			g->grp[grp].live = true;
	reclaim(g);
	return true;
}

static const char *ioas_destroy_err(const struct gen *g, unsigned int i)
{
	if (!g->ioas[i].live)
		return "ENOENT";
	return ioas_domains(g, (int)i) ? "EBUSY" : NULL;
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
	cmd(g, err, "destroy io%u", g->ioas[i].name);
	if (!err)
		g->ioas[i].live = false;
}

static void destroy_hwpt(struct gen *g, unsigned int i, const char *err)
{
	cmd(g, err, "destroy %s%u", hpfx(g, (int)i), g->hwpt[i].name);
	if (err)
		return;
	g->hwpt[i].live = false;
	if (!g->hwpt[i].nested)
		g->present[i] = 0;
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
	i = c[below(g, n)];
	if (i >= MAX_HWPT)
		destroy_ioas(g, i - MAX_HWPT, NULL);
	else
		destroy_hwpt(g, i, NULL);
	return true;
}

static bool act_destroy(struct gen *g)
{
	unsigned int i;

	/* Mostly something that can go, so that a new object takes its slot. */
	if (chance(g, 70) && destroy_one_that_can_go(g))
		return true;
	if (chance(g, 40) && g->nioas) {
		i = below(g, g->nioas);
		destroy_ioas(g, i, ioas_destroy_err(g, i));
		return true;
	}
	if (chance(g, 10) && g->ndev) {
		i = below(g, g->ndev);
		cmd(g, g->dev[i].live ? "EINVAL" : "ENOENT", "destroy dv%u", g->dev[i].name);
		return true;
	}
	if (!g->nhwpt)
		return false;
	i = below(g, g->nhwpt);
	destroy_hwpt(g, i, hwpt_destroy_err(g, i));
	return true;
}

static uint64_t doorbell(struct gen *g, unsigned int j)
{
	static const uint64_t offs[] = { 0x40, 0x44, 0x0, 0x48 };

	return DOORBELL_BASE + (uint64_t)j * CHUNK + offs[below(g, 4)];
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
	int w = eff_win(g, grp), dom = pt_domain(g, g->grp[grp].pt);
	unsigned int live;
	const char *err = NULL;

	*e = find_entry(g, w, addr & ~(g->page - 1), used, &live);
	if (g->allowlist && j >= 4)
		err = "EPERM";
	else if (*e < 0 && live >= g->max_ids)
		err = "EOVERFLOW";
	else if (*e < 0 && popcount(*used) >= win_size(g, w) / g->page)
		err = "ENOSPC";
	if (!err)
		err = maybe_fault(g, *e < 0 || !(g->present[dom] & (1ull << *e)) ? 1 : 0);
	return err;
}

static bool act_msi(struct gen *g)
{
	int d = pick_dev(g, chance(g, 85) ? 1 : -1), grp, w, e = -1, vs;
	unsigned int j = below(g, NDOORBELL);
	const char *err = NULL;
	uint64_t addr, used = 0;
	struct g_vec *v;
	bool translated;

	if (d < 0 || (vs = vec_slot(g, d)) < 0)
		return false;
	grp = g->dev[d].grp;
	w = eff_win(g, grp);
	addr = doorbell(g, j);
	translated = w >= 0 && g->grp[grp].pt != NO_PT;
	err = translated ? msi_predict(g, grp, addr, j, &e, &used) : maybe_fault(g, 0);
	/* A failed call declares the label too: a later msi takes it again. */
	v = &g->dev[d].vec[vs];
	cmd(g, err, "msi dv%u v%d 0x%" PRIx64, g->dev[d].name, vs, addr);
	memset(v, 0, sizeof(*v));
	if (err)
		return true;
	v->live = true;
	v->msi = addr;
	v->translated = translated;
	if (!translated) {
		v->msg = addr;
		if (room(g, 1))
			cmd(g, NULL, "expect untranslated dv%u v%d", g->dev[d].name, vs);
		return true;
	}
	if (e < 0)
		e = new_entry(g, w, addr & ~(g->page - 1), used);
	g->ent[e].vectors++;
	v->ent = e;
	v->msg = win_start(w) + g->ent[e].slot * g->page + (addr & (g->page - 1));
	g->grp[grp].required |= 1ull << e;
	g->present[pt_domain(g, g->grp[grp].pt)] |= 1ull << e;
	if (room(g, 1))
		cmd(g, NULL, "expect iova dv%u v%d 0x%" PRIx64, g->dev[d].name, vs, v->msg);
	return true;
}

static bool act_free(struct gen *g)
{
	int d, v = pick_vec(g, &d);

	if (v < 0)
		return false;
	cmd(g, NULL, "free dv%u v%d", g->dev[d].name, v);
	free_vec(g, d, v);
	reclaim(g);
	return true;
}

static bool act_fire(struct gen *g)
{
	int d, v = pick_vec(g, &d), grp, pt;
	const struct g_vec *vec;
	bool lands;

	if (v < 0)
		return false;
	vec = &g->dev[d].vec[v];
	grp = g->dev[d].grp;
	pt = g->grp[grp].pt;
	if (eff_win(g, grp) < 0)
		lands = true; /* no window: untranslated, always */
	else if (pt == NO_PT || !vec->translated)
		lands = false; /* blocked, or a doorbell address the domain lacks */
	else if (pt < MAX_HWPT && g->hwpt[pt].nested)
		lands = g->hwpt[pt].s1 & (1u << eff_win(g, grp));
	else
		lands = true;
	cmd(g, lands ? NULL : "EFAULT", "fire dv%u v%d", g->dev[d].name, v);
	return true;
}

static bool act_expect(struct gen *g)
{
	int d, v, d2, v2, h, e;
	unsigned int i, n = 0, k;

	switch (below(g, 3)) {
	case 0:
		v = pick_vec(g, &d);
		v2 = pick_vec(g, &d2);
		if (v < 0 || (d == d2 && v == v2))
			return false;
		cmd(g, NULL, "expect %s dv%u v%d dv%u v%d",
		    g->dev[d].vec[v].msg == g->dev[d2].vec[v2].msg ? "same" : "differ",
		    g->dev[d].name, v, g->dev[d2].name, v2);
		return true;
	case 1:
		/* An MSI slot of some entry seen through a paging HWPT. */
		h = pick_hwpt(g, 0);
		if (h < 0)
			return false;
		for (i = 0; i < MAX_ENT; i++)
			if (g->ent[i].live)
				n++;
		if (!n)
			return false;
		k = below(g, n);
		for (e = 0; e < MAX_ENT; e++)
			if (g->ent[e].live && !k--)
				break;
		if (g->present[h] & (1ull << e)) {
			cmd(g, NULL, "expect mapped hp%u 0x%" PRIx64 " 0x%" PRIx64, g->hwpt[h].name,
			    win_start(g->ent[e].win) + g->ent[e].slot * g->page, g->ent[e].page);
			return true;
		}
		/* Unless a DMA mapping intrudes there (its IOAS has no such group). */
		if (g->ioas[g->hwpt[h].ioas].intr & (1u << g->ent[e].win))
			return false;
		cmd(g, NULL, "expect unmapped hp%u 0x%" PRIx64, g->hwpt[h].name,
		    win_start(g->ent[e].win) + g->ent[e].slot * g->page);
		return true;
	default:
		/* DMA mirrored into a paging HWPT. */
		h = pick_hwpt(g, 0);
		if (h < 0)
			return false;
		k = below(g, NDMA);
		if (g->ioas[g->hwpt[h].ioas].dma & (1u << k))
			cmd(g, NULL, "expect mapped hp%u 0x%" PRIx64 " 0x%" PRIx64, g->hwpt[h].name,
			    DMA_IOVA + k * CHUNK + 0x10, DMA_PADDR + k * CHUNK + 0x10);
		else
			cmd(g, NULL, "expect unmapped hp%u 0x%" PRIx64, g->hwpt[h].name,
			    DMA_IOVA + k * CHUNK);
		return true;
	}
}

/*
 * Malformed arguments: -EINVAL (or -EOVERFLOW for a wrapping range) before
 * any id is looked at, so a destroyed object gets the same answer as a live
 * one (API.md, "Order of checks").
 */
static bool act_bad(struct gen *g)
{
	unsigned int i = g->ioas[below(g, g->nioas ? g->nioas : 1)].name;

	switch (below(g, 7)) {
	case 0:
		if (!g->nioas)
			return false;
		cmd(g, "EINVAL", "map io%u 0x%" PRIx64 " 0x%" PRIx64 " 64K rw", i, DMA_IOVA + 0x100,
		    DMA_PADDR);
		return true;
	case 1:
		if (!g->nioas)
			return false;
		cmd(g, "EINVAL", "map io%u 0x%" PRIx64 " 0x%" PRIx64 " 0 rw", i, DMA_IOVA,
		    DMA_PADDR);
		return true;
	case 2:
		if (!g->nioas)
			return false;
		cmd(g, "EINVAL", "unmap io%u 0x%" PRIx64 " 0x100", i, DMA_IOVA);
		return true;
	case 3:
		if (!g->nioas)
			return false;
		cmd(g, "EOVERFLOW", "map io%u 0xffffffffffff0000 0x%" PRIx64 " 128K rw", i,
		    DMA_PADDR);
		return true;
	case 4:
		cmd(g, "EINVAL", "window 0x%" PRIx64 " 1M", win_start(3) + 0x800);
		return true;
	case 5:
		cmd(g, "EINVAL", "doorbell 0x%" PRIx64 " 0x%" PRIx64, DOORBELL_BASE + 0x100, CHUNK);
		return true;
	default:
		/* Fresh: a failed bind declares its name but creates no group. */
		cmd(g, "EINVAL", "device dv%u group=%u window=0x%" PRIx64 ":1M", g->nm_dev++,
		    ++g->nm_grp, win_start(0) + 0x100);
		return true;
	}
}

static void header(struct gen *g, uint64_t seed)
{
	static const unsigned int shifts[] = { 12, 12, 14, 16 };
	unsigned int shift = shifts[below(g, 4)];

	g->page = 1ull << shift;
	g->unused = chance(g, 50);
	g->max_ids = chance(g, 25) ? 3 + below(g, 2) : 64;
	g->override = chance(g, 20);
	g->allowlist = chance(g, 30);
	out(g, "# generated by swmsi-sim --seed %" PRIu64 " --random %u\n", seed, g->target);
	if (shift != 12)
		out(g, "option page_shift %u\n", shift);
	if (g->max_ids != 64)
		out(g, "option max_msi_maps %u\n", g->max_ids);
	if (g->unused)
		out(g, "option reclaim unused\n");
	if (g->override && room(g, 1))
		cmd(g, NULL, "window 0x%" PRIx64 " 1M", win_start(3));
	if (g->allowlist && room(g, 1))
		cmd(g, NULL, "doorbell 0x%" PRIx64 " 0x%" PRIx64, DOORBELL_BASE, 4 * CHUNK);
}

static bool any_live_ioas(const struct gen *g)
{
	unsigned int i;

	for (i = 0; i < g->nioas; i++)
		if (g->ioas[i].live)
			return true;
	return false;
}

/* One random action; false when it did not apply (nothing emitted). */
static bool act(struct gen *g)
{
	unsigned int r = below(g, 100);

	/* Now and then, the next command that maps gets a fault. */
	if (chance(g, 4))
		g->arm = true;
	if (!any_live_ioas(g) || r < 3)
		return act_ioas(g);
	if (r < 9)
		return act_map(g);
	if (r < 14)
		return act_unmap(g);
	if (r < 19)
		return act_hwpt(g);
	if (r < 22)
		return act_nested(g);
	if (r < 26)
		return act_s1map(g);
	if (r < 32)
		return act_device(g);
	if (r < 40)
		return act_attach(g, false);
	if (r < 47)
		return act_attach(g, true);
	if (r < 51)
		return act_detach(g);
	if (r < 53)
		return act_unbind(g);
	if (r < 56)
		return act_destroy(g);
	if (r < 70)
		return act_msi(g);
	if (r < 76)
		return act_free(g);
	if (r < 85)
		return act_fire(g);
	if (r < 88)
		return act_bad(g);
	return act_expect(g);
}

char *sim_generate_stats(uint64_t seed, unsigned int steps, struct gen_stats *st)
{
	struct gen_stats scratch;
	struct gen *g = calloc(1, sizeof(*g));
	unsigned int guard = 0, w;
	char *text;

	if (!st)
		st = &scratch;
	memset(st, 0, sizeof(*st));
	if (!g)
		return NULL;
	g->st = st;
	g->rng = seed;
	g->target = steps;
	header(g, seed);
	while (g->steps < g->target && !g->oom && guard++ < steps * 64 + 1000)
		act(g);
	text = g->oom ? NULL : g->buf;
	if (!text) {
		free(g->buf);
		memset(st, 0, sizeof(*st));
	} else if (!g->len) {
		text[0] = '\0';
	}
	for (w = 0; text && w < GEN_NWORDS; w++)
		if (st->word[w].steps)
			st->word[w].word = gen_words[w];
	free(g);
	return text;
}

char *sim_generate(uint64_t seed, unsigned int steps)
{
	return sim_generate_stats(seed, steps, NULL);
}

void sim_gen_stats_print(const struct gen_stats *st, FILE *f)
{
	unsigned int w, n = 0;

	fprintf(f, "mix: %u step%s, %u succeed (%u%%), %u expect an error\n", st->steps,
		st->steps == 1 ? "" : "s", st->steps - st->errors,
		st->steps ? (unsigned int)((st->steps - st->errors) * 100ull / st->steps) : 0,
		st->errors);
	for (w = 0; w < GEN_NWORDS; w++) {
		if (!st->word[w].word)
			continue;
		fprintf(f, "  %s %u/%u", st->word[w].word, st->word[w].steps, st->word[w].errors);
		if (++n % 6 == 0)
			fputc('\n', f);
	}
	if (n % 6)
		fputc('\n', f);
	if (n)
		fprintf(f, "  (steps/expected errors per command)\n");
}
