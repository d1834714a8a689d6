/* SPDX-License-Identifier: MIT */
/*
 * Indexes of a snapshot's MSI table for the checks (check.h): sorts of
 * the table instead of scans of it per entry or per page.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* qsort() has no context argument: the table being sorted. */
static _Thread_local const struct swmsi_msi_map_info *sort_maps;

static int cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

static int by_page(const void *x, const void *y)
{
	const struct swmsi_msi_map_info *a = &sort_maps[*(const size_t *)x];
	const struct swmsi_msi_map_info *b = &sort_maps[*(const size_t *)y];

	if (a->sw_msi_start != b->sw_msi_start)
		return cmp_u64(a->sw_msi_start, b->sw_msi_start);
	if (a->msi_page != b->msi_page)
		return cmp_u64(a->msi_page, b->msi_page);
	return cmp_u64(*(const size_t *)x, *(const size_t *)y);
}

static int by_slot(const void *x, const void *y)
{
	const struct swmsi_msi_map_info *a = &sort_maps[*(const size_t *)x];
	const struct swmsi_msi_map_info *b = &sort_maps[*(const size_t *)y];

	if (a->sw_msi_start != b->sw_msi_start)
		return cmp_u64(a->sw_msi_start, b->sw_msi_start);
	if (a->slot != b->slot)
		return cmp_u64(a->slot, b->slot);
	return cmp_u64(*(const size_t *)x, *(const size_t *)y);
}

static int by_iova(const void *x, const void *y)
{
	const struct swmsi_msi_map_info *a = &sort_maps[*(const size_t *)x];
	const struct swmsi_msi_map_info *b = &sort_maps[*(const size_t *)y];

	if (a->sw_msi_start != b->sw_msi_start)
		return cmp_u64(a->sw_msi_start, b->sw_msi_start);
	if (a->iova != b->iova)
		return cmp_u64(a->iova, b->iova);
	return cmp_u64(*(const size_t *)x, *(const size_t *)y);
}

static int by_hit(const void *x, const void *y)
{
	const struct sim_pair_hit *a = x, *b = y;

	if (a->i != b->i)
		return cmp_u64(a->i, b->i);
	if (a->k != b->k)
		return cmp_u64(a->k, b->k);
	return (int)a->kind - (int)b->kind;
}

static int add_hit(struct sim_table_ix *ix, size_t *cap, size_t i, size_t k,
		   enum sim_pair_kind kind)
{
	if (sim_grow((void **)&ix->hits, cap, ix->nhits + 1, sizeof(*ix->hits), 8))
		return -ENOMEM;
	ix->hits[ix->nhits++] = (struct sim_pair_hit){ i < k ? i : k, i < k ? k : i, kind };
	return 0;
}

/* Every pair inside each run of @ord that @same groups, as @kind hits. */
static int runs(struct sim_table_ix *ix, size_t *cap, const size_t *ord, size_t n,
		bool (*same)(const struct swmsi_msi_map_info *, const struct swmsi_msi_map_info *),
		enum sim_pair_kind kind)
{
	const struct swmsi_msi_map_info *m = ix->sn->maps;
	size_t a, b, j, k;

	for (a = 0; a < n; a = b) {
		for (b = a + 1; b < n && same(&m[ord[a]], &m[ord[b]]); b++)
			;
		for (j = a; j < b; j++)
			for (k = j + 1; k < b; k++)
				if (add_hit(ix, cap, ord[j], ord[k], kind))
					return -ENOMEM;
	}
	return 0;
}

static bool same_id(const struct swmsi_msi_map_info *a, const struct swmsi_msi_map_info *b)
{
	return a->id == b->id;
}

static bool same_page(const struct swmsi_msi_map_info *a, const struct swmsi_msi_map_info *b)
{
	return a->sw_msi_start == b->sw_msi_start && a->msi_page == b->msi_page;
}

static bool same_slot(const struct swmsi_msi_map_info *a, const struct swmsi_msi_map_info *b)
{
	return a->sw_msi_start == b->sw_msi_start && a->slot == b->slot;
}

