/* SPDX-License-Identifier: MIT */
/*
 * --compare: one scenario played once per scheme, side by side. Each run is
 * an ordinary sim_run() without a timeline whose steps are collected
 * through sim_opts.on_step; this file only lays them out. The file's own
 * scheme is the judged run: its expectations and invariants decide the exit
 * status, its diagnostics go to stderr, its final state to --dot/--svg.
 * Each scheme runs with the options it takes (lang.h, scheme_caps.c), and the
 * header says what it changed; a scheme that cannot run at all is named in
 * the summary with its cause, and the run exits 2. Without -k every run
 * stops where the judged one stops, at its first failed expectation.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lang.h"
#include "sinks.h"

struct cmp_run {
	enum swmsi_scheme scheme;
	bool shown;			       /* a column (else run only to judge) */
	struct scn scn;			       /* the file, with the options this scheme takes */
	struct sim_adjust adj[SIM_MAX_ADJUST]; /* what it changed of the file's */
	size_t nadj;
	struct sim_step_rec *recs; /* per command; index valid when ran[] */
	bool *ran;
	struct sim_result res;
	int status;
	char *json; /* its JSON document, with --json */
	size_t json_len;
};

struct cmp {
	const struct scn *scn;
	const struct sim_opts *o;
	struct cmp_run runs[SIM_SCHEMES + 1];
	size_t nruns;
	size_t judged;		   /* index into runs */
	unsigned int stopped_line; /* without -k: the judged run stopped there (0: ran on) */
};

/* A column with results: shown, and its context could be made. */
static bool live(const struct cmp_run *r)
{
	return r->shown && !r->res.ctx_err;
}

/* Did a column run step @i? (Without -k, every run stops where the judged one did.) */
static bool cmp_step_ran(const struct cmp *c, size_t i)
{
	size_t k;

	for (k = 0; k < c->nruns; k++)
		if (live(&c->runs[k]) && c->runs[k].ran[i])
			return true;
	return false;
}

static void collect(void *priv, const struct sim_step_rec *rec)
{
	struct cmp_run *r = priv;

	r->recs[rec->index] = *rec;
	r->ran[rec->index] = true;
}

/* One run, of at most @max_steps commands (0: all); only the judged one
 * talks on stderr and draws the final state. */
static int cmp_play(struct cmp *c, struct cmp_run *r, bool judged, size_t max_steps)
{
	struct sim_opts o = *c->o;
	FILE *jf = NULL;

	r->recs = calloc(c->scn->ncmds ? c->scn->ncmds : 1, sizeof(*r->recs));
	r->ran = calloc(c->scn->ncmds ? c->scn->ncmds : 1, sizeof(*r->ran));
	if (!r->recs || !r->ran)
		return -ENOMEM;
	o.out = NULL;
	o.progress = false;
	/* the judged run stops as a plain run does; the others run on to where
	 * it stopped (@max_steps), their failed expectations only informing */
	o.keep_going = judged ? c->o->keep_going : true;
	if (max_steps && (!o.max_steps || max_steps < o.max_steps))
		o.max_steps = max_steps;
	o.has_scheme = true;
	o.scheme = r->scheme;
	o.on_step = collect;
	o.on_step_priv = r;
	o.json_path = NULL;
	if (!judged) {
		o.err = NULL;
		o.dot_path = o.svg_path = NULL;
	}
	if (c->o->json_path) {
		jf = open_memstream(&r->json, &r->json_len);
		if (!jf)
			return -ENOMEM;
		o.json_file = jf;
	}
	r->status = sim_run(&r->scn, &o, &r->res);
	if (jf && fclose(jf))
		return -ENOMEM;
	return 0;
}

/* Two results alike but for their parenthesised detail ("(map 0, slot 0)"
 * against "(through s1's cookie)")? The outcome is what is compared. */
static bool same_outcome(const char *a, const char *b)
{
	const char *pa = strstr(a, " ("), *pb = strstr(b, " (");
	size_t na = pa ? (size_t)(pa - a) : strlen(a), nb = pb ? (size_t)(pb - b) : strlen(b);

	return na == nb && !memcmp(a, b, na);
}

