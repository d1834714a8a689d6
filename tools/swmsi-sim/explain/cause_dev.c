/* SPDX-License-Identifier: MIT */
/*
 * The cause that holds (cause.h) for the device and vector commands:
 * bind, attach, replace, detach, destroy, msi, free, fire. What a step's
 * snapshot does not hold (a window of a device it did not touch, who is
 * attached to a HWPT) is read from the scenario's names, only here: on a
 * failure a sink words.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cause.h"

/* The device declaration that made live device name @n, or NULL. */
static const struct scn_a_device *decl_of(const struct cause *k, unsigned int n)
{
	const struct sim_obj *o = &k->s->objs[n];

	if (k->s->scn->names[n].kind != SCN_KIND_DEVICE || !o->live || !o->made.line ||
	    o->made.step >= k->s->scn->ncmds)
		return NULL;
	return &k->s->scn->cmds[o->made.step].a.device;
}

/* The window @a declares (window=, or a sw-msi region) into @w; false: none. */
struct decl_win {
	bool has;
	uint64_t start, size;
};
static struct decl_win decl_win(const struct cause *k, const struct scn_a_device *a)
{
	struct decl_win w = { false, 0, 0 };

	w.has = cause_decl_window(k, a, &w.start, &w.size);
	return w;
}

static bool same_window(struct decl_win a, struct decl_win b)
{
	if (a.has != b.has)
		return false;
	return !a.has || (a.start == b.start && a.size == b.size);
}

/* bind's EINVAL: the window, or another device's. */
const char *cause_bind(const struct cause *k)
{
	const struct scn_a_device *a = &k->c->a.device, *o;
	struct decl_win aw = decl_win(k, a), ow;
	const char *w;
	char sz[24];
	size_t n;

	if ((w = cause_bind_resv(k)))
		return w;
	if (k->rc != -EINVAL)
		return NULL;
	if (a->has_window && (w = cause_bad_range(k, "window", a->win_start, a->win_size)))
		return w;
	for (n = 0; n < k->s->scn->nnames; n++) {
		if (!(o = decl_of(k, (unsigned int)n)))
			continue;
		ow = decl_win(k, o);
		if (o->group == a->group && !same_window(aw, ow) && !ow.has)
			return cause_say(k, "group %" PRIu32 " has no window (%s, line %u)",
					 o->group, cause_name(k, (unsigned int)n),
					 k->s->objs[n].made.line);
		if (o->group == a->group && !same_window(aw, ow))
			return cause_say(k,
					 "group %" PRIu32 " has window 0x%" PRIx64
					 " [%s] (%s, line %u)",
					 o->group, ow.start, sim_fmt_size(sz, sizeof(sz), ow.size),
					 cause_name(k, (unsigned int)n), k->s->objs[n].made.line);
		if (o->group != a->group && aw.has && ow.has && !same_window(aw, ow) &&
		    aw.start <= ow.start + (ow.size - 1) && ow.start <= aw.start + (aw.size - 1))
			return cause_say(k,
					 "the window meets %s's window 0x%" PRIx64
					 " [%s] (line %u) without being the same",
					 cause_name(k, (unsigned int)n), ow.start,
					 sim_fmt_size(sz, sizeof(sz), ow.size),
					 k->s->objs[n].made.line);
	}
	return NULL;
}

/* @d (not attached) said with its history: "gpu is not attached: ...". */
static const char *not_attached(const struct cause *k, unsigned int dev)
{
	char hist[80];

	return cause_say(k, "%s is not attached: %s", cause_name(k, dev),
			 cause_att_history(k, dev, hist, sizeof(hist)));
}

