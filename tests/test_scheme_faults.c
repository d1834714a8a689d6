/* SPDX-License-Identifier: MIT */
/*
 * Fault sweeps under each sw_msi scheme (API.md "Schemes (v0.2)"): for
 * msi_alloc of a new page, and attach and replace of a group that needs
 * three pages, fail the 1st, 2nd, ... backend map (mock_iommu_fail_map) or
 * internal allocation (swmsi_ctx_fail_alloc) until the call succeeds, and
 * assert exactly what the contract says each failure leaves:
 *  - NATIVE: nothing (the call's error is the backend's);
 *  - DMA_IOMMU: nothing, cookies included (a failed map is -ENOMEM, and
 *    attach/replace map nothing, so a map fault never hits them);
 *  - KERNEL: after a failed msi_alloc map, the kept entry and nothing else;
 *    after a failed attach/replace install, exactly the pages that call
 *    installed in the target and nothing else. An allocation failure is
 *    not a map failure: it leaves nothing, as under the other schemes.
 * And under KERNEL and DMA_IOMMU, a replace onto another HWPT of the same
 * IOAS whose install fails (a map or an allocation) drops the group's
 * reserved ranges from that IOAS, as upstream's error path does; nothing
 * else changes. NATIVE keeps them.
 */
#include "scheme_fixture.h"
#include "snapshot.h"

#include <stdio.h>
#include <string.h>

#define W	    FX_WINDOW_START
#define PG	    0x1000ull
#define OFF	    0x40ull
#define NPAGES	    3
#define SWEEP_LIMIT 256
#define SENT32	    0xdeadbeefu
#define SENT64	    0xdeadbeefcafef00dull
#define MAP_ERR	    (-EIO)

enum fault {
	FAULT_MAP,
	FAULT_ALLOC
};
enum kind {
	OP_MSI_ALLOC,
	OP_ATTACH,
	OP_REPLACE
};

struct op {
	enum kind kind;
	uint32_t dev, pt;
	uint64_t addr;
	uint32_t out_vec;
	uint64_t out_msg;
};

struct scene {
	uint32_t ioas, a, b, dev;
	uint32_t vec[NPAGES];
};

static const char *const kind_names[] = {
	[OP_MSI_ALLOC] = "msi_alloc",
	[OP_ATTACH] = "device_attach",
	[OP_REPLACE] = "device_replace",
};
static const char *const fault_names[] = { [FAULT_MAP] = "map", [FAULT_ALLOC] = "allocation" };

static int op_run(struct fx *fx, struct op *op)
{
	op->out_vec = SENT32;
	op->out_msg = SENT64;
	switch (op->kind) {
	case OP_MSI_ALLOC:
		return swmsi_msi_alloc(fx->ctx, op->dev, op->addr, &op->out_vec, &op->out_msg);
	case OP_ATTACH:
		return swmsi_device_attach(fx->ctx, op->dev, op->pt);
	case OP_REPLACE:
		return swmsi_device_replace(fx->ctx, op->dev, op->pt);
	}
	fail_msg("unknown op %d", (int)op->kind);
	return -EINVAL;
}

static void fault_arm(struct fx *fx, enum fault f, unsigned int nth)
{
	if (f == FAULT_MAP)
		mock_iommu_fail_map(fx->mock, nth, MAP_ERR);
	else
		assert_int_equal(swmsi_ctx_fail_alloc(fx->ctx, nth), 0);
}

/* What the failure of @op under @fx's scheme returns for fault @f. */
static int expected_err(const struct fx *fx, enum fault f)
{
	if (f == FAULT_ALLOC)
		return -ENOMEM;
	/* dma-iommu flattens every map error. */
	return fx->opts.scheme == SWMSI_SCHEME_DMA_IOMMU ? -ENOMEM : MAP_ERR;
}

/*
 * A group of three pages on paging a, an empty paging b on the same IOAS.
 * Every scheme gives the pages W, W + 1 page, W + 2 pages here.
 */
static void scene_on_a(struct fx *fx, struct scene *s)
{
	unsigned int i;

	s->ioas = fx_ioas(fx);
	s->a = fx_hwpt(fx, s->ioas, 0);
	s->b = fx_hwpt(fx, s->ioas, 0);
	s->dev = fx_bind(fx, 1);
	assert_int_equal(swmsi_device_attach(fx->ctx, s->dev, s->a), 0);
	for (i = 0; i < NPAGES; i++)
		s->vec[i] = fx_expect_msi_alloc(fx, s->dev, sx_db(i), W + i * PG + OFF);
}

