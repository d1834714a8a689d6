/* SPDX-License-Identifier: MIT */
/*
 * Broken invariants, as the checks report them: appended to the step's
 * list, in check order, a finding when the run's scheme is known to break
 * invariants (KERNEL, DMA_IOMMU without strict). Nothing is printed here:
 * the engine hands the list to the sinks with the step's record.
 *
 * A broken invariant usually holds broken for many steps: the checks of
 * every step that touches its objects report it again. So that a timeline
 * says it once, where it starts, and again where it ends, a run keeps what
 * holds (struct sim_findings): each reported one is known by its invariant
 * and its message, and by what it is about (sim_about()), so that a step
 * that checks that subject again and no longer reports it resolves it.
 * Everything a step does here costs what its checks reported and checked,
 * never what the run holds.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define NONE UINT32_MAX

/* One broken invariant that holds now. */
struct held {
	struct sim_violation v; /* as first reported; v.since: its step's line */
	uint64_t hash;		/* of invariant and message */
	uint32_t next_hash;	/* the next one in its hash's chain, or NONE */
	uint32_t next_about;	/* the next one about the same subject, or NONE */
	uint32_t seen;		/* the generation of the step that last reported it */
	uint64_t seq;		/* the order it was reported in */
	bool live;
};

struct sim_findings {
	struct held *v; /* slots, reused through @free */
	size_t n, cap;
	uint32_t *free;
	size_t nfree, cap_free;
	struct key_index by_hash;  /* hash -> first held of its chain */
	struct key_index by_about; /* subject -> first held about it */
	struct key_index checked;  /* subject -> the generation that checked it */
	uint64_t *subjects;	   /* the subjects this step checked or removed */
	size_t nsubjects, cap_subjects;
	uint32_t gen;
	uint64_t seq; /* of the last one held */
	struct sim_violation *resolved;
	uint64_t *resolved_seq; /* each resolved one's seq, to list them in report order */
	size_t cap_resolved_seq;
	size_t nresolved, cap_resolved;
};

/*
 * A subject the step checked (or removed), listed once, when something
 * held is about it: what starts at this step is held only after its
 * checks, so the list costs what the step checked of what holds.
 */
static void mark(struct sim *s, uint64_t about)
{
	struct sim_findings *f = s->fnd;

	if (!about || key_index_find(&f->by_about, about) < 0 ||
	    key_index_find(&f->checked, about) == (long)f->gen)
		return;
	if (key_index_set(&f->checked, about, f->gen) ||
	    sim_grow((void **)&f->subjects, &f->cap_subjects, f->nsubjects + 1,
		     sizeof(*f->subjects), 64)) {
		s->oom = true;
		return;
	}
	f->subjects[f->nsubjects++] = about;
}

void sim_about(struct sim *s, uint64_t about)
{
	s->about = about;
	if (s->fnd)
		mark(s, about);
}

void sim_violation(struct sim *s, const char *inv, const char *fmt, ...)
{
	struct sim_violation *v;
	va_list ap;

	if (sim_grow((void **)&s->viols, &s->cap_viols, s->nviols + 1, sizeof(*s->viols), 8)) {
		s->oom = true;
		return;
	}
	v = &s->viols[s->nviols++];
	v->inv = inv;
	v->finding = sim_findings_only(s);
	v->about = s->about;
	v->since = 0;
	va_start(ap, fmt);
	vsnprintf(v->msg, sizeof(v->msg), fmt, ap);
	va_end(ap);
}

/* FNV-1a of the invariant's name and the message. */
static uint64_t hash_of(const struct sim_violation *v)
{
	const char *parts[2] = { v->inv, v->msg };
	uint64_t h = 0xcbf29ce484222325ull;
	size_t k;

	for (k = 0; k < 2; k++) {
		const unsigned char *p = (const unsigned char *)parts[k];

		while (*p) {
			h ^= *p++;
			h *= 0x100000001b3ull;
		}
		h ^= 0xff; /* between the parts */
		h *= 0x100000001b3ull;
	}
	return h;
}

static uint32_t head(const struct key_index *ix, uint64_t key)
{
	long at = key_index_find(ix, key);

	return at < 0 ? NONE : (uint32_t)at;
}

/* The held one reported as @v (same invariant, same message), or NONE. */
static uint32_t find(const struct sim_findings *f, const struct sim_violation *v, uint64_t hash)
{
	uint32_t i;

	for (i = head(&f->by_hash, hash); i != NONE; i = f->v[i].next_hash)
		if (f->v[i].live && f->v[i].hash == hash && !strcmp(f->v[i].v.inv, v->inv) &&
		    !strcmp(f->v[i].v.msg, v->msg))
			return i;
	return NONE;
}

/* Hold @v from step line @line on. Returns 0 or -ENOMEM. */
static int hold(struct sim_findings *f, const struct sim_violation *v, uint64_t hash,
		unsigned int line)
{
	struct held *h;
	uint32_t i;

	if (f->nfree) {
		i = f->free[--f->nfree];
	} else {
		if (f->n >= NONE || sim_grow((void **)&f->v, &f->cap, f->n + 1, sizeof(*f->v), 16))
			return -ENOMEM;
		i = (uint32_t)f->n++;
	}
	h = &f->v[i];
	h->v = *v;
	h->v.since = line;
	h->hash = hash;
	h->seen = f->gen;
	h->seq = ++f->seq;
	h->live = true;
	h->next_hash = head(&f->by_hash, hash);
	h->next_about = head(&f->by_about, v->about);
	/* Out of memory (the run then ends with exit 2): a slot left dead in
	 * a chain is skipped, never reused. */
	if (key_index_set(&f->by_hash, hash, i) || key_index_set(&f->by_about, v->about, i)) {
		h->live = false;
		return -ENOMEM;
	}
	return 0;
}

