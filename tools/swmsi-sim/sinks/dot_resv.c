/* SPDX-License-Identifier: MIT */
/*
 * An IOAS's IOVA space in the final graph: one node per type of reserved
 * range on it (direct, reserved, msi, sw-msi, aperture), filled in that
 * type's colour and listing each range with its owner, and one node of
 * the usable ranges, as swmsi_ioas_resv_list() and swmsi_ioas_iova_ranges()
 * report them (scene_resv.c asked).
 */
#include <inttypes.h>
#include <stdio.h>

#include "dot_draw.h"

/* At most this many ranges listed in a node; the rest are counted. */
#define DOT_MAX_RESV 6

/* Each type's fill colour, and how the legend says it. */
static const char *type_colour(enum swmsi_resv_type t)
{
	switch (t) {
	case SWMSI_RESV_DIRECT:
		return "orange";
	case SWMSI_RESV_DIRECT_RELAXABLE:
		return "lightyellow";
	case SWMSI_RESV_RESERVED:
		return "gray80";
	case SWMSI_RESV_MSI:
		return "pink";
	case SWMSI_RESV_SW_MSI:
		return "lightblue";
	case SWMSI_RESV_APERTURE:
		return "gray92";
	}
	return "white";
}

/*
 * The owners of the ranges @r[@i ..] equal to @r[@i] (the list is sorted
 * by range, then owner): the first named, the others counted. Returns how
 * many entries that range takes.
 */
static size_t dot_owners(const struct dot_ctx *c, const struct swmsi_resv_info *r, size_t i,
			 size_t n)
{
	size_t k = i + 1;
	char buf[48];

	while (k < n && r[k].start == r[i].start && r[k].last == r[i].last &&
	       r[k].type == r[i].type)
		k++;
	fprintf(c->f, "0x%" PRIx64 "-0x%" PRIx64 " (", r[i].start, r[i].last);
	sim_dot_str(c->f, sim_obj_label(c->s, c->sn, r[i].owner, buf, sizeof(buf)));
	if (k - i > 1)
		fprintf(c->f, " and %zu more", k - i - 1);
	fputs(")\\l", c->f);
	return k - i;
}

/* The node of @io's ranges of type @t, when it has any: each range once,
 * with its owners (devices folded alike reserve one range many times). */
static void dot_resv_type(const struct dot_ctx *c, const struct sim_scene_ioas *io,
			  enum swmsi_resv_type t)
{
	const struct swmsi_resv_info *r;
	size_t i = 0, lines = 0, more = 0;

	/* no range at all: the array may be NULL, and NULL + 0 is undefined */
	if (!io->nresv)
		return;
	r = c->sc->resv + io->resv0;
	while (i < io->nresv) {
		if (r[i].type != t) {
			i++;
			continue;
		}
		if (!lines && !more)
			fprintf(c->f,
				"\t\tresv_%" PRIu32 "_%d [shape=box, style=filled, fillcolor=%s, "
				"color=gray50, fontsize=9, label=\"reserved: %s\\l",
				io->id, (int)t, type_colour(t), scn_resv_word(t));
		if (lines < DOT_MAX_RESV) {
			i += dot_owners(c, r, i, io->nresv);
			lines++;
		} else {
			more++;
			i++;
		}
	}
	if (more)
		fprintf(c->f, "... and %zu more\\l", more);
	if (lines)
		fputs("\"];\n", c->f);
}

void dot_ioas_resv(const struct dot_ctx *c, uint32_t ioas_id)
{
	const struct sim_scene_ioas *io = sim_scene_ioas(c->sc, ioas_id);
	int t;

	for (t = SWMSI_RESV_DIRECT; io && t <= SWMSI_RESV_APERTURE; t++)
		dot_resv_type(c, io, (enum swmsi_resv_type)t);
}

void dot_ioas_usable(const struct dot_ctx *c, uint32_t ioas_id)
{
	const struct sim_scene_ioas *io = sim_scene_ioas(c->sc, ioas_id);
	const struct swmsi_iova_range *u;
	size_t i;

	if (!io)
		return;
	u = io->nuse ? c->sc->usable + io->use0 : NULL; /* NULL + 0 is undefined */
	fprintf(c->f, "usable IOVA%s\\l", io->nuse ? ":" : ": none");
	for (i = 0; i < io->nuse && i < DOT_MAX_RESV; i++)
		fprintf(c->f, "  0x%" PRIx64 "-0x%" PRIx64 "\\l", u[i].start, u[i].last);
	if (io->nuse > DOT_MAX_RESV)
		fprintf(c->f, "  ... and %zu more\\l", io->nuse - DOT_MAX_RESV);
	dot_ioas_allowed(c, io);
}

void dot_ioas_allowed(const struct dot_ctx *c, const struct sim_scene_ioas *io)
{
	size_t i;

	/* alignment 1 and no allowed range: an IOAS the v0.1 calls alone used */
	if (io->align > 1 || !io->huge_pages)
		fprintf(c->f, "IOVA alignment 0x%" PRIx64 "%s\\l", io->align,
			io->huge_pages ? "" : ", huge pages off");
	if (!io->nallowed)
		return;
	fprintf(c->f, "allowed IOVA:\\l");
	for (i = 0; i < io->nallowed && i < DOT_MAX_RESV; i++)
		fprintf(c->f, "  0x%" PRIx64 "-0x%" PRIx64 "\\l", io->allowed[i].start,
			io->allowed[i].last);
	if (io->nallowed > DOT_MAX_RESV)
		fprintf(c->f, "  ... and %zu more\\l", io->nallowed - DOT_MAX_RESV);
}
