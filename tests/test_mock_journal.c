/* SPDX-License-Identifier: MIT */
/*
 * The mock's journal: one exact entry per domain_alloc, domain_free, map
 * and unmap call, in order; clear keeps numbering; the dump prints one line
 * per entry; growth is unbounded and survives allocation failure.
 */
#include "test_mock_util.h"

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
	assert_non_null(strstr(text, "#2 map dom 1 iova 0x8000000 size 0x1000 paddr 0x8090000 [rwm] -> 0"));
	snprintf(want, sizeof(want), "#3 map dom 1 iova 0x8000000 size 0x1000 paddr 0x1000 [r--] -> %d, 0x0 bytes mapped\n", -EEXIST);
	assert_non_null(strstr(text, want));
	assert_non_null(strstr(text, "#4 unmap dom 1 iova 0x8000000 size 0x1000 -> 0, 0x1000 bytes unmapped\n"));
	assert_non_null(strstr(text, "#5 domain_free dom 1 -> 0, 0x0 bytes still mapped\n"));
	free(text);
	fclose(f);

	assert_int_equal(mock_iommu_journal_dump(mt->mock, NULL), -EINVAL);
	assert_int_equal(mock_iommu_journal_dump(NULL, stdout), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(journal_fresh_mock_is_empty,
						mt_setup_4k, mt_teardown),
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
		cmocka_unit_test_setup_teardown(journal_dump_prints_one_line_per_entry,
						mt_setup_4k, mt_teardown),
	};

	return cmocka_run_group_tests_name("mock_journal", tests, NULL, NULL);
}
