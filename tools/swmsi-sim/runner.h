/* SPDX-License-Identifier: MIT */
/*
 * Runner internals shared by runner.c (execution and timeline), state.c
 * (snapshots and invariants) and output.c (JSON and DOT of the final state).
 */
#ifndef SWMSI_SIM_RUNNER_H
#define SWMSI_SIM_RUNNER_H

#include <swmsi/swmsi.h>
#include <swmsi/mock_iommu.h>

#include "sim.h"

/* A scenario name at run time. */
struct sim_obj {
	uint32_t id;		/* 0: never created (creation failed or not run yet) */
	bool live;		/* created and not destroyed/unbound */
};

/* A vector label at run time. */
struct sim_vec {
	uint32_t handle;
	bool ever;		/* an msi line gave it a handle once */
	bool live;		/* that vector has not been freed */
	uint64_t msi_addr;	/* the doorbell given to msi */
	uint64_t msg_addr;	/* what msi answered */
};

/* A stage-1 mapping the scenario made (the guest's table is its own). */
struct sim_s1 {
	uint32_t nested_id;
	uint64_t iova, ipa, len;
};

/* A window the scenario made known (device window= or window). */
struct sim_window {
	uint64_t start, size;
};

/* ---- snapshots: everything observable, copied through the public API ---- */

struct snap_hwpt {
	uint32_t id;
	long name;			/* scn name index; -1: automatic */
	struct swmsi_hwpt_info info;
	unsigned int serial;		/* the mock's domain serial */
	uint32_t *present;
	size_t npresent;
	struct swmsi_mapping *s1;	/* nested: the guest's stage 1, iova -> ipa */
	size_t ns1;
};

struct snap_dev {
	uint32_t id;
	long name;
	struct swmsi_device_info info;
	struct swmsi_vector_info *vecs;
	size_t nvecs;
};

struct snap_dom {
	unsigned int serial;
	const void *domain;
	struct mock_iommu_range *ranges;
	size_t nranges;
};

struct snap_ioas {
	uint32_t id;
	long name;
	struct swmsi_mapping *maps;	/* user DMA mappings */
	size_t nmaps;
	struct swmsi_mapping *resv;	/* SW_MSI windows reserved now */
	size_t nresv;
};

struct snap {
	bool valid;
	struct snap_ioas *ioas;
	size_t nioas;
	struct snap_hwpt *hwpts;
	size_t nhwpts;
	struct snap_dev *devs;
	size_t ndevs;
	struct swmsi_msi_map_info *maps;
	size_t nmaps;
	struct snap_dom *doms;
	size_t ndoms;
	size_t mock_domains;
	uint64_t mock_pages;
};

struct sim {
	const struct scn *scn;
	struct sim_opts o;
	struct sim_result *res;
	struct mock_iommu *mock;
	struct swmsi_ctx *ctx;
	uint64_t page_size;
	struct sim_obj *objs;		/* per scn name */
	struct sim_vec *vecs;		/* per scn vec */
	struct sim_s1 *s1;
	size_t ns1, cap_s1;
	struct sim_window *windows;
	size_t nwindows, cap_windows;
	uint64_t window_override;	/* SWMSI_PHYS_NONE: none */
	const struct scn_cmd *cur;	/* the step being checked */
	size_t step_violations;
	uint64_t misuse_seen;		/* mock misuses already reported */
	unsigned int progress_pct;	/* last percentage drawn */
	struct sim_json *json;		/* NULL: no JSON */
	bool oom;
	/* Domain serial -> label, kept across snapshots for freed domains. */
	char (*dom_label)[40];
	size_t ndom_label;
};

/* state.c */
int snap_take(struct sim *s, struct snap *sn);
void snap_free(struct snap *sn);
/* The first difference, as text, or NULL when equal. */
const char *snap_diff(const struct snap *a, const struct snap *b, char *buf, size_t len);
const struct snap_hwpt *snap_hwpt_by_id(const struct snap *sn, uint32_t id);
const struct snap_dev *snap_dev_by_id(const struct snap *sn, uint32_t id);
const struct swmsi_msi_map_info *snap_map_by_id(const struct snap *sn, uint32_t id);
/* The name of an object for display: its scn name, or "auto@IOAS". */
const char *sim_obj_label(const struct sim *s, const struct snap *sn, uint32_t id,
			  char *buf, size_t len);
/* Check every invariant on @sn; reports through sim_violation(). */
void sim_check_invariants(struct sim *s, const struct snap *sn);
/* The size of the window starting at @start, or 0 when unknown. */
uint64_t sim_window_size(const struct sim *s, const struct snap *sn, uint64_t start);

/* runner.c */
void sim_violation(struct sim *s, const char *fmt, ...) SIM_PRINTF(2, 3);
/* The label of the vector @handle of device name @dev, or NULL. */
const char *sim_vec_label(const struct sim *s, long dev, uint32_t handle);

/* output.c */
void sim_json_state(struct sim *s, struct sim_json *j, const struct snap *sn);
void sim_dot_state(struct sim *s, FILE *f, const struct snap *sn);

#endif /* SWMSI_SIM_RUNNER_H */
