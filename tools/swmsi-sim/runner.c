/* SPDX-License-Identifier: MIT */
/*
 * The runner: plays a parsed scenario against libswmsi and the mock IOMMU,
 * one command a step. Around every step it snapshots what is observable,
 * reads the mock's journal, judges the command's expected outcome, prints
 * the step on the timeline with what changed, checks that a failed call
 * changed nothing, and checks the invariants.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "runner.h"

#define C_RESET "\033[0m"
#define C_OK	"\033[32m"
#define C_XERR	"\033[36m"
#define C_FAIL	"\033[1;31m"
#define C_DIM	"\033[2m"
#define C_HEAD	"\033[1m"

static const char *col(const struct sim *s, const char *c)
{
	return s->o.color ? c : "";
}

static const char *ecol(const struct sim *s, const char *c)
{
	return s->o.color_err ? c : "";
}

/*
 * A diagnostic on stderr. The timeline on stdout is flushed first: when both
 * go to one pipe (2>&1 | less) a message then follows the step it is about
 * instead of coming out ahead of the whole buffered timeline.
 */
static void diag(struct sim *s, const char *fmt, ...) SIM_PRINTF(2, 3);

static void diag(struct sim *s, const char *fmt, ...)
{
	va_list ap;

	if (!s->o.err)
		return;
	if (s->o.out)
		fflush(s->o.out);
	va_start(ap, fmt);
	vfprintf(s->o.err, fmt, ap);
	va_end(ap);
}

/*
 * A broken invariant under a scheme known to break it (KERNEL, DMA_IOMMU)
 * without strict: a finding, shown on the timeline and kept for the JSON
 * (after the step's violations), that does not fail the run.
 */
static void finding(struct sim *s, const char *inv, const char *msg)
{
	struct sim_finding *f;

	s->res->findings++;
	s->step_findings++;
	if (s->o.out)
		fprintf(s->o.out, "        %sfinding [%s]: %s%s\n", col(s, C_XERR), inv, msg,
			col(s, C_RESET));
	if (sim_grow((void **)&s->findings, &s->cap_findings, s->nfindings + 1,
		     sizeof(*s->findings), 8)) {
		s->oom = true;
		return;
	}
	f = &s->findings[s->nfindings++];
	f->inv = inv;
	snprintf(f->msg, sizeof(f->msg), "%s", msg);
}

void sim_violation(struct sim *s, const char *inv, const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (sim_findings_only(s)) {
		finding(s, inv, msg);
		return;
	}
	s->step_violations++;
	s->res->failed_invariants++;
	diag(s, "%s:%u:%u: %sinvariant violated%s after '%s': %s\n", s->scn->file,
	     s->cur ? s->cur->line : s->scn->lines, s->cur ? s->cur->col : 1, ecol(s, C_FAIL),
	     ecol(s, C_RESET), s->cur ? s->cur->text : "the last step", msg);
	if (s->o.out)
		fprintf(s->o.out, "        %sinvariant violated: %s%s\n", col(s, C_FAIL), msg,
			col(s, C_RESET));
	if (s->json) {
		sj_str(s->json, msg);
	}
}

/* The findings kept since the last call, as a JSON array under @key; then forgotten. */
static void json_findings(struct sim *s, const char *key)
{
	size_t i;

	if (s->json) {
		sj_key(s->json, key);
		sj_arr_begin(s->json);
		for (i = 0; i < s->nfindings; i++) {
			sj_obj_begin(s->json);
			sj_key(s->json, "invariant");
			sj_str(s->json, s->findings[i].inv);
			sj_key(s->json, "message");
			sj_str(s->json, s->findings[i].msg);
			sj_obj_end(s->json);
		}
		sj_arr_end(s->json);
	}
	s->nfindings = 0;
}

/* ---------------------------------------------------------------------- */
/* Formatting                                                             */

const char *sim_fmt_size(char *buf, size_t len, uint64_t v)
{
	if (v && !(v & ((1ull << 30) - 1)))
		snprintf(buf, len, "%" PRIu64 "G", v >> 30);
	else if (v && !(v & ((1ull << 20) - 1)))
		snprintf(buf, len, "%" PRIu64 "M", v >> 20);
	else if (v && !(v & ((1ull << 10) - 1)))
		snprintf(buf, len, "%" PRIu64 "K", v >> 10);
	else
		snprintf(buf, len, "0x%" PRIx64, v);
	return buf;
}

const char *sim_fmt_prot(char *buf, size_t len, uint32_t prot)
{
	size_t n = 0;

	if (len < 5) {
		if (len)
			buf[0] = '\0';
		return buf;
	}
	if (prot & SWMSI_PROT_READ)
		buf[n++] = 'r';
	if (prot & SWMSI_PROT_WRITE)
		buf[n++] = 'w';
	if (prot & SWMSI_PROT_MMIO)
		buf[n++] = 'm';
	if (!n)
		buf[n++] = '-';
	buf[n] = '\0';
	return buf;
}

static const char *errstr(int rc)
{
	return rc ? swmsi_errname(rc) : "ok";
}

/* One spelling of the mock's journal ops for --trace and the JSON alike. */
static const char *journal_op_word(enum mock_iommu_op op)
{
	static const char *const ops[] = { "?", "map", "unmap", "domain_alloc", "domain_free" };

	return (unsigned int)op < sizeof(ops) / sizeof(ops[0]) ? ops[op] : "?";
}

