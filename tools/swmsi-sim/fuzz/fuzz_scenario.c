/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer entry point: the bytes are a scenario. They go through the
 * parser and, when they parse, through the runner against the library and
 * the mock, with every output path (timeline, JSON, DOT) exercised into
 * /dev/null. Input size, step count and mapping sizes are bounded so every
 * input runs in milliseconds: page tables for a 2^47-byte map are not a bug.
 * The mapping bound counts pages, so that large maps are reached where they
 * are cheap: 1 GiB under 64K pages, 256 MiB under 16K, 64 MiB under 4K (a
 * map over it is skipped, and said so, by the runner).
 * Besides crashes, leaks and undefined behaviour, any invariant violation
 * the runner reports is a finding.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "sinks.h"

#define FUZZ_MAX_INPUT	   4096
#define FUZZ_MAX_STEPS	   64
#define FUZZ_MAX_MAP_PAGES 16384ull /* PTEs per domain a map may add */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null_out;
	struct sim_result res;
	struct sim_opts o = { 0 };
	struct scn_diag d;
	struct scn *scn = NULL;

	if (size > FUZZ_MAX_INPUT)
		return -1; /* not added to the corpus */
	if (scn_parse((const char *)data, size, "<fuzz>", &scn, &d))
		return 0;
	if (!null_out)
		null_out = fopen("/dev/null", "w");
	o.out = null_out;
	o.err = null_out;
	o.json_path = "/dev/null";
	o.dot_path = "/dev/null";
	o.max_map_bytes = FUZZ_MAX_MAP_PAGES << scn->opts.page_shift;
	o.max_steps = FUZZ_MAX_STEPS;
	o.keep_going = true;
	sim_run(scn, &o, &res);
	scn_free(scn);
	/*
	 * A failed expectation is what random input mostly gets; an invariant
	 * violation is never right, whatever the input: the library (or the
	 * checker) is wrong. Replay the input with swmsi-sim to see which.
	 */
	if (res.failed_invariants) {
		fprintf(stderr,
			"fuzz_scenario: %zu invariant violations; replay the input with "
			"swmsi-sim --keep-going\n",
			res.failed_invariants);
		abort();
	}
	return 0;
}
