/* SPDX-License-Identifier: MIT */
/*
 * Whether user memory is there to pin: the model never touches what a
 * user VA points at, but upstream pins it when a domain needs its pages
 * and answers -EFAULT when the range is not mapped or not readable.
 * mincore(2) tells a mapped range from a hole without faulting anything
 * in, so mapping 64 GiB of guest RAM stays cheap; protections it does not
 * see. A short range is then read a byte a page in one process_vm_readv(2)
 * on our own process (a PROT_NONE page stops it); a long one is looked up
 * in /proc/self/maps, which reads nothing. Where neither can be had (a
 * seccomp filter, no /proc) mapped is taken for readable.
 */
#define _GNU_SOURCE /* process_vm_readv */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <sys/uio.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "iopt.h"

/* Pages mincore() looks at per call: its vector lives on the stack. */
#define CHUNK_PAGES 4096u

static int user_va_mapped(uint64_t va, uint64_t length);

/* Pages up to which a byte of each is read (one iovec a page, IOV_MAX). */
#define READ_PAGES 1024u

/* A byte of each of the @n pages from @start read: -EFAULT at one that
 * cannot be. */
static int pages_readable(uint64_t start, uint64_t n, uint64_t page)
{
	struct iovec remote[READ_PAGES];
	unsigned char sink[READ_PAGES];
	struct iovec local = { .iov_base = sink, .iov_len = (size_t)n };
	ssize_t got;

	for (uint64_t i = 0; i < n; i++)
		remote[i] = (struct iovec){ .iov_base = (void *)(uintptr_t)(start + i * page),
					    .iov_len = 1 };
	got = process_vm_readv(getpid(), &local, 1, remote, (unsigned long)n, 0);
	if (got < 0)
		return errno == EFAULT ? -EFAULT : 0; /* not allowed here: mapped will do */
	return (uint64_t)got == n ? 0 : -EFAULT;
}

/* Every mapping of /proc/self/maps that meets [start, end) is readable. */
static int maps_readable(uint64_t start, uint64_t end)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[512];
	int rc = 0;

	if (!f)
		return 0; /* no /proc: mapped will do */
	while (!rc && fgets(line, sizeof(line), f)) {
		uint64_t lo, hi;
		char perms[5];

		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %4s", &lo, &hi, perms) != 3)
			continue;
		if (hi > start && lo < end && perms[0] != 'r')
			rc = -EFAULT;
		if (lo >= end)
			break;
	}
	fclose(f);
	return rc;
}

int swmsi__user_va_check(uint64_t va, uint64_t length)
{
	int rc = user_va_mapped(va, length);
	long ps = sysconf(_SC_PAGESIZE);
	uint64_t page = ps > 0 ? (uint64_t)ps : 4096, start, n;

	if (rc)
		return rc;
	start = va & ~(page - 1);
	n = ((va + (length - 1)) & ~(page - 1)) / page - start / page + 1;
	if (n <= READ_PAGES)
		return pages_readable(start, n, page);
	return maps_readable(start, start + n * page); /* user VAs are far below 2^64 */
}

/* Every page of [va, va + length) mapped: mincore() finds no hole. */
static int user_va_mapped(uint64_t va, uint64_t length)
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
