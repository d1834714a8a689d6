// SPDX-License-Identifier: MIT
/*
 * IOMMU_TEST_CMD through swmsi_uapi_ioctl(): the kernel selftest mock's
 * ops (MOCK_DOMAIN and its FLAGS and REPLACE forms, ADD_RESERVED,
 * MD_CHECK_MAP, MD_CHECK_REFS, SET_TEMP_MEMORY_LIMIT, DEV_CHECK_CACHE),
 * each op's success and its errors, the selftest mock's domain shape (2
 * KiB IO pages, its aperture) and GET_HW_INFO on a mock device.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/mman.h>

#include "uapi_fixture.h"

#define MIB (1ull << 20)

static struct swmsi_iommu_test_cmd tcmd(uint32_t op, uint32_t id)
{
	struct swmsi_iommu_test_cmd cmd = { .size = sizeof(cmd), .op = op, .id = id };

	return cmd;
}

/* MOCK_DOMAIN(_FLAGS) on @pt; the errno, the ids in *@out. */
static int mock_domain(int fd, uint32_t pt, uint32_t flags, struct swmsi_iommu_test_cmd *out)
{
	*out = tcmd(flags ? SWMSI_IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS : SWMSI_IOMMU_TEST_OP_MOCK_DOMAIN,
		    pt);
	out->mock_domain_flags.dev_flags = flags;
	return ux_ioctl(fd, SWMSI_IOMMU_TEST_CMD, out);
}

static uint32_t obj_count(struct ux *ux)
{
	size_t n;

	assert_int_equal(swmsi_obj_list(ux->ctx, NULL, 0, &n), 0);
	return (uint32_t)n;
}

static int is_type(struct ux *ux, uint32_t id, enum swmsi_obj_type want)
{
	enum swmsi_obj_type t;

	return swmsi_obj_type(ux->ctx, id, &t) == 0 && t == want;
}

static void mock_domain_binds_attaches_shares_and_destroys(void **state)
{
	struct ux *ux = *state;
	uint32_t ioas = ux_ioas(ux->fd);
	struct swmsi_iommu_test_cmd a, b;
	struct swmsi_iommu_destroy d = { .size = sizeof(d) };
	struct swmsi_hwpt_info info;
	uint64_t align;

	assert_int_equal(mock_domain(ux->fd, ioas, 0, &a), 0);
	assert_int_not_equal(a.mock_domain.out_stdev_id, 0);
	assert_int_equal(a.mock_domain.out_idev_id, a.mock_domain.out_stdev_id);
	assert_true(is_type(ux, a.mock_domain.out_idev_id, SWMSI_OBJ_DEVICE));
	assert_int_equal(swmsi_hwpt_info(ux->ctx, a.mock_domain.out_hwpt_id, &info), 0);
	assert_true(info.is_auto);
	assert_int_equal(info.ioas_id, ioas);
	/* the second device reuses the IOAS's automatic domain */
	assert_int_equal(mock_domain(ux->fd, ioas, 0, &b), 0);
	assert_int_equal(b.mock_domain.out_hwpt_id, a.mock_domain.out_hwpt_id);
	assert_int_not_equal(b.mock_domain.out_idev_id, a.mock_domain.out_idev_id);
	/* the selftest mock's IO page: half a CPU page */
	assert_int_equal(swmsi_ioas_iova_alignment(ux->ctx, ioas, &align), 0);
	assert_int_equal(align, 2048);
	/* DESTROY of the stdev id unbinds the device; the last takes the domain */
	d.id = a.mock_domain.out_stdev_id;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_DESTROY, &d), 0);
	assert_false(is_type(ux, d.id, SWMSI_OBJ_DEVICE));
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_DESTROY, &d), ENOENT);
	d.id = b.mock_domain.out_stdev_id;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_DESTROY, &d), 0);
	assert_false(is_type(ux, b.mock_domain.out_hwpt_id, SWMSI_OBJ_HWPT_PAGING));
	assert_int_equal(obj_count(ux), 1);
}

