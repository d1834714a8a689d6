/* SPDX-License-Identifier: MIT */
/* Formatting helpers shared by the layers above: sizes, prot letters, error names. */
#include <inttypes.h>
#include <stdio.h>

#include <swmsi/swmsi.h>

#include "util.h"

const char *sim_fmt_size(char *buf, size_t len, uint64_t v)
{
	if (v && !(v & ((1ull << 30) - 1)))
		snprintf(buf, len, "%" PRIu64 "G", v >> 30);
	else if (v && !(v & ((1ull << 20) - 1)))
		snprintf(buf, len, "%" PRIu64 "M", v >> 20);
	else if (v && !(v & ((1ull << 10) - 1)))
		snprintf(buf, len, "%" PRIu64 "K", v >> 10);
	else
		snprintf(buf, len, "0x%" PRIx64, v);
	return buf;
}

const char *sim_fmt_prot(char *buf, size_t len, uint32_t prot)
{
	size_t n = 0;

	if (len < 5) {
		if (len)
			buf[0] = '\0';
		return buf;
	}
	if (prot & SWMSI_PROT_READ)
		buf[n++] = 'r';
	if (prot & SWMSI_PROT_WRITE)
		buf[n++] = 'w';
	if (prot & SWMSI_PROT_MMIO)
		buf[n++] = 'm';
	if (!n)
		buf[n++] = '-';
	buf[n] = '\0';
	return buf;
}

const char *sim_errstr(int rc)
{
	return rc ? swmsi_errname(rc) : "ok";
}
