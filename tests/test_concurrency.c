/* SPDX-License-Identifier: MIT */
/*
 * Several threads on one context. Every call is atomic with respect to the
 * others, so a group that stays attached never loses an MSI however its
 * vectors come and go and however often it is replaced; a group that is
 * detached and reattached loses MSIs only while it is detached; devices
 * racing to create the same entries end up sharing them.
 *
 * Threads never call cmocka asserts (they longjmp on the main thread's
 * stack): they count violations in atomics that the main thread checks
 * after joining. Bounded: SWMSI_TEST_QUICK shrinks the iteration counts.
 */
/* pthread barriers are POSIX, hidden by -std=c17 without this. */
#define _POSIX_C_SOURCE 200809L

#include "fixture.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#define PAGE	  0x1000ull
#define NR_PAGES  8u
#define DB_BASE	  0x10000000ull
#define DB_STRIDE 0x10000ull

#define NR_HWPTS 3
#define RING	 6

static uint64_t db(unsigned int i)
{
	return DB_BASE + (i % NR_PAGES) * DB_STRIDE;
}

/* Counts violations; prints the first few for diagnosis. */
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

static void assert_no_errs(struct errs *e)
{
	assert_int_equal(atomic_load(&e->n), 0);
}

/* ---------------------------------------------------------------------- */
/* Alloc/fire/free workers and replacers                                  */

struct churn {
	struct swmsi_ctx *ctx;
	uint32_t hwpt[NR_HWPTS];
	uint32_t dev[2];
	unsigned int replaces;
	atomic_bool stop;
	/* workers that fired once: the replacers wait for both, so a loaded
	 * machine cannot run every replace before a worker has started */
	atomic_uint started;
	atomic_ulong fires;
	struct errs lost;   /* fire -EFAULT on an attached group */
	struct errs wrong;  /* fire landed elsewhere, or a bad msg_addr */
	struct errs failed; /* any call that should succeed did not */
};

struct churn_arg {
	struct churn *c;
	unsigned int idx;
};

static void *worker_main(void *arg)
{
	struct churn_arg *wa = arg;
	struct churn *c = wa->c;
	uint32_t dev = c->dev[wa->idx];
	uint32_t vec[RING];
	uint64_t msi[RING];
	unsigned int live = 0, k = 0;

	while (!atomic_load(&c->stop)) {
		uint64_t addr = db(k * 3 + wa->idx) + ((k * 0x44u) & (PAGE - 4));
		uint64_t msg = 0;
		uint32_t v = 0;
		int rc;

		rc = swmsi_msi_alloc(c->ctx, dev, addr, &v, &msg);
		if (rc) {
			report(&c->failed, "msi_alloc", rc, dev, addr);
		} else {
			/* Attached all along: translated, offset kept. */
			if (msg < FX_WINDOW_START || msg >= FX_WINDOW_START + FX_WINDOW_SIZE ||
			    (msg & (PAGE - 1)) != (addr & (PAGE - 1)))
				report(&c->wrong, "msg_addr", 0, addr, msg);
			if (live == RING) {
				rc = swmsi_msi_free(c->ctx, dev, vec[0]);
				if (rc)
					report(&c->failed, "msi_free", rc, dev, vec[0]);
				for (unsigned int i = 1; i < RING; i++) {
					vec[i - 1] = vec[i];
					msi[i - 1] = msi[i];
				}
				live--;
			}
			vec[live] = v;
			msi[live] = addr;
			live++;
		}
		for (unsigned int i = 0; i < live; i++) {
			uint64_t paddr = 0;

			rc = swmsi_msi_fire(c->ctx, dev, vec[i], &paddr);
			if (rc == -EFAULT)
				report(&c->lost, "msi_fire lost", rc, dev, msi[i]);
			else if (rc)
				report(&c->failed, "msi_fire", rc, dev, msi[i]);
			else if (paddr != msi[i])
				report(&c->wrong, "msi_fire landed", 0, msi[i], paddr);
			atomic_fetch_add(&c->fires, 1);
		}
		if (k == 0)
			atomic_fetch_add(&c->started, 1);
		k++;
		/* Pace: one iteration per turn, so the replacers get theirs. */
		sched_yield();
	}
	for (unsigned int i = 0; i < live; i++) {
		int rc = swmsi_msi_free(c->ctx, dev, vec[i]);

		if (rc)
			report(&c->failed, "msi_free", rc, dev, vec[i]);
	}
	return NULL;
}

