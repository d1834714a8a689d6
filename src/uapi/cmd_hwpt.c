// SPDX-License-Identifier: MIT
/*
 * HW page table requests: IOMMU_HWPT_ALLOC, IOMMU_GET_HW_INFO, and the
 * dirty-tracking and invalidation requests, which fail as upstream does
 * for a domain whose driver lacks them.
 */
#include <errno.h>
#include <string.h>

#include "uapi_internal.h"

/* The selftest's nested data, read as iommu_copy_struct_from_user() does. */
static int read_selftest_data(const struct swmsi_iommu_hwpt_alloc *cmd)
{
	struct swmsi_iommu_hwpt_selftest data;

	if (cmd->data_type != SWMSI_IOMMU_HWPT_DATA_SELFTEST)
		return -EOPNOTSUPP;
	if (cmd->data_len < sizeof(data))
		return -EINVAL;
	return swmsi__uapi_copy_struct(&data, sizeof(data), cmd->data_uptr, cmd->data_len);
}

static int hwpt_alloc_nested(struct swmsi__uapi_call *call, uint32_t *id)
{
	struct swmsi_iommu_hwpt_alloc *cmd = call->cmd;
	struct swmsi_hwpt_info parent;
	int err;

	if ((cmd->flags &
	     ~(uint32_t)(SWMSI_IOMMU_HWPT_FAULT_ID_VALID | SWMSI_IOMMU_HWPT_ALLOC_PASID)) ||
	    !cmd->data_len)
		return -EOPNOTSUPP;
	/* the parent's checks come before the driver looks at its data */
	err = swmsi_hwpt_info(call->file->ctx, cmd->pt_id, &parent);
	if (err)
		return err;
	if (parent.is_auto || !(parent.flags & SWMSI_HWPT_NEST_PARENT))
		return -EINVAL;
	if (cmd->flags & SWMSI_IOMMU_HWPT_ALLOC_PASID)
		return -EOPNOTSUPP; /* the mock's driver has no PASID domains */
	if (cmd->flags & SWMSI_IOMMU_HWPT_FAULT_ID_VALID)
		return -ENOENT; /* fault queues are not modelled: no fault_id exists */
	err = read_selftest_data(cmd);
	if (err)
		return err;
	return swmsi_hwpt_alloc_nested(call->file->ctx, cmd->pt_id, id);
}

static int hwpt_alloc_paging(struct swmsi__uapi_call *call, uint32_t *id)
{
	struct swmsi_iommu_hwpt_alloc *cmd = call->cmd;

	if (cmd->data_type != SWMSI_IOMMU_HWPT_DATA_NONE)
		return -EINVAL;
	if (cmd->flags &
	    ~(uint32_t)(SWMSI_IOMMU_HWPT_ALLOC_NEST_PARENT | SWMSI_IOMMU_HWPT_ALLOC_DIRTY_TRACKING |
			SWMSI_IOMMU_HWPT_FAULT_ID_VALID | SWMSI_IOMMU_HWPT_ALLOC_PASID))
		return -EOPNOTSUPP;
	/* the mock's driver has neither dirty tracking nor PASID domains */
	if (cmd->flags & (SWMSI_IOMMU_HWPT_ALLOC_DIRTY_TRACKING | SWMSI_IOMMU_HWPT_ALLOC_PASID))
		return -EOPNOTSUPP;
	if (cmd->flags & SWMSI_IOMMU_HWPT_FAULT_ID_VALID)
		return -ENOENT; /* fault queues are not modelled: no fault_id exists */
	return swmsi_hwpt_alloc(
		call->file->ctx, cmd->pt_id,
		cmd->flags & SWMSI_IOMMU_HWPT_ALLOC_NEST_PARENT ? SWMSI_HWPT_NEST_PARENT : 0, id);
}

int swmsi__uapi_hwpt_alloc(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_hwpt_alloc *cmd = call->cmd;
	struct swmsi_ctx *ctx = call->file->ctx;
	enum swmsi_obj_type pt;
	uint32_t id;
	int err;

	if (cmd->__reserved || cmd->__reserved2)
		return -EOPNOTSUPP;
	if ((cmd->data_type == SWMSI_IOMMU_HWPT_DATA_NONE) != (cmd->data_len == 0))
		return -EINVAL;
	if (!swmsi__uapi_is(ctx, cmd->dev_id, SWMSI_OBJ_DEVICE))
		return -ENOENT;
	if (swmsi_obj_type(ctx, cmd->pt_id, &pt))
		return -ENOENT;
	if (pt == SWMSI_OBJ_IOAS)
		err = hwpt_alloc_paging(call, &id);
	else if (pt == SWMSI_OBJ_HWPT_PAGING)
		err = hwpt_alloc_nested(call, &id);
	else
		err = -EINVAL;
	if (err)
		return err;
	cmd->out_hwpt_id = id;
	err = swmsi__uapi_respond(call);
	if (err)
		swmsi_obj_destroy(ctx, id);
	return err;
}

/* Writes @len bytes of zeros at @uptr. */
static int user_zero(uint64_t uptr, uint64_t len)
{
	static const unsigned char zero[256];

	for (uint64_t off = 0; off < len; off += sizeof(zero)) {
		size_t n = len - off < sizeof(zero) ? len - off : sizeof(zero);
		int err = swmsi__uapi_write(uptr + off, zero, n);

		if (err)
			return err;
	}
	return 0;
}

