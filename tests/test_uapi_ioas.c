// SPDX-License-Identifier: MIT
/*
 * The IOAS family through swmsi_uapi_ioctl(): IOMMU_IOAS_ALLOC, _MAP,
 * _MAP_FILE, _UNMAP, _IOVA_RANGES, _ALLOW_IOVAS, _COPY, _CHANGE_PROCESS,
 * and IOMMU_DESTROY. Every error path each checks, in upstream's order,
 * and what a success leaves in the context.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>

#include "uapi_fixture.h"

#define RW (SWMSI_IOMMU_IOAS_MAP_READABLE | SWMSI_IOMMU_IOAS_MAP_WRITEABLE)
#define VA 0x40000000ull

static void ioas_alloc_flags_and_ids(void **state)
{
	struct ux *ux = *state;
	struct swmsi_iommu_ioas_alloc cmd = { .size = sizeof(cmd), .flags = 1 };
	enum swmsi_obj_type t;
	uint32_t a, b;
	size_t n;

	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_ALLOC, &cmd), EOPNOTSUPP);
	assert_int_equal(cmd.out_ioas_id, 0);
	assert_int_equal(swmsi_obj_list(ux->ctx, NULL, 0, &n), 0);
	assert_int_equal(n, 0);
	a = ux_ioas(ux->fd);
	b = ux_ioas(ux->fd);
	assert_int_not_equal(a, b);
	assert_int_equal(swmsi_obj_type(ux->ctx, a, &t), 0);
	assert_int_equal(t, SWMSI_OBJ_IOAS);
}

static void destroy_ids_stale_and_busy(void **state)
{
	struct ux *ux = *state;
	uint32_t ioas = ux_ioas(ux->fd), hwpt, dev = ux_device(ux, 1);
	struct swmsi_iommu_destroy cmd = { .size = sizeof(cmd), .id = ioas };

	assert_int_equal(swmsi_hwpt_alloc(ux->ctx, ioas, 0, &hwpt), 0);
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_DESTROY, &cmd), EBUSY);
	cmd.id = dev; /* a bound device is its VFIO file's */
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_DESTROY, &cmd), EBUSY);
	cmd.id = hwpt;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_DESTROY, &cmd), 0);
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_DESTROY, &cmd), ENOENT);
	cmd.id = ioas;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_DESTROY, &cmd), 0);
	cmd.id = 0;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_DESTROY, &cmd), ENOENT);
}

static void map_checks_in_upstream_order(void **state)
{
	struct ux *ux = *state;
	uint32_t ioas = ux_ioas(ux->fd), hwpt;
	struct swmsi_iommu_ioas_map cmd = { .size = sizeof(cmd),
					    .flags = 1u << 3,
					    .ioas_id = 999,
					    .user_va = VA,
					    .length = UINT64_MAX,
					    .iova = 0x100000 };

	/* unknown flags first, then a non-zero reserved field */
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_MAP, &cmd), EOPNOTSUPP);
	cmd.flags = SWMSI_IOMMU_IOAS_MAP_FIXED_IOVA;
	cmd.__reserved = 1;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_MAP, &cmd), EOPNOTSUPP);
	cmd.__reserved = 0;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_MAP, &cmd), EOVERFLOW);
	cmd.length = 0x1000;
	cmd.iova = UINT64_MAX;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_MAP, &cmd), EOVERFLOW);
	cmd.iova = 0x100000;
	/* neither readable nor writeable */
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_MAP, &cmd), EINVAL);
	cmd.flags |= RW;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_MAP, &cmd), ENOENT);
	/* the wrong kind of object */
	assert_int_equal(swmsi_hwpt_alloc(ux->ctx, ioas, 0, &hwpt), 0);
	cmd.ioas_id = hwpt;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_MAP, &cmd), ENOENT);
	cmd.ioas_id = ioas;
	/* an IOVA the kernel would allocate: not served yet */
	cmd.flags &= ~(uint32_t)SWMSI_IOMMU_IOAS_MAP_FIXED_IOVA;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_MAP, &cmd), EOPNOTSUPP);
}

