// SPDX-License-Identifier: MIT
/*
 * IOMMU_TEST_CMD: the ops of the kernel's selftest mock (a kernel built
 * with CONFIG_IOMMUFD_TEST), so that code written for that mock, the
 * kernel's own iommufd selftest first, runs on the model. A mock device is
 * a device bound in a group of its own and attached to an IOAS or a HWPT;
 * the first one gives the file's mock IOMMU the selftest mock's shape (IO
 * pages of half a CPU page, the aperture [2^24, 2^31 - 1]), as every
 * domain the kernel's mock driver allocates has it. Checks come in the
 * kernel mock's order; each op's errors are its.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "uapi_internal.h"

/* Mock devices' groups: far from the small numbers in-process binds use. */
#define STDEV_GROUP_BASE 0x5e1f0000u

/* SET_TEMP_MEMORY_LIMIT refuses less than one batch element (a long and a
 * u32 upstream). */
#define MEMORY_LIMIT_MIN 12u

static struct swmsi__uapi_stdev *stdev_find(struct swmsi__uapi_file *file, uint32_t id)
{
	for (size_t i = 0; i < file->nr_stdevs; i++)
		if (file->stdevs[i].id == id)
			return &file->stdevs[i];
	return NULL;
}

int swmsi__uapi_stdev_get(struct swmsi__uapi_file *file, uint32_t id, struct swmsi__uapi_stdev *out)
{
	struct swmsi__uapi_stdev *s;

	pthread_mutex_lock(&file->lock);
	s = stdev_find(file, id);
	if (s && out)
		*out = *s;
	pthread_mutex_unlock(&file->lock);
	return s != NULL;
}

static int stdev_add(struct swmsi__uapi_file *file, uint32_t id, uint32_t flags)
{
	struct swmsi__uapi_stdev *s;
	int err = 0;

	pthread_mutex_lock(&file->lock);
	if (file->nr_stdevs == file->cap_stdevs) {
		size_t n = file->cap_stdevs ? file->cap_stdevs * 2 : 4;
		struct swmsi__uapi_stdev *grown = realloc(file->stdevs, n * sizeof(*grown));

		if (grown) {
			file->stdevs = grown;
			file->cap_stdevs = n;
		} else {
			err = -ENOMEM;
		}
	}
	if (!err) {
		s = &file->stdevs[file->nr_stdevs++];
		s->id = id;
		s->flags = flags;
		for (size_t i = 0; i < SWMSI_MOCK_DEV_CACHE_NUM; i++)
			s->cache[i] = SWMSI_IOMMU_TEST_DEV_CACHE_DEFAULT;
	}
	pthread_mutex_unlock(&file->lock);
	return err;
}

/* Forgets @id; whether it was a mock device. */
static int stdev_forget(struct swmsi__uapi_file *file, uint32_t id)
{
	struct swmsi__uapi_stdev *s;

	pthread_mutex_lock(&file->lock);
	s = stdev_find(file, id);
	if (s)
		*s = file->stdevs[--file->nr_stdevs];
	pthread_mutex_unlock(&file->lock);
	return s != NULL;
}

int swmsi__uapi_stdev_destroy(struct swmsi__uapi_file *file, uint32_t id)
{
	if (!swmsi__uapi_stdev_get(file, id, NULL))
		return -ENOENT;
	/* as iommufd_selftest_destroy(): detach, unbind, the device goes */
	if (swmsi_device_unbind(file->ctx, id))
		return -ENOENT; /* another thread was first */
	stdev_forget(file, id);
	return 0;
}

/* The kernel's mock domains: IO pages of half a CPU page, its aperture.
 * Set once per file, before its first mock domain. */
static int selftest_shape(struct swmsi__uapi_file *file)
{
	struct mock_iommu_shape shape = {
		.page_shift = file->page_shift - 1,
		.aperture_first = SWMSI_MOCK_APERTURE_START,
		.aperture_last = SWMSI_MOCK_APERTURE_LAST,
	};
	int err = 0;

	pthread_mutex_lock(&file->lock);
	if (!file->selftest_shape) {
		/* -EBUSY: domains of the default shape exist (in-process use) */
		err = mock_iommu_set_shape(file->mock, &shape);
		file->selftest_shape = !err;
	}
	pthread_mutex_unlock(&file->lock);
	return err;
}

