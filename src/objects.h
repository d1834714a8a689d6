/* SPDX-License-Identifier: MIT */
/*
 * libswmsi internals, layer 4 of 5: the object model. IOASes (ioas.c),
 * paging and nested HWPTs (hwpt.c), devices and their groups (device.c,
 * group_window.c, device_resv.c), vectors (msi.c): their structs, the
 * typed conversions and getters, and what each file offers the others.
 */
#ifndef SWMSI_OBJECTS_H
#define SWMSI_OBJECTS_H

#include "ctx.h"

/* ------------------------------------------------------------------ */
/* The types                                                           */

/* A user DMA mapping of an IOAS, or a stage-1 mapping of a nested HWPT. */
struct swmsi_area {
	uint64_t iova;
	uint64_t paddr;
	uint64_t length;
	uint32_t prot;
	/* paddr is a user VA (swmsi_ioas_map_user(), or copied from one): a
	 * domain that needs its pages checks it is mapped (iopt.c) */
	bool user;
	bool writable; /* its backing may be mapped writeable (a copy's -EPERM) */
	RB_ENTRY(swmsi_area) node;
};
RB_HEAD(swmsi__area_tree, swmsi_area);

struct swmsi_hwpt_paging;

struct swmsi_ioas {
	struct swmsi_obj obj; /* users: paging HWPTs on it */
	struct swmsi__area_tree areas;
	TAILQ_HEAD(, swmsi_hwpt_paging) hwpts;
	/* The automatic HWPT attach-to-IOAS uses; at most one, NULL if none. */
	struct swmsi_hwpt_paging *auto_hwpt;
	/* what attached devices and paging HWPTs reserve on it: no mapping
	 * may meet one (iommufd's reserved IOVA ranges) */
	struct swmsi_resv_set resv;
	/* upstream's io_pagetable beyond the areas (iopt.c): the allowed
	 * ranges (sorted, disjoint; none: everything), IOMMU_OPTION_HUGE_PAGES
	 * off, and the ranges reserved on the IOAS itself (its own records) */
	struct swmsi_iova_range *allowed;
	size_t nallowed;
	bool huge_disabled;
	SLIST_HEAD(, swmsi_ioas_resv) own_resv;
};

/* What paging and nested HWPTs share, as iommufd_hw_pagetable. */
struct swmsi_hwpt {
	struct swmsi_obj obj; /* users: groups attached directly (+ nested children) */
	struct swmsi_ioas *ioas;
	unsigned int groups; /* groups attached to this HWPT itself */
};

/* dma-iommu's per-domain MSI cookie (scheme_dma_iommu.c). */
struct swmsi_msi_cookie;

/* A HWPT with a backend domain (iommufd_hwpt_paging). Everything MSI lives
 * here: a nested HWPT's groups install into its parent. */
struct swmsi_hwpt_paging {
	struct swmsi_hwpt common;
	void *domain;
	uint32_t flags;	 /* SWMSI_HWPT_* given at allocation */
	uint64_t pgsize; /* its domain's smallest page: the IOAS's alignment */
	bool auto_domain;
	TAILQ_ENTRY(swmsi_hwpt_paging) ioas_link;
	unsigned int children; /* nested HWPTs over it */
	/* ids whose MSI page is mapped in this domain (global schemes) */
	struct swmsi_bitmap present;
	/* per id: groups on this domain (directly or via a child) requiring it;
	 * an id is absent rather than 0 */
	struct swmsi_idmap need;
	/* SWMSI_SCHEME_DMA_IOMMU only; NULL until a group with a window comes */
	struct swmsi_msi_cookie *cookie;
	/* unique in the context, renewed whenever a page leaves present (the
	 * only way this domain can stop holding what a group requires): what
	 * swmsi_group.holds compares, so a stale stamp never matches */
	uint64_t stamp;
	/* below and above the domain's aperture, reserved on the IOAS from
	 * creation to destruction (iopt_table_add_domain()); unused ones have
	 * start > last and are not linked */
	struct swmsi_resv aperture[2];
};

