/* SPDX-License-Identifier: MIT */
/*
 * The cause that holds (cause.h) for what reserved regions and a device's
 * own window refuse: bind's regions (misaligned, empty, wrapping, a window
 * given twice, combinations NATIVE refuses), an attach whose device's
 * region meets a mapping of the target's IOAS, and `window DEV START SIZE`
 * (swmsi_device_set_sw_msi_window()) in the posted patch's order of checks.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cause.h"

#define MIB ((uint64_t)1 << 20)

/* The regions device name @n was bound with, *@nr of them; NULL: none known. */
static const struct swmsi_resv_region *regions_of(const struct cause *k, unsigned int n,
						  unsigned int *nr)
{
	const struct scn *scn = k->s->scn;
	const struct sim_obj *o = &k->s->objs[n];
	const struct scn_a_device *a;

	*nr = 0;
	if (scn->names[n].kind != SCN_KIND_DEVICE || !o->live || !o->made.line ||
	    o->made.step >= scn->ncmds)
		return NULL;
	a = &scn->cmds[o->made.step].a.device;
	*nr = a->nresv;
	return a->nresv ? &scn->resv[a->resv0] : NULL;
}

static bool meets(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a <= b + (blen - 1) && b <= a + (alen - 1);
}

/* "msi region 0xfee00000 [1M]" into @buf. */
static const char *region_words(const struct swmsi_resv_region *r, char *buf, size_t len)
{
	char sz[24];

	snprintf(buf, len, "%s region 0x%" PRIx64 " [%s]", scn_resv_word(r->type), r->start,
		 sim_fmt_size(sz, sizeof(sz), r->size));
	return buf;
}

/* bind's EINVAL or EOVERFLOW from region @i of @r: its own range. */
static const char *bad_region(const struct cause *k, const struct swmsi_resv_region *r,
			      unsigned int i)
{
	if (k->rc == -EINVAL && (!cause_aligned(k, r->start) || !cause_aligned(k, r->size)))
		return cause_say(k,
				 "region %u (%s@0x%" PRIx64 ":0x%" PRIx64 ") is not page aligned",
				 i + 1, scn_resv_word(r->type), r->start, r->size);
	if (k->rc == -EINVAL && !r->size)
		return cause_say(k, "region %u (%s@0x%" PRIx64 ") has size 0", i + 1,
				 scn_resv_word(r->type), r->start);
	if (k->rc == -EOVERFLOW && cause_wraps(r->start, r->size))
		return cause_say(k, "region %u (%s@0x%" PRIx64 ":0x%" PRIx64 ") wraps past 2^64",
				 i + 1, scn_resv_word(r->type), r->start, r->size);
	return NULL;
}

/* bind's EINVAL from the regions together: a window given twice, and what
 * NATIVE refuses at bind (the kernel only at attach). */
static const char *bad_mix(const struct cause *k, const struct scn_a_device *a,
			   const struct swmsi_resv_region *r)
{
	unsigned int i, sw = 0, msi = 0;

	for (i = 0; i < a->nresv; i++) {
		sw += r[i].type == SWMSI_RESV_SW_MSI;
		msi += r[i].type == SWMSI_RESV_MSI;
	}
	if (a->has_window && sw)
		return cause_say(k, "window= and a sw-msi region both give the device a window");
	if (k->s->scheme != SWMSI_SCHEME_NATIVE)
		return NULL;
	if (sw > 1)
		return cause_say(k, "%u sw-msi regions: under NATIVE a device has one window", sw);
	if ((sw || a->has_window) && msi)
		return cause_say(k, "a SW_MSI window with an msi region (a hardware MSI window): "
				    "NATIVE refuses the two together");
	return NULL;
}

/*
 * The step's snapshot holds the SW_MSI windows reserved, not the other
 * ranges: they are asked of the context, which the failed map left as the
 * map found it.
 */
