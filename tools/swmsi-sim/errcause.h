/* SPDX-License-Identifier: MIT */
/*
 * Why a library call failed, in a few words: a name of the wrong kind
 * ("'A' is a HWPT; detach wants a device"), else the cause docs/errors.md
 * gives for that function and error. The causes are a table generated at
 * build time from docs/errors.md (errcauses.cmake), so they are the
 * documentation's own words.
 */
#ifndef SWMSI_SIM_ERRCAUSE_H
#define SWMSI_SIM_ERRCAUSE_H

#include <stddef.h>

#include "sim.h"

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
 * Why command @c of @scn failed with @rc (negative errno), into @buf: a
 * name argument of a kind the command does not want, said with both kinds,
 * else sim_err_cause() of the command's library function. Returns @buf, or
 * NULL when there is nothing to say.
 */
const char *sim_err_why(const struct scn *scn, const struct scn_cmd *c, int rc, char *buf,
			size_t len);

#endif /* SWMSI_SIM_ERRCAUSE_H */
