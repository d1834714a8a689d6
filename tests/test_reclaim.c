/* SPDX-License-Identifier: MIT */
/*
 * Reclaim. Under SWMSI_RECLAIM_UNUSED a page leaves a paging domain once no
 * group attached to it (directly or through a nested child) requires it, and
 * an entry no vector uses gives back its id and slot, lowest reused first; a
 * backend that unmaps short leaves the page present without failing the
 * call. Under SWMSI_RECLAIM_NONE (the RFC) nothing is ever unmapped or freed.
 */
#include "fixture.h"

#include <stdbool.h>

#define PAGE 0x1000ull
#define WIN  FX_WINDOW_START

/* Doorbell pages. */
#define DB_P 0x10000000ull
#define DB_Q 0x10010000ull
#define DB_R 0x10020000ull
#define DB_S 0x10030000ull
#define DB_T 0x10040000ull

#define MAX_IDS 64

static uint32_t attached(struct fx *fx, uint32_t group, uint32_t pt)
{
	uint32_t dev = fx_bind(fx, group);

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, pt), 0);
	return dev;
}

static void unmapped(struct fx *fx, uint32_t hwpt, uint64_t iova)
{
	uint64_t paddr = 0;

	assert_int_equal(mock_iommu_lookup(fx->mock, fx_domain(fx, hwpt), iova, &paddr, NULL),
			 -ENOENT);
}

static bool present(struct fx *fx, uint32_t hwpt, uint32_t id)
{
	uint32_t ids[MAX_IDS];
	size_t n = 0;

	assert_int_equal(swmsi_hwpt_msi_present(fx->ctx, hwpt, ids, MAX_IDS, &n), 0);
	assert_true(n <= MAX_IDS);
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

static struct swmsi_ctx_stats stats(struct fx *fx)
{
	struct swmsi_ctx_stats st;

	assert_int_equal(swmsi_ctx_stats(fx->ctx, &st), 0);
	return st;
}

static uint64_t uninstalls(struct fx *fx)
{
	return stats(fx).msi_uninstalls;
}

/* The table entry for @page; *found says whether there is one. */
static struct swmsi_msi_map_info entry_of(struct fx *fx, uint64_t page, bool *found)
{
	struct swmsi_msi_map_info m[MAX_IDS] = { 0 };
	size_t n = 0;

	assert_int_equal(swmsi_msi_map_list(fx->ctx, m, MAX_IDS, &n), 0);
	assert_true(n <= MAX_IDS);
	for (size_t i = 0; i < n; i++) {
		if (m[i].msi_page == page) {
			*found = true;
			return m[i];
		}
	}
	*found = false;
	return m[0];
}

static uint32_t map_id_of(struct fx *fx, uint32_t dev, uint32_t vec)
{
	struct swmsi_vector_info vi = fx_vector_info(fx, dev, vec);

	assert_true(vi.translated);
	return vi.map_id;
}

/* ---------------------------------------------------------------------- */
/* SWMSI_RECLAIM_UNUSED: msi_free                                         */

/*
 * Group 1 frees its last vector on P: P leaves group 1's domain, stays in
 * group 2's, and the entry lives on for group 2's vector.
 */
static void msi_free_group_last_vector_unmaps_from_its_domain_only(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), b = fx_hwpt(fx, ioas, 0);
	uint32_t d1 = attached(fx, 1, a), d2 = attached(fx, 2, b);
	uint32_t v1p = fx_expect_msi_alloc(fx, d1, DB_P + 0x40, WIN + 0x40);
	uint32_t v1q = fx_expect_msi_alloc(fx, d1, DB_Q + 0x40, WIN + PAGE + 0x40);
	uint32_t v2p = fx_expect_msi_alloc(fx, d2, DB_P + 0x80, WIN + 0x80);
	uint64_t u0 = uninstalls(fx);
	struct swmsi_msi_map_info e;
	bool found;

	assert_int_equal(swmsi_msi_free(fx->ctx, d1, v1p), 0);
	unmapped(fx, a, WIN);
	fx_expect_msi_page(fx, a, WIN + PAGE, DB_Q);
	fx_expect_msi_page(fx, b, WIN, DB_P);
	assert_false(present(fx, a, 0));
	assert_true(present(fx, a, 1));
	assert_true(present(fx, b, 0));
	assert_int_equal(uninstalls(fx), u0 + 1);

	e = entry_of(fx, DB_P, &found);
	assert_true(found);
	assert_int_equal(e.id, 0);
	assert_int_equal(e.vectors, 1);
	fx_expect_fire(fx, d1, v1q, DB_Q + 0x40);
	fx_expect_fire(fx, d2, v2p, DB_P + 0x80);
}

