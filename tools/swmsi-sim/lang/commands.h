/* SPDX-License-Identifier: MIT */
/*
 * The command table: one entry per command of the scenario language, in
 * the manner of iommufd's iommufd_ioctl_ops[]. Each entry gives the word,
 * the arguments (their kind, their name in the usage line and where in the
 * typed argument struct, union scn_args, each goes) and an optional parse
 * hook for the rest of the line. The parser, --help, the language
 * reference's check and the engine read it. What a command does is the
 * engine's: its run function sits in engine/op_table.c, indexed by the same
 * enum scn_op, as git's command table sits above its builtins, so that the
 * language knows nothing of the engine. Adding a command is an entry here
 * and its run function there.
 */
#ifndef SWMSI_SIM_COMMANDS_H
#define SWMSI_SIM_COMMANDS_H

#include <stddef.h>

#include "lang.h"

enum arg_kind {
	A_END = 0,
	A_NEW_IOAS, /* declares a name */
	A_NEW_HWPT,
	A_NEW_NESTED,
	A_NEW_DEVICE,
	A_OBJ,	     /* any declared name */
	A_DEV,	     /* a declared device (expect only) */
	A_PT,	     /* a declared HWPT, nested HWPT or IOAS (expect only) */
	A_IOAS,	     /* a declared IOAS (expect only) */
	A_AREA,	     /* a declared area (expect only) */
	A_VEC_NEW,   /* a vector label of the previous name, declared if new */
	A_VEC,	     /* a declared vector label of the previous name */
	A_NUM,	     /* address or size (uint64_t) */
	A_U32,	     /* a count (unsigned int) */
	A_ERRNO,     /* ENOMEM, or a positive number (int, stored negative) */
	A_PROT_RWM,  /* optional [r][w][m] (uint32_t) */
	A_PROT_RW,   /* optional [r][w] (uint32_t) */
	A_NEST_FLAG, /* optional nest_parent (uint32_t flags) */
	A_REST,	     /* the rest of the line, for the entry's parse hook */
};

struct arg_spec {
	enum arg_kind kind;
	const char *what; /* in usage lines and messages: "DEV", "IOVA" */
	size_t off;	  /* where it goes in union scn_args */
};

struct parser;
struct scn_tok;

/*
 * Parses the tokens left for an A_REST argument into @c->a. Returns 0, or
 * -1 with the parser's diagnostic set.
 */
typedef int (*cmd_parse_fn)(struct parser *p, struct scn_cmd *c, const struct scn_tok *t,
			    unsigned int n, unsigned int end_col);

#define CMD_MAX_ARGS 6

struct cmd_def {
	const char *word; /* "attach"; "expect iova" for an expectation */
	enum scn_op op;
	struct arg_spec args[CMD_MAX_ARGS];
	cmd_parse_fn parse; /* for A_REST, else NULL */
	const char *fn;	    /* the library function it calls, for docs/errors.md's causes */
	bool no_fail;	    /* takes no "=> ERR" (expectations, fail_map) */
	/* Can change what objects it does not name show (the window override
	 * every device's window, a guest's stage 1 the vectors of the groups
	 * on its HWPT): the engine snapshots and checks the whole state. */
	bool whole;
};

/* Every command, in the order --help and the reference list them. Two
 * entries of one word follow each other (the parser picks the form). */
extern const struct cmd_def cmd_table[];
extern const size_t cmd_count;

/* The entry of @op, or NULL for an option or an unknown op. */
const struct cmd_def *cmd_of(enum scn_op op);
/* The entry whose word is @word (@len bytes; "expect iova" two words
 * joined by one space), or NULL. Two entries may share a word when the
 * first takes a number first and the second a name (window START SIZE,
 * window DEV START SIZE): this returns the first, the parser picks. */
const struct cmd_def *cmd_find(const char *word, size_t len);
/* @def's usage line, "map IOAS IOVA PADDR LENGTH [r][w][m]", into @buf. */
const char *cmd_usage(const struct cmd_def *def, char *buf, size_t len);

#endif /* SWMSI_SIM_COMMANDS_H */
