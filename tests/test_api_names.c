/* SPDX-License-Identifier: MIT */
/*
 * The public API's uniform surface: every list function has one shape
 * (swmsi_<owner>_<items>_list: up to cap copied lowest first, *count the
 * total, items NULL with cap 0), attach and replace report the HWPT they
 * attached as iommufd does in pt_id, the name helpers agree on unknown
 * values, and one version number reaches the headers and the library.
 */
#include "fixture.h"

#include <stdio.h>
#include <string.h>

#include <swmsi/testing.h>

#define RW	   (SWMSI_PROT_READ | SWMSI_PROT_WRITE)
#define DB0	   (FX_ITS_PAGE + 0x40)
#define DB1	   (FX_ITS_PAGE + 0x10000 + 0x40)
#define WIN2_START (FX_WINDOW_START + 0x200000ull)
#define NO_SUCH_ID 0xfffffu
#define UNTOUCHED  0x5au
#define MAX_ITEMS  16

/* ------------------------------------------------------------------------ */
/* One shape for every list function */

/* Owner ids of the populated context the listers read. */
struct owners {
	uint32_t ioas, hwpt, nested, dev;
};

struct lister {
	const char *name;
	size_t size; /* bytes per item */
	bool owned;  /* takes an owner id after ctx */
	int (*list)(struct swmsi_ctx *ctx, const struct owners *o, uint32_t owner, void *items,
		    size_t cap, size_t *count);
	uint64_t (*key)(const void *items, size_t i); /* the ascending order */
	uint32_t (*owner)(const struct owners *o);
};

static int l_obj(struct swmsi_ctx *ctx, const struct owners *o, uint32_t owner, void *items,
		 size_t cap, size_t *count)
{
	(void)o;
	(void)owner;
	return swmsi_obj_list(ctx, items, cap, count);
}

static int l_msi_map(struct swmsi_ctx *ctx, const struct owners *o, uint32_t owner, void *items,
		     size_t cap, size_t *count)
{
	(void)o;
	(void)owner;
	return swmsi_msi_map_list(ctx, items, cap, count);
}

static int l_ioas_mapping(struct swmsi_ctx *ctx, const struct owners *o, uint32_t owner,
			  void *items, size_t cap, size_t *count)
{
	(void)o;
	return swmsi_ioas_mapping_list(ctx, owner, items, cap, count);
}

static int l_ioas_window(struct swmsi_ctx *ctx, const struct owners *o, uint32_t owner, void *items,
			 size_t cap, size_t *count)
{
	(void)o;
	return swmsi_ioas_window_list(ctx, owner, items, cap, count);
}

static int l_ioas_area(struct swmsi_ctx *ctx, const struct owners *o, uint32_t owner, void *items,
		       size_t cap, size_t *count)
{
	(void)o;
	return swmsi_ioas_area_list(ctx, owner, items, cap, count);
}

static int l_ioas_allowed(struct swmsi_ctx *ctx, const struct owners *o, uint32_t owner,
			  void *items, size_t cap, size_t *count)
{
	(void)o;
	return swmsi_ioas_allowed_list(ctx, owner, items, cap, count);
}

static int l_hwpt_present(struct swmsi_ctx *ctx, const struct owners *o, uint32_t owner,
			  void *items, size_t cap, size_t *count)
{
	(void)o;
	return swmsi_hwpt_present_map_list(ctx, owner, items, cap, count);
}

static int l_nested_mapping(struct swmsi_ctx *ctx, const struct owners *o, uint32_t owner,
			    void *items, size_t cap, size_t *count)
{
	(void)o;
	return swmsi_hwpt_nested_mapping_list(ctx, owner, items, cap, count);
}

static int l_dev_vector(struct swmsi_ctx *ctx, const struct owners *o, uint32_t owner, void *items,
			size_t cap, size_t *count)
{
	(void)o;
	return swmsi_device_vector_list(ctx, owner, items, cap, count);
}

static int l_dev_required(struct swmsi_ctx *ctx, const struct owners *o, uint32_t owner,
			  void *items, size_t cap, size_t *count)
{
	(void)o;
	return swmsi_device_required_map_list(ctx, owner, items, cap, count);
}

static uint64_t k_obj(const void *items, size_t i)
{
	return ((const struct swmsi_obj_info *)items)[i].id;
}

static uint64_t k_msi_map(const void *items, size_t i)
{
	return ((const struct swmsi_msi_map_info *)items)[i].id;
}

