/* SPDX-License-Identifier: MIT */
/*
 * The mock's page tables: one radix tree per domain, shaped like an ARM
 * LPAE stage-1 table for the mock's granule (see struct mock_geometry).
 * Table pages are allocated on the way down when a map needs them and freed
 * on the way up when an unmap leaves them empty; the root stays until the
 * domain goes.
 *
 * A map uses a block entry (a leaf above the last level, mapping its whole
 * span) wherever io-pgtable-arm would: the level's span is one of the
 * granule's page sizes and the IOVA, the physical address and what is left
 * of the length all allow it. Mapping 64G of aligned RAM is 64 PTEs, not 16
 * million. An unmap whose ends cut a block first splits it into a table of
 * entries one level down that map the same (io-pgtable-arm's block split),
 * so that what is left translates as a page-by-page table would.
 *
 * Callers hold mock->lock, which every helper that reads or writes a table
 * or a domain's counters asserts, and have validated ranges: an IOVA here
 * is always below MOCK_IOVA_LIMIT and page aligned.
 */
#include "mock_private.h"

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define PTE_VALID      (1ull << 0)
#define PTE_TABLE      (1ull << 1) /* not a leaf: points to a table */
#define PTE_PROT_SHIFT 2	   /* leaf: SWMSI_PROT_* in bits 2..4 */
#define PTE_PROT_MASK  ((uint64_t)SWMSI_PROT_ALL << PTE_PROT_SHIFT)

/* Table PTEs borrow the two low bits of the child's address. */
static_assert(_Alignof(struct mock_pt) >= 4, "table pointers need 2 free low bits");
/* Leaf PTEs borrow the bits below the smallest granule. */
static_assert((PTE_PROT_MASK | PTE_TABLE | PTE_VALID) < (1ull << MOCK_IOMMU_MIN_PAGE_SHIFT),
	      "leaf flags overlap paddr");

/* A split installs tables at most at every level but the root and the last. */
#define SPLIT_LOG_MAX (2 * (MOCK_MAX_LEVELS - 2))

static bool is_leaf_level(const struct mock_geometry *geo, unsigned int level)
{
	return level == geo->levels - 1;
}

static unsigned int level_bits(const struct mock_geometry *geo, unsigned int level)
{
	return level == 0 ? geo->top_bits : geo->bits_per_level;
}

static size_t level_entries(const struct mock_geometry *geo, unsigned int level)
{
	return (size_t)1 << level_bits(geo, level);
}

/* One PTE at @level spans 2^level_shift bytes of IOVA. */
static unsigned int level_shift(const struct mock_geometry *geo, unsigned int level)
{
	/* the mask is free and lets -O3's deep inlining see the bound */
	return geo->shift[level & (MOCK_MAX_LEVELS - 1)];
}

static_assert((MOCK_MAX_LEVELS & (MOCK_MAX_LEVELS - 1)) == 0, "level_shift() masks the level");

/*
 * The page sizes io-pgtable-arm gives each granule (arm_lpae_restrict_pgsizes:
 * its 4T size for 64K needs a 52-bit output space, which the mock has not):
 * a level whose span is one of them may hold block entries.
 */
static uint64_t granule_pgsizes(unsigned int page_shift)
{
	switch (page_shift) {
	case 12:
		return (1ull << 12) | (1ull << 21) | (1ull << 30);
	case 14:
		return (1ull << 14) | (1ull << 25);
	case 16:
		return (1ull << 16) | (1ull << 29);
	default: /* a shape's other granules: pages only */
		return 1ull << page_shift;
	}
}

int mock_iommu__geometry_init(struct mock_geometry *geo, unsigned int page_shift, bool page_only)
{
	unsigned int va_bits, level;

	if (page_shift < MOCK_IOMMU_MIN_PAGE_SHIFT || page_shift > 16)
		return -EINVAL;
	va_bits = MOCK_IOMMU_IOVA_BITS - page_shift;
	geo->page_shift = page_shift;
	geo->bits_per_level = page_shift - 3;
	geo->levels = (va_bits + geo->bits_per_level - 1) / geo->bits_per_level;
	geo->top_bits = va_bits - geo->bits_per_level * (geo->levels - 1);
	for (level = 0; level < geo->levels; level++)
		geo->shift[level] = page_shift + geo->bits_per_level * (geo->levels - 1 - level);
	geo->block_levels = 0;
	for (level = 0; !page_only && level + 1 < geo->levels; level++) {
		if (granule_pgsizes(page_shift) & (1ull << level_shift(geo, level)))
			geo->block_levels |= 1u << level;
	}
	return 0;
}

