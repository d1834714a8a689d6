/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the benchmarks: the hash backend, argument parsing,
 * the median timing loop and context setup.
 */
/* clock_gettime(CLOCK_MONOTONIC) is POSIX, not C17 */
#define _POSIX_C_SOURCE 200809L

#include "bench.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <swmsi/mock_iommu.h>

volatile uint64_t bench_sink;

/* ------------------------------------------------------------------ */
/* The hash backend                                                    */

/* key is the IOVA page number + 1, so 0 marks an empty slot; val holds the
 * physical page address with the prot bits in its (zero) low bits */
struct hb_slot {
	uint64_t key;
	uint64_t val;
};

struct hb_domain {
	struct hb_slot *slots;
	size_t mask; /* capacity - 1, capacity a power of two */
	size_t count;
};

struct hb {
	unsigned int page_shift;
	size_t domains;
	uint64_t pages;
	uint64_t map_calls;
};

static size_t hb_home(const struct hb_domain *d, uint64_t key)
{
	uint64_t x = key * UINT64_C(0x9e3779b97f4a7c15);

	return (size_t)(x ^ (x >> 29)) & d->mask;
}

static struct hb_slot *hb_find(const struct hb_domain *d, uint64_t key)
{
	size_t i = hb_home(d, key);

	for (;; i = (i + 1) & d->mask) {
		if (d->slots[i].key == key)
			return &d->slots[i];
		if (!d->slots[i].key)
			return NULL;
	}
}

static void hb_insert(struct hb_domain *d, uint64_t key, uint64_t val)
{
	size_t i = hb_home(d, key);

	while (d->slots[i].key)
		i = (i + 1) & d->mask;
	d->slots[i].key = key;
	d->slots[i].val = val;
	d->count++;
}

/* Room for @n more keys at a load factor of at most 1/2. */
static int hb_reserve(struct hb_domain *d, size_t n)
{
	struct hb_domain nd;
	size_t cap = d->mask + 1, i;

	if ((d->count + n) * 2 <= cap)
		return 0;
	while ((d->count + n) * 2 > cap)
		cap *= 2;
	nd.slots = calloc(cap, sizeof(*nd.slots));
	if (!nd.slots)
		return -ENOMEM;
	nd.mask = cap - 1;
	nd.count = 0;
	for (i = 0; i <= d->mask; i++) {
		if (d->slots[i].key)
			hb_insert(&nd, d->slots[i].key, d->slots[i].val);
	}
	free(d->slots);
	*d = nd;
	return 0;
}

/* Backward-shift deletion keeps linear probing free of tombstones. */
static void hb_remove(struct hb_domain *d, struct hb_slot *slot)
{
	size_t i = (size_t)(slot - d->slots), j = i;

	d->slots[i].key = 0;
	d->count--;
	for (;;) {
		size_t k;
		bool stays;

		j = (j + 1) & d->mask;
		if (!d->slots[j].key)
			return;
		k = hb_home(d, d->slots[j].key);
		/* an entry whose home lies cyclically in (i, j] must not
		 * move before its home */
		stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
		if (stays)
			continue;
		d->slots[i] = d->slots[j];
		d->slots[j].key = 0;
		i = j;
	}
}

static int hb_domain_alloc(void *priv, void **domain)
{
	struct hb *hb = priv;
	struct hb_domain *d = calloc(1, sizeof(*d));

	if (!d)
		return -ENOMEM;
	d->slots = calloc(16, sizeof(*d->slots));
	if (!d->slots) {
		free(d);
		return -ENOMEM;
	}
	d->mask = 15;
	hb->domains++;
	*domain = d;
	return 0;
}

static void hb_domain_free(void *priv, void *domain)
{
	struct hb *hb = priv;
	struct hb_domain *d = domain;

	hb->pages -= d->count;
	hb->domains--;
	free(d->slots);
	free(d);
}

static int hb_map(void *priv, void *domain, uint64_t iova, uint64_t paddr, uint64_t size,
		  uint32_t prot)
{
	struct hb *hb = priv;
	struct hb_domain *d = domain;
	uint64_t mask = (UINT64_C(1) << hb->page_shift) - 1;
	uint64_t n, i;
	int rc;

	hb->map_calls++;
	if (!size || (iova | paddr | size) & mask)
		return -EINVAL;
	n = size >> hb->page_shift;
	/* all or nothing, as io-pgtable: check every page before mapping */
	for (i = 0; i < n; i++) {
		if (hb_find(d, (iova >> hb->page_shift) + i + 1))
			return -EEXIST;
	}
	rc = hb_reserve(d, (size_t)n);
	if (rc)
		return rc;
	for (i = 0; i < n; i++)
		hb_insert(d, (iova >> hb->page_shift) + i + 1,
			  (paddr + (i << hb->page_shift)) | prot);
	hb->pages += n;
	return 0;
}