/* The guest's stage 1 over a NEST_PARENT paging HWPT (iommufd_hwpt_nested). */
struct swmsi_hwpt_nested {
	struct swmsi_hwpt common;
	struct swmsi_hwpt_paging *parent;
	struct swmsi__area_tree s1; /* iova -> ipa */
};

struct swmsi_group {
	uint32_t num;
	/* the window its first device reported, or SWMSI_PHYS_NONE (under
	 * NATIVE every device of the group reports it); the one it uses is
	 * swmsi__group_window()'s */
	uint64_t win_start;
	uint64_t win_size;
	/* the window its vectors use (SWMSI_PHYS_NONE: none yet). NATIVE:
	 * that of the device it joined with (its override, the context's, or
	 * the reported one). KERNEL, DMA_IOMMU: upstream's one sw_msi_start
	 * per group, written at each device attach as its regions are walked
	 * (device_resv.c), kept over detach, gone with the group */
	uint64_t use_start;
	uint64_t use_size;
	TAILQ_HEAD(, swmsi_device) devs; /* bound */
	unsigned int devices;		 /* bound */
	unsigned int attached;		 /* attached devices */
	/* where the group sits; NULL when detached. Atomic: msi_fire reads it
	 * without the lock (a move stores it once, at commit) */
	struct swmsi_hwpt *_Atomic hwpt;
	/* ids this group requires (installed before it moves anywhere) */
	struct swmsi_bitmap required;
	/* per required id: this group's vectors on the entry. Its keys are
	 * exactly the required set, which is walked through it: O(ids the
	 * group requires), wherever in the id space they sit. */
	struct swmsi_idmap vecs;
	/* global schemes: stamps of the (last two) domains where every
	 * required page was found present, so a move back and forth skips
	 * the install walk in O(1). 0 never matches; cleared when the
	 * required set grows */
	uint64_t holds[2];
	RB_ENTRY(swmsi_group) node;
};

int swmsi__group_cmp(const struct swmsi_group *a, const struct swmsi_group *b);
RB_PROTOTYPE(swmsi__group_tree, swmsi_group, node, swmsi__group_cmp)

struct swmsi_vector {
	uint64_t msi_addr;
	uint64_t msg_addr;
	struct swmsi_msi_map *map; /* its table entry (global schemes), or NULL */
	bool translated;	   /* msg_addr is an IOVA the scheme gave it */
	/* what msi_fire reads without the lock: msg_addr once live, whether
	 * the write bypasses the IOMMU (untranslated, of a device reporting
	 * no window: the platform does not remap its MSIs), and whether the
	 * handle is live (set last, cleared first) */
	_Atomic uint64_t rd_msg;
	atomic_bool rd_pass;
	atomic_bool rd_live;
};

struct swmsi_device {
	struct swmsi_obj obj;
	struct swmsi_group *group;
	bool attached;
	/* vector handle -> vector; handles index the array, used marks live */
	struct swmsi_vector *vecs;
	struct swmsi_bitmap used;
	size_t nvecs_cap;
	uint32_t nvecs;
	/* vecs and nvecs_cap as msi_fire reads them: a grown array is
	 * published here and the old one freed after a grace period */
	struct swmsi_vector *_Atomic rd_vecs;
	_Atomic size_t rd_cap;
	TAILQ_ENTRY(swmsi_device) group_link;
	/* what it reserves while attached: resv[0] its window in use (filled
	 * at attach), then its regions but SW_MSI and DIRECT_RELAXABLE */
	struct swmsi_resv *resv;
	uint32_t nresv;
	/* the IOAS its records are linked on; NULL when none */
	struct swmsi_ioas *resv_ioas;
	bool resv_win; /* resv[0] is its window, linked with the rest */
	/* KERNEL, DMA_IOMMU: it reports two SW_MSI regions, or a window and
	 * an MSI region: every attach is refused (-EINVAL) once its ranges
	 * could be reserved, as upstream's check after the reservations */
	bool resv_refused;
	/* its own window override; size 0: none */
	uint64_t ovr_start;
	uint64_t ovr_size;
	/* the window it reports (the sw_msi fields or its first SW_MSI
	 * region), SWMSI_PHYS_NONE: none; and how many of its other records
	 * (resv[1..]) come before it in its region list: where upstream's
	 * walk of its regions meets it */
	uint64_t rep_start;
	uint64_t rep_size;
	uint32_t win_pos;
};

