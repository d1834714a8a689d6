/* SPDX-License-Identifier: MIT */
/*
 * libswmsi-mock internals, shared by mock_iommu.c (instance, backend ops,
 * faults), pgtable.c (the radix tables), extent.c (what each map call
 * covered) and journal.c. Nothing here is reachable from include/.
 *
 * Locking: every field of struct mock_iommu below `lock` and everything a
 * domain owns is guarded by mock->lock. Entry points in mock_iommu.c and
 * journal.c take it with mock_iommu__lock(); every helper that touches
 * guarded state, static or not, starts with mock_iommu__assert_locked()
 * (the owner thread is checked in debug builds, as the core's
 * assert_locked() does) and never takes it.
 *
 * Files: mock_iommu.c calls into pgtable.c, extent.c and journal.c, never
 * the other way round; what all of them need (the lock, the allocation hook
 * with its fault injection, the prot formatter) is a static inline here, so
 * the call graph between the files has no cycle (tools/callgraph.sh).
 */
#ifndef SWMSI_MOCK_PRIVATE_H
#define SWMSI_MOCK_PRIVATE_H

#include <assert.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <bsd/sys/tree.h>

/*
 * libbsd leaves __unused undefined (it clashes with a Linux struct member),
 * so its RB_GENERATE_STATIC does not compile; spell the attribute out.
 */
#define MOCK_RB_GENERATE_STATIC(name, type, field, cmp) \
	RB_GENERATE_INTERNAL(name, type, field, cmp, __attribute__((unused)) static)

#include <swmsi/mock_iommu.h>

/* the core's read-section scheme and pointer index, header-only */
#include "../src/swmsi_rcu.h"

/* The IOVA space ends here: an IOVA at or above it is -ERANGE. */
#define MOCK_IOVA_LIMIT (1ull << MOCK_IOMMU_IOVA_BITS)

/* The most levels a geometry has, rounded up to a power of two: 4 for the
 * 4K and 16K granules, 5 for the 2K one a shape may ask for. */
#define MOCK_MAX_LEVELS 8

/*
 * The shape of every domain's table, fixed by the granule as on ARM LPAE:
 * a table page of 2^page_shift bytes holds 2^(page_shift - 3) eight-byte
 * PTEs, so each level resolves page_shift - 3 bits of the IOVA, and the
 * top level resolves whatever is left of the 48 bits (2 entries for 16K,
 * 64 for 64K).
 */
struct mock_geometry {
	unsigned int page_shift;
	unsigned int levels;	     /* 4, 4, 3 for 4K, 16K, 64K */
	unsigned int bits_per_level; /* page_shift - 3 */
	unsigned int top_bits;	     /* bits resolved by the root */
	/*
	 * Bit L set: a PTE at level L may be a block entry, a leaf that maps
	 * its whole span, where io-pgtable-arm's page sizes allow one (2M
	 * and 1G for 4K, 32M for 16K, 512M for 64K). 0: page-only tables.
	 */
	unsigned int block_levels;
	/* log2 of the IOVA span of one PTE at each level: every walk needs it */
	unsigned int shift[MOCK_MAX_LEVELS];
};

/*
 * One table page. pte[] has 2^bits entries for its level. A leaf PTE holds
 * the page's paddr with the prot bits and a valid bit below page_shift; a
 * table PTE holds the child's address (we have no physical memory to point
 * into, so the host pointer stands in for the table's PA).
 */
struct mock_pt {
	unsigned int used;    /* valid PTEs: 0 frees a non-root table */
	unsigned int level;   /* 0: the root */
	struct mock_pt *dead; /* unlinked, waiting for a grace period; spare: the next */
	uint64_t pte[];	      /* stored atomically: iova_to_phys walks without the lock */
};

/*
 * The IOVA range one successful map call covered. The extents of a domain
 * are disjoint and their union is exactly the set of mapped pages; that is
 * what lets map detect -EEXIST in O(log n) without touching the tables and
 * unmap tell an exact unmap from one that cuts a mapping in two.
 */
struct mock_extent {
	RB_ENTRY(mock_extent) node; /* in mock_domain::extents, by iova */
	uint64_t iova;
	uint64_t size;
};
RB_HEAD(mock_extent_tree, mock_extent);

