/* SPDX-License-Identifier: MIT */
/*
 * Running out: -ENOSPC when a window has no free slot, -EOVERFLOW when every
 * map id is in use (and first when both apply), a hit on a page already in
 * the table never failing for either, and nothing changed by a failure.
 */
#include "fixture.h"
#include "snapshot.h"

#include <stdlib.h>

/* Doorbell page i lives at DB_BASE + i * DB_STRIDE: distinct for any granule. */
#define DB_BASE	  0x100000000ull
#define DB_STRIDE 0x10000ull
#define DB_OFF	  0x4ull

/* A doorbell page no test fills: the "new page" that must fail. */
#define DB_NEW (DB_BASE - DB_STRIDE)

#define WIN2_START 0x9000000ull

/* ---------------------------------------------------------------------- */

static int setup_with(void **state, unsigned int shift, unsigned int max_ids)
{
	struct swmsi_ctx_opts o = { .page_shift = shift, .max_msi_maps = max_ids };

	*state = fx_new(&o);
	return 0;
}

static int setup_4k_1024(void **state)
{
	return setup_with(state, 12, 1024);
}
static int setup_16k_1024(void **state)
{
	return setup_with(state, 14, 1024);
}
static int setup_64k_1024(void **state)
{
	return setup_with(state, 16, 1024);
}
static int setup_4k_8(void **state)
{
	return setup_with(state, 12, 8);
}
static int setup_64k_16(void **state)
{
	return setup_with(state, 16, 16);
}
static int setup_4k_200(void **state)
{
	return setup_with(state, 12, 200);
}

static uint64_t db(unsigned int i)
{
	return DB_BASE + i * DB_STRIDE;
}

/*
 * Give @dev (attached to @hwpt, window at @start) @npages new doorbell pages,
 * db(first) on: slot first + i holds db(first + i), mapped R|W|MMIO.
 */
static void fill(struct fx *fx, uint32_t dev, uint32_t hwpt, uint64_t start, unsigned int first,
		 unsigned int npages)
{
	uint64_t pg = fx_page_size(fx);

	for (unsigned int i = first; i < first + npages; i++) {
		fx_expect_msi_alloc(fx, dev, db(i) + DB_OFF, start + i * pg + DB_OFF);
		fx_expect_msi_page(fx, hwpt, start + i * pg, db(i));
	}
}

/* ---------------------------------------------------------------------- */
/* -ENOSPC                                                                */

/* Fill the default 1 MiB window; the next new page is -ENOSPC. */
static void window_full_enospc(struct fx *fx, unsigned int slots)
{
	uint64_t pg = fx_page_size(fx);
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);
	struct swmsi_msi_map_info last;
	size_t cnt = 0;

	assert_int_equal(FX_WINDOW_SIZE / pg, slots);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	fill(fx, dev, a, FX_WINDOW_START, 0, slots);

	/* The last slot sits exactly one page below the window's end. */
	assert_int_equal(swmsi_msi_map_list(fx->ctx, NULL, 0, &cnt), 0);
	assert_int_equal(cnt, slots);
	{
		struct swmsi_msi_map_info *all = calloc(slots, sizeof(*all));

		assert_non_null(all);
		assert_int_equal(swmsi_msi_map_list(fx->ctx, all, slots, &cnt), 0);
		last = all[slots - 1];
		free(all);
	}
	assert_int_equal(last.slot, slots - 1);
	assert_int_equal(last.iova, FX_WINDOW_START + FX_WINDOW_SIZE - pg);
	assert_int_equal(last.msi_page, db(slots - 1));
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, a)), slots);

	fx_expect_msi_alloc_fails(fx, dev, DB_NEW + DB_OFF, -ENOSPC);
	/* Failing again changes nothing either. */
	fx_expect_msi_alloc_fails(fx, dev, DB_NEW, -ENOSPC);
}

static void msi_alloc_window_full_4k_returns_enospc(void **state)
{
	window_full_enospc(*state, 256);
}

static void msi_alloc_window_full_16k_returns_enospc(void **state)
{
	window_full_enospc(*state, 64);
}

static void msi_alloc_window_full_64k_returns_enospc(void **state)
{
	window_full_enospc(*state, 16);
}

/*
 * A window of three pages: slots 0..2, the last at start + size - page, and
 * nothing ever mapped at the window's end.
 */
