/* SPDX-License-Identifier: MIT */
/*
 * Scoped snapshots (snapshot_take_scoped()): of the context-wide lists, the
 * MSI table, each HWPT's present ids and each domain's ranges, only what a
 * step can have touched is kept. The library and the mock hand those lists
 * out whole, so reading them stays linear; what the checks then walk, and
 * what the snapshot holds, is the part the step touched.
 */
#include "swmsi_snapshot.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Sorted pairs of 64-bit keys: (window, page) or (window, slot). */
struct pair {
	uint64_t a, b;
};

/* The intervals a scoped snapshot keeps, sorted and disjoint. */
struct ivals {
	struct pair *v; /* a: start, b: end (exclusive) */
	size_t n;
};

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	return (a > b) - (a < b);
}

static int cmp_pair(const void *x, const void *y)
{
	const struct pair *p = x, *q = y;

	if (p->a != q->a)
		return (p->a > q->a) - (p->a < q->a);
	return (p->b > q->b) - (p->b < q->b);
}

static bool has_u32(const uint32_t *v, size_t n, uint32_t id)
{
	return n && bsearch(&id, v, n, sizeof(*v), cmp_u32);
}

static bool has_pair(const struct pair *v, size_t n, uint64_t a, uint64_t b)
{
	struct pair k = { a, b };

	return n && bsearch(&k, v, n, sizeof(*v), cmp_pair);
}

/* The first of @iv's intervals that ends after @lo (ends ascend: they are
 * disjoint and sorted); @iv->n when none. */
static size_t first_after(const struct ivals *iv, uint64_t lo)
{
	size_t l = 0, h = iv->n;

	while (l < h) {
		size_t m = l + (h - l) / 2;

		if (iv->v[m].b <= lo)
			l = m + 1;
		else
			h = m;
	}
	return l;
}

/* Does [@lo, @hi) meet one of @iv's intervals? */
static bool meets(const struct ivals *iv, uint64_t lo, uint64_t hi)
{
	size_t l = first_after(iv, lo);

	return l < iv->n && iv->v[l].a < hi;
}

/* Sort @iv's @n intervals and merge those that overlap or touch. */
static void ivals_merge(struct ivals *iv)
{
	size_t i, k = 0;

	if (!iv->n)
		return;
	qsort(iv->v, iv->n, sizeof(*iv->v), cmp_pair);
	for (i = 1; i < iv->n; i++) {
		if (iv->v[i].a <= iv->v[k].b) {
			if (iv->v[i].b > iv->v[k].b)
				iv->v[k].b = iv->v[i].b;
		} else {
			iv->v[++k] = iv->v[i];
		}
	}
	iv->n = k + 1;
}

