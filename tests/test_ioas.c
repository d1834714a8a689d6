/* SPDX-License-Identifier: MIT */
/*
 * IO address spaces: user mappings mirrored into every paging HWPT of the
 * IOAS, SW_MSI windows reserved while a device using them is attached, the
 * ioas_map/ioas_unmap error rules and their order, and automatic HWPTs.
 */
#include "fixture.h"
#include "snapshot.h"

#include <stdio.h>

#define RW	(SWMSI_PROT_READ | SWMSI_PROT_WRITE)
#define WIN_END (FX_WINDOW_START + FX_WINDOW_SIZE)
#define PAGE	0x1000ull

/* Every page of [iova, iova + len) translates to paddr + offset with @prot. */
static void expect_mapped(struct fx *fx, uint32_t hwpt, uint64_t iova, uint64_t paddr, uint64_t len,
			  uint32_t prot)
{
	void *dom = fx_domain(fx, hwpt);
	uint64_t off;

	for (off = 0; off < len; off += PAGE) {
		uint64_t pa = 0;
		uint32_t p = 0;

		assert_int_equal(mock_iommu_lookup(fx->mock, dom, iova + off, &pa, &p), 0);
		assert_int_equal(pa, paddr + off);
		assert_int_equal(p, prot);
		pa = 0;
		assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, hwpt, iova + off + 0x18, &pa), 0);
		assert_int_equal(pa, paddr + off + 0x18);
	}
}

static void expect_unmapped(struct fx *fx, uint32_t hwpt, uint64_t iova, uint64_t len)
{
	void *dom = fx_domain(fx, hwpt);
	uint64_t off;

	for (off = 0; off < len; off += PAGE) {
		uint64_t pa = 0;

		assert_int_equal(mock_iommu_lookup(fx->mock, dom, iova + off, &pa, NULL), -ENOENT);
		assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, hwpt, iova + off, &pa), -ENOENT);
	}
}

static int map(struct fx *fx, uint32_t ioas, uint64_t iova, uint64_t paddr, uint64_t len)
{
	return swmsi_ioas_map(fx->ctx, ioas, iova, paddr, len, RW);
}

/* Runs an expected failure and checks it changed nothing. */
static void expect_map_fails(struct fx *fx, uint32_t ioas, uint64_t iova, uint64_t paddr,
			     uint64_t len, int err)
{
	struct snap *before = snap_take(fx);
	char label[96];

	snprintf(label, sizeof(label), "ioas_map(0x%llx, +0x%llx)", (unsigned long long)iova,
		 (unsigned long long)len);
	assert_int_equal(map(fx, ioas, iova, paddr, len), err);
	snap_expect_unchanged(fx, before, label);
}

static void expect_unmap_fails(struct fx *fx, uint32_t ioas, uint64_t iova, uint64_t len, int err)
{
	struct snap *before = snap_take(fx);
	char label[96];

	snprintf(label, sizeof(label), "ioas_unmap(0x%llx, +0x%llx)", (unsigned long long)iova,
		 (unsigned long long)len);
	assert_int_equal(swmsi_ioas_unmap(fx->ctx, ioas, iova, len), err);
	snap_expect_unchanged(fx, before, label);
}

/* ------------------------------------------------------------------------ */
/* Mirroring */

static void ioas_map_two_hwpts_mirrors_into_both(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx);
	uint32_t h1 = fx_hwpt(fx, ioas, 0);
	uint32_t h2 = fx_hwpt(fx, ioas, SWMSI_HWPT_NEST_PARENT);

	assert_int_equal(map(fx, ioas, 0x100000, 0x40000000, 0x3000), 0);
	expect_mapped(fx, h1, 0x100000, 0x40000000, 0x3000, RW);
	expect_mapped(fx, h2, 0x100000, 0x40000000, 0x3000, RW);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, h1)), 3);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, h2)), 3);
}

static void hwpt_alloc_after_ioas_map_mirrors_existing(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h;

	assert_int_equal(map(fx, ioas, 0x100000, 0x40000000, 0x2000), 0);
	assert_int_equal(
		swmsi_ioas_map(fx->ctx, ioas, 0x400000, 0x7000000, 0x1000, SWMSI_PROT_READ), 0);
	h = fx_hwpt(fx, ioas, 0);
	expect_mapped(fx, h, 0x100000, 0x40000000, 0x2000, RW);
	expect_mapped(fx, h, 0x400000, 0x7000000, 0x1000, SWMSI_PROT_READ);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, h)), 3);
}

