/* SPDX-License-Identifier: MIT */
/*
 * The parser's readers of ranges: a device's reserved regions (resv=TYPE@
 * START:SIZE,...) and expect ranges' list of usable ranges (START-LAST,...).
 * Each list is one word, its entries separated by commas; the values go to
 * the scenario's shared arrays (scn.resv, scn.ranges), the command keeps
 * where its own run starts. What the library refuses of a region (a
 * misaligned or empty one, one that wraps) is its business at run time:
 * the parser checks only the spelling.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"
#include "suggest.h"

bool parse_split(const struct scn_tok *t, char sep, struct scn_tok *a, struct scn_tok *b)
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

int parse_resv_attr(struct parser *p, struct scn_cmd *c, const struct scn_tok *key,
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
	struct scn *scn = p->scn;
	struct scn_tok e;
	size_t off = 0;
	char buf[48];

	if (!n)
		return parse_err(p, end_col,
				 "missing START-LAST[,START-LAST...] (usable ranges, or none)");
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
		if (prev && scn->ranges[scn->nranges].start <= prev->last)
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
