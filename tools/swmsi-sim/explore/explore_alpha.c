/* SPDX-License-Identifier: MIT */
/*
 * The explorer's universe and alphabet: the devices, the HWPTs and IOASes,
 * the doorbell addresses a file names, and the operations a state allows,
 * in one fixed order (attach, replace, detach, msi, free; under --faults
 * each followed by its variant with the next map failing; then each device
 * window a `window DEV START SIZE` line of the file sets, which maps nothing). The letters of
 * a state depend only on what its canonical state shows (which vectors are
 * live, on which doorbell, by handle), so two paths to one state explore
 * the same steps from it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore.h"

static bool has_addr(const struct xuniverse *u, uint64_t a)
{
	size_t i;

	for (i = 0; i < u->naddrs; i++)
		if (u->addrs[i] == a)
			return true;
	return false;
}

/* The doorbell addresses: each doorbell region's start, each msi line's. */
static int find_addrs(struct xuniverse *u, const struct scn *scn)
{
	size_t i;

	for (i = 0; i < scn->ncmds; i++) {
		const struct scn_cmd *c = &scn->cmds[i];
		uint64_t a;

		if (c->op == SCN_DOORBELL)
			a = c->a.range.start;
		else if (c->op == SCN_MSI)
			a = c->a.vec.addr;
		else
			continue;
		if (has_addr(u, a))
			continue;
		if (u->naddrs == 255)
			return -EINVAL;
		u->addrs[u->naddrs++] = a;
	}
	return 0;
}

/* The universe device of scenario name @name, or -1. */
static int udev_of(const struct xuniverse *u, unsigned int name)
{
	size_t i;

	for (i = 0; i < u->ndevs; i++)
		if (u->devs[i] == name)
			return (int)i;
	return -1;
}

/* The device windows: each window DEV START SIZE line's, once. */
static int find_wins(struct xuniverse *u, const struct scn *scn)
{
	size_t i, k;

	for (i = 0; i < scn->ncmds; i++) {
		const struct scn_a_devwin *a = &scn->cmds[i].a.devwin;
		int d;

		if (scn->cmds[i].op != SCN_DEV_WINDOW || (d = udev_of(u, a->dev)) < 0)
			continue;
		for (k = 0; k < u->nwins; k++)
			if (u->wins[k].dev == d && u->wins[k].start == a->start &&
			    u->wins[k].size == a->size)
				break;
		if (k < u->nwins)
			continue;
		if (u->nwins == 255)
			return -EINVAL;
		u->wins[u->nwins].dev = (uint8_t)d;
		u->wins[u->nwins].start = a->start;
		u->wins[u->nwins++].size = a->size;
	}
	return 0;
}

/* Is @label a vector label of device name @dev already? */
static bool label_taken(const struct scn *scn, unsigned int dev, const char *label)
{
	size_t i;

	for (i = 0; i < scn->nvecs; i++)
		if (scn->vecs[i].dev == dev && !strcmp(scn->vecs[i].label, label))
			return true;
	return false;
}

/* Label @k of device name @dev: "x0", or "xx0" when the file has an "x0". */
static int add_label(struct scn *scn, unsigned int dev, unsigned int k, unsigned int *idx)
{
	char buf[64];
	int pre = 1;

	do
		snprintf(buf, sizeof(buf), "%.*s%u", pre++, "xxxxxxxxxxxxxxxxxxxx", k);
	while (label_taken(scn, dev, buf) && pre < 20);
	if (scn->nvecs >= UINT16_MAX)
		return -EINVAL;
	if (sim_grow((void **)&scn->vecs, &scn->cap_vecs, scn->nvecs + 1, sizeof(*scn->vecs), 16))
		return -ENOMEM;
	scn->vecs[scn->nvecs].label = strdup(buf);
	if (!scn->vecs[scn->nvecs].label)
		return -ENOMEM;
	scn->vecs[scn->nvecs].dev = dev;
	*idx = (unsigned int)scn->nvecs++;
	return 0;
}