static_assert(MOCK_MAX_LEVELS <= 8 * sizeof(unsigned int), "block_levels is a bit per level");

uint64_t mock_iommu__pgsizes(const struct mock_geometry *geo)
{
	return geo->block_levels ? granule_pgsizes(geo->page_shift) : 1ull << geo->page_shift;
}

static size_t level_index(const struct mock_geometry *geo, unsigned int level, uint64_t iova)
{
	return (size_t)(iova >> level_shift(geo, level)) & (level_entries(geo, level) - 1);
}

/* The end of the PTE span holding @iova at @level, clipped to @end. */
static uint64_t span_end(const struct mock_geometry *geo, unsigned int level, uint64_t iova,
			 uint64_t end)
{
	uint64_t next = (iova | ((1ull << level_shift(geo, level)) - 1)) + 1;

	return next < end ? next : end;
}

static bool pte_is_table(uint64_t pte)
{
	return (pte & (PTE_TABLE | PTE_VALID)) == (PTE_TABLE | PTE_VALID);
}

/* A page, or a block above the last level. */
static bool pte_is_leaf(uint64_t pte)
{
	return (pte & (PTE_TABLE | PTE_VALID)) == PTE_VALID;
}

static uint64_t pte_mk_table(struct mock_pt *child)
{
	return (uint64_t)(uintptr_t)child | PTE_TABLE | PTE_VALID;
}

static struct mock_pt *pte_child(uint64_t pte)
{
	return (struct mock_pt *)(uintptr_t)(pte & ~(PTE_TABLE | PTE_VALID));
}

static uint64_t pte_mk_leaf(const struct mock_geometry *geo, uint64_t paddr, uint32_t prot)
{
	(void)geo; /* only the assertion reads it */
	assert(!(paddr & ((1ull << geo->page_shift) - 1)));
	return paddr | ((uint64_t)prot << PTE_PROT_SHIFT) | PTE_VALID;
}

static uint64_t pte_paddr(const struct mock_geometry *geo, uint64_t pte)
{
	return pte & ~((1ull << geo->page_shift) - 1);
}

static uint32_t pte_prot(uint64_t pte)
{
	return (uint32_t)((pte & PTE_PROT_MASK) >> PTE_PROT_SHIFT);
}

static struct mock_pt *pt_alloc(struct mock_iommu *mock, struct mock_domain *dom,
				unsigned int level)
{
	size_t n = level_entries(&mock->geo, level);
	struct mock_pt *pt;

	mock_iommu__assert_locked(mock);
	/* never true (a geometry has at most that many levels), but -O3 inlines
	 * pt_map()'s recursion deeper than it can prove that */
	if (level >= MOCK_MAX_LEVELS)
		return NULL;
	if (!mock->spare[level]) {
		pt = mock_iommu__zalloc(mock, sizeof(*pt) + n * sizeof(pt->pte[0]));
	} else if (mock_iommu__alloc_fault(mock)) {
		/* a spare counts as an allocation: mock_iommu_fail_alloc() hits it */
		pt = NULL;
	} else {
		pt = mock->spare[level];
		mock->spare[level] = pt->dead;
		pt->dead = NULL;
	}
	if (pt) {
		pt->level = level;
		dom->table_pages++;
	}
	return pt;
}

/* An empty table (every PTE zero) is kept as a spare, any other freed. */
static void pt_free(struct mock_iommu *mock, struct mock_domain *dom, struct mock_pt *pt)
{
	mock_iommu__assert_locked(mock);
	assert(dom->table_pages > 0);
	dom->table_pages--;
	if (pt->used || pt->level >= MOCK_MAX_LEVELS) {
		free(pt);
		return;
	}
	pt->dead = mock->spare[pt->level];
	mock->spare[pt->level] = pt;
}

void mock_iommu__pgtable_spares_free(struct mock_iommu *mock)
{
	unsigned int level;

	for (level = 0; level < MOCK_MAX_LEVELS; level++) {
		while (mock->spare[level]) {
			struct mock_pt *pt = mock->spare[level];

			mock->spare[level] = pt->dead;
			free(pt);
		}
	}
}

int mock_iommu__pgtable_init(struct mock_iommu *mock, struct mock_domain *dom)
{
	mock_iommu__assert_locked(mock);
	dom->root = pt_alloc(mock, dom, 0);
	return dom->root ? 0 : -ENOMEM;
}

