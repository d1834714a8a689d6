// SPDX-License-Identifier: MIT
/*
 * IOAS requests: IOMMU_IOAS_ALLOC, _MAP, _MAP_FILE, _UNMAP, _IOVA_RANGES,
 * _ALLOW_IOVAS, _COPY and _CHANGE_PROCESS. Each checks what upstream's
 * ioas.c checks of its struct before the io_pagetable is reached, then
 * makes the one swmsi_ioas_* call that holds the rules (src/iopt*.c), and
 * writes the struct back.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>

#include "uapi_internal.h"

#define MAP_FLAGS                                                           \
	(SWMSI_IOMMU_IOAS_MAP_FIXED_IOVA | SWMSI_IOMMU_IOAS_MAP_WRITEABLE | \
	 SWMSI_IOMMU_IOAS_MAP_READABLE)
#define MAP_PROT (SWMSI_IOMMU_IOAS_MAP_WRITEABLE | SWMSI_IOMMU_IOAS_MAP_READABLE)

/* The ABI's map flags are the library's, bit for bit. */
_Static_assert(SWMSI_IOMMU_IOAS_MAP_FIXED_IOVA == SWMSI_IOAS_MAP_FIXED_IOVA, "FIXED_IOVA");
_Static_assert(SWMSI_IOMMU_IOAS_MAP_WRITEABLE == SWMSI_IOAS_MAP_WRITEABLE, "WRITEABLE");
_Static_assert(SWMSI_IOMMU_IOAS_MAP_READABLE == SWMSI_IOAS_MAP_READABLE, "READABLE");

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

/* The write-back of a map or copy; one that faults undoes the new area. */
static int respond_or_unmap(struct swmsi__uapi_call *call, uint32_t ioas, uint64_t iova,
			    uint64_t length)
{
	int err = swmsi__uapi_respond(call);

	if (err)
		swmsi_ioas_unmap_range(call->file->ctx, ioas, iova, length, NULL);
	return err;
}

int swmsi__uapi_ioas_map(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_ioas_map *cmd = call->cmd;
	uint64_t iova = cmd->iova;
	int err;

	/* the struct's own field; the flags and the rest are the library's */
	if ((cmd->flags & ~MAP_FLAGS) || cmd->__reserved)
		return -EOPNOTSUPP;
	err = swmsi_ioas_map_user(call->file->ctx, cmd->ioas_id, cmd->flags, cmd->user_va,
				  cmd->length, &iova);
	if (err)
		return err;
	cmd->iova = iova;
	return respond_or_unmap(call, cmd->ioas_id, iova, cmd->length);
}

/* MAP_FILE's checks before the file is looked at (ioas.c's order): those
 * the library would make only after the file's. */
static int map_file_precheck(struct swmsi__uapi_call *call)
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
	return 0;
}

int swmsi__uapi_ioas_map_file(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_ioas_map_file *cmd = call->cmd;
	struct swmsi__uapi_file *file = call->file;
	uint64_t iova = cmd->iova, va = 0;
	int err;

	err = map_file_precheck(call);
	if (err)
		return err;
	/* held until the area exists: a collection meanwhile would find the
	 * new backing unused */
	pthread_mutex_lock(&file->lock);
	err = swmsi__uapi_file_backing(file, cmd->fd, cmd->start, cmd->length,
				       !!(cmd->flags & SWMSI_IOMMU_IOAS_MAP_WRITEABLE), &va);
	if (!err) {
		err = swmsi_ioas_map_user(file->ctx, cmd->ioas_id, cmd->flags, va, cmd->length,
					  &iova);
		if (err)
			swmsi__uapi_file_backing_put(file, va);
	}
	pthread_mutex_unlock(&file->lock);
	if (err)
		return err;
	cmd->iova = iova;
	err = respond_or_unmap(call, cmd->ioas_id, iova, cmd->length);
	if (err)
		swmsi__uapi_file_backing_collect(file);
	return err;
}

int swmsi__uapi_ioas_unmap(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_ioas_unmap *cmd = call->cmd;
	uint64_t unmapped = 0;
	int err;

	err = swmsi_ioas_unmap_range(call->file->ctx, cmd->ioas_id, cmd->iova, cmd->length,
				     &unmapped);
	if (err)
		return err;
	swmsi__uapi_file_backing_collect(call->file);
	cmd->length = unmapped;
	return swmsi__uapi_respond(call);
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
		cap = n + 4; /* room for a few made meanwhile */
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
	uint64_t align;
	size_t n = 0;
	int err;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	err = swmsi_ioas_iova_alignment(call->file->ctx, cmd->ioas_id, &align);
	if (!err)
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
	cmd->out_iova_alignment = align;
	/* written back before EMSGSIZE: the caller learns the count it needs */
	err = swmsi__uapi_respond(call);
	if (err)
		return err;
	return n > room ? -EMSGSIZE : 0;
}

