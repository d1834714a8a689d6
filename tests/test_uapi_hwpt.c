// SPDX-License-Identifier: MIT
/*
 * HW page tables through swmsi_uapi_ioctl(): IOMMU_HWPT_ALLOC (paging,
 * NEST_PARENT, nested with the selftest's data type), IOMMU_GET_HW_INFO,
 * and the requests the mock's driver lacks (dirty tracking, invalidation,
 * fault queues, vIOMMU and what hangs off it), which fail as upstream
 * fails for such a driver. Devices are bound in-process until VFIO fds.
 */
#define _GNU_SOURCE
#include <stdlib.h>

#include "uapi_fixture.h"

static struct swmsi_iommu_hwpt_alloc hwpt_cmd(uint32_t dev, uint32_t pt, uint32_t flags)
{
	struct swmsi_iommu_hwpt_alloc cmd = {
		.size = sizeof(cmd), .flags = flags, .dev_id = dev, .pt_id = pt
	};

	return cmd;
}

static void hwpt_alloc_paging_and_parent(void **state)
{
	struct ux *ux = *state;
	uint32_t ioas = ux_ioas(ux->fd), dev = ux_device(ux, 1);
	struct swmsi_iommu_hwpt_alloc cmd = hwpt_cmd(dev, ioas, 0);
	struct swmsi_hwpt_info info;

	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_ALLOC, &cmd), 0);
	assert_int_equal(swmsi_hwpt_info(ux->ctx, cmd.out_hwpt_id, &info), 0);
	assert_int_equal(info.type, SWMSI_OBJ_HWPT_PAGING);
	assert_int_equal(info.ioas_id, ioas);
	assert_int_equal(info.flags, 0);
	cmd = hwpt_cmd(dev, ioas, SWMSI_IOMMU_HWPT_ALLOC_NEST_PARENT);
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_ALLOC, &cmd), 0);
	assert_int_equal(swmsi_hwpt_info(ux->ctx, cmd.out_hwpt_id, &info), 0);
	assert_int_equal(info.flags, SWMSI_HWPT_NEST_PARENT);
}

static void hwpt_alloc_errors(void **state)
{
	struct ux *ux = *state;
	uint32_t ioas = ux_ioas(ux->fd), dev = ux_device(ux, 1);
	struct swmsi_iommu_hwpt_alloc cmd = hwpt_cmd(dev, ioas, 0);
	size_t before, after;

	assert_int_equal(swmsi_obj_list(ux->ctx, NULL, 0, &before), 0);
	cmd.__reserved = 1;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_ALLOC, &cmd), EOPNOTSUPP);
	cmd = hwpt_cmd(dev, ioas, 0);
	cmd.__reserved2 = 1;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_ALLOC, &cmd), EOPNOTSUPP);
	cmd = hwpt_cmd(dev, ioas, 0);
	cmd.data_len = 4; /* data without a type */
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_ALLOC, &cmd), EINVAL);
	cmd = hwpt_cmd(dev, ioas, 0);
	cmd.data_type = SWMSI_IOMMU_HWPT_DATA_SELFTEST; /* a type without data */
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_ALLOC, &cmd), EINVAL);
	/* dev_id must be a device, pt_id an IOAS or a HWPT */
	cmd = hwpt_cmd(ioas, ioas, 0);
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_ALLOC, &cmd), ENOENT);
	cmd = hwpt_cmd(dev + 100, ioas, 0);
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_ALLOC, &cmd), ENOENT);
	cmd = hwpt_cmd(dev, ioas + 100, 0);
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_ALLOC, &cmd), ENOENT);
	cmd = hwpt_cmd(dev, dev, 0);
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_ALLOC, &cmd), EINVAL);
	/* a paging HWPT takes no data; unknown flags; flags of absent features */
	cmd = hwpt_cmd(dev, ioas, 0);
	cmd.data_type = SWMSI_IOMMU_HWPT_DATA_SELFTEST;
	cmd.data_len = 4;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_ALLOC, &cmd), EINVAL);
	cmd = hwpt_cmd(dev, ioas, 1u << 9);
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_ALLOC, &cmd), EOPNOTSUPP);
	cmd = hwpt_cmd(dev, ioas, SWMSI_IOMMU_HWPT_ALLOC_DIRTY_TRACKING);
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_ALLOC, &cmd), EOPNOTSUPP);
	cmd = hwpt_cmd(dev, ioas, SWMSI_IOMMU_HWPT_ALLOC_PASID);
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_ALLOC, &cmd), EOPNOTSUPP);
	cmd = hwpt_cmd(dev, ioas, SWMSI_IOMMU_HWPT_FAULT_ID_VALID);
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_ALLOC, &cmd), ENOENT);
	/* the out id cannot be written: the HWPT is not left behind */
	cmd = hwpt_cmd(dev, ioas, 0);
	{
		struct swmsi_iommu_hwpt_alloc *ro = ux_guarded(sizeof(cmd));

		*ro = cmd;
		assert_int_equal(
			mprotect((void *)((uintptr_t)ro & ~(uintptr_t)4095), 4096, PROT_READ), 0);
		assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_ALLOC, ro), EFAULT);
		ux_guarded_free(ro, sizeof(cmd));
	}
	assert_int_equal(swmsi_obj_list(ux->ctx, NULL, 0, &after), 0);
	assert_int_equal(after, before);
}

