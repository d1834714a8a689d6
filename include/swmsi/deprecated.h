/* SPDX-License-Identifier: MIT */
/**
 * @file deprecated.h
 * @brief The v0.2 spellings of renamed functions, kept for the whole 1.x
 * series (API.md, "Compatibility (v0.3)"). Included by swmsi.h; do not
 * include it alone.
 *
 * Each is an exported function that forwards to its new name, so programs
 * linked against libswmsi.so.0 before the renaming keep running, and
 * sources written against v0.2 keep compiling, with -Werror too: the
 * compiler warns about a use only when the consumer asks, by defining
 * SWMSI_WARN_DEPRECATED before including swmsi.h.
 *
 * | v0.2 name                    | new name                          |
 * |------------------------------|-----------------------------------|
 * | swmsi_destroy()              | swmsi_obj_destroy()               |
 * | swmsi_ioas_mappings()        | swmsi_ioas_mapping_list()         |
 * | swmsi_ioas_reserved()        | swmsi_ioas_window_list()          |
 * | swmsi_hwpt_msi_present()     | swmsi_hwpt_present_map_list()     |
 * | swmsi_hwpt_nested_mappings() | swmsi_hwpt_nested_mapping_list()  |
 * | swmsi_device_vectors()       | swmsi_device_vector_list()        |
 * | swmsi_device_required()      | swmsi_device_required_map_list()  |
 * | swmsi_errname()              | swmsi_errno_name() (NULL, not "E?", for an unknown value) |
 * | swmsi_ctx_fail_alloc() via swmsi.h | the same, via <swmsi/testing.h> |
 */
#ifndef SWMSI_DEPRECATED_H
#define SWMSI_DEPRECATED_H

#include <swmsi/swmsi.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @copydoc swmsi_obj_destroy
 * @deprecated The v0.2 name: use swmsi_obj_destroy(), which it calls.
 */
SWMSI_API int swmsi_destroy(struct swmsi_ctx *ctx, uint32_t id)
	SWMSI_DEPRECATED("use swmsi_obj_destroy");

/**
 * @copydoc swmsi_ioas_mapping_list
 * @deprecated The v0.2 name: use swmsi_ioas_mapping_list(), which it calls.
 */
SWMSI_API int swmsi_ioas_mappings(struct swmsi_ctx *ctx, uint32_t ioas_id,
				  struct swmsi_mapping *maps, size_t cap, size_t *count)
	SWMSI_DEPRECATED("use swmsi_ioas_mapping_list");

/**
 * @copydoc swmsi_ioas_window_list
 * @deprecated The v0.2 name: use swmsi_ioas_window_list(), which it calls.
 */
SWMSI_API int swmsi_ioas_reserved(struct swmsi_ctx *ctx, uint32_t ioas_id,
				  struct swmsi_mapping *windows, size_t cap, size_t *count)
	SWMSI_DEPRECATED("use swmsi_ioas_window_list");

/**
 * @copydoc swmsi_hwpt_present_map_list
 * @deprecated The v0.2 name: use swmsi_hwpt_present_map_list(), which it calls.
 */
SWMSI_API int swmsi_hwpt_msi_present(struct swmsi_ctx *ctx, uint32_t hwpt_id, uint32_t *ids,
				     size_t cap, size_t *count)
	SWMSI_DEPRECATED("use swmsi_hwpt_present_map_list");

/**
 * @copydoc swmsi_hwpt_nested_mapping_list
 * @deprecated The v0.2 name: use swmsi_hwpt_nested_mapping_list(), which it calls.
 */
SWMSI_API int swmsi_hwpt_nested_mappings(struct swmsi_ctx *ctx, uint32_t nested_id,
					 struct swmsi_mapping *maps, size_t cap, size_t *count)
	SWMSI_DEPRECATED("use swmsi_hwpt_nested_mapping_list");

/**
 * @copydoc swmsi_device_vector_list
 * @deprecated The v0.2 name: use swmsi_device_vector_list(), which it calls.
 */
SWMSI_API int swmsi_device_vectors(struct swmsi_ctx *ctx, uint32_t dev_id,
				   struct swmsi_vector_info *vecs, size_t cap, size_t *count)
	SWMSI_DEPRECATED("use swmsi_device_vector_list");

/**
 * @copydoc swmsi_device_required_map_list
 * @deprecated The v0.2 name: use swmsi_device_required_map_list(), which it calls.
 */
SWMSI_API int swmsi_device_required(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t *ids,
				    size_t cap, size_t *count)
	SWMSI_DEPRECATED("use swmsi_device_required_map_list");

/**
 * @deprecated Use swmsi_errno_name(), which answers NULL for a value it does
 * not know, as swmsi_scheme_name() does.
 * @param[in] err a negative errno value.
 * @return swmsi_errno_name(@p err), or "E?" where that is NULL.
 */
SWMSI_API const char *swmsi_errname(int err)
	SWMSI_DEPRECATED("use swmsi_errno_name (NULL for an unknown value)");

/*
 * The test hook swmsi_ctx_fail_alloc() lives in <swmsi/testing.h>. A program
 * that includes only swmsi.h, as v0.2 allowed, still gets it; one that asked
 * for deprecation warnings gets it through a deprecated inline forwarder,
 * which testing.h withdraws (#undef) when included later.
 */
#ifndef SWMSI_TESTING_H
#ifdef SWMSI_WARN_DEPRECATED
SWMSI_API int swmsi_ctx_fail_alloc(struct swmsi_ctx *ctx, unsigned int nth);

/** @deprecated Include <swmsi/testing.h>, which declares swmsi_ctx_fail_alloc(). */
SWMSI_DEPRECATED("swmsi_ctx_fail_alloc is declared in <swmsi/testing.h>: include it")
static inline int swmsi__ctx_fail_alloc_v02(struct swmsi_ctx *ctx, unsigned int nth)
{
	return swmsi_ctx_fail_alloc(ctx, nth);
}
#define swmsi_ctx_fail_alloc swmsi__ctx_fail_alloc_v02
#endif
#endif

#ifdef __cplusplus
}
#endif

#ifndef SWMSI_WARN_DEPRECATED
#include <swmsi/testing.h>
#endif

#endif /* SWMSI_DEPRECATED_H */
