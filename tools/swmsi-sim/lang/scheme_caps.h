/* SPDX-License-Identifier: MIT */
/*
 * What each scheme takes of a scenario's options (scheme_caps.c). A part
 * of lang.h, which includes it after the types it uses (include lang.h,
 * not this): kept apart so that lang.h stays one page.
 */
#ifndef SWMSI_SIM_SCHEME_CAPS_H
#define SWMSI_SIM_SCHEME_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <swmsi/swmsi.h>

/*
 * What each sw_msi scheme takes of the context's options (API.md
 * "Schemes": KERNEL needs reclaim none and max_msi_maps 0 or 64, DMA_IOMMU
 * reclaim none and max_msi_maps 0), in one table that both uses of it read:
 * a plain run refuses a scenario option its scheme cannot take, at the
 * option's line, before anything runs; --compare runs each other scheme
 * with the setting it has instead and says so.
 */

/* How many schemes there are (enum swmsi_scheme 0 .. SIM_SCHEMES - 1). */
#define SIM_SCHEMES 3

/* One option a scheme cannot take, and what it runs with instead. */
struct sim_adjust {
	const char *option;  /* "reclaim", "max_msi_maps" */
	char from[16];	     /* the scenario's value: "unused", "4" */
	char to[16];	     /* the scheme's: "none", "64" */
	const char *why;     /* of the scheme: "never reclaims MSI pages" */
	const char *fix;     /* for the option line: "drop the option or make it 64" */
	struct scn_where at; /* the option line */
};

/* The most options one scheme can change (reclaim, max_msi_maps). */
#define SIM_MAX_ADJUST 2

/*
 * @in under @scheme: *@out the options the scheme runs with, @adj (room for
 * SIM_MAX_ADJUST) what differs from @in, in the order of their lines.
 * Returns how many there are (0: @scheme takes @in as it is).
 */
size_t sim_scheme_fit(enum swmsi_scheme scheme, const struct scn_opts *in, struct scn_opts *out,
		      struct sim_adjust *adj);

/* "the kernel scheme never reclaims MSI pages" into @buf. */
const char *sim_adjust_why(enum swmsi_scheme scheme, const struct sim_adjust *a, char *buf,
			   size_t len);

/*
 * A plain run's check: does the run's scheme (--scheme's when @has_scheme,
 * else the file's) take every option of @scn? Each one it cannot take is
 * said on @err at its option line with the cause and the fix, or, when
 * @at_cmdline (a scenario that is no file the user wrote: the demo, a
 * generated one), at --scheme. Returns 0, or SIM_USAGE when one was said.
 */
int sim_scheme_check(const struct scn *scn, bool has_scheme, enum swmsi_scheme scheme,
		     bool at_cmdline, FILE *err);

/*
 * Why swmsi_ctx_create() (or the mock's creation) refused the options @o
 * under @scheme with @err: "max_msi_maps 5000000 is above the library's
 * limit of 1048576", into @buf.
 */
const char *sim_ctx_cause(const struct scn_opts *o, enum swmsi_scheme scheme, int err, char *buf,
			  size_t len);

#endif /* SWMSI_SIM_SCHEME_CAPS_H */
