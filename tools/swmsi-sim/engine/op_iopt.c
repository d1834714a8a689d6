/* SPDX-License-Identifier: MIT */
/*
 * The run functions of the commands on the IOAS as upstream's
 * io_pagetable: a named area at an allocated or given IOVA
 * (swmsi_ioas_map_user()), its unmap and unmap of everything
 * (swmsi_ioas_unmap_range()), copy, allowed ranges, reserved ranges, huge
 * pages, and the expectations on them.
 *
 * A user VA stands for memory the process has: the library checks with
 * mincore(2) that it is mapped once a domain needs its pages (-EFAULT, as
 * pinning would be). So an area without va= gets real memory, an
 * anonymous mapping that reserves no RAM, asked for at a fixed address
 * (SIM_VA_BASE up) so that the run's output is the same from run to run.
 * Its address has exactly the alignment of the length's power of two, so
 * that the IOVA the library allocates depends on the length alone
 * (iopt_alloc_iova() lowers the alignment to the VA's). Where the fixed
 * address cannot be had (a sanitizer's or valgrind's layout), any address
 * with that alignment serves: the IOVAs stay the same, the VAs differ.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "engine.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* Where the simulator asks for its areas' memory, in a 48-bit address
 * space: application memory for ASan (above its shadow, clear of its
 * allocator at 0x600000000000) and for TSan (its high range), below
 * where the kernel puts shared libraries and the stack. */
#define SIM_VA_BASE 0x7e8000000000ull
/* Beyond this alignment no memory is mapped: the VA is a number only. */
#define SIM_VA_MAX_ALIGN (1ull << 40)

/* Is @len over the fuzzing bound (the mock builds page tables for it)? */
static bool too_big_map(const struct sim *s, uint64_t len)
{
	return s->o.max_map_bytes && len > s->o.max_map_bytes;
}

static struct sim_area *areas(struct sim *s)
{
	if (!s->areas)
		s->areas = calloc(s->scn->nnames ? s->scn->nnames : 1, sizeof(*s->areas));
	if (!s->areas)
		s->oom = true;
	return s->areas;
}

void sim_areas_free(struct sim *s)
{
	size_t i;

	for (i = 0; s->areas && i < s->scn->nnames; i++)
		if (s->areas[i].mem)
			munmap(s->areas[i].mem, s->areas[i].mem_len);
	free(s->areas);
	s->areas = NULL;
	s->va_next = 0;
}

const struct sim_area *sim_area(const struct sim *s, unsigned int name)
{
	return s->areas && name < s->scn->nnames ? &s->areas[name] : NULL;
}

/* The power of two at or above @len (and a page at least). */
static uint64_t pow2_at_least(uint64_t len, uint64_t page)
{
	uint64_t a = page;

	while (a < len && a < (1ull << 62))
		a <<= 1;
	return a;
}

/* Anonymous memory of @len bytes at @want, else anywhere: its start with
 * exactly the alignment @align (start % (2 * align) == align). */
static uint64_t map_memory(struct sim_area *ar, uint64_t want, uint64_t len, uint64_t align)
{
	const int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
	void *m = mmap((void *)(uintptr_t)want, (size_t)len, PROT_READ | PROT_WRITE,
		       flags | MAP_FIXED_NOREPLACE, -1, 0);
	uint64_t at;

	if (m != MAP_FAILED && (uint64_t)(uintptr_t)m == want) {
		ar->mem = m;
		ar->mem_len = (size_t)len;
		return want;
	}
	if (m != MAP_FAILED)
		munmap(m, (size_t)len); /* a kernel that took the address as a hint */
	m = mmap(NULL, (size_t)(len + 3 * align), PROT_READ | PROT_WRITE, flags, -1, 0);
	if (m == MAP_FAILED)
		return 0;
	ar->mem = m;
	ar->mem_len = (size_t)(len + 3 * align);
	at = ((uint64_t)(uintptr_t)m + 2 * align - 1) & ~(2 * align - 1);
	return at + align;
}

/* The VA of area @ar of @len bytes: memory mapped for it, or, past what
 * can be mapped, a number with the alignment that memory would have. */
static uint64_t area_va(struct sim *s, struct sim_area *ar, uint64_t len)
{
	uint64_t align = pow2_at_least(len, s->page_size), want, va;

	if (ar->mem) /* a name's memory is mapped once */
		return ar->va;
	if (align > SIM_VA_MAX_ALIGN || !len || (s->o.max_map_bytes && len > s->o.max_map_bytes))
		return align;
	if (!s->va_next)
		s->va_next = SIM_VA_BASE;
	want = ((s->va_next + 2 * align - 1) & ~(2 * align - 1)) + align;
	len = (len + s->page_size - 1) & ~(s->page_size - 1);
	va = map_memory(ar, want, len, align);
	if (!va)
		return align;
	/* a guard page between areas */
	s->va_next = want + len + s->page_size;
	return va;
}

static void area_event(struct sim *s, const struct sim_step *st, struct sim_area *ar)
{
	const struct scn_cmd *c = st->c;

	ar->ev.line = c->line;
	ar->ev.op = c->op;
	ar->ev.rc = st->rc;
	ar->ev.step = (size_t)(c - s->scn->cmds);
}

