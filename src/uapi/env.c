// SPDX-License-Identifier: MIT
/* Options from the environment, for libswmsi-preload.so and embedders. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "uapi_internal.h"

static const char *env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

int swmsi_uapi_opts_from_env(struct swmsi_uapi_opts *opts, const char **bad)
{
	const char *v;
	enum swmsi_scheme scheme;

	if (!opts)
		return -EINVAL;
	memset(opts, 0, sizeof(*opts));
	v = env("SWMSI_SCHEME");
	if (v) {
		if (swmsi_scheme_from_name(v, &scheme)) {
			if (bad)
				*bad = "SWMSI_SCHEME";
			return -EINVAL;
		}
		opts->scheme = (enum swmsi_scheme)(scheme | SWMSI_UAPI_SCHEME_EXPLICIT);
	}
	v = env("SWMSI_PAGE_SHIFT");
	if (v) {
		if (strcmp(v, "12") && strcmp(v, "14") && strcmp(v, "16")) {
			if (bad)
				*bad = "SWMSI_PAGE_SHIFT";
			return -EINVAL;
		}
		opts->page_shift = (unsigned int)atoi(v);
	}
	opts->machine = env("SWMSI_MACHINE");
	opts->record = env("SWMSI_RECORD");
	return 0;
}
