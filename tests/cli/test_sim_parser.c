/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of swmsi-sim's lexer, number parser, scenario parser and random
 * generator: the pieces that need no library state.
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

#include <swmsi/swmsi.h>

#include "gen.h"
#include "sinks.h"

static struct scn *parse_ok(const char *text)
{
	struct scn_diag d;
	struct scn *scn = NULL;
	int rc = scn_parse(text, strlen(text), "t.scn", &scn, &d);

	if (rc)
		fail_msg("unexpected parse error %u:%u: %s", d.line, d.col, d.msg);
	return scn;
}

/* Parse @text, which must fail at @line:@col with a message containing @msg. */
static void parse_fails(const char *text, unsigned int line, unsigned int col, const char *msg)
{
	struct scn_diag d;
	struct scn *scn = NULL;

	assert_int_equal(scn_parse(text, strlen(text), "t.scn", &scn, &d), -1);
	assert_null(scn);
	assert_int_equal(d.line, line);
	assert_int_equal(d.col, col);
	if (!strstr(d.msg, msg))
		fail_msg("message '%s' lacks '%s'", d.msg, msg);
}

static uint64_t num(const char *s)
{
	const char *why = NULL;
	size_t off = 99;
	uint64_t v = 0;

	assert_int_equal(scn_parse_u64(s, strlen(s), &v, &off, &why), 0);
	return v;
}

static void num_fails(const char *s, size_t off_want, const char *why_part)
{
	const char *why = NULL;
	size_t off = 99;
	uint64_t v = 7;

	assert_int_equal(scn_parse_u64(s, strlen(s), &v, &off, &why), -1);
	assert_int_equal(off, off_want);
	assert_non_null(strstr(why, why_part));
	assert_int_equal(v, 7);
}

static void number_parse_decimal_and_hex_with_suffixes_scale_binary(void **state)
{
	(void)state;
	assert_int_equal(num("0"), 0);
	assert_int_equal(num("4096"), 4096);
	assert_int_equal(num("0x8090040"), 0x8090040);
	assert_int_equal(num("0XaBc"), 0xabc);
	assert_int_equal(num("4K"), 0x1000);
	assert_int_equal(num("0x10K"), 0x4000);
	assert_int_equal(num("1M"), 0x100000);
	assert_int_equal(num("3G"), 0xc0000000ull);
	assert_int_equal(num("64k"), 0x10000);
	assert_int_equal(num("0xffffffffffffffff"), UINT64_MAX);
}

static void number_parse_malformed_reports_offending_offset(void **state)
{
	(void)state;
	num_fails("0x12z45", 4, "unexpected character");
	num_fails("0x", 1, "hex digits");
	num_fails("K", 0, "expected a number");
	num_fails("4KB", 2, "after size suffix");
	num_fails("12.5", 2, "unexpected character");
}

static void number_parse_overflow_fails_at_token_start(void **state)
{
	(void)state;
	num_fails("18446744073709551616", 0, "too large");
	num_fails("0x10000000000000000", 0, "too large");
	num_fails("0x400000000000000K", 0, "too large");
}

static void lexer_arrow_splits_words_without_spaces(void **state)
{
	struct scn_tok t[SCN_MAX_TOKENS];
	unsigned int n, end;
	struct scn_diag d;
	const char *line = "attach d h=>EINVAL # comment => x";

	(void)state;
	assert_int_equal(scn_lex_line(line, strlen(line), t, &n, &end, &d), 0);
	assert_int_equal(n, 5);
	assert_true(scn_tok_is(&t[2], "h"));
	assert_true(scn_tok_is(&t[3], "=>"));
	assert_int_equal(t[3].col, 11);
	assert_true(scn_tok_is(&t[4], "EINVAL"));
	assert_int_equal(end, 19);
}

static void lexer_group_attribute_stays_one_word(void **state)
{
	struct scn_tok t[SCN_MAX_TOKENS];
	unsigned int n, end;
	struct scn_diag d;
	const char *line = "\tdevice d group=1 window=0x8000000:1M";

	(void)state;
	assert_int_equal(scn_lex_line(line, strlen(line), t, &n, &end, &d), 0);
	assert_int_equal(n, 4);
	assert_int_equal(t[0].col, 2);
	assert_true(scn_tok_is(&t[2], "group=1"));
	assert_true(scn_tok_is(&t[3], "window=0x8000000:1M"));
}

