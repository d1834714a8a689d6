/* SPDX-License-Identifier: MIT */
/* The final state as a Graphviz graph. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dot_draw.h"

/* ---------------------------------------------------------------------- */
/* Graphviz                                                               */

/* At most this many ranges listed in a node; the rest are counted. */
#define DOT_MAX_RANGES 4

/*
 * How stage 1 of nested HWPT @h treats the window [@start, +@size): the
 * guest must map it 1:1 (the RMR) for MSIs to reach the doorbells.
 */
static void dot_rmr(FILE *f, const struct snapshot_hwpt *h, uint64_t start, uint64_t size)
{
	uint64_t cur = start, end = start + size;
	bool identity = true;
	size_t i;

	for (i = 0; i < h->ns1 && cur < end; i++) {
		const struct swmsi_mapping *m = &h->s1[i];

		if (m->iova > cur || cur - m->iova >= m->length)
			continue;
		if (m->iova != m->paddr)
			identity = false;
		cur = m->iova + m->length;
	}
	if (cur == start)
		fprintf(f, "\\nno RMR for window 0x%" PRIx64 ": MSIs lost", start);
	else if (cur < end)
		fprintf(f, "\\nwindow 0x%" PRIx64 " partly mapped: some MSIs lost", start);
	else if (!identity)
		fprintf(f, "\\nwindow 0x%" PRIx64 " remapped: MSIs land elsewhere", start);
	else
		fprintf(f, "\\nRMR: window 0x%" PRIx64 " mapped 1:1", start);
}

/* A nested HWPT's node text: its stage-1 ranges, and the RMR of each window in use. */
static void dot_stage1(FILE *f, const struct snapshot *sn, const struct snapshot_hwpt *h)
{
	char sz[24], pr[8];
	size_t i, k;

	if (!h->ns1)
		fputs("\\nstage 1: empty", f);
	for (i = 0; i < h->ns1 && i < DOT_MAX_RANGES; i++)
		fprintf(f, "\\nstage 1: 0x%" PRIx64 " [%s] -> ipa 0x%" PRIx64 " %s", h->s1[i].iova,
			sim_fmt_size(sz, sizeof(sz), h->s1[i].length), h->s1[i].paddr,
			sim_fmt_prot(pr, sizeof(pr), h->s1[i].prot));
	if (h->ns1 > DOT_MAX_RANGES)
		fprintf(f, "\\n... and %zu more", h->ns1 - DOT_MAX_RANGES);
	for (i = 0; i < sn->ndevs; i++) {
		const struct swmsi_device_info *d = &sn->devs[i].info;
		bool seen = false;

		if (d->hwpt_id != h->id || d->sw_msi_start == SWMSI_PHYS_NONE)
			continue;
		for (k = 0; k < i && !seen; k++)
			seen = sn->devs[k].info.hwpt_id == h->id &&
			       sn->devs[k].info.sw_msi_start == d->sw_msi_start;
		if (!seen)
			dot_rmr(f, h, d->sw_msi_start, d->sw_msi_size);
	}
}

/* An IOAS's user mappings, reserved windows and usable ranges, summarised in one node. */
static void dot_ioas_summary(const struct dot_ctx *c, const struct snapshot_ioas *io)
{
	FILE *f = c->f;
	char sz[24], pr[8];
	size_t i;

	fprintf(f,
		"\t\tioas_%" PRIu32 " [shape=box, style=filled, fillcolor=gray95, "
		"color=gray60, fontsize=9, label=\"",
		io->id);
	if (!io->nmaps)
		fputs("no DMA mappings\\l", f);
	else
		fprintf(f, "%zu DMA mapping%s:\\l", io->nmaps, io->nmaps == 1 ? "" : "s");
	for (i = 0; i < io->nmaps && i < DOT_MAX_RANGES; i++)
		fprintf(f, "0x%" PRIx64 " [%s] -> 0x%" PRIx64 " %s\\l", io->maps[i].iova,
			sim_fmt_size(sz, sizeof(sz), io->maps[i].length), io->maps[i].paddr,
			sim_fmt_prot(pr, sizeof(pr), io->maps[i].prot));
	if (io->nmaps > DOT_MAX_RANGES)
		fprintf(f, "... and %zu more\\l", io->nmaps - DOT_MAX_RANGES);
	for (i = 0; i < io->nresv; i++)
		fprintf(f, "reserved: SW_MSI window 0x%" PRIx64 " [%s]\\l", io->resv[i].iova,
			sim_fmt_size(sz, sizeof(sz), io->resv[i].length));
	dot_ioas_usable(c, io->id);
	fputs("\"];\n", f);
}