static void hwpt_alloc_nested_selftest_data(void **state)
{
	struct ux *ux = *state;
	uint32_t ioas = ux_ioas(ux->fd), dev = ux_device(ux, 1), parent, plain;
	struct swmsi_iommu_hwpt_selftest data = { .iotlb = 0xbadbeef };
	struct swmsi_iommu_hwpt_alloc cmd = hwpt_cmd(dev, ioas, SWMSI_IOMMU_HWPT_ALLOC_NEST_PARENT);
	struct swmsi_hwpt_info info;
	uint8_t big[8] = { 0 };

	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_ALLOC, &cmd), 0);
	parent = cmd.out_hwpt_id;
	cmd = hwpt_cmd(dev, ioas, 0);
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_ALLOC, &cmd), 0);
	plain = cmd.out_hwpt_id;

	cmd = hwpt_cmd(dev, plain, 0);
	cmd.data_type = SWMSI_IOMMU_HWPT_DATA_SELFTEST;
	cmd.data_len = sizeof(data);
	cmd.data_uptr = (uintptr_t)&data;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_ALLOC, &cmd), EINVAL);
	cmd.pt_id = parent;
	cmd.flags = SWMSI_IOMMU_HWPT_ALLOC_NEST_PARENT; /* not a nested HWPT's flag */
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_ALLOC, &cmd), EOPNOTSUPP);
	cmd.flags = 0;
	cmd.data_type = SWMSI_IOMMU_HWPT_DATA_VTD_S1;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_ALLOC, &cmd), EOPNOTSUPP);
	cmd.data_type = SWMSI_IOMMU_HWPT_DATA_SELFTEST;
	cmd.data_len = 2;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_ALLOC, &cmd), EINVAL);
	cmd.data_len = sizeof(big);
	cmd.data_uptr = (uintptr_t)big;
	big[6] = 1;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_ALLOC, &cmd), E2BIG);
	cmd.data_uptr = 0;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_ALLOC, &cmd), EFAULT);
	cmd.data_len = sizeof(data);
	cmd.data_uptr = (uintptr_t)&data;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_ALLOC, &cmd), 0);
	assert_int_equal(swmsi_hwpt_info(ux->ctx, cmd.out_hwpt_id, &info), 0);
	assert_int_equal(info.type, SWMSI_OBJ_HWPT_NESTED);
	assert_int_equal(info.parent_id, parent);
}

static void get_hw_info_device(void **state)
{
	struct ux *ux = *state;
	uint32_t ioas = ux_ioas(ux->fd), dev = ux_device(ux, 1);
	uint8_t data[16];
	struct swmsi_iommu_hw_info cmd = { .size = sizeof(cmd), .dev_id = ioas };

	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_GET_HW_INFO, &cmd), ENOENT);
	cmd.flags = 1u << 5;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_GET_HW_INFO, &cmd), EOPNOTSUPP);
	cmd.flags = 0;
	cmd.__reserved[2] = 1;
	cmd.dev_id = dev;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_GET_HW_INFO, &cmd), EOPNOTSUPP);
	cmd.__reserved[2] = 0;
	cmd.data_uptr = (uintptr_t)data; /* a buffer without a length */
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_GET_HW_INFO, &cmd), EINVAL);
	cmd.data_len = sizeof(data);
	cmd.data_uptr = 0;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_GET_HW_INFO, &cmd), EFAULT);
	/* the mock has no driver data: the buffer is zeroed, the type NONE */
	memset(data, 0xff, sizeof(data));
	cmd.data_uptr = (uintptr_t)data;
	cmd.out_capabilities = 77;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_GET_HW_INFO, &cmd), 0);
	assert_int_equal(cmd.data_len, 0);
	assert_int_equal(cmd.out_data_type, SWMSI_IOMMU_HW_INFO_TYPE_NONE);
	assert_int_equal(cmd.out_capabilities, 0);
	for (size_t i = 0; i < sizeof(data); i++)
		assert_int_equal(data[i], 0);
	cmd.data_len = sizeof(data);
	cmd.flags = SWMSI_IOMMU_HW_INFO_FLAG_INPUT_TYPE;
	cmd.in_data_type = SWMSI_IOMMU_HW_INFO_TYPE_ARM_SMMUV3;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_GET_HW_INFO, &cmd), EOPNOTSUPP);
}