static void *replacer_main(void *arg)
{
	struct churn_arg *ra = arg;
	struct churn *c = ra->c;

	while (atomic_load(&c->started) < 2)
		sched_yield();
	for (unsigned int k = 0; k < c->replaces; k++) {
		uint32_t to = c->hwpt[(k + ra->idx + 1) % NR_HWPTS];
		int rc = swmsi_device_replace(c->ctx, c->dev[ra->idx], to);

		if (rc)
			report(&c->failed, "device_replace", rc, c->dev[ra->idx], to);
		sched_yield();
	}
	return NULL;
}

/*
 * Two workers allocate, fire and free on their devices (sharing doorbell
 * pages) while two replacers move the workers' groups between three HWPTs.
 */
static void churn_run(struct fx *fx)
{
	struct churn c = { .ctx = fx->ctx, .replaces = fx_iterations(1000, 100) };
	struct churn_arg wa[2], ra[2];
	pthread_t wt[2], rt[2];
	uint32_t ioas = fx_ioas(fx);

	for (unsigned int i = 0; i < NR_HWPTS; i++)
		c.hwpt[i] = fx_hwpt(fx, ioas, 0);
	for (unsigned int i = 0; i < 2; i++) {
		c.dev[i] = fx_bind(fx, i + 1);
		assert_int_equal(swmsi_device_attach(fx->ctx, c.dev[i], c.hwpt[i]), 0);
		wa[i] = (struct churn_arg){ .c = &c, .idx = i };
		ra[i] = wa[i];
	}
	for (unsigned int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&wt[i], NULL, worker_main, &wa[i]), 0);
	for (unsigned int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&rt[i], NULL, replacer_main, &ra[i]), 0);
	for (unsigned int i = 0; i < 2; i++)
		assert_int_equal(pthread_join(rt[i], NULL), 0);
	atomic_store(&c.stop, true);
	for (unsigned int i = 0; i < 2; i++)
		assert_int_equal(pthread_join(wt[i], NULL), 0);

	assert_no_errs(&c.lost);
	assert_no_errs(&c.wrong);
	assert_no_errs(&c.failed);
	assert_true(atomic_load(&c.fires) > 0);
	for (unsigned int i = 0; i < 2; i++) {
		struct swmsi_device_info di;

		assert_int_equal(swmsi_device_info(fx->ctx, c.dev[i], &di), 0);
		assert_true(di.attached);
		assert_int_equal(di.vectors, 0);
	}
}

static void msi_fire_concurrent_alloc_free_and_replace_loses_nothing(void **state)
{
	churn_run(*state);
}

static void msi_fire_concurrent_alloc_free_and_replace_reclaim_loses_nothing(void **state)
{
	churn_run(*state);
}

/* ---------------------------------------------------------------------- */
/* Detach/attach cycles while the device fires                             */

/*
 * The cycling device's phase is a counter the detacher bumps around each
 * call; counter % 4 is 0 attached, 1 detach in flight, 2 detached, 3 attach
 * in flight. A fire that starts and ends in one phase-0 (phase-2) window
 * must land (fault).
 */
enum {
	PH_ATTACHED = 0,
	PH_DETACHING,
	PH_DETACHED,
	PH_ATTACHING
};

#define CYC_VECS 3

struct cycle {
	struct swmsi_ctx *ctx;
	uint32_t hwpt[NR_HWPTS];
	uint32_t dev;	/* detached and reattached */
	uint32_t other; /* stays attached, replaced around */
	uint32_t vec[CYC_VECS], ovec[CYC_VECS];
	uint64_t msi[CYC_VECS], omsi[CYC_VECS];
	uint64_t msg[CYC_VECS]; /* dev's message addresses, as first allocated */
	unsigned int cycles;
	atomic_uint phase;
	atomic_bool stop;
	atomic_bool go;
	atomic_ulong faults_seen, lands_seen, other_fires;
	struct errs bad_fault; /* -EFAULT while attached throughout */
	struct errs bad_land;  /* landed while detached throughout */
	struct errs wrong;
	struct errs failed;
};

