/* SPDX-License-Identifier: MIT */
/**
 * @file uapi_abi.h
 * @brief The iommufd and VFIO-cdev ABI that libswmsi's /dev/iommu serves,
 * defined by this project (docs/uapi.md, "The ABI header").
 *
 * The ioctl ABI of Linux's include/uapi/linux/iommufd.h and vfio.h (v6.15
 * to v6.17) is a fact of the kernel: request numbers, struct layouts, flag
 * values. This header writes those facts down again in the project's own
 * words, so that code can be built where the system has no
 * <linux/iommufd.h> (Debian 12) and without libswmsi's other headers: a
 * program that includes only this header and speaks ioctl(2) to
 * /dev/iommu runs unchanged on the kernel or under libswmsi-preload.so.
 *
 * Every name carries the prefix swmsi_ / SWMSI_ (struct iommu_ioas_map is
 * struct swmsi_iommu_ioas_map, IOMMU_IOAS_MAP is SWMSI_IOMMU_IOAS_MAP), so
 * the header can be included beside <linux/iommufd.h> and <linux/vfio.h>
 * without a clash; the numbers and layouts are the same, which the
 * build checks (static assertions below, and tests/test_uapi_abi.c
 * against the system's headers where it has them).
 *
 * Rules shared by every iommufd request (struct ..., first member a u32
 * @c size): the kernel reads @c size first; a size below the first
 * version's struct -> EINVAL; a larger one whose bytes beyond the known
 * struct are not zero -> E2BIG; unknown flags or a non-zero reserved field
 * -> EOPNOTSUPP; an unknown request -> ENOTTY; a bad pointer -> EFAULT.
 * VFIO device requests start with @c argsz instead and follow VFIO's
 * rules (a too small argsz -> EINVAL).
 */
#ifndef SWMSI_UAPI_ABI_H
#define SWMSI_UAPI_ABI_H

#include <linux/ioctl.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief A u64 aligned to 8 bytes on every ABI, as the kernel's __aligned_u64. */
typedef uint64_t swmsi_abi_u64 __attribute__((aligned(8)));

/* ------------------------------------------------------------------------ */
/* iommufd: request numbers                                                 */

/** @brief The ioctl type byte of every iommufd request (and of VFIO's). */
#define SWMSI_IOMMUFD_TYPE (';')

/** @brief The command numbers of the iommufd requests (_IOC_NR). */
enum swmsi_iommufd_cmd {
	SWMSI_IOMMUFD_CMD_BASE = 0x80,			  /**< the first command */
	SWMSI_IOMMUFD_CMD_DESTROY = 0x80,		  /**< IOMMU_DESTROY */
	SWMSI_IOMMUFD_CMD_IOAS_ALLOC = 0x81,		  /**< IOMMU_IOAS_ALLOC */
	SWMSI_IOMMUFD_CMD_IOAS_ALLOW_IOVAS = 0x82,	  /**< IOMMU_IOAS_ALLOW_IOVAS */
	SWMSI_IOMMUFD_CMD_IOAS_COPY = 0x83,		  /**< IOMMU_IOAS_COPY */
	SWMSI_IOMMUFD_CMD_IOAS_IOVA_RANGES = 0x84,	  /**< IOMMU_IOAS_IOVA_RANGES */
	SWMSI_IOMMUFD_CMD_IOAS_MAP = 0x85,		  /**< IOMMU_IOAS_MAP */
	SWMSI_IOMMUFD_CMD_IOAS_UNMAP = 0x86,		  /**< IOMMU_IOAS_UNMAP */
	SWMSI_IOMMUFD_CMD_OPTION = 0x87,		  /**< IOMMU_OPTION */
	SWMSI_IOMMUFD_CMD_VFIO_IOAS = 0x88,		  /**< IOMMU_VFIO_IOAS */
	SWMSI_IOMMUFD_CMD_HWPT_ALLOC = 0x89,		  /**< IOMMU_HWPT_ALLOC */
	SWMSI_IOMMUFD_CMD_GET_HW_INFO = 0x8a,		  /**< IOMMU_GET_HW_INFO */
	SWMSI_IOMMUFD_CMD_HWPT_SET_DIRTY_TRACKING = 0x8b, /**< IOMMU_HWPT_SET_DIRTY_TRACKING */
	SWMSI_IOMMUFD_CMD_HWPT_GET_DIRTY_BITMAP = 0x8c,	  /**< IOMMU_HWPT_GET_DIRTY_BITMAP */
	SWMSI_IOMMUFD_CMD_HWPT_INVALIDATE = 0x8d,	  /**< IOMMU_HWPT_INVALIDATE */
	SWMSI_IOMMUFD_CMD_FAULT_QUEUE_ALLOC = 0x8e,	  /**< IOMMU_FAULT_QUEUE_ALLOC */
	SWMSI_IOMMUFD_CMD_IOAS_MAP_FILE = 0x8f,		  /**< IOMMU_IOAS_MAP_FILE */
	SWMSI_IOMMUFD_CMD_VIOMMU_ALLOC = 0x90,		  /**< IOMMU_VIOMMU_ALLOC */
	SWMSI_IOMMUFD_CMD_VDEVICE_ALLOC = 0x91,		  /**< IOMMU_VDEVICE_ALLOC */
	SWMSI_IOMMUFD_CMD_IOAS_CHANGE_PROCESS = 0x92,	  /**< IOMMU_IOAS_CHANGE_PROCESS */
	SWMSI_IOMMUFD_CMD_VEVENTQ_ALLOC = 0x93,		  /**< IOMMU_VEVENTQ_ALLOC */
	SWMSI_IOMMUFD_CMD_HW_QUEUE_ALLOC = 0x94,	  /**< IOMMU_HW_QUEUE_ALLOC */
	/** IOMMU_TEST_CMD of a kernel built with CONFIG_IOMMUFD_TEST (base + 32). */
	SWMSI_IOMMUFD_CMD_TEST = 0xa0,
};

/** @brief IOMMU_DESTROY (struct swmsi_iommu_destroy). */
#define SWMSI_IOMMU_DESTROY _IO(SWMSI_IOMMUFD_TYPE, SWMSI_IOMMUFD_CMD_DESTROY)
/** @brief IOMMU_IOAS_ALLOC (struct swmsi_iommu_ioas_alloc). */
#define SWMSI_IOMMU_IOAS_ALLOC _IO(SWMSI_IOMMUFD_TYPE, SWMSI_IOMMUFD_CMD_IOAS_ALLOC)
/** @brief IOMMU_IOAS_ALLOW_IOVAS (struct swmsi_iommu_ioas_allow_iovas). */
#define SWMSI_IOMMU_IOAS_ALLOW_IOVAS _IO(SWMSI_IOMMUFD_TYPE, SWMSI_IOMMUFD_CMD_IOAS_ALLOW_IOVAS)
/** @brief IOMMU_IOAS_COPY (struct swmsi_iommu_ioas_copy). */
#define SWMSI_IOMMU_IOAS_COPY _IO(SWMSI_IOMMUFD_TYPE, SWMSI_IOMMUFD_CMD_IOAS_COPY)
/** @brief IOMMU_IOAS_IOVA_RANGES (struct swmsi_iommu_ioas_iova_ranges). */
#define SWMSI_IOMMU_IOAS_IOVA_RANGES _IO(SWMSI_IOMMUFD_TYPE, SWMSI_IOMMUFD_CMD_IOAS_IOVA_RANGES)
/** @brief IOMMU_IOAS_MAP (struct swmsi_iommu_ioas_map). */
#define SWMSI_IOMMU_IOAS_MAP _IO(SWMSI_IOMMUFD_TYPE, SWMSI_IOMMUFD_CMD_IOAS_MAP)
/** @brief IOMMU_IOAS_UNMAP (struct swmsi_iommu_ioas_unmap). */
#define SWMSI_IOMMU_IOAS_UNMAP _IO(SWMSI_IOMMUFD_TYPE, SWMSI_IOMMUFD_CMD_IOAS_UNMAP)
/** @brief IOMMU_OPTION (struct swmsi_iommu_option). */
#define SWMSI_IOMMU_OPTION _IO(SWMSI_IOMMUFD_TYPE, SWMSI_IOMMUFD_CMD_OPTION)
/** @brief IOMMU_VFIO_IOAS (struct swmsi_iommu_vfio_ioas). */
#define SWMSI_IOMMU_VFIO_IOAS _IO(SWMSI_IOMMUFD_TYPE, SWMSI_IOMMUFD_CMD_VFIO_IOAS)
/** @brief IOMMU_HWPT_ALLOC (struct swmsi_iommu_hwpt_alloc). */
#define SWMSI_IOMMU_HWPT_ALLOC _IO(SWMSI_IOMMUFD_TYPE, SWMSI_IOMMUFD_CMD_HWPT_ALLOC)
/** @brief IOMMU_GET_HW_INFO (struct swmsi_iommu_hw_info). */
#define SWMSI_IOMMU_GET_HW_INFO _IO(SWMSI_IOMMUFD_TYPE, SWMSI_IOMMUFD_CMD_GET_HW_INFO)
/** @brief IOMMU_HWPT_SET_DIRTY_TRACKING (struct swmsi_iommu_hwpt_set_dirty_tracking). */
#define SWMSI_IOMMU_HWPT_SET_DIRTY_TRACKING \
	_IO(SWMSI_IOMMUFD_TYPE, SWMSI_IOMMUFD_CMD_HWPT_SET_DIRTY_TRACKING)
