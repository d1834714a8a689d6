/* SPDX-License-Identifier: MIT */
/*
 * Allocated IOVAs, as upstream's iopt_alloc_iova() chooses them: the
 * lowest IOVA, aligned and keeping the user address's page offset, of a
 * hole between the areas and the reserved ranges, inside an allowed span
 * (the merged allowed ranges, or everything) clipped to [one page, the
 * top less one page]. IOVA 0 is never given. Unlike the code it follows,
 * an alignment that would carry past the top of the space fits nowhere
 * (the kernel's selftest reserved_overflow pins that).
 */
#include "iopt.h"

/* The smallest power of two at or above @v (1 <= @v < 2^63). */
static uint64_t pow2_ceil(uint64_t v)
{
	uint64_t p = 1;

	while (p < v)
		p <<= 1;
	return p;
}

/* The first IOVA at or above @start aligned to @align with @offset's bits
 * or'ed in, if it leaves [that, last] room for @length bytes. */
static bool fit(uint64_t start, uint64_t last, uint64_t align, uint64_t offset, uint64_t length,
		uint64_t *at)
{
	uint64_t s;

	if (start > UINT64_MAX - (align - 1))
		return false; /* aligning would wrap */
	s = ((start + (align - 1)) & ~(align - 1)) | offset;
	if (s > last || last - s < length - 1)
		return false;
	*at = s;
	return true;
}

/* Where a walk up the IOVA space stands among the reserved ranges (sorted
 * by start, possibly nested) and the areas (sorted, disjoint). */
struct cursor {
	struct swmsi_resv *r;
	struct swmsi_area *a;
};

/* Step past the records wholly below @p. */
static void cursor_skip(struct swmsi__area_tree *areas, struct cursor *c, uint64_t p)
{
	(void)areas; /* RB_NEXT() may not read the head */
	while (c->r && c->r->last < p)
		c->r = TAILQ_NEXT(c->r, link);
	while (c->a && c->a->iova + (c->a->length - 1) < p)
		c->a = RB_NEXT(swmsi__area_tree, areas, c->a);
}

/* Something holds @p: *@end is where that stops. */
static bool cursor_held(const struct cursor *c, uint64_t p, uint64_t *end)
{
	bool held = false;

	if (c->r && c->r->start <= p) {
		held = true;
		*end = c->r->last;
	}
	if (c->a && c->a->iova <= p) {
		uint64_t a_last = c->a->iova + (c->a->length - 1);

		*end = held && *end > a_last ? *end : a_last;
		held = true;
	}
	return held;
}

/* Nothing holds @p: the lowest start above it, or false when none. */
static bool cursor_next(const struct cursor *c, uint64_t *next)
{
	bool more = false;

	if (c->r) {
		more = true;
		*next = c->r->start;
	}
	if (c->a && (!more || c->a->iova < *next)) {
		more = true;
		*next = c->a->iova;
	}
	return more;
}

/* The area holding @p or the first above it. */
static struct swmsi_area *area_from(struct swmsi__area_tree *t, uint64_t p)
{
	struct swmsi_area key = { .iova = p };
	struct swmsi_area *a = RB_NFIND(swmsi__area_tree, t, &key), *prev;

	prev = a ? RB_PREV(swmsi__area_tree, t, a) : RB_MAX(swmsi__area_tree, t);
	if ((!a || a->iova != p) && prev && prev->iova + (prev->length - 1) >= p)
		return prev;
	return a;
}

/* First fit in [lo, hi] among the holes of areas and reserved ranges. */
static bool hole_fit(struct swmsi_ioas *ioas, uint64_t lo, uint64_t hi, uint64_t align,
		     uint64_t offset, uint64_t length, uint64_t *at)
{
	struct cursor c = { TAILQ_FIRST(&ioas->resv), area_from(&ioas->areas, lo) };
	uint64_t p = lo, end = 0, next = 0;
	bool more;

	for (;;) {
		cursor_skip(&ioas->areas, &c, p);
		if (cursor_held(&c, p, &end)) {
			if (end >= hi)
				return false;
			p = end + 1;
			continue;
		}
		more = cursor_next(&c, &next);
		if (fit(p, more && next - 1 < hi ? next - 1 : hi, align, offset, length, at))
			return true;
		if (!more || next > hi)
			return false;
		p = next;
	}
}

/* The next allowed span at or above @from (merged, clipped to [lo, hi]):
 * everything when none is set. */
static bool allowed_span(const struct swmsi_ioas *ioas, size_t *i, uint64_t lo, uint64_t hi,
			 uint64_t *s, uint64_t *l)
{
	if (!ioas->nallowed) {
		if (*i)
			return false;
		*i = 1;
		*s = lo;
		*l = hi;
		return true;
	}
	while (*i < ioas->nallowed) {
		const struct swmsi_iova_range *r = &ioas->allowed[(*i)++];
		uint64_t last = r->last;

		/* adjacent ranges make one span, as upstream's span walk does */
		while (*i < ioas->nallowed && last != UINT64_MAX &&
		       ioas->allowed[*i].start == last + 1)
			last = ioas->allowed[(*i)++].last;
		if (last < lo || r->start > hi)
			continue;
		*s = r->start > lo ? r->start : lo;
		*l = last < hi ? last : hi;
		return true;
	}
	return false;
}

int swmsi__iopt_alloc_iova(const struct swmsi_ctx *ctx, struct swmsi_ioas *ioas, uint64_t addr,
			   uint64_t length, uint64_t *iova)
{
	uint64_t offset = addr & (ctx->page_size - 1);
	uint64_t lo = ctx->page_size, hi = UINT64_MAX - ctx->page_size;
	uint64_t align, s, l, start;
	size_t i = 0;

	swmsi__assert_locked(ctx);
	if (!length || length >= UINT64_MAX / 2)
		return -EOVERFLOW;
	/* keep the alignment the address has: a better chance of huge pages */
	align = pow2_ceil(length);
	if (addr && (addr & -addr) < align)
		align = addr & -addr;
	if (align < swmsi__ioas_alignment(ctx, ioas))
		return -EINVAL;
	while (allowed_span(ioas, &i, lo, hi, &s, &l)) {
		if (!fit(s, l, align, offset, length, &start))
			continue;
		if (hole_fit(ioas, start, l, align, offset, length, iova))
			return 0;
	}
	return -ENOSPC;
}
