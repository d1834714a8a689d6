// SPDX-License-Identifier: MIT
/*
 * libswmsi-preload.so: under LD_PRELOAD, open("/dev/iommu") of a program
 * that knows nothing of libswmsi returns an fd of swmsi_uapi_open(), and
 * ioctl(2) and close(2) on such an fd go to libswmsi-uapi. Every other
 * call, and every other fd, goes on to the next definition (libc's)
 * untouched. Options come from the environment
 * (swmsi_uapi_opts_from_env()); a bad value is reported once on stderr and
 * the open fails with EINVAL.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <swmsi/uapi.h>

#define EXPORT __attribute__((visibility("default")))

typedef int (*open_fn)(const char *, int, ...);
typedef int (*openat_fn)(int, const char *, int, ...);
typedef int (*open2_fn)(const char *, int);
typedef int (*openat2_fn)(int, const char *, int);
typedef int (*ioctl_fn)(int, unsigned long, ...);
typedef int (*close_fn)(int);

static struct {
	open_fn open, open64;
	openat_fn openat, openat64;
	open2_fn open_2;
	openat2_fn openat_2;
	ioctl_fn ioctl;
	close_fn close;
} next;
static pthread_once_t next_once = PTHREAD_ONCE_INIT;

static void next_resolve(void)
{
	next.open = (open_fn)dlsym(RTLD_NEXT, "open");
	next.open64 = (open_fn)dlsym(RTLD_NEXT, "open64");
	next.openat = (openat_fn)dlsym(RTLD_NEXT, "openat");
	next.openat64 = (openat_fn)dlsym(RTLD_NEXT, "openat64");
	next.open_2 = (open2_fn)dlsym(RTLD_NEXT, "__open_2");
	next.openat_2 = (openat2_fn)dlsym(RTLD_NEXT, "__openat_2");
	next.ioctl = (ioctl_fn)dlsym(RTLD_NEXT, "ioctl");
	next.close = (close_fn)dlsym(RTLD_NEXT, "close");
}

#define NEXT(fn) (pthread_once(&next_once, next_resolve), next.fn)

/* -1: not ours, go on to libc; otherwise the result of our open. */
static int our_open(const char *path)
{
	static atomic_int reported;
	struct swmsi_uapi_opts opts;
	const char *bad = NULL;
	int fd;

	if (!path)
		return -1;
	if (strncmp(path, "/dev/vfio/devices/vfio", 22) == 0) {
		errno = ENODEV; /* device cdevs come with the VFIO work */
		return -2;
	}
	if (strcmp(path, "/dev/iommu") != 0)
		return -1;
	if (swmsi_uapi_opts_from_env(&opts, &bad)) {
		if (!atomic_exchange(&reported, 1))
			fprintf(stderr, "libswmsi-preload: %s=\"%s\" is not a valid value\n", bad,
				getenv(bad));
		errno = EINVAL;
		return -2;
	}
	fd = swmsi_uapi_open(&opts);
	if (fd < 0) {
		errno = -fd;
		return -2;
	}
	return fd;
}

/* The result an interposed open returns: ours (an fd, or -1 with errno). */
static int ours(int r)
{
	return r == -2 ? -1 : r;
}

static mode_t mode_arg(int flags, va_list ap)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? va_arg(ap, mode_t) : 0;
}

EXPORT int open(const char *path, int flags, ...)
{
	int r = our_open(path);
	va_list ap;
	mode_t mode;

	if (r != -1)
		return ours(r);
	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return NEXT(open)(path, flags, mode);
}

EXPORT int open64(const char *path, int flags, ...)
{
	int r = our_open(path);
	va_list ap;
	mode_t mode;

	if (r != -1)
		return ours(r);
	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return NEXT(open64)(path, flags, mode);
}

/* An absolute path ignores dirfd, so "/dev/iommu" is ours whatever it is. */
EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
	int r = our_open(path);
	va_list ap;
	mode_t mode;

	if (r != -1)
		return ours(r);
	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return NEXT(openat)(dirfd, path, flags, mode);
}

EXPORT int openat64(int dirfd, const char *path, int flags, ...)
{
	int r = our_open(path);
	va_list ap;
	mode_t mode;

	if (r != -1)
		return ours(r);
	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return NEXT(openat64)(dirfd, path, flags, mode);
}

/* _FORTIFY_SOURCE's open() and openat() without a mode (glibc declares
 * them only under fortification). */
int __open_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);

EXPORT int __open_2(const char *path, int flags)
{
	int r = our_open(path);

	return r != -1 ? ours(r) : NEXT(open_2)(path, flags);
}

EXPORT int __openat_2(int dirfd, const char *path, int flags)
{
	int r = our_open(path);

	return r != -1 ? ours(r) : NEXT(openat_2)(dirfd, path, flags);
}

EXPORT int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (swmsi_uapi_ctx(fd))
		return swmsi_uapi_ioctl(fd, request, arg);
	return NEXT(ioctl)(fd, request, arg);
}

EXPORT int close(int fd)
{
	/* ours: forgotten and closed (the number may be reused at once); the
	 * read-locked lookup first spares every other close the table's
	 * write lock */
	if (swmsi_uapi_ctx(fd) && swmsi_uapi_close(fd) == 0)
		return 0;
	return NEXT(close)(fd);
}
