/* SPDX-License-Identifier: MIT */
/*
 * The step engine: plays a parsed scenario against libswmsi and the mock
 * IOMMU, one command a step. For each step it snapshots what is
 * observable, runs the command through the command table, judges its
 * answer, checks that a failed call changed nothing and that the
 * invariants hold, records what happened (struct sim_rec, engine.h) and hands the record
 * to the sinks. It prints nothing: with no sink it runs silently (the
 * fuzzer, --random's checks, the explorer).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "commands.h"
#include "check.h"

/* Every sink's @hook, with the arguments that follow. */
#define EACH_SINK(e, hook, ...)                                                             \
	do {                                                                                \
		size_t k_;                                                                  \
		for (k_ = 0; k_ < (e)->nsinks; k_++)                                        \
			if ((e)->sinks[k_].ops->hook)                                       \
				(e)->sinks[k_].ops->hook((e)->sinks[k_].priv, __VA_ARGS__); \
	} while (0)

int sim_engine_ensure_ctx(struct sim *s)
{
	struct mock_iommu_opts mo = { s->scn->opts.page_shift, MOCK_IOMMU_JOURNAL_DEFAULT_CAP };
	struct swmsi_ctx_opts o;
	int rc;

	if (s->ctx)
		return 0;
	if (s->o.journal_cap)
		mo.journal_cap = s->o.journal_cap;
	/* a session's reset hands its mock over, reset (sim_session_reset()) */
	rc = s->mock ? 0 : mock_iommu_create_opts(&mo, &s->mock);
	if (rc)
		return rc;
	memset(&o, 0, sizeof(o));
	o.page_shift = s->scn->opts.page_shift;
	o.max_msi_maps = s->scn->opts.max_msi_maps;
	o.reclaim = s->scn->opts.reclaim_unused ? SWMSI_RECLAIM_UNUSED : SWMSI_RECLAIM_NONE;
	o.scheme = s->scheme;
	o.iommu = mock_iommu_ops();
	o.iommu_priv = s->mock;
	rc = swmsi_ctx_create(&o, &s->ctx);
	if (rc) {
		mock_iommu_destroy(s->mock);
		s->mock = NULL;
	}
	return rc;
}

/* The step's journal, copied out of the mock's ring once. */
static void read_journal(struct engine *e)
{
	size_t i, n = mock_iommu_journal_len(e->s.mock);

	e->njournal = 0;
	if (sim_grow((void **)&e->journal, &e->cap_journal, n, sizeof(*e->journal), 64)) {
		e->s.oom = true;
		return;
	}
	for (i = 0; i < n; i++)
		if (!mock_iommu_journal_get(e->s.mock, i, &e->journal[e->njournal]))
			e->njournal++;
}

/* Count the step's broken invariants into @r and the run's result. */
static void count_violations(struct sim *s, struct sim_rec *r)
{
	size_t i;

	for (i = 0; i < s->nviols; i++) {
		if (s->viols[i].finding) {
			r->findings++;
			s->res->findings++;
		} else {
			r->violations++;
			s->res->failed_invariants++;
		}
	}
	r->viol = s->viols;
	r->nviol = s->nviols;
}

/*
 * Whether a step's partial snapshots hold the context's counters, which
 * cost what the context holds: for a call that expects an error, whose
 * failure must leave them as they were (another call that fails has
 * failed its line already, and its objects are compared all the same).
 */
static bool counters(const struct scn_cmd *c)
{
	return c->expect_err != 0;
}

/* Does step @c snapshot and check everything (--full-check, or a command
 * that can change what it does not name)? */
static bool whole(const struct sim *s, const struct scn_cmd *c)
{
	return s->full || cmd_of(c->op)->whole;
}

/*
 * The state before the step: what its command touches, or everything
 * (--full-check, --compare's vectors of the whole state).
 */
static void take_before(struct sim *s, const struct scn_cmd *c, struct snapshot *before)
{
	/* an msi's page: the entry it may reuse is there before */
	uint64_t page = c->op == SCN_MSI ? c->a.vec.addr : 0;
	const struct snapshot_scope sc = { .pages = &page,
					   .npages = c->op == SCN_MSI,
					   .hint = s->table_hint };
	int rc;

	sim_touch_begin(s, false);
	if (whole(s, c)) {
		rc = sim_snap_take(s, before);
	} else {
		sim_touch_command(s, c);
		rc = sim_snap_take_ids(s, s->touched.ids, s->touched.n, counters(c), &sc, before);
	}
	if (rc)
		s->oom = true;
	s->table_hint = before->table_size;
	sim_touch_learn(s, before);
	sim_remember_domains(s, before);
}

