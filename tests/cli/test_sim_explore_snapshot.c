/* SPDX-License-Identifier: MIT */
/*
 * The explorer's snapshot (explore_snap.c) is its own implementation of
 * tools/snapshot's snapshot_take(), written for speed, whose states the
 * explorer tells apart by fingerprint. This test proves the two agree:
 * after every command of every scenario file given, and in every state an
 * explore universe reaches within DEPTH steps (its fault variants
 * included), both snapshots compare equal field by field
 * (snapshot_diff()) and give the same fingerprint (xfp_of()). A change to
 * either that the other does not follow fails here, rather than changing
 * the explorer's state counts silently.
 *
 * usage: test_sim_explore_snapshot DEPTH FILE...
 * A file with no device (no universe) is played command by command only.
 * Exit 0 when they agree everywhere; 1 at the first disagreement; 2 on a
 * usage, read or parse error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <swmsi/mock_iommu.h>

#include "explore.h"

struct agree {
	const char *file;
	struct sim_session *ss;
	struct xarena arena;
	const struct xuniverse *u;
	struct scn_cmd cmd;
	size_t states; /* compared */
	int failed;
};

/* Both snapshots of the state now, compared. Returns 0, or 1 when they
 * differ (said on stderr), or 2 when one could not be taken. */
static int compare_now(struct agree *g, const char *where)
{
	struct sim *s = sim_session_sim(g->ss);
	struct snapshot full, x;
	struct snapshot_delta d;
	struct xfp fa, fb;
	int rc = 0;

	memset(&full, 0, sizeof(full));
	if (!s->ctx)
		return 0;
	if (snapshot_take(s->ctx, s->mock, &full) || xsnap_take(&g->arena, s, &x)) {
		fprintf(stderr, "%s: %s: a snapshot could not be taken\n", g->file, where);
		snapshot_free(&full);
		return 2;
	}
	g->states++;
	if (snapshot_diff(&full, &x, SNAPSHOT_UNCHANGED, &d)) {
		fprintf(stderr,
			"%s: %s: the explorer's snapshot differs from snapshot_take(): %s of %u: "
			"0x%llx, explorer 0x%llx\n",
			g->file, where, d.what, d.id, (unsigned long long)d.before,
			(unsigned long long)d.after);
		rc = 1;
	}
	fa = xfp_of(s, &full);
	fb = xfp_of(s, &x);
	if (fa.a != fb.a || fa.b != fb.b) {
		fprintf(stderr, "%s: %s: the fingerprints differ\n", g->file, where);
		rc = 1;
	}
	snapshot_free(&full);
	return rc;
}

/* Run @c as the explorer does: no snapshot, no check. */
static void bare(struct sim *s, const struct scn_cmd *c)
{
	struct sim_step st;

	memset(&st, 0, sizeof(st));
	st.c = c;
	s->cur = c;
	sim_step_run(s, &st);
}

/* Every command of the file in order, each followed by the comparison. */
static int play_linear(struct agree *g, const struct scn *scn)
{
	struct sim *s;
	char where[64];
	size_t i;
	int rc;

	if (sim_session_reset(g->ss))
		return 2;
	s = sim_session_sim(g->ss);
	for (i = 0; i < scn->ncmds; i++) {
		if (scn_op_is_expect(scn->cmds[i].op))
			continue;
		bare(s, &scn->cmds[i]);
		snprintf(where, sizeof(where), "line %u", scn->cmds[i].line);
		rc = compare_now(g, where);
		if (rc)
			return rc;
	}
	return 0;
}

/* Step @x, its fault armed as the explorer arms it (explore_work.c). */
static void run_step(struct agree *g, const struct xstep *x)
{
	struct sim *s = sim_session_sim(g->ss);

	xu_cmd(g->u, x, &g->cmd);
	if (x->fault)
		mock_iommu_fail_map(s->mock, 1, -ENOMEM);
	bare(s, &g->cmd);
	if (x->fault)
		mock_iommu_fail_map(s->mock, 0, 0);
}