static void *detacher_main(void *arg)
{
	struct cycle *c = arg;

	/* both firers have fired once: the cycles overlap their fires even on
	 * a loaded machine that would otherwise run the detacher first */
	while (!atomic_load(&c->go) || !atomic_load(&c->other_fires))
		sched_yield();
	for (unsigned int k = 0; k < c->cycles; k++) {
		uint32_t to = c->hwpt[k % 2];
		int rc;

		atomic_fetch_add(&c->phase, 1); /* -> detaching */
		rc = swmsi_device_detach(c->ctx, c->dev);
		if (rc)
			report(&c->failed, "device_detach", rc, c->dev, 0);
		atomic_fetch_add(&c->phase, 1); /* -> detached */
		sched_yield();
		atomic_fetch_add(&c->phase, 1); /* -> attaching */
		rc = swmsi_device_attach(c->ctx, c->dev, to);
		if (rc)
			report(&c->failed, "device_attach", rc, c->dev, to);
		atomic_fetch_add(&c->phase, 1); /* -> attached */
		sched_yield();
	}
	return NULL;
}

static void *cycle_firer_main(void *arg)
{
	struct cycle *c = arg;

	while (!atomic_load(&c->stop)) {
		for (unsigned int i = 0; i < CYC_VECS; i++) {
			uint64_t paddr = 0;
			unsigned int p0 = atomic_load(&c->phase);
			int rc = swmsi_msi_fire(c->ctx, c->dev, c->vec[i], &paddr);
			unsigned int p1 = atomic_load(&c->phase);
			bool stable = p0 == p1;

			if (rc == -EFAULT) {
				atomic_fetch_add(&c->faults_seen, 1);
				if (stable && p0 % 4 == PH_ATTACHED)
					report(&c->bad_fault, "fault while attached", rc, p0,
					       c->msi[i]);
			} else if (rc) {
				report(&c->failed, "msi_fire", rc, c->dev, c->vec[i]);
			} else {
				atomic_fetch_add(&c->lands_seen, 1);
				if (paddr != c->msi[i])
					report(&c->wrong, "msi_fire landed", 0, c->msi[i], paddr);
				if (stable && p0 % 4 == PH_DETACHED)
					report(&c->bad_land, "landed while detached", 0, p0, paddr);
			}
		}
		atomic_store(&c->go, true);
		/* Pace: one batch per turn, or a serialising runtime starves the detacher. */
		sched_yield();
	}
	return NULL;
}

/* The other group: always attached, moved between the HWPTs, never loses. */
static void *other_main(void *arg)
{
	struct cycle *c = arg;
	unsigned int k = 0;

	while (!atomic_load(&c->stop)) {
		uint32_t to = c->hwpt[k % NR_HWPTS];
		int rc = swmsi_device_replace(c->ctx, c->other, to);

		if (rc)
			report(&c->failed, "device_replace", rc, c->other, to);
		for (unsigned int i = 0; i < CYC_VECS; i++) {
			uint64_t paddr = 0;

			rc = swmsi_msi_fire(c->ctx, c->other, c->ovec[i], &paddr);
			if (rc)
				report(&c->failed, "other msi_fire", rc, c->other, c->omsi[i]);
			else if (paddr != c->omsi[i])
				report(&c->wrong, "other msi_fire landed", 0, c->omsi[i], paddr);
			atomic_fetch_add(&c->other_fires, 1);
		}
		k++;
		sched_yield();
	}
	return NULL;
}

