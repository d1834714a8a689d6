/* SPDX-License-Identifier: MIT */
/*
 * Several threads on one context under each sw_msi scheme (API.md "Schemes
 * (v0.2)": threads and atomicity are the same under every scheme; what a
 * fire may do after a move is not). tests/test_concurrency.c keeps NATIVE's
 * own, stronger suite; this one runs the same kind of churn everywhere:
 *  - churn: two workers allocate, fire and free vectors on their devices
 *    (sharing doorbell pages) while two movers replace their groups between
 *    three HWPTs, every fourth move a detach and an attach;
 *  - race: four groups on four domains allocate the same sixteen doorbells
 *    at once, round after round.
 * What is asserted depends on the scheme:
 *  - NATIVE, KERNEL: a translated vector fired while its group stays
 *    attached lands on its own doorbell, whatever moves happened before;
 *    one IOVA per doorbell page context-wide;
 *  - DMA_IOMMU: a fire may be lost or misrouted after a move, so only: a
 *    vector fired with no move since its allocation lands on its doorbell;
 *    any write that lands lands on some doorbell page at the right offset;
 *    every cookie stays well formed (base, then one page after another, each
 *    doorbell once, mapped W|MMIO), and the context-wide table stays empty.
 * Every scheme: no call fails that should not, and TSan finds no race.
 *
 * Threads never call cmocka asserts: they count violations in atomics the
 * main thread checks after joining. SWMSI_TEST_QUICK shrinks the counts.
 */
/* pthread barriers are POSIX, hidden by -std=c17 without this. */
#define _POSIX_C_SOURCE 200809L

#include "scheme_fixture.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#define W	 FX_WINDOW_START
#define PAGE	 0x1000ull
#define NR_PAGES 8u
#define NR_HWPTS 3
#define RING	 6
#define NDEV	 2

/* The doorbell page the churn's address i lies in (page aligned). */
static uint64_t db(unsigned int i)
{
	return sx_db(i % NR_PAGES) & ~(PAGE - 1);
}

struct errs {
	atomic_ulong n;
	atomic_uint printed;
};

static void report(struct errs *e, const char *what, int rc, uint64_t a, uint64_t b)
{
	atomic_fetch_add(&e->n, 1);
	if (atomic_fetch_add(&e->printed, 1) < 5)
		fprintf(stderr, "%s: rc %d (0x%llx, 0x%llx)\n", what, rc, (unsigned long long)a,
			(unsigned long long)b);
}

/* @paddr is some doorbell page of the churn with @addr's offset. */
static bool on_some_doorbell(uint64_t paddr, uint64_t addr)
{
	unsigned int i;

	for (i = 0; i < NR_PAGES; i++)
		if ((paddr & ~(PAGE - 1)) == (db(i) & ~(PAGE - 1)))
			return (paddr & (PAGE - 1)) == (addr & (PAGE - 1));
	return false;
}

/* ---------------------------------------------------------------------- */
/* Churn                                                                  */

struct churn {
	struct swmsi_ctx *ctx;
	bool strict;	      /* NATIVE or KERNEL: moves lose nothing */
	bool blocked_refuses; /* KERNEL: a detached window group refuses msi_alloc */
	uint32_t hwpt[NR_HWPTS];
	uint32_t dev[NDEV];
	/* Bumped before and after each move: odd while one is in flight. */
	atomic_uint gen[NDEV];
	unsigned int moves;
	atomic_bool stop;
	/* Workers that have fired once: the movers wait for all of them, so a
	 * loaded machine that schedules the movers first still races them
	 * against fires (fires > 0 is asserted). */
	atomic_uint firing;
	atomic_ulong fires, exact;
	struct errs lost;   /* a fire that had to land did not */
	struct errs wrong;  /* landed on the wrong doorbell, or a bad msg_addr */
	struct errs failed; /* a call that should succeed did not */
};

struct vec {
	uint32_t v;
	uint64_t addr, msg;
	unsigned int gen; /* the stable generation it was made in, or UINT32_MAX */
};

struct churn_arg {
	struct churn *c;
	unsigned int idx;
};

