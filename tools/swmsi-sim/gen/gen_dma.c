/* SPDX-License-Identifier: MIT */
/*
 * The random generator's model of SWMSI_SCHEME_DMA_IOMMU (API.md,
 * "Schemes"): no context-wide table, one MSI cookie per paging domain. A
 * cookie starts when the first group with a window attaches to the domain
 * (or to a nested HWPT over it), based at that group's window; a doorbell
 * page takes the cookie's next IOVA the first time a vector of a group on
 * that domain needs it. Attach and replace install nothing, and a vector
 * keeps its address, so where a fire lands is worked out by translating
 * that address through the group's current place: a nested HWPT's stage 1
 * (windows mapped 1:1), then the domain's cookie pages and its IOAS's
 * mappings. Every outcome stays exact.
 */
#include <inttypes.h>
#include <string.h>

#include "gen_model.h"

/* Group @grp moved onto @pt: the domain's cookie starts with its window. */
void gen_cookie_attach(struct gen *g, int grp, int pt)
{
	int w = gen_eff_win(g, grp), dom = gen_pt_domain(g, pt);

	if (g->scheme != SWMSI_SCHEME_DMA_IOMMU || w < 0 || g->cookie[dom].active)
		return;
	g->cookie[dom].active = true;
	g->cookie[dom].win = w;
	g->cookie[dom].n = 0;
}

/* Does a domain of IOAS @i hold a cookie page in window @w's first chunk?
 * Page 0 of a cookie based there always lies in it. */
bool gen_cookie_at(const struct gen *g, int i, int w)
{
	const struct g_cookie *c;
	unsigned int h;

	if (g->auto_live[i]) {
		c = &g->cookie[AUTO_PT(i)];
		if (c->active && c->win == w && c->n)
			return true;
	}
	for (h = 0; h < g->nhwpt; h++) {
		c = &g->cookie[h];
		if (g->hwpt[h].live && !g->hwpt[h].nested && g->hwpt[h].ioas == i && c->active &&
		    c->win == w && c->n)
			return true;
	}
	return false;
}

/* Does IOAS @i map @iova (a window's first chunk or a DMA chunk)? */
static bool ioas_translate(const struct gen *g, int i, uint64_t iova, uint64_t *pa)
{
	int k;

	for (k = 0; k < NWIN; k++)
		if ((g->ioas[i].intr & (1u << k)) && iova >= gen_win_start(k) &&
		    iova - gen_win_start(k) < CHUNK) {
			*pa = DMA_PADDR + 0x1000000 + (uint64_t)k * CHUNK +
			      (iova - gen_win_start(k));
			return true;
		}
	for (k = 0; k < NDMA; k++)
		if ((g->ioas[i].dma & (1u << k)) && iova >= DMA_IOVA + (uint64_t)k * CHUNK &&
		    iova - DMA_IOVA - (uint64_t)k * CHUNK < CHUNK) {
			*pa = DMA_PADDR + (iova - DMA_IOVA);
			return true;
		}
	return false;
}

/* A nested HWPT's stage 1 maps the windows it was given 1:1. */
static bool s1_translate(const struct gen *g, int h, uint64_t iova)
{
	int w;

	for (w = 0; w < NWIN; w++)
		if ((g->hwpt[h].s1 & (1u << w)) && iova >= gen_win_start(w) &&
		    iova - gen_win_start(w) < gen_win_size(g, w))
			return true;
	return false;
}

/* Where a write to @iova by a group on @pt lands; false: nothing translates it. */
bool gen_translate(const struct gen *g, int pt, uint64_t iova, uint64_t *pa)
{
	int dom = gen_pt_domain(g, pt);
	const struct g_cookie *c = &g->cookie[dom];

	if (pt < MAX_HWPT && g->hwpt[pt].nested && !s1_translate(g, pt, iova))
		return false;
	if (c->active && iova >= gen_win_start(c->win) &&
	    (iova - gen_win_start(c->win)) / g->page < c->n) {
		*pa = c->page[(iova - gen_win_start(c->win)) / g->page] + (iova & (g->page - 1));
		return true;
	}
	return ioas_translate(g, gen_pt_ioas(g, pt), iova, pa);
}

/* An msi through a paging domain's cookie: its error, or NULL with the
 * cookie page's index in *@k (== n: a new page). */
static const char *cookie_predict(struct gen *g, const struct g_cookie *c, int ioas, unsigned int j,
				  uint64_t page, unsigned int *k)
{
	if (g->allowlist && j >= g->nallowed)
		return "EPERM";
	for (*k = 0; *k < c->n && c->page[*k] != page; (*k)++)
		;
	if (*k < c->n)
		return NULL;
	/* the next IOVA is taken by the IOAS's mapping there: the backend's
	 * -EEXIST, which dma-iommu reports as -ENOMEM (no fault armed, so
	 * none is left over for a later call) */
	if ((g->ioas[ioas].intr & (1u << c->win)) && c->n * g->page < CHUNK)
		return "ENOMEM";
	return gen_maybe_fault(g, 1);
}

