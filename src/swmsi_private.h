/* SPDX-License-Identifier: MIT */
/*
 * libswmsi internals. Never installed; nothing under include/ reaches it.
 *
 * Locking: one mutex per context, ctx->lock, guards every field of the
 * context and of every object in it (the kernel's sw_msi_lock and the
 * object table's lock folded into one). Each public entry point takes it
 * once; helpers that touch shared state begin with assert_locked(ctx) and
 * never lock. Backend ops run with it held. No user callback runs with it.
 *
 * Non-static internals shared between files carry the swmsi__ prefix so a
 * static libswmsi.a cannot collide with an embedder's symbols.
 */
#ifndef SWMSI_PRIVATE_H
#define SWMSI_PRIVATE_H

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bsd/sys/queue.h>
#include <bsd/sys/tree.h>

#include <swmsi/swmsi.h>

/* ------------------------------------------------------------------ */
/* Growable bitmaps and counter arrays (bitmap.c)                      */

/*
 * A bitmap sized on demand to the highest bit in use, never beyond the
 * bound its owner enforces. Plain (non-atomic) operations: every bitmap is
 * touched only under ctx->lock.
 */
struct swmsi_bitmap {
	uint64_t *words;
	size_t nwords;
	/* every word below this one is full: lowest-free searches start here,
	 * so allocating ids one after another stays O(1) amortised */
	size_t hint;
};

/*
 * Sparse per-id counters (idmap.c): the vectors a group has on each entry,
 * the groups needing each id on a domain. Sized by the ids in use, not by
 * the highest id, and iterated in O(ids in use).
 */
struct swmsi_idmap {
	uint32_t *keys; /* id + 1, 0 = empty */
	uint32_t *vals;
	size_t cap;	/* 0 or a power of two */
	size_t count;
};

struct swmsi_ctx;

int swmsi__bitmap_reserve(struct swmsi_ctx *ctx, struct swmsi_bitmap *bm, size_t nbits);
/* As swmsi__bitmap_reserve(), never holding more than @limit bits' words. */
int swmsi__bitmap_reserve_capped(struct swmsi_ctx *ctx, struct swmsi_bitmap *bm, size_t nbits,
				 size_t limit);
void swmsi__bitmap_release(struct swmsi_bitmap *bm);
bool swmsi__bitmap_test(const struct swmsi_bitmap *bm, size_t bit);
/* The bit must be inside the reserved size. */
void swmsi__bitmap_set(struct swmsi_bitmap *bm, size_t bit);
void swmsi__bitmap_clear(struct swmsi_bitmap *bm, size_t bit);
/* Lowest clear bit below @limit, or @limit when none (bits past the
 * reserved size count as clear). */
size_t swmsi__bitmap_first_zero(struct swmsi_bitmap *bm, size_t limit);
/* Lowest set bit at or above @from, or SIZE_MAX. */
size_t swmsi__bitmap_next_set(const struct swmsi_bitmap *bm, size_t from);
/* One past the highest set bit (0 when empty). */
size_t swmsi__bitmap_span(const struct swmsi_bitmap *bm);
size_t swmsi__bitmap_bytes(const struct swmsi_bitmap *bm);

/* Room for @n entries in all; inserting up to that never allocates. */
int swmsi__idmap_reserve(struct swmsi_ctx *ctx, struct swmsi_idmap *m, size_t n);
void swmsi__idmap_release(struct swmsi_idmap *m);
uint32_t swmsi__idmap_get(const struct swmsi_idmap *m, uint32_t id);
bool swmsi__idmap_contains(const struct swmsi_idmap *m, uint32_t id);
/* The counter of @id, or NULL if absent. */
uint32_t *swmsi__idmap_find(struct swmsi_idmap *m, uint32_t id);
/* The counter of @id, inserted at 0 if absent (room must be reserved). */
uint32_t *swmsi__idmap_slot(struct swmsi_idmap *m, uint32_t id);
void swmsi__idmap_remove(struct swmsi_idmap *m, uint32_t id);
/* Walk: pos = 0 starts; returns the next pos, or 0 at the end. The map
 * must not change during a walk. */