/*
 * The page's last vector anywhere: unmapped from every domain (a nested
 * HWPT's parent included) and the entry freed.
 */
static void msi_free_last_vector_of_page_unmaps_everywhere_frees_entry(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), b = fx_hwpt(fx, ioas, 0);
	uint32_t pp = fx_hwpt(fx, ioas, SWMSI_HWPT_NEST_PARENT), n = fx_nested_rmr(fx, pp);
	const uint32_t pt[3] = { a, b, n }, paging[3] = { a, b, pp };
	uint32_t dev[3], vec[3];
	uint64_t u0;
	bool found;

	for (size_t i = 0; i < 3; i++) {
		dev[i] = attached(fx, (uint32_t)i + 1, pt[i]);
		vec[i] = fx_expect_msi_alloc(fx, dev[i], DB_P + 0x40, WIN + 0x40);
		fx_expect_msi_page(fx, paging[i], WIN, DB_P);
	}
	u0 = uninstalls(fx);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(swmsi_msi_free(fx->ctx, dev[i], vec[i]), 0);
		for (size_t j = 0; j < 3; j++) {
			if (j <= i)
				unmapped(fx, paging[j], WIN);
			else
				fx_expect_msi_page(fx, paging[j], WIN, DB_P);
		}
		assert_int_equal(uninstalls(fx), u0 + i + 1);
		entry_of(fx, DB_P, &found);
		assert_int_equal(found, i < 2);
	}
	assert_int_equal(fx_msi_map_count(fx), 0);
	assert_int_equal(stats(fx).msi_maps, 0);
	for (size_t j = 0; j < 3; j++) {
		assert_int_equal(fx_present(fx, paging[j], NULL, 0), 0);
		assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, paging[j])), 0);
	}
}

/* Freed ids and slots come back lowest first. */
static void msi_alloc_after_reclaim_reuses_lowest_id_and_slot(void **state)
{
	struct fx *fx = *state;
	const uint64_t pages[4] = { DB_P, DB_Q, DB_R, DB_S };
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), dev = attached(fx, 1, a);
	uint32_t vec[4], v;

	for (size_t i = 0; i < 4; i++)
		vec[i] = fx_expect_msi_alloc(fx, dev, pages[i] + 0x10, WIN + i * PAGE + 0x10);
	assert_int_equal(swmsi_msi_free(fx->ctx, dev, vec[2]), 0);
	assert_int_equal(swmsi_msi_free(fx->ctx, dev, vec[0]), 0);
	unmapped(fx, a, WIN);
	unmapped(fx, a, WIN + 2 * PAGE);
	assert_int_equal(fx_msi_map_count(fx), 2);

	/* New pages: id/slot 0, then 2, then 4 (1 and 3 are in use). */
	v = fx_expect_msi_alloc(fx, dev, DB_T + 0x20, WIN + 0x20);
	assert_int_equal(map_id_of(fx, dev, v), 0);
	fx_expect_msi_page(fx, a, WIN, DB_T);
	fx_expect_fire(fx, dev, v, DB_T + 0x20);
	v = fx_expect_msi_alloc(fx, dev, DB_P + 0x20, WIN + 2 * PAGE + 0x20);
	assert_int_equal(map_id_of(fx, dev, v), 2);
	fx_expect_msi_page(fx, a, WIN + 2 * PAGE, DB_P);
	fx_expect_fire(fx, dev, v, DB_P + 0x20);
	v = fx_expect_msi_alloc(fx, dev, DB_R + 0x20, WIN + 4 * PAGE + 0x20);
	assert_int_equal(map_id_of(fx, dev, v), 4);
	fx_expect_fire(fx, dev, v, DB_R + 0x20);
	fx_expect_fire(fx, dev, vec[1], DB_Q + 0x10);
	fx_expect_fire(fx, dev, vec[3], DB_S + 0x10);
}

