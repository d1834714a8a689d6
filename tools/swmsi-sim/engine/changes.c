/* SPDX-License-Identifier: MIT */
/*
 * Change records: what a step changed, as typed records (struct sim_change, state.h). The
 * backend's calls come from the mock's journal; the MSI table, guests'
 * stage 1 and groups' moves from comparing the state before and after.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "engine.h"

static struct sim_change *add(struct sim_changes *out, enum sim_change_kind kind)
{
	struct sim_change *ch;

	if (sim_grow((void **)&out->v, &out->cap, out->n + 1, sizeof(*out->v), 16)) {
		out->oom = true;
		return NULL;
	}
	ch = &out->v[out->n++];
	memset(ch, 0, sizeof(*ch));
	ch->kind = kind;
	return ch;
}

/*
 * Where the group move sits among a step's journal entries: just after the
 * last map (or domain allocation). Attach and replace install everything
 * the group needs into the new domain before it moves, and reclaim the old
 * one only after (docs/design.md); a failed call has no move, and its
 * rollback unmaps stay after the map that failed.
 */
size_t sim_journal_move_point(const struct mock_iommu_journal_entry *j, size_t n)
{
	size_t i, split = 0;

	for (i = 0; i < n; i++)
		if (j[i].op == MOCK_IOMMU_OP_MAP || j[i].op == MOCK_IOMMU_OP_DOMAIN_ALLOC)
			split = i + 1;
	return split;
}

static enum sim_change_kind journal_kind(const struct mock_iommu_journal_entry *e)
{
	switch (e->op) {
	case MOCK_IOMMU_OP_MAP:
		return e->result ? SIM_CH_MAP_FAILED : SIM_CH_MAP;
	case MOCK_IOMMU_OP_UNMAP:
		return SIM_CH_UNMAP;
	case MOCK_IOMMU_OP_DOMAIN_ALLOC:
		return e->result ? SIM_CH_DOMAIN_FAILED : SIM_CH_DOMAIN_ALLOC;
	default:
		return SIM_CH_DOMAIN_FREE;
	}
}

/*
 * The label of domain @serial. A domain no snapshot saw belongs to a HWPT
 * the step failed to create: the 'hwpt' command's name, or, for an attach
 * or replace to an IOAS, its automatic HWPT, auto@IOAS.
 */
const char *sim_journal_label(const struct sim *s, const struct scn_cmd *c, unsigned int serial,
			      char *buf, size_t len)
{
	const char *l = sim_dom_label(s, serial);
	const struct scn_name *pt;

	if (strcmp(l, "?") || !c)
		return l;
	if (c->op == SCN_HWPT)
		return s->scn->names[c->a.decl.name].name;
	if (c->op != SCN_ATTACH && c->op != SCN_REPLACE)
		return l;
	pt = &s->scn->names[c->a.obj.pt];
	if (pt->kind != SCN_KIND_IOAS)
		return l;
	snprintf(buf, len, "auto@%s", pt->name);
	return buf;
}

/* The journal entries [@from, @to) as change records, in the order they happened. */
static void journal_changes(const struct sim *s, const struct mock_iommu_journal_entry *j,
			    size_t from, size_t to, struct sim_changes *out)
{
	char label[SIM_LABEL_LEN];
	size_t i;

	for (i = from; i < to; i++) {
		const struct mock_iommu_journal_entry *e = &j[i];
		struct sim_change *ch;

		if (e->op < MOCK_IOMMU_OP_MAP || e->op > MOCK_IOMMU_OP_DOMAIN_FREE)
			continue;
		ch = add(out, journal_kind(e));
		if (!ch)
			return;
		ch->domain = e->domain;
		ch->hwpt = sim_dom_hwpt(s, e->domain);
		snprintf(ch->what, sizeof(ch->what), "%s",
			 sim_journal_label(s, out->c, e->domain, label, sizeof(label)));
		ch->iova = e->iova;
		ch->size = e->size;
		ch->paddr = e->paddr;
		ch->prot = e->prot;
		ch->bytes = e->bytes;
		ch->result = e->result;
	}
}

static void table_change(struct sim_changes *out, enum sim_change_kind kind,
			 const struct swmsi_msi_map_info *m)
{
	struct sim_change *ch = add(out, kind);

	if (!ch)
		return;
	ch->id = m->id;
	ch->window = m->sw_msi_start;
	ch->slot = m->slot;
	ch->iova = m->iova;
	ch->paddr = m->msi_page;
}

/* Entries the step created (or gave a new page): they come with the installs. */
static void table_new(const struct snapshot *a, const struct snapshot *b, struct sim_changes *out)
{
	size_t i;

	for (i = 0; i < b->nmaps; i++) {
		const struct swmsi_msi_map_info *m = &b->maps[i], *o = snapshot_map(a, m->id);

		/* not in a scoped before that would hold it: not there before */
		if (!o && !snapshot_covers(a, m))
			continue;
		if (!o || o->msi_page != m->msi_page || o->sw_msi_start != m->sw_msi_start ||
		    o->slot != m->slot)
			table_change(out, SIM_CH_TABLE_NEW, m);
	}
}

/* Entries the step freed: reclaim, after the unmaps that emptied them. */
static void table_freed(const struct snapshot *a, const struct snapshot *b, struct sim_changes *out)
{
	size_t i;

	for (i = 0; i < a->nmaps; i++) {
		const struct swmsi_msi_map_info *m = &a->maps[i], *n = snapshot_map(b, m->id);

		if (!n || n->msi_page != m->msi_page || n->sw_msi_start != m->sw_msi_start)
			table_change(out, SIM_CH_TABLE_FREED, m);
	}
}