size_t swmsi__idmap_next(const struct swmsi_idmap *m, size_t pos, uint32_t *id);
size_t swmsi__idmap_bytes(const struct swmsi_idmap *m);

#define idmap_for_each(pos, id, m)                                                               \
	for ((pos) = swmsi__idmap_next((m), 0, &(id)); (pos); (pos) = swmsi__idmap_next((m), (pos), &(id)))

/* ------------------------------------------------------------------ */
/* Objects (ctx.c)                                                     */

enum swmsi_type {
	SWMSI_TYPE_IOAS = SWMSI_OBJ_IOAS,
	SWMSI_TYPE_HWPT_PAGING = SWMSI_OBJ_HWPT_PAGING,
	SWMSI_TYPE_HWPT_NESTED = SWMSI_OBJ_HWPT_NESTED,
	SWMSI_TYPE_DEVICE = SWMSI_OBJ_DEVICE,
	SWMSI_TYPE_ANY = 100,
	SWMSI_TYPE_HWPT, /* paging or nested */
};

/* Embedded first in every object, like iommufd's struct iommufd_object. */
struct swmsi_obj {
	uint32_t id;
	enum swmsi_type type;
	/* References that block destroy (-EBUSY): see each users++ site. */
	unsigned int users;
	RB_ENTRY(swmsi_obj) node;
};

RB_HEAD(swmsi_obj_tree, swmsi_obj);
/* RB_GENERATE_STATIC needs a __unused that libbsd leaves undefined, so the
 * trees are generated once, non-static, in the file that owns them. */
int swmsi__obj_cmp(const struct swmsi_obj *a, const struct swmsi_obj *b);
RB_PROTOTYPE(swmsi_obj_tree, swmsi_obj, node, swmsi__obj_cmp)

/* A user DMA mapping of an IOAS, or a stage-1 mapping of a nested HWPT. */
struct swmsi_area {
	uint64_t iova;
	uint64_t paddr;
	uint64_t length;
	uint32_t prot;
	RB_ENTRY(swmsi_area) node;
};
RB_HEAD(swmsi_area_tree, swmsi_area);

/* A SW_MSI window reserved on an IOAS by the groups attached under it. */
struct swmsi_resv {
	uint64_t start;
	uint64_t size;
	unsigned int groups;
	LIST_ENTRY(swmsi_resv) link;
};

struct swmsi_hwpt;

struct swmsi_ioas {
	struct swmsi_obj obj; /* users: paging HWPTs on it */
	struct swmsi_area_tree areas;
	TAILQ_HEAD(, swmsi_hwpt) hwpts;
	/* The automatic HWPT attach-to-IOAS uses; at most one, NULL if none. */
	struct swmsi_hwpt *auto_hwpt;
	LIST_HEAD(, swmsi_resv) resv;
};

/*
 * Paging and nested HWPTs share one struct; the fields of the other kind
 * stay zero. Everything MSI lives on the paging side: a nested HWPT installs
 * into its parent.
 */
struct swmsi_hwpt {
	struct swmsi_obj obj; /* users: groups attached directly + nested children */
	struct swmsi_ioas *ioas;
	uint32_t flags;
	unsigned int groups; /* groups attached to this HWPT itself */

	/* paging */
	void *domain;
	bool is_auto;
	TAILQ_ENTRY(swmsi_hwpt) ioas_link;
	unsigned int children;
	/* ids whose MSI page is mapped in this domain */
	struct swmsi_bitmap present;
	/* per id: groups on this domain (directly or via a child) requiring it;
	 * an id is absent rather than 0 */
	struct swmsi_idmap need;

	/* nested */
	struct swmsi_hwpt *parent;
	struct swmsi_area_tree s1; /* the guest's stage 1: iova -> ipa */
};

