/* SPDX-License-Identifier: MIT */
/**
 * @file swmsi.h
 * @brief libswmsi: stable MSI doorbell IOVAs across IOMMU domain changes.
 *
 * A userspace model of iommufd's native "sw_msi" scheme. One table per
 * context maps each MSI doorbell page to a slot of the IOMMU's software MSI
 * window, so the doorbell has the same IOVA in every domain; attach and
 * replace install what a group needs before the group moves.
 *
 * Conventions (see docs/errors.md):
 * - every function that can fail returns 0 or a negative errno value and
 *   never touches errno; a failed call changes nothing observable;
 * - out-parameters are written only on success;
 * - every function is safe to call from several threads on one context and
 *   is atomic with respect to the others;
 * - objects are named by uint32_t ids, never 0, one id space per context.
 */
#ifndef SWMSI_SWMSI_H
#define SWMSI_SWMSI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <swmsi/export.h>
#include <swmsi/iommu.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Library major version: incompatible API changes bump it. */
#define SWMSI_VERSION_MAJOR 0
/** @brief Library minor version: compatible additions. */
#define SWMSI_VERSION_MINOR 1
/** @brief Library patch version: fixes only. */
#define SWMSI_VERSION_PATCH 0

/** @brief "No SW_MSI window" (the kernel's PHYS_ADDR_MAX). */
#define SWMSI_PHYS_NONE UINT64_MAX

/** @brief The largest id space a context accepts (max_msi_maps). */
#define SWMSI_MAX_MSI_MAPS_LIMIT (1u << 20)

/** @brief An iommufd context (the file descriptor). Opaque. */
struct swmsi_ctx;

/** @brief What happens to MSI pages nobody needs any more. */
enum swmsi_reclaim {
	/** RFC behaviour: MSI pages, ids and slots stay for the context's life. */
	SWMSI_RECLAIM_NONE = 0,
	/** Unmap pages no attached group needs; free ids and slots no vector uses. */
	SWMSI_RECLAIM_UNUSED = 1,
};

/**
 * @brief How the sw_msi path gives doorbell pages an IOVA (API.md "Schemes").
 *
 * Every other rule (objects, ids, IOAS, reserved windows, nesting, the
 * allow-list, the window override, errors, threads) is the same under each.
 */
enum swmsi_scheme {
	/** libswmsi's: a context-wide table, slots bounded by the window,
	 * all-or-nothing installs, optional reclaim. */
	SWMSI_SCHEME_NATIVE = 0,
	/** Upstream Linux v6.15 iommufd_sw_msi(), weak points included: ids
	 * from a counter capped at 64, slot = highest + 1 unbounded, the entry
	 * kept after a failed map, pages left by a failed attach. */
	SWMSI_SCHEME_KERNEL = 1,
	/** Before v6.15: dma-iommu's per-domain MSI cookie; attach and replace
	 * install nothing, so a replace can lose or misroute an MSI. */
	SWMSI_SCHEME_DMA_IOMMU = 2,
};

/** @brief Options of swmsi_ctx_create(). Zero means the default. */
struct swmsi_ctx_opts {
	/** Page size as a shift: 12, 14 or 16; 0 means 12. */
	unsigned int page_shift;
	/** Size of the MSI map id space: 1 .. SWMSI_MAX_MSI_MAPS_LIMIT; 0 means 64. */
	unsigned int max_msi_maps;
	/** Reclaim policy; default SWMSI_RECLAIM_NONE. */
	enum swmsi_reclaim reclaim;
	/** The backend. Required. */
	const struct swmsi_iommu_ops *iommu;
	/** Passed back as first argument of every backend op. */
	void *iommu_priv;
	/** The sw_msi scheme (v0.2); default SWMSI_SCHEME_NATIVE. */
	enum swmsi_scheme scheme;
};

/**
 * @brief Create a context.
 * @param[in] opts options; copied, need not outlive the call.
 * @param[out] ctxp the new context.
 * @return 0; -EINVAL for NULL pointers, a bad page_shift or max_msi_maps, or
 * no iommu ops; -EOPNOTSUPP for an unknown reclaim policy; -ENOMEM.
 * Undone by swmsi_ctx_destroy().
 */
SWMSI_API int swmsi_ctx_create(const struct swmsi_ctx_opts *opts, struct swmsi_ctx **ctxp);

