/* SPDX-License-Identifier: MIT */
/*
 * Internal unit tests of the growable bitmaps and counters (src/bitmap.c),
 * linked against the static library so swmsi__ internals are reachable.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>

#include "swmsi_private.h"

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

static void counts_grow_zeroed(void **state)
{
	struct swmsi_counts c = { 0 };

	(void)state;
	assert_int_equal(counts_get(&c, 3), 0);
	assert_int_equal(swmsi__counts_reserve(NULL, &c, 4), 0);
	c.vals[3] = 7;
	assert_int_equal(swmsi__counts_reserve(NULL, &c, 100), 0);
	assert_int_equal(counts_get(&c, 3), 7);
	assert_int_equal(counts_get(&c, 99), 0);
	assert_int_equal(counts_get(&c, 100000), 0);
	swmsi__counts_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bitmap_empty_first_zero_is_zero),
		cmocka_unit_test(bitmap_grows_to_highest_bit_only),
		cmocka_unit_test(bitmap_first_zero_is_lowest_free_across_words),
		cmocka_unit_test(bitmap_next_set_walks_in_order),
		cmocka_unit_test(bitmap_reserve_failure_keeps_contents),
		cmocka_unit_test(counts_grow_zeroed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
