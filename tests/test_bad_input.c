/* SPDX-License-Identifier: MIT */
/*
 * Bad input: every public function of swmsi.h called with NULL pointers,
 * unknown or stale ids, ids of the wrong kind, misaligned, empty or wrapping
 * ranges and unknown flag or prot bits. Each row names the exact error
 * API.md gives, respecting its order of checks (malformed arguments, then
 * ids in argument order, then state, then policy and resources), and the
 * call must change nothing and write no out-parameter.
 */
#include "fixture.h"
#include "snapshot.h"

#include <string.h>

#define RW	   (SWMSI_PROT_READ | SWMSI_PROT_WRITE)
#define BAD_PROT   (1u << 5)
#define BAD_FLAG   (1u << 4)
#define DB0	   (FX_ITS_PAGE + 0x40)
#define DB1	   (FX_ITS_PAGE + 0x10000 + 0x40)
#define WRAP_START 0xfffffffffff00000ull /* + 0x200000 wraps */
#define WRAP_LEN   0x200000ull

/*
 * The scene every row runs against: an IOAS with a mapping, a plain paging
 * HWPT with a windowed device attached and holding a vector (so the window
 * is reserved and an MSI map entry exists), a NEST_PARENT HWPT with a nested
 * child, a bound but detached device, a device without window, an id that
 * was destroyed, and a doorbell allow-list holding DB0's page only.
 */
struct env {
	struct fx *fx;
	uint32_t ioas, paging, parent, nested;
	uint32_t dev, idle, nowin;
	uint32_t vec, freed_vec;
	uint32_t stale;
};

/* Symbolic ids, resolved against the scene. */
enum sym {
	S_NONE,
	S_ZERO,
	S_UNKNOWN, /* never allocated */
	S_STALE,   /* destroyed */
	S_IOAS,
	S_PAGING,
	S_PARENT,
	S_NESTED,
	S_DEV,	/* attached, one live vector */
	S_IDLE, /* bound, not attached */
	S_NOWIN,
	S_VEC,	     /* S_DEV's live vector */
	S_FREED_VEC, /* S_DEV's freed vector */
	S_BAD_VEC,   /* a handle S_DEV never had */
};

static uint32_t sym_id(const struct env *e, enum sym s)
{
	switch (s) {
	case S_NONE:
	case S_ZERO:
		return 0;
	case S_UNKNOWN:
		return 0x7ffffff0u;
	case S_STALE:
		return e->stale;
	case S_IOAS:
		return e->ioas;
	case S_PAGING:
		return e->paging;
	case S_PARENT:
		return e->parent;
	case S_NESTED:
		return e->nested;
	case S_DEV:
		return e->dev;
	case S_IDLE:
		return e->idle;
	case S_NOWIN:
		return e->nowin;
	case S_VEC:
		return e->vec;
	case S_FREED_VEC:
		return e->freed_vec;
	case S_BAD_VEC:
		return 977;
	}
	return 0;
}

static void env_setup(struct fx *fx, struct env *e)
{
	uint64_t msg = 0;

	memset(e, 0, sizeof(*e));
	e->fx = fx;
	e->stale = fx_ioas(fx);
	assert_int_equal(swmsi_destroy(fx->ctx, e->stale), 0);
	e->ioas = fx_ioas(fx);
	assert_int_equal(swmsi_ioas_map(fx->ctx, e->ioas, 0x100000, 0x40000000, 0x4000, RW), 0);
	e->paging = fx_hwpt(fx, e->ioas, 0);
	e->parent = fx_hwpt(fx, e->ioas, SWMSI_HWPT_NEST_PARENT);
	assert_int_equal(swmsi_hwpt_alloc_nested(fx->ctx, e->parent, &e->nested), 0);
	assert_int_equal(swmsi_hwpt_nested_map(fx->ctx, e->nested, 0x1000000, 0x100000, 0x1000, RW),
			 0);
	e->dev = fx_bind(fx, 1);
	e->idle = fx_bind(fx, 2);
	e->nowin = fx_bind_nowin(fx, 3);
	assert_int_equal(swmsi_doorbell_register(fx->ctx, FX_ITS_PAGE, 0x1000), 0);
	assert_int_equal(swmsi_device_attach(fx->ctx, e->dev, e->paging), 0);
	assert_int_equal(swmsi_msi_alloc(fx->ctx, e->dev, DB0, &e->vec, &msg), 0);
	assert_int_equal(swmsi_msi_alloc(fx->ctx, e->dev, DB0, &e->freed_vec, &msg), 0);
	assert_int_equal(swmsi_msi_free(fx->ctx, e->dev, e->freed_vec), 0);
	assert_int_not_equal(e->vec, e->freed_vec);
	assert_int_not_equal(e->stale, e->ioas);
}

/* ------------------------------------------------------------------------ */
/* The rows */

enum fn {
	F_SET_WINDOW,
	F_DOORBELL,
	F_IOAS_ALLOC,
	F_IOAS_MAP,
	F_IOAS_UNMAP,
	F_HWPT_ALLOC,
	F_ALLOC_NESTED,
	F_NESTED_MAP,
	F_IOVA_TO_PHYS,
	F_DESTROY,
	F_BIND,
	F_UNBIND,
	F_ATTACH,
	F_REPLACE,
	F_DETACH,
	F_MSI_ALLOC,
	F_MSI_FREE,
	F_MSI_FIRE,
	F_OBJ_TYPE,
	F_MAP_LIST,
	F_HWPT_INFO,
	F_PRESENT,
	F_DEV_INFO,
	F_DEV_VECTORS,
	F_STATS,
	F_FAIL_ALLOC,
};

/* Which pointer arguments a row passes as NULL. */
#define N_CTX  (1u << 0) /* the context */
#define N_OUT  (1u << 1) /* the first out-parameter (count, for lists) */
#define N_OUT2 (1u << 2) /* the second one (msg_addr) */
#define N_DESC (1u << 3) /* bind's descriptor */
#define N_BUF  (1u << 4) /* a list's buffer, with cap > 0 */

struct row {
	const char *name;
	enum fn fn;
	enum sym id1, id2;
	uint64_t a, b, c; /* addresses, sizes, lengths; c is a list's cap */
	uint32_t bits;	  /* prot, flags or group */
	unsigned int nulls;
	int want;
};