/**
 * @brief Destroy a context and every object in it, unmapping and freeing all
 * backend domains. NULL is a no-op. No other thread may use @p ctx during or
 * after the call.
 */
SWMSI_API void swmsi_ctx_destroy(struct swmsi_ctx *ctx);

/**
 * @brief Override the SW_MSI window of every group attached from now on
 * (IOMMU_OPTION_SW_MSI_START/SIZE). Groups whose devices report no window
 * stay untranslated.
 * @return 0; -EINVAL for NULL, a misaligned or empty or wrapping window;
 * -EBUSY once any MSI map entry exists or a group with a window is attached.
 */
SWMSI_API int swmsi_ctx_set_sw_msi_window(struct swmsi_ctx *ctx, uint64_t start,
					  uint64_t size);

/**
 * @brief Register an MSI doorbell MMIO region. Once any region exists,
 * swmsi_msi_alloc() that would translate an address outside all regions
 * fails with -EPERM.
 * @return 0; -EINVAL for NULL, misaligned, empty or wrapping regions; -ENOMEM.
 */
SWMSI_API int swmsi_doorbell_register(struct swmsi_ctx *ctx, uint64_t paddr, uint64_t size);

/**
 * @brief Allocate an IO address space.
 * @param[in] ctx the context.
 * @param[out] ioas_id its id.
 * @return 0; -EINVAL for NULL; -ENOMEM. Undone by swmsi_destroy().
 */
SWMSI_API int swmsi_ioas_alloc(struct swmsi_ctx *ctx, uint32_t *ioas_id);

/**
 * @brief Map [iova, iova + length) to paddr in an IOAS and mirror the mapping
 * into every paging HWPT of it.
 * @return 0; -EINVAL (NULL, misaligned, zero length); -EOPNOTSUPP (unknown
 * prot bits); -ENOENT (no such IOAS); -EOVERFLOW (range wraps); -EADDRINUSE
 * (overlaps a reserved SW_MSI window); -EEXIST (overlaps a mapping);
 * -ENOMEM; a backend error (every mirror undone).
 * Undone by swmsi_ioas_unmap().
 */
SWMSI_API int swmsi_ioas_map(struct swmsi_ctx *ctx, uint32_t ioas_id, uint64_t iova,
			     uint64_t paddr, uint64_t length, uint32_t prot);

/**
 * @brief Remove every mapping wholly inside [iova, iova + length).
 * @return 0; -EINVAL (NULL, misaligned, zero length); -ENOENT (no such IOAS,
 * nothing inside the range, or a mapping straddles either end); -EOVERFLOW.
 */
SWMSI_API int swmsi_ioas_unmap(struct swmsi_ctx *ctx, uint32_t ioas_id, uint64_t iova,
			       uint64_t length);

/** @brief swmsi_hwpt_alloc() flag: the HWPT may be the parent of nested HWPTs. */
#define SWMSI_HWPT_NEST_PARENT (1u << 0)

/**
 * @brief Allocate a paging HWPT (a backend domain) on an IOAS; it mirrors the
 * IOAS's mappings.
 * @return 0; -EINVAL (NULL); -EOPNOTSUPP (unknown flags); -ENOENT (no such
 * IOAS); -ENOMEM; a backend error. Undone by swmsi_destroy().
 */
SWMSI_API int swmsi_hwpt_alloc(struct swmsi_ctx *ctx, uint32_t ioas_id, uint32_t flags,
			       uint32_t *hwpt_id);

/**
 * @brief Allocate a nested HWPT over a NEST_PARENT paging HWPT. Its stage 1
 * belongs to the guest (swmsi_hwpt_nested_map()).
 * @return 0; -EINVAL (NULL; parent is nested or lacks NEST_PARENT); -ENOENT
 * (no such HWPT); -ENOMEM. Undone by swmsi_destroy().
 */
SWMSI_API int swmsi_hwpt_alloc_nested(struct swmsi_ctx *ctx, uint32_t parent_hwpt_id,
				      uint32_t *hwpt_id);

/**
 * @brief Map iova -> ipa in a nested HWPT's stage 1 (the guest's table).
 * @return 0; -EINVAL (NULL, misaligned, zero length); -EOPNOTSUPP (prot);
 * -ENOENT (not a nested HWPT); -EOVERFLOW (wraps); -EEXIST (overlap); -ENOMEM.
 */
