/* SPDX-License-Identifier: MIT */
/*
 * mini_vmm: the life of a VM's passthrough devices, as a VMM drives
 * libswmsi (standing in for iommufd) over the mock IOMMU.
 *
 *   1. boot:    guest RAM mapped by guest physical address (IPA) in a
 *               "boot" IOAS; the NIC attached to it; its driver sets up two
 *               MSI vectors on two ITS doorbells.
 *   2. dma:     the guest's DMA API builds its own address space; the NIC
 *               is switched to it with replace, live.
 *   3. viommu:  the guest enables its virtual IOMMU: a NEST_PARENT HWPT over
 *               the boot IOAS (stage 2) and a nested HWPT (the guest's
 *               stage 1), in which the guest maps its RMR, the MSI window,
 *               identity; the NIC is replaced onto it.
 *   4. hotplug: an NVMe drive (another IOMMU group) is plugged in behind the
 *               vIOMMU and shares the ITS page, and so its IOVA.
 *   5. unplug:  the NVMe is removed again.
 *
 * After every step every live vector is fired: each must land on its
 * doorbell, and its message address must be the one the device was given
 * at setup (nothing reprograms a device's MSI-X table in this VMM). Any
 * unexpected result makes the program exit non-zero.
 */
/* this example keeps to the current names: any v0.2 one would warn */
#define SWMSI_WARN_DEPRECATED

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <swmsi/swmsi.h>
#include <swmsi/mock_iommu.h>

#define PAGE_SHIFT 12u
#define PAGE_SIZE  (1ull << PAGE_SHIFT)

/* Guest memory map (IPA) and where the VMM backs it (host PA). */
#define GUEST_RAM_IPA  0x40000000ull
#define GUEST_RAM_PA   0x100000000ull
#define GUEST_RAM_SIZE 0x1000000ull /* 16 MiB is plenty for a demo */

/*
 * The VMM's firmware tables describe an RMR at this IPA hole; the SW_MSI
 * window override makes the host put MSI pages exactly there. The host
 * IOMMU itself reports the SMMUv3 default, HOST_SW_MSI_START.
 */
#define RMR_START	  0x10000000ull
#define RMR_SIZE	  0x100000ull
#define HOST_SW_MSI_START 0x8000000ull
#define HOST_SW_MSI_SIZE  0x100000ull

/* Two GICv3 ITSs: translater frames (64K) and their GITS_TRANSLATER. */
#define ITS0_FRAME     0x8090000ull
#define ITS1_FRAME     0x80b0000ull
#define ITS_FRAME_SIZE 0x10000ull
#define ITS0_DOORBELL  (ITS0_FRAME + 0x40)
#define ITS1_DOORBELL  (ITS1_FRAME + 0x40)

/* A guest IOVA its DMA API uses, mapped to the start of guest RAM. */
#define GUEST_DMA_IOVA 0x1000ull

#define MAX_VECTORS 2

struct vdev {
	const char *name;
	uint32_t group;
	uint32_t id;
	bool plugged;
	unsigned int nvec;
	uint32_t vec[MAX_VECTORS];
	uint64_t doorbell[MAX_VECTORS];
	/* What the device's MSI-X table holds: written once, at setup. */
	uint64_t msg_addr[MAX_VECTORS];
};

struct vmm {
	struct mock_iommu *mock;
	struct swmsi_ctx *ctx;
	uint32_t ioas_boot;
	uint32_t ioas_dma;
	uint32_t hwpt_dma;
	uint32_t hwpt_s2;
	uint32_t hwpt_s1;
	struct vdev nic;
	struct vdev nvme;
	unsigned int failures;
};

/* An errno value's name, or "E?" for one libswmsi does not name. */
static const char *errname(int rc)
{
	const char *name = swmsi_errno_name(rc);

	return name ? name : "E?";
}

/* Reports one call's outcome; counts it as a failure unless it is @want. */
static bool expect_rc(struct vmm *vmm, int rc, int want, const char *what)
{
	if (rc == want) {
		if (want)
			printf("    ok   %s -> %s, as expected\n", what, errname(want));
		return true;
	}
	printf("    FAIL %s: got %s, want %s\n", what, rc ? errname(rc) : "success",
	       want ? errname(want) : "success");
	vmm->failures++;
	return false;
}

