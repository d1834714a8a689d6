/* SPDX-License-Identifier: MIT */
/*
 * The parse hooks of the commands on the IOAS as upstream's io_pagetable:
 * a named area at an allocated or given IOVA (map IOAS NAME LENGTH ...),
 * its unmap (unmap IOAS NAME, unmap IOAS all), copy, allow, huge_pages.
 * Their optional words come in any order, each once: `at IOVA`, `va=ADDR`,
 * `as NAME` and the prot letters (r, w; none: rw). What the library
 * refuses (an IOVA off the alignment, overlapping allowed ranges) is its
 * business at run time.
 */
#include <string.h>

#include <swmsi/swmsi.h>

#include "parse.h"

/* The optional words a command takes, and what it has seen of them. */
struct opt_words {
	bool want_va, want_as;
	bool seen_at, seen_va, seen_as, seen_prot;
};

/* prot letters r and w into SWMSI_IOAS_MAP_* flags. */
static int prot_flags(struct parser *p, const struct scn_tok *t, uint32_t *flags)
{
	uint32_t prot = 0;

	if (parse_prot(p, t, false, &prot))
		return -1;
	*flags = (prot & SWMSI_PROT_READ ? SWMSI_IOAS_MAP_READABLE : 0) |
		 (prot & SWMSI_PROT_WRITE ? SWMSI_IOAS_MAP_WRITEABLE : 0);
	return 0;
}

/* An area's name declared at @t into *@idx: not "all", unmap's word for
 * every area. */
static int new_area(struct parser *p, const struct scn_tok *t, unsigned int *idx)
{
	if (scn_tok_is(t, "all"))
		return parse_err(p, t->col,
				 "'all' cannot name an area: unmap IOAS all unmaps every one");
	return parse_declare(p, t, SCN_KIND_AREA, idx);
}

/* Is @t prot letters alone (r, w)? Anything else is said by the caller. */
static bool only_rw(const struct scn_tok *t)
{
	size_t i;

	for (i = 0; i < t->len; i++)
		if (t->s[i] != 'r' && t->s[i] != 'w')
			return false;
	return true;
}

static int twice(struct parser *p, const struct scn_tok *t, bool *seen, const char *what)
{
	if (*seen)
		return parse_err(p, t->col, "%s given twice", what);
	*seen = true;
	return 0;
}

/* One optional word at t[*i] (and its value): into @a. */
static int opt_word(struct parser *p, struct scn_cmd *c, const struct scn_tok *t, unsigned int n,
		    unsigned int *i, struct opt_words *w)
{
	struct scn_a_area *a = &c->a.area;
	const struct scn_tok *k = &t[*i];
	char buf[48];

	if (scn_tok_is(k, "at") || scn_tok_is(k, "as")) {
		bool at = k->s[1] == 't';

		if (!at && !w->want_as)
			return parse_err(p, k->col,
					 "unexpected 'as': only copy names its result so");
		if (twice(p, k, at ? &w->seen_at : &w->seen_as, at ? "'at'" : "'as'"))
			return -1;
		if (++*i >= n)
			return parse_err(p, k->col + 2 + 1, "missing %s after '%s'",
					 at ? "IOVA" : "NAME", at ? "at" : "as");
		if (!at)
			return new_area(p, &t[*i], &a->as);
		a->fixed = true;
		return parse_number(p, &t[*i], "IOVA", c->op == SCN_COPY ? &a->at : &a->iova);
	}
	if (w->want_va && k->len >= 3 && !memcmp(k->s, "va=", 3)) {
		struct scn_tok v = { k->s + 3, k->len - 3, k->col + 3 };

		if (twice(p, k, &w->seen_va, "va="))
			return -1;
		if (!v.len)
			return parse_err(p, k->col + 2, "missing ADDR after va=");
		a->has_va = true;
		return parse_number(p, &v, "va", &a->va);
	}
	if (k->len && only_rw(k)) {
		if (twice(p, k, &w->seen_prot, "prot letters"))
			return -1;
		return prot_flags(p, k, &a->flags);
	}
	return parse_err(p, k->col, "unexpected argument '%s' (use at IOVA%s%s and r, w)",
			 parse_quote(k, buf, sizeof(buf)), w->want_va ? ", va=ADDR" : "",
			 w->want_as ? ", as NAME" : "");
}

/* The optional words from t[i] on. */
static int opt_words(struct parser *p, struct scn_cmd *c, const struct scn_tok *t, unsigned int n,
		     unsigned int i, struct opt_words *w)
{
	c->a.area.flags = SWMSI_IOAS_MAP_READABLE | SWMSI_IOAS_MAP_WRITEABLE;
	for (; i < n; i++)
		if (opt_word(p, c, t, n, &i, w))
			return -1;
	return 0;
}

