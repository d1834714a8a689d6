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
 *
 * Layering (docs/ARCHITECTURE.md): alloc.c is a leaf; bitmap.c, idmap.c and
 * the MSI table (msi_map.c) call nothing of the core but it. The lock, its
 * assertion and the typed getters are static inlines here, so a container
 * never calls back into ctx.c.
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

#include "swmsi_rcu.h"

struct swmsi_ctx;

/* ------------------------------------------------------------------ */
/* Allocation (alloc.c): the leaf every other file allocates through   */

/*
 * Every allocation of the core goes through these so tests can fail the
 * nth one (swmsi_ctx_fail_alloc), in the spirit of libuv's uv__malloc.
 * @ctx may be NULL (no fault injection).
 */
void *swmsi__calloc(struct swmsi_ctx *ctx, size_t n, size_t size);
void *swmsi__reallocarray(struct swmsi_ctx *ctx, void *p, size_t n, size_t size);
/*
 * The one growth helper of src/: make the array at *@arrp (a pointer to the
 * array pointer) hold at least @need elements of @size bytes. It doubles
 * (starting at @min), never past @max unless @need is larger, and zeroes
 * the new elements. On -ENOMEM the array and *@cap are unchanged.
 */
int swmsi__array_grow(struct swmsi_ctx *ctx, void *arrp, size_t *cap, size_t need, size_t min,
		      size_t max, size_t size);

/* ------------------------------------------------------------------ */
/* Growable bitmaps and counter arrays (bitmap.c, idmap.c)             */

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
	size_t cap; /* 0 or a power of two */
	size_t count;
};

int swmsi__bitmap_reserve(struct swmsi_ctx *ctx, struct swmsi_bitmap *bm, size_t nbits);
/* As swmsi__bitmap_reserve(), never holding more than @limit bits' words. */
int swmsi__bitmap_reserve_capped(struct swmsi_ctx *ctx, struct swmsi_bitmap *bm, size_t nbits,
				 size_t limit);
void swmsi__bitmap_release(struct swmsi_bitmap *bm);
/* test, set and clear are inline: the hot paths call them several times */
static inline bool swmsi__bitmap_test(const struct swmsi_bitmap *bm, size_t bit)
{
	size_t w = bit / 64;

	return w < bm->nwords && (bm->words[w] >> (bit % 64)) & 1u;
}

/* The bit must be inside the reserved size. */
static inline void swmsi__bitmap_set(struct swmsi_bitmap *bm, size_t bit)
{
	assert(bit / 64 < bm->nwords);
	bm->words[bit / 64] |= UINT64_C(1) << (bit % 64);
}

static inline void swmsi__bitmap_clear(struct swmsi_bitmap *bm, size_t bit)
{
	size_t w = bit / 64;

	if (w >= bm->nwords)
		return;
	bm->words[w] &= ~(UINT64_C(1) << (bit % 64));
	if (w < bm->hint)
		bm->hint = w;
}
/* Lowest clear bit below @limit, or @limit when none (bits past the
 * reserved size count as clear). */
size_t swmsi__bitmap_first_zero(struct swmsi_bitmap *bm, size_t limit);
/* Lowest set bit at or above @from, or SIZE_MAX. */
size_t swmsi__bitmap_next_set(const struct swmsi_bitmap *bm, size_t from);
/* One past the highest set bit (0 when empty). */
size_t swmsi__bitmap_span(const struct swmsi_bitmap *bm);
size_t swmsi__bitmap_bytes(const struct swmsi_bitmap *bm);

#define bitmap_for_each_set(bit, bm)                                     \
	for ((bit) = swmsi__bitmap_next_set((bm), 0); (bit) != SIZE_MAX; \
	     (bit) = swmsi__bitmap_next_set((bm), (bit) + 1))

/* Room for @n entries in all; inserting up to that never allocates. */
int swmsi__idmap_reserve(struct swmsi_ctx *ctx, struct swmsi_idmap *m, size_t n);
void swmsi__idmap_release(struct swmsi_idmap *m);
uint32_t swmsi__idmap_get(const struct swmsi_idmap *m, uint32_t id);
bool swmsi__idmap_contains(const struct swmsi_idmap *m, uint32_t id);
/* The bucket holding @id, or the empty one where it would go (keys hold
 * id + 1; 0 marks an empty bucket). Inline with swmsi__idmap_find(): the
 * hit path under RECLAIM_UNUSED counts through it. */
static inline size_t swmsi__idmap_bucket(const struct swmsi_idmap *m, uint32_t id)
{
	/* Fibonacci hashing: the product's top bits (its middle ones
	 * collided for ids spaced by powers of two, as tables fill) */
	return (size_t)(((uint64_t)id * UINT64_C(0x9e3779b97f4a7c15)) >>
			(64 - __builtin_ctzll((unsigned long long)m->cap)));
}

