/* SPDX-License-Identifier: MIT */
/*
 * libswmsi internals, layer 1 of 5: the containers. The allocation hook
 * and its growth helper (alloc.c), growable bitmaps (bitmap.c), sparse id
 * counters (idmap.c), window censuses (census.c) and range arithmetic.
 * They know nothing of objects, the MSI table or schemes; the context is
 * only a name here (the allocation hook's fault injection is its state).
 *
 * Layers (docs/ARCHITECTURE.md), each header including only the one below:
 * containers.h <- msi_table.h <- ctx.h <- objects.h <- scheme.h
 * (<- scheme_global.h). Names: every function, inline, object and macro a
 * private header declares carries swmsi__ (SWMSI__ for macros and
 * constants); a name used in one .c file only is bare and static.
 */
#ifndef SWMSI_CONTAINERS_H
#define SWMSI_CONTAINERS_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bsd/sys/queue.h>

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
/* Ranges                                                              */

static inline bool swmsi__range_wraps(uint64_t start, uint64_t len)
{
	return len && start + (len - 1) < start;
}

static inline bool swmsi__ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	/* inclusive ends avoid overflow at the top of the address space */
	return a <= b + (blen - 1) && b <= a + (alen - 1);
}

/* ------------------------------------------------------------------ */
/* Growable bitmaps (bitmap.c)                                         */

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
/* Lowest set bit in [@from, @limit), or SIZE_MAX: reads only the words
 * of that range. */
size_t swmsi__bitmap_next_set_below(const struct swmsi_bitmap *bm, size_t from, size_t limit);
/* One past the highest set bit (0 when empty). */
size_t swmsi__bitmap_span(const struct swmsi_bitmap *bm);
size_t swmsi__bitmap_bytes(const struct swmsi_bitmap *bm);

#define swmsi__bitmap_for_each_set(bit, bm)                              \
	for ((bit) = swmsi__bitmap_next_set((bm), 0); (bit) != SIZE_MAX; \
	     (bit) = swmsi__bitmap_next_set((bm), (bit) + 1))

/* ------------------------------------------------------------------ */
/* Sparse id counters (idmap.c)                                        */

/*
 * Sparse per-id counters: the vectors a group has on each entry, the
 * groups needing each id on a domain. Sized by the ids in use, not by the
 * highest id, and iterated in O(ids in use).
 */
struct swmsi_idmap {
	uint32_t *keys; /* id + 1, 0 = empty */
	uint32_t *vals;
	size_t cap; /* 0 or a power of two */
	size_t count;
};

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

#define swmsi__idmap_for_each(pos, id, m)                     \
	for ((pos) = swmsi__idmap_next((m), 0, &(id)); (pos); \
	     (pos) = swmsi__idmap_next((m), (pos), &(id)))

/* ------------------------------------------------------------------ */
/* Window censuses (census.c)                                          */

/*
 * A census of SW_MSI windows: each distinct window [start, +size) once,
 * with the number of groups that count on it. The context keeps one, of
 * the windows bound groups report (bind checks a new window against
 * these: a handful, whatever the number of groups); an IOAS's reserved
 * ranges are a swmsi_resv_set (below). Kept sorted by start, so a
 * snapshot with little room gets the lowest.
 */
struct swmsi_census_entry {
	uint64_t start;
	uint64_t size;
	unsigned int groups;
	LIST_ENTRY(swmsi_census_entry) link;
};
LIST_HEAD(swmsi_census, swmsi_census_entry);

/* The entry of exactly this window, or NULL. */
struct swmsi_census_entry *swmsi__census_find(struct swmsi_census *c, uint64_t start,
					      uint64_t size);
/* Ahead of swmsi__census_get(): *@spare is a new record when the window
 * is not counted yet, NULL when it is (-ENOMEM: NULL, nothing changed). */
int swmsi__census_prealloc(struct swmsi_ctx *ctx, struct swmsi_census *c, uint64_t start,
			   uint64_t size, struct swmsi_census_entry **spare);
/* Count one more group on the window; a new window takes *@spare (and
 * sets it NULL). Cannot fail. */
void swmsi__census_get(struct swmsi_census *c, uint64_t start, uint64_t size,
		       struct swmsi_census_entry **spare);
/* One group fewer; the window leaves the census with its last group. */
void swmsi__census_put(struct swmsi_census *c, uint64_t start, uint64_t size);
/* An entry other than exactly this window overlapping it. */
bool swmsi__census_conflicts(const struct swmsi_census *c, uint64_t start, uint64_t size);

/* ------------------------------------------------------------------ */
/* Reserved ranges of an IOAS (resv.c)                                 */

/*
 * One range one owner reserves on an IOAS (iommufd's iopt_reserved):
 * a device's region or window, or what lies outside a HWPT's aperture.
 * Embedded in its owner, so reserving never allocates. Several owners
 * may reserve overlapping ranges: each is its own record.
 */
struct swmsi_resv {
	uint64_t start;
	uint64_t last;	/* inclusive */
	uint32_t type;	/* enum swmsi_resv_type */
	uint32_t owner; /* device id, or HWPT id for the aperture */
	TAILQ_ENTRY(swmsi_resv) link;
};
/* Ascending by (start, last, type, owner). */
TAILQ_HEAD(swmsi_resv_set, swmsi_resv);

void swmsi__resv_insert(struct swmsi_resv_set *s, struct swmsi_resv *r);
void swmsi__resv_remove(struct swmsi_resv_set *s, struct swmsi_resv *r);
/* Some record meets [start, last]. */
bool swmsi__resv_meets(const struct swmsi_resv_set *s, uint64_t start, uint64_t last);

#endif /* SWMSI_CONTAINERS_H */
