/* SPDX-License-Identifier: MIT */
/*
 * Each step summed up in a struct sim_step_rec for sim_opts.on_step: the
 * result as --compare shows it, the names of the invariants broken, the
 * vectors lost or misrouted after it.
 */
#include <stdio.h>
#include <string.h>

#include "runner.h"
#include "sinks.h"

/* The names of the step's findings, each once: "slot-in-window, msg-in-window". */
static void finding_names(const struct sim_rec *r, char *buf, size_t len)
{
	size_t i, k, off = 0;

	buf[0] = '\0';
	for (i = 0; i < r->nviol && off < len; i++) {
		if (!r->viol[i].finding)
			continue;
		for (k = 0;
		     k < i && (!r->viol[k].finding || strcmp(r->viol[k].inv, r->viol[i].inv)); k++)
			;
		if (k == i)
			off += (size_t)snprintf(buf + off, len - off, "%s%s", off ? ", " : "",
						r->viol[i].inv);
	}
}

static void result_text(const struct sim_step *st, const struct sim_text *w, char *buf, size_t len)
{
	if (st->has_fate)
		snprintf(buf, len, "%s%s", st->rc ? "" : "ok  ", w->fate);
	else if (st->rc)
		snprintf(buf, len, "%s", swmsi_errname(st->rc));
	else if (scn_op_is_expect(st->c->op))
		snprintf(buf, len, "%.150s", st->failed ? w->got : "holds");
	else
		snprintf(buf, len, "ok%s%.150s", w->detail[0] ? "  " : "", w->detail);
}

static void steprec_step(void *priv, const struct sim *s, const struct sim_rec *r)
{
	struct sink_steprec *p = priv;
	struct sim_step_rec rec;
	struct sim_text w;

	memset(&rec, 0, sizeof(rec));
	rec.index = r->index;
	if (r->skipped) {
		rec.skipped = true;
		snprintf(rec.result, sizeof(rec.result), "skipped");
		p->fn(p->priv, &rec);
		return;
	}
	rec.failed = r->st->failed;
	rec.rc = r->st->rc;
	sim_outcome_text(s, r, &w);
	result_text(r->st, &w, rec.result, sizeof(rec.result));
	rec.violations = r->violations;
	rec.findings = r->findings;
	finding_names(r, rec.finding_names, sizeof(rec.finding_names));
	rec.nfates = sim_fates(s, r->after, rec.fates, sizeof(rec.fates));
	p->fn(p->priv, &rec);
}

const struct sim_sink_ops sink_steprec_ops = {
	.step = steprec_step,
};