static void mock_domain_selftest_aperture(void **state)
{
	struct ux *ux = *state;
	uint32_t ioas = ux_ioas(ux->fd);
	struct swmsi_iommu_test_cmd a;
	struct swmsi_iova_range r[4];
	size_t n;

	assert_int_equal(mock_domain(ux->fd, ioas, 0, &a), 0);
	assert_int_equal(swmsi_ioas_iova_ranges(ux->ctx, ioas, r, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].start, SWMSI_MOCK_APERTURE_START);
	assert_int_equal(r[0].last, SWMSI_MOCK_APERTURE_LAST);
}

static void mock_domain_errors_leave_nothing(void **state)
{
	struct ux *ux = *state;
	uint32_t ioas = ux_ioas(ux->fd), before;
	struct swmsi_iommu_test_cmd a, b;

	before = obj_count(ux);
	assert_int_equal(mock_domain(ux->fd, ioas, 1u << 3, &a), EINVAL);
	assert_int_equal(mock_domain(ux->fd, 0, 0, &a), ENOENT);
	assert_int_equal(mock_domain(ux->fd, ioas + 100, 0, &a), ENOENT);
	assert_int_equal(obj_count(ux), before);
	/* on a device: not a page table */
	assert_int_equal(mock_domain(ux->fd, ioas, 0, &a), 0);
	before = obj_count(ux);
	assert_int_equal(mock_domain(ux->fd, a.mock_domain.out_idev_id, 0, &b), EINVAL);
	assert_int_equal(obj_count(ux), before);
	/* a short struct: below the first version */
	b = tcmd(SWMSI_IOMMU_TEST_OP_MOCK_DOMAIN, ioas);
	b.size = offsetof(struct swmsi_iommu_test_cmd, last) + 3;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_TEST_CMD, &b), EINVAL);
	b = tcmd(99, ioas);
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_TEST_CMD, &b), EOPNOTSUPP);
}

static void mock_domain_on_hwpt_and_after_default_domain(void **state)
{
	struct ux *ux = *state;
	uint32_t ioas = ux_ioas(ux->fd), other = ux_ioas(ux->fd), dev = ux_device(ux, 1);
	struct swmsi_iommu_hwpt_alloc h = { .size = sizeof(h) };
	struct swmsi_iommu_test_cmd a, b;

	/* a domain of the default shape is alive: the shape cannot change */
	assert_int_equal(swmsi_device_attach(ux->ctx, dev, other), 0);
	assert_int_equal(mock_domain(ux->fd, ioas, 0, &a), EBUSY);
	assert_int_equal(swmsi_device_detach(ux->ctx, dev), 0);
	assert_int_equal(mock_domain(ux->fd, ioas, 0, &a), 0);
	/* a HWPT the user allocated for the mock device */
	h.dev_id = a.mock_domain.out_idev_id;
	h.pt_id = ioas;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_ALLOC, &h), 0);
	assert_int_equal(mock_domain(ux->fd, h.out_hwpt_id, 0, &b), 0);
	assert_int_equal(b.mock_domain.out_hwpt_id, h.out_hwpt_id);
}