/* Do the shown runs disagree on step @i (outcome or lost/misrouted vectors)? */
static bool cmp_differs(const struct cmp *c, size_t i)
{
	const struct sim_step_rec *first = NULL;
	size_t k;

	for (k = 0; k < c->nruns; k++) {
		const struct cmp_run *r = &c->runs[k];

		if (!live(r))
			continue;
		if (!r->ran[i])
			return true;
		if (!first) {
			first = &r->recs[i];
			continue;
		}
		if (!same_outcome(first->result, r->recs[i].result) ||
		    strcmp(first->fates, r->recs[i].fates) || first->failed != r->recs[i].failed)
			return true;
	}
	return false;
}

/* The fates line a run prints under step @i ("" when the set did not change). */
static const char *fates_line(const struct cmp_run *r, size_t i)
{
	const char *prev = i && r->ran[i - 1] ? r->recs[i - 1].fates : "";

	if (!strcmp(prev, r->recs[i].fates))
		return "";
	return r->recs[i].nfates ? r->recs[i].fates : "every vector reaches its doorbell again";
}

static void cmp_print_scheme(const struct cmp *c, const struct cmp_run *r, size_t i, FILE *f)
{
	const struct sim_step_rec *x = &r->recs[i];

	if (!r->ran[i]) { /* every live run reaches every step printed */
		fprintf(f, "         %-10s (stopped before this step)\n",
			swmsi_scheme_name(r->scheme));
		return;
	}
	fprintf(f, "         %-10s %s", swmsi_scheme_name(r->scheme), x->result);
	if (x->failed)
		fprintf(f, "  [%s the file's expectation]",
			&c->runs[c->judged] == r ? "FAIL:" : "fails");
	if (x->violations)
		fprintf(f, "  [%zu invariant violation%s]", x->violations,
			x->violations == 1 ? "" : "s");
	if (x->findings)
		fprintf(f, "  [%zu finding%s: %s]", x->findings, x->findings == 1 ? "" : "s",
			x->finding_names);
	fputc('\n', f);
	/* Every lost or misrouted vector, named when the set changes. */
	if (*fates_line(r, i))
		fprintf(f, "         %-10s   %s\n", "", fates_line(r, i));
}

/*
 * Do two or more shown runs print exactly the same under step @i (result,
 * detail, findings, the lost and misrouted vectors) with no failed
 * expectation? Then one line says it for all of them.
 */
static bool cmp_all_agree(const struct cmp *c, size_t i)
{
	const struct cmp_run *first = NULL;
	size_t k, shown = 0;

	for (k = 0; k < c->nruns; k++) {
		const struct cmp_run *r = &c->runs[k];
		const struct sim_step_rec *x = &r->recs[i];

		if (!live(r))
			continue;
		if (!r->ran[i] || x->failed)
			return false;
		shown++;
		if (!first) {
			first = r;
			continue;
		}
		if (strcmp(x->result, first->recs[i].result) ||
		    x->violations != first->recs[i].violations ||
		    x->findings != first->recs[i].findings ||
		    strcmp(x->finding_names, first->recs[i].finding_names) ||
		    strcmp(fates_line(r, i), fates_line(first, i)))
			return false;
	}
	return shown > 1;
}

/* Step @i's one line for every scheme, as cmp_print_scheme() would print each. */
static void cmp_print_all(const struct cmp_run *r, size_t i, FILE *f)
{
	const struct sim_step_rec *x = &r->recs[i];
	const char *fates = fates_line(r, i);

	fprintf(f, "         %-10s %s", "all", x->result);
	if (x->violations)
		fprintf(f, "  [%zu invariant violation%s]", x->violations,
			x->violations == 1 ? "" : "s");
	if (x->findings)
		fprintf(f, "  [%zu finding%s: %s]", x->findings, x->findings == 1 ? "" : "s",
			x->finding_names);
	fputc('\n', f);
	if (*fates)
		fprintf(f, "         %-10s   %s\n", "", fates);
}

static void cmp_print_step(const struct cmp *c, size_t i, FILE *f)
{
	const struct scn_cmd *cmd = &c->scn->cmds[i];
	size_t k;

	if (cmd->heading) {
		const char *h = cmd->heading;

		fputc('\n', f);
		while (*h) {
			size_t n = strcspn(h, "\n");

			fprintf(f, "## %.*s\n", (int)n, h);
			h += n + (h[n] == '\n');
		}
	}
	fprintf(f, "%s%5u  %s\n", cmp_differs(c, i) ? "*" : " ", cmd->line, cmd->text);
	if (cmp_all_agree(c, i)) {
		for (k = 0; !live(&c->runs[k]); k++)
			;
		cmp_print_all(&c->runs[k], i, f);
		return;
	}
	for (k = 0; k < c->nruns; k++)
		if (live(&c->runs[k]))
			cmp_print_scheme(c, &c->runs[k], i, f);
}

