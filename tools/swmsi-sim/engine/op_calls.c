/* SPDX-License-Identifier: MIT */
/*
 * The library calls of the scenario language, one run function a command:
 * each makes its call, keeps the scenario-side state (names to ids, vector
 * labels to handles, the stage-1 mappings and windows it made) and fills
 * the step's answer. They print nothing and call nothing of the engine.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "engine.h"

/* A label that never got a vector names a handle the library never gives
 * (handles are lowest free), so the library answers for it. */
static uint32_t vhandle(const struct sim *s, unsigned int vec)
{
	return s->vecs[vec].ever ? s->vecs[vec].handle : UINT32_MAX;
}

static int add_window(struct sim *s, uint64_t start, uint64_t size)
{
	size_t i;

	for (i = 0; i < s->nwindows; i++)
		if (s->windows[i].start == start && s->windows[i].size == size)
			return 0;
	if (sim_grow((void **)&s->windows, &s->cap_windows, s->nwindows + 1, sizeof(*s->windows),
		     8))
		return -ENOMEM;
	s->windows[s->nwindows].start = start;
	s->windows[s->nwindows++].size = size;
	return 0;
}

static void created(struct sim *s, struct sim_step *st, unsigned int name, uint32_t id)
{
	s->objs[name].id = id;
	s->objs[name].live = true;
	if (sim_name_set(s, id, name))
		s->oom = true;
	st->id = id;
}

/* Name @name is gone (unbound, destroyed). */
static void gone(struct sim *s, unsigned int name)
{
	s->objs[name].live = false;
	sim_name_clear(s, s->objs[name].id);
}

/* Is @len over the fuzzing bound? */
static bool too_big(const struct sim *s, uint64_t len)
{
	return s->o.max_map_bytes && len > s->o.max_map_bytes;
}

int exec_window(struct sim *s, struct sim_step *st)
{
	const struct scn_a_range *a = &st->c->a.range;

	st->rc = swmsi_ctx_set_sw_msi_window(s->ctx, a->start, a->size);
	if (!st->rc) {
		s->window_override = a->start;
		if (add_window(s, a->start, a->size))
			s->oom = true;
	}
	return 0;
}

/* A device's own window (the posted per-device IOMMU_OPTION_SW_MSI_*). */
int exec_dev_window(struct sim *s, struct sim_step *st)
{
	const struct scn_a_devwin *a = &st->c->a.devwin;

	st->rc = swmsi_device_set_sw_msi_window(s->ctx, sim_oid(s, a->dev), a->start, a->size);
	if (!st->rc && a->size && add_window(s, a->start, a->size))
		s->oom = true;
	return 0;
}

int exec_doorbell(struct sim *s, struct sim_step *st)
{
	st->rc = swmsi_doorbell_register(s->ctx, st->c->a.range.start, st->c->a.range.size);
	return 0;
}

int exec_ioas(struct sim *s, struct sim_step *st)
{
	uint32_t id = 0;

	st->rc = swmsi_ioas_alloc(s->ctx, &id);
	if (!st->rc)
		created(s, st, st->c->a.decl.name, id);
	return 0;
}

int exec_map(struct sim *s, struct sim_step *st)
{
	const struct scn_a_map *a = &st->c->a.map;

	if (too_big(s, a->length))
		return 1;
	st->rc = swmsi_ioas_map(s->ctx, sim_oid(s, a->obj), a->iova, a->paddr, a->length, a->prot);
	return 0;
}

int exec_unmap(struct sim *s, struct sim_step *st)
{
	const struct scn_a_map *a = &st->c->a.map;

	st->rc = swmsi_ioas_unmap(s->ctx, sim_oid(s, a->obj), a->iova, a->length);
	if (!st->rc)
		sim_areas_unmapped(s, st, sim_oid(s, a->obj), a->iova, a->length);
	return 0;
}

int exec_hwpt(struct sim *s, struct sim_step *st)
{
	const struct scn_a_decl *a = &st->c->a.decl;
	uint32_t id = 0;

	st->rc = swmsi_hwpt_alloc(s->ctx, sim_oid(s, a->parent), a->flags, &id);
	if (!st->rc)
		created(s, st, a->name, id);
	return 0;
}

int exec_nested(struct sim *s, struct sim_step *st)
{
	const struct scn_a_decl *a = &st->c->a.decl;
	uint32_t id = 0;

	st->rc = swmsi_hwpt_alloc_nested(s->ctx, sim_oid(s, a->parent), &id);
	if (!st->rc)
		created(s, st, a->name, id);
	return 0;
}

int exec_s1map(struct sim *s, struct sim_step *st)
{
	const struct scn_a_map *a = &st->c->a.map;
	struct sim_s1 *m;

	if (too_big(s, a->length))
		return 1;
	st->rc = swmsi_hwpt_nested_map(s->ctx, sim_oid(s, a->obj), a->iova, a->paddr, a->length,
				       a->prot);
	if (st->rc)
		return 0;
	if (sim_grow((void **)&s->s1, &s->cap_s1, s->ns1 + 1, sizeof(*s->s1), 8)) {
		s->oom = true;
		return 0;
	}
	m = &s->s1[s->ns1++];
	m->nested_id = sim_oid(s, a->obj);
	m->iova = a->iova;
	m->ipa = a->paddr;
	m->len = a->length;
	return 0;
}

