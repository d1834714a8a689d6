/* SPDX-License-Identifier: MIT */
/* The final state as JSON: objects, vectors, the MSI table, domains. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scene.h"
#include "sinks.h"

/*
 * A list of mappings under @key: "iova", @to (what the range maps to:
 * "paddr", or "ipa" for stage 1), "size", "prot".
 */
static void json_mappings(struct sim_json *j, const char *key, const char *to,
			  const struct swmsi_mapping *m, size_t n)
{
	char pr[8];
	size_t i;

	sj_key(j, key);
	sj_arr_begin(j);
	for (i = 0; i < n; i++) {
		sj_obj_begin(j);
		sj_khex(j, "iova", m[i].iova);
		sj_khex(j, to, m[i].paddr);
		sj_khex(j, "size", m[i].length);
		sj_kstr(j, "prot", sim_fmt_prot(pr, sizeof(pr), m[i].prot));
		sj_obj_end(j);
	}
	sj_arr_end(j);
}

/*
 * A reference to another object: "@key" is its name (as "name" is in its
 * own entry), "@key_id" its id; both null for none.
 */
static void json_ref(const struct sim *s, struct sim_json *j, const struct snapshot *sn,
		     const char *key, uint32_t id)
{
	char buf[48], idkey[32];

	snprintf(idkey, sizeof(idkey), "%s_id", key);
	sj_key(j, key);
	if (id)
		sj_str(j, sim_obj_label(s, sn, id, buf, sizeof(buf)));
	else
		sj_null(j);
	sj_key(j, idkey);
	if (id)
		sj_u64(j, id);
	else
		sj_null(j);
}

/* DMA_IOMMU: a paging HWPT's cookie, its base, next IOVA and pages. */
static void json_cookie(struct sim_json *j, const struct snapshot_hwpt *h)
{
	size_t k;

	sj_key(j, "cookie");
	sj_obj_begin(j);
	sj_khex(j, "base", h->cookie.base);
	sj_khex(j, "next_iova", h->cookie.next_iova);
	sj_key(j, "pages");
	sj_arr_begin(j);
	for (k = 0; k < h->ncookie_pages; k++) {
		sj_obj_begin(j);
		sj_khex(j, "iova", h->cookie_pages[k].iova);
		sj_khex(j, "msi_page", h->cookie_pages[k].msi_page);
		sj_obj_end(j);
	}
	sj_arr_end(j);
	sj_obj_end(j);
}

static void json_window(struct sim_json *j, const char *key, uint64_t start, uint64_t size)
{
	sj_key(j, key);
	sj_obj_begin(j);
	sj_khex(j, "start", start);
	sj_khex(j, "size", size);
	sj_obj_end(j);
}

/*
 * An IOAS's IOVA space as the library reports it: "usable", its usable
 * ranges ({start, last}, inclusive), and "reserved_ranges", every range
 * reserved on it ({start, last, type, owner, owner_id}: a device, or the
 * HWPT whose aperture it lies outside). Empty when the context was gone.
 */
static void json_iova_space(const struct sim *s, struct sim_json *j, const struct snapshot *sn,
			    const struct sim_scene_ioas *io, const struct sim_scene *sc)
{
	size_t k;

	sj_key(j, "usable");
	sj_arr_begin(j);
	for (k = 0; io && k < io->nuse; k++) {
		sj_obj_begin(j);
		sj_khex(j, "start", sc->usable[io->use0 + k].start);
		sj_khex(j, "last", sc->usable[io->use0 + k].last);
		sj_obj_end(j);
	}
	sj_arr_end(j);
	sj_key(j, "reserved_ranges");
	sj_arr_begin(j);
	for (k = 0; io && k < io->nresv; k++) {
		const struct swmsi_resv_info *r = &sc->resv[io->resv0 + k];

		sj_obj_begin(j);
		sj_khex(j, "start", r->start);
		sj_khex(j, "last", r->last);
		sj_kstr(j, "type", scn_resv_word(r->type));
		json_ref(s, j, sn, "owner", r->owner);
		sj_obj_end(j);
	}
	sj_arr_end(j);
}

