/* SPDX-License-Identifier: MIT */
/*
 * bench_fire: MSI delivery with threads. On one context (libswmsi-mock
 * backend, end to end), T threads each fire a vector of their own device
 * (one group each, all on one paging HWPT, one doorbell page each) as fast
 * as they can for a fixed time; the aggregate fires per second is compared
 * with one thread's, for T = 1, 2, 4, ... up to the CPU count, under each
 * sw_msi scheme. Rounds are interleaved (round r of every T before round
 * r + 1 of any) and the speed-up is the median of the per-round ratios.
 *
 * Target (docs/performance.md, the hot paths): at least 1.7x at 2
 * threads, where the machine has 2 CPUs. --check also fails if a fire
 * allocated anything (swmsi_ctx_stats().allocs) or missed its doorbell.
 */
/* nanosleep is POSIX, hidden by -std=c17 without this */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <time.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <swmsi/mock_iommu.h>

#include "bench.h"

#define MAX_THREADS 64
#define MAX_ROUNDS  15

struct fire_env {
	struct bench_env env;
	uint32_t dev[MAX_THREADS];
	uint32_t vec[MAX_THREADS];
	uint64_t want[MAX_THREADS];
};

struct worker {
	struct fire_env *fe;
	unsigned int idx;
	uint64_t ns;
	atomic_bool *stop;
	uint64_t fires;
	int bad;
};

