/* SPDX-License-Identifier: MIT */
/*
 * The one growable-array policy of the simulator: the parser's tables, the
 * runner's records, the snapshots and the generator's text all grow here,
 * so that the doubling and its overflow check cannot drift apart.
 */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "util.h"

int sim_grow(void **arr, size_t *cap, size_t need, size_t elem, size_t first)
{
	size_t ncap;
	void *n;

	/* a zero would make the doubling below spin forever */
	assert(elem && first);
	if (need <= *cap)
		return 0;
	if (need > SIZE_MAX / elem)
		return -ENOMEM;
	ncap = *cap ? *cap : first;
	/* doubling keeps appends amortised O(1); near the limit, take what is needed */
	while (ncap < need)
		ncap = ncap > SIZE_MAX / 2 / elem ? need : ncap * 2;
	n = realloc(*arr, ncap * elem);
	if (!n)
		return -ENOMEM;
	*arr = n;
	*cap = ncap;
	return 0;
}