static const char *map_resv_said(const struct cause *k, uint32_t ioas, uint64_t iova, uint64_t len,
				 const struct swmsi_resv_info *r, size_t n)
{
	char sz[24], own[48];
	size_t i;

	for (i = 0; i < n; i++) {
		if (iova > r[i].last || r[i].start > iova + (len - 1))
			continue;
		if (!r[i].owner) /* swmsi_ioas_add_reserved()'s, owned by no object */
			return cause_say(k,
					 "0x%" PRIx64 " [%s] meets the range 0x%" PRIx64
					 "-0x%" PRIx64 " a reserve line reserved on '%s'",
					 iova, sim_fmt_size(sz, sizeof(sz), len), r[i].start,
					 r[i].last, sim_obj_name(k->s, ioas));
		sim_obj_label(k->s, k->sn, r[i].owner, own, sizeof(own));
		if (r[i].type == SWMSI_RESV_APERTURE)
			return cause_say(k,
					 "0x%" PRIx64 " [%s] lies outside %s's aperture "
					 "(0x%" PRIx64 "-0x%" PRIx64 " is reserved on '%s')",
					 iova, sim_fmt_size(sz, sizeof(sz), len), own, r[i].start,
					 r[i].last, sim_obj_name(k->s, ioas));
		return cause_say(k,
				 "0x%" PRIx64 " [%s] meets %s's %s range 0x%" PRIx64 "-0x%" PRIx64
				 " reserved on '%s'",
				 iova, sim_fmt_size(sz, sizeof(sz), len), own,
				 scn_resv_word(r[i].type), r[i].start, r[i].last,
				 sim_obj_name(k->s, ioas));
	}
	return NULL;
}

const char *cause_map_resv(const struct cause *k, uint32_t ioas, uint64_t iova, uint64_t len)
{
	struct swmsi_resv_info *r;
	size_t n = 0, got = 0;
	const char *w = NULL;

	if (swmsi_ioas_resv_list(k->s->ctx, ioas, NULL, 0, &n) || !n)
		return NULL;
	r = calloc(n, sizeof(*r));
	if (r && !swmsi_ioas_resv_list(k->s->ctx, ioas, r, n, &got))
		w = map_resv_said(k, ioas, iova, len, r, got < n ? got : n);
	free(r);
	return w;
}

bool cause_decl_window(const struct cause *k, const struct scn_a_device *a, uint64_t *start,
		       uint64_t *size)
{
	const struct swmsi_resv_region *r = a->nresv ? &k->s->scn->resv[a->resv0] : NULL;
	unsigned int i;

	*start = a->win_start;
	*size = a->win_size;
	for (i = 0; !a->has_window && i < a->nresv; i++)
		if (r[i].type == SWMSI_RESV_SW_MSI) {
			*start = r[i].start;
			*size = r[i].size;
			return true;
		}
	return a->has_window;
}

const char *cause_bind_resv(const struct cause *k)
{
	const struct scn_a_device *a = &k->c->a.device;
	const struct swmsi_resv_region *r = a->nresv ? &k->s->scn->resv[a->resv0] : NULL;
	const char *w;
	unsigned int i;

	if (!r || (k->rc != -EINVAL && k->rc != -EOVERFLOW))
		return NULL;
	/* The window fields are checked first, then each region in array order. */
	if (a->has_window && cause_bad_range(k, "window", a->win_start, a->win_size))
		return NULL;
	for (i = 0; i < a->nresv; i++)
		if ((w = bad_region(k, &r[i], i)))
			return w;
	return k->rc == -EINVAL ? bad_mix(k, a, r) : NULL;
}

const char *cause_attach_resv(const struct cause *k, const struct snapshot_dev *d)
{
	unsigned int dev = k->c->a.obj.obj, nr, i;
	const struct swmsi_resv_region *r = regions_of(k, dev, &nr);
	const struct snapshot_hwpt *h = snapshot_hwpt(k->sn, sim_oid(k->s, k->c->a.obj.pt));
	const struct snapshot_ioas *io;
	const struct swmsi_mapping *m;
	char rw[64], sz[24];

	(void)d;
	io = snapshot_ioas(k->sn, h ? h->info.ioas_id : sim_oid(k->s, k->c->a.obj.pt));
	for (i = 0; io && i < nr; i++) {
		if (r[i].type == SWMSI_RESV_DIRECT_RELAXABLE)
			continue;
		m = cause_meets(io->maps, io->nmaps, r[i].start, r[i].size);
		if (m)
			return cause_say(k,
					 "'%s' maps 0x%" PRIx64 " [%s] -> 0x%" PRIx64
					 " over %s's %s",
					 sim_obj_name(k->s, io->id), m->iova,
					 sim_fmt_size(sz, sizeof(sz), m->length), m->paddr,
					 cause_name(k, dev), region_words(&r[i], rw, sizeof(rw)));
	}
	return NULL;
}