static void pt_destroy(struct mock_iommu *mock, struct mock_domain *dom, struct mock_pt *pt,
		       unsigned int level)
{
	const struct mock_geometry *geo = &mock->geo;
	size_t i, n = level_entries(geo, level);

	mock_iommu__assert_locked(mock);
	if (!is_leaf_level(geo, level)) {
		for (i = 0; i < n && pt->used; i++) {
			if (!(pt->pte[i] & PTE_VALID))
				continue;
			if (pte_is_table(pt->pte[i]))
				pt_destroy(mock, dom, pte_child(pt->pte[i]), level + 1);
			/* no walk is in the domain any more (domain_destroy waited) */
			pt->pte[i] = 0;
			pt->used--;
		}
	}
	pt_free(mock, dom, pt);
}

void mock_iommu__pgtable_destroy(struct mock_iommu *mock, struct mock_domain *dom)
{
	mock_iommu__assert_locked(mock);
	if (!dom->root)
		return;
	pt_destroy(mock, dom, dom->root, 0);
	dom->root = NULL;
	dom->mapped_pages = 0;
	dom->blocks = 0;
}

/*
 * A block fits at @level when the level has blocks and [iova, stop), the
 * PTE's share of the map, is its whole span with @paddr aligned to it.
 */
static bool block_fits(const struct mock_geometry *geo, unsigned int level, uint64_t iova,
		       uint64_t stop, uint64_t paddr)
{
	uint64_t span = 1ull << level_shift(geo, level);

	return (geo->block_levels & (1u << level)) && stop - iova == span && !(paddr & (span - 1));
}

/*
 * Writes leaves (pages, or blocks) into @pt from @idx, the first at @iova,
 * for as long as whole spans of [iova, end) remain in it: one store each
 * and the counters once, so that a run of blocks costs what a run of array
 * stores does. Returns where it stopped; *@paddr follows.
 */
static uint64_t pt_fill(struct mock_iommu *mock, struct mock_domain *dom, struct mock_pt *pt,
			unsigned int level, size_t idx, uint64_t iova, uint64_t end,
			uint64_t *paddr, uint32_t prot)
{
	const struct mock_geometry *geo = &mock->geo;
	unsigned int shift = level_shift(geo, level);
	uint64_t span = 1ull << shift, pa = *paddr, flags = pte_mk_leaf(geo, 0, prot);
	uint64_t room = level_entries(geo, level) - idx, k = (end - iova) >> shift;

	mock_iommu__assert_locked(mock);
	assert(k >= 1);
	/* paddr steps a span at a time: a block's stays aligned for a block */
	for (k = k < room ? k : room; k; k--, idx++, pa += span) {
		/* the caller checked the extents: nothing is mapped here */
		assert(!(pt->pte[idx] & PTE_VALID));
		__atomic_store_n(&pt->pte[idx], pa | flags, __ATOMIC_RELEASE);
	}
	k = (pa - *paddr) >> shift;
	pt->used += (unsigned int)k;
	if (!is_leaf_level(geo, level))
		dom->blocks += k;
	dom->mapped_pages += k << (shift - geo->page_shift);
	*paddr = pa;
	return iova + (k << shift);
}

/*
 * Fills [iova, end) under @pt. Stops at the first allocation failure and
 * leaves what it did for the caller to clear, so that one clear pass undoes
 * both the leaves and the tables allocated for them.
 */
static int pt_map(struct mock_iommu *mock, struct mock_domain *dom, struct mock_pt *pt,
		  unsigned int level, uint64_t iova, uint64_t end, uint64_t paddr, uint32_t prot)
{
	const struct mock_geometry *geo = &mock->geo;
	int rc;

	mock_iommu__assert_locked(mock);
	while (iova < end) {
		size_t idx = level_index(geo, level, iova);
		uint64_t stop = span_end(geo, level, iova, end);
		struct mock_pt *child;

		if (is_leaf_level(geo, level) && stop == end) {
			/* the last page, often the only one (an MSI page): no loop */
			assert(!(pt->pte[idx] & PTE_VALID));
			__atomic_store_n(&pt->pte[idx], pte_mk_leaf(geo, paddr, prot),
					 __ATOMIC_RELEASE);
			pt->used++;
			dom->mapped_pages++;
			return 0;
		}
		if (is_leaf_level(geo, level) || block_fits(geo, level, iova, stop, paddr)) {
			iova = pt_fill(mock, dom, pt, level, idx, iova, end, &paddr, prot);
			continue;
		}
		if (pt->pte[idx] & PTE_VALID) {
			/* a block here would overlap: the extents said no */
			assert(pte_is_table(pt->pte[idx]));
			child = pte_child(pt->pte[idx]);
		} else {
			child = pt_alloc(mock, dom, level + 1);
			if (!child)
				return -ENOMEM;
			/* the zeroed child before its link: a walk
			 * that follows it reads zeroes */
			__atomic_store_n(&pt->pte[idx], pte_mk_table(child), __ATOMIC_RELEASE);
			pt->used++;
		}
		rc = pt_map(mock, dom, child, level + 1, iova, stop, paddr, prot);
		if (rc)
			return rc;
		paddr += stop - iova;
		iova = stop;
	}
	return 0;
}