static void json_ioas(const struct sim *s, struct sim_json *j, const struct snapshot *sn,
		      const struct snapshot_ioas *io, const struct sim_scene *sc)
{
	size_t k;

	sj_obj_begin(j);
	sj_kstr(j, "name", sim_obj_name(s, io->id));
	sj_ku64(j, "id", io->id);
	json_mappings(j, "mappings", "paddr", io->maps, io->nmaps);
	sj_key(j, "reserved");
	sj_arr_begin(j);
	for (k = 0; k < io->nresv; k++) {
		sj_obj_begin(j);
		sj_khex(j, "start", io->resv[k].iova);
		sj_khex(j, "size", io->resv[k].length);
		sj_obj_end(j);
	}
	sj_arr_end(j);
	json_iova_space(s, j, sn, sim_scene_ioas(sc, io->id), sc);
	sim_json_iopt(s, j, sim_scene_ioas(sc, io->id));
	sj_obj_end(j);
}

static void json_hwpt(const struct sim *s, struct sim_json *j, const struct snapshot *sn,
		      const struct snapshot_hwpt *h)
{
	char buf[48];
	size_t k;

	sj_obj_begin(j);
	sj_kstr(j, "name", sim_obj_label(s, sn, h->id, buf, sizeof(buf)));
	sj_ku64(j, "id", h->id);
	sj_kstr(j, "type", sim_hwpt_type_word(h->info.type));
	sj_kbool(j, "auto", h->info.is_auto);
	sj_kbool(j, "nest_parent", h->info.flags & SWMSI_HWPT_NEST_PARENT);
	json_ref(s, j, sn, "ioas", h->info.ioas_id);
	json_ref(s, j, sn, "parent", h->info.parent_id);
	sj_ku64(j, "domain", h->serial);
	sj_ku64(j, "groups", h->info.groups);
	sj_ku64(j, "children", h->info.children);
	sj_key(j, "msi_present");
	sj_arr_begin(j);
	for (k = 0; k < h->npresent; k++)
		sj_u64(j, h->present[k]);
	sj_arr_end(j);
	if (h->info.type == SWMSI_OBJ_HWPT_NESTED)
		json_mappings(j, "stage1", "ipa", h->s1, h->ns1);
	if (h->cookie.active)
		json_cookie(j, h);
	sj_obj_end(j);
}

static void json_vec(const struct sim *s, struct sim_json *j, const struct snapshot_dev *d,
		     const struct swmsi_vector_info *v)
{
	const char *label = sim_vec_label(s, sim_name_of(s, d->id), v->vec);

	sj_obj_begin(j);
	sj_key(j, "label");
	if (label)
		sj_str(j, label);
	else
		sj_null(j);
	sj_ku64(j, "vec", v->vec);
	sj_khex(j, "msi_addr", v->msi_addr);
	sj_khex(j, "msg_addr", v->msg_addr);
	sj_kbool(j, "translated", v->translated);
	if (v->translated)
		sj_ku64(j, "map_id", v->map_id);
	sj_obj_end(j);
}

/* "@key": {start, size}, or null for none (SWMSI_PHYS_NONE). */
static void json_window_or_null(struct sim_json *j, const char *key, uint64_t start, uint64_t size)
{
	if (start == SWMSI_PHYS_NONE) {
		sj_key(j, key);
		sj_null(j);
	} else {
		json_window(j, key, start, size);
	}
}

static void json_dev(const struct sim *s, struct sim_json *j, const struct snapshot *sn,
		     const struct snapshot_dev *d, const struct sim_scene *sc)
{
	const struct sim_scene_dev *decl = sim_scene_declared(sc, d->id);
	size_t k;

	sj_obj_begin(j);
	sj_kstr(j, "name", sim_obj_name(s, d->id));
	sj_ku64(j, "id", d->id);
	sj_ku64(j, "group", d->info.group);
	json_window_or_null(j, "window", d->info.sw_msi_start, d->info.sw_msi_size);
	/* the window its device line declared, which an override replaces */
	if (decl)
		json_window_or_null(j, "reported_window", decl->start, decl->size);
	/* its own override (window DEV), which comes before the context's */
	if (decl)
		json_window_or_null(j, "own_window",
				    decl->has_own ? decl->own_start : SWMSI_PHYS_NONE,
				    decl->own_size);
	sj_kbool(j, "attached", d->info.attached);
	json_ref(s, j, sn, "hwpt", d->info.hwpt_id);
	sj_key(j, "vectors");
	sj_arr_begin(j);
	for (k = 0; k < d->nvecs; k++)
		json_vec(s, j, d, &d->vecs[k]);
	sj_arr_end(j);
	sj_obj_end(j);
}

