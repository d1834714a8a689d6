/* SPDX-License-Identifier: MIT */
/*
 * The point lookups of the MSI table and of a HWPT's present ids
 * (swmsi_msi_map_get(), _find(), _slots(), _windows(),
 * swmsi_hwpt_present_map_has()) under each sw_msi scheme: each answers what the
 * whole lists (swmsi_msi_map_list(), swmsi_hwpt_msi_present()) say about
 * its key, writes its out-parameter on success only, and under
 * SWMSI_SCHEME_DMA_IOMMU, which has no table, finds nothing.
 */
#include "scheme_fixture.h"

#include <stdlib.h>
#include <string.h>

#define W     FX_WINDOW_START
#define W2    0x9000000ull
#define SENT  0xa5
#define NSENT sizeof(struct swmsi_msi_map_info)

/* Groups 0 and 1 in window W, group 2 in W2 (bound and given its vector
 * first, so W2's entry is made before W's), all on HWPT a; vectors on
 * doorbells 0, 1 and 0 again (the same page in the other window). */
struct scene {
	uint32_t ioas, a, b, dev[3];
};

static void scene_make(struct fx *fx, struct scene *sc)
{
	unsigned int i;

	sc->ioas = fx_ioas(fx);
	sc->a = fx_hwpt(fx, sc->ioas, 0);
	sc->b = fx_hwpt(fx, sc->ioas, SWMSI_HWPT_NEST_PARENT);
	sc->dev[2] = fx_bind_window(fx, 2, W2, FX_WINDOW_SIZE);
	assert_int_equal(swmsi_device_attach(fx->ctx, sc->dev[2], sc->a), 0);
	fx_msi_alloc(fx, sc->dev[2], sx_db(0), NULL);
	for (i = 0; i < 2; i++) {
		sc->dev[i] = fx_bind(fx, i);
		assert_int_equal(swmsi_device_attach(fx->ctx, sc->dev[i], sc->a), 0);
		fx_msi_alloc(fx, sc->dev[i], sx_db(i), NULL);
	}
}

static bool has_table(const struct fx *fx)
{
	return fx->opts.scheme != SWMSI_SCHEME_DMA_IOMMU;
}

/* Field by field: an entry returned by value has no defined padding. */
static void expect_same_entry(const struct swmsi_msi_map_info *m,
			      const struct swmsi_msi_map_info *want)
{
	assert_int_equal(m->id, want->id);
	assert_int_equal(m->slot, want->slot);
	assert_int_equal(m->sw_msi_start, want->sw_msi_start);
	assert_int_equal(m->msi_page, want->msi_page);
	assert_int_equal(m->iova, want->iova);
	assert_int_equal(m->vectors, want->vectors);
}

/* @m is untouched: still all sentinel bytes. */
static void expect_untouched(const struct swmsi_msi_map_info *m)
{
	struct swmsi_msi_map_info sent;

	memset(&sent, SENT, sizeof(sent));
	assert_memory_equal(m, &sent, NSENT);
}

static void msi_map_get_matches_the_list_entry_by_entry(void **state)
{
	struct fx *fx = *state;
	struct swmsi_msi_map_info *all, m;
	struct scene sc;
	size_t n, i;

	scene_make(fx, &sc);
	all = sx_maps(fx, &n);
	assert_int_equal(n, has_table(fx) ? 3 : 0);
	for (i = 0; i < n; i++) {
		memset(&m, SENT, sizeof(m));
		assert_int_equal(swmsi_msi_map_get(fx->ctx, all[i].id, &m), 0);
		assert_memory_equal(&m, &all[i], NSENT);
	}
	memset(&m, SENT, sizeof(m));
	assert_int_equal(swmsi_msi_map_get(fx->ctx, 3, &m), -ENOENT);
	expect_untouched(&m);
	assert_int_equal(swmsi_msi_map_get(fx->ctx, UINT32_MAX, &m), -ENOENT);
	expect_untouched(&m);
	free(all);
}

