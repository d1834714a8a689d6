/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer entry point for libswmsi-uapi, as syzkaller fuzzes the
 * kernel's iommufd: the bytes are a header (scheme, page size, devices to
 * bind) and a sequence of requests, each run through swmsi_uapi_ioctl() on
 * one fd of swmsi_uapi_open(). A request carries arbitrary struct bytes and
 * size; patches then write into it object ids (mostly ones the context
 * handed out, sometimes arbitrary ones) and user pointers (into a buffer of
 * ours, NULL, a PROT_NONE page, or the last bytes before it). The struct
 * itself may sit just before the PROT_NONE page, so that reading it runs
 * off its mapping, or in read-only memory, so that its write-back faults. After every request the context's invariants are
 * checked on a snapshot (tools/snapshot), and a request that failed must
 * have changed nothing. Crashes, leaks (the fd is closed at the end of
 * every input) and undefined behaviour are findings too.
 *
 * Input format (tests/fuzz/gen_uapi_seeds.py writes it):
 *   byte 0: scheme (bits 0-1: NATIVE, KERNEL, DMA_IOMMU, KERNEL) and page
 *           shift (bits 2-3: 12, 14, 16, 12);
 *   byte 1: devices bound directly before the first request (0-3);
 *   then records until the input ends:
 *     op    u8: < 0xe0: the served request ops[op % N]; 0xe0-0xef: an
 *               arbitrary request number (u32 follows); 0xf0-0xf7: attach
 *               device (u8) to id (u8, an id selector); 0xf8-0xfb:
 *               replace; 0xfc-0xff: detach
 *     where u8 (% 5): 0: our buffer's start, 1: NULL, 2: the PROT_NONE
 *               page, 3: 0-255 bytes before the PROT_NONE page (u8
 *               follows), 4: a read-only view of a page (the write-back
 *               faults)
 *     len   u8, then len struct bytes (at most 128)
 *     size  u8: 0: the struct's size, 1: raw (the bytes' own), 2: the
 *               first version's, 3: ours + 8 with a garbage byte (u8
 *               where, u8 value follow)
 *     npatch u8 (at most 8), each: offset u8, kind u8 (0-2: the
 *               context's id number u8 % count, oldest first, 3: the same
 *               from the newest, 4: an arbitrary u32 follows,
 *               5: our aux buffer + u8, 6: NULL, 7: the PROT_NONE page,
 *               8: 0-15 bytes before it)
 *   (an id selector of a direct op counts from the oldest; the ids are the
 *   live objects, ascending, learnt before each record)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <swmsi/mock_iommu.h>
#include <swmsi/swmsi.h>
#include <swmsi/uapi.h>
#include <swmsi/uapi_abi.h>

#include "swmsi_snapshot.h"
#include "uapi_internal.h" /* the fd's mock, for the snapshot */

#define FUZZ_MAX_INPUT	   4096
#define FUZZ_MAX_STRUCT	   128
#define FUZZ_MAX_PATCHES   8
#define FUZZ_MAX_IDS	   64
#define FUZZ_MAX_MAP_BYTES (16ull << 20) /* domain page tables stay small */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint32_t requests[] = {
	SWMSI_IOMMU_DESTROY,
	SWMSI_IOMMU_IOAS_ALLOC,
	SWMSI_IOMMU_IOAS_ALLOW_IOVAS,
	SWMSI_IOMMU_IOAS_COPY,
	SWMSI_IOMMU_IOAS_IOVA_RANGES,
	SWMSI_IOMMU_IOAS_MAP,
	SWMSI_IOMMU_IOAS_UNMAP,
	SWMSI_IOMMU_OPTION,
	SWMSI_IOMMU_VFIO_IOAS,
	SWMSI_IOMMU_HWPT_ALLOC,
	SWMSI_IOMMU_GET_HW_INFO,
	SWMSI_IOMMU_HWPT_SET_DIRTY_TRACKING,
	SWMSI_IOMMU_HWPT_GET_DIRTY_BITMAP,
	SWMSI_IOMMU_HWPT_INVALIDATE,
	SWMSI_IOMMU_FAULT_QUEUE_ALLOC,
	SWMSI_IOMMU_IOAS_MAP_FILE,
	SWMSI_IOMMU_VIOMMU_ALLOC,
	SWMSI_IOMMU_VDEVICE_ALLOC,
	SWMSI_IOMMU_IOAS_CHANGE_PROCESS,
	SWMSI_IOMMU_VEVENTQ_ALLOC,
	SWMSI_IOMMU_HW_QUEUE_ALLOC,
	SWMSI_IOMMU_TEST_CMD,
	SWMSI_VFIO_DEVICE_BIND_IOMMUFD,
	SWMSI_VFIO_DEVICE_ATTACH_IOMMUFD_PT,
};
#define NREQ (sizeof(requests) / sizeof(requests[0]))

