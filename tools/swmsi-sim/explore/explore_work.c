/* SPDX-License-Identifier: MIT */
/*
 * A worker of the explorer: it reaches a state by replaying, in a fresh
 * context and mock, the file's commands and the path that leads there
 * (bare: no snapshot, no check, each step was checked when first found),
 * then runs one step checked: the whole state snapshotted, every invariant
 * checked under strict, a failed step compared with its parent (the same
 * fingerprint, or it changed something), the fingerprint taken. The
 * library has no way to copy a context, and a step costs microseconds, so
 * replaying is what reaching a state costs (docs/performance.md).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "engine.h"
#include "explore.h"

struct runner {
	const struct xuniverse *u;
	struct sim_session *ss;
	struct scn_cmd cmd;	 /* the step being run */
	struct xarena arena;	 /* the snapshots' lists */
	const struct xset *seen; /* states known before the level, or NULL */
	struct xset local;	 /* states this runner emitted in the level */
};

static void runner_close(struct runner *r)
{
	sim_session_close(r->ss);
	xarena_free(&r->arena);
	xset_free(&r->local);
}

static int runner_open(struct runner *r, const struct xuniverse *u)
{
	struct sim_opts o;

	memset(&o, 0, sizeof(o));
	o.has_scheme = true;
	o.scheme = u->scheme;
	o.strict = true;
	o.full_check = true;
	r->u = u;
	return sim_session_open(u->scn, &o, &r->ss);
}

/* Run @c with no snapshot and no check. Returns the library's answer. */
static int bare(struct sim *s, const struct scn_cmd *c)
{
	struct sim_step st;

	memset(&st, 0, sizeof(st));
	st.c = c;
	s->cur = c;
	sim_step_run(s, &st);
	return st.rc;
}

/* Did the step's armed map fault fire (a map answered -ENOMEM)? */
static bool fault_fired(struct mock_iommu *mock)
{
	struct mock_iommu_journal_entry e;
	size_t i, n = mock_iommu_journal_len(mock);

	for (i = 0; i < n; i++)
		if (!mock_iommu_journal_get(mock, i, &e) && e.op == MOCK_IOMMU_OP_MAP &&
		    e.result == -ENOMEM)
			return true;
	return false;
}

/*
 * Step @x, its fault armed first. *@fired says whether it is a step of its
 * own: a fault variant whose map fault did not fire (the step made no map
 * call) is the plain step again, and its fault is disarmed.
 */
static int run_step(struct runner *r, const struct xstep *x, bool *fired)
{
	struct sim *s = sim_session_sim(r->ss);
	int rc;

	xu_cmd(r->u, x, &r->cmd);
	*fired = true;
	if (!x->fault)
		return bare(s, &r->cmd);
	mock_iommu_journal_clear(s->mock);
	mock_iommu_fail_map(s->mock, 1, -ENOMEM);
	rc = bare(s, &r->cmd);
	*fired = fault_fired(s->mock);
	mock_iommu_fail_map(s->mock, 0, 0);
	return rc;
}

/* A fresh context, the file's commands (its expectations left out: its
 * own run checked them), then the @n steps of @path. */
static int replay(struct runner *r, const struct xstep *path, size_t n)
{
	const struct xuniverse *u = r->u;
	struct sim *s;
	bool fired;
	size_t i;
	int rc;

	rc = sim_session_reset(r->ss);
	if (rc)
		return rc;
	s = sim_session_sim(r->ss);
	for (i = 0; i < u->nsetup; i++)
		if (!scn_op_is_expect(u->scn->cmds[i].op))
			bare(s, &u->scn->cmds[i]);
	for (i = 0; i < n; i++)
		run_step(r, &path[i], &fired);
	return s->oom ? -ENOMEM : 0;
}

/* Was a state of fingerprint @f checked already (and found sound)? */
static bool known(const struct runner *r, struct xfp f)
{
	return (r->seen && xset_has(r->seen, f)) || xset_has(&r->local, f);
}

/*
 * The whole state now: its fingerprint in @t, its invariants checked.
 * The invariants see only what the fingerprint covers (a state is what
 * they observe), so a state checked already is not checked again, unless
 * the mock saw a misuse, which no snapshot shows. Returns 0 or -ENOMEM.
 */
static int check_state(struct runner *r, struct xtrans *t)
{
	struct sim *s = sim_session_sim(r->ss);
	struct snapshot sn;

	s->nviols = 0;
	if (xsnap_take(&r->arena, s, &sn) || !sn.valid)
		return -ENOMEM;
	t->node.fp = xfp_of(s, &sn);
	if (known(r, t->node.fp) && mock_iommu_misuse_count(s->mock) == s->misuse_seen)
		return s->oom ? -ENOMEM : 0;
	sim_agg_rebuild(s, &sn);
	sim_check_invariants(s, &sn);
	if (s->nviols) {
		/* Domain labels only name domains in messages: learnt when one is due. */
		s->nviols = 0;
		s->misuse_seen = 0;
		sim_remember_domains(s, &sn);
		sim_check_invariants(s, &sn);
	}
	if (s->oom)
		return -ENOMEM;
	if (s->nviols) {
		t->violation = true;
		snprintf(t->inv, sizeof(t->inv), "%s", s->viols[0].inv);
		snprintf(t->msg, sizeof(t->msg), "%s", s->viols[0].msg);
	}
	return 0;
}

