/* SPDX-License-Identifier: MIT */
/**
 * @file mock_iommu.h
 * @brief libswmsi-mock: a backend that keeps real multi-level page tables.
 *
 * Each domain is a radix page table over a 48-bit IOVA space with a 4K, 16K
 * or 64K granule, table pages allocated on demand and freed when empty. PTEs
 * keep the physical address and prot bits. Every map and unmap is recorded in
 * a journal that tests read and clear; faults can be injected into map and
 * domain_alloc. All functions are thread safe.
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

/** @brief A mock IOMMU instance (one "hardware unit"). Opaque. */
struct mock_iommu;

/**
 * @brief Create a mock IOMMU.
 * @param[in] page_shift 12, 14 or 16 (the granule).
 * @param[out] mockp the new instance.
 * @return 0; -EINVAL (NULL, bad page_shift); -ENOMEM.
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
SWMSI_API int mock_iommu_create_opts(const struct mock_iommu_opts *opts,
				     struct mock_iommu **mockp);

/**
 * @brief Destroy a mock, freeing any domain still alive (each counts as a
 * misuse, see mock_iommu_misuse_count()). NULL is a no-op.
 */
SWMSI_API void mock_iommu_destroy(struct mock_iommu *mock);

/** @brief The backend vtable; pass the mock as iommu_priv. */
SWMSI_API const struct swmsi_iommu_ops *mock_iommu_ops(void);

/**
 * @brief The @p nth map call from now (1 = the very next), counted over every
 * caller of this mock, fails with @p err (a negative errno) and maps nothing;
 * the fault fires once, then disarms. nth = 0 disarms at once.
 */
SWMSI_API void mock_iommu_fail_map(struct mock_iommu *mock, unsigned int nth, int err);

/** @brief As mock_iommu_fail_map(), for domain_alloc calls. */
SWMSI_API void mock_iommu_fail_domain_alloc(struct mock_iommu *mock, unsigned int nth, int err);

/**
 * @brief From now on every unmap call unmaps at most @p max_bytes (a
 * backend that unmaps short); UINT64_MAX restores normal behaviour.
 */
SWMSI_API void mock_iommu_limit_unmap(struct mock_iommu *mock, uint64_t max_bytes);

/** @brief The mock's page shift. */
SWMSI_API unsigned int mock_iommu_page_shift(const struct mock_iommu *mock);

/**
 * @brief The @p nth memory allocation the mock makes from now (1 = the very
 * next: a domain, a page-table page, a map-call record or journal growth)
 * fails, once; nth = 0 disarms. The call that needed it returns -ENOMEM
 * and leaves nothing behind (a journal that cannot grow drops the entry
 * instead, see mock_iommu_journal_dropped()). For testing the mock's own
 * unwind paths.
 */
SWMSI_API void mock_iommu_fail_alloc(struct mock_iommu *mock, unsigned int nth);

/**
 * @brief Levels of the mock's page tables: 4 for 4K and 16K, 3 for 64K
 * (0 for NULL).
 */
SWMSI_API unsigned int mock_iommu_levels(const struct mock_iommu *mock);

/* ----------------------------------------------------------------------- */
/* Inspection. A domain is the void * handle domain_alloc gave out.        */

/**
 * @brief The domain's serial number: 1 for the first domain this mock ever
 * allocated, 2 for the next, ...; 0 if @p domain is not a live domain.
 */
SWMSI_API unsigned int mock_iommu_domain_serial(struct mock_iommu *mock, const void *domain);

/** @brief Live domains. */
SWMSI_API size_t mock_iommu_domain_count(struct mock_iommu *mock);

/** @brief Pages mapped in @p domain, or in all domains when it is NULL. */
SWMSI_API uint64_t mock_iommu_mapped_pages(struct mock_iommu *mock, const void *domain);

/**
 * @brief Page-table pages held by @p domain (its root included), or by all
 * domains when it is NULL.
 */
SWMSI_API uint64_t mock_iommu_table_pages(struct mock_iommu *mock, const void *domain);

