/* SPDX-License-Identifier: MIT */
/*
 * libswmsi-uapi's private interface: the open file (one per fd), user
 * memory access, and the handlers the dispatch table names. Built on the
 * public headers only: every rule about objects lives in libswmsi, the
 * handlers here check and translate ABI structs.
 */
#ifndef SWMSI_UAPI_INTERNAL_H
#define SWMSI_UAPI_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <swmsi/mock_iommu.h>
#include <swmsi/swmsi.h>
#include <swmsi/uapi.h>
#include <swmsi/uapi_abi.h>

/* Per-object state the ABI has and libswmsi does not (yet): a device's
 * SW_MSI start set before its size. */
struct swmsi__uapi_objopt {
	uint32_t id;
	uint8_t has_sw_msi_start;
	uint64_t sw_msi_start; /* SW_MSI_START set while SIZE was 0 */
};

/* A mock device of IOMMU_TEST_CMD's MOCK_DOMAIN (the kernel's selftest_obj
 * and mock_dev in one). Its object id is the bound device's own: the
 * stdev id and the idev id the op reports are the same number. */
struct swmsi__uapi_stdev {
	uint32_t id;
	uint32_t flags; /* enum swmsi_mock_dev_flags */
	uint32_t cache[SWMSI_MOCK_DEV_CACHE_NUM];
};

/* A file range IOMMU_IOAS_MAP_FILE mapped into our process (mapfile.c). */
struct swmsi__uapi_backing {
	uint64_t base;	 /* page aligned */
	uint64_t maplen; /* bytes, whole pages */
};

/* One open /dev/iommu. Lives while the fd table or a running request holds
 * a reference; the last one destroys the context. */
struct swmsi__uapi_file {
	atomic_uint refs;
	int fd;
	struct swmsi_ctx *ctx;
	struct mock_iommu *mock;
	enum swmsi_scheme scheme;
	unsigned int page_shift;
	char *machine;
	char *record;
	/* guards the fields below: the ABI's state kept outside libswmsi */
	pthread_mutex_t lock;
	uint32_t rlimit_mode; /* IOMMU_OPTION_RLIMIT_MODE */
	uint32_t vfio_ioas;   /* IOMMU_VFIO_IOAS compatibility IOAS, 0: none */
	struct swmsi__uapi_objopt *objopts;
	size_t nr_objopts, cap_objopts;
	/* IOMMU_TEST_CMD's state (cmd_test.c) */
	struct swmsi__uapi_stdev *stdevs;
	size_t nr_stdevs, cap_stdevs;
	uint32_t next_group;		      /* mock devices' groups, each its own */
	uint32_t memory_limit;		      /* SET_TEMP_MEMORY_LIMIT: kept, nothing pins */
	uint8_t selftest_shape;		      /* the mock has the selftest mock's shape */
	struct swmsi__uapi_backing *backings; /* IOMMU_IOAS_MAP_FILE's */
	size_t nr_backings, cap_backings;
};

/* fd table (fdtable.c). A get that finds the file holds a reference and
 * keeps fork() waiting until the matching put. */
struct swmsi__uapi_file *swmsi__uapi_file_get(int fd);
void swmsi__uapi_file_put(struct swmsi__uapi_file *file);

/* User memory (user.c): 0, or -EFAULT when any byte is not accessible. */
int swmsi__uapi_read(void *dst, uint64_t uptr, size_t len);
int swmsi__uapi_write(uint64_t uptr, const void *src, size_t len);
/* -E2BIG when any of the @len bytes at @uptr is not zero, -EFAULT. */
int swmsi__uapi_check_zero(uint64_t uptr, size_t len);
/* Reads a struct of @usize bytes (the caller's) into @dst of @ksize bytes
 * (ours), as the kernel's copy_struct_from_user(): zero-fills a short one,
 * -E2BIG for a long one with non-zero bytes past @ksize, -EFAULT. */
int swmsi__uapi_copy_struct(void *dst, size_t ksize, uint64_t uptr, size_t usize);

/* One request in flight. */
struct swmsi__uapi_call {
	struct swmsi__uapi_file *file;
	uint64_t uptr;	/* the caller's struct */
	uint32_t usize; /* its size field */
	size_t ksize;	/* the size of ours */
	void *cmd;	/* our copy, ksize bytes */
};

/* Writes the command back: min(usize, ksize) bytes. 0 or -EFAULT. */
int swmsi__uapi_respond(struct swmsi__uapi_call *call);

/* Object-option table of a file (objopt.c); call under file->lock. NULL
 * when @create is false and there is none, or on -ENOMEM. */
struct swmsi__uapi_objopt *swmsi__uapi_objopt(struct swmsi__uapi_file *file, uint32_t id,
					      int create);
void swmsi__uapi_objopt_drop(struct swmsi__uapi_file *file, uint32_t id);
/* Every live object, malloc'ed into *all (NULL when none). */
int swmsi__uapi_objects(struct swmsi_ctx *ctx, struct swmsi_obj_info **all, size_t *count);
/* Whether @id names an object of @type now. */
int swmsi__uapi_is(struct swmsi_ctx *ctx, uint32_t id, enum swmsi_obj_type type);