static void lexer_control_byte_fails_at_its_column(void **state)
{
	struct scn_tok t[SCN_MAX_TOKENS];
	unsigned int n, end;
	struct scn_diag d;
	const char line[] = "ioas a\x1b";

	(void)state;
	assert_int_equal(scn_lex_line(line, sizeof(line) - 1, t, &n, &end, &d), -1);
	assert_int_equal(d.col, 7);
	assert_non_null(strstr(d.msg, "0x1b"));
}

static void lexer_too_many_words_fails_at_the_extra_word(void **state)
{
	struct scn_tok t[SCN_MAX_TOKENS];
	unsigned int n, end;
	struct scn_diag d;
	const char *line = "a b c d e f g h i j k l m n o p q";

	(void)state;
	assert_int_equal(scn_lex_line(line, strlen(line), t, &n, &end, &d), -1);
	assert_int_equal(d.col, 33);
}

static void parser_options_set_context_options(void **state)
{
	struct scn *scn = parse_ok("# c\noption page_shift 16\noption max_msi_maps 0x10\n"
				   "option reclaim unused\nioas a\n");

	(void)state;
	assert_int_equal(scn->opts.page_shift, 16);
	assert_int_equal(scn->opts.max_msi_maps, 16);
	assert_true(scn->opts.reclaim_unused);
	assert_int_equal(scn->ncmds, 1);
	assert_int_equal(scn->lines, 5);
	scn_free(scn);
}

static void parser_option_after_first_command_fails(void **state)
{
	(void)state;
	parse_fails("option page_shift 14\n\nioas a\n  option reclaim none\n", 4, 3,
		    "option after the first command (line 3)");
}

static void parser_option_bad_values_fail_at_the_value(void **state)
{
	(void)state;
	parse_fails("option page_shift 13\n", 1, 19, "12, 14 or 16");
	parse_fails("option reclaim some\n", 1, 16, "none or unused");
	parse_fails("option max_msi_maps 2000000\n", 1, 21, "at most");
	parse_fails("option colour blue\n", 1, 8, "unknown option");
}

static void parser_map_without_prot_letters_is_read_write(void **state)
{
	struct scn *scn = parse_ok("ioas a\nmap a 0x1000 0x2000 4K\nmap a 0 0 4K mwr\n"
				   "unmap a 0 4K\n");

	(void)state;
	assert_int_equal(scn->cmds[1].op, SCN_MAP);
	assert_int_equal(scn->cmds[1].a.map.prot, SWMSI_PROT_READ | SWMSI_PROT_WRITE);
	assert_int_equal(scn->cmds[1].a.map.iova, 0x1000);
	assert_int_equal(scn->cmds[1].a.map.paddr, 0x2000);
	assert_int_equal(scn->cmds[1].a.map.length, 0x1000);
	assert_int_equal(scn->cmds[2].a.map.prot, SWMSI_PROT_ALL);
	scn_free(scn);
}

static void parser_prot_letters_bad_or_repeated_fail(void **state)
{
	(void)state;
	parse_fails("ioas a\nmap a 0 0 4K rx\n", 2, 15, "bad prot letter 'x'");
	parse_fails("ioas a\nmap a 0 0 4K ww\n", 2, 15, "given twice");
	parse_fails("ioas a\nhwpt p a nest_parent\nnested n p\ns1map n 0 0 4K rm\n", 4, 17,
		    "use r and w");
}

static void parser_arrow_sets_expected_errno(void **state)
{
	struct scn *scn = parse_ok("ioas a\ndestroy a => EBUSY\ndestroy a=>ENOENT\n");

	(void)state;
	assert_int_equal(scn->cmds[1].expect_err, -EBUSY);
	assert_int_equal(scn->cmds[1].expect_col, 11);
	assert_int_equal(scn->cmds[2].expect_err, -ENOENT);
	assert_string_equal(scn->cmds[2].text, "destroy a => ENOENT");
	scn_free(scn);
}

