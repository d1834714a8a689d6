/* SPDX-License-Identifier: MIT */
/* A small streaming JSON emitter with proper string escaping. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

/* ---------------------------------------------------------------------- */
/* JSON                                                                   */

void sj_init(struct sim_json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->first[0] = true;
}

/* Length of a valid UTF-8 sequence at @s, or 0. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	n = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	cp = s[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* No overlong forms, no surrogates, nothing past U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void sj_write_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', f);
	while (*s) {
		size_t n;

		switch (*s) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		default:
			if (*s < 0x20 || *s == 0x7f) {
				fprintf(f, "\\u%04x", *s);
			} else if (*s < 0x80) {
				fputc(*s, f);
			} else {
				/* Pass valid UTF-8 through; a stray byte becomes U+FFFD. */
				n = utf8_len(s);
				if (!n) {
					fputs("\\ufffd", f);
				} else {
					fwrite(s, 1, n, f);
					s += n - 1;
				}
			}
			break;
		}
		s++;
	}
	fputc('"', f);
}

static void sj_sep(struct sim_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = false;
}

static void sj_open(struct sim_json *j, char c)
{
	sj_sep(j);
	fputc(c, j->f);
	if (j->depth + 1 >= sizeof(j->first) / sizeof(j->first[0])) {
		j->error = true;
		return;
	}
	j->first[++j->depth] = true;
}

static void sj_close(struct sim_json *j, char c)
{
	if (!j->depth)
		j->error = true;
	else
		j->depth--;
	fputc(c, j->f);
}

void sj_obj_begin(struct sim_json *j)
{
	sj_open(j, '{');
}
void sj_obj_end(struct sim_json *j)
{
	sj_close(j, '}');
}
void sj_arr_begin(struct sim_json *j)
{
	sj_open(j, '[');
}
void sj_arr_end(struct sim_json *j)
{
	sj_close(j, ']');
}

void sj_key(struct sim_json *j, const char *key)
{
	sj_sep(j);
	sj_write_string(j->f, key);
	fputc(':', j->f);
	j->after_key = true;
}

void sj_str(struct sim_json *j, const char *s)
{
	sj_sep(j);
	sj_write_string(j->f, s ? s : "");
}

void sj_strf(struct sim_json *j, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	sj_str(j, buf);
}

void sj_u64(struct sim_json *j, uint64_t v)
{
	sj_sep(j);
	fprintf(j->f, "%" PRIu64, v);
}

void sj_i64(struct sim_json *j, int64_t v)
{
	sj_sep(j);
	fprintf(j->f, "%" PRId64, v);
}

/* 64-bit addresses do not fit a JSON number exactly in most readers. */
void sj_hex(struct sim_json *j, uint64_t v)
{
	sj_strf(j, "0x%" PRIx64, v);
}

void sj_bool(struct sim_json *j, bool v)
{
	sj_sep(j);
	fputs(v ? "true" : "false", j->f);
}

void sj_raw(struct sim_json *j, const char *text, size_t len)
{
	while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
		len--;
	sj_sep(j);
	fwrite(text, 1, len, j->f);
}

void sj_null(struct sim_json *j)
{
	sj_sep(j);
	fputs("null", j->f);
}

void sj_kstr(struct sim_json *j, const char *key, const char *s)
{
	sj_key(j, key);
	sj_str(j, s);
}

void sj_ku64(struct sim_json *j, const char *key, uint64_t v)
{
	sj_key(j, key);
	sj_u64(j, v);
}

void sj_khex(struct sim_json *j, const char *key, uint64_t v)
{
	sj_key(j, key);
	sj_hex(j, v);
}

void sj_kbool(struct sim_json *j, const char *key, bool v)
{
	sj_key(j, key);
	sj_bool(j, v);
}
