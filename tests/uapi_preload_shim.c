// SPDX-License-Identifier: MIT
/*
 * libswmsi-preload.so seen from a program that knows nothing of libswmsi
 * (run by ctest under LD_PRELOAD): each open variant of /dev/iommu gives a
 * working iommufd, device cdevs fail ENODEV, every other path and fd goes
 * to libc untouched, close(2) forgets our fd (the number, reused, is an
 * ordinary fd again). With --bad-env (and a bad SWMSI_* value set by ctest)
 * every open of /dev/iommu fails EINVAL and stderr gets one message.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <swmsi/uapi_abi.h>

int __open_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);

static int failures;

#define CHECK(cond)                                                                              \
	do {                                                                                     \
		if (!(cond)) {                                                                   \
			fprintf(stderr, "%s:%d: %s failed (errno %d: %s)\n", __FILE__, __LINE__, \
				#cond, errno, strerror(errno));                                  \
			failures++;                                                              \
		}                                                                                \
	} while (0)

/* An iommufd answers IOMMU_IOAS_ALLOC. */
static int is_iommufd(int fd)
{
	struct swmsi_iommu_ioas_alloc cmd = { .size = sizeof(cmd) };

	return ioctl(fd, SWMSI_IOMMU_IOAS_ALLOC, &cmd) == 0 && cmd.out_ioas_id != 0;
}

static void each_open_variant(void)
{
	int fds[6] = {
		open("/dev/iommu", O_RDWR),
		open64("/dev/iommu", O_RDWR),
		openat(AT_FDCWD, "/dev/iommu", O_RDWR),
		openat64(AT_FDCWD, "/dev/iommu", O_RDWR),
		__open_2("/dev/iommu", O_RDWR),
		__openat_2(AT_FDCWD, "/dev/iommu", O_RDWR),
	};

	for (int i = 0; i < 6; i++) {
		CHECK(fds[i] >= 0);
		CHECK(is_iommufd(fds[i]));
		CHECK(close(fds[i]) == 0);
	}
}

static void other_paths_untouched(void)
{
	int fd, p[2], avail = -1;

	errno = 0;
	CHECK(open("/dev/vfio/devices/vfio0", O_RDWR) == -1 && errno == ENODEV);
	fd = open("/dev/null", O_RDONLY);
	CHECK(fd >= 0);
	CHECK(!is_iommufd(fd));
	CHECK(close(fd) == 0);
	/* our fd closed, its number reused by a pipe: libc's again */
	fd = open("/dev/iommu", O_RDWR);
	CHECK(fd >= 0);
	CHECK(close(fd) == 0);
	CHECK(pipe(p) == 0);
	CHECK(write(p[1], "xy", 2) == 2);
	CHECK(ioctl(p[0], FIONREAD, &avail) == 0 && avail == 2);
	CHECK(close(p[0]) == 0 && close(p[1]) == 0);
	/* a duplicate of our fd is an eventfd, not ours */
	fd = open("/dev/iommu", O_RDWR);
	CHECK(fd >= 0);
	p[0] = dup(fd);
	CHECK(p[0] >= 0 && !is_iommufd(p[0]));
	CHECK(close(p[0]) == 0 && close(fd) == 0);
}

static void bad_env(void)
{
	char buf[512] = { 0 };
	int p[2], saved, n;

	CHECK(pipe(p) == 0);
	saved = dup(2);
	CHECK(dup2(p[1], 2) == 2);
	for (int i = 0; i < 3; i++) {
		errno = 0;
		CHECK(open("/dev/iommu", O_RDWR) == -1 && errno == EINVAL);
	}
	CHECK(dup2(saved, 2) == 2);
	close(saved);
	close(p[1]);
	n = (int)read(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	CHECK(n > 0 && strstr(buf, "SWMSI_") != NULL);
	CHECK(strchr(buf, '\n') == strrchr(buf, '\n')); /* one message, not one per open */
	/* other paths still open */
	n = open("/dev/null", O_RDONLY);
	CHECK(n >= 0 && close(n) == 0);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--bad-env") == 0) {
		bad_env();
	} else {
		each_open_variant();
		other_paths_untouched();
	}
	if (failures)
		fprintf(stderr, "uapi_preload_shim: %d check(s) failed\n", failures);
	return failures ? 1 : 0;
}