/** @brief IOMMU_HWPT_GET_DIRTY_BITMAP (struct swmsi_iommu_hwpt_get_dirty_bitmap). */
#define SWMSI_IOMMU_HWPT_GET_DIRTY_BITMAP \
	_IO(SWMSI_IOMMUFD_TYPE, SWMSI_IOMMUFD_CMD_HWPT_GET_DIRTY_BITMAP)
/** @brief IOMMU_HWPT_INVALIDATE (struct swmsi_iommu_hwpt_invalidate). */
#define SWMSI_IOMMU_HWPT_INVALIDATE _IO(SWMSI_IOMMUFD_TYPE, SWMSI_IOMMUFD_CMD_HWPT_INVALIDATE)
/** @brief IOMMU_FAULT_QUEUE_ALLOC (struct swmsi_iommu_fault_alloc). */
#define SWMSI_IOMMU_FAULT_QUEUE_ALLOC _IO(SWMSI_IOMMUFD_TYPE, SWMSI_IOMMUFD_CMD_FAULT_QUEUE_ALLOC)
/** @brief IOMMU_IOAS_MAP_FILE (struct swmsi_iommu_ioas_map_file). */
#define SWMSI_IOMMU_IOAS_MAP_FILE _IO(SWMSI_IOMMUFD_TYPE, SWMSI_IOMMUFD_CMD_IOAS_MAP_FILE)
/** @brief IOMMU_VIOMMU_ALLOC (struct swmsi_iommu_viommu_alloc). */
#define SWMSI_IOMMU_VIOMMU_ALLOC _IO(SWMSI_IOMMUFD_TYPE, SWMSI_IOMMUFD_CMD_VIOMMU_ALLOC)
/** @brief IOMMU_VDEVICE_ALLOC (struct swmsi_iommu_vdevice_alloc). */
#define SWMSI_IOMMU_VDEVICE_ALLOC _IO(SWMSI_IOMMUFD_TYPE, SWMSI_IOMMUFD_CMD_VDEVICE_ALLOC)
/** @brief IOMMU_IOAS_CHANGE_PROCESS (struct swmsi_iommu_ioas_change_process). */
#define SWMSI_IOMMU_IOAS_CHANGE_PROCESS \
	_IO(SWMSI_IOMMUFD_TYPE, SWMSI_IOMMUFD_CMD_IOAS_CHANGE_PROCESS)
/** @brief IOMMU_VEVENTQ_ALLOC (struct swmsi_iommu_veventq_alloc). */
#define SWMSI_IOMMU_VEVENTQ_ALLOC _IO(SWMSI_IOMMUFD_TYPE, SWMSI_IOMMUFD_CMD_VEVENTQ_ALLOC)
/** @brief IOMMU_HW_QUEUE_ALLOC (struct swmsi_iommu_hw_queue_alloc). */
#define SWMSI_IOMMU_HW_QUEUE_ALLOC _IO(SWMSI_IOMMUFD_TYPE, SWMSI_IOMMUFD_CMD_HW_QUEUE_ALLOC)
/** @brief IOMMU_TEST_CMD (struct swmsi_iommu_test_cmd): the kernel selftest mock's ops. */
#define SWMSI_IOMMU_TEST_CMD _IO(SWMSI_IOMMUFD_TYPE, SWMSI_IOMMUFD_CMD_TEST)

/* ------------------------------------------------------------------------ */
/* iommufd: objects and IOAS                                                */

/** @brief IOMMU_DESTROY: destroy the object @c id names. */
struct swmsi_iommu_destroy {
	uint32_t size; /**< sizeof this struct (or more, zero-padded) */
	uint32_t id;   /**< any object id */
};

/** @brief IOMMU_IOAS_ALLOC: a new, empty IOAS. */
struct swmsi_iommu_ioas_alloc {
	uint32_t size;	      /**< sizeof this struct */
	uint32_t flags;	      /**< must be 0 */
	uint32_t out_ioas_id; /**< out: the new IOAS */
};

/** @brief One IOVA interval, both ends inclusive. */
struct swmsi_iommu_iova_range {
	swmsi_abi_u64 start; /**< first IOVA */
	swmsi_abi_u64 last;  /**< last IOVA (inclusive) */
};

/** @brief IOMMU_IOAS_IOVA_RANGES: the IOVA ranges a map may use. */
struct swmsi_iommu_ioas_iova_ranges {
	uint32_t size;			  /**< sizeof this struct */
	uint32_t ioas_id;		  /**< the IOAS */
	uint32_t num_iovas;		  /**< in: room in the array; out: ranges there are */
	uint32_t __reserved;		  /**< must be 0 */
	swmsi_abi_u64 allowed_iovas;	  /**< user pointer to struct swmsi_iommu_iova_range[] */
	swmsi_abi_u64 out_iova_alignment; /**< out: the alignment a map's IOVA needs */
};

/** @brief IOMMU_IOAS_ALLOW_IOVAS: the ranges allocation must keep usable. */
struct swmsi_iommu_ioas_allow_iovas {
	uint32_t size;		     /**< sizeof this struct */
	uint32_t ioas_id;	     /**< the IOAS */
	uint32_t num_iovas;	     /**< entries in the array (0 clears the list) */
	uint32_t __reserved;	     /**< must be 0 */
	swmsi_abi_u64 allowed_iovas; /**< user pointer to struct swmsi_iommu_iova_range[] */
};

/** @brief Flags of IOMMU_IOAS_MAP, IOMMU_IOAS_MAP_FILE and IOMMU_IOAS_COPY. */
enum swmsi_iommufd_ioas_map_flags {
	SWMSI_IOMMU_IOAS_MAP_FIXED_IOVA = 1 << 0, /**< the caller gives the IOVA */
	SWMSI_IOMMU_IOAS_MAP_WRITEABLE = 1 << 1,  /**< DMA may write */
	SWMSI_IOMMU_IOAS_MAP_READABLE = 1 << 2,	  /**< DMA may read */
};

/** @brief IOMMU_IOAS_MAP: map user memory at an IOVA. */
struct swmsi_iommu_ioas_map {
	uint32_t size;	       /**< sizeof this struct */
	uint32_t flags;	       /**< enum swmsi_iommufd_ioas_map_flags */
	uint32_t ioas_id;      /**< the IOAS */
	uint32_t __reserved;   /**< must be 0 */
	swmsi_abi_u64 user_va; /**< first byte of the user memory */
	swmsi_abi_u64 length;  /**< bytes */
	swmsi_abi_u64 iova;    /**< in with FIXED_IOVA; out: where it was mapped */
};

/** @brief IOMMU_IOAS_MAP_FILE: map a memfd range at an IOVA. */
struct swmsi_iommu_ioas_map_file {
	uint32_t size;	      /**< sizeof this struct */
	uint32_t flags;	      /**< enum swmsi_iommufd_ioas_map_flags */
	uint32_t ioas_id;     /**< the IOAS */
	int32_t fd;	      /**< the memfd */
	swmsi_abi_u64 start;  /**< byte offset in the file */
	swmsi_abi_u64 length; /**< bytes */
	swmsi_abi_u64 iova;   /**< in with FIXED_IOVA; out: where it was mapped */
};

