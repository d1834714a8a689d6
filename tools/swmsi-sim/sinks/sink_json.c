/* SPDX-License-Identifier: MIT */
/*
 * The JSON sink: the run's header and options, each step (command, claim,
 * result, changes, the mock's journal, violations and findings), the final
 * state, what teardown broke, the summary.
 */
#include <inttypes.h>
#include <string.h>

#include "sinks.h"

static void json_begin(void *priv, const struct sim *s)
{
	struct sim_json *j = &((struct sink_json *)priv)->j;
	const struct scn *scn = s->scn;

	sj_obj_begin(j);
	sj_kstr(j, "tool", "swmsi-sim");
	sj_kstr(j, "version", swmsi_version());
	sj_kstr(j, "file", scn->file);
	sj_kstr(j, "scheme", swmsi_scheme_name(s->scheme));
	sj_kbool(j, "strict", s->strict);
	sj_key(j, "options");
	sj_obj_begin(j);
	sj_ku64(j, "page_shift", scn->opts.page_shift);
	sj_ku64(j, "max_msi_maps", scn_max_msi_maps(&scn->opts));
	sj_kstr(j, "reclaim", scn->opts.reclaim_unused ? "unused" : "none");
	sj_obj_end(j);
	sj_key(j, "steps");
	sj_arr_begin(j);
}

/* An error name or "ok"; for expect and fire, the claim and the outcome in words. */
static void json_outcome(struct sim_json *j, const struct sim_step *st, const struct sim_text *w,
			 bool skipped)
{
	const struct scn_cmd *c = st->c;

	sj_key(j, "expect");
	if (w->want[0])
		sj_str(j, w->want);
	else
		sj_str(j, c->expect_err ? swmsi_errname(c->expect_err) : "ok");
	sj_key(j, "result");
	if (skipped)
		sj_str(j, "skipped");
	else
		sj_str(j, w->got[0] ? w->got : sim_errstr(st->rc));
	sj_kstr(j, "status", st->failed ? "fail" : skipped ? "skipped" : "pass");
	if (st->failed) {
		sj_kstr(j, "message", w->why);
	}
}

/* An msi's answer as data: translated, and by which table entry or cookie. */
static void json_msi(struct sim_json *j, const struct sim *s, const struct sim_rec *r)
{
	struct sim_rec_facts f;

	memset(&f, 0, sizeof(f));
	sim_msi_facts(s, r, &f);
	sj_kbool(j, "translated", f.translated);
	if (f.has_map) {
		sj_ku64(j, "map_id", f.map_id);
		sj_ku64(j, "slot", f.slot);
	}
	if (f.cookie[0])
		sj_kstr(j, "cookie", f.cookie);
}

static void json_step_head(struct sim_json *j, const struct sim *s, const struct sim_rec *r,
			   const struct sim_text *w)
{
	const struct sim_step *st = r->st;
	const struct scn_cmd *c = st->c;
	bool skipped = r->skipped;

	sj_obj_begin(j);
	sj_ku64(j, "line", c->line);
	sj_ku64(j, "col", c->col);
	sj_kstr(j, "command", c->text);
	sj_kstr(j, "op", scn_op_word(c->op));
	if (c->heading) {
		sj_kstr(j, "heading", c->heading);
	}
	json_outcome(j, st, w, skipped);
	if (st->id)
		sj_ku64(j, "id", st->id);
	if (st->has_value) {
		sj_key(j, c->op == SCN_MSI ? "msg_addr" : "landed");
		sj_hex(j, st->value);
	}
	if (c->op == SCN_MSI && st->has_value && !st->rc && !skipped)
		json_msi(j, s, r);
	if (w->detail[0]) {
		sj_kstr(j, "detail", w->detail);
	}
	if (st->has_fate) {
		sj_kstr(j, "write", sim_fate_word(st->fate));
		if (st->fate != SIM_FATE_LOST) {
			sj_khex(j, "write_to", st->value);
		}
	}
}

static void json_entry(struct sim_json *j, const struct mock_iommu_journal_entry *e)
{
	char pr[8];

	sj_obj_begin(j);
	sj_ku64(j, "seq", e->seq);
	sj_kstr(j, "op", sim_journal_op_word(e->op));
	sj_ku64(j, "domain", e->domain);
	if (e->op == MOCK_IOMMU_OP_MAP || e->op == MOCK_IOMMU_OP_UNMAP) {
		sj_khex(j, "iova", e->iova);
		sj_khex(j, "size", e->size);
	}
	if (e->op == MOCK_IOMMU_OP_MAP) {
		sj_khex(j, "paddr", e->paddr);
		sj_kstr(j, "prot", sim_fmt_prot(pr, sizeof(pr), e->prot));
	}
	if (e->op == MOCK_IOMMU_OP_UNMAP) {
		sj_khex(j, "bytes", e->bytes);
	}
	if (e->op == MOCK_IOMMU_OP_MAP || e->op == MOCK_IOMMU_OP_DOMAIN_ALLOC) {
		sj_kstr(j, "result", sim_errstr(e->result));
	}
	sj_obj_end(j);
}