/* A label for a domain by its mock serial, remembered across snapshots. */
static void remember_domains(struct sim *s, const struct snapshot *sn)
{
	size_t i;

	for (i = 0; i < sn->nhwpts; i++) {
		const struct snapshot_hwpt *h = &sn->hwpts[i];
		char buf[40];

		if (h->info.type != SWMSI_OBJ_HWPT_PAGING || !h->serial)
			continue;
		if (h->serial >= s->ndom_label) {
			size_t n = h->serial + 16;
			void *nl = realloc(s->dom_label, n * sizeof(*s->dom_label));

			if (!nl) {
				s->oom = true;
				return;
			}
			s->dom_label = nl;
			memset(s->dom_label + s->ndom_label, 0,
			       (n - s->ndom_label) * sizeof(*s->dom_label));
			s->ndom_label = n;
		}
		sim_obj_label(s, sn, h->id, buf, sizeof(buf));
		snprintf(s->dom_label[h->serial], sizeof(s->dom_label[0]), "%s", buf);
	}
}

static const char *dom_label(const struct sim *s, unsigned int serial)
{
	if (serial < s->ndom_label && s->dom_label[serial][0])
		return s->dom_label[serial];
	return "?";
}

/* ---------------------------------------------------------------------- */
/* Timeline details                                                       */

static void change(struct sim *s, const char *fmt, ...) SIM_PRINTF(2, 3);

static void change(struct sim *s, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (s->o.out)
		fprintf(s->o.out, "        %s%s%s\n", col(s, C_DIM), line, col(s, C_RESET));
	if (s->json)
		sj_str(s->json, line);
}

/*
 * Where the group move sits among a step's journal entries: just after the
 * last map (or domain allocation). Attach and replace install everything
 * the group needs into the new domain before it moves, and reclaim the old
 * one only after (docs/design.md); a failed call has no move, and its
 * rollback unmaps stay after the map that failed.
 */
static size_t journal_move_point(const struct sim *s)
{
	size_t i, n = mock_iommu_journal_len(s->mock), split = 0;

	for (i = 0; i < n; i++) {
		struct mock_iommu_journal_entry e;

		if (mock_iommu_journal_get(s->mock, i, &e))
			break;
		if (e.op == MOCK_IOMMU_OP_MAP || e.op == MOCK_IOMMU_OP_DOMAIN_ALLOC)
			split = i + 1;
	}
	return split;
}

/* The journal entries [@from, @to) as change lines, in the order they happened. */
static void journal_changes(struct sim *s, size_t from, size_t to)
{
	char sz[24], pr[8];
	size_t i;

	for (i = from; i < to; i++) {
		struct mock_iommu_journal_entry e;

		if (mock_iommu_journal_get(s->mock, i, &e))
			break;
		switch (e.op) {
		case MOCK_IOMMU_OP_MAP:
			if (e.result)
				change(s,
				       "dom#%u %s: map 0x%" PRIx64 " [%s] -> 0x%" PRIx64
				       " failed: %s",
				       e.domain, dom_label(s, e.domain), e.iova,
				       sim_fmt_size(sz, sizeof(sz), e.size), e.paddr,
				       swmsi_errname(e.result));
			else
				change(s, "dom#%u %s: + 0x%" PRIx64 " [%s] -> 0x%" PRIx64 " %s",
				       e.domain, dom_label(s, e.domain), e.iova,
				       sim_fmt_size(sz, sizeof(sz), e.size), e.paddr,
				       sim_fmt_prot(pr, sizeof(pr), e.prot));
			break;
		case MOCK_IOMMU_OP_UNMAP:
			if (e.bytes != e.size)
				change(s,
				       "dom#%u %s: - 0x%" PRIx64 " [%s], only 0x%" PRIx64
				       " bytes unmapped",
				       e.domain, dom_label(s, e.domain), e.iova,
				       sim_fmt_size(sz, sizeof(sz), e.size), e.bytes);
			else
				change(s, "dom#%u %s: - 0x%" PRIx64 " [%s]", e.domain,
				       dom_label(s, e.domain), e.iova,
				       sim_fmt_size(sz, sizeof(sz), e.size));
			break;
		case MOCK_IOMMU_OP_DOMAIN_ALLOC:
			if (e.result)
				change(s, "domain allocation failed: %s", swmsi_errname(e.result));
			else
				change(s, "dom#%u %s: allocated", e.domain, dom_label(s, e.domain));
			break;
		case MOCK_IOMMU_OP_DOMAIN_FREE:
			change(s, "dom#%u %s: freed", e.domain, dom_label(s, e.domain));
			break;
		}
	}
}

static void trace_journal(struct sim *s)
{
	size_t i, n = mock_iommu_journal_len(s->mock);

	if (!s->o.out)
		return;
	for (i = 0; i < n; i++) {
		struct mock_iommu_journal_entry e;
		char pr[8];

		if (mock_iommu_journal_get(s->mock, i, &e))
			break;
		fprintf(s->o.out, "        %strace #%" PRIu64 " %s dom#%u", col(s, C_DIM), e.seq,
			journal_op_word(e.op), e.domain);
		if (e.op == MOCK_IOMMU_OP_MAP)
			fprintf(s->o.out,
				" iova 0x%" PRIx64 " paddr 0x%" PRIx64 " size 0x%" PRIx64
				" prot %s -> %s",
				e.iova, e.paddr, e.size, sim_fmt_prot(pr, sizeof(pr), e.prot),
				errstr(e.result));
		else if (e.op == MOCK_IOMMU_OP_UNMAP)
			fprintf(s->o.out,
				" iova 0x%" PRIx64 " size 0x%" PRIx64 " -> 0x%" PRIx64 " bytes",
				e.iova, e.size, e.bytes);
		else if (e.op == MOCK_IOMMU_OP_DOMAIN_ALLOC)
			fprintf(s->o.out, " -> %s", errstr(e.result));
		fprintf(s->o.out, "%s\n", col(s, C_RESET));
	}
}

