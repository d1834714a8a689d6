/* SPDX-License-Identifier: MIT */
/**
 * @file iommu.h
 * @brief The backend seam: the only way libswmsi touches page tables.
 *
 * libswmsi knows no page-table format. It calls these five operations, with
 * the `iommu_priv` pointer given in struct swmsi_ctx_opts as first argument.
 * libswmsi-mock implements them (see mock_iommu.h); an embedder can plug in
 * its own page tables. The core calls nothing else, and never dereferences
 * a domain handle.
 *
 * Locking: every op but iova_to_phys runs under the calling context's lock,
 * so a backend serving one context sees those calls serialised and each
 * sits inside one atomic libswmsi call. iova_to_phys is the read path of
 * swmsi_msi_fire() and swmsi_hwpt_iova_to_phys() and runs WITHOUT the lock,
 * from any number of threads at once, concurrently with map and unmap on
 * the same domain (see its own documentation). Consequently:
 * - an op must not call back into libswmsi on the same context (the lock is
 *   not recursive: it would deadlock);
 * - an op should not block for long: every other call on the context waits;
 * - a backend shared by several contexts sees calls from several threads at
 *   once and must be thread safe itself (the mock is).
 *
 * What libswmsi guarantees a backend: addresses and sizes are multiples of
 * the context's page size (of the domain's smallest page where pgsize_bitmap
 * reports a finer one); it unmaps only ranges it mapped, each exactly as
 * one map call mapped it (a user mapping whole, an MSI page as one page); it
 * unmaps everything it mapped in a domain before freeing it (what a short
 * unmap left is the backend's); it frees every domain it allocated by
 * swmsi_ctx_destroy() at the latest.
 */
#ifndef SWMSI_IOMMU_H
#define SWMSI_IOMMU_H

#include <stddef.h>
#include <stdint.h>

#include <swmsi/export.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief The page may be read by DMA. */
#define SWMSI_PROT_READ (1u << 0)
/** @brief The page may be written by DMA. */
#define SWMSI_PROT_WRITE (1u << 1)
/** @brief The page is device memory (an MSI doorbell is). */
#define SWMSI_PROT_MMIO (1u << 2)
/** @brief Every prot bit libswmsi knows; other bits are -EOPNOTSUPP. */
#define SWMSI_PROT_ALL (SWMSI_PROT_READ | SWMSI_PROT_WRITE | SWMSI_PROT_MMIO)

/**
 * @brief The backend vtable (one IOMMU driver's io-pgtable, in kernel terms).
 *
 * Every member is required: swmsi_ctx_create() refuses a vtable with a NULL
 * op (-EINVAL). An error an op returns is passed on to the libswmsi caller
 * unchanged (except under SWMSI_SCHEME_DMA_IOMMU, where a cookie map failure
 * becomes -ENOMEM, as dma-iommu does), after libswmsi has undone what the
 * call did, so a failed op must leave the domain as it was.
 */
