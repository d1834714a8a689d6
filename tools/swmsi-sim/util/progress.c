/* SPDX-License-Identifier: MIT */
/*
 * The progress line on a terminal, for every mode that draws one (a run's
 * bar, sinks/sink_progress.c; the explorer's counts, explore_out.c): one
 * line redrawn in place, each drawing from the line's start and clearing
 * what a longer earlier one left, and cleared when done, so that what is
 * printed next starts on a clean line.
 */
#include <stdarg.h>

#include "util.h"

void sim_progress_line(FILE *f, const char *fmt, ...)
{
	va_list ap;

	fputc('\r', f);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputs("\033[K", f);
	fflush(f);
}

void sim_progress_clear(FILE *f)
{
	fputs("\r\033[K", f);
	fflush(f);
}
