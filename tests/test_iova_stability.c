/* SPDX-License-Identifier: MIT */
/*
 * IOVA stability across domain replacement: the reason sw_msi exists. A
 * device's MSI message addresses are programmed once; every HWPT the group
 * moves to must already translate them to the same doorbells, including
 * nested HWPTs (through the guest's RMR identity map and the parent), and no
 * MSI may be lost while a replace is in flight.
 */
#include "fixture.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>

#define RWM (SWMSI_PROT_READ | SWMSI_PROT_WRITE | SWMSI_PROT_MMIO)

/* Doorbell pages, 64K aligned so every granule sees them as distinct pages. */
#define DB_A	 FX_ITS_PAGE
#define DB_B	 0x10000000ull
#define DB_C	 0x10010000ull
#define DB_D	 0x10020000ull
#define NR_PAGES 4u

/* A user DMA mapping that keeps the domains non-empty, outside the window. */
#define DMA_IOVA  0x100000ull
#define DMA_PADDR 0x40000000ull
#define DMA_SIZE  0x10000ull

#define MAX_HWPTS   16u
#define MAX_JOURNAL 256u

/*
 * Several vectors per page, offsets anywhere in the page (a vector's page is
 * its slot in allocation order, as slots are handed out lowest-free).
 */
static const struct {
	uint64_t msi_addr;
	uint32_t slot;
} vec_plan[] = {
	{ DB_A + 0x40, 0 },  { DB_A + 0x40, 0 },  { DB_A + 0x44, 0 }, { DB_B + 0x0, 1 },
	{ DB_C + 0x804, 2 }, { DB_C + 0xffc, 2 }, { DB_D + 0x10, 3 }, { DB_D + 0x10, 3 },
};
#define NR_VECS (sizeof(vec_plan) / sizeof(vec_plan[0]))

struct vec_state {
	uint32_t vec;
	uint64_t msi_addr;
	uint64_t msg_addr;
};

/* The topology every test here moves one device around in. */
struct topo {
	uint32_t ioas1, ioas2;
	uint32_t a, b, c;    /* paging HWPTs; c on ioas2 */
	uint32_t p, p2;	     /* NEST_PARENT paging HWPTs on ioas1 / ioas2 */
	uint32_t n1, n2, n3; /* nested: n1, n2 over p; n3 over p2 */
	uint32_t dev;
	struct vec_state v[NR_VECS];
};

static void topo_build(struct fx *fx, struct topo *t)
{
	t->ioas1 = fx_ioas(fx);
	t->ioas2 = fx_ioas(fx);
	assert_int_equal(swmsi_ioas_map(fx->ctx, t->ioas1, DMA_IOVA, DMA_PADDR, DMA_SIZE,
					SWMSI_PROT_READ | SWMSI_PROT_WRITE),
			 0);
	t->a = fx_hwpt(fx, t->ioas1, 0);
	t->b = fx_hwpt(fx, t->ioas1, 0);
	t->p = fx_hwpt(fx, t->ioas1, SWMSI_HWPT_NEST_PARENT);
	t->c = fx_hwpt(fx, t->ioas2, 0);
	t->p2 = fx_hwpt(fx, t->ioas2, SWMSI_HWPT_NEST_PARENT);
	t->n1 = fx_nested_rmr(fx, t->p);
	t->n2 = fx_nested_rmr(fx, t->p);
	t->n3 = fx_nested_rmr(fx, t->p2);
	t->dev = fx_bind(fx, 1);
}

static uint64_t expected_msg_addr(const struct fx *fx, size_t i)
{
	uint64_t pg = fx_page_size(fx);

	return FX_WINDOW_START + vec_plan[i].slot * pg + (vec_plan[i].msi_addr & (pg - 1));
}