/* What the call may write; each starts as a sentinel. */
struct outs {
	uint32_t id;
	uint64_t addr;
	size_t count;
	enum swmsi_obj_type type;
	struct swmsi_hwpt_info hwpt;
	struct swmsi_device_info dev;
	struct swmsi_ctx_stats stats;
	struct swmsi_msi_map_info maps[4];
	uint32_t ids[4];
	struct swmsi_vector_info vecs[4];
};

static int row_call(const struct env *e, const struct row *r, struct outs *o)
{
	struct swmsi_ctx *ctx = r->nulls & N_CTX ? NULL : e->fx->ctx;
	uint32_t *out_id = r->nulls & N_OUT ? NULL : &o->id;
	uint64_t *out_addr = r->nulls & (N_OUT | N_OUT2) ? NULL : &o->addr;
	size_t *count = r->nulls & N_OUT ? NULL : &o->count;
	bool nbuf = r->nulls & N_BUF;
	uint32_t id1 = sym_id(e, r->id1), id2 = sym_id(e, r->id2);
	struct swmsi_device_desc desc = {
		.group = r->bits,
		.sw_msi_start = r->a,
		.sw_msi_size = r->b,
	};

	switch (r->fn) {
	case F_SET_WINDOW:
		return swmsi_ctx_set_sw_msi_window(ctx, r->a, r->b);
	case F_DOORBELL:
		return swmsi_doorbell_register(ctx, r->a, r->b);
	case F_IOAS_ALLOC:
		return swmsi_ioas_alloc(ctx, out_id);
	case F_IOAS_MAP:
		return swmsi_ioas_map(ctx, id1, r->a, r->b, r->c, r->bits);
	case F_IOAS_UNMAP:
		return swmsi_ioas_unmap(ctx, id1, r->a, r->c);
	case F_HWPT_ALLOC:
		return swmsi_hwpt_alloc(ctx, id1, r->bits, out_id);
	case F_ALLOC_NESTED:
		return swmsi_hwpt_alloc_nested(ctx, id1, out_id);
	case F_NESTED_MAP:
		return swmsi_hwpt_nested_map(ctx, id1, r->a, r->b, r->c, r->bits);
	case F_IOVA_TO_PHYS:
		return swmsi_hwpt_iova_to_phys(ctx, id1, r->a, r->nulls & N_OUT ? NULL : &o->addr);
	case F_DESTROY:
		return swmsi_destroy(ctx, id1);
	case F_BIND:
		return swmsi_device_bind(ctx, r->nulls & N_DESC ? NULL : &desc, out_id);
	case F_UNBIND:
		return swmsi_device_unbind(ctx, id1);
	case F_ATTACH:
		return swmsi_device_attach(ctx, id1, id2);
	case F_REPLACE:
		return swmsi_device_replace(ctx, id1, id2);
	case F_DETACH:
		return swmsi_device_detach(ctx, id1);
	case F_MSI_ALLOC:
		return swmsi_msi_alloc(ctx, id1, r->a, out_id, r->nulls & N_OUT2 ? NULL : &o->addr);
	case F_MSI_FREE:
		return swmsi_msi_free(ctx, id1, id2);
	case F_MSI_FIRE:
		return swmsi_msi_fire(ctx, id1, id2, out_addr);
	case F_OBJ_TYPE:
		return swmsi_obj_type(ctx, id1, r->nulls & N_OUT ? NULL : &o->type);
	case F_MAP_LIST:
		return swmsi_msi_map_list(ctx, nbuf ? NULL : o->maps, r->c, count);
	case F_HWPT_INFO:
		return swmsi_hwpt_info(ctx, id1, r->nulls & N_OUT ? NULL : &o->hwpt);
	case F_PRESENT:
		return swmsi_hwpt_msi_present(ctx, id1, nbuf ? NULL : o->ids, r->c, count);
	case F_DEV_INFO:
		return swmsi_device_info(ctx, id1, r->nulls & N_OUT ? NULL : &o->dev);
	case F_DEV_VECTORS:
		return swmsi_device_vectors(ctx, id1, nbuf ? NULL : o->vecs, r->c, count);
	case F_STATS:
		return swmsi_ctx_stats(ctx, r->nulls & N_OUT ? NULL : &o->stats);
	case F_FAIL_ALLOC:
		return swmsi_ctx_fail_alloc(ctx, 1);
	}
	fail_msg("%s: unknown function %d", r->name, (int)r->fn);
	return 0;
}

static void run_rows(void **state, const struct row *rows, size_t n)
{
	struct fx *fx = *state;
	struct env e;
	size_t i;

	env_setup(fx, &e);
	for (i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		struct snap *before = snap_take(fx);
		struct outs o, sent;
		int rc;

		/* Both filled byte by byte: a struct copy need not copy padding. */
		memset(&sent, 0xa5, sizeof(sent));
		memset(&o, 0xa5, sizeof(o));
		rc = row_call(&e, r, &o);
		if (rc != r->want)
			fail_msg("%s: returned %d (%s), want %d (%s)", r->name, rc,
				 swmsi_errname(rc), r->want, swmsi_errname(r->want));
		/* Out-parameters are written only on success. */
		if (memcmp(&o, &sent, sizeof(o)))
			fail_msg("%s: failed but wrote an out-parameter", r->name);
		snap_expect_unchanged(fx, before, r->name);
	}
}

#define ROWS(t) (t), sizeof(t) / sizeof((t)[0])

/* ------------------------------------------------------------------------ */

