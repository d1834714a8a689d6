// SPDX-License-Identifier: MIT
/*
 * Our ABI header against the kernel's, where the build machine has them:
 * <linux/vfio.h> (Debian 12 has it, from Linux 6.1) and <linux/iommufd.h>
 * (Debian 12 lacks it). The comparisons are static assertions, so a
 * mismatch fails the build of this suite; its tests say at run time what
 * was compared. Both headers are included at once, which is what the
 * swmsi_ prefix of our names is for.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <swmsi/uapi_abi.h>

#define SAME_AT(ours, theirs, m) \
	_Static_assert(offsetof(struct ours, m) == offsetof(struct theirs, m), #ours "." #m)
#define SAME_SIZE(ours, theirs) _Static_assert(sizeof(struct ours) == sizeof(struct theirs), #ours)
#define SAME_NR(ours, theirs)	_Static_assert((long long)(ours) == (long long)(theirs), #ours)

#ifdef SWMSI_HAVE_LINUX_VFIO_H
#include <linux/vfio.h>

SAME_NR(SWMSI_IOMMUFD_TYPE, VFIO_TYPE);
SAME_NR(SWMSI_VFIO_BASE, VFIO_BASE);
SAME_NR(SWMSI_VFIO_DEVICE_GET_INFO, VFIO_DEVICE_GET_INFO);
SAME_NR(SWMSI_VFIO_DEVICE_GET_IRQ_INFO, VFIO_DEVICE_GET_IRQ_INFO);
SAME_NR(SWMSI_VFIO_DEVICE_SET_IRQS, VFIO_DEVICE_SET_IRQS);
SAME_NR(SWMSI_VFIO_DEVICE_FLAGS_RESET, VFIO_DEVICE_FLAGS_RESET);
SAME_NR(SWMSI_VFIO_DEVICE_FLAGS_PCI, VFIO_DEVICE_FLAGS_PCI);
SAME_NR(SWMSI_VFIO_DEVICE_FLAGS_CAPS, VFIO_DEVICE_FLAGS_CAPS);
SAME_NR(SWMSI_VFIO_IRQ_INFO_EVENTFD, VFIO_IRQ_INFO_EVENTFD);
SAME_NR(SWMSI_VFIO_IRQ_INFO_MASKABLE, VFIO_IRQ_INFO_MASKABLE);
SAME_NR(SWMSI_VFIO_IRQ_INFO_AUTOMASKED, VFIO_IRQ_INFO_AUTOMASKED);
SAME_NR(SWMSI_VFIO_IRQ_INFO_NORESIZE, VFIO_IRQ_INFO_NORESIZE);
SAME_NR(SWMSI_VFIO_IRQ_SET_DATA_NONE, VFIO_IRQ_SET_DATA_NONE);
SAME_NR(SWMSI_VFIO_IRQ_SET_DATA_BOOL, VFIO_IRQ_SET_DATA_BOOL);
SAME_NR(SWMSI_VFIO_IRQ_SET_DATA_EVENTFD, VFIO_IRQ_SET_DATA_EVENTFD);
SAME_NR(SWMSI_VFIO_IRQ_SET_ACTION_MASK, VFIO_IRQ_SET_ACTION_MASK);
SAME_NR(SWMSI_VFIO_IRQ_SET_ACTION_UNMASK, VFIO_IRQ_SET_ACTION_UNMASK);
SAME_NR(SWMSI_VFIO_IRQ_SET_ACTION_TRIGGER, VFIO_IRQ_SET_ACTION_TRIGGER);
SAME_NR(SWMSI_VFIO_IRQ_SET_DATA_TYPE_MASK, VFIO_IRQ_SET_DATA_TYPE_MASK);
SAME_NR(SWMSI_VFIO_IRQ_SET_ACTION_TYPE_MASK, VFIO_IRQ_SET_ACTION_TYPE_MASK);
SAME_NR(SWMSI_VFIO_PCI_MSI_IRQ_INDEX, VFIO_PCI_MSI_IRQ_INDEX);
SAME_NR(SWMSI_VFIO_PCI_MSIX_IRQ_INDEX, VFIO_PCI_MSIX_IRQ_INDEX);
SAME_NR(SWMSI_VFIO_PCI_NUM_IRQS, VFIO_PCI_NUM_IRQS);
SAME_AT(swmsi_vfio_device_info, vfio_device_info, flags);
SAME_AT(swmsi_vfio_device_info, vfio_device_info, num_regions);
SAME_AT(swmsi_vfio_device_info, vfio_device_info, num_irqs);
SAME_AT(swmsi_vfio_device_info, vfio_device_info, cap_offset);
/* v6.8 appended a pad word; an older header's struct ends before it */
_Static_assert(sizeof(struct vfio_device_info) == sizeof(struct swmsi_vfio_device_info) ||
		       sizeof(struct vfio_device_info) ==
			       offsetof(struct swmsi_vfio_device_info, pad),
	       "vfio_device_info");