static void mock_domain_replace_moves_and_frees(void **state)
{
	struct ux *ux = *state;
	uint32_t ioas = ux_ioas(ux->fd), old_auto;
	struct swmsi_iommu_hwpt_alloc h = { .size = sizeof(h) };
	struct swmsi_iommu_test_cmd a, r;

	assert_int_equal(mock_domain(ux->fd, ioas, 0, &a), 0);
	old_auto = a.mock_domain.out_hwpt_id;
	h.dev_id = a.mock_domain.out_idev_id;
	h.pt_id = ioas;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_HWPT_ALLOC, &h), 0);
	r = tcmd(SWMSI_IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE, a.mock_domain.out_stdev_id);
	r.mock_domain_replace.pt_id = h.out_hwpt_id;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_TEST_CMD, &r), 0);
	assert_int_equal(r.mock_domain_replace.pt_id, h.out_hwpt_id);
	/* the automatic domain nobody uses went */
	assert_false(is_type(ux, old_auto, SWMSI_OBJ_HWPT_PAGING));
	/* back to the IOAS: a new automatic domain, its id written back */
	r.mock_domain_replace.pt_id = ioas;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_TEST_CMD, &r), 0);
	assert_true(is_type(ux, r.mock_domain_replace.pt_id, SWMSI_OBJ_HWPT_PAGING));
	assert_int_not_equal(r.mock_domain_replace.pt_id, h.out_hwpt_id);
	/* errors: not a mock device, no such target */
	r = tcmd(SWMSI_IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE, ioas);
	r.mock_domain_replace.pt_id = h.out_hwpt_id;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_TEST_CMD, &r), ENOENT);
	r = tcmd(SWMSI_IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE, a.mock_domain.out_stdev_id);
	r.mock_domain_replace.pt_id = 0xffff;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_TEST_CMD, &r), ENOENT);
}

static void add_reserved_blocks_maps(void **state)
{
	struct ux *ux = *state;
	uint32_t ioas = ux_ioas(ux->fd);
	struct swmsi_iommu_test_cmd c = tcmd(SWMSI_IOMMU_TEST_OP_ADD_RESERVED, ioas);
	void *buf = mmap(NULL, 0x2000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	assert_true(buf != MAP_FAILED);
	c.add_reserved.start = 0x100000;
	c.add_reserved.length = 0x10000;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_TEST_CMD, &c), 0);
	assert_int_not_equal(ux_map(ux->fd, ioas, 0x100000, (uintptr_t)buf, 0x1000), 0);
	assert_int_equal(ux_map(ux->fd, ioas, 0x110000, (uintptr_t)buf, 0x1000), 0);
	/* over an area, of no IOAS, empty */
	c.add_reserved.start = 0x110000;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_TEST_CMD, &c), EADDRINUSE);
	c.id = ioas + 100;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_TEST_CMD, &c), ENOENT);
	c.id = ioas;
	c.add_reserved.start = 0x300000;
	c.add_reserved.length = 0;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_TEST_CMD, &c), EINVAL);
	munmap(buf, 0x2000);
}

/* A mock domain on a new IOAS with @buf's first @len bytes at 16 MiB. */
static struct swmsi_iommu_test_cmd domain_with(struct ux *ux, void *buf, uint64_t len,
					       uint32_t *ioas)
{
	struct swmsi_iommu_test_cmd a;

	*ioas = ux_ioas(ux->fd);
	assert_int_equal(mock_domain(ux->fd, *ioas, 0, &a), 0);
	assert_int_equal(ux_map(ux->fd, *ioas, 16 * MIB, (uintptr_t)buf, len), 0);
	return a;
}

static int check_map(struct ux *ux, uint32_t hwpt, uint64_t iova, uint64_t len, void *uptr)
{
	struct swmsi_iommu_test_cmd c = tcmd(SWMSI_IOMMU_TEST_OP_MD_CHECK_MAP, hwpt);

	c.check_map.iova = iova;
	c.check_map.length = len;
	c.check_map.uptr = (uintptr_t)uptr;
	return ux_ioctl(ux->fd, SWMSI_IOMMU_TEST_CMD, &c);
}

