/* SPDX-License-Identifier: MIT */
/*
 * swmsi-sim's outputs (sinks/): the sinks of the engine's step records, one
 * file each (the text timeline with its diagnostics and --trace, the
 * progress bar, the JSON document, the final state's graph for --dot and
 * --svg, and the adapter that hands a summary of each step to
 * sim_opts.on_step); a run with the sinks its options ask for (play.c);
 * --compare's side-by-side run (compare.c); the final state as JSON and
 * DOT. scene.h (what the graph and JSON show beyond the snapshot) and
 * dot_draw.h (the graph's own state) are this layer's too.
 */
#ifndef SWMSI_SIM_SINKS_H
#define SWMSI_SIM_SINKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "explain.h"
#include "scene.h"

/* ---------------------------------------------------------------------- */
/* Running with outputs (play.c, compare.c)                               */

/* Play @scn. Returns an enum sim_status. */
int sim_run(const struct scn *scn, const struct sim_opts *opts, struct sim_result *res);

/*
 * --compare: play @scn once under each of the @n @schemes and print one
 * side-by-side timeline on opts->out. The file's own expectations are
 * judged under its own scheme (opts->scheme ignored), which decides the
 * result and fills @res; --json carries every scheme's run, --dot/--svg
 * draw the judged run's final state. Each scheme runs with the file's
 * options as far as it takes them (lang.h, scheme_caps.c); without keep_going every
 * run stops where the judged one stops. Returns an enum sim_status:
 * SIM_USAGE when a scheme could not run at all.
 */
int sim_compare(const struct scn *scn, const struct sim_opts *opts,
		const enum swmsi_scheme *schemes, size_t n, struct sim_result *res);

/* ---------------------------------------------------------------------- */
/* What one step did, summed up for sim_opts.on_step (sink_steprec.c)     */

/*
 * A vector whose write does not reach its doorbell after a step. Its names
 * point into the scenario (struct scn), which outlives every run of it.
 */
struct sim_rec_vec {
	const char *dev, *vec; /* its device's name and its label ("?": unknown) */
	const char *fate;      /* "lost" or "misrouted" (sim_fate_word()) */
	int rc;		       /* lost: the fire's error */
	uint64_t landed;       /* misrouted: where the write lands */
};

/* How many lost or misrouted vectors, finding names a record lists. */
#define SIM_REC_VECS  16
#define SIM_REC_NAMES 8

/*
 * What a step did as typed facts, for the JSON (struct sim_step_rec's text
 * fields say the same for display). Strings are static or the scenario's.
 */
struct sim_rec_facts {
	uint32_t id;	   /* ioas, hwpt, nested, device: the id it made (0: none) */
	bool has_msg;	   /* an msi that succeeded: */
	bool translated;   /* its vector is translated */
	bool has_map;	   /* through an MSI table entry (native, kernel) */
	uint64_t msg_addr; /* the message address it answered */
	uint32_t map_id, slot;
	char cookie[40];  /* through a dma-iommu cookie: the HWPT's ("" else) */
	const char *fate; /* a fire of a live vector: "doorbell", "lost" or "misrouted" */
	uint64_t landed;  /* where its write landed (not lost) */
	uint64_t doorbell;
	const char *finding_names[SIM_REC_NAMES]; /* each once (invariants' names) */
	size_t nfinding_names;
	struct sim_rec_vec vecs[SIM_REC_VECS]; /* the first of sim_step_rec.nfates */
	size_t nvecs;
};

/* What one step did, handed to sim_opts.on_step (--compare). */
struct sim_step_rec {
	size_t index; /* into scn->cmds */
	bool skipped;
	bool failed;	   /* the line's expectation did not hold */
	int rc;		   /* what the library answered */
	char result[160];  /* "ok  msg 0x8000040 (map 0, slot 0)", "ENOSPC", "LOST (EFAULT...)" */
	size_t violations; /* invariants broken after it, failing */
	size_t findings;   /* invariants broken after it, reported */
	char finding_names[160];    /* their names, each once */
	size_t nfates;		    /* vectors whose write is lost or misrouted after it */
	char fates[400];	    /* them: "nic q0 LOST, gpu v1 MISROUTED -> 0x8091040" */
	struct sim_rec_facts facts; /* the same typed, for the JSON */
};

/* ---------------------------------------------------------------------- */
/* The sinks                                                              */

/* The timeline on @out (NULL: none) and diagnostics on @err (NULL: none). */
struct sink_text {
	FILE *out, *err;
	bool color, color_err;
	bool trace;	  /* the mock's journal under each step */
	const char *note; /* appended to the header line, or NULL */
	/* Set when an output failed at its close, before the summary line
	 * (play.c): the run's exit is then 2. NULL: none can. */
	const bool *outputs_failed;
	struct sim_ranges_seen *ranges; /* ranges_out.c; NULL: not said */
};
extern const struct sim_sink_ops sink_text_ops;