/* Entries the step created (or gave a new page): they come with the installs. */
static void table_new(struct sim *s, const struct snapshot *a, const struct snapshot *b)
{
	size_t i;

	for (i = 0; i < b->nmaps; i++) {
		const struct swmsi_msi_map_info *m = &b->maps[i], *o = snapshot_map(a, m->id);

		if (o && o->msi_page == m->msi_page && o->sw_msi_start == m->sw_msi_start &&
		    o->slot == m->slot)
			continue;
		change(s,
		       "msi map %" PRIu32 ": window 0x%" PRIx64 " slot %" PRIu32 ", iova 0x%" PRIx64
		       " -> doorbell page 0x%" PRIx64,
		       m->id, m->sw_msi_start, m->slot, m->iova, m->msi_page);
	}
}

/* Entries the step freed: reclaim, after the unmaps that emptied them. */
static void table_freed(struct sim *s, const struct snapshot *a, const struct snapshot *b)
{
	size_t i;

	for (i = 0; i < a->nmaps; i++) {
		const struct swmsi_msi_map_info *m = &a->maps[i], *n = snapshot_map(b, m->id);

		if (n && n->msi_page == m->msi_page && n->sw_msi_start == m->sw_msi_start)
			continue;
		change(s,
		       "msi map %" PRIu32 " freed (slot %" PRIu32 " of window 0x%" PRIx64
		       ", page 0x%" PRIx64 ")",
		       m->id, m->slot, m->sw_msi_start, m->msi_page);
	}
}

static bool has_mapping(const struct swmsi_mapping *m, size_t n, const struct swmsi_mapping *x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (m[i].iova == x->iova && m[i].paddr == x->paddr && m[i].length == x->length &&
		    m[i].prot == x->prot)
			return true;
	return false;
}

/*
 * The guest's stage-1 table of each nested HWPT that lived through the step:
 * it has no journal (no backend domain of its own), so it is diffed.
 */
static void stage1_changes(struct sim *s, const struct snapshot *a, const struct snapshot *b)
{
	char hb[40], sz[24], pr[8];
	size_t i, k;

	for (i = 0; i < b->nhwpts; i++) {
		const struct snapshot_hwpt *h = &b->hwpts[i], *o = snapshot_hwpt(a, h->id);

		if (h->info.type != SWMSI_OBJ_HWPT_NESTED || !o)
			continue;
		sim_obj_label(s, b, h->id, hb, sizeof(hb));
		for (k = 0; k < h->ns1; k++) {
			const struct swmsi_mapping *m = &h->s1[k];

			if (!has_mapping(o->s1, o->ns1, m))
				change(s,
				       "%s stage 1: + 0x%" PRIx64 " [%s] -> ipa 0x%" PRIx64 " %s",
				       hb, m->iova, sim_fmt_size(sz, sizeof(sz), m->length),
				       m->paddr, sim_fmt_prot(pr, sizeof(pr), m->prot));
		}
		for (k = 0; k < o->ns1; k++) {
			const struct swmsi_mapping *m = &o->s1[k];

			if (!has_mapping(h->s1, h->ns1, m))
				change(s, "%s stage 1: - 0x%" PRIx64 " [%s]", hb, m->iova,
				       sim_fmt_size(sz, sizeof(sz), m->length));
		}
	}
}

static uint32_t group_hwpt(const struct snapshot *sn, uint32_t group, bool *exists)
{
	size_t i;

	*exists = false;
	for (i = 0; i < sn->ndevs; i++) {
		if (sn->devs[i].info.group != group)
			continue;
		*exists = true;
		if (sn->devs[i].info.hwpt_id)
			return sn->devs[i].info.hwpt_id;
	}
	return 0;
}

static void group_changes(struct sim *s, const struct snapshot *a, const struct snapshot *b)
{
	char x[40], y[40];
	size_t i, k;

	for (i = 0; i < a->ndevs + b->ndevs; i++) {
		const struct snapshot_dev *d = i < a->ndevs ? &a->devs[i] : &b->devs[i - a->ndevs];
		uint32_t g = d->info.group, from, to;
		bool in_a, in_b, dup = false;

		/* Each group once. */
		for (k = 0; k < i && !dup; k++) {
			const struct snapshot_dev *o = k < a->ndevs ? &a->devs[k]
								    : &b->devs[k - a->ndevs];

			dup = o->info.group == g;
		}
		if (dup)
			continue;
		from = group_hwpt(a, g, &in_a);
		to = group_hwpt(b, g, &in_b);
		if (from == to)
			continue;
		if (!to)
			change(s, "group %" PRIu32 ": leaves %s", g,
			       sim_obj_label(s, a, from, x, sizeof(x)));
		else if (!from)
			change(s, "group %" PRIu32 ": joins %s", g,
			       sim_obj_label(s, b, to, y, sizeof(y)));
		else
			change(s, "group %" PRIu32 ": %s -> %s", g,
			       sim_obj_label(s, a, from, x, sizeof(x)),
			       sim_obj_label(s, b, to, y, sizeof(y)));
	}
}

/* ---------------------------------------------------------------------- */
/* Execution                                                              */

/* The attached devices of group @g in @sn but device @except, "nvme, gpu". */
static void group_members(const struct sim *s, const struct snapshot *sn, uint32_t g,
			  uint32_t except, char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < sn->ndevs && off < len; i++) {
		const struct snapshot_dev *d = &sn->devs[i];

		if (d->info.group == g && d->id != except && d->info.attached)
			off += (size_t)snprintf(buf + off, len - off, "%s%s", off ? ", " : "",
						sim_obj_name(s, d->id));
	}
}

