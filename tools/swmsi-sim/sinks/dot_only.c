/* SPDX-License-Identifier: MIT */
/*
 * --only: its values read and checked against the scenario, and what the
 * picture then holds: the devices named (or of the groups named), their
 * groups, and what those reach: the HWPT each group sits on (a nested
 * one's parent too), their IOASes, the slots the drawn vectors use and the
 * groups require, and the doorbells of those.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dot_draw.h"
#include "sinks.h"
#include "lang.h"
#include "suggest.h"

/* ---------------------------------------------------------------------- */
/* The option                                                             */

static int add_group(struct sim_dot_only *o, const char *w, size_t n, char *msg, size_t len)
{
	const char *why = "larger than 32 bits";
	uint64_t v = 0;
	uint32_t *g;
	size_t off, i;

	if (n > 40 || scn_parse_u64(w, n, &v, &off, &why) || v > UINT32_MAX) {
		snprintf(msg, len, "--only group=%.*s: '%.*s' is not a group number (%s)",
			 (int)(n > 40 ? 40 : n), w, (int)(n > 40 ? 40 : n), w,
			 n > 40 ? "too long" : why);
		return -1;
	}
	for (i = 0; i < o->ngroups; i++)
		if (o->groups[i] == v)
			return 0;
	g = realloc(o->groups, (o->ngroups + 1) * sizeof(*g));
	if (!g) {
		snprintf(msg, len, "out of memory");
		return -1;
	}
	o->groups = g;
	g[o->ngroups++] = (uint32_t)v;
	return 0;
}

static int add_name(struct sim_dot_only *o, const char *w, size_t n, char *msg, size_t len)
{
	const char **v;
	size_t i;

	for (i = 0; i < o->nnames; i++)
		if (strlen(o->names[i]) >= n && !strncmp(o->names[i], w, n) &&
		    (o->names[i][n] == ',' || !o->names[i][n]))
			return 0;
	v = realloc(o->names, (o->nnames + 1) * sizeof(*v));
	if (!v) {
		snprintf(msg, len, "out of memory");
		return -1;
	}
	o->names = v;
	/* The name ends at the next comma or at the end: argv stays as given. */
	v[o->nnames++] = w;
	return 0;
}

int sim_dot_only_parse(struct sim_dot_only *o, const char *val, char *msg, size_t len)
{
	bool group = !strncmp(val, "group=", 6);
	const char *p;

	if (!group && strncmp(val, "device=", 7)) {
		snprintf(msg, len,
			 "--only takes group=N[,N...] or device=NAME[,NAME...], got '%.40s'", val);
		return -1;
	}
	p = val + (group ? 6 : 7);
	if (!*p) {
		snprintf(msg, len, "--only %s needs at least one %s",
			 group ? "group=" : "device=", group ? "group number" : "device name");
		return -1;
	}
	while (*p) {
		size_t n = strcspn(p, ",");

		if (!n || (p[n] == ',' && !p[n + 1])) {
			snprintf(msg, len,
				 "--only %.40s: an empty item in the comma separated list", val);
			return -1;
		}
		if (group ? add_group(o, p, n, msg, len) : add_name(o, p, n, msg, len))
			return -1;
		p += n + (p[n] == ',');
	}
	return 0;
}

/* The length of --only device='s name @w: up to its comma. */
static size_t name_len(const char *w)
{
	return strcspn(w, ",");
}

static bool group_declared(const struct scn *scn, uint32_t g)
{
	size_t i;

	for (i = 0; i < scn->ncmds; i++)
		if (scn->cmds[i].op == SCN_DEVICE && scn->cmds[i].a.device.group == g)
			return true;
	return false;
}

/* "; did you mean 'nic0'?" or "" into @buf, from the scenario's device names. */
static const char *device_hint(const struct scn *scn, const char *w, size_t n, char *buf,
			       size_t len)
{
	const char **words = calloc(scn->nnames + 1, sizeof(*words));
	const char *near;
	size_t i, k = 0;

	buf[0] = '\0';
	if (!words)
		return buf;
	for (i = 0; i < scn->nnames; i++)
		if (scn->names[i].kind == SCN_KIND_DEVICE)
			words[k++] = scn->names[i].name;
	near = sim_nearest(w, n, words);
	if (near)
		snprintf(buf, len, " (did you mean '%s'?)", near);
	free(words);
	return buf;
}

static int check_name(const struct scn *scn, const char *w, char *msg, size_t len)
{
	size_t i, n = name_len(w);
	char hint[80];

	for (i = 0; i < scn->nnames; i++) {
		const struct scn_name *x = &scn->names[i];

		if (strlen(x->name) != n || strncmp(x->name, w, n))
			continue;
		if (x->kind == SCN_KIND_DEVICE)
			return 0;
		snprintf(msg, len, "--only device=%.*s: '%.*s' is %s, not a device", (int)n, w,
			 (int)n, w, scn_kind_word(x->kind));
		return -1;
	}
	snprintf(msg, len, "--only device=%.*s: no device '%.*s' in the scenario%s", (int)n, w,
		 (int)n, w, device_hint(scn, w, n, hint, sizeof(hint)));
	return -1;
}

int sim_dot_only_check(const struct sim_dot_only *o, const struct scn *scn, char *msg, size_t len)
{
	size_t i;

	for (i = 0; i < o->ngroups; i++) {
		if (group_declared(scn, o->groups[i]))
			continue;
		snprintf(msg, len, "--only group=%" PRIu32 ": no device declares group %" PRIu32,
			 o->groups[i], o->groups[i]);
		return -1;
	}
	for (i = 0; i < o->nnames; i++)
		if (check_name(scn, o->names[i], msg, len))
			return -1;
	return 0;
}

