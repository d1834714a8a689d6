/* SPDX-License-Identifier: MIT */
/*
 * The shared snapshot: see snapshot.h. Each list is read twice, first for
 * its length, so the snapshot holds all of it whatever its size.
 */
#include "swmsi_snapshot.h"
#include "snapshot_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* swmsi_ioas_mappings(), swmsi_ioas_reserved(), swmsi_hwpt_nested_mappings() */
typedef int (*mapping_list_fn)(struct swmsi_ctx *ctx, uint32_t id, struct swmsi_mapping *maps,
			       size_t cap, size_t *count);

/* At least one element, so that an empty list is still a valid buffer. */
static void *zalloc(size_t n, size_t size)
{
	return calloc(n ? n : 1, size);
}

static int take_mappings(struct swmsi_ctx *ctx, mapping_list_fn list, uint32_t id,
			 struct swmsi_mapping **out, size_t *n)
{
	size_t cnt = 0;
	int rc;

	rc = list(ctx, id, NULL, 0, &cnt);
	if (rc)
		return rc;
	*out = zalloc(cnt, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	rc = list(ctx, id, *out, cnt, n);
	if (*n > cnt)
		*n = cnt;
	return rc;
}

static int take_ioas(struct swmsi_ctx *ctx, struct snapshot_ioas *io, uint32_t id)
{
	int rc;

	io->id = id;
	rc = take_mappings(ctx, swmsi_ioas_mappings, id, &io->maps, &io->nmaps);
	if (!rc)
		rc = take_mappings(ctx, swmsi_ioas_reserved, id, &io->resv, &io->nresv);
	return rc;
}

/* The whole list (a scoped snapshot reads one bit per entry it keeps). */
static int take_present(struct swmsi_ctx *ctx, struct snapshot_hwpt *h)
{
	size_t cnt = 0;
	int rc;

	rc = swmsi_hwpt_msi_present(ctx, h->id, NULL, 0, &cnt);
	if (rc)
		return rc;
	h->present = zalloc(cnt, sizeof(*h->present));
	if (!h->present)
		return -ENOMEM;
	rc = swmsi_hwpt_msi_present(ctx, h->id, h->present, cnt, &h->npresent);
	if (h->npresent > cnt)
		h->npresent = cnt;
	return rc;
}

static int take_cookie(struct swmsi_ctx *ctx, struct snapshot_hwpt *h)
{
	size_t cnt = 0;
	int rc;

	rc = swmsi_hwpt_msi_cookie(ctx, h->id, &h->cookie, NULL, 0, &cnt);
	if (rc)
		return rc;
	h->cookie_pages = zalloc(cnt, sizeof(*h->cookie_pages));
	if (!h->cookie_pages)
		return -ENOMEM;
	rc = swmsi_hwpt_msi_cookie(ctx, h->id, &h->cookie, h->cookie_pages, cnt, &h->ncookie_pages);
	if (h->ncookie_pages > cnt)
		h->ncookie_pages = cnt;
	return rc;
}

static int take_hwpt(struct swmsi_ctx *ctx, struct mock_iommu *mock, struct snapshot_hwpt *h,
		     uint32_t id, unsigned int flags)
{
	int rc;

	h->id = id;
	rc = swmsi_hwpt_info(ctx, id, &h->info);
	if (!rc && !(flags & SNAPSHOT__NO_TABLE))
		rc = take_present(ctx, h);
	if (!rc)
		rc = take_cookie(ctx, h);
	if (rc)
		return rc;
	h->serial = h->info.domain ? mock_iommu_domain_serial(mock, h->info.domain) : 0;
	if (h->info.type == SWMSI_OBJ_HWPT_NESTED)
		return take_mappings(ctx, swmsi_hwpt_nested_mappings, id, &h->s1, &h->ns1);
	return 0;
}

static int take_dev(struct swmsi_ctx *ctx, struct snapshot_dev *d, uint32_t id)
{
	size_t cnt = 0, i;
	int rc;

	d->id = id;
	rc = swmsi_device_info(ctx, id, &d->info);
	if (!rc)
		rc = swmsi_device_vectors(ctx, id, NULL, 0, &cnt);
	if (rc)
		return rc;
	d->vecs = zalloc(cnt, sizeof(*d->vecs));
	d->fire = zalloc(cnt, sizeof(*d->fire));
	if (!d->vecs || !d->fire)
		return -ENOMEM;
	rc = swmsi_device_vectors(ctx, id, d->vecs, cnt, &d->nvecs);
	if (rc)
		return rc;
	if (d->nvecs > cnt)
		d->nvecs = cnt;
	for (i = 0; i < d->nvecs; i++) {
		d->fire[i].paddr = 0;
		d->fire[i].rc = swmsi_msi_fire(ctx, id, d->vecs[i].vec, &d->fire[i].paddr);
		if (d->fire[i].rc)
			d->fire[i].paddr = 0;
	}
	return 0;
}

/* The domain of paging HWPT @h, once per domain. */
static int take_dom(struct mock_iommu *mock, struct snapshot *sn, const struct snapshot_hwpt *h,
		    unsigned int flags)
{
	struct snapshot_dom *dm;
	size_t cnt = 0;
	int rc;

	if (h->info.type != SWMSI_OBJ_HWPT_PAGING || !h->info.domain ||
	    snapshot_dom(sn, h->info.domain))
		return 0;
	dm = &sn->doms[sn->ndoms];
	dm->domain = h->info.domain;
	dm->serial = h->serial;
	if (flags & SNAPSHOT_NO_RANGES) {
		sn->ndoms++;
		return 0;
	}
	rc = mock_iommu_ranges(mock, h->info.domain, NULL, 0, &cnt);
	if (rc)
		return rc;
	dm->ranges = zalloc(cnt, sizeof(*dm->ranges));
	if (!dm->ranges)
		return -ENOMEM;
	sn->ndoms++;
	rc = mock_iommu_ranges(mock, h->info.domain, dm->ranges, cnt, &dm->nranges);
	if (dm->nranges > cnt)
		dm->nranges = cnt;
	return rc;
}

static int cmp_dom(const void *a, const void *b)
{
	const struct snapshot_dom *x = a, *y = b;

	return (x->serial > y->serial) - (x->serial < y->serial);
}

static int take_objs(struct swmsi_ctx *ctx, struct snapshot *sn)
{
	size_t cnt = 0;
	int rc;

	rc = swmsi_obj_list(ctx, NULL, 0, &cnt);
	if (rc)
		return rc;
	sn->objs = zalloc(cnt, sizeof(*sn->objs));
	sn->ioas = zalloc(cnt, sizeof(*sn->ioas));
	sn->hwpts = zalloc(cnt, sizeof(*sn->hwpts));
	sn->devs = zalloc(cnt, sizeof(*sn->devs));
	sn->doms = zalloc(cnt, sizeof(*sn->doms));
	if (!sn->objs || !sn->ioas || !sn->hwpts || !sn->devs || !sn->doms)
		return -ENOMEM;
	rc = swmsi_obj_list(ctx, sn->objs, cnt, &sn->nobjs);
	if (sn->nobjs > cnt)
		sn->nobjs = cnt;
	return rc;
}

/* Every object by its kind; the lists stay ascending by id, as obj_list is. */
static int take_each(struct swmsi_ctx *ctx, struct mock_iommu *mock, struct snapshot *sn,
		     unsigned int flags)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < sn->nobjs && !rc; i++) {
		uint32_t id = sn->objs[i].id;

		switch (sn->objs[i].type) {
		case SWMSI_OBJ_IOAS:
			rc = take_ioas(ctx, &sn->ioas[sn->nioas++], id);
			break;
		case SWMSI_OBJ_HWPT_PAGING:
		case SWMSI_OBJ_HWPT_NESTED:
			rc = take_hwpt(ctx, mock, &sn->hwpts[sn->nhwpts++], id, flags);
			break;
		case SWMSI_OBJ_DEVICE:
			rc = take_dev(ctx, &sn->devs[sn->ndevs++], id);
			break;
		case SWMSI_OBJ_NONE:
			rc = -EINVAL; /* obj_list never lists one */
			break;
		}
	}
	for (i = 0; i < sn->nhwpts && !rc; i++)
		rc = take_dom(mock, sn, &sn->hwpts[i], flags);
	if (!rc && sn->ndoms)
		qsort(sn->doms, sn->ndoms, sizeof(*sn->doms), cmp_dom);
	return rc;
}

