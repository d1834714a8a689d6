/* SPDX-License-Identifier: MIT */
/*
 * The cause that holds for the commands on the IOAS as upstream's
 * io_pagetable: a named map at an allocated or given IOVA, its unmap,
 * copy, allowed ranges, reserve, huge_pages. A failed call changes
 * nothing, so what the library reports of the IOAS now (its alignment,
 * areas, allowed and reserved ranges) is the state the call met.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cause.h"

/* What a cause reads of an IOAS, through the public calls. */
struct iopt_view {
	uint32_t id;
	uint64_t align;
	struct swmsi_area_info *areas;
	size_t nareas;
	struct swmsi_iova_range *allowed;
	size_t nallowed;
	struct swmsi_resv_info *resv;
	size_t nresv;
};

#define LIST(fn, ctx, id, arr, n)                                                         \
	do {                                                                              \
		size_t want_ = 0;                                                         \
		if (!fn(ctx, id, NULL, 0, &want_) && want_ &&                             \
		    (arr = calloc(want_, sizeof(*(arr)))) && fn(ctx, id, arr, want_, &n)) \
			n = 0;                                                            \
		if (n > want_)                                                            \
			n = want_;                                                        \
	} while (0)

static bool view_of(const struct cause *k, unsigned int name, struct iopt_view *v)
{
	struct swmsi_ctx *ctx = k->s->ctx;

	*v = (struct iopt_view){ .id = sim_oid(k->s, name) };
	if (!k->s->objs[name].live || swmsi_ioas_iova_alignment(ctx, v->id, &v->align))
		return false;
	LIST(swmsi_ioas_area_list, ctx, v->id, v->areas, v->nareas);
	LIST(swmsi_ioas_allowed_list, ctx, v->id, v->allowed, v->nallowed);
	LIST(swmsi_ioas_resv_list, ctx, v->id, v->resv, v->nresv);
	return true;
}

static void view_free(struct iopt_view *v)
{
	free(v->areas);
	free(v->allowed);
	free(v->resv);
}

static bool meets(uint64_t a, uint64_t alast, uint64_t b, uint64_t blast)
{
	return a <= blast && b <= alast;
}

/* " ('ram')": the named area of IOAS @ioas at @iova, or "". */
const char *cause_area_name(const struct cause *k, uint32_t ioas, uint64_t iova, char *buf,
			    size_t len)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < k->s->scn->nnames; i++) {
		const struct sim_area *ar = sim_area(k->s, (unsigned int)i);

		if (ar && ar->live && ar->ioas == ioas && ar->iova == iova) {
			snprintf(buf, len, " ('%s')", k->s->scn->names[i].name);
			break;
		}
	}
	return buf;
}

/* The area of @v that meets [@iova, +@len), said. */
static const char *area_met(const struct cause *k, const struct iopt_view *v, uint64_t iova,
			    uint64_t len)
{
	char sz[24], asz[24], nm[72];
	size_t i;

	for (i = 0; i < v->nareas; i++) {
		const struct swmsi_area_info *a = &v->areas[i];

		if (meets(iova, iova + (len - 1), a->iova, a->iova + (a->length - 1)))
			return cause_say(k,
					 "0x%" PRIx64 " [%s] meets the area 0x%" PRIx64 " [%s]%s",
					 iova, sim_fmt_size(sz, sizeof(sz), len), a->iova,
					 sim_fmt_size(asz, sizeof(asz), a->length),
					 cause_area_name(k, v->id, a->iova, nm, sizeof(nm)));
	}
	return NULL;
}

/* "in its allowed ranges 0x..-0x..,..." or "between its N areas and M
 * reserved ranges", where an allocated IOVA was looked for. */
static const char *where_looked(const struct cause *k, unsigned int ioas, const struct iopt_view *v,
				char *buf, size_t len)
{
	const char *in = cause_name(k, ioas);
	size_t i, off;

	if (!v->nallowed) {
		snprintf(buf, len, "between '%s''s %zu area%s and %zu reserved range%s", in,
			 v->nareas, v->nareas == 1 ? "" : "s", v->nresv, v->nresv == 1 ? "" : "s");
		return buf;
	}
	off = (size_t)snprintf(buf, len, "in '%s''s allowed range%s ", in,
			       v->nallowed == 1 ? "" : "s");
	for (i = 0; i < v->nallowed && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s0x%" PRIx64 "-0x%" PRIx64,
					i ? "," : "", v->allowed[i].start, v->allowed[i].last);
	return buf;
}

