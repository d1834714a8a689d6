/* SPDX-License-Identifier: MIT */
/*
 * A step's changes (struct sim_change, state.h) in words for the timeline
 * (sim_change_text(), with the mock's journal ops), and as JSON records,
 * one object a change with a "kind" and the fields of that kind, as the
 * journal beside them is written: addresses and sizes as "0x..." strings,
 * ids and group numbers as numbers, protections as letters;
 * docs/json/run.schema.json lists them.
 */
#include <inttypes.h>
#include <stdio.h>

#include "sinks.h"

static const char *kind_word(enum sim_change_kind k)
{
	switch (k) {
	case SIM_CH_MAP:
		return "map";
	case SIM_CH_MAP_FAILED:
		return "map_failed";
	case SIM_CH_UNMAP:
		return "unmap";
	case SIM_CH_DOMAIN_ALLOC:
		return "domain_alloc";
	case SIM_CH_DOMAIN_FAILED:
		return "domain_alloc_failed";
	case SIM_CH_DOMAIN_FREE:
		return "domain_free";
	case SIM_CH_TABLE_NEW:
		return "msi_map_new";
	case SIM_CH_TABLE_FREED:
		return "msi_map_freed";
	case SIM_CH_S1_ADD:
		return "s1_map";
	case SIM_CH_S1_DEL:
		return "s1_unmap";
	case SIM_CH_GROUP_JOIN:
		return "group_join";
	case SIM_CH_GROUP_LEAVE:
		return "group_leave";
	case SIM_CH_GROUP_MOVE:
		return "group_move";
	}
	return "?";
}

static void kstr_or_null(struct sim_json *j, const char *key, const char *s)
{
	sj_key(j, key);
	if (s[0])
		sj_str(j, s);
	else
		sj_null(j);
}

/* The backend's calls: the domain (the journal's number) and its HWPT. */
static void journal_change(struct sim_json *j, const struct sim_change *ch)
{
	char pr[8];

	sj_ku64(j, "domain", ch->domain);
	kstr_or_null(j, "hwpt", ch->what);
	if (ch->kind == SIM_CH_DOMAIN_ALLOC || ch->kind == SIM_CH_DOMAIN_FREE)
		return;
	if (ch->kind == SIM_CH_DOMAIN_FAILED) {
		sj_kstr(j, "errno", swmsi_errname(ch->result));
		return;
	}
	sj_khex(j, "iova", ch->iova);
	sj_khex(j, "size", ch->size);
	if (ch->kind == SIM_CH_UNMAP) {
		sj_khex(j, "bytes", ch->bytes);
		return;
	}
	sj_khex(j, "paddr", ch->paddr);
	sj_kstr(j, "prot", sim_fmt_prot(pr, sizeof(pr), ch->prot));
	if (ch->kind == SIM_CH_MAP_FAILED)
		sj_kstr(j, "errno", swmsi_errname(ch->result));
}

static void change(struct sim_json *j, const struct sim_change *ch)
{
	char pr[8];

	sj_obj_begin(j);
	sj_kstr(j, "kind", kind_word(ch->kind));
	switch (ch->kind) {
	case SIM_CH_TABLE_NEW:
	case SIM_CH_TABLE_FREED:
		sj_ku64(j, "id", ch->id);
		sj_khex(j, "window", ch->window);
		sj_ku64(j, "slot", ch->slot);
		sj_khex(j, "iova", ch->iova);
		sj_khex(j, "page", ch->paddr);
		break;
	case SIM_CH_S1_ADD:
	case SIM_CH_S1_DEL:
		sj_kstr(j, "hwpt", ch->what);
		sj_khex(j, "iova", ch->iova);
		sj_khex(j, "size", ch->size);
		sj_khex(j, "ipa", ch->paddr);
		sj_kstr(j, "prot", sim_fmt_prot(pr, sizeof(pr), ch->prot));
		break;
	case SIM_CH_GROUP_JOIN:
	case SIM_CH_GROUP_LEAVE:
	case SIM_CH_GROUP_MOVE:
		sj_ku64(j, "group", ch->id);
		kstr_or_null(j, "from", ch->what);
		kstr_or_null(j, "to", ch->to);
		break;
	default:
		journal_change(j, ch);
		break;
	}
	sj_obj_end(j);
}

void sim_json_changes(struct sim_json *j, const struct sim_change *ch, size_t n)
{
	size_t i;

	sj_key(j, "changes");
	sj_arr_begin(j);
	for (i = 0; i < n; i++)
		change(j, &ch[i]);
	sj_arr_end(j);
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