static const struct row ctx_rows[] = {
	{ "set_window NULL ctx", F_SET_WINDOW, .a = 0x10000000, .b = 0x100000, .nulls = N_CTX,
	  .want = -EINVAL },
	{ "set_window misaligned start", F_SET_WINDOW, .a = 0x10000800, .b = 0x100000,
	  .want = -EINVAL },
	{ "set_window misaligned size", F_SET_WINDOW, .a = 0x10000000, .b = 0x100800,
	  .want = -EINVAL },
	{ "set_window zero size", F_SET_WINDOW, .a = 0x10000000, .b = 0, .want = -EINVAL },
	{ "set_window wraps", F_SET_WINDOW, .a = WRAP_START, .b = WRAP_LEN, .want = -EINVAL },
	{ "set_window after a map exists", F_SET_WINDOW, .a = 0x10000000, .b = 0x100000,
	  .want = -EBUSY },
	{ "doorbell NULL ctx", F_DOORBELL, .a = FX_ITS_PAGE, .b = 0x1000, .nulls = N_CTX,
	  .want = -EINVAL },
	{ "doorbell misaligned paddr", F_DOORBELL, .a = FX_ITS_PAGE + 0x40, .b = 0x1000,
	  .want = -EINVAL },
	{ "doorbell misaligned size", F_DOORBELL, .a = FX_ITS_PAGE, .b = 0x40, .want = -EINVAL },
	{ "doorbell zero size", F_DOORBELL, .a = FX_ITS_PAGE, .b = 0, .want = -EINVAL },
	{ "doorbell wraps", F_DOORBELL, .a = WRAP_START, .b = WRAP_LEN, .want = -EINVAL },
	{ "stats NULL ctx", F_STATS, .nulls = N_CTX, .want = -EINVAL },
	{ "stats NULL out", F_STATS, .nulls = N_OUT, .want = -EINVAL },
	{ "fail_alloc NULL ctx", F_FAIL_ALLOC, .nulls = N_CTX, .want = -EINVAL },
	{ "obj_type NULL ctx", F_OBJ_TYPE, S_IOAS, .nulls = N_CTX, .want = -EINVAL },
	{ "obj_type NULL out", F_OBJ_TYPE, S_IOAS, .nulls = N_OUT, .want = -EINVAL },
	{ "obj_type 0", F_OBJ_TYPE, S_ZERO, .want = -ENOENT },
	{ "obj_type unknown", F_OBJ_TYPE, S_UNKNOWN, .want = -ENOENT },
	{ "obj_type stale", F_OBJ_TYPE, S_STALE, .want = -ENOENT },
	{ "map_list NULL ctx", F_MAP_LIST, .c = 4, .nulls = N_CTX, .want = -EINVAL },
	{ "map_list NULL count", F_MAP_LIST, .c = 4, .nulls = N_OUT, .want = -EINVAL },
	{ "map_list NULL buffer, cap 4", F_MAP_LIST, .c = 4, .nulls = N_BUF, .want = -EINVAL },
};

static void ctx_calls_bad_input_fail_exactly_change_nothing(void **state)
{
	run_rows(state, ROWS(ctx_rows));
}

static const struct row ioas_rows[] = {
	{ "ioas_alloc NULL ctx", F_IOAS_ALLOC, .nulls = N_CTX, .want = -EINVAL },
	{ "ioas_alloc NULL out", F_IOAS_ALLOC, .nulls = N_OUT, .want = -EINVAL },
	{ "ioas_map NULL ctx", F_IOAS_MAP, S_IOAS, .a = 0x200000, .b = 0x50000000, .c = 0x1000,
	  .bits = RW, .nulls = N_CTX, .want = -EINVAL },
	{ "ioas_map misaligned iova", F_IOAS_MAP, S_IOAS, .a = 0x200800, .b = 0x50000000,
	  .c = 0x1000, .bits = RW, .want = -EINVAL },
	{ "ioas_map misaligned paddr", F_IOAS_MAP, S_IOAS, .a = 0x200000, .b = 0x50000800,
	  .c = 0x1000, .bits = RW, .want = -EINVAL },
	{ "ioas_map misaligned length", F_IOAS_MAP, S_IOAS, .a = 0x200000, .b = 0x50000000,
	  .c = 0x1800, .bits = RW, .want = -EINVAL },
	{ "ioas_map zero length", F_IOAS_MAP, S_IOAS, .a = 0x200000, .b = 0x50000000, .c = 0,
	  .bits = RW, .want = -EINVAL },
	{ "ioas_map unknown prot", F_IOAS_MAP, S_IOAS, .a = 0x200000, .b = 0x50000000, .c = 0x1000,
	  .bits = RW | BAD_PROT, .want = -EOPNOTSUPP },
	{ "ioas_map unknown id", F_IOAS_MAP, S_UNKNOWN, .a = 0x200000, .b = 0x50000000, .c = 0x1000,
	  .bits = RW, .want = -ENOENT },
	{ "ioas_map id 0", F_IOAS_MAP, S_ZERO, .a = 0x200000, .b = 0x50000000, .c = 0x1000,
	  .bits = RW, .want = -ENOENT },
	{ "ioas_map stale id", F_IOAS_MAP, S_STALE, .a = 0x200000, .b = 0x50000000, .c = 0x1000,
	  .bits = RW, .want = -ENOENT },
	{ "ioas_map HWPT id", F_IOAS_MAP, S_PAGING, .a = 0x200000, .b = 0x50000000, .c = 0x1000,
	  .bits = RW, .want = -ENOENT },
	{ "ioas_map device id", F_IOAS_MAP, S_DEV, .a = 0x200000, .b = 0x50000000, .c = 0x1000,
	  .bits = RW, .want = -ENOENT },
	{ "ioas_map misaligned beats unknown id", F_IOAS_MAP, S_UNKNOWN, .a = 0x200800,
	  .b = 0x50000000, .c = 0x1000, .bits = RW, .want = -EINVAL },
	{ "ioas_map bad prot beats unknown id", F_IOAS_MAP, S_UNKNOWN, .a = 0x200000,
	  .b = 0x50000000, .c = 0x1000, .bits = BAD_PROT, .want = -EOPNOTSUPP },
	{ "ioas_map unknown id beats reserved window", F_IOAS_MAP, S_UNKNOWN, .a = FX_WINDOW_START,
	  .b = 0x50000000, .c = 0x1000, .bits = RW, .want = -ENOENT },
	{ "ioas_map wraps", F_IOAS_MAP, S_IOAS, .a = WRAP_START, .b = 0x50000000, .c = WRAP_LEN,
	  .bits = RW, .want = -EOVERFLOW },
	{ "ioas_map into reserved window", F_IOAS_MAP, S_IOAS, .a = FX_WINDOW_START,
	  .b = 0x50000000, .c = 0x1000, .bits = RW, .want = -EADDRINUSE },
	{ "ioas_map overlap", F_IOAS_MAP, S_IOAS, .a = 0x103000, .b = 0x50000000, .c = 0x2000,
	  .bits = RW, .want = -EEXIST },
	{ "ioas_unmap NULL ctx", F_IOAS_UNMAP, S_IOAS, .a = 0x100000, .c = 0x4000, .nulls = N_CTX,
	  .want = -EINVAL },
	{ "ioas_unmap misaligned iova", F_IOAS_UNMAP, S_IOAS, .a = 0x100800, .c = 0x4000,
	  .want = -EINVAL },
	{ "ioas_unmap misaligned length", F_IOAS_UNMAP, S_IOAS, .a = 0x100000, .c = 0x3800,
	  .want = -EINVAL },
	{ "ioas_unmap zero length", F_IOAS_UNMAP, S_IOAS, .a = 0x100000, .c = 0, .want = -EINVAL },
	{ "ioas_unmap unknown id", F_IOAS_UNMAP, S_UNKNOWN, .a = 0x100000, .c = 0x4000,
	  .want = -ENOENT },
	{ "ioas_unmap HWPT id", F_IOAS_UNMAP, S_PAGING, .a = 0x100000, .c = 0x4000,
	  .want = -ENOENT },
	{ "ioas_unmap stale id", F_IOAS_UNMAP, S_STALE, .a = 0x100000, .c = 0x4000,
	  .want = -ENOENT },
	{ "ioas_unmap nothing mapped", F_IOAS_UNMAP, S_IOAS, .a = 0x200000, .c = 0x4000,
	  .want = -ENOENT },
	{ "ioas_unmap cuts a mapping", F_IOAS_UNMAP, S_IOAS, .a = 0x100000, .c = 0x2000,
	  .want = -ENOENT },
	{ "ioas_unmap wraps", F_IOAS_UNMAP, S_IOAS, .a = WRAP_START, .c = WRAP_LEN,
	  .want = -EOVERFLOW },
};