static void map_fixed_lands_in_ioas_and_domains(void **state)
{
	struct ux *ux = *state;
	uint32_t ioas = ux_ioas(ux->fd), hwpt;
	struct swmsi_mapping m;
	uint64_t pa;
	size_t n;

	assert_int_equal(swmsi_hwpt_alloc(ux->ctx, ioas, 0, &hwpt), 0);
	assert_int_equal(ux_map(ux->fd, ioas, 0x100000, VA, 0x2000), 0);
	assert_int_equal(swmsi_ioas_mapping_list(ux->ctx, ioas, &m, 1, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(m.iova, 0x100000);
	assert_int_equal(m.paddr, VA); /* user_va stands for the physical address */
	assert_int_equal(m.length, 0x2000);
	assert_int_equal(m.prot, SWMSI_PROT_READ | SWMSI_PROT_WRITE);
	assert_int_equal(swmsi_hwpt_iova_to_phys(ux->ctx, hwpt, 0x101000, &pa), 0);
	assert_int_equal(pa, VA + 0x1000);
	/* overlapping: EEXIST, and nothing added */
	assert_int_equal(ux_map(ux->fd, ioas, 0x101000, VA, 0x2000), EEXIST);
	/* not page aligned: the model maps pages */
	assert_int_equal(ux_map(ux->fd, ioas, 0x200010, VA, 0x1000), EINVAL);
	assert_int_equal(swmsi_ioas_mapping_list(ux->ctx, ioas, NULL, 0, &n), 0);
	assert_int_equal(n, 1);
}

static void map_writes_back_iova_or_undoes(void **state)
{
	struct ux *ux = *state;
	uint32_t ioas = ux_ioas(ux->fd);
	struct swmsi_iommu_ioas_map *cmd = ux_guarded(sizeof(*cmd));
	size_t n;

	memset(cmd, 0, sizeof(*cmd));
	cmd->size = sizeof(*cmd);
	cmd->flags = SWMSI_IOMMU_IOAS_MAP_FIXED_IOVA | SWMSI_IOMMU_IOAS_MAP_READABLE;
	cmd->ioas_id = ioas;
	cmd->user_va = VA;
	cmd->length = 0x1000;
	cmd->iova = 0x300000;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_MAP, cmd), 0);
	assert_int_equal(cmd->iova, 0x300000);
	/* a struct that turns read-only: the write-back faults, the map is undone */
	cmd->iova = 0x400000;
	assert_int_equal(mprotect((void *)((uintptr_t)cmd & ~(uintptr_t)4095), 4096, PROT_READ), 0);
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_MAP, cmd), EFAULT);
	assert_int_equal(swmsi_ioas_mapping_list(ux->ctx, ioas, NULL, 0, &n), 0);
	assert_int_equal(n, 1);
	ux_guarded_free(cmd, sizeof(*cmd));
}

static void map_file_checks(void **state)
{
	struct ux *ux = *state;
	uint32_t ioas = ux_ioas(ux->fd);
	struct swmsi_iommu_ioas_map_file cmd = {
		.size = sizeof(cmd), .flags = 1u << 4, .ioas_id = ioas, .fd = -1, .length = 0x1000
	};

	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_MAP_FILE, &cmd), EOPNOTSUPP);
	cmd.flags = 0;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_MAP_FILE, &cmd), EINVAL);
	cmd.flags = RW;
	cmd.ioas_id = ioas + 100;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_MAP_FILE, &cmd), ENOENT);
	cmd.ioas_id = ioas;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_MAP_FILE, &cmd), EBADF);
	cmd.fd = ux->fd;
	/* file-backed areas come with the io_pagetable calls */
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_MAP_FILE, &cmd), EOPNOTSUPP);
}

static int unmap(int fd, uint32_t ioas, uint64_t iova, uint64_t length, uint64_t *out)
{
	struct swmsi_iommu_ioas_unmap cmd = {
		.size = sizeof(cmd), .ioas_id = ioas, .iova = iova, .length = length
	};
	int err = ux_ioctl(fd, SWMSI_IOMMU_IOAS_UNMAP, &cmd);

	*out = cmd.length;
	return err;
}