static inline size_t swmsi__idmap_find_slot(const struct swmsi_idmap *m, uint32_t id)
{
	size_t i = swmsi__idmap_bucket(m, id);

	for (; m->keys[i]; i = (i + 1) & (m->cap - 1)) {
		if (m->keys[i] == id + 1)
			return i;
	}
	return i;
}

/* The counter of @id, or NULL if absent. */
static inline uint32_t *swmsi__idmap_find(struct swmsi_idmap *m, uint32_t id)
{
	size_t i;

	if (!m->count)
		return NULL;
	i = swmsi__idmap_find_slot(m, id);
	return m->keys[i] ? &m->vals[i] : NULL;
}

/*
 * The same, trying bucket *@hint first and leaving there where @id was
 * found. A hint is only a guess (any map's, any age): the bucket's key
 * says whether it holds @id. A hit path that cycles over ids keeps its
 * hints right and so never runs a probe loop, whose varying length the
 * branch predictor cannot follow.
 */
static inline uint32_t *swmsi__idmap_find_hinted(struct swmsi_idmap *m, uint32_t id, uint32_t *hint)
{
	uint32_t *p;

	if (*hint < m->cap && m->keys[*hint] == id + 1)
		return &m->vals[*hint];
	p = swmsi__idmap_find(m, id);
	if (p)
		*hint = (uint32_t)(p - m->vals);
	return p;
}
/* The counter of @id, inserted at 0 if absent (room must be reserved). */
uint32_t *swmsi__idmap_slot(struct swmsi_idmap *m, uint32_t id);
void swmsi__idmap_remove(struct swmsi_idmap *m, uint32_t id);
/* Walk: pos = 0 starts; returns the next pos, or 0 at the end. The map
 * must not change during a walk. */
size_t swmsi__idmap_next(const struct swmsi_idmap *m, size_t pos, uint32_t *id);
size_t swmsi__idmap_bytes(const struct swmsi_idmap *m);

#define idmap_for_each(pos, id, m)                            \
	for ((pos) = swmsi__idmap_next((m), 0, &(id)); (pos); \
	     (pos) = swmsi__idmap_next((m), (pos), &(id)))

/* ------------------------------------------------------------------ */
/* Objects (ctx.c: the table; one file per type)                        */

/* The one private type enum. Its values are the public enum swmsi_obj_type's,
 * so introspection reports a type without a translation table. */
enum swmsi_type {
	SWMSI_TYPE_IOAS = SWMSI_OBJ_IOAS,
	SWMSI_TYPE_HWPT_PAGING = SWMSI_OBJ_HWPT_PAGING,
	SWMSI_TYPE_HWPT_NESTED = SWMSI_OBJ_HWPT_NESTED,
	SWMSI_TYPE_DEVICE = SWMSI_OBJ_DEVICE,
	SWMSI_TYPE_COUNT, /* one past the last: sizes the ops table */
};

#define SWMSI_TEARDOWN_PASSES 4

/* Embedded first in every object, like iommufd's struct iommufd_object. */
struct swmsi_obj {
	uint32_t id;
	enum swmsi_type type;
	/* References that block destroy (-EBUSY): see each users++ site. */
	unsigned int users;
	RB_ENTRY(swmsi_obj) node;
};