static uint64_t k_mapping(const void *items, size_t i)
{
	return ((const struct swmsi_mapping *)items)[i].iova;
}

static uint64_t k_area(const void *items, size_t i)
{
	return ((const struct swmsi_area_info *)items)[i].iova;
}

static uint64_t k_range(const void *items, size_t i)
{
	return ((const struct swmsi_iova_range *)items)[i].start;
}

static uint64_t k_id(const void *items, size_t i)
{
	return ((const uint32_t *)items)[i];
}

static uint64_t k_vector(const void *items, size_t i)
{
	return ((const struct swmsi_vector_info *)items)[i].vec;
}

static uint32_t o_none(const struct owners *o)
{
	(void)o;
	return 0;
}

static uint32_t o_ioas(const struct owners *o)
{
	return o->ioas;
}

static uint32_t o_hwpt(const struct owners *o)
{
	return o->hwpt;
}

static uint32_t o_nested(const struct owners *o)
{
	return o->nested;
}

static uint32_t o_dev(const struct owners *o)
{
	return o->dev;
}

static const struct lister listers[] = {
	{ "swmsi_obj_list", sizeof(struct swmsi_obj_info), false, l_obj, k_obj, o_none },
	{ "swmsi_msi_map_list", sizeof(struct swmsi_msi_map_info), false, l_msi_map, k_msi_map,
	  o_none },
	{ "swmsi_ioas_mapping_list", sizeof(struct swmsi_mapping), true, l_ioas_mapping, k_mapping,
	  o_ioas },
	{ "swmsi_ioas_window_list", sizeof(struct swmsi_mapping), true, l_ioas_window, k_mapping,
	  o_ioas },
	{ "swmsi_ioas_area_list", sizeof(struct swmsi_area_info), true, l_ioas_area, k_area,
	  o_ioas },
	{ "swmsi_ioas_allowed_list", sizeof(struct swmsi_iova_range), true, l_ioas_allowed, k_range,
	  o_ioas },
	{ "swmsi_hwpt_present_map_list", sizeof(uint32_t), true, l_hwpt_present, k_id, o_hwpt },
	{ "swmsi_hwpt_nested_mapping_list", sizeof(struct swmsi_mapping), true, l_nested_mapping,
	  k_mapping, o_nested },
	{ "swmsi_device_vector_list", sizeof(struct swmsi_vector_info), true, l_dev_vector,
	  k_vector, o_dev },
	{ "swmsi_device_required_map_list", sizeof(uint32_t), true, l_dev_required, k_id, o_dev },
};

/*
 * A context where every list has at least two items: two mappings and two
 * allowed ranges on the IOAS, two groups with distinct windows on one HWPT,
 * two doorbell pages in use by one device, a nested HWPT with two stage-1
 * mappings.
 */
static struct owners populate(struct fx *fx)
{
	struct owners o = { .ioas = fx_ioas(fx) };
	/* given out of order: listed lowest first */
	const struct swmsi_iova_range allowed[] = { { 0x70000000, 0x7fffffff },
						    { 0x50000000, 0x5fffffff } };
	uint32_t parent, dev2;

	assert_int_equal(swmsi_ioas_allow_iovas(fx->ctx, o.ioas, allowed, 2), 0);

	assert_int_equal(swmsi_ioas_map(fx->ctx, o.ioas, 0x10000000, 0x10000000, 0x1000, RW), 0);
	assert_int_equal(swmsi_ioas_map(fx->ctx, o.ioas, 0x20000000, 0x20000000, 0x2000, RW), 0);
	o.hwpt = fx_hwpt(fx, o.ioas, 0);
	parent = fx_hwpt(fx, o.ioas, SWMSI_HWPT_NEST_PARENT);
	o.nested = fx_nested_rmr(fx, parent);
	assert_int_equal(
		swmsi_hwpt_nested_map(fx->ctx, o.nested, 0x40000000, 0x10000000, 0x1000, RW), 0);
	o.dev = fx_bind(fx, 1);
	dev2 = fx_bind_window(fx, 2, WIN2_START, FX_WINDOW_SIZE);
	assert_int_equal(swmsi_device_attach(fx->ctx, o.dev, o.hwpt), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev2, o.hwpt), 0);
	fx_msi_alloc(fx, o.dev, DB1, NULL);
	fx_msi_alloc(fx, o.dev, DB0, NULL);
	return o;
}