/* The per-type ops (each in its object's file). */
extern const struct swmsi_obj_ops swmsi__ioas_ops;
extern const struct swmsi_obj_ops swmsi__hwpt_paging_ops;
extern const struct swmsi_obj_ops swmsi__hwpt_nested_ops;
extern const struct swmsi_obj_ops swmsi__device_ops;

/* ------------------------------------------------------------------ */
/* Conversions and getters                                             */

static inline struct swmsi_ioas *swmsi__to_ioas(struct swmsi_obj *obj)
{
	assert(obj->type == SWMSI__TYPE_IOAS);
	return (struct swmsi_ioas *)obj;
}

static inline struct swmsi_device *swmsi__to_device(struct swmsi_obj *obj)
{
	assert(obj->type == SWMSI__TYPE_DEVICE);
	return (struct swmsi_device *)obj;
}

static inline bool swmsi__obj_is_hwpt(const struct swmsi_obj *obj)
{
	return obj->type == SWMSI__TYPE_HWPT_PAGING || obj->type == SWMSI__TYPE_HWPT_NESTED;
}

static inline struct swmsi_hwpt *swmsi__to_hwpt(struct swmsi_obj *obj)
{
	assert(swmsi__obj_is_hwpt(obj));
	return (struct swmsi_hwpt *)obj;
}

static inline bool swmsi__hwpt_is_paging(const struct swmsi_hwpt *hwpt)
{
	return hwpt->obj.type == SWMSI__TYPE_HWPT_PAGING;
}

static inline struct swmsi_hwpt_paging *swmsi__to_hwpt_paging(struct swmsi_hwpt *hwpt)
{
	assert(swmsi__hwpt_is_paging(hwpt));
	return (struct swmsi_hwpt_paging *)hwpt;
}

static inline struct swmsi_hwpt_nested *swmsi__to_hwpt_nested(struct swmsi_hwpt *hwpt)
{
	assert(hwpt->obj.type == SWMSI__TYPE_HWPT_NESTED);
	return (struct swmsi_hwpt_nested *)hwpt;
}

/* The paging HWPT whose domain holds a HWPT's MSI pages: itself, or a
 * nested HWPT's parent (the kernel's find_hwpt_paging()). */
static inline struct swmsi_hwpt_paging *swmsi__find_hwpt_paging(struct swmsi_hwpt *hwpt)
{
	return swmsi__hwpt_is_paging(hwpt) ? swmsi__to_hwpt_paging(hwpt)
					   : swmsi__to_hwpt_nested(hwpt)->parent;
}

static inline int swmsi__ioas_get(struct swmsi_ctx *ctx, uint32_t id, struct swmsi_ioas **ioasp)
{
	struct swmsi_obj *obj;
	int rc = swmsi__obj_get(ctx, id, SWMSI__TYPE_IOAS, &obj);

	if (!rc)
		*ioasp = swmsi__to_ioas(obj);
	return rc;
}

/* The last device found answers first (ctx->obj_hot: only ever a device). */
static inline int swmsi__device_get(struct swmsi_ctx *ctx, uint32_t id, struct swmsi_device **devp)
{
	struct swmsi_obj *obj = ctx->obj_hot;
	int rc;

	if (obj && obj->id == id) {
		*devp = swmsi__to_device(obj);
		return 0;
	}
	rc = swmsi__obj_get(ctx, id, SWMSI__TYPE_DEVICE, &obj);
	if (!rc) {
		*devp = swmsi__to_device(obj);
		ctx->obj_hot = obj;
	}
	return rc;
}

