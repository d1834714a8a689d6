/* SPDX-License-Identifier: MIT */
/*
 * The per-device SW_MSI window (API.md "Per-device SW_MSI window (v0.3)"):
 * swmsi_device_set_sw_msi_window()'s checks in the posted patch's order
 * and the two NATIVE adds, what swmsi_device_get_sw_msi_window() reads,
 * the precedence over the context's override and the device's own region,
 * the group's agreement at attach under NATIVE, and the effect from the
 * next attach on what is reserved and which IOVAs vectors get, under each
 * scheme. Every failure is checked to change nothing, also with each
 * internal allocation failing in turn.
 */
#include "fixture.h"
#include "snapshot.h"

#include <stdio.h>

#define MIB	  0x100000ull
#define MAX	  UINT64_MAX
#define APER	  (1ull << 48)
#define WIN	  FX_WINDOW_START
#define OVR	  0x40000000ull /* the override most tests set */
#define OVR_SIZE  (2 * MIB)
#define RESV_AT	  0x50000000ull
#define RELAX_AT  0x60000000ull
#define DB	  (FX_ITS_PAGE + 0x40) /* a doorbell at offset 0x40 */
#define DB_OFFSET 0x40ull
#define NO_WINDOW SWMSI_PHYS_NONE

static const struct swmsi_resv_region regions[] = {
	{ RESV_AT, MIB, SWMSI_RESV_RESERVED },
	{ RELAX_AT, MIB, SWMSI_RESV_DIRECT_RELAXABLE },
};

static const enum swmsi_scheme all_schemes[] = {
	SWMSI_SCHEME_NATIVE,
	SWMSI_SCHEME_KERNEL,
	SWMSI_SCHEME_DMA_IOMMU,
};
#define NSCHEMES (sizeof(all_schemes) / sizeof(all_schemes[0]))

static struct fx *new_fx(enum swmsi_scheme scheme)
{
	struct swmsi_ctx_opts o = { .scheme = scheme };

	return fx_new(&o);
}

static uint32_t bind_with(struct fx *fx, uint32_t group, uint64_t win,
			  const struct swmsi_resv_region *r, uint32_t n)
{
	struct swmsi_device_desc d = {
		.group = group,
		.sw_msi_start = win,
		.sw_msi_size = win == NO_WINDOW ? 0 : FX_WINDOW_SIZE,
		.resv = r,
		.nr_resv = n,
	};
	uint32_t id = 0;

	assert_int_equal(swmsi_device_bind(fx->ctx, &d, &id), 0);
	return id;
}

static void expect_window(struct fx *fx, uint32_t dev, uint64_t start, uint64_t size)
{
	uint64_t s = 1, z = 1;

	assert_int_equal(swmsi_device_get_sw_msi_window(fx->ctx, dev, &s, &z), 0);
	assert_int_equal(s, start);
	assert_int_equal(z, size);
}

/* set fails with @err and changes nothing (the override included). */
static void expect_set_fails(struct fx *fx, uint32_t dev, uint64_t start, uint64_t size, int err)
{
	struct snap *before = snap_take(fx);
	uint64_t s0 = 0, z0 = 0;
	/* a device's override before the call, to compare after */
	bool known = swmsi_device_get_sw_msi_window(fx->ctx, dev, &s0, &z0) == 0;
	char label[96];

	snprintf(label, sizeof(label), "set_sw_msi_window(%u, %#llx, %#llx)", dev,
		 (unsigned long long)start, (unsigned long long)size);
	assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, dev, start, size), err);
	snap_expect_unchanged(fx, before, label);
	if (known)
		expect_window(fx, dev, s0, z0);
}

