/* SPDX-License-Identifier: MIT */
/*
 * swmsi-sim's scenario language (lang/): diagnostics, the lexer, the typed
 * scenario the parser builds, "did you mean" suggestions, and what each
 * sw_msi scheme takes of a scenario's options. The command table has its
 * own header (commands.h). The language knows nothing of how a scenario
 * runs: the engine sits above it.
 */
#ifndef SWMSI_SIM_LANG_H
#define SWMSI_SIM_LANG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <swmsi/swmsi.h>

#include "iopt.h"
#include "util.h"

/* ---------------------------------------------------------------------- */
/* Diagnostics                                                            */

/* A located message: FILE:LINE:COL: msg. */
struct scn_diag {
	unsigned int line; /* 1-based */
	unsigned int col;  /* 1-based, in bytes */
	char msg[256];
};

void scn_diag_set(struct scn_diag *d, unsigned int line, unsigned int col, const char *fmt, ...)
	SIM_PRINTF(4, 5);
/* The same with a va_list, for wrappers that add their own context. */
void scn_diag_vset(struct scn_diag *d, unsigned int line, unsigned int col, const char *fmt,
		   va_list ap) SIM_PRINTF(4, 0);

/* ---------------------------------------------------------------------- */
/* Lexer                                                                  */

#define SCN_MAX_TOKENS 16

struct scn_tok {
	const char *s; /* not NUL-terminated */
	size_t len;
	unsigned int col; /* 1-based */
};

/*
 * Split one line (without its newline) into words. '#' starts a comment,
 * "=>" is always a word of its own, spaces and tabs separate words.
 * @end_col is the column just past the last word (where a missing argument
 * is reported). Returns 0, or -1 with @d filled (line left 0).
 */
int scn_lex_line(const char *s, size_t len, struct scn_tok *toks, unsigned int *ntoks,
		 unsigned int *end_col, struct scn_diag *d);

/* Does @t spell @word exactly? */
bool scn_tok_is(const struct scn_tok *t, const char *word);

/*
 * Parse an address or size: decimal or 0x-hex, an optional K, M or G
 * suffix (binary multiples). Returns 0, or -1 with @bad_off the offset in
 * the token of the offending character and @why a reason.
 */
int scn_parse_u64(const char *s, size_t len, uint64_t *val, size_t *bad_off, const char **why);

/* ---------------------------------------------------------------------- */
/* Scenario                                                               */

enum scn_op {
	SCN_OPTION_PAGE_SHIFT,
	SCN_OPTION_MAX_MSI_MAPS,
	SCN_OPTION_RECLAIM,
	SCN_OPTION_SCHEME,
	SCN_OPTION_STRICT,
	SCN_WINDOW,
	SCN_DEV_WINDOW,
	SCN_DOORBELL,
	SCN_IOAS,
	SCN_MAP,
	SCN_UNMAP,
	SCN_HWPT,
	SCN_NESTED,
	SCN_S1MAP,
	SCN_DEVICE,
	SCN_ATTACH,
	SCN_REPLACE,
	SCN_DETACH,
	SCN_UNBIND,
	SCN_DESTROY,
	SCN_MSI,
	SCN_FREE,
	SCN_FIRE,
	SCN_FAIL_MAP,
	SCN_EXPECT_IOVA,
	SCN_EXPECT_SAME,
	SCN_EXPECT_DIFFER,
	SCN_EXPECT_SAME_PAGE,
	SCN_EXPECT_DIFFER_PAGE,
	SCN_EXPECT_MAPPED,
	SCN_EXPECT_UNMAPPED,
	SCN_EXPECT_UNTRANSLATED,
	SCN_EXPECT_FIRES,
	SCN_EXPECT_RANGES,
	/* the IOAS as upstream's io_pagetable (iopt.h) */
	SCN_MAP_USER,
	SCN_UNMAP_AREA,
	SCN_COPY,
	SCN_ALLOW,
	SCN_RESERVE,
	SCN_HUGE_PAGES,
	SCN_EXPECT_AREA_IOVA,
	SCN_EXPECT_ALIGNMENT,
	SCN_OP_COUNT
};

