// SPDX-License-Identifier: MIT
/*
 * A program written against the ABI alone, as a VMM is written against
 * <linux/iommufd.h>: it includes no libswmsi header but <swmsi/uapi_abi.h>
 * (which stands in for the kernel's), links nothing of libswmsi, and
 * speaks open(2), ioctl(2) and close(2) to /dev/iommu. ctest runs it
 * under LD_PRELOAD of libswmsi-preload.so; on a kernel with iommufd it
 * would run the same. Exit status 0 when every step answered as upstream
 * does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <swmsi/uapi_abi.h>

static int failures;

#define CHECK(cond)                                                                              \
	do {                                                                                     \
		if (!(cond)) {                                                                   \
			fprintf(stderr, "%s:%d: %s failed (errno %d: %s)\n", __FILE__, __LINE__, \
				#cond, errno, strerror(errno));                                  \
			failures++;                                                              \
		}                                                                                \
	} while (0)

static uint32_t ioas_alloc(int fd)
{
	struct swmsi_iommu_ioas_alloc cmd = { .size = sizeof(cmd) };

	CHECK(ioctl(fd, SWMSI_IOMMU_IOAS_ALLOC, &cmd) == 0);
	CHECK(cmd.out_ioas_id != 0);
	return cmd.out_ioas_id;
}

static void map_fixed(int fd, uint32_t ioas, void *buf, uint64_t iova, uint64_t length)
{
	struct swmsi_iommu_ioas_map cmd = {
		.size = sizeof(cmd),
		.flags = SWMSI_IOMMU_IOAS_MAP_FIXED_IOVA | SWMSI_IOMMU_IOAS_MAP_READABLE |
			 SWMSI_IOMMU_IOAS_MAP_WRITEABLE,
		.ioas_id = ioas,
		.user_va = (uintptr_t)buf,
		.length = length,
		.iova = iova,
	};

	CHECK(ioctl(fd, SWMSI_IOMMU_IOAS_MAP, &cmd) == 0);
	CHECK(cmd.iova == iova);
	/* the same range again: it is taken */
	errno = 0;
	CHECK(ioctl(fd, SWMSI_IOMMU_IOAS_MAP, &cmd) == -1 && errno == EEXIST);
}

static void query_ranges(int fd, uint32_t ioas)
{
	struct swmsi_iommu_iova_range ranges[4];
	struct swmsi_iommu_ioas_iova_ranges cmd = {
		.size = sizeof(cmd),
		.ioas_id = ioas,
		.num_iovas = 4,
		.allowed_iovas = (uintptr_t)ranges,
	};

	/* an IOAS without a domain: all of the 64-bit space, any alignment */
	CHECK(ioctl(fd, SWMSI_IOMMU_IOAS_IOVA_RANGES, &cmd) == 0);
	CHECK(cmd.num_iovas == 1);
	CHECK(ranges[0].start == 0 && ranges[0].last == UINT64_MAX);
	CHECK(cmd.out_iova_alignment == 1);
	/* no room: EMSGSIZE, with the count it needs written back */
	cmd.num_iovas = 0;
	errno = 0;
	CHECK(ioctl(fd, SWMSI_IOMMU_IOAS_IOVA_RANGES, &cmd) == -1 && errno == EMSGSIZE);
	CHECK(cmd.num_iovas == 1);
}

static void unmap_all(int fd, uint32_t ioas, uint64_t expect)
{
	struct swmsi_iommu_ioas_unmap cmd = {
		.size = sizeof(cmd), .ioas_id = ioas, .iova = 0, .length = UINT64_MAX
	};

	CHECK(ioctl(fd, SWMSI_IOMMU_IOAS_UNMAP, &cmd) == 0);
	CHECK(cmd.length == expect);
}

static void destroy(int fd, uint32_t id)
{
	struct swmsi_iommu_destroy cmd = { .size = sizeof(cmd), .id = id };

	CHECK(ioctl(fd, SWMSI_IOMMU_DESTROY, &cmd) == 0);
	errno = 0;
	CHECK(ioctl(fd, SWMSI_IOMMU_DESTROY, &cmd) == -1 && errno == ENOENT);
}

static void bad_requests(int fd)
{
	struct swmsi_iommu_destroy cmd = { .size = 4, .id = 1 };

	errno = 0;
	CHECK(ioctl(fd, SWMSI_IOMMU_DESTROY, &cmd) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(ioctl(fd, SWMSI_IOMMU_DESTROY, NULL) == -1 && errno == EFAULT);
	errno = 0;
	CHECK(ioctl(fd, _IO(SWMSI_IOMMUFD_TYPE, 0x7f), &cmd) == -1 && errno == ENOTTY);
}

int main(void)
{
	size_t len = 4 * 4096;
	struct pollfd pfd;
	uint32_t ioas;
	void *buf;
	int fd;

	fd = open("/dev/iommu", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr,
			"open /dev/iommu: %s (run under LD_PRELOAD of libswmsi-preload.so)\n",
			strerror(errno));
		return 1;
	}
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(buf != MAP_FAILED);
	ioas = ioas_alloc(fd);
	map_fixed(fd, ioas, buf, 1ull << 20, len);
	query_ranges(fd, ioas);
	unmap_all(fd, ioas, len);
	unmap_all(fd, ioas, 0); /* an empty IOAS: success, nothing unmapped */
	destroy(fd, ioas);
	bad_requests(fd);
	/* a real fd: poll(2) accepts it */
	pfd.fd = fd;
	pfd.events = POLLIN;
	CHECK(poll(&pfd, 1, 0) >= 0);
	CHECK(close(fd) == 0);
	/* closed: the fd is no longer ours, nor anyone's */
	errno = 0;
	CHECK(ioctl(fd, SWMSI_IOMMU_DESTROY, &(struct swmsi_iommu_destroy){ .size = 8 }) == -1 &&
	      errno == EBADF);
	munmap(buf, len);
	if (failures)
		fprintf(stderr, "uapi_abi_only: %d check(s) failed\n", failures);
	else
		printf("uapi_abi_only: /dev/iommu answered every request as upstream does\n");
	return failures ? 1 : 0;
}
