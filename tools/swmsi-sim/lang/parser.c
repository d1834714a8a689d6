/* SPDX-License-Identifier: MIT */
/*
 * The scenario parser. It checks everything that can be checked without
 * running: command words, argument counts, numbers, error names, and that
 * every name was declared on an earlier line. Whether a name is of the kind
 * a command wants is the library's business (it answers -ENOENT or -EINVAL,
 * which a scenario can expect with "=> ERR"), except for `expect`, whose
 * queries only make sense on one kind.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <swmsi/swmsi.h>

#include "commands.h"
#include "parse.h"
#include "lang.h"
#include "suggest.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define EXPECT_WORDS                                                                                  \
	"iova, same, differ, same-page, differ-page, mapped, unmapped, untranslated, fires, ranges, " \
	"alignment"

const char *scn_op_word(enum scn_op op)
{
	static const char *const options[] = {
		[SCN_OPTION_PAGE_SHIFT] = "option page_shift",
		[SCN_OPTION_MAX_MSI_MAPS] = "option max_msi_maps",
		[SCN_OPTION_RECLAIM] = "option reclaim",
		[SCN_OPTION_SCHEME] = "option scheme",
		[SCN_OPTION_STRICT] = "option strict",
	};
	const struct cmd_def *def = cmd_of(op);

	if (def)
		return def->word;
	return (unsigned int)op < ARRAY_SIZE(options) ? options[op] : "?";
}

bool scn_op_is_expect(enum scn_op op)
{
	return (op >= SCN_EXPECT_IOVA && op <= SCN_EXPECT_RANGES) || op == SCN_EXPECT_AREA_IOVA ||
	       op == SCN_EXPECT_ALIGNMENT;
}

/* ---------------------------------------------------------------------- */

static long find_vec(const struct parser *p, unsigned int dev, const struct scn_tok *t)
{
	return name_index_find(&p->vecs, dev, t->s, t->len);
}

static int vec_ref(struct parser *p, const struct scn_tok *t, unsigned int dev, bool declare_new,
		   unsigned int *idx)
{
	struct scn *scn = p->scn;
	char buf[48];
	long i;

	if (!parse_is_label(t))
		return parse_err(p, t->col, "bad vector label '%s': use letters, digits and '_'",
				 parse_quote(t, buf, sizeof(buf)));
	i = find_vec(p, dev, t);
	if (i >= 0) {
		*idx = (unsigned int)i;
		return 0;
	}
	if (!declare_new)
		return parse_err(p, t->col, "unknown vector '%s' of '%s' (no msi line names it)",
				 parse_quote(t, buf, sizeof(buf)), scn->names[dev].name);
	if (sim_grow((void **)&scn->vecs, &scn->cap_vecs, scn->nvecs + 1, sizeof(*scn->vecs), 16))
		return parse_oom(p);
	scn->vecs[scn->nvecs].label = parse_tok_dup(t);
	if (!scn->vecs[scn->nvecs].label)
		return parse_oom(p);
	if (name_index_add(&p->vecs, dev, scn->vecs[scn->nvecs].label, (uint32_t)scn->nvecs)) {
		free(scn->vecs[scn->nvecs].label);
		return parse_oom(p);
	}
	scn->vecs[scn->nvecs].dev = dev;
	*idx = (unsigned int)scn->nvecs++;
	return 0;
}

static bool optional(enum arg_kind k)
{
	return k == A_PROT_RWM || k == A_PROT_RW || k == A_NEST_FLAG;
}

/* The field of @c's arguments that @as fills. */
static void *field(struct scn_cmd *c, const struct arg_spec *as)
{
	return (char *)&c->a + as->off;
}

/* " (did you mean WORD?)" for a suggestion @word, or "" for none. */
static const char *dym(const char *word, char *buf, size_t len)
{
	if (!word)
		return "";
	snprintf(buf, len, " (did you mean %s?)", word);
	return buf;
}

