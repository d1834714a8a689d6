/* SPDX-License-Identifier: MIT */
/*
 * swmsi-sim's run state (state/): the options a run is given, its result,
 * what one step did as typed facts (struct sim_step, struct sim_change),
 * and struct sim, the simulation itself: the library context and the mock,
 * and each scenario name and vector label at run time (names.c). The
 * checks, the engine and everything above read it.
 */
#ifndef SWMSI_SIM_STATE_H
#define SWMSI_SIM_STATE_H

#include <swmsi/swmsi.h>
#include <swmsi/mock_iommu.h>

#include "lang.h"
#include "swmsi_snapshot.h"
#include "util.h"

/* ---------------------------------------------------------------------- */
/* Run options and result                                                 */

struct sim_json;
struct sim_step_rec;
struct sim_dot_only;
struct sim_violation;
struct sim_findings;

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
	/* --only (dot_only.c): what --dot and --svg draw; NULL: everything */
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

struct sim_result {
	size_t steps;		  /* commands run */
	size_t failed_expects;	  /* expectations that did not hold */
	size_t failed_invariants; /* invariant violations */
	size_t skipped;		  /* bounded out by max_map_bytes */
	size_t findings;	  /* broken invariants reported, not failed */
	int ctx_err;		  /* the context could not be made: why (a negative errno) */
};

/* ---------------------------------------------------------------------- */
/* What a step changed (built by the engine, read by the checks and sinks) */

/* One change a step made, in the order the library made it. */
enum sim_change_kind {
	SIM_CH_MAP,	      /* the backend mapped (journal) */
	SIM_CH_MAP_FAILED,    /* a backend map failed (journal) */
	SIM_CH_UNMAP,	      /* the backend unmapped (journal) */
	SIM_CH_DOMAIN_ALLOC,  /* a domain was allocated (journal) */
	SIM_CH_DOMAIN_FAILED, /* a domain allocation failed (journal) */
	SIM_CH_DOMAIN_FREE,   /* a domain was freed (journal) */
	SIM_CH_TABLE_NEW,     /* an MSI table entry appeared (or got a new page) */
	SIM_CH_TABLE_FREED,   /* an MSI table entry went */
	SIM_CH_S1_ADD,	      /* a guest stage-1 mapping appeared */
	SIM_CH_S1_DEL,	      /* a guest stage-1 mapping went */
	SIM_CH_GROUP_JOIN,    /* a group joined a HWPT */
	SIM_CH_GROUP_LEAVE,   /* a group left its HWPT */
	SIM_CH_GROUP_MOVE,    /* a group moved from one HWPT to another */
};

#define SIM_LABEL_LEN 40

struct sim_change {
	enum sim_change_kind kind;
	unsigned int domain;	  /* journal kinds: the domain's serial (for --json only) */
	char what[SIM_LABEL_LEN]; /* the domain's, nested HWPT's or old HWPT's label */
	/* The object ids users see: the HWPT of the domain (journal kinds), the
	 * nested HWPT (S1_*), the HWPT a group left (GROUP_LEAVE, _MOVE); 0 when
	 * it has none (a HWPT whose creation failed). */
	uint32_t hwpt;
	uint32_t to_hwpt;	    /* GROUP_JOIN, _MOVE: the HWPT the group joined */
	char to[SIM_LABEL_LEN];	    /* GROUP_JOIN/MOVE: the new HWPT's label */
	uint64_t iova, size, paddr; /* mapping; TABLE_*: paddr is the doorbell page */
	uint64_t bytes;		    /* UNMAP: bytes unmapped */
	uint64_t window;	    /* TABLE_*: the window's start */
	uint32_t prot;
	uint32_t id;   /* TABLE_*: the map id; GROUP_*: the group */
	uint32_t slot; /* TABLE_* */
	int result;    /* MAP_FAILED, DOMAIN_FAILED: the error */
};

/* ---------------------------------------------------------------------- */
/* The simulation                                                         */

/*
 * A line that did something to a name or a vector label, kept so that a
 * later failure can say which line left the state it failed on ("its
 * attach at line 7 failed with EADDRINUSE"). line 0: none yet.
 */
struct sim_event {
	unsigned int line;
	enum scn_op op;
	int rc;	     /* its answer */
	size_t step; /* index into scn.cmds */
};

/* A scenario name at run time. */
struct sim_obj {
	uint32_t id; /* 0: never created (creation failed or not run yet) */
	bool live;   /* created and not destroyed/unbound */
	/* names.c, sim_name_note(): its history, one event each, so O(1) a step */
	struct sim_event made;	     /* the line that created it, or failed to */
	struct sim_event gone;	     /* the destroy or unbind that removed it */
	struct sim_event att;	     /* a device's last attach or detach that succeeded */
	struct sim_event att_failed; /* and its last attach that failed */
};

