/* SPDX-License-Identifier: MIT */
/*
 * Scoped snapshots (snapshot_take_scoped()): of the context-wide lists, the
 * MSI table, each HWPT's present ids and each domain's ranges, only what a
 * step can have touched is read and kept: table entries by id, by window
 * and page and by window and slot (swmsi_msi_map_get(), _find(), _slots()),
 * each present bit of them (swmsi_hwpt_present_map_has()), each domain's pages one
 * by one. What reading costs, what the snapshot holds and what the checks
 * then walk is what the step touched, not what the context holds.
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

static int cmp_pair(const void *x, const void *y)
{
	const struct pair *p = x, *q = y;

	if (p->a != q->a)
		return (p->a > q->a) - (p->a < q->a);
	return (p->b > q->b) - (p->b < q->b);
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

/* The table entries a scoped snapshot keeps, gathered by point lookups in
 * any order, repeats included (sorted by id and made unique at the end). */
struct kept {
	struct swmsi_msi_map_info *v;
	size_t n, cap;
};

/* Room for @more entries past k->n. */
static int kept_room(struct kept *k, size_t more)
{
	size_t cap = k->cap ? k->cap : 16;
	void *p;

	if (k->n + more <= k->cap)
		return 0;
	while (cap < k->n + more)
		cap *= 2;
	p = realloc(k->v, cap * sizeof(*k->v));
	if (!p)
		return -ENOMEM;
	k->v = p;
	k->cap = cap;
	return 0;
}

/* Keep what a point lookup found; -ENOENT (no such entry) keeps nothing. */
static int kept_found(struct kept *k, int rc, const struct swmsi_msi_map_info *m)
{
	if (rc == -ENOENT)
		return 0;
	if (!rc)
		rc = kept_room(k, 1);
	if (!rc)
		k->v[k->n++] = *m;
	return rc;
}

static int keep_id(struct swmsi_ctx *ctx, struct kept *k, uint32_t id)
{
	struct swmsi_msi_map_info m;

	return kept_found(k, swmsi_msi_map_get(ctx, id, &m), &m);
}

static int keep_page(struct swmsi_ctx *ctx, struct kept *k, uint64_t start, uint64_t page)
{
	struct swmsi_msi_map_info m;

	return kept_found(k, swmsi_msi_map_find(ctx, start, page, &m), &m);
}

/* The entries of window @start in slots [@first, @first + @n). */
static int keep_slots(struct swmsi_ctx *ctx, struct kept *k, uint64_t start, uint32_t first,
		      uint64_t n)
{
	size_t cnt = 0;
	int rc = kept_room(k, 4);

	if (!rc)
		rc = swmsi_msi_map_slot_list(ctx, start, first, n, k->v + k->n, k->cap - k->n,
					     &cnt);
	if (!rc && cnt > k->cap - k->n) {
		rc = kept_room(k, cnt);
		if (!rc)
			rc = swmsi_msi_map_slot_list(ctx, start, first, n, k->v + k->n, cnt, &cnt);
	}
	if (!rc)
		k->n += cnt < k->cap - k->n ? cnt : k->cap - k->n;
	return rc;
}

/* The windows the table numbers slots in (few: one per distinct start),
 * into *@out; sn->table_size becomes the sum of their entries. */
static int table_windows(struct swmsi_ctx *ctx, struct snapshot *sn,
			 struct swmsi_msi_window_info **out, size_t *nw)
{
	size_t cnt = 8, i;
	int rc;

	for (;;) {
		struct swmsi_msi_window_info *w = realloc(*out, cnt * sizeof(*w));

		if (!w)
			return -ENOMEM;
		*out = w;
		rc = swmsi_msi_map_window_list(ctx, w, cnt, nw);
		if (rc || *nw <= cnt)
			break;
		cnt = *nw;
	}
	sn->table_size = 0;
	for (i = 0; !rc && i < *nw; i++)
		sn->table_size += (*out)[i].entries;
	return rc;
}

/* The entries of window @start whose page meets [@lo, @hi): slot s holds
 * IOVA start + s * @ps, and the window's start is page aligned. */
static int keep_ival(struct swmsi_ctx *ctx, struct kept *k, uint64_t start, uint64_t lo,
		     uint64_t hi, uint64_t ps)
{
	uint64_t first, end;

	if (hi <= start)
		return 0;
	first = lo > start ? (lo - start) / ps : 0;
	end = (hi - start - 1) / ps + 1;
	if (first >= UINT64_C(1) << 32)
		return 0;
	return keep_slots(ctx, k, start, (uint32_t)first, end - first);
}

/* The seeds: the entries the snapshot's devices' vectors use, those of its
 * doorbell pages in every window, and those at the scope's IOVAs. */
static int keep_seeds(struct swmsi_ctx *ctx, const struct snapshot *sn, struct kept *k,
		      const struct swmsi_msi_window_info *w, size_t nw, const struct ivals *iv,
		      uint64_t ps)
{
	size_t i, j;
	int rc = 0;

	for (i = 0; !rc && i < sn->ndevs; i++)
		for (j = 0; !rc && j < sn->devs[i].nvecs; j++)
			if (sn->devs[i].vecs[j].translated)
				rc = keep_id(ctx, k, sn->devs[i].vecs[j].map_id);
	for (i = 0; !rc && i < sn->npages; i++)
		for (j = 0; !rc && j < nw; j++)
			rc = keep_page(ctx, k, w[j].sw_msi_start, sn->pages[i]);
	for (i = 0; !rc && i < iv->n; i++)
		for (j = 0; !rc && j < nw; j++)
			rc = keep_ival(ctx, k, w[j].sw_msi_start, iv->v[i].a, iv->v[i].b, ps);
	return rc;
}

