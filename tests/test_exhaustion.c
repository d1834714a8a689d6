/* SPDX-License-Identifier: MIT */
/*
 * Running out: -ENOSPC when a window has no free slot, -EOVERFLOW when every
 * map id is in use (and first when both apply), a hit on a page already in
 * the table never failing for either, and nothing changed by a failure.
 */
#include "fixture.h"

#include <stdbool.h>
#include <stdlib.h>

#define RWM (SWMSI_PROT_READ | SWMSI_PROT_WRITE | SWMSI_PROT_MMIO)

/* Doorbell page i lives at DB_BASE + i * DB_STRIDE: distinct for any granule. */
#define DB_BASE   0x100000000ull
#define DB_STRIDE 0x10000ull
#define DB_OFF    0x4ull

/* A doorbell page no test fills: the "new page" that must fail. */
#define DB_NEW (DB_BASE - DB_STRIDE)

#define WIN2_START 0x9000000ull

#define SNAP_DEVS 4
#define SNAP_HWPTS 4
#define SNAP_VECS 300
#define SNAP_MAPS 300
#define SNAP_RANGES 300

/* ---------------------------------------------------------------------- */
/* Snapshot of everything a failed call must leave alone.                 */

struct snap {
	size_t ndev, nhwpt;
	struct swmsi_device_info di[SNAP_DEVS];
	size_t nvec[SNAP_DEVS];
	struct swmsi_vector_info vi[SNAP_DEVS][SNAP_VECS];
	size_t nmaps;
	struct swmsi_msi_map_info maps[SNAP_MAPS];
	size_t npresent[SNAP_HWPTS];
	uint32_t present[SNAP_HWPTS][SNAP_MAPS];
	size_t nranges[SNAP_HWPTS];
	struct mock_iommu_range ranges[SNAP_HWPTS][SNAP_RANGES];
	struct swmsi_ctx_stats stats;
};

static void *domain_of(struct fx *fx, uint32_t hwpt)
{
	struct swmsi_hwpt_info info;

	assert_int_equal(swmsi_hwpt_info(fx->ctx, hwpt, &info), 0);
	return info.domain;
}

static struct snap *snap_take(struct fx *fx, const uint32_t *devs, size_t ndev,
			      const uint32_t *hwpts, size_t nhwpt)
{
	struct snap *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	assert_true(ndev <= SNAP_DEVS && nhwpt <= SNAP_HWPTS);
	s->ndev = ndev;
	s->nhwpt = nhwpt;
	for (size_t i = 0; i < ndev; i++) {
		assert_int_equal(swmsi_device_info(fx->ctx, devs[i], &s->di[i]), 0);
		assert_int_equal(swmsi_device_vectors(fx->ctx, devs[i], s->vi[i], SNAP_VECS,
						      &s->nvec[i]), 0);
		assert_true(s->nvec[i] <= SNAP_VECS);
	}
	assert_int_equal(swmsi_msi_map_list(fx->ctx, s->maps, SNAP_MAPS, &s->nmaps), 0);
	assert_true(s->nmaps <= SNAP_MAPS);
	for (size_t i = 0; i < nhwpt; i++) {
		assert_int_equal(swmsi_hwpt_msi_present(fx->ctx, hwpts[i], s->present[i], SNAP_MAPS,
							&s->npresent[i]), 0);
		assert_true(s->npresent[i] <= SNAP_MAPS);
		assert_int_equal(mock_iommu_ranges(fx->mock, domain_of(fx, hwpts[i]), s->ranges[i],
						   SNAP_RANGES, &s->nranges[i]), 0);
		assert_true(s->nranges[i] <= SNAP_RANGES);
	}
	assert_int_equal(swmsi_ctx_stats(fx->ctx, &s->stats), 0);
	return s;
}

