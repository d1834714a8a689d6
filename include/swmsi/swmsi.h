/* SPDX-License-Identifier: MIT */
/**
 * @file swmsi.h
 * @brief libswmsi: stable MSI doorbell IOVAs across IOMMU domain changes.
 *
 * A userspace model of iommufd's "sw_msi" path: how an MSI doorbell page gets
 * an IOVA inside the IOMMU's software MSI window, and what happens to it when
 * a device's group moves between domains. Three schemes (enum swmsi_scheme)
 * model libswmsi's own table, the merged Linux v6.15 code and the dma-iommu
 * cookie it replaced; under the default, SWMSI_SCHEME_NATIVE, one table per
 * context maps each doorbell page to a slot of its window, so the doorbell has
 * the same IOVA in every domain, and attach and replace install what a group
 * needs before the group moves.
 *
 * Conventions (docs/API.md is the contract, docs/errors.md the error guide):
 * - every function that can fail returns 0 or a negative errno value and
 *   never reads or sets errno; a failed call changes nothing observable (no
 *   object created, no mapping added or removed, no attachment changed, no
 *   memory leaked), except where a scheme's documentation says otherwise;
 * - errors are checked in one order: NULL pointers and malformed arguments
 *   (-EINVAL; unknown flag or prot bits -EOPNOTSUPP), then ids in argument
 *   order (-ENOENT, or -EINVAL for a wrong kind where several are accepted),
 *   then state (-EINVAL, -EBUSY), then policy and resources (-EPERM,
 *   -EADDRINUSE, -EOVERFLOW, -ENOSPC), then -ENOMEM, then the backend's error;
 *   each function's documentation lists its errors in that order;
 * - out-parameters are written only on success;
 * - objects are named by uint32_t ids, never 0, one id space per context,
 *   allocated cyclically; a context holds at most UINT32_MAX objects, and a
 *   call that would create one more returns -ENOSPC;
 * - thread safety: every function except swmsi_ctx_destroy() may be called
 *   from several threads on one context, and each is atomic with respect to
 *   the others (no thread sees a half-done attach, replace or alloc). Each
 *   takes the context's lock once, but for the two translation readers,
 *   swmsi_msi_fire() and swmsi_hwpt_iova_to_phys(): they take no lock where
 *   the translation ends in a paging domain (they read under a grace period
 *   instead, so firing threads scale) and take it only to walk a nested
 *   HWPT's stage 1. Every backend op but iova_to_phys runs under the lock;
 *   iova_to_phys runs without it, concurrently with map and unmap (see
 *   iommu.h). Functions that take no context are pure and thread safe;
 * - list functions share one name pattern and one shape:
 *   swmsi_<owner>_<items>_list(ctx, [owner_id,] items, cap, count) copies up
 *   to @c cap items, lowest first (by id, handle or IOVA, as each says), into
 *   @c items, which may be NULL when @c cap is 0, and sets *count to the
 *   total, which may exceed @c cap; a NULL @c ctx or @c count, or a NULL
 *   @c items with @c cap > 0, is -EINVAL; an owner id of the wrong kind is
 *   -ENOENT;
 * - names renamed for that consistency keep their v0.2 spelling as an alias
 *   (deprecated.h): define SWMSI_WARN_DEPRECATED before including this
 *   header to have the compiler warn about each use;
 * - test hooks (fault injection) are declared in <swmsi/testing.h>.
 */
#ifndef SWMSI_SWMSI_H
#define SWMSI_SWMSI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <swmsi/export.h>
#include <swmsi/iommu.h>
#include <swmsi/version.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief "No SW_MSI window" (the kernel's PHYS_ADDR_MAX). */
#define SWMSI_PHYS_NONE UINT64_MAX

/** @brief The largest id space a context accepts (swmsi_ctx_opts::max_msi_maps). */
#define SWMSI_MAX_MSI_MAPS_LIMIT (1u << 20)

/** @brief An iommufd context (the file descriptor). Opaque. */
struct swmsi_ctx;

/** @brief What happens to MSI pages nobody needs any more. */
enum swmsi_reclaim {
	/** RFC behaviour: MSI pages, ids and slots stay for the context's life.
	 * The only policy SWMSI_SCHEME_KERNEL and SWMSI_SCHEME_DMA_IOMMU accept. */
	SWMSI_RECLAIM_NONE = 0,
	/** Unmap pages no attached group needs; free ids and slots no vector
	 * uses, for later allocations to reuse lowest first. */
	SWMSI_RECLAIM_UNUSED = 1,
};

/**
 * @brief How the sw_msi path gives doorbell pages an IOVA (API.md "Schemes").
 *
 * Chosen once, by swmsi_ctx_opts::scheme. Every other rule (objects, ids,
 * IOAS, reserved windows, nesting, the allow-list, the window override,
 * errors, threads) is the same under each. The functions whose behaviour
 * differs say so: swmsi_ctx_create(), swmsi_device_attach(),
 * swmsi_device_replace(), swmsi_msi_alloc(), swmsi_msi_free(),
 * swmsi_msi_map_list() and swmsi_hwpt_msi_cookie().
 */
enum swmsi_scheme {
	/** libswmsi's: a context-wide table, slots bounded by the window,
	 * all-or-nothing installs, optional reclaim. The default. */
	SWMSI_SCHEME_NATIVE = 0,
	/** Upstream Linux v6.15 iommufd_sw_msi(), weak points included: ids
	 * from a counter capped at 64, slot = highest + 1 unbounded, the entry
	 * kept after a failed map, pages left by a failed attach, no reclaim. */
	SWMSI_SCHEME_KERNEL = 1,
	/** Before v6.15: dma-iommu's per-domain MSI cookie; attach and replace
	 * install nothing, so a replace can lose or misroute an MSI. */
	SWMSI_SCHEME_DMA_IOMMU = 2,
};

/**
 * @brief Options of swmsi_ctx_create(). Zero means the default, so a
 * zero-initialised struct with @c iommu set is a valid NATIVE context.
 */
struct swmsi_ctx_opts {
	/** Page size as a shift: 12, 14 or 16; 0 means 12. */
	unsigned int page_shift;
	/** Size of the MSI map id space: 1 .. SWMSI_MAX_MSI_MAPS_LIMIT; 0 means
	 * 64 (kernel parity). SWMSI_SCHEME_KERNEL accepts only 0 or 64,
	 * SWMSI_SCHEME_DMA_IOMMU only 0. */
	unsigned int max_msi_maps;
	/** Reclaim policy; default SWMSI_RECLAIM_NONE, the only one the
	 * KERNEL and DMA_IOMMU schemes accept. */
	enum swmsi_reclaim reclaim;
	/** The backend; required, with all five ops set. Must outlive the
	 * context. */
	const struct swmsi_iommu_ops *iommu;
	/** Passed back as first argument of every backend op; libswmsi never
	 * dereferences it. */
	void *iommu_priv;
	/** The sw_msi scheme (since v0.2); default SWMSI_SCHEME_NATIVE. */
	enum swmsi_scheme scheme;
};

/**
 * @brief Create a context (open the iommufd file descriptor).
 *
 * @param[in] opts options; copied, need not outlive the call (the backend
 * it names must).
 * @param[out] ctxp the new context, written on success only.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p opts or @p ctxp NULL; @c opts->iommu NULL; page_shift
 *   other than 0, 12, 14 or 16; max_msi_maps above SWMSI_MAX_MSI_MAPS_LIMIT;
 *   a backend op left NULL.
 * - -EOPNOTSUPP: an unknown reclaim policy or an unknown scheme.
 * - -EINVAL: SWMSI_SCHEME_KERNEL with reclaim other than
 *   SWMSI_RECLAIM_NONE or max_msi_maps other than 0 or 64;
 *   SWMSI_SCHEME_DMA_IOMMU with reclaim other than SWMSI_RECLAIM_NONE or
 *   max_msi_maps other than 0.
 * - -ENOMEM: out of memory (or the lock could not be initialised: the
 *   negated pthread_mutex_init() error, which glibc never returns).
 * @par Thread safety
 * Safe; touches nothing shared. The backend is not called.
 * @par Undo
 * swmsi_ctx_destroy().
 */
SWMSI_API int swmsi_ctx_create(const struct swmsi_ctx_opts *opts, struct swmsi_ctx **ctxp);

/**
 * @brief Destroy a context and every object in it, unmapping and freeing all
 * backend domains.
 *
 * Leaves go first, as iommufd_fops_release() does: devices (unbound, their
 * vectors freed), then nested HWPTs, paging HWPTs (their MSI pages and
 * mirrored mappings unmapped, their domains freed), then IOASes. Cannot fail.
 * @param[in] ctx the context; NULL is a no-op. Invalid after the call.
 * @par Thread safety
 * Not safe against other calls on @p ctx: no other thread may use it during
 * or after the call. Other contexts are unaffected.
 * @par Undo
 * Undoes swmsi_ctx_create() and everything done on the context since.
 */
SWMSI_API void swmsi_ctx_destroy(struct swmsi_ctx *ctx);

/**
 * @brief Override the SW_MSI window of every group attached from now on
 * (IOMMU_OPTION_SW_MSI_START/SIZE).
 *
 * A VMM uses it to put MSI pages where its guest expects them. It replaces
 * the window of groups whose devices report one; groups without a window
 * stay untranslated. Calling it again replaces the override. A device's
 * own override (swmsi_device_set_sw_msi_window()) comes first.
 * @param[in] ctx the context.
 * @param[in] start the window's first IOVA, page aligned, not SWMSI_PHYS_NONE.
 * @param[in] size its length in bytes, page aligned, > 0.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx NULL; @p start or @p size not page aligned; @p size
 *   0; @p start is SWMSI_PHYS_NONE; start + size - 1 wraps.
 * - -EBUSY: an MSI map entry exists, or a group with a window is
 *   attached: moving the window would move their doorbells.
 * - -EINVAL (NATIVE only): the window overlaps a device's own override
 *   without being identical to it.
 * @par Thread safety
 * Safe; takes the context lock.
 * @par Undo
 * None: the override stays for the context's life (a later call may replace
 * it while nothing is -EBUSY).
 */
SWMSI_API int swmsi_ctx_set_sw_msi_window(struct swmsi_ctx *ctx, uint64_t start, uint64_t size);

