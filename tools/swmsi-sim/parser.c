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

#include "sim.h"

enum arg_kind {
	A_END = 0,
	A_NEW_IOAS, /* declares a name */
	A_NEW_HWPT,
	A_NEW_NESTED,
	A_NEW_DEVICE,
	A_OBJ,	     /* any declared name */
	A_DEV,	     /* a declared device (expect only) */
	A_PT,	     /* a declared HWPT, nested HWPT or IOAS (expect only) */
	A_VEC_NEW,   /* a vector label of the previous name, declared if new */
	A_VEC,	     /* a declared vector label of the previous name */
	A_NUM,	     /* address or size */
	A_U32,	     /* a count */
	A_ERRNO,     /* ENOMEM, or a positive number */
	A_PROT_RWM,  /* optional [r][w][m] */
	A_PROT_RW,   /* optional [r][w] */
	A_NEST_FLAG, /* optional nest_parent */
	A_DEV_ATTRS, /* group=N [window=START:SIZE], the rest of the line */
};

struct arg_spec {
	enum arg_kind kind;
	const char *what; /* for messages: "DEV", "IOVA" */
};

struct cmd_spec {
	const char *word; /* "attach"; "iova" for "expect iova" */
	enum scn_op op;
	struct arg_spec args[7];
};

static const struct cmd_spec commands[] = {
	{ "window", SCN_WINDOW, { { A_NUM, "START" }, { A_NUM, "SIZE" } } },
	{ "doorbell", SCN_DOORBELL, { { A_NUM, "PADDR" }, { A_NUM, "SIZE" } } },
	{ "ioas", SCN_IOAS, { { A_NEW_IOAS, "NAME" } } },
	{ "map",
	  SCN_MAP,
	  { { A_OBJ, "IOAS" },
	    { A_NUM, "IOVA" },
	    { A_NUM, "PADDR" },
	    { A_NUM, "LENGTH" },
	    { A_PROT_RWM, "[r][w][m]" } } },
	{ "unmap", SCN_UNMAP, { { A_OBJ, "IOAS" }, { A_NUM, "IOVA" }, { A_NUM, "LENGTH" } } },
	{ "hwpt",
	  SCN_HWPT,
	  { { A_NEW_HWPT, "NAME" }, { A_OBJ, "IOAS" }, { A_NEST_FLAG, "[nest_parent]" } } },
	{ "nested", SCN_NESTED, { { A_NEW_NESTED, "NAME" }, { A_OBJ, "PARENT" } } },
	{ "s1map",
	  SCN_S1MAP,
	  { { A_OBJ, "NESTED" },
	    { A_NUM, "IOVA" },
	    { A_NUM, "IPA" },
	    { A_NUM, "LENGTH" },
	    { A_PROT_RW, "[r][w]" } } },
	{ "device",
	  SCN_DEVICE,
	  { { A_NEW_DEVICE, "NAME" }, { A_DEV_ATTRS, "group=N [window=START:SIZE]" } } },
	{ "attach", SCN_ATTACH, { { A_OBJ, "DEV" }, { A_OBJ, "PT" } } },
	{ "replace", SCN_REPLACE, { { A_OBJ, "DEV" }, { A_OBJ, "PT" } } },
	{ "detach", SCN_DETACH, { { A_OBJ, "DEV" } } },
	{ "unbind", SCN_UNBIND, { { A_OBJ, "DEV" } } },
	{ "destroy", SCN_DESTROY, { { A_OBJ, "NAME" } } },
	{ "msi", SCN_MSI, { { A_OBJ, "DEV" }, { A_VEC_NEW, "VEC" }, { A_NUM, "MSI_ADDR" } } },
	{ "free", SCN_FREE, { { A_OBJ, "DEV" }, { A_VEC, "VEC" } } },
	{ "fire", SCN_FIRE, { { A_OBJ, "DEV" }, { A_VEC, "VEC" } } },
	{ "fail_map", SCN_FAIL_MAP, { { A_U32, "NTH" }, { A_ERRNO, "ERRNO" } } },
};