/* The SW_MSI ranges reserved on @ioas: exactly @n, the first at @start. */
static void expect_sw_msi_reserved(struct fx *fx, uint32_t ioas, size_t n, uint64_t start,
				   uint64_t size)
{
	struct swmsi_resv_info r[8];
	size_t count = 0, i, k = 0;

	assert_int_equal(swmsi_ioas_resv_list(fx->ctx, ioas, r, 8, &count), 0);
	for (i = 0; i < count && i < 8; i++) {
		if (r[i].type != SWMSI_RESV_SW_MSI)
			continue;
		if (!k++) {
			assert_int_equal(r[i].start, start);
			assert_int_equal(r[i].last, start + size - 1);
		}
	}
	assert_int_equal(k, n);
}

/* ------------------------------------------------------------------ */
/* set and get                                                         */

static void set_checks_in_the_posted_patchs_order(void **state)
{
	size_t s;

	(void)state;
	for (s = 0; s < NSCHEMES; s++) {
		struct fx *fx = new_fx(all_schemes[s]);
		uint32_t dev = bind_with(fx, 1, WIN, regions, 2), ioas = fx_ioas(fx);

		assert_int_equal(swmsi_device_set_sw_msi_window(NULL, dev, OVR, MIB), -EINVAL);
		/* not a device, whatever else is wrong */
		expect_set_fails(fx, 999, 1, 1, -ENOENT);
		expect_set_fails(fx, ioas, 1, 1, -ENOENT);
		/* attached: -EBUSY before the argument checks */
		assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
		expect_set_fails(fx, dev, 1, 1, -EBUSY);
		expect_set_fails(fx, dev, OVR, 0, -EBUSY);
		assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);
		/* 1 MiB alignment of start and size */
		expect_set_fails(fx, dev, OVR + 0x1000, MIB, -EINVAL);
		expect_set_fails(fx, dev, OVR, MIB / 2, -EINVAL);
		expect_set_fails(fx, dev, OVR, MIB + 0x1000, -EINVAL);
		/* wrap: start + max(size, 1 MiB) - 1 */
		expect_set_fails(fx, dev, MAX - MIB + 1, 2 * MIB, -EOVERFLOW);
		/* alignment first, even when it would wrap too */
		expect_set_fails(fx, dev, MAX - MIB + 1, MIB / 2, -EINVAL);
		/* the last MiB itself is fine */
		assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, dev, MAX - MIB + 1, MIB),
				 0);
		expect_window(fx, dev, MAX - MIB + 1, MIB);
		/* meets a reserved region: -EADDRINUSE; relaxable and its own SW_MSI
		 * region do not count */
		expect_set_fails(fx, dev, RESV_AT - MIB, 2 * MIB, -EADDRINUSE);
		assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, dev, RELAX_AT, MIB), 0);
		assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, dev, WIN, 2 * MIB), 0);
		expect_window(fx, dev, WIN, 2 * MIB);
		fx_free(fx);
	}
}

static void set_size_zero_drops_and_get_reads_attached_or_not(void **state)
{
	struct fx *fx = *state;
	uint32_t dev = bind_with(fx, 1, WIN, NULL, 0), ioas = fx_ioas(fx);
	uint64_t s = 7, z = 7;

	expect_window(fx, dev, NO_WINDOW, 0);
	assert_int_equal(swmsi_device_get_sw_msi_window(NULL, dev, &s, &z), -EINVAL);
	assert_int_equal(swmsi_device_get_sw_msi_window(fx->ctx, dev, NULL, &z), -EINVAL);
	assert_int_equal(swmsi_device_get_sw_msi_window(fx->ctx, dev, &s, NULL), -EINVAL);
	assert_int_equal(swmsi_device_get_sw_msi_window(fx->ctx, ioas, &s, &z), -ENOENT);
	assert_int_equal(s, 7);
	assert_int_equal(z, 7);
	assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, dev, OVR, OVR_SIZE), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
	expect_window(fx, dev, OVR, OVR_SIZE);
	assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);
	/* size 0 drops; start is ignored (even a misaligned one) */
	assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, dev, 0x1234, 0), 0);
	expect_window(fx, dev, NO_WINDOW, 0);
}

/* ------------------------------------------------------------------ */
/* Precedence and effect                                               */

