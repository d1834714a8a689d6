/* SPDX-License-Identifier: MIT */
/*
 * Failure atomicity: "a failed call changes nothing observable".
 *
 * Each mutating call is swept with a fault at its 1st, 2nd, ... backend map
 * (mock_iommu_fail_map), internal allocation (swmsi_ctx_fail_alloc) or
 * domain allocation (mock_iommu_fail_domain_alloc) until it succeeds. After
 * every failure the whole observable state must equal the state before the
 * call: attachments, where every vector fires, the MSI table, present ids,
 * counters and the contents of every backend domain.
 */
#include "fixture.h"
#include "snapshot.h"

#include <stdio.h>
#include <string.h>

#define NPAGES	       5
#define SWEEP_LIMIT    512
#define OUT_SENTINEL   0xdeadbeefu
#define OUT_SENTINEL64 0xdeadbeefcafef00dull
#define RW	       (SWMSI_PROT_READ | SWMSI_PROT_WRITE)

/* Doorbell i: one ITS-like page each, a non-zero offset inside it. */
static uint64_t doorbell(unsigned int i)
{
	return FX_ITS_PAGE + (uint64_t)i * 0x10000 + 0x40;
}

static uint64_t page_of(uint64_t addr)
{
	return addr & ~0xfffull;
}

/* ------------------------------------------------------------------------ */
/* One mutating call, described as data so a sweep can repeat it. */

enum op_kind {
	OP_IOAS_ALLOC,
	OP_IOAS_MAP,
	OP_HWPT_ALLOC,
	OP_ALLOC_NESTED,
	OP_NESTED_MAP,
	OP_BIND,
	OP_ATTACH,
	OP_REPLACE,
	OP_MSI_ALLOC,
	OP_DOORBELL,
	OP_IOAS_UNMAP,
	OP_SET_WINDOW,
	OP_MSI_FREE,
	OP_DETACH,
	OP_UNBIND,
	OP_DESTROY,
	OP_BIND_REGIONS, /* OP_BIND with the regions below */
	OP_DEV_WINDOW,	 /* a device's own window override */
};

/* The regions OP_BIND_REGIONS reports: one of each type that reserves,
 * and one that does not. */
static const struct swmsi_resv_region op_regions[] = {
	{ 0x1000000, 0x10000, SWMSI_RESV_DIRECT },
	{ 0x2000000, 0x10000, SWMSI_RESV_DIRECT_RELAXABLE },
	{ 0x3000000, 0x10000, SWMSI_RESV_RESERVED },
};

struct op {
	enum op_kind kind;
	uint32_t id;	  /* IOAS, parent, nested HWPT or device */
	uint32_t pt;	  /* attach/replace target, or a vector */
	uint32_t bits;	  /* prot, HWPT flags or group */
	uint64_t a, b, c; /* iova, paddr/ipa/size, length */
	uint32_t out_id;
	uint64_t out_addr;
};

static const char *op_name(enum op_kind k)
{
	static const char *const names[] = {
		[OP_IOAS_ALLOC] = "ioas_alloc",
		[OP_IOAS_MAP] = "ioas_map",
		[OP_HWPT_ALLOC] = "hwpt_alloc",
		[OP_ALLOC_NESTED] = "hwpt_alloc_nested",
		[OP_NESTED_MAP] = "nested_map",
		[OP_BIND] = "device_bind",
		[OP_ATTACH] = "device_attach",
		[OP_REPLACE] = "device_replace",
		[OP_MSI_ALLOC] = "msi_alloc",
		[OP_DOORBELL] = "doorbell_register",
		[OP_IOAS_UNMAP] = "ioas_unmap",
		[OP_SET_WINDOW] = "set_sw_msi_window",
		[OP_MSI_FREE] = "msi_free",
		[OP_DETACH] = "device_detach",
		[OP_UNBIND] = "device_unbind",
		[OP_DESTROY] = "destroy",
		[OP_BIND_REGIONS] = "device_bind (regions)",
		[OP_DEV_WINDOW] = "device_set_sw_msi_window",
	};

	return names[k];
}

static int op_run(struct fx *fx, struct op *op)
{
	struct swmsi_device_desc d;

	op->out_id = OUT_SENTINEL;
	op->out_addr = OUT_SENTINEL64;
	switch (op->kind) {
	case OP_IOAS_ALLOC:
		return swmsi_ioas_alloc(fx->ctx, &op->out_id);
	case OP_IOAS_MAP:
		return swmsi_ioas_map(fx->ctx, op->id, op->a, op->b, op->c, op->bits);
	case OP_HWPT_ALLOC:
		return swmsi_hwpt_alloc(fx->ctx, op->id, op->bits, &op->out_id);
	case OP_ALLOC_NESTED:
		return swmsi_hwpt_alloc_nested(fx->ctx, op->id, &op->out_id);
	case OP_NESTED_MAP:
		return swmsi_hwpt_nested_map(fx->ctx, op->id, op->a, op->b, op->c, op->bits);
	case OP_BIND:
		d = (struct swmsi_device_desc){ .group = op->bits,
						.sw_msi_start = op->a,
						.sw_msi_size = op->b };
		return swmsi_device_bind(fx->ctx, &d, &op->out_id);
	case OP_ATTACH:
		return swmsi_device_attach(fx->ctx, op->id, op->pt);
	case OP_REPLACE:
		return swmsi_device_replace(fx->ctx, op->id, op->pt);
	case OP_MSI_ALLOC:
		return swmsi_msi_alloc(fx->ctx, op->id, op->a, &op->out_id, &op->out_addr);
	case OP_DOORBELL:
		return swmsi_doorbell_register(fx->ctx, op->a, op->b);
	case OP_IOAS_UNMAP:
		return swmsi_ioas_unmap(fx->ctx, op->id, op->a, op->c);
	case OP_SET_WINDOW:
		return swmsi_ctx_set_sw_msi_window(fx->ctx, op->a, op->b);
	case OP_MSI_FREE:
		return swmsi_msi_free(fx->ctx, op->id, op->pt);
	case OP_DETACH:
		return swmsi_device_detach(fx->ctx, op->id);
	case OP_UNBIND:
		return swmsi_device_unbind(fx->ctx, op->id);
	case OP_DESTROY:
		return swmsi_destroy(fx->ctx, op->id);
	case OP_BIND_REGIONS:
		d = (struct swmsi_device_desc){ .group = op->bits,
						.sw_msi_start = op->a,
						.sw_msi_size = op->b,
						.resv = op_regions,
						.nr_resv = 3 };
		return swmsi_device_bind(fx->ctx, &d, &op->out_id);
	case OP_DEV_WINDOW:
		return swmsi_device_set_sw_msi_window(fx->ctx, op->id, op->a, op->b);
	}
	fail_msg("unknown op %d", (int)op->kind);
	return -EINVAL;
}