static bool has_mapping(const struct swmsi_mapping *m, size_t n, const struct swmsi_mapping *x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (m[i].iova == x->iova && m[i].paddr == x->paddr && m[i].length == x->length &&
		    m[i].prot == x->prot)
			return true;
	return false;
}

/* The mappings of @h not in @o, as @kind records. */
static void s1_diff(const char *label, const struct snapshot_hwpt *h, const struct snapshot_hwpt *o,
		    enum sim_change_kind kind, struct sim_changes *out)
{
	size_t k;

	for (k = 0; k < h->ns1; k++) {
		const struct swmsi_mapping *m = &h->s1[k];
		struct sim_change *ch;

		if (has_mapping(o->s1, o->ns1, m))
			continue;
		ch = add(out, kind);
		if (!ch)
			return;
		snprintf(ch->what, sizeof(ch->what), "%s", label);
		ch->hwpt = h->id;
		ch->iova = m->iova;
		ch->size = m->length;
		ch->paddr = m->paddr;
		ch->prot = m->prot;
	}
}

/*
 * The guest's stage-1 table of each nested HWPT that lived through the step:
 * it has no journal (no backend domain of its own), so it is diffed.
 */
static void stage1_changes(const struct sim *s, const struct snapshot *a, const struct snapshot *b,
			   struct sim_changes *out)
{
	char hb[SIM_LABEL_LEN];
	size_t i;

	for (i = 0; i < b->nhwpts; i++) {
		const struct snapshot_hwpt *h = &b->hwpts[i], *o = snapshot_hwpt(a, h->id);

		if (h->info.type != SWMSI_OBJ_HWPT_NESTED || !o)
			continue;
		sim_obj_label(s, b, h->id, hb, sizeof(hb));
		s1_diff(hb, h, o, SIM_CH_S1_ADD, out);
		s1_diff(hb, o, h, SIM_CH_S1_DEL, out);
	}
}

uint32_t sim_group_hwpt(const struct snapshot *sn, uint32_t group, bool *exists)
{
	size_t i;

	*exists = false;
	for (i = 0; i < sn->ndevs; i++) {
		if (sn->devs[i].info.group != group)
			continue;
		*exists = true;
		if (sn->devs[i].info.hwpt_id)
			return sn->devs[i].info.hwpt_id;
	}
	return 0;
}

/* Group -> the HWPT sim_group_hwpt() names, for every group of @sn: one
 * pass, where asking per group walked every device. */
static int group_index(const struct snapshot *sn, struct key_index *ix)
{
	size_t i;

	for (i = 0; i < sn->ndevs; i++) {
		const struct snapshot_dev *d = &sn->devs[i];
		long at = key_index_find(ix, d->info.group);

		if ((at < 0 || (!at && d->info.hwpt_id)) &&
		    key_index_set(ix, d->info.group, d->info.hwpt_id))
			return -ENOMEM;
	}
	return 0;
}

static void group_change(const struct sim *s, const struct snapshot *a, const struct snapshot *b,
			 const struct key_index *ia, const struct key_index *ib, uint32_t g,
			 struct sim_changes *out)
{
	long fa = key_index_find(ia, g), fb = key_index_find(ib, g);
	uint32_t from = fa > 0 ? (uint32_t)fa : 0, to = fb > 0 ? (uint32_t)fb : 0;
	struct sim_change *ch;

	/* Not in a partial before: the step did not touch it. */
	if (from == to || (fa < 0 && a->partial))
		return;
	ch = add(out, !to ? SIM_CH_GROUP_LEAVE : !from ? SIM_CH_GROUP_JOIN : SIM_CH_GROUP_MOVE);
	if (!ch)
		return;
	ch->id = g;
	ch->hwpt = from;
	ch->to_hwpt = to;
	if (from)
		sim_obj_label(s, a, from, ch->what, sizeof(ch->what));
	if (to)
		sim_obj_label(s, b, to, ch->to, sizeof(ch->to));
}

/* Each group of a device before or after, in the order first seen. */
static void group_changes(const struct sim *s, const struct snapshot *a, const struct snapshot *b,
			  struct sim_changes *out)
{
	struct key_index ia = { 0 }, ib = { 0 }, seen = { 0 };
	size_t i;

	if (group_index(a, &ia) || group_index(b, &ib))
		out->oom = true;
	for (i = 0; !out->oom && i < a->ndevs + b->ndevs; i++) {
		const struct snapshot_dev *d = i < a->ndevs ? &a->devs[i] : &b->devs[i - a->ndevs];
		uint32_t g = d->info.group;

		if (key_index_find(&seen, g) >= 0)
			continue;
		if (key_index_set(&seen, g, 1))
			out->oom = true;
		group_change(s, a, b, &ia, &ib, g, out);
	}
	key_index_free(&ia);
	key_index_free(&ib);
	key_index_free(&seen);
}

void sim_changes_build(const struct sim *s, const struct mock_iommu_journal_entry *j, size_t nj,
		       const struct snapshot *a, const struct snapshot *b, bool both,
		       struct sim_changes *out)
{
	size_t move = sim_journal_move_point(j, nj);

	out->n = 0;
	/* Installs, then the move, then reclaim: the order the library works in. */
	journal_changes(s, j, 0, move, out);
	if (both) {
		table_new(a, b, out);
		stage1_changes(s, a, b, out);
		group_changes(s, a, b, out);
	}
	journal_changes(s, j, move, nj, out);
	if (both)
		table_freed(a, b, out);
}