static void scene_expect_fires(struct fx *fx, const struct scene *s)
{
	unsigned int i;

	for (i = 0; i < NPAGES; i++)
		fx_expect_fire(fx, s->dev, s->vec[i], sx_db(i));
}

/* ------------------------------------------------------------------------ */
/* Reserved ranges: the common snapshot does not see them either. */

/* How many ranges devices own on @ioas (the aperture left out): none, or
 * the scene's window owned by @dev (anything else fails the test). */
static size_t dev_ranges(struct fx *fx, uint32_t ioas, uint32_t dev)
{
	struct swmsi_resv_info r[8];
	size_t n = 0, i, k = 0;

	assert_int_equal(swmsi_ioas_resv_list(fx->ctx, ioas, r, 8, &n), 0);
	assert_true(n <= 8);
	for (i = 0; i < n; i++) {
		if (r[i].type == SWMSI_RESV_APERTURE)
			continue;
		assert_int_equal(r[i].start, W);
		assert_int_equal(r[i].last, W + FX_WINDOW_SIZE - 1);
		assert_int_equal(r[i].type, SWMSI_RESV_SW_MSI);
		assert_int_equal(r[i].owner, dev);
		k++;
	}
	return k;
}

/* A failed @op leaves the scene's device owning its window on the IOAS
 * (1) or nothing there (0): upstream's same-IOAS replace whose install
 * fails drops it (KERNEL, DMA_IOMMU); every other failure leaves what was. */
static size_t ranges_after_failure(const struct fx *fx, const struct op *op, size_t before)
{
	if (op->kind == OP_REPLACE && fx->opts.scheme != SWMSI_SCHEME_NATIVE)
		return 0;
	return before;
}

static void expect_ranges_after_failure(struct fx *fx, const struct scene *s, const struct op *op,
					size_t before, const char *label)
{
	size_t now = dev_ranges(fx, s->ioas, s->dev), want = ranges_after_failure(fx, op, before);

	if (now != want)
		fail_msg("%s: the device owns %zu ranges on the IOAS, want %zu", label, now, want);
}

/* ------------------------------------------------------------------------ */
/* Cookies: the common snapshot does not see them. */

struct cookies {
	struct swmsi_msi_cookie_info info[2];
	struct swmsi_msi_cookie_page pages[2][8];
	size_t n[2];
};

static void cookies_take(struct fx *fx, const struct scene *s, struct cookies *c)
{
	const uint32_t hw[2] = { s->a, s->b };
	unsigned int i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < 2; i++) {
		c->n[i] = sx_cookie(fx, hw[i], &c->info[i], c->pages[i], 8);
		assert_true(c->n[i] <= 8);
	}
}

static void cookies_expect_same(struct fx *fx, const struct scene *s, const struct cookies *was,
				const char *label)
{
	struct cookies now;
	unsigned int i;
	size_t j;

	cookies_take(fx, s, &now);
	for (i = 0; i < 2; i++) {
		const struct swmsi_msi_cookie_info *a = &was->info[i], *b = &now.info[i];

		if (a->active != b->active || a->base != b->base || a->next_iova != b->next_iova ||
		    a->pages != b->pages || was->n[i] != now.n[i])
			fail_msg("%s: the cookie of HWPT %u changed", label, i ? s->b : s->a);
		for (j = 0; j < was->n[i]; j++)
			if (was->pages[i][j].iova != now.pages[i][j].iova ||
			    was->pages[i][j].msi_page != now.pages[i][j].msi_page)
				fail_msg("%s: a cookie page of HWPT %u changed", label,
					 i ? s->b : s->a);
	}
}

/* ------------------------------------------------------------------------ */
/* Sweeps */

static void expect_failed(struct fx *fx, const struct op *op, enum fault f, int rc,
			  const char *label)
{
	int want = expected_err(fx, f);

	if (rc != want)
		fail_msg("%s: returned %d (%s), want %s", label, rc, swmsi_errname(rc),
			 swmsi_errname(want));
	if (op->out_vec != SENT32 || op->out_msg != SENT64)
		fail_msg("%s: wrote an out-parameter", label);
}

/*
 * Runs @op with the nth fault @f armed, n = 1, 2, ..., until it succeeds;
 * every failure must leave everything, cookies included, as it was.
 * Returns how many runs failed.
 */