enum fault {
	FAULT_MAP,    /* mock_iommu_fail_map */
	FAULT_ALLOC,  /* swmsi_ctx_fail_alloc, always -ENOMEM */
	FAULT_DOMAIN, /* mock_iommu_fail_domain_alloc */
};

static void fault_arm(struct fx *fx, enum fault f, unsigned int nth, int err)
{
	switch (f) {
	case FAULT_MAP:
		mock_iommu_fail_map(fx->mock, nth, err);
		break;
	case FAULT_ALLOC:
		assert_int_equal(swmsi_ctx_fail_alloc(fx->ctx, nth), 0);
		break;
	case FAULT_DOMAIN:
		mock_iommu_fail_domain_alloc(fx->mock, nth, err);
		break;
	}
}

/*
 * Runs @op with the nth fault of kind @f armed, n = 1, 2, ... until it
 * succeeds. Every failure must return @err, leave the out-parameters alone
 * and change nothing observable: the call may have installed pages before
 * the fault and taken them out again, which only the lifetime counters may
 * show (snap_expect_restored). Returns how many runs failed.
 */
static unsigned int sweep(struct fx *fx, struct op *op, enum fault f, int err)
{
	static const char *const fault_names[] = {
		[FAULT_MAP] = "map",
		[FAULT_ALLOC] = "allocation",
		[FAULT_DOMAIN] = "domain_alloc",
	};
	char label[160];
	unsigned int n;

	if (f == FAULT_ALLOC)
		err = -ENOMEM;
	for (n = 1; n <= SWEEP_LIMIT; n++) {
		struct snap *before = snap_take(fx);
		int rc;

		fault_arm(fx, f, n, err);
		rc = op_run(fx, op);
		/* Disarm before anything else runs: an unused fault stays armed. */
		fault_arm(fx, f, 0, 0);
		if (rc == 0) {
			snap_free(before);
			return n - 1;
		}
		snprintf(label, sizeof(label), "%s with %s #%u failing (%s)", op_name(op->kind),
			 fault_names[f], n, swmsi_errname(err));
		if (rc != err)
			fail_msg("%s: returned %d (%s)", label, rc, swmsi_errname(rc));
		if (op->out_id != OUT_SENTINEL || op->out_addr != OUT_SENTINEL64)
			fail_msg("%s: wrote an out-parameter", label);
		snap_expect_restored(fx, before, label);
	}
	fail_msg("%s never succeeded in %u runs", op_name(op->kind), SWEEP_LIMIT);
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Scenes */

struct scene {
	uint32_t ioas, a, b;
	uint32_t dev, dev2;
	uint32_t vec[NPAGES];
	uint64_t msg[NPAGES];
	uint32_t owner[NPAGES]; /* which device holds vec[i] */
};

/*
 * A group on paging HWPT a with NPAGES vectors on NPAGES doorbell pages, and
 * an empty paging HWPT b on the same IOAS. With @two_devs the group has two
 * devices sharing the vectors, so the whole group must move or none of it.
 */
static void scene_on_a(struct fx *fx, struct scene *s, bool two_devs)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	s->ioas = fx_ioas(fx);
	s->a = fx_hwpt(fx, s->ioas, 0);
	s->b = fx_hwpt(fx, s->ioas, 0);
	s->dev = fx_bind(fx, 1);
	assert_int_equal(swmsi_device_attach(fx->ctx, s->dev, s->a), 0);
	if (two_devs) {
		s->dev2 = fx_bind(fx, 1);
		assert_int_equal(swmsi_device_attach(fx->ctx, s->dev2, s->a), 0);
	}
	for (i = 0; i < NPAGES; i++) {
		s->owner[i] = two_devs && (i & 1) ? s->dev2 : s->dev;
		s->vec[i] = fx_msi_alloc(fx, s->owner[i], doorbell(i), &s->msg[i]);
		/* Lowest-free slots in a fresh window, the offset kept. */
		assert_int_equal(s->msg[i], FX_WINDOW_START + (uint64_t)i * 0x1000 + 0x40);
		fx_expect_fire(fx, s->owner[i], s->vec[i], doorbell(i));
	}
}

/* Every vector of the scene fires to its doorbell through @hwpt. */
static void scene_expect_on(struct fx *fx, const struct scene *s, uint32_t hwpt)
{
	unsigned int i;

	assert_int_equal(fx_dev_hwpt(fx, s->dev), hwpt);
	if (s->dev2)
		assert_int_equal(fx_dev_hwpt(fx, s->dev2), hwpt);
	for (i = 0; i < NPAGES; i++) {
		fx_expect_fire(fx, s->owner[i], s->vec[i], doorbell(i));
		fx_expect_msi_page(fx, hwpt, page_of(s->msg[i]), page_of(doorbell(i)));
	}
}

