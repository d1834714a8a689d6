/* SPDX-License-Identifier: MIT */
/*
 * swmsi-sim internals: the scenario language (lexer, parser), the runner
 * that plays a scenario against libswmsi and the mock IOMMU, the invariant
 * checker, the JSON/DOT writers and the random scenario generator.
 *
 * Everything here is private to the tool (and to its fuzzer and tests); the
 * library is reached only through <swmsi/swmsi.h> and <swmsi/mock_iommu.h>.
 */
#ifndef SWMSI_SIM_H
#define SWMSI_SIM_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <swmsi/swmsi.h>

#include "rec_facts.h"

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
struct scn_a_device { /* device NAME group=N [window=START:SIZE] */
	unsigned int name;
	uint32_t group;
	bool has_window;
	uint64_t win_start, win_size;
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
	struct scn_a_obj obj;
	struct scn_a_vec vec;
	struct scn_a_pair pair;
	struct scn_a_lookup lookup;
	struct scn_a_fail fail;
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
	 * reported where it was written (scheme_caps.h). */
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

/* ---------------------------------------------------------------------- */
/* Runner                                                                 */

struct sim_json;
struct sim_step_rec;
struct sim_dot_only;

struct sim_opts {
	FILE *out; /* the timeline; NULL: none */
	FILE *err; /* diagnostics; NULL: none */
	bool keep_going;
	bool trace;	       /* print the mock's journal per step */
	bool color;	       /* ANSI colours on out */
	bool color_err;	       /* ANSI colours on err */
	bool progress;	       /* progress bar on err */
	const char *note;      /* appended to the timeline's header line, or NULL */
	const char *json_path; /* NULL: none; "-": standard output */
	FILE *json_file;       /* instead of json_path: an open stream, left open */
	const char *dot_path;  /* NULL: none; "-": standard output */
	const char *svg_path;  /* NULL: none; "-": standard output */
	/* --only (dot_only.h): what --dot and --svg draw; NULL: everything */
	const struct sim_dot_only *only;
	/*
	 * Bounds for untrusted input (the fuzzer): a map or s1map longer
	 * than this is skipped, since the mock builds real page tables for it
	 * (0: no bound); at most this many commands run (0: all).
	 */
	uint64_t max_map_bytes;
	size_t max_steps;
	/* Called after every step with what it did (NULL: not called). */
	void (*on_step)(void *priv, const struct sim_step_rec *rec);
	void *on_step_priv;
	bool has_scheme; /* scheme overrides the file's option scheme */
	enum swmsi_scheme scheme;
	bool strict; /* broken invariants fail the run under every scheme */
	/* Snapshot and check the whole state every step, not only what the
	 * step touched (the whole state is checked at the end either way). */
	bool full_check;
	/* The mock's journal capacity (0: MOCK_IOMMU_JOURNAL_DEFAULT_CAP); a
	 * small one makes steps lose journal entries (tests of the fallback). */
	size_t journal_cap;
};

/* What one step did, handed to sim_opts.on_step (--compare). */
struct sim_step_rec {
	size_t index; /* into scn->cmds */
	bool skipped;
	bool failed;	   /* the line's expectation did not hold */
	int rc;		   /* what the library answered */
	char result[160];  /* "ok  msg 0x8000040 (map 0, slot 0)", "ENOSPC", "LOST (EFAULT...)" */
	size_t violations; /* invariants broken after it, failing */
	size_t findings;   /* invariants broken after it, reported */
	char finding_names[160];    /* their names, each once */
	size_t nfates;		    /* vectors whose write is lost or misrouted after it */
	char fates[400];	    /* them: "nic q0 LOST, gpu v1 MISROUTED -> 0x8091040" */
	struct sim_rec_facts facts; /* the same typed, for the JSON */
};

struct sim_result {
	size_t steps;		  /* commands run */
	size_t failed_expects;	  /* expectations that did not hold */
	size_t failed_invariants; /* invariant violations */
	size_t skipped;		  /* bounded out by max_map_bytes */
	size_t findings;	  /* broken invariants reported, not failed */
	int ctx_err;		  /* the context could not be made: why (a negative errno) */
};

/* Play @scn. Returns an enum sim_status. */
int sim_run(const struct scn *scn, const struct sim_opts *opts, struct sim_result *res);

/* How many schemes there are (enum swmsi_scheme 0 .. SIM_SCHEMES - 1). */
#define SIM_SCHEMES 3

/*
 * --compare: play @scn once under each of the @n @schemes and print one
 * side-by-side timeline on opts->out. The file's own expectations are
 * judged under its own scheme (opts->scheme ignored), which decides the
 * result and fills @res; --json carries every scheme's run, --dot/--svg
 * draw the judged run's final state. Each scheme runs with the file's
 * options as far as it takes them (scheme_caps.h); without keep_going every
 * run stops where the judged one stops. Returns an enum sim_status:
 * SIM_USAGE when a scheme could not run at all.
 */
int sim_compare(const struct scn *scn, const struct sim_opts *opts,
		const enum swmsi_scheme *schemes, size_t n, struct sim_result *res);

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
/* Helpers shared by the outputs                                          */

/* "4K", "1M", "3G" when exact, else "0x..." into @buf. */
const char *sim_fmt_size(char *buf, size_t len, uint64_t v);
/* "rwm"-style prot letters; "-" for none. */
const char *sim_fmt_prot(char *buf, size_t len, uint32_t prot);
/* An error's name, or "ok" for 0. */
const char *sim_errstr(int rc);

/*
 * Can each of the @n output paths (NULL: none; "-": standard output) be
 * written? Checked without creating anything: a file that exists must be
 * writable and not a directory, else its directory must be. Says which
 * cannot and why on @err ("swmsi-sim: cannot write PATH: REASON", as the
 * run says it when opening), so that every output is known good before the
 * first run. Returns 0, or -1 when one cannot be written.
 */
int sim_check_outputs(const char *const *paths, size_t n, FILE *err);

/*
 * Read @f to its end into a malloc'ed buffer (*@out, *@outlen bytes, not
 * NUL-terminated). Returns 0, -EFBIG past about @max bytes, -ENOMEM, or the
 * read error's negative errno (-EISDIR for a directory).
 */
int sim_read_all(FILE *f, size_t max, char **out, size_t *outlen);

/* Is `dot` (Graphviz) on PATH? */
bool sim_have_dot(void);
/* Render @dot_text to @svg_path ("-": standard output) with `dot -Tsvg`.
 * Returns 0 or -1. */
int sim_render_svg(const char *dot_text, size_t len, const char *svg_path, FILE *err);

/* ---------------------------------------------------------------------- */
/* The built-in demo and the random generator                             */

extern const char sim_demo_scenario[];

/*
 * Generate a random valid scenario of @steps commands from @seed for
 * @scheme: it uses only options the scheme supports (and says "option
 * scheme" when not NATIVE), every command carries the outcome a model of
 * that scheme predicts (=> ERR or none) and expectations are drawn from the
 * same model. Returns a malloc'ed NUL-terminated text, or NULL when out of
 * memory.
 */
char *sim_generate(uint64_t seed, unsigned int steps, enum swmsi_scheme scheme);

#endif /* SWMSI_SIM_H */