/*
 * Step @x from the state replayed, checked, into @t. Returns 1, 0 when it
 * is no step of its own (a fault that did not fire), or a negative errno.
 */
static int checked(struct runner *r, const struct xstep *x, struct xfp parent, struct xtrans *t)
{
	bool fired;
	int rc;

	memset(t, 0, sizeof(*t));
	rc = run_step(r, x, &fired);
	if (!fired)
		return 0;
	t->node.step = *x;
	t->node.err = (int16_t)rc;
	if (check_state(r, t))
		return -ENOMEM;
	if (!t->violation && rc && (t->node.fp.a != parent.a || t->node.fp.b != parent.b)) {
		t->violation = true;
		snprintf(t->inv, sizeof(t->inv), "failed-call-changes-nothing");
		snprintf(t->msg, sizeof(t->msg), "the call failed with %s but changed state",
			 swmsi_errname(rc));
	}
	return 1;
}

/* A new state for the merge, unless known already. Returns 0 or -ENOMEM. */
static int emit(struct xwork *w, struct runner *r, const struct xtrans *t)
{
	int rc;

	if (xset_has(w->seen, t->node.fp))
		return 0;
	rc = xset_add(&r->local, t->node.fp);
	if (rc <= 0)
		return rc;
	if (sim_grow((void **)&w->out, &w->cap_out, w->nout + 1, sizeof(*w->out), 256))
		return -ENOMEM;
	w->out[w->nout++] = t->node;
	return 0;
}

/* Every step from parent @p (reached by @path, fingerprint @pfp). */
static int expand(struct xwork *w, struct runner *r, uint32_t p, const struct xstep *path,
		  struct xfp pfp, struct xstep *letters)
{
	struct xtrans t;
	bool at_parent;
	size_t i, n;
	int rc;

	rc = replay(r, path, w->level);
	if (rc)
		return rc;
	n = xu_letters(w->u, sim_session_sim(r->ss), path, w->level, letters);
	for (i = 0, at_parent = true; i < n; i++) {
		if (!at_parent && (rc = replay(r, path, w->level)))
			return rc;
		rc = checked(r, &letters[i], pfp, &t);
		/*
		 * A step that failed and left the parent's fingerprint left the
		 * parent's state: the next step runs from it without a replay.
		 */
		at_parent = rc > 0 && t.node.err && !t.violation;
		if (rc <= 0) {
			if (rc)
				return rc;
			continue;
		}
		w->transitions++;
		explore_tick(w->prog, w->id);
		t.node.parent = p;
		if (t.violation) {
			w->viol = t;
			w->stopped = true;
			return 0;
		}
		rc = emit(w, r, &t);
		if (rc)
			return rc;
	}
	return 0;
}

void xlevels_path(const struct xlevels *lv, size_t level, size_t idx, struct xnode *path)
{
	while (level > 0) {
		path[level - 1] = lv->nodes[level][idx];
		idx = lv->nodes[level][idx].parent;
		level--;
	}
}

/* A worker thread's own: its session, the states it emitted, buffers. */
struct xworker {
	struct runner r;
	struct xnode *nodes;
	struct xstep *path, *letters;
	size_t level;
};

int xworker_open(const struct xuniverse *u, const struct xset *seen, size_t level,
		 struct xworker **out)
{
	struct xworker *k = calloc(1, sizeof(*k));
	int rc = -ENOMEM;

	*out = k;
	if (!k)
		return -ENOMEM;
	k->level = level;
	k->r.seen = seen;
	k->nodes = calloc(level + 1, sizeof(*k->nodes));
	k->path = calloc(level + 1, sizeof(*k->path));
	k->letters = calloc(xu_max_letters(u) + 1, sizeof(*k->letters));
	if (k->nodes && k->path && k->letters)
		rc = runner_open(&k->r, u);
	return rc;
}

void xworker_close(struct xworker *k)
{
	if (!k)
		return;
	runner_close(&k->r);
	free(k->nodes);
	free(k->path);
	free(k->letters);
	free(k);
}

int xwork_run(struct xworker *k, struct xwork *w)
{
	size_t lv = w->level, i;
	size_t p;

	w->err = 0;
	for (p = w->first; !w->err && p < w->last && !w->stopped; p++) {
		xlevels_path(w->lv, lv, p, k->nodes);
		for (i = 0; i < lv; i++)
			k->path[i] = k->nodes[i].step;
		w->err = expand(w, &k->r, (uint32_t)p, k->path, w->lv->nodes[lv][p].fp, k->letters);
	}
	return w->err;
}

int xwork_root(const struct xuniverse *u, struct xfp *fp, struct xtrans *t)
{
	struct runner r;
	int rc;

	memset(&r, 0, sizeof(r));
	memset(t, 0, sizeof(*t));
	rc = runner_open(&r, u);
	if (!rc)
		rc = replay(&r, NULL, 0);
	if (!rc)
		rc = check_state(&r, t);
	*fp = t->node.fp;
	runner_close(&r);
	if (rc)
		return rc;
	return t->violation ? 1 : 0;
}
