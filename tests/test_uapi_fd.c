// SPDX-License-Identifier: MIT
/*
 * The file descriptors of swmsi_uapi_open(): options (and their
 * environment form), real fds that poll(2) accepts, close, the context
 * behind an fd, device cdevs (not yet), and several threads on one fd:
 * requests that run at once, and a close racing with them (the context
 * outlives the requests using it). Written to be clean under TSan: the
 * library's locks are the only synchronisation the threads share.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "uapi_fixture.h"

static void open_options(void **state)
{
	struct swmsi_uapi_opts opts = { 0 };
	struct pollfd pfd;
	int fd;

	(void)state;
	opts.page_shift = 13;
	assert_int_equal(swmsi_uapi_open(&opts), -EINVAL);
	opts.page_shift = 16;
	opts.scheme = (enum swmsi_scheme)7;
	assert_int_equal(swmsi_uapi_open(&opts), -EOPNOTSUPP);
	opts.scheme = (enum swmsi_scheme)(SWMSI_SCHEME_NATIVE | SWMSI_UAPI_SCHEME_EXPLICIT);
	opts.machine = "machine.txt";
	opts.record = "run.scn";
	fd = swmsi_uapi_open(&opts);
	assert_true(fd >= 0);
	/* a real fd */
	pfd.fd = fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	assert_int_equal(poll(&pfd, 1, 0), 0);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	assert_non_null(swmsi_uapi_ctx(fd));
	assert_int_equal(swmsi_uapi_close(fd), 0);
	assert_int_equal(swmsi_uapi_close(fd), -EBADF);
	assert_int_equal(fcntl(fd, F_GETFD), -1); /* closed for real */
	assert_int_equal(swmsi_uapi_close(-3), -EBADF);
	assert_null(swmsi_uapi_ctx(-3));
}

/* The default is KERNEL: a map into a reserved window answers EINVAL
 * there, as upstream's iopt_check_iova(), and EADDRINUSE under NATIVE. */
static int map_into_window(const struct swmsi_uapi_opts *opts)
{
	int fd = swmsi_uapi_open(opts);
	struct swmsi_ctx *ctx = swmsi_uapi_ctx(fd);
	struct swmsi_device_desc desc = { .group = 1,
					  .sw_msi_start = 0x8000000,
					  .sw_msi_size = 0x100000 };
	uint32_t ioas, dev;
	int err;

	assert_non_null(ctx);
	ioas = ux_ioas(fd);
	assert_int_equal(swmsi_device_bind(ctx, &desc, &dev), 0);
	assert_int_equal(swmsi_device_attach(ctx, dev, ioas), 0);
	err = ux_map(fd, ioas, 0x8000000, 0x40000000, 0x1000);
	assert_int_equal(swmsi_uapi_close(fd), 0);
	return err;
}

static void default_scheme_is_kernel(void **state)
{
	struct swmsi_uapi_opts native = {
		.scheme = (enum swmsi_scheme)(SWMSI_SCHEME_NATIVE | SWMSI_UAPI_SCHEME_EXPLICIT)
	};
	struct swmsi_uapi_opts kernel = { .scheme = SWMSI_SCHEME_KERNEL, .page_shift = 12 };

	(void)state;
	assert_int_equal(map_into_window(NULL), EINVAL);
	assert_int_equal(map_into_window(&(struct swmsi_uapi_opts){ 0 }), EINVAL);
	assert_int_equal(map_into_window(&kernel), EINVAL);
	assert_int_equal(map_into_window(&native), EADDRINUSE);
}

