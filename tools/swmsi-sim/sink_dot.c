/* SPDX-License-Identifier: MIT */
/* The final state's graph: --dot's DOT text, --svg's rendering by Graphviz. */
#include <stdlib.h>

#include "runner.h"
#include "sinks.h"

static int dot_final(void *priv, const struct sim *s, const struct snapshot *fin)
{
	struct sink_dot *d = priv;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	if (d->dot)
		sim_dot_state(s, d->dot, fin);
	if (!d->svg_path)
		return 0;
	f = open_memstream(&buf, &len);
	if (!f)
		return -1;
	sim_dot_state(s, f, fin);
	if (fclose(f)) {
		free(buf);
		return -1;
	}
	/* dot may write to our standard output: what we wrote goes first. */
	fflush(stdout);
	rc = sim_render_svg(buf, len, d->svg_path, d->err);
	free(buf);
	return rc;
}

const struct sim_sink_ops sink_dot_ops = {
	.final = dot_final,
};
