/* SPDX-License-Identifier: MIT */
/*
 * The context-wide MSI table: one (window, doorbell page) -> slot mapping
 * shared by every device, group and domain, slots handed out lowest-free per
 * window, the SW_MSI window override, untranslated vectors (no window, or
 * allocated while detached) and the doorbell allow-list.
 */
#include "fixture.h"
#include "snapshot.h"

#define PAGE 0x1000ull

#define DB_B 0x10000000ull
#define DB_C 0x10010000ull

/* A second window, clear of the default one. */
#define WIN2_START 0x9000000ull
#define WIN2_SIZE  0x100000ull

/* The override window the VMM picks. */
#define OVR_START 0x20000000ull
#define OVR_SIZE  0x200000ull

/* ---------------------------------------------------------------------- */
/* Sharing                                                                */

/*
 * Devices of five groups on two paging HWPTs, a nested HWPT and an automatic
 * HWPT, plus a second device of one group: one entry, one IOVA, mapped once
 * into each paging domain.
 */
static void msi_alloc_same_page_groups_and_domains_shares_iova(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx);
	uint32_t a = fx_hwpt(fx, ioas, 0), b = fx_hwpt(fx, ioas, 0);
	uint32_t p = fx_hwpt(fx, ioas, SWMSI_HWPT_NEST_PARENT), n = fx_nested_rmr(fx, p);
	uint32_t dev[6], vec[6], auto_hwpt;
	const uint32_t pt[6] = { a, b, n, ioas, a, a };
	const uint32_t group[6] = { 1, 2, 3, 4, 1, 6 };
	struct swmsi_device_info di;
	struct swmsi_msi_map_info m[2];
	size_t cnt = 0;

	for (size_t i = 0; i < 6; i++) {
		dev[i] = fx_bind(fx, group[i]);
		assert_int_equal(swmsi_device_attach(fx->ctx, dev[i], pt[i]), 0);
		vec[i] =
			fx_expect_msi_alloc(fx, dev[i], FX_ITS_PAGE + 0x40, FX_WINDOW_START + 0x40);
	}
	assert_int_equal(swmsi_device_info(fx->ctx, dev[3], &di), 0);
	auto_hwpt = di.hwpt_id;
	assert_int_not_equal(auto_hwpt, 0);

	assert_int_equal(swmsi_msi_map_list(fx->ctx, m, 2, &cnt), 0);
	assert_int_equal(cnt, 1);
	assert_int_equal(m[0].id, 0);
	assert_int_equal(m[0].slot, 0);
	assert_int_equal(m[0].sw_msi_start, FX_WINDOW_START);
	assert_int_equal(m[0].msi_page, FX_ITS_PAGE);
	assert_int_equal(m[0].iova, FX_WINDOW_START);
	assert_int_equal(m[0].vectors, 6);

	const uint32_t paging[4] = { a, b, p, auto_hwpt };

	for (size_t i = 0; i < 4; i++) {
		fx_expect_msi_page(fx, paging[i], FX_WINDOW_START, FX_ITS_PAGE);
		assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, paging[i])), 1);
	}
	for (size_t i = 0; i < 6; i++) {
		struct swmsi_vector_info vi = fx_vector_info(fx, dev[i], vec[i]);

		assert_true(vi.translated);
		assert_int_equal(vi.map_id, 0);
		fx_expect_fire(fx, dev[i], vec[i], FX_ITS_PAGE + 0x40);
	}
}