/* The vectors of every device of group @g. */
static size_t group_vectors(const struct snapshot *sn, uint32_t g)
{
	size_t i, n = 0;

	for (i = 0; i < sn->ndevs; i++)
		if (sn->devs[i].info.group == g)
			n += sn->devs[i].nvecs;
	return n;
}

/*
 * What detach and unbind did, which the change lines show only in part: a
 * group leaves its HWPT with its last attached device, and a detached
 * device keeps its vectors (blocked while its group, with a window, sits
 * nowhere) where unbind frees them.
 */
static void dev_detail(struct sim *s, struct sim_step *st, const struct snapshot *before,
		       const struct snapshot *after)
{
	const struct scn_cmd *c = st->c;
	const struct snapshot_dev *d;
	char hb[40], who[64];
	size_t off = 0, len = sizeof(st->detail);
	size_t nvecs;
	uint32_t to;
	bool exists;

	if ((c->op != SCN_DETACH && c->op != SCN_UNBIND) || st->rc)
		return;
	d = snapshot_dev(before, sim_oid(s, c->a.obj.obj));
	if (!d)
		return;
	if (c->op == SCN_UNBIND)
		off = (size_t)snprintf(st->detail, len,
				       d->nvecs ? "%zu vector%s freed (%s)" : "no vectors",
				       d->nvecs, d->nvecs == 1 ? "" : "s", st->labels);
	if (off >= len)
		return;
	if (!d->info.attached) {
		snprintf(st->detail + off, len - off, "%swas detached already", off ? "; " : "");
		return;
	}
	sim_obj_label(s, before, d->info.hwpt_id, hb, sizeof(hb));
	to = group_hwpt(after, d->info.group, &exists);
	if (to == d->info.hwpt_id) {
		group_members(s, after, d->info.group, d->id, who, sizeof(who));
		off += (size_t)snprintf(st->detail + off, len - off,
					"%sgroup %" PRIu32 " stays on %s (%s attached)",
					off ? "; " : "", d->info.group, hb, who);
	} else {
		off += (size_t)snprintf(st->detail + off, len - off, "%sgroup %" PRIu32 " left %s",
					off ? "; " : "", d->info.group, hb);
	}
	if (c->op == SCN_UNBIND || to == d->info.hwpt_id || off >= len)
		return;
	nvecs = group_vectors(before, d->info.group);
	if (nvecs)
		snprintf(st->detail + off, len - off, "; its %zu vector%s kept, %s", nvecs,
			 nvecs == 1 ? "" : "s",
			 d->info.sw_msi_start == SWMSI_PHYS_NONE
				 ? "untranslated"
				 : "blocked until it is attached again");
}

/* Judge a library call's outcome against the line's "=> ERR". */
static void judge_call(struct sim *s, struct sim_step *st)
{
	const struct scn_cmd *c = st->c;
	const struct sim_vec *v = c->op == SCN_FIRE ? &s->vecs[c->a.vec.vec] : NULL;

	if (v && !c->expect_err && v->ever)
		sim_step_want(st, "lands at the doorbell 0x%" PRIx64, v->msi_addr);
	if (v && !st->rc)
		sim_step_got(st, "lands at 0x%" PRIx64, st->value);
	if (c->expect_err) {
		if (st->rc == c->expect_err)
			return;
		if (v && !st->rc)
			sim_step_fail(st, "expected %s, but the write landed at 0x%" PRIx64,
				      swmsi_errname(c->expect_err), st->value);
		else
			sim_step_fail(st, "expected %s, got %s", swmsi_errname(c->expect_err),
				      st->rc ? swmsi_errname(st->rc) : "success");
		return;
	}
	if (st->rc) {
		sim_step_fail(st, "failed with %s", swmsi_errname(st->rc));
		return;
	}
	if (v && st->value != v->msi_addr)
		sim_step_fail(st,
			      "the write landed at 0x%" PRIx64 ", not at the doorbell 0x%" PRIx64,
			      st->value, v->msi_addr);
}

/* The paging HWPT device @dev sits on, directly or under a nested one; 0: none. */
static uint32_t dev_paging_hwpt(const struct snapshot *sn, uint32_t dev)
{
	const struct snapshot_dev *d = snapshot_dev(sn, dev);
	const struct snapshot_hwpt *h;

	h = d ? snapshot_paging_of(sn, snapshot_hwpt(sn, d->info.hwpt_id)) : NULL;
	return h ? h->id : 0;
}

static void msi_detail(struct sim *s, struct sim_step *st, const struct snapshot *after)
{
	char lb[40];
	const struct scn_cmd *c = st->c;
	const struct swmsi_vector_info *v;
	const struct swmsi_msi_map_info *m;

	if (c->op != SCN_MSI || st->rc)
		return;
	v = sim_snap_vec(after, sim_oid(s, c->a.vec.dev), s->vecs[c->a.vec.vec].handle);
	if (!v || !v->translated) {
		snprintf(st->detail, sizeof(st->detail), "msg 0x%" PRIx64 " untranslated",
			 st->value);
		return;
	}
	if (s->scheme == SWMSI_SCHEME_DMA_IOMMU) {
		snprintf(st->detail, sizeof(st->detail), "msg 0x%" PRIx64 " (through %s's cookie)",
			 st->value,
			 sim_obj_label(s, after, dev_paging_hwpt(after, sim_oid(s, c->a.vec.dev)),
				       lb, sizeof(lb)));
		return;
	}
	m = snapshot_map(after, v->map_id);
	snprintf(st->detail, sizeof(st->detail),
		 "msg 0x%" PRIx64 " (map %" PRIu32 ", slot %" PRIu32 ")", st->value, v->map_id,
		 m ? m->slot : 0);
}

