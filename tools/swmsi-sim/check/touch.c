/* SPDX-License-Identifier: MIT */
/*
 * What a step touches: the objects its command names and what those
 * reach (a device's group and each member's HWPT, a HWPT's IOAS and parent,
 * an IOAS's HWPTs), and after the call the HWPTs of the domains its journal
 * entries name. The engine snapshots these, not the whole context, so that
 * a step costs what it touches. Indexes learned along the way (a group's
 * devices, an IOAS's HWPTs, a domain serial's HWPT) live in struct sim.
 */
#include <errno.h>
#include <stdlib.h>

#include "commands.h"
#include "check.h"

/* A list of ids per key (a group, an IOAS): one index entry, one list. */
static int list_add(struct key_index *ix, struct sim_idlists *l, uint64_t key, uint32_t id)
{
	long at = key_index_find(ix, key);
	struct sim_idlist *li;

	if (at < 0) {
		if (sim_grow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v), 16) ||
		    key_index_set(ix, key, (uint32_t)l->n))
			return -ENOMEM;
		at = (long)l->n;
		l->v[l->n].ids = NULL;
		l->v[l->n].n = l->v[l->n].cap = 0;
		l->n++;
	}
	li = &l->v[at];
	if (sim_grow((void **)&li->ids, &li->cap, li->n + 1, sizeof(*li->ids), 2))
		return -ENOMEM;
	li->ids[li->n++] = id;
	return 0;
}

static const struct sim_idlist *list_of(const struct key_index *ix, const struct sim_idlists *l,
					uint64_t key)
{
	long at = key_index_find(ix, key);

	return at < 0 ? NULL : &l->v[at];
}

void sim_touch_free(struct sim *s)
{
	size_t i;

	for (i = 0; i < s->group_devs.n; i++)
		free(s->group_devs.v[i].ids);
	for (i = 0; i < s->ioas_hwpts.n; i++)
		free(s->ioas_hwpts.v[i].ids);
	free(s->group_devs.v);
	free(s->ioas_hwpts.v);
	free(s->touched.ids);
	key_index_free(&s->group_ix);
	key_index_free(&s->ioas_ix);
	key_index_free(&s->serial_hwpt);
	key_index_free(&s->learned);
	key_index_free(&s->touch_seen);
}

/* Object @id seen for the first time? (Ids are not reused while live.) */
static bool first_sight(struct sim *s, uint32_t id)
{
	if (key_index_find(&s->learned, id) >= 0)
		return false;
	if (key_index_set(&s->learned, id, 1))
		s->oom = true;
	return true;
}

void sim_touch_learn(struct sim *s, const struct snapshot *sn)
{
	size_t i;

	for (i = 0; i < sn->ndevs; i++)
		if (first_sight(s, sn->devs[i].id) &&
		    list_add(&s->group_ix, &s->group_devs, sn->devs[i].info.group, sn->devs[i].id))
			s->oom = true;
	for (i = 0; i < sn->nhwpts; i++) {
		const struct snapshot_hwpt *h = &sn->hwpts[i];

		if (first_sight(s, h->id) &&
		    (list_add(&s->ioas_ix, &s->ioas_hwpts, h->info.ioas_id, h->id) ||
		     (h->serial && key_index_set(&s->serial_hwpt, h->serial, h->id))))
			s->oom = true;
	}
}

/* Add @id to the step's list, once. Returns whether it was not there yet. */
static bool add(struct sim *s, uint32_t id)
{
	struct sim_idlist *t = &s->touched;

	if (!id || key_index_find(&s->touch_seen, id) == (long)s->touch_gen)
		return false;
	if (key_index_set(&s->touch_seen, id, s->touch_gen) ||
	    sim_grow((void **)&t->ids, &t->cap, t->n + 1, sizeof(*t->ids), 64)) {
		s->oom = true;
		return false;
	}
	t->ids[t->n++] = id;
	return true;
}

void sim_touch_begin(struct sim *s, bool keep)
{
	if (!keep)
		s->touched.n = 0;
	/* A new generation (after the call, the same objects are walked
	 * again for what they reach now; the list may then hold an id twice,
	 * which snapshot_take_ids() skips): what earlier steps marked counts as unmarked. */
	if (++s->touch_gen == UINT32_MAX) {
		key_index_free(&s->touch_seen);
		s->touch_gen = 1;
	}
}

/* A HWPT, its IOAS and its parent (a nested one's), and the parent's IOAS. */
static void add_hwpt(struct sim *s, uint32_t id)
{
	struct swmsi_hwpt_info h;
	uint32_t parent;

	if (!id || key_index_find(&s->touch_seen, id) == (long)s->touch_gen ||
	    swmsi_hwpt_info(s->ctx, id, &h))
		return;
	add(s, id);
	add(s, h.ioas_id);
	parent = h.parent_id;
	if (parent && !swmsi_hwpt_info(s->ctx, parent, &h)) {
		add(s, parent);
		add(s, h.ioas_id);
	}
}

/* A device: every device of its group, and the HWPT each sits on. */
static void add_device(struct sim *s, uint32_t id)
{
	const struct sim_idlist *g;
	struct swmsi_device_info d;
	size_t i;

	if (key_index_find(&s->touch_seen, id) == (long)s->touch_gen ||
	    swmsi_device_info(s->ctx, id, &d))
		return;
	add(s, id);
	add_hwpt(s, d.hwpt_id);
	g = list_of(&s->group_ix, &s->group_devs, d.group);
	for (i = 0; g && i < g->n; i++) {
		if (key_index_find(&s->touch_seen, g->ids[i]) == (long)s->touch_gen ||
		    swmsi_device_info(s->ctx, g->ids[i], &d))
			continue;
		add(s, g->ids[i]);
		add_hwpt(s, d.hwpt_id);
	}
}

static void add_closure(struct sim *s, uint32_t id)
{
	const struct sim_idlist *l;
	enum swmsi_obj_type type;
	size_t i;

	if (!id || swmsi_obj_type(s->ctx, id, &type))
		return;
	switch (type) {
	case SWMSI_OBJ_DEVICE:
		add_device(s, id);
		break;
	case SWMSI_OBJ_IOAS:
		add(s, id);
		l = list_of(&s->ioas_ix, &s->ioas_hwpts, id);
		for (i = 0; l && i < l->n; i++)
			add_hwpt(s, l->ids[i]);
		break;
	default:
		add_hwpt(s, id);
		break;
	}
}

void sim_touch_command(struct sim *s, const struct scn_cmd *c)
{
	const struct cmd_def *def = cmd_of(c->op);
	const struct sim_idlist *g;
	int a;

	/* A device bound into a group joins what the group's devices sit on. */
	if (c->op == SCN_DEVICE) {
		g = list_of(&s->group_ix, &s->group_devs, c->a.device.group);
		for (a = 0; g && (size_t)a < g->n; a++)
			add_device(s, g->ids[a]);
	}
	for (a = 0; def && a < CMD_MAX_ARGS && def->args[a].kind != A_END; a++) {
		const struct arg_spec *as = &def->args[a];

		if (as->kind > A_PT)
			continue;
		add_closure(s, sim_oid(s, *(const unsigned int *)((const char *)&c->a + as->off)));
	}
}

void sim_touch_journal(struct sim *s, const struct mock_iommu_journal_entry *j, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		long h = key_index_find(&s->serial_hwpt, j[i].domain);

		if (h >= 0)
			add_hwpt(s, (uint32_t)h);
	}
}
