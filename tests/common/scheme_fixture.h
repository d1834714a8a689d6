/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the suites that specify the three sw_msi schemes
 * (tests/test_scheme_*.c, API.md "Schemes (v0.2)"): fixtures per scheme,
 * readers for the MSI table and a HWPT's dma-iommu cookie, and a partial
 * snapshot ("ksnap") for what a failure under SWMSI_SCHEME_KERNEL leaves.
 *
 * The common snapshot (tests/common/snapshot.h) checks that a failed call
 * changed nothing; under KERNEL a failed call may keep a table entry or
 * leave pages in the target domain, on purpose, so the ksnap records the
 * same things and lets a test say exactly which difference is allowed.
 */
#ifndef SWMSI_TEST_SCHEME_FIXTURE_H
#define SWMSI_TEST_SCHEME_FIXTURE_H

#include "fixture.h"

#include <stdbool.h>

/* What a MSI page is mapped with: R|W|MMIO (NATIVE, KERNEL), W|MMIO (dma-iommu). */
#define SX_PROT_MSI    (SWMSI_PROT_READ | SWMSI_PROT_WRITE | SWMSI_PROT_MMIO)
#define SX_PROT_COOKIE (SWMSI_PROT_WRITE | SWMSI_PROT_MMIO)

/* cmocka setup functions: 4K pages, 64 ids, reclaim none, the named scheme. */
int sx_setup_native(void **state);
int sx_setup_kernel(void **state);
int sx_setup_kernel_64k(void **state);
int sx_setup_dma(void **state);

/* A fresh fx under @scheme with @page_shift (0 means 12), reclaim none. */
struct fx *sx_new(enum swmsi_scheme scheme, unsigned int page_shift);

/*
 * swmsi_ctx_create() with @scheme, @reclaim and @max_msi_maps on a fresh
 * 4K mock; returns its result (a context made is destroyed at once) and
 * asserts the out-parameter is untouched on failure.
 */
int sx_create_rc(enum swmsi_scheme scheme, enum swmsi_reclaim reclaim, unsigned int max);

/* Doorbell @i: one 64K-aligned ITS-like page each, offset 0x40 inside it. */
uint64_t sx_db(unsigned int i);
/* @addr rounded down to the fx's page size. */
uint64_t sx_page_of(const struct fx *fx, uint64_t addr);

/* The MSI table, all of it; *n gets the count. Free with free(). */
struct swmsi_msi_map_info *sx_maps(struct fx *fx, size_t *n);
/* The table entry with id @id; fails the test if there is none. */
struct swmsi_msi_map_info sx_map_by_id(struct fx *fx, uint32_t id);
/* The table entry for @page (page address) in window @start; fails if none. */
struct swmsi_msi_map_info sx_map_by_page(struct fx *fx, uint64_t start, uint64_t page);

/*
 * @hwpt's cookie; copies up to @cap pages to @pages and returns the page
 * count swmsi_hwpt_msi_cookie() reports. Fails the test on error.
 */
size_t sx_cookie(struct fx *fx, uint32_t hwpt, struct swmsi_msi_cookie_info *info,
		 struct swmsi_msi_cookie_page *pages, size_t cap);
/* @hwpt reports no cookie: inactive, zero fields, no pages. */
void sx_expect_no_cookie(struct fx *fx, uint32_t hwpt);
/* @hwpt's cookie is active with @base, @next_iova and @pages pages. */
void sx_expect_cookie(struct fx *fx, uint32_t hwpt, uint64_t base, uint64_t next_iova,
		      uint32_t pages);

/* @hwpt's domain maps @iova to @paddr with exactly @prot. */
void sx_expect_mapped(struct fx *fx, uint32_t hwpt, uint64_t iova, uint64_t paddr, uint32_t prot);
/* @hwpt's domain maps nothing at @iova. */
void sx_expect_unmapped(struct fx *fx, uint32_t hwpt, uint64_t iova);
/* Pages mapped in @hwpt's domain. */
uint64_t sx_mapped(struct fx *fx, uint32_t hwpt);

/* ------------------------------------------------------------------------ */
/* ksnap: a partial snapshot with named allowances. */

#define SX_MAX_HWPTS 8
#define SX_MAX_DEVS  8

struct ksnap;

/*
 * Records the object list, the MSI table, and for each of the @nh HWPTs in
 * @hwpts its present ids and domain ranges (paging ones), for each of the
 * @nd devices in @devs its info, vectors and where each fires now.
 */
struct ksnap *ksnap_take(struct fx *fx, const uint32_t *hwpts, size_t nh, const uint32_t *devs,
			 size_t nd);
void ksnap_free(struct ksnap *k);

/* What a KERNEL failure may leave behind, on top of the state before it. */
struct ksnap_allow {
	/* Table entries added at its end (highest ids), each with 0 vectors. */
	size_t new_maps;
	/*
	 * The paging HWPT that may have gained present ids and pages (0: none),
	 * and how many: each new id is an entry of the table, its page mapped
	 * at the entry's IOVA to its doorbell page, R|W|MMIO, nothing else.
	 */
	uint32_t grown_hwpt;
	size_t grown;
};

/*
 * Asserts @fx shows what @before shows except exactly what @allow permits;
 * frees @before. @label names the step in a failure message.
 */
void ksnap_expect(struct fx *fx, struct ksnap *before, const struct ksnap_allow *allow,
		  const char *label);

#endif
