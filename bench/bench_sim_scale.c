/* SPDX-License-Identifier: MIT */
/*
 * bench_sim_scale: what a swmsi-sim step costs as the MSI table grows.
 *
 * N devices, each in a group of its own with the same 64 MiB window, one
 * IOAS and two HWPTs: every device is bound, attached to the first HWPT
 * and given one vector on a doorbell page of its own (N table entries, N
 * MSI pages in the first HWPT's domain); then every device is replaced
 * onto the second HWPT, then every vector fired. For N = 500 to 8,000 it
 * prints the mean and median step of each phase, a typical step of the
 * whole run (the phases' medians weighted by their step counts) and its
 * ratio to N = 500 (the target: at most 2), the same
 * calls made on the library alone, what one read of the whole table and of
 * a HWPT's present ids costs against one entry read by key (what a step's
 * scoped snapshot reads per entry it keeps: swmsi_msi_map_get(), _find(),
 * swmsi_hwpt_present_map_has()), and each run's peak memory (maxrss of
 * a child process per N) with its growth per device between sizes (the
 * target: linear, the last segment's growth per device at most twice the
 * first's).
 *
 * usage: bench_sim_scale [--check] [--quick]
 *   --check  exit 1 when a target is missed
 *   --quick  N = 100 and 400 only (the ctest smoke run)
 * Figures are ratios against the smallest N in the same run: the machine
 * is shared, absolute times vary.
 */
#define _DEFAULT_SOURCE /* wait4() */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <swmsi/mock_iommu.h>

#include "bench_sim_text.h"
#include "engine.h"

#define WINDOW	   0x8000000ull
#define WINDOW_SZ  "64M" /* 16,384 slots of 4 KiB: room for N pages */
#define DOORBELLS  0x40000000ull
#define PAGE	   4096ull
#define NPHASES	   3
#define SETUP_CMDS 3 /* ioas, hwpt, hwpt */

static const char *const phase_name[NPHASES] = { "bind+attach+msi", "replace", "fire" };

/* What a child measured at one N. */
struct figures {
	size_t n, steps;
	double mean[NPHASES], median[NPHASES]; /* seconds a step */
	double all_mean;		       /* a typical step after the setup */
	double total;			       /* the whole run, final check included */
	double lib;			       /* the same calls on the library alone */
	double floor;			       /* one read of the table and of h2's present ids */
	double point;			       /* one entry and its present bit, by key */
	long maxrss_kb;			       /* filled by the parent */
	int status;			       /* the run's enum sim_status */
};

/* The scenario of @n devices (its phases start at SETUP_CMDS, +3n, +4n). */
static char *scenario(size_t n)
{
	struct text t = { 0 };
	size_t i;

	put(&t, "option max_msi_maps %zu\nioas a\nhwpt h1 a\nhwpt h2 a\n", n + 64);
	for (i = 0; i < n; i++)
		put(&t,
		    "device d%zu group=%zu window=0x%llx:%s\nattach d%zu h1\n"
		    "msi d%zu v 0x%llx\n",
		    i, i, WINDOW, WINDOW_SZ, i, i, DOORBELLS + i * PAGE + 0x40);
	for (i = 0; i < n; i++)
		put(&t, "replace d%zu h2\n", i);
	for (i = 0; i < n; i++)
		put(&t, "fire d%zu v\n", i);
	return t.s;
}

/* Mean and median of the steps [@from, @to) stamped in @t, into @f's @ph. */
static void phase(const double *t, size_t from, size_t to, struct figures *f, int ph)
{
	double *dt = calloc(to - from, sizeof(*dt)), sum = 0;
	size_t i, m = 0;

	if (!dt)
		exit(2);
	for (i = from; i < to; i++) {
		dt[m] = t[i] - t[i - 1];
		sum += dt[m++];
	}
	qsort(dt, m, sizeof(*dt), cmp_double);
	f->mean[ph] = m ? sum / (double)m : 0;
	f->median[ph] = m ? dt[m / 2] : 0;
	free(dt);
}

/* The scenario of @f->n devices through the engine, timed step by step. */
static void run_sim(struct figures *f)
{
	struct sim_opts o = { 0 };
	struct sim_result res;
	struct scn_diag d;
	struct stamps st = { NULL, 0 };
	struct sim_sink sink = { &stamp_ops, &st };
	struct scn *scn;
	char *text = scenario(f->n);
	size_t n = f->n, from = SETUP_CMDS;
	double t0;

	if (scn_parse(text, strlen(text), "<bench>", &scn, &d)) {
		fprintf(stderr, "bench_sim_scale: %u:%u: %s\n", d.line, d.col, d.msg);
		exit(2);
	}
	free(text);
	st.t = calloc(scn->ncmds, sizeof(*st.t));
	if (!st.t)
		exit(2);
	t0 = bench_sim_now();
	f->status = sim_engine_run(scn, &o, &sink, 1, &res);
	f->total = bench_sim_now() - t0;
	f->steps = st.n;
	if (f->status == SIM_OK && st.n == scn->ncmds) {
		phase(st.t, from, from + 3 * n, f, 0);
		phase(st.t, from + 3 * n, from + 4 * n, f, 1);
		phase(st.t, from + 4 * n, from + 5 * n, f, 2);
		/* the phases' medians, weighted by their steps: a typical step,
		 * which a burst of load on a shared machine does not skew */
		f->all_mean = (3 * f->median[0] + f->median[1] + f->median[2]) / 5;
	}
	free(st.t);
	scn_free(scn);
}