/* The whole table, counted first; sn->table_size becomes its size. */
static int take_maps(struct swmsi_ctx *ctx, struct snapshot *sn)
{
	size_t cnt = 0;
	int rc;

	rc = swmsi_msi_map_list(ctx, NULL, 0, &cnt);
	if (rc)
		return rc;
	sn->maps = zalloc(cnt, sizeof(*sn->maps));
	if (!sn->maps)
		return -ENOMEM;
	rc = swmsi_msi_map_list(ctx, sn->maps, cnt, &sn->nmaps);
	if (sn->nmaps > cnt)
		sn->nmaps = cnt;
	sn->table_size = sn->nmaps;
	return rc;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* The objects among @ids (sorted, each once) that exist, with their kinds. */
static int take_some_objs(struct swmsi_ctx *ctx, struct snapshot *sn, uint32_t *ids, size_t n)
{
	size_t i;
	int rc;

	sn->objs = zalloc(n, sizeof(*sn->objs));
	sn->ioas = zalloc(n, sizeof(*sn->ioas));
	sn->hwpts = zalloc(n, sizeof(*sn->hwpts));
	sn->devs = zalloc(n, sizeof(*sn->devs));
	sn->doms = zalloc(n, sizeof(*sn->doms));
	if (!sn->objs || !sn->ioas || !sn->hwpts || !sn->devs || !sn->doms)
		return -ENOMEM;
	if (n)
		qsort(ids, n, sizeof(*ids), cmp_u32);
	for (i = 0; i < n; i++) {
		struct swmsi_obj_info *o = &sn->objs[sn->nobjs];

		if (!ids[i] || (i && ids[i] == ids[i - 1]))
			continue;
		rc = swmsi_obj_type(ctx, ids[i], &o->type);
		if (rc == -ENOENT)
			continue;
		if (rc)
			return rc;
		o->id = ids[i];
		sn->nobjs++;
	}
	return 0;
}

int snapshot__take_ids(struct swmsi_ctx *ctx, struct mock_iommu *mock, uint32_t *ids, size_t n,
		       unsigned int flags, struct snapshot *sn)
{
	int rc;

	if (!sn)
		return -EINVAL;
	memset(sn, 0, sizeof(*sn));
	if (!ctx || !mock || (n && !ids))
		return -EINVAL;
	rc = flags & SNAPSHOT_COUNTERS ? swmsi_ctx_stats(ctx, &sn->stats) : 0;
	if (!rc)
		rc = take_some_objs(ctx, sn, ids, n);
	if (!rc)
		rc = take_each(ctx, mock, sn, flags);
	if (!rc && !(flags & SNAPSHOT__NO_TABLE))
		rc = take_maps(ctx, sn);
	if (rc) {
		snapshot_free(sn);
		return rc;
	}
	if (flags & SNAPSHOT_COUNTERS) {
		sn->mock_domains = mock_iommu_domain_count(mock);
		sn->mock_pages = mock_iommu_mapped_pages(mock, NULL);
	}
	sn->valid = true;
	sn->partial = true;
	return 0;
}

int snapshot_take_ids(struct swmsi_ctx *ctx, struct mock_iommu *mock, uint32_t *ids, size_t n,
		      unsigned int flags, struct snapshot *sn)
{
	return snapshot__take_ids(ctx, mock, ids, n, flags, sn);
}

int snapshot_take(struct swmsi_ctx *ctx, struct mock_iommu *mock, struct snapshot *sn)
{
	int rc;

	if (!sn)
		return -EINVAL;
	memset(sn, 0, sizeof(*sn));
	if (!ctx || !mock)
		return -EINVAL;
	rc = swmsi_ctx_stats(ctx, &sn->stats);
	if (!rc)
		rc = take_objs(ctx, sn);
	if (!rc)
		rc = take_each(ctx, mock, sn, 0);
	if (!rc)
		rc = take_maps(ctx, sn);
	if (rc) {
		snapshot_free(sn);
		return rc;
	}
	sn->mock_domains = mock_iommu_domain_count(mock);
	sn->mock_pages = mock_iommu_mapped_pages(mock, NULL);
	sn->valid = true;
	return 0;
}

void snapshot_free(struct snapshot *sn)
{
	size_t i;

	if (!sn)
		return;
	for (i = 0; sn->ioas && i < sn->nioas; i++) {
		free(sn->ioas[i].maps);
		free(sn->ioas[i].resv);
	}
	for (i = 0; sn->hwpts && i < sn->nhwpts; i++) {
		free(sn->hwpts[i].present);
		free(sn->hwpts[i].s1);
		free(sn->hwpts[i].cookie_pages);
	}
	for (i = 0; sn->devs && i < sn->ndevs; i++) {
		free(sn->devs[i].vecs);
		free(sn->devs[i].fire);
	}
	for (i = 0; sn->doms && i < sn->ndoms; i++)
		free(sn->doms[i].ranges);
	free(sn->objs);
	free(sn->ioas);
	free(sn->hwpts);
	free(sn->devs);
	free(sn->maps);
	free(sn->doms);
	free(sn->pages);
	memset(sn, 0, sizeof(*sn));
}

/* ---------------------------------------------------------------------- */
/* Lookups                                                                */

/*
 * Each list is ascending by id (obj_list's order, kept by take_each), so a
 * lookup is a binary search: checks that look objects up stay cheap with a
 * hundred thousand of them.
 */
#define FIND_BY_ID(arr, n, key)                              \
	do {                                                 \
		size_t lo_ = 0, hi_ = (n);                   \
		while (lo_ < hi_) {                          \
			size_t mid_ = lo_ + (hi_ - lo_) / 2; \
			if ((arr)[mid_].id == (key))         \
				return &(arr)[mid_];         \
			if ((arr)[mid_].id < (key))          \
				lo_ = mid_ + 1;              \
			else                                 \
				hi_ = mid_;                  \
		}                                            \
		return NULL;                                 \
	} while (0)

const struct snapshot_ioas *snapshot_ioas(const struct snapshot *sn, uint32_t id)
{
	if (!sn)
		return NULL;
	FIND_BY_ID(sn->ioas, sn->nioas, id);
}

const struct snapshot_hwpt *snapshot_hwpt(const struct snapshot *sn, uint32_t id)
{
	if (!sn)
		return NULL;
	FIND_BY_ID(sn->hwpts, sn->nhwpts, id);
}

const struct snapshot_dev *snapshot_dev(const struct snapshot *sn, uint32_t id)
{
	if (!sn)
		return NULL;
	FIND_BY_ID(sn->devs, sn->ndevs, id);
}

const struct snapshot_dom *snapshot_dom(const struct snapshot *sn, const void *domain)
{
	size_t i;

	for (i = 0; sn && i < sn->ndoms; i++)
		if (sn->doms[i].domain == domain)
			return &sn->doms[i];
	return NULL;
}

const struct swmsi_msi_map_info *snapshot_map(const struct snapshot *sn, uint32_t id)
{
	if (!sn)
		return NULL;
	FIND_BY_ID(sn->maps, sn->nmaps, id);
}

const struct snapshot_hwpt *snapshot_paging_of(const struct snapshot *sn,
					       const struct snapshot_hwpt *h)
{
	if (h && h->info.type == SWMSI_OBJ_HWPT_NESTED)
		return snapshot_hwpt(sn, h->info.parent_id);
	return h;
}