static void check_map_private_memory(void **state)
{
	struct ux *ux = *state;
	char *buf = mmap(NULL, 0x4000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint32_t ioas, hwpt;
	char *guard;

	assert_true(buf != MAP_FAILED);
	hwpt = domain_with(ux, buf, 0x4000, &ioas).mock_domain.out_hwpt_id;
	assert_int_equal(check_map(ux, hwpt, 16 * MIB, 0x4000, buf), 0);
	assert_int_equal(check_map(ux, hwpt, 16 * MIB + 0x800, 0x800, buf + 0x800), 0);
	buf[0] = 1; /* the VA is the page: a write changes nothing */
	assert_int_equal(check_map(ux, hwpt, 16 * MIB, 0x1000, buf), 0);
	/* another page, an IOVA not mapped */
	assert_int_equal(check_map(ux, hwpt, 16 * MIB, 0x1000, buf + 0x1000), EINVAL);
	assert_int_equal(check_map(ux, hwpt, 32 * MIB, 0x1000, buf), EINVAL);
	/* misaligned to the IO page, or wrapping */
	assert_int_equal(check_map(ux, hwpt, 16 * MIB + 1, 0x800, buf), EINVAL);
	assert_int_equal(check_map(ux, hwpt, 16 * MIB, 0x801, buf), EINVAL);
	assert_int_equal(check_map(ux, hwpt, 16 * MIB, 0x800, buf + 4), EINVAL);
	assert_int_equal(check_map(ux, hwpt, 16 * MIB, 0x1000, (void *)(uintptr_t)-0x800), EINVAL);
	/* not a paging HWPT */
	assert_int_equal(check_map(ux, ioas, 16 * MIB, 0x800, buf), ENOENT);
	/* user memory that is not mapped */
	guard = ux_guarded(0x1000);
	assert_int_equal(check_map(ux, hwpt, 16 * MIB, 0x800, guard + 0x1000), EFAULT);
	ux_guarded_free(guard, 0x1000);
	munmap(buf, 0x4000);
}

static void check_map_shared_file_by_offset(void **state)
{
	struct ux *ux = *state;
	int mfd = memfd_create("testcmd", 0);
	struct swmsi_iommu_ioas_map_file mf;
	char *a, *b;
	uint32_t ioas, hwpt;

	assert_true(mfd >= 0);
	assert_int_equal(ftruncate(mfd, 0x2000), 0);
	a = mmap(NULL, 0x2000, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	b = mmap(NULL, 0x2000, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	assert_true(a != MAP_FAILED && b != MAP_FAILED);
	hwpt = domain_with(ux, a, 0x2000, &ioas).mock_domain.out_hwpt_id;
	/* another VA of the same file offset is the same page */
	assert_int_equal(check_map(ux, hwpt, 16 * MIB, 0x2000, b), 0);
	assert_int_equal(check_map(ux, hwpt, 16 * MIB, 0x1000, b + 0x1000), EINVAL);
	/* IOMMU_IOAS_MAP_FILE's areas are that file's pages too */
	mf = (struct swmsi_iommu_ioas_map_file){
		.size = sizeof(mf),
		.flags = SWMSI_IOMMU_IOAS_MAP_FIXED_IOVA | SWMSI_IOMMU_IOAS_MAP_READABLE,
		.ioas_id = ioas,
		.fd = mfd,
		.start = 0x1000,
		.length = 0x1000,
		.iova = 18 * MIB,
	};
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_MAP_FILE, &mf), 0);
	assert_int_equal(check_map(ux, hwpt, 18 * MIB, 0x1000, b + 0x1000), 0);
	assert_int_equal(check_map(ux, hwpt, 18 * MIB, 0x1000, a), EINVAL);
	munmap(a, 0x2000);
	munmap(b, 0x2000);
	close(mfd);
}

static int check_refs(struct ux *ux, void *uptr, uint64_t len, uint32_t refs)
{
	struct swmsi_iommu_test_cmd c = tcmd(SWMSI_IOMMU_TEST_OP_MD_CHECK_REFS, 0);

	c.check_refs.uptr = (uintptr_t)uptr;
	c.check_refs.length = len;
	c.check_refs.refs = refs;
	return ux_ioctl(ux->fd, SWMSI_IOMMU_TEST_CMD, &c);
}

static void check_refs_counts_domain_pins(void **state)
{
	struct ux *ux = *state;
	char *buf = mmap(NULL, 0x4000, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct swmsi_iommu_ioas_unmap u = { .size = sizeof(u), .length = UINT64_MAX };
	uint32_t ioas;
	char *guard;

	assert_true(buf != MAP_FAILED);
	assert_int_equal(check_refs(ux, buf, 0x4000, 0), 0);
	(void)domain_with(ux, buf, 0x2000, &ioas);
	assert_int_equal(check_refs(ux, buf, 0x2000, 1), 0);
	assert_int_equal(check_refs(ux, buf, 0x2000, 0), EIO);
	assert_int_equal(check_refs(ux, buf + 0x2000, 0x2000, 0), 0);
	u.ioas_id = ioas;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_UNMAP, &u), 0);
	assert_int_equal(check_refs(ux, buf, 0x4000, 0), 0);
	/* an area of one 2 KiB IO page in the middle of a CPU page pins it */
	assert_int_equal(ux_map(ux->fd, ioas, 17 * MIB, (uintptr_t)buf + 0x2800, 0x800), 0);
	assert_int_equal(check_refs(ux, buf + 0x2000, 0x1000, 1), 0);
	assert_int_equal(check_refs(ux, buf + 0x1000, 0x1000, 0), 0);
	assert_int_equal(check_refs(ux, buf + 0x3000, 0x1000, 0), 0);
	/* misaligned, wrapping, not mapped */
	assert_int_equal(check_refs(ux, buf + 8, 0x1000, 0), EINVAL);
	assert_int_equal(check_refs(ux, buf, 0x800, 0), EINVAL);
	assert_int_equal(check_refs(ux, (void *)(uintptr_t)-0x1000, 0x2000, 0), EINVAL);
	guard = ux_guarded(0x1000);
	assert_int_equal(check_refs(ux, guard, 0x2000, 0), EFAULT);
	ux_guarded_free(guard, 0x1000);
	munmap(buf, 0x4000);
}

