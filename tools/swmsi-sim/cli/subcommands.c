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

int cli_scheme_list(struct cli_args *a, const char *opt, const char *list)
{
	char word[32];
	size_t i;

	a->nschemes = 0;
	if (!list) {
		for (i = 0; i < SIM_SCHEMES; i++)
			a->schemes[a->nschemes++] = (enum swmsi_scheme)i;
		return -1;
	}
	while (*list) {
		size_t n = strcspn(list, ",");
		enum swmsi_scheme sc;

		snprintf(word, sizeof(word), "%.*s", (int)(n < sizeof(word) ? n : sizeof(word) - 1),
			 list);
		if (swmsi_scheme_from_name(word, &sc))
			return cli_usage_error(a,
					       "unknown scheme '%s' for %s (native, kernel or "
					       "dma-iommu, comma separated)",
					       word, opt);
		for (i = 0; i < a->nschemes && a->schemes[i] != sc; i++)
			;
		if (i == a->nschemes)
			a->schemes[a->nschemes++] = sc;
		list += n + (list[n] == ',');
	}
	if (!a->nschemes)
		return cli_usage_error(a, "%s= needs at least one scheme", opt);
	return -1;
}

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

const struct cli_subcmd cli_subs[CLI_SUBS] = {
	[CLI_RUN] = { "run", "[options] [FILE|-]",
		      "play FILE ('-' standard input; none: the demo) and check it",
		      "Plays a scenario (FILE, standard input for '-', or the built-in demo\n"
		      "without one) against libswmsi and its mock IOMMU, prints a timeline,\n"
		      "and checks the invariants after every step. 'swmsi-sim FILE' is the same.\n",
		      one_file },
	[CLI_COMPARE] = { "compare", "[--schemes=S,...] [options] [FILE|-]",
			  "play FILE (or the demo) once per scheme, side by side",
			  "Runs the file (or the demo) once per scheme and prints the results side\n"
			  "by side, '*' where they differ, lost and misrouted vectors named; the\n"
			  "file's own scheme decides the exit status and, without -k, stops every\n"
			  "run at its first failed expectation; a scheme that cannot take an\n"
			  "option runs with its own setting and the header says so.\n",
			  compare_operands },
	[CLI_EXPLORE] = { "explore", "DEPTH [options] FILE",
			  "every sequence of up to DEPTH steps from FILE's state",
			  "From the state FILE leaves, runs every sequence of up to DEPTH attach,\n"
			  "replace, detach, msi and free steps (1 to 64), checking the invariants\n"
			  "(strict) after each; the first violation, at the smallest depth, is\n"
			  "written as a scenario that fails the same way (exit 1).\n",
			  explore_operands },
	[CLI_RANDOM] = { "random", "[--seed N] [options] STEPS",
			 "generate a valid scenario of STEPS commands, print and check it",
			 "Generates a random valid scenario of STEPS commands (1 to 1000000),\n"
			 "prints it (or writes it to --emit's FILE), then checks it; with --scheme\n"
			 "S, one that S supports, with S's outcomes predicted.\n",
			 random_operands },
	[CLI_DEMO] = { "demo", "[options]", "play the built-in demo",
		       "Plays the built-in demo scenario, as 'swmsi-sim' without an argument\n"
		       "does; its line numbers refer to 'swmsi-sim print-demo'.\n",
		       no_operand },
	[CLI_PRINT_DEMO] = { "print-demo", "",
			     "print the built-in demo's scenario (its line numbers' text)",
			     "Prints the built-in demo's scenario, the text its line numbers refer\n"
			     "to, and exits.\n",
			     print_demo },
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
	if (rc >= 0)
		return rc;
	rc = cli_subs[s].operands(a, argc - 1 - first, argv + 1 + first);
	if (rc >= 0)
		return rc;
	return cli_check_outputs(a);
}

int cli_parse(int argc, char **argv, struct cli_args *a)
{
	int s = argc > 1 ? sub_named(argv[1]) : -1;

	memset(a, 0, sizeof(*a));
	a->seed = 1;
	explore_opts_default(&a->ex);
	a->who = "swmsi-sim";
	if (argc > 1 && !strcmp(argv[1], "help"))
		return help_cmd(a, argc, argv);
	if (s >= 0)
		return sub_cmd(a, (enum cli_sub)s, argc, argv);
	a->sub = CLI_LEGACY;
	return cli_legacy(argc, argv, a);
}
