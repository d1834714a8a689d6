/* SPDX-License-Identifier: MIT */
/* Formatting helpers shared by the sinks: sizes, prot letters, change records. */
#include <inttypes.h>
#include <stdio.h>

#include "record.h"

const char *sim_fmt_size(char *buf, size_t len, uint64_t v)
{
	if (v && !(v & ((1ull << 30) - 1)))
		snprintf(buf, len, "%" PRIu64 "G", v >> 30);
	else if (v && !(v & ((1ull << 20) - 1)))
		snprintf(buf, len, "%" PRIu64 "M", v >> 20);
	else if (v && !(v & ((1ull << 10) - 1)))
		snprintf(buf, len, "%" PRIu64 "K", v >> 10);
	else
		snprintf(buf, len, "0x%" PRIx64, v);
	return buf;
}

const char *sim_fmt_prot(char *buf, size_t len, uint32_t prot)
{
	size_t n = 0;

	if (len < 5) {
		if (len)
			buf[0] = '\0';
		return buf;
	}
	if (prot & SWMSI_PROT_READ)
		buf[n++] = 'r';
	if (prot & SWMSI_PROT_WRITE)
		buf[n++] = 'w';
	if (prot & SWMSI_PROT_MMIO)
		buf[n++] = 'm';
	if (!n)
		buf[n++] = '-';
	buf[n] = '\0';
	return buf;
}

const char *sim_errstr(int rc)
{
	return rc ? swmsi_errname(rc) : "ok";
}

const char *sim_journal_op_word(enum mock_iommu_op op)
{
	static const char *const ops[] = { "?", "map", "unmap", "domain_alloc", "domain_free" };

	return (unsigned int)op < sizeof(ops) / sizeof(ops[0]) ? ops[op] : "?";
}

/*
 * A HWPT as the timeline names it: its label and the object id users see
 * ("hp (id 2)"), never the mock's domain serial; the label alone for one
 * that has no id (its creation failed).
 */
static const char *hwpt_ref(char *buf, size_t len, const char *label, uint32_t id)
{
	if (id)
		snprintf(buf, len, "%s (id %" PRIu32 ")", label, id);
	else
		snprintf(buf, len, "%s", label);
	return buf;
}

/* The backend's calls, by the HWPT whose domain they changed. */
static void journal_text(const struct sim_change *ch, char *buf, size_t len)
{
	char sz[24], pr[8], h[SIM_LABEL_LEN + 16];

	sim_fmt_size(sz, sizeof(sz), ch->size);
	hwpt_ref(h, sizeof(h), ch->what, ch->hwpt);
	switch (ch->kind) {
	case SIM_CH_MAP_FAILED:
		snprintf(buf, len, "%s: map 0x%" PRIx64 " [%s] -> 0x%" PRIx64 " failed: %s", h,
			 ch->iova, sz, ch->paddr, swmsi_errname(ch->result));
		break;
	case SIM_CH_MAP:
		snprintf(buf, len, "%s: + 0x%" PRIx64 " [%s] -> 0x%" PRIx64 " %s", h, ch->iova, sz,
			 ch->paddr, sim_fmt_prot(pr, sizeof(pr), ch->prot));
		break;
	case SIM_CH_UNMAP:
		if (ch->bytes != ch->size)
			snprintf(buf, len,
				 "%s: - 0x%" PRIx64 " [%s], only 0x%" PRIx64 " bytes unmapped", h,
				 ch->iova, sz, ch->bytes);
		else
			snprintf(buf, len, "%s: - 0x%" PRIx64 " [%s]", h, ch->iova, sz);
		break;
	case SIM_CH_DOMAIN_FAILED:
		snprintf(buf, len, "domain allocation failed: %s", swmsi_errname(ch->result));
		break;
	case SIM_CH_DOMAIN_ALLOC:
		snprintf(buf, len, "%s: domain allocated", h);
		break;
	default:
		snprintf(buf, len, "%s: domain freed", h);
		break;
	}
}

/* Group and stage-1 changes: by the HWPTs they are about. */
static void hwpt_text(const struct sim_change *ch, char *buf, size_t len)
{
	char sz[24], pr[8], h[SIM_LABEL_LEN + 16], to[SIM_LABEL_LEN + 16];

	hwpt_ref(h, sizeof(h), ch->what, ch->hwpt);
	hwpt_ref(to, sizeof(to), ch->to, ch->to_hwpt);
	switch (ch->kind) {
	case SIM_CH_S1_ADD:
		snprintf(buf, len, "%s stage 1: + 0x%" PRIx64 " [%s] -> ipa 0x%" PRIx64 " %s", h,
			 ch->iova, sim_fmt_size(sz, sizeof(sz), ch->size), ch->paddr,
			 sim_fmt_prot(pr, sizeof(pr), ch->prot));
		break;
	case SIM_CH_S1_DEL:
		snprintf(buf, len, "%s stage 1: - 0x%" PRIx64 " [%s]", h, ch->iova,
			 sim_fmt_size(sz, sizeof(sz), ch->size));
		break;
	case SIM_CH_GROUP_JOIN:
		snprintf(buf, len, "group %" PRIu32 ": joins %s", ch->id, to);
		break;
	case SIM_CH_GROUP_LEAVE:
		snprintf(buf, len, "group %" PRIu32 ": leaves %s", ch->id, h);
		break;
	default:
		snprintf(buf, len, "group %" PRIu32 ": %s -> %s", ch->id, h, to);
		break;
	}
}

const char *sim_change_text(const struct sim_change *ch, char *buf, size_t len)
{
	switch (ch->kind) {
	case SIM_CH_TABLE_NEW:
		snprintf(buf, len,
			 "msi map %" PRIu32 ": window 0x%" PRIx64 " slot %" PRIu32
			 ", iova 0x%" PRIx64 " -> doorbell page 0x%" PRIx64,
			 ch->id, ch->window, ch->slot, ch->iova, ch->paddr);
		break;
	case SIM_CH_TABLE_FREED:
		snprintf(buf, len,
			 "msi map %" PRIu32 " freed (slot %" PRIu32 " of window 0x%" PRIx64
			 ", page 0x%" PRIx64 ")",
			 ch->id, ch->slot, ch->window, ch->paddr);
		break;
	case SIM_CH_S1_ADD:
	case SIM_CH_S1_DEL:
	case SIM_CH_GROUP_JOIN:
	case SIM_CH_GROUP_LEAVE:
	case SIM_CH_GROUP_MOVE:
		hwpt_text(ch, buf, len);
		break;
	default:
		journal_text(ch, buf, len);
		break;
	}
	return buf;
}