/* Per-type behaviour, as iommufd_object_ops: ctx.c dispatches through it. */
struct swmsi_obj_ops {
	/* Free the object and drop the references it holds on others; the
	 * object has no users. May destroy an automatic HWPT (a device). */
	void (*destroy)(struct swmsi_ctx *ctx, struct swmsi_obj *obj);
	/* swmsi_destroy() takes it by id; a device goes only through
	 * swmsi_device_unbind() (-EINVAL) */
	bool destroy_by_id;
	/* swmsi_ctx_destroy() frees pass 0 first (the leaves: devices), then
	 * 1, ...: an object's pass is after every pass of its users */
	unsigned int teardown_pass;
	/* optional: bytes of id sets it holds, for swmsi_ctx_stats() */
	size_t (*set_bytes)(const struct swmsi_obj *obj);
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

struct swmsi_hwpt_paging;

struct swmsi_ioas {
	struct swmsi_obj obj; /* users: paging HWPTs on it */
	struct swmsi_area_tree areas;
	TAILQ_HEAD(, swmsi_hwpt_paging) hwpts;
	/* The automatic HWPT attach-to-IOAS uses; at most one, NULL if none. */
	struct swmsi_hwpt_paging *auto_hwpt;
	LIST_HEAD(, swmsi_resv) resv;
};

/* What paging and nested HWPTs share, as iommufd_hw_pagetable. */
struct swmsi_hwpt {
	struct swmsi_obj obj; /* users: groups attached directly (+ nested children) */
	struct swmsi_ioas *ioas;
	unsigned int groups; /* groups attached to this HWPT itself */
};

/* dma-iommu's per-domain MSI cookie (scheme_dma_iommu.c). */
struct swmsi_msi_cookie;

/* A HWPT with a backend domain (iommufd_hwpt_paging). Everything MSI lives
 * here: a nested HWPT's groups install into its parent. */
struct swmsi_hwpt_paging {
	struct swmsi_hwpt common;
	void *domain;
	uint32_t flags; /* SWMSI_HWPT_* given at allocation */
	bool auto_domain;
	TAILQ_ENTRY(swmsi_hwpt_paging) ioas_link;
	unsigned int children; /* nested HWPTs over it */
	/* ids whose MSI page is mapped in this domain (table schemes) */
	struct swmsi_bitmap present;
	/* per id: groups on this domain (directly or via a child) requiring it;
	 * an id is absent rather than 0 */
	struct swmsi_idmap need;
	/* SWMSI_SCHEME_DMA_IOMMU only; NULL until a group with a window comes */
	struct swmsi_msi_cookie *cookie;
	/* unique in the context, renewed whenever a page leaves present (the
	 * only way this domain can stop holding what a group requires): what
	 * swmsi_group.holds compares, so a stale stamp never matches */
	uint64_t stamp;
};

/* The guest's stage 1 over a NEST_PARENT paging HWPT (iommufd_hwpt_nested). */
struct swmsi_hwpt_nested {
	struct swmsi_hwpt common;
	struct swmsi_hwpt_paging *parent;
	struct swmsi_area_tree s1; /* iova -> ipa */
};

struct swmsi_group {
	uint32_t num;
	uint64_t win_start; /* reported by its devices, or SWMSI_PHYS_NONE */
	uint64_t win_size;
	unsigned int devices;  /* bound */
	unsigned int attached; /* attached devices */
	/* where the group sits; NULL when detached. Atomic: msi_fire reads it
	 * without the lock (a move stores it once, at commit) */
	struct swmsi_hwpt *_Atomic hwpt;
	/* ids this group requires (installed before it moves anywhere) */
	struct swmsi_bitmap required;
	/* per required id: this group's vectors on the entry. Its keys are
	 * exactly the required set, which is walked through it: O(ids the
	 * group requires), wherever in the id space they sit. */
	struct swmsi_idmap vecs;
	/* table schemes: stamps of the (last two) domains where every
	 * required page was found present, so a move back and forth skips
	 * the install walk in O(1). 0 never matches; cleared when the
	 * required set grows */
	uint64_t holds[2];
	RB_ENTRY(swmsi_group) node;
};
RB_HEAD(swmsi_group_tree, swmsi_group);

/*
 * One distinct SW_MSI window that bound groups report, with how many do:
 * bind checks a new group's window against these, so its cost follows the
 * few distinct windows of a platform, not the number of groups.
 */
struct swmsi_group_window {
	uint64_t start;
	uint64_t size;
	unsigned int groups;
	LIST_ENTRY(swmsi_group_window) link;
};

int swmsi__group_cmp(const struct swmsi_group *a, const struct swmsi_group *b);
RB_PROTOTYPE(swmsi_group_tree, swmsi_group, node, swmsi__group_cmp)

struct swmsi_msi_map;

struct swmsi_vector {
	uint64_t msi_addr;
	uint64_t msg_addr;
	struct swmsi_msi_map *map; /* its table entry (table schemes), or NULL */
	bool translated;	   /* msg_addr is an IOVA the scheme gave it */
	/* what msi_fire reads without the lock: msg_addr once live, and
	 * whether the handle is live (set last, cleared first) */
	_Atomic uint64_t rd_msg;
	atomic_bool rd_live;
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
	/* vecs and nvecs_cap as msi_fire reads them: a grown array is
	 * published here and the old one freed after a grace period */
	struct swmsi_vector *_Atomic rd_vecs;
	_Atomic size_t rd_cap;
};

/* ------------------------------------------------------------------ */
/* The fd-global MSI table (msi_map.c), shared by NATIVE and KERNEL     */

/* One SW_MSI window's slot space, keyed by its start. */
struct swmsi_window {
	uint64_t start;
	/* the largest window size that allocated here: entries may sit up to
	 * its end, so a window overlapping that range must share the start */
	uint64_t size;
	struct swmsi_bitmap slots;
	uint32_t nmaps;
	uint32_t top; /* 1 + the highest slot ever given here (KERNEL's next) */
	LIST_ENTRY(swmsi_window) link;
};

/* mirrors the kernel's struct iommufd_sw_msi_map: doorbell page -> {id, slot} */
struct swmsi_msi_map {
	uint32_t id;
	uint32_t slot;
	uint64_t page;
	/* win->start, kept here so the hit path's lookup and IOVA need no
	 * load through @win (a window's start never changes) */
	uint64_t win_start;
	struct swmsi_window *win;
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
	LIST_HEAD(, swmsi_window) windows;
};

struct swmsi_region {
	uint64_t start;
	uint64_t size;
};

struct swmsi_scheme_ops;

struct swmsi_ctx {
	pthread_mutex_t lock;
#ifndef NDEBUG
	pthread_t owner; /* valid while owned */
	bool owned;
#endif
	const struct swmsi_iommu_ops *ops;
	void *priv;
	const struct swmsi_scheme_ops *scheme; /* chosen at creation, never changes */
	unsigned int page_shift;
	uint64_t page_size;
	uint32_t max_msi_maps;
	enum swmsi_reclaim reclaim;