static void ioas_map_prot_preserved_in_every_hwpt(void **state)
{
	static const uint32_t prots[] = {
		SWMSI_PROT_READ,
		SWMSI_PROT_WRITE,
		RW,
		RW | SWMSI_PROT_MMIO,
		SWMSI_PROT_READ | SWMSI_PROT_MMIO,
	};
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h1, h2;
	size_t i;

	h1 = fx_hwpt(fx, ioas, 0);
	for (i = 0; i < sizeof(prots) / sizeof(prots[0]); i++)
		assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, 0x100000 + i * 0x10000,
						0x40000000 + i * 0x10000, 0x2000, prots[i]),
				 0);
	h2 = fx_hwpt(fx, ioas, 0);
	for (i = 0; i < sizeof(prots) / sizeof(prots[0]); i++) {
		expect_mapped(fx, h1, 0x100000 + i * 0x10000, 0x40000000 + i * 0x10000, 0x2000,
			      prots[i]);
		expect_mapped(fx, h2, 0x100000 + i * 0x10000, 0x40000000 + i * 0x10000, 0x2000,
			      prots[i]);
	}
}

/* An automatic HWPT is a paging HWPT of the IOAS like any other. */
static void ioas_map_auto_hwpt_mirrors_both_ways(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), dev = fx_bind(fx, 1), h;

	assert_int_equal(map(fx, ioas, 0x100000, 0x40000000, 0x1000), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
	h = fx_dev_hwpt(fx, dev);
	expect_mapped(fx, h, 0x100000, 0x40000000, 0x1000, RW);
	assert_int_equal(map(fx, ioas, 0x200000, 0x50000000, 0x1000), 0);
	expect_mapped(fx, h, 0x200000, 0x50000000, 0x1000, RW);
}

/* Mappings of one IOAS never show up in another IOAS's HWPTs. */
static void ioas_map_other_ioas_hwpt_untouched(void **state)
{
	struct fx *fx = *state;
	uint32_t i1 = fx_ioas(fx), i2 = fx_ioas(fx);
	uint32_t h1 = fx_hwpt(fx, i1, 0), h2 = fx_hwpt(fx, i2, 0);

	assert_int_equal(map(fx, i1, 0x100000, 0x40000000, 0x1000), 0);
	expect_mapped(fx, h1, 0x100000, 0x40000000, 0x1000, RW);
	expect_unmapped(fx, h2, 0x100000, 0x1000);
	/* The same IOVA is free in the other IOAS. */
	assert_int_equal(map(fx, i2, 0x100000, 0x60000000, 0x1000), 0);
	expect_mapped(fx, h2, 0x100000, 0x60000000, 0x1000, RW);
	expect_mapped(fx, h1, 0x100000, 0x40000000, 0x1000, RW);
}

static void ioas_map_mirror_fails_undoes_others_returns_error(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h1, h2;

	h1 = fx_hwpt(fx, ioas, 0);
	h2 = fx_hwpt(fx, ioas, 0);
	/* Two HWPTs take at least two map calls: the second one fails. */
	mock_iommu_fail_map(fx->mock, 2, -EIO);
	expect_map_fails(fx, ioas, 0x100000, 0x40000000, 0x2000, -EIO);
	mock_iommu_fail_map(fx->mock, 0, 0);
	expect_unmapped(fx, h1, 0x100000, 0x2000);
	expect_unmapped(fx, h2, 0x100000, 0x2000);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, NULL), 0);
	/* The IOAS holds nothing either: the same range maps afterwards. */
	assert_int_equal(map(fx, ioas, 0x100000, 0x40000000, 0x2000), 0);
	expect_mapped(fx, h1, 0x100000, 0x40000000, 0x2000, RW);
	expect_mapped(fx, h2, 0x100000, 0x40000000, 0x2000, RW);
}

/* ------------------------------------------------------------------------ */
/* Reserved SW_MSI windows */

static void ioas_map_into_reserved_window_fails_eaddrinuse(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h), 0);
	/* Inside, at the start, at the end, straddling either edge, covering. */
	expect_map_fails(fx, ioas, FX_WINDOW_START, 0x40000000, PAGE, -EADDRINUSE);
	expect_map_fails(fx, ioas, FX_WINDOW_START + 0x10000, 0x40000000, PAGE, -EADDRINUSE);
	expect_map_fails(fx, ioas, WIN_END - PAGE, 0x40000000, PAGE, -EADDRINUSE);
	expect_map_fails(fx, ioas, FX_WINDOW_START - PAGE, 0x40000000, 2 * PAGE, -EADDRINUSE);
	expect_map_fails(fx, ioas, WIN_END - PAGE, 0x40000000, 2 * PAGE, -EADDRINUSE);
	expect_map_fails(fx, ioas, FX_WINDOW_START - PAGE, 0x40000000, FX_WINDOW_SIZE + 2 * PAGE,
			 -EADDRINUSE);
	/* Right next to the window is fine. */
	assert_int_equal(map(fx, ioas, FX_WINDOW_START - PAGE, 0x40000000, PAGE), 0);
	assert_int_equal(map(fx, ioas, WIN_END, 0x40001000, PAGE), 0);
	expect_mapped(fx, h, FX_WINDOW_START - PAGE, 0x40000000, PAGE, RW);
	expect_mapped(fx, h, WIN_END, 0x40001000, PAGE, RW);
}