static const struct cmd_spec expects[] = {
	{ "iova", SCN_EXPECT_IOVA, { { A_DEV, "DEV" }, { A_VEC, "VEC" }, { A_NUM, "ADDR" } } },
	{ "same",
	  SCN_EXPECT_SAME,
	  { { A_DEV, "DEV" }, { A_VEC, "VEC" }, { A_DEV, "DEV" }, { A_VEC, "VEC" } } },
	{ "differ",
	  SCN_EXPECT_DIFFER,
	  { { A_DEV, "DEV" }, { A_VEC, "VEC" }, { A_DEV, "DEV" }, { A_VEC, "VEC" } } },
	{ "mapped", SCN_EXPECT_MAPPED, { { A_PT, "HWPT" }, { A_NUM, "IOVA" }, { A_NUM, "PADDR" } } },
	{ "unmapped", SCN_EXPECT_UNMAPPED, { { A_PT, "HWPT" }, { A_NUM, "IOVA" } } },
	{ "untranslated", SCN_EXPECT_UNTRANSLATED, { { A_DEV, "DEV" }, { A_VEC, "VEC" } } },
	{ "fires", SCN_EXPECT_FIRES, { { A_DEV, "DEV" }, { A_VEC, "VEC" }, { A_NUM, "PADDR" } } },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define EXPECT_WORDS  "iova, same, differ, mapped, unmapped, untranslated, fires"

const char *scn_op_word(enum scn_op op)
{
	static const char *const words[SCN_OP_COUNT] = {
		[SCN_OPTION_PAGE_SHIFT] = "option page_shift",
		[SCN_OPTION_MAX_MSI_MAPS] = "option max_msi_maps",
		[SCN_OPTION_RECLAIM] = "option reclaim",
		[SCN_OPTION_SCHEME] = "option scheme",
		[SCN_OPTION_STRICT] = "option strict",
		[SCN_WINDOW] = "window",
		[SCN_DOORBELL] = "doorbell",
		[SCN_IOAS] = "ioas",
		[SCN_MAP] = "map",
		[SCN_UNMAP] = "unmap",
		[SCN_HWPT] = "hwpt",
		[SCN_NESTED] = "nested",
		[SCN_S1MAP] = "s1map",
		[SCN_DEVICE] = "device",
		[SCN_ATTACH] = "attach",
		[SCN_REPLACE] = "replace",
		[SCN_DETACH] = "detach",
		[SCN_UNBIND] = "unbind",
		[SCN_DESTROY] = "destroy",
		[SCN_MSI] = "msi",
		[SCN_FREE] = "free",
		[SCN_FIRE] = "fire",
		[SCN_FAIL_MAP] = "fail_map",
		[SCN_EXPECT_IOVA] = "expect iova",
		[SCN_EXPECT_SAME] = "expect same",
		[SCN_EXPECT_DIFFER] = "expect differ",
		[SCN_EXPECT_MAPPED] = "expect mapped",
		[SCN_EXPECT_UNMAPPED] = "expect unmapped",
		[SCN_EXPECT_UNTRANSLATED] = "expect untranslated",
		[SCN_EXPECT_FIRES] = "expect fires",
	};

	return (unsigned int)op < SCN_OP_COUNT ? words[op] : "?";
}

bool scn_op_is_expect(enum scn_op op)
{
	return op >= SCN_EXPECT_IOVA && op <= SCN_EXPECT_FIRES;
}

static const char *kind_word(enum scn_kind k)
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
	}
	return "?";
}

/* ---------------------------------------------------------------------- */

struct parser {
	struct scn *scn;
	struct scn_diag *d;
	unsigned int line;
	bool started;  /* a non-option command was seen */
	char *heading; /* "## " lines waiting for their command */
	unsigned int started_line;
	bool oom;
};

static int perr(struct parser *p, unsigned int col, const char *fmt, ...) SIM_PRINTF(3, 4);

static int perr(struct parser *p, unsigned int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	scn_diag_vset(p->d, p->line, col, fmt, ap);
	va_end(ap);
	return -1;
}

static int oom(struct parser *p)
{
	p->oom = true;
	scn_diag_set(p->d, p->line, 1, "out of memory");
	return -1;
}

static char *tok_dup(const struct scn_tok *t)
{
	char *s = malloc(t->len + 1);

	if (s) {
		memcpy(s, t->s, t->len);
		s[t->len] = '\0';
	}
	return s;
}

/* Quote a token for a message, shortened so messages stay one line. */
static const char *tq(const struct scn_tok *t, char *buf, size_t len)
{
	size_t n = t->len < len - 1 ? t->len : len - 1;

	if (t->len > 40 && len > 44) {
		memcpy(buf, t->s, 37);
		memcpy(buf + 37, "...", 4);
		return buf;
	}
	memcpy(buf, t->s, n);
	buf[n] = '\0';
	return buf;
}