/* ------------------------------------------------------------------------ */
/* Backend map faults */

static void replace_sweep(struct fx *fx, struct scene *s, bool two_devs, int err)
{
	struct op op = { .kind = OP_REPLACE };

	scene_on_a(fx, s, two_devs);
	op.id = s->dev;
	op.pt = s->b;
	/* One install per required page, each can fail: n = 1..NPAGES. */
	assert_int_equal(sweep(fx, &op, FAULT_MAP, err), NPAGES);
	scene_expect_on(fx, s, s->b);
}

static void device_replace_map_fails_nth_keeps_old_hwpt_eio(void **state)
{
	struct scene s;

	replace_sweep(*state, &s, false, -EIO);
}

static void device_replace_map_fails_nth_keeps_old_hwpt_enomem(void **state)
{
	struct scene s;

	replace_sweep(*state, &s, false, -ENOMEM);
}

/*
 * Under reclaim a failed replace must not reclaim anything from the old
 * domain (the sweep's snapshots check that); the successful one does.
 */
static void device_replace_map_fails_nth_reclaim_keeps_old_pages(void **state)
{
	struct fx *fx = *state;
	struct scene s;
	size_t n = SIZE_MAX;

	replace_sweep(fx, &s, false, -EIO);
	assert_int_equal(swmsi_hwpt_msi_present(fx->ctx, s.a, NULL, 0, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, s.a)), 0);
}

/*
 * Under reclaim, with another group still on the old HWPT using one of the
 * pages: failures reclaim nothing, success reclaims all but the shared page.
 */
static void device_replace_map_fails_nth_reclaim_shared_page_stays(void **state)
{
	struct fx *fx = *state;
	struct scene s;
	struct op op = { .kind = OP_REPLACE };
	uint32_t other, v, ids[NPAGES];
	uint64_t msg = 0;
	size_t n = 0;

	scene_on_a(fx, &s, false);
	other = fx_bind(fx, 2);
	assert_int_equal(swmsi_device_attach(fx->ctx, other, s.a), 0);
	v = fx_msi_alloc(fx, other, doorbell(3), &msg);
	assert_int_equal(msg, s.msg[3]);
	op.id = s.dev;
	op.pt = s.b;
	assert_int_equal(sweep(fx, &op, FAULT_MAP, -EIO), NPAGES);
	scene_expect_on(fx, &s, s.b);
	assert_int_equal(swmsi_hwpt_msi_present(fx->ctx, s.a, ids, NPAGES, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], 3);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, s.a)), 1);
	fx_expect_fire(fx, other, v, doorbell(3));
}

/* Under reclaim a detach empties the domain: reattach installs everything again. */
static void device_attach_map_fails_nth_reclaim_reinstalls_all(void **state)
{
	struct fx *fx = *state;
	struct scene s;
	struct op op = { .kind = OP_ATTACH };

	scene_on_a(fx, &s, false);
	assert_int_equal(swmsi_device_detach(fx->ctx, s.dev), 0);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, s.a)), 0);
	op.id = s.dev;
	op.pt = s.a;
	assert_int_equal(sweep(fx, &op, FAULT_MAP, -ENOMEM), NPAGES);
	scene_expect_on(fx, &s, s.a);
}

static void device_replace_group_map_fails_nth_keeps_whole_group(void **state)
{
	struct scene s;

	replace_sweep(*state, &s, true, -EIO);
}

static void device_replace_to_nested_map_fails_nth_keeps_old_hwpt(void **state)
{
	struct fx *fx = *state;
	struct scene s;
	struct op op = { .kind = OP_REPLACE };
	uint32_t ioas2, parent, nested;
	unsigned int i;

	scene_on_a(fx, &s, false);
	ioas2 = fx_ioas(fx);
	parent = fx_hwpt(fx, ioas2, SWMSI_HWPT_NEST_PARENT);
	/* The guest's RMR: the window maps to itself in stage 1. */
	nested = fx_nested_rmr(fx, parent);
	op.id = s.dev;
	op.pt = nested;
	assert_int_equal(sweep(fx, &op, FAULT_MAP, -EIO), NPAGES);
	assert_int_equal(fx_dev_hwpt(fx, s.dev), nested);
	for (i = 0; i < NPAGES; i++) {
		fx_expect_fire(fx, s.dev, s.vec[i], doorbell(i));
		/* Installed in the parent's domain. */
		fx_expect_msi_page(fx, parent, page_of(s.msg[i]), page_of(doorbell(i)));
	}
}

static void attach_sweep(struct fx *fx, int err)
{
	struct scene s;
	struct op op = { .kind = OP_ATTACH };
	unsigned int i;

	scene_on_a(fx, &s, false);
	/* Detached, the group keeps its vectors and required ids; DMA blocked. */
	assert_int_equal(swmsi_device_detach(fx->ctx, s.dev), 0);
	for (i = 0; i < NPAGES; i++) {
		uint64_t pa = 0;

		assert_int_equal(swmsi_msi_fire(fx->ctx, s.dev, s.vec[i], &pa), -EFAULT);
	}
	op.id = s.dev;
	op.pt = s.b;
	assert_int_equal(sweep(fx, &op, FAULT_MAP, err), NPAGES);
	scene_expect_on(fx, &s, s.b);
}

static void device_attach_map_fails_nth_stays_detached_eio(void **state)
{
	attach_sweep(*state, -EIO);
}

static void device_attach_map_fails_nth_stays_detached_enomem(void **state)
{
	attach_sweep(*state, -ENOMEM);
}