static void ioas_calls_bad_input_fail_exactly_change_nothing(void **state)
{
	run_rows(state, ROWS(ioas_rows));
}

static const struct row hwpt_rows[] = {
	{ "hwpt_alloc NULL ctx", F_HWPT_ALLOC, S_IOAS, .nulls = N_CTX, .want = -EINVAL },
	{ "hwpt_alloc NULL out", F_HWPT_ALLOC, S_IOAS, .nulls = N_OUT, .want = -EINVAL },
	{ "hwpt_alloc unknown flag", F_HWPT_ALLOC, S_IOAS, .bits = BAD_FLAG, .want = -EOPNOTSUPP },
	{ "hwpt_alloc unknown flag beats unknown id", F_HWPT_ALLOC, S_UNKNOWN,
	  .bits = SWMSI_HWPT_NEST_PARENT | BAD_FLAG, .want = -EOPNOTSUPP },
	{ "hwpt_alloc unknown id", F_HWPT_ALLOC, S_UNKNOWN, .want = -ENOENT },
	{ "hwpt_alloc id 0", F_HWPT_ALLOC, S_ZERO, .want = -ENOENT },
	{ "hwpt_alloc stale id", F_HWPT_ALLOC, S_STALE, .want = -ENOENT },
	{ "hwpt_alloc on a HWPT", F_HWPT_ALLOC, S_PAGING, .want = -ENOENT },
	{ "hwpt_alloc on a device", F_HWPT_ALLOC, S_DEV, .want = -ENOENT },
	{ "alloc_nested NULL ctx", F_ALLOC_NESTED, S_PARENT, .nulls = N_CTX, .want = -EINVAL },
	{ "alloc_nested NULL out", F_ALLOC_NESTED, S_PARENT, .nulls = N_OUT, .want = -EINVAL },
	{ "alloc_nested id 0", F_ALLOC_NESTED, S_ZERO, .want = -ENOENT },
	{ "alloc_nested unknown id", F_ALLOC_NESTED, S_UNKNOWN, .want = -ENOENT },
	{ "alloc_nested on an IOAS", F_ALLOC_NESTED, S_IOAS, .want = -ENOENT },
	{ "alloc_nested on a device", F_ALLOC_NESTED, S_DEV, .want = -ENOENT },
	{ "alloc_nested without NEST_PARENT", F_ALLOC_NESTED, S_PAGING, .want = -EINVAL },
	{ "alloc_nested on a nested HWPT", F_ALLOC_NESTED, S_NESTED, .want = -EINVAL },
	{ "nested_map NULL ctx", F_NESTED_MAP, S_NESTED, .a = 0x2000000, .b = 0x100000, .c = 0x1000,
	  .bits = RW, .nulls = N_CTX, .want = -EINVAL },
	{ "nested_map misaligned iova", F_NESTED_MAP, S_NESTED, .a = 0x2000800, .b = 0x100000,
	  .c = 0x1000, .bits = RW, .want = -EINVAL },
	{ "nested_map misaligned ipa", F_NESTED_MAP, S_NESTED, .a = 0x2000000, .b = 0x100800,
	  .c = 0x1000, .bits = RW, .want = -EINVAL },
	{ "nested_map zero length", F_NESTED_MAP, S_NESTED, .a = 0x2000000, .b = 0x100000, .c = 0,
	  .bits = RW, .want = -EINVAL },
	{ "nested_map unknown prot", F_NESTED_MAP, S_NESTED, .a = 0x2000000, .b = 0x100000,
	  .c = 0x1000, .bits = BAD_PROT, .want = -EOPNOTSUPP },
	{ "nested_map on a paging HWPT", F_NESTED_MAP, S_PARENT, .a = 0x2000000, .b = 0x100000,
	  .c = 0x1000, .bits = RW, .want = -ENOENT },
	{ "nested_map on an IOAS", F_NESTED_MAP, S_IOAS, .a = 0x2000000, .b = 0x100000, .c = 0x1000,
	  .bits = RW, .want = -ENOENT },
	{ "nested_map unknown id", F_NESTED_MAP, S_UNKNOWN, .a = 0x2000000, .b = 0x100000,
	  .c = 0x1000, .bits = RW, .want = -ENOENT },
	{ "nested_map misaligned beats wrong kind", F_NESTED_MAP, S_IOAS, .a = 0x2000800,
	  .b = 0x100000, .c = 0x1000, .bits = RW, .want = -EINVAL },
	{ "nested_map wraps", F_NESTED_MAP, S_NESTED, .a = WRAP_START, .b = 0x100000, .c = WRAP_LEN,
	  .bits = RW, .want = -EOVERFLOW },
	{ "nested_map overlap", F_NESTED_MAP, S_NESTED, .a = 0x1000000, .b = 0x200000, .c = 0x1000,
	  .bits = RW, .want = -EEXIST },
	{ "iova_to_phys NULL ctx", F_IOVA_TO_PHYS, S_PAGING, .a = 0x100000, .nulls = N_CTX,
	  .want = -EINVAL },
	{ "iova_to_phys NULL out", F_IOVA_TO_PHYS, S_PAGING, .a = 0x100000, .nulls = N_OUT,
	  .want = -EINVAL },
	{ "iova_to_phys unknown id", F_IOVA_TO_PHYS, S_UNKNOWN, .a = 0x100000, .want = -ENOENT },
	{ "iova_to_phys on an IOAS", F_IOVA_TO_PHYS, S_IOAS, .a = 0x100000, .want = -ENOENT },
	{ "iova_to_phys on a device", F_IOVA_TO_PHYS, S_DEV, .a = 0x100000, .want = -ENOENT },
	{ "iova_to_phys unmapped", F_IOVA_TO_PHYS, S_PAGING, .a = 0x300000, .want = -ENOENT },
	{ "iova_to_phys nested without stage 1", F_IOVA_TO_PHYS, S_NESTED, .a = 0x100000,
	  .want = -ENOENT },
	{ "destroy NULL ctx", F_DESTROY, S_PAGING, .nulls = N_CTX, .want = -EINVAL },
	{ "destroy 0", F_DESTROY, S_ZERO, .want = -ENOENT },
	{ "destroy unknown", F_DESTROY, S_UNKNOWN, .want = -ENOENT },
	{ "destroy stale", F_DESTROY, S_STALE, .want = -ENOENT },
	{ "destroy a device", F_DESTROY, S_DEV, .want = -EINVAL },
	{ "destroy an idle device", F_DESTROY, S_IDLE, .want = -EINVAL },
	{ "destroy HWPT with a device", F_DESTROY, S_PAGING, .want = -EBUSY },
	{ "destroy parent with a child", F_DESTROY, S_PARENT, .want = -EBUSY },
	{ "destroy IOAS with HWPTs", F_DESTROY, S_IOAS, .want = -EBUSY },
	{ "hwpt_info NULL ctx", F_HWPT_INFO, S_PAGING, .nulls = N_CTX, .want = -EINVAL },
	{ "hwpt_info NULL out", F_HWPT_INFO, S_PAGING, .nulls = N_OUT, .want = -EINVAL },
	{ "hwpt_info on an IOAS", F_HWPT_INFO, S_IOAS, .want = -ENOENT },
	{ "hwpt_info on a device", F_HWPT_INFO, S_DEV, .want = -ENOENT },
	{ "hwpt_info 0", F_HWPT_INFO, S_ZERO, .want = -ENOENT },
	{ "msi_present NULL ctx", F_PRESENT, S_PAGING, .c = 4, .nulls = N_CTX, .want = -EINVAL },
	{ "msi_present NULL count", F_PRESENT, S_PAGING, .c = 4, .nulls = N_OUT, .want = -EINVAL },
	{ "msi_present NULL buffer, cap 4", F_PRESENT, S_PAGING, .c = 4, .nulls = N_BUF,
	  .want = -EINVAL },
	{ "msi_present on an IOAS", F_PRESENT, S_IOAS, .c = 4, .want = -ENOENT },
	{ "msi_present on a device", F_PRESENT, S_DEV, .c = 4, .want = -ENOENT },
};