/* Letters, digits and '_': what names and vector labels are made of. */
static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* The first character of @t that cannot be in a name, or -1. */
static long bad_ident_char(const struct scn_tok *t)
{
	size_t i;

	for (i = 0; i < t->len; i++) {
		char c = t->s[i];

		if (!is_name_char(c) || (i == 0 && c >= '0' && c <= '9'))
			return (long)i;
	}
	return -1;
}

/* A name: name characters, not starting with a digit. */
static bool is_ident(const struct scn_tok *t)
{
	return t->len && bad_ident_char(t) < 0;
}

static bool is_label(const struct scn_tok *t)
{
	size_t i;

	if (!t->len)
		return false;
	for (i = 0; i < t->len; i++)
		if (!is_name_char(t->s[i]))
			return false;
	return true;
}

static long find_name(const struct scn *scn, const struct scn_tok *t)
{
	size_t i;

	for (i = 0; i < scn->nnames; i++)
		if (scn_tok_is(t, scn->names[i].name))
			return (long)i;
	return -1;
}

static long find_vec(const struct scn *scn, unsigned int dev, const struct scn_tok *t)
{
	size_t i;

	for (i = 0; i < scn->nvecs; i++)
		if (scn->vecs[i].dev == dev && scn_tok_is(t, scn->vecs[i].label))
			return (long)i;
	return -1;
}

static int declare(struct parser *p, const struct scn_tok *t, enum scn_kind kind, unsigned int *idx)
{
	struct scn *scn = p->scn;
	char buf[48];
	long bad, prev;

	bad = bad_ident_char(t);
	if (bad >= 0)
		return perr(
			p, t->col + (unsigned int)bad,
			"bad name '%s': names are letters, digits and '_', not starting with a digit",
			tq(t, buf, sizeof(buf)));
	prev = find_name(scn, t);
	if (prev >= 0)
		return perr(p, t->col, "'%s' is already declared (line %u)",
			    tq(t, buf, sizeof(buf)), scn->names[prev].line);
	if (sim_grow((void **)&scn->names, &scn->cap_names, scn->nnames + 1, sizeof(*scn->names),
		     16))
		return oom(p);
	scn->names[scn->nnames].name = tok_dup(t);
	if (!scn->names[scn->nnames].name)
		return oom(p);
	scn->names[scn->nnames].kind = kind;
	scn->names[scn->nnames].line = p->line;
	*idx = (unsigned int)scn->nnames++;
	return 0;
}

static int lookup(struct parser *p, const struct scn_tok *t, const char *what, unsigned int *idx)
{
	char buf[48];
	long i;

	if (!is_ident(t)) {
		long bad = bad_ident_char(t);

		return perr(p, t->col + (unsigned int)(bad < 0 ? 0 : bad),
			    "expected a name for %s, got '%s'", what, tq(t, buf, sizeof(buf)));
	}
	i = find_name(p->scn, t);
	if (i < 0)
		return perr(p, t->col, "unknown name '%s'", tq(t, buf, sizeof(buf)));
	*idx = (unsigned int)i;
	return 0;
}

static int vec_ref(struct parser *p, const struct scn_tok *t, unsigned int dev, bool declare_new,
		   unsigned int *idx)
{
	struct scn *scn = p->scn;
	char buf[48];
	long i;

	if (!is_label(t))
		return perr(p, t->col, "bad vector label '%s': use letters, digits and '_'",
			    tq(t, buf, sizeof(buf)));
	i = find_vec(scn, dev, t);
	if (i >= 0) {
		*idx = (unsigned int)i;
		return 0;
	}
	if (!declare_new)
		return perr(p, t->col, "unknown vector '%s' of '%s' (no msi line names it)",
			    tq(t, buf, sizeof(buf)), scn->names[dev].name);
	if (sim_grow((void **)&scn->vecs, &scn->cap_vecs, scn->nvecs + 1, sizeof(*scn->vecs), 16))
		return oom(p);
	scn->vecs[scn->nvecs].label = tok_dup(t);
	if (!scn->vecs[scn->nvecs].label)
		return oom(p);
	scn->vecs[scn->nvecs].dev = dev;
	*idx = (unsigned int)scn->nvecs++;
	return 0;
}

