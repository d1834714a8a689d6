/* SPDX-License-Identifier: MIT */
/*
 * Nested HWPTs: a guest-owned stage 1 over a NEST_PARENT paging HWPT. MSI
 * pages go into the parent's domain, translation walks stage 1 then the
 * parent, and an MSI through a nested HWPT needs the guest's RMR identity
 * map of the window.
 */
#include "fixture.h"
#include "snapshot.h"

#define RW  (SWMSI_PROT_READ | SWMSI_PROT_WRITE)
#define DB0 (FX_ITS_PAGE + 0x40)
#define DB1 (FX_ITS_PAGE + 0x10000 + 0x40)

struct nest {
	uint32_t ioas, parent, nested;
};

static void nest_new(struct fx *fx, struct nest *n)
{
	n->ioas = fx_ioas(fx);
	n->parent = fx_hwpt(fx, n->ioas, SWMSI_HWPT_NEST_PARENT);
	n->nested = 0;
	assert_int_equal(swmsi_hwpt_alloc_nested(fx->ctx, n->parent, &n->nested), 0);
	assert_int_not_equal(n->nested, 0);
}

/* ------------------------------------------------------------------------ */
/* Allocation rules */

static void hwpt_alloc_nested_reports_parent_and_its_domain(void **state)
{
	struct fx *fx = *state;
	struct swmsi_hwpt_info hi;
	enum swmsi_obj_type t;
	struct nest n;

	nest_new(fx, &n);
	assert_int_equal(swmsi_obj_type(fx->ctx, n.nested, &t), 0);
	assert_int_equal(t, SWMSI_OBJ_HWPT_NESTED);
	assert_int_equal(swmsi_hwpt_info(fx->ctx, n.nested, &hi), 0);
	assert_int_equal(hi.type, SWMSI_OBJ_HWPT_NESTED);
	assert_int_equal(hi.parent_id, n.parent);
	assert_int_equal(hi.ioas_id, n.ioas);
	assert_ptr_equal(hi.domain, fx_domain(fx, n.parent));
	assert_false(hi.is_auto);
	assert_int_equal(swmsi_hwpt_info(fx->ctx, n.parent, &hi), 0);
	assert_int_equal(hi.children, 1);
	assert_int_equal(hi.flags, SWMSI_HWPT_NEST_PARENT);
	/* A nested HWPT has no domain of its own. */
	assert_int_equal(mock_iommu_domain_count(fx->mock), 1);
}

static void hwpt_alloc_nested_parent_without_flag_fails_einval(void **state)
{
	struct fx *fx = *state;
	uint32_t h = fx_hwpt(fx, fx_ioas(fx), 0), out = 0;
	struct snap *before = snap_take(fx);

	assert_int_equal(swmsi_hwpt_alloc_nested(fx->ctx, h, &out), -EINVAL);
	assert_int_equal(out, 0);
	snap_expect_unchanged(fx, before, "alloc_nested over a plain paging HWPT");
}

static void hwpt_alloc_nested_over_nested_fails_einval(void **state)
{
	struct fx *fx = *state;
	struct snap *before;
	struct nest n;
	uint32_t out = 0;

	nest_new(fx, &n);
	before = snap_take(fx);
	assert_int_equal(swmsi_hwpt_alloc_nested(fx->ctx, n.nested, &out), -EINVAL);
	assert_int_equal(out, 0);
	snap_expect_unchanged(fx, before, "alloc_nested over a nested HWPT");
}

static void hwpt_alloc_nested_ioas_or_device_id_fails_enoent(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), dev = fx_bind(fx, 1), out = 0;
	struct snap *before = snap_take(fx);

	assert_int_equal(swmsi_hwpt_alloc_nested(fx->ctx, ioas, &out), -ENOENT);
	assert_int_equal(swmsi_hwpt_alloc_nested(fx->ctx, dev, &out), -ENOENT);
	assert_int_equal(swmsi_hwpt_alloc_nested(fx->ctx, 0, &out), -ENOENT);
	assert_int_equal(swmsi_hwpt_alloc_nested(fx->ctx, dev + 100, &out), -ENOENT);
	assert_int_equal(out, 0);
	snap_expect_unchanged(fx, before, "alloc_nested over a non-HWPT");
}

