/* SPDX-License-Identifier: MIT */
/*
 * The IOAS as upstream's io_pagetable (API.md, "/dev/iommu in userspace":
 * "The IOAS behaves as upstream's io_pagetable"): user-VA areas at fixed
 * and allocated IOVAs with upstream's alignment rules, unmap of whole areas
 * and of everything, copies, allowed ranges, the alignment a domain brings,
 * huge pages, the selftest's own reservations, and -EFAULT for user memory
 * that is not mapped once a domain needs it. Exact IOVAs and errors, with
 * and without a HWPT, per scheme where they differ; every failure changes
 * nothing, also when a backend map or an internal allocation fails at each
 * step (fault sweeps, as tests/test_atomicity.c).
 */
#define _DEFAULT_SOURCE
#include "fixture.h"
#include "snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <swmsi/testing.h>

#define PG	   0x1000ull
#define MAX	   UINT64_MAX
#define RD	   SWMSI_IOAS_MAP_READABLE
#define WR	   SWMSI_IOAS_MAP_WRITEABLE
#define RDWR	   (RD | WR)
#define FIXED	   SWMSI_IOAS_MAP_FIXED_IOVA
#define FAKE_VA	   0x40000000ull /* never looked at without a domain */
#define SENTINEL   0x5a5a5a5a5a5a5a5aull
#define SWEEP_MAX  256
#define MAX_AREAS  16
#define MAX_RANGES 8

/* ------------------------------------------------------------------------ */
/* Helpers */

static struct fx *new_fx(enum swmsi_scheme scheme)
{
	struct swmsi_ctx_opts o = { .scheme = scheme };

	return fx_new(&o);
}

/* @len bytes of real memory aligned to @align (a power of two); unmap
 * with unmap_region(). */
static void *region(uint64_t len, uint64_t align)
{
	uint8_t *p =
		mmap(NULL, len + align, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uintptr_t at;

	assert_true(p != MAP_FAILED);
	at = ((uintptr_t)p + (align - 1)) & ~(uintptr_t)(align - 1);
	/* keep just [at, at + len) */
	if (at > (uintptr_t)p)
		assert_int_equal(munmap(p, at - (uintptr_t)p), 0);
	if ((uintptr_t)p + len + align > at + len)
		assert_int_equal(
			munmap((void *)(at + len), (uintptr_t)p + len + align - (at + len)), 0);
	return (void *)at;
}

static void unmap_region(void *p, uint64_t len)
{
	assert_int_equal(munmap(p, len), 0);
}

static uint64_t va(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* map_user must succeed; returns the IOVA. */
static uint64_t map_ok(struct fx *fx, uint32_t ioas, uint32_t flags, uint64_t user_va,
		       uint64_t length, uint64_t fixed)
{
	uint64_t iova = fixed;

	assert_int_equal(swmsi_ioas_map_user(fx->ctx, ioas, flags, user_va, length, &iova), 0);
	if (flags & FIXED)
		assert_int_equal(iova, fixed);
	return iova;
}

/* map_user fails with @err and leaves *iova alone. */
static void map_fails(struct fx *fx, uint32_t ioas, uint32_t flags, uint64_t user_va,
		      uint64_t length, uint64_t in, int err)
{
	struct snap *before = snap_take(fx);
	uint64_t iova = in;
	char label[96];

	snprintf(label, sizeof(label), "map_user %#llx+%#llx", (unsigned long long)user_va,
		 (unsigned long long)length);
	assert_int_equal(swmsi_ioas_map_user(fx->ctx, ioas, flags, user_va, length, &iova), err);
	assert_int_equal(iova, in);
	snap_expect_unchanged(fx, before, label);
}

static size_t areas(struct fx *fx, uint32_t ioas, struct swmsi_area_info *a)
{
	size_t n = 0;

	assert_int_equal(swmsi_ioas_area_list(fx->ctx, ioas, a, MAX_AREAS, &n), 0);
	assert_true(n <= MAX_AREAS);
	return n;
}

static uint64_t alignment(struct fx *fx, uint32_t ioas)
{
	uint64_t a = 0;

	assert_int_equal(swmsi_ioas_iova_alignment(fx->ctx, ioas, &a), 0);
	return a;
}

static void unmap_ok(struct fx *fx, uint32_t ioas, uint64_t iova, uint64_t length, uint64_t want)
{
	uint64_t got = SENTINEL;

	assert_int_equal(swmsi_ioas_unmap_range(fx->ctx, ioas, iova, length, &got), 0);
	assert_int_equal(got, want);
}

static void unmap_fails(struct fx *fx, uint32_t ioas, uint64_t iova, uint64_t length, int err)
{
	struct snap *before = snap_take(fx);
	uint64_t got = SENTINEL;

	assert_int_equal(swmsi_ioas_unmap_range(fx->ctx, ioas, iova, length, &got), err);
	assert_int_equal(got, SENTINEL);
	snap_expect_unchanged(fx, before, "unmap_range");
}

static uint64_t translate(struct fx *fx, uint32_t hwpt, uint64_t iova)
{
	uint64_t pa = 0;

	assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, hwpt, iova, &pa), 0);
	return pa;
}

/* ------------------------------------------------------------------------ */
/* Allocated IOVAs */

static void allocated_iovas_are_the_lowest_aligned_holes_from_one_page(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx);
	struct swmsi_area_info a[MAX_AREAS];

	assert_int_equal(alignment(fx, ioas), 1);
	assert_int_equal(map_ok(fx, ioas, RDWR, FAKE_VA, PG, 0), PG);
	/* aligned to the power of two at or above the length */
	assert_int_equal(map_ok(fx, ioas, RDWR, FAKE_VA, 2 * PG, 0), 2 * PG);
	assert_int_equal(map_ok(fx, ioas, RD, FAKE_VA, PG, 0), 4 * PG);
	assert_int_equal(map_ok(fx, ioas, RDWR, FAKE_VA, 3 * PG, 0), 8 * PG);
	assert_int_equal(areas(fx, ioas, a), 4);
	assert_int_equal(a[2].iova, 4 * PG);
	assert_int_equal(a[2].addr, FAKE_VA);
	assert_int_equal(a[2].prot, SWMSI_PROT_READ);
	assert_int_equal(a[2].flags, SWMSI_AREA_USER_VA);
	assert_int_equal(a[3].prot, SWMSI_PROT_READ | SWMSI_PROT_WRITE);
	assert_int_equal(a[3].flags, SWMSI_AREA_USER_VA | SWMSI_AREA_WRITABLE);
}

