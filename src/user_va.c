/* SPDX-License-Identifier: MIT */
/*
 * Whether user memory is there to pin: the model never touches what a
 * user VA points at, but upstream pins it when a domain needs its pages
 * and answers -EFAULT when the range is not mapped. mincore(2) tells a
 * mapped range from a hole without faulting anything in, so mapping
 * 64 GiB of guest RAM stays cheap; it does not see protections (a
 * PROT_NONE mapping passes), which pinning would refuse.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "iopt.h"

/* Pages mincore() looks at per call: its vector lives on the stack. */
#define CHUNK_PAGES 4096u

int swmsi__user_va_check(uint64_t va, uint64_t length)
{
	unsigned char vec[CHUNK_PAGES];
	long ps = sysconf(_SC_PAGESIZE);
	uint64_t page = ps > 0 ? (uint64_t)ps : 4096;
	uint64_t start = va & ~(page - 1), end;

	if (!length || va + (length - 1) < va || va + (length - 1) > UINTPTR_MAX)
		return -EFAULT;
	/* the last page's end; wraps to 0 only for the very top page */
	end = ((va + (length - 1)) & ~(page - 1)) + page;
	while (start != end) {
		uint64_t n = (end - start) / page;

		if (n > CHUNK_PAGES)
			n = CHUNK_PAGES;
		if (mincore((void *)(uintptr_t)start, n * page, vec)) {
			if (errno == EAGAIN)
				continue;
			return -EFAULT; /* ENOMEM: a hole; anything else: not ours */
		}
		start += n * page;
	}
	return 0;
}
