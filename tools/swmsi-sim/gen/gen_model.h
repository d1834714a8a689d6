/* SPDX-License-Identifier: MIT */
/*
 * The random generator's model, shared by its files: gen_util.c (the
 * output, the model's queries, slots and picks), gen_objs.c (IOASes,
 * mappings, HWPTs, devices, attach and teardown), gen_vec.c (vectors,
 * fires, expectations, bad commands), gen_dma.c (DMA_IOMMU's cookies) and
 * gen.c (the header, the action mix and the public entry points). See gen.c for what the model is.
 */
#ifndef SWMSI_SIM_GEN_MODEL_H
#define SWMSI_SIM_GEN_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gen.h"
#include "lang.h"

#define MAX_IOAS  3
#define MAX_HWPT  12 /* paging and nested, named */
#define MAX_DEV	  16
#define MAX_VEC	  8 /* per device */
#define MAX_ENT	  64
#define NWIN	  4
#define NDOORBELL 6
/* KERNEL: enough doorbell pages (4 windows x 24) to hand out its 64 ids */
#define KERNEL_DOORBELLS 24
#define NDMA		 4
#define MAX_COOKIE	 NDOORBELL /* DMA_IOMMU: a cookie holds each doorbell page once */
#define NO_PT		 (-1)
#define AUTO_PT(i)	 (MAX_HWPT + (i)) /* a group on IOAS i's automatic HWPT */

#define DOORBELL_BASE ((uint64_t)0x20000000)
#define DMA_IOVA      ((uint64_t)0x40000000)
#define DMA_PADDR     ((uint64_t)0x100000000)
#define CHUNK	      ((uint64_t)0x10000) /* 64K: aligned for every page size */

struct g_vec {
	bool live;
	bool translated;
	int ent; /* its table entry; -1 under DMA_IOMMU, which has no table */
	uint64_t msi, msg;
};

struct g_dev {
	bool live, attached;
	/* KERNEL, DMA_IOMMU: its ranges went with a failed same-IOAS replace
	 * of its group (upstream's error path); back when the group moves to
	 * another IOAS, gone for good at detach */
	bool resv_lost;
	unsigned int name; /* dv<name> */
	int grp;
	struct g_vec vec[MAX_VEC]; /* slot v is label v<v> */
};

struct g_group {
	bool live;
	unsigned int num;  /* group=<num> */
	int win;	   /* the window its devices report: -1 none */
	int pt;		   /* NO_PT, a HWPT index or AUTO_PT(ioas) */
	uint64_t required; /* map ids */
};

struct g_hwpt {
	bool live;
	bool nested, nest_parent;
	unsigned int name; /* hp<name> or hn<name> */
	int ioas;
	int parent;
	unsigned int s1; /* windows the guest maps 1:1 in stage 1 */
};

struct g_ioas {
	bool live;
	unsigned int name; /* io<name> */
	unsigned int dma;  /* DMA chunks mapped */
	unsigned int intr; /* windows a mapping intrudes into */
};

struct g_ent {
	bool live;
	int win;
	uint64_t page;
	unsigned int slot;
	unsigned int vectors;
};

/* DMA_IOMMU: a paging domain's MSI cookie (page k at window start + k pages). */
struct g_cookie {
	bool active;
	int win; /* the window of the first group with one that attached */
	unsigned int n;
	uint64_t page[MAX_COOKIE];
};

struct gen {
	uint64_t rng;
	enum swmsi_scheme scheme;
	char *buf;
	size_t len, cap;
	bool oom;
	unsigned int steps, target;
	uint64_t page;
	bool unused, override, allowlist;
	unsigned int max_ids;
	unsigned int nbell;    /* doorbell pages in use: page j at DOORBELL_BASE + j chunks */
	unsigned int nallowed; /* with the allow-list, the first nallowed of them */
	/* Slots: n* is how many were ever used, a dead one is taken again. */
	struct g_ioas ioas[MAX_IOAS];
	unsigned int nioas;
	struct g_hwpt hwpt[MAX_HWPT];
	unsigned int nhwpt;
	struct g_dev dev[MAX_DEV];
	unsigned int ndev;
	struct g_group grp[MAX_DEV];
	unsigned int ngrp;
	/* The next fresh name of each kind, and the next group number. */
	unsigned int nm_ioas, nm_hwpt, nm_dev, nm_grp;
	struct g_ent ent[MAX_ENT];
	uint64_t present[MAX_HWPT + MAX_IOAS]; /* per domain: map ids */
	bool auto_live[MAX_IOAS];
	struct g_cookie cookie[MAX_HWPT + MAX_IOAS]; /* per domain, DMA_IOMMU */
	bool arm;				     /* arm a map fault before the next candidate */
	struct gen_stats *st;
};