/* A name argument: declared here, or any declared one, or one of a kind. */
static int name_arg(struct parser *p, const char *word, const struct arg_spec *as,
		    const struct scn_tok *tok, unsigned int *idx)
{
	static const enum scn_kind kinds[] = {
		[A_NEW_IOAS] = SCN_KIND_IOAS,
		[A_NEW_HWPT] = SCN_KIND_HWPT,
		[A_NEW_NESTED] = SCN_KIND_NESTED,
		[A_NEW_DEVICE] = SCN_KIND_DEVICE,
	};
	char buf[48];

	if (as->kind <= A_NEW_DEVICE)
		return parse_declare(p, tok, kinds[as->kind], idx);
	if (parse_lookup(p, tok, as->what, idx))
		return -1;
	if (as->kind == A_DEV && p->scn->names[*idx].kind != SCN_KIND_DEVICE)
		return parse_err(p, tok->col, "'%s' is %s; %s wants a device",
				 parse_quote(tok, buf, sizeof(buf)),
				 scn_kind_word(p->scn->names[*idx].kind), word);
	if (as->kind == A_PT && p->scn->names[*idx].kind == SCN_KIND_DEVICE)
		return parse_err(p, tok->col, "'%s' is a device; %s wants a HWPT or an IOAS",
				 parse_quote(tok, buf, sizeof(buf)), word);
	if (as->kind == A_AREA && p->scn->names[*idx].kind != SCN_KIND_AREA)
		return parse_err(p, tok->col,
				 "'%s' is %s; %s NAME wants an area (map IOAS NAME ...)",
				 parse_quote(tok, buf, sizeof(buf)),
				 scn_kind_word(p->scn->names[*idx].kind), word);
	if (as->kind == A_IOAS && p->scn->names[*idx].kind != SCN_KIND_IOAS)
		return parse_err(p, tok->col, "'%s' is %s; %s wants an IOAS",
				 parse_quote(tok, buf, sizeof(buf)),
				 scn_kind_word(p->scn->names[*idx].kind), word);
	return 0;
}

/* fail_map's ERRNO: a name, or a number 1..4095. */
static int errno_arg(struct parser *p, const struct arg_spec *as, const struct scn_tok *tok,
		     int *out)
{
	char buf[48], hint[64];
	uint64_t v;
	int e = parse_errno(tok);

	if (e) {
		*out = e;
		return 0;
	}
	if (!tok->len || tok->s[0] < '0' || tok->s[0] > '9')
		return parse_err(p, tok->col, "unknown error name '%s'%s",
				 parse_quote(tok, buf, sizeof(buf)),
				 dym(sim_suggest_errname(tok->s, tok->len), hint, sizeof(hint)));
	if (parse_number(p, tok, as->what, &v))
		return -1;
	if (v == 0 || v > 4095)
		return parse_err(p, tok->col, "errno %s out of range 1..4095",
				 parse_quote(tok, buf, sizeof(buf)));
	*out = -(int)v;
	return 0;
}

/* One argument @tok of command @word as @as says, into @c; @last is the last name read. */
static int one_arg(struct parser *p, const char *word, const struct arg_spec *as, struct scn_cmd *c,
		   const struct scn_tok *tok, unsigned int *last)
{
	char buf[48];
	uint64_t v;

	switch (as->kind) {
	case A_VEC_NEW:
	case A_VEC:
		return vec_ref(p, tok, *last, as->kind == A_VEC_NEW, field(c, as));
	case A_NUM:
		return parse_number(p, tok, as->what, field(c, as));
	case A_U32:
		if (parse_number(p, tok, as->what, &v))
			return -1;
		if (v > UINT_MAX)
			return parse_err(p, tok->col, "%s '%s' is too large", as->what,
					 parse_quote(tok, buf, sizeof(buf)));
		*(unsigned int *)field(c, as) = (unsigned int)v;
		return 0;
	case A_ERRNO:
		return errno_arg(p, as, tok, field(c, as));
	case A_PROT_RWM:
	case A_PROT_RW:
		return parse_prot(p, tok, as->kind == A_PROT_RWM, field(c, as));
	case A_NEST_FLAG:
		if (!scn_tok_is(tok, "nest_parent"))
			return parse_err(p, tok->col, "expected nest_parent, got '%s'",
					 parse_quote(tok, buf, sizeof(buf)));
		*(uint32_t *)field(c, as) |= SWMSI_HWPT_NEST_PARENT;
		return 0;
	default:
		if (name_arg(p, word, as, tok, last))
			return -1;
		*(unsigned int *)field(c, as) = *last;
		return 0;
	}
}

static int parse_args(struct parser *p, const struct cmd_def *def, struct scn_cmd *c,
		      const struct scn_tok *t, unsigned int n, unsigned int end_col)
{
	unsigned int i = 0, last = 0;
	char usage[128], buf[48];
	int a;

	cmd_usage(def, usage, sizeof(usage));
	for (a = 0; a < CMD_MAX_ARGS && def->args[a].kind != A_END; a++) {
		const struct arg_spec *as = &def->args[a];

		if (as->kind == A_REST)
			return def->parse(p, c, t + i, n - i, end_col);
		if (i >= n) {
			if (!optional(as->kind))
				return parse_err(p, end_col, "missing %s (usage: %s)", as->what,
						 usage);
			if (as->kind != A_NEST_FLAG)
				*(uint32_t *)field(c, as) = SWMSI_PROT_READ | SWMSI_PROT_WRITE;
			continue;
		}
		if (one_arg(p, def->word, as, c, &t[i], &last))
			return -1;
		i++;
	}
	if (i < n)
		return parse_err(p, t[i].col, "unexpected argument '%s' (usage: %s)",
				 parse_quote(&t[i], buf, sizeof(buf)), usage);
	return 0;
}

