/* SPDX-License-Identifier: MIT */
/*
 * Scoped snapshots (snapshot_take_scoped()): of the context-wide lists, the
 * MSI table, each HWPT's present ids and each domain's ranges, only what a
 * step can have touched is kept. The library hands the table and the
 * present ids out whole, so reading them stays linear (a walk of its id
 * bitmaps); the domains' pages are looked up one by one, and what the
 * checks then walk, and what the snapshot holds, is the part the step
 * touched.
 */
#include "swmsi_snapshot.h"
#include "snapshot_int.h"

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

/* Is @id in @v (ascending), at or after *@at? Advances *@at: the callers
 * ask in ascending order, so a whole pass is one merge. */
static bool has_next(const uint32_t *v, size_t n, size_t *at, uint32_t id)
{
	while (*at < n && v[*at] < id)
		(*at)++;
	return *at < n && v[*at] == id;
}

/* Binary searches written out: the table pass asks each entry, and a
 * comparison callback per probe cost more than the rest of the pass. */
static bool has_pair(const struct pair *v, size_t n, uint64_t a, uint64_t b)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t m = lo + (hi - lo) / 2;

		if (v[m].a < a || (v[m].a == a && v[m].b < b))
			lo = m + 1;
		else
			hi = m;
	}
	return lo < n && v[lo].a == a && v[lo].b == b;
}

static bool has_u64(const uint64_t *v, size_t n, uint64_t x)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t m = lo + (hi - lo) / 2;

		if (v[m] < x)
			lo = m + 1;
		else
			hi = m;
	}
	return lo < n && v[lo] == x;
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

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return (a > b) - (a < b);
}

/* @sc's doorbell pages and those of @sn's devices' vectors, sorted, each
 * once, into sn->pages. */
static int scope_pages(struct snapshot *sn, const struct snapshot_scope *sc, uint64_t ps)
{
	size_t i, k, n = sc->npages;
	uint64_t *v;

	for (i = 0; i < sn->ndevs; i++)
		n += sn->devs[i].nvecs;
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	n = 0;
	for (i = 0; i < sc->npages; i++)
		v[n++] = sc->pages[i] & ~(ps - 1);
	for (i = 0; i < sn->ndevs; i++)
		for (k = 0; k < sn->devs[i].nvecs; k++)
			v[n++] = sn->devs[i].vecs[k].msi_addr & ~(ps - 1);
	if (n)
		qsort(v, n, sizeof(*v), cmp_u64);
	for (i = k = 0; i < n; i++)
		if (!k || v[k - 1] != v[i])
			v[k++] = v[i];
	sn->pages = v;
	sn->npages = k;
	return 0;
}

static bool has_page(const struct snapshot *sn, uint64_t page)
{
	return has_u64(sn->pages, sn->npages, page);
}

