/* SPDX-License-Identifier: MIT */
/*
 * mock_walkthrough: the mock IOMMU on its own, driven the way libswmsi
 * drives any backend, through struct swmsi_iommu_ops.
 *
 * It plays the part of one paging domain on an ARM SMMU: a GICv3 ITS
 * doorbell page mapped at the SW_MSI window (what iommufd_sw_msi() would
 * install), plus an ordinary DMA buffer. Then it translates the MSI write
 * the device would make, shows the page tables, the journal of backend
 * calls, and tears everything down, checking the mock saw no misuse.
 *
 * Exit status 0 means every step behaved as described.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <swmsi/iommu.h>
#include <swmsi/mock_iommu.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE  (UINT64_C(1) << PAGE_SHIFT)

#define SW_MSI_START UINT64_C(0x8000000)   /* the SMMU's IOMMU_RESV_SW_MSI window */
#define ITS_DOORBELL UINT64_C(0x8090040)   /* GITS_TRANSLATER inside its 64K frame */
#define DMA_IOVA     UINT64_C(0x100000000) /* where the guest's RAM begins, say */
#define DMA_PADDR    UINT64_C(0x880000000)
#define DMA_SIZE     (16 * PAGE_SIZE)

/* Prints what failed and makes main() fail. */
static int check(int ok, const char *what)
{
	if (!ok)
		fprintf(stderr, "mock_walkthrough: FAILED: %s\n", what);
	return ok ? 0 : 1;
}

int main(void)
{
	const struct swmsi_iommu_ops *ops = mock_iommu_ops();
	uint64_t doorbell_page = ITS_DOORBELL & ~(PAGE_SIZE - 1);
	uint64_t msg_addr, landed = 0;
	struct mock_iommu *mock = NULL;
	void *domain = NULL;
	int failures = 0;
	size_t unmapped;
	int rc;

	/* One mock is one IOMMU instance; its granule is fixed at creation. */
	rc = mock_iommu_create(PAGE_SHIFT, &mock);
	if (rc) {
		fprintf(stderr, "mock_iommu_create: %d\n", rc);
		return 1;
	}
	printf("created a mock IOMMU: %u-level tables, %" PRIu64 "-byte pages, 48-bit IOVA\n",
	       mock_iommu_levels(mock), PAGE_SIZE);

	/* The mock is the backend's priv pointer, exactly as libswmsi passes it. */
	rc = ops->domain_alloc(mock, &domain);
	if (rc) {
		fprintf(stderr, "domain_alloc: %d\n", rc);
		failures = 1;
		goto out_destroy;
	}
	printf("allocated domain %u (holding %" PRIu64 " table page: its root)\n",
	       mock_iommu_domain_serial(mock, domain), mock_iommu_table_pages(mock, domain));

	/*
	 * Slot 0 of the SW_MSI window gets the doorbell page: device memory,
	 * read/write, one page, as iommufd maps MSI pages.
	 */
	rc = ops->map(mock, domain, SW_MSI_START, doorbell_page, PAGE_SIZE,
		      SWMSI_PROT_READ | SWMSI_PROT_WRITE | SWMSI_PROT_MMIO);
	failures += check(rc == 0, "map the doorbell page");
	printf("mapped doorbell page 0x%" PRIx64 " at IOVA 0x%" PRIx64 "\n", doorbell_page,
	       SW_MSI_START);

	rc = ops->map(mock, domain, DMA_IOVA, DMA_PADDR, DMA_SIZE,
		      SWMSI_PROT_READ | SWMSI_PROT_WRITE);
	failures += check(rc == 0, "map the DMA range");
	printf("mapped %" PRIu64 " DMA pages at IOVA 0x%" PRIx64 "\n", DMA_SIZE / PAGE_SIZE,
	       DMA_IOVA);

	/* An IOVA can only be mapped once: io-pgtable's -EEXIST. */
	rc = ops->map(mock, domain, DMA_IOVA + PAGE_SIZE, 0x1000, PAGE_SIZE, SWMSI_PROT_READ);
	failures += check(rc == -EEXIST, "a second map of a mapped IOVA fails with -EEXIST");
	printf("mapping over the DMA range again: %d (-EEXIST), nothing changed\n", rc);

	/*
	 * The device was told to write its MSI to the window slot plus the
	 * doorbell's offset in its page; the IOMMU must send it to the ITS.
	 */
	msg_addr = SW_MSI_START + (ITS_DOORBELL & (PAGE_SIZE - 1));
	rc = ops->iova_to_phys(mock, domain, msg_addr, &landed);
	failures += check(rc == 0 && landed == ITS_DOORBELL, "the MSI write reaches the ITS");
	printf("MSI write to IOVA 0x%" PRIx64 " lands at 0x%" PRIx64 " (the ITS doorbell)\n",
	       msg_addr, landed);

	rc = ops->iova_to_phys(mock, domain, SW_MSI_START + PAGE_SIZE, &landed);
	failures += check(rc == -ENOENT, "the next window slot is unmapped");
	printf("IOVA 0x%" PRIx64 " does not translate: %d (-ENOENT)\n", SW_MSI_START + PAGE_SIZE,
	       rc);

	printf("\n--- the domain ---\n");
	mock_iommu_dump(mock, domain, stdout);
	printf("\n--- its page tables as Graphviz (pipe into `dot -Tsvg`) ---\n");
	mock_iommu_dump_dot(mock, domain, stdout);

	/* Tear down the way libswmsi does: unmap what was mapped, then free. */
	unmapped = ops->unmap(mock, domain, DMA_IOVA, DMA_SIZE);
	failures += check(unmapped == DMA_SIZE, "unmap the DMA range");
	unmapped = ops->unmap(mock, domain, SW_MSI_START, PAGE_SIZE);
	failures += check(unmapped == PAGE_SIZE, "unmap the doorbell page");
	printf("\nunmapped everything: %" PRIu64 " pages and %" PRIu64
	       " table page (the root) left\n",
	       mock_iommu_mapped_pages(mock, domain), mock_iommu_table_pages(mock, domain));
	ops->domain_free(mock, domain);

	printf("\n--- the journal: every backend call, in order ---\n");
	mock_iommu_journal_dump(mock, stdout);

	failures += check(mock_iommu_domain_count(mock) == 0, "no domain left");
	failures += check(mock_iommu_misuse_count(mock) == 0, "the mock saw no misuse");
	printf("\n%s\n",
	       failures ? "walkthrough FAILED" : "walkthrough OK: no misuse, nothing left");

out_destroy:
	mock_iommu_destroy(mock);
	return failures ? 1 : 0;
}