	struct swmsi_obj_tree objs; /* in id order: walks */
	/* id -> object for lookups, O(1), readable without the lock */
	struct swmsi_rcu_index objix;
	/* the device device_get() last found (a device's msi_alloc and
	 * msi_free come in runs): cleared before it leaves the index */
	struct swmsi_obj *obj_hot;
	/* grace periods of the lock-free readers (msi_fire, iova_to_phys):
	 * a writer waits one before freeing what they can reach */
	struct swmsi_rcu rcu;
	/* set by swmsi_ctx_destroy(): no other thread may use the context any
	 * more, so no reader can be inside and no grace period is waited */
	bool dying;
	uint32_t objs_count;
	uint32_t next_id; /* cyclic cursor, like xa_alloc_cyclic */

	struct swmsi_group_tree groups;
	/* the distinct windows of the groups above (device.c) */
	LIST_HEAD(, swmsi_group_window) group_windows;

	bool win_override;
	uint64_t win_start;
	uint64_t win_size;

	struct swmsi_region *doorbells;
	size_t ndoorbells;
	size_t doorbells_cap;

	struct swmsi_msi_table msi;

	/* counted once, when the call that mapped or unmapped commits */
	uint64_t msi_installs;
	uint64_t msi_uninstalls;
	uint64_t short_unmaps;
	/* the last swmsi_hwpt_paging.stamp handed out */
	uint64_t stamps;
	/* heap allocations through the hook, ever (swmsi_ctx_stats) */
	uint64_t allocs;
	/* swmsi_ctx_fail_alloc(): allocations to go before one fails; 0 = off */
	unsigned int fail_alloc_nth;
};

/* ------------------------------------------------------------------ */
/* The lock: entry points take it, helpers assert it                    */

static inline void assert_locked(const struct swmsi_ctx *ctx)
{
#ifndef NDEBUG
	/* only the holder may read these without racing: a helper reached
	 * without the lock is the bug this catches */
	assert(ctx->owned && pthread_equal(ctx->owner, pthread_self()));
#else
	(void)ctx;
#endif
}

/* Wait until no lock-free reader (msi_fire, iova_to_phys) can still hold
 * what the caller unpublished: then it may be freed or unmapped. */
static inline void swmsi__grace_period(struct swmsi_ctx *ctx)
{
	assert_locked(ctx);
	if (!ctx->dying)
		swmsi_rcu_synchronize(&ctx->rcu);
}

static inline void swmsi__lock(struct swmsi_ctx *ctx)
{
	pthread_mutex_lock(&ctx->lock);
#ifndef NDEBUG
	ctx->owner = pthread_self();
	ctx->owned = true;
#endif
}

static inline void swmsi__unlock(struct swmsi_ctx *ctx)
{
	assert_locked(ctx);
#ifndef NDEBUG
	ctx->owned = false;
#endif
	pthread_mutex_unlock(&ctx->lock);
}

/* ------------------------------------------------------------------ */
/* The object table (ctx.c) and the typed getters                      */

/* Two-phase create, as iommufd_object_alloc()/_finalize(): reserve an id
 * (no object visible yet), build, then publish once nothing can fail. */
int swmsi__obj_reserve_id(struct swmsi_ctx *ctx, uint32_t *id);
void swmsi__obj_publish(struct swmsi_ctx *ctx, struct swmsi_obj *obj, uint32_t id,
			enum swmsi_type type);
void swmsi__obj_remove(struct swmsi_ctx *ctx, struct swmsi_obj *obj);
/* Destroy an object published by the failing call and give its id back, as
 * iommufd_object_abort_and_destroy(): the call changes nothing. */
void swmsi__obj_abort(struct swmsi_ctx *ctx, struct swmsi_obj *obj);
/* Destroy through the type's ops (the object has no users). */
void swmsi__obj_destroy(struct swmsi_ctx *ctx, struct swmsi_obj *obj);
static inline uint64_t swmsi__obj_key(const void *p)
{
	return ((const struct swmsi_obj *)p)->id;
}

/* Any object by id, or NULL: O(1) expected, inline for the hot paths. */
static inline struct swmsi_obj *swmsi__obj_find(struct swmsi_ctx *ctx, uint32_t id)
{
	assert_locked(ctx);
	return swmsi_rcu_index_find(&ctx->objix, id, swmsi__obj_key);
}

/* The same without the lock, inside a read section of ctx->rcu: the object
 * stays allocated until the section ends (it may be on its way out). */
static inline struct swmsi_obj *swmsi__obj_find_rcu(struct swmsi_ctx *ctx, uint32_t id)
{
	return swmsi_rcu_index_find(&ctx->objix, id, swmsi__obj_key);
}
/* In-order walk of the object table (ids ascending). */
struct swmsi_obj *swmsi__obj_first(struct swmsi_ctx *ctx);
struct swmsi_obj *swmsi__obj_next(struct swmsi_ctx *ctx, struct swmsi_obj *obj);

/* The per-type ops (each in its object's file). */
extern const struct swmsi_obj_ops swmsi__ioas_ops;
extern const struct swmsi_obj_ops swmsi__hwpt_paging_ops;
extern const struct swmsi_obj_ops swmsi__hwpt_nested_ops;
extern const struct swmsi_obj_ops swmsi__device_ops;

static inline struct swmsi_ioas *to_ioas(struct swmsi_obj *obj)
{
	assert(obj->type == SWMSI_TYPE_IOAS);
	return (struct swmsi_ioas *)obj;
}

static inline struct swmsi_device *to_device(struct swmsi_obj *obj)
{
	assert(obj->type == SWMSI_TYPE_DEVICE);
	return (struct swmsi_device *)obj;
}

static inline bool obj_is_hwpt(const struct swmsi_obj *obj)
{
	return obj->type == SWMSI_TYPE_HWPT_PAGING || obj->type == SWMSI_TYPE_HWPT_NESTED;
}

static inline struct swmsi_hwpt *to_hwpt(struct swmsi_obj *obj)
{
	assert(obj_is_hwpt(obj));
	return (struct swmsi_hwpt *)obj;
}

static inline bool hwpt_is_paging(const struct swmsi_hwpt *hwpt)
{
	return hwpt->obj.type == SWMSI_TYPE_HWPT_PAGING;
}

static inline struct swmsi_hwpt_paging *to_hwpt_paging(struct swmsi_hwpt *hwpt)
{
	assert(hwpt_is_paging(hwpt));
	return (struct swmsi_hwpt_paging *)hwpt;
}

static inline struct swmsi_hwpt_nested *to_hwpt_nested(struct swmsi_hwpt *hwpt)
{
	assert(hwpt->obj.type == SWMSI_TYPE_HWPT_NESTED);
	return (struct swmsi_hwpt_nested *)hwpt;
}

/* The paging HWPT whose domain holds a HWPT's MSI pages: itself, or a
 * nested HWPT's parent (the kernel's find_hwpt_paging()). */
static inline struct swmsi_hwpt_paging *find_hwpt_paging(struct swmsi_hwpt *hwpt)
{
	return hwpt_is_paging(hwpt) ? to_hwpt_paging(hwpt) : to_hwpt_nested(hwpt)->parent;
}

/* Id lookups for the call that wants one kind: -ENOENT for no object or
 * another kind (iommufd_get_object()). */
static inline int obj_get(struct swmsi_ctx *ctx, uint32_t id, enum swmsi_type type,
			  struct swmsi_obj **objp)
{
	struct swmsi_obj *obj = swmsi__obj_find(ctx, id);