static void hwpt_calls_bad_input_fail_exactly_change_nothing(void **state)
{
	run_rows(state, ROWS(hwpt_rows));
}

static const struct row device_rows[] = {
	{ "bind NULL ctx", F_BIND, .bits = 9, .a = 0x20000000, .b = 0x100000, .nulls = N_CTX,
	  .want = -EINVAL },
	{ "bind NULL desc", F_BIND, .nulls = N_DESC, .want = -EINVAL },
	{ "bind NULL out", F_BIND, .bits = 9, .a = 0x20000000, .b = 0x100000, .nulls = N_OUT,
	  .want = -EINVAL },
	{ "bind misaligned window start", F_BIND, .bits = 9, .a = 0x20000800, .b = 0x100000,
	  .want = -EINVAL },
	{ "bind misaligned window size", F_BIND, .bits = 9, .a = 0x20000000, .b = 0x100800,
	  .want = -EINVAL },
	{ "bind empty window", F_BIND, .bits = 9, .a = 0x20000000, .b = 0, .want = -EINVAL },
	{ "bind wrapping window", F_BIND, .bits = 9, .a = WRAP_START, .b = WRAP_LEN,
	  .want = -EINVAL },
	{ "bind group 1 with another window", F_BIND, .bits = 1, .a = 0x20000000, .b = 0x100000,
	  .want = -EINVAL },
	{ "bind group 1 without window", F_BIND, .bits = 1, .a = SWMSI_PHYS_NONE, .want = -EINVAL },
	{ "bind window-less group 3 with a window", F_BIND, .bits = 3, .a = FX_WINDOW_START,
	  .b = FX_WINDOW_SIZE, .want = -EINVAL },
	{ "bind window overlapping a bound one", F_BIND, .bits = 9, .a = FX_WINDOW_START + 0x80000,
	  .b = FX_WINDOW_SIZE, .want = -EINVAL },
	{ "bind window inside a bound one", F_BIND, .bits = 9, .a = FX_WINDOW_START,
	  .b = FX_WINDOW_SIZE / 2, .want = -EINVAL },
	{ "unbind NULL ctx", F_UNBIND, S_IDLE, .nulls = N_CTX, .want = -EINVAL },
	{ "unbind 0", F_UNBIND, S_ZERO, .want = -ENOENT },
	{ "unbind unknown", F_UNBIND, S_UNKNOWN, .want = -ENOENT },
	{ "unbind an IOAS", F_UNBIND, S_IOAS, .want = -ENOENT },
	{ "unbind a HWPT", F_UNBIND, S_PAGING, .want = -ENOENT },
	{ "attach NULL ctx", F_ATTACH, S_IDLE, S_PAGING, .nulls = N_CTX, .want = -EINVAL },
	{ "attach unknown device", F_ATTACH, S_UNKNOWN, S_PAGING, .want = -ENOENT },
	{ "attach device 0", F_ATTACH, S_ZERO, S_PAGING, .want = -ENOENT },
	{ "attach IOAS as device", F_ATTACH, S_IOAS, S_PAGING, .want = -ENOENT },
	{ "attach HWPT as device", F_ATTACH, S_PAGING, S_PAGING, .want = -ENOENT },
	{ "attach unknown pt", F_ATTACH, S_IDLE, S_UNKNOWN, .want = -ENOENT },
	{ "attach pt 0", F_ATTACH, S_IDLE, S_ZERO, .want = -ENOENT },
	{ "attach stale pt", F_ATTACH, S_IDLE, S_STALE, .want = -ENOENT },
	{ "attach pt is a device", F_ATTACH, S_IDLE, S_NOWIN, .want = -EINVAL },
	{ "attach wrong-kind device beats device pt", F_ATTACH, S_IOAS, S_NOWIN, .want = -ENOENT },
	{ "attach unknown device beats unknown pt", F_ATTACH, S_UNKNOWN, S_UNKNOWN,
	  .want = -ENOENT },
	{ "attach attached device", F_ATTACH, S_DEV, S_PARENT, .want = -EINVAL },
	{ "attach attached device, unknown pt", F_ATTACH, S_DEV, S_UNKNOWN, .want = -ENOENT },
	{ "attach attached device to itself", F_ATTACH, S_DEV, S_DEV, .want = -EINVAL },
	{ "replace NULL ctx", F_REPLACE, S_DEV, S_PARENT, .nulls = N_CTX, .want = -EINVAL },
	{ "replace unknown device", F_REPLACE, S_UNKNOWN, S_PARENT, .want = -ENOENT },
	{ "replace IOAS as device", F_REPLACE, S_IOAS, S_PARENT, .want = -ENOENT },
	{ "replace unknown pt", F_REPLACE, S_DEV, S_UNKNOWN, .want = -ENOENT },
	{ "replace stale pt", F_REPLACE, S_DEV, S_STALE, .want = -ENOENT },
	{ "replace pt is a device", F_REPLACE, S_DEV, S_IDLE, .want = -EINVAL },
	{ "replace not attached", F_REPLACE, S_IDLE, S_PAGING, .want = -EINVAL },
	{ "replace not attached, unknown pt", F_REPLACE, S_IDLE, S_UNKNOWN, .want = -ENOENT },
	{ "detach NULL ctx", F_DETACH, S_DEV, .nulls = N_CTX, .want = -EINVAL },
	{ "detach unknown", F_DETACH, S_UNKNOWN, .want = -ENOENT },
	{ "detach an IOAS", F_DETACH, S_IOAS, .want = -ENOENT },
	{ "detach not attached", F_DETACH, S_IDLE, .want = -EINVAL },
	{ "device_info NULL ctx", F_DEV_INFO, S_DEV, .nulls = N_CTX, .want = -EINVAL },
	{ "device_info NULL out", F_DEV_INFO, S_DEV, .nulls = N_OUT, .want = -EINVAL },
	{ "device_info on an IOAS", F_DEV_INFO, S_IOAS, .want = -ENOENT },
	{ "device_info on a HWPT", F_DEV_INFO, S_PAGING, .want = -ENOENT },
	{ "device_vectors NULL ctx", F_DEV_VECTORS, S_DEV, .c = 4, .nulls = N_CTX,
	  .want = -EINVAL },
	{ "device_vectors NULL count", F_DEV_VECTORS, S_DEV, .c = 4, .nulls = N_OUT,
	  .want = -EINVAL },
	{ "device_vectors NULL buffer, cap 4", F_DEV_VECTORS, S_DEV, .c = 4, .nulls = N_BUF,
	  .want = -EINVAL },
	{ "device_vectors on an IOAS", F_DEV_VECTORS, S_IOAS, .c = 4, .want = -ENOENT },
};