static int number(struct parser *p, const struct scn_tok *t, const char *what, uint64_t *v)
{
	const char *why;
	size_t off;
	char buf[48];

	if (scn_parse_u64(t->s, t->len, v, &off, &why))
		return perr(p, t->col + (unsigned int)off, "bad number '%s' for %s: %s",
			    tq(t, buf, sizeof(buf)), what, why);
	return 0;
}

static int prot(struct parser *p, const struct scn_tok *t, bool allow_mmio, uint32_t *out)
{
	uint32_t v = 0, bit;
	size_t i;

	for (i = 0; i < t->len; i++) {
		switch (t->s[i]) {
		case 'r':
			bit = SWMSI_PROT_READ;
			break;
		case 'w':
			bit = SWMSI_PROT_WRITE;
			break;
		case 'm':
			bit = allow_mmio ? SWMSI_PROT_MMIO : 0;
			break;
		default:
			bit = 0;
			break;
		}
		if (!bit)
			return perr(p, t->col + (unsigned int)i, "bad prot letter '%c' (use %s)",
				    t->s[i], allow_mmio ? "r, w and m" : "r and w");
		if (v & bit)
			return perr(p, t->col + (unsigned int)i, "prot letter '%c' given twice",
				    t->s[i]);
		v |= bit;
	}
	*out = v;
	return 0;
}

/* ERRNAME as swmsi_errname() prints it; a negative errno, or 0. */
static int errno_of(const struct scn_tok *t)
{
	char buf[32];
	int e;

	if (t->len == 0 || t->len >= sizeof(buf))
		return 0;
	memcpy(buf, t->s, t->len);
	buf[t->len] = '\0';
	e = swmsi_errno_from_name(buf);
	return e > 0 ? -e : e;
}

static int dev_attrs(struct parser *p, struct scn_cmd *c, const struct scn_tok *t, unsigned int n,
		     unsigned int end_col)
{
	bool have_group = false;
	char buf[48];
	unsigned int i;

	for (i = 0; i < n; i++) {
		const struct scn_tok *a = &t[i];
		const char *eq = memchr(a->s, '=', a->len);
		struct scn_tok v;
		size_t klen;

		if (!eq)
			return perr(p, a->col, "expected group=N or window=START:SIZE, got '%s'",
				    tq(a, buf, sizeof(buf)));
		klen = (size_t)(eq - a->s);
		v.s = eq + 1;
		v.len = a->len - klen - 1;
		v.col = a->col + (unsigned int)klen + 1;
		if (klen == 5 && memcmp(a->s, "group", 5) == 0) {
			if (have_group)
				return perr(p, a->col, "group= given twice");
			if (!v.len)
				return perr(p, v.col - 1, "missing number after group=");
			if (number(p, &v, "group", &c->num[0]))
				return -1;
			if (c->num[0] > UINT32_MAX)
				return perr(p, v.col, "group %s is larger than 32 bits",
					    tq(&v, buf, sizeof(buf)));
			have_group = true;
		} else if (klen == 6 && memcmp(a->s, "window", 6) == 0) {
			const char *colon = memchr(v.s, ':', v.len);
			struct scn_tok st, sz;

			if (c->has_window)
				return perr(p, a->col, "window= given twice");
			/* At the value, not past it: that may be past the end of the line. */
			if (!v.len)
				return perr(p, v.col - 1, "missing START:SIZE after window=");
			if (!colon)
				return perr(p, v.col, "missing :SIZE in window=START:SIZE");
			st.s = v.s;
			st.len = (size_t)(colon - v.s);
			st.col = v.col;
			sz.s = colon + 1;
			sz.len = v.len - st.len - 1;
			sz.col = v.col + (unsigned int)st.len + 1;
			if (!st.len)
				return perr(p, st.col, "missing window START");
			if (!sz.len)
				return perr(p, sz.col, "missing window SIZE");
			if (number(p, &st, "window START", &c->num[1]) ||
			    number(p, &sz, "window SIZE", &c->num[2]))
				return -1;
			c->has_window = true;
		} else {
			return perr(p, a->col,
				    "unknown device attribute '%.*s' (use group= and window=)",
				    (int)(klen > 32 ? 32 : klen), a->s);
		}
	}
	if (!have_group)
		return perr(p, end_col, "missing group=N");
	return 0;
}