/* Attaching to the IOAS itself (its automatic HWPT) reserves the window too. */
static void ioas_map_into_window_of_auto_hwpt_fails_eaddrinuse(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), dev = fx_bind(fx, 1);

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
	expect_map_fails(fx, ioas, FX_WINDOW_START, 0x40000000, PAGE, -EADDRINUSE);
}

/* Only the IOAS the device sits on reserves the window. */
static void ioas_map_window_of_other_ioas_succeeds(void **state)
{
	struct fx *fx = *state;
	uint32_t i1 = fx_ioas(fx), i2 = fx_ioas(fx), dev = fx_bind(fx, 1);
	uint32_t h1 = fx_hwpt(fx, i1, 0), h2 = fx_hwpt(fx, i2, 0);

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h1), 0);
	assert_int_equal(map(fx, i2, FX_WINDOW_START, 0x40000000, PAGE), 0);
	expect_mapped(fx, h2, FX_WINDOW_START, 0x40000000, PAGE, RW);
}

/* A device without a window reserves nothing. */
static void ioas_map_device_without_window_reserves_nothing(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0), dev = fx_bind_nowin(fx, 1);

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h), 0);
	assert_int_equal(map(fx, ioas, FX_WINDOW_START, 0x40000000, PAGE), 0);
	expect_mapped(fx, h, FX_WINDOW_START, 0x40000000, PAGE, RW);
}

static void device_attach_ioas_maps_into_window_fails_eaddrinuse(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);
	struct snap *before;

	assert_int_equal(map(fx, ioas, WIN_END - PAGE, 0x40000000, 2 * PAGE), 0);
	before = snap_take(fx);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h), -EADDRINUSE);
	/* Through the IOAS: no automatic HWPT may be left behind either. */
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), -EADDRINUSE);
	snap_expect_unchanged(fx, before, "attach into a mapped window");
	assert_int_equal(fx_dev_hwpt(fx, dev), 0);
}

static void device_replace_ioas_maps_into_window_fails_eaddrinuse(void **state)
{
	struct fx *fx = *state;
	uint32_t i1 = fx_ioas(fx), i2 = fx_ioas(fx);
	uint32_t h1 = fx_hwpt(fx, i1, 0), h2 = fx_hwpt(fx, i2, 0), dev = fx_bind(fx, 1);
	struct snap *before;
	uint32_t vec = 0;
	uint64_t msg = 0, pa = 0;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h1), 0);
	assert_int_equal(swmsi_msi_alloc(fx->ctx, dev, FX_ITS_PAGE + 0x40, &vec, &msg), 0);
	assert_int_equal(map(fx, i2, FX_WINDOW_START + 0x80000, 0x40000000, PAGE), 0);
	before = snap_take(fx);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, h2), -EADDRINUSE);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, i2), -EADDRINUSE);
	snap_expect_unchanged(fx, before, "replace into a mapped window");
	assert_int_equal(fx_dev_hwpt(fx, dev), h1);
	assert_int_equal(swmsi_msi_fire(fx->ctx, dev, vec, &pa), 0);
	assert_int_equal(pa, FX_ITS_PAGE + 0x40);
}

/* The window stays reserved while any device using it is attached. */
static void ioas_map_window_free_after_last_device_leaves(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0);
	uint32_t d1 = fx_bind(fx, 1), d2 = fx_bind(fx, 2), d3 = fx_bind(fx, 1);

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, h), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, h), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d3, h), 0);
	assert_int_equal(swmsi_device_detach(fx->ctx, d1), 0);
	expect_map_fails(fx, ioas, FX_WINDOW_START, 0x40000000, PAGE, -EADDRINUSE);
	assert_int_equal(swmsi_device_unbind(fx->ctx, d2), 0);
	expect_map_fails(fx, ioas, FX_WINDOW_START, 0x40000000, PAGE, -EADDRINUSE);
	assert_int_equal(swmsi_device_detach(fx->ctx, d3), 0);
	assert_int_equal(map(fx, ioas, FX_WINDOW_START, 0x40000000, PAGE), 0);
	expect_mapped(fx, h, FX_WINDOW_START, 0x40000000, PAGE, RW);
	/* And now the IOAS maps into the window, attach is refused. */
	assert_int_equal(swmsi_device_attach(fx->ctx, d1, h), -EADDRINUSE);
}

/* A replace away from the IOAS releases the window on it. */
static void ioas_map_window_free_after_replace_away(void **state)
{
	struct fx *fx = *state;
	uint32_t i1 = fx_ioas(fx), i2 = fx_ioas(fx);
	uint32_t h1 = fx_hwpt(fx, i1, 0), h2 = fx_hwpt(fx, i2, 0), dev = fx_bind(fx, 1);

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h1), 0);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, h2), 0);
	assert_int_equal(map(fx, i1, FX_WINDOW_START, 0x40000000, PAGE), 0);
	expect_map_fails(fx, i2, FX_WINDOW_START, 0x40000000, PAGE, -EADDRINUSE);
}