/*
 * A page another vector still needs stays: another vector of the device,
 * another device of the group, another group on the same domain.
 */
static void msi_free_page_still_needed_on_domain_stays_mapped(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0);
	uint32_t d1 = attached(fx, 1, a), d1b = attached(fx, 1, a), d2 = attached(fx, 2, a);
	uint32_t v1 = fx_expect_msi_alloc(fx, d1, DB_P + 0x4, WIN + 0x4);
	uint32_t v1x = fx_expect_msi_alloc(fx, d1, DB_P + 0x8, WIN + 0x8);
	uint32_t v1b = fx_expect_msi_alloc(fx, d1b, DB_P + 0xc, WIN + 0xc);
	uint32_t v2 = fx_expect_msi_alloc(fx, d2, DB_P + 0x10, WIN + 0x10);
	uint64_t u0 = uninstalls(fx);

	mock_iommu_journal_clear(fx->mock);
	assert_int_equal(swmsi_msi_free(fx->ctx, d1, v1), 0);	/* d1 still has v1x */
	assert_int_equal(swmsi_msi_free(fx->ctx, d1, v1x), 0);	/* group 1 still has v1b */
	assert_int_equal(swmsi_msi_free(fx->ctx, d1b, v1b), 0); /* group 2 still needs P */
	assert_int_equal(mock_iommu_journal_len(fx->mock), 0);
	assert_int_equal(uninstalls(fx), u0);
	fx_expect_msi_page(fx, a, WIN, DB_P);
	assert_true(present(fx, a, 0));
	fx_expect_fire(fx, d2, v2, DB_P + 0x10);

	assert_int_equal(swmsi_msi_free(fx->ctx, d2, v2), 0);
	unmapped(fx, a, WIN);
	assert_int_equal(uninstalls(fx), u0 + 1);
	assert_int_equal(fx_msi_map_count(fx), 0);
}

/* ---------------------------------------------------------------------- */
/* SWMSI_RECLAIM_UNUSED: replace, detach, unbind                          */

static void device_replace_reclaims_pages_old_domain_no_longer_needs(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), b = fx_hwpt(fx, ioas, 0);
	uint32_t d1 = attached(fx, 1, a), d2 = attached(fx, 2, a);
	uint32_t v1p = fx_expect_msi_alloc(fx, d1, DB_P, WIN);
	uint32_t v1q = fx_expect_msi_alloc(fx, d1, DB_Q, WIN + PAGE);
	uint32_t v2q = fx_expect_msi_alloc(fx, d2, DB_Q + 0x4, WIN + PAGE + 0x4);
	uint64_t u0 = uninstalls(fx);

	assert_int_equal(swmsi_device_replace(fx->ctx, d1, b), 0);
	unmapped(fx, a, WIN);
	fx_expect_msi_page(fx, a, WIN + PAGE, DB_Q); /* group 2 still needs Q on a */
	fx_expect_msi_page(fx, b, WIN, DB_P);
	fx_expect_msi_page(fx, b, WIN + PAGE, DB_Q);
	assert_int_equal(uninstalls(fx), u0 + 1);
	assert_int_equal(fx_msi_map_count(fx), 2); /* vectors still use both */
	fx_expect_fire(fx, d1, v1p, DB_P);
	fx_expect_fire(fx, d1, v1q, DB_Q);
	fx_expect_fire(fx, d2, v2q, DB_Q + 0x4);
}

/*
 * Detach unmaps what only the leaving group needed, but keeps its vectors
 * and entries: the next attach reinstalls them at the same IOVAs.
 */
