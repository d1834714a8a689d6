// SPDX-License-Identifier: MIT
/*
 * The one dispatch table (request number, struct, minimum size, handler),
 * as iommufd's iommufd_ioctl_ops[], and the rules every request shares:
 * the u32 size read first, the first version's size as the minimum, the
 * bytes past the struct we know required to be zero.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include "uapi_internal.h"

#define OFFSETOFEND(type, member) (offsetof(type, member) + sizeof(((type *)0)->member))

/* Which fd a request belongs on. */
enum op_fd {
	ON_IOMMUFD,
	ON_DEVICE
};

struct uapi_op {
	uint32_t request;
	enum op_fd on;
	size_t ksize;	 /* the struct this library knows */
	size_t min_size; /* the struct's first version */
	int (*handler)(struct swmsi__uapi_call *call);
};

#define OP(req, fn, type, last)                                                   \
	{                                                                         \
		.request = (req), .on = ON_IOMMUFD, .ksize = sizeof(struct type), \
		.min_size = OFFSETOFEND(struct type, last), .handler = (fn),      \
	}
/* VFIO device requests: served on device fds, which come with the VFIO
 * work; until then no fd of ours takes them (NULL handler). */
#define DEV_OP(req, type, last)                                                  \
	{                                                                        \
		.request = (req), .on = ON_DEVICE, .ksize = sizeof(struct type), \
		.min_size = OFFSETOFEND(struct type, last), .handler = NULL,     \
	}

static const struct uapi_op ops[] = {
	OP(SWMSI_IOMMU_DESTROY, swmsi__uapi_destroy, swmsi_iommu_destroy, id),
	OP(SWMSI_IOMMU_IOAS_ALLOC, swmsi__uapi_ioas_alloc, swmsi_iommu_ioas_alloc, out_ioas_id),
	OP(SWMSI_IOMMU_IOAS_ALLOW_IOVAS, swmsi__uapi_ioas_allow_iovas, swmsi_iommu_ioas_allow_iovas,
	   allowed_iovas),
	OP(SWMSI_IOMMU_IOAS_COPY, swmsi__uapi_ioas_copy, swmsi_iommu_ioas_copy, src_iova),
	OP(SWMSI_IOMMU_IOAS_IOVA_RANGES, swmsi__uapi_ioas_iova_ranges, swmsi_iommu_ioas_iova_ranges,
	   out_iova_alignment),
	OP(SWMSI_IOMMU_IOAS_MAP, swmsi__uapi_ioas_map, swmsi_iommu_ioas_map, iova),
	OP(SWMSI_IOMMU_IOAS_UNMAP, swmsi__uapi_ioas_unmap, swmsi_iommu_ioas_unmap, length),
	OP(SWMSI_IOMMU_OPTION, swmsi__uapi_option, swmsi_iommu_option, val64),
	OP(SWMSI_IOMMU_VFIO_IOAS, swmsi__uapi_vfio_ioas, swmsi_iommu_vfio_ioas, __reserved),
	/* the first version ended at __reserved; fault_id came in v6.11 */
	OP(SWMSI_IOMMU_HWPT_ALLOC, swmsi__uapi_hwpt_alloc, swmsi_iommu_hwpt_alloc, __reserved),
	OP(SWMSI_IOMMU_GET_HW_INFO, swmsi__uapi_get_hw_info, swmsi_iommu_hw_info, __reserved),
	OP(SWMSI_IOMMU_HWPT_SET_DIRTY_TRACKING, swmsi__uapi_hwpt_set_dirty_tracking,
	   swmsi_iommu_hwpt_set_dirty_tracking, __reserved),
	OP(SWMSI_IOMMU_HWPT_GET_DIRTY_BITMAP, swmsi__uapi_hwpt_get_dirty_bitmap,
	   swmsi_iommu_hwpt_get_dirty_bitmap, data),
	OP(SWMSI_IOMMU_HWPT_INVALIDATE, swmsi__uapi_hwpt_invalidate, swmsi_iommu_hwpt_invalidate,
	   __reserved),
	OP(SWMSI_IOMMU_FAULT_QUEUE_ALLOC, swmsi__uapi_fault_queue_alloc, swmsi_iommu_fault_alloc,
	   out_fault_fd),
	OP(SWMSI_IOMMU_IOAS_MAP_FILE, swmsi__uapi_ioas_map_file, swmsi_iommu_ioas_map_file, iova),
	/* data_len, __reserved and data_uptr came in v6.16 */
	OP(SWMSI_IOMMU_VIOMMU_ALLOC, swmsi__uapi_viommu_alloc, swmsi_iommu_viommu_alloc,
	   out_viommu_id),
	OP(SWMSI_IOMMU_VDEVICE_ALLOC, swmsi__uapi_vdevice_alloc, swmsi_iommu_vdevice_alloc,
	   virt_id),
	OP(SWMSI_IOMMU_IOAS_CHANGE_PROCESS, swmsi__uapi_ioas_change_process,
	   swmsi_iommu_ioas_change_process, __reserved),
	OP(SWMSI_IOMMU_VEVENTQ_ALLOC, swmsi__uapi_veventq_alloc, swmsi_iommu_veventq_alloc,
	   __reserved),
	OP(SWMSI_IOMMU_HW_QUEUE_ALLOC, swmsi__uapi_hw_queue_alloc, swmsi_iommu_hw_queue_alloc,
	   length),
	/* the kernel selftest mock's ops, as on a kernel with CONFIG_IOMMUFD_TEST */
	OP(SWMSI_IOMMU_TEST_CMD, swmsi__uapi_test_cmd, swmsi_iommu_test_cmd, last),
	DEV_OP(SWMSI_VFIO_DEVICE_BIND_IOMMUFD, swmsi_vfio_device_bind_iommufd, out_devid),
	DEV_OP(SWMSI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, swmsi_vfio_device_attach_iommufd_pt, pt_id),
	DEV_OP(SWMSI_VFIO_DEVICE_DETACH_IOMMUFD_PT, swmsi_vfio_device_detach_iommufd_pt, flags),
	DEV_OP(SWMSI_VFIO_DEVICE_GET_INFO, swmsi_vfio_device_info, num_irqs),
	DEV_OP(SWMSI_VFIO_DEVICE_GET_IRQ_INFO, swmsi_vfio_irq_info, count),
	DEV_OP(SWMSI_VFIO_DEVICE_SET_IRQS, swmsi_vfio_irq_set, count),
};

