/* SPDX-License-Identifier: MIT */
/*
 * Introspection of the MSI table by key: one entry by id or by window and
 * doorbell page, the entries in a range of a window's slots, and the
 * windows the table numbers slots in. A caller that checks what one step
 * touched reads those entries and nothing else: each lookup costs O(1)
 * expected (a slot range O(its words + the entries found), the window
 * list O(windows)), where swmsi_msi_map_list() walks the whole table.
 */
#include <string.h>

#include "ctx.h"

/* zeroed first: callers may memcmp what they read */
static void fill_info(const struct swmsi_ctx *ctx, const struct swmsi_msi_map *map,
		      struct swmsi_msi_map_info *info)
{
	memset(info, 0, sizeof(*info));
	info->id = map->id;
	info->slot = map->slot;
	info->sw_msi_start = map->space->start;
	info->msi_page = map->page;
	info->iova = swmsi__msi_map_iova(map, ctx->page_shift);
	info->vectors = map->vectors;
}

int swmsi_msi_map_get(struct swmsi_ctx *ctx, uint32_t id, struct swmsi_msi_map_info *info)
{
	const struct swmsi_msi_map *map;
	int rc = -ENOENT;

	if (!ctx || !info)
		return -EINVAL;
	swmsi__lock(ctx);
	map = swmsi__msi_map_by_id(&ctx->msi, id);
	if (map) {
		fill_info(ctx, map, info);
		rc = 0;
	}
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_msi_map_find(struct swmsi_ctx *ctx, uint64_t sw_msi_start, uint64_t msi_addr,
		       struct swmsi_msi_map_info *info)
{
	const struct swmsi_msi_map *map;
	int rc = -ENOENT;

	if (!ctx || !info)
		return -EINVAL;
	swmsi__lock(ctx);
	/* the table's key: the window's start and the page, as msi_alloc
	 * rounds the doorbell address */
	map = swmsi__msi_map_lookup(&ctx->msi, sw_msi_start, msi_addr & ~(ctx->page_size - 1));
	if (map) {
		fill_info(ctx, map, info);
		rc = 0;
	}
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_msi_map_slot_list(struct swmsi_ctx *ctx, uint64_t sw_msi_start, uint32_t first_slot,
			    uint64_t nslots, struct swmsi_msi_map_info *maps, size_t cap,
			    size_t *count)
{
	const struct swmsi_slot_space *space;
	uint64_t end = (uint64_t)first_slot + nslots;
	size_t slot, limit, n = 0;

	if (!ctx || !count || (cap && !maps))
		return -EINVAL;
	/* slots are 32-bit: a range past the last one ends there */
	if (nslots > UINT64_C(1) << 32 || end > UINT64_C(1) << 32)
		end = UINT64_C(1) << 32;
	limit = end > SIZE_MAX ? SIZE_MAX : (size_t)end;
	swmsi__lock(ctx);
	space = swmsi__msi_space_find(ctx, sw_msi_start);
	/* the slot bitmap skips empty words: a range costs its own words
	 * (none past the bitmap's end), however far the next entry lies */
	for (slot = space ? swmsi__bitmap_next_set_below(&space->slots, first_slot, limit)
			  : SIZE_MAX;
	     slot != SIZE_MAX;
	     slot = swmsi__bitmap_next_set_below(&space->slots, slot + 1, limit)) {
		if (n < cap)
			fill_info(ctx, space->by_slot[slot], &maps[n]);
		n++;
	}
	*count = n;
	swmsi__unlock(ctx);
	return 0;
}

int swmsi_msi_map_window_list(struct swmsi_ctx *ctx, struct swmsi_msi_window_info *windows,
			      size_t cap, size_t *count)
{
	const struct swmsi_slot_space *space;
	size_t n = 0;

	if (!ctx || !count || (cap && !windows))
		return -EINVAL;
	swmsi__lock(ctx);
	LIST_FOREACH(space, &ctx->msi.spaces, link) {
		if (n < cap) {
			memset(&windows[n], 0, sizeof(windows[n]));
			windows[n].sw_msi_start = space->start;
			windows[n].size = space->size;
			windows[n].entries = space->nmaps;
		}
		n++;
	}
	*count = n;
	swmsi__unlock(ctx);
	return 0;
}
