/* SPDX-License-Identifier: MIT */
/* A step's outcome as the run functions and the judge fill it. */
#include <stdarg.h>
#include <stdio.h>

#include "runner.h"

void sim_step_fail(struct sim_step *st, const char *fmt, ...)
{
	va_list ap;

	if (st->failed)
		return;
	st->failed = true;
	va_start(ap, fmt);
	vsnprintf(st->why, sizeof(st->why), fmt, ap);
	va_end(ap);
}

/* What an expectation or a fire claims, and what was observed, in words (JSON). */
void sim_step_want(struct sim_step *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->want, sizeof(st->want), fmt, ap);
	va_end(ap);
}

void sim_step_got(struct sim_step *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->got, sizeof(st->got), fmt, ap);
	va_end(ap);
}
