/* SPDX-License-Identifier: MIT */
/*
 * A program outside the tree, built against an installed libswmsi by
 * check_install.sh (through pkg-config and through find_package), to prove
 * that what is installed is enough to compile, link and run: headers found
 * as <swmsi/...>, the mock and the core libraries resolved, the backend
 * vtable reachable. It walks one page through the mock's vtable the way the
 * core does: alloc a domain, map, translate, unmap, free. Then it drives
 * the core through <swmsi/swmsi.h> alone, as a program written from API.md
 * would: a doorbell keeps its IOVA across a replace and still fires; and
 * then each rule of API.md's "Schemes (v0.2)" section that has a number in
 * it, with the IOVAs and errors the section states.
 *
 * Prints "OK" and exits 0 when every step gave what mock_iommu.h and
 * iommu.h promise; otherwise names the step that did not and exits 1.
 *
 * It asks for deprecation warnings, and check_install.sh builds it with
 * -Werror: a v0.2 name that crept in here fails the package test.
 */
#define SWMSI_WARN_DEPRECATED

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include <swmsi/iommu.h>
#include <swmsi/mock_iommu.h>
#include <swmsi/swmsi.h>

/*
 * The build says which flavour it links; the static targets and the
 * documented static pkg-config line must define SWMSI_STATIC, the shared ones
 * must not, or SWMSI_API would mark the declarations for the wrong linkage.
 */
#if defined(CONSUMER_EXPECT_STATIC) && !defined(SWMSI_STATIC)
#error "linking libswmsi statically, but SWMSI_STATIC is not defined"
#endif
#if defined(CONSUMER_EXPECT_SHARED) && defined(SWMSI_STATIC)
#error "linking libswmsi shared, but SWMSI_STATIC is defined"
#endif

#define PAGE_SHIFT 12
#define PAGE_SIZE  (UINT64_C(1) << PAGE_SHIFT)
#define IOVA	   UINT64_C(0x8000000)
#define PADDR	   UINT64_C(0x8090000)
/* Translating inside the page checks that the offset is carried over. */
#define OFFSET UINT64_C(0x40)

static int fail(const char *step, long long got, long long want)
{
	fprintf(stderr, "consumer: %s gave %lld, expected %lld\n", step, got, want);
	return 1;
}

static int walk_one_page(struct mock_iommu *mock, const struct swmsi_iommu_ops *ops)
{
	void *domain = NULL;
	uint64_t paddr = 0;
	size_t unmapped;
	int rc;

	rc = ops->domain_alloc(mock, &domain);
	if (rc)
		return fail("domain_alloc", rc, 0);
	if (mock_iommu_domain_count(mock) != 1) {
		rc = fail("domain count after alloc", (long long)mock_iommu_domain_count(mock), 1);
		goto out_free_domain;
	}

	rc = ops->map(mock, domain, IOVA, PADDR, PAGE_SIZE, SWMSI_PROT_READ | SWMSI_PROT_WRITE);
	if (rc) {
		rc = fail("map", rc, 0);
		goto out_free_domain;
	}

	rc = ops->iova_to_phys(mock, domain, IOVA + OFFSET, &paddr);
	if (rc) {
		rc = fail("iova_to_phys", rc, 0);
		goto out_unmap;
	}
	if (paddr != PADDR + OFFSET) {
		fprintf(stderr,
			"consumer: iova_to_phys gave 0x%" PRIx64 ", expected 0x%" PRIx64 "\n",
			paddr, PADDR + OFFSET);
		rc = 1;
		goto out_unmap;
	}

	unmapped = ops->unmap(mock, domain, IOVA, PAGE_SIZE);
	if (unmapped != PAGE_SIZE) {
		rc = fail("unmap", (long long)unmapped, (long long)PAGE_SIZE);
		goto out_free_domain;
	}

	rc = ops->iova_to_phys(mock, domain, IOVA, &paddr);
	if (rc != -ENOENT) {
		rc = fail("iova_to_phys after unmap", rc, -ENOENT);
		goto out_free_domain;
	}
	rc = 0;
	goto out_free_domain;

out_unmap:
	ops->unmap(mock, domain, IOVA, PAGE_SIZE);
out_free_domain:
	ops->domain_free(mock, domain);
	return rc;
}