static void allocated_iova_keeps_the_user_va_alignment_and_page_offset(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx);

	/* the VA is only 4K aligned: so is the IOVA, however long */
	assert_int_equal(map_ok(fx, ioas, RDWR, FAKE_VA + PG, 4 * PG, 0), PG);
	/* an offset in the page stays: aligned to 0x100, 0x100 or'ed in */
	assert_int_equal(map_ok(fx, ioas, RDWR, FAKE_VA + 0x100, PG, 0), 5 * PG + 0x100);
	/* without a domain any length goes, one byte too: the hole below
	 * the last area fits it */
	assert_int_equal(map_ok(fx, ioas, RDWR, FAKE_VA, 1, 0), 5 * PG);
	unmap_ok(fx, ioas, 5 * PG, 1, 1);
}

static void allocated_iova_avoids_areas_and_reserved_ranges(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx);

	assert_int_equal(swmsi_ioas_add_reserved(fx->ctx, ioas, PG, 4 * PG), 0);
	map_ok(fx, ioas, RDWR | FIXED, FAKE_VA, PG, 6 * PG);
	assert_int_equal(map_ok(fx, ioas, RDWR, FAKE_VA, PG, 0), 5 * PG);
	assert_int_equal(map_ok(fx, ioas, RDWR, FAKE_VA, PG, 0), 7 * PG);
	assert_int_equal(map_ok(fx, ioas, RDWR, FAKE_VA, 4 * PG, 0), 8 * PG);
}

/* "One page" is the context's page: 64K here, and so the alignment a
 * domain of the mock brings. */
static void allocation_starts_one_context_page_up_with_64k_pages(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx);
	uint64_t pg = fx_page_size(fx);

	assert_int_equal(pg, 0x10000);
	assert_int_equal(map_ok(fx, ioas, RDWR, FAKE_VA, PG, 0), pg);
	/* the offset in the 64K page is kept */
	assert_int_equal(map_ok(fx, ioas, RDWR, FAKE_VA + PG, PG, 0), pg + PG);
	unmap_ok(fx, ioas, 0, MAX, 2 * PG);
	fx_hwpt(fx, ioas, 0);
	assert_int_equal(alignment(fx, ioas), pg);
	map_fails(fx, ioas, RDWR, FAKE_VA, PG, 0, -EINVAL);
}

/* The selftest's reserved_overflow: aligning the only hole's start would
 * carry past the top of the space, which fits nowhere. */
static void allocation_that_would_align_past_the_top_is_enospc(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx);

	assert_int_equal(swmsi_ioas_add_reserved(fx->ctx, ioas, 6, 0xffffffffffff8001ull), 0);
	map_fails(fx, ioas, RDWR, 0x200000, 0x5000, 0, -ENOSPC);
}

static void allocation_errors_follow_upstream(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx);

	map_fails(fx, ioas, RDWR, FAKE_VA, 1ull << 63, 0, -EOVERFLOW);
	fx_hwpt(fx, ioas, 0);
	/* a VA aligned below the IOAS's alignment cannot be placed */
	map_fails(fx, ioas, RDWR, FAKE_VA + 0x800, PG, 0, -EINVAL);
	/* a length off the IOAS's alignment */
	map_fails(fx, ioas, RDWR, FAKE_VA, 0x800, 0, -EINVAL);
}

/* ------------------------------------------------------------------------ */
/* Fixed IOVAs and the argument checks */

static void map_user_checks_in_upstream_order(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx);
	uint64_t iova = PG;

	assert_int_equal(swmsi_ioas_map_user(NULL, ioas, RDWR, FAKE_VA, PG, &iova), -EINVAL);
	assert_int_equal(swmsi_ioas_map_user(fx->ctx, ioas, RDWR, FAKE_VA, PG, NULL), -EINVAL);
	map_fails(fx, 999, RDWR | (1u << 3), FAKE_VA, PG, PG, -EOPNOTSUPP);
	map_fails(fx, 999, RDWR, FAKE_VA, PG, MAX, -EOVERFLOW);
	map_fails(fx, 999, RDWR | FIXED, FAKE_VA, MAX, PG, -EOVERFLOW);
	map_fails(fx, 999, FIXED, FAKE_VA, PG, PG, -EINVAL);
	map_fails(fx, 999, RDWR | FIXED, FAKE_VA, PG, PG, -ENOENT);
	map_fails(fx, ioas, RDWR | FIXED, MAX - PG + 2, PG, PG, -EOVERFLOW);
	map_fails(fx, ioas, RDWR | FIXED, FAKE_VA, 0, PG, -EINVAL);
	map_fails(fx, ioas, RDWR | FIXED, 0, MAX - PG + 1, PG, -EINVAL);
	map_fails(fx, ioas, RDWR | FIXED, FAKE_VA, 2 * PG, MAX - PG, -EOVERFLOW);
	map_ok(fx, ioas, RDWR | FIXED, FAKE_VA, 2 * PG, 16 * PG);
	/* the selftest's over-maps */
	map_fails(fx, ioas, RDWR | FIXED, FAKE_VA, PG, 17 * PG, -EEXIST);
	map_fails(fx, ioas, RDWR | FIXED, FAKE_VA, 2 * PG, 15 * PG, -EEXIST);
	map_fails(fx, ioas, RDWR | FIXED, FAKE_VA, 3 * PG, 15 * PG, -EEXIST);
	/* no domain: alignment 1, any IOVA */
	map_ok(fx, ioas, RDWR | FIXED, FAKE_VA + 3, 5, 0x123);
}