int exec_device(struct sim *s, struct sim_step *st)
{
	const struct scn_a_device *a = &st->c->a.device;
	struct swmsi_device_desc desc;
	uint32_t id = 0;

	const struct swmsi_resv_region *r = a->nresv ? &s->scn->resv[a->resv0] : NULL;
	uint32_t i;

	memset(&desc, 0, sizeof(desc));
	desc.group = a->group;
	desc.sw_msi_start = a->has_window ? a->win_start : SWMSI_PHYS_NONE;
	desc.sw_msi_size = a->has_window ? a->win_size : 0;
	desc.resv = r;
	desc.nr_resv = a->nresv;
	st->rc = swmsi_device_bind(s->ctx, &desc, &id);
	if (st->rc)
		return 0;
	created(s, st, a->name, id);
	if (a->has_window && add_window(s, a->win_start, a->win_size))
		s->oom = true;
	/* A SW_MSI region is the device's window as window= is. */
	for (i = 0; i < a->nresv; i++)
		if (r[i].type == SWMSI_RESV_SW_MSI && add_window(s, r[i].start, r[i].size))
			s->oom = true;
	return 0;
}

int exec_attach(struct sim *s, struct sim_step *st)
{
	const struct scn_a_obj *a = &st->c->a.obj;

	st->rc = swmsi_device_attach(s->ctx, sim_oid(s, a->obj), sim_oid(s, a->pt));
	return 0;
}

int exec_replace(struct sim *s, struct sim_step *st)
{
	const struct scn_a_obj *a = &st->c->a.obj;

	st->rc = swmsi_device_replace(s->ctx, sim_oid(s, a->obj), sim_oid(s, a->pt));
	return 0;
}

int exec_detach(struct sim *s, struct sim_step *st)
{
	st->rc = swmsi_device_detach(s->ctx, sim_oid(s, st->c->a.obj.obj));
	return 0;
}

/* The live vector labels of device name @dev, "q0, q1", into @buf. */
static void dev_labels(const struct sim *s, unsigned int dev, char *buf, size_t len)
{
	const struct sim_dev_vecs *dv = &s->dev_vecs[dev];
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < dv->n && off < len; i++)
		if (s->vecs[dv->vec[i]].live)
			off += (size_t)snprintf(buf + off, len - off, "%s%s", off ? ", " : "",
						s->scn->vecs[dv->vec[i]].label);
}

int exec_unbind(struct sim *s, struct sim_step *st)
{
	unsigned int dev = st->c->a.obj.obj;
	const struct sim_dev_vecs *dv = &s->dev_vecs[dev];
	size_t i;

	dev_labels(s, dev, st->labels, sizeof(st->labels));
	st->rc = swmsi_device_unbind(s->ctx, sim_oid(s, dev));
	if (st->rc)
		return 0;
	gone(s, dev);
	for (i = 0; i < dv->n; i++)
		sim_vec_gone(s, dv->vec[i]);
	return 0;
}

int exec_destroy(struct sim *s, struct sim_step *st)
{
	unsigned int name = st->c->a.obj.obj;
	uint32_t id = sim_oid(s, name);
	size_t i, k = 0;

	st->rc = swmsi_destroy(s->ctx, id);
	if (st->rc)
		return 0;
	gone(s, name);
	sim_areas_unmapped(s, st, id, 0, UINT64_MAX); /* an IOAS's areas went with it */
	/* The guest's table went with its HWPT. */
	for (i = 0; i < s->ns1; i++)
		if (s->s1[i].nested_id != id)
			s->s1[k++] = s->s1[i];
	s->ns1 = k;
	return 0;
}

int exec_msi(struct sim *s, struct sim_step *st)
{
	const struct scn_a_vec *a = &st->c->a.vec;
	struct sim_vec *v = &s->vecs[a->vec];
	uint64_t msg = 0;
	uint32_t h = 0;

	st->rc = swmsi_msi_alloc(s->ctx, sim_oid(s, a->dev), a->addr, &h, &msg);
	if (st->rc)
		return 0;
	if (v->live)
		sim_vec_gone(s, a->vec);
	v->handle = h;
	v->ever = v->live = true;
	v->msi_addr = a->addr;
	v->msg_addr = msg;
	if (sim_vec_live(s, a->vec))
		s->oom = true;
	st->value = msg;
	st->has_value = true;
	return 0;
}

int exec_free(struct sim *s, struct sim_step *st)
{
	const struct scn_a_vec *a = &st->c->a.vec;

	st->rc = swmsi_msi_free(s->ctx, sim_oid(s, a->dev), vhandle(s, a->vec));
	if (!st->rc)
		sim_vec_gone(s, a->vec);
	return 0;
}

int exec_fire(struct sim *s, struct sim_step *st)
{
	const struct scn_a_vec *a = &st->c->a.vec;
	uint64_t pa = 0;

	st->rc = swmsi_msi_fire(s->ctx, sim_oid(s, a->dev), vhandle(s, a->vec), &pa);
	if (!st->rc) {
		st->value = pa;
		st->has_value = true;
	}
	return 0;
}

int exec_fail_map(struct sim *s, struct sim_step *st)
{
	const struct scn_a_fail *a = &st->c->a.fail;

	mock_iommu_fail_map(s->mock, a->nth, a->err);
	st->rc = 0;
	return 0;
}