#define WINDOW	   UINT64_C(0x8000000)
#define ITS_VECTOR UINT64_C(0x8090040)

/* API.md's promise in one walk: attach, alloc, replace, fire, destroy. */
static int drive_core(struct mock_iommu *mock)
{
	struct swmsi_ctx_opts opts = {
		.iommu = mock_iommu_ops(),
		.iommu_priv = mock,
		.reclaim = SWMSI_RECLAIM_UNUSED,
	};
	struct swmsi_device_desc desc = {
		.group = 1,
		.sw_msi_start = WINDOW,
		.sw_msi_size = UINT64_C(1) << 20,
	};
	uint32_t ioas, a, b, dev, vec, pt;
	struct swmsi_ctx *ctx = NULL;
	uint64_t msg = 0, pa = 0;
	int rc;

	rc = swmsi_ctx_create(&opts, &ctx);
	if (rc)
		return fail("swmsi_ctx_create", rc, 0);
	if ((rc = swmsi_ioas_alloc(ctx, &ioas)) || (rc = swmsi_hwpt_alloc(ctx, ioas, 0, &a)) ||
	    (rc = swmsi_hwpt_alloc(ctx, ioas, 0, &b)) ||
	    (rc = swmsi_device_bind(ctx, &desc, &dev)) || (rc = swmsi_device_attach(ctx, dev, a)) ||
	    (rc = swmsi_msi_alloc(ctx, dev, ITS_VECTOR, &vec, &msg))) {
		rc = fail("core set-up", rc, 0);
		goto out_destroy;
	}
	/* slot 0 of the window, the doorbell's offset kept */
	if (msg != WINDOW + 0x40) {
		rc = fail("message address", (long long)msg, (long long)(WINDOW + 0x40));
		goto out_destroy;
	}
	pt = b;
	rc = swmsi_device_replace_pt(ctx, dev, &pt);
	if (rc || pt != b) {
		rc = fail("swmsi_device_replace_pt", rc ? rc : (long long)pt, (long long)b);
		goto out_destroy;
	}
	rc = swmsi_msi_fire(ctx, dev, vec, &pa);
	if (rc || pa != ITS_VECTOR) {
		rc = fail("swmsi_msi_fire after replace", rc ? rc : (long long)pa,
			  (long long)ITS_VECTOR);
		goto out_destroy;
	}
	rc = swmsi_obj_destroy(ctx, a);
	if (rc) {
		rc = fail("swmsi_obj_destroy of the old HWPT", rc, 0);
		goto out_destroy;
	}
	rc = swmsi_obj_destroy(ctx, b);
	if (rc != -EBUSY) {
		rc = fail("swmsi_obj_destroy of the HWPT in use", rc, -EBUSY);
		goto out_destroy;
	}
	rc = 0;
out_destroy:
	swmsi_ctx_destroy(ctx);
	return rc;
}

/* ------------------------------------------------------------------ */
/* API.md "Schemes (v0.2)", from the section alone                     */

#define MB	    UINT64_C(0x100000)
#define DOORBELL(i) (UINT64_C(0x9000000) + (uint64_t)(i)*0x10000)

/* One context of @scheme over its own mock: a HWPT pair on one IOAS and a
 * device of group 1 with the 1 MiB window, attached to the first. */
struct sc {
	struct mock_iommu *mock;
	struct swmsi_ctx *ctx;
	uint32_t ioas, a, b, dev;
};