static void parser_arrow_misuse_fails(void **state)
{
	(void)state;
	parse_fails("ioas a =>\n", 1, 10, "expected an error name");
	parse_fails("ioas a => EBUSY ENOENT\n", 1, 17, "after the error name");
	parse_fails("ioas a => EBOGUS\n", 1, 11, "unknown error name 'EBOGUS'");
	parse_fails("=> EBUSY\n", 1, 1, "before '=>'");
	parse_fails("fail_map 1 ENOMEM => ENOMEM\n", 1, 19, "cannot fail");
	parse_fails("ioas a\nhwpt h a\nexpect unmapped h 0 => ENOENT\n", 3, 21, "cannot fail");
}

static void parser_names_must_be_declared_once_before_use(void **state)
{
	(void)state;
	parse_fails("ioas a\nhwpt h b\n", 2, 8, "unknown name 'b'");
	parse_fails("ioas a\nhwpt a a\n", 2, 6, "already declared (line 1)");
	parse_fails("ioas 2a\n", 1, 6, "bad name");
	parse_fails("ioas a-b\n", 1, 7, "bad name");
}

static void parser_failed_creation_still_declares_the_name(void **state)
{
	struct scn *scn = parse_ok("device d group=1 window=1:2 => EINVAL\nunbind d => ENOENT\n");

	(void)state;
	assert_int_equal(scn->nnames, 1);
	assert_int_equal(scn->names[0].kind, SCN_KIND_DEVICE);
	assert_true(scn->cmds[0].a.device.has_window);
	assert_int_equal(scn->cmds[0].a.device.win_start, 1);
	assert_int_equal(scn->cmds[0].a.device.win_size, 2);
	scn_free(scn);
}

static void parser_device_attributes_any_order_and_checked(void **state)
{
	struct scn *scn = parse_ok("device d window=0x8000000:1M group=0x7\ndevice e group=3\n");

	(void)state;
	assert_int_equal(scn->cmds[0].a.device.group, 7);
	assert_int_equal(scn->cmds[0].a.device.win_size, 0x100000);
	assert_false(scn->cmds[1].a.device.has_window);
	scn_free(scn);
	parse_fails("device d\n", 1, 9, "missing group=N");
	parse_fails("device d group=1 group=2\n", 1, 18, "given twice");
	parse_fails("device d group=1 color=red\n", 1, 18, "unknown device attribute 'color'");
	/* At the value, never past the end of the line. */
	parse_fails("device nic group=1 window=0x8000000\n", 1, 27,
		    "missing :SIZE in window=START:SIZE");
	parse_fails("device d group=1 window=\n", 1, 24, "missing START:SIZE after window=");
	parse_fails("device d group=\n", 1, 15, "missing number after group=");
	parse_fails("device d group=1 window=:4K\n", 1, 25, "missing window START");
	parse_fails("device d group=0x100000000\n", 1, 16, "larger than 32 bits");
	parse_fails("device d group=1 window=1:2x\n", 1, 28, "bad number");
}

static void parser_vector_labels_belong_to_their_device(void **state)
{
	struct scn *scn = parse_ok("device d group=1\ndevice e group=2\nmsi d 0 0x1000\n"
				   "msi e 0 0x1000\nmsi d 0 0x2000\nfire d 0\nfree e 0\n");

	(void)state;
	assert_int_equal(scn->nvecs, 2);
	assert_int_equal(scn->cmds[2].a.vec.vec, scn->cmds[4].a.vec.vec);
	assert_int_not_equal(scn->cmds[2].a.vec.vec, scn->cmds[3].a.vec.vec);
	scn_free(scn);
	parse_fails("device d group=1\ndevice e group=2\nmsi d v 0\nfire e v\n", 4, 8,
		    "unknown vector 'v' of 'e'");
	parse_fails("device d group=1\nmsi d v-1 0\n", 2, 7, "bad vector label");
}

