/* SPDX-License-Identifier: MIT */
/* Why a library call failed: a wrong-kind name, or docs/errors.md's cause (explain.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <swmsi/swmsi.h>

#include "commands.h"
#include "explain.h"

static const char *find(const char *fn, const char *err)
{
	unsigned int i;

	for (i = 0; i < sim_err_ncauses; i++)
		if (!strcmp(sim_err_causes[i].fn, fn) && !strcmp(sim_err_causes[i].err, err))
			return sim_err_causes[i].cause;
	return NULL;
}

const char *sim_err_cause(const char *fn, int rc, char *buf, size_t len)
{
	static const char as[] = "as attach";
	const char *err = swmsi_errname(rc), *cause, *base, *rest;

	cause = fn ? find(fn, err) : NULL;
	if (!cause)
		return NULL;
	if (strncmp(cause, as, sizeof(as) - 1)) {
		snprintf(buf, len, "%s", cause);
		return buf;
	}
	/* "as attach, and: the device is not attached", "as attach; the group stays" */
	rest = cause + sizeof(as) - 1;
	rest += strspn(rest, ",;: ");
	if (!strncmp(rest, "and: ", 5))
		rest += 5;
	base = find("swmsi_device_attach", err);
	snprintf(buf, len, "%s%s%s", base ? base : "", base && *rest ? "; " : "", rest);
	return buf;
}

/* Does a name of kind @k suit argument @what ("DEV", "PT", "IOAS", ...)? */
static bool kind_suits(const char *what, enum scn_kind k, const char **want)
{
	static const struct {
		const char *what, *want;
		unsigned int kinds; /* 1 << enum scn_kind */
	} wants[] = {
		{ "DEV", "a device", 1u << SCN_KIND_DEVICE },
		{ "IOAS", "an IOAS", 1u << SCN_KIND_IOAS },
		{ "NESTED", "a nested HWPT", 1u << SCN_KIND_NESTED },
		{ "PARENT", "a HWPT allocated with nest_parent", 1u << SCN_KIND_HWPT },
		{ "PT", "a HWPT or an IOAS",
		  1u << SCN_KIND_HWPT | 1u << SCN_KIND_NESTED | 1u << SCN_KIND_IOAS },
		{ "NAME", "an IOAS or a HWPT",
		  1u << SCN_KIND_HWPT | 1u << SCN_KIND_NESTED | 1u << SCN_KIND_IOAS },
	};
	size_t i;

	for (i = 0; i < sizeof(wants) / sizeof(wants[0]); i++)
		if (!strcmp(wants[i].what, what)) {
			*want = wants[i].want;
			return wants[i].kinds & 1u << k;
		}
	return true;
}

/*
 * The error a live object of kind @k answers for argument @what: -EINVAL
 * where the call accepts several kinds (attach's PT, destroy's NAME) or
 * takes a HWPT of another sort (a nested parent), else -ENOENT.
 */
static int kind_err(const char *what, enum scn_kind k)
{
	if (!strcmp(what, "PT") || !strcmp(what, "NAME"))
		return -EINVAL;
	return !strcmp(what, "PARENT") && k == SCN_KIND_NESTED ? -EINVAL : -ENOENT;
}

const char *sim_err_kind(const struct scn *scn, const struct scn_cmd *c, int rc, char *buf,
			 size_t len)
{
	const struct cmd_def *def = cmd_of(c->op);
	const char *want;
	int i;

	if (!def)
		return NULL;
	for (i = 0; i < CMD_MAX_ARGS && def->args[i].kind != A_END; i++) {
		const struct arg_spec *as = &def->args[i];
		unsigned int name;

		if (as->kind != A_OBJ)
			continue;
		memcpy(&name, (const char *)&c->a + as->off, sizeof(name));
		if (name >= scn->nnames || kind_suits(as->what, scn->names[name].kind, &want))
			continue;
		/* ENOENT where the wrong kind answers EINVAL: the object is gone,
		 * which the state says (sim_cause_of()) */
		if (rc == -ENOENT && kind_err(as->what, scn->names[name].kind) != -ENOENT)
			return NULL;
		snprintf(buf, len, "'%s' is %s; %s wants %s", scn->names[name].name,
			 scn_kind_word(scn->names[name].kind), def->word, want);
		return buf;
	}
	return NULL;
}

const char *sim_err_why(const struct scn *scn, const struct scn_cmd *c, int rc, char *buf,
			size_t len)
{
	const struct cmd_def *def = cmd_of(c->op);

	if (!def)
		return NULL;
	if (sim_err_kind(scn, c, rc, buf, len))
		return buf;
	return sim_err_cause(def->fn, rc, buf, len);
}