/* The devices and the targets, in declaration order. */
static int find_names(struct xuniverse *u, const struct scn *scn)
{
	size_t i;

	for (i = 0; i < scn->nnames; i++) {
		if (scn->names[i].kind == SCN_KIND_DEVICE) {
			if (u->ndevs == 255)
				return -EINVAL;
			u->devs[u->ndevs++] = (unsigned int)i;
		} else if (scn->names[i].kind != SCN_KIND_AREA) { /* an area is no target */
			if (u->npts == 255)
				return -EINVAL;
			u->pts[u->npts++] = (unsigned int)i;
		}
	}
	return 0;
}

int xu_init(struct xuniverse *u, struct scn *scn, const struct explore_opts *o, const char **why)
{
	size_t i, k;
	int rc;

	memset(u, 0, sizeof(*u));
	u->scn = scn;
	u->nsetup = scn->ncmds;
	u->depth = o->depth;
	u->vectors = o->vectors;
	u->faults = o->faults;
	u->scheme = o->has_scheme ? o->scheme : scn->opts.scheme;
	*why = "more than 255 devices, targets, doorbell addresses or device windows";
	if (find_names(u, scn) || find_addrs(u, scn) || find_wins(u, scn))
		return -EINVAL;
	*why = "the file declares no device, so there is nothing to explore";
	if (!u->ndevs)
		return -EINVAL;
	*why = "out of memory";
	u->labels = calloc(u->ndevs * u->depth, sizeof(*u->labels));
	if (!u->labels)
		return -ENOMEM;
	for (i = 0; i < u->ndevs; i++)
		for (k = 0; k < u->depth; k++) {
			rc = add_label(scn, u->devs[i], (unsigned int)k,
				       &u->labels[i * u->depth + k]);
			if (rc) {
				*why = rc == -EINVAL ? "too many vector labels" : "out of memory";
				return rc;
			}
		}
	return 0;
}

void xu_free(struct xuniverse *u)
{
	free(u->labels);
	u->labels = NULL;
}

size_t xu_max_letters(const struct xuniverse *u)
{
	size_t n = u->ndevs * (2 * u->npts + 1 + u->naddrs) + u->scn->nvecs;

	/* a window change maps nothing: it has no fault variant */
	return (u->faults ? 2 * n : n) + u->nwins;
}

static void put(const struct xuniverse *u, struct xstep *out, size_t *n, struct xstep x)
{
	out[(*n)++] = x;
	if (u->faults) {
		x.fault = 1;
		out[(*n)++] = x;
	}
}

/* Live vectors of device name @dev on doorbell @addr. */
static unsigned int live_on(const struct sim *s, unsigned int dev, uint64_t addr)
{
	const struct sim_dev_vecs *dv = &s->dev_vecs[dev];
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < dv->n; i++)
		if (s->vecs[dv->vec[i]].live && s->vecs[dv->vec[i]].msi_addr == addr)
			n++;
	return n;
}

/* free D V for the live vectors of universe device @d, lowest handle first. */
static void frees(const struct xuniverse *u, const struct sim *s, uint8_t d, struct xstep *out,
		  size_t *n)
{
	const struct sim_dev_vecs *dv = &s->dev_vecs[u->devs[d]];
	uint32_t last = 0;
	bool any = false;

	for (;;) {
		long best = -1;
		size_t i;

		for (i = 0; i < dv->n; i++) {
			const struct sim_vec *v = &s->vecs[dv->vec[i]];

			if (v->live && (!any || v->handle > last) &&
			    (best < 0 || v->handle < s->vecs[best].handle))
				best = (long)dv->vec[i];
		}
		if (best < 0)
			return;
		put(u, out, n, (struct xstep){ X_FREE, d, 0, 0, (uint16_t)best });
		last = s->vecs[best].handle;
		any = true;
	}
}

