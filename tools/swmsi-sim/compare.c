/* SPDX-License-Identifier: MIT */
/*
 * --compare: one scenario played once per scheme, side by side. Each run is
 * an ordinary sim_run() without a timeline whose steps are collected
 * through sim_opts.on_step; this file only lays them out. The file's own
 * scheme is the judged run: its expectations and invariants decide the exit
 * status, its diagnostics go to stderr, its final state to --dot/--svg.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

struct cmp_run {
	enum swmsi_scheme scheme;
	bool shown;		   /* a column (else run only to judge) */
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
	size_t judged; /* index into runs */
};

static void collect(void *priv, const struct sim_step_rec *rec)
{
	struct cmp_run *r = priv;

	r->recs[rec->index] = *rec;
	r->ran[rec->index] = true;
}

/* One run; only the judged one talks on stderr and draws the final state. */
static int cmp_play(struct cmp *c, struct cmp_run *r, bool judged)
{
	struct sim_opts o = *c->o;
	FILE *jf = NULL;

	r->recs = calloc(c->scn->ncmds ? c->scn->ncmds : 1, sizeof(*r->recs));
	r->ran = calloc(c->scn->ncmds ? c->scn->ncmds : 1, sizeof(*r->ran));
	if (!r->recs || !r->ran)
		return -ENOMEM;
	o.out = NULL;
	o.progress = false;
	o.keep_going = true; /* every column has every step */
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
	r->status = sim_run(c->scn, &o, &r->res);
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

		if (!r->shown)
			continue;
		if (!r->ran[i])
			return first != NULL || k > 0;
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

	if (!r->ran[i]) {
		fprintf(f, "         %-10s (not run)\n", swmsi_scheme_name(r->scheme));
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

		if (!r->shown)
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
		for (k = 0; !c->runs[k].shown; k++)
			;
		cmp_print_all(&c->runs[k], i, f);
		return;
	}
	for (k = 0; k < c->nruns; k++)
		if (c->runs[k].shown)
			cmp_print_scheme(c, &c->runs[k], i, f);
}

static void cmp_print(const struct cmp *c, FILE *f)
{
	size_t i, k, differ = 0;

	fprintf(f, "swmsi-sim %s: %s compared under", swmsi_version(), c->scn->file);
	for (k = 0; k < c->nruns; k++)
		if (c->runs[k].shown)
			fprintf(f, "%s %s", k ? "," : "", swmsi_scheme_name(c->runs[k].scheme));
	fprintf(f, " (expectations judged under %s; '*' marks a step the schemes differ on)\n",
		swmsi_scheme_name(c->runs[c->judged].scheme));
	for (i = 0; i < c->scn->ncmds; i++) {
		if (!c->runs[c->judged].ran[i] && !c->runs[0].ran[i])
			continue;
		cmp_print_step(c, i, f);
		differ += cmp_differs(c, i);
	}
	fputc('\n', f);
	for (k = 0; k < c->nruns; k++) {
		const struct sim_result *r = &c->runs[k].res;

		fprintf(f,
			"%-10s %zu steps, %zu failed expectations, %zu invariant violations, "
			"%zu findings%s\n",
			swmsi_scheme_name(c->runs[k].scheme), r->steps, r->failed_expects,
			r->failed_invariants, r->findings, k == c->judged ? " (judged)" : "");
	}
	fprintf(f, "%s: %zu step%s differ between the schemes; exit status from %s\n",
		c->runs[c->judged].status ? "FAIL" : "PASS", differ, differ == 1 ? "" : "s",
		swmsi_scheme_name(c->runs[c->judged].scheme));
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

		if (!r->shown || !r->ran[i])
			continue;
		sj_key(j, swmsi_scheme_name(r->scheme));
		cmp_json_result(j, &r->recs[i]);
	}
	sj_obj_end(j);
	sj_obj_end(j);
}

/* The summary lines as data: each run's counts, the steps that differ, the exit. */
static void cmp_json_summary(const struct cmp *c, struct sim_json *j)
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
		sj_obj_end(j);
	}
	sj_obj_end(j);
	sj_ku64(j, "differ", differ);
	sj_ku64(j, "exit", (uint64_t)c->runs[c->judged].status);
	sj_obj_end(j);
}

/* Every scheme's results: the step table, then each run's own document. */
static void cmp_json(const struct cmp *c, FILE *f)
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
		if (c->runs[c->judged].ran[i] || c->runs[0].ran[i])
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
	cmp_json_summary(c, &j);
	sj_obj_end(&j);
	fputc('\n', f);
}

/* The runs: each shown scheme once, and the file's own when it is not one. */
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
}

static int cmp_output(const struct cmp *c)
{
	FILE *f;
	int bad;

	if (c->o->out)
		cmp_print(c, c->o->out);
	if (!c->o->json_path)
		return 0;
	f = strcmp(c->o->json_path, "-") ? fopen(c->o->json_path, "w") : stdout;
	if (!f)
		return -1;
	cmp_json(c, f);
	bad = f == stdout ? fflush(f) : fclose(f);
	return bad ? -1 : 0;
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
	for (k = 0; k < c.nruns; k++)
		if (cmp_play(&c, &c.runs[k], k == c.judged))
			goto out;
	status = c.runs[c.judged].status;
	*res = c.runs[c.judged].res;
	if (cmp_output(&c)) {
		if (opts->err)
			fprintf(opts->err, "swmsi-sim: cannot write %s\n", opts->json_path);
		status = SIM_USAGE;
	}
out:
	if (status == SIM_USAGE && opts->err && k < c.nruns)
		fprintf(opts->err, "swmsi-sim: out of memory\n");
	for (k = 0; k < c.nruns; k++) {
		free(c.runs[k].recs);
		free(c.runs[k].ran);
		free(c.runs[k].json);
	}
	return status;
}