static void check_msg(struct churn *c, const struct vec *x)
{
	uint64_t limit = c->strict ? FX_WINDOW_SIZE : NR_PAGES * PAGE;

	if (x->msg == x->addr) /* untranslated: allocated while detached */
		return;
	if (x->msg < W || x->msg >= W + limit || (x->msg & (PAGE - 1)) != (x->addr & (PAGE - 1)))
		report(&c->wrong, "msg_addr", 0, x->addr, x->msg);
}

static void fire_one(struct churn *c, unsigned int idx, const struct vec *x)
{
	unsigned int p0 = atomic_load(&c->gen[idx]);
	uint64_t paddr = 0;
	int rc = swmsi_msi_fire(c->ctx, c->dev[idx], x->v, &paddr);
	unsigned int p1 = atomic_load(&c->gen[idx]);
	bool attached = p0 == p1 && !(p0 & 1);
	/* Strict schemes: any translated vector; dma-iommu: no move since its alloc. */
	bool must = attached && x->msg != x->addr && (c->strict || p0 == x->gen);

	atomic_fetch_add(&c->fires, 1);
	if (rc && rc != -EFAULT)
		report(&c->failed, "msi_fire", rc, c->dev[idx], x->addr);
	else if (rc && must)
		report(&c->lost, "msi_fire lost", rc, x->addr, x->msg);
	else if (!rc && must && paddr != x->addr)
		report(&c->wrong, "msi_fire landed", 0, x->addr, paddr);
	else if (!rc && x->msg != x->addr && !on_some_doorbell(paddr, x->addr))
		report(&c->wrong, "msi_fire off every doorbell", 0, x->addr, paddr);
	if (!rc && must)
		atomic_fetch_add(&c->exact, 1);
}

static void *worker_main(void *arg)
{
	struct churn_arg *wa = arg;
	struct churn *c = wa->c;
	struct vec ring[RING];
	unsigned int live = 0, k = 0, i;

	while (!atomic_load(&c->stop)) {
		struct vec x = { .addr = db(k * 3 + wa->idx) + ((k * 0x44u) & (PAGE - 4)) };
		unsigned int g0 = atomic_load(&c->gen[wa->idx]), g1;
		int rc = swmsi_msi_alloc(c->ctx, c->dev[wa->idx], x.addr, &x.v, &x.msg);

		g1 = atomic_load(&c->gen[wa->idx]);
		x.gen = g0 == g1 && !(g0 & 1) ? g0 : UINT32_MAX;
		/* KERNEL: a device detached mid-move sits on its group's
		 * blocking domain, which refuses the sw_msi path; never
		 * while no move is in flight */
		if (rc == -EOPNOTSUPP && c->blocked_refuses && x.gen == UINT32_MAX)
			continue;
		if (rc) {
			report(&c->failed, "msi_alloc", rc, c->dev[wa->idx], x.addr);
		} else {
			check_msg(c, &x);
			if (live == RING) {
				rc = swmsi_msi_free(c->ctx, c->dev[wa->idx], ring[0].v);
				if (rc)
					report(&c->failed, "msi_free", rc, c->dev[wa->idx],
					       ring[0].v);
				for (i = 1; i < RING; i++)
					ring[i - 1] = ring[i];
				live--;
			}
			ring[live++] = x;
		}
		for (i = 0; i < live; i++)
			fire_one(c, wa->idx, &ring[i]);
		if (k++ == 0)
			atomic_fetch_add(&c->firing, 1);
		sched_yield();
	}
	for (i = 0; i < live; i++)
		if (swmsi_msi_free(c->ctx, c->dev[wa->idx], ring[i].v))
			report(&c->failed, "msi_free", -1, c->dev[wa->idx], ring[i].v);
	return NULL;
}