static void fire_env_init(struct fire_env *fe, enum swmsi_scheme scheme, unsigned int nthreads)
{
	uint32_t ioas, hwpt;
	unsigned int i;

	memset(fe, 0, sizeof(*fe));
	bench_env_init_scheme(&fe->env, BENCH_BACKEND_MOCK, 0, SWMSI_RECLAIM_NONE, scheme);
	ioas = bench_ioas(&fe->env);
	hwpt = bench_hwpt(&fe->env, ioas);
	for (i = 0; i < nthreads; i++) {
		uint64_t msg;

		fe->dev[i] = bench_bind(&fe->env, 100 + i);
		bench_ok(swmsi_device_attach(fe->env.ctx, fe->dev[i], hwpt), "swmsi_device_attach");
		fe->want[i] = bench_doorbell(i) + 0x40;
		bench_ok(swmsi_msi_alloc(fe->env.ctx, fe->dev[i], fe->want[i], &fe->vec[i], &msg),
			 "swmsi_msi_alloc");
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct swmsi_ctx *ctx;
	uint32_t dev, vec;
	uint64_t want, n = 0, pa, x = w->idx + 1;

	if (!w->fe) {
		/* the machine's own parallelism: private work, no shared line */
		while (!atomic_load_explicit(w->stop, memory_order_relaxed)) {
			unsigned int k;

			for (k = 0; k < 64; k++)
				x = bench_rand(&x);
			n += 64;
		}
		/* kept per worker (no shared write): the work stays */
		w->bad |= x == 0;
		w->fires = n;
		return NULL;
	}
	ctx = w->fe->env.ctx;
	dev = w->fe->dev[w->idx];
	vec = w->fe->vec[w->idx];
	want = w->fe->want[w->idx];
	while (!atomic_load_explicit(w->stop, memory_order_relaxed)) {
		unsigned int k;

		for (k = 0; k < 64; k++) {
			if (swmsi_msi_fire(ctx, dev, vec, &pa) || pa != want)
				w->bad = 1;
		}
		n += 64;
	}
	w->fires = n;
	return NULL;
}

/* One round: @t threads fire for @ns; returns fires per microsecond. */
static double round_run(struct fire_env *fe, unsigned int t, uint64_t ns, int *bad)
{
	struct worker w[MAX_THREADS];
	pthread_t th[MAX_THREADS];
	atomic_bool stop = false;
	uint64_t t0, t1, total = 0;
	unsigned int i;

	for (i = 0; i < t; i++) {
		w[i] = (struct worker){ .fe = fe, .idx = i, .stop = &stop };
		if (pthread_create(&th[i], NULL, worker_main, &w[i])) {
			fprintf(stderr, "bench_fire: pthread_create failed\n");
			exit(2);
		}
	}
	t0 = bench_now_ns();
	while (bench_now_ns() - t0 < ns) {
		struct timespec ms = { .tv_nsec = 1000000 };

		nanosleep(&ms, NULL);
	}
	atomic_store(&stop, true);
	for (i = 0; i < t; i++) {
		pthread_join(th[i], NULL);
		total += w[i].fires;
		*bad |= w[i].bad;
	}
	t1 = bench_now_ns();
	return (double)total * 1000.0 / (double)(t1 - t0);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct sched_result {
	unsigned int nt;
	unsigned int threads[8];
	double rate[8];	   /* median fires/us */
	double speed[8];   /* median of per-round ratio to T = 1 */
	double machine[8]; /* the same for private work: what the CPUs allow */
	uint64_t allocs;
	int bad;
};

static void run_scheme(enum swmsi_scheme scheme, const struct bench_opts *o, unsigned int ncpu,
		       struct sched_result *res)
{
	unsigned int rounds = o->quick ? 3 : 7, r, k, top = ncpu > MAX_THREADS ? MAX_THREADS : ncpu;
	uint64_t ns = o->quick ? 5000000 : 150000000;
	double samples[8][MAX_ROUNDS], ratios[8][MAX_ROUNDS], mach[8][MAX_ROUNDS],
		mratios[8][MAX_ROUNDS];
	struct fire_env *fe = malloc(sizeof(*fe));
	uint64_t a0;

	memset(res, 0, sizeof(*res));
	for (k = 1; k <= top && res->nt < 8; k *= 2)
		res->threads[res->nt++] = k;
	if (res->threads[res->nt - 1] != top && res->nt < 8)
		res->threads[res->nt++] = top;
	fire_env_init(fe, scheme, top);
	a0 = bench_allocs(fe->env.ctx);
	for (r = 0; r < rounds; r++) {
		for (k = 0; k < res->nt; k++) {
			samples[k][r] = round_run(fe, res->threads[k], ns, &res->bad);
			mach[k][r] = round_run(NULL, res->threads[k], ns / 4, &res->bad);
		}
		for (k = 0; k < res->nt; k++) {
			ratios[k][r] = samples[k][r] / samples[0][r];
			mratios[k][r] = mach[k][r] / mach[0][r];
		}
	}
	res->allocs = bench_allocs(fe->env.ctx) - a0;
	for (k = 0; k < res->nt; k++) {
		res->rate[k] = median(samples[k], rounds);
		res->speed[k] = median(ratios[k], rounds);
		res->machine[k] = median(mratios[k], rounds);
	}
	bench_env_fini(&fe->env);
	free(fe);
}

int main(int argc, char **argv)
{
	static const enum swmsi_scheme schemes[] = { SWMSI_SCHEME_NATIVE, SWMSI_SCHEME_KERNEL,
						     SWMSI_SCHEME_DMA_IOMMU };
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	struct bench_opts o;
	bool ok = true;
	size_t s;

	bench_parse_args(argc, argv, "MSI delivery: fires per second against threads, one context",
			 &o);
	if (ncpu < 1)
		ncpu = 1;
	printf("bench_fire: T threads fire one vector each of their own device, one context,\n"
	       "libswmsi-mock backend; %ld CPUs; median of interleaved rounds\n\n",
	       ncpu);
	for (s = 0; s < sizeof(schemes) / sizeof(schemes[0]); s++) {
		struct sched_result res;
		unsigned int k;

		run_scheme(schemes[s], &o, (unsigned int)ncpu, &res);
		printf("scheme %s:\n       T   fires/us   ns/fire/thread   speed-up vs T=1   machine "
		       "(private work)\n",
		       swmsi_scheme_name(schemes[s]));
		for (k = 0; k < res.nt; k++)
			printf("%8u %10.2f %16.1f %17.2f %19.2f\n", res.threads[k], res.rate[k],
			       1000.0 * res.threads[k] / res.rate[k], res.speed[k], res.machine[k]);
		printf("  allocations during the fires: %llu (target 0)%s\n",
		       (unsigned long long)res.allocs,
		       res.bad ? "; A FIRE MISSED ITS DOORBELL" : "");
		if (res.bad)
			exit(2);
		if (res.allocs)
			ok = false;
		if (res.nt > 1 && res.threads[1] == 2) {
			bool met = res.speed[1] >= 1.7;

			printf("  speed-up at T=2: %.2f (target >= 1.7: %s)%s\n", res.speed[1],
			       met ? "met" : "MISSED",
			       res.machine[1] < 1.7 ? "; the CPUs themselves gave less: rerun "
						      "when the machine is idle"
						    : "");
			/* the target is NATIVE's; the others are printed */
			if (!met && schemes[s] == SWMSI_SCHEME_NATIVE)
				ok = false;
		}
		printf("\n");
	}
	printf("check: %s\n", ok ? "passed" : "FAILED");
	return o.check && !ok ? 1 : 0;
}
