/* SPDX-License-Identifier: MIT */
/*
 * The sinks of swmsi-sim's step records (record.h), one file each: the
 * text timeline with its diagnostics and --trace, the progress bar, the
 * JSON document, the final state's graph (--dot, --svg), and the adapter
 * that hands a summary of each step to sim_opts.on_step (--compare).
 */
#ifndef SWMSI_SIM_SINKS_H
#define SWMSI_SIM_SINKS_H

#include <stdio.h>

#include "scene.h"
#include "record.h"

/* The timeline on @out (NULL: none) and diagnostics on @err (NULL: none). */
struct sink_text {
	FILE *out, *err;
	bool color, color_err;
	bool trace;	  /* the mock's journal under each step */
	const char *note; /* appended to the header line, or NULL */
	/* Set when an output failed at its close, before the summary line
	 * (play.c): the run's exit is then 2. NULL: none can. */
	const bool *outputs_failed;
};
extern const struct sim_sink_ops sink_text_ops;

/* The progress bar on a terminal's @err. */
struct sink_progress {
	FILE *err;
	unsigned int pct; /* last percentage drawn */
	size_t done, total;
};
extern const struct sim_sink_ops sink_progress_ops;

/* The JSON document on @f. */
struct sink_json {
	struct sim_json j;
	struct sim_scene scene; /* groups, override, allow-list (scene.h) */
	bool final_done;	/* "final" written (at the final hook) */
};
extern const struct sim_sink_ops sink_json_ops;
/* "changes": the @n change records @ch as JSON objects (json_change.c). */
void sim_json_changes(struct sim_json *j, const struct sim_change *ch, size_t n);

/* The final state's graph: DOT to @dot (NULL: none), SVG to @svg_path. */
struct sink_dot {
	FILE *dot;
	const char *svg_path; /* NULL: none; "-": standard output */
	FILE *err;
	struct sim_scene scene; /* groups, override, allow-list (scene.h) */
	/* --only; NULL: everything */
	const struct sim_dot_only *only;
};
extern const struct sim_sink_ops sink_dot_ops;

/* Each step summed up (struct sim_step_rec) for @fn. */
struct sink_steprec {
	void (*fn)(void *priv, const struct sim_step_rec *rec);
	void *priv;
};
extern const struct sim_sink_ops sink_steprec_ops;
/* What an msi that succeeded gave (@r's): its message address and what
 * translates it (the has_msg part of @f). */
void sim_msi_facts(const struct sim *s, const struct sim_rec *r, struct sim_rec_facts *f);

#endif /* SWMSI_SIM_SINKS_H */