static uint64_t pow2_at_least(uint64_t len)
{
	uint64_t a = 1;

	while (a < len && a < (1ull << 63))
		a <<= 1;
	return a;
}

/* EINVAL of a map at @iova (fixed) or allocated, of @len bytes, VA @va. */
static const char *map_einval(const struct cause *k, const struct iopt_view *v, unsigned int ioas,
			      bool fixed, uint64_t iova, uint64_t len, uint64_t va)
{
	uint64_t lowbit = va & (~va + 1), off = va & (k->s->page_size - 1);
	const char *in = cause_name(k, ioas);

	if (!len)
		return cause_say(k, "the length is 0");
	if (len % v->align)
		return cause_say(k,
				 "length 0x%" PRIx64 " is not a multiple of '%s''s IOVA alignment "
				 "0x%" PRIx64,
				 len, in, v->align);
	if (fixed && iova % v->align)
		return cause_say(k,
				 "IOVA 0x%" PRIx64 " is not aligned to '%s''s IOVA alignment "
				 "0x%" PRIx64,
				 iova, in, v->align);
	if (off % v->align)
		return cause_say(k,
				 "va 0x%" PRIx64 " lies 0x%" PRIx64 " into its page, off '%s''s "
				 "IOVA alignment 0x%" PRIx64,
				 va, off, in, v->align);
	if (!fixed && va && lowbit < v->align && lowbit < pow2_at_least(len))
		return cause_say(k,
				 "va 0x%" PRIx64 " is aligned to 0x%" PRIx64 " only, below '%s''s "
				 "IOVA alignment 0x%" PRIx64,
				 va, lowbit, in, v->align);
	if (fixed && k->s->scheme != SWMSI_SCHEME_NATIVE)
		return cause_map_resv(k, v->id, iova, len);
	return NULL;
}

/* A map (or a copy's destination) into IOAS name @ioas failed with k->rc. */
static const char *map_cause(const struct cause *k, unsigned int ioas, bool fixed, uint64_t iova,
			     uint64_t len, uint64_t va)
{
	struct iopt_view v;
	const char *w = NULL;
	char sz[24], where[200];

	if (!view_of(k, ioas, &v))
		return NULL;
	if (k->rc == -EINVAL)
		w = map_einval(k, &v, ioas, fixed, iova, len, va);
	else if (k->rc == -ENOSPC)
		w = cause_say(k, "no free hole of %s aligned to 0x%" PRIx64 " lies %s",
			      sim_fmt_size(sz, sizeof(sz), len),
			      pow2_at_least(len) > v.align ? pow2_at_least(len) : v.align,
			      where_looked(k, ioas, &v, where, sizeof(where)));
	else if (k->rc == -EOVERFLOW && !fixed && len >= (1ull << 63))
		w = cause_say(k, "an allocated IOVA needs a length below 2^63");
	else if (k->rc == -EOVERFLOW && fixed && cause_wraps(iova, len))
		w = cause_say(k, "IOVA 0x%" PRIx64 " + 0x%" PRIx64 " wraps past 2^64", iova, len);
	else if (k->rc == -EADDRINUSE && fixed)
		w = cause_map_resv(k, v.id, iova, len);
	else if (k->rc == -EEXIST)
		w = area_met(k, &v, iova, len);
	else if (k->rc == -EFAULT)
		w = cause_say(k,
			      "va 0x%" PRIx64 " [%s] is not mapped in this process, and '%s' has "
			      "a paging HWPT that needs its pages",
			      va, sim_fmt_size(sz, sizeof(sz), len), cause_name(k, ioas));
	view_free(&v);
	return w;
}

/* unmap IOAS NAME of an area that is not mapped. */
static const char *unmap_cause(const struct cause *k)
{
	const struct scn_a_area *a = &k->c->a.area;
	const struct sim_area *ar = sim_area(k->s, a->name);
	char h[96];

	if (k->rc != -ENOENT || a->all || (ar && ar->live))
		return NULL;
	return cause_say(k, "'%s' is not mapped: %s", cause_name(k, a->name),
			 sim_area_history(k->s, a->name, h, sizeof(h)));
}