	if (!obj || obj->type != type)
		return -ENOENT;
	*objp = obj;
	return 0;
}

static inline int ioas_get(struct swmsi_ctx *ctx, uint32_t id, struct swmsi_ioas **ioasp)
{
	struct swmsi_obj *obj;
	int rc = obj_get(ctx, id, SWMSI_TYPE_IOAS, &obj);

	if (!rc)
		*ioasp = to_ioas(obj);
	return rc;
}

/* The last device found answers first (ctx->obj_hot: only ever a device). */
static inline int device_get(struct swmsi_ctx *ctx, uint32_t id, struct swmsi_device **devp)
{
	struct swmsi_obj *obj = ctx->obj_hot;
	int rc;

	if (obj && obj->id == id) {
		*devp = to_device(obj);
		return 0;
	}
	rc = obj_get(ctx, id, SWMSI_TYPE_DEVICE, &obj);
	if (!rc) {
		*devp = to_device(obj);
		ctx->obj_hot = obj;
	}
	return rc;
}

/* A paging or a nested HWPT. */
static inline int hwpt_get(struct swmsi_ctx *ctx, uint32_t id, struct swmsi_hwpt **hwptp)
{
	struct swmsi_obj *obj = swmsi__obj_find(ctx, id);

	if (!obj || !obj_is_hwpt(obj))
		return -ENOENT;
	*hwptp = to_hwpt(obj);
	return 0;
}

static inline int hwpt_nested_get(struct swmsi_ctx *ctx, uint32_t id,
				  struct swmsi_hwpt_nested **nestedp)
{
	struct swmsi_obj *obj;
	int rc = obj_get(ctx, id, SWMSI_TYPE_HWPT_NESTED, &obj);