/* attach's EINVAL with @d not attached: its group sits on another HWPT. */
static const char *group_elsewhere(const struct cause *k, const struct snapshot_dev *d)
{
	char hb[40], hist[80];
	size_t i;

	sim_obj_label(k->s, k->sn, d->info.hwpt_id, hb, sizeof(hb));
	for (i = 0; i < k->sn->ndevs; i++) {
		const struct snapshot_dev *m = &k->sn->devs[i];
		long n = sim_name_of(k->s, m->id);

		if (m->info.group != d->info.group || !m->info.attached || n < 0)
			continue;
		return cause_say(k, "%s's group %" PRIu32 " sits on %s (%s: %s)",
				 sim_obj_name(k->s, d->id), d->info.group, hb,
				 cause_name(k, (unsigned int)n),
				 cause_att_history(k, (unsigned int)n, hist, sizeof(hist)));
	}
	return cause_say(k, "%s's group %" PRIu32 " sits on %s", sim_obj_name(k->s, d->id),
			 d->info.group, hb);
}

/* attach or replace's EADDRINUSE: the target's IOAS maps into the window. */
static const char *window_in_use(const struct cause *k, const struct snapshot_dev *d)
{
	unsigned int pt = k->c->a.obj.pt;
	uint32_t ioas = sim_oid(k->s, pt);
	const struct snapshot_hwpt *h = snapshot_hwpt(k->sn, ioas);
	const struct snapshot_ioas *io;
	const struct swmsi_mapping *m;
	char sz[24], wsz[24];

	if (h)
		ioas = h->info.ioas_id;
	io = snapshot_ioas(k->sn, ioas);
	if (!io || d->info.sw_msi_start == SWMSI_PHYS_NONE)
		return NULL;
	m = cause_meets(io->maps, io->nmaps, d->info.sw_msi_start, d->info.sw_msi_size);
	if (!m)
		return NULL;
	return cause_say(k,
			 "'%s' maps 0x%" PRIx64 " [%s] -> 0x%" PRIx64 " into group %" PRIu32
			 "'s window 0x%" PRIx64 " [%s]",
			 sim_obj_name(k->s, ioas), m->iova, sim_fmt_size(sz, sizeof(sz), m->length),
			 m->paddr, d->info.group, d->info.sw_msi_start,
			 sim_fmt_size(wsz, sizeof(wsz), d->info.sw_msi_size));
}

const char *cause_attach(const struct cause *k)
{
	unsigned int dev = k->c->a.obj.obj;
	const struct snapshot_dev *d = k->sn ? snapshot_dev(k->sn, sim_oid(k->s, dev)) : NULL;
	char hb[40];

	if (!d)
		return NULL;
	if (k->rc == -EADDRINUSE)
		return window_in_use(k, d) ? k->buf : cause_attach_resv(k, d);
	if (k->rc != -EINVAL)
		return NULL;
	if (k->c->op == SCN_REPLACE)
		return d->info.attached ? NULL : not_attached(k, dev);
	if (d->info.attached && k->s->objs[dev].att.line)
		return cause_say(k, "%s is attached already: attached at line %u, its group on %s",
				 cause_name(k, dev), k->s->objs[dev].att.line,
				 sim_obj_label(k->s, k->sn, d->info.hwpt_id, hb, sizeof(hb)));
	if (d->info.attached)
		return cause_say(k, "%s is attached already (to %s)", cause_name(k, dev),
				 sim_obj_label(k->s, k->sn, d->info.hwpt_id, hb, sizeof(hb)));
	return d->info.hwpt_id ? group_elsewhere(k, d) : NULL;
}

const char *cause_detach(const struct cause *k)
{
	unsigned int dev = k->c->a.obj.obj;
	const struct snapshot_dev *d = k->sn ? snapshot_dev(k->sn, sim_oid(k->s, dev)) : NULL;

	if (k->rc != -EINVAL || !d || d->info.attached)
		return NULL;
	return not_attached(k, dev);
}