/*
 * Where a fire's write went: its doorbell (the detail after "ok"), LOST
 * (EFAULT) or MISROUTED to another address, with whose doorbell that is.
 */
static void fire_detail(struct sim *s, struct sim_step *st, const struct snapshot *after)
{
	const struct sim_vec *v = &s->vecs[st->c->a.vec.vec];

	if (st->c->op != SCN_FIRE || !v->ever || !v->live || (st->rc && st->rc != -EFAULT))
		return;
	st->has_fate = true;
	st->fate = sim_fate_of(st->rc, st->value, v->msi_addr);
	sim_fate_text(s, after, st->rc, st->value, v->msi_addr, st->fate_text,
		      sizeof(st->fate_text));
	if (!st->rc)
		snprintf(st->detail, sizeof(st->detail), "%s", st->fate_text);
}

/* Width of the command column of the timeline. */
#define CMD_COLUMN 44

static void print_step(struct sim *s, const struct sim_step *st)
{
	const struct scn_cmd *c = st->c;
	FILE *f = s->o.out;
	int pad;

	if (!f)
		return;
	if (c->heading) {
		const char *h = c->heading;

		fputc('\n', f);
		while (*h) {
			size_t n = strcspn(h, "\n");

			fprintf(f, "%s## %.*s%s\n", col(s, C_HEAD), (int)n, h, col(s, C_RESET));
			h += n + (h[n] == '\n');
		}
	}
	/*
	 * The command without its "=> ERR": the result column says "ERR, as
	 * expected" or why not. One too long for its column gets a line of its
	 * own and the result goes under the column.
	 */
	pad = CMD_COLUMN - (int)c->call_len;
	fprintf(f, "%5u  %.*s", c->line, (int)c->call_len, c->text);
	if (pad < 0)
		fprintf(f, "\n%*s", 7 + CMD_COLUMN + 2, "");
	else
		fprintf(f, "%*s  ", pad, "");
	if (st->failed)
		fprintf(f, "%sFAIL%s: %s\n", col(s, C_FAIL), col(s, C_RESET), st->why);
	else if (st->rc)
		fprintf(f, "%s%s%s, as expected\n", col(s, C_XERR), swmsi_errname(st->rc),
			col(s, C_RESET));
	else
		fprintf(f, "%sok%s%s%s\n", col(s, C_OK), col(s, C_RESET), st->detail[0] ? "  " : "",
			st->detail);
	/* A fire that failed, or was judged, says where the write went. */
	if (st->has_fate && (st->rc || st->failed))
		fprintf(f, "        %s%s%s\n", col(s, st->failed ? C_FAIL : C_XERR), st->fate_text,
			col(s, C_RESET));
}

static void json_step_head(struct sim *s, const struct sim_step *st, bool skipped)
{
	struct sim_json *j = s->json;
	const struct scn_cmd *c = st->c;

	sj_obj_begin(j);
	sj_key(j, "line");
	sj_u64(j, c->line);
	sj_key(j, "col");
	sj_u64(j, c->col);
	sj_key(j, "command");
	sj_str(j, c->text);
	sj_key(j, "op");
	sj_str(j, scn_op_word(c->op));
	if (c->heading) {
		sj_key(j, "heading");
		sj_str(j, c->heading);
	}
	/* An error name or "ok"; for expect and fire, the claim and the outcome in words. */
	sj_key(j, "expect");
	if (st->want[0])
		sj_str(j, st->want);
	else if (c->expect_err)
		sj_str(j, swmsi_errname(c->expect_err));
	else
		sj_str(j, "ok");
	sj_key(j, "result");
	if (skipped)
		sj_str(j, "skipped");
	else if (st->got[0])
		sj_str(j, st->got);
	else
		sj_str(j, errstr(st->rc));
	sj_key(j, "status");
	sj_str(j, st->failed ? "fail" : skipped ? "skipped" : "pass");
	if (st->failed) {
		sj_key(j, "message");
		sj_str(j, st->why);
	}
	if (st->has_value) {
		sj_key(j, c->op == SCN_MSI ? "msg_addr" : "landed");
		sj_hex(j, st->value);
	}
	if (st->detail[0]) {
		sj_key(j, "detail");
		sj_str(j, st->detail);
	}
	if (st->has_fate) {
		sj_key(j, "write");
		sj_str(j, sim_fate_word(st->fate));
		if (st->fate != SIM_FATE_LOST) {
			sj_key(j, "write_to");
			sj_hex(j, st->value);
		}
	}
}

static void json_journal(struct sim *s)
{
	struct sim_json *j = s->json;
	size_t i, n = mock_iommu_journal_len(s->mock);

	sj_key(j, "journal");
	sj_arr_begin(j);
	for (i = 0; i < n; i++) {
		struct mock_iommu_journal_entry e;
		char pr[8];

		if (mock_iommu_journal_get(s->mock, i, &e))
			break;
		sj_obj_begin(j);
		sj_key(j, "seq");
		sj_u64(j, e.seq);
		sj_key(j, "op");
		sj_str(j, journal_op_word(e.op));
		sj_key(j, "domain");
		sj_u64(j, e.domain);
		if (e.op == MOCK_IOMMU_OP_MAP || e.op == MOCK_IOMMU_OP_UNMAP) {
			sj_key(j, "iova");
			sj_hex(j, e.iova);
			sj_key(j, "size");
			sj_hex(j, e.size);
		}
		if (e.op == MOCK_IOMMU_OP_MAP) {
			sj_key(j, "paddr");
			sj_hex(j, e.paddr);
			sj_key(j, "prot");
			sj_str(j, sim_fmt_prot(pr, sizeof(pr), e.prot));
		}
		if (e.op == MOCK_IOMMU_OP_UNMAP) {
			sj_key(j, "bytes");
			sj_hex(j, e.bytes);
		}
		if (e.op == MOCK_IOMMU_OP_MAP || e.op == MOCK_IOMMU_OP_DOMAIN_ALLOC) {
			sj_key(j, "result");
			sj_str(j, errstr(e.result));
		}
		sj_obj_end(j);
	}
	sj_arr_end(j);
}