/**
 * @brief Register an MSI doorbell MMIO region (an ITS translater page, say)
 * in the allow-list.
 *
 * Once any region exists, every swmsi_msi_alloc() that would translate (its
 * group is attached and has a window) an address outside all regions fails
 * with -EPERM, even when the page is already in the table. With none
 * registered every address is accepted (kernel parity: the caller vouches for
 * it).
 * @param[in] ctx the context.
 * @param[in] paddr the region's first physical address, page aligned.
 * @param[in] size its length in bytes, page aligned, > 0.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx NULL; @p paddr or @p size not page aligned; @p size
 *   0; paddr + size - 1 wraps.
 * - -ENOMEM: out of memory.
 * @par Thread safety
 * Safe; takes the context lock.
 * @par Undo
 * None: regions stay registered for the context's life.
 */
SWMSI_API int swmsi_doorbell_register(struct swmsi_ctx *ctx, uint64_t paddr, uint64_t size);

/**
 * @brief Allocate an IO address space (an empty set of user DMA mappings).
 * @param[in] ctx the context.
 * @param[out] ioas_id its id, written on success only.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx or @p ioas_id NULL.
 * - -ENOSPC: the context already holds UINT32_MAX objects.
 * - -ENOMEM: out of memory.
 * @par Thread safety
 * Safe; takes the context lock.
 * @par Undo
 * swmsi_obj_destroy().
 */
SWMSI_API int swmsi_ioas_alloc(struct swmsi_ctx *ctx, uint32_t *ioas_id);

/**
 * @brief Map [iova, iova + length) to paddr in an IOAS and mirror the mapping
 * into the domain of every paging HWPT allocated on it.
 * @param[in] ctx the context.
 * @param[in] ioas_id the IOAS.
 * @param[in] iova first IOVA, page aligned.
 * @param[in] paddr first physical address, page aligned.
 * @param[in] length bytes, page aligned, > 0.
 * @param[in] prot SWMSI_PROT_* bits.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx NULL; @p iova, @p paddr or @p length not page
 *   aligned; @p length 0.
 * - -EOPNOTSUPP: @p prot has bits other than SWMSI_PROT_ALL.
 * - -EOVERFLOW: the IOVA or the physical range wraps.
 * - -ENOENT: @p ioas_id is not an IOAS.
 * - -EADDRINUSE: the range meets a range reserved on this IOAS (a
 *   device's region or window, or outside a HWPT's aperture; see
 *   swmsi_ioas_resv_list()) under SWMSI_SCHEME_NATIVE; -EINVAL under
 *   KERNEL and DMA_IOMMU, as the kernel's iopt_check_iova() says.
 * - -EEXIST: the range overlaps a mapping of this IOAS.
 * - -ENOMEM: out of memory.
 * - the backend's map error while mirroring into a HWPT; the
 *   mirrors already made are unmapped again.
 * @par Thread safety
 * Safe; takes the context lock.
 * @par Undo
 * swmsi_ioas_unmap() of the same range.
 */
SWMSI_API int swmsi_ioas_map(struct swmsi_ctx *ctx, uint32_t ioas_id, uint64_t iova, uint64_t paddr,
			     uint64_t length, uint32_t prot);

/**
 * @brief Remove every mapping wholly inside [iova, iova + length) from an IOAS
 * and from the domain of each of its paging HWPTs.
 *
 * All or nothing: a mapping that straddles either end blocks the whole call.
 * A backend that unmaps short is counted in swmsi_ctx_stats::short_unmaps;
 * the IOAS forgets the mapping anyway.
 * @param[in] ctx the context.
 * @param[in] ioas_id the IOAS.
 * @param[in] iova first IOVA of the range, page aligned.
 * @param[in] length bytes, page aligned, > 0.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx NULL; @p iova or @p length not page aligned;
 * @p length 0.
 * - -EOVERFLOW: the range wraps.
 * - -ENOENT: @p ioas_id is not an IOAS; no mapping lies inside the
 *   range; a mapping straddles either end.
 * @par Thread safety
 * Safe; takes the context lock.
 * @par Undo
 * swmsi_ioas_map() of each removed mapping.
 */
SWMSI_API int swmsi_ioas_unmap(struct swmsi_ctx *ctx, uint32_t ioas_id, uint64_t iova,
			       uint64_t length);

/** @brief swmsi_hwpt_alloc() flag: the HWPT may be the parent of nested HWPTs. */
#define SWMSI_HWPT_NEST_PARENT (1u << 0)

/**
 * @brief Allocate a paging HWPT (a backend domain) on an IOAS; it gets every
 * existing mapping of the IOAS and mirrors later ones.
 * @param[in] ctx the context.
 * @param[in] ioas_id the IOAS.
 * @param[in] flags 0 or SWMSI_HWPT_NEST_PARENT.
 * @param[out] hwpt_id its id, written on success only.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx or @p hwpt_id NULL.
 * - -EOPNOTSUPP: @p flags has bits other than SWMSI_HWPT_NEST_PARENT.
 * - -ENOENT: @p ioas_id is not an IOAS.
 * - -ENOSPC: the context already holds UINT32_MAX objects.
 * - -ENOMEM: out of memory.
 * - -EADDRINUSE: the IOAS maps outside the new domain's aperture (the
 *   HWPT reserves that, SWMSI_RESV_APERTURE, until it is destroyed).
 * - the backend's domain_alloc error, or its map error while
 *   mirroring the IOAS (the mirror is undone and the domain freed).
 * @par Thread safety
 * Safe; takes the context lock.
 * @par Undo
 * swmsi_obj_destroy().
 */
SWMSI_API int swmsi_hwpt_alloc(struct swmsi_ctx *ctx, uint32_t ioas_id, uint32_t flags,
			       uint32_t *hwpt_id);

/**
 * @brief Allocate a nested HWPT over a NEST_PARENT paging HWPT.
 *
 * Its stage 1 belongs to the guest (swmsi_hwpt_nested_map()); it has no
 * domain of its own, and the MSI pages of groups on it go into the parent's
 * domain. The backend is not called.
 * @param[in] ctx the context.
 * @param[in] parent_hwpt_id a paging HWPT allocated with
 * SWMSI_HWPT_NEST_PARENT.
 * @param[out] hwpt_id its id, written on success only.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx or @p hwpt_id NULL.
 * - -ENOENT: @p parent_hwpt_id is not a HWPT (an IOAS or a device id
 *   included).
 * - -EINVAL: the parent is a nested HWPT, or was allocated without
 *   SWMSI_HWPT_NEST_PARENT.
 * - -ENOSPC: the context already holds UINT32_MAX objects.
 * - -ENOMEM: out of memory.
 * @par Thread safety
 * Safe; takes the context lock.
 * @par Undo
 * swmsi_obj_destroy() (the parent cannot be destroyed before it: -EBUSY).
 */
SWMSI_API int swmsi_hwpt_alloc_nested(struct swmsi_ctx *ctx, uint32_t parent_hwpt_id,
				      uint32_t *hwpt_id);

/**
 * @brief Map iova -> ipa in a nested HWPT's stage 1 (the guest's table).
 *
 * Kept by libswmsi, not the backend. A group on the nested HWPT reaches its
 * MSI pages only if the guest maps the window here (the RMR identity map).
 * @param[in] ctx the context.
 * @param[in] nested_id the nested HWPT.
 * @param[in] iova first stage-1 input address, page aligned.
 * @param[in] ipa the intermediate physical address it maps to (an IOVA of
 * the parent), page aligned.
 * @param[in] length bytes, page aligned, > 0.
 * @param[in] prot SWMSI_PROT_* bits.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx NULL; @p iova, @p ipa or @p length not page
 *   aligned; @p length 0.
 * - -EOPNOTSUPP: @p prot has bits other than SWMSI_PROT_ALL.
 * - -EOVERFLOW: the IOVA or the IPA range wraps.
 * - -ENOENT: @p nested_id is not a nested HWPT.
 * - -EEXIST: the range overlaps a stage-1 mapping.
 * - -ENOMEM: out of memory.
 * @par Thread safety
 * Safe; takes the context lock.
 * @par Undo
 * None individually: stage-1 mappings go with the nested HWPT
 * (swmsi_obj_destroy()).
 */
SWMSI_API int swmsi_hwpt_nested_map(struct swmsi_ctx *ctx, uint32_t nested_id, uint64_t iova,
				    uint64_t ipa, uint64_t length, uint32_t prot);

/**
 * @brief Translate @p iova through a HWPT, as a device's DMA would be: for a
 * nested HWPT stage 1 first, then the parent's domain.
 * @param[in] ctx the context.
 * @param[in] hwpt_id a paging or nested HWPT.
 * @param[in] iova the address to translate.
 * @param[out] paddr the physical address, written on success only.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx or @p paddr NULL.
 * - -ENOENT: @p hwpt_id is not a HWPT; or nothing translates @p iova
 *   (no stage-1 mapping, or the backend's iova_to_phys fails).
 * @par Thread safety
 * Safe. A reader: for a paging HWPT it takes no lock (it answers as of one
 * instant, and the HWPT's domain is not freed under it); for a nested HWPT
 * it takes the context lock to walk stage 1.
 * @par Undo
 * Nothing to undo: changes nothing.
 */
SWMSI_API int swmsi_hwpt_iova_to_phys(struct swmsi_ctx *ctx, uint32_t hwpt_id, uint64_t iova,
				      uint64_t *paddr);

/**
 * @brief Destroy an IOAS or a HWPT (IOMMU_DESTROY). Named swmsi_destroy()
 * up to v0.2 (still accepted, deprecated.h).
 *
 * A paging HWPT's MSI pages and mirrored mappings are unmapped and its
 * domain freed (under SWMSI_SCHEME_DMA_IOMMU its cookie goes with it);
 * under SWMSI_RECLAIM_UNUSED an MSI map entry no vector uses that only this
 * domain still held is freed.
 * @param[in] ctx the context.
 * @param[in] id an IOAS, a paging HWPT or a nested HWPT.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx NULL.
 * - -ENOENT: no object has id @p id.
 * - -EINVAL: @p id is a device (devices go with swmsi_device_unbind()).
 * - -EBUSY: still in use: a HWPT with groups attached or nested
 *   children; an IOAS with HWPTs (an automatic one included).
 * @par Thread safety
 * Safe; takes the context lock.
 * @par Undo
 * Undoes swmsi_ioas_alloc(), swmsi_hwpt_alloc() and
 * swmsi_hwpt_alloc_nested(); cannot itself be undone.
 */
