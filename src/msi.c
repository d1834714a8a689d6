/* SPDX-License-Identifier: MIT */
/*
 * MSI vectors: the sw_msi path (the kernel's iommufd_sw_msi()), free, and
 * fire, which simulates the device's MSI write through its group's HWPT.
 * What a translated vector's page is, and where it goes, is the scheme's
 * (struct swmsi_scheme_ops); this file owns the vector handles.
 */
#include <stdlib.h>
#include <string.h>

#include "swmsi_private.h"

/* Room for vector handle @h. */
static int vectors_reserve(struct swmsi_ctx *ctx, struct swmsi_device *dev, size_t h)
{
	int rc;

	assert_locked(ctx);
	rc = swmsi__bitmap_reserve(ctx, &dev->used, h + 1);
	if (rc)
		return rc;
	return swmsi__array_grow(ctx, &dev->vecs, &dev->nvecs_cap, h + 1, 8, SIZE_MAX,
				 sizeof(*dev->vecs));
}

/* A vector of a group on a HWPT with a window: the scheme's phases around
 * the handle's room, so the backend map stays the last fallible step. */
static int vector_fill_translated(struct swmsi_ctx *ctx, struct swmsi_device *dev, size_t h,
				  struct swmsi_msi_req *req)
{
	const struct swmsi_scheme_ops *scheme = ctx->scheme;
	int rc;

	assert_locked(ctx);
	rc = scheme->msi_reserve(ctx, req);
	if (rc)
		return rc;
	rc = vectors_reserve(ctx, dev, h);
	if (rc)
		goto err_abort;
	rc = scheme->msi_install(ctx, req);
	if (rc)
		goto err_abort;
	scheme->msi_commit(ctx, req, &dev->vecs[h]);
	return 0;

err_abort:
	scheme->msi_abort(ctx, req);
	return rc;
}

/* A detached or window-less group writes the doorbell untranslated. */
static int vector_fill_untranslated(struct swmsi_ctx *ctx, struct swmsi_device *dev, size_t h,
				    uint64_t msi_addr)
{
	int rc;

	assert_locked(ctx);
	rc = vectors_reserve(ctx, dev, h);
	if (rc)
		return rc;
	memset(&dev->vecs[h], 0, sizeof(dev->vecs[h]));
	dev->vecs[h].msg_addr = msi_addr;
	return 0;
}

int swmsi_msi_alloc(struct swmsi_ctx *ctx, uint32_t dev_id, uint64_t msi_addr, uint32_t *vec,
		    uint64_t *msg_addr)
{
	struct swmsi_msi_req req = { .msi_addr = msi_addr };
	struct swmsi_device *dev;
	size_t h;
	int rc;

	if (!ctx || !vec || !msg_addr)
		return -EINVAL;
	swmsi__lock(ctx);
	rc = device_get(ctx, dev_id, &dev);
	if (rc)
		goto out_unlock;
	h = swmsi__bitmap_first_zero(&dev->used, UINT32_MAX);
	if (h >= UINT32_MAX) {
		rc = -ENOSPC;
		goto out_unlock;
	}
	req.group = dev->group;
	req.page = msi_addr & ~(ctx->page_size - 1);
	if (req.group->hwpt && swmsi__group_window(ctx, req.group, &req.win_start, &req.win_size))
		rc = vector_fill_translated(ctx, dev, h, &req);
	else
		rc = vector_fill_untranslated(ctx, dev, h, msi_addr);
	if (rc)
		goto out_unlock;
	dev->vecs[h].msi_addr = msi_addr;
	swmsi__bitmap_set(&dev->used, h);
	dev->nvecs++;
	*vec = (uint32_t)h;
	*msg_addr = dev->vecs[h].msg_addr;
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

void swmsi__vector_release(struct swmsi_ctx *ctx, struct swmsi_device *dev, uint32_t vec)
{
	struct swmsi_vector v = dev->vecs[vec];

	assert_locked(ctx);
	swmsi__bitmap_clear(&dev->used, vec);
	dev->nvecs--;
	memset(&dev->vecs[vec], 0, sizeof(dev->vecs[vec]));
	if (v.translated)
		ctx->scheme->msi_release(ctx, dev->group, &v);
}

/* A live vector of a device: -ENOENT for an unknown device or handle. */
static int get_vector(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t vec,
		      struct swmsi_device **devp)
{
	int rc;

	assert_locked(ctx);
	rc = device_get(ctx, dev_id, devp);
	if (rc)
		return rc;
	return swmsi__bitmap_test(&(*devp)->used, vec) ? 0 : -ENOENT;
}

int swmsi_msi_free(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t vec)
{
	struct swmsi_device *dev;
	int rc;

	if (!ctx)
		return -EINVAL;
	swmsi__lock(ctx);
	rc = get_vector(ctx, dev_id, vec, &dev);
	if (rc)
		goto out_unlock;
	swmsi__vector_release(ctx, dev, vec);
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}

int swmsi_msi_fire(struct swmsi_ctx *ctx, uint32_t dev_id, uint32_t vec, uint64_t *paddr)
{
	struct swmsi_device *dev;
	struct swmsi_group *group;
	uint64_t msg, pa;
	int rc;

	if (!ctx || !paddr)
		return -EINVAL;
	swmsi__lock(ctx);
	rc = get_vector(ctx, dev_id, vec, &dev);
	if (rc)
		goto out_unlock;
	group = dev->group;
	msg = dev->vecs[vec].msg_addr;
	if (group->win_start == SWMSI_PHYS_NONE) {
		/* no SW_MSI window: the platform does not remap MSIs (x86) */
		*paddr = msg;
		goto out_unlock;
	}
	/* a detached group's DMA is blocked; an untranslated write is lost */
	if (!group->hwpt || swmsi__hwpt_translate(ctx, group->hwpt, msg, &pa)) {
		rc = -EFAULT;
		goto out_unlock;
	}
	*paddr = pa;
out_unlock:
	swmsi__unlock(ctx);
	return rc;
}
