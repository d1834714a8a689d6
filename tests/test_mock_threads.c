/* SPDX-License-Identifier: MIT */
/*
 * The mock is shared by contexts on several threads: four threads map and
 * unmap at once, into one domain (racing for the same table pages) or into
 * their own, and every counter must add up afterwards. Threads only count
 * what went wrong; the main thread asserts (cmocka cannot fail a test from
 * another thread).
 */
#include "mock_fixture.h"

#include <pthread.h>

#define NTHREADS 4
#define NPAGES	 1024	       /* per thread */
#define BASE	 0x40000000ull /* 1 GiB: leaf tables start fresh */

struct worker {
	struct mt *mt;
	void *dom; /* the shared domain, or NULL: allocate one */
	unsigned int idx;
	/* results */
	void *own_dom;
	unsigned int errors;
	unsigned int map_failures;
};

/* Page i of thread t: threads interleave, so they share every leaf table. */
static uint64_t shared_iova(struct mt *mt, unsigned int t, unsigned int i)
{
	return BASE + ((uint64_t)i * NTHREADS + t) * mt->page;
}

static uint64_t paddr_of(uint64_t iova)
{
	return 0x100000000ull + (iova - BASE);
}

static void *map_shared_worker(void *arg)
{
	struct worker *w = arg;
	struct mt *mt = w->mt;

	for (unsigned int i = 0; i < NPAGES; i++) {
		uint64_t iova = shared_iova(mt, w->idx, i);
		int rc = mt_map(mt, w->dom, iova, paddr_of(iova), mt->page, MT_RW);

		if (rc == -EIO)
			w->map_failures++;
		else if (rc)
			w->errors++;
	}
	return NULL;
}

static void *unmap_shared_worker(void *arg)
{
	struct worker *w = arg;
	struct mt *mt = w->mt;

	for (unsigned int i = 0; i < NPAGES; i++) {
		uint64_t pa, iova = shared_iova(mt, w->idx, i);

		/* a page whose map failed by injection is simply not there */
		if (mt->ops->iova_to_phys(mt->mock, w->dom, iova, &pa))
			continue;
		if (mt_unmap(mt, w->dom, iova, mt->page) != mt->page)
			w->errors++;
	}
	return NULL;
}

static void run_workers(struct worker *w, void *(*fn)(void *))
{
	pthread_t tid[NTHREADS];

	for (unsigned int t = 0; t < NTHREADS; t++)
		assert_int_equal(pthread_create(&tid[t], NULL, fn, &w[t]), 0);
	for (unsigned int t = 0; t < NTHREADS; t++)
		assert_int_equal(pthread_join(tid[t], NULL), 0);
}

static void map_four_threads_one_domain_counts_add_up(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);
	struct worker w[NTHREADS];
	uint64_t total = (uint64_t)NTHREADS * NPAGES;

	for (unsigned int t = 0; t < NTHREADS; t++)
		w[t] = (struct worker){ .mt = mt, .dom = dom, .idx = t };
	run_workers(w, map_shared_worker);
	for (unsigned int t = 0; t < NTHREADS; t++)
		assert_int_equal(w[t].errors + w[t].map_failures, 0);

	assert_int_equal(mock_iommu_mapped_pages(mt->mock, dom), total);
	assert_int_equal(mock_iommu_map_calls(mt->mock), total);
	assert_int_equal(mock_iommu_journal_len(mt->mock), 1 + total);
	/* 4096 pages from a 2 MiB boundary: 8 leaf tables, one L2, one L1, root */
	assert_int_equal(mock_iommu_table_pages(mt->mock, dom), 8 + 3);
	for (uint64_t p = 0; p < total; p++) {
		uint64_t iova = BASE + p * mt->page;

		assert_int_equal(mt_phys(mt, dom, iova), paddr_of(iova));
	}

	run_workers(w, unmap_shared_worker);
	for (unsigned int t = 0; t < NTHREADS; t++)
		assert_int_equal(w[t].errors, 0);
	assert_int_equal(mock_iommu_mapped_pages(mt->mock, dom), 0);
	assert_int_equal(mock_iommu_table_pages(mt->mock, dom), 1);
	assert_int_equal(mock_iommu_journal_len(mt->mock), 1 + 2 * total);
	mt_domain_free(mt, dom);
}