/* The window reserved is the one the group uses: the override, if set. */
static void ioas_map_reserves_overridden_window_not_reported_one(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);

	assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, 0x10000000, 0x10000), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h), 0);
	expect_map_fails(fx, ioas, 0x1000f000, 0x40000000, PAGE, -EADDRINUSE);
	assert_int_equal(map(fx, ioas, FX_WINDOW_START, 0x40000000, PAGE), 0);
	assert_int_equal(map(fx, ioas, 0x10010000, 0x40001000, PAGE), 0);
	expect_mapped(fx, h, FX_WINDOW_START, 0x40000000, PAGE, RW);
}

static void device_attach_ioas_maps_into_overridden_window_fails_eaddrinuse(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);
	struct snap *before;

	assert_int_equal(map(fx, ioas, 0x10008000, 0x40000000, PAGE), 0);
	assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, 0x10000000, 0x10000), 0);
	before = snap_take(fx);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h), -EADDRINUSE);
	snap_expect_unchanged(fx, before, "attach into a mapped override window");
}

/* State checks come before policy: an attached device is -EINVAL first. */
static void device_attach_bad_state_beats_eaddrinuse(void **state)
{
	struct fx *fx = *state;
	uint32_t i1 = fx_ioas(fx), i2 = fx_ioas(fx);
	uint32_t h1 = fx_hwpt(fx, i1, 0), h2 = fx_hwpt(fx, i2, 0);
	uint32_t d1 = fx_bind(fx, 1), d2 = fx_bind(fx, 1), d3 = fx_bind(fx, 3);
	struct snap *before;

	assert_int_equal(map(fx, i2, FX_WINDOW_START, 0x40000000, PAGE), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d1, h1), 0);
	before = snap_take(fx);
	/* Attached device; group sits elsewhere; not attached for replace. */
	assert_int_equal(swmsi_device_attach(fx->ctx, d1, h2), -EINVAL);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, h2), -EINVAL);
	assert_int_equal(swmsi_device_replace(fx->ctx, d3, h2), -EINVAL);
	snap_expect_unchanged(fx, before, "bad state and a mapped window");
}

/*
 * Under reclaim none an MSI page stays in a domain after its group leaves;
 * the window is no longer reserved, so ioas_map goes ahead, and mirroring
 * into that domain meets the page: the backend's -EEXIST, every other
 * mirror undone.
 */
static void ioas_map_over_stale_msi_page_fails_eexist_changes_nothing(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h1 = fx_hwpt(fx, ioas, 0), h2 = fx_hwpt(fx, ioas, 0);
	uint32_t dev = fx_bind(fx, 1), vec = 0;
	uint64_t msg = 0;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h1), 0);
	assert_int_equal(swmsi_msi_alloc(fx->ctx, dev, FX_ITS_PAGE, &vec, &msg), 0);
	assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, h1)), 1);
	expect_map_fails(fx, ioas, FX_WINDOW_START, 0x40000000, 2 * PAGE, -EEXIST);
	expect_unmapped(fx, h2, FX_WINDOW_START, 2 * PAGE);
	/* Beside the stale page the window is free for DMA. */
	assert_int_equal(map(fx, ioas, FX_WINDOW_START + PAGE, 0x40000000, PAGE), 0);
	expect_mapped(fx, h1, FX_WINDOW_START + PAGE, 0x40000000, PAGE, RW);
	expect_mapped(fx, h2, FX_WINDOW_START + PAGE, 0x40000000, PAGE, RW);
}

/* ------------------------------------------------------------------------ */
/* ioas_map argument rules and their order */

static void ioas_map_overlap_fails_eexist(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0);

	assert_int_equal(map(fx, ioas, 0x100000, 0x40000000, 0x4000), 0);
	expect_map_fails(fx, ioas, 0x100000, 0x50000000, 0x4000, -EEXIST);
	expect_map_fails(fx, ioas, 0x0ff000, 0x50000000, 0x2000, -EEXIST);
	expect_map_fails(fx, ioas, 0x103000, 0x50000000, 0x2000, -EEXIST);
	expect_map_fails(fx, ioas, 0x101000, 0x50000000, 0x1000, -EEXIST);
	expect_map_fails(fx, ioas, 0x0f0000, 0x50000000, 0x20000, -EEXIST);
	/* Adjacent on both sides is fine. */
	assert_int_equal(map(fx, ioas, 0x0ff000, 0x50000000, PAGE), 0);
	assert_int_equal(map(fx, ioas, 0x104000, 0x50001000, PAGE), 0);
	expect_mapped(fx, h, 0x0ff000, 0x50000000, PAGE, RW);
	expect_mapped(fx, h, 0x100000, 0x40000000, 0x4000, RW);
	expect_mapped(fx, h, 0x104000, 0x50001000, PAGE, RW);
}

