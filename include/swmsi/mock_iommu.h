/* SPDX-License-Identifier: MIT */
/**
 * @file mock_iommu.h
 * @brief libswmsi-mock: a backend that keeps real multi-level page tables.
 *
 * Each domain is a radix page table over a 48-bit IOVA space with a 4K, 16K
 * or 64K granule, table pages allocated on demand and freed when empty. PTEs
 * keep the physical address and prot bits.
 *
 * What a map costs: as io-pgtable-arm (the kernel's ARM SMMU tables), a map
 * uses a block entry, one PTE for a whole aligned span, wherever the IOVA,
 * the physical address and the length allow one: 2 MiB and 1 GiB blocks
 * with 4K pages, 32 MiB with 16K, 512 MiB with 64K; pages elsewhere. So a
 * map costs one PTE per block or page it takes, plus a table page (of the
 * granule's size) for each table it is first to need: 64 GiB of 1 GiB
 * aligned RAM with 4K pages is 64 PTEs in 2 tables, as cheap as 2 MiB (one
 * PTE, 3 tables), where page by page it was 16 million PTEs in 32 MiB of
 * tables. An unmap that cuts a block first splits it into a table of the
 * next level's blocks or pages (one table page per level split; if that
 * allocation fails the unmap unmaps nothing), so the table then translates
 * exactly as a page-by-page one would. mock_iommu_set_page_only() turns
 * blocks off. Every map and unmap is recorded in
 * a journal that tests read and clear; faults can be injected into map,
 * domain_alloc and the mock's own allocations. Misuse by the caller (an
 * unknown domain, an unmap that does not match earlier maps, a domain freed
 * while it maps something) is counted, not punished: tests assert
 * mock_iommu_misuse_count() stays 0.
 *
 * Thread safety: every function but mock_iommu_destroy() is safe from any
 * thread; one mock may serve several contexts at once. Each takes the mock's
 * own lock, except the few that read a constant (say so below) and the
 * backend op iova_to_phys, a lock-free reader: it walks the page table under
 * a grace period (include/swmsi/iommu.h asks that of every backend, since
 * libswmsi calls it without the context lock), concurrently with map and
 * unmap, and takes the lock only to count a misuse. The other backend ops
 * run under the calling context's lock as well as the mock's; the mock never
 * calls into libswmsi, so no lock order arises.
 *
 * The backend's priv pointer (struct swmsi_ctx_opts::iommu_priv) is the
 * struct mock_iommu returned by mock_iommu_create().
 */
#ifndef SWMSI_MOCK_IOMMU_H
#define SWMSI_MOCK_IOMMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <swmsi/export.h>
#include <swmsi/iommu.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Width of the mock's IOVA space: IOVAs at or above 2^48 are -ERANGE. */
#define MOCK_IOMMU_IOVA_BITS 48

/** @brief The smallest granule a shape may ask for (mock_iommu_set_shape()):
 * 2 KiB pages, the kernel selftest mock's IO page on 4 KiB CPU pages. */
#define MOCK_IOMMU_MIN_PAGE_SHIFT 11

/** @brief A mock IOMMU instance (one "hardware unit"). Opaque. */
struct mock_iommu;

/**
 * @brief Create a mock IOMMU with no domain, an empty journal and no fault
 * armed.
 * @param[in] page_shift 12, 14 or 16 (the granule; 0 is not a default here).
 * A context whose page size differs gets -EINVAL from the first map.
 * @param[out] mockp the new instance, written on success only.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p mockp NULL; @p page_shift other than 12, 14 or 16.
 * - -ENOMEM: out of memory.
 * @par Thread safety
 * Safe; touches nothing shared.
 * @par Undo
 * mock_iommu_destroy().
 */
SWMSI_API int mock_iommu_create(unsigned int page_shift, struct mock_iommu **mockp);

/**
 * @brief Journal capacity mock_iommu_create() gives a mock: 65536 entries,
 * at most 3.5 MiB of journal however long the mock runs.
 */
#define MOCK_IOMMU_JOURNAL_DEFAULT_CAP 65536

/**
 * @brief What mock_iommu_create_opts() builds. Zero-initialise it and set
 * each field: a zero field means what its description says for 0.
 */
