/* SPDX-License-Identifier: MIT */
/* What the simulator benchmarks share (bench_sim_text.h). */
/* clock_gettime(CLOCK_MONOTONIC) is POSIX, not C17 */
#define _POSIX_C_SOURCE 200809L

#include "bench_sim_text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

double bench_sim_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->s ? t->s + t->len : NULL, t->s ? t->cap - t->len : 0, fmt, ap);
		va_end(ap);
		if (t->s && (size_t)n < t->cap - t->len)
			break;
		t->cap = t->cap ? t->cap * 2 : 1 << 20;
		t->s = realloc(t->s, t->cap);
		if (!t->s) {
			perror("swmsi-sim benchmark: scenario text");
			exit(2);
		}
	}
	t->len += (size_t)n;
}

static void stamp(void *priv, const struct sim *s, const struct sim_rec *r)
{
	struct stamps *st = priv;

	(void)s;
	st->t[r->index] = bench_sim_now();
	st->n = r->index + 1;
}

const struct sim_sink_ops stamp_ops = { .step = stamp };

int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}
