/* SPDX-License-Identifier: MIT */
/*
 * bench_sim_step: what one swmsi-sim step costs as the scenario grows.
 *
 * For N = 1,000, 10,000 and 100,000 devices, bound in groups of
 * GROUP_SIZE, attached to one HWPT and given a vector each, it then runs the same tail of
 * steps on a few of them (detach, attach, msi, free) and reports the median
 * cost of a tail step, and the ratio of the largest to the smallest: a step
 * must cost what it touches, not what the context holds. It also times the
 * whole 100,000-device run and parsing 100,000 declarations.
 *
 * usage: bench_sim_step [--check] [--quick]
 *   --check  exit 1 when the ratio exceeds 2
 *   --quick  N = 100 and 1,000 only (the ctest smoke run, which runs under
 *            the sanitizers too: it shows the program works, not its figures)
 * Figures are ratios against the smallest run in the same process: the
 * machine is shared, absolute times vary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_sim_text.h"
#include "engine.h"

#define TAIL_DEVS  8
#define TAIL_LOOPS 64 /* 4 steps each per device */
/*
 * Devices per group. The library's swmsi_device_bind() looks at every
 * group with a window (two windows must not overlap), so binding N
 * devices in N groups costs N^2 there whatever the simulator does: groups
 * of GROUP_SIZE keep the setup in seconds. A step touches the whole group
 * of its device, the same size at every N.
 */
#define GROUP_SIZE 50

/* @n devices bound, attached and given a vector; then the measured tail. */
static char *scenario(size_t n, size_t *tail_from)
{
	struct text t = { 0 };
	size_t i, k, steps = 2;

	put(&t, "ioas a\nhwpt h a\n");
	for (i = 0; i < n; i++) {
		put(&t, "device d%zu group=%zu window=0x8000000:1M\nattach d%zu h\n", i,
		    i / GROUP_SIZE, i);
		put(&t, "msi d%zu v 0x8090040\n", i);
		steps += 3;
	}
	*tail_from = steps;
	for (k = 0; k < TAIL_LOOPS; k++) {
		i = (k % TAIL_DEVS) * (n / TAIL_DEVS);
		put(&t, "detach d%zu\nattach d%zu h\nmsi d%zu w 0x80a0040\nfree d%zu w\n", i, i, i,
		    i);
	}
	return t.s;
}

/* Runs the scenario of @n devices; the median tail step in seconds. */
static double run(size_t n, double *total)
{
	struct sim_opts o = { 0 };
	struct sim_result res;
	struct scn_diag d;
	struct stamps st;
	struct sim_sink sink = { &stamp_ops, &st };
	struct scn *scn;
	size_t from, i, m;
	double t0, med, *dt;
	char *text = scenario(n, &from);
	int rc;

	if (scn_parse(text, strlen(text), "<bench>", &scn, &d)) {
		fprintf(stderr, "bench_sim_step: %u:%u: %s\n", d.line, d.col, d.msg);
		exit(2);
	}
	free(text);
	st.t = calloc(scn->ncmds, sizeof(*st.t));
	dt = calloc(scn->ncmds, sizeof(*dt));
	if (!st.t || !dt)
		exit(2);
	t0 = bench_sim_now();
	rc = sim_engine_run(scn, &o, &sink, 1, &res);
	*total = bench_sim_now() - t0;
	if (rc != SIM_OK || st.n != scn->ncmds) {
		fprintf(stderr, "bench_sim_step: the %zu-device run failed (%d)\n", n, rc);
		exit(2);
	}
	for (i = from, m = 0; i < scn->ncmds; i++)
		dt[m++] = st.t[i] - st.t[i - 1];
	qsort(dt, m, sizeof(*dt), cmp_double);
	med = dt[m / 2];
	free(st.t);
	free(dt);
	scn_free(scn);
	return med;
}

/* Parsing @n declarations, in seconds. */
static double parse_time(size_t n)
{
	struct text t = { 0 };
	struct scn_diag d;
	struct scn *scn;
	double t0, el;
	size_t i;

	for (i = 0; i < n; i++)
		put(&t, "device d%zu group=%zu\n", i, i);
	t0 = bench_sim_now();
	if (scn_parse(t.s, t.len, "<bench>", &scn, &d))
		exit(2);
	el = bench_sim_now() - t0;
	scn_free(scn);
	free(t.s);
	return el;
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 1000, 10000, 100000 };
	static const size_t quick_sizes[] = { 100, 1000 };
	bool check = false, quick = false;
	double base = 0, ratio = 0, total;
	const size_t *sz = sizes;
	size_t i, nsizes = 3;

	for (i = 1; i < (size_t)argc; i++) {
		if (!strcmp(argv[i], "--check"))
			check = true;
		else if (!strcmp(argv[i], "--quick"))
			quick = true;
		else {
			fprintf(stderr, "usage: bench_sim_step [--check] [--quick]\n");
			return 2;
		}
	}
	if (quick) {
		sz = quick_sizes;
		nsizes = 2;
	}
	for (i = 0; i < nsizes; i++) {
		double med = run(sz[i], &total);

		if (!i)
			base = med;
		ratio = med / base;
		printf("%7zu devices: %8.2f us a step (median of %d), x%.2f; the whole run "
		       "(%zu steps) %.2f s\n",
		       sz[i], med * 1e6, TAIL_LOOPS * 4, ratio, 3 * sz[i] + 2 + TAIL_LOOPS * 4,
		       total);
	}
	printf("parsing %zu declarations: %.3f s\n", sz[nsizes - 1], parse_time(sz[nsizes - 1]));
	printf("step cost ratio, %zu to %zu devices: %.2f (limit 2)\n", sz[nsizes - 1], sz[0],
	       ratio);
	if (check && ratio > 2) {
		printf("FAIL: a step costs more than twice as much at %zu devices\n",
		       sz[nsizes - 1]);
		return 1;
	}
	return 0;
}
