/* SPDX-License-Identifier: MIT */
/*
 * swmsi-sim: play a scenario against libswmsi and a mock IOMMU, print a
 * timeline of what every step changed, and check after every step that MSI
 * doorbells keep their IOVAs and every vector keeps reaching its doorbell.
 *
 * Exit: 0 every expectation and invariant held, 1 one did not, 2 usage,
 * parse or I/O error.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <swmsi/swmsi.h>

#include "commands.h"
#include "explore.h"
#include "gen.h"
#include "help.h"
#include "sinks.h"

/* Scenarios are small; a bound keeps a mistaken argument (a disk image)
 * from being slurped whole (sim_read_all() says -EFBIG). */
#define MAX_INPUT (64u << 20)

struct args {
	const char *file;
	bool quiet;
	bool trace;
	bool keep_going;
	const char *json;
	const char *dot;
	const char *svg;
	struct sim_dot_only only; /* --only, every one given */
	const char *emit;
	bool have_seed;
	uint64_t seed;
	bool random;
	uint64_t steps;
	bool has_scheme;
	enum swmsi_scheme scheme;
	bool strict;
	bool full_check;
	bool compare;
	enum swmsi_scheme schemes[SIM_SCHEMES]; /* --compare's, in order */
	size_t nschemes;
	struct explore_opts ex; /* --explore and its options */
};

static int usage_error(const char *fmt, ...) SIM_PRINTF(1, 2);

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("swmsi-sim: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'swmsi-sim --help'.\n", stderr);
	return SIM_USAGE;
}

static int number_arg(const char *opt, const char *val, uint64_t *out)
{
	const char *why;
	size_t off;

	if (scn_parse_u64(val, strlen(val), out, &off, &why))
		return usage_error("bad number for %s", opt);
	return 0;
}

/* --scheme S */
static int scheme_arg(const char *val, struct args *a)
{
	if (swmsi_scheme_from_name(val, &a->scheme))
		return usage_error("unknown scheme '%s' for --scheme (native, kernel or dma-iommu)",
				   val);
	a->has_scheme = true;
	return -1;
}

/* --compare or --compare=S1,S2,...: each scheme once, in the order given. */
static int compare_arg(const char *list, struct args *a)
{
	char word[32];
	size_t i;

	a->compare = true;
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
			return usage_error("unknown scheme '%s' for --compare (native, kernel or "
					   "dma-iommu, comma separated)",
					   word);
		for (i = 0; i < a->nschemes && a->schemes[i] != sc; i++)
			;
		if (i == a->nschemes)
			a->schemes[a->nschemes++] = sc;
		list += n + (list[n] == ',');
	}
	if (!a->nschemes)
		return usage_error("--compare= needs at least one scheme");
	return -1;
}

/* --only group=N[,N...] or device=NAME[,NAME...]; more than one add up. */
static int only_arg(const char *val, struct args *a)
{
	char msg[160];

	if (sim_dot_only_parse(&a->only, val, msg, sizeof(msg)))
		return usage_error("%s", msg);
	return -1;
}

/* Is an output path "-", standard output? */
static bool is_stdout(const char *path)
{
	return path && !strcmp(path, "-");
}

enum long_only {
	OPT_TRACE = 256,
	OPT_JSON,
	OPT_DOT,
	OPT_SVG,
	OPT_EMIT,
	OPT_SEED,
	OPT_RANDOM,
	OPT_SCHEME,
	OPT_STRICT,
	OPT_COMPARE,
	OPT_PRINT_DEMO,
	OPT_FULL_CHECK,
	OPT_ONLY, /* before OPT_EXPLORE: value_opt() hands those on */
	OPT_EXPLORE,
	OPT_FAULTS,
	OPT_VECTORS,
	OPT_JOBS,
	OPT_MAX_STATES,
	OPT_COUNTEREXAMPLE,
};