/* Each request's struct size and first version's, as the dispatch table
 * holds them: the size modes write them. Unknown requests: 0. */
static void sizes_of(uint32_t req, uint32_t *ksize, uint32_t *min)
{
#define SZ(r, type, last)                                                              \
	case r:                                                                        \
		*ksize = sizeof(struct type);                                          \
		*min = offsetof(struct type, last) + sizeof(((struct type *)0)->last); \
		return
	switch (req) {
		SZ(SWMSI_IOMMU_DESTROY, swmsi_iommu_destroy, id);
		SZ(SWMSI_IOMMU_IOAS_ALLOC, swmsi_iommu_ioas_alloc, out_ioas_id);
		SZ(SWMSI_IOMMU_IOAS_ALLOW_IOVAS, swmsi_iommu_ioas_allow_iovas, allowed_iovas);
		SZ(SWMSI_IOMMU_IOAS_COPY, swmsi_iommu_ioas_copy, src_iova);
		SZ(SWMSI_IOMMU_IOAS_IOVA_RANGES, swmsi_iommu_ioas_iova_ranges, out_iova_alignment);
		SZ(SWMSI_IOMMU_IOAS_MAP, swmsi_iommu_ioas_map, iova);
		SZ(SWMSI_IOMMU_IOAS_UNMAP, swmsi_iommu_ioas_unmap, length);
		SZ(SWMSI_IOMMU_OPTION, swmsi_iommu_option, val64);
		SZ(SWMSI_IOMMU_VFIO_IOAS, swmsi_iommu_vfio_ioas, __reserved);
		SZ(SWMSI_IOMMU_HWPT_ALLOC, swmsi_iommu_hwpt_alloc, __reserved);
		SZ(SWMSI_IOMMU_GET_HW_INFO, swmsi_iommu_hw_info, __reserved);
		SZ(SWMSI_IOMMU_HWPT_SET_DIRTY_TRACKING, swmsi_iommu_hwpt_set_dirty_tracking,
		   __reserved);
		SZ(SWMSI_IOMMU_HWPT_GET_DIRTY_BITMAP, swmsi_iommu_hwpt_get_dirty_bitmap, data);
		SZ(SWMSI_IOMMU_HWPT_INVALIDATE, swmsi_iommu_hwpt_invalidate, __reserved);
		SZ(SWMSI_IOMMU_FAULT_QUEUE_ALLOC, swmsi_iommu_fault_alloc, out_fault_fd);
		SZ(SWMSI_IOMMU_IOAS_MAP_FILE, swmsi_iommu_ioas_map_file, iova);
		SZ(SWMSI_IOMMU_VIOMMU_ALLOC, swmsi_iommu_viommu_alloc, out_viommu_id);
		SZ(SWMSI_IOMMU_VDEVICE_ALLOC, swmsi_iommu_vdevice_alloc, virt_id);
		SZ(SWMSI_IOMMU_IOAS_CHANGE_PROCESS, swmsi_iommu_ioas_change_process, __reserved);
		SZ(SWMSI_IOMMU_VEVENTQ_ALLOC, swmsi_iommu_veventq_alloc, __reserved);
		SZ(SWMSI_IOMMU_HW_QUEUE_ALLOC, swmsi_iommu_hw_queue_alloc, length);
	default:
		*ksize = 0;
		*min = 0;
	}
#undef SZ
}

/* FUZZ_UAPI_TRACE set: each request and its answer on stderr, to read what
 * an input does. */
static bool trace;

/* Our memory: a struct page, an aux page, then a PROT_NONE page; made once. */
static unsigned char *mem;
static long page;

