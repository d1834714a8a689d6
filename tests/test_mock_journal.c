/* SPDX-License-Identifier: MIT */
/*
 * The mock's journal: one exact entry per domain_alloc, domain_free, map
 * and unmap call, in order; clear keeps numbering; the dump prints one line
 * per entry; growth survives allocation failure. The journal is a ring of
 * the capacity given at creation: full, it overwrites the oldest entry and
 * counts it; capacity 0 keeps nothing.
 */
#include "mock_fixture.h"

static struct mock_iommu_journal_entry entry_at(struct mt *mt, size_t idx)
{
	struct mock_iommu_journal_entry e;

	memset(&e, 0xa5, sizeof(e));
	assert_int_equal(mock_iommu_journal_get(mt->mock, idx, &e), 0);
	return e;
}

static void journal_fresh_mock_is_empty(void **state)
{
	struct mt *mt = *state;
	struct mock_iommu_journal_entry e = { .seq = 77 };

	assert_int_equal(mock_iommu_journal_len(mt->mock), 0);
	assert_int_equal(mock_iommu_journal_get(mt->mock, 0, &e), -ENOENT);
	assert_int_equal(e.seq, 77);
	assert_int_equal(mock_iommu_journal_dropped(mt->mock), 0);
}

static void journal_each_backend_call_records_exact_entry(void **state)
{
	struct mt *mt = *state;
	struct mock_iommu_journal_entry e;
	void *dom = mt_domain(mt);
	uint64_t pa;

	mt_map_ok(mt, dom, 0x8000000, 0x8090000, 0x2000, MT_RWM);
	assert_int_equal(mt_map(mt, dom, 0x8001000, 0x10000, 0x1000, MT_RW), -EEXIST);
	/* translations are not journaled */
	assert_int_equal(mt->ops->iova_to_phys(mt->mock, dom, 0x8000000, &pa), 0);
	mt_unmap_ok(mt, dom, 0x8000000, 0x2000);
	mt_domain_free(mt, dom);

	assert_int_equal(mock_iommu_journal_len(mt->mock), 5);

	e = entry_at(mt, 0);
	assert_int_equal(e.seq, 1);
	assert_int_equal(e.op, MOCK_IOMMU_OP_DOMAIN_ALLOC);
	assert_int_equal(e.domain, 1);
	assert_int_equal(e.result, 0);
	assert_int_equal(e.iova, 0);
	assert_int_equal(e.size, 0);
	assert_int_equal(e.bytes, 0);

	e = entry_at(mt, 1);
	assert_int_equal(e.seq, 2);
	assert_int_equal(e.op, MOCK_IOMMU_OP_MAP);
	assert_int_equal(e.domain, 1);
	assert_int_equal(e.iova, 0x8000000);
	assert_int_equal(e.paddr, 0x8090000);
	assert_int_equal(e.size, 0x2000);
	assert_int_equal(e.prot, MT_RWM);
	assert_int_equal(e.result, 0);
	assert_int_equal(e.bytes, 0x2000);

	e = entry_at(mt, 2);
	assert_int_equal(e.seq, 3);
	assert_int_equal(e.op, MOCK_IOMMU_OP_MAP);
	assert_int_equal(e.domain, 1);
	assert_int_equal(e.iova, 0x8001000);
	assert_int_equal(e.paddr, 0x10000);
	assert_int_equal(e.size, 0x1000);
	assert_int_equal(e.prot, MT_RW);
	assert_int_equal(e.result, -EEXIST);
	assert_int_equal(e.bytes, 0);

	e = entry_at(mt, 3);
	assert_int_equal(e.seq, 4);
	assert_int_equal(e.op, MOCK_IOMMU_OP_UNMAP);
	assert_int_equal(e.domain, 1);
	assert_int_equal(e.iova, 0x8000000);
	assert_int_equal(e.size, 0x2000);
	assert_int_equal(e.paddr, 0);
	assert_int_equal(e.prot, 0);
	assert_int_equal(e.result, 0);
	assert_int_equal(e.bytes, 0x2000);

	e = entry_at(mt, 4);
	assert_int_equal(e.seq, 5);
	assert_int_equal(e.op, MOCK_IOMMU_OP_DOMAIN_FREE);
	assert_int_equal(e.domain, 1);
	assert_int_equal(e.result, 0);
	assert_int_equal(e.bytes, 0);

	assert_int_equal(mock_iommu_journal_get(mt->mock, 5, &e), -ENOENT);
	assert_int_equal(mock_iommu_journal_get(mt->mock, 0, NULL), -EINVAL);
	assert_int_equal(mock_iommu_journal_get(NULL, 0, &e), -EINVAL);
}