struct mock_iommu_opts {
	/** @brief The granule: 12, 14 or 16 (4K, 16K or 64K pages). */
	unsigned int page_shift;
	/**
	 * @brief Journal entries kept, fixed for the mock's life: once that
	 * many are kept, each new entry overwrites the oldest (counted by
	 * mock_iommu_journal_evicted()). 0 turns the journal off: calls are
	 * still numbered and counted, nothing is kept. Memory grows with what
	 * is kept, up to 56 bytes times this; MOCK_IOMMU_JOURNAL_DEFAULT_CAP is
	 * what mock_iommu_create() uses.
	 */
	size_t journal_cap;
};

/**
 * @brief Create a mock IOMMU with options; mock_iommu_create() is this with
 * the default journal capacity.
 *
 * Allocates the instance only: the journal's memory comes as entries are
 * recorded, up to @p opts->journal_cap entries.
 *
 * @param[in] opts the granule and the journal's capacity; read during the
 * call only.
 * @param[out] mockp set to the new instance on success, untouched on failure.
 * @return 0 on success;
 * -EINVAL if @p opts or @p mockp is NULL, if @p opts->page_shift is not 12,
 * 14 or 16, or if @p opts->journal_cap entries would not fit in a size_t
 * of bytes;
 * -ENOMEM if the instance or its lock cannot be allocated.
 * A failed call allocates nothing and leaves *@p mockp as it was.
 *
 * Thread safety: may be called from any thread; the new mock is not shared
 * until the caller shares it.
 * Undo: mock_iommu_destroy().
 */
SWMSI_API int mock_iommu_create_opts(const struct mock_iommu_opts *opts, struct mock_iommu **mockp);

/**
 * @brief Return a mock to the state mock_iommu_create_opts() gave it, keeping
 * its memory: every domain still alive is freed (its handle is invalid
 * after the call; unlike mock_iommu_destroy(), none counts as a misuse),
 * domain serials start again at 1, the journal is emptied and its sequence
 * numbers, dropped and evicted counts start again at 0, every armed fault
 * is disarmed, mock_iommu_limit_unmap() is lifted, and the misuse and map
 * call counts are 0; a shape (mock_iommu_set_shape()) gives way to the
 * granule it was created with and the whole IOVA space. The granule and the journal's capacity stay. What it
 * keeps (the journal's array, the domain index, emptied table pages) serves
 * the next domains and entries without allocating: a caller that plays
 * many short runs (swmsi-sim --explore) resets one mock instead of
 * creating and destroying one per run.
 *
 * Destroy every context using the mock first.
 * @param[in] mock the mock; NULL is a no-op.
 * @par Thread safety
 * Takes the mock's lock; no context may use the mock during or after the
 * call until the caller hands it to a new one.
 * @par Undo
 * None: what the mock held is gone.
 */
SWMSI_API void mock_iommu_reset(struct mock_iommu *mock);

/**
 * @brief Destroy a mock, freeing any domain still alive (each counts as a
 * misuse, see mock_iommu_misuse_count(), though nobody can read it after).
 *
 * Destroy every context using the mock first.
 * @param[in] mock the mock; NULL is a no-op. Invalid after the call.
 * @par Thread safety
 * Not safe against other calls on @p mock: no other thread (and no context)
 * may use it during or after the call.
 * @par Undo
 * Undoes mock_iommu_create().
 */
SWMSI_API void mock_iommu_destroy(struct mock_iommu *mock);

/**
 * @brief The mock's backend vtable: set swmsi_ctx_opts::iommu to it and
 * swmsi_ctx_opts::iommu_priv to the struct mock_iommu.
 * @return a static vtable, never NULL; the same for every mock. Thread safe.
 */
SWMSI_API const struct swmsi_iommu_ops *mock_iommu_ops(void);

/**
 * @brief Arm a map fault: the @p nth map call from now (1 = the very next),
 * counted over every caller of this mock, fails with @p err and maps nothing;
 * the fault fires once, then disarms.
 *
 * Every map call counts, whatever its arguments; the failed call is
 * journalled with @p err as its result. Arming again replaces the fault.
 * @param[in] mock the mock; NULL is a no-op.
 * @param[in] nth which map call fails; 0 disarms at once.
 * @param[in] err what it returns: a negative errno.
 * @par Thread safety
 * Safe; takes the mock's lock.
 * @par Undo
 * mock_iommu_fail_map() with @p nth 0.
 */