static size_t hb_unmap(void *priv, void *domain, uint64_t iova, uint64_t size)
{
	struct hb *hb = priv;
	struct hb_domain *d = domain;
	uint64_t n = size >> hb->page_shift, i, done = 0;

	for (i = 0; i < n; i++) {
		struct hb_slot *s = hb_find(d, (iova >> hb->page_shift) + i + 1);

		if (s) {
			hb_remove(d, s);
			done++;
		}
	}
	hb->pages -= done;
	return (size_t)(done << hb->page_shift);
}

static int hb_iova_to_phys(void *priv, void *domain, uint64_t iova, uint64_t *paddr)
{
	struct hb *hb = priv;
	uint64_t mask = (UINT64_C(1) << hb->page_shift) - 1;
	struct hb_slot *s = hb_find(domain, (iova >> hb->page_shift) + 1);

	if (!s)
		return -ENOENT;
	*paddr = (s->val & ~mask) | (iova & mask);
	return 0;
}

static const struct swmsi_iommu_ops hb_iommu_ops = {
	.domain_alloc = hb_domain_alloc,
	.domain_free = hb_domain_free,
	.map = hb_map,
	.unmap = hb_unmap,
	.iova_to_phys = hb_iova_to_phys,
};

const struct swmsi_iommu_ops *hb_ops(void)
{
	return &hb_iommu_ops;
}

int hb_create(unsigned int page_shift, struct hb **hbp)
{
	struct hb *hb;

	if (!hbp || page_shift < 12 || page_shift > 16)
		return -EINVAL;
	hb = calloc(1, sizeof(*hb));
	if (!hb)
		return -ENOMEM;
	hb->page_shift = page_shift;
	*hbp = hb;
	return 0;
}

void hb_destroy(struct hb *hb)
{
	free(hb);
}

size_t hb_domains(const struct hb *hb)
{
	return hb->domains;
}

uint64_t hb_mapped_pages(const struct hb *hb)
{
	return hb->pages;
}

uint64_t hb_map_calls(const struct hb *hb)
{
	return hb->map_calls;
}

/* ------------------------------------------------------------------ */
/* Command line and timing                                             */

void bench_parse_args(int argc, char **argv, const char *summary, struct bench_opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			o->quick = true;
		} else if (!strcmp(argv[i], "--check")) {
			o->check = true;
		} else {
			bool help = !strcmp(argv[i], "--help") || !strcmp(argv[i], "-h");

			fprintf(help ? stdout : stderr,
				"usage: %s [--quick] [--check]\n%s\n"
				"  --quick  small sizes, short rounds (the ctest smoke run)\n"
				"  --check  exit 1 when the cost target is missed\n",
				argv[0], summary);
			exit(help ? 0 : 2);
		}
	}
	/* enough rounds that one preempted round on a shared machine moves
	 * the median little */
	o->rounds = o->quick ? 3 : 11;
	o->round_ns = o->quick ? 200000 : 10000000;
}

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static uint64_t timed_round(bench_fn fn, void *arg, size_t iters)
{
	uint64_t t0 = bench_now_ns(), t1;
	int rc = fn(arg, iters);

	t1 = bench_now_ns();
	bench_ok(rc, "measured operation");
	return t1 - t0;
}

static unsigned int bench_rounds(const struct bench_opts *o)
{
	if (!o->rounds)
		return 1;
	return o->rounds < BENCH_MAX_ROUNDS ? o->rounds : BENCH_MAX_ROUNDS;
}

static double median_of(const double *v, unsigned int n)
{
	double sorted[BENCH_MAX_ROUNDS];

	memcpy(sorted, v, n * sizeof(*v));
	qsort(sorted, n, sizeof(sorted[0]), cmp_double);
	return sorted[n / 2];
}

void bench_interleaved(const struct bench_opts *o, struct bench_case *cases, size_t ncases)
{
	unsigned int rounds = bench_rounds(o), r;
	size_t c;

	/* calibration doubles as warm-up: caches, branch predictors and any
	 * lazily grown bitmap reach their steady state before timing */
	for (c = 0; c < ncases; c++) {
		/* One untimed call first. A first call can pay a one-time cost
		 * (a table or the backend's hash growing when the first new id
		 * or page arrives) that alone outlasts round_ns: timed, it would
		 * stop calibration at 1 iteration, and every round would then
		 * time one call with cold caches. */
		bench_ok(cases[c].fn(cases[c].arg, 1), "measured operation (warm-up)");
		cases[c].iters = 1;
		while (timed_round(cases[c].fn, cases[c].arg, cases[c].iters) < o->round_ns &&
		       cases[c].iters < ((size_t)1 << 40))
			cases[c].iters *= 2;
	}
	for (r = 0; r < rounds; r++) {
		for (c = 0; c < ncases; c++) {
			struct bench_case *bc = &cases[c];

			bc->samples[r] = (double)timed_round(bc->fn, bc->arg, bc->iters) /
					 ((double)bc->iters * bc->ops_per_iter);
		}
	}
	for (c = 0; c < ncases; c++)
		cases[c].median = median_of(cases[c].samples, rounds);
}