static unsigned int sweep_restored(struct fx *fx, const struct scene *s, struct op *op,
				   enum fault f)
{
	char label[160];
	unsigned int n;

	for (n = 1; n <= SWEEP_LIMIT; n++) {
		struct snap *before = snap_take(fx);
		size_t ranges = dev_ranges(fx, s->ioas, s->dev);
		struct cookies ck;
		int rc;

		cookies_take(fx, s, &ck);
		fault_arm(fx, f, n);
		rc = op_run(fx, op);
		fault_arm(fx, f, 0);
		if (rc == 0) {
			snap_free(before);
			return n - 1;
		}
		snprintf(label, sizeof(label), "%s under %s, %s #%u failing", kind_names[op->kind],
			 swmsi_scheme_name(fx->opts.scheme), fault_names[f], n);
		expect_failed(fx, op, f, rc, label);
		if (!ranges_after_failure(fx, op, ranges))
			snap_forget_reserved(before, s->ioas);
		snap_expect_restored(fx, before, label);
		cookies_expect_same(fx, s, &ck, label);
		expect_ranges_after_failure(fx, s, op, ranges, label);
	}
	fail_msg("%s never succeeded in %u runs", kind_names[op->kind], SWEEP_LIMIT);
	return 0;
}

/*
 * KERNEL, msi_alloc of a new page with map #n failing: the entry is added
 * before the map, so a failure keeps exactly that entry (with no vector);
 * the retry reuses it and succeeds. Returns how many runs failed.
 */
static unsigned int sweep_kernel_msi_alloc_map(struct fx *fx, const struct scene *s, struct op *op)
{
	const uint32_t hw[2] = { s->a, s->b };
	struct ksnap_allow allow = { 0 };
	char label[160];
	unsigned int n, failed = 0;

	for (n = 1; n <= SWEEP_LIMIT; n++) {
		struct ksnap *before = ksnap_take(fx, hw, 2, &s->dev, 1);
		size_t maps = fx_msi_map_count(fx), ranges = dev_ranges(fx, s->ioas, s->dev);
		int rc;

		fault_arm(fx, FAULT_MAP, n);
		rc = op_run(fx, op);
		fault_arm(fx, FAULT_MAP, 0);
		if (rc == 0) {
			ksnap_free(before);
			return failed;
		}
		failed++;
		snprintf(label, sizeof(label), "msi_alloc under kernel, map #%u failing", n);
		expect_failed(fx, op, FAULT_MAP, rc, label);
		/* Only the first failure adds the entry; a later one finds it. */
		allow.new_maps = maps == NPAGES ? 1 : 0;
		ksnap_expect(fx, before, &allow, label);
		expect_ranges_after_failure(fx, s, op, ranges, label);
	}
	fail_msg("msi_alloc never succeeded in %u runs", SWEEP_LIMIT);
	return 0;
}

/*
 * KERNEL, attach/replace with map #n failing, each run into a fresh paging
 * HWPT t: the failed call leaves in t exactly the n - 1 pages it installed
 * before the failing one, and nothing else changes. Returns the target of
 * the run that succeeded; *failed gets how many runs failed.
 */
static uint32_t sweep_kernel_move_map(struct fx *fx, const struct scene *s, struct op *op,
				      unsigned int *failed)
{
	char label[160];
	unsigned int n;

	*failed = 0;
	for (n = 1; n <= SWEEP_LIMIT; n++) {
		uint32_t hw[2] = { s->a, fx_hwpt(fx, s->ioas, 0) };
		struct ksnap_allow allow = { .grown_hwpt = hw[1], .grown = n - 1 };
		struct ksnap *before = ksnap_take(fx, hw, 2, &s->dev, 1);
		size_t ranges = dev_ranges(fx, s->ioas, s->dev);
		int rc;

		op->pt = hw[1];
		fault_arm(fx, FAULT_MAP, n);
		rc = op_run(fx, op);
		fault_arm(fx, FAULT_MAP, 0);
		if (rc == 0) {
			ksnap_free(before);
			return hw[1];
		}
		(*failed)++;
		snprintf(label, sizeof(label), "%s under kernel, map #%u failing",
			 kind_names[op->kind], n);
		expect_failed(fx, op, FAULT_MAP, rc, label);
		ksnap_expect(fx, before, &allow, label);
		expect_ranges_after_failure(fx, s, op, ranges, label);
	}
	fail_msg("%s never succeeded in %u runs", kind_names[op->kind], SWEEP_LIMIT);
	return 0;
}

