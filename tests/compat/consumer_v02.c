/* SPDX-License-Identifier: MIT */
/*
 * A consumer written against the v0.2 names: it includes only swmsi.h (and
 * the mock), calls every function renamed since, and checks each answers
 * as its new name does. Built with -Wall -Wextra -Werror and run by ctest
 * (compat_v02_names_build_and_run); check_deprecated.sh compiles it again
 * with SWMSI_WARN_DEPRECATED and expects a warning for each old name.
 * Plain C with no test framework, as an outside program would be.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <swmsi/swmsi.h>
#include <swmsi/mock_iommu.h>

static int failures;

#define CHECK(cond)                                                                        \
	do {                                                                               \
		if (!(cond)) {                                                             \
			fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #cond); \
			failures++;                                                        \
		}                                                                          \
	} while (0)

#define WIN 0x8000000ull
#define DB  (0x8090000ull + 0x40)

static void lists_agree(struct swmsi_ctx *ctx, uint32_t ioas, uint32_t hwpt, uint32_t nested,
			uint32_t dev)
{
	struct swmsi_mapping a[4], b[4];
	struct swmsi_vector_info va[4], vb[4];
	uint32_t ia[4], ib[4];
	size_t na = 0, nb = 0;

	memset(a, 0, sizeof(a)), memset(b, 0, sizeof(b));
	CHECK(swmsi_ioas_mappings(ctx, ioas, a, 4, &na) == 0);
	CHECK(swmsi_ioas_mapping_list(ctx, ioas, b, 4, &nb) == 0);
	CHECK(na == 1 && nb == na && !memcmp(a, b, sizeof(a)));
	CHECK(swmsi_ioas_reserved(ctx, ioas, a, 4, &na) == 0);
	CHECK(swmsi_ioas_window_list(ctx, ioas, b, 4, &nb) == 0);
	CHECK(na == 1 && nb == na && a[0].iova == WIN && !memcmp(a, b, sizeof(a)));
	CHECK(swmsi_hwpt_nested_mappings(ctx, nested, a, 4, &na) == 0);
	CHECK(swmsi_hwpt_nested_mapping_list(ctx, nested, b, 4, &nb) == 0);
	CHECK(na == 1 && nb == na && !memcmp(a, b, sizeof(a)));
	memset(ia, 0, sizeof(ia)), memset(ib, 0, sizeof(ib));
	CHECK(swmsi_hwpt_msi_present(ctx, hwpt, ia, 4, &na) == 0);
	CHECK(swmsi_hwpt_present_map_list(ctx, hwpt, ib, 4, &nb) == 0);
	CHECK(na == 1 && nb == na && !memcmp(ia, ib, sizeof(ia)));
	CHECK(swmsi_device_required(ctx, dev, ia, 4, &na) == 0);
	CHECK(swmsi_device_required_map_list(ctx, dev, ib, 4, &nb) == 0);
	CHECK(na == 1 && nb == na && !memcmp(ia, ib, sizeof(ia)));
	memset(va, 0, sizeof(va)), memset(vb, 0, sizeof(vb));
	CHECK(swmsi_device_vectors(ctx, dev, va, 4, &na) == 0);
	CHECK(swmsi_device_vector_list(ctx, dev, vb, 4, &nb) == 0);
	CHECK(na == 1 && nb == na && !memcmp(va, vb, sizeof(va)));
	/* errors answer alike too */
	CHECK(swmsi_ioas_mappings(ctx, hwpt, a, 4, &na) == -ENOENT);
	CHECK(swmsi_device_vectors(ctx, dev, NULL, 1, &na) == -EINVAL);
}

static int run(struct swmsi_ctx *ctx)
{
	struct swmsi_device_desc d = { .group = 1, .sw_msi_start = WIN, .sw_msi_size = 0x100000 };
	uint32_t ioas, hwpt, parent, nested, dev, vec;
	uint64_t msg;

	CHECK(swmsi_ioas_alloc(ctx, &ioas) == 0);
	CHECK(swmsi_ioas_map(ctx, ioas, 0x10000000, 0x10000000, 0x1000, SWMSI_PROT_READ) == 0);
	CHECK(swmsi_hwpt_alloc(ctx, ioas, 0, &hwpt) == 0);
	CHECK(swmsi_hwpt_alloc(ctx, ioas, SWMSI_HWPT_NEST_PARENT, &parent) == 0);
	CHECK(swmsi_hwpt_alloc_nested(ctx, parent, &nested) == 0);
	CHECK(swmsi_hwpt_nested_map(ctx, nested, WIN, WIN, 0x100000, SWMSI_PROT_WRITE) == 0);
	CHECK(swmsi_device_bind(ctx, &d, &dev) == 0);
	CHECK(swmsi_device_attach(ctx, dev, hwpt) == 0);
	CHECK(swmsi_msi_alloc(ctx, dev, DB, &vec, &msg) == 0);
	lists_agree(ctx, ioas, hwpt, nested, dev);

	/* the test hook, declared by swmsi.h in v0.2 */
	CHECK(swmsi_ctx_fail_alloc(ctx, 1) == 0);
	CHECK(swmsi_ioas_alloc(ctx, &vec) == -ENOMEM);
	CHECK(swmsi_ctx_fail_alloc(ctx, 0) == 0);

	/* v0.2's errname answers "E?" where the new helper answers NULL */
	CHECK(strcmp(swmsi_errname(-EBUSY), "EBUSY") == 0);
	CHECK(strcmp(swmsi_errname(-4095), "E?") == 0);
	CHECK(swmsi_errno_from_name(swmsi_errname(-ENOSPC)) == -ENOSPC);

	CHECK(swmsi_device_detach(ctx, dev) == 0);
	CHECK(swmsi_destroy(ctx, dev) == -EINVAL);
	CHECK(swmsi_destroy(ctx, ioas) == -EBUSY);
	CHECK(swmsi_destroy(ctx, nested) == 0);
	CHECK(swmsi_destroy(ctx, parent) == 0);
	CHECK(swmsi_destroy(ctx, hwpt) == 0);
	CHECK(swmsi_destroy(ctx, hwpt) == -ENOENT);
	return 0;
}

int main(void)
{
	struct swmsi_ctx_opts opts = { .iommu = mock_iommu_ops() };
	struct mock_iommu *mock;
	struct swmsi_ctx *ctx;

	/* the version macros v0.2 had */
	CHECK(SWMSI_VERSION_MAJOR == 0 && SWMSI_VERSION_MINOR >= 2 && SWMSI_VERSION_PATCH >= 0);
	if (mock_iommu_create(12, &mock))
		return 1;
	opts.iommu_priv = mock;
	if (swmsi_ctx_create(&opts, &ctx)) {
		mock_iommu_destroy(mock);
		return 1;
	}
	run(ctx);
	swmsi_ctx_destroy(ctx);
	CHECK(mock_iommu_misuse_count(mock) == 0);
	mock_iommu_destroy(mock);
	if (failures)
		return 1;
	printf("every v0.2 name builds with -Werror and answers as its new name\n");
	return 0;
}
