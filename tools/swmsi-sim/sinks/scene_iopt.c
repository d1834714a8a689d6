/* SPDX-License-Identifier: MIT */
/*
 * What the final state's JSON and graph show of each IOAS as upstream's
 * io_pagetable (scene.h): its areas with their kind (a user VA or a
 * physical address) and the name a scenario line gave them, its allowed
 * ranges, its IOVA alignment and whether huge pages are on, asked of the
 * context while it lives, as its usable ranges are (scene_resv.c).
 */
#include <stdint.h>
#include <stdlib.h>

#include "scene.h"

/* IOAS @id's areas into io->areas. Returns 0 or -1. */
static int areas_of(struct sim_scene_ioas *io, const struct sim *s)
{
	size_t cnt = 0, got = 0;

	if (swmsi_ioas_area_list(s->ctx, io->id, NULL, 0, &cnt))
		return -1;
	if (!cnt)
		return 0;
	io->areas = calloc(cnt, sizeof(*io->areas));
	if (!io->areas || swmsi_ioas_area_list(s->ctx, io->id, io->areas, cnt, &got))
		return -1;
	io->nareas = got < cnt ? got : cnt;
	return 0;
}

/* IOAS @id's allowed ranges into io->allowed. Returns 0 or -1. */
static int allowed_of(struct sim_scene_ioas *io, const struct sim *s)
{
	size_t cnt = 0, got = 0;

	if (swmsi_ioas_allowed_list(s->ctx, io->id, NULL, 0, &cnt))
		return -1;
	if (!cnt)
		return 0;
	io->allowed = calloc(cnt, sizeof(*io->allowed));
	if (!io->allowed || swmsi_ioas_allowed_list(s->ctx, io->id, io->allowed, cnt, &got))
		return -1;
	io->nallowed = got < cnt ? got : cnt;
	return 0;
}

int sim_scene_ioas_iopt(struct sim_scene_ioas *io, const struct sim *s)
{
	bool huge = true;

	if (swmsi_ioas_iova_alignment(s->ctx, io->id, &io->align) ||
	    swmsi_ioas_get_huge_pages(s->ctx, io->id, &huge))
		return -1;
	io->huge_pages = huge;
	return areas_of(io, s) || allowed_of(io, s) ? -1 : 0;
}

void sim_scene_ioas_iopt_free(struct sim_scene_ioas *io)
{
	free(io->areas);
	free(io->allowed);
	io->areas = NULL;
	io->allowed = NULL;
}

const char *sim_scene_area_name(const struct sim *s, uint32_t ioas, uint64_t iova,
				const struct sim_area **area)
{
	size_t i;

	for (i = 0; s->areas && i < s->scn->nnames; i++)
		if (s->areas[i].live && s->areas[i].ioas == ioas && s->areas[i].iova == iova) {
			*area = &s->areas[i];
			return s->scn->names[i].name;
		}
	*area = NULL;
	return NULL;
}

const char *sim_scene_area_backing(const struct sim *s, uint64_t va, uint64_t *off)
{
	size_t i;

	for (i = 0; s->areas && i < s->scn->nnames; i++) {
		const struct sim_area *a = &s->areas[i];
		if (a->held && va >= a->va && va - a->va < a->mem_len) {
			*off = va - a->va;
			return s->scn->names[i].name;
		}
	}
	return NULL;
}
