/* SPDX-License-Identifier: MIT */
/*
 * Reserved regions (API.md "Reserved regions (v0.3)"): what bind accepts
 * in a device's region list and in which order it checks it, what an
 * attached device reserves on its IOAS and who owns it, the aperture each
 * paging HWPT reserves, the usable ranges that are left, and the errors of
 * attach, replace, map and hwpt_alloc when a mapping meets a reserved range
 * under each scheme. Every failure is checked to change nothing, also when
 * an internal allocation fails at each step (fault sweeps).
 */
#include "fixture.h"
#include "snapshot.h"

#include <stdio.h>
#include <stdlib.h>

#define RW	 (SWMSI_PROT_READ | SWMSI_PROT_WRITE)
#define PAGE	 0x1000ull
#define MAX	 UINT64_MAX
#define APER	 (1ull << 48) /* the mock's aperture: 48 bits */
#define WIN	 FX_WINDOW_START
#define WIN_LAST (FX_WINDOW_START + FX_WINDOW_SIZE - 1)

/* The regions most tests give a device (no SW_MSI: the fields carry it). */
#define DIRECT_AT  0x1000000ull
#define RELAX_AT   0x2000000ull
#define RESV_AT	   0x3000000ull
#define HWMSI_AT   0xfee00000ull
#define REGION_LEN 0x10000ull

static const struct swmsi_resv_region regions[] = {
	{ DIRECT_AT, REGION_LEN, SWMSI_RESV_DIRECT },
	{ RELAX_AT, REGION_LEN, SWMSI_RESV_DIRECT_RELAXABLE },
	{ RESV_AT, REGION_LEN, SWMSI_RESV_RESERVED },
};

static const enum swmsi_scheme all_schemes[] = {
	SWMSI_SCHEME_NATIVE,
	SWMSI_SCHEME_KERNEL,
	SWMSI_SCHEME_DMA_IOMMU,
};
#define NSCHEMES (sizeof(all_schemes) / sizeof(all_schemes[0]))

/* ioas_map meeting a reserved range (API.md "Reserved regions"): NATIVE
 * names the cause, KERNEL and DMA_IOMMU answer as iopt_check_iova(). */
static int map_resv_err(enum swmsi_scheme scheme)
{
	return scheme == SWMSI_SCHEME_NATIVE ? -EADDRINUSE : -EINVAL;
}

static struct fx *new_fx(enum swmsi_scheme scheme)
{
	struct swmsi_ctx_opts o = { .scheme = scheme };

	return fx_new(&o);
}

static int bind_rc(struct fx *fx, uint32_t group, uint64_t win, const struct swmsi_resv_region *r,
		   uint32_t n, uint32_t *id)
{
	struct swmsi_device_desc d = {
		.group = group,
		.sw_msi_start = win,
		.sw_msi_size = win == SWMSI_PHYS_NONE ? 0 : FX_WINDOW_SIZE,
		.resv = r,
		.nr_resv = n,
	};

	return swmsi_device_bind(fx->ctx, &d, id);
}

static uint32_t bind_ok(struct fx *fx, uint32_t group, uint64_t win,
			const struct swmsi_resv_region *r, uint32_t n)
{
	uint32_t id = 0;

	assert_int_equal(bind_rc(fx, group, win, r, n, &id), 0);
	return id;
}

static size_t objs(struct fx *fx)
{
	size_t n = 0;

	assert_int_equal(swmsi_obj_list(fx->ctx, NULL, 0, &n), 0);
	return n;
}

/* Bind fails with @err, writes no id and binds nothing. */
static void expect_bind_fails(struct fx *fx, uint64_t win, const struct swmsi_resv_region *r,
			      uint32_t n, int err)
{
	size_t before = objs(fx);
	uint32_t id = 0xdead;

	assert_int_equal(bind_rc(fx, 7, win, r, n, &id), err);
	assert_int_equal(id, 0xdead);
	assert_int_equal(objs(fx), before);
}

/* The reserved ranges of @ioas are exactly @want (@n entries). */
static void expect_resv(struct fx *fx, uint32_t ioas, const struct swmsi_resv_info *want, size_t n)
{
	struct swmsi_resv_info got[16];
	size_t count = 99, i;

	assert_int_equal(swmsi_ioas_resv_list(fx->ctx, ioas, got, 16, &count), 0);
	assert_int_equal(count, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(got[i].start, want[i].start);
		assert_int_equal(got[i].last, want[i].last);
		assert_int_equal(got[i].type, want[i].type);
		assert_int_equal(got[i].owner, want[i].owner);
	}
}

/* The usable ranges of @ioas are exactly @want (@n entries). */
static void expect_ranges(struct fx *fx, uint32_t ioas, const struct swmsi_iova_range *want,
			  size_t n)
{
	struct swmsi_iova_range got[16];
	size_t count = 99, i;

	assert_int_equal(swmsi_ioas_iova_ranges(fx->ctx, ioas, got, 16, &count), 0);
	assert_int_equal(count, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(got[i].start, want[i].start);
		assert_int_equal(got[i].last, want[i].last);
	}
}

/* A digest of every range reserved on every IOAS of the context, owners
 * included: the part of the state the common snapshot does not read. */
static uint64_t resv_digest(struct fx *fx)
{
	struct swmsi_obj_info o[64];
	uint64_t h = 1469598103934665603ull;
	size_t n = 0, i, j;

	assert_int_equal(swmsi_obj_list(fx->ctx, o, 64, &n), 0);
	assert_true(n <= 64);
	for (i = 0; i < n; i++) {
		struct swmsi_resv_info r[32];
		size_t m = 0;

		if (o[i].type != SWMSI_OBJ_IOAS)
			continue;
		assert_int_equal(swmsi_ioas_resv_list(fx->ctx, o[i].id, r, 32, &m), 0);
		assert_true(m <= 32);
		h = (h ^ (o[i].id + m)) * 1099511628211ull;
		for (j = 0; j < m; j++)
			h = (h ^ (r[j].start ^ r[j].last * 3 ^ (uint64_t)r[j].type << 40 ^
				  (uint64_t)r[j].owner << 48)) *
			    1099511628211ull;
	}
	return h;
}