SWMSI_API int swmsi_obj_destroy(struct swmsi_ctx *ctx, uint32_t id);

/* ------------------------------------------------------------------------ */
/* Reserved regions (v0.3)                                                  */

/** @brief The type of a reserved IOVA region (iommu_resv_type). */
enum swmsi_resv_type {
	/** IOMMU_RESV_DIRECT: reserved (never identity-mapped by libswmsi). */
	SWMSI_RESV_DIRECT = 1,
	/** IOMMU_RESV_DIRECT_RELAXABLE: reported, never reserved. */
	SWMSI_RESV_DIRECT_RELAXABLE = 2,
	/** IOMMU_RESV_RESERVED. */
	SWMSI_RESV_RESERVED = 3,
	/** IOMMU_RESV_MSI: a hardware MSI window. */
	SWMSI_RESV_MSI = 4,
	/** IOMMU_RESV_SW_MSI: the device's SW_MSI window. */
	SWMSI_RESV_SW_MSI = 5,
	/** Introspection only: outside a paging HWPT's aperture (never
	 * accepted at bind). */
	SWMSI_RESV_APERTURE = 6,
};

/** @brief One region a device reports, as iommu_get_resv_regions() does. */
struct swmsi_resv_region {
	/** First IOVA, page aligned. */
	uint64_t start;
	/** Bytes, page aligned, > 0. */
	uint64_t size;
	/** What the region is. */
	enum swmsi_resv_type type;
};

/** @brief One usable IOVA range of an IOAS, bounds inclusive. */
struct swmsi_iova_range {
	/** First usable IOVA. */
	uint64_t start;
	/** Last usable IOVA (inclusive). */
	uint64_t last;
};

/** @brief One range reserved on an IOAS, with its owner. */
struct swmsi_resv_info {
	/** First reserved IOVA. */
	uint64_t start;
	/** Last reserved IOVA (inclusive). */
	uint64_t last;
	/** Why it is reserved. */
	enum swmsi_resv_type type;
	/** The device that reserves it, or the paging HWPT for
	 * SWMSI_RESV_APERTURE. */
	uint32_t owner;
};

/**
 * @brief The usable IOVA ranges of an IOAS (IOMMU_IOAS_IOVA_RANGES): the
 * complement in [0, UINT64_MAX] of every range reserved on it, lowest first.
 *
 * An IOAS with no paging HWPT and no attached device reports one range,
 * 0-UINT64_MAX; one with no usable IOVA at all reports none.
 * @param[in] ctx the context.
 * @param[in] ioas_id the IOAS.
 * @param[out] ranges up to @p cap ranges (may be NULL when @p cap is 0).
 * @param[in] cap room in @p ranges.
 * @param[out] count how many usable ranges there are (may exceed @p cap).
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx or @p count NULL, or @p ranges NULL with @p cap > 0.
 * - -ENOENT: @p ioas_id is not an IOAS.
 * @par Thread safety
 * Safe; takes the context lock.
 */
SWMSI_API int swmsi_ioas_iova_ranges(struct swmsi_ctx *ctx, uint32_t ioas_id,
				     struct swmsi_iova_range *ranges, size_t cap, size_t *count);

/**
 * @brief Every range reserved on an IOAS now, with its type and owner,
 * lowest start first (then lowest last, type, owner).
 *
 * A range several owners reserve is listed once per owner: it stays
 * reserved while any of them holds it. Attached devices own their regions
 * (but DIRECT_RELAXABLE) and their SW_MSI window in use; each paging HWPT
 * owns what lies outside its domain's aperture (SWMSI_RESV_APERTURE).
 * @param[in] ctx the context.
 * @param[in] ioas_id the IOAS.
 * @param[out] resv up to @p cap entries (may be NULL when @p cap is 0).
 * @param[in] cap room in @p resv.
 * @param[out] count how many entries there are (may exceed @p cap).
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx or @p count NULL, or @p resv NULL with @p cap > 0.
 * - -ENOENT: @p ioas_id is not an IOAS.
 * @par Thread safety
 * Safe; takes the context lock.
 */
SWMSI_API int swmsi_ioas_resv_list(struct swmsi_ctx *ctx, uint32_t ioas_id,
				   struct swmsi_resv_info *resv, size_t cap, size_t *count);

/* ------------------------------------------------------------------------ */
/* The IOAS as upstream's io_pagetable (v0.3)                               */

/** @brief swmsi_ioas_map_user(), swmsi_ioas_copy(): map at the IOVA given
 * (else one is allocated). IOMMU_IOAS_MAP_FIXED_IOVA's value. */
#define SWMSI_IOAS_MAP_FIXED_IOVA (1u << 0)
/** @brief The mapping may be written by DMA (IOMMU_IOAS_MAP_WRITEABLE). */
#define SWMSI_IOAS_MAP_WRITEABLE (1u << 1)
/** @brief The mapping may be read by DMA (IOMMU_IOAS_MAP_READABLE). */
#define SWMSI_IOAS_MAP_READABLE (1u << 2)

/**
 * @brief Map user memory into an IOAS as IOMMU_IOAS_MAP does: an area at a
 * fixed or an allocated IOVA, mirrored into every paging HWPT of the IOAS.
 *
 * @p user_va stands for the physical address the domains map (the model
 * never reads or writes through it). While the IOAS has a paging HWPT the
 * range must be mapped in the calling process (-EFAULT, as pinning would
 * be); without one it is not looked at until a HWPT needs its pages
 * (swmsi_hwpt_alloc(), or an attach that makes an automatic HWPT).
 *
 * The IOAS's alignment (swmsi_ioas_iova_alignment()) is 1 without a HWPT,
 * else the largest smallest page of its domains, and the context's page
 * size while huge pages are off (swmsi_ioas_set_huge_pages()). Without
 * SWMSI_IOAS_MAP_FIXED_IOVA the IOVA is allocated as upstream's
 * iopt_alloc_iova() does: aligned to the power of two at or above
 * @p length, lowered to the alignment of @p user_va (whose offset in its
 * page is kept), the lowest such IOVA from one page up to one page below
 * the top that meets no area and no reserved range (swmsi_ioas_resv_list())
 * and lies inside the allowed ranges when there are any
 * (swmsi_ioas_allow_iovas()).
 *
 * Checked in upstream's order (the ioctl's checks, then the IOAS, then
 * iopt_map_user_pages()'s), unlike swmsi_ioas_map():
 * @param[in] ctx the context.
 * @param[in] ioas_id the IOAS.
 * @param[in] flags SWMSI_IOAS_MAP_* bits; READABLE or WRITEABLE required.
 * @param[in] user_va first byte of the user memory; any alignment the
 * IOAS's allows.
 * @param[in] length bytes, > 0, a multiple of the IOAS's alignment.
 * @param[in,out] iova in: with SWMSI_IOAS_MAP_FIXED_IOVA, the first IOVA
 * (else only checked against UINT64_MAX, as the ioctl does); out, on
 * success only: the first IOVA of the new area.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx or @p iova NULL.
 * - -EOPNOTSUPP: @p flags has bits beyond SWMSI_IOAS_MAP_*.
 * - -EOVERFLOW: *@p iova or @p length is UINT64_MAX.
 * - -EINVAL: neither READABLE nor WRITEABLE.
 * - -ENOENT: @p ioas_id is not an IOAS.
 * - -EOVERFLOW: @p user_va + @p length wraps.
 * - -EINVAL: @p length is 0, above UINT64_MAX - page size, or not a
 *   multiple of the IOAS's alignment.
 * - allocated: -EOVERFLOW when @p length >= 2^63; -EINVAL when the
 *   alignment chosen is below the IOAS's; -ENOSPC when no hole fits.
 * - fixed: -EINVAL when *@p iova is not aligned to the IOAS's alignment;
 *   -EOVERFLOW when the range wraps; a reserved range met: -EADDRINUSE
 *   under NATIVE, -EINVAL under KERNEL and DMA_IOMMU; -EEXIST when an
 *   area is met.
 * - -EINVAL: @p user_va's offset in its page is not aligned to the IOAS's
 *   alignment.
 * - -EFAULT: the IOAS has a paging HWPT and the range is not mapped in
 *   the calling process.
 * - -ENOMEM: out of memory.
 * - the backend's error (the mirrors already made are undone).
 * @par Thread safety
 * Safe; takes the context lock.
 * @par Undo
 * swmsi_ioas_unmap_range() of the area.
 */
SWMSI_API int swmsi_ioas_map_user(struct swmsi_ctx *ctx, uint32_t ioas_id, uint32_t flags,
				  uint64_t user_va, uint64_t length, uint64_t *iova);

/**
 * @brief Unmap as IOMMU_IOAS_UNMAP does: every area wholly inside
 * [@p iova, @p iova + @p length - 1], from the IOAS and every HWPT on it;
 * @p iova 0 with @p length UINT64_MAX unmaps everything.
 *
 * No alignment is asked for. Unmapping everything from an empty IOAS
 * succeeds with *@p unmapped 0. Otherwise an area cut by either end, or
 * no area in the range, is -ENOENT and nothing is unmapped (upstream
 * unmaps the areas below an area cut by the end before answering -ENOENT).
 * @param[in] ctx the context.
 * @param[in] ioas_id the IOAS.
 * @param[in] iova first IOVA of the range.
 * @param[in] length bytes.
 * @param[out] unmapped the bytes unmapped, on success only; may be NULL.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx NULL.
 * - -ENOENT: @p ioas_id is not an IOAS.
 * - -EOVERFLOW: (not everything) @p iova or @p length is UINT64_MAX, or
 *   the range wraps.
 * - -EINVAL: @p length is 0.
 * - -ENOENT: no area inside the range, or an area cut by either end.
 * @par Thread safety
 * Safe; takes the context lock.
 * @par Undo
 * swmsi_ioas_map_user() (or swmsi_ioas_map()) of each area again.
 */
SWMSI_API int swmsi_ioas_unmap_range(struct swmsi_ctx *ctx, uint32_t ioas_id, uint64_t iova,
				     uint64_t length, uint64_t *unmapped);