/* Field by field: padding bytes are not part of the state. */
static void snap_assert_equal(const struct snap *a, const struct snap *b)
{
	assert_int_equal(a->ndev, b->ndev);
	for (size_t i = 0; i < a->ndev; i++) {
		assert_int_equal(a->di[i].group, b->di[i].group);
		assert_int_equal(a->di[i].sw_msi_start, b->di[i].sw_msi_start);
		assert_int_equal(a->di[i].sw_msi_size, b->di[i].sw_msi_size);
		assert_int_equal(a->di[i].attached, b->di[i].attached);
		assert_int_equal(a->di[i].hwpt_id, b->di[i].hwpt_id);
		assert_int_equal(a->di[i].vectors, b->di[i].vectors);
		assert_int_equal(a->nvec[i], b->nvec[i]);
		for (size_t j = 0; j < a->nvec[i]; j++) {
			assert_int_equal(a->vi[i][j].vec, b->vi[i][j].vec);
			assert_int_equal(a->vi[i][j].msi_addr, b->vi[i][j].msi_addr);
			assert_int_equal(a->vi[i][j].msg_addr, b->vi[i][j].msg_addr);
			assert_int_equal(a->vi[i][j].translated, b->vi[i][j].translated);
			if (a->vi[i][j].translated)
				assert_int_equal(a->vi[i][j].map_id, b->vi[i][j].map_id);
		}
	}
	assert_int_equal(a->nmaps, b->nmaps);
	for (size_t i = 0; i < a->nmaps; i++) {
		assert_int_equal(a->maps[i].id, b->maps[i].id);
		assert_int_equal(a->maps[i].slot, b->maps[i].slot);
		assert_int_equal(a->maps[i].sw_msi_start, b->maps[i].sw_msi_start);
		assert_int_equal(a->maps[i].msi_page, b->maps[i].msi_page);
		assert_int_equal(a->maps[i].iova, b->maps[i].iova);
		assert_int_equal(a->maps[i].vectors, b->maps[i].vectors);
	}
	assert_int_equal(a->nhwpt, b->nhwpt);
	for (size_t i = 0; i < a->nhwpt; i++) {
		assert_int_equal(a->npresent[i], b->npresent[i]);
		for (size_t j = 0; j < a->npresent[i]; j++)
			assert_int_equal(a->present[i][j], b->present[i][j]);
		assert_int_equal(a->nranges[i], b->nranges[i]);
		for (size_t j = 0; j < a->nranges[i]; j++) {
			assert_int_equal(a->ranges[i][j].iova, b->ranges[i][j].iova);
			assert_int_equal(a->ranges[i][j].paddr, b->ranges[i][j].paddr);
			assert_int_equal(a->ranges[i][j].size, b->ranges[i][j].size);
			assert_int_equal(a->ranges[i][j].prot, b->ranges[i][j].prot);
		}
	}
	assert_int_equal(a->stats.msi_maps, b->stats.msi_maps);
	assert_int_equal(a->stats.objects, b->stats.objects);
	assert_int_equal(a->stats.msi_installs, b->stats.msi_installs);
	assert_int_equal(a->stats.msi_uninstalls, b->stats.msi_uninstalls);
	assert_int_equal(a->stats.bitmap_bytes, b->stats.bitmap_bytes);
}

/*
 * @dev's msi_alloc of @msi_addr fails with @err, before touching the backend
 * and without changing anything in @devs or @hwpts.
 */
static void alloc_fails_unchanged(struct fx *fx, uint32_t dev, uint64_t msi_addr, int err,
				  const uint32_t *devs, size_t ndev,
				  const uint32_t *hwpts, size_t nhwpt)
{
	struct snap *s0 = snap_take(fx, devs, ndev, hwpts, nhwpt), *s1;
	uint32_t vec = 0xabcd;
	uint64_t msg = 0xabcd;

	mock_iommu_journal_clear(fx->mock);
	assert_int_equal(swmsi_msi_alloc(fx->ctx, dev, msi_addr, &vec, &msg), err);
	assert_int_equal(vec, 0xabcd);
	assert_int_equal(msg, 0xabcd);
	assert_int_equal(mock_iommu_journal_len(fx->mock), 0);
	s1 = snap_take(fx, devs, ndev, hwpts, nhwpt);
	snap_assert_equal(s0, s1);
	free(s0);
	free(s1);
}

