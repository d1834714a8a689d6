/* SPDX-License-Identifier: MIT */
/*
 * The typed arguments of the commands on the IOAS as upstream's
 * io_pagetable (swmsi_ioas_map_user() and its siblings), included by
 * lang.h into union scn_args, kept apart so that lang.h stays one page.
 */
#ifndef SWMSI_SIM_IOPT_H
#define SWMSI_SIM_IOPT_H

#include <stdbool.h>
#include <stdint.h>

/* No name: an unnamed copy, an unmap or copy by IOVA. */
#define SCN_NO_NAME UINT32_MAX

/*
 * map IOAS NAME LENGTH [at IOVA] [va=ADDR] [r][w]
 * unmap IOAS NAME | unmap IOAS all
 * copy SRC IOVA|NAME LENGTH DST [at IOVA] [as NAME] [r][w]
 * expect iova NAME IOVA
 */
struct scn_a_area {
	unsigned int ioas; /* map, unmap: the IOAS; copy: the source */
	unsigned int name; /* map: the new area; unmap, copy: the one named; else SCN_NO_NAME */
	unsigned int dst;  /* copy: the destination IOAS */
	unsigned int as;   /* copy: the new area's name, or SCN_NO_NAME */
	uint64_t iova;	   /* at IOVA (fixed), copy's source IOVA, expect iova's IOVA */
	uint64_t at;	   /* copy: at IOVA (fixed) */
	uint64_t length;
	uint64_t va; /* va=ADDR */
	bool fixed;  /* map: at given; copy: at given */
	bool has_va;
	bool all;	/* unmap IOAS all */
	uint32_t flags; /* SWMSI_IOAS_MAP_READABLE | WRITEABLE */
};

/* reserve IOAS START SIZE; huge_pages IOAS on|off; expect alignment IOAS N */
struct scn_a_ioasopt {
	unsigned int ioas;
	uint64_t start, size; /* reserve; expect alignment: size is N */
	bool on;	      /* huge_pages */
};

#endif /* SWMSI_SIM_IOPT_H */