static void unmap_ranges_and_everything(void **state)
{
	struct ux *ux = *state;
	uint32_t ioas = ux_ioas(ux->fd);
	uint64_t len;
	size_t n;

	assert_int_equal(unmap(ux->fd, ioas + 50, 0, UINT64_MAX, &len), ENOENT);
	/* everything of an empty IOAS: success, nothing unmapped */
	assert_int_equal(unmap(ux->fd, ioas, 0, UINT64_MAX, &len), 0);
	assert_int_equal(len, 0);
	assert_int_equal(ux_map(ux->fd, ioas, 0x100000, VA, 0x1000), 0);
	assert_int_equal(ux_map(ux->fd, ioas, 0x200000, VA, 0x3000), 0);
	assert_int_equal(ux_map(ux->fd, ioas, 0x400000, VA, 0x1000), 0);
	/* nothing inside, a straddled area, an overflow, a zero length */
	assert_int_equal(unmap(ux->fd, ioas, 0x800000, 0x1000, &len), ENOENT);
	assert_int_equal(unmap(ux->fd, ioas, 0x201000, 0x1000, &len), ENOENT);
	assert_int_equal(len, 0x1000); /* not written back on failure */
	assert_int_equal(unmap(ux->fd, ioas, UINT64_MAX, 0x1000, &len), EOVERFLOW);
	assert_int_equal(unmap(ux->fd, ioas, 0xfffffffffffff000ull, 0x2000, &len), EOVERFLOW);
	assert_int_equal(unmap(ux->fd, ioas, 0x100000, 0, &len), EINVAL);
	/* nothing wholly inside an unaligned range: ENOENT, as upstream */
	assert_int_equal(unmap(ux->fd, ioas, 0x100010, 0x10, &len), ENOENT);
	/* a range holding two whole areas: the bytes unmapped come back */
	assert_int_equal(unmap(ux->fd, ioas, 0x100000, 0x200000, &len), 0);
	assert_int_equal(len, 0x4000);
	assert_int_equal(ux_map(ux->fd, ioas, 0x100000, VA, 0x1000), 0);
	assert_int_equal(unmap(ux->fd, ioas, 0, UINT64_MAX, &len), 0);
	assert_int_equal(len, 0x2000);
	assert_int_equal(swmsi_ioas_mapping_list(ux->ctx, ioas, NULL, 0, &n), 0);
	assert_int_equal(n, 0);
}

static int ranges(int fd, struct swmsi_iommu_ioas_iova_ranges *cmd, uint32_t ioas, void *arr,
		  uint32_t room)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->size = sizeof(*cmd);
	cmd->ioas_id = ioas;
	cmd->num_iovas = room;
	cmd->allowed_iovas = (uintptr_t)arr;
	return ux_ioctl(fd, SWMSI_IOMMU_IOAS_IOVA_RANGES, cmd);
}

static void iova_ranges_report(void **state)
{
	struct ux *ux = *state;
	uint32_t ioas = ux_ioas(ux->fd), dev = ux_device(ux, 1), hwpt;
	struct swmsi_iommu_ioas_iova_ranges cmd;
	struct swmsi_iommu_iova_range r[4];

	assert_int_equal(ranges(ux->fd, &cmd, ioas + 9, r, 4), ENOENT);
	cmd.__reserved = 1;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_IOVA_RANGES, &cmd), EOPNOTSUPP);
	assert_int_equal(ranges(ux->fd, &cmd, ioas, r, 4), 0);
	assert_int_equal(cmd.num_iovas, 1);
	assert_int_equal(r[0].start, 0);
	assert_int_equal(r[0].last, UINT64_MAX);
	assert_int_equal(cmd.out_iova_alignment, 1);
	/* a domain and an attached device's window narrow the ranges */
	assert_int_equal(swmsi_hwpt_alloc(ux->ctx, ioas, 0, &hwpt), 0);
	assert_int_equal(swmsi_device_attach(ux->ctx, dev, hwpt), 0);
	assert_int_equal(ranges(ux->fd, &cmd, ioas, r, 4), 0);
	assert_int_equal(cmd.num_iovas, 2);
	assert_int_equal(r[0].start, 0);
	assert_int_equal(r[0].last, 0x8000000 - 1);
	assert_int_equal(r[1].start, 0x8100000);
	assert_int_equal(cmd.out_iova_alignment, 4096);
	/* short: the count it needs and the alignment come back with EMSGSIZE */
	memset(r, 0, sizeof(r));
	assert_int_equal(ranges(ux->fd, &cmd, ioas, r, 1), EMSGSIZE);
	assert_int_equal(cmd.num_iovas, 2);
	assert_int_equal(cmd.out_iova_alignment, 4096);
	assert_int_equal(r[0].last, 0x8000000 - 1);
	assert_int_equal(r[1].start, 0); /* nothing past the room given */
	/* no room and no array is fine; a bad array is EFAULT */
	assert_int_equal(ranges(ux->fd, &cmd, ioas, NULL, 0), EMSGSIZE);
	assert_int_equal(cmd.num_iovas, 2);
	assert_int_equal(ranges(ux->fd, &cmd, ioas, NULL, 2), EFAULT);
	assert_int_equal(swmsi_device_detach(ux->ctx, dev), 0);
}