	if (!rc)
		*nestedp = to_hwpt_nested(to_hwpt(obj));
	return rc;
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

/* ctx.c */
/* The doorbell allow-list: true when no region is registered. */
bool swmsi__doorbell_listed(struct swmsi_ctx *ctx, uint64_t addr);
static inline bool swmsi__doorbell_allowed(struct swmsi_ctx *ctx, uint64_t addr)
{
	/* with no region registered the caller vouches for the address */
	return !ctx->ndoorbells || swmsi__doorbell_listed(ctx, addr);
}

/* area trees (ioas.c) */
int swmsi__area_cmp(const struct swmsi_area *a, const struct swmsi_area *b);
RB_PROTOTYPE(swmsi_area_tree, swmsi_area, node, swmsi__area_cmp)
bool swmsi__areas_overlap(struct swmsi_area_tree *t, uint64_t iova, uint64_t length);
struct swmsi_area *swmsi__area_find(struct swmsi_area_tree *t, uint64_t iova);
struct swmsi_area *swmsi__area_new(struct swmsi_ctx *ctx, uint64_t iova, uint64_t paddr,
				   uint64_t length, uint32_t prot);
void swmsi__areas_free(struct swmsi_area_tree *t);
/* Copy up to @cap areas out, ascending; returns how many there are. */
size_t swmsi__areas_copy(struct swmsi_area_tree *t, struct swmsi_mapping *maps, size_t cap);

/* ioas.c */
/* Unmap a user (IOAS) mapping from one domain, counting a short unmap. */
void swmsi__unmap_user(struct swmsi_ctx *ctx, void *domain, uint64_t iova, uint64_t length);
/* The window reservations a group makes while it sits under an IOAS. */
int swmsi__ioas_resv_check(struct swmsi_ctx *ctx, struct swmsi_ioas *ioas, uint64_t start,
			   uint64_t size);
/* The IOAS already holds a reservation of exactly this window. */
bool swmsi__ioas_resv_held(struct swmsi_ctx *ctx, struct swmsi_ioas *ioas, uint64_t start,
			   uint64_t size);
int swmsi__ioas_resv_prealloc(struct swmsi_ctx *ctx, struct swmsi_resv **spare);
void swmsi__ioas_resv_get(struct swmsi_ctx *ctx, struct swmsi_ioas *ioas, uint64_t start,
			  uint64_t size, struct swmsi_resv **spare);
void swmsi__ioas_resv_put(struct swmsi_ctx *ctx, struct swmsi_ioas *ioas, uint64_t start,
			  uint64_t size);

/* hwpt.c */
/* Private flag beside the public SWMSI_HWPT_* bits: the automatic HWPT an
 * attach to an IOAS makes (never reported, never a user's flag). */
#define SWMSI__HWPT_AUTO_DOMAIN (1u << 31)
int swmsi__hwpt_paging_create(struct swmsi_ctx *ctx, struct swmsi_ioas *ioas, uint32_t flags,
			      struct swmsi_hwpt_paging **pagingp);
int swmsi__hwpt_translate(struct swmsi_ctx *ctx, struct swmsi_hwpt *hwpt, uint64_t iova,
			  uint64_t *paddr);
/* Map table entry @map's page into @paging's domain unless present; the
 * caller counts the install when its call commits. */
int swmsi__hwpt_install_msi(struct swmsi_ctx *ctx, struct swmsi_hwpt_paging *paging,
			    struct swmsi_msi_map *map);
/* Unmap it; false (and still present) when the backend unmapped short.
 * Counts nothing but a short unmap: a rollback never happened. */
bool swmsi__hwpt_uninstall_msi(struct swmsi_ctx *ctx, struct swmsi_hwpt_paging *paging,
			       struct swmsi_msi_map *map);
/* Under RECLAIM_UNUSED, drop @id from @paging if no group there needs it. */
void swmsi__hwpt_reclaim_id(struct swmsi_ctx *ctx, struct swmsi_hwpt_paging *paging, uint32_t id);

/* msi_map.c */
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
static inline struct swmsi_msi_map *swmsi__msi_map_lookup(struct swmsi_ctx *ctx, uint64_t win_start,
							  uint64_t page)
{
	struct swmsi_msi_map *map;

	assert_locked(ctx);
	if (!ctx->msi.nbuckets)
		return NULL;
	map = ctx->msi.buckets[swmsi__msi_hash(win_start, page) & (ctx->msi.nbuckets - 1)];
	for (; map; map = map->hnext) {
		if (map->page == page && map->win_start == win_start)
			return map;
	}
	return NULL;
}

static inline struct swmsi_msi_map *swmsi__msi_map_by_id(struct swmsi_ctx *ctx, uint32_t id)
{
	assert_locked(ctx);
	return id < ctx->msi.by_id_cap ? ctx->msi.by_id[id] : NULL;
}

static inline uint64_t swmsi__msi_map_iova(const struct swmsi_ctx *ctx,
					   const struct swmsi_msi_map *map)
{
	/* KERNEL's slots are unbounded: the IOVA may lie past the window */
	return map->win_start + ((uint64_t)map->slot << ctx->page_shift);
}
struct swmsi_window *swmsi__msi_window_find(struct swmsi_ctx *ctx, uint64_t start);
/*
 * Prepared creation of an entry with the id and slot the scheme chose:
 * everything fallible happens in _prepare (memory, room); _commit publishes
 * it and cannot fail; _abort undoes _prepare.
 */
struct swmsi_msi_map_new {
	struct swmsi_msi_map *map;
	struct swmsi_window *new_win;
	uint64_t win_size; /* the window grows to this at commit, if set */
};
int swmsi__msi_map_prepare(struct swmsi_ctx *ctx, uint64_t win_start, uint64_t win_size,
			   uint64_t page, uint32_t id, uint32_t slot, struct swmsi_msi_map_new *nm);
void swmsi__msi_map_commit(struct swmsi_ctx *ctx, struct swmsi_msi_map_new *nm);
void swmsi__msi_map_abort(struct swmsi_ctx *ctx, struct swmsi_msi_map_new *nm);
/* Under RECLAIM_UNUSED: free an entry no vector uses once no domain holds it. */
void swmsi__msi_map_reclaim(struct swmsi_ctx *ctx, struct swmsi_msi_map *map);
/* A window at another start whose entries could overlap [start, +size). */
bool swmsi__msi_windows_conflict(struct swmsi_ctx *ctx, uint64_t start, uint64_t size);

/* device.c */
/* The window a group uses now: the context's override, if any, applies. */
static inline bool swmsi__group_window(const struct swmsi_ctx *ctx, const struct swmsi_group *group,
				       uint64_t *start, uint64_t *size)
{
	assert_locked(ctx);
	if (group->win_start == SWMSI_PHYS_NONE)
		return false;
	/* IOMMU_OPTION_SW_MSI_START/SIZE replaces what the driver reports */
	*start = ctx->win_override ? ctx->win_start : group->win_start;
	*size = ctx->win_override ? ctx->win_size : group->win_size;
	return true;
}

/* msi.c */
void swmsi__vector_release(struct swmsi_ctx *ctx, struct swmsi_device *dev, uint32_t vec);

/* ------------------------------------------------------------------ */
/* The scheme seam (scheme_*.c): how the sw_msi path gives MSI pages an */
/* IOVA, as the kernel's per-domain sw_msi function pointer does        */

/* One msi_alloc of a vector whose group sits on a HWPT with a window. */
struct swmsi_msi_req {
	struct swmsi_group *group;
	uint64_t win_start;
	uint64_t win_size;
	uint64_t msi_addr;
	uint64_t page; /* msi_addr rounded down to the page */
	/* the domain the page goes into; NULL: the vector stays untranslated */
	struct swmsi_hwpt_paging *paging;
	uint64_t iova;		     /* the page's IOVA there */
	struct swmsi_msi_map *map;   /* table schemes: the entry */
	struct swmsi_msi_map_new nm; /* table schemes: an entry not yet in the table */
	bool installed;		     /* this call mapped the page: counted at commit */
	bool fast; /* table schemes: the group requires the page and its domain holds it */
	bool miss; /* dma-iommu: the page is new to the cookie */
};

/* One attach or replace moving a group onto @to (whose domain is @paging). */
struct swmsi_group_move {
	struct swmsi_group *group;
	struct swmsi_hwpt *to;
	struct swmsi_hwpt_paging *paging;
	bool has_win;
	/* the group moves under the IOAS it holds its window's reservation
	 * on: the reservation stays as it is */
	bool keep_resv;
	uint64_t win_start;
	uint64_t win_size;
	struct swmsi_resv *spare; /* the target IOAS's reservation, if new */
	bool created;		  /* @to is an automatic HWPT made for this move */
	uint32_t *fresh;	  /* table schemes: ids this call installed */
	size_t nfresh;
	struct swmsi_msi_cookie *cookie; /* dma-iommu: a cookie @paging gets at commit */
	/* the scheme has nothing to do for this move (device.c, move_idle()) */
	bool idle;
};

/*
 * Chosen at context creation; the object files call these and never test
 * which scheme is active. Phases follow the house rule: everything
 * fallible first, then a commit that cannot fail, then reclaim.
 */
struct swmsi_scheme_ops {
	/* The table schemes (NATIVE, KERNEL): a hit on the context-wide table
	 * whose page the group requires already and whose domain holds it
	 * needs nothing but the vector, and under RECLAIM_NONE releasing such
	 * a vector only drops the entry's count. msi.c then does both inline
	 * (msi_hit()), without the phases below; anything else takes them. */
	bool table_hit;
	/* The table schemes too: under RECLAIM_NONE a move onto a domain that
	 * holds every page the group requires (swmsi__table_group_held()) has
	 * nothing to install, count or reclaim, so device.c calls none of
	 * group_install, group_commit and group_leave for it. */
	bool table_move;
	/* swmsi_ctx_create(): the options this scheme rejects (-EINVAL) */
	int (*check_opts)(const struct swmsi_ctx_opts *opts);
	/* msi_alloc, reserve: the allow-list, find the doorbell's IOVA or
	 * prepare a new one, room for the bookkeeping. Nothing visible. */
	int (*msi_reserve)(struct swmsi_ctx *ctx, struct swmsi_msi_req *req);
	/* install: the backend map (what a failure leaves is the scheme's) */
	int (*msi_install)(struct swmsi_ctx *ctx, struct swmsi_msi_req *req);
	/* commit: cannot fail; fills the vector's message address */
	void (*msi_commit)(struct swmsi_ctx *ctx, struct swmsi_msi_req *req,
			   struct swmsi_vector *v);
	/* undo a reserve (and whatever a failed install must not leave) */
	void (*msi_abort)(struct swmsi_ctx *ctx, struct swmsi_msi_req *req);
	/* a translated vector goes (msi_free, unbind); may reclaim */
	void (*msi_release)(struct swmsi_ctx *ctx, struct swmsi_group *group,
			    struct swmsi_vector *v);
	/* attach/replace, before the move: install what the group needs in
	 * the target; on failure the scheme decides what stays there */
	int (*group_install)(struct swmsi_ctx *ctx, struct swmsi_group_move *mv);
	/* the move commits (cannot fail) */
	void (*group_commit)(struct swmsi_ctx *ctx, struct swmsi_group_move *mv);
	/* the group has left @paging: drop its needs there and reclaim */
	void (*group_leave)(struct swmsi_ctx *ctx, struct swmsi_group *group,
			    struct swmsi_hwpt_paging *paging);
	/* a paging HWPT goes: unmap and free what the scheme put in it */
	void (*hwpt_destroy)(struct swmsi_ctx *ctx, struct swmsi_hwpt_paging *paging);
	/* swmsi_hwpt_msi_cookie(); NULL when the scheme has no cookie */
	void (*cookie_info)(struct swmsi_ctx *ctx, struct swmsi_hwpt_paging *paging,
			    struct swmsi_msi_cookie_info *info, struct swmsi_msi_cookie_page *pages,
			    size_t cap, size_t *count);
};

extern const struct swmsi_scheme_ops swmsi__scheme_native;
extern const struct swmsi_scheme_ops swmsi__scheme_kernel;
extern const struct swmsi_scheme_ops swmsi__scheme_dma_iommu;

/* scheme_native.c: the table schemes' shared steps (KERNEL reuses them) */
/* Room for a vector on req->map and its IOVA in req->iova; on failure a
 * prepared new entry (req->nm) is aborted. Nothing after it allocates. */
int swmsi__table_msi_reserve(struct swmsi_ctx *ctx, struct swmsi_msi_req *req);
/* A hit that needs nothing but the vector (sets req->fast and req->iova). */
bool swmsi__table_msi_fast(struct swmsi_ctx *ctx, struct swmsi_msi_req *req);
int swmsi__table_msi_install(struct swmsi_ctx *ctx, struct swmsi_msi_req *req);
void swmsi__table_msi_commit(struct swmsi_ctx *ctx, struct swmsi_msi_req *req,
			     struct swmsi_vector *v);
void swmsi__table_msi_abort(struct swmsi_ctx *ctx, struct swmsi_msi_req *req);
void swmsi__table_msi_release(struct swmsi_ctx *ctx, struct swmsi_group *group,
			      struct swmsi_vector *v);
/* Install the group's required pages in mv->paging; on failure the pages
 * this call installed stay listed in mv->fresh for the scheme to judge. */
int swmsi__table_group_install_pages(struct swmsi_ctx *ctx, struct swmsi_group_move *mv);
/* @paging holds every page @group requires, known in O(1): its stamp is
 * one the group recorded (swmsi_group.holds), and since then the domain
 * lost no page (its stamp would have changed) and the group required no
 * new one (it would have cleared what it recorded). */
static inline bool swmsi__table_group_held(const struct swmsi_group *group,
					   const struct swmsi_hwpt_paging *paging)
{
	return paging->stamp == group->holds[0] || paging->stamp == group->holds[1];
}
void swmsi__table_group_commit(struct swmsi_ctx *ctx, struct swmsi_group_move *mv);
void swmsi__table_group_leave(struct swmsi_ctx *ctx, struct swmsi_group *group,
			      struct swmsi_hwpt_paging *paging);
void swmsi__table_hwpt_destroy(struct swmsi_ctx *ctx, struct swmsi_hwpt_paging *paging);

#endif /* SWMSI_PRIVATE_H */