static void expect_all_usable(struct fx *fx, uint32_t ioas)
{
	static const struct swmsi_iova_range all[] = { { 0, MAX } };

	expect_resv(fx, ioas, NULL, 0);
	expect_ranges(fx, ioas, all, 1);
}

/* ------------------------------------------------------------------ */
/* Bind                                                                */

static void bind_checks_each_entry_in_array_order(void **state)
{
	size_t s;

	(void)state;
	for (s = 0; s < NSCHEMES; s++) {
		struct fx *fx = new_fx(all_schemes[s]);
		const uint64_t none = SWMSI_PHYS_NONE;
		struct swmsi_resv_region r[2] = { 0 };

		/* misaligned start, misaligned size, empty: -EINVAL */
		r[0] = (struct swmsi_resv_region){ 0x1800, PAGE, SWMSI_RESV_RESERVED };
		expect_bind_fails(fx, none, r, 1, -EINVAL);
		r[0] = (struct swmsi_resv_region){ 0x1000, 0x800, SWMSI_RESV_RESERVED };
		expect_bind_fails(fx, none, r, 1, -EINVAL);
		r[0] = (struct swmsi_resv_region){ 0x1000, 0, SWMSI_RESV_RESERVED };
		expect_bind_fails(fx, none, r, 1, -EINVAL);
		/* wraps: -EOVERFLOW, a SW_MSI entry included */
		r[0] = (struct swmsi_resv_region){ MAX - PAGE + 1, 2 * PAGE, SWMSI_RESV_DIRECT };
		expect_bind_fails(fx, none, r, 1, -EOVERFLOW);
		r[0].type = SWMSI_RESV_SW_MSI;
		expect_bind_fails(fx, none, r, 1, -EOVERFLOW);
		/* unknown types and APERTURE: -EOPNOTSUPP */
		r[0] = (struct swmsi_resv_region){ PAGE, PAGE, SWMSI_RESV_APERTURE };
		expect_bind_fails(fx, none, r, 1, -EOPNOTSUPP);
		r[0].type = (enum swmsi_resv_type)0;
		expect_bind_fails(fx, none, r, 1, -EOPNOTSUPP);
		r[0].type = (enum swmsi_resv_type)7;
		expect_bind_fails(fx, none, r, 1, -EOPNOTSUPP);
		/* array order: the first bad entry answers */
		r[0] = (struct swmsi_resv_region){ MAX - PAGE + 1, 2 * PAGE, SWMSI_RESV_DIRECT };
		r[1] = (struct swmsi_resv_region){ 0x1800, PAGE, SWMSI_RESV_DIRECT };
		expect_bind_fails(fx, none, r, 2, -EOVERFLOW);
		r[0] = (struct swmsi_resv_region){ PAGE, PAGE, SWMSI_RESV_APERTURE };
		expect_bind_fails(fx, none, r, 2, -EOPNOTSUPP);
		r[0] = (struct swmsi_resv_region){ PAGE, PAGE, SWMSI_RESV_RESERVED };
		expect_bind_fails(fx, none, r, 2, -EINVAL);
		/* a list without its array */
		expect_bind_fails(fx, none, NULL, 1, -EINVAL);
		/* the v0.1 fields keep their -EINVAL, wrap included, ahead of the list */
		{
			struct swmsi_device_desc d = { .group = 1,
						       .sw_msi_start = MAX - PAGE + 1,
						       .sw_msi_size = 2 * PAGE,
						       .resv = r,
						       .nr_resv = 2 };
			uint32_t id = 0xdead;

			r[0] = (struct swmsi_resv_region){ MAX - PAGE + 1, 2 * PAGE,
							   SWMSI_RESV_DIRECT };
			assert_int_equal(swmsi_device_bind(fx->ctx, &d, &id), -EINVAL);
			assert_int_equal(id, 0xdead);
		}
		/* NULL with 0 entries is the v0.1 descriptor */
		bind_ok(fx, 1, WIN, NULL, 0);
		fx_free(fx);
	}
}

static void bind_refuses_a_window_in_both_places_under_every_scheme(void **state)
{
	static const struct swmsi_resv_region sw[] = {
		{ 0x9000000, FX_WINDOW_SIZE, SWMSI_RESV_SW_MSI },
	};
	size_t s;

	(void)state;
	for (s = 0; s < NSCHEMES; s++) {
		struct fx *fx = new_fx(all_schemes[s]);

		expect_bind_fails(fx, WIN, sw, 1, -EINVAL);
		fx_free(fx);
	}
}

static void bind_native_refuses_two_sw_msi_and_a_window_with_msi(void **state)
{
	static const struct swmsi_resv_region two[] = {
		{ 0x9000000, FX_WINDOW_SIZE, SWMSI_RESV_SW_MSI },
		{ 0xa000000, FX_WINDOW_SIZE, SWMSI_RESV_SW_MSI },
	};
	static const struct swmsi_resv_region hw[] = {
		{ HWMSI_AT, 0x100000, SWMSI_RESV_MSI },
	};
	static const struct swmsi_resv_region sw_hw[] = {
		{ 0x9000000, FX_WINDOW_SIZE, SWMSI_RESV_SW_MSI },
		{ HWMSI_AT, 0x100000, SWMSI_RESV_MSI },
	};
	struct fx *fx = *state;

	expect_bind_fails(fx, SWMSI_PHYS_NONE, two, 2, -EINVAL);
	expect_bind_fails(fx, WIN, hw, 1, -EINVAL);
	expect_bind_fails(fx, SWMSI_PHYS_NONE, sw_hw, 2, -EINVAL);
	/* an MSI region alone is fine (x86) */
	bind_ok(fx, 1, SWMSI_PHYS_NONE, hw, 1);
}

