/* SPDX-License-Identifier: MIT */
/*
 * The search of swmsi-sim --explore: breadth first, level by level. The
 * parents of a level are cut into contiguous chunks (CHUNKS_PER_JOB per
 * worker, so that no worker waits long for another); the workers take them
 * in turn, each expanded into a buffer of its own (parent order, then
 * alphabet order), dropping states known before the level and the
 * worker's own repeats; the buffers are then merged in chunk order, so the
 * states, the counts and the first violation come out the same whatever
 * --jobs is.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "explore.h"

struct explore {
	const struct explore_opts *o;
	struct xuniverse u;
	struct xlevels lv;
	struct xset seen;
	struct explore_result r;
	struct explore_progress prog;
};

static int level_add(struct xlevels *lv, size_t level, const struct xnode *n)
{
	if (sim_grow((void **)&lv->nodes[level], &lv->cap[level], lv->n[level] + 1, sizeof(*n),
		     1024))
		return -ENOMEM;
	lv->nodes[level][lv->n[level]++] = *n;
	return 0;
}

/* A level's chunks, taken in turn by the workers. */
struct xpool {
	struct explore *x;
	size_t level;
	struct xwork *w; /* the chunks */
	size_t nw;
	_Atomic size_t next; /* the next chunk to take */
	_Atomic size_t stop; /* no chunk after this one is needed */
};

struct xthread {
	struct xpool *pool;
	unsigned int id;
	int err;
};

/* Chunks after @c are not needed: @c stopped at a violation, or an error. */
static void stop_after(struct xpool *pl, size_t c)
{
	size_t cur = atomic_load(&pl->stop);

	while (c < cur && !atomic_compare_exchange_weak(&pl->stop, &cur, c))
		;
}

/*
 * Chunks, in increasing order, until none is left or needed: every chunk
 * up to the first that stops is expanded whoever takes it, so the merge
 * sees what one worker would have found.
 */
static void *take_chunks(void *arg)
{
	struct xthread *t = arg;
	struct xpool *pl = t->pool;
	struct xworker *k;
	size_t c;

	t->err = xworker_open(&pl->x->u, &pl->x->seen, pl->level, &k);
	while (!t->err) {
		c = atomic_fetch_add(&pl->next, 1);
		if (c >= pl->nw || c > atomic_load(&pl->stop))
			break;
		pl->w[c].id = t->id;
		t->err = xwork_run(k, &pl->w[c]);
		if (pl->w[c].stopped)
			stop_after(pl, c);
	}
	if (t->err)
		stop_after(pl, 0);
	xworker_close(k);
	return NULL;
}

/* Expand level @level's @nw chunks @w (zeroed by the caller) with @jobs
 * workers. */
static int run_workers(struct explore *x, size_t level, struct xwork *w, size_t nw, size_t jobs)
{
	size_t n = x->lv.n[level], k, started = 0;
	struct xthread th[64];
	pthread_t tid[64];
	struct xpool pl;
	int rc = 0;

	pl.x = x;
	pl.level = level;
	pl.w = w;
	pl.nw = nw;
	atomic_init(&pl.next, 0);
	atomic_init(&pl.stop, SIZE_MAX);
	for (k = 0; k < nw; k++) {
		w[k].u = &x->u;
		w[k].lv = &x->lv;
		w[k].seen = &x->seen;
		w[k].level = level;
		w[k].first = n * k / nw;
		w[k].last = n * (k + 1) / nw;
		w[k].prog = &x->prog;
	}
	for (k = 0; k < jobs; k++)
		th[k] = (struct xthread){ &pl, (unsigned int)k, 0 };
	for (k = 1; k < jobs; k++) {
		if (pthread_create(&tid[k], NULL, take_chunks, &th[k])) {
			th[k].err = -EAGAIN;
			break;
		}
		started = k;
	}
	take_chunks(&th[0]);
	for (k = 1; k <= started; k++)
		pthread_join(tid[k], NULL);
	for (k = 0; k < jobs && !rc; k++)
		rc = th[k].err;
	return rc;
}

/* The violation found by worker @w: its path, into x->r. */
static int take_violation(struct explore *x, size_t level, const struct xwork *w)
{
	struct explore_result *r = &x->r;

	r->violation = true;
	r->vdepth = level + 1;
	r->path = calloc(level + 1, sizeof(*r->path));
	if (!r->path)
		return -ENOMEM;
	xlevels_path(&x->lv, level, w->viol.node.parent, r->path);
	r->path[level] = w->viol.node;
	snprintf(r->inv, sizeof(r->inv), "%s", w->viol.inv);
	snprintf(r->msg, sizeof(r->msg), "%s", w->viol.msg);
	return 0;
}

/*
 * The workers' buffers in order into level @level + 1. Returns 1 when the
 * search must stop (a violation, --max-states), 0 to go on, or -ENOMEM.
 */
