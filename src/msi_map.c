/* SPDX-License-Identifier: MIT */
/*
 * The fd-global MSI table: doorbell page -> {id, slot}, one per context, so
 * a doorbell has one IOVA in every domain (mirrors the kernel's
 * iommufd_sw_msi_get_map(), which scans a list; here a hash keyed by window
 * start and page makes the lookup O(1) expected).
 *
 * The table stores; the scheme decides (scheme_native.c: ids and slots
 * lowest-free, bounded, recycled under SWMSI_RECLAIM_UNUSED;
 * scheme_kernel.c: a never-decreasing id counter and 1 + the highest slot).
 * A container: it calls nothing of the core but alloc.c and bitmap.c.
 */
#include <stdlib.h>
#include <string.h>

#include "ctx.h"

/* Before the context is shared: nothing to lock yet. */
void swmsi__msi_table_init(struct swmsi_ctx *ctx)
{
	memset(&ctx->msi, 0, sizeof(ctx->msi));
	LIST_INIT(&ctx->msi.spaces);
}

static void space_free(struct swmsi_slot_space *space)
{
	swmsi__bitmap_release(&space->slots);
	free(space->by_slot);
	free(space);
}

void swmsi__msi_table_fini(struct swmsi_ctx *ctx)
{
	struct swmsi_slot_space *space;
	size_t i;

	swmsi__assert_locked(ctx);
	for (i = 0; i < ctx->msi.nbuckets; i++) {
		struct swmsi_msi_map *map = ctx->msi.buckets[i], *next;

		for (; map; map = next) {
			next = map->hnext;
			free(map);
		}
	}
	free(ctx->msi.buckets);
	free(ctx->msi.by_id);
	swmsi__bitmap_release(&ctx->msi.ids);
	while ((space = LIST_FIRST(&ctx->msi.spaces))) {
		LIST_REMOVE(space, link);
		space_free(space);
	}
	memset(&ctx->msi, 0, sizeof(ctx->msi));
}

struct swmsi_slot_space *swmsi__msi_space_find(struct swmsi_ctx *ctx, uint64_t start)
{
	struct swmsi_slot_space *space;

	swmsi__assert_locked(ctx);
	/* slot spaces are few (one per distinct SW_MSI window), not per page */
	LIST_FOREACH(space, &ctx->msi.spaces, link) {
		if (space->start == start)
			return space;
	}
	return NULL;
}

/* Grow the bucket array ahead of an insert; the rehash itself cannot fail. */
static int table_reserve(struct swmsi_ctx *ctx, size_t count)
{
	struct swmsi_msi_table *t = &ctx->msi;
	struct swmsi_msi_map **nb;
	size_t nn, i;

	swmsi__assert_locked(ctx);
	if (count * 4 <= t->nbuckets * 3)
		return 0;
	nn = t->nbuckets ? t->nbuckets * 2 : 16;
	nb = swmsi__calloc(ctx, nn, sizeof(*nb));
	if (!nb)
		return -ENOMEM;
	for (i = 0; i < t->nbuckets; i++) {
		struct swmsi_msi_map *map = t->buckets[i], *next;

		for (; map; map = next) {
			size_t b = swmsi__msi_hash(map->win_start, map->page) & (nn - 1);

			next = map->hnext;
			map->hnext = nb[b];
			nb[b] = map;
		}
	}
	free(t->buckets);
	t->buckets = nb;
	t->nbuckets = nn;
	return 0;
}

/* Room for one more entry (id @id, slot @slot of @space) in every index. */
static int table_room(struct swmsi_ctx *ctx, struct swmsi_slot_space *space, uint32_t id,
		      uint32_t slot, size_t nslots)
{
	int rc;

	swmsi__assert_locked(ctx);
	/* KERNEL's slots may pass the window's end: room follows the slot */
	rc = swmsi__bitmap_reserve_capped(ctx, &space->slots, (size_t)slot + 1,
					  nslots > slot ? nslots : (size_t)slot + 1);
	if (rc)
		return rc;
	rc = swmsi__array_grow(ctx, &space->by_slot, &space->by_slot_cap, (size_t)slot + 1, 16,
			       nslots > slot ? nslots : (size_t)slot + 1, sizeof(*space->by_slot));
	if (rc)
		return rc;
	rc = swmsi__bitmap_reserve_capped(ctx, &ctx->msi.ids, (size_t)id + 1, ctx->max_msi_maps);
	if (rc)
		return rc;
	rc = swmsi__array_grow(ctx, &ctx->msi.by_id, &ctx->msi.by_id_cap, (size_t)id + 1, 16,
			       ctx->max_msi_maps, sizeof(*ctx->msi.by_id));
	if (rc)
		return rc;
	return table_reserve(ctx, ctx->msi.count + 1);
}

int swmsi__msi_map_prepare(struct swmsi_ctx *ctx, uint64_t win_start, uint64_t win_size,
			   uint64_t page, uint32_t id, uint32_t slot, struct swmsi_msi_map_new *nm)
{
	struct swmsi_slot_space *space = swmsi__msi_space_find(ctx, win_start);
	uint64_t nslots64 = win_size >> ctx->page_shift;
	size_t nslots = nslots64 > SIZE_MAX ? SIZE_MAX : (size_t)nslots64;
	int rc;

	swmsi__assert_locked(ctx);
	memset(nm, 0, sizeof(*nm));
	if (!space) {
		space = swmsi__calloc(ctx, 1, sizeof(*space));
		if (!space)
			return -ENOMEM;
		space->start = win_start;
		nm->new_space = space;
	}
	nm->map = swmsi__calloc(ctx, 1, sizeof(*nm->map));
	if (!nm->map) {
		rc = -ENOMEM;
		goto err_free_space;
	}
	/* grown bitmaps and tables stay on failure: capacity is not state */
	rc = table_room(ctx, space, id, slot, nslots);
	if (rc)
		goto err_free_map;
	if (space->size < win_size)
		nm->win_size = win_size;
	nm->map->id = id;
	nm->map->slot = slot;
	nm->map->page = page;
	nm->map->space = space;
	nm->map->win_start = space->start;
	return 0;

err_free_map:
	free(nm->map);
	nm->map = NULL;
err_free_space:
	if (nm->new_space)
		space_free(nm->new_space);
	nm->new_space = NULL;
	return rc;
}