/* A reserved range: NATIVE names the cause, KERNEL and DMA_IOMMU answer as
 * iopt_check_iova(); after alignment and wrap, before an area. */
static void fixed_map_on_a_reserved_range_per_scheme(void **state)
{
	static const enum swmsi_scheme schemes[] = { SWMSI_SCHEME_NATIVE, SWMSI_SCHEME_KERNEL,
						     SWMSI_SCHEME_DMA_IOMMU };
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		struct fx *fx = new_fx(schemes[i]);
		uint32_t ioas = fx_ioas(fx);
		int err = schemes[i] == SWMSI_SCHEME_NATIVE ? -EADDRINUSE : -EINVAL;
		void *buf = region(PG, PG);

		map_ok(fx, ioas, RDWR | FIXED, va(buf), PG, 0x10000);
		assert_int_equal(swmsi_ioas_add_reserved(fx->ctx, ioas, 0x10800, PG), -EADDRINUSE);
		assert_int_equal(swmsi_ioas_add_reserved(fx->ctx, ioas, 0x20000, PG), 0);
		map_fails(fx, ioas, RDWR | FIXED, FAKE_VA, 2 * PG, 0x1f000, err);
		fx_hwpt(fx, ioas, 0);
		/* alignment first */
		map_fails(fx, ioas, RDWR | FIXED, FAKE_VA, PG, 0x20800, -EINVAL);
		/* reserved before the area */
		map_fails(fx, ioas, RDWR | FIXED, 0, 0x11000, 0x10000, err);
		fx_free(fx);
		unmap_region(buf, PG);
	}
}

/* ------------------------------------------------------------------------ */
/* Unmap */

/* The selftest's area and unmap_fully_contained_areas. */
static void unmap_takes_whole_areas_and_reports_their_length(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx);
	uint64_t base = 0x100000;
	unsigned int i;

	assert_int_equal(swmsi_ioas_unmap_range(NULL, ioas, 0, PG, NULL), -EINVAL);
	unmap_fails(fx, 999, PG, PG, -ENOENT);
	for (i = 0; i < 10; i++)
		unmap_fails(fx, ioas, i * PG, PG, -ENOENT);
	for (i = 0; i < 4; i++)
		map_ok(fx, ioas, RDWR | FIXED, FAKE_VA, 8 * PG, base + i * 16 * PG);
	unmap_fails(fx, ioas, base - 4 * PG, 8 * PG, -ENOENT);
	unmap_fails(fx, ioas, base + 3 * 16 * PG + 4 * PG, 8 * PG, -ENOENT);
	/* cut at the end, areas inside before it: nothing goes */
	unmap_fails(fx, ioas, base, 16 * PG + 4 * PG, -ENOENT);
	unmap_fails(fx, ioas, MAX, PG, -EOVERFLOW);
	unmap_fails(fx, ioas, PG, MAX, -EOVERFLOW);
	unmap_fails(fx, ioas, PG, 0, -EINVAL);
	unmap_fails(fx, ioas, MAX - PG + 1, 2 * PG, -EOVERFLOW);
	unmap_ok(fx, ioas, base - 4 * PG, 3 * 16 * PG + 12 * PG, 32 * PG);
	/* no alignment asked */
	map_ok(fx, ioas, RDWR | FIXED, FAKE_VA, 3, 0x7);
	unmap_ok(fx, ioas, 0x5, 0x10, 3);
	assert_int_equal(swmsi_ioas_unmap_range(fx->ctx, ioas, 0, 0x10, NULL), -ENOENT);
}

static void unmap_everything_succeeds_also_on_an_empty_ioas(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), hwpt;
	void *buf = region(4 * PG, PG);
	struct swmsi_area_info a[MAX_AREAS];

	unmap_ok(fx, ioas, 0, MAX, 0);
	hwpt = fx_hwpt(fx, ioas, 0);
	map_ok(fx, ioas, RDWR | FIXED, va(buf), 4 * PG, 0x100000);
	assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, 0x200000, 0x80000000, PG, SWMSI_PROT_READ),
			 0);
	unmap_ok(fx, ioas, 0, MAX, 5 * PG);
	assert_int_equal(areas(fx, ioas, a), 0);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, hwpt)), 0);
	unmap_ok(fx, ioas, 0, MAX, 0);
	unmap_region(buf, 4 * PG);
}

/* ------------------------------------------------------------------------ */
/* A domain: alignment, mirroring, -EFAULT */

static void a_domain_mirrors_user_areas_at_their_va(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h1, h2;
	void *buf = region(8 * PG, 8 * PG);
	uint64_t iova;

	h1 = fx_hwpt(fx, ioas, 0);
	assert_int_equal(alignment(fx, ioas), PG);
	iova = map_ok(fx, ioas, RDWR, va(buf), 8 * PG, 0);
	assert_int_equal(iova, 8 * PG);
	/* an existing area goes into a new domain */
	h2 = fx_hwpt(fx, ioas, 0);
	assert_int_equal(translate(fx, h1, iova + 3 * PG + 5), va(buf) + 3 * PG + 5);
	assert_int_equal(translate(fx, h2, iova + 7 * PG), va(buf) + 7 * PG);
	unmap_ok(fx, ioas, iova, 8 * PG, 8 * PG);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, NULL), 0);
	unmap_region(buf, 8 * PG);
}

/* Pinning needs the pages readable: a PROT_NONE page in the range is
 * -EFAULT like a hole, in a short range (read a byte a page) and in one
 * past 1024 pages (looked up in /proc/self/maps), and a map of readable
 * memory that long goes in. */