/**
 * @brief Look up one IOVA, returning its PTE contents.
 * @param[in] mock the mock.
 * @param[in] domain a live domain of it.
 * @param[in] iova the address to look up.
 * @param[out] paddr the physical address (with the IOVA's page offset).
 * @param[out] prot the PTE's prot bits (may be NULL).
 * @return 0; -EINVAL (NULL mock/domain/paddr, or an unknown domain);
 * -ERANGE (iova >= 2^48); -ENOENT (not mapped).
 */
SWMSI_API int mock_iommu_lookup(struct mock_iommu *mock, const void *domain, uint64_t iova,
				uint64_t *paddr, uint32_t *prot);

/** @brief A run of pages mapped contiguously with one prot (a dump line). */
struct mock_iommu_range {
	uint64_t iova;	/**< first IOVA of the run */
	uint64_t paddr;	/**< physical address it maps to */
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
 * @return 0; -EINVAL (NULL, unknown domain).
 */
SWMSI_API int mock_iommu_ranges(struct mock_iommu *mock, const void *domain,
				struct mock_iommu_range *ranges, size_t cap, size_t *count);

/**
 * @brief Print a domain as text: one line per range,
 * "iova 0x...-0x... -> paddr 0x... [rwm] (N pages)", then the counters.
 * @return 0; -EINVAL (NULL, unknown domain).
 */
SWMSI_API int mock_iommu_dump(struct mock_iommu *mock, const void *domain, FILE *out);

/**
 * @brief Print a domain's page-table tree as a Graphviz DOT digraph.
 * @return 0; -EINVAL (NULL, unknown domain).
 */
SWMSI_API int mock_iommu_dump_dot(struct mock_iommu *mock, const void *domain, FILE *out);

/** @brief What a journal entry records. */
enum mock_iommu_op {
	MOCK_IOMMU_OP_MAP = 1,
	MOCK_IOMMU_OP_UNMAP,
	MOCK_IOMMU_OP_DOMAIN_ALLOC,
	MOCK_IOMMU_OP_DOMAIN_FREE,
};

/** @brief One journal entry: one backend call and its result. */
struct mock_iommu_journal_entry {
	uint64_t seq;		/**< 1, 2, ... over the mock's life (not reset by clear) */
	enum mock_iommu_op op;	/**< which backend call */
	unsigned int domain;	/**< the domain's serial (0 for a failed domain_alloc) */
	uint64_t iova;		/**< map/unmap: the range asked for */
	uint64_t paddr;		/**< map only */
	uint64_t size;		/**< map/unmap: bytes asked for */
	uint32_t prot;		/**< map only */
	int result;		/**< map/domain_alloc: 0 or the negative errno */
	uint64_t bytes;		/**< unmap: bytes unmapped; map: bytes mapped */
};

/** @brief Entries in the journal now. */
SWMSI_API size_t mock_iommu_journal_len(struct mock_iommu *mock);

/**
 * @brief Copy entry @p idx (0 = oldest kept).
 * @return 0; -EINVAL (NULL); -ENOENT (idx out of range).
 */
SWMSI_API int mock_iommu_journal_get(struct mock_iommu *mock, size_t idx,
				     struct mock_iommu_journal_entry *entry);

/** @brief Empty the journal (sequence numbers keep counting). */
SWMSI_API void mock_iommu_journal_clear(struct mock_iommu *mock);

/**
 * @brief Entries the journal failed to record because it could not grow
 * (the call itself was carried out). Their sequence numbers stay unused.
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

/** @brief Print the journal, an entry a line. @return 0; -EINVAL (NULL). */
SWMSI_API int mock_iommu_journal_dump(struct mock_iommu *mock, FILE *out);

/**
 * @brief How often a caller misused the mock: freeing a domain that still has
 * mappings, unmapping a range that is not mapped exactly (a partly mapped
 * range or one cutting a mapping made by one map call), an unknown domain
 * handle, or domains left alive at destroy. Tests assert it stays 0.
 */
SWMSI_API uint64_t mock_iommu_misuse_count(struct mock_iommu *mock);

/** @brief Total map calls ever made on the mock (failed ones included). */
SWMSI_API uint64_t mock_iommu_map_calls(struct mock_iommu *mock);

#ifdef __cplusplus
}
#endif

#endif /* SWMSI_MOCK_IOMMU_H */
