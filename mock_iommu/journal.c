/* SPDX-License-Identifier: MIT */
/*
 * The journal: every domain_alloc, domain_free, map and unmap call the
 * mock sees, in order, with its result. Tests read it to assert exactly
 * which backend calls an operation made.
 *
 * It is a ring of a capacity fixed at creation (mock_iommu_create_opts(),
 * MOCK_IOMMU_JOURNAL_DEFAULT_CAP by default), so a long run cannot eat the
 * machine: once full, each new entry overwrites the oldest, which is
 * counted (mock_iommu_journal_evicted()); capacity 0 keeps nothing. The
 * array doubles up to the capacity as entries come, so recording stays
 * amortised O(1) and a mock that records little holds little. Failing to
 * grow never fails the call being recorded: the entry is dropped and
 * counted instead (mock_iommu_journal_dropped()). Either way the entry
 * keeps its sequence number, so the gap shows.
 */
#include "mock_private.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#define JOURNAL_MIN_ALLOC 64

/* Runs before the mock (and its lock) exists: nothing to assert. */
int mock_iommu__journal_init(struct mock_iommu *mock, size_t cap)
{
	if (cap > SIZE_MAX / sizeof(struct mock_iommu_journal_entry))
		return -EINVAL;
	mock->journal.cap = cap;
	return 0;
}

/* Doubles the array, up to the capacity. Only called before the ring wraps. */
static int journal_grow(struct mock_iommu *mock)
{
	struct mock_journal *j = &mock->journal;
	struct mock_iommu_journal_entry *entries;
	size_t alloc = j->alloc ? j->alloc * 2 : JOURNAL_MIN_ALLOC;

	mock_iommu__assert_locked(mock);
	assert(j->head == 0 && j->len == j->alloc && j->alloc < j->cap);
	if (alloc < j->alloc || alloc > j->cap)
		alloc = j->cap;
	if (mock_iommu__alloc_fault(mock))
		return -ENOMEM;
	entries = realloc(j->entries, alloc * sizeof(*entries));
	if (!entries)
		return -ENOMEM;
	j->entries = entries;
	j->alloc = alloc;
	return 0;
}

void mock_iommu__journal_record(struct mock_iommu *mock, struct mock_iommu_journal_entry *entry)
{
	struct mock_journal *j = &mock->journal;

	mock_iommu__assert_locked(mock);
	entry->seq = ++j->last_seq;
	if (j->len == j->cap) {
		/* full (or off): the oldest makes room, if there is any */
		j->evicted++;
		if (!j->cap)
			return;
		j->entries[j->head] = *entry;
		j->head = (j->head + 1) % j->cap;
		return;
	}
	if (j->len == j->alloc && journal_grow(mock)) {
		j->dropped++;
		return;
	}
	j->entries[(j->head + j->len) % j->alloc] = *entry;
	j->len++;
}

void mock_iommu__journal_free(struct mock_iommu *mock)
{
	struct mock_journal *j = &mock->journal;

	mock_iommu__assert_locked(mock);
	free(j->entries);
	j->entries = NULL;
	j->head = 0;
	j->len = 0;
	j->alloc = 0;
}

/* The idx-th retained entry, oldest first; idx < len. */
static const struct mock_iommu_journal_entry *journal_at(const struct mock_iommu *mock, size_t idx)
{
	const struct mock_journal *j = &mock->journal;

	mock_iommu__assert_locked(mock);
	assert(idx < j->len);
	return &j->entries[(j->head + idx) % j->alloc];
}

size_t mock_iommu_journal_capacity(const struct mock_iommu *mock)
{
	/* fixed at create, like the geometry: no lock */
	return mock ? mock->journal.cap : 0;
}

uint64_t mock_iommu_journal_evicted(struct mock_iommu *mock)
{
	uint64_t evicted;

	if (!mock)
		return 0;
	mock_iommu__lock(mock);
	evicted = mock->journal.evicted;
	mock_iommu__unlock(mock);
	return evicted;
}