static void msi_alloc_small_window_last_slot_at_window_end(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0);
	uint32_t dev = fx_bind_window(fx, 1, WIN2_START, 0x3000);
	uint64_t paddr = 0;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	fill(fx, dev, a, WIN2_START, 0, 3);
	fx_expect_msi_alloc_fails(fx, dev, DB_NEW, -ENOSPC);
	assert_int_equal(mock_iommu_lookup(fx->mock, fx_domain(fx, a), WIN2_START + 0x3000, &paddr,
					   NULL),
			 -ENOENT);
	assert_int_equal(mock_iommu_lookup(fx->mock, fx_domain(fx, a), WIN2_START - 0x1000, &paddr,
					   NULL),
			 -ENOENT);
}

/*
 * In a full window, pages already in the table still work: for the same
 * device, and for another group on another domain (a hit plus an install).
 */
static void msi_alloc_full_window_existing_page_shares_iova(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), b = fx_hwpt(fx, ioas, 0);
	uint32_t d1 = fx_bind(fx, 1), d2 = fx_bind(fx, 2), vec;
	const unsigned int pick[] = { 0, 100, 255 };
	uint64_t paddr = 0;

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, a), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, b), 0);
	fill(fx, d1, a, FX_WINDOW_START, 0, 256);
	fx_expect_msi_alloc_fails(fx, d2, DB_NEW, -ENOSPC);

	for (size_t i = 0; i < sizeof(pick) / sizeof(pick[0]); i++) {
		uint64_t iova = FX_WINDOW_START + pick[i] * 0x1000ull;

		vec = fx_expect_msi_alloc(fx, d1, db(pick[i]) + 0x80, iova + 0x80);
		fx_expect_fire(fx, d1, vec, db(pick[i]) + 0x80);
		vec = fx_expect_msi_alloc(fx, d2, db(pick[i]) + 0x80, iova + 0x80);
		fx_expect_fire(fx, d2, vec, db(pick[i]) + 0x80);
		assert_int_equal(mock_iommu_lookup(fx->mock, fx_domain(fx, b), iova, &paddr, NULL),
				 0);
		assert_int_equal(paddr, db(pick[i]));
	}
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, b)), 3);
}

/* One full window does not stop another window from allocating. */
static void msi_alloc_full_window_other_window_still_allocates(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0);
	uint32_t d1 = fx_bind_window(fx, 1, FX_WINDOW_START, 0x4000);
	uint32_t d2 = fx_bind_window(fx, 2, WIN2_START, 0x4000);

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, a), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, a), 0);
	fill(fx, d1, a, FX_WINDOW_START, 0, 4);
	fx_expect_msi_alloc_fails(fx, d1, DB_NEW, -ENOSPC);
	/* The same new page in window 2 takes its slot 0. */
	fx_expect_msi_alloc(fx, d2, DB_NEW + DB_OFF, WIN2_START + DB_OFF);
	/* And a page of window 1 gets window 2's next slot. */
	fx_expect_msi_alloc(fx, d2, db(0) + DB_OFF, WIN2_START + 0x1000 + DB_OFF);
}

/* ---------------------------------------------------------------------- */
/* -EOVERFLOW                                                             */

/* Eight ids, 256 slots: the ninth page is -EOVERFLOW. */
static void msi_alloc_ids_exhausted_returns_eoverflow(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);
	struct swmsi_ctx_stats st;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	fill(fx, dev, a, FX_WINDOW_START, 0, 8);
	assert_int_equal(swmsi_ctx_stats(fx->ctx, &st), 0);
	assert_int_equal(st.msi_maps, 8);
	fx_expect_msi_alloc_fails(fx, dev, DB_NEW, -EOVERFLOW);
	fx_expect_msi_alloc_fails(fx, dev, db(8), -EOVERFLOW);
}

/* With every id in use, pages in the table still work, on any domain. */
static void msi_alloc_no_free_id_existing_page_shares_iova(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), b = fx_hwpt(fx, ioas, 0);
	uint32_t d1 = fx_bind(fx, 1), d2 = fx_bind(fx, 2), vec;
	uint64_t paddr = 0;

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, a), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, b), 0);
	fill(fx, d1, a, FX_WINDOW_START, 0, 8);
	fx_expect_msi_alloc_fails(fx, d2, DB_NEW, -EOVERFLOW);

	vec = fx_expect_msi_alloc(fx, d2, db(3) + 0x10, FX_WINDOW_START + 3 * 0x1000 + 0x10);
	fx_expect_fire(fx, d2, vec, db(3) + 0x10);
	assert_int_equal(mock_iommu_lookup(fx->mock, fx_domain(fx, b), FX_WINDOW_START + 0x3000,
					   &paddr, NULL),
			 0);
	assert_int_equal(paddr, db(3));
	vec = fx_expect_msi_alloc(fx, d1, db(7), FX_WINDOW_START + 7 * 0x1000);
	fx_expect_fire(fx, d1, vec, db(7));
}