static const struct option long_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "keep-going", no_argument, NULL, 'k' },
	{ "trace", no_argument, NULL, OPT_TRACE },
	{ "json", required_argument, NULL, OPT_JSON },
	{ "dot", required_argument, NULL, OPT_DOT },
	{ "svg", required_argument, NULL, OPT_SVG },
	{ "only", required_argument, NULL, OPT_ONLY },
	{ "emit", required_argument, NULL, OPT_EMIT },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "random", required_argument, NULL, OPT_RANDOM },
	{ "scheme", required_argument, NULL, OPT_SCHEME },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "compare", optional_argument, NULL, OPT_COMPARE },
	{ "print-demo", no_argument, NULL, OPT_PRINT_DEMO },
	{ "full-check", no_argument, NULL, OPT_FULL_CHECK },
	{ "explore", required_argument, NULL, OPT_EXPLORE },
	{ "faults", no_argument, NULL, OPT_FAULTS },
	{ "vectors", required_argument, NULL, OPT_VECTORS },
	{ "jobs", required_argument, NULL, OPT_JOBS },
	{ "max-states", required_argument, NULL, OPT_MAX_STATES },
	{ "counterexample", required_argument, NULL, OPT_COUNTEREXAMPLE },
	{ NULL, 0, NULL, 0 },
};

/* An option that takes a file: an empty name is a mistake. */
static int file_arg(const char *opt, const char *val, const char **out)
{
	if (!val[0])
		return usage_error("--%s needs a file name", opt);
	*out = val;
	return -1;
}

/* The options that take a value or end the run; -1: go on. */
static int value_opt(int c, const char *val, struct args *a)
{
	if (c >= OPT_EXPLORE)
		return explore_opt_parse(c - OPT_EXPLORE, val, &a->ex) ? SIM_USAGE : -1;
	switch (c) {
	case OPT_JSON:
		return file_arg("json", val, &a->json);
	case OPT_DOT:
		return file_arg("dot", val, &a->dot);
	case OPT_SVG:
		return file_arg("svg", val, &a->svg);
	case OPT_EMIT:
		return file_arg("emit", val, &a->emit);
	case OPT_SEED:
		a->have_seed = true;
		return number_arg("--seed", val, &a->seed) ? SIM_USAGE : -1;
	case OPT_RANDOM:
		a->random = true;
		return number_arg("--random", val, &a->steps) ? SIM_USAGE : -1;
	case OPT_SCHEME:
		return scheme_arg(val, a);
	case OPT_COMPARE:
		return compare_arg(val, a);
	case OPT_ONLY:
		return only_arg(val, a);
	}
	return -1;
}

/* The exit status of an option whose whole job was to print: a text that
 * never reached standard output is a failure, said once. */
static int printed(void)
{
	if (!fflush(stdout) && !ferror(stdout))
		return SIM_OK;
	fprintf(stderr, "swmsi-sim: cannot write standard output: %s\n", strerror(errno));
	return SIM_USAGE;
}

/* One option @c from getopt_long; -1: go on, else the exit status. */
static int one_opt(int c, char **argv, struct args *a)
{
	switch (c) {
	case 'h':
		sim_print_help();
		return printed();
	case 'V':
		printf("swmsi-sim %s\n", swmsi_version());
		return printed();
	case OPT_PRINT_DEMO:
		fputs(sim_demo_scenario, stdout);
		return printed();
	case 'q':
		a->quiet = true;
		return -1;
	case 'k':
		a->keep_going = true;
		return -1;
	case OPT_TRACE:
		a->trace = true;
		return -1;
	case OPT_FULL_CHECK:
		a->full_check = true;
		return -1;
	case OPT_STRICT:
		a->strict = true;
		return -1;
	case OPT_FAULTS:
		return value_opt(c, NULL, a);
	case ':':
		return usage_error("%s needs a value", argv[optind - 1]);
	case '?':
		if (optopt)
			return usage_error("unknown option '-%c'", optopt);
		return usage_error("unknown option '%s'", argv[optind - 1]);
	}
	return value_opt(c, optarg, a);
}

/* What the options say together. Returns -1 to go on, else the exit status. */
static int check_args(const struct args *a)
{
	if (a->random && a->file)
		return usage_error("--random generates its own scenario; drop '%s'", a->file);
	if (a->have_seed && !a->random)
		return usage_error("%s needs --random STEPS", "--seed");
	if (a->emit && !a->random)
		return usage_error("%s needs --random STEPS", "--emit");
	if (a->compare && a->has_scheme)
		return usage_error("--compare runs every scheme it names; drop --scheme");
	if (a->random && (a->steps == 0 || a->steps > 1000000))
		return usage_error("%s takes 1 to 1000000 steps", "--random");
	if (a->ex.extra && !a->ex.enabled)
		return usage_error("--faults, --vectors, --jobs, --max-states and --counterexample "
				   "need --explore DEPTH");
	if (a->ex.enabled && (a->random || a->compare || !a->file))
		return usage_error(
			"--explore needs a scenario FILE (and no --random or --compare)");
	if (sim_dot_only_set(&a->only) && !a->dot && !a->svg)
		return usage_error(
			"--only restricts the picture: it needs --dot FILE or --svg FILE");
	if (is_stdout(a->json) + is_stdout(a->dot) + is_stdout(a->svg) > 1)
		return usage_error(
			"only one of --json, --dot and --svg can write to standard output ('-')");
	return -1;
}

