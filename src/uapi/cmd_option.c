// SPDX-License-Identifier: MIT
/*
 * IOMMU_OPTION (RLIMIT_MODE global, HUGE_PAGES per IOAS, SW_MSI_START and
 * SW_MSI_SIZE per device as posted upstream) and IOMMU_VFIO_IOAS. The
 * model pins no memory, so RLIMIT_MODE is a value kept and checked as
 * upstream keeps and checks it, with no further effect; HUGE_PAGES is the
 * IOAS's own (it sets the IOVA alignment).
 */
#include <errno.h>
#include <stdlib.h>

#include "uapi_internal.h"

#define MIB (1ull << 20)

static int opt_rlimit_mode(struct swmsi__uapi_file *file, struct swmsi_iommu_option *cmd)
{
	struct swmsi_obj_info o;
	size_t n;
	int err = 0;

	if (cmd->object_id)
		return -EOPNOTSUPP;
	pthread_mutex_lock(&file->lock);
	if (cmd->op == SWMSI_IOMMU_OPTION_OP_GET) {
		cmd->val64 = file->rlimit_mode;
	} else if (cmd->op != SWMSI_IOMMU_OPTION_OP_SET) {
		err = -EOPNOTSUPP;
	} else if (swmsi_obj_list(file->ctx, &o, 1, &n) || n) {
		/* upstream also wants CAP_SYS_RESOURCE; the model has no
		 * privileges to check */
		err = -EBUSY;
	} else if (cmd->val64 > 1) {
		err = -EINVAL;
	} else {
		file->rlimit_mode = (uint32_t)cmd->val64;
	}
	pthread_mutex_unlock(&file->lock);
	return err;
}

/* Kept by the IOAS itself (swmsi_ioas_set_huge_pages()): off needs the
 * areas page aligned, and refuses pages already in a domain. */
static int opt_huge_pages(struct swmsi__uapi_file *file, struct swmsi_iommu_option *cmd)
{
	bool on;
	int err;

	if (cmd->op == SWMSI_IOMMU_OPTION_OP_GET) {
		err = swmsi_ioas_get_huge_pages(file->ctx, cmd->object_id, &on);
		if (!err)
			cmd->val64 = on;
		return err;
	}
	if (!swmsi__uapi_is(file->ctx, cmd->object_id, SWMSI_OBJ_IOAS))
		return -ENOENT;
	if (cmd->op != SWMSI_IOMMU_OPTION_OP_SET)
		return -EOPNOTSUPP;
	if (cmd->val64 > 1)
		return -EINVAL;
	return swmsi_ioas_set_huge_pages(file->ctx, cmd->object_id, cmd->val64 == 1);
}

/* GET of the posted per-device SW_MSI options: START in bytes, SIZE in MiB;
 * a START set while SIZE was 0 is reported, inactive. */
static int sw_msi_get(struct swmsi__uapi_file *file, struct swmsi_iommu_option *cmd, uint64_t start,
		      uint64_t size)
{
	struct swmsi__uapi_objopt *o = swmsi__uapi_objopt(file, cmd->object_id, 0);

	if (cmd->option_id == SWMSI_IOMMU_OPTION_SW_MSI_SIZE)
		cmd->val64 = size / MIB;
	else if (size)
		cmd->val64 = start;
	else
		cmd->val64 = o && o->has_sw_msi_start ? o->sw_msi_start : 0;
	return 0;
}