static void device_detach_reclaims_pages_keeps_vectors_and_ids(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0);
	uint32_t d1 = attached(fx, 1, a), d2 = attached(fx, 2, a);
	uint32_t v1 = fx_expect_msi_alloc(fx, d1, DB_P + 0x40, WIN + 0x40);
	uint32_t v2 = fx_expect_msi_alloc(fx, d2, DB_Q + 0x40, WIN + PAGE + 0x40);
	uint64_t u0 = uninstalls(fx), paddr = 0;
	struct swmsi_msi_map_info e;
	bool found;

	assert_int_equal(swmsi_device_detach(fx->ctx, d1), 0);
	unmapped(fx, a, WIN);
	fx_expect_msi_page(fx, a, WIN + PAGE, DB_Q);
	assert_int_equal(uninstalls(fx), u0 + 1);
	assert_int_equal(swmsi_msi_fire(fx->ctx, d1, v1, &paddr), -EFAULT);
	e = entry_of(fx, DB_P, &found);
	assert_true(found);
	assert_int_equal(e.id, 0);
	assert_int_equal(e.vectors, 1);

	/* Slot 0 stays P's while detached: a new page does not take it. */
	fx_expect_msi_alloc(fx, d2, DB_R, WIN + 2 * PAGE);

	assert_int_equal(swmsi_device_attach(fx->ctx, d1, a), 0);
	fx_expect_msi_page(fx, a, WIN, DB_P);
	fx_expect_fire(fx, d1, v1, DB_P + 0x40);
	fx_expect_fire(fx, d2, v2, DB_Q + 0x40);
}

/* The group stays on its HWPT while another of its devices is attached. */
static void device_detach_one_device_of_group_keeps_pages(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0);
	uint32_t d1 = attached(fx, 1, a), d1b = attached(fx, 1, a);
	uint32_t v1b = fx_expect_msi_alloc(fx, d1b, DB_P + 0x40, WIN + 0x40);
	uint64_t u0 = uninstalls(fx);

	fx_expect_msi_alloc(fx, d1, DB_Q, WIN + PAGE);
	assert_int_equal(swmsi_device_detach(fx->ctx, d1), 0);
	fx_expect_msi_page(fx, a, WIN, DB_P);
	fx_expect_msi_page(fx, a, WIN + PAGE, DB_Q);
	assert_int_equal(uninstalls(fx), u0);
	fx_expect_fire(fx, d1b, v1b, DB_P + 0x40);
}

/* Unbind frees the device's vectors: entries only it used go, ids come back. */
static void device_unbind_frees_vectors_and_reclaims_entries(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), b = fx_hwpt(fx, ioas, 0);
	uint32_t d1 = attached(fx, 1, a), d2 = attached(fx, 2, b), v;
	uint32_t v2q;
	uint64_t u0;
	struct swmsi_msi_map_info e;
	bool found;

	fx_expect_msi_alloc(fx, d1, DB_P, WIN);
	fx_expect_msi_alloc(fx, d1, DB_Q, WIN + PAGE);
	v2q = fx_expect_msi_alloc(fx, d2, DB_Q + 0x8, WIN + PAGE + 0x8);
	u0 = uninstalls(fx);

	assert_int_equal(swmsi_device_unbind(fx->ctx, d1), 0);
	unmapped(fx, a, WIN);
	unmapped(fx, a, WIN + PAGE);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, a)), 0);
	assert_int_equal(uninstalls(fx), u0 + 2);
	fx_expect_msi_page(fx, b, WIN + PAGE, DB_Q);
	assert_int_equal(fx_msi_map_count(fx), 1);
	assert_int_equal(stats(fx).msi_maps, 1);
	e = entry_of(fx, DB_Q, &found);
	assert_true(found);
	assert_int_equal(e.id, 1);
	assert_int_equal(e.vectors, 1);
	fx_expect_fire(fx, d2, v2q, DB_Q + 0x8);

	/* P's id and slot are free again. */
	v = fx_expect_msi_alloc(fx, d2, DB_R, WIN);
	assert_int_equal(map_id_of(fx, d2, v), 0);
	fx_expect_fire(fx, d2, v, DB_R);
}

