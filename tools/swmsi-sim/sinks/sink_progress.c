/* SPDX-License-Identifier: MIT */
/*
 * The progress bar: on a terminal's standard error, redrawn as the
 * percentage moves (the progress line of util/progress.c, which the
 * explorer draws its counts on too). It never interleaves with other text on the terminal:
 * play.c adds it only when the timeline does not go to a terminal (-q, or
 * standard output redirected), and a step that has a diagnostic to print
 * (a failed expectation, a broken invariant) clears the bar first; the
 * text sink, which comes after this one, then prints on a clean line, and
 * the next step draws the bar again.
 */
#include <limits.h>

#include "sinks.h"

#define BAR_WIDTH 40

static void draw(struct sink_progress *p, size_t done, size_t total)
{
	int width = BAR_WIDTH, fill;
	unsigned int pct;

	if (!p->err || !total)
		return;
	pct = (unsigned int)(done * 100 / total);
	if (done != total && done > 1 && pct == p->pct)
		return;
	p->pct = pct;
	fill = (int)((done * (size_t)width) / total);
	sim_progress_line(p->err, "[%.*s%*s] %zu/%zu", fill,
			  "########################################", width - fill, "", done,
			  total);
	if (done == total)
		sim_progress_clear(p->err);
}

static void progress_step(void *priv, const struct sim *s, const struct sim_rec *r)
{
	struct sink_progress *p = priv;

	(void)s;
	p->done = r->done;
	p->total = r->total;
	if (p->err && (r->st->failed || r->violations)) {
		sim_progress_clear(p->err);
		p->pct = UINT_MAX; /* drawn again by the next step */
		return;
	}
	draw(p, r->done, r->total);
}

/* A run that stopped early clears its bar too. */
static void progress_end(void *priv, const struct sim *s, const struct sim_end *e)
{
	struct sink_progress *p = priv;

	(void)s;
	(void)e;
	if (p->done < p->total)
		draw(p, p->total, p->total);
}

const struct sim_sink_ops sink_progress_ops = {
	.step = progress_step,
	.end = progress_end,
};