static void device_calls_bad_input_fail_exactly_change_nothing(void **state)
{
	run_rows(state, ROWS(device_rows));
}

static const struct row msi_rows[] = {
	{ "msi_alloc NULL ctx", F_MSI_ALLOC, S_DEV, .a = DB0, .nulls = N_CTX, .want = -EINVAL },
	{ "msi_alloc NULL vec", F_MSI_ALLOC, S_DEV, .a = DB0, .nulls = N_OUT, .want = -EINVAL },
	{ "msi_alloc NULL msg_addr", F_MSI_ALLOC, S_DEV, .a = DB0, .nulls = N_OUT2,
	  .want = -EINVAL },
	{ "msi_alloc NULL beats unknown device", F_MSI_ALLOC, S_UNKNOWN, .a = DB0, .nulls = N_OUT2,
	  .want = -EINVAL },
	{ "msi_alloc unknown device", F_MSI_ALLOC, S_UNKNOWN, .a = DB0, .want = -ENOENT },
	{ "msi_alloc device 0", F_MSI_ALLOC, S_ZERO, .a = DB0, .want = -ENOENT },
	{ "msi_alloc on an IOAS", F_MSI_ALLOC, S_IOAS, .a = DB0, .want = -ENOENT },
	{ "msi_alloc on a HWPT", F_MSI_ALLOC, S_PAGING, .a = DB0, .want = -ENOENT },
	{ "msi_alloc outside the allow-list", F_MSI_ALLOC, S_DEV, .a = DB1, .want = -EPERM },
	{ "msi_alloc unknown device beats allow-list", F_MSI_ALLOC, S_UNKNOWN, .a = DB1,
	  .want = -ENOENT },
	{ "msi_alloc NULL beats allow-list", F_MSI_ALLOC, S_DEV, .a = DB1, .nulls = N_OUT,
	  .want = -EINVAL },
	{ "msi_free NULL ctx", F_MSI_FREE, S_DEV, S_VEC, .nulls = N_CTX, .want = -EINVAL },
	{ "msi_free unknown device", F_MSI_FREE, S_UNKNOWN, S_VEC, .want = -ENOENT },
	{ "msi_free on an IOAS", F_MSI_FREE, S_IOAS, S_VEC, .want = -ENOENT },
	{ "msi_free unknown vector", F_MSI_FREE, S_DEV, S_BAD_VEC, .want = -ENOENT },
	{ "msi_free freed vector", F_MSI_FREE, S_DEV, S_FREED_VEC, .want = -ENOENT },
	{ "msi_free another device's vector", F_MSI_FREE, S_IDLE, S_VEC, .want = -ENOENT },
	{ "msi_fire NULL ctx", F_MSI_FIRE, S_DEV, S_VEC, .nulls = N_CTX, .want = -EINVAL },
	{ "msi_fire NULL paddr", F_MSI_FIRE, S_DEV, S_VEC, .nulls = N_OUT, .want = -EINVAL },
	{ "msi_fire unknown device", F_MSI_FIRE, S_UNKNOWN, S_VEC, .want = -ENOENT },
	{ "msi_fire on a HWPT", F_MSI_FIRE, S_PAGING, S_VEC, .want = -ENOENT },
	{ "msi_fire unknown vector", F_MSI_FIRE, S_DEV, S_BAD_VEC, .want = -ENOENT },
	{ "msi_fire freed vector", F_MSI_FIRE, S_DEV, S_FREED_VEC, .want = -ENOENT },
};