static void user_memory_not_readable_is_efault(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx);
	const size_t big = 2048 * PG;
	uint8_t *buf = region(big, PG);

	fx_hwpt(fx, ioas, 0);
	assert_int_equal(mprotect(buf + 2 * PG, PG, PROT_NONE), 0);
	map_fails(fx, ioas, RDWR, va(buf), 4 * PG, 0, -EFAULT);
	map_fails(fx, ioas, RDWR, va(buf), big, 0, -EFAULT);
	map_ok(fx, ioas, RDWR, va(buf), 2 * PG, 0);
	assert_int_equal(mprotect(buf + 2 * PG, PG, PROT_READ), 0);
	map_ok(fx, ioas, RDWR, va(buf), big, 0);
	unmap_ok(fx, ioas, 0, MAX, 2 * PG + big);
	unmap_region(buf, big);
}

static void user_memory_not_mapped_is_efault_once_a_domain_needs_it(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), ioas2 = fx_ioas(fx), dev, id = 0xdead;
	void *buf = region(4 * PG, PG);
	struct snap *before;

	/* a hole in the middle */
	assert_int_equal(munmap((uint8_t *)buf + PG, PG), 0);
	/* no domain: not looked at */
	map_ok(fx, ioas, RDWR | FIXED, va(buf), 4 * PG, 0x100000);
	before = snap_take(fx);
	assert_int_equal(swmsi_hwpt_alloc(fx->ctx, ioas, 0, &id), -EFAULT);
	assert_int_equal(id, 0xdead);
	snap_expect_restored(fx, before, "hwpt_alloc");
	dev = fx_bind(fx, 1);
	before = snap_take(fx);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), -EFAULT);
	snap_expect_restored(fx, before, "attach");
	/* a domain there: checked at map time; NULL is no memory either */
	fx_hwpt(fx, ioas2, 0);
	map_fails(fx, ioas2, RDWR, va(buf), 4 * PG, 0, -EFAULT);
	map_fails(fx, ioas2, RDWR, 0, PG, 0, -EFAULT);
	map_ok(fx, ioas2, RDWR, va(buf), PG, 0);
	/* a copy into it checks too, unless a domain of the source holds it */
	{
		uint64_t dst = 0;

		assert_int_equal(swmsi_ioas_copy(fx->ctx, ioas2, ioas, 0x100000, 4 * PG, &dst,
						 RDWR),
				 -EFAULT);
	}
	/* swmsi_ioas_map()'s address is physical: never looked at */
	assert_int_equal(
		swmsi_ioas_map(fx->ctx, ioas2, 0x800000, 0x7000000000ull, PG, SWMSI_PROT_READ), 0);
	unmap_ok(fx, ioas, 0, MAX, 4 * PG);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
	unmap_region(buf, PG);
	unmap_region((uint8_t *)buf + 2 * PG, 2 * PG);
}

/* The selftest's ioas_align_change, and a HWPT whose page an area breaks. */
static void alignment_rises_with_a_domain_or_huge_pages_off(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), id = 0xdead;
	void *buf = region(PG, PG);
	bool on = false;
	struct snap *before;

	assert_int_equal(swmsi_ioas_get_huge_pages(fx->ctx, ioas, &on), 0);
	assert_true(on);
	map_ok(fx, ioas, RDWR | FIXED, va(buf), PG, 0x100000);
	assert_int_equal(swmsi_ioas_set_huge_pages(fx->ctx, ioas, false), 0);
	assert_int_equal(alignment(fx, ioas), PG);
	map_fails(fx, ioas, RDWR | FIXED, FAKE_VA + 0x800, PG, 0x101000, -EINVAL);
	assert_int_equal(swmsi_ioas_set_huge_pages(fx->ctx, ioas, false), 0);
	assert_int_equal(swmsi_ioas_set_huge_pages(fx->ctx, ioas, true), 0);
	assert_int_equal(alignment(fx, ioas), 1);
	map_ok(fx, ioas, RDWR | FIXED, FAKE_VA + 0x800, PG, 0x101000);
	assert_int_equal(swmsi_ioas_set_huge_pages(fx->ctx, ioas, false), -EADDRINUSE);
	assert_int_equal(swmsi_ioas_get_huge_pages(fx->ctx, ioas, &on), 0);
	assert_true(on);
	/* a domain's 4K page would misalign that area */
	before = snap_take(fx);
	assert_int_equal(swmsi_hwpt_alloc(fx->ctx, ioas, 0, &id), -EADDRINUSE);
	assert_int_equal(id, 0xdead);
	snap_expect_restored(fx, before, "hwpt_alloc");
	unmap_ok(fx, ioas, 0x101000, PG, PG);
	fx_hwpt(fx, ioas, 0);
	/* a domain with areas: huge pages may not go off */
	assert_int_equal(swmsi_ioas_set_huge_pages(fx->ctx, ioas, false), -EINVAL);
	assert_int_equal(swmsi_ioas_set_huge_pages(NULL, ioas, false), -EINVAL);
	assert_int_equal(swmsi_ioas_set_huge_pages(fx->ctx, 999, false), -ENOENT);
	assert_int_equal(swmsi_ioas_get_huge_pages(fx->ctx, ioas, NULL), -EINVAL);
	assert_int_equal(swmsi_ioas_iova_alignment(fx->ctx, 999, &(uint64_t){ 0 }), -ENOENT);
	assert_int_equal(swmsi_ioas_iova_alignment(fx->ctx, ioas, NULL), -EINVAL);
	unmap_ok(fx, ioas, 0, MAX, PG);
	unmap_region(buf, PG);
}

/* ------------------------------------------------------------------------ */
/* A backend page smaller or larger than the context's */

static uint64_t pgsize_report;
static int pgsize_report_err;

static int test_pgsize(void *priv, void *domain, uint64_t *bitmap)
{
	(void)priv;
	(void)domain;
	if (pgsize_report_err)
		return pgsize_report_err;
	*bitmap = pgsize_report;
	return 0;
}

/* 16K context pages on a 4K mock whose domains report @report. */
static struct fx *fx_pgsize(struct swmsi_iommu_ops *ops)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	assert_int_equal(mock_iommu_create(12, &fx->mock), 0);
	*ops = *mock_iommu_ops();
	ops->pgsize_bitmap = test_pgsize;
	fx->opts =
		(struct swmsi_ctx_opts){ .page_shift = 14, .iommu = ops, .iommu_priv = fx->mock };
	assert_int_equal(swmsi_ctx_create(&fx->opts, &fx->ctx), 0);
	return fx;
}