/* A fresh context, the universe's setup, then @path (@n steps). */
static int replay(struct agree *g, const struct xstep *path, size_t n)
{
	struct sim *s;
	size_t i;

	if (sim_session_reset(g->ss))
		return 2;
	s = sim_session_sim(g->ss);
	for (i = 0; i < g->u->nsetup; i++)
		if (!scn_op_is_expect(g->u->scn->cmds[i].op))
			bare(s, &g->u->scn->cmds[i]);
	for (i = 0; i < n; i++)
		run_step(g, &path[i]);
	return 0;
}

/* Every path of up to @depth letters from @path (@n steps long). */
static int walk(struct agree *g, struct xstep *path, size_t n, unsigned int depth)
{
	struct xstep *letters;
	char where[64];
	size_t i, k;
	int rc;

	rc = replay(g, path, n);
	snprintf(where, sizeof(where), "a state at depth %zu", n);
	if (!rc)
		rc = compare_now(g, where);
	if (rc || n == depth)
		return rc;
	letters = calloc(xu_max_letters(g->u) + 1, sizeof(*letters));
	if (!letters)
		return 2;
	k = xu_letters(g->u, sim_session_sim(g->ss), path, n, letters);
	for (i = 0; i < k && !rc; i++) {
		path[n] = letters[i];
		rc = walk(g, path, n + 1, depth);
	}
	free(letters);
	return rc;
}

static int open_session(struct agree *g, const struct scn *scn, bool has_scheme,
			enum swmsi_scheme scheme)
{
	struct sim_opts o;

	memset(&o, 0, sizeof(o));
	o.has_scheme = has_scheme;
	o.scheme = scheme;
	o.strict = true;
	o.full_check = true;
	return sim_session_open(scn, &o, &g->ss);
}

/* The universe of @scn (its labels added to it), walked to @depth. */
static int explore_file(struct agree *g, struct scn *scn, unsigned int depth)
{
	struct explore_opts eo;
	struct xuniverse u;
	struct xstep *path;
	const char *why = NULL;
	int rc;

	explore_opts_default(&eo);
	eo.depth = depth;
	eo.faults = true;
	memset(&u, 0, sizeof(u));
	if (xu_init(&u, scn, &eo, &why))
		return 0; /* no universe (no device): played linearly only */
	g->u = &u;
	path = calloc(depth + 1, sizeof(*path));
	rc = path ? open_session(g, u.scn, true, u.scheme) : 2;
	if (!rc)
		rc = walk(g, path, 0, depth);
	sim_session_close(g->ss);
	g->ss = NULL;
	free(path);
	xu_free(&u);
	return rc;
}

static int check_file(const char *file, unsigned int depth)
{
	struct agree g;
	struct scn_diag d;
	struct scn *scn = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *f = fopen(file, "r");
	int rc;

	memset(&g, 0, sizeof(g));
	g.file = file;
	if (!f || sim_read_all(f, 1 << 20, &text, &len) || scn_parse(text, len, file, &scn, &d)) {
		fprintf(stderr, "%s: cannot read or parse it\n", file);
		if (f)
			fclose(f);
		free(text);
		return 2;
	}
	fclose(f);
	rc = open_session(&g, scn, false, scn->opts.scheme);
	if (!rc)
		rc = play_linear(&g, scn);
	sim_session_close(g.ss);
	g.ss = NULL;
	if (!rc)
		rc = explore_file(&g, scn, depth);
	xarena_free(&g.arena);
	if (!rc)
		printf("%s: the two snapshots agree in %zu states\n", file, g.states);
	scn_free(scn);
	free(text);
	return rc;
}

int main(int argc, char **argv)
{
	int i, rc, worst = 0;
	unsigned int depth;

	if (argc < 3 || !(depth = (unsigned int)strtoul(argv[1], NULL, 10))) {
		fprintf(stderr, "usage: %s DEPTH FILE...\n", argv[0]);
		return 2;
	}
	for (i = 2; i < argc; i++) {
		rc = check_file(argv[i], depth);
		if (rc > worst)
			worst = rc;
	}
	return worst;
}
