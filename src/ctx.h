/* SPDX-License-Identifier: MIT */
/*
 * libswmsi internals, layer 3 of 5: the context (ctx.c, the iommufd file
 * descriptor): its fields, its lock, and its object table of struct
 * swmsi_obj, the base every object embeds. The object types themselves
 * are the next layer (objects.h); here they are only names.
 *
 * Locking: one mutex per context, ctx->lock, guards every field of the
 * context and of every object in it (the kernel's sw_msi_lock and the
 * object table's lock folded into one). Each public entry point takes it
 * once; helpers that touch shared state begin with swmsi__assert_locked()
 * and never lock. Backend ops run with it held, except iova_to_phys from
 * the lock-free readers (msi_fire, hwpt_iova_to_phys). No user callback
 * runs with it. Lock, assertion and getters are static inlines, so a
 * container never calls back into ctx.c.
 */
#ifndef SWMSI_CTX_H
#define SWMSI_CTX_H

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bsd/sys/queue.h>
#include <bsd/sys/tree.h>

#include <swmsi/swmsi.h>

#include "msi_table.h"
#include "swmsi_rcu.h"

/* ------------------------------------------------------------------ */
/* The object base                                                     */

/* The one private type enum. Its values are the public enum swmsi_obj_type's,
 * so introspection reports a type without a translation table. */
enum swmsi_type {
	SWMSI__TYPE_IOAS = SWMSI_OBJ_IOAS,
	SWMSI__TYPE_HWPT_PAGING = SWMSI_OBJ_HWPT_PAGING,
	SWMSI__TYPE_HWPT_NESTED = SWMSI_OBJ_HWPT_NESTED,
	SWMSI__TYPE_DEVICE = SWMSI_OBJ_DEVICE,
	SWMSI__TYPE_COUNT, /* one past the last: sizes the ops table */
};

#define SWMSI__TEARDOWN_PASSES 4

/* Embedded first in every object, like iommufd's struct iommufd_object. */
struct swmsi_obj {
	uint32_t id;
	enum swmsi_type type;
	/* References that block destroy (-EBUSY): see each users++ site. */
	unsigned int users;
	RB_ENTRY(swmsi_obj) node;
};

/* Per-type behaviour, as iommufd_object_ops: ctx.c dispatches through it. */
struct swmsi_obj_ops {
	/* Free the object and drop the references it holds on others; the
	 * object has no users. May destroy an automatic HWPT (a device). */
	void (*destroy)(struct swmsi_ctx *ctx, struct swmsi_obj *obj);
	/* swmsi_obj_destroy() takes it by id; a device goes only through
	 * swmsi_device_unbind() (-EINVAL) */
	bool destroy_by_id;
	/* swmsi_ctx_destroy() frees pass 0 first (the leaves: devices), then
	 * 1, ...: an object's pass is after every pass of its users */
	unsigned int teardown_pass;
	/* optional: bytes of id sets it holds, for swmsi_ctx_stats() */
	size_t (*set_bytes)(const struct swmsi_obj *obj);
};

RB_HEAD(swmsi__obj_tree, swmsi_obj);
/* RB_GENERATE_STATIC needs a __unused that libbsd leaves undefined, so the
 * trees are generated once, non-static, in the file that owns them. */
int swmsi__obj_cmp(const struct swmsi_obj *a, const struct swmsi_obj *b);
RB_PROTOTYPE(swmsi__obj_tree, swmsi_obj, node, swmsi__obj_cmp)

/* Groups are not objects, but the context holds their tree (objects.h). */
struct swmsi_group;
RB_HEAD(swmsi__group_tree, swmsi_group);

/* ------------------------------------------------------------------ */
/* The context                                                         */

/* One doorbell range of the allow-list (swmsi_doorbell_register()). */
struct swmsi_doorbell_region {
	uint64_t start;
	uint64_t size;
};

struct swmsi_scheme_ops;

struct swmsi_ctx {
	pthread_mutex_t lock;
#ifndef NDEBUG
	pthread_t owner; /* valid while owned */
	bool owned;
#endif
	const struct swmsi_iommu_ops *ops;
	void *priv;
	const struct swmsi_scheme_ops *scheme; /* chosen at creation, never changes */
	unsigned int page_shift;
	uint64_t page_size;
	uint32_t max_msi_maps;
	enum swmsi_reclaim reclaim;

	struct swmsi__obj_tree objs; /* in id order: walks */
	/* id -> object for lookups, O(1), readable without the lock */
	struct swmsi_rcu_index objix;
	/* the device swmsi__device_get() last found (a device's msi_alloc and
	 * msi_free come in runs): cleared before it leaves the index */
	struct swmsi_obj *obj_hot;
	/* grace periods of the lock-free readers (msi_fire, iova_to_phys):
	 * a writer waits one before freeing what they can reach */
	struct swmsi_rcu rcu;
	/* set by swmsi_ctx_destroy(): no other thread may use the context any
	 * more, so no reader can be inside and no grace period is waited */
	bool dying;
	uint32_t objs_count;
	uint32_t next_id; /* cyclic cursor, like xa_alloc_cyclic */

	struct swmsi__group_tree groups;
	/* the distinct windows of the groups above (group_window.c) */
	struct swmsi_census group_windows;

