/* SPDX-License-Identifier: MIT */
/*
 * Shared helpers of the benchmarks: a minimal hash-table IOMMU backend (so
 * the mock's journal and radix walk do not dominate the figures), a timing
 * loop that reports the median of several rounds, and a context setup that
 * can run on either backend.
 *
 * Benchmarks report ratios against a baseline measured in the same run,
 * never absolute times against a fixed limit: the machine is shared.
 */
#ifndef SWMSI_BENCH_H
#define SWMSI_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <swmsi/swmsi.h>

/* ------------------------------------------------------------------ */
/* The hash backend                                                    */

/*
 * A struct swmsi_iommu_ops backed by one open-addressing hash per domain,
 * keyed by IOVA page: map, unmap and iova_to_phys cost O(pages touched)
 * whatever the domain holds. Not thread safe; the context lock serialises
 * its calls, and each benchmark gives every context its own instance.
 */
struct hb;

int hb_create(unsigned int page_shift, struct hb **hbp);
void hb_destroy(struct hb *hb);
const struct swmsi_iommu_ops *hb_ops(void);
/* Domains alive and pages mapped across them (leak checks). */
size_t hb_domains(const struct hb *hb);
uint64_t hb_mapped_pages(const struct hb *hb);
/* Map calls made so far (how many installs a measured call caused). */
uint64_t hb_map_calls(const struct hb *hb);

/* ------------------------------------------------------------------ */
/* Command line                                                        */

struct bench_opts {
	bool quick; /* small sizes and short rounds: the ctest smoke run */
	bool check; /* turn the target into the exit code */
	unsigned int rounds;
	uint64_t round_ns; /* a round runs at least this long */
};

/* Parses --quick, --check, --help; exits 2 (with usage) on anything else. */
void bench_parse_args(int argc, char **argv, const char *summary, struct bench_opts *o);

/* ------------------------------------------------------------------ */
/* Timing                                                              */

uint64_t bench_now_ns(void);

/*
 * Runs @iters measured operations; returns 0, or a negative errno that
 * ends the benchmark (an unexpected failure of the code under test).
 */
typedef int (*bench_fn)(void *arg, size_t iters);

/* One measured operation in a set timed round-robin. */
#define BENCH_MAX_ROUNDS 64
struct bench_case {
	bench_fn fn;
	void *arg;
	unsigned int ops_per_iter;
	/* filled by bench_interleaved() */
	size_t iters;
	double samples[BENCH_MAX_ROUNDS]; /* ns per op, in round order */
	double median;
};

/*
 * Times several cases in the same stretch of wall time. Each case's
 * iteration count is doubled until a round lasts o->round_ns; then round r
 * of every case runs before round r + 1 of any, o->rounds rounds, and the
 * median ns per operation (iterations * ops_per_iter) is kept. On a
 * shared machine a burst of load then hits every case alike, so ratios
 * between cases stay steadier than their absolute times.
 */
void bench_interleaved(const struct bench_opts *o, struct bench_case *cases, size_t ncases);

/* Median over rounds of b's time / a's time (both from one interleaved set). */
double bench_ratio(const struct bench_opts *o, const struct bench_case *a,
		   const struct bench_case *b);

/* A value the optimiser must assume is read, so measured work stays. */
extern volatile uint64_t bench_sink;

/* ------------------------------------------------------------------ */
/* Contexts                                                            */

struct mock_iommu;

enum bench_backend {
	BENCH_BACKEND_HASH, /* hb: the default for timing */
	BENCH_BACKEND_MOCK, /* libswmsi-mock: end-to-end figures */
};

struct bench_env {
	enum bench_backend backend;
	struct hb *hb;
	struct mock_iommu *mock;
	struct swmsi_ctx *ctx;
};

/* 4 KiB pages, @max_msi_maps ids, @reclaim; exits 2 on failure. */
void bench_env_init(struct bench_env *env, enum bench_backend backend, unsigned int max_msi_maps,
		    enum swmsi_reclaim reclaim);
/* The same under another sw_msi scheme. */
void bench_env_init_scheme(struct bench_env *env, enum bench_backend backend,
			   unsigned int max_msi_maps, enum swmsi_reclaim reclaim,
			   enum swmsi_scheme scheme);
/* Heap allocations the context made so far (swmsi_ctx_stats().allocs). */
uint64_t bench_allocs(struct swmsi_ctx *ctx);
/* Destroys the context, then checks the backend got every domain and page
 * back (and, for the mock, no misuse); exits 2 if not. */
void bench_env_fini(struct bench_env *env);

/* The window every benchmark group reports: 1 GiB at 0x8000000, 262144
 * slots of 4 KiB, enough for any table the benchmarks build. */
#define BENCH_WINDOW_START 0x8000000ull
#define BENCH_WINDOW_SIZE  (1ull << 30)
/* Doorbell page i sits at BENCH_DOORBELL_BASE + i * 4 KiB. */
#define BENCH_DOORBELL_BASE 0x100000000ull
#define BENCH_PAGE_SIZE	    4096ull

/* Exits 2 naming @what when @rc is an error: a benchmark never times a
 * failing call. */
void bench_ok(int rc, const char *what);

uint32_t bench_ioas(struct bench_env *env);
uint32_t bench_hwpt(struct bench_env *env, uint32_t ioas);
/* Binds a device of @group with the benchmark window. */
uint32_t bench_bind(struct bench_env *env, uint32_t group);
/* Gives @dev one vector on each doorbell page [first, first + count). */
void bench_fill(struct bench_env *env, uint32_t dev, size_t first, size_t count);

static inline uint64_t bench_doorbell(size_t i)
{
	return BENCH_DOORBELL_BASE + (uint64_t)i * BENCH_PAGE_SIZE;
}

/* xorshift64*: a fixed-seed sequence so every run draws the same pages. */
uint64_t bench_rand(uint64_t *state);

#endif /* SWMSI_BENCH_H */