/* ---------------------------------------------------------------------- */

static int setup_with(void **state, unsigned int shift, unsigned int max_ids)
{
	struct swmsi_ctx_opts o = { .page_shift = shift, .max_msi_maps = max_ids };

	*state = fx_new(&o);
	return 0;
}

static int setup_4k_1024(void **state) { return setup_with(state, 12, 1024); }
static int setup_16k_1024(void **state) { return setup_with(state, 14, 1024); }
static int setup_64k_1024(void **state) { return setup_with(state, 16, 1024); }
static int setup_4k_8(void **state) { return setup_with(state, 12, 8); }
static int setup_64k_16(void **state) { return setup_with(state, 16, 16); }
static int setup_4k_200(void **state) { return setup_with(state, 12, 200); }

static uint64_t page_size(const struct fx *fx)
{
	return 1ull << fx->opts.page_shift;
}

static uint64_t db(unsigned int i)
{
	return DB_BASE + i * DB_STRIDE;
}

static uint32_t bind_window(struct fx *fx, uint32_t group, uint64_t start, uint64_t size)
{
	struct swmsi_device_desc d = { .group = group, .sw_msi_start = start, .sw_msi_size = size };
	uint32_t id = 0;

	assert_int_equal(swmsi_device_bind(fx->ctx, &d, &id), 0);
	return id;
}

static uint32_t alloc_ok(struct fx *fx, uint32_t dev, uint64_t msi_addr, uint64_t want_msg)
{
	uint32_t vec = UINT32_MAX;
	uint64_t msg = 0;

	assert_int_equal(swmsi_msi_alloc(fx->ctx, dev, msi_addr, &vec, &msg), 0);
	assert_int_equal(msg, want_msg);
	return vec;
}

static void fire_lands(struct fx *fx, uint32_t dev, uint32_t vec, uint64_t want)
{
	uint64_t paddr = 0;

	assert_int_equal(swmsi_msi_fire(fx->ctx, dev, vec, &paddr), 0);
	assert_int_equal(paddr, want);
}

/*
 * Give @dev (attached to @hwpt, window at @start) @npages new doorbell pages,
 * db(first) on: slot first + i holds db(first + i), mapped R|W|MMIO.
 */
static void fill(struct fx *fx, uint32_t dev, uint32_t hwpt, uint64_t start,
		 unsigned int first, unsigned int npages)
{
	void *dom = domain_of(fx, hwpt);
	uint64_t pg = page_size(fx);

	for (unsigned int i = first; i < first + npages; i++) {
		uint64_t paddr = 0;
		uint32_t prot = 0;

		alloc_ok(fx, dev, db(i) + DB_OFF, start + i * pg + DB_OFF);
		assert_int_equal(mock_iommu_lookup(fx->mock, dom, start + i * pg, &paddr, &prot), 0);
		assert_int_equal(paddr, db(i));
		assert_int_equal(prot, RWM);
	}
}

/* ---------------------------------------------------------------------- */
/* -ENOSPC                                                                */