/*
 * A group on a nested child keeps its pages needed on the parent: the
 * parent's own group leaving takes nothing the child's group uses.
 */
static void device_replace_nested_child_group_keeps_parent_page(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), b = fx_hwpt(fx, ioas, 0);
	uint32_t pp = fx_hwpt(fx, ioas, SWMSI_HWPT_NEST_PARENT), n = fx_nested_rmr(fx, pp);
	uint32_t d1 = attached(fx, 1, pp), d2 = attached(fx, 2, n);
	uint32_t v1x = fx_expect_msi_alloc(fx, d1, DB_P, WIN);
	uint32_t v1z = fx_expect_msi_alloc(fx, d1, DB_R, WIN + PAGE);
	uint32_t v2x = fx_expect_msi_alloc(fx, d2, DB_P + 0x4, WIN + 0x4);
	uint32_t v2y = fx_expect_msi_alloc(fx, d2, DB_Q, WIN + 2 * PAGE);
	uint64_t u0 = uninstalls(fx);

	assert_int_equal(swmsi_device_replace(fx->ctx, d1, b), 0);
	fx_expect_msi_page(fx, pp, WIN, DB_P); /* group 2 needs it through n */
	unmapped(fx, pp, WIN + PAGE);	       /* only group 1 needed R */
	fx_expect_msi_page(fx, pp, WIN + 2 * PAGE, DB_Q);
	fx_expect_msi_page(fx, b, WIN, DB_P);
	fx_expect_msi_page(fx, b, WIN + PAGE, DB_R);
	assert_int_equal(uninstalls(fx), u0 + 1);
	fx_expect_fire(fx, d2, v2x, DB_P + 0x4);
	fx_expect_fire(fx, d2, v2y, DB_Q);

	/* Now the child's group leaves: the parent needs nothing any more. */
	assert_int_equal(swmsi_device_replace(fx->ctx, d2, b), 0);
	unmapped(fx, pp, WIN);
	unmapped(fx, pp, WIN + 2 * PAGE);
	assert_int_equal(fx_present(fx, pp, NULL, 0), 0);
	assert_int_equal(uninstalls(fx), u0 + 3);
	fx_expect_msi_page(fx, b, WIN + 2 * PAGE, DB_Q);
	fx_expect_fire(fx, d1, v1x, DB_P);
	fx_expect_fire(fx, d1, v1z, DB_R);
	fx_expect_fire(fx, d2, v2x, DB_P + 0x4);
	fx_expect_fire(fx, d2, v2y, DB_Q);
}

/* Detaching the only group of a nested child reclaims from the parent. */
static void device_detach_nested_group_reclaims_from_parent(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx);
	uint32_t pp = fx_hwpt(fx, ioas, SWMSI_HWPT_NEST_PARENT), n = fx_nested_rmr(fx, pp);
	uint32_t d = attached(fx, 1, n), v;
	uint64_t u0;

	v = fx_expect_msi_alloc(fx, d, DB_P + 0x40, WIN + 0x40);
	fx_expect_msi_page(fx, pp, WIN, DB_P);
	u0 = uninstalls(fx);
	assert_int_equal(swmsi_device_detach(fx->ctx, d), 0);
	unmapped(fx, pp, WIN);
	assert_int_equal(uninstalls(fx), u0 + 1);
	assert_int_equal(swmsi_device_attach(fx->ctx, d, n), 0);
	fx_expect_fire(fx, d, v, DB_P + 0x40);
}