static int ensure_ctx(struct sim *s)
{
	struct swmsi_ctx_opts o;
	int rc;

	if (s->ctx)
		return 0;
	rc = mock_iommu_create(s->scn->opts.page_shift, &s->mock);
	if (rc)
		return rc;
	memset(&o, 0, sizeof(o));
	o.page_shift = s->scn->opts.page_shift;
	o.max_msi_maps = s->scn->opts.max_msi_maps;
	o.reclaim = s->scn->opts.reclaim_unused ? SWMSI_RECLAIM_UNUSED : SWMSI_RECLAIM_NONE;
	o.scheme = s->scheme;
	o.iommu = mock_iommu_ops();
	o.iommu_priv = s->mock;
	rc = swmsi_ctx_create(&o, &s->ctx);
	if (rc) {
		mock_iommu_destroy(s->mock);
		s->mock = NULL;
	}
	return rc;
}

static void progress(struct sim *s, size_t done, size_t total)
{
	int width = 40, fill;
	unsigned int pct;

	if (!s->o.progress || !s->o.err || !total)
		return;
	/* Redraw when the percentage moves, not every step. */
	pct = (unsigned int)(done * 100 / total);
	if (done != total && done > 1 && pct == s->progress_pct)
		return;
	s->progress_pct = pct;
	fill = (int)((done * (size_t)width) / total);
	fprintf(s->o.err, "\r[%.*s%*s] %zu/%zu", fill, "########################################",
		width - fill, "", done, total);
	if (done == total)
		fprintf(s->o.err, "\r%*s\r", width + 30, "");
	fflush(s->o.err);
}

static void report_fail(struct sim *s, const struct sim_step *st)
{
	const struct scn_cmd *c = st->c;
	unsigned int column = c->expect_err ? c->expect_col : c->col;

	diag(s, "%s:%u:%u: %sexpectation failed%s: %s: %s\n", s->scn->file, c->line, column,
	     ecol(s, C_FAIL), ecol(s, C_RESET), c->text, st->why);
}

/* The names of the step's findings, each once: "slot-in-window, msg-in-window". */
static void finding_names(const struct sim *s, char *buf, size_t len)
{
	size_t i, k, off = 0;

	buf[0] = '\0';
	for (i = 0; i < s->nfindings && off < len; i++) {
		for (k = 0; k < i && strcmp(s->findings[k].inv, s->findings[i].inv); k++)
			;
		if (k == i)
			off += (size_t)snprintf(buf + off, len - off, "%s%s", off ? ", " : "",
						s->findings[i].inv);
	}
}

/* What the step did, for sim_opts.on_step (--compare). */
static void record_step(struct sim *s, const struct sim_step *st, const struct snapshot *after)
{
	struct sim_step_rec r;

	if (!s->o.on_step)
		return;
	memset(&r, 0, sizeof(r));
	r.index = (size_t)(st->c - s->scn->cmds);
	r.failed = st->failed;
	r.rc = st->rc;
	if (st->has_fate)
		snprintf(r.result, sizeof(r.result), "%s%s", st->rc ? "" : "ok  ", st->fate_text);
	else if (st->rc)
		snprintf(r.result, sizeof(r.result), "%s", swmsi_errname(st->rc));
	else if (scn_op_is_expect(st->c->op))
		snprintf(r.result, sizeof(r.result), "%.150s", st->failed ? st->got : "holds");
	else
		snprintf(r.result, sizeof(r.result), "ok%s%.150s", st->detail[0] ? "  " : "",
			 st->detail);
	r.violations = s->step_violations;
	r.findings = s->step_findings;
	finding_names(s, r.finding_names, sizeof(r.finding_names));
	r.nfates = sim_fates(s, after, r.fates, sizeof(r.fates));
	s->o.on_step(s->o.on_step_priv, &r);
}

