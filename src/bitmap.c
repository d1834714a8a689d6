/* SPDX-License-Identifier: MIT */
/*
 * Growable bitmaps and per-id counters. They size themselves to the highest
 * index in use, so a HWPT on a context with a 1<<20 id space costs a few
 * words, not 128 KiB. Growth is the only fallible step and callers do it
 * before they change anything.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "containers.h"

#define WORD_BITS 64u

int swmsi__bitmap_reserve_capped(struct swmsi_ctx *ctx, struct swmsi_bitmap *bm, size_t nbits,
				 size_t limit)
{
	size_t need = (nbits + WORD_BITS - 1) / WORD_BITS;
	size_t max = limit / WORD_BITS + (limit % WORD_BITS != 0);

	/* never past the bound: an id set is at most as big as a fixed bitmap
	 * of the whole id space */
	return swmsi__array_grow(ctx, &bm->words, &bm->nwords, need, 1, max, sizeof(*bm->words));
}

int swmsi__bitmap_reserve(struct swmsi_ctx *ctx, struct swmsi_bitmap *bm, size_t nbits)
{
	return swmsi__bitmap_reserve_capped(ctx, bm, nbits, SIZE_MAX);
}

void swmsi__bitmap_release(struct swmsi_bitmap *bm)
{
	free(bm->words);
	bm->words = NULL;
	bm->nwords = 0;
	bm->hint = 0;
}

size_t swmsi__bitmap_first_zero(struct swmsi_bitmap *bm, size_t limit)
{
	size_t w;

	/* words below the hint are full; skipping them makes a run of
	 * lowest-free allocations O(1) amortised instead of O(ids in use) */
	for (w = bm->hint; w < bm->nwords; w++) {
		if (bm->words[w] != UINT64_MAX) {
			size_t bit = w * WORD_BITS + (size_t)__builtin_ctzll(~bm->words[w]);

			bm->hint = w;
			return bit < limit ? bit : limit;
		}
	}
	bm->hint = bm->nwords;
	w = bm->nwords * WORD_BITS;
	return w < limit ? w : limit;
}

size_t swmsi__bitmap_next_set(const struct swmsi_bitmap *bm, size_t from)
{
	size_t w = from / WORD_BITS;
	uint64_t word;

	if (w >= bm->nwords)
		return SIZE_MAX;
	word = bm->words[w] & (UINT64_MAX << (from % WORD_BITS));
	for (;;) {
		if (word)
			return w * WORD_BITS + (size_t)__builtin_ctzll(word);
		if (++w >= bm->nwords)
			return SIZE_MAX;
		word = bm->words[w];
	}
}

size_t swmsi__bitmap_next_set_below(const struct swmsi_bitmap *bm, size_t from, size_t limit)
{
	size_t w = from / WORD_BITS, nw = limit / WORD_BITS + (limit % WORD_BITS != 0);
	uint64_t word;

	/* only the words the range covers: a lookup of a few bits in a
	 * sparse bitmap must not walk to its end */
	if (nw > bm->nwords)
		nw = bm->nwords;
	if (from >= limit || w >= nw)
		return SIZE_MAX;
	word = bm->words[w] & (UINT64_MAX << (from % WORD_BITS));
	while (!word) {
		if (++w >= nw)
			return SIZE_MAX;
		word = bm->words[w];
	}
	w = w * WORD_BITS + (size_t)__builtin_ctzll(word);
	return w < limit ? w : SIZE_MAX;
}

size_t swmsi__bitmap_span(const struct swmsi_bitmap *bm)
{
	size_t w = bm->nwords;

	while (w && !bm->words[w - 1])
		w--;
	if (!w)
		return 0;
	return (w - 1) * WORD_BITS + (WORD_BITS - (size_t)__builtin_clzll(bm->words[w - 1]));
}

size_t swmsi__bitmap_bytes(const struct swmsi_bitmap *bm)
{
	return bm->nwords * sizeof(uint64_t);
}
