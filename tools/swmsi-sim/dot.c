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

#include "dot_scene.h"
#include "runner.h"

static const char *type_word(enum swmsi_obj_type t)
{
	return t == SWMSI_OBJ_HWPT_NESTED ? "nested" : "paging";
}

/* ---------------------------------------------------------------------- */
/* Graphviz                                                               */

static bool window_seen(const struct snapshot *sn, size_t upto, uint64_t start)
{
	size_t i;

	for (i = 0; i < upto; i++)
		if (sn->maps[i].sw_msi_start == start)
			return true;
	return false;
}

static bool page_seen(const struct snapshot *sn, size_t upto, uint64_t page)
{
	size_t i;

	for (i = 0; i < upto; i++)
		if (sn->maps[i].msi_page == page)
			return true;
	return false;
}

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

/* Is @page drawn already: by the table, or by an untranslated vector before
 * vector @vec of device @dev? */
static bool untranslated_page_seen(const struct sim *s, const struct snapshot *sn, size_t dev,
				   size_t vec, uint64_t page)
{
	size_t i, k;

	if (page_seen(sn, sn->nmaps, page))
		return true;
	for (i = 0; i <= dev; i++)
		for (k = 0; k < sn->devs[i].nvecs && (i < dev || k < vec); k++)
			if (!sn->devs[i].vecs[k].translated &&
			    (sn->devs[i].vecs[k].msi_addr & ~(s->page_size - 1)) == page)
				return true;
	return false;
}

/*
 * A vector's edge, labelled with its scenario label and the address the
 * device writes: to its slot when translated, else straight to its doorbell
 * page (dashed: no IOMMU translation on the way).
 */
/* Where a vector's write would go, when not to its doorbell: "\nLOST", ... */
static const char *dot_misfire(const struct snapshot_fire *fr, uint64_t doorbell, char *buf,
			       size_t len)
{
	switch (sim_fate_of(fr->rc, fr->paddr, doorbell)) {
	case SIM_FATE_LOST:
		return "\\nwould not fire: LOST";
	case SIM_FATE_MISROUTED:
		snprintf(buf, len, "\\nwould not fire: MISROUTED -> 0x%" PRIx64, fr->paddr);
		return buf;
	default:
		return NULL;
	}
}

static void dot_vector(const struct sim *s, FILE *f, const struct snapshot *sn,
		       const struct snapshot_dev *d, size_t k)
{
	const struct swmsi_vector_info *v = &d->vecs[k];
	const char *label = sim_vec_label(s, sim_name_of(s, d->id), v->vec);
	char lb[24], mb[64];
	const char *bad = dot_misfire(&d->fire[k], v->msi_addr, mb, sizeof(mb));
	const char *col = bad ? "red" : v->translated ? "blue" : "darkgreen";

	if (!label) {
		snprintf(lb, sizeof(lb), "#%" PRIu32, v->vec);
		label = lb;
	}
	if (v->translated && s->scheme == SWMSI_SCHEME_DMA_IOMMU) {
		sim_dot_cookie_vector(s, f, sn, d, v, label);
		return;
	}
	if (v->translated) {
		fprintf(f, "\tdev_%" PRIu32 " -> map_%" PRIu32 " [color=%s, fontcolor=%s, label=\"",
			d->id, v->map_id, col, col);
		sim_dot_str(f, label);
		fprintf(f, ": 0x%" PRIx64 "%s\"];\n", v->msg_addr, bad ? bad : "");
		return;
	}
	fprintf(f,
		"\tdev_%" PRIu32 " -> doorbell_%" PRIx64 " [style=dashed, color=%s, "
		"fontcolor=%s, label=\"",
		d->id, v->msi_addr & ~(s->page_size - 1), col, col);
	sim_dot_str(f, label);
	fprintf(f, ": untranslated\\n0x%" PRIx64 "%s\"];\n", v->msi_addr, bad ? bad : "");
}