static void hwpt_alloc_nested_two_children_share_parent_domain(void **state)
{
	struct fx *fx = *state;
	struct swmsi_hwpt_info hi;
	struct nest n;
	uint32_t n2 = 0;

	nest_new(fx, &n);
	assert_int_equal(swmsi_hwpt_alloc_nested(fx->ctx, n.parent, &n2), 0);
	assert_int_not_equal(n2, n.nested);
	assert_ptr_equal(fx_domain(fx, n2), fx_domain(fx, n.parent));
	assert_int_equal(swmsi_hwpt_info(fx->ctx, n.parent, &hi), 0);
	assert_int_equal(hi.children, 2);
}

/* ------------------------------------------------------------------------ */
/* Destroy ordering */

static void destroy_nested_tree_busy_until_taken_apart_in_order(void **state)
{
	struct fx *fx = *state;
	uint32_t dev = fx_bind(fx, 1);
	enum swmsi_obj_type t;
	struct snap *before;
	struct nest n;

	nest_new(fx, &n);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, n.nested), 0);
	before = snap_take(fx);
	assert_int_equal(swmsi_destroy(fx->ctx, n.ioas), -EBUSY);
	assert_int_equal(swmsi_destroy(fx->ctx, n.parent), -EBUSY);
	assert_int_equal(swmsi_destroy(fx->ctx, n.nested), -EBUSY);
	snap_expect_unchanged(fx, before, "destroy of busy objects");

	assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);
	/* The nested HWPT is free now; its parent and the IOAS are not. */
	assert_int_equal(swmsi_destroy(fx->ctx, n.parent), -EBUSY);
	assert_int_equal(swmsi_destroy(fx->ctx, n.ioas), -EBUSY);
	assert_int_equal(swmsi_destroy(fx->ctx, n.nested), 0);
	assert_int_equal(swmsi_obj_type(fx->ctx, n.nested, &t), -ENOENT);
	assert_int_equal(swmsi_destroy(fx->ctx, n.ioas), -EBUSY);
	assert_int_equal(swmsi_destroy(fx->ctx, n.parent), 0);
	assert_int_equal(mock_iommu_domain_count(fx->mock), 0);
	assert_int_equal(swmsi_destroy(fx->ctx, n.ioas), 0);
	assert_int_equal(swmsi_obj_type(fx->ctx, n.ioas, &t), -ENOENT);
}

static void destroy_parent_with_attached_device_fails_ebusy(void **state)
{
	struct fx *fx = *state;
	uint32_t dev = fx_bind(fx, 1);
	struct nest n;

	nest_new(fx, &n);
	assert_int_equal(swmsi_destroy(fx->ctx, n.nested), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, n.parent), 0);
	assert_int_equal(swmsi_destroy(fx->ctx, n.parent), -EBUSY);
	assert_int_equal(swmsi_device_unbind(fx->ctx, dev), 0);
	assert_int_equal(swmsi_destroy(fx->ctx, n.parent), 0);
}

/* ------------------------------------------------------------------------ */
/* Translation */

static void hwpt_iova_to_phys_nested_walks_stage1_then_parent(void **state)
{
	struct fx *fx = *state;
	uint64_t pa = 0;
	struct nest n;

	nest_new(fx, &n);
	/* Parent: ipa 0x200000.. -> pa 0x40000000..; stage 1: iova 0x1000000.. -> ipa. */
	assert_int_equal(swmsi_ioas_map(fx->ctx, n.ioas, 0x200000, 0x40000000, 0x2000, RW), 0);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n.nested, 0x1000000, 0x200000, 0x2000, RW),
			 0);
	assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, n.nested, 0x1000000, &pa), 0);
	assert_int_equal(pa, 0x40000000);
	assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, n.nested, 0x1001abc, &pa), 0);
	assert_int_equal(pa, 0x40001abc);
	/* The parent translates the IPA itself, not the guest IOVA. */
	assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, n.parent, 0x201abc, &pa), 0);
	assert_int_equal(pa, 0x40001abc);
	pa = 0;
	assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, n.parent, 0x1000000, &pa), -ENOENT);
	assert_int_equal(pa, 0);
}

static void hwpt_iova_to_phys_nested_without_stage1_fails_enoent(void **state)
{
	struct fx *fx = *state;
	uint64_t pa = 0;
	struct nest n;

	nest_new(fx, &n);
	assert_int_equal(swmsi_ioas_map(fx->ctx, n.ioas, 0x200000, 0x40000000, 0x2000, RW), 0);
	/* The parent maps the address, but the guest's stage 1 does not. */
	assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, n.nested, 0x200000, &pa), -ENOENT);
	assert_int_equal(pa, 0);
}