	/* IOMMU_OPTION_SW_MSI_START/SIZE: when set, every group uses this
	 * window instead of the one its devices report */
	bool win_override;
	uint64_t override_start;
	uint64_t override_size;
	/* bound devices with a window override of their own (device_resv.c):
	 * while 0, bind and the context's override need not look for them */
	uint32_t dev_overrides;

	struct swmsi_doorbell_region *doorbells;
	size_t ndoorbells;
	size_t doorbells_cap;

	struct swmsi_msi_table msi;

	/* counted once, when the call that mapped or unmapped commits */
	uint64_t msi_installs;
	uint64_t msi_uninstalls;
	uint64_t short_unmaps;
	/* the last swmsi_hwpt_paging.stamp handed out */
	uint64_t stamps;
	/* heap allocations through the hook, ever (swmsi_ctx_stats) */
	uint64_t allocs;
	/* swmsi_ctx_fail_alloc(): allocations to go before one fails; 0 = off */
	unsigned int fail_alloc_nth;
};

/* ------------------------------------------------------------------ */
/* The lock: entry points take it, helpers assert it                    */

static inline void swmsi__assert_locked(const struct swmsi_ctx *ctx)
{
#ifndef NDEBUG
	/* only the holder may read these without racing: a helper reached
	 * without the lock is the bug this catches */
	assert(ctx->owned && pthread_equal(ctx->owner, pthread_self()));
#else
	(void)ctx;
#endif
}

/* Wait until no lock-free reader (msi_fire, iova_to_phys) can still hold
 * what the caller unpublished: then it may be freed or unmapped. */
static inline void swmsi__grace_period(struct swmsi_ctx *ctx)
{
	swmsi__assert_locked(ctx);
	if (!ctx->dying)
		swmsi_rcu_synchronize(&ctx->rcu);
}

static inline void swmsi__lock(struct swmsi_ctx *ctx)
{
	pthread_mutex_lock(&ctx->lock);
#ifndef NDEBUG
	ctx->owner = pthread_self();
	ctx->owned = true;
#endif
}

static inline void swmsi__unlock(struct swmsi_ctx *ctx)
{
	swmsi__assert_locked(ctx);
#ifndef NDEBUG
	ctx->owned = false;
#endif
	pthread_mutex_unlock(&ctx->lock);
}

static inline bool swmsi__page_aligned(const struct swmsi_ctx *ctx, uint64_t v)
{
	return (v & (ctx->page_size - 1)) == 0;
}

/* The doorbell allow-list: true when no region is registered. */
bool swmsi__doorbell_listed(struct swmsi_ctx *ctx, uint64_t addr);
static inline bool swmsi__doorbell_allowed(struct swmsi_ctx *ctx, uint64_t addr)
{
	/* with no region registered the caller vouches for the address */
	return !ctx->ndoorbells || swmsi__doorbell_listed(ctx, addr);
}

/* ------------------------------------------------------------------ */
/* The object table                                                    */

/* Two-phase create, as iommufd_object_alloc()/_finalize(): reserve an id
 * (no object visible yet), build, then publish once nothing can fail. */
int swmsi__obj_reserve_id(struct swmsi_ctx *ctx, uint32_t *id);
void swmsi__obj_publish(struct swmsi_ctx *ctx, struct swmsi_obj *obj, uint32_t id,
			enum swmsi_type type);
void swmsi__obj_remove(struct swmsi_ctx *ctx, struct swmsi_obj *obj);
/* Destroy an object published by the failing call and give its id back, as
 * iommufd_object_abort_and_destroy(): the call changes nothing. */
void swmsi__obj_abort(struct swmsi_ctx *ctx, struct swmsi_obj *obj);
/* Destroy through the type's ops (the object has no users). */
void swmsi__obj_destroy(struct swmsi_ctx *ctx, struct swmsi_obj *obj);
static inline uint64_t swmsi__obj_key(const void *p)
{
	return ((const struct swmsi_obj *)p)->id;
}

/* Any object by id, or NULL: O(1) expected, inline for the hot paths. */
static inline struct swmsi_obj *swmsi__obj_find(struct swmsi_ctx *ctx, uint32_t id)
{
	swmsi__assert_locked(ctx);
	return swmsi_rcu_index_find(&ctx->objix, id, swmsi__obj_key);
}

/* The same without the lock, inside a read section of ctx->rcu: the object
 * stays allocated until the section ends (it may be on its way out). */
static inline struct swmsi_obj *swmsi__obj_find_rcu(struct swmsi_ctx *ctx, uint32_t id)
{
	return swmsi_rcu_index_find(&ctx->objix, id, swmsi__obj_key);
}
/* In-order walk of the object table (ids ascending). */
struct swmsi_obj *swmsi__obj_first(struct swmsi_ctx *ctx);
struct swmsi_obj *swmsi__obj_next(struct swmsi_ctx *ctx, struct swmsi_obj *obj);

/* Id lookup for the call that wants one kind: -ENOENT for no object or
 * another kind (iommufd_get_object()). */
static inline int swmsi__obj_get(struct swmsi_ctx *ctx, uint32_t id, enum swmsi_type type,
				 struct swmsi_obj **objp)
{
	struct swmsi_obj *obj = swmsi__obj_find(ctx, id);

	if (!obj || obj->type != type)
		return -ENOENT;
	*objp = obj;
	return 0;
}

#endif /* SWMSI_CTX_H */