/* And one page seen twice, through a writable view and a read-only one:
 * a struct written through the first and handed over through the second
 * reads fine and faults on its write-back. */
static unsigned char *rw_view, *ro_view;

static void mem_init(void)
{
	int fd = memfd_create("fuzz_uapi", MFD_CLOEXEC);

	page = sysconf(_SC_PAGESIZE);
	mem = mmap(NULL, 3 * (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		   0);
	if (fd < 0 || ftruncate(fd, page) || mem == MAP_FAILED ||
	    mprotect(mem + 2 * page, (size_t)page, PROT_NONE)) {
		perror("fuzz_uapi: memory");
		abort();
	}
	rw_view = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ro_view = mmap(NULL, (size_t)page, PROT_READ, MAP_SHARED, fd, 0);
	if (rw_view == MAP_FAILED || ro_view == MAP_FAILED) {
		perror("fuzz_uapi: memfd views");
		abort();
	}
	close(fd);
}

#define STRUCT_AT (mem)
#define AUX_AT	  (mem + page)
#define NONE_AT	  (mem + 2 * page)

struct input {
	const uint8_t *p;
	size_t left;
};

static uint8_t in_u8(struct input *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

static uint32_t in_u32(struct input *in)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++)
		v = v << 8 | in_u8(in);
	return v;
}

/* The fuzzing state of one input. */
struct fz {
	int fd;
	struct swmsi_ctx *ctx;
	struct mock_iommu *mock;
	uint32_t ids[FUZZ_MAX_IDS];
	size_t nids;
	uint32_t devs[3];
	size_t ndevs;
};

/* The ids the context handed out: every live object. */
static void learn_ids(struct fz *f)
{
	struct swmsi_obj_info objs[FUZZ_MAX_IDS];
	size_t n = 0;

	f->nids = 0;
	if (swmsi_obj_list(f->ctx, objs, FUZZ_MAX_IDS, &n))
		return;
	for (size_t i = 0; i < n && i < FUZZ_MAX_IDS; i++)
		f->ids[f->nids++] = objs[i].id;
}

/* The context's id number @sel, counted from the oldest, or with @newest
 * from the newest. */
static uint32_t pick_id(const struct fz *f, uint8_t sel, bool newest)
{
	if (!f->nids)
		return sel;
	return f->ids[newest ? f->nids - 1 - sel % f->nids : sel % f->nids];
}

static uint64_t pick_ptr(uint8_t kind, uint8_t arg)
{
	switch (kind) {
	case 5:
		return (uintptr_t)(AUX_AT + arg);
	case 6:
		return 0;
	case 7:
		return (uintptr_t)NONE_AT;
	default:
		return (uintptr_t)(NONE_AT - (arg & 15));
	}
}

static void apply_patches(struct fz *f, struct input *in, unsigned char *s, size_t len)
{
	unsigned int n = in_u8(in) % (FUZZ_MAX_PATCHES + 1);

	for (unsigned int i = 0; i < n; i++) {
		uint8_t off = in_u8(in), kind = in_u8(in) % 9;
		uint32_t id;
		uint64_t ptr;

		if (kind <= 4) {
			id = kind == 4 ? in_u32(in) : pick_id(f, in_u8(in), kind == 3);
			if ((size_t)off + sizeof(id) <= len)
				memcpy(s + off, &id, sizeof(id));
		} else {
			ptr = pick_ptr(kind, kind == 5 || kind == 8 ? in_u8(in) : 0);
			if ((size_t)off + sizeof(ptr) <= len)
				memcpy(s + off, &ptr, sizeof(ptr));
		}
	}
}

/* Lengths that would fill the mock's page tables are cut down; those near
 * UINT64_MAX stay, for the overflow checks. */
static void clamp_len(unsigned char *s, size_t len, size_t off)
{
	uint64_t v;

	if (off + sizeof(v) > len)
		return;
	memcpy(&v, s + off, sizeof(v));
	if (v > FUZZ_MAX_MAP_BYTES && v < UINT64_MAX - 0xffff)
		v &= FUZZ_MAX_MAP_BYTES - 1;
	memcpy(s + off, &v, sizeof(v));
}

