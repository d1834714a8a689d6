/* SPDX-License-Identifier: MIT */
/*
 * A step's changes (struct sim_change, record.h) as JSON records, one
 * object a change with a "kind" and the fields of that kind, as the journal
 * beside them is written: addresses and sizes as "0x..." strings, ids and
 * group numbers as numbers, protections as letters. The timeline words the
 * same records (sim_change_text()); docs/json/run.schema.json lists them.
 */
#include "runner.h"
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