/* A failed call leaves *count and the items as they were. */
static void expect_list_fails(const struct lister *l, struct swmsi_ctx *ctx, const struct owners *o,
			      uint32_t owner, void *items, size_t cap, bool pass_count, int want)
{
	unsigned char before[MAX_ITEMS * sizeof(struct swmsi_msi_map_info)];
	size_t count = 12345;

	if (items)
		memcpy(before, items, cap * l->size);
	if (l->list(ctx, o, owner, items, cap, pass_count ? &count : NULL) != want)
		fail_msg("%s: want %s", l->name, swmsi_errno_name(want));
	assert_int_equal(count, 12345);
	if (items && memcmp(before, items, cap * l->size))
		fail_msg("%s: a failed call wrote items", l->name);
}

static void expect_one_shape(const struct lister *l, struct fx *fx, const struct owners *o)
{
	unsigned char all[MAX_ITEMS * sizeof(struct swmsi_msi_map_info)];
	unsigned char one[MAX_ITEMS * sizeof(struct swmsi_msi_map_info)];
	uint32_t owner = l->owner(o);
	size_t n = 0, count = 0, i;

	/* items NULL with cap 0: just the total */
	if (l->list(fx->ctx, o, owner, NULL, 0, &n) || n < 2 || n > MAX_ITEMS)
		fail_msg("%s: counting with NULL, 0 gave %zu", l->name, n);
	assert_int_equal(l->list(fx->ctx, o, owner, all, MAX_ITEMS, &count), 0);
	assert_int_equal(count, n);
	for (i = 1; i < n; i++) {
		if (l->key(all, i - 1) >= l->key(all, i))
			fail_msg("%s: item %zu not above item %zu", l->name, i, i - 1);
	}
	/* cap below the total: a prefix, the total still reported, nothing
	 * written past cap */
	memset(one, UNTOUCHED, sizeof(one));
	count = 0;
	assert_int_equal(l->list(fx->ctx, o, owner, one, 1, &count), 0);
	assert_int_equal(count, n);
	if (memcmp(one, all, l->size))
		fail_msg("%s: cap 1 did not copy the lowest item", l->name);
	for (i = l->size; i < 2 * l->size; i++) {
		if (one[i] != UNTOUCHED)
			fail_msg("%s: wrote past cap", l->name);
	}
	/* errors: -EINVAL for NULLs first, then the owner's -ENOENT */
	expect_list_fails(l, NULL, o, owner, one, 1, true, -EINVAL);
	expect_list_fails(l, fx->ctx, o, owner, one, 1, false, -EINVAL);
	expect_list_fails(l, fx->ctx, o, owner, NULL, 1, true, -EINVAL);
	if (l->owned) {
		expect_list_fails(l, fx->ctx, o, NO_SUCH_ID, one, 1, true, -ENOENT);
		expect_list_fails(l, fx->ctx, o, NO_SUCH_ID, NULL, 1, true, -EINVAL);
	}
}

static void every_list_function_copies_lowest_first_up_to_cap_and_counts_all(void **state)
{
	struct fx *fx = *state;
	struct owners o = populate(fx);
	size_t i;

	for (i = 0; i < sizeof(listers) / sizeof(listers[0]); i++)
		expect_one_shape(&listers[i], fx, &o);
}

/* An owner id of another kind is -ENOENT, as an unknown one. */
static void list_functions_answer_enoent_for_an_owner_of_another_kind(void **state)
{
	struct fx *fx = *state;
	struct owners o = populate(fx);
	struct swmsi_mapping m[2];
	struct swmsi_vector_info v[2];
	struct swmsi_area_info a[2];
	struct swmsi_iova_range r[2];
	uint32_t ids[2];
	size_t n = 7;

	assert_int_equal(swmsi_ioas_mapping_list(fx->ctx, o.hwpt, m, 2, &n), -ENOENT);
	assert_int_equal(swmsi_ioas_area_list(fx->ctx, o.dev, a, 2, &n), -ENOENT);
	assert_int_equal(swmsi_ioas_allowed_list(fx->ctx, o.hwpt, r, 2, &n), -ENOENT);
	assert_int_equal(swmsi_ioas_window_list(fx->ctx, o.dev, m, 2, &n), -ENOENT);
	assert_int_equal(swmsi_hwpt_present_map_list(fx->ctx, o.ioas, ids, 2, &n), -ENOENT);
	assert_int_equal(swmsi_hwpt_nested_mapping_list(fx->ctx, o.hwpt, m, 2, &n), -ENOENT);
	assert_int_equal(swmsi_device_vector_list(fx->ctx, o.ioas, v, 2, &n), -ENOENT);
	assert_int_equal(swmsi_device_required_map_list(fx->ctx, o.hwpt, ids, 2, &n), -ENOENT);
	assert_int_equal(n, 7);
}