struct swmsi_group {
	uint32_t num;
	uint64_t win_start; /* reported by its devices, or SWMSI_PHYS_NONE */
	uint64_t win_size;
	unsigned int devices;	/* bound */
	unsigned int attached;	/* attached devices */
	struct swmsi_hwpt *hwpt; /* where the group sits; NULL when detached */
	/* ids this group requires (installed before it moves anywhere) */
	struct swmsi_bitmap required;
	/* per required id: this group's vectors on the entry. Its keys are
	 * exactly the required set, which is walked through it: O(ids the
	 * group requires), wherever in the id space they sit. */
	struct swmsi_idmap vecs;
	RB_ENTRY(swmsi_group) node;
};
RB_HEAD(swmsi_group_tree, swmsi_group);
int swmsi__group_cmp(const struct swmsi_group *a, const struct swmsi_group *b);
RB_PROTOTYPE(swmsi_group_tree, swmsi_group, node, swmsi__group_cmp)

struct swmsi_msi_map;

struct swmsi_vector {
	uint64_t msi_addr;
	uint64_t msg_addr;
	struct swmsi_msi_map *map; /* NULL: untranslated */
};

struct swmsi_device {
	struct swmsi_obj obj;
	struct swmsi_group *group;
	bool attached;
	/* vector handle -> vector; handles index the array, used marks live */
	struct swmsi_vector *vecs;
	struct swmsi_bitmap used;
	size_t nvecs_cap;
	uint32_t nvecs;
};

/* ------------------------------------------------------------------ */
/* The fd-global MSI table (msi_map.c)                                 */

/* One SW_MSI window's slot space, keyed by its start. */
struct swmsi_window {
	uint64_t start;
	/* the largest window size that allocated here: entries may sit up to
	 * its end, so a window overlapping that range must share the start */
	uint64_t size;
	struct swmsi_bitmap slots;
	uint32_t nmaps;
	LIST_ENTRY(swmsi_window) link;
};

/* mirrors the kernel's struct iommufd_sw_msi_map: doorbell page -> {id, slot} */
struct swmsi_msi_map {
	uint32_t id;
	uint32_t slot;
	uint64_t page;
	struct swmsi_window *win;
	uint32_t vectors;
	/* paging domains holding the page (present bit set): an entry no
	 * vector uses is freed only once none does, so its id never comes
	 * back under a mapping a short unmap left behind */
	uint32_t holders;
	struct swmsi_msi_map *hnext; /* hash chain */
};

struct swmsi_msi_table {
	struct swmsi_msi_map **buckets;
	size_t nbuckets; /* 0 or a power of two */
	size_t count;
	struct swmsi_msi_map **by_id; /* id -> entry */
	size_t by_id_cap;
	struct swmsi_bitmap ids;
	LIST_HEAD(, swmsi_window) windows;
};

struct swmsi_region {
	uint64_t start;
	uint64_t size;
};

struct swmsi_ctx {
	pthread_mutex_t lock;
#ifndef NDEBUG
	pthread_t owner; /* valid while owned */
	bool owned;
#endif
	const struct swmsi_iommu_ops *ops;
	void *priv;
	unsigned int page_shift;
	uint64_t page_size;
	uint32_t max_msi_maps;
	enum swmsi_reclaim reclaim;

	struct swmsi_obj_tree objs;
	uint32_t objs_count;
	uint32_t next_id; /* cyclic cursor, like xa_alloc_cyclic */

	struct swmsi_group_tree groups;

	bool win_override;
	uint64_t win_start;
	uint64_t win_size;

	struct swmsi_region *doorbells;
	size_t ndoorbells;

	struct swmsi_msi_table msi;

	uint64_t msi_installs;
	uint64_t msi_uninstalls;
	uint64_t short_unmaps;
	/* swmsi_ctx_fail_alloc(): allocations to go before one fails; 0 = off */
	unsigned int fail_alloc_nth;
};

/* ctx.c */
void swmsi__lock(struct swmsi_ctx *ctx);
void swmsi__unlock(struct swmsi_ctx *ctx);
#ifndef NDEBUG
void swmsi__assert_locked(struct swmsi_ctx *ctx);
#define assert_locked(ctx) swmsi__assert_locked(ctx)
#else
#define assert_locked(ctx) ((void)(ctx))
#endif

