/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the mock's own suites (tests/test_mock_*.c). These drive the
 * mock directly through mock_iommu_ops(), never through the core, so that
 * a mock bug shows up here and not as a puzzling core failure.
 */
#ifndef SWMSI_TEST_MOCK_FIXTURE_H
#define SWMSI_TEST_MOCK_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <swmsi/mock_iommu.h>

#define MT_RW	    (SWMSI_PROT_READ | SWMSI_PROT_WRITE)
#define MT_RWM	    (SWMSI_PROT_READ | SWMSI_PROT_WRITE | SWMSI_PROT_MMIO)
#define MT_IOVA_END (1ull << MOCK_IOMMU_IOVA_BITS)

struct mt {
	struct mock_iommu *mock;
	const struct swmsi_iommu_ops *ops;
	uint64_t page;
	/* misuse a test commits on purpose; teardown checks the count matches */
	uint64_t expected_misuse;
};

/* A mock made by mock_iommu_create_opts() with a journal of @journal_cap. */
static inline struct mt *mt_new_opts(unsigned int page_shift, size_t journal_cap)
{
	const struct mock_iommu_opts opts = {
		.page_shift = page_shift,
		.journal_cap = journal_cap,
	};
	struct mt *mt = calloc(1, sizeof(*mt));

	assert_non_null(mt);
	assert_int_equal(mock_iommu_create_opts(&opts, &mt->mock), 0);
	mt->ops = mock_iommu_ops();
	mt->page = 1ull << page_shift;
	return mt;
}

static inline struct mt *mt_new(unsigned int page_shift)
{
	struct mt *mt = calloc(1, sizeof(*mt));

	assert_non_null(mt);
	assert_int_equal(mock_iommu_create(page_shift, &mt->mock), 0);
	mt->ops = mock_iommu_ops();
	mt->page = 1ull << page_shift;
	return mt;
}

/* Fails the test if a domain, a mapping or unexpected misuse is left. */
static inline void mt_free(struct mt *mt)
{
	assert_int_equal(mock_iommu_domain_count(mt->mock), 0);
	assert_int_equal(mock_iommu_mapped_pages(mt->mock, NULL), 0);
	assert_int_equal(mock_iommu_table_pages(mt->mock, NULL), 0);
	assert_int_equal(mock_iommu_misuse_count(mt->mock), mt->expected_misuse);
	mock_iommu_destroy(mt->mock);
	free(mt);
}

static inline int mt_setup_4k(void **state)
{
	*state = mt_new(12);
	return 0;
}

static inline int mt_setup_16k(void **state)
{
	*state = mt_new(14);
	return 0;
}

static inline int mt_setup_64k(void **state)
{
	*state = mt_new(16);
	return 0;
}

static inline int mt_teardown(void **state)
{
	mt_free(*state);
	*state = NULL;
	return 0;
}

static inline void *mt_domain(struct mt *mt)
{
	void *dom = NULL;

	assert_int_equal(mt->ops->domain_alloc(mt->mock, &dom), 0);
	assert_non_null(dom);
	return dom;
}

static inline void mt_domain_free(struct mt *mt, void *dom)
{
	mt->ops->domain_free(mt->mock, dom);
}

static inline int mt_map(struct mt *mt, void *dom, uint64_t iova, uint64_t paddr, uint64_t size,
			 uint32_t prot)
{
	return mt->ops->map(mt->mock, dom, iova, paddr, size, prot);
}

static inline void mt_map_ok(struct mt *mt, void *dom, uint64_t iova, uint64_t paddr, uint64_t size,
			     uint32_t prot)
{
	assert_int_equal(mt_map(mt, dom, iova, paddr, size, prot), 0);
}

static inline size_t mt_unmap(struct mt *mt, void *dom, uint64_t iova, uint64_t size)
{
	return mt->ops->unmap(mt->mock, dom, iova, size);
}

static inline void mt_unmap_ok(struct mt *mt, void *dom, uint64_t iova, uint64_t size)
{
	assert_int_equal(mt_unmap(mt, dom, iova, size), size);
}

/* The translation of @iova, failing the test if there is none. */
static inline uint64_t mt_phys(struct mt *mt, void *dom, uint64_t iova)
{
	uint64_t pa = 0;

	assert_int_equal(mt->ops->iova_to_phys(mt->mock, dom, iova, &pa), 0);
	return pa;
}

static inline struct mock_iommu_journal_entry mt_journal_last(struct mt *mt)
{
	struct mock_iommu_journal_entry e;
	size_t len = mock_iommu_journal_len(mt->mock);

	assert_true(len > 0);
	assert_int_equal(mock_iommu_journal_get(mt->mock, len - 1, &e), 0);
	return e;
}

/* Reads back everything written to @f (a tmpfile()); free() the result. */
static inline char *mt_slurp(FILE *f)
{
	long n;
	char *buf;

	assert_int_equal(fflush(f), 0);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	return buf;
}

static inline size_t mt_count_substr(const char *haystack, const char *needle)
{
	size_t count = 0, len = strlen(needle);

	for (const char *p = strstr(haystack, needle); p; p = strstr(p + len, needle))
		count++;
	return count;
}

#endif /* SWMSI_TEST_MOCK_FIXTURE_H */