static void options_from_environment(void **state)
{
	struct swmsi_uapi_opts opts;
	const char *bad = NULL;

	(void)state;
	assert_int_equal(swmsi_uapi_opts_from_env(NULL, NULL), -EINVAL);
	unsetenv("SWMSI_SCHEME");
	unsetenv("SWMSI_PAGE_SHIFT");
	unsetenv("SWMSI_MACHINE");
	setenv("SWMSI_RECORD", "", 1);
	assert_int_equal(swmsi_uapi_opts_from_env(&opts, &bad), 0);
	assert_int_equal(opts.scheme, 0);
	assert_int_equal(opts.page_shift, 0);
	assert_null(opts.machine);
	assert_null(opts.record);
	setenv("SWMSI_SCHEME", "native", 1);
	setenv("SWMSI_PAGE_SHIFT", "14", 1);
	setenv("SWMSI_MACHINE", "m.txt", 1);
	assert_int_equal(swmsi_uapi_opts_from_env(&opts, &bad), 0);
	assert_int_equal(opts.scheme, SWMSI_SCHEME_NATIVE | SWMSI_UAPI_SCHEME_EXPLICIT);
	assert_int_equal(opts.page_shift, 14);
	assert_string_equal(opts.machine, "m.txt");
	setenv("SWMSI_PAGE_SHIFT", "14x", 1);
	assert_int_equal(swmsi_uapi_opts_from_env(&opts, &bad), -EINVAL);
	assert_string_equal(bad, "SWMSI_PAGE_SHIFT");
	setenv("SWMSI_SCHEME", "linux", 1);
	assert_int_equal(swmsi_uapi_opts_from_env(&opts, &bad), -EINVAL);
	assert_string_equal(bad, "SWMSI_SCHEME");
	unsetenv("SWMSI_SCHEME");
	unsetenv("SWMSI_PAGE_SHIFT");
	unsetenv("SWMSI_MACHINE");
	unsetenv("SWMSI_RECORD");
}

static void device_cdevs_not_yet(void **state)
{
	(void)state;
	assert_int_equal(swmsi_uapi_open_device(-1, "/dev/vfio/devices/vfio0"), -ENODEV);
	assert_int_equal(swmsi_uapi_open_device(-1, NULL), -EINVAL);
}

#define THREADS 4
#define ROUNDS	300

struct worker {
	int fd;
	uint32_t ioas;
	int index;
	atomic_int *stop;
	int failures;
};

/* Maps and unmaps its own ranges, allocates and destroys its own IOASes:
 * every request must succeed while the others run. */
static void *busy(void *arg)
{
	struct worker *w = arg;

	for (int i = 0; i < ROUNDS; i++) {
		uint64_t iova = 0x100000ull * (uint64_t)(w->index * ROUNDS + i + 1);
		struct swmsi_iommu_ioas_unmap um = {
			.size = sizeof(um), .ioas_id = w->ioas, .iova = iova, .length = 0x1000
		};
		struct swmsi_iommu_ioas_alloc a = { .size = sizeof(a) };
		struct swmsi_iommu_destroy d = { .size = sizeof(d) };
		struct swmsi_iommu_ioas_map m = { .size = sizeof(m),
						  .flags = SWMSI_IOMMU_IOAS_MAP_FIXED_IOVA |
							   SWMSI_IOMMU_IOAS_MAP_READABLE,
						  .ioas_id = w->ioas,
						  .user_va = 0x40000000,
						  .length = 0x1000,
						  .iova = iova };

		w->failures += swmsi_uapi_ioctl(w->fd, SWMSI_IOMMU_IOAS_MAP, &m) != 0;
		w->failures += swmsi_uapi_ioctl(w->fd, SWMSI_IOMMU_IOAS_UNMAP, &um) != 0;
		w->failures += um.length != 0x1000;
		w->failures += swmsi_uapi_ioctl(w->fd, SWMSI_IOMMU_IOAS_ALLOC, &a) != 0;
		d.id = a.out_ioas_id;
		w->failures += swmsi_uapi_ioctl(w->fd, SWMSI_IOMMU_DESTROY, &d) != 0;
	}
	return NULL;
}