SWMSI_API void mock_iommu_fail_map(struct mock_iommu *mock, unsigned int nth, int err);

/**
 * @brief Arm a domain_alloc fault, as mock_iommu_fail_map() does for map: the
 * @p nth domain_alloc call from now fails with @p err, once.
 * @param[in] mock the mock; NULL is a no-op.
 * @param[in] nth which domain_alloc call fails; 0 disarms at once.
 * @param[in] err what it returns: a negative errno.
 * @par Thread safety
 * Safe; takes the mock's lock.
 * @par Undo
 * mock_iommu_fail_domain_alloc() with @p nth 0.
 */
SWMSI_API void mock_iommu_fail_domain_alloc(struct mock_iommu *mock, unsigned int nth, int err);

/**
 * @brief Make the mock a backend that unmaps short: from now on every unmap
 * call unmaps at most @p max_bytes, rounded down to the page size, from the
 * start of its range.
 * @param[in] mock the mock; NULL is a no-op.
 * @param[in] max_bytes the most one unmap call unmaps (0: nothing);
 * UINT64_MAX restores normal behaviour.
 * @par Thread safety
 * Safe; takes the mock's lock.
 * @par Undo
 * mock_iommu_limit_unmap() with UINT64_MAX.
 */
SWMSI_API void mock_iommu_limit_unmap(struct mock_iommu *mock, uint64_t max_bytes);

/**
 * @brief The mock's page shift.
 * @param[in] mock the mock.
 * @return 12, 14 or 16, as created (mock_iommu_get_shape() tells the
 * granule a shape set since); 0 for NULL. Thread safe (constant).
 */
SWMSI_API unsigned int mock_iommu_page_shift(const struct mock_iommu *mock);

/**
 * @brief Arm an allocation fault, for testing the mock's own unwind paths:
 * the @p nth memory allocation the mock makes from now (1 = the very next: a
 * domain, a page-table page, a map-call record or journal growth) fails,
 * once.
 *
 * The call that needed it returns -ENOMEM and leaves nothing behind (an unmap
 * that needed it unmaps nothing, which is a short unmap; a journal that
 * cannot grow drops the entry instead, see mock_iommu_journal_dropped()).
 * @param[in] mock the mock; NULL is a no-op.
 * @param[in] nth which allocation fails; 0 disarms.
 * @par Thread safety
 * Safe; takes the mock's lock.
 * @par Undo
 * mock_iommu_fail_alloc() with @p nth 0.
 */
SWMSI_API void mock_iommu_fail_alloc(struct mock_iommu *mock, unsigned int nth);

/**
 * @brief Levels of the mock's page tables.
 * @param[in] mock the mock.
 * @return 4 for 4K and 16K pages, 3 for 64K (5 for a shape's 2K); 0 for
 * NULL. Thread safe (takes the mock's lock: a shape may change it).
 */
SWMSI_API unsigned int mock_iommu_levels(const struct mock_iommu *mock);

/**
 * @brief Map page by page from now, never with a block entry (@p page_only
 * true), or with blocks wherever io-pgtable-arm would use them (false: what
 * every mock starts with; see the file's description). The page-only mode is
 * the reference block tables are tested against (tests/test_mock_blocks.c),
 * and how the mock mapped before it had blocks. mock_iommu_reset() keeps it.
 * @param[in] mock the mock.
 * @param[in] page_only true: pages only.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p mock NULL.
 * - -EBUSY: a domain of @p mock is alive (its tables were built in the
 *   other mode).
 * @par Thread safety
 * Safe; takes the mock's lock.
 * @par Undo
 * mock_iommu_set_page_only() with the other value, while no domain is alive.
 */
SWMSI_API int mock_iommu_set_page_only(struct mock_iommu *mock, bool page_only);

/**
 * @brief What the domains of a mock look like to libswmsi: their granule,
 * which is their smallest page and what the backend op pgsize_bitmap
 * reports (with the granule's block sizes unless blocks are off), and the
 * IOVA range the backend op aperture reports. Zero-initialise it: a zero
 * field means what its description says for 0.
 */
