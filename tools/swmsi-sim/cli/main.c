/* SPDX-License-Identifier: MIT */
/*
 * swmsi-sim: play a scenario against libswmsi and a mock IOMMU, print a
 * timeline of what every step changed, and check after every step that MSI
 * doorbells keep their IOVAs and every vector keeps reaching its doorbell.
 * The command line (subcommands, options, the old spellings) is read by
 * cli/; this file runs what it asks for.
 *
 * Exit: 0 every expectation and invariant held, 1 one did not, 2 usage,
 * parse or I/O error.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <swmsi/swmsi.h>

#include "cli.h"
#include "commands.h"
#include "explore.h"
#include "gen.h"

/* Scenarios are small; a bound keeps a mistaken argument (a disk image)
 * from being slurped whole (sim_read_all() says -EFBIG). */
#define MAX_INPUT (64u << 20)

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
static int get_text(const struct cli_args *a, char **text, size_t *len, const char **label,
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
static int show_random(const struct cli_args *a, const char *text)
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
static int parse_text(const struct cli_args *a, char *text, size_t len, const char *label,
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
static int check_only(const struct cli_args *a, const struct scn *scn)
{
	char msg[200];

	if (!sim_dot_only_set(&a->only) || !sim_dot_only_check(&a->only, scn, msg, sizeof(msg)))
		return 0;
	fprintf(stderr, "swmsi-sim: %s\n", msg);
	return -1;
}

static void fill_opts(const struct cli_args *a, struct sim_opts *o)
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
	static struct cli_args a;
	static char command_line[512];
	int rc;

	/* C leaves stderr's buffering to the implementation: a diagnostic must
	 * come out when written, between the timeline lines flushed before it. */
	setvbuf(stderr, NULL, _IONBF, 0);
	explore_command_line(argc, argv, command_line, sizeof(command_line));
	rc = cli_parse(argc, argv, &a);
	if (rc >= 0)
		return rc;
	/* An output on standard output keeps it clean: no timeline, no scenario text. */
	if (cli_is_stdout(a.json) || cli_is_stdout(a.dot) || cli_is_stdout(a.svg))
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
	if (!rc && a.explore) {
		a.ex.has_scheme = a.has_scheme;
		a.ex.scheme = a.scheme;
		a.ex.json_path = a.json;
		rc = explore_main(&a.ex, command_line, scn, text, len);
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
	if (cli_printed() != SIM_OK && rc == SIM_OK)
		rc = SIM_USAGE;
	return rc;
}
