/* SPDX-License-Identifier: MIT */
/*
 * The text sink: the timeline on standard output (a header, one line a
 * step with what it changed under it, the summary) and the diagnostics on
 * standard error, and --trace's journal lines.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "engine.h"
#include "sinks.h"
#include "lang.h"

#define C_RESET "\033[0m"
#define C_OK	"\033[32m"
#define C_XERR	"\033[36m"
#define C_FAIL	"\033[1;31m"
#define C_DIM	"\033[2m"
#define C_HEAD	"\033[1m"

/* Width of the command column of the timeline. */
#define CMD_COLUMN 44

static const char *col(const struct sink_text *t, const char *c)
{
	return t->color ? c : "";
}

static const char *ecol(const struct sink_text *t, const char *c)
{
	return t->color_err ? c : "";
}

/*
 * A diagnostic on stderr. The timeline on stdout is flushed first: when both
 * go to one pipe (2>&1 | less) a message then follows the step it is about
 * instead of coming out ahead of the whole buffered timeline.
 */
static void diag(const struct sink_text *t, const char *fmt, ...) SIM_PRINTF(2, 3);

static void diag(const struct sink_text *t, const char *fmt, ...)
{
	va_list ap;

	if (!t->err)
		return;
	if (t->out)
		fflush(t->out);
	va_start(ap, fmt);
	vfprintf(t->err, fmt, ap);
	va_end(ap);
}

static void text_begin(void *priv, const struct sim *s)
{
	struct sink_text *t = priv;
	const struct scn *scn = s->scn;

	if (!t->out)
		return;
	t->ranges = sim_ranges_seen_new(scn);
	fprintf(t->out,
		"swmsi-sim %s: %s (scheme %s%s, page_shift %u, max_msi_maps %u, "
		"reclaim %s)%s%s\n",
		swmsi_version(), scn->file, swmsi_scheme_name(s->scheme),
		s->strict && s->scheme != SWMSI_SCHEME_NATIVE ? " strict" : "",
		scn->opts.page_shift, scn_max_msi_maps(&scn->opts),
		scn->opts.reclaim_unused ? "unused" : "none", t->note ? "; " : "",
		t->note ? t->note : "");
}

static void print_heading(const struct sink_text *t, const char *h)
{
	fputc('\n', t->out);
	while (*h) {
		size_t n = strcspn(h, "\n");

		fprintf(t->out, "%s## %.*s%s\n", col(t, C_HEAD), (int)n, h, col(t, C_RESET));
		h += n + (h[n] == '\n');
	}
}

static void print_step(const struct sink_text *t, const struct sim_step *st,
		       const struct sim_text *w)
{
	const struct scn_cmd *c = st->c;
	FILE *f = t->out;
	int pad;

	if (c->heading)
		print_heading(t, c->heading);
	/*
	 * The command without its "=> ERR": the result column says "ERR, as
	 * expected" or why not. One too long for its column gets a line of its
	 * own and the result goes under the column.
	 */
	pad = CMD_COLUMN - (int)c->call_len;
	fprintf(f, "%5u  %.*s", c->line, (int)c->call_len, c->text);
	if (pad < 0)
		fprintf(f, "\n%*s", 7 + CMD_COLUMN + 2, "");
	else
		fprintf(f, "%*s  ", pad, "");
	if (st->failed)
		fprintf(f, "%sFAIL%s: %s\n", col(t, C_FAIL), col(t, C_RESET), w->why);
	else if (st->rc)
		fprintf(f, "%s%s%s, as expected\n", col(t, C_XERR), swmsi_errname(st->rc),
			col(t, C_RESET));
	else
		fprintf(f, "%sok%s%s%s\n", col(t, C_OK), col(t, C_RESET), w->detail[0] ? "  " : "",
			w->detail);
	/* A fire that failed, or was judged, says where the write went. */
	if (st->has_fate && (st->rc || st->failed))
		fprintf(f, "        %s%s%s\n", col(t, st->failed ? C_FAIL : C_XERR), w->fate,
			col(t, C_RESET));
}

/* One of the mock's journal entries, by the HWPT whose domain it is. */
static void print_entry(const struct sink_text *t, const struct sim *s, const struct scn_cmd *c,
			const struct mock_iommu_journal_entry *e)
{
	uint32_t h = sim_dom_hwpt(s, e->domain);
	char pr[8], label[SIM_LABEL_LEN];

	fprintf(t->out, "        %strace #%" PRIu64 " %s %s", col(t, C_DIM), e->seq,
		sim_journal_op_word(e->op),
		sim_journal_label(s, c, e->domain, label, sizeof(label)));
	if (h)
		fprintf(t->out, " (id %" PRIu32 ")", h);
	if (e->op == MOCK_IOMMU_OP_MAP)
		fprintf(t->out,
			" iova 0x%" PRIx64 " paddr 0x%" PRIx64 " size 0x%" PRIx64 " prot %s -> %s",
			e->iova, e->paddr, e->size, sim_fmt_prot(pr, sizeof(pr), e->prot),
			sim_errstr(e->result));
	else if (e->op == MOCK_IOMMU_OP_UNMAP)
		fprintf(t->out, " iova 0x%" PRIx64 " size 0x%" PRIx64 " -> 0x%" PRIx64 " bytes",
			e->iova, e->size, e->bytes);
	else if (e->op == MOCK_IOMMU_OP_DOMAIN_ALLOC)
		fprintf(t->out, " -> %s", sim_errstr(e->result));
	fprintf(t->out, "%s\n", col(t, C_RESET));
}

