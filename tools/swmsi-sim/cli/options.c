/* SPDX-License-Identifier: MIT */
/*
 * The options of every subcommand, one row each (which subcommands take
 * it, how its value is stored, its help line), and the parser that reads
 * a subcommand's options from that table: an option the subcommand does
 * not take is an unknown option, like one that does not exist.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define RUN   CLI_BIT(CLI_RUN)
#define CMP   CLI_BIT(CLI_COMPARE)
#define EXP   CLI_BIT(CLI_EXPLORE)
#define RND   CLI_BIT(CLI_RANDOM)
#define DEMO  CLI_BIT(CLI_DEMO)
#define PDEMO CLI_BIT(CLI_PRINT_DEMO)
#define OLD   CLI_BIT(CLI_LEGACY)
/* The subcommands that play a scenario and report it, and the old command line. */
#define PLAYS (RUN | CMP | RND | DEMO | OLD)

int cli_usage_error(const struct cli_args *a, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", a->who);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", a->who);
	return SIM_USAGE;
}

int cli_bounded(const struct cli_args *a, const char *what, const char *val, uint64_t lo,
		uint64_t hi, uint64_t *out)
{
	const char *why;
	size_t off;

	if (scn_parse_u64(val, strlen(val), out, &off, &why))
		return cli_usage_error(a, "bad number for %s", what);
	if (*out < lo || *out > hi)
		return cli_usage_error(a, "%s takes %" PRIu64 " to %" PRIu64, what, lo, hi);
	return 0;
}

int cli_printed(void)
{
	if (!fflush(stdout) && !ferror(stdout))
		return SIM_OK;
	fprintf(stderr, "swmsi-sim: cannot write standard output: %s\n", strerror(errno));
	return SIM_USAGE;
}

bool cli_is_stdout(const char *path)
{
	return path && !strcmp(path, "-");
}

/* --schemes, --compare=: a comma list of schemes, each once (NULL: all). */
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

/* An option that only says yes: the field it sets, by the option's name. */
static int set_flag(struct cli_args *a, const struct cli_opt *o, const char *val)
{
	(void)val;
	if (!strcmp(o->name, "quiet"))
		a->quiet = true;
	else if (!strcmp(o->name, "keep-going"))
		a->keep_going = true;
	else if (!strcmp(o->name, "trace"))
		a->trace = true;
	else if (!strcmp(o->name, "strict"))
		a->strict = true;
	else if (!strcmp(o->name, "full-check"))
		a->full_check = true;
	else if (!strcmp(o->name, "faults"))
		a->ex.faults = true;
	return -1;
}

/* An option that takes a file: an empty name is a mistake. */
static int set_file(struct cli_args *a, const struct cli_opt *o, const char *val)
{
	const char **out = !strcmp(o->name, "json")   ? &a->json
			   : !strcmp(o->name, "dot")  ? &a->dot
			   : !strcmp(o->name, "svg")  ? &a->svg
			   : !strcmp(o->name, "emit") ? &a->emit
						      : &a->ex.cex_path;

	if (!val[0])
		return cli_usage_error(a, "--%s needs a file name", o->name);
	*out = val;
	return -1;
}

/* --only group=N[,N...] or device=NAME[,NAME...]; more than one add up. */
static int set_only(struct cli_args *a, const struct cli_opt *o, const char *val)
{
	char msg[160];

	(void)o;
	if (sim_dot_only_parse(&a->only, val, msg, sizeof(msg)))
		return cli_usage_error(a, "%s", msg);
	return -1;
}

static int set_scheme(struct cli_args *a, const struct cli_opt *o, const char *val)
{
	(void)o;
	if (swmsi_scheme_from_name(val, &a->scheme))
		return cli_usage_error(
			a, "unknown scheme '%s' for --scheme (native, kernel or dma-iommu)", val);
	a->has_scheme = true;
	return -1;
}

/* compare's --schemes, random's (and the old) --compare[=S]. */
static int set_schemes(struct cli_args *a, const struct cli_opt *o, const char *val)
{
	char opt[32];

	snprintf(opt, sizeof(opt), "--%s", o->name);
	a->compare = true;
	return cli_scheme_list(a, opt, val);
}

static int set_seed(struct cli_args *a, const struct cli_opt *o, const char *val)
{
	(void)o;
	return cli_bounded(a, "--seed", val, 0, UINT64_MAX, &a->seed) ? SIM_USAGE : -1;
}

/* The old --random STEPS: its range is checked with the other options. */
static int set_random(struct cli_args *a, const struct cli_opt *o, const char *val)
{
	(void)o;
	a->random = true;
	return cli_bounded(a, "--random", val, 0, UINT64_MAX, &a->steps) ? SIM_USAGE : -1;
}