/* getopt_long, GNU style: options and the file in any order, "--" ends the
 * options, "-qk" bundles, "--json=FILE" and "--json FILE" alike. Returns -1
 * to go on, else the exit status. */
static int parse_args(int argc, char **argv, struct args *a)
{
	int c, rc;

	memset(a, 0, sizeof(*a));
	a->seed = 1;
	explore_opts_default(&a->ex);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":hVqk", long_opts, NULL)) != -1) {
		rc = one_opt(c, argv, a);
		if (rc >= 0)
			return rc;
	}
	if (optind < argc)
		a->file = argv[optind++];
	if (optind < argc)
		return usage_error("more than one scenario given ('%s')", argv[optind]);
	return check_args(a);
}

static bool want_color(FILE *f)
{
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	if (nc && *nc)
		return false;
	if (term && !strcmp(term, "dumb"))
		return false;
	return isatty(fileno(f));
}

static int emit(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		fprintf(stderr, "swmsi-sim: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	fputs(text, f);
	if (fclose(f)) {
		fprintf(stderr, "swmsi-sim: cannot write %s\n", path);
		return -1;
	}
	return 0;
}

/* The scenario's text: generated, the demo, or read. Returns 0 or an exit status. */
static int get_text(const struct args *a, char **text, size_t *len, const char **label,
		    struct gen_stats *gst)
{
	FILE *f;
	int rc;

	if (a->random || !a->file) {
		*text = a->random ? sim_generate_stats(
					    a->seed, (unsigned int)a->steps,
					    a->has_scheme ? a->scheme : SWMSI_SCHEME_NATIVE, gst)
				  : strdup(sim_demo_scenario);
		*label = a->random ? "<random>" : "<demo>";
		if (!*text) {
			fprintf(stderr, "swmsi-sim: out of memory\n");
			return SIM_USAGE;
		}
		*len = strlen(*text);
		return 0;
	}
	f = strcmp(a->file, "-") ? fopen(a->file, "rb") : stdin;
	*label = strcmp(a->file, "-") ? a->file : "<stdin>";
	if (!f) {
		fprintf(stderr, "%s: cannot read: %s\n", *label, strerror(errno));
		return SIM_USAGE;
	}
	rc = sim_read_all(f, MAX_INPUT, text, len);
	if (f != stdin)
		fclose(f);
	if (rc) {
		fprintf(stderr, "%s: cannot read: %s\n", *label,
			rc == -EFBIG ? "larger than 64 MiB" : strerror(-rc));
		return SIM_USAGE;
	}
	return 0;
}

/* --random's scenario, to --emit's file or before the timeline. Returns 0 or 2. */
static int show_random(const struct args *a, const char *text)
{
	if (a->emit)
		return emit(a->emit, text) ? SIM_USAGE : 0;
	if (!a->quiet) {
		fputs(text, stdout);
		fputc('\n', stdout);
	}
	return 0;
}

/* Parse @text; every error listed. Returns 0 or an exit status. */
static int parse_all(char *text, size_t len, const char *label, struct scn **scn)
{
	struct scn_diag d[SCN_MAX_DIAGS];
	size_t nerr = 0, i;
	int rc;

	rc = scn_parse_all(text, len, label, scn, d, SCN_MAX_DIAGS, &nerr);
	if (rc == -2) {
		fprintf(stderr, "swmsi-sim: out of memory\n");
		return SIM_USAGE;
	}
	if (!rc)
		return 0;
	for (i = 0; i < nerr && i < SCN_MAX_DIAGS; i++)
		fprintf(stderr, "%s:%u:%u: %s\n", label, d[i].line, d[i].col, d[i].msg);
	if (nerr > SCN_MAX_DIAGS)
		fprintf(stderr, "%s: %zu more errors not shown\n", label, nerr - SCN_MAX_DIAGS);
	return SIM_USAGE;
}

/*
 * Parse @text, then check that the run's scheme takes its options: one it
 * cannot take stops the run before it starts (--compare runs the other
 * schemes with what they take instead). Returns 0 or an exit status.
 */
static int parse_text(const struct args *a, char *text, size_t len, const char *label,
		      struct scn **scn)
{
	int rc = parse_all(text, len, label, scn);

	if (!rc &&
	    sim_scheme_check(*scn, a->has_scheme, a->scheme, a->random || !a->file, stderr)) {
		scn_free(*scn);
		*scn = NULL;
		rc = SIM_USAGE;
	}
	return rc;
}

/* --only names what the scenario declares. Returns 0, or -1 having said why. */
static int check_only(const struct args *a, const struct scn *scn)
{
	char msg[200];

	if (!sim_dot_only_set(&a->only) || !sim_dot_only_check(&a->only, scn, msg, sizeof(msg)))
		return 0;
	fprintf(stderr, "swmsi-sim: %s\n", msg);
	return -1;
}

static void fill_opts(const struct args *a, struct sim_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->out = a->quiet ? NULL : stdout;
	o->err = stderr;
	o->keep_going = a->keep_going;
	o->trace = a->trace;
	o->color = !a->quiet && want_color(stdout);
	o->color_err = want_color(stderr);
	o->progress = a->random && isatty(fileno(stderr));
	if (!a->random && !a->file)
		o->note = "line numbers refer to 'swmsi-sim --print-demo'";
	o->json_path = a->json;
	o->dot_path = a->dot;
	o->svg_path = a->svg;
	o->only = sim_dot_only_set(&a->only) ? &a->only : NULL;
	o->has_scheme = a->has_scheme;
	o->scheme = a->scheme;
	o->strict = a->strict;
	o->full_check = a->full_check;
}

int main(int argc, char **argv)
{
	struct sim_result res;
	struct gen_stats gst;
	struct sim_opts o;
	struct scn *scn = NULL;
	const char *label = NULL;
	char *text = NULL;
	size_t len = 0;
	/* static: what --only allocated stays reachable on every early return */
	static struct args a;
	int rc;

	/* C leaves stderr's buffering to the implementation: a diagnostic must
	 * come out when written, between the timeline lines flushed before it. */
	setvbuf(stderr, NULL, _IONBF, 0);
	rc = parse_args(argc, argv, &a);
	if (rc >= 0)
		return rc;
	/* An output on standard output keeps it clean: no timeline, no scenario text. */
	if (is_stdout(a.json) || is_stdout(a.dot) || is_stdout(a.svg))
		a.quiet = true;
	if (a.svg && !sim_have_dot()) {
		fprintf(stderr, "swmsi-sim: --svg needs Graphviz's 'dot', which is not installed "
				"(not found on PATH); use --dot FILE and render it elsewhere\n");
		return SIM_USAGE;
	}
	if (sim_check_outputs((const char *const[]){ a.json, a.dot, a.svg }, 3, stderr))
		return SIM_USAGE;
	rc = get_text(&a, &text, &len, &label, &gst);
	if (!rc && a.random)
		rc = show_random(&a, text);
	if (!rc)
		rc = parse_text(&a, text, len, label, &scn);
	if (!rc && check_only(&a, scn)) /* its names are known now */
		rc = SIM_USAGE;
	if (!rc && a.ex.enabled) {
		a.ex.has_scheme = a.has_scheme;
		a.ex.scheme = a.scheme;
		a.ex.json_path = a.json;
		rc = explore_main(&a.ex, argc, argv, scn, text, len);
		scn_free(scn);
		free(text);
		return fflush(stdout) && rc == SIM_OK ? SIM_USAGE : rc;
	}
	free(text);
	if (rc) {
		scn_free(scn); /* --only named what it lacks */
		return rc;
	}
	fill_opts(&a, &o);
	if (a.compare)
		rc = sim_compare(scn, &o, a.schemes, a.nschemes, &res);
	else
		rc = sim_run(scn, &o, &res);
	scn_free(scn);
	sim_dot_only_free(&a.only);
	if (a.random && !a.quiet)
		sim_gen_stats_print(&gst, stdout);
	/* a timeline that never reached standard output fails the run */
	if (printed() != SIM_OK && rc == SIM_OK)
		rc = SIM_USAGE;
	return rc;
}
