// SPDX-License-Identifier: MIT
/*
 * The fd table: which file descriptors are /dev/iommu files of ours, and
 * the file behind each. A lookup takes a reference under the table's read
 * lock, so a close in another thread (which takes the entry out under the
 * write lock, then closes the fd) never frees a file a request is using:
 * the last reference destroys the context.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "uapi_internal.h"

static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
/* Held for reading from a request's lookup to its put, for writing by a
 * fork: a child never copies a context in the middle of a request (an
 * object allocated but not yet published, the context's lock held).
 * Writers first, so that a stream of requests cannot hold a fork off; a
 * thread's depth keeps a request that looks up another fd from taking it
 * twice, which a waiting writer would turn into a deadlock. */
static pthread_rwlock_t fork_lock = PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP;
static _Thread_local unsigned int fork_depth;
/* A fork is waiting: new requests let it go first. The lock's writer
 * preference alone did not, under valgrind's scheduler: a thread issuing
 * requests back to back starved the fork for minutes. */
static atomic_int fork_pending;
static struct swmsi__uapi_file **slots; /* indexed by fd */
static size_t nr_slots;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

/* A fork while another thread holds the table lock would leave the child
 * a lock nobody releases: fork takes it, both sides release it. (The child
 * gets a copy of each context, not the parent's: state is not shared as a
 * kernel file would share it.) */
static void fork_prepare(void)
{
	atomic_store(&fork_pending, 1);
	pthread_rwlock_wrlock(&fork_lock);
	pthread_rwlock_wrlock(&table_lock);
}

static void fork_parent(void)
{
	pthread_rwlock_unlock(&table_lock);
	atomic_store(&fork_pending, 0);
	pthread_rwlock_unlock(&fork_lock);
}

/* The child's thread has another id than the one that took the lock, which
 * glibc's rwlock would take for a reader's unlock: it starts afresh. */
static void fork_child(void)
{
	static const pthread_rwlock_t fresh = PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP;

	pthread_rwlock_init(&table_lock, NULL);
	fork_lock = fresh;
	atomic_store(&fork_pending, 0);
}

static void fork_hold(void)
{
	if (fork_depth++ == 0) {
		while (atomic_load(&fork_pending))
			sched_yield();
		pthread_rwlock_rdlock(&fork_lock);
	}
}

static void fork_release(void)
{
	if (--fork_depth == 0)
		pthread_rwlock_unlock(&fork_lock);
}

static void atfork_register(void)
{
	pthread_atfork(fork_prepare, fork_parent, fork_child);
}

struct swmsi__uapi_file *swmsi__uapi_file_get(int fd)
{
	struct swmsi__uapi_file *file = NULL;

	if (fd < 0)
		return NULL;
	fork_hold();
	pthread_rwlock_rdlock(&table_lock);
	if ((size_t)fd < nr_slots && slots[fd]) {
		file = slots[fd];
		atomic_fetch_add_explicit(&file->refs, 1, memory_order_relaxed);
	}
	pthread_rwlock_unlock(&table_lock);
	if (!file)
		fork_release();
	return file;
}

static void file_free(struct swmsi__uapi_file *file)
{
	swmsi_ctx_destroy(file->ctx);
	swmsi__uapi_file_backing_release(file); /* no area is left to map them */
	mock_iommu_destroy(file->mock);
	pthread_mutex_destroy(&file->lock);
	free(file->objopts);
	free(file->stdevs);
	free(file->machine);
	free(file->record);
	free(file);
}

static void file_unref(struct swmsi__uapi_file *file)
{
	/* acq_rel: the destroying thread sees every write the others made */
	if (atomic_fetch_sub_explicit(&file->refs, 1, memory_order_acq_rel) == 1)
		file_free(file);
}

void swmsi__uapi_file_put(struct swmsi__uapi_file *file)
{
	file_unref(file);
	fork_release();
}

/* Takes the table's reference on @file at @fd. */
static int table_insert(int fd, struct swmsi__uapi_file *file)
{
	int err = 0;

	pthread_rwlock_wrlock(&table_lock);
	if ((size_t)fd >= nr_slots) {
		size_t n = nr_slots ? nr_slots : 64;
		struct swmsi__uapi_file **grown;

		while (n <= (size_t)fd)
			n *= 2;
		grown = realloc(slots, n * sizeof(*grown));
		if (!grown) {
			err = -ENOMEM;
			goto out;
		}
		memset(grown + nr_slots, 0, (n - nr_slots) * sizeof(*grown));
		slots = grown;
		nr_slots = n;
	}
	slots[fd] = file; /* the fd is open, so no stale entry can sit here */
out:
	pthread_rwlock_unlock(&table_lock);
	return err;
}