static void threads_share_one_fd(void **state)
{
	struct ux *ux = *state;
	struct worker w[THREADS];
	pthread_t t[THREADS];
	uint32_t ioas = ux_ioas(ux->fd);
	size_t n;

	for (int i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ .fd = ux->fd, .ioas = ioas, .index = i };
		assert_int_equal(pthread_create(&t[i], NULL, busy, &w[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(w[i].failures, 0);
	}
	assert_int_equal(swmsi_ioas_mapping_list(ux->ctx, ioas, NULL, 0, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(swmsi_obj_list(ux->ctx, NULL, 0, &n), 0);
	assert_int_equal(n, 1);
}

/* Until told to stop: every request succeeds or, once the fd is closed,
 * answers EBADF; anything else is a failure. */
static void *until_closed(void *arg)
{
	struct worker *w = arg;

	while (!atomic_load(w->stop)) {
		struct swmsi_iommu_ioas_alloc a = { .size = sizeof(a) };
		struct swmsi_iommu_destroy d = { .size = sizeof(d) };

		errno = 0;
		if (swmsi_uapi_ioctl(w->fd, SWMSI_IOMMU_IOAS_ALLOC, &a) != 0) {
			if (errno != EBADF)
				w->failures++;
			continue;
		}
		/* and gone again, so that the context stays small however
		 * long the loop runs (a slow fork under valgrind) */
		d.id = a.out_ioas_id;
		errno = 0;
		if (swmsi_uapi_ioctl(w->fd, SWMSI_IOMMU_DESTROY, &d) != 0 && errno != EBADF)
			w->failures++;
	}
	return NULL;
}

static void close_while_requests_run(void **state)
{
	atomic_int stop;
	struct worker w[THREADS];
	pthread_t t[THREADS];

	(void)state;
	for (int round = 0; round < 20; round++) {
		int fd = swmsi_uapi_open(NULL);

		assert_true(fd >= 0);
		atomic_init(&stop, 0);
		for (int i = 0; i < THREADS; i++) {
			w[i] = (struct worker){ .fd = fd, .index = i, .stop = &stop };
			assert_int_equal(pthread_create(&t[i], NULL, until_closed, &w[i]), 0);
		}
		usleep(1000);
		assert_int_equal(swmsi_uapi_close(fd), 0);
		usleep(200);
		atomic_store(&stop, 1);
		for (int i = 0; i < THREADS; i++) {
			assert_int_equal(pthread_join(t[i], NULL), 0);
			assert_int_equal(w[i].failures, 0);
		}
	}
}

/* A child forked while another thread issues requests on another fd (so
 * holds the fd table's lock now and then) can use its copy of the fd and
 * close it. Requests on the same context across a fork are not supported:
 * the context's own lock could be copied held. */
static void fork_while_other_fd_busy(void **state)
{
	struct ux *ux = *state;
	atomic_int stop;
	int other = swmsi_uapi_open(NULL);
	struct worker w = { .fd = other, .stop = &stop };
	pthread_t t;
	int status = -1;
	pid_t pid;

	assert_true(other >= 0);
	atomic_init(&stop, 0);
	assert_int_equal(pthread_create(&t, NULL, until_closed, &w), 0);
	for (int i = 0; i < 20; i++) {
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			struct swmsi_iommu_ioas_alloc a = { .size = sizeof(a) };

			/* the id lands in the child's memory, not the parent's */
			_exit(swmsi_uapi_ioctl(ux->fd, SWMSI_IOMMU_IOAS_ALLOC, &a) == 0 &&
					      a.out_ioas_id != 0 && swmsi_uapi_close(ux->fd) == 0
				      ? 0
				      : 1);
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	atomic_store(&stop, 1);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(w.failures, 0);
	assert_int_equal(swmsi_uapi_close(other), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, ux_setup, ux_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(open_options),
		cmocka_unit_test(default_scheme_is_kernel),
		cmocka_unit_test(options_from_environment),
		cmocka_unit_test(device_cdevs_not_yet),
		T(threads_share_one_fd),
		cmocka_unit_test(close_while_requests_run),
		T(fork_while_other_fd_busy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