static void hwpt_iova_to_phys_nested_without_parent_mapping_fails_enoent(void **state)
{
	struct fx *fx = *state;
	uint64_t pa = 0;
	struct nest n;

	nest_new(fx, &n);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n.nested, 0x1000000, 0x200000, 0x2000, RW),
			 0);
	assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, n.nested, 0x1000000, &pa), -ENOENT);
	assert_int_equal(pa, 0);
}

/* Stage 1 belongs to one nested HWPT: its sibling does not see it. */
static void hwpt_nested_map_is_per_nested_hwpt(void **state)
{
	struct fx *fx = *state;
	uint64_t pa = 0;
	uint32_t n2 = 0;
	struct nest n;

	nest_new(fx, &n);
	assert_int_equal(swmsi_hwpt_alloc_nested(fx->ctx, n.parent, &n2), 0);
	assert_int_equal(swmsi_ioas_map(fx->ctx, n.ioas, 0x200000, 0x40000000, 0x1000, RW), 0);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n.nested, 0x1000000, 0x200000, 0x1000, RW),
			 0);
	assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, n2, 0x1000000, &pa), -ENOENT);
	/* Stage 1 is not the parent's domain. */
	assert_int_equal(mock_iommu_lookup(fx->mock, fx_domain(fx, n.parent), 0x1000000, &pa, NULL),
			 -ENOENT);
	/* The sibling may map the same IOVA elsewhere. */
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n2, 0x1000000, 0x200000, 0x1000, RW), 0);
	assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, n2, 0x1000000, &pa), 0);
	assert_int_equal(pa, 0x40000000);
}

static void hwpt_nested_map_bad_arguments_fail(void **state)
{
	struct fx *fx = *state;
	struct snap *before;
	struct nest n;

	nest_new(fx, &n);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n.nested, 0x1000000, 0x200000, 0x4000, RW),
			 0);
	before = snap_take(fx);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n.nested, 0x1000800, 0x200000, 0x1000, RW),
			 -EINVAL);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n.nested, 0x2000000, 0x200800, 0x1000, RW),
			 -EINVAL);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n.nested, 0x2000000, 0x200000, 0x800, RW),
			 -EINVAL);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n.nested, 0x2000000, 0x200000, 0, RW),
			 -EINVAL);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n.nested, 0x2000000, 0x200000, 0x1000,
					       1u << 7),
			 -EOPNOTSUPP);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n.parent, 0x2000000, 0x200000, 0x1000, RW),
			 -ENOENT);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n.ioas, 0x2000000, 0x200000, 0x1000, RW),
			 -ENOENT);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n.nested, UINT64_MAX - 0xfff, 0x200000,
					       0x2000, RW),
			 -EOVERFLOW);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n.nested, 0x1003000, 0x300000, 0x2000, RW),
			 -EEXIST);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n.nested, 0x0fff000, 0x300000, 0x2000, RW),
			 -EEXIST);
	snap_expect_unchanged(fx, before, "bad nested_map");
}

/* ------------------------------------------------------------------------ */
/* MSI through nested HWPTs */

static void msi_alloc_nested_installs_in_parent_domain(void **state)
{
	struct fx *fx = *state;
	uint32_t dev = fx_bind(fx, 1), other, vec, ids[4];
	uint64_t msg = 0;
	struct nest n;

	nest_new(fx, &n);
	other = fx_hwpt(fx, n.ioas, 0);
	fx_rmr_map(fx, n.nested);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, n.nested), 0);
	assert_int_equal(fx_dev_hwpt(fx, dev), n.nested);
	vec = fx_msi_alloc(fx, dev, DB0, &msg);
	assert_int_equal(msg, FX_WINDOW_START + 0x40);
	fx_expect_msi_page(fx, n.parent, FX_WINDOW_START, FX_ITS_PAGE);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, n.parent)), 1);
	/* Never ahead of need: the other HWPT of the IOAS has nothing. */
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, other)), 0);
	assert_int_equal(fx_present(fx, n.parent, ids, 4), 1);
	assert_int_equal(ids[0], 0);
	assert_int_equal(fx_present(fx, n.nested, ids, 4), 1);
	assert_int_equal(ids[0], 0);
	assert_int_equal(fx_present(fx, other, ids, 4), 0);
	fx_expect_fire(fx, dev, vec, DB0);
}

