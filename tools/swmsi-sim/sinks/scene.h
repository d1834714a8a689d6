/* SPDX-License-Identifier: MIT */
/*
 * What the final state's graph and JSON show beyond the snapshot
 * (scene.c): the window override and the doorbell allow-list the run
 * set, the window each device's `device` line declared (its reported one),
 * and each group with its devices, window, HWPT and required ids.
 */
#ifndef SWMSI_SIM_SCENE_H
#define SWMSI_SIM_SCENE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"

struct sim;
struct snapshot;
struct sim_dot_only;

/* A device's declared window, from the `device` line that bound it
 * (window=, or its sw-msi region), and its own override (window DEV). */
struct sim_scene_dev {
	uint32_t id;
	size_t seq; /* bind order: the latest binding of an id wins */
	bool has_window;
	uint64_t start, size;
	bool has_own; /* the last window DEV that succeeded set one */
	uint64_t own_start, own_size;
};

/* One group of the final state. */
struct sim_scene_group {
	uint32_t num;
	size_t dev0, ndevs;	      /* its device ids: sim_scene.gdevs[dev0 ..] */
	size_t req0, nreq;	      /* its required ids: sim_scene.req[req0 ..] */
	uint64_t win_start, win_size; /* in use (override applied); start NONE: none */
	uint32_t hwpt_id;	      /* where it sits, 0: detached */
};

/* One IOAS's IOVA space in the final state (scene_resv.c). */
struct sim_scene_ioas {
	uint32_t id;
	size_t use0, nuse;   /* its usable ranges: sim_scene.usable[use0 ..] */
	size_t resv0, nresv; /* its reserved ranges: sim_scene.resv[resv0 ..] */
	/* scene_iopt.c: as upstream's io_pagetable */
	uint64_t align;		       /* swmsi_ioas_iova_alignment() */
	bool huge_pages;	       /* swmsi_ioas_get_huge_pages() */
	struct swmsi_area_info *areas; /* swmsi_ioas_area_list() */
	size_t nareas;
	struct swmsi_iova_range *allowed; /* swmsi_ioas_allowed_list() */
	size_t nallowed;
};

/* An address range the run registered. */
struct sim_scene_range {
	uint64_t start, size;
};

struct sim_scene {
	bool has_override; /* a `window` line succeeded; the last one holds */
	uint64_t ov_start, ov_size;
	struct sim_scene_range *doorbells; /* the allow-list, in order */
	size_t ndoorbells, cap_doorbells;
	struct sim_scene_dev *devs; /* by id after sim_scene_final() */
	size_t ndevs, cap_devs;
	struct sim_scene_group *groups; /* by number */
	size_t ngroups;
	uint32_t *gdevs, *req;
	size_t nreq;
	/* each IOAS's usable and reserved ranges, by id (none when the
	 * context was gone) */
	struct sim_scene_ioas *ioas;
	size_t nioas;
	struct swmsi_iova_range *usable;
	size_t nusable, cap_usable;
	struct swmsi_resv_info *resv;
	size_t nresv_all, cap_resv;
	bool oom;
	const struct sim_dot_only *only; /* --only; NULL: draw everything */
};

/* Learn from a step of @s that ran: window, doorbell, device. */
void sim_scene_step(struct sim_scene *sc, const struct sim *s, const struct sim_rec *r);
/* Build the groups from @fin (and the context, for the required ids).
 * Returns 0 or -1 (out of memory, or an introspection call failed). */
int sim_scene_final(struct sim_scene *sc, const struct sim *s, const struct snapshot *fin);
void sim_scene_free(struct sim_scene *sc);
/* The binding of device @id, or NULL when not known. */
const struct sim_scene_dev *sim_scene_declared(const struct sim_scene *sc, uint32_t id);
/* Does @g use another window than the one its devices declared? */
bool sim_scene_overridden(const struct sim_scene *sc, const struct sim_scene_group *g,
			  const struct sim_scene_dev **declared);

/* scene_resv.c: each IOAS's usable and reserved ranges, asked of the
 * context (none when it is gone). Returns 0 or -1. */
int sim_scene_ioas_ranges(struct sim_scene *sc, const struct sim *s, const struct snapshot *fin);
/* IOAS @id's ranges, or NULL when not known. */
const struct sim_scene_ioas *sim_scene_ioas(const struct sim_scene *sc, uint32_t id);
void sim_scene_ioas_free(struct sim_scene *sc);

/* scene_iopt.c: IOAS @io's alignment, huge pages, areas and allowed
 * ranges, asked of the context. Returns 0 or -1. */
int sim_scene_ioas_iopt(struct sim_scene_ioas *io, const struct sim *s);
void sim_scene_ioas_iopt_free(struct sim_scene_ioas *io);
/* The name of the live named area of IOAS @ioas at @iova (*@area its
 * state), or NULL (*@area NULL). */
const char *sim_scene_area_name(const struct sim *s, uint32_t ioas, uint64_t iova,
				const struct sim_area **area);
/* The named area whose memory (the simulator's) holds @va, with *@off
 * the offset from its VA; NULL when the simulator did not map @va. */
const char *sim_scene_area_backing(const struct sim *s, uint64_t va, uint64_t *off);

/* json_iopt.c: @io's "alignment", "huge_pages", "allowed" and "areas"
 * (null and empty when the context was gone: @io NULL). */
void sim_json_iopt(const struct sim *s, struct sim_json *j, const struct sim_scene_ioas *io);

/* A HWPT's type as the graph and the JSON both say it: "paging", "nested". */
const char *sim_hwpt_type_word(enum swmsi_obj_type t);

#endif /* SWMSI_SIM_SCENE_H */
