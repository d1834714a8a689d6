/* SPDX-License-Identifier: MIT */
/*
 * The visited set: 128-bit fingerprints in one open-addressed table,
 * linear probing, at most half full. A fingerprint's first word is its
 * own hash; an all-zero slot is empty (no fingerprint is zero).
 */
#include <errno.h>
#include <stdlib.h>

#include "explore.h"

static size_t home(const struct xset *x, struct xfp f)
{
	return (size_t)(f.a >> 1) & (x->cap - 1);
}

bool xset_has(const struct xset *x, struct xfp f)
{
	size_t i;

	if (!x->cap)
		return false;
	for (i = home(x, f);; i = (i + 1) & (x->cap - 1)) {
		if (!x->slot[i].a)
			return false;
		if (x->slot[i].a == f.a && x->slot[i].b == f.b)
			return true;
	}
}

static void put(struct xset *x, struct xfp f)
{
	size_t i = home(x, f);

	while (x->slot[i].a)
		i = (i + 1) & (x->cap - 1);
	x->slot[i] = f;
	x->used++;
}

static int grow(struct xset *x)
{
	struct xset n = { NULL, x->cap ? x->cap * 2 : 1024, 0 };
	size_t i;

	n.slot = calloc(n.cap, sizeof(*n.slot));
	if (!n.slot)
		return -ENOMEM;
	for (i = 0; i < x->cap; i++)
		if (x->slot[i].a)
			put(&n, x->slot[i]);
	free(x->slot);
	*x = n;
	return 0;
}

int xset_add(struct xset *x, struct xfp f)
{
	if (xset_has(x, f))
		return 0;
	if ((x->used + 1) * 2 > x->cap && grow(x))
		return -ENOMEM;
	put(x, f);
	return 1;
}

void xset_free(struct xset *x)
{
	free(x->slot);
	x->slot = NULL;
	x->cap = x->used = 0;
}