/* New pages take slots 0, 1, 2, ... in allocation order, not address order. */
static void msi_alloc_distinct_pages_take_lowest_free_slots(void **state)
{
	struct fx *fx = *state;
	const uint64_t pages[] = { DB_B + 0x5000, DB_B + 0x1000, DB_B + 0x9000, DB_B,
				   DB_B + 0x3000 };
	const size_t np = sizeof(pages) / sizeof(pages[0]);
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);
	struct swmsi_msi_map_info m[8];
	size_t cnt = 0;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	for (size_t i = 0; i < np; i++) {
		uint32_t vec = fx_expect_msi_alloc(fx, dev, pages[i] + 0x8,
						   FX_WINDOW_START + i * PAGE + 0x8);

		assert_int_equal(vec, i);
		fx_expect_msi_page(fx, a, FX_WINDOW_START + i * PAGE, pages[i]);
	}
	/* A repeat is a hit on its slot, not a new one. */
	fx_expect_msi_alloc(fx, dev, pages[2] + 0x10, FX_WINDOW_START + 2 * PAGE + 0x10);

	assert_int_equal(swmsi_msi_map_list(fx->ctx, m, 8, &cnt), 0);
	assert_int_equal(cnt, np);
	for (size_t i = 0; i < np; i++) {
		assert_int_equal(m[i].id, i);
		assert_int_equal(m[i].slot, i);
		assert_int_equal(m[i].sw_msi_start, FX_WINDOW_START);
		assert_int_equal(m[i].msi_page, pages[i]);
		assert_int_equal(m[i].iova, FX_WINDOW_START + i * PAGE);
		assert_int_equal(m[i].vectors, i == 2 ? 2 : 1);
	}
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, a)), np);
}

/* The message address keeps the doorbell's byte offset within its page. */
static void msi_alloc_offset_in_page_preserved(void **state)
{
	struct fx *fx = *state;
	const uint64_t offs[] = { 0x0, 0x4, 0x40, 0x800, 0xffc, 0xfff };
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		uint32_t v1 = fx_expect_msi_alloc(fx, dev, FX_ITS_PAGE + offs[i],
						  FX_WINDOW_START + offs[i]);
		uint32_t v2 = fx_expect_msi_alloc(fx, dev, DB_B + offs[i],
						  FX_WINDOW_START + PAGE + offs[i]);

		fx_expect_fire(fx, dev, v1, FX_ITS_PAGE + offs[i]);
		fx_expect_fire(fx, dev, v2, DB_B + offs[i]);
	}
	assert_int_equal(fx_msi_map_count(fx), 2);
}

/* With 64K pages the offset can be anywhere in 64K, and the page is one slot. */
static void msi_alloc_64k_offset_in_page_preserved(void **state)
{
	struct fx *fx = *state;
	const uint64_t offs[] = { 0x0, 0x1004, 0x8000, 0xfffc };
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		uint32_t v1 = fx_expect_msi_alloc(fx, dev, FX_ITS_PAGE + offs[i],
						  FX_WINDOW_START + offs[i]);
		uint32_t v2 = fx_expect_msi_alloc(fx, dev, DB_C + offs[i],
						  FX_WINDOW_START + 0x10000 + offs[i]);

		fx_expect_fire(fx, dev, v1, FX_ITS_PAGE + offs[i]);
		fx_expect_fire(fx, dev, v2, DB_C + offs[i]);
	}
	assert_int_equal(fx_msi_map_count(fx), 2);
	fx_expect_msi_page(fx, a, FX_WINDOW_START, FX_ITS_PAGE);
	fx_expect_msi_page(fx, a, FX_WINDOW_START + 0x10000, DB_C);
}

/*
 * Two windows are two slot spaces: the same doorbell is slot 0 in each, at
 * two IOVAs, both in the one domain the groups share.
 */
