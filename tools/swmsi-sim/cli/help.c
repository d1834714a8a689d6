/* SPDX-License-Identifier: MIT */
/*
 * swmsi-sim --help: the usage lines, the options, and the scenario
 * language's commands as the command table spells them (so the list cannot
 * drift from what the parser accepts).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "help.h"

/* Before the options, which come from the option table. */
static const char usage_text[] =
	"usage: swmsi-sim [run] [options] [FILE|-]\n"
	"       swmsi-sim compare [--schemes=S,...] [options] [FILE|-]\n"
	"       swmsi-sim explore DEPTH [options] FILE\n"
	"       swmsi-sim random [--seed N] [options] STEPS\n"
	"       swmsi-sim demo [options]\n"
	"       swmsi-sim print-demo\n"
	"       swmsi-sim help [COMMAND]\n"
	"\n"
	"Plays a scenario (FILE, or standard input for '-', or the built-in demo\n"
	"without an argument) against libswmsi and its mock IOMMU, prints a\n"
	"timeline, and checks the invariants after every step.\n"
	"\n"
	"commands:\n";

/* Between the options and the language. */
static const char old_spellings[] =
	"The spellings from before the commands keep working:\n"
	"  swmsi-sim [options] FILE                = swmsi-sim run [options] FILE\n"
	"  swmsi-sim [options]                     = swmsi-sim demo [options]\n"
	"  swmsi-sim --compare[=S,...] [FILE]      = swmsi-sim compare [--schemes=S,...] [FILE]\n"
	"  swmsi-sim --explore DEPTH FILE          = swmsi-sim explore DEPTH FILE\n"
	"  swmsi-sim --seed N --random STEPS       = swmsi-sim random --seed N STEPS\n"
	"  swmsi-sim --print-demo                  = swmsi-sim print-demo\n"
	"\n";

/* After the command list, which comes from the command table. */
static const char usage_tail[] =
	"Numbers are decimal or 0x-hex with an optional K, M or G suffix. Prot\n"
	"letters: r read, w write, m MMIO; none given means rw. A command ending in\n"
	"'=> ERRNAME' must fail with exactly that error, any other must succeed;\n"
	"fire must reach the doorbell unless it ends in '=> EFAULT'; 'expect fires'\n"
	"states where a vector's write lands instead (a misrouted MSI). A fire\n"
	"result says where the write went: its doorbell, LOST or MISROUTED -> ADDR.\n"
	"\n"
	"Exit status: 0 all held, 1 a failed expectation or invariant, 2 a usage,\n"
	"parse or I/O error (every parse error is listed, up to 20, as\n"
	"FILE:LINE:COL: message). NO_COLOR disables colours.\n"
	"\n"
	"The language's reference (options and their defaults, the window override,\n"
	"the doorbell allow-list, vector labels, expectations): man swmsi-sim, or\n"
	"docs/scenario-language.md in the sources.\n";

/* One option's names and value, as help prints them: "-q, --quiet". */
static void option_label(const struct cli_opt *o, char *buf, size_t size)
{
	const char *arg = o->arg ? o->arg : "";
	/* "--json FILE", but "--compare[=SCHEMES]" and "--schemes=S,..." */
	const char *sep = arg[0] && arg[0] != '[' && arg[0] != '=' ? " " : "";

	if (o->letter)
		snprintf(buf, size, "-%c, --%s%s%s", o->letter, o->name, sep, arg);
	else
		snprintf(buf, size, "    --%s%s%s", o->name, sep, arg);
}

/* Each subcommand: its name, usage line, summary in the list of commands
 * and the paragraph of its own --help. */