/* Does @t start as a name does (a name never starts with a digit)? */
static bool starts_as_name(const struct scn_tok *t)
{
	char c = t->len ? t->s[0] : '0';

	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* How many arguments @def takes, or 0 when it takes a varying number. */
static unsigned int fixed_args(const struct cmd_def *def)
{
	unsigned int i;

	for (i = 0; i < CMD_MAX_ARGS && def->args[i].kind != A_END; i++)
		if (optional(def->args[i].kind) || def->args[i].kind == A_REST)
			return 0;
	return i;
}

/*
 * The form of @def that its @n arguments @args select, when the next entry
 * has the same word: that one when it takes exactly @n arguments and @def
 * does not (expect iova NAME IOVA, expect iova DEV VEC ADDR), or when the
 * first argument where @def wants a number and it does not starts as a
 * name (window START SIZE, window DEV START SIZE; map IOAS IOVA ..., map
 * IOAS NAME ...).
 */
static const struct cmd_def *pick_form(const struct cmd_def *def, const struct scn_tok *args,
				       unsigned int n)
{
	const struct cmd_def *next;
	unsigned int i;

	if (!def || def + 1 >= cmd_table + cmd_count || strcmp(def[1].word, def->word))
		return def;
	next = def + 1;
	if (fixed_args(next) && n == fixed_args(next) && n != fixed_args(def))
		return next;
	for (i = 0; i < CMD_MAX_ARGS && def->args[i].kind != A_END; i++)
		if (def->args[i].kind == A_NUM && next->args[i].kind != A_NUM &&
		    next->args[i].kind != A_END)
			return i < n && starts_as_name(&args[i]) ? next : def;
	return def;
}

/* The entry of the command in @t ("expect" takes the next word too). */
static const struct cmd_def *find_cmd(const struct scn_tok *t, unsigned int n)
{
	char word[48];

	if (!scn_tok_is(&t[0], "expect"))
		return pick_form(cmd_find(t[0].s, t[0].len), t + 1, n - 1);
	if (n < 2 || t[1].len > 32)
		return NULL;
	snprintf(word, sizeof(word), "expect %.*s", (int)t[1].len, t[1].s);
	return pick_form(cmd_find(word, strlen(word)), t + 2, n - 2);
}

/*
 * "=> ERRNAME" ends a command: into @c, with *@nargs the words before it
 * and *@end_col where it starts. Returns 0, or -1 (diagnosed).
 */
static int expect_err(struct parser *p, const struct scn_tok *t, unsigned int n, struct scn_cmd *c,
		      unsigned int *nargs, unsigned int *end_col)
{
	char buf[48], hint[64];
	unsigned int i;

	for (i = 0; i < n && !scn_tok_is(&t[i], "=>"); i++)
		;
	if (i == n)
		return 0;
	if (i == 0)
		return parse_err(p, t[i].col, "expected a command before '=>'");
	if (i + 1 >= n)
		return parse_err(p, *end_col, "expected an error name after '=>'");
	if (i + 2 < n)
		return parse_err(p, t[i + 2].col, "unexpected '%s' after the error name",
				 parse_quote(&t[i + 2], buf, sizeof(buf)));
	c->expect_err = parse_errno(&t[i + 1]);
	if (!c->expect_err)
		return parse_err(p, t[i + 1].col, "unknown error name '%s'%s",
				 parse_quote(&t[i + 1], buf, sizeof(buf)),
				 dym(sim_suggest_errname(t[i + 1].s, t[i + 1].len), hint,
				     sizeof(hint)));
	c->expect_col = t[i].col;
	*nargs = i;
	*end_col = t[i].col;
	return 0;
}

/* Append @c, with the heading waiting for it. Returns 0 or -1 (out of memory). */
static int append_cmd(struct parser *p, struct scn_cmd *c)
{
	if (sim_grow((void **)&p->scn->cmds, &p->scn->cap_cmds, p->scn->ncmds + 1,
		     sizeof(*p->scn->cmds), 16)) {
		free(c->text);
		return parse_oom(p);
	}
	c->heading = p->heading;
	p->heading = NULL;
	p->scn->cmds[p->scn->ncmds++] = *c;
	return 0;
}

static int parse_line(struct parser *p, const char *s, size_t len)
{
	struct scn_tok t[SCN_MAX_TOKENS];
	const struct cmd_def *def;
	unsigned int n, end_col, nargs;
	struct scn_cmd c;
	bool is_expect = false;
	char buf[48], hint[64];

	if (parse_heading_line(p, s, len))
		return p->oom ? -1 : 0;
	if (scn_lex_line(s, len, t, &n, &end_col, p->d)) {
		p->d->line = p->line;
		return -1;
	}
	if (!n)
		return 0;
	if (scn_tok_is(&t[0], "option"))
		return parse_option(p, t, n, end_col);

	memset(&c, 0, sizeof(c));
	c.line = p->line;
	c.col = t[0].col;
	nargs = n;
	if (expect_err(p, t, n, &c, &nargs, &end_col))
		return -1;
	is_expect = scn_tok_is(&t[0], "expect");
	if (is_expect && nargs < 2)
		return parse_err(p, end_col, "missing what to expect (" EXPECT_WORDS ")");
	def = find_cmd(t, nargs);
	if (!def && is_expect)
		return parse_err(p, t[1].col, "unknown expectation '%s'%s (" EXPECT_WORDS ")",
				 parse_quote(&t[1], buf, sizeof(buf)),
				 dym(sim_suggest_expect(t[1].s, t[1].len), hint, sizeof(hint)));
	if (!def)
		return parse_err(p, t[0].col, "unknown command '%s'%s",
				 parse_quote(&t[0], buf, sizeof(buf)),
				 dym(sim_suggest_command(t[0].s, t[0].len), hint, sizeof(hint)));
	if (c.expect_err && def->no_fail)
		return parse_err(p, c.expect_col, "'%s' cannot fail: it takes no '=> ERR'",
				 def->word);
	c.op = def->op;
	/* Even when its arguments are wrong, it is a command: options must precede it. */
	if (!p->started) {
		p->started = true;
		p->started_line = p->line;
	}
	if (parse_args(p, def, &c, t + 1 + is_expect, nargs - 1 - is_expect, end_col))
		return -1;
	if (parse_join_text(&c, t, n, nargs))
		return parse_oom(p);
	return append_cmd(p, &c);
}

/*
 * Each line on its own: an error skips its line and parsing goes on, so
 * the caller can list every error at once. Declarations made before the
 * error on a line stand (a 'device' with a bad window still declares its
 * name), which keeps one mistake from cascading into "unknown name" on
 * every later line. With @all false, the first error ends the parse.
 */
static int parse_lines(const char *text, size_t len, const char *file, struct scn **out,
		       struct scn_diag *d, size_t cap, size_t *nerr, bool all)
{
	struct scn_diag cur;
	struct parser p;
	struct scn *scn;
	size_t pos = 0, n = 0;

	scn = calloc(1, sizeof(*scn));
	if (!scn)
		return -2;
	scn->file = strdup(file ? file : "<scenario>");
	if (!scn->file) {
		free(scn);
		return -2;
	}
	scn->opts.page_shift = 12;
	memset(&p, 0, sizeof(p));
	p.scn = scn;
	p.d = &cur;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - (text + pos)) : len - pos;
		size_t clen = llen;

		p.line++;
		if (clen && text[pos + clen - 1] == '\r')
			clen--;
		memset(&cur, 0, sizeof(cur));
		if (parse_line(&p, text + pos, clen)) {
			if (p.oom)
				break;
			if (n < cap)
				d[n] = cur;
			n++;
			if (!all)
				break;
		}
		pos += llen + (nl ? 1 : 0);
	}
	free(p.heading); /* headings after the last command head nothing */
	name_index_free(&p.names);
	name_index_free(&p.vecs);
	*nerr = n;
	if (p.oom || n) {
		scn_free(scn);
		return p.oom ? -2 : -1;
	}
	scn->lines = p.line;
	*out = scn;
	return 0;
}

int scn_parse_all(const char *text, size_t len, const char *file, struct scn **out,
		  struct scn_diag *d, size_t cap, size_t *nerr)
{
	return parse_lines(text, len, file, out, d, cap, nerr, true);
}

int scn_parse(const char *text, size_t len, const char *file, struct scn **out, struct scn_diag *d)
{
	size_t n;

	memset(d, 0, sizeof(*d));
	return parse_lines(text, len, file, out, d, 1, &n, false);
}

void scn_free(struct scn *scn)
{
	size_t i;

	if (!scn)
		return;
	for (i = 0; i < scn->ncmds; i++) {
		free(scn->cmds[i].text);
		free(scn->cmds[i].heading);
	}
	for (i = 0; i < scn->nnames; i++)
		free(scn->names[i].name);
	for (i = 0; i < scn->nvecs; i++)
		free(scn->vecs[i].label);
	free(scn->resv);
	free(scn->ranges);
	free(scn->cmds);
	free(scn->names);
	free(scn->vecs);
	free(scn->file);
	free(scn);
}
