/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of what each scheme takes of a scenario's options
 * (scheme_caps.c) and of --compare with a scheme that cannot run at all:
 * no scenario text can ask for options no scheme takes (the parser bounds
 * max_msi_maps and page_shift), so the options are set here directly, as
 * a caller of sim_compare() could.
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
#include <unistd.h>

#include "sinks.h"

static struct scn *parse(const char *text)
{
	struct scn_diag d;
	struct scn *scn = NULL;

	assert_int_equal(scn_parse(text, strlen(text), "t.scn", &scn, &d), 0);
	return scn;
}

static void native_takes_every_option(void **state)
{
	struct scn *scn = parse("option reclaim unused\noption max_msi_maps 4\nioas a\n");
	struct sim_adjust adj[SIM_MAX_ADJUST];
	struct scn_opts out;

	(void)state;
	assert_int_equal(sim_scheme_fit(SWMSI_SCHEME_NATIVE, &scn->opts, &out, adj), 0);
	assert_true(out.reclaim_unused);
	assert_int_equal(out.max_msi_maps, 4);
	assert_int_equal(sim_scheme_check(scn, true, SWMSI_SCHEME_NATIVE, false, NULL), 0);
	scn_free(scn);
}

static void kernel_runs_with_reclaim_none_and_64_ids(void **state)
{
	/* max_msi_maps first: the adjustments come in the order of their lines */
	struct scn *scn = parse("option max_msi_maps 4\noption reclaim unused\nioas a\n");
	struct sim_adjust adj[SIM_MAX_ADJUST];
	struct scn_opts out;
	char why[160];

	(void)state;
	assert_int_equal(sim_scheme_fit(SWMSI_SCHEME_KERNEL, &scn->opts, &out, adj), 2);
	assert_false(out.reclaim_unused);
	assert_int_equal(out.max_msi_maps, 64);
	assert_string_equal(adj[0].option, "max_msi_maps");
	assert_string_equal(adj[0].from, "4");
	assert_string_equal(adj[0].to, "64");
	assert_int_equal(adj[0].at.line, 1);
	assert_int_equal(adj[0].at.col, 1);
	assert_string_equal(adj[1].option, "reclaim");
	assert_string_equal(adj[1].from, "unused");
	assert_string_equal(adj[1].to, "none");
	assert_int_equal(adj[1].at.line, 2);
	assert_string_equal(sim_adjust_why(SWMSI_SCHEME_KERNEL, &adj[1], why, sizeof(why)),
			    "the kernel scheme never reclaims MSI pages");
	assert_int_equal(sim_scheme_check(scn, true, SWMSI_SCHEME_KERNEL, false, NULL), SIM_USAGE);
	scn_free(scn);
}

static void kernel_takes_64_and_dma_iommu_only_0(void **state)
{
	struct scn *scn = parse("option max_msi_maps 64\nioas a\n");
	struct sim_adjust adj[SIM_MAX_ADJUST];
	struct scn_opts out;

	(void)state;
	assert_int_equal(sim_scheme_fit(SWMSI_SCHEME_KERNEL, &scn->opts, &out, adj), 0);
	assert_int_equal(sim_scheme_fit(SWMSI_SCHEME_DMA_IOMMU, &scn->opts, &out, adj), 1);
	assert_int_equal(out.max_msi_maps, 0);
	assert_string_equal(adj[0].from, "64");
	assert_string_equal(adj[0].to, "0");
	scn_free(scn);
	scn = parse("ioas a\n"); /* the defaults suit every scheme */
	assert_int_equal(sim_scheme_fit(SWMSI_SCHEME_DMA_IOMMU, &scn->opts, &out, adj), 0);
	assert_int_equal(sim_scheme_fit(SWMSI_SCHEME_KERNEL, &scn->opts, &out, adj), 0);
	scn_free(scn);
}

/* The table agrees with the library: what it says a scheme takes, the
 * library creates a context with, and what it adjusts, the library refuses. */
