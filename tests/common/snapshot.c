/* SPDX-License-Identifier: MIT */
/*
 * The tests' cmocka face of the shared snapshot module (tools/snapshot):
 * the same snapshot the simulator takes, asserted on.
 */
#include "snapshot.h"

#include <stdio.h>
#include <stdlib.h>

#include "swmsi_snapshot.h"

struct snap {
	struct snapshot s;
};

struct snap *snap_take(struct fx *fx)
{
	struct snap *s = calloc(1, sizeof(*s));
	int rc;

	assert_non_null(s);
	rc = snapshot_take(fx->ctx, fx->mock, &s->s);
	if (rc)
		fail_msg("snapshot failed: %s", swmsi_errname(rc));
	return s;
}

void snap_free(struct snap *s)
{
	if (!s)
		return;
	snapshot_free(&s->s);
	free(s);
}

static void snap_expect_now(struct fx *fx, struct snap *before, const char *label,
			    enum snapshot_cmp how)
{
	struct snap *after = snap_take(fx);
	struct snapshot_delta d;
	bool differ = snapshot_diff(&before->s, &after->s, how, &d);

	snap_free(after);
	snap_free(before);
	if (!differ)
		return;
	if (d.went_back)
		fail_msg("%s: %s went back: 0x%llx before, 0x%llx after", label, d.what,
			 (unsigned long long)d.before, (unsigned long long)d.after);
	fail_msg("%s: state changed: %s (id %u): 0x%llx before, 0x%llx after", label, d.what,
		 (unsigned int)d.id, (unsigned long long)d.before, (unsigned long long)d.after);
}

void snap_expect_unchanged(struct fx *fx, struct snap *before, const char *label)
{
	snap_expect_now(fx, before, label, SNAPSHOT_UNCHANGED);
}

void snap_expect_restored(struct fx *fx, struct snap *before, const char *label)
{
	snap_expect_now(fx, before, label, SNAPSHOT_RESTORED);
}

void snap_forget_reserved(struct snap *s, uint32_t ioas_id)
{
	size_t i;

	for (i = 0; i < s->s.nioas; i++)
		if (s->s.ioas[i].id == ioas_id)
			s->s.ioas[i].nresv = 0; /* the array is still freed with it */
}

void fx_expect_msi_alloc_fails(struct fx *fx, uint32_t dev, uint64_t msi_addr, int err)
{
	struct snap *before = snap_take(fx);
	uint32_t vec = 0xabcd;
	uint64_t msg = 0xabcd;
	char label[96];

	snprintf(label, sizeof(label), "msi_alloc(dev %u, 0x%llx) failing %s", (unsigned int)dev,
		 (unsigned long long)msi_addr, swmsi_errname(err));
	mock_iommu_journal_clear(fx->mock);
	assert_int_equal(swmsi_msi_alloc(fx->ctx, dev, msi_addr, &vec, &msg), err);
	assert_int_equal(vec, 0xabcd);
	assert_int_equal(msg, 0xabcd);
	assert_int_equal(mock_iommu_journal_len(fx->mock), 0);
	snap_expect_unchanged(fx, before, label);
}
