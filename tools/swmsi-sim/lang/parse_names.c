/* SPDX-License-Identifier: MIT */
/*
 * The scenario's names as the parser declares and looks them up, apart
 * from the parser's loop so that the command table's parse hooks
 * (parse_iopt.c declares an area's name) call them without calling back
 * into the parser: the language's files call each other without a cycle.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "suggest.h"

const char *scn_kind_word(enum scn_kind k)
{
	switch (k) {
	case SCN_KIND_IOAS:
		return "an IOAS";
	case SCN_KIND_HWPT:
		return "a HWPT";
	case SCN_KIND_NESTED:
		return "a nested HWPT";
	case SCN_KIND_DEVICE:
		return "a device";
	case SCN_KIND_AREA:
		return "an area";
	}
	return "an object";
}

char *parse_tok_dup(const struct scn_tok *t)
{
	char *s = malloc(t->len + 1);

	if (s) {
		memcpy(s, t->s, t->len);
		s[t->len] = '\0';
	}
	return s;
}

static long find_name(const struct parser *p, const struct scn_tok *t)
{
	return name_index_find(&p->names, UINT32_MAX, t->s, t->len);
}

int parse_declare(struct parser *p, const struct scn_tok *t, enum scn_kind kind, unsigned int *idx)
{
	struct scn *scn = p->scn;
	char buf[48];
	long bad, prev;

	bad = parse_bad_ident_char(t);
	if (bad >= 0)
		return parse_err(
			p, t->col + (unsigned int)bad,
			"bad name '%s': names are letters, digits and '_', not starting with a digit",
			parse_quote(t, buf, sizeof(buf)));
	prev = find_name(p, t);
	if (prev >= 0)
		return parse_err(p, t->col, "'%s' is already declared (line %u)",
				 parse_quote(t, buf, sizeof(buf)), scn->names[prev].line);
	if (sim_grow((void **)&scn->names, &scn->cap_names, scn->nnames + 1, sizeof(*scn->names),
		     16))
		return parse_oom(p);
	scn->names[scn->nnames].name = parse_tok_dup(t);
	if (!scn->names[scn->nnames].name)
		return parse_oom(p);
	if (name_index_add(&p->names, UINT32_MAX, scn->names[scn->nnames].name,
			   (uint32_t)scn->nnames)) {
		free(scn->names[scn->nnames].name);
		return parse_oom(p);
	}
	scn->names[scn->nnames].kind = kind;
	scn->names[scn->nnames].line = p->line;
	*idx = (unsigned int)scn->nnames++;
	return 0;
}

int parse_lookup(struct parser *p, const struct scn_tok *t, const char *what, unsigned int *idx)
{
	char buf[48];
	long i;

	if (!parse_is_ident(t)) {
		long bad = parse_bad_ident_char(t);

		return parse_err(p, t->col + (unsigned int)(bad < 0 ? 0 : bad),
				 "expected a name for %s, got '%s'", what,
				 parse_quote(t, buf, sizeof(buf)));
	}
	i = find_name(p, t);
	if (i < 0) {
		const char *near = sim_suggest_name(t->s, t->len, p->scn->names, p->scn->nnames);

		if (near)
			return parse_err(p, t->col, "unknown name '%s'; did you mean '%.64s'?",
					 parse_quote(t, buf, sizeof(buf)), near);
		return parse_err(p, t->col, "unknown name '%s'", parse_quote(t, buf, sizeof(buf)));
	}
	*idx = (unsigned int)i;
	return 0;
}