static void the_table_agrees_with_swmsi_ctx_create(void **state)
{
	static const unsigned int maxes[] = { 0, 4, 64, 70 };
	struct scn *scn = parse("ioas a\n");
	struct sim_adjust adj[SIM_MAX_ADJUST];
	struct sim_result res;
	struct sim_opts o;
	struct scn_opts in = scn->opts, out;
	size_t m, r, sc;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.has_scheme = true;
	for (sc = 0; sc < SIM_SCHEMES; sc++)
		for (m = 0; m < 4; m++)
			for (r = 0; r < 2; r++) {
				size_t n;

				scn->opts = in;
				scn->opts.max_msi_maps = maxes[m];
				scn->opts.reclaim_unused = r;
				o.scheme = (enum swmsi_scheme)sc;
				n = sim_scheme_fit(o.scheme, &scn->opts, &out, adj);
				sim_run(scn, &o, &res);
				assert_int_equal(res.ctx_err, n ? -EINVAL : 0);
				scn->opts = out;
				assert_int_equal(sim_run(scn, &o, &res), SIM_OK);
			}
	scn_free(scn);
}

static void ctx_causes_name_the_rule(void **state)
{
	struct scn *scn = parse("option reclaim unused\nioas a\n");
	struct scn_opts o = scn->opts;
	char buf[200];

	(void)state;
	assert_string_equal(sim_ctx_cause(&o, SWMSI_SCHEME_KERNEL, -EINVAL, buf, sizeof(buf)),
			    "option reclaim unused: the kernel scheme never reclaims MSI pages");
	o.max_msi_maps = SWMSI_MAX_MSI_MAPS_LIMIT + 1;
	assert_string_equal(sim_ctx_cause(&o, SWMSI_SCHEME_NATIVE, -EINVAL, buf, sizeof(buf)),
			    "max_msi_maps 1048577 is above the library's limit of 1048576");
	o.page_shift = 13;
	assert_string_equal(sim_ctx_cause(&o, SWMSI_SCHEME_NATIVE, -EINVAL, buf, sizeof(buf)),
			    "page_shift 13 is not 12, 14 or 16");
	assert_string_equal(sim_ctx_cause(&o, (enum swmsi_scheme)7, -EOPNOTSUPP, buf, sizeof(buf)),
			    "scheme 7 is not one the library knows");
	assert_string_equal(sim_ctx_cause(&o, SWMSI_SCHEME_NATIVE, -ENOMEM, buf, sizeof(buf)),
			    "out of memory");
	scn_free(scn);
}

/* A plain run whose context cannot be made: exit 2 with the cause, not 1. */
static void plain_run_without_a_context_exits_two_with_the_cause(void **state)
{
	struct scn *scn = parse("ioas a\n");
	struct sim_result res;
	struct sim_opts o;
	char *err = NULL;
	size_t len = 0;

	(void)state;
	scn->opts.max_msi_maps = SWMSI_MAX_MSI_MAPS_LIMIT + 1;
	memset(&o, 0, sizeof(o));
	o.err = open_memstream(&err, &len);
	assert_non_null(o.err);
	assert_int_equal(sim_run(scn, &o, &res), SIM_USAGE);
	assert_int_equal(fclose(o.err), 0);
	assert_int_equal(res.ctx_err, -EINVAL);
	assert_int_equal(res.failed_expects, 0);
	assert_string_equal(err,
			    "t.scn:1:1: cannot create the context: EINVAL (max_msi_maps 1048577 "
			    "is above the library's limit of 1048576)\n");
	free(err);
	scn_free(scn);
}

struct captured {
	char *out, *err;
	size_t nout, nerr;
};

/* --compare of "ioas a" with options only kernel and dma-iommu can run
 * (adjusted): the file's own scheme @own judged. */