/* A u32 count over @max keeps its low bits. */
static void clamp_u32(unsigned char *s, size_t len, size_t off, uint32_t max)
{
	uint32_t v;

	if (off + sizeof(v) > len)
		return;
	memcpy(&v, s + off, sizeof(v));
	if (v > max)
		v &= max - 1;
	memcpy(s + off, &v, sizeof(v));
}

/*
 * Bounds that keep an input in milliseconds. Besides map lengths, two
 * counts that the handlers walk one system call at a time: ALLOW_IOVAS's
 * num_iovas (cmd_ioas.c reads up to 2^32 ranges, one process_vm_readv()
 * each, where upstream stops at the second range that overlaps the first:
 * a pointer into readable zeros, ASan's shadow say, runs for hours) and
 * GET_HW_INFO's data_len (up to 4 GiB of the caller's memory zeroed 256
 * bytes a call).
 */
static void clamp(uint32_t req, unsigned char *s, size_t len)
{
	if (req == SWMSI_IOMMU_IOAS_ALLOW_IOVAS)
		clamp_u32(s, len, offsetof(struct swmsi_iommu_ioas_allow_iovas, num_iovas), 64);
	else if (req == SWMSI_IOMMU_GET_HW_INFO)
		clamp_u32(s, len, offsetof(struct swmsi_iommu_hw_info, data_len), 1u << 16);
	else if (req == SWMSI_IOMMU_IOAS_MAP)
		clamp_len(s, len, offsetof(struct swmsi_iommu_ioas_map, length));
	else if (req == SWMSI_IOMMU_IOAS_MAP_FILE)
		clamp_len(s, len, offsetof(struct swmsi_iommu_ioas_map_file, length));
	else if (req == SWMSI_IOMMU_IOAS_COPY)
		clamp_len(s, len, offsetof(struct swmsi_iommu_ioas_copy, length));
}

static void set_size(struct input *in, uint32_t req, unsigned char *s, size_t *len)
{
	uint32_t ksize, min, size;
	uint8_t mode = in_u8(in) % 4;

	sizes_of(req, &ksize, &min);
	if (mode == 1 || !ksize)
		return; /* the bytes' own */
	size = mode == 0 ? ksize : mode == 2 ? min : ksize + 8;
	if (mode == 3 && ksize + 8 <= FUZZ_MAX_STRUCT) {
		uint8_t at = in_u8(in) & 7, garbage = in_u8(in);

		memset(s + ksize, 0, 8);
		s[ksize + at] = garbage;
	}
	if (*len < size)
		*len = size;
	if (*len > FUZZ_MAX_STRUCT)
		*len = FUZZ_MAX_STRUCT;
	memcpy(s, &size, sizeof(size) <= *len ? sizeof(size) : *len);
}

/* Where the struct goes: our page, NULL, the PROT_NONE page, or @back
 * bytes before it, so that its end (or all of it) is unmapped. */
static void *place(uint8_t where, uint8_t back, const unsigned char *s, size_t len)
{
	unsigned char *at;

	if (where == 1)
		return NULL;
	if (where == 2)
		return NONE_AT;
	/* the bytes past the struct are zeros, never an earlier request's: a
	 * size larger than the struct reads them, and the bounds above hold */
	if (where == 4) {
		memcpy(rw_view, s, len);
		memset(rw_view + len, 0, (size_t)page - len);
		return ro_view;
	}
	if (where == 0) {
		memcpy(STRUCT_AT, s, len);
		memset(STRUCT_AT + len, 0, (size_t)page - len);
		return STRUCT_AT;
	}
	at = NONE_AT - back;
	memcpy(at, s, len < (size_t)back ? len : (size_t)back);
	return at;
}

static void fail(const char *what, const char *detail, uint64_t a, uint64_t b)
{
	fprintf(stderr, "fuzz_uapi: invariant broken: %s (%s: %#llx, %#llx)\n", what, detail,
		(unsigned long long)a, (unsigned long long)b);
	abort();
}

/* An IOAS's user mappings: ascending, non-empty, disjoint. */
static void check_ioas(const struct snapshot_ioas *io)
{
	for (size_t i = 0; i < io->nmaps; i++) {
		const struct swmsi_mapping *m = &io->maps[i];

		if (!m->length || m->iova + (m->length - 1) < m->iova)
			fail("mapping non-empty, inside the IOVA space", "iova, length", m->iova,
			     m->length);
		if (i && io->maps[i - 1].iova + (io->maps[i - 1].length - 1) >= m->iova)
			fail("mappings disjoint, ascending", "iova, previous", m->iova,
			     io->maps[i - 1].iova);
	}
}