/*
 * ranges_out.c: the usable ranges of each IOAS a step changed, a line
 * each under the step. _new() gives NULL (nothing said) for a scenario
 * that declares no region, sets no device window and expects no ranges.
 */
struct sim_ranges_seen;
struct sim_ranges_seen *sim_ranges_seen_new(const struct scn *scn);
void sim_ranges_seen_free(struct sim_ranges_seen *rs);
void sim_ranges_step(struct sim_ranges_seen *rs, const struct sim *s, FILE *out, const char *dim,
		     const char *reset);

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
/* "changes": the @n change records @ch as JSON objects (changes_out.c). */
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

/* One spelling of the mock's journal ops for --trace and the JSON alike. */
const char *sim_journal_op_word(enum mock_iommu_op op);

/* The text of change @ch, as the timeline and the JSON show it. */
const char *sim_change_text(const struct sim_change *ch, char *buf, size_t len);

/* ---------------------------------------------------------------------- */
/* The final state as JSON and DOT                                        */

/* json_state.c, dot.c: the final state @sn, with what @sc adds (scene.h) */
struct sim_scene;
void sim_json_state(const struct sim *s, struct sim_json *j, const struct snapshot *sn,
		    const struct sim_scene *sc);
/* Returns 0 or -1 (out of memory: the graph is cut short). */
int sim_dot_state(const struct sim *s, FILE *f, const struct snapshot *sn,
		  const struct sim_scene *sc);
/* A doorbell page's node (Graphviz merges a node stated twice). */
void sim_dot_doorbell(FILE *f, uint64_t page);
/* @str escaped for a DOT label. */
void sim_dot_str(FILE *f, const char *str);
/* "\n@what = {0, 1}" in a DOT label, long sets cut short. */
void sim_dot_ids(FILE *f, const char *what, const uint32_t *ids, size_t n);
/* The legend's cluster; @table: the scheme has the context-wide table. */
void sim_dot_legend(FILE *f, bool table);

/* dot_cookie.c: what DMA_IOMMU built, for --dot/--svg */
/* Each cookie as a cluster of its pages, each page to its doorbell; those
 * of the HWPTs @drawn (parallel to sn->hwpts) only. */
void sim_dot_cookies(const struct sim *s, FILE *f, const struct snapshot *sn, const bool *drawn);
/* A translated vector under DMA_IOMMU: to the cookie page of the domain
 * its group is on, or red to where its write lands (LOST, MISROUTED);
 * @lattr: "label", or "xlabel" in a large graph (see dot_fold.c). */
void sim_dot_cookie_vector(const struct sim *s, FILE *f, const struct snapshot *sn,
			   const struct snapshot_dev *d, const struct swmsi_vector_info *v,
			   const char *label, const char *lattr);

/*
 * Can each of the @n output paths (NULL: none; "-": standard output) be
 * written? Checked without creating anything: a file that exists must be
 * writable and not a directory, else its directory must be. Says which
 * cannot and why on @err ("swmsi-sim: cannot write PATH: REASON", as the
 * run says it when opening), so that every output is known good before the
 * first run. Returns 0, or -1 when one cannot be written.
 */
int sim_check_outputs(const char *const *paths, size_t n, FILE *err);

/* Is `dot` (Graphviz) on PATH? */
bool sim_have_dot(void);
/* Render @dot_text to @svg_path ("-": standard output) with `dot -Tsvg`.
 * Returns 0 or -1. */
int sim_render_svg(const char *dot_text, size_t len, const char *svg_path, FILE *err);

/* ---------------------------------------------------------------------- */
/* --only (dot_only.c)                                                    */
/*
 * --only group=N[,N...] and --only device=NAME[,NAME...]: the part of the
 * final state --dot and --svg draw. Given more than once, the picture
 * holds the union.
 */

struct scn;

struct sim_dot_only {
	uint32_t *groups; /* in the order given, each once */
	size_t ngroups;
	const char **names; /* into argv, each once */
	size_t nnames;
};

static inline bool sim_dot_only_set(const struct sim_dot_only *o)
{
	return o && (o->ngroups || o->nnames);
}

/* Add one --only value @val. Returns 0, or -1 with why in @msg. */
int sim_dot_only_parse(struct sim_dot_only *o, const char *val, char *msg, size_t len);
/* Does every group and device @o names exist in @scn (declared by a
 * `device` line)? Returns 0, or -1 with why in @msg. */
int sim_dot_only_check(const struct sim_dot_only *o, const struct scn *scn, char *msg, size_t len);
void sim_dot_only_free(struct sim_dot_only *o);

#endif /* SWMSI_SIM_SINKS_H */