static void msi_alloc_two_windows_get_independent_slots(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0);
	uint32_t d1 = fx_bind(fx, 1), d2 = fx_bind_window(fx, 2, WIN2_START, WIN2_SIZE);
	struct swmsi_msi_map_info m[4];
	uint32_t v1, v2, v3, v4;
	size_t cnt = 0;

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, a), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, a), 0);
	v1 = fx_expect_msi_alloc(fx, d1, DB_B + 0x10, FX_WINDOW_START + 0x10);
	v2 = fx_expect_msi_alloc(fx, d2, DB_B + 0x10, WIN2_START + 0x10);
	/* Next page: window 2 first, still slot 1 in both. */
	v3 = fx_expect_msi_alloc(fx, d2, DB_C + 0x20, WIN2_START + PAGE + 0x20);
	v4 = fx_expect_msi_alloc(fx, d1, DB_C + 0x20, FX_WINDOW_START + PAGE + 0x20);

	assert_int_equal(swmsi_msi_map_list(fx->ctx, m, 4, &cnt), 0);
	assert_int_equal(cnt, 4);
	assert_int_equal(m[0].sw_msi_start, FX_WINDOW_START);
	assert_int_equal(m[0].slot, 0);
	assert_int_equal(m[1].sw_msi_start, WIN2_START);
	assert_int_equal(m[1].slot, 0);
	assert_int_equal(m[1].iova, WIN2_START);
	assert_int_equal(m[2].sw_msi_start, WIN2_START);
	assert_int_equal(m[2].slot, 1);
	assert_int_equal(m[3].sw_msi_start, FX_WINDOW_START);
	assert_int_equal(m[3].slot, 1);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(m[i].id, i);
		assert_int_equal(m[i].vectors, 1);
	}

	fx_expect_msi_page(fx, a, FX_WINDOW_START, DB_B);
	fx_expect_msi_page(fx, a, WIN2_START, DB_B);
	fx_expect_msi_page(fx, a, WIN2_START + PAGE, DB_C);
	fx_expect_msi_page(fx, a, FX_WINDOW_START + PAGE, DB_C);
	fx_expect_fire(fx, d1, v1, DB_B + 0x10);
	fx_expect_fire(fx, d2, v2, DB_B + 0x10);
	fx_expect_fire(fx, d2, v3, DB_C + 0x20);
	fx_expect_fire(fx, d1, v4, DB_C + 0x20);
}

/* ---------------------------------------------------------------------- */
/* The window override                                                    */

/* Groups that report a window use the override; others stay untranslated. */
static void ctx_set_sw_msi_window_overrides_reported_window(void **state)
{
	struct fx *fx = *state;
	struct swmsi_device_info di;
	uint32_t ioas, a, d1, d2, v1, v2;
	uint64_t paddr = 0;

	assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, OVR_START, OVR_SIZE), 0);
	ioas = fx_ioas(fx);
	a = fx_hwpt(fx, ioas, 0);
	d1 = fx_bind(fx, 1);
	d2 = fx_bind_nowin(fx, 2);
	assert_int_equal(swmsi_device_attach(fx->ctx, d1, a), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, a), 0);

	assert_int_equal(swmsi_device_info(fx->ctx, d1, &di), 0);
	assert_int_equal(di.sw_msi_start, OVR_START);
	assert_int_equal(di.sw_msi_size, OVR_SIZE);
	assert_int_equal(swmsi_device_info(fx->ctx, d2, &di), 0);
	assert_int_equal(di.sw_msi_start, SWMSI_PHYS_NONE);
	assert_int_equal(di.sw_msi_size, 0);

	v1 = fx_expect_msi_alloc(fx, d1, DB_B + 0x40, OVR_START + 0x40);
	v2 = fx_expect_msi_alloc(fx, d2, DB_B + 0x40, DB_B + 0x40);
	fx_expect_fire(fx, d1, v1, DB_B + 0x40);
	fx_expect_fire(fx, d2, v2, DB_B + 0x40);
	fx_expect_msi_page(fx, a, OVR_START, DB_B);
	assert_int_equal(mock_iommu_lookup(fx->mock, fx_domain(fx, a), FX_WINDOW_START, &paddr,
					   NULL),
			 -ENOENT);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, a)), 1);
}

/* Once a map entry exists the window is fixed, even with no group attached. */
static void ctx_set_sw_msi_window_after_map_entry_returns_ebusy(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1), vec;
	struct swmsi_device_info di;
	struct snap *before;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	vec = fx_expect_msi_alloc(fx, dev, DB_B + 0x40, FX_WINDOW_START + 0x40);
	assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);

	before = snap_take(fx);
	assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, OVR_START, OVR_SIZE), -EBUSY);
	snap_expect_unchanged(fx, before, "set_sw_msi_window with a map entry");

	/* Reattached, the group keeps its window and the vector its address. */
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	assert_int_equal(swmsi_device_info(fx->ctx, dev, &di), 0);
	assert_int_equal(di.sw_msi_start, FX_WINDOW_START);
	fx_expect_fire(fx, dev, vec, DB_B + 0x40);
	assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, OVR_START, OVR_SIZE), -EBUSY);
}

