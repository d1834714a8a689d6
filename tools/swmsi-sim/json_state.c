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

#include "runner.h"

static const char *type_word(enum swmsi_obj_type t)
{
	return t == SWMSI_OBJ_HWPT_NESTED ? "nested" : "paging";
}

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
		sj_key(j, "iova");
		sj_hex(j, m[i].iova);
		sj_key(j, to);
		sj_hex(j, m[i].paddr);
		sj_key(j, "size");
		sj_hex(j, m[i].length);
		sj_key(j, "prot");
		sj_str(j, sim_fmt_prot(pr, sizeof(pr), m[i].prot));
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
	sj_key(j, "base");
	sj_hex(j, h->cookie.base);
	sj_key(j, "next_iova");
	sj_hex(j, h->cookie.next_iova);
	sj_key(j, "pages");
	sj_arr_begin(j);
	for (k = 0; k < h->ncookie_pages; k++) {
		sj_obj_begin(j);
		sj_key(j, "iova");
		sj_hex(j, h->cookie_pages[k].iova);
		sj_key(j, "msi_page");
		sj_hex(j, h->cookie_pages[k].msi_page);
		sj_obj_end(j);
	}
	sj_arr_end(j);
	sj_obj_end(j);
}

void sim_json_state(const struct sim *s, struct sim_json *j, const struct snapshot *sn)
{
	char buf[48];
	size_t i, k;

	sj_obj_begin(j);
	sj_key(j, "ioas");
	sj_arr_begin(j);
	for (i = 0; i < sn->nioas; i++) {
		sj_obj_begin(j);
		sj_key(j, "name");
		sj_str(j, sim_obj_name(s, sn->ioas[i].id));
		sj_key(j, "id");
		sj_u64(j, sn->ioas[i].id);
		json_mappings(j, "mappings", "paddr", sn->ioas[i].maps, sn->ioas[i].nmaps);
		sj_key(j, "reserved");
		sj_arr_begin(j);
		for (k = 0; k < sn->ioas[i].nresv; k++) {
			sj_obj_begin(j);
			sj_key(j, "start");
			sj_hex(j, sn->ioas[i].resv[k].iova);
			sj_key(j, "size");
			sj_hex(j, sn->ioas[i].resv[k].length);
			sj_obj_end(j);
		}
		sj_arr_end(j);
		sj_obj_end(j);
	}
	sj_arr_end(j);

	sj_key(j, "hwpts");
	sj_arr_begin(j);
	for (i = 0; i < sn->nhwpts; i++) {
		const struct snapshot_hwpt *h = &sn->hwpts[i];

		sj_obj_begin(j);
		sj_key(j, "name");
		sj_str(j, sim_obj_label(s, sn, h->id, buf, sizeof(buf)));
		sj_key(j, "id");
		sj_u64(j, h->id);
		sj_key(j, "type");
		sj_str(j, type_word(h->info.type));
		sj_key(j, "auto");
		sj_bool(j, h->info.is_auto);
		sj_key(j, "nest_parent");
		sj_bool(j, h->info.flags & SWMSI_HWPT_NEST_PARENT);
		json_ref(s, j, sn, "ioas", h->info.ioas_id);
		json_ref(s, j, sn, "parent", h->info.parent_id);
		sj_key(j, "domain");
		sj_u64(j, h->serial);
		sj_key(j, "groups");
		sj_u64(j, h->info.groups);
		sj_key(j, "children");
		sj_u64(j, h->info.children);
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
	sj_arr_end(j);

	sj_key(j, "devices");
	sj_arr_begin(j);
	for (i = 0; i < sn->ndevs; i++) {
		const struct snapshot_dev *d = &sn->devs[i];

		sj_obj_begin(j);
		sj_key(j, "name");
		sj_str(j, sim_obj_name(s, d->id));
		sj_key(j, "id");
		sj_u64(j, d->id);
		sj_key(j, "group");
		sj_u64(j, d->info.group);
		sj_key(j, "window");
		if (d->info.sw_msi_start == SWMSI_PHYS_NONE) {
			sj_null(j);
		} else {
			sj_obj_begin(j);
			sj_key(j, "start");
			sj_hex(j, d->info.sw_msi_start);
			sj_key(j, "size");
			sj_hex(j, d->info.sw_msi_size);
			sj_obj_end(j);
		}
		sj_key(j, "attached");
		sj_bool(j, d->info.attached);
		json_ref(s, j, sn, "hwpt", d->info.hwpt_id);
		sj_key(j, "vectors");
		sj_arr_begin(j);
		for (k = 0; k < d->nvecs; k++) {
			const struct swmsi_vector_info *v = &d->vecs[k];
			const char *label = sim_vec_label(s, sim_name_of(s, d->id), v->vec);

			sj_obj_begin(j);
			sj_key(j, "label");
			if (label)
				sj_str(j, label);
			else
				sj_null(j);
			sj_key(j, "vec");
			sj_u64(j, v->vec);
			sj_key(j, "msi_addr");
			sj_hex(j, v->msi_addr);
			sj_key(j, "msg_addr");
			sj_hex(j, v->msg_addr);
			sj_key(j, "translated");
			sj_bool(j, v->translated);
			if (v->translated) {
				sj_key(j, "map_id");
				sj_u64(j, v->map_id);
			}
			sj_obj_end(j);
		}
		sj_arr_end(j);
		sj_obj_end(j);
	}
	sj_arr_end(j);

	sj_key(j, "msi_maps");
	sj_arr_begin(j);
	for (i = 0; i < sn->nmaps; i++) {
		const struct swmsi_msi_map_info *m = &sn->maps[i];

		sj_obj_begin(j);
		sj_key(j, "id");
		sj_u64(j, m->id);
		sj_key(j, "window");
		sj_hex(j, m->sw_msi_start);
		sj_key(j, "slot");
		sj_u64(j, m->slot);
		sj_key(j, "iova");
		sj_hex(j, m->iova);
		sj_key(j, "page");
		sj_hex(j, m->msi_page);
		sj_key(j, "vectors");
		sj_u64(j, m->vectors);
		sj_obj_end(j);
	}
	sj_arr_end(j);

	sj_key(j, "domains");
	sj_arr_begin(j);
	for (i = 0; i < sn->ndoms; i++) {
		const struct snapshot_dom *dm = &sn->doms[i];

		sj_obj_begin(j);
		sj_key(j, "serial");
		sj_u64(j, dm->serial);
		sj_key(j, "ranges");
		sj_arr_begin(j);
		for (k = 0; k < dm->nranges; k++) {
			char pr[8];

			sj_obj_begin(j);
			sj_key(j, "iova");
			sj_hex(j, dm->ranges[k].iova);
			sj_key(j, "paddr");
			sj_hex(j, dm->ranges[k].paddr);
			sj_key(j, "size");
			sj_hex(j, dm->ranges[k].size);
			sj_key(j, "prot");
			sj_str(j, sim_fmt_prot(pr, sizeof(pr), dm->ranges[k].prot));
			sj_obj_end(j);
		}
		sj_arr_end(j);
		sj_obj_end(j);
	}
	sj_arr_end(j);
	sj_obj_end(j);
}
