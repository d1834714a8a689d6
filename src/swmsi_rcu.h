/* SPDX-License-Identifier: MIT */
/*
 * Read-mostly paths without a lock: a small sleepable-RCU (SRCU-style)
 * grace-period scheme, and a pointer index readers can probe while a
 * writer changes it. Header-only (static inlines), shared by the core
 * (msi_fire, hwpt_iova_to_phys) and by the mock (iova_to_phys), so no
 * file of either library calls into another for it.
 *
 * Readers increment a counter in one of SWMSI_RCU_SLOTS cache lines
 * (chosen per thread) under the current phase, read, and decrement it.
 * A writer, serialised by its owner's lock, unpublishes what it will
 * free, then swmsi_rcu_synchronize(): wait for the other phase to drain,
 * flip the phase, wait for the old phase to drain. After that no reader
 * that could have seen the unpublished memory is still running. Readers
 * never write a shared line (each thread has its own slot), so reads
 * scale with threads; writers pay O(slots) per grace period, only where
 * they free something a reader can reach.
 *
 * Written with C11 atomics so ThreadSanitizer sees every happens-before:
 * a reader's release decrement is what the writer's acquire load reads
 * before it frees. The reader's increment and its pointer loads, and the
 * writer's unpublishing store and its counter loads, are seq_cst: the
 * store-buffering shape that makes the grace period sound.
 */
#ifndef SWMSI_RCU_H
#define SWMSI_RCU_H

#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#define SWMSI_RCU_SLOTS 64u

/* 64 bytes apart, counters first: two slots' counters never share a line
 * whatever the allocator's alignment of the owner (at least 16). */
struct swmsi_rcu_slot {
	atomic_ulong cnt[2];
	char pad[64 - 2 * sizeof(atomic_ulong)];
};

struct swmsi_rcu {
	/* read by every reader: never on a line a reader writes */
	atomic_uint phase;
	char pad[64 - sizeof(atomic_uint)];
	struct swmsi_rcu_slot slot[SWMSI_RCU_SLOTS];
};

/* Per translation unit on purpose: any stable per-thread number spreads
 * the threads; the first SWMSI_RCU_SLOTS threads of a file get their own. */
static _Thread_local unsigned int swmsi_rcu_tid __attribute__((unused));
static atomic_uint swmsi_rcu_next_tid __attribute__((unused));

static inline unsigned int swmsi_rcu_slot_of_thread(void)
{
	if (!swmsi_rcu_tid)
		swmsi_rcu_tid =
			atomic_fetch_add_explicit(&swmsi_rcu_next_tid, 1, memory_order_relaxed) + 1;
	return (swmsi_rcu_tid - 1) % SWMSI_RCU_SLOTS;
}

/* Enter a read section; the token goes to swmsi_rcu_read_unlock(). A read
 * section must not block on anything a writer holds while it waits. */
static inline unsigned int swmsi_rcu_read_lock(struct swmsi_rcu *r)
{
	unsigned int s = swmsi_rcu_slot_of_thread();
	unsigned int p = atomic_load_explicit(&r->phase, memory_order_relaxed) & 1u;

	atomic_fetch_add_explicit(&r->slot[s].cnt[p], 1, memory_order_seq_cst);
	return s * 2 + p;
}

static inline void swmsi_rcu_read_unlock(struct swmsi_rcu *r, unsigned int token)
{
	atomic_fetch_sub_explicit(&r->slot[token / 2].cnt[token & 1u], 1, memory_order_release);
}

static inline void swmsi_rcu_wait_phase(struct swmsi_rcu *r, unsigned int p)
{
	unsigned int s;

	for (s = 0; s < SWMSI_RCU_SLOTS; s++) {
		/* read sections are a few hundred instructions: yield, the
		 * reader may be waiting for this CPU */
		while (atomic_load_explicit(&r->slot[s].cnt[p], memory_order_seq_cst))
			sched_yield();
	}
}

/* Wait until every read section begun before this call has ended. The
 * caller holds the lock that serialises the owner's writers. */
static inline void swmsi_rcu_synchronize(struct swmsi_rcu *r)
{
	unsigned int p;

	atomic_thread_fence(memory_order_seq_cst);
	p = atomic_load_explicit(&r->phase, memory_order_relaxed) & 1u;
	/* readers that read the phase before the last flip but counted late */
	swmsi_rcu_wait_phase(r, p ^ 1u);
	atomic_store_explicit(&r->phase, p ^ 1u, memory_order_seq_cst);
	swmsi_rcu_wait_phase(r, p);
}

/* ------------------------------------------------------------------ */
/* A pointer index readers probe without a lock                        */

/*
 * Open addressing over pointers (NULL empty, SWMSI_RCU_TOMB deleted), keyed
 * by a number the caller derives from the pointer (an object's id, a
 * handle's address): the caller's probe compares. Writers (serialised)
 * insert into a free or deleted bucket and delete by tombstone; growing
 * copies into a new table, publishes it, waits a grace period and frees
 * the old one. Lookups are O(1) expected, insertions allocate only in
 * swmsi_rcu_index_reserve().
 */
#define SWMSI_RCU_TOMB ((void *)(uintptr_t)1)

struct swmsi_rcu_table {
	size_t mask;
	_Atomic(void *) slot[];
};

struct swmsi_rcu_index {
	_Atomic(struct swmsi_rcu_table *) tab;
	size_t live;
	size_t used; /* live + tombstones */
};

