/* SPDX-License-Identifier: MIT */
/*
 * An IOAS as upstream's io_pagetable in the final state's JSON:
 * "alignment", "huge_pages", "allowed" ranges and "areas", each with its
 * kind and, for memory the simulator mapped, the named area it belongs to
 * and the offset in it instead of the VA (which is not the same from run
 * to run where the simulator's fixed address could not be had).
 */
#include "scene.h"
#include "sinks.h"

static void json_area(const struct sim *s, struct sim_json *j, uint32_t ioas,
		      const struct swmsi_area_info *a)
{
	const struct sim_area *named;
	const char *name = sim_scene_area_name(s, ioas, a->iova, &named), *backing = NULL;
	bool user = a->flags & SWMSI_AREA_USER_VA;
	uint64_t off = 0;
	char pr[8];

	if (user)
		backing = sim_scene_area_backing(s, a->addr, &off);
	sj_obj_begin(j);
	sj_khex(j, "iova", a->iova);
	sj_khex(j, "length", a->length);
	sj_kstr(j, "prot", sim_fmt_prot(pr, sizeof(pr), a->prot));
	sj_kbool(j, "user_va", user);
	sj_kbool(j, "writable", a->flags & SWMSI_AREA_WRITABLE);
	sj_key(j, "addr");
	if (backing)
		sj_null(j);
	else
		sj_hex(j, a->addr);
	sj_key(j, "backing");
	if (backing)
		sj_str(j, backing);
	else
		sj_null(j);
	sj_key(j, "offset");
	if (backing)
		sj_hex(j, off);
	else
		sj_null(j);
	sj_key(j, "name");
	if (name)
		sj_str(j, name);
	else
		sj_null(j);
	sj_key(j, "fixed"); /* the library keeps no such flag: the line said */
	if (named)
		sj_bool(j, named->fixed);
	else
		sj_null(j);
	sj_obj_end(j);
}

void sim_json_iopt(const struct sim *s, struct sim_json *j, const struct sim_scene_ioas *io)
{
	size_t k;

	sj_key(j, "alignment");
	if (io)
		sj_hex(j, io->align);
	else
		sj_null(j);
	sj_key(j, "huge_pages");
	if (io)
		sj_bool(j, io->huge_pages);
	else
		sj_null(j);
	sj_key(j, "allowed");
	sj_arr_begin(j);
	for (k = 0; io && k < io->nallowed; k++) {
		sj_obj_begin(j);
		sj_khex(j, "start", io->allowed[k].start);
		sj_khex(j, "last", io->allowed[k].last);
		sj_obj_end(j);
	}
	sj_arr_end(j);
	sj_key(j, "areas");
	sj_arr_begin(j);
	for (k = 0; io && k < io->nareas; k++)
		json_area(s, j, io->id, &io->areas[k]);
	sj_arr_end(j);
}
