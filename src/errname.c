/* SPDX-License-Identifier: MIT */
/* Symbolic names: errno values (the simulator's "=> ERRNAME") and schemes. */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include <swmsi/swmsi.h>

static const struct {
	int err;
	const char *name;
} errnames[] = {
	{ EPERM, "EPERM" },	    { ENOENT, "ENOENT" },	  { EIO, "EIO" },
	{ ENXIO, "ENXIO" },	    { E2BIG, "E2BIG" },		  { EBADF, "EBADF" },
	{ EAGAIN, "EAGAIN" },	    { ENOMEM, "ENOMEM" },	  { EACCES, "EACCES" },
	{ EFAULT, "EFAULT" },	    { EBUSY, "EBUSY" },		  { EEXIST, "EEXIST" },
	{ ENODEV, "ENODEV" },	    { EINVAL, "EINVAL" },	  { ENOSPC, "ENOSPC" },
	{ ERANGE, "ERANGE" },	    { EDEADLK, "EDEADLK" },	  { ENOSYS, "ENOSYS" },
	{ EOVERFLOW, "EOVERFLOW" }, { EOPNOTSUPP, "EOPNOTSUPP" }, { EADDRINUSE, "EADDRINUSE" },
	{ ETIMEDOUT, "ETIMEDOUT" }, { ENOTSUP, "ENOTSUP" },
};

const char *swmsi_errno_name(int err)
{
	size_t i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++) {
		if (-errnames[i].err == err)
			return errnames[i].name;
	}
	return NULL;
}

int swmsi_errno_from_name(const char *name)
{
	size_t i;

	if (!name)
		return 0;
	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++) {
		if (strcmp(errnames[i].name, name) == 0)
			return -errnames[i].err;
	}
	return 0;
}

static const char *const scheme_names[] = {
	[SWMSI_SCHEME_NATIVE] = "native",
	[SWMSI_SCHEME_KERNEL] = "kernel",
	[SWMSI_SCHEME_DMA_IOMMU] = "dma-iommu",
};

const char *swmsi_scheme_name(enum swmsi_scheme scheme)
{
	if ((unsigned int)scheme >= sizeof(scheme_names) / sizeof(scheme_names[0]))
		return NULL;
	return scheme_names[scheme];
}

int swmsi_scheme_from_name(const char *name, enum swmsi_scheme *scheme)
{
	unsigned int i;

	if (!name || !scheme)
		return -EINVAL;
	for (i = 0; i < sizeof(scheme_names) / sizeof(scheme_names[0]); i++) {
		if (strcmp(scheme_names[i], name) == 0) {
			*scheme = (enum swmsi_scheme)i;
			return 0;
		}
	}
	return -ENOENT;
}