SAME_SIZE(swmsi_vfio_irq_info, vfio_irq_info);
SAME_AT(swmsi_vfio_irq_info, vfio_irq_info, flags);
SAME_AT(swmsi_vfio_irq_info, vfio_irq_info, index);
SAME_AT(swmsi_vfio_irq_info, vfio_irq_info, count);
SAME_SIZE(swmsi_vfio_irq_set, vfio_irq_set);
SAME_AT(swmsi_vfio_irq_set, vfio_irq_set, flags);
SAME_AT(swmsi_vfio_irq_set, vfio_irq_set, index);
SAME_AT(swmsi_vfio_irq_set, vfio_irq_set, start);
SAME_AT(swmsi_vfio_irq_set, vfio_irq_set, count);
SAME_AT(swmsi_vfio_irq_set, vfio_irq_set, data);
#ifdef VFIO_DEVICE_BIND_IOMMUFD /* Linux 6.6 and later */
SAME_NR(SWMSI_VFIO_DEVICE_BIND_IOMMUFD, VFIO_DEVICE_BIND_IOMMUFD);
SAME_NR(SWMSI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, VFIO_DEVICE_ATTACH_IOMMUFD_PT);
SAME_NR(SWMSI_VFIO_DEVICE_DETACH_IOMMUFD_PT, VFIO_DEVICE_DETACH_IOMMUFD_PT);
SAME_AT(swmsi_vfio_device_bind_iommufd, vfio_device_bind_iommufd, iommufd);
SAME_AT(swmsi_vfio_device_bind_iommufd, vfio_device_bind_iommufd, out_devid);
SAME_AT(swmsi_vfio_device_attach_iommufd_pt, vfio_device_attach_iommufd_pt, pt_id);
#endif
#endif /* SWMSI_HAVE_LINUX_VFIO_H */

#ifdef SWMSI_HAVE_LINUX_IOMMUFD_H
#include <linux/iommufd.h>

