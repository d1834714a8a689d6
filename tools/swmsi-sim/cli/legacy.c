/* SPDX-License-Identifier: MIT */
/*
 * The command line from before subcommands, mapped onto them in this one
 * place: every option of every subcommand is read, with the old mode flags
 * (--compare[=S], --explore DEPTH, --random STEPS, --print-demo) and
 * --version, and the flags given pick the subcommand:
 *
 *   --explore DEPTH FILE        explore DEPTH FILE
 *   --random STEPS              random STEPS (with --compare: random --compare)
 *   --compare[=S] [FILE]        compare --schemes=S [FILE]
 *   FILE                        run FILE
 *   (nothing)                   demo
 *
 * Flags that pick no one subcommand are refused with the messages they
 * always had; an option the picked subcommand does not use (--quiet with
 * --explore) is accepted and has no effect, as before.
 */
#include <string.h>

#include "cli.h"

/* The bit of option @name in cli_args.seen. */
static uint64_t bit(const char *name)
{
	size_t i;

	for (i = 0; i < cli_nopts; i++)
		if (!strcmp(cli_opts[i].name, name))
			return UINT64_C(1) << i;
	return 0;
}

/* explore's own options: they need --explore. */
static bool explore_extra(const struct cli_args *a)
{
	return a->seen & (bit("faults") | bit("vectors") | bit("jobs") | bit("max-states") |
			  bit("counterexample"));
}

/* The old flags that do not make one subcommand. Returns -1, or 2. */
static int refuse(const struct cli_args *a)
{
	if (a->random && a->file)
		return cli_usage_error(a, "--random generates its own scenario; drop '%s'",
				       a->file);
	if ((a->seen & bit("seed")) && !a->random)
		return cli_usage_error(a, "%s needs --random STEPS", "--seed");
	if (a->emit && !a->random)
		return cli_usage_error(a, "%s needs --random STEPS", "--emit");
	if (a->compare && a->has_scheme)
		return cli_usage_error(a, "--compare runs every scheme it names; drop --scheme");
	if (a->random && (a->steps == 0 || a->steps > 1000000))
		return cli_usage_error(a, "%s takes 1 to 1000000 steps", "--random");
	if (explore_extra(a) && !a->explore)
		return cli_usage_error(a, "--faults, --vectors, --jobs, --max-states and "
					  "--counterexample need --explore DEPTH");
	if (a->explore && (a->random || a->compare || !a->file))
		return cli_usage_error(
			a, "--explore needs a scenario FILE (and no --random or --compare)");
	return -1;
}

/* The subcommand the old flags pick. */
static enum cli_sub pick(const struct cli_args *a)
{
	if (a->explore)
		return CLI_EXPLORE;
	if (a->random)
		return CLI_RANDOM;
	if (a->compare)
		return CLI_COMPARE;
	return a->file ? CLI_RUN : CLI_DEMO;
}

int cli_legacy(int argc, char **argv, struct cli_args *a)
{
	int first = 1, rc;

	rc = cli_parse_opts(argc, argv, a, &first);
	if (rc >= 0)
		return rc;
	if (first < argc)
		a->file = argv[first++];
	if (first < argc)
		return cli_usage_error(a, "more than one scenario given ('%s')", argv[first]);
	rc = refuse(a);
	if (rc >= 0)
		return rc;
	/* a->who stays "swmsi-sim": the old spelling's messages and hints */
	a->sub = pick(a);
	return cli_check_outputs(a);
}