static void *mover_main(void *arg)
{
	struct churn_arg *ra = arg;
	struct churn *c = ra->c;
	uint32_t dev = c->dev[ra->idx];

	while (atomic_load(&c->firing) < NDEV)
		sched_yield();
	for (unsigned int k = 0; k < c->moves; k++) {
		uint32_t to = c->hwpt[(k + ra->idx + 1) % NR_HWPTS];
		int rc;

		atomic_fetch_add(&c->gen[ra->idx], 1);
		if (k % 4 == 3) {
			rc = swmsi_device_detach(c->ctx, dev);
			if (rc)
				report(&c->failed, "device_detach", rc, dev, 0);
			rc = swmsi_device_attach(c->ctx, dev, to);
			if (rc)
				report(&c->failed, "device_attach", rc, dev, to);
		} else {
			rc = swmsi_device_replace(c->ctx, dev, to);
			if (rc)
				report(&c->failed, "device_replace", rc, dev, to);
		}
		atomic_fetch_add(&c->gen[ra->idx], 1);
		sched_yield();
	}
	return NULL;
}

/* A dma-iommu cookie: base W, then one page after another, each doorbell once. */
static void expect_cookie_well_formed(struct fx *fx, uint32_t hwpt)
{
	struct swmsi_msi_cookie_page p[NR_PAGES + 1];
	struct swmsi_msi_cookie_info ci;
	size_t n = sx_cookie(fx, hwpt, &ci, p, NR_PAGES + 1), i, j;

	assert_true(ci.active);
	assert_true(n <= NR_PAGES);
	assert_int_equal(ci.base, W);
	assert_int_equal(ci.next_iova, W + n * PAGE);
	for (i = 0; i < n; i++) {
		assert_int_equal(p[i].iova, W + i * PAGE);
		assert_true(on_some_doorbell(p[i].msi_page, db(0)));
		for (j = 0; j < i; j++)
			assert_int_not_equal(p[i].msi_page, p[j].msi_page);
		sx_expect_mapped(fx, hwpt, p[i].iova, p[i].msi_page, SX_PROT_COOKIE);
	}
}

/* NATIVE/KERNEL: at most one entry per doorbell page, slots distinct, in the window. */
static void expect_table_well_formed(struct fx *fx)
{
	size_t n = 0, i, j;
	struct swmsi_msi_map_info *m = sx_maps(fx, &n);

	assert_true(n <= NR_PAGES);
	for (i = 0; i < n; i++) {
		assert_int_equal(m[i].sw_msi_start, W);
		assert_true(m[i].slot < NR_PAGES);
		assert_true(on_some_doorbell(m[i].msi_page, db(0)));
		for (j = 0; j < i; j++) {
			assert_int_not_equal(m[i].msi_page, m[j].msi_page);
			assert_int_not_equal(m[i].slot, m[j].slot);
		}
	}
	free(m);
}

/* Quiet again: a vector made now fires to its doorbell on every scheme. */
static void expect_quiet_fire_exact(struct fx *fx, const struct churn *c)
{
	for (unsigned int i = 0; i < NDEV; i++) {
		struct swmsi_device_info di = fx_dev_info(fx, c->dev[i]);
		uint32_t v = fx_msi_alloc(fx, c->dev[i], db(i + 5) + 0x10, NULL);

		assert_true(di.attached);
		assert_int_equal(di.vectors, 0);
		fx_expect_fire(fx, c->dev[i], v, db(i + 5) + 0x10);
		assert_int_equal(swmsi_msi_free(fx->ctx, c->dev[i], v), 0);
	}
}

