/* SPDX-License-Identifier: MIT */
/*
 * Internal unit tests of the growable bitmaps (src/bitmap.c) and the sparse
 * id counters (src/idmap.c),
 * linked against the static library so swmsi__ internals are reachable.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>

#include "ctx.h"

static void bitmap_empty_first_zero_is_zero(void **state)
{
	struct swmsi_bitmap bm = { 0 };

	(void)state;
	assert_int_equal(swmsi__bitmap_first_zero(&bm, 100), 0);
	assert_int_equal(swmsi__bitmap_first_zero(&bm, 0), 0);
	assert_int_equal(swmsi__bitmap_next_set(&bm, 0), SIZE_MAX);
	assert_int_equal(swmsi__bitmap_span(&bm), 0);
	assert_false(swmsi__bitmap_test(&bm, 12345));
	assert_int_equal(swmsi__bitmap_bytes(&bm), 0);
}

static void bitmap_grows_to_highest_bit_only(void **state)
{
	struct swmsi_bitmap bm = { 0 };

	(void)state;
	assert_int_equal(swmsi__bitmap_reserve(NULL, &bm, 1), 0);
	assert_int_equal(swmsi__bitmap_bytes(&bm), 8);
	assert_int_equal(swmsi__bitmap_reserve(NULL, &bm, 65), 0);
	assert_int_equal(swmsi__bitmap_bytes(&bm), 16);
	/* a far bit costs what it spans, not the whole id space */
	assert_int_equal(swmsi__bitmap_reserve(NULL, &bm, 1000), 0);
	assert_true(swmsi__bitmap_bytes(&bm) <= 2 * (1000 / 8 + 8));
	swmsi__bitmap_release(&bm);
	assert_int_equal(swmsi__bitmap_bytes(&bm), 0);
}

static void bitmap_reserve_capped_never_exceeds_limit(void **state)
{
	struct swmsi_bitmap bm = { 0 };

	(void)state;
	/* 10000 words grown by one: doubling would take 20000 words, more
	 * than a fixed bitmap of the whole 1<<20 id space (16384) */
	assert_int_equal(swmsi__bitmap_reserve_capped(NULL, &bm, 10000 * 64, 1u << 20), 0);
	assert_int_equal(swmsi__bitmap_bytes(&bm), 10000 * 8);
	assert_int_equal(swmsi__bitmap_reserve_capped(NULL, &bm, 10000 * 64 + 1, 1u << 20), 0);
	assert_int_equal(swmsi__bitmap_bytes(&bm), (1u << 20) / 8);
	swmsi__bitmap_release(&bm);
	assert_int_equal(swmsi__bitmap_reserve_capped(NULL, &bm, 64, 100), 0);
	assert_int_equal(swmsi__bitmap_reserve_capped(NULL, &bm, 65, 100), 0);
	assert_int_equal(swmsi__bitmap_bytes(&bm), 16);
	swmsi__bitmap_release(&bm);
}

static void bitmap_first_zero_is_lowest_free_across_words(void **state)
{
	struct swmsi_bitmap bm = { 0 };
	size_t i;

	(void)state;
	assert_int_equal(swmsi__bitmap_reserve(NULL, &bm, 200), 0);
	for (i = 0; i < 130; i++)
		swmsi__bitmap_set(&bm, i);
	assert_int_equal(swmsi__bitmap_first_zero(&bm, 1000), 130);
	swmsi__bitmap_clear(&bm, 64);
	assert_int_equal(swmsi__bitmap_first_zero(&bm, 1000), 64);
	/* the limit caps the answer: "none free below limit" */
	assert_int_equal(swmsi__bitmap_first_zero(&bm, 10), 10);
	assert_int_equal(swmsi__bitmap_span(&bm), 130);
	swmsi__bitmap_release(&bm);
}