/* Fill the default 1 MiB window; the next new page is -ENOSPC. */
static void window_full_enospc(struct fx *fx, unsigned int slots)
{
	uint64_t pg = page_size(fx);
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
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, domain_of(fx, a)), slots);

	alloc_fails_unchanged(fx, dev, DB_NEW + DB_OFF, -ENOSPC, &dev, 1, &a, 1);
	/* Failing again changes nothing either. */
	alloc_fails_unchanged(fx, dev, DB_NEW, -ENOSPC, &dev, 1, &a, 1);
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
	uint32_t dev = bind_window(fx, 1, WIN2_START, 0x3000);
	uint64_t paddr = 0;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	fill(fx, dev, a, WIN2_START, 0, 3);
	alloc_fails_unchanged(fx, dev, DB_NEW, -ENOSPC, &dev, 1, &a, 1);
	assert_int_equal(mock_iommu_lookup(fx->mock, domain_of(fx, a), WIN2_START + 0x3000, &paddr,
					   NULL), -ENOENT);
	assert_int_equal(mock_iommu_lookup(fx->mock, domain_of(fx, a), WIN2_START - 0x1000, &paddr,
					   NULL), -ENOENT);
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
	alloc_fails_unchanged(fx, d2, DB_NEW, -ENOSPC, &d2, 1, &b, 1);

	for (size_t i = 0; i < sizeof(pick) / sizeof(pick[0]); i++) {
		uint64_t iova = FX_WINDOW_START + pick[i] * 0x1000ull;

		vec = alloc_ok(fx, d1, db(pick[i]) + 0x80, iova + 0x80);
		fire_lands(fx, d1, vec, db(pick[i]) + 0x80);
		vec = alloc_ok(fx, d2, db(pick[i]) + 0x80, iova + 0x80);
		fire_lands(fx, d2, vec, db(pick[i]) + 0x80);
		assert_int_equal(mock_iommu_lookup(fx->mock, domain_of(fx, b), iova, &paddr, NULL), 0);
		assert_int_equal(paddr, db(pick[i]));
	}
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, domain_of(fx, b)), 3);
}

/* One full window does not stop another window from allocating. */
static void msi_alloc_full_window_other_window_still_allocates(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0);
	uint32_t d1 = bind_window(fx, 1, FX_WINDOW_START, 0x4000);
	uint32_t d2 = bind_window(fx, 2, WIN2_START, 0x4000);
	const uint32_t devs[] = { d1, d2 };

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, a), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, a), 0);
	fill(fx, d1, a, FX_WINDOW_START, 0, 4);
	alloc_fails_unchanged(fx, d1, DB_NEW, -ENOSPC, devs, 2, &a, 1);
	/* The same new page in window 2 takes its slot 0. */
	alloc_ok(fx, d2, DB_NEW + DB_OFF, WIN2_START + DB_OFF);
	/* And a page of window 1 gets window 2's next slot. */
	alloc_ok(fx, d2, db(0) + DB_OFF, WIN2_START + 0x1000 + DB_OFF);
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
	alloc_fails_unchanged(fx, dev, DB_NEW, -EOVERFLOW, &dev, 1, &a, 1);
	alloc_fails_unchanged(fx, dev, db(8), -EOVERFLOW, &dev, 1, &a, 1);
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
	alloc_fails_unchanged(fx, d2, DB_NEW, -EOVERFLOW, &d2, 1, &b, 1);

	vec = alloc_ok(fx, d2, db(3) + 0x10, FX_WINDOW_START + 3 * 0x1000 + 0x10);
	fire_lands(fx, d2, vec, db(3) + 0x10);
	assert_int_equal(mock_iommu_lookup(fx->mock, domain_of(fx, b), FX_WINDOW_START + 0x3000,
					   &paddr, NULL), 0);
	assert_int_equal(paddr, db(3));
	vec = alloc_ok(fx, d1, db(7), FX_WINDOW_START + 7 * 0x1000);
	fire_lands(fx, d1, vec, db(7));
}

/* 16 ids and 16 slots (64K pages), both used up: ids are checked first. */
static void msi_alloc_ids_and_slots_exhausted_returns_eoverflow(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	fill(fx, dev, a, FX_WINDOW_START, 0, 16);
	alloc_fails_unchanged(fx, dev, DB_NEW, -EOVERFLOW, &dev, 1, &a, 1);
}

/* The same precedence with 4K pages and an eight-page window. */
static void msi_alloc_small_window_and_ids_exhausted_returns_eoverflow(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0);
	uint32_t dev = bind_window(fx, 1, WIN2_START, 0x8000);

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	fill(fx, dev, a, WIN2_START, 0, 8);
	alloc_fails_unchanged(fx, dev, DB_NEW, -EOVERFLOW, &dev, 1, &a, 1);
}

