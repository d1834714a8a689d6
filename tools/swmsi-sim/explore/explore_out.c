/* SPDX-License-Identifier: MIT */
/*
 * What --explore prints: the progress line on a terminal, the last line,
 * and for a violation the counterexample (a complete scenario: the file's
 * text, its scheme and strict set first, then the steps, fail_map lines
 * and "=> ERR" as observed), its replay through the normal engine, which
 * must fail with the violation, and the --json summary.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"
#include "explore.h"

double explore_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void explore_progress_draw(struct explore_progress *p, bool final)
{
	uint64_t t = 0;
	double el;
	size_t k;

	if (!p->on)
		return;
	if (final) {
		sim_progress_clear(stderr);
		return;
	}
	for (k = 0; k < 64; k++)
		t += atomic_load_explicit(&p->done[k], memory_order_relaxed);
	el = explore_now() - p->start;
	sim_progress_line(stderr,
			  "explore: depth %zu  states %" PRIu64 "  frontier %" PRIu64
			  "  transitions %" PRIu64 "  %.0f transitions/s",
			  p->depth, p->states, p->frontier, t, el > 0 ? (double)t / el : 0.0);
}

void explore_tick(struct explore_progress *p, unsigned int id)
{
	uint64_t n;
	double now;

	if (!p->on)
		return;
	n = atomic_fetch_add_explicit(&p->done[id & 63], 1, memory_order_relaxed) + 1;
	if (id || n % 256)
		return;
	now = explore_now();
	if (now - p->last < 0.25)
		return;
	p->last = now;
	explore_progress_draw(p, false);
}

/* Is @line "option scheme ..." or "option strict"? */
static bool scheme_or_strict(const char *line, size_t len)
{
	char w1[16], w2[16], buf[64];

	snprintf(buf, sizeof(buf), "%.*s", (int)(len < 63 ? len : 63), line);
	if (sscanf(buf, "%15s %15s", w1, w2) != 2)
		return false;
	return !strcmp(w1, "option") && (!strcmp(w2, "scheme") || !strcmp(w2, "strict"));
}

/* The file's text, its own option scheme and strict lines commented out:
 * the counterexample's come first and must hold. */
static void put_file(FILE *f, const char *text, size_t len)
{
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) : len - i;

		if (scheme_or_strict(text + i, n))
			fputs("# (explore: set above) ", f);
		fwrite(text + i, 1, n, f);
		fputc('\n', f);
		i += n + 1;
	}
}

