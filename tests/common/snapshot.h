/* SPDX-License-Identifier: MIT */
/*
 * State snapshots. "A failed call changes nothing observable" is checked by
 * copying everything the public introspection API and the mock show before a
 * call and comparing it after:
 *  - every object (id and kind);
 *  - every HWPT's info (kind, IOAS, parent, flags, automatic, domain, groups,
 *    children) and the MSI map ids present in it;
 *  - every paging domain's contents, range by range (iova, paddr, size, prot);
 *  - every device's info and vectors (handle, doorbell, message address,
 *    translated, map id) and where each vector's write lands now (the fire
 *    result and address);
 *  - the MSI table, entry by entry (id, slot, window, page, IOVA, vectors);
 *  - the context's counters (objects, MSI maps, installs, uninstalls, bitmap
 *    bytes) and the mock's domain and mapped page counts.
 * A difference fails the test, naming the step, the field and the object.
 * These are cmocka-asserting wrappers of the module the simulator uses too
 * (tools/snapshot/swmsi_snapshot.h), which finds objects with
 * swmsi_obj_list() and returns errors instead of asserting.
 */
#ifndef SWMSI_TEST_SNAPSHOT_H
#define SWMSI_TEST_SNAPSHOT_H

#include "fixture.h"

struct snap;

/* Copies the whole observable state of @fx. Fails the test on error. */
struct snap *snap_take(struct fx *fx);
void snap_free(struct snap *s);

/*
 * Asserts that @fx shows now exactly what @before shows, every field above
 * including the lifetime counters and the bitmap bytes: the call in between
 * did nothing at all (it failed its checks before acting). Frees @before;
 * @label names the step in a failure message.
 */
void snap_expect_unchanged(struct fx *fx, struct snap *before, const char *label);

/*
 * As snap_expect_unchanged(), for a call that may have acted and then
 * undone it (a fault in the middle of an attach, say): every object, vector,
 * table entry, present id, domain and count must be as @before shows,
 * msi_installs and msi_uninstalls included (a rolled-back install never
 * happened), but bitmap_bytes may grow (the core grows bitmaps first and
 * keeps the capacity). Frees @before.
 */
void snap_expect_restored(struct fx *fx, struct snap *before, const char *label);

/*
 * Makes @s show IOAS @ioas_id with no reserved window: the state a test
 * expects after a call that drops them on purpose (a failed same-IOAS
 * replace under KERNEL and DMA_IOMMU, as upstream's error path).
 */
void snap_forget_reserved(struct snap *s, uint32_t ioas_id);

/*
 * msi_alloc of @msi_addr by @dev fails with @err, writes neither
 * out-parameter, journals no backend call (map, unmap, domain alloc or
 * free) and changes nothing observable.
 */
void fx_expect_msi_alloc_fails(struct fx *fx, uint32_t dev, uint64_t msi_addr, int err);

#endif
