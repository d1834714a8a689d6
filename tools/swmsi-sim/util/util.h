/* SPDX-License-Identifier: MIT */
/*
 * swmsi-sim's bottom layer (util/): exit codes, the JSON writer, growable
 * arrays, hash indexes, formatting and reading a whole file. Nothing here
 * knows the scenario language, the library or the run: every other layer
 * may call it, it calls none of them.
 */
#ifndef SWMSI_SIM_UTIL_H
#define SWMSI_SIM_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#if defined(__GNUC__) || defined(__clang__)
#define SIM_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define SIM_PRINTF(fmt, args)
#endif

/* Exit codes of the tool (and results of sim_run()). */
enum sim_status {
	SIM_OK = 0,	/* every expectation and invariant held */
	SIM_FAILED = 1, /* a failed expectation or invariant */
	SIM_USAGE = 2,	/* usage, parse or I/O error */
};

/* ---------------------------------------------------------------------- */
/* JSON writer (a streaming emitter with proper string escaping)          */

struct sim_json {
	FILE *f;
	unsigned int depth;
	bool first[32]; /* no comma needed yet at this depth */
	bool after_key;
	bool error; /* nesting too deep or unbalanced */
};

void sj_init(struct sim_json *j, FILE *f);
void sj_obj_begin(struct sim_json *j);
void sj_obj_end(struct sim_json *j);
void sj_arr_begin(struct sim_json *j);
void sj_arr_end(struct sim_json *j);
void sj_key(struct sim_json *j, const char *key);
void sj_str(struct sim_json *j, const char *s);
void sj_strf(struct sim_json *j, const char *fmt, ...) SIM_PRINTF(2, 3);
void sj_u64(struct sim_json *j, uint64_t v);
void sj_i64(struct sim_json *j, int64_t v);
void sj_hex(struct sim_json *j, uint64_t v); /* "0x..." as a string */
void sj_bool(struct sim_json *j, bool v);
void sj_null(struct sim_json *j);
/* A key and its value, in one call. */
void sj_kstr(struct sim_json *j, const char *key, const char *s);
void sj_ku64(struct sim_json *j, const char *key, uint64_t v);
void sj_khex(struct sim_json *j, const char *key, uint64_t v);
void sj_kbool(struct sim_json *j, const char *key, bool v);
/* A value already written as JSON (another run's document), trailing
 * newlines dropped. */
void sj_raw(struct sim_json *j, const char *text, size_t len);
/* Writes @s as a JSON string literal (quotes included) to @f. */
void sj_write_string(FILE *f, const char *s);

/* ---------------------------------------------------------------------- */
/* Growable arrays                                                        */

/*
 * Make room for @need elements of @elem bytes in *@arr, which holds *@cap.
 * The capacity doubles, starting at @first (each caller keeps the first
 * size that suits what it stores), so appending one at a time is amortised
 * O(1). Returns 0, or -ENOMEM with *@arr and *@cap untouched.
 */
int sim_grow(void **arr, size_t *cap, size_t need, size_t elem, size_t first);

/* ---------------------------------------------------------------------- */
/* Hash indexes (key_index.c)                                             */

/* A map from (scope, string) to an index; the strings are the caller's. */
struct name_index {
	struct name_slot *slots; /* open addressing, linear probing */
	size_t cap, used;	 /* cap: a power of two, or 0 */
};

/* Where @s (@len bytes) in @scope is, or -1. */
long name_index_find(const struct name_index *x, uint32_t scope, const char *s, size_t len);
/* Record @s (NUL-terminated, kept by the caller while indexed) in @scope as
 * @idx. Returns 0 or -ENOMEM. */
int name_index_add(struct name_index *x, uint32_t scope, const char *s, uint32_t idx);
void name_index_free(struct name_index *x);

/* A map from a 64-bit key to a 32-bit value, with removal. */
struct key_index {
	struct key_slot *slots;
	size_t cap, used;
};

/* The value of @key, or -1. */
long key_index_find(const struct key_index *x, uint64_t key);
/* Set @key to @val (replacing). Returns 0 or -ENOMEM. */
int key_index_set(struct key_index *x, uint64_t key, uint32_t val);
/* Forget @key (nothing when absent). */
void key_index_del(struct key_index *x, uint64_t key);
void key_index_free(struct key_index *x);
/* Forget every key, keeping the table for the keys to come. */
void key_index_clear(struct key_index *x);

/* ---------------------------------------------------------------------- */
/* Formatting (fmt.c) and reading (readall.c)                             */

/* "4K", "1M", "3G" when exact, else "0x..." into @buf. */
const char *sim_fmt_size(char *buf, size_t len, uint64_t v);
/* "rwm"-style prot letters; "-" for none. */
const char *sim_fmt_prot(char *buf, size_t len, uint32_t prot);
/* An error's name, or "ok" for 0. */
const char *sim_errstr(int rc);

/*
 * Read @f to its end into a malloc'ed buffer (*@out, *@outlen bytes, not
 * NUL-terminated). Returns 0, -EFBIG past about @max bytes, -ENOMEM, or the
 * read error's negative errno (-EISDIR for a directory).
 */
int sim_read_all(FILE *f, size_t max, char **out, size_t *outlen);

/* ---------------------------------------------------------------------- */
/* The progress line on a terminal (progress.c)                           */

/* Draw the line @fmt says in place of the one drawn before. */
void sim_progress_line(FILE *f, const char *fmt, ...) SIM_PRINTF(2, 3);
/* Clear it: what comes next starts on a clean line. */
void sim_progress_clear(FILE *f);

#endif /* SWMSI_SIM_UTIL_H */
