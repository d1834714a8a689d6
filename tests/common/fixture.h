/* SPDX-License-Identifier: MIT */
/*
 * Shared cmocka fixture: a fresh mock and context per test, and a teardown
 * that fails the test if anything is left behind or the core misused the
 * mock. Include after <cmocka.h>'s prerequisites (stdarg, stddef, setjmp).
 *
 * Beside it, the building blocks every suite needs (objects set up the usual
 * way, each step asserted to succeed), read-only queries, and fx_expect_*
 * helpers. An fx_expect_* helper asserts exactly what its name and comment
 * say and nothing more, so a test that calls one still shows what it checks.
 *
 * The test fixtures are one family in tests/common/, one prefix per layer
 * they stand on, since a helper of one layer must not reach into another
 * (docs/tests.md, "Fixtures"):
 *   mt_     mock_fixture.h    the mock IOMMU alone (tests/test_mock_*.c)
 *   fx_     fixture.h         a context on a mock (every API suite)
 *   snap_   snapshot.h        the whole observable state of an fx
 *   sx_     scheme_fixture.h  an fx under a named sw_msi scheme, its MSI
 *           ksnap_            table and cookies (tests/test_scheme_*.c)
 */
#ifndef SWMSI_TEST_FIXTURE_H
#define SWMSI_TEST_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>

#include <swmsi/swmsi.h>
#include <swmsi/mock_iommu.h>

struct fx {
	struct mock_iommu *mock;
	struct swmsi_ctx *ctx;
	struct swmsi_ctx_opts opts;
};

/*
 * Creates fx->mock with opts->page_shift (0 means 12) and fx->ctx with
 * @opts, iommu/iommu_priv filled in. Fails the test on error.
 */
struct fx *fx_new(const struct swmsi_ctx_opts *opts);
/*
 * Disarms every fault and unmap limit a test may have left set, destroys ctx
 * then mock; asserts no domain left and no misuse.
 */
void fx_free(struct fx *fx);

/* cmocka setup/teardown pairs: *state becomes a struct fx *. */
int fx_setup(void **state);	    /* 4K pages, 64 ids, reclaim none */
int fx_setup_reclaim(void **state); /* 4K pages, 64 ids, reclaim unused */
int fx_setup_16k(void **state);
int fx_setup_64k(void **state);
int fx_teardown(void **state);

/* The default window used by tests: 1 MiB at 0x8000000, as on ARM SMMUv3. */
#define FX_WINDOW_START 0x8000000ull
#define FX_WINDOW_SIZE	0x100000ull
/* A typical GICv3 ITS translater page. */
#define FX_ITS_PAGE 0x8090000ull

/* ------------------------------------------------------------------------ */
/* Building blocks: each call must succeed. */

/* Binds a device of @group with the default window; returns its id. */
uint32_t fx_bind(struct fx *fx, uint32_t group);
/* Binds a device of @group without a window (x86-style). */
uint32_t fx_bind_nowin(struct fx *fx, uint32_t group);
/* Binds a device of @group whose window is [@start, @start + @size). */
uint32_t fx_bind_window(struct fx *fx, uint32_t group, uint64_t start, uint64_t size);
uint32_t fx_ioas(struct fx *fx);
uint32_t fx_hwpt(struct fx *fx, uint32_t ioas, uint32_t flags);
/*
 * The guest's RMR: stage 1 of @nested maps the default window onto itself,
 * read/write, so MSI writes reach the parent's window.
 */
void fx_rmr_map(struct fx *fx, uint32_t nested);
/* A nested HWPT over @parent with the RMR mapped; returns its id. */
uint32_t fx_nested_rmr(struct fx *fx, uint32_t parent);
/*
 * A vector of @dev for the doorbell at @msi_addr; returns its handle and,
 * when @msg is not NULL, stores the message address there.
 */
uint32_t fx_msi_alloc(struct fx *fx, uint32_t dev, uint64_t msi_addr, uint64_t *msg);

/* ------------------------------------------------------------------------ */
/* Queries: each must succeed. */

/* The context's page size in bytes. */
uint64_t fx_page_size(const struct fx *fx);
struct swmsi_device_info fx_dev_info(struct fx *fx, uint32_t dev);
struct swmsi_hwpt_info fx_hwpt_info(struct fx *fx, uint32_t hwpt);
/* The HWPT @dev's group sits on, 0 if none. */
uint32_t fx_dev_hwpt(struct fx *fx, uint32_t dev);
/* @hwpt's backend domain (a nested HWPT's is its parent's). */
void *fx_domain(struct fx *fx, uint32_t hwpt);
/*
 * How many MSI map ids are present in @hwpt; copies up to @cap of them to
 * @ids (which may be NULL when @cap is 0).
 */
size_t fx_present(struct fx *fx, uint32_t hwpt, uint32_t *ids, size_t cap);
/* How many entries the context's MSI table holds. */
size_t fx_msi_map_count(struct fx *fx);
/* The listing of vector @vec of @dev; fails the test if @dev has no such vector. */
struct swmsi_vector_info fx_vector_info(struct fx *fx, uint32_t dev, uint32_t vec);
/* @full, or @quick when SWMSI_TEST_QUICK is set (and not "0"). */
unsigned int fx_iterations(unsigned int full, unsigned int quick);

/* ------------------------------------------------------------------------ */
/* Expectations. */

/* msi_alloc of @msi_addr by @dev succeeds with message address @want_msg; returns the vector. */
uint32_t fx_expect_msi_alloc(struct fx *fx, uint32_t dev, uint64_t msi_addr, uint64_t want_msg);
/* Vector @vec of @dev fires and the write lands at @paddr. */
void fx_expect_fire(struct fx *fx, uint32_t dev, uint32_t vec, uint64_t paddr);
/* Firing vector @vec of @dev fails with @err and leaves the out-parameter alone. */
void fx_expect_fire_fails(struct fx *fx, uint32_t dev, uint32_t vec, int err);
/* @hwpt's domain maps @iova to @paddr with the MSI page prot, R|W|MMIO. */
void fx_expect_msi_page(struct fx *fx, uint32_t hwpt, uint64_t iova, uint64_t paddr);

#endif