static void cycle_run(struct fx *fx)
{
	struct cycle c = { .ctx = fx->ctx, .cycles = fx_iterations(1000, 100) };
	struct swmsi_vector_info vi[CYC_VECS];
	pthread_t det, fir, oth;
	uint32_t ioas = fx_ioas(fx);
	size_t n = 0;

	for (unsigned int i = 0; i < NR_HWPTS; i++)
		c.hwpt[i] = fx_hwpt(fx, ioas, 0);
	c.dev = fx_bind(fx, 1);
	c.other = fx_bind(fx, 2);
	assert_int_equal(swmsi_device_attach(fx->ctx, c.dev, c.hwpt[1]), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, c.other, c.hwpt[0]), 0);
	for (unsigned int i = 0; i < CYC_VECS; i++) {
		uint64_t msg;

		/* Pages shared between the two groups, so reclaim has to judge. */
		c.msi[i] = db(i) + 0x40 * (i + 1);
		c.omsi[i] = db(i + 1) + 0x4;
		assert_int_equal(swmsi_msi_alloc(fx->ctx, c.dev, c.msi[i], &c.vec[i], &c.msg[i]),
				 0);
		assert_int_equal(swmsi_msi_alloc(fx->ctx, c.other, c.omsi[i], &c.ovec[i], &msg), 0);
	}

	assert_int_equal(pthread_create(&oth, NULL, other_main, &c), 0);
	assert_int_equal(pthread_create(&det, NULL, detacher_main, &c), 0);
	assert_int_equal(pthread_create(&fir, NULL, cycle_firer_main, &c), 0);
	assert_int_equal(pthread_join(det, NULL), 0);
	atomic_store(&c.stop, true);
	assert_int_equal(pthread_join(fir, NULL), 0);
	assert_int_equal(pthread_join(oth, NULL), 0);

	assert_no_errs(&c.bad_fault);
	assert_no_errs(&c.bad_land);
	assert_no_errs(&c.wrong);
	assert_no_errs(&c.failed);
	assert_true(atomic_load(&c.faults_seen) + atomic_load(&c.lands_seen) > 0);
	assert_true(atomic_load(&c.other_fires) > 0);
	assert_int_equal(atomic_load(&c.phase) % 4, PH_ATTACHED);

	/* Reattached for good: same message addresses, every vector lands. */
	assert_int_equal(swmsi_device_vectors(fx->ctx, c.dev, vi, CYC_VECS, &n), 0);
	assert_int_equal(n, CYC_VECS);
	for (unsigned int i = 0; i < CYC_VECS; i++) {
		uint64_t paddr = 0;

		assert_true(vi[i].translated);
		assert_int_equal(vi[i].msi_addr, c.msi[i]);
		assert_int_equal(vi[i].msg_addr, c.msg[i]);
		assert_int_equal(swmsi_msi_fire(fx->ctx, c.dev, c.vec[i], &paddr), 0);
		assert_int_equal(paddr, c.msi[i]);
	}
}

static void msi_fire_during_detach_attach_cycles_faults_only_while_detached(void **state)
{
	cycle_run(*state);
}

static void msi_fire_during_detach_attach_cycles_reclaim_faults_only_while_detached(void **state)
{
	cycle_run(*state);
}

/* ---------------------------------------------------------------------- */
/* Racing to create the same entries                                      */

#define RACERS	   4
#define RACE_PAGES 16u

struct race {
	struct swmsi_ctx *ctx;
	uint32_t dev[RACERS];
	unsigned int rounds;
	pthread_barrier_t barrier;
	uint64_t msg[RACERS][RACE_PAGES]; /* written by its thread, read after a barrier */
	uint32_t vec[RACERS][RACE_PAGES];
	struct errs split; /* one page, two IOVAs */
	struct errs clash; /* two pages, one IOVA */
	struct errs wrong;
	struct errs failed;
};

struct race_arg {
	struct race *r;
	unsigned int idx;
};

static uint64_t race_db(unsigned int p)
{
	return DB_BASE + p * DB_STRIDE;
}

