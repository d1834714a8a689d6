/* SPDX-License-Identifier: MIT */
/*
 * Lock-free MSI delivery under churn: msi_fire and
 * hwpt_iova_to_phys run without the context lock, so this suite fires from
 * several threads while the main thread replaces, detaches, re-attaches,
 * unbinds, binds and destroys, thousands of times, under each scheme.
 *
 * What must hold (API.md atomicity):
 *  - NATIVE and KERNEL: a vector of a group that only ever moves between
 *    HWPTs holding its pages (replace) fires to its doorbell at every
 *    instant, under RECLAIM_NONE and (NATIVE) RECLAIM_UNUSED;
 *  - every scheme: a vector of a group that detaches fires to its doorbell
 *    or gets -EFAULT; a device or HWPT that comes and goes answers 0 with
 *    the right address, or -ENOENT/-EFAULT, never anything else;
 *  - nothing is read after it is freed (ASan, valgrind) and every access is
 *    ordered (TSan).
 * SWMSI_TEST_QUICK shrinks the counts.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <swmsi/mock_iommu.h>
#include <swmsi/swmsi.h>

#define NFIRERS	  2
#define WIN_START 0x8000000ull
#define WIN_SIZE  0x100000ull
#define DB(i)	  (0xfee00000ull + (uint64_t)(i)*0x1000)

struct stress {
	struct mock_iommu *mock;
	struct swmsi_ctx *ctx;
	enum swmsi_scheme scheme;
	uint32_t ioas, a, b;
	uint32_t mover, mover_vec;	 /* replaced A <-> B */
	uint32_t hopper, hopper_vec;	 /* detached and re-attached */
	_Atomic uint32_t transient;	 /* bound and unbound; 0 when none */
	_Atomic uint32_t transient_hwpt; /* allocated and destroyed */
	atomic_bool stop;
	atomic_ulong fires, bad;
};

static uint32_t bind_dev(struct stress *s, uint32_t group)
{
	struct swmsi_device_desc d = { .group = group,
				       .sw_msi_start = WIN_START,
				       .sw_msi_size = WIN_SIZE };
	uint32_t id;

	assert_int_equal(swmsi_device_bind(s->ctx, &d, &id), 0);
	return id;
}

static void bad(struct stress *s)
{
	atomic_fetch_add(&s->bad, 1);
}

static void fire_checks(struct stress *s)
{
	uint32_t dev = atomic_load(&s->transient), hw = atomic_load(&s->transient_hwpt);
	uint64_t pa = 0;
	int rc;

	/* the mover only ever replaces: lost only where the scheme loses it */
	rc = swmsi_msi_fire(s->ctx, s->mover, s->mover_vec, &pa);
	if (s->scheme == SWMSI_SCHEME_DMA_IOMMU ? rc && rc != -EFAULT : rc || pa != DB(1) + 4)
		bad(s);
	rc = swmsi_msi_fire(s->ctx, s->hopper, s->hopper_vec, &pa);
	if (rc ? rc != -EFAULT : s->scheme != SWMSI_SCHEME_DMA_IOMMU && pa != DB(2) + 8)
		bad(s);
	if (dev) {
		rc = swmsi_msi_fire(s->ctx, dev, 0, &pa);
		if (rc ? rc != -ENOENT && rc != -EFAULT
		       : s->scheme != SWMSI_SCHEME_DMA_IOMMU && pa != DB(3))
			bad(s);
	}
	if (hw) {
		rc = swmsi_hwpt_iova_to_phys(s->ctx, hw, 0x100000, &pa);
		if (rc ? rc != -ENOENT : pa != 0x40000000)
			bad(s);
	}
	atomic_fetch_add(&s->fires, 1);
}

static void *firer_main(void *arg)
{
	struct stress *s = arg;

	while (!atomic_load(&s->stop))
		fire_checks(s);
	/* at least a few, even if the main thread finished first */
	fire_checks(s);
	return NULL;
}