static bool ok(struct vmm *vmm, int rc, const char *what)
{
	return expect_rc(vmm, rc, 0, what);
}

static void fail(struct vmm *vmm, const char *fmt_what, uint64_t got, uint64_t want)
{
	printf("    FAIL %s: got 0x%" PRIx64 ", want 0x%" PRIx64 "\n", fmt_what, got, want);
	vmm->failures++;
}

/* The address a vector's device writes: window start + slot * page + offset. */
static uint64_t msi_iova(unsigned int slot, uint64_t doorbell)
{
	return RMR_START + slot * PAGE_SIZE + (doorbell & (PAGE_SIZE - 1));
}

static int vdev_plug(struct vmm *vmm, struct vdev *dev)
{
	struct swmsi_device_desc desc = {
		.group = dev->group,
		.sw_msi_start = HOST_SW_MSI_START,
		.sw_msi_size = HOST_SW_MSI_SIZE,
	};
	int rc;

	rc = swmsi_device_bind(vmm->ctx, &desc, &dev->id);
	if (!ok(vmm, rc, "bind"))
		return rc;
	dev->plugged = true;
	dev->nvec = 0;
	printf("    %s: group %u bound as device id %u\n", dev->name, dev->group, dev->id);
	return 0;
}

/*
 * The guest driver's request_irq(): the irq layer asks for the message
 * address (iommufd_sw_msi()) and programs it into the device.
 */
static int vdev_setup_vector(struct vmm *vmm, struct vdev *dev, uint64_t doorbell,
			     uint64_t want_msg)
{
	unsigned int i = dev->nvec;
	int rc;

	if (i == MAX_VECTORS) {
		printf("    FAIL %s: no room for another vector\n", dev->name);
		vmm->failures++;
		return -ENOSPC;
	}
	rc = swmsi_msi_alloc(vmm->ctx, dev->id, doorbell, &dev->vec[i], &dev->msg_addr[i]);
	if (!ok(vmm, rc, "msi_alloc"))
		return rc;
	dev->doorbell[i] = doorbell;
	dev->nvec++;
	printf("    %s: vector %u -> doorbell 0x%" PRIx64 ", device writes 0x%" PRIx64 "\n",
	       dev->name, dev->vec[i], doorbell, dev->msg_addr[i]);
	if (dev->msg_addr[i] != want_msg) {
		fail(vmm, "message address", dev->msg_addr[i], want_msg);
		return -EINVAL;
	}
	return 0;
}

/* Fires every vector of a device: each must land on its own doorbell. */
static void vdev_check(struct vmm *vmm, const struct vdev *dev)
{
	struct swmsi_vector_info info[MAX_VECTORS];
	size_t count = 0;
	unsigned int i;
	uint64_t pa;
	int rc;

	if (!dev->plugged)
		return;
	rc = swmsi_device_vector_list(vmm->ctx, dev->id, info, MAX_VECTORS, &count);
	if (!ok(vmm, rc, "device_vectors"))
		return;
	if (count != dev->nvec) {
		fail(vmm, "vector count", count, dev->nvec);
		return;
	}
	for (i = 0; i < dev->nvec; i++) {
		/* The library must not have moved the address the device holds. */
		if (info[i].msg_addr != dev->msg_addr[i])
			fail(vmm, "message address changed", info[i].msg_addr, dev->msg_addr[i]);
		rc = swmsi_msi_fire(vmm->ctx, dev->id, dev->vec[i], &pa);
		if (rc) {
			printf("    FAIL %s vector %u: MSI write to 0x%" PRIx64 " lost (%s)\n",
			       dev->name, dev->vec[i], dev->msg_addr[i], errname(rc));
			vmm->failures++;
			continue;
		}
		if (pa != dev->doorbell[i]) {
			fail(vmm, "MSI landed on", pa, dev->doorbell[i]);
			continue;
		}
		printf("    %s vector %u: write to 0x%" PRIx64 " reaches doorbell 0x%" PRIx64 "\n",
		       dev->name, dev->vec[i], dev->msg_addr[i], pa);
	}
}

static void check_all(struct vmm *vmm)
{
	vdev_check(vmm, &vmm->nic);
	vdev_check(vmm, &vmm->nvme);
}

