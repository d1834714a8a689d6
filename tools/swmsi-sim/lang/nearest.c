/* SPDX-License-Identifier: MIT */
/*
 * The nearest word to a misspelt one (suggest.h): the edit distance, the
 * pick among a list of words, among the declared names, among the region
 * types. Apart from suggest.c, which reads the
 * command table, so that the table's parse hooks may suggest too (a
 * region type, a device attribute) without a cycle through it.
 */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "suggest.h"

#define MAX_WORD 32

unsigned int sim_edit_distance(const char *a, size_t la, const char *b)
{
	unsigned int row[MAX_WORD + 1], i, j, diag, up;
	size_t lb = strlen(b);

	if (la > MAX_WORD || lb > MAX_WORD)
		return MAX_WORD;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			unsigned int best = diag + (tolower((unsigned char)a[i - 1]) !=
						    tolower((unsigned char)b[j - 1]));

			up = row[j];
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

/* Is @word at distance @d a closer slip for a word of @len bytes than the
 * best so far (@best; 3 to begin: at most 2 edits, under half the word)? */
static bool closer(unsigned int d, unsigned int best, size_t len)
{
	return d < best && 2 * d < len;
}

const char *sim_nearest(const char *w, size_t len, const char *const *words)
{
	unsigned int best = 3, d;
	const char *pick = NULL;
	size_t i;

	for (i = 0; words[i]; i++) {
		d = sim_edit_distance(w, len, words[i]);
		if (closer(d, best, len)) {
			best = d;
			pick = words[i];
		}
	}
	return pick;
}

const char *sim_suggest_name(const char *w, size_t len, const struct scn_name *names, size_t n)
{
	unsigned int best = 3, d;
	const char *pick = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		size_t ln = strlen(names[i].name);

		/* the distance is at least the difference in length: skip the
		 * far ones cheaply, a scenario may declare very many names */
		if (ln + 2 < len || len + 2 < ln)
			continue;
		d = sim_edit_distance(w, len, names[i].name);
		if (closer(d, best, len)) {
			best = d;
			pick = names[i].name;
		}
	}
	return pick;
}

const char *sim_suggest_resv_type(const char *w, size_t len)
{
	static const char *const words[] = { "direct", "relaxable", "reserved",
					     "msi",    "sw-msi",    NULL };

	return sim_nearest(w, len, words);
}
