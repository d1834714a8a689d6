/* SPDX-License-Identifier: MIT */
/*
 * One snapshot of everything a context and its mock IOMMU show, for the
 * test suites (tests/common/snapshot.c wraps it in cmocka assertions) and
 * for swmsi-sim (its change records and invariants read it). Built only on
 * the public introspection API and the mock's public inspection API: it
 * sees the library from outside, as a VMM would.
 *
 * What it holds:
 *  - every live object (id and kind), found with swmsi_obj_list();
 *  - every IOAS's user mappings and reserved windows;
 *  - every HWPT's info, its present MSI map ids, its mock domain serial, a
 *    nested HWPT's stage 1, a paging HWPT's dma-iommu cookie and pages;
 *  - every device's info and vectors, and where each vector's write lands
 *    now (swmsi_msi_fire()'s result and address);
 *  - every paging domain's contents, range by range, ordered by serial;
 *  - the MSI table, the context's counters, the mock's domain and mapped
 *    page counts.
 * Nothing here asserts: every function returns an error instead.
 */
#ifndef SWMSI_TOOLS_SNAPSHOT_H
#define SWMSI_TOOLS_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <swmsi/swmsi.h>
#include <swmsi/mock_iommu.h>

struct snapshot_ioas {
	uint32_t id;
	struct swmsi_mapping *maps; /* user DMA mappings */
	size_t nmaps;
	struct swmsi_mapping *resv; /* SW_MSI windows reserved now */
	size_t nresv;
};

struct snapshot_hwpt {
	uint32_t id;
	struct swmsi_hwpt_info info;
	unsigned int serial; /* the mock's domain serial, 0: none */
	uint32_t *present;   /* MSI map ids present in its domain */
	size_t npresent;
	struct swmsi_mapping *s1; /* nested: the guest's stage 1, iova -> ipa */
	size_t ns1;
	struct swmsi_msi_cookie_info cookie; /* paging, DMA_IOMMU: its cookie */
	struct swmsi_msi_cookie_page *cookie_pages;
	size_t ncookie_pages;
};

/* Where a vector's write lands: swmsi_msi_fire()'s answer. */
struct snapshot_fire {
	int rc;
	uint64_t paddr; /* 0 unless rc is 0 */
};

struct snapshot_dev {
	uint32_t id;
	struct swmsi_device_info info;
	struct swmsi_vector_info *vecs; /* lowest handle first */
	struct snapshot_fire *fire;	/* one per vector */
	size_t nvecs;
};

struct snapshot_dom {
	unsigned int serial;
	const void *domain;
	struct mock_iommu_range *ranges;
	size_t nranges;
};

struct snapshot {
	bool valid;		     /* taken completely */
	bool partial;		     /* of some objects only (snapshot_take_ids()) */
	bool scoped;		     /* and of the lists, what snapshot_take_scoped() kept */
	struct swmsi_obj_info *objs; /* ascending id */
	size_t nobjs;
	struct snapshot_ioas *ioas; /* each list ascending id */
	size_t nioas;
	struct snapshot_hwpt *hwpts;
	size_t nhwpts;
	struct snapshot_dev *devs;
	size_t ndevs;
	struct swmsi_msi_map_info *maps; /* lowest id first */
	size_t nmaps;
	size_t table_size;	   /* entries in the table (a scoped snapshot keeps nmaps) */
	struct snapshot_dom *doms; /* one per paging domain, by serial */
	size_t ndoms;
	uint64_t *pages; /* scoped: doorbell pages whose every entry it holds, ascending */
	size_t npages;
	struct swmsi_ctx_stats stats;
	size_t mock_domains;
	uint64_t mock_pages;
};

/*
 * Copies what @ctx and @mock show into @sn (overwritten, not freed first).
 * Returns 0; -EINVAL (NULL argument); -ENOMEM; or the error of the
 * introspection call that failed. On error @sn is empty (freed).
 */
int snapshot_take(struct swmsi_ctx *ctx, struct mock_iommu *mock, struct snapshot *sn);
/* snapshot_take_ids() flags. */
enum snapshot_take_flags {
	/* The context's counters and the mock's domain and page counts too:
	 * swmsi_ctx_stats() and mock_iommu_mapped_pages() walk every object
	 * and domain, so a caller that does not compare them leaves them 0. */
	SNAPSHOT_COUNTERS = 1u << 0,
	/* The paging domains without their ranges: mock_iommu_ranges()
	 * walks every page, and snapshot_take_scoped() looks up only the
	 * pages it keeps. */
	SNAPSHOT_NO_RANGES = 1u << 1,
};