/* KERNEL and DMA_IOMMU bind a window with an MSI region, or two SW_MSI
 * regions, and refuse them at attach (-EINVAL), after the reservations:
 * a region meeting a mapping answers -EADDRINUSE first. */
static void bind_kernel_and_dma_accept_a_window_with_msi(void **state)
{
	static const struct swmsi_resv_region hw[] = {
		{ HWMSI_AT, 0x100000, SWMSI_RESV_MSI },
	};
	static const struct swmsi_resv_region two[] = {
		{ 0x9000000, FX_WINDOW_SIZE, SWMSI_RESV_SW_MSI },
		{ 0xa000000, FX_WINDOW_SIZE, SWMSI_RESV_SW_MSI },
	};
	size_t s;

	(void)state;
	for (s = 1; s < NSCHEMES; s++) {
		struct fx *fx = new_fx(all_schemes[s]);
		uint32_t d1 = bind_ok(fx, 1, WIN, hw, 1),
			 d2 = bind_ok(fx, 2, SWMSI_PHYS_NONE, two, 2);
		uint32_t ioas = fx_ioas(fx), hwpt = fx_hwpt(fx, ioas, 0);
		uint64_t digest = resv_digest(fx);

		assert_int_equal(swmsi_device_attach(fx->ctx, d1, hwpt), -EINVAL);
		assert_int_equal(swmsi_device_attach(fx->ctx, d2, hwpt), -EINVAL);
		assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, HWMSI_AT, 0x100000000, PAGE, RW), 0);
		assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, 0xa000000, 0x100001000, PAGE, RW),
				 0);
		assert_int_equal(swmsi_device_attach(fx->ctx, d1, hwpt), -EADDRINUSE);
		assert_int_equal(swmsi_device_attach(fx->ctx, d2, hwpt), -EADDRINUSE);
		assert_int_equal(resv_digest(fx), digest);
		assert_false(fx_dev_info(fx, d1).attached);
		assert_false(fx_dev_info(fx, d2).attached);
		fx_free(fx);
	}
}

/* A SW_MSI entry is the device's window, as the v0.1 fields are. */
static void bind_sw_msi_entry_is_the_window(void **state)
{
	static const struct swmsi_resv_region sw[] = {
		{ 0x9000000, FX_WINDOW_SIZE, SWMSI_RESV_SW_MSI },
	};
	size_t s;

	(void)state;
	for (s = 0; s < NSCHEMES; s++) {
		struct fx *fx = new_fx(all_schemes[s]);
		uint32_t dev = bind_ok(fx, 1, SWMSI_PHYS_NONE, sw, 1), ioas = fx_ioas(fx);
		struct swmsi_device_info info = fx_dev_info(fx, dev);

		assert_int_equal(info.sw_msi_start, 0x9000000);
		assert_int_equal(info.sw_msi_size, FX_WINDOW_SIZE);
		assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
		fx_expect_msi_alloc(fx, dev, FX_ITS_PAGE + 0x40, 0x9000000 + 0x40);
		fx_free(fx);
	}
}

/* ------------------------------------------------------------------ */
/* Reserved while attached                                             */

static void attach_reserves_every_region_but_relaxable_owned_by_the_device(void **state)
{
	size_t s;

	(void)state;
	for (s = 0; s < NSCHEMES; s++) {
		struct fx *fx = new_fx(all_schemes[s]);
		uint32_t dev = bind_ok(fx, 1, WIN, regions, 3), ioas = fx_ioas(fx), hwpt;

		expect_all_usable(fx, ioas);
		assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
		hwpt = fx_dev_hwpt(fx, dev);
		{
			const struct swmsi_resv_info want[] = {
				{ DIRECT_AT, DIRECT_AT + REGION_LEN - 1, SWMSI_RESV_DIRECT, dev },
				{ RESV_AT, RESV_AT + REGION_LEN - 1, SWMSI_RESV_RESERVED, dev },
				{ WIN, WIN_LAST, SWMSI_RESV_SW_MSI, dev },
				{ APER, MAX, SWMSI_RESV_APERTURE, hwpt },
			};
			const struct swmsi_iova_range usable[] = {
				{ 0, DIRECT_AT - 1 },
				{ DIRECT_AT + REGION_LEN, RESV_AT - 1 },
				{ RESV_AT + REGION_LEN, WIN - 1 },
				{ WIN_LAST + 1, APER - 1 },
			};

			expect_resv(fx, ioas, want, 4);
			expect_ranges(fx, ioas, usable, 4);
		}
		/* detach releases (and the automatic HWPT goes with its aperture) */
		assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);
		expect_all_usable(fx, ioas);
		fx_free(fx);
	}
}

static void native_map_meeting_a_reserved_range_is_eaddrinuse(void **state)
{
	struct fx *fx = *state;
	uint32_t dev = bind_ok(fx, 1, WIN, regions, 3), ioas = fx_ioas(fx);
	struct snap *before;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
	before = snap_take(fx);
	/* one page into each, and one range straddling an edge */
	assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, DIRECT_AT, 0x100000000, PAGE, RW),
			 -EADDRINUSE);
	assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, RESV_AT - PAGE, 0x100000000, 2 * PAGE, RW),
			 -EADDRINUSE);
	assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, WIN_LAST + 1 - PAGE, 0x100000000, PAGE, RW),
			 -EADDRINUSE);
	assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, APER, 0x100000000, PAGE, RW), -EADDRINUSE);
	snap_expect_unchanged(fx, before, "maps into reserved ranges");
	/* a relaxable region is not reserved; the page before one is free */
	assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, RELAX_AT, 0x100000000, PAGE, RW), 0);
	assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, DIRECT_AT - PAGE, 0x100001000, PAGE, RW), 0);
	assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, APER - PAGE, 0x100002000, PAGE, RW), 0);
}