/* A vector label at run time. */
struct sim_vec {
	uint32_t handle;
	bool ever;	     /* an msi line gave it a handle once */
	bool live;	     /* that vector has not been freed */
	uint64_t msi_addr;   /* the doorbell given to msi */
	uint64_t msg_addr;   /* what msi answered */
	struct sim_event ev; /* its last msi (any answer) or free (success) */
};

/* A stage-1 mapping the scenario made (the guest's table is its own). */
struct sim_s1 {
	uint32_t nested_id;
	uint64_t iova, ipa, len;
};

/* A window the scenario made known (device window= or window). */
struct sim_window {
	uint64_t start, size;
};

/*
 * A named area at run time (map IOAS NAME ..., copy ... as NAME): where
 * the library put it, and the memory the simulator mapped to back it
 * (engine/op_iopt.c), unmapped when the run ends.
 */
struct sim_area {
	uint32_t ioas;	     /* the IOAS it was mapped into */
	uint64_t iova, len;  /* where the library put it (its last success) */
	bool live;	     /* mapped and not unmapped since */
	bool fixed;	     /* at IOVA given: not allocated */
	uint64_t va;	     /* the user VA given to the library */
	bool held;	     /* its memory is the pool's (engine/area_mem.c) */
	uint64_t mem_len;    /* the length it was had for */
	struct sim_event ev; /* its last map, copy or unmap line */
};

/* The vector labels of one device name (indices into scn.vecs). */
struct sim_dev_vecs {
	unsigned int *vec;
	size_t n, cap;
};

/* A list of object ids; lists of them, found through a key_index. */
struct sim_idlist {
	uint32_t *ids;
	size_t n, cap;
};
struct sim_idlists {
	struct sim_idlist *v;
	size_t n, cap;
};

/* Snapshots: the shared module of tools/snapshot (struct snapshot). */

struct sim {
	const struct scn *scn;
	enum swmsi_scheme scheme; /* the run's: --scheme, else the file's */
	bool strict;		  /* --strict or option strict */
	struct sim_opts o;
	struct sim_result *res;
	struct mock_iommu *mock;
	struct swmsi_ctx *ctx;
	uint64_t page_size;
	struct sim_obj *objs;	       /* per scn name */
	struct sim_vec *vecs;	       /* per scn vec */
	struct sim_dev_vecs *dev_vecs; /* per scn name: its vector labels */
	struct key_index ids;	       /* live object id -> scn name */
	struct key_index handles;      /* (scn name, live handle) -> scn vec */
	/* touch.c: what a step touches, and the indexes that find it */
	struct sim_idlist touched;     /* this step's object ids, each once */
	struct key_index touch_seen;   /* id -> the generation that listed it */
	uint32_t touch_gen;	       /* this step's generation */
	struct key_index group_ix;     /* group -> group_devs */
	struct sim_idlists group_devs; /* device ids of each group ever seen */
	struct key_index ioas_ix;      /* IOAS id -> ioas_hwpts */
	struct sim_idlists ioas_hwpts; /* HWPT ids of each IOAS ever seen */
	struct key_index serial_hwpt;  /* domain serial -> paging HWPT id */
	struct key_index learned;      /* device and HWPT ids already indexed */
	/* agg.c: sums over every device, kept as steps change them */
	struct key_index users; /* map id -> translated vectors using it */
	struct key_index need;	/* paging HWPT << 32 | map id -> vectors of groups on it */
	bool full;		/* check everything every step (--full-check) */
	struct sim_s1 *s1;
	size_t ns1, cap_s1;
	struct sim_window *windows;
	size_t nwindows, cap_windows;
	struct sim_area *areas;	     /* per scn name, made by the first area command; else NULL */
	uint64_t va_next;	     /* where the next area's memory is asked for */
	uint64_t window_override;    /* SWMSI_PHYS_NONE: none */
	const struct scn_cmd *cur;   /* the step being checked */
	struct sim_violation *viols; /* broken by the step being checked */
	size_t nviols, cap_viols;
	uint64_t about;		   /* what the check under way is about (sim_about()) */
	struct sim_findings *fnd;  /* what holds across steps (violation.c); NULL: not kept */
	uint64_t misuse_seen;	   /* mock misuses already reported */
	struct sim_event fail_map; /* the last fail_map line (sim_name_note()) */
	size_t table_hint; /* the MSI table's size at the last snapshot (a capacity guess) */
	bool oom;
	/* Domain serial -> label and HWPT id, kept across snapshots for freed domains. */
	struct sim_dom *dom_label;
	size_t ndom_label;
};