SWMSI_API int swmsi_hwpt_nested_map(struct swmsi_ctx *ctx, uint32_t nested_id, uint64_t iova,
				    uint64_t ipa, uint64_t length, uint32_t prot);

/**
 * @brief Translate @p iova through a HWPT (nested: stage 1, then the parent).
 * @return 0; -EINVAL (NULL); -ENOENT (no such HWPT, or no translation).
 */
SWMSI_API int swmsi_hwpt_iova_to_phys(struct swmsi_ctx *ctx, uint32_t hwpt_id, uint64_t iova,
				      uint64_t *paddr);

/**
 * @brief Destroy an IOAS or a HWPT.
 * @return 0; -EINVAL (NULL, or a device id); -ENOENT (no such object);
 * -EBUSY (still in use: devices attached, nested children, HWPTs on an IOAS).
 */
SWMSI_API int swmsi_destroy(struct swmsi_ctx *ctx, uint32_t id);

/** @brief What a device reports at bind time. */
struct swmsi_device_desc {
	/** IOMMU group; a group sits on one HWPT at a time. */
	uint32_t group;
	/** The IOMMU_RESV_SW_MSI region start, or SWMSI_PHYS_NONE. */
	uint64_t sw_msi_start;
	/** Its size in bytes; ignored when start is SWMSI_PHYS_NONE. */
	uint64_t sw_msi_size;
};

/**
 * @brief Bind a device to the context.
 * @return 0; -EINVAL (NULL; window misaligned, empty or wrapping; differs from
 * its group's; overlaps another window without being identical); -ENOMEM.
 * Undone by swmsi_device_unbind().
 */
SWMSI_API int swmsi_device_bind(struct swmsi_ctx *ctx, const struct swmsi_device_desc *desc,
				uint32_t *dev_id);

/**
 * @brief Unbind a device: detach it first, free its vectors.
 * @return 0; -EINVAL (NULL); -ENOENT (no such device).
 */
SWMSI_API int swmsi_device_unbind(struct swmsi_ctx *ctx, uint32_t dev_id);

/**
 * @brief Attach a device to a paging HWPT, a nested HWPT, or an IOAS (through
 * its automatic HWPT). Every MSI page the group requires is installed first.
 * @return 0; -EINVAL (NULL; @p pt_id is a device; device attached; group on
 * another HWPT); -ENOENT (no such object); -EADDRINUSE (the IOAS maps into
 * the group's window); -ENOMEM; a backend error. On failure the group stays
 * where it was. Undone by swmsi_device_detach().
 */
SWMSI_API int swmsi_device_attach(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t pt_id);

/**
 * @brief Move a device's whole group to another HWPT or IOAS, installing its
 * MSI pages in the new domain before the move; no MSI is lost at any instant.
 * @return 0 (also when already there); errors as swmsi_device_attach(), and
 * -EINVAL when the device is not attached.
 */
SWMSI_API int swmsi_device_replace(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t pt_id);

/**
 * @brief Detach a device; its group leaves its HWPT with its last device.
 * Vectors stay; a detached group's MSIs are blocked (-EFAULT on fire).
 * @return 0; -EINVAL (NULL; not attached); -ENOENT.
 */
SWMSI_API int swmsi_device_detach(struct swmsi_ctx *ctx, uint32_t dev_id);

/**
 * @brief The sw_msi path (iommufd_sw_msi()): give an MSI vector the address
 * the device must write.
 * @param[in] ctx the context.
 * @param[in] dev_id the device.
 * @param[in] msi_addr the doorbell's physical address.
 * @param[out] vec a per-device vector handle (lowest free).
 * @param[out] msg_addr window start + slot * page size + offset in page, or
 * @p msi_addr untranslated when the group is detached or has no window.
 * @return 0; -EINVAL (NULL); -ENOENT (no such device); -EPERM (outside the
 * doorbell allow-list); -EOVERFLOW (no free map id); -ENOSPC (window full);
 * -ENOMEM; a backend error. Undone by swmsi_msi_free().
 */
SWMSI_API int swmsi_msi_alloc(struct swmsi_ctx *ctx, uint32_t dev_id, uint64_t msi_addr,
			      uint32_t *vec, uint64_t *msg_addr);