/* expect same|differ compare exact message addresses, same-page and
 * differ-page the IOVA pages (page_shift's) they fall in. */
static inline bool scn_op_is_pair(enum scn_op op)
{
	return op >= SCN_EXPECT_SAME && op <= SCN_EXPECT_DIFFER_PAGE;
}

static inline bool scn_pair_wants_same(enum scn_op op)
{
	return op == SCN_EXPECT_SAME || op == SCN_EXPECT_SAME_PAGE;
}

static inline bool scn_pair_by_page(enum scn_op op)
{
	return op == SCN_EXPECT_SAME_PAGE || op == SCN_EXPECT_DIFFER_PAGE;
}

/* What a declared name stands for. */
enum scn_kind {
	SCN_KIND_IOAS,
	SCN_KIND_HWPT,
	SCN_KIND_NESTED,
	SCN_KIND_DEVICE,
	SCN_KIND_AREA, /* a named area of an IOAS (map IOAS NAME ..., copy ... as NAME) */
};

struct scn_name {
	char *name;
	enum scn_kind kind;
	unsigned int line; /* declared at */
};

/* A vector label: scenario-side, per device name. */
struct scn_vec {
	unsigned int dev; /* index into scn.names */
	char *label;
};

/*
 * The typed arguments of a command, one struct per shape; which member a
 * command fills is its entry's in the command table (commands.h). Names
 * are indices into scn.names, vector labels into scn.vecs.
 */
struct scn_a_range { /* window, doorbell */
	uint64_t start, size;
};
struct scn_a_decl { /* ioas NAME; hwpt NAME IOAS [nest_parent]; nested NAME PARENT */
	unsigned int name;
	unsigned int parent; /* hwpt: the IOAS; nested: the parent HWPT */
	uint32_t flags;	     /* SWMSI_HWPT_* */
};
struct scn_a_map { /* map, unmap (paddr, prot unused), s1map (paddr is the IPA) */
	unsigned int obj;
	uint64_t iova, paddr, length;
	uint32_t prot; /* SWMSI_PROT_* */
};
struct scn_a_device { /* device NAME group=N [window=START:SIZE] [resv=...] */
	unsigned int name;
	uint32_t group;
	bool has_window;
	uint64_t win_start, win_size;
	unsigned int resv0, nresv; /* its regions: scn.resv[resv0 .. resv0 + nresv) */
};
struct scn_a_devwin { /* window DEV START SIZE */
	unsigned int dev;
	uint64_t start, size;
};
struct scn_a_ranges { /* expect ranges IOAS START-LAST[,START-LAST...] */
	unsigned int ioas;
	unsigned int first, n; /* scn.ranges[first .. first + n); n 0: none */
};
struct scn_a_obj { /* attach/replace DEV PT; detach, unbind DEV; destroy NAME */
	unsigned int obj;
	unsigned int pt;
};
struct scn_a_vec { /* msi DEV VEC ADDR; free, fire DEV VEC; expect iova/untranslated/fires */
	unsigned int dev, vec;
	uint64_t addr;
};
struct scn_a_pair { /* expect same|differ DEV VEC DEV VEC */
	unsigned int dev, vec, dev2, vec2;
};
struct scn_a_lookup { /* expect mapped PT IOVA PADDR; expect unmapped PT IOVA */
	unsigned int pt;
	uint64_t iova, paddr;
};
struct scn_a_fail { /* fail_map NTH ERRNO */
	unsigned int nth;
	int err; /* negative errno */
};