/* HWPT @id as the trace names it: "s1 (id 3) over p (id 2)"; "blocked" for none. */
static const char *trace_hwpt(const struct sim *s, const struct snapshot *sn, uint32_t id,
			      char *buf, size_t len)
{
	const struct snapshot_hwpt *h = id ? snapshot_hwpt(sn, id) : NULL;
	char a[40], b[40];

	if (!id)
		snprintf(buf, len, "blocked");
	else if (h && h->info.parent_id)
		snprintf(buf, len, "%s (id %" PRIu32 ") over %s (id %" PRIu32 ")",
			 sim_obj_label(s, sn, id, a, sizeof(a)), id,
			 sim_obj_label(s, sn, h->info.parent_id, b, sizeof(b)), h->info.parent_id);
	else
		snprintf(buf, len, "%s (id %" PRIu32 ")", sim_obj_label(s, sn, id, a, sizeof(a)),
			 id);
	return buf;
}

/*
 * The calls the mock does not journal, as events where they happen: the
 * attach, replace or detach itself, then each group's switch from the
 * domain it was on to the one it is on now (the step's group changes).
 */
static void print_events(const struct sink_text *t, const struct sim *s, const struct sim_rec *r)
{
	const struct scn_cmd *c = r->c;
	char a[100], b[100];
	size_t i;

	if (!r->st->rc && (c->op == SCN_ATTACH || c->op == SCN_REPLACE))
		fprintf(t->out, "        %strace %s %s -> %s (id %" PRIu32 ")%s\n", col(t, C_DIM),
			scn_op_word(c->op), s->scn->names[c->a.obj.obj].name,
			s->scn->names[c->a.obj.pt].name, sim_oid(s, c->a.obj.pt), col(t, C_RESET));
	else if (!r->st->rc && (c->op == SCN_DETACH || c->op == SCN_UNBIND))
		fprintf(t->out, "        %strace %s %s%s\n", col(t, C_DIM), scn_op_word(c->op),
			s->scn->names[c->a.obj.obj].name, col(t, C_RESET));
	for (i = 0; i < r->nchanges; i++) {
		const struct sim_change *ch = &r->changes[i];

		if (ch->kind != SIM_CH_GROUP_JOIN && ch->kind != SIM_CH_GROUP_LEAVE &&
		    ch->kind != SIM_CH_GROUP_MOVE)
			continue;
		fprintf(t->out, "        %strace group %" PRIu32 " switches: %s -> %s%s\n",
			col(t, C_DIM), ch->id, trace_hwpt(s, r->before, ch->hwpt, a, sizeof(a)),
			trace_hwpt(s, r->after, ch->to_hwpt, b, sizeof(b)), col(t, C_RESET));
	}
}

/* --trace: the journal's installs, the events, the journal's reclaim. */
static void print_trace(const struct sink_text *t, const struct sim *s, const struct sim_rec *r)
{
	size_t i, move = r->journal_move < r->njournal ? r->journal_move : r->njournal;

	for (i = 0; i < move; i++)
		print_entry(t, s, r->c, &r->journal[i]);
	print_events(t, s, r);
	for (i = move; i < r->njournal; i++)
		print_entry(t, s, r->c, &r->journal[i]);
}

/* Broken invariants: findings on the timeline, violations there and on stderr. */
static void print_violations(const struct sink_text *t, const struct sim *s,
			     const struct scn_cmd *c, const struct sim_violation *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i].finding) {
			if (t->out)
				fprintf(t->out, "        %sfinding [%s]: %s%s\n", col(t, C_XERR),
					v[i].inv, v[i].msg, col(t, C_RESET));
			continue;
		}
		diag(t, "%s:%u:%u: %sinvariant violated%s after '%s': %s\n", s->scn->file,
		     c ? c->line : s->scn->lines, c ? c->col : 1, ecol(t, C_FAIL), ecol(t, C_RESET),
		     c ? c->text : "the last step", v[i].msg);
		if (t->out)
			fprintf(t->out, "        %sinvariant violated: %s%s\n", col(t, C_FAIL),
				v[i].msg, col(t, C_RESET));
	}
}

