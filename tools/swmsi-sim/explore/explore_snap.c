/* SPDX-License-Identifier: MIT */
/*
 * The explorer's whole-state snapshot: the same struct snapshot, the same
 * contents and order as tools/snapshot's snapshot_take() (so xfp_of() and
 * the invariants read it unchanged), but its lists live in a worker's
 * arena, reset before each take instead of a calloc and a free per list,
 * and each list is read once into a guessed room (again only when it did
 * not fit) instead of once for its length and once for its contents. A
 * checked step took a quarter of its time in snapshot_take()'s mallocs and
 * double walks (docs/performance.md). Never snapshot_free() one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "explore.h"

/* Room guessed for a list before its length is known. */
#define GUESS 16

struct xblock {
	struct xblock *next;
	size_t size, used;
	max_align_t data[];
};

/* @n elements of @size, zeroed, from @a. NULL: out of memory. */
static void *xa_alloc(struct xarena *a, size_t n, size_t size)
{
	size_t want = (n ? n : 1) * size, round = sizeof(max_align_t);
	struct xblock *b;
	void *p;

	want = (want + round - 1) / round * round;
	for (b = a->cur; b; b = b->next) {
		a->cur = b;
		if (b->size - b->used >= want)
			break;
	}
	if (!b) {
		size_t sz = want > 65536 ? want : 65536;

		b = malloc(sizeof(*b) + sz);
		if (!b)
			return NULL;
		b->next = NULL;
		b->size = sz;
		b->used = 0;
		if (a->cur)
			a->cur->next = b;
		else
			a->head = b;
		a->cur = b;
	}
	p = (char *)b->data + b->used;
	b->used += want;
	memset(p, 0, want);
	return p;
}

static void xa_reset(struct xarena *a)
{
	struct xblock *b;

	for (b = a->head; b; b = b->next)
		b->used = 0;
	a->cur = a->head;
}

void xarena_free(struct xarena *a)
{
	struct xblock *b, *n;

	for (b = a->head; b; b = n) {
		n = b->next;
		free(b);
	}
	a->head = a->cur = NULL;
}

typedef int (*mapping_list_fn)(struct swmsi_ctx *ctx, uint32_t id, struct swmsi_mapping *maps,
			       size_t cap, size_t *count);

/*
 * A list read into room for @cap guessed, then, when there are more, into
 * room for all: the body of each take_*() below. @call lists into (@buf,
 * @cap, &@n).
 */
#define TAKE_LIST(a, buf, n, call)                                   \
	do {                                                         \
		size_t cap_ = GUESS;                                 \
		int rc_;                                             \
		for (;;) {                                           \
			(buf) = xa_alloc((a), cap_, sizeof(*(buf))); \
			if (!(buf))                                  \
				return -ENOMEM;                      \
			rc_ = (call);                                \
			if (rc_ || (n) <= cap_)                      \
				return rc_;                          \
			cap_ = (n);                                  \
		}                                                    \
	} while (0)

static int take_mappings(struct xarena *a, struct swmsi_ctx *ctx, mapping_list_fn list, uint32_t id,
			 struct swmsi_mapping **out, size_t *n)
{
	TAKE_LIST(a, *out, *n, list(ctx, id, *out, cap_, n));
}

static int take_present(struct xarena *a, struct swmsi_ctx *ctx, struct snapshot_hwpt *h)
{
	TAKE_LIST(a, h->present, h->npresent,
		  swmsi_hwpt_msi_present(ctx, h->id, h->present, cap_, &h->npresent));
}

static int take_cookie(struct xarena *a, struct swmsi_ctx *ctx, struct snapshot_hwpt *h)
{
	TAKE_LIST(a, h->cookie_pages, h->ncookie_pages,
		  swmsi_hwpt_msi_cookie(ctx, h->id, &h->cookie, h->cookie_pages, cap_,
					&h->ncookie_pages));
}

static int take_hwpt(struct xarena *a, struct swmsi_ctx *ctx, struct mock_iommu *mock,
		     struct snapshot_hwpt *h, uint32_t id)
{
	int rc;

	h->id = id;
	rc = swmsi_hwpt_info(ctx, id, &h->info);
	if (!rc)
		rc = take_present(a, ctx, h);
	if (!rc)
		rc = take_cookie(a, ctx, h);
	if (rc)
		return rc;
	h->serial = h->info.domain ? mock_iommu_domain_serial(mock, h->info.domain) : 0;
	if (h->info.type == SWMSI_OBJ_HWPT_NESTED)
		return take_mappings(a, ctx, swmsi_hwpt_nested_mappings, id, &h->s1, &h->ns1);
	return 0;
}

static int take_vecs(struct xarena *a, struct swmsi_ctx *ctx, struct snapshot_dev *d)
{
	TAKE_LIST(a, d->vecs, d->nvecs, swmsi_device_vectors(ctx, d->id, d->vecs, cap_, &d->nvecs));
}