static void msi_map_find_by_window_and_page(void **state)
{
	struct fx *fx = *state;
	struct swmsi_msi_map_info m;
	struct scene sc;

	scene_make(fx, &sc);
	memset(&m, SENT, sizeof(m));
	if (has_table(fx)) {
		/* any address in the page finds it, in its window only */
		struct swmsi_msi_map_info want = sx_map_by_page(fx, W, sx_page_of(fx, sx_db(1)));

		assert_int_equal(swmsi_msi_map_find(fx->ctx, W, sx_db(1) + 8, &m), 0);
		expect_same_entry(&m, &want);
		assert_int_equal(m.sw_msi_start, W);
		assert_int_equal(m.msi_page, sx_page_of(fx, sx_db(1)));
		assert_int_equal(swmsi_msi_map_find(fx->ctx, W2, sx_db(0), &m), 0);
		assert_int_equal(m.sw_msi_start, W2);
		assert_int_equal(m.msi_page, sx_page_of(fx, sx_db(0)));
		memset(&m, SENT, sizeof(m));
	}
	assert_int_equal(swmsi_msi_map_find(fx->ctx, W2, sx_db(1), &m), -ENOENT);
	expect_untouched(&m);
	assert_int_equal(swmsi_msi_map_find(fx->ctx, W, sx_db(5), &m), -ENOENT);
	expect_untouched(&m);
	assert_int_equal(swmsi_msi_map_find(fx->ctx, W + 0x1000, sx_db(0), &m), -ENOENT);
	expect_untouched(&m);
}