/* Link a new slot space in ascending order of start. */
static void space_insert(struct swmsi_ctx *ctx, struct swmsi_slot_space *space)
{
	struct swmsi_slot_space *at = LIST_FIRST(&ctx->msi.spaces);

	swmsi__assert_locked(ctx);
	if (!at || at->start > space->start) {
		LIST_INSERT_HEAD(&ctx->msi.spaces, space, link);
		return;
	}
	while (LIST_NEXT(at, link) && LIST_NEXT(at, link)->start < space->start)
		at = LIST_NEXT(at, link);
	LIST_INSERT_AFTER(at, space, link);
}

void swmsi__msi_map_commit(struct swmsi_ctx *ctx, struct swmsi_msi_map_new *nm)
{
	struct swmsi_msi_map *map = nm->map;
	size_t b;

	swmsi__assert_locked(ctx);
	if (nm->new_space)
		space_insert(ctx, nm->new_space);
	if (nm->win_size)
		map->space->size = nm->win_size;
	swmsi__bitmap_set(&ctx->msi.ids, map->id);
	swmsi__bitmap_set(&map->space->slots, map->slot);
	map->space->by_slot[map->slot] = map;
	map->space->nmaps++;
	if (map->slot + 1 > map->space->top)
		map->space->top = map->slot + 1;
	ctx->msi.ids_ever++;
	ctx->msi.by_id[map->id] = map;
	b = swmsi__msi_hash(map->win_start, map->page) & (ctx->msi.nbuckets - 1);
	map->hnext = ctx->msi.buckets[b];
	ctx->msi.buckets[b] = map;
	ctx->msi.count++;
	memset(nm, 0, sizeof(*nm));
}

void swmsi__msi_map_abort(struct swmsi_ctx *ctx, struct swmsi_msi_map_new *nm)
{
	swmsi__assert_locked(ctx);
	free(nm->map);
	if (nm->new_space)
		space_free(nm->new_space);
	memset(nm, 0, sizeof(*nm));
}

static void msi_map_unlink(struct swmsi_ctx *ctx, struct swmsi_msi_map *map)
{
	struct swmsi_msi_map **pp;
	size_t b = swmsi__msi_hash(map->win_start, map->page) & (ctx->msi.nbuckets - 1);

	swmsi__assert_locked(ctx);
	for (pp = &ctx->msi.buckets[b]; *pp != map; pp = &(*pp)->hnext)
		assert(*pp);
	*pp = map->hnext;
	ctx->msi.count--;
	ctx->msi.by_id[map->id] = NULL;
	swmsi__bitmap_clear(&ctx->msi.ids, map->id);
	swmsi__bitmap_clear(&map->space->slots, map->slot);
	map->space->by_slot[map->slot] = NULL;
	if (--map->space->nmaps == 0) {
		LIST_REMOVE(map->space, link);
		space_free(map->space);
	}
}

void swmsi__msi_map_reclaim(struct swmsi_ctx *ctx, struct swmsi_msi_map *map)
{
	swmsi__assert_locked(ctx);
	/*
	 * No vector uses it, so no group requires it and each group's domain
	 * has dropped it already, unless a backend unmapped short: then the
	 * entry stays (a hit revives it) until its last holder lets go, so an
	 * id is never reused under a stale mapping. O(1): no sweep.
	 */
	if (ctx->reclaim != SWMSI_RECLAIM_UNUSED || map->vectors || map->holders)
		return;
	msi_map_unlink(ctx, map);
	free(map);
}

bool swmsi__msi_spaces_conflict(struct swmsi_ctx *ctx, uint64_t start, uint64_t size)
{
	struct swmsi_slot_space *space;

	swmsi__assert_locked(ctx);
	LIST_FOREACH(space, &ctx->msi.spaces, link) {
		if (space->start != start &&
		    swmsi__ranges_overlap(start, size, space->start, space->size))
			return true;
	}
	return false;
}

/* Introspection: the table, lowest id first (empty under DMA_IOMMU, whose
 * scheme never uses it). */
int swmsi_msi_map_list(struct swmsi_ctx *ctx, struct swmsi_msi_map_info *maps, size_t cap,
		       size_t *count)
{
	size_t id, n = 0;

	if (!ctx || !count || (cap && !maps))
		return -EINVAL;
	swmsi__lock(ctx);
	swmsi__bitmap_for_each_set(id, &ctx->msi.ids) {
		const struct swmsi_msi_map *map = ctx->msi.by_id[id];

		if (n < cap) {
			/* zeroed first: callers may memcmp snapshots */
			memset(&maps[n], 0, sizeof(maps[n]));
			maps[n].id = map->id;
			maps[n].slot = map->slot;
			maps[n].sw_msi_start = map->space->start;
			maps[n].msi_page = map->page;
			maps[n].iova = swmsi__msi_map_iova(map, ctx->page_shift);
			maps[n].vectors = map->vectors;
		}
		n++;
	}
	*count = n;
	swmsi__unlock(ctx);
	return 0;
}