/* Under reclaim a full window frees up when its vectors go. */
static void msi_alloc_reclaim_full_window_after_free_reuses_slot(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0);
	uint32_t dev = fx_bind_window(fx, 1, WIN, 2 * PAGE), v0, v1, vec;
	uint64_t msg;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	v0 = fx_expect_msi_alloc(fx, dev, DB_P, WIN);
	v1 = fx_expect_msi_alloc(fx, dev, DB_Q, WIN + PAGE);
	assert_int_equal(swmsi_msi_alloc(fx->ctx, dev, DB_R, &vec, &msg), -ENOSPC);
	assert_int_equal(swmsi_msi_free(fx->ctx, dev, v1), 0);
	vec = fx_expect_msi_alloc(fx, dev, DB_R, WIN + PAGE);
	fx_expect_fire(fx, dev, vec, DB_R);
	fx_expect_fire(fx, dev, v0, DB_P);
}

/* ---------------------------------------------------------------------- */
/* A backend that unmaps short                                             */

/*
 * The reclaiming unmap does nothing: msi_free still succeeds, the page stays
 * mapped and marked present, and its slot is not handed to another page
 * (which would then fire into the stale doorbell).
 */
static void msi_free_short_unmap_keeps_page_present_and_succeeds(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), dev = attached(fx, 1, a);
	uint32_t v = fx_expect_msi_alloc(fx, dev, DB_P + 0x40, WIN + 0x40), vq, vp;
	uint64_t u0 = uninstalls(fx), msg = 0;

	mock_iommu_limit_unmap(fx->mock, 0);
	assert_int_equal(swmsi_msi_free(fx->ctx, dev, v), 0);
	fx_expect_msi_page(fx, a, WIN, DB_P);
	assert_true(present(fx, a, 0));
	assert_int_equal(uninstalls(fx), u0);

	/* A new page must land on its own doorbell. */
	assert_int_equal(swmsi_msi_alloc(fx->ctx, dev, DB_Q + 0x40, &vq, &msg), 0);
	fx_expect_fire(fx, dev, vq, DB_Q + 0x40);
	/* And P again lands on P. */
	assert_int_equal(swmsi_msi_alloc(fx->ctx, dev, DB_P + 0x80, &vp, &msg), 0);
	fx_expect_fire(fx, dev, vp, DB_P + 0x80);

	mock_iommu_limit_unmap(fx->mock, UINT64_MAX);
	assert_int_equal(mock_iommu_misuse_count(fx->mock), 0);
}

/*
 * An entry kept alive only because a short unmap left its page in a domain
 * is freed when that last holder goes: its id and slot come back, and the
 * context no longer counts a map entry (so the window override works again).
 */
static void hwpt_destroy_last_holder_of_unused_entry_frees_it(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), b = fx_hwpt(fx, ioas, 0);
	uint32_t dev = attached(fx, 1, a);
	uint32_t v = fx_expect_msi_alloc(fx, dev, DB_P + 0x40, WIN + 0x40);
	struct swmsi_ctx_stats st;

	mock_iommu_limit_unmap(fx->mock, 0);
	assert_int_equal(swmsi_msi_free(fx->ctx, dev, v), 0);
	mock_iommu_limit_unmap(fx->mock, UINT64_MAX);
	assert_int_equal(fx_msi_map_count(fx), 1);
	assert_int_equal(swmsi_ctx_stats(fx->ctx, &st), 0);
	assert_int_equal(st.short_unmaps, 1);

	assert_int_equal(swmsi_device_replace(fx->ctx, dev, b), 0);
	assert_int_equal(swmsi_destroy(fx->ctx, a), 0);
	assert_int_equal(fx_msi_map_count(fx), 0);
	/* slot 0 and id 0 are free again: the next page takes them */
	v = fx_expect_msi_alloc(fx, dev, DB_Q, WIN);
	assert_int_equal(fx_vector_info(fx, dev, v).map_id, 0);
	assert_int_equal(swmsi_msi_free(fx->ctx, dev, v), 0);
	assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);
	assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, 0x10000000, 0x100000), 0);
}

