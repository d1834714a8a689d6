/* SPDX-License-Identifier: MIT */
/**
 * @file uapi.h
 * @brief /dev/iommu in userspace: iommufd's ioctls served by libswmsi
 * (libswmsi-uapi; docs/uapi.md).
 *
 * swmsi_uapi_open() puts a fresh context (swmsi_ctx_create() over its own
 * mock IOMMU) behind a new, real file descriptor; swmsi_uapi_ioctl() then
 * answers the kernel's iommufd requests on it (<swmsi/uapi_abi.h> defines
 * them) with ioctl(2)'s contract: a value >= 0, or -1 with errno set.
 * libswmsi-preload.so makes open("/dev/iommu"), ioctl(2) and close(2) of an
 * unmodified program reach these functions.
 *
 * Unlike the rest of libswmsi, swmsi_uapi_ioctl() reports errors through
 * errno, as the system call it stands for; the other functions return a
 * negative errno value. User memory named in a request (the struct itself,
 * arrays) is read and written with process_vm_readv(2) and
 * process_vm_writev(2) on the calling process, or with a plain copy where
 * it lies in live frames of the calling thread's stack (mapped and
 * writable while the request runs), so a bad pointer, NULL included, is
 * EFAULT and never a crash.
 *
 * Thread safety: every function may be called from any thread, on the same
 * fd or on different ones. A request that makes one swmsi_* call is atomic
 * as that call is; the few that make several (an IOMMU_IOAS_UNMAP over
 * several areas or of everything, the alignment IOMMU_IOAS_IOVA_RANGES
 * reports, IOMMU_OPTION's checks of state) may see another thread's
 * request between two of them, each step still whole (docs/uapi.md).
 * swmsi_uapi_close() (or close(2) under the shim) while another
 * thread is inside swmsi_uapi_ioctl() on the same fd is safe: the request
 * finishes on the context, which is destroyed when the last request using
 * it returns; after close returns the fd is no longer ours (EBADF).
 */
#ifndef SWMSI_UAPI_H
#define SWMSI_UAPI_H

#include <swmsi/export.h>
#include <swmsi/swmsi.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Options of swmsi_uapi_open(). Zero means the default, so a
 * zero-initialised struct (or NULL) opens a KERNEL-scheme context with
 * 4 KiB pages.
 */
struct swmsi_uapi_opts {
	/** The sw_msi scheme. Unlike swmsi_ctx_opts, whose zero is NATIVE,
	 * the zero here is SWMSI_SCHEME_KERNEL: /dev/iommu behaves as
	 * upstream's unless asked otherwise. To ask for NATIVE explicitly,
	 * set SWMSI_SCHEME_NATIVE | SWMSI_UAPI_SCHEME_EXPLICIT. */
	enum swmsi_scheme scheme;
	/** Page size as a shift: 12, 14 or 16; 0 means 12. */
	unsigned int page_shift;
	/** A machine description file, or NULL. Stored (copied); machine
	 * files are read by a later version (devices come with them). */
	const char *machine;
	/** A file to record every request into, or NULL. Stored (copied);
	 * recording comes with a later version. */
	const char *record;
};

/** @brief Or'ed into swmsi_uapi_opts::scheme: take the scheme as written,
 * even SWMSI_SCHEME_NATIVE (0), instead of the KERNEL default. */
#define SWMSI_UAPI_SCHEME_EXPLICIT 0x100

/**
 * @brief Open a /dev/iommu: a new context behind a new file descriptor.
 *
 * The fd is a real one (an eventfd), so close(2), poll(2) and dup(2)
 * accept it; only the fd returned here is ours, not its duplicates.
 * Close it with swmsi_uapi_close() (close(2) under libswmsi-preload.so).
 * @param[in] opts options, or NULL for the defaults; copied (strings
 * included), need not outlive the call.
 * @return the new fd (>= 0), or a negative errno:
 * - -EINVAL: page_shift other than 0, 12, 14 or 16.
 * - -EOPNOTSUPP: an unknown scheme.
 * - -EMFILE, -ENFILE, -ENODEV: eventfd(2) failed so.
 * - -ENOMEM: out of memory.
 * @par Thread safety
 * Safe.
 * @par Undo
 * swmsi_uapi_close().
 */
SWMSI_API int swmsi_uapi_open(const struct swmsi_uapi_opts *opts);