/* ------------------------------------------------------------------------ */
/* msi_alloc of a new page */

static void msi_alloc_sweep(struct fx *fx, enum fault f)
{
	struct op op = { .kind = OP_MSI_ALLOC };
	struct scene s;
	unsigned int failed;

	scene_on_a(fx, &s);
	op.dev = s.dev;
	op.addr = sx_db(NPAGES);
	if (fx->opts.scheme == SWMSI_SCHEME_KERNEL && f == FAULT_MAP)
		failed = sweep_kernel_msi_alloc_map(fx, &s, &op);
	else
		failed = sweep_restored(fx, &s, &op, f);
	/* One map per new page, so exactly one map fault can hit it. */
	if (f == FAULT_MAP)
		assert_int_equal(failed, 1);
	assert_int_equal(op.out_msg, W + NPAGES * PG + OFF);
	fx_expect_fire(fx, s.dev, op.out_vec, sx_db(NPAGES));
	scene_expect_fires(fx, &s);
	if (fx->opts.scheme == SWMSI_SCHEME_DMA_IOMMU) {
		sx_expect_mapped(fx, s.a, W + NPAGES * PG, sx_page_of(fx, sx_db(NPAGES)),
				 SX_PROT_COOKIE);
		sx_expect_cookie(fx, s.a, W, W + (NPAGES + 1) * PG, NPAGES + 1);
		return;
	}
	sx_expect_mapped(fx, s.a, W + NPAGES * PG, sx_page_of(fx, sx_db(NPAGES)), SX_PROT_MSI);
	assert_int_equal(fx_msi_map_count(fx), NPAGES + 1);
}

static void msi_alloc_native_new_page_map_fault_sweep_changes_nothing(void **state)
{
	msi_alloc_sweep(*state, FAULT_MAP);
}

static void msi_alloc_native_new_page_alloc_fault_sweep_changes_nothing(void **state)
{
	msi_alloc_sweep(*state, FAULT_ALLOC);
}

static void msi_alloc_dma_new_page_map_fault_sweep_enomem_changes_nothing(void **state)
{
	msi_alloc_sweep(*state, FAULT_MAP);
}

static void msi_alloc_dma_new_page_alloc_fault_sweep_changes_nothing(void **state)
{
	msi_alloc_sweep(*state, FAULT_ALLOC);
}

static void msi_alloc_kernel_new_page_map_fault_keeps_only_entry(void **state)
{
	msi_alloc_sweep(*state, FAULT_MAP);
}

static void msi_alloc_kernel_new_page_alloc_fault_sweep_changes_nothing(void **state)
{
	msi_alloc_sweep(*state, FAULT_ALLOC);
}

/* ------------------------------------------------------------------------ */
/* attach and replace of a group that needs three pages */

/* NATIVE, KERNEL: the group is on @hwpt, its pages installed there. */
static void expect_moved(struct fx *fx, const struct scene *s, uint32_t hwpt)
{
	unsigned int i;

	assert_int_equal(fx_dev_hwpt(fx, s->dev), hwpt);
	scene_expect_fires(fx, s);
	for (i = 0; i < NPAGES; i++)
		sx_expect_mapped(fx, hwpt, W + i * PG, sx_page_of(fx, sx_db(i)), SX_PROT_MSI);
}

static void move_sweep(struct fx *fx, enum kind kind, enum fault f)
{
	struct op op = { .kind = kind };
	struct scene s;
	unsigned int failed;
	uint32_t target;

	scene_on_a(fx, &s);
	if (kind == OP_ATTACH)
		assert_int_equal(swmsi_device_detach(fx->ctx, s.dev), 0);
	op.dev = s.dev;
	op.pt = s.b;
	if (fx->opts.scheme == SWMSI_SCHEME_KERNEL && f == FAULT_MAP) {
		target = sweep_kernel_move_map(fx, &s, &op, &failed);
	} else {
		failed = sweep_restored(fx, &s, &op, f);
		target = s.b;
	}
	if (f == FAULT_MAP)
		assert_int_equal(failed, fx->opts.scheme == SWMSI_SCHEME_DMA_IOMMU ? 0 : NPAGES);
	/* the move that succeeded reserves on the IOAS what an attach takes;
	 * a same-IOAS replace takes nothing, so what a failure dropped stays
	 * dropped */
	assert_int_equal(dev_ranges(fx, s.ioas, s.dev),
			 kind == OP_REPLACE && failed ? ranges_after_failure(fx, &op, 1) : 1);
	if (fx->opts.scheme != SWMSI_SCHEME_DMA_IOMMU) {
		expect_moved(fx, &s, target);
		return;
	}
	/* dma-iommu: b maps nothing, so the moved vectors are lost there. */
	assert_int_equal(fx_dev_hwpt(fx, s.dev), target);
	sx_expect_cookie(fx, target, W, W, 0);
	assert_int_equal(sx_mapped(fx, target), 0);
}