SAME_NR(SWMSI_IOMMUFD_TYPE, IOMMUFD_TYPE);
SAME_NR(SWMSI_IOMMU_DESTROY, IOMMU_DESTROY);
SAME_NR(SWMSI_IOMMU_IOAS_ALLOC, IOMMU_IOAS_ALLOC);
SAME_NR(SWMSI_IOMMU_IOAS_ALLOW_IOVAS, IOMMU_IOAS_ALLOW_IOVAS);
SAME_NR(SWMSI_IOMMU_IOAS_COPY, IOMMU_IOAS_COPY);
SAME_NR(SWMSI_IOMMU_IOAS_IOVA_RANGES, IOMMU_IOAS_IOVA_RANGES);
SAME_NR(SWMSI_IOMMU_IOAS_MAP, IOMMU_IOAS_MAP);
SAME_NR(SWMSI_IOMMU_IOAS_UNMAP, IOMMU_IOAS_UNMAP);
SAME_NR(SWMSI_IOMMU_OPTION, IOMMU_OPTION);
SAME_NR(SWMSI_IOMMU_VFIO_IOAS, IOMMU_VFIO_IOAS);
SAME_NR(SWMSI_IOMMU_HWPT_ALLOC, IOMMU_HWPT_ALLOC);
SAME_NR(SWMSI_IOMMU_GET_HW_INFO, IOMMU_GET_HW_INFO);
SAME_SIZE(swmsi_iommu_ioas_map, iommu_ioas_map);
SAME_AT(swmsi_iommu_ioas_map, iommu_ioas_map, user_va);
SAME_AT(swmsi_iommu_ioas_map, iommu_ioas_map, iova);
SAME_SIZE(swmsi_iommu_ioas_unmap, iommu_ioas_unmap);
SAME_SIZE(swmsi_iommu_ioas_iova_ranges, iommu_ioas_iova_ranges);
SAME_AT(swmsi_iommu_ioas_iova_ranges, iommu_ioas_iova_ranges, out_iova_alignment);
SAME_SIZE(swmsi_iommu_option, iommu_option);
SAME_AT(swmsi_iommu_option, iommu_option, val64);
SAME_AT(swmsi_iommu_hwpt_alloc, iommu_hwpt_alloc, data_uptr);
SAME_AT(swmsi_iommu_hw_info, iommu_hw_info, data_uptr);
SAME_NR(SWMSI_IOMMU_IOAS_MAP_FIXED_IOVA, IOMMU_IOAS_MAP_FIXED_IOVA);
SAME_NR(SWMSI_IOMMU_IOAS_MAP_WRITEABLE, IOMMU_IOAS_MAP_WRITEABLE);
SAME_NR(SWMSI_IOMMU_IOAS_MAP_READABLE, IOMMU_IOAS_MAP_READABLE);
SAME_NR(SWMSI_IOMMU_HWPT_ALLOC_NEST_PARENT, IOMMU_HWPT_ALLOC_NEST_PARENT);
#endif /* SWMSI_HAVE_LINUX_IOMMUFD_H */

/* The request numbers are _IO(';', nr): nothing but the type and number. */
static void iommufd_requests_are_io_type_semicolon(void **state)
{
	static const unsigned long reqs[] = {
		SWMSI_IOMMU_DESTROY,	      SWMSI_IOMMU_IOAS_ALLOC,	 SWMSI_IOMMU_IOAS_MAP,
		SWMSI_IOMMU_IOAS_UNMAP,	      SWMSI_IOMMU_HWPT_ALLOC,	 SWMSI_IOMMU_GET_HW_INFO,
		SWMSI_IOMMU_HW_QUEUE_ALLOC,   SWMSI_IOMMU_TEST_CMD,	 SWMSI_IOMMU_OPTION,
		SWMSI_IOMMU_IOAS_IOVA_RANGES, SWMSI_IOMMU_IOAS_MAP_FILE, SWMSI_IOMMU_VEVENTQ_ALLOC,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		assert_int_equal(_IOC_TYPE(reqs[i]), ';');
		assert_int_equal(_IOC_SIZE(reqs[i]), 0);
		assert_int_equal(_IOC_DIR(reqs[i]), _IOC_NONE);
	}
	assert_int_equal(_IOC_NR(SWMSI_IOMMU_DESTROY), 0x80);
	assert_int_equal(_IOC_NR(SWMSI_IOMMU_HW_QUEUE_ALLOC), 0x94);
	assert_int_equal(_IOC_NR(SWMSI_IOMMU_TEST_CMD), 0xa0);
}

/* Which system headers this build compared against (printed). */
static void system_headers_compared_at_build_time(void **state)
{
	(void)state;
#ifdef SWMSI_HAVE_LINUX_VFIO_H
	print_message("layouts and numbers checked against <linux/vfio.h>\n");
#else
	print_message("no <linux/vfio.h> on this machine: nothing to compare\n");
#endif
#ifdef SWMSI_HAVE_LINUX_IOMMUFD_H
	print_message("layouts and numbers checked against <linux/iommufd.h>\n");
#else
	print_message("no <linux/iommufd.h> on this machine: nothing to compare\n");
#endif
	/* our own sizes are pinned by uapi_abi.h's static assertions */
	assert_int_equal(sizeof(struct swmsi_iommu_ioas_map), 40);
	assert_int_equal(sizeof(struct swmsi_iommu_hwpt_alloc), 48);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(iommufd_requests_are_io_type_semicolon),
		cmocka_unit_test(system_headers_compared_at_build_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
