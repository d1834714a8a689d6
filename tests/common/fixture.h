/* SPDX-License-Identifier: MIT */
/*
 * Shared cmocka fixture: a fresh mock and context per test, and a teardown
 * that fails the test if anything is left behind or the core misused the
 * mock. Include after <cmocka.h>'s prerequisites (stdarg, stddef, setjmp).
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
/* Destroys ctx then mock; asserts no domain left and no misuse. */
void fx_free(struct fx *fx);

/* cmocka setup/teardown pairs: *state becomes a struct fx *. */
int fx_setup(void **state);                /* 4K pages, 64 ids, reclaim none */
int fx_setup_reclaim(void **state);        /* 4K pages, 64 ids, reclaim unused */
int fx_setup_16k(void **state);
int fx_setup_64k(void **state);
int fx_teardown(void **state);

/* The default window used by tests: 1 MiB at 0x8000000, as on ARM SMMUv3. */
#define FX_WINDOW_START 0x8000000ull
#define FX_WINDOW_SIZE  0x100000ull
/* A typical GICv3 ITS translater page. */
#define FX_ITS_PAGE     0x8090000ull

/* Binds a device of @group with the default window; returns its id. */
uint32_t fx_bind(struct fx *fx, uint32_t group);
/* Binds a device of @group without a window (x86-style). */
uint32_t fx_bind_nowin(struct fx *fx, uint32_t group);
uint32_t fx_ioas(struct fx *fx);
uint32_t fx_hwpt(struct fx *fx, uint32_t ioas, uint32_t flags);

#endif