/**
 * @brief Map what a range of one IOAS maps into another (or the same) IOAS,
 * as IOMMU_IOAS_COPY does: the same backing at a fixed or allocated IOVA.
 *
 * The source range must be covered by areas without a gap (it may start
 * and end inside areas). Each source area it meets gives one new area at
 * the destination, of the same kind (a user VA, checked as
 * swmsi_ioas_map_user() checks it, or a physical address), with the prot
 * @p flags ask for; the IOVA is allocated or checked as
 * swmsi_ioas_map_user() does, from the first piece's address.
 * @param[in] ctx the context.
 * @param[in] dst_ioas_id the IOAS to map into.
 * @param[in] src_ioas_id the IOAS whose areas are copied.
 * @param[in] src_iova first IOVA of the source range.
 * @param[in] length bytes.
 * @param[in,out] dst_iova in: with SWMSI_IOAS_MAP_FIXED_IOVA, the first
 * destination IOVA (else only checked against UINT64_MAX); out, on success
 * only: where the copy starts.
 * @param[in] flags SWMSI_IOAS_MAP_* bits; READABLE or WRITEABLE required.
 * @return 0 on success, or a negative errno, in upstream's order:
 * - -EINVAL: @p ctx or @p dst_iova NULL.
 * - -EOPNOTSUPP: @p flags has bits beyond SWMSI_IOAS_MAP_*.
 * - -EOVERFLOW: @p length, @p src_iova or *@p dst_iova is UINT64_MAX.
 * - -EINVAL: neither READABLE nor WRITEABLE.
 * - -ENOENT: @p src_ioas_id is not an IOAS.
 * - -EINVAL: @p length is 0; -EOVERFLOW: the source range wraps.
 * - -ENOENT: the source range is not covered by areas.
 * - -ENOENT: @p dst_ioas_id is not an IOAS.
 * - then as swmsi_ioas_map_user() at the destination, and -EPERM when
 *   WRITEABLE is asked of a backing first mapped without it.
 * @par Thread safety
 * Safe; takes the context lock.
 * @par Undo
 * swmsi_ioas_unmap_range() of the destination range.
 */
SWMSI_API int swmsi_ioas_copy(struct swmsi_ctx *ctx, uint32_t dst_ioas_id, uint32_t src_ioas_id,
			      uint64_t src_iova, uint64_t length, uint64_t *dst_iova,
			      uint32_t flags);

/**
 * @brief Replace an IOAS's allowed ranges (IOMMU_IOAS_ALLOW_IOVAS).
 *
 * While any is set, allocated IOVAs (swmsi_ioas_map_user(),
 * swmsi_ioas_copy()) lie inside one, and nothing may be reserved that
 * meets one: an attach or a HWPT allocation whose reservation would meet
 * one fails with -EADDRINUSE. Fixed IOVAs and existing areas are not
 * checked against them. The ranges may come in any order; @p n 0 clears
 * them.
 * @param[in] ctx the context.
 * @param[in] ioas_id the IOAS.
 * @param[in] ranges @p n ranges, bounds inclusive (may be NULL when @p n
 * is 0); copied.
 * @param[in] n how many.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx NULL, or @p ranges NULL with @p n > 0.
 * - -ENOENT: @p ioas_id is not an IOAS.
 * - -EINVAL: a range whose start is not below its last, or two that
 *   overlap.
 * - -EADDRINUSE: a range reserved on the IOAS meets one of them.
 * - -ENOMEM: out of memory.
 * @par Thread safety
 * Safe; takes the context lock. The backend is not called.
 * @par Undo
 * Set the previous ranges again (swmsi_ioas_allowed_list()).
 */
SWMSI_API int swmsi_ioas_allow_iovas(struct swmsi_ctx *ctx, uint32_t ioas_id,
				     const struct swmsi_iova_range *ranges, size_t n);

/**
 * @brief Copy an IOAS's allowed ranges, lowest first (none set: none).
 * @param[in] ctx the context.
 * @param[in] ioas_id the IOAS.
 * @param[out] ranges up to @p cap ranges (may be NULL when @p cap is 0).
 * @param[in] cap room in @p ranges.
 * @param[out] count how many there are (may exceed @p cap).
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx or @p count NULL, or @p ranges NULL with @p cap > 0.
 * - -ENOENT: @p ioas_id is not an IOAS.
 * @par Thread safety
 * Safe; takes the context lock.
 */
SWMSI_API int swmsi_ioas_allowed_list(struct swmsi_ctx *ctx, uint32_t ioas_id,
				      struct swmsi_iova_range *ranges, size_t cap, size_t *count);

/**
 * @brief The IOVA alignment of an IOAS (IOMMU_IOAS_IOVA_RANGES's
 * out_iova_alignment): 1 with no paging HWPT and huge pages on, else the
 * largest of its domains' smallest pages and, with huge pages off, the
 * context's page size.
 * @param[in] ctx the context.
 * @param[in] ioas_id the IOAS.
 * @param[out] alignment bytes, a power of two; written on success only.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx or @p alignment NULL.
 * - -ENOENT: @p ioas_id is not an IOAS.
 * @par Thread safety
 * Safe; takes the context lock.
 */
SWMSI_API int swmsi_ioas_iova_alignment(struct swmsi_ctx *ctx, uint32_t ioas_id,
					uint64_t *alignment);

/**
 * @brief IOMMU_OPTION_HUGE_PAGES of an IOAS: off, every area must be
 * aligned to the context's page size.
 *
 * Turning it off with a HWPT and an area on the IOAS is -EINVAL; turning it
 * off when an area is not aligned to the page size is -EADDRINUSE, and it
 * stays on. Turning it on, or setting what is set, always succeeds.
 * @param[in] ctx the context.
 * @param[in] ioas_id the IOAS.
 * @param[in] enable true: huge pages on (the default).
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx NULL.
 * - -ENOENT: @p ioas_id is not an IOAS.
 * - -EINVAL: off asked while the IOAS has a paging HWPT and an area.
 * - -EADDRINUSE: off asked while an area's IOVA, length or page offset is
 *   not page aligned.
 * @par Thread safety
 * Safe; takes the context lock. The backend is not called.
 * @par Undo
 * Set the previous value (swmsi_ioas_get_huge_pages()).
 */
SWMSI_API int swmsi_ioas_set_huge_pages(struct swmsi_ctx *ctx, uint32_t ioas_id, bool enable);

/**
 * @brief Read IOMMU_OPTION_HUGE_PAGES of an IOAS.
 * @param[in] ctx the context.
 * @param[in] ioas_id the IOAS.
 * @param[out] enabled true while huge pages are on; written on success only.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx or @p enabled NULL.
 * - -ENOENT: @p ioas_id is not an IOAS.
 * @par Thread safety
 * Safe; takes the context lock.
 */
SWMSI_API int swmsi_ioas_get_huge_pages(struct swmsi_ctx *ctx, uint32_t ioas_id, bool *enabled);

/**
 * @brief Reserve a range on an IOAS itself, as the kernel selftest's
 * IOMMU_TEST_OP_ADD_RESERVED does (iopt_reserve_iova() with no owner).
 *
 * The range is listed by swmsi_ioas_resv_list() as SWMSI_RESV_RESERVED
 * with owner 0, cut out of swmsi_ioas_iova_ranges(), avoided by allocated
 * IOVAs, refused to fixed ones, and kept until the IOAS is destroyed.
 * @param[in] ctx the context.
 * @param[in] ioas_id the IOAS.
 * @param[in] start first IOVA; any alignment.
 * @param[in] length bytes, > 0.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx NULL, or @p length 0.
 * - -EOVERFLOW: the range wraps.
 * - -ENOENT: @p ioas_id is not an IOAS.
 * - -EADDRINUSE: the range meets an area or an allowed range.
 * - -ENOMEM: out of memory.
 * @par Thread safety
 * Safe; takes the context lock. The backend is not called.
 * @par Undo
 * None but destroying the IOAS.
 */
SWMSI_API int swmsi_ioas_add_reserved(struct swmsi_ctx *ctx, uint32_t ioas_id, uint64_t start,
				      uint64_t length);

/** @brief swmsi_area_info::flags: the area maps a user VA (made by
 * swmsi_ioas_map_user(), or copied from such an area). */
#define SWMSI_AREA_USER_VA (1u << 0)
/** @brief swmsi_area_info::flags: its backing was mapped writeable, so a
 * copy may ask SWMSI_IOAS_MAP_WRITEABLE of it. */
#define SWMSI_AREA_WRITABLE (1u << 1)

/** @brief One area of an IOAS (swmsi_ioas_area_list()). */
struct swmsi_area_info {
	/** First IOVA. */
	uint64_t iova;
	/** Bytes. */
	uint64_t length;
	/** The user VA (SWMSI_AREA_USER_VA) or the physical address it maps. */
	uint64_t addr;
	/** SWMSI_PROT_* bits. */
	uint32_t prot;
	/** SWMSI_AREA_* bits. */
	uint32_t flags;
};

/**
 * @brief Copy an IOAS's areas, lowest IOVA first: those of
 * swmsi_ioas_map(), swmsi_ioas_map_user() and swmsi_ioas_copy(), with what
 * swmsi_ioas_mapping_list() lacks (the kind of address, the backing's
 * writability).
 * @param[in] ctx the context.
 * @param[in] ioas_id the IOAS.
 * @param[out] areas up to @p cap areas (may be NULL when @p cap is 0).
 * @param[in] cap room in @p areas.
 * @param[out] count how many there are (may exceed @p cap).
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx or @p count NULL, or @p areas NULL with @p cap > 0.
 * - -ENOENT: @p ioas_id is not an IOAS.
 * @par Thread safety
 * Safe; takes the context lock.
 */
SWMSI_API int swmsi_ioas_area_list(struct swmsi_ctx *ctx, uint32_t ioas_id,
				   struct swmsi_area_info *areas, size_t cap, size_t *count);

/* ------------------------------------------------------------------------ */
/* Devices                                                                  */

/** @brief What a device reports at bind time. */
struct swmsi_device_desc {
	/** IOMMU group; a group sits on one HWPT at a time. */
	uint32_t group;
	/** The IOMMU_RESV_SW_MSI region start, or SWMSI_PHYS_NONE for none
	 * (the group's MSIs are never translated, as on x86). */
	uint64_t sw_msi_start;
	/** Its size in bytes; ignored when start is SWMSI_PHYS_NONE. */
	uint64_t sw_msi_size;
	/** v0.3: the other reserved regions the device reports (see
	 * swmsi_resv_region); copied at bind. NULL when @ref nr_resv is 0. */
	const struct swmsi_resv_region *resv;
	/** v0.3: entries in @ref resv; 0 (a zeroed field) means none. */
	uint32_t nr_resv;
};

