/* SPDX-License-Identifier: MIT */
/*
 * The command line's side of explore: its options' defaults, and the call
 * from main.c (the options themselves are rows of cli/options.c's table).
 */
#include <string.h>
#include <unistd.h>

#include "explore.h"

void explore_opts_default(struct explore_opts *ex)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	memset(ex, 0, sizeof(*ex));
	ex->vectors = 1;
	ex->max_states = EXPLORE_DEFAULT_MAX_STATES;
	ex->jobs = n < 1 ? 1 : n > 64 ? 64 : (unsigned int)n;
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
