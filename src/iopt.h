/* SPDX-License-Identifier: MIT */
/*
 * The IOAS as upstream's io_pagetable (iopt.c, iopt_alloc.c, user_va.c):
 * alignment, the allocator, allowed ranges and the user-VA check, for the
 * files that reserve on an IOAS or give it a domain (hwpt.c, device_resv.c).
 * The layer above the objects, beside device_resv.h.
 */
#ifndef SWMSI_IOPT_H
#define SWMSI_IOPT_H

#include "objects.h"

/* iopt.c */
/* The IOAS's IOVA alignment now (upstream's iopt->iova_alignment). */
uint64_t swmsi__ioas_alignment(const struct swmsi_ctx *ctx, const struct swmsi_ioas *ioas);
/* [start, last] meets an area or an allowed range: what iopt_reserve_iova()
 * refuses with -EADDRINUSE. */
bool swmsi__ioas_range_busy(struct swmsi_ioas *ioas, uint64_t start, uint64_t last);
/* Every area's IOVA, length and page offset are multiples of @align. */
bool swmsi__ioas_areas_aligned(const struct swmsi_ctx *ctx, struct swmsi_ioas *ioas,
			       uint64_t align);
/* A new paging HWPT's domain, whose smallest page is @pgsize, joins @ioas
 * (iopt_table_add_domain()): first the alignment it brings (-EINVAL above
 * the page size, -EADDRINUSE for an area it misaligns), then, after its
 * aperture, the pages it needs: with no other domain there the areas'
 * user VAs must be mapped (-EFAULT). Both change nothing. */
int swmsi__ioas_domain_align(struct swmsi_ctx *ctx, struct swmsi_ioas *ioas, uint64_t pgsize);
int swmsi__ioas_domain_pin(struct swmsi_ctx *ctx, struct swmsi_ioas *ioas);

/* iopt_ranges.c */
/* Free what the io_pagetable calls added to an IOAS (allowed ranges, its
 * own reservations); the IOAS goes. */
void swmsi__ioas_iopt_release(struct swmsi_ioas *ioas);

/* iopt_alloc.c */
/* upstream's iopt_alloc_iova(): the IOVA for @length bytes of @addr. */
int swmsi__iopt_alloc_iova(const struct swmsi_ctx *ctx, struct swmsi_ioas *ioas, uint64_t addr,
			   uint64_t length, uint64_t *iova);

/* user_va.c */
/* [va, va + length) is mapped in this process: 0, else -EFAULT. */
int swmsi__user_va_check(uint64_t va, uint64_t length);

#endif /* SWMSI_IOPT_H */
