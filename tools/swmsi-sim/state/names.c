/* SPDX-License-Identifier: MIT */
/*
 * The scenario's names at run time: object ids to names, vector handles to
 * labels, each through a hash, so that naming an object costs the same
 * with a hundred thousand of them as with ten.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"

static uint64_t vec_key(unsigned int dev, uint32_t handle)
{
	return (uint64_t)dev << 32 | handle;
}

int sim_names_init(struct sim *s)
{
	const struct scn *scn = s->scn;
	size_t i;

	s->dev_vecs = calloc(scn->nnames ? scn->nnames : 1, sizeof(*s->dev_vecs));
	if (!s->dev_vecs)
		return -ENOMEM;
	for (i = 0; i < scn->nvecs; i++) {
		struct sim_dev_vecs *dv = &s->dev_vecs[scn->vecs[i].dev];

		if (sim_grow((void **)&dv->vec, &dv->cap, dv->n + 1, sizeof(*dv->vec), 2))
			return -ENOMEM;
		dv->vec[dv->n++] = (unsigned int)i;
	}
	return 0;
}

void sim_names_free(struct sim *s)
{
	size_t i;

	for (i = 0; s->dev_vecs && i < s->scn->nnames; i++)
		free(s->dev_vecs[i].vec);
	free(s->dev_vecs);
	s->dev_vecs = NULL;
	key_index_free(&s->ids);
	key_index_free(&s->handles);
}

int sim_name_set(struct sim *s, uint32_t id, unsigned int name)
{
	return key_index_set(&s->ids, id, name);
}

void sim_name_clear(struct sim *s, uint32_t id)
{
	key_index_del(&s->ids, id);
}

int sim_vec_live(struct sim *s, unsigned int vec)
{
	return key_index_set(&s->handles, vec_key(s->scn->vecs[vec].dev, s->vecs[vec].handle), vec);
}

void sim_vec_gone(struct sim *s, unsigned int vec)
{
	if (!s->vecs[vec].live)
		return;
	s->vecs[vec].live = false;
	key_index_del(&s->handles, vec_key(s->scn->vecs[vec].dev, s->vecs[vec].handle));
}

const char *sim_vec_label(const struct sim *s, long dev, uint32_t handle)
{
	long v;

	if (dev < 0)
		return NULL;
	v = key_index_find(&s->handles, vec_key((unsigned int)dev, handle));
	return v >= 0 ? s->scn->vecs[v].label : NULL;
}

long sim_name_of(const struct sim *s, uint32_t id)
{
	return id ? key_index_find(&s->ids, id) : -1;
}

const char *sim_obj_name(const struct sim *s, uint32_t id)
{
	long n = sim_name_of(s, id);

	return n >= 0 ? s->scn->names[n].name : "?";
}

const char *sim_obj_label(const struct sim *s, const struct snapshot *sn, uint32_t id, char *buf,
			  size_t len)
{
	const struct snapshot_hwpt *h;
	long n;

	if (!id) {
		snprintf(buf, len, "-");
		return buf;
	}
	n = sim_name_of(s, id);
	if (n >= 0) {
		snprintf(buf, len, "%s", s->scn->names[n].name);
		return buf;
	}
	h = sn ? snapshot_hwpt(sn, id) : NULL;
	if (h && h->info.is_auto) {
		long ioas = sim_name_of(s, h->info.ioas_id);

		if (ioas >= 0)
			snprintf(buf, len, "auto@%s", s->scn->names[ioas].name);
		else
			snprintf(buf, len, "auto@%" PRIu32, h->info.ioas_id);
		return buf;
	}
	snprintf(buf, len, "#%" PRIu32, id);
	return buf;
}

/* A label and HWPT id for a domain by its mock serial, remembered across snapshots. */
void sim_remember_domains(struct sim *s, const struct snapshot *sn)
{
	size_t i;

	for (i = 0; i < sn->nhwpts; i++) {
		const struct snapshot_hwpt *h = &sn->hwpts[i];

		if (h->info.type != SWMSI_OBJ_HWPT_PAGING || !h->serial)
			continue;
		if (h->serial >= s->ndom_label) {
			size_t n = h->serial + 16;
			void *nl = realloc(s->dom_label, n * sizeof(*s->dom_label));

			if (!nl) {
				s->oom = true;
				return;
			}
			s->dom_label = nl;
			memset(s->dom_label + s->ndom_label, 0,
			       (n - s->ndom_label) * sizeof(*s->dom_label));
			s->ndom_label = n;
		}
		sim_obj_label(s, sn, h->id, s->dom_label[h->serial].label,
			      sizeof(s->dom_label[0].label));
		s->dom_label[h->serial].hwpt = h->id;
	}
}

const char *sim_dom_label(const struct sim *s, unsigned int serial)
{
	if (serial < s->ndom_label && s->dom_label[serial].label[0])
		return s->dom_label[serial].label;
	return "?";
}

/* The name a creating command declares, or -1 for another command. */
static long made_name(const struct scn_cmd *c)
{
	switch (c->op) {
	case SCN_IOAS:
	case SCN_HWPT:
	case SCN_NESTED:
		return c->a.decl.name;
	case SCN_DEVICE:
		return c->a.device.name;
	default:
		return -1;
	}
}

void sim_name_note(struct sim *s, const struct sim_step *st)
{
	const struct scn_cmd *c = st->c;
	uintptr_t at = (uintptr_t)c, first = (uintptr_t)s->scn->cmds;
	struct sim_event ev = { c->line, c->op, st->rc, 0 };
	long made = made_name(c);
	struct sim_obj *o;

	/* only the scenario's own lines have a history (the explorer runs
	 * commands of its own, and judges none) */
	if (at < first || at >= first + s->scn->ncmds * sizeof(*c))
		return;
	ev.step = (at - first) / sizeof(*c);

	if (made >= 0) {
		s->objs[made].made = ev;
		return;
	}
	switch (c->op) {
	case SCN_ATTACH:
	case SCN_DETACH:
		o = &s->objs[c->a.obj.obj];
		if (!st->rc)
			o->att = ev;
		else if (c->op == SCN_ATTACH)
			o->att_failed = ev;
		break;
	case SCN_UNBIND:
	case SCN_DESTROY:
		if (!st->rc)
			s->objs[c->a.obj.obj].gone = ev;
		break;
	case SCN_FREE:
		if (st->rc)
			break;
		/* fall through */
	case SCN_MSI:
		s->vecs[c->a.vec.vec].ev = ev;
		break;
	case SCN_FAIL_MAP:
		s->fail_map = ev;
		break;
	default:
		break;
	}
}

uint32_t sim_dom_hwpt(const struct sim *s, unsigned int serial)
{
	return serial < s->ndom_label ? s->dom_label[serial].hwpt : 0;
}