/** @brief IOMMU_IOAS_COPY: map again, in another IOAS, what one map made. */
struct swmsi_iommu_ioas_copy {
	uint32_t size;		/**< sizeof this struct */
	uint32_t flags;		/**< enum swmsi_iommufd_ioas_map_flags */
	uint32_t dst_ioas_id;	/**< the IOAS to map into */
	uint32_t src_ioas_id;	/**< the IOAS to copy from */
	swmsi_abi_u64 length;	/**< bytes */
	swmsi_abi_u64 dst_iova; /**< in with FIXED_IOVA; out: where it was mapped */
	swmsi_abi_u64 src_iova; /**< the source range's first IOVA */
};

/** @brief IOMMU_IOAS_UNMAP: unmap whole areas (iova 0, length UINT64_MAX: all). */
struct swmsi_iommu_ioas_unmap {
	uint32_t size;	      /**< sizeof this struct */
	uint32_t ioas_id;     /**< the IOAS */
	swmsi_abi_u64 iova;   /**< first IOVA of the range */
	swmsi_abi_u64 length; /**< in: bytes; out: bytes unmapped */
};

/** @brief IOMMU_IOAS_CHANGE_PROCESS: move pinned-memory accounting to the caller. */
struct swmsi_iommu_ioas_change_process {
	uint32_t size;	     /**< sizeof this struct */
	uint32_t __reserved; /**< must be 0 */
};

/* ------------------------------------------------------------------------ */
/* iommufd: options                                                         */

/** @brief The options IOMMU_OPTION reads and writes. */
enum swmsi_iommufd_option {
	/** Global (object_id 0): 0 per-user, 1 per-process memory accounting. */
	SWMSI_IOMMU_OPTION_RLIMIT_MODE = 0,
	/** Per IOAS: 1 (default) may use large IO pages, 0 maps page by page. */
	SWMSI_IOMMU_OPTION_HUGE_PAGES = 1,
	/** Per device (posted upstream, not merged): the SW_MSI window start, bytes. */
	SWMSI_IOMMU_OPTION_SW_MSI_START = 2,
	/** Per device (posted upstream, not merged): the SW_MSI window size, MiB. */
	SWMSI_IOMMU_OPTION_SW_MSI_SIZE = 3,
};

/** @brief What IOMMU_OPTION does with the option. */
enum swmsi_iommufd_option_ops {
	SWMSI_IOMMU_OPTION_OP_SET = 0, /**< write val64 */
	SWMSI_IOMMU_OPTION_OP_GET = 1, /**< read into val64 */
};

/** @brief IOMMU_OPTION: read or write one option. */
struct swmsi_iommu_option {
	uint32_t size;	     /**< sizeof this struct */
	uint32_t option_id;  /**< enum swmsi_iommufd_option */
	uint16_t op;	     /**< enum swmsi_iommufd_option_ops */
	uint16_t __reserved; /**< must be 0 */
	uint32_t object_id;  /**< the object the option belongs to, or 0 */
	swmsi_abi_u64 val64; /**< the value set, or read back */
};

/** @brief What IOMMU_VFIO_IOAS does. */
enum swmsi_iommufd_vfio_ioas_op {
	SWMSI_IOMMU_VFIO_IOAS_GET = 0,	 /**< read the compatibility IOAS */
	SWMSI_IOMMU_VFIO_IOAS_SET = 1,	 /**< make ioas_id the compatibility IOAS */
	SWMSI_IOMMU_VFIO_IOAS_CLEAR = 2, /**< have none */
};

/** @brief IOMMU_VFIO_IOAS: the IOAS VFIO's type1 compatibility uses. */
struct swmsi_iommu_vfio_ioas {
	uint32_t size;	     /**< sizeof this struct */
	uint32_t ioas_id;    /**< in for SET, out for GET */
	uint16_t op;	     /**< enum swmsi_iommufd_vfio_ioas_op */
	uint16_t __reserved; /**< must be 0 */
};

/* ------------------------------------------------------------------------ */
/* iommufd: HW page tables                                                  */

/** @brief Flags of IOMMU_HWPT_ALLOC. */
enum swmsi_iommufd_hwpt_alloc_flags {
	SWMSI_IOMMU_HWPT_ALLOC_NEST_PARENT = 1 << 0,	/**< may parent nested HWPTs */
	SWMSI_IOMMU_HWPT_ALLOC_DIRTY_TRACKING = 1 << 1, /**< needs dirty tracking */
	SWMSI_IOMMU_HWPT_FAULT_ID_VALID = 1 << 2,	/**< fault_id names a fault queue */
	SWMSI_IOMMU_HWPT_ALLOC_PASID = 1 << 3,		/**< usable on PASIDs */
};

/** @brief The type of a nested HWPT's driver data (IOMMU_HWPT_ALLOC). */
enum swmsi_iommu_hwpt_data_type {
	SWMSI_IOMMU_HWPT_DATA_NONE = 0,	      /**< a paging HWPT: no data */
	SWMSI_IOMMU_HWPT_DATA_VTD_S1 = 1,     /**< Intel VT-d stage 1 */
	SWMSI_IOMMU_HWPT_DATA_ARM_SMMUV3 = 2, /**< ARM SMMUv3 nested STE */
	/** The kernel selftest mock's (struct swmsi_iommu_hwpt_selftest). */
	SWMSI_IOMMU_HWPT_DATA_SELFTEST = 0xdead,
};

/** @brief Driver data of a SWMSI_IOMMU_HWPT_DATA_SELFTEST nested HWPT. */
struct swmsi_iommu_hwpt_selftest {
	uint32_t iotlb; /**< the initial value of every mock IOTLB entry */
};

/** @brief IOMMU_HWPT_ALLOC: a paging HWPT on an IOAS, or a nested one on a parent. */
struct swmsi_iommu_hwpt_alloc {
	uint32_t size;		 /**< sizeof this struct */
	uint32_t flags;		 /**< enum swmsi_iommufd_hwpt_alloc_flags */
	uint32_t dev_id;	 /**< the device it is allocated for */
	uint32_t pt_id;		 /**< an IOAS, a NEST_PARENT HWPT or a vIOMMU */
	uint32_t out_hwpt_id;	 /**< out: the new HWPT */
	uint32_t __reserved;	 /**< must be 0 */
	uint32_t data_type;	 /**< enum swmsi_iommu_hwpt_data_type */
	uint32_t data_len;	 /**< bytes at data_uptr */
	swmsi_abi_u64 data_uptr; /**< user pointer to the driver data */
	uint32_t fault_id;	 /**< the fault queue, with FAULT_ID_VALID (since v6.11) */
	uint32_t __reserved2;	 /**< must be 0 (since v6.11) */
};

/** @brief Types of the data IOMMU_GET_HW_INFO reports. */
enum swmsi_iommu_hw_info_type {
	SWMSI_IOMMU_HW_INFO_TYPE_NONE = 0,		/**< no driver data */
	SWMSI_IOMMU_HW_INFO_TYPE_DEFAULT = 0,		/**< input: the driver's own type */
	SWMSI_IOMMU_HW_INFO_TYPE_INTEL_VTD = 1,		/**< Intel VT-d */
	SWMSI_IOMMU_HW_INFO_TYPE_ARM_SMMUV3 = 2,	/**< ARM SMMUv3 */
	SWMSI_IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV = 3,	/**< NVIDIA Tegra241 CMDQV */
	SWMSI_IOMMU_HW_INFO_TYPE_SELFTEST = 0xfeedbeef, /**< the kernel selftest mock's */
};

/** @brief Capability bits of IOMMU_GET_HW_INFO's out_capabilities. */
enum swmsi_iommufd_hw_capabilities {
	SWMSI_IOMMU_HW_CAP_DIRTY_TRACKING = 1 << 0, /**< dirty tracking */
	SWMSI_IOMMU_HW_CAP_PCI_PASID_EXEC = 1 << 1, /**< PASID execute permission */
	SWMSI_IOMMU_HW_CAP_PCI_PASID_PRIV = 1 << 2, /**< PASID privileged mode */
};