void *swmsi__calloc(struct swmsi_ctx *ctx, size_t n, size_t size);
void *swmsi__reallocarray(struct swmsi_ctx *ctx, void *p, size_t n, size_t size);

/* Two-phase create: reserve an id (no object visible yet), then publish. */
int swmsi__obj_reserve_id(struct swmsi_ctx *ctx, uint32_t *id);
void swmsi__obj_publish(struct swmsi_ctx *ctx, struct swmsi_obj *obj, uint32_t id,
			enum swmsi_type type);
void swmsi__obj_remove(struct swmsi_ctx *ctx, struct swmsi_obj *obj);
/* In-order walk of the object table (ids ascending). */
struct swmsi_obj *swmsi__obj_first(struct swmsi_ctx *ctx);
struct swmsi_obj *swmsi__obj_next(struct swmsi_ctx *ctx, struct swmsi_obj *obj);
/* -ENOENT for no object or (single-kind @type) the wrong kind. */
int swmsi__obj_get(struct swmsi_ctx *ctx, uint32_t id, enum swmsi_type type,
		   struct swmsi_obj **objp);

static inline struct swmsi_ioas *to_ioas(struct swmsi_obj *obj)
{
	assert(obj->type == SWMSI_TYPE_IOAS);
	return (struct swmsi_ioas *)obj;
}

static inline struct swmsi_hwpt *to_hwpt(struct swmsi_obj *obj)
{
	assert(obj->type == SWMSI_TYPE_HWPT_PAGING || obj->type == SWMSI_TYPE_HWPT_NESTED);
	return (struct swmsi_hwpt *)obj;
}

static inline struct swmsi_device *to_device(struct swmsi_obj *obj)
{
	assert(obj->type == SWMSI_TYPE_DEVICE);
	return (struct swmsi_device *)obj;
}

static inline bool hwpt_is_nested(const struct swmsi_hwpt *hwpt)
{
	return hwpt->obj.type == SWMSI_TYPE_HWPT_NESTED;
}

/* The paging HWPT whose domain holds a HWPT's MSI pages. */
static inline struct swmsi_hwpt *hwpt_paging(struct swmsi_hwpt *hwpt)
{
	return hwpt_is_nested(hwpt) ? hwpt->parent : hwpt;
}

static inline bool range_wraps(uint64_t start, uint64_t len)
{
	return len && start + (len - 1) < start;
}

static inline bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	/* inclusive ends avoid overflow at the top of the address space */
	return a <= b + (blen - 1) && b <= a + (alen - 1);
}

static inline bool page_aligned(const struct swmsi_ctx *ctx, uint64_t v)
{
	return (v & (ctx->page_size - 1)) == 0;
}

/* area trees (ioas.c) */
int swmsi__area_cmp(const struct swmsi_area *a, const struct swmsi_area *b);
RB_PROTOTYPE(swmsi_area_tree, swmsi_area, node, swmsi__area_cmp)
bool swmsi__areas_overlap(struct swmsi_area_tree *t, uint64_t iova, uint64_t length);
struct swmsi_area *swmsi__area_find(struct swmsi_area_tree *t, uint64_t iova);
struct swmsi_area *swmsi__area_new(struct swmsi_ctx *ctx, uint64_t iova, uint64_t paddr,
				   uint64_t length, uint32_t prot);
void swmsi__areas_free(struct swmsi_area_tree *t);

/* ioas.c */
/* Unmap a user (IOAS) mapping from one domain, counting a short unmap. */
void swmsi__unmap_user(struct swmsi_ctx *ctx, void *domain, uint64_t iova, uint64_t length);
void swmsi__ioas_destroy(struct swmsi_ctx *ctx, struct swmsi_ioas *ioas);
/* The window reservations a group makes while it sits under an IOAS. */
int swmsi__ioas_resv_check(struct swmsi_ctx *ctx, struct swmsi_ioas *ioas, uint64_t start,
			   uint64_t size);
int swmsi__ioas_resv_get(struct swmsi_ctx *ctx, struct swmsi_ioas *ioas, uint64_t start,
			 uint64_t size, struct swmsi_resv **spare);