/* The map ids of @sn's entries, into a new array (NULL: none, or no memory). */
static uint32_t *map_ids(const struct snapshot *sn)
{
	uint32_t *ids = calloc(sn->nmaps ? sn->nmaps : 1, sizeof(*ids));
	size_t i;

	for (i = 0; ids && i < sn->nmaps; i++)
		ids[i] = sn->maps[i].id;
	return ids;
}

/*
 * The touched objects after the step, scoped to the table entries and
 * doorbell pages the snapshot before held (so that a freed entry shows and
 * a new one is told from one it could not see) and to the IOVAs the step's
 * journal names (what it mapped or unmapped, wherever that was).
 */
static int take_after_scoped(struct engine *e, const struct scn_cmd *c,
			     const struct snapshot *before, struct snapshot *after)
{
	struct sim *s = &e->s;
	struct snapshot_scope sc = { .map_ids = map_ids(before),
				     .nmap_ids = before->nmaps,
				     .pages = before->pages,
				     .npages = before->npages,
				     .hint = s->table_hint };
	struct snapshot_iova *iv = calloc(e->njournal ? e->njournal : 1, sizeof(*iv));
	size_t i;
	int rc = -ENOMEM;

	if (sc.map_ids && iv) {
		for (i = 0; i < e->njournal; i++)
			if (e->journal[i].op == MOCK_IOMMU_OP_MAP ||
			    e->journal[i].op == MOCK_IOMMU_OP_UNMAP)
				iv[sc.niovas++] = (struct snapshot_iova){ e->journal[i].iova,
									  e->journal[i].size };
		sc.iovas = iv;
		rc = sim_snap_take_ids(s, s->touched.ids, s->touched.n, counters(c), &sc, after);
	}
	free((void *)sc.map_ids);
	free(iv);
	return rc;
}

/*
 * The state after the step: what it touched before, what its command
 * reaches now, the HWPTs of the domains its journal names. When the
 * journal's ring lost entries of the step, everything, and the sums
 * recounted (returns true when that makes it whole and the before partial).
 */
static bool take_after(struct engine *e, const struct scn_cmd *c, const struct snapshot *before,
		       struct snapshot *after)
{
	struct sim *s = &e->s;
	bool all = whole(s, c) || mock_iommu_journal_evicted(s->mock) != e->evicted;
	int rc;

	if (all) {
		rc = sim_snap_take(s, after);
	} else {
		sim_touch_begin(s, true);
		sim_touch_command(s, c);
		sim_touch_journal(s, e->journal, e->njournal);
		rc = take_after_scoped(e, c, before, after);
	}
	if (rc)
		s->oom = true;
	s->table_hint = after->table_size;
	sim_touch_learn(s, after);
	sim_remember_domains(s, after);
	if (all) {
		sim_agg_rebuild(s, after);
	} else {
		sim_agg_apply(s, before, -1);
		sim_agg_apply(s, after, 1);
	}
	return all && before->partial;
}

/* Do @a and @b hold the same objects? */
static bool same_objects(const struct snapshot *a, const struct snapshot *b)
{
	size_t i;

	if (a->nobjs != b->nobjs)
		return false;
	for (i = 0; i < a->nobjs; i++)
		if (a->objs[i].id != b->objs[i].id)
			return false;
	return true;
}

/* A failed call changes nothing observable (API.md, Conventions): @a
 * against @b, the same objects taken the same way after it. */
static void compare_failed(struct sim *s, const struct sim_step *st, const struct snapshot *a,
			   const struct snapshot *b)
{
	const char *diff;
	char dbuf[160];

	diff = sim_snap_diff(a, b, dbuf, sizeof(dbuf));
	if (diff)
		sim_violation(s, "failed-call-changes-nothing",
			      "the call failed with %s but changed state: %s",
			      swmsi_errname(st->rc), diff);
}

/* The vectors whose outcome the step changed, into @r. */
static void fates(struct engine *e, const struct snapshot *before, const struct snapshot *after,
		  bool both, struct sim_rec *r)
{
	long n = both ? sim_fate_changes(&e->s, before, after, &e->fates, &e->cap_fates) : 0;

	if (n < 0) {
		e->s.oom = true;
		n = 0;
	}
	r->fates = e->fates;
	r->nfates = (size_t)n;
}

/*
 * A failed call changes nothing observable. When the after snapshot reaches
 * further than the one before (the journal named another domain or other
 * IOVAs, or overflowed), the objects before are taken again, scoped as
 * before was: a new object the failure left behind shows in the counters.
 */