/* Attach to @hwpt and allocate every planned vector there. */
static void topo_alloc_vectors(struct fx *fx, struct topo *t, uint32_t hwpt)
{
	assert_int_equal(swmsi_device_attach(fx->ctx, t->dev, hwpt), 0);
	for (size_t i = 0; i < NR_VECS; i++) {
		uint32_t vec = UINT32_MAX;
		uint64_t msg = 0;

		assert_int_equal(swmsi_msi_alloc(fx->ctx, t->dev, vec_plan[i].msi_addr, &vec, &msg),
				 0);
		assert_int_equal(msg, expected_msg_addr(fx, i));
		t->v[i].vec = vec;
		t->v[i].msi_addr = vec_plan[i].msi_addr;
		t->v[i].msg_addr = msg;
	}
}

static bool id_in(uint32_t id, const uint32_t *ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/*
 * The device sits on @hwpt, every vector keeps its message address and fires
 * to its doorbell, and @hwpt's paging domain holds every page the vectors use.
 */
static void check_on(struct fx *fx, const struct topo *t, uint32_t hwpt)
{
	struct swmsi_vector_info vi[NR_VECS + 1];
	struct swmsi_device_info di;
	uint32_t present[64];
	uint64_t pg = fx_page_size(fx);
	size_t n = 0, np = 0;

	assert_int_equal(swmsi_device_info(fx->ctx, t->dev, &di), 0);
	assert_true(di.attached);
	assert_int_equal(di.hwpt_id, hwpt);
	assert_int_equal(di.vectors, NR_VECS);

	assert_int_equal(swmsi_device_vectors(fx->ctx, t->dev, vi, NR_VECS + 1, &n), 0);
	assert_int_equal(n, NR_VECS);
	assert_int_equal(swmsi_hwpt_msi_present(fx->ctx, hwpt, present, 64, &np), 0);
	for (size_t i = 0; i < NR_VECS; i++) {
		assert_int_equal(vi[i].vec, t->v[i].vec);
		assert_int_equal(vi[i].msi_addr, t->v[i].msi_addr);
		assert_int_equal(vi[i].msg_addr, t->v[i].msg_addr);
		assert_true(vi[i].translated);
		assert_true(id_in(vi[i].map_id, present, np));

		fx_expect_fire(fx, t->dev, t->v[i].vec, t->v[i].msi_addr);
		fx_expect_msi_page(fx, hwpt, t->v[i].msg_addr & ~(pg - 1),
				   t->v[i].msi_addr & ~(pg - 1));
	}
}

static void walk_paging_nested_and_back(struct fx *fx)
{
	struct topo t;

	topo_build(fx, &t);
	topo_alloc_vectors(fx, &t, t.a);
	check_on(fx, &t, t.a);

	const uint32_t path[] = { t.b, t.n1, t.p, t.n2, t.c, t.n3, t.p2, t.a, t.n1, t.a };

	for (size_t i = 0; i < sizeof(path) / sizeof(path[0]); i++) {
		assert_int_equal(swmsi_device_replace(fx->ctx, t.dev, path[i]), 0);
		check_on(fx, &t, path[i]);
	}
}

/* Replacing across paging and nested HWPTs and back never moves an IOVA. */
static void device_replace_paging_nested_and_back_keeps_every_iova(void **state)
{
	walk_paging_nested_and_back(*state);
}

static void device_replace_16k_pages_keeps_every_iova(void **state)
{
	walk_paging_nested_and_back(*state);
}

static void device_replace_64k_pages_keeps_every_iova(void **state)
{
	walk_paging_nested_and_back(*state);
}

/* With reclaim the old domains lose the pages, the moving group never does. */
static void device_replace_reclaim_keeps_every_iova(void **state)
{
	walk_paging_nested_and_back(*state);
}

/*
 * Journal after one replace (cleared just before it) into the domain with
 * @serial: exactly one one-page R|W|MMIO map per page the device uses, at
 * its window IOVA, and no other map. Returns the index of the last map.
 */
static size_t check_installs_in_journal(struct fx *fx, const struct topo *t, unsigned int serial,
					size_t *first_unmap)
{
	uint64_t pg = fx_page_size(fx);
	bool seen[NR_PAGES] = { false };
	size_t len = mock_iommu_journal_len(fx->mock), last_map = 0, maps = 0;

	*first_unmap = SIZE_MAX;
	assert_true(len <= MAX_JOURNAL);
	for (size_t i = 0; i < len; i++) {
		struct mock_iommu_journal_entry e;
		size_t slot;

		assert_int_equal(mock_iommu_journal_get(fx->mock, i, &e), 0);
		if (e.op == MOCK_IOMMU_OP_UNMAP) {
			if (*first_unmap == SIZE_MAX)
				*first_unmap = i;
			continue;
		}
		assert_int_equal(e.op, MOCK_IOMMU_OP_MAP);
		assert_int_equal(e.domain, serial);
		assert_int_equal(e.result, 0);
		assert_int_equal(e.size, pg);
		assert_int_equal(e.prot, RWM);
		assert_true(e.iova >= FX_WINDOW_START && e.iova < FX_WINDOW_START + NR_PAGES * pg);
		assert_int_equal((e.iova - FX_WINDOW_START) % pg, 0);
		slot = (e.iova - FX_WINDOW_START) / pg;
		assert_false(seen[slot]);
		seen[slot] = true;
		for (size_t v = 0; v < NR_VECS; v++)
			if (vec_plan[v].slot == slot)
				assert_int_equal(e.paddr, t->v[v].msi_addr & ~(pg - 1));
		last_map = i;
		maps++;
	}
	assert_int_equal(maps, NR_PAGES);
	return last_map;
}

static void check_present_all(struct fx *fx, const struct topo *t, uint32_t hwpt)
{
	struct swmsi_vector_info vi[NR_VECS];
	uint32_t present[64];
	size_t n = 0, np = 0;

	assert_int_equal(swmsi_device_vectors(fx->ctx, t->dev, vi, NR_VECS, &n), 0);
	assert_int_equal(n, NR_VECS);
	assert_int_equal(swmsi_hwpt_msi_present(fx->ctx, hwpt, present, 64, &np), 0);
	assert_int_equal(np, NR_PAGES);
	for (size_t i = 0; i < NR_VECS; i++)
		assert_true(id_in(vi[i].map_id, present, np));
}

/*
 * Each replace into a domain that lacks the pages installs them inside the
 * call: one R|W|MMIO page per required map, into the new domain (for a
 * nested target, its parent's), at the IOVAs the vectors already use.
 */
static void device_replace_fresh_domain_installs_pages_within_call(void **state)
{
	struct fx *fx = *state;
	struct topo t;

	topo_build(fx, &t);
	topo_alloc_vectors(fx, &t, t.a);

	const uint32_t path[] = { t.b, t.n1, t.c, t.n3 };

	for (size_t i = 0; i < sizeof(path) / sizeof(path[0]); i++) {
		unsigned int serial = mock_iommu_domain_serial(fx->mock, fx_domain(fx, path[i]));
		size_t first_unmap;

		assert_int_not_equal(serial, 0);
		mock_iommu_journal_clear(fx->mock);
		assert_int_equal(swmsi_device_replace(fx->ctx, t.dev, path[i]), 0);
		check_installs_in_journal(fx, &t, serial, &first_unmap);
		/* Reclaim is off: nothing leaves the old domain. */
		assert_int_equal(first_unmap, SIZE_MAX);
		check_present_all(fx, &t, path[i]);
		check_on(fx, &t, path[i]);
	}
}

/* Without reclaim the first domain still holds the pages: going back maps nothing. */
static void device_replace_back_to_domain_holding_pages_maps_nothing(void **state)
{
	struct fx *fx = *state;
	struct topo t;

	topo_build(fx, &t);
	topo_alloc_vectors(fx, &t, t.a);
	assert_int_equal(swmsi_device_replace(fx->ctx, t.dev, t.b), 0);

	mock_iommu_journal_clear(fx->mock);
	assert_int_equal(swmsi_device_replace(fx->ctx, t.dev, t.a), 0);
	assert_int_equal(mock_iommu_journal_len(fx->mock), 0);
	check_present_all(fx, &t, t.a);
	check_on(fx, &t, t.a);
}

/*
 * With reclaim, a replace installs into the new domain before it reclaims
 * the old one: every map of the call precedes every unmap.
 */
static void device_replace_reclaim_installs_before_unmapping_old(void **state)
{
	struct fx *fx = *state;
	struct topo t;

	topo_build(fx, &t);
	topo_alloc_vectors(fx, &t, t.a);

	const uint32_t path[] = { t.b, t.a, t.n1, t.c, t.n3, t.a };

	for (size_t i = 0; i < sizeof(path) / sizeof(path[0]); i++) {
		uint32_t old = 0;
		struct swmsi_device_info di;
		unsigned int serial = mock_iommu_domain_serial(fx->mock, fx_domain(fx, path[i]));
		unsigned int old_serial;
		size_t last_map, first_unmap, len;

		assert_int_equal(swmsi_device_info(fx->ctx, t.dev, &di), 0);
		old = di.hwpt_id;
		old_serial = mock_iommu_domain_serial(fx->mock, fx_domain(fx, old));
		mock_iommu_journal_clear(fx->mock);
		assert_int_equal(swmsi_device_replace(fx->ctx, t.dev, path[i]), 0);
		last_map = check_installs_in_journal(fx, &t, serial, &first_unmap);
		/* The only group on the old domain left: all its pages go. */
		assert_int_not_equal(first_unmap, SIZE_MAX);
		assert_true(last_map < first_unmap);
		len = mock_iommu_journal_len(fx->mock);
		for (size_t j = first_unmap; j < len; j++) {
			struct mock_iommu_journal_entry e;

			assert_int_equal(mock_iommu_journal_get(fx->mock, j, &e), 0);
			assert_int_equal(e.op, MOCK_IOMMU_OP_UNMAP);
			assert_int_equal(e.domain, old_serial);
			assert_int_equal(e.bytes, e.size);
		}
		assert_int_equal(len - first_unmap, NR_PAGES);
		check_present_all(fx, &t, path[i]);
		check_on(fx, &t, path[i]);
	}
}

/* Replace to the HWPT the group is on: 0, and not a single backend call. */
static void device_replace_same_hwpt_is_noop(void **state)
{
	struct fx *fx = *state;
	struct swmsi_ctx_stats before, after;
	struct topo t;

	topo_build(fx, &t);
	topo_alloc_vectors(fx, &t, t.a);

	const uint32_t path[] = { t.a, t.n1, t.p2 };

	for (size_t i = 0; i < sizeof(path) / sizeof(path[0]); i++) {
		if (i > 0)
			assert_int_equal(swmsi_device_replace(fx->ctx, t.dev, path[i]), 0);
		assert_int_equal(swmsi_ctx_stats(fx->ctx, &before), 0);
		mock_iommu_journal_clear(fx->mock);
		assert_int_equal(swmsi_device_replace(fx->ctx, t.dev, path[i]), 0);
		assert_int_equal(mock_iommu_journal_len(fx->mock), 0);
		assert_int_equal(swmsi_ctx_stats(fx->ctx, &after), 0);
		assert_int_equal(after.msi_installs, before.msi_installs);
		assert_int_equal(after.msi_uninstalls, before.msi_uninstalls);
		assert_int_equal(after.objects, before.objects);
		check_on(fx, &t, path[i]);
	}
}

/* ---------------------------------------------------------------------- */
/* (a) A device firing all the time while its group is replaced.          */

struct firer {
	struct swmsi_ctx *ctx;
	uint32_t dev;
	const struct vec_state *v;
	atomic_bool stop;
	atomic_ulong fires;
	atomic_ulong lost;  /* -EFAULT */
	atomic_ulong wrong; /* landed elsewhere */
	atomic_ulong other; /* any other error */
	atomic_int first_rc;
	atomic_ullong first_paddr;
};

static void *firer_main(void *arg)
{
	struct firer *f = arg;

	while (!atomic_load(&f->stop)) {
		for (size_t i = 0; i < NR_VECS; i++) {
			uint64_t paddr = 0;
			int rc = swmsi_msi_fire(f->ctx, f->dev, f->v[i].vec, &paddr);

			if (rc == -EFAULT) {
				atomic_fetch_add(&f->lost, 1);
			} else if (rc) {
				atomic_fetch_add(&f->other, 1);
			} else if (paddr != f->v[i].msi_addr) {
				atomic_fetch_add(&f->wrong, 1);
				atomic_store(&f->first_paddr, paddr);
			}
			if (rc) {
				int zero = 0;

				atomic_compare_exchange_strong(&f->first_rc, &zero, rc);
			}
			atomic_fetch_add(&f->fires, 1);
		}
		/* Pace: one batch per turn, or a serialising runtime starves the replacer. */
		sched_yield();
	}
	return NULL;
}

static void fire_throughout_replaces(struct fx *fx)
{
	unsigned int rounds = fx_iterations(300, 40);
	struct firer f = { .ctx = fx->ctx };
	pthread_t thr;
	struct topo t;

	topo_build(fx, &t);
	topo_alloc_vectors(fx, &t, t.a);
	f.dev = t.dev;
	f.v = t.v;

	const uint32_t path[] = { t.b, t.n1, t.p, t.c, t.n3, t.n2, t.p2, t.a };
	const size_t plen = sizeof(path) / sizeof(path[0]);

	assert_int_equal(pthread_create(&thr, NULL, firer_main, &f), 0);
	for (unsigned int r = 0; r < rounds; r++) {
		for (size_t i = 0; i < plen; i++) {
			unsigned long seen = atomic_load(&f.fires);

			assert_int_equal(swmsi_device_replace(fx->ctx, t.dev, path[i]), 0);
			/* Let the device fire in between, so every replace is covered. */
			while (atomic_load(&f.fires) == seen)
				sched_yield();
		}
	}
	atomic_store(&f.stop, true);
	assert_int_equal(pthread_join(thr, NULL), 0);

	if (atomic_load(&f.lost) || atomic_load(&f.wrong) || atomic_load(&f.other))
		fprintf(stderr, "lost %lu wrong %lu other %lu (first rc %d, paddr 0x%llx)\n",
			atomic_load(&f.lost), atomic_load(&f.wrong), atomic_load(&f.other),
			atomic_load(&f.first_rc), atomic_load(&f.first_paddr));
	assert_int_equal(atomic_load(&f.lost), 0);
	assert_int_equal(atomic_load(&f.wrong), 0);
	assert_int_equal(atomic_load(&f.other), 0);
	assert_true(atomic_load(&f.fires) >= rounds * plen);
	check_on(fx, &t, t.a);
}

static void msi_fire_during_many_replaces_never_loses_msi(void **state)
{
	fire_throughout_replaces(*state);
}

static void msi_fire_during_many_replaces_reclaim_never_loses_msi(void **state)
{
	fire_throughout_replaces(*state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			device_replace_paging_nested_and_back_keeps_every_iova, fx_setup,
			fx_teardown),
		cmocka_unit_test_setup_teardown(device_replace_16k_pages_keeps_every_iova,
						fx_setup_16k, fx_teardown),
		cmocka_unit_test_setup_teardown(device_replace_64k_pages_keeps_every_iova,
						fx_setup_64k, fx_teardown),
		cmocka_unit_test_setup_teardown(device_replace_reclaim_keeps_every_iova,
						fx_setup_reclaim, fx_teardown),
		cmocka_unit_test_setup_teardown(
			device_replace_fresh_domain_installs_pages_within_call, fx_setup,
			fx_teardown),
		cmocka_unit_test_setup_teardown(
			device_replace_back_to_domain_holding_pages_maps_nothing, fx_setup,
			fx_teardown),
		cmocka_unit_test_setup_teardown(device_replace_reclaim_installs_before_unmapping_old,
						fx_setup_reclaim, fx_teardown),
		cmocka_unit_test_setup_teardown(device_replace_same_hwpt_is_noop, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(msi_fire_during_many_replaces_never_loses_msi,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
			msi_fire_during_many_replaces_reclaim_never_loses_msi, fx_setup_reclaim,
			fx_teardown),
	};

	return cmocka_run_group_tests_name("iova_stability", tests, NULL, NULL);
}
