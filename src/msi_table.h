/* SPDX-License-Identifier: MIT */
/*
 * libswmsi internals, layer 2 of 5: the fd-global MSI table (msi_map.c),
 * doorbell page -> {id, slot} per window, one per context. It stores; the
 * global schemes (NATIVE, KERNEL: scheme_global.h) decide which id and
 * slot a page gets. Below the object model: the context embeds the table
 * (no pointer on the hit path) and objects refer to its entries, while
 * the table knows no object. Its inlines take the table, not the context;
 * their callers hold ctx->lock.
 */
#ifndef SWMSI_MSI_TABLE_H
#define SWMSI_MSI_TABLE_H

#include "containers.h"

/*
 * One SW_MSI window as the table numbers it: the slots its entries take,
 * keyed by its start. Not a group's window (that is swmsi_group.win_start,
 * win_size) nor a census entry: a slot space lives while an entry does.
 */
struct swmsi_slot_space {
	uint64_t start;
	/* the largest window size that allocated here: entries may sit up to
	 * its end, so a window overlapping that range must share the start */
	uint64_t size;
	struct swmsi_bitmap slots;
	/* slot -> entry, grown with @slots: the point and range lookups of
	 * swmsi_msi_map_slot_list() walk @slots and read the entries here */
	struct swmsi_msi_map **by_slot;
	size_t by_slot_cap;
	uint32_t nmaps;
	uint32_t top; /* 1 + the highest slot ever given here (KERNEL's next) */
	LIST_ENTRY(swmsi_slot_space) link;
};

/* mirrors the kernel's struct iommufd_sw_msi_map: doorbell page -> {id, slot} */
struct swmsi_msi_map {
	uint32_t id;
	uint32_t slot;
	uint64_t page;
	/* space->start, kept here so the hit path's lookup and IOVA need no
	 * load through @space (a slot space's start never changes) */
	uint64_t win_start;
	struct swmsi_slot_space *space;
	uint32_t vectors;
	/* paging domains holding the page (present bit set): an entry no
	 * vector uses is freed only once none does, so its id never comes
	 * back under a mapping a short unmap left behind */
	uint32_t holders;
	/* RECLAIM_UNUSED: where a group's count of this id last sat in its
	 * idmap (swmsi__idmap_find_hinted()) */
	uint32_t count_hint;
	struct swmsi_msi_map *hnext; /* hash chain */
};

struct swmsi_msi_table {
	struct swmsi_msi_map **buckets;
	size_t nbuckets; /* 0 or a power of two */
	size_t count;
	struct swmsi_msi_map **by_id; /* id -> entry */
	size_t by_id_cap;
	struct swmsi_bitmap ids;
	uint32_t ids_ever; /* ids handed out since creation (KERNEL's counter) */
	/* ascending by start, so that swmsi_msi_map_window_list() copies them in
	 * order (a new start is rare: one per distinct SW_MSI window) */
	LIST_HEAD(, swmsi_slot_space) spaces;
};

void swmsi__msi_table_init(struct swmsi_ctx *ctx);
void swmsi__msi_table_fini(struct swmsi_ctx *ctx);
static inline size_t swmsi__msi_hash(uint64_t win_start, uint64_t page)
{
	/* one multiply, then the well-mixed high half folded onto the low
	 * bits the mask keeps (a page's low bits are zero): short on the hit
	 * path's chain of dependent loads, where splitmix64's three rounds
	 * cost more than the few collisions they save */
	uint64_t x =
		(win_start * UINT64_C(0x9e3779b97f4a7c15) ^ page) * UINT64_C(0xbf58476d1ce4e5b9);

	return (size_t)(x ^ (x >> 32));
}

/* The entry of a doorbell page in a window, or NULL: O(1) expected,
 * inline for the hit path. */
static inline struct swmsi_msi_map *swmsi__msi_map_lookup(const struct swmsi_msi_table *t,
							  uint64_t win_start, uint64_t page)
{
	struct swmsi_msi_map *map;

	if (!t->nbuckets)
		return NULL;
	map = t->buckets[swmsi__msi_hash(win_start, page) & (t->nbuckets - 1)];
	for (; map; map = map->hnext) {
		if (map->page == page && map->win_start == win_start)
			return map;
	}
	return NULL;
}

static inline struct swmsi_msi_map *swmsi__msi_map_by_id(const struct swmsi_msi_table *t,
							 uint32_t id)
{
	return id < t->by_id_cap ? t->by_id[id] : NULL;
}

/* The entry's IOVA with pages of 1 << @page_shift bytes (ctx->page_shift). */
static inline uint64_t swmsi__msi_map_iova(const struct swmsi_msi_map *map, unsigned int page_shift)
{
	/* KERNEL's slots are unbounded: the IOVA may lie past the window */
	return map->win_start + ((uint64_t)map->slot << page_shift);
}
struct swmsi_slot_space *swmsi__msi_space_find(struct swmsi_ctx *ctx, uint64_t start);
/*
 * Prepared creation of an entry with the id and slot the scheme chose:
 * everything fallible happens in _prepare (memory, room); _commit publishes
 * it and cannot fail; _abort undoes _prepare.
 */
struct swmsi_msi_map_new {
	struct swmsi_msi_map *map;
	struct swmsi_slot_space *new_space;
	uint64_t win_size; /* the slot space grows to this at commit, if set */
};
int swmsi__msi_map_prepare(struct swmsi_ctx *ctx, uint64_t win_start, uint64_t win_size,
			   uint64_t page, uint32_t id, uint32_t slot, struct swmsi_msi_map_new *nm);
void swmsi__msi_map_commit(struct swmsi_ctx *ctx, struct swmsi_msi_map_new *nm);
void swmsi__msi_map_abort(struct swmsi_ctx *ctx, struct swmsi_msi_map_new *nm);
/* Under RECLAIM_UNUSED: free an entry no vector uses once no domain holds it. */
void swmsi__msi_map_reclaim(struct swmsi_ctx *ctx, struct swmsi_msi_map *map);
/* A slot space at another start whose entries could overlap [start, +size). */
bool swmsi__msi_spaces_conflict(struct swmsi_ctx *ctx, uint64_t start, uint64_t size);

#endif /* SWMSI_MSI_TABLE_H */
