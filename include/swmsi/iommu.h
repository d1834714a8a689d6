/* SPDX-License-Identifier: MIT */
/**
 * @file iommu.h
 * @brief The backend seam: the only way libswmsi touches page tables.
 *
 * libswmsi knows no page-table format. It calls these five operations, with
 * the `iommu_priv` pointer given in struct swmsi_ctx_opts as first argument.
 * libswmsi-mock implements them (see mock_iommu.h); an embedder can plug in
 * its own page tables.
 *
 * Locking: every op is called with the calling context's lock held, so a
 * backend serving one context sees its calls serialised. A backend shared by
 * several contexts must be thread safe itself (the mock is). An op must not
 * call back into libswmsi on the same context.
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
#define SWMSI_PROT_READ  (1u << 0)
/** @brief The page may be written by DMA. */
#define SWMSI_PROT_WRITE (1u << 1)
/** @brief The page is device memory (an MSI doorbell is). */
#define SWMSI_PROT_MMIO  (1u << 2)
/** @brief Every prot bit libswmsi knows; other bits are -EOPNOTSUPP. */
#define SWMSI_PROT_ALL   (SWMSI_PROT_READ | SWMSI_PROT_WRITE | SWMSI_PROT_MMIO)

/**
 * @brief The backend vtable (one IOMMU driver's io-pgtable, in kernel terms).
 *
 * Sizes and addresses passed by libswmsi are always multiples of the
 * context's page size.
 */
struct swmsi_iommu_ops {
	/**
	 * @brief Allocate an empty paging domain.
	 * @param[in] priv the context's iommu_priv.
	 * @param[out] domain the new domain's handle, written on success only.
	 * @return 0, or a negative errno (-ENOMEM, or an injected fault).
	 * Undone by domain_free.
	 */
	int (*domain_alloc)(void *priv, void **domain);
	/**
	 * @brief Free a domain. libswmsi unmaps everything it mapped first.
	 */
	void (*domain_free)(void *priv, void *domain);
	/**
	 * @brief Map [iova, iova + size) to [paddr, paddr + size) with @p prot.
	 * @return 0; -EEXIST if any page of the range is already mapped (nothing
	 * is mapped then); -EINVAL for misaligned arguments; any other negative
	 * errno. A failed map maps nothing.
	 */
	int (*map)(void *priv, void *domain, uint64_t iova, uint64_t paddr,
		   uint64_t size, uint32_t prot);
	/**
	 * @brief Unmap [iova, iova + size).
	 * @return the number of bytes unmapped; fewer than @p size means the
	 * backend could not unmap the rest. libswmsi counts it
	 * (swmsi_ctx_stats().short_unmaps); an MSI page stays marked present
	 * in the domain (its entry lives until no domain holds it), while a
	 * user mapping being unmapped is forgotten by the IOAS anyway, since
	 * the caller asked for it to go: what stays mapped is the backend's.
	 */
	size_t (*unmap)(void *priv, void *domain, uint64_t iova, uint64_t size);
	/**
	 * @brief Translate one IOVA.
	 * @param[out] paddr the physical address @p iova translates to.
	 * @return 0, or -ENOENT when nothing is mapped at @p iova.
	 */
	int (*iova_to_phys)(void *priv, void *domain, uint64_t iova, uint64_t *paddr);
};

#ifdef __cplusplus
}
#endif

#endif /* SWMSI_IOMMU_H */
