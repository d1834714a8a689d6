/* SPDX-License-Identifier: MIT */
/*
 * Window censuses: each distinct SW_MSI window once, with the number of
 * groups counting on it (the context's windows of bound groups; an IOAS's
 * reserved ranges are resv.c's). A container: it calls nothing of the
 * core but alloc.c. A census holds the few distinct windows of a
 * platform, so a list walk is its lookup.
 */
#include <errno.h>
#include <stdlib.h>

#include "containers.h"

struct swmsi_census_entry *swmsi__census_find(struct swmsi_census *c, uint64_t start, uint64_t size)
{
	struct swmsi_census_entry *e;

	LIST_FOREACH(e, c, link) {
		if (e->start == start && e->size == size)
			return e;
	}
	return NULL;
}

int swmsi__census_prealloc(struct swmsi_ctx *ctx, struct swmsi_census *c, uint64_t start,
			   uint64_t size, struct swmsi_census_entry **spare)
{
	*spare = NULL;
	if (swmsi__census_find(c, start, size))
		return 0;
	*spare = swmsi__calloc(ctx, 1, sizeof(**spare));
	return *spare ? 0 : -ENOMEM;
}

void swmsi__census_get(struct swmsi_census *c, uint64_t start, uint64_t size,
		       struct swmsi_census_entry **spare)
{
	struct swmsi_census_entry *e, *prev = NULL;

	LIST_FOREACH(e, c, link) {
		if (e->start == start && e->size == size) {
			e->groups++;
			return;
		}
		if (e->start > start)
			break;
		prev = e;
	}
	assert(*spare);
	e = *spare;
	*spare = NULL;
	e->start = start;
	e->size = size;
	e->groups = 1;
	if (prev)
		LIST_INSERT_AFTER(prev, e, link);
	else
		LIST_INSERT_HEAD(c, e, link);
}

void swmsi__census_put(struct swmsi_census *c, uint64_t start, uint64_t size)
{
	struct swmsi_census_entry *e = swmsi__census_find(c, start, size);

	if (!e) {
		assert(0 && "window was not counted");
		return;
	}
	assert(e->groups);
	if (--e->groups == 0) {
		LIST_REMOVE(e, link);
		free(e);
	}
}

bool swmsi__census_conflicts(const struct swmsi_census *c, uint64_t start, uint64_t size)
{
	const struct swmsi_census_entry *e;

	/* two slot spaces over one range would put two doorbells at one IOVA */
	LIST_FOREACH(e, c, link) {
		if ((e->start != start || e->size != size) &&
		    swmsi__ranges_overlap(start, size, e->start, e->size))
			return true;
	}
	return false;
}