/* The same on replace: it succeeds and the old domain keeps the page present. */
static void device_replace_short_unmap_succeeds_keeps_old_page_present(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), b = fx_hwpt(fx, ioas, 0);
	uint32_t dev = attached(fx, 1, a),
		 v = fx_expect_msi_alloc(fx, dev, DB_P + 0x40, WIN + 0x40);
	uint64_t u0 = uninstalls(fx);
	struct swmsi_device_info di;

	mock_iommu_limit_unmap(fx->mock, 0);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, b), 0);
	assert_int_equal(swmsi_device_info(fx->ctx, dev, &di), 0);
	assert_int_equal(di.hwpt_id, b);
	fx_expect_fire(fx, dev, v, DB_P + 0x40);
	fx_expect_msi_page(fx, a, WIN, DB_P);
	assert_true(present(fx, a, 0));
	fx_expect_msi_page(fx, b, WIN, DB_P);
	assert_int_equal(uninstalls(fx), u0);

	/* Going back finds the page still there and works. */
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, a), 0);
	fx_expect_fire(fx, dev, v, DB_P + 0x40);
	mock_iommu_limit_unmap(fx->mock, UINT64_MAX);
	assert_int_equal(mock_iommu_misuse_count(fx->mock), 0);
}

/* ---------------------------------------------------------------------- */
/* SWMSI_RECLAIM_NONE                                                     */

/* Freed vectors leave pages mapped and ids taken: nothing is reused. */
static void msi_free_reclaim_none_keeps_page_and_id(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), dev = attached(fx, 1, a);
	uint32_t v = fx_expect_msi_alloc(fx, dev, DB_P + 0x40, WIN + 0x40);
	struct swmsi_msi_map_info e;
	bool found;

	mock_iommu_journal_clear(fx->mock);
	assert_int_equal(swmsi_msi_free(fx->ctx, dev, v), 0);
	assert_int_equal(mock_iommu_journal_len(fx->mock), 0);
	fx_expect_msi_page(fx, a, WIN, DB_P);
	assert_true(present(fx, a, 0));
	e = entry_of(fx, DB_P, &found);
	assert_true(found);
	assert_int_equal(e.id, 0);
	assert_int_equal(e.vectors, 0);
	assert_int_equal(uninstalls(fx), 0);

	/* A new page does not get id or slot 0; P again does. */
	v = fx_expect_msi_alloc(fx, dev, DB_Q, WIN + PAGE);
	assert_int_equal(map_id_of(fx, dev, v), 1);
	v = fx_expect_msi_alloc(fx, dev, DB_P + 0x8, WIN + 0x8);
	assert_int_equal(map_id_of(fx, dev, v), 0);
	fx_expect_fire(fx, dev, v, DB_P + 0x8);
}

/* Replace, detach and unbind leave every page where it was installed. */
static void device_replace_reclaim_none_keeps_pages_in_old_domain(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0), b = fx_hwpt(fx, ioas, 0);
	uint32_t pp = fx_hwpt(fx, ioas, SWMSI_HWPT_NEST_PARENT), n = fx_nested_rmr(fx, pp);
	uint32_t dev = attached(fx, 1, a);
	const uint32_t paging[3] = { a, b, pp };

	fx_expect_msi_alloc(fx, dev, DB_P, WIN);
	fx_expect_msi_alloc(fx, dev, DB_Q, WIN + PAGE);
	mock_iommu_journal_clear(fx->mock);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, b), 0);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, n), 0);
	assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);
	assert_int_equal(swmsi_device_unbind(fx->ctx, dev), 0);
	for (size_t i = 0; i < mock_iommu_journal_len(fx->mock); i++) {
		struct mock_iommu_journal_entry e;

		assert_int_equal(mock_iommu_journal_get(fx->mock, i, &e), 0);
		assert_int_not_equal(e.op, MOCK_IOMMU_OP_UNMAP);
	}
	for (size_t i = 0; i < 3; i++) {
		fx_expect_msi_page(fx, paging[i], WIN, DB_P);
		fx_expect_msi_page(fx, paging[i], WIN + PAGE, DB_Q);
		assert_int_equal(fx_present(fx, paging[i], NULL, 0), 2);
	}
	assert_int_equal(fx_msi_map_count(fx), 2);
	assert_int_equal(stats(fx).msi_maps, 2);
	assert_int_equal(uninstalls(fx), 0);
}