bool snapshot_covers(const struct snapshot *sn, const struct swmsi_msi_map_info *m)
{
	return !sn->scoped || snapshot_map(sn, m->id) || has_page(sn, m->msi_page);
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

/* One bit of 64 for @x: a filter that lets most entries of the table pass
 * a scope's keys with one test instead of a search. */
static uint64_t bit_of(uint64_t x)
{
	return 1ull << ((x * 0x9E3779B97F4A7C15ull) >> 58);
}

/* What the table pass asks of each entry, with the filters of its keys. */
struct keys {
	const uint32_t *vm, *named; /* ascending */
	size_t nvm, nnamed, at_vm, at_named;
	const struct ivals *iv;
	uint64_t lo, hi; /* the intervals' bounds */
	uint64_t page_bits;
	struct pair *wp, *ws; /* the seeds' (window, page) and (window, slot) */
	size_t nseed, cap;
	uint64_t wp_bits, ws_bits;
};

/* Used by the devices' vectors, of their pages, or at a scope IOVA. Asked
 * in ascending id order once a pass (the cursor restarts at each pass). */
static bool is_seed(const struct snapshot *sn, struct keys *k, const struct swmsi_msi_map_info *m,
		    uint64_t ps)
{
	if (has_next(k->vm, k->nvm, &k->at_vm, m->id))
		return true;
	if ((k->page_bits & bit_of(m->msi_page)) && has_page(sn, m->msi_page))
		return true;
	return k->iv->n && m->iova < k->hi && m->iova + ps > k->lo &&
	       meets(k->iv, m->iova, m->iova + ps);
}

/* Pass one: the seeds' (window, page) and (window, slot), sorted. */
static int seeds(const struct snapshot *sn, struct keys *k, uint64_t ps)
{
	size_t i;

	for (i = 0; i < sn->npages; i++)
		k->page_bits |= bit_of(sn->pages[i]);
	k->lo = k->iv->n ? k->iv->v[0].a : 0;
	k->hi = k->iv->n ? k->iv->v[k->iv->n - 1].b : 0;
	for (i = 0; i < sn->nmaps; i++) {
		const struct swmsi_msi_map_info *m = &sn->maps[i];

		if (!is_seed(sn, k, m, ps))
			continue;
		if (k->nseed == k->cap) {
			size_t cap = k->cap ? 2 * k->cap : 8;
			struct pair *wp = realloc(k->wp, cap * sizeof(*wp)), *ws;

			if (wp)
				k->wp = wp;
			ws = wp ? realloc(k->ws, cap * sizeof(*ws)) : NULL;
			if (!ws)
				return -ENOMEM;
			k->ws = ws;
			k->cap = cap;
		}
		k->wp[k->nseed] = (struct pair){ m->sw_msi_start, m->msi_page };
		k->ws[k->nseed++] = (struct pair){ m->sw_msi_start, m->slot };
		k->wp_bits |= bit_of(m->msi_page);
		k->ws_bits |= bit_of(m->slot);
	}
	if (k->nseed) {
		qsort(k->wp, k->nseed, sizeof(*k->wp), cmp_pair);
		qsort(k->ws, k->nseed, sizeof(*k->ws), cmp_pair);
	}
	return 0;
}

/* Pass two: a seed, named by the scope, or sharing a seed's page or slot. */
static bool kept(const struct snapshot *sn, struct keys *k, const struct swmsi_msi_map_info *m,
		 uint64_t ps)
{
	return has_next(k->named, k->nnamed, &k->at_named, m->id) || is_seed(sn, k, m, ps) ||
	       ((k->wp_bits & bit_of(m->msi_page)) &&
		has_pair(k->wp, k->nseed, m->sw_msi_start, m->msi_page)) ||
	       ((k->ws_bits & bit_of(m->slot)) &&
		has_pair(k->ws, k->nseed, m->sw_msi_start, m->slot));
}

/*
 * Keep, of the table, the seeds, the entries @sc names, and every entry
 * that shares a seed's page or slot in its window: what the uniqueness
 * invariants compare a touched entry with.
 */
static int filter_table(struct snapshot *sn, const struct snapshot_scope *sc,
			const struct ivals *iv, uint64_t ps)
{
	struct keys k = { .iv = iv, .nnamed = sc->nmap_ids };
	uint32_t *vm = NULL, *named = calloc(sc->nmap_ids ? sc->nmap_ids : 1, sizeof(*named));
	size_t i, n = 0;
	int rc = named ? vector_maps(sn, &vm, &k.nvm) : -ENOMEM;

	if (!rc) {
		if (sc->nmap_ids)
			memcpy(named, sc->map_ids, sc->nmap_ids * sizeof(*named));
		qsort(named, sc->nmap_ids, sizeof(*named), cmp_u32);
		k.vm = vm;
		k.named = named;
		rc = seeds(sn, &k, ps);
	}
	if (!rc) {
		k.at_vm = 0;
		for (i = 0; i < sn->nmaps; i++)
			if (kept(sn, &k, &sn->maps[i], ps))
				sn->maps[n++] = sn->maps[i];
		sn->nmaps = n;
	}
	free(vm);
	free(named);
	free(k.wp);
	free(k.ws);
	return rc;
}

/* Ranges being built: pages appended in ascending IOVA, merged as the
 * mock merges them (contiguous IOVA and paddr, one prot). */
struct rbuf {
	struct mock_iommu_range *v;
	size_t n, cap;
};

static int rbuf_add(struct rbuf *b, uint64_t iova, uint64_t paddr, uint64_t size, uint32_t prot)
{
	struct mock_iommu_range *l = b->n ? &b->v[b->n - 1] : NULL;

	if (l && l->iova + l->size == iova && l->paddr + l->size == paddr && l->prot == prot) {
		l->size += size;
		return 0;
	}
	if (b->n == b->cap) {
		void *p = realloc(b->v, (b->cap = b->cap ? b->cap * 2 : 8) * sizeof(*b->v));

		if (!p)
			return -ENOMEM;
		b->v = p;
	}
	memset(&b->v[b->n], 0, sizeof(*b->v)); /* callers may memcmp ranges */
	b->v[b->n].iova = iova;
	b->v[b->n].paddr = paddr;
	b->v[b->n].size = size;
	b->v[b->n++].prot = prot;
	return 0;
}

/* Pages an interval may hold for them to be looked up one by one; a longer
 * one (a user mapping the step made) is cut out of the domain's ranges. */
#define LOOKUP_MAX_PAGES 256

/* The parts of @dm's ranges (read whole) inside [@lo, @hi), into @b. */
static int clip_into(struct mock_iommu *mock, const struct snapshot_dom *dm, uint64_t lo,
		     uint64_t hi, struct rbuf *b)
{
	struct mock_iommu_range *r = NULL;
	size_t cnt = 0, n = 0, j;
	int rc = mock_iommu_ranges(mock, dm->domain, NULL, 0, &cnt);

	if (!rc && !(r = calloc(cnt ? cnt : 1, sizeof(*r))))
		rc = -ENOMEM;
	if (!rc)
		rc = mock_iommu_ranges(mock, dm->domain, r, cnt, &n);
	for (j = 0; !rc && j < n && j < cnt; j++) {
		uint64_t s = r[j].iova, e = s + r[j].size;

		if (e <= lo || s >= hi)
			continue;
		s = s > lo ? s : lo;
		e = e < hi ? e : hi;
		rc = rbuf_add(b, s, r[j].paddr + (s - r[j].iova), e - s, r[j].prot);
	}
	free(r);
	return rc;
}

/*
 * The mappings of @dm inside @iv's intervals, looked up page by page: what
 * the step touched, not what the domain holds. Same ranges as the mock's,
 * cut at the intervals' ends.
 */
static int lookup_ranges(struct mock_iommu *mock, struct snapshot_dom *dm, const struct ivals *iv,
			 uint64_t ps)
{
	struct rbuf b = { NULL, 0, 0 };
	size_t l;
	int rc = 0;

	for (l = 0; !rc && l < iv->n; l++) {
		uint64_t a, lo = iv->v[l].a & ~(ps - 1), hi = iv->v[l].b;

		if ((hi - lo) / ps > LOOKUP_MAX_PAGES) {
			rc = clip_into(mock, dm, iv->v[l].a, hi, &b);
			continue;
		}
		for (a = lo; !rc && a < hi; a += ps) {
			uint64_t pa;
			uint32_t prot;

			if (mock_iommu_lookup(mock, dm->domain, a, &pa, &prot))
				continue;
			rc = rbuf_add(&b, a, pa, ps, prot);
		}
	}
	free(dm->ranges);
	dm->ranges = b.v;
	dm->nranges = b.n;
	return rc;
}

/* Each HWPT's present ids, of the entries kept; each domain's ranges that
 * meet a kept entry's page or a scope interval. */
static int filter_rest(struct mock_iommu *mock, struct snapshot *sn, struct ivals *iv, uint64_t ps)
{
	struct pair *v = realloc(iv->v, (iv->n + sn->nmaps + 1) * sizeof(*v));
	size_t i, j, k;

	if (!v)
		return -ENOMEM;
	iv->v = v;
	for (i = 0; i < sn->nhwpts; i++) {
		struct snapshot_hwpt *h = &sn->hwpts[i];
		size_t at = 0;

		/* both ascending: one merge */
		for (j = k = 0; j < h->npresent; j++) {
			while (at < sn->nmaps && sn->maps[at].id < h->present[j])
				at++;
			if (at < sn->nmaps && sn->maps[at].id == h->present[j])
				h->present[k++] = h->present[j];
		}
		h->npresent = k;
	}
	for (i = 0; i < sn->nmaps; i++)
		iv->v[iv->n++] = (struct pair){ sn->maps[i].iova, sn->maps[i].iova + ps };
	ivals_merge(iv);
	for (i = 0; i < sn->ndoms; i++)
		if (lookup_ranges(mock, &sn->doms[i], iv, ps))
			return -ENOMEM;
	return 0;
}

/* Apply @sc to the snapshot @sn just taken. */
static int scope(struct mock_iommu *mock, struct snapshot *sn, const struct snapshot_scope *sc,
		 uint64_t ps)
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
	rc = scope_pages(sn, sc, ps);
	if (!rc)
		rc = filter_table(sn, sc, &iv, ps);
	if (!rc)
		rc = filter_rest(mock, sn, &iv, ps);
	free(iv.v);
	return rc;
}

int snapshot_take_scoped(struct swmsi_ctx *ctx, struct mock_iommu *mock, uint32_t *ids, size_t n,
			 unsigned int flags, const struct snapshot_scope *sc, struct snapshot *sn)
{
	int rc;

	if (!sc)
		return snapshot_take_ids(ctx, mock, ids, n, flags, sn);
	rc = snapshot__take_ids(ctx, mock, ids, n, flags | SNAPSHOT_NO_RANGES, sc->hint, sn);
	if (rc)
		return rc;
	rc = scope(mock, sn, sc, 1ull << mock_iommu_page_shift(mock));
	if (rc) {
		snapshot_free(sn);
		return rc;
	}
	sn->scoped = true;
	return 0;
}