static int dup_opt(const char *s, char **out)
{
	*out = NULL;
	if (!s)
		return 0;
	*out = strdup(s);
	return *out ? 0 : -ENOMEM;
}

/* The scheme a struct swmsi_uapi_opts asks for (its zero is KERNEL). */
static int opts_scheme(const struct swmsi_uapi_opts *opts, enum swmsi_scheme *scheme)
{
	unsigned int raw = opts ? (unsigned int)opts->scheme : 0;

	if (raw & SWMSI_UAPI_SCHEME_EXPLICIT)
		raw &= ~(unsigned int)SWMSI_UAPI_SCHEME_EXPLICIT;
	else if (raw == 0)
		raw = SWMSI_SCHEME_KERNEL;
	if (raw > SWMSI_SCHEME_DMA_IOMMU)
		return -EOPNOTSUPP;
	*scheme = (enum swmsi_scheme)raw;
	return 0;
}

static int file_create(const struct swmsi_uapi_opts *opts, struct swmsi__uapi_file **filep)
{
	struct swmsi__uapi_file *file;
	struct swmsi_ctx_opts copts = { 0 };
	int err;

	file = calloc(1, sizeof(*file));
	if (!file)
		return -ENOMEM;
	file->fd = -1;
	atomic_init(&file->refs, 1);
	pthread_mutex_init(&file->lock, NULL);
	err = opts_scheme(opts, &file->scheme);
	file->page_shift = opts && opts->page_shift ? opts->page_shift : 12;
	if (!err && file->page_shift != 12 && file->page_shift != 14 && file->page_shift != 16)
		err = -EINVAL;
	if (!err)
		err = dup_opt(opts ? opts->machine : NULL, &file->machine);
	if (!err)
		err = dup_opt(opts ? opts->record : NULL, &file->record);
	if (!err)
		err = mock_iommu_create(file->page_shift, &file->mock);
	if (!err) {
		copts.page_shift = file->page_shift;
		copts.iommu = mock_iommu_ops();
		copts.iommu_priv = file->mock;
		copts.scheme = file->scheme;
		err = swmsi_ctx_create(&copts, &file->ctx);
	}
	if (err) {
		file_free(file);
		return err;
	}
	*filep = file;
	return 0;
}

int swmsi_uapi_open(const struct swmsi_uapi_opts *opts)
{
	struct swmsi__uapi_file *file;
	int err, fd;

	pthread_once(&atfork_once, atfork_register);
	err = file_create(opts, &file);
	if (err)
		return err;
	/* a real fd, so that close(2), poll(2) and fd-passing code accept it */
	fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (fd < 0) {
		err = -errno;
		file_free(file);
		return err;
	}
	file->fd = fd;
	err = table_insert(fd, file);
	if (err) {
		close(fd);
		file_free(file);
		return err;
	}
	return fd;
}

int swmsi_uapi_close(int fd)
{
	struct swmsi__uapi_file *file = NULL;

	if (fd < 0)
		return -EBADF;
	pthread_rwlock_wrlock(&table_lock);
	if ((size_t)fd < nr_slots) {
		file = slots[fd];
		slots[fd] = NULL;
	}
	pthread_rwlock_unlock(&table_lock);
	if (!file)
		return -EBADF;
	/* out of the table first: the fd number cannot be handed out again
	 * (and registered anew) before this close */
	close(fd);
	file_unref(file); /* the table's reference, taken by no lookup */
	return 0;
}

struct swmsi_ctx *swmsi_uapi_ctx(int fd)
{
	struct swmsi__uapi_file *file = swmsi__uapi_file_get(fd);
	struct swmsi_ctx *ctx;

	if (!file)
		return NULL;
	ctx = file->ctx;
	swmsi__uapi_file_put(file);
	return ctx;
}

int swmsi_uapi_open_device(int iommufd_or_minus1, const char *path)
{
	(void)iommufd_or_minus1;
	if (!path)
		return -EINVAL;
	/* device cdevs come with the VFIO work and machine descriptions */
	return -ENODEV;
}