static void msi_fire_nested_without_rmr_fails_efault(void **state)
{
	struct fx *fx = *state;
	uint32_t dev = fx_bind(fx, 1), vec;
	uint64_t msg = 0, pa = 0;
	struct nest n;

	nest_new(fx, &n);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, n.nested), 0);
	vec = fx_msi_alloc(fx, dev, DB0, &msg);
	/* The page is installed in the parent, but the guest never mapped the window. */
	assert_int_equal(msg, FX_WINDOW_START + 0x40);
	assert_int_equal(mock_iommu_lookup(fx->mock, fx_domain(fx, n.parent), FX_WINDOW_START, &pa,
					   NULL),
			 0);
	pa = 0;
	assert_int_equal(swmsi_msi_fire(fx->ctx, dev, vec, &pa), -EFAULT);
	assert_int_equal(pa, 0);
	/* The guest sets up its RMR: the same vector now reaches the doorbell. */
	fx_rmr_map(fx, n.nested);
	fx_expect_fire(fx, dev, vec, DB0);
}

/* A stage 1 that maps the window somewhere else loses the MSI. */
static void msi_fire_nested_window_mapped_elsewhere_fails_efault(void **state)
{
	struct fx *fx = *state;
	uint32_t dev = fx_bind(fx, 1), vec;
	uint64_t msg = 0, pa = 0;
	struct nest n;

	nest_new(fx, &n);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, n.nested, FX_WINDOW_START, 0x300000,
					       FX_WINDOW_SIZE, RW),
			 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, n.nested), 0);
	vec = fx_msi_alloc(fx, dev, DB0, &msg);
	assert_int_equal(swmsi_msi_fire(fx->ctx, dev, vec, &pa), -EFAULT);
}

static void msi_alloc_two_nested_same_parent_share_pages(void **state)
{
	struct fx *fx = *state;
	uint32_t d1 = fx_bind(fx, 1), d2 = fx_bind(fx, 2), n2 = 0, v1, v2, v3;
	struct swmsi_msi_map_info maps[4];
	uint64_t m1 = 0, m2 = 0, m3 = 0;
	size_t cnt = 0;
	struct nest n;

	nest_new(fx, &n);
	assert_int_equal(swmsi_hwpt_alloc_nested(fx->ctx, n.parent, &n2), 0);
	fx_rmr_map(fx, n.nested);
	fx_rmr_map(fx, n2);
	assert_int_equal(swmsi_device_attach(fx->ctx, d1, n.nested), 0);
	v1 = fx_msi_alloc(fx, d1, DB0, &m1);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, n2), 0);
	v2 = fx_msi_alloc(fx, d2, DB0 + 4, &m2);
	assert_int_equal(m2, m1 + 4);
	v3 = fx_msi_alloc(fx, d2, DB1, &m3);
	assert_int_equal(m3, FX_WINDOW_START + 0x1040);
	/* One copy of each page, in the one domain both share. */
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, n.parent)), 2);
	assert_int_equal(mock_iommu_domain_count(fx->mock), 1);
	assert_int_equal(swmsi_msi_map_list(fx->ctx, maps, 4, &cnt), 0);
	assert_int_equal(cnt, 2);
	assert_int_equal(maps[0].msi_page, FX_ITS_PAGE);
	assert_int_equal(maps[0].vectors, 2);
	assert_int_equal(maps[1].vectors, 1);
	fx_expect_fire(fx, d1, v1, DB0);
	fx_expect_fire(fx, d2, v2, DB0 + 4);
	fx_expect_fire(fx, d2, v3, DB1);
	/* The page d2 installed is there for d1's stage 1 too. */
	v1 = fx_msi_alloc(fx, d1, DB1, &m1);
	assert_int_equal(m1, m3);
	fx_expect_fire(fx, d1, v1, DB1);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, n.parent)), 2);
}