/* A HWPT's node, inside its IOAS's cluster. */
static void dot_hwpt(const struct sim *s, FILE *f, const struct snapshot *sn,
		     const struct snapshot_hwpt *h)
{
	char buf[48];

	fprintf(f, "\t\thwpt_%" PRIu32 " [shape=box, %slabel=\"", h->id,
		h->info.type == SWMSI_OBJ_HWPT_NESTED ? "style=\"rounded,dashed\", " : "");
	sim_dot_str(f, sim_obj_label(s, sn, h->id, buf, sizeof(buf)));
	fprintf(f, " (id %" PRIu32 ")\\n%s%s%s", h->id, sim_hwpt_type_word(h->info.type),
		h->info.flags & SWMSI_HWPT_NEST_PARENT ? ", nest_parent" : "",
		h->info.is_auto ? ", automatic" : "");
	if (h->info.type == SWMSI_OBJ_HWPT_PAGING && s->scheme != SWMSI_SCHEME_DMA_IOMMU)
		sim_dot_ids(f, "present", h->present, h->npresent);
	if (h->info.type == SWMSI_OBJ_HWPT_PAGING)
		fprintf(f, "\\ndomain #%u, %zu MSI page%s", h->serial, h->npresent,
			h->npresent == 1 ? "" : "s");
	else
		dot_stage1(f, sn, h);
	fputs("\"];\n", f);
}

/* IOAS clusters hold their HWPTs; the domain is the paging HWPT's. */
static void dot_ioases(const struct dot_ctx *c)
{
	const struct snapshot *sn = c->sn;
	FILE *f = c->f;
	size_t i, k;

	for (i = 0; i < sn->nioas; i++) {
		if (!c->ioas[i])
			continue;
		fprintf(f,
			"\tsubgraph cluster_ioas_%" PRIu32
			" {\n\t\tstyle=rounded;\n\t\tlabel=\"IOAS ",
			sn->ioas[i].id);
		sim_dot_str(f, sim_obj_name(c->s, sn->ioas[i].id));
		fprintf(f, " (id %" PRIu32 ")\";\n", sn->ioas[i].id);
		dot_ioas_summary(c, &sn->ioas[i]);
		dot_ioas_resv(c, sn->ioas[i].id);
		for (k = 0; k < sn->nhwpts; k++)
			if (c->hwpt[k] && sn->hwpts[k].info.ioas_id == sn->ioas[i].id)
				dot_hwpt(c->s, f, sn, &sn->hwpts[k]);
		fputs("\t}\n", f);
	}
}

/* Nested HWPTs to their parents, paging HWPTs to their drawn MSI pages. */
static void dot_hwpt_edges(const struct dot_ctx *c)
{
	const struct snapshot *sn = c->sn;
	size_t i, k;

	for (k = 0; k < sn->nhwpts; k++) {
		const struct snapshot_hwpt *h = &sn->hwpts[k];

		if (!c->hwpt[k])
			continue;
		if (h->info.type == SWMSI_OBJ_HWPT_NESTED)
			fprintf(c->f,
				"\thwpt_%" PRIu32 " -> hwpt_%" PRIu32
				" [style=dashed, label=\"stage 2\"];\n",
				h->id, h->info.parent_id);
		/* A nested HWPT reports its parent's pages: draw them once. */
		for (i = 0; h->info.type == SWMSI_OBJ_HWPT_PAGING && i < h->npresent; i++) {
			const struct swmsi_msi_map_info *m = snapshot_map(sn, h->present[i]);

			if (m && c->map[m - sn->maps])
				fprintf(c->f,
					"\thwpt_%" PRIu32 " -> map_%" PRIu32
					" [style=dotted, arrowhead=none, color=gray40];\n",
					h->id, h->present[i]);
		}
	}
}

