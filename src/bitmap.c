/* SPDX-License-Identifier: MIT */
/* placeholder: being written */
typedef int swmsi_placeholder_bitmap;