/* The automatic HWPT made for the attach goes away with the failure. */
static void device_attach_ioas_map_fails_nth_leaves_no_auto_hwpt(void **state)
{
	struct fx *fx = *state;
	struct scene s;
	struct op op = { .kind = OP_ATTACH };
	struct swmsi_hwpt_info hi;
	uint32_t ioas2, hwpt;
	unsigned int i;

	scene_on_a(fx, &s, false);
	assert_int_equal(swmsi_device_detach(fx->ctx, s.dev), 0);
	ioas2 = fx_ioas(fx);
	op.id = s.dev;
	op.pt = ioas2;
	assert_int_equal(sweep(fx, &op, FAULT_MAP, -EIO), NPAGES);
	hwpt = fx_dev_hwpt(fx, s.dev);
	assert_int_equal(swmsi_hwpt_info(fx->ctx, hwpt, &hi), 0);
	assert_true(hi.is_auto);
	assert_int_equal(hi.ioas_id, ioas2);
	for (i = 0; i < NPAGES; i++) {
		fx_expect_fire(fx, s.dev, s.vec[i], doorbell(i));
		fx_expect_msi_page(fx, hwpt, page_of(s.msg[i]), page_of(doorbell(i)));
	}
}

static void msi_alloc_sweep(struct fx *fx, int err)
{
	struct scene s;
	struct op op = { .kind = OP_MSI_ALLOC };
	struct swmsi_ctx_stats st;

	scene_on_a(fx, &s, false);
	op.id = s.dev;
	op.a = doorbell(NPAGES);
	/* A new page: one install, in the group's domain. */
	assert_int_equal(sweep(fx, &op, FAULT_MAP, err), 1);
	assert_int_equal(op.out_addr, FX_WINDOW_START + (uint64_t)NPAGES * 0x1000 + 0x40);
	fx_expect_fire(fx, s.dev, op.out_id, doorbell(NPAGES));
	fx_expect_msi_page(fx, s.a, page_of(op.out_addr), page_of(doorbell(NPAGES)));
	assert_int_equal(swmsi_ctx_stats(fx->ctx, &st), 0);
	assert_int_equal(st.msi_maps, NPAGES + 1);
}

static void msi_alloc_map_fails_keeps_table_eio(void **state)
{
	msi_alloc_sweep(*state, -EIO);
}

static void msi_alloc_map_fails_keeps_table_enomem(void **state)
{
	msi_alloc_sweep(*state, -ENOMEM);
}

static void msi_alloc_nested_map_fails_keeps_table(void **state)
{
	struct fx *fx = *state;
	struct op op = { .kind = OP_MSI_ALLOC };
	uint32_t ioas, parent, nested, dev;

	ioas = fx_ioas(fx);
	parent = fx_hwpt(fx, ioas, SWMSI_HWPT_NEST_PARENT);
	nested = fx_nested_rmr(fx, parent);
	dev = fx_bind(fx, 1);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, nested), 0);
	op.id = dev;
	op.a = doorbell(0);
	assert_int_equal(sweep(fx, &op, FAULT_MAP, -EIO), 1);
	assert_int_equal(op.out_addr, FX_WINDOW_START + 0x40);
	fx_expect_fire(fx, dev, op.out_id, doorbell(0));
	fx_expect_msi_page(fx, parent, page_of(op.out_addr), page_of(doorbell(0)));
}

/* Three paging HWPTs on one IOAS, one of them automatic. */
static void ioas_map_sweep(struct fx *fx, int err)
{
	struct op op = { .kind = OP_IOAS_MAP };
	uint32_t ioas, h[3], dev;
	unsigned int i;

	ioas = fx_ioas(fx);
	h[0] = fx_hwpt(fx, ioas, 0);
	h[1] = fx_hwpt(fx, ioas, SWMSI_HWPT_NEST_PARENT);
	dev = fx_bind(fx, 1);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, ioas), 0);
	h[2] = fx_dev_hwpt(fx, dev);
	fx_msi_alloc(fx, dev, doorbell(0), NULL);
	assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, 0x100000, 0x40000000, 0x2000, RW), 0);

	op.id = ioas;
	op.a = 0x200000;
	op.b = 0x50000000;
	op.c = 0x4000;
	op.bits = SWMSI_PROT_READ;
	/* At least one map per HWPT, and any of them may fail. */
	assert_true(sweep(fx, &op, FAULT_MAP, err) >= 3);
	for (i = 0; i < 3; i++) {
		uint64_t pa = 0;
		uint32_t prot = 0;

		assert_int_equal(
			mock_iommu_lookup(fx->mock, fx_domain(fx, h[i]), 0x203000, &pa, &prot), 0);
		assert_int_equal(pa, 0x50003000);
		assert_int_equal(prot, SWMSI_PROT_READ);
	}
}

static void ioas_map_mirror_fails_nth_undoes_every_hwpt_eio(void **state)
{
	ioas_map_sweep(*state, -EIO);
}

static void ioas_map_mirror_fails_nth_undoes_every_hwpt_enomem(void **state)
{
	ioas_map_sweep(*state, -ENOMEM);
}

static void hwpt_alloc_sweep(struct fx *fx, int err)
{
	struct op op = { .kind = OP_HWPT_ALLOC };
	uint32_t ioas;
	unsigned int i;

	ioas = fx_ioas(fx);
	for (i = 0; i < 3; i++)
		assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, 0x100000 + i * 0x10000,
						0x40000000 + i * 0x100000, 0x3000, RW),
				 0);
	op.id = ioas;
	/* At least one map per IOAS mapping, and any of them may fail. */
	assert_true(sweep(fx, &op, FAULT_MAP, err) >= 3);
	for (i = 0; i < 3; i++) {
		uint64_t pa = 0;

		assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, op.out_id, 0x102000 + i * 0x10000,
							 &pa),
				 0);
		assert_int_equal(pa, 0x40002000 + i * 0x100000);
	}
}