/* Window, then slot: each window's entries together, in slot order. */
static int slot_cmp(const void *a, const void *b)
{
	const struct swmsi_msi_map_info *x = *(const struct swmsi_msi_map_info *const *)a;
	const struct swmsi_msi_map_info *y = *(const struct swmsi_msi_map_info *const *)b;

	if (x->sw_msi_start != y->sw_msi_start)
		return x->sw_msi_start < y->sw_msi_start ? -1 : 1;
	return x->slot < y->slot ? -1 : x->slot > y->slot;
}

/*
 * A slot's node: grey when no vector uses its entry, red past the window's
 * end.
 */
static void dot_slot(const struct sim *s, FILE *f, const struct swmsi_msi_map_info *m,
		     uint64_t wsize)
{
	/* KERNEL: a slot is never compared with the window's size. */
	bool out = wsize && ((uint64_t)m->slot + 1) * s->page_size > wsize;
	const char *look = out		 ? "color=red, fontcolor=red, "
			   : !m->vectors ? "style=filled, fillcolor=gray85, fontcolor=gray35, "
					 : "";

	fprintf(f,
		"\t\tmap_%" PRIu32 " [shape=record, %slabel=\"slot %" PRIu32 "|iova 0x%" PRIx64
		"|map %" PRIu32 ", %" PRIu32 " vector%s%s%s\"];\n",
		m->id, look, m->slot, m->iova, m->id, m->vectors, m->vectors == 1 ? "" : "s",
		m->vectors ? "" : "|no vector", out ? "|outside the window" : "");
}

/*
 * Up to this many slots of a window are chained left to right in slot
 * order; more stretch the graph one rank per slot, and Graphviz's layout
 * time grows far faster than the slots (50 slots, each with its device:
 * 10 s; the 69 of examples/scenarios/11_ids_and_slots.scn: 9 s, then dot
 * 2.43 gives up with "lost edge").
 */
#define DOT_CHAIN_SLOTS 16

/* The @n drawn entries @v of one window, in slot order; "N of M used"
 * counts all of its entries, @used. */
static void dot_window(const struct dot_ctx *c, const struct swmsi_msi_map_info **v, size_t n,
		       size_t used)
{
	const struct sim *s = c->s;
	uint64_t start = v[0]->sw_msi_start, wsize = sim_window_size(s, c->sn, start);
	FILE *f = c->f;
	char sz[24];
	size_t k;

	fprintf(f,
		"\tsubgraph cluster_window_%" PRIx64 " {\n\t\tstyle=filled;\n"
		"\t\tfillcolor=lightyellow;\n\t\tlabel=\"SW_MSI window 0x%" PRIx64,
		start, start);
	if (wsize)
		fprintf(f, " [%s]: %zu of %" PRIu64 " used", sim_fmt_size(sz, sizeof(sz), wsize),
			used, wsize / s->page_size);
	else
		fprintf(f, ": %zu used", used);
	if (n < used)
		fprintf(f, ", %zu drawn", n);
	fputs("\";\n", f);
	for (k = 0; k < n; k++) {
		/* an invisible edge from the slot before lays them out left to right */
		if (k && n <= DOT_CHAIN_SLOTS)
			fprintf(f, "\t\tmap_%" PRIu32 " -> map_%" PRIu32 " [style=invis];\n",
				v[k - 1]->id, v[k]->id);
		dot_slot(s, f, v[k], wsize);
	}
	fputs("\t}\n", f);
}