/* A windowed group attached blocks the override; once it leaves, it applies. */
static void ctx_set_sw_msi_window_windowed_group_attached_returns_ebusy(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);
	struct swmsi_device_info di;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, OVR_START, OVR_SIZE), -EBUSY);
	assert_int_equal(fx_msi_map_count(fx), 0);
	assert_int_equal(swmsi_device_info(fx->ctx, dev, &di), 0);
	assert_int_equal(di.sw_msi_start, FX_WINDOW_START);
	assert_int_equal(di.sw_msi_size, FX_WINDOW_SIZE);

	assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);
	assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, OVR_START, OVR_SIZE), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	assert_int_equal(swmsi_device_info(fx->ctx, dev, &di), 0);
	assert_int_equal(di.sw_msi_start, OVR_START);
	assert_int_equal(di.sw_msi_size, OVR_SIZE);
	fx_expect_msi_alloc(fx, dev, DB_B + 0x40, OVR_START + 0x40);
}

/* Groups without a window neither use nor pin the window. */
static void ctx_set_sw_msi_window_nowin_group_attached_succeeds(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), dev = fx_bind_nowin(fx, 1);

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	fx_expect_msi_alloc(fx, dev, DB_B + 0x40, DB_B + 0x40);
	assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, OVR_START, OVR_SIZE), 0);
	assert_int_equal(fx_msi_map_count(fx), 0);
}

/* Malformed windows are -EINVAL, checked before the -EBUSY state. */
static void ctx_set_sw_msi_window_bad_args_returns_einval(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);
	struct swmsi_device_info di;

	assert_int_equal(swmsi_ctx_set_sw_msi_window(NULL, OVR_START, OVR_SIZE), -EINVAL);
	assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, OVR_START + 0x800, OVR_SIZE),
			 -EINVAL);
	assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, OVR_START, 0x800), -EINVAL);
	assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, OVR_START, OVR_SIZE + 4), -EINVAL);
	assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, OVR_START, 0), -EINVAL);
	assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, 0xfffffffffffff000ull, 0x2000),
			 -EINVAL);
	assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, SWMSI_PHYS_NONE, PAGE), -EINVAL);

	/* Bad arguments still win while a windowed group pins the window. */
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, OVR_START + 0x800, OVR_SIZE),
			 -EINVAL);
	assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, OVR_START, 0), -EINVAL);

	/* None of them took effect. */
	assert_int_equal(swmsi_device_info(fx->ctx, dev, &di), 0);
	assert_int_equal(di.sw_msi_start, FX_WINDOW_START);
	fx_expect_msi_alloc(fx, dev, DB_B + 0x40, FX_WINDOW_START + 0x40);
}

/* Alignment is to the context's page size. */
static void ctx_set_sw_msi_window_64k_misaligned_returns_einval(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, OVR_START + 0x1000, OVR_SIZE),
			 -EINVAL);
	assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, OVR_START, OVR_SIZE + 0x1000),
			 -EINVAL);
	assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, OVR_START, OVR_SIZE), 0);
}

/* ---------------------------------------------------------------------- */
/* Untranslated vectors                                                   */