static void parser_expect_checks_name_kinds(void **state)
{
	struct scn *scn = parse_ok("ioas a\nhwpt h a\ndevice d group=1\nmsi d v 0x1000\n"
				   "expect mapped a 0 0\nexpect unmapped h 0\n"
				   "expect same d v d v\nexpect untranslated d v\n"
				   "expect fires d v 0x8090040\n");

	(void)state;
	assert_int_equal(scn->cmds[4].op, SCN_EXPECT_MAPPED);
	assert_int_equal(scn->cmds[7].op, SCN_EXPECT_UNTRANSLATED);
	assert_int_equal(scn->cmds[8].op, SCN_EXPECT_FIRES);
	assert_int_equal(scn->cmds[8].a.vec.addr, 0x8090040);
	assert_true(scn_op_is_expect(scn->cmds[8].op));
	assert_true(scn_op_is_expect(scn->cmds[5].op));
	scn_free(scn);
	parse_fails("ioas a\nhwpt h a\nexpect iova h v 0\n", 3, 13,
		    "'h' is a HWPT; expect iova wants a device");
	parse_fails("device d group=1\nmsi d v 0x1000\nexpect fires d v\n", 3, 17,
		    "missing PADDR (usage: expect fires DEV VEC PADDR)");
	parse_fails("device d group=1\nexpect mapped d 0 0\n", 2, 15,
		    "'d' is a device; expect mapped wants a HWPT or an IOAS");
	parse_fails("ioas a\nexpect nothing a\n", 2, 8, "unknown expectation");
	parse_fails("expect\n", 1, 7, "missing what to expect");
}

static void parser_wrong_argument_counts_fail_with_usage(void **state)
{
	(void)state;
	parse_fails("ioas a\nhwpt h a\nattach h\n", 3, 9, "missing PT (usage: attach DEV PT)");
	parse_fails("ioas a\ndestroy a a\n", 2, 11, "unexpected argument 'a'");
	parse_fails("ioas a\nhwpt h a nested\n", 2, 10, "expected nest_parent");
	parse_fails("frobnicate\n", 1, 1, "unknown command 'frobnicate'");
}

static void parser_fail_map_takes_errno_names_and_numbers(void **state)
{
	struct scn *scn = parse_ok("fail_map 1 ENOMEM\nfail_map 0 5\n");

	(void)state;
	assert_int_equal(scn->cmds[0].a.fail.nth, 1);
	assert_int_equal(scn->cmds[0].a.fail.err, -ENOMEM);
	assert_int_equal(scn->cmds[1].a.fail.err, -5);
	scn_free(scn);
	parse_fails("fail_map 1 0\n", 1, 12, "out of range");
	parse_fails("fail_map 1 EWHAT\n", 1, 12, "unknown error name");
	parse_fails("fail_map 0x100000000 ENOMEM\n", 1, 10, "too large");
}

static void parser_crlf_and_missing_final_newline_parse(void **state)
{
	struct scn *scn = parse_ok("ioas a\r\nhwpt h a\r\ndestroy h");

	(void)state;
	assert_int_equal(scn->ncmds, 3);
	assert_string_equal(scn->cmds[2].text, "destroy h");
	assert_int_equal(scn->lines, 3);
	scn_free(scn);
}

static void parser_nul_byte_fails_at_its_column(void **state)
{
	static const char text[] = "ioas a\nhwpt h\0 a\n";
	struct scn_diag d;
	struct scn *scn = NULL;

	(void)state;
	assert_int_equal(scn_parse(text, sizeof(text) - 1, "t.scn", &scn, &d), -1);
	assert_int_equal(d.line, 2);
	assert_int_equal(d.col, 7);
}

static void parser_headings_attach_to_the_next_command(void **state)
{
	struct scn *scn =
		parse_ok("## first\n  ##   second\n# plain\nioas a\nhwpt h a\n## dangling\n");

	(void)state;
	assert_string_equal(scn->cmds[0].heading, "first\nsecond");
	assert_null(scn->cmds[1].heading);
	scn_free(scn);
}

static void parser_all_errors_reported_in_line_order(void **state)
{
	static const char text[] = "ioas a\nfrob\ndevice nic group=1 window=0x8000000\n"
				   "attach nic a\nmsi nic q0 0x12z\nfire nic q0\n"
				   "option reclaim unused\n";
	struct scn_diag d[SCN_MAX_DIAGS];
	struct scn *scn = NULL;
	size_t n = 99;

	(void)state;
	assert_int_equal(scn_parse_all(text, strlen(text), "t.scn", &scn, d, SCN_MAX_DIAGS, &n),
			 -1);
	assert_null(scn);
	/* nic and q0 are declared by the lines that fail: no "unknown name" follows. */
	assert_int_equal(n, 4);
	assert_int_equal(d[0].line, 2);
	assert_int_equal(d[1].line, 3);
	assert_int_equal(d[1].col, 27);
	assert_int_equal(d[2].line, 5);
	assert_int_equal(d[3].line, 7);
	assert_non_null(strstr(d[3].msg, "option after the first command (line 1)"));
}