static void setup(struct stress *s, enum swmsi_scheme scheme, enum swmsi_reclaim reclaim)
{
	struct swmsi_ctx_opts o = { .page_shift = 12, .reclaim = reclaim, .scheme = scheme };
	uint64_t msg;

	memset(s, 0, sizeof(*s));
	s->scheme = scheme;
	assert_int_equal(mock_iommu_create(12, &s->mock), 0);
	o.iommu = mock_iommu_ops();
	o.iommu_priv = s->mock;
	assert_int_equal(swmsi_ctx_create(&o, &s->ctx), 0);
	assert_int_equal(swmsi_ioas_alloc(s->ctx, &s->ioas), 0);
	assert_int_equal(swmsi_ioas_map(s->ctx, s->ioas, 0x100000, 0x40000000, 0x1000,
					SWMSI_PROT_READ | SWMSI_PROT_WRITE),
			 0);
	assert_int_equal(swmsi_hwpt_alloc(s->ctx, s->ioas, 0, &s->a), 0);
	assert_int_equal(swmsi_hwpt_alloc(s->ctx, s->ioas, 0, &s->b), 0);
	s->mover = bind_dev(s, 1);
	s->hopper = bind_dev(s, 2);
	assert_int_equal(swmsi_device_attach(s->ctx, s->mover, s->a), 0);
	assert_int_equal(swmsi_device_attach(s->ctx, s->hopper, s->a), 0);
	assert_int_equal(swmsi_msi_alloc(s->ctx, s->mover, DB(1) + 4, &s->mover_vec, &msg), 0);
	assert_int_equal(swmsi_msi_alloc(s->ctx, s->hopper, DB(2) + 8, &s->hopper_vec, &msg), 0);
}

/* One step of churn: a replace every time, the rest in turn. */
static void churn_step(struct stress *s, unsigned int i)
{
	uint32_t id, vec;
	uint64_t msg;

	assert_int_equal(swmsi_device_replace(s->ctx, s->mover, i % 2 ? s->a : s->b), 0);
	switch (i % 4) {
	case 0:
		assert_int_equal(swmsi_device_detach(s->ctx, s->hopper), 0);
		assert_int_equal(swmsi_device_attach(s->ctx, s->hopper, i % 8 ? s->b : s->a), 0);
		break;
	case 1:
		id = bind_dev(s, 3);
		assert_int_equal(swmsi_device_attach(s->ctx, id, s->ioas), 0);
		/* grows the vector array: the old one goes after a grace period */
		assert_int_equal(swmsi_msi_alloc(s->ctx, id, DB(3), &vec, &msg), 0);
		atomic_store(&s->transient, id);
		break;
	case 2:
		id = atomic_exchange(&s->transient, 0);
		/* the device, its group and the automatic HWPT go */
		assert_int_equal(swmsi_device_unbind(s->ctx, id), 0);
		assert_int_equal(swmsi_hwpt_alloc(s->ctx, s->ioas, 0, &id), 0);
		atomic_store(&s->transient_hwpt, id);
		break;
	default:
		id = atomic_exchange(&s->transient_hwpt, 0);
		assert_int_equal(swmsi_destroy(s->ctx, id), 0);
		break;
	}
}

static void run(enum swmsi_scheme scheme, enum swmsi_reclaim reclaim)
{
	unsigned int n = getenv("SWMSI_TEST_QUICK") ? 200 : 2000, i;
	pthread_t th[NFIRERS];
	struct stress s;

	setup(&s, scheme, reclaim);
	for (i = 0; i < NFIRERS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, firer_main, &s), 0);
	for (i = 0; i < n; i++)
		churn_step(&s, i);
	atomic_store(&s.stop, true);
	for (i = 0; i < NFIRERS; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	assert_int_equal(atomic_load(&s.bad), 0);
	assert_true(atomic_load(&s.fires) >= NFIRERS);
	swmsi_ctx_destroy(s.ctx);
	assert_int_equal(mock_iommu_misuse_count(s.mock), 0);
	assert_int_equal(mock_iommu_domain_count(s.mock), 0);
	mock_iommu_destroy(s.mock);
}

static void native_fires_through_churn_land_or_fault(void **state)
{
	(void)state;
	run(SWMSI_SCHEME_NATIVE, SWMSI_RECLAIM_NONE);
}

static void native_reclaim_unused_fires_through_churn_land_or_fault(void **state)
{
	(void)state;
	run(SWMSI_SCHEME_NATIVE, SWMSI_RECLAIM_UNUSED);
}

static void kernel_fires_through_churn_land_or_fault(void **state)
{
	(void)state;
	run(SWMSI_SCHEME_KERNEL, SWMSI_RECLAIM_NONE);
}

static void dma_iommu_fires_through_churn_never_read_freed_memory(void **state)
{
	(void)state;
	run(SWMSI_SCHEME_DMA_IOMMU, SWMSI_RECLAIM_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(native_fires_through_churn_land_or_fault),
		cmocka_unit_test(native_reclaim_unused_fires_through_churn_land_or_fault),
		cmocka_unit_test(kernel_fires_through_churn_land_or_fault),
		cmocka_unit_test(dma_iommu_fires_through_churn_never_read_freed_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