static void bitmap_next_set_below_stops_at_its_limit(void **state)
{
	struct swmsi_bitmap bm = { 0 };

	(void)state;
	assert_int_equal(swmsi__bitmap_next_set_below(&bm, 0, 100), SIZE_MAX);
	assert_int_equal(swmsi__bitmap_reserve(NULL, &bm, 501), 0);
	swmsi__bitmap_set(&bm, 5);
	swmsi__bitmap_set(&bm, 127);
	swmsi__bitmap_set(&bm, 500);
	assert_int_equal(swmsi__bitmap_next_set_below(&bm, 0, 6), 5);
	assert_int_equal(swmsi__bitmap_next_set_below(&bm, 0, 5), SIZE_MAX);
	assert_int_equal(swmsi__bitmap_next_set_below(&bm, 5, 5), SIZE_MAX);
	assert_int_equal(swmsi__bitmap_next_set_below(&bm, 6, 127), SIZE_MAX);
	assert_int_equal(swmsi__bitmap_next_set_below(&bm, 6, 128), 127);
	assert_int_equal(swmsi__bitmap_next_set_below(&bm, 128, 500), SIZE_MAX);
	assert_int_equal(swmsi__bitmap_next_set_below(&bm, 128, SIZE_MAX), 500);
	assert_int_equal(swmsi__bitmap_next_set_below(&bm, 501, SIZE_MAX), SIZE_MAX);
	assert_int_equal(swmsi__bitmap_next_set_below(&bm, 1u << 20, SIZE_MAX), SIZE_MAX);
	swmsi__bitmap_release(&bm);
}

static void bitmap_next_set_walks_in_order(void **state)
{
	struct swmsi_bitmap bm = { 0 };
	const size_t bits[] = { 0, 63, 64, 127, 500 };
	size_t i, b;

	(void)state;
	assert_int_equal(swmsi__bitmap_reserve(NULL, &bm, 501), 0);
	for (i = 0; i < 5; i++)
		swmsi__bitmap_set(&bm, bits[i]);
	for (i = 0, b = swmsi__bitmap_next_set(&bm, 0); b != SIZE_MAX;
	     b = swmsi__bitmap_next_set(&bm, b + 1), i++)
		assert_int_equal(b, bits[i]);
	assert_int_equal(i, 5);
	assert_int_equal(swmsi__bitmap_next_set(&bm, 501), SIZE_MAX);
	assert_int_equal(swmsi__bitmap_next_set(&bm, 1u << 20), SIZE_MAX);
	swmsi__bitmap_clear(&bm, 1u << 20); /* past the end: a no-op */
	swmsi__bitmap_release(&bm);
}

static void bitmap_reserve_failure_keeps_contents(void **state)
{
	struct swmsi_bitmap bm = { 0 };
	struct swmsi_ctx *ctx;

	(void)state;
	/* a context only for its allocation hook */
	ctx = calloc(1, sizeof(*ctx));
	assert_non_null(ctx);
	assert_int_equal(swmsi__bitmap_reserve(ctx, &bm, 64), 0);
	swmsi__bitmap_set(&bm, 5);
	ctx->fail_alloc_nth = 1;
	assert_int_equal(swmsi__bitmap_reserve(ctx, &bm, 10000), -ENOMEM);
	assert_true(swmsi__bitmap_test(&bm, 5));
	assert_int_equal(swmsi__bitmap_bytes(&bm), 8);
	swmsi__bitmap_release(&bm);
	free(ctx);
}

static void bitmap_first_zero_after_clear_below_hint_finds_it(void **state)
{
	struct swmsi_bitmap bm = { 0 };
	size_t i;

	(void)state;
	assert_int_equal(swmsi__bitmap_reserve(NULL, &bm, 1024), 0);
	for (i = 0; i < 1000; i++) {
		assert_int_equal(swmsi__bitmap_first_zero(&bm, 1024), i);
		swmsi__bitmap_set(&bm, i);
	}
	/* the search hint has moved past the full words; a clear far below
	 * it must still be found first */
	swmsi__bitmap_clear(&bm, 3);
	assert_int_equal(swmsi__bitmap_first_zero(&bm, 1024), 3);
	swmsi__bitmap_set(&bm, 3);
	assert_int_equal(swmsi__bitmap_first_zero(&bm, 1024), 1000);
	swmsi__bitmap_release(&bm);
}

static void idmap_empty_has_nothing(void **state)
{
	struct swmsi_idmap m = { 0 };
	uint32_t id;

	(void)state;
	assert_int_equal(swmsi__idmap_get(&m, 7), 0);
	assert_false(swmsi__idmap_contains(&m, 7));
	assert_null(swmsi__idmap_find(&m, 7));
	assert_int_equal(swmsi__idmap_next(&m, 0, &id), 0);
	swmsi__idmap_remove(&m, 7);
	assert_int_equal(swmsi__idmap_bytes(&m), 0);
}

/* Random inserts, increments and removals checked against a plain array:
 * the backward-shift deletion must never lose a key of a probe run. */