static void parser_errors_past_the_cap_are_counted_not_stored(void **state)
{
	struct scn_diag d[3];
	struct scn *scn = NULL;
	size_t n = 0;

	(void)state;
	memset(d, 0, sizeof(d));
	assert_int_equal(scn_parse_all("a\nb\nc\nd\ne\n", 10, "t.scn", &scn, d, 2, &n), -1);
	assert_int_equal(n, 5);
	assert_int_equal(d[1].line, 2);
	assert_int_equal(d[2].line, 0); /* untouched */
	/* scn_parse stops at the first. */
	assert_int_equal(scn_parse("ioas a\nb\nc\n", 11, "t.scn", &scn, &d[0]), -1);
	assert_int_equal(d[0].line, 2);
}

static void generator_same_seed_gives_same_parsable_scenario(void **state)
{
	uint64_t seed;

	(void)state;
	for (seed = 1; seed <= 20; seed++) {
		char *a = sim_generate(seed, 300, SWMSI_SCHEME_NATIVE),
		     *b = sim_generate(seed, 300, SWMSI_SCHEME_NATIVE);
		struct scn *scn;

		assert_non_null(a);
		assert_non_null(b);
		assert_string_equal(a, b);
		scn = parse_ok(a);
		/* Options are not commands; every other line is one. */
		assert_in_range(scn->ncmds, 290, 300);
		scn_free(scn);
		free(a);
		free(b);
	}
}

static void generator_different_seeds_differ(void **state)
{
	char *a = sim_generate(1, 100, SWMSI_SCHEME_NATIVE),
	     *b = sim_generate(2, 100, SWMSI_SCHEME_NATIVE);

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	assert_string_not_equal(a, b);
	free(a);
	free(b);
}

/*
 * Under KERNEL and DMA_IOMMU the generator says so in the scenario and
 * draws only options the scheme takes (reclaim none, no id limit, never
 * strict); its scenario then runs clean under that scheme.
 */
static void generator_scenario_names_its_scheme_and_takes_its_options(void **state)
{
	static const enum swmsi_scheme schemes[] = { SWMSI_SCHEME_KERNEL, SWMSI_SCHEME_DMA_IOMMU };
	struct sim_opts o = { 0 };
	struct sim_result res;
	uint64_t seed;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		for (seed = 1; seed <= 20; seed++) {
			char *text = sim_generate(seed, 300, schemes[i]);
			struct scn *scn;

			assert_non_null(text);
			scn = parse_ok(text);
			assert_int_equal(scn->opts.scheme, schemes[i]);
			assert_false(scn->opts.reclaim_unused);
			assert_int_equal(scn->opts.max_msi_maps, 0);
			assert_false(scn->opts.strict);
			assert_int_equal(sim_run(scn, &o, &res), SIM_OK);
			scn_free(scn);
			free(text);
		}
	}
}

/* Run @text silently with @o; the status and the result. */
static int run_quiet(const char *text, struct sim_opts *o, struct sim_result *res)
{
	struct scn *scn = parse_ok(text);
	int rc = sim_run(scn, o, res);

	scn_free(scn);
	return rc;
}

/*
 * A journal ring too small for a step's entries: the engine sees the
 * eviction, takes the whole state instead and recounts its sums, so the
 * checks still hold and agree with a run that checks everything.
 */
static void engine_journal_overflow_falls_back_to_whole_state(void **state)
{
	struct sim_opts o = { 0 }, full = { 0 };
	struct sim_result a, b;

	(void)state;
	o.journal_cap = 1;
	full.full_check = true;
	assert_int_equal(run_quiet(sim_demo_scenario, &o, &a), SIM_OK);
	assert_int_equal(run_quiet(sim_demo_scenario, &full, &b), SIM_OK);
	assert_int_equal(a.steps, b.steps);
	assert_int_equal(a.failed_invariants, 0);
	assert_int_equal(a.failed_expects, 0);
}

/* The engine runs with no sink and no output at all. */
static void engine_runs_silently(void **state)
{
	struct sim_opts o = { 0 };
	struct sim_result res;
	char *text = sim_generate(5, 500, SWMSI_SCHEME_NATIVE);

	(void)state;
	assert_non_null(text);
	assert_int_equal(run_quiet(text, &o, &res), SIM_OK);
	assert_int_equal(res.steps, 500);
	free(text);
}