int exec_map_user(struct sim *s, struct sim_step *st)
{
	const struct scn_a_area *a = &st->c->a.area;
	struct sim_area *all = areas(s), *ar;
	uint64_t iova = a->fixed ? a->iova : 0;

	if (too_big_map(s, a->length))
		return 1;
	if (!all)
		return 0;
	ar = &all[a->name];
	ar->va = a->has_va ? a->va : area_va(s, ar, a->length);
	st->rc = swmsi_ioas_map_user(s->ctx, sim_oid(s, a->ioas),
				     a->flags | (a->fixed ? SWMSI_IOAS_MAP_FIXED_IOVA : 0), ar->va,
				     a->length, &iova);
	area_event(s, st, ar);
	if (st->rc)
		return 0;
	ar->ioas = sim_oid(s, a->ioas);
	ar->iova = iova;
	ar->len = a->length;
	ar->live = true;
	ar->fixed = a->fixed;
	st->value = iova;
	st->has_value = true;
	return 0;
}

/* Areas of IOAS @ioas inside [@iova, @iova + @len - 1] are gone, at step
 * @st (their history's last line). */
static void areas_gone(struct sim *s, const struct sim_step *st, uint32_t ioas, uint64_t iova,
		       uint64_t len)
{
	size_t i;

	for (i = 0; s->areas && i < s->scn->nnames; i++) {
		struct sim_area *ar = &s->areas[i];

		if (ar->live && ar->ioas == ioas && ar->iova >= iova &&
		    ar->iova + (ar->len - 1) <= iova + (len - 1)) {
			ar->live = false;
			area_event(s, st, ar);
		}
	}
}

int exec_unmap_area(struct sim *s, struct sim_step *st)
{
	const struct scn_a_area *a = &st->c->a.area;
	struct sim_area *all = areas(s), *ar = NULL;
	uint64_t iova = 0, len = UINT64_MAX, done = 0;

	if (!all)
		return 0;
	if (!a->all) {
		ar = &all[a->name];
		iova = ar->iova;
		/* an area never mapped: a range no area can be in */
		len = ar->len ? ar->len : 1;
	}
	st->rc = swmsi_ioas_unmap_range(s->ctx, sim_oid(s, a->ioas), iova, len, &done);
	if (st->rc) /* the area's history stays its map's */
		return 0;
	areas_gone(s, st, sim_oid(s, a->ioas), iova, len);
	st->value = done;
	st->has_value = true;
	return 0;
}

/* A v0.1 unmap that succeeded: the named areas it took are gone too. */
void sim_areas_unmapped(struct sim *s, const struct sim_step *st, uint32_t ioas, uint64_t iova,
			uint64_t len)
{
	if (len)
		areas_gone(s, st, ioas, iova, len);
}

int exec_copy(struct sim *s, struct sim_step *st)
{
	const struct scn_a_area *a = &st->c->a.area;
	struct sim_area *all = areas(s), *src = NULL;
	uint64_t from = a->iova, len = a->length, at = a->fixed ? a->at : 0;

	if (!all)
		return 0;
	if (a->name != SCN_NO_NAME) {
		src = &all[a->name];
		from = src->iova;
		if (!len)
			len = src->len ? src->len : 1;
	}
	if (too_big_map(s, len))
		return 1;
	st->rc = swmsi_ioas_copy(s->ctx, sim_oid(s, a->dst), sim_oid(s, a->ioas), from, len, &at,
				 a->flags | (a->fixed ? SWMSI_IOAS_MAP_FIXED_IOVA : 0));
	if (a->as != SCN_NO_NAME)
		area_event(s, st, &all[a->as]);
	if (st->rc)
		return 0;
	if (a->as != SCN_NO_NAME) {
		all[a->as].ioas = sim_oid(s, a->dst);
		all[a->as].iova = at;
		all[a->as].len = len;
		all[a->as].live = true;
		all[a->as].fixed = a->fixed;
	}
	st->value = at;
	st->has_value = true;
	return 0;
}

int exec_allow(struct sim *s, struct sim_step *st)
{
	const struct scn_a_ranges *a = &st->c->a.ranges;

	st->rc = swmsi_ioas_allow_iovas(s->ctx, sim_oid(s, a->ioas),
					a->n ? s->scn->ranges + a->first : NULL, a->n);
	return 0;
}

int exec_reserve(struct sim *s, struct sim_step *st)
{
	const struct scn_a_ioasopt *a = &st->c->a.ioasopt;

	st->rc = swmsi_ioas_add_reserved(s->ctx, sim_oid(s, a->ioas), a->start, a->size);
	return 0;
}

int exec_huge_pages(struct sim *s, struct sim_step *st)
{
	const struct scn_a_ioasopt *a = &st->c->a.ioasopt;

	st->rc = swmsi_ioas_set_huge_pages(s->ctx, sim_oid(s, a->ioas), a->on);
	return 0;
}

/* The area is where the line says (q_rc -ENOENT: it is not mapped). */
int expect_area_iova(struct sim *s, struct sim_step *st)
{
	const struct scn_a_area *a = &st->c->a.area;
	const struct sim_area *ar = sim_area(s, a->name);

	st->q_rc = ar && ar->live ? 0 : -ENOENT;
	st->q_pa = ar ? ar->iova : 0;
	st->failed = st->q_rc || st->q_pa != a->iova;
	return 0;
}

int expect_alignment(struct sim *s, struct sim_step *st)
{
	const struct scn_a_ioasopt *a = &st->c->a.ioasopt;

	st->q_pa = 0;
	st->q_rc = swmsi_ioas_iova_alignment(s->ctx, sim_oid(s, a->ioas), &st->q_pa);
	st->failed = st->q_rc || st->q_pa != a->size;
	return 0;
}
