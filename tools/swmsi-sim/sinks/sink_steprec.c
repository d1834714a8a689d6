/* SPDX-License-Identifier: MIT */
/*
 * Each step summed up in a struct sim_step_rec for sim_opts.on_step: the
 * result as --compare shows it, the names of the invariants broken, the
 * vectors lost or misrouted after it; in words for the timeline, as typed
 * facts for the JSON.
 */
#include <stdio.h>
#include <string.h>

#include "sinks.h"

/* The names of the step's findings, each once: "slot-in-window, msg-in-window". */
static void finding_names(const struct sim_rec *r, char *buf, size_t len)
{
	size_t i, k, off = 0;

	buf[0] = '\0';
	for (i = 0; i < r->nviol && off < len; i++) {
		if (!r->viol[i].finding)
			continue;
		for (k = 0;
		     k < i && (!r->viol[k].finding || strcmp(r->viol[k].inv, r->viol[i].inv)); k++)
			;
		if (k == i)
			off += (size_t)snprintf(buf + off, len - off, "%s%s", off ? ", " : "",
						r->viol[i].inv);
	}
}

static void result_text(const struct sim_step *st, const struct sim_text *w, char *buf, size_t len)
{
	if (st->has_fate)
		snprintf(buf, len, "%s%s", st->rc ? "" : "ok  ", w->fate);
	else if (st->rc)
		snprintf(buf, len, "%s", swmsi_errname(st->rc));
	else if (scn_op_is_expect(st->c->op))
		snprintf(buf, len, "%.150s", st->failed ? w->got : "holds");
	else
		snprintf(buf, len, "ok%s%.150s", w->detail[0] ? "  " : "", w->detail);
}

/* The step's findings' names, each once, as the record's typed list. */
static void finding_list(const struct sim_rec *r, struct sim_rec_facts *f)
{
	size_t i, k;

	for (i = 0; i < r->nviol && f->nfinding_names < SIM_REC_NAMES; i++) {
		if (!r->viol[i].finding)
			continue;
		for (k = 0; k < f->nfinding_names && strcmp(f->finding_names[k], r->viol[i].inv);
		     k++)
			;
		if (k == f->nfinding_names)
			f->finding_names[f->nfinding_names++] = r->viol[i].inv;
	}
}

/*
 * The lost and misrouted vectors after the step, the ones sim_fates()
 * words: of groups that sit on a HWPT and have a window.
 */
static void vec_list(const struct sim *s, const struct snapshot *sn, struct sim_rec_facts *f)
{
	size_t i, k;

	for (i = 0; sn && i < sn->ndevs; i++) {
		const struct snapshot_dev *d = &sn->devs[i];

		if (!d->info.hwpt_id || d->info.sw_msi_start == SWMSI_PHYS_NONE)
			continue;
		for (k = 0; k < d->nvecs && f->nvecs < SIM_REC_VECS; k++) {
			const struct snapshot_fire *fi = &d->fire[k];
			enum sim_fate fate = sim_fate_of(fi->rc, fi->paddr, d->vecs[k].msi_addr);
			struct sim_rec_vec *v;
			const char *l;

			if (fate == SIM_FATE_DOORBELL)
				continue;
			l = sim_vec_label(s, sim_name_of(s, d->id), d->vecs[k].vec);
			v = &f->vecs[f->nvecs++];
			v->dev = sim_obj_name(s, d->id);
			v->vec = l ? l : "?";
			v->fate = sim_fate_word(fate);
			v->rc = fi->rc;
			v->landed = fi->paddr;
		}
	}
}

void sim_msi_facts(const struct sim *s, const struct sim_rec *r, struct sim_rec_facts *f)
{
	const struct scn_cmd *c = r->c;
	const struct swmsi_vector_info *v;
	const struct snapshot_dev *d;
	const struct snapshot_hwpt *h;
	const struct swmsi_msi_map_info *m;
	uint32_t dev = sim_oid(s, c->a.vec.dev);

	f->has_msg = true;
	f->msg_addr = r->st->value;
	v = sim_snap_vec(r->after, dev, s->vecs[c->a.vec.vec].handle);
	f->translated = v && v->translated;
	if (!f->translated)
		return;
	if (s->scheme == SWMSI_SCHEME_DMA_IOMMU) {
		d = snapshot_dev(r->after, dev);
		h = d ? snapshot_paging_of(r->after, snapshot_hwpt(r->after, d->info.hwpt_id))
		      : NULL;
		if (h)
			sim_obj_label(s, r->after, h->id, f->cookie, sizeof(f->cookie));
		return;
	}
	m = snapshot_map(r->after, v->map_id);
	f->has_map = true;
	f->map_id = v->map_id;
	f->slot = m ? m->slot : 0;
}

static void step_facts(const struct sim *s, const struct sim_rec *r, struct sim_rec_facts *f)
{
	const struct sim_step *st = r->st;

	f->id = st->id;
	if (r->c->op == SCN_MSI && !st->rc && st->has_value)
		sim_msi_facts(s, r, f);
	if (st->has_fate) {
		f->fate = sim_fate_word(st->fate);
		f->landed = st->value;
		f->doorbell = st->doorbell;
	}
	finding_list(r, f);
	vec_list(s, r->after, f);
}

static void steprec_step(void *priv, const struct sim *s, const struct sim_rec *r)
{
	struct sink_steprec *p = priv;
	struct sim_step_rec rec;
	struct sim_text w;

	memset(&rec, 0, sizeof(rec));
	rec.index = r->index;
	if (r->skipped) {
		rec.skipped = true;
		snprintf(rec.result, sizeof(rec.result), "skipped");
		p->fn(p->priv, &rec);
		return;
	}
	rec.failed = r->st->failed;
	rec.rc = r->st->rc;
	sim_outcome_text(s, r, &w);
	result_text(r->st, &w, rec.result, sizeof(rec.result));
	rec.violations = r->violations;
	rec.findings = r->findings;
	finding_names(r, rec.finding_names, sizeof(rec.finding_names));
	rec.nfates = sim_fates(s, r->after, rec.fates, sizeof(rec.fates));
	step_facts(s, r, &rec.facts);
	p->fn(p->priv, &rec);
}

const struct sim_sink_ops sink_steprec_ops = {
	.step = steprec_step,
};