/* One step. Returns false when the run must stop. */
static bool step(struct sim *s, const struct scn_cmd *c)
{
	struct snapshot before, after;
	struct sim_step st;
	const char *diff;
	char dbuf[160];
	int skipped = 0;
	size_t move;
	bool both;

	memset(&st, 0, sizeof(st));
	st.c = c;
	s->cur = c;
	s->step_violations = 0;
	s->step_findings = 0;
	if (sim_snap_take(s, &before))
		s->oom = true;
	remember_domains(s, &before);
	mock_iommu_journal_clear(s->mock);

	st.sn = &before;
	skipped = cmd_of(c->op)->run(s, &st);
	if (skipped) {
		s->res->skipped++;
		if (s->o.out)
			fprintf(s->o.out, "%5u  %s  skipped (over the size bound)\n", c->line,
				c->text);
		if (s->json) {
			json_step_head(s, &st, true);
			sj_obj_end(s->json);
		}
		if (s->o.on_step) {
			struct sim_step_rec r;

			memset(&r, 0, sizeof(r));
			r.index = (size_t)(c - s->scn->cmds);
			r.skipped = true;
			snprintf(r.result, sizeof(r.result), "skipped");
			s->o.on_step(s->o.on_step_priv, &r);
		}
		snapshot_free(&before);
		return true;
	}
	if (!scn_op_is_expect(c->op))
		judge_call(s, &st);

	if (sim_snap_take(s, &after))
		s->oom = true;
	remember_domains(s, &after);
	both = before.valid && after.valid;
	msi_detail(s, &st, &after);
	fire_detail(s, &st, &after);
	dev_detail(s, &st, &before, &after);
	s->res->steps++;
	/* The step's line first, so that its diagnostic follows it on a shared pipe. */
	print_step(s, &st);
	if (st.failed) {
		s->res->failed_expects++;
		report_fail(s, &st);
	}
	if (s->json) {
		json_step_head(s, &st, false);
		sj_key(s->json, "changes");
		sj_arr_begin(s->json);
	}
	/* Installs, then the move, then reclaim: the order the library works in. */
	move = journal_move_point(s);
	journal_changes(s, 0, move);
	if (both) {
		table_new(s, &before, &after);
		stage1_changes(s, &before, &after);
		group_changes(s, &before, &after);
	}
	journal_changes(s, move, mock_iommu_journal_len(s->mock));
	if (both)
		table_freed(s, &before, &after);
	if (s->json)
		sj_arr_end(s->json);
	if (s->o.trace)
		trace_journal(s);
	if (s->json) {
		json_journal(s);
		sj_key(s->json, "violations");
		sj_arr_begin(s->json);
	}
	/* A failed call changes nothing observable (API.md, Conventions). */
	if (st.rc && both) {
		diff = sim_snap_diff(&before, &after, dbuf, sizeof(dbuf));
		if (diff)
			sim_violation(s, "failed-call-changes-nothing",
				      "the call failed with %s but changed state: %s",
				      swmsi_errname(st.rc), diff);
	}
	sim_check_invariants(s, &after);
	if (s->json) {
		sj_arr_end(s->json);
		json_findings(s, "findings");
		sj_obj_end(s->json);
	}
	record_step(s, &st, &after);
	s->nfindings = 0;
	snapshot_free(&before);
	snapshot_free(&after);
	return s->o.keep_going || (!st.failed && !s->step_violations);
}

static void summary(struct sim *s, int status)
{
	struct sim_result *r = s->res;
	FILE *f = s->o.out;

	if (!f)
		return;
	fprintf(f, "%s%s%s: %zu step%s, %zu failed expectation%s, %zu invariant violation%s",
		col(s, status ? C_FAIL : C_OK), status ? "FAIL" : "PASS", col(s, C_RESET), r->steps,
		r->steps == 1 ? "" : "s", r->failed_expects, r->failed_expects == 1 ? "" : "s",
		r->failed_invariants, r->failed_invariants == 1 ? "" : "s");
	if (r->skipped)
		fprintf(f, ", %zu skipped", r->skipped);
	if (r->findings)
		fprintf(f, ", %zu finding%s under scheme %s", r->findings,
			r->findings == 1 ? "" : "s", swmsi_scheme_name(s->scheme));
	fputc('\n', f);
}

/* An output file, "-" being standard output. NULL (and said why) when it cannot be opened. */
static FILE *open_output(struct sim *s, const char *path)
{
	FILE *f;

	if (!strcmp(path, "-"))
		return stdout;
	f = fopen(path, "w");
	if (!f)
		diag(s, "swmsi-sim: cannot write %s: %s\n", path, strerror(errno));
	return f;
}

/* Close (or, for standard output, flush) an output. Returns 0, or -1 when
 * not all of it was written, having said why. */
static int close_output(struct sim *s, FILE *f, const char *path)
{
	bool std = f == stdout;
	int bad;

	errno = 0;
	bad = std ? fflush(f) || ferror(f) : fclose(f);
	if (!bad)
		return 0;
	diag(s, "swmsi-sim: cannot write %s: %s\n", std ? "standard output" : path,
	     errno ? strerror(errno) : "write error");
	return -1;
}

/* The final state to --dot's @df (already open) and --svg. */
static int write_outputs(struct sim *s, const struct snapshot *fin, FILE *df)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int rc = 0;

	if (df)
		sim_dot_state(s, df, fin);
	if (s->o.svg_path) {
		f = open_memstream(&buf, &len);
		if (!f)
			return -1;
		sim_dot_state(s, f, fin);
		if (fclose(f)) {
			free(buf);
			return -1;
		}
		/* dot may write to our standard output: what we wrote goes first. */
		fflush(stdout);
		rc = sim_render_svg(buf, len, s->o.svg_path, s->o.err);
		free(buf);
	}
	return rc;
}

