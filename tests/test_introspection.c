/* SPDX-License-Identifier: MIT */
/*
 * The introspection calls beyond the v0.1 contract that tools (swmsi-sim)
 * build their pictures from: user mappings, reserved windows, stage-1
 * mappings and a group's required ids, copied out under the lock.
 */
#include "fixture.h"

static void ioas_mappings_lists_ascending_and_counts_past_cap(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx);
	struct swmsi_mapping m[2];
	size_t n = 0;

	assert_int_equal(
		swmsi_ioas_map(fx->ctx, ioas, 0x300000, 0x7000000, 0x2000, SWMSI_PROT_READ), 0);
	assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, 0x100000, 0x5000000, 0x1000,
					SWMSI_PROT_READ | SWMSI_PROT_WRITE),
			 0);
	assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, 0x200000, 0x6000000, 0x1000, 0), 0);
	assert_int_equal(swmsi_ioas_mappings(fx->ctx, ioas, m, 2, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(m[0].iova, 0x100000);
	assert_int_equal(m[0].paddr, 0x5000000);
	assert_int_equal(m[0].length, 0x1000);
	assert_int_equal(m[0].prot, SWMSI_PROT_READ | SWMSI_PROT_WRITE);
	assert_int_equal(m[1].iova, 0x200000);
	assert_int_equal(swmsi_ioas_mappings(fx->ctx, ioas, NULL, 0, &n), 0);
	assert_int_equal(n, 3);
}

static void ioas_reserved_follows_attached_groups(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0);
	uint32_t d1 = fx_bind(fx, 1), d2 = fx_bind_window(fx, 2, 0x20000000, 0x10000);
	uint32_t d3 = fx_bind_nowin(fx, 3);
	struct swmsi_mapping w[4];
	size_t n = 9;

	assert_int_equal(swmsi_ioas_reserved(fx->ctx, ioas, w, 4, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, h), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d1, h), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d3, h), 0);
	assert_int_equal(swmsi_ioas_reserved(fx->ctx, ioas, w, 4, &n), 0);
	/* one entry per window, ascending; a window-less group reserves none */
	assert_int_equal(n, 2);
	assert_int_equal(w[0].iova, FX_WINDOW_START);
	assert_int_equal(w[0].length, FX_WINDOW_SIZE);
	assert_int_equal(w[0].paddr, 0);
	assert_int_equal(w[0].prot, 0);
	assert_int_equal(w[1].iova, 0x20000000);
	assert_int_equal(swmsi_device_detach(fx->ctx, d1), 0);
	assert_int_equal(swmsi_ioas_reserved(fx->ctx, ioas, w, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(w[0].iova, 0x20000000);
}

/* The snapshot's "ascending" holds for a short buffer too: it gets the
 * lowest windows, whatever order the groups reserved them in. */
static void ioas_reserved_short_cap_gets_lowest_windows(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0);
	uint32_t hi = fx_bind_window(fx, 1, 0x30000000, 0x10000);
	uint32_t mid = fx_bind_window(fx, 2, 0x20000000, 0x10000);
	uint32_t lo = fx_bind(fx, 3);
	struct swmsi_mapping w[2];
	size_t n = 0;

	assert_int_equal(swmsi_device_attach(fx->ctx, hi, h), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, lo, h), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, mid, h), 0);
	assert_int_equal(swmsi_ioas_reserved(fx->ctx, ioas, w, 1, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(w[0].iova, FX_WINDOW_START);
	assert_int_equal(swmsi_ioas_reserved(fx->ctx, ioas, w, 2, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(w[0].iova, FX_WINDOW_START);
	assert_int_equal(w[1].iova, 0x20000000);
}

static void hwpt_nested_mappings_lists_stage1(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), p = fx_hwpt(fx, ioas, SWMSI_HWPT_NEST_PARENT);
	uint32_t nested = fx_nested_rmr(fx, p);
	struct swmsi_mapping m[2];
	size_t n = 0;

	assert_int_equal(swmsi_hwpt_nested_mappings(fx->ctx, nested, m, 2, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].iova, FX_WINDOW_START);
	assert_int_equal(m[0].paddr, FX_WINDOW_START);
	assert_int_equal(m[0].length, FX_WINDOW_SIZE);
}

static void introspection_bad_input_exact_errors(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), p = fx_hwpt(fx, ioas, SWMSI_HWPT_NEST_PARENT);
	struct swmsi_mapping m[1];
	size_t n = 0;

	assert_int_equal(swmsi_ioas_mappings(NULL, ioas, m, 1, &n), -EINVAL);
	assert_int_equal(swmsi_ioas_mappings(fx->ctx, ioas, m, 1, NULL), -EINVAL);
	assert_int_equal(swmsi_ioas_mappings(fx->ctx, ioas, NULL, 1, &n), -EINVAL);
	assert_int_equal(swmsi_ioas_mappings(fx->ctx, p, m, 1, &n), -ENOENT);
	assert_int_equal(swmsi_ioas_reserved(fx->ctx, 999, m, 1, &n), -ENOENT);
	assert_int_equal(swmsi_ioas_reserved(fx->ctx, ioas, NULL, 1, &n), -EINVAL);
	/* a paging HWPT is not a nested one */
	assert_int_equal(swmsi_hwpt_nested_mappings(fx->ctx, p, m, 1, &n), -ENOENT);
	assert_int_equal(swmsi_hwpt_nested_mappings(fx->ctx, ioas, m, 1, &n), -ENOENT);
	assert_int_equal(swmsi_hwpt_nested_mappings(NULL, p, m, 1, &n), -EINVAL);
	assert_int_equal(n, 0);
}

/* Two doorbell pages: two entries of the table, ids 0 and 1. */
#define DB0 0x8090040
#define DB1 0x80b0040

/* Every device of a group reports the group's set; under RECLAIM_NONE an
 * id stays required after the vector on it is freed. */
static void device_required_keeps_freed_ids_under_reclaim_none(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0);
	uint32_t a = fx_bind(fx, 1), b = fx_bind(fx, 1), other = fx_bind(fx, 2);
	uint32_t ids[4], v0;
	size_t n = 9;

	assert_int_equal(swmsi_device_required(fx->ctx, a, ids, 4, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, a, h), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, other, h), 0);
	v0 = fx_msi_alloc(fx, a, DB0, NULL);
	fx_msi_alloc(fx, a, DB1, NULL);
	assert_int_equal(swmsi_msi_free(fx->ctx, a, v0), 0);
	assert_int_equal(swmsi_device_required(fx->ctx, b, ids, 4, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], 0);
	assert_int_equal(ids[1], 1);
	/* a short buffer gets the lowest ids and the whole count */
	ids[0] = 7;
	assert_int_equal(swmsi_device_required(fx->ctx, a, ids, 1, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], 0);
	assert_int_equal(swmsi_device_required(fx->ctx, other, NULL, 0, &n), 0);
	assert_int_equal(n, 0);
}