/* copy's source range [@from, +@len) of @v: its first IOVA no area maps. */
static const char *copy_gap(const struct cause *k, const struct iopt_view *v, uint64_t from,
			    uint64_t len)
{
	uint64_t at = from, last = from + (len - 1);
	size_t i;

	for (i = 0; i < v->nareas && at <= last; i++) {
		const struct swmsi_area_info *a = &v->areas[i];

		if (a->iova + (a->length - 1) < at)
			continue;
		if (a->iova > at)
			break;
		if (a->iova + (a->length - 1) >= last)
			return NULL;
		at = a->iova + a->length;
	}
	return cause_say(k,
			 "nothing maps 0x%" PRIx64 " of '%s' (a copy's source must be areas "
			 "without a gap)",
			 at, cause_name(k, k->c->a.area.ioas));
}

/* copy's EPERM: a source area whose backing was not mapped writeable. */
static const char *copy_eperm(const struct cause *k, const struct iopt_view *v, uint64_t from,
			      uint64_t len)
{
	char sz[24], nm[72];
	size_t i;

	for (i = 0; i < v->nareas; i++) {
		const struct swmsi_area_info *a = &v->areas[i];

		if (meets(from, from + (len - 1), a->iova, a->iova + (a->length - 1)) &&
		    !(a->flags & SWMSI_AREA_WRITABLE))
			return cause_say(k,
					 "the area 0x%" PRIx64 " [%s]%s was mapped without w, and "
					 "the copy asks w (write r)",
					 a->iova, sim_fmt_size(sz, sizeof(sz), a->length),
					 cause_area_name(k, v->id, a->iova, nm, sizeof(nm)));
	}
	return NULL;
}

static const char *copy_cause(const struct cause *k)
{
	const struct scn_a_area *a = &k->c->a.area;
	const struct sim_area *src = a->name != SCN_NO_NAME ? sim_area(k->s, a->name) : NULL;
	uint64_t from = src ? src->iova : a->iova, len = a->length;
	struct iopt_view v;
	const char *w = NULL;
	char h[96];

	if (a->name != SCN_NO_NAME && (!src || !src->live))
		return cause_say(k, "'%s' is not mapped: %s", cause_name(k, a->name),
				 sim_area_history(k->s, a->name, h, sizeof(h)));
	if (!len)
		len = src ? src->len : 0;
	if ((k->rc == -ENOENT || k->rc == -EPERM) && view_of(k, a->ioas, &v)) {
		w = k->rc == -ENOENT ? copy_gap(k, &v, from, len) : copy_eperm(k, &v, from, len);
		view_free(&v);
		return w;
	}
	return map_cause(k, a->dst, a->fixed, a->at, len, 0);
}

/* Allowed range @r meets reserved range @m of IOAS name @ioas, said. */
static const char *allow_met(const struct cause *k, const struct swmsi_iova_range *r,
			     const struct swmsi_resv_info *m, unsigned int ioas)
{
	char own[48];

	if (!m->owner)
		return cause_say(k,
				 "allowed range 0x%" PRIx64 "-0x%" PRIx64
				 " meets the range 0x%" PRIx64 "-0x%" PRIx64
				 " a reserve line reserved on '%s'",
				 r->start, r->last, m->start, m->last, cause_name(k, ioas));
	return cause_say(k,
			 "allowed range 0x%" PRIx64 "-0x%" PRIx64 " meets %s's %s range 0x%" PRIx64
			 "-0x%" PRIx64 " reserved on '%s'",
			 r->start, r->last, sim_obj_label(k->s, k->sn, m->owner, own, sizeof(own)),
			 scn_resv_word(m->type), m->start, m->last, cause_name(k, ioas));
}