/* A selftest mock device: the kernel mock driver's hw_info (its test
 * register), and its capabilities (dirty tracking unless the device says
 * NO_DIRTY, a 20-bit PASID space when PASID capable). */
static int hw_info_selftest(struct swmsi__uapi_call *call, const struct swmsi__uapi_stdev *dev)
{
	struct swmsi_iommu_hw_info *cmd = call->cmd;
	struct swmsi_iommu_test_hw_info info = { .test_reg = SWMSI_IOMMU_HW_INFO_SELFTEST_REGVAL };
	uint64_t copy = cmd->data_len < sizeof(info) ? cmd->data_len : sizeof(info);
	int err;

	if ((cmd->flags & SWMSI_IOMMU_HW_INFO_FLAG_INPUT_TYPE) &&
	    cmd->in_data_type != SWMSI_IOMMU_HW_INFO_TYPE_DEFAULT &&
	    cmd->in_data_type != SWMSI_IOMMU_HW_INFO_TYPE_SELFTEST)
		return -EOPNOTSUPP;
	err = swmsi__uapi_write(cmd->data_uptr, &info, copy);
	if (!err && cmd->data_len > copy)
		err = user_zero(cmd->data_uptr + copy, cmd->data_len - copy);
	if (err)
		return err;
	cmd->data_len = sizeof(info);
	cmd->out_data_type = SWMSI_IOMMU_HW_INFO_TYPE_SELFTEST;
	cmd->out_capabilities = dev->flags & SWMSI_MOCK_FLAGS_DEVICE_NO_DIRTY
					? 0
					: SWMSI_IOMMU_HW_CAP_DIRTY_TRACKING;
	cmd->out_max_pasid_log2 =
		dev->flags & SWMSI_MOCK_FLAGS_DEVICE_PASID ? SWMSI_MOCK_PASID_WIDTH : 0;
	return swmsi__uapi_respond(call);
}

int swmsi__uapi_get_hw_info(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_hw_info *cmd = call->cmd;
	struct swmsi__uapi_stdev stdev;
	int err;

	if (cmd->flags & ~(uint32_t)SWMSI_IOMMU_HW_INFO_FLAG_INPUT_TYPE)
		return -EOPNOTSUPP;
	if (!cmd->data_len && cmd->data_uptr)
		return -EINVAL;
	if (cmd->__reserved[0] || cmd->__reserved[1] || cmd->__reserved[2])
		return -EOPNOTSUPP;
	if (!swmsi__uapi_is(call->file->ctx, cmd->dev_id, SWMSI_OBJ_DEVICE))
		return -ENOENT;
	if (swmsi__uapi_stdev_get(call->file, cmd->dev_id, &stdev))
		return hw_info_selftest(call, &stdev);
	/* The mock reports no driver data (a driver without hw_info): only
	 * the default type may be asked for, and the user buffer is zeroed. */
	if ((cmd->flags & SWMSI_IOMMU_HW_INFO_FLAG_INPUT_TYPE) &&
	    cmd->in_data_type != SWMSI_IOMMU_HW_INFO_TYPE_DEFAULT)
		return -EOPNOTSUPP;
	err = user_zero(cmd->data_uptr, cmd->data_len);
	if (err)
		return err;
	cmd->data_len = 0;
	cmd->out_data_type = SWMSI_IOMMU_HW_INFO_TYPE_NONE;
	cmd->out_capabilities = 0;
	cmd->out_max_pasid_log2 = 0;
	return swmsi__uapi_respond(call);
}

/* Dirty tracking: the mock's domains have no dirty-tracking ops. */
int swmsi__uapi_hwpt_set_dirty_tracking(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_hwpt_set_dirty_tracking *cmd = call->cmd;

	if ((cmd->flags & ~(uint32_t)SWMSI_IOMMU_HWPT_DIRTY_TRACKING_ENABLE) || cmd->__reserved)
		return -EOPNOTSUPP;
	if (!swmsi__uapi_is(call->file->ctx, cmd->hwpt_id, SWMSI_OBJ_HWPT_PAGING))
		return -ENOENT;
	return -EOPNOTSUPP;
}

int swmsi__uapi_hwpt_get_dirty_bitmap(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_hwpt_get_dirty_bitmap *cmd = call->cmd;

	if ((cmd->flags & ~(uint32_t)SWMSI_IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR) || cmd->__reserved)
		return -EOPNOTSUPP;
	if (!swmsi__uapi_is(call->file->ctx, cmd->hwpt_id, SWMSI_OBJ_HWPT_PAGING))
		return -ENOENT;
	return -EOPNOTSUPP;
}

int swmsi__uapi_hwpt_invalidate(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_hwpt_invalidate *cmd = call->cmd;
	enum swmsi_obj_type t;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	if (cmd->entry_num && (!cmd->data_uptr || !cmd->entry_len))
		return -EINVAL;
	if (swmsi_obj_type(call->file->ctx, cmd->hwpt_id, &t))
		return -ENOENT;
	if (t != SWMSI_OBJ_HWPT_NESTED)
		return -EINVAL;
	/* a nested HWPT's cache invalidation (the selftest driver's data
	 * type) comes with the test ops */
	return -EOPNOTSUPP;
}