static void check_failed_call(struct sim *s, const struct sim_step *st, const struct snapshot *a,
			      const struct snapshot *b, bool b_whole)
{
	struct snapshot_scope sc = { .pages = a->pages,
				     .npages = a->npages,
				     .hint = s->table_hint };
	struct snapshot again;
	uint32_t *ids;
	size_t i;

	if (!st->rc || !a->valid || !b->valid)
		return;
	if (!a->partial || (!a->scoped && !b_whole && same_objects(a, b))) {
		compare_failed(s, st, a, b);
		return;
	}
	ids = calloc(a->nobjs ? a->nobjs : 1, sizeof(*ids));
	sc.map_ids = map_ids(a);
	sc.nmap_ids = a->nmaps;
	for (i = 0; ids && i < a->nobjs; i++)
		ids[i] = a->objs[i].id;
	if (!ids || !sc.map_ids ||
	    sim_snap_take_ids(s, ids, a->nobjs, counters(st->c), a->scoped ? &sc : NULL, &again))
		s->oom = true;
	else
		compare_failed(s, st, a, &again);
	free(ids);
	free((void *)sc.map_ids);
	snapshot_free(&again);
}

/* After the call: its details, changes and checks, into @r. */
static void after_call(struct engine *e, struct sim_step *st, const struct snapshot *before,
		       struct snapshot *after, struct sim_rec *r)
{
	struct sim *s = &e->s;
	bool both, retaken;

	read_journal(e);
	retaken = take_after(e, st->c, before, after);
	both = before->valid && after->valid;
	s->res->steps++;
	if (st->failed)
		s->res->failed_expects++;
	e->changes.c = st->c;
	sim_changes_build(s, e->journal, e->njournal, before, after, both, &e->changes);
	if (e->changes.oom)
		s->oom = true;
	check_failed_call(s, st, before, after, retaken);
	sim_check_invariants(s, after);
	sim_findings_settle(s, st->c->line, before, after, e->changes.v, e->changes.n, both);
	r->resolved = sim_findings_resolved(s, &r->nresolved);
	r->changes = e->changes.v;
	r->nchanges = e->changes.n;
	r->journal = e->journal;
	r->njournal = e->njournal;
	r->journal_move = sim_journal_move_point(e->journal, e->njournal);
	r->before = before;
	r->after = after;
	fates(e, before, after, both, r);
	count_violations(s, r);
}

/* One step. Returns false when the run must stop. */
static bool step(struct engine *e, size_t i, size_t total)
{
	struct sim *s = &e->s;
	const struct scn_cmd *c = &s->scn->cmds[i];
	struct snapshot before, after;
	struct sim_step st;
	struct sim_rec r;

	memset(&st, 0, sizeof(st));
	memset(&r, 0, sizeof(r));
	memset(&after, 0, sizeof(after));
	st.c = r.c = s->cur = c;
	st.sn = &before;
	r.st = &st;
	r.index = i;
	r.done = i + 1;
	r.total = total;
	s->nviols = 0;
	if (sim_findings_begin(s))
		s->oom = true;
	take_before(s, c, &before);
	mock_iommu_journal_clear(s->mock);
	e->evicted = mock_iommu_journal_evicted(s->mock);
	r.skipped = sim_step_run(s, &st);
	if (r.skipped) {
		s->res->skipped++;
	} else {
		if (!scn_op_is_expect(c->op))
			sim_judge_call(s, &st);
		after_call(e, &st, &before, &after, &r);
	}
	EACH_SINK(e, step, s, &r);
	snapshot_free(&before);
	snapshot_free(&after);
	return r.skipped || s->o.keep_going || (!st.failed && !r.violations);
}

/* Destroying the context must leave the IOMMU as it found it. */
static void teardown(struct sim *s)
{
	swmsi_ctx_destroy(s->ctx);
	s->ctx = NULL;
	if (mock_iommu_domain_count(s->mock) || mock_iommu_mapped_pages(s->mock, NULL))
		sim_violation(s, "teardown-empty",
			      "destroying the context left %zu domains and %" PRIu64
			      " mapped pages in the IOMMU",
			      mock_iommu_domain_count(s->mock),
			      mock_iommu_mapped_pages(s->mock, NULL));
	if (mock_iommu_misuse_count(s->mock) > s->misuse_seen)
		sim_violation(s, "mock-misuse",
			      "the core misused the mock IOMMU while destroying the context");
}

/*
 * The steps. Returns SIM_OK, or SIM_USAGE when the context cannot be made:
 * nothing ran, so no expectation failed; the run's setup did (the cause is
 * said by the sinks, and --compare reads it from res->ctx_err).
 */
