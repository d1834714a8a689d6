/* SPDX-License-Identifier: MIT */
/*
 * The run functions of the commands on the IOAS as upstream's
 * io_pagetable: a named area at an allocated or given IOVA
 * (swmsi_ioas_map_user()), its unmap and unmap of everything
 * (swmsi_ioas_unmap_range()), copy, allowed ranges, reserved ranges, huge
 * pages, and the expectations on them.
 *
 * A user VA stands for memory the process has: an area without va= gets
 * memory from the pool (area_mem.c), at an address that makes the IOVA
 * depend on the length alone and repeats from run to run.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

/* Is @len over the fuzzing bound (the mock builds page tables for it)? */
static bool too_big_map(const struct sim *s, uint64_t len)
{
	return s->o.max_map_bytes && len > s->o.max_map_bytes;
}

static struct sim_area *areas(struct sim *s)
{
	if (!s->areas)
		s->areas = calloc(s->scn->nnames ? s->scn->nnames : 1, sizeof(*s->areas));
	if (!s->areas)
		s->oom = true;
	return s->areas;
}

void sim_areas_free(struct sim *s)
{
	size_t i;

	for (i = 0; s->areas && i < s->scn->nnames; i++)
		if (s->areas[i].held)
			sim_area_mem_put((unsigned int)i, s->areas[i].mem_len, s->page_size);
	free(s->areas);
	s->areas = NULL;
}

const struct sim_area *sim_area(const struct sim *s, unsigned int name)
{
	return s->areas && name < s->scn->nnames ? &s->areas[name] : NULL;
}

/* The VA of area @ar of @len bytes (the pool's memory, or past what can
 * be mapped a number with the alignment memory would have). */
static uint64_t area_va(struct sim *s, struct sim_area *ar, uint64_t len)
{
	if (ar->held) /* a name's memory is had once */
		return ar->va;
	if (s->o.max_map_bytes && len > s->o.max_map_bytes)
		return s->page_size;
	ar->held = sim_area_mem_get((unsigned int)(ar - s->areas), len, s->page_size, &ar->va);
	ar->mem_len = len;
	return ar->va;
}

static void area_event(struct sim *s, const struct sim_step *st, struct sim_area *ar)
{
	const struct scn_cmd *c = st->c;

	ar->ev.line = c->line;
	ar->ev.op = c->op;
	ar->ev.rc = st->rc;
	ar->ev.step = (size_t)(c - s->scn->cmds);
}

int exec_map_user(struct sim *s, struct sim_step *st)
{
	const struct scn_a_area *a = &st->c->a.area;
	struct sim_area *all = areas(s), *ar;
	uint64_t iova = a->fixed ? a->iova : 0;

	if (too_big_map(s, a->length))
		return 1;
	if (!all)
		return 0;
	ar = &all[a->name];
	ar->va = a->has_va ? a->va : area_va(s, ar, a->length);
	st->rc = swmsi_ioas_map_user(s->ctx, sim_oid(s, a->ioas),
				     a->flags | (a->fixed ? SWMSI_IOAS_MAP_FIXED_IOVA : 0), ar->va,
				     a->length, &iova);
	area_event(s, st, ar);
	if (st->rc)
		return 0;
	ar->ioas = sim_oid(s, a->ioas);
	ar->iova = iova;
	ar->len = a->length;
	ar->live = true;
	ar->fixed = a->fixed;
	st->value = iova;
	st->has_value = true;
	return 0;
}

/* Areas of IOAS @ioas inside [@iova, @iova + @len - 1] are gone, at step
 * @st (their history's last line). */
static void areas_gone(struct sim *s, const struct sim_step *st, uint32_t ioas, uint64_t iova,
		       uint64_t len)
{
	size_t i;

	for (i = 0; s->areas && i < s->scn->nnames; i++) {
		struct sim_area *ar = &s->areas[i];

		if (ar->live && ar->ioas == ioas && ar->iova >= iova &&
		    ar->iova + (ar->len - 1) <= iova + (len - 1)) {
			ar->live = false;
			area_event(s, st, ar);
		}
	}
}