static int cmp_map_id(const void *x, const void *y)
{
	const struct swmsi_msi_map_info *a = x, *b = y;

	return (a->id > b->id) - (a->id < b->id);
}

/*
 * Keep, of the table, the seeds, every entry sharing a seed's page or slot
 * in its window (what the uniqueness invariants compare a touched entry
 * with), and the entries @sc names: each read by its key, so the cost is
 * what the step touched. The library's indexes hold one entry per key: two
 * entries on one key would show only in a whole snapshot's sorted table.
 */
static int keep_table(struct swmsi_ctx *ctx, struct snapshot *sn, const struct snapshot_scope *sc,
		      const struct ivals *iv, uint64_t ps)
{
	struct swmsi_msi_window_info *w = NULL;
	struct kept k = { NULL, 0, 0 };
	size_t nw = 0, nseed, i;
	int rc = table_windows(ctx, sn, &w, &nw);

	if (!rc)
		rc = keep_seeds(ctx, sn, &k, w, nw, iv, ps);
	for (i = 0, nseed = k.n; !rc && i < nseed; i++) {
		/* copied: keeping more may move k.v */
		struct swmsi_msi_map_info m = k.v[i];

		rc = keep_page(ctx, &k, m.sw_msi_start, m.msi_page);
		if (!rc)
			rc = keep_slots(ctx, &k, m.sw_msi_start, m.slot, 1);
	}
	for (i = 0; !rc && i < sc->nmap_ids; i++)
		rc = keep_id(ctx, &k, sc->map_ids[i]);
	free(w);
	if (rc) {
		free(k.v);
		return rc;
	}
	if (k.n)
		qsort(k.v, k.n, sizeof(*k.v), cmp_map_id);
	for (i = nseed = 0; i < k.n; i++)
		if (!nseed || k.v[nseed - 1].id != k.v[i].id)
			k.v[nseed++] = k.v[i];
	free(sn->maps);
	sn->maps = k.v;
	sn->nmaps = nseed;
	return 0;
}

/* Each HWPT's present ids among the kept entries, one bit each. */
static int keep_present(struct swmsi_ctx *ctx, struct snapshot *sn)
{
	size_t i, j;

	for (i = 0; i < sn->nhwpts; i++) {
		struct snapshot_hwpt *h = &sn->hwpts[i];

		free(h->present);
		h->npresent = 0;
		h->present = calloc(sn->nmaps ? sn->nmaps : 1, sizeof(*h->present));
		if (!h->present)
			return -ENOMEM;
		for (j = 0; j < sn->nmaps; j++) {
			bool has = false;
			int rc = swmsi_hwpt_present_map_has(ctx, h->id, sn->maps[j].id, &has);

			if (rc)
				return rc;
			if (has)
				h->present[h->npresent++] = sn->maps[j].id;
		}
	}
	return 0;
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

/* Each domain's ranges that meet a kept entry's page or a scope interval. */
static int keep_ranges(struct mock_iommu *mock, struct snapshot *sn, struct ivals *iv, uint64_t ps)
{
	struct pair *v = realloc(iv->v, (iv->n + sn->nmaps + 1) * sizeof(*v));
	size_t i;

	if (!v)
		return -ENOMEM;
	iv->v = v;
	for (i = 0; i < sn->nmaps; i++)
		iv->v[iv->n++] = (struct pair){ sn->maps[i].iova, sn->maps[i].iova + ps };
	ivals_merge(iv);
	for (i = 0; i < sn->ndoms; i++)
		if (lookup_ranges(mock, &sn->doms[i], iv, ps))
			return -ENOMEM;
	return 0;
}

/* Apply @sc to the snapshot @sn just taken without the table. */
static int scope(struct swmsi_ctx *ctx, struct mock_iommu *mock, struct snapshot *sn,
		 const struct snapshot_scope *sc, uint64_t ps)
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
		rc = keep_table(ctx, sn, sc, &iv, ps);
	if (!rc)
		rc = keep_present(ctx, sn);
	if (!rc)
		rc = keep_ranges(mock, sn, &iv, ps);
	free(iv.v);
	return rc;
}

int snapshot_take_scoped(struct swmsi_ctx *ctx, struct mock_iommu *mock, uint32_t *ids, size_t n,
			 unsigned int flags, const struct snapshot_scope *sc, struct snapshot *sn)
{
	int rc;

	if (!sc)
		return snapshot_take_ids(ctx, mock, ids, n, flags, sn);
	rc = snapshot__take_ids(ctx, mock, ids, n, flags | SNAPSHOT_NO_RANGES | SNAPSHOT__NO_TABLE,
				sn);
	if (rc)
		return rc;
	rc = scope(ctx, mock, sn, sc, 1ull << mock_iommu_page_shift(mock));
	if (rc) {
		snapshot_free(sn);
		return rc;
	}
	sn->scoped = true;
	return 0;
}