/*
 * Clears the leaves of @pt from @idx, the first at @iova, for as long as
 * leaves follow within [iova, end), adding the pages they mapped to
 * *@cleared. Returns where it stopped.
 */
static uint64_t pt_unfill(const struct mock_iommu *mock, struct mock_domain *dom,
			  struct mock_pt *pt, unsigned int level, size_t idx, uint64_t iova,
			  uint64_t end, uint64_t *cleared)
{
	const struct mock_geometry *geo = &mock->geo;
	unsigned int shift = level_shift(geo, level);
	uint64_t room = level_entries(geo, level) - idx, k = (end - iova) >> shift;
	size_t first = idx;

	mock_iommu__assert_locked(mock);
	/* the range holds the whole leaf: the caller split the cut ones */
	assert(!(iova & ((1ull << shift) - 1)) && k >= 1);
	k = k < room ? k : room;
	do {
		__atomic_store_n(&pt->pte[idx], 0, __ATOMIC_RELEASE);
		idx++;
	} while (idx - first < k && pte_is_leaf(pt->pte[idx]));
	pt->used -= (unsigned int)(idx - first);
	if (!is_leaf_level(geo, level))
		dom->blocks -= idx - first;
	*cleared += (uint64_t)(idx - first) << (shift - geo->page_shift);
	return iova + ((uint64_t)(idx - first) << shift);
}

/*
 * Clears every valid leaf in [iova, end) under @pt and frees the tables
 * that end up empty, including ones pt_map() allocated and never filled.
 * A block in the range lies wholly inside it: the caller split the ones
 * its ends cut (a failed map's range has only its own, whole blocks).
 */
static uint64_t pt_clear(const struct mock_iommu *mock, struct mock_domain *dom, struct mock_pt *pt,
			 unsigned int level, uint64_t iova, uint64_t end)
{
	const struct mock_geometry *geo = &mock->geo;
	uint64_t cleared = 0;

	mock_iommu__assert_locked(mock);
	while (iova < end && pt->used) {
		size_t idx = level_index(geo, level, iova);
		uint64_t stop = span_end(geo, level, iova, end);
		struct mock_pt *child;

		if (!(pt->pte[idx] & PTE_VALID)) {
			iova = stop;
			continue;
		}
		if (is_leaf_level(geo, level) && stop == end) {
			/* the last page, often the only one (an MSI page): no loop */
			__atomic_store_n(&pt->pte[idx], 0, __ATOMIC_RELEASE);
			pt->used--;
			return cleared + 1;
		}
		if (pte_is_leaf(pt->pte[idx])) {
			iova = pt_unfill(mock, dom, pt, level, idx, iova, end, &cleared);
			continue;
		}
		child = pte_child(pt->pte[idx]);
		cleared += pt_clear(mock, dom, child, level + 1, iova, stop);
		if (!child->used) {
			/* unlinked now, freed once no walk can be in it */
			__atomic_store_n(&pt->pte[idx], 0, __ATOMIC_RELEASE);
			child->dead = dom->dead;
			dom->dead = child;
			pt->used--;
		}
		iova = stop;
	}
	return cleared;
}

/* Frees the tables unlinked from @dom, once no lock-free walk can be in them. */
static void free_dead(struct mock_iommu *mock, struct mock_domain *dom)
{
	mock_iommu__assert_locked(mock);
	if (!dom->dead)
		return;
	/* one grace period for every table unlinked since the last */
	swmsi_rcu_synchronize(&mock->rcu);
	while (dom->dead) {
		struct mock_pt *pt = dom->dead;

		dom->dead = pt->dead;
		pt_free(mock, dom, pt);
	}
}

uint64_t mock_iommu__pgtable_clear(struct mock_iommu *mock, struct mock_domain *dom, uint64_t iova,
				   uint64_t end)
{
	uint64_t cleared;

	mock_iommu__assert_locked(mock);
	cleared = pt_clear(mock, dom, dom->root, 0, iova, end);
	assert(dom->mapped_pages >= cleared);
	dom->mapped_pages -= cleared;
	free_dead(mock, dom);
	return cleared;
}