static void ioas_map_misaligned_or_zero_fails_einval(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx);

	fx_hwpt(fx, ioas, 0);
	expect_map_fails(fx, ioas, 0x100800, 0x40000000, PAGE, -EINVAL);
	expect_map_fails(fx, ioas, 0x100000, 0x40000800, PAGE, -EINVAL);
	expect_map_fails(fx, ioas, 0x100000, 0x40000000, 0x800, -EINVAL);
	expect_map_fails(fx, ioas, 0x100000, 0x40000000, PAGE + 1, -EINVAL);
	expect_map_fails(fx, ioas, 0x100000, 0x40000000, 0, -EINVAL);
}

/* With 16K pages, a 4K-aligned map is misaligned. */
static void ioas_map_16k_misaligned_fails_einval(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0);

	expect_map_fails(fx, ioas, 0x101000, 0x40000000, 0x4000, -EINVAL);
	expect_map_fails(fx, ioas, 0x100000, 0x40001000, 0x4000, -EINVAL);
	expect_map_fails(fx, ioas, 0x100000, 0x40000000, 0x1000, -EINVAL);
	assert_int_equal(map(fx, ioas, 0x100000, 0x40000000, 0x8000), 0);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, h)), 2);
}

static void ioas_map_wrap_fails_eoverflow(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx);

	expect_map_fails(fx, ioas, UINT64_MAX - 0xfff, 0x40000000, 2 * PAGE, -EOVERFLOW);
	expect_map_fails(fx, ioas, 0xfffffffffff00000ull, 0x40000000, 0x200000, -EOVERFLOW);
	expect_map_fails(fx, ioas, PAGE, 0x40000000, UINT64_MAX - 0xfff, -EOVERFLOW);
}

static void ioas_map_checks_einval_before_eoverflow(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx);

	/* Wraps, and misaligned: -EINVAL wins. */
	expect_map_fails(fx, ioas, UINT64_MAX - 0xfff, 0x40000800, 2 * PAGE, -EINVAL);
	expect_map_fails(fx, ioas, UINT64_MAX - 0xfff, 0x40000000, 2 * PAGE + 8, -EINVAL);
}

static void ioas_map_checks_eoverflow_before_eaddrinuse(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h), 0);
	/* Wraps around zero and on over the window. */
	expect_map_fails(fx, ioas, UINT64_MAX - 0xfff, 0x40000000, 0x10000000, -EOVERFLOW);
}

static void ioas_map_checks_eaddrinuse_before_eexist(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);

	assert_int_equal(map(fx, ioas, FX_WINDOW_START - 0x10000, 0x40000000, 0x10000), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h), 0);
	/* Overlaps the mapping and the reserved window. */
	expect_map_fails(fx, ioas, FX_WINDOW_START - 0x10000, 0x50000000, 0x11000, -EADDRINUSE);
}

/* ------------------------------------------------------------------------ */
/* ioas_unmap */

static void ioas_unmap_exact_range_removes_it(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0);

	assert_int_equal(map(fx, ioas, 0x100000, 0x40000000, 0x3000), 0);
	assert_int_equal(swmsi_ioas_unmap(fx->ctx, ioas, 0x100000, 0x3000), 0);
	expect_unmapped(fx, h, 0x100000, 0x3000);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, NULL), 0);
	/* Gone from the IOAS too: a second unmap finds nothing. */
	expect_unmap_fails(fx, ioas, 0x100000, 0x3000, -ENOENT);
}

static void ioas_unmap_wide_range_removes_every_mapping_inside(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h1 = fx_hwpt(fx, ioas, 0), h2;

	assert_int_equal(map(fx, ioas, 0x100000, 0x40000000, 0x2000), 0);
	assert_int_equal(map(fx, ioas, 0x102000, 0x41000000, 0x1000), 0);
	assert_int_equal(map(fx, ioas, 0x180000, 0x42000000, 0x4000), 0);
	assert_int_equal(map(fx, ioas, 0x300000, 0x43000000, 0x1000), 0);
	h2 = fx_hwpt(fx, ioas, 0);
	/* Gaps inside the range are fine; the mapping at 0x300000 stays. */
	assert_int_equal(swmsi_ioas_unmap(fx->ctx, ioas, 0x0f0000, 0x200000), 0);
	expect_unmapped(fx, h1, 0x100000, 0x3000);
	expect_unmapped(fx, h1, 0x180000, 0x4000);
	expect_unmapped(fx, h2, 0x100000, 0x3000);
	expect_unmapped(fx, h2, 0x180000, 0x4000);
	expect_mapped(fx, h1, 0x300000, 0x43000000, 0x1000, RW);
	expect_mapped(fx, h2, 0x300000, 0x43000000, 0x1000, RW);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, NULL), 2);
}