/* What stopped holding at this step, once, with where it began. */
static void print_resolved(const struct sink_text *t, const struct sim_violation *v, size_t n)
{
	size_t i;

	for (i = 0; t->out && i < n; i++)
		fprintf(t->out, "        %sresolved [%s] (since line %u): %s%s\n", col(t, C_OK),
			v[i].inv, v[i].since, v[i].msg, col(t, C_RESET));
}

/* The vectors whose outcome the step changed. */
static void print_fates(const struct sink_text *t, const struct sim_rec *r)
{
	char line[300];
	size_t i;

	for (i = 0; t->out && i < r->nfates; i++)
		fprintf(t->out, "        %s%s%s\n",
			col(t, r->fates[i].fate == SIM_FATE_DOORBELL ? C_OK : C_XERR),
			sim_fate_rec_text(&r->fates[i], line, sizeof(line)), col(t, C_RESET));
}

static void text_step(void *priv, const struct sim *s, const struct sim_rec *r)
{
	struct sink_text *t = priv;
	const struct scn_cmd *c = r->c;
	struct sim_text w;
	char line[256];
	size_t i;

	if (r->skipped) {
		if (t->out)
			fprintf(t->out, "%5u  %s  skipped (over the size bound)\n", c->line,
				c->text);
		return;
	}
	/* The step's line first, so that its diagnostic follows it on a shared pipe. */
	sim_outcome_text(s, r, &w);
	if (t->out)
		print_step(t, r->st, &w);
	if (r->st->failed)
		diag(t, "%s:%u:%u: %sexpectation failed%s: %s: %s\n", s->scn->file, c->line,
		     c->expect_err ? c->expect_col : c->col, ecol(t, C_FAIL), ecol(t, C_RESET),
		     c->text, w.why);
	for (i = 0; t->out && i < r->nchanges; i++)
		fprintf(t->out, "        %s%s%s\n", col(t, C_DIM),
			sim_change_text(&r->changes[i], line, sizeof(line)), col(t, C_RESET));
	/* a failed call too: under KERNEL a failed replace drops ranges */
	if (!scn_op_is_expect(c->op))
		sim_ranges_step(t->ranges, s, t->out, col(t, C_DIM), col(t, C_RESET));
	if (t->trace && t->out)
		print_trace(t, s, r);
	print_fates(t, r);
	/* what ends here before what starts: a vector lost, then misrouted,
	 * reads as the one resolved and the other found */
	print_resolved(t, r->resolved, r->nresolved);
	print_violations(t, s, c, r->viol, r->nviol);
}

static void text_error(void *priv, const struct sim *s, const struct scn_cmd *c, int err)
{
	struct sink_text *t = priv;
	char why[200];

	if (c)
		diag(t, "%s:%u:%u: cannot create the context: %s (%s)\n", s->scn->file, c->line,
		     c->col, swmsi_errname(err),
		     sim_ctx_cause(&s->scn->opts, s->scheme, err, why, sizeof(why)));
	else
		diag(t, "swmsi-sim: %s\n", err == -ENOMEM ? "out of memory" : swmsi_errname(err));
}

static void text_end(void *priv, const struct sim *s, const struct sim_end *e)
{
	struct sink_text *t = priv;
	const struct sim_result *r = e->res;
	FILE *f = t->out;

	/* FAIL only for a failed step: a run whose steps all passed but
	 * whose output could not be written (exit 2) passed, and says so. */
	bool failed = e->status == SIM_FAILED || r->failed_expects || r->failed_invariants;
	int status = e->status;

	if (status == SIM_OK && t->outputs_failed && *t->outputs_failed)
		status = SIM_USAGE;

	sim_ranges_seen_free(t->ranges);
	t->ranges = NULL;
	print_violations(t, s, NULL, e->teardown, e->nteardown);
	if (!f)
		return;
	fprintf(f, "%s%s%s: %zu step%s, %zu failed expectation%s, %zu invariant violation%s",
		col(t, failed ? C_FAIL : C_OK), failed ? "FAIL" : "PASS", col(t, C_RESET), r->steps,
		r->steps == 1 ? "" : "s", r->failed_expects, r->failed_expects == 1 ? "" : "s",
		r->failed_invariants, r->failed_invariants == 1 ? "" : "s");
	if (r->skipped)
		fprintf(f, ", %zu skipped", r->skipped);
	if (r->findings)
		fprintf(f, ", %zu finding%s under scheme %s", r->findings,
			r->findings == 1 ? "" : "s", swmsi_scheme_name(s->scheme));
	if (!failed && status != SIM_OK)
		fprintf(f, "; exit %d: see the error above", status);
	fputc('\n', f);
}

const struct sim_sink_ops sink_text_ops = {
	.begin = text_begin,
	.step = text_step,
	.end = text_end,
	.error = text_error,
};
