/* SPDX-License-Identifier: MIT */
/* "Did you mean" and error names in any case (lang.h). */
#include <stdbool.h>
#include <string.h>

#include <swmsi/swmsi.h>

#include "commands.h"
#include "lang.h"
#include "suggest.h"

/* Error numbers whose names are looked through: Linux's are all below. */
#define MAX_ERRNO 200

/* The table's words: the first word of each ("expect" once), or, with
 * @expect, the second word of each expectation. */
static const char *const *table_words(bool expect, const char **w, size_t cap)
{
	size_t i, n = 0;

	if (!expect)
		w[n++] = "option";
	for (i = 0; i < cmd_count && n + 1 < cap; i++) {
		const char *word = cmd_table[i].word, *sp = strchr(word, ' ');

		if (expect && sp)
			w[n++] = sp + 1;
		else if (!expect && !sp)
			w[n++] = word;
	}
	if (!expect)
		w[n++] = "expect";
	w[n] = NULL;
	return w;
}

const char *sim_suggest_command(const char *w, size_t len)
{
	const char *words[64];

	return sim_nearest(w, len, table_words(false, words, 63));
}

const char *sim_suggest_expect(const char *w, size_t len)
{
	const char *words[64];

	return sim_nearest(w, len, table_words(true, words, 64));
}

const char *sim_suggest_errname(const char *w, size_t len)
{
	const char *words[MAX_ERRNO + 1];
	size_t n = 0;
	int e;

	for (e = 1; e < MAX_ERRNO; e++) {
		const char *name = swmsi_errname(-e);

		if (strcmp(name, "E?"))
			words[n++] = name;
	}
	words[n] = NULL;
	return sim_nearest(w, len, (const char *const *)words);
}
