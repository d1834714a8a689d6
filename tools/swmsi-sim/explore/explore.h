/* SPDX-License-Identifier: MIT */
/*
 * swmsi-sim --explore: a bounded model checker over the real library. From
 * the state a scenario file leaves, every sequence of up to DEPTH further
 * operations (attach, replace, detach, msi, free; each also with the next
 * backend map failing under --faults) is run, breadth first, on the library
 * and its mock; after every step the simulator's invariants are checked,
 * and a failed step must change nothing observable. States reached by
 * different paths count once (a 128-bit fingerprint of the canonical
 * state). The first violation, at the smallest depth, is written as a
 * runnable scenario. See docs/explore.md.
 *
 * Files: explore.c (the search, levels, merge, report), explore_alpha.c
 * (the universe and the letters of a state), explore_work.c (a worker:
 * replay, checked step, expansion of a slice), explore_fp.c (the canonical
 * state's fingerprint), explore_set.c (the visited set), explore_out.c
 * (counterexample, its replay, JSON, progress), explore_snap.c (the
 * whole-state snapshot into a worker's reused memory).
 */
#ifndef SWMSI_SIM_EXPLORE_H
#define SWMSI_SIM_EXPLORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdatomic.h>
#include <stdio.h>

#include "engine.h"

/* What the command line asks of the explorer. */
struct explore_opts {
	unsigned int depth;	  /* >= 1 */
	bool faults;		  /* each operation also with the next map failing */
	unsigned int vectors;	  /* live vectors a device may hold per doorbell (>= 1) */
	unsigned int jobs;	  /* worker threads (>= 1) */
	uint64_t max_states;	  /* stop when this many distinct states are known */
	const char *cex_path;	  /* the counterexample: NULL or "-" standard output */
	const char *json_path;	  /* the summary as JSON: NULL none, "-" standard output */
	bool has_scheme;	  /* --scheme given */
	enum swmsi_scheme scheme; /* its value */
	bool progress;		  /* a progress line on stderr */
	const char *command_line; /* for the counterexample's header, or NULL */
	const char *text;	  /* the file's text (the counterexample starts with it) */
	size_t len;
};

/* The default of --max-states: about 200 MiB of fingerprints and nodes. */
#define EXPLORE_DEFAULT_MAX_STATES 4000000u

/* explore_cli.c: the command line's side */
/* The defaults: one vector, a job per CPU, EXPLORE_DEFAULT_MAX_STATES. */
void explore_opts_default(struct explore_opts *ex);
/* @argc/@argv as the counterexample's "found by" line, into @buf; before
 * getopt_long moves the operands after the options. */
void explore_command_line(int argc, char **argv, char *buf, size_t size);
/* Run sim_explore() on @scn, parsed from @text, with @command_line as the
 * counterexample's "found by" and the progress line on a terminal.
 * Returns the exit status. */
int explore_main(struct explore_opts *ex, const char *command_line, struct scn *scn,
		 const char *text, size_t len);

/*
 * Explore from the state @scn (parsed from opts->text) leaves. @scn gains
 * the explorer's vector labels. Returns SIM_OK (no violation), SIM_FAILED
 * (a violation, the counterexample written) or SIM_USAGE (a universe it
 * cannot explore: no device; an output that cannot be written; no memory).
 */
int sim_explore(struct scn *scn, const struct explore_opts *opts);

/* ---------------------------------------------------------------------- */
/* Internals shared by the explore*.c files                               */

/* One operation of the alphabet. */
enum xop {
	X_ATTACH,
	X_REPLACE,
	X_DETACH,
	X_MSI,
	X_FREE,
	X_WINDOW, /* a device's own window, as a window DEV line of the file sets it */
};

/* A step: an operation with its operands, as indices into the universe. */
struct xstep {
	uint8_t op;    /* enum xop */
	uint8_t dev;   /* universe device */
	uint8_t arg;   /* attach, replace: the PT; msi: the doorbell address; window: wins[] */
	uint8_t fault; /* armed fail_map 1 ENOMEM before it */
	uint16_t vec;  /* msi, free: the scenario vector label (scn.vecs) */
};

/* A 128-bit fingerprint of a canonical state. */
struct xfp {
	uint64_t a, b;
};

/* What the explorer explores over, fixed for the run. */
struct xuniverse {
	struct scn *scn;	/* the file, with the explorer's labels added */
	size_t nsetup;		/* its commands (run first) */
	unsigned int devs[255]; /* scenario names of the devices */
	size_t ndevs;
	unsigned int pts[255]; /* of the HWPTs, nested HWPTs and IOASes */
	size_t npts;
	uint64_t addrs[255]; /* doorbell addresses */
	size_t naddrs;
	/* the device windows the file's window DEV lines set, each once */
	struct xwin {
		uint8_t dev; /* universe device */
		uint64_t start, size;
	} wins[255];
	size_t nwins;
	unsigned int *labels; /* [dev * depth + k]: the k-th msi's label on dev */
	unsigned int depth, vectors;
	bool faults;
	enum swmsi_scheme scheme;
};

struct sim;
struct snapshot;

/* explore_alpha.c */
/*
 * Fill @u from @scn and @o: devices, targets, doorbell addresses, and the
 * explorer's labels added to @scn. Returns 0, -ENOMEM, or -EINVAL with a
 * reason in @why (no device; more than 255 of a kind).
 */
int xu_init(struct xuniverse *u, struct scn *scn, const struct explore_opts *o, const char **why);
void xu_free(struct xuniverse *u);
/*
 * The letters of the state @s holds after @path (@n steps), in alphabet
 * order, into @out (room for xu_max_letters()). Returns how many.
 */
size_t xu_letters(const struct xuniverse *u, const struct sim *s, const struct xstep *path,
		  size_t n, struct xstep *out);