static int take_dev(struct xarena *a, struct swmsi_ctx *ctx, struct snapshot_dev *d, uint32_t id)
{
	size_t i;
	int rc;

	d->id = id;
	rc = swmsi_device_info(ctx, id, &d->info);
	if (!rc)
		rc = take_vecs(a, ctx, d);
	if (rc)
		return rc;
	d->fire = xa_alloc(a, d->nvecs, sizeof(*d->fire));
	if (!d->fire)
		return -ENOMEM;
	for (i = 0; i < d->nvecs; i++) {
		d->fire[i].paddr = 0;
		d->fire[i].rc = swmsi_msi_fire(ctx, id, d->vecs[i].vec, &d->fire[i].paddr);
		if (d->fire[i].rc)
			d->fire[i].paddr = 0;
	}
	return 0;
}

static int take_ranges(struct xarena *a, struct mock_iommu *mock, struct snapshot_dom *dm)
{
	TAKE_LIST(a, dm->ranges, dm->nranges,
		  mock_iommu_ranges(mock, dm->domain, dm->ranges, cap_, &dm->nranges));
}

/* The domain of paging HWPT @h, once per domain. */
static int take_dom(struct xarena *a, struct mock_iommu *mock, struct snapshot *sn,
		    const struct snapshot_hwpt *h)
{
	struct snapshot_dom *dm;

	if (h->info.type != SWMSI_OBJ_HWPT_PAGING || !h->info.domain ||
	    snapshot_dom(sn, h->info.domain))
		return 0;
	dm = &sn->doms[sn->ndoms++];
	dm->domain = h->info.domain;
	dm->serial = h->serial;
	return take_ranges(a, mock, dm);
}

static int cmp_dom(const void *a, const void *b)
{
	const struct snapshot_dom *x = a, *y = b;

	return (x->serial > y->serial) - (x->serial < y->serial);
}

static int take_objs(struct xarena *a, struct swmsi_ctx *ctx, struct snapshot *sn)
{
	TAKE_LIST(a, sn->objs, sn->nobjs, swmsi_obj_list(ctx, sn->objs, cap_, &sn->nobjs));
}

static int take_each_one(struct xarena *a, struct swmsi_ctx *ctx, struct mock_iommu *mock,
			 struct snapshot *sn, const struct swmsi_obj_info *o)
{
	switch (o->type) {
	case SWMSI_OBJ_IOAS: {
		struct snapshot_ioas *io = &sn->ioas[sn->nioas++];
		int rc;

		io->id = o->id;
		rc = take_mappings(a, ctx, swmsi_ioas_mappings, o->id, &io->maps, &io->nmaps);
		if (!rc)
			rc = take_mappings(a, ctx, swmsi_ioas_reserved, o->id, &io->resv,
					   &io->nresv);
		return rc;
	}
	case SWMSI_OBJ_HWPT_PAGING:
	case SWMSI_OBJ_HWPT_NESTED:
		return take_hwpt(a, ctx, mock, &sn->hwpts[sn->nhwpts++], o->id);
	case SWMSI_OBJ_DEVICE:
		return take_dev(a, ctx, &sn->devs[sn->ndevs++], o->id);
	default:
		return -EINVAL; /* obj_list never lists one */
	}
}

/* Every object by its kind; the lists stay ascending by id, as obj_list is. */
static int take_each(struct xarena *a, struct swmsi_ctx *ctx, struct mock_iommu *mock,
		     struct snapshot *sn)
{
	size_t i, n = sn->nobjs;
	int rc = 0;

	sn->ioas = xa_alloc(a, n, sizeof(*sn->ioas));
	sn->hwpts = xa_alloc(a, n, sizeof(*sn->hwpts));
	sn->devs = xa_alloc(a, n, sizeof(*sn->devs));
	sn->doms = xa_alloc(a, n, sizeof(*sn->doms));
	if (!sn->ioas || !sn->hwpts || !sn->devs || !sn->doms)
		return -ENOMEM;
	for (i = 0; i < n && !rc; i++)
		rc = take_each_one(a, ctx, mock, sn, &sn->objs[i]);
	for (i = 0; i < sn->nhwpts && !rc; i++)
		rc = take_dom(a, mock, sn, &sn->hwpts[i]);
	if (!rc && sn->ndoms > 1)
		qsort(sn->doms, sn->ndoms, sizeof(*sn->doms), cmp_dom);
	return rc;
}

static int take_maps(struct xarena *a, struct swmsi_ctx *ctx, struct snapshot *sn)
{
	TAKE_LIST(a, sn->maps, sn->nmaps, swmsi_msi_map_list(ctx, sn->maps, cap_, &sn->nmaps));
}

int xsnap_take(struct xarena *a, const struct sim *s, struct snapshot *sn)
{
	int rc;

	memset(sn, 0, sizeof(*sn));
	if (!s->ctx)
		return 0;
	xa_reset(a);
	rc = swmsi_ctx_stats(s->ctx, &sn->stats);
	if (!rc)
		rc = take_objs(a, s->ctx, sn);
	if (!rc)
		rc = take_each(a, s->ctx, s->mock, sn);
	if (!rc)
		rc = take_maps(a, s->ctx, sn);
	if (rc) {
		memset(sn, 0, sizeof(*sn));
		return rc;
	}
	sn->mock_domains = mock_iommu_domain_count(s->mock);
	sn->mock_pages = mock_iommu_mapped_pages(s->mock, NULL);
	sn->valid = true;
	return 0;
}
