/* SPDX-License-Identifier: MIT */
/*
 * The change records of a step: from the mock's journal of the step and
 * from the state before and after it (the MSI table, guests' stage 1,
 * groups' moves), in the order the library works in.
 */
#ifndef SWMSI_SIM_CHANGES_H
#define SWMSI_SIM_CHANGES_H

#include "record.h"

struct sim_changes {
	struct sim_change *v;
	size_t n, cap;
	bool oom;
	/* The step's command: names a domain whose HWPT never came to be (a
	 * failed 'hwpt', or an attach's automatic HWPT) after it. */
	const struct scn_cmd *c;
};

/*
 * Records into @out (emptied first) what the step did: the journal's
 * installs (@j, @nj), new table entries, stage-1 and group changes (only
 * when @both snapshots @a and @b are valid), then the journal's removals
 * and the freed table entries.
 */
void sim_changes_build(const struct sim *s, const struct mock_iommu_journal_entry *j, size_t nj,
		       const struct snapshot *a, const struct snapshot *b, bool both,
		       struct sim_changes *out);

/* The label of the domain with serial @serial, in the step of command @c
 * (which names a domain whose HWPT never came to be). */
const char *sim_journal_label(const struct sim *s, const struct scn_cmd *c, unsigned int serial,
			      char *buf, size_t len);

/* Where the group move sits among a step's @n journal entries @j: the
 * installs before it, the reclaim from it on. */
size_t sim_journal_move_point(const struct mock_iommu_journal_entry *j, size_t n);

/* The HWPT group @group sits on in @sn (0: none); *@exists: the group has
 * a device in @sn. */
uint32_t sim_group_hwpt(const struct snapshot *sn, uint32_t group, bool *exists);

#endif /* SWMSI_SIM_CHANGES_H */