/* Under RECLAIM_UNUSED the last vector's free drops the id. */
static void device_required_drops_freed_ids_under_reclaim_unused(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0), d = fx_bind(fx, 1);
	uint32_t ids[2], v0;
	size_t n = 0;

	assert_int_equal(swmsi_device_attach(fx->ctx, d, h), 0);
	v0 = fx_msi_alloc(fx, d, DB0, NULL);
	fx_msi_alloc(fx, d, DB1, NULL);
	assert_int_equal(swmsi_msi_free(fx->ctx, d, v0), 0);
	assert_int_equal(swmsi_device_required(fx->ctx, d, ids, 2, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], 1);
}

static void device_required_bad_input_exact_errors(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), d = fx_bind(fx, 1);
	uint32_t ids[1];
	size_t n = 5;

	assert_int_equal(swmsi_device_required(NULL, d, ids, 1, &n), -EINVAL);
	assert_int_equal(swmsi_device_required(fx->ctx, d, ids, 1, NULL), -EINVAL);
	assert_int_equal(swmsi_device_required(fx->ctx, d, NULL, 1, &n), -EINVAL);
	assert_int_equal(swmsi_device_required(fx->ctx, ioas, ids, 1, &n), -ENOENT);
	assert_int_equal(swmsi_device_required(fx->ctx, 999, ids, 1, &n), -ENOENT);
	/* a failed call writes nothing */
	assert_int_equal(n, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(ioas_mappings_lists_ascending_and_counts_past_cap,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(ioas_reserved_follows_attached_groups, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(ioas_reserved_short_cap_gets_lowest_windows,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(hwpt_nested_mappings_lists_stage1, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(introspection_bad_input_exact_errors, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(device_required_keeps_freed_ids_under_reclaim_none,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(device_required_drops_freed_ids_under_reclaim_unused,
						fx_setup_reclaim, fx_teardown),
		cmocka_unit_test_setup_teardown(device_required_bad_input_exact_errors, fx_setup,
						fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