static void msi_map_slot_list_lists_a_range_ascending_by_slot(void **state)
{
	struct fx *fx = *state;
	struct swmsi_msi_map_info m[4];
	struct scene sc;
	size_t n = 99;

	scene_make(fx, &sc);
	assert_int_equal(swmsi_msi_map_slot_list(fx->ctx, W, 0, 2, m, 4, &n), 0);
	assert_int_equal(n, has_table(fx) ? 2 : 0);
	if (has_table(fx)) {
		struct swmsi_msi_map_info want = sx_map_by_page(fx, W, sx_page_of(fx, sx_db(0)));

		assert_int_equal(m[0].slot, 0);
		assert_int_equal(m[1].slot, 1);
		expect_same_entry(&m[0], &want);
		assert_int_equal(m[1].iova, W + fx_page_size(fx));
	}
	/* one slot; a short cap still counts all; the whole slot space */
	assert_int_equal(swmsi_msi_map_slot_list(fx->ctx, W, 1, 1, m, 4, &n), 0);
	assert_int_equal(n, has_table(fx) ? 1 : 0);
	memset(m, SENT, sizeof(m));
	assert_int_equal(swmsi_msi_map_slot_list(fx->ctx, W, 0, UINT64_MAX, m, 1, &n), 0);
	assert_int_equal(n, has_table(fx) ? 2 : 0);
	expect_untouched(&m[1]);
	assert_int_equal(swmsi_msi_map_slot_list(fx->ctx, W, 0, UINT64_MAX, NULL, 0, &n), 0);
	assert_int_equal(n, has_table(fx) ? 2 : 0);
	/* past the entries, past the last slot, an empty range, no such window */
	assert_int_equal(swmsi_msi_map_slot_list(fx->ctx, W, 2, 1000, m, 4, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(swmsi_msi_map_slot_list(fx->ctx, W, UINT32_MAX, UINT64_MAX, m, 4, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(swmsi_msi_map_slot_list(fx->ctx, W, 0, 0, m, 4, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(swmsi_msi_map_slot_list(fx->ctx, W + 0x1000, 0, 16, m, 4, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(swmsi_msi_map_slot_list(fx->ctx, W2, 0, 16, m, 4, &n), 0);
	assert_int_equal(n, has_table(fx) ? 1 : 0);
}

static void msi_map_window_list_ascending_with_entry_counts(void **state)
{
	struct fx *fx = *state;
	struct swmsi_msi_window_info w[3];
	struct scene sc;
	size_t n = 99;

	scene_make(fx, &sc);
	memset(w, SENT, sizeof(w));
	assert_int_equal(swmsi_msi_map_window_list(fx->ctx, w, 3, &n), 0);
	if (!has_table(fx)) {
		assert_int_equal(n, 0);
		return;
	}
	/* W2's entry came first; the list is by start all the same */
	assert_int_equal(n, 2);
	assert_int_equal(w[0].sw_msi_start, W);
	assert_int_equal(w[0].size, FX_WINDOW_SIZE);
	assert_int_equal(w[0].entries, 2);
	assert_int_equal(w[1].sw_msi_start, W2);
	assert_int_equal(w[1].entries, 1);
	assert_int_equal(w[0].entries + w[1].entries, fx_msi_map_count(fx));
	memset(w, SENT, sizeof(w));
	assert_int_equal(swmsi_msi_map_window_list(fx->ctx, w, 1, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(w[0].sw_msi_start, W);
	assert_int_equal(swmsi_msi_map_window_list(fx->ctx, NULL, 0, &n), 0);
	assert_int_equal(n, 2);
}

/* has() of ids 0..7 on @hwpt agrees with its present list. */
static void expect_has_matches_present(struct fx *fx, uint32_t hwpt)
{
	uint32_t ids[8];
	size_t n = fx_present(fx, hwpt, ids, 8), k = 0;
	uint32_t id;

	for (id = 0; id < 8; id++) {
		bool has = !(id & 1);

		assert_int_equal(swmsi_hwpt_present_map_has(fx->ctx, hwpt, id, &has), 0);
		assert_int_equal(has, k < n && ids[k] == id);
		if (has)
			k++;
	}
	assert_int_equal(k, n);
}

static void hwpt_msi_has_matches_the_present_list(void **state)
{
	struct fx *fx = *state;
	struct scene sc;
	uint32_t nested;
	bool has = true;

	scene_make(fx, &sc);
	assert_int_equal(fx_present(fx, sc.a, NULL, 0), has_table(fx) ? 3 : 0);
	expect_has_matches_present(fx, sc.a);
	expect_has_matches_present(fx, sc.b);
	assert_int_equal(swmsi_hwpt_present_map_has(fx->ctx, sc.b, 0, &has), 0);
	assert_false(has);
	/* a moved group's pages follow it; a nested HWPT answers for its parent */
	assert_int_equal(swmsi_device_replace(fx->ctx, sc.dev[0], sc.b), 0);
	expect_has_matches_present(fx, sc.b);
	nested = fx_nested_rmr(fx, sc.b);
	expect_has_matches_present(fx, nested);
	if (has_table(fx)) {
		struct swmsi_msi_map_info m = sx_map_by_page(fx, W, sx_page_of(fx, sx_db(0)));

		assert_int_equal(swmsi_hwpt_present_map_has(fx->ctx, nested, m.id, &has), 0);
		assert_true(has);
	}
	assert_int_equal(swmsi_hwpt_present_map_has(fx->ctx, sc.b, UINT32_MAX, &has), 0);
	assert_false(has);
}

static void lookups_bad_input_exact_errors(void **state)
{
	struct fx *fx = *state;
	struct swmsi_msi_window_info w;
	struct swmsi_msi_map_info m;
	struct scene sc;
	size_t n = 7;
	bool has = true;

	scene_make(fx, &sc);
	memset(&m, SENT, sizeof(m));
	assert_int_equal(swmsi_msi_map_get(NULL, 0, &m), -EINVAL);
	assert_int_equal(swmsi_msi_map_get(fx->ctx, 0, NULL), -EINVAL);
	assert_int_equal(swmsi_msi_map_find(NULL, W, sx_db(0), &m), -EINVAL);
	assert_int_equal(swmsi_msi_map_find(fx->ctx, W, sx_db(0), NULL), -EINVAL);
	expect_untouched(&m);
	assert_int_equal(swmsi_msi_map_slot_list(NULL, W, 0, 1, &m, 1, &n), -EINVAL);
	assert_int_equal(swmsi_msi_map_slot_list(fx->ctx, W, 0, 1, &m, 1, NULL), -EINVAL);
	assert_int_equal(swmsi_msi_map_slot_list(fx->ctx, W, 0, 1, NULL, 1, &n), -EINVAL);
	assert_int_equal(swmsi_msi_map_window_list(NULL, &w, 1, &n), -EINVAL);
	assert_int_equal(swmsi_msi_map_window_list(fx->ctx, &w, 1, NULL), -EINVAL);
	assert_int_equal(swmsi_msi_map_window_list(fx->ctx, NULL, 1, &n), -EINVAL);
	assert_int_equal(n, 7);
	expect_untouched(&m);
	assert_int_equal(swmsi_hwpt_present_map_has(NULL, sc.a, 0, &has), -EINVAL);
	assert_int_equal(swmsi_hwpt_present_map_has(fx->ctx, sc.a, 0, NULL), -EINVAL);
	/* a device, an IOAS, nothing: not a HWPT */
	assert_int_equal(swmsi_hwpt_present_map_has(fx->ctx, sc.dev[0], 0, &has), -ENOENT);
	assert_int_equal(swmsi_hwpt_present_map_has(fx->ctx, sc.ioas, 0, &has), -ENOENT);
	assert_int_equal(swmsi_hwpt_present_map_has(fx->ctx, 9999, 0, &has), -ENOENT);
	assert_true(has);
}

/* Under reclaim unused: a freed entry is gone from every lookup, and its
 * window once it had no other entry. */
static void lookups_forget_a_reclaimed_entry_and_its_window(void **state)
{
	struct fx *fx = *state;
	struct swmsi_msi_window_info w[2];
	struct swmsi_msi_map_info m;
	uint32_t ioas, a, dev, vec;
	size_t n;
	bool has = true;

	ioas = fx_ioas(fx);
	a = fx_hwpt(fx, ioas, 0);
	dev = fx_bind_window(fx, 0, W2, FX_WINDOW_SIZE);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	vec = fx_msi_alloc(fx, dev, sx_db(3), NULL);
	assert_int_equal(swmsi_msi_map_find(fx->ctx, W2, sx_db(3), &m), 0);
	assert_int_equal(swmsi_msi_free(fx->ctx, dev, vec), 0);
	assert_int_equal(fx_msi_map_count(fx), 0);
	assert_int_equal(swmsi_msi_map_get(fx->ctx, m.id, &m), -ENOENT);
	assert_int_equal(swmsi_msi_map_find(fx->ctx, W2, sx_db(3), &m), -ENOENT);
	assert_int_equal(swmsi_msi_map_slot_list(fx->ctx, W2, 0, 16, NULL, 0, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(swmsi_msi_map_window_list(fx->ctx, w, 2, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(swmsi_hwpt_present_map_has(fx->ctx, a, m.id, &has), 0);
	assert_false(has);
}

/* Each test under each scheme, named after it. */
#define T(fn)                                                                \
	{ #fn " (native)", fn, sx_setup_native, fx_teardown, NULL },         \
		{ #fn " (kernel)", fn, sx_setup_kernel, fx_teardown, NULL }, \
	{                                                                    \
#fn " (dma-iommu)", fn, sx_setup_dma, fx_teardown, NULL      \
	}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(msi_map_get_matches_the_list_entry_by_entry),
		T(msi_map_find_by_window_and_page),
		T(msi_map_slot_list_lists_a_range_ascending_by_slot),
		T(msi_map_window_list_ascending_with_entry_counts),
		T(hwpt_msi_has_matches_the_present_list),
		T(lookups_bad_input_exact_errors),
		cmocka_unit_test_setup_teardown(lookups_forget_a_reclaimed_entry_and_its_window,
						fx_setup_reclaim, fx_teardown),
	};

	return cmocka_run_group_tests_name("scheme_lookup", tests, NULL, NULL);
}