/* Every option and device-attribute error names its cause and its column. */
static void parse_option_and_attribute_errors_say_where(void **state)
{
	struct scn *scn;
	char longname[80];

	(void)state;
	parse_fails("device d group=1 window=0x1000:4K window=0x2000:4K\n", 1, 35,
		    "window= given twice");
	parse_fails("device d group=1 window=0x1000:\n", 1, 32, "missing window SIZE");
	parse_fails(
		"device d nogroup\n", 1, 10,
		"expected group=N, window=START:SIZE or resv=TYPE@START:SIZE[,...], got 'nogroup'");
	parse_fails("option scheme bogus\n", 1, 15,
		    "unknown scheme 'bogus' (native, kernel or dma-iommu)");
	parse_fails("option page_shift x\n", 1, 19, "page_shift");
	parse_fails("option max_msi_maps y\n", 1, 21, "max_msi_maps");
	parse_fails("option strict now\n", 1, 15,
		    "unexpected argument 'now' (option strict takes none)");
	parse_fails("option\n", 1, 7, "missing option name");
	parse_fails("option reclaim\n", 1, 15, "missing value for option 'reclaim'");
	parse_fails("option reclaim none extra\n", 1, 21, "unexpected argument 'extra'");
	parse_fails("ioas a\noption strict\n", 2, 1,
		    "option after the first command (line 1): options must come first");
	snprintf(longname, sizeof(longname), "ioas a => E%060d\n", 0);
	parse_fails(longname, 1, 11, "unknown error name");
	scn = parse_ok("option reclaim unused\noption scheme kernel\noption max_msi_maps 4\n"
		       "option strict\nioas a\n");
	assert_true(scn->opts.reclaim_unused);
	assert_true(scn->opts.strict);
	assert_int_equal(scn->opts.max_msi_maps, 4);
	assert_int_equal(scn->opts.scheme, SWMSI_SCHEME_KERNEL);
	scn_free(scn);
}

/* Long words are cut to 37 characters and "..." in messages. */
#define X45 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
#define X37 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
#define K40 "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"

/* Every way a device attribute is wrong names its cause and column. */
static void parse_device_attribute_values_checked(void **state)
{
	(void)state;
	parse_fails("device d group=1 " X45 "\n", 1, 18,
		    "expected group=N, window=START:SIZE or resv=TYPE@START:SIZE[,...], got '" X37
		    "...'");
	parse_fails("device d group=1 window=zz:4K\n", 1, 25,
		    "bad number 'zz' for window START: expected a number");
	parse_fails("device d group=1 window=0x1000:zz\n", 1, 32,
		    "bad number 'zz' for window SIZE: expected a number");
	parse_fails("device d group=1 window=:4K\n", 1, 25, "missing window START");
	parse_fails("device d group=1 window=0x1000\n", 1, 25,
		    "missing :SIZE in window=START:SIZE");
	parse_fails("device d group=1 window=\n", 1, 24, "missing START:SIZE after window=");
	parse_fails("device d group=zz\n", 1, 16, "bad number 'zz' for group: expected a number");
	parse_fails("device d group=0x100000000\n", 1, 16,
		    "group 0x100000000 is larger than 32 bits");
	parse_fails("device d group=\n", 1, 15, "missing number after group=");
	parse_fails("device d group=1 group=2\n", 1, 18, "group= given twice");
	parse_fails("device d window=0x1000:4K\n", 1, 26, "missing group=N");
	parse_fails("device d group=1 abcdef=1\n", 1, 18,
		    "unknown device attribute 'abcdef' (use group=, window= and resv=)");
	/* An attribute name is quoted to 32 characters. */
	parse_fails("device d group=1 " K40 "=1\n", 1, 18,
		    "unknown device attribute 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk' (use");
}

/* Option values out of their range, names with every name character,
 * errno numbers and over-long words. */