/* The violations as messages under @vkey, the findings as objects under @fkey. */
static void json_violations(struct sim_json *j, const struct sim_violation *v, size_t n,
			    const char *vkey, const char *fkey)
{
	size_t i;

	sj_key(j, vkey);
	sj_arr_begin(j);
	for (i = 0; i < n; i++)
		if (!v[i].finding)
			sj_str(j, v[i].msg);
	sj_arr_end(j);
	sj_key(j, fkey);
	sj_arr_begin(j);
	for (i = 0; i < n; i++) {
		if (!v[i].finding)
			continue;
		sj_obj_begin(j);
		sj_kstr(j, "invariant", v[i].inv);
		sj_kstr(j, "message", v[i].msg);
		sj_obj_end(j);
	}
	sj_arr_end(j);
}

/* What stopped holding at this step, with the line where it began. */
static void json_resolved(struct sim_json *j, const struct sim_rec *r)
{
	size_t i;

	sj_key(j, "resolved");
	sj_arr_begin(j);
	for (i = 0; i < r->nresolved; i++) {
		sj_obj_begin(j);
		sj_kstr(j, "invariant", r->resolved[i].inv);
		sj_kstr(j, "message", r->resolved[i].msg);
		sj_ku64(j, "since", r->resolved[i].since);
		sj_kbool(j, "finding", r->resolved[i].finding);
		sj_obj_end(j);
	}
	sj_arr_end(j);
}

/* The vectors whose outcome the step changed (struct sim_fate_rec), as records. */
static void json_fates(struct sim_json *j, const struct sim_rec *r)
{
	size_t i;

	sj_key(j, "fates");
	sj_arr_begin(j);
	for (i = 0; i < r->nfates; i++) {
		const struct sim_fate_rec *f = &r->fates[i];

		sj_obj_begin(j);
		sj_kstr(j, "device", f->device);
		sj_kstr(j, "vector", f->vector);
		sj_kstr(j, "fate", sim_fate_word((enum sim_fate)f->fate));
		sj_key(j, "was");
		if (f->was < 0)
			sj_null(j);
		else
			sj_str(j, sim_fate_word((enum sim_fate)f->was));
		sj_khex(j, "msg_addr", f->msg_addr);
		sj_key(j, "landed");
		if (f->has_landed)
			sj_hex(j, f->landed);
		else
			sj_null(j);
		sj_key(j, "errno");
		if (f->rc)
			sj_str(j, swmsi_errname(f->rc));
		else
			sj_null(j);
		sj_kstr(j, "reason", f->reason);
		sj_obj_end(j);
	}
	sj_arr_end(j);
}

static void json_journal(struct sim_json *j, const struct sim_rec *r)
{
	size_t i;

	sj_key(j, "journal");
	sj_arr_begin(j);
	for (i = 0; i < r->njournal; i++)
		json_entry(j, &r->journal[i]);
	sj_arr_end(j);
}

/* A step: its head, then one key a call below, each a list of records. */
static void json_step(void *priv, const struct sim *s, const struct sim_rec *r)
{
	struct sim_json *j = &((struct sink_json *)priv)->j;
	struct sim_text w;

	sim_scene_step(&((struct sink_json *)priv)->scene, s, r);
	sim_outcome_text(s, r, &w);
	json_step_head(j, s, r, &w);
	if (r->skipped) {
		json_fates(j, r); /* every step has fates: none here */
		sj_obj_end(j);
		return;
	}
	sim_json_changes(j, r->changes, r->nchanges);
	json_journal(j, r);
	json_violations(j, r->viol, r->nviol, "violations", "findings");
	json_resolved(j, r);
	json_fates(j, r);
	sj_obj_end(j);
}

static void json_summary(struct sim_json *j, const struct sim_end *e)
{
	const struct sim_result *r = e->res;

	sj_key(j, "summary");
	sj_obj_begin(j);
	sj_ku64(j, "steps", r->steps);
	sj_ku64(j, "failed_expectations", r->failed_expects);
	sj_ku64(j, "invariant_violations", r->failed_invariants);
	sj_ku64(j, "skipped", r->skipped);
	sj_ku64(j, "findings", r->findings);
	sj_ku64(j, "exit", (uint64_t)e->status);
	sj_obj_end(j);
}

/*
 * The steps end and the final state follows while the context lives: the
 * groups' required ids are asked of it (scene.c). Returns 0, or -1
 * when they could not be (the run's status is then 2).
 */
static int json_final(void *priv, const struct sim *s, const struct snapshot *fin)
{
	struct sink_json *js = priv;
	int rc = sim_scene_final(&js->scene, s, fin);

	sj_arr_end(&js->j);
	sj_key(&js->j, "final");
	sim_json_state(s, &js->j, fin, &js->scene);
	js->final_done = true;
	return rc;
}

static void json_end(void *priv, const struct sim *s, const struct sim_end *e)
{
	struct sink_json *js = priv;
	struct sim_json *j = &js->j;

	/* Not reached through the engine, which always calls final first; the
	 * context may be gone here, so the groups are not asked of it. */
	if (!js->final_done) {
		sj_arr_end(j);
		sj_key(j, "final");
		sim_json_state(s, j, e->fin, &js->scene);
	}
	sim_scene_free(&js->scene);
	if (e->had_ctx)
		json_violations(j, e->teardown, e->nteardown, "teardown_violations",
				"teardown_findings");
	json_summary(j, e);
	sj_obj_end(j);
	fputc('\n', j->f);
}

const struct sim_sink_ops sink_json_ops = {
	.begin = json_begin,
	.step = json_step,
	.final = json_final,
	.end = json_end,
};
