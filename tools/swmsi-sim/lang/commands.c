/* SPDX-License-Identifier: MIT */
/*
 * The command table (see commands.h). Each argument names the field of
 * union scn_args it fills, so that a run function (engine/op_table.c)
 * reads c->a.map.length, never a position.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "parse.h"

#define ARG(kind, what, field)                              \
	{                                                   \
		kind, what, offsetof(union scn_args, field) \
	}
#define NAME_ARGS(field) ARG(A_DEV, "DEV", field.dev), ARG(A_VEC, "VEC", field.vec)

const struct cmd_def cmd_table[] = {
	{ "window",
	  SCN_WINDOW,
	  { ARG(A_NUM, "START", range.start), ARG(A_NUM, "SIZE", range.size) },
	  .fn = "swmsi_ctx_set_sw_msi_window",
	  .whole = true },
	/* The same word with a name first: a name never starts with a digit. */
	{ "window",
	  SCN_DEV_WINDOW,
	  { ARG(A_OBJ, "DEV", devwin.dev), ARG(A_NUM, "START", devwin.start),
	    ARG(A_NUM, "SIZE", devwin.size) },
	  .fn = "swmsi_device_set_sw_msi_window" },
	{ "doorbell",
	  SCN_DOORBELL,
	  { ARG(A_NUM, "PADDR", range.start), ARG(A_NUM, "SIZE", range.size) },
	  .fn = "swmsi_doorbell_register" },
	{ "ioas", SCN_IOAS, { ARG(A_NEW_IOAS, "NAME", decl.name) }, .fn = "swmsi_ioas_alloc" },
	{ "map",
	  SCN_MAP,
	  { ARG(A_OBJ, "IOAS", map.obj), ARG(A_NUM, "IOVA", map.iova),
	    ARG(A_NUM, "PADDR", map.paddr), ARG(A_NUM, "LENGTH", map.length),
	    ARG(A_PROT_RWM, "[r][w][m]", map.prot) },
	  .fn = "swmsi_ioas_map" },
	/* The same word with a name second: an area at an allocated (or given)
	 * IOVA over memory the simulator maps, named for later lines. */
	{ "map",
	  SCN_MAP_USER,
	  { ARG(A_OBJ, "IOAS", area.ioas),
	    ARG(A_REST, "NAME LENGTH [at IOVA] [va=ADDR] [r][w]", area) },
	  .parse = parse_map_user,
	  .fn = "swmsi_ioas_map_user" },
	{ "unmap",
	  SCN_UNMAP,
	  { ARG(A_OBJ, "IOAS", map.obj), ARG(A_NUM, "IOVA", map.iova),
	    ARG(A_NUM, "LENGTH", map.length) },
	  .fn = "swmsi_ioas_unmap" },
	{ "unmap",
	  SCN_UNMAP_AREA,
	  { ARG(A_OBJ, "IOAS", area.ioas), ARG(A_REST, "NAME|all", area) },
	  .parse = parse_unmap_area,
	  .fn = "swmsi_ioas_unmap_range" },
	{ "copy",
	  SCN_COPY,
	  { ARG(A_OBJ, "SRC", area.ioas),
	    ARG(A_REST, "IOVA|NAME LENGTH DST [at IOVA] [as NAME] [r][w]", area) },
	  .parse = parse_copy,
	  .fn = "swmsi_ioas_copy" },
	{ "allow",
	  SCN_ALLOW,
	  { ARG(A_OBJ, "IOAS", ranges.ioas),
	    ARG(A_REST, "START-LAST[,START-LAST...]|none", ranges) },
	  .parse = parse_allow,
	  .fn = "swmsi_ioas_allow_iovas" },
	{ "reserve",
	  SCN_RESERVE,
	  { ARG(A_OBJ, "IOAS", ioasopt.ioas), ARG(A_NUM, "START", ioasopt.start),
	    ARG(A_NUM, "SIZE", ioasopt.size) },
	  .fn = "swmsi_ioas_add_reserved" },
	{ "huge_pages",
	  SCN_HUGE_PAGES,
	  { ARG(A_OBJ, "IOAS", ioasopt.ioas), ARG(A_REST, "on|off", ioasopt) },
	  .parse = parse_on_off,
	  .fn = "swmsi_ioas_set_huge_pages" },
	{ "hwpt",
	  SCN_HWPT,
	  { ARG(A_NEW_HWPT, "NAME", decl.name), ARG(A_OBJ, "IOAS", decl.parent),
	    ARG(A_NEST_FLAG, "[nest_parent]", decl.flags) },
	  .fn = "swmsi_hwpt_alloc" },
	{ "nested",
	  SCN_NESTED,
	  { ARG(A_NEW_NESTED, "NAME", decl.name), ARG(A_OBJ, "PARENT", decl.parent) },
	  .fn = "swmsi_hwpt_alloc_nested" },
	{ "s1map",
	  SCN_S1MAP,
	  { ARG(A_OBJ, "NESTED", map.obj), ARG(A_NUM, "IOVA", map.iova),
	    ARG(A_NUM, "IPA", map.paddr), ARG(A_NUM, "LENGTH", map.length),
	    ARG(A_PROT_RW, "[r][w]", map.prot) },
	  .fn = "swmsi_hwpt_nested_map",
	  .whole = true },
	{ "device",
	  SCN_DEVICE,
	  { ARG(A_NEW_DEVICE, "NAME", device.name),
	    ARG(A_REST, "group=N [window=START:SIZE] [resv=TYPE@START:SIZE[,TYPE@START:SIZE...]]",
		device) },
	  .parse = parse_device_attrs,
	  .fn = "swmsi_device_bind" },
	{ "attach",
	  SCN_ATTACH,
	  { ARG(A_OBJ, "DEV", obj.obj), ARG(A_OBJ, "PT", obj.pt) },
	  .fn = "swmsi_device_attach" },
	{ "replace",
	  SCN_REPLACE,
	  { ARG(A_OBJ, "DEV", obj.obj), ARG(A_OBJ, "PT", obj.pt) },
	  .fn = "swmsi_device_replace" },
	{ "detach", SCN_DETACH, { ARG(A_OBJ, "DEV", obj.obj) }, .fn = "swmsi_device_detach" },
	{ "unbind", SCN_UNBIND, { ARG(A_OBJ, "DEV", obj.obj) }, .fn = "swmsi_device_unbind" },
	{ "destroy", SCN_DESTROY, { ARG(A_OBJ, "NAME", obj.obj) }, .fn = "swmsi_destroy" },
	{ "msi",
	  SCN_MSI,
	  { ARG(A_OBJ, "DEV", vec.dev), ARG(A_VEC_NEW, "VEC", vec.vec),
	    ARG(A_NUM, "MSI_ADDR", vec.addr) },
	  .fn = "swmsi_msi_alloc" },
	{ "free",
	  SCN_FREE,
	  { ARG(A_OBJ, "DEV", vec.dev), ARG(A_VEC, "VEC", vec.vec) },
	  .fn = "swmsi_msi_free" },
	{ "fire",
	  SCN_FIRE,
	  { ARG(A_OBJ, "DEV", vec.dev), ARG(A_VEC, "VEC", vec.vec) },
	  .fn = "swmsi_msi_fire" },
	{ "fail_map",
	  SCN_FAIL_MAP,
	  { ARG(A_U32, "NTH", fail.nth), ARG(A_ERRNO, "ERRNO", fail.err) },
	  .no_fail = true },
	{ "expect iova",
	  SCN_EXPECT_IOVA,
	  { NAME_ARGS(vec), ARG(A_NUM, "ADDR", vec.addr) },
	  .no_fail = true },
	/* The same words with an area's name alone: where its IOVA is. */
	{ "expect iova",
	  SCN_EXPECT_AREA_IOVA,
	  { ARG(A_AREA, "NAME", area.name), ARG(A_NUM, "IOVA", area.iova) },
	  .no_fail = true },
	{ "expect same",
	  SCN_EXPECT_SAME,
	  { NAME_ARGS(pair), ARG(A_DEV, "DEV", pair.dev2), ARG(A_VEC, "VEC", pair.vec2) },
	  .no_fail = true },
	{ "expect differ",
	  SCN_EXPECT_DIFFER,
	  { NAME_ARGS(pair), ARG(A_DEV, "DEV", pair.dev2), ARG(A_VEC, "VEC", pair.vec2) },
	  .no_fail = true },
	{ "expect same-page",
	  SCN_EXPECT_SAME_PAGE,
	  { NAME_ARGS(pair), ARG(A_DEV, "DEV", pair.dev2), ARG(A_VEC, "VEC", pair.vec2) },
	  .no_fail = true },
	{ "expect differ-page",
	  SCN_EXPECT_DIFFER_PAGE,
	  { NAME_ARGS(pair), ARG(A_DEV, "DEV", pair.dev2), ARG(A_VEC, "VEC", pair.vec2) },
	  .no_fail = true },
	{ "expect mapped",
	  SCN_EXPECT_MAPPED,
	  { ARG(A_PT, "HWPT", lookup.pt), ARG(A_NUM, "IOVA", lookup.iova),
	    ARG(A_NUM, "PADDR", lookup.paddr) },
	  .no_fail = true },
	{ "expect unmapped",
	  SCN_EXPECT_UNMAPPED,
	  { ARG(A_PT, "HWPT", lookup.pt), ARG(A_NUM, "IOVA", lookup.iova) },
	  .no_fail = true },
	{ "expect untranslated", SCN_EXPECT_UNTRANSLATED, { NAME_ARGS(vec) }, .no_fail = true },
	{ "expect fires",
	  SCN_EXPECT_FIRES,
	  { NAME_ARGS(vec), ARG(A_NUM, "PADDR", vec.addr) },
	  .no_fail = true },
	{ "expect ranges",
	  SCN_EXPECT_RANGES,
	  { ARG(A_IOAS, "IOAS", ranges.ioas), ARG(A_REST, "START-LAST[,START-LAST...]", ranges) },
	  .parse = parse_ranges,
	  .no_fail = true },
	{ "expect alignment",
	  SCN_EXPECT_ALIGNMENT,
	  { ARG(A_IOAS, "IOAS", ioasopt.ioas), ARG(A_NUM, "N", ioasopt.size) },
	  .no_fail = true },
};

const size_t cmd_count = sizeof(cmd_table) / sizeof(cmd_table[0]);

const struct cmd_def *cmd_of(enum scn_op op)
{
	size_t i;

	/* A few dozen entries: a scan costs less than a step's snapshot. */
	for (i = 0; i < cmd_count; i++)
		if (cmd_table[i].op == op)
			return &cmd_table[i];
	return NULL;
}

const struct cmd_def *cmd_find(const char *word, size_t len)
{
	size_t i;

	for (i = 0; i < cmd_count; i++)
		if (!strncmp(cmd_table[i].word, word, len) && !cmd_table[i].word[len])
			return &cmd_table[i];
	return NULL;
}

const char *cmd_usage(const struct cmd_def *def, char *buf, size_t len)
{
	size_t off;
	int i;

	off = (size_t)snprintf(buf, len, "%s", def->word);
	for (i = 0; i < CMD_MAX_ARGS && def->args[i].kind != A_END && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, " %s", def->args[i].what);
	return buf;
}