/* A domain as the timeline names it: its HWPT's label and object id. */
struct sim_dom {
	char label[40];
	uint32_t hwpt;
};

/* Where an MSI write went (fate.c). */
enum sim_fate {
	SIM_FATE_DOORBELL,  /* its own doorbell */
	SIM_FATE_LOST,	    /* nothing translates it (swmsi_msi_fire() failed) */
	SIM_FATE_MISROUTED, /* another address: another doorbell, or memory */
};

/* How many usable ranges an expect ranges step keeps to show. */
#define SIM_RANGES_SEEN 8

/* A vector as an expectation found it. */
struct sim_seen {
	bool found; /* an allocated vector of a live device */
	struct swmsi_vector_info v;
};

/*
 * One step as it ran: typed facts only. outcome.c words them (the failure's
 * reason, an expectation's claim and observation, the call's detail) for
 * the sinks that print.
 */
struct sim_step {
	const struct scn_cmd *c;
	int rc;			 /* what the library answered (0 for expect) */
	bool failed;		 /* the line's expectation did not hold */
	struct sim_seen seen[2]; /* expect: the vectors it names, as found */
	int q_rc;	/* expect fires: the fire's answer; mapped/unmapped: the lookup's */
	uint64_t q_pa;	/* and the address it gave */
	bool no_hwpt;	/* expect mapped/unmapped: the name is no live HWPT */
	uint32_t id;	/* ioas, hwpt, nested, device: the id it made (0: none) */
	uint64_t value; /* msi: msg_addr; fire: paddr; map NAME, copy: the IOVA;
			 * unmap NAME|all: the bytes unmapped */
	bool has_value;
	bool fire_ever;	   /* fire: its label had a vector (at the call) */
	uint64_t doorbell; /* fire: the label's doorbell */
	bool has_fate;	   /* fire of a live vector: where the write went */
	enum sim_fate fate;
	char labels[96]; /* unbind: the device's vector labels before the call (names) */
	/* expect ranges: the IOAS's usable ranges (the first SIM_RANGES_SEEN),
	 * how many there are in all, the listing's answer */
	struct swmsi_iova_range ranges[SIM_RANGES_SEEN];
	size_t nranges;
	const struct snapshot *sn; /* the state before the step */
};

/* names.c: the names at run time */
/* Build the per-device label lists. Returns 0 or -ENOMEM. */
int sim_names_init(struct sim *s);
void sim_names_free(struct sim *s);
/* Object @id is scenario name @name now. Returns 0 or -ENOMEM. */
int sim_name_set(struct sim *s, uint32_t id, unsigned int name);
/* Object @id is gone. */
void sim_name_clear(struct sim *s, uint32_t id);
/* Vector label @vec got its handle (s->vecs[vec]). Returns 0 or -ENOMEM. */
int sim_vec_live(struct sim *s, unsigned int vec);
/* Vector label @vec's vector is freed. */
void sim_vec_gone(struct sim *s, unsigned int vec);
/* The scenario name index of live object @id, or -1. */
long sim_name_of(const struct sim *s, uint32_t id);
/* Its scenario name, or "?". */
const char *sim_obj_name(const struct sim *s, uint32_t id);
/* The name of an object for display: its scn name, or "auto@IOAS". */
const char *sim_obj_label(const struct sim *s, const struct snapshot *sn, uint32_t id, char *buf,
			  size_t len);
/* The label of the vector @handle of device name @dev, or NULL. */
const char *sim_vec_label(const struct sim *s, long dev, uint32_t handle);
/* Keep step @st (judged, not an expectation) in its names' history. O(1). */
void sim_name_note(struct sim *s, const struct sim_step *st);

/* The object id of scenario name @name (0: none yet). */
static inline uint32_t sim_oid(const struct sim *s, unsigned int name)
{
	return s->objs[name].id;
}

/* Domain labels by mock serial, remembered across snapshots. */
void sim_remember_domains(struct sim *s, const struct snapshot *sn);
/* The label of domain @serial, or "?". */
const char *sim_dom_label(const struct sim *s, unsigned int serial);
/* The object id of the HWPT whose domain is @serial, or 0 when none was seen. */
uint32_t sim_dom_hwpt(const struct sim *s, unsigned int serial);

/* Are broken invariants findings (KERNEL or DMA_IOMMU, not strict)? */
static inline bool sim_findings_only(const struct sim *s)
{
	return s->scheme != SWMSI_SCHEME_NATIVE && !s->strict;
}

#endif /* SWMSI_SIM_STATE_H */