/* allow's EINVAL (an empty or overlapping range) or EADDRINUSE. */
static const char *allow_cause(const struct cause *k)
{
	const struct scn_a_ranges *a = &k->c->a.ranges;
	const struct swmsi_iova_range *r = k->s->scn->ranges + a->first;
	struct iopt_view v;
	const char *w = NULL;
	size_t i, j;

	for (i = 0; k->rc == -EINVAL && i < a->n; i++) {
		if (r[i].start >= r[i].last)
			return cause_say(k,
					 "allowed range 0x%" PRIx64 "-0x%" PRIx64 " is empty: its "
					 "start must be below its last",
					 r[i].start, r[i].last);
		for (j = 0; j < i; j++)
			if (meets(r[i].start, r[i].last, r[j].start, r[j].last))
				return cause_say(k,
						 "allowed ranges 0x%" PRIx64 "-0x%" PRIx64
						 " and 0x%" PRIx64 "-0x%" PRIx64 " overlap",
						 r[j].start, r[j].last, r[i].start, r[i].last);
	}
	if (k->rc != -EADDRINUSE || !view_of(k, a->ioas, &v))
		return NULL;
	for (i = 0; !w && i < a->n; i++)
		for (j = 0; !w && j < v.nresv; j++)
			if (meets(r[i].start, r[i].last, v.resv[j].start, v.resv[j].last))
				w = allow_met(k, &r[i], &v.resv[j], a->ioas);
	view_free(&v);
	return w;
}

/* reserve's EADDRINUSE: an area or an allowed range meets it. */
static const char *reserve_cause(const struct cause *k)
{
	const struct scn_a_ioasopt *a = &k->c->a.ioasopt;
	struct iopt_view v;
	const char *w = NULL;
	size_t i;

	if (k->rc == -EINVAL && !a->size)
		return cause_say(k, "the size is 0");
	if (k->rc == -EOVERFLOW && cause_wraps(a->start, a->size))
		return cause_say(k, "0x%" PRIx64 " + 0x%" PRIx64 " wraps past 2^64", a->start,
				 a->size);
	if (k->rc != -EADDRINUSE || !view_of(k, a->ioas, &v))
		return NULL;
	w = area_met(k, &v, a->start, a->size);
	for (i = 0; !w && i < v.nallowed; i++)
		if (meets(a->start, a->start + (a->size - 1), v.allowed[i].start,
			  v.allowed[i].last))
			w = cause_say(k,
				      "0x%" PRIx64 " [0x%" PRIx64 "] meets the allowed range "
				      "0x%" PRIx64 "-0x%" PRIx64,
				      a->start, a->size, v.allowed[i].start, v.allowed[i].last);
	view_free(&v);
	return w;
}

/* huge_pages off: a HWPT and an area (EINVAL), an area off the page (EADDRINUSE). */
static const char *huge_cause(const struct cause *k)
{
	const struct scn_a_ioasopt *a = &k->c->a.ioasopt;
	struct iopt_view v;
	const char *w = NULL;
	char sz[24];
	size_t i;

	if (!view_of(k, a->ioas, &v))
		return NULL;
	if (k->rc == -EINVAL && v.nareas)
		w = cause_say(k,
			      "'%s' has a paging HWPT and %zu area%s: huge pages stay on under "
			      "them",
			      cause_name(k, a->ioas), v.nareas, v.nareas == 1 ? "" : "s");
	for (i = 0; k->rc == -EADDRINUSE && !w && i < v.nareas; i++) {
		const struct swmsi_area_info *r = &v.areas[i];

		if (!cause_aligned(k, r->iova) || !cause_aligned(k, r->length) ||
		    !cause_aligned(k, r->addr))
			w = cause_say(k, "the area 0x%" PRIx64 " [%s] is not page aligned", r->iova,
				      sim_fmt_size(sz, sizeof(sz), r->length));
	}
	view_free(&v);
	return w;
}

const char *cause_iopt(const struct cause *k)
{
	const struct scn_a_area *a = &k->c->a.area;
	const struct sim_area *ar;

	switch (k->c->op) {
	case SCN_MAP_USER:
		ar = sim_area(k->s, a->name);
		return map_cause(k, a->ioas, a->fixed, a->iova, a->length,
				 a->has_va ? a->va : (ar ? ar->va : 0));
	case SCN_UNMAP_AREA:
		return unmap_cause(k);
	case SCN_COPY:
		return copy_cause(k);
	case SCN_ALLOW:
		return allow_cause(k);
	case SCN_RESERVE:
		return reserve_cause(k);
	case SCN_HUGE_PAGES:
		return huge_cause(k);
	default:
		return NULL;
	}
}
