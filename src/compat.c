/* SPDX-License-Identifier: MIT */
/*
 * The v0.2 spellings of renamed functions (include/swmsi/deprecated.h).
 * Real exported functions, not macros: a program linked against
 * libswmsi.so.0 before the renaming finds every symbol it was linked with.
 * Each forwards to its new name and adds nothing, so the two cannot drift.
 */
#include <stddef.h>

#include <swmsi/swmsi.h>

int swmsi_destroy(struct swmsi_ctx *ctx, uint32_t id)
{
	return swmsi_obj_destroy(ctx, id);
}

int swmsi_ioas_mappings(struct swmsi_ctx *ctx, uint32_t ioas_id, struct swmsi_mapping *maps,
			size_t cap, size_t *count)
{
	return swmsi_ioas_mapping_list(ctx, ioas_id, maps, cap, count);
}

int swmsi_ioas_reserved(struct swmsi_ctx *ctx, uint32_t ioas_id, struct swmsi_mapping *windows,
			size_t cap, size_t *count)
{
	return swmsi_ioas_window_list(ctx, ioas_id, windows, cap, count);
}

int swmsi_hwpt_msi_present(struct swmsi_ctx *ctx, uint32_t hwpt_id, uint32_t *ids, size_t cap,
			   size_t *count)
{
	return swmsi_hwpt_present_map_list(ctx, hwpt_id, ids, cap, count);
}

int swmsi_hwpt_nested_mappings(struct swmsi_ctx *ctx, uint32_t nested_id,
			       struct swmsi_mapping *maps, size_t cap, size_t *count)
{
	return swmsi_hwpt_nested_mapping_list(ctx, nested_id, maps, cap, count);
}

int swmsi_device_vectors(struct swmsi_ctx *ctx, uint32_t dev_id, struct swmsi_vector_info *vecs,
			 size_t cap, size_t *count)
{
	return swmsi_device_vector_list(ctx, dev_id, vecs, cap, count);
}

int swmsi_device_required(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t *ids, size_t cap,
			  size_t *count)
{
	return swmsi_device_required_map_list(ctx, dev_id, ids, cap, count);
}

/* v0.2 answered "E?" for a value it does not know; it still does. */
const char *swmsi_errname(int err)
{
	const char *name = swmsi_errno_name(err);

	return name ? name : "E?";
}
