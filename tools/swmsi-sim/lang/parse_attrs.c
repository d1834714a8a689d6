/* SPDX-License-Identifier: MIT */
/*
 * The parser's readers of a line's compound words: a device's attributes
 * (group=N, window=START:SIZE, resv=TYPE@START:SIZE,...) and expect
 * ranges' list of usable ranges (START-LAST,...). Each list is one word,
 * its entries separated by commas; the values go to the scenario's shared
 * arrays (scn.resv, scn.ranges), the command keeps where its own run
 * starts. What the library refuses of a region (a misaligned or empty
 * one, one that wraps) is its business at run time: the parser checks
 * only the spelling.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"
#include "suggest.h"

/* The five types a resv= entry takes, for messages. */
#define SCN_RESV_WORDS "direct, relaxable, reserved, msi or sw-msi"

const char *scn_resv_word(enum swmsi_resv_type t)
{
	switch (t) {
	case SWMSI_RESV_DIRECT:
		return "direct";
	case SWMSI_RESV_DIRECT_RELAXABLE:
		return "relaxable";
	case SWMSI_RESV_RESERVED:
		return "reserved";
	case SWMSI_RESV_MSI:
		return "msi";
	case SWMSI_RESV_SW_MSI:
		return "sw-msi";
	case SWMSI_RESV_APERTURE:
		return "aperture";
	}
	return "?";
}

int scn_resv_from_word(const char *s, size_t len, enum swmsi_resv_type *t)
{
	int k;

	/* APERTURE is the library's word for what a HWPT reserves: no line writes it. */
	for (k = SWMSI_RESV_DIRECT; k < SWMSI_RESV_APERTURE; k++) {
		const char *w = scn_resv_word((enum swmsi_resv_type)k);

		if (strlen(w) == len && !memcmp(w, s, len)) {
			*t = (enum swmsi_resv_type)k;
			return 0;
		}
	}
	return -1;
}

/* @t split at the first @sep into @a and @b (columns kept). Returns false
 * when @t holds no @sep. */
static bool parse_split(const struct scn_tok *t, char sep, struct scn_tok *a, struct scn_tok *b)
{
	const char *at = memchr(t->s, sep, t->len);

	if (!at)
		return false;
	a->s = t->s;
	a->len = (size_t)(at - t->s);
	a->col = t->col;
	b->s = at + 1;
	b->len = t->len - a->len - 1;
	b->col = t->col + (unsigned int)a->len + 1;
	return true;
}

/* The next comma-separated entry of @list from *@off into @e; false at the end. */
static bool next_entry(const struct scn_tok *list, size_t *off, struct scn_tok *e)
{
	const char *comma;

	if (*off > list->len)
		return false;
	e->s = list->s + *off;
	comma = memchr(e->s, ',', list->len - *off);
	e->len = comma ? (size_t)(comma - e->s) : list->len - *off;
	e->col = list->col + (unsigned int)*off;
	*off += e->len + 1;
	return true;
}

/* TYPE: one of the five words, else an error at it listing them. */
static int resv_type(struct parser *p, const struct scn_tok *t, enum swmsi_resv_type *type)
{
	const char *near;
	char buf[48];

	if (!scn_resv_from_word(t->s, t->len, type))
		return 0;
	near = sim_suggest_resv_type(t->s, t->len);
	if (!t->len)
		return parse_err(p, t->col, "missing region type before '@' (" SCN_RESV_WORDS ")");
	if (near)
		return parse_err(p, t->col,
				 "unknown region type '%s'; did you mean '%s'? (" SCN_RESV_WORDS
				 ")",
				 parse_quote(t, buf, sizeof(buf)), near);
	return parse_err(p, t->col, "unknown region type '%s' (" SCN_RESV_WORDS ")",
			 parse_quote(t, buf, sizeof(buf)));
}