static void attach_fails_eaddrinuse_when_a_region_meets_a_mapping(void **state)
{
	size_t s;

	(void)state;
	for (s = 0; s < NSCHEMES; s++) {
		struct fx *fx = new_fx(all_schemes[s]);
		uint32_t dev = bind_ok(fx, 1, WIN, regions, 3), ioas = fx_ioas(fx);
		uint32_t hwpt = fx_hwpt(fx, ioas, 0);
		struct snap *before;
		uint64_t digest;
		size_t nobj;

		assert_int_equal(
			swmsi_ioas_map(fx->ctx, ioas, RESV_AT + PAGE, 0x100000000, PAGE, RW), 0);
		before = snap_take(fx);
		nobj = objs(fx);
		digest = resv_digest(fx);
		/* through an automatic HWPT (none is left behind) and a user's */
		assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), -EADDRINUSE);
		assert_int_equal(swmsi_device_attach(fx->ctx, dev, hwpt), -EADDRINUSE);
		snap_expect_unchanged(fx, before, "attach meeting a mapping");
		assert_int_equal(objs(fx), nobj);
		assert_int_equal(resv_digest(fx), digest);
		{
			const struct swmsi_resv_info aper[] = {
				{ APER, MAX, SWMSI_RESV_APERTURE, hwpt },
			};

			expect_resv(fx, ioas, aper, 1);
		}
		assert_false(fx_dev_info(fx, dev).attached);
		/* a relaxable region may be mapped: its device attaches */
		assert_int_equal(swmsi_ioas_unmap(fx->ctx, ioas, RESV_AT + PAGE, PAGE), 0);
		assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, RELAX_AT, 0x100000000, PAGE, RW), 0);
		assert_int_equal(swmsi_device_attach(fx->ctx, dev, hwpt), 0);
		fx_free(fx);
	}
}

static void replace_onto_another_ioas_moves_the_ranges(void **state)
{
	size_t s;

	(void)state;
	for (s = 0; s < NSCHEMES; s++) {
		struct fx *fx = new_fx(all_schemes[s]);
		uint32_t dev = bind_ok(fx, 1, WIN, regions, 3), a = fx_ioas(fx), b = fx_ioas(fx);
		uint32_t ha = fx_hwpt(fx, a, 0), ha2 = fx_hwpt(fx, a, 0), hb = fx_hwpt(fx, b, 0);
		struct snap *before;
		uint64_t digest;

		assert_int_equal(swmsi_device_attach(fx->ctx, dev, ha), 0);
		/* within the IOAS nothing moves */
		assert_int_equal(swmsi_device_replace(fx->ctx, dev, ha2), 0);
		assert_int_equal(swmsi_ioas_map(fx->ctx, a, DIRECT_AT, 0x100000000, PAGE, RW),
				 map_resv_err(all_schemes[s]));
		/* onto B, which maps into the DIRECT region: refused, nothing moves */
		assert_int_equal(swmsi_ioas_map(fx->ctx, b, DIRECT_AT, 0x100000000, PAGE, RW), 0);
		before = snap_take(fx);
		digest = resv_digest(fx);
		assert_int_equal(swmsi_device_replace(fx->ctx, dev, hb), -EADDRINUSE);
		snap_expect_unchanged(fx, before, "replace meeting a mapping");
		assert_int_equal(resv_digest(fx), digest);
		assert_int_equal(fx_dev_hwpt(fx, dev), ha2);
		assert_int_equal(swmsi_ioas_unmap(fx->ctx, b, DIRECT_AT, PAGE), 0);
		/* then it moves, and A is free again but for its apertures */
		assert_int_equal(swmsi_device_replace(fx->ctx, dev, hb), 0);
		{
			const struct swmsi_resv_info on_a[] = {
				{ APER, MAX, SWMSI_RESV_APERTURE, ha },
				{ APER, MAX, SWMSI_RESV_APERTURE, ha2 },
			};
			const struct swmsi_resv_info on_b[] = {
				{ DIRECT_AT, DIRECT_AT + REGION_LEN - 1, SWMSI_RESV_DIRECT, dev },
				{ RESV_AT, RESV_AT + REGION_LEN - 1, SWMSI_RESV_RESERVED, dev },
				{ WIN, WIN_LAST, SWMSI_RESV_SW_MSI, dev },
				{ APER, MAX, SWMSI_RESV_APERTURE, hb },
			};

			expect_resv(fx, a, on_a, 2);
			expect_resv(fx, b, on_b, 4);
		}
		assert_int_equal(swmsi_ioas_map(fx->ctx, a, DIRECT_AT, 0x100000000, PAGE, RW), 0);
		/* unbind releases */
		assert_int_equal(swmsi_device_unbind(fx->ctx, dev), 0);
		{
			const struct swmsi_resv_info on_b[] = {
				{ APER, MAX, SWMSI_RESV_APERTURE, hb },
			};

			expect_resv(fx, b, on_b, 1);
		}
		fx_free(fx);
	}
}