size_t xu_letters(const struct xuniverse *u, const struct sim *s, const struct xstep *path,
		  size_t npath, struct xstep *out)
{
	size_t n = 0, i;
	uint8_t d, p;

	for (d = 0; d < u->ndevs; d++)
		for (p = 0; p < u->npts; p++)
			put(u, out, &n, (struct xstep){ X_ATTACH, d, p, 0, 0 });
	for (d = 0; d < u->ndevs; d++)
		for (p = 0; p < u->npts; p++)
			put(u, out, &n, (struct xstep){ X_REPLACE, d, p, 0, 0 });
	for (d = 0; d < u->ndevs; d++)
		put(u, out, &n, (struct xstep){ X_DETACH, d, 0, 0, 0 });
	for (d = 0; d < u->ndevs; d++) {
		unsigned int k = 0;

		for (i = 0; i < npath; i++)
			k += path[i].op == X_MSI && path[i].dev == d;
		if (k >= u->depth)
			continue;
		for (p = 0; p < u->naddrs; p++)
			if (live_on(s, u->devs[d], u->addrs[p]) < u->vectors)
				put(u, out, &n,
				    (struct xstep){ X_MSI, d, p, 0,
						    (uint16_t)u->labels[d * u->depth + k] });
	}
	for (d = 0; d < u->ndevs; d++)
		frees(u, s, d, out, &n);
	for (i = 0; i < u->nwins; i++)
		out[n++] = (struct xstep){ X_WINDOW, u->wins[i].dev, (uint8_t)i, 0, 0 };
	return n;
}

void xu_cmd(const struct xuniverse *u, const struct xstep *x, struct scn_cmd *c)
{
	static const enum scn_op ops[] = {
		[X_ATTACH] = SCN_ATTACH, [X_REPLACE] = SCN_REPLACE, [X_DETACH] = SCN_DETACH,
		[X_MSI] = SCN_MSI,	 [X_FREE] = SCN_FREE,	    [X_WINDOW] = SCN_DEV_WINDOW,
	};

	memset(c, 0, sizeof(*c));
	c->op = ops[x->op];
	switch (x->op) {
	case X_ATTACH:
	case X_REPLACE:
		c->a.obj.pt = u->pts[x->arg];
		/* fall through */
	case X_DETACH:
		c->a.obj.obj = u->devs[x->dev];
		break;
	case X_WINDOW:
		c->a.devwin.dev = u->devs[x->dev];
		c->a.devwin.start = u->wins[x->arg].start;
		c->a.devwin.size = u->wins[x->arg].size;
		break;
	default:
		c->a.vec.dev = u->devs[x->dev];
		c->a.vec.vec = x->vec;
		c->a.vec.addr = x->op == X_MSI ? u->addrs[x->arg] : 0;
		break;
	}
}

const char *xu_text(const struct xuniverse *u, const struct xstep *x, char *buf, size_t len)
{
	const struct scn *scn = u->scn;
	const char *dev = scn->names[u->devs[x->dev]].name;

	switch (x->op) {
	case X_ATTACH:
	case X_REPLACE:
		snprintf(buf, len, "%s %s %s", x->op == X_ATTACH ? "attach" : "replace", dev,
			 scn->names[u->pts[x->arg]].name);
		break;
	case X_DETACH:
		snprintf(buf, len, "detach %s", dev);
		break;
	case X_WINDOW:
		snprintf(buf, len, "window %s 0x%" PRIx64 " 0x%" PRIx64, dev, u->wins[x->arg].start,
			 u->wins[x->arg].size);
		break;
	case X_MSI:
		snprintf(buf, len, "msi %s %s 0x%" PRIx64, dev, scn->vecs[x->vec].label,
			 u->addrs[x->arg]);
		break;
	default:
		snprintf(buf, len, "free %s %s", dev, scn->vecs[x->vec].label);
		break;
	}
	return buf;
}