static void backend_page_sizes_set_the_ioas_alignment(void **state)
{
	static struct swmsi_iommu_ops ops;
	struct fx *fx = fx_pgsize(&ops);
	uint32_t ioas = fx_ioas(fx), hwpt, id = 0xdead;
	void *buf = region(4 * PG, 4 * PG);
	uint64_t iova;

	(void)state;
	/* 4K and 2M pages: the smallest counts */
	pgsize_report = PG | 0x200000;
	hwpt = fx_hwpt(fx, ioas, 0);
	assert_int_equal(alignment(fx, ioas), PG);
	iova = map_ok(fx, ioas, RDWR, va(buf) + PG, PG, 0);
	/* from one (16K) page up, the VA's offset in its 16K page kept */
	assert_int_equal(iova, 0x5000);
	assert_int_equal(translate(fx, hwpt, iova), va(buf) + PG);
	/* larger than the context's page: refused */
	pgsize_report = 0x8000;
	assert_int_equal(swmsi_hwpt_alloc(fx->ctx, ioas, 0, &id), -EINVAL);
	pgsize_report = 0;
	assert_int_equal(swmsi_hwpt_alloc(fx->ctx, ioas, 0, &id), -EINVAL);
	pgsize_report_err = -EIO;
	assert_int_equal(swmsi_hwpt_alloc(fx->ctx, ioas, 0, &id), -EIO);
	pgsize_report_err = 0;
	assert_int_equal(id, 0xdead);
	/* the 16K page: the 4K area is misaligned for it */
	pgsize_report = 0x4000;
	assert_int_equal(swmsi_hwpt_alloc(fx->ctx, ioas, 0, &id), -EADDRINUSE);
	fx_free(fx);
	unmap_region(buf, 4 * PG);
}

/* ------------------------------------------------------------------------ */
/* Allowed ranges */