size_t xu_max_letters(const struct xuniverse *u);
/* Step @x as a scenario command (its text unset). */
void xu_cmd(const struct xuniverse *u, const struct xstep *x, struct scn_cmd *c);
/* Its text, "msi nic x0 0x8000040", without fail_map or "=> ERR", into @buf. */
const char *xu_text(const struct xuniverse *u, const struct xstep *x, char *buf, size_t len);

/* explore_fp.c */
/* The fingerprint of the whole state @sn of @s, names for ids. */
struct xfp xfp_of(const struct sim *s, const struct snapshot *sn);

/* explore_snap.c: the whole state into a worker's reused memory */
struct xblock;
/* Grow-only blocks, reset by each take (zero-initialised: empty). */
struct xarena {
	struct xblock *head, *cur;
};
/*
 * snapshot_take() of @s's context and mock into @sn, its lists in @a
 * (what @a held before is reused: an earlier snapshot from @a is gone).
 * Never snapshot_free() it. Returns 0 (@sn empty and not valid before
 * the context exists), -ENOMEM, or the introspection call's error.
 */
int xsnap_take(struct xarena *a, const struct sim *s, struct snapshot *sn);
void xarena_free(struct xarena *a);

/* explore_set.c: fingerprints, open addressing */
struct xset {
	struct xfp *slot;
	size_t cap, used;
};
/* Is @f in @x? */
bool xset_has(const struct xset *x, struct xfp f);
/* Add @f: 1 when new, 0 when known, -ENOMEM. */
int xset_add(struct xset *x, struct xfp f);
void xset_free(struct xset *x);

/* explore_work.c */
/* A state of the search: how it was reached (its parent one level up). */
struct xnode {
	uint32_t parent; /* index in the level above */
	int16_t err;	 /* what the step answered (negative errno, 0) */
	struct xstep step;
	struct xfp fp;
};

/* What a worker found: a transition to a new state, or a violation. */
struct xtrans {
	struct xnode node;
	bool violation;
	char inv[48]; /* the invariant broken */
	char msg[512];
};

/* Every level's nodes: level 0 holds the start. */
#define EXPLORE_MAX_DEPTH 64
struct xlevels {
	struct xnode *nodes[EXPLORE_MAX_DEPTH + 1];
	size_t n[EXPLORE_MAX_DEPTH + 1];
	size_t cap[EXPLORE_MAX_DEPTH + 1];
};

struct explore_progress;

/* A chunk of a level's parents, expanded by one worker, and what it found. */
struct xwork {
	const struct xuniverse *u;
	const struct xlevels *lv; /* the levels so far (read only) */
	const struct xset *seen;  /* every state known before this level (read only) */
	size_t level;		  /* of the parents */
	size_t first, last;	  /* the parents [first, last) of that level */
	struct xnode *out;	  /* new states, in parent order, then alphabet order */
	size_t nout, cap_out;
	uint64_t transitions; /* run (a fault variant whose fault did not fire is none) */
	bool stopped;	      /* at a violation, after every node of out */
	struct xtrans viol;   /* that violation */
	int err;	      /* -ENOMEM, or a session that cannot be made */
	struct explore_progress *prog;
	unsigned int id;
};

/*
 * A worker: a session and the states it emitted in a level (a repeat of
 * one is left out of its later chunks), for the chunks of level @level it
 * takes, in increasing order. @seen: every state known before the level.
 * Returns 0, -ENOMEM, or a session that cannot be made (*@out to close
 * whatever the result).
 */
struct xworker;
int xworker_open(const struct xuniverse *u, const struct xset *seen, size_t level,
		 struct xworker **out);
void xworker_close(struct xworker *k);
/* Expand chunk @w's parents with @k. Returns 0 or a negative errno (also in w->err). */
int xwork_run(struct xworker *k, struct xwork *w);
/*
 * Replay the file and @path in a fresh session and fingerprint the state
 * (depth 0: the start). Fills @fp; on a broken invariant fills @t and
 * returns 1. Returns 0, or a negative errno.
 */
int xwork_root(const struct xuniverse *u, struct xfp *fp, struct xtrans *t);
/* The path to node @idx of level @level: the nodes of levels 1 .. @level
 * on the way, into @path (room for @level). */
void xlevels_path(const struct xlevels *lv, size_t level, size_t idx, struct xnode *path);

/* explore_out.c */
/* The progress line, shared by the workers. */
struct explore_progress {
	bool on;
	double start;
	size_t depth;
	uint64_t states, frontier;
	_Atomic uint64_t done[64]; /* transitions per worker */
	double last;
};
double explore_now(void);
/* Worker @id ran another transition; the line is redrawn now and then. */
void explore_tick(struct explore_progress *p, unsigned int id);
/* The line afresh (@final: erased). */
void explore_progress_draw(struct explore_progress *p, bool final);

/* The result, as explore.c found it. */
struct explore_result {
	uint64_t states, transitions;
	size_t depth_done; /* fully explored */
	bool complete;	   /* the bound DEPTH reached (or nothing left) */
	bool exhausted;	   /* no new state at some depth: nothing more to find */
	size_t deepest;	   /* the deepest level that holds a state */
	double seconds;
	bool violation;
	size_t vdepth;		/* its depth */
	struct xnode *path;	/* its steps (vdepth) */
	char inv[48], msg[512]; /* what the explorer saw */
};

/*
 * Print the result: the last line, and for a violation the violation, the
 * counterexample (written where opts says) and its replay through the
 * normal engine. Returns the exit status.
 */
int explore_report(const struct xuniverse *u, const struct explore_opts *o,
		   const struct explore_result *r);

#endif /* SWMSI_SIM_EXPLORE_H */
