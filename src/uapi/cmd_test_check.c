// SPDX-License-Identifier: MIT
/*
 * IOMMU_TEST_CMD's page checks: MD_CHECK_MAP (a mock domain maps each IO
 * page of a range to the page now at a user address) and MD_CHECK_REFS
 * (how many times each page of a buffer is pinned). Pages are compared
 * as the uAPI names them (pageid.c); a page is pinned once for each area
 * of an IOAS with a domain that holds it, as the model pins nothing and
 * upstream pins what a domain maps.
 */
#include <errno.h>
#include <stdlib.h>

#include "uapi_internal.h"

static int check_map_pages(struct swmsi__uapi_call *call, const struct swmsi__uapi_vmas *vmas,
			   uint64_t io_page)
{
	struct swmsi_iommu_test_cmd *cmd = call->cmd;
	uint64_t iova = cmd->check_map.iova, uptr = cmd->check_map.uptr;

	for (uint64_t left = cmd->check_map.length; left; left -= io_page) {
		struct swmsi__uapi_page_id want, got;
		uint64_t pa;
		int err;

		err = swmsi__uapi_page_id(vmas, uptr, &want);
		if (err)
			return err; /* upstream's get_user_pages: -EFAULT */
		if (swmsi_hwpt_iova_to_phys(call->file->ctx, cmd->id, iova, &pa) ||
		    swmsi__uapi_page_id(vmas, pa, &got) || got.dev != want.dev ||
		    got.ino != want.ino || got.off != want.off)
			return -EINVAL;
		iova += io_page;
		uptr += io_page;
	}
	return 0;
}

int swmsi__uapi_test_check_map(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_test_cmd *cmd = call->cmd;
	uint64_t io_page = 1ull << (call->file->page_shift - 1);
	struct swmsi__uapi_vmas *vmas;
	int err;

	if ((cmd->check_map.iova | cmd->check_map.length | cmd->check_map.uptr) & (io_page - 1) ||
	    cmd->check_map.uptr > UINTPTR_MAX - cmd->check_map.length)
		return -EINVAL;
	if (!swmsi__uapi_is(call->file->ctx, cmd->id, SWMSI_OBJ_HWPT_PAGING))
		return -ENOENT;
	err = swmsi__uapi_vmas_load(&vmas);
	if (err)
		return err;
	err = check_map_pages(call, vmas, io_page);
	swmsi__uapi_vmas_free(vmas);
	return err;
}

/* The user areas of every IOAS a paging HWPT mirrors: malloc'ed. */
static int pinned_areas(struct swmsi_ctx *ctx, struct swmsi_area_info **out, size_t *nout)
{
	struct swmsi_obj_info *objs = NULL;
	struct swmsi_area_info *areas = NULL;
	size_t nobjs = 0, n = 0;
	int err = swmsi__uapi_objects(ctx, &objs, &nobjs);

	for (size_t i = 0; !err && i < nobjs; i++) {
		struct swmsi_hwpt_info info;
		size_t cnt = 0, had = n;

		if (objs[i].type != SWMSI_OBJ_HWPT_PAGING ||
		    swmsi_hwpt_info(ctx, objs[i].id, &info))
			continue;
		if (swmsi_ioas_area_list(ctx, info.ioas_id, NULL, 0, &cnt) || !cnt)
			continue;
		struct swmsi_area_info *grown = realloc(areas, (n + cnt) * sizeof(*grown));

		if (!grown) {
			err = -ENOMEM;
			break;
		}
		areas = grown;
		if (swmsi_ioas_area_list(ctx, info.ioas_id, areas + had, cnt, &cnt) == 0)
			n = had + cnt;
	}
	free(objs);
	if (err) {
		free(areas);
		return err;
	}
	*out = areas;
	*nout = n;
	return 0;
}

/* Whether [a, a + alen) and [b, b + blen) meet (lengths > 0). */
static int overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a - b < blen || b - a < alen;
}

/* The areas holding a byte of @page (its first VA @va): by file offset
 * where it is a shared file page (an area maps its file contiguously from
 * its first VA's offset), else by VA. */
static uint32_t page_pins(const struct swmsi__uapi_vmas *vmas, const struct swmsi_area_info *a,
			  size_t n, const struct swmsi__uapi_page_id *page, uint64_t va,
			  uint64_t page_size)
{
	uint32_t pins = 0;

	for (size_t i = 0; i < n; i++) {
		struct swmsi__uapi_page_id first;

		/* every area the uAPI makes has a user VA as its address */
		if (!page->ino) {
			pins += overlap(a[i].addr, a[i].length, va, page_size);
			continue;
		}
		if (!swmsi__uapi_page_id(vmas, a[i].addr, &first) && first.ino == page->ino &&
		    first.dev == page->dev && overlap(first.off, a[i].length, page->off, page_size))
			pins++;
	}
	return pins;
}

int swmsi__uapi_test_check_refs(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_test_cmd *cmd = call->cmd;
	uint64_t page_size = 1ull << call->file->page_shift;
	uint64_t uptr = cmd->check_refs.uptr;
	struct swmsi_area_info *areas = NULL;
	struct swmsi__uapi_vmas *vmas = NULL;
	size_t n = 0;
	int err;

	if ((cmd->check_refs.length | uptr) & (page_size - 1) ||
	    uptr > UINTPTR_MAX - cmd->check_refs.length)
		return -EINVAL;
	err = swmsi__uapi_vmas_load(&vmas);
	if (!err)
		err = pinned_areas(call->file->ctx, &areas, &n);
	for (uint64_t left = cmd->check_refs.length; !err && left; left -= page_size) {
		struct swmsi__uapi_page_id page;

		err = swmsi__uapi_page_id(vmas, uptr, &page);
		if (!err &&
		    page_pins(vmas, areas, n, &page, uptr, page_size) != cmd->check_refs.refs)
			err = -EIO;
		uptr += page_size;
	}
	free(areas);
	swmsi__uapi_vmas_free(vmas);
	return err;
}