/* The live names of @kind whose object says it is on HWPT @id, "nic, gpu". */
static size_t users_of(const struct cause *k, enum scn_kind kind, uint32_t id, char *buf,
		       size_t len)
{
	size_t n, off = 0, found = 0;

	buf[0] = '\0';
	for (n = 0; n < k->s->scn->nnames && off < len; n++) {
		const struct sim_obj *o = &k->s->objs[n];
		struct swmsi_device_info di;
		struct swmsi_hwpt_info hi;
		bool on;

		if (!o->live || k->s->scn->names[n].kind != kind)
			continue;
		if (kind == SCN_KIND_DEVICE)
			on = !swmsi_device_info(k->s->ctx, o->id, &di) && di.attached &&
			     di.hwpt_id == id;
		else
			on = !swmsi_hwpt_info(k->s->ctx, o->id, &hi) && hi.parent_id == id;
		if (!on)
			continue;
		found++;
		off += (size_t)snprintf(buf + off, len - off, "%s%s", off ? ", " : "",
					cause_name(k, (unsigned int)n));
	}
	return found;
}

/* destroy's EBUSY: what still uses the IOAS or the HWPT. */
const char *cause_destroy(const struct cause *k)
{
	unsigned int n = k->c->a.obj.obj;
	uint32_t id = sim_oid(k->s, n);
	const struct snapshot_hwpt *h = k->sn ? snapshot_hwpt(k->sn, id) : NULL;
	char devs[128], kids[128], lb[40];
	size_t i, off = 0;

	if (k->rc != -EBUSY || !k->sn)
		return NULL;
	if (snapshot_ioas(k->sn, id)) {
		for (i = 0; i < k->sn->nhwpts && off < sizeof(devs); i++)
			if (k->sn->hwpts[i].info.ioas_id == id &&
			    k->sn->hwpts[i].info.type == SWMSI_OBJ_HWPT_PAGING)
				off += (size_t)snprintf(
					devs + off, sizeof(devs) - off, "%s%s", off ? ", " : "",
					sim_obj_label(k->s, k->sn, k->sn->hwpts[i].id, lb,
						      sizeof(lb)));
		return off ? cause_say(k, "HWPTs are still allocated on '%s': %s", cause_name(k, n),
				       devs)
			   : NULL;
	}
	if (!h)
		return NULL;
	if (users_of(k, SCN_KIND_DEVICE, id, devs, sizeof(devs)) &&
	    users_of(k, SCN_KIND_NESTED, id, kids, sizeof(kids)))
		return cause_say(k, "'%s' is in use: %s attached; %s over it", cause_name(k, n),
				 devs, kids);
	if (devs[0])
		return cause_say(k, "'%s' is in use: %s attached", cause_name(k, n), devs);
	if (users_of(k, SCN_KIND_NESTED, id, kids, sizeof(kids)))
		return cause_say(k, "'%s' is in use: nested %s over it", cause_name(k, n), kids);
	return NULL;
}

/* msi's ENOSPC: the window has no free slot, or the page's entry (a hit)
 * sits past the end of this smaller window. */
static const char *no_slot(const struct cause *k, const struct snapshot_dev *d)
{
	uint64_t start = d->info.sw_msi_start, size = d->info.sw_msi_size;
	uint64_t page = k->c->a.vec.addr & ~(k->s->page_size - 1);
	char sz[24];
	size_t i, used = 0;

	if (start == SWMSI_PHYS_NONE)
		return NULL;
	sim_fmt_size(sz, sizeof(sz), size);
	for (i = 0; i < k->sn->nmaps; i++) {
		const struct swmsi_msi_map_info *m = &k->sn->maps[i];

		if (m->sw_msi_start != start)
			continue;
		if (m->msi_page == page)
			return cause_say(k,
					 "MSI map %" PRIu32 " of doorbell page 0x%" PRIx64
					 " sits at slot %" PRIu32
					 ", past the end of window 0x%" PRIx64 " [%s]",
					 m->id, page, m->slot, start, sz);
		used++;
	}
	return cause_say(k,
			 "doorbell page 0x%" PRIx64 " needs a slot and window 0x%" PRIx64
			 " [%s] has none free (%zu in use)",
			 page, start, sz, used);
}

