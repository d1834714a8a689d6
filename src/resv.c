/* SPDX-License-Identifier: MIT */
/*
 * The reserved ranges of an IOAS: a list ordered by start, each record
 * embedded in its owner. A container: it calls nothing of the core. The
 * list holds a few records per attached device and two per paging HWPT;
 * the only walks are a map's check and the introspection calls.
 */
#include "containers.h"

static int resv_cmp(const struct swmsi_resv *a, const struct swmsi_resv *b)
{
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->last != b->last)
		return a->last < b->last ? -1 : 1;
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	return a->owner < b->owner ? -1 : a->owner > b->owner;
}

void swmsi__resv_insert(struct swmsi_resv_set *s, struct swmsi_resv *r)
{
	struct swmsi_resv *e;

	TAILQ_FOREACH(e, s, link) {
		if (resv_cmp(r, e) < 0) {
			TAILQ_INSERT_BEFORE(e, r, link);
			return;
		}
	}
	TAILQ_INSERT_TAIL(s, r, link);
}

void swmsi__resv_remove(struct swmsi_resv_set *s, struct swmsi_resv *r)
{
	TAILQ_REMOVE(s, r, link);
}

bool swmsi__resv_meets(const struct swmsi_resv_set *s, uint64_t start, uint64_t last)
{
	const struct swmsi_resv *e;

	TAILQ_FOREACH(e, s, link) {
		/* ascending starts: none further on can begin at or before last */
		if (e->start > last)
			return false;
		if (e->last >= start)
			return true;
	}
	return false;
}