/* The counterexample as a malloc'ed text (NULL: out of memory). */
static char *cex_text(const struct xuniverse *u, const struct explore_opts *o,
		      const struct explore_result *r, size_t *len)
{
	char *buf = NULL, t[160];
	FILE *f = open_memstream(&buf, len);
	size_t i;

	if (!f)
		return NULL;
	fprintf(f, "# swmsi-sim --explore: a counterexample at depth %zu\n", r->vdepth);
	if (o->command_line)
		fprintf(f, "# found by: %s\n", o->command_line);
	fprintf(f, "# violation [%s]: %s\n", r->inv, r->msg);
	fprintf(f, "option scheme %s\noption strict\n", swmsi_scheme_name(u->scheme));
	put_file(f, o->text, o->len);
	if (r->vdepth)
		fprintf(f, "## the explorer's steps (%zu)\n", r->vdepth);
	for (i = 0; i < r->vdepth; i++) {
		const struct xnode *n = &r->path[i];

		if (n->step.fault)
			fputs("fail_map 1 ENOMEM\n", f);
		fputs(xu_text(u, &n->step, t, sizeof(t)), f);
		if (n->err)
			fprintf(f, " => %s", swmsi_errname(n->err));
		fputc('\n', f);
	}
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* What the replay of the counterexample reported first. */
struct capture {
	bool got;
	char inv[48], msg[512];
};

static void cap_one(struct capture *c, const char *inv, const char *msg)
{
	if (c->got)
		return;
	c->got = true;
	snprintf(c->inv, sizeof(c->inv), "%s", inv);
	snprintf(c->msg, sizeof(c->msg), "%s", msg);
}

static void cap_step(void *priv, const struct sim *s, const struct sim_rec *r)
{
	size_t i;

	(void)s;
	for (i = 0; i < r->nviol; i++)
		if (!r->viol[i].finding)
			cap_one(priv, r->viol[i].inv, r->viol[i].msg);
	if (r->st && r->st->failed)
		cap_one(priv, "expectation", r->c->text);
}

static void cap_end(void *priv, const struct sim *s, const struct sim_end *e)
{
	size_t i;

	(void)s;
	for (i = 0; i < e->nteardown; i++)
		if (!e->teardown[i].finding)
			cap_one(priv, e->teardown[i].inv, e->teardown[i].msg);
}

static const struct sim_sink_ops cap_ops = { .step = cap_step, .end = cap_end };

/* Run the counterexample as swmsi-sim would. Returns its exit status. */
static int replay(const char *text, size_t len, struct capture *cap)
{
	const struct sim_sink sink = { &cap_ops, cap };
	struct sim_result res;
	struct scn_diag d;
	struct sim_opts so;
	struct scn *scn;
	int rc;

	memset(cap, 0, sizeof(*cap));
	if (scn_parse(text, len, "<counterexample>", &scn, &d)) {
		snprintf(cap->msg, sizeof(cap->msg), "line %u: %s", d.line, d.msg);
		return SIM_USAGE;
	}
	memset(&so, 0, sizeof(so));
	rc = sim_engine_run(scn, &so, &sink, 1, &res);
	scn_free(scn);
	return rc;
}

/* Write @text to @path ("-" or NULL: standard output). Returns 0 or -1. */
static int write_out(const char *path, const char *text, size_t len)
{
	FILE *f = !path || !strcmp(path, "-") ? stdout : fopen(path, "w");
	int bad;

	if (!f) {
		fprintf(stderr, "swmsi-sim: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	bad = fwrite(text, 1, len, f) != len;
	if (f != stdout)
		bad |= fclose(f) != 0;
	if (bad)
		fprintf(stderr, "swmsi-sim: cannot write %s\n", path ? path : "standard output");
	return bad ? -1 : 0;
}

static double rate(const struct explore_result *r)
{
	return r->seconds > 0 ? (double)r->states / r->seconds : 0.0;
}

/* The last line when nothing was found. */
static void say_clean(FILE *f, const struct explore_opts *o, const struct explore_result *r)
{
	if (!r->complete)
		fprintf(f,
			"explore: stopped at --max-states %" PRIu64 ": depth %zu fully explored, "
			"depth %zu in part; %" PRIu64 " distinct states, %" PRIu64
			" transitions in %.3f s (%.0f states/s): no violation so far\n",
			o->max_states, r->depth_done, r->depth_done + 1, r->states, r->transitions,
			r->seconds, rate(r));
	else if (r->exhausted)
		fprintf(f,
			"explore: no violation: every reachable state, %" PRIu64
			" distinct states (all within depth %zu of the bound %u), %" PRIu64
			" transitions in %.3f s (%.0f states/s)\n",
			r->states, r->deepest, o->depth, r->transitions, r->seconds, rate(r));
	else
		fprintf(f,
			"explore: no violation to depth %u: %" PRIu64 " distinct states, %" PRIu64
			" transitions in %.3f s (%.0f states/s)\n",
			o->depth, r->states, r->transitions, r->seconds, rate(r));
}

/* The violation, how it replays, where the counterexample went. */
static void say_violation(FILE *f, const char *pre, const struct explore_opts *o,
			  const struct explore_result *r, int st, const struct capture *cap)
{
	fprintf(f,
		"%sexplore: violation at depth %zu, after %" PRIu64 " distinct states and %" PRIu64
		" transitions in %.3f s\n",
		pre, r->vdepth, r->states, r->transitions, r->seconds);
	fprintf(f, "%sexplore: [%s] %s\n", pre, r->inv, r->msg);
	if (st == SIM_FAILED)
		fprintf(f,
			"%sexplore: the counterexample replays: swmsi-sim exits 1 with [%s] %s\n",
			pre, cap->inv, cap->msg);
	else
		fprintf(f, "%sexplore: warning: the counterexample's replay exits %d, not 1 %s\n",
			pre, st, cap->msg);
	if (o->cex_path && strcmp(o->cex_path, "-"))
		fprintf(f, "%sexplore: counterexample written to %s\n", pre, o->cex_path);
}

static void json_steps(struct sim_json *j, const struct xuniverse *u,
		       const struct explore_result *r)
{
	char t[160];
	size_t i;

	sj_key(j, "steps");
	sj_arr_begin(j);
	for (i = 0; i < r->vdepth; i++) {
		sj_obj_begin(j);
		sj_kstr(j, "command", xu_text(u, &r->path[i].step, t, sizeof(t)));
		sj_kbool(j, "fail_map", r->path[i].step.fault);
		sj_kstr(j, "result", sim_errstr(r->path[i].err));
		sj_obj_end(j);
	}
	sj_arr_end(j);
}

static void json_violation(struct sim_json *j, const struct xuniverse *u,
			   const struct explore_result *r, const char *cex, int st)
{
	sj_key(j, "violation");
	if (!r->violation) {
		sj_null(j);
		return;
	}
	sj_obj_begin(j);
	sj_ku64(j, "depth", r->vdepth);
	sj_kstr(j, "invariant", r->inv);
	sj_kstr(j, "message", r->msg);
	json_steps(j, u, r);
	sj_ku64(j, "replay_exit", (uint64_t)st);
	sj_kstr(j, "counterexample", cex ? cex : "");
	sj_obj_end(j);
}

/* The --json summary. Returns 0 or -1. */
static int json_out(const struct xuniverse *u, const struct explore_opts *o,
		    const struct explore_result *r, const char *cex, int st)
{
	char *buf = NULL, num[32];
	size_t len = 0;
	struct sim_json j;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	if (!f)
		return -1;
	sj_init(&j, f);
	sj_obj_begin(&j);
	sj_key(&j, "explore");
	sj_obj_begin(&j);
	sj_ku64(&j, "depth", o->depth);
	sj_kbool(&j, "faults", o->faults);
	sj_ku64(&j, "vectors", o->vectors);
	sj_ku64(&j, "jobs", o->jobs);
	sj_kstr(&j, "scheme", swmsi_scheme_name(u->scheme));
	sj_ku64(&j, "max_states", o->max_states);
	sj_obj_end(&j);
	sj_ku64(&j, "states", r->states);
	sj_ku64(&j, "transitions", r->transitions);
	sj_ku64(&j, "depth_explored", r->depth_done);
	sj_kbool(&j, "complete", r->complete);
	sj_kbool(&j, "exhausted", r->exhausted);
	sj_ku64(&j, "deepest", r->deepest);
	snprintf(num, sizeof(num), "%.3f", r->seconds);
	sj_key(&j, "seconds");
	sj_raw(&j, num, strlen(num));
	json_violation(&j, u, r, cex, st);
	sj_obj_end(&j);
	fputc('\n', f);
	if (fclose(f))
		return -1;
	rc = write_out(o->json_path, buf, len);
	free(buf);
	return rc;
}

int explore_report(const struct xuniverse *u, const struct explore_opts *o,
		   const struct explore_result *r)
{
	bool json_stdout = o->json_path && !strcmp(o->json_path, "-");
	bool cex_stdout = !o->cex_path || !strcmp(o->cex_path, "-");
	FILE *f = json_stdout ? stderr : stdout;
	struct capture cap;
	char *cex = NULL;
	size_t len = 0;
	int st = 0, status = r->violation ? SIM_FAILED : SIM_OK;

	memset(&cap, 0, sizeof(cap));
	if (r->violation) {
		cex = cex_text(u, o, r, &len);
		if (!cex) {
			fprintf(stderr, "swmsi-sim: out of memory\n");
			return SIM_USAGE;
		}
		st = replay(cex, len, &cap);
		say_violation(f, cex_stdout && !json_stdout ? "# " : "", o, r, st, &cap);
		if ((!cex_stdout || !json_stdout) && write_out(o->cex_path, cex, len))
			status = SIM_USAGE;
	} else {
		say_clean(f, o, r);
	}
	if (o->json_path && json_out(u, o, r, cex, st))
		status = SIM_USAGE;
	free(cex);
	return status;
}