static void *racer_main(void *arg)
{
	struct race_arg *ra = arg;
	struct race *r = ra->r;
	unsigned int t = ra->idx;

	for (unsigned int round = 0; round < r->rounds; round++) {
		bool ok[RACE_PAGES] = { false };

		/* Each racer walks the pages in its own order (steps 1, 3, 5, 7). */
		for (unsigned int j = 0; j < RACE_PAGES; j++) {
			unsigned int p = (j * (2 * t + 1) + round) % RACE_PAGES;
			int rc = swmsi_msi_alloc(r->ctx, r->dev[t], race_db(p) + 4 * t,
						 &r->vec[t][p], &r->msg[t][p]);

			if (rc)
				report(&r->failed, "msi_alloc", rc, r->dev[t], race_db(p));
			ok[p] = !rc;
		}
		pthread_barrier_wait(&r->barrier);
		for (unsigned int p = 0; p < RACE_PAGES; p++) {
			uint64_t paddr = 0;
			int rc;

			if (!ok[p])
				continue;
			for (unsigned int u = 0; u < RACERS; u++) {
				if ((r->msg[u][p] & ~(PAGE - 1)) != (r->msg[t][p] & ~(PAGE - 1)))
					report(&r->split, "split", 0, r->msg[u][p], r->msg[t][p]);
				for (unsigned int q = 0; q < RACE_PAGES; q++)
					if (q != p && (r->msg[u][q] & ~(PAGE - 1)) ==
							      (r->msg[t][p] & ~(PAGE - 1)))
						report(&r->clash, "clash", 0, p, q);
			}
			rc = swmsi_msi_fire(r->ctx, r->dev[t], r->vec[t][p], &paddr);
			if (rc)
				report(&r->failed, "msi_fire", rc, r->dev[t], race_db(p));
			else if (paddr != race_db(p) + 4 * t)
				report(&r->wrong, "msi_fire landed", 0, race_db(p) + 4 * t, paddr);
		}
		pthread_barrier_wait(&r->barrier);
		for (unsigned int p = 0; p < RACE_PAGES; p++) {
			int rc;

			if (!ok[p])
				continue;
			rc = swmsi_msi_free(r->ctx, r->dev[t], r->vec[t][p]);
			if (rc)
				report(&r->failed, "msi_free", rc, r->dev[t], r->vec[t][p]);
		}
		pthread_barrier_wait(&r->barrier);
	}
	return NULL;
}

/*
 * Four groups on four domains allocate the same sixteen doorbells at once,
 * each in its own order, round after round (under reclaim every round
 * recreates the entries): one IOVA per page, sixteen distinct IOVAs.
 */
static void msi_alloc_concurrent_same_pages_share_one_iova(void **state)
{
	struct fx *fx = *state;
	struct race *r = calloc(1, sizeof(*r));
	struct race_arg ra[RACERS];
	pthread_t th[RACERS];
	uint32_t ioas = fx_ioas(fx);
	struct swmsi_ctx_stats st;

	assert_non_null(r);
	r->ctx = fx->ctx;
	r->rounds = fx_iterations(100, 10);
	assert_int_equal(pthread_barrier_init(&r->barrier, NULL, RACERS), 0);
	for (unsigned int t = 0; t < RACERS; t++) {
		r->dev[t] = fx_bind(fx, t + 1);
		assert_int_equal(swmsi_device_attach(fx->ctx, r->dev[t], fx_hwpt(fx, ioas, 0)), 0);
		ra[t] = (struct race_arg){ .r = r, .idx = t };
	}
	for (unsigned int t = 0; t < RACERS; t++)
		assert_int_equal(pthread_create(&th[t], NULL, racer_main, &ra[t]), 0);
	for (unsigned int t = 0; t < RACERS; t++)
		assert_int_equal(pthread_join(th[t], NULL), 0);
	pthread_barrier_destroy(&r->barrier);

	assert_no_errs(&r->split);
	assert_no_errs(&r->clash);
	assert_no_errs(&r->wrong);
	assert_no_errs(&r->failed);
	/* Every vector is gone, so under reclaim every entry is too. */
	assert_int_equal(swmsi_ctx_stats(fx->ctx, &st), 0);
	assert_int_equal(st.msi_maps, 0);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			msi_fire_concurrent_alloc_free_and_replace_loses_nothing, fx_setup,
			fx_teardown),
		cmocka_unit_test_setup_teardown(
			msi_fire_concurrent_alloc_free_and_replace_reclaim_loses_nothing,
			fx_setup_reclaim, fx_teardown),
		cmocka_unit_test_setup_teardown(
			msi_fire_during_detach_attach_cycles_faults_only_while_detached, fx_setup,
			fx_teardown),
		cmocka_unit_test_setup_teardown(
			msi_fire_during_detach_attach_cycles_reclaim_faults_only_while_detached,
			fx_setup_reclaim, fx_teardown),
		cmocka_unit_test_setup_teardown(msi_alloc_concurrent_same_pages_share_one_iova,
						fx_setup_reclaim, fx_teardown),
	};

	return cmocka_run_group_tests_name("concurrency", tests, NULL, NULL);
}