static void journal_entries_name_each_domain_by_serial(void **state)
{
	struct mt *mt = *state;
	void *a = mt_domain(mt), *b = mt_domain(mt);

	mt_map_ok(mt, b, 0x1000, 0x1000, 0x1000, MT_RW);
	mt_map_ok(mt, a, 0x1000, 0x2000, 0x1000, MT_RW);
	assert_int_equal(entry_at(mt, 0).domain, 1);
	assert_int_equal(entry_at(mt, 1).domain, 2);
	assert_int_equal(entry_at(mt, 2).domain, 2);
	assert_int_equal(entry_at(mt, 3).domain, 1);
	mt_unmap_ok(mt, a, 0x1000, 0x1000);
	mt_unmap_ok(mt, b, 0x1000, 0x1000);
	mt_domain_free(mt, a);
	mt_domain_free(mt, b);
	assert_int_equal(entry_at(mt, 6).domain, 1);
	assert_int_equal(entry_at(mt, 7).domain, 2);
}

static void journal_clear_empties_and_seq_continues(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);

	mt_map_ok(mt, dom, 0x1000, 0x1000, 0x1000, MT_RW);
	assert_int_equal(mock_iommu_journal_len(mt->mock), 2);
	mock_iommu_journal_clear(mt->mock);
	assert_int_equal(mock_iommu_journal_len(mt->mock), 0);

	mt_unmap_ok(mt, dom, 0x1000, 0x1000);
	assert_int_equal(mock_iommu_journal_len(mt->mock), 1);
	assert_int_equal(entry_at(mt, 0).seq, 3);
	assert_int_equal(entry_at(mt, 0).op, MOCK_IOMMU_OP_UNMAP);
	mt_domain_free(mt, dom);
	assert_int_equal(entry_at(mt, 1).seq, 4);
}

static void journal_many_calls_keeps_every_entry_in_order(void **state)
{
	struct mt *mt = *state;
	const uint64_t n = 5000;
	void *dom = mt_domain(mt);

	for (uint64_t i = 0; i < n; i++)
		mt_map_ok(mt, dom, i * 0x1000, 0x100000000ull + i * 0x1000, 0x1000, MT_RW);
	assert_int_equal(mock_iommu_journal_len(mt->mock), n + 1);
	for (uint64_t i = 0; i < n; i++) {
		struct mock_iommu_journal_entry e = entry_at(mt, i + 1);

		assert_int_equal(e.seq, i + 2);
		assert_int_equal(e.iova, i * 0x1000);
	}
	/* one unmap over 5000 map calls, each taken back whole: no misuse */
	mt_unmap_ok(mt, dom, 0, n * 0x1000);
	assert_int_equal(mock_iommu_journal_len(mt->mock), n + 2);
	mt_domain_free(mt, dom);
}

static void journal_grow_fails_drops_entry_call_still_done(void **state)
{
	struct mt *mt = *state;
	void *dom;

	/* domain_alloc allocates the domain, its root, then the journal's array */
	mock_iommu_fail_alloc(mt->mock, 3);
	dom = mt_domain(mt);
	assert_int_equal(mock_iommu_domain_count(mt->mock), 1);
	assert_int_equal(mock_iommu_journal_len(mt->mock), 0);
	assert_int_equal(mock_iommu_journal_dropped(mt->mock), 1);

	/* the next call grows it fine; its number shows the gap */
	mt_map_ok(mt, dom, 0x1000, 0x1000, 0x1000, MT_RW);
	assert_int_equal(mock_iommu_journal_len(mt->mock), 1);
	assert_int_equal(entry_at(mt, 0).seq, 2);
	assert_int_equal(entry_at(mt, 0).op, MOCK_IOMMU_OP_MAP);
	mt_unmap_ok(mt, dom, 0x1000, 0x1000);
	mt_domain_free(mt, dom);
	assert_int_equal(mock_iommu_journal_dropped(mt->mock), 1);
}

