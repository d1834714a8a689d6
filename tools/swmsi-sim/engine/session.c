/* SPDX-License-Identifier: MIT */
/*
 * Sessions: the engine's state without its step loop, for the explorer
 * (engine.h says what a session is). A reset keeps the mock and the arrays
 * every replay fills again, so a replay allocates little.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

struct sim_session {
	struct engine e;
	const struct scn *scn;
	struct sim_opts opts;
	struct sim_result res;
};

/*
 * What a reset keeps of a session's simulation: the mock, and the arrays
 * and indexes every replay fills again, emptied as sim_engine_init() would
 * make them (the per-name and per-label arrays zeroed, the device's label
 * lists fixed by the scenario, the id and handle indexes without keys).
 */
struct session_kept {
	struct mock_iommu *mock;
	struct sim_obj *objs;
	struct sim_vec *vecs;
	struct sim_dev_vecs *dev_vecs;
	struct key_index ids, handles;
};

static void session_keep(struct sim *s, struct session_kept *k)
{
	k->mock = s->mock;
	k->objs = s->objs;
	k->vecs = s->vecs;
	k->dev_vecs = s->dev_vecs;
	k->ids = s->ids;
	k->handles = s->handles;
	s->mock = NULL;
	s->objs = NULL;
	s->vecs = NULL;
	s->dev_vecs = NULL;
	memset(&s->ids, 0, sizeof(s->ids));
	memset(&s->handles, 0, sizeof(s->handles));
}

static void session_give(struct sim *s, struct session_kept *k)
{
	const struct scn *scn = s->scn;

	mock_iommu_reset(k->mock);
	s->mock = k->mock;
	if (k->objs)
		memset(k->objs, 0, (scn->nnames ? scn->nnames : 1) * sizeof(*k->objs));
	if (k->vecs)
		memset(k->vecs, 0, (scn->nvecs ? scn->nvecs : 1) * sizeof(*k->vecs));
	s->objs = k->objs;
	s->vecs = k->vecs;
	s->dev_vecs = k->dev_vecs;
	key_index_clear(&k->ids);
	key_index_clear(&k->handles);
	s->ids = k->ids;
	s->handles = k->handles;
}

int sim_session_reset(struct sim_session *ss)
{
	struct session_kept k;

	/* the mock outlives the context, reset as new: its memory is reused */
	swmsi_ctx_destroy(ss->e.s.ctx);
	ss->e.s.ctx = NULL;
	session_keep(&ss->e.s, &k);
	sim_engine_fini(&ss->e);
	memset(&ss->e, 0, sizeof(ss->e));
	memset(&ss->res, 0, sizeof(ss->res));
	ss->e.s.scn = ss->scn;
	session_give(&ss->e.s, &k);
	if (sim_engine_init(&ss->e, ss->scn, &ss->opts, &ss->res))
		return -ENOMEM;
	return sim_engine_ensure_ctx(&ss->e.s);
}

int sim_session_open(const struct scn *scn, const struct sim_opts *opts, struct sim_session **out)
{
	struct sim_session *ss = calloc(1, sizeof(*ss));
	int rc;

	*out = NULL;
	if (!ss)
		return -ENOMEM;
	ss->scn = scn;
	ss->opts = *opts;
	rc = sim_session_reset(ss);
	if (rc) {
		sim_session_close(ss);
		return rc;
	}
	*out = ss;
	return 0;
}

struct sim *sim_session_sim(struct sim_session *ss)
{
	return &ss->e.s;
}

void sim_session_close(struct sim_session *ss)
{
	if (!ss)
		return;
	sim_engine_fini(&ss->e);
	free(ss);
}
