/* SPDX-License-Identifier: MIT */
/*
 * What the final state's graph and JSON show beyond the snapshot: the run's
 * window override and doorbell allow-list and each device's declared window,
 * learnt from the steps that succeeded (the public API reports neither the
 * allow-list nor a window the override replaced), and each group, with the
 * ids it requires from swmsi_device_required().
 */
#include <stdlib.h>
#include <string.h>

#include "scene.h"
#include "sinks.h"

static void add_doorbell(struct sim_scene *sc, uint64_t start, uint64_t size)
{
	if (sim_grow((void **)&sc->doorbells, &sc->cap_doorbells, sc->ndoorbells + 1,
		     sizeof(*sc->doorbells), 4)) {
		sc->oom = true;
		return;
	}
	sc->doorbells[sc->ndoorbells].start = start;
	sc->doorbells[sc->ndoorbells++].size = size;
}

static void add_dev(struct sim_scene *sc, const struct scn *scn, uint32_t id,
		    const struct scn_a_device *a)
{
	struct sim_scene_dev *d;
	unsigned int i;

	if (sim_grow((void **)&sc->devs, &sc->cap_devs, sc->ndevs + 1, sizeof(*sc->devs), 16)) {
		sc->oom = true;
		return;
	}
	d = &sc->devs[sc->ndevs];
	d->id = id;
	d->seq = sc->ndevs++;
	d->has_window = a->has_window;
	d->start = a->has_window ? a->win_start : SWMSI_PHYS_NONE;
	d->size = a->has_window ? a->win_size : 0;
	d->has_own = false;
	/* a sw-msi region is the device's window as window= is */
	for (i = 0; i < a->nresv && !d->has_window; i++)
		if (scn->resv[a->resv0 + i].type == SWMSI_RESV_SW_MSI) {
			d->has_window = true;
			d->start = scn->resv[a->resv0 + i].start;
			d->size = scn->resv[a->resv0 + i].size;
		}
}

/* window DEV START SIZE succeeded on device @id: its latest binding's. */
static void set_own(struct sim_scene *sc, uint32_t id, const struct scn_a_devwin *a)
{
	size_t i = sc->ndevs;

	while (i--)
		if (sc->devs[i].id == id) {
			sc->devs[i].has_own = a->size != 0;
			sc->devs[i].own_start = a->size ? a->start : SWMSI_PHYS_NONE;
			sc->devs[i].own_size = a->size;
			return;
		}
}

void sim_scene_step(struct sim_scene *sc, const struct sim *s, const struct sim_rec *r)
{
	const struct scn_cmd *c = r->c;

	if (r->skipped || r->st->rc)
		return;
	switch (c->op) {
	case SCN_WINDOW:
		sc->has_override = true;
		sc->ov_start = c->a.range.start;
		sc->ov_size = c->a.range.size;
		break;
	case SCN_DOORBELL:
		add_doorbell(sc, c->a.range.start, c->a.range.size);
		break;
	case SCN_DEVICE:
		if (r->st->id)
			add_dev(sc, s->scn, r->st->id, &c->a.device);
		break;
	case SCN_DEV_WINDOW:
		set_own(sc, sim_oid(s, c->a.devwin.dev), &c->a.devwin);
		break;
	default:
		break;
	}
}

static int dev_cmp(const void *a, const void *b)
{
	const struct sim_scene_dev *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* A device of the final state, for sorting by group. */
struct gdev {
	uint32_t group, id;
	size_t i; /* into fin->devs */
};

static int gdev_cmp(const void *a, const void *b)
{
	const struct gdev *x = a, *y = b;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Append the ids the group of device @id requires. Returns 0 or -1. */
static int add_required(struct sim_scene *sc, const struct sim *s, uint32_t id,
			struct sim_scene_group *g, size_t *cap)
{
	size_t n = 0;

	g->req0 = sc->nreq;
	g->nreq = 0;
	if (swmsi_device_required(s->ctx, id, NULL, 0, &n))
		return -1;
	if (!n)
		return 0;
	if (sim_grow((void **)&sc->req, cap, sc->nreq + n, sizeof(*sc->req), 16))
		return -1;
	if (swmsi_device_required(s->ctx, id, sc->req + sc->nreq, n, &n))
		return -1;
	g->nreq = n;
	sc->nreq += n;
	return 0;
}

/* One group per run of @v (sorted by group), its first device describing it. */
static int build_groups(struct sim_scene *sc, const struct sim *s, const struct snapshot *fin,
			const struct gdev *v, size_t n)
{
	size_t i, cap = 0;

	for (i = 0; i < n; i++) {
		struct sim_scene_group *g = &sc->groups[sc->ngroups];
		const struct swmsi_device_info *info = &fin->devs[v[i].i].info;

		sc->gdevs[i] = v[i].id;
		if (i && v[i].group == v[i - 1].group) {
			g[-1].ndevs++;
			continue;
		}
		memset(g, 0, sizeof(*g));
		g->num = v[i].group;
		g->dev0 = i;
		g->ndevs = 1;
		g->win_start = info->sw_msi_start;
		g->win_size = info->sw_msi_size;
		g->hwpt_id = info->hwpt_id;
		sc->ngroups++;
		if (s->ctx && add_required(sc, s, v[i].id, g, &cap))
			return -1;
	}
	return 0;
}

int sim_scene_final(struct sim_scene *sc, const struct sim *s, const struct snapshot *fin)
{
	size_t i, n = fin->ndevs;
	struct gdev *v;
	int rc;

	if (sc->ndevs)
		qsort(sc->devs, sc->ndevs, sizeof(*sc->devs), dev_cmp);
	if (sim_scene_ioas_ranges(sc, s, fin))
		return -1;
	if (!n)
		return sc->oom ? -1 : 0;
	v = calloc(n, sizeof(*v));
	sc->groups = calloc(n, sizeof(*sc->groups));
	sc->gdevs = calloc(n, sizeof(*sc->gdevs));
	if (!v || !sc->groups || !sc->gdevs) {
		free(v);
		return -1;
	}
	for (i = 0; i < n; i++) {
		v[i].group = fin->devs[i].info.group;
		v[i].id = fin->devs[i].id;
		v[i].i = i;
	}
	qsort(v, n, sizeof(*v), gdev_cmp);
	rc = build_groups(sc, s, fin, v, n);
	free(v);
	return rc || sc->oom ? -1 : 0;
}

void sim_scene_free(struct sim_scene *sc)
{
	free(sc->doorbells);
	free(sc->devs);
	free(sc->groups);
	free(sc->gdevs);
	free(sc->req);
	sim_scene_ioas_free(sc);
	memset(sc, 0, sizeof(*sc));
}

const struct sim_scene_dev *sim_scene_declared(const struct sim_scene *sc, uint32_t id)
{
	size_t lo = 0, hi = sc->ndevs;

	/* the last entry with @id: the first above it, less one */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sc->devs[mid].id <= id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && sc->devs[lo - 1].id == id ? &sc->devs[lo - 1] : NULL;
}

bool sim_scene_overridden(const struct sim_scene *sc, const struct sim_scene_group *g,
			  const struct sim_scene_dev **declared)
{
	const struct sim_scene_dev *d = sim_scene_declared(sc, sc->gdevs[g->dev0]);

	*declared = d;
	return d && (d->start != g->win_start || d->size != g->win_size);
}

const char *sim_hwpt_type_word(enum swmsi_obj_type t)
{
	return t == SWMSI_OBJ_HWPT_NESTED ? "nested" : "paging";
}