/* A group joining a nested HWPT gets its required pages in the parent. */
static void device_attach_nested_installs_required_pages_in_parent(void **state)
{
	struct fx *fx = *state;
	uint32_t dev = fx_bind(fx, 1), h, v0, v1, ids[4];
	uint64_t m0 = 0, m1 = 0;
	struct nest n;

	h = fx_hwpt(fx, fx_ioas(fx), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h), 0);
	v0 = fx_msi_alloc(fx, dev, DB0, &m0);
	v1 = fx_msi_alloc(fx, dev, DB1, &m1);
	assert_int_equal(swmsi_device_detach(fx->ctx, dev), 0);
	nest_new(fx, &n);
	fx_rmr_map(fx, n.nested);
	assert_int_equal(fx_present(fx, n.parent, ids, 4), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, n.nested), 0);
	assert_int_equal(fx_present(fx, n.parent, ids, 4), 2);
	assert_int_equal(ids[0], 0);
	assert_int_equal(ids[1], 1);
	fx_expect_fire(fx, dev, v0, DB0);
	fx_expect_fire(fx, dev, v1, DB1);
}

static void device_replace_nested_and_parent_keeps_iovas(void **state)
{
	struct fx *fx = *state;
	uint32_t dev = fx_bind(fx, 1), v0, v1;
	uint64_t m0 = 0, m1 = 0;
	struct swmsi_vector_info vi[2];
	size_t cnt = 0;
	size_t jlen;
	struct nest n;

	nest_new(fx, &n);
	fx_rmr_map(fx, n.nested);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, n.nested), 0);
	v0 = fx_msi_alloc(fx, dev, DB0, &m0);
	v1 = fx_msi_alloc(fx, dev, DB1, &m1);
	/* Same domain underneath: nothing to install either way. */
	jlen = mock_iommu_journal_len(fx->mock);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, n.parent), 0);
	assert_int_equal(fx_dev_hwpt(fx, dev), n.parent);
	assert_int_equal(mock_iommu_journal_len(fx->mock), jlen);
	fx_expect_fire(fx, dev, v0, DB0);
	fx_expect_fire(fx, dev, v1, DB1);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, n.nested), 0);
	assert_int_equal(fx_dev_hwpt(fx, dev), n.nested);
	fx_expect_fire(fx, dev, v0, DB0);
	fx_expect_fire(fx, dev, v1, DB1);
	/* The message addresses never changed. */
	assert_int_equal(swmsi_device_vectors(fx->ctx, dev, vi, 2, &cnt), 0);
	assert_int_equal(cnt, 2);
	assert_int_equal(vi[0].msg_addr, m0);
	assert_int_equal(vi[1].msg_addr, m1);
}

/* Replace from a nested HWPT to another parent installs there first. */
static void device_replace_nested_to_other_parent_installs_first(void **state)
{
	struct fx *fx = *state;
	uint32_t dev = fx_bind(fx, 1), v0, ids[4];
	uint64_t m0 = 0;
	struct nest a, b;

	nest_new(fx, &a);
	nest_new(fx, &b);
	fx_rmr_map(fx, a.nested);
	fx_rmr_map(fx, b.nested);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a.nested), 0);
	v0 = fx_msi_alloc(fx, dev, DB0, &m0);
	assert_int_equal(fx_present(fx, b.parent, ids, 4), 0);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, b.nested), 0);
	assert_int_equal(fx_present(fx, b.parent, ids, 4), 1);
	fx_expect_fire(fx, dev, v0, DB0);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, a.parent), 0);
	fx_expect_fire(fx, dev, v0, DB0);
}

/* Under reclaim, a page is needed on a parent while a nested child's group requires it. */
static void msi_free_nested_reclaim_unmaps_from_parent(void **state)
{
	struct fx *fx = *state;
	uint32_t d1 = fx_bind(fx, 1), d2 = fx_bind(fx, 2), v1, v2, ids[4];
	uint64_t m1 = 0, m2 = 0;
	struct nest n;

	nest_new(fx, &n);
	fx_rmr_map(fx, n.nested);
	assert_int_equal(swmsi_device_attach(fx->ctx, d1, n.nested), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, n.parent), 0);
	v1 = fx_msi_alloc(fx, d1, DB0, &m1);
	v2 = fx_msi_alloc(fx, d2, DB0, &m2);
	assert_int_equal(m1, m2);
	assert_int_equal(swmsi_msi_free(fx->ctx, d2, v2), 0);
	/* d1's group, on the nested child, still needs it. */
	assert_int_equal(fx_present(fx, n.parent, ids, 4), 1);
	fx_expect_fire(fx, d1, v1, DB0);
	assert_int_equal(swmsi_msi_free(fx->ctx, d1, v1), 0);
	assert_int_equal(fx_present(fx, n.parent, ids, 4), 0);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, n.parent)), 0);
}

