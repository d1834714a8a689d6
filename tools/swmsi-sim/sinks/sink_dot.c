/* SPDX-License-Identifier: MIT */
/* The final state's graph: --dot's DOT text, --svg's rendering by Graphviz. */
#include <stdlib.h>

#include "sinks.h"

static void dot_step(void *priv, const struct sim *s, const struct sim_rec *r)
{
	sim_scene_step(&((struct sink_dot *)priv)->scene, s, r);
}

/* The graph while the context lives: the groups' required ids are asked of it. */
static int dot_final(void *priv, const struct sim *s, const struct snapshot *fin)
{
	struct sink_dot *d = priv;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	rc = sim_scene_final(&d->scene, s, fin);
	d->scene.only = d->only;
	if (d->dot && sim_dot_state(s, d->dot, fin, &d->scene))
		rc = -1;
	if (!d->svg_path)
		return rc;
	f = open_memstream(&buf, &len);
	if (!f)
		return -1;
	if (sim_dot_state(s, f, fin, &d->scene))
		rc = -1;
	if (fclose(f)) {
		free(buf);
		return -1;
	}
	/* dot may write to our standard output: what we wrote goes first. */
	fflush(stdout);
	if (sim_render_svg(buf, len, d->svg_path, d->err))
		rc = -1;
	free(buf);
	return rc;
}

static void dot_end(void *priv, const struct sim *s, const struct sim_end *e)
{
	(void)s;
	(void)e;
	sim_scene_free(&((struct sink_dot *)priv)->scene);
}

const struct sim_sink_ops sink_dot_ops = {
	.step = dot_step,
	.final = dot_final,
	.end = dot_end,
};