static void ioas_unmap_nothing_inside_fails_enoent(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx);

	fx_hwpt(fx, ioas, 0);
	expect_unmap_fails(fx, ioas, 0x100000, 0x1000, -ENOENT);
	assert_int_equal(map(fx, ioas, 0x100000, 0x40000000, 0x2000), 0);
	expect_unmap_fails(fx, ioas, 0x200000, 0x10000, -ENOENT);
	expect_unmap_fails(fx, ioas, 0x0ff000, 0x1000, -ENOENT);
	expect_unmap_fails(fx, ioas, 0x102000, 0x1000, -ENOENT);
}

static void ioas_unmap_straddling_start_fails_enoent_removes_nothing(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0);

	assert_int_equal(map(fx, ioas, 0x100000, 0x40000000, 0x4000), 0);
	assert_int_equal(map(fx, ioas, 0x110000, 0x41000000, 0x1000), 0);
	/* The second mapping is wholly inside, the first is cut: nothing goes. */
	expect_unmap_fails(fx, ioas, 0x102000, 0x20000, -ENOENT);
	expect_mapped(fx, h, 0x100000, 0x40000000, 0x4000, RW);
	expect_mapped(fx, h, 0x110000, 0x41000000, 0x1000, RW);
}

static void ioas_unmap_straddling_end_fails_enoent_removes_nothing(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0);

	assert_int_equal(map(fx, ioas, 0x0f0000, 0x41000000, 0x1000), 0);
	assert_int_equal(map(fx, ioas, 0x100000, 0x40000000, 0x4000), 0);
	expect_unmap_fails(fx, ioas, 0x0e0000, 0x22000, -ENOENT);
	expect_mapped(fx, h, 0x0f0000, 0x41000000, 0x1000, RW);
	expect_mapped(fx, h, 0x100000, 0x40000000, 0x4000, RW);
}

static void ioas_unmap_inside_one_mapping_fails_enoent(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0);

	assert_int_equal(map(fx, ioas, 0x100000, 0x40000000, 0x4000), 0);
	expect_unmap_fails(fx, ioas, 0x101000, 0x2000, -ENOENT);
	expect_unmap_fails(fx, ioas, 0x100000, 0x1000, -ENOENT);
	expect_unmap_fails(fx, ioas, 0x103000, 0x1000, -ENOENT);
	expect_mapped(fx, h, 0x100000, 0x40000000, 0x4000, RW);
}

static void ioas_unmap_misaligned_or_zero_fails_einval(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx);

	assert_int_equal(map(fx, ioas, 0x100000, 0x40000000, 0x4000), 0);
	expect_unmap_fails(fx, ioas, 0x100800, 0x1000, -EINVAL);
	expect_unmap_fails(fx, ioas, 0x100000, 0x3800, -EINVAL);
	expect_unmap_fails(fx, ioas, 0x100000, 0, -EINVAL);
}

/* ------------------------------------------------------------------------ */
/* Automatic HWPTs */

static void device_attach_ioas_creates_auto_hwpt(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), dev = fx_bind(fx, 1), h;
	struct swmsi_hwpt_info hi;
	enum swmsi_obj_type t;
	struct swmsi_device_info di;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
	assert_int_equal(swmsi_device_info(fx->ctx, dev, &di), 0);
	assert_true(di.attached);
	h = di.hwpt_id;
	assert_int_not_equal(h, 0);
	assert_int_not_equal(h, ioas);
	assert_int_equal(swmsi_obj_type(fx->ctx, h, &t), 0);
	assert_int_equal(t, SWMSI_OBJ_HWPT_PAGING);
	assert_int_equal(swmsi_hwpt_info(fx->ctx, h, &hi), 0);
	assert_true(hi.is_auto);
	assert_int_equal(hi.ioas_id, ioas);
	assert_int_equal(hi.groups, 1);
	assert_int_equal(mock_iommu_domain_count(fx->mock), 1);
}

static void device_attach_ioas_second_group_reuses_auto_hwpt(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), d1 = fx_bind(fx, 1), d2 = fx_bind(fx, 2);
	struct swmsi_hwpt_info hi;
	uint32_t vec = 0;
	uint64_t m1 = 0, m2 = 0, pa = 0;

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, ioas), 0);
	assert_int_equal(swmsi_msi_alloc(fx->ctx, d1, FX_ITS_PAGE, &vec, &m1), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, ioas), 0);
	assert_int_equal(fx_dev_hwpt(fx, d1), fx_dev_hwpt(fx, d2));
	assert_int_equal(mock_iommu_domain_count(fx->mock), 1);
	assert_int_equal(swmsi_hwpt_info(fx->ctx, fx_dev_hwpt(fx, d1), &hi), 0);
	assert_int_equal(hi.groups, 2);
	assert_int_equal(swmsi_msi_alloc(fx->ctx, d2, FX_ITS_PAGE, &vec, &m2), 0);
	assert_int_equal(m1, m2);
	assert_int_equal(swmsi_msi_fire(fx->ctx, d2, vec, &pa), 0);
	assert_int_equal(pa, FX_ITS_PAGE);
}