static void msi_calls_bad_input_fail_exactly_change_nothing(void **state)
{
	run_rows(state, ROWS(msi_rows));
}

/* ------------------------------------------------------------------------ */
/* Context creation */

struct opts_row {
	const char *name;
	unsigned int page_shift, max_msi_maps;
	int reclaim;
	bool no_iommu, null_opts, null_out;
	int want;
};

static const struct opts_row opts_rows[] = {
	{ "NULL opts", .null_opts = true, .want = -EINVAL },
	{ "NULL ctxp", .null_out = true, .want = -EINVAL },
	{ "page_shift 13", .page_shift = 13, .want = -EINVAL },
	{ "page_shift 11", .page_shift = 11, .want = -EINVAL },
	{ "page_shift 15", .page_shift = 15, .want = -EINVAL },
	{ "page_shift 21", .page_shift = 21, .want = -EINVAL },
	{ "page_shift 64", .page_shift = 64, .want = -EINVAL },
	{ "max_msi_maps 1<<20 + 1", .max_msi_maps = SWMSI_MAX_MSI_MAPS_LIMIT + 1, .want = -EINVAL },
	{ "max_msi_maps UINT_MAX", .max_msi_maps = ~0u, .want = -EINVAL },
	{ "reclaim 2", .reclaim = 2, .want = -EOPNOTSUPP },
	{ "reclaim -1", .reclaim = -1, .want = -EOPNOTSUPP },
	{ "NULL iommu", .no_iommu = true, .want = -EINVAL },
	{ "page_shift 0", .page_shift = 0, .want = 0 },
	{ "page_shift 12", .page_shift = 12, .want = 0 },
	{ "page_shift 14", .page_shift = 14, .want = 0 },
	{ "page_shift 16", .page_shift = 16, .want = 0 },
	{ "max_msi_maps 1", .max_msi_maps = 1, .want = 0 },
	{ "max_msi_maps 1<<20", .max_msi_maps = SWMSI_MAX_MSI_MAPS_LIMIT, .want = 0 },
	{ "reclaim unused", .reclaim = SWMSI_RECLAIM_UNUSED, .want = 0 },
};

static void ctx_create_bad_options_fail_valid_ones_succeed(void **state)
{
	struct fx *fx = *state;
	size_t i;

	for (i = 0; i < sizeof(opts_rows) / sizeof(opts_rows[0]); i++) {
		const struct opts_row *r = &opts_rows[i];
		struct swmsi_ctx_opts o = {
			.page_shift = r->page_shift,
			.max_msi_maps = r->max_msi_maps,
			.reclaim = (enum swmsi_reclaim)r->reclaim,
			.iommu = r->no_iommu ? NULL : mock_iommu_ops(),
			.iommu_priv = fx->mock,
		};
		struct swmsi_ctx *sentinel = (struct swmsi_ctx *)&o, *ctx = sentinel;
		int rc;

		rc = swmsi_ctx_create(r->null_opts ? NULL : &o, r->null_out ? NULL : &ctx);
		if (rc != r->want)
			fail_msg("ctx_create %s: returned %d (%s), want %d", r->name, rc,
				 swmsi_errname(rc), r->want);
		if (rc) {
			if (ctx != sentinel)
				fail_msg("ctx_create %s: failed but wrote *ctxp", r->name);
			continue;
		}
		assert_non_null(ctx);
		assert_ptr_not_equal(ctx, sentinel);
		swmsi_ctx_destroy(ctx);
	}
	assert_int_equal(mock_iommu_domain_count(fx->mock), 0);
}

static void ctx_destroy_null_is_noop(void **state)
{
	(void)state;
	swmsi_ctx_destroy(NULL);
}

/* A window override on a context with nothing attached yet. */
static void ctx_set_sw_msi_window_bad_arguments_fail_einval(void **state)
{
	struct fx *fx = *state;
	uint32_t dev = fx_bind(fx, 1), h = fx_hwpt(fx, fx_ioas(fx), 0);
	struct swmsi_device_info di;

	assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, 0x10000800, 0x100000), -EINVAL);
	assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, 0x10000000, 0x1800), -EINVAL);
	assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, 0x10000000, 0), -EINVAL);
	assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, WRAP_START, WRAP_LEN), -EINVAL);
	assert_int_equal(swmsi_ctx_set_sw_msi_window(NULL, 0x10000000, 0x100000), -EINVAL);
	/* None of them took effect. */
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h), 0);
	assert_int_equal(swmsi_device_info(fx->ctx, dev, &di), 0);
	assert_int_equal(di.sw_msi_start, FX_WINDOW_START);
	assert_int_equal(di.sw_msi_size, FX_WINDOW_SIZE);
	/* A group with a window is attached now: busy, bad arguments still first. */
	assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, 0x10000000, 0x100000), -EBUSY);
	assert_int_equal(swmsi_ctx_set_sw_msi_window(fx->ctx, 0x10000000, 0), -EINVAL);
}