/* The splits of one pgtable_split() call, so that a failed one is undone. */
struct split_log {
	struct mock_pt *pt[SPLIT_LOG_MAX];
	size_t idx[SPLIT_LOG_MAX];
	uint64_t old[SPLIT_LOG_MAX];
	unsigned int n;
};

/*
 * Replaces the block in @pt->pte[idx] at @level by a full table of entries
 * one level down (blocks, or pages at the last level) mapping the same.
 */
static int split_block(struct mock_iommu *mock, struct mock_domain *dom, struct mock_pt *pt,
		       unsigned int level, size_t idx, struct split_log *log)
{
	const struct mock_geometry *geo = &mock->geo;
	unsigned int shift = level_shift(geo, level + 1);
	size_t i, n = level_entries(geo, level + 1);
	uint64_t block = pt->pte[idx];
	struct mock_pt *child;

	mock_iommu__assert_locked(mock);
	/* io-pgtable-arm's sizes: a block's span is a whole entry one level down */
	assert(is_leaf_level(geo, level + 1) || (geo->block_levels & (1u << (level + 1))));
	assert(log->n < SPLIT_LOG_MAX);
	child = pt_alloc(mock, dom, level + 1);
	if (!child)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		child->pte[i] = pte_mk_leaf(geo, pte_paddr(geo, block) + ((uint64_t)i << shift),
					    pte_prot(block));
	child->used = (unsigned int)n;
	dom->blocks += (is_leaf_level(geo, level + 1) ? 0 : n) - 1;
	/* filled before linked: a walk sees the block or the table, and both
	 * translate every address alike */
	__atomic_store_n(&pt->pte[idx], pte_mk_table(child), __ATOMIC_RELEASE);
	log->pt[log->n] = pt;
	log->idx[log->n] = idx;
	log->old[log->n] = block;
	log->n++;
	return 0;
}

/* Splits every block that has @addr strictly inside it, top down. */
static int split_at(struct mock_iommu *mock, struct mock_domain *dom, uint64_t addr,
		    struct split_log *log)
{
	const struct mock_geometry *geo = &mock->geo;
	struct mock_pt *pt = dom->root;
	unsigned int level;
	int rc;

	mock_iommu__assert_locked(mock);
	if (addr >= MOCK_IOVA_LIMIT)
		return 0;
	for (level = 0; !is_leaf_level(geo, level); level++) {
		size_t idx = level_index(geo, level, addr);

		if (!(pt->pte[idx] & PTE_VALID))
			return 0;
		if (pte_is_leaf(pt->pte[idx])) {
			if (!(addr & ((1ull << level_shift(geo, level)) - 1)))
				return 0; /* the block starts here: nothing to cut */
			rc = split_block(mock, dom, pt, level, idx, log);
			if (rc)
				return rc;
		}
		pt = pte_child(pt->pte[idx]);
	}
	return 0;
}

/* Puts the split blocks back, newest first, and frees their tables. */
static void split_undo(struct mock_iommu *mock, struct mock_domain *dom, struct split_log *log)
{
	mock_iommu__assert_locked(mock);
	while (log->n) {
		unsigned int k = --log->n;
		struct mock_pt *child = pte_child(log->pt[k]->pte[log->idx[k]]);

		__atomic_store_n(&log->pt[k]->pte[log->idx[k]], log->old[k], __ATOMIC_RELEASE);
		dom->blocks -= (is_leaf_level(&mock->geo, child->level)
					? 0
					: level_entries(&mock->geo, child->level)) -
			       1;
		child->dead = dom->dead;
		dom->dead = child;
	}
	free_dead(mock, dom);
}

int mock_iommu__pgtable_split(struct mock_iommu *mock, struct mock_domain *dom, uint64_t iova,
			      uint64_t end)
{
	struct split_log log = { .n = 0 };
	int rc;

	mock_iommu__assert_locked(mock);
	/* a domain without blocks (MSI pages only) pays nothing here */
	if (iova >= end || !dom->blocks)
		return 0;
	rc = split_at(mock, dom, iova, &log);
	if (!rc)
		rc = split_at(mock, dom, end, &log);
	if (rc)
		split_undo(mock, dom, &log);
	return rc;
}