static void memory_limit_and_dev_cache(void **state)
{
	struct ux *ux = *state;
	uint32_t ioas = ux_ioas(ux->fd), dev = ux_device(ux, 7);
	struct swmsi_iommu_test_cmd c = tcmd(SWMSI_IOMMU_TEST_OP_SET_TEMP_MEMORY_LIMIT, 0), a;

	c.memory_limit.limit = 11;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_TEST_CMD, &c), EINVAL);
	c.memory_limit.limit = 16;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_TEST_CMD, &c), 0);
	c.memory_limit.limit = 65536;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_TEST_CMD, &c), 0);
	assert_int_equal(mock_domain(ux->fd, ioas, 0, &a), 0);
	for (uint32_t i = 0; i < SWMSI_MOCK_DEV_CACHE_NUM; i++) {
		c = tcmd(SWMSI_IOMMU_TEST_OP_DEV_CHECK_CACHE, a.mock_domain.out_idev_id);
		c.check_dev_cache.id = i;
		c.check_dev_cache.cache = SWMSI_IOMMU_TEST_DEV_CACHE_DEFAULT;
		assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_TEST_CMD, &c), 0);
	}
	c.check_dev_cache.cache = 0;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_TEST_CMD, &c), EINVAL);
	c.check_dev_cache.cache = SWMSI_IOMMU_TEST_DEV_CACHE_DEFAULT;
	c.check_dev_cache.id = SWMSI_MOCK_DEV_CACHE_NUM;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_TEST_CMD, &c), EINVAL);
	c.check_dev_cache.id = 0;
	c.id = ioas;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_TEST_CMD, &c), ENOENT);
	c.id = dev; /* bound in-process: no mock device */
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_TEST_CMD, &c), EINVAL);
}