/* One TYPE@START:SIZE entry @e into @r. */
static int resv_entry(struct parser *p, const struct scn_tok *e, struct swmsi_resv_region *r)
{
	struct scn_tok type, range, st, sz;

	if (!e->len)
		return parse_err(p, e->col, "missing region (TYPE@START:SIZE)");
	if (!parse_split(e, '@', &type, &range))
		return parse_err(p, e->col + (unsigned int)e->len,
				 "missing @START:SIZE in region TYPE@START:SIZE");
	if (resv_type(p, &type, &r->type))
		return -1;
	if (!parse_split(&range, ':', &st, &sz))
		return parse_err(p, range.col, "missing :SIZE in region TYPE@START:SIZE");
	if (!st.len)
		return parse_err(p, st.col, "missing region START");
	if (!sz.len)
		return parse_err(p, sz.col, "missing region SIZE");
	if (parse_number(p, &st, "region START", &r->start) ||
	    parse_number(p, &sz, "region SIZE", &r->size))
		return -1;
	return 0;
}

/* resv='s value @v (@key the whole word) into @c. */
static int parse_resv_attr(struct parser *p, struct scn_cmd *c, const struct scn_tok *key,
			   const struct scn_tok *v)
{
	struct scn *scn = p->scn;
	struct scn_tok e;
	size_t off = 0;

	if (c->a.device.nresv)
		return parse_err(p, key->col, "resv= given twice");
	if (!v->len)
		return parse_err(p, v->col - 1, "missing TYPE@START:SIZE after resv=");
	c->a.device.resv0 = (unsigned int)scn->nresv;
	while (next_entry(v, &off, &e)) {
		if (sim_grow((void **)&scn->resv, &scn->cap_resv, scn->nresv + 1,
			     sizeof(*scn->resv), 8))
			return parse_oom(p);
		if (resv_entry(p, &e, &scn->resv[scn->nresv]))
			return -1;
		scn->nresv++;
		c->a.device.nresv++;
	}
	return 0;
}

/* One START-LAST entry @e into @r. */
static int range_entry(struct parser *p, const struct scn_tok *e, struct swmsi_iova_range *r)
{
	struct scn_tok st, last;

	if (!e->len)
		return parse_err(p, e->col, "missing range (START-LAST)");
	if (!parse_split(e, '-', &st, &last))
		return parse_err(p, e->col + (unsigned int)e->len,
				 "missing -LAST in range START-LAST (bounds inclusive)");
	if (!st.len)
		return parse_err(p, st.col, "missing range START");
	if (!last.len)
		return parse_err(p, last.col, "missing range LAST");
	if (parse_number(p, &st, "range START", &r->start) ||
	    parse_number(p, &last, "range LAST", &r->last))
		return -1;
	if (r->last < r->start)
		return parse_err(p, last.col,
				 "range LAST 0x%" PRIx64 " is below its START 0x%" PRIx64, r->last,
				 r->start);
	return 0;
}

int parse_ranges(struct parser *p, struct scn_cmd *c, const struct scn_tok *t, unsigned int n,
		 unsigned int end_col)
{
	return parse_range_list(p, c, t, n, end_col, true);
}

int parse_range_list(struct parser *p, struct scn_cmd *c, const struct scn_tok *t, unsigned int n,
		     unsigned int end_col, bool ordered)
{
	struct scn *scn = p->scn;
	struct scn_tok e;
	size_t off = 0;
	char buf[48];

	if (!n)
		return parse_err(p, end_col,
				 "missing START-LAST[,START-LAST...] (%s ranges, or none)",
				 ordered ? "usable" : "allowed");
	if (n > 1)
		return parse_err(p, t[1].col,
				 "unexpected argument '%s': the ranges are one word, "
				 "separated by commas",
				 parse_quote(&t[1], buf, sizeof(buf)));
	c->a.ranges.first = (unsigned int)scn->nranges;
	if (scn_tok_is(&t[0], "none"))
		return 0;
	while (next_entry(&t[0], &off, &e)) {
		const struct swmsi_iova_range *prev;

		if (sim_grow((void **)&scn->ranges, &scn->cap_ranges, scn->nranges + 1,
			     sizeof(*scn->ranges), 8))
			return parse_oom(p);
		prev = c->a.ranges.n ? &scn->ranges[scn->nranges - 1] : NULL;
		if (range_entry(p, &e, &scn->ranges[scn->nranges]))
			return -1;
		if (ordered && prev && scn->ranges[scn->nranges].start <= prev->last)
			return parse_err(
				p, e.col,
				"ranges must be disjoint and lowest first: this one starts "
				"at or below 0x%" PRIx64,
				prev->last);
		scn->nranges++;
		c->a.ranges.n++;
	}
	return 0;
}