/**
 * @brief Free a vector; under SWMSI_RECLAIM_UNUSED its page is reclaimed when
 * no vector uses it.
 * @return 0; -EINVAL (NULL); -ENOENT (no such device or vector).
 */
SWMSI_API int swmsi_msi_free(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t vec);

/**
 * @brief Simulate the device's MSI write: translate its message address
 * through the group's current HWPT.
 * @param[in] ctx the context.
 * @param[in] dev_id the device.
 * @param[in] vec the vector handle swmsi_msi_alloc() gave.
 * @param[out] paddr where the write lands.
 * @return 0; -EINVAL (NULL); -ENOENT (no such device or vector); -EFAULT (the
 * write does not translate: the MSI would be lost).
 */
SWMSI_API int swmsi_msi_fire(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t vec,
			     uint64_t *paddr);

/* ------------------------------------------------------------------------ */
/* Introspection (beyond the v0.1 contract): snapshots copied under the lock. */

/** @brief Kinds of object in a context's id space. */
enum swmsi_obj_type {
	SWMSI_OBJ_NONE = 0,
	SWMSI_OBJ_IOAS,
	SWMSI_OBJ_HWPT_PAGING,
	SWMSI_OBJ_HWPT_NESTED,
	SWMSI_OBJ_DEVICE,
};

/**
 * @brief The kind of object @p id names.
 * @return 0; -EINVAL (NULL); -ENOENT (no such object).
 */
SWMSI_API int swmsi_obj_type(struct swmsi_ctx *ctx, uint32_t id, enum swmsi_obj_type *type);

/** @brief One live object of a context, as swmsi_obj_list() reports it. */
struct swmsi_obj_info {
	uint32_t id;		  /**< its id */
	enum swmsi_obj_type type; /**< its kind */
};

/**
 * @brief Copy the ids and kinds of a context's live objects, ascending by id.
 * @param[in] ctx the context.
 * @param[out] objs up to @p cap entries (may be NULL when @p cap is 0).
 * @param[in] cap room in @p objs.
 * @param[out] count the number of live objects (may exceed @p cap).
 * @return 0; -EINVAL (NULL ctx or count, or NULL objs with cap > 0).
 */
SWMSI_API int swmsi_obj_list(struct swmsi_ctx *ctx, struct swmsi_obj_info *objs, size_t cap,
			     size_t *count);

/** @brief One entry of the context-wide MSI table. */
struct swmsi_msi_map_info {
	uint32_t id;		/**< map id, 0 .. max_msi_maps - 1 */
	uint32_t slot;		/**< page index inside the window */
	uint64_t sw_msi_start;	/**< the window's start */
	uint64_t msi_page;	/**< the doorbell page's physical address */
	uint64_t iova;		/**< sw_msi_start + slot * page size */
	uint32_t vectors;	/**< vectors using the entry */
};

/**
 * @brief Copy the MSI table, lowest id first.
 * @param[in] ctx the context.
 * @param[out] maps up to @p cap entries (may be NULL when @p cap is 0).
 * @param[in] cap room in @p maps.
 * @param[out] count the number of entries in the table (may exceed @p cap).
 * @return 0; -EINVAL (NULL ctx or count, or NULL maps with cap > 0).
 */
SWMSI_API int swmsi_msi_map_list(struct swmsi_ctx *ctx, struct swmsi_msi_map_info *maps,
				 size_t cap, size_t *count);

/** @brief What a HWPT is. */
struct swmsi_hwpt_info {
	enum swmsi_obj_type type; /**< SWMSI_OBJ_HWPT_PAGING or _NESTED */
	uint32_t ioas_id;	/**< the IOAS (of the parent, for nested) */
	uint32_t parent_id;	/**< nested: the parent HWPT; else 0 */
	uint32_t flags;		/**< SWMSI_HWPT_* flags it was allocated with */
	bool is_auto;		/**< an automatic HWPT made by attach to an IOAS */
	void *domain;		/**< the backend domain (the parent's, for nested) */
	uint32_t groups;	/**< groups attached to this HWPT directly */
	uint32_t children;	/**< nested HWPTs over it */
};

/**
 * @brief Describe a HWPT.
 * @return 0; -EINVAL (NULL); -ENOENT (not a HWPT).
 */
