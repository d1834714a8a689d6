/* SPDX-License-Identifier: MIT */
/* The words the cause helpers share (cause.h): a leaf of cause.c and cause_dev.c. */
#include <inttypes.h>
#include <stdio.h>

#include "cause.h"

const char *cause_say(const struct cause *k, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(k->buf, k->len, fmt, ap);
	va_end(ap);
	return k->buf;
}

const char *cause_name(const struct cause *k, unsigned int n)
{
	return k->s->scn->names[n].name;
}

const char *cause_att_history(const struct cause *k, unsigned int dev, char *buf, size_t len)
{
	const struct sim_obj *o = &k->s->objs[dev];
	const struct sim_event *ok = &o->att, *bad = &o->att_failed;

	/* An attached device's last failed attach is not why it is where it is. */
	if (bad->line && (!ok->line || bad->step > ok->step) && (!ok->line || ok->op == SCN_DETACH))
		snprintf(buf, len, "its attach at line %u failed with %s", bad->line,
			 swmsi_errname(bad->rc));
	else if (!ok->line)
		snprintf(buf, len, "never attached");
	else
		snprintf(buf, len, "%s at line %u", ok->op == SCN_DETACH ? "detached" : "attached",
			 ok->line);
	return buf;
}

bool cause_aligned(const struct cause *k, uint64_t v)
{
	return !(v & (k->s->page_size - 1));
}

bool cause_wraps(uint64_t start, uint64_t len)
{
	return len && start + (len - 1) < start;
}

const char *cause_bad_range(const struct cause *k, const char *what, uint64_t start, uint64_t size)
{
	if (!cause_aligned(k, start))
		return cause_say(k, "%s start 0x%" PRIx64 " is not page aligned", what, start);
	if (!size)
		return cause_say(k, "%s size is 0", what);
	if (!cause_aligned(k, size))
		return cause_say(k, "%s size 0x%" PRIx64 " is not page aligned", what, size);
	if (cause_wraps(start, size))
		return cause_say(k, "%s 0x%" PRIx64 " + 0x%" PRIx64 " wraps past 2^64", what, start,
				 size);
	return NULL;
}

const struct swmsi_mapping *cause_meets(const struct swmsi_mapping *m, size_t n, uint64_t iova,
					uint64_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (iova <= m[i].iova + (m[i].length - 1) && m[i].iova <= iova + (len - 1))
			return &m[i];
	return NULL;
}