int swmsi__ioas_resv_prealloc(struct swmsi_ctx *ctx, struct swmsi_resv **spare);
void swmsi__ioas_resv_put(struct swmsi_ctx *ctx, struct swmsi_ioas *ioas, uint64_t start,
			  uint64_t size);

/* hwpt.c */
int swmsi__hwpt_paging_create(struct swmsi_ctx *ctx, struct swmsi_ioas *ioas, uint32_t flags,
			      bool is_auto, struct swmsi_hwpt **hwptp);
void swmsi__hwpt_destroy(struct swmsi_ctx *ctx, struct swmsi_hwpt *hwpt);
int swmsi__hwpt_translate(struct swmsi_ctx *ctx, struct swmsi_hwpt *hwpt, uint64_t iova,
			  uint64_t *paddr);
/* Map entry @map's page into @paging's domain unless present. */
int swmsi__hwpt_install_msi(struct swmsi_ctx *ctx, struct swmsi_hwpt *paging,
			    struct swmsi_msi_map *map);
/* Unmap it; false (and still present) when the backend unmapped short. */
bool swmsi__hwpt_uninstall_msi(struct swmsi_ctx *ctx, struct swmsi_hwpt *paging,
			       struct swmsi_msi_map *map);
/* Under RECLAIM_UNUSED, drop @id from @paging if no group there needs it. */
void swmsi__hwpt_reclaim_id(struct swmsi_ctx *ctx, struct swmsi_hwpt *paging, uint32_t id);

/* msi_map.c */
int swmsi__msi_table_init(struct swmsi_ctx *ctx);
void swmsi__msi_table_fini(struct swmsi_ctx *ctx);
struct swmsi_msi_map *swmsi__msi_map_lookup(struct swmsi_ctx *ctx, uint64_t win_start,
					    uint64_t page);
struct swmsi_msi_map *swmsi__msi_map_by_id(struct swmsi_ctx *ctx, uint32_t id);
uint64_t swmsi__msi_map_iova(const struct swmsi_ctx *ctx, const struct swmsi_msi_map *map);
/*
 * Prepared creation of an entry: everything fallible happens in _prepare
 * (id, slot, memory); _commit publishes it and cannot fail; _abort undoes
 * _prepare.
 */
struct swmsi_msi_map_new {
	struct swmsi_msi_map *map;
	struct swmsi_window *new_win;
	uint64_t win_size; /* the window grows to this at commit, if set */
};
int swmsi__msi_map_prepare(struct swmsi_ctx *ctx, uint64_t win_start, uint64_t win_size,
			   uint64_t page, struct swmsi_msi_map_new *nm);
void swmsi__msi_map_commit(struct swmsi_ctx *ctx, struct swmsi_msi_map_new *nm);
void swmsi__msi_map_abort(struct swmsi_ctx *ctx, struct swmsi_msi_map_new *nm);
/* Under RECLAIM_UNUSED: free an entry no vector uses once no domain holds it. */
void swmsi__msi_map_reclaim(struct swmsi_ctx *ctx, struct swmsi_msi_map *map);
/* A window at another start whose entries could overlap [start, +size). */
bool swmsi__msi_windows_conflict(struct swmsi_ctx *ctx, uint64_t start, uint64_t size);

/* device.c */
int swmsi__device_get(struct swmsi_ctx *ctx, uint32_t id, struct swmsi_device **devp);
void swmsi__device_destroy(struct swmsi_ctx *ctx, struct swmsi_device *dev);
/* The window a group uses now: the context's override, if any, applies. */
bool swmsi__group_window(const struct swmsi_ctx *ctx, const struct swmsi_group *group,
			 uint64_t *start, uint64_t *size);
/* A group's required bit for @id clears (its last vector on it is gone);
 * its domain drops the page if nobody else there needs it. */
void swmsi__group_unrequire(struct swmsi_ctx *ctx, struct swmsi_group *group, uint32_t id);

/* msi.c */
void swmsi__vector_release(struct swmsi_ctx *ctx, struct swmsi_device *dev, uint32_t vec);

#endif /* SWMSI_PRIVATE_H */
