/* SPDX-License-Identifier: MIT */
/*
 * A small id -> count hash (open addressing, linear probing, backward-shift
 * deletion). It holds the per-id counters whose key sets must stay sparse:
 * the vectors a group has on each entry it requires, and the groups that
 * need each id on a domain. Memory and iteration are proportional to the
 * ids actually used, not to the highest one, so a group whose ids sit at
 * 60000 costs what a group at 0 costs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "containers.h"

static void rehash_into(const struct swmsi_idmap *m, struct swmsi_idmap *nm)
{
	size_t i;

	for (i = 0; i < m->cap; i++) {
		if (m->keys[i]) {
			size_t j = swmsi__idmap_find_slot(nm, m->keys[i] - 1);

			nm->keys[j] = m->keys[i];
			nm->vals[j] = m->vals[i];
		}
	}
	nm->count = m->count;
}

/*
 * Walks cost O(cap), so a map that once held many ids must not keep their
 * room: below one eighth full it halves twice. Best effort: the allocation
 * is not injectable and a failure keeps the larger map, which stays correct.
 */
static void shrink(struct swmsi_idmap *m)
{
	struct swmsi_idmap nm = { 0 };

	if (m->cap <= 8 || m->count * 8 > m->cap)
		return;
	nm.cap = m->cap / 4 < 8 ? 8 : m->cap / 4;
	nm.keys = calloc(nm.cap, sizeof(*nm.keys));
	nm.vals = calloc(nm.cap, sizeof(*nm.vals));
	if (!nm.keys || !nm.vals) {
		free(nm.keys);
		free(nm.vals);
		return;
	}
	rehash_into(m, &nm);
	free(m->keys);
	free(m->vals);
	*m = nm;
}

int swmsi__idmap_reserve(struct swmsi_ctx *ctx, struct swmsi_idmap *m, size_t n)
{
	struct swmsi_idmap nm = { 0 };

	/* keep the load at or below one half */
	if (n * 2 <= m->cap)
		return 0;
	nm.cap = m->cap ? m->cap : 8;
	while (n * 2 > nm.cap)
		nm.cap *= 2;
	nm.keys = swmsi__calloc(ctx, nm.cap, sizeof(*nm.keys));
	if (!nm.keys)
		return -ENOMEM;
	nm.vals = swmsi__calloc(ctx, nm.cap, sizeof(*nm.vals));
	if (!nm.vals) {
		free(nm.keys);
		return -ENOMEM;
	}
	rehash_into(m, &nm);
	free(m->keys);
	free(m->vals);
	*m = nm;
	return 0;
}

void swmsi__idmap_release(struct swmsi_idmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

uint32_t swmsi__idmap_get(const struct swmsi_idmap *m, uint32_t id)
{
	size_t i;

	if (!m->count)
		return 0;
	i = swmsi__idmap_find_slot(m, id);
	return m->keys[i] ? m->vals[i] : 0;
}

bool swmsi__idmap_contains(const struct swmsi_idmap *m, uint32_t id)
{
	return m->count && m->keys[swmsi__idmap_find_slot(m, id)];
}

uint32_t *swmsi__idmap_slot(struct swmsi_idmap *m, uint32_t id)
{
	size_t i;

	/* the caller reserved room: inserting never allocates */
	assert(m->cap && (m->count + 1) * 2 <= m->cap);
	i = swmsi__idmap_find_slot(m, id);
	if (!m->keys[i]) {
		m->keys[i] = id + 1;
		m->vals[i] = 0;
		m->count++;
	}
	return &m->vals[i];
}

void swmsi__idmap_remove(struct swmsi_idmap *m, uint32_t id)
{
	size_t i, j, home;

	if (!m->count)
		return;
	i = swmsi__idmap_find_slot(m, id);
	if (!m->keys[i])
		return;
	/* backward shift: pull later members of the probe run into the hole */
	for (j = (i + 1) & (m->cap - 1); m->keys[j]; j = (j + 1) & (m->cap - 1)) {
		home = swmsi__idmap_bucket(m, m->keys[j] - 1);
		/* move j to i unless its home lies cyclically in (i, j] */
		if (((j - home) & (m->cap - 1)) >= ((j - i) & (m->cap - 1))) {
			m->keys[i] = m->keys[j];
			m->vals[i] = m->vals[j];
			i = j;
		}
	}
	m->keys[i] = 0;
	m->vals[i] = 0;
	m->count--;
	shrink(m);
}

size_t swmsi__idmap_next(const struct swmsi_idmap *m, size_t pos, uint32_t *id)
{
	for (; pos < m->cap; pos++) {
		if (m->keys[pos]) {
			*id = m->keys[pos] - 1;
			return pos + 1;
		}
	}
	return 0;
}

size_t swmsi__idmap_bytes(const struct swmsi_idmap *m)
{
	return m->cap * (sizeof(*m->keys) + sizeof(*m->vals));
}
