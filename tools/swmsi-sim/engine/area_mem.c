/* SPDX-License-Identifier: MIT */
/*
 * The memory behind named areas' user VAs, one pool for the process.
 *
 * The library checks with mincore(2) that a user VA is mapped once a
 * domain needs its pages (-EFAULT, as pinning would be), so an area
 * without va= gets real memory: an anonymous mapping that reserves no RAM
 * and that nothing reads or writes. Its address has exactly the alignment
 * of the length's power of two, so that the IOVA the library allocates
 * depends on the length alone (iopt_alloc_iova() lowers the alignment to
 * the VA's), and it is asked for at a fixed address (SIM_VA_BASE up) so
 * that the output repeats from run to run; where that address cannot be
 * had (a sanitizer's or valgrind's layout) any address with that
 * alignment serves: the IOVAs stay, the VAs differ.
 *
 * Simulations share the pool: an area of one name (its index in the
 * scenario) and length gets the same memory in each, so the explorer's
 * workers, each with its own session, see the same state, and runs one
 * after another (compare) the same addresses. The memory stays mapped
 * until the process exits, held or not: the explorer and its snapshot
 * replays run a scenario's prefixes thousands of times, and mapping and
 * unmapping gigabytes each time cost valgrind minutes (it marks every
 * byte of a mapping). Nothing is ever touched, so a kept mapping costs an
 * address range and one kernel VMA, no RAM.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE */
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "engine.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* Where the pool asks for memory, in a 48-bit address space: application
 * memory for ASan (above its shadow, clear of its allocator at
 * 0x600000000000) and for TSan (its high range), below where the kernel
 * puts shared libraries and the stack. */
#define SIM_VA_BASE 0x7e8000000000ull
/* Beyond this alignment no memory is mapped: the VA is a number only. */
#define SIM_VA_MAX_ALIGN (1ull << 40)

struct area_mem {
	unsigned int name;
	uint64_t len, page; /* the key, with name */
	uint64_t va;
	void *mem;
	size_t mem_len;
	unsigned int refs;
};

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static struct area_mem *pool;
static size_t npool, cap_pool;
static uint64_t cursor; /* where the next memory is asked for */

/* The power of two at or above @len (and a page at least). */
static uint64_t pow2_at_least(uint64_t len, uint64_t page)
{
	uint64_t a = page;

	while (a < len && a < (1ull << 62))
		a <<= 1;
	return a;
}

/* Anonymous memory of @len bytes at @want, else anywhere, into @m: its VA
 * with exactly the alignment @align (va % (2 * align) == align), or 0. */
static uint64_t map_memory(struct area_mem *m, uint64_t want, uint64_t len, uint64_t align)
{
	const int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
	void *p = mmap((void *)(uintptr_t)want, (size_t)len, PROT_READ | PROT_WRITE,
		       flags | MAP_FIXED_NOREPLACE, -1, 0);

	if (p != MAP_FAILED && (uint64_t)(uintptr_t)p == want) {
		m->mem = p;
		m->mem_len = (size_t)len;
		return want;
	}
	if (p != MAP_FAILED)
		munmap(p, (size_t)len); /* a kernel that took the address as a hint */
	p = mmap(NULL, (size_t)(len + 3 * align), PROT_READ | PROT_WRITE, flags, -1, 0);
	if (p == MAP_FAILED)
		return 0;
	m->mem = p;
	m->mem_len = (size_t)(len + 3 * align);
	return (((uint64_t)(uintptr_t)p + 2 * align - 1) & ~(2 * align - 1)) + align;
}

/* A new entry for (@name, @len, @page): its memory mapped. */
static struct area_mem *pool_add(unsigned int name, uint64_t len, uint64_t page)
{
	uint64_t align = pow2_at_least(len, page), want, plen;
	struct area_mem *m;

	if (align > SIM_VA_MAX_ALIGN || !len ||
	    sim_grow((void **)&pool, &cap_pool, npool + 1, sizeof(*pool), 8))
		return NULL;
	if (!cursor)
		cursor = SIM_VA_BASE;
	want = ((cursor + 2 * align - 1) & ~(2 * align - 1)) + align;
	plen = (len + page - 1) & ~(page - 1);
	m = &pool[npool];
	*m = (struct area_mem){ name, len, page, 0, NULL, 0, 0 };
	m->va = map_memory(m, want, plen, align);
	if (!m->va)
		return NULL;
	cursor = want + plen + page; /* a guard page between areas */
	npool++;
	return m;
}

bool sim_area_mem_get(unsigned int name, uint64_t len, uint64_t page, uint64_t *va)
{
	struct area_mem *m = NULL;
	size_t i;

	*va = pow2_at_least(len, page); /* without memory: the alignment alone */
	pthread_mutex_lock(&pool_lock);
	for (i = 0; i < npool && !m; i++)
		if (pool[i].name == name && pool[i].len == len && pool[i].page == page)
			m = &pool[i];
	if (!m)
		m = pool_add(name, len, page);
	if (m) {
		m->refs++;
		*va = m->va;
	}
	pthread_mutex_unlock(&pool_lock);
	return m != NULL;
}

void sim_area_mem_put(unsigned int name, uint64_t len, uint64_t page)
{
	size_t i;

	pthread_mutex_lock(&pool_lock);
	for (i = 0; i < npool; i++)
		if (pool[i].name == name && pool[i].len == len && pool[i].page == page &&
		    pool[i].refs) {
			pool[i].refs--;
			break;
		}
	pthread_mutex_unlock(&pool_lock);
}