/*
 * The uAPI's notion of a physical page (pageid.c). An area's backing is a
 * user VA standing for the physical address the domains map; two VAs stand
 * for the same page when both lie in shared mappings of one file (a memfd,
 * shared anonymous memory) at the same file offset, and otherwise only
 * when they are the same VA (private and anonymous memory: copy-on-write
 * gives a VA a new page, which the model cannot see, so the VA is the
 * page). A snapshot of /proc/self/maps answers for a whole request.
 */
struct swmsi__uapi_page_id {
	uint64_t dev, ino; /* the file of a shared mapping; 0, 0: the VA itself */
	uint64_t off;	   /* its file offset, or the VA */
};
struct swmsi__uapi_vmas;
/* 0 and *vmas, -ENOMEM, or -EIO when /proc/self/maps cannot be read. */
int swmsi__uapi_vmas_load(struct swmsi__uapi_vmas **vmas);
void swmsi__uapi_vmas_free(struct swmsi__uapi_vmas *vmas);
/* The page @va is in, or -EFAULT when no mapping holds it. */
int swmsi__uapi_page_id(const struct swmsi__uapi_vmas *vmas, uint64_t va,
			struct swmsi__uapi_page_id *id);

/* Whether @id is a mock device (cmd_test.c); copies it into @out if so.
 * Takes the file's lock. */
int swmsi__uapi_stdev_get(struct swmsi__uapi_file *file, uint32_t id,
			  struct swmsi__uapi_stdev *out);
/* DESTROY of a mock device: unbinds it. -ENOENT when @id is none. */
int swmsi__uapi_stdev_destroy(struct swmsi__uapi_file *file, uint32_t id);
/* File-backed areas (mapfile.c). swmsi__uapi_file_backing() turns a range
 * of the file @fd into a user VA that reads its pages, checked as upstream
 * checks the file (EBADF, EPERM for WRITEABLE on a read-only fd, EINVAL
 * for length 0, a file that is not shmem or hugetlbfs, or a range past its
 * end); _put() undoes it when the map fails. _is() tells whether
 * [@addr, +@length) lies in one backing. These three run under file->lock,
 * held until the area that uses the VA exists; _collect() takes the lock
 * and releases every backing no area maps a byte of, after areas went;
 * _release() releases all (the file's last reference). */
int swmsi__uapi_file_backing(struct swmsi__uapi_file *file, int fd, uint64_t start, uint64_t length,
			     int writable, uint64_t *va);
void swmsi__uapi_file_backing_put(struct swmsi__uapi_file *file, uint64_t va);
int swmsi__uapi_file_backing_is(struct swmsi__uapi_file *file, uint64_t addr, uint64_t length);
void swmsi__uapi_file_backing_collect(struct swmsi__uapi_file *file);
void swmsi__uapi_file_backing_release(struct swmsi__uapi_file *file);

/* Handlers (one file per family); each returns 0 or a negative errno. */
int swmsi__uapi_destroy(struct swmsi__uapi_call *call);
int swmsi__uapi_ioas_alloc(struct swmsi__uapi_call *call);
int swmsi__uapi_ioas_allow_iovas(struct swmsi__uapi_call *call);
int swmsi__uapi_ioas_copy(struct swmsi__uapi_call *call);
int swmsi__uapi_ioas_iova_ranges(struct swmsi__uapi_call *call);
int swmsi__uapi_ioas_map(struct swmsi__uapi_call *call);
int swmsi__uapi_ioas_map_file(struct swmsi__uapi_call *call);
int swmsi__uapi_ioas_unmap(struct swmsi__uapi_call *call);
int swmsi__uapi_ioas_change_process(struct swmsi__uapi_call *call);
int swmsi__uapi_option(struct swmsi__uapi_call *call);
int swmsi__uapi_vfio_ioas(struct swmsi__uapi_call *call);
int swmsi__uapi_hwpt_alloc(struct swmsi__uapi_call *call);
int swmsi__uapi_get_hw_info(struct swmsi__uapi_call *call);
int swmsi__uapi_hwpt_set_dirty_tracking(struct swmsi__uapi_call *call);
int swmsi__uapi_hwpt_get_dirty_bitmap(struct swmsi__uapi_call *call);
int swmsi__uapi_hwpt_invalidate(struct swmsi__uapi_call *call);
int swmsi__uapi_fault_queue_alloc(struct swmsi__uapi_call *call);
int swmsi__uapi_viommu_alloc(struct swmsi__uapi_call *call);
int swmsi__uapi_vdevice_alloc(struct swmsi__uapi_call *call);
int swmsi__uapi_veventq_alloc(struct swmsi__uapi_call *call);
int swmsi__uapi_hw_queue_alloc(struct swmsi__uapi_call *call);
int swmsi__uapi_test_cmd(struct swmsi__uapi_call *call);
/* IOMMU_TEST_CMD's page checks (cmd_test_check.c) */
int swmsi__uapi_test_check_map(struct swmsi__uapi_call *call);
int swmsi__uapi_test_check_refs(struct swmsi__uapi_call *call);

#endif /* SWMSI_UAPI_INTERNAL_H */