static void allowed_ranges_bound_allocation_only(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx);
	const struct swmsi_iova_range r[] = {
		{ 0x300000, 0x3fffff },
		{ 0x102000, 0x102fff }, /* adjacent: one span with the next */
		{ 0x103000, 0x103fff },
	};
	struct swmsi_iova_range got[MAX_RANGES];
	size_t n = 0;

	assert_int_equal(swmsi_ioas_allow_iovas(fx->ctx, ioas, r, 3), 0);
	assert_int_equal(swmsi_ioas_allowed_list(fx->ctx, ioas, got, MAX_RANGES, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(got[0].start, 0x102000);
	assert_int_equal(got[2].last, 0x3fffff);
	assert_int_equal(map_ok(fx, ioas, RDWR, FAKE_VA, 2 * PG, 0), 0x102000);
	assert_int_equal(map_ok(fx, ioas, RDWR, FAKE_VA, PG, 0), 0x300000);
	/* fixed IOVAs are not bound */
	map_ok(fx, ioas, RDWR | FIXED, FAKE_VA, PG, 0x10000);
	map_fails(fx, ioas, RDWR, FAKE_VA, 0x200000, 0, -ENOSPC);
	/* the usable ranges do not change */
	{
		struct swmsi_iova_range u[MAX_RANGES];

		assert_int_equal(swmsi_ioas_iova_ranges(fx->ctx, ioas, u, MAX_RANGES, &n), 0);
		assert_int_equal(n, 1);
		assert_int_equal(u[0].start, 0);
		assert_int_equal(u[0].last, MAX);
	}
	assert_int_equal(swmsi_ioas_allow_iovas(fx->ctx, ioas, NULL, 0), 0);
	assert_int_equal(swmsi_ioas_allowed_list(fx->ctx, ioas, NULL, 0, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(map_ok(fx, ioas, RDWR, FAKE_VA, PG, 0), PG);
}

static void allowed_ranges_bad_input_changes_nothing(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx);
	const struct swmsi_iova_range keep[] = { { 0x100000, 0x1fffff } };
	const struct swmsi_iova_range empty[] = { { 0x1000, 0x1000 } };
	const struct swmsi_iova_range overlap[] = { { 0x500000, 0x5fffff },
						    { 0x400000, 0x500000 } };
	const struct swmsi_iova_range on_resv[] = { { 0x600000, 0x6fffff }, { 0x10000, 0x20000 } };
	struct swmsi_iova_range got[MAX_RANGES];
	size_t n = 0;

	assert_int_equal(swmsi_ioas_allow_iovas(fx->ctx, ioas, keep, 1), 0);
	assert_int_equal(swmsi_ioas_add_reserved(fx->ctx, ioas, 0x20000, PG), 0);
	assert_int_equal(swmsi_ioas_allow_iovas(NULL, ioas, keep, 1), -EINVAL);
	assert_int_equal(swmsi_ioas_allow_iovas(fx->ctx, ioas, NULL, 1), -EINVAL);
	assert_int_equal(swmsi_ioas_allow_iovas(fx->ctx, 999, keep, 1), -ENOENT);
	assert_int_equal(swmsi_ioas_allow_iovas(fx->ctx, ioas, empty, 1), -EINVAL);
	assert_int_equal(swmsi_ioas_allow_iovas(fx->ctx, ioas, overlap, 2), -EINVAL);
	assert_int_equal(swmsi_ioas_allow_iovas(fx->ctx, ioas, on_resv, 2), -EADDRINUSE);
	assert_int_equal(swmsi_ioas_allowed_list(fx->ctx, ioas, got, MAX_RANGES, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(got[0].start, 0x100000);
	assert_int_equal(got[0].last, 0x1fffff);
	/* a reservation meeting an allowed range */
	assert_int_equal(swmsi_ioas_add_reserved(fx->ctx, ioas, 0x1ff000, 2 * PG), -EADDRINUSE);
	assert_int_equal(swmsi_ioas_add_reserved(fx->ctx, ioas, 0x200000, 0), -EINVAL);
	assert_int_equal(swmsi_ioas_add_reserved(fx->ctx, ioas, MAX, 2), -EOVERFLOW);
	assert_int_equal(swmsi_ioas_add_reserved(fx->ctx, 999, 0x200000, PG), -ENOENT);
}

/* A reservation at attach or HWPT allocation meeting an allowed range is
 * -EADDRINUSE, as iopt_reserve_iova() answers, under every scheme. */
static void attach_and_hwpt_alloc_refuse_reserving_an_allowed_range(void **state)
{
	static const enum swmsi_scheme schemes[] = { SWMSI_SCHEME_NATIVE, SWMSI_SCHEME_KERNEL,
						     SWMSI_SCHEME_DMA_IOMMU };
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		struct fx *fx = new_fx(schemes[i]);
		uint32_t ioas = fx_ioas(fx), dev = fx_bind(fx, 1), id = 0xdead;
		const struct swmsi_iova_range win[] = { { FX_WINDOW_START, FX_WINDOW_START + PG } };
		const struct swmsi_iova_range top[] = { { 1ull << 48, (1ull << 48) + PG } };
		struct snap *before;

		assert_int_equal(swmsi_ioas_allow_iovas(fx->ctx, ioas, top, 1), 0);
		before = snap_take(fx);
		/* outside the mock's 48-bit aperture */
		assert_int_equal(swmsi_hwpt_alloc(fx->ctx, ioas, 0, &id), -EADDRINUSE);
		assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), -EADDRINUSE);
		snap_expect_restored(fx, before, "reserve over an allowed range");
		assert_int_equal(swmsi_ioas_allow_iovas(fx->ctx, ioas, win, 1), 0);
		id = fx_hwpt(fx, ioas, 0);
		before = snap_take(fx);
		assert_int_equal(swmsi_device_attach(fx->ctx, dev, id), -EADDRINUSE);
		snap_expect_restored(fx, before, "attach over an allowed range");
		assert_int_equal(swmsi_ioas_allow_iovas(fx->ctx, ioas, NULL, 0), 0);
		assert_int_equal(swmsi_device_attach(fx->ctx, dev, id), 0);
		/* and the other way round */
		assert_int_equal(swmsi_ioas_allow_iovas(fx->ctx, ioas, win, 1), -EADDRINUSE);
		fx_free(fx);
	}
}

/* ------------------------------------------------------------------------ */
/* Copy */

static void copy_maps_the_same_backing_slice_by_slice(void **state)
{
	struct fx *fx = *state;
	uint32_t src = fx_ioas(fx), dst = fx_ioas(fx);
	struct swmsi_area_info a[MAX_AREAS];
	uint64_t at = 0x10000;

	map_ok(fx, src, RDWR | FIXED, FAKE_VA, 2 * PG, 0x100000);
	assert_int_equal(
		swmsi_ioas_map(fx->ctx, src, 0x102000, 0x80000000, 2 * PG, SWMSI_PROT_READ), 0);
	/* inside one IOAS, fixed */
	assert_int_equal(swmsi_ioas_copy(fx->ctx, src, src, 0x100000, PG, &at, FIXED | RD), 0);
	assert_int_equal(at, 0x10000);
	/* between IOASes, allocated, across two areas from inside the first */
	at = 0;
	assert_int_equal(swmsi_ioas_copy(fx->ctx, dst, src, 0x101800, 0x1000, &at, RD), 0);
	/* aligned to 0x800 (the first piece's address), its page offset
	 * kept, from one page up */
	assert_int_equal(at, PG + 0x800);
	assert_int_equal(areas(fx, dst, a), 2);
	assert_int_equal(a[0].iova, PG + 0x800);
	assert_int_equal(a[0].length, 0x800);
	assert_int_equal(a[0].addr, FAKE_VA + 0x1800);
	assert_int_equal(a[0].flags, SWMSI_AREA_USER_VA | SWMSI_AREA_WRITABLE);
	assert_int_equal(a[1].iova, 2 * PG);
	assert_int_equal(a[1].length, 0x800);
	assert_int_equal(a[1].addr, 0x80000000);
	assert_int_equal(a[1].flags, 0);
	assert_int_equal(a[1].prot, SWMSI_PROT_READ);
	unmap_ok(fx, dst, 0, MAX, 0x1000);
}

static void copy_errors_follow_upstream(void **state)
{
	struct fx *fx = *state;
	uint32_t src = fx_ioas(fx), dst = fx_ioas(fx);
	struct snap *before;
	uint64_t at;
	struct {
		uint32_t dst, src, flags;
		uint64_t iova, len, at;
		int err;
	} bad[] = {
		{ 999, 999, RD | (1u << 5), 0x100000, PG, 0, -EOPNOTSUPP },
		{ 999, 999, RD, 0x100000, MAX, 0, -EOVERFLOW },
		{ 999, 999, RD, MAX, PG, 0, -EOVERFLOW },
		{ 999, 999, RD, 0x100000, PG, MAX, -EOVERFLOW },
		{ 999, 999, FIXED, 0x100000, PG, 0, -EINVAL },
		{ 999, 999, RD, 0x100000, PG, 0, -ENOENT },
		{ 999, src, RD, 0x100000, 0, 0, -EINVAL },
		{ 999, src, RD, MAX - 1, 3, 0, -EOVERFLOW },
		{ 999, src, RD, 0xff000, 2 * PG, 0, -ENOENT },	/* starts before */
		{ 999, src, RD, 0x101000, 2 * PG, 0, -ENOENT }, /* a gap */
		{ 999, src, RD, 0x100000, PG, 0, -ENOENT },	/* then dst */
		{ dst, src, RD | FIXED, 0x100000, PG, 0x20000, -EEXIST },
		{ dst, src, WR | FIXED, 0x103000, PG, 0x30000, -EPERM },
		{ dst, src, RD | FIXED, 0x100000, 0, 0x30000, -EINVAL },
	};
	size_t i;

	map_ok(fx, src, RDWR | FIXED, FAKE_VA, 2 * PG, 0x100000);
	map_ok(fx, src, RD | FIXED, FAKE_VA, PG, 0x103000);
	map_ok(fx, dst, RD | FIXED, FAKE_VA, PG, 0x20000);
	at = 0;
	assert_int_equal(swmsi_ioas_copy(NULL, dst, src, 0x100000, PG, &at, RD), -EINVAL);
	assert_int_equal(swmsi_ioas_copy(fx->ctx, dst, src, 0x100000, PG, NULL, RD), -EINVAL);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char label[64];

		before = snap_take(fx);
		at = bad[i].at;
		if (swmsi_ioas_copy(fx->ctx, bad[i].dst, bad[i].src, bad[i].iova, bad[i].len, &at,
				    bad[i].flags) != bad[i].err)
			fail_msg("copy case %zu: want %s", i, swmsi_errno_name(bad[i].err));
		assert_int_equal(at, bad[i].at);
		snprintf(label, sizeof(label), "copy case %zu", i);
		snap_expect_unchanged(fx, before, label);
	}
}

