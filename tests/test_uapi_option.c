// SPDX-License-Identifier: MIT
/*
 * IOMMU_OPTION (RLIMIT_MODE, HUGE_PAGES, and the posted per-device
 * SW_MSI_START/SW_MSI_SIZE) and IOMMU_VFIO_IOAS through swmsi_uapi_ioctl().
 */
#define _GNU_SOURCE
#include <stdlib.h>

#include "uapi_fixture.h"

#define MIB (1ull << 20)

static int option(int fd, uint32_t id, uint16_t op, uint32_t obj, uint64_t *val)
{
	struct swmsi_iommu_option cmd = {
		.size = sizeof(cmd), .option_id = id, .op = op, .object_id = obj, .val64 = *val
	};
	int err = ux_ioctl(fd, SWMSI_IOMMU_OPTION, &cmd);

	*val = cmd.val64;
	return err;
}

static void option_struct_checks(void **state)
{
	struct ux *ux = *state;
	struct swmsi_iommu_option cmd = { .size = sizeof(cmd), .__reserved = 1 };
	uint64_t v = 0;

	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_OPTION, &cmd), EOPNOTSUPP);
	assert_int_equal(option(ux->fd, 77, SWMSI_IOMMU_OPTION_OP_GET, 0, &v), EOPNOTSUPP);
	assert_int_equal(option(ux->fd, SWMSI_IOMMU_OPTION_RLIMIT_MODE, 5, 0, &v), EOPNOTSUPP);
	/* a GET writes val64 back: a read-only struct faults */
	{
		struct swmsi_iommu_option *ro = ux_guarded(sizeof(*ro));

		memset(ro, 0, sizeof(*ro));
		ro->size = sizeof(*ro);
		ro->op = SWMSI_IOMMU_OPTION_OP_GET;
		assert_int_equal(
			mprotect((void *)((uintptr_t)ro & ~(uintptr_t)4095), 4096, PROT_READ), 0);
		assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_OPTION, ro), EFAULT);
		ux_guarded_free(ro, sizeof(*ro));
	}
}

static void rlimit_mode_global(void **state)
{
	struct ux *ux = *state;
	uint64_t v = 7;

	assert_int_equal(option(ux->fd, SWMSI_IOMMU_OPTION_RLIMIT_MODE, SWMSI_IOMMU_OPTION_OP_GET,
				0, &v),
			 0);
	assert_int_equal(v, 0);
	v = 0;
	assert_int_equal(option(ux->fd, SWMSI_IOMMU_OPTION_RLIMIT_MODE, SWMSI_IOMMU_OPTION_OP_GET,
				1, &v),
			 EOPNOTSUPP); /* global: object_id must be 0 */
	v = 2;
	assert_int_equal(option(ux->fd, SWMSI_IOMMU_OPTION_RLIMIT_MODE, SWMSI_IOMMU_OPTION_OP_SET,
				0, &v),
			 EINVAL);
	v = 1;
	assert_int_equal(option(ux->fd, SWMSI_IOMMU_OPTION_RLIMIT_MODE, SWMSI_IOMMU_OPTION_OP_SET,
				0, &v),
			 0);
	v = 0;
	assert_int_equal(option(ux->fd, SWMSI_IOMMU_OPTION_RLIMIT_MODE, SWMSI_IOMMU_OPTION_OP_GET,
				0, &v),
			 0);
	assert_int_equal(v, 1);
	/* once an object exists the mode is fixed */
	ux_ioas(ux->fd);
	v = 0;
	assert_int_equal(option(ux->fd, SWMSI_IOMMU_OPTION_RLIMIT_MODE, SWMSI_IOMMU_OPTION_OP_SET,
				0, &v),
			 EBUSY);
}