/* No window: the device writes the doorbell directly, attached or not. */
static void msi_alloc_nowin_group_untranslated_maps_nothing(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), dev = fx_bind_nowin(fx, 1);
	struct swmsi_ctx_stats st;
	struct swmsi_vector_info vi;
	uint32_t v0, v1;

	v0 = fx_expect_msi_alloc(fx, dev, DB_B + 0x40, DB_B + 0x40);
	fx_expect_fire(fx, dev, v0, DB_B + 0x40);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	v1 = fx_expect_msi_alloc(fx, dev, FX_ITS_PAGE + 0x44, FX_ITS_PAGE + 0x44);
	fx_expect_fire(fx, dev, v0, DB_B + 0x40);
	fx_expect_fire(fx, dev, v1, FX_ITS_PAGE + 0x44);
	vi = fx_vector_info(fx, dev, v1);
	assert_false(vi.translated);
	assert_int_equal(vi.msg_addr, FX_ITS_PAGE + 0x44);

	assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, a)), 0);
	assert_int_equal(fx_msi_map_count(fx), 0);
	assert_int_equal(swmsi_ctx_stats(fx->ctx, &st), 0);
	assert_int_equal(st.msi_maps, 0);
	assert_int_equal(st.msi_installs, 0);

	assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);
	fx_expect_fire(fx, dev, v0, DB_B + 0x40);
	fx_expect_fire(fx, dev, v1, FX_ITS_PAGE + 0x44);
}

/*
 * A windowed group's vector allocated while detached is untranslated, needs
 * no entry and is not rewritten when the group attaches.
 */
static void msi_alloc_detached_group_untranslated_requires_nothing(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);
	struct swmsi_ctx_stats st;
	struct swmsi_vector_info vi;
	uint32_t v0, v1;

	v0 = fx_expect_msi_alloc(fx, dev, DB_B + 0x40, DB_B + 0x40);
	vi = fx_vector_info(fx, dev, v0);
	assert_false(vi.translated);
	assert_int_equal(fx_msi_map_count(fx), 0);
	/* Detached, the group's DMA is blocked. */
	fx_expect_fire_fails(fx, dev, v0, -EFAULT);

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, a)), 0);
	assert_int_equal(swmsi_ctx_stats(fx->ctx, &st), 0);
	assert_int_equal(st.msi_installs, 0);
	vi = fx_vector_info(fx, dev, v0);
	assert_false(vi.translated);
	assert_int_equal(vi.msg_addr, DB_B + 0x40);
	/* Its address is an IOVA the domain does not translate: the MSI is lost. */
	fx_expect_fire_fails(fx, dev, v0, -EFAULT);

	/* The same doorbell allocated now is translated, in slot 0. */
	v1 = fx_expect_msi_alloc(fx, dev, DB_B + 0x40, FX_WINDOW_START + 0x40);
	fx_expect_fire(fx, dev, v1, DB_B + 0x40);
	assert_int_equal(fx_msi_map_count(fx), 1);
}

/* ---------------------------------------------------------------------- */
/* The doorbell allow-list                                                */

static void msi_alloc_outside_doorbell_allowlist_returns_eperm(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);
	const uint64_t outside[] = { DB_B + 0x40, FX_ITS_PAGE + 0x10000, FX_ITS_PAGE - 4 };
	uint32_t v0;

	assert_int_equal(swmsi_doorbell_register(fx->ctx, FX_ITS_PAGE, 0x10000), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	v0 = fx_expect_msi_alloc(fx, dev, FX_ITS_PAGE + 0x40, FX_WINDOW_START + 0x40);

	for (size_t i = 0; i < sizeof(outside) / sizeof(outside[0]); i++)
		fx_expect_msi_alloc_fails(fx, dev, outside[i], -EPERM);
	/* The region's last byte is inside it. */
	fx_expect_msi_alloc(fx, dev, FX_ITS_PAGE + 0xffff, FX_WINDOW_START + PAGE + 0xfff);
	fx_expect_fire(fx, dev, v0, FX_ITS_PAGE + 0x40);
}