/* A destination with a domain is aligned: a piece whose address is off
 * its page alignment does not fit, an aligned one does. */
static void copy_into_a_domain_keeps_its_alignment(void **state)
{
	struct fx *fx = *state;
	uint32_t src = fx_ioas(fx), dst = fx_ioas(fx), hwpt;
	void *buf = region(2 * PG, PG);
	struct snap *before;
	uint64_t at = 0x10000;

	map_ok(fx, src, RDWR | FIXED, va(buf), 2 * PG, 0x100000);
	hwpt = fx_hwpt(fx, dst, 0);
	before = snap_take(fx);
	assert_int_equal(swmsi_ioas_copy(fx->ctx, dst, src, 0x100800, PG, &at, RD | FIXED),
			 -EINVAL);
	assert_int_equal(swmsi_ioas_copy(fx->ctx, dst, src, 0x100000, 0x800, &at, RD | FIXED),
			 -EINVAL);
	assert_int_equal(at, 0x10000);
	snap_expect_unchanged(fx, before, "copy off the alignment");
	assert_int_equal(swmsi_ioas_copy(fx->ctx, dst, src, 0x101000, PG, &at, RD | FIXED), 0);
	assert_int_equal(translate(fx, hwpt, 0x10000), va(buf) + PG);
	unmap_ok(fx, dst, 0, MAX, PG);
	unmap_ok(fx, src, 0, MAX, 2 * PG);
	unmap_region(buf, 2 * PG);
}

/* The selftest's copy_sweep: every source offset, step 511. */
static void copy_sweep_covers_exactly_the_source_areas(void **state)
{
	struct fx *fx = *state;
	uint32_t src = fx_ioas(fx), dst = fx_ioas(fx);
	uint64_t start = 0x100000, last = start + 16 * PG - 2, iova;

	map_ok(fx, src, RDWR | FIXED, FAKE_VA, last - start + 1, start);
	for (iova = start - PG; iova <= last; iova += 511) {
		uint64_t at = start;
		int rc = swmsi_ioas_copy(fx->ctx, dst, src, iova, 0x800, &at, FIXED | WR);

		if (iova < start || iova + 0x800 - 1 > last) {
			assert_int_equal(rc, -ENOENT);
		} else {
			assert_int_equal(rc, 0);
			unmap_ok(fx, dst, start, 0x800, 0x800);
		}
	}
}

/* ------------------------------------------------------------------------ */
/* Fault sweeps: a backend map or an internal allocation failing at each
 * step changes nothing, the areas and allowed ranges included. */

enum fault {
	FAULT_MAP,
	FAULT_ALLOC
};

struct call {
	int (*run)(struct fx *fx, const struct call *c, uint64_t *out);
	uint32_t a, b;
	uint64_t x, y;
	const struct swmsi_iova_range *ranges;
	size_t n;
};

struct lists {
	struct swmsi_area_info areas[MAX_AREAS];
	struct swmsi_iova_range allowed[MAX_RANGES];
	struct swmsi_resv_info resv[MAX_RANGES];
	size_t na, nl, nr;
};

static void lists_take(struct fx *fx, uint32_t ioas, struct lists *l)
{
	memset(l, 0, sizeof(*l));
	assert_int_equal(swmsi_ioas_area_list(fx->ctx, ioas, l->areas, MAX_AREAS, &l->na), 0);
	assert_int_equal(swmsi_ioas_allowed_list(fx->ctx, ioas, l->allowed, MAX_RANGES, &l->nl), 0);
	assert_int_equal(swmsi_ioas_resv_list(fx->ctx, ioas, l->resv, MAX_RANGES, &l->nr), 0);
}

/* Runs @c with the nth fault armed, n = 1, 2, ... until it succeeds;
 * returns how many runs failed. @ioas: whose lists must not change. */
static unsigned int sweep(struct fx *fx, const struct call *c, enum fault f, uint32_t ioas)
{
	int err = f == FAULT_MAP ? -EIO : -ENOMEM;
	unsigned int n;

	for (n = 1; n <= SWEEP_MAX; n++) {
		struct snap *before = snap_take(fx);
		struct lists l0, l1;
		uint64_t out = SENTINEL;
		int rc;

		lists_take(fx, ioas, &l0);
		if (f == FAULT_MAP)
			mock_iommu_fail_map(fx->mock, n, err);
		else
			assert_int_equal(swmsi_ctx_fail_alloc(fx->ctx, n), 0);
		rc = c->run(fx, c, &out);
		mock_iommu_fail_map(fx->mock, 0, 0);
		assert_int_equal(swmsi_ctx_fail_alloc(fx->ctx, 0), 0);
		if (!rc) {
			snap_free(before);
			return n - 1;
		}
		if (rc != err)
			fail_msg("fault #%u: returned %s", n, swmsi_errno_name(rc));
		assert_int_equal(out, SENTINEL);
		lists_take(fx, ioas, &l1);
		if (memcmp(&l0, &l1, sizeof(l0)))
			fail_msg("fault #%u: the IOAS's lists changed", n);
		snap_expect_restored(fx, before, "io_pagetable call");
	}
	fail_msg("never succeeded in %u runs", SWEEP_MAX);
	return 0;
}

