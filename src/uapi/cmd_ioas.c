// SPDX-License-Identifier: MIT
/*
 * IOAS requests: IOMMU_IOAS_ALLOC, _MAP, _MAP_FILE, _UNMAP, _IOVA_RANGES,
 * _ALLOW_IOVAS, _COPY and _CHANGE_PROCESS. Each checks its struct in
 * upstream's order (iommufd's ioas.c) and calls swmsi_*. What upstream's
 * io_pagetable does beyond libswmsi's IOAS today (allocated IOVAs, copy,
 * allowed ranges, file maps) answers EOPNOTSUPP after the struct is fully
 * checked: served once the io_pagetable calls land in libswmsi.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>

#include "uapi_internal.h"

#define MAP_FLAGS                                                           \
	(SWMSI_IOMMU_IOAS_MAP_FIXED_IOVA | SWMSI_IOMMU_IOAS_MAP_WRITEABLE | \
	 SWMSI_IOMMU_IOAS_MAP_READABLE)
#define MAP_PROT (SWMSI_IOMMU_IOAS_MAP_WRITEABLE | SWMSI_IOMMU_IOAS_MAP_READABLE)

int swmsi__uapi_ioas_alloc(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_ioas_alloc *cmd = call->cmd;
	struct swmsi_ctx *ctx = call->file->ctx;
	uint32_t id;
	int err;

	if (cmd->flags)
		return -EOPNOTSUPP;
	err = swmsi_ioas_alloc(ctx, &id);
	if (err)
		return err;
	cmd->out_ioas_id = id;
	err = swmsi__uapi_respond(call);
	if (err)
		swmsi_obj_destroy(ctx, id); /* as upstream aborts the object */
	return err;
}

static uint32_t map_prot(uint32_t flags)
{
	return (flags & SWMSI_IOMMU_IOAS_MAP_READABLE ? SWMSI_PROT_READ : 0) |
	       (flags & SWMSI_IOMMU_IOAS_MAP_WRITEABLE ? SWMSI_PROT_WRITE : 0);
}

int swmsi__uapi_ioas_map(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_ioas_map *cmd = call->cmd;
	struct swmsi_ctx *ctx = call->file->ctx;
	int err;

	if ((cmd->flags & ~MAP_FLAGS) || cmd->__reserved)
		return -EOPNOTSUPP;
	/* upstream refuses ULONG_MAX, which is UINT64_MAX on 64-bit */
	if (cmd->iova >= UINT64_MAX || cmd->length >= UINT64_MAX)
		return -EOVERFLOW;
	if (!(cmd->flags & MAP_PROT))
		return -EINVAL;
	if (!swmsi__uapi_is(ctx, cmd->ioas_id, SWMSI_OBJ_IOAS))
		return -ENOENT;
	/* An allocated IOVA: served once the io_pagetable calls land. */
	if (!(cmd->flags & SWMSI_IOMMU_IOAS_MAP_FIXED_IOVA))
		return -EOPNOTSUPP;
	/* user_va stands for the physical address the domains map */
	err = swmsi_ioas_map(ctx, cmd->ioas_id, cmd->iova, cmd->user_va, cmd->length,
			     map_prot(cmd->flags));
	if (err)
		return err;
	err = swmsi__uapi_respond(call);
	if (err)
		swmsi_ioas_unmap(ctx, cmd->ioas_id, cmd->iova, cmd->length);
	return err;
}

int swmsi__uapi_ioas_map_file(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_ioas_map_file *cmd = call->cmd;

	if (cmd->flags & ~MAP_FLAGS)
		return -EOPNOTSUPP;
	if (cmd->iova >= UINT64_MAX || cmd->length >= UINT64_MAX)
		return -EOVERFLOW;
	if (!(cmd->flags & MAP_PROT))
		return -EINVAL;
	if (!swmsi__uapi_is(call->file->ctx, cmd->ioas_id, SWMSI_OBJ_IOAS))
		return -ENOENT;
	if (cmd->fd < 0 || fcntl(cmd->fd, F_GETFD) < 0)
		return -EBADF;
	/* File-backed areas: served once the io_pagetable calls land. */
	return -EOPNOTSUPP;
}