/* Under reclaim, leaving a parent for another one unmaps what nobody there needs. */
static void device_replace_nested_to_other_parent_reclaim_unmaps_old(void **state)
{
	struct fx *fx = *state;
	uint32_t dev = fx_bind(fx, 1), v0, v1, ids[4];
	uint64_t m0 = 0, m1 = 0;
	struct nest a, b;

	nest_new(fx, &a);
	nest_new(fx, &b);
	fx_rmr_map(fx, a.nested);
	fx_rmr_map(fx, b.nested);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, a.nested), 0);
	v0 = fx_msi_alloc(fx, dev, DB0, &m0);
	v1 = fx_msi_alloc(fx, dev, DB1, &m1);
	assert_int_equal(swmsi_device_replace(fx->ctx, dev, b.nested), 0);
	assert_int_equal(fx_present(fx, a.parent, ids, 4), 0);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, a.parent)), 0);
	assert_int_equal(fx_present(fx, b.parent, ids, 4), 2);
	fx_expect_fire(fx, dev, v0, DB0);
	fx_expect_fire(fx, dev, v1, DB1);
}

/* Under reclaim, a sibling's group keeps the pages it requires on the parent. */
static void device_detach_nested_reclaim_sibling_keeps_its_pages(void **state)
{
	struct fx *fx = *state;
	uint32_t d1 = fx_bind(fx, 1), d2 = fx_bind(fx, 2), n2 = 0, v1, v2, ids[4];
	uint64_t m1 = 0, m2 = 0;
	struct nest n;

	nest_new(fx, &n);
	assert_int_equal(swmsi_hwpt_alloc_nested(fx->ctx, n.parent, &n2), 0);
	fx_rmr_map(fx, n.nested);
	fx_rmr_map(fx, n2);
	assert_int_equal(swmsi_device_attach(fx->ctx, d1, n.nested), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, d2, n2), 0);
	v1 = fx_msi_alloc(fx, d1, DB0, &m1);
	fx_msi_alloc(fx, d1, DB1, &m1);
	v2 = fx_msi_alloc(fx, d2, DB0, &m2);
	assert_int_equal(swmsi_device_detach(fx->ctx, d1), 0);
	/* DB1 was d1's alone; DB0 is still required by d2's group. */
	assert_int_equal(fx_present(fx, n.parent, ids, 4), 1);
	assert_int_equal(ids[0], 0);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, n.parent)), 1);
	fx_expect_fire(fx, d2, v2, DB0);
	/* And back: d1's pages are installed again, same addresses. */
	assert_int_equal(swmsi_device_attach(fx->ctx, d1, n.nested), 0);
	assert_int_equal(fx_present(fx, n.parent, ids, 4), 2);
	fx_expect_fire(fx, d1, v1, DB0);
}

#define T(fn)  cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
#define TR(fn) cmocka_unit_test_setup_teardown(fn, fx_setup_reclaim, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(hwpt_alloc_nested_reports_parent_and_its_domain),
		T(hwpt_alloc_nested_parent_without_flag_fails_einval),
		T(hwpt_alloc_nested_over_nested_fails_einval),
		T(hwpt_alloc_nested_ioas_or_device_id_fails_enoent),
		T(hwpt_alloc_nested_two_children_share_parent_domain),
		T(destroy_nested_tree_busy_until_taken_apart_in_order),
		T(destroy_parent_with_attached_device_fails_ebusy),
		T(hwpt_iova_to_phys_nested_walks_stage1_then_parent),
		T(hwpt_iova_to_phys_nested_without_stage1_fails_enoent),
		T(hwpt_iova_to_phys_nested_without_parent_mapping_fails_enoent),
		T(hwpt_nested_map_is_per_nested_hwpt),
		T(hwpt_nested_map_bad_arguments_fail),
		T(msi_alloc_nested_installs_in_parent_domain),
		T(msi_fire_nested_without_rmr_fails_efault),
		T(msi_fire_nested_window_mapped_elsewhere_fails_efault),
		T(msi_alloc_two_nested_same_parent_share_pages),
		T(device_attach_nested_installs_required_pages_in_parent),
		T(device_replace_nested_and_parent_keeps_iovas),
		T(device_replace_nested_to_other_parent_installs_first),
		TR(msi_free_nested_reclaim_unmaps_from_parent),
		TR(device_replace_nested_to_other_parent_reclaim_unmaps_old),
		TR(device_detach_nested_reclaim_sibling_keeps_its_pages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
