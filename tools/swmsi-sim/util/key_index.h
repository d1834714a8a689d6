/* SPDX-License-Identifier: MIT */
/*
 * Hash indexes, so that a name, a vector label or an object id resolves in
 * constant time whatever the scenario's size: scenario names and labels
 * (strings, scoped: a vector label belongs to its device) and run-time
 * keys (an object id, a device's vector handle) to an index. A leaf: it
 * calls nothing of the simulator's.
 */
#ifndef SWMSI_SIM_KEY_INDEX_H
#define SWMSI_SIM_KEY_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A map from (scope, string) to an index; the strings are the caller's. */
struct name_index {
	struct name_slot *slots; /* open addressing, linear probing */
	size_t cap, used;	 /* cap: a power of two, or 0 */
};

/* Where @s (@len bytes) in @scope is, or -1. */
long name_index_find(const struct name_index *x, uint32_t scope, const char *s, size_t len);
/* Record @s (NUL-terminated, kept by the caller while indexed) in @scope as
 * @idx. Returns 0 or -ENOMEM. */
int name_index_add(struct name_index *x, uint32_t scope, const char *s, uint32_t idx);
void name_index_free(struct name_index *x);

/* A map from a 64-bit key to a 32-bit value, with removal. */
struct key_index {
	struct key_slot *slots;
	size_t cap, used;
};

/* The value of @key, or -1. */
long key_index_find(const struct key_index *x, uint64_t key);
/* Set @key to @val (replacing). Returns 0 or -ENOMEM. */
int key_index_set(struct key_index *x, uint64_t key, uint32_t val);
/* Forget @key (nothing when absent). */
void key_index_del(struct key_index *x, uint64_t key);
void key_index_free(struct key_index *x);
/* Forget every key, keeping the table for the keys to come. */
void key_index_clear(struct key_index *x);

#endif /* SWMSI_SIM_KEY_INDEX_H */