int mock_iommu__pgtable_map(struct mock_iommu *mock, struct mock_domain *dom, uint64_t iova,
			    uint64_t paddr, uint64_t size, uint32_t prot)
{
	int rc;

	mock_iommu__assert_locked(mock);
	rc = pt_map(mock, dom, dom->root, 0, iova, iova + size, paddr, prot);
	if (rc)
		goto err_clear;
	return 0;

err_clear:
	/* nothing was mapped in the range before: clearing it all undoes us */
	mock_iommu__pgtable_clear(mock, dom, iova, iova + size);
	return rc;
}

int mock_iommu__pgtable_lookup(const struct mock_iommu *mock, const struct mock_domain *dom,
			       uint64_t iova, uint64_t *paddr, uint32_t *prot)
{
	const struct mock_geometry *geo = &mock->geo;
	const struct mock_pt *pt = dom->root;
	unsigned int level;
	uint64_t pte;

	mock_iommu__assert_locked(mock);
	for (level = 0;; level++) {
		pte = pt->pte[level_index(geo, level, iova)];
		if (!(pte & PTE_VALID))
			return -ENOENT;
		if (!(pte & PTE_TABLE))
			break; /* a page, or a block */
		pt = pte_child(pte);
	}
	*paddr = pte_paddr(geo, pte) | (iova & ((1ull << level_shift(geo, level)) - 1));
	if (prot)
		*prot = pte_prot(pte);
	return 0;
}