static void hwpt_alloc_mirror_fails_nth_leaves_no_hwpt_eio(void **state)
{
	hwpt_alloc_sweep(*state, -EIO);
}

static void hwpt_alloc_mirror_fails_nth_leaves_no_hwpt_enomem(void **state)
{
	hwpt_alloc_sweep(*state, -ENOMEM);
}

/* ------------------------------------------------------------------------ */
/* Internal allocation faults: every mutating call, every allocation. */

static void ioas_alloc_nth_alloc_fails_changes_nothing(void **state)
{
	struct fx *fx = *state;
	struct op op = { .kind = OP_IOAS_ALLOC };
	enum swmsi_obj_type t;

	fx_ioas(fx);
	sweep(fx, &op, FAULT_ALLOC, -ENOMEM);
	assert_int_equal(swmsi_obj_type(fx->ctx, op.out_id, &t), 0);
	assert_int_equal(t, SWMSI_OBJ_IOAS);
}

static void hwpt_alloc_nth_alloc_fails_changes_nothing(void **state)
{
	struct fx *fx = *state;
	struct op op = { .kind = OP_HWPT_ALLOC };
	uint64_t pa = 0;

	op.id = fx_ioas(fx);
	assert_int_equal(swmsi_ioas_map(fx->ctx, op.id, 0x100000, 0x40000000, 0x2000, RW), 0);
	assert_int_equal(swmsi_ioas_map(fx->ctx, op.id, 0x300000, 0x60000000, 0x1000, RW), 0);
	op.bits = SWMSI_HWPT_NEST_PARENT;
	sweep(fx, &op, FAULT_ALLOC, -ENOMEM);
	assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, op.out_id, 0x301000 - 1, &pa), 0);
	assert_int_equal(pa, 0x60000fff);
}

static void hwpt_alloc_nested_nth_alloc_fails_changes_nothing(void **state)
{
	struct fx *fx = *state;
	struct op op = { .kind = OP_ALLOC_NESTED };
	struct swmsi_hwpt_info hi;

	op.id = fx_hwpt(fx, fx_ioas(fx), SWMSI_HWPT_NEST_PARENT);
	sweep(fx, &op, FAULT_ALLOC, -ENOMEM);
	assert_int_equal(swmsi_hwpt_info(fx->ctx, op.out_id, &hi), 0);
	assert_int_equal(hi.type, SWMSI_OBJ_HWPT_NESTED);
	assert_int_equal(hi.parent_id, op.id);
}

static void device_bind_nth_alloc_fails_changes_nothing(void **state)
{
	struct fx *fx = *state;
	struct op op = { .kind = OP_BIND, .bits = 7 };
	struct swmsi_device_info di;

	op.a = FX_WINDOW_START;
	op.b = FX_WINDOW_SIZE;
	sweep(fx, &op, FAULT_ALLOC, -ENOMEM);
	assert_int_equal(swmsi_device_info(fx->ctx, op.out_id, &di), 0);
	assert_int_equal(di.group, 7);
	/* A second device of the same group: joins an existing group. */
	sweep(fx, &op, FAULT_ALLOC, -ENOMEM);
	assert_int_equal(swmsi_device_info(fx->ctx, op.out_id, &di), 0);
	assert_int_equal(di.group, 7);
}

static void device_attach_nth_alloc_fails_changes_nothing(void **state)
{
	struct fx *fx = *state;
	struct scene s;
	struct op op = { .kind = OP_ATTACH };
	uint32_t dev2;

	scene_on_a(fx, &s, false);
	assert_int_equal(swmsi_device_detach(fx->ctx, s.dev), 0);
	op.id = s.dev;
	op.pt = s.b;
	sweep(fx, &op, FAULT_ALLOC, -ENOMEM);
	scene_expect_on(fx, &s, s.b);
	/* A second group joining the same HWPT. */
	dev2 = fx_bind(fx, 2);
	op.id = dev2;
	sweep(fx, &op, FAULT_ALLOC, -ENOMEM);
	assert_int_equal(fx_dev_hwpt(fx, dev2), s.b);
}

static void device_attach_ioas_nth_alloc_fails_changes_nothing(void **state)
{
	struct fx *fx = *state;
	struct op op = { .kind = OP_ATTACH };
	struct swmsi_hwpt_info hi;
	uint32_t ioas, dev, dev2;

	ioas = fx_ioas(fx);
	assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, 0x100000, 0x40000000, 0x2000, RW), 0);
	dev = fx_bind(fx, 1);
	op.id = dev;
	op.pt = ioas;
	sweep(fx, &op, FAULT_ALLOC, -ENOMEM);
	assert_int_equal(swmsi_hwpt_info(fx->ctx, fx_dev_hwpt(fx, dev), &hi), 0);
	assert_true(hi.is_auto);
	/* The second group reuses the automatic HWPT. */
	dev2 = fx_bind(fx, 2);
	op.id = dev2;
	sweep(fx, &op, FAULT_ALLOC, -ENOMEM);
	assert_int_equal(fx_dev_hwpt(fx, dev2), fx_dev_hwpt(fx, dev));
}