static int sw_msi_set(struct swmsi__uapi_file *file, struct swmsi_iommu_option *cmd, uint64_t start,
		      uint64_t size)
{
	struct swmsi__uapi_objopt *o = swmsi__uapi_objopt(file, cmd->object_id, 1);
	int err;

	if (!o)
		return -ENOMEM;
	if (cmd->option_id == SWMSI_IOMMU_OPTION_SW_MSI_START) {
		if (cmd->val64 % MIB)
			return -EINVAL;
		/* inactive while SIZE is 0: kept for when SIZE is set */
		err = size ? swmsi_device_set_sw_msi_window(file->ctx, cmd->object_id, cmd->val64,
							    size)
			   : 0;
		if (!err) {
			o->sw_msi_start = cmd->val64;
			o->has_sw_msi_start = 1;
		}
		return err;
	}
	if (cmd->val64 > UINT64_MAX / MIB)
		return -EOVERFLOW;
	if (!size && o->has_sw_msi_start)
		start = o->sw_msi_start;
	else if (!size)
		start = 0;
	return swmsi_device_set_sw_msi_window(file->ctx, cmd->object_id, start, cmd->val64 * MIB);
}

static int opt_sw_msi(struct swmsi__uapi_file *file, struct swmsi_iommu_option *cmd)
{
	struct swmsi_device_info info;
	uint64_t start, size;
	int err;

	err = swmsi_device_info(file->ctx, cmd->object_id, &info);
	if (err)
		return err; /* -ENOENT: not a device */
	if (cmd->op != SWMSI_IOMMU_OPTION_OP_GET && cmd->op != SWMSI_IOMMU_OPTION_OP_SET)
		return -EOPNOTSUPP;
	/* the posted ABI answers EBUSY to GET and SET while attached */
	if (info.attached)
		return -EBUSY;
	pthread_mutex_lock(&file->lock);
	err = swmsi_device_get_sw_msi_window(file->ctx, cmd->object_id, &start, &size);
	if (!err && cmd->op == SWMSI_IOMMU_OPTION_OP_GET)
		err = sw_msi_get(file, cmd, start, size);
	else if (!err)
		err = sw_msi_set(file, cmd, start, size);
	pthread_mutex_unlock(&file->lock);
	return err;
}

int swmsi__uapi_option(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_option *cmd = call->cmd;
	int err;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	switch (cmd->option_id) {
	case SWMSI_IOMMU_OPTION_RLIMIT_MODE:
		err = opt_rlimit_mode(call->file, cmd);
		break;
	case SWMSI_IOMMU_OPTION_HUGE_PAGES:
		err = opt_huge_pages(call->file, cmd);
		break;
	case SWMSI_IOMMU_OPTION_SW_MSI_START:
	case SWMSI_IOMMU_OPTION_SW_MSI_SIZE:
		err = opt_sw_msi(call->file, cmd);
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (err)
		return err;
	/* upstream writes back val64 alone */
	return swmsi__uapi_write(call->uptr + offsetof(struct swmsi_iommu_option, val64),
				 &cmd->val64, sizeof(cmd->val64));
}

int swmsi__uapi_vfio_ioas(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_vfio_ioas *cmd = call->cmd;
	struct swmsi__uapi_file *file = call->file;
	int err = 0;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	pthread_mutex_lock(&file->lock);
	switch (cmd->op) {
	case SWMSI_IOMMU_VFIO_IOAS_GET:
		/* a destroyed compatibility IOAS is gone as upstream's is */
		if (!file->vfio_ioas || !swmsi__uapi_is(file->ctx, file->vfio_ioas, SWMSI_OBJ_IOAS))
			err = -ENODEV;
		else
			cmd->ioas_id = file->vfio_ioas;
		break;
	case SWMSI_IOMMU_VFIO_IOAS_SET:
		if (!swmsi__uapi_is(file->ctx, cmd->ioas_id, SWMSI_OBJ_IOAS))
			err = -ENOENT;
		else
			file->vfio_ioas = cmd->ioas_id;
		break;
	case SWMSI_IOMMU_VFIO_IOAS_CLEAR:
		file->vfio_ioas = 0;
		break;
	default:
		err = -EOPNOTSUPP;
	}
	pthread_mutex_unlock(&file->lock);
	if (err)
		return err;
	return swmsi__uapi_respond(call);
}