int mock_iommu__pgtable_lookup_rcu(const struct mock_iommu *mock, const struct mock_domain *dom,
				   uint64_t iova, uint64_t *paddr)
{
	const struct mock_geometry *geo = &mock->geo;
	const struct mock_pt *pt = dom->root;
	unsigned int level;
	uint64_t pte;

	/* no lock: each PTE is read once, atomically; a table unlinked under
	 * us is freed only after our read section (pgtable_clear) */
	for (level = 0;; level++) {
		pte = __atomic_load_n(&pt->pte[level_index(geo, level, iova)], __ATOMIC_ACQUIRE);
		if (!(pte & PTE_VALID))
			return -ENOENT;
		if (!(pte & PTE_TABLE))
			break; /* a page, or a block */
		pt = pte_child(pte);
	}
	*paddr = pte_paddr(geo, pte) | (iova & ((1ull << level_shift(geo, level)) - 1));
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Walking, for ranges and dumps.                                          */

/* Builds maximal runs of leaves (pages, blocks) with contiguous paddr and one prot. */
struct run {
	struct mock_iommu_range cur;
	uint64_t blocks; /* block entries in cur */
	bool open;
};

/*
 * Extends @run with one leaf of @size bytes; returns true when it closed a
 * run into @done.
 */
static bool run_add(struct run *run, uint64_t iova, uint64_t paddr, uint32_t prot, uint64_t size,
		    bool block, struct run *done)
{
	struct mock_iommu_range *cur = &run->cur;

	if (run->open && cur->iova + cur->size == iova && cur->paddr + cur->size == paddr &&
	    cur->prot == prot) {
		cur->size += size;
		run->blocks += block;
		return false;
	}
	if (run->open)
		*done = *run;
	*cur = (struct mock_iommu_range){ .iova = iova, .paddr = paddr, .size = size, .prot = prot };
	run->blocks = block;
	if (!run->open) {
		run->open = true;
		return false;
	}
	return true;
}

typedef void (*range_fn)(void *arg, const struct mock_iommu_range *range, uint64_t blocks);

struct range_walk {
	const struct mock_iommu *mock;
	struct run run;
	range_fn fn;
	void *arg;
};

static void walk_ranges(struct range_walk *w, const struct mock_pt *pt, unsigned int level,
			uint64_t base)
{
	const struct mock_geometry *geo = &w->mock->geo;
	unsigned int shift = level_shift(geo, level);
	size_t i, j, n = level_entries(geo, level), seen = 0;
	struct run done = { .open = false };
	uint64_t span = 1ull << shift, next;
	bool block = !is_leaf_level(geo, level);
	struct mock_iommu_range *cur = &w->run.cur;

	mock_iommu__assert_locked(w->mock);
	for (i = 0; i < n && seen < pt->used; i++) {
		uint64_t pte = pt->pte[i];
		uint64_t iova = base | ((uint64_t)i << shift);

		if (!(pte & PTE_VALID))
			continue;
		seen++;
		if (pte & PTE_TABLE) {
			walk_ranges(w, pte_child(pte), level + 1, iova);
			continue;
		}
		if (run_add(&w->run, iova, pte_paddr(geo, pte), pte_prot(pte), span, block, &done))
			w->fn(w->arg, &done.cur, done.blocks);
		/* the leaves that continue it (same flags, paddr one span on) are
		 * one compare each: 128 blocks of RAM cost little more than one */
		for (j = i + 1, next = pte + span; j < n && pt->pte[j] == next; j++)
			next += span;
		cur->size += (j - i - 1) * span;
		w->run.blocks += block ? j - i - 1 : 0;
		seen += j - i - 1;
		i = j - 1;
	}
}

/* Calls @fn for each merged range of @dom, ascending by IOVA. */
static void for_each_range(const struct mock_iommu *mock, const struct mock_domain *dom,
			   range_fn fn, void *arg)
{
	struct range_walk w = { .mock = mock, .fn = fn, .arg = arg };

	mock_iommu__assert_locked(mock);
	walk_ranges(&w, dom->root, 0, 0);
	if (w.run.open)
		fn(arg, &w.run.cur, w.run.blocks);
}

struct range_copy {
	struct mock_iommu_range *ranges;
	size_t cap;
	size_t count;
	uint64_t blocks; /* seen, to check the domain's count in debug builds */
};

static void range_copy_one(void *arg, const struct mock_iommu_range *range, uint64_t blocks)
{
	struct range_copy *c = arg;

	/* a range is what is mapped, however the table holds it */
	c->blocks += blocks;
	if (c->count < c->cap) {
		struct mock_iommu_range *out = &c->ranges[c->count];

		/* field by field over a zeroed entry: no stack bytes leak
		 * through the padding, so callers may compare with memcmp */
		memset(out, 0, sizeof(*out));
		out->iova = range->iova;
		out->paddr = range->paddr;
		out->size = range->size;
		out->prot = range->prot;
	}
	c->count++;
}

size_t mock_iommu__pgtable_ranges(const struct mock_iommu *mock, const struct mock_domain *dom,
				  struct mock_iommu_range *ranges, size_t cap)
{
	struct range_copy c = { .ranges = ranges, .cap = cap };

	mock_iommu__assert_locked(mock);
	for_each_range(mock, dom, range_copy_one, &c);
	assert(c.blocks == dom->blocks);
	return c.count;
}

struct range_print {
	FILE *out;
	unsigned int page_shift;
	size_t count;
};

static void range_print_one(void *arg, const struct mock_iommu_range *range, uint64_t blocks)
{
	struct range_print *p = arg;
	char prot[4];

	mock_iommu__prot_str(range->prot, prot);
	fprintf(p->out,
		"iova 0x%" PRIx64 "-0x%" PRIx64 " -> paddr 0x%" PRIx64 " [%s] (%" PRIu64 " pages",
		range->iova, range->iova + range->size - 1, range->paddr, prot,
		range->size >> p->page_shift);
	/* a page-only range prints as it always did */
	if (blocks)
		fprintf(p->out, ", %" PRIu64 " block%s", blocks, blocks == 1 ? "" : "s");
	fprintf(p->out, ")\n");
	p->count++;
}

void mock_iommu__pgtable_dump(const struct mock_iommu *mock, const struct mock_domain *dom,
			      FILE *out)
{
	struct range_print p = { .out = out, .page_shift = mock->geo.page_shift };

	mock_iommu__assert_locked(mock);
	for_each_range(mock, dom, range_print_one, &p);
	fprintf(out,
		"domain %u: %" PRIu64 " pages mapped in %zu ranges, %" PRIu64
		" table pages, %u levels of %uK tables\n",
		dom->serial, dom->mapped_pages, p.count, dom->table_pages, mock->geo.levels,
		1u << (mock->geo.page_shift - 10));
}

/* ---------------------------------------------------------------------- */
/* Graphviz.                                                               */

struct dot {
	const struct mock_iommu *mock;
	const struct mock_geometry *geo;
	FILE *out;
	unsigned int next_id;
};

/* One node for a run of leaves of @table_id at @level, entries first..last. */
static void dot_run(struct dot *d, unsigned int table_id, unsigned int level, size_t first,
		    size_t last, const struct run *run)
{
	const struct mock_iommu_range *r = &run->cur;
	unsigned int id = d->next_id++, shift = level_shift(d->geo, level);
	char prot[4];

	mock_iommu__prot_str(r->prot, prot);
	fprintf(d->out,
		"  r%u [shape=note, label=\"iova 0x%" PRIx64 "-0x%" PRIx64 "\\n-> paddr 0x%" PRIx64
		" [%s]\\n%" PRIu64 " pages",
		id, r->iova, r->iova + r->size - 1, r->paddr, prot, r->size >> d->geo->page_shift);
	if (run->blocks)
		fprintf(d->out, " in %" PRIu64 " block%s of %" PRIu64 "%c", run->blocks,
			run->blocks == 1 ? "" : "s",
			(uint64_t)1 << (shift >= 30 ? shift - 30 : shift - 20),
			shift >= 30 ? 'G' : 'M');
	fprintf(d->out, "\"];\n");
	if (first == last)
		fprintf(d->out, "  t%u -> r%u [label=\"%zu\"];\n", table_id, id, first);
	else
		fprintf(d->out, "  t%u -> r%u [label=\"%zu-%zu\"];\n", table_id, id, first, last);
}

static unsigned int dot_table(struct dot *d, const struct mock_pt *pt, unsigned int level,
			      uint64_t base);

/* Where a table's leaves (pages, blocks) are summarised as runs so far. */
struct dot_runs {
	struct run run;
	size_t first, prev;
};

static void dot_runs_flush(struct dot *d, unsigned int table_id, unsigned int level,
			   struct dot_runs *r)
{
	if (r->run.open)
		dot_run(d, table_id, level, r->first, r->prev, &r->run);
	r->run.open = false;
}

/*
 * A table's entries: its leaves as runs (contiguous paddr, one prot), each
 * one node, so a 512-page mapping is one box and not 512; its child tables
 * each with its edge.
 */
static void dot_entries(struct dot *d, unsigned int table_id, const struct mock_pt *pt,
			unsigned int level, uint64_t base)
{
	const struct mock_geometry *geo = d->geo;
	unsigned int shift = level_shift(geo, level);
	size_t i, n = level_entries(geo, level);
	struct dot_runs r = { .run = { .open = false } };
	struct run done = { .open = false };

	mock_iommu__assert_locked(d->mock);
	for (i = 0; i < n; i++) {
		uint64_t pte = pt->pte[i], iova = base | ((uint64_t)i << shift);

		if (!(pte & PTE_VALID))
			continue;
		if (pte & PTE_TABLE) {
			dot_runs_flush(d, table_id, level, &r);
			fprintf(d->out, "  t%u -> t%u [label=\"%zu\"];\n", table_id,
				dot_table(d, pte_child(pte), level + 1, iova), i);
			continue;
		}
		if (run_add(&r.run, iova, pte_paddr(geo, pte), pte_prot(pte), 1ull << shift,
			    !is_leaf_level(geo, level), &done)) {
			dot_run(d, table_id, level, r.first, r.prev, &done);
			r.first = i;
		} else if (r.run.cur.size == (1ull << shift)) {
			r.first = i;
		}
		r.prev = i;
	}
	dot_runs_flush(d, table_id, level, &r);
}

static unsigned int dot_table(struct dot *d, const struct mock_pt *pt, unsigned int level,
			      uint64_t base)
{
	const struct mock_geometry *geo = d->geo;
	unsigned int id = d->next_id++, shift = level_shift(geo, level);
	size_t i, n = level_entries(geo, level), lo = n, hi = 0;
	uint64_t span = (uint64_t)n << shift;

	mock_iommu__assert_locked(d->mock);
	for (i = 0; i < n; i++) {
		if (!(pt->pte[i] & PTE_VALID))
			continue;
		if (lo == n)
			lo = i;
		hi = i;
	}
	fprintf(d->out, "  t%u [label=\"L%u %s\\niova 0x%" PRIx64 "-0x%" PRIx64 "\\n%u/%zu used",
		id, level, level == 0 ? "root" : "table", base, base + span - 1, pt->used, n);
	if (pt->used)
		fprintf(d->out, ", idx %zu-%zu", lo, hi);
	fprintf(d->out, "\"];\n");
	dot_entries(d, id, pt, level, base);
	return id;
}

void mock_iommu__pgtable_dump_dot(const struct mock_iommu *mock, const struct mock_domain *dom,
				  FILE *out)
{
	struct dot d = { .mock = mock, .geo = &mock->geo, .out = out };

	mock_iommu__assert_locked(mock);
	fprintf(out, "digraph mock_domain_%u {\n", dom->serial);
	fprintf(out, "  label=\"domain %u: %" PRIu64 " pages mapped, %" PRIu64 " table pages\";\n",
		dom->serial, dom->mapped_pages, dom->table_pages);
	fprintf(out, "  rankdir=LR;\n  node [shape=box, fontname=\"monospace\"];\n");
	dot_table(&d, dom->root, 0, 0);
	fprintf(out, "}\n");
}