static void device_attach_ioas_never_reuses_user_hwpt(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), user = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);
	struct swmsi_hwpt_info hi;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
	assert_int_not_equal(fx_dev_hwpt(fx, dev), user);
	assert_int_equal(swmsi_hwpt_info(fx->ctx, fx_dev_hwpt(fx, dev), &hi), 0);
	assert_true(hi.is_auto);
	assert_int_equal(swmsi_hwpt_info(fx->ctx, user, &hi), 0);
	assert_false(hi.is_auto);
	assert_int_equal(hi.groups, 0);
	assert_int_equal(mock_iommu_domain_count(fx->mock), 2);
}

/* One automatic HWPT per IOAS: a third group still shares it. */
static void device_attach_ioas_at_most_one_auto_hwpt(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), d[3];
	unsigned int i;

	for (i = 0; i < 3; i++) {
		d[i] = fx_bind(fx, 10 + i);
		assert_int_equal(swmsi_device_attach(fx->ctx, d[i], ioas), 0);
		assert_int_equal(fx_dev_hwpt(fx, d[i]), fx_dev_hwpt(fx, d[0]));
	}
	assert_int_equal(mock_iommu_domain_count(fx->mock), 1);
}

static void device_detach_last_destroys_auto_hwpt(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), d1 = fx_bind(fx, 1), d2 = fx_bind(fx, 2), h;
	struct swmsi_ctx_stats st;
	enum swmsi_obj_type t;

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, ioas), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, ioas), 0);
	h = fx_dev_hwpt(fx, d1);
	assert_int_equal(swmsi_device_detach(fx->ctx, d1), 0);
	assert_int_equal(swmsi_obj_type(fx->ctx, h, &t), 0);
	assert_int_equal(swmsi_device_detach(fx->ctx, d2), 0);
	assert_int_equal(swmsi_obj_type(fx->ctx, h, &t), -ENOENT);
	assert_int_equal(mock_iommu_domain_count(fx->mock), 0);
	assert_int_equal(swmsi_ctx_stats(fx->ctx, &st), 0);
	assert_int_equal(st.objects, 3);
	/* Nothing holds the IOAS any more. */
	assert_int_equal(swmsi_destroy(fx->ctx, ioas), 0);
}

static void device_unbind_last_destroys_auto_hwpt(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), dev = fx_bind(fx, 1), h;
	enum swmsi_obj_type t;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
	h = fx_dev_hwpt(fx, dev);
	assert_int_equal(swmsi_device_unbind(fx->ctx, dev), 0);
	assert_int_equal(swmsi_obj_type(fx->ctx, h, &t), -ENOENT);
	assert_int_equal(mock_iommu_domain_count(fx->mock), 0);
}

static void device_replace_away_destroys_auto_hwpt(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), user = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1), h;
	enum swmsi_obj_type t;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
	h = fx_dev_hwpt(fx, dev);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, user), 0);
	assert_int_equal(fx_dev_hwpt(fx, dev), user);
	assert_int_equal(swmsi_obj_type(fx->ctx, h, &t), -ENOENT);
	assert_int_equal(mock_iommu_domain_count(fx->mock), 1);
}

static void ioas_destroy_with_auto_hwpt_fails_ebusy(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), dev = fx_bind(fx, 1);
	struct snap *before;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
	before = snap_take(fx);
	assert_int_equal(swmsi_destroy(fx->ctx, ioas), -EBUSY);
	snap_expect_unchanged(fx, before, "destroy of a busy IOAS");
}

static void device_replace_to_ioas_already_on_auto_is_noop(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), dev = fx_bind(fx, 1), vec = 0;
	uint64_t msg = 0;
	struct snap *before;
	size_t jlen;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
	assert_int_equal(swmsi_msi_alloc(fx->ctx, dev, FX_ITS_PAGE + 0x40, &vec, &msg), 0);
	before = snap_take(fx);
	jlen = mock_iommu_journal_len(fx->mock);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, ioas), 0);
	/* Not even a new domain made and thrown away. */
	assert_int_equal(mock_iommu_journal_len(fx->mock), jlen);
	snap_expect_unchanged(fx, before, "replace to the IOAS it is on");
}

static void device_replace_to_hwpt_already_on_is_noop(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1), vec = 0;
	uint64_t msg = 0;
	struct snap *before;
	size_t jlen;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h), 0);
	assert_int_equal(swmsi_msi_alloc(fx->ctx, dev, FX_ITS_PAGE + 0x40, &vec, &msg), 0);
	before = snap_take(fx);
	jlen = mock_iommu_journal_len(fx->mock);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, h), 0);
	assert_int_equal(mock_iommu_journal_len(fx->mock), jlen);
	snap_expect_unchanged(fx, before, "replace to the HWPT it is on");
}

