/* SPDX-License-Identifier: MIT */
/*
 * The scenario lexer: one line into words, and numbers with K/M/G suffixes.
 * Columns are 1-based byte offsets, as editors and compilers report them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lang.h"

void scn_diag_vset(struct scn_diag *d, unsigned int line, unsigned int col, const char *fmt,
		   va_list ap)
{
	d->line = line;
	d->col = col;
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
}

void scn_diag_set(struct scn_diag *d, unsigned int line, unsigned int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	scn_diag_vset(d, line, col, fmt, ap);
	va_end(ap);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Printable ASCII only: scenarios are plain text, and a stray byte (a NUL,
 * an escape, UTF-8) is more likely a mistake than a name. */
static bool is_word_char(char c)
{
	return c > ' ' && c < 0x7f && c != '#';
}

static bool starts_arrow(const char *s, size_t len, size_t i)
{
	return i + 1 < len && s[i] == '=' && s[i + 1] == '>';
}

int scn_lex_line(const char *s, size_t len, struct scn_tok *toks, unsigned int *ntoks,
		 unsigned int *end_col, struct scn_diag *d)
{
	unsigned int n = 0;
	size_t i = 0;

	*end_col = 1;
	while (i < len) {
		size_t start;

		if (is_space(s[i])) {
			i++;
			continue;
		}
		if (s[i] == '#')
			break;
		if (!is_word_char(s[i])) {
			scn_diag_set(d, 0, (unsigned int)i + 1, "unexpected character 0x%02x",
				     (unsigned char)s[i]);
			return -1;
		}
		if (n == SCN_MAX_TOKENS) {
			scn_diag_set(d, 0, (unsigned int)i + 1,
				     "too many words on one line (at most %d)", SCN_MAX_TOKENS);
			return -1;
		}
		start = i;
		if (starts_arrow(s, len, i)) {
			i += 2;
		} else {
			/* "group=1" is one word; only "=>" splits one. */
			while (i < len && is_word_char(s[i]) && !starts_arrow(s, len, i))
				i++;
		}
		toks[n].s = s + start;
		toks[n].len = i - start;
		toks[n].col = (unsigned int)start + 1;
		n++;
		*end_col = (unsigned int)i + 1;
	}
	*ntoks = n;
	return 0;
}

bool scn_tok_is(const struct scn_tok *t, const char *word)
{
	size_t wl = strlen(word);

	return t->len == wl && memcmp(t->s, word, wl) == 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The size suffix at s[i] (K, M or G, any case, the last character): its
 * shift, applied to *v; -1 with *bad_off and *why set otherwise. */
static int apply_suffix(const char *s, size_t i, size_t len, uint64_t *v, size_t *bad_off,
			const char **why)
{
	unsigned int shift;

	switch (s[i]) {
	case 'K':
	case 'k':
		shift = 10;
		break;
	case 'M':
	case 'm':
		shift = 20;
		break;
	case 'G':
	case 'g':
		shift = 30;
		break;
	default:
		*bad_off = i;
		*why = "unexpected character in number";
		return -1;
	}
	if (i + 1 < len) {
		*bad_off = i + 1;
		*why = "unexpected character after size suffix";
		return -1;
	}
	if (*v > (UINT64_MAX >> shift)) {
		*bad_off = 0;
		*why = "number too large for 64 bits";
		return -1;
	}
	*v <<= shift;
	return 0;
}

int scn_parse_u64(const char *s, size_t len, uint64_t *val, size_t *bad_off, const char **why)
{
	unsigned int base = 10;
	uint64_t v = 0;
	size_t i = 0, digits_at;

	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	digits_at = i;
	for (; i < len; i++) {
		int dv = base == 16 ? hex_digit(s[i])
				    : (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);

		if (dv < 0)
			break;
		if (v > (UINT64_MAX - (uint64_t)dv) / base) {
			*bad_off = 0;
			*why = "number too large for 64 bits";
			return -1;
		}
		v = v * base + (uint64_t)dv;
	}
	if (i == digits_at) {
		*bad_off = i < len ? i : (len ? len - 1 : 0);
		*why = base == 16 ? "expected hex digits after 0x" : "expected a number";
		return -1;
	}
	if (i < len && apply_suffix(s, i, len, &v, bad_off, why))
		return -1;
	*val = v;
	return 0;
}