static void precedence_device_then_context_then_own(void **state)
{
	size_t s;

	(void)state;
	for (s = 0; s < NSCHEMES; s++) {
		struct fx *fx = new_fx(all_schemes[s]);
		uint32_t dev = bind_with(fx, 1, WIN, NULL, 0), ioas = fx_ioas(fx);
		const uint64_t ctx_win = 0x20000000;

		assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, ctx_win, MIB), 0);
		assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, dev, OVR, OVR_SIZE), 0);
		/* the device's override wins: reserved, and the vectors' IOVAs */
		assert_int_equal(fx_dev_info(fx, dev).sw_msi_start, OVR);
		assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
		expect_sw_msi_reserved(fx, ioas, 1, OVR, OVR_SIZE);
		fx_expect_msi_alloc(fx, dev, DB, OVR + DB_OFFSET);
		fx_free(fx);

		/* dropped: the context's */
		fx = new_fx(all_schemes[s]);
		dev = bind_with(fx, 1, WIN, NULL, 0);
		ioas = fx_ioas(fx);
		assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, ctx_win, MIB), 0);
		assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, dev, OVR, OVR_SIZE), 0);
		assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, dev, 0, 0), 0);
		assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
		expect_sw_msi_reserved(fx, ioas, 1, ctx_win, MIB);
		fx_expect_msi_alloc(fx, dev, DB, ctx_win + DB_OFFSET);
		fx_free(fx);
	}
}

/* Its own SW_MSI region is not reserved where an override applies. */
static void override_replaces_the_own_region_in_what_is_reserved(void **state)
{
	static const struct swmsi_resv_region sw[] = {
		{ WIN, FX_WINDOW_SIZE, SWMSI_RESV_SW_MSI },
	};
	size_t s;

	(void)state;
	for (s = 0; s < NSCHEMES; s++) {
		struct fx *fx = new_fx(all_schemes[s]);
		uint32_t dev = bind_with(fx, 1, NO_WINDOW, sw, 1), ioas = fx_ioas(fx);
		const struct swmsi_iova_range usable[] = {
			{ 0, OVR - 1 },
			{ OVR + OVR_SIZE, APER - 1 },
		};
		struct swmsi_iova_range got[4];
		size_t n = 0, i;

		assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, dev, OVR, OVR_SIZE), 0);
		assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
		expect_sw_msi_reserved(fx, ioas, 1, OVR, OVR_SIZE);
		assert_int_equal(swmsi_ioas_iova_ranges(fx->ctx, ioas, got, 4, &n), 0);
		assert_int_equal(n, 2);
		for (i = 0; i < 2; i++) {
			assert_int_equal(got[i].start, usable[i].start);
			assert_int_equal(got[i].last, usable[i].last);
		}
		/* its own region is free to map */
		assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, WIN, 0x100000000, 0x1000,
						SWMSI_PROT_READ),
				 0);
		fx_free(fx);
	}
}

/* A device that reports no SW_MSI region is not given one. */
static void override_of_a_windowless_device_has_no_effect(void **state)
{
	size_t s;

	(void)state;
	for (s = 0; s < NSCHEMES; s++) {
		struct fx *fx = new_fx(all_schemes[s]);
		uint32_t dev = bind_with(fx, 1, NO_WINDOW, NULL, 0), ioas = fx_ioas(fx);

		assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, dev, OVR, OVR_SIZE), 0);
		expect_window(fx, dev, OVR, OVR_SIZE);
		assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
		expect_sw_msi_reserved(fx, ioas, 0, 0, 0);
		fx_expect_msi_alloc(fx, dev, DB, DB);
		assert_int_equal(fx_dev_info(fx, dev).sw_msi_start, NO_WINDOW);
		fx_free(fx);
	}
}