/* A translated vector @vs of device @d through its domain's cookie. */
static bool cookie_msi(struct gen *g, int d, int vs, unsigned int j, uint64_t addr)
{
	int pt = g->grp[g->dev[d].grp].pt;
	struct g_cookie *c = &g->cookie[gen_pt_domain(g, pt)];
	struct g_vec *v = &g->dev[d].vec[vs];
	uint64_t page = addr & ~(g->page - 1);
	const char *err;
	unsigned int k;

	err = cookie_predict(g, c, gen_pt_ioas(g, pt), j, page, &k);
	gen_cmd(g, err, "msi dv%u v%d 0x%" PRIx64, g->dev[d].name, vs, addr);
	memset(v, 0, sizeof(*v));
	if (err)
		return true;
	if (k == c->n)
		c->page[c->n++] = page;
	v->live = true;
	v->translated = true;
	v->ent = -1;
	v->msi = addr;
	v->msg = gen_win_start(c->win) + k * g->page + (addr & (g->page - 1));
	if (gen_room(g, 1))
		gen_cmd(g, NULL, "expect iova dv%u v%d 0x%" PRIx64, g->dev[d].name, vs, v->msg);
	return true;
}

/*
 * msi under DMA_IOMMU: through the cookie when the group sits on a paging
 * domain that has one (whatever the group's own window: dma-iommu never
 * looked at it); otherwise (detached, on a nested HWPT, or on a domain no
 * group with a window gave a cookie) untranslated, and the allow-list
 * does not apply.
 */
bool gen_dma_msi(struct gen *g, int d, int vs, unsigned int j, uint64_t addr)
{
	int grp = g->dev[d].grp, pt = g->grp[grp].pt;
	struct g_vec *v = &g->dev[d].vec[vs];

	if (pt != NO_PT && !(pt < MAX_HWPT && g->hwpt[pt].nested) &&
	    g->cookie[gen_pt_domain(g, pt)].active)
		return cookie_msi(g, d, vs, j, addr);
	gen_cmd(g, NULL, "msi dv%u v%d 0x%" PRIx64, g->dev[d].name, vs, addr);
	memset(v, 0, sizeof(*v));
	v->live = true;
	v->ent = -1;
	v->msi = addr;
	v->msg = addr;
	if (gen_room(g, 1))
		gen_cmd(g, NULL, "expect untranslated dv%u v%d", g->dev[d].name, vs);
	return true;
}

/* A cookie's page, or its next IOVA, seen through its paging HWPT. */
bool gen_dma_expect_mapped(struct gen *g)
{
	int h = gen_pick_hwpt(g, 0);
	const struct g_cookie *c;
	unsigned int k;
	uint64_t iova;

	if (h < 0 || !g->cookie[h].active)
		return false;
	c = &g->cookie[h];
	k = gen_below(g, c->n + 1);
	iova = gen_win_start(c->win) + k * g->page;
	if (k < c->n) {
		gen_cmd(g, NULL, "expect mapped hp%u 0x%" PRIx64 " 0x%" PRIx64, g->hwpt[h].name,
			iova, c->page[k]);
		return true;
	}
	/* unless the IOAS maps the window's first chunk there */
	if ((g->ioas[g->hwpt[h].ioas].intr & (1u << c->win)) && k * g->page < CHUNK)
		return false;
	gen_cmd(g, NULL, "expect unmapped hp%u 0x%" PRIx64, g->hwpt[h].name, iova);
	return true;
}

/* A fire: to its doorbell, lost (EFAULT), or misrouted, which a plain fire
 * cannot say: "expect fires" names where the write lands. */
bool gen_dma_fire(struct gen *g, int d, int v)
{
	const struct g_vec *vec = &g->dev[d].vec[v];
	int grp = g->dev[d].grp, pt = g->grp[grp].pt;
	uint64_t pa = vec->msg;
	bool lands = true;

	/* untranslated without a window: the platform does not remap it;
	 * otherwise through the group's place (detached: blocked) */
	if (gen_eff_win(g, grp) >= 0 || vec->translated)
		lands = pt != NO_PT && gen_translate(g, pt, vec->msg, &pa);
	if (lands && pa != vec->msi)
		gen_cmd(g, NULL, "expect fires dv%u v%d 0x%" PRIx64, g->dev[d].name, v, pa);
	else
		gen_cmd(g, lands ? NULL : "EFAULT", "fire dv%u v%d", g->dev[d].name, v);
	return true;
}