const char *cause_msi(const struct cause *k)
{
	const struct scn_a_vec *a = &k->c->a.vec;
	const struct snapshot_dev *d = k->sn ? snapshot_dev(k->sn, sim_oid(k->s, a->dev)) : NULL;
	uint64_t page = a->addr & ~(k->s->page_size - 1);

	if (k->rc == -EPERM)
		return cause_say(k,
				 "doorbell 0x%" PRIx64
				 " is outside every registered doorbell region",
				 a->addr);
	if (!d)
		return NULL;
	if (k->rc == -ENOSPC)
		return no_slot(k, d);
	if (k->rc != -EOVERFLOW)
		return NULL;
	if (k->s->scheme == SWMSI_SCHEME_KERNEL)
		return cause_say(k,
				 "doorbell page 0x%" PRIx64
				 " needs a new MSI map and the kernel has "
				 "handed out all its %u map ids (it never reuses one)",
				 page, SIM_DEFAULT_MAX_MSI_MAPS);
	return cause_say(k,
			 "doorbell page 0x%" PRIx64
			 " needs a new MSI map and all %u map ids are in use",
			 page, scn_max_msi_maps(&k->s->scn->opts));
}

/* fire's EFAULT: the group is detached, or nothing maps the address. */
static const char *not_translated(const struct cause *k, const struct snapshot_dev *d)
{
	const struct scn_a_vec *a = &k->c->a.vec;
	const struct swmsi_vector_info *v;
	const struct snapshot_hwpt *h;
	char hist[80], hb[40];

	if (!d->info.hwpt_id)
		return cause_say(k, "group %" PRIu32 " is detached, its DMA blocked (%s: %s)",
				 d->info.group, cause_name(k, a->dev),
				 cause_att_history(k, a->dev, hist, sizeof(hist)));
	v = sim_snap_vec(k->sn, d->id, k->s->vecs[a->vec].handle);
	h = snapshot_hwpt(k->sn, d->info.hwpt_id);
	if (!v || !h)
		return NULL;
	sim_obj_label(k->s, k->sn, h->id, hb, sizeof(hb));
	if (h->info.type == SWMSI_OBJ_HWPT_NESTED && !cause_meets(h->s1, h->ns1, v->msg_addr, 1))
		return cause_say(k,
				 "0x%" PRIx64 " is not mapped in %s's stage 1: the guest must map "
				 "the window 1:1 for its MSIs to pass",
				 v->msg_addr, hb);
	if (!v->translated)
		return cause_say(
			k,
			"0x%" PRIx64 " does not translate in %s: %s %s was allocated "
			"while its group was detached, so it writes the doorbell's own address",
			v->msg_addr, hb, cause_name(k, a->dev), k->s->scn->vecs[a->vec].label);
	return cause_say(k, "0x%" PRIx64 " does not translate in %s", v->msg_addr, hb);
}

/* free and fire: the label, then (fire) where the write went. */
const char *cause_vec(const struct cause *k)
{
	const struct scn_a_vec *a = &k->c->a.vec;
	const struct sim_vec *v = &k->s->vecs[a->vec];
	const char *dev = cause_name(k, a->dev), *label = k->s->scn->vecs[a->vec].label;
	const struct snapshot_dev *d;

	if (k->rc == -ENOENT && !v->ever && v->ev.line && v->ev.rc)
		return cause_say(k, "%s %s was never allocated: its msi at line %u failed with %s",
				 dev, label, v->ev.line, swmsi_errname(v->ev.rc));
	if (k->rc == -ENOENT && !v->ever)
		return cause_say(k, "%s %s was never allocated", dev, label);
	if (k->rc == -ENOENT && !v->live && v->ev.op == SCN_FREE)
		return cause_say(k, "%s %s is freed (line %u)", dev, label, v->ev.line);
	d = k->sn ? snapshot_dev(k->sn, sim_oid(k->s, a->dev)) : NULL;
	if (k->c->op != SCN_FIRE || k->rc != -EFAULT || !d)
		return NULL;
	return not_translated(k, d);
}
