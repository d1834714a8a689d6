// SPDX-License-Identifier: MIT
/*
 * The rules every iommufd request shares, applied by the one dispatch
 * table to each request upstream defines: the size read first, EINVAL
 * below the first version, E2BIG for non-zero bytes past the struct, a
 * zero-padded larger struct taken as the struct, EFAULT for bad pointers,
 * ENOTTY for numbers that name no request, EBADF for an fd not ours.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>

#include "uapi_fixture.h"

struct req {
	const char *name;
	unsigned long request;
	size_t size;	 /* the struct's size now */
	size_t min_size; /* its first version's */
};

#define REQ(r, type, min)                       \
	{                                       \
#r, r, sizeof(struct type), min \
	}

static const struct req reqs[] = {
	REQ(SWMSI_IOMMU_DESTROY, swmsi_iommu_destroy, 8),
	REQ(SWMSI_IOMMU_IOAS_ALLOC, swmsi_iommu_ioas_alloc, 12),
	REQ(SWMSI_IOMMU_IOAS_ALLOW_IOVAS, swmsi_iommu_ioas_allow_iovas, 24),
	REQ(SWMSI_IOMMU_IOAS_COPY, swmsi_iommu_ioas_copy, 40),
	REQ(SWMSI_IOMMU_IOAS_IOVA_RANGES, swmsi_iommu_ioas_iova_ranges, 32),
	REQ(SWMSI_IOMMU_IOAS_MAP, swmsi_iommu_ioas_map, 40),
	REQ(SWMSI_IOMMU_IOAS_UNMAP, swmsi_iommu_ioas_unmap, 24),
	REQ(SWMSI_IOMMU_OPTION, swmsi_iommu_option, 24),
	REQ(SWMSI_IOMMU_VFIO_IOAS, swmsi_iommu_vfio_ioas, 12),
	REQ(SWMSI_IOMMU_HWPT_ALLOC, swmsi_iommu_hwpt_alloc, 24),
	REQ(SWMSI_IOMMU_GET_HW_INFO, swmsi_iommu_hw_info, 32),
	REQ(SWMSI_IOMMU_HWPT_SET_DIRTY_TRACKING, swmsi_iommu_hwpt_set_dirty_tracking, 16),
	REQ(SWMSI_IOMMU_HWPT_GET_DIRTY_BITMAP, swmsi_iommu_hwpt_get_dirty_bitmap, 48),
	REQ(SWMSI_IOMMU_HWPT_INVALIDATE, swmsi_iommu_hwpt_invalidate, 32),
	REQ(SWMSI_IOMMU_FAULT_QUEUE_ALLOC, swmsi_iommu_fault_alloc, 16),
	REQ(SWMSI_IOMMU_IOAS_MAP_FILE, swmsi_iommu_ioas_map_file, 40),
	REQ(SWMSI_IOMMU_VIOMMU_ALLOC, swmsi_iommu_viommu_alloc, 24),
	REQ(SWMSI_IOMMU_VDEVICE_ALLOC, swmsi_iommu_vdevice_alloc, 24),
	REQ(SWMSI_IOMMU_IOAS_CHANGE_PROCESS, swmsi_iommu_ioas_change_process, 8),
	REQ(SWMSI_IOMMU_VEVENTQ_ALLOC, swmsi_iommu_veventq_alloc, 32),
	REQ(SWMSI_IOMMU_HW_QUEUE_ALLOC, swmsi_iommu_hw_queue_alloc, 40),
};
#define NR_REQS (sizeof(reqs) / sizeof(reqs[0]))

/* A zeroed buffer with room past every struct, its size field set. */
struct buf {
	uint32_t size;
	uint8_t rest[124];
};

static void every_request_below_first_version_einval(void **state)
{
	struct ux *ux = *state;

	for (size_t i = 0; i < NR_REQS; i++) {
		struct buf b = { .size = (uint32_t)reqs[i].min_size - 1 };

		print_message("%s\n", reqs[i].name);
		assert_int_equal(ux_ioctl(ux->fd, reqs[i].request, &b), EINVAL);
		b.size = 0;
		assert_int_equal(ux_ioctl(ux->fd, reqs[i].request, &b), EINVAL);
	}
}

static void every_request_garbage_past_the_struct_e2big(void **state)
{
	struct ux *ux = *state;

	for (size_t i = 0; i < NR_REQS; i++) {
		struct buf b = { .size = (uint32_t)reqs[i].size + 8 };

		((uint8_t *)&b)[reqs[i].size + 5] = 0xa5;
		print_message("%s\n", reqs[i].name);
		assert_int_equal(ux_ioctl(ux->fd, reqs[i].request, &b), E2BIG);
	}
}

/* A larger struct whose extra bytes are zero answers as the struct itself
 * (the kernel selftest's cmd_length rule). */
static void every_request_zero_padded_larger_struct_same_answer(void **state)
{
	struct ux *ux = *state;

	for (size_t i = 0; i < NR_REQS; i++) {
		struct buf exact = { .size = (uint32_t)reqs[i].size };
		struct buf longer = { .size = (uint32_t)reqs[i].size + 16 };
		int e1 = ux_ioctl(ux->fd, reqs[i].request, &exact);
		int e2 = ux_ioctl(ux->fd, reqs[i].request, &longer);

		print_message("%s: %s\n", reqs[i].name, e1 ? swmsi_errno_name(-e1) : "0");
		assert_int_equal(e1, e2);
		/* the bytes past the struct are never written */
		for (size_t j = reqs[i].size; j < reqs[i].size + 16; j++)
			assert_int_equal(((uint8_t *)&longer)[j], 0);
	}
}