/* "kernel: runs with reclaim none, not unused (the kernel scheme never
 * reclaims MSI pages)": what a scheme changed of the file's options. */
static void cmp_print_adjusted(const struct cmp_run *r, FILE *f)
{
	char why[160];
	size_t i;

	if (!r->nadj)
		return;
	fprintf(f, "%s: runs with", swmsi_scheme_name(r->scheme));
	for (i = 0; i < r->nadj; i++)
		fprintf(f, "%s %s %s, not %s (%s)", i ? ";" : "", r->adj[i].option, r->adj[i].to,
			r->adj[i].from, sim_adjust_why(r->scheme, &r->adj[i], why, sizeof(why)));
	fputc('\n', f);
}

static void cmp_print_header(const struct cmp *c, FILE *f)
{
	size_t k;

	fprintf(f, "swmsi-sim %s: %s compared under", swmsi_version(), c->scn->file);
	for (k = 0; k < c->nruns; k++)
		if (c->runs[k].shown)
			fprintf(f, "%s %s", k ? "," : "", swmsi_scheme_name(c->runs[k].scheme));
	fprintf(f, " (expectations judged under %s; '*' marks a step the schemes differ on)\n",
		swmsi_scheme_name(c->runs[c->judged].scheme));
	for (k = 0; k < c->nruns; k++)
		cmp_print_adjusted(&c->runs[k], f);
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* "cannot create the context: EINVAL (why)" for a run that could not run. */
static const char *cmp_ctx_error(const struct cmp_run *r, char *buf, size_t len)
{
	char why[200];

	snprintf(buf, len, "cannot create the context: %s (%s)", swmsi_errname(r->res.ctx_err),
		 sim_ctx_cause(&r->scn.opts, r->scheme, r->res.ctx_err, why, sizeof(why)));
	return buf;
}

/* One line a scheme: what it did, or why it could not run. */
static void cmp_print_summary(const struct cmp *c, size_t k, FILE *f)
{
	const struct cmp_run *run = &c->runs[k];
	const struct sim_result *r = &run->res;
	const char *judged = k == c->judged ? " (judged)" : "";
	char err[300];

	if (r->ctx_err) {
		fprintf(f, "%-10s could not run: %s%s\n", swmsi_scheme_name(run->scheme),
			cmp_ctx_error(run, err, sizeof(err)), judged);
		return;
	}
	fprintf(f,
		"%-10s %zu step%s, %zu failed expectation%s, %zu invariant violation%s, "
		"%zu finding%s%s\n",
		swmsi_scheme_name(run->scheme), r->steps, plural(r->steps), r->failed_expects,
		plural(r->failed_expects), r->failed_invariants, plural(r->failed_invariants),
		r->findings, plural(r->findings), judged);
}

/* The last line: PASS or FAIL, and why. */
static void cmp_print_verdict(const struct cmp *c, int status, size_t differ, FILE *f)
{
	const char *judged = swmsi_scheme_name(c->runs[c->judged].scheme);
	size_t k, n = 0;

	if (status == SIM_USAGE) {
		fputs("FAIL:", f);
		for (k = 0; k < c->nruns; k++)
			if (c->runs[k].res.ctx_err)
				fprintf(f, "%s %s", n++ ? "," : "",
					swmsi_scheme_name(c->runs[k].scheme));
		if (n) {
			fprintf(f, " could not run (the cause is above); exit status 2\n");
			return;
		}
		fprintf(f, " exit status 2 (see the error above)\n");
		return;
	}
	fprintf(f, "%s: %zu step%s differ%s between the schemes; exit status from %s",
		status ? "FAIL" : "PASS", differ, plural(differ), differ == 1 ? "s" : "", judged);
	if (c->stopped_line)
		fprintf(f, "; stopped at line %u, the first failure under %s (-k runs every step)",
			c->stopped_line, judged);
	fputc('\n', f);
}

static void cmp_print(const struct cmp *c, int status, FILE *f)
{
	size_t i, k, differ = 0;

	cmp_print_header(c, f);
	for (i = 0; i < c->scn->ncmds; i++) {
		if (!cmp_step_ran(c, i))
			continue;
		cmp_print_step(c, i, f);
		differ += cmp_differs(c, i);
	}
	fputc('\n', f);
	for (k = 0; k < c->nruns; k++)
		cmp_print_summary(c, k, f);
	cmp_print_verdict(c, status, differ, f);
}

/* A name list as a JSON array. */
static void cmp_json_names(struct sim_json *j, const char *key, const char *const *v, size_t n)
{
	size_t i;

	sj_key(j, key);
	sj_arr_begin(j);
	for (i = 0; i < n; i++)
		sj_str(j, v[i]);
	sj_arr_end(j);
}

/* "@key": "0x..." when @has, else null. */
static void cmp_json_hex_or_null(struct sim_json *j, const char *key, bool has, uint64_t v)
{
	sj_key(j, key);
	if (has)
		sj_hex(j, v);
	else
		sj_null(j);
}

/* The vectors whose write does not reach its doorbell after the step. */
static void cmp_json_vecs(struct sim_json *j, const struct sim_step_rec *x)
{
	const struct sim_rec_facts *f = &x->facts;
	size_t i;

	sj_key(j, "lost_or_misrouted");
	sj_arr_begin(j);
	for (i = 0; i < f->nvecs; i++) {
		const struct sim_rec_vec *v = &f->vecs[i];
		bool lost = !strcmp(v->fate, "lost");

		sj_obj_begin(j);
		sj_kstr(j, "device", v->dev);
		sj_kstr(j, "vector", v->vec);
		sj_kstr(j, "fate", v->fate);
		sj_key(j, "errno");
		if (lost)
			sj_str(j, swmsi_errname(v->rc));
		else
			sj_null(j);
		cmp_json_hex_or_null(j, "landed", !lost, v->landed);
		sj_obj_end(j);
	}
	sj_arr_end(j);
	/* more than the record holds: the list is the first SIM_REC_VECS */
	sj_ku64(j, "lost_or_misrouted_total", x->nfates);
}

/* What the call gave: the id it made, an msi's address, a fire's write. */
static void cmp_json_facts(struct sim_json *j, const struct sim_rec_facts *f)
{
	if (f->id)
		sj_ku64(j, "id", f->id);
	if (f->has_msg) {
		sj_khex(j, "msg_addr", f->msg_addr);
		sj_kbool(j, "translated", f->translated);
		if (f->has_map) {
			sj_ku64(j, "map_id", f->map_id);
			sj_ku64(j, "slot", f->slot);
		}
		if (f->cookie[0])
			sj_kstr(j, "cookie", f->cookie);
	}
	if (f->fate) {
		sj_kstr(j, "fate", f->fate);
		cmp_json_hex_or_null(j, "landed", strcmp(f->fate, "lost"), f->landed);
		sj_khex(j, "doorbell", f->doorbell);
	}
}

/* One scheme's result of step @i, as data; "text" is the line it prints. */
static void cmp_json_result(struct sim_json *j, const struct sim_step_rec *x)
{
	sj_obj_begin(j);
	sj_kstr(j, "status", x->failed ? "fail" : x->skipped ? "skipped" : "pass");
	sj_key(j, "errno");
	if (x->rc)
		sj_str(j, swmsi_errname(x->rc));
	else
		sj_null(j);
	cmp_json_facts(j, &x->facts);
	sj_ku64(j, "violations", x->violations);
	sj_ku64(j, "findings", x->findings);
	cmp_json_names(j, "finding_names", x->facts.finding_names, x->facts.nfinding_names);
	cmp_json_vecs(j, x);
	sj_kstr(j, "text", x->result);
	sj_obj_end(j);
}

static void cmp_json_step(const struct cmp *c, struct sim_json *j, size_t i)
{
	const struct scn_cmd *cmd = &c->scn->cmds[i];
	size_t k;

	sj_obj_begin(j);
	sj_ku64(j, "line", cmd->line);
	sj_kstr(j, "command", cmd->text);
	sj_kbool(j, "differs", cmp_differs(c, i));
	sj_key(j, "results");
	sj_obj_begin(j);
	for (k = 0; k < c->nruns; k++) {
		const struct cmp_run *r = &c->runs[k];

		if (!live(r) || !r->ran[i])
			continue;
		sj_key(j, swmsi_scheme_name(r->scheme));
		cmp_json_result(j, &r->recs[i]);
	}
	sj_obj_end(j);
	sj_obj_end(j);
}

/*
 * A run's "adjusted", the options it ran with instead of the file's ([] when
 * none), and "error", why it could not run (null when it ran).
 */
static void cmp_json_adjusted(const struct cmp_run *r, struct sim_json *j)
{
	char why[200];
	size_t i;

	sj_key(j, "adjusted");
	sj_arr_begin(j);
	for (i = 0; i < r->nadj; i++) {
		sj_obj_begin(j);
		sj_kstr(j, "option", r->adj[i].option);
		sj_kstr(j, "from", r->adj[i].from);
		sj_kstr(j, "to", r->adj[i].to);
		sj_kstr(j, "why", sim_adjust_why(r->scheme, &r->adj[i], why, sizeof(why)));
		sj_obj_end(j);
	}
	sj_arr_end(j);
	sj_key(j, "error");
	if (r->res.ctx_err) {
		sj_obj_begin(j);
		sj_kstr(j, "errno", swmsi_errname(r->res.ctx_err));
		sj_kstr(j, "cause",
			sim_ctx_cause(&r->scn.opts, r->scheme, r->res.ctx_err, why, sizeof(why)));
		sj_obj_end(j);
	} else {
		sj_null(j);
	}
}

/* The summary lines as data: each run's counts, the steps that differ, the exit. */
static void cmp_json_summary(const struct cmp *c, int status, struct sim_json *j)
{
	size_t i, k, differ = 0;

	for (i = 0; i < c->scn->ncmds; i++)
		if (c->runs[c->judged].ran[i] || c->runs[0].ran[i])
			differ += cmp_differs(c, i);
	sj_key(j, "summary");
	sj_obj_begin(j);
	sj_key(j, "schemes");
	sj_obj_begin(j);
	for (k = 0; k < c->nruns; k++) {
		const struct sim_result *r = &c->runs[k].res;

		sj_key(j, swmsi_scheme_name(c->runs[k].scheme));
		sj_obj_begin(j);
		sj_ku64(j, "steps", r->steps);
		sj_ku64(j, "failed_expectations", r->failed_expects);
		sj_ku64(j, "invariant_violations", r->failed_invariants);
		sj_ku64(j, "findings", r->findings);
		sj_kbool(j, "judged", k == c->judged);
		sj_kbool(j, "shown", c->runs[k].shown);
		sj_ku64(j, "exit", (uint64_t)c->runs[k].status);
		cmp_json_adjusted(&c->runs[k], j);
		sj_obj_end(j);
	}
	sj_obj_end(j);
	sj_ku64(j, "differ", differ);
	sj_ku64(j, "exit", (uint64_t)status);
	sj_obj_end(j);
}

/* Every scheme's results: the step table, then each run's own document. */
static void cmp_json(const struct cmp *c, int status, FILE *f)
{
	struct sim_json j;
	size_t i, k;

	sj_init(&j, f);
	sj_obj_begin(&j);
	sj_kstr(&j, "tool", "swmsi-sim");
	sj_kstr(&j, "version", swmsi_version());
	sj_kstr(&j, "file", c->scn->file);
	sj_key(&j, "compare");
	sj_arr_begin(&j);
	for (k = 0; k < c->nruns; k++)
		if (c->runs[k].shown)
			sj_str(&j, swmsi_scheme_name(c->runs[k].scheme));
	sj_arr_end(&j);
	sj_kstr(&j, "judged", swmsi_scheme_name(c->runs[c->judged].scheme));
	sj_key(&j, "steps");
	sj_arr_begin(&j);
	for (i = 0; i < c->scn->ncmds; i++)
		if (cmp_step_ran(c, i))
			cmp_json_step(c, &j, i);
	sj_arr_end(&j);
	sj_key(&j, "runs");
	sj_obj_begin(&j);
	for (k = 0; k < c->nruns; k++) {
		sj_key(&j, swmsi_scheme_name(c->runs[k].scheme));
		if (c->runs[k].json)
			sj_raw(&j, c->runs[k].json, c->runs[k].json_len);
		else
			sj_null(&j);
	}
	sj_obj_end(&j);
	cmp_json_summary(c, status, &j);
	sj_obj_end(&j);
	fputc('\n', f);
}

/* The runs: each shown scheme once, and the file's own when it is not one;
 * each with the file's options as far as its scheme takes them. */
static void cmp_setup(struct cmp *c, const enum swmsi_scheme *schemes, size_t n)
{
	size_t k;

	c->judged = SIZE_MAX;
	for (k = 0; k < n && c->nruns < SIM_SCHEMES; k++) {
		c->runs[c->nruns].scheme = schemes[k];
		c->runs[c->nruns].shown = true;
		if (schemes[k] == c->scn->opts.scheme)
			c->judged = c->nruns;
		c->nruns++;
	}
	if (c->judged == SIZE_MAX) {
		c->judged = c->nruns;
		c->runs[c->nruns++].scheme = c->scn->opts.scheme;
	}
	for (k = 0; k < c->nruns; k++) {
		struct cmp_run *r = &c->runs[k];

		r->scn = *c->scn;
		r->nadj = sim_scheme_fit(r->scheme, &c->scn->opts, &r->scn.opts, r->adj);
	}
}

static int cmp_output(const struct cmp *c, int status)
{
	FILE *f;
	int bad;

	if (c->o->out)
		cmp_print(c, status, c->o->out);
	if (!c->o->json_path)
		return 0;
	f = strcmp(c->o->json_path, "-") ? fopen(c->o->json_path, "w") : stdout;
	if (!f)
		return -1;
	cmp_json(c, status, f);
	bad = f == stdout ? fflush(f) : fclose(f);
	return bad ? -1 : 0;
}

/*
 * The judged run first: without -k it stops at its first failed
 * expectation, and the others then run the same steps. Returns 0, or
 * -ENOMEM.
 */
static int cmp_play_all(struct cmp *c)
{
	const struct cmp_run *j = &c->runs[c->judged];
	size_t k, bound = 0, last = 0;

	if (cmp_play(c, &c->runs[c->judged], true, 0))
		return -ENOMEM;
	if (j->status == SIM_FAILED && !c->o->keep_going) {
		for (k = 0; k < c->scn->ncmds; k++)
			if (j->ran[k])
				last = k;
		if (last + 1 < c->scn->ncmds && j->ran[last] &&
		    (j->recs[last].failed || j->recs[last].violations)) {
			bound = last + 1;
			c->stopped_line = c->scn->cmds[last].line;
		}
	}
	for (k = 0; k < c->nruns; k++)
		if (k != c->judged && cmp_play(c, &c->runs[k], false, bound))
			return -ENOMEM;
	return 0;
}

/* The exit status: 2 when a scheme could not run (said on stderr, the
 * judged one by its own run), else the judged run's. */
static int cmp_status(const struct cmp *c)
{
	char err[300];
	int status = c->runs[c->judged].status;
	size_t k;

	for (k = 0; k < c->nruns; k++) {
		const struct cmp_run *r = &c->runs[k];

		if (!r->res.ctx_err)
			continue;
		status = SIM_USAGE;
		if (k != c->judged && c->o->err)
			fprintf(c->o->err, "swmsi-sim: --compare: %s could not run: %s\n",
				swmsi_scheme_name(r->scheme), cmp_ctx_error(r, err, sizeof(err)));
	}
	return status;
}

int sim_compare(const struct scn *scn, const struct sim_opts *opts,
		const enum swmsi_scheme *schemes, size_t n, struct sim_result *res)
{
	struct cmp c;
	size_t k;
	int status = SIM_USAGE;

	memset(&c, 0, sizeof(c));
	memset(res, 0, sizeof(*res));
	c.scn = scn;
	c.o = opts;
	cmp_setup(&c, schemes, n);
	/* An unwritable --json was said before anything ran: main() checks
	 * every output (sim_check_outputs()) before the first run. */
	if (cmp_play_all(&c)) {
		if (opts->err)
			fprintf(opts->err, "swmsi-sim: out of memory\n");
		goto out;
	}
	status = cmp_status(&c);
	*res = c.runs[c.judged].res;
	if (cmp_output(&c, status)) {
		if (opts->err)
			fprintf(opts->err, "swmsi-sim: cannot write %s\n", opts->json_path);
		status = SIM_USAGE;
	}
out:
	for (k = 0; k < c.nruns; k++) {
		free(c.runs[k].recs);
		free(c.runs[k].ran);
		free(c.runs[k].json);
	}
	return status;
}