static void churn_run(struct fx *fx)
{
	struct churn c = { .ctx = fx->ctx, .moves = fx_iterations(1000, 100) };
	struct churn_arg arg[NDEV];
	pthread_t wt[NDEV], mt[NDEV];
	uint32_t ioas = fx_ioas(fx);
	unsigned int i;

	c.strict = fx->opts.scheme != SWMSI_SCHEME_DMA_IOMMU;
	c.blocked_refuses = fx->opts.scheme == SWMSI_SCHEME_KERNEL;
	for (i = 0; i < NR_HWPTS; i++)
		c.hwpt[i] = fx_hwpt(fx, ioas, 0);
	for (i = 0; i < NDEV; i++) {
		c.dev[i] = fx_bind(fx, i + 1);
		assert_int_equal(swmsi_device_attach(fx->ctx, c.dev[i], c.hwpt[i]), 0);
		arg[i] = (struct churn_arg){ .c = &c, .idx = i };
	}
	for (i = 0; i < NDEV; i++)
		assert_int_equal(pthread_create(&wt[i], NULL, worker_main, &arg[i]), 0);
	for (i = 0; i < NDEV; i++)
		assert_int_equal(pthread_create(&mt[i], NULL, mover_main, &arg[i]), 0);
	for (i = 0; i < NDEV; i++)
		assert_int_equal(pthread_join(mt[i], NULL), 0);
	atomic_store(&c.stop, true);
	for (i = 0; i < NDEV; i++)
		assert_int_equal(pthread_join(wt[i], NULL), 0);

	assert_int_equal(atomic_load(&c.lost.n), 0);
	assert_int_equal(atomic_load(&c.wrong.n), 0);
	assert_int_equal(atomic_load(&c.failed.n), 0);
	assert_true(atomic_load(&c.fires) > 0);
	if (c.strict) {
		expect_table_well_formed(fx);
	} else {
		assert_int_equal(fx_msi_map_count(fx), 0);
		for (i = 0; i < NR_HWPTS; i++)
			expect_cookie_well_formed(fx, c.hwpt[i]);
	}
	expect_quiet_fire_exact(fx, &c);
}

static void msi_fire_kernel_concurrent_alloc_free_and_moves_lands_while_attached(void **state)
{
	churn_run(*state);
}

static void msi_fire_dma_concurrent_alloc_free_and_moves_lands_until_moved(void **state)
{
	churn_run(*state);
}

static void msi_fire_native_concurrent_alloc_free_and_moves_lands_while_attached(void **state)
{
	churn_run(*state);
}

/* ---------------------------------------------------------------------- */
/* Racing to create the same pages                                        */

#define RACERS	   4
#define RACE_PAGES 16u

struct race {
	struct swmsi_ctx *ctx;
	bool shared; /* NATIVE/KERNEL: one IOVA per page context-wide */
	uint32_t dev[RACERS];
	unsigned int rounds;
	pthread_barrier_t barrier;
	uint64_t msg[RACERS][RACE_PAGES]; /* written by its thread, read after a barrier */
	uint32_t vec[RACERS][RACE_PAGES];
	struct errs split; /* one page, two IOVAs (shared schemes) */
	struct errs clash; /* two pages, one IOVA, in one domain or context-wide */
	struct errs wrong;
	struct errs failed;
};

struct race_arg {
	struct race *r;
	unsigned int t;
};

static uint64_t race_db(unsigned int p)
{
	return sx_db(p);
}

static void race_check(struct race *r, unsigned int t, unsigned int p)
{
	uint64_t mine = r->msg[t][p] & ~(PAGE - 1), paddr = 0;
	int rc;

	for (unsigned int u = 0; u < RACERS; u++) {
		if (!r->shared && u != t)
			continue;
		if (r->shared && (r->msg[u][p] & ~(PAGE - 1)) != mine)
			report(&r->split, "split", 0, r->msg[u][p], r->msg[t][p]);
		for (unsigned int q = 0; q < RACE_PAGES; q++)
			if (q != p && (r->msg[u][q] & ~(PAGE - 1)) == mine)
				report(&r->clash, "clash", 0, p, q);
	}
	rc = swmsi_msi_fire(r->ctx, r->dev[t], r->vec[t][p], &paddr);
	if (rc)
		report(&r->failed, "msi_fire", rc, r->dev[t], race_db(p));
	else if (paddr != race_db(p) + 4 * t)
		report(&r->wrong, "msi_fire landed", 0, race_db(p) + 4 * t, paddr);
}