static void device_replace_nth_alloc_fails_changes_nothing(void **state)
{
	struct fx *fx = *state;
	struct scene s;
	struct op op = { .kind = OP_REPLACE };
	uint32_t ioas2;

	scene_on_a(fx, &s, true);
	op.id = s.dev;
	op.pt = s.b;
	sweep(fx, &op, FAULT_ALLOC, -ENOMEM);
	scene_expect_on(fx, &s, s.b);
	/* And to an IOAS, through a new automatic HWPT. */
	ioas2 = fx_ioas(fx);
	op.pt = ioas2;
	sweep(fx, &op, FAULT_ALLOC, -ENOMEM);
	assert_int_not_equal(fx_dev_hwpt(fx, s.dev), s.b);
	scene_expect_on(fx, &s, fx_dev_hwpt(fx, s.dev));
}

static void msi_alloc_nth_alloc_fails_changes_nothing(void **state)
{
	struct fx *fx = *state;
	struct op op = { .kind = OP_MSI_ALLOC };
	uint32_t ioas, hwpt, dev, dev2, dev3;

	ioas = fx_ioas(fx);
	hwpt = fx_hwpt(fx, ioas, 0);
	dev = fx_bind(fx, 1);
	dev2 = fx_bind(fx, 2);
	dev3 = fx_bind_nowin(fx, 3);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, hwpt), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev2, hwpt), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev3, hwpt), 0);

	/* The first entry of a window. */
	op.id = dev;
	op.a = doorbell(0);
	sweep(fx, &op, FAULT_ALLOC, -ENOMEM);
	assert_int_equal(op.out_addr, FX_WINDOW_START + 0x40);
	/* A second page of the window. */
	op.a = doorbell(1);
	sweep(fx, &op, FAULT_ALLOC, -ENOMEM);
	assert_int_equal(op.out_addr, FX_WINDOW_START + 0x1040);
	/* A hit from another group. */
	op.id = dev2;
	op.a = doorbell(1);
	sweep(fx, &op, FAULT_ALLOC, -ENOMEM);
	assert_int_equal(op.out_addr, FX_WINDOW_START + 0x1040);
	fx_expect_fire(fx, dev2, op.out_id, doorbell(1));
	/* An untranslated vector. */
	op.id = dev3;
	op.a = doorbell(2);
	sweep(fx, &op, FAULT_ALLOC, -ENOMEM);
	assert_int_equal(op.out_addr, doorbell(2));
}

static void ioas_map_nth_alloc_fails_changes_nothing(void **state)
{
	struct fx *fx = *state;
	struct op op = { .kind = OP_IOAS_MAP };
	uint64_t pa = 0;
	uint32_t h1, h2;

	op.id = fx_ioas(fx);
	h1 = fx_hwpt(fx, op.id, 0);
	h2 = fx_hwpt(fx, op.id, 0);
	op.a = 0x100000;
	op.b = 0x40000000;
	op.c = 0x4000;
	op.bits = RW;
	sweep(fx, &op, FAULT_ALLOC, -ENOMEM);
	assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, h1, 0x103000, &pa), 0);
	assert_int_equal(pa, 0x40003000);
	assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, h2, 0x103000, &pa), 0);
	assert_int_equal(pa, 0x40003000);
}

static void doorbell_register_nth_alloc_fails_changes_nothing(void **state)
{
	struct fx *fx = *state;
	struct op op = { .kind = OP_DOORBELL };
	uint32_t hwpt, dev, vec = OUT_SENTINEL;
	uint64_t msg = 0;

	hwpt = fx_hwpt(fx, fx_ioas(fx), 0);
	dev = fx_bind(fx, 1);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, hwpt), 0);
	op.a = page_of(doorbell(0));
	op.b = 0x1000;
	sweep(fx, &op, FAULT_ALLOC, -ENOMEM);
	/* The region is in force: its page passes, another one is refused. */
	assert_int_equal(swmsi_msi_alloc(fx->ctx, dev, doorbell(1), &vec, &msg), -EPERM);
	fx_msi_alloc(fx, dev, doorbell(0), &msg);
	assert_int_equal(msg, FX_WINDOW_START + 0x40);
}

static void hwpt_nested_map_nth_alloc_fails_changes_nothing(void **state)
{
	struct fx *fx = *state;
	struct op op = { .kind = OP_NESTED_MAP };
	uint32_t ioas, parent;
	uint64_t pa = 0;

	ioas = fx_ioas(fx);
	assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, 0x200000, 0x40000000, 0x2000, RW), 0);
	parent = fx_hwpt(fx, ioas, SWMSI_HWPT_NEST_PARENT);
	assert_int_equal(swmsi_hwpt_alloc_nested(fx->ctx, parent, &op.id), 0);
	op.a = 0x1000000;
	op.b = 0x200000;
	op.c = 0x2000;
	op.bits = RW;
	sweep(fx, &op, FAULT_ALLOC, -ENOMEM);
	assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, op.id, 0x1001008, &pa), 0);
	assert_int_equal(pa, 0x40001008);
}

/*
 * The calls that take things apart may allocate too (or may not: then the
 * first run succeeds and the sweep is a single step).
 */
static void ioas_unmap_nth_alloc_fails_changes_nothing(void **state)
{
	struct fx *fx = *state;
	struct op op = { .kind = OP_IOAS_UNMAP };
	uint32_t h1, h2;
	uint64_t pa = 0;

	op.id = fx_ioas(fx);
	h1 = fx_hwpt(fx, op.id, 0);
	assert_int_equal(swmsi_ioas_map(fx->ctx, op.id, 0x100000, 0x40000000, 0x2000, RW), 0);
	assert_int_equal(swmsi_ioas_map(fx->ctx, op.id, 0x110000, 0x41000000, 0x1000, RW), 0);
	assert_int_equal(swmsi_ioas_map(fx->ctx, op.id, 0x300000, 0x42000000, 0x1000, RW), 0);
	h2 = fx_hwpt(fx, op.id, 0);
	op.a = 0x100000;
	op.c = 0x100000;
	sweep(fx, &op, FAULT_ALLOC, -ENOMEM);
	assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, h1, 0x110000, &pa), -ENOENT);
	assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, h2, 0x100000, &pa), -ENOENT);
	assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, h2, 0x300000, &pa), 0);
	assert_int_equal(pa, 0x42000000);
}

