/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the cause that holds (tools/swmsi-sim/cause*.c): a small
 * scenario's lines run one by one on an engine session as the engine runs
 * them (snapshot before, call, judge, so the names' history is kept), and
 * the words of the last line's failure are asserted; where the state
 * cannot decide, the causes docs/errors.md lists.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "commands.h"
#include "explain.h"

struct fx {
	struct scn *scn;
	struct sim_session *ss;
	struct sim *s;
	struct sim_step st; /* the last line's */
	struct snapshot before;
	struct sim_rec r;
	struct sim_text t;
};

/* Run line @i as the engine does, its state before kept in f->before. */
static void run_line(struct fx *f, size_t i)
{
	struct sim_step *st = &f->st;

	memset(st, 0, sizeof(*st));
	snapshot_free(&f->before);
	st->c = &f->scn->cmds[i];
	f->s->cur = st->c;
	assert_int_equal(sim_snap_take(f->s, &f->before), 0);
	st->sn = &f->before;
	sim_step_run(f->s, st);
	sim_judge_call(f->s, st);
}

/* Parse and run @text; the last line's record in f->r. */
static void fx_run(struct fx *f, const char *text)
{
	struct sim_opts o;
	struct scn_diag d;
	size_t i;

	memset(f, 0, sizeof(*f));
	if (scn_parse(text, strlen(text), "u.scn", &f->scn, &d))
		fail_msg("parse error %u:%u: %s", d.line, d.col, d.msg);
	memset(&o, 0, sizeof(o));
	assert_int_equal(sim_session_open(f->scn, &o, &f->ss), 0);
	f->s = sim_session_sim(f->ss);
	for (i = 0; i < f->scn->ncmds; i++)
		run_line(f, i);
	f->r.c = f->st.c;
	f->r.st = &f->st;
	f->r.before = &f->before;
}

/* The last line's failure in words. */
static const char *why(struct fx *f)
{
	sim_outcome_text(f->s, &f->r, &f->t);
	return f->t.why;
}

static void fx_close(struct fx *f)
{
	snapshot_free(&f->before);
	sim_session_close(f->ss);
	scn_free(f->scn);
}

static const char window_taken[] = "ioas ram\n"
				   "map ram 0x8000000 0x200000000 4K\n"
				   "hwpt first ram\n"
				   "hwpt second ram\n"
				   "device gpu group=2 window=0x8000000:1M\n"
				   "attach gpu first => EADDRINUSE\n";

static void failed_attach_is_why_replace_fails(void **state)
{
	struct fx f;
	char text[512];

	(void)state;
	snprintf(text, sizeof(text), "%sreplace gpu second\n", window_taken);
	fx_run(&f, text);
	assert_int_equal(f.st.rc, -EINVAL);
	assert_string_equal(why(&f), "failed with EINVAL (gpu is not attached: its attach at "
				     "line 6 failed with EADDRINUSE)");
	fx_close(&f);
}

static void a_failed_attach_does_not_hide_the_one_that_held(void **state)
{
	struct fx f;

	(void)state;
	/* line 5 fails (attached already); line 6's cause is still line 4 */
	fx_run(&f, "ioas a\nhwpt h a\ndevice nic group=1\nattach nic h\n"
		   "attach nic h => EINVAL\nattach nic h\n");
	assert_string_equal(why(&f), "failed with EINVAL (nic is attached already: attached at "
				     "line 4, its group on h)");
	fx_close(&f);
}

static void unaligned_window_names_the_number(void **state)
{
	struct fx f;

	(void)state;
	fx_run(&f, "window 0x8000001 0x100000\n");
	assert_string_equal(why(&f),
			    "failed with EINVAL (window start 0x8000001 is not page aligned)");
	fx_close(&f);
}

static void never_created_names_the_failed_bind(void **state)
{
	struct fx f;

	(void)state;
	fx_run(&f, "ioas a\nhwpt h a\ndevice d group=3 window=0x8000800:1M => EINVAL\n"
		   "attach d h\n");
	assert_string_equal(why(&f), "failed with ENOENT ('d' was never created: its bind at "
				     "line 3 failed with EINVAL)");
	fx_close(&f);
}

static void a_wrong_kind_comes_before_the_state(void **state)
{
	struct fx f;

	(void)state;
	/* h is a HWPT, and destroyed too: the kind is the scenario's mistake */
	fx_run(&f, "ioas a\nhwpt h a\ndestroy h\ndetach h\n");
	assert_string_equal(why(&f), "failed with ENOENT ('h' is a HWPT; detach wants a device)");
	fx_close(&f);
}

/* Without the state before the step, the documented causes are listed. */
static void without_the_state_the_documented_causes(void **state)
{
	struct fx f;
	char buf[256];

	(void)state;
	fx_run(&f, "ioas a\nhwpt h a\ndevice d group=1\nattach d h\n");
	f.st.rc = -EINVAL; /* as if it had failed */
	f.st.failed = true;
	f.r.before = NULL;
	assert_null(sim_cause_of(f.s, &f.r, -EINVAL, buf, sizeof(buf)));
	assert_string_equal(why(&f),
			    "failed with EINVAL (pt_id is a device; under NATIVE, the device is "
			    "attached already; its group sits on another HWPT)");
	fx_close(&f);
	/* An error the state never decides: an allocation failure. */
	fx_run(&f, "ioas a\n");
	f.st.rc = -ENOMEM;
	f.st.failed = true;
	assert_null(sim_cause_of(f.s, &f.r, -ENOMEM, buf, sizeof(buf)));
	assert_string_equal(why(&f), "failed with ENOMEM (allocation failed)");
	fx_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(failed_attach_is_why_replace_fails),
		cmocka_unit_test(a_failed_attach_does_not_hide_the_one_that_held),
		cmocka_unit_test(unaligned_window_names_the_number),
		cmocka_unit_test(never_created_names_the_failed_bind),
		cmocka_unit_test(a_wrong_kind_comes_before_the_state),
		cmocka_unit_test(without_the_state_the_documented_causes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