static void huge_pages_per_ioas(void **state)
{
	struct ux *ux = *state;
	uint32_t ioas = ux_ioas(ux->fd), other = ux_ioas(ux->fd), hwpt;
	void *page = ux_guarded(0x1000);
	uint64_t v = 3;

	assert_int_equal(option(ux->fd, SWMSI_IOMMU_OPTION_HUGE_PAGES, SWMSI_IOMMU_OPTION_OP_GET,
				ioas + 10, &v),
			 ENOENT);
	assert_int_equal(option(ux->fd, SWMSI_IOMMU_OPTION_HUGE_PAGES, SWMSI_IOMMU_OPTION_OP_GET,
				ioas, &v),
			 0);
	assert_int_equal(v, 1);
	v = 0;
	assert_int_equal(option(ux->fd, SWMSI_IOMMU_OPTION_HUGE_PAGES, SWMSI_IOMMU_OPTION_OP_SET,
				ioas, &v),
			 0);
	v = 3;
	assert_int_equal(option(ux->fd, SWMSI_IOMMU_OPTION_HUGE_PAGES, SWMSI_IOMMU_OPTION_OP_GET,
				ioas, &v),
			 0);
	assert_int_equal(v, 0);
	v = 3;
	assert_int_equal(option(ux->fd, SWMSI_IOMMU_OPTION_HUGE_PAGES, SWMSI_IOMMU_OPTION_OP_GET,
				other, &v),
			 0);
	assert_int_equal(v, 1); /* per IOAS */
	v = 2;
	assert_int_equal(option(ux->fd, SWMSI_IOMMU_OPTION_HUGE_PAGES, SWMSI_IOMMU_OPTION_OP_SET,
				ioas, &v),
			 EINVAL);
	v = 1;
	assert_int_equal(option(ux->fd, SWMSI_IOMMU_OPTION_HUGE_PAGES, SWMSI_IOMMU_OPTION_OP_SET,
				ioas, &v),
			 0);
	/* an area not page aligned: off is refused, and stays on */
	assert_int_equal(ux_map(ux->fd, ioas, 0x100010, (uintptr_t)page + 0x10, 0x10), 0);
	v = 0;
	assert_int_equal(option(ux->fd, SWMSI_IOMMU_OPTION_HUGE_PAGES, SWMSI_IOMMU_OPTION_OP_SET,
				ioas, &v),
			 EADDRINUSE);
	assert_int_equal(option(ux->fd, SWMSI_IOMMU_OPTION_HUGE_PAGES, SWMSI_IOMMU_OPTION_OP_GET,
				ioas, &v),
			 0);
	assert_int_equal(v, 1);
	/* pages already in a domain: their size cannot change (the map's
	 * user_va is read once a domain needs its pages: a real page) */
	assert_int_equal(swmsi_hwpt_alloc(ux->ctx, other, 0, &hwpt), 0);
	assert_int_equal(ux_map(ux->fd, other, 0x100000, (uintptr_t)page, 0x1000), 0);
	v = 0;
	assert_int_equal(option(ux->fd, SWMSI_IOMMU_OPTION_HUGE_PAGES, SWMSI_IOMMU_OPTION_OP_SET,
				other, &v),
			 EINVAL);
	ux_guarded_free(page, 0x1000);
}

