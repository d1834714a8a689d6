/* SPDX-License-Identifier: MIT */
/*
 * swmsi-sim's explanations (explain/): a step's typed facts in words
 * (outcome.c), and why a library call failed (errcause.c, cause*.c): a
 * name of the wrong kind ("'A' is a HWPT; detach wants a device"), else the
 * cause that holds in the run's state (sim_cause_of()), else every cause
 * docs/errors.md gives for that function and error. The documented causes
 * are a table generated at build time from docs/errors.md
 * (errcauses.cmake), so they are the documentation's own words. The sinks
 * print what this layer words; cause.h is its helpers' own header.
 */
#ifndef SWMSI_SIM_EXPLAIN_H
#define SWMSI_SIM_EXPLAIN_H

#include <stddef.h>

#include "engine.h"

/* outcome.c: a step's facts in words, for the sinks */
struct sim_text {
	char why[512];	  /* why it failed ("" when it did not) */
	char want[128];	  /* expect, fire: the claim ("" for others) */
	char got[256];	  /* expect, fire: what was observed ("" for others) */
	char detail[160]; /* what the call gave: an id, an address, what detach did */
	char fate[128];	  /* fire: where the write went ("" when not said) */
};
void sim_outcome_text(const struct sim *s, const struct sim_rec *r, struct sim_text *t);

/* One row of docs/errors.md: function, error name, cause. */
struct sim_err_cause {
	const char *fn;	   /* "swmsi_ioas_map" */
	const char *err;   /* "EADDRINUSE" */
	const char *cause; /* "the range overlaps a SW_MSI window reserved on this IOAS" */
};
extern const struct sim_err_cause sim_err_causes[];
extern const unsigned int sim_err_ncauses;

/*
 * docs/errors.md's cause of @fn failing with @rc (negative errno), into
 * @buf; a row that reads "as attach" is completed from attach's. Returns
 * @buf, or NULL when the documentation gives none.
 */
const char *sim_err_cause(const char *fn, int rc, char *buf, size_t len);

/*
 * A name argument of command @c of a kind the command does not want, said
 * with both kinds, into @buf ("'h' is a HWPT; detach wants a device"), when
 * that is why it failed with @rc. Returns @buf, or NULL when every name
 * suits, or when @rc is not the wrong kind's answer (-ENOENT from a
 * destroy of an unbound device: the name is gone).
 */
const char *sim_err_kind(const struct scn *scn, const struct scn_cmd *c, int rc, char *buf,
			 size_t len);

/*
 * Why command @c of @scn failed with @rc (negative errno), into @buf:
 * sim_err_kind(), else sim_err_cause() of the command's library function
 * (every cause the documentation gives). Returns @buf, or NULL when there
 * is nothing to say.
 */
const char *sim_err_why(const struct scn *scn, const struct scn_cmd *c, int rc, char *buf,
			size_t len);

struct sim;
struct sim_rec;

/*
 * The one cause that holds for step @r failing with @rc (negative errno),
 * worked out from the state before it (r->before), its backend journal
 * and what earlier lines did to its names (cause.c, cause_dev.c): "gpu is
 * not attached: its attach at line 7 failed with EADDRINUSE", "window
 * start 0x8000001 is not page aligned". Returns @buf, or NULL when the
 * state cannot decide between the documented causes (sim_err_why() then
 * lists them). Say sim_err_kind() first: a name of the wrong kind is the
 * scenario's mistake, whatever the state.
 */
const char *sim_cause_of(const struct sim *s, const struct sim_rec *r, int rc, char *buf,
			 size_t len);

#endif /* SWMSI_SIM_EXPLAIN_H */