/* 16 ids and 16 slots (64K pages), both used up: ids are checked first. */
static void msi_alloc_ids_and_slots_exhausted_returns_eoverflow(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	fill(fx, dev, a, FX_WINDOW_START, 0, 16);
	fx_expect_msi_alloc_fails(fx, dev, DB_NEW, -EOVERFLOW);
}

/* The same precedence with 4K pages and an eight-page window. */
static void msi_alloc_small_window_and_ids_exhausted_returns_eoverflow(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0);
	uint32_t dev = fx_bind_window(fx, 1, WIN2_START, 0x8000);

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	fill(fx, dev, a, WIN2_START, 0, 8);
	fx_expect_msi_alloc_fails(fx, dev, DB_NEW, -EOVERFLOW);
}

/* Ids are one space for the whole context, whatever the window. */
static void msi_alloc_ids_shared_across_windows_returns_eoverflow(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), b = fx_hwpt(fx, ioas, 0);
	uint32_t d1 = fx_bind(fx, 1), d2 = fx_bind_window(fx, 2, WIN2_START, FX_WINDOW_SIZE);

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, a), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, b), 0);
	fill(fx, d1, a, FX_WINDOW_START, 0, 5);
	/* Window 2 counts its slots from 0: pages 5.. land at slot 0.. there. */
	for (unsigned int i = 0; i < 3; i++)
		fx_expect_msi_alloc(fx, d2, db(5 + i), WIN2_START + i * 0x1000ull);
	fx_expect_msi_alloc_fails(fx, d2, DB_NEW, -EOVERFLOW);
	fx_expect_msi_alloc_fails(fx, d1, DB_NEW, -EOVERFLOW);
	/* A page of window 1 is new to window 2: it needs an id too. */
	fx_expect_msi_alloc_fails(fx, d2, db(0), -EOVERFLOW);
}

/* The RFC capped the table at 64 entries; 200 ids in a 2 MiB window all work. */
static void msi_alloc_200_ids_beyond_64_all_allocate(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0);
	uint32_t dev = fx_bind_window(fx, 1, FX_WINDOW_START, 0x200000);
	struct swmsi_msi_map_info *m = calloc(256, sizeof(*m));
	struct swmsi_ctx_stats st;
	uint32_t present[256];
	size_t cnt = 0;

	assert_non_null(m);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	fill(fx, dev, a, FX_WINDOW_START, 0, 200);

	assert_int_equal(swmsi_msi_map_list(fx->ctx, m, 256, &cnt), 0);
	assert_int_equal(cnt, 200);
	for (unsigned int i = 0; i < 200; i++) {
		assert_int_equal(m[i].id, i);
		assert_int_equal(m[i].slot, i);
		assert_int_equal(m[i].msi_page, db(i));
	}
	free(m);
	assert_int_equal(swmsi_hwpt_msi_present(fx->ctx, a, present, 256, &cnt), 0);
	assert_int_equal(cnt, 200);
	for (unsigned int i = 0; i < 200; i++)
		assert_int_equal(present[i], i);
	assert_int_equal(swmsi_ctx_stats(fx->ctx, &st), 0);
	assert_int_equal(st.msi_maps, 200);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, a)), 200);

	/* 312 slots are still free: the 201st page runs out of ids. */
	fx_expect_msi_alloc_fails(fx, dev, DB_NEW, -EOVERFLOW);
}

/* ---------------------------------------------------------------------- */
/* Precedence and untranslated vectors                                    */

/* The allow-list is checked before the id and slot spaces. */
static void msi_alloc_outside_allowlist_when_exhausted_returns_eperm(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0);
	uint32_t dev = fx_bind_window(fx, 1, WIN2_START, 0x8000);

	assert_int_equal(swmsi_doorbell_register(fx->ctx, DB_BASE, 16 * DB_STRIDE), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	fill(fx, dev, a, WIN2_START, 0, 8);
	/* Both ids and slots are gone; outside the list it is -EPERM still. */
	fx_expect_msi_alloc_fails(fx, dev, DB_NEW, -EPERM);
	/* Inside the list, the exhaustion shows. */
	fx_expect_msi_alloc_fails(fx, dev, db(8), -EOVERFLOW);
}