/* Without reclaim a full window stays full after every vector is freed. */
static void msi_alloc_reclaim_none_full_window_stays_full_after_free(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), a = fx_hwpt(fx, ioas, 0);
	uint32_t dev = fx_bind_window(fx, 1, WIN, 2 * PAGE), v0, v1, vec = 0xabcd;
	uint64_t msg = 0xabcd;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a), 0);
	v0 = fx_expect_msi_alloc(fx, dev, DB_P, WIN);
	v1 = fx_expect_msi_alloc(fx, dev, DB_Q, WIN + PAGE);
	assert_int_equal(swmsi_msi_free(fx->ctx, dev, v0), 0);
	assert_int_equal(swmsi_msi_free(fx->ctx, dev, v1), 0);
	assert_int_equal(swmsi_msi_alloc(fx->ctx, dev, DB_R, &vec, &msg), -ENOSPC);
	assert_int_equal(vec, 0xabcd);
	assert_int_equal(msg, 0xabcd);
	vec = fx_expect_msi_alloc(fx, dev, DB_Q + 0x4, WIN + PAGE + 0x4);
	fx_expect_fire(fx, dev, vec, DB_Q + 0x4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			msi_free_group_last_vector_unmaps_from_its_domain_only, fx_setup_reclaim,
			fx_teardown),
		cmocka_unit_test_setup_teardown(
			msi_free_last_vector_of_page_unmaps_everywhere_frees_entry,
			fx_setup_reclaim, fx_teardown),
		cmocka_unit_test_setup_teardown(msi_alloc_after_reclaim_reuses_lowest_id_and_slot,
						fx_setup_reclaim, fx_teardown),
		cmocka_unit_test_setup_teardown(msi_free_page_still_needed_on_domain_stays_mapped,
						fx_setup_reclaim, fx_teardown),
		cmocka_unit_test_setup_teardown(
			device_replace_reclaims_pages_old_domain_no_longer_needs, fx_setup_reclaim,
			fx_teardown),
		cmocka_unit_test_setup_teardown(device_detach_reclaims_pages_keeps_vectors_and_ids,
						fx_setup_reclaim, fx_teardown),
		cmocka_unit_test_setup_teardown(device_detach_one_device_of_group_keeps_pages,
						fx_setup_reclaim, fx_teardown),
		cmocka_unit_test_setup_teardown(device_unbind_frees_vectors_and_reclaims_entries,
						fx_setup_reclaim, fx_teardown),
		cmocka_unit_test_setup_teardown(device_replace_nested_child_group_keeps_parent_page,
						fx_setup_reclaim, fx_teardown),
		cmocka_unit_test_setup_teardown(device_detach_nested_group_reclaims_from_parent,
						fx_setup_reclaim, fx_teardown),
		cmocka_unit_test_setup_teardown(msi_alloc_reclaim_full_window_after_free_reuses_slot,
						fx_setup_reclaim, fx_teardown),
		cmocka_unit_test_setup_teardown(msi_free_short_unmap_keeps_page_present_and_succeeds,
						fx_setup_reclaim, fx_teardown),
		cmocka_unit_test_setup_teardown(hwpt_destroy_last_holder_of_unused_entry_frees_it,
						fx_setup_reclaim, fx_teardown),
		cmocka_unit_test_setup_teardown(
			device_replace_short_unmap_succeeds_keeps_old_page_present,
			fx_setup_reclaim, fx_teardown),
		cmocka_unit_test_setup_teardown(msi_free_reclaim_none_keeps_page_and_id, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(
			device_replace_reclaim_none_keeps_pages_in_old_domain, fx_setup,
			fx_teardown),
		cmocka_unit_test_setup_teardown(
			msi_alloc_reclaim_none_full_window_stays_full_after_free, fx_setup,
			fx_teardown),
	};

	return cmocka_run_group_tests_name("reclaim", tests, NULL, NULL);
}