/** @brief Flags of IOMMU_GET_HW_INFO. */
enum swmsi_iommufd_hw_info_flags {
	/** in_data_type asks for a type (since v6.17). */
	SWMSI_IOMMU_HW_INFO_FLAG_INPUT_TYPE = 1 << 0,
};

/** @brief IOMMU_GET_HW_INFO: what the IOMMU behind a device is. */
struct swmsi_iommu_hw_info {
	uint32_t size;		 /**< sizeof this struct */
	uint32_t flags;		 /**< enum swmsi_iommufd_hw_info_flags */
	uint32_t dev_id;	 /**< the device */
	uint32_t data_len;	 /**< in: room at data_uptr; out: bytes the driver has */
	swmsi_abi_u64 data_uptr; /**< user pointer to the driver data buffer */
	/** The type of the driver data (enum swmsi_iommu_hw_info_type), one
	 * field under two names. */
	union {
		uint32_t in_data_type;	/**< in, with FLAG_INPUT_TYPE: the type asked for */
		uint32_t out_data_type; /**< out: the type given */
	};
	uint8_t out_max_pasid_log2;	/**< out: PASID width, 0 without PASID */
	uint8_t __reserved[3];		/**< must be 0 */
	swmsi_abi_u64 out_capabilities; /**< out: enum swmsi_iommufd_hw_capabilities */
};

/** @brief IOMMU_HWPT_SET_DIRTY_TRACKING flag. */
#define SWMSI_IOMMU_HWPT_DIRTY_TRACKING_ENABLE 1

/** @brief IOMMU_HWPT_SET_DIRTY_TRACKING: start or stop dirty tracking. */
struct swmsi_iommu_hwpt_set_dirty_tracking {
	uint32_t size;	     /**< sizeof this struct */
	uint32_t flags;	     /**< 0 or SWMSI_IOMMU_HWPT_DIRTY_TRACKING_ENABLE */
	uint32_t hwpt_id;    /**< a paging HWPT */
	uint32_t __reserved; /**< must be 0 */
};

/** @brief IOMMU_HWPT_GET_DIRTY_BITMAP flag: read without clearing. */
#define SWMSI_IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR 1

/** @brief IOMMU_HWPT_GET_DIRTY_BITMAP: read (and clear) dirty bits. */
struct swmsi_iommu_hwpt_get_dirty_bitmap {
	uint32_t size;		 /**< sizeof this struct */
	uint32_t hwpt_id;	 /**< a paging HWPT */
	uint32_t flags;		 /**< 0 or SWMSI_IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR */
	uint32_t __reserved;	 /**< must be 0 */
	swmsi_abi_u64 iova;	 /**< first IOVA of the bitmap */
	swmsi_abi_u64 length;	 /**< bytes it covers */
	swmsi_abi_u64 page_size; /**< bytes per bit */
	swmsi_abi_u64 data;	 /**< user pointer to the bitmap */
};

/** @brief IOMMU_HWPT_INVALIDATE: flush a nested HWPT's or a vIOMMU's caches. */
struct swmsi_iommu_hwpt_invalidate {
	uint32_t size;		 /**< sizeof this struct */
	uint32_t hwpt_id;	 /**< a nested HWPT or a vIOMMU */
	swmsi_abi_u64 data_uptr; /**< user pointer to the request array */
	uint32_t data_type;	 /**< the requests' driver type */
	uint32_t entry_len;	 /**< bytes per request */
	uint32_t entry_num;	 /**< in: requests; out: requests handled */
	uint32_t __reserved;	 /**< must be 0 */
};

/* ------------------------------------------------------------------------ */
/* iommufd: fault queues, vIOMMU and friends (validated, not modelled)      */

/** @brief IOMMU_FAULT_QUEUE_ALLOC: a queue of I/O page faults. */
struct swmsi_iommu_fault_alloc {
	uint32_t size;	       /**< sizeof this struct */
	uint32_t flags;	       /**< must be 0 */
	uint32_t out_fault_id; /**< out: the new fault object */
	uint32_t out_fault_fd; /**< out: its file descriptor */
};

/** @brief IOMMU_VIOMMU_ALLOC: a virtual IOMMU over a nesting parent. */
struct swmsi_iommu_viommu_alloc {
	uint32_t size;		 /**< sizeof this struct */
	uint32_t flags;		 /**< must be 0 */
	uint32_t type;		 /**< the vIOMMU type */
	uint32_t dev_id;	 /**< a device on the physical IOMMU */
	uint32_t hwpt_id;	 /**< a NEST_PARENT paging HWPT */
	uint32_t out_viommu_id;	 /**< out: the new vIOMMU */
	uint32_t data_len;	 /**< bytes at data_uptr (since v6.16) */
	uint32_t __reserved;	 /**< must be 0 (since v6.16) */
	swmsi_abi_u64 data_uptr; /**< user pointer to driver data (since v6.16) */
};

/** @brief IOMMU_VDEVICE_ALLOC: a device's instance on a vIOMMU. */
struct swmsi_iommu_vdevice_alloc {
	uint32_t size;		 /**< sizeof this struct */
	uint32_t viommu_id;	 /**< the vIOMMU */
	uint32_t dev_id;	 /**< the physical device */
	uint32_t out_vdevice_id; /**< out: the new vDEVICE */
	swmsi_abi_u64 virt_id;	 /**< the device's id as the guest sees it */
};

/** @brief IOMMU_VEVENTQ_ALLOC: a vIOMMU's event queue. */
struct swmsi_iommu_veventq_alloc {
	uint32_t size;		 /**< sizeof this struct */
	uint32_t flags;		 /**< must be 0 */
	uint32_t viommu_id;	 /**< the vIOMMU */
	uint32_t type;		 /**< the queue type (0 is refused) */
	uint32_t veventq_depth;	 /**< events it holds, > 0 */
	uint32_t out_veventq_id; /**< out: the new queue */
	uint32_t out_veventq_fd; /**< out: its file descriptor */
	uint32_t __reserved;	 /**< must be 0 */
};

/** @brief IOMMU_HW_QUEUE_ALLOC: a vIOMMU's hardware-accelerated queue. */
struct swmsi_iommu_hw_queue_alloc {
	uint32_t size;			   /**< sizeof this struct */
	uint32_t flags;			   /**< must be 0 */
	uint32_t viommu_id;		   /**< the vIOMMU */
	uint32_t type;			   /**< the queue type (0 is refused) */
	uint32_t index;			   /**< the queue's index per type */
	uint32_t out_hw_queue_id;	   /**< out: the new queue */
	swmsi_abi_u64 nesting_parent_iova; /**< the queue memory, guest physical */
	swmsi_abi_u64 length;		   /**< its bytes, > 0 */
};

/* ------------------------------------------------------------------------ */
/* VFIO device cdev (/dev/vfio/devices/vfioN)                               */

/** @brief The ioctl number base of VFIO requests (type SWMSI_IOMMUFD_TYPE too). */
#define SWMSI_VFIO_BASE 100
/** @brief VFIO_DEVICE_GET_INFO (struct swmsi_vfio_device_info). */
#define SWMSI_VFIO_DEVICE_GET_INFO _IO(SWMSI_IOMMUFD_TYPE, SWMSI_VFIO_BASE + 7)
/** @brief VFIO_DEVICE_GET_IRQ_INFO (struct swmsi_vfio_irq_info). */
#define SWMSI_VFIO_DEVICE_GET_IRQ_INFO _IO(SWMSI_IOMMUFD_TYPE, SWMSI_VFIO_BASE + 9)
/** @brief VFIO_DEVICE_SET_IRQS (struct swmsi_vfio_irq_set). */
#define SWMSI_VFIO_DEVICE_SET_IRQS _IO(SWMSI_IOMMUFD_TYPE, SWMSI_VFIO_BASE + 10)
/** @brief VFIO_DEVICE_BIND_IOMMUFD (struct swmsi_vfio_device_bind_iommufd). */
#define SWMSI_VFIO_DEVICE_BIND_IOMMUFD _IO(SWMSI_IOMMUFD_TYPE, SWMSI_VFIO_BASE + 18)
/** @brief VFIO_DEVICE_ATTACH_IOMMUFD_PT (struct swmsi_vfio_device_attach_iommufd_pt). */
#define SWMSI_VFIO_DEVICE_ATTACH_IOMMUFD_PT _IO(SWMSI_IOMMUFD_TYPE, SWMSI_VFIO_BASE + 19)
/** @brief VFIO_DEVICE_DETACH_IOMMUFD_PT (struct swmsi_vfio_device_detach_iommufd_pt). */
#define SWMSI_VFIO_DEVICE_DETACH_IOMMUFD_PT _IO(SWMSI_IOMMUFD_TYPE, SWMSI_VFIO_BASE + 20)