int exec_unmap_area(struct sim *s, struct sim_step *st)
{
	const struct scn_a_area *a = &st->c->a.area;
	struct sim_area *all = areas(s), *ar = NULL;
	uint64_t iova = 0, len = UINT64_MAX, done = 0;

	if (!all)
		return 0;
	if (!a->all) {
		ar = &all[a->name];
		iova = ar->iova;
		/* an area never mapped: a range no area can be in */
		len = ar->len ? ar->len : 1;
	}
	st->rc = swmsi_ioas_unmap_range(s->ctx, sim_oid(s, a->ioas), iova, len, &done);
	if (st->rc) /* the area's history stays its map's */
		return 0;
	areas_gone(s, st, sim_oid(s, a->ioas), iova, len);
	st->value = done;
	st->has_value = true;
	return 0;
}

/* A v0.1 unmap that succeeded: the named areas it took are gone too. */
void sim_areas_unmapped(struct sim *s, const struct sim_step *st, uint32_t ioas, uint64_t iova,
			uint64_t len)
{
	if (len)
		areas_gone(s, st, ioas, iova, len);
}

int exec_copy(struct sim *s, struct sim_step *st)
{
	const struct scn_a_area *a = &st->c->a.area;
	struct sim_area *all = areas(s), *src = NULL;
	uint64_t from = a->iova, len = a->length, at = a->fixed ? a->at : 0;

	if (!all)
		return 0;
	if (a->name != SCN_NO_NAME) {
		src = &all[a->name];
		from = src->iova;
		if (!len)
			len = src->len ? src->len : 1;
	}
	if (too_big_map(s, len))
		return 1;
	st->rc = swmsi_ioas_copy(s->ctx, sim_oid(s, a->dst), sim_oid(s, a->ioas), from, len, &at,
				 a->flags | (a->fixed ? SWMSI_IOAS_MAP_FIXED_IOVA : 0));
	if (a->as != SCN_NO_NAME)
		area_event(s, st, &all[a->as]);
	if (st->rc)
		return 0;
	if (a->as != SCN_NO_NAME) {
		all[a->as].ioas = sim_oid(s, a->dst);
		all[a->as].iova = at;
		all[a->as].len = len;
		all[a->as].live = true;
		all[a->as].fixed = a->fixed;
	}
	st->value = at;
	st->has_value = true;
	return 0;
}

int exec_allow(struct sim *s, struct sim_step *st)
{
	const struct scn_a_ranges *a = &st->c->a.ranges;

	st->rc = swmsi_ioas_allow_iovas(s->ctx, sim_oid(s, a->ioas),
					a->n ? s->scn->ranges + a->first : NULL, a->n);
	return 0;
}

int exec_reserve(struct sim *s, struct sim_step *st)
{
	const struct scn_a_ioasopt *a = &st->c->a.ioasopt;

	st->rc = swmsi_ioas_add_reserved(s->ctx, sim_oid(s, a->ioas), a->start, a->size);
	return 0;
}

int exec_huge_pages(struct sim *s, struct sim_step *st)
{
	const struct scn_a_ioasopt *a = &st->c->a.ioasopt;

	st->rc = swmsi_ioas_set_huge_pages(s->ctx, sim_oid(s, a->ioas), a->on);
	return 0;
}

/* The area is where the line says (q_rc -ENOENT: it is not mapped). */
int expect_area_iova(struct sim *s, struct sim_step *st)
{
	const struct scn_a_area *a = &st->c->a.area;
	const struct sim_area *ar = sim_area(s, a->name);

	st->q_rc = ar && ar->live ? 0 : -ENOENT;
	st->q_pa = ar ? ar->iova : 0;
	st->failed = st->q_rc || st->q_pa != a->iova;
	return 0;
}

int expect_alignment(struct sim *s, struct sim_step *st)
{
	const struct scn_a_ioasopt *a = &st->c->a.ioasopt;

	st->q_pa = 0;
	st->q_rc = swmsi_ioas_iova_alignment(s->ctx, sim_oid(s, a->ioas), &st->q_pa);
	st->failed = st->q_rc || st->q_pa != a->size;
	return 0;
}