struct mock_domain {
	RB_ENTRY(mock_domain) node; /* in mock_iommu::domains, by address */
	unsigned int serial;
	struct mock_pt *root;  /* lives as long as the domain */
	uint64_t mapped_pages; /* bytes mapped >> page_shift: a block counts its pages */
	uint64_t table_pages;  /* tables allocated, root included */
	uint64_t blocks;       /* block entries: none, no unmap looks for one to split */
	struct mock_extent_tree extents;
	struct mock_pt *dead; /* tables unlinked by the current clear */
};
RB_HEAD(mock_domain_tree, mock_domain);

/* An armed fault fires on the countdown-th call, then disarms. */
struct mock_fault {
	unsigned int countdown; /* 0: disarmed */
	int err;
};

/*
 * A ring of at most cap entries: the retained ones are entries[head],
 * entries[(head + 1) % alloc], ... len of them, oldest first. The array
 * doubles up to cap as entries come, so a mock that records little holds
 * little; only once alloc == cap does a new entry overwrite the oldest, so
 * head is 0 whenever the array grows.
 */
struct mock_journal {
	struct mock_iommu_journal_entry *entries;
	size_t head;	   /* the oldest retained entry */
	size_t len;	   /* retained entries */
	size_t alloc;	   /* entries allocated, <= cap */
	size_t cap;	   /* fixed at create; 0: journal off */
	uint64_t last_seq; /* survives journal_clear */
	uint64_t dropped;  /* entries lost to allocation failure */
	uint64_t evicted;  /* entries pushed out by capacity */
};

struct mock_iommu {
	/*
	 * Read without the lock by op_iova_to_phys(), which never reads
	 * block_levels: only mock_iommu_set_page_only() changes that, under
	 * the lock and with no domain alive; the rest is immutable.
	 */
	struct mock_geometry geo;
	/*
	 * The shape (mock_iommu_set_shape()): the granule it was created with,
	 * whether blocks are off, and the aperture op_aperture() reports.
	 * Changed under the lock while no domain is alive, as geo is.
	 */
	unsigned int created_shift;
	bool page_only;
	uint64_t aperture_first, aperture_last;
	pthread_mutex_t lock;
#ifndef NDEBUG
	pthread_t owner; /* valid while owned */
	bool owned;
#endif
	/*
	 * The live domains, keyed by the handle's address, so that a stale or
	 * made-up handle is found missing without being dereferenced.
	 */
	struct mock_domain_tree domains;
	/*
	 * The same live domains for op_iova_to_phys(), which runs without the
	 * lock so that translation scales with threads: an index readers
	 * probe by the handle's address (never dereferencing a stale one),
	 * and the grace periods a writer waits before freeing a domain or a
	 * table page a walk could be in.
	 */
	struct swmsi_rcu_index domix;
	struct swmsi_rcu rcu;
	size_t domain_count;
	unsigned int last_serial;
	uint64_t map_calls;
	uint64_t misuse;
	uint64_t unmap_limit; /* bytes per unmap call; UINT64_MAX: none */
	struct mock_fault map_fault;
	struct mock_fault domain_alloc_fault;
	unsigned int alloc_countdown; /* mock_iommu_fail_alloc(); 0: disarmed */
	struct mock_journal journal;
	/*
	 * Table pages freed empty (every PTE zero), by level, linked through
	 * dead: the next table of that level comes from here, with no
	 * allocation and no zeroing. A mock that is reset and reused (the
	 * explorer) allocates its tables once.
	 */
	struct mock_pt *spare[MOCK_MAX_LEVELS];
};

/* The lock: entry points take it once, helpers assert it. */
static inline void mock_iommu__lock(struct mock_iommu *mock)
{
	pthread_mutex_lock(&mock->lock);
#ifndef NDEBUG
	mock->owner = pthread_self();
	mock->owned = true;
#endif
}

/*
 * Only the holder may read owner and owned without racing: a helper reached
 * without the lock is the bug this catches, as the core's assert_locked().
 */
static inline void mock_iommu__assert_locked(const struct mock_iommu *mock)
{
#ifndef NDEBUG
	assert(mock->owned && pthread_equal(mock->owner, pthread_self()));
#else
	(void)mock;
#endif
}

static inline void mock_iommu__unlock(struct mock_iommu *mock)
{
	mock_iommu__assert_locked(mock);
#ifndef NDEBUG
	mock->owned = false;
#endif
	pthread_mutex_unlock(&mock->lock);
}

/*
 * The allocation hook: every allocation of the mock goes through here so
 * that mock_iommu_fail_alloc() can fail the nth one. True when this is it.
 */