/* One injected fault among four racing threads fires exactly once. */
static void fail_map_four_threads_fires_exactly_once(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);
	struct worker w[NTHREADS];
	unsigned int failures = 0;

	mock_iommu_fail_map(mt->mock, NTHREADS * NPAGES / 2, -EIO);
	for (unsigned int t = 0; t < NTHREADS; t++)
		w[t] = (struct worker){ .mt = mt, .dom = dom, .idx = t };
	run_workers(w, map_shared_worker);
	for (unsigned int t = 0; t < NTHREADS; t++) {
		assert_int_equal(w[t].errors, 0);
		failures += w[t].map_failures;
	}
	assert_int_equal(failures, 1);
	assert_int_equal(mock_iommu_mapped_pages(mt->mock, dom), NTHREADS * NPAGES - 1);

	run_workers(w, unmap_shared_worker);
	for (unsigned int t = 0; t < NTHREADS; t++)
		assert_int_equal(w[t].errors, 0);
	assert_int_equal(mock_iommu_table_pages(mt->mock, dom), 1);
	mt_domain_free(mt, dom);
}

static void *own_domain_worker(void *arg)
{
	struct worker *w = arg;
	struct mt *mt = w->mt;
	uint64_t pa;

	if (mt->ops->domain_alloc(mt->mock, &w->own_dom)) {
		w->errors++;
		return NULL;
	}
	/* the same IOVAs in every domain, each its own paddr */
	for (unsigned int i = 0; i < NPAGES; i++) {
		uint64_t iova = BASE + (uint64_t)i * 2 * mt->page;

		if (mt_map(mt, w->own_dom, iova, ((uint64_t)w->idx << 40) + iova, mt->page, MT_RW))
			w->errors++;
	}
	for (unsigned int i = 0; i < NPAGES; i++) {
		uint64_t iova = BASE + (uint64_t)i * 2 * mt->page;

		if (mt->ops->iova_to_phys(mt->mock, w->own_dom, iova, &pa) ||
		    pa != ((uint64_t)w->idx << 40) + iova)
			w->errors++;
	}
	return NULL;
}

static void *own_domain_teardown_worker(void *arg)
{
	struct worker *w = arg;
	struct mt *mt = w->mt;

	for (unsigned int i = 0; i < NPAGES; i++) {
		if (mt_unmap(mt, w->own_dom, BASE + (uint64_t)i * 2 * mt->page, mt->page) !=
		    mt->page)
			w->errors++;
	}
	mt_domain_free(mt, w->own_dom);
	return NULL;
}

static void map_four_threads_own_domains_counts_add_up(void **state)
{
	struct mt *mt = *state;
	struct worker w[NTHREADS];
	unsigned int serials = 0;

	for (unsigned int t = 0; t < NTHREADS; t++)
		w[t] = (struct worker){ .mt = mt, .idx = t };
	run_workers(w, own_domain_worker);
	for (unsigned int t = 0; t < NTHREADS; t++)
		assert_int_equal(w[t].errors, 0);

	assert_int_equal(mock_iommu_domain_count(mt->mock), NTHREADS);
	assert_int_equal(mock_iommu_mapped_pages(mt->mock, NULL), NTHREADS * NPAGES);
	for (unsigned int t = 0; t < NTHREADS; t++) {
		unsigned int serial = mock_iommu_domain_serial(mt->mock, w[t].own_dom);

		assert_in_range(serial, 1, NTHREADS);
		serials |= 1u << serial;
		assert_int_equal(mock_iommu_mapped_pages(mt->mock, w[t].own_dom), NPAGES);
		/* 2048 pages' span from a 2 MiB boundary: 4 leaf tables + 3 */
		assert_int_equal(mock_iommu_table_pages(mt->mock, w[t].own_dom), 4 + 3);
	}
	/* every serial given out once */
	assert_int_equal(serials, ((1u << NTHREADS) - 1) << 1);
	assert_int_equal(mock_iommu_journal_len(mt->mock), NTHREADS * (1 + NPAGES));

	run_workers(w, own_domain_teardown_worker);
	for (unsigned int t = 0; t < NTHREADS; t++)
		assert_int_equal(w[t].errors, 0);
	assert_int_equal(mock_iommu_domain_count(mt->mock), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(map_four_threads_one_domain_counts_add_up,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(fail_map_four_threads_fires_exactly_once,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(map_four_threads_own_domains_counts_add_up,
						mt_setup_4k, mt_teardown),
	};

	return cmocka_run_group_tests_name("mock_threads", tests, NULL, NULL);
}