/* explore's numbers, and the old --explore DEPTH. */
static int set_explore_num(struct cli_args *a, const struct cli_opt *o, const char *val)
{
	char opt[32];
	uint64_t v = 0, hi = !strcmp(o->name, "explore")      ? EXPLORE_MAX_DEPTH
			     : !strcmp(o->name, "max-states") ? UINT32_MAX
							      : 64;

	snprintf(opt, sizeof(opt), "--%s", o->name);
	if (cli_bounded(a, opt, val, 1, hi, &v))
		return SIM_USAGE;
	if (!strcmp(o->name, "explore")) {
		a->explore = true;
		a->ex.depth = (unsigned int)v;
	} else if (!strcmp(o->name, "vectors")) {
		a->ex.vectors = (unsigned int)v;
	} else if (!strcmp(o->name, "jobs")) {
		a->ex.jobs = (unsigned int)v;
	} else {
		a->ex.max_states = v;
	}
	return -1;
}

/* The options whose whole job is to print (--help: the caller, which knows
 * which help, prints it). */
static int set_print(struct cli_args *a, const struct cli_opt *o, const char *val)
{
	(void)a;
	(void)val;
	if (o->letter == 'h')
		return CLI_WANT_HELP;
	if (o->letter == 'V')
		printf("swmsi-sim %s\n", swmsi_version());
	else
		fputs(sim_demo_scenario, stdout);
	return cli_printed();
}

/* clang-format off */
const struct cli_opt cli_opts[] = {
	{ "quiet", 'q', no_argument, NULL, PLAYS, set_flag,
	  "print no timeline, only errors" },
	{ "keep-going", 'k', no_argument, NULL, PLAYS, set_flag,
	  "do not stop at the first failed expectation (a run\nor each run compared)" },
	{ "json", 0, required_argument, "FILE", PLAYS | EXP, set_file,
	  "write the run as JSON: its timeline and final state\n(explore: its summary)" },
	{ "dot", 0, required_argument, "FILE", PLAYS, set_file,
	  "write the final state as a Graphviz graph" },
	{ "svg", 0, required_argument, "FILE", PLAYS, set_file,
	  "render that graph to SVG with Graphviz's dot\n(FILE '-' is standard output, and then no timeline\nis printed; one of the three at most)" },
	{ "only", 0, required_argument, "group=N[,N...] | device=NAME[,NAME...]", PLAYS, set_only,
	  "draw only those groups or devices and what they\nreach (needs --dot or --svg; given again, adds)" },
	{ "trace", 0, no_argument, NULL, PLAYS, set_flag,
	  "print the mock IOMMU's journal for every step, with\nattach, replace, detach and group switches as events" },
	{ "scheme", 0, required_argument, "S", RUN | RND | DEMO | EXP | OLD, set_scheme,
	  "run under sw_msi scheme S (native, kernel or\ndma-iommu) whatever the file's 'option scheme' says;\nan option S cannot take (kernel: reclaim unused, a\nmax_msi_maps but 64; dma-iommu: reclaim unused, a\nmax_msi_maps but 0) is an error at its line (exit 2)" },
	{ "full-check", 0, no_argument, NULL, PLAYS, set_flag,
	  "snapshot and check the whole state after every step\n(by default a step checks what it touched, and the\nwhole state is checked at the end)" },
	{ "strict", 0, no_argument, NULL, PLAYS, set_flag,
	  "broken invariants fail the run under every scheme\n(kernel and dma-iommu report them as findings)" },
	{ "schemes", 0, required_argument, "=S,...", CMP, set_schemes,
	  "the schemes to compare, in order (default\nnative,kernel,dma-iommu)" },
	{ "compare", 0, optional_argument, "[=SCHEMES]", RND | OLD, set_schemes,
	  "run the scenario once per scheme (comma list,\ndefault native,kernel,dma-iommu) and print the\nresults side by side, as compare does" },
	{ "seed", 0, required_argument, "N", RND | OLD, set_seed,
	  "seed of the generator (default 1)" },
	{ "emit", 0, required_argument, "FILE", RND | OLD, set_file,
	  "write the generated scenario to FILE instead of\nprinting it" },
	{ "random", 0, required_argument, "STEPS", OLD, set_random,
	  "the old spelling of 'random STEPS'" },
	{ "explore", 0, required_argument, "DEPTH", OLD, set_explore_num,
	  "the old spelling of 'explore DEPTH'" },
	{ "faults", 0, no_argument, NULL, EXP | OLD, set_flag,
	  "each step also with the next map failing" },
	{ "vectors", 0, required_argument, "N", EXP | OLD, set_explore_num,
	  "live vectors per device and doorbell (default 1)" },
	{ "jobs", 0, required_argument, "N", EXP | OLD, set_explore_num,
	  "worker threads (default: the CPUs)" },
	{ "max-states", 0, required_argument, "N", EXP | OLD, set_explore_num,
	  "stop after N distinct states (default 4000000)" },
	{ "counterexample", 0, required_argument, "FILE", EXP | OLD, set_file,
	  "where the counterexample goes (default standard\noutput)" },
	{ "print-demo", 0, no_argument, NULL, OLD, set_print,
	  "the old spelling of 'print-demo'" },
	{ "help", 'h', no_argument, NULL, PLAYS | EXP | PDEMO, set_print,
	  "this text" },
	{ "version", 'V', no_argument, NULL, OLD, set_print,
	  "the version" },
};
/* clang-format on */