/* window DEV's EBUSY: attached, or vectors translated through its window. */
static const char *devwin_busy(const struct cause *k, const struct snapshot_dev *d)
{
	unsigned int dev = k->c->a.devwin.dev;
	char hist[80];

	if (d->info.attached)
		return cause_say(k, "%s is attached (%s): its window changes only while detached",
				 cause_name(k, dev), cause_att_history(k, dev, hist, sizeof(hist)));
	if (d->info.vectors && d->info.sw_msi_start != SWMSI_PHYS_NONE)
		return cause_say(k,
				 "%s has %" PRIu32
				 " vector%s translated through its window 0x%" PRIx64
				 ": their message addresses would stop working",
				 cause_name(k, dev), d->info.vectors,
				 d->info.vectors == 1 ? "" : "s", d->info.sw_msi_start);
	return NULL;
}

/*
 * window DEV's EINVAL (NATIVE): another bound device's window in use
 * overlaps. The step's snapshot holds only what it touched, so each other
 * device is asked; a failed call changed nothing, so the state is the one
 * the call saw.
 */
static const char *devwin_overlap(const struct cause *k, const struct scn_a_devwin *a)
{
	struct swmsi_device_info o;
	size_t n;
	char sz[24];

	for (n = 0; n < k->s->scn->nnames; n++) {
		uint32_t id = k->s->objs[n].id;

		if (k->s->scn->names[n].kind != SCN_KIND_DEVICE || !k->s->objs[n].live ||
		    n == a->dev || swmsi_device_info(k->s->ctx, id, &o) ||
		    o.sw_msi_start == SWMSI_PHYS_NONE ||
		    (o.sw_msi_start == a->start && o.sw_msi_size == a->size) ||
		    !meets(a->start, a->size, o.sw_msi_start, o.sw_msi_size))
			continue;
		return cause_say(k,
				 "the window meets %s's window 0x%" PRIx64 " [%s] without being it",
				 cause_name(k, (unsigned int)n), o.sw_msi_start,
				 sim_fmt_size(sz, sizeof(sz), o.sw_msi_size));
	}
	return NULL;
}

/* window DEV's EADDRINUSE: one of the device's own regions. */
static const char *devwin_region(const struct cause *k, const struct scn_a_devwin *a)
{
	unsigned int nr, i;
	const struct swmsi_resv_region *r = regions_of(k, a->dev, &nr);
	char rw[64];
	uint64_t size = a->size < MIB ? MIB : a->size;

	for (i = 0; i < nr; i++)
		if (r[i].type != SWMSI_RESV_SW_MSI && r[i].type != SWMSI_RESV_DIRECT_RELAXABLE &&
		    meets(a->start, size, r[i].start, r[i].size))
			return cause_say(k, "the window meets %s's %s", cause_name(k, a->dev),
					 region_words(&r[i], rw, sizeof(rw)));
	return NULL;
}

const char *cause_dev_window(const struct cause *k)
{
	const struct scn_a_devwin *a = &k->c->a.devwin;
	const struct snapshot_dev *d = k->sn ? snapshot_dev(k->sn, sim_oid(k->s, a->dev)) : NULL;

	if (k->rc == -EINVAL && a->size && a->start % MIB)
		return cause_say(k, "window start 0x%" PRIx64 " is not 1M aligned", a->start);
	if (k->rc == -EINVAL && a->size % MIB)
		return cause_say(k, "window size 0x%" PRIx64 " is not a multiple of 1M", a->size);
	if (k->rc == -EOVERFLOW)
		return cause_say(k, "window 0x%" PRIx64 " + 0x%" PRIx64 " wraps past 2^64",
				 a->start, a->size < MIB ? MIB : a->size);
	if (k->rc == -EADDRINUSE)
		return devwin_region(k, a);
	if (k->rc == -EINVAL && k->s->scheme == SWMSI_SCHEME_NATIVE && a->size)
		return devwin_overlap(k, a);
	return d && k->rc == -EBUSY ? devwin_busy(k, d) : NULL;
}