/* A change takes effect at the next attach. */
static void change_takes_effect_at_the_next_attach(void **state)
{
	size_t s;

	(void)state;
	for (s = 0; s < NSCHEMES; s++) {
		struct fx *fx = new_fx(all_schemes[s]);
		uint32_t dev = bind_with(fx, 1, WIN, NULL, 0), ioas = fx_ioas(fx);

		assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
		expect_sw_msi_reserved(fx, ioas, 1, WIN, FX_WINDOW_SIZE);
		assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);
		assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, dev, OVR, OVR_SIZE), 0);
		expect_sw_msi_reserved(fx, ioas, 0, 0, 0);
		assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
		expect_sw_msi_reserved(fx, ioas, 1, OVR, OVR_SIZE);
		fx_expect_msi_alloc(fx, dev, DB, OVR + DB_OFFSET);
		fx_free(fx);
	}
}

/* Under KERNEL and DMA_IOMMU vectors keep their message addresses: after
 * a window change, attach installs only the new window's entries, and a
 * vector of the old window is lost (-EFAULT) on a fresh domain. */
static void kernel_and_dma_old_window_vectors_are_lost(void **state)
{
	size_t s;

	(void)state;
	for (s = 1; s < NSCHEMES; s++) {
		struct fx *fx = new_fx(all_schemes[s]);
		uint32_t dev = bind_with(fx, 1, WIN, NULL, 0), ioas = fx_ioas(fx);
		uint32_t h1 = fx_hwpt(fx, ioas, 0), h2 = fx_hwpt(fx, ioas, 0), old, v2;

		assert_int_equal(swmsi_device_attach(fx->ctx, dev, h1), 0);
		old = fx_expect_msi_alloc(fx, dev, DB, WIN + DB_OFFSET);
		assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);
		assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, dev, OVR, OVR_SIZE), 0);
		assert_int_equal(swmsi_device_attach(fx->ctx, dev, h2), 0);
		fx_expect_fire_fails(fx, dev, old, -EFAULT);
		v2 = fx_expect_msi_alloc(fx, dev, DB, OVR + DB_OFFSET);
		fx_expect_fire(fx, dev, v2, DB);
		/* the old window's page was not installed in the new domain */
		{
			uint64_t pa = 0;

			assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, h2, WIN, &pa), -ENOENT);
		}
		fx_free(fx);
	}
}

/* Under NATIVE, RECLAIM_NONE keeps a freed vector's id required; a later
 * window does not install the old window's page. */
static void native_new_window_installs_only_its_own_entries(void **state)
{
	struct fx *fx = *state;
	uint32_t dev = bind_with(fx, 1, WIN, NULL, 0), ioas = fx_ioas(fx);
	uint32_t h1 = fx_hwpt(fx, ioas, 0), h2 = fx_hwpt(fx, ioas, 0), vec;
	uint64_t pa = 0;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h1), 0);
	vec = fx_expect_msi_alloc(fx, dev, DB, WIN + DB_OFFSET);
	assert_int_equal(swmsi_msi_free(fx->ctx, dev, vec), 0);
	assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);
	assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, dev, OVR, OVR_SIZE), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h2), 0);
	assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, h2, WIN, &pa), -ENOENT);
	vec = fx_expect_msi_alloc(fx, dev, DB, OVR + DB_OFFSET);
	fx_expect_fire(fx, dev, vec, DB);
}

/* ------------------------------------------------------------------ */
/* NATIVE's own checks                                                 */

static void native_refuses_half_overlap_with_another_devices_window(void **state)
{
	struct fx *fx = *state;
	uint32_t a = bind_with(fx, 1, WIN, NULL, 0), b = bind_with(fx, 2, 0x10000000, NULL, 0);

	/* b's window in use is its own 0x10000000 + 1 MiB */
	expect_set_fails(fx, a, 0x10000000, OVR_SIZE, -EINVAL);
	expect_set_fails(fx, a, 0x10000000 - MIB, OVR_SIZE, -EINVAL);
	/* identical, or clear of it, is fine */
	assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, a, 0x10000000, MIB), 0);
	assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, a, OVR, OVR_SIZE), 0);
	/* and b now meets a's override, not a's own window */
	expect_set_fails(fx, b, OVR + MIB, OVR_SIZE, -EINVAL);
	assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, b, WIN, MIB * 2), 0);
}

