/* SPDX-License-Identifier: MIT */
/*
 * swmsi-sim's scenario writers (gen/): the built-in demo, and the random
 * scenario generator with its mix: how many steps of each command it
 * generated and how many of them its model expects to fail. The run
 * summary prints the mix after a --random run (sim_gen_stats_print()).
 * gen_model.h is the generator's own header.
 */
#ifndef SWMSI_SIM_GEN_H
#define SWMSI_SIM_GEN_H

#include <stdint.h>
#include <stdio.h>

#include <swmsi/swmsi.h>

extern const char sim_demo_scenario[];

/*
 * Generate a random valid scenario of @steps commands from @seed for
 * @scheme: it uses only options the scheme supports (and says "option
 * scheme" when not NATIVE), every command carries the outcome a model of
 * that scheme predicts (=> ERR or none) and expectations are drawn from the
 * same model. Returns a malloc'ed NUL-terminated text, or NULL when out of
 * memory.
 */
char *sim_generate(uint64_t seed, unsigned int steps, enum swmsi_scheme scheme);

/* The command words the generator emits (window ... expect). */
#define GEN_NWORDS 19

/* One command word's share of a generated scenario. */
struct gen_word_stats {
	const char *word;    /* "map", "attach", ...; NULL if never generated */
	unsigned int steps;  /* lines with this command */
	unsigned int errors; /* of which carry "=> ERR" */
};

/* A generated scenario's mix. Options are not steps and are not counted. */
struct gen_stats {
	unsigned int steps;  /* command lines, expectations included */
	unsigned int errors; /* of which carry "=> ERR": the rest must succeed */
	struct gen_word_stats word[GEN_NWORDS];
};

/*
 * sim_generate() that also fills @st with the mix of the scenario it
 * returns (@st may be NULL). Returns a malloc'ed NUL-terminated text, or NULL
 * when out of memory (then @st is left zeroed).
 */
char *sim_generate_stats(uint64_t seed, unsigned int steps, enum swmsi_scheme scheme,
			 struct gen_stats *st);

/*
 * Print @st to @f: a line with the totals, then "word steps/errors" per
 * command generated, e.g.
 *   mix: 1000 steps, 612 succeed (61%), 388 expect an error
 *     map 60/12  unmap 48/20  ...            (steps/expected errors)
 */
void sim_gen_stats_print(const struct gen_stats *st, FILE *f);

#endif /* SWMSI_SIM_GEN_H */