/* Room for the largest struct of the table. */
union uapi_buffer {
	struct swmsi_iommu_destroy destroy;
	struct swmsi_iommu_ioas_alloc ioas_alloc;
	struct swmsi_iommu_ioas_allow_iovas allow_iovas;
	struct swmsi_iommu_ioas_copy copy;
	struct swmsi_iommu_ioas_iova_ranges iova_ranges;
	struct swmsi_iommu_ioas_map map;
	struct swmsi_iommu_ioas_map_file map_file;
	struct swmsi_iommu_ioas_unmap unmap;
	struct swmsi_iommu_ioas_change_process change_process;
	struct swmsi_iommu_option option;
	struct swmsi_iommu_vfio_ioas vfio_ioas;
	struct swmsi_iommu_hwpt_alloc hwpt_alloc;
	struct swmsi_iommu_hw_info hw_info;
	struct swmsi_iommu_hwpt_set_dirty_tracking set_dirty;
	struct swmsi_iommu_hwpt_get_dirty_bitmap get_dirty;
	struct swmsi_iommu_hwpt_invalidate invalidate;
	struct swmsi_iommu_fault_alloc fault;
	struct swmsi_iommu_viommu_alloc viommu;
	struct swmsi_iommu_vdevice_alloc vdevice;
	struct swmsi_iommu_veventq_alloc veventq;
	struct swmsi_iommu_hw_queue_alloc hw_queue;
	struct swmsi_iommu_test_cmd test;
	struct swmsi_vfio_device_bind_iommufd bind;
	struct swmsi_vfio_device_attach_iommufd_pt attach;
	struct swmsi_vfio_device_detach_iommufd_pt detach;
	struct swmsi_vfio_device_info device_info;
	struct swmsi_vfio_irq_info irq_info;
	struct swmsi_vfio_irq_set irq_set;
};

static const struct uapi_op *find_op(uint32_t request, enum op_fd on)
{
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (ops[i].request == request && ops[i].on == on)
			return &ops[i];
	return NULL;
}

/* The iommufd fd's rules, in upstream's order (iommufd_fops_ioctl()). */
static int iommufd_dispatch(struct swmsi__uapi_file *file, uint32_t request, uint64_t uptr)
{
	struct swmsi__uapi_call call = { .file = file, .uptr = uptr };
	union uapi_buffer buf;
	const struct uapi_op *op;
	unsigned int nr = _IOC_NR(request);
	int err = 0;

	/* outside iommufd's numbers upstream hands the request to its VFIO
	 * type1 compatibility, which the model does not have */
	if ((nr < SWMSI_IOMMUFD_CMD_BASE || nr > SWMSI_IOMMUFD_CMD_HW_QUEUE_ALLOC) &&
	    nr != SWMSI_IOMMUFD_CMD_TEST)
		return -ENOTTY;
	op = find_op(request, ON_IOMMUFD);
	/* One read for the size and the struct together where the caller's
	 * memory allows it; the size alone first otherwise, as upstream. */
	if (op && op->handler && !swmsi__uapi_read(&buf, uptr, op->ksize)) {
		memcpy(&call.usize, &buf, sizeof(call.usize));
		if (call.usize < op->min_size)
			return -EINVAL;
		if (call.usize < op->ksize) /* what follows a short struct is not its */
			memset((char *)&buf + call.usize, 0, op->ksize - call.usize);
		else if (call.usize > op->ksize)
			err = swmsi__uapi_check_zero(uptr + op->ksize, call.usize - op->ksize);
	} else {
		err = swmsi__uapi_read(&call.usize, uptr, sizeof(call.usize));
		if (err)
			return err;
		if (!op || !op->handler)
			return -ENOTTY;
		if (call.usize < op->min_size)
			return -EINVAL;
		err = swmsi__uapi_copy_struct(&buf, op->ksize, uptr, call.usize);
	}
	if (err)
		return err;
	call.ksize = op->ksize;
	call.cmd = &buf;
	return op->handler(&call);
}

int swmsi_uapi_ioctl(int fd, unsigned long request, void *arg)
{
	struct swmsi__uapi_file *file = swmsi__uapi_file_get(fd);
	int ret;

	if (!file) {
		errno = EBADF;
		return -1;
	}
	/* the kernel's ioctl number is 32 bits wide: the rest is not looked at */
	ret = iommufd_dispatch(file, (uint32_t)request, (uint64_t)(uintptr_t)arg);
	swmsi__uapi_file_put(file);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}