const size_t cli_nopts = sizeof(cli_opts) / sizeof(cli_opts[0]);
/* cli_args.seen has a bit per option */
_Static_assert(sizeof(cli_opts) / sizeof(cli_opts[0]) <= 64, "more options than bits in seen");

/* The name the user typed for the long option just read by getopt_long. */
static const char *typed_name(char **argv, const char *val)
{
	if (val && optind >= 2 && val == argv[optind - 1])
		return argv[optind - 2]; /* "--opt VALUE" */
	return argv[optind - 1];
}

/*
 * getopt_long takes an unambiguous prefix of a long name: "--scheme" would
 * be compare's --schemes. A prefix that is another option's whole name
 * means that option, which this subcommand does not take. Returns its
 * index, or -1.
 */
static int foreign_whole_name(const char *typed, size_t mine)
{
	size_t n, i;

	if (strncmp(typed, "--", 2))
		return -1;
	typed += 2;
	n = strcspn(typed, "=");
	if (strlen(cli_opts[mine].name) == n)
		return -1;
	for (i = 0; i < cli_nopts; i++)
		if (strlen(cli_opts[i].name) == n && !strncmp(cli_opts[i].name, typed, n))
			return (int)i;
	return -1;
}

/* The short option @c of the table, or -1. */
static int by_letter(int c)
{
	size_t i;

	for (i = 0; i < cli_nopts; i++)
		if (cli_opts[i].letter && cli_opts[i].letter == c)
			return (int)i;
	return -1;
}

/* getopt_long's '?' and ':' as usage errors. */
static int getopt_error(const struct cli_args *a, int c, char **argv)
{
	const char *tok = argv[optind - 1];

	if (c == ':')
		return cli_usage_error(a, "%s needs a value", tok);
	if (optopt && optopt < 256 && strncmp(tok, "--", 2))
		return cli_usage_error(a, "unknown option '-%c'", optopt);
	return cli_usage_error(a, "unknown option '%s'", tok);
}

/* The getopt_long tables of the options @a->sub takes. */
static void build(const struct cli_args *a, struct option *lo, char *shorts)
{
	size_t i, n = 0, s = 0;

	shorts[s++] = ':';
	for (i = 0; i < cli_nopts; i++) {
		if (!(cli_opts[i].subs & CLI_BIT(a->sub)))
			continue;
		lo[n++] = (struct option){ cli_opts[i].name, cli_opts[i].has_arg, NULL,
					   256 + (int)i };
		if (cli_opts[i].letter)
			shorts[s++] = cli_opts[i].letter;
	}
	lo[n] = (struct option){ NULL, 0, NULL, 0 };
	shorts[s] = '\0';
}

int cli_parse_opts(int argc, char **argv, struct cli_args *a, int *first)
{
	struct option lo[sizeof(cli_opts) / sizeof(cli_opts[0]) + 1];
	char shorts[sizeof(cli_opts) / sizeof(cli_opts[0]) + 2];
	int c, i, rc;

	build(a, lo, shorts);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		if (c == '?' || c == ':')
			return getopt_error(a, c, argv);
		i = c >= 256 ? c - 256 : by_letter(c);
		if (c >= 256) {
			int f = foreign_whole_name(typed_name(argv, optarg), (size_t)i);

			if (f >= 0)
				return cli_usage_error(a, "unknown option '--%s'",
						       cli_opts[f].name);
		}
		a->seen |= UINT64_C(1) << i;
		rc = cli_opts[i].set(a, &cli_opts[i], optarg);
		if (rc >= 0)
			return rc;
	}
	*first = optind;
	return -1;
}

int cli_check_outputs(const struct cli_args *a)
{
	if (sim_dot_only_set(&a->only) && !a->dot && !a->svg)
		return cli_usage_error(
			a, "--only restricts the picture: it needs --dot FILE or --svg FILE");
	if (cli_is_stdout(a->json) + cli_is_stdout(a->dot) + cli_is_stdout(a->svg) > 1)
		return cli_usage_error(
			a,
			"only one of --json, --dot and --svg can write to standard output ('-')");
	return -1;
}