static void usage_of(const struct cmd_spec *cs, bool is_expect, char *buf, size_t len)
{
	size_t off;
	int i;

	off = (size_t)snprintf(buf, len, "%s%s", is_expect ? "expect " : "", cs->word);
	for (i = 0; cs->args[i].kind != A_END && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, " %s", cs->args[i].what);
}

static bool optional(enum arg_kind k)
{
	return k == A_PROT_RWM || k == A_PROT_RW || k == A_NEST_FLAG;
}

static int parse_args(struct parser *p, const struct cmd_spec *cs, bool is_expect,
		      struct scn_cmd *c, const struct scn_tok *t, unsigned int n,
		      unsigned int end_col)
{
	unsigned int nobj = 0, nvec = 0, nnum = 0, i = 0;
	unsigned int last_obj = 0;
	char usage[128], buf[48];
	int a;

	usage_of(cs, is_expect, usage, sizeof(usage));
	for (a = 0; cs->args[a].kind != A_END; a++) {
		const struct arg_spec *as = &cs->args[a];
		const struct scn_tok *tok = i < n ? &t[i] : NULL;
		unsigned int idx = 0; /* gcc -O2 cannot see every path sets it */

		if (as->kind == A_DEV_ATTRS)
			return dev_attrs(p, c, t + i, n - i, end_col);
		if (!tok) {
			if (optional(as->kind)) {
				if (as->kind != A_NEST_FLAG)
					c->prot = SWMSI_PROT_READ | SWMSI_PROT_WRITE;
				continue;
			}
			return perr(p, end_col, "missing %s (usage: %s)", as->what, usage);
		}
		switch (as->kind) {
		case A_NEW_IOAS:
		case A_NEW_HWPT:
		case A_NEW_NESTED:
		case A_NEW_DEVICE: {
			static const enum scn_kind kinds[] = {
				[A_NEW_IOAS] = SCN_KIND_IOAS,
				[A_NEW_HWPT] = SCN_KIND_HWPT,
				[A_NEW_NESTED] = SCN_KIND_NESTED,
				[A_NEW_DEVICE] = SCN_KIND_DEVICE,
			};

			if (declare(p, tok, kinds[as->kind], &idx))
				return -1;
			c->obj[nobj++] = last_obj = idx;
			break;
		}
		case A_OBJ:
		case A_DEV:
		case A_PT:
			if (lookup(p, tok, as->what, &idx))
				return -1;
			if (as->kind == A_DEV && p->scn->names[idx].kind != SCN_KIND_DEVICE)
				return perr(p, tok->col, "'%s' is %s, not a device",
					    tq(tok, buf, sizeof(buf)),
					    kind_word(p->scn->names[idx].kind));
			if (as->kind == A_PT && p->scn->names[idx].kind == SCN_KIND_DEVICE)
				return perr(p, tok->col, "'%s' is a device, not a HWPT or IOAS",
					    tq(tok, buf, sizeof(buf)));
			c->obj[nobj++] = last_obj = idx;
			break;
		case A_VEC_NEW:
		case A_VEC:
			if (vec_ref(p, tok, last_obj, as->kind == A_VEC_NEW, &idx))
				return -1;
			c->vec[nvec++] = idx;
			break;
		case A_NUM:
			if (number(p, tok, as->what, &c->num[nnum++]))
				return -1;
			break;
		case A_U32:
			if (number(p, tok, as->what, &c->num[nnum]))
				return -1;
			if (c->num[nnum++] > UINT_MAX)
				return perr(p, tok->col, "%s '%s' is too large", as->what,
					    tq(tok, buf, sizeof(buf)));
			break;
		case A_ERRNO: {
			int e = errno_of(tok);

			if (e) {
				c->num[nnum++] = (uint64_t) - (int64_t)e;
				break;
			}
			if (tok->len && tok->s[0] >= '0' && tok->s[0] <= '9') {
				if (number(p, tok, as->what, &c->num[nnum]))
					return -1;
				if (c->num[nnum] == 0 || c->num[nnum] > 4095)
					return perr(p, tok->col, "errno %s out of range 1..4095",
						    tq(tok, buf, sizeof(buf)));
				nnum++;
				break;
			}
			return perr(p, tok->col, "unknown error name '%s'",
				    tq(tok, buf, sizeof(buf)));
		}
		case A_PROT_RWM:
		case A_PROT_RW:
			if (prot(p, tok, as->kind == A_PROT_RWM, &c->prot))
				return -1;
			break;
		case A_NEST_FLAG:
			if (!scn_tok_is(tok, "nest_parent"))
				return perr(p, tok->col, "expected nest_parent, got '%s'",
					    tq(tok, buf, sizeof(buf)));
			c->flags |= SWMSI_HWPT_NEST_PARENT;
			break;
		case A_END:
		case A_DEV_ATTRS:
			break;
		}
		i++;
	}
	if (i < n)
		return perr(p, t[i].col, "unexpected argument '%s' (usage: %s)",
			    tq(&t[i], buf, sizeof(buf)), usage);
	return 0;
}

