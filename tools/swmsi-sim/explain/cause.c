/* SPDX-License-Identifier: MIT */
/*
 * The cause that holds: when a library call fails, which of the causes
 * docs/errors.md lists for its error is true here, worked out from the
 * state before the step (its snapshot), the step's backend journal and
 * what earlier lines did to the names it uses ("'d' was never created:
 * its bind at line 3 failed with EINVAL"). This file: the entry point,
 * names, ranges, mappings and the backend; cause_dev.c: devices and
 * vectors. Runs only when a sink words a failure, so it may look further
 * than a step does.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cause.h"
#include "commands.h"
#include "explain.h"

/* Name @n is no live object: never created, or gone. NULL when it is. */
static const char *name_not_live(const struct cause *k, unsigned int n)
{
	const struct sim_obj *o = &k->s->objs[n];

	if (o->live)
		return NULL;
	if (o->id && o->gone.line)
		return cause_say(k, "'%s' is %s (line %u)", cause_name(k, n),
				 o->gone.op == SCN_UNBIND ? "unbound" : "destroyed", o->gone.line);
	if (o->id)
		return NULL;
	if (o->made.line && o->made.rc)
		return cause_say(k, "'%s' was never created: its %s at line %u failed with %s",
				 cause_name(k, n), o->made.op == SCN_DEVICE ? "bind" : "allocation",
				 o->made.line, swmsi_errname(o->made.rc));
	return cause_say(k, "'%s' was never created", cause_name(k, n));
}

/* ENOENT: the first name argument, in argument order, that is no live
 * object (the library checks ids in that order). */
static const char *names_enoent(const struct cause *k)
{
	const struct cmd_def *def = cmd_of(k->c->op);
	const char *w;
	int i;

	for (i = 0; def && i < CMD_MAX_ARGS && def->args[i].kind != A_END; i++) {
		unsigned int n;

		if (def->args[i].kind != A_OBJ)
			continue;
		memcpy(&n, (const char *)&k->c->a + def->args[i].off, sizeof(n));
		if (n < k->s->scn->nnames && (w = name_not_live(k, n)))
			return w;
	}
	return NULL;
}

/* ", the fault fail_map armed at line N" when that fault gave @err. */
static const char *armed(const struct cause *k, int err, char *buf, size_t len)
{
	const struct sim_event *f = &k->s->fail_map;

	buf[0] = '\0';
	if (f->line && f->step < k->s->scn->ncmds && k->s->scn->cmds[f->step].a.fail.err == err)
		snprintf(buf, len, ", the fault fail_map armed at line %u", f->line);
	return buf;
}

/* A backend map of the step that failed, said: what it mapped and where. */
static const char *failed_map(const struct cause *k, const struct mock_iommu_journal_entry *j,
			      const char *fb)
{
	const char *dom = sim_dom_label(k->s, j->domain);
	char sz[24], where[64];
	/* MSI pages are mapped MMIO, by the calls that install them */
	bool msi = (j->prot & SWMSI_PROT_MMIO) && k->c->op != SCN_MAP && k->c->op != SCN_HWPT;

	/* a domain the step made (and dropped) has no label */
	if (!strcmp(dom, "?"))
		snprintf(where, sizeof(where), "the new domain");
	else
		snprintf(where, sizeof(where), "%s's domain", dom);
	return cause_say(k, "%s 0x%" PRIx64 " [%s] -> 0x%" PRIx64 " into %s failed with %s%s%s",
			 msi ? "installing the MSI page" : "mirroring", j->iova,
			 sim_fmt_size(sz, sizeof(sz), j->size), j->paddr, where,
			 swmsi_errname(j->result), fb,
			 /* dma-iommu flattens every error of its map */
			 j->result != k->rc ? " (the scheme answers ENOMEM for it)" : "");
}

/* A backend call of the step that failed: the error came from there. */
static const char *backend(const struct cause *k)
{
	const struct mock_iommu_journal_entry *j = k->r->journal;
	char fb[64];
	size_t i;

	for (i = 0; j && i < k->r->njournal; i++) {
		if (!j[i].result)
			continue;
		armed(k, j[i].result, fb, sizeof(fb));
		if (j[i].op == MOCK_IOMMU_OP_DOMAIN_ALLOC)
			return cause_say(k, "allocating a domain failed with %s%s",
					 swmsi_errname(j[i].result), fb);
		if (j[i].op == MOCK_IOMMU_OP_MAP)
			return failed_map(k, &j[i], fb);
	}
	return NULL;
}

