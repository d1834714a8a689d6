/* SPDX-License-Identifier: MIT */
/*
 * The uAPI suites' fixture (prefix ux_): an iommufd fd of swmsi_uapi_open()
 * per test, requests made through swmsi_uapi_ioctl() with their errno
 * returned, and memory with a guard page behind it, to hand the library
 * pointers that run off their mapping. Include after <cmocka.h>'s
 * prerequisites (stdarg, stddef, setjmp).
 */
#ifndef SWMSI_TEST_UAPI_FIXTURE_H
#define SWMSI_TEST_UAPI_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <swmsi/uapi.h>
#include <swmsi/uapi_abi.h>

struct ux {
	int fd;
	struct swmsi_ctx *ctx;
};

static inline int ux_setup(void **state)
{
	struct ux *ux = calloc(1, sizeof(*ux));

	assert_non_null(ux);
	ux->fd = swmsi_uapi_open(NULL);
	assert_true(ux->fd >= 0);
	ux->ctx = swmsi_uapi_ctx(ux->fd);
	assert_non_null(ux->ctx);
	*state = ux;
	return 0;
}

static inline int ux_teardown(void **state)
{
	struct ux *ux = *state;

	assert_int_equal(swmsi_uapi_close(ux->fd), 0);
	free(ux);
	return 0;
}

/* The request's result as an errno: 0 on success, else errno (and the
 * return value must be -1, as ioctl(2)'s). */
static inline int ux_ioctl(int fd, unsigned long request, void *arg)
{
	int rc;

	errno = 0;
	rc = swmsi_uapi_ioctl(fd, request, arg);
	if (rc == 0)
		return 0;
	assert_int_equal(rc, -1);
	assert_int_not_equal(errno, 0);
	return errno;
}

/* @len bytes that end exactly where an inaccessible page begins: reading
 * one byte past them faults. Release with ux_guarded_free(). */
static inline void *ux_guarded(size_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t span = ((len + (size_t)page - 1) / (size_t)page + 1) * (size_t)page;
	char *p = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	assert_true(p != MAP_FAILED);
	assert_int_equal(mprotect(p + span - (size_t)page, (size_t)page, PROT_NONE), 0);
	return p + span - (size_t)page - len;
}

static inline void ux_guarded_free(void *p, size_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	uintptr_t end = (uintptr_t)p + len + (uintptr_t)page;
	size_t span = ((len + (size_t)page - 1) / (size_t)page + 1) * (size_t)page;

	munmap((void *)(end - span), span);
}

/* A new IOAS, asserted. */
static inline uint32_t ux_ioas(int fd)
{
	struct swmsi_iommu_ioas_alloc cmd = { .size = sizeof(cmd) };

	assert_int_equal(ux_ioctl(fd, SWMSI_IOMMU_IOAS_ALLOC, &cmd), 0);
	assert_int_not_equal(cmd.out_ioas_id, 0);
	return cmd.out_ioas_id;
}

/* IOMMU_IOAS_MAP with FIXED_IOVA, read and write; returns the errno. */
static inline int ux_map(int fd, uint32_t ioas, uint64_t iova, uint64_t va, uint64_t length)
{
	struct swmsi_iommu_ioas_map cmd = {
		.size = sizeof(cmd),
		.flags = SWMSI_IOMMU_IOAS_MAP_FIXED_IOVA | SWMSI_IOMMU_IOAS_MAP_READABLE |
			 SWMSI_IOMMU_IOAS_MAP_WRITEABLE,
		.ioas_id = ioas,
		.user_va = va,
		.length = length,
		.iova = iova,
	};

	return ux_ioctl(fd, SWMSI_IOMMU_IOAS_MAP, &cmd);
}

/* A device bound in-process (devices come through VFIO fds later). */
static inline uint32_t ux_device(struct ux *ux, uint32_t group)
{
	struct swmsi_device_desc desc = { .group = group,
					  .sw_msi_start = 0x8000000,
					  .sw_msi_size = 0x100000 };
	uint32_t dev;

	assert_int_equal(swmsi_device_bind(ux->ctx, &desc, &dev), 0);
	return dev;
}

#endif /* SWMSI_TEST_UAPI_FIXTURE_H */