/**
 * @brief Open a VFIO device cdev (/dev/vfio/devices/vfioN) of the machine
 * description.
 *
 * Device fds come with the VFIO work and machine descriptions: until then
 * there is no device to open, and every call fails.
 * @param[in] iommufd_or_minus1 the iommufd the machine belongs to, or -1
 * for the process's default machine.
 * @param[in] path the cdev path.
 * @return a negative errno:
 * - -EINVAL: @p path NULL.
 * - -ENODEV: no such device (always, for now).
 * @par Thread safety
 * Safe.
 */
SWMSI_API int swmsi_uapi_open_device(int iommufd_or_minus1, const char *path);

/**
 * @brief Serve one iommufd request on an fd of swmsi_uapi_open(), with
 * ioctl(2)'s contract.
 *
 * Rules of every request (upstream's, in this order): an fd that is not
 * ours -> EBADF; a request number outside iommufd's -> ENOTTY; the u32
 * @c size at @p arg unreadable -> EFAULT; a number in iommufd's range that
 * names no request -> ENOTTY; @c size below the request's first version
 * -> EINVAL; bytes beyond the struct this library knows that are not zero
 * -> E2BIG; the struct unreadable -> EFAULT; then the request's own checks
 * (unknown flags or a non-zero reserved field -> EOPNOTSUPP, an id that
 * does not exist or is of the wrong kind -> ENOENT, ...) and the swmsi_*
 * call's errors, translated to what the kernel answers. Out fields are
 * written back (EFAULT when they cannot be) only on success, but for
 * IOMMU_IOAS_IOVA_RANGES's EMSGSIZE. docs/uapi.md lists which requests are
 * served and which fail as upstream does without the feature.
 * @param[in] fd an fd from swmsi_uapi_open().
 * @param[in] request the ioctl request number (SWMSI_IOMMU_* of
 * <swmsi/uapi_abi.h>, the same as <linux/iommufd.h>'s).
 * @param[in,out] arg the request's struct in the caller's memory.
 * @return 0 on success; -1 with errno set on failure (EBADF, ENOTTY,
 * EFAULT, EINVAL, E2BIG, EOPNOTSUPP, ENOENT, EBUSY, EEXIST, EOVERFLOW,
 * EADDRINUSE, EMSGSIZE, ENOSPC, ENOMEM, as the request says).
 * @par Thread safety
 * Safe, also against swmsi_uapi_close() of @p fd (see the file comment).
 */
SWMSI_API int swmsi_uapi_ioctl(int fd, unsigned long request, void *arg);

/**
 * @brief Close an fd of swmsi_uapi_open(): forget it, close it, and
 * destroy its context once no request on it is running.
 * @param[in] fd the fd.
 * @return 0 on success, or a negative errno:
 * - -EBADF: @p fd is not ours (nothing is closed).
 * @par Thread safety
 * Safe; a request running on @p fd in another thread finishes first on
 * the context, which outlives it.
 */
SWMSI_API int swmsi_uapi_close(int fd);

/**
 * @brief The context behind an iommufd fd, to inspect it with the rest of
 * the API (swmsi_obj_list(), swmsi_ioas_mapping_list(), ...).
 * @param[in] fd an fd from swmsi_uapi_open().
 * @return the context, or NULL when @p fd is not ours. Valid until
 * swmsi_uapi_close() of @p fd; do not destroy it.
 * @par Thread safety
 * Safe; the caller must not use the pointer across a close of @p fd.
 */
SWMSI_API struct swmsi_ctx *swmsi_uapi_ctx(int fd);

/**
 * @brief Fill options from the environment, as libswmsi-preload.so does:
 * SWMSI_SCHEME (native, kernel or dma-iommu), SWMSI_PAGE_SHIFT (12, 14 or
 * 16), SWMSI_MACHINE and SWMSI_RECORD (paths). An unset or empty variable
 * leaves the field's default.
 * @param[out] opts the options; zeroed first, then filled. Its strings
 * point into the environment.
 * @param[out] bad the name of the first variable with a bad value, on
 * -EINVAL only; may be NULL.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p opts NULL, or a variable with a bad value.
 * @par Thread safety
 * Safe as getenv(3) is: not against a concurrent setenv(3).
 */
SWMSI_API int swmsi_uapi_opts_from_env(struct swmsi_uapi_opts *opts, const char **bad);

#ifdef __cplusplus
}
#endif

#endif /* SWMSI_UAPI_H */