/**
 * @brief Bind a device to the context; its group is created with its first
 * device.
 * @param[in] ctx the context.
 * @param[in] desc what the device reports; copied.
 * @param[out] dev_id its id, written on success only.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx, @p desc or @p dev_id NULL; a window (start not
 *   SWMSI_PHYS_NONE) that is empty, not page aligned or wraps; @p desc->resv
 *   NULL with @p desc->nr_resv > 0.
 * - then each entry of @p desc->resv in array order: -EINVAL when it is
 *   not page aligned or empty, -EOVERFLOW when it wraps, -EOPNOTSUPP when
 *   its type is unknown or SWMSI_RESV_APERTURE.
 * - -EINVAL: a window in the sw_msi fields and a SW_MSI entry; under
 *   NATIVE, two SW_MSI entries, or a SW_MSI window together with an MSI
 *   entry (KERNEL and DMA_IOMMU bind those and refuse each attach).
 *   A SW_MSI entry is the device's window as the sw_msi fields are.
 * - -EINVAL (NATIVE only): the group is bound already with a different
 *   window; or the window overlaps another bound group's window, the
 *   context's override where a bound device uses it, or the window of
 *   entries an unbound device left, without being identical to
 *   it (two slot spaces over one range would put two doorbells at one
 *   IOVA); or the window it will use (the context's override, if set)
 *   overlaps another device's own override without being identical to it.
 *   KERNEL and DMA_IOMMU bind all of these, as upstream: a group's
 *   devices may report different windows, and each device attach writes
 *   the group's one window start (API.md, "KERNEL and DMA_IOMMU").
 * - -ENOSPC: the context already holds UINT32_MAX objects.
 * - -ENOMEM: out of memory.
 * @par Thread safety
 * Safe; takes the context lock. The backend is not called.
 * @par Undo
 * swmsi_device_unbind().
 */
SWMSI_API int swmsi_device_bind(struct swmsi_ctx *ctx, const struct swmsi_device_desc *desc,
				uint32_t *dev_id);

/**
 * @brief Unbind a device: detach it first (as swmsi_device_detach()), then
 * free its vectors (as swmsi_msi_free()); its group goes with its last device.
 * @param[in] ctx the context.
 * @param[in] dev_id the device.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx NULL.
 * - -ENOENT: @p dev_id is not a device.
 * @par Thread safety
 * Safe; takes the context lock.
 * @par Undo
 * Undoes swmsi_device_bind(); cannot itself be undone.
 */
SWMSI_API int swmsi_device_unbind(struct swmsi_ctx *ctx, uint32_t dev_id);

/**
 * @brief Attach a device to a paging HWPT, a nested HWPT, or an IOAS.
 *
 * For an IOAS the group goes onto its automatic paging HWPT, created if the
 * IOAS has none (never a user's HWPT) and destroyed when its last group
 * leaves. The group joins the HWPT with its first attached device; a later
 * device of the group must name where the group sits. A group with a window
 * reserves it on the HWPT's IOAS.
 *
 * Per scheme:
 * - SWMSI_SCHEME_NATIVE: every MSI page the group requires is installed in
 *   the target paging domain (the parent's, for nested) before the group
 *   moves; on failure the call unmaps what it installed and the group stays
 *   detached.
 * - SWMSI_SCHEME_KERNEL: as NATIVE, but pages go in ascending map id order
 *   and on an install failure the pages this call did install stay mapped
 *   in the target (and count as present).
 * - SWMSI_SCHEME_DMA_IOMMU: installs nothing; the first group with a window
 *   attached to a paging HWPT (directly, or through a nested HWPT over it)
 *   gives that HWPT its MSI cookie, based at the group's window start.
 * @param[in] ctx the context.
 * @param[in] dev_id the device.
 * @param[in] pt_id a paging HWPT, a nested HWPT or an IOAS.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx NULL.
 * - -ENOENT: @p dev_id is not a device; no object has id @p pt_id.
 * - -EINVAL: @p pt_id is a device.
 * - -EINVAL (NATIVE) or -EBUSY (KERNEL, DMA_IOMMU, as iommufd's core):
 *   the device is attached already.
 *
 * Under KERNEL and DMA_IOMMU an attach walks the device's regions as
 * upstream does (its window first when given in the sw_msi fields, the
 * others in array order): each SW_MSI region writes the group's window
 * start before it is checked, and the start stays written when the
 * attach then fails (-EADDRINUSE, the combination's -EINVAL, an install);
 * a replace reads no window.
 * - -EINVAL: its group sits on another HWPT (under every scheme, after
 *   the -EBUSY above and before any region is looked at); under NATIVE,
 *   the device's window in use differs from that of
 *   its group's attached devices; under KERNEL and DMA_IOMMU, the device
 *   reports two SW_MSI regions, or a window and an MSI region (checked
 *   after -EADDRINUSE, as upstream checks after the reservations).
 * - -EADDRINUSE: the IOAS maps into the device's window in use or one of
 *   its reserved regions (DIRECT_RELAXABLE aside); nothing changes. While
 *   attached the device owns those ranges on the IOAS (see
 *   swmsi_ioas_resv_list()); detach and unbind release them.
 * - -ENOSPC: an automatic HWPT is needed and the context already holds
 *   UINT32_MAX objects.
 * - -ENOMEM: out of memory.
 * - the backend's error: domain_alloc or the IOAS mirror of a new
 *   automatic HWPT, or the map of an MSI page.
 * @par Thread safety
 * Safe; takes the context lock.
 * @par Undo
 * swmsi_device_detach().
 */
SWMSI_API int swmsi_device_attach(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t pt_id);

/**
 * @brief Move an attached device's whole group to another HWPT or IOAS.
 *
 * Targets are resolved as by swmsi_device_attach(). Replacing to where the
 * group sits (an IOAS through its automatic HWPT included) is a no-op
 * returning 0. After the move, the group's needs leave the old HWPT: its
 * window reservation is dropped, under SWMSI_RECLAIM_UNUSED pages no group
 * there needs are unmapped, and an automatic HWPT left without groups is
 * destroyed.
 *
 * Per scheme:
 * - SWMSI_SCHEME_NATIVE: the group's MSI pages are installed in the new
 *   domain before the move, so every vector reaches its doorbell at every
 *   instant; on failure the call unmaps what it installed and the group stays
 *   where it was.
 * - SWMSI_SCHEME_KERNEL: as NATIVE, but pages go in ascending map id order
 *   and on an install failure the pages this call did install stay mapped
 *   in the target; and when the target is on the IOAS the group stays on,
 *   its devices' reserved ranges there are dropped (upstream's error path;
 *   DMA_IOMMU does the same when its cookie cannot be made).
 * - SWMSI_SCHEME_DMA_IOMMU: installs nothing; vectors keep their message
 *   addresses, so a write may no longer translate (swmsi_msi_fire() ->
 *   -EFAULT: the MSI is lost) or reach another doorbell (misrouted).
 * @param[in] ctx the context.
 * @param[in] dev_id an attached device.
 * @param[in] pt_id a paging HWPT, a nested HWPT or an IOAS.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx NULL.
 * - -ENOENT: @p dev_id is not a device; no object has id @p pt_id.
 * - -EINVAL: @p pt_id is a device.
 * - -EINVAL: the device is not attached.
 * - -EADDRINUSE: the target is on another IOAS, which maps into the
 *   window or a reserved region of one of the group's attached devices;
 *   their ranges move to that IOAS with the group.
 * - -ENOSPC: an automatic HWPT is needed and the context already holds
 *   UINT32_MAX objects.
 * - -ENOMEM: out of memory.
 * - the backend's error, as for swmsi_device_attach().
 * @par Thread safety
 * Safe; takes the context lock.
 * @par Undo
 * swmsi_device_replace() back to the old HWPT.
 */
SWMSI_API int swmsi_device_replace(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t pt_id);

/**
 * @brief swmsi_device_attach(), reporting the HWPT the group was attached to,
 * as iommufd writes it back into pt_id (VFIO_DEVICE_ATTACH_IOMMUFD_PT).
 *
 * Attaching to an IOAS picks or creates its automatic HWPT: its id comes back
 * in @p pt_id, so no second call is needed to find it. A HWPT id comes back
 * unchanged.
 * @param[in] ctx the context.
 * @param[in] dev_id the device.
 * @param[in,out] pt_id in: a paging HWPT, a nested HWPT or an IOAS; out, on
 * success only: the HWPT the device's group now sits on.
 * @return 0 on success, or a negative errno: -EINVAL when @p pt_id is
 * NULL; otherwise as swmsi_device_attach(), whose errors and per-scheme
 * behaviour it shares. On failure @p pt_id is left as it was.
 * @par Thread safety
 * Safe; takes the context lock once: the id reported is where the group sat
 * when the call returned.
 * @par Undo
 * swmsi_device_detach().
 */
SWMSI_API int swmsi_device_attach_pt(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t *pt_id);

/**
 * @brief swmsi_device_replace(), reporting the HWPT the group now sits on, as
 * iommufd writes it back into pt_id.
 *
 * For an IOAS, its automatic HWPT's id comes back in @p pt_id (also when
 * the replace is a no-op because the group already sits there); a HWPT id
 * comes back unchanged.
 * @param[in] ctx the context.
 * @param[in] dev_id an attached device.
 * @param[in,out] pt_id in: a paging HWPT, a nested HWPT or an IOAS; out, on
 * success only: the HWPT the device's group now sits on.
 * @return 0 on success, or a negative errno: -EINVAL when @p pt_id is
 * NULL; otherwise as swmsi_device_replace(), whose errors and per-scheme
 * behaviour it shares. On failure @p pt_id is left as it was.
 * @par Thread safety
 * Safe; takes the context lock once.
 * @par Undo
 * swmsi_device_replace_pt() back to the old HWPT.
 */
SWMSI_API int swmsi_device_replace_pt(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t *pt_id);

