/* SPDX-License-Identifier: MIT */
/*
 * What a step's scoped snapshot keeps (snapshot_take_scoped()): the table
 * entries its devices use and those of their doorbell pages, what the
 * scope names, each domain's pages there and nothing else; and the sorted
 * table index of the checks (table_ix.c) finds the pairs a pairwise scan
 * finds, in the same order.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "engine.h"

/* Three groups on h, a doorbell page each (entries 0, 1, 2 in slots 0, 1,
 * 2: one 12 KiB range in h's domain); d2's w shares d1's page. */
static const char scn_text[] = "ioas a\n"
			       "hwpt h a\n"
			       "device d0 group=0 window=0x8000000:1M\n"
			       "device d1 group=1 window=0x8000000:1M\n"
			       "device d2 group=2 window=0x8000000:1M\n"
			       "attach d0 h\n"
			       "attach d1 h\n"
			       "attach d2 h\n"
			       "msi d0 v 0x40000040\n"
			       "msi d1 v 0x40001040\n"
			       "msi d2 v 0x40002040\n"
			       "msi d2 w 0x40001080\n";

struct fx {
	struct scn *scn;
	struct sim_session *ss;
	struct sim *s;
	struct snapshot whole;
	uint32_t h, d[3];
};

/* Plays @text under @scheme, each command succeeding; whole: after it. */
static void fx_open_text(struct fx *f, const char *text, enum swmsi_scheme scheme)
{
	struct sim_opts o;
	struct scn_diag d;
	size_t i;

	memset(f, 0, sizeof(*f));
	if (scn_parse(text, strlen(text), "u.scn", &f->scn, &d))
		fail_msg("parse error %u:%u: %s", d.line, d.col, d.msg);
	memset(&o, 0, sizeof(o));
	o.has_scheme = true;
	o.scheme = scheme;
	assert_int_equal(sim_session_open(f->scn, &o, &f->ss), 0);
	f->s = sim_session_sim(f->ss);
	for (i = 0; i < f->scn->ncmds; i++) {
		struct sim_step st;

		memset(&st, 0, sizeof(st));
		st.c = &f->scn->cmds[i];
		f->s->cur = st.c;
		sim_step_run(f->s, &st);
		assert_int_equal(st.rc, 0);
	}
	assert_int_equal(sim_snap_take(f->s, &f->whole), 0);
}

static void fx_open(struct fx *f)
{
	size_t i;

	fx_open_text(f, scn_text, SWMSI_SCHEME_NATIVE);
	assert_int_equal(f->whole.ndevs, 3);
	assert_int_equal(f->whole.nhwpts, 1);
	assert_int_equal(f->whole.nmaps, 3);
	f->h = f->whole.hwpts[0].id;
	for (i = 0; i < 3; i++)
		f->d[i] = f->whole.devs[i].id;
}

static void fx_close(struct fx *f)
{
	snapshot_free(&f->whole);
	sim_session_close(f->ss);
	scn_free(f->scn);
}

/* A scoped snapshot of device @dev and h within @sc. */
static void take(struct fx *f, uint32_t dev, const struct snapshot_scope *sc, struct snapshot *sn)
{
	uint32_t ids[2] = { dev, f->h };

	assert_int_equal(sim_snap_take_ids(f->s, ids, 2, false, sc, sn), 0);
	assert_true(sn->valid);
	assert_true(sn->partial);
	assert_true(sn->scoped);
	assert_int_equal(sn->table_size, 3);
	assert_int_equal(sn->ndoms, 1);
}

static void scoped_snapshot_keeps_what_its_device_uses(void **state)
{
	const struct snapshot_scope none = { .hint = 0 };
	struct snapshot sn;
	struct fx f;

	(void)state;
	fx_open(&f);
	take(&f, f.d[0], &none, &sn);
	assert_int_equal(sn.nmaps, 1);
	assert_int_equal(sn.maps[0].id, 0);
	assert_int_equal(sn.hwpts[0].npresent, 1);
	assert_int_equal(sn.hwpts[0].present[0], 0);
	/* the domain's one 12 KiB range, cut to entry 0's page */
	assert_int_equal(sn.doms[0].nranges, 1);
	assert_int_equal(sn.doms[0].ranges[0].iova, 0x8000000);
	assert_int_equal(sn.doms[0].ranges[0].size, 0x1000);
	assert_int_equal(sn.doms[0].ranges[0].paddr, 0x40000000);
	assert_int_equal(sn.npages, 1);
	assert_int_equal(sn.pages[0], 0x40000000);
	assert_true(snapshot_covers(&sn, &f.whole.maps[0]));
	assert_false(snapshot_covers(&sn, &f.whole.maps[1]));
	assert_true(snapshot_covers(&f.whole, &f.whole.maps[1]));
	snapshot_free(&sn);
	fx_close(&f);
}