static int test_mock_domain(struct swmsi__uapi_call *call, uint32_t flags)
{
	struct swmsi_iommu_test_cmd *cmd = call->cmd;
	struct swmsi__uapi_file *file = call->file;
	struct swmsi_device_desc desc = { .sw_msi_start = SWMSI_PHYS_NONE };
	uint32_t dev, pt = cmd->id;
	int err;

	if (flags & ~(uint32_t)(SWMSI_MOCK_FLAGS_DEVICE_NO_DIRTY |
				SWMSI_MOCK_FLAGS_DEVICE_HUGE_IOVA | SWMSI_MOCK_FLAGS_DEVICE_PASID))
		return -EINVAL;
	err = selftest_shape(file);
	if (err)
		return err;
	pthread_mutex_lock(&file->lock);
	desc.group = STDEV_GROUP_BASE + file->next_group++;
	pthread_mutex_unlock(&file->lock);
	err = swmsi_device_bind(file->ctx, &desc, &dev);
	if (err)
		return err;
	err = swmsi_device_attach_pt(file->ctx, dev, &pt);
	if (!err)
		err = stdev_add(file, dev, flags);
	if (!err) {
		cmd->mock_domain.out_stdev_id = dev;
		cmd->mock_domain.out_hwpt_id = pt;
		cmd->mock_domain.out_idev_id = dev;
		err = swmsi__uapi_respond(call);
		if (err)
			stdev_forget(file, dev);
	}
	if (err)
		swmsi_device_unbind(file->ctx, dev);
	return err;
}

static int test_mock_domain_replace(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_test_cmd *cmd = call->cmd;
	uint32_t pt = cmd->mock_domain_replace.pt_id;
	int err;

	if (!swmsi__uapi_stdev_get(call->file, cmd->id, NULL))
		return -ENOENT;
	err = swmsi_device_replace_pt(call->file->ctx, cmd->id, &pt);
	if (err)
		return err;
	cmd->mock_domain_replace.pt_id = pt;
	return swmsi__uapi_respond(call);
}

static int test_add_reserved(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_test_cmd *cmd = call->cmd;

	return swmsi_ioas_add_reserved(call->file->ctx, cmd->id, cmd->add_reserved.start,
				       cmd->add_reserved.length);
}

static int test_dev_check_cache(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_test_cmd *cmd = call->cmd;
	struct swmsi__uapi_stdev s;

	if (!swmsi__uapi_is(call->file->ctx, cmd->id, SWMSI_OBJ_DEVICE))
		return -ENOENT;
	/* a device bound in-process is no mock device: it has no cache */
	if (!swmsi__uapi_stdev_get(call->file, cmd->id, &s))
		return -EINVAL;
	if (cmd->check_dev_cache.id >= SWMSI_MOCK_DEV_CACHE_NUM ||
	    s.cache[cmd->check_dev_cache.id] != cmd->check_dev_cache.cache)
		return -EINVAL;
	return 0;
}

static int test_memory_limit(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_test_cmd *cmd = call->cmd;

	if (cmd->memory_limit.limit < MEMORY_LIMIT_MIN)
		return -EINVAL;
	pthread_mutex_lock(&call->file->lock);
	call->file->memory_limit = cmd->memory_limit.limit;
	pthread_mutex_unlock(&call->file->lock);
	return 0;
}

int swmsi__uapi_test_cmd(struct swmsi__uapi_call *call)
{
	struct swmsi_iommu_test_cmd *cmd = call->cmd;

	switch (cmd->op) {
	case SWMSI_IOMMU_TEST_OP_ADD_RESERVED:
		return test_add_reserved(call);
	case SWMSI_IOMMU_TEST_OP_MOCK_DOMAIN:
		return test_mock_domain(call, 0);
	case SWMSI_IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS:
		return test_mock_domain(call, cmd->mock_domain_flags.dev_flags);
	case SWMSI_IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE:
		return test_mock_domain_replace(call);
	case SWMSI_IOMMU_TEST_OP_MD_CHECK_MAP:
		return swmsi__uapi_test_check_map(call);
	case SWMSI_IOMMU_TEST_OP_MD_CHECK_REFS:
		return swmsi__uapi_test_check_refs(call);
	case SWMSI_IOMMU_TEST_OP_SET_TEMP_MEMORY_LIMIT:
		return test_memory_limit(call);
	case SWMSI_IOMMU_TEST_OP_DEV_CHECK_CACHE:
		return test_dev_check_cache(call);
	default:
		/* accesses, dirty bits, IOTLBs, faults, vEVENTs and PASIDs of
		 * the kernel's mock are not modelled */
		return -EOPNOTSUPP;
	}
}