/**
 * @brief Detach a device; its group leaves its HWPT with its last attached
 * device.
 *
 * When the group leaves, its window reservation is dropped, under
 * SWMSI_RECLAIM_UNUSED pages no other group there needs are unmapped, and an
 * automatic HWPT left without groups is destroyed. The device's vectors and
 * the group's required ids stay: a detached group's DMA is blocked
 * (swmsi_msi_fire() -> -EFAULT for a group with a window), and the next
 * attach installs the pages again so the same message addresses work.
 * @param[in] ctx the context.
 * @param[in] dev_id the device.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx NULL.
 * - -ENOENT: @p dev_id is not a device.
 * - -EINVAL (NATIVE only): the device is not attached. Under KERNEL and
 *   DMA_IOMMU that call returns 0 and does nothing, as iommufd's
 *   iommufd_device_detach() returns early.
 * @par Thread safety
 * Safe; takes the context lock.
 * @par Undo
 * Undoes swmsi_device_attach(); swmsi_device_attach() undoes it.
 */
SWMSI_API int swmsi_device_detach(struct swmsi_ctx *ctx, uint32_t dev_id);

/* ------------------------------------------------------------------------ */
/* Per-device SW_MSI window (v0.3)                                          */

/**
 * @brief Set or drop a device's own SW_MSI window override (the posted
 * IOMMU_OPTION_SW_MSI_START/SIZE per device).
 *
 * The override stands in for the device's own SW_MSI region from its next
 * attach on: it is what is reserved and which window its group's vectors
 * use. Precedence: the device's override, then the context's
 * (swmsi_ctx_set_sw_msi_window()), then the device's own region. A device
 * without a SW_MSI region of its own is not given one: the override is
 * stored and has no effect. Works under every scheme.
 * @param[in] ctx the context.
 * @param[in] dev_id the device.
 * @param[in] start first IOVA of the window, 1 MiB aligned (ignored when
 * @p size is 0).
 * @param[in] size bytes, a multiple of 1 MiB; 0 drops the override.
 * @return 0 on success, or a negative errno, checked in this order:
 * - -EINVAL: @p ctx NULL.
 * - -ENOENT: @p dev_id is not a device.
 * - -EBUSY: the device is attached.
 * - -EINVAL: @p start not 1 MiB aligned, or @p size not a multiple of 1 MiB.
 * - -EOVERFLOW: start + max(size, 1 MiB) - 1 wraps.
 * - -EADDRINUSE: the window meets one of the device's reserved regions
 *   other than SW_MSI and DIRECT_RELAXABLE.
 * - -EINVAL (NATIVE only): the window overlaps another bound device's
 *   window in use without being identical to it.
 * - -EBUSY (NATIVE only): the device has vectors translated through its
 *   window in use, and the call would change that window.
 * @par Thread safety
 * Safe; takes the context lock. The backend is not called.
 * @par Undo
 * Set the previous value again (swmsi_device_get_sw_msi_window()).
 */
SWMSI_API int swmsi_device_set_sw_msi_window(struct swmsi_ctx *ctx, uint32_t dev_id, uint64_t start,
					     uint64_t size);

/**
 * @brief Read a device's SW_MSI window override.
 * @param[in] ctx the context.
 * @param[in] dev_id the device.
 * @param[out] start the override's start, or SWMSI_PHYS_NONE when there is
 * none; written on success only.
 * @param[out] size its size, or 0 when there is none; written on success
 * only.
 * @return 0 on success (attached or not), or a negative errno:
 * - -EINVAL: @p ctx, @p start or @p size NULL.
 * - -ENOENT: @p dev_id is not a device.
 * @par Thread safety
 * Safe; takes the context lock.
 */
SWMSI_API int swmsi_device_get_sw_msi_window(struct swmsi_ctx *ctx, uint32_t dev_id,
					     uint64_t *start, uint64_t *size);

/**
 * @brief The sw_msi path (the kernel's iommufd_sw_msi()): give an MSI vector
 * the address the device must write.
 *
 * A vector of a group that is detached or has no window is untranslated
 * (@p msg_addr = @p msi_addr), maps nothing, is not checked against the
 * allow-list and is not rewritten by a later attach (under
 * SWMSI_SCHEME_DMA_IOMMU, a group without a window on a domain with a
 * cookie goes through the cookie, below); and under
 * SWMSI_SCHEME_KERNEL a device whose group has a window and no attached
 * device sits on the group's blocking domain, and the call fails with
 * -EOPNOTSUPP (iommu_dma_prepare_msi()). Otherwise, per scheme:
 * - SWMSI_SCHEME_NATIVE: finds or creates the context-wide entry for the
 *   doorbell page (@p msi_addr rounded down to the page) in the group's
 *   window, keyed by (window start, page); the same page in the same window
 *   gets the same IOVA for every device, group and domain while any vector
 *   uses it. New entries take the lowest free id and slot. The page is
 *   installed in the group's paging domain (the parent's, for nested) if
 *   absent, and the group marked as requiring it. A page already in the
 *   table is a hit and never fails for exhaustion.
 * - SWMSI_SCHEME_KERNEL: ids come from a counter that starts at 0 and never
 *   goes back, capped at 64; a new entry's slot is 1 + the highest slot of
 *   its window, never compared with the window's size (the IOVA may lie past
 *   the window's end). The entry is added before the backend map: if the map
 *   fails the call returns its error, but the entry, its id and its slot
 *   stay, and a later call for the page maps it again.
 * - SWMSI_SCHEME_DMA_IOMMU: only for a group on a paging HWPT with a cookie,
 *   with or without a window of its own (dma-iommu never looked at the
 *   device's regions; such a vector then fires through the domain like any
 *   other): a page in the cookie returns its IOVA there; a miss takes the cookie's
 *   next IOVA (never compared with the window's size) and maps the page
 *   there with SWMSI_PROT_WRITE | SWMSI_PROT_MMIO. A group on a nested HWPT
 *   is untranslated.
 * @param[in] ctx the context.
 * @param[in] dev_id the device.
 * @param[in] msi_addr the doorbell's physical address.
 * @param[out] vec a per-device vector handle (lowest free), written on
 * success only.
 * @param[out] msg_addr the IOVA of the doorbell's page (window start + slot *
 * page size, or the cookie's IOVA) + the doorbell's offset in its page; or
 * @p msi_addr untranslated. Written on success only.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx, @p vec or @p msg_addr NULL.
 * - -ENOENT: @p dev_id is not a device.
 * - -EOPNOTSUPP (KERNEL only): the device's group has a window and no
 *   attached device (its blocking domain has no cookie).
 * - -EPERM: the vector would be translated and @p msi_addr lies outside
 *   every doorbell region registered (swmsi_doorbell_register()).
 * - -EOVERFLOW: a new page and no free map id: all max_msi_maps ids in
 *   use (NATIVE), or 64 ids ever handed out (KERNEL). Not under DMA_IOMMU.
 * - -ENOSPC: a new page and no free slot in the window (NATIVE only), or
 *   the device already holds UINT32_MAX vectors.
 * - -ENOMEM: out of memory; under DMA_IOMMU also any failure of the
 *   cookie's map (dma-iommu flattens every error; the next IOVA is given back).
 * - the backend's map error (NATIVE, KERNEL).
 * @par Thread safety
 * Safe; takes the context lock.
 * @par Undo
 * swmsi_msi_free().
 */
SWMSI_API int swmsi_msi_alloc(struct swmsi_ctx *ctx, uint32_t dev_id, uint64_t msi_addr,
			      uint32_t *vec, uint64_t *msg_addr);

/**
 * @brief Free a vector; its handle becomes free for the device's next
 * swmsi_msi_alloc().
 *
 * Under SWMSI_SCHEME_NATIVE with SWMSI_RECLAIM_UNUSED, freeing the group's
 * last vector on a page clears the group's need of it; a page no group needs
 * any more is unmapped from each domain, and an entry no vector uses is
 * freed, its id and slot reused lowest first. Under SWMSI_RECLAIM_NONE, and
 * always under SWMSI_SCHEME_KERNEL and SWMSI_SCHEME_DMA_IOMMU, pages stay
 * mapped and entries (or cookie pages) stay. An unmap that comes up short
 * cannot fail the call: the page stays marked present.
 * @param[in] ctx the context.
 * @param[in] dev_id the device.
 * @param[in] vec a handle swmsi_msi_alloc() gave for @p dev_id.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx NULL.
 * - -ENOENT: @p dev_id is not a device; @p vec is not a live vector of
 *   it.
 * @par Thread safety
 * Safe; takes the context lock.
 * @par Undo
 * Undoes swmsi_msi_alloc(); a new swmsi_msi_alloc() of the same address gets
 * the same message address while the page is still in the table.
 */
SWMSI_API int swmsi_msi_free(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t vec);

/**
 * @brief Simulate the device's MSI write: translate its message address
 * through the group's current HWPT (for nested: stage 1, then the parent).
 *
 * A vector of a group without a window fires untranslated, attached or not.
 * @param[in] ctx the context.
 * @param[in] dev_id the device.
 * @param[in] vec the vector handle swmsi_msi_alloc() gave.
 * @param[out] paddr where the write lands, written on success only. Under
 * SWMSI_SCHEME_DMA_IOMMU after a replace it may be another doorbell than the
 * vector's (a misrouted MSI).
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx or @p paddr NULL.
 * - -ENOENT: @p dev_id is not a device; @p vec is not a live vector of
 *   it.
 * - -EFAULT: the write does not translate (the MSI would be lost): the
 *   group has a window and is detached, or nothing maps the message address.
 * @par Thread safety
 * Safe. A reader: no lock when the group has no window, is detached or sits
 * on a paging HWPT (it answers as of one instant, and the domain is not
 * freed under it); for a group on a nested HWPT it takes the context lock to walk stage 1.
 * @par Undo
 * Nothing to undo: changes nothing.
 */
SWMSI_API int swmsi_msi_fire(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t vec, uint64_t *paddr);

/* ------------------------------------------------------------------------ */
/* Introspection (beyond the v0.1 contract): snapshots copied under the lock.
 * Each is safe from any thread (it takes the context lock) and changes
 * nothing. The list functions, swmsi_<owner>_<items>_list(), copy up to
 * `cap` entries, lowest first, and set *count to the full number, which may
 * exceed cap; their array may be NULL when cap is 0. */