static int hw_info(struct ux *ux, uint32_t dev, uint32_t type, void *data, uint32_t len,
		   struct swmsi_iommu_hw_info *out)
{
	*out = (struct swmsi_iommu_hw_info){ .size = sizeof(*out),
					     .dev_id = dev,
					     .data_len = len,
					     .data_uptr = (uintptr_t)data,
					     .in_data_type = type };
	if (type)
		out->flags = SWMSI_IOMMU_HW_INFO_FLAG_INPUT_TYPE;
	return ux_ioctl(ux->fd, SWMSI_IOMMU_GET_HW_INFO, out);
}

static void get_hw_info_mock_device(void **state)
{
	struct ux *ux = *state;
	uint32_t ioas = ux_ioas(ux->fd);
	struct swmsi_iommu_test_cmd a, p;
	struct swmsi_iommu_hw_info h;
	uint32_t big[4], small = 0xffffffff;
	struct swmsi_iommu_test_hw_info info;

	assert_int_equal(mock_domain(ux->fd, ioas, 0, &a), 0);
	assert_int_equal(mock_domain(ux->fd, ioas, SWMSI_MOCK_FLAGS_DEVICE_PASID, &p), 0);
	assert_int_equal(hw_info(ux, a.mock_domain.out_idev_id, 0, NULL, 0, &h), 0);
	assert_int_equal(h.out_data_type, SWMSI_IOMMU_HW_INFO_TYPE_SELFTEST);
	assert_int_equal(h.data_len, sizeof(info));
	assert_int_equal(h.out_max_pasid_log2, 0);
	assert_int_equal(h.out_capabilities, SWMSI_IOMMU_HW_CAP_DIRTY_TRACKING);
	assert_int_equal(hw_info(ux, a.mock_domain.out_idev_id, SWMSI_IOMMU_HW_INFO_TYPE_SELFTEST,
				 &info, sizeof(info), &h),
			 0);
	assert_int_equal(info.test_reg, SWMSI_IOMMU_HW_INFO_SELFTEST_REGVAL);
	assert_int_equal(info.flags, 0);
	/* a larger buffer: its tail zeroed; a smaller one: what fits */
	memset(big, 0xff, sizeof(big));
	assert_int_equal(hw_info(ux, a.mock_domain.out_idev_id, 0, big, sizeof(big), &h), 0);
	assert_int_equal(big[1], SWMSI_IOMMU_HW_INFO_SELFTEST_REGVAL);
	assert_int_equal(big[2] | big[3], 0);
	assert_int_equal(hw_info(ux, a.mock_domain.out_idev_id, 0, &small, sizeof(small), &h), 0);
	assert_int_equal(small, 0);
	assert_int_equal(h.data_len, sizeof(info));
	/* a type the driver does not have; the PASID width */
	assert_int_equal(hw_info(ux, a.mock_domain.out_idev_id,
				 SWMSI_IOMMU_HW_INFO_TYPE_SELFTEST + 1, &info, sizeof(info), &h),
			 EOPNOTSUPP);
	assert_int_equal(hw_info(ux, p.mock_domain.out_idev_id, 0, NULL, 0, &h), 0);
	assert_int_equal(h.out_max_pasid_log2, SWMSI_MOCK_PASID_WIDTH);
	assert_int_equal(hw_info(ux, ioas, 0, NULL, 0, &h), ENOENT);
	/* a buffer that faults */
	assert_int_equal(hw_info(ux, a.mock_domain.out_idev_id, 0, (void *)8, 8, &h), EFAULT);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, ux_setup, ux_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(mock_domain_binds_attaches_shares_and_destroys),
		T(mock_domain_selftest_aperture),
		T(mock_domain_errors_leave_nothing),
		T(mock_domain_on_hwpt_and_after_default_domain),
		T(mock_domain_replace_moves_and_frees),
		T(add_reserved_blocks_maps),
		T(check_map_private_memory),
		T(check_map_shared_file_by_offset),
		T(check_refs_counts_domain_pins),
		T(memory_limit_and_dev_cache),
		T(get_hw_info_mock_device),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
