/* SPDX-License-Identifier: MIT */
/*
 * Suggestions (suggest.c; nearest.c the ones that do not read the command
 * table): the nearest word to a misspelt one, for the
 * parser's errors and the command line's (--only). Part of the language
 * layer; lang.h has the names it refers to.
 */
#ifndef SWMSI_SIM_SUGGEST_H
#define SWMSI_SIM_SUGGEST_H

#include <stddef.h>

#include "lang.h"

/* The edit distance (Levenshtein, case ignored) of @a (@la bytes) and @b;
 * saturates at 32 (longer words are never close). */
unsigned int sim_edit_distance(const char *a, size_t la, const char *b);

/* The nearest of @words (NULL-terminated) to @w (@len bytes), close enough
 * to be a slip (at most 2 edits, and fewer than half its length), or NULL. */
const char *sim_nearest(const char *w, size_t len, const char *const *words);

/* The name among the @n declared @names nearest to @w (@len bytes), by
 * sim_nearest()'s rule, or NULL. */
const char *sim_suggest_name(const char *w, size_t len, const struct scn_name *names, size_t n);

/* The command word (first word of the table's, "option" included) nearest
 * to @w, or NULL. */
const char *sim_suggest_command(const char *w, size_t len);
/* The expectation ("iova", "same-page", ...) nearest to @w, or NULL. */
const char *sim_suggest_expect(const char *w, size_t len);
/* The error name (as swmsi_errname() prints them) nearest to @w, or NULL. */
const char *sim_suggest_errname(const char *w, size_t len);
/* The region type resv= takes ("direct", ..., "sw-msi") nearest to @w, or NULL. */
const char *sim_suggest_resv_type(const char *w, size_t len);

#endif /* SWMSI_SIM_SUGGEST_H */
