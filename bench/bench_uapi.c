/* SPDX-License-Identifier: MIT */
/*
 * bench_uapi: the cost of the uAPI path (swmsi_uapi_ioctl() in-process)
 * against the direct call (swmsi_*) it makes, measured in the same run on
 * the same context (swmsi_uapi_ctx() of the fd), for
 *  - IOAS map + unmap of one page, with no domain and with a mock domain
 *    attached to the IOAS;
 *  - attach and replace: the selftest mock's MOCK_DOMAIN + DESTROY against
 *    swmsi_device_bind + attach + detach + unbind, MOCK_DOMAIN_REPLACE
 *    against swmsi_device_replace, when IOMMU_TEST_CMD is served (a build
 *    without it says so and times the direct calls alone);
 *  - mapping 64 GiB of guest RAM (a MAP_NORESERVE anonymous mapping, 64 MiB
 *    under --quick) through IOAS_MAP with the mock domain present, then
 *    unmapping it: one timed call each way, not a median.
 * A uAPI request reads its struct from the caller's memory and writes its
 * out fields back as a plain copy when they lie in live frames of the
 * calling thread's stack (as here, and in most callers), else through
 * process_vm_readv(2)/process_vm_writev(2), so that a bad pointer is
 * EFAULT, never a crash: the cost of that slow path is printed too (one
 * read and one write of 4 bytes), and the overhead per request left on
 * the fast one. The direct calls are those the requests make
 * (swmsi_ioas_map_user() and swmsi_ioas_unmap_range()). The target is a
 * ratio of at most 1.5 for map/unmap, attach and replace; --check makes a
 * miss the exit code. Nothing here asserts a time in the test run.
 */
#define _GNU_SOURCE
#include "bench.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <swmsi/uapi.h>
#include <swmsi/uapi_abi.h>

#define TARGET_RATIO 1.5
#define IOVA	     0x40000000ull /* inside the selftest mock's aperture too */
#define RW	     (SWMSI_PROT_READ | SWMSI_PROT_WRITE)

/*
 * IOMMU_TEST_CMD's struct, as the kernel's selftest header lays it out
 * (the ABI is a fact): this benchmark needs only MOCK_DOMAIN (op 2) and
 * MOCK_DOMAIN_REPLACE (op 10). A build whose uAPI does not serve the
 * request answers ENOTTY, and the two rows say so.
 */
struct test_cmd {
	uint32_t size, op, id, reserved;
	union {
		struct {
			uint32_t out_stdev_id, out_hwpt_id, out_idev_id;
		} mock_domain;
		struct {
			uint32_t pt_id;
		} replace;
		uint64_t raw[6];
	};
	uint32_t last;
};
#define TEST_OP_MOCK_DOMAIN	    2
#define TEST_OP_MOCK_DOMAIN_REPLACE 10

struct uenv {
	int fd;
	struct swmsi_ctx *ctx;
	uint32_t ioas;
	uint32_t dev;	     /* bound directly, attached to ioas for the domain rows */
	uint32_t hwpt[2];    /* replace moves dev between these */
	void *page;	     /* the one page a map names */
	uint32_t stdev;	     /* a MOCK_DOMAIN device, when served */
	bool test_cmd;	     /* IOMMU_TEST_CMD answers */
	uint32_t direct_dev; /* attach row: bound and unbound each iteration */
};

static void ioctl_ok(struct uenv *u, unsigned long req, void *arg, const char *what)
{
	if (swmsi_uapi_ioctl(u->fd, req, arg))
		bench_ok(-errno, what);
}

static int op_map_direct(void *arg, size_t iters)
{
	struct uenv *u = arg;
	int rc = 0;

	/* the calls IOMMU_IOAS_MAP and IOMMU_IOAS_UNMAP stand for (a user VA,
	 * checked mapped once a domain needs its pages), not the v0.1
	 * physical-address map, which checks nothing of the kind */
	for (size_t i = 0; i < iters && !rc; i++) {
		uint64_t iova = IOVA, len = 0;

		rc = swmsi_ioas_map_user(u->ctx, u->ioas,
					 SWMSI_IOAS_MAP_FIXED_IOVA | SWMSI_IOAS_MAP_READABLE |
						 SWMSI_IOAS_MAP_WRITEABLE,
					 (uintptr_t)u->page, BENCH_PAGE_SIZE, &iova);
		if (!rc)
			rc = swmsi_ioas_unmap_range(u->ctx, u->ioas, IOVA, BENCH_PAGE_SIZE, &len);
	}
	return rc;
}