/* Bind with regions: a new group, then a device joining it. */
static void device_bind_regions_nth_alloc_fails_changes_nothing(void **state)
{
	struct fx *fx = *state;
	struct op op = { .kind = OP_BIND_REGIONS, .bits = 7 };

	op.a = FX_WINDOW_START;
	op.b = FX_WINDOW_SIZE;
	assert_true(sweep(fx, &op, FAULT_ALLOC, -ENOMEM) >= 2);
	sweep(fx, &op, FAULT_ALLOC, -ENOMEM);
	assert_int_equal(fx_dev_info(fx, op.out_id).group, 7);
}

/* Attach of a device with regions through an automatic HWPT: every
 * allocation and the domain's, each failing in turn, then the attach
 * reserves its ranges. */
static void device_attach_regions_nth_fault_changes_nothing(void **state)
{
	struct fx *fx = *state;
	struct op bind = { .kind = OP_BIND_REGIONS, .bits = 1 };
	struct op op = { .kind = OP_ATTACH };
	uint32_t ioas = fx_ioas(fx);
	size_t n = 0;

	bind.a = FX_WINDOW_START;
	bind.b = FX_WINDOW_SIZE;
	assert_int_equal(op_run(fx, &bind), 0);
	op.id = bind.out_id;
	op.pt = ioas;
	sweep(fx, &op, FAULT_DOMAIN, -EIO);
	assert_int_equal(swmsi_device_detach(fx->ctx, op.id), 0);
	assert_true(sweep(fx, &op, FAULT_ALLOC, -ENOMEM) >= 1);
	/* DIRECT, RESERVED, the window and the HWPT's aperture */
	assert_int_equal(swmsi_ioas_resv_list(fx->ctx, ioas, NULL, 0, &n), 0);
	assert_int_equal(n, 4);
}

/* A device's window override allocates nothing: no fault reaches it. */
static void device_set_sw_msi_window_nth_alloc_fails_changes_nothing(void **state)
{
	struct fx *fx = *state;
	struct op op = { .kind = OP_DEV_WINDOW };
	uint64_t s = 0, z = 0;

	op.id = fx_bind(fx, 1);
	op.a = 0x40000000;
	op.b = 0x200000;
	assert_int_equal(sweep(fx, &op, FAULT_ALLOC, -ENOMEM), 0);
	assert_int_equal(swmsi_device_get_sw_msi_window(fx->ctx, op.id, &s, &z), 0);
	assert_int_equal(s, 0x40000000);
	assert_int_equal(z, 0x200000);
}

static void ctx_set_sw_msi_window_nth_alloc_fails_changes_nothing(void **state)
{
	struct fx *fx = *state;
	struct op op = { .kind = OP_SET_WINDOW };
	struct swmsi_device_info di;
	uint32_t h, dev;
	uint64_t msg = 0;

	h = fx_hwpt(fx, fx_ioas(fx), 0);
	dev = fx_bind(fx, 1);
	op.a = 0x10000000;
	op.b = 0x10000;
	sweep(fx, &op, FAULT_ALLOC, -ENOMEM);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h), 0);
	assert_int_equal(swmsi_device_info(fx->ctx, dev, &di), 0);
	assert_int_equal(di.sw_msi_start, 0x10000000);
	assert_int_equal(di.sw_msi_size, 0x10000);
	fx_msi_alloc(fx, dev, doorbell(0), &msg);
	assert_int_equal(msg, 0x10000040);
}

static void msi_free_nth_alloc_fails_changes_nothing(void **state)
{
	struct fx *fx = *state;
	struct scene s;
	struct op op = { .kind = OP_MSI_FREE };
	struct swmsi_ctx_stats st;

	scene_on_a(fx, &s, false);
	op.id = s.dev;
	op.pt = s.vec[2];
	sweep(fx, &op, FAULT_ALLOC, -ENOMEM);
	assert_int_equal(swmsi_ctx_stats(fx->ctx, &st), 0);
	/* Under reclaim the entry goes with its last vector. */
	assert_int_equal(st.msi_maps, NPAGES - 1);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, s.a)), NPAGES - 1);
}

static void device_detach_nth_alloc_fails_changes_nothing(void **state)
{
	struct fx *fx = *state;
	struct scene s;
	struct op op = { .kind = OP_DETACH };

	scene_on_a(fx, &s, true);
	op.id = s.dev2;
	sweep(fx, &op, FAULT_ALLOC, -ENOMEM);
	/* The group stays with dev, and so do all the pages. */
	scene_expect_on(fx, &s, s.a);
	op.id = s.dev;
	sweep(fx, &op, FAULT_ALLOC, -ENOMEM);
	assert_int_equal(fx_dev_hwpt(fx, s.dev), 0);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, fx_domain(fx, s.a)), 0);
}

static void device_unbind_nth_alloc_fails_changes_nothing(void **state)
{
	struct fx *fx = *state;
	struct scene s;
	struct op op = { .kind = OP_UNBIND };
	struct swmsi_ctx_stats st;

	scene_on_a(fx, &s, false);
	op.id = s.dev;
	sweep(fx, &op, FAULT_ALLOC, -ENOMEM);
	assert_int_equal(swmsi_ctx_stats(fx->ctx, &st), 0);
	assert_int_equal(st.msi_maps, 0);
	assert_int_equal(mock_iommu_mapped_pages(fx->mock, NULL), 0);
}