/** @brief VFIO_DEVICE_BIND_IOMMUFD flag: token_uuid_ptr is set (since v6.17). */
#define SWMSI_VFIO_DEVICE_BIND_FLAG_TOKEN (1u << 0)

/** @brief VFIO_DEVICE_BIND_IOMMUFD: bind the device to an iommufd. */
struct swmsi_vfio_device_bind_iommufd {
	uint32_t argsz;		      /**< sizeof this struct (16 before v6.17) */
	uint32_t flags;		      /**< 0 or SWMSI_VFIO_DEVICE_BIND_FLAG_TOKEN */
	int32_t iommufd;	      /**< the iommufd */
	uint32_t out_devid;	      /**< out: the device's object id */
	swmsi_abi_u64 token_uuid_ptr; /**< user pointer to a VF token (since v6.17) */
};

/** @brief VFIO_DEVICE_ATTACH_IOMMUFD_PT flag: attach a PASID (since v6.13). */
#define SWMSI_VFIO_DEVICE_ATTACH_PASID (1u << 0)

/** @brief VFIO_DEVICE_ATTACH_IOMMUFD_PT: attach (or replace) to an IOAS or HWPT. */
struct swmsi_vfio_device_attach_iommufd_pt {
	uint32_t argsz; /**< sizeof this struct (12 before v6.13) */
	uint32_t flags; /**< 0 or SWMSI_VFIO_DEVICE_ATTACH_PASID */
	uint32_t pt_id; /**< in: an IOAS or HWPT; out: the HWPT attached */
	uint32_t pasid; /**< the PASID, with SWMSI_VFIO_DEVICE_ATTACH_PASID */
};

/** @brief VFIO_DEVICE_DETACH_IOMMUFD_PT flag: detach a PASID (since v6.13). */
#define SWMSI_VFIO_DEVICE_DETACH_PASID (1u << 0)

/** @brief VFIO_DEVICE_DETACH_IOMMUFD_PT: detach the device. */
struct swmsi_vfio_device_detach_iommufd_pt {
	uint32_t argsz; /**< sizeof this struct (8 before v6.13) */
	uint32_t flags; /**< 0 or SWMSI_VFIO_DEVICE_DETACH_PASID */
	uint32_t pasid; /**< the PASID, with SWMSI_VFIO_DEVICE_DETACH_PASID */
};

/** @brief VFIO_DEVICE_GET_INFO flag: the device supports reset. */
#define SWMSI_VFIO_DEVICE_FLAGS_RESET (1u << 0)
/** @brief VFIO_DEVICE_GET_INFO flag: a vfio-pci device. */
#define SWMSI_VFIO_DEVICE_FLAGS_PCI (1u << 1)
/** @brief VFIO_DEVICE_GET_INFO flag: capabilities follow at cap_offset. */
#define SWMSI_VFIO_DEVICE_FLAGS_CAPS (1u << 7)

/** @brief VFIO_DEVICE_GET_INFO: what the device is. */
struct swmsi_vfio_device_info {
	uint32_t argsz;	      /**< in: room; out: the size the full answer needs */
	uint32_t flags;	      /**< out: SWMSI_VFIO_DEVICE_FLAGS_* */
	uint32_t num_regions; /**< out: highest region index + 1 */
	uint32_t num_irqs;    /**< out: highest IRQ index + 1 */
	uint32_t cap_offset;  /**< out: first capability's offset, with FLAGS_CAPS */
	uint32_t pad;	      /**< padding to 8 bytes (since v6.8; older headers end before it) */
};

/** @brief VFIO_DEVICE_GET_IRQ_INFO flag: eventfd signalling works. */
#define SWMSI_VFIO_IRQ_INFO_EVENTFD (1u << 0)
/** @brief VFIO_DEVICE_GET_IRQ_INFO flag: the IRQ can be masked. */
#define SWMSI_VFIO_IRQ_INFO_MASKABLE (1u << 1)
/** @brief VFIO_DEVICE_GET_IRQ_INFO flag: the IRQ masks itself when it fires. */
#define SWMSI_VFIO_IRQ_INFO_AUTOMASKED (1u << 2)
/** @brief VFIO_DEVICE_GET_IRQ_INFO flag: the count cannot grow once set up. */
#define SWMSI_VFIO_IRQ_INFO_NORESIZE (1u << 3)

/** @brief VFIO_DEVICE_GET_IRQ_INFO: one IRQ index of the device. */
struct swmsi_vfio_irq_info {
	uint32_t argsz; /**< sizeof this struct */
	uint32_t flags; /**< out: SWMSI_VFIO_IRQ_INFO_* */
	uint32_t index; /**< in: the IRQ index (enum swmsi_vfio_pci_irq_index) */
	uint32_t count; /**< out: vectors at that index */
};

/** @brief VFIO_DEVICE_SET_IRQS data: none (trigger, or disable with count 0). */
#define SWMSI_VFIO_IRQ_SET_DATA_NONE (1u << 0)
/** @brief VFIO_DEVICE_SET_IRQS data: one u8 per vector. */
#define SWMSI_VFIO_IRQ_SET_DATA_BOOL (1u << 1)
/** @brief VFIO_DEVICE_SET_IRQS data: one s32 eventfd per vector (-1 tears down). */
#define SWMSI_VFIO_IRQ_SET_DATA_EVENTFD (1u << 2)
/** @brief VFIO_DEVICE_SET_IRQS action: mask. */
#define SWMSI_VFIO_IRQ_SET_ACTION_MASK (1u << 3)
/** @brief VFIO_DEVICE_SET_IRQS action: unmask. */
#define SWMSI_VFIO_IRQ_SET_ACTION_UNMASK (1u << 4)
/** @brief VFIO_DEVICE_SET_IRQS action: trigger (set up the eventfds). */
#define SWMSI_VFIO_IRQ_SET_ACTION_TRIGGER (1u << 5)
/** @brief The data bits of VFIO_DEVICE_SET_IRQS flags. */
#define SWMSI_VFIO_IRQ_SET_DATA_TYPE_MASK                              \
	(SWMSI_VFIO_IRQ_SET_DATA_NONE | SWMSI_VFIO_IRQ_SET_DATA_BOOL | \
	 SWMSI_VFIO_IRQ_SET_DATA_EVENTFD)
/** @brief The action bits of VFIO_DEVICE_SET_IRQS flags. */
#define SWMSI_VFIO_IRQ_SET_ACTION_TYPE_MASK                                  \
	(SWMSI_VFIO_IRQ_SET_ACTION_MASK | SWMSI_VFIO_IRQ_SET_ACTION_UNMASK | \
	 SWMSI_VFIO_IRQ_SET_ACTION_TRIGGER)

/** @brief VFIO_DEVICE_SET_IRQS: set up, trigger or tear down vectors. */
struct swmsi_vfio_irq_set {
	uint32_t argsz; /**< sizeof this struct plus the data */
	uint32_t flags; /**< one SWMSI_VFIO_IRQ_SET_DATA_* and one _ACTION_* */
	uint32_t index; /**< the IRQ index (enum swmsi_vfio_pci_irq_index) */
	uint32_t start; /**< first vector */
	uint32_t count; /**< vectors (0 with DATA_NONE|ACTION_TRIGGER: disable all) */
	uint8_t data[]; /**< count entries of the data type */
};

/** @brief The IRQ indexes of a vfio-pci device. */
enum swmsi_vfio_pci_irq_index {
	SWMSI_VFIO_PCI_INTX_IRQ_INDEX = 0, /**< legacy INTx */
	SWMSI_VFIO_PCI_MSI_IRQ_INDEX = 1,  /**< MSI */
	SWMSI_VFIO_PCI_MSIX_IRQ_INDEX = 2, /**< MSI-X */
	SWMSI_VFIO_PCI_ERR_IRQ_INDEX = 3,  /**< error reporting */
	SWMSI_VFIO_PCI_REQ_IRQ_INDEX = 4,  /**< device request */
	SWMSI_VFIO_PCI_NUM_IRQS = 5,	   /**< how many indexes */
};