static int merge(struct explore *x, size_t level, struct xwork *w, size_t nw)
{
	size_t k, i;
	int rc;

	for (k = 0; k < nw; k++) {
		x->r.transitions += w[k].transitions;
		for (i = 0; i < w[k].nout; i++) {
			if (x->r.states >= x->o->max_states)
				return 1;
			rc = xset_add(&x->seen, w[k].out[i].fp);
			if (rc < 0)
				return rc;
			if (!rc)
				continue;
			if (level_add(&x->lv, level + 1, &w[k].out[i]))
				return -ENOMEM;
			x->r.states++;
		}
		if (w[k].stopped)
			return take_violation(x, level, &w[k]) ? -ENOMEM : 1;
	}
	x->r.depth_done = level + 1;
	return 0;
}

static void free_work(struct xwork *w, size_t nw)
{
	size_t k;

	for (k = 0; k < nw; k++)
		free(w[k].out);
}

/* Chunks per worker: enough that one slow chunk leaves the other workers
 * something to take. */
#define CHUNKS_PER_JOB 32

/* One level: expand, merge. Returns 1 to stop, 0 to go on, or an error. */
static int one_level(struct explore *x, size_t level)
{
	size_t jobs = x->o->jobs, nw;
	struct xwork *w;
	int rc;

	if (jobs > x->lv.n[level])
		jobs = x->lv.n[level];
	nw = jobs > 1 ? jobs * CHUNKS_PER_JOB : 1;
	if (nw > x->lv.n[level])
		nw = x->lv.n[level];
	w = calloc(nw, sizeof(*w));
	if (!w)
		return -ENOMEM;
	x->prog.depth = level + 1;
	x->prog.frontier = x->lv.n[level];
	rc = run_workers(x, level, w, nw, jobs);
	if (!rc)
		rc = merge(x, level, w, nw);
	free_work(w, nw);
	free(w);
	x->prog.states = x->r.states;
	return rc;
}

/* The start: the file's own run must pass (under strict), then its state
 * is level 0. Returns 1 on a violation there, 0, or an error. */
static int start(struct explore *x)
{
	struct sim_result res;
	struct sim_opts so;
	struct xtrans t;
	struct xnode root;
	int rc;

	memset(&so, 0, sizeof(so));
	so.has_scheme = true;
	so.scheme = x->u.scheme;
	so.strict = true;
	rc = sim_engine_run(x->u.scn, &so, NULL, 0, &res);
	if (rc == SIM_USAGE)
		return -EINVAL;
	if (rc == SIM_FAILED) {
		x->r.violation = true;
		snprintf(x->r.inv, sizeof(x->r.inv), "the file's own run");
		snprintf(x->r.msg, sizeof(x->r.msg), "fails under strict, before any step");
		return 1;
	}
	rc = xwork_root(&x->u, &root.fp, &t);
	if (rc < 0)
		return rc;
	if (rc) {
		x->r.violation = true;
		snprintf(x->r.inv, sizeof(x->r.inv), "%s", t.inv);
		snprintf(x->r.msg, sizeof(x->r.msg), "%s", t.msg);
		return 1;
	}
	root.parent = 0;
	if (xset_add(&x->seen, root.fp) < 0 || level_add(&x->lv, 0, &root))
		return -ENOMEM;
	x->r.states = 1;
	return 0;
}

/* Breadth first to the bound. Returns 0 or an error. */
static int search(struct explore *x)
{
	size_t level;
	int rc = start(x);

	if (rc)
		return rc < 0 ? rc : 0;
	for (level = 0; level < x->o->depth; level++) {
		rc = one_level(x, level);
		if (rc)
			return rc < 0 ? rc : 0;
		if (!x->lv.n[level + 1]) {
			x->r.exhausted = true;
			break;
		}
		x->r.deepest = level + 1;
	}
	x->r.complete = true;
	x->r.depth_done = x->o->depth;
	return 0;
}

static void explore_free(struct explore *x)
{
	size_t i;

	for (i = 0; i <= EXPLORE_MAX_DEPTH; i++)
		free(x->lv.nodes[i]);
	xset_free(&x->seen);
	free(x->r.path);
	xu_free(&x->u);
}

int sim_explore(struct scn *scn, const struct explore_opts *opts)
{
	struct explore *x = calloc(1, sizeof(*x));
	const char *why;
	int rc, status;

	if (!x) {
		fprintf(stderr, "swmsi-sim: out of memory\n");
		return SIM_USAGE;
	}
	x->o = opts;
	rc = xu_init(&x->u, scn, opts, &why);
	if (rc) {
		fprintf(stderr, "%s: --explore: %s\n", scn->file, why);
		explore_free(x);
		free(x);
		return SIM_USAGE;
	}
	x->prog.on = opts->progress;
	x->prog.start = explore_now();
	rc = search(x);
	x->r.seconds = explore_now() - x->prog.start;
	explore_progress_draw(&x->prog, true);
	if (rc) {
		fprintf(stderr, "%s: --explore: %s\n", scn->file,
			rc == -ENOMEM ? "out of memory" : strerror(-rc));
		status = SIM_USAGE;
	} else {
		status = explore_report(&x->u, opts, &x->r);
	}
	explore_free(x);
	free(x);
	return status;
}