struct mock_iommu_shape {
	/** @brief The granule: MOCK_IOMMU_MIN_PAGE_SHIFT (11) to 16. Only 12,
	 * 14 and 16 have block entries (io-pgtable-arm's); the others map
	 * pages only. 0: the granule the mock was created with. */
	unsigned int page_shift;
	/** @brief The first IOVA the domains translate. */
	uint64_t aperture_first;
	/** @brief The last one (inclusive), at or above aperture_first and
	 * below 2^48. 0 (with aperture_first 0): the whole 48-bit space, what
	 * every mock starts with. */
	uint64_t aperture_last;
};

/**
 * @brief Give the domains allocated from now another shape: the kernel's
 * selftest mock (drivers/iommu/iommufd/selftest.c), for one, has 2 KiB IO
 * pages on 4 KiB CPU pages and the aperture [2^24, 2^31 - 1]. A mock starts
 * with the granule it was created with and the whole 48-bit space;
 * mock_iommu_reset() returns it to that. The journal, faults and counters
 * are untouched; mock_iommu_set_page_only() keeps applying.
 * @param[in] mock the mock.
 * @param[in] shape the shape; read during the call only.
 * @return 0 on success, or a negative errno, and then nothing changed:
 * - -EINVAL: @p mock or @p shape NULL; a granule outside 11..16; an
 *   aperture whose last IOVA is below its first or at or above 2^48.
 * - -EBUSY: a domain of @p mock is alive (its tables were built in the
 *   other shape).
 * @par Thread safety
 * Safe; takes the mock's lock.
 * @par Undo
 * mock_iommu_set_shape() with the old shape (mock_iommu_get_shape()),
 * while no domain is alive.
 */
SWMSI_API int mock_iommu_set_shape(struct mock_iommu *mock, const struct mock_iommu_shape *shape);

/**
 * @brief Read the shape the next domains get.
 * @param[in] mock the mock.
 * @param[out] shape the granule in use (never 0) and the aperture (the
 * whole space as [0, 2^48 - 1]); written on success only.
 * @return 0 on success, or -EINVAL when @p mock or @p shape is NULL.
 * @par Thread safety
 * Safe; takes the mock's lock.
 */
SWMSI_API int mock_iommu_get_shape(struct mock_iommu *mock, struct mock_iommu_shape *shape);

/* ----------------------------------------------------------------------- */
/* Inspection. A domain is the void * handle domain_alloc gave out. Each     */
/* function takes the mock's lock, is safe from any thread and changes      */
/* nothing; asking about an unknown domain is not counted as misuse.        */

/**
 * @brief The domain's serial number, as the journal names domains.
 * @param[in] mock the mock.
 * @param[in] domain a domain handle.
 * @return 1 for the first domain this mock ever allocated, 2 for the next,
 * ...; 0 if @p domain is not a live domain of it or @p mock is NULL.
 */
SWMSI_API unsigned int mock_iommu_domain_serial(struct mock_iommu *mock, const void *domain);

/**
 * @brief Count the live domains.
 * @param[in] mock the mock.
 * @return domains allocated and not yet freed; 0 for NULL.
 */
SWMSI_API size_t mock_iommu_domain_count(struct mock_iommu *mock);

/**
 * @brief Count mapped pages.
 * @param[in] mock the mock.
 * @param[in] domain a live domain, or NULL for all domains.
 * @return pages mapped in @p domain, or in all domains: bytes mapped divided
 * by the page size, a block counting as the pages it spans; 0 for a NULL mock
 * or an unknown domain.
 */
SWMSI_API uint64_t mock_iommu_mapped_pages(struct mock_iommu *mock, const void *domain);

/**
 * @brief Count page-table pages.
 * @param[in] mock the mock.
 * @param[in] domain a live domain, or NULL for all domains.
 * @return table pages held by @p domain (its root included), or by all
 * domains: the tables allocated, each of the granule's size, so a mapping
 * held in blocks costs none below its blocks' level; 0 for a NULL mock or an
 * unknown domain.
 */
SWMSI_API uint64_t mock_iommu_table_pages(struct mock_iommu *mock, const void *domain);