/* Windows: one cluster per window start, a node per drawn slot. */
static int dot_windows(const struct dot_ctx *c)
{
	const struct snapshot *sn = c->sn;
	const struct swmsi_msi_map_info **v;
	size_t i, k, n, used;

	v = calloc(sn->nmaps + 1, sizeof(*v));
	if (!v)
		return -1;
	for (i = 0; i < sn->nmaps; i++)
		v[i] = &sn->maps[i];
	qsort(v, sn->nmaps, sizeof(*v), slot_cmp);
	for (i = 0; i < sn->nmaps; i += used) {
		for (used = 1;
		     i + used < sn->nmaps && v[i + used]->sw_msi_start == v[i]->sw_msi_start;
		     used++)
			;
		/* the drawn ones first, in slot order */
		for (n = 0, k = i; k < i + used; k++)
			if (c->map[v[k] - sn->maps])
				v[i + n++] = v[k];
		if (n)
			dot_window(c, v + i, n, used);
	}
	free(v);
	return 0;
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Doorbell pages, each once: those of the drawn slots, then those the
 * drawn untranslated vectors write. */
static int dot_doorbells(const struct dot_ctx *c)
{
	const struct snapshot *sn = c->sn;
	uint64_t *pages, mask = ~(c->s->page_size - 1);
	size_t i, k, n = 0, cap = sn->nmaps + 1;

	for (i = 0; i < sn->ndevs; i++)
		cap += sn->devs[i].nvecs;
	pages = calloc(cap, sizeof(*pages));
	if (!pages)
		return -1;
	for (i = 0; i < sn->nmaps; i++)
		if (c->map[i])
			pages[n++] = sn->maps[i].msi_page;
	for (i = 0; i < sn->ndevs; i++)
		for (k = 0; c->dev[i] && k < sn->devs[i].nvecs; k++)
			if (!sn->devs[i].vecs[k].translated)
				pages[n++] = sn->devs[i].vecs[k].msi_addr & mask;
	qsort(pages, n, sizeof(*pages), u64_cmp);
	for (i = 0; i < n; i++)
		if (!i || pages[i] != pages[i - 1])
			sim_dot_doorbell(c->f, pages[i]);
	for (i = 0; i < sn->nmaps; i++)
		if (c->map[i])
			fprintf(c->f, "\tmap_%" PRIu32 " -> doorbell_%" PRIx64 ";\n",
				sn->maps[i].id, sn->maps[i].msi_page);
	free(pages);
	return 0;
}

static void dot_header(const struct dot_ctx *c)
{
	const struct sim *s = c->s;
	char sz[24];

	fputs("digraph swmsi {\n", c->f);
	fputs("\tgraph [rankdir=LR, fontname=\"Helvetica\", labelloc=t, label=\"", c->f);
	sim_dot_str(c->f, s->scn->file);
	fprintf(c->f, ": final state (scheme %s, page %s, reclaim %s)",
		swmsi_scheme_name(s->scheme), sim_fmt_size(sz, sizeof(sz), s->page_size),
		s->scn->opts.reclaim_unused ? "unused" : "none");
	dot_partial_label(c);
	fputs("\"];\n", c->f);
	fputs("\tnode [fontname=\"Helvetica\", fontsize=10];\n", c->f);
	fputs("\tedge [fontname=\"Helvetica\", fontsize=9];\n", c->f);
}

int sim_dot_state(const struct sim *s, FILE *f, const struct snapshot *sn,
		  const struct sim_scene *sc)
{
	struct dot_ctx c = { .s = s, .f = f, .sn = sn, .sc = sc };
	int rc;

	if (dot_select(&c))
		return -1;
	dot_header(&c);
	sim_dot_legend(f, s->scheme != SWMSI_SCHEME_DMA_IOMMU);
	dot_ioases(&c);
	dot_hwpt_edges(&c);
	rc = dot_groups(&c);
	if (!rc)
		rc = dot_windows(&c);
	if (!rc)
		sim_dot_cookies(s, f, sn, c.hwpt);
	if (!rc)
		rc = dot_doorbells(&c);
	fputs("}\n", f);
	dot_select_free(&c);
	return rc;
}