static void journal_dump_prints_one_line_per_entry(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);
	FILE *f = tmpfile();
	char *text, want[128];

	assert_non_null(f);
	mt_map_ok(mt, dom, 0x8000000, 0x8090000, 0x1000, MT_RWM);
	assert_int_equal(mt_map(mt, dom, 0x8000000, 0x1000, 0x1000, SWMSI_PROT_READ), -EEXIST);
	mt_unmap_ok(mt, dom, 0x8000000, 0x1000);
	mt_domain_free(mt, dom);

	assert_int_equal(mock_iommu_journal_dump(mt->mock, f), 0);
	text = mt_slurp(f);
	assert_int_equal(mt_count_substr(text, "\n"), mock_iommu_journal_len(mt->mock));
	assert_non_null(strstr(text, "#1 domain_alloc dom 1 -> 0\n"));
	assert_non_null(
		strstr(text, "#2 map dom 1 iova 0x8000000 size 0x1000 paddr 0x8090000 [rwm] -> 0"));
	snprintf(
		want, sizeof(want),
		"#3 map dom 1 iova 0x8000000 size 0x1000 paddr 0x1000 [r--] -> %d, 0x0 bytes mapped\n",
		-EEXIST);
	assert_non_null(strstr(text, want));
	assert_non_null(strstr(
		text, "#4 unmap dom 1 iova 0x8000000 size 0x1000 -> 0, 0x1000 bytes unmapped\n"));
	assert_non_null(strstr(text, "#5 domain_free dom 1 -> 0, 0x0 bytes still mapped\n"));
	free(text);
	fclose(f);

	assert_int_equal(mock_iommu_journal_dump(mt->mock, NULL), -EINVAL);
	assert_int_equal(mock_iommu_journal_dump(NULL, stdout), -EINVAL);
}

static int setup_cap_0(void **state)
{
	*state = mt_new_opts(12, 0);
	return 0;
}

static int setup_cap_4(void **state)
{
	*state = mt_new_opts(12, 4);
	return 0;
}

static int setup_cap_100(void **state)
{
	*state = mt_new_opts(12, 100);
	return 0;
}

/* Maps and unmaps page i of @dom @n times: 2n entries. */
static void map_unmap_pages(struct mt *mt, void *dom, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		mt_map_ok(mt, dom, i * 0x1000, 0x100000 + i * 0x1000, 0x1000, MT_RW);
		mt_unmap_ok(mt, dom, i * 0x1000, 0x1000);
	}
}

static void journal_create_default_capacity_is_65536(void **state)
{
	struct mt *mt = *state;

	assert_int_equal(mock_iommu_journal_capacity(mt->mock), MOCK_IOMMU_JOURNAL_DEFAULT_CAP);
	assert_int_equal(MOCK_IOMMU_JOURNAL_DEFAULT_CAP, 65536);
	assert_int_equal(mock_iommu_journal_capacity(NULL), 0);
	assert_int_equal(mock_iommu_journal_evicted(mt->mock), 0);
	assert_int_equal(mock_iommu_journal_evicted(NULL), 0);
}

static void journal_create_opts_bad_input_einval_leaves_mockp(void **state)
{
	struct mock_iommu *sentinel = (struct mock_iommu *)state, *mock = sentinel;
	struct mock_iommu_opts opts = { .page_shift = 12, .journal_cap = 8 };

	assert_int_equal(mock_iommu_create_opts(NULL, &mock), -EINVAL);
	assert_int_equal(mock_iommu_create_opts(&opts, NULL), -EINVAL);
	opts.page_shift = 13;
	assert_int_equal(mock_iommu_create_opts(&opts, &mock), -EINVAL);
	opts.page_shift = 12;
	opts.journal_cap = SIZE_MAX;
	assert_int_equal(mock_iommu_create_opts(&opts, &mock), -EINVAL);
	assert_ptr_equal(mock, sentinel);

	opts.journal_cap = 8;
	assert_int_equal(mock_iommu_create_opts(&opts, &mock), 0);
	assert_int_equal(mock_iommu_journal_capacity(mock), 8);
	assert_int_equal(mock_iommu_page_shift(mock), 12);
	mock_iommu_destroy(mock);
}