/* A paging or a nested HWPT. */
static inline int swmsi__hwpt_get(struct swmsi_ctx *ctx, uint32_t id, struct swmsi_hwpt **hwptp)
{
	struct swmsi_obj *obj = swmsi__obj_find(ctx, id);

	if (!obj || !swmsi__obj_is_hwpt(obj))
		return -ENOENT;
	*hwptp = swmsi__to_hwpt(obj);
	return 0;
}

static inline int swmsi__hwpt_nested_get(struct swmsi_ctx *ctx, uint32_t id,
					 struct swmsi_hwpt_nested **nestedp)
{
	struct swmsi_obj *obj;
	int rc = swmsi__obj_get(ctx, id, SWMSI__TYPE_HWPT_NESTED, &obj);

	if (!rc)
		*nestedp = swmsi__to_hwpt_nested(swmsi__to_hwpt(obj));
	return rc;
}

/* ------------------------------------------------------------------ */
/* What each object file offers the others                             */

/* area trees (ioas.c) */
int swmsi__area_cmp(const struct swmsi_area *a, const struct swmsi_area *b);
RB_PROTOTYPE(swmsi__area_tree, swmsi_area, node, swmsi__area_cmp)
bool swmsi__areas_overlap(struct swmsi__area_tree *t, uint64_t iova, uint64_t length);
struct swmsi_area *swmsi__area_find(struct swmsi__area_tree *t, uint64_t iova);
struct swmsi_area *swmsi__area_new(struct swmsi_ctx *ctx, uint64_t iova, uint64_t paddr,
				   uint64_t length, uint32_t prot);
void swmsi__areas_free(struct swmsi__area_tree *t);
/* Copy up to @cap areas out, ascending; returns how many there are. */
size_t swmsi__areas_copy(struct swmsi__area_tree *t, struct swmsi_mapping *maps, size_t cap);

/* ioas.c */
/* Unmap a user (IOAS) mapping from one domain, counting a short unmap. */
void swmsi__unmap_user(struct swmsi_ctx *ctx, void *domain, uint64_t iova, uint64_t length);

/* hwpt.c */
/* Private flag beside the public SWMSI_HWPT_* bits: the automatic HWPT an
 * attach to an IOAS makes (never reported, never a user's flag). */
#define SWMSI__HWPT_AUTO_DOMAIN (1u << 31)
int swmsi__hwpt_paging_create(struct swmsi_ctx *ctx, struct swmsi_ioas *ioas, uint32_t flags,
			      struct swmsi_hwpt_paging **pagingp);
int swmsi__hwpt_translate(struct swmsi_ctx *ctx, struct swmsi_hwpt *hwpt, uint64_t iova,
			  uint64_t *paddr);
/* Map table entry @map's page into @paging's domain unless present; the
 * caller counts the install when its call commits. */
int swmsi__hwpt_install_msi(struct swmsi_ctx *ctx, struct swmsi_hwpt_paging *paging,
			    struct swmsi_msi_map *map);
/* Unmap it; false (and still present) when the backend unmapped short.
 * Counts nothing but a short unmap: a rollback never happened. */
bool swmsi__hwpt_uninstall_msi(struct swmsi_ctx *ctx, struct swmsi_hwpt_paging *paging,
			       struct swmsi_msi_map *map);
/* Under RECLAIM_UNUSED, drop @id from @paging if no group there needs it. */
void swmsi__hwpt_reclaim_id(struct swmsi_ctx *ctx, struct swmsi_hwpt_paging *paging, uint32_t id);

/* device.c */
/* The window a group's vectors use (set as its devices attach). */
static inline bool swmsi__group_window(const struct swmsi_ctx *ctx, const struct swmsi_group *group,
				       uint64_t *start, uint64_t *size)
{
	swmsi__assert_locked(ctx);
	if (group->use_start == SWMSI_PHYS_NONE)
		return false;
	*start = group->use_start;
	*size = group->use_size;
	return true;
}

/* msi.c */
void swmsi__vector_release(struct swmsi_ctx *ctx, struct swmsi_device *dev, uint32_t vec);

#endif /* SWMSI_OBJECTS_H */
