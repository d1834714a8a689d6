// SPDX-License-Identifier: MIT
/*
 * IOMMU_DESTROY, and the object kinds the model does not have (fault
 * queues, vIOMMUs and what hangs off them): each is checked as upstream
 * checks it, and fails where upstream would go on to create the object.
 */
#include <errno.h>

#include "uapi_internal.h"

int swmsi__uapi_destroy(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_destroy *cmd = call->cmd;
	struct swmsi__uapi_file *file = call->file;
	int err;

	/* a selftest mock device goes with its object, unbound */
	if (swmsi__uapi_stdev_get(file, cmd->id, NULL))
		return swmsi__uapi_stdev_destroy(file, cmd->id);
	err = swmsi_obj_destroy(file->ctx, cmd->id);
	/* a bound device is held by its VFIO file: upstream answers EBUSY */
	if (err == -EINVAL && swmsi__uapi_is(file->ctx, cmd->id, SWMSI_OBJ_DEVICE))
		err = -EBUSY;
	if (err)
		return err;
	pthread_mutex_lock(&file->lock);
	swmsi__uapi_objopt_drop(file, cmd->id);
	pthread_mutex_unlock(&file->lock);
	swmsi__uapi_file_backing_collect(file); /* an IOAS's file maps went with it */
	return 0;
}

int swmsi__uapi_fault_queue_alloc(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_fault_alloc *cmd = call->cmd;

	if (cmd->flags)
		return -EOPNOTSUPP;
	/* I/O page fault queues are not modelled */
	return -EOPNOTSUPP;
}

int swmsi__uapi_viommu_alloc(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_viommu_alloc *cmd = call->cmd;
	struct swmsi_ctx *ctx = call->file->ctx;
	struct swmsi_hwpt_info info;

	if (cmd->flags || cmd->__reserved)
		return -EOPNOTSUPP;
	if (!swmsi__uapi_is(ctx, cmd->dev_id, SWMSI_OBJ_DEVICE))
		return -ENOENT;
	if (!swmsi__uapi_is(ctx, cmd->hwpt_id, SWMSI_OBJ_HWPT_PAGING) ||
	    swmsi_hwpt_info(ctx, cmd->hwpt_id, &info))
		return -ENOENT;
	if (!(info.flags & SWMSI_HWPT_NEST_PARENT))
		return -EINVAL;
	/* the mock's driver has no vIOMMU ops */
	return -EOPNOTSUPP;
}

/* vDEVICEs, vEVENTQs and HW queues hang off a vIOMMU, which can never
 * exist here: their checks before the vIOMMU lookup, then ENOENT. */
int swmsi__uapi_vdevice_alloc(struct swmsi__uapi_call *call)
{
	(void)call;
	return -ENOENT;
}

int swmsi__uapi_veventq_alloc(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_veventq_alloc *cmd = call->cmd;

	if (cmd->flags || cmd->__reserved || cmd->type == 0)
		return -EOPNOTSUPP;
	if (!cmd->veventq_depth)
		return -EINVAL;
	return -ENOENT;
}

int swmsi__uapi_hw_queue_alloc(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_hw_queue_alloc *cmd = call->cmd;

	if (cmd->flags || cmd->type == 0)
		return -EOPNOTSUPP;
	if (!cmd->length || cmd->length >= UINT64_MAX)
		return -EINVAL;
	if (cmd->nesting_parent_iova > UINT64_MAX - (cmd->length - 1))
		return -EOVERFLOW;
	return -ENOENT;
}