/* A user HWPT on the IOAS is not where "replace to the IOAS" leads. */
static void device_replace_from_user_hwpt_to_its_ioas_moves_to_auto(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), user = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);
	struct swmsi_hwpt_info hi;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, user), 0);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, ioas), 0);
	assert_int_not_equal(fx_dev_hwpt(fx, dev), user);
	assert_int_equal(swmsi_hwpt_info(fx->ctx, fx_dev_hwpt(fx, dev), &hi), 0);
	assert_true(hi.is_auto);
	assert_int_equal(hi.ioas_id, ioas);
}

/*
 * A backend that unmaps a user mapping short is at fault, and libswmsi
 * cannot repair it: ioas_unmap still succeeds (the IOAS forgets what it was
 * asked to unmap) and the event is counted for the embedder to see.
 */
static void ioas_unmap_backend_short_counts_and_forgets(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0);
	struct swmsi_ctx_stats st;
	uint64_t pa = 0;
	size_t n = 9;

	assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, 0x100000, 0x500000, 0x2000, SWMSI_PROT_READ),
			 0);
	mock_iommu_limit_unmap(fx->mock, 0x1000);
	assert_int_equal(swmsi_ioas_unmap(fx->ctx, ioas, 0x100000, 0x2000), 0);
	mock_iommu_limit_unmap(fx->mock, UINT64_MAX);
	assert_int_equal(swmsi_ctx_stats(fx->ctx, &st), 0);
	assert_int_equal(st.short_unmaps, 1);
	assert_int_equal(swmsi_ioas_mappings(fx->ctx, ioas, NULL, 0, &n), 0);
	assert_int_equal(n, 0);
	/* what the backend kept is still translated: the fault is real */
	assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, h, 0x101000, &pa), 0);
	assert_int_equal(pa, 0x501000);
	/* the test cleans the backend itself, so teardown sees no misuse */
	assert_int_equal(mock_iommu_ops()->unmap(fx->mock, fx_domain(fx, h), 0x101000, 0x1000),
			 0x1000);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(ioas_map_two_hwpts_mirrors_into_both),
		T(ioas_unmap_backend_short_counts_and_forgets),
		T(hwpt_alloc_after_ioas_map_mirrors_existing),
		T(ioas_map_prot_preserved_in_every_hwpt),
		T(ioas_map_auto_hwpt_mirrors_both_ways),
		T(ioas_map_other_ioas_hwpt_untouched),
		T(ioas_map_mirror_fails_undoes_others_returns_error),
		T(ioas_map_into_reserved_window_fails_eaddrinuse),
		T(ioas_map_into_window_of_auto_hwpt_fails_eaddrinuse),
		T(ioas_map_window_of_other_ioas_succeeds),
		T(ioas_map_device_without_window_reserves_nothing),
		T(device_attach_ioas_maps_into_window_fails_eaddrinuse),
		T(device_replace_ioas_maps_into_window_fails_eaddrinuse),
		T(ioas_map_window_free_after_last_device_leaves),
		T(ioas_map_window_free_after_replace_away),
		T(ioas_map_reserves_overridden_window_not_reported_one),
		T(device_attach_ioas_maps_into_overridden_window_fails_eaddrinuse),
		T(device_attach_bad_state_beats_eaddrinuse),
		T(ioas_map_over_stale_msi_page_fails_eexist_changes_nothing),
		T(ioas_map_overlap_fails_eexist),
		T(ioas_map_misaligned_or_zero_fails_einval),
		cmocka_unit_test_setup_teardown(ioas_map_16k_misaligned_fails_einval, fx_setup_16k,
						fx_teardown),
		T(ioas_map_wrap_fails_eoverflow),
		T(ioas_map_checks_einval_before_eoverflow),
		T(ioas_map_checks_eoverflow_before_eaddrinuse),
		T(ioas_map_checks_eaddrinuse_before_eexist),
		T(ioas_unmap_exact_range_removes_it),
		T(ioas_unmap_wide_range_removes_every_mapping_inside),
		T(ioas_unmap_nothing_inside_fails_enoent),
		T(ioas_unmap_straddling_start_fails_enoent_removes_nothing),
		T(ioas_unmap_straddling_end_fails_enoent_removes_nothing),
		T(ioas_unmap_inside_one_mapping_fails_enoent),
		T(ioas_unmap_misaligned_or_zero_fails_einval),
		T(device_attach_ioas_creates_auto_hwpt),
		T(device_attach_ioas_second_group_reuses_auto_hwpt),
		T(device_attach_ioas_never_reuses_user_hwpt),
		T(device_attach_ioas_at_most_one_auto_hwpt),
		T(device_detach_last_destroys_auto_hwpt),
		T(device_unbind_last_destroys_auto_hwpt),
		T(device_replace_away_destroys_auto_hwpt),
		T(ioas_destroy_with_auto_hwpt_fails_ebusy),
		T(device_replace_to_ioas_already_on_auto_is_noop),
		T(device_replace_to_hwpt_already_on_is_noop),
		T(device_replace_from_user_hwpt_to_its_ioas_moves_to_auto),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