/* The pairs of entries sharing an id (the table is by id), a page or a slot. */
static int pairs(struct sim_table_ix *ix, size_t *ord)
{
	size_t i, n = ix->sn->nmaps, cap = 0;
	int rc;

	for (i = 0; i < n; i++)
		ord[i] = i;
	rc = runs(ix, &cap, ord, n, same_id, SIM_PAIR_ID);
	qsort(ord, n, sizeof(*ord), by_page);
	if (!rc)
		rc = runs(ix, &cap, ord, n, same_page, SIM_PAIR_PAGE);
	qsort(ord, n, sizeof(*ord), by_slot);
	if (!rc)
		rc = runs(ix, &cap, ord, n, same_slot, SIM_PAIR_SLOT);
	if (!rc && ix->nhits)
		qsort(ix->hits, ix->nhits, sizeof(*ix->hits), by_hit);
	return rc;
}

static int by_start(const void *x, const void *y)
{
	const uint64_t *a = x, *b = y;

	return a[0] != b[0] ? cmp_u64(a[0], b[0]) : cmp_u64(b[1], a[1]);
}

/* The windows the snapshot's devices use and the run's override windows,
 * by start, the largest first at each. */
static int windows(const struct sim *s, struct sim_table_ix *ix)
{
	const struct snapshot *sn = ix->sn;
	size_t i, n = 0;

	ix->win = calloc(2 * (sn->ndevs + s->nwindows) + 2, sizeof(*ix->win));
	if (!ix->win)
		return -ENOMEM;
	for (i = 0; i < sn->ndevs; i++, n++) {
		ix->win[2 * n] = sn->devs[i].info.sw_msi_start;
		ix->win[2 * n + 1] = sn->devs[i].info.sw_msi_size;
	}
	for (i = 0; i < s->nwindows; i++, n++) {
		ix->win[2 * n] = s->windows[i].start;
		ix->win[2 * n + 1] = s->windows[i].size;
	}
	qsort(ix->win, n, 2 * sizeof(*ix->win), by_start);
	ix->nwin = n;
	return 0;
}

int sim_table_ix_build(const struct sim *s, const struct snapshot *sn, struct sim_table_ix *ix)
{
	size_t *ord;
	int rc;

	memset(ix, 0, sizeof(*ix));
	ix->sn = sn;
	sort_maps = sn->maps;
	ord = calloc(sn->nmaps ? sn->nmaps : 1, sizeof(*ord));
	ix->by_iova = calloc(sn->nmaps ? sn->nmaps : 1, sizeof(*ix->by_iova));
	rc = ord && ix->by_iova ? pairs(ix, ord) : -ENOMEM;
	free(ord);
	if (!rc) {
		size_t i;

		for (i = 0; i < sn->nmaps; i++)
			ix->by_iova[i] = i;
		qsort(ix->by_iova, sn->nmaps, sizeof(*ix->by_iova), by_iova);
		rc = windows(s, ix);
	}
	if (rc)
		sim_table_ix_free(ix);
	return rc;
}

void sim_table_ix_free(struct sim_table_ix *ix)
{
	free(ix->by_iova);
	free(ix->hits);
	free(ix->win);
	memset(ix, 0, sizeof(*ix));
}

const struct sim_pair_hit *sim_table_ix_hit(struct sim_table_ix *ix, size_t i)
{
	while (ix->next < ix->nhits && ix->hits[ix->next].i < i)
		ix->next++;
	if (ix->next < ix->nhits && ix->hits[ix->next].i == i)
		return &ix->hits[ix->next++];
	return NULL;
}

const struct swmsi_msi_map_info *sim_table_ix_at(const struct sim_table_ix *ix, uint64_t ws,
						 uint64_t iova)
{
	const struct swmsi_msi_map_info *m = ix->sn ? ix->sn->maps : NULL;
	size_t lo = 0, hi = ix->sn ? ix->sn->nmaps : 0;

	/* past the last entry at (ws, iova): the one before it is the last */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct swmsi_msi_map_info *e = &m[ix->by_iova[mid]];

		if (e->sw_msi_start < ws || (e->sw_msi_start == ws && e->iova <= iova))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	m = &m[ix->by_iova[lo - 1]];
	return m->sw_msi_start == ws && m->iova == iova ? m : NULL;
}

uint64_t sim_table_ix_window(const struct sim_table_ix *ix, uint64_t start)
{
	size_t lo = 0, hi = ix->nwin;

	/* the first pair at @start holds its largest size */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ix->win[2 * mid] < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ix->nwin && ix->win[2 * lo] == start ? ix->win[2 * lo + 1] : 0;
}