static void idmap_random_ops_match_reference(void **state)
{
	enum {
		IDS = 4096,
		OPS = 200000
	};
	static uint32_t ref[IDS];
	struct swmsi_idmap m = { 0 };
	uint64_t x = 88172645463325252ull;
	size_t live = 0, seen, pos, i;
	uint32_t id;

	(void)state;
	for (i = 0; i < OPS; i++) {
		uint32_t *v;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* spread ids over the whole id space to force collisions */
		id = (uint32_t)(x % IDS) * 251u;
		if (x & (1ull << 40)) {
			assert_int_equal(swmsi__idmap_reserve(NULL, &m, m.count + 1), 0);
			v = swmsi__idmap_slot(&m, id);
			if (!ref[id / 251u])
				live++;
			(*v)++;
			ref[id / 251u]++;
		} else if (ref[id / 251u]) {
			swmsi__idmap_remove(&m, id);
			ref[id / 251u] = 0;
			live--;
		}
		assert_int_equal(m.count, live);
	}
	for (i = 0; i < IDS; i++) {
		assert_int_equal(swmsi__idmap_get(&m, (uint32_t)i * 251u), ref[i]);
		assert_int_equal(swmsi__idmap_contains(&m, (uint32_t)i * 251u), ref[i] != 0);
	}
	seen = 0;
	swmsi__idmap_for_each(pos, id, &m) {
		assert_int_equal(id % 251u, 0);
		assert_true(ref[id / 251u] != 0);
		seen++;
	}
	assert_int_equal(seen, live);
	/* memory follows the ids in use, not the highest id */
	assert_true(swmsi__idmap_bytes(&m) <= 4 * 8 * (live + 8));
	swmsi__idmap_release(&m);
}

/* A map that once held many ids gives their room back, so walking it (a
 * replace walks the group's) costs what it holds now. */
static void idmap_shrinks_after_removals(void **state)
{
	struct swmsi_idmap m = { 0 };
	uint32_t id;
	size_t pos, n = 0;

	(void)state;
	assert_int_equal(swmsi__idmap_reserve(NULL, &m, 4096), 0);
	for (id = 0; id < 4096; id++)
		(*swmsi__idmap_slot(&m, id * 7))++;
	for (id = 1; id < 4096; id++)
		swmsi__idmap_remove(&m, id * 7);
	assert_int_equal(m.count, 1);
	assert_true(m.cap <= 32);
	assert_int_equal(swmsi__idmap_get(&m, 0), 1);
	swmsi__idmap_for_each(pos, id, &m)
		n++;
	assert_int_equal(n, 1);
	swmsi__idmap_release(&m);
}

static void idmap_reserve_failure_keeps_contents(void **state)
{
	struct swmsi_idmap m = { 0 };
	struct swmsi_ctx *ctx = calloc(1, sizeof(*ctx));

	(void)state;
	assert_non_null(ctx);
	assert_int_equal(swmsi__idmap_reserve(ctx, &m, 1), 0);
	(*swmsi__idmap_slot(&m, 1000000))++;
	ctx->fail_alloc_nth = 1;
	assert_int_equal(swmsi__idmap_reserve(ctx, &m, 1000), -ENOMEM);
	ctx->fail_alloc_nth = 2; /* the second of its two arrays */
	assert_int_equal(swmsi__idmap_reserve(ctx, &m, 1000), -ENOMEM);
	assert_int_equal(m.count, 1);
	assert_int_equal(swmsi__idmap_get(&m, 1000000), 1);
	swmsi__idmap_release(&m);
	free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bitmap_empty_first_zero_is_zero),
		cmocka_unit_test(bitmap_grows_to_highest_bit_only),
		cmocka_unit_test(bitmap_reserve_capped_never_exceeds_limit),
		cmocka_unit_test(bitmap_first_zero_is_lowest_free_across_words),
		cmocka_unit_test(bitmap_next_set_walks_in_order),
		cmocka_unit_test(bitmap_reserve_failure_keeps_contents),
		cmocka_unit_test(bitmap_first_zero_after_clear_below_hint_finds_it),
		cmocka_unit_test(idmap_empty_has_nothing),
		cmocka_unit_test(idmap_random_ops_match_reference),
		cmocka_unit_test(idmap_shrinks_after_removals),
		cmocka_unit_test(idmap_reserve_failure_keeps_contents),
		cmocka_unit_test(bitmap_next_set_below_stops_at_its_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