/* An IOAS's user mappings and reserved windows, summarised in one node. */
static void dot_ioas_summary(FILE *f, const struct snapshot_ioas *io)
{
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
	fprintf(f, " (id %" PRIu32 ")\\n%s%s%s", h->id, type_word(h->info.type),
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
static void dot_ioases(const struct sim *s, FILE *f, const struct snapshot *sn)
{
	size_t i, k;

	for (i = 0; i < sn->nioas; i++) {
		fprintf(f,
			"\tsubgraph cluster_ioas_%" PRIu32
			" {\n\t\tstyle=rounded;\n\t\tlabel=\"IOAS ",
			sn->ioas[i].id);
		sim_dot_str(f, sim_obj_name(s, sn->ioas[i].id));
		fprintf(f, " (id %" PRIu32 ")\";\n", sn->ioas[i].id);
		dot_ioas_summary(f, &sn->ioas[i]);
		for (k = 0; k < sn->nhwpts; k++)
			if (sn->hwpts[k].info.ioas_id == sn->ioas[i].id)
				dot_hwpt(s, f, sn, &sn->hwpts[k]);
		fputs("\t}\n", f);
	}
}

/* Nested HWPTs to their parents, paging HWPTs to their MSI pages. */
static void dot_hwpt_edges(FILE *f, const struct snapshot *sn)
{
	size_t i, k;

	for (k = 0; k < sn->nhwpts; k++) {
		const struct snapshot_hwpt *h = &sn->hwpts[k];

		if (h->info.type == SWMSI_OBJ_HWPT_NESTED)
			fprintf(f,
				"\thwpt_%" PRIu32 " -> hwpt_%" PRIu32
				" [style=dashed, label=\"stage 2\"];\n",
				h->id, h->info.parent_id);
		/* A nested HWPT reports its parent's pages: draw them once. */
		for (i = 0; h->info.type == SWMSI_OBJ_HWPT_PAGING && i < h->npresent; i++)
			fprintf(f,
				"\thwpt_%" PRIu32 " -> map_%" PRIu32
				" [style=dotted, arrowhead=none, color=gray40];\n",
				h->id, h->present[i]);
	}
}

/*
 * A group's node: the ids it requires (table schemes), the window in use,
 * and the one its devices declared when the override replaced it.
 */
static void dot_group(const struct sim *s, FILE *f, const struct snapshot *sn,
		      const struct sim_scene *sc, const struct sim_scene_group *g)
{
	const struct sim_scene_dev *decl;
	char sz[24];

	(void)sn;
	fprintf(f, "\tgroup_%" PRIu32 " [shape=ellipse, label=\"group %" PRIu32, g->num, g->num);
	if (s->scheme != SWMSI_SCHEME_DMA_IOMMU)
		/* no id anywhere yet: the array is NULL, and NULL + 0 is undefined */
		sim_dot_ids(f, "required", g->nreq ? sc->req + g->req0 : NULL, g->nreq);
	if (g->win_start != SWMSI_PHYS_NONE)
		fprintf(f, "\\nwindow 0x%" PRIx64 " +%s", g->win_start,
			sim_fmt_size(sz, sizeof(sz), g->win_size));
	else
		fputs("\\nno window", f);
	if (sim_scene_overridden(sc, g, &decl)) {
		if (decl->has_window)
			fprintf(f, "\\nreported 0x%" PRIx64 " +%s (override in use)", decl->start,
				sim_fmt_size(sz, sizeof(sz), decl->size));
		else
			fputs("\\nreported none (override in use)", f);
	}
	fputs("\"];\n", f);
	if (g->hwpt_id)
		fprintf(f,
			"\tgroup_%" PRIu32 " -> hwpt_%" PRIu32
			" [label=\"attached\", penwidth=2];\n",
			g->num, g->hwpt_id);
}

/* Groups and their devices. */
static void dot_devices(const struct sim *s, FILE *f, const struct snapshot *sn,
			const struct sim_scene *sc)
{
	size_t i, k;

	for (i = 0; i < sc->ngroups; i++)
		dot_group(s, f, sn, sc, &sc->groups[i]);
	for (i = 0; i < sn->ndevs; i++) {
		const struct snapshot_dev *d = &sn->devs[i];

		fprintf(f, "\tdev_%" PRIu32 " [shape=note, label=\"", d->id);
		sim_dot_str(f, sim_obj_name(s, d->id));
		fprintf(f, " (id %" PRIu32 ")\\n%zu vector%s%s\"];\n", d->id, d->nvecs,
			d->nvecs == 1 ? "" : "s", d->info.attached ? "" : ", detached");
		fprintf(f, "\tdev_%" PRIu32 " -> group_%" PRIu32 ";\n", d->id, d->info.group);
		for (k = 0; k < d->nvecs; k++)
			dot_vector(s, f, sn, d, k);
	}
}

static int slot_cmp(const void *a, const void *b)
{
	const struct swmsi_msi_map_info *x = *(const struct swmsi_msi_map_info *const *)a;
	const struct swmsi_msi_map_info *y = *(const struct swmsi_msi_map_info *const *)b;

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

/* The window at @start: its entries in slot order, "N of M used". */
static void dot_window(const struct sim *s, FILE *f, const struct snapshot *sn, uint64_t start,
		       const struct swmsi_msi_map_info **v)
{
	uint64_t wsize = sim_window_size(s, sn, start);
	size_t k, n = 0;
	char sz[24];

	for (k = 0; k < sn->nmaps; k++)
		if (sn->maps[k].sw_msi_start == start)
			v[n++] = &sn->maps[k];
	qsort(v, n, sizeof(*v), slot_cmp);
	fprintf(f,
		"\tsubgraph cluster_window_%" PRIx64 " {\n\t\tstyle=filled;\n"
		"\t\tfillcolor=lightyellow;\n\t\tlabel=\"SW_MSI window 0x%" PRIx64,
		start, start);
	if (wsize)
		fprintf(f, " [%s]: %zu of %" PRIu64 " used", sim_fmt_size(sz, sizeof(sz), wsize), n,
			wsize / s->page_size);
	else
		fprintf(f, ": %zu used", n);
	fputs("\";\n", f);
	for (k = 0; k < n; k++) {
		/* an invisible edge from the slot before lays them out left to right */
		if (k)
			fprintf(f, "\t\tmap_%" PRIu32 " -> map_%" PRIu32 " [style=invis];\n",
				v[k - 1]->id, v[k]->id);
		dot_slot(s, f, v[k], wsize);
	}
	fputs("\t}\n", f);
}

/* Windows: one cluster per window start, a node per slot in use. */
static void dot_windows(const struct sim *s, FILE *f, const struct snapshot *sn)
{
	const struct swmsi_msi_map_info **v;
	size_t i;

	if (!sn->nmaps)
		return;
	v = calloc(sn->nmaps, sizeof(*v));
	if (!v)
		return;
	for (i = 0; i < sn->nmaps; i++)
		if (!window_seen(sn, i, sn->maps[i].sw_msi_start))
			dot_window(s, f, sn, sn->maps[i].sw_msi_start, v);
	free(v);
}

/* Doorbell pages: those of the table, then those untranslated vectors write. */
static void dot_doorbells(const struct sim *s, FILE *f, const struct snapshot *sn)
{
	size_t i, k;

	for (i = 0; i < sn->nmaps; i++) {
		const struct swmsi_msi_map_info *m = &sn->maps[i];

		if (!page_seen(sn, i, m->msi_page))
			sim_dot_doorbell(f, m->msi_page);
		fprintf(f, "\tmap_%" PRIu32 " -> doorbell_%" PRIx64 ";\n", m->id, m->msi_page);
	}
	for (i = 0; i < sn->ndevs; i++) {
		for (k = 0; k < sn->devs[i].nvecs; k++) {
			uint64_t page = sn->devs[i].vecs[k].msi_addr & ~(s->page_size - 1);

			if (!sn->devs[i].vecs[k].translated &&
			    !untranslated_page_seen(s, sn, i, k, page))
				sim_dot_doorbell(f, page);
		}
	}
}

void sim_dot_state(const struct sim *s, FILE *f, const struct snapshot *sn,
		   const struct sim_scene *sc)
{
	char sz[24];

	fputs("digraph swmsi {\n", f);
	fputs("\tgraph [rankdir=LR, fontname=\"Helvetica\", labelloc=t, label=\"", f);
	sim_dot_str(f, s->scn->file);
	fprintf(f, ": final state (scheme %s, page %s, reclaim %s)\"];\n",
		swmsi_scheme_name(s->scheme), sim_fmt_size(sz, sizeof(sz), s->page_size),
		s->scn->opts.reclaim_unused ? "unused" : "none");
	fputs("\tnode [fontname=\"Helvetica\", fontsize=10];\n", f);
	fputs("\tedge [fontname=\"Helvetica\", fontsize=9];\n", f);

	sim_dot_legend(f, s->scheme != SWMSI_SCHEME_DMA_IOMMU);
	dot_ioases(s, f, sn);
	dot_hwpt_edges(f, sn);
	dot_devices(s, f, sn, sc);
	dot_windows(s, f, sn);
	sim_dot_cookies(s, f, sn);
	dot_doorbells(s, f, sn);
	fputs("}\n", f);
}