static int op_map_uapi(void *arg, size_t iters)
{
	struct uenv *u = arg;
	struct swmsi_iommu_ioas_map map = {
		.size = sizeof(map),
		.flags = SWMSI_IOMMU_IOAS_MAP_FIXED_IOVA | SWMSI_IOMMU_IOAS_MAP_READABLE |
			 SWMSI_IOMMU_IOAS_MAP_WRITEABLE,
		.ioas_id = u->ioas,
		.user_va = (uintptr_t)u->page,
		.length = BENCH_PAGE_SIZE,
		.iova = IOVA,
	};
	struct swmsi_iommu_ioas_unmap unmap = {
		.size = sizeof(unmap), .ioas_id = u->ioas, .iova = IOVA, .length = BENCH_PAGE_SIZE
	};

	for (size_t i = 0; i < iters; i++) {
		if (swmsi_uapi_ioctl(u->fd, SWMSI_IOMMU_IOAS_MAP, &map) ||
		    swmsi_uapi_ioctl(u->fd, SWMSI_IOMMU_IOAS_UNMAP, &unmap))
			return -errno;
		unmap.length = BENCH_PAGE_SIZE; /* written back: the bytes unmapped */
	}
	return 0;
}

/* What every request pays for its user memory at least: one read of the
 * struct, one write-back. */
static int op_syscall_floor(void *arg, size_t iters)
{
	struct uenv *u = arg;
	uint32_t v = 0;
	struct iovec l = { &v, sizeof(v) }, r = { u->page, sizeof(v) };
	pid_t pid = getpid();

	for (size_t i = 0; i < iters; i++)
		if (process_vm_readv(pid, &l, 1, &r, 1, 0) != sizeof(v) ||
		    process_vm_writev(pid, &l, 1, &r, 1, 0) != sizeof(v))
			return -errno;
	return 0;
}

/* The cheapest system call there is, for scale: a request that made even
 * one would cost this much over the direct call. */
static int op_null_syscall(void *arg, size_t iters)
{
	(void)arg;
	for (size_t i = 0; i < iters; i++)
		bench_sink += (uint64_t)syscall(SYS_getppid);
	return 0;
}

/* Attach as a VMM's device open does: bind, attach, then detach, unbind. */
static int op_attach_direct(void *arg, size_t iters)
{
	struct uenv *u = arg;
	struct swmsi_device_desc desc = { .group = 100, .sw_msi_start = SWMSI_PHYS_NONE };
	uint32_t dev;
	int rc = 0;

	for (size_t i = 0; i < iters && !rc; i++) {
		rc = swmsi_device_bind(u->ctx, &desc, &dev);
		if (rc)
			break;
		rc = swmsi_device_attach(u->ctx, dev, u->hwpt[0]);
		if (!rc)
			rc = swmsi_device_detach(u->ctx, dev);
		if (!rc)
			rc = swmsi_device_unbind(u->ctx, dev);
	}
	return rc;
}

/* The selftest mock's attach: MOCK_DOMAIN makes, binds and attaches a
 * device; destroying its object detaches and unbinds it. */
static int op_attach_uapi(void *arg, size_t iters)
{
	struct uenv *u = arg;
	struct test_cmd cmd;
	struct swmsi_iommu_destroy destroy = { .size = sizeof(destroy) };

	for (size_t i = 0; i < iters; i++) {
		memset(&cmd, 0, sizeof(cmd));
		cmd.size = sizeof(cmd);
		cmd.op = TEST_OP_MOCK_DOMAIN;
		cmd.id = u->hwpt[0];
		if (swmsi_uapi_ioctl(u->fd, SWMSI_IOMMU_TEST_CMD, &cmd))
			return -errno;
		destroy.id = cmd.mock_domain.out_stdev_id;
		if (swmsi_uapi_ioctl(u->fd, SWMSI_IOMMU_DESTROY, &destroy))
			return -errno;
	}
	return 0;
}

/* One iteration moves the device to hwpt[1] and back: two replaces. */
static int op_replace_direct(void *arg, size_t iters)
{
	struct uenv *u = arg;
	int rc = 0;

	for (size_t i = 0; i < iters && !rc; i++) {
		rc = swmsi_device_replace(u->ctx, u->dev, u->hwpt[1]);
		if (!rc)
			rc = swmsi_device_replace(u->ctx, u->dev, u->hwpt[0]);
	}
	return rc;
}

static int op_replace_uapi(void *arg, size_t iters)
{
	struct uenv *u = arg;
	struct test_cmd cmd = { .size = sizeof(cmd), .op = TEST_OP_MOCK_DOMAIN_REPLACE };

	cmd.id = u->stdev;
	for (size_t i = 0; i < iters; i++) {
		for (int k = 1; k >= 0; k--) {
			cmd.replace.pt_id = u->hwpt[k];
			if (swmsi_uapi_ioctl(u->fd, SWMSI_IOMMU_TEST_CMD, &cmd))
				return -errno;
		}
	}
	return 0;
}