int parse_map_user(struct parser *p, struct scn_cmd *c, const struct scn_tok *t, unsigned int n,
		   unsigned int end_col)
{
	struct opt_words w = { .want_va = true };

	c->a.area.as = SCN_NO_NAME;
	if (n < 1)
		return parse_err(p, end_col, "missing NAME (usage: map IOAS NAME LENGTH ...)");
	if (new_area(p, &t[0], &c->a.area.name))
		return -1;
	if (n < 2)
		return parse_err(p, end_col, "missing LENGTH (usage: map IOAS NAME LENGTH ...)");
	if (parse_number(p, &t[1], "LENGTH", &c->a.area.length))
		return -1;
	return opt_words(p, c, t, n, 2, &w);
}

/* A declared area's name at @t into *@idx. */
static int area_name(struct parser *p, const struct scn_tok *t, const char *cmd, unsigned int *idx)
{
	char buf[48];

	if (parse_lookup(p, t, "NAME", idx))
		return -1;
	if (p->scn->names[*idx].kind != SCN_KIND_AREA)
		return parse_err(p, t->col, "'%s' is %s; %s wants an area's name here",
				 parse_quote(t, buf, sizeof(buf)),
				 scn_kind_word(p->scn->names[*idx].kind), cmd);
	return 0;
}

int parse_unmap_area(struct parser *p, struct scn_cmd *c, const struct scn_tok *t, unsigned int n,
		     unsigned int end_col)
{
	char buf[48];

	c->a.area.name = c->a.area.as = SCN_NO_NAME;
	if (!n)
		return parse_err(p, end_col, "missing NAME or all (usage: unmap IOAS NAME|all)");
	if (n > 1)
		return parse_err(p, t[1].col,
				 "unexpected argument '%s' (usage: unmap IOAS NAME|all)",
				 parse_quote(&t[1], buf, sizeof(buf)));
	if (scn_tok_is(&t[0], "all")) {
		c->a.area.all = true;
		return 0;
	}
	return area_name(p, &t[0], "unmap", &c->a.area.name);
}

/* copy's source: an IOVA and a LENGTH, or an area's NAME and an optional
 * LENGTH (its own when left out). Returns how many words it took, or -1. */
static int copy_source(struct parser *p, struct scn_cmd *c, const struct scn_tok *t, unsigned int n,
		       unsigned int end_col)
{
	struct scn_a_area *a = &c->a.area;
	const char *usage = " (usage: copy SRC IOVA|NAME LENGTH DST ...)";

	if (!n)
		return parse_err(p, end_col, "missing IOVA or NAME%s", usage);
	if (t[0].len && t[0].s[0] >= '0' && t[0].s[0] <= '9') {
		if (parse_number(p, &t[0], "IOVA", &a->iova))
			return -1;
		if (n < 2)
			return parse_err(p, end_col, "missing LENGTH%s", usage);
		return parse_number(p, &t[1], "LENGTH", &a->length) ? -1 : 2;
	}
	if (area_name(p, &t[0], "copy", &a->name))
		return -1;
	if (n >= 2 && t[1].len && t[1].s[0] >= '0' && t[1].s[0] <= '9')
		return parse_number(p, &t[1], "LENGTH", &a->length) ? -1 : 2;
	return 1;
}

int parse_copy(struct parser *p, struct scn_cmd *c, const struct scn_tok *t, unsigned int n,
	       unsigned int end_col)
{
	struct opt_words w = { .want_as = true };
	int used;

	c->a.area.name = c->a.area.as = SCN_NO_NAME;
	used = copy_source(p, c, t, n, end_col);
	if (used < 0)
		return -1;
	if ((unsigned int)used >= n)
		return parse_err(p, end_col, "missing DST (the IOAS to copy into)");
	if (parse_lookup(p, &t[used], "DST", &c->a.area.dst))
		return -1;
	return opt_words(p, c, t, n, (unsigned int)used + 1, &w);
}

int parse_allow(struct parser *p, struct scn_cmd *c, const struct scn_tok *t, unsigned int n,
		unsigned int end_col)
{
	return parse_range_list(p, c, t, n, end_col, false);
}

int parse_on_off(struct parser *p, struct scn_cmd *c, const struct scn_tok *t, unsigned int n,
		 unsigned int end_col)
{
	char buf[48];

	if (!n)
		return parse_err(p, end_col, "missing on or off");
	if (n > 1)
		return parse_err(p, t[1].col, "unexpected argument '%s'",
				 parse_quote(&t[1], buf, sizeof(buf)));
	if (!scn_tok_is(&t[0], "on") && !scn_tok_is(&t[0], "off"))
		return parse_err(p, t[0].col, "expected on or off, got '%s'",
				 parse_quote(&t[0], buf, sizeof(buf)));
	c->a.ioasopt.on = scn_tok_is(&t[0], "on");
	return 0;
}