/* The range of map, unmap, s1map: EINVAL and EOVERFLOW. */
static const char *bad_map_args(const struct cause *k)
{
	const struct scn_a_map *a = &k->c->a.map;
	bool has_pa = k->c->op != SCN_UNMAP;
	const char *pa = k->c->op == SCN_S1MAP ? "IPA" : "PADDR";

	if (k->rc == -EINVAL && !cause_aligned(k, a->iova))
		return cause_say(k, "IOVA 0x%" PRIx64 " is not page aligned", a->iova);
	if (k->rc == -EINVAL && has_pa && !cause_aligned(k, a->paddr))
		return cause_say(k, "%s 0x%" PRIx64 " is not page aligned", pa, a->paddr);
	if (k->rc == -EINVAL && !a->length)
		return cause_say(k, "the length is 0");
	if (k->rc == -EINVAL && !cause_aligned(k, a->length))
		return cause_say(k, "length 0x%" PRIx64 " is not page aligned", a->length);
	if (k->rc == -EOVERFLOW && cause_wraps(a->iova, a->length))
		return cause_say(k, "IOVA 0x%" PRIx64 " + 0x%" PRIx64 " wraps past 2^64", a->iova,
				 a->length);
	if (k->rc == -EOVERFLOW && has_pa && cause_wraps(a->paddr, a->length))
		return cause_say(k, "%s 0x%" PRIx64 " + 0x%" PRIx64 " wraps past 2^64", pa,
				 a->paddr, a->length);
	return NULL;
}

/* unmap's ENOENT with a live IOAS: nothing inside, or a mapping cut. */
static const char *unmap_enoent(const struct cause *k, const struct snapshot_ioas *io)
{
	const struct scn_a_map *a = &k->c->a.map;
	uint64_t last = a->iova + (a->length - 1);
	char s1[24], s2[24], nm[72];
	size_t i;

	for (i = 0; i < io->nmaps; i++) {
		const struct swmsi_mapping *m = &io->maps[i];
		uint64_t mlast = m->iova + (m->length - 1);

		if (mlast < a->iova || m->iova > last)
			continue;
		if (m->iova < a->iova || mlast > last)
			return cause_say(k,
					 "the mapping 0x%" PRIx64
					 " [%s]%s straddles the %s of 0x%" PRIx64 " [%s]",
					 m->iova, sim_fmt_size(s1, sizeof(s1), m->length),
					 cause_area_name(k, io->id, m->iova, nm, sizeof(nm)),
					 m->iova < a->iova ? "start" : "end", a->iova,
					 sim_fmt_size(s2, sizeof(s2), a->length));
	}
	return cause_say(k, "'%s' maps nothing inside 0x%" PRIx64 " [%s]", cause_name(k, a->obj),
			 a->iova, sim_fmt_size(s2, sizeof(s2), a->length));
}

/* map, unmap, s1map: the range, then what the IOAS or stage 1 holds. */
static const char *cause_map(const struct cause *k)
{
	const struct scn_a_map *a = &k->c->a.map;
	const struct snapshot_ioas *io;
	const struct snapshot_hwpt *h;
	const struct swmsi_mapping *m = NULL;
	const char *w = bad_map_args(k), *in = cause_name(k, a->obj);
	char sz[24], msz[24];

	if (w || !k->sn)
		return w;
	io = snapshot_ioas(k->sn, sim_oid(k->s, a->obj));
	h = snapshot_hwpt(k->sn, sim_oid(k->s, a->obj));
	if (k->c->op == SCN_UNMAP && k->rc == -ENOENT && io)
		return unmap_enoent(k, io);
	if (k->c->op == SCN_MAP && io && k->rc == -EADDRINUSE) {
		m = cause_meets(io->resv, io->nresv, a->iova, a->length);
		if (m)
			return cause_say(k,
					 "0x%" PRIx64 " [%s] meets the SW_MSI window 0x%" PRIx64
					 " [%s] reserved on '%s'",
					 a->iova, sim_fmt_size(sz, sizeof(sz), a->length), m->iova,
					 sim_fmt_size(msz, sizeof(msz), m->length), in);
	}
	/* another reserved range: NATIVE's EADDRINUSE, the others' EINVAL */
	if (k->c->op == SCN_MAP && io &&
	    (k->rc == -EADDRINUSE || (k->rc == -EINVAL && k->s->scheme != SWMSI_SCHEME_NATIVE)))
		return cause_map_resv(k, io->id, a->iova, a->length);
	if (k->rc != -EEXIST)
		return NULL;
	if (k->c->op == SCN_MAP && io)
		m = cause_meets(io->maps, io->nmaps, a->iova, a->length);
	else if (k->c->op == SCN_S1MAP && h)
		m = cause_meets(h->s1, h->ns1, a->iova, a->length);
	if (!m)
		return NULL;
	return cause_say(k,
			 "0x%" PRIx64 " [%s] meets %s mapping 0x%" PRIx64 " [%s] -> %s0x%" PRIx64,
			 a->iova, sim_fmt_size(sz, sizeof(sz), a->length),
			 k->c->op == SCN_S1MAP ? "the stage-1" : "the", m->iova,
			 sim_fmt_size(msz, sizeof(msz), m->length),
			 k->c->op == SCN_S1MAP ? "ipa " : "", m->paddr);
}

