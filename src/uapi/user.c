// SPDX-License-Identifier: MIT
/*
 * The caller's memory, read and written as the kernel's copy_from_user()
 * would: process_vm_readv(2) and process_vm_writev(2) on our own process
 * report an unmapped or protected address (NULL included) as EFAULT
 * instead of faulting, so a bad pointer in a request is an error code,
 * never a crash of the host program.
 *
 * Those two system calls are most of a request's cost (some 1.4 us each
 * here, against a few hundred ns for the library call behind it), and most
 * requests' structs live in the calling thread's stack, in a frame of its
 * caller. Memory between our own stack pointer and the top of the thread's
 * stack is mapped and writable while we run, so a transfer wholly inside
 * it is a plain copy; anything else takes the system call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "uapi_internal.h"

#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define SWMSI_VG_DEFINED(p, n) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (n)))
#endif
#endif
#ifndef SWMSI_VG_DEFINED
#define SWMSI_VG_DEFINED(p, n) ((void)(p), (void)(n))
#endif

/* Our pid, which glibc no longer caches: a system call saved per transfer.
 * A forked child learns its own (atfork). */
static atomic_int cached_pid;
static pthread_once_t pid_once = PTHREAD_ONCE_INIT;

static void pid_forget(void)
{
	atomic_store_explicit(&cached_pid, 0, memory_order_relaxed);
}

static void pid_atfork(void)
{
	pthread_atfork(NULL, NULL, pid_forget);
}

static pid_t self_pid(void)
{
	int pid = atomic_load_explicit(&cached_pid, memory_order_relaxed);

	if (!pid) {
		pthread_once(&pid_once, pid_atfork);
		pid = (int)getpid();
		atomic_store_explicit(&cached_pid, pid, memory_order_relaxed);
	}
	return (pid_t)pid;
}

/* The calling thread's stack, [lo, hi); known 1 once found, -1 when it
 * cannot be (then every transfer takes the system call). */
static _Thread_local uintptr_t stack_lo, stack_hi;
static _Thread_local int stack_known;

static void stack_find(void)
{
	pthread_attr_t attr;
	void *addr;
	size_t size;

	stack_known = -1;
	if (pthread_getattr_np(pthread_self(), &attr))
		return;
	if (!pthread_attr_getstack(&attr, &addr, &size) && size) {
		stack_lo = (uintptr_t)addr;
		stack_hi = stack_lo + size;
		stack_known = 1;
	}
	pthread_attr_destroy(&attr);
}

/* [uptr, uptr + len) lies between our frame and the top of the thread's
 * stack, and we run on that stack (not on a signal's alternate one): live
 * frames of our callers, mapped and writable. */
static int in_live_stack(uint64_t uptr, size_t len)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);

	if (!stack_known)
		stack_find();
	if (stack_known != 1 || sp < stack_lo || sp >= stack_hi)
		return 0;
	return uptr >= sp && uptr < stack_hi && len <= stack_hi - uptr;
}

static int user_xfer(void *local, uint64_t uptr, size_t len, int write)
{
	struct iovec l = { .iov_base = local, .iov_len = len };
	struct iovec r;
	ssize_t n;

	if (!len)
		return 0;
	if (uptr > UINTPTR_MAX || len > UINTPTR_MAX - uptr)
		return -EFAULT;
	if (in_live_stack(uptr, len)) {
		if (write)
			memcpy((void *)(uintptr_t)uptr, local, len);
		else
			memcpy(local, (const void *)(uintptr_t)uptr, len);
		return 0;
	}
	r.iov_base = (void *)(uintptr_t)uptr;
	r.iov_len = len;
	/* a short transfer stops at the first inaccessible page: EFAULT too */
	if (write)
		n = process_vm_writev(self_pid(), &l, 1, &r, 1, 0);
	else
		n = process_vm_readv(self_pid(), &l, 1, &r, 1, 0);
	if (n < 0 || (size_t)n != len)
		return -EFAULT;
	/* valgrind sees a write to another process: our own memory written
	 * through the kernel stays undefined to it unless told */
	if (write)
		SWMSI_VG_DEFINED(r.iov_base, len);
	return 0;
}

int swmsi__uapi_read(void *dst, uint64_t uptr, size_t len)
{
	return user_xfer(dst, uptr, len, 0);
}

int swmsi__uapi_write(uint64_t uptr, const void *src, size_t len)
{
	/* process_vm_writev() reads the local side only */
	return user_xfer((void *)src, uptr, len, 1);
}

int swmsi__uapi_check_zero(uint64_t uptr, size_t len)
{
	unsigned char buf[256];

	while (len) {
		size_t n = len < sizeof(buf) ? len : sizeof(buf);
		int err = swmsi__uapi_read(buf, uptr, n);

		if (err)
			return err;
		for (size_t i = 0; i < n; i++)
			if (buf[i])
				return -E2BIG;
		uptr += n;
		len -= n;
	}
	return 0;
}

int swmsi__uapi_copy_struct(void *dst, size_t ksize, uint64_t uptr, size_t usize)
{
	size_t n = usize < ksize ? usize : ksize;
	int err;

	if (usize > ksize) {
		if (uptr > UINT64_MAX - ksize)
			return -EFAULT;
		err = swmsi__uapi_check_zero(uptr + ksize, usize - ksize);
		if (err)
			return err;
	}
	memset(dst, 0, ksize);
	return swmsi__uapi_read(dst, uptr, n);
}

int swmsi__uapi_respond(struct swmsi__uapi_call *call)
{
	size_t n = call->usize < call->ksize ? call->usize : call->ksize;

	return swmsi__uapi_write(call->uptr, call->cmd, n);
}