/* A range stays reserved while any owner holds it. */
static void overlapping_reservations_of_several_owners(void **state)
{
	static const struct swmsi_resv_region r1[] = {
		{ RESV_AT, 2 * REGION_LEN, SWMSI_RESV_RESERVED },
	};
	static const struct swmsi_resv_region r2[] = {
		{ RESV_AT + REGION_LEN, 2 * REGION_LEN, SWMSI_RESV_DIRECT },
	};
	struct fx *fx = *state;
	uint32_t d1 = bind_ok(fx, 1, WIN, r1, 1), d2 = bind_ok(fx, 2, WIN, r2, 1);
	uint32_t d3 = bind_ok(fx, 1, WIN, r1, 1);
	uint32_t ioas = fx_ioas(fx), hwpt = fx_hwpt(fx, ioas, 0);
	const uint64_t mid = RESV_AT + REGION_LEN; /* in both */

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, hwpt), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, hwpt), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d3, hwpt), 0);
	{
		const struct swmsi_resv_info want[] = {
			{ RESV_AT, mid + REGION_LEN - 1, SWMSI_RESV_RESERVED, d1 },
			{ RESV_AT, mid + REGION_LEN - 1, SWMSI_RESV_RESERVED, d3 },
			{ mid, mid + 2 * REGION_LEN - 1, SWMSI_RESV_DIRECT, d2 },
			{ WIN, WIN_LAST, SWMSI_RESV_SW_MSI, d1 },
			{ WIN, WIN_LAST, SWMSI_RESV_SW_MSI, d2 },
			{ WIN, WIN_LAST, SWMSI_RESV_SW_MSI, d3 },
			{ APER, MAX, SWMSI_RESV_APERTURE, hwpt },
		};
		const struct swmsi_iova_range usable[] = {
			{ 0, RESV_AT - 1 },
			{ mid + 2 * REGION_LEN, WIN - 1 },
			{ WIN_LAST + 1, APER - 1 },
		};
		struct swmsi_mapping win[2];
		size_t n = 0;

		expect_resv(fx, ioas, want, 7);
		expect_ranges(fx, ioas, usable, 3);
		/* swmsi_ioas_window_list() still lists the window once */
		assert_int_equal(swmsi_ioas_window_list(fx->ctx, ioas, win, 2, &n), 0);
		assert_int_equal(n, 1);
		assert_int_equal(win[0].iova, WIN);
		assert_int_equal(win[0].length, FX_WINDOW_SIZE);
	}
	/* d1 goes: d3 still holds the same range, d2 the middle */
	assert_int_equal(swmsi_device_detach(fx->ctx, d1), 0);
	assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, RESV_AT, 0x100000000, PAGE, RW),
			 -EADDRINUSE);
	assert_int_equal(swmsi_device_detach(fx->ctx, d3), 0);
	assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, RESV_AT, 0x100000000, PAGE, RW), 0);
	assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, mid, 0x100001000, PAGE, RW), -EADDRINUSE);
	assert_int_equal(swmsi_device_detach(fx->ctx, d2), 0);
	assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, mid, 0x100001000, PAGE, RW), 0);
	assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, WIN, 0x100002000, PAGE, RW), 0);
}

/* A later device of an attached group reserves its own ranges when it joins. */
static void joining_device_reserves_its_own_regions(void **state)
{
	static const struct swmsi_resv_region r2[] = {
		{ RESV_AT, REGION_LEN, SWMSI_RESV_RESERVED },
	};
	size_t s;

	(void)state;
	for (s = 0; s < NSCHEMES; s++) {
		struct fx *fx = new_fx(all_schemes[s]);
		uint32_t d1 = bind_ok(fx, 1, WIN, NULL, 0), d2 = bind_ok(fx, 1, WIN, r2, 1);
		uint32_t ioas = fx_ioas(fx), hwpt = fx_hwpt(fx, ioas, 0);
		struct snap *before;
		uint64_t digest;

		assert_int_equal(swmsi_device_attach(fx->ctx, d1, hwpt), 0);
		assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, RESV_AT, 0x100000000, PAGE, RW), 0);
		before = snap_take(fx);
		digest = resv_digest(fx);
		assert_int_equal(swmsi_device_attach(fx->ctx, d2, hwpt), -EADDRINUSE);
		snap_expect_unchanged(fx, before, "joining device meeting a mapping");
		assert_int_equal(resv_digest(fx), digest);
		assert_false(fx_dev_info(fx, d2).attached);
		assert_int_equal(swmsi_ioas_unmap(fx->ctx, ioas, RESV_AT, PAGE), 0);
		assert_int_equal(swmsi_device_attach(fx->ctx, d2, hwpt), 0);
		{
			const struct swmsi_resv_info want[] = {
				{ RESV_AT, RESV_AT + REGION_LEN - 1, SWMSI_RESV_RESERVED, d2 },
				{ WIN, WIN_LAST, SWMSI_RESV_SW_MSI, d1 },
				{ WIN, WIN_LAST, SWMSI_RESV_SW_MSI, d2 },
				{ APER, MAX, SWMSI_RESV_APERTURE, hwpt },
			};

			expect_resv(fx, ioas, want, 4);
		}
		/* d2 leaves alone: the group stays, d1's window with it */
		assert_int_equal(swmsi_device_detach(fx->ctx, d2), 0);
		{
			const struct swmsi_resv_info want[] = {
				{ WIN, WIN_LAST, SWMSI_RESV_SW_MSI, d1 },
				{ APER, MAX, SWMSI_RESV_APERTURE, hwpt },
			};

			expect_resv(fx, ioas, want, 2);
		}
		fx_free(fx);
	}
}

/* On a nested HWPT the regions are reserved on its parent's IOAS. */
static void nested_attach_reserves_on_the_parents_ioas(void **state)
{
	struct fx *fx = *state;
	uint32_t dev = bind_ok(fx, 1, WIN, regions, 3), ioas = fx_ioas(fx);
	uint32_t parent = fx_hwpt(fx, ioas, SWMSI_HWPT_NEST_PARENT);
	uint32_t nested = fx_nested_rmr(fx, parent);
	const struct swmsi_resv_info want[] = {
		{ DIRECT_AT, DIRECT_AT + REGION_LEN - 1, SWMSI_RESV_DIRECT, dev },
		{ RESV_AT, RESV_AT + REGION_LEN - 1, SWMSI_RESV_RESERVED, dev },
		{ WIN, WIN_LAST, SWMSI_RESV_SW_MSI, dev },
		{ APER, MAX, SWMSI_RESV_APERTURE, parent },
	};

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, nested), 0);
	expect_resv(fx, ioas, want, 4);
}