/* Guest DMA must reach guest RAM through whatever the NIC sits on now. */
static void check_dma(struct vmm *vmm, uint32_t hwpt_id, uint64_t iova, uint64_t want)
{
	uint64_t pa = 0;
	int rc;

	rc = swmsi_hwpt_iova_to_phys(vmm->ctx, hwpt_id, iova, &pa);
	if (!ok(vmm, rc, "iova_to_phys"))
		return;
	if (pa != want) {
		fail(vmm, "DMA translation", pa, want);
		return;
	}
	printf("    DMA to IOVA 0x%" PRIx64 " reaches PA 0x%" PRIx64 "\n", iova, pa);
}

static int step_boot(struct vmm *vmm)
{
	int rc;

	printf("[boot] VMM sets the MSI window to its RMR at 0x%llx and registers the ITSs\n",
	       RMR_START);
	rc = swmsi_ctx_set_sw_msi_window(vmm->ctx, RMR_START, RMR_SIZE);
	if (!ok(vmm, rc, "set_sw_msi_window"))
		return rc;
	rc = swmsi_doorbell_register(vmm->ctx, ITS0_FRAME, ITS_FRAME_SIZE);
	if (!ok(vmm, rc, "doorbell_register ITS0"))
		return rc;
	rc = swmsi_doorbell_register(vmm->ctx, ITS1_FRAME, ITS_FRAME_SIZE);
	if (!ok(vmm, rc, "doorbell_register ITS1"))
		return rc;

	printf("[boot] guest RAM: IPA 0x%llx -> PA 0x%llx (%llu MiB) in the boot IOAS\n",
	       GUEST_RAM_IPA, GUEST_RAM_PA, GUEST_RAM_SIZE >> 20);
	rc = swmsi_ioas_alloc(vmm->ctx, &vmm->ioas_boot);
	if (!ok(vmm, rc, "ioas_alloc boot"))
		return rc;
	rc = swmsi_ioas_map(vmm->ctx, vmm->ioas_boot, GUEST_RAM_IPA, GUEST_RAM_PA, GUEST_RAM_SIZE,
			    SWMSI_PROT_READ | SWMSI_PROT_WRITE);
	if (!ok(vmm, rc, "ioas_map guest RAM"))
		return rc;

	printf("[boot] NIC plugged and attached to the boot IOAS (automatic HWPT)\n");
	rc = vdev_plug(vmm, &vmm->nic);
	if (rc)
		return rc;
	rc = swmsi_device_attach(vmm->ctx, vmm->nic.id, vmm->ioas_boot);
	if (!ok(vmm, rc, "attach NIC to boot IOAS"))
		return rc;

	printf("[boot] NIC driver sets up its interrupts: one per ITS\n");
	rc = vdev_setup_vector(vmm, &vmm->nic, ITS0_DOORBELL, msi_iova(0, ITS0_DOORBELL));
	if (rc)
		return rc;
	rc = vdev_setup_vector(vmm, &vmm->nic, ITS1_DOORBELL, msi_iova(1, ITS1_DOORBELL));
	if (rc)
		return rc;

	/* A doorbell outside the registered ITS frames is refused. */
	{
		uint32_t vec;
		uint64_t msg;

		rc = swmsi_msi_alloc(vmm->ctx, vmm->nic.id, GUEST_RAM_PA, &vec, &msg);
		if (!expect_rc(vmm, rc, -EPERM, "msi_alloc on guest RAM"))
			return -EINVAL;
	}
	check_all(vmm);
	return 0;
}

static int step_dma(struct vmm *vmm)
{
	int rc;

	printf("[dma] guest DMA API: new IOAS, IOVA 0x%llx -> guest RAM; NIC replaced onto it\n",
	       GUEST_DMA_IOVA);
	rc = swmsi_ioas_alloc(vmm->ctx, &vmm->ioas_dma);
	if (!ok(vmm, rc, "ioas_alloc dma"))
		return rc;
	rc = swmsi_ioas_map(vmm->ctx, vmm->ioas_dma, GUEST_DMA_IOVA, GUEST_RAM_PA, PAGE_SIZE,
			    SWMSI_PROT_READ | SWMSI_PROT_WRITE);
	if (!ok(vmm, rc, "ioas_map dma"))
		return rc;
	rc = swmsi_hwpt_alloc(vmm->ctx, vmm->ioas_dma, 0, &vmm->hwpt_dma);
	if (!ok(vmm, rc, "hwpt_alloc dma"))
		return rc;
	/* The MSI pages go into hwpt_dma before the NIC moves: no MSI is lost. */
	rc = swmsi_device_replace(vmm->ctx, vmm->nic.id, vmm->hwpt_dma);
	if (!ok(vmm, rc, "replace NIC -> dma HWPT"))
		return rc;
	check_dma(vmm, vmm->hwpt_dma, GUEST_DMA_IOVA, GUEST_RAM_PA);
	check_all(vmm);
	return 0;
}