/* The map ids @sn's devices' vectors use, sorted, each once. */
static int vector_maps(const struct snapshot *sn, uint32_t **out, size_t *n)
{
	size_t i, k, cnt = 0;
	uint32_t *v;

	for (i = 0; i < sn->ndevs; i++)
		cnt += sn->devs[i].nvecs;
	v = calloc(cnt ? cnt : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	*n = 0;
	for (i = 0; i < sn->ndevs; i++)
		for (k = 0; k < sn->devs[i].nvecs; k++)
			if (sn->devs[i].vecs[k].translated)
				v[(*n)++] = sn->devs[i].vecs[k].map_id;
	if (*n)
		qsort(v, *n, sizeof(*v), cmp_u32);
	for (i = k = 0; i < *n; i++)
		if (!k || v[k - 1] != v[i])
			v[k++] = v[i];
	*n = k;
	*out = v;
	return 0;
}

/*
 * Pass one: the entries the devices' vectors use or whose page lies in a
 * scope interval (the seeds), marked in @keep; their (window, page) and
 * (window, slot) into @wp and @ws, sorted.
 */
static void seeds(const struct snapshot *sn, const uint32_t *vm, size_t nvm, const struct ivals *iv,
		  uint64_t ps, bool *keep, struct pair *wp, struct pair *ws, size_t *nseed)
{
	size_t i;

	*nseed = 0;
	for (i = 0; i < sn->nmaps; i++) {
		const struct swmsi_msi_map_info *m = &sn->maps[i];

		keep[i] = has_u32(vm, nvm, m->id) || meets(iv, m->iova, m->iova + ps);
		if (!keep[i])
			continue;
		wp[*nseed] = (struct pair){ m->sw_msi_start, m->msi_page };
		ws[(*nseed)++] = (struct pair){ m->sw_msi_start, m->slot };
	}
	if (*nseed) {
		qsort(wp, *nseed, sizeof(*wp), cmp_pair);
		qsort(ws, *nseed, sizeof(*ws), cmp_pair);
	}
}

/*
 * Keep, of the table, the seeds, the entries @sc names, and every entry
 * that shares a seed's page or slot in its window: what the uniqueness
 * invariants compare a touched entry with.
 */
static int filter_table(struct snapshot *sn, const struct snapshot_scope *sc,
			const struct ivals *iv, uint64_t ps)
{
	uint32_t *vm = NULL, *named = NULL;
	struct pair *wp = NULL, *ws = NULL;
	size_t nvm = 0, nseed, i, k = 0;
	bool *keep = NULL;
	int rc;

	rc = vector_maps(sn, &vm, &nvm);
	if (!rc && sn->nmaps) {
		keep = calloc(sn->nmaps, sizeof(*keep));
		wp = calloc(sn->nmaps, sizeof(*wp));
		ws = calloc(sn->nmaps, sizeof(*ws));
		named = calloc(sc->nmap_ids ? sc->nmap_ids : 1, sizeof(*named));
		if (!keep || !wp || !ws || !named)
			rc = -ENOMEM;
	}
	if (!rc && sn->nmaps) {
		if (sc->nmap_ids)
			memcpy(named, sc->map_ids, sc->nmap_ids * sizeof(*named));
		qsort(named, sc->nmap_ids, sizeof(*named), cmp_u32);
		seeds(sn, vm, nvm, iv, ps, keep, wp, ws, &nseed);
		for (i = 0; i < sn->nmaps; i++) {
			const struct swmsi_msi_map_info *m = &sn->maps[i];

			if (keep[i] || has_u32(named, sc->nmap_ids, m->id) ||
			    has_pair(wp, nseed, m->sw_msi_start, m->msi_page) ||
			    has_pair(ws, nseed, m->sw_msi_start, m->slot))
				sn->maps[k++] = *m;
		}
		sn->nmaps = k;
	}
	free(vm);
	free(named);
	free(keep);
	free(wp);
	free(ws);
	return rc;
}

/*
 * The parts of @d's ranges inside @iv's intervals: the mock merges adjacent
 * pages into one range, and a window's MSI pages often are adjacent, so a
 * range is cut to what the scope holds, not kept whole.
 */
static int clip_ranges(struct snapshot_dom *d, const struct ivals *iv)
{
	struct mock_iommu_range *out = NULL;
	size_t j, l, n = 0, cap = 0;

	for (j = 0; j < d->nranges; j++) {
		const struct mock_iommu_range *r = &d->ranges[j];
		uint64_t end = r->iova + r->size;

		for (l = first_after(iv, r->iova); l < iv->n && iv->v[l].a < end; l++) {
			uint64_t lo = iv->v[l].a > r->iova ? iv->v[l].a : r->iova;
			uint64_t hi = iv->v[l].b < end ? iv->v[l].b : end;

			if (n == cap) {
				void *p = realloc(out, (cap = cap ? cap * 2 : 8) * sizeof(*out));

				if (!p) {
					free(out);
					return -ENOMEM;
				}
				out = p;
			}
			out[n] = *r;
			out[n].iova = lo;
			out[n].size = hi - lo;
			out[n++].paddr = r->paddr + (lo - r->iova);
		}
	}
	free(d->ranges);
	d->ranges = out ? out : calloc(1, sizeof(*out));
	d->nranges = n;
	return d->ranges ? 0 : -ENOMEM;
}

/* Each HWPT's present ids, of the entries kept; each domain's ranges that
 * meet a kept entry's page or a scope interval. */
static int filter_rest(struct snapshot *sn, struct ivals *iv, uint64_t ps)
{
	struct pair *v = realloc(iv->v, (iv->n + sn->nmaps + 1) * sizeof(*v));
	size_t i, j, k;

	if (!v)
		return -ENOMEM;
	iv->v = v;
	for (i = 0; i < sn->nhwpts; i++) {
		struct snapshot_hwpt *h = &sn->hwpts[i];

		for (j = k = 0; j < h->npresent; j++)
			if (snapshot_map(sn, h->present[j]))
				h->present[k++] = h->present[j];
		h->npresent = k;
	}
	for (i = 0; i < sn->nmaps; i++)
		iv->v[iv->n++] = (struct pair){ sn->maps[i].iova, sn->maps[i].iova + ps };
	ivals_merge(iv);
	for (i = 0; i < sn->ndoms; i++)
		if (clip_ranges(&sn->doms[i], iv))
			return -ENOMEM;
	return 0;
}

/* Apply @sc to the snapshot @sn just taken. */
static int scope(struct snapshot *sn, const struct snapshot_scope *sc, uint64_t ps)
{
	struct ivals iv = { NULL, 0 };
	size_t i;
	int rc;

	iv.v = calloc(sc->niovas + 1, sizeof(*iv.v));
	if (!iv.v)
		return -ENOMEM;
	for (i = 0; i < sc->niovas; i++)
		if (sc->iovas[i].size) {
			uint64_t lo = sc->iovas[i].iova, hi = lo + sc->iovas[i].size;

			iv.v[iv.n++] = (struct pair){ lo, hi < lo ? UINT64_MAX : hi };
		}
	ivals_merge(&iv);
	rc = filter_table(sn, sc, &iv, ps);
	if (!rc)
		rc = filter_rest(sn, &iv, ps);
	free(iv.v);
	return rc;
}

int snapshot_take_scoped(struct swmsi_ctx *ctx, struct mock_iommu *mock, uint32_t *ids, size_t n,
			 unsigned int flags, const struct snapshot_scope *sc, struct snapshot *sn)
{
	int rc = snapshot_take_ids(ctx, mock, ids, n, flags, sn);

	if (rc || !sc)
		return rc;
	rc = scope(sn, sc, 1ull << mock_iommu_page_shift(mock));
	if (rc) {
		snapshot_free(sn);
		return rc;
	}
	sn->scoped = true;
	return 0;
}