static void allow_iovas_and_copy_checked_then_unserved(void **state)
{
	struct ux *ux = *state;
	uint32_t a = ux_ioas(ux->fd), b = ux_ioas(ux->fd);
	struct swmsi_iommu_iova_range r[2] = { { 0x1000, 0x1fff }, { 0x3000, 0x2fff } };
	struct swmsi_iommu_ioas_allow_iovas allow = {
		.size = sizeof(allow), .ioas_id = a, .num_iovas = 2, .allowed_iovas = (uintptr_t)r
	};
	struct swmsi_iommu_ioas_copy copy = { .size = sizeof(copy),
					      .flags = 1u << 7,
					      .dst_ioas_id = b,
					      .src_ioas_id = a,
					      .length = 0x1000 };

	allow.__reserved = 1;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_ALLOW_IOVAS, &allow), EOPNOTSUPP);
	allow.__reserved = 0;
	allow.ioas_id = b + 1;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_ALLOW_IOVAS, &allow), ENOENT);
	allow.ioas_id = a;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_ALLOW_IOVAS, &allow), EINVAL);
	allow.allowed_iovas = 0;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_ALLOW_IOVAS, &allow), EFAULT);
	allow.num_iovas = 1;
	allow.allowed_iovas = (uintptr_t)r;
	/* allowed ranges come with the io_pagetable calls */
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_ALLOW_IOVAS, &allow), EOPNOTSUPP);

	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_COPY, &copy), EOPNOTSUPP);
	copy.flags = 0;
	copy.length = UINT64_MAX;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_COPY, &copy), EOVERFLOW);
	copy.length = 0x1000;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_COPY, &copy), EINVAL);
	copy.flags = RW;
	copy.src_ioas_id = b + 1;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_COPY, &copy), ENOENT);
	copy.src_ioas_id = a;
	copy.dst_ioas_id = b + 1;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_COPY, &copy), ENOENT);
	copy.dst_ioas_id = b;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_COPY, &copy), EOPNOTSUPP);
}

static void change_process_one_process(void **state)
{
	struct ux *ux = *state;
	struct swmsi_iommu_ioas_change_process cmd = { .size = sizeof(cmd), .__reserved = 1 };
	uint32_t ioas;

	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_CHANGE_PROCESS, &cmd), EOPNOTSUPP);
	cmd.__reserved = 0;
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_CHANGE_PROCESS, &cmd), 0);
	ioas = ux_ioas(ux->fd);
	assert_int_equal(ux_map(ux->fd, ioas, 0x100000, VA, 0x1000), 0);
	/* only file-backed maps can change process */
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_CHANGE_PROCESS, &cmd), EINVAL);
}

/* An unmap whose write-back of the bytes unmapped faults answers EFAULT
 * with the area gone, as upstream's iommufd_ioas_unmap() does: it unmaps,
 * then copies the length out. (A map or an allocation is undone instead;
 * an unmap would have to map again.) Found by fuzz_uapi, whose "a failed
 * request changes nothing" check knows this exception. */
static void unmap_write_back_fault_leaves_it_unmapped(void **state)
{
	struct ux *ux = *state;
	uint32_t ioas = ux_ioas(ux->fd);
	struct swmsi_iommu_ioas_unmap *cmd = ux_guarded(sizeof(*cmd));
	size_t n;

	assert_int_equal(ux_map(ux->fd, ioas, 0x100000, VA, 0x2000), 0);
	memset(cmd, 0, sizeof(*cmd));
	cmd->size = sizeof(*cmd);
	cmd->ioas_id = ioas;
	cmd->iova = 0x100000;
	cmd->length = 0x2000;
	assert_int_equal(mprotect((void *)((uintptr_t)cmd & ~(uintptr_t)4095), 4096, PROT_READ), 0);
	assert_int_equal(ux_ioctl(ux->fd, SWMSI_IOMMU_IOAS_UNMAP, cmd), EFAULT);
	assert_int_equal(swmsi_ioas_mapping_list(ux->ctx, ioas, NULL, 0, &n), 0);
	assert_int_equal(n, 0);
	/* the struct was left as the caller wrote it */
	assert_int_equal(cmd->length, 0x2000);
	ux_guarded_free(cmd, sizeof(*cmd));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, ux_setup, ux_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(ioas_alloc_flags_and_ids),
		T(destroy_ids_stale_and_busy),
		T(map_checks_in_upstream_order),
		T(map_fixed_lands_in_ioas_and_domains),
		T(map_writes_back_iova_or_undoes),
		T(map_file_checks),
		T(unmap_ranges_and_everything),
		T(iova_ranges_report),
		T(allow_iovas_and_copy_checked_then_unserved),
		T(change_process_one_process),
		T(unmap_write_back_fault_leaves_it_unmapped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