int sim_run(const struct scn *scn, const struct sim_opts *opts, struct sim_result *res)
{
	struct sim_json json;
	struct snapshot fin;
	FILE *jf = NULL, *df = NULL;
	struct sim s;
	size_t i, total;
	int status = SIM_OK, rc;

	memset(res, 0, sizeof(*res));
	memset(&s, 0, sizeof(s));
	memset(&fin, 0, sizeof(fin));
	s.scn = scn;
	s.o = *opts;
	s.res = res;
	s.page_size = 1ull << scn->opts.page_shift;
	s.window_override = SWMSI_PHYS_NONE;
	s.scheme = opts->has_scheme ? opts->scheme : scn->opts.scheme;
	s.strict = opts->strict || scn->opts.strict;
	s.objs = calloc(scn->nnames ? scn->nnames : 1, sizeof(*s.objs));
	s.vecs = calloc(scn->nvecs ? scn->nvecs : 1, sizeof(*s.vecs));
	if (!s.objs || !s.vecs || sim_names_init(&s)) {
		status = SIM_USAGE;
		goto out_free;
	}
	/* Both outputs are opened first: a path that cannot be written fails
	 * the run before it starts, not after. */
	if (s.o.dot_path) {
		df = open_output(&s, s.o.dot_path);
		if (!df) {
			status = SIM_USAGE;
			goto out_free;
		}
	}
	if (s.o.json_path || s.o.json_file) {
		jf = s.o.json_file ? s.o.json_file : open_output(&s, s.o.json_path);
		if (!jf) {
			status = SIM_USAGE;
			goto out_free;
		}
		sj_init(&json, jf);
		s.json = &json;
		sj_obj_begin(&json);
		sj_key(&json, "tool");
		sj_str(&json, "swmsi-sim");
		sj_key(&json, "version");
		sj_str(&json, swmsi_version());
		sj_key(&json, "file");
		sj_str(&json, scn->file);
		sj_key(&json, "scheme");
		sj_str(&json, swmsi_scheme_name(s.scheme));
		sj_key(&json, "strict");
		sj_bool(&json, s.strict);
		sj_key(&json, "options");
		sj_obj_begin(&json);
		sj_key(&json, "page_shift");
		sj_u64(&json, scn->opts.page_shift);
		sj_key(&json, "max_msi_maps");
		sj_u64(&json, scn_max_msi_maps(&scn->opts));
		sj_key(&json, "reclaim");
		sj_str(&json, scn->opts.reclaim_unused ? "unused" : "none");
		sj_obj_end(&json);
		sj_key(&json, "steps");
		sj_arr_begin(&json);
	}
	if (s.o.out)
		fprintf(s.o.out,
			"swmsi-sim %s: %s (scheme %s%s, page_shift %u, max_msi_maps %u, "
			"reclaim %s)%s%s\n",
			swmsi_version(), scn->file, swmsi_scheme_name(s.scheme),
			s.strict && s.scheme != SWMSI_SCHEME_NATIVE ? " strict" : "",
			scn->opts.page_shift, scn_max_msi_maps(&scn->opts),
			scn->opts.reclaim_unused ? "unused" : "none", s.o.note ? "; " : "",
			s.o.note ? s.o.note : "");

	total = scn->ncmds;
	if (s.o.max_steps && total > s.o.max_steps)
		total = s.o.max_steps;
	for (i = 0; i < total; i++) {
		if (!s.ctx) {
			rc = ensure_ctx(&s);
			if (rc) {
				diag(&s, "%s:%u:%u: cannot create the context: %s\n", scn->file,
				     scn->cmds[i].line, scn->cmds[i].col, swmsi_errname(rc));
				status = SIM_FAILED;
				break;
			}
		}
		if (!step(&s, &scn->cmds[i]))
			break;
		progress(&s, i + 1, total);
	}
	if (s.o.progress && i < total)
		progress(&s, total, total);
	s.cur = NULL;

	if (s.json) {
		sj_arr_end(&json);
		sj_key(&json, "final");
	}
	if (sim_snap_take(&s, &fin))
		s.oom = true;
	if (s.json)
		sim_json_state(&s, &json, &fin);
	if (write_outputs(&s, &fin, df))
		status = SIM_USAGE;

	if (s.ctx) {
		swmsi_ctx_destroy(s.ctx);
		s.ctx = NULL;
		/* Destroying the context must leave the IOMMU as it found it. */
		if (s.json) {
			sj_key(&json, "teardown_violations");
			sj_arr_begin(&json);
		}
		if (mock_iommu_domain_count(s.mock) || mock_iommu_mapped_pages(s.mock, NULL))
			sim_violation(&s, "teardown-empty",
				      "destroying the context left %zu domains and %" PRIu64
				      " mapped pages in the IOMMU",
				      mock_iommu_domain_count(s.mock),
				      mock_iommu_mapped_pages(s.mock, NULL));
		if (mock_iommu_misuse_count(s.mock) > s.misuse_seen)
			sim_violation(
				&s, "mock-misuse",
				"the core misused the mock IOMMU while destroying the context");
		if (s.json) {
			sj_arr_end(&json);
			json_findings(&s, "teardown_findings");
		}
	}
	if (s.oom) {
		diag(&s, "swmsi-sim: out of memory\n");
		status = SIM_USAGE;
	}
	if (status == SIM_OK && (res->failed_expects || res->failed_invariants))
		status = SIM_FAILED;
	summary(&s, status);
	if (s.json) {
		sj_key(&json, "summary");
		sj_obj_begin(&json);
		sj_key(&json, "steps");
		sj_u64(&json, res->steps);
		sj_key(&json, "failed_expectations");
		sj_u64(&json, res->failed_expects);
		sj_key(&json, "invariant_violations");
		sj_u64(&json, res->failed_invariants);
		sj_key(&json, "skipped");
		sj_u64(&json, res->skipped);
		sj_key(&json, "findings");
		sj_u64(&json, res->findings);
		sj_key(&json, "exit");
		sj_u64(&json, (uint64_t)status);
		sj_obj_end(&json);
		sj_obj_end(&json);
		fputc('\n', jf);
	}

out_free:
	snapshot_free(&fin);
	if (jf && !s.o.json_file && close_output(&s, jf, s.o.json_path) && status == SIM_OK)
		status = SIM_USAGE;
	if (df && close_output(&s, df, s.o.dot_path) && status == SIM_OK)
		status = SIM_USAGE;
	swmsi_ctx_destroy(s.ctx);
	mock_iommu_destroy(s.mock);
	sim_names_free(&s);
	free(s.objs);
	free(s.vecs);
	free(s.s1);
	free(s.windows);
	free(s.dom_label);
	free(s.findings);
	return status;
}