static void *racer_main(void *arg)
{
	struct race_arg *ra = arg;
	struct race *r = ra->r;
	unsigned int t = ra->t;

	for (unsigned int round = 0; round < r->rounds; round++) {
		bool ok[RACE_PAGES] = { false };

		for (unsigned int j = 0; j < RACE_PAGES; j++) {
			unsigned int p = (j * (2 * t + 1) + round) % RACE_PAGES;
			int rc = swmsi_msi_alloc(r->ctx, r->dev[t], race_db(p) + 4 * t,
						 &r->vec[t][p], &r->msg[t][p]);

			if (rc)
				report(&r->failed, "msi_alloc", rc, r->dev[t], race_db(p));
			ok[p] = !rc;
		}
		pthread_barrier_wait(&r->barrier);
		for (unsigned int p = 0; p < RACE_PAGES; p++)
			if (ok[p])
				race_check(r, t, p);
		pthread_barrier_wait(&r->barrier);
		for (unsigned int p = 0; p < RACE_PAGES; p++)
			if (ok[p] && swmsi_msi_free(r->ctx, r->dev[t], r->vec[t][p]))
				report(&r->failed, "msi_free", -1, r->dev[t], r->vec[t][p]);
		pthread_barrier_wait(&r->barrier);
	}
	return NULL;
}

static void race_run(struct fx *fx)
{
	struct race *r = calloc(1, sizeof(*r));
	struct race_arg ra[RACERS];
	pthread_t th[RACERS];
	uint32_t ioas = fx_ioas(fx), hwpt[RACERS];
	unsigned int t;

	assert_non_null(r);
	r->ctx = fx->ctx;
	r->shared = fx->opts.scheme != SWMSI_SCHEME_DMA_IOMMU;
	r->rounds = fx_iterations(100, 10);
	assert_int_equal(pthread_barrier_init(&r->barrier, NULL, RACERS), 0);
	for (t = 0; t < RACERS; t++) {
		hwpt[t] = fx_hwpt(fx, ioas, 0);
		r->dev[t] = fx_bind(fx, t + 1);
		assert_int_equal(swmsi_device_attach(fx->ctx, r->dev[t], hwpt[t]), 0);
		ra[t] = (struct race_arg){ .r = r, .t = t };
	}
	for (t = 0; t < RACERS; t++)
		assert_int_equal(pthread_create(&th[t], NULL, racer_main, &ra[t]), 0);
	for (t = 0; t < RACERS; t++)
		assert_int_equal(pthread_join(th[t], NULL), 0);
	pthread_barrier_destroy(&r->barrier);

	assert_int_equal(atomic_load(&r->split.n), 0);
	assert_int_equal(atomic_load(&r->clash.n), 0);
	assert_int_equal(atomic_load(&r->wrong.n), 0);
	assert_int_equal(atomic_load(&r->failed.n), 0);
	/* Nothing is reclaimed under KERNEL and DMA_IOMMU: every page stays. */
	if (r->shared) {
		assert_int_equal(fx_msi_map_count(fx), RACE_PAGES);
	} else {
		assert_int_equal(fx_msi_map_count(fx), 0);
		for (t = 0; t < RACERS; t++)
			sx_expect_cookie(fx, hwpt[t], W, W + RACE_PAGES * PAGE, RACE_PAGES);
	}
	free(r);
}

static void msi_alloc_kernel_concurrent_same_pages_share_one_iova(void **state)
{
	race_run(*state);
}

static void msi_alloc_dma_concurrent_same_pages_one_iova_per_domain(void **state)
{
	race_run(*state);
}

#define TK(fn) cmocka_unit_test_setup_teardown(fn, sx_setup_kernel, fx_teardown)
#define TD(fn) cmocka_unit_test_setup_teardown(fn, sx_setup_dma, fx_teardown)
#define TN(fn) cmocka_unit_test_setup_teardown(fn, sx_setup_native, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TN(msi_fire_native_concurrent_alloc_free_and_moves_lands_while_attached),
		TK(msi_fire_kernel_concurrent_alloc_free_and_moves_lands_while_attached),
		TK(msi_alloc_kernel_concurrent_same_pages_share_one_iova),
		TD(msi_fire_dma_concurrent_alloc_free_and_moves_lands_until_moved),
		TD(msi_alloc_dma_concurrent_same_pages_one_iova_per_domain),
	};

	return cmocka_run_group_tests_name("scheme_concurrency", tests, NULL, NULL);
}