/* nested's EINVAL on a live paging HWPT: it is no nest parent. */
static const char *cause_nested(const struct cause *k)
{
	unsigned int p = k->c->a.decl.parent;
	const struct snapshot_hwpt *h;

	if (k->rc != -EINVAL || !k->sn)
		return NULL;
	h = snapshot_hwpt(k->sn, sim_oid(k->s, p));
	if (!h || h->info.type != SWMSI_OBJ_HWPT_PAGING || h->info.flags & SWMSI_HWPT_NEST_PARENT)
		return NULL;
	return cause_say(k, "'%s' was allocated without nest_parent (line %u)", cause_name(k, p),
			 k->s->scn->names[p].line);
}

/* window's EBUSY: a map entry exists, or a group with a window is attached. */
static const char *window_busy(const struct cause *k)
{
	const struct snapshot *sn = k->sn;
	size_t i;

	if (!sn || sn->partial)
		return NULL;
	if (sn->nmaps)
		return cause_say(k,
				 "MSI map %" PRIu32 " exists (doorbell page 0x%" PRIx64
				 " in window 0x%" PRIx64 "): the window is fixed once a map exists",
				 sn->maps[0].id, sn->maps[0].msi_page, sn->maps[0].sw_msi_start);
	for (i = 0; i < sn->ndevs; i++) {
		const struct snapshot_dev *d = &sn->devs[i];

		if (d->info.attached && d->info.sw_msi_start != SWMSI_PHYS_NONE)
			return cause_say(k, "%s is attached with a window (group %" PRIu32 ")",
					 sim_obj_name(k->s, d->id), d->info.group);
	}
	return NULL;
}

static const char *by_command(const struct cause *k)
{
	const struct scn_a_range *r = &k->c->a.range;

	switch (k->c->op) {
	case SCN_WINDOW:
		return k->rc == -EINVAL ? cause_bad_range(k, "window", r->start, r->size)
					: window_busy(k);
	case SCN_DEV_WINDOW:
		return cause_dev_window(k);
	case SCN_DOORBELL:
		return k->rc == -EINVAL ? cause_bad_range(k, "doorbell", r->start, r->size) : NULL;
	case SCN_MAP:
	case SCN_UNMAP:
	case SCN_S1MAP:
		return cause_map(k);
	case SCN_NESTED:
		return cause_nested(k);
	case SCN_DEVICE:
		return cause_bind(k);
	case SCN_ATTACH:
	case SCN_REPLACE:
		return cause_attach(k);
	case SCN_DETACH:
		return cause_detach(k);
	case SCN_DESTROY:
		return cause_destroy(k);
	case SCN_MSI:
		return cause_msi(k);
	case SCN_FREE:
	case SCN_FIRE:
		return cause_vec(k);
	default:
		return cause_iopt(k);
	}
}

const char *sim_cause_of(const struct sim *s, const struct sim_rec *r, int rc, char *buf,
			 size_t len)
{
	struct cause k = { s, r, r->st->c, r->before, rc, 0, buf, len };
	const char *w = NULL;

	if (!rc || !len)
		return NULL;
	k.step = (size_t)(k.c - s->scn->cmds);
	if (k.sn && !k.sn->valid)
		k.sn = NULL;
	if (rc == -ENOENT)
		w = names_enoent(&k);
	if (!w)
		w = backend(&k);
	return w ? w : by_command(&k);
}
