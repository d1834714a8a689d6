/* SPDX-License-Identifier: MIT */
/*
 * The command line: subcommands (run, compare, explore, random, demo,
 * print-demo, help) and one table of options saying which subcommands take
 * each (options.c), so that the parser, every --help and the man page's
 * check derive from the same rows, as the command table does for the
 * language. The spellings from before subcommands (a bare FILE,
 * --compare, --explore, --random, --print-demo) map onto them in legacy.c.
 */
#ifndef SWMSI_SIM_CLI_H
#define SWMSI_SIM_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <swmsi/swmsi.h>

#include "explore.h"
#include "gen.h"
#include "sinks.h"

/* The subcommands, in the order help lists them; CLI_LEGACY is the command
 * line without one, which takes every option and the old mode flags. */
enum cli_sub {
	CLI_RUN,
	CLI_COMPARE,
	CLI_EXPLORE,
	CLI_RANDOM,
	CLI_DEMO,
	CLI_PRINT_DEMO,
	CLI_SUBS,
	CLI_LEGACY = CLI_SUBS,
};

#define CLI_BIT(s) (1u << (s))

/* What the command line asks for. */
struct cli_args {
	enum cli_sub sub;
	const char *who; /* "swmsi-sim" or "swmsi-sim SUB": the usage errors' prefix */
	uint64_t seen;	 /* bit i: cli_opts[i] was given */
	const char *file;
	bool quiet;
	bool trace;
	bool keep_going;
	const char *json;
	const char *dot;
	const char *svg;
	struct sim_dot_only only; /* --only, every one given */
	const char *emit;
	uint64_t seed;
	bool random; /* a generated scenario: random, or --random */
	uint64_t steps;
	bool has_scheme;
	enum swmsi_scheme scheme;
	bool strict;
	bool full_check;
	bool compare;
	enum swmsi_scheme schemes[SIM_SCHEMES]; /* compare's, in order */
	size_t nschemes;
	bool explore;		/* explore, or --explore */
	struct explore_opts ex; /* its options */
};

/* One option: its names, which subcommands take it, how it is parsed and
 * its help line ('\n' separates the lines of a longer one). */
struct cli_opt {
	const char *name;  /* the long name, without "--" */
	char letter;	   /* the short name, or 0 */
	int has_arg;	   /* getopt_long's no_argument, required_argument, ... */
	const char *arg;   /* the value's name in help, or NULL */
	unsigned int subs; /* CLI_BIT()s of the subcommands, CLI_LEGACY's included */
	/* Store @val; -1: go on, else the exit status (a message printed). */
	int (*set)(struct cli_args *a, const struct cli_opt *o, const char *val);
	const char *help;
};

extern const struct cli_opt cli_opts[];
extern const size_t cli_nopts;

/* One subcommand: its name, its usage after "swmsi-sim NAME", a line for
 * the list of commands, a paragraph for its own --help, and what it makes
 * of the arguments left after the options. */
struct cli_subcmd {
	const char *name;
	const char *usage;
	const char *summary;
	const char *about;
};

/* help.c: each subcommand's words (its operands are subcommands.c's). */
extern const struct cli_subcmd cli_subs[CLI_SUBS];

/* What an option's parse returns when it asks for --help: the caller that
 * knows which help to print (subcommands.c) prints it. Not an exit status. */
#define CLI_WANT_HELP 100

/* options.c */
/* "WHO: message", then "Try 'WHO --help'."; returns SIM_USAGE. */
int cli_usage_error(const struct cli_args *a, const char *fmt, ...) SIM_PRINTF(2, 3);
/* A number for @what (an option or an operand) from @lo to @hi. Returns 0
 * or SIM_USAGE having said why. */
int cli_bounded(const struct cli_args *a, const char *what, const char *val, uint64_t lo,
		uint64_t hi, uint64_t *out);
/* The exit status of a command whose whole job was to print. */
int cli_printed(void);
/* Parse the options @sub takes from @argv (argv[0] the program or the
 * subcommand), in getopt_long's GNU style; the operands left start at
 * *@first. Returns -1 to go on, else the exit status. */
int cli_parse_opts(int argc, char **argv, struct cli_args *a, int *first);
/* What the options of any run say together: --only needs a picture, one
 * output at most on standard output. Returns -1 to go on, else 2. */
int cli_check_outputs(const struct cli_args *a);
/* Is an output path "-", standard output? */
bool cli_is_stdout(const char *path);

/* subcommands.c */
/* Parse the whole command line into @a. Returns -1 to go on, else the
 * exit status (help printed, or a usage error said). */
int cli_parse(int argc, char **argv, struct cli_args *a);
/* The scheme list S1,S2,... of @opt into @a, each scheme once, in order;
 * NULL: every scheme. Returns -1, or SIM_USAGE having said why. */
int cli_scheme_list(struct cli_args *a, const char *opt, const char *list);

/* legacy.c: the command line without a subcommand */
int cli_legacy(int argc, char **argv, struct cli_args *a);

/* help.c */
/* swmsi-sim SUB --help: its usage, its paragraph and its options only. */
void cli_print_sub_help(enum cli_sub s);
/* The options @sub takes, one a line with their help ('  -q, --quiet ...'). */
void cli_print_options(unsigned int subs_mask, bool all);

#endif /* SWMSI_SIM_CLI_H */