/** @brief Kinds of object in a context's id space. */
enum swmsi_obj_type {
	/** No object; never reported for a live id. */
	SWMSI_OBJ_NONE = 0,
	/** An IO address space (swmsi_ioas_alloc()). */
	SWMSI_OBJ_IOAS,
	/** A paging HWPT, the user's (swmsi_hwpt_alloc()) or automatic. */
	SWMSI_OBJ_HWPT_PAGING,
	/** A nested HWPT (swmsi_hwpt_alloc_nested()). */
	SWMSI_OBJ_HWPT_NESTED,
	/** A device (swmsi_device_bind()). */
	SWMSI_OBJ_DEVICE,
};

/**
 * @brief The kind of object @p id names.
 * @param[in] ctx the context.
 * @param[in] id any id.
 * @param[out] type its kind, written on success only.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx or @p type NULL.
 * - -ENOENT: no object has id @p id.
 * @par Thread safety
 * Safe; takes the context lock.
 */
SWMSI_API int swmsi_obj_type(struct swmsi_ctx *ctx, uint32_t id, enum swmsi_obj_type *type);

/** @brief One live object of a context, as swmsi_obj_list() reports it. */
struct swmsi_obj_info {
	uint32_t id;		  /**< its id */
	enum swmsi_obj_type type; /**< its kind */
};

/**
 * @brief Copy the ids and kinds of a context's live objects, lowest id first
 * (automatic HWPTs included).
 * @param[in] ctx the context.
 * @param[out] objs up to @p cap entries (may be NULL when @p cap is 0).
 * @param[in] cap room in @p objs.
 * @param[out] count the number of live objects (may exceed @p cap).
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx or @p count NULL, or @p objs NULL with @p cap > 0.
 * @par Thread safety
 * Safe; takes the context lock.
 */
SWMSI_API int swmsi_obj_list(struct swmsi_ctx *ctx, struct swmsi_obj_info *objs, size_t cap,
			     size_t *count);

/** @brief One entry of the context-wide MSI table. */
struct swmsi_msi_map_info {
	uint32_t id;	       /**< map id, 0 .. max_msi_maps - 1 (KERNEL: 0 .. 63) */
	uint32_t slot;	       /**< page index inside the window (KERNEL: may lie past its end) */
	uint64_t sw_msi_start; /**< the window's start */
	uint64_t msi_page;     /**< the doorbell page's physical address */
	uint64_t iova;	       /**< sw_msi_start + slot * page size */
	uint32_t vectors;      /**< live vectors using the entry */
};

/**
 * @brief Copy the context-wide MSI table, lowest id first.
 *
 * Readable under every scheme: under SWMSI_SCHEME_KERNEL it holds the entries
 * a failed map left too; SWMSI_SCHEME_DMA_IOMMU has no table, so @p count is
 * 0 (see swmsi_hwpt_msi_cookie()).
 * @param[in] ctx the context.
 * @param[out] maps up to @p cap entries (may be NULL when @p cap is 0).
 * @param[in] cap room in @p maps.
 * @param[out] count the number of entries in the table (may exceed @p cap).
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx or @p count NULL, or @p maps NULL with @p cap > 0.
 * @par Thread safety
 * Safe; takes the context lock.
 */
SWMSI_API int swmsi_msi_map_list(struct swmsi_ctx *ctx, struct swmsi_msi_map_info *maps, size_t cap,
				 size_t *count);

/** @brief What a HWPT is, as swmsi_hwpt_info() reports it. */
struct swmsi_hwpt_info {
	enum swmsi_obj_type type; /**< SWMSI_OBJ_HWPT_PAGING or _NESTED */
	uint32_t ioas_id;	  /**< the IOAS (of the parent, for nested) */
	uint32_t parent_id;	  /**< nested: the parent HWPT; else 0 */
	uint32_t flags;		  /**< SWMSI_HWPT_* flags it was allocated with */
	bool is_auto;		  /**< an automatic HWPT made by attach to an IOAS */
	void *domain;		  /**< the backend domain (the parent's, for nested) */
	uint32_t groups;	  /**< groups attached to this HWPT directly */
	uint32_t children;	  /**< nested HWPTs over it */
};

/**
 * @brief Describe a HWPT.
 * @param[in] ctx the context.
 * @param[in] hwpt_id a paging or nested HWPT.
 * @param[out] info its description, written on success only.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx or @p info NULL.
 * - -ENOENT: @p hwpt_id is not a HWPT.
 * @par Thread safety
 * Safe; takes the context lock.
 */
SWMSI_API int swmsi_hwpt_info(struct swmsi_ctx *ctx, uint32_t hwpt_id,
			      struct swmsi_hwpt_info *info);

/**
 * @brief Copy the ids of the MSI map entries present (mapped) in a HWPT's
 * paging domain (the parent's, for nested), lowest first. Named
 * swmsi_hwpt_msi_present() up to v0.2 (still accepted, deprecated.h).
 *
 * These are ids of the context-wide table; SWMSI_SCHEME_DMA_IOMMU has none,
 * its pages are reported by swmsi_hwpt_msi_cookie().
 * @param[in] ctx the context.
 * @param[in] hwpt_id a paging or nested HWPT.
 * @param[out] ids up to @p cap ids (may be NULL when @p cap is 0).
 * @param[in] cap room in @p ids.
 * @param[out] count the number of present ids (may exceed @p cap).
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx or @p count NULL, or @p ids NULL with @p cap > 0.
 * - -ENOENT: @p hwpt_id is not a HWPT.
 * @par Thread safety
 * Safe; takes the context lock.
 */
SWMSI_API int swmsi_hwpt_present_map_list(struct swmsi_ctx *ctx, uint32_t hwpt_id, uint32_t *ids,
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
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx, @p info or @p count NULL, or @p pages NULL with
 * @p cap > 0.
 * - -ENOENT: @p hwpt_id is not a HWPT.
 * @par Thread safety
 * Safe; takes the context lock.
 */
SWMSI_API int swmsi_hwpt_msi_cookie(struct swmsi_ctx *ctx, uint32_t hwpt_id,
				    struct swmsi_msi_cookie_info *info,
				    struct swmsi_msi_cookie_page *pages, size_t cap, size_t *count);

/** @brief One mapping: an IOAS's user DMA mapping, a nested HWPT's stage-1
 * mapping (paddr is then the IPA), or a reserved window (prot 0). */
struct swmsi_mapping {
	uint64_t iova;	 /**< first IOVA */
	uint64_t paddr;	 /**< what it maps to (0 for a reserved window) */
	uint64_t length; /**< bytes */
	uint32_t prot;	 /**< SWMSI_PROT_* bits (0 for a reserved window) */
};

/**
 * @brief Copy an IOAS's user mappings, lowest IOVA first. Named
 * swmsi_ioas_mappings() up to v0.2 (still accepted, deprecated.h).
 * @param[in] ctx the context.
 * @param[in] ioas_id the IOAS.
 * @param[out] maps up to @p cap mappings (may be NULL when @p cap is 0).
 * @param[in] cap room in @p maps.
 * @param[out] count how many there are (may exceed @p cap).
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx or @p count NULL, or @p maps NULL with @p cap > 0.
 * - -ENOENT: @p ioas_id is not an IOAS.
 * @par Thread safety
 * Safe; takes the context lock.
 */
SWMSI_API int swmsi_ioas_mapping_list(struct swmsi_ctx *ctx, uint32_t ioas_id,
				      struct swmsi_mapping *maps, size_t cap, size_t *count);

/**
 * @brief Copy the SW_MSI windows reserved on an IOAS now (by the devices
 * attached under it), each distinct window once, as mappings with paddr 0
 * and prot 0, lowest IOVA first. swmsi_ioas_resv_list() lists every
 * reserved range with its type and owner. Named swmsi_ioas_reserved() up
 * to v0.2 (still accepted, deprecated.h).
 * @param[in] ctx the context.
 * @param[in] ioas_id the IOAS.
 * @param[out] windows up to @p cap windows (may be NULL when @p cap is 0).
 * @param[in] cap room in @p windows.
 * @param[out] count how many windows are reserved (may exceed @p cap).
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx or @p count NULL, or @p windows NULL with @p cap > 0.
 * - -ENOENT: @p ioas_id is not an IOAS.
 * @par Thread safety
 * Safe; takes the context lock.
 */
SWMSI_API int swmsi_ioas_window_list(struct swmsi_ctx *ctx, uint32_t ioas_id,
				     struct swmsi_mapping *windows, size_t cap, size_t *count);

/**
 * @brief Copy a nested HWPT's stage-1 (guest) mappings, iova -> ipa,
 * lowest IOVA first. Named swmsi_hwpt_nested_mappings() up to v0.2 (still
 * accepted, deprecated.h).
 * @param[in] ctx the context.
 * @param[in] nested_id the nested HWPT.
 * @param[out] maps up to @p cap mappings (may be NULL when @p cap is 0).
 * @param[in] cap room in @p maps.
 * @param[out] count how many there are (may exceed @p cap).
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx or @p count NULL, or @p maps NULL with @p cap > 0.
 * - -ENOENT: @p nested_id is not a nested HWPT.
 * @par Thread safety
 * Safe; takes the context lock.
 */
SWMSI_API int swmsi_hwpt_nested_mapping_list(struct swmsi_ctx *ctx, uint32_t nested_id,
					     struct swmsi_mapping *maps, size_t cap, size_t *count);

/** @brief What a device is and where its group sits. */
struct swmsi_device_info {
	uint32_t group; /**< its IOMMU group */
	/** the device's window in use (its own override, else the context's,
	 * else the one it reports; under NATIVE its attached group's), or
	 * SWMSI_PHYS_NONE */
	uint64_t sw_msi_start;
	uint64_t sw_msi_size; /**< its size, 0 without a window */
	bool attached;	      /**< this device is attached */
	uint32_t hwpt_id;     /**< the HWPT its group sits on, 0 if none */
	uint32_t vectors;     /**< live vectors */
};

/**
 * @brief Describe a device.
 * @param[in] ctx the context.
 * @param[in] dev_id the device.
 * @param[out] info its description, written on success only.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx or @p info NULL.
 * - -ENOENT: @p dev_id is not a device.
 * @par Thread safety
 * Safe; takes the context lock.
 */
SWMSI_API int swmsi_device_info(struct swmsi_ctx *ctx, uint32_t dev_id,
				struct swmsi_device_info *info);

/** @brief One MSI vector of a device. */
struct swmsi_vector_info {
	uint32_t vec;	   /**< the handle */
	uint64_t msi_addr; /**< the doorbell address given to swmsi_msi_alloc() */
	uint64_t msg_addr; /**< the address the device writes */
	bool translated;   /**< msg_addr is an IOVA in the SW_MSI window */
	uint32_t map_id;   /**< its MSI map entry when translated, else 0 */
};

/**
 * @brief Copy a device's vectors, lowest handle first. Named
 * swmsi_device_vectors() up to v0.2 (still accepted, deprecated.h).
 * @param[in] ctx the context.
 * @param[in] dev_id the device.
 * @param[out] vecs up to @p cap vectors (may be NULL when @p cap is 0).
 * @param[in] cap room in @p vecs.
 * @param[out] count the number of live vectors (may exceed @p cap).
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx or @p count NULL, or @p vecs NULL with @p cap > 0.
 * - -ENOENT: @p dev_id is not a device.
 * @par Thread safety
 * Safe; takes the context lock.
 */
SWMSI_API int swmsi_device_vector_list(struct swmsi_ctx *ctx, uint32_t dev_id,
				       struct swmsi_vector_info *vecs, size_t cap, size_t *count);

/**
 * @brief Copy the ids of the MSI map entries a device's group requires,
 * lowest first. Named swmsi_device_required() up to v0.2 (still accepted,
 * deprecated.h).
 *
 * A group requires an entry from the first translated vector of any of its
 * devices on it: attach and replace install the required pages in the
 * target domain before the group moves. Under SWMSI_RECLAIM_UNUSED the id
 * is dropped when the group's last vector on the entry is freed; under
 * SWMSI_RECLAIM_NONE (and SWMSI_SCHEME_KERNEL) it stays while the group
 * has a bound device, so a group may require ids no live vector uses.
 * SWMSI_SCHEME_DMA_IOMMU has no table: the set is empty. Every device of a
 * group reports the same set.
 * @param[in] ctx the context.
 * @param[in] dev_id a device of the group.
 * @param[out] ids up to @p cap ids (may be NULL when @p cap is 0).
 * @param[in] cap room in @p ids.
 * @param[out] count the number of required ids (may exceed @p cap).
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx or @p count NULL, or @p ids NULL with @p cap > 0.
 * - -ENOENT: @p dev_id is not a device.
 * @par Thread safety
 * Safe; takes the context lock.
 */
SWMSI_API int swmsi_device_required_map_list(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t *ids,
					     size_t cap, size_t *count);

/** @brief Counters of a context, as swmsi_ctx_stats() reports them. */
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
	uint64_t allocs;	 /**< heap allocations the context made, ever (each
				      allocation or reallocation through its
				      allocation hook; a failed one is not counted) */
};