static int run_steps(struct engine *e)
{
	struct sim *s = &e->s;
	size_t i, total = s->scn->ncmds;
	int rc;

	if (s->o.max_steps && total > s->o.max_steps)
		total = s->o.max_steps;
	for (i = 0; i < total; i++) {
		rc = sim_engine_ensure_ctx(s);
		if (rc) {
			s->res->ctx_err = rc;
			EACH_SINK(e, error, s, &s->scn->cmds[i], rc);
			return SIM_USAGE;
		}
		if (!step(e, i, total))
			break;
	}
	return SIM_OK;
}

/*
 * Steps check what they touched; the final state is checked whole, its
 * sums recounted. What holds since a step reported it is not said again
 * (nor is anything said resolved: no step ran).
 */
static void final_check(struct engine *e, const struct snapshot *fin)
{
	struct sim *s = &e->s;

	s->nviols = 0;
	s->cur = NULL;
	if (s->full || !fin->valid)
		return;
	if (sim_findings_begin(s))
		s->oom = true;
	sim_agg_rebuild(s, fin);
	sim_check_invariants(s, fin);
	sim_findings_settle(s, 0, NULL, NULL, NULL, 0, false);
}

/* The final state to the sinks, teardown, the status. */
static int finish(struct engine *e, int status)
{
	struct sim *s = &e->s;
	struct sim_end end;
	struct snapshot fin;
	size_t k;

	memset(&end, 0, sizeof(end));
	s->cur = NULL;
	if (sim_snap_take(s, &fin))
		s->oom = true;
	for (k = 0; k < e->nsinks; k++)
		if (e->sinks[k].ops->final && e->sinks[k].ops->final(e->sinks[k].priv, s, &fin))
			status = SIM_USAGE;
	end.fin = &fin;
	end.had_ctx = s->ctx != NULL;
	if (s->ctx) {
		struct sim_rec r;

		memset(&r, 0, sizeof(r));
		final_check(e, &fin);
		teardown(s);
		count_violations(s, &r);
		end.teardown = r.viol;
		end.nteardown = r.nviol;
	}
	if (s->oom) {
		EACH_SINK(e, error, s, NULL, -ENOMEM);
		status = SIM_USAGE;
	}
	if (status == SIM_OK && (s->res->failed_expects || s->res->failed_invariants))
		status = SIM_FAILED;
	end.res = s->res;
	end.status = status;
	EACH_SINK(e, end, s, &end);
	snapshot_free(&fin);
	return status;
}

int sim_engine_init(struct engine *e, const struct scn *scn, const struct sim_opts *opts,
		    struct sim_result *res)
{
	struct sim *s = &e->s;

	s->scn = scn;
	s->o = *opts;
	s->res = res;
	s->page_size = 1ull << scn->opts.page_shift;
	s->window_override = SWMSI_PHYS_NONE;
	s->scheme = opts->has_scheme ? opts->scheme : scn->opts.scheme;
	s->strict = opts->strict || scn->opts.strict;
	/* --compare's record of each step names the whole state's lost vectors. */
	s->full = opts->full_check || opts->on_step;
	/* a session's reset hands these over, emptied (session_keep()) */
	if (!s->objs)
		s->objs = calloc(scn->nnames ? scn->nnames : 1, sizeof(*s->objs));
	if (!s->vecs)
		s->vecs = calloc(scn->nvecs ? scn->nvecs : 1, sizeof(*s->vecs));
	if (!s->objs || !s->vecs || (!s->dev_vecs && sim_names_init(s)))
		return -ENOMEM;
	return 0;
}

void sim_engine_fini(struct engine *e)
{
	struct sim *s = &e->s;

	swmsi_ctx_destroy(s->ctx);
	mock_iommu_destroy(s->mock);
	sim_areas_free(s); /* after the context: its areas point into this memory */
	sim_names_free(s);
	free(s->objs);
	free(s->vecs);
	free(s->s1);
	free(s->windows);
	free(s->dom_label);
	free(s->viols);
	sim_touch_free(s);
	sim_agg_free(s);
	free(e->changes.v);
	free(e->journal);
	free(e->fates);
	sim_findings_free(s);
}

int sim_engine_run(const struct scn *scn, const struct sim_opts *opts, const struct sim_sink *sinks,
		   size_t nsinks, struct sim_result *res)
{
	struct engine e;
	int status = SIM_USAGE;

	memset(res, 0, sizeof(*res));
	memset(&e, 0, sizeof(e));
	e.sinks = sinks;
	e.nsinks = nsinks;
	if (!sim_engine_init(&e, scn, opts, res)) {
		EACH_SINK(&e, begin, &e.s);
		status = finish(&e, run_steps(&e));
	}
	sim_engine_fini(&e);
	return status;
}