/* A paging HWPT's domain translates the first and last page of every user
 * mapping of its IOAS to the mapping's address. */
static void check_paging(struct fz *f, const struct snapshot *sn, const struct snapshot_hwpt *h)
{
	const struct snapshot_ioas *io = snapshot_ioas(sn, h->info.ioas_id);
	uint64_t pa, ends[2];

	if (!io)
		fail("a paging HWPT's IOAS exists", "hwpt, ioas", h->id, h->info.ioas_id);
	if (!h->info.domain)
		fail("a paging HWPT has a domain", "hwpt", h->id, 0);
	for (size_t i = 0; i < io->nmaps; i++) {
		const struct swmsi_mapping *m = &io->maps[i];

		ends[0] = 0;
		ends[1] = (m->length - 1) & ~(uint64_t)(page - 1);
		for (int e = 0; e < 2; e++) {
			int rc = swmsi_hwpt_iova_to_phys(f->ctx, h->id, m->iova + ends[e], &pa);

			if (rc || pa != m->paddr + ends[e])
				fail("a domain maps its IOAS's mappings", "iova, rc",
				     m->iova + ends[e], (uint64_t)rc);
		}
	}
}

static void check_snapshot(struct fz *f, const struct snapshot *sn)
{
	for (size_t i = 1; i < sn->nobjs; i++)
		if (sn->objs[i - 1].id >= sn->objs[i].id)
			fail("object ids unique, ascending", "ids", sn->objs[i - 1].id,
			     sn->objs[i].id);
	for (size_t i = 0; i < sn->nioas; i++)
		check_ioas(&sn->ioas[i]);
	for (size_t i = 0; i < sn->nhwpts; i++)
		if (sn->hwpts[i].info.type == SWMSI_OBJ_HWPT_PAGING)
			check_paging(f, sn, &sn->hwpts[i]);
	for (size_t i = 0; i < sn->ndevs; i++) {
		const struct snapshot_dev *d = &sn->devs[i];

		if (d->info.hwpt_id && !snapshot_hwpt(sn, d->info.hwpt_id))
			fail("an attached device's HWPT exists", "dev, hwpt", d->id,
			     d->info.hwpt_id);
	}
	if (mock_iommu_misuse_count(f->mock))
		fail("the library never misuses the mock", "count",
		     mock_iommu_misuse_count(f->mock), 0);
}

/* Takes @sn; false when out of memory (nothing to check then). */
static bool snap(struct fz *f, struct snapshot *sn)
{
	int rc = snapshot_take(f->ctx, f->mock, sn);

	if (rc == -ENOMEM)
		return false;
	if (rc)
		fail("the context can be inspected", "rc", (uint64_t)rc, 0);
	return true;
}

/* An unmap whose write-back faulted (its struct read-only) stays done, as
 * upstream's: it unmaps, then copies the length out. */
static bool unmap_done(uint32_t req, uint8_t where)
{
	return req == SWMSI_IOMMU_IOAS_UNMAP && where == 4 && errno == EFAULT;
}

