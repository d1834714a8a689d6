/* SPDX-License-Identifier: MIT */
/*
 * The allocation hook and the one growth helper: a leaf. Every allocation
 * of the core comes here so tests can fail the nth one
 * (swmsi_ctx_fail_alloc), in the spirit of libuv's uv__malloc; it calls
 * nothing of the core, so the containers built on it (bitmap.c, idmap.c,
 * census.c, msi_map.c) depend on nothing else. Its prototypes are
 * containers.h's; it includes ctx.h only for the hook's state, two
 * counters of the context (fail_alloc_nth, allocs).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"

static bool alloc_should_fail(struct swmsi_ctx *ctx)
{
	/*
	 * Every caller holds ctx->lock and has asserted it; the hook does not
	 * assert again so that the containers' unit tests can drive it with a
	 * bare context (or NULL: no injection).
	 */
	if (!ctx || !ctx->fail_alloc_nth)
		return false;
	return --ctx->fail_alloc_nth == 0;
}

/* Counted for swmsi_ctx_stats(): the benchmarks check that the steady
 * state (a hit, a replace between domains holding the pages, a fire)
 * allocates nothing. */
static void alloc_count(struct swmsi_ctx *ctx)
{
	if (ctx)
		ctx->allocs++;
}

void *swmsi__calloc(struct swmsi_ctx *ctx, size_t n, size_t size)
{
	if (alloc_should_fail(ctx))
		return NULL;
	alloc_count(ctx);
	return calloc(n, size);
}

void *swmsi__reallocarray(struct swmsi_ctx *ctx, void *p, size_t n, size_t size)
{
	if (alloc_should_fail(ctx))
		return NULL;
	if (size && n > SIZE_MAX / size)
		return NULL;
	alloc_count(ctx);
	return realloc(p, n * size);
}

int swmsi__array_grow(struct swmsi_ctx *ctx, void *arrp, size_t *cap, size_t need, size_t min,
		      size_t max, size_t size)
{
	void *arr, *grown;
	size_t ncap;

	if (need <= *cap)
		return 0;
	/* double, so an array grown one element at a time costs amortised
	 * O(1), but never past the owner's bound */
	ncap = *cap ? *cap * 2 : min;
	if (ncap > max)
		ncap = max;
	if (ncap < need)
		ncap = need;
	memcpy(&arr, arrp, sizeof(arr));
	grown = swmsi__reallocarray(ctx, arr, ncap, size);
	if (!grown)
		return -ENOMEM;
	memset((char *)grown + *cap * size, 0, (ncap - *cap) * size);
	memcpy(arrp, &grown, sizeof(grown));
	*cap = ncap;
	return 0;
}