static void journal_full_ring_overwrites_oldest_keeps_order(void **state)
{
	struct mt *mt = *state;
	struct mock_iommu_journal_entry e;
	void *dom = mt_domain(mt);

	/* #1 domain_alloc, then #2..#9: four maps and four unmaps */
	map_unmap_pages(mt, dom, 4);
	assert_int_equal(mock_iommu_journal_capacity(mt->mock), 4);
	assert_int_equal(mock_iommu_journal_len(mt->mock), 4);
	assert_int_equal(mock_iommu_journal_evicted(mt->mock), 5);
	assert_int_equal(mock_iommu_journal_dropped(mt->mock), 0);
	/* idx 0 is the oldest kept: #6 (map of page 2), ... #9 (unmap of page 3) */
	for (size_t i = 0; i < 4; i++) {
		e = entry_at(mt, i);
		assert_int_equal(e.seq, 6 + i);
		assert_int_equal(e.op, i % 2 ? MOCK_IOMMU_OP_UNMAP : MOCK_IOMMU_OP_MAP);
		assert_int_equal(e.iova, (2 + i / 2) * 0x1000);
	}
	assert_int_equal(mock_iommu_journal_get(mt->mock, 4, &e), -ENOENT);
	mt_domain_free(mt, dom);
	assert_int_equal(mt_journal_last(mt).seq, 10);
	assert_int_equal(mt_journal_last(mt).op, MOCK_IOMMU_OP_DOMAIN_FREE);
	assert_int_equal(entry_at(mt, 0).seq, 7);
}

static void journal_ring_grows_to_capacity_then_wraps(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);

	/* 100 is no power of two: the array doubles 64 -> 100, then wraps */
	map_unmap_pages(mt, dom, 125);
	assert_int_equal(mock_iommu_journal_len(mt->mock), 100);
	assert_int_equal(mock_iommu_journal_evicted(mt->mock), 151);
	for (size_t i = 0; i < 100; i++)
		assert_int_equal(entry_at(mt, i).seq, 152 + i);
	mt_domain_free(mt, dom);
}

static void journal_evicted_counts_each_overwrite_and_survives_clear(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);

	/* #1 domain_alloc, #2 map, #3 unmap, #4 map: full, nothing lost yet */
	map_unmap_pages(mt, dom, 1);
	mt_map_ok(mt, dom, 0x1000, 0x1000, 0x1000, MT_RW);
	assert_int_equal(mock_iommu_journal_len(mt->mock), 4);
	assert_int_equal(mock_iommu_journal_evicted(mt->mock), 0);
	for (uint64_t n = 1; n <= 6; n++) {
		mt_unmap_ok(mt, dom, 0x1000, 0x1000);
		assert_int_equal(mock_iommu_journal_evicted(mt->mock), 2 * n - 1);
		mt_map_ok(mt, dom, 0x1000, 0x1000, 0x1000, MT_RW);
		assert_int_equal(mock_iommu_journal_evicted(mt->mock), 2 * n);
		assert_int_equal(mock_iommu_journal_len(mt->mock), 4);
	}
	mt_unmap_ok(mt, dom, 0x1000, 0x1000);
	assert_int_equal(entry_at(mt, 0).seq, 14);
	/* the ring has wrapped: clear restarts it at index 0, keeps the count */
	mock_iommu_journal_clear(mt->mock);
	assert_int_equal(mock_iommu_journal_len(mt->mock), 0);
	assert_int_equal(mock_iommu_journal_evicted(mt->mock), 13);
	mt_domain_free(mt, dom);
	assert_int_equal(mock_iommu_journal_len(mt->mock), 1);
	assert_int_equal(entry_at(mt, 0).seq, 18);
	assert_int_equal(entry_at(mt, 0).op, MOCK_IOMMU_OP_DOMAIN_FREE);
	assert_int_equal(mock_iommu_journal_evicted(mt->mock), 13);
}