/* One ioctl record; the snapshots around it say what it did. */
static void one_request(struct fz *f, struct input *in, uint8_t op)
{
	unsigned char s[FUZZ_MAX_STRUCT + 8] = { 0 };
	uint32_t req = op < 0xe0 ? requests[op % NREQ] : in_u32(in);
	uint8_t where = in_u8(in) % 5, back = where == 3 ? in_u8(in) : 0;
	size_t len = in_u8(in) % (FUZZ_MAX_STRUCT + 1);
	struct snapshot before, after;
	struct snapshot_delta d;
	bool have_before;
	void *arg;
	int rc;

	for (size_t i = 0; i < len; i++)
		s[i] = in_u8(in);
	set_size(in, req, s, &len);
	apply_patches(f, in, s, len);
	clamp(req, s, len);
	memcpy(AUX_AT, s, len); /* arrays the struct points at read fuzzed bytes */
	arg = place(where, back, s, len);
	have_before = snap(f, &before);
	rc = swmsi_uapi_ioctl(f->fd, req, arg);
	if (trace)
		fprintf(stderr, "fuzz_uapi: request %#x at %p: %d (%s)\n", req, arg, rc,
			rc ? swmsi_errno_name(-errno) : "ok");
	if (rc != 0 && rc != -1)
		fail("ioctl(2)'s return contract", "request, rc", req, (uint64_t)rc);
	if (rc == -1 && errno <= 0)
		fail("a failure sets errno", "request, errno", req, (uint64_t)errno);
	if (have_before && snap(f, &after)) {
		check_snapshot(f, &after);
		/* EMSGSIZE: IOVA_RANGES writes back its count, nothing else */
		if (rc == -1 && !unmap_done(req, where) &&
		    snapshot_diff(&before, &after, SNAPSHOT_RESTORED, &d)) {
			fprintf(stderr, "fuzz_uapi: request %#x failed (errno %d) but changed %s\n",
				req, errno, d.what);
			fail("a failed request changes nothing", "before, after", d.before,
			     d.after);
		}
		snapshot_free(&after);
	}
	if (have_before)
		snapshot_free(&before);
}

/* Devices bound and attached directly, as an in-process program does until
 * device fds come: the requests then meet domains. */
static void one_direct(struct fz *f, struct input *in, uint8_t op)
{
	uint8_t dev = in_u8(in), sel = in_u8(in);
	uint32_t id = pick_id(f, sel, false);
	struct snapshot sn;

	if (!f->ndevs)
		return;
	dev %= f->ndevs;
	if (op < 0xf8)
		swmsi_device_attach(f->ctx, f->devs[dev], id);
	else if (op < 0xfc)
		swmsi_device_replace(f->ctx, f->devs[dev], id);
	else
		swmsi_device_detach(f->ctx, f->devs[dev]);
	if (snap(f, &sn)) {
		check_snapshot(f, &sn);
		snapshot_free(&sn);
	}
}

static int open_fd(struct fz *f, struct input *in)
{
	static const enum swmsi_scheme schemes[] = { SWMSI_SCHEME_NATIVE, SWMSI_SCHEME_KERNEL,
						     SWMSI_SCHEME_DMA_IOMMU, SWMSI_SCHEME_KERNEL };
	static const unsigned int shifts[] = { 12, 14, 16, 12 };
	uint8_t h = in_u8(in), ndev = in_u8(in) % 4;
	struct swmsi_uapi_opts o = { 0 };
	struct swmsi__uapi_file *file;

	o.scheme = schemes[h & 3] | SWMSI_UAPI_SCHEME_EXPLICIT;
	o.page_shift = shifts[(h >> 2) & 3];
	f->fd = swmsi_uapi_open(&o);
	if (f->fd < 0)
		return -1;
	f->ctx = swmsi_uapi_ctx(f->fd);
	file = swmsi__uapi_file_get(f->fd);
	f->mock = file->mock;
	swmsi__uapi_file_put(file); /* the fd's reference keeps it */
	for (uint8_t i = 0; i < ndev; i++) {
		struct swmsi_device_desc desc = {
			.group = i + 1u,
			/* one device without a window, as on x86 */
			.sw_msi_start = i == 2 ? SWMSI_PHYS_NONE : 0x8000000,
			.sw_msi_size = 0x100000,
		};

		if (!swmsi_device_bind(f->ctx, &desc, &f->devs[f->ndevs]))
			f->ndevs++;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct fz f = { 0 };

	if (size > FUZZ_MAX_INPUT)
		return -1; /* not added to the corpus */
	if (!mem) {
		mem_init();
		trace = getenv("FUZZ_UAPI_TRACE") != NULL;
	}
	memset(mem, 0, 2 * (size_t)page);
	if (open_fd(&f, &in))
		return 0;
	while (in.left) {
		uint8_t op = in_u8(&in);

		learn_ids(&f);
		if (op >= 0xf0)
			one_direct(&f, &in, op);
		else
			one_request(&f, &in, op);
	}
	if (swmsi_uapi_close(f.fd))
		fail("close of an open fd succeeds", "fd", (uint64_t)f.fd, 0);
	return 0;
}
