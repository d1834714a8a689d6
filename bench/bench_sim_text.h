/* SPDX-License-Identifier: MIT */
/*
 * What the simulator's benchmarks (bench_sim_step, bench_sim_scale) share:
 * a monotonic clock in seconds, a growing text they write a scenario into,
 * a sink that notes when each step ended, and a sort order for their
 * timings (bench_sim_text.c).
 */
#ifndef SWMSI_BENCH_SIM_TEXT_H
#define SWMSI_BENCH_SIM_TEXT_H

#include <stddef.h>

#include "engine.h"

/* Seconds on CLOCK_MONOTONIC. */
double bench_sim_now(void);

/* A scenario's text as it is written. */
struct text {
	char *s;
	size_t len, cap;
};

/* Append to @t as printf would; out of memory ends the program (exit 2,
 * naming @t's program in perror()'s message). */
void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The sink's state: @t[i] is when step i ended; @n steps have. */
struct stamps {
	double *t;
	size_t n;
};

/* A sink (priv: struct stamps) that stamps each step's end. */
extern const struct sim_sink_ops stamp_ops;

/* qsort() order of doubles, ascending. */
int cmp_double(const void *a, const void *b);

#endif /* SWMSI_BENCH_SIM_TEXT_H */
