/* SPDX-License-Identifier: MIT */
/*
 * What each command of the language does: its run function, indexed by
 * enum scn_op. The command table (lang/commands.c) says how a command is
 * written; this table, above it, says how it runs, as git's builtins sit
 * above its command table, so that the language layer never calls the
 * engine. The options (SCN_OPTION_*) are no commands: they set the run's
 * options before the first step and have no entry.
 */
#include <assert.h>
#include <stddef.h>

#include "commands.h"
#include "engine.h"

static const sim_run_fn op_run[SCN_OP_COUNT] = {
	[SCN_WINDOW] = exec_window,
	[SCN_DEV_WINDOW] = exec_dev_window,
	[SCN_DOORBELL] = exec_doorbell,
	[SCN_IOAS] = exec_ioas,
	[SCN_MAP] = exec_map,
	[SCN_UNMAP] = exec_unmap,
	[SCN_HWPT] = exec_hwpt,
	[SCN_NESTED] = exec_nested,
	[SCN_S1MAP] = exec_s1map,
	[SCN_DEVICE] = exec_device,
	[SCN_ATTACH] = exec_attach,
	[SCN_REPLACE] = exec_replace,
	[SCN_DETACH] = exec_detach,
	[SCN_UNBIND] = exec_unbind,
	[SCN_DESTROY] = exec_destroy,
	[SCN_MSI] = exec_msi,
	[SCN_FREE] = exec_free,
	[SCN_FIRE] = exec_fire,
	[SCN_FAIL_MAP] = exec_fail_map,
	[SCN_EXPECT_IOVA] = expect_iova,
	[SCN_EXPECT_SAME] = expect_pair,
	[SCN_EXPECT_DIFFER] = expect_pair,
	[SCN_EXPECT_SAME_PAGE] = expect_pair,
	[SCN_EXPECT_DIFFER_PAGE] = expect_pair,
	[SCN_EXPECT_MAPPED] = expect_lookup,
	[SCN_EXPECT_UNMAPPED] = expect_lookup,
	[SCN_EXPECT_UNTRANSLATED] = expect_untranslated,
	[SCN_EXPECT_FIRES] = expect_fires,
	[SCN_EXPECT_RANGES] = expect_ranges,
	[SCN_MAP_USER] = exec_map_user,
	[SCN_UNMAP_AREA] = exec_unmap_area,
	[SCN_COPY] = exec_copy,
	[SCN_ALLOW] = exec_allow,
	[SCN_RESERVE] = exec_reserve,
	[SCN_HUGE_PAGES] = exec_huge_pages,
	[SCN_EXPECT_AREA_IOVA] = expect_area_iova,
	[SCN_EXPECT_ALIGNMENT] = expect_alignment,
};
/* The options come first, the commands after them: a new op is a command
 * and needs its entry above (test_sim_units checks each one has it). */
static_assert(SCN_OPTION_STRICT + 1 == SCN_WINDOW, "the options precede the commands");
static_assert(SCN_EXPECT_ALIGNMENT + 1 == SCN_OP_COUNT, "a new op needs its run function");

sim_run_fn sim_op_run(enum scn_op op)
{
	return (unsigned int)op < SCN_OP_COUNT ? op_run[op] : NULL;
}

int sim_step_run(struct sim *s, struct sim_step *st)
{
	return sim_op_run(st->c->op)(s, st);
}
