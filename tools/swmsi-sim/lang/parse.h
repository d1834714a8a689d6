/* SPDX-License-Identifier: MIT */
/*
 * The parser's state and its argument readers, shared by the parser and
 * the command table's parse hooks.
 */
#ifndef SWMSI_SIM_PARSE_H
#define SWMSI_SIM_PARSE_H

#include "lang.h"

struct parser {
	struct scn *scn;
	struct scn_diag *d;
	unsigned int line;
	bool started;  /* a non-option command was seen */
	char *heading; /* "## " lines waiting for their command */
	unsigned int started_line;
	bool oom;
	struct name_index names; /* scn->names by name */
	struct name_index vecs;	 /* scn->vecs by (device, label) */
};

/* A diagnostic at @col of the current line. Returns -1. */
int parse_err(struct parser *p, unsigned int col, const char *fmt, ...) SIM_PRINTF(3, 4);
/* @t quoted for a message into @buf, shortened past 40 bytes. */
const char *parse_quote(const struct scn_tok *t, char *buf, size_t len);
/* An address or size into *@v. Returns 0, or -1 (diagnosed). */
int parse_number(struct parser *p, const struct scn_tok *t, const char *what, uint64_t *v);
/* Prot letters into *@out. Returns 0, or -1 (diagnosed). */
int parse_prot(struct parser *p, const struct scn_tok *t, bool allow_mmio, uint32_t *out);
/* ERRNAME as swmsi_errname() prints it: a negative errno, or 0. */
int parse_errno(const struct scn_tok *t);
/* device's hook: group=N [window=START:SIZE] [resv=TYPE@START:SIZE,...]
 * (parse_attrs.c). Returns 0, or -1 (diagnosed). */
int parse_device_attrs(struct parser *p, struct scn_cmd *c, const struct scn_tok *t, unsigned int n,
		       unsigned int end_col);
/* expect ranges' hook: START-LAST[,START-LAST...], or none (parse_attrs.c).
 * Returns 0, or -1 (diagnosed). */
int parse_ranges(struct parser *p, struct scn_cmd *c, const struct scn_tok *t, unsigned int n,
		 unsigned int end_col);

/* The commands on the IOAS as io_pagetable (parse_iopt.c): map IOAS NAME
 * ..., unmap IOAS NAME|all, copy, allow, huge_pages. Each returns 0, or -1
 * (diagnosed). */
int parse_map_user(struct parser *p, struct scn_cmd *c, const struct scn_tok *t, unsigned int n,
		   unsigned int end_col);
int parse_unmap_area(struct parser *p, struct scn_cmd *c, const struct scn_tok *t, unsigned int n,
		     unsigned int end_col);
int parse_copy(struct parser *p, struct scn_cmd *c, const struct scn_tok *t, unsigned int n,
	       unsigned int end_col);
int parse_allow(struct parser *p, struct scn_cmd *c, const struct scn_tok *t, unsigned int n,
		unsigned int end_col);
int parse_on_off(struct parser *p, struct scn_cmd *c, const struct scn_tok *t, unsigned int n,
		 unsigned int end_col);
/* A copy of @t, NUL-terminated, or NULL (parse_names.c). */
char *parse_tok_dup(const struct scn_tok *t);
/* A name declared on this line as @kind into *@idx (parse_names.c); a declared
 * name looked up (for messages, @what: "NAME"). Each returns 0, or -1
 * (diagnosed). */
int parse_declare(struct parser *p, const struct scn_tok *t, enum scn_kind kind, unsigned int *idx);
int parse_lookup(struct parser *p, const struct scn_tok *t, const char *what, unsigned int *idx);
/* The ranges of allow (any order; the library judges them) or of expect
 * ranges (disjoint, lowest first), into c->a.ranges (parse_attrs.c). */
int parse_range_list(struct parser *p, struct scn_cmd *c, const struct scn_tok *t, unsigned int n,
		     unsigned int end_col, bool ordered);

/* The first character of @t that cannot be in a name, or -1. */
long parse_bad_ident_char(const struct scn_tok *t);
/* A name: letters, digits and '_', not starting with a digit. */
bool parse_is_ident(const struct scn_tok *t);
/* A vector label: letters, digits and '_'. */
bool parse_is_label(const struct scn_tok *t);
/* @c->text: the @n words joined by single spaces, the first @ncall the
 * call (@c->call_len). Returns 0 or -1 (out of memory). */
int parse_join_text(struct scn_cmd *c, const struct scn_tok *t, unsigned int n, unsigned int ncall);
/* A "## " heading line kept for the next command. Returns true when @s is
 * one (p->oom set when it could not be kept). */
bool parse_heading_line(struct parser *p, const char *s, size_t len);
/* Out of memory: diagnosed, p->oom set. Returns -1. */
int parse_oom(struct parser *p);

/* An "option" line (@n words in @t). Returns 0, or -1 (diagnosed). */
int parse_option(struct parser *p, const struct scn_tok *t, unsigned int n, unsigned int end_col);

#endif /* SWMSI_SIM_PARSE_H */