static void scoped_snapshot_keeps_every_entry_of_its_pages(void **state)
{
	const struct snapshot_scope none = { .hint = 3 };
	struct snapshot sn;
	struct fx f;

	(void)state;
	fx_open(&f);
	/* d2's vectors use entries 2 and 1 (w shares d1's page) */
	take(&f, f.d[2], &none, &sn);
	assert_int_equal(sn.nmaps, 2);
	assert_int_equal(sn.maps[0].id, 1);
	assert_int_equal(sn.maps[1].id, 2);
	assert_int_equal(sn.hwpts[0].npresent, 2);
	/* slots 1 and 2 are adjacent: one range, as the mock merges them */
	assert_int_equal(sn.doms[0].nranges, 1);
	assert_int_equal(sn.doms[0].ranges[0].iova, 0x8001000);
	assert_int_equal(sn.doms[0].ranges[0].size, 0x2000);
	assert_int_equal(sn.npages, 2);
	snapshot_free(&sn);
	fx_close(&f);
}

static void scoped_snapshot_keeps_what_the_scope_names(void **state)
{
	const uint64_t page = 0x40001234;
	const struct snapshot_iova iv = { 0x8002000, 0x1000 };
	const uint32_t named = 0;
	struct snapshot_scope sc = { .pages = &page, .npages = 1 };
	struct snapshot sn;
	struct fx f;

	(void)state;
	fx_open(&f);
	/* a page: its entry */
	take(&f, f.d[0], &sc, &sn);
	assert_int_equal(sn.nmaps, 2);
	assert_int_equal(sn.maps[1].id, 1);
	assert_true(snapshot_covers(&sn, &f.whole.maps[1]));
	snapshot_free(&sn);
	/* an IOVA range: the entry there and the domain's page there */
	memset(&sc, 0, sizeof(sc));
	sc.iovas = &iv;
	sc.niovas = 1;
	take(&f, f.d[1], &sc, &sn);
	assert_int_equal(sn.nmaps, 2);
	assert_int_equal(sn.maps[0].id, 1);
	assert_int_equal(sn.maps[1].id, 2);
	assert_int_equal(sn.doms[0].nranges, 1);
	assert_int_equal(sn.doms[0].ranges[0].size, 0x2000);
	snapshot_free(&sn);
	/* an id */
	memset(&sc, 0, sizeof(sc));
	sc.map_ids = &named;
	sc.nmap_ids = 1;
	take(&f, f.d[2], &sc, &sn);
	assert_int_equal(sn.nmaps, 3);
	snapshot_free(&sn);
	fx_close(&f);
}

/* Two windows; d3's page is d0's in the other one; d1 and d2 share a page;
 * one user mapping. Every scheme takes it. */
static const char two_windows[] = "ioas a\n"
				  "hwpt h a\n"
				  "map a 0x20000000 0x60000000 64K\n"
				  "device d0 group=0 window=0x8000000:1M\n"
				  "device d1 group=1 window=0x8000000:1M\n"
				  "device d2 group=2 window=0x8000000:1M\n"
				  "device d3 group=3 window=0x9000000:1M\n"
				  "attach d0 h\nattach d1 h\nattach d2 h\nattach d3 h\n"
				  "msi d0 v 0x40000040\n"
				  "msi d1 v 0x40001040\n"
				  "msi d2 v 0x40001080\n"
				  "msi d2 w 0x40002040\n"
				  "msi d3 v 0x40000040\n";