static void ok(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "bench_sim_scale: %s: %s\n", what, strerror(-rc));
		exit(2);
	}
}

/*
 * What one read of the whole MSI table and of a HWPT's present ids costs,
 * in seconds: what a step that checks an entry paid before the table could
 * be read by key.
 */
static double read_floor(struct swmsi_ctx *ctx, uint32_t hwpt, size_t n)
{
	struct swmsi_msi_map_info *maps = calloc(n + 64, sizeof(*maps));
	uint32_t *ids = calloc(n + 64, sizeof(*ids));
	size_t cnt, r, reps = 64;
	double t0, el;

	if (!maps || !ids)
		exit(2);
	t0 = bench_sim_now();
	for (r = 0; r < reps; r++) {
		ok(swmsi_msi_map_list(ctx, maps, n + 64, &cnt), "swmsi_msi_map_list");
		ok(swmsi_hwpt_msi_present(ctx, hwpt, ids, n + 64, &cnt), "swmsi_hwpt_msi_present");
	}
	el = (bench_sim_now() - t0) / (double)reps;
	free(maps);
	free(ids);
	return el;
}

/* What reading one entry by id and by page, and its present bit, costs, in
 * seconds: a scoped step snapshot's reads per entry it keeps. */
static double read_point(struct swmsi_ctx *ctx, uint32_t hwpt, size_t n)
{
	struct swmsi_msi_map_info m;
	size_t i, reps = n < 4096 ? 4096 : n;
	double t0 = bench_sim_now();
	bool has;

	for (i = 0; i < reps; i++) {
		ok(swmsi_msi_map_get(ctx, (uint32_t)(i % n), &m), "swmsi_msi_map_get");
		ok(swmsi_msi_map_find(ctx, m.sw_msi_start, m.msi_page, &m), "swmsi_msi_map_find");
		ok(swmsi_hwpt_present_map_has(ctx, hwpt, m.id, &has), "swmsi_hwpt_present_map_has");
	}
	return (bench_sim_now() - t0) / (double)reps;
}

/* The same calls on the library and the mock alone, in seconds a call. */
static void run_lib(struct figures *f)
{
	struct swmsi_ctx_opts o = { .page_shift = 12, .max_msi_maps = (uint32_t)f->n + 64 };
	struct swmsi_device_desc dd = { .sw_msi_start = WINDOW, .sw_msi_size = 64ull << 20 };
	struct mock_iommu *mock;
	struct swmsi_ctx *ctx;
	uint32_t ioas, h1, h2, *dev = calloc(f->n, sizeof(*dev)), *vec = calloc(f->n, sizeof(*vec));
	uint64_t msg, pa;
	double t0;
	size_t i;

	if (!dev || !vec)
		exit(2);
	ok(mock_iommu_create(12, &mock), "mock_iommu_create");
	o.iommu = mock_iommu_ops();
	o.iommu_priv = mock;
	ok(swmsi_ctx_create(&o, &ctx), "swmsi_ctx_create");
	t0 = bench_sim_now();
	ok(swmsi_ioas_alloc(ctx, &ioas), "swmsi_ioas_alloc");
	ok(swmsi_hwpt_alloc(ctx, ioas, 0, &h1), "swmsi_hwpt_alloc");
	ok(swmsi_hwpt_alloc(ctx, ioas, 0, &h2), "swmsi_hwpt_alloc");
	for (i = 0; i < f->n; i++) {
		dd.group = (uint32_t)i;
		ok(swmsi_device_bind(ctx, &dd, &dev[i]), "swmsi_device_bind");
		ok(swmsi_device_attach(ctx, dev[i], h1), "swmsi_device_attach");
		ok(swmsi_msi_alloc(ctx, dev[i], DOORBELLS + i * PAGE + 0x40, &vec[i], &msg),
		   "swmsi_msi_alloc");
	}
	for (i = 0; i < f->n; i++)
		ok(swmsi_device_replace(ctx, dev[i], h2), "swmsi_device_replace");
	for (i = 0; i < f->n; i++)
		ok(swmsi_msi_fire(ctx, dev[i], vec[i], &pa), "swmsi_msi_fire");
	f->lib = (bench_sim_now() - t0) / (double)(5 * f->n + SETUP_CMDS);
	f->floor = read_floor(ctx, h2, f->n);
	f->point = read_point(ctx, h2, f->n);
	swmsi_ctx_destroy(ctx);
	mock_iommu_destroy(mock);
	free(dev);
	free(vec);
}

