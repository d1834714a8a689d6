/* SPDX-License-Identifier: MIT */
/*
 * Open-addressing hash tables with linear probing, kept at most half full;
 * removal shifts the following run back (no tombstones), so a table that
 * sees many adds and removes stays as fast as a fresh one.
 */
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct name_slot {
	const char *s; /* NULL: empty */
	uint32_t scope;
	uint32_t idx;
	uint64_t hash;
};

struct key_slot {
	uint64_t key;
	uint32_t val;
	bool used;
};

/* FNV-1a over the scope and the bytes, then a final mix. */
static uint64_t hash_name(uint32_t scope, const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull ^ scope;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ull;
	}
	return h ^ (h >> 29);
}

/* splitmix64's finaliser. */
static uint64_t hash_key(uint64_t k)
{
	k ^= k >> 30;
	k *= 0xbf58476d1ce4e5b9ull;
	k ^= k >> 27;
	k *= 0x94d049bb133111ebull;
	return k ^ (k >> 31);
}

long name_index_find(const struct name_index *x, uint32_t scope, const char *s, size_t len)
{
	uint64_t h = hash_name(scope, s, len);
	size_t i;

	if (!x->cap)
		return -1;
	for (i = h & (x->cap - 1); x->slots[i].s; i = (i + 1) & (x->cap - 1)) {
		const struct name_slot *e = &x->slots[i];

		if (e->hash == h && e->scope == scope && !strncmp(e->s, s, len) && !e->s[len])
			return (long)e->idx;
	}
	return -1;
}

static void name_put(struct name_slot *slots, size_t cap, const struct name_slot *e)
{
	size_t i;

	for (i = e->hash & (cap - 1); slots[i].s; i = (i + 1) & (cap - 1))
		;
	slots[i] = *e;
}

int name_index_add(struct name_index *x, uint32_t scope, const char *s, uint32_t idx)
{
	struct name_slot e = { s, scope, idx, hash_name(scope, s, strlen(s)) };

	if ((x->used + 1) * 2 > x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 64, i;
		struct name_slot *n = calloc(cap, sizeof(*n));

		if (!n)
			return -ENOMEM;
		for (i = 0; i < x->cap; i++)
			if (x->slots[i].s)
				name_put(n, cap, &x->slots[i]);
		free(x->slots);
		x->slots = n;
		x->cap = cap;
	}
	name_put(x->slots, x->cap, &e);
	x->used++;
	return 0;
}

void name_index_free(struct name_index *x)
{
	free(x->slots);
	memset(x, 0, sizeof(*x));
}

static size_t key_slot_of(const struct key_index *x, uint64_t key)
{
	size_t i;

	for (i = hash_key(key) & (x->cap - 1); x->slots[i].used && x->slots[i].key != key;
	     i = (i + 1) & (x->cap - 1))
		;
	return i;
}

long key_index_find(const struct key_index *x, uint64_t key)
{
	size_t i;

	if (!x->cap)
		return -1;
	i = key_slot_of(x, key);
	return x->slots[i].used ? (long)x->slots[i].val : -1;
}

static int key_grow(struct key_index *x)
{
	size_t cap = x->cap ? x->cap * 2 : 64, i;
	struct key_index n = { calloc(cap, sizeof(struct key_slot)), cap, 0 };

	if (!n.slots)
		return -ENOMEM;
	for (i = 0; i < x->cap; i++)
		if (x->slots[i].used)
			n.slots[key_slot_of(&n, x->slots[i].key)] = x->slots[i];
	n.used = x->used;
	free(x->slots);
	*x = n;
	return 0;
}

int key_index_set(struct key_index *x, uint64_t key, uint32_t val)
{
	size_t i;

	if ((x->used + 1) * 2 > x->cap && key_grow(x))
		return -ENOMEM;
	i = key_slot_of(x, key);
	if (!x->slots[i].used)
		x->used++;
	x->slots[i].key = key;
	x->slots[i].val = val;
	x->slots[i].used = true;
	return 0;
}

void key_index_del(struct key_index *x, uint64_t key)
{
	size_t mask = x->cap - 1, i, j, home;

	if (!x->cap)
		return;
	i = key_slot_of(x, key);
	if (!x->slots[i].used)
		return;
	x->slots[i].used = false;
	x->used--;
	/* Shift back every entry of the run that probed past the hole. */
	for (j = (i + 1) & mask; x->slots[j].used; j = (j + 1) & mask) {
		home = hash_key(x->slots[j].key) & mask;
		if (((j - home) & mask) >= ((j - i) & mask)) {
			x->slots[i] = x->slots[j];
			x->slots[j].used = false;
			i = j;
		}
	}
}

void key_index_free(struct key_index *x)
{
	free(x->slots);
	memset(x, 0, sizeof(*x));
}

void key_index_clear(struct key_index *x)
{
	if (x->cap)
		memset(x->slots, 0, x->cap * sizeof(*x->slots));
	x->used = 0;
}