/* The command words the generator emits, in the order gen_stats keeps them. */
extern const char *const gen_words[GEN_NWORDS];

unsigned int gen_below(struct gen *g, unsigned int n);
bool gen_chance(struct gen *g, unsigned int percent);
void gen_out(struct gen *g, const char *fmt, ...) SIM_PRINTF(2, 3);
void gen_cmd(struct gen *g, const char *err, const char *fmt, ...) SIM_PRINTF(3, 4);
bool gen_room(const struct gen *g, unsigned int lines);
uint64_t gen_win_start(int w);
uint64_t gen_win_size(const struct gen *g, int w);
int gen_eff_win(const struct gen *g, int grp);
int gen_pt_domain(const struct gen *g, int pt);
int gen_pt_ioas(const struct gen *g, int pt);
bool gen_reserved(const struct gen *g, int ioas, int w);
/* An attached device of a group using window @w on IOAS @ioas lost its
 * ranges there (a failed same-IOAS replace, KERNEL and DMA_IOMMU). */
bool gen_window_lost(const struct gen *g, int ioas, int w);
unsigned int gen_popcount(uint64_t v);
unsigned int gen_ioas_mappings(const struct gen *g, int i);
unsigned int gen_ioas_domains(const struct gen *g, int i);
void gen_reclaim(struct gen *g);
bool gen_group_attached_devs(const struct gen *g, int grp);
void gen_cookie_reset(struct gen *g, int dom);
void gen_left_pt(struct gen *g, int pt);
const char *gen_hpfx(const struct gen *g, int h);
int gen_ioas_slot(struct gen *g);
int gen_hwpt_slot(struct gen *g);
int gen_dev_slot(struct gen *g);
int gen_grp_slot(struct gen *g);
int gen_vec_slot(const struct gen *g, int d);
int gen_pick_live_ioas(struct gen *g);
int gen_pick_hwpt(struct gen *g, int want_nested /* -1 either */);
int gen_pick_dev(struct gen *g, int attached /* -1 either */);
int gen_pick_vec(struct gen *g, int *d);
int gen_pick_pt(struct gen *g, char *name, size_t len);
const char *gen_maybe_fault(struct gen *g, unsigned int calls);
bool gen_act_ioas(struct gen *g);
bool gen_act_map(struct gen *g);
bool gen_act_unmap(struct gen *g);
bool gen_act_hwpt(struct gen *g);
bool gen_act_nested(struct gen *g);
bool gen_act_s1map(struct gen *g);
bool gen_act_device(struct gen *g);
bool gen_act_attach(struct gen *g, bool replace);
bool gen_act_detach(struct gen *g);
void gen_free_vec(struct gen *g, int d, int v);
bool gen_act_unbind(struct gen *g);
bool gen_act_destroy(struct gen *g);
bool gen_act_msi(struct gen *g);
bool gen_act_free(struct gen *g);
bool gen_act_fire(struct gen *g);
bool gen_act_expect(struct gen *g);
bool gen_act_bad(struct gen *g);

/* DMA_IOMMU's model (gen_dma.c): cookies instead of the table. */
void gen_cookie_attach(struct gen *g, int grp, int pt);
bool gen_cookie_at(const struct gen *g, int i, int w);
bool gen_dma_msi(struct gen *g, int d, int vs, unsigned int j, uint64_t addr);
bool gen_translate(const struct gen *g, int pt, uint64_t iova, uint64_t *pa);
bool gen_dma_fire(struct gen *g, int d, int v);
bool gen_dma_expect_mapped(struct gen *g);

#endif /* SWMSI_SIM_GEN_MODEL_H */