#define OPTION_WORDS "page_shift, max_msi_maps, reclaim, scheme or strict"

/* option scheme native|kernel|dma-iommu */
static int parse_scheme(struct parser *p, const struct scn_tok *w, struct scn_opts *o)
{
	char buf[48];

	if (swmsi_scheme_from_name(tq(w, buf, sizeof(buf)), &o->scheme) || w->len >= sizeof(buf))
		return perr(p, w->col, "unknown scheme '%s' (native, kernel or dma-iommu)", buf);
	return 0;
}

static int parse_option_value(struct parser *p, const struct scn_tok *t, struct scn_opts *o)
{
	char buf[48];
	uint64_t v;

	if (scn_tok_is(&t[1], "page_shift")) {
		if (number(p, &t[2], "page_shift", &v))
			return -1;
		if (v != 12 && v != 14 && v != 16)
			return perr(p, t[2].col, "page_shift must be 12, 14 or 16");
		o->page_shift = (unsigned int)v;
	} else if (scn_tok_is(&t[1], "max_msi_maps")) {
		if (number(p, &t[2], "max_msi_maps", &v))
			return -1;
		if (v > SWMSI_MAX_MSI_MAPS_LIMIT)
			return perr(p, t[2].col, "max_msi_maps must be at most %u (0: the default)",
				    SWMSI_MAX_MSI_MAPS_LIMIT);
		o->max_msi_maps = (unsigned int)v;
	} else if (scn_tok_is(&t[1], "reclaim")) {
		if (scn_tok_is(&t[2], "none"))
			o->reclaim_unused = false;
		else if (scn_tok_is(&t[2], "unused"))
			o->reclaim_unused = true;
		else
			return perr(p, t[2].col, "reclaim must be none or unused");
	} else if (scn_tok_is(&t[1], "scheme")) {
		return parse_scheme(p, &t[2], o);
	} else if (scn_tok_is(&t[1], "strict")) {
		return perr(p, t[2].col, "unexpected argument '%s' (option strict takes none)",
			    tq(&t[2], buf, sizeof(buf)));
	} else {
		return perr(p, t[1].col, "unknown option '%s' (" OPTION_WORDS ")",
			    tq(&t[1], buf, sizeof(buf)));
	}
	return 0;
}

static int parse_option(struct parser *p, const struct scn_tok *t, unsigned int n,
			unsigned int end_col)
{
	struct scn_opts *o = &p->scn->opts;
	char buf[48];

	if (p->started)
		return perr(p, t[0].col,
			    "option after the first command (line %u): options must come first",
			    p->started_line);
	if (n < 2)
		return perr(p, end_col, "missing option name (" OPTION_WORDS ")");
	if (n == 2 && scn_tok_is(&t[1], "strict")) {
		o->strict = true;
		return 0;
	}
	if (n < 3)
		return perr(p, end_col, "missing value for option '%s'",
			    tq(&t[1], buf, sizeof(buf)));
	if (n > 3)
		return perr(p, t[3].col, "unexpected argument '%s'", tq(&t[3], buf, sizeof(buf)));
	return parse_option_value(p, t, o);
}

/* The @n words joined by single spaces; the first @ncall are the call,
 * the rest its "=> ERR". */
static int join_text(struct scn_cmd *c, const struct scn_tok *t, unsigned int n, unsigned int ncall)
{
	size_t len = 0, off = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		len += t[i].len + 1;
	c->text = malloc(len + 1);
	if (!c->text)
		return -1;
	for (i = 0; i < n; i++) {
		if (i)
			c->text[off++] = ' ';
		if (i == ncall)
			c->call_len = off - 1;
		memcpy(c->text + off, t[i].s, t[i].len);
		off += t[i].len;
	}
	if (ncall >= n)
		c->call_len = off;
	c->text[off] = '\0';
	return 0;
}