/* ------------------------------------------------------------------------ */
/* IOMMU_TEST_CMD: the kernel's selftest mock (CONFIG_IOMMUFD_TEST)         */

/** @brief The ops of IOMMU_TEST_CMD (the kernel's iommufd_test.h numbering). */
enum swmsi_iommu_test_op {
	SWMSI_IOMMU_TEST_OP_ADD_RESERVED = 1,	       /**< reserve a range on an IOAS */
	SWMSI_IOMMU_TEST_OP_MOCK_DOMAIN = 2,	       /**< a mock device, bound and attached */
	SWMSI_IOMMU_TEST_OP_MD_CHECK_MAP = 3,	       /**< a domain maps the pages at uptr */
	SWMSI_IOMMU_TEST_OP_MD_CHECK_REFS = 4,	       /**< the pin count of the pages at uptr */
	SWMSI_IOMMU_TEST_OP_CREATE_ACCESS = 5,	       /**< an emulated device's access */
	SWMSI_IOMMU_TEST_OP_DESTROY_ACCESS_PAGES = 6,  /**< unpin an access's pages */
	SWMSI_IOMMU_TEST_OP_ACCESS_PAGES = 7,	       /**< pin pages through an access */
	SWMSI_IOMMU_TEST_OP_ACCESS_RW = 8,	       /**< read or write through an access */
	SWMSI_IOMMU_TEST_OP_SET_TEMP_MEMORY_LIMIT = 9, /**< the pinning batch's memory */
	SWMSI_IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE = 10,  /**< move a mock device */
	SWMSI_IOMMU_TEST_OP_ACCESS_REPLACE_IOAS = 11,  /**< move an access */
	SWMSI_IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS = 12,    /**< MOCK_DOMAIN with device flags */
	SWMSI_IOMMU_TEST_OP_DIRTY = 13,		       /**< mark IOVAs dirty */
	SWMSI_IOMMU_TEST_OP_MD_CHECK_IOTLB = 14,       /**< a nested domain's IOTLB entry */
	SWMSI_IOMMU_TEST_OP_TRIGGER_IOPF = 15,	       /**< raise an I/O page fault */
	SWMSI_IOMMU_TEST_OP_DEV_CHECK_CACHE = 16,      /**< a mock device's cache entry */
	SWMSI_IOMMU_TEST_OP_TRIGGER_VEVENT = 17,       /**< raise a vEVENT */
	SWMSI_IOMMU_TEST_OP_PASID_ATTACH = 18,	       /**< attach a PASID */
	SWMSI_IOMMU_TEST_OP_PASID_REPLACE = 19,	       /**< replace a PASID's HWPT */
	SWMSI_IOMMU_TEST_OP_PASID_DETACH = 20,	       /**< detach a PASID */
	SWMSI_IOMMU_TEST_OP_PASID_CHECK_HWPT = 21,     /**< where a PASID sits */
};

/** @brief The selftest mock's domains: their aperture, and their IO page
 * (half a CPU page). */
#define SWMSI_MOCK_APERTURE_START (1ull << 24)
/** @brief The last IOVA of the selftest mock's aperture. */
#define SWMSI_MOCK_APERTURE_LAST ((1ull << 31) - 1)

/** @brief Mock device flags (MOCK_DOMAIN_FLAGS's dev_flags). */
enum swmsi_mock_dev_flags {
	SWMSI_MOCK_FLAGS_DEVICE_NO_DIRTY = 1 << 0,  /**< no dirty tracking */
	SWMSI_MOCK_FLAGS_DEVICE_HUGE_IOVA = 1 << 1, /**< huge IO pages */
	SWMSI_MOCK_FLAGS_DEVICE_PASID = 1 << 2,	    /**< PASID capable (20 bits) */
};

/** @brief A mock device's PASID width (GET_HW_INFO's out_max_pasid_log2). */
#define SWMSI_MOCK_PASID_WIDTH 20
/** @brief A mock device's cache entries (DEV_CHECK_CACHE ids 0 to 3). */
#define SWMSI_MOCK_DEV_CACHE_NUM 4
/** @brief What every mock device cache entry holds at first. */
#define SWMSI_IOMMU_TEST_DEV_CACHE_DEFAULT 0xbaddad
/** @brief The selftest mock's GET_HW_INFO test_reg value. */
#define SWMSI_IOMMU_HW_INFO_SELFTEST_REGVAL 0xdeadbeef

/** @brief GET_HW_INFO's data for SWMSI_IOMMU_HW_INFO_TYPE_SELFTEST. */
struct swmsi_iommu_test_hw_info {
	uint32_t flags;	   /**< 0 */
	uint32_t test_reg; /**< SWMSI_IOMMU_HW_INFO_SELFTEST_REGVAL */
};

/** @brief IOMMU_TEST_CMD: one op of the selftest mock, its arguments in
 * the union member the op names (the members of the ops served). */
struct swmsi_iommu_test_cmd {
	uint32_t size;	     /**< sizeof this struct */
	uint32_t op;	     /**< enum swmsi_iommu_test_op */
	uint32_t id;	     /**< the object the op works on */
	uint32_t __reserved; /**< not looked at, as upstream */
	/** The op's arguments. */
	union {
		/** ADD_RESERVED: [start, start + length) on IOAS id. */
		struct {
			swmsi_abi_u64 start;  /**< first IOVA */
			swmsi_abi_u64 length; /**< bytes */
		} add_reserved;
		/** MOCK_DOMAIN: a device attached to IOAS or HWPT id. */
		struct {
			uint32_t out_stdev_id; /**< out: the mock device object */
			uint32_t out_hwpt_id;  /**< out: the HWPT it sits on */
			uint32_t out_idev_id;  /**< out: the bound device */
		} mock_domain;
		/** MOCK_DOMAIN_FLAGS: as mock_domain, with device flags. */
		struct {
			uint32_t out_stdev_id; /**< out: the mock device object */
			uint32_t out_hwpt_id;  /**< out: the HWPT it sits on */
			uint32_t out_idev_id;  /**< out: the bound device */
			uint32_t dev_flags;    /**< enum swmsi_mock_dev_flags */
		} mock_domain_flags;
		/** MOCK_DOMAIN_REPLACE: move mock device id. */
		struct {
			uint32_t pt_id; /**< in: IOAS or HWPT; out: the HWPT */
		} mock_domain_replace;
		/** MD_CHECK_MAP: HWPT id maps [iova, +length) to the pages at uptr. */
		struct {
			swmsi_abi_u64 iova;   /**< first IOVA */
			swmsi_abi_u64 length; /**< bytes */
			swmsi_abi_u64 uptr;   /**< the user memory */
		} check_map;
		/** MD_CHECK_REFS: each page at uptr is pinned refs times. */
		struct {
			swmsi_abi_u64 length; /**< bytes */
			swmsi_abi_u64 uptr;   /**< the user memory */
			uint32_t refs;	      /**< the expected pin count */
		} check_refs;
		/** SET_TEMP_MEMORY_LIMIT. */
		struct {
			uint32_t limit; /**< bytes */
		} memory_limit;
		/** DEV_CHECK_CACHE: entry id of mock device id holds cache. */
		struct {
			uint32_t id;	/**< the entry, 0 to 3 */
			uint32_t cache; /**< the expected value */
		} check_dev_cache;
		/** The union's size: its largest member (the dirty op's). */
		swmsi_abi_u64 __raw[6];
	};
	uint32_t last; /**< the end of the first version */
};

/* ------------------------------------------------------------------------ */
/* Layout checks: the sizes and offsets of the kernel's ABI                 */

/** @cond SWMSI_ABI_ASSERTS */
#ifndef __cplusplus
#define SWMSI__ABI_AT(s, m, off) _Static_assert(offsetof(struct s, m) == (off), #s "." #m)
#define SWMSI__ABI_SIZE(s, n)	 _Static_assert(sizeof(struct s) == (n), "sizeof " #s)