double bench_ratio(const struct bench_opts *o, const struct bench_case *a,
		   const struct bench_case *b)
{
	double ratios[BENCH_MAX_ROUNDS];
	unsigned int rounds = bench_rounds(o), r;

	for (r = 0; r < rounds; r++)
		ratios[r] = b->samples[r] / a->samples[r];
	return median_of(ratios, rounds);
}

uint64_t bench_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * UINT64_C(0x2545f4914f6cdd1d);
}

/* ------------------------------------------------------------------ */
/* Contexts                                                            */

void bench_ok(int rc, const char *what)
{
	if (!rc)
		return;
	fprintf(stderr, "bench: %s failed: %s (%d)\n", what, swmsi_errname(rc), rc);
	exit(2);
}

void bench_env_init(struct bench_env *env, enum bench_backend backend, unsigned int max_msi_maps,
		    enum swmsi_reclaim reclaim)
{
	bench_env_init_scheme(env, backend, max_msi_maps, reclaim, SWMSI_SCHEME_NATIVE);
}

void bench_env_init_scheme(struct bench_env *env, enum bench_backend backend,
			   unsigned int max_msi_maps, enum swmsi_reclaim reclaim,
			   enum swmsi_scheme scheme)
{
	struct swmsi_ctx_opts opts = {
		.page_shift = 12,
		.max_msi_maps = max_msi_maps,
		.reclaim = reclaim,
		.scheme = scheme,
	};

	memset(env, 0, sizeof(*env));
	env->backend = backend;
	if (backend == BENCH_BACKEND_MOCK) {
		bench_ok(mock_iommu_create(12, &env->mock), "mock_iommu_create");
		opts.iommu = mock_iommu_ops();
		opts.iommu_priv = env->mock;
	} else {
		bench_ok(hb_create(12, &env->hb), "hb_create");
		opts.iommu = hb_ops();
		opts.iommu_priv = env->hb;
	}
	bench_ok(swmsi_ctx_create(&opts, &env->ctx), "swmsi_ctx_create");
}

void bench_env_fini(struct bench_env *env)
{
	bool leaked;

	swmsi_ctx_destroy(env->ctx);
	if (env->backend == BENCH_BACKEND_MOCK) {
		leaked = mock_iommu_domain_count(env->mock) ||
			 mock_iommu_mapped_pages(env->mock, NULL) ||
			 mock_iommu_misuse_count(env->mock);
		mock_iommu_destroy(env->mock);
	} else {
		leaked = hb_domains(env->hb) || hb_mapped_pages(env->hb);
		hb_destroy(env->hb);
	}
	if (leaked) {
		fprintf(stderr, "bench: the context left domains or mappings behind\n");
		exit(2);
	}
	memset(env, 0, sizeof(*env));
}

uint32_t bench_ioas(struct bench_env *env)
{
	uint32_t id = 0;

	bench_ok(swmsi_ioas_alloc(env->ctx, &id), "swmsi_ioas_alloc");
	return id;
}

uint32_t bench_hwpt(struct bench_env *env, uint32_t ioas)
{
	uint32_t id = 0;

	bench_ok(swmsi_hwpt_alloc(env->ctx, ioas, 0, &id), "swmsi_hwpt_alloc");
	return id;
}

uint32_t bench_bind(struct bench_env *env, uint32_t group)
{
	struct swmsi_device_desc d = {
		.group = group,
		.sw_msi_start = BENCH_WINDOW_START,
		.sw_msi_size = BENCH_WINDOW_SIZE,
	};
	uint32_t id = 0;

	bench_ok(swmsi_device_bind(env->ctx, &d, &id), "swmsi_device_bind");
	return id;
}

void bench_fill(struct bench_env *env, uint32_t dev, size_t first, size_t count)
{
	size_t i;

	for (i = first; i < first + count; i++) {
		uint32_t vec;
		uint64_t msg;

		bench_ok(swmsi_msi_alloc(env->ctx, dev, bench_doorbell(i), &vec, &msg),
			 "swmsi_msi_alloc (fill)");
	}
}

uint64_t bench_allocs(struct swmsi_ctx *ctx)
{
	struct swmsi_ctx_stats st;

	bench_ok(swmsi_ctx_stats(ctx, &st), "swmsi_ctx_stats");
	return st.allocs;
}
