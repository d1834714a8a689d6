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

void explore_command_line(int argc, char **argv, char *buf, size_t size)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < argc && off < size; i++)
		off += (size_t)snprintf(buf + off, size - off, "%s%s", i ? " " : "",
					i ? argv[i] : "swmsi-sim");
}

int explore_main(struct explore_opts *ex, const char *command_line, struct scn *scn,
		 const char *text, size_t len)
{
	ex->command_line = command_line;
	ex->text = text;
	ex->len = len;
	ex->progress = isatty(fileno(stderr));
	return sim_explore(scn, ex);
}