static inline size_t swmsi_rcu_hash(uint64_t key)
{
	key *= UINT64_C(0x9e3779b97f4a7c15);
	return (size_t)(key ^ (key >> 29));
}

typedef uint64_t (*swmsi_rcu_key_fn)(const void *p);

/* Writers: the bucket of @key's pointer (present). */
static inline size_t swmsi_rcu_index_bucket_of(struct swmsi_rcu_table *t, uint64_t key,
					       swmsi_rcu_key_fn keyof)
{
	size_t i;

	for (i = swmsi_rcu_hash(key) & t->mask;; i = (i + 1) & t->mask) {
		void *p = atomic_load_explicit(&t->slot[i], memory_order_relaxed);

		if (!p || (p != SWMSI_RCU_TOMB && keyof(p) == key))
			return i;
	}
}

/* Writers: the first empty or deleted bucket of @key's probe sequence. */
static inline size_t swmsi_rcu_index_bucket_free(struct swmsi_rcu_table *t, uint64_t key)
{
	size_t i;

	for (i = swmsi_rcu_hash(key) & t->mask;; i = (i + 1) & t->mask) {
		void *p = atomic_load_explicit(&t->slot[i], memory_order_relaxed);

		if (!p || p == SWMSI_RCU_TOMB)
			return i;
	}
}

/* Reader (inside a read section) or writer: the pointer with @key, or NULL. */
static inline void *swmsi_rcu_index_find(struct swmsi_rcu_index *ix, uint64_t key,
					 swmsi_rcu_key_fn keyof)
{
	struct swmsi_rcu_table *t = atomic_load_explicit(&ix->tab, memory_order_seq_cst);
	size_t i;

	if (!t)
		return NULL;
	for (i = swmsi_rcu_hash(key) & t->mask;; i = (i + 1) & t->mask) {
		void *p = atomic_load_explicit(&t->slot[i], memory_order_seq_cst);

		if (!p)
			return NULL;
		if (p != SWMSI_RCU_TOMB && keyof(p) == key)
			return p;
	}
}

/*
 * Writer: room for one more insertion (load, tombstones included, at most
 * one half). @alloc is the owner's zeroing allocator (its fault injection
 * applies); -ENOMEM leaves the index as it was.
 */
static inline int swmsi_rcu_index_reserve(struct swmsi_rcu *r, struct swmsi_rcu_index *ix,
					  swmsi_rcu_key_fn keyof,
					  void *(*alloc)(void *arg, size_t size), void *arg)
{
	struct swmsi_rcu_table *t = atomic_load_explicit(&ix->tab, memory_order_relaxed), *nt;
	size_t cap = t ? t->mask + 1 : 0, ncap = 16, i;

	if ((ix->used + 1) * 2 <= cap)
		return 0;
	while (ncap < (ix->live + 1) * 4)
		ncap *= 2;
	nt = alloc(arg, sizeof(*nt) + ncap * sizeof(nt->slot[0]));
	if (!nt)
		return -12; /* -ENOMEM, without <errno.h> in every includer */
	nt->mask = ncap - 1;
	for (i = 0; i < cap; i++) {
		void *p = atomic_load_explicit(&t->slot[i], memory_order_relaxed);

		if (p && p != SWMSI_RCU_TOMB)
			atomic_store_explicit(&nt->slot[swmsi_rcu_index_bucket_free(nt, keyof(p))],
					      p, memory_order_relaxed);
	}
	atomic_store_explicit(&ix->tab, nt, memory_order_seq_cst);
	ix->used = ix->live;
	if (t) {
		swmsi_rcu_synchronize(r);
		free(t);
	}
	return 0;
}

/* Writer: insert @p (room reserved; its key must be absent). Cannot fail. */
static inline void swmsi_rcu_index_insert(struct swmsi_rcu_index *ix, void *p,
					  swmsi_rcu_key_fn keyof)
{
	struct swmsi_rcu_table *t = atomic_load_explicit(&ix->tab, memory_order_relaxed);
	size_t i = swmsi_rcu_index_bucket_free(t, keyof(p));

	if (!atomic_load_explicit(&t->slot[i], memory_order_relaxed))
		ix->used++;
	ix->live++;
	/* what @p points to was written before: readers acquire it here */
	atomic_store_explicit(&t->slot[i], p, memory_order_seq_cst);
}

/* Writer: unpublish the pointer with @key (present). The caller waits a
 * grace period before freeing it. */
static inline void swmsi_rcu_index_remove(struct swmsi_rcu_index *ix, uint64_t key,
					  swmsi_rcu_key_fn keyof)
{
	struct swmsi_rcu_table *t = atomic_load_explicit(&ix->tab, memory_order_relaxed);
	size_t i = swmsi_rcu_index_bucket_of(t, key, keyof);

	atomic_store_explicit(&t->slot[i], SWMSI_RCU_TOMB, memory_order_seq_cst);
	ix->live--;
}

/* No reader may run any more (the owner is being destroyed). */
static inline void swmsi_rcu_index_fini(struct swmsi_rcu_index *ix)
{
	free(atomic_load_explicit(&ix->tab, memory_order_relaxed));
	atomic_store_explicit(&ix->tab, NULL, memory_order_relaxed);
	ix->live = ix->used = 0;
}

#endif /* SWMSI_RCU_H */
