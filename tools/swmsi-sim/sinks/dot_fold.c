/* SPDX-License-Identifier: MIT */
/*
 * The groups and devices of the final state's graph, alike ones folded.
 *
 * Two groups are alike when they would be drawn identically but for their
 * number and their devices' names and ids: the same required ids, window,
 * reported window, HWPT and number of devices drawn, and device by device
 * (in id order) the same vectors, each with the same label, address,
 * colour and target (slot, doorbell page, cookie page, LOST). Alike groups
 * whose numbers follow one another, with devices named in sequence (nic0,
 * nic1, ...) with consecutive ids, fold into one node "groups 0..199 (200
 * groups)", their devices into "nic0..nic199 (ids 3..202)" (ids that step
 * by more than one, as when each group's devices were bound in turn, read
 * "ids 3, 5, ..., 401"): the folded picture names every group and device,
 * so nothing drawn is lost (the k-th name has the k-th id and sits in the
 * k-th group).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dot_draw.h"

/* ---------------------------------------------------------------------- */
/* Vectors                                                                */

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

/*
 * Up to this many labelled edges, edges carry a label; past it an xlabel,
 * which Graphviz places after the layout instead of ranking it as a node:
 * 200 vectors on their own doorbell pages take 0.6 s, not 1.3 s.
 */
#define DOT_RANKED_LABELS 64

/*
 * A vector's edge from node dev_@node, labelled (@lattr) with its scenario
 * label and the address the device writes: to its slot when translated,
 * else straight to its doorbell page (dashed: no IOMMU translation).
 */
static void dot_vector(const struct dot_ctx *c, FILE *f, const struct snapshot_dev *d, size_t k,
		       uint32_t node, const char *lattr)
{
	const struct sim *s = c->s;
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
		/* the same device drawn as node dev_@node */
		struct snapshot_dev as = *d;

		as.id = node;
		sim_dot_cookie_vector(s, f, c->sn, &as, v, label, lattr);
		return;
	}
	if (v->translated) {
		fprintf(f, "\tdev_%" PRIu32 " -> map_%" PRIu32 " [color=%s, fontcolor=%s, %s=\"",
			node, v->map_id, col, col, lattr);
		sim_dot_str(f, label);
		fprintf(f, ": 0x%" PRIx64 "%s\"];\n", v->msg_addr, bad ? bad : "");
		return;
	}
	fprintf(f,
		"\tdev_%" PRIu32 " -> doorbell_%" PRIx64 " [style=dashed, color=%s, "
		"fontcolor=%s, %s=\"",
		node, v->msi_addr & ~(s->page_size - 1), col, col, lattr);
	sim_dot_str(f, label);
	fprintf(f, ": untranslated\\n0x%" PRIx64 "%s\"];\n", v->msi_addr, bad ? bad : "");
}

/* ---------------------------------------------------------------------- */
/* Node texts                                                             */

static size_t drawn_devs(const struct dot_ctx *c, const struct sim_scene_group *g)
{
	size_t k, n = 0;

	for (k = 0; k < g->ndevs; k++) {
		const struct snapshot_dev *d = snapshot_dev(c->sn, c->sc->gdevs[g->dev0 + k]);

		n += d && c->dev[d - c->sn->devs];
	}
	return n;
}

/*
 * A group's node text after its number: the ids it requires (table
 * schemes), the window in use, the one its devices declared when the
 * override replaced it, and how many of its devices --only left out.
 */
