/* SPDX-License-Identifier: MIT */
/*
 * The cause that holds, shared by cause.c (names, ranges, mappings, the
 * backend) and cause_dev.c (devices, vectors, destroy). Each helper words
 * one cause into @buf and returns it, or returns NULL when what it knows
 * does not settle the failure: the caller then lists every cause
 * docs/errors.md gives (explain.h). cause_util.c holds the shared words.
 */
#ifndef SWMSI_SIM_CAUSE_H
#define SWMSI_SIM_CAUSE_H

#include <stdarg.h>

#include "explain.h"

/* What a helper reads: the run, the step, the state before it. */
struct cause {
	const struct sim *s;
	const struct sim_rec *r;
	const struct scn_cmd *c;
	const struct snapshot *sn; /* before the step; NULL when not taken whole or valid */
	int rc;
	size_t step; /* index into scn.cmds */
	char *buf;
	size_t len;
};

/* Print into the cause's buffer; returns it. */
const char *cause_say(const struct cause *k, const char *fmt, ...) SIM_PRINTF(2, 3);

/* Scenario name @n, and its object id. */
const char *cause_name(const struct cause *k, unsigned int n);

/* A device's attachment, its history said: "its attach at line 7 failed
 * with EADDRINUSE", "detached at line 20", "never attached". */
const char *cause_att_history(const struct cause *k, unsigned int dev, char *buf, size_t len);

/* Is @v a multiple of the page size? Does [@start, +@len) wrap past 2^64? */
bool cause_aligned(const struct cause *k, uint64_t v);
bool cause_wraps(uint64_t start, uint64_t len);
/* EINVAL of a range: @what ("window", "doorbell") @start @size misaligned,
 * empty or wrapping. */
const char *cause_bad_range(const struct cause *k, const char *what, uint64_t start, uint64_t size);
/* The first of @n mappings that meets [@iova, @iova + @len), or NULL. */
const struct swmsi_mapping *cause_meets(const struct swmsi_mapping *m, size_t n, uint64_t iova,
					uint64_t len);

/* cause_dev.c */
const char *cause_bind(const struct cause *k);
const char *cause_attach(const struct cause *k);
const char *cause_detach(const struct cause *k);
const char *cause_destroy(const struct cause *k);
const char *cause_msi(const struct cause *k);
const char *cause_vec(const struct cause *k);

/* cause_resv.c: reserved regions and a device's own window */
/* bind's EINVAL or EOVERFLOW from its regions. */
const char *cause_bind_resv(const struct cause *k);
/* attach or replace's EADDRINUSE: a region of the device meets a mapping. */
const char *cause_attach_resv(const struct cause *k, const struct snapshot_dev *d);
/* map's refusal of a range reserved on IOAS @ioas: the first reserved
 * range [@iova, +@len) meets, with its type and owner. */
const char *cause_map_resv(const struct cause *k, uint32_t ioas, uint64_t iova, uint64_t len);
/* window DEV START SIZE's every error. */
const char *cause_dev_window(const struct cause *k);
/* The window device line @a declares, window= or its sw-msi region, into
 * *@start and *@size. Returns false when it declares none. */
bool cause_decl_window(const struct cause *k, const struct scn_a_device *a, uint64_t *start,
		       uint64_t *size);

/* cause_iopt.c: the IOAS as upstream's io_pagetable */
/* map IOAS NAME, unmap IOAS NAME|all, copy, allow, reserve, huge_pages. */
const char *cause_iopt(const struct cause *k);
/* " ('ram')": the named area of IOAS @ioas at @iova, or "", into @buf. */
const char *cause_area_name(const struct cause *k, uint32_t ioas, uint64_t iova, char *buf,
			    size_t len);

/* outcome_iopt.c */
/* What map NAME, copy and unmap NAME|all gave, into t->detail. */
void sim_iopt_detail(const struct sim *s, const struct sim_step *st, struct sim_text *t);
/* expect iova NAME IOVA, expect alignment IOAS N in words. */
void sim_iopt_expect_text(const struct sim *s, const struct sim_step *st, struct sim_text *t);
/* A named area's history: "its map at line 3 failed with ENOSPC". */
const char *sim_area_history(const struct sim *s, unsigned int name, char *buf, size_t len);

#endif /* SWMSI_SIM_CAUSE_H */