/* ------------------------------------------------------------------------ */
/* Destroy and stale ids */

static void destroy_twice_fails_enoent(void **state)
{
	struct fx *fx = *state;
	uint32_t ioas = fx_ioas(fx), h = fx_hwpt(fx, ioas, 0);

	assert_int_equal(swmsi_destroy(fx->ctx, h), 0);
	assert_int_equal(swmsi_destroy(fx->ctx, h), -ENOENT);
	assert_int_equal(swmsi_destroy(fx->ctx, ioas), 0);
	assert_int_equal(swmsi_destroy(fx->ctx, ioas), -ENOENT);
}

static void destroy_stale_id_stays_enoent_after_new_objects(void **state)
{
	struct fx *fx = *state;
	uint32_t old_ioas = fx_ioas(fx), old_hwpt = fx_hwpt(fx, old_ioas, 0), dev, out = 0;
	uint32_t ioas, h, i;
	enum swmsi_obj_type t;
	uint64_t pa = 0;

	assert_int_equal(swmsi_destroy(fx->ctx, old_hwpt), 0);
	assert_int_equal(swmsi_destroy(fx->ctx, old_ioas), 0);
	/* New objects of every kind: none takes a freed id. */
	ioas = fx_ioas(fx);
	h = fx_hwpt(fx, ioas, SWMSI_HWPT_NEST_PARENT);
	dev = fx_bind(fx, 1);
	for (i = 0; i < 8; i++)
		fx_ioas(fx);
	assert_int_not_equal(ioas, old_ioas);
	assert_int_not_equal(ioas, old_hwpt);
	assert_int_not_equal(h, old_ioas);
	assert_int_not_equal(h, old_hwpt);
	assert_int_not_equal(dev, old_ioas);
	assert_int_not_equal(dev, old_hwpt);
	assert_int_equal(swmsi_obj_type(fx->ctx, old_ioas, &t), -ENOENT);
	assert_int_equal(swmsi_obj_type(fx->ctx, old_hwpt, &t), -ENOENT);
	assert_int_equal(swmsi_destroy(fx->ctx, old_ioas), -ENOENT);
	assert_int_equal(swmsi_destroy(fx->ctx, old_hwpt), -ENOENT);
	assert_int_equal(swmsi_ioas_map(fx->ctx, old_ioas, 0x100000, 0x40000000, 0x1000, RW),
			 -ENOENT);
	assert_int_equal(swmsi_hwpt_alloc(fx->ctx, old_ioas, 0, &out), -ENOENT);
	assert_int_equal(swmsi_hwpt_iova_to_phys(fx->ctx, old_hwpt, 0x100000, &pa), -ENOENT);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, old_hwpt), -ENOENT);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, old_ioas), -ENOENT);
	assert_int_equal(out, 0);
}

/* An unbound device's id is stale too, for every call taking a device. */
static void device_unbind_stale_id_fails_enoent(void **state)
{
	struct fx *fx = *state;
	uint32_t dev = fx_bind(fx, 1), h = fx_hwpt(fx, fx_ioas(fx), 0), vec = 0;
	struct swmsi_device_info di;
	uint64_t msg = 0;

	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h), 0);
	assert_int_equal(swmsi_msi_alloc(fx->ctx, dev, DB0, &vec, &msg), 0);
	assert_int_equal(swmsi_device_unbind(fx->ctx, dev), 0);
	fx_bind(fx, 1);
	assert_int_equal(swmsi_device_unbind(fx->ctx, dev), -ENOENT);
	assert_int_equal(swmsi_device_info(fx->ctx, dev, &di), -ENOENT);
	assert_int_equal(swmsi_device_attach(fx->ctx, dev, h), -ENOENT);
	assert_int_equal(swmsi_device_detach(fx->ctx, dev), -ENOENT);
	assert_int_equal(swmsi_msi_fire(fx->ctx, dev, vec, &msg), -ENOENT);
	assert_int_equal(swmsi_msi_free(fx->ctx, dev, vec), -ENOENT);
	assert_int_equal(swmsi_msi_alloc(fx->ctx, dev, DB0, &vec, &msg), -ENOENT);
	assert_int_equal(swmsi_destroy(fx->ctx, dev), -ENOENT);
}

/* ------------------------------------------------------------------------ */
/* Error names */

static void errname_known_and_unknown_codes(void **state)
{
	static const struct {
		int err;
		const char *name;
	} known[] = {
		{ -EINVAL, "EINVAL" },	       { -ENOENT, "ENOENT" },
		{ -EBUSY, "EBUSY" },	       { -EPERM, "EPERM" },
		{ -EADDRINUSE, "EADDRINUSE" }, { -EOVERFLOW, "EOVERFLOW" },
		{ -ENOSPC, "ENOSPC" },	       { -ENOMEM, "ENOMEM" },
		{ -EEXIST, "EEXIST" },	       { -EOPNOTSUPP, "EOPNOTSUPP" },
		{ -EFAULT, "EFAULT" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		assert_string_equal(swmsi_errname(known[i].err), known[i].name);
		assert_int_equal(swmsi_errno_from_name(known[i].name), known[i].err);
	}
	assert_string_equal(swmsi_errname(-100000), "E?");
	assert_string_equal(swmsi_errname(12345), "E?");
	assert_int_equal(swmsi_errno_from_name("ENOTANERROR"), 0);
	assert_int_equal(swmsi_errno_from_name(""), 0);
	assert_int_equal(swmsi_errno_from_name(NULL), 0);
	assert_non_null(swmsi_version());
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(ctx_calls_bad_input_fail_exactly_change_nothing),
		T(ioas_calls_bad_input_fail_exactly_change_nothing),
		T(hwpt_calls_bad_input_fail_exactly_change_nothing),
		T(device_calls_bad_input_fail_exactly_change_nothing),
		T(msi_calls_bad_input_fail_exactly_change_nothing),
		T(ctx_create_bad_options_fail_valid_ones_succeed),
		T(ctx_destroy_null_is_noop),
		T(ctx_set_sw_msi_window_bad_arguments_fail_einval),
		T(destroy_twice_fails_enoent),
		T(destroy_stale_id_stays_enoent_after_new_objects),
		T(device_unbind_stale_id_fails_enoent),
		T(errname_known_and_unknown_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
