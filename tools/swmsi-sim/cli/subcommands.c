/* SPDX-License-Identifier: MIT */
/*
 * The subcommands, git style: "swmsi-sim SUB [options] [operands]". Each
 * parses only the options the table (options.c) gives it, then its
 * operands; a first argument that names no subcommand is the command line
 * from before them (legacy.c).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "help.h"

/* run and compare: FILE, '-' for standard input, or none for the demo. */
static int one_file(struct cli_args *a, int n, char **v)
{
	if (n > 1)
		return cli_usage_error(a, "more than one scenario given ('%s')", v[1]);
	a->file = n ? v[0] : NULL;
	return -1;
}

static int compare_operands(struct cli_args *a, int n, char **v)
{
	a->compare = true;
	if (!a->nschemes)
		cli_scheme_list(a, "--schemes", NULL);
	return one_file(a, n, v);
}

static int explore_operands(struct cli_args *a, int n, char **v)
{
	uint64_t depth;

	if (n < 2)
		return cli_usage_error(a, "needs DEPTH and a scenario FILE");
	if (n > 2)
		return cli_usage_error(a, "more than one scenario given ('%s')", v[2]);
	if (cli_bounded(a, "DEPTH", v[0], 1, EXPLORE_MAX_DEPTH, &depth))
		return SIM_USAGE;
	a->explore = true;
	a->ex.depth = (unsigned int)depth;
	a->file = v[1];
	return -1;
}

/* STEPS of random, or the old --random's: 1 to a million. */
static int random_operands(struct cli_args *a, int n, char **v)
{
	if (!n)
		return cli_usage_error(a, "needs STEPS");
	if (n > 1)
		return cli_usage_error(a, "generates its own scenario; drop '%s'", v[1]);
	a->random = true;
	if (cli_bounded(a, "STEPS", v[0], 1, 1000000, &a->steps))
		return SIM_USAGE;
	if (a->compare && a->has_scheme)
		return cli_usage_error(a, "--compare runs every scheme it names; drop --scheme");
	return -1;
}

static int no_operand(struct cli_args *a, int n, char **v)
{
	if (n)
		return cli_usage_error(a, "takes no FILE ('%s'); 'swmsi-sim run FILE' plays one",
				       v[0]);
	return -1;
}

/* print-demo prints once its options are read. */
static int print_demo(struct cli_args *a, int n, char **v)
{
	if (no_operand(a, n, v) >= 0)
		return SIM_USAGE;
	fputs(sim_demo_scenario, stdout);
	return cli_printed();
}

/* What each subcommand makes of the arguments left after its options:
 * -1 to go on, else the exit status (a message printed). */
static int (*const sub_operands[CLI_SUBS])(struct cli_args *a, int n, char **v) = {
	[CLI_RUN] = one_file,
	[CLI_COMPARE] = compare_operands,
	[CLI_EXPLORE] = explore_operands,
	[CLI_RANDOM] = random_operands,
	[CLI_DEMO] = no_operand,
	[CLI_PRINT_DEMO] = print_demo,
};

/* The subcommand named @name, or -1. */
static int sub_named(const char *name)
{
	int s;

	for (s = 0; s < CLI_SUBS; s++)
		if (!strcmp(cli_subs[s].name, name))
			return s;
	return -1;
}

/* swmsi-sim help [SUB]. */
static int help_cmd(struct cli_args *a, int argc, char **argv)
{
	int s;

	if (argc > 3)
		return cli_usage_error(a, "help takes one command at most ('%s')", argv[3]);
	if (argc < 3 || !strcmp(argv[2], "help") || !strcmp(argv[2], "-h") ||
	    !strcmp(argv[2], "--help")) {
		sim_print_help();
		return cli_printed();
	}
	s = sub_named(argv[2]);
	if (s < 0)
		return cli_usage_error(a,
				       "no command '%s' (run, compare, explore, random, demo or "
				       "print-demo)",
				       argv[2]);
	cli_print_sub_help((enum cli_sub)s);
	return cli_printed();
}

/* "swmsi-sim SUB ...": its options, then its operands. */
static int sub_cmd(struct cli_args *a, enum cli_sub s, int argc, char **argv)
{
	static char who[64];
	int first = 1, rc;

	snprintf(who, sizeof(who), "swmsi-sim %s", cli_subs[s].name);
	a->who = who;
	a->sub = s;
	rc = cli_parse_opts(argc - 1, argv + 1, a, &first);
	if (rc == CLI_WANT_HELP) {
		cli_print_sub_help(s);
		return cli_printed();
	}
	if (rc >= 0)
		return rc;
	rc = sub_operands[s](a, argc - 1 - first, argv + 1 + first);
	if (rc >= 0)
		return rc;
	return cli_check_outputs(a);
}

int cli_parse(int argc, char **argv, struct cli_args *a)
{
	int s = argc > 1 ? sub_named(argv[1]) : -1, rc;

	memset(a, 0, sizeof(*a));
	a->seed = 1;
	explore_opts_default(&a->ex);
	a->who = "swmsi-sim";
	if (argc > 1 && !strcmp(argv[1], "help"))
		return help_cmd(a, argc, argv);
	if (s >= 0)
		return sub_cmd(a, (enum cli_sub)s, argc, argv);
	a->sub = CLI_LEGACY;
	rc = cli_legacy(argc, argv, a);
	if (rc == CLI_WANT_HELP) {
		sim_print_help();
		return cli_printed();
	}
	return rc;
}