/* Ids are one space for the whole context, whatever the window. */
static void msi_alloc_ids_shared_across_windows_returns_eoverflow(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), b = fx_hwpt(fx, ioas, 0);
	uint32_t d1 = fx_bind(fx, 1), d2 = bind_window(fx, 2, WIN2_START, FX_WINDOW_SIZE);
	const uint32_t devs[] = { d1, d2 }, hw[] = { a, b };

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, a), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, b), 0);
	fill(fx, d1, a, FX_WINDOW_START, 0, 5);
	/* Window 2 counts its slots from 0: pages 5.. land at slot 0.. there. */
	for (unsigned int i = 0; i < 3; i++)
		alloc_ok(fx, d2, db(5 + i), WIN2_START + i * 0x1000ull);
	alloc_fails_unchanged(fx, d2, DB_NEW, -EOVERFLOW, devs, 2, hw, 2);
	alloc_fails_unchanged(fx, d1, DB_NEW, -EOVERFLOW, devs, 2, hw, 2);
	/* A page of window 1 is new to window 2: it needs an id too. */
	alloc_fails_unchanged(fx, d2, db(0), -EOVERFLOW, devs, 2, hw, 2);
}

/* The RFC capped the table at 64 entries; 200 ids in a 2 MiB window all work. */
static void msi_alloc_200_ids_beyond_64_all_allocate(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0);
	uint32_t dev = bind_window(fx, 1, FX_WINDOW_START, 0x200000);
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
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, domain_of(fx, a)), 200);

	/* 312 slots are still free: the 201st page runs out of ids. */
	alloc_fails_unchanged(fx, dev, DB_NEW, -EOVERFLOW, &dev, 1, &a, 1);
}

/* ---------------------------------------------------------------------- */
/* Precedence and untranslated vectors                                    */

/* The allow-list is checked before the id and slot spaces. */
static void msi_alloc_outside_allowlist_when_exhausted_returns_eperm(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0);
	uint32_t dev = bind_window(fx, 1, WIN2_START, 0x8000);

	assert_int_equal(swmsi_doorbell_register(fx->ctx, DB_BASE, 16 * DB_STRIDE), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	fill(fx, dev, a, WIN2_START, 0, 8);
	/* Both ids and slots are gone; outside the list it is -EPERM still. */
	alloc_fails_unchanged(fx, dev, DB_NEW, -EPERM, &dev, 1, &a, 1);
	/* Inside the list, the exhaustion shows. */
	alloc_fails_unchanged(fx, dev, db(8), -EOVERFLOW, &dev, 1, &a, 1);
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
	alloc_fails_unchanged(fx, dev, DB_NEW, -EOVERFLOW, &dev, 1, &a, 1);

	alloc_ok(fx, detached, DB_NEW + 0x40, DB_NEW + 0x40);
	vec = alloc_ok(fx, nowin, DB_NEW + 0x40, DB_NEW + 0x40);
	fire_lands(fx, nowin, vec, DB_NEW + 0x40);
	assert_int_equal(swmsi_msi_map_list(fx->ctx, NULL, 0, &cnt), 0);
	assert_int_equal(cnt, 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
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
		cmocka_unit_test_setup_teardown(msi_alloc_small_window_and_ids_exhausted_returns_eoverflow,
						setup_4k_8, fx_teardown),
		cmocka_unit_test_setup_teardown(msi_alloc_ids_shared_across_windows_returns_eoverflow,
						setup_4k_8, fx_teardown),
		cmocka_unit_test_setup_teardown(msi_alloc_200_ids_beyond_64_all_allocate,
						setup_4k_200, fx_teardown),
		cmocka_unit_test_setup_teardown(msi_alloc_outside_allowlist_when_exhausted_returns_eperm,
						setup_4k_8, fx_teardown),
		cmocka_unit_test_setup_teardown(msi_alloc_untranslated_when_exhausted_succeeds,
						setup_4k_8, fx_teardown),
	};

	return cmocka_run_group_tests_name("exhaustion", tests, NULL, NULL);
}