/* ------------------------------------------------------------------------ */
/* Attach and replace report the HWPT, as iommufd's pt_id */

static void attach_pt_to_an_ioas_reports_its_automatic_hwpt(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_bind(fx, 1), b = fx_bind(fx, 1), pt = ioas, pt2 = ioas;
	struct swmsi_hwpt_info info;

	assert_int_equal(swmsi_device_attach_pt(fx->ctx, a, &pt), 0);
	assert_int_not_equal(pt, ioas);
	assert_int_equal(pt, fx_dev_hwpt(fx, a));
	info = fx_hwpt_info(fx, pt);
	assert_int_equal(info.type, SWMSI_OBJ_HWPT_PAGING);
	assert_true(info.is_auto);
	assert_int_equal(info.ioas_id, ioas);
	/* a group mate attached through the IOAS gets the same one */
	assert_int_equal(swmsi_device_attach_pt(fx->ctx, b, &pt2), 0);
	assert_int_equal(pt2, pt);
}

static void attach_pt_to_a_hwpt_reports_it_unchanged(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, SWMSI_HWPT_NEST_PARENT);
	uint32_t n = fx_nested_rmr(fx, h), a = fx_bind(fx, 1), b = fx_bind(fx, 2);
	uint32_t pt = h, ptn = n;

	assert_int_equal(swmsi_device_attach_pt(fx->ctx, a, &pt), 0);
	assert_int_equal(pt, h);
	assert_int_equal(swmsi_device_attach_pt(fx->ctx, b, &ptn), 0);
	assert_int_equal(ptn, n);
	assert_int_equal(fx_dev_hwpt(fx, b), n);
}

static void attach_pt_failure_leaves_pt_id_untouched(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0), a = fx_bind(fx, 1), pt;

	pt = ioas;
	assert_int_equal(swmsi_device_attach_pt(NULL, a, &pt), -EINVAL);
	assert_int_equal(pt, ioas);
	assert_int_equal(swmsi_device_attach_pt(fx->ctx, a, NULL), -EINVAL);
	assert_int_equal(swmsi_device_attach_pt(fx->ctx, NO_SUCH_ID, &pt), -ENOENT);
	assert_int_equal(pt, ioas);
	pt = NO_SUCH_ID;
	assert_int_equal(swmsi_device_attach_pt(fx->ctx, a, &pt), -ENOENT);
	assert_int_equal(pt, NO_SUCH_ID);
	pt = a; /* a device is no page table */
	assert_int_equal(swmsi_device_attach_pt(fx->ctx, a, &pt), -EINVAL);
	assert_int_equal(pt, a);
	assert_int_equal(fx_dev_hwpt(fx, a), 0);
	/* state: attached already */
	pt = h;
	assert_int_equal(swmsi_device_attach_pt(fx->ctx, a, &pt), 0);
	pt = ioas;
	assert_int_equal(swmsi_device_attach_pt(fx->ctx, a, &pt), -EINVAL);
	assert_int_equal(pt, ioas);
	assert_int_equal(fx_dev_hwpt(fx, a), h);
}

static void replace_pt_reports_the_hwpt_the_group_moved_to(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), ioas2 = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0);
	uint32_t a = fx_bind(fx, 1), pt = h, auto2;

	assert_int_equal(swmsi_device_attach_pt(fx->ctx, a, &pt), 0);
	pt = ioas2;
	assert_int_equal(swmsi_device_replace_pt(fx->ctx, a, &pt), 0);
	auto2 = pt;
	assert_int_not_equal(auto2, ioas2);
	assert_int_equal(fx_dev_hwpt(fx, a), auto2);
	assert_true(fx_hwpt_info(fx, auto2).is_auto);
	/* to the IOAS it already sits on: a no-op that still names the HWPT */
	pt = ioas2;
	assert_int_equal(swmsi_device_replace_pt(fx->ctx, a, &pt), 0);
	assert_int_equal(pt, auto2);
	/* back to a user HWPT: its id, unchanged */
	pt = h;
	assert_int_equal(swmsi_device_replace_pt(fx->ctx, a, &pt), 0);
	assert_int_equal(pt, h);
	assert_int_equal(fx_dev_hwpt(fx, a), h);
}

