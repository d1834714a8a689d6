/* SPDX-License-Identifier: MIT */
/*
 * The command line's side of --explore: its options' values and defaults,
 * and the call from main.c. Usage errors read as main.c's do.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "explore.h"

static int usage(const char *fmt, ...) SIM_PRINTF(1, 2);

static int usage(const char *fmt, ...)
{
	va_list ap;

	fputs("swmsi-sim: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'swmsi-sim --help'.\n", stderr);
	return SIM_USAGE;
}

/* A number from @lo to @hi for option @opt. Returns 0 or SIM_USAGE. */
static int bounded(const char *opt, const char *val, uint64_t lo, uint64_t hi, uint64_t *out)
{
	const char *why;
	size_t off;

	if (scn_parse_u64(val, strlen(val), out, &off, &why))
		return usage("bad number for %s", opt);
	if (*out < lo || *out > hi)
		return usage("%s takes %" PRIu64 " to %" PRIu64, opt, lo, hi);
	return 0;
}

void explore_opts_default(struct explore_opts *ex)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	memset(ex, 0, sizeof(*ex));
	ex->vectors = 1;
	ex->max_states = EXPLORE_DEFAULT_MAX_STATES;
	ex->jobs = n < 1 ? 1 : n > 64 ? 64 : (unsigned int)n;
}

int explore_opt_parse(int opt, const char *val, struct explore_opts *ex)
{
	uint64_t v = 0;
	int rc = 0;

	ex->extra |= opt != EXPLORE_OPT_DEPTH;
	switch (opt) {
	case EXPLORE_OPT_DEPTH:
		ex->enabled = true;
		rc = bounded("--explore", val, 1, EXPLORE_MAX_DEPTH, &v);
		ex->depth = (unsigned int)v;
		return rc;
	case EXPLORE_OPT_FAULTS:
		ex->faults = true;
		return 0;
	case EXPLORE_OPT_VECTORS:
		rc = bounded("--vectors", val, 1, 64, &v);
		ex->vectors = (unsigned int)v;
		return rc;
	case EXPLORE_OPT_JOBS:
		rc = bounded("--jobs", val, 1, 64, &v);
		ex->jobs = (unsigned int)v;
		return rc;
	case EXPLORE_OPT_MAX_STATES:
		return bounded("--max-states", val, 1, UINT32_MAX, &ex->max_states);
	}
	if (!val[0])
		return usage("--counterexample needs a file name");
	ex->cex_path = val;
	return 0;
}

int explore_main(struct explore_opts *ex, int argc, char **argv, struct scn *scn, const char *text,
		 size_t len)
{
	char line[512];
	size_t off = 0;
	int i;

	line[0] = '\0';
	for (i = 0; i < argc && off < sizeof(line); i++)
		off += (size_t)snprintf(line + off, sizeof(line) - off, "%s%s", i ? " " : "",
					i ? argv[i] : "swmsi-sim");
	ex->command_line = line;
	ex->text = text;
	ex->len = len;
	ex->progress = isatty(fileno(stderr));
	return sim_explore(scn, ex);
}