/* One N in a child process of its own, so that its maxrss is its own. */
static void measure(size_t n, struct figures *f)
{
	struct rusage ru;
	int fd[2], wst;
	pid_t pid;

	memset(f, 0, sizeof(*f));
	f->n = n;
	if (pipe(fd) || (pid = fork()) < 0) {
		perror("bench_sim_scale");
		exit(2);
	}
	if (!pid) {
		close(fd[0]);
		run_lib(f);
		run_sim(f);
		_exit(write(fd[1], f, sizeof(*f)) == (ssize_t)sizeof(*f) ? 0 : 2);
	}
	close(fd[1]);
	if (read(fd[0], f, sizeof(*f)) != (ssize_t)sizeof(*f) || wait4(pid, &wst, 0, &ru) != pid ||
	    !WIFEXITED(wst) || WEXITSTATUS(wst)) {
		fprintf(stderr, "bench_sim_scale: the %zu-device run failed\n", n);
		exit(2);
	}
	close(fd[0]);
	f->maxrss_kb = ru.ru_maxrss;
	if (f->status != SIM_OK || f->steps != 5 * n + SETUP_CMDS) {
		fprintf(stderr, "bench_sim_scale: the %zu-device run stopped at step %zu (%d)\n", n,
			f->steps, f->status);
		exit(2);
	}
}

static void print_row(const struct figures *f, const struct figures *base)
{
	int p;

	printf("%6zu devices:", f->n);
	for (p = 0; p < NPHASES; p++)
		printf(" %s %.1f/%.1f us,", phase_name[p], f->mean[p] * 1e6, f->median[p] * 1e6);
	printf(" all %.2f us x%.2f; library alone %.2f us a call; reading the table and a "
	       "HWPT's present ids %.2f us, one entry and its bit by key %.3f us; run %.2f s; "
	       "maxrss %ld KiB\n",
	       f->all_mean * 1e6, f->all_mean / base->all_mean, f->lib * 1e6, f->floor * 1e6,
	       f->point * 1e6, f->total, f->maxrss_kb);
}

/* Peak memory growth per device between sizes @a and @b, in bytes. */
static double growth(const struct figures *a, const struct figures *b)
{
	return (double)(b->maxrss_kb - a->maxrss_kb) * 1024.0 / (double)(b->n - a->n);
}

static int report(const struct figures *f, size_t nf, bool check)
{
	double ratio = f[nf - 1].all_mean / f[0].all_mean, g0, g1;
	size_t i;
	int rc = 0;

	for (i = 1; i < nf; i++)
		printf("peak memory %zu -> %zu devices: %+.0f bytes a device\n", f[i - 1].n, f[i].n,
		       growth(&f[i - 1], &f[i]));
	g0 = growth(&f[0], &f[nf / 2]);
	g1 = growth(&f[nf / 2], &f[nf - 1]);
	printf("step cost ratio, %zu to %zu devices: %.2f (limit 2)\n", f[nf - 1].n, f[0].n, ratio);
	printf("memory growth a device, %zu..%zu vs %zu..%zu: %.0f vs %.0f bytes (linear: "
	       "the second at most twice the first)\n",
	       f[0].n, f[nf / 2].n, f[nf / 2].n, f[nf - 1].n, g0, g1);
	if (check && ratio > 2) {
		printf("FAIL: a step costs more than twice as much at %zu devices\n", f[nf - 1].n);
		rc = 1;
	}
	if (check && g1 > 2 * (g0 > 1024 ? g0 : 1024)) {
		printf("FAIL: peak memory grows faster than linearly\n");
		rc = 1;
	}
	return rc;
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 500, 1000, 2000, 4000, 8000 };
	static const size_t quick_sizes[] = { 100, 200, 400 };
	struct figures f[5];
	const size_t *sz = sizes;
	size_t i, nf = 5;
	bool check = false;

	for (i = 1; i < (size_t)argc; i++) {
		if (!strcmp(argv[i], "--check")) {
			check = true;
		} else if (!strcmp(argv[i], "--quick")) {
			sz = quick_sizes;
			nf = 3;
		} else {
			fprintf(stderr, "usage: bench_sim_scale [--check] [--quick]\n");
			return 2;
		}
	}
	printf("phase figures: mean/median microseconds a step\n");
	fflush(stdout);
	for (i = 0; i < nf; i++) {
		measure(sz[i], &f[i]);
		print_row(&f[i], &f[0]);
		fflush(stdout);
	}
	return report(f, nf, check);
}