/* A page already in the table is no exemption from the allow-list. */
static void msi_alloc_table_hit_outside_allowlist_returns_eperm(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), b = fx_hwpt(fx, ioas, 0);
	uint32_t devs[2] = { fx_bind(fx, 1), fx_bind(fx, 2) };
	uint32_t v0;

	assert_int_equal(swmsi_device_attach(fx->ctx, devs[0], a), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, devs[1], b), 0);
	/* No region yet: every address is accepted. */
	v0 = fx_expect_msi_alloc(fx, devs[0], DB_B + 0x40, FX_WINDOW_START + 0x40);
	assert_int_equal(swmsi_doorbell_register(fx->ctx, FX_ITS_PAGE, 0x10000), 0);

	fx_expect_msi_alloc_fails(fx, devs[0], DB_B + 0x40, -EPERM);
	/* For the other group it would be a hit plus an install into b. */
	fx_expect_msi_alloc_fails(fx, devs[1], DB_B + 0x80, -EPERM);

	/* The vector made before the region still works. */
	fx_expect_fire(fx, devs[0], v0, DB_B + 0x40);
}

/* Untranslated vectors map nothing, so the allow-list does not apply. */
static void msi_alloc_untranslated_ignores_allowlist(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0);
	uint32_t nowin = fx_bind_nowin(fx, 1), detached = fx_bind(fx, 2), vec;

	assert_int_equal(swmsi_doorbell_register(fx->ctx, FX_ITS_PAGE, 0x10000), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, nowin, a), 0);
	vec = fx_expect_msi_alloc(fx, nowin, DB_B + 0x40, DB_B + 0x40);
	fx_expect_fire(fx, nowin, vec, DB_B + 0x40);
	fx_expect_msi_alloc(fx, detached, DB_B + 0x40, DB_B + 0x40);
	assert_int_equal(fx_msi_map_count(fx), 0);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, a)), 0);
}

/* Malformed regions are refused and register nothing. */
static void doorbell_register_bad_args_returns_einval(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);

	assert_int_equal(swmsi_doorbell_register(NULL, FX_ITS_PAGE, PAGE), -EINVAL);
	assert_int_equal(swmsi_doorbell_register(fx->ctx, FX_ITS_PAGE + 0x40, PAGE), -EINVAL);
	assert_int_equal(swmsi_doorbell_register(fx->ctx, FX_ITS_PAGE, 0x40), -EINVAL);
	assert_int_equal(swmsi_doorbell_register(fx->ctx, FX_ITS_PAGE, 0), -EINVAL);
	assert_int_equal(swmsi_doorbell_register(fx->ctx, 0xfffffffffffff000ull, 0x2000), -EINVAL);

	/* Still no region: any doorbell is accepted. */
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	fx_expect_msi_alloc(fx, dev, DB_B + 0x40, FX_WINDOW_START + 0x40);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(msi_alloc_same_page_groups_and_domains_shares_iova,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(msi_alloc_distinct_pages_take_lowest_free_slots,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(msi_alloc_offset_in_page_preserved, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(msi_alloc_64k_offset_in_page_preserved,
						fx_setup_64k, fx_teardown),
		cmocka_unit_test_setup_teardown(msi_alloc_two_windows_get_independent_slots,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(ctx_set_sw_msi_window_overrides_reported_window,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(ctx_set_sw_msi_window_after_map_entry_returns_ebusy,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
			ctx_set_sw_msi_window_windowed_group_attached_returns_ebusy, fx_setup,
			fx_teardown),
		cmocka_unit_test_setup_teardown(ctx_set_sw_msi_window_nowin_group_attached_succeeds,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(ctx_set_sw_msi_window_bad_args_returns_einval,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(ctx_set_sw_msi_window_64k_misaligned_returns_einval,
						fx_setup_64k, fx_teardown),
		cmocka_unit_test_setup_teardown(msi_alloc_nowin_group_untranslated_maps_nothing,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
			msi_alloc_detached_group_untranslated_requires_nothing, fx_setup,
			fx_teardown),
		cmocka_unit_test_setup_teardown(msi_alloc_outside_doorbell_allowlist_returns_eperm,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(msi_alloc_table_hit_outside_allowlist_returns_eperm,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(msi_alloc_untranslated_ignores_allowlist, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(doorbell_register_bad_args_returns_einval, fx_setup,
						fx_teardown),
	};

	return cmocka_run_group_tests_name("msi_table", tests, NULL, NULL);
}