static int sc_open(struct sc *sc, enum swmsi_scheme scheme, unsigned int shift)
{
	struct swmsi_ctx_opts opts = { .page_shift = shift, .scheme = scheme };
	struct swmsi_device_desc desc = { .group = 1, .sw_msi_start = WINDOW, .sw_msi_size = MB };
	int rc;

	rc = mock_iommu_create(shift, &sc->mock);
	if (rc)
		return fail("scheme mock_iommu_create", rc, 0);
	opts.iommu = mock_iommu_ops();
	opts.iommu_priv = sc->mock;
	if ((rc = swmsi_ctx_create(&opts, &sc->ctx)) ||
	    (rc = swmsi_ioas_alloc(sc->ctx, &sc->ioas)) ||
	    (rc = swmsi_hwpt_alloc(sc->ctx, sc->ioas, 0, &sc->a)) ||
	    (rc = swmsi_hwpt_alloc(sc->ctx, sc->ioas, 0, &sc->b)) ||
	    (rc = swmsi_device_bind(sc->ctx, &desc, &sc->dev)) ||
	    (rc = swmsi_device_attach(sc->ctx, sc->dev, sc->a)))
		return fail("scheme set-up", rc, 0);
	return 0;
}

static void sc_close(struct sc *sc)
{
	swmsi_ctx_destroy(sc->ctx);
	mock_iommu_destroy(sc->mock);
}

/* msi_alloc of @addr must give @want_rc and, on success, @want_msg. */
static int expect_alloc(struct sc *sc, const char *step, uint64_t addr, int want_rc,
			uint64_t want_msg)
{
	uint64_t msg = 0;
	uint32_t vec;
	int rc = swmsi_msi_alloc(sc->ctx, sc->dev, addr, &vec, &msg);

	if (rc != want_rc)
		return fail(step, rc, want_rc);
	if (!rc && msg != want_msg)
		return fail(step, (long long)msg, (long long)want_msg);
	return 0;
}

static int create_rejects(enum swmsi_scheme scheme, enum swmsi_reclaim reclaim,
			  unsigned int max_maps, int want, const char *step)
{
	struct swmsi_ctx_opts opts = { .iommu = mock_iommu_ops(),
				       .scheme = scheme,
				       .reclaim = reclaim,
				       .max_msi_maps = max_maps };
	struct swmsi_ctx *ctx = NULL;
	int rc = swmsi_ctx_create(&opts, &ctx);

	swmsi_ctx_destroy(ctx);
	return rc == want ? 0 : fail(step, rc, want);
}

static int schemes_create(void)
{
	return create_rejects((enum swmsi_scheme)3, SWMSI_RECLAIM_NONE, 0, -EOPNOTSUPP,
			      "unknown scheme") ||
	       create_rejects(SWMSI_SCHEME_KERNEL, SWMSI_RECLAIM_UNUSED, 0, -EINVAL,
			      "KERNEL with RECLAIM_UNUSED") ||
	       create_rejects(SWMSI_SCHEME_KERNEL, SWMSI_RECLAIM_NONE, 128, -EINVAL,
			      "KERNEL with 128 ids") ||
	       create_rejects(SWMSI_SCHEME_KERNEL, SWMSI_RECLAIM_NONE, 64, 0,
			      "KERNEL with 64 ids") ||
	       create_rejects(SWMSI_SCHEME_DMA_IOMMU, SWMSI_RECLAIM_UNUSED, 0, -EINVAL,
			      "DMA_IOMMU with RECLAIM_UNUSED") ||
	       create_rejects(SWMSI_SCHEME_DMA_IOMMU, SWMSI_RECLAIM_NONE, 64, -EINVAL,
			      "DMA_IOMMU with 64 ids");
}

/* KERNEL: ids from 0, the 64-id cap with hits still served, the entry kept
 * by a failed map, and (64K pages) the 17th page past the window. */
