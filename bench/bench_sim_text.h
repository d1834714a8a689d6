/* SPDX-License-Identifier: MIT */
/*
 * What the simulator's benchmarks (bench_sim_step, bench_sim_scale) share:
 * a monotonic clock in seconds and a growing text they write a scenario
 * into (bench_sim_text.c).
 */
#ifndef SWMSI_BENCH_SIM_TEXT_H
#define SWMSI_BENCH_SIM_TEXT_H

#include <stddef.h>

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

#endif /* SWMSI_BENCH_SIM_TEXT_H */