/* Unlink slot @i from the chain of @key in @ix, whose links @next names. */
static void unlink_from(struct sim_findings *f, struct key_index *ix, uint64_t key, uint32_t i,
			bool by_hash)
{
	uint32_t *link, cur = head(ix, key), prev = NONE;

	while (cur != NONE && cur != i) {
		prev = cur;
		cur = by_hash ? f->v[cur].next_hash : f->v[cur].next_about;
	}
	if (cur == NONE)
		return;
	link = by_hash ? &f->v[i].next_hash : &f->v[i].next_about;
	if (prev == NONE) {
		if (*link == NONE)
			key_index_del(ix, key);
		else if (key_index_set(ix, key, *link))
			return; /* cannot happen: the key is there, no growth */
	} else if (by_hash) {
		f->v[prev].next_hash = *link;
	} else {
		f->v[prev].next_about = *link;
	}
}

/* It no longer holds: into the step's resolved list, its slot freed. */
static int release(struct sim_findings *f, uint32_t i)
{
	struct held *h = &f->v[i];

	size_t k;

	if (sim_grow((void **)&f->resolved, &f->cap_resolved, f->nresolved + 1,
		     sizeof(*f->resolved), 8) ||
	    sim_grow((void **)&f->resolved_seq, &f->cap_resolved_seq, f->nresolved + 1,
		     sizeof(*f->resolved_seq), 8) ||
	    sim_grow((void **)&f->free, &f->cap_free, f->nfree + 1, sizeof(*f->free), 16))
		return -ENOMEM;
	unlink_from(f, &f->by_hash, h->hash, i, true);
	unlink_from(f, &f->by_about, h->v.about, i, false);
	/* in the order they were reported (a step resolves a few: insertion) */
	for (k = f->nresolved; k && f->resolved_seq[k - 1] > h->seq; k--) {
		f->resolved[k] = f->resolved[k - 1];
		f->resolved_seq[k] = f->resolved_seq[k - 1];
	}
	f->resolved[k] = h->v;
	f->resolved_seq[k] = h->seq;
	f->nresolved++;
	h->live = false;
	f->free[f->nfree++] = i;
	return 0;
}

int sim_findings_begin(struct sim *s)
{
	struct sim_findings *f = s->fnd;

	s->about = 0;
	if (!f) {
		f = calloc(1, sizeof(*f));
		if (!f)
			return -ENOMEM;
		s->fnd = f;
	}
	f->nsubjects = 0;
	f->nresolved = 0;
	/* A new generation: what earlier steps checked counts as unchecked. */
	if (++f->gen == UINT32_MAX) {
		key_index_clear(&f->checked);
		f->gen = 1;
	}
	return 0;
}

/* Drop from s->viols what held already; hold what starts now. */
static void dedupe(struct sim *s, unsigned int line)
{
	struct sim_findings *f = s->fnd;
	size_t i, k = 0;

	for (i = 0; i < s->nviols; i++) {
		struct sim_violation *v = &s->viols[i];
		uint64_t hash;
		uint32_t at;

		if (v->about) {
			hash = hash_of(v);
			at = find(f, v, hash);
			if (at != NONE) {
				f->v[at].seen = f->gen;
				continue;
			}
			if (hold(f, v, hash, line))
				s->oom = true;
		}
		v->since = line;
		s->viols[k++] = *v;
	}
	s->nviols = k;
}

/* Objects in @before that @after no longer holds: gone with the step. */
static void mark_removed(struct sim *s, const struct snapshot *before, const struct snapshot *after)
{
	size_t i;

	for (i = 0; i < before->nobjs; i++) {
		uint32_t id = before->objs[i].id;

		if (!snapshot_dev(after, id) && !snapshot_hwpt(after, id) &&
		    !snapshot_ioas(after, id))
			mark(s, sim_about_obj(id));
	}
}

void sim_findings_settle(struct sim *s, unsigned int line, const struct snapshot *before,
			 const struct snapshot *after, const struct sim_change *ch, size_t nch,
			 bool resolve)
{
	struct sim_findings *f = s->fnd;
	size_t i;

	s->about = 0;
	if (!f)
		return;
	dedupe(s, line);
	if (!resolve)
		return;
	if (before && after && before->valid && after->valid)
		mark_removed(s, before, after);
	for (i = 0; i < nch; i++)
		if (ch[i].kind == SIM_CH_TABLE_FREED)
			mark(s, sim_about_map(ch[i].id));
	/* What the step checked, or removed, and did not report again. */
	for (i = 0; i < f->nsubjects; i++) {
		uint32_t at = head(&f->by_about, f->subjects[i]), next;

		for (; at != NONE; at = next) {
			next = f->v[at].next_about;
			if (f->v[at].live && f->v[at].seen != f->gen && release(f, at))
				s->oom = true;
		}
	}
}

const struct sim_violation *sim_findings_resolved(const struct sim *s, size_t *n)
{
	*n = s->fnd ? s->fnd->nresolved : 0;
	return s->fnd ? s->fnd->resolved : NULL;
}

void sim_findings_free(struct sim *s)
{
	struct sim_findings *f = s->fnd;

	if (!f)
		return;
	key_index_free(&f->by_hash);
	key_index_free(&f->by_about);
	key_index_free(&f->checked);
	free(f->v);
	free(f->free);
	free(f->subjects);
	free(f->resolved);
	free(f->resolved_seq);
	free(f);
	s->fnd = NULL;
}
