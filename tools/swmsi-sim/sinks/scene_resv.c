/* SPDX-License-Identifier: MIT */
/*
 * What the final state's graph and JSON show of each IOAS's IOVA space
 * (scene.h): its usable ranges (swmsi_ioas_iova_ranges()) and every range
 * reserved on it with its type and owner (swmsi_ioas_resv_list()), asked
 * of the context while it lives, as the groups' required ids are.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scene.h"

/* Room for @more entries of @size bytes past *@n in *@v (capacity *@cap). */
static int room(void **v, size_t *cap, size_t n, size_t more, size_t size)
{
	return sim_grow(v, cap, n + more, size, 16) ? -ENOMEM : 0;
}

/* IOAS @id's usable ranges appended to sc->usable. */
static int add_usable(struct sim_scene *sc, const struct sim *s, struct sim_scene_ioas *io)
{
	size_t cnt = 0, got = 0;
	int rc = swmsi_ioas_iova_ranges(s->ctx, io->id, NULL, 0, &cnt);

	io->use0 = sc->nusable;
	if (rc || !cnt)
		return rc;
	rc = room((void **)&sc->usable, &sc->cap_usable, sc->nusable, cnt, sizeof(*sc->usable));
	if (!rc)
		rc = swmsi_ioas_iova_ranges(s->ctx, io->id, sc->usable + sc->nusable, cnt, &got);
	if (rc)
		return rc;
	io->nuse = got < cnt ? got : cnt;
	sc->nusable += io->nuse;
	return 0;
}

/* IOAS @id's reserved ranges appended to sc->resv. */
static int add_resv(struct sim_scene *sc, const struct sim *s, struct sim_scene_ioas *io)
{
	size_t cnt = 0, got = 0;
	int rc = swmsi_ioas_resv_list(s->ctx, io->id, NULL, 0, &cnt);

	io->resv0 = sc->nresv_all;
	if (rc || !cnt)
		return rc;
	rc = room((void **)&sc->resv, &sc->cap_resv, sc->nresv_all, cnt, sizeof(*sc->resv));
	if (!rc)
		rc = swmsi_ioas_resv_list(s->ctx, io->id, sc->resv + sc->nresv_all, cnt, &got);
	if (rc)
		return rc;
	io->nresv = got < cnt ? got : cnt;
	sc->nresv_all += io->nresv;
	return 0;
}

int sim_scene_ioas_ranges(struct sim_scene *sc, const struct sim *s, const struct snapshot *fin)
{
	size_t i;

	if (!s->ctx || !fin->nioas)
		return 0;
	sc->ioas = calloc(fin->nioas, sizeof(*sc->ioas));
	if (!sc->ioas)
		return -1;
	for (i = 0; i < fin->nioas; i++) {
		struct sim_scene_ioas *io = &sc->ioas[sc->nioas];

		io->id = fin->ioas[i].id;
		if (add_usable(sc, s, io) || add_resv(sc, s, io) || sim_scene_ioas_iopt(io, s)) {
			sim_scene_ioas_iopt_free(io);
			return -1;
		}
		sc->nioas++;
	}
	return 0;
}

const struct sim_scene_ioas *sim_scene_ioas(const struct sim_scene *sc, uint32_t id)
{
	size_t lo = 0, hi = sc->nioas;

	/* in the snapshot's order: ascending id */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sc->ioas[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < sc->nioas && sc->ioas[lo].id == id ? &sc->ioas[lo] : NULL;
}

void sim_scene_ioas_free(struct sim_scene *sc)
{
	size_t i;

	for (i = 0; sc->ioas && i < sc->nioas; i++)
		sim_scene_ioas_iopt_free(&sc->ioas[i]);
	free(sc->ioas);
	free(sc->usable);
	free(sc->resv);
}