/* A replace onto another HWPT of the same IOAS whose install fails: under
 * NATIVE the group's devices keep their reserved ranges on that IOAS. */
static void native_failed_same_ioas_replace_keeps_the_reserved_ranges(void **state)
{
	struct fx *fx = *state;
	uint32_t dev = bind_ok(fx, 1, WIN, regions, 3), ioas = fx_ioas(fx);
	uint32_t h1 = fx_hwpt(fx, ioas, 0), h2 = fx_hwpt(fx, ioas, 0);
	uint64_t digest;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h1), 0);
	fx_msi_alloc(fx, dev, FX_ITS_PAGE, NULL);
	digest = resv_digest(fx);
	mock_iommu_fail_map(fx->mock, 1, -EIO);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, h2), -EIO);
	mock_iommu_fail_map(fx->mock, 0, 0);
	assert_int_equal(fx_dev_hwpt(fx, dev), h1);
	assert_int_equal(resv_digest(fx), digest);
	assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, WIN + 0x10000, 0x100000000, PAGE, RW),
			 -EADDRINUSE);
	assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, RESV_AT, 0x100001000, PAGE, RW),
			 -EADDRINUSE);
}

/* ------------------------------------------------------------------ */
/* The aperture                                                        */

static void hwpt_reserves_outside_its_aperture_from_alloc_to_destroy(void **state)
{
	size_t s;

	(void)state;
	for (s = 0; s < NSCHEMES; s++) {
		struct fx *fx = new_fx(all_schemes[s]);
		uint32_t ioas = fx_ioas(fx), hwpt, id = 0xdead;
		const struct swmsi_iova_range usable[] = { { 0, APER - 1 } };
		struct snap *before;
		uint64_t digest;
		size_t nobj;

		hwpt = fx_hwpt(fx, ioas, 0);
		{
			const struct swmsi_resv_info want[] = {
				{ APER, MAX, SWMSI_RESV_APERTURE, hwpt },
			};

			expect_resv(fx, ioas, want, 1);
			expect_ranges(fx, ioas, usable, 1);
		}
		assert_int_equal(swmsi_obj_destroy(fx->ctx, hwpt), 0);
		expect_all_usable(fx, ioas);
		/* an IOAS with no HWPT maps anywhere; then no HWPT fits */
		assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, APER, 0x100000000, PAGE, RW), 0);
		before = snap_take(fx);
		nobj = objs(fx);
		digest = resv_digest(fx);
		assert_int_equal(swmsi_hwpt_alloc(fx->ctx, ioas, 0, &id), -EADDRINUSE);
		assert_int_equal(id, 0xdead);
		snap_expect_unchanged(fx, before, "hwpt_alloc over a mapping past the aperture");
		assert_int_equal(objs(fx), nobj);
		assert_int_equal(resv_digest(fx), digest);
		expect_all_usable(fx, ioas);
		/* nor an automatic one */
		{
			uint32_t dev = bind_ok(fx, 1, WIN, NULL, 0);

			assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), -EADDRINUSE);
			assert_int_equal(objs(fx), nobj + 1);
		}
		fx_free(fx);
	}
}

/* A backend's own aperture op: [first, last], or its error. */
static uint64_t aper_first, aper_last;
static int aper_err;

static int test_aperture(void *priv, void *domain, uint64_t *first, uint64_t *last)
{
	(void)priv;
	(void)domain;
	if (aper_err)
		return aper_err;
	*first = aper_first;
	*last = aper_last;
	return 0;
}

/* A context on the mock whose aperture op is @op (NULL: none). */
static struct fx *fx_with_aperture(struct swmsi_iommu_ops *ops,
				   int (*op)(void *, void *, uint64_t *, uint64_t *))
{
	struct fx *fx = new_fx(SWMSI_SCHEME_NATIVE);

	*ops = *mock_iommu_ops();
	ops->aperture = op;
	swmsi_ctx_destroy(fx->ctx);
	fx->opts.iommu = ops;
	assert_int_equal(swmsi_ctx_create(&fx->opts, &fx->ctx), 0);
	return fx;
}

static void backend_aperture_op_decides_what_a_hwpt_reserves(void **state)
{
	struct swmsi_iommu_ops ops;
	struct fx *fx;
	uint32_t ioas, hwpt, id = 0xdead;

	(void)state;
	/* no op: the whole 64-bit space, nothing reserved */
	fx = fx_with_aperture(&ops, NULL);
	ioas = fx_ioas(fx);
	hwpt = fx_hwpt(fx, ioas, 0);
	expect_all_usable(fx, ioas);
	fx_free(fx);

	/* both ends cut */
	aper_first = 0x10000;
	aper_last = (1ull << 40) - 1;
	aper_err = 0;
	fx = fx_with_aperture(&ops, test_aperture);
	ioas = fx_ioas(fx);
	hwpt = fx_hwpt(fx, ioas, 0);
	{
		const struct swmsi_resv_info want[] = {
			{ 0, 0xffff, SWMSI_RESV_APERTURE, hwpt },
			{ 1ull << 40, MAX, SWMSI_RESV_APERTURE, hwpt },
		};
		const struct swmsi_iova_range usable[] = { { 0x10000, (1ull << 40) - 1 } };

		expect_resv(fx, ioas, want, 2);
		expect_ranges(fx, ioas, usable, 1);
	}
	assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, 0, 0x100000000, PAGE, RW), -EADDRINUSE);
	assert_int_equal(swmsi_obj_destroy(fx->ctx, hwpt), 0);
	/* the op's error fails the allocation, which changes nothing */
	aper_err = -EIO;
	{
		size_t nobj = objs(fx);

		assert_int_equal(swmsi_hwpt_alloc(fx->ctx, ioas, 0, &id), -EIO);
		assert_int_equal(id, 0xdead);
		assert_int_equal(objs(fx), nobj);
		expect_all_usable(fx, ioas);
	}
	aper_err = 0;
	fx_free(fx);
}

