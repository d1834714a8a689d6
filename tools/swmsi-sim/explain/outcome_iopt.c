/* SPDX-License-Identifier: MIT */
/*
 * The facts of the commands on the IOAS as io_pagetable in words: where a
 * named area or a copy landed, what an unmap took, and the expectations
 * on an area's IOVA and an IOAS's alignment. IOVAs only: the user VAs
 * behind the areas are the simulator's memory and differ from run to run
 * where the fixed address could not be had (engine/op_iopt.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "cause.h"

#define NAME(s, i) ((s)->scn->names[i].name)

void sim_iopt_detail(const struct sim *s, const struct sim_step *st, struct sim_text *t)
{
	const struct scn_cmd *c = st->c;
	const struct scn_a_area *a = &c->a.area;
	const struct sim_area *ar;
	char sz[24];

	if (st->rc || !st->has_value)
		return;
	switch (c->op) {
	case SCN_MAP_USER:
		snprintf(t->detail, sizeof(t->detail), "%s at 0x%" PRIx64 " [%s]", NAME(s, a->name),
			 st->value, sim_fmt_size(sz, sizeof(sz), a->length));
		break;
	case SCN_COPY:
		/* the length copied: the line's, else the named source's whole */
		ar = a->name != SCN_NO_NAME ? sim_area(s, a->name) : NULL;
		snprintf(t->detail, sizeof(t->detail), "%s%sat 0x%" PRIx64 " [%s] in %s",
			 a->as != SCN_NO_NAME ? NAME(s, a->as) : "",
			 a->as != SCN_NO_NAME ? " " : "", st->value,
			 sim_fmt_size(sz, sizeof(sz), a->length || !ar ? a->length : ar->len),
			 NAME(s, a->dst));
		break;
	case SCN_UNMAP_AREA:
		snprintf(t->detail, sizeof(t->detail), "unmapped %s",
			 st->value ? sim_fmt_size(sz, sizeof(sz), st->value) : "nothing");
		break;
	default:
		break;
	}
}

/* An area's history, for an expectation or a cause: "its map at line 3
 * failed with ENOSPC", "unmapped at line 9", "never mapped". */
const char *sim_area_history(const struct sim *s, unsigned int name, char *buf, size_t len)
{
	const struct sim_area *ar = sim_area(s, name);

	if (!ar || !ar->ev.line)
		snprintf(buf, len, "never mapped");
	else if (ar->ev.rc)
		snprintf(buf, len, "its %s at line %u failed with %s", scn_op_word(ar->ev.op),
			 ar->ev.line, swmsi_errname(ar->ev.rc));
	else if (!ar->live && ar->ev.op == SCN_DESTROY)
		snprintf(buf, len, "its IOAS was destroyed at line %u", ar->ev.line);
	else if (!ar->live)
		snprintf(buf, len, "unmapped at line %u", ar->ev.line);
	else
		snprintf(buf, len, "mapped at line %u", ar->ev.line);
	return buf;
}

static void text_area_iova(const struct sim *s, const struct sim_step *st, struct sim_text *t)
{
	const struct scn_a_area *a = &st->c->a.area;
	char h[96];

	snprintf(t->want, sizeof(t->want), "%s at 0x%" PRIx64, NAME(s, a->name), a->iova);
	if (st->q_rc) {
		snprintf(t->got, sizeof(t->got), "%s is not mapped", NAME(s, a->name));
		snprintf(t->why, sizeof(t->why), "'%s' is not mapped: %s", NAME(s, a->name),
			 sim_area_history(s, a->name, h, sizeof(h)));
		return;
	}
	snprintf(t->got, sizeof(t->got), "%s at 0x%" PRIx64, NAME(s, a->name), st->q_pa);
	if (st->failed)
		snprintf(t->why, sizeof(t->why), "'%s' is at 0x%" PRIx64 ", expected 0x%" PRIx64,
			 NAME(s, a->name), st->q_pa, a->iova);
}

static void text_alignment(const struct sim *s, const struct sim_step *st, struct sim_text *t)
{
	const struct scn_a_ioasopt *a = &st->c->a.ioasopt;

	snprintf(t->want, sizeof(t->want), "alignment 0x%" PRIx64, a->size);
	if (st->q_rc) {
		snprintf(t->got, sizeof(t->got), "reading it failed with %s",
			 swmsi_errname(st->q_rc));
		snprintf(t->why, sizeof(t->why), "'%s' is no live IOAS (%s)", NAME(s, a->ioas),
			 swmsi_errname(st->q_rc));
		return;
	}
	snprintf(t->got, sizeof(t->got), "alignment 0x%" PRIx64, st->q_pa);
	if (st->failed)
		snprintf(t->why, sizeof(t->why),
			 "'%s' has IOVA alignment 0x%" PRIx64 ", expected 0x%" PRIx64,
			 NAME(s, a->ioas), st->q_pa, a->size);
}

void sim_iopt_expect_text(const struct sim *s, const struct sim_step *st, struct sim_text *t)
{
	if (st->c->op == SCN_EXPECT_AREA_IOVA)
		text_area_iova(s, st, t);
	else
		text_alignment(s, st, t);
}
