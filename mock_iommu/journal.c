/* SPDX-License-Identifier: MIT */
/*
 * The journal: every domain_alloc, domain_free, map and unmap call the
 * mock sees, in order, with its result. Tests read it to assert exactly
 * which backend calls an operation made. It keeps everything until
 * cleared, in an array that doubles so recording stays amortised O(1).
 * Failing to grow it never fails the call being recorded: the entry is
 * dropped and counted instead (mock_iommu_journal_dropped()).
 */
#include "mock_private.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#define JOURNAL_MIN_CAP 64

static int journal_grow(struct mock_iommu *mock)
{
	struct mock_journal *j = &mock->journal;
	struct mock_iommu_journal_entry *entries;
	size_t cap = j->cap ? j->cap * 2 : JOURNAL_MIN_CAP;

	if (cap < j->cap || cap > SIZE_MAX / sizeof(*entries))
		return -ENOMEM;
	if (mock_iommu__alloc_fault(mock))
		return -ENOMEM;
	entries = realloc(j->entries, cap * sizeof(*entries));
	if (!entries)
		return -ENOMEM;
	j->entries = entries;
	j->cap = cap;
	return 0;
}

void mock_iommu__journal_record(struct mock_iommu *mock, struct mock_iommu_journal_entry *entry)
{
	struct mock_journal *j = &mock->journal;

	/* a dropped entry still takes its number: the gap shows in dumps */
	entry->seq = ++j->last_seq;
	if (j->len == j->cap && journal_grow(mock)) {
		j->dropped++;
		return;
	}
	j->entries[j->len++] = *entry;
}

void mock_iommu__journal_free(struct mock_iommu *mock)
{
	free(mock->journal.entries);
	mock->journal.entries = NULL;
	mock->journal.len = 0;
	mock->journal.cap = 0;
}

size_t mock_iommu_journal_len(struct mock_iommu *mock)
{
	size_t len;

	if (!mock)
		return 0;
	pthread_mutex_lock(&mock->lock);
	len = mock->journal.len;
	pthread_mutex_unlock(&mock->lock);
	return len;
}

uint64_t mock_iommu_journal_dropped(struct mock_iommu *mock)
{
	uint64_t dropped;

	if (!mock)
		return 0;
	pthread_mutex_lock(&mock->lock);
	dropped = mock->journal.dropped;
	pthread_mutex_unlock(&mock->lock);
	return dropped;
}

int mock_iommu_journal_get(struct mock_iommu *mock, size_t idx,
			   struct mock_iommu_journal_entry *entry)
{
	int rc = 0;

	if (!mock || !entry)
		return -EINVAL;
	pthread_mutex_lock(&mock->lock);
	if (idx >= mock->journal.len) {
		rc = -ENOENT;
		goto out_unlock;
	}
	*entry = mock->journal.entries[idx];
out_unlock:
	pthread_mutex_unlock(&mock->lock);
	return rc;
}

void mock_iommu_journal_clear(struct mock_iommu *mock)
{
	if (!mock)
		return;
	pthread_mutex_lock(&mock->lock);
	/* keep the array: a test that clears between steps should not realloc */
	mock->journal.len = 0;
	pthread_mutex_unlock(&mock->lock);
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

static void entry_print(FILE *out, const struct mock_iommu_journal_entry *e)
{
	char prot[4];

	fprintf(out, "#%" PRIu64 " %s dom %u", e->seq, op_name(e->op), e->domain);
	switch (e->op) {
	case MOCK_IOMMU_OP_MAP:
		mock_iommu__prot_str(e->prot, prot);
		fprintf(out, " iova 0x%" PRIx64 " size 0x%" PRIx64 " paddr 0x%" PRIx64
			" [%s] -> %d, 0x%" PRIx64 " bytes mapped\n", e->iova, e->size, e->paddr,
			prot, e->result, e->bytes);
		break;
	case MOCK_IOMMU_OP_UNMAP:
		fprintf(out, " iova 0x%" PRIx64 " size 0x%" PRIx64 " -> %d, 0x%" PRIx64
			" bytes unmapped\n", e->iova, e->size, e->result, e->bytes);
		break;
	case MOCK_IOMMU_OP_DOMAIN_FREE:
		fprintf(out, " -> %d, 0x%" PRIx64 " bytes still mapped\n", e->result, e->bytes);
		break;
	default:
		fprintf(out, " -> %d\n", e->result);
		break;
	}
}

int mock_iommu_journal_dump(struct mock_iommu *mock, FILE *out)
{
	size_t i;

	if (!mock || !out)
		return -EINVAL;
	pthread_mutex_lock(&mock->lock);
	for (i = 0; i < mock->journal.len; i++)
		entry_print(out, &mock->journal.entries[i]);
	if (mock->journal.dropped)
		fprintf(out, "(%" PRIu64 " entries dropped: out of memory)\n",
			mock->journal.dropped);
	pthread_mutex_unlock(&mock->lock);
	return 0;
}