/* Bytes of the IOAS's mappings that lie wholly inside [iova, last]. */
static int mapped_inside(struct swmsi_ctx *ctx, uint32_t ioas, uint64_t iova, uint64_t last,
			 uint64_t *bytes, size_t *count)
{
	struct swmsi_mapping *maps = NULL;
	size_t n = 0, cap = 0;
	int err;

	for (;;) {
		err = swmsi_ioas_mapping_list(ctx, ioas, maps, cap, &n);
		if (err || n <= cap)
			break;
		free(maps);
		cap = n;
		maps = malloc(cap * sizeof(*maps));
		if (!maps)
			return -ENOMEM;
	}
	*bytes = 0;
	*count = 0;
	for (size_t i = 0; !err && i < n; i++) {
		if (maps[i].iova >= iova && maps[i].iova + (maps[i].length - 1) <= last) {
			*bytes += maps[i].length;
			(*count)++;
		}
	}
	free(maps);
	return err;
}

/* Everything: one mapping at a time, until none is left. Upstream's unmap
 * of all is not atomic either (iopt_unmap_all()); a mapping another thread
 * removes first is simply not counted. */
static int unmap_all(struct swmsi_ctx *ctx, uint32_t ioas, uint64_t *unmapped)
{
	struct swmsi_mapping m;
	size_t n;
	int err;

	*unmapped = 0;
	for (;;) {
		err = swmsi_ioas_mapping_list(ctx, ioas, &m, 1, &n);
		if (err || !n)
			return err;
		err = swmsi_ioas_unmap(ctx, ioas, m.iova, m.length);
		if (err == -ENOENT)
			continue;
		if (err)
			return err;
		*unmapped += m.length;
	}
}

static int unmap_range(struct swmsi_ctx *ctx, uint32_t ioas, uint64_t iova, uint64_t length,
		       uint64_t *unmapped)
{
	uint64_t bytes;
	size_t count;
	int err;

	if (!length)
		return -EINVAL;
	if (iova > UINT64_MAX - (length - 1))
		return -EOVERFLOW;
	/* the length written back: what lay inside as the unmap began */
	err = mapped_inside(ctx, ioas, iova, iova + (length - 1), &bytes, &count);
	if (err)
		return err;
	if (!count)
		return -ENOENT; /* upstream's answer whatever the range's alignment */
	err = swmsi_ioas_unmap(ctx, ioas, iova, length);
	if (err)
		return err;
	*unmapped = bytes;
	return 0;
}

int swmsi__uapi_ioas_unmap(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_ioas_unmap *cmd = call->cmd;
	struct swmsi_ctx *ctx = call->file->ctx;
	uint64_t unmapped = 0;
	int err;

	if (!swmsi__uapi_is(ctx, cmd->ioas_id, SWMSI_OBJ_IOAS))
		return -ENOENT;
	if (cmd->iova == 0 && cmd->length == UINT64_MAX) {
		err = unmap_all(ctx, cmd->ioas_id, &unmapped);
	} else {
		if (cmd->iova >= UINT64_MAX || cmd->length >= UINT64_MAX)
			return -EOVERFLOW;
		err = unmap_range(ctx, cmd->ioas_id, cmd->iova, cmd->length, &unmapped);
	}
	if (err)
		return err;
	cmd->length = unmapped;
	return swmsi__uapi_respond(call);
}

/* The alignment a map's IOVA needs: 1 without a domain, else the page
 * size of the domains. Reckoned here until libswmsi reports it. */
static uint64_t iova_alignment(struct swmsi__uapi_file *file, uint32_t ioas)
{
	struct swmsi_obj_info *all;
	struct swmsi_hwpt_info info;
	uint64_t align = 1;
	size_t n;

	if (swmsi__uapi_objects(file->ctx, &all, &n))
		return (uint64_t)1 << file->page_shift; /* the safe answer */
	for (size_t i = 0; i < n && align == 1; i++)
		if (all[i].type == SWMSI_OBJ_HWPT_PAGING &&
		    !swmsi_hwpt_info(file->ctx, all[i].id, &info) && info.ioas_id == ioas)
			align = (uint64_t)1 << file->page_shift;
	free(all);
	return align;
}