static int step_viommu(struct vmm *vmm)
{
	int rc;

	printf("[viommu] stage 2 = boot IOAS (NEST_PARENT); guest stage 1 nested over it\n");
	rc = swmsi_hwpt_alloc(vmm->ctx, vmm->ioas_boot, SWMSI_HWPT_NEST_PARENT, &vmm->hwpt_s2);
	if (!ok(vmm, rc, "hwpt_alloc stage 2"))
		return rc;
	rc = swmsi_hwpt_alloc_nested(vmm->ctx, vmm->hwpt_s2, &vmm->hwpt_s1);
	if (!ok(vmm, rc, "hwpt_alloc_nested stage 1"))
		return rc;

	/*
	 * The guest honours the RMR: it maps the window 1:1 in its stage 1,
	 * so an MSI write passes stage 1 unchanged and stage 2 sends it to
	 * the ITS. Without this the writes would fault in stage 1.
	 */
	printf("[viommu] guest maps its RMR 0x%llx+0x%llx identity, and IOVA 0x%llx -> IPA 0x%llx\n",
	       RMR_START, RMR_SIZE, GUEST_DMA_IOVA, GUEST_RAM_IPA);
	rc = swmsi_hwpt_nested_map(vmm->ctx, vmm->hwpt_s1, RMR_START, RMR_START, RMR_SIZE,
				   SWMSI_PROT_READ | SWMSI_PROT_WRITE);
	if (!ok(vmm, rc, "nested_map RMR"))
		return rc;
	rc = swmsi_hwpt_nested_map(vmm->ctx, vmm->hwpt_s1, GUEST_DMA_IOVA, GUEST_RAM_IPA, PAGE_SIZE,
				   SWMSI_PROT_READ | SWMSI_PROT_WRITE);
	if (!ok(vmm, rc, "nested_map guest DMA"))
		return rc;

	printf("[viommu] NIC replaced onto the nested HWPT\n");
	rc = swmsi_device_replace(vmm->ctx, vmm->nic.id, vmm->hwpt_s1);
	if (!ok(vmm, rc, "replace NIC -> nested HWPT"))
		return rc;
	check_dma(vmm, vmm->hwpt_s1, GUEST_DMA_IOVA, GUEST_RAM_PA);
	check_all(vmm);

	printf("[viommu] the DMA IOAS is no longer needed: destroyed\n");
	rc = swmsi_obj_destroy(vmm->ctx, vmm->hwpt_dma);
	if (!ok(vmm, rc, "destroy dma HWPT"))
		return rc;
	vmm->hwpt_dma = 0;
	rc = swmsi_obj_destroy(vmm->ctx, vmm->ioas_dma);
	if (!ok(vmm, rc, "destroy dma IOAS"))
		return rc;
	vmm->ioas_dma = 0;
	check_all(vmm);
	return 0;
}

static int step_hotplug(struct vmm *vmm)
{
	int rc;

	printf("[hotplug] NVMe (group %u) plugged in behind the vIOMMU\n", vmm->nvme.group);
	rc = vdev_plug(vmm, &vmm->nvme);
	if (rc)
		return rc;
	rc = swmsi_device_attach(vmm->ctx, vmm->nvme.id, vmm->hwpt_s1);
	if (!ok(vmm, rc, "attach NVMe -> nested HWPT"))
		return rc;
	/* Same ITS page, same window: the IOVA the NIC already uses. */
	rc = vdev_setup_vector(vmm, &vmm->nvme, ITS0_DOORBELL, vmm->nic.msg_addr[0]);
	if (rc)
		return rc;
	check_all(vmm);
	return 0;
}