void sim_dot_only_free(struct sim_dot_only *o)
{
	free(o->groups);
	free(o->names);
	memset(o, 0, sizeof(*o));
}

/* ---------------------------------------------------------------------- */
/* What the picture holds                                                 */

/* Does --only select device @d? */
static bool selected(const struct dot_ctx *c, const struct snapshot_dev *d)
{
	const struct sim_dot_only *o = c->sc->only;
	const char *name = sim_obj_name(c->s, d->id);
	size_t i;

	for (i = 0; i < o->ngroups; i++)
		if (o->groups[i] == d->info.group)
			return true;
	for (i = 0; i < o->nnames; i++)
		if (name_len(o->names[i]) == strlen(name) &&
		    !strncmp(o->names[i], name, strlen(name)))
			return true;
	return false;
}

static void mark_map(const struct dot_ctx *c, uint32_t id)
{
	const struct swmsi_msi_map_info *m = snapshot_map(c->sn, id);

	if (m)
		c->map[m - c->sn->maps] = true;
}

/* A drawn group's HWPT (and a nested one's parent), and the IOASes. */
static void mark_hwpt(const struct dot_ctx *c, uint32_t id)
{
	const struct snapshot_hwpt *h = snapshot_hwpt(c->sn, id);
	const struct snapshot_ioas *io;

	if (!h)
		return;
	c->hwpt[h - c->sn->hwpts] = true;
	io = snapshot_ioas(c->sn, h->info.ioas_id);
	if (io)
		c->ioas[io - c->sn->ioas] = true;
	if (h->info.type == SWMSI_OBJ_HWPT_NESTED && h->info.parent_id != id)
		mark_hwpt(c, h->info.parent_id);
}

/* What the drawn devices reach. */
static void mark_reached(struct dot_ctx *c)
{
	const struct sim_scene *sc = c->sc;
	size_t i, k;

	for (i = 0; i < sc->ngroups; i++) {
		const struct sim_scene_group *g = &sc->groups[i];

		for (k = 0; k < g->ndevs && !c->grp[i]; k++) {
			const struct snapshot_dev *d = snapshot_dev(c->sn, sc->gdevs[g->dev0 + k]);

			c->grp[i] = d && c->dev[d - c->sn->devs];
		}
		if (!c->grp[i])
			continue;
		c->ngrp++;
		for (k = 0; k < g->nreq; k++)
			mark_map(c, sc->req[g->req0 + k]);
		if (g->hwpt_id)
			mark_hwpt(c, g->hwpt_id);
	}
	for (i = 0; i < c->sn->ndevs; i++)
		for (k = 0; c->dev[i] && k < c->sn->devs[i].nvecs; k++)
			if (c->sn->devs[i].vecs[k].translated)
				mark_map(c, c->sn->devs[i].vecs[k].map_id);
}

int dot_select(struct dot_ctx *c)
{
	const struct snapshot *sn = c->sn;
	bool all = !sim_dot_only_set(c->sc->only);
	size_t i;

	/* one more each: calloc(0) may answer NULL */
	c->grp = calloc(c->sc->ngroups + 1, sizeof(bool));
	c->dev = calloc(sn->ndevs + 1, sizeof(bool));
	c->hwpt = calloc(sn->nhwpts + 1, sizeof(bool));
	c->ioas = calloc(sn->nioas + 1, sizeof(bool));
	c->map = calloc(sn->nmaps + 1, sizeof(bool));
	if (!c->grp || !c->dev || !c->hwpt || !c->ioas || !c->map) {
		dot_select_free(c);
		return -1;
	}
	c->ngrp = c->ndev = 0;
	for (i = 0; i < sn->ndevs; i++) {
		c->dev[i] = all || selected(c, &sn->devs[i]);
		c->ndev += c->dev[i];
	}
	if (all) {
		memset(c->hwpt, 1, sn->nhwpts);
		memset(c->ioas, 1, sn->nioas);
		memset(c->map, 1, sn->nmaps);
	}
	mark_reached(c);
	return 0;
}

void dot_select_free(struct dot_ctx *c)
{
	free(c->grp);
	free(c->dev);
	free(c->hwpt);
	free(c->ioas);
	free(c->map);
	c->grp = c->dev = c->hwpt = c->ioas = c->map = NULL;
}

/* At most this many --only values named in the graph's label. */
#define DOT_MAX_ONLY 8

void dot_partial_label(const struct dot_ctx *c)
{
	const struct sim_dot_only *o = c->sc->only;
	size_t i;

	if (!sim_dot_only_set(o))
		return;
	fputs("\\nonly", c->f);
	if (o->ngroups)
		fputs(" group ", c->f);
	for (i = 0; i < o->ngroups && i < DOT_MAX_ONLY; i++)
		fprintf(c->f, "%s%" PRIu32, i ? ", " : "", o->groups[i]);
	if (o->ngroups > DOT_MAX_ONLY)
		fputs(", ...", c->f);
	if (o->nnames)
		fputs(o->ngroups ? "; device " : " device ", c->f);
	for (i = 0; i < o->nnames && i < DOT_MAX_ONLY; i++) {
		fputs(i ? ", " : "", c->f);
		fprintf(c->f, "%.*s", (int)name_len(o->names[i]), o->names[i]);
	}
	if (o->nnames > DOT_MAX_ONLY)
		fputs(", ...", c->f);
	fprintf(c->f, ": %zu of %zu group%s", c->ngrp, c->sc->ngroups,
		c->sc->ngroups == 1 ? "" : "s");
	if (o->nnames)
		fprintf(c->f, ", %zu of %zu device%s", c->ndev, c->sn->ndevs,
			c->sn->ndevs == 1 ? "" : "s");
	fputs(" drawn", c->f);
}