/* Does the page of entry @m meet one of @sc's IOVA ranges? */
static bool at_scope_iova(const struct snapshot_scope *sc, const struct swmsi_msi_map_info *m)
{
	size_t i;

	for (i = 0; i < sc->niovas; i++)
		if (m->iova < sc->iovas[i].iova + sc->iovas[i].size &&
		    m->iova + 0x1000 > sc->iovas[i].iova)
			return true;
	return false;
}

/* The definition, on the whole table: used by @dev's vectors, of their
 * pages or @sc's, or at @sc's IOVAs. */
static bool is_seed(const struct snapshot_dev *dev, const struct snapshot_scope *sc,
		    const struct swmsi_msi_map_info *m)
{
	size_t i;

	for (i = 0; i < dev->nvecs; i++)
		if ((dev->vecs[i].translated && dev->vecs[i].map_id == m->id) ||
		    (dev->vecs[i].msi_addr & ~0xfffull) == m->msi_page)
			return true;
	for (i = 0; i < sc->npages; i++)
		if ((sc->pages[i] & ~0xfffull) == m->msi_page)
			return true;
	return at_scope_iova(sc, m);
}

/* A seed, named by @sc, or sharing a seed's page or slot in its window. */
static bool ref_kept(const struct fx *f, const struct snapshot_dev *dev,
		     const struct snapshot_scope *sc, const struct swmsi_msi_map_info *m)
{
	size_t i;

	for (i = 0; i < sc->nmap_ids; i++)
		if (sc->map_ids[i] == m->id)
			return true;
	for (i = 0; i < f->whole.nmaps; i++) {
		const struct swmsi_msi_map_info *s = &f->whole.maps[i];

		if (is_seed(dev, sc, s) && s->sw_msi_start == m->sw_msi_start &&
		    (s->msi_page == m->msi_page || s->slot == m->slot))
			return true;
	}
	return false;
}

/* The scoped snapshot of @dev and h within @sc against the definition
 * applied to the whole table: the same entries, present ids and size. */
static void expect_scoped_as_defined(struct fx *f, const struct snapshot_dev *dev,
				     const struct snapshot_scope *sc)
{
	const struct snapshot_hwpt *wh = snapshot_hwpt(&f->whole, f->h);
	uint32_t ids[2] = { dev->id, f->h };
	struct snapshot sn;
	size_t i, k = 0, p = 0;

	assert_int_equal(sim_snap_take_ids(f->s, ids, 2, false, sc, &sn), 0);
	assert_true(sn.scoped);
	assert_int_equal(sn.table_size, f->whole.nmaps);
	for (i = 0; i < f->whole.nmaps; i++) {
		const struct swmsi_msi_map_info *m = &f->whole.maps[i];

		if (!ref_kept(f, dev, sc, m))
			continue;
		assert_true(k < sn.nmaps);
		assert_memory_equal(&sn.maps[k], m, sizeof(*m));
		k++;
	}
	assert_int_equal(sn.nmaps, k);
	for (i = 0; i < wh->npresent; i++)
		if (snapshot_map(&sn, wh->present[i])) {
			assert_true(p < sn.hwpts[0].npresent);
			assert_int_equal(sn.hwpts[0].present[p++], wh->present[i]);
		}
	assert_int_equal(sn.hwpts[0].npresent, p);
	snapshot_free(&sn);
}

static void scoped_snapshot_keeps_what_a_whole_table_filter_keeps(void **state)
{
	const enum swmsi_scheme schemes[] = { SWMSI_SCHEME_NATIVE, SWMSI_SCHEME_KERNEL,
					      SWMSI_SCHEME_DMA_IOMMU };
	const struct snapshot_iova iv[] = { { 0x8001000, 0x800 },
					    { 0x9000000, 0x1000 },
					    { 0, 0x10000000 } };
	const uint64_t page = 0x40002000;
	const uint32_t named[] = { 3, 0, 99 };
	const struct snapshot_scope scopes[] = {
		{ .hint = 0 },
		{ .pages = &page, .npages = 1 },
		{ .iovas = iv, .niovas = 2 },
		{ .iovas = &iv[2], .niovas = 1 },
		{ .map_ids = named, .nmap_ids = 3 },
	};
	size_t sch, d, c;
	struct fx f;

	(void)state;
	for (sch = 0; sch < 3; sch++) {
		fx_open_text(&f, two_windows, schemes[sch]);
		assert_int_equal(f.whole.ndevs, 4);
		assert_int_equal(f.whole.nmaps, schemes[sch] == SWMSI_SCHEME_DMA_IOMMU ? 0 : 4);
		f.h = f.whole.hwpts[0].id;
		for (d = 0; d < f.whole.ndevs; d++)
			for (c = 0; c < sizeof(scopes) / sizeof(scopes[0]); c++)
				expect_scoped_as_defined(&f, &f.whole.devs[d], &scopes[c]);
		fx_close(&f);
	}
}