SWMSI_API int swmsi_hwpt_info(struct swmsi_ctx *ctx, uint32_t hwpt_id,
			      struct swmsi_hwpt_info *info);

/**
 * @brief Copy the ids of the MSI maps present in a HWPT's paging domain (the
 * parent's, for nested), ascending.
 * @return 0; -EINVAL (NULL); -ENOENT (not a HWPT).
 */
SWMSI_API int swmsi_hwpt_msi_present(struct swmsi_ctx *ctx, uint32_t hwpt_id, uint32_t *ids,
				     size_t cap, size_t *count);

/** @brief A paging HWPT's dma-iommu MSI cookie (SWMSI_SCHEME_DMA_IOMMU). */
struct swmsi_msi_cookie_info {
	bool active;	    /**< the HWPT has a cookie: DMA_IOMMU scheme, a paging
			         HWPT, and a group with a window attached to it (or to
			         a nested HWPT over it) at least once */
	uint64_t base;	    /**< the first IOVA it hands out (that group's window start) */
	uint64_t next_iova; /**< the IOVA the next new doorbell page will get */
	uint32_t pages;	    /**< doorbell pages mapped through it */
};

/** @brief One doorbell page of a cookie. */
struct swmsi_msi_cookie_page {
	uint64_t iova;	   /**< where the cookie mapped it in the HWPT's domain */
	uint64_t msi_page; /**< the doorbell page's physical address */
};

/**
 * @brief Describe a HWPT's MSI cookie and copy its pages, ascending by IOVA.
 *
 * Under the other schemes, and for a nested HWPT (whose domain never has a
 * cookie), @p info says inactive and @p count is 0.
 * @param[in] ctx the context.
 * @param[in] hwpt_id a paging or nested HWPT.
 * @param[out] info the cookie's base, next IOVA and page count.
 * @param[out] pages up to @p cap pages (may be NULL when @p cap is 0).
 * @param[in] cap room in @p pages.
 * @param[out] count the number of pages (may exceed @p cap).
 * @return 0; -EINVAL (NULL ctx, info or count, or NULL pages with cap > 0);
 * -ENOENT (not a HWPT).
 */
SWMSI_API int swmsi_hwpt_msi_cookie(struct swmsi_ctx *ctx, uint32_t hwpt_id,
				    struct swmsi_msi_cookie_info *info,
				    struct swmsi_msi_cookie_page *pages, size_t cap, size_t *count);

/** @brief One mapping: an IOAS's user DMA mapping, a nested HWPT's stage-1
 * mapping (paddr is then the IPA), or a reserved window (prot 0). */
struct swmsi_mapping {
	uint64_t iova;		/**< first IOVA */
	uint64_t paddr;		/**< what it maps to (0 for a reserved window) */
	uint64_t length;	/**< bytes */
	uint32_t prot;		/**< SWMSI_PROT_* bits */
};

/**
 * @brief Copy an IOAS's user mappings, ascending by IOVA.
 * @param[in] ctx the context.
 * @param[in] ioas_id the IOAS.
 * @param[out] maps up to @p cap mappings (may be NULL when @p cap is 0).
 * @param[in] cap room in @p maps.
 * @param[out] count how many there are (may exceed @p cap).
 * @return 0; -EINVAL (NULL); -ENOENT (not an IOAS).
 */
SWMSI_API int swmsi_ioas_mappings(struct swmsi_ctx *ctx, uint32_t ioas_id,
				  struct swmsi_mapping *maps, size_t cap, size_t *count);

/**
 * @brief Copy the SW_MSI windows reserved on an IOAS now (by the groups
 * attached under it), as mappings with paddr 0 and prot 0, ascending.
 * @return 0; -EINVAL (NULL); -ENOENT (not an IOAS).
 */
SWMSI_API int swmsi_ioas_reserved(struct swmsi_ctx *ctx, uint32_t ioas_id,
				  struct swmsi_mapping *windows, size_t cap, size_t *count);

/**
 * @brief Copy a nested HWPT's stage-1 (guest) mappings, iova -> ipa,
 * ascending by IOVA.
 * @return 0; -EINVAL (NULL); -ENOENT (not a nested HWPT).
 */
SWMSI_API int swmsi_hwpt_nested_mappings(struct swmsi_ctx *ctx, uint32_t nested_id,
					 struct swmsi_mapping *maps, size_t cap, size_t *count);