static void parse_values_out_of_range_fail_at_the_value(void **state)
{
	struct scn *scn;

	(void)state;
	parse_fails("option scheme " X45 "\n", 1, 15,
		    "unknown scheme '" X37 "...' (native, kernel or dma-iommu)");
	parse_fails("option page_shift 13\n", 1, 19, "page_shift must be 12, 14 or 16");
	parse_fails(
		"option page_shift 0x10000000000000000\n", 1, 19,
		"bad number '0x10000000000000000' for page_shift: number too large for 64 bits");
	parse_fails("option max_msi_maps 0x200000\n", 1, 21,
		    "max_msi_maps must be at most 1048576 (0: the default)");
	parse_fails("option reclaim sometimes\n", 1, 16, "reclaim must be none or unused");
	parse_fails("option bogus 1\n", 1, 8,
		    "unknown option 'bogus' (page_shift, max_msi_maps, reclaim, scheme or strict)");
	parse_fails("ioas 9a\n", 1, 6,
		    "bad name '9a': names are letters, digits and '_', not starting with a digit");
	parse_fails("ioas a-b\n", 1, 7, "bad name 'a-b'");
	parse_fails("fail_map 1 5000\n", 1, 12, "errno 5000 out of range 1..4095");
	parse_fails("fail_map 1 1x\n", 1, 13,
		    "bad number '1x' for ERRNO: unexpected character in number");
	parse_fails("fail_map 1 -3\n", 1, 12, "unknown error name '-3'");
	parse_fails("expect " K40 " a\n", 1, 8, "unknown expectation '" K40 "' (iova, same,");
	parse_fails("expect\n", 1, 7, "missing what to expect (iova, same,");
	scn = parse_ok("option page_shift 14\noption reclaim none\nioas A_b\nhwpt h_9 A_b\n"
		       "ioas Z => eBuSy\n");
	assert_int_equal(scn->opts.page_shift, 14);
	assert_false(scn->opts.reclaim_unused);
	assert_int_equal(scn->cmds[2].expect_err, -EBUSY);
	scn_free(scn);
	scn = parse_ok("option page_shift 16\nioas a\n");
	assert_int_equal(scn->opts.page_shift, 16);
	scn_free(scn);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(number_parse_decimal_and_hex_with_suffixes_scale_binary),
		cmocka_unit_test(number_parse_malformed_reports_offending_offset),
		cmocka_unit_test(number_parse_overflow_fails_at_token_start),
		cmocka_unit_test(lexer_arrow_splits_words_without_spaces),
		cmocka_unit_test(lexer_group_attribute_stays_one_word),
		cmocka_unit_test(lexer_control_byte_fails_at_its_column),
		cmocka_unit_test(lexer_too_many_words_fails_at_the_extra_word),
		cmocka_unit_test(parser_options_set_context_options),
		cmocka_unit_test(parser_option_after_first_command_fails),
		cmocka_unit_test(parser_option_bad_values_fail_at_the_value),
		cmocka_unit_test(parser_map_without_prot_letters_is_read_write),
		cmocka_unit_test(parser_prot_letters_bad_or_repeated_fail),
		cmocka_unit_test(parser_arrow_sets_expected_errno),
		cmocka_unit_test(parser_arrow_misuse_fails),
		cmocka_unit_test(parser_names_must_be_declared_once_before_use),
		cmocka_unit_test(parser_failed_creation_still_declares_the_name),
		cmocka_unit_test(parser_device_attributes_any_order_and_checked),
		cmocka_unit_test(parser_vector_labels_belong_to_their_device),
		cmocka_unit_test(parser_expect_checks_name_kinds),
		cmocka_unit_test(parser_wrong_argument_counts_fail_with_usage),
		cmocka_unit_test(parser_fail_map_takes_errno_names_and_numbers),
		cmocka_unit_test(parser_crlf_and_missing_final_newline_parse),
		cmocka_unit_test(parser_nul_byte_fails_at_its_column),
		cmocka_unit_test(parser_headings_attach_to_the_next_command),
		cmocka_unit_test(parser_all_errors_reported_in_line_order),
		cmocka_unit_test(parser_errors_past_the_cap_are_counted_not_stored),
		cmocka_unit_test(generator_same_seed_gives_same_parsable_scenario),
		cmocka_unit_test(generator_different_seeds_differ),
		cmocka_unit_test(generator_scenario_names_its_scheme_and_takes_its_options),
		cmocka_unit_test(engine_journal_overflow_falls_back_to_whole_state),
		cmocka_unit_test(engine_runs_silently),
		cmocka_unit_test(parse_option_and_attribute_errors_say_where),
		cmocka_unit_test(parse_device_attribute_values_checked),
		cmocka_unit_test(parse_values_out_of_range_fail_at_the_value),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