static uint32_t hwpt_of(struct swmsi_ctx *ctx, uint32_t ioas)
{
	uint32_t id;

	bench_ok(swmsi_hwpt_alloc(ctx, ioas, 0, &id), "hwpt_alloc");
	return id;
}

/* @mock_first: the selftest mock's device first (for the attach and replace
 * rows), else none (the map rows: no domain until the direct device's). */
static void uenv_init(struct uenv *u, int mock_first)
{
	struct swmsi_iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	struct swmsi_device_desc desc = { .group = 1, .sw_msi_start = SWMSI_PHYS_NONE };
	struct test_cmd cmd = { .size = sizeof(cmd), .op = TEST_OP_MOCK_DOMAIN };

	memset(u, 0, sizeof(*u));
	u->fd = swmsi_uapi_open(NULL);
	bench_ok(u->fd < 0 ? u->fd : 0, "swmsi_uapi_open");
	u->ctx = swmsi_uapi_ctx(u->fd);
	ioctl_ok(u, SWMSI_IOMMU_IOAS_ALLOC, &alloc, "IOMMU_IOAS_ALLOC");
	u->ioas = alloc.out_ioas_id;
	u->page = mmap(NULL, BENCH_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	bench_ok(u->page == MAP_FAILED ? -ENOMEM : 0, "mmap");
	memset(u->page, 0, BENCH_PAGE_SIZE);
	/* the mock device first: it gives the fd's mock the selftest's shape,
	 * which it can only while no domain is alive; every domain after it,
	 * the direct calls' included, has that shape */
	cmd.id = u->ioas;
	if (mock_first) {
		u->test_cmd = !swmsi_uapi_ioctl(u->fd, SWMSI_IOMMU_TEST_CMD, &cmd);
		u->stdev = cmd.mock_domain.out_stdev_id;
	}
	bench_ok(swmsi_device_bind(u->ctx, &desc, &u->dev), "device_bind");
	u->hwpt[0] = hwpt_of(u->ctx, u->ioas);
	u->hwpt[1] = hwpt_of(u->ctx, u->ioas);
}

/* Times direct against uAPI, prints both and the ratio; true when the
 * ratio meets the target. */
/* The last row's medians. */
static double last_direct, last_uapi;

static bool row(const struct bench_opts *o, const char *what, struct uenv *u, bench_fn direct,
		bench_fn uapi, unsigned int ops)
{
	struct bench_case c[2] = {
		{ .fn = direct, .arg = u, .ops_per_iter = ops },
		{ .fn = uapi, .arg = u, .ops_per_iter = ops },
	};
	double ratio;

	bench_interleaved(o, c, 2);
	ratio = bench_ratio(o, &c[0], &c[1]);
	last_direct = c[0].median;
	last_uapi = c[1].median;
	printf("%-34s %10.0f %10.0f %8.2f%s\n", what, c[0].median, c[1].median, ratio,
	       ratio <= TARGET_RATIO ? "" : "  (over 1.5)");
	return ratio <= TARGET_RATIO;
}

static void direct_only(const struct bench_opts *o, const char *what, struct uenv *u,
			bench_fn direct, unsigned int ops)
{
	struct bench_case c = { .fn = direct, .arg = u, .ops_per_iter = ops };

	bench_interleaved(o, &c, 1);
	printf("%-34s %10.0f %10s %8s  (IOMMU_TEST_CMD not served in this build)\n", what, c.median,
	       "-", "-");
}

/* Seconds one call of @fn takes, its first run (cold page tables) and a
 * second: the smaller. */
static double once(int (*fn)(struct uenv *u, uint64_t va, uint64_t len, bool map), struct uenv *u,
		   uint64_t va, uint64_t len)
{
	double best = 0;

	for (int i = 0; i < 2; i++) {
		uint64_t t0 = bench_now_ns(), t1;

		bench_ok(fn(u, va, len, true), "map (guest RAM)");
		t1 = bench_now_ns();
		bench_ok(fn(u, va, len, false), "unmap (guest RAM)");
		if (!i || (double)(t1 - t0) < best)
			best = (double)(t1 - t0);
	}
	return best / 1e9;
}

static int ram_direct(struct uenv *u, uint64_t va, uint64_t len, bool map)
{
	uint64_t iova = IOVA, done = 0;

	/* the calls the requests stand for, as op_map_direct() */
	if (map)
		return swmsi_ioas_map_user(u->ctx, u->ioas,
					   SWMSI_IOAS_MAP_FIXED_IOVA | SWMSI_IOAS_MAP_READABLE |
						   SWMSI_IOAS_MAP_WRITEABLE,
					   va, len, &iova);
	return swmsi_ioas_unmap_range(u->ctx, u->ioas, IOVA, len, &done);
}

static int ram_uapi(struct uenv *u, uint64_t va, uint64_t len, bool map)
{
	struct swmsi_iommu_ioas_map m = {
		.size = sizeof(m),
		.flags = SWMSI_IOMMU_IOAS_MAP_FIXED_IOVA | SWMSI_IOMMU_IOAS_MAP_READABLE |
			 SWMSI_IOMMU_IOAS_MAP_WRITEABLE,
		.ioas_id = u->ioas,
		.user_va = va,
		.length = len,
		.iova = IOVA,
	};
	struct swmsi_iommu_ioas_unmap um = {
		.size = sizeof(um), .ioas_id = u->ioas, .iova = IOVA, .length = len
	};

	if (swmsi_uapi_ioctl(u->fd, map ? SWMSI_IOMMU_IOAS_MAP : SWMSI_IOMMU_IOAS_UNMAP,
			     map ? (void *)&m : (void *)&um))
		return -errno;
	return 0;
}

/* Mapping @len bytes of guest RAM each way, the domain present: the map
 * alone is timed (page tables for all of it), one call at a time. */
static void guest_ram(struct uenv *u, uint64_t len)
{
	void *ram = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	double direct, uapi;

	bench_ok(ram == MAP_FAILED ? -ENOMEM : 0, "mmap (guest RAM)");
	direct = once(ram_direct, u, (uintptr_t)ram, len);
	uapi = once(ram_uapi, u, (uintptr_t)ram, len);
	munmap(ram, len);
	printf("\nguest RAM of %llu MiB, the mock domain present (IOAS_MAP, best of 2, us):\n",
	       (unsigned long long)(len >> 20));
	printf("%-34s %10s %10s %8s\n", "", "direct", "uAPI", "ratio");
	printf("%-34s %10.3f %10.3f %8.2f\n", "map", direct * 1e6, uapi * 1e6, uapi / direct);
}

/* What a request whose struct is not in the caller's stack pays for its
 * user memory; and what one on the stack pays over the direct call, half
 * a map+unmap's gap (@map_direct, @map_uapi). */
static void floors(const struct bench_opts *o, double map_direct, double map_uapi)
{
	static uint64_t word;
	struct uenv dummy = { .page = &word };
	struct bench_case c[2] = {
		{ .fn = op_syscall_floor, .arg = &dummy, .ops_per_iter = 1 },
		{ .fn = op_null_syscall, .arg = NULL, .ops_per_iter = 1 },
	};

	bench_interleaved(o, c, 2);
	printf("%-34s %10s %10.0f  (a struct off the stack: read + write-back)\n",
	       "slow path: process_vm_readv+writev", "", c[0].median);
	printf("%-34s %10s %10.0f  (getppid)\n", "one null system call", "", c[1].median);
	/* a map and an unmap: two requests */
	printf("%-34s %10s %10.0f  (map+unmap with a domain: (uAPI - direct) / 2)\n",
	       "overhead per request", "", (map_uapi - map_direct) / 2);
}

int main(int argc, char **argv)
{
	struct bench_opts o;
	struct uenv u, t;
	double map_direct, map_uapi;
	bool ok = true;

	bench_parse_args(argc, argv, "the uAPI path against the direct call", &o);
	uenv_init(&u, 0);
	uenv_init(&t, 1);
	printf("ns per operation (median of %u rounds); ratio = uAPI / direct, target <= %.1f\n",
	       o.rounds, TARGET_RATIO);
	printf("%-34s %10s %10s %8s\n", "", "direct", "uAPI", "ratio");
	ok &= row(&o, "IOAS map+unmap, 1 page, no domain", &u, op_map_direct, op_map_uapi, 1);
	bench_ok(swmsi_device_attach(u.ctx, u.dev, u.hwpt[0]), "device_attach");
	ok &= row(&o, "IOAS map+unmap, 1 page, a domain", &u, op_map_direct, op_map_uapi, 1);
	map_direct = last_direct;
	map_uapi = last_uapi;
	bench_ok(swmsi_device_attach(t.ctx, t.dev, t.hwpt[0]), "device_attach");
	if (t.test_cmd) {
		ok &= row(&o, "attach (bind..unbind)", &t, op_attach_direct, op_attach_uapi, 1);
		ok &= row(&o, "replace", &t, op_replace_direct, op_replace_uapi, 2);
	} else {
		direct_only(&o, "attach (bind..unbind)", &t, op_attach_direct, 1);
		direct_only(&o, "replace", &t, op_replace_direct, 2);
	}
	floors(&o, map_direct, map_uapi);
	guest_ram(&u, o.quick ? 64ull << 20 : 64ull << 30);
	swmsi_uapi_close(u.fd);
	munmap(u.page, BENCH_PAGE_SIZE);
	swmsi_uapi_close(t.fd);
	munmap(t.page, BENCH_PAGE_SIZE);
	if (o.check && !ok) {
		fprintf(stderr, "bench_uapi: a ratio is over %.1f\n", TARGET_RATIO);
		return 1;
	}
	return 0;
}