static void journal_capacity_zero_keeps_nothing_allocates_nothing(void **state)
{
	struct mt *mt = *state;
	struct mock_iommu_journal_entry e = { .seq = 77 };
	FILE *f = tmpfile();
	void *dom;
	char *text;

	assert_non_null(f);
	assert_int_equal(mock_iommu_journal_capacity(mt->mock), 0);
	/* domain, root, then the map's extent: no journal array in between */
	mock_iommu_fail_alloc(mt->mock, 3);
	dom = mt_domain(mt);
	assert_int_equal(mt_map(mt, dom, 0x1000, 0x1000, 0x1000, MT_RW), -ENOMEM);
	map_unmap_pages(mt, dom, 3);
	mt_domain_free(mt, dom);

	assert_int_equal(mock_iommu_journal_len(mt->mock), 0);
	assert_int_equal(mock_iommu_journal_get(mt->mock, 0, &e), -ENOENT);
	assert_int_equal(e.seq, 77);
	assert_int_equal(mock_iommu_journal_evicted(mt->mock), 9);
	assert_int_equal(mock_iommu_journal_dropped(mt->mock), 0);

	assert_int_equal(mock_iommu_journal_dump(mt->mock, f), 0);
	text = mt_slurp(f);
	assert_string_equal(text, "(journal off: 9 entries not kept)\n");
	free(text);
	fclose(f);
}

static void journal_dump_full_ring_first_line_says_overwritten(void **state)
{
	struct mt *mt = *state;
	void *dom = mt_domain(mt);
	FILE *f = tmpfile();
	char *text;

	assert_non_null(f);
	map_unmap_pages(mt, dom, 3);
	mt_domain_free(mt, dom);

	assert_int_equal(mock_iommu_journal_dump(mt->mock, f), 0);
	text = mt_slurp(f);
	/* the note, then the four kept entries: #5..#8 */
	assert_int_equal(mt_count_substr(text, "\n"), 5);
	assert_ptr_equal(strstr(text, "(4 oldest entries overwritten: journal capacity 4)\n"
				      "#5 unmap "),
			 text);
	assert_non_null(strstr(text, "\n#8 domain_free dom 1 -> 0, 0x0 bytes still mapped\n"));
	assert_null(strstr(text, "#4 "));
	assert_null(strstr(text, "out of memory"));
	free(text);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(journal_fresh_mock_is_empty, mt_setup_4k,
						mt_teardown),
		cmocka_unit_test_setup_teardown(journal_each_backend_call_records_exact_entry,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(journal_entries_name_each_domain_by_serial,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(journal_clear_empties_and_seq_continues,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(journal_many_calls_keeps_every_entry_in_order,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(journal_grow_fails_drops_entry_call_still_done,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test_setup_teardown(journal_dump_prints_one_line_per_entry, mt_setup_4k,
						mt_teardown),
		cmocka_unit_test_setup_teardown(journal_create_default_capacity_is_65536,
						mt_setup_4k, mt_teardown),
		cmocka_unit_test(journal_create_opts_bad_input_einval_leaves_mockp),
		cmocka_unit_test_setup_teardown(journal_full_ring_overwrites_oldest_keeps_order,
						setup_cap_4, mt_teardown),
		cmocka_unit_test_setup_teardown(journal_ring_grows_to_capacity_then_wraps,
						setup_cap_100, mt_teardown),
		cmocka_unit_test_setup_teardown(
			journal_evicted_counts_each_overwrite_and_survives_clear, setup_cap_4,
			mt_teardown),
		cmocka_unit_test_setup_teardown(
			journal_capacity_zero_keeps_nothing_allocates_nothing, setup_cap_0,
			mt_teardown),
		cmocka_unit_test_setup_teardown(journal_dump_full_ring_first_line_says_overwritten,
						setup_cap_4, mt_teardown),
	};

	return cmocka_run_group_tests_name("mock_journal", tests, NULL, NULL);
}