static void replace_pt_failure_leaves_pt_id_untouched(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0), a = fx_bind(fx, 1), pt = ioas;

	/* not attached */
	assert_int_equal(swmsi_device_replace_pt(fx->ctx, a, &pt), -EINVAL);
	assert_int_equal(pt, ioas);
	assert_int_equal(swmsi_device_replace_pt(fx->ctx, a, NULL), -EINVAL);
	assert_int_equal(swmsi_device_replace_pt(NULL, a, &pt), -EINVAL);
	assert_int_equal(pt, ioas);
	assert_int_equal(swmsi_device_attach(fx->ctx, a, h), 0);
	pt = NO_SUCH_ID;
	assert_int_equal(swmsi_device_replace_pt(fx->ctx, a, &pt), -ENOENT);
	assert_int_equal(pt, NO_SUCH_ID);
	/* a backend failure: the automatic HWPT's domain cannot be made */
	assert_int_equal(swmsi_ctx_fail_alloc(fx->ctx, 1), 0);
	pt = ioas;
	assert_int_equal(swmsi_device_replace_pt(fx->ctx, a, &pt), -ENOMEM);
	assert_int_equal(pt, ioas);
	assert_int_equal(fx_dev_hwpt(fx, a), h);
}

/* ------------------------------------------------------------------------ */
/* Names and version */

static void name_helpers_answer_null_for_values_they_do_not_know(void **state)
{
	int err;

	(void)state;
	assert_string_equal(swmsi_errno_name(-EADDRINUSE), "EADDRINUSE");
	assert_null(swmsi_errno_name(0));
	assert_null(swmsi_errno_name(-4095));
	assert_null(swmsi_errno_name(EINVAL)); /* positive: not an error value */
	assert_string_equal(swmsi_scheme_name(SWMSI_SCHEME_DMA_IOMMU), "dma-iommu");
	assert_null(swmsi_scheme_name((enum swmsi_scheme)3));
	assert_null(swmsi_scheme_name((enum swmsi_scheme) - 1));
	/* every name it gives parses back to the value */
	for (err = -1; err > -200; err--) {
		const char *name = swmsi_errno_name(err);

		if (name && swmsi_errno_from_name(name) != err)
			fail_msg("%s does not parse back to %d", name, err);
	}
}

static void version_macros_string_and_library_agree(void **state)
{
	char want[32];

	(void)state;
	snprintf(want, sizeof(want), "%d.%d.%d", SWMSI_VERSION_MAJOR, SWMSI_VERSION_MINOR,
		 SWMSI_VERSION_PATCH);
	assert_string_equal(SWMSI_VERSION_STRING, want);
	assert_string_equal(swmsi_version(), want);
	assert_int_equal(SWMSI_VERSION_NUMBER, SWMSI_VERSION_MAJOR * 10000 +
						       SWMSI_VERSION_MINOR * 100 +
						       SWMSI_VERSION_PATCH);
}

static void obj_destroy_takes_an_ioas_or_hwpt_by_id(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0), dev = fx_bind(fx, 1);
	enum swmsi_obj_type t;

	assert_int_equal(swmsi_obj_destroy(NULL, h), -EINVAL);
	assert_int_equal(swmsi_obj_destroy(fx->ctx, ioas), -EBUSY);
	assert_int_equal(swmsi_obj_destroy(fx->ctx, dev), -EINVAL);
	assert_int_equal(swmsi_obj_destroy(fx->ctx, h), 0);
	assert_int_equal(swmsi_obj_type(fx->ctx, h, &t), -ENOENT);
	assert_int_equal(swmsi_obj_destroy(fx->ctx, h), -ENOENT);
	assert_int_equal(swmsi_obj_destroy(fx->ctx, ioas), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(every_list_function_copies_lowest_first_up_to_cap_and_counts_all),
		T(list_functions_answer_enoent_for_an_owner_of_another_kind),
		T(attach_pt_to_an_ioas_reports_its_automatic_hwpt),
		T(attach_pt_to_a_hwpt_reports_it_unchanged),
		T(attach_pt_failure_leaves_pt_id_untouched),
		T(replace_pt_reports_the_hwpt_the_group_moved_to),
		T(replace_pt_failure_leaves_pt_id_untouched),
		T(name_helpers_answer_null_for_values_they_do_not_know),
		T(version_macros_string_and_library_agree),
		T(obj_destroy_takes_an_ioas_or_hwpt_by_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