static void dirty_tracking_and_invalidate_absent(void **state)
{
	struct ux *ux = *state;
	uint32_t ioas = ux_ioas(ux->fd), hwpt, nested;
	struct swmsi_iommu_hwpt_set_dirty_tracking set = { .size = sizeof(set), .flags = 2 };
	struct swmsi_iommu_hwpt_get_dirty_bitmap get = { .size = sizeof(get), .flags = 2 };
	struct swmsi_iommu_hwpt_invalidate inv = { .size = sizeof(inv), .__reserved = 1 };

	assert_int_equal(swmsi_hwpt_alloc(ux->ctx, ioas, SWMSI_HWPT_NEST_PARENT, &hwpt), 0);
	assert_int_equal(swmsi_hwpt_alloc_nested(ux->ctx, hwpt, &nested), 0);
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_SET_DIRTY_TRACKING, &set), EOPNOTSUPP);
	set.flags = SWMSI_IOMMU_HWPT_DIRTY_TRACKING_ENABLE;
	set.hwpt_id = ioas;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_SET_DIRTY_TRACKING, &set), ENOENT);
	set.hwpt_id = hwpt;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_SET_DIRTY_TRACKING, &set), EOPNOTSUPP);

	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_GET_DIRTY_BITMAP, &get), EOPNOTSUPP);
	get.flags = 0;
	get.hwpt_id = nested;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_GET_DIRTY_BITMAP, &get), ENOENT);
	get.hwpt_id = hwpt;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_GET_DIRTY_BITMAP, &get), EOPNOTSUPP);

	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_INVALIDATE, &inv), EOPNOTSUPP);
	inv.__reserved = 0;
	inv.entry_num = 1; /* requests without an array */
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_INVALIDATE, &inv), EINVAL);
	inv.entry_num = 0;
	inv.hwpt_id = 4000;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_INVALIDATE, &inv), ENOENT);
	inv.hwpt_id = hwpt; /* neither nested nor a vIOMMU */
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_INVALIDATE, &inv), EINVAL);
	inv.hwpt_id = nested;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_INVALIDATE, &inv), EOPNOTSUPP);
}

static void viommu_family_absent(void **state)
{
	struct ux *ux = *state;
	uint32_t ioas = ux_ioas(ux->fd), dev = ux_device(ux, 1), hwpt, parent;
	struct swmsi_iommu_fault_alloc fault = { .size = sizeof(fault), .flags = 1 };
	struct swmsi_iommu_viommu_alloc viommu = { .size = sizeof(viommu), .flags = 1 };
	struct swmsi_iommu_vdevice_alloc vdev = { .size = sizeof(vdev) };
	struct swmsi_iommu_veventq_alloc veq = { .size = sizeof(veq), .type = 1 };
	struct swmsi_iommu_hw_queue_alloc hwq = { .size = sizeof(hwq), .type = 1 };

	assert_int_equal(swmsi_hwpt_alloc(ux->ctx, ioas, 0, &hwpt), 0);
	assert_int_equal(swmsi_hwpt_alloc(ux->ctx, ioas, SWMSI_HWPT_NEST_PARENT, &parent), 0);
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_FAULT_QUEUE_ALLOC, &fault), EOPNOTSUPP);
	fault.flags = 0;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_FAULT_QUEUE_ALLOC, &fault), EOPNOTSUPP);

	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_VIOMMU_ALLOC, &viommu), EOPNOTSUPP);
	viommu.flags = 0;
	viommu.dev_id = ioas;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_VIOMMU_ALLOC, &viommu), ENOENT);
	viommu.dev_id = dev;
	viommu.hwpt_id = ioas;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_VIOMMU_ALLOC, &viommu), ENOENT);
	viommu.hwpt_id = hwpt;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_VIOMMU_ALLOC, &viommu), EINVAL);
	viommu.hwpt_id = parent;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_VIOMMU_ALLOC, &viommu), EOPNOTSUPP);

	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_VDEVICE_ALLOC, &vdev), ENOENT);
	veq.flags = 1;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_VEVENTQ_ALLOC, &veq), EOPNOTSUPP);
	veq.flags = 0;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_VEVENTQ_ALLOC, &veq), EINVAL);
	veq.veventq_depth = 4;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_VEVENTQ_ALLOC, &veq), ENOENT);
	hwq.type = 0;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HW_QUEUE_ALLOC, &hwq), EOPNOTSUPP);
	hwq.type = 1;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HW_QUEUE_ALLOC, &hwq), EINVAL);
	hwq.length = 0x1000;
	hwq.nesting_parent_iova = UINT64_MAX;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HW_QUEUE_ALLOC, &hwq), EOVERFLOW);
	hwq.nesting_parent_iova = 0;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HW_QUEUE_ALLOC, &hwq), ENOENT);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, ux_setup, ux_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(hwpt_alloc_paging_and_parent),	 T(hwpt_alloc_errors),
		T(hwpt_alloc_nested_selftest_data),	 T(get_hw_info_device),
		T(dirty_tracking_and_invalidate_absent), T(viommu_family_absent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