/**
 * @brief Read the context's counters.
 * @param[in] ctx the context.
 * @param[out] stats the counters, written on success only.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx or @p stats NULL.
 * @par Thread safety
 * Safe; takes the context lock.
 */
SWMSI_API int swmsi_ctx_stats(struct swmsi_ctx *ctx, struct swmsi_ctx_stats *stats);

/* Point lookups of the MSI table and of a HWPT's present ids: what the
 * list functions above hand out whole, one key at a time. A caller that
 * checks what one call touched reads those entries in O(1) each instead
 * of O(table). Under SWMSI_SCHEME_DMA_IOMMU the table is empty: no entry
 * is found, no window listed, no id present. */

/**
 * @brief Read one entry of the MSI table by its id.
 * @param[in] ctx the context.
 * @param[in] id a map id.
 * @param[out] info the entry, as swmsi_msi_map_list() reports it; written
 * on success only.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx or @p info NULL.
 * - -ENOENT: no entry has id @p id (always under SWMSI_SCHEME_DMA_IOMMU).
 * @par Thread safety
 * Safe; takes the context lock. O(1).
 */
SWMSI_API int swmsi_msi_map_get(struct swmsi_ctx *ctx, uint32_t id,
				struct swmsi_msi_map_info *info);

/**
 * @brief Find the MSI table entry of a doorbell page in a window: the
 * table's own key, the lookup swmsi_msi_alloc() makes.
 * @param[in] ctx the context.
 * @param[in] sw_msi_start the window's start (an entry's sw_msi_start).
 * @param[in] msi_addr any address in the doorbell page; rounded down to the
 * context's page size.
 * @param[out] info the entry, as swmsi_msi_map_list() reports it; written
 * on success only.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx or @p info NULL.
 * - -ENOENT: the window has no entry for that page (always under
 *   SWMSI_SCHEME_DMA_IOMMU).
 * @par Thread safety
 * Safe; takes the context lock. O(1) expected.
 */
SWMSI_API int swmsi_msi_map_find(struct swmsi_ctx *ctx, uint64_t sw_msi_start, uint64_t msi_addr,
				 struct swmsi_msi_map_info *info);

/**
 * @brief Copy the MSI table entries of a window whose slot lies in
 * [@p first_slot, @p first_slot + @p nslots), ascending by slot.
 *
 * An entry's IOVA is sw_msi_start + slot * page size, so this is also the
 * lookup by IOVA within a window; @p nslots 1 reads one slot. A window the
 * table does not number (see swmsi_msi_map_window_list()) has no entries.
 * @param[in] ctx the context.
 * @param[in] sw_msi_start the window's start (an entry's sw_msi_start).
 * @param[in] first_slot the first slot of the range.
 * @param[in] nslots how many slots; a range past the last 32-bit slot
 * ends there.
 * @param[out] maps up to @p cap entries (may be NULL when @p cap is 0).
 * @param[in] cap room in @p maps.
 * @param[out] count the number of entries in the range (may exceed @p cap).
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx or @p count NULL, or @p maps NULL with @p cap > 0.
 * @par Thread safety
 * Safe; takes the context lock. O(windows + nslots / 64 + the entries
 * found).
 */
SWMSI_API int swmsi_msi_map_slot_list(struct swmsi_ctx *ctx, uint64_t sw_msi_start,
				      uint32_t first_slot, uint64_t nslots,
				      struct swmsi_msi_map_info *maps, size_t cap, size_t *count);

/** @brief One window the MSI table numbers slots in, as
 * swmsi_msi_map_window_list() reports it. */
struct swmsi_msi_window_info {
	uint64_t sw_msi_start; /**< its start: the sw_msi_start of its entries */
	uint64_t size;	       /**< the largest window size an entry was made for here */
	uint32_t entries;      /**< live entries with a slot in it */
};

/**
 * @brief Copy the windows the MSI table has entries in, ascending by start.
 *
 * The entries of a window are numbered by its start alone: windows of
 * several groups with one start share it, and it lives while an entry
 * does, after its groups are gone. The entries counts add up to the
 * table's size. SWMSI_SCHEME_DMA_IOMMU has no table: @p count is 0.
 * @param[in] ctx the context.
 * @param[out] windows up to @p cap windows (may be NULL when @p cap is 0).
 * @param[in] cap room in @p windows.
 * @param[out] count the number of windows (may exceed @p cap).
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx or @p count NULL, or @p windows NULL with @p cap > 0.
 * @par Thread safety
 * Safe; takes the context lock. O(windows), not O(entries).
 */
SWMSI_API int swmsi_msi_map_window_list(struct swmsi_ctx *ctx,
					struct swmsi_msi_window_info *windows, size_t cap,
					size_t *count);

/**
 * @brief Is a MSI map entry present (mapped) in a HWPT's paging domain (the
 * parent's, for nested)? One id of swmsi_hwpt_msi_present()'s list.
 * @param[in] ctx the context.
 * @param[in] hwpt_id a paging or nested HWPT.
 * @param[in] map_id any map id.
 * @param[out] present true when @p map_id is among the HWPT's present ids;
 * written on success only (false for every id under
 * SWMSI_SCHEME_DMA_IOMMU, see swmsi_hwpt_msi_cookie()).
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx or @p present NULL.
 * - -ENOENT: @p hwpt_id is not a HWPT.
 * @par Thread safety
 * Safe; takes the context lock. O(1).
 */
SWMSI_API int swmsi_hwpt_present_map_has(struct swmsi_ctx *ctx, uint32_t hwpt_id, uint32_t map_id,
					 bool *present);

/**
 * @brief The symbolic name of a negative errno value ("EADDRINUSE" for
 * -EADDRINUSE), the inverse of swmsi_errno_from_name().
 *
 * Like swmsi_scheme_name(), it answers NULL for a value it does not know, so
 * a caller can tell; v0.2's swmsi_errname() answers "E?" there instead and
 * stays, deprecated (deprecated.h).
 * @param[in] err a negative errno value.
 * @return a static string; NULL for a value it does not know. Thread safe.
 */
SWMSI_API const char *swmsi_errno_name(int err);

/**
 * @brief The word for a scheme, as the simulator spells it: "native",
 * "kernel" or "dma-iommu".
 * @param[in] scheme the scheme.
 * @return a static string; NULL for a value that is no scheme. Thread safe.
 */
SWMSI_API const char *swmsi_scheme_name(enum swmsi_scheme scheme);

/**
 * @brief Parse a scheme word as swmsi_scheme_name() spells it (exact,
 * case-sensitive).
 * @param[in] name the word.
 * @param[out] scheme the scheme it names, written on success only.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p name or @p scheme NULL.
 * - -ENOENT: no scheme has that name.
 * @par Thread safety
 * Safe; touches no shared state.
 */
SWMSI_API int swmsi_scheme_from_name(const char *name, enum swmsi_scheme *scheme);

/**
 * @brief Parse an errno name as swmsi_errno_name() spells it (exact,
 * case-sensitive).
 * @param[in] name the name, e.g. "ENOSPC"; may be NULL.
 * @return the negative errno value (-ENOSPC), or 0 for NULL or a name it
 * does not know. Thread safe.
 */
SWMSI_API int swmsi_errno_from_name(const char *name);

/**
 * @brief The version of the library linked at run time (SWMSI_VERSION_STRING
 * is the one of the headers compiled against).
 * @return a static string, "MAJOR.MINOR.PATCH". Thread safe.
 */
SWMSI_API const char *swmsi_version(void);

#ifdef __cplusplus
}
#endif

/* The v0.2 spellings, after every declaration they forward to. */
#include <swmsi/deprecated.h>

#endif /* SWMSI_SWMSI_H */