static void destroy_nth_alloc_fails_changes_nothing(void **state)
{
	struct fx *fx = *state;
	struct op op = { .kind = OP_DESTROY };
	uint32_t ioas, parent, nested = 0;

	ioas = fx_ioas(fx);
	assert_int_equal(swmsi_ioas_map(fx->ctx, ioas, 0x100000, 0x40000000, 0x2000, RW), 0);
	parent = fx_hwpt(fx, ioas, SWMSI_HWPT_NEST_PARENT);
	assert_int_equal(swmsi_hwpt_alloc_nested(fx->ctx, parent, &nested), 0);
	op.id = nested;
	sweep(fx, &op, FAULT_ALLOC, -ENOMEM);
	op.id = parent;
	sweep(fx, &op, FAULT_ALLOC, -ENOMEM);
	op.id = ioas;
	sweep(fx, &op, FAULT_ALLOC, -ENOMEM);
	assert_int_equal(mock_iommu_domain_count(fx->mock), 0);
}

/* ------------------------------------------------------------------------ */
/* Backend domain allocation faults */

static void hwpt_alloc_domain_alloc_fails_changes_nothing(void **state)
{
	struct fx *fx = *state;
	struct op op = { .kind = OP_HWPT_ALLOC };

	op.id = fx_ioas(fx);
	assert_int_equal(swmsi_ioas_map(fx->ctx, op.id, 0x100000, 0x40000000, 0x2000, RW), 0);
	assert_int_equal(sweep(fx, &op, FAULT_DOMAIN, -EIO), 1);
	op.bits = SWMSI_HWPT_NEST_PARENT;
	assert_int_equal(sweep(fx, &op, FAULT_DOMAIN, -ENOMEM), 1);
}

static void device_attach_ioas_domain_alloc_fails_changes_nothing(void **state)
{
	struct fx *fx = *state;
	struct scene s;
	struct op op = { .kind = OP_ATTACH };
	uint32_t ioas2;

	scene_on_a(fx, &s, false);
	assert_int_equal(swmsi_device_detach(fx->ctx, s.dev), 0);
	ioas2 = fx_ioas(fx);
	op.id = s.dev;
	op.pt = ioas2;
	assert_int_equal(sweep(fx, &op, FAULT_DOMAIN, -EIO), 1);
	scene_expect_on(fx, &s, fx_dev_hwpt(fx, s.dev));
	/* Replace to a third IOAS: the group stays on the second one. */
	op.kind = OP_REPLACE;
	op.pt = fx_ioas(fx);
	assert_int_equal(sweep(fx, &op, FAULT_DOMAIN, -ENOMEM), 1);
	scene_expect_on(fx, &s, fx_dev_hwpt(fx, s.dev));
}

#define T(fn)  cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
#define TR(fn) cmocka_unit_test_setup_teardown(fn, fx_setup_reclaim, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(device_replace_map_fails_nth_keeps_old_hwpt_eio),
		T(device_replace_map_fails_nth_keeps_old_hwpt_enomem),
		TR(device_replace_map_fails_nth_reclaim_keeps_old_pages),
		TR(device_replace_map_fails_nth_reclaim_shared_page_stays),
		TR(device_attach_map_fails_nth_reclaim_reinstalls_all),
		T(device_replace_group_map_fails_nth_keeps_whole_group),
		T(device_replace_to_nested_map_fails_nth_keeps_old_hwpt),
		T(device_attach_map_fails_nth_stays_detached_eio),
		T(device_attach_map_fails_nth_stays_detached_enomem),
		T(device_attach_ioas_map_fails_nth_leaves_no_auto_hwpt),
		T(msi_alloc_map_fails_keeps_table_eio),
		T(msi_alloc_map_fails_keeps_table_enomem),
		T(msi_alloc_nested_map_fails_keeps_table),
		T(ioas_map_mirror_fails_nth_undoes_every_hwpt_eio),
		T(ioas_map_mirror_fails_nth_undoes_every_hwpt_enomem),
		T(hwpt_alloc_mirror_fails_nth_leaves_no_hwpt_eio),
		T(hwpt_alloc_mirror_fails_nth_leaves_no_hwpt_enomem),
		T(ioas_alloc_nth_alloc_fails_changes_nothing),
		T(hwpt_alloc_nth_alloc_fails_changes_nothing),
		T(hwpt_alloc_nested_nth_alloc_fails_changes_nothing),
		T(device_bind_nth_alloc_fails_changes_nothing),
		T(device_attach_nth_alloc_fails_changes_nothing),
		T(device_attach_ioas_nth_alloc_fails_changes_nothing),
		T(device_replace_nth_alloc_fails_changes_nothing),
		T(msi_alloc_nth_alloc_fails_changes_nothing),
		T(ioas_map_nth_alloc_fails_changes_nothing),
		T(doorbell_register_nth_alloc_fails_changes_nothing),
		T(hwpt_nested_map_nth_alloc_fails_changes_nothing),
		T(ioas_unmap_nth_alloc_fails_changes_nothing),
		T(ctx_set_sw_msi_window_nth_alloc_fails_changes_nothing),
		T(device_bind_regions_nth_alloc_fails_changes_nothing),
		T(device_attach_regions_nth_fault_changes_nothing),
		T(device_set_sw_msi_window_nth_alloc_fails_changes_nothing),
		TR(msi_free_nth_alloc_fails_changes_nothing),
		TR(device_detach_nth_alloc_fails_changes_nothing),
		TR(device_unbind_nth_alloc_fails_changes_nothing),
		T(destroy_nth_alloc_fails_changes_nothing),
		T(hwpt_alloc_domain_alloc_fails_changes_nothing),
		T(device_attach_ioas_domain_alloc_fails_changes_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