static int scheme_kernel(void)
{
	struct swmsi_msi_map_info m = { 0 };
	size_t n = 0;
	struct sc sc;
	int rc, i;

	if ((rc = sc_open(&sc, SWMSI_SCHEME_KERNEL, 12)))
		return rc;
	mock_iommu_fail_map(sc.mock, 1, -EIO);
	if ((rc = expect_alloc(&sc, "KERNEL failed map", DOORBELL(0), -EIO, 0)))
		goto out;
	swmsi_msi_map_list(sc.ctx, &m, 1, &n);
	if (n != 1 || m.id != 0 || m.iova != WINDOW || m.vectors != 0) {
		rc = fail("KERNEL entry kept after a failed map (count)", (long long)n, 1);
		goto out;
	}
	for (i = 0; i < 64 && !rc; i++)
		rc = expect_alloc(&sc, "KERNEL ids 0..63", DOORBELL(i) + 4, 0,
				  WINDOW + i * 0x1000 + 4);
	if (!rc)
		rc = expect_alloc(&sc, "KERNEL 65th page", DOORBELL(64), -EOVERFLOW, 0);
	if (!rc)
		rc = expect_alloc(&sc, "KERNEL hit after the cap", DOORBELL(5), 0, WINDOW + 0x5000);
out:
	sc_close(&sc);
	if (rc || (rc = sc_open(&sc, SWMSI_SCHEME_KERNEL, 16)))
		return rc;
	for (i = 0; i < 17 && !rc; i++)
		rc = expect_alloc(&sc, "KERNEL 64K pages, slot = highest + 1", DOORBELL(i), 0,
				  WINDOW + (uint64_t)i * 0x10000);
	sc_close(&sc);
	return rc;
}

/* DMA_IOMMU: no table, per-domain IOVAs from the cookie's base, and the
 * MSI lost after a replace to a domain whose cookie never saw the page. */
static int scheme_dma_iommu(void)
{
	uint64_t pa = 0, msg = 0;
	uint32_t vec;
	size_t n = 1;
	struct sc sc;
	int rc;

	if ((rc = sc_open(&sc, SWMSI_SCHEME_DMA_IOMMU, 12)))
		return rc;
	rc = swmsi_msi_alloc(sc.ctx, sc.dev, DOORBELL(1) + 0x40, &vec, &msg);
	if (rc || msg != WINDOW + 0x40) {
		rc = fail("DMA_IOMMU first page at the cookie's base", rc ? rc : (long long)msg,
			  (long long)(WINDOW + 0x40));
		goto out;
	}
	if ((rc = expect_alloc(&sc, "DMA_IOMMU next IOVA", DOORBELL(2), 0, WINDOW + 0x1000)))
		goto out;
	swmsi_msi_map_list(sc.ctx, NULL, 0, &n);
	if (n != 0) {
		rc = fail("DMA_IOMMU context-wide table entries", (long long)n, 0);
		goto out;
	}
	if ((rc = swmsi_device_replace(sc.ctx, sc.dev, sc.b))) {
		rc = fail("DMA_IOMMU replace", rc, 0);
		goto out;
	}
	rc = swmsi_msi_fire(sc.ctx, sc.dev, vec, &pa);
	rc = rc == -EFAULT ? 0 : fail("DMA_IOMMU fire after replace (the lost MSI)", rc, -EFAULT);
out:
	sc_close(&sc);
	return rc;
}

int main(void)
{
	const struct swmsi_iommu_ops *ops;
	struct mock_iommu *mock = NULL;
	uint64_t misuse;
	int rc;

	rc = mock_iommu_create(PAGE_SHIFT, &mock);
	if (rc)
		return fail("mock_iommu_create", rc, 0);

	ops = mock_iommu_ops();
	if (!ops || !ops->domain_alloc || !ops->domain_free || !ops->map || !ops->unmap ||
	    !ops->iova_to_phys) {
		fprintf(stderr, "consumer: mock_iommu_ops() is missing an operation\n");
		rc = 1;
		goto out_destroy;
	}

	rc = walk_one_page(mock, ops);
	if (rc)
		goto out_destroy;
	rc = drive_core(mock);
	if (rc)
		goto out_destroy;
	rc = schemes_create() || scheme_kernel() || scheme_dma_iommu();
	if (rc)
		goto out_destroy;

	/* The walk must leave the mock as it found it, used correctly. */
	if (mock_iommu_domain_count(mock) != 0) {
		rc = fail("domain count at the end", (long long)mock_iommu_domain_count(mock), 0);
		goto out_destroy;
	}
	misuse = mock_iommu_misuse_count(mock);
	if (misuse != 0) {
		rc = fail("misuse count", (long long)misuse, 0);
		goto out_destroy;
	}
	printf("OK\n");

out_destroy:
	mock_iommu_destroy(mock);
	return rc ? 1 : 0;
}