/* Nor may a later bind, or the context's override, half-overlap a
 * device's own override (NATIVE); KERNEL and DMA_IOMMU accept both. */
static void bind_and_context_window_meeting_an_override(void **state)
{
	size_t s;

	(void)state;
	for (s = 0; s < NSCHEMES; s++) {
		struct fx *fx = new_fx(all_schemes[s]);
		const bool native = all_schemes[s] == SWMSI_SCHEME_NATIVE;
		const int want = native ? -EINVAL : 0;
		uint32_t a = bind_with(fx, 1, WIN, NULL, 0), id = 0;
		struct swmsi_device_desc d = { .group = 2,
					       .sw_msi_start = OVR + MIB,
					       .sw_msi_size = OVR_SIZE };

		assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, a, OVR, OVR_SIZE), 0);
		assert_int_equal(swmsi_device_bind(fx->ctx, &d, &id), want);
		/* (the two-window groups rule of bind still holds: it goes) */
		if (!native)
			assert_int_equal(swmsi_device_unbind(fx->ctx, id), 0);
		assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, OVR - MIB, OVR_SIZE), want);
		/* identical to the override is fine everywhere */
		d.group = 3;
		d.sw_msi_start = OVR;
		assert_int_equal(swmsi_device_bind(fx->ctx, &d, &id), 0);
		assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, OVR, OVR_SIZE), 0);
		/* dropped, the override no longer counts */
		assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, a, 0, 0), 0);
		assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, OVR - MIB, OVR_SIZE), 0);
		fx_free(fx);
	}
}

/* A window in use may come from the context's override: under NATIVE a
 * new device's window that half-overlaps it is refused at bind, as one
 * overlapping a device's own window is, and so is a per-device window;
 * once no bound device uses the context's window, it no longer counts. */
static void native_refuses_half_overlap_with_the_contexts_window_in_use(void **state)
{
	size_t s;

	(void)state;
	for (s = 0; s < NSCHEMES; s++) {
		struct fx *fx = new_fx(all_schemes[s]);
		const bool native = all_schemes[s] == SWMSI_SCHEME_NATIVE;
		const int want = native ? -EINVAL : 0;
		struct swmsi_device_desc d = { .group = 2,
					       .sw_msi_start = OVR + MIB,
					       .sw_msi_size = OVR_SIZE };
		struct snap *before;
		uint32_t a, b, id = 0;

		assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, OVR, OVR_SIZE), 0);
		/* a reports WIN and uses the context's OVR */
		a = bind_with(fx, 1, WIN, NULL, 0);
		b = bind_with(fx, 3, WIN, NULL, 0);
		before = snap_take(fx);
		assert_int_equal(swmsi_device_bind(fx->ctx, &d, &id), want);
		if (native) {
			snap_expect_unchanged(fx, before,
					      "bind half-overlapping the context's window");
		} else {
			snap_free(before);
			assert_int_equal(swmsi_device_unbind(fx->ctx, id), 0);
		}
		/* a per-device window half-overlapping it, under NATIVE too */
		if (native) {
			expect_set_fails(fx, b, OVR - MIB, OVR_SIZE, -EINVAL);
		} else {
			assert_int_equal(
				swmsi_device_set_sw_msi_window(fx->ctx, b, OVR - MIB, OVR_SIZE), 0);
			assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, b, 0, 0), 0);
		}
		/* identical to the window in use is fine everywhere */
		d.sw_msi_start = OVR;
		assert_int_equal(swmsi_device_bind(fx->ctx, &d, &id), 0);
		assert_int_equal(swmsi_device_unbind(fx->ctx, id), 0);
		/* with their own windows, no device uses the context's */
		assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, a, WIN, FX_WINDOW_SIZE),
				 0);
		assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, b, WIN, FX_WINDOW_SIZE),
				 0);
		d.sw_msi_start = OVR + MIB;
		assert_int_equal(swmsi_device_bind(fx->ctx, &d, &id), 0);
		fx_free(fx);
	}
}