/* The pairs a scan of every entry against every later one reports. */
static size_t brute_pairs(const struct swmsi_msi_map_info *m, size_t n, struct sim_pair_hit *out)
{
	size_t i, k, c = 0;

	for (i = 0; i < n; i++)
		for (k = i + 1; k < n; k++) {
			if (m[i].id == m[k].id)
				out[c++] = (struct sim_pair_hit){ i, k, SIM_PAIR_ID };
			if (m[i].sw_msi_start == m[k].sw_msi_start &&
			    m[i].msi_page == m[k].msi_page)
				out[c++] = (struct sim_pair_hit){ i, k, SIM_PAIR_PAGE };
			if (m[i].sw_msi_start == m[k].sw_msi_start && m[i].slot == m[k].slot)
				out[c++] = (struct sim_pair_hit){ i, k, SIM_PAIR_SLOT };
		}
	return c;
}

static void table_index_finds_the_pairs_a_scan_finds(void **state)
{
	enum {
		N = 40
	};
	struct swmsi_msi_map_info m[N];
	struct sim_pair_hit want[N * N * 3];
	const struct sim_pair_hit *h;
	struct snapshot sn;
	struct sim_table_ix ix;
	struct sim s;
	uint64_t seed = 88172645463325252ull;
	size_t i, nw, got = 0, round;

	(void)state;
	for (round = 0; round < 50; round++) {
		memset(&s, 0, sizeof(s));
		memset(&sn, 0, sizeof(sn));
		for (i = 0; i < N; i++) {
			seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
			memset(&m[i], 0, sizeof(m[i]));
			m[i].id = (uint32_t)(i + (seed % 7 == 0)); /* now and then twice */
			m[i].sw_msi_start = 0x8000000ull << (seed >> 8) % 2;
			m[i].slot = (uint32_t)((seed >> 16) % 12);
			m[i].msi_page = 0x40000000ull + ((seed >> 24) % 12) * 0x1000;
			m[i].iova = m[i].sw_msi_start + m[i].slot * 0x1000ull;
		}
		sn.maps = m;
		sn.nmaps = N;
		nw = brute_pairs(m, N, want);
		assert_int_equal(sim_table_ix_build(&s, &sn, &ix), 0);
		for (i = 0, got = 0; i < N; i++)
			while ((h = sim_table_ix_hit(&ix, i))) {
				assert_true(got < nw);
				assert_int_equal(h->i, want[got].i);
				assert_int_equal(h->k, want[got].k);
				assert_int_equal(h->kind, want[got].kind);
				got++;
			}
		assert_int_equal(got, nw);
		/* the entry at an IOVA: the last of those there, as a scan keeps */
		for (i = 0; i < N; i++) {
			const struct swmsi_msi_map_info *at =
				sim_table_ix_at(&ix, m[i].sw_msi_start, m[i].iova);
			size_t j, last = i;

			for (j = 0; j < N; j++)
				if (m[j].sw_msi_start == m[i].sw_msi_start &&
				    m[j].iova == m[i].iova)
					last = j;
			assert_ptr_equal(at, &m[last]);
		}
		assert_null(sim_table_ix_at(&ix, 0x8000000, 0x8000000 + 0x1000 * 12));
		sim_table_ix_free(&ix);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scoped_snapshot_keeps_what_its_device_uses),
		cmocka_unit_test(scoped_snapshot_keeps_every_entry_of_its_pages),
		cmocka_unit_test(scoped_snapshot_keeps_what_the_scope_names),
		cmocka_unit_test(scoped_snapshot_keeps_what_a_whole_table_filter_keeps),
		cmocka_unit_test(table_index_finds_the_pairs_a_scan_finds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
