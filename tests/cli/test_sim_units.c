/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the simulator's judging code fed with crafted states: a
 * small scenario is run on an engine session (no sinks), its snapshot is
 * taken, then doctored so that each invariant breaks, and the checker's
 * violation (name and message) is asserted. Also where an MSI write went
 * (fate.c), what holds across steps (violation.c) and the JSON writer's
 * string escaping (json.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "sinks.h"

/* nic: group 1, window 0x8000000 (1 MiB), one vector q0 on doorbell
 * 0x8090040, attached to paging HWPT h; gpu: group 2, no window. */
static const char base_scn[] = "ioas a\n"
			       "hwpt h a\n"
			       "device nic group=1 window=0x8000000:1M\n"
			       "attach nic h\n"
			       "msi nic q0 0x8090040\n";

struct fx {
	struct scn *scn;
	struct sim_session *ss;
	struct sim *s;
	struct snapshot sn;
};

/* Parse @text, run its commands bare, snapshot the state. */
static void fx_open(struct fx *f, const char *text)
{
	struct sim_opts o;
	struct scn_diag d;
	size_t i;

	memset(f, 0, sizeof(*f));
	if (scn_parse(text, strlen(text), "u.scn", &f->scn, &d))
		fail_msg("parse error %u:%u: %s", d.line, d.col, d.msg);
	memset(&o, 0, sizeof(o));
	o.full_check = true;
	assert_int_equal(sim_session_open(f->scn, &o, &f->ss), 0);
	f->s = sim_session_sim(f->ss);
	for (i = 0; i < f->scn->ncmds; i++) {
		struct sim_step st;

		memset(&st, 0, sizeof(st));
		st.c = &f->scn->cmds[i];
		f->s->cur = st.c;
		sim_step_run(f->s, &st);
		assert_int_equal(st.rc, 0);
	}
	assert_int_equal(sim_snap_take(f->s, &f->sn), 0);
	assert_true(f->sn.valid);
	sim_agg_rebuild(f->s, &f->sn);
	sim_remember_domains(f->s, &f->sn);
}

static void fx_close(struct fx *f)
{
	snapshot_free(&f->sn);
	sim_session_close(f->ss);
	scn_free(f->scn);
}

/* Check the (doctored) snapshot afresh. Returns the number of violations. */
static size_t fx_check(struct fx *f)
{
	f->s->nviols = 0;
	sim_check_invariants(f->s, &f->sn);
	return f->s->nviols;
}

/* Invariant @inv was reported, with exactly message @msg. */
static void has_viol(const struct fx *f, const char *inv, const char *msg)
{
	size_t i;

	for (i = 0; i < f->s->nviols; i++)
		if (!strcmp(f->s->viols[i].inv, inv)) {
			assert_string_equal(f->s->viols[i].msg, msg);
			return;
		}
	fail_msg("no '%s' violation among %zu", inv, f->s->nviols);
}

static struct snapshot_dev *dev0(struct fx *f)
{
	assert_int_equal(f->sn.ndevs, 1);
	assert_int_equal(f->sn.devs[0].nvecs, 1);
	return &f->sn.devs[0];
}

static void sound_state_breaks_nothing(void **state)
{
	struct fx f;

	(void)state;
	fx_open(&f, base_scn);
	assert_int_equal(fx_check(&f), 0);
	/* An incomplete snapshot is not judged. */
	f.sn.devs[0].fire[0].paddr ^= 0x1000;
	f.sn.valid = false;
	assert_int_equal(fx_check(&f), 0);
	fx_close(&f);
}

static void fire_elsewhere_breaks_fire_matches_translation(void **state)
{
	struct fx f;

	(void)state;
	fx_open(&f, base_scn);
	dev0(&f)->fire[0].paddr = 0x9999040;
	assert_int_equal(fx_check(&f), 1);
	has_viol(&f, "fire-matches-translation",
		 "nic q0 fired to 0x9999040 but h translates 0x8000040 to 0x8090040");
	fx_close(&f);
}

static void lost_fire_breaks_fire_matches_translation(void **state)
{
	struct fx f;

	(void)state;
	fx_open(&f, base_scn);
	dev0(&f)->fire[0].rc = -EFAULT;
	dev0(&f)->fire[0].paddr = 0;
	assert_int_equal(fx_check(&f), 1);
	has_viol(&f, "fire-matches-translation",
		 "nic q0 was lost (EFAULT) but h translates 0x8000040 to 0x8090040");
	fx_close(&f);
}

static void no_window_fire_must_reach_doorbell(void **state)
{
	struct fx f;
	struct snapshot_dev *d;

	(void)state;
	fx_open(&f, base_scn);
	d = dev0(&f);
	d->info.sw_msi_start = SWMSI_PHYS_NONE;
	d->vecs[0].translated = false;
	d->vecs[0].msg_addr = d->vecs[0].msi_addr;
	d->fire[0].paddr = 0x1000;
	assert_int_equal(fx_check(&f), 1);
	has_viol(&f, "fire-no-window",
		 "nic q0 (no window) fired to 0x1000, not to its doorbell 0x8090040");
	d->fire[0].rc = -EFAULT;
	fx_check(&f);
	has_viol(&f, "fire-no-window",
		 "nic q0 (no window) was lost (EFAULT), not to its doorbell 0x8090040");
	fx_close(&f);
}

static void detached_fire_must_be_blocked(void **state)
{
	struct fx f;

	(void)state;
	fx_open(&f, base_scn);
	dev0(&f)->info.hwpt_id = 0;
	fx_check(&f);
	has_viol(&f, "detached-blocked",
		 "nic q0 fired (landed) while its group is detached: "
		 "a detached group's DMA is blocked");
	dev0(&f)->fire[0].rc = -ENOENT;
	fx_check(&f);
	has_viol(&f, "detached-blocked",
		 "nic q0 fired (ENOENT) while its group is detached: "
		 "a detached group's DMA is blocked");
	fx_close(&f);
}

static void doorbell_moved_breaks_msi_reaches_doorbell(void **state)
{
	struct fx f;

	(void)state;
	fx_open(&f, base_scn);
	dev0(&f)->vecs[0].msi_addr = 0x8091040;
	fx_check(&f);
	has_viol(&f, "msi-reaches-doorbell",
		 "nic q0 (msg 0x8000040) fired to 0x8090040, not to its doorbell 0x8091040");
	has_viol(&f, "msg-matches-map",
		 "nic q0: message 0x8000040 for doorbell 0x8091040 does not match MSI map 0 "
		 "(iova 0x8000000, page 0x8090000)");
	fx_close(&f);
}

static void nested_without_stage1_breaks_stage1_translates(void **state)
{
	struct fx f;
	struct sim_s1 s1 = { 0 }, *saved;

	(void)state;
	fx_open(&f, base_scn);
	assert_int_equal(f.sn.nhwpts, 1);
	f.sn.hwpts[0].info.type = SWMSI_OBJ_HWPT_NESTED;
	fx_check(&f);
	has_viol(&f, "stage1-translates",
		 "nic q0 fired (landed) though stage 1 of h does not map 0x8000040");
	/* A stage 1 that maps the window elsewhere: the guest's choice, no check. */
	saved = f.s->s1;
	s1.nested_id = f.sn.hwpts[0].id;
	s1.iova = 0x8000000;
	s1.ipa = 0x4000000;
	s1.len = 0x100000;
	f.s->s1 = &s1;
	f.s->ns1 = 1;
	assert_int_equal(fx_check(&f), 0);
	/* Mapped 1:1: the write must reach the doorbell. */
	s1.ipa = 0x8000000;
	dev0(&f)->vecs[0].msi_addr = 0x8091040;
	fx_check(&f);
	has_viol(&f, "msi-reaches-doorbell",
		 "nic q0 (msg 0x8000040) fired to 0x8090040, not to its doorbell 0x8091040");
	/* No stage 1 and a lost write: as it must be. */
	s1.nested_id = 0;
	dev0(&f)->vecs[0].msi_addr = 0x8090040;
	dev0(&f)->fire[0].rc = -EFAULT;
	dev0(&f)->fire[0].paddr = 0;
	f.sn.hwpts[0].info.type = SWMSI_OBJ_HWPT_PAGING;
	f.s->s1 = saved;
	f.s->ns1 = 0;
	fx_close(&f);
}

static void doctored_table_entry_breaks_its_invariants(void **state)
{
	struct fx f;
	struct swmsi_msi_map_info *m;

	(void)state;
	fx_open(&f, base_scn);
	assert_int_equal(f.sn.nmaps, 1);
	m = &f.sn.maps[0];
	m->iova += 0x40;
	m->msi_page += 0x40;
	m->slot = 300;
	m->vectors = 3;
	fx_check(&f);
	has_viol(&f, "iova-is-window-slot",
		 "MSI map 0: iova 0x8000040 is not window 0x8000000 + slot 300 pages");
	has_viol(&f, "page-aligned", "MSI map 0: doorbell page 0x8090040 is not page aligned");
	has_viol(&f, "slot-in-window",
		 "MSI map 0: slot 300 lies outside its window 0x8000000 (256 pages)");
	has_viol(&f, "vector-count", "MSI map 0 counts 3 vectors, devices hold 1");
	/* Consistent, but at a slot the domain does not map. */
	m->iova = 0x8001000;
	m->msi_page = 0x8090000;
	m->slot = 1;
	m->vectors = 1;
	fx_check(&f);
	has_viol(&f, "present-is-mapped",
		 "h: MSI map 0 is present but iova 0x8001000 is not mapped to 0x8090000 rwm");
	fx_close(&f);
}

static void duplicate_entry_breaks_uniqueness(void **state)
{
	struct fx f;
	struct swmsi_msi_map_info two[2], *saved;

	(void)state;
	fx_open(&f, base_scn);
	saved = f.sn.maps;
	two[0] = two[1] = saved[0];
	f.sn.maps = two;
	f.sn.nmaps = 2;
	fx_check(&f);
	has_viol(&f, "unique-map-id", "MSI map id 0 is used twice");
	has_viol(&f, "one-iova-per-page",
		 "doorbell page 0x8090000 has two IOVAs in window 0x8000000 (maps 0 and 0)");
	has_viol(&f, "one-page-per-slot", "maps 0 and 0 share slot 0 of window 0x8000000");
	f.sn.maps = saved;
	f.sn.nmaps = 1;
	fx_close(&f);
}

static void doctored_vector_breaks_its_invariants(void **state)
{
	struct fx f;
	struct swmsi_vector_info *v;

	(void)state;
	fx_open(&f, base_scn);
	v = &dev0(&f)->vecs[0];
	v->map_id = 99;
	fx_check(&f);
	has_viol(&f, "vector-has-map", "nic q0 uses MSI map 99, which does not exist");
	v->map_id = 0;
	v->msg_addr = 0x9000040;
	fx_check(&f);
	has_viol(&f, "msg-in-window",
		 "nic q0: message 0x9000040 lies outside its group's window 0x8000000 +0x100000");
	v->msg_addr = 0x7000040;
	fx_check(&f);
	has_viol(&f, "msg-in-window",
		 "nic q0: message 0x7000040 lies outside its group's window 0x8000000 +0x100000");
	v->msg_addr = 0x8000040;
	v->translated = false;
	fx_check(&f);
	has_viol(&f, "untranslated-is-doorbell",
		 "nic q0 is untranslated but its message address 0x8000040 is not its doorbell "
		 "0x8090040");
	fx_close(&f);
}

static void doctored_domain_breaks_presence(void **state)
{
	struct fx f;
	struct snapshot_hwpt *h;

	(void)state;
	fx_open(&f, base_scn);
	h = &f.sn.hwpts[0];
	assert_int_equal(h->npresent, 1);
	h->present[0] = 99;
	fx_check(&f);
	has_viol(&f, "present-in-table", "h: MSI map 99 is present but not in the table");
	has_viol(&f, "needed-is-present",
		 "h: a group on it needs MSI map 0 (iova 0x8000000) but it is not present");
	has_viol(&f, "window-holds-msi-only",
		 "h: iova 0x8000000 in reserved window 0x8000000 maps 0x8090000 rwm, which is "
		 "not a present MSI page");
	h->present[0] = 0;
	assert_int_equal(f.sn.ndoms, 1);
	assert_true(f.sn.doms[0].nranges >= 1);
	f.sn.doms[0].ranges[0].prot = SWMSI_PROT_READ;
	fx_check(&f);
	has_viol(&f, "window-holds-msi-only",
		 "h: iova 0x8000000 in reserved window 0x8000000 maps 0x8090000 r, which is "
		 "not a present MSI page");
	fx_close(&f);
}

static void reclaim_unused_wants_no_idle_entry(void **state)
{
	struct fx f;

	(void)state;
	fx_open(&f, "option reclaim unused\nioas a\nhwpt h a\n"
		    "device nic group=1 window=0x8000000:1M\nattach nic h\n"
		    "msi nic q0 0x8090040\n");
	assert_int_equal(fx_check(&f), 0);
	f.sn.maps[0].vectors = 0;
	dev0(&f)->info.hwpt_id = 0; /* no group on h needs the page any more */
	dev0(&f)->fire[0].rc = -EFAULT;
	dev0(&f)->fire[0].paddr = 0;
	sim_agg_rebuild(f.s, &f.sn);
	fx_check(&f);
	has_viol(&f, "reclaim-unused",
		 "MSI map 0 (page 0x8090000) has no vector left but was not reclaimed");
	has_viol(&f, "no-stale-page",
		 "h: stale MSI page: map 0 (iova 0x8000000) is present but no group on it needs "
		 "it");
	fx_close(&f);
}

/* One step of checks, as the engine runs them: each of @n (subject,
 * invariant, message) reported; returns what starts at this step. */
struct rep {
	uint64_t about;
	const char *inv, *msg;
};
static size_t one_step(struct sim *s, unsigned int line, const struct rep *r, size_t n,
		       const uint64_t *checked, size_t nchecked, const struct sim_change *ch,
		       size_t nch)
{
	size_t i;

	s->nviols = 0;
	assert_int_equal(sim_findings_begin(s), 0);
	for (i = 0; i < nchecked; i++)
		sim_about(s, checked[i]);
	for (i = 0; i < n; i++) {
		sim_about(s, r[i].about);
		sim_violation(s, r[i].inv, "%s", r[i].msg);
	}
	sim_findings_settle(s, line, NULL, NULL, ch, nch, true);
	assert_false(s->oom);
	return s->nviols;
}

static void findings_held_once_and_resolved_per_subject(void **state)
{
	const uint64_t A = sim_about_obj(5), B = sim_about_map(3), both[] = { A, B };
	const struct rep first[] = { { A, "x", "a1" }, { A, "x", "a2" }, { B, "y", "b1" } };
	const struct rep again[] = { { A, "x", "a2" }, { B, "y", "b1" } };
	const struct rep a1[] = { { A, "x", "a1" } }, ev[] = { { 0, "ev", "e" } };
	const struct sim_violation *res;
	struct sim_change freed;
	struct fx f;
	size_t n;

	(void)state;
	fx_open(&f, base_scn);
	/* All three start here, with the step's line. */
	assert_int_equal(one_step(f.s, 10, first, 3, NULL, 0, NULL, 0), 3);
	assert_int_equal(f.s->viols[2].since, 10);
	/* Two still reported: nothing starts; a1, checked and not reported, ends. */
	assert_int_equal(one_step(f.s, 11, again, 2, both, 2, NULL, 0), 0);
	res = sim_findings_resolved(f.s, &n);
	assert_int_equal(n, 1);
	assert_string_equal(res[0].msg, "a1");
	assert_int_equal(res[0].since, 10);
	/* A step that does not check A or B leaves them held. */
	assert_int_equal(one_step(f.s, 12, NULL, 0, NULL, 0, NULL, 0), 0);
	sim_findings_resolved(f.s, &n);
	assert_int_equal(n, 0);
	/* a1 again: it starts again; a2 (A checked) ends, b1 (B not) holds. */
	assert_int_equal(one_step(f.s, 13, a1, 1, NULL, 0, NULL, 0), 1);
	res = sim_findings_resolved(f.s, &n);
	assert_int_equal(n, 1);
	assert_string_equal(res[0].msg, "a2");
	assert_int_equal(one_step(f.s, 14, a1, 1, NULL, 0, NULL, 0), 0);
	/* Map 3 freed: b1 ends with it. */
	memset(&freed, 0, sizeof(freed));
	freed.kind = SIM_CH_TABLE_FREED;
	freed.id = 3;
	assert_int_equal(one_step(f.s, 15, a1, 1, NULL, 0, &freed, 1), 0);
	res = sim_findings_resolved(f.s, &n);
	assert_int_equal(n, 1);
	assert_string_equal(res[0].msg, "b1");
	/* An event (no subject) is said every time it happens. */
	assert_int_equal(one_step(f.s, 16, ev, 1, NULL, 0, NULL, 0), 1);
	assert_int_equal(one_step(f.s, 17, ev, 1, NULL, 0, NULL, 0), 1);
	fx_close(&f);
}

static void fate_words_and_texts(void **state)
{
	struct fx f;
	char buf[160];

	(void)state;
	assert_int_equal(sim_fate_of(0, 0x10, 0x10), SIM_FATE_DOORBELL);
	assert_int_equal(sim_fate_of(-EFAULT, 0, 0x10), SIM_FATE_LOST);
	assert_int_equal(sim_fate_of(0, 0x20, 0x10), SIM_FATE_MISROUTED);
	assert_string_equal(sim_fate_word(SIM_FATE_DOORBELL), "doorbell");
	assert_string_equal(sim_fate_word(SIM_FATE_LOST), "lost");
	assert_string_equal(sim_fate_word(SIM_FATE_MISROUTED), "misrouted");
	fx_open(&f, "ioas a\nhwpt h a\ndevice nic group=1 window=0x8000000:1M\n"
		    "device gpu group=2 window=0x8000000:1M\nattach nic h\nattach gpu h\n"
		    "msi nic q0 0x8090040\nmsi gpu v1 0x8091040\n");
	assert_string_equal(sim_fate_text(f.s, &f.sn, 0, 0x8090040, 0x8090040, buf, sizeof(buf)),
			    "-> 0x8090040, its doorbell");
	assert_string_equal(sim_fate_text(f.s, &f.sn, -EFAULT, 0, 0x8090040, buf, sizeof(buf)),
			    "LOST (EFAULT: nothing translates it)");
	assert_string_equal(sim_fate_text(f.s, &f.sn, 0, 0x8091040, 0x8090040, buf, sizeof(buf)),
			    "MISROUTED -> 0x8091040 (the doorbell of gpu v1)");
	assert_string_equal(sim_fate_text(f.s, &f.sn, 0, 0x5000, 0x8090040, buf, sizeof(buf)),
			    "MISROUTED -> 0x5000");
	/* A partial snapshot: the owner is searched over every device. */
	f.sn.partial = true;
	f.sn.ndevs = 1;
	assert_string_equal(sim_fate_text(f.s, &f.sn, 0, 0x8091040, 0x8090040, buf, sizeof(buf)),
			    "MISROUTED -> 0x8091040 (the doorbell of gpu v1)");
	f.sn.ndevs = 2;
	f.sn.partial = false;
	/* The lost and misrouted vectors, listed; every one counted. */
	assert_int_equal(sim_fates(f.s, &f.sn, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	f.sn.devs[0].fire[0].rc = -EFAULT;
	f.sn.devs[1].fire[0].paddr = 0x8090040;
	assert_int_equal(sim_fates(f.s, &f.sn, buf, sizeof(buf)), 2);
	assert_string_equal(buf, "nic q0 LOST, gpu v1 MISROUTED -> 0x8090040");
	assert_int_equal(sim_fates(f.s, &f.sn, buf, 8), 2);
	assert_string_equal(buf, "nic q0 ");
	/* Detached or windowless: not a lost MSI. */
	f.sn.devs[0].info.hwpt_id = 0;
	f.sn.devs[1].info.sw_msi_start = SWMSI_PHYS_NONE;
	assert_int_equal(sim_fates(f.s, &f.sn, buf, sizeof(buf)), 0);
	fx_close(&f);
}

/* sj_write_string(@in) writes exactly @want. */
static void escapes_as(const char *in, const char *want)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	sj_write_string(f, in);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(text, want);
	free(text);
}

static void json_strings_escape_and_keep_valid_utf8(void **state)
{
	(void)state;
	escapes_as("a\"b\\c", "\"a\\\"b\\\\c\"");
	escapes_as("\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\"");
	escapes_as("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	escapes_as("\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		   "\"\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
	/* Stray bytes, overlong forms, surrogates, past U+10FFFF: U+FFFD. */
	escapes_as("\x80", "\"\\ufffd\"");
	escapes_as("\xc1\xbf", "\"\\ufffd\\ufffd\"");
	escapes_as("\xc3(", "\"\\ufffd(\"");
	escapes_as("\xe0\x9f\xbf", "\"\\ufffd\\ufffd\\ufffd\"");
	escapes_as("\xf0\x8f\xbf\xbf", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
	escapes_as("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");
	escapes_as("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
	escapes_as("\xf5", "\"\\ufffd\"");
}

/* Run @fn on a memory stream and compare what it wrote with @want. */
#define WRITES(want, call)                               \
	do {                                             \
		char *text_ = NULL;                      \
		size_t len_ = 0;                         \
		FILE *f = open_memstream(&text_, &len_); \
		assert_non_null(f);                      \
		call;                                    \
		assert_int_equal(fclose(f), 0);          \
		assert_string_equal(text_, want);        \
		free(text_);                             \
	} while (0)

static void dot_strings_escape_quotes_and_drop_controls(void **state)
{
	(void)state;
	WRITES("a\\\"b\\\\c", sim_dot_str(f, "a\"b\\c"));
	WRITES("ab", sim_dot_str(f, "a\n\tb"));
	WRITES("", sim_dot_str(f, ""));
}

static void dot_id_sets_list_sixteen_then_count(void **state)
{
	uint32_t ids[20];
	size_t i;

	(void)state;
	for (i = 0; i < 20; i++)
		ids[i] = (uint32_t)i;
	WRITES("\\nset = {}", sim_dot_ids(f, "set", ids, 0));
	WRITES("\\nset = {0, 1, 2}", sim_dot_ids(f, "set", ids, 3));
	WRITES("\\nset = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}",
	       sim_dot_ids(f, "set", ids, 16));
	WRITES("\\nset = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, ... 20 in all}",
	       sim_dot_ids(f, "set", ids, 20));
}

/* The legend explains the table's sets only when the table is drawn. */
static void dot_legend_explains_the_table_only_with_it(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	f = open_memstream(&text, &len);
	assert_non_null(f);
	sim_dot_legend(f, false);
	assert_int_equal(fclose(f), 0);
	assert_null(strstr(text, "present = {ids}"));
	assert_non_null(strstr(text, "reported: the window"));
	free(text);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	sim_dot_legend(f, true);
	assert_int_equal(fclose(f), 0);
	assert_non_null(strstr(text, "present = {ids}"));
	free(text);
}

/* sim_have_dot() under PATH=@path (NULL: unset). */
static bool have_dot_with(const char *path)
{
	char *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	bool r;

	if (path)
		assert_int_equal(setenv("PATH", path, 1), 0);
	else
		assert_int_equal(unsetenv("PATH"), 0);
	r = sim_have_dot();
	if (old)
		assert_int_equal(setenv("PATH", old, 1), 0);
	free(old);
	return r;
}

/*
 * `dot` is looked for in every PATH entry, an empty entry being the
 * current directory; no PATH, an empty one or entries too long to be a
 * path find nothing.
 */
static void have_dot_searches_each_path_entry(void **state)
{
	char dir[] = "/tmp/swmsi-dotXXXXXX", cwd[4096], exe[64], *lng;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_false(have_dot_with(NULL));
	assert_false(have_dot_with(""));
	assert_false(have_dot_with(dir));
	snprintf(exe, sizeof(exe), "%s/dot", dir);
	f = fopen(exe, "w");
	assert_non_null(f);
	fputs("#!/bin/sh\nexit 0\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(exe, 0755), 0);
	assert_true(have_dot_with(dir));
	/* An entry too long for a path is passed over, not cut short. */
	lng = malloc(5100);
	assert_non_null(lng);
	memset(lng, 'x', 4999);
	lng[0] = '/';
	lng[4999] = '\0';
	assert_false(have_dot_with(lng));
	snprintf(lng + 4999, 101, ":%s", dir);
	assert_true(have_dot_with(lng));
	free(lng);
	/* An empty entry (leading ':') is the current directory. */
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	assert_true(have_dot_with(":/nonexistent"));
	assert_true(have_dot_with("/nonexistent::/also-not"));
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(unlink(exe), 0);
	assert_int_equal(rmdir(dir), 0);
}

/*
 * A `dot` that fails (or is not found) fails the render and says which
 * file; standard output is named in words.
 */
static void render_svg_failure_names_the_output(void **state)
{
	static const char text[] = "digraph g { a -> b; }\n";
	char *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL;

	(void)state;
	assert_int_equal(setenv("PATH", "/nonexistent", 1), 0);
	WRITES("swmsi-sim: dot failed to render out.svg\n",
	       assert_int_equal(sim_render_svg(text, sizeof(text) - 1, "out.svg", f), -1));
	WRITES("swmsi-sim: dot failed to render SVG to standard output\n",
	       assert_int_equal(sim_render_svg(text, sizeof(text) - 1, "-", f), -1));
	/* No error stream: the failure is only returned. */
	assert_int_equal(sim_render_svg(text, sizeof(text) - 1, "out.svg", NULL), -1);
	if (old)
		assert_int_equal(setenv("PATH", old, 1), 0);
	free(old);
}

/* The command table is the language's, the run functions the engine's
 * (op_table.c): every command has one, the options none. */
static void every_command_has_a_run_function(void **state)
{
	size_t i;
	int op;

	(void)state;
	for (i = 0; i < cmd_count; i++)
		assert_non_null(sim_op_run(cmd_table[i].op));
	for (op = 0; op < SCN_OP_COUNT; op++)
		assert_int_equal(sim_op_run((enum scn_op)op) != NULL,
				 cmd_of((enum scn_op)op) != NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sound_state_breaks_nothing),
		cmocka_unit_test(fire_elsewhere_breaks_fire_matches_translation),
		cmocka_unit_test(lost_fire_breaks_fire_matches_translation),
		cmocka_unit_test(no_window_fire_must_reach_doorbell),
		cmocka_unit_test(detached_fire_must_be_blocked),
		cmocka_unit_test(doorbell_moved_breaks_msi_reaches_doorbell),
		cmocka_unit_test(nested_without_stage1_breaks_stage1_translates),
		cmocka_unit_test(doctored_table_entry_breaks_its_invariants),
		cmocka_unit_test(duplicate_entry_breaks_uniqueness),
		cmocka_unit_test(doctored_vector_breaks_its_invariants),
		cmocka_unit_test(doctored_domain_breaks_presence),
		cmocka_unit_test(reclaim_unused_wants_no_idle_entry),
		cmocka_unit_test(fate_words_and_texts),
		cmocka_unit_test(findings_held_once_and_resolved_per_subject),
		cmocka_unit_test(json_strings_escape_and_keep_valid_utf8),
		cmocka_unit_test(dot_strings_escape_quotes_and_drop_controls),
		cmocka_unit_test(dot_id_sets_list_sixteen_then_count),
		cmocka_unit_test(dot_legend_explains_the_table_only_with_it),
		cmocka_unit_test(have_dot_searches_each_path_entry),
		cmocka_unit_test(render_svg_failure_names_the_output),
		cmocka_unit_test(every_command_has_a_run_function),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