const struct cli_subcmd cli_subs[CLI_SUBS] = {
	[CLI_RUN] = { "run", "[options] [FILE|-]",
		      "play FILE ('-' standard input; none: the demo) and check it",
		      "Plays a scenario (FILE, standard input for '-', or the built-in demo\n"
		      "without one) against libswmsi and its mock IOMMU, prints a timeline,\n"
		      "and checks the invariants after every step. 'swmsi-sim FILE' is the same.\n" },
	[CLI_COMPARE] = { "compare", "[--schemes=S,...] [options] [FILE|-]",
			  "play FILE (or the demo) once per scheme, side by side",
			  "Runs the file (or the demo) once per scheme and prints the results side\n"
			  "by side, '*' where they differ, lost and misrouted vectors named; the\n"
			  "file's own scheme decides the exit status and, without -k, stops every\n"
			  "run at its first failed expectation; a scheme that cannot take an\n"
			  "option runs with its own setting and the header says so.\n" },
	[CLI_EXPLORE] = { "explore", "DEPTH [options] FILE",
			  "every sequence of up to DEPTH steps from FILE's state",
			  "From the state FILE leaves, runs every sequence of up to DEPTH attach,\n"
			  "replace, detach, msi and free steps (1 to 64), and the device window\n"
			  "changes FILE's 'window DEV START SIZE' lines name, checking the\n"
			  "invariants (strict) after each; the first violation, at the smallest\n"
			  "depth, is written as a scenario that fails the same way (exit 1).\n" },
	[CLI_RANDOM] = { "random", "[--seed N] [options] STEPS",
			 "generate a valid scenario of STEPS commands, print and check it",
			 "Generates a random valid scenario of STEPS commands (1 to 1000000),\n"
			 "prints it (or writes it to --emit's FILE), then checks it; with --scheme\n"
			 "S, one that S supports, with S's outcomes predicted.\n" },
	[CLI_DEMO] = { "demo", "[options]", "play the built-in demo",
		       "Plays the built-in demo scenario, as 'swmsi-sim' without an argument\n"
		       "does; its line numbers refer to 'swmsi-sim print-demo'.\n" },
	[CLI_PRINT_DEMO] = { "print-demo", "",
			     "print the built-in demo's scenario (its line numbers' text)",
			     "Prints the built-in demo's scenario, the text its line numbers refer\n"
			     "to, and exits.\n" },
};

/* "  LABEL   help", the help's further lines under its first. */
static void print_option(const struct cli_opt *o, bool subs)
{
	char label[80];
	const char *h = o->help;
	size_t n;
	int s;

	option_label(o, label, sizeof(label));
	if (strlen(label) > 18)
		printf("  %s\n%21s", label, "");
	else
		printf("  %-19s", label);
	for (;;) {
		n = strcspn(h, "\n");
		printf("%.*s\n", (int)n, h);
		if (!h[n])
			break;
		h += n + 1;
		printf("%21s", "");
	}
	if (!subs || o->letter)
		return;
	fputs("                     (", stdout);
	for (s = 0, n = 0; s < CLI_SUBS; s++)
		if (o->subs & CLI_BIT(s))
			printf("%s%s", n++ ? ", " : "", cli_subs[s].name);
	fputs(")\n", stdout);
}

void cli_print_options(unsigned int subs_mask, bool all)
{
	size_t i;

	for (i = 0; i < cli_nopts; i++) {
		const struct cli_opt *o = &cli_opts[i];

		/* the old mode flags are listed with the old spellings */
		if ((o->subs & subs_mask) && (!all || o->subs != CLI_BIT(CLI_LEGACY) || o->letter))
			print_option(o, all);
	}
}

void cli_print_sub_help(enum cli_sub s)
{
	const struct cli_subcmd *c = &cli_subs[s];

	printf("usage: swmsi-sim %s%s%s\n\n%s\noptions:\n", c->name, c->usage[0] ? " " : "",
	       c->usage, c->about);
	cli_print_options(CLI_BIT(s), false);
	if (s != CLI_PRINT_DEMO)
		fputs("\nThe scenario language and the exit status: swmsi-sim --help, or\n"
		      "man swmsi-sim.\n",
		      stdout);
}

/* The commands, the options, the old spellings, then the language: its
 * options, then every command of the table, two a line. */
void sim_print_help(void)
{
	char u[2][128];
	bool held = false; /* u[0] waits for the second of its row */
	size_t i;

	fputs(usage_text, stdout);
	for (i = 0; i < CLI_SUBS; i++)
		printf("  %-12s %s\n", cli_subs[i].name, cli_subs[i].summary);
	printf("  %-12s %s\n", "help", "this text, or a command's ('swmsi-sim COMMAND --help')");
	fputs("\noptions (each command takes those listed under it):\n", stdout);
	cli_print_options(~0u, true);
	fputs("\n", stdout);
	fputs(old_spellings, stdout);
	fputs("The scenario language, a command a line, '#' starts a comment:\n"
	      "  option page_shift 12|14|16     option max_msi_maps N     "
	      "option reclaim none|unused\n"
	      "  option scheme native|kernel|dma-iommu                    option strict\n",
	      stdout);
	/* Two usage lines a row; one too long for its column gets a row. */
	for (i = 0; i < cmd_count; i++) {
		bool wide;

		cmd_usage(&cmd_table[i], u[1], sizeof(u[1]));
		wide = strlen(u[1]) > 38;
		if (held && !wide) {
			printf("  %-40s %s\n", u[0], u[1]);
			held = false;
			continue;
		}
		if (held)
			printf("  %s\n", u[0]);
		held = !wide;
		if (wide)
			printf("  %s\n", u[1]);
		else
			memcpy(u[0], u[1], sizeof(u[0]));
	}
	if (held)
		printf("  %s\n", u[0]);
	fputs(usage_tail, stdout);
}
