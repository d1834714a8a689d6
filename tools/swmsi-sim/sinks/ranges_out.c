/* SPDX-License-Identifier: MIT */
/*
 * The timeline's line for each IOAS whose usable IOVA ranges a step
 * changed ("guest (id 1): usable 0x0-0xfecfffff,0xfef00000-0xffffffffffff"),
 * as swmsi_ioas_iova_ranges() reports them after the step. Only in a
 * scenario about them (one that declares regions, sets a device's window
 * or expects ranges): the others' timelines stay as they were, and a step
 * pays for the lists only there.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sinks.h"

/* At most this many ranges said on a line; the rest are counted. */
#define RANGES_SAID 8

/* The last list said of one IOAS. */
struct ioas_seen {
	uint32_t id;
	struct swmsi_iova_range *r;
	size_t n;
};

struct sim_ranges_seen {
	struct ioas_seen *v;
	size_t n, cap;
};

/* Does @scn use what changes the usable ranges beyond the aperture? */
static bool about_ranges(const struct scn *scn)
{
	size_t i;

	if (scn->nresv || scn->nranges)
		return true;
	for (i = 0; i < scn->ncmds; i++)
		if (scn->cmds[i].op == SCN_DEV_WINDOW)
			return true;
	return false;
}

struct sim_ranges_seen *sim_ranges_seen_new(const struct scn *scn)
{
	return about_ranges(scn) ? calloc(1, sizeof(struct sim_ranges_seen)) : NULL;
}

void sim_ranges_seen_free(struct sim_ranges_seen *rs)
{
	size_t i;

	if (!rs)
		return;
	for (i = 0; i < rs->n; i++)
		free(rs->v[i].r);
	free(rs->v);
	free(rs);
}

/* The entry of IOAS @id, made when new (empty: the full space is the
 * first list said, never). NULL when out of memory. */
static struct ioas_seen *seen_of(struct sim_ranges_seen *rs, uint32_t id)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		if (rs->v[i].id == id)
			return &rs->v[i];
	if (sim_grow((void **)&rs->v, &rs->cap, rs->n + 1, sizeof(*rs->v), 4))
		return NULL;
	memset(&rs->v[rs->n], 0, sizeof(rs->v[rs->n]));
	rs->v[rs->n].id = id;
	return &rs->v[rs->n++];
}

/* @io's list now into @now (*@n of them, malloc'd). Returns 0 or -1. */
static int list_now(const struct sim *s, uint32_t id, struct swmsi_iova_range **now, size_t *n)
{
	size_t cnt = 0;

	*now = NULL;
	*n = 0;
	if (swmsi_ioas_iova_ranges(s->ctx, id, NULL, 0, &cnt))
		return -1;
	*now = calloc(cnt ? cnt : 1, sizeof(**now));
	if (!*now || swmsi_ioas_iova_ranges(s->ctx, id, *now, cnt, n)) {
		free(*now);
		*now = NULL;
		return -1;
	}
	if (*n > cnt)
		*n = cnt;
	return 0;
}

/* The full 64-bit space: what a new IOAS reports, said never. */
static bool full_space(const struct swmsi_iova_range *r, size_t n)
{
	return n == 1 && r[0].start == 0 && r[0].last == UINT64_MAX;
}

static void say(FILE *f, const struct sim *s, uint32_t id, const struct swmsi_iova_range *r,
		size_t n, const char *dim, const char *reset)
{
	size_t i;

	fprintf(f, "        %s%s (id %" PRIu32 "): usable ", dim, sim_obj_name(s, id), id);
	if (!n)
		fputs("none", f);
	for (i = 0; i < n && i < RANGES_SAID; i++)
		fprintf(f, "%s0x%" PRIx64 "-0x%" PRIx64, i ? "," : "", r[i].start, r[i].last);
	if (n > RANGES_SAID)
		fprintf(f, ",... (%zu in all)", n);
	fprintf(f, "%s\n", reset);
}

void sim_ranges_step(struct sim_ranges_seen *rs, const struct sim *s, FILE *out, const char *dim,
		     const char *reset)
{
	size_t k;

	if (!rs || !out || !s->ctx)
		return;
	for (k = 0; k < s->scn->nnames; k++) {
		struct swmsi_iova_range *now;
		struct ioas_seen *was;
		size_t n;

		if (s->scn->names[k].kind != SCN_KIND_IOAS || !s->objs[k].live ||
		    list_now(s, s->objs[k].id, &now, &n))
			continue;
		was = seen_of(rs, s->objs[k].id);
		if (!was || (was->r ? (was->n == n && !memcmp(was->r, now, n * sizeof(*now)))
				    : full_space(now, n))) {
			free(now);
			continue;
		}
		say(out, s, s->objs[k].id, now, n, dim, reset);
		free(was->r);
		was->r = now;
		was->n = n;
	}
}