static int compare_unrunnable_native(enum swmsi_scheme own, const char *json, struct captured *c)
{
	static const enum swmsi_scheme all[] = { SWMSI_SCHEME_NATIVE, SWMSI_SCHEME_KERNEL,
						 SWMSI_SCHEME_DMA_IOMMU };
	struct scn *scn = parse("ioas a\n");
	struct sim_result res;
	struct sim_opts o;
	int rc;

	scn->opts.max_msi_maps = SWMSI_MAX_MSI_MAPS_LIMIT + 1;
	scn->opts.scheme = own;
	memset(&o, 0, sizeof(o));
	memset(c, 0, sizeof(*c));
	o.out = open_memstream(&c->out, &c->nout);
	o.err = open_memstream(&c->err, &c->nerr);
	o.json_path = json;
	assert_true(o.out && o.err);
	rc = sim_compare(scn, &o, all, 3, &res);
	assert_int_equal(fclose(o.out), 0);
	assert_int_equal(fclose(o.err), 0);
	scn_free(scn);
	return rc;
}

static void compare_names_a_judged_scheme_that_cannot_run(void **state)
{
	struct captured c;

	(void)state;
	assert_int_equal(compare_unrunnable_native(SWMSI_SCHEME_NATIVE, NULL, &c), SIM_USAGE);
	assert_non_null(strstr(c.out, "\nkernel: runs with max_msi_maps 64, not 1048577 (the "
				      "kernel scheme has a fixed cap of 64 ids)\n"));
	assert_non_null(strstr(c.out, "\nnative     could not run: cannot create the context: "
				      "EINVAL (max_msi_maps 1048577 is above the library's limit "
				      "of 1048576) (judged)\n"));
	assert_non_null(strstr(c.out, "\nkernel     1 step, 0 failed expectations"));
	assert_non_null(strstr(c.out, "\ndma-iommu  1 step, 0 failed expectations"));
	assert_non_null(strstr(c.out, "\nFAIL: native could not run (the cause is above); exit "
				      "status 2\n"));
	/* the step is shown for the schemes that ran it, not for native */
	assert_non_null(strstr(c.out, "     1  ioas a\n         all        ok  id 1\n"));
	assert_non_null(strstr(c.err, "t.scn:1:1: cannot create the context: EINVAL"));
	free(c.out);
	free(c.err);
}

static void compare_names_another_scheme_that_cannot_run(void **state)
{
	char path[] = "/tmp/swmsi-schemes-XXXXXX";
	struct captured c;
	char *json = NULL;
	size_t len = 0;
	FILE *f;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(compare_unrunnable_native(SWMSI_SCHEME_KERNEL, path, &c), SIM_USAGE);
	assert_non_null(strstr(c.err, "swmsi-sim: --compare: native could not run: cannot create "
				      "the context: EINVAL (max_msi_maps 1048577 is above the "
				      "library's limit of 1048576)\n"));
	assert_non_null(strstr(c.out, "\nFAIL: native could not run"));
	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(sim_read_all(f, 1 << 20, &json, &len), 0);
	fclose(f);
	unlink(path);
	json = realloc(json, len + 1);
	assert_non_null(json);
	json[len] = '\0';
	/* summary.schemes: each run's counts, then adjusted and error */
	assert_non_null(strstr(json, "\"exit\":2,\"adjusted\":[],\"error\":{\"errno\":\"EINVAL\","
				     "\"cause\":\"max_msi_maps 1048577 is above the library's "
				     "limit of 1048576\"}}"));
	assert_non_null(strstr(json, "\"adjusted\":[{\"option\":\"max_msi_maps\","
				     "\"from\":\"1048577\",\"to\":\"64\""));
	assert_non_null(strstr(json, "\"differ\":0,\"exit\":2}"));
	free(json);
	free(c.out);
	free(c.err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(native_takes_every_option),
		cmocka_unit_test(kernel_runs_with_reclaim_none_and_64_ids),
		cmocka_unit_test(kernel_takes_64_and_dma_iommu_only_0),
		cmocka_unit_test(the_table_agrees_with_swmsi_ctx_create),
		cmocka_unit_test(ctx_causes_name_the_rule),
		cmocka_unit_test(plain_run_without_a_context_exits_two_with_the_cause),
		cmocka_unit_test(compare_names_a_judged_scheme_that_cannot_run),
		cmocka_unit_test(compare_names_another_scheme_that_cannot_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