SWMSI__ABI_SIZE(swmsi_iommu_destroy, 8);
SWMSI__ABI_AT(swmsi_iommu_destroy, id, 4);
SWMSI__ABI_SIZE(swmsi_iommu_ioas_alloc, 12);
SWMSI__ABI_AT(swmsi_iommu_ioas_alloc, flags, 4);
SWMSI__ABI_AT(swmsi_iommu_ioas_alloc, out_ioas_id, 8);
SWMSI__ABI_SIZE(swmsi_iommu_iova_range, 16);
SWMSI__ABI_AT(swmsi_iommu_iova_range, last, 8);
SWMSI__ABI_SIZE(swmsi_iommu_ioas_iova_ranges, 32);
SWMSI__ABI_AT(swmsi_iommu_ioas_iova_ranges, ioas_id, 4);
SWMSI__ABI_AT(swmsi_iommu_ioas_iova_ranges, num_iovas, 8);
SWMSI__ABI_AT(swmsi_iommu_ioas_iova_ranges, __reserved, 12);
SWMSI__ABI_AT(swmsi_iommu_ioas_iova_ranges, allowed_iovas, 16);
SWMSI__ABI_AT(swmsi_iommu_ioas_iova_ranges, out_iova_alignment, 24);
SWMSI__ABI_SIZE(swmsi_iommu_ioas_allow_iovas, 24);
SWMSI__ABI_AT(swmsi_iommu_ioas_allow_iovas, ioas_id, 4);
SWMSI__ABI_AT(swmsi_iommu_ioas_allow_iovas, num_iovas, 8);
SWMSI__ABI_AT(swmsi_iommu_ioas_allow_iovas, __reserved, 12);
SWMSI__ABI_AT(swmsi_iommu_ioas_allow_iovas, allowed_iovas, 16);
SWMSI__ABI_SIZE(swmsi_iommu_ioas_map, 40);
SWMSI__ABI_AT(swmsi_iommu_ioas_map, flags, 4);
SWMSI__ABI_AT(swmsi_iommu_ioas_map, ioas_id, 8);
SWMSI__ABI_AT(swmsi_iommu_ioas_map, __reserved, 12);
SWMSI__ABI_AT(swmsi_iommu_ioas_map, user_va, 16);
SWMSI__ABI_AT(swmsi_iommu_ioas_map, length, 24);
SWMSI__ABI_AT(swmsi_iommu_ioas_map, iova, 32);
SWMSI__ABI_SIZE(swmsi_iommu_ioas_map_file, 40);
SWMSI__ABI_AT(swmsi_iommu_ioas_map_file, flags, 4);
SWMSI__ABI_AT(swmsi_iommu_ioas_map_file, ioas_id, 8);
SWMSI__ABI_AT(swmsi_iommu_ioas_map_file, fd, 12);
SWMSI__ABI_AT(swmsi_iommu_ioas_map_file, start, 16);
SWMSI__ABI_AT(swmsi_iommu_ioas_map_file, length, 24);
SWMSI__ABI_AT(swmsi_iommu_ioas_map_file, iova, 32);
SWMSI__ABI_SIZE(swmsi_iommu_ioas_copy, 40);
SWMSI__ABI_AT(swmsi_iommu_ioas_copy, flags, 4);
SWMSI__ABI_AT(swmsi_iommu_ioas_copy, dst_ioas_id, 8);
SWMSI__ABI_AT(swmsi_iommu_ioas_copy, src_ioas_id, 12);
SWMSI__ABI_AT(swmsi_iommu_ioas_copy, length, 16);
SWMSI__ABI_AT(swmsi_iommu_ioas_copy, dst_iova, 24);
SWMSI__ABI_AT(swmsi_iommu_ioas_copy, src_iova, 32);
SWMSI__ABI_SIZE(swmsi_iommu_ioas_unmap, 24);
SWMSI__ABI_AT(swmsi_iommu_ioas_unmap, ioas_id, 4);
SWMSI__ABI_AT(swmsi_iommu_ioas_unmap, iova, 8);
SWMSI__ABI_AT(swmsi_iommu_ioas_unmap, length, 16);
SWMSI__ABI_SIZE(swmsi_iommu_ioas_change_process, 8);
SWMSI__ABI_AT(swmsi_iommu_ioas_change_process, __reserved, 4);
SWMSI__ABI_SIZE(swmsi_iommu_option, 24);
SWMSI__ABI_AT(swmsi_iommu_option, option_id, 4);
SWMSI__ABI_AT(swmsi_iommu_option, op, 8);
SWMSI__ABI_AT(swmsi_iommu_option, __reserved, 10);
SWMSI__ABI_AT(swmsi_iommu_option, object_id, 12);
SWMSI__ABI_AT(swmsi_iommu_option, val64, 16);
SWMSI__ABI_SIZE(swmsi_iommu_vfio_ioas, 12);
SWMSI__ABI_AT(swmsi_iommu_vfio_ioas, ioas_id, 4);
SWMSI__ABI_AT(swmsi_iommu_vfio_ioas, op, 8);
SWMSI__ABI_AT(swmsi_iommu_vfio_ioas, __reserved, 10);
SWMSI__ABI_SIZE(swmsi_iommu_hwpt_selftest, 4);
SWMSI__ABI_SIZE(swmsi_iommu_hwpt_alloc, 48);
SWMSI__ABI_AT(swmsi_iommu_hwpt_alloc, flags, 4);
SWMSI__ABI_AT(swmsi_iommu_hwpt_alloc, dev_id, 8);
SWMSI__ABI_AT(swmsi_iommu_hwpt_alloc, pt_id, 12);
SWMSI__ABI_AT(swmsi_iommu_hwpt_alloc, out_hwpt_id, 16);
SWMSI__ABI_AT(swmsi_iommu_hwpt_alloc, __reserved, 20);
SWMSI__ABI_AT(swmsi_iommu_hwpt_alloc, data_type, 24);
SWMSI__ABI_AT(swmsi_iommu_hwpt_alloc, data_len, 28);
SWMSI__ABI_AT(swmsi_iommu_hwpt_alloc, data_uptr, 32);
SWMSI__ABI_AT(swmsi_iommu_hwpt_alloc, fault_id, 40);
SWMSI__ABI_AT(swmsi_iommu_hwpt_alloc, __reserved2, 44);
SWMSI__ABI_SIZE(swmsi_iommu_hw_info, 40);
SWMSI__ABI_AT(swmsi_iommu_hw_info, flags, 4);
SWMSI__ABI_AT(swmsi_iommu_hw_info, dev_id, 8);
SWMSI__ABI_AT(swmsi_iommu_hw_info, data_len, 12);
SWMSI__ABI_AT(swmsi_iommu_hw_info, data_uptr, 16);
SWMSI__ABI_AT(swmsi_iommu_hw_info, out_data_type, 24);
SWMSI__ABI_AT(swmsi_iommu_hw_info, out_max_pasid_log2, 28);
SWMSI__ABI_AT(swmsi_iommu_hw_info, __reserved, 29);
SWMSI__ABI_AT(swmsi_iommu_hw_info, out_capabilities, 32);
SWMSI__ABI_SIZE(swmsi_iommu_hwpt_set_dirty_tracking, 16);
SWMSI__ABI_AT(swmsi_iommu_hwpt_set_dirty_tracking, flags, 4);
SWMSI__ABI_AT(swmsi_iommu_hwpt_set_dirty_tracking, hwpt_id, 8);
SWMSI__ABI_AT(swmsi_iommu_hwpt_set_dirty_tracking, __reserved, 12);
SWMSI__ABI_SIZE(swmsi_iommu_hwpt_get_dirty_bitmap, 48);
SWMSI__ABI_AT(swmsi_iommu_hwpt_get_dirty_bitmap, hwpt_id, 4);
SWMSI__ABI_AT(swmsi_iommu_hwpt_get_dirty_bitmap, flags, 8);
SWMSI__ABI_AT(swmsi_iommu_hwpt_get_dirty_bitmap, __reserved, 12);
SWMSI__ABI_AT(swmsi_iommu_hwpt_get_dirty_bitmap, iova, 16);
SWMSI__ABI_AT(swmsi_iommu_hwpt_get_dirty_bitmap, length, 24);
SWMSI__ABI_AT(swmsi_iommu_hwpt_get_dirty_bitmap, page_size, 32);
SWMSI__ABI_AT(swmsi_iommu_hwpt_get_dirty_bitmap, data, 40);
SWMSI__ABI_SIZE(swmsi_iommu_hwpt_invalidate, 32);
SWMSI__ABI_AT(swmsi_iommu_hwpt_invalidate, hwpt_id, 4);
SWMSI__ABI_AT(swmsi_iommu_hwpt_invalidate, data_uptr, 8);
SWMSI__ABI_AT(swmsi_iommu_hwpt_invalidate, data_type, 16);
SWMSI__ABI_AT(swmsi_iommu_hwpt_invalidate, entry_len, 20);
SWMSI__ABI_AT(swmsi_iommu_hwpt_invalidate, entry_num, 24);
SWMSI__ABI_AT(swmsi_iommu_hwpt_invalidate, __reserved, 28);
SWMSI__ABI_SIZE(swmsi_iommu_fault_alloc, 16);
SWMSI__ABI_AT(swmsi_iommu_fault_alloc, flags, 4);
SWMSI__ABI_AT(swmsi_iommu_fault_alloc, out_fault_id, 8);
SWMSI__ABI_AT(swmsi_iommu_fault_alloc, out_fault_fd, 12);
SWMSI__ABI_SIZE(swmsi_iommu_viommu_alloc, 40);
SWMSI__ABI_AT(swmsi_iommu_viommu_alloc, flags, 4);
SWMSI__ABI_AT(swmsi_iommu_viommu_alloc, type, 8);
SWMSI__ABI_AT(swmsi_iommu_viommu_alloc, dev_id, 12);
SWMSI__ABI_AT(swmsi_iommu_viommu_alloc, hwpt_id, 16);
SWMSI__ABI_AT(swmsi_iommu_viommu_alloc, out_viommu_id, 20);
SWMSI__ABI_AT(swmsi_iommu_viommu_alloc, data_len, 24);
SWMSI__ABI_AT(swmsi_iommu_viommu_alloc, __reserved, 28);
SWMSI__ABI_AT(swmsi_iommu_viommu_alloc, data_uptr, 32);
SWMSI__ABI_SIZE(swmsi_iommu_vdevice_alloc, 24);
SWMSI__ABI_AT(swmsi_iommu_vdevice_alloc, viommu_id, 4);
SWMSI__ABI_AT(swmsi_iommu_vdevice_alloc, dev_id, 8);
SWMSI__ABI_AT(swmsi_iommu_vdevice_alloc, out_vdevice_id, 12);
SWMSI__ABI_AT(swmsi_iommu_vdevice_alloc, virt_id, 16);
SWMSI__ABI_SIZE(swmsi_iommu_veventq_alloc, 32);
SWMSI__ABI_AT(swmsi_iommu_veventq_alloc, flags, 4);
SWMSI__ABI_AT(swmsi_iommu_veventq_alloc, viommu_id, 8);
SWMSI__ABI_AT(swmsi_iommu_veventq_alloc, type, 12);
SWMSI__ABI_AT(swmsi_iommu_veventq_alloc, veventq_depth, 16);
SWMSI__ABI_AT(swmsi_iommu_veventq_alloc, out_veventq_id, 20);
SWMSI__ABI_AT(swmsi_iommu_veventq_alloc, out_veventq_fd, 24);
SWMSI__ABI_AT(swmsi_iommu_veventq_alloc, __reserved, 28);
SWMSI__ABI_SIZE(swmsi_iommu_hw_queue_alloc, 40);
SWMSI__ABI_AT(swmsi_iommu_hw_queue_alloc, flags, 4);
SWMSI__ABI_AT(swmsi_iommu_hw_queue_alloc, viommu_id, 8);
SWMSI__ABI_AT(swmsi_iommu_hw_queue_alloc, type, 12);
SWMSI__ABI_AT(swmsi_iommu_hw_queue_alloc, index, 16);
SWMSI__ABI_AT(swmsi_iommu_hw_queue_alloc, out_hw_queue_id, 20);
SWMSI__ABI_AT(swmsi_iommu_hw_queue_alloc, nesting_parent_iova, 24);
SWMSI__ABI_AT(swmsi_iommu_hw_queue_alloc, length, 32);
SWMSI__ABI_SIZE(swmsi_vfio_device_bind_iommufd, 24);
SWMSI__ABI_AT(swmsi_vfio_device_bind_iommufd, flags, 4);
SWMSI__ABI_AT(swmsi_vfio_device_bind_iommufd, iommufd, 8);
SWMSI__ABI_AT(swmsi_vfio_device_bind_iommufd, out_devid, 12);
SWMSI__ABI_AT(swmsi_vfio_device_bind_iommufd, token_uuid_ptr, 16);
SWMSI__ABI_SIZE(swmsi_vfio_device_attach_iommufd_pt, 16);
SWMSI__ABI_AT(swmsi_vfio_device_attach_iommufd_pt, flags, 4);
SWMSI__ABI_AT(swmsi_vfio_device_attach_iommufd_pt, pt_id, 8);
SWMSI__ABI_AT(swmsi_vfio_device_attach_iommufd_pt, pasid, 12);
SWMSI__ABI_SIZE(swmsi_vfio_device_detach_iommufd_pt, 12);
SWMSI__ABI_AT(swmsi_vfio_device_detach_iommufd_pt, flags, 4);
SWMSI__ABI_AT(swmsi_vfio_device_detach_iommufd_pt, pasid, 8);
SWMSI__ABI_SIZE(swmsi_vfio_device_info, 24);
SWMSI__ABI_AT(swmsi_vfio_device_info, flags, 4);
SWMSI__ABI_AT(swmsi_vfio_device_info, num_regions, 8);
SWMSI__ABI_AT(swmsi_vfio_device_info, num_irqs, 12);
SWMSI__ABI_AT(swmsi_vfio_device_info, cap_offset, 16);
SWMSI__ABI_AT(swmsi_vfio_device_info, pad, 20);
SWMSI__ABI_SIZE(swmsi_vfio_irq_info, 16);
SWMSI__ABI_AT(swmsi_vfio_irq_info, flags, 4);
SWMSI__ABI_AT(swmsi_vfio_irq_info, index, 8);
SWMSI__ABI_AT(swmsi_vfio_irq_info, count, 12);
SWMSI__ABI_SIZE(swmsi_vfio_irq_set, 20);
SWMSI__ABI_AT(swmsi_vfio_irq_set, flags, 4);
SWMSI__ABI_AT(swmsi_vfio_irq_set, index, 8);
SWMSI__ABI_AT(swmsi_vfio_irq_set, start, 12);
SWMSI__ABI_AT(swmsi_vfio_irq_set, count, 16);
SWMSI__ABI_AT(swmsi_vfio_irq_set, data, 20);
SWMSI__ABI_SIZE(swmsi_iommu_test_hw_info, 8);
SWMSI__ABI_SIZE(swmsi_iommu_test_cmd, 72);
SWMSI__ABI_AT(swmsi_iommu_test_cmd, op, 4);
SWMSI__ABI_AT(swmsi_iommu_test_cmd, id, 8);
SWMSI__ABI_AT(swmsi_iommu_test_cmd, add_reserved.start, 16);
SWMSI__ABI_AT(swmsi_iommu_test_cmd, mock_domain_flags.dev_flags, 28);
SWMSI__ABI_AT(swmsi_iommu_test_cmd, check_map.uptr, 32);
SWMSI__ABI_AT(swmsi_iommu_test_cmd, check_refs.refs, 32);
SWMSI__ABI_AT(swmsi_iommu_test_cmd, check_dev_cache.cache, 20);
SWMSI__ABI_AT(swmsi_iommu_test_cmd, last, 64);
_Static_assert(_IOC_TYPE(SWMSI_IOMMU_IOAS_MAP) == ';' && _IOC_NR(SWMSI_IOMMU_IOAS_MAP) == 0x85 &&
		       _IOC_SIZE(SWMSI_IOMMU_IOAS_MAP) == 0,
	       "iommufd requests are _IO(';', nr): no size or direction bits");
_Static_assert(_IOC_NR(SWMSI_VFIO_DEVICE_BIND_IOMMUFD) == 118, "VFIO_DEVICE_BIND_IOMMUFD");

#undef SWMSI__ABI_AT
#undef SWMSI__ABI_SIZE
#endif /* !__cplusplus */
/** @endcond */

#ifdef __cplusplus
}
#endif

#endif /* SWMSI_UAPI_ABI_H */
