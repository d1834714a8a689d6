// SPDX-License-Identifier: MIT
/*
 * IOMMU_IOAS_MAP_FILE's backing: the model's areas are addressed by a user
 * VA, so a range of a file (a memfd) becomes one by mapping it MAP_SHARED
 * into our own process. The VA then reads the file's pages, so whatever
 * compares an IOVA's bytes with the file (the selftest's MD_CHECK_MAP)
 * sees the same page through either. A backing lives while any area of
 * the file's context maps a byte of it (copies included); the handlers
 * that remove areas collect the others.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "uapi_internal.h"

/* The checks upstream's fget() and pinning (memfd_pin_folios()) make of
 * the file, in their order. The model takes the pin-time ones at map time
 * whether or not a domain needs the pages yet. */
static int file_check(int fd, uint64_t start, uint64_t length, int writable, uint64_t *size)
{
	struct stat st;
	int fl;

	if (fd < 0 || (fl = fcntl(fd, F_GETFL)) < 0 || fstat(fd, &st) < 0)
		return -EBADF;
	if (writable && (fl & O_ACCMODE) == O_RDONLY)
		return -EPERM;
	if (!length)
		return -EINVAL;
	/* only shmem and hugetlbfs files can be pinned: F_GET_SEALS answers
	 * for those alone */
	if (!S_ISREG(st.st_mode) || fcntl(fd, F_GET_SEALS) < 0)
		return -EINVAL;
	if (start > (uint64_t)st.st_size || length > (uint64_t)st.st_size - start)
		return -EINVAL;
	*size = (uint64_t)st.st_size;
	return 0;
}

static int backing_add(struct swmsi__uapi_file *file, uint64_t base, uint64_t maplen)
{
	int err = 0;

	if (file->nr_backings == file->cap_backings) {
		size_t n = file->cap_backings ? file->cap_backings * 2 : 8;
		struct swmsi__uapi_backing *grown = realloc(file->backings, n * sizeof(*grown));

		if (grown) {
			file->backings = grown;
			file->cap_backings = n;
		} else {
			err = -ENOMEM;
		}
	}
	if (!err)
		file->backings[file->nr_backings++] =
			(struct swmsi__uapi_backing){ .base = base, .maplen = maplen };
	return err;
}

int swmsi__uapi_file_backing(struct swmsi__uapi_file *file, int fd, uint64_t start, uint64_t length,
			     int writable, uint64_t *va)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), size, down, maplen;
	void *p;
	int err;

	err = file_check(fd, start, length, writable, &size);
	if (err)
		return err;
	down = start & ~(page - 1);
	maplen = start - down + length;
	if (maplen > SIZE_MAX - page)
		return -ENOMEM;
	maplen = (maplen + page - 1) & ~(page - 1);
	/* read only: the model never writes through a backing */
	p = mmap(NULL, (size_t)maplen, PROT_READ, MAP_SHARED, fd, (off_t)down);
	if (p == MAP_FAILED)
		return errno == EACCES || errno == ENODEV ? -EINVAL : -ENOMEM;
	err = backing_add(file, (uintptr_t)p, maplen);
	if (err) {
		munmap(p, (size_t)maplen);
		return err;
	}
	*va = (uintptr_t)p + (start - down);
	return 0;
}

void swmsi__uapi_file_backing_put(struct swmsi__uapi_file *file, uint64_t va)
{
	for (size_t i = 0; i < file->nr_backings; i++) {
		struct swmsi__uapi_backing *b = &file->backings[i];

		if (va >= b->base && va - b->base < b->maplen) {
			munmap((void *)(uintptr_t)b->base, (size_t)b->maplen);
			*b = file->backings[--file->nr_backings];
			break;
		}
	}
}

/* Marks in @used the backings that an area of @ioas maps a byte of. */
static int mark_used(struct swmsi__uapi_file *file, uint32_t ioas, char *used)
{
	struct swmsi_area_info *a = NULL;
	size_t cap = 0, n;
	int err;

	for (;;) {
		err = swmsi_ioas_area_list(file->ctx, ioas, a, cap, &n);
		if (err || n <= cap)
			break;
		free(a);
		cap = n + 8;
		a = malloc(cap * sizeof(*a));
		if (!a)
			return -ENOMEM;
	}
	for (size_t i = 0; !err && i < n; i++) {
		if (!(a[i].flags & SWMSI_AREA_USER_VA))
			continue;
		for (size_t j = 0; j < file->nr_backings; j++) {
			const struct swmsi__uapi_backing *b = &file->backings[j];

			if (a[i].addr < b->base + b->maplen &&
			    b->base <= a[i].addr + (a[i].length - 1))
				used[j] = 1;
		}
	}
	free(a);
	return err == -ENOENT ? 0 : err; /* an IOAS destroyed meanwhile */
}

/* Called under file->lock, which every handler that may make an area of a
 * backing (MAP_FILE, COPY) holds while it does: no area appears unseen. */
static void collect_locked(struct swmsi__uapi_file *file)
{
	struct swmsi_obj_info *all;
	size_t n;
	char *used;
	int err = 0;

	if (!file->nr_backings || swmsi__uapi_objects(file->ctx, &all, &n))
		return;
	used = calloc(file->nr_backings, 1);
	for (size_t i = 0; used && !err && i < n; i++)
		if (all[i].type == SWMSI_OBJ_IOAS)
			err = mark_used(file, all[i].id, used);
	/* on any doubt (no memory) nothing is released: a leak until close,
	 * never a backing pulled from under an area */
	for (size_t j = file->nr_backings; used && !err && j-- > 0;) {
		if (used[j])
			continue;
		munmap((void *)(uintptr_t)file->backings[j].base, (size_t)file->backings[j].maplen);
		file->backings[j] = file->backings[--file->nr_backings];
	}
	free(used);
	free(all);
}

void swmsi__uapi_file_backing_collect(struct swmsi__uapi_file *file)
{
	pthread_mutex_lock(&file->lock);
	collect_locked(file);
	pthread_mutex_unlock(&file->lock);
}

int swmsi__uapi_file_backing_is(struct swmsi__uapi_file *file, uint64_t addr, uint64_t length)
{
	int found = 0;

	for (size_t j = 0; j < file->nr_backings && !found; j++) {
		const struct swmsi__uapi_backing *b = &file->backings[j];

		found = addr >= b->base && length <= b->maplen &&
			addr - b->base <= b->maplen - length;
	}
	return found;
}

void swmsi__uapi_file_backing_release(struct swmsi__uapi_file *file)
{
	for (size_t j = 0; j < file->nr_backings; j++)
		munmap((void *)(uintptr_t)file->backings[j].base, (size_t)file->backings[j].maplen);
	free(file->backings);
	file->backings = NULL;
	file->nr_backings = file->cap_backings = 0;
}