static int run_map_user(struct fx *fx, const struct call *c, uint64_t *out)
{
	uint64_t iova = 0;
	int rc = swmsi_ioas_map_user(fx->ctx, c->a, RDWR, c->x, c->y, &iova);

	if (!rc)
		*out = iova;
	return rc;
}

static int run_copy(struct fx *fx, const struct call *c, uint64_t *out)
{
	uint64_t at = 0;
	int rc = swmsi_ioas_copy(fx->ctx, c->a, c->b, c->x, c->y, &at, RDWR);

	if (!rc)
		*out = at;
	return rc;
}

static int run_allow(struct fx *fx, const struct call *c, uint64_t *out)
{
	(void)out;
	return swmsi_ioas_allow_iovas(fx->ctx, c->a, c->ranges, c->n);
}

static int run_add_reserved(struct fx *fx, const struct call *c, uint64_t *out)
{
	(void)out;
	return swmsi_ioas_add_reserved(fx->ctx, c->a, c->x, c->y);
}

static int run_hwpt_alloc(struct fx *fx, const struct call *c, uint64_t *out)
{
	uint32_t id = 0;
	int rc = swmsi_hwpt_alloc(fx->ctx, c->a, 0, &id);

	if (!rc)
		*out = id;
	return rc;
}

static void map_user_and_copy_faults_change_nothing(void **state)
{
	struct fx *fx = *state;
	uint32_t src = fx_ioas(fx), dst = fx_ioas(fx);
	void *buf = region(8 * PG, 8 * PG);
	struct call map = { run_map_user, src, 0, va(buf), 8 * PG, NULL, 0 };
	struct call copy = { run_copy, dst, src, 0, 8 * PG, NULL, 0 };
	uint64_t iova;

	fx_hwpt(fx, src, 0);
	fx_hwpt(fx, src, SWMSI_HWPT_NEST_PARENT);
	/* one map per domain, either may fail */
	assert_int_equal(sweep(fx, &map, FAULT_MAP, src), 2);
	assert_int_equal(sweep(fx, &map, FAULT_ALLOC, src), 1);
	/* two more areas after the second, for a copy of three pieces */
	iova = map_ok(fx, src, RDWR | FIXED, va(buf), 4 * PG, 24 * PG);
	map_ok(fx, src, RDWR | FIXED, va(buf) + 4 * PG, 4 * PG, iova + 4 * PG);
	copy.x = 20 * PG;
	copy.y = 10 * PG;
	fx_hwpt(fx, dst, 0);
	fx_hwpt(fx, dst, 0);
	/* three pieces into two domains */
	assert_int_equal(sweep(fx, &copy, FAULT_MAP, dst), 6);
	assert_int_equal(sweep(fx, &copy, FAULT_ALLOC, dst), 4);
	unmap_ok(fx, src, 0, MAX, 24 * PG);
	/* the two sweeps' copies */
	unmap_ok(fx, dst, 0, MAX, 20 * PG);
	unmap_region(buf, 8 * PG);
}

static void ranges_and_domain_faults_change_nothing(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx);
	const struct swmsi_iova_range r[] = { { 0x300000, 0x3fffff }, { 0x100000, 0x1fffff } };
	struct call allow = { run_allow, ioas, 0, 0, 0, r, 2 };
	struct call resv = { run_add_reserved, ioas, 0, 0x500000, PG, NULL, 0 };
	struct call hwpt = { run_hwpt_alloc, ioas, 0, 0, 0, NULL, 0 };
	void *buf = region(4 * PG, PG);

	assert_int_equal(sweep(fx, &allow, FAULT_ALLOC, ioas), 1);
	assert_int_equal(sweep(fx, &resv, FAULT_ALLOC, ioas), 1);
	map_ok(fx, ioas, RDWR | FIXED, va(buf), 2 * PG, 0x100000);
	map_ok(fx, ioas, RD | FIXED, va(buf) + 2 * PG, 2 * PG, 0x110000);
	assert_int_equal(sweep(fx, &hwpt, FAULT_MAP, ioas), 2);
	unmap_ok(fx, ioas, 0, MAX, 4 * PG);
	unmap_region(buf, 4 * PG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, fx_setup, fx_teardown)
		T(allocated_iovas_are_the_lowest_aligned_holes_from_one_page),
		T(allocated_iova_keeps_the_user_va_alignment_and_page_offset),
		T(allocated_iova_avoids_areas_and_reserved_ranges),
		cmocka_unit_test_setup_teardown(allocation_starts_one_context_page_up_with_64k_pages,
						fx_setup_64k, fx_teardown),
		T(allocation_that_would_align_past_the_top_is_enospc),
		T(allocation_errors_follow_upstream),
		T(map_user_checks_in_upstream_order),
		cmocka_unit_test(fixed_map_on_a_reserved_range_per_scheme),
		T(unmap_takes_whole_areas_and_reports_their_length),
		T(unmap_everything_succeeds_also_on_an_empty_ioas),
		T(a_domain_mirrors_user_areas_at_their_va),
		T(user_memory_not_mapped_is_efault_once_a_domain_needs_it),
		T(user_memory_not_readable_is_efault),
		T(alignment_rises_with_a_domain_or_huge_pages_off),
		cmocka_unit_test(backend_page_sizes_set_the_ioas_alignment),
		T(allowed_ranges_bound_allocation_only),
		T(allowed_ranges_bad_input_changes_nothing),
		cmocka_unit_test(attach_and_hwpt_alloc_refuse_reserving_an_allowed_range),
		T(copy_maps_the_same_backing_slice_by_slice),
		T(copy_errors_follow_upstream),
		T(copy_into_a_domain_keeps_its_alignment),
		T(copy_sweep_covers_exactly_the_source_areas),
		T(map_user_and_copy_faults_change_nothing),
		T(ranges_and_domain_faults_change_nothing),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