union scn_args {
	struct scn_a_range range;
	struct scn_a_decl decl;
	struct scn_a_map map;
	struct scn_a_device device;
	struct scn_a_devwin devwin;
	struct scn_a_ranges ranges;
	struct scn_a_obj obj;
	struct scn_a_vec vec;
	struct scn_a_pair pair;
	struct scn_a_lookup lookup;
	struct scn_a_fail fail;
	struct scn_a_area area;
	struct scn_a_ioasopt ioasopt;
};

struct scn_cmd {
	enum scn_op op;
	unsigned int line;
	unsigned int col;	 /* of the command word */
	char *text;		 /* the command, words joined by one space */
	size_t call_len;	 /* of text without its " => ERR" */
	char *heading;		 /* "## " comment lines just before it, or NULL */
	union scn_args a;	 /* its arguments, as its table entry says */
	int expect_err;		 /* 0: must succeed; else the negative errno */
	unsigned int expect_col; /* column of "=>" */
};

/* Where an option line is (line 0: no line set it). */
struct scn_where {
	unsigned int line, col;
};

struct scn_opts {
	unsigned int page_shift;   /* 12 unless an option says */
	unsigned int max_msi_maps; /* 0: the library's default */
	bool reclaim_unused;
	enum swmsi_scheme scheme; /* SWMSI_SCHEME_NATIVE unless an option says */
	bool strict;		  /* option strict: findings fail the run */
	/* The lines that set them, so that an option a scheme cannot take is
	 * reported where it was written (lang.h, scheme_caps.c). */
	struct scn_where max_msi_maps_at, reclaim_at, scheme_at;
};

/* API.md: max_msi_maps 0 means 64 (kernel parity). */
#define SIM_DEFAULT_MAX_MSI_MAPS 64u

/* The id space the context gets from @o, for display. */
static inline unsigned int scn_max_msi_maps(const struct scn_opts *o)
{
	return o->max_msi_maps ? o->max_msi_maps : SIM_DEFAULT_MAX_MSI_MAPS;
}

struct scn {
	char *file; /* for messages: a path, "<stdin>", "<demo>" */
	struct scn_opts opts;
	struct scn_cmd *cmds; /* options excluded: they live in opts */
	size_t ncmds, cap_cmds;
	struct scn_name *names;
	size_t nnames, cap_names;
	struct scn_vec *vecs;
	size_t nvecs, cap_vecs;
	/* every device line's regions, every expect ranges line's ranges */
	struct swmsi_resv_region *resv;
	size_t nresv, cap_resv;
	struct swmsi_iova_range *ranges;
	size_t nranges, cap_ranges;
	unsigned int lines; /* lines in the source */
};

/* How many parse errors the tool reports before it stops listing them. */
#define SCN_MAX_DIAGS 20

/*
 * Parse a scenario from @len bytes of @text (no NUL needed). @file names it
 * in messages. Every line is parsed, a line with an error is skipped and
 * the next one parsed, so that one run reports every error of a file.
 * Returns 0 with *@out allocated; -1 with the first @cap errors in @d, in
 * line order, *@nerr set to how many there were in all (may exceed @cap);
 * -2 when out of memory.
 */
int scn_parse_all(const char *text, size_t len, const char *file, struct scn **out,
		  struct scn_diag *d, size_t cap, size_t *nerr);
/* The same, stopping at the first error, which fills @d. */
int scn_parse(const char *text, size_t len, const char *file, struct scn **out, struct scn_diag *d);
void scn_free(struct scn *scn);

const char *scn_op_word(enum scn_op op);
bool scn_op_is_expect(enum scn_op op);
/* A name's kind in words: "an IOAS", "a HWPT", "a nested HWPT", "a device". */
const char *scn_kind_word(enum scn_kind k);
/* A region type as resv= spells it ("sw-msi"; "aperture", which no line
 * writes), or "?"; and back (0, or -1 for no type resv= takes). */
const char *scn_resv_word(enum swmsi_resv_type t);
int scn_resv_from_word(const char *s, size_t len, enum swmsi_resv_type *t);

#include "scheme_caps.h"

#endif /* SWMSI_SIM_LANG_H */