static void every_request_bad_pointer_efault(void **state)
{
	struct ux *ux = *state;

	for (size_t i = 0; i < NR_REQS; i++) {
		uint32_t *tail = ux_guarded(sizeof(uint32_t));
		struct buf *off;

		print_message("%s\n", reqs[i].name);
		assert_int_equal(ux_ioctl(ux->fd, reqs[i].request, NULL), EFAULT);
		assert_int_equal(ux_ioctl(ux->fd, reqs[i].request, (void *)(uintptr_t)8), EFAULT);
		/* the size readable, the struct running off its mapping */
		*tail = (uint32_t)reqs[i].size;
		assert_int_equal(ux_ioctl(ux->fd, reqs[i].request, tail), EFAULT);
		ux_guarded_free(tail, sizeof(uint32_t));
		/* a huge size whose zero check runs off the mapping */
		off = ux_guarded(sizeof(*off));
		memset(off, 0, sizeof(*off));
		off->size = UINT32_MAX;
		assert_int_equal(ux_ioctl(ux->fd, reqs[i].request, off), EFAULT);
		ux_guarded_free(off, sizeof(*off));
	}
}

static void numbers_naming_no_request_enotty(void **state)
{
	struct ux *ux = *state;
	struct buf b = { .size = sizeof(b) };
	static const unsigned long bad[] = {
		_IO(';', 0x7f),
		_IO(';', 0x95),
		_IO(';', 0xa1),		    /* past IOMMU_TEST_CMD, which is served */
		_IO(';', 100),		    /* VFIO_GET_API_VERSION: type1 compatibility */
		SWMSI_VFIO_DEVICE_GET_INFO, /* a device request on the iommufd */
		SWMSI_VFIO_DEVICE_BIND_IOMMUFD,
		_IO('x', 0x80),
		_IOWR(';', 0x80, struct swmsi_iommu_destroy), /* direction bits set */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(ux_ioctl(ux->fd, bad[i], &b), ENOTTY);
	/* inside iommufd's numbers the size is read first, as upstream does */
	assert_int_equal(ux_ioctl(ux->fd, _IO('x', 0x80), NULL), EFAULT);
	/* outside them it is not read at all */
	assert_int_equal(ux_ioctl(ux->fd, _IO(';', 0x7f), NULL), ENOTTY);
}

static void request_bits_above_32_ignored(void **state)
{
	struct ux *ux = *state;
	struct swmsi_iommu_ioas_alloc cmd = { .size = sizeof(cmd) };
	unsigned long req = SWMSI_IOMMU_IOAS_ALLOC;

	if (sizeof(req) > 4)
		req |= (unsigned long)1 << (sizeof(req) * 8 - 1);
	assert_int_equal(ux_ioctl(ux->fd, req, &cmd), 0);
	assert_int_not_equal(cmd.out_ioas_id, 0);
}

static void fd_not_ours_ebadf(void **state)
{
	struct ux *ux = *state;
	struct swmsi_iommu_ioas_alloc cmd = { .size = sizeof(cmd) };
	int p[2], fd;

	assert_int_equal(ux_ioctl(-1, SWMSI_IOMMU_IOAS_ALLOC, &cmd), EBADF);
	assert_int_equal(ux_ioctl(100000, SWMSI_IOMMU_IOAS_ALLOC, &cmd), EBADF);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(ux_ioctl(p[0], SWMSI_IOMMU_IOAS_ALLOC, &cmd), EBADF);
	assert_null(swmsi_uapi_ctx(p[0]));
	assert_int_equal(swmsi_uapi_close(p[0]), -EBADF);
	close(p[0]);
	close(p[1]);
	/* closed: no longer ours */
	fd = swmsi_uapi_open(NULL);
	assert_true(fd >= 0);
	assert_int_equal(swmsi_uapi_close(fd), 0);
	assert_int_equal(ux_ioctl(fd, SWMSI_IOMMU_IOAS_ALLOC, &cmd), EBADF);
	assert_int_equal(swmsi_uapi_close(fd), -EBADF);
	assert_null(swmsi_uapi_ctx(fd));
	/* the other fds are unaffected */
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_ALLOC, &cmd), 0);
}

/* A failed request changes nothing: no object appears. */
static void failed_requests_leave_no_object(void **state)
{
	struct ux *ux = *state;
	size_t n;

	for (size_t i = 0; i < NR_REQS; i++) {
		struct buf b = { .size = (uint32_t)reqs[i].size + 8 };

		((uint8_t *)&b)[reqs[i].size] = 1;
		assert_int_equal(ux_ioctl(ux->fd, reqs[i].request, &b), E2BIG);
	}
	assert_int_equal(swmsi_obj_list(ux->ctx, NULL, 0, &n), 0);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(every_request_below_first_version_einval, ux_setup,
						ux_teardown),
		cmocka_unit_test_setup_teardown(every_request_garbage_past_the_struct_e2big,
						ux_setup, ux_teardown),
		cmocka_unit_test_setup_teardown(every_request_zero_padded_larger_struct_same_answer,
						ux_setup, ux_teardown),
		cmocka_unit_test_setup_teardown(every_request_bad_pointer_efault, ux_setup,
						ux_teardown),
		cmocka_unit_test_setup_teardown(numbers_naming_no_request_enotty, ux_setup,
						ux_teardown),
		cmocka_unit_test_setup_teardown(request_bits_above_32_ignored, ux_setup,
						ux_teardown),
		cmocka_unit_test_setup_teardown(fd_not_ours_ebadf, ux_setup, ux_teardown),
		cmocka_unit_test_setup_teardown(failed_requests_leave_no_object, ux_setup,
						ux_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