/* The usable ranges, all of them; *ranges is malloc'ed (NULL when none). */
static int usable_ranges(struct swmsi_ctx *ctx, uint32_t ioas, struct swmsi_iova_range **ranges,
			 size_t *count)
{
	struct swmsi_iova_range *r = NULL;
	size_t cap = 0, n;
	int err;

	for (;;) {
		err = swmsi_ioas_iova_ranges(ctx, ioas, r, cap, &n);
		if (err || n <= cap)
			break;
		free(r);
		cap = n;
		r = malloc(cap * sizeof(*r));
		if (!r)
			return -ENOMEM;
	}
	if (err) {
		free(r);
		return err;
	}
	*ranges = r;
	*count = n;
	return 0;
}

int swmsi__uapi_ioas_iova_ranges(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_ioas_iova_ranges *cmd = call->cmd;
	struct swmsi_iova_range *ranges = NULL;
	uint32_t room = cmd->num_iovas;
	size_t n = 0;
	int err;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	err = usable_ranges(call->file->ctx, cmd->ioas_id, &ranges, &n);
	if (err)
		return err;
	for (size_t i = 0; !err && i < n && i < room; i++) {
		struct swmsi_iommu_iova_range elm = { .start = ranges[i].start,
						      .last = ranges[i].last };

		err = swmsi__uapi_write(cmd->allowed_iovas + i * sizeof(elm), &elm, sizeof(elm));
	}
	free(ranges);
	if (err)
		return err;
	cmd->num_iovas = (uint32_t)n;
	cmd->out_iova_alignment = iova_alignment(call->file, cmd->ioas_id);
	/* written back before EMSGSIZE: the caller learns the count it needs */
	err = swmsi__uapi_respond(call);
	if (err)
		return err;
	return n > room ? -EMSGSIZE : 0;
}

int swmsi__uapi_ioas_allow_iovas(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_ioas_allow_iovas *cmd = call->cmd;
	struct swmsi_iommu_iova_range r;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	if (!swmsi__uapi_is(call->file->ctx, cmd->ioas_id, SWMSI_OBJ_IOAS))
		return -ENOENT;
	for (uint32_t i = 0; i < cmd->num_iovas; i++) {
		int err = swmsi__uapi_read(&r, cmd->allowed_iovas + (uint64_t)i * sizeof(r),
					   sizeof(r));

		if (err)
			return err;
		if (r.start > r.last)
			return -EINVAL;
	}
	/* Allowed ranges: served once the io_pagetable calls land. */
	return -EOPNOTSUPP;
}

int swmsi__uapi_ioas_copy(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_ioas_copy *cmd = call->cmd;
	struct swmsi_ctx *ctx = call->file->ctx;

	if (cmd->flags & ~MAP_FLAGS)
		return -EOPNOTSUPP;
	if (cmd->length >= UINT64_MAX || cmd->src_iova >= UINT64_MAX || cmd->dst_iova >= UINT64_MAX)
		return -EOVERFLOW;
	if (!(cmd->flags & MAP_PROT))
		return -EINVAL;
	if (!swmsi__uapi_is(ctx, cmd->src_ioas_id, SWMSI_OBJ_IOAS) ||
	    !swmsi__uapi_is(ctx, cmd->dst_ioas_id, SWMSI_OBJ_IOAS))
		return -ENOENT;
	/* Copy between IOASes: served once the io_pagetable calls land. */
	return -EOPNOTSUPP;
}

/* Any IOAS of the context with a mapping (1 also when it cannot tell). */
static int any_mapping(struct swmsi_ctx *ctx)
{
	struct swmsi_obj_info *all;
	size_t n, maps;
	int found = 0;

	if (swmsi__uapi_objects(ctx, &all, &n))
		return 1;
	for (size_t i = 0; i < n && !found; i++)
		if (all[i].type == SWMSI_OBJ_IOAS &&
		    !swmsi_ioas_mapping_list(ctx, all[i].id, NULL, 0, &maps) && maps)
			found = 1;
	free(all);
	return found;
}

int swmsi__uapi_ioas_change_process(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_ioas_change_process *cmd = call->cmd;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	/* only file-backed maps can move to another process (EINVAL
	 * otherwise); the model has none, and lives in one process */
	return any_mapping(call->file->ctx) ? -EINVAL : 0;
}
