/* SPDX-License-Identifier: MIT */
/*
 * What each scheme takes of the context's options, and what it runs with
 * where a scenario asks for more: one table (API.md "Schemes"), read by a
 * plain run's check and by --compare's adjustment, and the cause of a
 * context that could not be made.
 */
#include <errno.h>
#include <string.h>

#include "lang.h"

struct scheme_caps {
	bool reclaim_unused;	/* takes reclaim unused */
	bool any_max;		/* takes any max_msi_maps */
	unsigned int max_only;	/* else: 0 or this one (0: 0 alone) */
	const char *no_reclaim; /* why not reclaim unused, of the scheme */
	const char *no_max;	/* why not another max_msi_maps */
	const char *max_fix;	/* what to do with the option line */
};

static const struct scheme_caps caps[SIM_SCHEMES] = {
	[SWMSI_SCHEME_NATIVE] = { .reclaim_unused = true, .any_max = true },
	[SWMSI_SCHEME_KERNEL] = {
		.max_only = 64,
		.no_reclaim = "never reclaims MSI pages",
		.no_max = "has a fixed cap of 64 ids",
		.max_fix = "drop the option, make it 64",
	},
	[SWMSI_SCHEME_DMA_IOMMU] = {
		.max_only = 0,
		.no_reclaim = "never frees a domain cookie's MSI pages",
		.no_max = "has no MSI map ids, only per-domain cookies",
		.max_fix = "drop the option",
	},
};

static const struct scheme_caps *caps_of(enum swmsi_scheme scheme)
{
	return (unsigned int)scheme < SIM_SCHEMES ? &caps[scheme] : &caps[SWMSI_SCHEME_NATIVE];
}

static bool max_ok(const struct scheme_caps *k, unsigned int v)
{
	return k->any_max || v == 0 || v == k->max_only;
}

size_t sim_scheme_fit(enum swmsi_scheme scheme, const struct scn_opts *in, struct scn_opts *out,
		      struct sim_adjust *adj)
{
	const struct scheme_caps *k = caps_of(scheme);
	size_t n = 0;

	*out = *in;
	memset(adj, 0, SIM_MAX_ADJUST * sizeof(*adj));
	if (in->reclaim_unused && !k->reclaim_unused) {
		out->reclaim_unused = false;
		adj[n] = (struct sim_adjust){ .option = "reclaim",
					      .from = "unused",
					      .to = "none",
					      .why = k->no_reclaim,
					      .fix = "drop the option",
					      .at = in->reclaim_at };
		n++;
	}
	if (!max_ok(k, in->max_msi_maps)) {
		out->max_msi_maps = k->max_only;
		adj[n] = (struct sim_adjust){ .option = "max_msi_maps",
					      .why = k->no_max,
					      .fix = k->max_fix,
					      .at = in->max_msi_maps_at };
		snprintf(adj[n].from, sizeof(adj[n].from), "%u", in->max_msi_maps);
		snprintf(adj[n].to, sizeof(adj[n].to), "%u", k->max_only);
		n++;
	}
	if (n == 2 && adj[1].at.line < adj[0].at.line) {
		struct sim_adjust t = adj[0];

		adj[0] = adj[1];
		adj[1] = t;
	}
	return n;
}

const char *sim_adjust_why(enum swmsi_scheme scheme, const struct sim_adjust *a, char *buf,
			   size_t len)
{
	snprintf(buf, len, "the %s scheme %s", swmsi_scheme_name(scheme), a->why);
	return buf;
}

/* One option @a the run's scheme cannot take, said where it belongs. */
static void say_adjust(const struct scn *scn, bool has_scheme, enum swmsi_scheme scheme,
		       bool at_cmdline, const struct sim_adjust *a, FILE *err)
{
	const char *name = swmsi_scheme_name(scheme);
	char why[160];

	if (at_cmdline && has_scheme) {
		/* no file the user can edit: what conflicts is their --scheme */
		fprintf(err,
			"swmsi-sim: --scheme %s: %s:%u:%u has option %s %s, and %s; use --compare "
			"(each scheme runs with what it takes) or --scheme native\n",
			name, scn->file, a->at.line, a->at.col, a->option, a->from,
			sim_adjust_why(scheme, a, why, sizeof(why)));
	} else if (has_scheme) {
		fprintf(err,
			"%s:%u:%u: option %s %s: the %s scheme (--scheme %s) %s; %s or use "
			"--scheme native\n",
			scn->file, a->at.line, a->at.col, a->option, a->from, name, name, a->why,
			a->fix);
	} else {
		fprintf(err,
			"%s:%u:%u: option %s %s: the %s scheme (option scheme %s, line %u) %s; %s "
			"or make line %u 'option scheme native'\n",
			scn->file, a->at.line, a->at.col, a->option, a->from, name, name,
			scn->opts.scheme_at.line, a->why, a->fix, scn->opts.scheme_at.line);
	}
}

int sim_scheme_check(const struct scn *scn, bool has_scheme, enum swmsi_scheme scheme,
		     bool at_cmdline, FILE *err)
{
	struct sim_adjust adj[SIM_MAX_ADJUST];
	struct scn_opts fit;
	size_t i, n;

	if (!has_scheme)
		scheme = scn->opts.scheme;
	n = sim_scheme_fit(scheme, &scn->opts, &fit, adj);
	for (i = 0; i < n && err; i++)
		say_adjust(scn, has_scheme, scheme, at_cmdline, &adj[i], err);
	return n ? SIM_USAGE : 0;
}

/* An EINVAL's cause: the first rule of swmsi_ctx_create() @o breaks. */
static const char *einval_cause(const struct scn_opts *o, enum swmsi_scheme scheme, char *buf,
				size_t len)
{
	struct sim_adjust adj[SIM_MAX_ADJUST];
	struct scn_opts fit;
	char why[160];

	if (o->page_shift != 12 && o->page_shift != 14 && o->page_shift != 16)
		snprintf(buf, len, "page_shift %u is not 12, 14 or 16", o->page_shift);
	else if (o->max_msi_maps > SWMSI_MAX_MSI_MAPS_LIMIT)
		snprintf(buf, len, "max_msi_maps %u is above the library's limit of %u",
			 o->max_msi_maps, SWMSI_MAX_MSI_MAPS_LIMIT);
	else if (sim_scheme_fit(scheme, o, &fit, adj))
		snprintf(buf, len, "option %s %s: %s", adj[0].option, adj[0].from,
			 sim_adjust_why(scheme, &adj[0], why, sizeof(why)));
	else
		snprintf(buf, len, "the library refused the options (docs/errors.md)");
	return buf;
}

const char *sim_ctx_cause(const struct scn_opts *o, enum swmsi_scheme scheme, int err, char *buf,
			  size_t len)
{
	switch (err) {
	case -EINVAL:
		return einval_cause(o, scheme, buf, len);
	case -EOPNOTSUPP:
		if ((unsigned int)scheme >= SIM_SCHEMES)
			snprintf(buf, len, "scheme %d is not one the library knows", (int)scheme);
		else
			snprintf(buf, len, "an option the library does not support");
		return buf;
	case -ENOMEM:
		snprintf(buf, len, "out of memory");
		return buf;
	}
	snprintf(buf, len, "the library or the mock IOMMU refused it");
	return buf;
}