static void device_attach_native_map_fault_sweep_changes_nothing(void **state)
{
	move_sweep(*state, OP_ATTACH, FAULT_MAP);
}

static void device_attach_native_alloc_fault_sweep_changes_nothing(void **state)
{
	move_sweep(*state, OP_ATTACH, FAULT_ALLOC);
}

static void device_replace_native_map_fault_sweep_changes_nothing(void **state)
{
	move_sweep(*state, OP_REPLACE, FAULT_MAP);
}

static void device_replace_native_alloc_fault_sweep_changes_nothing(void **state)
{
	move_sweep(*state, OP_REPLACE, FAULT_ALLOC);
}

static void device_attach_dma_map_fault_never_hits_installs_nothing(void **state)
{
	move_sweep(*state, OP_ATTACH, FAULT_MAP);
}

static void device_attach_dma_alloc_fault_sweep_changes_nothing(void **state)
{
	move_sweep(*state, OP_ATTACH, FAULT_ALLOC);
}

static void device_replace_dma_map_fault_never_hits_installs_nothing(void **state)
{
	move_sweep(*state, OP_REPLACE, FAULT_MAP);
}

static void device_replace_dma_alloc_fault_sweep_changes_nothing(void **state)
{
	move_sweep(*state, OP_REPLACE, FAULT_ALLOC);
}

static void device_attach_kernel_map_fault_sweep_leaves_installed_pages_only(void **state)
{
	move_sweep(*state, OP_ATTACH, FAULT_MAP);
}

static void device_attach_kernel_alloc_fault_sweep_changes_nothing(void **state)
{
	move_sweep(*state, OP_ATTACH, FAULT_ALLOC);
}

static void device_replace_kernel_map_fault_sweep_leaves_installed_pages_only(void **state)
{
	move_sweep(*state, OP_REPLACE, FAULT_MAP);
}

static void device_replace_kernel_alloc_fault_sweep_changes_nothing(void **state)
{
	move_sweep(*state, OP_REPLACE, FAULT_ALLOC);
}

#define TN(fn) cmocka_unit_test_setup_teardown(fn, sx_setup_native, fx_teardown)
#define TK(fn) cmocka_unit_test_setup_teardown(fn, sx_setup_kernel, fx_teardown)
#define TD(fn) cmocka_unit_test_setup_teardown(fn, sx_setup_dma, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* NATIVE */
		TN(msi_alloc_native_new_page_map_fault_sweep_changes_nothing),
		TN(msi_alloc_native_new_page_alloc_fault_sweep_changes_nothing),
		TN(device_attach_native_map_fault_sweep_changes_nothing),
		TN(device_attach_native_alloc_fault_sweep_changes_nothing),
		TN(device_replace_native_map_fault_sweep_changes_nothing),
		TN(device_replace_native_alloc_fault_sweep_changes_nothing),
		/* DMA_IOMMU */
		TD(msi_alloc_dma_new_page_map_fault_sweep_enomem_changes_nothing),
		TD(msi_alloc_dma_new_page_alloc_fault_sweep_changes_nothing),
		TD(device_attach_dma_map_fault_never_hits_installs_nothing),
		TD(device_attach_dma_alloc_fault_sweep_changes_nothing),
		TD(device_replace_dma_map_fault_never_hits_installs_nothing),
		TD(device_replace_dma_alloc_fault_sweep_changes_nothing),
		/* KERNEL */
		TK(msi_alloc_kernel_new_page_map_fault_keeps_only_entry),
		TK(msi_alloc_kernel_new_page_alloc_fault_sweep_changes_nothing),
		TK(device_attach_kernel_map_fault_sweep_leaves_installed_pages_only),
		TK(device_attach_kernel_alloc_fault_sweep_changes_nothing),
		TK(device_replace_kernel_map_fault_sweep_leaves_installed_pages_only),
		TK(device_replace_kernel_alloc_fault_sweep_changes_nothing),
	};

	return cmocka_run_group_tests_name("scheme_faults", tests, NULL, NULL);
}