/*
 * As snapshot_take(), of the objects among @ids (@n of them; reordered,
 * duplicates, 0 and ids that name nothing are skipped) only: their
 * contents, the domains of its paging HWPTs, the whole MSI table, and
 * with SNAPSHOT_COUNTERS in @flags the counters. What a step touched,
 * taken in what the step costs rather than in what the context holds.
 * Two such snapshots compare with snapshot_diff() when they were taken
 * with the same flags. Same returns.
 */
int snapshot_take_ids(struct swmsi_ctx *ctx, struct mock_iommu *mock, uint32_t *ids, size_t n,
		      unsigned int flags, struct snapshot *sn);
/* An IOVA range a scoped snapshot keeps. */
struct snapshot_iova {
	uint64_t iova, size;
};

/* What snapshot_take_scoped() keeps besides what its objects use. */
struct snapshot_scope {
	const uint32_t *map_ids; /* MSI map entries, in any order */
	size_t nmap_ids;
	const struct snapshot_iova *iovas; /* entries and domain ranges there */
	size_t niovas;
	const uint64_t *pages; /* doorbell pages (page aligned): their entries */
	size_t npages;
	size_t hint; /* unused: a scoped snapshot reads the table by key now
			(snapshot_take_ids() reads its lists whole, counted) */
};

/*
 * As snapshot_take_ids(), but of the context-wide lists only what a step
 * can have touched: the MSI table's entries that the snapshot's devices'
 * vectors use, that @sc names, whose doorbell page is one of @sc's or of
 * a vector of the snapshot's devices (those pages go to sn->pages), or
 * whose IOVA lies in one of @sc's IOVA ranges, with every entry sharing
 * such an entry's page or slot in its window; each HWPT's present ids among those entries; each domain's
 * ranges that meet a kept entry's page or one of @sc's ranges. Two scoped
 * snapshots compare with snapshot_diff() when taken with the same scope.
 * Each entry is read by its key (swmsi_msi_map_get(), _find(), _slots(),
 * swmsi_hwpt_present_map_has()), never the whole table: what the snapshot holds,
 * and what taking it costs, is what the step touched. table_size is the
 * table's size all the same (swmsi_msi_map_window_list()' entry counts).
 * NULL @sc: snapshot_take_ids(). Same returns.
 */
int snapshot_take_scoped(struct swmsi_ctx *ctx, struct mock_iommu *mock, uint32_t *ids, size_t n,
			 unsigned int flags, const struct snapshot_scope *sc, struct snapshot *sn);
/* Frees what @sn holds and empties it; an empty or NULL one is fine. */
void snapshot_free(struct snapshot *sn);

/* Lookups by id (binary searches; by domain for snapshot_dom); NULL when absent. */
const struct snapshot_ioas *snapshot_ioas(const struct snapshot *sn, uint32_t id);
const struct snapshot_hwpt *snapshot_hwpt(const struct snapshot *sn, uint32_t id);
const struct snapshot_dev *snapshot_dev(const struct snapshot *sn, uint32_t id);
const struct snapshot_dom *snapshot_dom(const struct snapshot *sn, const void *domain);
const struct swmsi_msi_map_info *snapshot_map(const struct snapshot *sn, uint32_t id);
/* Does @sn hold entry @m (as another snapshot saw it) if the entry exists
 * in its state: a whole snapshot always, a scoped one for its id or page. */
bool snapshot_covers(const struct snapshot *sn, const struct swmsi_msi_map_info *m);
/* The paging HWPT whose domain @h uses: @h, or a nested one's parent. */
const struct snapshot_hwpt *snapshot_paging_of(const struct snapshot *sn,
					       const struct snapshot_hwpt *h);

/* How two snapshots must compare. */
enum snapshot_cmp {
	/* Nothing was done: every field, the lifetime counters and the
	 * bitmaps' capacity included. */
	SNAPSHOT_UNCHANGED,
	/* Something was done, then undone: the same, but the bitmaps'
	 * capacity may have grown (it is reserved ahead and kept). */
	SNAPSHOT_RESTORED,
};

/* The first difference snapshot_diff() found. */
struct snapshot_delta {
	const char *what; /* the field, "hwpt groups", "range iova", ... */
	uint32_t id;	  /* the object, map or domain serial it is about; 0: context */
	uint64_t before, after;
	bool went_back; /* a counter that may only grow went down */
};

/*
 * Compares @a (before) with @b (after) as @how says, field by field (never
 * padding bytes). Returns true, with @d filled, at the first difference;
 * false when they agree.
 */
bool snapshot_diff(const struct snapshot *a, const struct snapshot *b, enum snapshot_cmp how,
		   struct snapshot_delta *d);

#endif /* SWMSI_TOOLS_SNAPSHOT_H */