/**
 * @brief Look up one IOVA, returning its PTE contents.
 * @param[in] mock the mock.
 * @param[in] domain a live domain of it.
 * @param[in] iova the address to look up.
 * @param[out] paddr the physical address (with the IOVA's page offset),
 * written on success only.
 * @param[out] prot the PTE's prot bits (may be NULL), written on success only.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p mock, @p domain or @p paddr NULL; @p domain is not a live
 *   domain of @p mock.
 * - -ERANGE: @p iova at or above 2^48.
 * - -ENOENT: nothing mapped at @p iova.
 */
SWMSI_API int mock_iommu_lookup(struct mock_iommu *mock, const void *domain, uint64_t iova,
				uint64_t *paddr, uint32_t *prot);

/** @brief A run of pages mapped contiguously with one prot (a dump line),
 * as mock_iommu_ranges() reports it, whether pages or blocks hold it. */
struct mock_iommu_range {
	uint64_t iova;	/**< first IOVA of the run */
	uint64_t paddr; /**< physical address it maps to */
	uint64_t size;	/**< bytes, a multiple of the page size */
	uint32_t prot;	/**< SWMSI_PROT_* bits of every page in it */
};

/**
 * @brief Copy the mappings of @p domain, ascending by IOVA, adjacent pages
 * with contiguous paddr and the same prot merged into one range.
 * @param[in] mock the mock.
 * @param[in] domain a live domain of it.
 * @param[out] ranges up to @p cap ranges (may be NULL when cap is 0).
 * @param[in] cap room in @p ranges.
 * @param[out] count how many ranges there are (may exceed @p cap).
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p mock, @p domain or @p count NULL, or @p ranges NULL with
 *   @p cap > 0; @p domain is not a live domain of @p mock.
 */
SWMSI_API int mock_iommu_ranges(struct mock_iommu *mock, const void *domain,
				struct mock_iommu_range *ranges, size_t cap, size_t *count);

/**
 * @brief Print a domain as text: one line per range,
 * "iova 0x...-0x... -> paddr 0x... [rwm] (N pages)", or "(N pages, K blocks)"
 * when K block entries hold part of the range, then the counters.
 * @param[in] mock the mock.
 * @param[in] domain a live domain of it.
 * @param[in] out where to print.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p mock, @p domain or @p out NULL; @p domain is not a live
 *   domain of @p mock.
 */
SWMSI_API int mock_iommu_dump(struct mock_iommu *mock, const void *domain, FILE *out);

/**
 * @brief Print a domain's page-table tree as a Graphviz DOT digraph: a box
 * per table, and a note per run of leaves in it (contiguous, one prot):
 * "N pages" at the last level, "N pages in K blocks of 2M" (or 1G, 32M,
 * 512M) above it.
 * @param[in] mock the mock.
 * @param[in] domain a live domain of it.
 * @param[in] out where to print.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p mock, @p domain or @p out NULL; @p domain is not a live
 *   domain of @p mock.
 */
SWMSI_API int mock_iommu_dump_dot(struct mock_iommu *mock, const void *domain, FILE *out);

/** @brief What a journal entry records. */
enum mock_iommu_op {
	/** A map call (swmsi_iommu_ops::map). */
	MOCK_IOMMU_OP_MAP = 1,
	/** An unmap call (swmsi_iommu_ops::unmap). */
	MOCK_IOMMU_OP_UNMAP,
	/** A domain_alloc call (swmsi_iommu_ops::domain_alloc). */
	MOCK_IOMMU_OP_DOMAIN_ALLOC,
	/** A domain_free call (swmsi_iommu_ops::domain_free). */
	MOCK_IOMMU_OP_DOMAIN_FREE,
};

/** @brief One journal entry: one backend call and its result. */
struct mock_iommu_journal_entry {
	uint64_t seq;	       /**< 1, 2, ... over the mock's life (not reset by clear) */
	enum mock_iommu_op op; /**< which backend call */
	unsigned int domain;   /**< the domain's serial (0 for a failed domain_alloc) */
	uint64_t iova;	       /**< map/unmap: the range asked for */
	uint64_t paddr;	       /**< map only */
	uint64_t size;	       /**< map/unmap: bytes asked for */
	uint32_t prot;	       /**< map only */
	int result;	       /**< 0, or the negative errno of a failed map or
				     domain_alloc, or of a misuse (unknown domain,
				     malformed unmap range) */
	uint64_t bytes;	       /**< unmap: bytes unmapped; map: bytes mapped;
				     domain_free: bytes still mapped (a misuse) */
};