/* window=START:SIZE's value @v (@key the whole word) into @c. */
static int window_attr(struct parser *p, struct scn_cmd *c, const struct scn_tok *key,
		       const struct scn_tok *v)
{
	const char *colon = memchr(v->s, ':', v->len);
	struct scn_tok st, sz;

	if (c->a.device.has_window)
		return parse_err(p, key->col, "window= given twice");
	/* At the value, not past it: that may be past the end of the line. */
	if (!v->len)
		return parse_err(p, v->col - 1, "missing START:SIZE after window=");
	if (!colon)
		return parse_err(p, v->col, "missing :SIZE in window=START:SIZE");
	st.s = v->s;
	st.len = (size_t)(colon - v->s);
	st.col = v->col;
	sz.s = colon + 1;
	sz.len = v->len - st.len - 1;
	sz.col = v->col + (unsigned int)st.len + 1;
	if (!st.len)
		return parse_err(p, st.col, "missing window START");
	if (!sz.len)
		return parse_err(p, sz.col, "missing window SIZE");
	if (parse_number(p, &st, "window START", &c->a.device.win_start) ||
	    parse_number(p, &sz, "window SIZE", &c->a.device.win_size))
		return -1;
	c->a.device.has_window = true;
	return 0;
}

/* group=N's value @v into @c (*@have: given already). */
static int group_attr(struct parser *p, struct scn_cmd *c, const struct scn_tok *key,
		      const struct scn_tok *v, bool *have)
{
	uint64_t group = 0;
	char buf[48];

	if (*have)
		return parse_err(p, key->col, "group= given twice");
	if (!v->len)
		return parse_err(p, v->col - 1, "missing number after group=");
	if (parse_number(p, v, "group", &group))
		return -1;
	if (group > UINT32_MAX)
		return parse_err(p, v->col, "group %s is larger than 32 bits",
				 parse_quote(v, buf, sizeof(buf)));
	c->a.device.group = (uint32_t)group;
	*have = true;
	return 0;
}

#define DEVICE_ATTRS "group=N, window=START:SIZE or resv=TYPE@START:SIZE[,...]"

/* An attribute @a whose key (@klen bytes) is none of the three. */
static int unknown_attr(struct parser *p, const struct scn_tok *a, size_t klen)
{
	static const char *const keys[] = { "group", "window", "resv", NULL };
	const char *near = sim_nearest(a->s, klen, keys);

	if (near)
		return parse_err(
			p, a->col,
			"unknown device attribute '%.*s'; did you mean '%s='? (use group=, "
			"window= and resv=)",
			(int)(klen > 32 ? 32 : klen), a->s, near);
	return parse_err(p, a->col,
			 "unknown device attribute '%.*s' (use group=, window= and resv=)",
			 (int)(klen > 32 ? 32 : klen), a->s);
}

int parse_device_attrs(struct parser *p, struct scn_cmd *c, const struct scn_tok *t, unsigned int n,
		       unsigned int end_col)
{
	bool have_group = false;
	char buf[48];
	unsigned int i;
	int rc;

	for (i = 0; i < n; i++) {
		const struct scn_tok *a = &t[i];
		const char *eq = memchr(a->s, '=', a->len);
		struct scn_tok v;
		size_t klen;

		if (!eq)
			return parse_err(p, a->col, "expected " DEVICE_ATTRS ", got '%s'",
					 parse_quote(a, buf, sizeof(buf)));
		klen = (size_t)(eq - a->s);
		v.s = eq + 1;
		v.len = a->len - klen - 1;
		v.col = a->col + (unsigned int)klen + 1;
		if (klen == 5 && memcmp(a->s, "group", 5) == 0)
			rc = group_attr(p, c, a, &v, &have_group);
		else if (klen == 6 && memcmp(a->s, "window", 6) == 0)
			rc = window_attr(p, c, a, &v);
		else if (klen == 4 && memcmp(a->s, "resv", 4) == 0)
			rc = parse_resv_attr(p, c, a, &v);
		else
			rc = unknown_attr(p, a, klen);
		if (rc)
			return rc;
	}
	if (!have_group)
		return parse_err(p, end_col, "missing group=N");
	return 0;
}