static void sw_msi_window_per_device(void **state)
{
	struct ux *ux = *state;
	uint32_t ioas = ux_ioas(ux->fd), dev = ux_device(ux, 1);
	uint64_t v, start, size;

	v = 0x10000000;
	assert_int_equal(option(ux->fd, SWMSI_IOMMU_OPTION_SW_MSI_START, SWMSI_IOMMU_OPTION_OP_SET,
				ioas, &v),
			 ENOENT); /* not a device */
	v = 0x10000000 + 0x1000;
	assert_int_equal(option(ux->fd, SWMSI_IOMMU_OPTION_SW_MSI_START, SWMSI_IOMMU_OPTION_OP_SET,
				dev, &v),
			 EINVAL); /* not 1 MiB aligned */
	/* START alone: stored, inactive while SIZE is 0 */
	v = 0x10000000;
	assert_int_equal(option(ux->fd, SWMSI_IOMMU_OPTION_SW_MSI_START, SWMSI_IOMMU_OPTION_OP_SET,
				dev, &v),
			 0);
	assert_int_equal(swmsi_device_get_sw_msi_window(ux->ctx, dev, &start, &size), 0);
	assert_int_equal(size, 0);
	v = 0;
	assert_int_equal(option(ux->fd, SWMSI_IOMMU_OPTION_SW_MSI_START, SWMSI_IOMMU_OPTION_OP_GET,
				dev, &v),
			 0);
	assert_int_equal(v, 0x10000000);
	/* SIZE in MiB makes it the device's window */
	v = 2;
	assert_int_equal(option(ux->fd, SWMSI_IOMMU_OPTION_SW_MSI_SIZE, SWMSI_IOMMU_OPTION_OP_SET,
				dev, &v),
			 0);
	assert_int_equal(swmsi_device_get_sw_msi_window(ux->ctx, dev, &start, &size), 0);
	assert_int_equal(start, 0x10000000);
	assert_int_equal(size, 2 * MIB);
	v = 0;
	assert_int_equal(option(ux->fd, SWMSI_IOMMU_OPTION_SW_MSI_SIZE, SWMSI_IOMMU_OPTION_OP_GET,
				dev, &v),
			 0);
	assert_int_equal(v, 2);
	/* GET and SET are EBUSY while attached */
	assert_int_equal(swmsi_device_attach(ux->ctx, dev, ioas), 0);
	assert_int_equal(option(ux->fd, SWMSI_IOMMU_OPTION_SW_MSI_SIZE, SWMSI_IOMMU_OPTION_OP_GET,
				dev, &v),
			 EBUSY);
	v = 4;
	assert_int_equal(option(ux->fd, SWMSI_IOMMU_OPTION_SW_MSI_SIZE, SWMSI_IOMMU_OPTION_OP_SET,
				dev, &v),
			 EBUSY);
	assert_int_equal(swmsi_device_detach(ux->ctx, dev), 0);
	v = UINT64_MAX;
	assert_int_equal(option(ux->fd, SWMSI_IOMMU_OPTION_SW_MSI_SIZE, SWMSI_IOMMU_OPTION_OP_SET,
				dev, &v),
			 EOVERFLOW);
	v = 0; /* SIZE 0 drops the window */
	assert_int_equal(option(ux->fd, SWMSI_IOMMU_OPTION_SW_MSI_SIZE, SWMSI_IOMMU_OPTION_OP_SET,
				dev, &v),
			 0);
	assert_int_equal(swmsi_device_get_sw_msi_window(ux->ctx, dev, &start, &size), 0);
	assert_int_equal(size, 0);
}

static int vfio_ioas(int fd, uint16_t op, uint32_t *id)
{
	struct swmsi_iommu_vfio_ioas cmd = { .size = sizeof(cmd), .op = op, .ioas_id = *id };
	int err = ux_ioctl(fd, SWMSI_IOMMU_VFIO_IOAS, &cmd);

	*id = cmd.ioas_id;
	return err;
}

static void vfio_compat_ioas(void **state)
{
	struct ux *ux = *state;
	struct swmsi_iommu_vfio_ioas cmd = { .size = sizeof(cmd), .__reserved = 1 };
	struct swmsi_iommu_destroy d = { .size = sizeof(d) };
	uint32_t ioas = ux_ioas(ux->fd), id = 0;

	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_VFIO_IOAS, &cmd), EOPNOTSUPP);
	assert_int_equal(vfio_ioas(ux->fd, 9, &id), EOPNOTSUPP);
	assert_int_equal(vfio_ioas(ux->fd, SWMSI_IOMMU_VFIO_IOAS_GET, &id), ENODEV);
	id = ioas + 5;
	assert_int_equal(vfio_ioas(ux->fd, SWMSI_IOMMU_VFIO_IOAS_SET, &id), ENOENT);
	id = ioas;
	assert_int_equal(vfio_ioas(ux->fd, SWMSI_IOMMU_VFIO_IOAS_SET, &id), 0);
	id = 0;
	assert_int_equal(vfio_ioas(ux->fd, SWMSI_IOMMU_VFIO_IOAS_GET, &id), 0);
	assert_int_equal(id, ioas);
	assert_int_equal(vfio_ioas(ux->fd, SWMSI_IOMMU_VFIO_IOAS_CLEAR, &id), 0);
	assert_int_equal(vfio_ioas(ux->fd, SWMSI_IOMMU_VFIO_IOAS_GET, &id), ENODEV);
	/* destroyed, the compatibility IOAS is gone */
	assert_int_equal(vfio_ioas(ux->fd, SWMSI_IOMMU_VFIO_IOAS_SET, &id), 0);
	d.id = ioas;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_DESTROY, &d), 0);
	assert_int_equal(vfio_ioas(ux->fd, SWMSI_IOMMU_VFIO_IOAS_GET, &id), ENODEV);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, ux_setup, ux_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(option_struct_checks),     T(rlimit_mode_global), T(huge_pages_per_ioas),
		T(sw_msi_window_per_device), T(vfio_compat_ioas),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