size_t mock_iommu_journal_len(struct mock_iommu *mock)
{
	size_t len;

	if (!mock)
		return 0;
	mock_iommu__lock(mock);
	len = mock->journal.len;
	mock_iommu__unlock(mock);
	return len;
}

uint64_t mock_iommu_journal_dropped(struct mock_iommu *mock)
{
	uint64_t dropped;

	if (!mock)
		return 0;
	mock_iommu__lock(mock);
	dropped = mock->journal.dropped;
	mock_iommu__unlock(mock);
	return dropped;
}

int mock_iommu_journal_get(struct mock_iommu *mock, size_t idx,
			   struct mock_iommu_journal_entry *entry)
{
	int rc = 0;

	if (!mock || !entry)
		return -EINVAL;
	mock_iommu__lock(mock);
	if (idx >= mock->journal.len) {
		rc = -ENOENT;
		goto out_unlock;
	}
	*entry = *journal_at(mock, idx);
out_unlock:
	mock_iommu__unlock(mock);
	return rc;
}

void mock_iommu_journal_clear(struct mock_iommu *mock)
{
	if (!mock)
		return;
	mock_iommu__lock(mock);
	/* keep the array: a test that clears between steps should not realloc */
	mock->journal.head = 0;
	mock->journal.len = 0;
	mock_iommu__unlock(mock);
}

static const char *op_name(enum mock_iommu_op op)
{
	switch (op) {
	case MOCK_IOMMU_OP_MAP:
		return "map";
	case MOCK_IOMMU_OP_UNMAP:
		return "unmap";
	case MOCK_IOMMU_OP_DOMAIN_ALLOC:
		return "domain_alloc";
	case MOCK_IOMMU_OP_DOMAIN_FREE:
		return "domain_free";
	}
	return "?";
}

static void entry_print(const struct mock_iommu *mock, FILE *out, size_t idx)
{
	const struct mock_iommu_journal_entry *e = journal_at(mock, idx);
	char prot[4];

	fprintf(out, "#%" PRIu64 " %s dom %u", e->seq, op_name(e->op), e->domain);
	switch (e->op) {
	case MOCK_IOMMU_OP_MAP:
		mock_iommu__prot_str(e->prot, prot);
		fprintf(out,
			" iova 0x%" PRIx64 " size 0x%" PRIx64 " paddr 0x%" PRIx64
			" [%s] -> %d, 0x%" PRIx64 " bytes mapped\n",
			e->iova, e->size, e->paddr, prot, e->result, e->bytes);
		break;
	case MOCK_IOMMU_OP_UNMAP:
		fprintf(out,
			" iova 0x%" PRIx64 " size 0x%" PRIx64 " -> %d, 0x%" PRIx64
			" bytes unmapped\n",
			e->iova, e->size, e->result, e->bytes);
		break;
	case MOCK_IOMMU_OP_DOMAIN_FREE:
		fprintf(out, " -> %d, 0x%" PRIx64 " bytes still mapped\n", e->result, e->bytes);
		break;
	default:
		fprintf(out, " -> %d\n", e->result);
		break;
	}
}

/* What the ring no longer holds comes first, where those entries would be. */
static void journal_print_evicted(const struct mock_iommu *mock, FILE *out)
{
	const struct mock_journal *j = &mock->journal;

	mock_iommu__assert_locked(mock);
	if (!j->evicted)
		return;
	if (!j->cap)
		fprintf(out, "(journal off: %" PRIu64 " entries not kept)\n", j->evicted);
	else
		fprintf(out, "(%" PRIu64 " oldest entries overwritten: journal capacity %zu)\n",
			j->evicted, j->cap);
}

int mock_iommu_journal_dump(struct mock_iommu *mock, FILE *out)
{
	size_t i;

	if (!mock || !out)
		return -EINVAL;
	mock_iommu__lock(mock);
	journal_print_evicted(mock, out);
	for (i = 0; i < mock->journal.len; i++)
		entry_print(mock, out, i);
	if (mock->journal.dropped)
		fprintf(out, "(%" PRIu64 " entries dropped: out of memory)\n",
			mock->journal.dropped);
	mock_iommu__unlock(mock);
	return 0;
}