static void group_body(const struct dot_ctx *c, FILE *f, const struct sim_scene_group *g)
{
	const struct sim_scene_dev *decl;
	size_t drawn = drawn_devs(c, g);
	char sz[24];

	if (c->s->scheme != SWMSI_SCHEME_DMA_IOMMU)
		/* no id anywhere yet: the array is NULL, and NULL + 0 is undefined */
		sim_dot_ids(f, "required", g->nreq ? c->sc->req + g->req0 : NULL, g->nreq);
	if (g->win_start != SWMSI_PHYS_NONE)
		fprintf(f, "\\nwindow 0x%" PRIx64 " +%s", g->win_start,
			sim_fmt_size(sz, sizeof(sz), g->win_size));
	else
		fputs("\\nno window", f);
	if (sim_scene_overridden(c->sc, g, &decl)) {
		if (decl->has_window)
			fprintf(f, "\\nreported 0x%" PRIx64 " +%s (override in use)", decl->start,
				sim_fmt_size(sz, sizeof(sz), decl->size));
		else
			fputs("\\nreported none (override in use)", f);
	}
	if (drawn < g->ndevs)
		fprintf(f, "\\n%zu of %zu devices drawn", drawn, g->ndevs);
}

/* A device's node text after its name: its vectors, detached or not. */
static void dev_body(FILE *f, const struct snapshot_dev *d, size_t n)
{
	if (n > 1)
		fprintf(f, "\\n%zu devices, %zu vector%s each", n, d->nvecs,
			d->nvecs == 1 ? "" : "s");
	else
		fprintf(f, "\\n%zu vector%s", d->nvecs, d->nvecs == 1 ? "" : "s");
	if (!d->info.attached)
		fputs(", detached", f);
}

/* ---------------------------------------------------------------------- */
/* Which groups fold                                                      */

struct unit {
	size_t gi;  /* into sc->groups */
	char *key;  /* how it is drawn, but for its number and devices' names and ids */
	size_t run; /* at a run's first unit: how many fold into it */
};

/* The drawn devices of group @gi, in id order, into @out (at most @max). */
static size_t devs_of(const struct dot_ctx *c, size_t gi, const struct snapshot_dev **out,
		      size_t max)
{
	const struct sim_scene_group *g = &c->sc->groups[gi];
	size_t k, n = 0;

	for (k = 0; k < g->ndevs && n < max; k++) {
		const struct snapshot_dev *d = snapshot_dev(c->sn, c->sc->gdevs[g->dev0 + k]);

		if (d && c->dev[d - c->sn->devs])
			out[n++] = d;
	}
	return n;
}

