/* SPDX-License-Identifier: MIT */
/*
 * The typed facts of a step that struct sim_step_rec (sim.h) carries for
 * the JSON beside its display text (--compare's results, a plain run's msi
 * step): filled by sink_steprec.c.
 */
#ifndef SWMSI_SIM_REC_FACTS_H
#define SWMSI_SIM_REC_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A vector whose write does not reach its doorbell after a step. Its names
 * point into the scenario (struct scn), which outlives every run of it.
 */
struct sim_rec_vec {
	const char *dev, *vec; /* its device's name and its label ("?": unknown) */
	const char *fate;      /* "lost" or "misrouted" (sim_fate_word()) */
	int rc;		       /* lost: the fire's error */
	uint64_t landed;       /* misrouted: where the write lands */
};

/* How many lost or misrouted vectors, finding names a record lists. */
#define SIM_REC_VECS  16
#define SIM_REC_NAMES 8

/*
 * What a step did as typed facts, for the JSON (struct sim_step_rec's text
 * fields say the same for display). Strings are static or the scenario's.
 */
struct sim_rec_facts {
	uint32_t id;	   /* ioas, hwpt, nested, device: the id it made (0: none) */
	bool has_msg;	   /* an msi that succeeded: */
	bool translated;   /* its vector is translated */
	bool has_map;	   /* through an MSI table entry (native, kernel) */
	uint64_t msg_addr; /* the message address it answered */
	uint32_t map_id, slot;
	char cookie[40];  /* through a dma-iommu cookie: the HWPT's ("" else) */
	const char *fate; /* a fire of a live vector: "doorbell", "lost" or "misrouted" */
	uint64_t landed;  /* where its write landed (not lost) */
	uint64_t doorbell;
	const char *finding_names[SIM_REC_NAMES]; /* each once (invariants' names) */
	size_t nfinding_names;
	struct sim_rec_vec vecs[SIM_REC_VECS]; /* the first of sim_step_rec.nfates */
	size_t nvecs;
};

#endif /* SWMSI_SIM_REC_FACTS_H */