static void native_refuses_stranding_translated_vectors(void **state)
{
	struct fx *fx = *state;
	uint32_t dev = bind_with(fx, 1, WIN, NULL, 0), ioas = fx_ioas(fx), vec;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
	vec = fx_expect_msi_alloc(fx, dev, DB, WIN + DB_OFFSET);
	assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);
	expect_set_fails(fx, dev, OVR, OVR_SIZE, -EBUSY);
	/* the same window in use changes nothing: allowed */
	assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, dev, WIN, FX_WINDOW_SIZE), 0);
	assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, dev, 0, 0), 0);
	assert_int_equal(swmsi_msi_free(fx->ctx, dev, vec), 0);
	/* under RECLAIM_NONE the entry stays: a window half over its slot
	 * space is still refused, one clear of it is fine */
	expect_set_fails(fx, dev, WIN - MIB, 2 * MIB, -EINVAL);
	assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, dev, OVR, OVR_SIZE), 0);
}

static void kernel_and_dma_skip_natives_checks(void **state)
{
	size_t s;

	(void)state;
	for (s = 1; s < NSCHEMES; s++) {
		struct fx *fx = new_fx(all_schemes[s]);
		uint32_t a = bind_with(fx, 1, WIN, NULL, 0);
		uint32_t b = bind_with(fx, 2, 0x10000000, NULL, 0), ioas = fx_ioas(fx);

		assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, a, 0x10000000, OVR_SIZE),
				 0);
		assert_int_equal(swmsi_device_attach(fx->ctx, b, ioas), 0);
		fx_msi_alloc(fx, b, DB, NULL);
		assert_int_equal(swmsi_device_detach(fx->ctx, b), 0);
		assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, b, OVR, OVR_SIZE), 0);
		fx_free(fx);
	}
}

static void native_group_must_agree_at_attach(void **state)
{
	struct fx *fx = *state;
	uint32_t a = bind_with(fx, 1, WIN, NULL, 0), b = bind_with(fx, 1, WIN, NULL, 0);
	uint32_t ioas = fx_ioas(fx);
	struct snap *before;

	assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, b, OVR, OVR_SIZE), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, a, ioas), 0);
	before = snap_take(fx);
	assert_int_equal(swmsi_device_attach(fx->ctx, b, ioas), -EINVAL);
	snap_expect_unchanged(fx, before, "attach of a group mate with another window");
	assert_false(fx_dev_info(fx, b).attached);
	expect_sw_msi_reserved(fx, ioas, 1, WIN, FX_WINDOW_SIZE);
	/* agreeing again, it joins */
	assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, b, 0, 0), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, b, ioas), 0);
	expect_sw_msi_reserved(fx, ioas, 2, WIN, FX_WINDOW_SIZE);
}

static void kernel_and_dma_group_mates_may_differ(void **state)
{
	size_t s;

	(void)state;
	for (s = 1; s < NSCHEMES; s++) {
		struct fx *fx = new_fx(all_schemes[s]);
		uint32_t a = bind_with(fx, 1, WIN, NULL, 0), b = bind_with(fx, 1, WIN, NULL, 0);
		uint32_t ioas = fx_ioas(fx);

		assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, b, OVR, OVR_SIZE), 0);
		assert_int_equal(swmsi_device_attach(fx->ctx, a, ioas), 0);
		assert_int_equal(swmsi_device_attach(fx->ctx, b, ioas), 0);
		/* each reserves the window it reports */
		expect_sw_msi_reserved(fx, ioas, 2, WIN, FX_WINDOW_SIZE);
		fx_free(fx);

		/* KERNEL: the group's start is the last attached device's, so
		 * vectors allocated after b's attach get b's window; DMA_IOMMU:
		 * the domain's cookie, based at the first window, answers */
		fx = new_fx(all_schemes[s]);
		a = bind_with(fx, 1, WIN, NULL, 0);
		b = bind_with(fx, 1, WIN, NULL, 0);
		ioas = fx_ioas(fx);
		assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, b, OVR, OVR_SIZE), 0);
		assert_int_equal(swmsi_device_attach(fx->ctx, a, ioas), 0);
		{
			uint32_t v1 = fx_expect_msi_alloc(fx, a, DB, WIN + DB_OFFSET), v2;

			const bool kernel = all_schemes[s] == SWMSI_SCHEME_KERNEL;

			assert_int_equal(swmsi_device_attach(fx->ctx, b, ioas), 0);
			v2 = fx_expect_msi_alloc(fx, a, DB, (kernel ? OVR : WIN) + DB_OFFSET);
			fx_expect_fire(fx, a, v1, DB);
			fx_expect_fire(fx, a, v2, DB);
		}
		fx_free(fx);
	}
}