/* A group's key: its drawing with no number, name or id in it. */
static char *unit_key(const struct dot_ctx *c, size_t gi)
{
	const struct sim_scene_group *g = &c->sc->groups[gi];
	char *buf = NULL;
	size_t len = 0, k, i;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	group_body(c, f, g);
	fprintf(f, "|hwpt %" PRIu32 "|", g->hwpt_id);
	for (k = 0; k < g->ndevs; k++) {
		const struct snapshot_dev *d = snapshot_dev(c->sn, c->sc->gdevs[g->dev0 + k]);

		if (!d || !c->dev[d - c->sn->devs])
			continue;
		dev_body(f, d, 1);
		fputc('|', f);
		for (i = 0; i < d->nvecs; i++)
			dot_vector(c, f, d, i, 0, "label");
	}
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int unit_cmp(const void *a, const void *b)
{
	const struct unit *x = a, *y = b;
	int r = strcmp(x->key, y->key);

	return r ? r : x->gi < y->gi ? -1 : x->gi > y->gi;
}

/* The number a name ends in, and where it starts; false when none (or a
 * leading zero, since nic01 does not follow nic0). */
static bool name_number(const char *name, size_t *at, uint64_t *num)
{
	size_t n = strlen(name), i = n;

	while (i && name[i - 1] >= '0' && name[i - 1] <= '9')
		i--;
	if (i == n || n - i > 18 || (name[i] == '0' && n - i > 1))
		return false;
	*at = i;
	*num = strtoull(name + i, NULL, 10);
	return true;
}

/* Does device @b follow device @a: the id @step on (0: any above), the
 * name's next number? */
static bool dev_follows(const struct sim *s, const struct snapshot_dev *a,
			const struct snapshot_dev *b, uint32_t step)
{
	const char *na = sim_obj_name(s, a->id), *nb = sim_obj_name(s, b->id);
	size_t ia, ib;
	uint64_t xa, xb;

	return (step ? b->id - a->id == step : b->id > a->id) && name_number(na, &ia, &xa) &&
	       name_number(nb, &ib, &xb) && ia == ib && !strncmp(na, nb, ia) && xb == xa + 1;
}

/* At most this many devices of one group fold with another group's. */
#define DOT_FOLD_DEVS 8

/* How far apart the ids of the k-th devices of the run from @u are. */
static uint32_t id_step(const struct dot_ctx *c, const struct unit *u, size_t k)
{
	const struct snapshot_dev *d0[DOT_FOLD_DEVS], *d1[DOT_FOLD_DEVS];

	devs_of(c, u[0].gi, d0, DOT_FOLD_DEVS);
	devs_of(c, u[1].gi, d1, DOT_FOLD_DEVS);
	return d1[k]->id - d0[k]->id;
}

/* Does unit @b fold into the run from @head that unit @a ends? */
static bool unit_follows(const struct dot_ctx *c, const struct unit *head, const struct unit *a,
			 const struct unit *b)
{
	const struct snapshot_dev *da[DOT_FOLD_DEVS], *db[DOT_FOLD_DEVS];
	size_t n, k;

	if (strcmp(a->key, b->key) || c->sc->groups[b->gi].num != c->sc->groups[a->gi].num + 1 ||
	    drawn_devs(c, &c->sc->groups[a->gi]) > DOT_FOLD_DEVS)
		return false;
	n = devs_of(c, a->gi, da, DOT_FOLD_DEVS);
	if (devs_of(c, b->gi, db, DOT_FOLD_DEVS) != n)
		return false;
	for (k = 0; k < n; k++)
		if (!dev_follows(c->s, da[k], db[k], a == head ? 0 : id_step(c, head, k)))
			return false;
	return true;
}

/* ---------------------------------------------------------------------- */
/* Drawing                                                                */

/* Device @d's name in its node, with those of the devices folded into it
 * from the @n groups from @u on. */
static void dev_names(const struct dot_ctx *c, FILE *f, const struct unit *u, size_t n,
		      const struct snapshot_dev *d)
{
	const struct snapshot_dev *d0[DOT_FOLD_DEVS], *dn[DOT_FOLD_DEVS];
	size_t i, nd;
	uint32_t step;

	sim_dot_str(f, sim_obj_name(c->s, d->id));
	if (n == 1) {
		fprintf(f, " (id %" PRIu32 ")", d->id);
		return;
	}
	/* d is the i-th of the first group: the last group has the last one */
	nd = devs_of(c, u->gi, d0, DOT_FOLD_DEVS);
	devs_of(c, u[n - 1].gi, dn, DOT_FOLD_DEVS);
	for (i = 0; i + 1 < nd && d0[i] != d; i++)
		;
	step = id_step(c, u, i);
	fputs("..", f);
	sim_dot_str(f, sim_obj_name(c->s, dn[i]->id));
	if (step == 1)
		fprintf(f, " (ids %" PRIu32 "..%" PRIu32 ")", d->id, dn[i]->id);
	else
		fprintf(f, " (ids %" PRIu32 ", %" PRIu32 ", ..., %" PRIu32 ")", d->id, d->id + step,
			dn[i]->id);
}

/* Group @u and its devices, folding the @n units from @u on; edges
 * labelled with @lattr. */
static void draw_unit(const struct dot_ctx *c, const struct unit *u, size_t n, const char *lattr)
{
	const struct sim_scene_group *g = &c->sc->groups[u->gi];
	FILE *f = c->f;
	size_t k, i;

	fprintf(f, "\tgroup_%" PRIu32 " [shape=ellipse, label=\"", g->num);
	if (n > 1)
		fprintf(f, "groups %" PRIu32 "..%" PRIu32 " (%zu groups)", g->num,
			c->sc->groups[u[n - 1].gi].num, n);
	else
		fprintf(f, "group %" PRIu32, g->num);
	group_body(c, f, g);
	fputs("\"];\n", f);
	if (g->hwpt_id)
		fprintf(f,
			"\tgroup_%" PRIu32 " -> hwpt_%" PRIu32 " [%s=\"attached\", penwidth=2];\n",
			g->num, g->hwpt_id, lattr);
	for (k = 0; k < g->ndevs; k++) {
		const struct snapshot_dev *d = snapshot_dev(c->sn, c->sc->gdevs[g->dev0 + k]);

		if (!d || !c->dev[d - c->sn->devs])
			continue;
		fprintf(f, "\tdev_%" PRIu32 " [shape=note, label=\"", d->id);
		dev_names(c, f, u, n, d);
		dev_body(f, d, n);
		fputs("\"];\n", f);
		fprintf(f, "\tdev_%" PRIu32 " -> group_%" PRIu32 ";\n", d->id, g->num);
		for (i = 0; i < d->nvecs; i++)
			dot_vector(c, f, d, i, d->id, lattr);
	}
}

/* The drawn groups in key order, so that alike ones sit together. */
static struct unit *sorted_units(const struct dot_ctx *c, size_t *count)
{
	struct unit *u = calloc(c->ngrp + 1, sizeof(*u));
	size_t i, n = 0;

	if (!u)
		return NULL;
	for (i = 0; i < c->sc->ngroups; i++) {
		if (!c->grp[i])
			continue;
		u[n].gi = i;
		u[n].key = unit_key(c, i);
		if (!u[n++].key) {
			while (n--)
				free(u[n].key);
			free(u);
			return NULL;
		}
	}
	qsort(u, n, sizeof(*u), unit_cmp);
	*count = n;
	return u;
}

/* How many labelled edges the run from @u draws. */
static size_t unit_edges(const struct dot_ctx *c, const struct unit *u)
{
	const struct sim_scene_group *g = &c->sc->groups[u->gi];
	size_t k, n = g->hwpt_id != 0;

	for (k = 0; k < g->ndevs; k++) {
		const struct snapshot_dev *d = snapshot_dev(c->sn, c->sc->gdevs[g->dev0 + k]);

		if (d && c->dev[d - c->sn->devs])
			n += d->nvecs;
	}
	return n;
}

/* What a folded node means, in the legend's cluster (Graphviz adds to a
 * subgraph named again). */
static void fold_legend(FILE *f)
{
	fputs("\tsubgraph cluster_legend {\n\t\tlegend_fold [shape=note, fontsize=9, label=\""
	      "groups A..B, nic0..nic9 (ids 3..12): alike groups in one node,\\l"
	      "  drawn the same but for their numbers and their devices'\\l"
	      "  names and ids (the k-th device has the k-th id and group)\\l\"];\n\t}\n",
	      f);
}

/* Runs of alike groups in sequence, then drawn by their first group's number. */
int dot_groups(const struct dot_ctx *c)
{
	size_t n = 0, i, r, *order, edges = 0;
	bool folded = false;
	const char *lattr;
	struct unit *u = sorted_units(c, &n);

	order = calloc(c->sc->ngroups + 1, sizeof(*order));
	if (!u || !order) {
		free(order);
		for (i = 0; u && i < n; i++)
			free(u[i].key);
		free(u);
		return -1;
	}
	for (r = 0; r < n; r += u[r].run) {
		u[r].run = 1;
		while (r + u[r].run < n &&
		       unit_follows(c, &u[r], &u[r + u[r].run - 1], &u[r + u[r].run]))
			u[r].run++;
		order[u[r].gi] = r + 1; /* 0: no run starts at that group */
		edges += unit_edges(c, &u[r]);
		folded |= u[r].run > 1;
	}
	lattr = edges > DOT_RANKED_LABELS ? "xlabel" : "label";
	for (i = 0; i < c->sc->ngroups; i++)
		if (order[i])
			draw_unit(c, &u[order[i] - 1], u[order[i] - 1].run, lattr);
	if (folded)
		fold_legend(c->f);
	for (i = 0; i < n; i++)
		free(u[i].key);
	free(u);
	free(order);
	return 0;
}