/**
 * @brief Count the entries in the journal now.
 * @param[in] mock the mock.
 * @return entries kept since creation or the last clear, at most the
 * capacity (mock_iommu_journal_capacity()); 0 for NULL.
 */
SWMSI_API size_t mock_iommu_journal_len(struct mock_iommu *mock);

/**
 * @brief Copy one journal entry.
 * @param[in] mock the mock.
 * @param[in] idx which entry: 0 = the oldest kept, up to
 * mock_iommu_journal_len() - 1.
 * @param[out] entry the entry, written on success only.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p mock or @p entry NULL.
 * - -ENOENT: @p idx out of range.
 */
SWMSI_API int mock_iommu_journal_get(struct mock_iommu *mock, size_t idx,
				     struct mock_iommu_journal_entry *entry);

/**
 * @brief Empty the journal; sequence numbers keep counting.
 * @param[in] mock the mock; NULL is a no-op.
 */
SWMSI_API void mock_iommu_journal_clear(struct mock_iommu *mock);

/**
 * @brief Count the entries the journal failed to record because it could not
 * grow (an allocation failure; the call itself was carried out). Their
 * sequence numbers stay unused. Entries overwritten because the ring was full
 * are counted by mock_iommu_journal_evicted() instead.
 * @param[in] mock the mock.
 * @return entries dropped over the mock's life (not reset by clear); 0 for
 * NULL.
 */
SWMSI_API uint64_t mock_iommu_journal_dropped(struct mock_iommu *mock);

/**
 * @brief The journal's capacity: the most entries it keeps, as set at
 * creation (struct mock_iommu_opts::journal_cap).
 *
 * @param[in] mock the mock, or NULL.
 * @return the capacity in entries; 0 if the journal is off or @p mock is
 * NULL. Never fails.
 *
 * Thread safety: any thread, without locking (the capacity never changes).
 * Undo: none, it changes nothing.
 */
SWMSI_API size_t mock_iommu_journal_capacity(const struct mock_iommu *mock);

/**
 * @brief Entries the journal recorded but no longer keeps because it was
 * full: the oldest, each overwritten by a newer one (with capacity 0, every
 * entry). They keep their sequence numbers, so the oldest kept entry's
 * number shows where the journal now starts. Counted over the mock's life;
 * mock_iommu_journal_clear() does not reset it. mock_iommu_journal_dump()
 * prints it as a first line.
 *
 * @param[in] mock the mock, or NULL.
 * @return the count; 0 if @p mock is NULL. Never fails.
 *
 * Thread safety: any thread; takes the mock's lock.
 * Undo: none, it changes nothing.
 */
SWMSI_API uint64_t mock_iommu_journal_evicted(struct mock_iommu *mock);

/**
 * @brief Print the journal, an entry a line, after a first line saying how
 * many entries were overwritten (mock_iommu_journal_evicted()) when any were,
 * then how many were dropped.
 * @param[in] mock the mock.
 * @param[in] out where to print.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p mock or @p out NULL.
 */
SWMSI_API int mock_iommu_journal_dump(struct mock_iommu *mock, FILE *out);

/**
 * @brief Count how often a caller misused the mock: freeing a domain that
 * still has mappings, unmapping a range that is not mapped exactly (a partly
 * mapped range or one cutting a mapping made by one map call, or a malformed
 * range), an unknown domain handle given to a backend op, or domains left
 * alive at destroy. Tests assert it stays 0.
 * @param[in] mock the mock.
 * @return misuses over the mock's life; 0 for NULL.
 */
SWMSI_API uint64_t mock_iommu_misuse_count(struct mock_iommu *mock);

/**
 * @brief Count the map calls ever made on the mock.
 * @param[in] mock the mock.
 * @return map calls over the mock's life, failed ones included; 0 for NULL.
 */
SWMSI_API uint64_t mock_iommu_map_calls(struct mock_iommu *mock);

#ifdef __cplusplus
}
#endif

#endif /* SWMSI_MOCK_IOMMU_H */