/* ------------------------------------------------------------------ */
/* Fault sweep                                                         */

/* set_sw_msi_window allocates nothing; attach with an override under
 * each allocation failing changes nothing. */
static void fault_sweep_set_window_and_attach_with_override(void **state)
{
	size_t s;

	(void)state;
	for (s = 0; s < NSCHEMES; s++) {
		struct fx *fx = new_fx(all_schemes[s]);
		uint32_t dev = bind_with(fx, 1, WIN, regions, 2), ioas = fx_ioas(fx);
		unsigned int n;
		int rc;

		assert_int_equal(swmsi_ctx_fail_alloc(fx->ctx, 1), 0);
		assert_int_equal(swmsi_device_set_sw_msi_window(fx->ctx, dev, OVR, OVR_SIZE), 0);
		assert_int_equal(swmsi_ctx_fail_alloc(fx->ctx, 0), 0);
		for (n = 1; n < 32; n++) {
			struct snap *before = snap_take(fx);
			char label[64];

			assert_int_equal(swmsi_ctx_fail_alloc(fx->ctx, n), 0);
			rc = swmsi_device_attach(fx->ctx, dev, ioas);
			assert_int_equal(swmsi_ctx_fail_alloc(fx->ctx, 0), 0);
			if (!rc) {
				snap_free(before);
				break;
			}
			snprintf(label, sizeof(label), "attach with allocation #%u failing", n);
			assert_int_equal(rc, -ENOMEM);
			snap_expect_restored(fx, before, label);
			expect_sw_msi_reserved(fx, ioas, 0, 0, 0);
		}
		assert_true(n > 1 && n < 32);
		expect_sw_msi_reserved(fx, ioas, 1, OVR, OVR_SIZE);
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
		cmocka_unit_test(set_checks_in_the_posted_patchs_order),
		cmocka_unit_test_setup_teardown(set_size_zero_drops_and_get_reads_attached_or_not,
						setup_native, fx_teardown),
		cmocka_unit_test(precedence_device_then_context_then_own),
		cmocka_unit_test(override_replaces_the_own_region_in_what_is_reserved),
		cmocka_unit_test(override_of_a_windowless_device_has_no_effect),
		cmocka_unit_test(change_takes_effect_at_the_next_attach),
		cmocka_unit_test_setup_teardown(
			native_refuses_half_overlap_with_another_devices_window, setup_native,
			fx_teardown),
		cmocka_unit_test_setup_teardown(native_refuses_stranding_translated_vectors,
						setup_native, fx_teardown),
		cmocka_unit_test(kernel_and_dma_skip_natives_checks),
		cmocka_unit_test(bind_and_context_window_meeting_an_override),
		cmocka_unit_test(kernel_and_dma_old_window_vectors_are_lost),
		cmocka_unit_test_setup_teardown(native_new_window_installs_only_its_own_entries,
						setup_native, fx_teardown),
		cmocka_unit_test_setup_teardown(native_group_must_agree_at_attach, setup_native,
						fx_teardown),
		cmocka_unit_test(kernel_and_dma_group_mates_may_differ),
		cmocka_unit_test(native_refuses_half_overlap_with_the_contexts_window_in_use),
		cmocka_unit_test(fault_sweep_set_window_and_attach_with_override),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