static inline bool mock_iommu__alloc_fault(struct mock_iommu *mock)
{
	mock_iommu__assert_locked(mock);
	if (!mock->alloc_countdown)
		return false;
	return --mock->alloc_countdown == 0;
}

static inline void *mock_iommu__zalloc(struct mock_iommu *mock, size_t size)
{
	if (mock_iommu__alloc_fault(mock))
		return NULL;
	return calloc(1, size);
}

/* "rwm" with a '-' for each missing bit, as the dumps print prot. */
static inline void mock_iommu__prot_str(uint32_t prot, char buf[4])
{
	buf[0] = prot & SWMSI_PROT_READ ? 'r' : '-';
	buf[1] = prot & SWMSI_PROT_WRITE ? 'w' : '-';
	buf[2] = prot & SWMSI_PROT_MMIO ? 'm' : '-';
	buf[3] = '\0';
}

/* pgtable.c */
/* Any granule from MOCK_IOMMU_MIN_PAGE_SHIFT to 16: callers that take
 * only 12, 14 and 16 check that themselves. */
int mock_iommu__geometry_init(struct mock_geometry *geo, unsigned int page_shift, bool page_only);
/* The page sizes a domain of @geo maps: the granule, and its blocks. */
uint64_t mock_iommu__pgsizes(const struct mock_geometry *geo);
int mock_iommu__pgtable_init(struct mock_iommu *mock, struct mock_domain *dom);
void mock_iommu__pgtable_destroy(struct mock_iommu *mock, struct mock_domain *dom);
/* Free the spare table pages. */
void mock_iommu__pgtable_spares_free(struct mock_iommu *mock);
int mock_iommu__pgtable_map(struct mock_iommu *mock, struct mock_domain *dom, uint64_t iova,
			    uint64_t paddr, uint64_t size, uint32_t prot);
/* Splits the blocks that @iova and @end cut: 0, or -ENOMEM with nothing changed. */
int mock_iommu__pgtable_split(struct mock_iommu *mock, struct mock_domain *dom, uint64_t iova,
			      uint64_t end);
/* Clears [iova, end), whose ends cut no block (split first); returns pages. */
uint64_t mock_iommu__pgtable_clear(struct mock_iommu *mock, struct mock_domain *dom, uint64_t iova,
				   uint64_t end);
int mock_iommu__pgtable_lookup(const struct mock_iommu *mock, const struct mock_domain *dom,
			       uint64_t iova, uint64_t *paddr, uint32_t *prot);
/* The same walk without the lock, inside a read section of mock->rcu. */
int mock_iommu__pgtable_lookup_rcu(const struct mock_iommu *mock, const struct mock_domain *dom,
				   uint64_t iova, uint64_t *paddr);
size_t mock_iommu__pgtable_ranges(const struct mock_iommu *mock, const struct mock_domain *dom,
				  struct mock_iommu_range *ranges, size_t cap);
void mock_iommu__pgtable_dump(const struct mock_iommu *mock, const struct mock_domain *dom,
			      FILE *out);
void mock_iommu__pgtable_dump_dot(const struct mock_iommu *mock, const struct mock_domain *dom,
				  FILE *out);

/* extent.c */
bool mock_iommu__extent_overlaps(const struct mock_iommu *mock, struct mock_domain *dom,
				 uint64_t iova, uint64_t end);
bool mock_iommu__extent_exact(const struct mock_iommu *mock, struct mock_domain *dom, uint64_t iova,
			      uint64_t end);
uint64_t mock_iommu__extent_stop(const struct mock_iommu *mock, struct mock_domain *dom,
				 uint64_t iova, uint64_t end, uint64_t budget);
bool mock_iommu__extent_needs_split(const struct mock_iommu *mock, struct mock_domain *dom,
				    uint64_t iova, uint64_t stop);
void mock_iommu__extent_insert(const struct mock_iommu *mock, struct mock_domain *dom,
			       struct mock_extent *ext);
void mock_iommu__extent_remove_range(const struct mock_iommu *mock, struct mock_domain *dom,
				     uint64_t iova, uint64_t stop, struct mock_extent *spare);
void mock_iommu__extent_free_all(const struct mock_iommu *mock, struct mock_domain *dom);

/* journal.c */
int mock_iommu__journal_init(struct mock_iommu *mock, size_t cap);
void mock_iommu__journal_record(struct mock_iommu *mock, struct mock_iommu_journal_entry *entry);
void mock_iommu__journal_free(struct mock_iommu *mock);

#endif /* SWMSI_MOCK_PRIVATE_H */