/* Untranslated vectors take neither ids nor slots, so they never run out. */
static void msi_alloc_untranslated_when_exhausted_succeeds(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);
	uint32_t detached = fx_bind(fx, 2), nowin = fx_bind_nowin(fx, 3), vec;
	size_t cnt = 0;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, nowin, a), 0);
	fill(fx, dev, a, FX_WINDOW_START, 0, 8);
	fx_expect_msi_alloc_fails(fx, dev, DB_NEW, -EOVERFLOW);

	fx_expect_msi_alloc(fx, detached, DB_NEW + 0x40, DB_NEW + 0x40);
	vec = fx_expect_msi_alloc(fx, nowin, DB_NEW + 0x40, DB_NEW + 0x40);
	fx_expect_fire(fx, nowin, vec, DB_NEW + 0x40);
	assert_int_equal(swmsi_msi_map_list(fx->ctx, NULL, 0, &cnt), 0);
	assert_int_equal(cnt, 8);
}

/*
 * The one hit that fails (docs/msi.md): under RECLAIM_NONE an unbound
 * device's larger window left an entry at slot 2; a group whose window has
 * the same start but holds two slots must not get that IOVA, past its end.
 */
static void msi_alloc_stale_hit_past_smaller_window_returns_enospc(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0);
	uint32_t big = fx_bind(fx, 1), small;

	assert_int_equal(swmsi_device_attach(fx->ctx, big, h), 0);
	fx_expect_msi_alloc(fx, big, 0x20000040, FX_WINDOW_START + 0x40);
	fx_expect_msi_alloc(fx, big, 0x20010040, FX_WINDOW_START + 0x1040);
	fx_expect_msi_alloc(fx, big, 0x20020040, FX_WINDOW_START + 0x2040);
	assert_int_equal(swmsi_device_unbind(fx->ctx, big), 0);
	small = fx_bind_window(fx, 2, FX_WINDOW_START, 0x2000);
	assert_int_equal(swmsi_device_attach(fx->ctx, small, h), 0);
	/* slots 0 and 1 are hits inside the small window */
	fx_expect_msi_alloc(fx, small, 0x20010080, FX_WINDOW_START + 0x1080);
	fx_expect_msi_alloc_fails(fx, small, 0x20020040, -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			msi_alloc_stale_hit_past_smaller_window_returns_enospc, fx_setup,
			fx_teardown),
		cmocka_unit_test_setup_teardown(msi_alloc_window_full_4k_returns_enospc,
						setup_4k_1024, fx_teardown),
		cmocka_unit_test_setup_teardown(msi_alloc_window_full_16k_returns_enospc,
						setup_16k_1024, fx_teardown),
		cmocka_unit_test_setup_teardown(msi_alloc_window_full_64k_returns_enospc,
						setup_64k_1024, fx_teardown),
		cmocka_unit_test_setup_teardown(msi_alloc_small_window_last_slot_at_window_end,
						setup_4k_1024, fx_teardown),
		cmocka_unit_test_setup_teardown(msi_alloc_full_window_existing_page_shares_iova,
						setup_4k_1024, fx_teardown),
		cmocka_unit_test_setup_teardown(msi_alloc_full_window_other_window_still_allocates,
						setup_4k_1024, fx_teardown),
		cmocka_unit_test_setup_teardown(msi_alloc_ids_exhausted_returns_eoverflow,
						setup_4k_8, fx_teardown),
		cmocka_unit_test_setup_teardown(msi_alloc_no_free_id_existing_page_shares_iova,
						setup_4k_8, fx_teardown),
		cmocka_unit_test_setup_teardown(msi_alloc_ids_and_slots_exhausted_returns_eoverflow,
						setup_64k_16, fx_teardown),
		cmocka_unit_test_setup_teardown(
			msi_alloc_small_window_and_ids_exhausted_returns_eoverflow, setup_4k_8,
			fx_teardown),
		cmocka_unit_test_setup_teardown(
			msi_alloc_ids_shared_across_windows_returns_eoverflow, setup_4k_8,
			fx_teardown),
		cmocka_unit_test_setup_teardown(msi_alloc_200_ids_beyond_64_all_allocate,
						setup_4k_200, fx_teardown),
		cmocka_unit_test_setup_teardown(
			msi_alloc_outside_allowlist_when_exhausted_returns_eperm, setup_4k_8,
			fx_teardown),
		cmocka_unit_test_setup_teardown(msi_alloc_untranslated_when_exhausted_succeeds,
						setup_4k_8, fx_teardown),
	};

	return cmocka_run_group_tests_name("exhaustion", tests, NULL, NULL);
}