static int step_unplug(struct vmm *vmm)
{
	int rc;

	printf("[unplug] NVMe removed\n");
	rc = swmsi_device_unbind(vmm->ctx, vmm->nvme.id);
	if (!ok(vmm, rc, "unbind NVMe"))
		return rc;
	vmm->nvme.plugged = false;
	check_all(vmm);
	return 0;
}

static int step_shutdown(struct vmm *vmm)
{
	struct swmsi_ctx_stats st;
	int rc;

	printf("[shutdown] NIC unbound, page tables torn down\n");
	rc = swmsi_device_unbind(vmm->ctx, vmm->nic.id);
	if (!ok(vmm, rc, "unbind NIC"))
		return rc;
	vmm->nic.plugged = false;
	rc = swmsi_obj_destroy(vmm->ctx, vmm->hwpt_s1);
	if (!ok(vmm, rc, "destroy stage 1"))
		return rc;
	rc = swmsi_obj_destroy(vmm->ctx, vmm->hwpt_s2);
	if (!ok(vmm, rc, "destroy stage 2"))
		return rc;
	rc = swmsi_obj_destroy(vmm->ctx, vmm->ioas_boot);
	if (!ok(vmm, rc, "destroy boot IOAS"))
		return rc;
	rc = swmsi_ctx_stats(vmm->ctx, &st);
	if (!ok(vmm, rc, "ctx_stats"))
		return rc;
	printf("    %" PRIu64 " MSI page installs, %" PRIu64 " reclaimed, %u objects left\n",
	       st.msi_installs, st.msi_uninstalls, st.objects);
	if (st.objects != 0)
		fail(vmm, "objects left", st.objects, 0);
	return 0;
}

int main(void)
{
	struct swmsi_ctx_opts opts = {
		.page_shift = PAGE_SHIFT,
		.reclaim = SWMSI_RECLAIM_UNUSED,
	};
	struct vmm vmm = {
		.nic = { .name = "nic", .group = 1 },
		.nvme = { .name = "nvme", .group = 2 },
	};
	int rc;

	rc = mock_iommu_create(PAGE_SHIFT, &vmm.mock);
	if (rc) {
		fprintf(stderr, "mini_vmm: mock_iommu_create: %s\n", errname(rc));
		return EXIT_FAILURE;
	}
	opts.iommu = mock_iommu_ops();
	opts.iommu_priv = vmm.mock;
	rc = swmsi_ctx_create(&opts, &vmm.ctx);
	if (rc) {
		fprintf(stderr, "mini_vmm: swmsi_ctx_create: %s\n", errname(rc));
		mock_iommu_destroy(vmm.mock);
		return EXIT_FAILURE;
	}
	printf("libswmsi %s, %u KiB pages, reclaim unused\n", swmsi_version(),
	       (unsigned int)(PAGE_SIZE >> 10));

	/* Each step needs the previous one; stop at the first that breaks. */
	rc = step_boot(&vmm);
	if (!rc)
		rc = step_dma(&vmm);
	if (!rc)
		rc = step_viommu(&vmm);
	if (!rc)
		rc = step_hotplug(&vmm);
	if (!rc)
		rc = step_unplug(&vmm);
	if (!rc)
		rc = step_shutdown(&vmm);

	/* Whatever happened, the context frees what is left. */
	swmsi_ctx_destroy(vmm.ctx);
	if (mock_iommu_domain_count(vmm.mock) != 0 ||
	    mock_iommu_mapped_pages(vmm.mock, NULL) != 0) {
		printf("FAIL: the mock still holds domains or mappings\n");
		vmm.failures++;
	}
	if (mock_iommu_misuse_count(vmm.mock) != 0) {
		printf("FAIL: the library misused the IOMMU backend %" PRIu64 " times\n",
		       mock_iommu_misuse_count(vmm.mock));
		vmm.failures++;
	}
	mock_iommu_destroy(vmm.mock);

	if (rc || vmm.failures) {
		printf("mini_vmm: %u unexpected result(s)\n", vmm.failures ? vmm.failures : 1);
		return EXIT_FAILURE;
	}
	printf("mini_vmm: every vector reached its doorbell at every step\n");
	return EXIT_SUCCESS;
}
