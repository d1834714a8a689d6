/* SPDX-License-Identifier: MIT */
/*
 * Broken invariants, as the checks report them: appended to the step's
 * list, in check order, a finding when the run's scheme is known to break
 * invariants (KERNEL, DMA_IOMMU without strict). Nothing is printed here:
 * the engine hands the list to the sinks with the step's record.
 */
#include <stdarg.h>
#include <stdio.h>

#include "runner.h"

void sim_violation(struct sim *s, const char *inv, const char *fmt, ...)
{
	struct sim_violation *v;
	va_list ap;

	if (sim_grow((void **)&s->viols, &s->cap_viols, s->nviols + 1, sizeof(*s->viols), 8)) {
		s->oom = true;
		return;
	}
	v = &s->viols[s->nviols++];
	v->inv = inv;
	v->finding = sim_findings_only(s);
	va_start(ap, fmt);
	vsnprintf(v->msg, sizeof(v->msg), fmt, ap);
	va_end(ap);
}