static const struct cmd_spec *find_spec(const struct cmd_spec *specs, size_t n,
					const struct scn_tok *t)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (scn_tok_is(t, specs[i].word))
			return &specs[i];
	return NULL;
}

/*
 * "## text" is a comment to the language, and a heading the timeline prints
 * above the next command: scenarios (the demo first) explain themselves.
 * Returns true when @s is such a line.
 */
static bool heading_line(struct parser *p, const char *s, size_t len)
{
	size_t i = 0, old, n;
	char *h;

	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (len - i < 2 || s[i] != '#' || s[i + 1] != '#')
		return false;
	i += 2;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	n = len - i;
	old = p->heading ? strlen(p->heading) : 0;
	h = realloc(p->heading, old + n + 2);
	if (!h) {
		oom(p);
		return true;
	}
	if (old)
		h[old++] = '\n';
	/* Only printable ASCII goes to a terminal from a scenario. */
	for (size_t k = 0; k < n; k++)
		h[old + k] = s[i + k] >= ' ' && s[i + k] < 0x7f ? s[i + k] : '?';
	h[old + n] = '\0';
	p->heading = h;
	return true;
}

static int parse_line(struct parser *p, const char *s, size_t len)
{
	struct scn_tok t[SCN_MAX_TOKENS];
	const struct cmd_spec *cs;
	unsigned int n, end_col, nargs, i, first_arg = 1;
	struct scn_cmd c;
	bool is_expect = false;
	char buf[48];

	if (heading_line(p, s, len))
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
	/* "=> ERRNAME" ends a command. */
	for (i = 0; i < n; i++) {
		if (!scn_tok_is(&t[i], "=>"))
			continue;
		if (i == 0)
			return perr(p, t[i].col, "expected a command before '=>'");
		if (i + 1 >= n)
			return perr(p, end_col, "expected an error name after '=>'");
		if (i + 2 < n)
			return perr(p, t[i + 2].col, "unexpected '%s' after the error name",
				    tq(&t[i + 2], buf, sizeof(buf)));
		c.expect_err = errno_of(&t[i + 1]);
		if (!c.expect_err)
			return perr(p, t[i + 1].col, "unknown error name '%s'",
				    tq(&t[i + 1], buf, sizeof(buf)));
		c.expect_col = t[i].col;
		nargs = i;
		end_col = t[i].col;
		break;
	}

	if (scn_tok_is(&t[0], "expect")) {
		is_expect = true;
		if (nargs < 2)
			return perr(p, end_col, "missing what to expect (" EXPECT_WORDS ")");
		cs = find_spec(expects, ARRAY_SIZE(expects), &t[1]);
		if (!cs)
			return perr(p, t[1].col, "unknown expectation '%s' (" EXPECT_WORDS ")",
				    tq(&t[1], buf, sizeof(buf)));
		first_arg = 2;
	} else {
		cs = find_spec(commands, ARRAY_SIZE(commands), &t[0]);
		if (!cs)
			return perr(p, t[0].col, "unknown command '%s'",
				    tq(&t[0], buf, sizeof(buf)));
	}
	if (c.expect_err && (is_expect || cs->op == SCN_FAIL_MAP))
		return perr(p, c.expect_col, "'%s%s' cannot fail: it takes no '=> ERR'",
			    is_expect ? "expect " : "", cs->word);
	c.op = cs->op;
	/* Even when its arguments are wrong, it is a command: options must precede it. */
	if (!p->started) {
		p->started = true;
		p->started_line = p->line;
	}
	if (parse_args(p, cs, is_expect, &c, t + first_arg, nargs - first_arg, end_col))
		return -1;
	if (join_text(&c, t, n, nargs))
		return oom(p);
	if (sim_grow((void **)&p->scn->cmds, &p->scn->cap_cmds, p->scn->ncmds + 1,
		     sizeof(*p->scn->cmds), 16)) {
		free(c.text);
		return oom(p);
	}
	c.heading = p->heading;
	p->heading = NULL;
	p->scn->cmds[p->scn->ncmds++] = c;
	return 0;
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
	free(scn->cmds);
	free(scn->names);
	free(scn->vecs);
	free(scn->file);
	free(scn);
}
