// SPDX-License-Identifier: MIT
/*
 * The uAPI's notion of a physical page. The model never pins: an area's
 * backing is the user VA it was mapped from, standing for the physical
 * address the domains map. What a page "is" is then read from the
 * process's own mappings (/proc/self/maps): a shared mapping of a file (a
 * memfd, shared anonymous memory, a shared file) names the page by the
 * file and its offset, so two VAs mapping one file offset are one page, as
 * the kernel's pfns would say; any other mapping (private, anonymous) names
 * it by the VA, since a copy-on-write that gives the VA a new page is
 * invisible here. The selftest ops (MD_CHECK_MAP, MD_CHECK_REFS) compare
 * pages with it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uapi_internal.h"

struct vma {
	uint64_t start, end; /* [start, end) */
	uint64_t off;	     /* the file offset at start */
	uint64_t dev, ino;   /* 0, 0 unless a shared file mapping */
};

struct swmsi__uapi_vmas {
	struct vma *v;
	size_t n, cap;
};

/* One line of /proc/self/maps; 0 when it is not one (ignored). */
static int vma_parse(const char *line, struct vma *out)
{
	char perms[8];
	unsigned int major, minor;
	uint64_t ino;

	if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %x:%x %" SCNu64, &out->start,
		   &out->end, perms, &out->off, &major, &minor, &ino) != 7)
		return 0;
	/* no access: what get_user_pages() refuses, as an unmapped VA */
	if (perms[0] != 'r' && perms[1] != 'w' && perms[2] != 'x')
		return 0;
	if (perms[3] == 's' && ino) {
		out->dev = ((uint64_t)major << 32) | minor;
		out->ino = ino;
	} else {
		out->dev = out->ino = 0;
	}
	return 1;
}

static int vmas_push(struct swmsi__uapi_vmas *vmas, const struct vma *v)
{
	if (vmas->n == vmas->cap) {
		size_t n = vmas->cap ? vmas->cap * 2 : 64;
		struct vma *grown = realloc(vmas->v, n * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		vmas->v = grown;
		vmas->cap = n;
	}
	vmas->v[vmas->n++] = *v;
	return 0;
}

int swmsi__uapi_vmas_load(struct swmsi__uapi_vmas **vmasp)
{
	struct swmsi__uapi_vmas *vmas = calloc(1, sizeof(*vmas));
	char line[512];
	FILE *f;
	int err = 0;

	if (!vmas)
		return -ENOMEM;
	f = fopen("/proc/self/maps", "re");
	if (!f) {
		free(vmas);
		return -EIO;
	}
	while (!err && fgets(line, sizeof(line), f)) {
		struct vma v;

		if (vma_parse(line, &v) > 0)
			err = vmas_push(vmas, &v);
		/* a long path: the rest of the line is not a new entry */
		while (!strchr(line, '\n') && fgets(line, sizeof(line), f))
			;
	}
	fclose(f);
	if (err) {
		swmsi__uapi_vmas_free(vmas);
		return err;
	}
	*vmasp = vmas;
	return 0;
}

void swmsi__uapi_vmas_free(struct swmsi__uapi_vmas *vmas)
{
	if (!vmas)
		return;
	free(vmas->v);
	free(vmas);
}

int swmsi__uapi_page_id(const struct swmsi__uapi_vmas *vmas, uint64_t va,
			struct swmsi__uapi_page_id *id)
{
	size_t lo = 0, hi = vmas->n;

	/* the kernel lists mappings in address order */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct vma *v = &vmas->v[mid];

		if (va < v->start) {
			hi = mid;
		} else if (va >= v->end) {
			lo = mid + 1;
		} else {
			id->dev = v->dev;
			id->ino = v->ino;
			id->off = v->ino ? v->off + (va - v->start) : va;
			return 0;
		}
	}
	return -EFAULT;
}