/** @brief What a device is and where its group sits. */
struct swmsi_device_info {
	uint32_t group;		/**< its IOMMU group */
	uint64_t sw_msi_start;	/**< the window its group uses now (override applied), or SWMSI_PHYS_NONE */
	uint64_t sw_msi_size;	/**< its size, 0 without a window */
	bool attached;		/**< this device is attached */
	uint32_t hwpt_id;	/**< the HWPT its group sits on, 0 if none */
	uint32_t vectors;	/**< live vectors */
};

/**
 * @brief Describe a device.
 * @return 0; -EINVAL (NULL); -ENOENT (not a device).
 */
SWMSI_API int swmsi_device_info(struct swmsi_ctx *ctx, uint32_t dev_id,
				struct swmsi_device_info *info);

/** @brief One MSI vector of a device. */
struct swmsi_vector_info {
	uint32_t vec;		/**< the handle */
	uint64_t msi_addr;	/**< the doorbell address given to swmsi_msi_alloc() */
	uint64_t msg_addr;	/**< the address the device writes */
	bool translated;	/**< msg_addr is an IOVA in the SW_MSI window */
	uint32_t map_id;	/**< its MSI map entry when translated */
};

/**
 * @brief Copy a device's vectors, lowest handle first.
 * @return 0; -EINVAL (NULL); -ENOENT (not a device).
 */
SWMSI_API int swmsi_device_vectors(struct swmsi_ctx *ctx, uint32_t dev_id,
				   struct swmsi_vector_info *vecs, size_t cap, size_t *count);

/** @brief Counters of a context. */
struct swmsi_ctx_stats {
	uint32_t msi_maps;	 /**< live MSI map entries */
	uint32_t objects;	 /**< live objects (IOAS, HWPT, device) */
	uint64_t msi_installs;	 /**< MSI pages mapped into domains, ever (a failed call's
				      rolled-back installs are not counted) */
	uint64_t msi_uninstalls; /**< MSI pages unmapped from domains (reclaim, destroy), ever */
	uint64_t short_unmaps;	 /**< backend unmaps that unmapped less than asked, ever
				      (a backend fault: an MSI page stays marked present;
				      a user mapping stays in the domain, see iommu.h) */
	size_t bitmap_bytes;	 /**< memory held by the per-group and per-domain id sets
				      (bitmaps and counters); capacity, so it may stay
				      grown after a failed call */
};

/**
 * @brief Read the context's counters.
 * @return 0; -EINVAL (NULL).
 */
SWMSI_API int swmsi_ctx_stats(struct swmsi_ctx *ctx, struct swmsi_ctx_stats *stats);

/**
 * @brief Fault injection for tests: the @p nth internal allocation from now
 * (1 = the next) fails with -ENOMEM, once; 0 disarms.
 * @return 0; -EINVAL (NULL).
 */
SWMSI_API int swmsi_ctx_fail_alloc(struct swmsi_ctx *ctx, unsigned int nth);

/**
 * @brief The symbolic name of a negative errno value libswmsi returns
 * ("EADDRINUSE" for -EADDRINUSE), or "E?" for one it does not know.
 */
SWMSI_API const char *swmsi_errname(int err);

/**
 * @brief The word for a scheme, as the simulator spells it: "native",
 * "kernel" or "dma-iommu"; NULL for a value that is no scheme.
 * @param[in] scheme the scheme.
 */
SWMSI_API const char *swmsi_scheme_name(enum swmsi_scheme scheme);

/**
 * @brief Parse a scheme word as swmsi_scheme_name() spells it.
 * @param[in] name the word.
 * @param[out] scheme the scheme it names.
 * @return 0; -EINVAL (NULL); -ENOENT (no scheme has that name).
 */
SWMSI_API int swmsi_scheme_from_name(const char *name, enum swmsi_scheme *scheme);

/** @brief Parse a name as swmsi_errname() prints it; 0 if unknown. */
SWMSI_API int swmsi_errno_from_name(const char *name);

/** @brief The library version string, "MAJOR.MINOR.PATCH". */
SWMSI_API const char *swmsi_version(void);

#ifdef __cplusplus
}
#endif

#endif /* SWMSI_SWMSI_H */
