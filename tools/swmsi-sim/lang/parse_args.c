/* SPDX-License-Identifier: MIT */
/*
 * Argument readers of the scenario parser: numbers, prot letters, error
 * names and the options; each diagnoses what it rejects (the device's
 * attributes and the range lists: parse_attrs.c).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <swmsi/swmsi.h>

#include "parse.h"

int parse_oom(struct parser *p)
{
	p->oom = true;
	scn_diag_set(p->d, p->line, 1, "out of memory");
	return -1;
}

int parse_err(struct parser *p, unsigned int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	scn_diag_vset(p->d, p->line, col, fmt, ap);
	va_end(ap);
	return -1;
}

/* Quote a token for a message, shortened so messages stay one line. */
const char *parse_quote(const struct scn_tok *t, char *buf, size_t len)
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

int parse_number(struct parser *p, const struct scn_tok *t, const char *what, uint64_t *v)
{
	const char *why;
	size_t off;
	char buf[48];

	if (scn_parse_u64(t->s, t->len, v, &off, &why))
		return parse_err(p, t->col + (unsigned int)off, "bad number '%s' for %s: %s",
				 parse_quote(t, buf, sizeof(buf)), what, why);
	return 0;
}

int parse_prot(struct parser *p, const struct scn_tok *t, bool allow_mmio, uint32_t *out)
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
			return parse_err(p, t->col + (unsigned int)i,
					 "bad prot letter '%c' (use %s)", t->s[i],
					 allow_mmio ? "r, w and m" : "r and w");
		if (v & bit)
			return parse_err(p, t->col + (unsigned int)i,
					 "prot letter '%c' given twice", t->s[i]);
		v |= bit;
	}
	*out = v;
	return 0;
}

/*
 * ERRNAME as swmsi_errname() prints it, in any case ("ebusy"): a negative
 * errno, or 0. swmsi_errno_from_name() itself stays exact, as documented.
 */
int parse_errno(const struct scn_tok *t)
{
	char buf[32];
	size_t i;
	int e;

	if (t->len == 0 || t->len >= sizeof(buf))
		return 0;
	for (i = 0; i < t->len; i++)
		buf[i] = (char)toupper((unsigned char)t->s[i]);
	buf[t->len] = '\0';
	e = swmsi_errno_from_name(buf);
	return e > 0 ? -e : e;
}

#define OPTION_WORDS "page_shift, max_msi_maps, reclaim, scheme or strict"

/* option scheme native|kernel|dma-iommu */
static int parse_scheme(struct parser *p, const struct scn_tok *w, struct scn_opts *o)
{
	char buf[48];

	if (swmsi_scheme_from_name(parse_quote(w, buf, sizeof(buf)), &o->scheme) ||
	    w->len >= sizeof(buf))
		return parse_err(p, w->col, "unknown scheme '%s' (native, kernel or dma-iommu)",
				 buf);
	return 0;
}

static int parse_option_value(struct parser *p, const struct scn_tok *t, struct scn_opts *o)
{
	char buf[48];
	uint64_t v;

	if (scn_tok_is(&t[1], "page_shift")) {
		if (parse_number(p, &t[2], "page_shift", &v))
			return -1;
		if (v != 12 && v != 14 && v != 16)
			return parse_err(p, t[2].col, "page_shift must be 12, 14 or 16");
		o->page_shift = (unsigned int)v;
	} else if (scn_tok_is(&t[1], "max_msi_maps")) {
		if (parse_number(p, &t[2], "max_msi_maps", &v))
			return -1;
		if (v > SWMSI_MAX_MSI_MAPS_LIMIT)
			return parse_err(p, t[2].col,
					 "max_msi_maps must be at most %u (0: the default)",
					 SWMSI_MAX_MSI_MAPS_LIMIT);
		o->max_msi_maps = (unsigned int)v;
	} else if (scn_tok_is(&t[1], "reclaim")) {
		if (scn_tok_is(&t[2], "none"))
			o->reclaim_unused = false;
		else if (scn_tok_is(&t[2], "unused"))
			o->reclaim_unused = true;
		else
			return parse_err(p, t[2].col, "reclaim must be none or unused");
	} else if (scn_tok_is(&t[1], "scheme")) {
		return parse_scheme(p, &t[2], o);
	} else if (scn_tok_is(&t[1], "strict")) {
		return parse_err(p, t[2].col, "unexpected argument '%s' (option strict takes none)",
				 parse_quote(&t[2], buf, sizeof(buf)));
	} else {
		return parse_err(p, t[1].col, "unknown option '%s' (" OPTION_WORDS ")",
				 parse_quote(&t[1], buf, sizeof(buf)));
	}
	return 0;
}

/* Where the option line @t set its option: a scheme that cannot take it
 * is reported there (scheme_caps.c). The last line wins, as its value does. */
static void option_at(const struct parser *p, const struct scn_tok *t, struct scn_opts *o)
{
	struct scn_where w = { p->line, t[0].col };

	if (scn_tok_is(&t[1], "max_msi_maps"))
		o->max_msi_maps_at = w;
	else if (scn_tok_is(&t[1], "reclaim"))
		o->reclaim_at = w;
	else if (scn_tok_is(&t[1], "scheme"))
		o->scheme_at = w;
}

int parse_option(struct parser *p, const struct scn_tok *t, unsigned int n, unsigned int end_col)
{
	struct scn_opts *o = &p->scn->opts;
	char buf[48];

	if (p->started)
		return parse_err(
			p, t[0].col,
			"option after the first command (line %u): options must come first",
			p->started_line);
	if (n < 2)
		return parse_err(p, end_col, "missing option name (" OPTION_WORDS ")");
	if (n == 2 && scn_tok_is(&t[1], "strict")) {
		o->strict = true;
		return 0;
	}
	if (n < 3)
		return parse_err(p, end_col, "missing value for option '%s'",
				 parse_quote(&t[1], buf, sizeof(buf)));
	if (n > 3)
		return parse_err(p, t[3].col, "unexpected argument '%s'",
				 parse_quote(&t[3], buf, sizeof(buf)));
	if (parse_option_value(p, t, o))
		return -1;
	option_at(p, t, o);
	return 0;
}

/* Letters, digits and '_': what names and vector labels are made of. */
static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* The first character of @t that cannot be in a name, or -1. */
long parse_bad_ident_char(const struct scn_tok *t)
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
bool parse_is_ident(const struct scn_tok *t)
{
	return t->len && parse_bad_ident_char(t) < 0;
}

bool parse_is_label(const struct scn_tok *t)
{
	size_t i;

	if (!t->len)
		return false;
	for (i = 0; i < t->len; i++)
		if (!is_name_char(t->s[i]))
			return false;
	return true;
}

/* The @n words joined by single spaces; the first @ncall are the call,
 * the rest its "=> ERR". */
int parse_join_text(struct scn_cmd *c, const struct scn_tok *t, unsigned int n, unsigned int ncall)
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

/*
 * "## text" is a comment to the language, and a heading the timeline prints
 * above the next command: scenarios (the demo first) explain themselves.
 * Returns true when @s is such a line.
 */
bool parse_heading_line(struct parser *p, const char *s, size_t len)
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
		parse_oom(p);
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