struct swmsi_iommu_ops {
	/**
	 * @brief Allocate an empty paging domain (for a paging HWPT).
	 * @param[in] priv the context's iommu_priv.
	 * @param[out] domain the new domain's handle, written on success only;
	 * opaque to libswmsi, passed back to the other ops.
	 * @return 0 on success, or a negative errno (-ENOMEM, say, or an
	 * injected fault), with nothing allocated.
	 * Undone by domain_free.
	 */
	int (*domain_alloc)(void *priv, void **domain);
	/**
	 * @brief Free a domain. libswmsi has unmapped everything it mapped in
	 * it first (a short unmap aside); the handle is never used again.
	 * Cannot fail.
	 * @param[in] priv the context's iommu_priv.
	 * @param[in] domain a handle domain_alloc gave.
	 */
	void (*domain_free)(void *priv, void *domain);
	/**
	 * @brief Map [iova, iova + size) to [paddr, paddr + size) with @p prot,
	 * all or nothing.
	 * @param[in] priv the context's iommu_priv.
	 * @param[in] domain a live domain.
	 * @param[in] iova first IOVA, page aligned.
	 * @param[in] paddr first physical address, page aligned.
	 * @param[in] size bytes, page aligned, > 0.
	 * @param[in] prot SWMSI_PROT_* bits (an MSI page: READ | WRITE | MMIO
	 * under NATIVE and KERNEL, WRITE | MMIO under DMA_IOMMU).
	 * @return 0 on success, or a negative errno, and then nothing is mapped:
	 * -EEXIST if any page of the range is already mapped (as io-pgtable
	 * does; libswmsi relies on it); -EINVAL for arguments the backend
	 * cannot take (the mock: misaligned for its own page size); any other
	 * negative errno (-ENOMEM, -ERANGE past the IOVA space, ...).
	 * Undone by unmap of the same range.
	 */
	int (*map)(void *priv, void *domain, uint64_t iova, uint64_t paddr, uint64_t size,
		   uint32_t prot);
	/**
	 * @brief Unmap [iova, iova + size).
	 * @param[in] priv the context's iommu_priv.
	 * @param[in] domain a live domain.
	 * @param[in] iova first IOVA, page aligned; a range one map call mapped.
	 * @param[in] size bytes, page aligned, > 0.
	 * @return the number of bytes unmapped, from @p iova up: @p size on
	 * success; fewer means the backend could not unmap the rest (a backend
	 * fault). Unmapping cannot fail the libswmsi call that asks for it:
	 * libswmsi counts it (swmsi_ctx_stats::short_unmaps); an MSI page
	 * stays marked present in the domain (its entry lives until no domain
	 * holds it), while a user mapping being unmapped is forgotten by the
	 * IOAS anyway, since the caller asked for it to go: what stays mapped
	 * is the backend's.
	 */
	size_t (*unmap)(void *priv, void *domain, uint64_t iova, uint64_t size);
	/**
	 * @brief Translate one IOVA (swmsi_hwpt_iova_to_phys(),
	 * swmsi_msi_fire()).
	 * @param[in] priv the context's iommu_priv.
	 * @param[in] domain a live domain.
	 * @param[in] iova any address, not necessarily aligned.
	 * @param[out] paddr the physical address @p iova translates to, page
	 * offset included; written on success only.
	 * @return 0 on success, or a negative errno (-ENOENT when nothing is
	 * mapped at @p iova); libswmsi treats every error as "no translation".
	 *
	 * Thread safety: called without the context lock, from several
	 * threads at once and concurrently with map and unmap of the same
	 * domain. It must answer as of some instant during the call (the page
	 * mapped, or not), never read memory a concurrent unmap frees, and
	 * never block on a writer for long. libswmsi never frees a domain
	 * while a translation in it can still be running: domain_free comes
	 * only after every reader that could have seen the domain has left.
	 */
	int (*iova_to_phys)(void *priv, void *domain, uint64_t iova, uint64_t *paddr);
	/**
	 * @brief v0.3, optional (NULL: the whole 64-bit space): the IOVA
	 * range a domain can translate. Everything outside it is reserved on
	 * the IOAS of the domain's paging HWPT (SWMSI_RESV_APERTURE).
	 * @param[in] priv the context's iommu_priv.
	 * @param[in] domain a live domain, just allocated.
	 * @param[out] first the first IOVA the domain translates.
	 * @param[out] last the last one (inclusive), >= @p first.
	 * @return 0 on success, or a negative errno, which fails the HWPT's
	 * allocation.
	 */
	int (*aperture)(void *priv, void *domain, uint64_t *first, uint64_t *last);
	/**
	 * @brief v0.3, optional (NULL: the context's page size only): the
	 * page sizes a domain maps, as the kernel's iommu_domain
	 * pgsize_bitmap. Its lowest set bit is the domain's smallest page,
	 * which sets the IOVA alignment of the IOAS its paging HWPT mirrors
	 * (swmsi_ioas_iova_alignment(), upstream's iopt_table_add_domain()):
	 * user mappings of that IOAS (swmsi_ioas_map_user()) are then
	 * aligned to it, which may be finer than the context's page size.
	 * @param[in] priv the context's iommu_priv.
	 * @param[in] domain a live domain, just allocated.
	 * @param[out] bitmap the page sizes, each a power of two; not 0.
	 * @return 0 on success, or a negative errno, which fails the HWPT's
	 * allocation (a bitmap of 0 is -EINVAL).
	 */
	int (*pgsize_bitmap)(void *priv, void *domain, uint64_t *bitmap);
};

#ifdef __cplusplus
}
#endif

#endif /* SWMSI_IOMMU_H */