/* Reads the caller's ranges one at a time, as upstream does, checking each
 * as it comes (start below last, no overlap with those before): a bad
 * range before an unreadable one is EINVAL, after it EFAULT. The library
 * checks them again, with what else it knows. */
static int read_allowed(uint64_t uptr, uint32_t num, struct swmsi_iova_range **out)
{
	struct swmsi_iova_range *r = NULL;
	size_t cap = 0;

	*out = NULL;
	for (uint32_t i = 0; i < num; i++) {
		struct swmsi_iommu_iova_range elm;
		int err = swmsi__uapi_read(&elm, uptr + (uint64_t)i * sizeof(elm), sizeof(elm));

		for (uint32_t j = 0; !err && j < i; j++)
			if (elm.start <= r[j].last && r[j].start <= elm.last)
				err = -EINVAL;
		if (!err && elm.start >= elm.last)
			err = -EINVAL;
		if (!err && i == cap) {
			struct swmsi_iova_range *grown;

			cap = cap ? cap * 2 : 8;
			grown = realloc(r, cap * sizeof(*r));
			err = grown ? 0 : -ENOMEM;
			if (grown)
				r = grown;
		}
		if (err) {
			free(r);
			return err;
		}
		r[i] = (struct swmsi_iova_range){ .start = elm.start, .last = elm.last };
	}
	*out = r;
	return 0;
}

int swmsi__uapi_ioas_allow_iovas(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_ioas_allow_iovas *cmd = call->cmd;
	struct swmsi_iova_range *r;
	int err;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	if (!swmsi__uapi_is(call->file->ctx, cmd->ioas_id, SWMSI_OBJ_IOAS))
		return -ENOENT;
	err = read_allowed(cmd->allowed_iovas, cmd->num_iovas, &r);
	if (err)
		return err;
	err = swmsi_ioas_allow_iovas(call->file->ctx, cmd->ioas_id, r, cmd->num_iovas);
	free(r);
	return err;
}

int swmsi__uapi_ioas_copy(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_ioas_copy *cmd = call->cmd;
	struct swmsi__uapi_file *file = call->file;
	uint64_t iova = cmd->dst_iova;
	int err;

	/* under the file's lock: a copy of a file-backed area uses its
	 * backing, which a collection must see in use */
	pthread_mutex_lock(&file->lock);
	err = swmsi_ioas_copy(file->ctx, cmd->dst_ioas_id, cmd->src_ioas_id, cmd->src_iova,
			      cmd->length, &iova, cmd->flags);
	pthread_mutex_unlock(&file->lock);
	if (err)
		return err;
	cmd->dst_iova = iova;
	return respond_or_unmap(call, cmd->dst_ioas_id, iova, cmd->length);
}

/* Whether every area of @ioas maps a file range (MAP_FILE, or a copy of
 * one). Under file->lock. */
static int ioas_all_file(struct swmsi__uapi_file *file, uint32_t ioas)
{
	struct swmsi_area_info *a = NULL;
	size_t cap = 0, n;
	int err, ok = 1;

	for (;;) {
		err = swmsi_ioas_area_list(file->ctx, ioas, a, cap, &n);
		if (err || n <= cap)
			break;
		free(a);
		cap = n + 8;
		a = malloc(cap * sizeof(*a));
		if (!a)
			return 0;
	}
	for (size_t i = 0; !err && ok && i < n; i++)
		ok = (a[i].flags & SWMSI_AREA_USER_VA) &&
		     swmsi__uapi_file_backing_is(file, a[i].addr, a[i].length);
	free(a);
	return err == -ENOENT || (!err && ok);
}

int swmsi__uapi_ioas_change_process(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_ioas_change_process *cmd = call->cmd;
	struct swmsi__uapi_file *file = call->file;
	struct swmsi_obj_info *all;
	size_t n;
	int ok = 1;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	if (swmsi__uapi_objects(file->ctx, &all, &n))
		return -ENOMEM;
	/* only file-backed areas can move to another process (EINVAL
	 * otherwise); the model lives in one process, so nothing moves */
	pthread_mutex_lock(&file->lock);
	for (size_t i = 0; i < n && ok; i++)
		if (all[i].type == SWMSI_OBJ_IOAS)
			ok = ioas_all_file(file, all[i].id);
	pthread_mutex_unlock(&file->lock);
	free(all);
	return ok ? 0 : -EINVAL;
}