/* Under KERNEL (RECLAIM_NONE) MSI pages stay in a domain the group left,
 * while the window is no longer reserved: reported usable, yet a map
 * there gets the backend's -EEXIST, as upstream. */
static void kernel_window_usable_after_detach_but_its_page_stays(void **state)
{
	struct fx *fx = new_fx(SWMSI_SCHEME_KERNEL);
	uint32_t dev = bind_ok(fx, 1, WIN, NULL, 0), ioas = fx_ioas(fx);
	uint32_t hwpt = fx_hwpt(fx, ioas, 0);
	const struct swmsi_iova_range usable[] = { { 0, APER - 1 } };
	struct snap *before;

	(void)state;
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, hwpt), 0);
	fx_expect_msi_alloc(fx, dev, FX_ITS_PAGE, WIN);
	assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);
	expect_ranges(fx, ioas, usable, 1);
	before = snap_take(fx);
	assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, WIN, 0x100000000, PAGE, RW), -EEXIST);
	snap_expect_restored(fx, before, "map over a page left in a domain");
	/* the next page of the window is free */
	assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, WIN + PAGE, 0x100000000, PAGE, RW), 0);
	fx_free(fx);
}

/* ------------------------------------------------------------------ */
/* The list calls                                                      */

static void list_calls_bad_input_and_short_buffers(void **state)
{
	struct fx *fx = *state;
	uint32_t dev = bind_ok(fx, 1, WIN, regions, 3), ioas = fx_ioas(fx);
	struct swmsi_iova_range r[2] = { { 1, 2 }, { 3, 4 } };
	struct swmsi_resv_info v[2];
	size_t n = 99;

	assert_int_equal(swmsi_ioas_iova_ranges(NULL, ioas, NULL, 0, &n), -EINVAL);
	assert_int_equal(swmsi_ioas_iova_ranges(fx->ctx, ioas, NULL, 0, NULL), -EINVAL);
	assert_int_equal(swmsi_ioas_iova_ranges(fx->ctx, ioas, NULL, 1, &n), -EINVAL);
	assert_int_equal(swmsi_ioas_iova_ranges(fx->ctx, dev, NULL, 0, &n), -ENOENT);
	assert_int_equal(swmsi_ioas_iova_ranges(fx->ctx, 999, NULL, 0, &n), -ENOENT);
	assert_int_equal(swmsi_ioas_resv_list(NULL, ioas, NULL, 0, &n), -EINVAL);
	assert_int_equal(swmsi_ioas_resv_list(fx->ctx, ioas, NULL, 0, NULL), -EINVAL);
	assert_int_equal(swmsi_ioas_resv_list(fx->ctx, ioas, NULL, 1, &n), -EINVAL);
	assert_int_equal(swmsi_ioas_resv_list(fx->ctx, dev, NULL, 0, &n), -ENOENT);
	assert_int_equal(n, 99);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
	/* counts beyond cap; only cap copied */
	assert_int_equal(swmsi_ioas_iova_ranges(fx->ctx, ioas, r, 1, &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(r[0].start, 0);
	assert_int_equal(r[0].last, DIRECT_AT - 1);
	assert_int_equal(r[1].start, 3);
	assert_int_equal(swmsi_ioas_resv_list(fx->ctx, ioas, v, 1, &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(v[0].start, DIRECT_AT);
	assert_int_equal(swmsi_ioas_resv_list(fx->ctx, ioas, NULL, 0, &n), 0);
	assert_int_equal(n, 4);
}

/* ------------------------------------------------------------------ */
/* Fault sweeps: each internal allocation failing in turn              */

/* Runs @op with the nth allocation failing, n = 1, 2, ... until it
 * succeeds; each failure is -ENOMEM and changes nothing. Returns n - 1. */
static unsigned int alloc_sweep(struct fx *fx, int (*op)(struct fx *fx, void *arg), void *arg,
				const char *name)
{
	char label[96];
	unsigned int n;

	for (n = 1; n < 64; n++) {
		struct snap *before = snap_take(fx);
		uint64_t digest = resv_digest(fx);
		size_t nobj = objs(fx);
		int rc;

		assert_int_equal(swmsi_ctx_fail_alloc(fx->ctx, n), 0);
		rc = op(fx, arg);
		assert_int_equal(swmsi_ctx_fail_alloc(fx->ctx, 0), 0);
		if (!rc) {
			snap_free(before);
			return n - 1;
		}
		snprintf(label, sizeof(label), "%s with allocation #%u failing", name, n);
		if (rc != -ENOMEM)
			fail_msg("%s: returned %d", label, rc);
		/* bitmaps may keep capacity grown before the fault */
		snap_expect_restored(fx, before, label);
		assert_int_equal(objs(fx), nobj);
		assert_int_equal(resv_digest(fx), digest);
	}
	fail_msg("%s never succeeded", name);
	return 0;
}

struct bind_arg {
	uint32_t group;
	uint32_t id;
};

static int op_bind(struct fx *fx, void *arg)
{
	struct bind_arg *b = arg;

	return bind_rc(fx, b->group, WIN, regions, 3, &b->id);
}

struct attach_arg {
	uint32_t dev;
	uint32_t pt;
};

static int op_attach(struct fx *fx, void *arg)
{
	struct attach_arg *a = arg;

	return swmsi_device_attach(fx->ctx, a->dev, a->pt);
}

static int op_replace(struct fx *fx, void *arg)
{
	struct attach_arg *a = arg;

	return swmsi_device_replace(fx->ctx, a->dev, a->pt);
}

/* A region list too long for memory: bind copies it, and when that copy
 * (or any allocation of the bind) cannot be had, the answer is -ENOMEM,
 * no id is written and nothing is bound. */
#define LONG_LIST 4096
static struct swmsi_resv_region long_list[LONG_LIST];

static int op_bind_long_list(struct fx *fx, void *arg)
{
	uint32_t *id = arg;
	int rc;

	*id = 0xdead;
	rc = bind_rc(fx, 9, WIN, long_list, LONG_LIST, id);

	if (rc)
		assert_int_equal(*id, 0xdead);
	return rc;
}

static void bind_too_many_regions_for_memory_is_enomem_and_binds_nothing(void **state)
{
	size_t s, i;

	(void)state;
	for (i = 0; i < LONG_LIST; i++)
		long_list[i] = (struct swmsi_resv_region){ 0x100000000ull + i * 2 * PAGE, PAGE,
							   SWMSI_RESV_RESERVED };
	for (s = 0; s < NSCHEMES; s++) {
		struct fx *fx = new_fx(all_schemes[s]);
		uint32_t id = 0, ioas = fx_ioas(fx);
		size_t count = 0;

		assert_true(alloc_sweep(fx, op_bind_long_list, &id, "bind with 4096 regions") >= 1);
		/* bound at last, it reserves every entry at attach */
		assert_int_equal(swmsi_device_attach(fx->ctx, id, ioas), 0);
		assert_int_equal(swmsi_ioas_resv_list(fx->ctx, ioas, NULL, 0, &count), 0);
		/* its entries, its window and the aperture's range */
		assert_int_equal(count, LONG_LIST + 2);
		fx_free(fx);
	}
}

static void fault_sweep_bind_and_attach_with_regions(void **state)
{
	size_t s;

	(void)state;
	for (s = 0; s < NSCHEMES; s++) {
		struct fx *fx = new_fx(all_schemes[s]);
		struct bind_arg b = { .group = 1 };
		struct attach_arg a;
		uint32_t ioas = fx_ioas(fx), other = fx_ioas(fx), dev2;

		/* a new group (its record, the device, its regions) */
		assert_true(alloc_sweep(fx, op_bind, &b, "bind with regions") >= 2);
		/* into a bound group */
		dev2 = b.id;
		b.id = 0;
		alloc_sweep(fx, op_bind, &b, "bind into a group with regions");
		/* attach through an automatic HWPT, with vectors to install */
		a = (struct attach_arg){ .dev = dev2, .pt = ioas };
		assert_true(alloc_sweep(fx, op_attach, &a, "attach with regions") >= 1);
		fx_msi_alloc(fx, dev2, FX_ITS_PAGE, NULL);
		/* the group's second device joins */
		a = (struct attach_arg){ .dev = b.id, .pt = ioas };
		alloc_sweep(fx, op_attach, &a, "join with regions");
		/* and the group moves to another IOAS */
		a = (struct attach_arg){ .dev = dev2, .pt = other };
		assert_true(alloc_sweep(fx, op_replace, &a, "replace with regions") >= 1);
		{
			const struct swmsi_resv_info want[] = {
				{ DIRECT_AT, DIRECT_AT + REGION_LEN - 1, SWMSI_RESV_DIRECT, dev2 },
				{ DIRECT_AT, DIRECT_AT + REGION_LEN - 1, SWMSI_RESV_DIRECT, b.id },
				{ RESV_AT, RESV_AT + REGION_LEN - 1, SWMSI_RESV_RESERVED, dev2 },
				{ RESV_AT, RESV_AT + REGION_LEN - 1, SWMSI_RESV_RESERVED, b.id },
				{ WIN, WIN_LAST, SWMSI_RESV_SW_MSI, dev2 },
				{ WIN, WIN_LAST, SWMSI_RESV_SW_MSI, b.id },
				{ APER, MAX, SWMSI_RESV_APERTURE, fx_dev_hwpt(fx, dev2) },
			};

			expect_resv(fx, other, want, 7);
			expect_all_usable(fx, ioas);
		}
		fx_free(fx);
	}
}

static int setup_native(void **state)
{
	*state = new_fx(SWMSI_SCHEME_NATIVE);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bind_checks_each_entry_in_array_order),
		cmocka_unit_test(bind_refuses_a_window_in_both_places_under_every_scheme),
		cmocka_unit_test_setup_teardown(bind_native_refuses_two_sw_msi_and_a_window_with_msi,
						setup_native, fx_teardown),
		cmocka_unit_test(bind_kernel_and_dma_accept_a_window_with_msi),
		cmocka_unit_test(bind_sw_msi_entry_is_the_window),
		cmocka_unit_test(attach_reserves_every_region_but_relaxable_owned_by_the_device),
		cmocka_unit_test_setup_teardown(native_map_meeting_a_reserved_range_is_eaddrinuse,
						setup_native, fx_teardown),
		cmocka_unit_test(attach_fails_eaddrinuse_when_a_region_meets_a_mapping),
		cmocka_unit_test(replace_onto_another_ioas_moves_the_ranges),
		cmocka_unit_test_setup_teardown(overlapping_reservations_of_several_owners,
						setup_native, fx_teardown),
		cmocka_unit_test(joining_device_reserves_its_own_regions),
		cmocka_unit_test_setup_teardown(
			native_failed_same_ioas_replace_keeps_the_reserved_ranges, setup_native,
			fx_teardown),
		cmocka_unit_test_setup_teardown(nested_attach_reserves_on_the_parents_ioas,
						setup_native, fx_teardown),
		cmocka_unit_test(hwpt_reserves_outside_its_aperture_from_alloc_to_destroy),
		cmocka_unit_test(kernel_window_usable_after_detach_but_its_page_stays),
		cmocka_unit_test(backend_aperture_op_decides_what_a_hwpt_reserves),
		cmocka_unit_test_setup_teardown(list_calls_bad_input_and_short_buffers,
						setup_native, fx_teardown),
		cmocka_unit_test(fault_sweep_bind_and_attach_with_regions),
		cmocka_unit_test(bind_too_many_regions_for_memory_is_enomem_and_binds_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
