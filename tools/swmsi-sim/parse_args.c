/* SPDX-License-Identifier: MIT */
/*
 * Argument readers of the scenario parser: numbers, prot letters, error
 * names and the device's attributes; each diagnoses what it rejects.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <swmsi/swmsi.h>

#include "parse.h"

int perr(struct parser *p, unsigned int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	scn_diag_vset(p->d, p->line, col, fmt, ap);
	va_end(ap);
	return -1;
}

/* Quote a token for a message, shortened so messages stay one line. */
const char *tq(const struct scn_tok *t, char *buf, size_t len)
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

int number(struct parser *p, const struct scn_tok *t, const char *what, uint64_t *v)
{
	const char *why;
	size_t off;
	char buf[48];

	if (scn_parse_u64(t->s, t->len, v, &off, &why))
		return perr(p, t->col + (unsigned int)off, "bad number '%s' for %s: %s",
			    tq(t, buf, sizeof(buf)), what, why);
	return 0;
}

int prot(struct parser *p, const struct scn_tok *t, bool allow_mmio, uint32_t *out)
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
int errno_of(const struct scn_tok *t)
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

int parse_device_attrs(struct parser *p, struct scn_cmd *c, const struct scn_tok *t, unsigned int n,
		       unsigned int end_col)
{
	bool have_group = false;
	uint64_t group = 0;
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
			if (number(p, &v, "group", &group))
				return -1;
			if (group > UINT32_MAX)
				return perr(p, v.col, "group %s is larger than 32 bits",
					    tq(&v, buf, sizeof(buf)));
			have_group = true;
		} else if (klen == 6 && memcmp(a->s, "window", 6) == 0) {
			const char *colon = memchr(v.s, ':', v.len);
			struct scn_tok st, sz;

			if (c->a.device.has_window)
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
			if (number(p, &st, "window START", &c->a.device.win_start) ||
			    number(p, &sz, "window SIZE", &c->a.device.win_size))
				return -1;
			c->a.device.has_window = true;
		} else {
			return perr(p, a->col,
				    "unknown device attribute '%.*s' (use group= and window=)",
				    (int)(klen > 32 ? 32 : klen), a->s);
		}
	}
	if (!have_group)
		return perr(p, end_col, "missing group=N");
	c->a.device.group = (uint32_t)group;
	return 0;
}