static void json_map(struct sim_json *j, const struct swmsi_msi_map_info *m)
{
	sj_obj_begin(j);
	sj_ku64(j, "id", m->id);
	sj_khex(j, "window", m->sw_msi_start);
	sj_ku64(j, "slot", m->slot);
	sj_khex(j, "iova", m->iova);
	sj_khex(j, "page", m->msi_page);
	sj_ku64(j, "vectors", m->vectors);
	sj_obj_end(j);
}

static void json_dom(struct sim_json *j, const struct snapshot_dom *dm)
{
	char pr[8];
	size_t k;

	sj_obj_begin(j);
	sj_ku64(j, "serial", dm->serial);
	sj_key(j, "ranges");
	sj_arr_begin(j);
	for (k = 0; k < dm->nranges; k++) {
		sj_obj_begin(j);
		sj_khex(j, "iova", dm->ranges[k].iova);
		sj_khex(j, "paddr", dm->ranges[k].paddr);
		sj_khex(j, "size", dm->ranges[k].size);
		sj_kstr(j, "prot", sim_fmt_prot(pr, sizeof(pr), dm->ranges[k].prot));
		sj_obj_end(j);
	}
	sj_arr_end(j);
	sj_obj_end(j);
}

/* A group: its number, devices, required ids, window in use and HWPT. */
static void json_group(const struct sim *s, struct sim_json *j, const struct snapshot *sn,
		       const struct sim_scene *sc, const struct sim_scene_group *g)
{
	size_t k;

	sj_obj_begin(j);
	sj_ku64(j, "group", g->num);
	sj_key(j, "devices");
	sj_arr_begin(j);
	for (k = 0; k < g->ndevs; k++)
		sj_str(j, sim_obj_name(s, sc->gdevs[g->dev0 + k]));
	sj_arr_end(j);
	sj_key(j, "device_ids");
	sj_arr_begin(j);
	for (k = 0; k < g->ndevs; k++)
		sj_u64(j, sc->gdevs[g->dev0 + k]);
	sj_arr_end(j);
	sj_key(j, "required");
	sj_arr_begin(j);
	for (k = 0; k < g->nreq; k++)
		sj_u64(j, sc->req[g->req0 + k]);
	sj_arr_end(j);
	json_window_or_null(j, "window", g->win_start, g->win_size);
	json_ref(s, j, sn, "hwpt", g->hwpt_id);
	sj_obj_end(j);
}

/* The groups, the context's window override and its doorbell allow-list. */
static void json_context(const struct sim *s, struct sim_json *j, const struct snapshot *sn,
			 const struct sim_scene *sc)
{
	size_t i;

	sj_key(j, "groups");
	sj_arr_begin(j);
	for (i = 0; i < sc->ngroups; i++)
		json_group(s, j, sn, sc, &sc->groups[i]);
	sj_arr_end(j);
	if (sc->has_override) {
		json_window(j, "window_override", sc->ov_start, sc->ov_size);
	} else {
		sj_key(j, "window_override");
		sj_null(j);
	}
	sj_key(j, "doorbells");
	sj_arr_begin(j);
	for (i = 0; i < sc->ndoorbells; i++) {
		sj_obj_begin(j);
		sj_khex(j, "start", sc->doorbells[i].start);
		sj_khex(j, "size", sc->doorbells[i].size);
		sj_obj_end(j);
	}
	sj_arr_end(j);
}

void sim_json_state(const struct sim *s, struct sim_json *j, const struct snapshot *sn,
		    const struct sim_scene *sc)
{
	size_t i;

	sj_obj_begin(j);
	sj_key(j, "ioas");
	sj_arr_begin(j);
	for (i = 0; i < sn->nioas; i++)
		json_ioas(s, j, sn, &sn->ioas[i], sc);
	sj_arr_end(j);
	sj_key(j, "hwpts");
	sj_arr_begin(j);
	for (i = 0; i < sn->nhwpts; i++)
		json_hwpt(s, j, sn, &sn->hwpts[i]);
	sj_arr_end(j);
	sj_key(j, "devices");
	sj_arr_begin(j);
	for (i = 0; i < sn->ndevs; i++)
		json_dev(s, j, sn, &sn->devs[i], sc);
	sj_arr_end(j);
	sj_key(j, "msi_maps");
	sj_arr_begin(j);
	for (i = 0; i < sn->nmaps; i++)
		json_map(j, &sn->maps[i]);
	sj_arr_end(j);
	sj_key(j, "domains");
	sj_arr_begin(j);
	for (i = 0; i < sn->ndoms; i++)
		json_dom(j, &sn->doms[i]);
	sj_arr_end(j);
	json_context(s, j, sn, sc);
	sj_obj_end(j);
}
