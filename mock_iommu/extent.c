/* SPDX-License-Identifier: MIT */
/*
 * Extents: the IOVA range of each successful map call, kept per domain in
 * an RB tree by start. They are how the mock checks its caller the way
 * iommufd's selftest mock does: an unmap must take back whole map calls,
 * never part of one, and never a range with holes. They also answer
 * "is anything mapped in this range" without walking the tables.
 *
 * Invariant: a domain's extents are disjoint and cover exactly its mapped
 * pages. Callers hold mock->lock, and every helper here asserts it.
 */
#include "mock_private.h"

#include <assert.h>
#include <stdlib.h>

static int extent_cmp(const struct mock_extent *a, const struct mock_extent *b)
{
	return a->iova < b->iova ? -1 : a->iova > b->iova;
}

MOCK_RB_GENERATE_STATIC(mock_extent_tree, mock_extent, node, extent_cmp)

static uint64_t extent_end(const struct mock_extent *ext)
{
	return ext->iova + ext->size;
}

/* The lowest extent that ends after @iova, or NULL. */
static struct mock_extent *first_ending_after(const struct mock_iommu *mock,
					      struct mock_domain *dom, uint64_t iova)
{
	struct mock_extent key = { .iova = iova };
	struct mock_extent *ext, *prev;

	mock_iommu__assert_locked(mock);
	ext = RB_NFIND(mock_extent_tree, &dom->extents, &key);
	prev = ext ? RB_PREV(mock_extent_tree, &dom->extents, ext)
		   : RB_MAX(mock_extent_tree, &dom->extents);
	/* extents are disjoint: only the one just below can reach past iova */
	if (prev && extent_end(prev) > iova)
		return prev;
	return ext;
}

bool mock_iommu__extent_overlaps(const struct mock_iommu *mock, struct mock_domain *dom,
				 uint64_t iova, uint64_t end)
{
	struct mock_extent *ext;

	mock_iommu__assert_locked(mock);
	ext = first_ending_after(mock, dom, iova);
	return ext && ext->iova < end;
}

bool mock_iommu__extent_exact(const struct mock_iommu *mock, struct mock_domain *dom, uint64_t iova,
			      uint64_t end)
{
	struct mock_extent *ext;
	uint64_t pos = iova;

	mock_iommu__assert_locked(mock);
	ext = first_ending_after(mock, dom, iova);
	while (pos < end) {
		if (!ext || ext->iova != pos)
			return false; /* a hole, or a mapping cut at pos */
		pos = extent_end(ext);
		ext = RB_NEXT(mock_extent_tree, &dom->extents, ext);
	}
	return pos == end; /* past end: the last mapping is cut */
}

uint64_t mock_iommu__extent_stop(const struct mock_iommu *mock, struct mock_domain *dom,
				 uint64_t iova, uint64_t end, uint64_t budget)
{
	struct mock_extent *ext;
	uint64_t stop = iova;

	mock_iommu__assert_locked(mock);
	ext = first_ending_after(mock, dom, iova);
	for (; ext && ext->iova < end && budget;
	     ext = RB_NEXT(mock_extent_tree, &dom->extents, ext)) {
		uint64_t lo = ext->iova > iova ? ext->iova : iova;
		uint64_t hi = extent_end(ext) < end ? extent_end(ext) : end;

		if (hi - lo >= budget)
			return lo + budget;
		budget -= hi - lo;
		stop = hi;
	}
	return stop;
}

bool mock_iommu__extent_needs_split(const struct mock_iommu *mock, struct mock_domain *dom,
				    uint64_t iova, uint64_t stop)
{
	struct mock_extent *ext;

	mock_iommu__assert_locked(mock);
	ext = first_ending_after(mock, dom, iova);
	return stop > iova && ext && ext->iova < iova && extent_end(ext) > stop;
}

void mock_iommu__extent_insert(const struct mock_iommu *mock, struct mock_domain *dom,
			       struct mock_extent *ext)
{
	struct mock_extent *dup;

	mock_iommu__assert_locked(mock);
	dup = RB_INSERT(mock_extent_tree, &dom->extents, ext);
	assert(!dup);
	(void)dup;
}

void mock_iommu__extent_remove_range(const struct mock_iommu *mock, struct mock_domain *dom,
				     uint64_t iova, uint64_t stop, struct mock_extent *spare)
{
	struct mock_extent *ext, *next;

	mock_iommu__assert_locked(mock);
	ext = stop > iova ? first_ending_after(mock, dom, iova) : NULL;
	for (; ext && ext->iova < stop; ext = next) {
		uint64_t start = ext->iova, end = extent_end(ext);

		next = RB_NEXT(mock_extent_tree, &dom->extents, ext);
		if (start < iova && end > stop) {
			/* the range was cut out of the middle of one map call */
			assert(spare);
			ext->size = iova - start;
			spare->iova = stop;
			spare->size = end - stop;
			mock_iommu__extent_insert(mock, dom, spare);
			spare = NULL;
		} else if (start < iova) {
			ext->size = iova - start;
		} else if (end > stop) {
			/*
			 * Moving the key in place keeps the order: nothing else
			 * lies between the old and the new start.
			 */
			ext->iova = stop;
			ext->size = end - stop;
		} else {
			RB_REMOVE(mock_extent_tree, &dom->extents, ext);
			free(ext);
		}
	}
	free(spare);
}

void mock_iommu__extent_free_all(const struct mock_iommu *mock, struct mock_domain *dom)
{
	struct mock_extent *ext, *next;

	mock_iommu__assert_locked(mock);
	RB_FOREACH_SAFE(ext, mock_extent_tree, &dom->extents, next) {
		RB_REMOVE(mock_extent_tree, &dom->extents, ext);
		free(ext);
	}
}
